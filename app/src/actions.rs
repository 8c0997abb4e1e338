//! What the buttons do: move between steps (checking the step first), ask for an SMS code, and
//! hand the signed application to the outbox; and how the outbox's answer reaches the form.

use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::api::{CreateApplicationRequest, Problem};
use telnuska_shared::application::OTP_RESEND_SECONDS;
use telnuska_shared::i18n::Lang;
use telnuska_shared::phone::Phone;

use crate::api::{self, ApiError};
use crate::dom;
use crate::drafts;
use crate::fields::cleaned;
use crate::form::{anchor_for, field_id, owner_of, step_of, Step};
use crate::notice::Notice;
use crate::outbox::{self, Outbox, OutboxItem, Outcome};
use crate::state::{FormState, OtpStatus, SubmitStatus};
use crate::submitted;

/// `id` of the error summary, focused after a failed step (GOV.UK pattern).
pub const SUMMARY_ID: &str = "error-summary";
/// `id` of the confirmation block.
pub const CONFIRMATION_ID: &str = "confirmation";
/// `id` of the "not sent" message.
pub const SUBMIT_STATUS_ID: &str = "submit-status";
/// `id` of the "waiting for network" block.
pub const OUTBOX_STATUS_ID: &str = "outbox-status";
/// `id` of each step's heading, focused when the step changes.
pub const STEP_TITLE_ID: &str = "step-title";

/// Shows `step`, its heading focused and the page at the top.
pub fn go(form: FormState, step: Step) {
    form.step.set(step);
    if step == Step::Review {
        form.back_to_review.set(false);
    }
    dom::scroll_top();
    dom::focus_later(STEP_TITLE_ID);
}

/// "Continue": the step's errors all show (with the summary focused), or the next step opens
/// (the review again after a "change" link).
pub fn next(form: FormState) {
    let step = form.step.get_untracked();
    form.attempted.update(|a| a.insert(step));
    if form.step_has_errors(step) {
        dom::focus_later(SUMMARY_ID);
        return;
    }
    let target = if form.back_to_review.get_untracked() && step < Step::Review { Step::Review } else { step.next() };
    go(form, target);
}

/// "Back".
pub fn back(form: FormState) {
    go(form, form.step.get_untracked().previous());
}

/// A "change" link of the review.
pub fn change(form: FormState, step: Step) {
    go(form, step);
    form.back_to_review.set(true);
}

/// An error-summary link: the step that holds the input, then the input focused.
pub fn go_to_error(form: FormState, owner: &str) {
    let req = form.request.get_untracked();
    let step = step_of(owner);
    if step != form.step.get_untracked() {
        form.step.set(step);
    }
    if let Some(anchor) = anchor_for(owner, &req) {
        dom::focus_later_owned(anchor);
    }
}

/// The notice for a failure that is not a list of field errors.
pub fn notice_of(error: &ApiError, network: &'static str, server: &'static str) -> Notice {
    match error {
        ApiError::Network => Notice::Key(network),
        e if e.status().is_some_and(|s| s >= 500) => Notice::Key(server),
        // A field error says more than the problem's general code (`validation.failed`).
        ApiError::Problem(Problem { errors, .. }) if !errors.is_empty() => Notice::Code(errors[0].code.clone()),
        ApiError::Problem(Problem { code, .. }) if !code.is_empty() => Notice::Code(code.clone()),
        _ => Notice::Key(server),
    }
}

/// Asks the server to send a code to the applicant's phone, once that phone is valid (and once
/// the wait after the last code is over: the server would refuse it).
pub fn send_code(form: FormState, lang: Lang) {
    if form.otp.get_untracked() == OtpStatus::Sending || form.resend_in.get_untracked() > 0 {
        return;
    }
    let Ok(phone) = Phone::parse(&form.request.get_untracked().applicant.phone) else {
        form.touch("applicant.phone");
        form.otp.set(OtpStatus::Failed(Notice::Key("status.phone_first")));
        return;
    };
    form.otp.set(OtpStatus::Sending);
    // The code will sign these answers only (changed afterwards, they need a new code).
    let content = form.unsigned().signed_content();
    spawn_local(async move {
        let content_sha256 = outbox::sha256_hex(std::str::from_utf8(&content).unwrap_or_default()).await;
        let status = match api::send_otp(phone.as_ref(), content_sha256, lang).await {
            Ok(()) => {
                dom::focus_later_owned(field_id("signature.code"));
                form.code_sent_to.set(Some(phone.to_string()));
                count_down(form.resend_in, OTP_RESEND_SECONDS);
                OtpStatus::Sent(phone.to_string())
            }
            Err(e) => OtpStatus::Failed(notice_of(&e, "status.code_not_sent", "status.code_server")),
        };
        form.otp.set(status);
    });
}

