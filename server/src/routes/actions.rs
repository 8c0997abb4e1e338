//! `POST /api/applications/{id}/actions`: staff move an application through `shared`'s workflow.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use sqlx::{Any, Transaction};
use telnuska_shared::api::{ApplicationStatus, DeviceActionFacts, Role};
use telnuska_shared::device_time::{self, DeviceTime};
use telnuska_shared::document::{CodeKind, DocumentCode};
use telnuska_shared::error::ErrorCode;
use telnuska_shared::handover::PresentedDocument;
use telnuska_shared::i18n::Lang;
use telnuska_shared::sms_text::check_sms_free_text;
use telnuska_shared::workflow::{self, Action, WorkflowError};
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::digital;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, IdempotencyKey};
use crate::routes::auth::{staff_may_see, Staff};
use crate::routes::idempotent::{caller_of, Idempotent};
use crate::secrets::sha256_hex;
use crate::state::AppState;
use crate::store::applications::{self as store, Actor, WorkflowFacts};
use crate::store::provider::{self, StaffHistoryEntry};
use crate::store::{desk, notifications};

/// `?expected_version=`: the version of the application the caller saw (its `version` in
/// `GET /api/applications/{id}/staff`). When another change came in between, the action is
/// refused with what changed and the fresh state rather than applied to a state nobody saw.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct ActionQuery {
    /// The version the caller saw.
    pub expected_version: Option<usize>,
}

/// Longest internal registration number.
const MAX_REGISTRATION_NUMBER_CHARS: usize = 50;

/// The refusal of an action on a state the caller did not see (`code`: `application.changed`, or
/// `sync.stale` for an action a device queued offline): who did what, when, and the stage it is
/// at now, with the fresh state.
fn changed_meanwhile(code: &'static str, latest: &StaffHistoryEntry, current: Option<serde_json::Value>) -> ApiError {
    let who = match &latest.by {
        Some(c) => c.full_name.clone(),
        None => format!("@staff.role.{}", latest.by_role.code()),
    };
    let when = telnuska_shared::calendar::almaty_local(latest.at).format("%d.%m.%Y %H:%M").to_string();
    ApiError::Explained {
        code,
        args: vec![("who", who), ("what", format!("@staff.action.{}", latest.kind)), ("when", when), ("status", format!("@stage.{}", latest.status.code()))],
        current: current.map(Box::new),
    }
}
use crate::store::staff::StaffMember;

/// A journal entry's series and number as the document rules read them (look-alike letters
/// unified, a "№" before the number dropped), or each one's error; other actions as they came.
fn journal_codes_normalised(action: Action) -> Result<Action, ApiError> {
    let Action::RecordStep { step, series, number } = action else { return Ok(action) };
    let parse = |value: Option<String>, kind: CodeKind, name: &str| match value.filter(|v| !v.trim().is_empty()) {
        None => Ok(None),
        Some(v) => DocumentCode::parse(&v, kind).map(|c| Some(c.to_string())).map_err(|e| FieldError::new(name, e.code())),
    };
    match (parse(series, CodeKind::Series, "series"), parse(number, CodeKind::Number, "number")) {
        (Ok(series), Ok(number)) => Ok(Action::RecordStep { step, series, number }),
        (series, number) => Err(ApiError::Validation(series.err().into_iter().chain(number.err()).collect())),
    }
}

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(apply_action))
}

/// The one mapping from workflow refusals to API errors: a hearing date out of range, a
/// missing hearing place and a ground the service does not list are the caller's input (422);
/// every other refusal is about the application's state (409) or role (403).
fn workflow_error(e: WorkflowError, action: &Action) -> ApiError {
    let field = |name: &str| ApiError::Validation(vec![FieldError::new(name, e.code())]);
    match e {
        WorkflowError::Forbidden { .. } => ApiError::Forbidden,
        WorkflowError::HearingOutOfRange => field("hearing_at"),
        WorkflowError::HearingPlaceRequired => field("place"),
        WorkflowError::GroundNotListed { .. } => field(if matches!(action, Action::Refuse { .. }) { "reason" } else { "ground" }),
        WorkflowError::JournalNumberRequired => {
            let Action::RecordStep { series, number, .. } = action else { return field("number") };
            let missing = [("series", series), ("number", number)].into_iter().filter(|(_, v)| v.as_deref().is_none_or(|v| v.trim().is_empty()));
            ApiError::Validation(missing.map(|(name, _)| FieldError::new(name, "required")).collect())
        }
        other => ApiError::Workflow(other.code()),
    }
}

