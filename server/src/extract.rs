//! Extractors: the caller's language, JSON bodies, query strings and path parameters with
//! problem-shaped rejections, and the
//! `Idempotency-Key` header.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;
use telnuska_shared::i18n::Lang;

use crate::error::{request_lang, ApiError};

/// Longest idempotency key (API.md).
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 100;

/// The caller's language.
#[derive(Debug, Clone, Copy)]
pub struct RequestLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for RequestLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(request_lang(&parts.headers)))
    }
}

/// A JSON body whose every rejection is a problem response (400, or 413 when too large).
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Self(value)),
            Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(ApiError::TooLarge),
            Err(JsonRejection::JsonDataError(e)) => Err(ApiError::Malformed(e.body_text())),
            Err(rejection) => Err(ApiError::Malformed(rejection.body_text())),
        }
    }
}

/// A query string whose rejection (a missing parameter, a wrong type) is a problem response (400)
/// like a malformed body's, never axum's plain-text answer.
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::Malformed(rejection.body_text())),
        }
    }
}

/// Path parameters whose rejection (bytes that are not UTF-8 once percent-decoded) is a problem
/// response (400).
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::Malformed(rejection.body_text())),
        }
    }
}

/// The optional `Idempotency-Key` header, 1–100 visible ASCII characters. A key replays an
/// answer, so it is a secret of its caller: its `Debug` (and so every log line) leaves it out.
#[derive(Clone)]
pub struct IdempotencyKey(pub Option<String>);

impl std::fmt::Debug for IdempotencyKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() { "IdempotencyKey(<redacted>)" } else { "IdempotencyKey(None)" })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get("idempotency-key") else { return Ok(Self(None)) };
        let key = value.to_str().map_err(|_| ApiError::BadIdempotencyKey)?;
        if key.is_empty() || key.len() > MAX_IDEMPOTENCY_KEY_CHARS || !key.chars().all(|c| c.is_ascii_graphic()) {
            return Err(ApiError::BadIdempotencyKey);
        }
        Ok(Self(Some(key.to_string())))
    }
}

/// The bearer token of `Authorization`, if any.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty())
}

/// The caller's address: the TCP peer, or with `TELNUSKA_TRUST_PROXY=1` (behind a load balancer)
/// the `X-Forwarded-For` entry the outermost trusted proxy wrote: `TELNUSKA_TRUSTED_HOPS` entries
/// from the right (1, the right-most, by default). The entries left of it are whatever the client
/// sent, so taking the left-most would let a client rotate it past every per-address limit.
#[derive(Debug, Clone)]
pub struct ClientIp(pub String);

/// The client's address in an `X-Forwarded-For` value appended to by `hops` trusted proxies.
/// With fewer entries than hops (a request that bypassed a proxy), the left-most one.
pub fn forwarded_client(header: &str, hops: usize) -> Option<&str> {
    let entries: Vec<&str> = header.split(',').map(str::trim).collect();
    let index = entries.len().saturating_sub(hops.max(1));
    entries.get(index).copied().filter(|ip| !ip.is_empty())
}

impl FromRequestParts<crate::state::AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &crate::state::AppState) -> Result<Self, Self::Rejection> {
        if state.config.trust_proxy {
            // Several headers are one list, in order (RFC 9110 5.3).
            let joined = parts.headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect::<Vec<_>>().join(",");
            if let Some(ip) = forwarded_client(&joined, state.config.trusted_hops) {
                return Ok(Self(ip.to_string()));
            }
        }
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip().to_string());
        Ok(Self(peer.unwrap_or_else(|| "unknown".into())))
    }
}

#[cfg(test)]
mod tests {
    use super::forwarded_client;

    #[test]
    fn the_client_is_the_entry_the_trusted_proxy_wrote() {
        assert_eq!(forwarded_client("203.0.113.7", 1), Some("203.0.113.7"));
        assert_eq!(forwarded_client("1.1.1.1, 2.2.2.2, 203.0.113.7", 1), Some("203.0.113.7"));
        assert_eq!(forwarded_client("1.1.1.1, 203.0.113.7, 10.0.0.2", 2), Some("203.0.113.7"));
        assert_eq!(forwarded_client("203.0.113.7", 2), Some("203.0.113.7"));
        assert_eq!(forwarded_client("", 1), None);
    }
}
