//! The pages of the app and the address bar. `/` is the start page (or a new form);
//! `/apply/<draft>/<step>` is one step of one draft, so that reload stays there and the back and
//! forward buttons move between steps; `/sent/<application>` is the confirmation of a sent
//! application (read again from the device after a reload); `/track` lists the applications
//! sent from this device, and `/track/<id>[/<lang>]#<token>` (the link sent by SMS, in the
//! applicant's language) shows one application. History entries are pushed so the back button
//! works; the server answers every such path with the same `index.html`, and so does the
//! service worker offline.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use telnuska_shared::i18n::Lang;
use wasm_bindgen::JsValue;

use crate::dom;
use crate::form::Step;

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

/// The router's signals: the page, and the step on screen (for the window's title).
#[derive(Clone, Copy)]
struct Router {
    page: RwSignal<Page>,
    step: RwSignal<Option<Step>>,
}

thread_local! {
    /// The router, for click handlers (which run outside the component tree).
    static ROUTER: Cell<Option<Router>> = const { Cell::new(None) };
    /// The address of the form's page as last shown, for the header's link back to it.
    static APPLY_PATH: RefCell<String> = RefCell::new("/".into());
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

/// The page signal, following the back and forward buttons; `on_address` shows what an address
/// of the form's page names. The window's title follows the page, the step and the language.
pub fn provide_router(lang: RwSignal<Lang>, on_address: fn(Address)) -> RwSignal<Page> {
    let page = RwSignal::new(current());
    let step = RwSignal::new(None);
    let listener = window_event_listener(leptos::ev::popstate, move |_| {
        let path = pathname();
        page.set(Page::at(&path));
        if Page::at(&path) == Page::Apply {
            APPLY_PATH.set(path.clone());
            on_address(Address::parse(&path));
        }
    });
    // The listener lives as long as the page.
    std::mem::forget(listener);
    ROUTER.set(Some(Router { page, step }));
    // One effect for the language and the title: `<html lang>`, the language remembered, and
    // the window's title.
    Effect::new(move |_| {
        let lang = lang.get();
        crate::i18n::show_lang(lang);
        let title = window_title(lang, page.get(), step.get());
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            document.set_title(&title);
        }
    });
    page
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

/// Tells the window's title which step of the form is on screen (`None`: no step).
pub fn show_step(step: Option<Step>) {
    if let Some(router) = ROUTER.get() {
        router.step.set(step);
    }
}

/// Puts `address` in the address bar (when on the form's page): a new history entry when the
/// person moved (`push`), else in place of the current one.
pub fn show_address(address: &Address, push_entry: bool) {
    let path = address.path();
    APPLY_PATH.set(path.clone());
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
pub fn navigate(page: Page) {
    let Some(router) = ROUTER.get() else { return };
    // The form's page opens at the address it was left at; from `/track/<id>` to `/track` too:
    // same page, another view (made anew).
    let path = if page == Page::Apply { APPLY_PATH.with_borrow(Clone::clone) } else { "/track".to_string() };
    if router.page.get_untracked() != page || pathname() != path {
        push(&path);
        router.page.set(page);
    }
    dom::scroll_top();
    if page == Page::Track {
        dom::focus_later("track-title");
    } else {
        // The list of drafts or the form: whichever heading is there takes the focus.
        dom::focus_later(crate::pages::start::START_TITLE_ID);
        dom::focus_later(crate::actions::STEP_TITLE_ID);
    }
}

/// A click handler for an `<a href>` of the app: opens the page without reloading.
pub fn link(page: Page) -> impl Fn(web_sys::MouseEvent) + Clone + 'static {
    move |ev: web_sys::MouseEvent| {
        // A click with a modifier opens a new tab as usual.
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        navigate(page);
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
