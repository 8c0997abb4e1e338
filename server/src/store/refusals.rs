//! Refusals to accept a package at intake (003 item 52, Annex 4): recorded with a number of their
//! own series, since no application is ever stored for a refused package.

use chrono::{DateTime, Datelike, Utc};
use sqlx::{AnyPool, Row};
use telnuska_shared::api::{AttachmentKind, CreateApplicationRequest};

use super::StoreError;
use crate::clock::{parse_stored, stored};

/// A refusal as recorded.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// Id.
    pub id: String,
    /// Its number (`RA-2026-000001`).
    pub number: String,
    /// When the worker refused.
    pub refused_at: DateTime<Utc>,
    /// Who refused (a staff id).
    pub by_staff: String,
    /// The package as typed.
    pub package: CreateApplicationRequest,
    /// The checklist items ticked as presented.
    pub presented: Vec<AttachmentKind>,
    /// Presented documents whose validity has expired.
    pub expired: Vec<AttachmentKind>,
}

/// Kinds as stored: codes separated by commas.
fn codes(kinds: &[AttachmentKind]) -> String {
    kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")
}

fn kinds(codes: &str) -> Vec<AttachmentKind> {
    codes.split(',').filter_map(AttachmentKind::from_code).collect()
}

/// Records `refusal` (its `number` is ignored) and returns its number; the counter row
/// serialises writers as for applications.
#[tracing::instrument(skip(pool, refusal), fields(id = %refusal.id))]
pub async fn record(pool: &AnyPool, refusal: &Refusal) -> Result<String, StoreError> {
    let mut tx = pool.begin().await?;
    let value: i64 = sqlx::query_scalar("UPDATE counters SET value = value + 1 WHERE name = 'refusal_number' RETURNING value").fetch_one(&mut *tx).await?;
    let number = format!("RA-{}-{value:06}", refusal.refused_at.year());
    let package = serde_json::to_string(&refusal.package)?;
    sqlx::query(
        "INSERT INTO acceptance_refusals (id, number, refused_at, by_staff, applicant_iin, package_json, presented, expired) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&refusal.id)
    .bind(&number)
    .bind(stored(refusal.refused_at))
    .bind(&refusal.by_staff)
    .bind(refusal.package.applicant.iin.trim())
    .bind(package)
    .bind(codes(&refusal.presented))
    .bind(codes(&refusal.expired))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(number)
}

/// The refusal `id` (or numbered `id`: a scanner types the number of a printed receipt), if recorded.
#[tracing::instrument(skip(pool))]
pub async fn get(pool: &AnyPool, id: &str) -> Result<Option<Refusal>, StoreError> {
    let row = sqlx::query("SELECT id, number, refused_at, by_staff, package_json, presented, expired FROM acceptance_refusals WHERE id = $1 OR number = $1")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let package: String = row.try_get("package_json")?;
    let refused_at: String = row.try_get("refused_at")?;
    Ok(Some(Refusal {
        id: row.try_get("id")?,
        number: row.try_get("number")?,
        refused_at: parse_stored(&refused_at).ok_or_else(|| StoreError::unreadable(format!("time {refused_at}")))?,
        by_staff: row.try_get("by_staff")?,
        package: serde_json::from_str(&package)?,
        presented: kinds(&row.try_get::<String, _>("presented")?),
        expired: kinds(&row.try_get::<String, _>("expired")?),
    }))
}
