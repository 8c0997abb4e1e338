//! The field device's store: its own IndexedDB database (`telnuska-field`, never the citizen's
//! drafts), every item in it sealed with [`crypto`]. In clear there are only the salt, the count
//! of wrong PINs and, per item, its id (random) and whether it is still unsent, so that a locked
//! device can say how much a wipe would lose. The photos of documents are sealed the same way, in
//! a store of their own, their names too. The key lives in memory while unlocked.

use std::cell::RefCell;

use js_sys::{Object, Reflect, Uint8Array};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::CryptoKey;

use crate::idb::{self, Database};
use crate::staff::field::crypto::{self, Sealed, SALT_BYTES};

/// The database of the field workspace.
pub const DATABASE: &str = "telnuska-field";
const VERSION: u32 = 3;
const STORES: &[&str] = &[META, ITEMS, FILES, DELIVERIES];
const META: &str = "meta";
const ITEMS: &str = "items";
/// Photos of documents taken at the door, sealed, until the server has them.
const FILES: &str = "files";
/// Results to hand over at applicants' homes, and the hand-overs recorded there, sealed.
const DELIVERIES: &str = "deliveries";
/// Wrong PINs in a row that wipe the device's field data (the rule).
pub const MAX_WRONG_PINS: u32 = 5;
/// What the PIN's check value decrypts to.
const CHECK: &[u8] = b"telnuska-field";

// Not reactive state: a key held only in memory and an opened handle, used by the sealing and
// syncing tasks that run outside any component (and must outlive a screen), so no context owns
// them; nothing on screen reads them.
thread_local! {
    /// The key of the unlocked workspace.
    static KEY: RefCell<Option<CryptoKey>> = const { RefCell::new(None) };
    /// The page's one connection (a wipe closes it: deleting waits for every connection).
    static CONNECTION: RefCell<Option<Database>> = const { RefCell::new(None) };
}

/// Why the vault did not open or write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VaultError {
    /// The PIN is wrong: `left` more tries before the wipe.
    WrongPin {
        /// Tries left.
        left: u32,
    },
    /// Too many wrong PINs: the field data is gone.
    Wiped,
    /// Locked: no key in memory.
    Locked,
    /// The browser's storage or crypto failed.
    Storage,
}

impl From<crypto::CryptoError> for VaultError {
    fn from(_: crypto::CryptoError) -> Self {
        VaultError::Storage
    }
}

async fn db() -> Result<Database, VaultError> {
    if let Some(db) = CONNECTION.with_borrow(Clone::clone) {
        return Ok(db);
    }
    let db = idb::open(DATABASE, VERSION, STORES).await.map_err(|_| VaultError::Storage)?;
    CONNECTION.set(Some(db.clone()));
    Ok(db)
}

