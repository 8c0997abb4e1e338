//! The staff bundle: the screens of the people who carry applications through — the provider's
//! staff, the ЦОН operator, the field worker, the administrator — under `/staff/…`. It is a
//! download of its own (`src/bin/staff.rs`), so none of it weighs on the citizen's first load; it
//! reuses the citizen's pieces (fields, steps, i18n) from this library rather than copying them.
//!
//! One owner per concern, passed by context: the language ([`crate::i18n`]), the session
//! ([`session`]) and the address ([`router`]). A workspace adds itself to [`home::SECTIONS`] and
//! to [`router::Section`].

pub mod admin;
pub mod desk;
pub mod field;
pub mod home;
pub mod login;
pub mod oversight;
pub mod provider;
pub mod router;
pub mod session;

use leptos::prelude::*;

use crate::components::lang_switcher::LangSwitcher;
use crate::i18n::{provide_lang, show_lang, tr};
use crate::{dom, i18n};

/// Starts the staff bundle: texts first (the citizen's and the staff screens', joined by boot.js),
/// then the root component.
pub fn run() {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async {
        if !i18n::load_first().await {
            dom::show_load_failure();
            return;
        }
        // The kiosk of a ЦОН hall is served by this bundle too (`/kiosk…`).
        if crate::router::pathname().starts_with("/kiosk") {
            leptos::mount::mount_to_body(crate::kiosk::KioskApp);
        } else {
            leptos::mount::mount_to_body(StaffApp);
        }
        dom::remove("app-loading");
    });
}

/// The header (title, who is signed in and until when, sign out, language) and the workspace.
/// The workspace stays mounted when the session ends: the login form covers it, and signing in
/// again as the same person shows it with everything typed still there.
#[component]
pub fn StaffApp() -> impl IntoView {
    let lang = provide_lang();
    Effect::new(move |_| show_lang(lang.get()));
    let session = session::provide_session();
    router::provide_router();
    field::provide_field();
    let signed_in = move || session.current.with(Option::is_some);
    view! {
        <header class="site-header staff-header">
            <p class="site-title">{tr("staff.title")}</p>
            {move || session.current.get().map(|s| view! { <session::SessionBar session=s /> })}
            <LangSwitcher />
        </header>
        <main id="main" class="staff-main">
            <div hidden=move || !signed_in()>{move || session.workspace_owner().map(|_| view! { <home::Workspace /> })}</div>
            <Show when=move || !signed_in()>
                <field::SignedOut />
            </Show>
        </main>
    }
}
