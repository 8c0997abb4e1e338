//! "Waiting for network": what was queued, with a receipt the person can keep (the SHA-256 of
//! exactly what will be sent, and when it was queued).

use leptos::prelude::*;
use telnuska_shared::i18n::t;

use crate::actions::OUTBOX_STATUS_ID;
use crate::i18n::{format_instant, text, tr, use_lang};
use crate::outbox::{use_outbox, Receipt};

/// `#outbox-receipt`: `#receipt-time` and `#receipt-hash`.
pub fn receipt_facts(receipt: Receipt) -> impl IntoView {
    let lang = use_lang();
    let at = receipt.queued_at;
    view! {
        <dl class="receipt" id="outbox-receipt">
            <dt>{tr("outbox.receipt.queued_at")}</dt>
            <dd><time id="receipt-time" datetime=at.to_rfc3339()>{text(move || format_instant(lang.get(), at))}</time></dd>
            <dt>{tr("outbox.receipt.hash")}</dt>
            <dd><code class="receipt__hash" id="receipt-hash">{receipt.hash}</code></dd>
        </dl>
    }
}

/// `<section id="outbox-status">`: why it waits, that it will be sent by itself, and the receipt.
#[component]
pub fn OutboxStatus(receipt: Receipt) -> impl IntoView {
    let lang = use_lang();
    let outbox = use_outbox();
    let why = move || outbox.waiting.get().map(|n| n.text(lang.get())).unwrap_or_else(|| t(lang.get(), "outbox.waiting_network"));
    view! {
        <section class="notice notice--waiting" id=OUTBOX_STATUS_ID tabindex="-1" role="status" aria-labelledby="outbox-title">
            <h1 class="notice__title" id="outbox-title">{tr("title.outbox")}</h1>
            <p>{text(why)}</p>
            <p>{tr("outbox.kept")}</p>
            {receipt_facts(receipt)}
        </section>
    }
}
