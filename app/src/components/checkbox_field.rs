//! A checkbox bound to one yes/no value of the request (the consents).

use leptos::prelude::*;
use telnuska_shared::api::CreateApplicationRequest;

use crate::components::field_error::{aria_invalid, described_by, field_error, has_error, on_leave};
use crate::form::field_id;
use crate::i18n::tr;
use crate::state::use_form;

/// Error, then `<input type=checkbox name=path id=f-…>` with its label beside it.
#[component]
pub fn CheckboxField(
    /// Dotted path, e.g. `consents.accuracy`.
    path: &'static str,
    /// Catalogue key of the label.
    label: &'static str,
    /// Reads the value.
    get: fn(&CreateApplicationRequest) -> bool,
    /// Writes the value.
    set: fn(&mut CreateApplicationRequest, bool),
) -> impl IntoView {
    let form = use_form();
    let id = field_id(path);
    let has_error = has_error(path);
    let checked = form.value_of(get);
    view! {
        <div class="field" class:field--error=has_error>
            {field_error(path)}
            <div class="checkbox">
                <input
                    type="checkbox"
                    id=id.clone()
                    name=path
                    value="true"
                    aria-invalid=aria_invalid(path)
                    aria-describedby=described_by(path, None)
                    prop:checked=checked
                    on:change=move |ev| {
                        let checked = event_target_checked(&ev);
                        form.edit(path, |r| set(r, checked));
                    }
                    on:blur=on_leave(path)
                />
                <label for=id>{tr(label)}</label>
            </div>
        </div>
    }
}
