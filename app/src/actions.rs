//! What the two buttons do: ask for an SMS code, and send the application with its
//! idempotency key, turning every answer of the server into something the person can act on.

use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::api::Problem;
use telnuska_shared::i18n::Lang;
use telnuska_shared::phone::Phone;

use crate::api::{self, ApiError};
use crate::dom;
use crate::drafts::{self, SubmittedRecord};
use crate::form::{field_id, uuid_v4};
use crate::state::{FormState, Notice, OtpStatus, SubmitStatus};

/// `id` of the error summary, focused after a failed submit (GOV.UK pattern).
pub const SUMMARY_ID: &str = "error-summary";
/// `id` of the confirmation block.
pub const CONFIRMATION_ID: &str = "confirmation";
/// `id` of the "not sent" message.
pub const SUBMIT_STATUS_ID: &str = "submit-status";

/// The notice for a failure that is not a list of field errors.
fn notice_of(error: &ApiError, network: &'static str, server: &'static str) -> Notice {
    match error {
        ApiError::Network => Notice::Key(network),
        e if e.status().is_some_and(|s| s >= 500) => Notice::Key(server),
        // A field error says more than the problem's general code (`validation.failed`).
        ApiError::Problem(Problem { errors, .. }) if !errors.is_empty() => Notice::Code(errors[0].code.clone()),
        ApiError::Problem(Problem { code, .. }) if !code.is_empty() => Notice::Code(code.clone()),
        _ => Notice::Key(server),
    }
}

/// Asks the server to send a code to the applicant's phone, once that phone is valid.
pub fn send_code(form: FormState, lang: Lang) {
    if form.otp.get_untracked() == OtpStatus::Sending {
        return;
    }
    let Ok(phone) = Phone::parse(&form.request.get_untracked().applicant.phone) else {
        form.touch("applicant.phone");
        form.otp.set(OtpStatus::Failed(Notice::Key("status.phone_first")));
        dom::focus_later_owned(field_id("applicant.phone"));
        return;
    };
    form.otp.set(OtpStatus::Sending);
    spawn_local(async move {
        let status = match api::send_otp(phone.as_ref(), lang).await {
            Ok(()) => {
                dom::focus_later_owned(field_id("signature.code"));
                OtpStatus::Sent(phone.to_string())
            }
            Err(e) => OtpStatus::Failed(notice_of(&e, "status.code_not_sent", "status.code_server")),
        };
        form.otp.set(status);
    });
}

/// Validates and, if nothing is wrong, sends the application.
pub fn submit(form: FormState, lang: Lang) {
    if matches!(form.submit.get_untracked(), SubmitStatus::Sending | SubmitStatus::Done(_)) {
        return;
    }
    form.attempted.set(true);
    if form.idempotency_key.get_untracked().is_none() {
        form.idempotency_key.set(Some(uuid_v4(dom::random_bytes())));
    }
    if !form.local_errors.get_untracked().is_empty() {
        form.submit.set(SubmitStatus::Idle);
        dom::focus_later(SUMMARY_ID);
        return;
    }
    let request = form.request.get_untracked();
    let key = form.idempotency_key.get_untracked().unwrap_or_default();
    form.submit.set(SubmitStatus::Sending);
    spawn_local(async move {
        match api::create_application(&request, lang, &key).await {
            Ok(created) => {
                let record = SubmittedRecord {
                    id: created.id.clone(),
                    number: created.number.clone(),
                    tracking_token: created.tracking_token.clone(),
                };
                form.server_errors.set(Vec::new());
                form.submit.set(SubmitStatus::Done(created));
                dom::focus_later(CONFIRMATION_ID);
                let _ = drafts::remember_submitted(&record).await;
                let _ = drafts::clear_draft().await;
            }
            // A 422 stores nothing, so the corrected form may go out under a new key.
            Err(ApiError::Problem(problem)) if problem.status == 422 && !problem.errors.is_empty() => {
                form.idempotency_key.set(None);
                form.server_errors.set(problem.errors);
                form.submit.set(SubmitStatus::Idle);
                dom::focus_later(SUMMARY_ID);
            }
            // The key went out earlier with other answers (a lost reply, then edits): the next
            // press uses a new key.
            Err(ApiError::Problem(problem)) if problem.code == "idempotency.conflict" => {
                form.idempotency_key.set(None);
                form.submit.set(SubmitStatus::NotSent(Notice::Key("status.not_sent_conflict")));
                dom::focus_later(SUBMIT_STATUS_ID);
            }
            Err(e) => {
                let notice = notice_of(&e, "status.not_sent_network", "status.not_sent_server");
                form.submit.set(SubmitStatus::NotSent(notice));
                dom::focus_later(SUBMIT_STATUS_ID);
            }
        }
    });
}
