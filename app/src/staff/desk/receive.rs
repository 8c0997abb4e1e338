//! Receiving results: the ready documents, the refusal letters and the recalled documents on
//! their way from providers; the
//! operator marks one received when it arrives (the workflow's `deliver_to_con`: the applicant
//! gets the SMS and it goes on the shelf). A recall shows the day the provider must send it back
//! by, in red once that day has passed.

use leptos::prelude::*;
use serde_json::json;
use telnuska_shared::api::{ApplicationStatus, IncomingItem};
use telnuska_shared::i18n::t;

use super::scan::ScanBox;
use super::{number_link, Said};
use crate::i18n::{format_date, tr, use_lang};
use crate::staff::desk::dispatch::provider_name;

/// The screen's path.
pub const PATH: &str = "/staff/desk/receive";

pub fn screen() -> AnyView {
    view! { <Receive /> }.into_any()
}

/// `#desk-receive`.
#[component]
fn Receive() -> impl IntoView {
    let lang = use_lang();
    let lists = crate::reference_cache::use_lists();
    let incoming: RwSignal<Option<Vec<IncomingItem>>> = RwSignal::new(None);
    let said = Said::new("desk-receive-done");
    let load = said.list("/api/desk/incoming", incoming);
    load();
    let receive = move |id: String| said.send(format!("/api/applications/{id}/actions"), json!({ "action": "deliver_to_con" }), load);
    let rows = move || {
        let lang = lang.get();
        incoming.get().map(|list| {
            if list.is_empty() {
                return view! { <p id="desk-receive-none">{t(lang, "staff.desk.receive.none")}</p> }.into_any();
            }
            let rows = list
                .into_iter()
                .map(|item| {
                    let state = match item.recall_by {
                        Some(by) if item.recall_overdue => t(lang, "staff.desk.receive.recall_late").replace("{date}", &format_date(lang, by)),
                        Some(by) => t(lang, "staff.desk.receive.recalled").replace("{date}", &format_date(lang, by)),
                        None if item.status == ApplicationStatus::Refused => t(lang, "staff.desk.refusal_letter").to_string(),
                        None => t(lang, "staff.desk.receive.ready").to_string(),
                    };
                    let id = item.id.clone();
                    // The visible text first in the name (WCAG 2.5.3), then which one.
                    let button = t(lang, "staff.desk.receive.button");
                    let label = format!("{button}: {}", item.number);
                    view! {
                        <tr data-number=item.number.clone() data-status=item.status.code()>
                            <td>{number_link(&item.id, item.number.clone())}</td>
                            <td>{item.applicant}</td>
                            <td>{provider_name(lang, lists.reference(), &item.institution)}</td>
                            <td class:status--error=item.recall_overdue>{state}</td>
                            <td><button type="button" class="button button--secondary" aria-label=label on:click=move |_| receive(id.clone())>
                                {button}
                            </button></td>
                        </tr>
                    }
                })
                .collect_view();
            super::table(lang, "desk-incoming", "desk-receive-title", ["staff.desk.col.provider", "staff.desk.receive.col.state"], rows)
        })
    };
    view! {
        <div id="desk-receive" class="desk">
            <h1 id="desk-receive-title">{tr("staff.desk.receive.title")}</h1>
            <ScanBox />
            <p>{tr("staff.desk.receive.intro")}</p>
            {said.view()}
            {rows}
        </div>
    }
}
