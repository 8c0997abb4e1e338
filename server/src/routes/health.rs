//! `GET /api/health`: the server and its database answer.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use telnuska_shared::api::Health;

use crate::error::ApiError;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/health", get(get_health))
}

#[tracing::instrument(skip(state))]
#[utoipa::path(get, path = "/api/health", tag = "health", responses((status = 200, description = "The server and its database answer", body = telnuska_shared::api::Health)))]
async fn get_health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&state.pool).await?;
    debug_assert_eq!(one, 1);
    Ok(Json(Health { status: "ok".into(), database: state.config.database_kind.name().into(), version: env!("CARGO_PKG_VERSION").into() }))
}
