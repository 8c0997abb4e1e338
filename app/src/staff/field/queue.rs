//! The field worker's items: each one a form draft and where it stands (being filled, accepted
//! at the door and queued, or the server's verdict). Queued items go to `POST /api/sync/push` in
//! the order they were accepted, in batches, each under its own idempotency key; an item stays on
//! the device, sealed, until the server has acknowledged it. Its photos go first, each through the
//! citizen's upload under its device id as the idempotency key (a lost answer, asked again, names
//! the same attachment), and leave the device once the application is acknowledged.

use crate::api::Method;
use chrono::{DateTime, NaiveDate, Utc};
use leptos::prelude::GetUntracked;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use telnuska_shared::api::{CreatedApplication, Problem, ProblemFieldError};

use telnuska_shared::i18n::Lang;

use crate::api::{self, ApiError};
use crate::form::{owner_of, step_of, uuid_v4, Draft, Step};
use crate::staff::field::vault;
use crate::staff::session::Session;

/// How the id of a photo kept on the device begins (until the sync replaces it by the server's).
pub const ON_DEVICE: &str = "device:";
/// Items per push: well under the server's limit (200), so one slow answer holds back few.
pub const BATCH: usize = 50;
/// A device clock further than this from the server's is pointed out to the worker (the server
/// itself refuses acceptance times more than 10 minutes ahead).
pub const CLOCK_NOTICE_SECONDS: i64 = 120;

/// What the door-step acceptance recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    /// When the worker confirmed acceptance, by the device's clock.
    pub accepted_at: DateTime<Utc>,
    /// SHA-256 of the request as queued, hex: the receipt the applicant may photograph.
    pub hash: String,
    /// The request as accepted (its photos under their device ids, [`ON_DEVICE`]).
    pub body: String,
    /// The photos the server has: each device id with the server's id.
    #[serde(default)]
    pub uploaded: Vec<(String, String)>,
}

impl Acceptance {
    /// The request as it is pushed: the server's ids in place of the device's.
    fn pushed_body(&self) -> Option<Value> {
        let mut body = serde_json::from_str::<Value>(&self.body).ok()?;
        for attachment in body.get_mut("attachments").and_then(Value::as_array_mut).into_iter().flatten() {
            let server_id = attachment["id"].as_str().and_then(|id| self.uploaded.iter().find(|(device, _)| device == id)).map(|(_, server)| server.clone());
            if let Some(id) = server_id {
                attachment["id"] = Value::String(id);
            }
        }
        Some(body)
    }

    /// The device ids of the photos not uploaded yet.
    fn photos_to_send(&self) -> Vec<String> {
        let body = serde_json::from_str::<Value>(&self.body).unwrap_or_default();
        let ids = body["attachments"].as_array().into_iter().flatten().filter_map(|a| a["id"].as_str());
        ids.filter(|id| id.starts_with(ON_DEVICE) && !self.uploaded.iter().any(|(device, _)| device == id)).map(str::to_string).collect()
    }
}

/// Where an item stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ItemState {
    /// Being filled in (or corrected: the draft then carries the server's errors).
    Draft {
        /// The acceptance time kept from the first acceptance, for a correction.
        accepted_at: Option<DateTime<Utc>>,
    },
    /// Accepted at the door, waiting for the server.
    Queued(Acceptance),
    /// Acknowledged by the server.
    Accepted {
        /// The acceptance.
        acceptance: Acceptance,
        /// The application's number.
        number: String,
        /// The term's start (the acceptance day).
        registered_on: NaiveDate,
        /// The due date, counted from the acceptance.
        due_on: NaiveDate,
    },
    /// The server will not take it as it is and it cannot be corrected on the form (a key used
    /// for other answers): explained, kept, and sent again only by the worker.
    Conflict {
        /// The acceptance.
        acceptance: Acceptance,
        /// The server's code.
        code: String,
    },
    /// Not delivered for a reason other than the network (server error, ended session).
    Stuck {
        /// The acceptance.
        acceptance: Acceptance,
        /// The server's code, or `status.<n>`.
        reason: String,
    },
}

/// One item of the device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldItem {
    /// The form.
    pub draft: Draft,
    /// Where it stands.
    pub state: ItemState,
}

impl FieldItem {
    /// Whether the server has not acknowledged it yet (a wipe would lose it).
    pub fn unsent(&self) -> bool {
        !matches!(self.state, ItemState::Accepted { .. })
    }

