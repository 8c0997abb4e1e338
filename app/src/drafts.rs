//! The browser's IndexedDB: the draft being typed (store `drafts`, key `current`) and the
//! applications sent from this device (store `submitted`, keyed by application id). Values are
//! stored as plain JS objects (JSON-shaped) so they survive app updates and are easy to inspect.

use std::cell::RefCell;

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsValue;

use crate::form::Draft;

const DB_NAME: &str = "telnuska";
const DB_VERSION: u32 = 1;
const DRAFTS: &str = "drafts";
const SUBMITTED: &str = "submitted";
const CURRENT: &str = "current";

/// What the device keeps of an application it has sent, to track it later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmittedRecord {
    /// Application id (the key).
    pub id: String,
    /// Human-readable number.
    pub number: String,
    /// Bearer token for `GET /api/applications/{id}`.
    pub tracking_token: String,
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
    let db = Database::open(DB_NAME)
        .with_version(DB_VERSION)
        .with_on_upgrade_needed(|_event, db| {
            let existing: Vec<String> = db.object_store_names().collect();
            for store in [DRAFTS, SUBMITTED] {
                if !existing.iter().any(|name| name == store) {
                    db.create_object_store(store).build()?;
                }
            }
            Ok(())
        })
        .await
        .map_err(|e| e.to_string())?;
    CONNECTION.with_borrow_mut(|slot| *slot = Some(db.clone()));
    Ok(db)
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, String> {
    let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
    js_sys::JSON::parse(&json).map_err(|_| "JSON.parse failed".to_string())
}

fn from_js<T: DeserializeOwned>(value: &JsValue) -> Option<T> {
    let json = js_sys::JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}

async fn put(store_name: &str, key: &str, value: JsValue) -> Result<(), String> {
    let db = database().await?;
    let tx = db.transaction(store_name).with_mode(TransactionMode::Readwrite).build().map_err(|e| e.to_string())?;
    let store = tx.object_store(store_name).map_err(|e| e.to_string())?;
    store.put(value).with_key(key.to_string()).primitive().map_err(|e| e.to_string())?.await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

/// The stored draft, if there is one of this form's shape.
pub async fn load_draft() -> Option<Draft> {
    let db = database().await.ok()?;
    let tx = db.transaction(DRAFTS).build().ok()?;
    let store = tx.object_store(DRAFTS).ok()?;
    let value: Option<JsValue> = store.get(CURRENT).primitive().ok()?.await.ok()?;
    from_js::<Draft>(&value?)?.restored()
}

/// Stores the draft over the previous one.
pub async fn save_draft(draft: &Draft) -> Result<(), String> {
    put(DRAFTS, CURRENT, to_js(draft)?).await
}

/// Removes the draft once its application has been sent.
pub async fn clear_draft() -> Result<(), String> {
    let db = database().await?;
    let tx = db.transaction(DRAFTS).with_mode(TransactionMode::Readwrite).build().map_err(|e| e.to_string())?;
    let store = tx.object_store(DRAFTS).map_err(|e| e.to_string())?;
    store.delete(CURRENT).primitive().map_err(|e| e.to_string())?.await.map_err(|e| e.to_string())?;
    tx.commit().await.map_err(|e| e.to_string())
}

/// Keeps what is needed to track a sent application.
pub async fn remember_submitted(record: &SubmittedRecord) -> Result<(), String> {
    put(SUBMITTED, &record.id, to_js(record)?).await
}
