//! `GET /api/openapi.json`: the machine-readable contract, generated from the handlers' and the
//! shared types' annotations so that it cannot drift from the code. Each route module registers
//! its handlers with their paths in one `routes!` call, so the document lists exactly the routes
//! the router serves; this module adds what every route shares.

use std::sync::Arc;

use axum::routing::get;
use axum::{Json, Router};
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, Ref, RefOr, Response};
use utoipa::{Modify, OpenApi};

use crate::state::AppState;

/// Bearer tokens: a staff session or an applicant's tracking token.
struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)));
    }
}

/// The error answers every route shares, said once here rather than on each handler: every error
/// is a problem document (`application/problem+json`, as the server sends it); a request the
/// server cannot read (bad JSON, a wrong type in the path or query) is 400; a route that reads a
/// bearer token answers 401 to a missing, expired or unknown one and 403 to another role's; a body may be too large (413);
/// any route may be rate limited (429).
struct ProblemResponses;

const PROBLEM_JSON: &str = "application/problem+json";

impl Modify for ProblemResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for operation in operations.into_iter().flatten() {
                describe_errors(operation);
            }
        }
    }
}

fn describe_errors(operation: &mut Operation) {
    let reads_token = operation.security.as_ref().is_some_and(|s| serde_json::to_string(s).is_ok_and(|s| s.contains("\"bearer\"")));
    let reads_input = operation.request_body.is_some() || operation.parameters.as_ref().is_some_and(|p| !p.is_empty());
    let shared = [
        ("400", reads_input, "The request cannot be read: malformed JSON, a wrong type, an unknown field"),
        ("401", reads_token, "No valid credentials: a missing, expired or unknown token"),
        ("403", reads_token, "These credentials may not do this: another role, another institution's application"),
        ("413", operation.request_body.is_some(), "The body is larger than this route accepts"),
        ("429", true, "Too many requests; `Retry-After` says when to try again"),
    ];
    let responses = &mut operation.responses.responses;
    for (status, applies, description) in shared {
        if applies {
            responses.entry(status.to_string()).or_insert_with(|| RefOr::T(Response::new(description)));
        }
    }
    for (status, response) in responses.iter_mut() {
        if let (true, RefOr::T(response)) = (status.starts_with('4') || status.starts_with('5'), response) {
            response.content.shift_remove("application/json");
            response.content.insert(PROBLEM_JSON.to_string(), Content::new(Some(Ref::from_schema_name("Problem"))));
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Telnuska", description = "Duplicates and corrections of education documents (Kazakhstan): the HTTP contract of shared/API.md. \
        Every error is a problem document with a stable `code`; `Accept-Language: kk | ru | en` selects the language of messages."),
    modifiers(&BearerAuth),
    tags(
        (name = "applying", description = "Citizens, kiosks, ЦОН desks and field workers submit applications"),
        (name = "staff", description = "ЦОН and provider staff carry applications through the workflow"),
        (name = "sync", description = "Offline devices push queued items and pull changes"),
        (name = "reference", description = "Catalogues and the working-day calendar"),
        (name = "admin", description = "Accounts, institutions, calendar amendments, jobs"),
        (name = "health", description = "Liveness and the database"),
        (name = "demo", description = "Development helpers, demo mode only"),
    )
)]
pub struct ApiDoc;

/// The whole document: [`ApiDoc`] with the paths the routers registered, each with the error
/// answers it shares with the others.
pub fn document(paths: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    doc.merge(paths);
    ProblemResponses.modify(&mut doc);
    doc
}

/// `GET /api/openapi.json`, serving `doc`. A plain route: the document does not describe itself.
pub fn router(doc: utoipa::openapi::OpenApi) -> Router<AppState> {
    let doc = Arc::new(doc);
    Router::new().route("/api/openapi.json", get(move || async move { Json(doc.as_ref().clone()) }))
}
