//! `GET /api/config`: what the citizen app needs to know about this server before signing —
//! whether EDS signatures can be checked here, and where the person's NCALayer listens.

use axum::extract::State;
use axum::Json;
use telnuska_shared::api::{ClientConfig, EdsConfig};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_config))
}

#[utoipa::path(get, path = "/api/config", tag = "reference",
    responses((status = 200, description = "Whether EDS signing is offered, and the NCALayer WebSocket URL (TELNUSKA_NCALAYER_URL)", body = telnuska_shared::api::ClientConfig)))]
async fn get_config(State(state): State<AppState>) -> Json<ClientConfig> {
    Json(ClientConfig { eds: EdsConfig { available: state.signatures.available(), ncalayer_url: state.config.ncalayer_url.clone() } })
}
