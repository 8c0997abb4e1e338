//! The start page: the drafts stored on this device (`#drafts`, items `#draft-<id>`), each with
//! its service, when it was last saved, how far it got and whether the server sent it back to
//! be corrected; continue, download a copy, or delete one (confirmed in the page); load a
//! downloaded copy back; or start a new application. Also the notice shown when storage for
//! drafts is short.

use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::i18n::t;
use telnuska_shared::reference::compiled;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::components::reactive;
use crate::dom;
use crate::drafts;
use crate::drafts::download::download;
use crate::drafts::space::{Space, SpaceIssue};
use crate::form::{read_copy, CopyError, Draft, Step};
use crate::i18n::{format_instant, name_in, text, tr, use_lang};
use crate::outbox::use_outbox;
use crate::outbox::OutboxItem;
use crate::router::{use_router, Address, Router, START_TITLE_ID};
use crate::state::{new_id, FormState};

/// `id` of "start a new application".
const NEW_ID: &str = "new-application";

/// `#storage-short`: little room is left, or a write failed; what to do, and on the form a
/// button to download a copy of the application being typed (`#download-current`).
pub fn space_notice(current: Option<FormState>) -> impl IntoView {
    let lang = use_lang();
    let space = use_outbox().space;
    reactive(move || {
        space.issue().map(|issue| {
            let key = if issue == SpaceIssue::Short { "drafts.space_short" } else { "drafts.write_failed" };
            view! {
                <div class="notice notice--error" id="storage-short" role="alert">
                    <p>{text(move || t(lang.get(), key))}</p>
                    {current.map(|form| view! {
                        <button type="button" class="button button--secondary" id="download-current" on:click=move |_| drop(download(lang.get_untracked(), form.lists.reference_untracked(), &form.draft()))>
                            {tr("drafts.download_current")}
                        </button>
                    })}
                </div>
            }
            .into_any()
        })
    })
}

/// The draft stored under `id`, as listed.
fn find(list: RwSignal<Vec<Draft>>, id: &str) -> Option<Draft> {
    list.with_untracked(|l| l.iter().find(|d| d.id == id).cloned())
}

/// Deletes draft `id` and moves focus to the next draft's "continue" (else the previous one's,
/// else "start a new application"), so keyboard and screen-reader users keep their place.
fn delete(list: RwSignal<Vec<Draft>>, asking: RwSignal<Option<String>>, id: String) {
    spawn_local(async move {
        let _ = drafts::delete_draft(&id).await;
        let at = list.with_untracked(|l| l.iter().position(|d| d.id == id)).unwrap_or(0);
        list.update(|l| l.retain(|d| d.id != id));
        asking.set(None);
        let next = list.with_untracked(|l| l.get(at).or_else(|| l.get(at.wrapping_sub(1))).map(|d| format!("continue-{}", d.id)));
        dom::focus_later_owned(next.unwrap_or_else(|| NEW_ID.into()));
    });
}

/// A button of a draft: `#<action>-<id>`, described by the draft's heading (one function for
/// all of them: the handler is boxed so the view is compiled once).
fn draft_button(action: &str, id: &str, class: &'static str, label: &'static str, on_click: Box<dyn Fn()>) -> impl IntoView {
    view! {
        <button type="button" class=class id=format!("{action}-{id}") aria-describedby=format!("draft-{id}-title") on:click=move |_| on_click()>
            {tr(label)}
        </button>
    }
}

/// The buttons of a draft, or the question whether to delete it.
fn actions(list: RwSignal<Vec<Draft>>, asking: RwSignal<Option<String>>, id: String, queued: Option<OutboxItem>) -> impl IntoView {
    let lang = use_lang();
    let lists = crate::reference_cache::use_lists();
    reactive(move || {
        let id = id.clone();
        if asking.with(|a| a.as_deref() == Some(id.as_str())) {
            let (yes, no) = (id.clone(), id.clone());
            return Some(view! {
                <div class="draft__confirm" role="group" aria-labelledby=format!("delete-question-{id}")>
                    <p class="draft__question" id=format!("delete-question-{id}") tabindex="-1">{tr("drafts.delete_question")}</p>
                    {draft_button("confirm-delete", &id, "button button--warning", "drafts.delete_yes", Box::new(move || delete(list, asking, yes.clone())))}
                    {draft_button("cancel-delete", &id, "button button--secondary", "drafts.delete_no", Box::new(move || {
                        asking.set(None);
                        dom::focus_later_owned(format!("delete-{no}"));
                    }))}
                </div>
            }
            .into_any());
        }
        let receipt = queued.as_ref().map(OutboxItem::receipt);
        let (open, copy, ask) = (id.clone(), id.clone(), id.clone());
        Some(
            view! {
                <div class="draft__actions">
                    {draft_button("continue", &id, "button", "button.continue", Box::new(move || {
                        if let Some(draft) = find(list, &open) {
                            use_router().open_form(draft, receipt.clone());
                        }
                    }))}
                    {draft_button("download", &id, "button button--secondary", "drafts.download", Box::new(move || {
                        if let Some(draft) = find(list, &copy) {
                            drop(download(lang.get_untracked(), lists.reference_untracked(), &draft));
                        }
                    }))}
                    // A queued application is on its way: it cannot be taken back.
                    {queued.is_none().then(|| draft_button("delete", &id, "button button--secondary", "drafts.delete", Box::new(move || {
                        asking.set(Some(ask.clone()));
                        dom::focus_later_owned(format!("delete-question-{ask}"));
                    })))}
                </div>
            }
            .into_any(),
        )
    })
}

