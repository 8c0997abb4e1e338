//! The field device's encryption, by the browser's WebCrypto: a key derived from the worker's PIN
//! (PBKDF2-SHA-256 over a random salt kept on the device) and AES-GCM for every stored item, each
//! under a fresh random IV. The key is not extractable: it lives in memory while the workspace is
//! unlocked and is never written anywhere.

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CryptoKey, SubtleCrypto};

/// PBKDF2 iterations: OWASP's figure for PBKDF2-HMAC-SHA-256 (2023), so that a stolen device's
/// 4–8 digit PIN costs real time per guess even off the device.
pub const PBKDF2_ITERATIONS: u32 = 600_000;
/// Bytes of the random salt kept beside the data.
pub const SALT_BYTES: usize = 16;
/// Bytes of AES-GCM's IV (96 bits, as the standard recommends).
const IV_BYTES: usize = 12;

/// WebCrypto failed (missing, or a decryption that does not authenticate: the wrong key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CryptoError;

/// An encrypted value: the IV and the ciphertext with its tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// Random IV.
    pub iv: Vec<u8>,
    /// AES-GCM ciphertext and tag.
    pub data: Vec<u8>,
}

fn subtle() -> Result<SubtleCrypto, CryptoError> {
    Ok(web_sys::window().ok_or(CryptoError)?.crypto().map_err(|_| CryptoError)?.subtle())
}

fn object(pairs: &[(&str, JsValue)]) -> Object {
    let o = Object::new();
    for (name, value) in pairs {
        let _ = Reflect::set(&o, &JsValue::from_str(name), value);
    }
    o
}

async fn resolve(promise: Result<js_sys::Promise, JsValue>) -> Result<JsValue, CryptoError> {
    JsFuture::from(promise.map_err(|_| CryptoError)?).await.map_err(|_| CryptoError)
}

/// `n` random bytes from the browser's generator.
pub fn random(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    if let Some(crypto) = web_sys::window().and_then(|w| w.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes
}

/// The AES-GCM key of `pin` and `salt`.
pub async fn derive_key(pin: &str, salt: &[u8]) -> Result<CryptoKey, CryptoError> {
    let subtle = subtle()?;
    let raw = Uint8Array::from(pin.as_bytes());
    let base = resolve(subtle.import_key_with_str("raw", &raw, "PBKDF2", false, &Array::of1(&"deriveKey".into()))).await?;
    let base: CryptoKey = base.dyn_into().map_err(|_| CryptoError)?;
    let params =
        object(&[("name", "PBKDF2".into()), ("hash", "SHA-256".into()), ("salt", Uint8Array::from(salt).into()), ("iterations", PBKDF2_ITERATIONS.into())]);
    let aes = object(&[("name", "AES-GCM".into()), ("length", 256.into())]);
    let usages = Array::of2(&"encrypt".into(), &"decrypt".into());
    let key = resolve(subtle.derive_key_with_object_and_object(&params, &base, &aes, false, &usages)).await?;
    key.dyn_into().map_err(|_| CryptoError)
}

/// `plain` encrypted under `key` with a fresh IV.
pub async fn seal(key: &CryptoKey, plain: &[u8]) -> Result<Sealed, CryptoError> {
    seal_all(key, &[plain]).await?.pop().ok_or(CryptoError)
}

/// Each of `plains` encrypted under `key`, each with a fresh IV; the browser works on them all
/// at once rather than one after another.
pub async fn seal_all(key: &CryptoKey, plains: &[&[u8]]) -> Result<Vec<Sealed>, CryptoError> {
    let subtle = subtle()?;
    let ivs: Vec<Vec<u8>> = plains.iter().map(|_| random(IV_BYTES)).collect();
    let started = Array::new();
    for (iv, plain) in ivs.iter().zip(plains) {
        let encrypting = subtle.encrypt_with_object_and_u8_array(&aes_gcm(iv), key, plain).map_err(|_| CryptoError)?;
        started.push(&encrypting);
    }
    let sealed = resolve(Ok(js_sys::Promise::all(&started))).await?;
    Ok(Array::from(&sealed).iter().zip(ivs).map(|(data, iv)| Sealed { iv, data: Uint8Array::new(&data).to_vec() }).collect())
}

/// `sealed` decrypted under `key`; an error for another key or altered data.
pub async fn open(key: &CryptoKey, sealed: &Sealed) -> Result<Vec<u8>, CryptoError> {
    open_all(key, std::slice::from_ref(sealed)).await?.pop().flatten().ok_or(CryptoError)
}

/// Each of `sealed` decrypted under `key`, all at once; `None` for one under another key or
/// altered.
pub async fn open_all(key: &CryptoKey, sealed: &[Sealed]) -> Result<Vec<Option<Vec<u8>>>, CryptoError> {
    let subtle = subtle()?;
    let started = Array::new();
    for one in sealed {
        let decrypting = subtle.decrypt_with_object_and_u8_array(&aes_gcm(&one.iv), key, &one.data).map_err(|_| CryptoError)?;
        started.push(&decrypting);
    }
    let settled = resolve(Ok(js_sys::Promise::all_settled(&started))).await?;
    Ok(Array::from(&settled)
        .iter()
        .map(|outcome| {
            if Reflect::get(&outcome, &"status".into()).ok()?.as_string()? != "fulfilled" {
                return None;
            }
            Reflect::get(&outcome, &"value".into()).ok().map(|plain| Uint8Array::new(&plain).to_vec())
        })
        .collect())
}

fn aes_gcm(iv: &[u8]) -> Object {
    object(&[("name", "AES-GCM".into()), ("iv", Uint8Array::from(iv).into())])
}
