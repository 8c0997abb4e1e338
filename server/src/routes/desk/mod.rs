//! The ЦОН operator's desk (issue 17): the branch an operator belongs to, the package checklist,
//! the courier dispatch, receiving results, the storage shelf and the hand-over.

pub(crate) mod branch;
pub(crate) mod dispatch;
pub(crate) mod incoming;
pub(crate) mod refusal;
pub(crate) mod shelf;

use axum::Json;
use serde::Deserialize;
use telnuska_shared::api::{CreateApplicationRequest, Reason, Relationship, Role, ServiceCode};
use telnuska_shared::checklist::{package_checklist, ChecklistItem};
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::routes::auth::Staff;
use crate::routes::receipts::names::applicant_name;
use crate::state::AppState;
use crate::store::staff::StaffMember;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_checklist))
        .merge(branch::router())
        .merge(dispatch::router())
        .merge(shelf::router())
        .merge(incoming::router())
        .merge(refusal::router())
}

/// The applicant's full name from a stored request.
fn applicant_of(request_json: &str) -> Result<String, ApiError> {
    let request: CreateApplicationRequest = serde_json::from_str(request_json).map_err(ApiError::internal)?;
    Ok(applicant_name(&request))
}

/// Only a ЦОН operator works the desk.
fn require_operator(staff: &StaffMember) -> Result<(), ApiError> {
    if staff.role == Role::Operator {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct ChecklistQuery {
    /// The service's code.
    service: Option<String>,
    /// The reason's code, once chosen.
    reason: Option<String>,
    /// Who applies, once chosen.
    relationship: Option<String>,
}

#[tracing::instrument(skip(staff))]
#[utoipa::path(get, path = "/api/desk/checklist", tag = "staff", params(ChecklistQuery), security(("bearer" = [])),
    responses((status = 200, description = "The documents the package must hold besides the application", body = Vec<telnuska_shared::checklist::ChecklistItem>),
              (status = 403, body = telnuska_shared::api::Problem), (status = 422, body = telnuska_shared::api::Problem)))]
async fn get_checklist(Staff(staff): Staff, ApiQuery(q): ApiQuery<ChecklistQuery>) -> Result<Json<Vec<ChecklistItem>>, ApiError> {
    // Whoever takes papers at a counter: the ЦОН operator, the provider's office.
    staff.role.counter_channel().ok_or(ApiError::Forbidden)?;
    let chosen = |raw: &Option<String>| raw.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let service = ServiceCode::from_code(q.service.as_deref().unwrap_or_default().trim());
    let reason = chosen(&q.reason).map(|c| Reason::from_code(&c));
    let relationship = chosen(&q.relationship).map(|c| Relationship::from_code(&c));
    let mut errors = Vec::new();
    if service.is_none() {
        errors.push(FieldError::new("service", "reference.unknown_service"));
    }
    if reason == Some(None) {
        errors.push(FieldError::new("reason", "reason.wrong_service"));
    }
    if relationship == Some(None) {
        errors.push(FieldError::new("relationship", "relationship.not_offered"));
    }
    let Some(service) = service.filter(|_| errors.is_empty()) else { return Err(ApiError::Validation(errors)) };
    Ok(Json(package_checklist(service, reason.flatten(), relationship.flatten())))
}
