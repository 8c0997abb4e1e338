//! Institutions beyond the bundled list, for administrators: add one, import the official
//! register of education organisations (CSV), and route applications that name an institution
//! not in the list (the region's education authority sends each to its issuer).

use std::collections::HashSet;

use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use telnuska_shared::api::{ApplicationView, Role};
use telnuska_shared::reference::{Institution, NewInstitution};
use telnuska_shared::FieldError;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::routes::auth::Staff;
use crate::state::AppState;
use crate::store::applications::{self as applications, Actor};
use crate::store::institutions as store;
use crate::store::staff::StaffMember;
use crate::tabular;

/// Largest register file accepted: the official register of some 8,000 organisations is about
/// 2 MB as CSV.
pub const MAX_REGISTER_BYTES: usize = 8 * 1024 * 1024;

/// Columns a register file must have (more may follow and are ignored).
const REGISTER_COLUMNS: [&str; 5] = ["code", "kind", "region", "name_kk", "name_ru"];

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_institution))
        .routes(routes!(import_register).layer(DefaultBodyLimit::max(MAX_REGISTER_BYTES)))
        .routes(routes!(list_routing))
        .routes(routes!(route_application))
}

fn require_admin(staff: &StaffMember) -> Result<(), ApiError> {
    if staff.role == Role::Admin {
        Ok(())
    } else {
        Err(ApiError::Forbidden)
    }
}

/// What the lists hold after a change: how many were stored and the bundle's new version.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct ListsChanged {
    /// Institutions added or updated.
    stored: usize,
    /// The new `version` (and ETag) of `GET /api/reference`.
    version: String,
}

/// Parses every row (each with the prefix of its field paths); refuses a code of the bundled
/// list and a code given twice. All or nothing: every error at once.
async fn parse_all<'a>(state: &AppState, rows: Vec<(String, &'a NewInstitution)>) -> Result<Vec<(Institution, &'a NewInstitution)>, ApiError> {
    let added: HashSet<String> = store::list_added(&state.pool).await?.into_iter().map(|i| i.code).collect();
    let reference = state.reference();
    let bundled: HashSet<&str> = reference.institutions.iter().map(|i| i.code.as_str()).filter(|c| !added.contains(*c)).collect();
    let (mut parsed, mut errors, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
    for (prefix, row) in rows {
        match row.parse(&prefix, &reference) {
            Ok(i) if bundled.contains(i.code.as_str()) || !seen.insert(i.code.clone()) => {
                errors.push(FieldError::new(format!("{prefix}code"), "institution.code_taken"));
            }
            Ok(i) => parsed.push((i, row)),
            Err(e) => errors.extend(e),
        }
    }
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Stores the parsed institutions in one transaction and installs them in the lists.
async fn store_all(state: &AppState, staff: &StaffMember, parsed: &[(Institution, &NewInstitution)], source: &str) -> Result<ListsChanged, ApiError> {
    let now = state.clock.now();
    let mut tx = state.begin_write().await?;
    for (institution, raw) in parsed {
        store::upsert(&mut tx, institution, raw, source, &staff.login, now).await?;
    }
    tx.commit().await?;
    // This instance's lists follow at once; the others' within their refresh interval.
    state.refresh_reference().await?;
    Ok(ListsChanged { stored: parsed.len(), version: state.reference().version.clone() })
}

#[tracing::instrument(skip_all, fields(code = %body.code))]
#[utoipa::path(post, path = "/api/admin/institutions", tag = "admin", request_body = NewInstitution, security(("bearer" = [])),
    responses((status = 201, body = ListsChanged), (status = 403, body = telnuska_shared::api::Problem), (status = 422, body = telnuska_shared::api::Problem)))]
async fn add_institution(
    State(state): State<AppState>,
    Staff(admin): Staff,
    ApiJson(body): ApiJson<NewInstitution>,
) -> Result<(StatusCode, Json<ListsChanged>), ApiError> {
    require_admin(&admin)?;
    let parsed = parse_all(&state, vec![(String::new(), &body)]).await?;
    Ok((StatusCode::CREATED, Json(store_all(&state, &admin, &parsed, "admin").await?)))
}

/// The rows of a register file, each with its 1-based line number (the header is line 1).
fn register_rows(text: &str) -> Result<Vec<(usize, NewInstitution)>, ApiError> {
    let table = tabular::read_csv(text.as_bytes()).map_err(ApiError::Validation)?;
    let missing = table.missing(&REGISTER_COLUMNS);
    if !missing.is_empty() {
        return Err(ApiError::Validation(missing));
    }
    let rows = table.rows.iter().map(|r| {
        let get = |name: &str| table.cell(r, name).to_string();
        let row = NewInstitution {
            code: get("code"),
            kind: get("kind"),
            region: get("region"),
            name_kk: get("name_kk"),
            name_ru: get("name_ru"),
            name_en: get("name_en"),
            aliases: get("aliases"),
        };
        (r.line, row)
    });
    Ok(rows.collect())
}

