//! `GET /api/identity/{iin}`: the ЦОН operator looks a person up in the identity registry to start
//! an intake from the IIN (issue 17). When the registry is down the answer says so
//! (`identity_registry.unavailable`) and the operator types the data by hand.

use axum::extract::State;
use axum::Json;
use telnuska_shared::api::IdentityPerson;
use telnuska_shared::error::ErrorCode;
use telnuska_shared::iin::Iin;
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::ApiPath;
use crate::identity::LookupError;
use crate::routes::auth::Staff;
use crate::state::AppState;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(find_person))
}

#[tracing::instrument(skip(state, staff, iin))]
#[utoipa::path(get, path = "/api/identity/{iin}", tag = "staff", params(("iin" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = telnuska_shared::api::IdentityPerson), (status = 401, body = telnuska_shared::api::Problem),
              (status = 403, description = "Not a worker who takes papers at a counter (ЦОН operator, provider's office)", body = telnuska_shared::api::Problem),
              (status = 404, description = "The registry knows no such IIN", body = telnuska_shared::api::Problem),
              (status = 422, description = "Not a valid IIN (iin.*)", body = telnuska_shared::api::Problem),
              (status = 503, description = "The registry did not answer in time or failed (identity_registry.unavailable): type the data by hand", body = telnuska_shared::api::Problem)))]
async fn find_person(State(state): State<AppState>, Staff(staff): Staff, ApiPath(iin): ApiPath<String>) -> Result<Json<IdentityPerson>, ApiError> {
    // Whoever takes papers at a counter: the ЦОН operator, the provider's office.
    if staff.role.counter_channel().is_none() {
        return Err(ApiError::Forbidden);
    }
    let iin = Iin::parse(&iin).map_err(|e| ApiError::Validation(vec![FieldError::new("iin", e.code())]))?;
    match state.identity_registry.find(&iin).await {
        Ok(person) => Ok(Json(person)),
        Err(LookupError::NotFound) => Err(ApiError::NotFound),
        Err(LookupError::Unavailable(detail)) => {
            tracing::warn!(error = %detail, "identity registry unavailable");
            Err(ApiError::Unavailable("identity_registry.unavailable"))
        }
    }
}
