//! Sync for devices that work offline for hours (field workers, kiosks): `POST /api/sync/push`
//! applies queued items in order, each at most once whatever the retries; `GET /api/sync/pull`
//! returns every change the caller may see after a cursor.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use telnuska_shared::api::{CreateApplicationRequest, DeviceActionFacts, Role};
use telnuska_shared::i18n::Lang;
use telnuska_shared::workflow::Action;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{bearer_token, ApiJson, ApiQuery, IdempotencyKey, RequestLang, MAX_IDEMPOTENCY_KEY_CHARS};
use crate::routes::actions::apply_action_from;
use crate::routes::applications::create_application;
use crate::routes::auth::staff_of;
use crate::secrets::sha256_hex;
use crate::state::AppState;
use crate::store::events::{self, SyncEvent, Visibility};
use crate::store::writes;

/// Most items in one push: a day of field work fits many times over.
pub const MAX_PUSH_ITEMS: usize = 200;
/// Most applications of a batch whose commits are awaited together.
const MAX_SHARED_COMMIT: usize = 50;
/// Largest answer body read back from one applied item.
const MAX_ITEM_RESPONSE_BYTES: usize = 1 << 20;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(push)).routes(routes!(pull))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct PushRequest {
    device_id: String,
    items: Vec<PushItem>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct PushItem {
    key: String,
    kind: ItemKind,
    body: Value,
}

#[derive(Debug, Clone, Copy, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
enum ItemKind {
    Application,
    Action,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct ItemResult {
    key: String,
    status: u16,
    body: Value,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct PushResponse {
    results: Vec<ItemResult>,
    /// The server's clock when the push was answered: a device compares it with its own, whose
    /// acceptance times (`accepted_at`) the server refuses beyond a few minutes ahead.
    server_time: DateTime<Utc>,
}

/// Turns a handler's outcome into the item's status and JSON body.
async fn outcome(lang: Lang, result: Result<Response, ApiError>) -> (u16, Value) {
    let response = result.unwrap_or_else(|e| e.render(lang));
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), MAX_ITEM_RESPONSE_BYTES).await.unwrap_or_default();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// Applies one item through the same handler a direct request would reach, under the item's key.
async fn apply_item(state: &AppState, headers: &HeaderMap, lang: Lang, item: PushItem) -> (u16, Value) {
    let key = item.key.clone();
    if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_CHARS || !key.chars().all(|c| c.is_ascii_graphic()) {
        return outcome(lang, Err(ApiError::BadIdempotencyKey)).await;
    }
    let key = IdempotencyKey(Some(key));
    match item.kind {
        ItemKind::Application => match serde_json::from_value::<CreateApplicationRequest>(item.body) {
            Ok(req) => outcome(lang, create_application(State(state.clone()), RequestLang(lang), key, headers.clone(), ApiJson(req)).await).await,
            Err(e) => outcome(lang, Err(ApiError::Malformed(e.to_string()))).await,
        },
        ItemKind::Action => {
            let Some((id, action, device)) = action_item(item.body) else {
                return outcome(lang, Err(ApiError::Malformed("an action item needs application_id and a valid action".into()))).await;
            };
            let staff = match staff_of(state, headers).await {
                Ok(Some(staff)) => staff,
                Ok(None) if bearer_token(headers).is_some() => return outcome(lang, Err(ApiError::InvalidCredentials)).await,
                Ok(None) => return outcome(lang, Err(ApiError::Unauthenticated)).await,
                Err(e) => return outcome(lang, Err(e)).await,
            };
            outcome(lang, apply_action_from(state, &staff, &id, None, key.0, action, device).await).await
        }
    }
}

/// One item applied, with its key.
async fn applied(state: &AppState, headers: &HeaderMap, lang: Lang, item: PushItem) -> ItemResult {
    let key = item.key.clone();
    let (status, body) = apply_item(state, headers, lang, item).await;
    ItemResult { key, status, body }
}

/// An action item's body read: the application's id, the action, and what the device adds to
/// it (its time, the stage it saw, the document shown).
fn action_item(mut body: Value) -> Option<(String, Action, DeviceActionFacts)> {
    let fields = body.as_object_mut()?;
    let id = fields.remove("application_id")?.as_str()?.to_string();
    let device: serde_json::Map<String, Value> = DeviceActionFacts::FIELDS.iter().filter_map(|name| Some((name.to_string(), fields.remove(*name)?))).collect();
    let device = serde_json::from_value::<DeviceActionFacts>(Value::Object(device)).ok()?;
    Some((id, serde_json::from_value::<Action>(body).ok()?, device))
}

#[tracing::instrument(skip_all, fields(device_id = %body.device_id, items = body.items.len()))]
#[utoipa::path(post, path = "/api/sync/push", tag = "sync", request_body = PushRequest, security((), ("bearer" = [])),
    responses((status = 200, description = "One result per item, in order; each item applied at most once", body = PushResponse), (status = 413, body = telnuska_shared::api::Problem)))]
