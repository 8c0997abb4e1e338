//! `GET /api/oversight`: the head's view — per service, what is open, at risk and overdue, the
//! share delivered on time and the median working days to a result, computed from the events.

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use telnuska_shared::api::{OversightView, Role};
use telnuska_shared::calendar::almaty_date;
use telnuska_shared::oversight::{figures, WINDOW_DAYS};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::routes::auth::Staff;
use crate::state::AppState;
use crate::store::oversight as store;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_oversight))
}

/// `?institution=` of the head's view.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct OversightQuery {
    /// Only this institution's applications.
    institution: Option<String>,
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/oversight", tag = "staff", params(OversightQuery), security(("bearer" = [])),
    responses((status = 200, description = "The figures of each service: every application for ЦОН staff and administrators, the provider's own institutions for provider staff",
                body = telnuska_shared::api::OversightView),
              (status = 401, body = telnuska_shared::api::Problem), (status = 403, body = telnuska_shared::api::Problem)))]
async fn get_oversight(State(state): State<AppState>, Staff(staff): Staff, ApiQuery(q): ApiQuery<OversightQuery>) -> Result<Json<OversightView>, ApiError> {
    let wanted = q.institution.filter(|s| !s.is_empty());
    let institutions = match (staff.role, wanted) {
        (Role::Provider, Some(i)) if staff.institutions.contains(&i) => Some(vec![i]),
        (Role::Provider, Some(_)) => return Err(ApiError::Forbidden),
        (Role::Provider, None) => Some(staff.institutions.clone()),
        (Role::Operator | Role::Admin, wanted) => wanted.map(|i| vec![i]),
        _ => return Err(ApiError::Forbidden),
    };
    let cases = store::cases(&state.pool, institutions.as_deref()).await?;
    let now = state.clock.now();
    Ok(Json(OversightView { as_of: almaty_date(now), window_days: WINDOW_DAYS, services: figures(&state.calendar(), now, &cases) }))
}
