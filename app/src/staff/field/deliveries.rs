//! Results the field worker takes to applicants' homes (issue 18): field applications whose
//! duplicate waits at ЦОН, listed while online and kept sealed on the device; the hand-over at the
//! door is recorded offline with the document shown and the device's time, queued under its own
//! key, and pushed as an action item (`POST /api/sync/push`, `kind: "action"`) with the stage the
//! device saw. Each shows the server's verdict: done (with both times), to correct, or a conflict
//! the server explains (the application moved on meanwhile), kept until the worker has read it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use telnuska_shared::api::{ApplicationStatus, ApplicationView, Channel, DeviceActionFacts, PresentedDocumentInput, Problem, ProblemFieldError};
use telnuska_shared::i18n::Lang;
use telnuska_shared::workflow::Action;

use crate::api::{self, ApiError, Method};
use crate::staff::field::vault;

/// Pages of the work queue read at most when listing what to deliver (100 each).
const MAX_PAGES: usize = 10;

/// A hand-over recorded on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandOver {
    /// The idempotency key it is pushed under.
    pub key: String,
    /// When it was done, by the device's clock.
    pub performed_at: DateTime<Utc>,
    /// The document shown.
    pub presented: PresentedDocumentInput,
}

/// Where a delivery stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting at ЦОН, to be taken to the applicant.
    ToDeliver,
    /// Handed over at the door, waiting for the server.
    Queued(HandOver),
    /// Recorded by the server at `recorded_at`.
    Done {
        /// The hand-over.
        hand_over: HandOver,
        /// The server's time of recording it.
        recorded_at: DateTime<Utc>,
    },
    /// The server refused what was typed (the document's number, the device's time).
    Correction {
        /// The hand-over.
        hand_over: HandOver,
        /// The server's errors.
        errors: Vec<ProblemFieldError>,
    },
    /// The server refused it for the application's state: its words, kept until read.
    Conflict {
        /// The hand-over.
        hand_over: HandOver,
        /// The server's code (`sync.stale`, `workflow.*`).
        code: String,
        /// The server's explanation, in the worker's language.
        explanation: String,
    },
    /// Not delivered for another reason (an ended session, a server fault): tried again.
    Stuck {
        /// The hand-over.
        hand_over: HandOver,
        /// The server's code, or `status.<n>`.
        reason: String,
    },
}

/// One result to hand over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    /// The application's id.
    pub id: String,
    /// Its number.
    pub number: String,
    /// Who it is for.
    pub applicant: String,
    /// Where they live, when the application gave it.
    #[serde(default)]
    pub address: Option<String>,
    /// The stage the device saw it at when listed.
    pub seen_status: ApplicationStatus,
    /// Where it stands.
    pub state: DeliveryState,
}

impl Delivery {
    /// Whether something recorded on the device has not been acknowledged (a wipe would lose it).
    pub fn unsent(&self) -> bool {
        !matches!(self.state, DeliveryState::ToDeliver | DeliveryState::Done { .. })
    }

    /// The hand-over recorded, if any.
    pub fn hand_over(&self) -> Option<&HandOver> {
        match &self.state {
            DeliveryState::ToDeliver => None,
            DeliveryState::Queued(h)
            | DeliveryState::Done { hand_over: h, .. }
            | DeliveryState::Correction { hand_over: h, .. }
            | DeliveryState::Conflict { hand_over: h, .. }
            | DeliveryState::Stuck { hand_over: h, .. } => Some(h),
        }
    }

    /// Whether the worker may record (again) the hand-over: not yet done, or refused for what
    /// was typed.
    pub fn may_hand_over(&self) -> bool {
        matches!(self.state, DeliveryState::ToDeliver | DeliveryState::Correction { .. })
    }

    /// The hand-over done at `now` against `presented`: a new key; a correction keeps the time
    /// of the hand-over unless the server refused that time.
    pub fn handed_over(self, presented: PresentedDocumentInput, now: DateTime<Utc>, key: String) -> Delivery {
        let performed_at = match &self.state {
            DeliveryState::Correction { hand_over, errors } if !errors.iter().any(|e| e.field == "performed_at") => hand_over.performed_at,
            _ => now,
        };
        Delivery { state: DeliveryState::Queued(HandOver { key, performed_at, presented }), ..self }
    }

    /// The action item it is pushed as.
    pub fn item(&self) -> Option<Value> {
        let DeliveryState::Queued(h) = &self.state else { return None };
        let device = DeviceActionFacts { performed_at: Some(h.performed_at), expected_status: Some(self.seen_status), presented: Some(h.presented.clone()) };
        let mut body = serde_json::to_value(Action::HandOver).ok()?;
        body["application_id"] = json!(self.id);
        body.as_object_mut()?.extend(serde_json::to_value(device).ok()?.as_object()?.clone());
        Some(json!({"key": h.key, "kind": "action", "body": body}))
    }

