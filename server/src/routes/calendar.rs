//! `GET /api/calendar/due`: registration and due dates of a submission instant.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use telnuska_shared::api::{DueDates, ServiceCode};
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::state::AppState;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_due_dates))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct DueQuery {
    service: Option<String>,
    submitted_at: Option<String>,
}

#[tracing::instrument(skip(state))]
#[utoipa::path(get, path = "/api/calendar/due", tag = "reference", params(DueQuery),
    responses((status = 200, body = telnuska_shared::api::DueDates), (status = 422, description = "Unknown service or bad instant", body = telnuska_shared::api::Problem)))]
async fn get_due_dates(State(state): State<AppState>, ApiQuery(q): ApiQuery<DueQuery>) -> Result<Json<DueDates>, ApiError> {
    let mut errors = Vec::new();
    let service = match q.service.as_deref().map(str::trim) {
        None | Some("") => {
            errors.push(FieldError::new("service", "required"));
            None
        }
        Some(code) => ServiceCode::from_code(code).or_else(|| {
            errors.push(FieldError::new("service", "reference.unknown_service"));
            None
        }),
    };
    let submitted_at = match q.submitted_at.as_deref().map(str::trim) {
        None | Some("") => Some(state.clock.now()),
        Some(raw) => {
            DateTime::parse_from_rfc3339(raw).map(|t| t.with_timezone(&Utc)).map_err(|_| errors.push(FieldError::new("submitted_at", "datetime.format"))).ok()
        }
    };
    let (Some(service), Some(at)) = (service, submitted_at) else { return Err(ApiError::Validation(errors)) };
    let term = state.reference().service(service).term_working_days;
    let calendar = state.calendar();
    let registered_on = calendar.registered_on(at);
    Ok(Json(DueDates { registered_on, due_on: calendar.due_on(registered_on, term), term_working_days: term }))
}
