//! Step 7: signing with a one-time SMS code, then sending.

use leptos::prelude::*;
use telnuska_shared::application::OTP_LENGTH;
use telnuska_shared::i18n::t;

use crate::actions::send_code;
use crate::components::reactive;
use crate::components::text_field::TextField;
use crate::fields::Field;
use crate::i18n::{text, tr, use_lang};
use crate::state::{use_form, OtpStatus};

/// `#send-code`, a live status line, and `signature.code`.
#[component]
pub fn SignStep() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let button_text = move || match form.otp.get() {
        OtpStatus::Sending => t(lang.get(), "button.sending"),
        OtpStatus::Sent(_) => t(lang.get(), "button.resend_code"),
        _ => t(lang.get(), "button.send_code"),
    };
    let status = move || match form.otp.get() {
        OtpStatus::Sent(phone) => Some(("status", t(lang.get(), "status.code_sent").replace("{phone}", &phone))),
        OtpStatus::Failed(notice) => Some(("status status--error", notice.text(lang.get()).to_string())),
        _ => None,
    };
    let phone = move || form.request.with(|r| r.applicant.phone.clone());
    view! {
        <p class="hint" id="signing-hint">{tr("hint.signature.to")}" "<strong>{text(phone)}</strong></p>
        <button
            type="button"
            class="button button--secondary"
            id="send-code"
            aria-describedby="signing-hint"
            aria-disabled=move || (form.otp.get() == OtpStatus::Sending).then_some("true")
            on:click=move |_| send_code(form, lang.get_untracked())
        >
            {text(button_text)}
        </button>
        <div class="live" id="otp-status" role="status" aria-live="polite">
            {reactive(move || status().map(|(class, text)| view! { <p class=class>{text}</p> }.into_any()))}
        </div>
        <TextField
            field=Field::Code
            label="label.signature.code"
            inputmode="numeric"
            autocomplete="one-time-code"
            maxlength=OTP_LENGTH
            class="input input--short"
        />
    }
}
