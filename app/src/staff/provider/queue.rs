//! The queue: the applications of the member's institutions, soonest deadline first, with the
//! server's deadline marks, filters, counts per stage and paging. New events (`/api/sync/pull`,
//! asked every [`REFRESH_MS`]) reload it in place, keeping the filters.

use crate::api::Method;
use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use serde::Deserialize;
use telnuska_shared::api::{ApplicationStatus, ServiceCode};
use telnuska_shared::i18n::t;
use telnuska_shared::reference::compiled;

use super::{applicant_name, application_path, day_text, problem_text, QueueItem, QueuePage};
use crate::i18n::{name_in, tr, use_lang};
use crate::staff::router::go;
use crate::staff::session::use_session;

/// How often the queue asks for new events.
const REFRESH_MS: u32 = 10_000;
/// Applications per page.
const PAGE: usize = 20;

/// `GET /api/sync/pull`: only whether anything happened and where to continue.
#[derive(Debug, Deserialize)]
struct Pull {
    events: Vec<serde::de::IgnoredAny>,
    cursor: String,
}

/// The filters as typed.
#[derive(Debug, Clone, Default, PartialEq)]
struct Filters {
    status: String,
    institution: String,
    service: String,
    due_before: String,
    q: String,
}

impl Filters {
    fn query(&self, cursor: Option<&str>) -> String {
        let mut parts = vec![format!("limit={PAGE}")];
        for (name, value) in
            [("status", &self.status), ("institution", &self.institution), ("service", &self.service), ("due_before", &self.due_before), ("q", &self.q)]
        {
            if !value.trim().is_empty() {
                parts.push(format!("{name}={}", String::from(js_sys::encode_uri_component(value.trim()))));
            }
        }
        if let Some(cursor) = cursor {
            parts.push(format!("cursor={}", String::from(js_sys::encode_uri_component(cursor))));
        }
        format!("/api/applications?{}", parts.join("&"))
    }
}

/// `<section id="staff-queue">`.
#[component]
pub fn Queue() -> impl IntoView {
    let lang = use_lang();
    let lists = crate::reference_cache::use_lists();
    let session = use_session();
    let typed = RwSignal::new(Filters::default());
    let shown = RwSignal::new(Filters::default());
    let page: RwSignal<Option<QueuePage>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);

    let load = move |more: bool| {
        let filters = shown.get_untracked();
        let cursor = if more { page.with_untracked(|p| p.as_ref().and_then(|p| p.next_cursor.clone())) } else { None };
        wasm_bindgen_futures::spawn_local(async move {
            match session.call::<QueuePage>(Method::GET, &filters.query(cursor.as_deref()), None).await {
                Ok(mut next) => {
                    if more {
                        if let Some(before) = page.get_untracked() {
                            next.items = before.items.into_iter().chain(next.items).collect();
                        }
                    }
                    error.set(None);
                    page.set(Some(next));
                }
                Err(e) => error.set(Some(problem_text(&e, lang.get_untracked()))),
            }
        });
    };
    load(false);

    // New events reload the first page; the cursor starts at the end of the log.
    watch(session, RwSignal::new(None), load);

    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        shown.set(typed.get_untracked());
        load(false);
    };
    let field = move |get: fn(&Filters) -> String, set: fn(&mut Filters, String)| {
        (move || typed.with(get), move |ev: web_sys::Event| typed.update(|f| set(f, event_target_value(&ev))))
    };
    let (status, set_status) = field(|f| f.status.clone(), |f, v| f.status = v);
    let (institution, set_institution) = field(|f| f.institution.clone(), |f, v| f.institution = v);
    let (service, set_service) = field(|f| f.service.clone(), |f, v| f.service = v);
    let (due_before, set_due_before) = field(|f| f.due_before.clone(), |f, v| f.due_before = v);
    let (q, set_q) = field(|f| f.q.clone(), |f, v| f.q = v);

    let any = move || t(lang.get(), "staff.queue.any");
    let status_options = move || {
        let lang = lang.get();
        ApplicationStatus::ALL.iter().map(|s| view! { <option value=s.code()>{t(lang, &format!("stage.{}", s.code()))}</option> }).collect_view()
    };
    let service_options = move || {
        let lang = lang.get();
        ServiceCode::ALL.iter().map(|s| view! { <option value=s.code()>{name_in(lang, &compiled().service(*s).name).to_string()}</option> }).collect_view()
    };
    let institution_options = move || {
        let lang = lang.get();
        let codes = page.with(|p| p.as_ref().map(|p| p.institutions.clone()).unwrap_or_default());
        codes
            .into_iter()
            .map(|code| {
                let name = lists.reference().institution(&code).map_or_else(|| code.clone(), |i| name_in(lang, &i.name).to_string());
                view! { <option value=code>{name}</option> }
            })
            .collect_view()
    };
    let counts = move || {
        let lang = lang.get();
        page.with(|p| p.as_ref().map(|p| p.counts.clone()).unwrap_or_default())
            .into_iter()
            .map(|(code, n)| view! { <li data-status=code.clone()>{format!("{}: {n}", t(lang, &format!("stage.{code}")))}</li> })
            .collect_view()
    };
    let rows = move || {
        let lang = lang.get();
        let items = page.with(|p| p.as_ref().map(|p| p.items.clone()).unwrap_or_default());
        items.into_iter().map(|item| view! { <Row item=item lang=lang /> }).collect_view()
    };
    let empty = move || page.with(|p| p.as_ref().is_some_and(|p| p.items.is_empty()));
    let more = move || page.with(|p| p.as_ref().is_some_and(|p| p.next_cursor.is_some()));

    view! {
        <section class="staff-queue" id="staff-queue" aria-labelledby="staff-queue-title">
            <h1 id="staff-queue-title">{tr("staff.queue.heading")}</h1>
            <form class="staff-filters" id="staff-queue-filters" on:submit=submit>
                <div class="field">
                    <label class="label" for="queue-status">{tr("staff.queue.status")}</label>
                    <select class="select" id="queue-status" prop:value=status on:change=set_status>
                        <option value="">{any}</option>{status_options}
                    </select>
                </div>
                <div class="field">
                    <label class="label" for="queue-institution">{tr("staff.queue.institution")}</label>
                    <select class="select" id="queue-institution" prop:value=institution on:change=set_institution>
                        <option value="">{any}</option>{institution_options}
                    </select>
                </div>
                <div class="field">
                    <label class="label" for="queue-service">{tr("staff.queue.service")}</label>
                    <select class="select" id="queue-service" prop:value=service on:change=set_service>
                        <option value="">{any}</option>{service_options}
                    </select>
                </div>
                <div class="field">
                    <label class="label" for="queue-due-before">{tr("staff.queue.due_before")}</label>
                    <input class="input" id="queue-due-before" type="date" prop:value=due_before on:input=set_due_before />
                </div>
                <div class="field">
                    <label class="label" for="queue-q">{tr("staff.queue.search")}</label>
                    <input class="input" id="queue-q" type="search" spellcheck="false" prop:value=q on:input=set_q />
                </div>
                <button type="submit" class="button" id="queue-apply">{tr("staff.queue.apply")}</button>
            </form>
            <p class="error-message" id="queue-error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            <h2 id="queue-counts-title">{tr("staff.queue.counts")}</h2>
            <ul class="staff-counts" id="queue-counts" aria-labelledby="queue-counts-title">{counts}</ul>
            <p id="queue-empty" hidden=move || !empty()>{tr("staff.queue.none")}</p>
            <div class="staff-table-wrap">
                <table class="staff-table" id="queue-table" aria-labelledby="staff-queue-title">
                    <thead>
                        <tr>
                            <th scope="col">"№"</th>
                            <th scope="col">{tr("staff.queue.applicant")}</th>
                            <th scope="col">{tr("staff.queue.status")}</th>
                            <th scope="col">{tr("staff.queue.due")}</th>
                            <th scope="col">{tr("staff.queue.mark")}</th>
                            <th scope="col">{tr("staff.queue.holder")}</th>
                        </tr>
                    </thead>
                    <tbody aria-live="polite">{rows}</tbody>
                </table>
            </div>
            <button type="button" class="button button--secondary" id="queue-more" hidden=move || !more() on:click=move |_| load(true)>
                {tr("staff.queue.more")}
            </button>
        </section>
    }
}

