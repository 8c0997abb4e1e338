//! The draft as kept in IndexedDB: its shape and migrations, which drafts the start page lists,
//! what becomes of a queued application the server refused, and the name of a downloaded copy
//! ([`super::copy`] makes its page).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use telnuska_shared::api::{Channel, CreateApplicationRequest, DocumentInput, ProblemFieldError, ServiceCode};
use telnuska_shared::calendar::almaty_local;

use super::Step;

/// Version of the stored draft's shape. Older drafts are migrated ([`Draft::restored`]).
/// 1: the one-page form; 2: steps and files; 3: several drafts (id, time, the server's refusal).
pub const SCHEMA_VERSION: u32 = 3;

/// The key under which versions 1 and 2 kept their only draft; such a draft keeps it as its id,
/// so migrating needs no rewrite and can never lose it.
pub const LEGACY_DRAFT_ID: &str = "current";

/// A file attached to the draft, as the person knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    /// Id returned by `POST /api/attachments`.
    pub id: String,
    /// The file's name on the device.
    pub name: String,
    /// Bytes sent (after downscaling).
    pub size: u64,
}

/// Everything the person has done on one application, as kept in IndexedDB between visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Shape version, [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The key in the store `drafts` (a random UUID; [`LEGACY_DRAFT_ID`] for a migrated one).
    #[serde(default)]
    pub id: String,
    /// When it was last saved (unknown for a draft saved before version 3).
    #[serde(default, deserialize_with = "telnuska_shared::wire_time::optional_instant")]
    pub updated_at: Option<DateTime<Utc>>,
    /// The request as typed so far.
    pub request: CreateApplicationRequest,
    /// Paths of the fields that have been left (blurred) at least once; `service` once chosen.
    /// (A list, each path once; older drafts stored the same JSON array from a set.)
    #[serde(default)]
    pub touched: Vec<String>,
    /// The `Idempotency-Key` of this draft, made with it and kept with it (and in a downloaded
    /// copy), so that whichever tab or device sends it, and however often, the server makes one
    /// application of it; while an outbox item carries it, the draft is waiting to be sent.
    /// (Drafts kept before version 3 had none until their first send.)
    #[serde(default)]
    pub idempotency_key: Option<String>,
    /// The step the person was on.
    #[serde(default)]
    pub step: Step,
    /// Names of the attached files.
    #[serde(default)]
    pub files: Vec<FileMeta>,
    /// What the server said to correct when it refused the application.
    #[serde(default)]
    pub server_errors: Vec<ProblemFieldError>,
    /// The server refused the application: it came back to be corrected and sent again.
    #[serde(default)]
    pub needs_correction: bool,
}

impl Draft {
    /// An empty draft (the form gives it an id).
    pub fn new() -> Self {
        Self {
            schema_version: SCHEMA_VERSION,
            id: String::new(),
            updated_at: None,
            request: new_request(),
            touched: Vec::new(),
            idempotency_key: None,
            step: Step::Service,
            files: Vec::new(),
            server_errors: Vec::new(),
            needs_correction: false,
        }
    }

    /// A stored draft made fit for this form, migrated from an older shape: version 1 (the
    /// one-page university form) lacks the step and files, which start at their defaults, and
    /// its service was fixed, so it counts as chosen; versions 1 and 2 lack the id, which is the
    /// key they were stored under. `None` only for a newer shape than this app knows (written by
    /// a later version, then the app was rolled back): it stays stored, untouched.
    pub fn restored(mut self) -> Option<Self> {
        match self.schema_version {
            1 => {
                if !self.touched.iter().any(|p| p == "service") {
                    self.touched.push("service".into());
                }
                self.step = Step::Applicant;
            }
            2 | SCHEMA_VERSION => {}
            _ => return None,
        }
        self.schema_version = SCHEMA_VERSION;
        if self.id.is_empty() {
            self.id = LEGACY_DRAFT_ID.into();
        }
        let r = &mut self.request;
        r.channel = Channel::Portal;
        r.accepted_at = None;
        if r.documents.is_empty() {
            r.documents.push(DocumentInput::default());
        }
        Some(self)
    }

    /// Whether the person has done anything on it (an untouched new form is not worth listing).
    pub fn has_content(&self) -> bool {
        !self.touched.is_empty() || self.step != Step::Service || self.needs_correction || self.request != new_request()
    }

    /// The service, once the person has chosen one.
    pub fn chosen_service(&self) -> Option<ServiceCode> {
        self.touched.iter().any(|p| p == "service").then_some(self.request.service)
    }

    /// The draft of an application in the outbox whose own draft is gone (queued by a version
    /// that deleted the draft on queueing): rebuilt from the body that is sent.
    pub fn of_queued(id: &str, key: &str, body: &str) -> Option<Self> {
        let request = serde_json::from_str::<CreateApplicationRequest>(body).ok()?;
        let touched = vec!["service".to_string()];
        Some(Draft { id: id.into(), request, touched, step: Step::Sign, idempotency_key: Some(key.into()), ..Draft::new() })
    }
}

impl Default for Draft {
    fn default() -> Self {
        Self::new()
    }
}

/// A blank portal request.
pub fn new_request() -> CreateApplicationRequest {
    CreateApplicationRequest {
        service: ServiceCode::HigherDuplicate,
        channel: Channel::Portal,
        applicant: Default::default(),
        relationship: None,
        representative: None,
        document_kind: None,
        documents: vec![DocumentInput::default()],
        pupil: None,
        reason: None,
        attachments: Vec::new(),
        consents: Default::default(),
        signature: None,
        accepted_at: None,
        name_on_document: None,
        corrections: Vec::new(),
        collection: None,
        home_service_ground: None,
    }
}

/// The drafts the start page lists: those with content, last saved first (an insertion by
/// time, as the list is short and a sort would add code to the download).
pub fn listed(drafts: Vec<Draft>) -> Vec<Draft> {
    let mut list: Vec<Draft> = Vec::new();
    for draft in drafts.into_iter().filter(Draft::has_content) {
        let at = list.iter().position(|d| d.updated_at < draft.updated_at).unwrap_or(list.len());
        list.insert(at, draft);
    }
    list
}

/// The draft to keep when the server refused for good the queued application of draft `id`
/// under `key` (whichever tab sent it): the stored draft with the server's errors, at the
/// review, to be corrected and sent again (under the same key: the server stored nothing);
/// rebuilt from the `body` when the draft is gone, so nothing typed is ever lost. `None` when
/// the stored draft has moved on (it was handed back already, or is a draft of an older version
/// queued again under another key): it is left as it is.
/// `refused` is false when the server failed without a verdict: then it is a plain draft again.
pub fn handed_back(stored: Option<Draft>, id: &str, key: &str, body: &str, errors: Vec<ProblemFieldError>, refused: bool) -> Option<Draft> {
    let mut draft = match stored {
        Some(draft) if draft.idempotency_key.as_deref() == Some(key) && !draft.needs_correction => draft,
        Some(_) => return None,
        None => Draft::of_queued(id, key, body)?,
    };
    draft.server_errors = errors;
    draft.needs_correction = refused;
    if refused {
        draft.step = Step::Review;
    }
    Some(draft)
}

/// The name of a downloaded copy: `telnuska-draft-YYYY-MM-DD.html`, the day it was last saved
/// (Almaty time), else `today`.
pub fn copy_file_name(draft: &Draft, today: NaiveDate) -> String {
    let day = draft.updated_at.map_or(today, |at| almaty_local(at).date_naive());
    format!("telnuska-draft-{:04}-{:02}-{:02}.html", day.year(), day.month(), day.day())
}
