//! Receiving results at ЦОН (003 items 58–59, 62; issue 17): the ready documents the providers
//! made for collection at ЦОН, the letters of reasoned refusals of applications ЦОН accepted
//! (status `refused`), and the documents recalled for an applicant who came after the month,
//! with the day the provider must send them back by. The operator marks one received with
//! the workflow's `deliver_to_con` action (the applicant then gets the SMS, and it is shelved).

use axum::extract::State;
use axum::Json;
use telnuska_shared::api::{ApplicationStatus, Channel, CollectionPlace, IncomingItem};
use telnuska_shared::workflow::refusal_letter_via_con;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{applicant_of, require_operator};
use crate::error::ApiError;
use crate::routes::auth::Staff;
use crate::state::AppState;
use crate::store::desk;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_incoming))
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/desk/incoming", tag = "staff", security(("bearer" = [])),
    responses((status = 200, description = "Results on their way to ЦОН: recalls first (soonest `recall_by` first), then ready documents and refusal letters (`refused`) by number", body = Vec<telnuska_shared::api::IncomingItem>),
              (status = 403, body = telnuska_shared::api::Problem)))]
async fn list_incoming(State(state): State<AppState>, Staff(staff): Staff) -> Result<Json<Vec<IncomingItem>>, ApiError> {
    require_operator(&staff)?;
    let today = state.clock.today();
    let mut items = Vec::new();
    for row in desk::incoming(&state.pool).await? {
        let status = ApplicationStatus::from_code(&row.status).ok_or_else(|| ApiError::internal(format!("stored status {}", row.status)))?;
        let (channel, collection) = (Channel::from_code(&row.channel), CollectionPlace::from_code(&row.collection_place));
        if status == ApplicationStatus::Refused && !channel.zip(collection).is_some_and(|(ch, place)| refusal_letter_via_con(ch, place)) {
            continue;
        }
        let recall_by = row.recall_by.as_deref().and_then(|d| d.parse().ok()).filter(|_| status == ApplicationStatus::InTransit);
        items.push(IncomingItem {
            applicant: applicant_of(&row.request_json)?,
            id: row.id,
            number: row.number,
            institution: row.institution,
            status,
            recall_overdue: recall_by.is_some_and(|by| today > by),
            recall_by,
        });
    }
    items.sort_by(|a, b| b.recall_by.is_some().cmp(&a.recall_by.is_some()).then(a.recall_by.cmp(&b.recall_by)).then_with(|| a.number.cmp(&b.number)));
    Ok(Json(items))
}
