//! Administration: run a background job pass on demand (operations and tests).

use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use telnuska_shared::api::Role;

use crate::error::ApiError;
use crate::jobs::{self, JobReport};
use crate::routes::auth::Staff;
use crate::state::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/api/admin/jobs/run", post(run_jobs))
}

#[tracing::instrument(skip_all)]
async fn run_jobs(State(state): State<AppState>, Staff(staff): Staff) -> Result<Json<JobReport>, ApiError> {
    if staff.role != Role::Admin {
        return Err(ApiError::Forbidden);
    }
    Ok(Json(jobs::run_once(&state).await?))
}
