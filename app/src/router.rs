//! Navigation: the pages of the app, what the form's page shows, and the address bar. `/` is the start page (or a new form);
//! `/apply/<draft>/<step>` is one step of one draft, so that reload stays there and the back and
//! forward buttons move between steps; `/sent/<application>` is the confirmation of a sent
//! application (read again from the device after a reload); `/track` lists the applications
//! sent from this device, and `/track/<id>[/<lang>]#<token>` (the link sent by SMS, in the
//! applicant's language) shows one application. History entries are pushed so the back button
//! works; the server answers every such path with the same `index.html`, and so does the
//! service worker offline.

use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::i18n::Lang;
use wasm_bindgen::JsValue;

use crate::actions::{OUTBOX_STATUS_ID, STEP_TITLE_ID};
use crate::dom;
use crate::drafts;
use crate::form::{listed, Draft, Step};
use crate::outbox::{Outbox, OutboxItem, Receipt};
use crate::state::{FormState, SubmitStatus};
use crate::submitted::{self, SubmittedRecord};

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The application form.
    Apply,
    /// "My applications", and one application from a tracking link.
    Track,
}

impl Page {
    /// The page at an address (the form for any other).
    pub fn at(path: &str) -> Page {
        if path.trim_end_matches('/') == "/track" || path.starts_with("/track/") {
            Page::Track
        } else {
            Page::Apply
        }
    }
}

/// What an address of the form's page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Address {
    /// `/`: the start page (or a new form when no draft is kept).
    Start,
    /// `/apply/<draft>/<step>`: a step of a draft.
    Form(String, Step),
    /// `/sent/<application id>`: the confirmation.
    Sent(String),
}

/// Whether `text` may stand in a path: an id of a draft or an application (UUIDs, and the
/// legacy draft id `current`).
fn is_id(text: &str) -> bool {
    !text.is_empty() && text.len() <= 64 && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Address {
    /// The address of `path` (the start page for any other, or a malformed one).
    pub fn parse(path: &str) -> Address {
        let path = path.trim_end_matches('/');
        if let Some(id) = path.strip_prefix("/sent/").filter(|id| is_id(id)) {
            return Address::Sent(id.into());
        }
        let Some((draft, step)) = path.strip_prefix("/apply/").map(|rest| rest.split_once('/').unwrap_or((rest, "service"))) else { return Address::Start };
        match Step::ALL.into_iter().find(|s| s.code() == step) {
            Some(step) if is_id(draft) => Address::Form(draft.into(), step),
            _ => Address::Start,
        }
    }

    /// The path.
    pub fn path(&self) -> String {
        match self {
            Address::Start => "/".into(),
            Address::Form(draft, step) => format!("/apply/{draft}/{}", step.code()),
            Address::Sent(id) => format!("/sent/{id}"),
        }
    }
}

/// The application a tracking link names, `/track/<id>[/<lang>]#<token>`: its id, and its token
/// if the address still has it. The token travels in the fragment, which the browser never sends
/// to the server (nor in `Referer`); once read it is taken out of the address bar, with the
/// language, so that it is not left on a shared screen nor in the history.
pub fn take_tracking_link() -> Option<(String, Option<String>)> {
    let window = web_sys::window()?;
    let location = window.location();
    let path = location.pathname().ok()?;
    let id = path.strip_prefix("/track/")?.split('/').next()?.to_string();
    let token = location.hash().ok().map(|h| h.trim_start_matches('#').to_string()).filter(|t| !t.is_empty());
    if token.is_some() || path != format!("/track/{id}") {
        replace(&format!("/track/{id}"));
    }
    (!id.is_empty()).then_some((id, token))
}

/// The address bar's path.
pub fn pathname() -> String {
    web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default()
}

fn history() -> Option<web_sys::History> {
    web_sys::window()?.history().ok()
}

fn push(path: &str) {
    if let Some(history) = history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(path));
    }
}

fn replace(path: &str) {
    if let Some(history) = history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(path));
    }
}

fn current() -> Page {
    Page::at(&pathname())
}

/// The window's title: "Step 3 of 7 — The document — Telnuska" on a step of the form, else
/// the app's name.
pub fn window_title(lang: Lang, page: Page, step: Option<Step>) -> String {
    use telnuska_shared::i18n::t;
    let app = t(lang, "title.app");
    match step.filter(|_| page == Page::Apply) {
        Some(step) => {
            let progress = t(lang, "step.progress").replace("{n}", &step.number().to_string()).replace("{total}", &Step::ALL.len().to_string());
            format!("{progress} — {} — {app}", t(lang, &format!("step.{}", step.code())))
        }
        None => app.to_string(),
    }
}

