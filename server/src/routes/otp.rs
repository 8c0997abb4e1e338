//! `POST /api/otp` sends a one-time code; `GET /api/dev/sms` shows the demo outbox.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::Duration;
use serde::Deserialize;
use telnuska_shared::api::{DevSms, OtpRequest};
use telnuska_shared::error::ErrorCode;
use telnuska_shared::i18n::t;
use telnuska_shared::phone::Phone;
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiQuery, ClientIp, RequestLang};
use crate::secrets::new_otp_code;
use crate::state::AppState;
use crate::store::otp;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(send_otp)).routes(routes!(list_dev_sms))
}

#[tracing::instrument(skip(state, body))]
#[utoipa::path(post, path = "/api/otp", tag = "applying", request_body = telnuska_shared::api::OtpRequest,
    responses((status = 202, description = "A 6-digit code was sent, valid 5 minutes, 5 tries. With `content_sha256` (the SHA-256 of the answers' signed content) \
        it signs only those answers; without it, any answers whose applicant's phone is this phone", body = OtpSent), (status = 422, body = telnuska_shared::api::Problem),
              (status = 429, description = "Too many codes for this phone or address; see Retry-After", body = telnuska_shared::api::Problem)))]
async fn send_otp(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<OtpRequest>,
) -> Result<(StatusCode, Json<OtpSent>), ApiError> {
    let phone = Phone::parse(&body.phone).map_err(|e| ApiError::Validation(vec![FieldError::new("phone", e.code())]))?;
    let content_hash = body.content_sha256.as_deref().map(str::trim).map(str::to_ascii_lowercase);
    if content_hash.as_deref().is_some_and(|h| h.len() != 64 || !h.bytes().all(|b| b.is_ascii_hexdigit())) {
        return Err(ApiError::Validation(vec![FieldError::new("content_sha256", "otp.content_hash")]));
    }
    let now = state.clock.now();
    let code = new_otp_code();
    let text = t(lang, "sms.otp").replace("{code}", &code);
    let new = otp::NewCode { phone: phone.as_ref(), ip: &ip, code: &code, content_hash: content_hash.as_deref(), text: &text, keep_code: state.config.demo };
    if let Err(retry_after_secs) = otp::issue(&state.pool, &state.writes, &new, now).await? {
        return Err(ApiError::RateLimited { retry_after_secs });
    }
    let expires_at = now + Duration::minutes(otp::OTP_TTL_MINUTES);
    Ok((StatusCode::ACCEPTED, Json(OtpSent { phone: phone.to_string(), expires_at })))
}

/// `202` of `POST /api/otp`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OtpSent {
    /// The phone, normalised (E.164).
    phone: String,
    /// When the code stops working.
    expires_at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct DevSmsQuery {
    phone: String,
}

#[utoipa::path(get, path = "/api/dev/sms", tag = "demo", params(DevSmsQuery),
    responses((status = 200, description = "The development SMS outbox of a phone, newest first (demo mode only)", body = [telnuska_shared::api::DevSms]), (status = 404, description = "Not in demo mode", body = telnuska_shared::api::Problem)))]
async fn list_dev_sms(State(state): State<AppState>, ApiQuery(q): ApiQuery<DevSmsQuery>) -> Result<Json<Vec<DevSms>>, ApiError> {
    if !state.config.demo {
        return Err(ApiError::NotFound);
    }
    let phone = Phone::parse(&q.phone).map_err(|e| ApiError::Validation(vec![FieldError::new("phone", e.code())]))?;
    Ok(Json(otp::dev_outbox(&state.pool, phone.as_ref()).await?))
}
