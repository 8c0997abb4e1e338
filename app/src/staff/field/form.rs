//! Accepting at the door: the citizen's form steps, sent through the `field` channel and kept
//! sealed on the device as they are typed; instead of signing, the worker confirms acceptance
//! (the deadline runs from that moment, by the device's clock) and the applicant gets a receipt
//! on screen to photograph: the time and the receipt code, the number to come with the sync.
//! Photos of the documents are taken through the citizen's file fields, downscaled the same way,
//! and sealed on the device instead of uploaded; the applicant's consents are the field channel's
//! signature (the server asks no code of it: the worker accepts under their own account).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::api::Channel;

use crate::actions::{STEP_TITLE_ID, SUMMARY_ID};
use crate::components::error_summary::ErrorSummary;
use crate::fields::cleaned;
use crate::form::{Draft, Step};
use crate::i18n::{format_instant, tr, use_lang};
use crate::notice::Notice;
use crate::outbox::Receipt;
use crate::pages::apply::Steps;
use crate::staff::field::queue::{self, Acceptance, FieldItem, ItemState};
use crate::staff::field::{use_field, vault, Field};
use crate::state::{provide_form, FormSetup, FormState, SubmitStatus};
use crate::upload::Prepared;
use js_sys::Uint8Array;
use std::future::Future;
use std::pin::Pin;
use wasm_bindgen_futures::JsFuture;

/// The field channel, its drafts kept sealed in the field vault.
// `send` is never reached: the acceptance step takes the place of signing.
const FIELD: FormSetup = FormSetup { channel: Channel::Field, keep: Some(keep_sealed), send: None, keep_file: Some(keep_photo) };

/// Keeps a photo of a document taken at the door sealed in the vault, under a new device id
/// ([`queue::ON_DEVICE`]) that the sync replaces by the server's when it uploads the photo.
fn keep_photo(prepared: Prepared) -> Pin<Box<dyn Future<Output = Result<String, Notice>>>> {
    Box::pin(async move {
        let not_kept = Notice::Key("field.storage");
        let buffer = JsFuture::from(prepared.blob.array_buffer()).await.map_err(|_| not_kept.clone())?;
        let id = format!("{}{}", queue::ON_DEVICE, crate::form::uuid_v4(crate::dom::random_bytes()));
        vault::put_file(&id, &prepared.name, &Uint8Array::new(&buffer).to_vec()).await.map_err(|_| not_kept)?;
        Ok(id)
    })
}

/// Keeps the draft of an item still being filled in (an accepted item's answers are final).
fn keep_sealed(draft: Draft) {
    spawn_local(async move {
        let Some(FieldItem { state: ItemState::Draft { accepted_at }, .. }) = vault::item::<FieldItem>(&draft.id).await else { return };
        let _ = queue::save(&FieldItem { draft, state: ItemState::Draft { accepted_at } }).await;
    });
}

/// The item `id`, once opened from the vault.
#[component]
pub fn FieldForm(id: String) -> impl IntoView {
    let field = use_field();
    let item = LocalResource::new(move || {
        let id = id.clone();
        async move { vault::item::<FieldItem>(&id).await }
    });
    move || {
        let loaded = item.get()?;
        Some(match loaded {
            Some(item) => view! { <Accepting item=item /> }.into_any(),
            None => {
                field.editing.set(None);
                ().into_any()
            }
        })
    }
}

/// The steps, then the acceptance, then the receipt.
#[component]
fn Accepting(item: FieldItem) -> impl IntoView {
    let field = use_field();
    let receipt = match &item.state {
        ItemState::Draft { .. } => None,
        other => other_acceptance(other).map(|a| Receipt { key: item.key(), hash: a.hash, queued_at: a.accepted_at }),
    };
    let status = receipt.map_or(SubmitStatus::Idle, SubmitStatus::Sending);
    let kept_time = item.accepted_at();
    let form = provide_form(item.draft, status, FIELD);
    let back = move |_| {
        field.editing.set(None);
        field.reload();
        field.sync();
    };
    let body = move || match form.submit.get() {
        SubmitStatus::Sending(receipt) => view! { <AcceptanceReceipt receipt=receipt /> }.into_any(),
        _ if form.step.get() == Step::Sign => view! { <AcceptStep kept_time=kept_time /> }.into_any(),
        _ => view! { <Steps /> }.into_any(),
    };
    view! {
        <p><button type="button" class="link-button" id="field-back" on:click=back>{tr("field.back")}</button></p>
        {body}
    }
}

