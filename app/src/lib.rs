//! The browser app as a library with two entry points, so each download holds only what it
//! uses: the citizen's app (`src/main.rs`, served at `/`) and the staff bundle (`src/bin/staff.rs`,
//! served at `/staff/…` and `/kiosk`, the [`staff`] module). The fields, steps, i18n and storage
//! below are shared by both; the linker leaves the staff screens out of the citizen's download.

pub mod actions;
pub mod api;
pub mod app;
pub mod components;
pub mod dom;
pub mod drafts;
pub mod eds;
pub mod fields;
pub mod form;
pub mod i18n;
pub mod idb;
pub mod kiosk;
pub mod outbox;
pub mod pages;
pub mod reference_cache;
pub mod router;
pub mod staff;
pub mod state;
pub mod steps;
pub mod upload;

/// Starts the citizen's app: mounts the root component (STYLE.md: the binary only mounts).
pub fn run_citizen() {
    console_error_panic_hook::set_once();
    // The stored lists first, then the server's (never holds up the first render).
    reference_cache::start();
    wasm_bindgen_futures::spawn_local(async {
        // The page speaks from its first frame: the texts come before the mount.
        if !i18n::load_first().await {
            dom::show_load_failure();
            return;
        }
        leptos::mount::mount_to_body(app::App);
        // index.html shows a static "loading" line until the app runs.
        dom::remove("app-loading");
    });
}
