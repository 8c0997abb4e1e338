//! Who opened the application's personal data, and when: shown to the head of the office and
//! to administrators, the only ones the server answers (`GET /api/applications/{id}/access-log`);
//! for everyone else the section stays away.

use leptos::prelude::*;
use serde::Deserialize;
use telnuska_shared::api::Role;
use telnuska_shared::i18n::{t, Lang};

use super::{colleague_text, instant_text, Colleague};
use crate::api::Method;
use crate::staff::session::use_session;

/// One opening.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Opening {
    at: String,
    by: Colleague,
}

/// `#access-log`, once the server answers with the log.
#[component]
pub fn AccessLog(app_id: String, lang: Lang) -> impl IntoView {
    let session = use_session();
    let log: RwSignal<Option<Vec<Opening>>> = RwSignal::new(None);
    wasm_bindgen_futures::spawn_local(async move {
        // A refusal means the caller is not the head: nothing to show, nothing to say.
        if let Ok(entries) = session.call::<Vec<Opening>>(Method::GET, &format!("/api/applications/{app_id}/access-log"), None).await {
            log.set(Some(entries));
        }
    });
    move || {
        log.get().map(|entries| {
            let rows = entries
                .iter()
                .rev()
                .map(|e| view! { <tr><td>{instant_text(lang, &e.at)}</td><td>{colleague_text(lang, Some(&e.by), Role::Provider)}</td></tr> })
                .collect_view();
            view! {
                <section aria-labelledby="access-log-title" id="access-log">
                    <h2 id="access-log-title">{t(lang, "staff.access_log.heading")}</h2>
                    <p class="staff-muted">{t(lang, "staff.access_log.hint")}</p>
                    <div class="staff-table-wrap">
                        <table class="staff-table" aria-labelledby="access-log-title">
                            <thead>
                                <tr>
                                    <th scope="col">{t(lang, "staff.app.when")}</th>
                                    <th scope="col">{t(lang, "staff.app.who")}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                </section>
            }
        })
    }
}
