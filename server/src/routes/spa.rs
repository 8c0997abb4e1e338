//! The built SPA: hashed assets cached for a year, the shell and service worker revalidated,
//! precompressed `.br`/`.gz` chosen by `Accept-Encoding`; each page of the app at the paths
//! [`telnuska_shared::pages`] gives it (`/staff/desk/…` → `desk.html`, …), `/` → `index.html` (the
//! citizen's app with its first screen), every other path → `app.html` (the same without it).

use std::path::Path;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use telnuska_shared::pages::{self, Page};
use tower_http::services::{ServeDir, ServeFile};

/// A router that serves `dist` for every path it is given.
pub fn router<S: Clone + Send + Sync + 'static>(dist: &Path) -> Router<S> {
    let file = |name: &str| ServeFile::new(dist.join(name)).precompressed_br().precompressed_gzip();
    let page = |page: Page| file(page.file);
    // `/` is `index.html`, with its first screen; the citizen's other addresses open without it.
    let files = ServeDir::new(dist).precompressed_br().precompressed_gzip().fallback(file(pages::CITIZEN_ELSEWHERE));
    pages::PAGES
        .into_iter()
        .filter(|p| *p != pages::CITIZEN)
        .fold(Router::new(), |router, p| router.route_service(p.prefix, page(p)).route_service(&format!("{}/{{*rest}}", p.prefix), page(p)))
        .fallback_service(files)
        .layer(axum::middleware::from_fn(cache_control))
}

/// Hashed names never change content, so they are immutable; everything else revalidates so a
/// new version reaches people at their next visit.
async fn cache_control(request: Request, next: Next) -> Response {
    let immutable = request.uri().path().starts_with("/assets/");
    let mut response = next.run(request).await;
    let value = if immutable && response.status().is_success() { "public, max-age=31536000, immutable" } else { "no-cache" };
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(value));
    response
}
