//! The browser's IndexedDB: the drafts (store `drafts`, keyed by draft id), the applications
//! waiting to be sent (store `outbox`, keyed by idempotency key) and those sent from this device
//! (store `submitted`, keyed by application id). Values are stored as plain JS objects
//! (JSON-shaped) so they survive app updates and are easy to inspect; [`space`] watches the room
//! left for them and [`download`] gives the person a copy of a draft.

pub mod download;
pub mod space;

use std::cell::RefCell;

use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;
use serde::Serialize;
use telnuska_shared::wire_time::parse_instant;
use wasm_bindgen::JsValue;

use crate::api::json_field;
use crate::form::Draft;
use crate::idb::{self, Database};
use crate::outbox::OutboxItem;

const DB_NAME: &str = "telnuska";
/// 1: drafts, submitted; 2: + outbox.
const DB_VERSION: u32 = 2;
const DRAFTS: &str = "drafts";
const SUBMITTED: &str = "submitted";
const OUTBOX: &str = "outbox";

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

/// The text field `name` of a stored record. The two small records ([`SubmittedRecord`],
/// [`OutboxItem`]) are read field by field: serde's code for them would be more of the download.
fn text(value: &JsValue, name: &str) -> Option<String> {
    json_field(value, name).as_string()
}

/// A stored [`OutboxItem`]; `None` if it lacks a field.
fn stored_item(value: JsValue) -> Option<OutboxItem> {
    let queued_at: DateTime<Utc> = parse_instant(&text(&value, "queued_at")?)?;
    Some(OutboxItem {
        key: text(&value, "key")?,
        body: text(&value, "body")?,
        lang: text(&value, "lang")?,
        queued_at,
        hash: text(&value, "hash")?,
        draft_id: text(&value, "draft_id"),
    })
}

thread_local! {
    /// One connection for the page: transactions on one connection run in the order they were
    /// made, so a late draft save can never overwrite the clearing that followed it.
    static CONNECTION: RefCell<Option<Database>> = const { RefCell::new(None) };
}

async fn database() -> Result<Database, String> {
    if let Some(db) = CONNECTION.with_borrow(Clone::clone) {
        return Ok(db);
    }
    // Stores are only ever added: an upgrade keeps every draft and queued application.
    let db = idb::open(DB_NAME, DB_VERSION, &[DRAFTS, SUBMITTED, OUTBOX]).await?;
    CONNECTION.with_borrow_mut(|slot| *slot = Some(db.clone()));
    Ok(db)
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, String> {
    let json = serde_json::to_string(value).map_err(idb::err)?;
    js_sys::JSON::parse(&json).map_err(|_| "JSON.parse failed".to_string())
}

fn from_js<T: DeserializeOwned>(value: &JsValue) -> Option<T> {
    let json = js_sys::JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}

async fn put(store_name: &str, key: &str, value: JsValue) -> Result<(), String> {
    idb::put(&database().await?, store_name, key, value).await
}

async fn delete(store_name: &str, key: &str) -> Result<(), String> {
    idb::delete(&database().await?, store_name, key).await
}

async fn all(store_name: &str) -> Vec<JsValue> {
    let Ok(db) = database().await else { return Vec::new() };
    idb::all(&db, store_name).await.unwrap_or_default()
}

async fn get(store_name: &str, key: &str) -> Option<JsValue> {
    idb::get(&database().await.ok()?, store_name, key).await
}

/// Every stored draft this version can read, migrated to its shape (a draft of a newer shape
/// stays stored, untouched).
pub async fn load_drafts() -> Vec<Draft> {
    all(DRAFTS).await.iter().filter_map(from_js::<Draft>).filter_map(Draft::restored).collect()
}

/// One draft, migrated.
pub async fn load_draft(id: &str) -> Option<Draft> {
    from_js::<Draft>(&get(DRAFTS, id).await?)?.restored()
}

/// Stores the draft under its id. A failure (storage full, private mode) is reported to the
/// person ([`space::write_failed`]) and returned.
pub async fn save_draft(draft: &Draft) -> Result<(), String> {
    let result = put(DRAFTS, &draft.id, to_js(draft)?).await;
    space::written(result.is_ok());
    result
}

/// Deletes a draft (the person asked to, or its application was accepted).
pub async fn delete_draft(id: &str) -> Result<(), String> {
    delete(DRAFTS, id).await
}

/// Keeps what is needed to track a sent application.
pub async fn remember_submitted(record: &SubmittedRecord) -> Result<(), String> {
    put(SUBMITTED, &record.id, to_js(record)?).await
}

/// Every application sent from this device.
pub async fn submitted() -> Vec<SubmittedRecord> {
    all(SUBMITTED).await.into_iter().filter_map(SubmittedRecord::stored).collect()
}

/// The application sent from this device with the id `id`, or sent from the draft `id`.
pub async fn sent(id: &str) -> Option<SubmittedRecord> {
    submitted().await.into_iter().find(|r| r.id == id || r.draft_id == id)
}

/// Queues an application (before the first attempt to send it).
pub async fn put_outbox(item: &OutboxItem) -> Result<(), String> {
    let result = put(OUTBOX, &item.key, to_js(item)?).await;
    space::written(result.is_ok());
    result
}

/// Removes an application from the queue once the server has answered for good.
pub async fn delete_outbox(key: &str) -> Result<(), String> {
    delete(OUTBOX, key).await
}

/// The queued applications, oldest first (an insertion by time: the queue is short).
pub async fn outbox() -> Vec<OutboxItem> {
    let mut items: Vec<OutboxItem> = Vec::new();
    for item in all(OUTBOX).await.into_iter().filter_map(stored_item) {
        let at = items.iter().position(|i| i.queued_at > item.queued_at).unwrap_or(items.len());
        items.insert(at, item);
    }
    items
}
