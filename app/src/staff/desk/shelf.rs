//! The storage shelf: what waits at ЦОН to be collected (a refusal letter marked as such), with
//! the month's countdown from arrival, those due to go back to the provider first; a due one is returned through the workflow
//! (`return_to_provider`). A number opens the application (`/staff/desk/shelf/<id>`) for the
//! hand-over.

use leptos::prelude::*;
use serde_json::json;
use telnuska_shared::api::ShelfItem;
use telnuska_shared::i18n::{t, t_count};

use super::scan::ScanBox;
use super::{number_link, Said};
use crate::i18n::{format_date, format_instant, tr, use_lang};
use crate::staff::router::use_path;

/// The screen's path.
pub const PATH: &str = "/staff/desk/shelf";

pub fn screen() -> AnyView {
    let path = use_path();
    let screen = move || match path.with(|p| p.strip_prefix(PATH).and_then(|rest| rest.strip_prefix('/')).map(str::to_string)) {
        Some(id) if !id.is_empty() => view! { <super::hand_over::DeskApplication id=id /> }.into_any(),
        _ => view! { <Shelf /> }.into_any(),
    };
    screen.into_any()
}

/// `#desk-shelf`.
#[component]
fn Shelf() -> impl IntoView {
    let lang = use_lang();
    let shelf: RwSignal<Option<Vec<ShelfItem>>> = RwSignal::new(None);
    let said = Said::new("desk-shelf-done");
    let load = said.list("/api/desk/shelf", shelf);
    load();
    let give_back = move |id: String| said.send(format!("/api/applications/{id}/actions"), json!({ "action": "return_to_provider" }), load);
    let rows = move || {
        let lang = lang.get();
        shelf.get().map(|list| {
            if list.is_empty() {
                return view! { <p id="desk-shelf-none">{t(lang, "staff.desk.shelf.none")}</p> }.into_any();
            }
            let rows = list
                .into_iter()
                .map(|item| {
                    let left = if item.due_for_return {
                        t(lang, "staff.desk.shelf.due").replace("{date}", &format_date(lang, item.storage_ends))
                    } else {
                        t_count(lang, "staff.desk.shelf.days_left", item.days_left.unsigned_abs())
                    };
                    let id = item.id.clone();
                    let button = t(lang, "staff.action.return_to_provider");
                    let label = format!("{button}: {}", item.number);
                    view! {
                        <tr data-number=item.number.clone() data-due=item.due_for_return.to_string() data-refusal=item.refusal.to_string()>
                            <td>{number_link(&item.id, item.number.clone())}{item.refusal.then(|| view! {
                                <br /><strong class="desk-refusal">{t(lang, "staff.desk.refusal_letter")}</strong>
                            })}</td>
                            <td>{item.applicant}</td>
                            <td>{format_instant(lang, item.arrived_at)}</td>
                            <td class:status--error=item.due_for_return>{left}</td>
                            <td>{item.due_for_return.then(|| view! {
                                <button type="button" class="button button--secondary" aria-label=label on:click=move |_| give_back(id.clone())>
                                    {button}
                                </button>
                            })}</td>
                        </tr>
                    }
                })
                .collect_view();
            super::table(lang, "desk-shelf-items", "desk-shelf-title", ["staff.desk.shelf.col.arrived", "staff.desk.shelf.col.left"], rows)
        })
    };
    view! {
        <div id="desk-shelf" class="desk">
            <h1 id="desk-shelf-title">{tr("staff.desk.shelf.title")}</h1>
            <ScanBox />
            <p>{tr("staff.desk.shelf.intro")}</p>
            {said.view()}
            {rows}
        </div>
    }
}
