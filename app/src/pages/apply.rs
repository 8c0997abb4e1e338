//! The application, step by step; then "waiting for network" or the confirmation.

use chrono::NaiveDate;
use leptos::prelude::*;
use telnuska_shared::i18n::t;

use crate::actions::{follow_outbox, next, submit, STEP_TITLE_ID};
use crate::components::confirmation::confirmation;
use crate::components::error_summary::ErrorSummary;
use crate::components::outbox_status::OutboxStatus;
use crate::components::reactive;
use crate::components::step_nav::{StepNav, StepProgress};
use crate::form::{Draft, Step};
use crate::i18n::{text, use_lang};
use crate::notice::Notice;
use crate::outbox::{use_outbox, Receipt};
use crate::pages::start::{space_notice, to_start_link};
use crate::router::{use_router, Address};
use crate::state::{provide_form, use_form, FormSetup, FormState, SubmitStatus};
use crate::steps::applicant::ApplicantStep;
use crate::steps::consents::ConsentsStep;
use crate::steps::documents::DocumentsStep;
use crate::steps::reason::ReasonStep;
use crate::steps::review::ReviewStep;
use crate::steps::service::ServiceStep;
use crate::steps::sign::SignStep;
use crate::submitted::SubmittedRecord;

/// What the page shows.
#[derive(Debug, Clone, PartialEq)]
enum Mode {
    Form,
    Waiting(Receipt),
    /// Accepted now (with its dates, and the outbox's receipt if it waited), or sent before (`true`).
    Done(SubmittedRecord, Option<(NaiveDate, NaiveDate)>, Option<Receipt>, bool),
}

/// The current step: progress, heading, error summary, the step's inputs and the buttons (also
/// the staff bundle's forms, which end with a step of their own in place of signing).
#[component]
pub fn Steps() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let title = move || t(lang.get(), &format!("step.{}", form.step.get().code())).to_string();
    let body = move || {
        Some(match form.step.get() {
            Step::Service => view! { <ServiceStep /> }.into_any(),
            Step::Applicant => view! { <ApplicantStep /> }.into_any(),
            Step::Documents => view! { <DocumentsStep /> }.into_any(),
            Step::Reason => view! { <ReasonStep /> }.into_any(),
            Step::Consents => view! { <ConsentsStep /> }.into_any(),
            Step::Review => view! { <ReviewStep /> }.into_any(),
            Step::Sign => view! { <SignStep /> }.into_any(),
        })
    };
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
    let form = provide_form(draft, status, FormSetup::CITIZEN);
    follow_outbox(form, use_outbox());
    let mode = Memo::new(move |_| match form.submit.get() {
        SubmitStatus::Queued(receipt) => Mode::Waiting(receipt),
        SubmitStatus::Done(created, receipt) => {
            Mode::Done(SubmittedRecord::of(&created, &form.id.get()), Some((created.registered_on, created.due_on)), receipt, false)
        }
        SubmitStatus::AlreadySent(record) => Mode::Done(record, None, None, true),
        _ => Mode::Form,
    });
    follow_address(form, mode);
    reactive(move || {
        Some(match mode.get() {
            Mode::Form => view! { {to_start_link(form)} {space_notice(Some(form))} <Steps /> }.into_any(),
            Mode::Waiting(receipt) => view! { {to_start_link(form)} <OutboxStatus receipt=receipt /> }.into_any(),
            Mode::Done(record, dates, receipt, again) => confirmation(record, dates, receipt, again),
        })
    })
}

/// Keeps the address bar on what the page shows: `/apply/<draft>/<step>` (a new history entry
/// for each step the person moves to, so that Back returns to the step before), then
/// `/sent/<application>` in place of the last step; and the window's title on the step.
fn follow_address(form: FormState, mode: Memo<Mode>) {
    let router = use_router();
    router.register_form(form);
    Effect::new(move |shown_before: Option<()>| {
        let (address, step) = match mode.get() {
            Mode::Done(record, ..) => (Address::Sent(record.id), None),
            Mode::Waiting(_) => (Address::Form(form.id.get(), form.step.get()), None),
            Mode::Form => (Address::Form(form.id.get(), form.step.get()), Some(form.step.get())),
        };
        // The first address of a form opened from the list is a move too; at launch it is not.
        let moved = if shown_before.is_some() { step.is_some() } else { router.take_opened_by_person() };
        router.show_address(&address, moved);
        router.show_step(step);
    });
    on_cleanup(move || router.show_step(None));
}
