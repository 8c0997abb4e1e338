//! What the provider's staff see beside an application and about their work: the match against
//! the register of issued documents, the head's figures, the reports to the state monitoring
//! system. The citizen's app never reads these types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{ApplicationView, RegisterField, RegisterOutcome};

/// One document entry of an application against the provider's register of issued documents.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterMatch {
    /// Matches, partly matches, or not in the register.
    pub outcome: RegisterOutcome,
    /// The fields that differ, when it partly matches (look-alike letters, case and spacing do
    /// not make a difference).
    #[serde(default)]
    pub differing: Vec<RegisterField>,
}

/// The application against the register of the institution that issued its documents.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisterEvidence {
    /// When the register compared with was imported.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::instant"))]
    pub imported_at: DateTime<Utc>,
    /// One result per document entry, in the application's order.
    pub documents: Vec<RegisterMatch>,
}

/// `GET /api/applications/{id}` as staff see it: the application with its evidence. Every field
/// beyond the application's own is additive.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaffApplicationView {
    /// The application, as its applicant sees it.
    #[serde(flatten)]
    pub application: ApplicationView,
    /// The match against the issuer's register; absent until the issuer has imported one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register: Option<RegisterEvidence>,
}

/// `200` of `POST /api/registers/graduates`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraduateRegisterImported {
    /// The institution whose register it is.
    pub institution: String,
    /// Records now in its register (the file replaced the previous one).
    pub records: usize,
    /// When.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::instant"))]
    pub imported_at: DateTime<Utc>,
}
