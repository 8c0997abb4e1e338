//! The application form for a university diploma duplicate (`higher_duplicate`, `portal`), or
//! its confirmation once sent.

use leptos::prelude::*;
use telnuska_shared::application::ValidationContext;

use crate::actions::submit;
use crate::components::applicant_fields::ApplicantFields;
use crate::components::confirmation::Confirmation;
use crate::components::consent_fields::ConsentFields;
use crate::components::document_fields::DocumentFields;
use crate::components::error_summary::ErrorSummary;
use crate::components::reason_field::ReasonField;
use crate::components::signing::Signing;
use crate::components::submit_bar::SubmitBar;
use crate::form::{today, Draft};
use crate::i18n::{tr, use_lang};
use crate::state::{provide_form, SubmitStatus};

/// The form, filled from the restored draft.
#[component]
pub fn ApplyPage(draft: Draft) -> impl IntoView {
    let form = provide_form(draft, ValidationContext { today: today() });
    let lang = use_lang();
    let created = move || match form.submit.get() {
        SubmitStatus::Done(created) => Some(created),
        _ => None,
    };
    view! {
        <h1 class="title">{tr("title.higher_duplicate")}</h1>
        <Show
            when=move || created().is_none()
            fallback=move || created().map(|created| view! { <Confirmation created=created /> })
        >
            <p class="lead">{tr("hint.intro")}</p>
            <ErrorSummary />
            <form
                class="form"
                novalidate
                on:submit=move |ev| {
                    ev.prevent_default();
                    submit(form, lang.get_untracked());
                }
            >
                <ApplicantFields />
                <DocumentFields />
                <section class="section">
                    <ReasonField />
                </section>
                <ConsentFields />
                <Signing />
                <SubmitBar />
            </form>
        </Show>
    }
}
