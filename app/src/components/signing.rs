//! Signing with a one-time SMS code: the "send code" button, its outcome, and the code input.

use leptos::prelude::*;

use crate::actions::send_code;
use crate::components::text_field::TextField;
use crate::form::{code_of, digits, set_code};
use crate::i18n::{tr, use_lang};
use crate::state::{use_form, OtpStatus};
use telnuska_shared::application::OTP_LENGTH;
use telnuska_shared::i18n::t;

/// `#send-code`, a live status line, and `signature.code`.
#[component]
pub fn Signing() -> impl IntoView {
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
    view! {
        <section class="section" aria-labelledby="signing-title">
            <h2 class="section__title" id="signing-title">{tr("title.signing")}</h2>
            <p class="hint" id="signing-hint">{tr("hint.signature")}</p>
            <button
                type="button"
                class="button button--secondary"
                id="send-code"
                aria-describedby="signing-hint"
                aria-disabled=move || (form.otp.get() == OtpStatus::Sending).then_some("true")
                on:click=move |_| send_code(form, lang.get_untracked())
            >
                {button_text}
            </button>
            <div class="live" id="otp-status" role="status" aria-live="polite">
                {move || status().map(|(class, text)| view! { <p class=class>{text}</p> })}
            </div>
            <TextField
                path="signature.code"
                label="label.signature.code"
                get=code_of
                set=|r, v| set_code(r, digits(&v, OTP_LENGTH))
                inputmode="numeric"
                autocomplete="one-time-code"
                maxlength=OTP_LENGTH
                class="input input--short"
            />
        </section>
    }
}
