//! Institutions added by administrators (one by one or from the official register) and the
//! routing of applications that name an institution not in the list to its issuer.

use chrono::{DateTime, Utc};
use sqlx::{Any, AnyPool, Row, Transaction};
use telnuska_shared::api::{ApplicationView, CreateApplicationRequest};
use telnuska_shared::application::register_name;
use telnuska_shared::reference::{aliases, Institution, InstitutionKind, Names};

use super::chain::{append_event, Actor, NewEvent};
use super::view::{view_from_row, VIEW_COLUMNS};
use super::StoreError;
use crate::clock::stored;

/// Every added institution, by code. The server reads them at start, after each change it makes
/// and periodically (`AppState::refresh_reference`), never on a request's path.
pub async fn list_added(pool: &AnyPool) -> Result<Vec<Institution>, StoreError> {
    let rows = sqlx::query("SELECT code, kind, region, name_kk, name_ru, name_en, aliases FROM added_institutions ORDER BY code").fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            let text = |c: &str| r.try_get::<String, _>(c);
            let kind = InstitutionKind::from_code(&text("kind")?).ok_or_else(|| StoreError::unreadable("stored institution kind"))?;
            Ok(Institution {
                code: text("code")?,
                name: Names::with_fallbacks(&text("name_kk")?, &text("name_ru")?, &text("name_en")?),
                region: text("region")?,
                kind,
                aliases: aliases(&text("aliases")?),
            })
        })
        .collect()
}

/// Whether an added institution has this code.
pub async fn exists(tx: &mut Transaction<'_, Any>, code: &str) -> Result<bool, StoreError> {
    Ok(sqlx::query_scalar::<_, String>("SELECT code FROM added_institutions WHERE code = $1").bind(code).fetch_optional(&mut **tx).await?.is_some())
}

/// Stores an institution (replacing an added one of the same code: a register imported again
/// updates its rows); `raw` holds the names as given, so the fallbacks apply when read.
pub async fn upsert(
    tx: &mut Transaction<'_, Any>,
    institution: &Institution,
    raw: &telnuska_shared::reference::NewInstitution,
    source: &str,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM added_institutions WHERE code = $1").bind(&institution.code).execute(&mut **tx).await?;
    sqlx::query(
        "INSERT INTO added_institutions (code, kind, region, name_kk, name_ru, name_en, aliases, source, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&institution.code)
    .bind(institution.kind.code())
    .bind(&institution.region)
    .bind(raw.name_kk.trim())
    .bind(raw.name_ru.trim())
    .bind(raw.name_en.trim())
    .bind(institution.aliases.join(";"))
    .bind(source)
    .bind(stored(now))
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What intake records beside the application for its institution: the name the register match
/// uses and, when the first document names an institution not in the list, the region whose
/// education authority routes it (columns `register_name`, `routing_region`).
pub fn intake_columns(request: &CreateApplicationRequest) -> (String, Option<String>) {
    let routing_region = request.documents.first().filter(|d| d.unlisted_institution.is_some()).map(|d| d.region.clone());
    (register_name(request), routing_region)
}

/// The name an application's register match uses.
pub async fn register_name_of(pool: &AnyPool, id: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT register_name FROM applications WHERE id = $1").bind(id).fetch_optional(pool).await?)
}

/// Applications waiting to be routed, soonest deadline first, of one region or all.
pub async fn routing_queue(pool: &AnyPool, region: Option<&str>) -> Result<Vec<ApplicationView>, StoreError> {
    let sql = format!("SELECT {VIEW_COLUMNS} FROM applications WHERE routing_region IS NOT NULL AND ($1 = '' OR routing_region = $1) ORDER BY due_on, id");
    let rows = sqlx::query(&sql).bind(region.unwrap_or("")).fetch_all(pool).await?;
    rows.iter().map(|r| view_from_row(r, Vec::new())).collect()
}

/// The region an application waits in for routing (`None`: unknown id; `Some(None)`: not waiting).
pub async fn routing_region(tx: &mut Transaction<'_, Any>, id: &str) -> Result<Option<Option<String>>, StoreError> {
    let row = sqlx::query("SELECT routing_region FROM applications WHERE id = $1").bind(id).fetch_optional(&mut **tx).await?;
    row.map(|r| r.try_get::<Option<String>, _>("routing_region")).transpose().map_err(Into::into)
}

/// The institution an application goes to now.
pub async fn institution_of(tx: &mut Transaction<'_, Any>, id: &str) -> Result<String, StoreError> {
    Ok(sqlx::query_scalar("SELECT institution FROM applications WHERE id = $1").bind(id).fetch_one(&mut **tx).await?)
}

/// Sends a waiting application to `institution`: its staff see it from now on; the event log
/// records who routed it where.
pub async fn route(tx: &mut Transaction<'_, Any>, id: &str, institution: &str, actor: &Actor, now: DateTime<Utc>) -> Result<(), StoreError> {
    let status: String = sqlx::query_scalar("SELECT status FROM applications WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
    let status = telnuska_shared::api::ApplicationStatus::from_code(&status).ok_or_else(|| StoreError::unreadable("stored status"))?;
    sqlx::query("UPDATE applications SET institution = $1, routing_region = NULL, updated_at = $2 WHERE id = $3")
        .bind(institution)
        .bind(stored(now))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    let payload = serde_json::json!({ "institution": institution });
    append_event(tx, &NewEvent { application_id: id, actor, kind: "route", status, note: Some(institution), payload: &payload, at: now }).await
}
