//! The provider's console: the queue of the institutions' applications and one application with
//! the actions the workflow allows now. Every rule comes from the server's answers (which take it
//! from `shared::workflow`): the screen hard-codes no state, role or date.

mod access_log;
pub(crate) mod application;
mod evidence;
mod files;
mod queue;
mod steps;

use leptos::prelude::*;
use serde::Deserialize;
use telnuska_shared::api::{ApplicationStatus, CreateApplicationRequest, InternalStep, RegisterEvidence, Role, ServiceCode, StageMonitoring};
use telnuska_shared::reference::RefusalGround;

use crate::api::ApiError;
use crate::staff::router::use_path;
use crate::staff::section::Section;

/// The queue at `/staff/queue`, one application at `/staff/queue/<id>`.
pub const QUEUE: Section = Section { path: QUEUE_PATH, title: "staff.section.queue", roles: &[Role::Provider] };

const QUEUE_PATH: &str = "/staff/queue";

/// The queue, or the application the path names.
pub fn screen() -> AnyView {
    let path = use_path();
    let screen = move || match path.with(|p| p.strip_prefix(QUEUE_PATH).and_then(|rest| rest.strip_prefix('/')).map(str::to_string)) {
        Some(id) if !id.is_empty() => view! { <application::Application id=id /> }.into_any(),
        _ => view! { <queue::Queue /> }.into_any(),
    };
    screen.into_any()
}

/// The address of one application.
fn application_path(id: &str) -> String {
    format!("{QUEUE_PATH}/{id}")
}

/// A staff member as colleagues see them.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Colleague {
    login: String,
    full_name: String,
}

/// What the server says when it refuses: its text (and the first field's), in the screen's
/// language, which names what changed or who holds the application.
pub(crate) fn problem_text(error: &ApiError, lang: telnuska_shared::i18n::Lang) -> String {
    match error {
        ApiError::Problem(p) => p.errors.first().map_or_else(|| p.title.clone(), |e| e.message.clone()),
        _ => telnuska_shared::i18n::t(lang, "staff.network").to_string(),
    }
}

/// One application in the queue.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct QueueItem {
    id: String,
    number: String,
    service: ServiceCode,
    status: ApplicationStatus,
    due_on: String,
    request: CreateApplicationRequest,
    #[serde(default)]
    deadline_state: Option<String>,
    #[serde(default)]
    assignee: Option<Colleague>,
}

/// A page of the queue.
#[derive(Debug, Clone, Deserialize)]
struct QueuePage {
    items: Vec<QueueItem>,
    next_cursor: Option<String>,
    #[serde(default)]
    counts: std::collections::BTreeMap<String, i64>,
    #[serde(default)]
    institutions: Vec<String>,
}

/// One event with who did it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub(crate) struct Event {
    at: String,
    kind: String,
    status: ApplicationStatus,
    by_role: Role,
    by: Option<Colleague>,
    note: Option<String>,
    #[serde(default)]
    registration_number: Option<String>,
    #[serde(default)]
    step: Option<InternalStep>,
    #[serde(default)]
    series: Option<String>,
    #[serde(default)]
    number: Option<String>,
}

/// A step of the institution's own procedure on the application's checklist.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct StepView {
    step: InternalStep,
    may_record: bool,
    recorded: Option<Event>,
}

/// A deadline that runs now.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct DeadlineNow {
    code: String,
    by: String,
}

/// `GET /api/applications/{id}/staff`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct StaffApplication {
    id: String,
    number: String,
    status: ApplicationStatus,
    request: CreateApplicationRequest,
    version: usize,
    events: Vec<Event>,
    assignee: Option<Colleague>,
    may_release: bool,
    allowed_actions: Vec<String>,
    hearing_days: Vec<String>,
    refusal_grounds: Vec<RefusalGround>,
    deadlines_now: Vec<DeadlineNow>,
    #[serde(default)]
    internal_steps: Vec<StepView>,
    #[serde(default)]
    register: Option<RegisterEvidence>,
    #[serde(default)]
    monitoring: Vec<StageMonitoring>,
}

/// An instant as the server wrote it, in `lang` (as it came, if it does not parse).
fn instant_text(lang: telnuska_shared::i18n::Lang, at: &str) -> String {
    at.parse().map_or_else(|_| at.to_string(), |at| crate::i18n::format_instant(lang, at))
}

/// A colleague as the history names them.
fn colleague_text(lang: telnuska_shared::i18n::Lang, by: Option<&Colleague>, role: Role) -> String {
    by.map_or_else(|| telnuska_shared::i18n::t(lang, &format!("staff.role.{}", role.code())).to_string(), |b| format!("{} ({})", b.full_name, b.login))
}

/// A `YYYY-MM-DD` day written out in `lang` (as it came, if it does not parse).
fn day_text(lang: telnuska_shared::i18n::Lang, day: &str) -> String {
    day.parse().map_or_else(|_| day.to_string(), |d| crate::i18n::format_date(lang, d))
}

/// The applicant's name as given.
fn applicant_name(request: &CreateApplicationRequest) -> String {
    let a = &request.applicant;
    [a.last_name.as_str(), a.first_name.as_str(), a.patronymic.as_deref().unwrap_or("")].iter().filter(|n| !n.is_empty()).copied().collect::<Vec<_>>().join(" ")
}
