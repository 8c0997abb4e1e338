//! Limits on guessing passwords: growing delays per (login, address); and on anonymous uploads:
//! bytes per hour per address and in total ([`count_upload`]).
//!
//! Delays are per pair, so that an attacker's failures from one address never lock the account's
//! owner out from another one (nor a whole ЦОН hall, which shares one address, out of every
//! account). Each attempt is written first, as a failure until it succeeds, and the delay is
//! decided after, from what is written: parallel attempts count each other, so no burst gets more
//! checks than a sequence would.

use chrono::{DateTime, Duration, Utc};
use sqlx::{AnyConnection, AnyPool};

use super::writes::WriteGate;
use super::StoreError;
use crate::clock::{parse_stored, stored};

/// The window over which failures are counted.
pub const LOGIN_WINDOW_MINUTES: i64 = 60;
/// Failed sign-ins per (login, address) with no delay (typing slips).
pub const LOGIN_FREE_FAILURES: i64 = 3;
/// The longest delay between two attempts of one (login, address).
pub const LOGIN_MAX_DELAY_SECONDS: i64 = 15 * 60;

/// `success` of an attempt not yet decided (counts as a failure meanwhile), of a failed one, of a
/// successful one, and of one refused for coming too early (not a failure, but it restarts the wait).
const PENDING: i64 = 0;
const SUCCEEDED: i64 = 1;
const THROTTLED: i64 = 2;

/// The wait after `failures` failures in a row: none before [`LOGIN_FREE_FAILURES`] failures,
/// then 1, 2, 4 … seconds up to [`LOGIN_MAX_DELAY_SECONDS`].
pub fn delay_after(failures: i64) -> Duration {
    let over = failures - LOGIN_FREE_FAILURES;
    if over < 0 {
        return Duration::zero();
    }
    Duration::seconds((1_i64 << over.min(20)).min(LOGIN_MAX_DELAY_SECONDS))
}

/// One recorded sign-in attempt.
pub struct Attempt {
    id: String,
}

/// Records an attempt of `login` from `ip` and decides whether it may be checked now: refused
/// (429) while the delay its pair's earlier failures earned has not passed since the last attempt.
pub async fn begin_login(pool: &AnyPool, writes: &WriteGate, login: &str, ip: &str, now: DateTime<Utc>) -> Result<Attempt, StoreError> {
    let id = uuid::Uuid::new_v4().to_string();
    let mut written = writes.autocommit(pool).await?;
    sqlx::query("INSERT INTO login_attempts (id, login, ip, at, success) VALUES ($1, $2, $3, $4, $5)")
        .bind(&id)
        .bind(login)
        .bind(ip)
        .bind(stored(now))
        .bind(PENDING)
        .execute(written.conn())
        .await?;
    let last_success: Option<String> = sqlx::query_scalar("SELECT MAX(at) FROM login_attempts WHERE login = $1 AND ip = $2 AND success = $3")
        .bind(login)
        .bind(ip)
        .bind(SUCCEEDED)
        .fetch_one(written.conn())
        .await?;
    let window = stored(now - Duration::minutes(LOGIN_WINDOW_MINUTES));
    let since = last_success.filter(|s| *s > window).unwrap_or(window);
    // Failures before this attempt, and the attempts still undecided beside it, this one included.
    let failures: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM login_attempts WHERE login = $1 AND ip = $2 AND at >= $3 AND success = $4")
        .bind(login)
        .bind(ip)
        .bind(&since)
        .bind(PENDING)
        .fetch_one(written.conn())
        .await?;
    let previous: Option<String> =
        sqlx::query_scalar("SELECT MAX(at) FROM login_attempts WHERE login = $1 AND ip = $2 AND at >= $3 AND success <> $4 AND id <> $5")
            .bind(login)
            .bind(ip)
            .bind(&since)
            .bind(SUCCEEDED)
            .bind(&id)
            .fetch_one(written.conn())
            .await?;
    let wait = delay_after(failures - 1);
    let waited = previous.as_deref().and_then(parse_stored).map_or(wait, |p| now - p);
    if waited < wait {
        sqlx::query("UPDATE login_attempts SET success = $1 WHERE id = $2").bind(THROTTLED).bind(&id).execute(written.conn()).await?;
        written.finish().await?;
        return Err(StoreError::RateLimited { retry_after_secs: (wait - waited).num_seconds().max(1) as u64 });
    }
    written.finish().await?;
    Ok(Attempt { id })
}

