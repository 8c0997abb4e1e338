//! The GOV.UK-style summary of the step's errors after "continue", with links to the inputs.

use leptos::prelude::*;

use crate::actions::{go_to_error, SUMMARY_ID};
use crate::components::reactive;
use crate::form::{step_of, summary_entries, Step};
use crate::i18n::{tr, use_lang};
use crate::state::use_form;

/// `<div id="error-summary">` (focusable) listing each input's error as a link to that input;
/// on the review and signing steps it lists the errors of every step, and a link opens the
/// step that holds the input.
#[component]
pub fn ErrorSummary() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let errors = move || {
        let step = form.step.get();
        let here = |owner: &str| step >= Step::Review || step_of(owner) == step;
        form.shown.with(|shown| shown.iter().filter(|e| here(&e.owner)).cloned().collect::<Vec<_>>())
    };
    // A memo: the list is redrawn when its entries change, not at every keystroke.
    let listed = Memo::new(move |_| {
        let errors = errors();
        let owners: Vec<String> = errors.iter().fold(Vec::new(), |mut acc, e| {
            if !acc.contains(&e.owner) {
                acc.push(e.owner.clone());
            }
            acc
        });
        form.request.with(|req| summary_entries(lang.get(), &errors, req)).into_iter().zip(owners).collect::<Vec<_>>()
    });
    let visible = Memo::new(move |_| {
        let step = form.step.get();
        let tried = form.attempted.with(|a| a.contains(step) || a.contains(Step::Sign)) || form.server_errors.with(|e| !e.is_empty());
        tried && listed.with(|l| !l.is_empty())
    });
    let entries = move || {
        listed
            .get()
            .into_iter()
            // Every place of the form has an anchor; an entry without one links to the summary.
            .map(|((anchor, text), owner)| {
                let anchor = anchor.unwrap_or_else(|| SUMMARY_ID.to_string());
                view! {
                    <li>
                        <a
                            href=format!("#{anchor}")
                            on:click=move |ev| {
                                ev.prevent_default();
                                go_to_error(form, &owner);
                            }
                        >
                            {text}
                        </a>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        {reactive(move || visible.get().then(|| view! {
            <div class="error-summary" id=SUMMARY_ID tabindex="-1" role="alert" aria-labelledby="error-summary-title">
                <h2 class="error-summary__title" id="error-summary-title">{tr("title.error_summary")}</h2>
                <ul class="error-summary__list">{entries}</ul>
            </div>
        }.into_any()))}
    }
}
