//! The one mapping from failures to HTTP problem responses (API.md, "Errors").
//!
//! Handlers return [`ApiError`]; its `IntoResponse` only parks the error in the response, and
//! [`render_problems`] — which knows the caller's language — turns it into the localised body.
//! Storage reports [`StoreError`]s; the one `From` below decides what each means to a caller.

use std::sync::Arc;

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use telnuska_shared::api::{Problem, ProblemFieldError};
use telnuska_shared::i18n::{error_message, field_message, Lang};
use telnuska_shared::FieldError;
use thiserror::Error;

use crate::store::{Constraint, StoreError};

/// The language of `Accept-Language`, Kazakh by default.
pub fn request_lang(headers: &HeaderMap) -> Lang {
    headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Lang::from_accept_language).unwrap_or_default()
}

/// A server fault's cause, kept for the log.
pub type Source = Box<dyn std::error::Error + Send + Sync>;

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
    /// The database refused a write for one of its integrity constraints (409 for a duplicate,
    /// 422 for a reference to nothing or a value not allowed).
    #[error("refused by a {constraint:?} constraint")]
    Constraint {
        /// Which kind of constraint.
        constraint: Constraint,
        /// The database's words (naming the constraint), for the log.
        #[source]
        source: Source,
    },
    /// A server fault (500): the cause is logged at the edge, never sent.
    #[error("internal server error")]
    Internal(#[source] Source),
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        if let Some(constraint) = error.constraint() {
            return Self::Constraint { constraint, source: Box::new(error) };
        }
        match error {
            StoreError::RateLimited { retry_after_secs } => Self::RateLimited { retry_after_secs },
            StoreError::IdempotencyConflict => Self::IdempotencyConflict,
            StoreError::InvalidCredentials => Self::InvalidCredentials,
            StoreError::IllegalTransition => Self::Workflow("workflow.illegal_transition"),
            StoreError::Database(_) | StoreError::Unreadable(_) | StoreError::Json(_) | StoreError::PasswordHash(_) | StoreError::NumbersExhausted { .. } => {
                Self::Internal(Box::new(error))
            }
        }
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> Self {
        StoreError::from(error).into()
    }
}

impl ApiError {
    /// A server fault caused by `source` (an error, or a sentence for the log).
    pub fn internal(source: impl Into<Source>) -> Self {
        Self::Internal(source.into())
    }
}

/// The status and stable code of a refused constraint.
fn constraint_status(constraint: Constraint) -> (StatusCode, &'static str) {
    match constraint {
        Constraint::Unique => (StatusCode::CONFLICT, "constraint.duplicate"),
        Constraint::ForeignKey => (StatusCode::UNPROCESSABLE_ENTITY, "constraint.reference"),
        Constraint::Check => (StatusCode::UNPROCESSABLE_ENTITY, "constraint.value"),
    }
}

/// `error` and its causes, outermost first, for the log.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
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
            Self::Constraint { constraint, .. } => constraint_status(*constraint).0,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
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
            Self::Constraint { constraint, .. } => constraint_status(*constraint).1,
            Self::Internal(_) => "internal",
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
        match self {
            Self::Internal(_) => tracing::error!(error = %chain(self), "request failed"),
            Self::Constraint { .. } => tracing::warn!(error = %chain(self), "write refused by a constraint"),
            _ => {}
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

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;
    use sqlx::Connection;
    use telnuska_shared::i18n::Lang;

    use super::ApiError;
    use crate::store::StoreError;

    /// Each refused constraint of a real (SQLite, through the same `Any` driver as the server)
    /// database answers with its own status and stable code; any other database fault is a 500
    /// that keeps its cause for the log but never shows it.
    #[tokio::test]
    async fn refused_constraints_map_to_their_status_and_other_faults_stay_internal() {
        sqlx::any::install_default_drivers();
        let mut conn = sqlx::AnyConnection::connect("sqlite::memory:").await.unwrap();
        for statement in [
            "PRAGMA foreign_keys = ON",
            "CREATE TABLE parent (id TEXT PRIMARY KEY)",
            "CREATE TABLE child (id TEXT PRIMARY KEY, parent TEXT NOT NULL REFERENCES parent (id), n INTEGER CHECK (n > 0))",
            "INSERT INTO parent (id) VALUES ('p')",
        ] {
            sqlx::query(statement).execute(&mut conn).await.unwrap();
        }
        let cases = [
            ("INSERT INTO parent (id) VALUES ('p')", StatusCode::CONFLICT, "constraint.duplicate"),
            ("INSERT INTO child (id, parent, n) VALUES ('c', 'nobody', 1)", StatusCode::UNPROCESSABLE_ENTITY, "constraint.reference"),
            ("INSERT INTO child (id, parent, n) VALUES ('c', 'p', 0)", StatusCode::UNPROCESSABLE_ENTITY, "constraint.value"),
            ("INSERT INTO child (id, parent, n) VALUES ('c', NULL, 1)", StatusCode::UNPROCESSABLE_ENTITY, "constraint.value"),
            ("SELECT * FROM no_such_table", StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        ];
        for (statement, status, code) in cases {
            let error = sqlx::query(statement).execute(&mut conn).await.expect_err(statement);
            let error = ApiError::from(StoreError::from(error));
            assert_eq!((error.status(), error.code()), (status, code), "{statement}");
            let problem = error.problem(Lang::En);
            assert!(!problem.title.contains("no_such_table") && !problem.title.contains("parent"), "{statement}: {}", problem.title);
            assert!(std::error::Error::source(&error).is_some(), "{statement}: the cause is kept for the log");
        }
    }

    #[test]
    fn storage_refusals_keep_their_meaning_at_the_edge() {
        let limited = ApiError::from(StoreError::RateLimited { retry_after_secs: 7 });
        assert!(matches!(limited, ApiError::RateLimited { retry_after_secs: 7 }));
        assert_eq!(ApiError::from(StoreError::IllegalTransition).code(), "workflow.illegal_transition");
        assert_eq!(ApiError::from(StoreError::InvalidCredentials).status(), StatusCode::UNAUTHORIZED);
        assert_eq!(ApiError::from(StoreError::IdempotencyConflict).status(), StatusCode::CONFLICT);
        let unreadable = ApiError::from(StoreError::unreadable("kiosk time"));
        assert_eq!(unreadable.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert!(super::chain(&unreadable).contains("stored kiosk time cannot be read"));
        assert!(!unreadable.problem(Lang::Ru).title.contains("kiosk"));
    }
}
