//! Wire types of intake at the counter (issue 17): a package refused at acceptance (003 item 52,
//! Annex 4) is recorded with a number of its own, although no application is ever stored for it.

use serde::{Deserialize, Serialize};

use super::{AttachmentKind, CreateApplicationRequest};

/// `POST /api/desk/refusals`: the package as typed so far, and what the worker found in it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RefusalToAcceptRequest {
    /// The application as far as it was filled in (the applicant, the service, the reason and
    /// who applies decide what the package must hold); it need not be complete.
    pub package: CreateApplicationRequest,
    /// The checklist items the worker ticked as presented.
    #[serde(default)]
    pub presented: Vec<AttachmentKind>,
    /// Presented documents whose validity has expired (listed apart on Annex 4).
    #[serde(default)]
    pub expired: Vec<AttachmentKind>,
}

/// `201` of `POST /api/desk/refusals`: the recorded refusal; its receipt is
/// `GET /api/desk/refusals/{id}/receipt`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RefusalToAccept {
    /// Id.
    pub id: String,
    /// The receipt's number (`RA-2026-000001`), of its own series: no application exists.
    pub number: String,
    /// The checklist items missing from the package, as Annex 4 lists them.
    pub missing: Vec<AttachmentKind>,
    /// The presented documents whose validity has expired.
    #[serde(default)]
    pub expired: Vec<AttachmentKind>,
}
