//! A fieldset of radio buttons bound to one code of the request.

use leptos::prelude::*;

use crate::components::field_error::{described_by, has_error, FieldError};
use crate::components::text_field::{Getter, Setter};
use crate::form::{error_id, option_id};
use crate::i18n::{name_in, tr, use_lang};
use crate::state::use_form;
use telnuska_shared::reference::CodedName;

/// `<fieldset>` with a legend, the group's error (`f-<path>-error`) and one radio per option
/// (`name=path`, `id=f-<path>-<code>`).
#[component]
pub fn RadioGroup(
    /// Dotted path of the value, e.g. `reason`.
    path: &'static str,
    /// Catalogue key of the legend.
    legend: &'static str,
    /// The choices, with names in every language.
    options: Vec<CodedName>,
    /// Reads the chosen code (`""` when none).
    get: Getter,
    /// Writes the chosen code.
    set: Setter,
) -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let has_error = has_error(path);
    let radios = options
        .into_iter()
        .map(|option| {
            let id = option_id(path, &option.code);
            let code = option.code.clone();
            let checked = {
                let code = code.clone();
                move || form.request.with(get) == code
            };
            view! {
                <div class="radio">
                    <input
                        type="radio"
                        id=id.clone()
                        name=path
                        value=code.clone()
                        aria-invalid=move || has_error().then_some("true")
                        aria-describedby=described_by(path, None)
                        prop:checked=checked
                        on:change=move |_| {
                            let code = code.clone();
                            form.edit(path, |r| set(r, code));
                        }
                        on:blur=move |_| form.left(path)
                    />
                    <label for=id>{move || name_in(lang.get(), &option.name).to_string()}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="field" class:field--error=has_error>
            <fieldset
                class="fieldset"
                aria-invalid=move || has_error().then_some("true")
                aria-describedby=move || has_error().then(|| error_id(path))
            >
                <legend class="legend">{tr(legend)}</legend>
                <FieldError path=path />
                {radios}
            </fieldset>
        </div>
    }
}