/// Records how the checked attempt ended (a failure stays as written).
pub async fn finish_login(pool: &AnyPool, writes: &WriteGate, attempt: Attempt, success: bool) -> Result<(), StoreError> {
    if success {
        let mut written = writes.autocommit(pool).await?;
        sqlx::query("UPDATE login_attempts SET success = $1 WHERE id = $2").bind(SUCCEEDED).bind(&attempt.id).execute(written.conn()).await?;
        written.finish().await?;
    }
    Ok(())
}

/// Removes attempts older than `days` days (the job's retention pass).
pub async fn delete_older_than(conn: &mut AnyConnection, now: DateTime<Utc>, days: i64) -> Result<u64, sqlx::Error> {
    let cutoff = stored(now - Duration::days(days));
    Ok(sqlx::query("DELETE FROM login_attempts WHERE at < $1").bind(cutoff).execute(conn).await?.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_grow_after_the_free_failures_and_stop_growing_at_the_cap() {
        let secs = |n| delay_after(n).num_seconds();
        assert_eq!((secs(0), secs(LOGIN_FREE_FAILURES - 1)), (0, 0));
        assert_eq!((secs(LOGIN_FREE_FAILURES), secs(LOGIN_FREE_FAILURES + 1), secs(LOGIN_FREE_FAILURES + 2)), (1, 2, 4));
        assert_eq!(secs(LOGIN_FREE_FAILURES + 40), LOGIN_MAX_DELAY_SECONDS);
    }
}

/// How many bytes anonymous callers may upload in an hour: from one address, and from all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadQuota {
    /// From one address (`TELNUSKA_UPLOAD_BYTES_PER_ADDRESS_HOUR`).
    pub per_address: u64,
    /// From every address together (`TELNUSKA_UPLOAD_BYTES_PER_HOUR`).
    pub total: u64,
}

/// Records an anonymous upload of `bytes` from `ip` and checks it against `quota` over the last
/// hour, this one included (written first, so that uploads racing each other all count); one
/// over the quota is taken back out and refused with 429 and the wait until the hour frees room.
pub async fn count_upload(pool: &AnyPool, writes: &WriteGate, ip: &str, bytes: u64, quota: UploadQuota, now: DateTime<Utc>) -> Result<(), StoreError> {
    let id = uuid::Uuid::new_v4().to_string();
    let size = i64::try_from(bytes).unwrap_or(i64::MAX);
    let mut written = writes.autocommit(pool).await?;
    sqlx::query("INSERT INTO upload_quota (id, ip, bytes, at) VALUES ($1, $2, $3, $4)")
        .bind(&id)
        .bind(ip)
        .bind(size)
        .bind(stored(now))
        .execute(written.conn())
        .await?;
    let since = stored(now - Duration::hours(1));
    let (from_ip, oldest_ip): (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT CAST(SUM(bytes) AS BIGINT), MIN(at) FROM upload_quota WHERE ip = $1 AND at >= $2")
            .bind(ip)
            .bind(&since)
            .fetch_one(written.conn())
            .await?;
    let (from_all, oldest_all): (Option<i64>, Option<String>) =
        sqlx::query_as("SELECT CAST(SUM(bytes) AS BIGINT), MIN(at) FROM upload_quota WHERE at >= $1").bind(&since).fetch_one(written.conn()).await?;
    let over = |sum: Option<i64>, limit: u64| u64::try_from(sum.unwrap_or(0)).unwrap_or(0) > limit;
    let oldest = if over(from_ip, quota.per_address) {
        oldest_ip
    } else if over(from_all, quota.total) {
        oldest_all
    } else {
        return Ok(written.finish().await?);
    };
    sqlx::query("DELETE FROM upload_quota WHERE id = $1").bind(&id).execute(written.conn()).await?;
    written.finish().await?;
    let frees_at = oldest.as_deref().and_then(parse_stored).map_or(now + Duration::hours(1), |at| at + Duration::hours(1));
    Err(StoreError::RateLimited { retry_after_secs: (frees_at - now).num_seconds().max(1) as u64 })
}

/// Removes upload records older than the hour they count in (the job's retention pass).
pub async fn delete_old_uploads(conn: &mut AnyConnection, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM upload_quota WHERE at < $1")
        .bind(stored(now - Duration::hours(UPLOAD_QUOTA_RETENTION_HOURS)))
        .execute(conn)
        .await?
        .rows_affected())
}

/// Upload records are kept a day (their quota counts an hour).
pub const UPLOAD_QUOTA_RETENTION_HOURS: i64 = 24;
