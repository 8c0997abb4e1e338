//! The root component: language, header, and the form once its draft is restored.

use leptos::prelude::*;

use crate::components::lang_switcher::LangSwitcher;
use crate::{dom, drafts};
use crate::i18n::{provide_lang, tr};
use crate::pages::apply::ApplyPage;

/// The whole app. The form appears only after IndexedDB answered, so a reload shows exactly
/// what was typed rather than flashing an empty form.
#[component]
pub fn App() -> impl IntoView {
    provide_lang();
    dom::track_pointer();
    let draft = LocalResource::new(drafts::load_draft);
    view! {
        <header class="header">
            <span class="brand">{tr("title.app")}</span>
            <LangSwitcher />
        </header>
        <main class="main" id="main">
            <Transition fallback=move || view! { <p class="loading" role="status">{tr("app.loading")}</p> }>
                {move || Suspend::new(async move {
                    let draft = draft.await.unwrap_or_default();
                    view! { <ApplyPage draft=draft /> }
                })}
            </Transition>
        </main>
    }
}
