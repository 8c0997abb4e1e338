//! What the person sees once the application has been accepted.

use leptos::prelude::*;
use telnuska_shared::api::{CreatedApplication, ServiceCode};

use crate::actions::CONFIRMATION_ID;
use crate::components::outbox_status::receipt_facts;
use crate::i18n::{format_date, text, tr, use_lang};
use crate::outbox::Receipt;
use crate::router::{link, Page};
use crate::state::use_form;

/// `<section id="confirmation">` with `#application-number`, `#registered-on`, `#due-on`
/// (`<time datetime="YYYY-MM-DD">` written out in the interface language), and the receipt
/// of the outbox when the application had to wait for the network.
#[component]
pub fn Confirmation(created: CreatedApplication, receipt: Option<Receipt>) -> impl IntoView {
    let form = use_form();
    let lang = use_lang();
    let (registered, due) = (created.registered_on, created.due_on);
    // A correction updates the record: there is no duplicate to announce.
    let correction = form.request.with_untracked(|r| r.service == ServiceCode::Correction);
    view! {
        <section class="confirmation" id=CONFIRMATION_ID tabindex="-1" aria-labelledby="confirmation-title">
            <h1 class="confirmation__title" id="confirmation-title">{tr("title.confirmation")}</h1>
            <dl class="confirmation__facts">
                <dt>{tr("confirmation.number")}</dt>
                <dd><strong id="application-number">{created.number}</strong></dd>
                <dt>{tr("confirmation.registered_on")}</dt>
                <dd>
                    <time id="registered-on" datetime=registered.to_string()>{text(move || format_date(lang.get(), registered))}</time>
                </dd>
                <dt>{tr("confirmation.due_on")}</dt>
                <dd>
                    <time id="due-on" datetime=due.to_string()>{text(move || format_date(lang.get(), due))}</time>
                </dd>
            </dl>
            {receipt.map(|receipt| view! { <p>{tr("outbox.delivered")}</p>{receipt_facts(receipt)} })}
            <p>{tr(if correction { "confirmation.next.correction" } else { "confirmation.next" })}</p>
            <p><a href="/track" class="link" id="confirmation-track" on:click=link(Page::Track)>{tr("nav.track")}</a></p>
            <button type="button" class="button button--secondary" id="new-application" on:click=move |_| form.reset()>
                {tr("button.new_application")}
            </button>
        </section>
    }
}
