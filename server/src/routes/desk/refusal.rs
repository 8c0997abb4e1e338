//! Refusal to accept at the counter (003 item 52, Annex 4): a package that lacks a document the
//! checklist names is never stored as an application, so the refusal is recorded on its own
//! (`POST /api/desk/refusals`, a number of its own series, who refused and when) and its receipt
//! printed from that record (`GET /api/desk/refusals/{id}/receipt`), in 2 copies.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use telnuska_shared::api::{Channel, RefusalToAccept, RefusalToAcceptRequest};
use telnuska_shared::checklist::{missing_items, package_checklist};
use telnuska_shared::error::ErrorCode;
use telnuska_shared::iin::Iin;
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, RequestLang};
use crate::routes::auth::Staff;
use crate::routes::receipts::{forms, pdf_response, refusal_of};
use crate::state::AppState;
use crate::store::refusals::{self, Refusal};
use crate::store::staff::StaffMember;
use crate::store::{desk, intake};

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(refuse_package)).routes(routes!(get_refusal_receipt))
}

/// The channel through which `staff` accepts papers at a counter: the ЦОН operator's desk or
/// the provider's office.
fn counter_channel(staff: &StaffMember) -> Result<Channel, ApiError> {
    staff.role.counter_channel().ok_or(ApiError::Forbidden)
}

/// What a refusal must name: the person refused (a valid IIN, a surname and a name), through the
/// worker's own channel, and at least one missing or expired document (else there is nothing to
/// refuse for: the package is accepted).
fn check(body: &RefusalToAcceptRequest, channel: Channel) -> Result<(), ApiError> {
    let applicant = &body.package.applicant;
    let mut errors = Vec::new();
    if body.package.channel != channel {
        errors.push(FieldError::new("package.channel", "refusal.channel"));
    }
    if let Err(e) = Iin::parse(&applicant.iin) {
        errors.push(FieldError::new("package.applicant.iin", e.code()));
    }
    for (field, value) in [("package.applicant.last_name", &applicant.last_name), ("package.applicant.first_name", &applicant.first_name)] {
        if value.trim().is_empty() {
            errors.push(FieldError::new(field, "required"));
        }
    }
    let package = &body.package;
    let checklist = package_checklist(package.service, package.reason, package.relationship);
    if missing_items(&checklist, &body.presented).is_empty() && body.expired.is_empty() {
        errors.push(FieldError::new("presented", "refusal.nothing_missing"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

#[tracing::instrument(skip_all, fields(by = %staff.login))]
#[utoipa::path(post, path = "/api/desk/refusals", tag = "staff", request_body = telnuska_shared::api::RefusalToAcceptRequest, security(("bearer" = [])),
    responses((status = 201, description = "The refusal as recorded; its receipt is GET /api/desk/refusals/{id}/receipt", body = telnuska_shared::api::RefusalToAccept),
              (status = 401, body = telnuska_shared::api::Problem), (status = 403, description = "Not a worker who accepts papers at a counter", body = telnuska_shared::api::Problem),
              (status = 422, description = "refusal.channel, iin.*, required, refusal.nothing_missing", body = telnuska_shared::api::Problem)))]
async fn refuse_package(State(state): State<AppState>, Staff(staff): Staff, ApiJson(body): ApiJson<RefusalToAcceptRequest>) -> Result<Response, ApiError> {
    let channel = counter_channel(&staff)?;
    crate::routes::applications::check_own_office(&body.package, Some(&staff))?;
    check(&body, channel)?;
    let RefusalToAcceptRequest { package, presented, expired } = body;
    let present: Vec<_> = presented.into_iter().filter(|k| !expired.contains(k)).collect();
    let missing = missing_items(&package_checklist(package.service, package.reason, package.relationship), &present);
    let mut refusal = Refusal {
        id: uuid::Uuid::new_v4().to_string(),
        number: String::new(),
        refused_at: state.clock.now(),
        by_staff: staff.id.clone(),
        package,
        presented: present,
        expired,
    };
    refusal.number = refusals::record(&state.pool, &refusal).await?;
    tracing::info!(number = %refusal.number, missing = missing.len(), expired = refusal.expired.len(), "package refused at acceptance");
    let recorded = RefusalToAccept {
        id: refusal.id,
        number: refusal.number,
        missing: missing.into_iter().filter(|k| !refusal.expired.contains(k)).collect(),
        expired: refusal.expired,
    };
    Ok((StatusCode::CREATED, Json(recorded)).into_response())
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/desk/refusals/{id}/receipt", tag = "staff", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Annex 4 in 2 copies as A4 PDF, in the caller's language", content_type = "application/pdf"),
              (status = 401, body = telnuska_shared::api::Problem), (status = 403, body = telnuska_shared::api::Problem), (status = 404, body = telnuska_shared::api::Problem)))]
async fn get_refusal_receipt(
    State(state): State<AppState>,
    Staff(staff): Staff,
    RequestLang(lang): RequestLang,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    counter_channel(&staff)?;
    let refusal = refusals::get(&state.pool, &id).await?.ok_or(ApiError::NotFound)?;
    let branch = desk::branch_of(&state.pool, &refusal.by_staff).await?;
    let worker = intake::staff_full_name(&state.pool, &refusal.by_staff).await?;
    let receipt = forms::RefusalReceipt {
        number: refusal.number.clone(),
        number_key: "receipt.refusal.number",
        worker: worker.clone(),
        executor: worker,
        date: telnuska_shared::calendar::almaty_local(refusal.refused_at).date_naive(),
        ..refusal_of(&refusal.package, &state.reference(), &refusal.presented, &refusal.expired, branch.as_ref(), lang)
    };
    pdf_response(move || forms::refusal_pdf(&receipt)).await
}
