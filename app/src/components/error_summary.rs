//! The GOV.UK-style summary of every error after a submit attempt, with links to the fields.

use leptos::prelude::*;

use crate::actions::SUMMARY_ID;
use crate::dom;
use crate::form::summary_entries;
use crate::i18n::{tr, use_lang};
use crate::state::use_form;

/// `<div id="error-summary">` (focusable) listing each field's error as a link to that field.
#[component]
pub fn ErrorSummary() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let visible = move || form.attempted.get() && !form.shown.read().is_empty();
    let entries = move || {
        summary_entries(lang.get(), &form.shown.read())
            .into_iter()
            .map(|(anchor, text)| match anchor {
                Some(anchor) => {
                    let target = anchor.clone();
                    view! {
                        <li>
                            <a
                                href=format!("#{anchor}")
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    dom::focus(&target);
                                }
                            >
                                {text}
                            </a>
                        </li>
                    }
                    .into_any()
                }
                None => view! { <li>{text}</li> }.into_any(),
            })
            .collect_view()
    };
    view! {
        <Show when=visible>
            <div class="error-summary" id=SUMMARY_ID tabindex="-1" role="alert" aria-labelledby="error-summary-title">
                <h2 class="error-summary__title" id="error-summary-title">{tr("title.error_summary")}</h2>
                <ul class="error-summary__list">{entries}</ul>
            </div>
        </Show>
    }
}
