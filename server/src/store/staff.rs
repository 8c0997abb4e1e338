//! Staff accounts, their institutions and their sessions.

use chrono::{DateTime, Duration, Utc};
use sqlx::{AnyPool, Row};
use telnuska_shared::api::Role;

use crate::clock::{parse_stored, stored};
use crate::error::ApiError;
use crate::secrets::{hash_password, new_token, sha256_hex, verify_password};

/// How long a staff session lasts: one working shift with margin.
pub const SESSION_HOURS: i64 = 12;

/// An authenticated staff member.
#[derive(Debug, Clone)]
pub struct StaffMember {
    /// Id.
    pub id: String,
    /// Login.
    pub login: String,
    /// Role.
    pub role: Role,
    /// Institutions a provider serves (empty for other roles).
    pub institutions: Vec<String>,
}

/// Creates an account unless the login exists; returns whether it was created.
pub async fn create_if_missing(pool: &AnyPool, login: &str, password: &str, role: Role, full_name: &str, institutions: &[String], now: DateTime<Utc>) -> Result<bool, ApiError> {
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM staff WHERE login = $1").bind(login).fetch_optional(pool).await?;
    if exists.is_some() {
        return Ok(false);
    }
    let hash = hash_password(password).map_err(|e| ApiError::Internal(e.to_string()))?;
    let id = uuid::Uuid::new_v4().to_string();
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO staff (id, login, password_hash, role, full_name, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(&id)
        .bind(login)
        .bind(hash)
        .bind(role.code())
        .bind(full_name)
        .bind(stored(now))
        .execute(&mut *tx)
        .await?;
    for institution in institutions {
        sqlx::query("INSERT INTO staff_institutions (staff_id, institution) VALUES ($1, $2)").bind(&id).bind(institution).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(true)
}

async fn institutions_of(pool: &AnyPool, staff_id: &str) -> Result<Vec<String>, ApiError> {
    Ok(sqlx::query_scalar("SELECT institution FROM staff_institutions WHERE staff_id = $1 ORDER BY institution").bind(staff_id).fetch_all(pool).await?)
}

/// Checks a login and password; on success opens a session and returns its token.
pub async fn login(pool: &AnyPool, login: &str, password: &str, now: DateTime<Utc>) -> Result<(String, Role, DateTime<Utc>), ApiError> {
    let row = sqlx::query("SELECT id, password_hash, role FROM staff WHERE login = $1").bind(login).fetch_optional(pool).await?;
    let Some(row) = row else {
        // Spend the same time as a real check, so logins cannot be probed by timing.
        let _ = verify_password(password, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$5wQ6m3yq7Yl2fXz2mP2u1P0ZC8i3m8mJj3b5m6j2c8M");
        return Err(ApiError::InvalidCredentials);
    };
    let hash: String = row.try_get("password_hash")?;
    if !verify_password(password, &hash) {
        return Err(ApiError::InvalidCredentials);
    }
    let role = Role::from_code(&row.try_get::<String, _>("role")?).ok_or_else(|| ApiError::Internal("stored role".into()))?;
    let token = new_token();
    let expires_at = now + Duration::hours(SESSION_HOURS);
    sqlx::query("INSERT INTO sessions (token_hash, staff_id, expires_at, created_at) VALUES ($1, $2, $3, $4)")
        .bind(sha256_hex(&token))
        .bind(row.try_get::<String, _>("id")?)
        .bind(stored(expires_at))
        .bind(stored(now))
        .execute(pool)
        .await?;
    Ok((token, role, expires_at))
}

/// The staff member of a live session token, if any.
pub async fn by_token(pool: &AnyPool, token: &str, now: DateTime<Utc>) -> Result<Option<StaffMember>, ApiError> {
    let row = sqlx::query("SELECT s.id, s.login, s.role, x.expires_at FROM sessions x JOIN staff s ON s.id = x.staff_id WHERE x.token_hash = $1")
        .bind(sha256_hex(token))
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let expires_at = parse_stored(&row.try_get::<String, _>("expires_at")?);
    if expires_at.is_none_or(|e| e <= now) {
        return Ok(None);
    }
    let id: String = row.try_get("id")?;
    let role = Role::from_code(&row.try_get::<String, _>("role")?).ok_or_else(|| ApiError::Internal("stored role".into()))?;
    let institutions = if role == Role::Provider { institutions_of(pool, &id).await? } else { Vec::new() };
    Ok(Some(StaffMember { login: row.try_get("login")?, id, role, institutions }))
}

/// Ends a session.
pub async fn logout(pool: &AnyPool, token: &str) -> Result<(), ApiError> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(sha256_hex(token)).execute(pool).await?;
    Ok(())
}

/// Replaces the institutions a staff member serves; returns their role, or `None` if unknown.
pub async fn set_institutions(pool: &AnyPool, login: &str, institutions: &[String]) -> Result<Option<Role>, ApiError> {
    let row = sqlx::query("SELECT id, role FROM staff WHERE login = $1").bind(login).fetch_optional(pool).await?;
    let Some(row) = row else { return Ok(None) };
    let id: String = row.try_get("id")?;
    let role = Role::from_code(&row.try_get::<String, _>("role")?).ok_or_else(|| ApiError::Internal("stored role".into()))?;
    if role != Role::Provider {
        return Ok(Some(role));
    }
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM staff_institutions WHERE staff_id = $1").bind(&id).execute(&mut *tx).await?;
    for institution in institutions {
        sqlx::query("INSERT INTO staff_institutions (staff_id, institution) VALUES ($1, $2)").bind(&id).bind(institution).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(Some(role))
}
