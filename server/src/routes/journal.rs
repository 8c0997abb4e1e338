//! `GET /api/journal`: the registration and issue journal of the provider's institutions — each
//! duplicate's own series and number, written when it was approved (004 section 4 step 7).

use axum::extract::State;
use axum::Json;
use serde::Deserialize;
use telnuska_shared::api::Role;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::ApiQuery;
use crate::routes::auth::Staff;
use crate::state::AppState;
use crate::store::provider::{self, JournalLine};

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_journal))
}

/// `?institution=` of the journal.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct JournalQuery {
    /// Only this institution's journal (one the caller serves).
    institution: Option<String>,
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/journal", tag = "staff", params(JournalQuery), security(("bearer" = [])),
    responses((status = 200, description = "The journal's lines, oldest first", body = [JournalLine]),
              (status = 401, body = telnuska_shared::api::Problem),
              (status = 403, description = "Not a provider, or not of this institution", body = telnuska_shared::api::Problem)))]
pub async fn get_journal(State(state): State<AppState>, Staff(staff): Staff, ApiQuery(q): ApiQuery<JournalQuery>) -> Result<Json<Vec<JournalLine>>, ApiError> {
    if staff.role != Role::Provider {
        return Err(ApiError::Forbidden);
    }
    let institutions = match q.institution.filter(|i| !i.is_empty()) {
        Some(i) if staff.institutions.contains(&i) => vec![i],
        Some(_) => return Err(ApiError::Forbidden),
        None => staff.institutions.clone(),
    };
    Ok(Json(provider::journal(&state.pool, &institutions).await?))
}