fn other_acceptance(state: &ItemState) -> Option<Acceptance> {
    match state {
        ItemState::Queued(a)
        | ItemState::Accepted { acceptance: a, .. }
        | ItemState::Conflict { acceptance: a, .. }
        | ItemState::Stuck { acceptance: a, .. } => Some(a.clone()),
        ItemState::Draft { .. } => None,
    }
}

/// Confirms acceptance: everything checked, `accepted_at` taken now (or kept from the first
/// acceptance of a corrected item), the item queued and sealed.
fn accept(field: Field, form: FormState, kept_time: Option<DateTime<Utc>>) {
    if form.is_handed_over() {
        return;
    }
    form.attempted.update(|a| a.insert(Step::Sign));
    if form.step_has_errors(Step::Sign) {
        crate::dom::focus_later(SUMMARY_ID);
        return;
    }
    let accepted_at = kept_time.unwrap_or_else(Utc::now);
    let mut request = cleaned(&form.request.get_untracked());
    request.channel = Channel::Field;
    request.signature = None;
    request.accepted_at = Some(accepted_at);
    let Ok(body) = serde_json::to_string(&request) else { return };
    let mut draft = form.draft();
    draft.needs_correction = false;
    draft.server_errors = Vec::new();
    spawn_local(async move {
        let item = queue::accepted(draft, accepted_at, body).await;
        if queue::save(&item).await.is_ok() {
            let hash = other_acceptance(&item.state).map(|a| a.hash).unwrap_or_default();
            form.submit.set(SubmitStatus::Sending(Receipt { key: item.key(), hash, queued_at: accepted_at }));
            crate::dom::focus_later("field-receipt");
            field.sync();
        }
    });
}

/// The last step at the door: what confirming means, and the button.
#[component]
fn AcceptStep(kept_time: Option<DateTime<Utc>>) -> impl IntoView {
    let form = crate::state::use_form();
    let field = use_field();
    view! {
        <h1 class="title" id=STEP_TITLE_ID tabindex="-1">{tr("field.accept.heading")}</h1>
        <ErrorSummary />
        <p class="hint" id="field-accept-hint">{tr("field.accept.hint")}</p>
        <div class="step-nav">
            <button type="button" class="button" id="field-accept" aria-describedby="field-accept-hint" on:click=move |_| accept(field, form, kept_time)>
                {tr("field.accept.submit")}
            </button>
            <button type="button" class="button button--secondary" id="step-back" on:click=move |_| crate::actions::back(form)>
                {tr("button.back")}
            </button>
        </div>
    }
}

/// `#field-receipt`: accepted, when, the receipt code; the number comes with the sync.
#[component]
fn AcceptanceReceipt(receipt: Receipt) -> impl IntoView {
    let lang = use_lang();
    let time = receipt.queued_at;
    view! {
        <section class="confirmation" id="field-receipt" tabindex="-1" aria-labelledby="field-receipt-title">
            <h1 class="title" id="field-receipt-title">{tr("field.receipt.heading")}</h1>
            <p>{tr("field.receipt.number")}</p>
            <dl class="receipt">
                <dt>{tr("field.receipt.time")}</dt>
                <dd id="receipt-time">{move || format_instant(lang.get(), time)}</dd>
                <dt>{tr("field.receipt.hash")}</dt>
                <dd id="receipt-hash" class="receipt__hash">{receipt.hash.clone()}</dd>
            </dl>
        </section>
    }
}
