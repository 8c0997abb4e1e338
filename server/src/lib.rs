//! The Telnuska server: it owns the workflow, records every change as an event, and serves the
//! HTTP API of `shared/API.md` and the built SPA.

pub mod cli;
pub mod clock;
pub mod commands;
pub mod config;
pub mod db;
pub mod demo;
pub mod digital;
pub mod error;
pub mod extract;
pub mod identity;
pub mod jobs;
pub mod monitoring;
pub mod outbound;
pub mod routes;
pub mod secrets;
pub mod serve;
pub mod signing;
pub mod sms;
pub mod state;
pub mod store;
pub mod tabular;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderName, HeaderValue, Request};
use axum::response::{IntoResponse, Response};
use axum::Router;
use telnuska_shared::reference::Reference;
use tokio::net::TcpListener;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::clock::Clock;
use crate::config::Config;
use crate::state::AppState;

/// Largest JSON body accepted (an application with ten documents is a few kilobytes).
pub const MAX_JSON_BODY_BYTES: usize = 256 * 1024;

/// Content-Security-Policy: only the app's own scripts and wasm, no inline script; frames only of
/// the files the staff screens fetched themselves (blob:, an attached PDF shown in the page); connections
/// to the server and to the person's NCALayer (`TELNUSKA_NCALAYER_URL`, for EDS signing) only.
fn csp(ncalayer_url: &str) -> HeaderValue {
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; frame-src blob:; \
         connect-src 'self' {ncalayer_url}; worker-src 'self'; manifest-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    );
    // The URL was checked at start (config::ncalayer_url); without it, the strictest policy.
    HeaderValue::from_str(&policy).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'"))
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    /// Bad configuration.
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    /// The database cannot be opened or migrated.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// Migrations failed.
    #[error("migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// Loading the calendar or seeding demo data failed.
    #[error("setting up: {0}")]
    Setup(#[from] store::StoreError),
    /// The address cannot be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// Why.
        source: std::io::Error,
    },
}

/// A server bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

impl Application {
    /// Connects and migrates the database, seeds demo data if asked, and binds the address.
    pub async fn build(config: Config) -> Result<Self, StartError> {
        let pool = db::connect(&config).await?;
        let clock = Clock::new(config.fixed_now);
        if config.demo {
            demo::seed(&pool, &clock).await?;
        } else {
            for login in demo::mark_unmarked(&pool).await? {
                tracing::warn!(login, "a demo account with the demo password is refused outside demo mode");
            }
        }
        let reference = Arc::new(std::sync::RwLock::new(Arc::new(Reference::with_added_institutions(store::institutions::list_added(&pool).await?))));
        let listener = TcpListener::bind(config.addr).await.map_err(|source| StartError::Bind { addr: config.addr, source })?;
        let sms = sms::SmsGateway::from_config(config.demo, config.sms_url.clone(), config.sms_key.clone());
        let calendar = Arc::new(std::sync::RwLock::new(Arc::new(store::calendar::load(&pool).await?)));
        let signatures = signing::from_config(config.eds_verifier.as_deref(), config.demo, config.ncanode_url.as_deref());
        let bound = listener.local_addr().unwrap_or(config.addr);
        let digital_documents = digital::from_config(config.demo, config.digital_documents_url.clone(), config.digital_documents_key.clone());
        let monitoring = monitoring::from_config(config.demo, config.monitoring_url.clone(), config.monitoring_key.clone());
        let identity_registry = identity::from_config(
            config.demo,
            config.identity_registry_url.clone(),
            config.identity_registry_key.clone(),
            config.identity_registry_timeout_secs,
        );
        let writes = store::writes::WriteGate::new(config.database_kind == config::DatabaseKind::Sqlite);
        let state = AppState {
            pool,
            writes,
            clock,
            calendar,
            reference,
            reference_refresh: Arc::default(),
            config: Arc::new(config.bound_to(bound)?),
            sms,
            signatures,
            digital_documents,
            monitoring,
            identity_registry,
        };
        Ok(Self { router: router(state.clone()), listener, state })
    }

    /// The address actually bound (the real port when 0 was asked for).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("bound listener has an address")
    }

    /// The shared state (for the command line's reports).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then finishes the requests in flight.
    pub async fn run_until(self, shutdown: impl std::future::Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let interval = self.state.config.job_interval_secs;
        let job = (interval > 0).then(|| tokio::spawn(jobs::run_periodically(self.state.clone(), std::time::Duration::from_secs(interval))));
        let reference_every = std::time::Duration::from_secs(self.state.config.reference_refresh_secs);
        let reference = tokio::spawn(state::refresh_reference_periodically(self.state.clone(), reference_every));
        let read_timeout = std::time::Duration::from_secs(self.state.config.read_timeout_secs);
        serve::serve(self.listener, self.router, read_timeout, shutdown).await?;
        if let Some(job) = job {
            job.abort();
        }
        reference.abort();
        self.state.pool.close().await;
        Ok(())
    }
}

/// The whole HTTP surface.
pub fn router(state: AppState) -> Router {
    let request_id = HeaderName::from_static("x-request-id");
    let spa = routes::spa::router(&state.config.dist_dir);
    let read_timeout = std::time::Duration::from_secs(state.config.read_timeout_secs);
    routes::api_router()
        // Answers of the API carry personal data (applications, tokens, staff): never cached,
        // unless a route says otherwise (the reference bundle revalidates by ETag).
        .layer(SetResponseHeaderLayer::if_not_present(header::CACHE_CONTROL, HeaderValue::from_static("no-store")))
        .fallback(move |request: Request<Body>| fallback(spa.clone(), request))
        .layer(axum::middleware::from_fn_with_state(read_timeout, serve::read_body_within))
        .layer(axum::middleware::from_fn(error::render_problems))
        .layer(DefaultBodyLimit::max(MAX_JSON_BODY_BYTES))
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::overriding(header::CONTENT_SECURITY_POLICY, csp(&state.config.ncalayer_url)))
        .layer(SetResponseHeaderLayer::overriding(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::overriding(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")))
        .layer(SetResponseHeaderLayer::overriding(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(axum::middleware::from_fn_with_state(state.clone(), hsts))
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
            let id = request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .with_state(state)
}

/// HSTS only where the browser reached us over TLS: the server speaks plain HTTP behind a
/// TLS-terminating proxy, which says so in `X-Forwarded-Proto` (trusted with `TELNUSKA_TRUST_PROXY=1`).
async fn hsts(axum::extract::State(state): axum::extract::State<AppState>, request: Request<Body>, next: axum::middleware::Next) -> Response {
    let over_tls = state.config.trust_proxy && request.headers().get("x-forwarded-proto").is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"https"));
    let mut response = next.run(request).await;
    if over_tls {
        response.headers_mut().insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    response
}

/// Unknown `/api` paths are 404 problems; every other path is the SPA's.
async fn fallback(spa: Router, request: Request<Body>) -> Response {
    let path = request.uri().path();
    if path == "/api" || path.starts_with("/api/") {
        return error::ApiError::NotFound.into_response();
    }
    match spa.oneshot(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    }
}
