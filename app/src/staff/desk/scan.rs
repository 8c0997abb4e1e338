//! The scanner box: a barcode or QR scanner types the number on a receipt or register like a
//! keyboard and presses Enter; typing the number by hand does the same. The application it names
//! opens at the desk.

use leptos::prelude::*;
use serde::Deserialize;
use telnuska_shared::application_number::ApplicationNumber;
use telnuska_shared::i18n::t;

use crate::api::Method;
use crate::i18n::{tr, use_lang};
use crate::staff::session::use_session;

/// The part of an application the box needs.
#[derive(Deserialize)]
struct Found {
    id: String,
}

/// `<form id="desk-scan">`: the number field; Enter opens the application.
#[component]
pub fn ScanBox() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let typed = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    // Opening the application reads the path from context after the look-up: under this owner.
    let owner = StoredValue::new(Owner::current().unwrap_or_default());
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let lang = lang.get_untracked();
        let Ok(number) = ApplicationNumber::parse_scanned(&typed.get_untracked()) else {
            error.set(Some(t(lang, "staff.desk.scan.format").to_string()));
            crate::dom::focus("desk-scan-number");
            return;
        };
        let lookup = async move {
            match session.call::<Found>(Method::GET, &format!("/api/applications/{number}"), None).await {
                Ok(found) => {
                    error.set(None);
                    typed.set(String::new());
                    crate::staff::router::go(&super::application_path(&found.id));
                }
                Err(e) => {
                    let not_found = matches!(&e, crate::api::ApiError::Problem(p) if p.status == 404);
                    error.set(Some(if not_found {
                        t(lang, "staff.desk.scan.not_found").replace("{number}", &number.to_string())
                    } else {
                        super::refusal(lang, &e)
                    }));
                    crate::dom::focus("desk-scan-number");
                }
            }
        };
        owner.with_value(|o| o.with(|| leptos::task::spawn_local_scoped(lookup)));
    };
    view! {
        <form class="desk-scan" id="desk-scan" role="search" on:submit=submit>
            <div class="field" class:field--error=move || error.with(Option::is_some)>
                <label class="label" for="desk-scan-number">{tr("staff.desk.scan.label")}</label>
                <p class="hint" id="desk-scan-hint">{tr("staff.desk.scan.hint")}</p>
                <p class="error-message" id="desk-scan-error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
                <input class="input" id="desk-scan-number" autocomplete="off" spellcheck="false" aria-describedby="desk-scan-hint desk-scan-error"
                    prop:value=move || typed.get() on:input=move |ev| typed.set(event_target_value(&ev)) />
            </div>
            <button type="submit" class="button button--secondary" id="desk-scan-open">{tr("staff.desk.scan.open")}</button>
        </form>
    }
}