async fn push(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ApiError> {
    if body.items.len() > MAX_PUSH_ITEMS {
        return Err(ApiError::TooLarge);
    }
    let mut results = Vec::with_capacity(body.items.len());
    // In order: a later item (an action) may depend on an earlier one (its application).
    let mut items = body.items.into_iter().peekable();
    while let Some(item) = items.next() {
        if matches!(item.kind, ItemKind::Action) {
            results.push(applied(&state, &headers, lang, item).await);
            continue;
        }
        // A run of applications shares commits (one fsync on SQLite rather than one each); an
        // action reads what came before it, so it waits until they are on disk. A run is kept
        // short: writes that do not queue for a turn (a session's last use, a citizen's SMS
        // code) wait in SQLite's busy handler while the run's work is not yet committed.
        let mut run = vec![item];
        while let Some(next) = items.next_if(|next| matches!(next.kind, ItemKind::Application) && run.len() < MAX_SHARED_COMMIT) {
            run.push(next);
        }
        let done = writes::defer(&state.writes, async {
            let mut done = Vec::with_capacity(run.len());
            for item in run {
                done.push(applied(&state, &headers, lang, item).await);
            }
            done
        })
        .await?;
        results.extend(done);
    }
    Ok(Json(PushResponse { results, server_time: state.clock.now() }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct PullQuery {
    since: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct PullResponse {
    events: Vec<SyncEvent>,
    cursor: String,
}

#[tracing::instrument(skip_all)]
#[utoipa::path(get, path = "/api/sync/pull", tag = "sync", params(PullQuery), security(("bearer" = [])),
    responses((status = 200, body = PullResponse), (status = 401, body = telnuska_shared::api::Problem), (status = 422, body = telnuska_shared::api::Problem)))]
async fn pull(State(state): State<AppState>, headers: HeaderMap, ApiQuery(q): ApiQuery<PullQuery>) -> Result<Json<PullResponse>, ApiError> {
    let token = bearer_token(&headers).ok_or(ApiError::Unauthenticated)?;
    let visibility = match staff_of(&state, &headers).await? {
        Some(staff) if staff.role == Role::Provider => Visibility::Institutions(staff.institutions),
        Some(_) => Visibility::All,
        None => match events::application_of_tracking_token(&state.pool, &sha256_hex(token)).await? {
            Some(id) => Visibility::Application(id),
            None => return Err(ApiError::InvalidCredentials),
        },
    };
    let since = match q.since.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => 0,
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 0)
            .ok_or_else(|| ApiError::Validation(vec![telnuska_shared::FieldError::new("since", "cursor.invalid")]))?,
    };
    let events = events::pull(&state.pool, &visibility, since).await?;
    let cursor = events.last().map_or_else(|| since.to_string(), |e| e.cursor.clone());
    Ok(Json(PullResponse { events, cursor }))
}
