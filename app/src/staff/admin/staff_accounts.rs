//! Staff accounts: create one (a provider with the institutions it serves) and change the
//! institutions a provider serves.

use leptos::prelude::*;
use serde_json::{json, Value};
use telnuska_shared::api::Role;
use telnuska_shared::i18n::t;

use super::{error_texts, Outcome, TextInput};
use crate::api::Method;
use crate::i18n::{tr, use_lang};
use crate::staff::session::use_session;

/// Roles an administrator gives, in the order offered.
const ROLES: [Role; 4] = [Role::Provider, Role::Operator, Role::Field, Role::Admin];

/// Institution codes typed separated by commas or spaces.
fn codes(typed: &str) -> Vec<String> {
    typed.split([',', ' ', ';']).map(str::trim).filter(|c| !c.is_empty()).map(str::to_string).collect()
}

/// `#admin-staff`: the new account form and the institutions form.
#[component]
pub fn StaffAccounts() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let (login, full_name, password, institutions) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let role = RwSignal::new(Role::Provider);
    let created = RwSignal::new(None);
    let (bind_login, bind_institutions) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let bound = RwSignal::new(None);
    let create = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let lang = lang.get_untracked();
        let body = json!({
            "login": login.get_untracked().trim(), "password": password.get_untracked(), "role": role.get_untracked().code(),
            "full_name": full_name.get_untracked().trim(), "institutions": codes(&institutions.get_untracked()),
        });
        wasm_bindgen_futures::spawn_local(async move {
            let answer = session.call::<Value>(Method::POST, "/api/admin/staff", Some(body.to_string())).await;
            created.set(Some(
                answer.map(|v| t(lang, "admin.staff.created").replace("{login}", v["login"].as_str().unwrap_or_default())).map_err(|e| error_texts(lang, &e)),
            ));
            if matches!(created.get_untracked(), Some(Ok(_))) {
                password.set(String::new());
            }
            crate::dom::focus("admin-staff-outcome");
        });
    };
    let bind = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let lang = lang.get_untracked();
        let who = bind_login.get_untracked().trim().to_string();
        let body = json!({ "institutions": codes(&bind_institutions.get_untracked()) });
        wasm_bindgen_futures::spawn_local(async move {
            let path = format!("/api/admin/staff/{}/institutions", js_sys::encode_uri_component(&who));
            let answer = session.call::<Value>(Method::PUT, &path, Some(body.to_string())).await;
            bound.set(Some(answer.map(|_| t(lang, "admin.staff.bound").replace("{login}", &who)).map_err(|e| error_texts(lang, &e))));
            crate::dom::focus("admin-bind-outcome");
        });
    };
    let role_options = move || {
        let lang = lang.get();
        ROLES.map(|r| view! { <option value=r.code() selected=move || role.get() == r>{t(lang, &format!("staff.role.{}", r.code()))}</option> }).collect_view()
    };
    view! {
        <h1 id="admin-staff-title">{tr("admin.staff.heading")}</h1>
        <form id="admin-staff" class="staff-form" on:submit=create novalidate aria-labelledby="admin-staff-new">
            <h2 id="admin-staff-new">{tr("admin.staff.new")}</h2>
            <TextInput id="admin-staff-login" label="admin.staff.login" value=login />
            <TextInput id="admin-staff-name" label="admin.staff.full_name" value=full_name />
            <div class="field">
                <label class="label" for="admin-staff-role">{tr("admin.staff.role")}</label>
                <select class="select" id="admin-staff-role" on:change=move |ev| role.set(Role::from_code(&event_target_value(&ev)).unwrap_or(Role::Provider))>
                    {role_options}
                </select>
            </div>
            <TextInput id="admin-staff-password" label="admin.staff.password" value=password kind="password" />
            <TextInput id="admin-staff-institutions" label="admin.staff.institutions" value=institutions />
            <button type="submit" class="button" id="admin-staff-submit">{tr("admin.staff.create")}</button>
            <Outcome id="admin-staff-outcome" outcome=created />
        </form>
        <form id="admin-bind" class="staff-form" on:submit=bind novalidate aria-labelledby="admin-bind-title">
            <h2 id="admin-bind-title">{tr("admin.bind.heading")}</h2>
            <TextInput id="admin-bind-login" label="admin.staff.login" value=bind_login />
            <TextInput id="admin-bind-institutions" label="admin.staff.institutions" value=bind_institutions />
            <button type="submit" class="button" id="admin-bind-submit">{tr("admin.bind.submit")}</button>
            <Outcome id="admin-bind-outcome" outcome=bound />
        </form>
    }
}