/// Sets `left` to `seconds` and counts it down to 0, a second at a time (until the form is gone).
fn count_down(left: RwSignal<u32>, seconds: u32) {
    left.set(seconds);
    spawn_local(async move {
        while left.try_get_untracked().is_some_and(|s| s > 0) {
            gloo_timers::future::TimeoutFuture::new(1_000).await;
            left.try_update(|s| *s = s.saturating_sub(1));
        }
    });
}

/// Validates everything and, if nothing is wrong, puts the application in the outbox, which
/// sends it now or as soon as the server can be reached.
pub fn submit(form: FormState, lang: Lang) {
    if form.is_handed_over() {
        return;
    }
    form.attempted.update(|a| a.insert(Step::Sign));
    if form.step_has_errors(Step::Sign) {
        form.submit.set(SubmitStatus::Idle);
        dom::focus_later(SUMMARY_ID);
        return;
    }
    hand_over(form, lang, &cleaned(&form.request.get_untracked()));
}

/// Puts `request` (the form's, signed: by [`submit`] with the SMS code, or by the EDS step with
/// a signature over exactly these answers) in the outbox, under the draft's idempotency key;
/// or, when this device already sent the draft (from another tab), says so with its number.
pub fn hand_over(form: FormState, lang: Lang, request: &CreateApplicationRequest) {
    if form.is_handed_over() {
        return;
    }
    if let Some(send) = form.setup.send {
        return send(form, lang, request);
    }
    // The citizen's outbox, made by the root component for the page's life.
    let Some(outbox) = use_context::<Outbox>() else { return };
    let key = form.idempotency_key.get_untracked();
    form.needs_correction.set(false);
    let Ok(body) = serde_json::to_string(request) else { return };
    // The draft stays stored, marked with the key, until the server accepts the application;
    // a refusal puts it back to be corrected (see the outbox).
    let draft = form.draft();
    // The answer to come is the one to follow (a second press meanwhile queues the same key).
    outbox.forget_outcome(&key);
    spawn_local(async move {
        if let Some(sent) = submitted::sent(&draft.id).await {
            let _ = drafts::delete_draft(&draft.id).await;
            form.submit.set(SubmitStatus::AlreadySent(sent));
            dom::focus_later(CONFIRMATION_ID);
            return;
        }
        let _ = drafts::save_draft(outbox.space, &draft).await;
        let hash = outbox::sha256_hex(&body).await.unwrap_or_default();
        let item = OutboxItem { key, body, lang: lang.code().to_string(), queued_at: Utc::now(), hash, draft_id: Some(draft.id) };
        form.submit.set(SubmitStatus::Sending(item.receipt()));
        outbox.enqueue(item).await;
    });
}

/// Follows the outbox for the application this form handed over: "waiting" while the server
/// is out of reach, then the confirmation, or the form again with what to correct.
pub fn follow_outbox(form: FormState, outbox: Outbox) {
    Effect::new(move |_| {
        let receipt = match form.submit.get() {
            SubmitStatus::Sending(r) | SubmitStatus::Queued(r) => r,
            _ => return,
        };
        let outcome = outbox.outcomes.with(|o| o.iter().find(|(k, _)| *k == receipt.key).map(|(_, o)| o.clone()));
        let waited = matches!(form.submit.get_untracked(), SubmitStatus::Queued(_));
        match outcome {
            None if !waited && outbox.waiting.get().is_some() => {
                form.submit.set(SubmitStatus::Queued(receipt));
                dom::focus_later(OUTBOX_STATUS_ID);
            }
            None => {}
            Some(Outcome::Created(created)) => {
                form.submit.set(SubmitStatus::Done(created, waited.then_some(receipt)));
                dom::focus_later(CONFIRMATION_ID);
            }
            Some(Outcome::Rejected(problem)) => rejected(form, problem),
            Some(Outcome::Failed(_)) => {
                // Nothing was stored: the next attempt goes under the same key.
                form.submit.set(SubmitStatus::NotSent(Notice::Key("status.not_sent_server")));
                dom::focus_later(SUBMIT_STATUS_ID);
            }
        }
    });
}

/// The server stored nothing: the form comes back with the reason, and is saved as a draft
/// marked "needs correction".
pub fn rejected(form: FormState, problem: Problem) {
    // The same key: the server stored nothing, and the corrected draft is still one application.
    form.needs_correction.set(true);
    if problem.status == 422 && !problem.errors.is_empty() {
        let req = form.request.get_untracked();
        let first = step_of(&owner_of(&problem.errors[0].field, &req));
        form.server_errors.set(problem.errors);
        form.submit.set(SubmitStatus::Idle);
        form.step.set(first.min(Step::Sign));
        dom::focus_later(SUMMARY_ID);
        return;
    }
    // The draft's key already made an application, of other answers (sent from another tab or device).
    let notice = if problem.code == "idempotency.conflict" {
        Notice::Key("status.sent_elsewhere")
    } else {
        notice_of(&ApiError::Problem(problem), "status.not_sent_network", "status.not_sent_server")
    };
    form.submit.set(SubmitStatus::NotSent(notice));
    dom::focus_later(SUBMIT_STATUS_ID);
}
