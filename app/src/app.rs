//! The root component: language, header with the two pages and the language switch, the
//! update prompt, and the pages (the form is kept alive while hidden, so it keeps its state).
//! The form's page opens on what its address names (`/apply/<draft>/<step>`, `/sent/<id>`); `/`
//! opens on an application still in the outbox (it shows "waiting"), else on the start page
//! when drafts are stored, else on a new form ([`crate::router`] decides and keeps what is open).

use leptos::prelude::*;

use crate::components::confirmation::confirmation;
use crate::components::lang_switcher::LangSwitcher;
use crate::components::update_prompt::UpdatePrompt;
use crate::components::{loading, reactive};
use crate::dom;
use crate::drafts::space::Space;
use crate::i18n::{provide_lang, tr};
use crate::outbox::provide_outbox;
use crate::pages::apply::ApplyPage;
use crate::pages::start::StartPage;
use crate::pages::track::TrackPage;
use crate::reference_cache::provide_lists;
use crate::router::{link, provide_router, Address, Opened, Page};

/// `hidden` of a page's container: true unless `page` is open.
fn shown_unless(current: RwSignal<Page>, page: Page) -> impl Fn() -> bool + Send + Sync + 'static {
    move || current.get() != page
}

/// The whole app. The form appears only after IndexedDB answered, so a reload shows exactly
/// what was typed rather than flashing an empty form.
#[component]
pub fn App() -> impl IntoView {
    // The stored lists first, then the server's (never holds up the form).
    provide_lists().start();
    let lang = provide_lang();
    dom::track_pointer();
    let router = provide_router(lang, provide_outbox(Space::new()));
    // A plain task and a signal: a resource with <Transition> costs several kilobytes of wasm.
    router.launch();
    let (page, opened) = (router.page, router.opened);
    let current = move |p: Page| move || (page.get() == p).then_some("page");
    view! {
        // Focus moves without a history entry (a `#main` one would read as another address).
        <a href="#main" class="skip-link" id="skip-link" on:click=|ev: web_sys::MouseEvent| { ev.prevent_default(); dom::focus("main") }>{tr("nav.skip")}</a>
        <header class="header">
            <span class="brand">{tr("title.app")}</span>
            <nav class="nav" aria-label=tr("label.pages")>
                <a href="/" class="nav__link" id="nav-apply" aria-current=current(Page::Apply) on:click=link(Page::Apply)>{tr("nav.apply")}</a>
                <a href="/track" class="nav__link" id="nav-track" aria-current=current(Page::Track) on:click=link(Page::Track)>{tr("nav.track")}</a>
            </nav>
            <LangSwitcher />
        </header>
        <main class="main" id="main" tabindex="-1">
            <UpdatePrompt />
            <div hidden=shown_unless(page, Page::Apply)>
                {reactive(move || Some(match opened.get() {
                    Some(Opened::Form(draft, queued)) => view! { <ApplyPage draft=*draft queued=queued /> }.into_any(),
                    Some(Opened::Start(list, queued)) => view! { <StartPage drafts=list queued=queued /> }.into_any(),
                    Some(Opened::Sent(record, again)) => {
                        router.show_address(&Address::Sent(record.id.clone()), false);
                        confirmation(record, None, None, again)
                    }
                    None => loading(),
                }))}
            </div>
            {reactive(move || (page.get() == Page::Track).then(|| view! { <TrackPage /> }.into_any()))}
        </main>
    }
}
