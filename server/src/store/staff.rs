//! Staff accounts, their institutions and their sessions.

use chrono::{DateTime, Duration, Utc};
use sqlx::{AnyConnection, AnyPool, Row};
use telnuska_shared::api::Role;

use super::writes::WriteGate;
use super::StoreError;
use crate::clock::{parse_stored, stored};
use crate::secrets::{hash_password, new_token, sha256_hex, verify_password};

/// How long a staff session lasts: one working shift with margin.
pub const SESSION_HOURS: i64 = 12;
/// A session unused this long ends (a desk left signed in): half an hour, the usual idle limit of
/// government information systems. Not for field workers: see [`idle_limit`].
pub const SESSION_IDLE_MINUTES: i64 = 30;

/// How long a session of `role` may go unused before it ends. A field worker's device is offline
/// for hours between the morning's sign-in and the evening's sync, by design; the device itself
/// locks the workspace behind the PIN after 5 idle minutes, so the server's idle limit would only
/// end the shift's session mid-route. Their session still ends at [`SESSION_HOURS`].
pub fn idle_limit(role: Role) -> Option<Duration> {
    (role != Role::Field).then(|| Duration::minutes(SESSION_IDLE_MINUTES))
}
/// Last use is written at most this often, not on every request.
const LAST_SEEN_RESOLUTION_SECONDS: i64 = 60;

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
    /// Full name, as colleagues see it.
    pub full_name: String,
    /// Head of the office: may release an application a colleague holds and reads the log of
    /// personal data openings (set by the administrator).
    pub head: bool,
}

/// Creates an account unless the login exists; returns whether it was created.
pub async fn create_if_missing(
    pool: &AnyPool,
    login: &str,
    password: &str,
    role: Role,
    full_name: &str,
    institutions: &[String],
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    let exists: Option<String> = sqlx::query_scalar("SELECT id FROM staff WHERE login = $1").bind(login).fetch_optional(pool).await?;
    if exists.is_some() {
        return Ok(false);
    }
    let hash = hash_password(password).map_err(StoreError::PasswordHash)?;
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

async fn institutions_of(pool: &AnyPool, staff_id: &str) -> Result<Vec<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT institution FROM staff_institutions WHERE staff_id = $1 ORDER BY institution").bind(staff_id).fetch_all(pool).await?)
}

