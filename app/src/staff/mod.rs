//! The staff bundle: the screens of the people who carry applications through — the provider's
//! staff, the ЦОН operator, the field worker, the administrator — under `/staff/…`. Each of its
//! pages is a download of its own (`src/bin/`), so none of it weighs on the citizen's first load
//! and a role loads only its screens; they reuse the citizen's pieces (fields, steps, i18n) from
//! this library rather than copying them.
//!
//! One owner per concern, passed by context: the page ([`StaffPage`]), the language
//! ([`crate::i18n`]), the session ([`session`]) and the address ([`router`]). A workspace adds
//! its sections to [`home::SECTIONS`] and its screens to the page that holds them: [`OFFICE`],
//! [`desk::PAGE`] or [`field::PAGE`] (the kiosk is a page of its own, [`crate::kiosk`]).

pub mod admin;
pub mod desk;
pub mod field;
pub mod home;
pub mod login;
pub mod oversight;
pub mod provider;
pub mod router;
pub mod section;
pub mod session;

use leptos::prelude::*;
use telnuska_shared::pages::Page;

use crate::components::lang_switcher::LangSwitcher;
use crate::i18n::{provide_lang, show_lang, tr};
use crate::staff::section::Screen;

/// One staff page: the screens it holds, and what it shows to someone not signed in. Each is a
/// download of its own (`src/bin/`), so a role loads only its own screens.
pub struct StaffPage {
    /// Where it is served.
    pub page: Page,
    /// Its screens.
    pub screens: &'static [Screen],
    /// Provides what its screens share, after the session and the address.
    pub provide: fn(),
    /// What shows while no one is signed in.
    pub signed_out: fn() -> AnyView,
    /// The session is never kept in this tab's storage in clear (the field worker's; see
    /// [`session`]).
    pub seals_session: bool,
}

impl StaffPage {
    /// A page with the login for whoever is signed out, the session kept in the tab.
    pub const OFFICE_DEFAULTS: StaffPage = StaffPage {
        page: telnuska_shared::pages::STAFF,
        screens: &[],
        provide: || {},
        signed_out: || view! { <login::LoginForm /> }.into_any(),
        seals_session: false,
    };
}

/// The office's page (`/staff/…`): every role's login and home, the provider's queue and its own
/// counter, the head's view and the administrator's screens.
pub const OFFICE: StaffPage = StaffPage {
    screens: &[
        Screen { section: provider::QUEUE, view: provider::screen },
        Screen { section: desk::OFFICE_INTAKE, view: || view! { <desk::intake::IntakeScreen /> }.into_any() },
        Screen { section: oversight::SECTION, view: oversight::screen },
        Screen { section: admin::STAFF, view: admin::staff_screen },
        Screen { section: admin::CALENDAR, view: admin::calendar_screen },
    ],
    // The counter's form at the provider's own office reads the lists of regions and institutions.
    provide: || {
        crate::reference_cache::provide_lists();
    },
    ..StaffPage::OFFICE_DEFAULTS
};

/// The page in context.
pub fn use_staff_page() -> &'static StaffPage {
    expect_context::<&'static StaffPage>()
}

/// Starts a staff page (its texts are the citizen's and the staff screens', joined by boot.js).
pub fn run(page: &'static StaffPage) {
    crate::mount(move || {
        provide_context(page);
        view! { <StaffApp /> }
    });
}

/// The header (title, who is signed in and until when, sign out, language) and the workspace.
/// The workspace stays mounted when the session ends: the login form covers it, and signing in
/// again as the same person shows it with everything typed still there.
#[component]
pub fn StaffApp() -> impl IntoView {
    let page = use_staff_page();
    let lang = provide_lang();
    Effect::new(move |_| show_lang(lang.get()));
    let session = session::provide_session(page.seals_session);
    router::provide_router();
    (page.provide)();
    let signed_in = move || session.current.with(Option::is_some);
    view! {
        <header class="site-header staff-header">
            <p class="site-title">{tr("staff.title")}</p>
            {move || session.current.get().map(|s| view! { <session::SessionBar session=s /> })}
            <LangSwitcher />
        </header>
        <main id="main" class="staff-main">
            <div hidden=move || !signed_in()>{move || session.workspace_owner().map(|_| view! { <home::Workspace /> })}</div>
            <Show when=move || !signed_in()>{page.signed_out}</Show>
        </main>
    }
}
