//! Staff sign-in and sign-out, and the extractor that authenticates a bearer token.

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use telnuska_shared::api::{LoginRequest, LoginResponse, Role};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{bearer_token, ApiJson, ClientIp};
use crate::state::AppState;
use crate::store::staff::{self, StaffMember};
use crate::store::throttle;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login)).routes(routes!(logout))
}

#[tracing::instrument(skip(state, body), fields(login = %body.login))]
#[utoipa::path(post, path = "/api/auth/login", tag = "staff", request_body = telnuska_shared::api::LoginRequest,
    responses((status = 200, body = telnuska_shared::api::LoginResponse), (status = 401, description = "Wrong login or password, a disabled account, or a demo account outside demo mode", body = telnuska_shared::api::Problem),
              (status = 429, description = "After 3 failures of this login from this address, each try waits 1, 2, 4 … s (up to 15 min) after the last; other addresses are not affected", body = telnuska_shared::api::Problem)))]
async fn login(State(state): State<AppState>, ClientIp(ip): ClientIp, ApiJson(body): ApiJson<LoginRequest>) -> Result<Json<LoginResponse>, ApiError> {
    let (login, now) = (body.login.trim(), state.clock.now());
    let attempt = throttle::begin_login(&state.pool, &state.writes, login, &ip, now).await?;
    let result = staff::login(&state.pool, &state.writes, login, &body.password, state.config.demo, now).await;
    throttle::finish_login(&state.pool, &state.writes, attempt, result.is_ok()).await?;
    let (token, role, expires_at) = result?;
    Ok(Json(LoginResponse { token, role, expires_at }))
}

#[utoipa::path(post, path = "/api/auth/logout", tag = "staff", security(("bearer" = [])), responses((status = 204, description = "The session is ended"), (status = 401, body = telnuska_shared::api::Problem)))]
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<StatusCode, ApiError> {
    let token = bearer_token(&headers).ok_or(ApiError::Unauthenticated)?;
    staff::logout(&state.pool, &state.writes, token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether a staff member may see an application of `institution`.
pub fn staff_may_see(staff: &StaffMember, institution: &str) -> bool {
    match staff.role {
        Role::Provider => staff.institutions.iter().any(|i| i == institution),
        Role::Operator | Role::Field | Role::Admin => true,
        Role::Applicant | Role::System => false,
    }
}

/// The staff member behind the bearer token, if the request carries a live staff session.
pub async fn staff_of(state: &AppState, headers: &HeaderMap) -> Result<Option<StaffMember>, ApiError> {
    match bearer_token(headers) {
        Some(token) => Ok(staff::by_token(&state.pool, &state.writes, token, state.config.demo, state.clock.now()).await?),
        None => Ok(None),
    }
}

/// An authenticated staff member (401 otherwise).
pub struct Staff(pub StaffMember);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        if bearer_token(&parts.headers).is_none() {
            return Err(ApiError::Unauthenticated);
        }
        staff_of(state, &parts.headers).await?.map(Staff).ok_or(ApiError::InvalidCredentials)
    }
}
