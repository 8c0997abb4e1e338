//! The app's IndexedDB database `telnuska`: the drafts ([`crate::drafts`]), the applications
//! waiting to be sent ([`crate::outbox`]), those sent from this device ([`crate::submitted`]) and
//! the chosen language ([`crate::i18n`]), each in a store of its own. Values are stored as plain
//! JS objects (JSON-shaped) so they survive app updates and are easy to inspect.

use std::cell::RefCell;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

use crate::api::json_field;
use crate::idb::{self, Database};

const DB_NAME: &str = "telnuska";
/// 1: drafts, submitted; 2: + outbox; 3: + settings.
const DB_VERSION: u32 = 3;
/// Drafts, keyed by draft id.
pub const DRAFTS: &str = "drafts";
/// Applications sent from this device, keyed by application id.
pub const SUBMITTED: &str = "submitted";
/// Applications waiting to be sent, keyed by idempotency key.
pub const OUTBOX: &str = "outbox";
/// The person's settings, keyed by name (`lang`: the chosen language, read by `boot.js`).
pub const SETTINGS: &str = "settings";

thread_local! {
    /// One connection for the page: transactions on one connection run in the order they were
    /// made, so a late draft save can never overwrite the clearing that followed it. An opened
    /// handle, not reactive state: it is needed by tasks that run outside any component (the
    /// outbox's retries, autosave after the form has gone), so no context could own it.
    static CONNECTION: RefCell<Option<Database>> = const { RefCell::new(None) };
}

async fn database() -> Result<Database, String> {
    if let Some(db) = CONNECTION.with_borrow(Clone::clone) {
        return Ok(db);
    }
    // Stores are only ever added: an upgrade keeps every draft and queued application.
    let db = idb::open(DB_NAME, DB_VERSION, &[DRAFTS, SUBMITTED, OUTBOX, SETTINGS]).await?;
    CONNECTION.with_borrow_mut(|slot| *slot = Some(db.clone()));
    Ok(db)
}

/// A value as the plain JS object it is stored as.
pub(crate) fn to_js<T: Serialize>(value: &T) -> Result<JsValue, String> {
    let json = serde_json::to_string(value).map_err(idb::err)?;
    js_sys::JSON::parse(&json).map_err(|_| "JSON.parse failed".to_string())
}

/// A stored value read back through serde.
pub(crate) fn from_js<T: DeserializeOwned>(value: &JsValue) -> Option<T> {
    let json = js_sys::JSON::stringify(value).ok()?.as_string()?;
    serde_json::from_str(&json).ok()
}

/// The text field `name` of a stored record. The two small records (sent and queued
/// applications) are read field by field: serde's code for them would be more of the download.
pub(crate) fn text(value: &JsValue, name: &str) -> Option<String> {
    json_field(value, name).as_string()
}

/// Stores `value` under `key` in `store_name`.
pub(crate) async fn put(store_name: &str, key: &str, value: JsValue) -> Result<(), String> {
    idb::put(&database().await?, store_name, key, value).await
}

/// Deletes the value under `key` in `store_name`.
pub(crate) async fn delete(store_name: &str, key: &str) -> Result<(), String> {
    idb::delete(&database().await?, store_name, key).await
}

/// Every value of `store_name` (none when the database cannot be opened).
pub(crate) async fn all(store_name: &str) -> Vec<JsValue> {
    let Ok(db) = database().await else { return Vec::new() };
    idb::all(&db, store_name).await.unwrap_or_default()
}

/// The value under `key` in `store_name`.
pub(crate) async fn get(store_name: &str, key: &str) -> Option<JsValue> {
    idb::get(&database().await.ok()?, store_name, key).await
}
