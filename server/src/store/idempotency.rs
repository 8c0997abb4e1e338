//! Idempotency keys: a mutating request with a key is applied once; a repeat gets the first
//! response, a different body under the same key gets 409.

use sqlx::{Any, AnyConnection, AnyPool, Row, Transaction};

use crate::clock::stored;
use crate::error::ApiError;

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
pub async fn lookup(pool: &AnyPool, scope: &str, key: &str, request_hash: &str) -> Result<Lookup, ApiError> {
    let mut conn = pool.acquire().await?;
    lookup_in(&mut conn, scope, key, request_hash).await
}

/// Looks a key up on a given connection: inside the transaction whose claim just failed, so
/// that a burst of identical requests never needs a second connection each (which would drain
/// the pool while every holder waits for one more).
pub async fn lookup_in(conn: &mut AnyConnection, scope: &str, key: &str, request_hash: &str) -> Result<Lookup, ApiError> {
    let row = sqlx::query("SELECT request_hash, status, response FROM idempotency_keys WHERE scope = $1 AND key = $2")
        .bind(scope)
        .bind(key)
        .fetch_optional(&mut *conn)
        .await?;
    match row {
        None => Ok(Lookup::Fresh),
        Some(row) if row.try_get::<String, _>("request_hash")? == request_hash => Ok(Lookup::Replay(StoredResponse {
            status: u16::try_from(row.try_get::<i64, _>("status")?).unwrap_or(500),
            body: row.try_get("response")?,
        })),
        Some(_) => Err(ApiError::IdempotencyConflict),
    }
}

/// Claims a key as the first write of `tx`, so identical concurrent requests queue behind it.
/// Returns false if another request already holds the key (then roll back and [`lookup`]).
pub async fn claim(tx: &mut Transaction<'_, Any>, scope: &str, key: &str, request_hash: &str, now: chrono::DateTime<chrono::Utc>) -> Result<bool, ApiError> {
    let done = sqlx::query(
        "INSERT INTO idempotency_keys (scope, key, request_hash, status, response, created_at) VALUES ($1, $2, $3, 0, '', $4) \
         ON CONFLICT (scope, key) DO NOTHING",
    )
    .bind(scope)
    .bind(key)
    .bind(request_hash)
    .bind(stored(now))
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Records the response of a claimed key, in the same transaction as the work it answers.
pub async fn record(tx: &mut Transaction<'_, Any>, scope: &str, key: &str, response: &StoredResponse) -> Result<(), ApiError> {
    sqlx::query("UPDATE idempotency_keys SET status = $1, response = $2 WHERE scope = $3 AND key = $4")
        .bind(i64::from(response.status))
        .bind(&response.body)
        .bind(scope)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}
