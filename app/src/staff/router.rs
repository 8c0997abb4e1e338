//! The address bar of a staff page: the path under `/staff` names the screen, so a reload stays
//! there and the back button works. The path is one signal in context. A path another page boots
//! at (`telnuska_shared::pages`) is loaded as that page.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::staff::use_staff_page;

/// The current path in context.
#[derive(Clone, Copy)]
struct StaffPath(RwSignal<String>);

/// Provides the path, kept in step with the back and forward buttons.
pub fn provide_router() {
    let path = RwSignal::new(crate::router::pathname());
    provide_context(StaffPath(path));
    let listener = window_event_listener(leptos::ev::popstate, move |_| path.set(crate::router::pathname()));
    on_cleanup(move || listener.remove());
}

/// The current path (`/staff/queue/…`).
pub fn use_path() -> RwSignal<String> {
    expect_context::<StaffPath>().0
}

/// Whether `path` is a screen of this page (else the browser loads the page it belongs to).
fn is_here(path: &str) -> bool {
    telnuska_shared::pages::page_at(path) == use_staff_page().page
}

/// Opens `path`: as a new history entry of this page, or by loading its own page.
pub fn go(path: &str) {
    let Some(window) = web_sys::window() else { return };
    if !is_here(path) {
        let _ = window.location().assign(path);
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(path));
    }
    use_path().set(path.to_string());
    crate::dom::scroll_top();
}

/// A click handler for a link to `path` that stays in the page when the screen is here (a
/// modified click opens a tab; another page's screen is left to the browser to load).
pub fn link(path: impl Into<String>) -> impl Fn(web_sys::MouseEvent) + Clone + 'static {
    let path: String = path.into();
    move |ev: web_sys::MouseEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 || !is_here(&path) {
            return;
        }
        ev.prevent_default();
        go(&path);
    }
}
