//! The list of the device's applications, each with where it stands: being filled in, needs
//! correction (opened on the step the server named), accepted and waiting, sent (number and due
//! date), or not sent with the reason and a retry.

use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::i18n::{error_message, t, Lang};

use crate::form::{uuid_v4, Draft};
use crate::i18n::{format_date, format_instant, tr, use_lang};
use crate::staff::desk::hand_over::HandOverForm;
use crate::staff::field::deliveries::{self, Delivery, DeliveryState};
use crate::staff::field::queue::{self, FieldItem, ItemState, CLOCK_NOTICE_SECONDS};
use crate::staff::field::{use_field, Field};

/// Why an item did not go: the server's code in words, or its status.
fn reason_text(lang: Lang, reason: &str) -> String {
    match reason.strip_prefix("status.") {
        Some(status) => t(lang, "field.reason.server").replace("{status}", status),
        None => error_message(lang, reason).to_string(),
    }
}

/// Where `item` stands, in words.
fn state_text(lang: Lang, item: &FieldItem) -> String {
    match &item.state {
        ItemState::Draft { .. } if item.draft.needs_correction => t(lang, "field.state.correction").to_string(),
        ItemState::Draft { .. } => t(lang, "field.state.draft").to_string(),
        ItemState::Queued(a) => t(lang, "field.state.queued").replace("{time}", &format_instant(lang, a.accepted_at)),
        ItemState::Accepted { number, due_on, acceptance, .. } => t(lang, "field.state.accepted")
            .replace("{number}", number)
            .replace("{time}", &format_instant(lang, acceptance.accepted_at))
            .replace("{date}", &format_date(lang, *due_on)),
        ItemState::Conflict { code, .. } => [t(lang, "field.state.conflict"), error_message(lang, code)].join(" "),
        ItemState::Stuck { reason, .. } => t(lang, "field.state.stuck").replace("{reason}", &reason_text(lang, reason)),
    }
}

/// Who the item is for.
fn applicant_of(item: &FieldItem) -> String {
    let a = &item.draft.request.applicant;
    let name = [a.last_name.trim(), a.first_name.trim()].join(" ").trim().to_string();
    if name.is_empty() {
        "—".to_string()
    } else {
        name
    }
}

/// Puts a stuck (or conflicting) item back in the queue and pushes; a conflict goes under a new
/// key, as a new application.
fn retry(field: Field, item: FieldItem) {
    let state = match item.state {
        ItemState::Stuck { acceptance, .. } => ItemState::Queued(acceptance),
        ItemState::Conflict { acceptance, .. } => ItemState::Queued(acceptance),
        _ => return,
    };
    let mut draft = item.draft;
    if matches!(state, ItemState::Queued(_)) && draft.idempotency_key.is_none() {
        draft.idempotency_key = Some(uuid_v4(crate::dom::random_bytes()));
    }
    spawn_local(async move {
        let _ = queue::save(&FieldItem { draft, state }).await;
        field.reload();
        field.sync();
    });
}

/// Starts a new application at the door.
fn accept_new(field: Field) {
    let mut draft = Draft::new();
    draft.id = uuid_v4(crate::dom::random_bytes());
    draft.idempotency_key = Some(uuid_v4(crate::dom::random_bytes()));
    draft.request.channel = telnuska_shared::api::Channel::Field;
    let item = FieldItem { draft, state: ItemState::Draft { accepted_at: None } };
    spawn_local(async move {
        if queue::save(&item).await.is_ok() {
            field.editing.set(Some(item.draft.id));
        }
    });
}

/// `#field-queue`: the buttons, the clock and network notices, and `#field-items`.
#[component]
pub fn Queue() -> impl IntoView {
    let field = use_field();
    let lang = use_lang();
    let clock = move || {
        let offset = field.clock_offset.get().filter(|o| o.abs() > CLOCK_NOTICE_SECONDS)?;
        let text =
            t(lang.get(), if offset > 0 { "field.clock.ahead" } else { "field.clock.behind" }).replace("{minutes}", &(offset.abs() / 60).max(1).to_string());
        Some(view! { <div class="notice notice--error" id="field-clock" role="alert"><p>{text}</p></div> })
    };
    let row = move |item: FieldItem| {
        let id = item.draft.id.clone();
        let open = matches!(item.state, ItemState::Draft { .. }).then(|| {
            let id = id.clone();
            view! { <button type="button" class="button button--secondary" id=format!("field-open-{id}") on:click=move |_| field.editing.set(Some(id.clone()))>{tr("field.open")}</button> }
        });
        let again = matches!(item.state, ItemState::Stuck { .. } | ItemState::Conflict { .. }).then(|| {
            let item = item.clone();
            view! { <button type="button" class="button button--secondary" id=format!("field-retry-{id}") on:click=move |_| retry(field, item.clone())>{tr("field.retry")}</button> }
        });
        let status = item.clone();
        view! {
            <li class="field-item" id=format!("field-item-{id}")>
                <p class="field-item__who">{applicant_of(&item)}</p>
                <p class="field-item__state">{move || state_text(lang.get(), &status)}</p>
                {open}
                {again}
            </li>
        }
    };
    view! {
        <section id="field-queue">
            <h1 class="title" id="field-title">{tr("field.title")}</h1>
            {clock}
            <Show when=move || field.offline.get()>
                <p class="notice" role="status" id="field-offline">{tr("field.offline")}</p>
            </Show>
            <button type="button" class="button" id="field-new" on:click=move |_| accept_new(field)>{tr("field.new")}</button>
            <button type="button" class="button button--secondary" id="field-sync" disabled=move || field.syncing.get() on:click=move |_| field.sync()>
                {tr("field.sync")}
            </button>
            <h2 id="field-items-title">{tr("field.list.heading")}</h2>
            <Show when=move || field.items.with(Vec::is_empty)>
                <p id="field-items-empty">{tr("field.list.empty")}</p>
            </Show>
            <ul class="field-items" id="field-items" aria-labelledby="field-items-title">
                {move || field.items.get().into_iter().map(row).collect_view()}
            </ul>
            <Deliveries />
        </section>
    }
}

