//! The IndexedDB primitives of the app's databases: opening one (stores are only ever added on
//! an upgrade, so nothing stored is lost), and reading, writing and deleting one value by key.
//! Each database keeps its own policy on connections ([`crate::drafts`] keeps one open for the
//! page; [`crate::reference_cache`] opens one when needed).
//!
//! Written on the browser's own API (`web-sys`): each request's outcome is a promise whose
//! `resolve` and `reject` are the request's event listeners. A wrapper crate cost the citizen's
//! download about 14 KB brotli (its futures, a channel crate and its error texts, which format
//! numbers with the float formatting of `core`).

use js_sys::{Array, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, Event, EventTarget, IdbObjectStore, IdbOpenDbRequest, IdbRequest, IdbTransaction, IdbTransactionMode};

pub use web_sys::IdbDatabase as Database;

/// An IndexedDB error as the text the callers pass on.
pub fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// What the browser refused, as text: a `DOMException`'s name and message.
fn refusal(error: impl Into<JsValue>) -> String {
    match error.into().dyn_into::<DomException>() {
        Ok(e) => format!("{}: {}", e.name(), e.message()),
        Err(_) => "IndexedDB refused".to_string(),
    }
}

/// Settles once `target` fires `done` (`Ok`) or `failed` (`Err`). The listeners are in place
/// when this returns, before any event of the current task can fire.
fn outcome(target: &EventTarget, done: &str, failed: &str) -> JsFuture {
    JsFuture::from(Promise::new(&mut |resolve, reject| {
        let _ = target.add_event_listener_with_callback(done, &resolve);
        let _ = target.add_event_listener_with_callback(failed, &reject);
    }))
}

/// The result of `request`, once it has succeeded.
async fn result(request: &IdbRequest) -> Result<JsValue, String> {
    match outcome(request, "success", "error").await {
        Ok(_) => request.result().map_err(refusal),
        Err(_) => Err(refusal(request.error().ok().flatten())),
    }
}

/// A transaction over `store_name` alone, and that store.
fn transaction(db: &Database, store_name: &str, mode: IdbTransactionMode) -> Result<(IdbTransaction, IdbObjectStore), String> {
    let tx = db.transaction_with_str_and_mode(store_name, mode).map_err(refusal)?;
    let store = tx.object_store(store_name).map_err(refusal)?;
    Ok((tx, store))
}

/// Runs `request`, the one write of `tx`: `Ok` once `tx` has committed it (it commits by itself
/// when its last request is done), so the write is durable.
async fn write(tx: IdbTransaction, request: Result<IdbRequest, JsValue>) -> Result<(), String> {
    let committed = outcome(&tx, "complete", "abort");
    result(&request.map_err(refusal)?).await?;
    committed.await.map(drop).map_err(|_| refusal(tx.error()))
}

/// Opens database `name` at `version`, creating those of `stores` it does not have yet.
pub async fn open(name: &str, version: u32, stores: &'static [&'static str]) -> Result<Database, String> {
    let factory = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()).ok_or("IndexedDB is unavailable")?;
    let request = factory.open_with_u32(name, version).map_err(refusal)?;
    let upgrade = Closure::<dyn FnMut(Event)>::new(move |event: Event| {
        let Some(request) = event.target().and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok()) else { return };
        let Ok(db) = request.result().and_then(JsCast::dyn_into::<Database>) else { return };
        let existing = db.object_store_names();
        // A store that cannot be made fails the upgrade, and with it the opening.
        if stores.iter().any(|store| !existing.contains(store) && db.create_object_store(store).is_err()) {
            if let Some(tx) = request.transaction() {
                let _ = tx.abort();
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = result(&request).await;
    request.set_onupgradeneeded(None);
    opened.map(JsCast::unchecked_into)
}

/// Stores `value` under `key` in `store_name`, over what was there.
pub async fn put(db: &Database, store_name: &str, key: &str, value: JsValue) -> Result<(), String> {
    let (tx, store) = transaction(db, store_name, IdbTransactionMode::Readwrite)?;
    let request = store.put_with_key(&value, &JsValue::from_str(key));
    write(tx, request).await
}

/// Stores each value under its key in `store_name`, all in one transaction: `Ok` once it
/// committed them all; if one is refused, none is kept.
pub async fn put_all(db: &Database, store_name: &str, entries: Vec<(String, JsValue)>) -> Result<(), String> {
    let (tx, store) = transaction(db, store_name, IdbTransactionMode::Readwrite)?;
    let committed = outcome(&tx, "complete", "abort");
    for (key, value) in entries {
        if let Err(e) = store.put_with_key(&value, &JsValue::from_str(&key)) {
            let _ = tx.abort();
            return Err(refusal(e));
        }
    }
    committed.await.map(drop).map_err(|_| refusal(tx.error()))
}

/// Deletes the value under `key` in `store_name`.
pub async fn delete(db: &Database, store_name: &str, key: &str) -> Result<(), String> {
    let (tx, store) = transaction(db, store_name, IdbTransactionMode::Readwrite)?;
    let request = store.delete(&JsValue::from_str(key));
    write(tx, request).await
}

/// The value under `key` in `store_name`, if any.
pub async fn get(db: &Database, store_name: &str, key: &str) -> Option<JsValue> {
    let (_, store) = transaction(db, store_name, IdbTransactionMode::Readonly).ok()?;
    let value = result(&store.get(&JsValue::from_str(key)).ok()?).await.ok()?;
    (!value.is_undefined() && !value.is_null()).then_some(value)
}

/// Every value of `store_name`.
pub async fn all(db: &Database, store_name: &str) -> Result<Vec<JsValue>, String> {
    let (_, store) = transaction(db, store_name, IdbTransactionMode::Readonly)?;
    let values = result(&store.get_all().map_err(refusal)?).await?;
    Ok(Array::from(&values).iter().collect())
}
