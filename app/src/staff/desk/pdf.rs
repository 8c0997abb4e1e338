//! Opens a PDF the staff API makes (a receipt, a register) in a new tab: fetched with the
//! session's token, since a plain link would carry none, and shown from a local object URL.

use gloo_net::http::Request;
use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

use crate::staff::session::Session;

/// Fetches `path` as the signed-in member and opens it; `false` when it could not be shown.
pub async fn open_pdf(session: Session, path: &str) -> bool {
    let Some(signed_in) = session.current.get_untracked() else { return false };
    let lang = crate::i18n::use_lang().get_untracked();
    let request = Request::get(path).header("Authorization", &format!("Bearer {}", signed_in.token)).header("Accept-Language", lang.code());
    let Ok(response) = request.send().await else { return false };
    if response.status() == 401 {
        session.end();
    }
    if !response.ok() {
        return false;
    }
    let Ok(bytes) = response.binary().await else { return false };
    object_url(&bytes).is_some_and(|href| web_sys::window().is_some_and(|w| w.open_with_url_and_target(&href, "_blank").is_ok()))
}

/// `URL.createObjectURL(new Blob([bytes], {type: "application/pdf"}))`.
fn object_url(bytes: &[u8]) -> Option<String> {
    let global = js_sys::global();
    let options = Object::new();
    Reflect::set(&options, &JsValue::from_str("type"), &JsValue::from_str("application/pdf")).ok()?;
    let blob_class: Function = Reflect::get(&global, &JsValue::from_str("Blob")).ok()?.dyn_into().ok()?;
    let blob = Reflect::construct(&blob_class, &Array::of2(&Array::of1(&Uint8Array::from(bytes)), &options)).ok()?;
    let url = Reflect::get(&global, &JsValue::from_str("URL")).ok()?;
    let create: Function = Reflect::get(&url, &JsValue::from_str("createObjectURL")).ok()?.dyn_into().ok()?;
    create.call1(&url, &blob).ok()?.as_string()
}