/// `id` of the start page's heading, focused when it opens.
pub const START_TITLE_ID: &str = "start-title";
/// `id` of the heading of "my applications", focused when it opens.
pub const TRACK_TITLE_ID: &str = "track-title";

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

/// The navigation of the citizen's app, made by the root component ([`provide_router`]) and in
/// context for every page: the page open, what the form's page shows, the step on screen (for
/// the window's title) and the address each page was left at.
#[derive(Clone, Copy)]
pub struct Router {
    /// The page open.
    pub page: RwSignal<Page>,
    /// What the form's page shows (`None` until IndexedDB answered).
    pub opened: RwSignal<Option<Opened>>,
    step: RwSignal<Option<Step>>,
    /// The address of the form's page as last shown, for the header's link back to it (read
    /// untracked, as the flag below).
    apply_path: RwSignal<String>,
    /// The form on screen, for the back and forward buttons.
    form: StoredValue<Option<FormState>>,
    /// The next form was opened by the person (a new history entry), not by an address.
    opened_by_person: RwSignal<bool>,
    outbox: Outbox,
}

/// Makes the router and provides it: the page follows the back and forward buttons, and the
/// window's title the page, the step and the language. Nothing opens before [`Router::launch`].
pub fn provide_router(lang: RwSignal<Lang>, outbox: Outbox) -> Router {
    let router = Router {
        page: RwSignal::new(current()),
        opened: RwSignal::new(None),
        step: RwSignal::new(None),
        apply_path: RwSignal::new("/".into()),
        form: StoredValue::new(None),
        opened_by_person: RwSignal::new(false),
        outbox,
    };
    provide_context(router);
    let listener = window_event_listener(leptos::ev::popstate, move |_| {
        let path = pathname();
        router.page.set(Page::at(&path));
        if Page::at(&path) == Page::Apply {
            router.apply_path.set(path.clone());
            router.follow(Address::parse(&path));
        }
    });
    // The listener lives as long as the page.
    std::mem::forget(listener);
    let Router { page, step, .. } = router;
    // One effect for the language and the title: `<html lang>`, the language remembered, and
    // the window's title.
    Effect::new(move |_| {
        let lang = lang.get();
        crate::i18n::show_lang(lang);
        crate::i18n::keep_lang(lang);
        let title = window_title(lang, page.get(), step.get());
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&title);
        }
    });
    router
}

/// The router of the page.
pub fn use_router() -> Router {
    expect_context::<Router>()
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
        None => match submitted::sent(&id).await {
            Some(record) => Opened::Sent(record, true),
            None => Opened::Form(Box::new(Draft { id, ..Draft::new() }), None),
        },
    }
}

impl Router {
    fn show(self, opened: Opened, focus: &'static str) {
        self.opened.set(Some(opened));
        dom::scroll_top();
        dom::focus_later(focus);
    }

