//! Wire types of the results on their way to a ЦОН desk (issue 17): ready documents the
//! provider made, and documents recalled from the provider for an applicant who came late.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::ApplicationStatus;

/// `GET /api/desk/incoming`: a result the operator marks received when it arrives.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncomingItem {
    /// The application's id.
    pub id: String,
    /// Its number.
    pub number: String,
    /// The applicant's full name.
    pub applicant: String,
    /// The provider's code.
    pub institution: String,
    /// `ready` (made by the provider), `in_transit` (recalled from the provider) or `refused`
    /// (the letter of a reasoned refusal, for an application ЦОН accepted).
    pub status: ApplicationStatus,
    /// A recall only: the last day the provider may send the document back (1 working day
    /// after the request, 003 item 62).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recall_by: Option<NaiveDate>,
    /// Whether that day has passed and the document is still not here.
    #[serde(default)]
    pub recall_overdue: bool,
}