/// One action on one application, with what its event records beside it.
pub(crate) struct Act<'a> {
    /// The application.
    pub id: &'a str,
    /// What is done.
    pub action: &'a Action,
    /// A note for the event (a hand-over's record of the document shown).
    pub note: Option<&'a str>,
    /// The device's time of an action done offline.
    pub performed_at: Option<DateTime<Utc>>,
    /// The server's time.
    pub now: DateTime<Utc>,
}

/// Takes `request` inside `tx` as `staff`: the workflow's guards, the event, the digital diploma and
/// the SMS it calls for. Every change of an application's state goes through here: the action
/// route and the sync's action items, and the desk's dispatch and hand-over.
pub(crate) async fn act(state: &AppState, tx: &mut Transaction<'_, Any>, staff: &StaffMember, request: &Act<'_>) -> Result<ApplicationStatus, ApiError> {
    let facts = store::workflow_facts(tx, request.id).await?.ok_or(ApiError::NotFound)?;
    act_on(state, tx, staff, facts, request).await
}

/// [`act`] on the workflow facts the caller read in the same transaction.
async fn act_on(
    state: &AppState,
    tx: &mut Transaction<'_, Any>,
    staff: &StaffMember,
    facts: WorkflowFacts,
    request: &Act<'_>,
) -> Result<ApplicationStatus, ApiError> {
    let &Act { id, action, note, performed_at, now } = request;
    if !staff_may_see(staff, &facts.institution) {
        return Err(ApiError::Forbidden);
    }
    let calendar = state.calendar();
    let ctx = facts.context(now, &calendar);
    let next = workflow::transition(facts.status, action, staff.role, &ctx).map_err(|e| workflow_error(e, action))?;
    let actor = Actor { role: staff.role, id: Some(staff.id.clone()), channel: facts.channel };
    // 003 item 59: a college publishes the digital diploma before the result is ready, and the
    // applicant is told.
    if next == ApplicationStatus::Ready && facts.status != next && workflow::publishes_digital_diploma(facts.service) {
        digital::publish(state.digital_documents.as_ref(), state.config.links_base(), tx, id, now).await?;
    }
    let step = store::Transition { from: facts.status, to: next, action, started: workflow::deadlines_started(action, &ctx) };
    store::apply_transition_noted(tx, id, &step, &actor, note, performed_at, now).await?;
    notifications::enqueue_for_transition(tx, state.config.links_base(), &state.reference(), id, next, action, now).await?;
    Ok(next)
}

#[tracing::instrument(skip(state, staff, key, action), fields(action = action.code()))]
#[utoipa::path(post, path = "/api/applications/{id}/actions", tag = "staff", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header), ActionQuery),
    request_body = telnuska_shared::workflow::Action, security(("bearer" = [])),
    responses((status = 200, description = "The updated application", body = telnuska_shared::api::ApplicationView), (status = 403, body = telnuska_shared::api::Problem),
              (status = 404, body = telnuska_shared::api::Problem), (status = 409, description = "Illegal in this state (workflow.*), held by a colleague (assignment.held_by), or changed since the caller's `expected_version` (application.changed, with `current`)", body = telnuska_shared::api::Problem),
              (status = 422, description = "A hearing date out of range, a hearing without its place, or a ground the service does not list", body = telnuska_shared::api::Problem),
              (status = 503, description = "The \"Digital documents\" service did not take the diploma (digital_documents.unavailable)", body = telnuska_shared::api::Problem)))]
pub async fn apply_action(
    State(state): State<AppState>,
    Staff(staff): Staff,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<ActionQuery>,
    IdempotencyKey(key): IdempotencyKey,
    ApiJson(action): ApiJson<Action>,
) -> Result<Response, ApiError> {
    apply_action_from(&state, &staff, &id, query.expected_version, key, action, DeviceActionFacts::default()).await
}

