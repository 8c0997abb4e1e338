//! The root component: language, header with the two pages and the language switch, the
//! update prompt, and the pages (the form is kept alive while hidden, so it keeps its state).
//! The form's page opens on what its address names (`/apply/<draft>/<step>`, `/sent/<id>`); `/`
//! opens on an application still in the outbox (it shows "waiting"), else on the start page
//! when drafts are stored, else on a new form ([`crate::router`] decides and keeps what is open).

use leptos::prelude::*;

use crate::components::confirmation::confirmation;
use crate::components::header::header;
use crate::components::update_prompt::UpdatePrompt;
use crate::components::{loading, reactive};
use crate::drafts::space::Space;
use crate::i18n::provide_lang;
use crate::outbox::provide_outbox;
use crate::pages::apply::ApplyPage;
use crate::pages::start::StartPage;
use crate::pages::track::TrackPage;
use crate::reference_cache::provide_lists;
use crate::router::{provide_router, Address, Opened, Page};
use crate::{dom, first_screen};

/// `hidden` of a page's container: true unless `page` is open.
fn shown_unless(current: RwSignal<Page>, page: Page) -> impl Fn() -> bool + Send + Sync + 'static {
    move || current.get() != page
}

/// The whole app. The form appears only after IndexedDB answered, so a reload shows exactly
/// what was typed rather than flashing an empty form.
#[component]
pub fn App() -> impl IntoView {
    // The stored lists first, the server's once the first screen is drawn (never holds up the
    // form).
    let lists = provide_lists();
    lists.launch();
    let lang = provide_lang();
    dom::track_pointer();
    let router = provide_router(lang, provide_outbox(Space::new()));
    // A plain task and a signal: a resource with <Transition> costs several kilobytes of wasm.
    // At `/`, a service chosen on index.html's first screen before the app ran opens its form;
    // that first screen gives way to the app's, drawn in the same frame, and then the lists may
    // come from the server.
    router.launch(first_screen::chosen, move || {
        first_screen::hand_over();
        lists.drawn();
    });
    let (page, opened) = (router.page, router.opened);
    view! {
        {header(page)}
        <main class="main" id="main" tabindex="-1">
            <UpdatePrompt />
            <div hidden=shown_unless(page, Page::Apply)>
                {reactive(move || Some(match opened.get() {
                    Some(Opened::Form(draft, queued)) => view! { <ApplyPage draft=*draft queued=queued /> }.into_any(),
                    Some(Opened::Start(list, queued)) => view! { <StartPage drafts=list queued=queued /> }.into_any(),
                    Some(Opened::Sent(record, again)) => {
                        router.show_address(&Address::Sent(record.id.clone()), false);
                        confirmation(record, None, None, again)
                    }
                    None => loading(),
                }))}
            </div>
            {reactive(move || (page.get() == Page::Track).then(|| view! { <TrackPage /> }.into_any()))}
        </main>
    }
}
