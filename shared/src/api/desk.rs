//! Wire types of the ЦОН operator's desk (issue 17): the identity registry's answer, the
//! package checklist, the courier dispatch, the storage shelf and the hand-over.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::api::ApplicationStatus;

/// `GET /api/identity/{iin}`: a person as the state identity registry knows them, to start an
/// intake at the counter without typing the name.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityPerson {
    /// IIN.
    pub iin: String,
    /// Surname.
    pub last_name: String,
    /// Given name.
    pub first_name: String,
    /// Patronymic, if any.
    #[serde(default)]
    pub patronymic: Option<String>,
    /// Date of birth, when the registry gives it.
    #[serde(default)]
    pub birth_date: Option<NaiveDate>,
}

/// `PUT /api/admin/staff/{login}/branch`: the ЦОН branch an operator belongs to.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BranchInput {
    /// The department's number, as printed after "№".
    #[serde(default)]
    pub number: String,
    /// The branch's name, e.g. "Алматы қаласы, Бостандық ауданы".
    #[serde(default)]
    pub name: String,
}

/// The document shown at a hand-over, as the operator typed it (`POST /api/desk/hand-over/{id}`).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum PresentedDocumentInput {
    /// The applicant's identity document.
    Identity {
        /// `identity_card`, `passport`, `residence_permit` or `stateless_certificate`.
        #[serde(default)]
        document_type: String,
        /// Its number.
        #[serde(default)]
        number: String,
    },
    /// A representative's notarised power of attorney.
    PowerOfAttorney {
        /// Its number in the notary's register.
        #[serde(default)]
        number: String,
        /// The day it was certified, `YYYY-MM-DD`.
        #[serde(default)]
        date: String,
        /// The notary who certified it.
        #[serde(default)]
        notary: String,
    },
}

/// What a field device adds to a staff action it queued offline (an item `{"kind": "action",
/// "body": {"application_id", "action", …}}` of `POST /api/sync/push`, issue 18): when it was
/// done by the device's clock, what the device last saw of the application, and the document
/// shown at a hand-over at home. All optional: an item without them is applied as before.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceActionFacts {
    /// When the worker did it, by the device's clock (RFC 3339); kept beside the server's time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::optional_instant"))]
    pub performed_at: Option<DateTime<Utc>>,
    /// The stage the device saw the application at: if it has moved on since, the action is
    /// refused with 409 `sync.stale`, which says what happened and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_status: Option<ApplicationStatus>,
    /// The identity document (or power of attorney) shown at a hand-over.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub presented: Option<PresentedDocumentInput>,
}

impl DeviceActionFacts {
    /// The names of its fields in an action item's body (beside the action's own).
    pub const FIELDS: [&'static str; 3] = ["performed_at", "expected_status", "presented"];

    /// Whether the device gave none of them (a v1 item).
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// One package waiting for the courier.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingPackage {
    /// The application's id.
    pub id: String,
    /// Its number.
    pub number: String,
    /// The applicant's full name.
    pub applicant: String,
    /// When it was accepted.
    pub accepted_at: DateTime<Utc>,
}

/// `GET /api/desk/dispatch`: the packages accepted since the last dispatch, for one provider.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderPackages {
    /// The provider's code.
    pub institution: String,
    /// When the last register for it was printed, if ever.
    #[serde(default)]
    pub last_dispatch_at: Option<DateTime<Utc>>,
    /// The packages waiting for the next dispatch, oldest first.
    pub packages: Vec<PendingPackage>,
}

/// `POST /api/desk/dispatch`: send one provider's waiting packages with the courier.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispatchRequest {
    /// The provider's code.
    #[serde(default)]
    pub institution: String,
}

/// A courier dispatch: the packages it moved to `in_transit`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dispatch {
    /// Its id (the register is `GET /api/desk/dispatch/{id}/register`).
    pub id: String,
    /// The provider's code.
    pub institution: String,
    /// When the courier took the packages.
    pub dispatched_at: DateTime<Utc>,
    /// The numbers of the packages, in order.
    pub numbers: Vec<String>,
}

/// `GET /api/desk/shelf`: one result waiting at ЦОН to be collected.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShelfItem {
    /// The application's id.
    pub id: String,
    /// Its number.
    pub number: String,
    /// The applicant's full name.
    pub applicant: String,
    /// When it arrived at ЦОН.
    pub arrived_at: DateTime<Utc>,
    /// The first day it may go back to the provider (a month after arrival).
    pub storage_ends: NaiveDate,
    /// Days left until then (0 or less: due to go back).
    pub days_left: i64,
    /// Whether it is offered for return to the provider now.
    pub due_for_return: bool,
    /// Whether it is the letter of a reasoned refusal rather than a duplicate (status
    /// `refusal_at_con`): the applicant is told so before it is handed over.
    #[serde(default)]
    pub refusal: bool,
}
