//! What the kiosk keeps of itself on its device, and what it clears between people.
//!
//! The device token is given once, in the address an administrator opens on the kiosk
//! (`/kiosk#token=…`: a fragment never reaches the server's logs), and kept in this device's
//! localStorage under [`TOKEN_KEY`], the fragment then taken out of the address. It is the one
//! thing a wipe leaves: everything else the browser holds for this origin — IndexedDB, Cache
//! Storage other than the app's own files, sessionStorage, other localStorage entries — is the
//! last person's, or might be.

use wasm_bindgen::{JsCast, JsValue};

/// localStorage key of the kiosk's device token.
pub const TOKEN_KEY: &str = "telnuska.kiosk.token";
/// The app's own files in Cache Storage (the service worker's): no person's data, kept.
const SHELL_CACHE_PREFIX: &str = "telnuska-shell-";
/// The reference lists (regions, institutions): public, kept so the form opens quickly.
const REFERENCE_DB: &str = "telnuska-reference";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The device token: from the address (`#token=…`, kept from now on and taken out of the
/// address), else the one kept before.
pub fn token() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().unwrap_or_default();
    if let Some(token) = token_in_fragment(&hash) {
        if let Some(storage) = local_storage() {
            let _ = storage.set_item(TOKEN_KEY, &token);
        }
        clean_address();
        return Some(token);
    }
    local_storage()?.get_item(TOKEN_KEY).ok()?.filter(|t| !t.is_empty())
}

/// The token of a `#token=…` fragment.
pub fn token_in_fragment(hash: &str) -> Option<String> {
    let value = hash.strip_prefix('#')?.split('&').find_map(|part| part.strip_prefix("token="))?;
    (!value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')).then(|| value.to_string())
}

/// Replaces the current history entry with the bare kiosk address (its query kept: the idle
/// limits a test set), so that neither a fragment nor a step is left in it.
pub fn clean_address() {
    let Some(window) = web_sys::window() else { return };
    let search = window.location().search().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("/kiosk{search}")));
    }
}

/// Calls `object.name(args…)`, if it is a function.
fn call(object: &JsValue, name: &str, args: &[JsValue]) -> Option<JsValue> {
    let f = js_sys::Reflect::get(object, &JsValue::from_str(name)).ok()?.dyn_into::<js_sys::Function>().ok()?;
    f.apply(object, &args.iter().collect::<js_sys::Array>()).ok()
}

/// Waits for a promise's value (`None` when it fails or is not one).
async fn settle(value: Option<JsValue>) -> Option<JsValue> {
    let promise = value?.dyn_into::<js_sys::Promise>().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()
}

/// Clears what the browser keeps for this origin, but the device token, the app's own files
/// and the public reference lists: every IndexedDB database, every other cache of Cache
/// Storage, sessionStorage and every other localStorage entry.
pub async fn clear_storage() {
    let Some(window) = web_sys::window() else { return };
    if let Some(storage) = local_storage() {
        let keys: Vec<String> = (0..storage.length().unwrap_or(0)).filter_map(|i| storage.key(i).ok().flatten()).collect();
        for key in keys.iter().filter(|k| *k != TOKEN_KEY) {
            let _ = storage.remove_item(key);
        }
    }
    if let Ok(Some(session)) = window.session_storage() {
        let _ = session.clear();
    }
    let idb = js_sys::Reflect::get(&window, &JsValue::from_str("indexedDB")).unwrap_or_default();
    if let Some(list) = settle(call(&idb, "databases", &[])).await {
        for db in js_sys::Array::from(&list).iter() {
            let name = crate::api::json_field(&db, "name").as_string().unwrap_or_default();
            if !name.is_empty() && name != REFERENCE_DB {
                call(&idb, "deleteDatabase", &[JsValue::from_str(&name)]);
            }
        }
    }
    let caches = js_sys::Reflect::get(&window, &JsValue::from_str("caches")).unwrap_or_default();
    if let Some(names) = settle(call(&caches, "keys", &[])).await {
        for name in js_sys::Array::from(&names).iter().filter_map(|n| n.as_string()) {
            if !name.starts_with(SHELL_CACHE_PREFIX) {
                settle(call(&caches, "delete", &[JsValue::from_str(&name)])).await;
            }
        }
    }
}

/// The stylesheet of the kiosk screens, adopted by the document (the page's CSP allows only the
/// site's own style files, not a `<style>` element; an adopted sheet is no inline style).
const KIOSK_CSS: &str = include_str!("kiosk.css");

/// Adds [`KIOSK_CSS`] to the page.
pub fn adopt_stylesheet() {
    adopt_css(KIOSK_CSS);
}

/// Adds a stylesheet of the staff bundle's own (`css`) to the page, as an adopted sheet.
pub fn adopt_css(css: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let window = web_sys::window().map(JsValue::from).unwrap_or_default();
    let Some(class) = js_sys::Reflect::get(&window, &JsValue::from_str("CSSStyleSheet")).ok().and_then(|c| c.dyn_into::<js_sys::Function>().ok()) else {
        return;
    };
    let Ok(sheet) = js_sys::Reflect::construct(&class, &js_sys::Array::new()) else { return };
    call(&sheet, "replaceSync", &[JsValue::from_str(css)]);
    let adopted = js_sys::Reflect::get(&document, &JsValue::from_str("adoptedStyleSheets")).map(|a| js_sys::Array::from(&a)).unwrap_or_default();
    adopted.push(&sheet);
    let _ = js_sys::Reflect::set(&document, &JsValue::from_str("adoptedStyleSheets"), &adopted);
}

#[cfg(test)]
mod tests {
    use super::token_in_fragment;

    #[test]
    fn the_token_is_read_from_the_fragment_only_when_well_formed() {
        assert_eq!(token_in_fragment("#token=abc_DEF-123").as_deref(), Some("abc_DEF-123"));
        assert_eq!(token_in_fragment("#x=1&token=t0k").as_deref(), Some("t0k"));
        assert_eq!(token_in_fragment("#token="), None);
        assert_eq!(token_in_fragment("#token=<script>"), None);
        assert_eq!(token_in_fragment(""), None);
    }
}