/// Asks for events after `cursor` and reloads the queue when there are any, then again every
/// [`REFRESH_MS`] while the queue is on screen (its signals live).
fn watch(session: crate::staff::session::Session, cursor: RwSignal<Option<String>>, load: impl Fn(bool) + Copy + 'static) {
    wasm_bindgen_futures::spawn_local(async move {
        let Some(since) = cursor.try_get_untracked() else { return };
        let path = format!("/api/sync/pull?since={}", since.clone().unwrap_or_default());
        if let Ok(pull) = session.call::<Pull>(Method::GET, &path, None).await {
            if since.is_some() && !pull.events.is_empty() {
                load(false);
            }
            if cursor.try_set(Some(pull.cursor)).is_some() {
                return;
            }
        }
        if cursor.try_get_untracked().is_some() {
            Timeout::new(REFRESH_MS, move || watch(session, cursor, load)).forget();
        }
    });
}

/// One application's row; its number opens it.
#[component]
fn Row(item: QueueItem, lang: telnuska_shared::i18n::Lang) -> impl IntoView {
    let path = application_path(&item.id);
    let href = path.clone();
    let open = move |ev: web_sys::MouseEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        go(&path);
    };
    let mark = item.deadline_state.clone().unwrap_or_else(|| "on_time".into());
    let service = name_in(lang, &compiled().service(item.service).name).to_string();
    view! {
        <tr data-number=item.number.clone() data-mark=mark.clone()>
            <td><a href=href on:click=open>{item.number.clone()}</a><br /><span class="staff-muted">{service}</span></td>
            <td>{applicant_name(&item.request)}<br /><span class="staff-muted">{item.request.applicant.iin.clone()}</span></td>
            <td>{t(lang, &format!("stage.{}", item.status.code()))}</td>
            <td>{day_text(lang, &item.due_on)}</td>
            <td><span class=format!("staff-mark staff-mark--{mark}")>{t(lang, &format!("staff.mark.{mark}"))}</span></td>
            <td>{item.assignee.map(|a| a.full_name).unwrap_or_default()}</td>
        </tr>
    }
}
