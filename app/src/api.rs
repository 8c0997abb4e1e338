//! Typed client of the HTTP contract (`shared/API.md`) for the citizen form, with gloo-net.

use gloo_net::http::{Request, Response};
use telnuska_shared::api::{CreateApplicationRequest, CreatedApplication, OtpRequest, Problem};
use telnuska_shared::i18n::Lang;

/// Why a call did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached: offline, connection dropped. The outcome is unknown.
    Network,
    /// The server answered with a problem body.
    Problem(Problem),
    /// The server (or a proxy) answered with another status and no readable problem body.
    Status(u16),
}

impl ApiError {
    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Network => None,
            ApiError::Problem(p) => Some(p.status),
            ApiError::Status(s) => Some(*s),
        }
    }
}

async fn error_of(response: Response) -> ApiError {
    let status = response.status();
    match response.json::<Problem>().await {
        Ok(problem) => ApiError::Problem(Problem { status, ..problem }),
        Err(_) => ApiError::Status(status),
    }
}

/// `POST /api/otp`: asks the server to send a one-time code by SMS to `phone`.
pub async fn send_otp(phone: &str, lang: Lang) -> Result<(), ApiError> {
    let response = Request::post("/api/otp")
        .header("Accept-Language", lang.code())
        .json(&OtpRequest { phone: phone.to_string() })
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(())
    } else {
        Err(error_of(response).await)
    }
}

/// `POST /api/applications` with the draft's `Idempotency-Key`, so that a retry after a lost
/// answer returns the first application instead of making a second one.
pub async fn create_application(
    request: &CreateApplicationRequest,
    lang: Lang,
    idempotency_key: &str,
) -> Result<CreatedApplication, ApiError> {
    let response = Request::post("/api/applications")
        .header("Accept-Language", lang.code())
        .header("Idempotency-Key", idempotency_key)
        .json(request)
        .map_err(|_| ApiError::Network)?
        .send()
        .await
        .map_err(|_| ApiError::Network)?;
    match response.status() {
        200 | 201 => response.json::<CreatedApplication>().await.map_err(|_| ApiError::Status(response.status())),
        _ => Err(error_of(response).await),
    }
}
