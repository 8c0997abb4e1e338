//! What the person sees once the application has been accepted (at `/sent/<id>`, which shows it
//! again after a reload), or when a tab sends a draft this device has already sent.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::actions::CONFIRMATION_ID;
use crate::components::outbox_status::receipt_facts;
use crate::form::Draft;
use crate::i18n::{format_date, text, tr, use_lang};
use crate::outbox::Receipt;
use crate::router::{link, use_router, Page};
use crate::submitted::SubmittedRecord;

/// `<section id="confirmation">` with `#application-number`, `#tracking-code` (when this device
/// has it), `#registered-on` and `#due-on` (when just sent), the receipt of the outbox when the
/// application had to wait for the network, and `#confirmation-track`, "my applications", which
/// lists it. `again`: the draft was sent before (from another tab), so it says "already
/// sent". (A plain function, not a component: it is shown from two places, and a component's
/// wrapper would copy it into each.)
pub fn confirmation(record: SubmittedRecord, dates: Option<(NaiveDate, NaiveDate)>, receipt: Option<Receipt>, again: bool) -> AnyView {
    let SubmittedRecord { number, tracking_token, .. } = record;
    let title = if again { "title.already_sent" } else { "title.confirmation" };
    // A correction updates the record: there is no duplicate to announce (known while its form is on screen).
    let correction =
        use_context::<crate::state::FormState>().is_some_and(|f| f.request.with_untracked(|r| r.service == telnuska_shared::api::ServiceCode::Correction));
    let code = (!tracking_token.is_empty()).then(|| {
        view! {
            <dt>{tr("track.token")}</dt>
            <dd><code id="tracking-code">{tracking_token}</code></dd>
        }
    });
    let lang = use_lang();
    // `<time datetime="YYYY-MM-DD">`, written out in the interface language.
    let dates = dates.map(|(registered, due)| {
        view! {
            <dt>{tr("confirmation.registered_on")}</dt>
            <dd><time id="registered-on" datetime=registered.to_string()>{text(move || format_date(lang.get(), registered))}</time></dd>
            <dt>{tr("confirmation.due_on")}</dt>
            <dd><time id="due-on" datetime=due.to_string()>{text(move || format_date(lang.get(), due))}</time></dd>
        }
    });
    view! {
        <section class="confirmation" id=CONFIRMATION_ID tabindex="-1" aria-labelledby="confirmation-title">
            <h1 class="confirmation__title" id="confirmation-title">{tr(title)}</h1>
            <dl class="confirmation__facts">
                <dt>{tr("confirmation.number")}</dt>
                <dd><strong id="application-number">{number}</strong></dd>
                {code}
                {dates}
            </dl>
            {receipt.map(|receipt| view! { <p>{tr("outbox.delivered")}</p>{receipt_facts(receipt)} })}
            <p>{tr(if correction { "confirmation.next.correction" } else { "confirmation.next" })}</p>
            // The device's list of its applications holds it from now on.
            <p><a href="/track" class="link" id="confirmation-track" on:click=link(Page::Track)>{tr("confirmation.track")}</a></p>
            <button type="button" class="button button--secondary" id="new-application" on:click=move |_| use_router().open_form(Draft::new(), None)>
                {tr("button.new_application")}
            </button>
        </section>
    }
    .into_any()
}
