//! The application, step by step; then "waiting for network" or the confirmation.

use leptos::prelude::*;
use telnuska_shared::application::ValidationContext;
use telnuska_shared::i18n::t;

use crate::actions::{follow_outbox, next, submit, STEP_TITLE_ID};
use crate::components::confirmation::Confirmation;
use crate::components::reactive;
use crate::components::error_summary::ErrorSummary;
use crate::components::outbox_status::OutboxStatus;
use crate::components::step_nav::{StepNav, StepProgress};
use crate::form::{today, Draft, Step};
use crate::i18n::{text, use_lang};
use crate::outbox::{use_outbox, Receipt};
use crate::pages::start::{space_notice, to_start_link};
use crate::state::{provide_form, use_form, Notice, SubmitStatus};
use crate::steps::applicant::ApplicantStep;
use crate::steps::consents::ConsentsStep;
use crate::steps::documents::DocumentsStep;
use crate::steps::reason::ReasonStep;
use crate::steps::review::ReviewStep;
use crate::steps::service::ServiceStep;
use crate::steps::sign::SignStep;

/// What the page shows.
#[derive(Debug, Clone, PartialEq)]
enum Mode {
    Form,
    Waiting(Receipt),
    Done(telnuska_shared::api::CreatedApplication, Option<Receipt>),
}

/// The current step: progress, heading, error summary, the step's inputs and the buttons.
#[component]
fn Steps() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let title = move || t(lang.get(), &format!("step.{}", form.step.get().code())).to_string();
    let body = move || Some(match form.step.get() {
        Step::Service => view! { <ServiceStep /> }.into_any(),
        Step::Applicant => view! { <ApplicantStep /> }.into_any(),
        Step::Documents => view! { <DocumentsStep /> }.into_any(),
        Step::Reason => view! { <ReasonStep /> }.into_any(),
        Step::Consents => view! { <ConsentsStep /> }.into_any(),
        Step::Review => view! { <ReviewStep /> }.into_any(),
        Step::Sign => view! { <SignStep /> }.into_any(),
    });
    view! {
        <StepProgress />
        <h1 class="title" id=STEP_TITLE_ID tabindex="-1">{text(title)}</h1>
        <ErrorSummary />
        <form
            class="form"
            novalidate
            on:submit=move |ev| {
                ev.prevent_default();
                if form.step.get_untracked() == Step::Sign { submit(form, lang.get_untracked()) } else { next(form) }
            }
        >
            {reactive(body)}
            <StepNav />
        </form>
    }
}

/// The form of the restored draft, or the application still in the outbox (`queued`).
#[component]
pub fn ApplyPage(draft: Draft, queued: Option<Receipt>) -> impl IntoView {
    // Sent back without a list of fields (a conflict): say so, as when it happens on screen.
    let refused = draft.needs_correction && draft.server_errors.is_empty();
    let status = match queued {
        Some(receipt) => SubmitStatus::Sending(receipt),
        None if refused => SubmitStatus::NotSent(Notice::Key("drafts.refused")),
        None => SubmitStatus::Idle,
    };
    let form = provide_form(draft, ValidationContext { today: today() }, status);
    follow_outbox(form, use_outbox());
    let mode = Memo::new(move |_| match form.submit.get() {
        SubmitStatus::Queued(receipt) => Mode::Waiting(receipt),
        SubmitStatus::Done(created, receipt) => Mode::Done(created, receipt),
        _ => Mode::Form,
    });
    reactive(move || Some(match mode.get() {
        Mode::Form => view! { {to_start_link(form)} {space_notice(Some(form))} <Steps /> }.into_any(),
        Mode::Waiting(receipt) => view! { {to_start_link(form)} <OutboxStatus receipt=receipt /> }.into_any(),
        Mode::Done(created, receipt) => view! { <Confirmation created=created receipt=receipt /> }.into_any(),
    }))
}