    /// Takes the server's answer to its push.
    pub fn answered(self, status: u16, body: Value) -> Delivery {
        let Some(hand_over) = self.hand_over().cloned() else { return self };
        let problem = || serde_json::from_value::<Problem>(body.clone()).ok();
        let state = match status {
            200 => match serde_json::from_value::<ApplicationView>(body.clone()) {
                Ok(view) => {
                    let recorded_at = view.history.iter().rev().find(|e| e.status == ApplicationStatus::Issued).map_or_else(Utc::now, |e| e.at);
                    DeliveryState::Done { hand_over, recorded_at }
                }
                Err(_) => DeliveryState::Stuck { hand_over, reason: "status.200".into() },
            },
            422 => DeliveryState::Correction { hand_over, errors: problem().map(|p| p.errors).unwrap_or_default() },
            409 => {
                let p = problem();
                DeliveryState::Conflict {
                    hand_over,
                    code: p.as_ref().map(|p| p.code.clone()).unwrap_or_default(),
                    explanation: p.map(|p| p.title).unwrap_or_default(),
                }
            }
            _ => DeliveryState::Stuck { hand_over, reason: problem().map(|p| p.code).filter(|c| !c.is_empty()).unwrap_or_else(|| format!("status.{status}")) },
        };
        Delivery { state, ..self }
    }
}

/// Stores `delivery`, sealed.
pub async fn save(delivery: &Delivery) -> Result<(), vault::VaultError> {
    vault::put_delivery(&delivery.id, delivery.unsent(), delivery).await
}

/// The deliveries on the device, in the order they were handed over, those to do first.
pub async fn on_device() -> Vec<Delivery> {
    let mut all: Vec<Delivery> = vault::deliveries().await.unwrap_or_default();
    all.sort_by(|a, b| (a.hand_over().map(|h| h.performed_at), &a.number).cmp(&(b.hand_over().map(|h| h.performed_at), &b.number)));
    all
}

#[derive(Deserialize)]
struct Page {
    items: Vec<Listed>,
    next_cursor: Option<String>,
}

#[derive(Deserialize)]
struct Listed {
    id: String,
    number: String,
    channel: Channel,
    status: ApplicationStatus,
    request: ListedRequest,
}

#[derive(Deserialize)]
struct ListedRequest {
    applicant: ListedPerson,
}

#[derive(Deserialize)]
struct ListedPerson {
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    patronymic: Option<String>,
    #[serde(default)]
    address: Option<String>,
}

