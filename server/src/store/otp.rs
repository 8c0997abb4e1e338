//! One-time SMS codes (5 minutes, 5 attempts) and the SMS outbox.

use chrono::{DateTime, Duration, Utc};
use sqlx::{Any, AnyPool, Row, Transaction};
use telnuska_shared::api::DevSms;

use crate::clock::{parse_stored, stored};
use crate::error::ApiError;
use crate::secrets::{hashes_equal, sha256_hex};

/// How long a code is valid.
pub const OTP_TTL_MINUTES: i64 = 5;
/// Wrong tries allowed per code.
pub const OTP_MAX_ATTEMPTS: i64 = 5;
/// Least time between two codes to one phone.
pub const OTP_RESEND_SECONDS: i64 = 60;
/// Most codes to one phone per hour.
pub const OTP_MAX_PER_HOUR: i64 = 5;

/// Why a code was not accepted; each has a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpFailure {
    /// No live code for this phone, or a wrong one.
    Invalid,
    /// The code is older than [`OTP_TTL_MINUTES`].
    Expired,
    /// [`OTP_MAX_ATTEMPTS`] wrong tries.
    TooManyAttempts,
}

impl OtpFailure {
    /// The stable error code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Invalid => "otp.invalid",
            Self::Expired => "otp.expired",
            Self::TooManyAttempts => "otp.too_many_attempts",
        }
    }
}

/// Seconds until this phone may get another code, if it may not now.
pub async fn resend_wait(pool: &AnyPool, phone: &str, now: DateTime<Utc>) -> Result<Option<u64>, ApiError> {
    let since = stored(now - Duration::hours(1));
    let times: Vec<String> = sqlx::query_scalar("SELECT created_at FROM otp_codes WHERE phone = $1 AND created_at > $2 ORDER BY created_at DESC")
        .bind(phone)
        .bind(&since)
        .fetch_all(pool)
        .await?;
    let parsed: Vec<DateTime<Utc>> = times.iter().filter_map(|t| parse_stored(t)).collect();
    if let Some(last) = parsed.first() {
        let wait = OTP_RESEND_SECONDS - (now - *last).num_seconds();
        if wait > 0 {
            return Ok(Some(wait as u64));
        }
    }
    if parsed.len() as i64 >= OTP_MAX_PER_HOUR {
        let oldest = parsed.last().copied().unwrap_or(now);
        return Ok(Some((3600 - (now - oldest).num_seconds()).max(1) as u64));
    }
    Ok(None)
}

/// Stores a new code (hashed) and queues its SMS.
pub async fn issue(pool: &AnyPool, phone: &str, ip: &str, code: &str, text: &str, now: DateTime<Utc>) -> Result<(), ApiError> {
    let mut tx = pool.begin().await?;
    sqlx::query("INSERT INTO otp_codes (id, phone, code_hash, attempts, used, expires_at, created_at, ip) VALUES ($1, $2, $3, 0, 0, $4, $5, $6)")
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(phone)
        .bind(sha256_hex(format!("{phone}:{code}")))
        .bind(stored(now + Duration::minutes(OTP_TTL_MINUTES)))
        .bind(stored(now))
        .bind(ip)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO sms_outbox (id, phone, text, code, status, attempts, created_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5)")
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(phone)
        .bind(text)
        .bind(code)
        .bind(stored(now))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks `code` against the newest code of `phone` and, if right, uses it up, inside `tx`.
pub async fn consume(tx: &mut Transaction<'_, Any>, phone: &str, code: &str, now: DateTime<Utc>) -> Result<Result<(), OtpFailure>, ApiError> {
    let row = sqlx::query("SELECT id, code_hash, attempts, used, expires_at FROM otp_codes WHERE phone = $1 ORDER BY created_at DESC LIMIT 1")
        .bind(phone)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(Err(OtpFailure::Invalid)) };
    let id: String = row.try_get("id")?;
    if row.try_get::<i64, _>("used")? != 0 {
        return Ok(Err(OtpFailure::Invalid));
    }
    if row.try_get::<i64, _>("attempts")? >= OTP_MAX_ATTEMPTS {
        return Ok(Err(OtpFailure::TooManyAttempts));
    }
    if parse_stored(&row.try_get::<String, _>("expires_at")?).is_none_or(|e| e <= now) {
        return Ok(Err(OtpFailure::Expired));
    }
    if !hashes_equal(&row.try_get::<String, _>("code_hash")?, &sha256_hex(format!("{phone}:{code}"))) {
        return Ok(Err(OtpFailure::Invalid));
    }
    sqlx::query("UPDATE otp_codes SET used = 1 WHERE id = $1").bind(id).execute(&mut **tx).await?;
    Ok(Ok(()))
}

/// Counts a wrong try against the newest code of `phone` (outside the failed transaction).
pub async fn record_failed_attempt(pool: &AnyPool, phone: &str) -> Result<(), ApiError> {
    sqlx::query(
        "UPDATE otp_codes SET attempts = attempts + 1 WHERE id = (SELECT id FROM otp_codes WHERE phone = $1 ORDER BY created_at DESC LIMIT 1)",
    )
    .bind(phone)
    .execute(pool)
    .await?;
    Ok(())
}

/// The development outbox of one phone, newest first.
pub async fn dev_outbox(pool: &AnyPool, phone: &str) -> Result<Vec<DevSms>, ApiError> {
    let rows = sqlx::query("SELECT phone, text, code, created_at FROM sms_outbox WHERE phone = $1 ORDER BY created_at DESC").bind(phone).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            Ok(DevSms {
                phone: r.try_get("phone")?,
                text: r.try_get("text")?,
                code: r.try_get("code")?,
                sent_at: parse_stored(&r.try_get::<String, _>("created_at")?).ok_or_else(|| ApiError::Internal("stored time".into()))?,
            })
        })
        .collect()
}
