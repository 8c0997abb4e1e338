//! One application at the desk (opened from a list or by the scanner box): its stage, the
//! deadlines that run now (a recall's 1 working day among them), the history with each step's
//! time, and the operator's actions the workflow allows now: mark received, return to the
//! provider, recall, and the hand-over against the identity document shown or a
//! representative's power of attorney (a refusal letter says so before it is handed over).

use leptos::prelude::*;
use serde::Deserialize;
use serde_json::{json, Value};
use telnuska_shared::api::ApplicationStatus;
use telnuska_shared::i18n::{t, Lang};

use super::Said;
use crate::api::Method;
use crate::i18n::{format_date, use_lang};
use crate::staff::provider::application::History;
use crate::staff::provider::Event;
use crate::staff::session::use_session;

/// The identity documents a ЦОН accepts (`shared::handover::IdentityDocumentType` codes), each
/// with its name's key.
const DOCUMENT_TYPES: [(&str, &str); 4] = [
    ("identity_card", "staff.desk.document.identity_card"),
    ("passport", "staff.desk.document.passport"),
    ("residence_permit", "staff.desk.document.residence_permit"),
    ("stateless_certificate", "staff.desk.document.stateless_certificate"),
];

/// A deadline that runs now.
#[derive(Debug, Clone, Deserialize)]
struct Deadline {
    code: String,
    by: chrono::NaiveDate,
}

/// `GET /api/applications/{id}/staff`, what the desk shows of it.
#[derive(Debug, Clone, Deserialize)]
struct DeskView {
    number: String,
    status: ApplicationStatus,
    events: Vec<Event>,
    allowed_actions: Vec<String>,
    deadlines_now: Vec<Deadline>,
}

/// `#desk-application`.
#[component]
pub fn DeskApplication(id: String) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let current: RwSignal<Option<DeskView>> = RwSignal::new(None);
    let said = Said::new("desk-application-done");
    let id = StoredValue::new(id);
    let load = move || {
        leptos::task::spawn_local(async move {
            match session.call::<DeskView>(Method::GET, &format!("/api/applications/{}/staff", id.get_value()), None).await {
                Ok(view) => current.set(Some(view)),
                Err(e) => said.failed(&e),
            }
        });
    };
    load();
    let act = move |action: &'static str| said.send(format!("/api/applications/{}/actions", id.get_value()), json!({ "action": action }), load);
    let hand_over = move |body: Value| said.send(format!("/api/desk/hand-over/{}", id.get_value()), body, load);
    // `open_pdf` reads the language from context: it runs under this screen's owner.
    let owner = StoredValue::new(Owner::current().unwrap_or_default());
    let print_receipt = move |_| {
        owner.with_value(|o| {
            o.with(|| {
                leptos::task::spawn_local_scoped(async move {
                    if !super::pdf::open_pdf(session, &format!("/api/desk/hand-over/{}/receipt", id.get_value())).await {
                        said.error.set(Some(t(lang.get_untracked(), "staff.network").to_string()));
                    }
                })
            })
        });
    };
    let body = move || {
        let lang = lang.get();
        current.get().map(|app| {
            let deadlines = app
                .deadlines_now
                .iter()
                .map(|d| view! { <dt>{t(lang, &format!("staff.deadline.{}", d.code))}</dt><dd data-deadline=d.code.clone()>{format_date(lang, d.by)}</dd> })
                .collect_view();
            let actions = app
                .allowed_actions
                .iter()
                .map(|code| match code.as_str() {
                    "hand_over" => view! { <HandOverForm lang=lang send=hand_over /> }.into_any(),
                    other => {
                        let action = DESK_ACTIONS.iter().copied().find(|(c, _)| *c == other);
                        action
                            .map(|(code, key)| {
                                view! {
                                    <button type="button" class="button" id=format!("action-{code}") on:click=move |_| act(code)>{t(lang, key)}</button>
                                }
                            })
                            .into_any()
                    }
                })
                .collect_view();
            view! {
                <h1 id="desk-application-title">{t(lang, "staff.app.heading").replace("{number}", &app.number)}</h1>
                <p class="staff-stage" id="desk-application-status" data-status=app.status.code()>{t(lang, &format!("stage.{}", app.status.code()))}</p>
                <h2 id="desk-application-deadlines-title">{t(lang, "staff.app.deadlines")}</h2>
                <dl class="review__list" id="desk-application-deadlines">{deadlines}</dl>
                <section class="staff-actions" aria-labelledby="desk-application-actions">
                    <h2 id="desk-application-actions">{t(lang, "staff.app.actions")}</h2>
                    {app.allowed_actions.is_empty().then(|| view! { <p>{t(lang, "staff.app.no_actions")}</p> })}
                    {(app.status == ApplicationStatus::RefusalAtCon).then(|| view! {
                        <p class="notice" id="desk-refusal-letter">{t(lang, "staff.desk.hand_over.refusal_notice")}</p>
                    })}
                    {actions}
                </section>
                {matches!(app.status, ApplicationStatus::Issued | ApplicationStatus::RefusalIssued).then(|| view! {
                    <button type="button" class="button button--secondary" id="desk-hand-over-receipt" on:click=print_receipt>{t(lang, "staff.desk.hand_over.receipt")}</button>
                })}
                <History events=app.events lang=lang />
            }
        })
    };
    view! {
        <section class="desk" id="desk-application" aria-labelledby="desk-application-title">
            <super::scan::ScanBox />
            {said.view()}
            {body}
        </section>
    }
}

