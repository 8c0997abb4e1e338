//! Pieces of the citizen app, one component per file.

pub mod checkbox_field;
pub mod confirmation;
pub mod error_summary;
pub mod field_error;
pub mod field_notices;
pub mod file_field;
pub mod header;
pub mod lang_switcher;
pub mod outbox_status;
pub mod radio_group;
pub mod select_field;
pub mod step_nav;
pub mod text_field;
pub mod update_prompt;

use std::sync::Arc;

use leptos::prelude::*;

/// A part of a view that changes with signals. Every such part goes through one closure type
/// ([`reactive_of`]), so the renderer is compiled once for all of them rather than once per
/// place, which keeps tens of kilobytes out of the download.
pub fn reactive(f: impl Fn() -> Option<AnyView> + Send + Sync + 'static) -> impl IntoView {
    reactive_of(Arc::new(f))
}

/// "Loading…" while IndexedDB or the server answers (one view for every place).
pub fn loading() -> AnyView {
    view! { <p class="loading" role="status">{crate::i18n::tr("app.loading")}</p> }.into_any()
}

fn reactive_of(f: Arc<dyn Fn() -> Option<AnyView> + Send + Sync>) -> impl IntoView {
    move || f()
}
