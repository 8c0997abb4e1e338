//! Where one applicant's intake at the counter stands: the screen ([`super::intake`]) shows it,
//! the form at the counter ([`super::counter`]) concludes it.

use telnuska_shared::api::{CreatedApplication, RefusalToAccept};
use telnuska_shared::i18n::Lang;

use crate::form::Draft;

/// Where an intake stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Asking for the applicant's IIN.
    LookUp,
    /// The form, started from what the registry said (the catalogue key of its answer).
    Form(Box<Draft>, &'static str),
    /// Accepted: the application, and the language its receipt is in.
    Accepted(CreatedApplication, Lang),
    /// Refused to accept: the recorded refusal, and the language of its receipt.
    Refused(RefusalToAccept, Lang),
}

impl Stage {
    /// The receipt of an outcome, and the language to print it in.
    pub fn receipt(&self) -> Option<(String, Lang)> {
        match self {
            Stage::Accepted(created, lang) => Some((format!("/api/applications/{}/receipt?kind=acceptance", created.id), *lang)),
            Stage::Refused(refusal, lang) => Some((format!("/api/desk/refusals/{}/receipt", refusal.id), *lang)),
            _ => None,
        }
    }
}