/// The operator's one-press actions at the desk, each with its button's key.
const DESK_ACTIONS: [(&str, &str); 3] = [
    ("deliver_to_con", "staff.desk.action.deliver_to_con"),
    ("return_to_provider", "staff.desk.action.return_to_provider"),
    ("recall", "staff.desk.action.recall"),
];

/// The hand-over: who collects and the document they show (at the desk, and at the applicant's
/// home on the field worker's device).
#[component]
pub fn HandOverForm(lang: Lang, send: impl Fn(Value) + Copy + Send + Sync + 'static) -> impl IntoView {
    let attorney = RwSignal::new(false);
    let document_type = RwSignal::new(DOCUMENT_TYPES[0].0.to_string());
    let (number, date, notary) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        send(if attorney.get_untracked() {
            json!({"kind": "power_of_attorney", "number": number.get_untracked(), "date": date.get_untracked(), "notary": notary.get_untracked()})
        } else {
            json!({"kind": "identity", "document_type": document_type.get_untracked(), "number": number.get_untracked()})
        });
    };
    let input = move |id: &'static str, key: &'static str, kind: &'static str, value: RwSignal<String>| {
        view! {
            <div class="field">
                <label class="label" for=id>{t(lang, key)}</label>
                <input class="input" id=id type=kind autocomplete="off" spellcheck="false" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            </div>
        }
    };
    let types = DOCUMENT_TYPES.map(|(code, key)| view! { <option value=code>{t(lang, key)}</option> });
    view! {
        <form class="staff-action" id="form-hand-over" on:submit=submit>
            <h3>{t(lang, "staff.desk.hand_over.title")}</h3>
            <fieldset class="fieldset">
                <legend class="label">{t(lang, "staff.desk.hand_over.who")}</legend>
                <label class="choice"><input type="radio" name="hand-over-who" id="hand-over-applicant" prop:checked=move || !attorney.get() on:change=move |_| attorney.set(false) />
                    {t(lang, "staff.desk.hand_over.applicant")}</label>
                <label class="choice"><input type="radio" name="hand-over-who" id="hand-over-attorney" prop:checked=move || attorney.get() on:change=move |_| attorney.set(true) />
                    {t(lang, "staff.desk.hand_over.representative")}</label>
            </fieldset>
            <div class="field" hidden=move || attorney.get()>
                <label class="label" for="hand-over-type">{t(lang, "staff.desk.hand_over.document")}</label>
                <select class="select" id="hand-over-type" prop:value=move || document_type.get() on:change=move |ev| document_type.set(event_target_value(&ev))>{types}</select>
            </div>
            {move || {
                let key = if attorney.get() { "staff.desk.hand_over.attorney_number" } else { "staff.desk.hand_over.number" };
                input("hand-over-number", key, "text", number)
            }}
            <div hidden=move || !attorney.get()>
                {input("hand-over-date", "staff.desk.hand_over.date", "date", date)}
                {input("hand-over-notary", "staff.desk.hand_over.notary", "text", notary)}
            </div>
            <button type="submit" class="button" id="action-hand_over">{t(lang, "staff.action.hand_over")}</button>
        </form>
    }
}
