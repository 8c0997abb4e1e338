//! A labelled text input bound to one [`Field`] of the request.

use leptos::prelude::*;

use crate::components::field_error::{aria_invalid, described_by, field_error, has_error, on_leave};
use crate::fields::Field;
use crate::form::{field_id, hint_id};
use crate::i18n::tr;
use crate::state::use_form;

/// `<label>`, optional hint, error, and `<input name=path id=f-…>`. Errors show once the input
/// has been left; what is kept may differ from what was typed (digits only), and the input
/// then shows what is kept.
#[component]
pub fn TextField(
    /// The input.
    field: Field,
    /// Catalogue key of the label.
    label: &'static str,
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
    let path = field.path();
    let id = field_id(path);
    let hint_id = hint.map(|_| hint_id(path));
    let has_error = has_error(path);
    let value = form.value_of(move |r| field.get(r));
    let on_input = move |ev: web_sys::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let typed = input.value();
        form.edit(path, |r| field.set(r, typed.clone(), form.lists.reference_untracked()));
        let kept = form.request.with_untracked(|r| field.get(r));
        if kept != typed {
            input.set_value(&kept);
        }
    };
    view! {
        <div class="field" class:field--error=has_error>
            <label class="label" for=id.clone()>{tr(label)}</label>
            {hint.map(|key| view! { <p class="hint" id=hint_id.clone()>{tr(key)}</p> })}
            {field_error(path)}
            <input
                class=class
                id=id
                name=path
                type=kind
                autocomplete=autocomplete
                inputmode=inputmode
                maxlength=maxlength
                spellcheck="false"
                aria-invalid=aria_invalid(path)
                aria-describedby=described_by(path, hint_id.clone())
                prop:value=value
                on:input=on_input
                on:blur=on_leave(path)
            />
        </div>
    }
}
