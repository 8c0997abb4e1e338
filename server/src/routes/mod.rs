//! The HTTP API (API.md), one module per resource, and the SPA.

pub(crate) mod actions;
mod admin;
mod applications;
mod attachments;
mod auth;
mod calendar;
mod config;
mod desk;
pub mod graduates;
mod health;
pub mod idempotent;
mod identity;
mod institutions;
mod journal;
pub mod kiosks;
pub mod openapi;
mod otp;
mod oversight;
mod provider;
pub mod receipts;
mod reference;
pub(crate) mod registers;
pub mod spa;
mod sync;

use axum::Router;
use utoipa_axum::router::OpenApiRouter;

/// Shortest staff password (also for the first administrator made on the command line).
pub const MIN_STAFF_PASSWORD_CHARS: usize = admin::MIN_PASSWORD_CHARS;

/// Largest request body of any route: an attachment with its multipart framing.
pub const MAX_UPLOAD_BODY_BYTES: usize = attachments::MAX_ATTACHMENT_BYTES + attachments::MULTIPART_OVERHEAD_BYTES;

use crate::state::AppState;

/// Every `/api` route, each registered with its OpenAPI path (`routes!` in its module), and the
/// document they make at `GET /api/openapi.json`.
pub fn api_router() -> Router<AppState> {
    let (router, paths) = OpenApiRouter::new()
        .merge(health::router())
        .merge(config::router())
        .merge(reference::router())
        .merge(calendar::router())
        .merge(otp::router())
        .merge(applications::router())
        .merge(attachments::router())
        .merge(receipts::router())
        .merge(actions::router())
        .merge(auth::router())
        .merge(sync::router())
        .merge(registers::router())
        .merge(admin::router())
        .merge(institutions::router())
        .merge(kiosks::router())
        .merge(graduates::router())
        .merge(oversight::router())
        .merge(provider::router())
        .merge(journal::router())
        .merge(identity::router())
        .merge(desk::router())
        .split_for_parts();
    router.merge(openapi::router(openapi::document(paths)))
}
