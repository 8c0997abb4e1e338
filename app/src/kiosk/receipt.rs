//! Sending from a kiosk — straight to the server, never through an outbox: a stranger's
//! application is not queued on a shared device; if the server cannot be reached, the kiosk says
//! so and keeps nothing — and the receipt shown (and printed) once it is accepted.

use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::api::{CreateApplicationRequest, CreatedApplication};
use telnuska_shared::i18n::Lang;

use crate::actions::{notice_of, rejected, CONFIRMATION_ID, SUBMIT_STATUS_ID};
use crate::api::{self, ApiError};
use crate::i18n::{format_date, text, tr, use_lang};
use crate::outbox::Receipt;
use crate::state::{FormState, SubmitStatus};
use crate::{dom, kiosk::device};

/// Sends the signed application with the kiosk's token (`FormSetup::send` of the kiosk).
pub fn send(form: FormState, lang: Lang, request: &CreateApplicationRequest) {
    let Ok(body) = serde_json::to_string(request) else { return };
    let key = form.idempotency_key.get_untracked();
    form.submit.set(SubmitStatus::Sending(Receipt { key: key.clone(), hash: String::new(), queued_at: Utc::now() }));
    spawn_local(async move {
        let token = device::token().unwrap_or_default();
        match api::kiosk_call::<CreatedApplication>(api::Method::POST, "/api/applications", Some(&key), &token, Some(body), lang).await {
            Ok(created) => {
                let _ = form.submit.try_set(SubmitStatus::Done(created, None));
                dom::focus_later(CONFIRMATION_ID);
            }
            Err(ApiError::Problem(problem)) if problem.status == 422 => rejected(form, problem),
            Err(error) => {
                let notice = notice_of(&error, "kiosk.not_sent_network", "status.not_sent_server");
                let _ = form.submit.try_set(SubmitStatus::NotSent(notice));
                dom::focus_later(SUBMIT_STATUS_ID);
            }
        }
    });
}

/// The receipt: number, due date and tracking code (also sent by SMS), a print button, and the
/// way out that clears the screen for the next person.
pub fn receipt(created: CreatedApplication, finish: Callback<()>) -> AnyView {
    let lang = use_lang();
    let due = created.due_on;
    view! {
        <section class="confirmation kiosk-receipt" id=CONFIRMATION_ID tabindex="-1" aria-labelledby="confirmation-title">
            <h1 class="confirmation__title" id="confirmation-title">{tr("title.confirmation")}</h1>
            <dl class="confirmation__facts">
                <dt>{tr("confirmation.number")}</dt>
                <dd><strong id="application-number">{created.number}</strong></dd>
                <dt>{tr("confirmation.due_on")}</dt>
                <dd><time id="due-on" datetime=due.to_string()>{text(move || format_date(lang.get(), due))}</time></dd>
                <dt>{tr("track.token")}</dt>
                <dd><code id="tracking-code">{created.tracking_token}</code></dd>
            </dl>
            <p>{tr("kiosk.receipt.sms")}</p>
            <div class="kiosk-receipt__actions">
                <button type="button" class="button button--secondary" id="print-receipt" on:click=|_| print()>
                    {tr("kiosk.print")}
                </button>
                <button type="button" class="button" id="receipt-finish" on:click=move |_| finish.run(())>
                    {tr("kiosk.finish")}
                </button>
            </div>
        </section>
    }
    .into_any()
}

/// The browser's print dialog (the kiosk's printer, where it has one); the print stylesheet
/// leaves only the receipt on paper.
fn print() {
    if let Some(window) = web_sys::window() {
        let _ = window.print();
    }
}