/// One `#draft-<id>`: service (or "not chosen yet"), its state, when saved, which step.
fn item(list: RwSignal<Vec<Draft>>, asking: RwSignal<Option<String>>, draft: Draft, queued: Option<OutboxItem>) -> impl IntoView {
    let lang = use_lang();
    let service = draft.chosen_service();
    let title =
        move || service.map_or_else(|| t(lang.get(), "drafts.no_service").to_string(), |s| name_in(lang.get(), &compiled().service(s).name).to_string());
    let flag = if queued.is_some() { Some("drafts.waiting") } else { draft.needs_correction.then_some("drafts.needs_correction") };
    let saved = draft.updated_at.map(|at| text(move || t(lang.get(), "drafts.saved_at").replace("{at}", &format_instant(lang.get(), at))));
    let step = draft.step.number();
    let progress = move || t(lang.get(), "step.progress").replace("{n}", &step.to_string()).replace("{total}", &Step::ALL.len().to_string());
    let id = draft.id;
    let (item_id, title_id) = (format!("draft-{id}"), format!("draft-{id}-title"));
    view! {
        <li class="draft" id=item_id>
            <h2 class="draft__title" id=title_id>{text(title)}</h2>
            {flag.map(|key| view! { <p class="draft__flag">{tr(key)}</p> })}
            <p class="draft__meta">{saved}</p>
            <p class="draft__meta">{text(progress)}</p>
            {actions(list, asking, id, queued)}
        </li>
    }
}

/// Reads the copy chosen in `input` and makes it a stored draft again, opened on its step. The
/// copy keeps its idempotency key, so however many devices load it, it makes one application;
/// a stored draft of the same id stays as it is and the copy comes in beside it.
async fn load(router: Router, space: Space, input: web_sys::HtmlInputElement) -> Result<(), CopyError> {
    let Some(file) = input.files().and_then(|files| files.get(0)) else { return Ok(()) };
    // The same file may be chosen again after a refusal.
    input.set_value("");
    let text = JsFuture::from(file.text()).await.ok().and_then(|v| v.as_string()).unwrap_or_default();
    let mut draft = read_copy(&text)?;
    if drafts::load_draft(&draft.id).await.is_some() {
        draft.id = new_id();
    }
    let _ = drafts::save_draft(space, &draft).await;
    router.open_form(draft, None);
    Ok(())
}

/// `#load-copy`: a downloaded copy chosen on this device opens as a draft; any other file is
/// refused with `#load-copy-error` (its stable code in `data-code`), and nothing stored changes.
fn load_copy() -> impl IntoView {
    let lang = use_lang();
    let refused = RwSignal::new(None::<CopyError>);
    let (router, space) = (use_router(), use_outbox().space);
    let chosen = move |ev: web_sys::Event| {
        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            spawn_local(async move { refused.set(load(router, space, input).await.err()) });
        }
    };
    let described = move || if refused.get().is_some() { "load-copy-error load-copy-hint" } else { "load-copy-hint" };
    view! {
        <div class="field" class:field--error=move || refused.get().is_some()>
            <label class="label" for="load-copy">{tr("drafts.load")}</label>
            <p class="hint" id="load-copy-hint">{tr("drafts.load_hint")}</p>
            {reactive(move || refused.get().map(|e| view! {
                <p class="field-error" id="load-copy-error" data-code=e.code()>{text(move || t(lang.get(), e.key()))}</p>
            }.into_any()))}
            <input type="file" class="file-input" id="load-copy" accept=".html,.json" aria-describedby=described on:change=chosen />
        </div>
    }
}

/// `/` with drafts stored: the list and "start a new application".
#[component]
pub fn StartPage(drafts: Vec<Draft>, queued: Vec<OutboxItem>) -> impl IntoView {
    let router = use_router();
    router.show_address(&Address::Start, true);
    let list = RwSignal::new(drafts);
    let asking = RwSignal::new(None::<String>);
    let entries = move || {
        let items = list.get();
        Some(if items.is_empty() {
            view! { <p id="drafts-empty">{tr("drafts.empty")}</p> }.into_any()
        } else {
            let items = items.into_iter().map(|draft| {
                let queued = queued.iter().find(|i| draft.idempotency_key.as_ref() == Some(&i.key)).cloned();
                item(list, asking, draft, queued)
            });
            view! { <ul class="drafts" id="drafts">{items.collect_view()}</ul> }.into_any()
        })
    };
    view! {
        <h1 class="title" id=START_TITLE_ID tabindex="-1">{tr("drafts.title")}</h1>
        {space_notice(None)}
        <p>{tr("drafts.intro")}</p>
        {reactive(entries)}
        <button type="button" class="button" id=NEW_ID on:click=move |_| router.open_form(Draft::new(), None)>{tr("button.new_application")}</button>
        {load_copy()}
    }
}

/// "My drafts" on the form (and while it waits in the outbox): saves it, unless it is handed
/// over (its draft was saved then, and is the outbox's to settle), and opens the start page.
pub fn to_start_link(form: FormState) -> impl IntoView {
    // The router is looked up on the click, as in [`crate::router::link`].
    view! {
        <button type="button" class="link-button" id="to-drafts" on:click=move |_| use_router().open_start((!form.is_handed_over()).then(|| form.draft()))>
            {tr("drafts.to_list")}
        </button>
    }
}
