//! The submit button and, after a failed attempt, a plain sentence about what happened.

use leptos::prelude::*;
use telnuska_shared::i18n::t;

use crate::actions::SUBMIT_STATUS_ID;
use crate::i18n::use_lang;
use crate::state::{use_form, SubmitStatus};

/// `#submit` (a submit button of the form) and `#submit-status`.
#[component]
pub fn SubmitBar() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let sending = move || form.submit.get() == SubmitStatus::Sending;
    let notice = move || match form.submit.get() {
        SubmitStatus::NotSent(notice) => Some(notice.text(lang.get())),
        _ => None,
    };
    view! {
        <div class="submit-bar">
            {move || {
                notice()
                    .map(|text| {
                        view! {
                            <div class="notice notice--error" id=SUBMIT_STATUS_ID role="alert" tabindex="-1">
                                <p>{text}</p>
                            </div>
                        }
                    })
            }}
            <button type="submit" class="button" id="submit" aria-disabled=move || sending().then_some("true")>
                {move || t(lang.get(), if sending() { "button.submitting" } else { "button.submit" })}
            </button>
        </div>
    }
}
