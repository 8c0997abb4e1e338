//! `GET /api/health`: the server and its database answer.

use axum::extract::State;
use axum::Json;
use telnuska_shared::api::Health;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::state::AppState;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_health))
}

#[tracing::instrument(skip(state))]
#[utoipa::path(get, path = "/api/health", tag = "health", responses((status = 200, description = "The server and its database answer", body = telnuska_shared::api::Health)))]
async fn get_health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let one: i64 = sqlx::query_scalar("SELECT 1").fetch_one(&state.pool).await?;
    debug_assert_eq!(one, 1);
    Ok(Json(Health { status: "ok".into(), database: state.config.database_kind.name().into(), version: env!("CARGO_PKG_VERSION").into() }))
}
