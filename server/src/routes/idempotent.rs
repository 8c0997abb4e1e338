//! The HTTP side of idempotency, shared by every mutating handler: answer a finished repeat
//! from the store, claim the key inside the handler's transaction so that concurrent repeats
//! queue behind the first, and record the answer in that same transaction.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use sqlx::{Any, AnyPool, Transaction};

use crate::error::ApiError;
use crate::store::idempotency::{self, Lookup, StoredResponse};

/// A JSON response from an already serialised body.
pub fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

fn replay(stored: StoredResponse) -> Response {
    let mut response = json_response(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK), stored.body);
    response.headers_mut().insert("idempotent-replay", HeaderValue::from_static("true"));
    response
}

/// One request's idempotency: where its key lives, the key (if sent) and its body's hash.
pub struct Idempotent<'a> {
    scope: &'a str,
    key: Option<&'a str>,
    request_hash: String,
}

impl<'a> Idempotent<'a> {
    /// A request of `scope` with an optional key and the hash of what it asks.
    pub fn new(scope: &'a str, key: Option<&'a str>, request_hash: String) -> Self {
        Self { scope, key, request_hash }
    }

    /// The first answer, if a request with this key and body already finished (409 if the body
    /// differs).
    pub async fn earlier_answer(&self, pool: &AnyPool) -> Result<Option<Response>, ApiError> {
        let Some(key) = self.key else { return Ok(None) };
        match idempotency::lookup(pool, self.scope, key, &self.request_hash).await? {
            Lookup::Replay(stored) => Ok(Some(replay(stored))),
            Lookup::Fresh => Ok(None),
        }
    }

    /// Claims the key as the first write of `tx`; if a concurrent request took it first, its
    /// answer, read in `tx` itself (the caller then drops `tx`, which rolls back).
    pub async fn claim(&self, tx: &mut Transaction<'_, Any>, now: DateTime<Utc>) -> Result<Option<Response>, ApiError> {
        let Some(key) = self.key else { return Ok(None) };
        if idempotency::claim(tx, self.scope, key, &self.request_hash, now).await? {
            return Ok(None);
        }
        match idempotency::lookup_in(tx, self.scope, key, &self.request_hash).await? {
            Lookup::Replay(stored) => Ok(Some(replay(stored))),
            Lookup::Fresh => Err(ApiError::Internal("idempotency key vanished".into())),
        }
    }

    /// Records the answer under the key in `tx` and returns it as the response.
    pub async fn answer(&self, tx: &mut Transaction<'_, Any>, status: StatusCode, body: String) -> Result<Response, ApiError> {
        if let Some(key) = self.key {
            idempotency::record(tx, self.scope, key, &StoredResponse { status: status.as_u16(), body: body.clone() }).await?;
        }
        Ok(json_response(status, body))
    }
}
