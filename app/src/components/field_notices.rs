//! Advice about an answer that is not an error (`telnuska_shared::application::notices`), shown
//! under the input it is about, e.g. that a supplement alone is valid only with the diploma.

use leptos::prelude::*;
use telnuska_shared::application::notices;
use telnuska_shared::i18n::t;

use crate::components::reactive;
use crate::form::field_id;
use crate::i18n::use_lang;
use crate::state::use_form;

/// `<div class="notice" id="f-<path>-notice">` while the request calls for advice at `path`
/// (a plain function, not a component: one less generic wrapper in the download).
pub fn field_notices(path: &'static str) -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let codes = form.value_of(move |r| notices(r).into_iter().filter(|n| n.field == path).map(|n| n.code).collect::<Vec<_>>());
    reactive(move || {
        let codes = codes.get();
        (!codes.is_empty()).then(|| {
            let lang = lang.get();
            view! {
                <div class="notice" id=format!("{}-notice", field_id(path)) role="note">
                    {codes.into_iter().map(|code| view! { <p>{t(lang, code)}</p> }).collect_view()}
                </div>
            }
            .into_any()
        })
    })
}
