//! The storage shelf and the hand-over (003 item 62; issue 17): results wait at ЦОН for a month
//! from arrival, those due to go back to the provider first; the operator hands one over against
//! the identity document shown (or a representative's power of attorney), recorded on the
//! hand-over event with its time, and prints the applicant's hand-over receipt that names it.

use axum::extract::State;
use axum::response::Response;
use axum::Json;
use telnuska_shared::api::{ApplicationView, PresentedDocumentInput, ShelfItem};
use telnuska_shared::error::ErrorCode;
use telnuska_shared::handover::PresentedDocument;
use telnuska_shared::i18n::Lang;
use telnuska_shared::workflow::{self, Action};
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{applicant_of, require_operator};
use crate::clock::parse_stored;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};
use crate::routes::actions::{act, Act};
use crate::routes::auth::Staff;
use crate::routes::receipts::handover::{hand_over_pdf, record, HandOverReceipt};
use crate::routes::receipts::names::{applicant_name, service_name, state_corporation, Placement};
use crate::routes::receipts::pdf_response;
use crate::state::AppState;
use crate::store::{applications as store, desk, provider};

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_shelf)).routes(routes!(hand_over)).routes(routes!(get_hand_over_receipt))
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/desk/shelf", tag = "staff", security(("bearer" = [])),
    responses((status = 200, description = "Results waiting at ЦОН (duplicates, and refusal letters marked `refusal`), those due to go back to the provider first", body = Vec<telnuska_shared::api::ShelfItem>),
              (status = 403, body = telnuska_shared::api::Problem)))]
async fn list_shelf(State(state): State<AppState>, Staff(staff): Staff) -> Result<Json<Vec<ShelfItem>>, ApiError> {
    require_operator(&staff)?;
    let today = state.clock.today();
    let mut items = Vec::new();
    for (row, refusal) in desk::on_shelf(&state.pool).await? {
        let arrived_at = parse_stored(&row.at).ok_or_else(|| ApiError::internal("stored at_con_since"))?;
        let storage_ends = workflow::storage_ends(arrived_at);
        let days_left = (storage_ends - today).num_days();
        items.push(ShelfItem {
            applicant: applicant_of(&row.request_json)?,
            id: row.id,
            number: row.number,
            arrived_at,
            storage_ends,
            days_left,
            due_for_return: days_left <= 0,
            refusal,
        });
    }
    items.sort_by(|a, b| a.storage_ends.cmp(&b.storage_ends).then_with(|| a.number.cmp(&b.number)));
    Ok(Json(items))
}

#[tracing::instrument(skip(state, staff, body))]
#[utoipa::path(post, path = "/api/desk/hand-over/{id}", tag = "staff", params(("id" = String, Path)), request_body = telnuska_shared::api::PresentedDocumentInput, security(("bearer" = [])),
    responses((status = 200, description = "Issued; the history's hand-over entry names the document shown", body = telnuska_shared::api::ApplicationView),
              (status = 403, body = telnuska_shared::api::Problem), (status = 404, body = telnuska_shared::api::Problem),
              (status = 409, description = "Not waiting at ЦОН (workflow.*)", body = telnuska_shared::api::Problem),
              (status = 422, description = "hand_over.* at the field", body = telnuska_shared::api::Problem)))]
async fn hand_over(
    State(state): State<AppState>,
    Staff(staff): Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<PresentedDocumentInput>,
) -> Result<Json<ApplicationView>, ApiError> {
    require_operator(&staff)?;
    let document = PresentedDocument::parse(&body, state.clock.today()).map_err(|e| ApiError::Validation(vec![FieldError::new(e.field(), e.code())]))?;
    let now = state.clock.now();
    let mut tx = state.begin_write().await?;
    let lang = desk::language_of(&mut tx, &id).await?.ok_or(ApiError::NotFound)?;
    let note = record(&document, Lang::from_code(&lang).unwrap_or_default());
    act(&state, &mut tx, &staff, &Act { id: &id, action: &Action::HandOver, note: Some(&note), performed_at: None, now }).await?;
    let view = store::get_in(&mut tx, &id).await?.ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(Json(view))
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/desk/hand-over/{id}/receipt", tag = "staff", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The applicant's hand-over receipt in their language (A4 PDF): the document shown, the time, the number as a QR code", content_type = "application/pdf"),
              (status = 403, body = telnuska_shared::api::Problem), (status = 404, description = "No such application, or not handed over", body = telnuska_shared::api::Problem)))]
async fn get_hand_over_receipt(State(state): State<AppState>, Staff(staff): Staff, ApiPath(id): ApiPath<String>) -> Result<Response, ApiError> {
    require_operator(&staff)?;
    let view = store::get(&state.pool, &id).await?.ok_or(ApiError::NotFound)?;
    // Reads only: a snapshot, not a writer's turn.
    let mut tx = state.pool.begin().await?;
    let events = provider::history(&mut tx, &id).await?;
    let lang = desk::language_of(&mut tx, &id).await?.and_then(|l| Lang::from_code(&l)).unwrap_or_default();
    drop(tx);
    let handed = events.into_iter().rev().find(|e| e.kind == Action::HandOver.code()).ok_or(ApiError::NotFound)?;
    let branch = desk::branch_of(&state.pool, &staff.id).await?;
    let receipt = HandOverReceipt {
        lang,
        number: view.number.clone(),
        organisation: state_corporation(branch.as_ref(), lang, Placement::OwnLine),
        applicant: applicant_name(&view.request),
        service: service_name(view.service, lang),
        shown: handed.note.unwrap_or_default(),
        at: handed.at,
        worker: handed.by.map(|b| b.full_name),
    };
    pdf_response(move || hand_over_pdf(&receipt)).await
}
