//! The browser app as a library with one entry point per page, so each download holds only what
//! it uses (`telnuska_shared::pages`): the citizen's app (`src/main.rs`, served at `/`), and the
//! staff office, the ЦОН desk and the field worker (`src/bin/`, the [`staff`] module), and the
//! kiosk ([`kiosk`]). The fields, steps, i18n and storage below are shared by all; the linker
//! leaves the staff screens out of the citizen's download and each role's out of the others'.

// Rendering to HTML (`prerender`, for the first screen) makes each view's type deeper still.
#![cfg_attr(feature = "prerender", recursion_limit = "256")]

pub mod actions;
pub mod api;
pub mod app;
pub mod components;
pub mod database;
pub mod dom;
pub mod drafts;
pub mod eds;
pub mod fields;
pub mod first_screen;
pub mod form;
pub mod i18n;
pub mod idb;
pub mod kiosk;
pub mod notice;
pub mod outbox;
pub mod pages;
pub mod reference_cache;
pub mod router;
pub mod staff;
pub mod state;
pub mod steps;
pub mod submitted;
pub mod upload;

/// Starts the citizen's app: mounts the root component (STYLE.md: the binary only mounts).
pub fn run_citizen() {
    mount(app::App);
}

/// Mounts the root component of a page once its texts are in: the page speaks from its first
/// frame (every binary starts here).
pub fn mount<V: leptos::IntoView + 'static>(root: impl FnOnce() -> V + 'static) {
    console_error_panic_hook::set_once();
    wasm_bindgen_futures::spawn_local(async move {
        if !i18n::load_first().await {
            dom::show_load_failure();
            return;
        }
        leptos::mount::mount_to_body(root);
        // The page shows a static "loading" line until the app runs.
        dom::remove("app-loading");
    });
}