    /// When it was accepted at the door, if it was.
    pub fn accepted_at(&self) -> Option<DateTime<Utc>> {
        match &self.state {
            ItemState::Draft { accepted_at } => *accepted_at,
            ItemState::Queued(a)
            | ItemState::Accepted { acceptance: a, .. }
            | ItemState::Conflict { acceptance: a, .. }
            | ItemState::Stuck { acceptance: a, .. } => Some(a.accepted_at),
        }
    }

    /// The idempotency key it is (or will be) pushed under.
    pub fn key(&self) -> String {
        self.draft.idempotency_key.clone().unwrap_or_else(|| self.draft.id.clone())
    }

    /// Takes the server's answer to this item's push.
    pub fn answered(self, status: u16, body: Value, new_key: String) -> FieldItem {
        let acceptance = match &self.state {
            ItemState::Queued(a) | ItemState::Stuck { acceptance: a, .. } | ItemState::Conflict { acceptance: a, .. } => a.clone(),
            _ => return self,
        };
        match status {
            200 | 201 => match serde_json::from_value::<CreatedApplication>(body) {
                Ok(c) => FieldItem { state: ItemState::Accepted { acceptance, number: c.number, registered_on: c.registered_on, due_on: c.due_on }, ..self },
                Err(_) => FieldItem { state: ItemState::Stuck { acceptance, reason: format!("status.{status}") }, ..self },
            },
            422 => {
                let errors = serde_json::from_value::<Problem>(body).map(|p| p.errors).unwrap_or_default();
                corrected(self.draft, acceptance, errors, new_key)
            }
            409 => {
                let code = serde_json::from_value::<Problem>(body).map(|p| p.code).unwrap_or_default();
                FieldItem { state: ItemState::Conflict { acceptance, code }, ..self }
            }
            _ => {
                let code = serde_json::from_value::<Problem>(body).ok().map(|p| p.code).filter(|c| !c.is_empty());
                FieldItem { state: ItemState::Stuck { acceptance, reason: code.unwrap_or_else(|| format!("status.{status}")) }, ..self }
            }
        }
    }
}

/// A refused item back as a draft to correct: the server's errors, opened on the step of the
/// first one, under a new key (the corrected answers are another request). The door-step time
/// is kept unless the server refused the time itself.
fn corrected(mut draft: Draft, acceptance: Acceptance, errors: Vec<ProblemFieldError>, new_key: String) -> FieldItem {
    let request = serde_json::from_str(&acceptance.body).unwrap_or_else(|_| draft.request.clone());
    let time_refused = errors.iter().any(|e| e.field == "accepted_at");
    // A refused time is taken again on the acceptance step (which shows why).
    let first_step = if time_refused { Some(Step::Sign) } else { errors.iter().map(|e| step_of(&owner_of(&e.field, &request))).min() };
    draft.request = request;
    draft.step = first_step.unwrap_or(draft.step);
    draft.server_errors = errors;
    draft.needs_correction = true;
    draft.idempotency_key = Some(new_key);
    FieldItem { draft, state: ItemState::Draft { accepted_at: (!time_refused).then_some(acceptance.accepted_at) } }
}

/// The queued items, oldest acceptance first.
pub fn in_push_order(items: &[FieldItem]) -> Vec<FieldItem> {
    let mut queued: Vec<FieldItem> = items.iter().filter(|i| matches!(i.state, ItemState::Queued(_))).cloned().collect();
    queued.sort_by_key(|i| (i.accepted_at(), i.draft.id.clone()));
    queued
}

/// The item of `draft` accepted at `accepted_at` as the request `body`, its receipt code (the
/// SHA-256 of the body) taken.
pub async fn accepted(draft: Draft, accepted_at: DateTime<Utc>, body: String) -> FieldItem {
    let hash = crate::outbox::sha256_hex(&body).await.unwrap_or_default();
    FieldItem { draft, state: ItemState::Queued(Acceptance { accepted_at, hash, body, uploaded: Vec::new() }) }
}

/// Stores `item`, sealed.
pub async fn save(item: &FieldItem) -> Result<(), vault::VaultError> {
    vault::put_item(&item.draft.id, item.unsent(), item).await
}

/// What one sync did.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SyncReport {
    /// The server could not be reached: the items wait.
    pub offline: bool,
    /// The device's clock minus the server's, in seconds (from the last answer).
    pub clock_offset: Option<i64>,
}