/// Checks a login and password; on success opens a session and returns its token. Demo accounts
/// sign in only while `demo_mode` is on; disabled accounts never.
pub async fn login(
    pool: &AnyPool,
    writes: &WriteGate,
    login: &str,
    password: &str,
    demo_mode: bool,
    now: DateTime<Utc>,
) -> Result<(String, Role, DateTime<Utc>), StoreError> {
    let row = sqlx::query("SELECT id, password_hash, role, demo, disabled FROM staff WHERE login = $1").bind(login).fetch_optional(pool).await?;
    let Some(row) = row else {
        // Spend the same time as a real check, so logins cannot be probed by timing.
        let _ = verify_password(password, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$5wQ6m3yq7Yl2fXz2mP2u1P0ZC8i3m8mJj3b5m6j2c8M");
        return Err(StoreError::InvalidCredentials);
    };
    let hash: String = row.try_get("password_hash")?;
    let usable = row.try_get::<i64, _>("disabled")? == 0 && (demo_mode || row.try_get::<i64, _>("demo")? == 0);
    if !verify_password(password, &hash) || !usable {
        return Err(StoreError::InvalidCredentials);
    }
    let role = Role::from_code(&row.try_get::<String, _>("role")?).ok_or_else(|| StoreError::unreadable("stored role"))?;
    let token = new_token();
    let expires_at = now + Duration::hours(SESSION_HOURS);
    let mut written = writes.autocommit(pool).await?;
    sqlx::query("INSERT INTO sessions (token_hash, staff_id, expires_at, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(sha256_hex(&token))
        .bind(row.try_get::<String, _>("id")?)
        .bind(stored(expires_at))
        .bind(stored(now))
        .execute(written.conn())
        .await?;
    written.finish().await?;
    Ok((token, role, expires_at))
}

/// The staff member of a live session token, if any: not expired, not idle for
/// [`SESSION_IDLE_MINUTES`], of an account not disabled (and not a demo account outside demo mode).
pub async fn by_token(pool: &AnyPool, writes: &WriteGate, token: &str, demo_mode: bool, now: DateTime<Utc>) -> Result<Option<StaffMember>, StoreError> {
    let token_hash = sha256_hex(token);
    let row = sqlx::query(
        "SELECT s.id, s.login, s.role, s.full_name, s.head, s.demo, s.disabled, x.expires_at, x.created_at, x.last_seen_at FROM sessions x JOIN staff s ON s.id = x.staff_id WHERE x.token_hash = $1",
    )
    .bind(&token_hash)
    .fetch_optional(pool)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let expires_at = parse_stored(&row.try_get::<String, _>("expires_at")?);
    let last_seen = parse_stored(&row.try_get::<Option<String>, _>("last_seen_at")?.unwrap_or(row.try_get::<String, _>("created_at")?));
    let role = Role::from_code(&row.try_get::<String, _>("role")?).ok_or_else(|| StoreError::unreadable("stored role"))?;
    let idle = idle_limit(role).is_some_and(|limit| last_seen.is_none_or(|seen| now - seen > limit));
    let refused = row.try_get::<i64, _>("disabled")? != 0 || (!demo_mode && row.try_get::<i64, _>("demo")? != 0);
    if expires_at.is_none_or(|e| e <= now) || idle || refused {
        return Ok(None);
    }
    if last_seen.is_some_and(|seen| now - seen > Duration::seconds(LAST_SEEN_RESOLUTION_SECONDS)) {
        let mut written = writes.autocommit(pool).await?;
        sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2").bind(stored(now)).bind(&token_hash).execute(written.conn()).await?;
        written.finish().await?;
    }
    let id: String = row.try_get("id")?;
    let institutions = if role == Role::Provider { institutions_of(pool, &id).await? } else { Vec::new() };
    Ok(Some(StaffMember {
        login: row.try_get("login")?,
        id,
        role,
        institutions,
        full_name: row.try_get("full_name")?,
        head: row.try_get::<i64, _>("head")? != 0,
    }))
}

/// Marks `login` as a demo account (refused outside demo mode).
pub async fn mark_demo(pool: &AnyPool, login: &str) -> Result<(), StoreError> {
    sqlx::query("UPDATE staff SET demo = 1 WHERE login = $1").bind(login).execute(pool).await?;
    Ok(())
}

/// The password hash of an account not marked as a demo account, if `login` is one.
pub async fn unmarked_password_hash(pool: &AnyPool, login: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT password_hash FROM staff WHERE login = $1 AND demo = 0").bind(login).fetch_optional(pool).await?)
}

/// Disables or enables an account; a disabled account's sessions end. Returns whether `login` exists.
pub async fn set_disabled(pool: &AnyPool, login: &str, disabled: bool) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE staff SET disabled = $1 WHERE login = $2").bind(i64::from(disabled)).bind(login).execute(pool).await?;
    if disabled {
        end_sessions(pool, login).await?;
    }
    Ok(done.rows_affected() == 1)
}

/// Sets a new password and ends every session of the account. Returns whether `login` exists.
pub async fn reset_password(pool: &AnyPool, login: &str, password: &str) -> Result<bool, StoreError> {
    let hash = hash_password(password).map_err(StoreError::PasswordHash)?;
    let done = sqlx::query("UPDATE staff SET password_hash = $1 WHERE login = $2").bind(hash).bind(login).execute(pool).await?;
    end_sessions(pool, login).await?;
    Ok(done.rows_affected() == 1)
}

/// The role of `login`, if the account exists.
pub async fn role_of(pool: &AnyPool, login: &str) -> Result<Option<Role>, StoreError> {
    let role: Option<String> = sqlx::query_scalar("SELECT role FROM staff WHERE login = $1").bind(login).fetch_optional(pool).await?;
    Ok(role.as_deref().and_then(Role::from_code))
}

/// Ends every session of `login`; returns how many.
pub async fn end_sessions(pool: &AnyPool, login: &str) -> Result<u64, StoreError> {
    let done = sqlx::query("DELETE FROM sessions WHERE staff_id IN (SELECT id FROM staff WHERE login = $1)").bind(login).execute(pool).await?;
    Ok(done.rows_affected())
}

/// Removes sessions past their expiry or their role's [`idle_limit`] (the job's retention pass).
pub async fn delete_dead_sessions(conn: &mut AnyConnection, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    let idle_since = stored(now - Duration::minutes(SESSION_IDLE_MINUTES));
    let done = sqlx::query(
        "DELETE FROM sessions WHERE expires_at <= $1 OR (COALESCE(last_seen_at, created_at) < $2 AND staff_id NOT IN (SELECT id FROM staff WHERE role = $3))",
    )
    .bind(stored(now))
    .bind(idle_since)
    .bind(Role::Field.code())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Ends a session.
pub async fn logout(pool: &AnyPool, writes: &WriteGate, token: &str) -> Result<(), StoreError> {
    let mut written = writes.autocommit(pool).await?;
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(sha256_hex(token)).execute(written.conn()).await?;
    Ok(written.finish().await?)
}

/// Replaces the institutions a staff member serves; returns their role, or `None` if unknown.
pub async fn set_institutions(pool: &AnyPool, login: &str, institutions: &[String]) -> Result<Option<Role>, StoreError> {
    let row = sqlx::query("SELECT id, role FROM staff WHERE login = $1").bind(login).fetch_optional(pool).await?;
    let Some(row) = row else { return Ok(None) };
    let id: String = row.try_get("id")?;
    let role = Role::from_code(&row.try_get::<String, _>("role")?).ok_or_else(|| StoreError::unreadable("stored role"))?;
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
