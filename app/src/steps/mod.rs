//! The form's steps, one topic per screen ([`crate::form::Step`]), one component per file.

pub mod applicant;
pub mod consents;
pub mod document_entry;
pub mod documents;
pub mod reason;
pub mod review;
pub mod service;
pub mod sign;

use telnuska_shared::reference::{CodedName, Names};

/// Marks a name that is a catalogue key, read in the language on screen when shown
/// ([`crate::i18n::label_in`]).
pub const KEYED: char = '@';

/// A coded choice whose names are the catalogue texts of `prefix.code` (for lists the
/// reference data does not carry, such as relationships). The names hold the key, not the text:
/// only the language on screen has its texts loaded, and another language's are read once the
/// person switches to it.
pub fn catalogued(code: &str, prefix: &str) -> CodedName {
    let key = format!("{KEYED}{prefix}.{code}");
    CodedName { code: code.into(), name: Names { kk: key.clone(), ru: key.clone(), en: key } }
}
