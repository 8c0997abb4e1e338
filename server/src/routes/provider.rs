//! The provider's console: one application as staff work on it (what the workflow allows this
//! role now, the hearing days the rules leave, the deadlines that run, who did what), taking and
//! releasing it, and the log of who opened its personal data.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use telnuska_shared::api::{ApplicationView, InternalStep, RegisterEvidence, Role, StageMonitoring};
use telnuska_shared::reference::RefusalGround;
use telnuska_shared::workflow;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};
use crate::routes::auth::{staff_may_see, Staff};
use crate::state::AppState;
use crate::store::applications as store;
use crate::store::provider::{self, AccessEntry, Colleague, StaffHistoryEntry};
use crate::store::staff::StaffMember;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_staff_view)).routes(routes!(take, release)).routes(routes!(get_access_log)).routes(routes!(set_head))
}

/// A deadline that runs now.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeadlineNow {
    /// `register_by`, `review_by`, `hearing_notice_by`, `objection_by`, `recall_by`,
    /// `send_to_con_by` or `due_on`.
    pub code: &'static str,
    /// Its last day.
    pub by: NaiveDate,
}

/// A step of the provider's internal procedure (004 section 4) on the application's checklist.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StepView {
    /// The step.
    pub step: InternalStep,
    /// Whether the caller may record it now (`record_step`).
    pub may_record: bool,
    /// Its latest record, with who and when (and the journal's series and number).
    pub recorded: Option<StaffHistoryEntry>,
}

/// `GET /api/applications/{id}/staff`: the application as staff work on it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StaffApplication {
    /// The application (as `GET /api/applications/{id}`).
    #[serde(flatten)]
    pub view: ApplicationView,
    /// How many changes it has had: send it back as `expected_version` with an action.
    pub version: usize,
    /// Its events with who did them, oldest first.
    pub events: Vec<StaffHistoryEntry>,
    /// Who holds it.
    pub assignee: Option<Colleague>,
    /// Whether the caller may release it (its holder, the head of the office, an administrator).
    pub may_release: bool,
    /// The actions the caller's role may take now (`shared::workflow::allowed_actions`).
    pub allowed_actions: Vec<&'static str>,
    /// The days a hearing may be held on if a preliminary refusal is notified now.
    pub hearing_days: Vec<NaiveDate>,
    /// The grounds the service may be refused on.
    pub refusal_grounds: Vec<RefusalGround>,
    /// The deadlines that run now, soonest first.
    pub deadlines_now: Vec<DeadlineNow>,
    /// The steps of the provider's internal procedure that apply to the service, in order.
    pub internal_steps: Vec<StepView>,
    /// The match against the issuer's register; absent until the issuer has imported one.
    pub register: Option<RegisterEvidence>,
    /// Each stage, oldest first, with whether it reached the state monitoring system.
    pub monitoring: Vec<StageMonitoring>,
}

/// The application `id` as `staff` works on it, or 404/403.
pub async fn staff_view(state: &AppState, staff: &StaffMember, id: &str) -> Result<StaffApplication, ApiError> {
    let info = store::access_info(&state.pool, id).await?.ok_or(ApiError::NotFound)?;
    if !staff_may_see(staff, &info.institution) {
        return Err(ApiError::Forbidden);
    }
    // One snapshot for the four reads; it writes nothing, so it takes no writer's turn.
    let mut tx = state.pool.begin().await?;
    let view = store::get_in(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    let facts = store::workflow_facts(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    let events = provider::history(&mut tx, id).await?;
    let assignee = provider::holder(&mut tx, id).await?;
    tx.commit().await?;
    let calendar = state.calendar();
    let ctx = facts.context(state.clock.now(), &calendar);
    let allowed_actions = workflow::allowed_actions(facts.status, staff.role, &ctx);
    let hearing_days = if allowed_actions.contains(&"preliminary_refuse") { workflow::hearing_days(&calendar, ctx.now, facts.due_on) } else { Vec::new() };
    let reference = state.reference();
    let service = reference.service(facts.service);
    let may_record = workflow::steps_allowed(facts.status, staff.role, &ctx);
    let internal_steps = InternalStep::ALL
        .iter()
        .filter(|step| workflow::step_applies(**step, facts.service))
        .map(|&step| StepView { step, may_record: may_record.contains(&step), recorded: events.iter().rev().find(|e| e.step == Some(step)).cloned() })
        .collect();
    let register = crate::routes::graduates::register_evidence(state, &info.institution, &view).await?;
    let monitoring = crate::monitoring::stages_of(&state.pool, id).await?;
    let deadlines_now =
        workflow::deadlines_now(&ctx, facts.status, &view.deadlines.unwrap_or_default()).into_iter().map(|(code, by)| DeadlineNow { code, by }).collect();
    Ok(StaffApplication {
        version: events.len(),
        may_release: assignee.as_ref().is_some_and(|a| may_release(staff, a)),
        view,
        events,
        assignee,
        allowed_actions,
        hearing_days,
        refusal_grounds: RefusalGround::ALL.into_iter().filter(|g| service.refuses_on(*g)).collect(),
        deadlines_now,
        internal_steps,
        register,
        monitoring,
    })
}

/// Whether `staff` may release an application `holder` holds.
fn may_release(staff: &StaffMember, holder: &Colleague) -> bool {
    holder.id == staff.id || staff.role == Role::Admin || (staff.role == Role::Provider && staff.head)
}

/// The refusal of an application a colleague holds, naming them, with the fresh state.
pub fn held_by(holder: &Colleague, current: Option<&StaffApplication>) -> ApiError {
    ApiError::Explained {
        code: "assignment.held_by",
        args: vec![("name", holder.full_name.clone()), ("login", holder.login.clone())],
        current: current.and_then(|c| serde_json::to_value(c).ok()).map(Box::new),
    }
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/applications/{id}/staff", tag = "staff", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The application as staff work on it; the opening is recorded", body = StaffApplication),
              (status = 403, body = telnuska_shared::api::Problem), (status = 404, body = telnuska_shared::api::Problem)))]
