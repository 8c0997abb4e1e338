//! Wire types of the ЦОН operator's desk (issue 17): the identity registry's answer, the
//! package checklist, the courier dispatch, the storage shelf and the hand-over.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

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
