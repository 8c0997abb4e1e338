//! A calendar amendment (a decreed day off, a transferred working day) with the decree's
//! reference: checked first (the dry run lists the open applications whose due date would
//! differ; they keep theirs), then saved as checked.

use leptos::prelude::*;
use serde_json::{json, Value};
use telnuska_shared::i18n::{t, Lang};

use super::{error_texts, Outcome, TextInput};
use crate::api::Method;
use crate::i18n::{tr, use_lang};
use crate::staff::session::use_session;

/// The kinds of day an amendment makes, as the API names them, with their catalogue keys.
const KINDS: [(&str, &str); 3] = [
    ("holiday", "admin.calendar.kind.holiday"),
    ("transfer_day_off", "admin.calendar.kind.transfer_day_off"),
    ("transfer_workday", "admin.calendar.kind.transfer_workday"),
];

/// `YYYY-MM-DD` as people read it here: `DD.MM.YYYY`.
fn day(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] => format!("{d}.{m}.{y}"),
        _ => iso.to_string(),
    }
}

/// The dry run's report for people.
fn impact(lang: Lang, report: &Value) -> (String, Vec<String>) {
    let becomes = if report["is_working_day"].as_bool().unwrap_or(true) { "admin.calendar.becomes_working" } else { "admin.calendar.becomes_off" };
    let affected = report["affected"].as_array().cloned().unwrap_or_default();
    let head = format!(
        "{} {}",
        t(lang, becomes).replace("{date}", &day(report["date"].as_str().unwrap_or_default())),
        if affected.is_empty() {
            t(lang, "admin.calendar.none_affected").to_string()
        } else {
            t(lang, "admin.calendar.affected").replace("{n}", &affected.len().to_string())
        }
    );
    let lines = affected
        .iter()
        .map(|a| {
            format!(
                "{}: {} → {}",
                a["number"].as_str().unwrap_or_default(),
                day(a["due_on"].as_str().unwrap_or_default()),
                day(a["due_on_if_recomputed"].as_str().unwrap_or_default())
            )
        })
        .collect();
    (head, lines)
}

/// `#admin-calendar`: the amendment, its checked impact, and "Save".
#[component]
pub fn CalendarAmendment() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let (date, name, source) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let kind = RwSignal::new(KINDS[0].0.to_string());
    let amendment = move |dry_run: bool| json!({ "date": date.get_untracked(), "kind": kind.get_untracked(), "name": name.get_untracked(), "source": source.get_untracked(), "dry_run": dry_run });
    // What was checked, and its report; "Save" saves exactly that.
    let checked: RwSignal<Option<(Value, Value)>> = RwSignal::new(None);
    let saved = RwSignal::new(None);
    let check = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let lang = lang.get_untracked();
        let body = amendment(true);
        saved.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            match session.call::<Value>(Method::POST, "/api/admin/calendar", Some(body.to_string())).await {
                Ok(report) => checked.set(Some((body, report))),
                Err(e) => {
                    checked.set(None);
                    saved.set(Some(Err(error_texts(lang, &e))));
                }
            }
            crate::dom::focus("admin-calendar-impact");
        });
    };
    let save = move |_| {
        let lang = lang.get_untracked();
        let Some((mut body, _)) = checked.get_untracked() else { return };
        body["dry_run"] = json!(false);
        wasm_bindgen_futures::spawn_local(async move {
            let answer = session.call::<Value>(Method::POST, "/api/admin/calendar", Some(body.to_string())).await;
            saved.set(Some(answer.map(|_| t(lang, "admin.calendar.saved").to_string()).map_err(|e| error_texts(lang, &e))));
            checked.set(None);
            crate::dom::focus("admin-calendar-outcome");
        });
    };
    // Changing the amendment after the check asks for a new check.
    Effect::new(move |_| {
        let now = (date.get(), kind.get(), name.get(), source.get());
        if checked.with_untracked(|c| {
            c.as_ref().is_some_and(|(b, _)| {
                (b["date"].as_str(), b["kind"].as_str(), b["name"].as_str(), b["source"].as_str())
                    != (Some(now.0.as_str()), Some(now.1.as_str()), Some(now.2.as_str()), Some(now.3.as_str()))
            })
        }) {
            checked.set(None);
        }
    });
    let report = move || {
        let lang = lang.get();
        checked.with(|c| {
            c.as_ref().map(|(_, report)| {
                let (head, lines) = impact(lang, report);
                view! {
                    <p>{head}</p>
                    <ul>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ul>
                    <button type="button" class="button" id="admin-calendar-save" on:click=save>{tr("admin.calendar.save")}</button>
                }
            })
        })
    };
    let kind_options = move || {
        let lang = lang.get();
        KINDS.map(|(k, key)| view! { <option value=k selected=move || kind.get() == k>{t(lang, key)}</option> }).collect_view()
    };
    view! {
        <h1 id="admin-calendar-title">{tr("admin.calendar.heading")}</h1>
        <form id="admin-calendar" class="staff-form" on:submit=check novalidate aria-labelledby="admin-calendar-title">
            <TextInput id="admin-calendar-date" label="admin.calendar.date" value=date kind="date" />
            <div class="field">
                <label class="label" for="admin-calendar-kind">{tr("admin.calendar.kind")}</label>
                <select class="select" id="admin-calendar-kind" on:change=move |ev| kind.set(event_target_value(&ev))>{kind_options}</select>
            </div>
            <TextInput id="admin-calendar-name" label="admin.calendar.name" value=name />
            <TextInput id="admin-calendar-source" label="admin.calendar.source" value=source />
            <button type="submit" class="button button--secondary" id="admin-calendar-check">{tr("admin.calendar.check")}</button>
        </form>
        <section id="admin-calendar-impact" tabindex="-1" role="status" aria-label=move || t(lang.get(), "admin.calendar.impact")>{report}</section>
        <Outcome id="admin-calendar-outcome" outcome=saved />
    }
}
