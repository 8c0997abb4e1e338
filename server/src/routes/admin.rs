//! Administration: staff accounts and their institutions, the working-day calendar, and a
//! background job pass on demand. Administrators only.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use telnuska_shared::api::{Role, ServiceCode};
use telnuska_shared::calendar::{Calendar, CalendarDay, DayKind};
use telnuska_shared::reference::Reference;
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::jobs::{self, JobReport};
use crate::routes::auth::Staff;
use crate::state::AppState;
use crate::store::calendar::{self as calendar_store, kind_code, Affected};
use crate::store::staff;

/// Shortest staff password: a passphrase, since accounts reach personal data (Law on personal data).
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(run_jobs))
        .routes(routes!(create_staff))
        .routes(routes!(bind_institutions))
        .routes(routes!(set_disabled))
        .routes(routes!(reset_password))
        .routes(routes!(end_sessions))
        .routes(routes!(list_calendar, amend_calendar))
}

/// Refuses (403) anyone but an administrator.
pub(crate) fn require_admin(staff: &staff::StaffMember) -> Result<(), ApiError> {
    if staff.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

#[tracing::instrument(skip_all)]
#[utoipa::path(post, path = "/api/admin/jobs/run", tag = "admin", security(("bearer" = [])), responses((status = 200, body = JobReport), (status = 403, body = telnuska_shared::api::Problem)))]
async fn run_jobs(State(state): State<AppState>, Staff(staff): Staff) -> Result<Json<JobReport>, ApiError> {
    require_admin(&staff)?;
    Ok(Json(jobs::run_once(&state).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewStaff {
    login: String,
    password: String,
    role: Role,
    full_name: String,
    #[serde(default)]
    institutions: Vec<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct StaffCreated {
    login: String,
    role: Role,
    institutions: Vec<String>,
}

/// Checks institution codes against the lists in force.
fn check_institutions(reference: &Reference, codes: &[String], errors: &mut Vec<FieldError>) {
    for (i, code) in codes.iter().enumerate() {
        if reference.institution(code).is_none() {
            errors.push(FieldError::new(format!("institutions.{i}"), "reference.unknown_institution"));
        }
    }
}

#[tracing::instrument(skip_all, fields(login = %body.login))]
#[utoipa::path(post, path = "/api/admin/staff", tag = "admin", request_body = NewStaff, security(("bearer" = [])),
    responses((status = 201, body = StaffCreated), (status = 403, body = telnuska_shared::api::Problem), (status = 422, body = telnuska_shared::api::Problem)))]
async fn create_staff(
    State(state): State<AppState>,
    Staff(admin): Staff,
    ApiJson(body): ApiJson<NewStaff>,
) -> Result<(StatusCode, Json<StaffCreated>), ApiError> {
    require_admin(&admin)?;
    let mut errors = Vec::new();
    let login = body.login.trim().to_lowercase();
    if login.is_empty() || login.len() > 64 || !login.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        errors.push(FieldError::new("login", "staff.login_format"));
    }
    if body.password.chars().count() < MIN_PASSWORD_CHARS {
        errors.push(FieldError::new("password", "staff.password_too_short"));
    }
    if body.full_name.trim().is_empty() {
        errors.push(FieldError::new("full_name", "required"));
    }
    if matches!(body.role, Role::Applicant | Role::System) {
        errors.push(FieldError::new("role", "staff.role"));
    }
    if body.role == Role::Provider && body.institutions.is_empty() {
        errors.push(FieldError::new("institutions", "staff.institutions_required"));
    }
    check_institutions(&state.reference(), &body.institutions, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let institutions = if body.role == Role::Provider { body.institutions } else { Vec::new() };
    let created = staff::create_if_missing(&state.pool, &login, &body.password, body.role, body.full_name.trim(), &institutions, state.clock.now()).await?;
    if !created {
        return Err(ApiError::Validation(vec![FieldError::new("login", "staff.login_taken")]));
    }
    Ok((StatusCode::CREATED, Json(StaffCreated { login, role: body.role, institutions })))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Institutions {
    institutions: Vec<String>,
}

#[tracing::instrument(skip_all, fields(login = %login))]
#[utoipa::path(put, path = "/api/admin/staff/{login}/institutions", tag = "admin", params(("login" = String, Path)), request_body = Institutions, security(("bearer" = [])),
    responses((status = 200, body = StaffCreated), (status = 404, body = telnuska_shared::api::Problem), (status = 422, body = telnuska_shared::api::Problem)))]
async fn bind_institutions(
    State(state): State<AppState>,
    Staff(admin): Staff,
    ApiPath(login): ApiPath<String>,
    ApiJson(body): ApiJson<Institutions>,
) -> Result<Json<StaffCreated>, ApiError> {
    require_admin(&admin)?;
    let mut errors = Vec::new();
    check_institutions(&state.reference(), &body.institutions, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let role = staff::set_institutions(&state.pool, &login, &body.institutions).await?.ok_or(ApiError::NotFound)?;
    if role != Role::Provider {
        return Err(ApiError::Validation(vec![FieldError::new("institutions", "staff.not_provider")]));
    }
    Ok(Json(StaffCreated { login, role, institutions: body.institutions }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Disabled {
    /// `true` disables the account (it cannot sign in, its sessions end); `false` enables it again.
    disabled: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct StaffState {
    login: String,
    disabled: bool,
}

#[tracing::instrument(skip_all, fields(login = %login))]
#[utoipa::path(put, path = "/api/admin/staff/{login}/disabled", tag = "admin", params(("login" = String, Path)), request_body = Disabled, security(("bearer" = [])),
    responses((status = 200, description = "Disabled (its sessions ended) or enabled", body = StaffState), (status = 403, body = telnuska_shared::api::Problem), (status = 404, body = telnuska_shared::api::Problem)))]
async fn set_disabled(
    State(state): State<AppState>,
    Staff(admin): Staff,
    ApiPath(login): ApiPath<String>,
    ApiJson(body): ApiJson<Disabled>,
) -> Result<Json<StaffState>, ApiError> {
    require_admin(&admin)?;
    if !staff::set_disabled(&state.pool, &login, body.disabled).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(by = %admin.login, disabled = body.disabled, "staff account changed");
    Ok(Json(StaffState { login, disabled: body.disabled }))
}

/// A new password; its `Debug` leaves it out.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewPassword {
    password: String,
}

#[tracing::instrument(skip_all, fields(login = %login))]
#[utoipa::path(put, path = "/api/admin/staff/{login}/password", tag = "admin", params(("login" = String, Path)), request_body = NewPassword, security(("bearer" = [])),
    responses((status = 204, description = "The password is replaced and every session of the account ended"), (status = 403, body = telnuska_shared::api::Problem),
              (status = 404, body = telnuska_shared::api::Problem), (status = 422, body = telnuska_shared::api::Problem)))]
async fn reset_password(
    State(state): State<AppState>,
    Staff(admin): Staff,
    ApiPath(login): ApiPath<String>,
    ApiJson(body): ApiJson<NewPassword>,
) -> Result<StatusCode, ApiError> {
    require_admin(&admin)?;
    if body.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::Validation(vec![FieldError::new("password", "staff.password_too_short")]));
    }
    if !staff::reset_password(&state.pool, &login, &body.password).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(by = %admin.login, "staff password reset");
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct SessionsEnded {
    login: String,
    ended: u64,
}

#[tracing::instrument(skip_all, fields(login = %login))]
#[utoipa::path(delete, path = "/api/admin/staff/{login}/sessions", tag = "admin", params(("login" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Every session of the account ended", body = SessionsEnded), (status = 403, body = telnuska_shared::api::Problem), (status = 404, body = telnuska_shared::api::Problem)))]
async fn end_sessions(State(state): State<AppState>, Staff(admin): Staff, ApiPath(login): ApiPath<String>) -> Result<Json<SessionsEnded>, ApiError> {
    require_admin(&admin)?;
    if staff::role_of(&state.pool, &login).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let ended = staff::end_sessions(&state.pool, &login).await?;
    Ok(Json(SessionsEnded { login, ended }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct YearQuery {
    year: Option<i32>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct CalendarEntry {
    date: NaiveDate,
    kind: &'static str,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct CalendarYear {
    year: i32,
    certainty: telnuska_shared::calendar::Certainty,
    entries: Vec<CalendarEntry>,
    amendments: Vec<CalendarDay>,
}

#[utoipa::path(get, path = "/api/admin/calendar", tag = "admin", params(YearQuery), security(("bearer" = [])), responses((status = 200, body = CalendarYear)))]
async fn list_calendar(State(state): State<AppState>, Staff(admin): Staff, ApiQuery(q): ApiQuery<YearQuery>) -> Result<Json<CalendarYear>, ApiError> {
    require_admin(&admin)?;
    let year = q.year.unwrap_or_else(|| state.clock.today().year());
    let calendar = state.calendar();
    let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| ApiError::Validation(vec![FieldError::new("year", "date.format")]))?;
    let amendments = calendar_store::amendments(&state.pool).await?.into_iter().filter(|d| d.date.year() == year).collect();
    Ok(Json(CalendarYear {
        year,
        certainty: calendar.certainty(first),
        entries: calendar.entries_in(year).into_iter().map(|(date, kind)| CalendarEntry { date, kind: kind_code(kind) }).collect(),
        amendments,
    }))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct Amendment {
    date: NaiveDate,
    kind: DayKind,
    name: String,
    /// The decree or law, e.g. "ПП РК от 26.10.2026 № 900".
    source: String,
    /// Only report what would change.
    #[serde(default)]
    dry_run: bool,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct AmendmentOutcome {
    applied: bool,
    date: NaiveDate,
    kind: &'static str,
    was_working_day: bool,
    is_working_day: bool,
    /// Open applications whose due date would differ; they keep theirs.
    affected: Vec<Affected>,
}

#[tracing::instrument(skip_all)]
#[utoipa::path(post, path = "/api/admin/calendar", tag = "admin", request_body = Amendment, security(("bearer" = [])),
    responses((status = 200, description = "Applied (or previewed with dry_run), with the open applications whose due date would differ; they keep theirs", body = AmendmentOutcome),
              (status = 422, body = telnuska_shared::api::Problem)))]
async fn amend_calendar(State(state): State<AppState>, Staff(admin): Staff, ApiJson(body): ApiJson<Amendment>) -> Result<Json<AmendmentOutcome>, ApiError> {
    require_admin(&admin)?;
    let mut errors = Vec::new();
    if body.name.trim().is_empty() {
        errors.push(FieldError::new("name", "required"));
    }
    if body.source.trim().chars().count() < 5 {
        errors.push(FieldError::new("source", "calendar.source_required"));
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let current = state.calendar();
    let day = CalendarDay { date: body.date, kind: body.kind, name: body.name.trim().into(), source: body.source.trim().into() };
    let amended: Calendar = (*current).clone().with_amendments([day.clone()]);
    let reference = state.reference();
    let term_of = |code: &str| ServiceCode::from_code(code).map(|s| reference.service(s).term_working_days);
    let affected = calendar_store::affected(&state.pool, &amended, term_of).await?;
    let old_kind = current.entries_in(body.date.year()).into_iter().find(|(d, _)| *d == body.date).map(|(_, k)| k);
    if !body.dry_run {
        calendar_store::amend(&state.pool, &day, old_kind, &admin.login, state.clock.now()).await?;
        state.set_calendar(calendar_store::load(&state.pool).await?);
        tracing::info!(date = %day.date, kind = kind_code(day.kind), affected = affected.len(), "calendar amended");
    }
    Ok(Json(AmendmentOutcome {
        applied: !body.dry_run,
        date: day.date,
        kind: kind_code(day.kind),
        was_working_day: current.is_working_day(day.date),
        is_working_day: amended.is_working_day(day.date),
        affected,
    }))
}
