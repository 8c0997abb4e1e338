//! How long rows that serve only a moment are kept (docs/SECURITY.md, "Retention"): the job's
//! clean-up pass removes them after that, so that neither the database nor its backups pile up
//! phone numbers, addresses and answers no one needs any more.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool};

use crate::clock::stored;
use crate::store::writes::WriteGate;
use crate::store::{idempotency, staff, throttle};

/// SMS messages (sent, given up, or never sent) are kept 30 days, to answer "did I get the SMS?".
pub const SMS_RETENTION_DAYS: i64 = 30;
/// One-time codes are kept a day: long past their 5 minutes, for the per-phone hourly limit.
pub const OTP_RETENTION_HOURS: i64 = 24;
/// Sign-in attempts (login and address) are kept 30 days, to look into an attack afterwards.
pub const LOGIN_ATTEMPT_RETENTION_DAYS: i64 = 30;
/// Failed look-ups by number are kept a day (their limit counts 15 minutes).
pub const TRACK_FAILURE_RETENTION_HOURS: i64 = 24;

/// Rows removed by one pass, per table.
#[derive(Debug, Default, Clone, Copy, Serialize, utoipa::ToSchema)]
pub struct RetentionReport {
    /// `sms_outbox`.
    pub sms: u64,
    /// `otp_codes`.
    pub otp_codes: u64,
    /// `idempotency_keys` (after `store::idempotency::IDEMPOTENCY_TTL_DAYS`).
    pub idempotency_keys: u64,
    /// `sessions`, expired or idle.
    pub sessions: u64,
    /// `login_attempts`.
    pub login_attempts: u64,
    /// `track_failures`.
    pub track_failures: u64,
    /// `upload_quota`.
    pub uploads: u64,
}

/// Removes what has outlived its retention period, in one turn of the writers.
pub async fn purge(pool: &AnyPool, writes: &WriteGate, now: DateTime<Utc>) -> Result<RetentionReport, sqlx::Error> {
    async fn older(conn: &mut AnyConnection, sql: &'static str, cutoff: DateTime<Utc>) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(sql).bind(stored(cutoff)).execute(conn).await?.rows_affected())
    }
    let mut written = writes.autocommit(pool).await?;
    let conn = written.conn();
    let report = RetentionReport {
        sms: older(conn, "DELETE FROM sms_outbox WHERE created_at < $1", now - Duration::days(SMS_RETENTION_DAYS)).await?,
        otp_codes: older(conn, "DELETE FROM otp_codes WHERE created_at < $1", now - Duration::hours(OTP_RETENTION_HOURS)).await?,
        idempotency_keys: idempotency::delete_expired(conn, now).await?,
        sessions: staff::delete_dead_sessions(conn, now).await?,
        login_attempts: throttle::delete_older_than(conn, now, LOGIN_ATTEMPT_RETENTION_DAYS).await?,
        track_failures: older(conn, "DELETE FROM track_failures WHERE at < $1", now - Duration::hours(TRACK_FAILURE_RETENTION_HOURS)).await?,
        uploads: throttle::delete_old_uploads(conn, now).await?,
    };
    written.finish().await?;
    Ok(report)
}
