//! Courier dispatch (003 items 54–55; issue 17): the packages accepted since the last dispatch,
//! per provider; sending them moves exactly those to `in_transit` through the workflow (one
//! dispatch event each, at the dispatch time) and prints their register. A package accepted
//! after waits for the next dispatch. Each ЦОН branch keeps its own register: an operator sees
//! and sends the packages accepted at their branch (and those no branch accepted: a kiosk's, a
//! field worker's without one).

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use telnuska_shared::api::{Dispatch, DispatchRequest, PendingPackage, ProviderPackages};
use telnuska_shared::calendar::almaty_date;
use telnuska_shared::workflow::Action;
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{applicant_of, require_operator};
use crate::clock::{parse_stored, stored};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, IdempotencyKey, RequestLang};
use crate::routes::actions::{act, Act};
use crate::routes::auth::Staff;
use crate::routes::idempotent::{caller_of, Idempotent};
use crate::routes::registers::register_response;
use crate::secrets::sha256_hex;
use crate::state::AppState;
use crate::store::desk;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_waiting, dispatch_packages)).routes(routes!(get_dispatch_register))
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/desk/dispatch", tag = "staff", security(("bearer" = [])),
    responses((status = 200, description = "Per provider, the packages waiting for the next dispatch", body = Vec<telnuska_shared::api::ProviderPackages>),
              (status = 403, body = telnuska_shared::api::Problem)))]
async fn list_waiting(State(state): State<AppState>, Staff(staff): Staff) -> Result<Json<Vec<ProviderPackages>>, ApiError> {
    require_operator(&staff)?;
    let branch = desk::branch_of(&state.pool, &staff.id).await?;
    let last: BTreeMap<String, String> = desk::last_dispatches(&state.pool, branch.as_ref()).await?.into_iter().collect();
    let mut by_provider: BTreeMap<String, Vec<PendingPackage>> = BTreeMap::new();
    for row in desk::waiting_for_courier(&state.pool, branch.as_ref()).await? {
        let accepted_at = parse_stored(&row.at).ok_or_else(|| ApiError::internal("stored submitted_at"))?;
        let package = PendingPackage { applicant: applicant_of(&row.request_json)?, id: row.id, number: row.number, accepted_at };
        by_provider.entry(row.institution).or_default().push(package);
    }
    let providers = by_provider
        .into_iter()
        .map(|(institution, packages)| ProviderPackages { last_dispatch_at: last.get(&institution).and_then(|at| parse_stored(at)), institution, packages })
        .collect();
    Ok(Json(providers))
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(post, path = "/api/desk/dispatch", tag = "staff", params(("Idempotency-Key" = Option<String>, Header)), request_body = telnuska_shared::api::DispatchRequest, security(("bearer" = [])),
    responses((status = 201, description = "The packages sent, each now in_transit (the same answer again for a repeated Idempotency-Key)", body = telnuska_shared::api::Dispatch), (status = 403, body = telnuska_shared::api::Problem),
              (status = 409, description = "Nothing waits for this provider (dispatch.nothing_waiting), or the key was used for another body", body = telnuska_shared::api::Problem),
              (status = 422, body = telnuska_shared::api::Problem)))]
async fn dispatch_packages(
    State(state): State<AppState>,
    Staff(staff): Staff,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(body): ApiJson<DispatchRequest>,
) -> Result<Response, ApiError> {
    require_operator(&staff)?;
    let reference = state.reference();
    let institution = reference
        .institution(body.institution.trim())
        .ok_or_else(|| ApiError::Validation(vec![FieldError::new("institution", "reference.unknown_institution")]))?;
    // A register printed twice because the answer was lost would send nothing the second time
    // (or the next packages): a repeated key gets the first dispatch back instead.
    let request_hash = sha256_hex(institution.code.as_bytes());
    let idempotent = Idempotent::new("desk.dispatch", &caller_of(Some(&staff)), key.as_deref(), request_hash);
    let now = state.clock.now();
    if let Some(earlier) = idempotent.earlier_answer(&state.pool, now).await? {
        return Ok(earlier);
    }
    let branch = desk::branch_of(&state.pool, &staff.id).await?;
    let mut tx = state.begin_write().await?;
    if let Some(first) = idempotent.claim(&mut tx, now).await? {
        return Ok(first);
    }
    let ids = desk::waiting_ids(&mut tx, &institution.code, branch.as_ref()).await?;
    if ids.is_empty() {
        return Err(ApiError::Workflow("dispatch.nothing_waiting"));
    }
    let id = uuid::Uuid::new_v4().to_string();
    desk::record_dispatch(&mut tx, &id, &institution.code, branch.as_ref(), &stored(now), &staff.id, &ids).await?;
    for application in &ids {
        act(&state, &mut tx, &staff, &Act { id: application, action: &Action::Dispatch, note: None, performed_at: None, now }).await?;
    }
    let numbers = desk::numbers_of(&mut tx, &id).await?;
    let sent = Dispatch { id, institution: institution.code.clone(), dispatched_at: now, numbers };
    let body = serde_json::to_string(&sent).map_err(ApiError::internal)?;
    let response = idempotent.answer(&mut tx, StatusCode::CREATED, body).await?;
    tx.commit().await?;
    Ok(response)
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/desk/dispatch/{id}/register", tag = "staff", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The courier register of exactly this dispatch, 2 copies, A4 PDF", content_type = "application/pdf"),
              (status = 403, body = telnuska_shared::api::Problem), (status = 404, body = telnuska_shared::api::Problem)))]
async fn get_dispatch_register(
    State(state): State<AppState>,
    Staff(staff): Staff,
    RequestLang(lang): RequestLang,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    require_operator(&staff)?;
    let (code, at, ids) = desk::dispatch(&state.pool, &id).await?.ok_or(ApiError::NotFound)?;
    let reference = state.reference();
    let institution = reference.institution(&code).ok_or(ApiError::NotFound)?;
    let date = almaty_date(parse_stored(&at).ok_or_else(|| ApiError::internal("stored dispatched_at"))?);
    register_response(&state, &staff, lang, institution, date, &ids).await
}
