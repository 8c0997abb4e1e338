//! The ЦОН operator's desk (issue 17): the intake at the counter from an IIN ([`intake`],
//! [`counter`]), the courier dispatch, receiving results, the storage shelf with one
//! application's hand-over, and the scanner box on each of these screens.

pub mod counter;
pub mod dispatch;
pub mod hand_over;
pub mod intake;
pub mod pdf;
mod receive;
mod scan;
mod shelf;
pub mod stage;

use leptos::prelude::*;
use telnuska_shared::api::Role;
use telnuska_shared::i18n::{t, Lang};

use crate::api::ApiError;
use crate::staff::section::{Screen, Section};
use crate::staff::StaffPage;

/// The intake at the counter.
pub const INTAKE: Section = Section { path: intake::PATH, title: "staff.desk.intake.title", roles: &[Role::Operator] };
/// The same intake at a school's or college's own office (003 item 47), on the office's page.
pub const OFFICE_INTAKE: Section = Section { path: "/staff/intake", title: "staff.desk.intake.title", roles: &[Role::Provider] };
/// The courier dispatch.
pub const DISPATCH: Section = Section { path: dispatch::PATH, title: "staff.desk.dispatch.title", roles: &[Role::Operator] };
/// Receiving results at `/staff/desk/receive`.
pub const RECEIVE: Section = Section { path: receive::PATH, title: "staff.desk.receive.title", roles: &[Role::Operator] };
/// The storage shelf at `/staff/desk/shelf`, one application at `/staff/desk/shelf/<id>`.
pub const SHELF: Section = Section { path: shelf::PATH, title: "staff.desk.shelf.title", roles: &[Role::Operator] };

/// The desk's page (`/staff/desk/…`): the operator's screens.
pub const PAGE: StaffPage = StaffPage {
    page: telnuska_shared::pages::DESK,
    screens: &[
        Screen { section: INTAKE, view: || view! { <intake::IntakeScreen /> }.into_any() },
        Screen { section: DISPATCH, view: || view! { <dispatch::DispatchScreen /> }.into_any() },
        Screen { section: RECEIVE, view: receive::screen },
        Screen { section: SHELF, view: shelf::screen },
    ],
    // The counter's form reads the lists of regions and institutions.
    provide: || {
        crate::reference_cache::provide_lists();
    },
    ..StaffPage::OFFICE_DEFAULTS
};

/// The address of one application at the desk.
fn application_path(id: &str) -> String {
    format!("{}/{id}", shelf::PATH)
}

/// What the server said when it refused, in `lang`.
fn refusal(lang: Lang, e: &ApiError) -> String {
    crate::staff::provider::problem_text(e, lang)
}

/// A link to an application at the desk, opened in the workspace.
fn number_link(id: &str, number: String) -> impl IntoView {
    let path = application_path(id);
    view! { <a href=path.clone() on:click=crate::staff::router::link(path)>{number}</a> }
}

/// A desk list: number, applicant, the two columns `keys` name, and a last column of buttons.
fn table(lang: Lang, id: &'static str, labelled_by: &'static str, keys: [&'static str; 2], rows: impl IntoView) -> AnyView {
    view! {
        <div class="staff-table-wrap">
            <table class="staff-table" id=id aria-labelledby=labelled_by>
                <thead><tr>
                    <th scope="col">{t(lang, "staff.desk.dispatch.col.number")}</th>
                    <th scope="col">{t(lang, "staff.desk.dispatch.col.applicant")}</th>
                    <th scope="col">{t(lang, keys[0])}</th>
                    <th scope="col">{t(lang, keys[1])}</th>
                    <th scope="col"><span class="visually-hidden">{t(lang, "staff.app.actions")}</span></th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// What a desk screen says after an action: the refusal, or the stage the application is at
/// now; `done` is the id of the notice, focused so that a screen reader reads it.
#[derive(Clone, Copy)]
struct Said {
    error: RwSignal<Option<String>>,
    done: RwSignal<Option<String>>,
    done_id: &'static str,
    session: crate::staff::session::Session,
    lang: RwSignal<Lang>,
}

impl Said {
    fn new(done_id: &'static str) -> Self {
        Self { error: RwSignal::new(None), done: RwSignal::new(None), done_id, session: crate::staff::session::use_session(), lang: crate::i18n::use_lang() }
    }

    /// POSTs `body` to `path` (an answer with the application), says what came of it, then
    /// calls `reload`.
    fn send(self, path: String, body: serde_json::Value, reload: impl Fn() + 'static) {
        leptos::task::spawn_local(async move {
            let lang = self.lang.get_untracked();
            match self.session.call::<serde_json::Value>(crate::api::Method::POST, &path, Some(body.to_string())).await {
                Ok(answer) => {
                    self.error.set(None);
                    let status = answer["status"].as_str().unwrap_or_default();
                    let mut text = format!(
                        "{}: {}",
                        answer["number"].as_str().unwrap_or_default(),
                        t(lang, "staff.app.done").replace("{status}", t(lang, &format!("stage.{status}")))
                    );
                    if matches!(status, "at_con" | "refusal_at_con") {
                        text = format!("{text} {}", t(lang, "staff.desk.sms_sent"));
                    }
                    self.done.set(Some(text));
                    crate::dom::focus(self.done_id);
                }
                Err(e) => {
                    self.done.set(None);
                    self.error.set(Some(refusal(lang, &e)));
                }
            }
            reload();
        });
    }

    /// The reader of the list at `path` into `into` (a failure said like any refusal): call it
    /// once to fill the screen, and again after each change.
    fn list<T: serde::de::DeserializeOwned + Send + Sync + 'static>(self, path: &'static str, into: RwSignal<Option<T>>) -> impl Fn() + Copy + 'static {
        move || {
            leptos::task::spawn_local(async move {
                match self.session.call::<T>(crate::api::Method::GET, path, None).await {
                    Ok(list) => into.set(Some(list)),
                    Err(e) => self.failed(&e),
                }
            });
        }
    }

    /// The refusal of a read.
    fn failed(self, e: &ApiError) {
        self.error.set(Some(refusal(self.lang.get_untracked(), e)));
    }

    /// The error and the notice.
    fn view(self) -> impl IntoView {
        view! {
            <p class="error-message" role="alert" hidden=move || self.error.with(Option::is_none)>{move || self.error.get()}</p>
            <p class="notice" id=self.done_id tabindex="-1" role="status" hidden=move || self.done.with(Option::is_none)>{move || self.done.get()}</p>
        }
    }
}
