//! The error text of one input or group, present in the DOM only while it has an error.

use leptos::prelude::*;

use crate::components::reactive;
use crate::form::{error_id, error_text};
use crate::i18n::use_lang;
use crate::state::use_form;

/// Whether the input of `path` shows an error now (reactive; a memo, so that an error coming or
/// going elsewhere in the form does not touch this input).
pub fn has_error(path: &'static str) -> impl Fn() -> bool + Copy + Send + Sync + 'static {
    let form = use_form();
    let shows = Memo::new(move |_| form.shown.with(|shown| shown.iter().any(|e| e.owner == path)));
    move || shows.get()
}

/// `aria-invalid` of an input: `true` while it shows an error.
pub fn aria_invalid(path: &'static str) -> impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static {
    let has_error = has_error(path);
    move || has_error().then_some("true")
}

/// The blur handler of an input: from now on its errors show (one handler type for all inputs).
pub fn on_leave(path: &'static str) -> impl FnMut(web_sys::FocusEvent) + Clone + 'static {
    let form = use_form();
    move |_| form.left(path)
}

/// `aria-describedby` of an input: its error (when shown), then its hint (if any).
pub fn described_by(path: &'static str, hint: Option<String>) -> impl Fn() -> Option<String> + Send + Sync + 'static {
    let has_error = has_error(path);
    move || {
        let ids: Vec<String> = has_error().then(|| error_id(path)).into_iter().chain(hint.clone()).collect();
        (!ids.is_empty()).then(|| ids.join(" "))
    }
}

/// `<p class="field-error" id="f-…-error">` with every message for the input of `path` (a
/// plain function, not a component: one less generic wrapper in the download).
pub fn field_error(path: &'static str) -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let text = Memo::new(move |_| {
        let lang = lang.get();
        let texts: Vec<String> = form.errors_at(path).iter().map(|e| error_text(lang, e)).fold(Vec::new(), |mut acc, t| {
            if !acc.contains(&t) {
                acc.push(t);
            }
            acc
        });
        (!texts.is_empty()).then(|| texts.join(" "))
    });
    reactive(move || text.get().map(|text| view! { <p class="field-error" id=error_id(path)>{text}</p> }.into_any()))
}
