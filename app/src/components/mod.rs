//! Pieces of the citizen form, one component per file.

pub mod applicant_fields;
pub mod checkbox_field;
pub mod confirmation;
pub mod consent_fields;
pub mod document_fields;
pub mod error_summary;
pub mod field_error;
pub mod field_notices;
pub mod lang_switcher;
pub mod radio_group;
pub mod reason_field;
pub mod select_field;
pub mod signing;
pub mod submit_bar;
pub mod text_field;
