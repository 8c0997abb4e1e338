//! Self-service kiosks in ЦОН halls: an administrator registers one (its device token is shown
//! once), lists and revokes them; a kiosk checks its own token. Applications sent from a kiosk
//! carry the token in [`KIOSK_TOKEN_HEADER`] (see `applications::create_application`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};
use crate::routes::admin::require_admin;
use crate::routes::auth::Staff;
use crate::state::AppState;
use crate::store::kiosks::{self, Kiosk};

/// The header in which a kiosk sends its device token.
pub const KIOSK_TOKEN_HEADER: &str = "x-kiosk-token";

/// Longest kiosk name or branch (a label on a screen and in the admin's list).
const MAX_LABEL_CHARS: usize = 200;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(register_kiosk, list_kiosks)).routes(routes!(revoke_kiosk)).routes(routes!(get_kiosk))
}

/// The kiosk whose token the request carries: `None` without the header, 401
/// `kiosk.token_invalid` for an unknown or revoked token.
pub async fn kiosk_of(state: &AppState, headers: &HeaderMap) -> Result<Option<Kiosk>, ApiError> {
    let Some(value) = headers.get(KIOSK_TOKEN_HEADER) else { return Ok(None) };
    let token = value.to_str().map_err(|_| ApiError::KioskRefused)?.trim();
    kiosks::active_by_token(&state.pool, token).await?.map(Some).ok_or(ApiError::KioskRefused)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct NewKiosk {
    /// What the hall's staff call it, e.g. "Kiosk 2, hall A".
    name: String,
    /// The ЦОН branch or office it stands in.
    branch: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct RegisteredKiosk {
    #[serde(flatten)]
    kiosk: Kiosk,
    /// The device token, shown this once (only its hash is kept): open the kiosk at
    /// `/kiosk#token=<token>`.
    token: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct KioskList {
    items: Vec<Kiosk>,
}

/// A label as typed: trimmed, required, at most [`MAX_LABEL_CHARS`].
fn label(field: &str, text: &str, errors: &mut Vec<FieldError>) -> String {
    let text = text.trim();
    if text.is_empty() {
        errors.push(FieldError::new(field, "required"));
    } else if text.chars().count() > MAX_LABEL_CHARS || text.chars().any(char::is_control) {
        errors.push(FieldError::new(field, "place.invalid"));
    }
    text.to_string()
}

#[tracing::instrument(skip_all)]
#[utoipa::path(post, path = "/api/admin/kiosks", tag = "admin", request_body = NewKiosk, security(("bearer" = [])),
    responses((status = 201, description = "Registered; the token is shown this once", body = RegisteredKiosk), (status = 403, body = telnuska_shared::api::Problem),
              (status = 422, body = telnuska_shared::api::Problem)))]
async fn register_kiosk(
    State(state): State<AppState>,
    Staff(admin): Staff,
    ApiJson(body): ApiJson<NewKiosk>,
) -> Result<(StatusCode, Json<RegisteredKiosk>), ApiError> {
    require_admin(&admin)?;
    let mut errors = Vec::new();
    let name = label("name", &body.name, &mut errors);
    let branch = label("branch", &body.branch, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let (kiosk, token) = kiosks::register(&state.pool, &name, &branch, &admin.login, state.clock.now()).await?;
    tracing::info!(by = %admin.login, kiosk = %kiosk.id, "kiosk registered");
    Ok((StatusCode::CREATED, Json(RegisteredKiosk { kiosk, token })))
}

#[tracing::instrument(skip_all)]
#[utoipa::path(get, path = "/api/admin/kiosks", tag = "admin", security(("bearer" = [])),
    responses((status = 200, description = "Every kiosk, the newest first", body = KioskList), (status = 403, body = telnuska_shared::api::Problem)))]
async fn list_kiosks(State(state): State<AppState>, Staff(admin): Staff) -> Result<Json<KioskList>, ApiError> {
    require_admin(&admin)?;
    Ok(Json(KioskList { items: kiosks::list(&state.pool).await? }))
}

#[tracing::instrument(skip_all, fields(id = %id))]
#[utoipa::path(delete, path = "/api/admin/kiosks/{id}", tag = "admin", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "Revoked (again: the first time is kept); its token is refused from now on", body = Kiosk),
              (status = 403, body = telnuska_shared::api::Problem), (status = 404, body = telnuska_shared::api::Problem)))]
async fn revoke_kiosk(State(state): State<AppState>, Staff(admin): Staff, ApiPath(id): ApiPath<String>) -> Result<Json<Kiosk>, ApiError> {
    require_admin(&admin)?;
    let kiosk = kiosks::revoke(&state.pool, &id, state.clock.now()).await?.ok_or(ApiError::NotFound)?;
    tracing::info!(by = %admin.login, kiosk = %kiosk.id, "kiosk revoked");
    Ok(Json(kiosk))
}

#[tracing::instrument(skip_all)]
#[utoipa::path(get, path = "/api/kiosk", tag = "applying",
    params(("X-Kiosk-Token" = String, Header, description = "The kiosk's device token")),
    responses((status = 200, description = "The kiosk holding the token", body = Kiosk),
              (status = 401, description = "No token (`auth.required`), or an unknown or revoked one (`kiosk.token_invalid`)", body = telnuska_shared::api::Problem)))]
async fn get_kiosk(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Kiosk>, ApiError> {
    kiosk_of(&state, &headers).await?.map(Json).ok_or(ApiError::Unauthenticated)
}