fn field(o: &JsValue, name: &str) -> JsValue {
    Reflect::get(o, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

fn bytes(o: &JsValue, name: &str) -> Vec<u8> {
    field(o, name).dyn_into::<Uint8Array>().map(|a| a.to_vec()).unwrap_or_default()
}

fn record(sealed: &Sealed, extra: &[(&str, JsValue)]) -> JsValue {
    let o = Object::new();
    let _ = Reflect::set(&o, &"iv".into(), &Uint8Array::from(sealed.iv.as_slice()));
    let _ = Reflect::set(&o, &"data".into(), &Uint8Array::from(sealed.data.as_slice()));
    for (name, value) in extra {
        let _ = Reflect::set(&o, &JsValue::from_str(name), value);
    }
    o.into()
}

fn sealed_of(o: &JsValue) -> Sealed {
    Sealed { iv: bytes(o, "iv"), data: bytes(o, "data") }
}

fn key() -> Result<CryptoKey, VaultError> {
    KEY.with_borrow(Clone::clone).ok_or(VaultError::Locked)
}

async fn seal_json(value: &impl Serialize) -> Result<Sealed, VaultError> {
    let json = serde_json::to_vec(value).map_err(|_| VaultError::Storage)?;
    Ok(crypto::seal(&key()?, &json).await?)
}

async fn open_json<T: DeserializeOwned>(o: &JsValue) -> Result<T, VaultError> {
    let plain = crypto::open(&key()?, &sealed_of(o)).await?;
    serde_json::from_slice(&plain).map_err(|_| VaultError::Storage)
}

/// Whether a PIN was set on this device.
pub async fn is_set_up() -> bool {
    match db().await {
        Ok(db) => idb::get(&db, META, "salt").await.is_some(),
        Err(_) => false,
    }
}

/// Sets the PIN: a new salt, the key derived, a check value sealed; the workspace is unlocked.
pub async fn set_pin(pin: &str) -> Result<(), VaultError> {
    let salt = crypto::random(SALT_BYTES);
    let key = crypto::derive_key(pin, &salt).await?;
    let check = crypto::seal(&key, CHECK).await?;
    let db = db().await?;
    idb::put(&db, META, "check", record(&check, &[])).await.map_err(|_| VaultError::Storage)?;
    idb::put(&db, META, "failures", 0.into()).await.map_err(|_| VaultError::Storage)?;
    idb::put(&db, META, "salt", Uint8Array::from(salt.as_slice()).into()).await.map_err(|_| VaultError::Storage)?;
    KEY.set(Some(key));
    Ok(())
}

/// Opens the workspace with `pin`; the fifth wrong PIN in a row wipes the field data.
pub async fn unlock(pin: &str) -> Result<(), VaultError> {
    let db = db().await?;
    let salt = idb::get(&db, META, "salt").await.and_then(|v| v.dyn_into::<Uint8Array>().ok()).ok_or(VaultError::Storage)?.to_vec();
    let check = idb::get(&db, META, "check").await.ok_or(VaultError::Storage)?;
    let key = crypto::derive_key(pin, &salt).await?;
    if crypto::open(&key, &sealed_of(&check)).await.is_ok_and(|plain| plain == CHECK) {
        idb::put(&db, META, "failures", 0.into()).await.map_err(|_| VaultError::Storage)?;
        KEY.set(Some(key));
        return Ok(());
    }
    let failures = wrong_pins().await + 1;
    if failures >= MAX_WRONG_PINS {
        wipe().await;
        return Err(VaultError::Wiped);
    }
    idb::put(&db, META, "failures", failures.into()).await.map_err(|_| VaultError::Storage)?;
    Err(VaultError::WrongPin { left: MAX_WRONG_PINS - failures })
}

/// Wrong PINs in a row so far.
pub async fn wrong_pins() -> u32 {
    let Ok(db) = db().await else { return 0 };
    idb::get(&db, META, "failures").await.and_then(|v| v.as_f64()).map_or(0, |n| n as u32)
}

/// Forgets the key: everything stored stays sealed until the PIN is typed again.
pub fn lock() {
    KEY.set(None);
}

/// Whether the key is in memory.
pub fn is_unlocked() -> bool {
    KEY.with_borrow(Option::is_some)
}

/// Deletes the device's field data and forgets the key.
pub async fn wipe() {
    lock();
    if let Some(db) = CONNECTION.take() {
        db.close();
    }
    if let Some(factory) = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()) {
        if let Ok(request) = factory.delete_database(DATABASE) {
            let done = js_sys::Promise::new(&mut |resolve, _| {
                let on_done = wasm_bindgen::closure::Closure::once_into_js(move || resolve.call0(&JsValue::NULL));
                request.set_onsuccess(Some(on_done.unchecked_ref()));
                request.set_onerror(Some(on_done.unchecked_ref()));
                request.set_onblocked(Some(on_done.unchecked_ref()));
            });
            let _ = wasm_bindgen_futures::JsFuture::from(done).await;
        }
    }
}

/// Seals `value` under `name` among the device's own settings (the staff session).
pub async fn put_setting(name: &str, value: &impl Serialize) -> Result<(), VaultError> {
    let sealed = seal_json(value).await?;
    idb::put(&db().await?, META, name, record(&sealed, &[])).await.map_err(|_| VaultError::Storage)
}

/// The setting `name`, opened.
pub async fn setting<T: DeserializeOwned>(name: &str) -> Option<T> {
    let stored = idb::get(&db().await.ok()?, META, name).await?;
    open_json(&stored).await.ok()
}

/// A setting kept in clear (the device's id: no personal data).
pub async fn clear_setting(name: &str) -> Option<String> {
    idb::get(&db().await.ok()?, META, name).await?.as_string()
}

/// Keeps `value` in clear under `name`.
pub async fn put_clear_setting(name: &str, value: &str) -> Result<(), VaultError> {
    idb::put(&db().await?, META, name, value.into()).await.map_err(|_| VaultError::Storage)
}

/// Seals `value` under `id` in `store`; `unsent` is kept in clear (for the wipe warning).
async fn put_sealed(store: &str, id: &str, unsent: bool, value: &impl Serialize) -> Result<(), VaultError> {
    put_all_sealed(store, &[(id, unsent, value)]).await
}

/// Seals each `(id, unsent, value)` and writes them all in `store` in one transaction (a
/// batch's answers: one write of the store rather than one each).
async fn put_all_sealed<T: Serialize>(store: &str, values: &[(&str, bool, &T)]) -> Result<(), VaultError> {
    let plains = values.iter().map(|(_, _, value)| serde_json::to_vec(value)).collect::<Result<Vec<_>, _>>().map_err(|_| VaultError::Storage)?;
    let plains: Vec<&[u8]> = plains.iter().map(Vec::as_slice).collect();
    let sealed = crypto::seal_all(&key()?, &plains).await?;
    let entries = values.iter().zip(&sealed).map(|((id, unsent, _), sealed)| (id.to_string(), record(sealed, &[("unsent", (*unsent).into())]))).collect();
    idb::put_all(&db().await?, store, entries).await.map_err(|_| VaultError::Storage)
}

/// Everything in `store`, opened (what does not open is left out).
async fn all_sealed<T: DeserializeOwned>(store: &str) -> Result<Vec<T>, VaultError> {
    let stored = idb::all(&db().await?, store).await.map_err(|_| VaultError::Storage)?;
    let sealed: Vec<Sealed> = stored.iter().map(sealed_of).collect();
    let opened = crypto::open_all(&key()?, &sealed).await?;
    Ok(opened.into_iter().flatten().filter_map(|plain| serde_json::from_slice(&plain).ok()).collect())
}

/// Seals `item` under `id`; `unsent` is kept in clear (for the wipe warning).
pub async fn put_item(id: &str, unsent: bool, item: &impl Serialize) -> Result<(), VaultError> {
    put_sealed(ITEMS, id, unsent, item).await
}

/// Seals each `(id, unsent, item)` and writes them all in one transaction.
pub async fn put_items<T: Serialize>(items: &[(&str, bool, &T)]) -> Result<(), VaultError> {
    put_all_sealed(ITEMS, items).await
}

/// Every item, opened (those that do not open are left out).
pub async fn items<T: DeserializeOwned>() -> Result<Vec<T>, VaultError> {
    all_sealed(ITEMS).await
}

/// The item under `id`, opened.
pub async fn item<T: DeserializeOwned>(id: &str) -> Option<T> {
    let stored = idb::get(&db().await.ok()?, ITEMS, id).await?;
    open_json(&stored).await.ok()
}

/// Seals the delivery `delivery` under `id` (the application's); `unsent` in clear as for items.
pub async fn put_delivery(id: &str, unsent: bool, delivery: &impl Serialize) -> Result<(), VaultError> {
    put_sealed(DELIVERIES, id, unsent, delivery).await
}

/// Every delivery, opened.
pub async fn deliveries<T: DeserializeOwned>() -> Result<Vec<T>, VaultError> {
    all_sealed(DELIVERIES).await
}

/// Removes the delivery under `id` from the device.
pub async fn delete_delivery(id: &str) {
    if let Ok(db) = db().await {
        let _ = idb::delete(&db, DELIVERIES, id).await;
    }
}

/// Items and hand-overs not yet acknowledged by the server: readable while locked.
pub async fn unsent_count() -> usize {
    let Ok(db) = db().await else { return 0 };
    let mut count = 0;
    for store in [ITEMS, DELIVERIES] {
        count += idb::all(&db, store).await.unwrap_or_default().iter().filter(|r| field(r, "unsent").as_bool() != Some(false)).count();
    }
    count
}

/// Seals the file `bytes` named `name` under `id`.
pub async fn put_file(id: &str, name: &str, bytes: &[u8]) -> Result<(), VaultError> {
    let key = key()?;
    let (data, name) = (crypto::seal(&key, bytes).await?, crypto::seal(&key, name.as_bytes()).await?);
    let stored = record(&data, &[("name", record(&name, &[]))]);
    idb::put(&db().await?, FILES, id, stored).await.map_err(|_| VaultError::Storage)
}

/// The file under `id`, opened: its name and bytes.
pub async fn file(id: &str) -> Option<(String, Vec<u8>)> {
    let stored = idb::get(&db().await.ok()?, FILES, id).await?;
    let key = key().ok()?;
    let name = crypto::open(&key, &sealed_of(&field(&stored, "name"))).await.ok()?;
    let bytes = crypto::open(&key, &sealed_of(&stored)).await.ok()?;
    Some((String::from_utf8(name).ok()?, bytes))
}

/// Deletes the file under `id` (the server has it).
pub async fn delete_file(id: &str) {
    if let Ok(db) = db().await {
        let _ = idb::delete(&db, FILES, id).await;
    }
}
