//! A fieldset of radio buttons bound to one code of the request.

use leptos::prelude::*;
use telnuska_shared::api::CreateApplicationRequest;
use telnuska_shared::i18n::Lang;
use telnuska_shared::reference::{CodedName, Reference};

use crate::components::field_error::{described_by, field_error, has_error, on_leave};
use crate::form::{error_id, option_id};
use crate::i18n::{label_in, text, tr, use_lang};
use crate::state::{use_form, FormState};

/// Reads the chosen code (`""` when none); reactive.
pub type Getter = fn(&FormState) -> String;
/// Writes the chosen code (with the lists in force: a choice may drop answers they rule out).
pub type Setter = fn(&mut CreateApplicationRequest, String, &Reference);

/// `<fieldset>` with a legend, the group's error (`f-<path>-error`) and one radio per option
/// (`name=path`, `id=f-<path>-<code>`), each with an optional hint under its label.
#[component]
pub fn RadioGroup(
    /// Dotted path of the value, e.g. `reason`.
    path: &'static str,
    /// Catalogue key of the legend.
    legend: &'static str,
    /// The choices, with names in every language.
    options: Vec<CodedName>,
    /// Reads the chosen code.
    get: Getter,
    /// Writes the chosen code.
    set: Setter,
    /// A line under an option's label (e.g. a service's term).
    #[prop(optional)]
    hint: Option<fn(Lang, &str) -> String>,
) -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let has_error = has_error(path);
    let chosen = Memo::new(move |_| get(&form));
    let radios = options
        .into_iter()
        .map(|option| {
            let id = option_id(path, &option.code);
            let hint_id = format!("{id}-hint");
            let code = option.code.clone();
            let checked = {
                let code = code.clone();
                move || chosen.with(|chosen| *chosen == code)
            };
            let line = hint.map(|hint| {
                let code = code.clone();
                view! { <p class="hint radio__hint" id=hint_id.clone()>{text(move || hint(lang.get(), &code))}</p> }
            });
            let described = described_by(path, hint.map(|_| hint_id.clone()));
            view! {
                <div class="radio">
                    <input
                        type="radio"
                        id=id.clone()
                        name=path
                        value=code.clone()
                        aria-describedby=described
                        prop:checked=checked
                        on:change=move |_| {
                            let code = code.clone();
                            form.edit(path, |r| set(r, code, form.lists.reference_untracked()));
                            form.touch(path);
                        }
                        on:blur=on_leave(path)
                    />
                    <div class="radio__text">
                        <label for=id>{text(move || label_in(lang.get(), &option.name).to_string())}</label>
                        {line}
                    </div>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="field" class:field--error=has_error>
            <fieldset class="fieldset" aria-describedby=move || has_error().then(|| error_id(path))>
                <legend class="legend">{tr(legend)}</legend>
                {field_error(path)}
                {radios}
            </fieldset>
        </div>
    }
}
