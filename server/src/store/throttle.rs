//! Limits on guessing: failed sign-ins per login and per address, SMS codes per address.

use chrono::{DateTime, Duration, Utc};
use sqlx::AnyPool;

use crate::clock::stored;
use crate::error::ApiError;

/// The window over which failures are counted.
pub const LOGIN_WINDOW_MINUTES: i64 = 15;
/// Failed sign-ins allowed per login in the window (then the login waits, whoever tries).
pub const LOGIN_FAILURES_PER_LOGIN: i64 = 5;
/// Failed sign-ins allowed per address in the window (one machine guessing many logins).
pub const LOGIN_FAILURES_PER_IP: i64 = 20;
/// SMS codes one address may ask for per hour (a ЦОН hall shares one address: kept generous).
pub const OTP_PER_IP_PER_HOUR: i64 = 30;

async fn count(pool: &AnyPool, sql: &str, key: &str, since: DateTime<Utc>) -> Result<i64, ApiError> {
    Ok(sqlx::query_scalar(sql).bind(key).bind(stored(since)).fetch_one(pool).await?)
}

/// Refuses a sign-in while too many recent ones failed for this login or from this address.
pub async fn check_login(pool: &AnyPool, login: &str, ip: &str, now: DateTime<Utc>) -> Result<(), ApiError> {
    let since = now - Duration::minutes(LOGIN_WINDOW_MINUTES);
    let by_login = count(pool, "SELECT COUNT(*) FROM login_attempts WHERE login = $1 AND at > $2 AND success = 0", login, since).await?;
    let by_ip = count(pool, "SELECT COUNT(*) FROM login_attempts WHERE ip = $1 AND at > $2 AND success = 0", ip, since).await?;
    if by_login >= LOGIN_FAILURES_PER_LOGIN || by_ip >= LOGIN_FAILURES_PER_IP {
        return Err(ApiError::RateLimited { retry_after_secs: (LOGIN_WINDOW_MINUTES * 60) as u64 });
    }
    Ok(())
}

/// Records a sign-in attempt.
pub async fn record_login(pool: &AnyPool, login: &str, ip: &str, success: bool, now: DateTime<Utc>) -> Result<(), ApiError> {
    sqlx::query("INSERT INTO login_attempts (login, ip, at, success) VALUES ($1, $2, $3, $4)")
        .bind(login)
        .bind(ip)
        .bind(stored(now))
        .bind(i64::from(success))
        .execute(pool)
        .await?;
    Ok(())
}

/// Refuses an SMS code when this address asked for too many in the last hour.
pub async fn check_otp_ip(pool: &AnyPool, ip: &str, now: DateTime<Utc>) -> Result<(), ApiError> {
    let n = count(pool, "SELECT COUNT(*) FROM otp_codes WHERE ip = $1 AND created_at > $2", ip, now - Duration::hours(1)).await?;
    if n >= OTP_PER_IP_PER_HOUR {
        return Err(ApiError::RateLimited { retry_after_secs: 3600 });
    }
    Ok(())
}