    /// What the form's page opens on: at launch what the address names, or the first queued
    /// application at `/`; else the start page (at launch only when a draft has content; a new
    /// form otherwise).
    /// `chosen` is asked at `/` at launch (a service chosen on index.html's first screen).
    async fn opening(self, at_launch: bool, chosen: fn() -> Option<Draft>) -> Opened {
        let pending = self.outbox.pending().await;
        if at_launch {
            match Address::parse(&pathname()) {
                Address::Form(id, step) => return form_at(id, step, &pending).await,
                Address::Sent(id) => {
                    if let Some(record) = submitted::sent(&id).await {
                        return Opened::Sent(record, false);
                    }
                }
                // A service chosen before the app ran: a new form with it.
                Address::Start => {
                    if let Some(draft) = chosen() {
                        let _ = drafts::save_draft(self.outbox.space, &draft).await;
                        return Opened::Form(Box::new(draft), None);
                    }
                }
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

    /// Opens what the address names, once IndexedDB answered (at `/`, the draft `chosen` gives
    /// first), calls `drawn` with the app's first screen on the page, then checks the room for
    /// drafts.
    pub fn launch(self, chosen: fn() -> Option<Draft>, drawn: impl FnOnce() + 'static) {
        spawn_local(async move {
            self.opened.set(Some(self.opening(true, chosen).await));
            drawn();
            self.outbox.space.check().await;
        });
    }

    /// Opens the form of `draft` (its "waiting" view when `queued`), its heading focused.
    pub fn open_form(self, draft: Draft, queued: Option<Receipt>) {
        let focus = if queued.is_some() { OUTBOX_STATUS_ID } else { STEP_TITLE_ID };
        self.opened_by_person.set(true);
        self.show(Opened::Form(Box::new(draft), queued), focus);
    }

    /// Saves `current` (the form being left, if it has anything worth keeping) and shows the
    /// start page read afresh.
    pub fn open_start(self, current: Option<Draft>) {
        spawn_local(async move {
            if let Some(draft) = current.filter(Draft::has_content) {
                let _ = drafts::save_draft(self.outbox.space, &draft).await;
            }
            self.show(self.opening(false, || None).await, START_TITLE_ID);
        });
    }

    /// The form of the page registers itself here.
    pub fn register_form(self, form: FormState) {
        self.form.set_value(Some(form));
    }

    /// Whether the form now opening was opened by the person (once).
    pub fn take_opened_by_person(self) -> bool {
        let opened = self.opened_by_person.get_untracked();
        self.opened_by_person.set(false);
        opened
    }

    /// The form on screen, if it is still there and not sent.
    fn live_form(self) -> Option<FormState> {
        self.form.get_value().filter(|form| matches!(form.submit.try_get_untracked(), Some(SubmitStatus::Idle | SubmitStatus::NotSent(_))))
    }

    /// The back or forward button reached `address` of the form's page: the step of the form on
    /// screen; anything else (the start page, another draft, a confirmation) opens as at launch.
    fn follow(self, address: Address) {
        let form = self.live_form();
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

    /// Tells the window's title which step of the form is on screen (`None`: no step).
    pub fn show_step(self, step: Option<Step>) {
        // `try_`: a form leaving with the page changes nothing.
        self.step.try_set(step);
    }

    /// Puts `address` in the address bar (when on the form's page): a new history entry when the
    /// person moved (`push`), else in place of the current one.
    pub fn show_address(self, address: &Address, push_entry: bool) {
        let path = address.path();
        self.apply_path.set(path.clone());
        if current() != Page::Apply || pathname() == path {
            return;
        }
        if push_entry {
            push(&path);
        } else {
            replace(&path);
        }
    }

    /// Opens `page` as a new history entry, its heading focused.
    pub fn navigate(self, page: Page) {
        // The form's page opens at the address it was left at; from `/track/<id>` to `/track`
        // too: same page, another view (made anew).
        let path = if page == Page::Apply { self.apply_path.get_untracked() } else { "/track".to_string() };
        if self.page.get_untracked() != page || pathname() != path {
            push(&path);
            self.page.set(page);
        }
        dom::scroll_top();
        if page == Page::Track {
            dom::focus_later(TRACK_TITLE_ID);
        } else {
            // The list of drafts or the form: whichever heading is there takes the focus.
            dom::focus_later(START_TITLE_ID);
            dom::focus_later(STEP_TITLE_ID);
        }
    }
}

/// A click handler for an `<a href>` of the app: opens the page without reloading.
pub fn link(page: Page) -> impl Fn(web_sys::MouseEvent) + Clone + 'static {
    // The router is looked up on the click (the handler runs under its owner), so that the
    // header is also drawn where there is none (the first screen, rendered at build time).
    move |ev: web_sys::MouseEvent| {
        // A click with a modifier opens a new tab as usual.
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        use_router().navigate(page);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_of_the_form_round_trip_and_anything_else_is_the_start() {
        for address in [
            Address::Start,
            Address::Form("0b9c41d2-aaaa-4bbb-8ccc-0123456789ab".into(), Step::Documents),
            Address::Sent("abc-1".into()),
            Address::Form("current".into(), Step::Sign),
        ] {
            assert_eq!(Address::parse(&address.path()), address);
        }
        assert_eq!(Address::parse("/apply/d1/"), Address::Form("d1".into(), Step::Service));
        assert_eq!(Address::parse("/apply/d1/nope"), Address::Start);
        assert_eq!(Address::parse("/apply/../sign"), Address::Start, "only plain ids");
        assert_eq!(Address::parse("/apply/a%20b/sign"), Address::Start);
        assert_eq!(Address::parse("/elsewhere"), Address::Start);
        assert_eq!(Address::parse("/sent/x/y"), Address::Start);
    }
}
