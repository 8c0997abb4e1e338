//! The staff login form: login and password; a wrong pair or a locked account gets the server's
//! reason, in the screen's language. After a session ended by itself it says so, and the
//! workspace it covers keeps what was typed.

use leptos::prelude::*;
use telnuska_shared::i18n::{error_message, t};

use crate::api::ApiError;
use crate::i18n::{tr, use_lang};
use crate::staff::session::{sign_in, use_session};

/// `<form id="staff-login">` with `#staff-login-name`, `#staff-login-password`.
#[component]
pub fn LoginForm() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let lang = lang.get_untracked();
        let (name, secret) = (login.get_untracked().trim().to_string(), password.get_untracked());
        if name.is_empty() || secret.is_empty() {
            error.set(Some(t(lang, "staff.login.missing").to_string()));
            crate::dom::focus("staff-login-error");
            return;
        }
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match sign_in(name, secret, lang).await {
                Ok(signed_in) => {
                    password.set(String::new());
                    error.set(None);
                    session.begin(signed_in);
                }
                Err(e) => {
                    let text = match &e {
                        ApiError::Problem(p) if p.status != 401 => error_message(lang, &p.code).to_string(),
                        ApiError::Problem(_) | ApiError::Status(401) => t(lang, "staff.login.failed").to_string(),
                        _ => t(lang, "staff.network").to_string(),
                    };
                    error.set(Some(text));
                    crate::dom::focus("staff-login-error");
                }
            }
            busy.set(false);
        });
    };
    view! {
        <form class="staff-login" id="staff-login" on:submit=submit novalidate>
            <h1 id="staff-login-title">{tr("staff.login.heading")}</h1>
            <Show when=move || session.ended.get()>
                <p class="notice" role="status" id="staff-session-ended">{tr("staff.session.ended")}</p>
            </Show>
            <p class="error-message" id="staff-login-error" tabindex="-1" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get()}
            </p>
            <div class="field">
                <label class="label" for="staff-login-name">{tr("staff.login.login")}</label>
                <input class="input" id="staff-login-name" name="login" autocomplete="username" spellcheck="false"
                    prop:value=move || login.get() on:input=move |ev| login.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label class="label" for="staff-login-password">{tr("staff.login.password")}</label>
                <input class="input" id="staff-login-password" name="password" type="password" autocomplete="current-password"
                    prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev)) />
            </div>
            <button type="submit" class="button" id="staff-login-submit" disabled=move || busy.get()>{tr("staff.login.submit")}</button>
        </form>
    }
}
