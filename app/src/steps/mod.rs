//! The form's steps, one topic per screen ([`crate::form::Step`]), one component per file.

pub mod applicant;
pub mod consents;
pub mod document_entry;
pub mod documents;
pub mod reason;
pub mod review;
pub mod service;
pub mod sign;

use telnuska_shared::i18n::{t, Lang};
use telnuska_shared::reference::{CodedName, Names};

/// A coded choice whose names are the catalogue texts of `prefix.code` (for lists the
/// reference data does not carry, such as relationships).
pub fn catalogued(code: &str, prefix: &str) -> CodedName {
    let key = format!("{prefix}.{code}");
    CodedName { code: code.into(), name: Names { kk: t(Lang::Kk, &key).into(), ru: t(Lang::Ru, &key).into(), en: t(Lang::En, &key).into() } }
}