#[derive(Deserialize)]
struct PushAnswer {
    results: Vec<PushResult>,
    server_time: Option<DateTime<Utc>>,
}

#[derive(Deserialize)]
struct PushResult {
    key: String,
    status: u16,
    body: Value,
}

/// The reason kept with a stuck item: the server's code, or `status.<n>`.
fn reason_of(e: &ApiError) -> String {
    match e {
        ApiError::Problem(p) if !p.code.is_empty() => p.code.clone(),
        e => format!("status.{}", e.status().unwrap_or(0)),
    }
}

/// Uploads the photos of `acceptance` the server does not have yet, as the staff member `token`;
/// each one's server id is kept with the item at once. A photo no longer on the device goes
/// under its device id: the server names it unknown and the item comes back to correct.
async fn send_photos(item: &FieldItem, acceptance: &mut Acceptance, token: &str, lang: Lang) -> Result<(), ApiError> {
    for id in acceptance.photos_to_send() {
        let Some((name, bytes)) = vault::file(&id).await else { continue };
        let blob =
            web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(bytes.as_slice()))).map_err(|_| ApiError::Network)?;
        let uploaded = api::upload_attachment(&blob, &name, &id, Some(token), lang).await?;
        acceptance.uploaded.push((id, uploaded.id));
        let _ = save(&FieldItem { state: ItemState::Queued(acceptance.clone()), ..item.clone() }).await;
    }
    Ok(())
}

