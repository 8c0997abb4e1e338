//! A labelled `<select>` bound to one code of the request.

use leptos::prelude::*;

use crate::components::field_error::{described_by, has_error, FieldError};
use crate::components::text_field::{Getter, Setter};
use crate::form::field_id;
use crate::i18n::tr;
use crate::state::use_form;

/// `<label>`, error and `<select name=path id=f-…>`; the first option (value `""`) is the prompt.
#[component]
pub fn SelectField(
    /// Dotted path of the value, e.g. `documents.0.region`.
    path: &'static str,
    /// Catalogue key of the label.
    label: &'static str,
    /// `(code, text)` of every option, the prompt first; follows the language and other answers.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
    /// Reads the code.
    get: Getter,
    /// Writes the chosen code.
    set: Setter,
) -> impl IntoView {
    let form = use_form();
    let id = field_id(path);
    let has_error = has_error(path);
    let current = move || form.request.with(get);
    view! {
        <div class="field" class:field--error=has_error>
            <label class="label" for=id.clone()>{tr(label)}</label>
            <FieldError path=path />
            <select
                class="select"
                id=id
                name=path
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=described_by(path, None)
                prop:value=current
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    form.edit(path, |r| set(r, value));
                    form.left(path);
                }
                on:blur=move |_| form.left(path)
            >
                {move || {
                    let selected = current();
                    options
                        .get()
                        .into_iter()
                        .map(|(code, text)| {
                            let is_selected = code == selected;
                            view! { <option value=code selected=is_selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}
