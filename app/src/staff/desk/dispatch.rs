//! Courier dispatch: the packages accepted since the last dispatch, by provider; "Send with the
//! courier" moves exactly those to `in_transit` on the server and opens their register to print;
//! a package accepted after a dispatch is shown waiting for the next one.

use crate::api::Method;
use leptos::prelude::*;
use telnuska_shared::api::{Dispatch, DispatchRequest, ProviderPackages};
use telnuska_shared::i18n::{error_message, t};
use telnuska_shared::reference::Reference;

use crate::api::ApiError;
use crate::i18n::{format_instant, name_in, tr, use_lang};
use crate::staff::desk::pdf::open_pdf;
use crate::staff::session::use_session;

/// The screen's path.
pub const PATH: &str = "/staff/desk/dispatch";

/// The provider's name in the screen's language as `lists` (the lists in force) have it, or its
/// code.
pub(crate) fn provider_name(lang: telnuska_shared::i18n::Lang, lists: &Reference, code: &str) -> String {
    lists.institution(code).map_or_else(|| code.to_string(), |i| name_in(lang, &i.name).to_string())
}

/// `#desk-dispatch`: a table of waiting packages per provider, each with its send button.
#[component]
pub fn DispatchScreen() -> impl IntoView {
    let lang = use_lang();
    let lists = crate::reference_cache::use_lists();
    let session = use_session();
    // Calls read the language and the session from context: they run under this screen's owner.
    let owner = StoredValue::new(Owner::current().unwrap_or_default());
    let run = move |task: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>| owner.with_value(|o| o.with(|| leptos::task::spawn_local_scoped(task)));
    let waiting: RwSignal<Option<Vec<ProviderPackages>>> = RwSignal::new(None);
    let sent: RwSignal<Option<Dispatch>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let problem = move |e: ApiError| {
        let lang = lang.get_untracked();
        error.set(Some(match e {
            ApiError::Problem(p) => error_message(lang, &p.code).to_string(),
            _ => t(lang, "staff.network").to_string(),
        }));
    };
    let load = move || {
        run(Box::pin(async move {
            match session.call::<Vec<ProviderPackages>>(Method::GET, "/api/desk/dispatch", None).await {
                Ok(list) => waiting.set(Some(list)),
                Err(e) => problem(e),
            }
        }));
    };
    load();
    let send = move |institution: String| {
        error.set(None);
        let body = serde_json::to_string(&DispatchRequest { institution }).unwrap_or_default();
        run(Box::pin(async move {
            match session.call::<Dispatch>(Method::POST, "/api/desk/dispatch", Some(body)).await {
                Ok(dispatch) => {
                    sent.set(Some(dispatch));
                    crate::dom::focus("desk-dispatch-sent");
                    load();
                }
                Err(e) => problem(e),
            }
        }));
    };
    let open_register = move |_| {
        let Some(id) = sent.with_untracked(|s| s.as_ref().map(|d| d.id.clone())) else { return };
        run(Box::pin(async move {
            if !open_pdf(session, &format!("/api/desk/dispatch/{id}/register")).await {
                error.set(Some(t(lang.get_untracked(), "staff.network").to_string()));
            }
        }));
    };
    let providers = move || {
        let lang = lang.get();
        waiting.get().map(|list| {
            if list.is_empty() {
                return view! { <p id="desk-dispatch-none">{t(lang, "staff.desk.dispatch.none")}</p> }.into_any();
            }
            list.into_iter()
                .map(|provider| {
                    let name = provider_name(lang, lists.reference(), &provider.institution);
                    let last = provider.last_dispatch_at.map(|at| t(lang, "staff.desk.dispatch.last").replace("{time}", &format_instant(lang, at)));
                    let code = provider.institution.clone();
                    let rows = provider
                        .packages
                        .iter()
                        .map(|p| view! { <tr><td>{p.number.clone()}</td><td>{p.applicant.clone()}</td><td>{format_instant(lang, p.accepted_at)}</td></tr> })
                        .collect_view();
                    view! {
                        <section class="desk-provider" data-institution=provider.institution.clone()>
                            <h2>{name.clone()}</h2>
                            {last.map(|l| view! { <p class="hint">{l}</p><p class="hint">{t(lang, "staff.desk.dispatch.waiting")}</p> })}
                            <table class="desk-table">
                                <caption class="visually-hidden">{name}</caption>
                                <thead><tr>
                                    <th scope="col">{t(lang, "staff.desk.dispatch.col.number")}</th>
                                    <th scope="col">{t(lang, "staff.desk.dispatch.col.applicant")}</th>
                                    <th scope="col">{t(lang, "staff.desk.dispatch.col.accepted")}</th>
                                </tr></thead>
                                <tbody>{rows}</tbody>
                            </table>
                            <button type="button" class="button" on:click=move |_| send(code.clone())>
                                {t(lang, "staff.desk.dispatch.send")}
                            </button>
                        </section>
                    }
                    .into_any()
                })
                .collect_view()
                .into_any()
        })
    };
    view! {
        <div id="desk-dispatch">
            <h1>{tr("staff.desk.dispatch.title")}</h1>
            <super::scan::ScanBox />
            <p>{tr("staff.desk.dispatch.intro")}</p>
            <p class="error-message" id="desk-dispatch-error" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            {move || sent.get().map(|d| {
                let text = t(lang.get(), "staff.desk.dispatch.sent").replace("{numbers}", &d.numbers.join(", "));
                view! {
                    <div class="notice" role="status">
                        <p id="desk-dispatch-sent" tabindex="-1">{text}</p>
                        <button type="button" class="button button--secondary" id="desk-dispatch-register" on:click=open_register>
                            {tr("staff.desk.dispatch.register")}
                        </button>
                    </div>
                }
            })}
            {providers}
        </div>
    }
}
