//! Idempotency keys: a mutating request with a key is applied once; a repeat gets the first
//! response, a different body under the same key gets 409. Keys live in a scope that names the
//! caller (see `routes::idempotent`), and answers are kept [`IDEMPOTENCY_TTL_DAYS`] days.

use chrono::{DateTime, Duration, Utc};
use sqlx::{Any, AnyConnection, AnyPool, Row, Transaction};

use super::batch::Batch;
use super::StoreError;
use crate::clock::{parse_stored, stored};

/// How long an answer stays replayable: a day longer than a field device may hold an application
/// it accepted offline (`accepted_at` up to 30 days old), so that no retry of a stored request
/// can ever create it twice. The job removes older keys; until then they count as unused.
pub const IDEMPOTENCY_TTL_DAYS: i64 = 31;

/// Keys claimed before this instant have expired.
pub fn expiry_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::days(IDEMPOTENCY_TTL_DAYS)
}

/// A response recorded under a key.
#[derive(Debug, Clone)]
pub struct StoredResponse {
    /// HTTP status.
    pub status: u16,
    /// JSON body.
    pub body: String,
}

/// What a key already holds.
pub enum Lookup {
    /// Never used.
    Fresh,
    /// Used with this same body: replay.
    Replay(StoredResponse),
}

/// Looks a key up outside any transaction.
pub async fn lookup(pool: &AnyPool, scope: &str, key: &str, request_hash: &str, now: DateTime<Utc>) -> Result<Lookup, StoreError> {
    let mut conn = pool.acquire().await?;
    lookup_in(&mut conn, scope, key, request_hash, now).await
}

/// Looks a key up on a given connection: inside the transaction whose claim just failed, so
/// that a burst of identical requests never needs a second connection each (which would drain
/// the pool while every holder waits for one more).
pub async fn lookup_in(conn: &mut AnyConnection, scope: &str, key: &str, request_hash: &str, now: DateTime<Utc>) -> Result<Lookup, StoreError> {
    let row = sqlx::query("SELECT request_hash, status, response, created_at FROM idempotency_keys WHERE scope = $1 AND key = $2")
        .bind(scope)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    let expired = |row: &sqlx::any::AnyRow| row.try_get::<String, _>("created_at").ok().and_then(|t| parse_stored(&t)).is_none_or(|t| t < expiry_cutoff(now));
    match row {
        None => Ok(Lookup::Fresh),
        Some(row) if expired(&row) => Ok(Lookup::Fresh),
        Some(row) if row.try_get::<String, _>("request_hash")? == request_hash => {
            Ok(Lookup::Replay(StoredResponse { status: u16::try_from(row.try_get::<i64, _>("status")?).unwrap_or(500), body: row.try_get("response")? }))
        }
        Some(_) => Err(StoreError::IdempotencyConflict),
    }
}

/// Claims a key as the first write of `tx`, so identical concurrent requests queue behind it (an
/// expired key is claimed afresh). Returns false if another request already holds the key (then
/// roll back and [`lookup`]).
pub async fn claim(tx: &mut Transaction<'_, Any>, scope: &str, key: &str, request_hash: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "INSERT INTO idempotency_keys (scope, key, request_hash, status, response, created_at) VALUES ($1, $2, $3, 0, '', $4) \
         ON CONFLICT (scope, key) DO UPDATE SET request_hash = excluded.request_hash, status = 0, response = '', created_at = excluded.created_at \
         WHERE idempotency_keys.created_at < $5",
    )
    .bind(scope)
    .bind(key)
    .bind(request_hash)
    .bind(stored(now))
    .bind(stored(expiry_cutoff(now)))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Gives up a key claimed in `tx`, which is then committed for other reasons.
pub async fn release(tx: &mut Transaction<'_, Any>, scope: &str, key: &str) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status = 0").bind(scope).bind(key).execute(&mut **tx).await?;
    Ok(())
}

/// Records the response of a claimed key with the work it answers (in its transaction, among
/// its `writes`).
pub fn record(writes: &mut Batch, scope: &str, key: &str, response: &StoredResponse) {
    writes
        .statement("UPDATE idempotency_keys SET status = ")
        .push_bind(i64::from(response.status))
        .push(", response = ")
        .push_bind(response.body.clone())
        .push(" WHERE scope = ")
        .push_bind(scope.to_owned())
        .push(" AND key = ")
        .push_bind(key.to_owned());
}

/// Removes keys older than [`IDEMPOTENCY_TTL_DAYS`] (the job's retention pass).
pub async fn delete_expired(conn: &mut AnyConnection, now: DateTime<Utc>) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1").bind(stored(expiry_cutoff(now))).execute(conn).await?.rows_affected())
}
