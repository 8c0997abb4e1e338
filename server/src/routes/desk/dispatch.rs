//! Courier dispatch (003 items 54–55; issue 17): the packages accepted since the last dispatch,
//! per provider; sending them moves exactly those to `in_transit` through the workflow (one
//! dispatch event each, at the dispatch time) and prints their register. A package accepted
//! after waits for the next dispatch.

use std::collections::BTreeMap;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use telnuska_shared::api::{Dispatch, DispatchRequest, PendingPackage, ProviderPackages};
use telnuska_shared::calendar::almaty_date;
use telnuska_shared::reference::reference;
use telnuska_shared::workflow::Action;
use telnuska_shared::FieldError;

use super::{applicant_of, require_operator};
use crate::clock::{parse_stored, stored};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, RequestLang};
use crate::routes::actions::act;
use crate::routes::auth::Staff;
use crate::routes::registers::register_response;
use crate::state::AppState;
use crate::store::desk;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/desk/dispatch", get(list_waiting).post(dispatch_packages)).route("/api/desk/dispatch/{id}/register", get(get_dispatch_register))
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/desk/dispatch", tag = "staff", security(("bearer" = [])),
    responses((status = 200, description = "Per provider, the packages waiting for the next dispatch", body = Vec<telnuska_shared::api::ProviderPackages>),
              (status = 403, body = telnuska_shared::api::Problem)))]
async fn list_waiting(State(state): State<AppState>, Staff(staff): Staff) -> Result<Json<Vec<ProviderPackages>>, ApiError> {
    require_operator(&staff)?;
    let last: BTreeMap<String, String> = desk::last_dispatches(&state.pool).await?.into_iter().collect();
    let mut by_provider: BTreeMap<String, Vec<PendingPackage>> = BTreeMap::new();
    for row in desk::waiting_for_courier(&state.pool).await? {
        let accepted_at = parse_stored(&row.at).ok_or_else(|| ApiError::Internal("stored submitted_at".into()))?;
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
#[utoipa::path(post, path = "/api/desk/dispatch", tag = "staff", request_body = telnuska_shared::api::DispatchRequest, security(("bearer" = [])),
    responses((status = 201, description = "The packages sent, each now in_transit", body = telnuska_shared::api::Dispatch), (status = 403, body = telnuska_shared::api::Problem),
              (status = 409, description = "Nothing waits for this provider (dispatch.nothing_waiting)", body = telnuska_shared::api::Problem),
              (status = 422, body = telnuska_shared::api::Problem)))]
async fn dispatch_packages(
    State(state): State<AppState>,
    Staff(staff): Staff,
    ApiJson(body): ApiJson<DispatchRequest>,
) -> Result<(StatusCode, Json<Dispatch>), ApiError> {
    require_operator(&staff)?;
    let institution = reference()
        .institution(body.institution.trim())
        .ok_or_else(|| ApiError::Validation(vec![FieldError::new("institution", "reference.unknown_institution")]))?;
    let branch = desk::branch_of(&state.pool, &staff.id).await?;
    let now = state.clock.now();
    let mut tx = state.pool.begin().await?;
    let ids = desk::waiting_ids(&mut tx, &institution.code).await?;
    if ids.is_empty() {
        return Err(ApiError::Workflow("dispatch.nothing_waiting"));
    }
    let id = uuid::Uuid::new_v4().to_string();
    desk::record_dispatch(&mut tx, &id, &institution.code, branch.as_ref(), &stored(now), &staff.id, &ids).await?;
    for application in &ids {
        act(&state, &mut tx, &staff, application, &Action::Dispatch, None, now).await?;
    }
    tx.commit().await?;
    let (_, _, sent) = desk::dispatch(&state.pool, &id).await?.ok_or(ApiError::NotFound)?;
    let mut numbers = Vec::with_capacity(sent.len());
    for application in &sent {
        numbers.extend(crate::store::applications::get(&state.pool, application).await?.map(|v| v.number));
    }
    Ok((StatusCode::CREATED, Json(Dispatch { id, institution: institution.code.clone(), dispatched_at: now, numbers })))
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
    let institution = reference().institution(&code).ok_or(ApiError::NotFound)?;
    let date = almaty_date(parse_stored(&at).ok_or_else(|| ApiError::Internal("stored dispatched_at".into()))?);
    register_response(&state, &staff, lang, institution, date, &ids).await
}
