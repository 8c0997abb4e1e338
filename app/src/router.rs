//! The two pages of the app and the address bar: `/` applies, `/track` lists the applications
//! sent from this device, and `/track/<id>#<token>` (the link sent by SMS) shows one application.
//! History entries are pushed so the back button works; the server answers every such path with
//! the same `index.html`.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::dom;

/// A page of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The application form.
    Apply,
    /// "My applications", and one application from a tracking link.
    Track,
}

impl Page {
    /// The address of the page.
    pub fn path(self) -> &'static str {
        match self {
            Page::Apply => "/",
            Page::Track => "/track",
        }
    }

    /// The page at an address (the form for any other).
    pub fn at(path: &str) -> Page {
        if path.trim_end_matches('/') == "/track" || path.starts_with("/track/") { Page::Track } else { Page::Apply }
    }
}

/// The application a tracking link names, `/track/<id>#<token>`: its id, and its token if the
/// address still has it. The token travels in the fragment, which the browser never sends to the
/// server (nor in `Referer`); once read it is taken out of the address bar, so that it is not
/// left on a shared screen nor in the history.
pub fn take_tracking_link() -> Option<(String, Option<String>)> {
    let window = web_sys::window()?;
    let location = window.location();
    let id = location.pathname().ok()?.strip_prefix("/track/")?.trim_end_matches('/').to_string();
    let token = location.hash().ok().map(|h| h.trim_start_matches('#').to_string()).filter(|t| !t.is_empty());
    if token.is_some() {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("/track/{id}")));
        }
    }
    (!id.is_empty()).then_some((id, token))
}

thread_local! {
    /// The page signal, for click handlers (which run outside the component tree).
    static ROUTER: std::cell::Cell<Option<RwSignal<Page>>> = const { std::cell::Cell::new(None) };
}

fn pathname() -> String {
    web_sys::window().and_then(|w| w.location().pathname().ok()).unwrap_or_default()
}

fn current() -> Page {
    Page::at(&pathname())
}

/// The page signal, following the back and forward buttons.
pub fn provide_router() -> RwSignal<Page> {
    let page = RwSignal::new(current());
    let listener = window_event_listener(leptos::ev::popstate, move |_| page.set(current()));
    // The listener lives as long as the page.
    std::mem::forget(listener);
    ROUTER.set(Some(page));
    page
}

/// Opens `page` as a new history entry, its heading focused.
pub fn navigate(page: Page) {
    let Some(signal) = ROUTER.get() else { return };
    // From `/track/<id>` to `/track` too: same page, another view.
    if signal.get_untracked() != page || pathname() != page.path() {
        if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
            let _ = history.push_state_with_url(&JsValue::NULL, "", Some(page.path()));
        }
        signal.set(page);
    }
    dom::scroll_top();
    if page == Page::Track {
        dom::focus_later("track-title");
    } else {
        // `/` shows the list of drafts or the form: whichever heading is there takes the focus.
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
