//! `POST /api/otp` sends a one-time code; `GET /api/dev/sms` shows the demo outbox.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::Duration;
use serde::Deserialize;
use serde_json::json;
use telnuska_shared::api::{DevSms, OtpRequest};
use telnuska_shared::error::ErrorCode;
use telnuska_shared::i18n::t;
use telnuska_shared::phone::Phone;
use telnuska_shared::FieldError;

use crate::error::ApiError;
use crate::extract::{ApiJson, ClientIp, RequestLang};
use crate::secrets::new_otp_code;
use crate::state::AppState;
use crate::store::{otp, throttle};

pub fn router() -> Router<AppState> {
    Router::new().route("/api/otp", post(send_otp)).route("/api/dev/sms", get(list_dev_sms))
}

#[tracing::instrument(skip(state, body))]
async fn send_otp(State(state): State<AppState>, RequestLang(lang): RequestLang, ClientIp(ip): ClientIp, ApiJson(body): ApiJson<OtpRequest>) -> Result<(StatusCode, Json<serde_json::Value>), ApiError> {
    let phone = Phone::parse(&body.phone).map_err(|e| ApiError::Validation(vec![FieldError::new("phone", e.code())]))?;
    let now = state.clock.now();
    if let Some(retry_after_secs) = otp::resend_wait(&state.pool, phone.as_ref(), now).await? {
        return Err(ApiError::RateLimited { retry_after_secs });
    }
    throttle::check_otp_ip(&state.pool, &ip, now).await?;
    let code = new_otp_code();
    let text = t(lang, "sms.otp").replace("{code}", &code);
    otp::issue(&state.pool, phone.as_ref(), &ip, &code, &text, now).await?;
    let expires_at = now + Duration::minutes(otp::OTP_TTL_MINUTES);
    Ok((StatusCode::ACCEPTED, Json(json!({ "phone": phone.as_ref(), "expires_at": expires_at }))))
}

#[derive(Debug, Deserialize)]
struct DevSmsQuery {
    phone: String,
}

async fn list_dev_sms(State(state): State<AppState>, Query(q): Query<DevSmsQuery>) -> Result<Json<Vec<DevSms>>, ApiError> {
    if !state.config.demo {
        return Err(ApiError::NotFound);
    }
    let phone = Phone::parse(&q.phone).map_err(|e| ApiError::Validation(vec![FieldError::new("phone", e.code())]))?;
    Ok(Json(otp::dev_outbox(&state.pool, phone.as_ref()).await?))
}
