//! Entry point of the citizen app: mounts the root component (STYLE.md: `main.rs` only mounts).

mod actions;
mod api;
mod app;
mod components;
mod dom;
mod drafts;
mod fields;
mod form;
mod i18n;
mod outbox;
mod pages;
mod router;
mod state;
mod steps;
mod upload;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
    // index.html shows a static "loading" line until the app runs.
    dom::remove("app-loading");
}
