//! The registration and issue journal of the provider's institutions (004 section 4 step 7):
//! each duplicate's own series and number, with its application, when and by whom it was
//! written.

use leptos::prelude::*;
use serde::Deserialize;

use crate::api::Method;
use crate::i18n::{format_instant, tr, use_lang};
use crate::staff::router::link;
use crate::staff::session::use_session;

/// A staff member as colleagues see them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Writer {
    full_name: String,
}

/// One line of `GET /api/journal`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Line {
    application_id: String,
    application_number: String,
    series: String,
    number: String,
    at: String,
    by: Option<Writer>,
}

/// `#issue-journal`: the journal, newest line first.
#[component]
pub fn Journal() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let lines: RwSignal<Option<Vec<Line>>> = RwSignal::new(None);
    wasm_bindgen_futures::spawn_local(async move {
        lines.set(Some(session.call::<Vec<Line>>(Method::GET, "/api/journal", None).await.unwrap_or_default()));
    });
    let rows = move || {
        let lang = lang.get();
        lines
            .get()
            .unwrap_or_default()
            .into_iter()
            .rev()
            .map(|l| {
                let href = format!("/staff/queue/{}", l.application_id);
                let when = l.at.parse().map_or_else(|_| l.at.clone(), |at| format_instant(lang, at));
                view! {
                    <tr>
                        <td>{format!("{} {}", l.series, l.number)}</td>
                        <td><a href=href.clone() on:click=link(href)>{l.application_number}</a></td>
                        <td>{when}</td>
                        <td>{l.by.map(|b| b.full_name).unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let empty = move || lines.with(|l| l.as_ref().is_some_and(Vec::is_empty));
    view! {
        <section id="issue-journal" aria-labelledby="journal-title">
            <h2 id="journal-title">{tr("journal.heading")}</h2>
            <p hidden=move || !empty()>{tr("journal.empty")}</p>
            <div class="staff-table-wrap" hidden=empty>
                <table class="staff-table" aria-labelledby="journal-title">
                    <thead>
                        <tr>
                            <th scope="col">{tr("journal.col.duplicate")}</th>
                            <th scope="col">{tr("journal.col.application")}</th>
                            <th scope="col">{tr("journal.col.when")}</th>
                            <th scope="col">{tr("journal.col.who")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}
