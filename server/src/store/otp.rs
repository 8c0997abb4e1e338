//! One-time SMS codes (5 minutes, 5 attempts) and the SMS outbox.
//!
//! A code is stored only as a hash of the phone and the code. It signs only for the phone it was
//! sent to and, when it was asked for with the hash of the answers it signs, only those answers.
//! Every limit counts first and checks after, each count one atomic statement, so that parallel
//! requests cannot all pass a check that each of them alone would fail.

use chrono::{DateTime, Duration, Utc};
use sqlx::{Any, AnyConnection, AnyPool, Row, Transaction};
use telnuska_shared::api::DevSms;

use super::writes::WriteGate;
use super::StoreError;
use crate::clock::{parse_stored, stored};
use crate::secrets::{hashes_equal, sha256_hex};

/// How long a code is valid.
pub const OTP_TTL_MINUTES: i64 = 5;
/// Tries allowed per code (the right one included).
pub const OTP_MAX_ATTEMPTS: i64 = 5;
/// Least time between two codes to one phone.
pub const OTP_RESEND_SECONDS: i64 = telnuska_shared::application::OTP_RESEND_SECONDS as i64;
/// Most codes to one phone per hour.
pub const OTP_MAX_PER_HOUR: i64 = 5;
/// SMS codes one address may ask for per hour (a ЦОН hall shares one address: kept generous).
pub const OTP_PER_IP_PER_HOUR: i64 = 30;

/// Why a code was not accepted; each has a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OtpFailure {
    /// No live code for this phone, or a wrong one.
    Invalid,
    /// The code is older than [`OTP_TTL_MINUTES`].
    Expired,
    /// [`OTP_MAX_ATTEMPTS`] tries.
    TooManyAttempts,
    /// The code was asked for other answers than these.
    OtherContent,
}

impl OtpFailure {
    /// The stable error code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Invalid => "otp.invalid",
            Self::Expired => "otp.expired",
            Self::TooManyAttempts => "otp.too_many_attempts",
            Self::OtherContent => "otp.other_content",
        }
    }
}

/// A code to issue: to whom, from where, bound to which answers.
pub struct NewCode<'a> {
    /// The phone, E.164.
    pub phone: &'a str,
    /// The caller's address.
    pub ip: &'a str,
    /// The code.
    pub code: &'a str,
    /// SHA-256 (hex) of the signed content, when the code is bound to it.
    pub content_hash: Option<&'a str>,
    /// The SMS text.
    pub text: &'a str,
    /// Keep the code readable in the outbox (demo mode's development outbox only).
    pub keep_code: bool,
}

/// Issues a code and queues its SMS, unless this phone or address asked too often: then the
/// seconds to wait. The code's row is written first and the limits counted after, so that
/// parallel requests see each other.
pub async fn issue(pool: &AnyPool, writes: &WriteGate, new: &NewCode<'_>, now: DateTime<Utc>) -> Result<Result<(), u64>, StoreError> {
    let id = uuid::Uuid::new_v4().to_string();
    let mut written = writes.autocommit(pool).await?;
    sqlx::query(
        "INSERT INTO otp_codes (id, phone, code_hash, attempts, used, expires_at, created_at, ip, content_hash) VALUES ($1, $2, $3, 0, 0, $4, $5, $6, $7)",
    )
    .bind(&id)
    .bind(new.phone)
    .bind(sha256_hex(format!("{}:{}", new.phone, new.code)))
    .bind(stored(now + Duration::minutes(OTP_TTL_MINUTES)))
    .bind(stored(now))
    .bind(new.ip)
    .bind(new.content_hash)
    .execute(written.conn())
    .await?;
    if let Some(wait) = over_limits(written.conn(), &id, new, now).await? {
        sqlx::query("DELETE FROM otp_codes WHERE id = $1").bind(&id).execute(written.conn()).await?;
        written.finish().await?;
        return Ok(Err(wait));
    }
    sqlx::query("INSERT INTO sms_outbox (id, phone, text, code, status, attempts, created_at) VALUES ($1, $2, $3, $4, 'queued', 0, $5)")
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(new.phone)
        .bind(new.text)
        .bind(new.keep_code.then_some(new.code))
        .bind(stored(now))
        .execute(written.conn())
        .await?;
    written.finish().await?;
    Ok(Ok(()))
}

