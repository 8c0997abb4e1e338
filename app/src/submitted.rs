//! The applications sent from this device (store `submitted` of [`crate::database`], keyed by
//! application id): to track them later, to show a confirmation again, and to know that a
//! draft was sent.

use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::database::{self, text, SUBMITTED};

/// What the device keeps of an application it has sent, to track it later, to show its
/// confirmation again (`/sent/<id>`: the number and the tracking code), and to know that its
/// draft was sent (so that another tab of that draft says so instead of sending it again).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SubmittedRecord {
    /// Application id (the key).
    pub id: String,
    /// Human-readable number.
    pub number: String,
    /// Bearer token for `GET /api/applications/{id}` (empty when the answer did not carry it: a
    /// repeat of an application sent from another device).
    pub tracking_token: String,
    /// The draft it was sent from (absent for records kept before, and for look-ups).
    pub draft_id: String,
}

impl SubmittedRecord {
    /// The record of `created`, sent from draft `draft_id`.
    pub fn of(created: &telnuska_shared::api::CreatedApplication, draft_id: &str) -> Self {
        Self { id: created.id.clone(), number: created.number.clone(), tracking_token: created.tracking_token.clone(), draft_id: draft_id.into() }
    }

    /// A stored record; `None` if it lacks a field.
    fn stored(value: JsValue) -> Option<Self> {
        Some(Self {
            id: text(&value, "id")?,
            number: text(&value, "number")?,
            tracking_token: text(&value, "tracking_token")?,
            draft_id: text(&value, "draft_id").unwrap_or_default(),
        })
    }
}

/// Keeps what is needed to track a sent application.
pub async fn remember_submitted(record: &SubmittedRecord) -> Result<(), String> {
    database::put(SUBMITTED, &record.id, database::to_js(record)?).await
}

/// Every application sent from this device.
pub async fn submitted() -> Vec<SubmittedRecord> {
    database::all(SUBMITTED).await.into_iter().filter_map(SubmittedRecord::stored).collect()
}

/// The application sent from this device with the id `id`, or sent from the draft `id`.
pub async fn sent(id: &str) -> Option<SubmittedRecord> {
    submitted().await.into_iter().find(|r| r.id == id || r.draft_id == id)
}