/// Where a delivery stands, in words: each time of a hand-over says whose clock it is.
fn delivery_text(lang: Lang, delivery: &Delivery) -> String {
    let device_time = |h: &deliveries::HandOver| format_instant(lang, h.performed_at);
    match &delivery.state {
        DeliveryState::ToDeliver => t(lang, "field.delivery.to_deliver").to_string(),
        DeliveryState::Queued(h) => t(lang, "field.delivery.queued").replace("{time}", &device_time(h)),
        DeliveryState::Done { hand_over, recorded_at } => {
            t(lang, "field.delivery.done").replace("{time}", &device_time(hand_over)).replace("{recorded}", &format_instant(lang, *recorded_at))
        }
        DeliveryState::Correction { errors, .. } => {
            let found: Vec<String> =
                errors.iter().map(|e| if e.message.is_empty() { error_message(lang, &e.code).to_string() } else { e.message.clone() }).collect();
            [t(lang, "field.delivery.correction"), &found.join(" ")].join(" ")
        }
        DeliveryState::Conflict { code, explanation, .. } => {
            if explanation.is_empty() {
                error_message(lang, code).to_string()
            } else {
                explanation.clone()
            }
        }
        DeliveryState::Stuck { reason, .. } => t(lang, "field.state.stuck").replace("{reason}", &reason_text(lang, reason)),
    }
}

/// Stores `delivery` and shows the list again; `push` sends what waits at once.
fn store_delivery(field: Field, delivery: Delivery, push: bool) {
    spawn_local(async move {
        let _ = deliveries::save(&delivery).await;
        field.reload();
        if push {
            field.sync();
        }
    });
}

/// `#field-deliveries`: the results to take to applicants' homes, each with the hand-over form,
/// what the server said, and the way out of a conflict (removed once the worker has read it).
#[component]
fn Deliveries() -> impl IntoView {
    let field = use_field();
    let lang = use_lang();
    let row = move |delivery: Delivery| {
        let id = delivery.id.clone();
        let lang_now = lang.get();
        let open = delivery.may_hand_over().then(|| {
            let id = id.clone();
            view! {
                <button type="button" class="button button--secondary" id=format!("field-deliver-{id}") on:click=move |_| field.handing_over.set(Some(id.clone()))>
                    {tr("staff.action.hand_over")}
                </button>
            }
        });
        let form = (field.handing_over.get() == Some(id.clone()) && delivery.may_hand_over()).then(|| {
            let delivery = StoredValue::new(delivery.clone());
            let send = move |body: serde_json::Value| {
                let Ok(presented) = serde_json::from_value(body) else { return };
                let done = delivery.get_value().handed_over(presented, chrono::Utc::now(), uuid_v4(crate::dom::random_bytes()));
                field.handing_over.set(None);
                store_delivery(field, done, true);
            };
            view! { <HandOverForm lang=lang_now send=send /> }
        });
        let again = matches!(delivery.state, DeliveryState::Stuck { .. }).then(|| {
            let delivery = delivery.clone();
            view! {
                <button type="button" class="button button--secondary" id=format!("field-deliver-retry-{id}") on:click=move |_| {
                    if let Some(h) = delivery.hand_over().cloned() {
                        store_delivery(field, Delivery { state: DeliveryState::Queued(h), ..delivery.clone() }, true);
                    }
                }>{tr("field.retry")}</button>
            }
        });
        let dismiss = matches!(delivery.state, DeliveryState::Conflict { .. } | DeliveryState::Done { .. }).then(|| {
            let id = id.clone();
            let key = if matches!(delivery.state, DeliveryState::Conflict { .. }) { "field.delivery.dismiss" } else { "field.delivery.remove" };
            view! {
                <button type="button" class="button button--secondary" id=format!("field-dismiss-{id}") on:click=move |_| {
                    let id = id.clone();
                    spawn_local(async move {
                        crate::staff::field::vault::delete_delivery(&id).await;
                        field.reload();
                    });
                }>{tr(key)}</button>
            }
        });
        let conflict = matches!(delivery.state, DeliveryState::Conflict { .. });
        view! {
            <li class="field-item" id=format!("field-delivery-{id}") data-state=if conflict { "conflict" } else { "" }>
                <p class="field-item__who">{format!("{} · {}", delivery.number, delivery.applicant)}</p>
                {delivery.address.clone().map(|a| view! { <p class="field-item__address">{a}</p> })}
                <p class="field-item__state" role=if conflict { "alert" } else { "status" }>{delivery_text(lang_now, &delivery)}</p>
                {open}
                {form}
                {again}
                {dismiss}
            </li>
        }
    };
    view! {
        <h2 id="field-deliveries-title">{tr("field.delivery.heading")}</h2>
        <Show when=move || field.deliveries.with(Vec::is_empty)>
            <p id="field-deliveries-empty">{tr("field.delivery.empty")}</p>
        </Show>
        <ul class="field-items" id="field-deliveries" aria-labelledby="field-deliveries-title">
            {move || field.deliveries.get().into_iter().map(row).collect_view()}
        </ul>
    }
}
