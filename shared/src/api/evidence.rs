//! What the provider's staff see beside an application and about their work: the match against
//! the register of issued documents, the head's figures, the reports to the state monitoring
//! system. The citizen's app never reads these types.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::{ApplicationStatus, ApplicationView, MonitoringState, RegisterField, RegisterOutcome, ServiceCode};

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
    /// Each stage, oldest first, with whether it reached the state monitoring system.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub monitoring: Vec<StageMonitoring>,
}

/// One stage of an application and its report to the state monitoring system (003 item 64).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageMonitoring {
    /// When the stage happened.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::instant"))]
    pub at: DateTime<Utc>,
    /// The status it reached.
    pub status: ApplicationStatus,
    /// Whether it was reported.
    pub state: MonitoringState,
    /// When the system took it.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::optional_instant"))]
    pub reported_at: Option<DateTime<Utc>>,
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

/// The figures of one service in the head's view.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ServiceFigures {
    /// The service.
    pub service: ServiceCode,
    /// Applications whose result is still owed.
    pub open: u64,
    /// Of those, at risk (a deadline is today or the result is due at ЦОН within a working day).
    pub at_risk: u64,
    /// Of those, past a deadline.
    pub overdue: u64,
    /// Results delivered in the window (at ЦОН, ready at the provider that hands them over, or a
    /// refusal or an updated record decided).
    pub delivered: u64,
    /// Of those, by the due day.
    pub delivered_on_time: u64,
    /// `delivered_on_time / delivered`; absent when nothing was delivered.
    #[serde(default)]
    pub on_time_share: Option<f64>,
    /// The median of the working days from registration to result of those delivered; absent
    /// when nothing was delivered.
    #[serde(default)]
    pub median_working_days: Option<f64>,
}

/// `GET /api/oversight`: the head's view.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OversightView {
    /// The day the figures are for (Asia/Almaty).
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::date"))]
    pub as_of: NaiveDate,
    /// The days the delivered figures look back.
    pub window_days: i64,
    /// One entry per service, in catalogue order.
    pub services: Vec<ServiceFigures>,
}
