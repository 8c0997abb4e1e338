//! The few direct DOM and browser calls the app makes outside its views.

use std::cell::{Cell, RefCell};
use std::time::Duration;

use leptos::ev;
use leptos::prelude::{set_timeout, window_event_listener};
use wasm_bindgen::JsCast;

fn document() -> Option<web_sys::Document> {
    web_sys::window()?.document()
}

/// Moves focus to the element of `id` once the pending render has reached the DOM.
pub fn focus_later(id: &'static str) {
    focus_later_owned(id.to_string());
}

/// [`focus_later`] for a computed id.
pub fn focus_later_owned(id: String) {
    set_timeout(move || focus(&id), Duration::ZERO);
}

/// Moves focus to the element of `id` now, if it exists.
pub fn focus(id: &str) {
    if let Some(element) = document().and_then(|d| d.get_element_by_id(id)).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = element.focus();
    }
}

/// Scrolls to the top of the page (a new step starts there).
pub fn scroll_top() {
    if let Some(window) = web_sys::window() {
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }
}

/// Removes the element of `id` (the static "loading" text of index.html) if present.
pub fn remove(id: &str) {
    if let Some(element) = document().and_then(|d| d.get_element_by_id(id)) {
        element.remove();
    }
}

/// Replaces the "loading" line with what to do when not even one language's texts could be
/// fetched: the only text of the app not from a catalogue, so it is in all three languages.
pub fn show_load_failure() {
    // `/` shows its first screen in place of the line: the text goes above it.
    let line = || {
        let document = document()?;
        document.get_element_by_id("app-loading").or_else(|| {
            let line = document.create_element("p").ok()?;
            line.set_class_name("notice notice--error no-app");
            document.body()?.prepend_with_node_1(&line).ok()?;
            Some(line)
        })
    };
    if let Some(element) = line() {
        element.set_text_content(Some(
            "Байланыс жоқ: интернетке қосылып, бетті қайта жүктеңіз. / Нет связи: подключитесь к интернету и обновите страницу. / No connection: connect to the internet and reload the page.",
        ));
    }
}

/// 16 random bytes from the browser's cryptographic generator (Math.random only if that is missing).
pub fn random_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window().and_then(|w| w.crypto().ok()).is_some_and(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok());
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes
}

// Not reactive state: the pointer's state as the window's listeners see it (they run outside any
// component), and the callbacks waiting for its release; nothing on screen reads them.
thread_local! {
    static POINTER_DOWN: Cell<bool> = const { Cell::new(false) };
    static AFTER_RELEASE: RefCell<Vec<Box<dyn FnOnce()>>> = const { RefCell::new(Vec::new()) };
}

/// Tracks whether a mouse button or pen is pressed, for [`after_pointer_release`].
pub fn track_pointer() {
    let down = window_event_listener(ev::pointerdown, |_| POINTER_DOWN.set(true));
    let up = window_event_listener(ev::pointerup, |_| release());
    let cancel = window_event_listener(ev::pointercancel, |_| release());
    // The listeners live as long as the page.
    std::mem::forget((down, up, cancel));
}

fn release() {
    POINTER_DOWN.set(false);
    let pending: Vec<Box<dyn FnOnce()>> = AFTER_RELEASE.with_borrow_mut(std::mem::take);
    if !pending.is_empty() {
        // After the click that this release completes.
        set_timeout(move || pending.into_iter().for_each(|f| f()), Duration::ZERO);
    }
}

/// Runs `f` now, or, while a pointer is pressed, just after the click it is making. A field's
/// error appearing on blur moves everything below it; if that happened between the press and
/// the release, the release would land beside the button that was pressed and the click be lost.
pub fn after_pointer_release(f: impl FnOnce() + 'static) {
    if POINTER_DOWN.get() {
        AFTER_RELEASE.with_borrow_mut(|pending| pending.push(Box::new(f)));
    } else {
        f();
    }
}
