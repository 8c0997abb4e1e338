//! A labelled `<select>` bound to one code of the request.

use leptos::prelude::*;

use crate::components::field_error::{aria_invalid, described_by, field_error, has_error, on_leave};
use crate::fields::Field;
use crate::form::field_id;
use crate::i18n::tr;
use crate::state::use_form;

/// `<label>`, error and `<select name=path id=f-…>`; the first option (value `""`) is the prompt.
#[component]
pub fn SelectField(
    /// The list's value in the request.
    field: Field,
    /// Catalogue key of the label.
    label: &'static str,
    /// `(code, text)` of every option, the prompt first; follows the language and other answers.
    #[prop(into)]
    options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    let form = use_form();
    let path = field.path();
    let id = field_id(path);
    let has_error = has_error(path);
    let current = form.value_of(move |r| field.get(r));
    view! {
        <div class="field" class:field--error=has_error>
            <label class="label" for=id.clone()>{tr(label)}</label>
            {field_error(path)}
            <select
                class="select"
                id=id
                name=path
                aria-invalid=aria_invalid(path)
                aria-describedby=described_by(path, None)
                prop:value=current
                on:change=move |ev| {
                    let value = event_target_value(&ev);
                    form.edit(path, |r| field.set(r, value, form.lists.reference_untracked()));
                    form.left(path);
                }
                on:blur=on_leave(path)
            >
                // Options are redrawn in place (another language sorts them differently, a search
                // narrows them), so the choice is set as a property: once the person has chosen,
                // the browser ignores changes of the `selected` attribute.
                {move || {
                    let selected = current.get();
                    options
                        .get()
                        .into_iter()
                        .map(|(code, text)| {
                            let is_selected = code == selected;
                            view! { <option value=code prop:selected=is_selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
        </div>
    }
}