#[tracing::instrument(skip_all, fields(bytes = body.len()))]
#[utoipa::path(post, path = "/api/admin/institutions/import", tag = "admin", request_body(content = String, content_type = "text/csv",
        description = "The register: a header line with `code,kind,region,name_kk,name_ru` (and optionally `name_en`, `aliases`), one organisation a line"),
    security(("bearer" = [])),
    responses((status = 200, body = ListsChanged), (status = 403, body = telnuska_shared::api::Problem),
        (status = 422, description = "Nothing imported: every error, at `lines.<line number>.<column>`", body = telnuska_shared::api::Problem)))]
async fn import_register(State(state): State<AppState>, Staff(admin): Staff, body: String) -> Result<Json<ListsChanged>, ApiError> {
    require_admin(&admin)?;
    let rows = register_rows(&body)?;
    let parsed = parse_all(&state, rows.iter().map(|(line, row)| (format!("lines.{line}."), row)).collect()).await?;
    Ok(Json(store_all(&state, &admin, &parsed, "register").await?))
}

/// `?region=` of the routing queue.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct RoutingQuery {
    /// Only this region's applications.
    region: Option<String>,
}

/// `GET /api/admin/routing`.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct RoutingQueue {
    /// Applications naming an institution not in the list, soonest deadline first; the name as
    /// printed is at `request.documents.0.unlisted_institution`.
    items: Vec<ApplicationView>,
}

#[tracing::instrument(skip_all)]
#[utoipa::path(get, path = "/api/admin/routing", tag = "admin", params(RoutingQuery), security(("bearer" = [])),
    responses((status = 200, body = RoutingQueue), (status = 403, body = telnuska_shared::api::Problem)))]
async fn list_routing(State(state): State<AppState>, Staff(admin): Staff, ApiQuery(query): ApiQuery<RoutingQuery>) -> Result<Json<RoutingQueue>, ApiError> {
    require_admin(&admin)?;
    Ok(Json(RoutingQueue { items: store::routing_queue(&state.pool, query.region.as_deref()).await? }))
}

/// `POST /api/admin/routing/{id}`.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
struct RouteTo {
    /// The institution (of the lists) that issued the document.
    institution: String,
}

#[tracing::instrument(skip_all, fields(id = %id))]
#[utoipa::path(post, path = "/api/admin/routing/{id}", tag = "admin", params(("id" = String, Path)), request_body = RouteTo, security(("bearer" = [])),
    responses((status = 200, body = ApplicationView), (status = 404, body = telnuska_shared::api::Problem), (status = 409, body = telnuska_shared::api::Problem),
        (status = 422, body = telnuska_shared::api::Problem)))]
async fn route_application(
    State(state): State<AppState>,
    Staff(admin): Staff,
    ApiPath(id): ApiPath<String>,
    ApiJson(body): ApiJson<RouteTo>,
) -> Result<Json<ApplicationView>, ApiError> {
    require_admin(&admin)?;
    // An administrator's rare action: the institution may have been imported through another
    // instance a moment ago.
    state.refresh_reference().await?;
    let reference = state.reference();
    let mut tx = state.begin_write().await?;
    let waiting = store::routing_region(&mut tx, &id).await?.ok_or(ApiError::NotFound)?;
    let view = applications::get_in(&mut tx, &id).await?.ok_or(ApiError::NotFound)?;
    let code = body.institution.trim();
    let wanted = reference.service(view.service).provider_kind;
    match reference.institution(code) {
        None => return Err(ApiError::Validation(vec![FieldError::new("institution", "reference.unknown_institution")])),
        Some(i) if i.kind != wanted => return Err(ApiError::Validation(vec![FieldError::new("institution", "institution.wrong_kind")])),
        Some(_) => {}
    }
    if waiting.is_none() {
        // Routed already: the same answer again is a repeat; another one is a conflict.
        return if store::institution_of(&mut tx, &id).await? == code { Ok(Json(view)) } else { Err(ApiError::Workflow("routing.not_unlisted")) };
    }
    let actor = Actor { role: Role::Admin, id: Some(admin.id.clone()), channel: view.channel };
    store::route(&mut tx, &id, code, &actor, state.clock.now()).await?;
    let routed = applications::get_in(&mut tx, &id).await?.ok_or(ApiError::NotFound)?;
    tx.commit().await?;
    Ok(Json(routed))
}