/// The field applications whose result waits at ЦОН, read from the work queue.
async fn waiting_at_con(token: &str, lang: Lang) -> Result<Vec<Delivery>, ApiError> {
    let mut found = Vec::new();
    let mut cursor: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let path = match &cursor {
            Some(c) => format!("/api/applications?status=at_con&limit=100&cursor={}", js_sys::encode_uri_component(c)),
            None => "/api/applications?status=at_con&limit=100".to_string(),
        };
        let page = api::staff_call::<Page>(Method::GET, &path, token, None, lang).await?;
        found.extend(page.items.into_iter().filter(|l| l.channel == Channel::Field && l.status == ApplicationStatus::AtCon).map(|l| {
            let p = l.request.applicant;
            let applicant = [p.last_name.as_str(), p.first_name.as_str(), p.patronymic.as_deref().unwrap_or_default()].join(" ").trim().to_string();
            Delivery { id: l.id, number: l.number, applicant, address: p.address, seen_status: l.status, state: DeliveryState::ToDeliver }
        }));
        match page.next_cursor {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(found)
}

/// Lists what waits at ЦОН for the worker to take home: new ones are kept; one still to deliver
/// that no longer waits (handed over at the counter) leaves the device, since nothing was done
/// on it. What the worker recorded stays whatever the list says.
pub async fn refresh(token: &str, lang: Lang) -> Result<(), ApiError> {
    let listed = waiting_at_con(token, lang).await?;
    let kept = on_device().await;
    for delivery in &listed {
        if !kept.iter().any(|k| k.id == delivery.id) {
            let _ = save(delivery).await;
        }
    }
    for delivery in kept.iter().filter(|k| k.state == DeliveryState::ToDeliver && !listed.iter().any(|l| l.id == k.id)) {
        vault::delete_delivery(&delivery.id).await;
    }
    Ok(())
}

#[derive(Deserialize)]
struct PushAnswer {
    results: Vec<PushResult>,
}

#[derive(Deserialize)]
struct PushResult {
    key: String,
    status: u16,
    body: Value,
}

/// Pushes the queued hand-overs in the order they were done, each under its key; each answer is
/// stored at once. `Err` when the server could not be reached (they wait).
pub async fn push(token: &str, lang: Lang, device_id: &str) -> Result<(), ApiError> {
    let queued: Vec<Delivery> = on_device().await.into_iter().filter(|d| matches!(d.state, DeliveryState::Queued(_))).collect();
    for batch in queued.chunks(super::queue::BATCH) {
        let items: Vec<Value> = batch.iter().filter_map(Delivery::item).collect();
        let body = json!({"device_id": device_id, "items": items}).to_string();
        let answer = match api::staff_call::<PushAnswer>(Method::POST, "/api/sync/push", token, Some(body), lang).await {
            Ok(answer) => answer,
            Err(ApiError::Network) => return Err(ApiError::Network),
            Err(e) => {
                let reason = if let ApiError::Problem(p) = &e { p.code.clone() } else { format!("status.{}", e.status().unwrap_or(0)) };
                for d in batch {
                    if let Some(hand_over) = d.hand_over().cloned() {
                        let _ = save(&Delivery { state: DeliveryState::Stuck { hand_over, reason: reason.clone() }, ..d.clone() }).await;
                    }
                }
                return Err(e);
            }
        };
        for result in answer.results {
            if let Some(d) = batch.iter().find(|d| d.hand_over().is_some_and(|h| h.key == result.key)) {
                let _ = save(&d.clone().answered(result.status, result.body)).await;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery() -> Delivery {
        Delivery {
            id: "app-1".into(),
            number: "TN-2026-000001".into(),
            applicant: "Сейітқали Әсел".into(),
            address: None,
            seen_status: ApplicationStatus::AtCon,
            state: DeliveryState::ToDeliver,
        }
    }

    fn card() -> PresentedDocumentInput {
        PresentedDocumentInput::Identity { document_type: "identity_card".into(), number: "012345678".into() }
    }

    #[test]
    fn a_hand_over_is_pushed_as_an_action_item_with_the_device_time_and_the_stage_seen() {
        let at: DateTime<Utc> = "2026-12-02T09:15:00Z".parse().unwrap();
        let queued = delivery().handed_over(card(), at, "k-1".into());
        assert!(queued.unsent() && !queued.may_hand_over());
        let item = queued.item().unwrap();
        assert_eq!(item["key"], "k-1");
        assert_eq!(item["kind"], "action");
        let body = &item["body"];
        assert_eq!(
            (body["application_id"].as_str(), body["action"].as_str(), body["expected_status"].as_str()),
            (Some("app-1"), Some("hand_over"), Some("at_con"))
        );
        assert_eq!(body["performed_at"].as_str().map(|s| s.parse::<DateTime<Utc>>().unwrap()), Some(at));
        assert_eq!(body["presented"]["number"], "012345678");
        assert!(delivery().item().is_none(), "nothing to push before the hand-over");
    }

    #[test]
    fn each_answer_sets_the_delivery_and_a_conflict_keeps_the_servers_words() {
        let at: DateTime<Utc> = "2026-12-02T09:15:00Z".parse().unwrap();
        let queued = delivery().handed_over(card(), at, "k-1".into());

        let refused = json!({"type": "t", "title": "t", "status": 422, "code": "validation.failed",
            "errors": [{"field": "presented.number", "code": "hand_over.number", "message": "m"}]});
        let correction = queued.clone().answered(422, refused);
        assert!(matches!(&correction.state, DeliveryState::Correction { errors, .. } if errors[0].code == "hand_over.number"));
        assert!(correction.unsent() && correction.may_hand_over());
        let again = correction.handed_over(card(), at + chrono::Duration::hours(3), "k-2".into());
        assert_eq!(again.hand_over().map(|h| (h.key.as_str(), h.performed_at)), Some(("k-2", at)), "the door-step time is kept, under a new key");

        let stale = json!({"type": "t", "title": "Not recorded. Since this device last saw it…", "status": 409, "code": "sync.stale"});
        let conflict = queued.clone().answered(409, stale);
        assert!(
            matches!(&conflict.state, DeliveryState::Conflict { code, explanation, .. } if code == "sync.stale" && explanation.starts_with("Not recorded"))
        );
        assert!(conflict.unsent() && !conflict.may_hand_over(), "kept until dismissed, never sent again");

        assert!(matches!(queued.clone().answered(503, Value::Null).state, DeliveryState::Stuck { reason, .. } if reason == "status.503"));
        assert_eq!(delivery().answered(200, Value::Null), delivery(), "an answer to nothing sent changes nothing");
    }
}
