//! `POST /api/registers/graduates`: a provider uploads its register of issued documents (CSV or
//! Excel), all or nothing; and the match of an application against it, shown to staff beside the
//! application (the evidence behind a refusal on "unreliable data", 003 item 9).

use std::collections::HashSet;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::Json;
use chrono::Datelike;
use serde::Deserialize;
use telnuska_shared::api::{ApplicationView, GraduateRegisterImported, RegisterEvidence, Role};
use telnuska_shared::document::comparison_key;
use telnuska_shared::graduate_register::{Claim, RegisterLine, RegisterRecord, REGISTER_COLUMNS};
use telnuska_shared::FieldError;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use super::institutions::MAX_REGISTER_BYTES;
use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::routes::auth::Staff;
use crate::state::AppState;
use crate::store::graduates as store;
use crate::tabular;

/// Most errors one answer lists: a file wrong throughout (another export, a shifted column)
/// would otherwise answer with tens of thousands; the first ones show what to correct.
pub const MAX_REPORTED_ERRORS: usize = 100;

/// Digits of an IIN. A spreadsheet keeps an IIN typed into a number cell without its leading
/// zero (everyone born in 2000–2009), so an 11-digit one gets it back; the check digit still
/// has to hold.
const IIN_DIGITS: usize = 12;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import_graduate_register).layer(DefaultBodyLimit::max(MAX_REGISTER_BYTES)))
}

/// `raw` with the leading zero a number cell dropped, when it is an IIN of 11 digits.
fn iin_cell(raw: &str) -> String {
    if raw.len() == IIN_DIGITS - 1 && raw.bytes().all(|b| b.is_ascii_digit()) {
        format!("0{raw}")
    } else {
        raw.to_string()
    }
}

/// Parses a register file (CSV in UTF-8 or an Excel workbook) into its records, each with its
/// line; every error (at `lines.<line>.<column>`, at most [`MAX_REPORTED_ERRORS`]) or nothing.
pub fn parse_register(bytes: &[u8], current_year: i32) -> Result<Vec<(usize, RegisterRecord)>, Vec<FieldError>> {
    let table = tabular::read(bytes)?;
    let missing = table.missing(&REGISTER_COLUMNS);
    if !missing.is_empty() {
        return Err(missing);
    }
    let (mut records, mut errors, mut blanks) = (Vec::with_capacity(table.rows.len()), Vec::new(), HashSet::new());
    for row in &table.rows {
        let mut line = RegisterLine { cells: REGISTER_COLUMNS.map(|c| table.cell(row, c).to_string()) };
        line.cells[3] = iin_cell(&line.cells[3]);
        match RegisterRecord::parse(&line, &format!("lines.{}.", row.line), current_year) {
            Ok(record) if !blanks.insert((comparison_key(record.series.as_ref()), comparison_key(record.number.as_ref()))) => {
                errors.push(FieldError::new(format!("lines.{}.number", row.line), "register.duplicate"));
            }
            Ok(record) => records.push((row.line, record)),
            Err(e) => errors.extend(e),
        }
    }
    if records.is_empty() && errors.is_empty() {
        errors.push(FieldError::new("file", "register.empty"));
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        errors.truncate(MAX_REPORTED_ERRORS);
        Err(errors)
    }
}

/// `?institution=` of an import.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct ImportQuery {
    /// The institution whose register it is; may be left out by a provider who serves one.
    institution: Option<String>,
}

#[tracing::instrument(skip_all, fields(bytes = body.len()))]
#[utoipa::path(post, path = "/api/registers/graduates", tag = "staff", params(ImportQuery),
    request_body(content = String, content_type = "text/csv",
        description = "The register of issued documents: a header line with `last_name,first_name,patronymic,iin,series,number,registration_number,graduation_year,specialty` \
            (in any order; more columns are ignored), one document a line; or the same as the first sheet of an Excel workbook \
            (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`). It replaces the institution's register."),
    security(("bearer" = [])),
    responses((status = 200, body = telnuska_shared::api::GraduateRegisterImported), (status = 403, description = "Not a provider of this institution", body = telnuska_shared::api::Problem),
        (status = 413, body = telnuska_shared::api::Problem),
        (status = 422, description = "Nothing imported: every error (the first 100), at `lines.<line number>.<column>`, or at `file`", body = telnuska_shared::api::Problem)))]
async fn import_graduate_register(
    State(state): State<AppState>,
    Staff(staff): Staff,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<Json<GraduateRegisterImported>, ApiError> {
    if staff.role != Role::Provider {
        return Err(ApiError::Forbidden);
    }
    let institution = match (q.institution.as_deref().map(str::trim).filter(|s| !s.is_empty()), staff.institutions.as_slice()) {
        (Some(code), _) => code.to_string(),
        (None, [only]) => only.clone(),
        (None, _) => return Err(ApiError::Validation(vec![FieldError::new("institution", "required")])),
    };
    if !staff.institutions.contains(&institution) {
        return Err(ApiError::Forbidden);
    }
    let now = state.clock.now();
    let records = tokio::task::spawn_blocking(move || parse_register(&body, now.year())).await.map_err(ApiError::internal)?.map_err(ApiError::Validation)?;
    store::replace(&state.pool, &institution, &records, &staff.login, now).await?;
    tracing::info!(%institution, records = records.len(), "graduate register imported");
    Ok(Json(GraduateRegisterImported { institution, records: records.len(), imported_at: now }))
}

/// How `view`'s documents stand against the register of `institution`; `None` until that
/// institution has imported one.
pub async fn register_evidence(state: &AppState, institution: &str, view: &ApplicationView) -> Result<Option<RegisterEvidence>, ApiError> {
    let Some(imported_at) = store::imported_at(&state.pool, institution).await? else { return Ok(None) };
    let mut documents = Vec::with_capacity(view.request.documents.len());
    for claim in Claim::of(&view.request) {
        let candidates = store::candidates(&state.pool, institution, &claim).await?;
        documents.push(claim.check(&candidates));
    }
    Ok(Some(RegisterEvidence { imported_at, documents }))
}
