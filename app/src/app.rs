//! The root component: language, header with the two pages and the language switch, the
//! update prompt, and the pages (the form is kept alive while hidden, so it keeps its state).
//! The form's page opens on what its address names (`/apply/<draft>/<step>`, `/sent/<id>`); `/`
//! opens on an application still in the outbox (it shows "waiting"), else on the start page
//! when drafts are stored, else on a new form. The back and forward buttons go through
//! [`follow`].

use std::cell::Cell;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::actions::{OUTBOX_STATUS_ID, STEP_TITLE_ID};
use crate::components::confirmation::confirmation;
use crate::components::lang_switcher::LangSwitcher;
use crate::components::update_prompt::UpdatePrompt;
use crate::components::{loading, reactive};
use crate::drafts::{space, SubmittedRecord};
use crate::form::{listed, Draft, Step};
use crate::i18n::{provide_lang, tr};
use crate::outbox::{self, provide_outbox, OutboxItem, Receipt};
use crate::pages::apply::ApplyPage;
use crate::pages::start::{StartPage, START_TITLE_ID};
use crate::pages::track::TrackPage;
use crate::router::{link, pathname, provide_router, show_address, Address, Page};
use crate::state::{FormState, SubmitStatus};
use crate::{dom, drafts};

/// What the form's page shows.
#[derive(Debug, Clone)]
pub enum Opened {
    /// The start page: the stored drafts, and the queued applications (to mark theirs).
    Start(Vec<Draft>, Vec<OutboxItem>),
    /// One application: its form, or "waiting" with the receipt while it is in the outbox.
    Form(Box<Draft>, Option<Receipt>),
    /// The confirmation of an application sent from this device (`true`: its draft's address
    /// was asked for, so it says "already sent").
    Sent(SubmittedRecord, bool),
}

thread_local! {
    /// What the form's page shows, for click handlers (which run outside the component tree).
    static OPENED: Cell<Option<RwSignal<Option<Opened>>>> = const { Cell::new(None) };
    /// The form on screen, for the back and forward buttons.
    static FORM: Cell<Option<FormState>> = const { Cell::new(None) };
    /// The next form was opened by the person (a new history entry), not by an address.
    static OPENED_BY_PERSON: Cell<bool> = const { Cell::new(false) };
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
    OPENED_BY_PERSON.set(true);
    show(Opened::Form(Box::new(draft), queued), focus);
}

/// The form of the page registers itself here.
pub fn register_form(form: FormState) {
    FORM.set(Some(form));
}

/// Whether the form now opening was opened by the person (once).
pub fn take_opened_by_person() -> bool {
    OPENED_BY_PERSON.replace(false)
}

/// The draft of a queued application: its own, else one rebuilt from what is sent.
fn draft_of(item: &OutboxItem, stored: &[Draft]) -> Draft {
    let own = stored.iter().find(|d| d.id == item.draft_id()).cloned();
    own.or_else(|| Draft::of_queued(item.draft_id(), &item.key, &item.body)).unwrap_or_default()
}

/// What `/apply/<id>/<step>` opens: the draft at that step (its "waiting" view while queued);
/// the confirmation when this device sent it already; a new form under that id otherwise
/// (another device's address, or a form left before anything was typed).
async fn form_at(id: String, step: Step, pending: &[OutboxItem]) -> Opened {
    if let Some(item) = pending.iter().find(|i| i.draft_id() == id) {
        return Opened::Form(Box::new(draft_of(item, &drafts::load_drafts().await)), Some(item.receipt()));
    }
    match drafts::load_draft(&id).await {
        Some(draft) => Opened::Form(Box::new(Draft { step, ..draft }), None),
        None => match drafts::sent(&id).await {
            Some(record) => Opened::Sent(record, true),
            None => Opened::Form(Box::new(Draft { id, ..Draft::new() }), None),
        },
    }
}

/// What the form's page opens on: at launch what the address names, or the first queued
/// application at `/`; else the start page (at launch only when a draft has content; a new
/// form otherwise).
async fn opening(at_launch: bool) -> Opened {
    let pending = outbox::pending().await;
    if at_launch {
        match Address::parse(&pathname()) {
            Address::Form(id, step) => return form_at(id, step, &pending).await,
            Address::Sent(id) => {
                if let Some(record) = drafts::sent(&id).await {
                    return Opened::Sent(record, false);
                }
            }
            Address::Start => {}
        }
    }
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

/// The form on screen, if it is still there and not sent.
fn live_form() -> Option<FormState> {
    FORM.get().filter(|form| matches!(form.submit.try_get_untracked(), Some(SubmitStatus::Idle | SubmitStatus::NotSent(_))))
}

/// The back or forward button reached `address` of the form's page: the step of the form on
/// screen; anything else (the start page, another draft, a confirmation) opens as at launch.
fn follow(address: Address) {
    let form = live_form();
    match address {
        Address::Form(id, step) if form.is_some_and(|f| f.id.get_untracked() == id) => {
            if let Some(form) = form {
                form.step.set(step);
                dom::scroll_top();
                dom::focus_later(STEP_TITLE_ID);
            }
        }
        // The form on screen saved its last change within a quarter of a second.
        _ => {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        }
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
    let lang = provide_lang();
    dom::track_pointer();
    provide_outbox();
    let page = provide_router(lang, follow);
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
                        show_address(&Address::Sent(record.id.clone()), false);
                        confirmation(record, None, None, again)
                    }
                    None => loading(),
                }))}
            </div>
            {reactive(move || (page.get() == Page::Track).then(|| view! { <TrackPage /> }.into_any()))}
        </main>
    }
}
