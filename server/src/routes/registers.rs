//! `GET /api/registers/courier`: the register (in 2 copies) of the packages a ЦОН sent to one
//! provider on one day, printed for the courier (003 items 54–55).

use axum::extract::State;
use axum::response::Response;
use chrono::{NaiveDate, TimeZone, Utc};
use serde::Deserialize;
use telnuska_shared::api::Role;
use telnuska_shared::calendar::almaty_offset;
use telnuska_shared::i18n::Lang;
use telnuska_shared::reference::Institution;
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::clock::stored;
use crate::error::ApiError;
use crate::extract::{ApiQuery, RequestLang};
use crate::routes::auth::Staff;
use crate::routes::receipts::names::{in_lang, state_corporation, Placement};
use crate::routes::receipts::{courier_register_pdf, pdf_response, CourierRegister, RegisterEntry};
use crate::state::AppState;
use crate::store::applications as store;
use crate::store::chain;
use crate::store::desk;
use crate::store::staff::StaffMember;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_courier_register))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct RegisterQuery {
    /// The day of dispatch (Asia/Almaty), `YYYY-MM-DD`.
    date: Option<String>,
    /// The receiving institution's code.
    institution: Option<String>,
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/registers/courier", tag = "staff", params(RegisterQuery), security(("bearer" = [])),
    responses((status = 200, description = "The courier register in 2 copies, A4 PDF", content_type = "application/pdf"),
              (status = 403, body = telnuska_shared::api::Problem), (status = 422, body = telnuska_shared::api::Problem)))]
async fn get_courier_register(
    State(state): State<AppState>,
    Staff(staff): Staff,
    RequestLang(lang): RequestLang,
    ApiQuery(q): ApiQuery<RegisterQuery>,
) -> Result<Response, ApiError> {
    if !matches!(staff.role, Role::Operator | Role::Admin) {
        return Err(ApiError::Forbidden);
    }
    let mut errors = Vec::new();
    let reference = state.reference();
    let date = match q.date.as_deref().map(str::trim) {
        None | Some("") => Some(state.clock.today()),
        Some(raw) => raw.parse::<NaiveDate>().map_err(|_| errors.push(FieldError::new("date", "date.format"))).ok(),
    };
    let institution = match q.institution.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => {
            errors.push(FieldError::new("institution", "required"));
            None
        }
        Some(code) => reference.institution(code).or_else(|| {
            errors.push(FieldError::new("institution", "reference.unknown_institution"));
            None
        }),
    };
    let (Some(date), Some(institution)) = (date, institution) else { return Err(ApiError::Validation(errors)) };
    // The Almaty calendar day as a UTC range.
    let local_midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
    let noon = Utc.from_utc_datetime(&(local_midnight + chrono::Duration::hours(12)));
    let start = Utc.from_utc_datetime(&local_midnight) - chrono::Duration::seconds(i64::from(almaty_offset(noon).local_minus_utc()));
    let end = start + chrono::Duration::days(1);
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT a.id FROM application_events e JOIN applications a ON a.id = e.application_id \
         WHERE e.kind = 'dispatch' AND a.institution = $1 AND e.at >= $2 AND e.at < $3 ORDER BY a.id",
    )
    .bind(&institution.code)
    .bind(stored(start))
    .bind(stored(end))
    .fetch_all(&state.pool)
    .await?;
    register_response(&state, &staff, lang, institution, date, &ids).await
}

/// The courier register (2 copies, PDF) of packages `ids` sent by `staff`'s branch to
/// `institution` on `date`: by day here, by dispatch at the desk.
pub(crate) async fn register_response(
    state: &AppState,
    staff: &StaffMember,
    lang: Lang,
    institution: &Institution,
    date: NaiveDate,
    ids: &[String],
) -> Result<Response, ApiError> {
    let mut entries = Vec::with_capacity(ids.len());
    for id in ids {
        if let Some(view) = store::get(&state.pool, id).await? {
            entries.push(RegisterEntry::of(&view, lang));
        }
    }
    entries.sort_by(|a, b| a.number.cmp(&b.number));
    let name = in_lang(&institution.name, lang);
    let branch = desk::branch_of(&state.pool, &staff.id).await?;
    let log_head = chain::log_head(&state.pool).await?;
    let register = CourierRegister { lang, from: state_corporation(branch.as_ref(), lang, Placement::OwnLine), to: name, date, entries, log_head };
    pdf_response(move || courier_register_pdf(&register)).await
}
