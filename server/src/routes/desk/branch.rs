//! `PUT /api/admin/staff/{login}/branch`: an administrator sets the ЦОН branch an operator
//! belongs to; the receipts the operator prints name it.

use axum::extract::State;
use axum::Json;
use telnuska_shared::api::{BranchInput, Role};
use telnuska_shared::branch::Branch;
use telnuska_shared::error::ErrorCode;
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath};
use crate::routes::auth::Staff;
use crate::state::AppState;
use crate::store::desk;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set_branch))
}

#[tracing::instrument(skip_all, fields(login = %login))]
#[utoipa::path(put, path = "/api/admin/staff/{login}/branch", tag = "admin", params(("login" = String, Path)), request_body = telnuska_shared::api::BranchInput, security(("bearer" = [])),
    responses((status = 200, description = "The branch as stored (trimmed)", body = telnuska_shared::api::BranchInput), (status = 403, body = telnuska_shared::api::Problem),
              (status = 404, body = telnuska_shared::api::Problem), (status = 422, description = "branch.number_format or branch.name_format", body = telnuska_shared::api::Problem)))]
async fn set_branch(
    State(state): State<AppState>,
    Staff(admin): Staff,
    ApiPath(login): ApiPath<String>,
    ApiJson(body): ApiJson<BranchInput>,
) -> Result<Json<BranchInput>, ApiError> {
    if admin.role != Role::Admin {
        return Err(ApiError::Forbidden);
    }
    let branch = Branch::parse(&body.number, &body.name).map_err(|e| {
        let field = if e.code() == "branch.number_format" { "number" } else { "name" };
        ApiError::Validation(vec![FieldError::new(field, e.code())])
    })?;
    if !desk::set_branch(&state.pool, &state.writes, &login, &branch).await? {
        return Err(ApiError::NotFound);
    }
    tracing::info!(by = %admin.login, number = branch.number(), "staff branch set");
    Ok(Json(BranchInput { number: branch.number().to_string(), name: branch.name().to_string() }))
}
