//! The "Digital documents" service of eGov Mobile: before a college's duplicate is ready, the
//! college publishes the diploma there and the applicant is told (003 item 59). The service is
//! reached through the [`DigitalDocuments`] adapter: over HTTP when configured, a demo stand-in
//! in demo mode, and otherwise refused, so that nothing is called ready that was not published.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};
use telnuska_shared::api::{CreateApplicationRequest, DocumentInput};

use crate::clock::stored;
use crate::error::ApiError;
use crate::outbound::Endpoint;
use crate::store::notifications;

/// What is published: whose diploma, and its details as the application gives them.
#[derive(Debug, Clone, Serialize)]
pub struct DigitalDuplicate {
    /// The application's number (the college's reference).
    pub number: String,
    /// The graduate's IIN: the pupil's when a parent or guardian applied, else the applicant's.
    pub iin: String,
    /// Which document is duplicated.
    pub document_kind: Option<telnuska_shared::api::DocumentKind>,
    /// The documents' details.
    pub documents: Vec<DocumentInput>,
}

/// Why a publication failed (logged; the caller is told only that the service did not take it).
pub type PublishError = String;

/// A boxed future of a publication.
pub type Publishing<'a> = Pin<Box<dyn Future<Output = Result<(), PublishError>> + Send + 'a>>;

/// The "Digital documents" service, as the server sees it.
pub trait DigitalDocuments: Send + Sync {
    /// Publishes the diploma; `Ok` once the service has taken it.
    fn publish<'a>(&'a self, duplicate: &'a DigitalDuplicate) -> Publishing<'a>;
}

/// `POST url` with the [`DigitalDuplicate`] as JSON and `Authorization: Bearer key`.
struct Http(Endpoint);

impl DigitalDocuments for Http {
    fn publish<'a>(&'a self, duplicate: &'a DigitalDuplicate) -> Publishing<'a> {
        Box::pin(self.0.post_json(duplicate))
    }
}

/// Demo mode: the diploma is taken at once (the SMS and the stored time show it happened).
struct Demo;

impl DigitalDocuments for Demo {
    fn publish<'a>(&'a self, duplicate: &'a DigitalDuplicate) -> Publishing<'a> {
        tracing::info!(number = %duplicate.number, "demo: diploma published to Digital documents");
        Box::pin(async { Ok(()) })
    }
}

/// No service configured outside demo mode: every publication fails.
struct Unconfigured;

impl DigitalDocuments for Unconfigured {
    fn publish<'a>(&'a self, _: &'a DigitalDuplicate) -> Publishing<'a> {
        Box::pin(async { Err("no Digital documents service configured (TELNUSKA_DIGITAL_DOCUMENTS_URL)".to_string()) })
    }
}

/// The adapter the configuration asks for (like the SMS gateway: a URL wins, else demo mode).
pub fn from_config(demo: bool, url: Option<String>, key: Option<crate::secrets::Secret>) -> Arc<dyn DigitalDocuments> {
    match (url, demo) {
        (Some(url), _) => Arc::new(Http(Endpoint::new(url, key))),
        (None, true) => Arc::new(Demo),
        (None, false) => Arc::new(Unconfigured),
    }
}

/// Publishes the diploma of application `id`, records when, and queues the SMS that tells the
/// applicant; a failure leaves the application as it was (503 `digital_documents.unavailable`).
pub async fn publish(service: &dyn DigitalDocuments, links_base: &str, tx: &mut Transaction<'_, Any>, id: &str, now: DateTime<Utc>) -> Result<(), ApiError> {
    let row = sqlx::query("SELECT number, applicant_iin, request_json FROM applications WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
    let request: CreateApplicationRequest = serde_json::from_str(&row.try_get::<String, _>("request_json")?).map_err(ApiError::internal)?;
    let iin = request.pupil.as_ref().map_or(row.try_get::<String, _>("applicant_iin")?, |p| p.iin.clone());
    let duplicate = DigitalDuplicate { number: row.try_get("number")?, iin, document_kind: request.document_kind, documents: request.documents };
    if let Err(e) = service.publish(&duplicate).await {
        tracing::warn!(error = %e, number = %duplicate.number, "Digital documents did not take the diploma");
        return Err(ApiError::Unavailable("digital_documents.unavailable"));
    }
    sqlx::query("UPDATE applications SET digital_published_at = $1 WHERE id = $2").bind(stored(now)).bind(id).execute(&mut **tx).await?;
    Ok(notifications::enqueue_digital_published(tx, links_base, id, now).await?)
}
