//! The root component: language, header with the two pages and the language switch, the
//! update prompt, and the pages (the form is kept alive while hidden, so it keeps its state).

use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::api::CreateApplicationRequest;

use crate::components::lang_switcher::LangSwitcher;
use crate::components::{loading, reactive};
use crate::components::update_prompt::UpdatePrompt;
use crate::form::{Draft, Step};
use crate::i18n::{provide_lang, tr};
use crate::outbox::{self, provide_outbox, OutboxItem, Receipt};
use crate::pages::apply::ApplyPage;
use crate::pages::track::TrackPage;
use crate::router::{link, provide_router, Page};
use crate::{dom, drafts};

/// The draft to open: the application still in the outbox (it shows "waiting"), else the
/// stored draft, else a new one.
fn opening(draft: Option<Draft>, queued: Option<&OutboxItem>) -> Draft {
    match queued.and_then(|item| serde_json::from_str::<CreateApplicationRequest>(&item.body).ok()) {
        Some(request) => Draft { request, step: Step::Sign, idempotency_key: queued.map(|i| i.key.clone()), ..Draft::new() },
        None => draft.unwrap_or_default(),
    }
}

/// `hidden` of a page's container: true unless `page` is open.
fn shown_unless(current: RwSignal<Page>, page: Page) -> impl Fn() -> bool + Send + Sync + 'static {
    move || current.get() != page
}

/// The whole app. The form appears only after IndexedDB answered, so a reload shows exactly
/// what was typed rather than flashing an empty form.
#[component]
pub fn App() -> impl IntoView {
    provide_lang();
    dom::track_pointer();
    provide_outbox();
    let page = provide_router();
    // A plain task and a signal: a resource with <Transition> costs several kilobytes of wasm.
    let start = RwSignal::new(None::<(Draft, Option<Receipt>)>);
    spawn_local(async move {
        let pending = outbox::pending().await;
        let draft = drafts::load_draft().await;
        let queued = pending.first().cloned();
        start.set(Some((opening(draft, queued.as_ref()), queued.map(|q| q.receipt()))));
    });
    let current = move |p: Page| move || (page.get() == p).then_some("page");
    view! {
        <header class="header">
            <span class="brand">{tr("title.app")}</span>
            <nav class="nav" aria-label=tr("label.pages")>
                <a href="/" class="nav__link" id="nav-apply" aria-current=current(Page::Apply) on:click=link(Page::Apply)>{tr("nav.apply")}</a>
                <a href="/track" class="nav__link" id="nav-track" aria-current=current(Page::Track) on:click=link(Page::Track)>{tr("nav.track")}</a>
            </nav>
            <LangSwitcher />
        </header>
        <main class="main" id="main">
            <UpdatePrompt />
            <div hidden=shown_unless(page, Page::Apply)>
                {reactive(move || Some(match start.get() {
                    Some((draft, queued)) => view! { <ApplyPage draft=draft queued=queued /> }.into_any(),
                    None => loading(),
                }))}
            </div>
            {reactive(move || (page.get() == Page::Track).then(|| view! { <TrackPage /> }.into_any()))}
        </main>
    }
}
