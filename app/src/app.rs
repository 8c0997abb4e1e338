//! The root component: language, header with the two pages and the language switch, the
//! update prompt, and the pages (the form is kept alive while hidden, so it keeps its state).
//! `/` opens on an application still in the outbox (it shows "waiting"), else on the start page
//! when drafts are stored, else on a new form.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::actions::{OUTBOX_STATUS_ID, STEP_TITLE_ID};
use crate::components::lang_switcher::LangSwitcher;
use crate::components::{loading, reactive};
use crate::components::update_prompt::UpdatePrompt;
use crate::drafts::space;
use crate::form::{listed, Draft};
use crate::i18n::{provide_lang, tr};
use crate::outbox::{self, provide_outbox, OutboxItem, Receipt};
use crate::pages::apply::ApplyPage;
use crate::pages::start::{StartPage, START_TITLE_ID};
use crate::pages::track::TrackPage;
use crate::router::{link, provide_router, Page};
use crate::{dom, drafts};

/// What `/` shows.
#[derive(Debug, Clone)]
pub enum Opened {
    /// The start page: the stored drafts, and the queued applications (to mark theirs).
    Start(Vec<Draft>, Vec<OutboxItem>),
    /// One application: its form, or "waiting" with the receipt while it is in the outbox.
    Form(Box<Draft>, Option<Receipt>),
}

thread_local! {
    /// What `/` shows, for click handlers (which run outside the component tree).
    static OPENED: std::cell::Cell<Option<RwSignal<Option<Opened>>>> = const { std::cell::Cell::new(None) };
}

fn show(opened: Opened, focus: &'static str) {
    if let Some(signal) = OPENED.get() {
        signal.set(Some(opened));
        dom::scroll_top();
        dom::focus_later(focus);
    }
}

/// Opens the form of `draft` (its "waiting" view when `queued`), its heading focused.
pub fn open_form(draft: Draft, queued: Option<Receipt>) {
    let focus = if queued.is_some() { OUTBOX_STATUS_ID } else { STEP_TITLE_ID };
    show(Opened::Form(Box::new(draft), queued), focus);
}

/// The draft of a queued application: its own, else one rebuilt from what is sent.
fn draft_of(item: &OutboxItem, stored: &[Draft]) -> Draft {
    let own = stored.iter().find(|d| d.id == item.draft_id()).cloned();
    own.or_else(|| Draft::of_queued(item.draft_id(), &item.key, &item.body)).unwrap_or_default()
}

/// What `/` opens on: the first queued application when `at_launch`, else the start page
/// (at launch only when a draft has content; a new form otherwise).
async fn opening(at_launch: bool) -> Opened {
    let pending = outbox::pending().await;
    let stored = drafts::load_drafts().await;
    if let Some(item) = pending.first().filter(|_| at_launch) {
        return Opened::Form(Box::new(draft_of(item, &stored)), Some(item.receipt()));
    }
    let list = listed(stored);
    if at_launch && list.is_empty() {
        return Opened::Form(Box::default(), None);
    }
    Opened::Start(list, pending)
}

/// Saves `current` (the form being left, if it has anything worth keeping) and shows the start
/// page read afresh.
pub fn open_start(current: Option<Draft>) {
    spawn_local(async move {
        if let Some(draft) = current.filter(Draft::has_content) {
            let _ = drafts::save_draft(&draft).await;
        }
        show(opening(false).await, START_TITLE_ID);
    });
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
    // Made here, so it belongs to the root and outlives every page that shows it.
    space::issue();
    // A plain task and a signal: a resource with <Transition> costs several kilobytes of wasm.
    let opened = RwSignal::new(None::<Opened>);
    OPENED.set(Some(opened));
    spawn_local(async move {
        opened.set(Some(opening(true).await));
        space::check().await;
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
                {reactive(move || Some(match opened.get() {
                    Some(Opened::Form(draft, queued)) => view! { <ApplyPage draft=*draft queued=queued /> }.into_any(),
                    Some(Opened::Start(list, queued)) => view! { <StartPage drafts=list queued=queued /> }.into_any(),
                    None => loading(),
                }))}
            </div>
            {reactive(move || (page.get() == Page::Track).then(|| view! { <TrackPage /> }.into_any()))}
        </main>
    }
}
