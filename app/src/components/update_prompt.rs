//! The offer to reload when a new version of the app is installed. boot.js, which registers the
//! service worker, raises `telnuska-update-ready` when a new worker is waiting and, on
//! `telnuska-update-accept`, lets it take over and reloads. Reloading is the person's choice, and
//! drafts stay in IndexedDB untouched.

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::components::reactive;
use crate::i18n::tr;

/// Longer than the draft's save delay, so the last keystrokes are stored before the reload.
const SETTLE_MS: u32 = 400;

/// `<div id="update-prompt">` with `#update-reload`, shown once a new version is ready.
#[component]
pub fn UpdatePrompt() -> impl IntoView {
    let ready = RwSignal::new(false);
    let listener = window_event_listener_untyped("telnuska-update-ready", move |_| ready.set(true));
    // The listener lives as long as the page.
    std::mem::forget(listener);
    let reload = move |_| {
        spawn_local(async {
            TimeoutFuture::new(SETTLE_MS).await;
            if let Ok(event) = web_sys::Event::new("telnuska-update-accept") {
                if let Some(window) = web_sys::window() {
                    let _ = window.dispatch_event(&event);
                }
            }
        });
    };
    view! {
        {reactive(move || ready.get().then(|| view! {
            <div class="update" id="update-prompt" role="status">
                <p>{tr("update.ready")}</p>
                <button type="button" class="button" id="update-reload" on:click=reload>{tr("button.reload")}</button>
            </div>
        }.into_any()))}
    }
}
