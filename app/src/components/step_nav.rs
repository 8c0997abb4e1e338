//! The progress line above a step and the buttons under it.

use leptos::prelude::*;
use telnuska_shared::i18n::t;

use crate::actions::{back, SUBMIT_STATUS_ID};
use crate::components::reactive;
use crate::form::Step;
use crate::i18n::{text, tr, use_lang};
use crate::state::{use_form, SubmitStatus};

/// "Step 3 of 7" and a `<progress>` bar.
#[component]
pub fn StepProgress() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let total = Step::ALL.len();
    let label = move || t(lang.get(), "step.progress").replace("{n}", &form.step.get().number().to_string()).replace("{total}", &total.to_string());
    view! {
        <div class="progress">
            <p class="progress__text" id="step-progress">{text(label)}</p>
            <progress class="progress__bar" max=total value=move || form.step.get().number() aria-labelledby="step-progress"></progress>
        </div>
    }
}

/// `#step-next` (submits the form: "continue") or, on the last step, `#submit`; `#step-back`
/// from the second step on; and after a failed send, why.
#[component]
pub fn StepNav() -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let step = move || form.step.get();
    let sending = move || matches!(form.submit.get(), SubmitStatus::Sending(_));
    let notice = move || match form.submit.get() {
        SubmitStatus::NotSent(notice) => Some(notice.text(lang.get())),
        _ => None,
    };
    view! {
        <div class="step-nav">
            {reactive(move || notice().map(|text| view! {
                <div class="notice notice--error" id=SUBMIT_STATUS_ID role="alert" tabindex="-1"><p>{text}</p></div>
            }.into_any()))}
            // One button: "continue" (`#step-next`), on the last step "send" (`#submit`).
            <button
                type="submit"
                class="button"
                id=move || if step() == Step::Sign { "submit" } else { "step-next" }
                aria-disabled=move || sending().then_some("true")
            >
                {text(move || {
                    let key = match (step() == Step::Sign, sending()) {
                        (false, _) => "button.continue",
                        (true, false) => "button.submit",
                        (true, true) => "button.submitting",
                    };
                    t(lang.get(), key)
                })}
            </button>
            {reactive(move || (step() != Step::Service).then(|| view! {
                <button type="button" class="button button--secondary" id="step-back" on:click=move |_| back(form)>
                    {tr("button.back")}
                </button>
            }.into_any()))}
        </div>
    }
}