/// What a device says with an action it queued offline, checked: its time (by `shared`'s rule
/// for a device's times) and the document shown at a hand-over.
fn checked_device_facts(state: &AppState, action: &Action, device: &DeviceActionFacts) -> Result<Option<PresentedDocument>, ApiError> {
    let now = state.clock.now();
    let mut errors = Vec::new();
    if let Some(Err(e)) = device.performed_at.map(|at| device_time::check(DeviceTime::PerformedAt, at, now)) {
        errors.push(FieldError::new(e.field(), e.code()));
    }
    let presented = match (&device.presented, action) {
        (Some(_), a) if !matches!(a, Action::HandOver) => return Err(ApiError::Malformed("`presented` goes with a hand-over only".into())),
        (Some(input), _) => {
            PresentedDocument::parse(input, state.clock.today()).map_err(|e| errors.push(FieldError::new(format!("presented.{}", e.field()), e.code()))).ok()
        }
        (None, _) => None,
    };
    if errors.is_empty() {
        Ok(presented)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// [`apply_action`], also for an action a field device queued offline (`device`: its time, the
/// stage it saw, the document shown), under the same idempotency: the event is recorded at the
/// server's time with the device's beside it, and an application that moved on since the device
/// saw it is refused with what happened (409 `sync.stale`), never changed blindly.
pub(crate) async fn apply_action_from(
    state: &AppState,
    staff: &StaffMember,
    id: &str,
    expected_version: Option<usize>,
    key: Option<String>,
    action: Action,
    device: DeviceActionFacts,
) -> Result<Response, ApiError> {
    // Authorized as the first request was before anything is replayed: a provider of another
    // institution who learns a key gets 403, not the application.
    let info = store::access_info(&state.pool, id).await?.ok_or(ApiError::NotFound)?;
    if !staff_may_see(staff, &info.institution) {
        return Err(ApiError::Forbidden);
    }
    if let Action::PreliminaryRefuse { place: Some(place), .. } = &action {
        check_sms_free_text(place).map_err(|e| ApiError::Validation(vec![FieldError::new("place", e.code())]))?;
    }
    if let Action::Register { registration_number: Some(n) } = &action {
        if n.trim().is_empty() || n.chars().count() > MAX_REGISTRATION_NUMBER_CHARS {
            return Err(ApiError::Validation(vec![FieldError::new("registration_number", "registration_number.format")]));
        }
    }
    let action = journal_codes_normalised(action)?;
    let scope = format!("applications.action:{id}");
    // An action as v1 sent it hashes as before; a device's facts are part of what it asked.
    let asked = if device.is_empty() { serde_json::to_vec(&action) } else { serde_json::to_vec(&(&action, &device)) };
    let request_hash = sha256_hex(asked.map_err(ApiError::internal)?);
    let idempotent = Idempotent::new(&scope, &caller_of(Some(staff)), key.as_deref(), request_hash);
    let now = state.clock.now();
    if let Some(earlier) = idempotent.earlier_answer(&state.pool, now).await? {
        return Ok(earlier);
    }
    let mut tx = state.begin_write().await?;
    if let Some(first) = idempotent.claim(&mut tx, now).await? {
        return Ok(first);
    }
    // Checked after a replay is looked up: a device sending again, days later, what the server
    // took gets the first answer, whatever its clock says now.
    let presented = checked_device_facts(state, &action, &device)?;
    // An application a colleague took is theirs to act on (ЦОН's courier legs are not).
    if staff.role == Role::Provider {
        if let Some(holder) = provider::holder(&mut tx, id).await?.filter(|h| h.id != staff.id) {
            drop(tx);
            let current = crate::routes::provider::staff_view(state, staff, id).await.ok();
            return Err(crate::routes::provider::held_by(&holder, current.as_ref()));
        }
    }
    if let Some(expected) = expected_version {
        let events = provider::history(&mut tx, id).await?;
        if events.len() != expected {
            drop(tx);
            let current = crate::routes::provider::staff_view(state, staff, id).await.ok();
            let latest = events.last().ok_or_else(|| ApiError::internal("an application without events"))?;
            return Err(changed_meanwhile("application.changed", latest, current.and_then(|c| serde_json::to_value(c).ok())));
        }
    }
    let facts = store::workflow_facts(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    if let Some(expected) = device.expected_status {
        if facts.status != expected {
            let events = provider::history(&mut tx, id).await?;
            let latest = events.last().ok_or_else(|| ApiError::internal("an application without events"))?;
            let current = store::get_in(&mut tx, id).await?.and_then(|v| serde_json::to_value(v).ok());
            return Err(changed_meanwhile("sync.stale", latest, current));
        }
    }
    // A field worker hands over at home only against a document shown (once the workflow let
    // them hand this one over at all).
    if presented.is_none() && staff.role == Role::Field && matches!(action, Action::HandOver) {
        workflow::transition(facts.status, &action, staff.role, &facts.context(now, &state.calendar())).map_err(|e| workflow_error(e, &action))?;
        return Err(ApiError::Validation(vec![FieldError::new("presented", "required")]));
    }
    let note = match &presented {
        Some(document) => {
            let lang = desk::language_of(&mut tx, id).await?.and_then(|l| Lang::from_code(&l)).unwrap_or_default();
            Some(crate::routes::receipts::handover::record(document, lang))
        }
        None => None,
    };
    act_on(state, &mut tx, staff, facts, &Act { id, action: &action, note: note.as_deref(), performed_at: device.performed_at, now }).await?;
    let view = store::get_in(&mut tx, id).await?.ok_or(ApiError::NotFound)?;
    let body = serde_json::to_string(&view).map_err(ApiError::internal)?;
    let response = idempotent.answer(&mut tx, StatusCode::OK, body).await?;
    tx.commit().await?;
    Ok(response)
}
