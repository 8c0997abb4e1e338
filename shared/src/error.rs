//! Field-level validation errors: a dotted field path plus a stable machine code.

use serde::Serialize;

/// One failed rule at one field. The `code` never changes with the language; the text shown
/// to a person comes from [`crate::i18n`].
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    /// Dotted path with indices, e.g. `documents.0.series`.
    pub field: String,
    /// Stable machine code, e.g. `iin.check_digit`.
    pub code: &'static str,
}

/// Every failure found in one validation pass.
pub type FieldErrors = Vec<FieldError>;

impl FieldError {
    /// An error of `code` at `field`.
    pub fn new(field: impl Into<String>, code: &'static str) -> Self {
        Self { field: field.into(), code }
    }
}

/// Errors that parsers of single values report; each maps to one stable code.
pub trait ErrorCode {
    /// The stable machine code of this error.
    fn code(&self) -> &'static str;
}
