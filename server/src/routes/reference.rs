//! `GET /api/reference`: the catalogues the app caches for offline use, with an ETag.

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::AppState;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_reference))
}

#[utoipa::path(get, path = "/api/reference", tag = "reference", params(("If-None-Match" = Option<String>, Header, description = "ETag of a cached bundle")),
    responses((status = 200, description = "Every catalogue, with an ETag", body = telnuska_shared::reference::Reference), (status = 304, description = "The cached bundle is current")))]
async fn get_reference(State(state): State<AppState>, headers: HeaderMap) -> Response {
    // The lists in force on this instance, the very ones its validator uses (another instance's
    // additions arrive within `TELNUSKA_REFERENCE_REFRESH_SECS`).
    let data = state.reference();
    let etag = format!("\"{}\"", data.version);
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim().trim_start_matches("W/") == etag || tag.trim() == "*"));
    let mut response = if matches { StatusCode::NOT_MODIFIED.into_response() } else { Json(&*data).into_response() };
    let h = response.headers_mut();
    h.insert(header::ETAG, HeaderValue::from_str(&etag).expect("hex etag"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}
