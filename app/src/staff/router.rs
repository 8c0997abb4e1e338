//! The address bar of the staff bundle: the path under `/staff` names the screen, so a reload
//! stays there and the back button works. The path is one signal in context.

use leptos::prelude::*;
use wasm_bindgen::JsValue;

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

/// Opens `path` as a new history entry.
pub fn go(path: &str) {
    if let Some(history) = web_sys::window().and_then(|w| w.history().ok()) {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(path));
    }
    use_path().set(path.to_string());
    crate::dom::scroll_top();
}

/// A click handler for a link to `path` that stays in the app (a modified click opens a tab).
pub fn link(path: &'static str) -> impl Fn(web_sys::MouseEvent) + Clone + 'static {
    move |ev: web_sys::MouseEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.button() != 0 {
            return;
        }
        ev.prevent_default();
        go(path);
    }
}