async fn get_staff_view(State(state): State<AppState>, Staff(staff): Staff, ApiPath(id): ApiPath<String>) -> Result<Json<StaffApplication>, ApiError> {
    let view = staff_view(&state, &staff, &id).await?;
    provider::record_access(&state.pool, &state.writes, &id, &staff.id, state.clock.now()).await?;
    Ok(Json(view))
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(post, path = "/api/applications/{id}/assignment", tag = "staff", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Taken: the caller holds it", body = StaffApplication), (status = 403, body = telnuska_shared::api::Problem),
              (status = 404, body = telnuska_shared::api::Problem), (status = 409, description = "A colleague holds it (assignment.held_by, naming them), with `current`", body = telnuska_shared::api::Problem)))]
async fn take(State(state): State<AppState>, Staff(staff): Staff, ApiPath(id): ApiPath<String>) -> Result<Json<StaffApplication>, ApiError> {
    if staff.role != Role::Provider {
        return Err(ApiError::Forbidden);
    }
    staff_view(&state, &staff, &id).await?;
    let holder = provider::take(&state.pool, &state.writes, &id, &staff.id).await?;
    let view = staff_view(&state, &staff, &id).await?;
    match holder {
        Some(h) if h.id != staff.id => Err(held_by(&h, Some(&view))),
        _ => Ok(Json(view)),
    }
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(delete, path = "/api/applications/{id}/assignment", tag = "staff", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Released: nobody holds it", body = StaffApplication), (status = 403, body = telnuska_shared::api::Problem),
              (status = 404, body = telnuska_shared::api::Problem), (status = 409, description = "A colleague holds it and the caller is not the head (assignment.held_by)", body = telnuska_shared::api::Problem)))]
async fn release(State(state): State<AppState>, Staff(staff): Staff, ApiPath(id): ApiPath<String>) -> Result<Json<StaffApplication>, ApiError> {
    let view = staff_view(&state, &staff, &id).await?;
    if let Some(holder) = &view.assignee {
        if !may_release(&staff, holder) {
            return Err(held_by(holder, Some(&view)));
        }
        provider::release(&state.pool, &state.writes, &id).await?;
        tracing::info!(by = %staff.login, holder = %holder.login, "application released");
    }
    Ok(Json(staff_view(&state, &staff, &id).await?))
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/applications/{id}/access-log", tag = "staff", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Who opened its personal data, and when, oldest first", body = [AccessEntry]),
              (status = 403, description = "Only the head of the office and administrators", body = telnuska_shared::api::Problem), (status = 404, body = telnuska_shared::api::Problem)))]
async fn get_access_log(State(state): State<AppState>, Staff(staff): Staff, ApiPath(id): ApiPath<String>) -> Result<Json<Vec<AccessEntry>>, ApiError> {
    let info = store::access_info(&state.pool, &id).await?.ok_or(ApiError::NotFound)?;
    let head = staff.role == Role::Provider && staff.head && staff_may_see(&staff, &info.institution);
    if !(head || staff.role == Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(provider::access_log(&state.pool, &id).await?))
}

/// `PUT /api/admin/staff/{login}/head` body.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Head {
    /// Whether the account is the head of its office.
    pub head: bool,
}

#[tracing::instrument(skip(state, admin, body))]
#[utoipa::path(put, path = "/api/admin/staff/{login}/head", tag = "admin", params(("login" = String, Path)), request_body = Head, security(("bearer" = [])),
    responses((status = 204, description = "Set"), (status = 403, body = telnuska_shared::api::Problem), (status = 404, body = telnuska_shared::api::Problem)))]
async fn set_head(
    State(state): State<AppState>,
    Staff(admin): Staff,
    ApiPath(login): ApiPath<String>,
    ApiJson(body): ApiJson<Head>,
) -> Result<StatusCode, ApiError> {
    if admin.role != Role::Admin {
        return Err(ApiError::Forbidden);
    }
    if !provider::set_head(&state.pool, &login, body.head).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(by = %admin.login, head = body.head, "head of office set");
    Ok(StatusCode::NO_CONTENT)
}
