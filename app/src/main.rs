//! Entry point of the citizen app: mounts the root component (STYLE.md: `main.rs` only mounts).

mod actions;
mod api;
mod app;
mod components;
mod dom;
mod drafts;
mod eds;
mod fields;
mod form;
mod i18n;
mod idb;
mod outbox;
mod pages;
mod reference_cache;
mod router;
mod state;
mod steps;
mod upload;

fn main() {
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