/// Pushes every queued item, batch by batch, each one's photos first; each answered item is
/// stored with its verdict before the next batch goes (an answer lost on the way is asked for
/// again under the same keys).
pub async fn sync(session: Session, lang: Lang, device_id: &str) -> SyncReport {
    let mut report = SyncReport::default();
    let Ok(items) = vault::items::<FieldItem>().await else { return report };
    for batch in in_push_order(&items).chunks(BATCH) {
        let Some(token) = session.current.get_untracked().map(|s| s.token) else { return report };
        let mut ready = Vec::with_capacity(batch.len());
        for item in batch {
            let ItemState::Queued(acceptance) = &item.state else { continue };
            let mut acceptance = acceptance.clone();
            match send_photos(item, &mut acceptance, &token, lang).await {
                Ok(()) => ready.push(FieldItem { state: ItemState::Queued(acceptance), ..item.clone() }),
                Err(ApiError::Network) => {
                    report.offline = true;
                    return report;
                }
                Err(e) => {
                    let _ = save(&FieldItem { state: ItemState::Stuck { acceptance, reason: reason_of(&e) }, ..item.clone() }).await;
                }
            }
        }
        let pushed: Vec<Value> = ready
            .iter()
            .filter_map(|item| match &item.state {
                ItemState::Queued(a) => Some(json!({"key": item.key(), "kind": "application", "body": a.pushed_body()?})),
                _ => None,
            })
            .collect();
        if pushed.is_empty() {
            continue;
        }
        let body = json!({"device_id": device_id, "items": pushed}).to_string();
        let answer = api::staff_call::<PushAnswer>(Method::POST, "/api/sync/push", &token, Some(body), lang).await;
        if matches!(&answer, Err(e) if e.status() == Some(401)) {
            // The session ended on the server: the login comes back, the items wait (stuck, with why).
            session.end();
        }
        let answer = match answer {
            Ok(answer) => answer,
            Err(ApiError::Network) => {
                report.offline = true;
                return report;
            }
            Err(e) => {
                let reason = reason_of(&e);
                for item in &ready {
                    if let ItemState::Queued(a) = &item.state {
                        let _ = save(&FieldItem { state: ItemState::Stuck { acceptance: a.clone(), reason: reason.clone() }, ..item.clone() }).await;
                    }
                }
                return report;
            }
        };
        report.clock_offset = answer.server_time.map(|server| (Utc::now() - server).num_seconds());
        let answered: Vec<FieldItem> = answer
            .results
            .into_iter()
            .filter_map(|result| {
                let item = ready.iter().find(|i| i.key() == result.key)?;
                Some(item.clone().answered(result.status, result.body, uuid_v4(crate::dom::random_bytes())))
            })
            .collect();
        // The batch's verdicts in one write: if it fails, the items stay queued and the next
        // sync asks again under the same keys.
        let stored: Vec<(&str, bool, &FieldItem)> = answered.iter().map(|item| (item.draft.id.as_str(), item.unsent(), item)).collect();
        if vault::put_items(&stored).await.is_err() {
            continue;
        }
        for item in &answered {
            if let ItemState::Accepted { acceptance, .. } = &item.state {
                // The server has the photos with the application: they leave the device.
                for (device_id, _) in &acceptance.uploaded {
                    vault::delete_file(device_id).await;
                }
            }
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn queued(id: &str, at: &str) -> FieldItem {
        let mut draft = Draft::new();
        draft.id = id.into();
        draft.idempotency_key = Some(format!("key-{id}"));
        let accepted_at = at.parse().unwrap();
        FieldItem { draft, state: ItemState::Queued(Acceptance { accepted_at, hash: "h".into(), body: "{}".into(), uploaded: Vec::new() }) }
    }

    #[test]
    fn items_are_pushed_in_the_order_they_were_accepted_and_drafts_wait() {
        let mut draft = queued("c", "2026-12-01T08:00:00Z");
        draft.state = ItemState::Draft { accepted_at: None };
        let items = [queued("b", "2026-12-01T10:00:00Z"), draft, queued("a", "2026-12-01T09:00:00Z")];
        let ids: Vec<String> = in_push_order(&items).into_iter().map(|i| i.draft.id).collect();
        assert_eq!(ids, ["a", "b"]);
    }

    #[test]
    fn each_answer_sets_the_items_state() {
        let item = queued("a", "2026-12-01T09:00:00Z");
        let created = json!({"id": "x", "number": "TN-1", "status": "submitted", "registered_on": "2026-12-01", "due_on": "2026-12-22", "tracking_token": "t"});
        let accepted = item.clone().answered(201, created, "new".into());
        assert!(matches!(&accepted.state, ItemState::Accepted { number, .. } if number == "TN-1"));
        assert!(!accepted.unsent());

        let refused = json!({"type": "t", "title": "t", "status": 422, "code": "validation.failed",
            "errors": [{"field": "applicant.last_name", "code": "required", "message": "m"}]});
        let corrected = item.clone().answered(422, refused, "new".into());
        assert_eq!(corrected.state, ItemState::Draft { accepted_at: Some("2026-12-01T09:00:00Z".parse().unwrap()) }, "the door-step time is kept");
        assert!(corrected.draft.needs_correction && corrected.unsent());
        assert_eq!(corrected.draft.idempotency_key.as_deref(), Some("new"), "corrected answers go under a new key");
        assert_eq!(corrected.draft.step, crate::form::Step::Applicant, "opened on the step of the first error");

        let late = json!({"status": 422, "code": "validation.failed", "title": "t", "type": "t", "errors": [{"field": "accepted_at", "code": "accepted_at.future", "message": "m"}]});
        let late = item.clone().answered(422, late, "new".into());
        assert_eq!((late.state, late.draft.step), (ItemState::Draft { accepted_at: None }, crate::form::Step::Sign), "a refused time is taken again");

        let conflict = json!({"status": 409, "code": "idempotency.conflict", "title": "t", "type": "t"});
        assert!(matches!(item.clone().answered(409, conflict, "new".into()).state, ItemState::Conflict { code, .. } if code == "idempotency.conflict"));
        assert!(matches!(item.answered(503, Value::Null, "new".into()).state, ItemState::Stuck { reason, .. } if reason == "status.503"));
    }

    #[test]
    fn photos_kept_on_the_device_are_sent_once_and_pushed_under_the_servers_ids() {
        let body = json!({"attachments": [{"kind": "original_document", "id": "device:a"}, {"kind": "power_of_attorney", "id": "device:b"}]});
        let mut acceptance = Acceptance { accepted_at: Utc::now(), hash: "h".into(), body: body.to_string(), uploaded: Vec::new() };
        assert_eq!(acceptance.photos_to_send(), ["device:a", "device:b"]);
        acceptance.uploaded.push(("device:a".into(), "server-a".into()));
        assert_eq!(acceptance.photos_to_send(), ["device:b"], "an uploaded photo is not sent again");
        let pushed = acceptance.pushed_body().unwrap();
        assert_eq!(pushed["attachments"][0]["id"], "server-a");
        assert_eq!(pushed["attachments"][1]["id"], "device:b", "one not uploaded keeps its device id (the server names it unknown)");
        let stored: Acceptance = serde_json::from_value(json!({"accepted_at": "2026-12-01T09:00:00Z", "hash": "h", "body": "{}"})).unwrap();
        assert!(stored.uploaded.is_empty(), "items queued before photos were kept still open");
    }
}
