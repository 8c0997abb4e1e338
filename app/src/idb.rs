//! The IndexedDB primitives of the app's databases: opening one (stores are only ever added on
//! an upgrade, so nothing stored is lost), and reading, writing and deleting one value by key.
//! Each database keeps its own policy on connections ([`crate::drafts`] keeps one open for the
//! page; [`crate::reference_cache`] opens one when needed).
//!
//! Straight on the browser's API: each request or transaction is awaited as a promise whose
//! `resolve` and `reject` are its own event handlers. A wrapper crate would bring its own
//! channels and types into the download for these few calls.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{DomException, IdbRequest, IdbTransaction, IdbTransactionMode};

/// An open database.
pub type Database = web_sys::IdbDatabase;

/// An error as the text the callers pass on.
pub fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// What the browser said went wrong (`what` when it said nothing).
fn refused(error: Option<DomException>, what: &str) -> String {
    error.map_or_else(|| what.to_string(), |e| e.message())
}

/// Waits until `arm` has handed the promise's `resolve` or `reject` to an event that fired.
async fn settled(arm: impl FnOnce(&Function, &Function)) -> Result<JsValue, JsValue> {
    let mut arm = Some(arm);
    JsFuture::from(Promise::new(&mut |resolve, reject| {
        if let Some(arm) = arm.take() {
            arm(&resolve, &reject);
        }
    }))
    .await
}

/// Waits for `request` to succeed.
async fn done(request: &IdbRequest) -> Result<JsValue, String> {
    let outcome = settled(|ok, fail| {
        request.set_onsuccess(Some(ok));
        request.set_onerror(Some(fail));
    })
    .await;
    match outcome {
        Ok(_) => request.result().map_err(|_| "IndexedDB gave no result".to_string()),
        Err(_) => Err(refused(request.error().ok().flatten(), "IndexedDB request failed")),
    }
}

/// Waits for `tx` to be committed (what was written is on disk), or fails if it was aborted.
async fn committed(tx: &IdbTransaction) -> Result<(), String> {
    let outcome = settled(|ok, fail| {
        tx.set_oncomplete(Some(ok));
        tx.set_onerror(Some(fail));
        tx.set_onabort(Some(fail));
    })
    .await;
    outcome.map(drop).map_err(|_| refused(tx.error(), "IndexedDB transaction failed"))
}

/// Opens database `name` at `version`, creating those of `stores` it does not have yet.
pub async fn open(name: &str, version: u32, stores: &'static [&'static str]) -> Result<Database, String> {
    let factory = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()).ok_or("IndexedDB is not available")?;
    let request = factory.open_with_u32(name, version).map_err(|_| "IndexedDB refused to open".to_string())?;
    let upgrading = request.clone();
    let upgrade = Closure::<dyn FnMut()>::new(move || {
        let Ok(db) = upgrading.result().map(JsCast::unchecked_into::<Database>) else { return };
        let existing = db.object_store_names();
        for store in stores {
            if !existing.contains(store) {
                // A store that cannot be made fails the upgrade, and with it the opening.
                if db.create_object_store(store).is_err() {
                    if let Some(tx) = upgrading.transaction() {
                        let _ = tx.abort();
                    }
                    return;
                }
            }
        }
    });
    request.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let opened = done(&request).await;
    request.set_onupgradeneeded(None);
    Ok(opened?.unchecked_into())
}

/// Stores `value` under `key` in `store_name`, over what was there.
pub async fn put(db: &Database, store_name: &str, key: &str, value: JsValue) -> Result<(), String> {
    let tx = db.transaction_with_str_and_mode(store_name, IdbTransactionMode::Readwrite).map_err(|_| "no such store".to_string())?;
    tx.object_store(store_name).and_then(|store| store.put_with_key(&value, &JsValue::from_str(key))).map_err(|_| "IndexedDB refused to write".to_string())?;
    committed(&tx).await
}

/// Deletes the value under `key` in `store_name`.
pub async fn delete(db: &Database, store_name: &str, key: &str) -> Result<(), String> {
    let tx = db.transaction_with_str_and_mode(store_name, IdbTransactionMode::Readwrite).map_err(|_| "no such store".to_string())?;
    tx.object_store(store_name).and_then(|store| store.delete(&JsValue::from_str(key))).map_err(|_| "IndexedDB refused to delete".to_string())?;
    committed(&tx).await
}

/// The value under `key` in `store_name`, if any.
pub async fn get(db: &Database, store_name: &str, key: &str) -> Option<JsValue> {
    let request = db.transaction_with_str(store_name).and_then(|tx| tx.object_store(store_name)).and_then(|store| store.get(&JsValue::from_str(key))).ok()?;
    done(&request).await.ok().filter(|value| !value.is_undefined())
}

/// Every value of `store_name`.
pub async fn all(db: &Database, store_name: &str) -> Result<Vec<JsValue>, String> {
    let request = db
        .transaction_with_str(store_name)
        .and_then(|tx| tx.object_store(store_name))
        .and_then(|store| store.get_all())
        .map_err(|_| "IndexedDB refused to read".to_string())?;
    Ok(done(&request).await?.unchecked_into::<Array>().to_vec())
}
