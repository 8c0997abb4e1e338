//! The one mapping from failures to HTTP problem responses (API.md, "Errors").
//!
//! Handlers return [`ApiError`]; its `IntoResponse` only parks the error in the response, and
//! [`render_problems`] — which knows the caller's language — turns it into the localised body.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use telnuska_shared::api::{Problem, ProblemFieldError};
use telnuska_shared::i18n::{error_message, field_message, Lang};
use telnuska_shared::FieldError;
use thiserror::Error;

use crate::extract::request_lang;

/// Every way a request can fail.
#[derive(Debug, Error)]
pub enum ApiError {
    /// Malformed JSON, wrong types or unknown fields (400).
    #[error("malformed request: {0}")]
    Malformed(String),
    /// A bad `Idempotency-Key` header (400).
    #[error("bad idempotency key")]
    BadIdempotencyKey,
    /// No credentials (401).
    #[error("authentication required")]
    Unauthenticated,
    /// Wrong credentials or an expired session (401).
    #[error("invalid credentials")]
    InvalidCredentials,
    /// A kiosk's token is unknown or revoked (401).
    #[error("kiosk token refused")]
    KioskRefused,
    /// Wrong role or another person's application (403).
    #[error("forbidden")]
    Forbidden,
    /// Unknown id or path (404).
    #[error("not found")]
    NotFound,
    /// Same idempotency key, different body (409).
    #[error("idempotency key reused with a different body")]
    IdempotencyConflict,
    /// An action the workflow does not allow now (409), with the workflow's code.
    #[error("workflow: {0}")]
    Workflow(&'static str),
    /// A refusal explained with the facts of the moment (409): the text of `error.<code>` with
    /// each `{name}` of `args` filled in (a value `@key` is the catalogue's text of `key`, in the
    /// caller's language), and the application's fresh state as `current`.
    #[error("{code}")]
    Explained {
        /// Stable code.
        code: &'static str,
        /// Placeholders of the text and their values.
        args: Vec<(&'static str, String)>,
        /// The fresh state, when the caller should see it.
        current: Option<Box<serde_json::Value>>,
    },
    /// Body over the limit (413).
    #[error("request too large")]
    TooLarge,
    /// The body did not arrive within the read timeout (408).
    #[error("request body not received in time")]
    RequestTimeout,
    /// Validation failed (422): every failure at once.
    #[error("validation failed: {0:?}")]
    Validation(Vec<FieldError>),
    /// Too many requests (429).
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited {
        /// Seconds until a retry may succeed.
        retry_after_secs: u64,
    },
    /// A service the request depends on did not answer (503), with its code.
    #[error("unavailable: {0}")]
    Unavailable(&'static str),
    /// A database failure (500; details are logged, never sent).
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Any other server fault (500).
    #[error("internal: {0}")]
    Internal(String),
}

impl ApiError {
    fn status(&self) -> StatusCode {
        match self {
            Self::Malformed(_) | Self::BadIdempotencyKey => StatusCode::BAD_REQUEST,
            Self::Unauthenticated | Self::InvalidCredentials | Self::KioskRefused => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::IdempotencyConflict | Self::Workflow(_) | Self::Explained { .. } => StatusCode::CONFLICT,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code of the whole problem.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "request.malformed",
            Self::BadIdempotencyKey => "request.idempotency_key",
            Self::Unauthenticated => "auth.required",
            Self::InvalidCredentials => "auth.invalid",
            Self::KioskRefused => "kiosk.token_invalid",
            Self::Forbidden => "auth.forbidden",
            Self::NotFound => "not_found",
            Self::IdempotencyConflict => "idempotency.conflict",
            Self::Workflow(code) | Self::Unavailable(code) | Self::Explained { code, .. } => code,
            Self::TooLarge => "request.too_large",
            Self::RequestTimeout => "request.timeout",
            Self::Validation(_) => "validation.failed",
            Self::RateLimited { .. } => "rate_limited",
            Self::Database(_) | Self::Internal(_) => "internal",
        }
    }

    /// The localised problem body.
    pub fn problem(&self, lang: Lang) -> Problem {
        let code = self.code();
        let errors = match self {
            Self::Validation(errors) => localise(errors, lang),
            _ => Vec::new(),
        };
        let title = match self {
            Self::Explained { args, .. } => args.iter().fold(error_message(lang, code).to_string(), |text, (name, value)| {
                let value = value.strip_prefix('@').map_or(value.as_str(), |key| telnuska_shared::i18n::t(lang, key));
                text.replace(&format!("{{{name}}}"), value)
            }),
            _ => error_message(lang, code).to_string(),
        };
        Problem {
            kind: format!("https://telnuska.kz/problems/{}", code.replace('.', "-")),
            title,
            status: self.status().as_u16(),
            code: code.to_string(),
            errors,
        }
    }

    /// The full response in `lang`.
    pub fn render(&self, lang: Lang) -> Response {
        if matches!(self, Self::Database(_) | Self::Internal(_)) {
            tracing::error!(error = %self, "request failed");
        }
        let body = match self {
            Self::Explained { current: Some(current), .. } => {
                let mut problem = serde_json::to_value(self.problem(lang)).unwrap_or_default();
                problem["current"] = (**current).clone();
                serde_json::to_vec(&problem)
            }
            _ => serde_json::to_vec(&self.problem(lang)),
        }
        .unwrap_or_default();
        let mut response = (self.status(), body).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Self::RateLimited { retry_after_secs } = self {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(*retry_after_secs));
        }
        response
    }
}

/// Field errors with their messages in `lang`.
pub fn localise(errors: &[FieldError], lang: Lang) -> Vec<ProblemFieldError> {
    errors
        .iter()
        .map(|e| ProblemFieldError { field: e.field.clone(), code: e.code.to_string(), message: field_message(lang, &e.field, e.code).to_string() })
        .collect()
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = self.status().into_response();
        response.extensions_mut().insert(Arc::new(self));
        response
    }
}

/// Renders parked errors in the caller's language (the middleware half of [`ApiError`]).
pub async fn render_problems(request: Request, next: Next) -> Response {
    let lang = request_lang(request.headers());
    let mut response = next.run(request).await;
    match response.extensions_mut().remove::<Arc<ApiError>>() {
        Some(error) => error.render(lang),
        None => response,
    }
}
