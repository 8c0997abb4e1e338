//! Intake (DOMAIN.md, "Intake and receipts"): uploaded attachments, the removal of those that no
//! application refers to, and the facts a receipt needs about who accepted a package.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{Any, AnyPool, Row, Transaction};

use super::writes::WriteGate;
use super::{Statement, StoreError};
use crate::clock::stored;

/// How long an attachment may wait for an application to refer to it (API.md); the periodic
/// clean-up passes `now - ORPHAN_ATTACHMENT_HOURS` to [`delete_orphan_attachments`].
pub const ORPHAN_ATTACHMENT_HOURS: i64 = 24;

/// How many applications the orphan clean-up reads per query, so that no single statement holds
/// SQLite's lock or a large result in memory.
const ORPHAN_SCAN_PAGE: i64 = 500;

/// An uploaded file's description: the body of `201` of `POST /api/attachments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttachmentInfo {
    /// Id that applications refer to.
    pub id: String,
    /// SHA-256 of the bytes, hex.
    pub sha256: String,
    /// Size in bytes.
    pub size: i64,
    /// `application/pdf`, `image/jpeg` or `image/png`, as recognised from the content.
    pub content_type: String,
}

/// Stores an attachment's bytes in the caller's transaction (with its idempotency record).
#[tracing::instrument(skip(tx, data), fields(id = %info.id, size = info.size))]
pub async fn insert_attachment(tx: &mut Transaction<'_, Any>, info: &AttachmentInfo, data: Vec<u8>, now: DateTime<Utc>) -> Result<(), StoreError> {
    sqlx::query("INSERT INTO attachments (id, sha256, size, content_type, data, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&info.id)
        .bind(&info.sha256)
        .bind(info.size)
        .bind(&info.content_type)
        .bind(data)
        .bind(stored(now))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The content type and bytes of a stored attachment.
#[tracing::instrument(skip(pool))]
pub async fn attachment_data(pool: &AnyPool, id: &str) -> Result<Option<(String, Vec<u8>)>, StoreError> {
    let row = sqlx::query("SELECT content_type, data FROM attachments WHERE id = $1").bind(id).fetch_optional(pool).await?;
    match row {
        Some(row) => Ok(Some((row.try_get("content_type")?, row.try_get("data")?))),
        None => Ok(None),
    }
}

/// Which of `ids` are stored attachments.
#[tracing::instrument(skip(pool))]
pub async fn existing_attachment_ids(pool: &AnyPool, ids: &[&str]) -> Result<HashSet<String>, StoreError> {
    let wanted: Vec<&str> = ids.iter().copied().collect::<HashSet<_>>().into_iter().collect();
    if wanted.is_empty() {
        return Ok(HashSet::new());
    }
    let mut stored = Statement::new("SELECT id FROM attachments WHERE id IN (");
    stored.push_list(wanted).push(")");
    Ok(stored.build_query_scalar::<String>()?.fetch_all(pool).await?.into_iter().collect())
}

/// The part of a stored request that the clean-up reads; every other field is ignored.
#[derive(Deserialize)]
struct StoredRequestAttachments {
    #[serde(default)]
    attachments: Vec<StoredRef>,
}

#[derive(Deserialize)]
struct StoredRef {
    id: String,
}

/// Ids referred to by the `attachments` of any application's stored request. Reads every
/// application page by page and parses its JSON in Rust, which is the same on both databases
/// (their JSON functions differ) and cannot be fooled by an id appearing elsewhere in the text.
async fn referenced_attachment_ids(pool: &AnyPool) -> Result<HashSet<String>, StoreError> {
    let mut referenced = HashSet::new();
    let mut after = String::new();
    loop {
        let rows = sqlx::query("SELECT id, request_json FROM applications WHERE id > $1 ORDER BY id LIMIT $2")
            .bind(&after)
            .bind(ORPHAN_SCAN_PAGE)
            .fetch_all(pool)
            .await?;
        for row in &rows {
            let json: String = row.try_get("request_json")?;
            let request: StoredRequestAttachments = serde_json::from_str(&json)?;
            referenced.extend(request.attachments.into_iter().map(|a| a.id));
        }
        match rows.last() {
            Some(last) if rows.len() as i64 == ORPHAN_SCAN_PAGE => after = last.try_get("id")?,
            _ => return Ok(referenced),
        }
    }
}

/// Removes attachments uploaded before `older_than` that no application refers to (API.md: an
/// unreferenced attachment is removed after 24 hours; the caller passes now − 24 h). Returns how
/// many were removed.
///
/// The candidates are read first, then every reference; an application created during the scan
/// is caught by the re-check in the `DELETE` itself, which looks only at applications created
/// since the cutoff (the scan began after it), so it stays cheap.
#[tracing::instrument(skip(pool, writes))]
pub async fn delete_orphan_attachments(pool: &AnyPool, writes: &WriteGate, older_than: DateTime<Utc>) -> Result<u64, StoreError> {
    let cutoff = stored(older_than);
    let candidates: Vec<String> = sqlx::query_scalar("SELECT id FROM attachments WHERE created_at < $1").bind(&cutoff).fetch_all(pool).await?;
    if candidates.is_empty() {
        return Ok(0);
    }
    let referenced = referenced_attachment_ids(pool).await?;
    let mut removed = 0;
    let mut written = writes.autocommit(pool).await?;
    for id in candidates.iter().filter(|id| !referenced.contains(*id)) {
        // Our ids are UUIDs, so the id holds no LIKE wildcard.
        let done = sqlx::query(
            "DELETE FROM attachments WHERE id = $1 AND created_at < $2 \
             AND NOT EXISTS (SELECT 1 FROM applications WHERE created_at >= $3 AND request_json LIKE '%' || $1 || '%')",
        )
        .bind(id)
        .bind(&cutoff)
        .bind(&cutoff)
        .execute(written.conn())
        .await?;
        removed += done.rows_affected();
    }
    written.finish().await?;
    if removed > 0 {
        tracing::info!(removed, "orphan attachments removed");
    }
    Ok(removed)
}

/// The full name of a staff member, if the account exists.
pub async fn staff_full_name(pool: &AnyPool, staff_id: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT full_name FROM staff WHERE id = $1").bind(staff_id).fetch_optional(pool).await?)
}

/// The full name of the staff member who accepted an application (the actor of its first
/// event), or `None` when the applicant submitted it alone (portal, kiosk).
#[tracing::instrument(skip(pool))]
pub async fn accepted_by(pool: &AnyPool, application_id: &str) -> Result<Option<String>, StoreError> {
    let actor: Option<Option<String>> = sqlx::query_scalar("SELECT actor_id FROM application_events WHERE application_id = $1 ORDER BY seq LIMIT 1")
        .bind(application_id)
        .fetch_optional(pool)
        .await?;
    match actor.flatten() {
        Some(staff_id) => staff_full_name(pool, &staff_id).await,
        None => Ok(None),
    }
}
