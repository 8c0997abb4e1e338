//! "My applications": those sent from this device (IndexedDB `submitted`), each with its stage
//! history from `GET /api/applications/{id}` (tracking token), dates in the person's language.

use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::i18n::t;
use telnuska_shared::reference::reference;

use crate::api::{self, Tracking};
use crate::components::{loading, reactive};
use crate::drafts::{self, SubmittedRecord};
use crate::i18n::{format_date, format_instant, name_in, text, tr, use_lang};

/// The application's current stage and history, newest first.
fn details(tracking: Tracking) -> impl IntoView {
    let lang = use_lang();
    let Tracking { service, status, registered_on, due_on, history } = tracking;
    let history = history
        .into_iter()
        .rev()
        .map(|stage| {
            let at = stage.at;
            view! {
                <li>
                    <time datetime=at.to_rfc3339()>{text(move || format_instant(lang.get(), at))}</time>
                    " — "
                    <span>{text(move || t(lang.get(), &format!("stage.{}", stage.status.code())))}</span>
                    {stage.note.map(|note| format!(" ({note})"))}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="tracked__service">{text(move || name_in(lang.get(), &reference().service(service).name).to_string())}</p>
        <dl class="confirmation__facts">
            <dt>{tr("track.status")}</dt>
            <dd class="tracked__status">{text(move || t(lang.get(), &format!("stage.{}", status.code())))}</dd>
            <dt>{tr("confirmation.registered_on")}</dt>
            <dd><time datetime=registered_on.to_string()>{text(move || format_date(lang.get(), registered_on))}</time></dd>
            <dt>{tr("confirmation.due_on")}</dt>
            <dd><time datetime=due_on.to_string()>{text(move || format_date(lang.get(), due_on))}</time></dd>
        </dl>
        <h3 class="history__title">{tr("track.history")}</h3>
        <ul class="history">{history}</ul>
    }
}

/// One application: its number, then what the server says of it.
#[component]
fn Tracked(record: SubmittedRecord) -> impl IntoView {
    let lang = use_lang();
    // `None` while loading; a task and a signal cost less wasm than a resource.
    let state = RwSignal::new(None::<Option<Tracking>>);
    let (id, token) = (record.id.clone(), record.tracking_token.clone());
    spawn_local(async move {
        let answer = api::application(&id, &token, lang.get_untracked()).await.ok();
        state.try_set(Some(answer));
    });
    view! {
        <li class="tracked__item" id=format!("tracked-{}", record.id)>
            <h2 class="tracked__number">{record.number}</h2>
            {reactive(move || Some(match state.get() {
                None => loading(),
                Some(Some(tracking)) => details(tracking).into_any(),
                Some(None) => view! { <p class="status status--error">{tr("track.unavailable")}</p> }.into_any(),
            }))}
        </li>
    }
}

/// `#tracked` (a list of `#tracked-<id>`), or `#track-empty`; made anew, and so read again,
/// each time the page opens.
#[component]
pub fn TrackPage() -> impl IntoView {
    let records = RwSignal::new(None::<Vec<SubmittedRecord>>);
    spawn_local(async move {
        let list = drafts::submitted().await;
        records.try_set(Some(list));
    });
    view! {
        <h1 class="title" id="track-title" tabindex="-1">{tr("title.track")}</h1>
        {reactive(move || Some(match records.get() {
            None => loading(),
            Some(list) if list.is_empty() => view! { <p id="track-empty">{tr("track.empty")}</p> }.into_any(),
            Some(list) => view! {
                <ul class="tracked" id="tracked">
                    {list.into_iter().map(|record| view! { <Tracked record=record /> }).collect_view()}
                </ul>
            }
            .into_any(),
        }))}
    }
}
