//! Step 7: signing with a one-time SMS code, then sending; or, where the server checks EDS
//! signatures, signing with the person's EDS in NCALayer, which sends at once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::api::{CreateApplicationRequest, Relationship, Signature};
use telnuska_shared::application::OTP_LENGTH;
use telnuska_shared::i18n::{t, Lang};

use crate::actions::{hand_over, send_code, SUMMARY_ID};
use crate::components::field_error::{described_by, field_error};
use crate::components::reactive;
use crate::components::text_field::TextField;
use crate::fields::Field;
use crate::form::{Step, EDS_BUTTON_ID, EDS_OWNER};
use crate::i18n::{text, tr, use_lang};
use crate::state::{use_form, FormState, OtpStatus};
use crate::{api, dom, eds};

/// Where NCALayer is installed from.
const NCALAYER_INSTALL_URL: &str = "https://pki.gov.kz/ncalayer/";

/// `#send-code`, a live status line, and `signature.code`.
#[component]
pub fn SignStep() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    // While a new code may not be asked for yet, the button counts down to it.
    let button_text = move || match (form.otp.get(), form.resend_in.get()) {
        (OtpStatus::Sending, _) => t(lang.get(), "button.sending").to_string(),
        (_, s @ 1..) => t(lang.get(), "otp.resend_in").replace("{time}", &format!("{}:{:02}", s / 60, s % 60)),
        (OtpStatus::Sent(_), _) => t(lang.get(), "button.resend_code").to_string(),
        _ => t(lang.get(), "button.send_code").to_string(),
    };
    // "Sent" stays while a new code is asked for, and above why one was not sent.
    let sent = move || form.code_sent_to.get().map(|phone| status_line("status", t(lang.get(), "status.code_sent").replace("{phone}", &phone)));
    let failed = move || match form.otp.get() {
        OtpStatus::Failed(notice) => Some(status_line("status status--error", notice.text(lang.get()).to_string())),
        _ => None,
    };
    let waiting = move || form.resend_in.get() > 0;
    let phone = form.value_of(|r| r.applicant.phone.clone());
    view! {
        <p class="hint" id="signing-hint">{tr("hint.signature.to")}" "<strong>{text(move || phone.get())}</strong></p>
        <button
            type="button"
            class="button button--secondary"
            id="send-code"
            aria-describedby="signing-hint"
            aria-disabled=move || (form.otp.get() == OtpStatus::Sending || waiting()).then_some("true")
            on:click=move |_| send_code(form, lang.get_untracked())
        >
            {text(button_text)}
        </button>
        <div class="live" id="otp-status" role="status" aria-live="polite">
            {reactive(sent)}
            {reactive(failed)}
        </div>
        <TextField
            field=Field::Code
            label="label.signature.code"
            inputmode="numeric"
            autocomplete="one-time-code"
            maxlength=OTP_LENGTH
            class="input input--short"
        />
        {eds_signing()}
    }
}

/// Where signing with EDS stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EdsProgress {
    /// Not asked, or done.
    Idle,
    /// Waiting for NCALayer (the person picks a key and types its password there).
    Signing,
    /// No signature, and the catalogue key of why.
    Failed(&'static str),
}

/// `#sign-eds` with its live status, shown only when the server checks EDS signatures
/// (`GET /api/config`); offline, or where it does not, people sign with the SMS code alone. (A
/// plain function, not a component: one less generic wrapper in the download.)
fn eds_signing() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let url = RwSignal::new(None::<String>);
    spawn_local(async move {
        let _ = url.try_set(api::eds_ncalayer_url().await);
    });
    let progress = RwSignal::new(EdsProgress::Idle);
    let status = move || match progress.get() {
        EdsProgress::Idle => None,
        EdsProgress::Signing => Some(status_line("status", t(lang.get(), "eds.signing").to_string())),
        EdsProgress::Failed(key) => Some(status_line("status status--error", t(lang.get(), key).to_string())),
    };
    let not_running = move || progress.get() == EdsProgress::Failed(eds::Failure::NotRunning.key());
    let section = move || {
        url.get().map(|url| {
            view! {
                <p class="hint" id="eds-hint">{tr("eds.hint")}</p>
                {field_error(EDS_OWNER)}
                <button
                    type="button"
                    class="button button--secondary"
                    id=EDS_BUTTON_ID
                    aria-describedby=described_by(EDS_OWNER, Some("eds-hint".into()))
                    aria-disabled=move || (progress.get() == EdsProgress::Signing).then_some("true")
                    on:click=move |_| sign_with_eds(form, lang.get_untracked(), url.clone(), progress)
                >
                    {tr("eds.button")}
                </button>
                <div class="live" id="eds-status" role="status" aria-live="polite">
                    {reactive(status)}
                    <a href=NCALAYER_INSTALL_URL target="_blank" rel="noopener" hidden=move || !not_running()>{tr("eds.install")}</a>
                </div>
            }
            .into_any()
        })
    };
    reactive(section)
}

/// One line of a live status (the SMS code's or the EDS signing's).
fn status_line(class: &'static str, text: String) -> AnyView {
    view! { <p class=class>{text}</p> }.into_any()
}

/// Whose key must sign (as the server checks): the representative's when one applies.
fn signer_iin(request: &CreateApplicationRequest) -> &str {
    match (&request.relationship, &request.representative) {
        (Some(Relationship::Representative), Some(rep)) => &rep.iin,
        _ => &request.applicant.iin,
    }
}

/// Every answer must be right first (the signature covers them all); then NCALayer signs the
/// exact bytes the server verifies, and the signed application goes the way of an SMS-signed one.
fn sign_with_eds(form: FormState, lang: Lang, url: String, progress: RwSignal<EdsProgress>) {
    if progress.get_untracked() == EdsProgress::Signing || form.is_handed_over() {
        return;
    }
    if form.local_errors.with_untracked(|errors| errors.iter().any(|e| !e.field.starts_with("signature"))) {
        form.attempted.update(|a| a.insert(Step::Sign));
        dom::focus_later(SUMMARY_ID);
        return;
    }
    // An earlier verdict on an EDS signature is about to be replaced.
    form.server_errors.update(|errors| errors.retain(|e| !e.code.starts_with("signature.eds")));
    let request = form.unsigned();
    progress.set(EdsProgress::Signing);
    // Handing over runs under the step's owner, so that it finds the page's outbox in context.
    let owner = Owner::current().unwrap_or_default();
    spawn_local(async move {
        let content = request.signed_content();
        let signed = eds::sign(&url, &content, signer_iin(&request), lang).await;
        let outcome = match signed {
            // Edited while NCALayer was open (bytes compared: cheaper in the download than `==`).
            Ok(_) if form.unsigned().signed_content() != content => EdsProgress::Failed("eds.changed"),
            Ok(cms) => {
                owner.with(|| hand_over(form, lang, &CreateApplicationRequest { signature: Some(Signature::Eds { cms }), ..request }));
                EdsProgress::Idle
            }
            Err(failure) => EdsProgress::Failed(failure.key()),
        };
        let _ = progress.try_set(outcome);
    });
}
