//! The HTTP side of idempotency, shared by every mutating handler: answer a finished repeat
//! from the store, claim the key inside the handler's transaction so that concurrent repeats
//! queue behind the first, and record the answer in that same transaction.
//!
//! A key belongs to its caller: the scope names the staff member (or `public` for people who
//! apply without signing in), and handlers look an answer up only after the caller passed the
//! same authorization as the first request did. A stranger who learns a key therefore gets
//! that authorization's refusal, never the stored answer.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sqlx::{Any, AnyPool, Transaction};

use crate::error::ApiError;
use crate::store::batch::Batch;
use crate::store::idempotency::{self, Lookup, StoredResponse};
use crate::store::staff::StaffMember;

/// A JSON response from an already serialised body.
pub fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// A stored answer sent again, marked as a replay.
pub fn replay(stored: StoredResponse) -> Response {
    let mut response = json_response(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK), stored.body);
    response.headers_mut().insert("idempotent-replay", HeaderValue::from_static("true"));
    response
}

/// Who a key belongs to: a staff member, or the public.
pub fn caller_of(staff: Option<&StaffMember>) -> String {
    staff.map_or_else(|| "public".to_string(), |s| format!("staff:{}", s.id))
}

/// One request's idempotency: where its key lives, the key (if sent) and its body's hash.
pub struct Idempotent<'a> {
    scope: String,
    key: Option<&'a str>,
    request_hash: String,
}

impl<'a> Idempotent<'a> {
    /// A request of `scope` by `caller` ([`caller_of`]) with an optional key and the hash of
    /// what it asks.
    pub fn new(scope: &str, caller: &str, key: Option<&'a str>, request_hash: String) -> Self {
        Self { scope: format!("{scope}|{caller}"), key, request_hash }
    }

    /// The first answer as stored, if a request with this key and body already finished (409 if
    /// the body differs). Call it only once the caller is authorized as for the first request.
    pub async fn earlier(&self, pool: &AnyPool, now: DateTime<Utc>) -> Result<Option<StoredResponse>, ApiError> {
        let Some(key) = self.key else { return Ok(None) };
        match idempotency::lookup(pool, &self.scope, key, &self.request_hash, now).await? {
            Lookup::Replay(stored) => Ok(Some(stored)),
            Lookup::Fresh => Ok(None),
        }
    }

    /// [`Idempotent::earlier`] as the response to send.
    pub async fn earlier_answer(&self, pool: &AnyPool, now: DateTime<Utc>) -> Result<Option<Response>, ApiError> {
        Ok(self.earlier(pool, now).await?.map(replay))
    }

    /// Claims the key as the first write of `tx`; if a concurrent request took it first, its
    /// stored answer, read in `tx` itself (the caller then drops `tx`, which rolls back).
    pub async fn claim_stored(&self, tx: &mut Transaction<'_, Any>, now: DateTime<Utc>) -> Result<Option<StoredResponse>, ApiError> {
        let Some(key) = self.key else { return Ok(None) };
        if idempotency::claim(tx, &self.scope, key, &self.request_hash, now).await? {
            return Ok(None);
        }
        match idempotency::lookup_in(tx, &self.scope, key, &self.request_hash, now).await? {
            Lookup::Replay(stored) => Ok(Some(stored)),
            Lookup::Fresh => Err(ApiError::internal("idempotency key vanished")),
        }
    }

    /// [`Idempotent::claim_stored`] as the response to send.
    pub async fn claim(&self, tx: &mut Transaction<'_, Any>, now: DateTime<Utc>) -> Result<Option<Response>, ApiError> {
        Ok(self.claim_stored(tx, now).await?.map(replay))
    }

    /// Gives up the key claimed in `tx` (for a refusal that must be committed all the same).
    pub async fn release(&self, tx: &mut Transaction<'_, Any>) -> Result<(), ApiError> {
        if let Some(key) = self.key {
            idempotency::release(tx, &self.scope, key).await?;
        }
        Ok(())
    }

    /// Records the answer under the key in `tx` and returns it as the response.
    pub async fn answer(&self, tx: &mut Transaction<'_, Any>, status: StatusCode, body: String) -> Result<Response, ApiError> {
        let mut writes = Batch::for_connection(tx);
        let response = self.answer_storing(&mut writes, status, body.clone(), body);
        writes.run(tx).await?;
        Ok(response)
    }

    /// Adds to `writes` the record of `stored` under the key and returns `sent`: for an answer
    /// that carries a secret the store must not keep (a tracking token), which a replay makes
    /// afresh.
    pub fn answer_storing(&self, writes: &mut Batch, status: StatusCode, stored: String, sent: String) -> Response {
        if let Some(key) = self.key {
            idempotency::record(writes, &self.scope, key, &StoredResponse { status: status.as_u16(), body: stored });
        }
        json_response(status, sent)
    }
}
