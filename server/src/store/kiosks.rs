//! Self-service kiosks of ЦОН halls: registered by an administrator with a device token that is
//! kept only as its SHA-256 (shown once), and revocable.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use super::StoreError;
use crate::clock::{parse_stored, stored};
use crate::secrets::{new_token, sha256_hex};

/// A registered kiosk, as the administrator sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Kiosk {
    /// Id, recorded with every application sent from it.
    pub id: String,
    /// What the hall's staff call it ("Kiosk 2, hall A").
    pub name: String,
    /// The ЦОН branch or office it stands in.
    pub branch: String,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
    /// When its token was revoked; from then on it is refused.
    pub revoked_at: Option<DateTime<Utc>>,
}

fn kiosk_of(row: &AnyRow) -> Result<Kiosk, StoreError> {
    let instant = |c: &str| -> Result<Option<DateTime<Utc>>, StoreError> { Ok(row.try_get::<Option<String>, _>(c)?.as_deref().and_then(parse_stored)) };
    Ok(Kiosk {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        branch: row.try_get("branch")?,
        created_at: instant("created_at")?.ok_or_else(|| StoreError::unreadable("stored kiosk time cannot be read"))?,
        revoked_at: instant("revoked_at")?,
    })
}

const COLUMNS: &str = "id, name, branch, created_at, revoked_at";

/// Registers a kiosk; returns it with its device token, which is not kept and cannot be read again.
#[tracing::instrument(skip(pool))]
pub async fn register(pool: &AnyPool, name: &str, branch: &str, by: &str, now: DateTime<Utc>) -> Result<(Kiosk, String), StoreError> {
    let token = new_token();
    let kiosk = Kiosk { id: uuid::Uuid::new_v4().to_string(), name: name.into(), branch: branch.into(), created_at: now, revoked_at: None };
    sqlx::query("INSERT INTO kiosks (id, name, branch, token_hash, created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&kiosk.id)
        .bind(name)
        .bind(branch)
        .bind(sha256_hex(&token))
        .bind(stored(now))
        .bind(by)
        .execute(pool)
        .await?;
    Ok((kiosk, token))
}

/// Every kiosk, the newest first.
#[tracing::instrument(skip(pool))]
pub async fn list(pool: &AnyPool) -> Result<Vec<Kiosk>, StoreError> {
    let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM kiosks ORDER BY created_at DESC, id")).fetch_all(pool).await?;
    rows.iter().map(kiosk_of).collect()
}

/// Revokes a kiosk's token (a second revocation keeps the first time); `None` for an unknown id.
#[tracing::instrument(skip(pool))]
pub async fn revoke(pool: &AnyPool, id: &str, now: DateTime<Utc>) -> Result<Option<Kiosk>, StoreError> {
    sqlx::query("UPDATE kiosks SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL").bind(stored(now)).bind(id).execute(pool).await?;
    let row = sqlx::query(&format!("SELECT {COLUMNS} FROM kiosks WHERE id = $1")).bind(id).fetch_optional(pool).await?;
    row.as_ref().map(kiosk_of).transpose()
}

/// The kiosk holding `token`, unless it is unknown or revoked.
#[tracing::instrument(skip_all)]
pub async fn active_by_token(pool: &AnyPool, token: &str) -> Result<Option<Kiosk>, StoreError> {
    let row =
        sqlx::query(&format!("SELECT {COLUMNS} FROM kiosks WHERE token_hash = $1 AND revoked_at IS NULL")).bind(sha256_hex(token)).fetch_optional(pool).await?;
    row.as_ref().map(kiosk_of).transpose()
}
