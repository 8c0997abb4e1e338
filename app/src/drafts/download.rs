//! "Download a copy": the draft as a page the person can read, print and load back
//! ([`crate::form::printable`]), made in the page (a `Blob` and an `<a download>`), so it works
//! offline and when storage is full.

use std::time::Duration;

use leptos::prelude::set_timeout;
use wasm_bindgen::{JsCast, JsValue};

use telnuska_shared::i18n::Lang;
use telnuska_shared::reference::Reference;

use crate::form::{copy_file_name, printable, today, Draft};

/// `window[name]`, a constructor or namespace of the page.
fn global(name: &str) -> Result<JsValue, JsValue> {
    js_sys::Reflect::get(&js_sys::global(), &name.into())
}

/// Calls `URL.<method>(arg)`.
fn url_call(method: &str, arg: &JsValue) -> Result<JsValue, JsValue> {
    let url = global("URL")?;
    js_sys::Reflect::get(&url, &method.into())?.dyn_into::<js_sys::Function>()?.call1(&url, arg)
}

/// Saves `draft` as `telnuska-draft-YYYY-MM-DD.html`, its answers in `lang` (named as `lists`,
/// the lists in force, have them).
pub fn download(lang: Lang, lists: &Reference, draft: &Draft) -> Result<(), JsValue> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"type".into(), &"text/html;charset=utf-8".into())?;
    let parts = js_sys::Array::of1(&printable(lang, lists, draft).into());
    let constructor = global("Blob")?.dyn_into::<js_sys::Function>()?;
    let blob = js_sys::Reflect::construct(&constructor, &js_sys::Array::of2(&parts, &options))?;
    let href = url_call("createObjectURL", &blob)?;
    let document = web_sys::window().and_then(|w| w.document()).ok_or(JsValue::NULL)?;
    let link = document.create_element("a")?;
    link.set_attribute("href", &href.as_string().unwrap_or_default())?;
    link.set_attribute("download", &copy_file_name(draft, today()))?;
    document.body().ok_or(JsValue::NULL)?.append_child(&link)?;
    link.dyn_ref::<web_sys::HtmlElement>().ok_or(JsValue::NULL)?.click();
    link.remove();
    // The browser has read the file once the click is handled.
    set_timeout(move || drop(url_call("revokeObjectURL", &href)), Duration::from_secs(10));
    Ok(())
}
