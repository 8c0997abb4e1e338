//! A labelled text input bound to one value of the request.

use leptos::prelude::*;
use telnuska_shared::api::CreateApplicationRequest;

use crate::components::field_error::{described_by, has_error, FieldError};
use crate::form::{field_id, hint_id};
use crate::i18n::tr;
use crate::state::use_form;

/// Reads the input's value from the request.
pub type Getter = fn(&CreateApplicationRequest) -> String;
/// Writes the typed text into the request.
pub type Setter = fn(&mut CreateApplicationRequest, String);

/// `<label>`, optional hint, error, and `<input name=path id=f-…>`. Errors show once the input
/// has been left; `get` after `set` may differ (digits only), and the input then shows `get`.
#[component]
pub fn TextField(
    /// Dotted path of the value, e.g. `applicant.iin`.
    path: &'static str,
    /// Catalogue key of the label.
    label: &'static str,
    /// Reads the value.
    get: Getter,
    /// Writes the value.
    set: Setter,
    /// Catalogue key of the hint.
    #[prop(optional)]
    hint: Option<&'static str>,
    /// `type` attribute.
    #[prop(default = "text")]
    kind: &'static str,
    /// `autocomplete` attribute.
    #[prop(optional)]
    autocomplete: Option<&'static str>,
    /// `inputmode` attribute.
    #[prop(optional)]
    inputmode: Option<&'static str>,
    /// `maxlength` attribute.
    #[prop(optional)]
    maxlength: Option<usize>,
    /// Extra class of the input (width).
    #[prop(default = "input")]
    class: &'static str,
) -> impl IntoView {
    let form = use_form();
    let id = field_id(path);
    let hint_id = hint.map(|_| hint_id(path));
    let has_error = has_error(path);
    let on_input = move |ev: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let typed = input.value();
        form.edit(path, |r| set(r, typed.clone()));
        let kept = form.request.with_untracked(get);
        if kept != typed {
            input.set_value(&kept);
        }
    };
    view! {
        <div class="field" class:field--error=has_error>
            <label class="label" for=id.clone()>{tr(label)}</label>
            {hint.map(|key| view! { <p class="hint" id=hint_id.clone()>{tr(key)}</p> })}
            <FieldError path=path />
            <input
                class=class
                id=id
                name=path
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                spellcheck="false"
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by(path, hint_id.clone())
                prop:value=move || form.request.with(get)
                on:input=on_input
                on:blur=move |_| form.left(path)
            />
        </div>
    }
}
