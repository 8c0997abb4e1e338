//! Opens a PDF the staff API makes (a receipt, a register) in a new tab: fetched with the
//! session's token, since a plain link would carry none, and shown from a local object URL.

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::staff::session::Session;

/// Fetches `path` as the signed-in member and opens it; `false` when it could not be shown.
pub async fn open_pdf(session: Session, path: &str) -> bool {
    open_pdf_in(session, path, crate::i18n::use_lang().get_untracked()).await
}

/// [`open_pdf`] in `lang` (a receipt in the applicant's language, not the screen's).
pub async fn open_pdf_in(session: Session, path: &str, lang: telnuska_shared::i18n::Lang) -> bool {
    let Some(signed_in) = session.current.get_untracked() else { return false };
    let Some(response) = get(path, &signed_in.token, lang.code()).await else { return false };
    if response.status() == 401 {
        session.end();
    }
    if !response.ok() {
        return false;
    }
    let Some(buffer) = response.array_buffer().ok() else { return false };
    let Ok(buffer) = JsFuture::from(buffer).await else { return false };
    let bytes = Uint8Array::new(&buffer).to_vec();
    object_url(&bytes).is_some_and(|href| web_sys::window().is_some_and(|w| w.open_with_url_and_target(&href, "_blank").is_ok()))
}

/// `GET path` with the bearer token, the raw response (binary, unlike the JSON client's).
async fn get(path: &str, token: &str, lang: &str) -> Option<web_sys::Response> {
    let init = web_sys::RequestInit::new();
    init.set_method("GET");
    let headers = web_sys::Headers::new().ok()?;
    headers.append("Authorization", &format!("Bearer {token}")).ok()?;
    headers.append("Accept-Language", lang).ok()?;
    init.set_headers(&headers);
    let window = web_sys::window()?;
    JsFuture::from(window.fetch_with_str_and_init(path, &init)).await.ok().map(JsCast::unchecked_into)
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