/// Seconds to wait if the code `id` just written is one too many for its phone or address.
async fn over_limits(conn: &mut AnyConnection, id: &str, new: &NewCode<'_>, now: DateTime<Utc>) -> Result<Option<u64>, StoreError> {
    let since = stored(now - Duration::hours(1));
    let others: Vec<String> = sqlx::query_scalar("SELECT created_at FROM otp_codes WHERE phone = $1 AND created_at > $2 AND id <> $3 ORDER BY created_at DESC")
        .bind(new.phone)
        .bind(&since)
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let others: Vec<DateTime<Utc>> = others.iter().filter_map(|t| parse_stored(t)).collect();
    if let Some(last) = others.first() {
        let wait = OTP_RESEND_SECONDS - (now - *last).num_seconds();
        if wait > 0 {
            return Ok(Some(wait as u64));
        }
    }
    if others.len() as i64 >= OTP_MAX_PER_HOUR {
        let oldest = others.last().copied().unwrap_or(now);
        return Ok(Some((3600 - (now - oldest).num_seconds()).max(1) as u64));
    }
    let by_ip: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM otp_codes WHERE ip = $1 AND created_at > $2").bind(new.ip).bind(&since).fetch_one(&mut *conn).await?;
    if by_ip > OTP_PER_IP_PER_HOUR {
        return Ok(Some(3600));
    }
    Ok(None)
}

/// Takes one try of the newest code of `phone` (counted first, whatever the outcome) and checks
/// `code` and the signed content's hash against it; if both hold, uses the code up. All inside
/// `tx`, the transaction that stores what the code signs: on a failure the caller commits it all
/// the same, so that the try stays counted. The counting `UPDATE` locks the code's row, so
/// parallel tries of one code queue and none of them is checked beyond [`OTP_MAX_ATTEMPTS`].
pub async fn check_and_use(
    tx: &mut Transaction<'_, Any>,
    phone: &str,
    code: &str,
    content_hash: &str,
    now: DateTime<Utc>,
) -> Result<Result<(), OtpFailure>, StoreError> {
    // The count is the first statement, so that SQLite takes its write lock before reading.
    let took = sqlx::query(
        "UPDATE otp_codes SET attempts = attempts + 1 WHERE id = (SELECT id FROM otp_codes WHERE phone = $1 ORDER BY created_at DESC LIMIT 1) \
         AND used = 0 AND attempts < $2 AND expires_at > $3",
    )
    .bind(phone)
    .bind(OTP_MAX_ATTEMPTS)
    .bind(stored(now))
    .execute(&mut **tx)
    .await?;
    let row = sqlx::query("SELECT id, code_hash, used, expires_at, content_hash FROM otp_codes WHERE phone = $1 ORDER BY created_at DESC LIMIT 1")
        .bind(phone)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(Err(OtpFailure::Invalid)) };
    if row.try_get::<i64, _>("used")? != 0 {
        return Ok(Err(OtpFailure::Invalid));
    }
    if parse_stored(&row.try_get::<String, _>("expires_at")?).is_none_or(|e| e <= now) {
        return Ok(Err(OtpFailure::Expired));
    }
    if took.rows_affected() != 1 {
        return Ok(Err(OtpFailure::TooManyAttempts));
    }
    if !hashes_equal(&row.try_get::<String, _>("code_hash")?, &sha256_hex(format!("{phone}:{code}"))) {
        return Ok(Err(OtpFailure::Invalid));
    }
    if row.try_get::<Option<String>, _>("content_hash")?.is_some_and(|bound| !hashes_equal(&bound, content_hash)) {
        return Ok(Err(OtpFailure::OtherContent));
    }
    sqlx::query("UPDATE otp_codes SET used = 1 WHERE id = $1").bind(row.try_get::<String, _>("id")?).execute(&mut **tx).await?;
    Ok(Ok(()))
}

/// The development outbox of one phone, newest first.
pub async fn dev_outbox(pool: &AnyPool, phone: &str) -> Result<Vec<DevSms>, StoreError> {
    let rows =
        sqlx::query("SELECT phone, text, code, created_at FROM sms_outbox WHERE phone = $1 ORDER BY created_at DESC").bind(phone).fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            Ok(DevSms {
                phone: r.try_get("phone")?,
                text: r.try_get("text")?,
                code: r.try_get("code")?,
                sent_at: parse_stored(&r.try_get::<String, _>("created_at")?).ok_or_else(|| StoreError::unreadable("stored time"))?,
            })
        })
        .collect()
}
