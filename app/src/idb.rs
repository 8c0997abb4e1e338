//! The IndexedDB primitives of the app's databases: opening one (stores are only ever added on
//! an upgrade, so nothing stored is lost), and reading, writing and deleting one value by key.
//! Each database keeps its own policy on connections ([`crate::drafts`] keeps one open for the
//! page; [`crate::reference_cache`] opens one when needed).

pub use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use wasm_bindgen::JsValue;

/// An IndexedDB error as the text the callers pass on.
pub fn err(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Opens database `name` at `version`, creating those of `stores` it does not have yet.
pub async fn open(name: &str, version: u32, stores: &'static [&'static str]) -> Result<Database, String> {
    Database::open(name)
        .with_version(version)
        .with_on_upgrade_needed(move |_event, db| {
            let existing: Vec<String> = db.object_store_names().collect();
            for store in stores {
                if !existing.iter().any(|name| name == store) {
                    db.create_object_store(store).build()?;
                }
            }
            Ok(())
        })
        .await
        .map_err(err)
}

/// Stores `value` under `key` in `store_name`, over what was there.
pub async fn put(db: &Database, store_name: &str, key: &str, value: JsValue) -> Result<(), String> {
    let tx = db.transaction(store_name).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let store = tx.object_store(store_name).map_err(err)?;
    store.put(value).with_key(key.to_string()).primitive().map_err(err)?.await.map_err(err)?;
    tx.commit().await.map_err(err)
}

/// Deletes the value under `key` in `store_name`.
pub async fn delete(db: &Database, store_name: &str, key: &str) -> Result<(), String> {
    let tx = db.transaction(store_name).with_mode(TransactionMode::Readwrite).build().map_err(err)?;
    let store = tx.object_store(store_name).map_err(err)?;
    store.delete(key.to_string()).primitive().map_err(err)?.await.map_err(err)?;
    tx.commit().await.map_err(err)
}

/// The value under `key` in `store_name`, if any.
pub async fn get(db: &Database, store_name: &str, key: &str) -> Option<JsValue> {
    let tx = db.transaction(store_name).build().ok()?;
    let store = tx.object_store(store_name).ok()?;
    store.get(key.to_string()).primitive().ok()?.await.ok()?
}

/// Every value of `store_name`.
pub async fn all(db: &Database, store_name: &str) -> Result<Vec<JsValue>, String> {
    let tx = db.transaction(store_name).build().map_err(err)?;
    let store = tx.object_store(store_name).map_err(err)?;
    let values = store.get_all::<JsValue>().primitive().map_err(err)?.await.map_err(err)?;
    Ok(values.filter_map(Result::ok).collect())
}
