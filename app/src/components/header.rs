//! The skip link and the header: the app's name, its two pages and the language switch (the
//! citizen's app's, and the first screen of `index.html`, [`crate::first_screen`]).

use leptos::prelude::*;

use crate::components::lang_switcher::LangSwitcher;
use crate::dom;
use crate::i18n::tr;
use crate::router::{link, Page};

/// The skip link and the header, `page` marked as the one open.
pub fn header(page: RwSignal<Page>) -> impl IntoView {
    let current = move |p: Page| move || (page.get() == p).then_some("page");
    view! {
        // Focus moves without a history entry (a `#main` one would read as another address).
        <a href="#main" class="skip-link" id="skip-link" on:click=|ev: web_sys::MouseEvent| { ev.prevent_default(); dom::focus("main") }>{tr("nav.skip")}</a>
        <header class="header">
            <span class="brand">{tr("title.app")}</span>
            <nav class="nav" aria-label=tr("label.pages")>
                <a href="/" class="nav__link" id="nav-apply" aria-current=current(Page::Apply) on:click=link(Page::Apply)>{tr("nav.apply")}</a>
                <a href="/track" class="nav__link" id="nav-track" aria-current=current(Page::Track) on:click=link(Page::Track)>{tr("nav.track")}</a>
            </nav>
            <LangSwitcher />
        </header>
    }
}
