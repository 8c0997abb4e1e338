//! What the ЦОН operator records at a hand-over (003 item 62; issue 17): the identity document
//! the applicant shows, or the power of attorney of a representative, checked before the
//! document is given out.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::api::PresentedDocumentInput;
use crate::error::ErrorCode;

/// Longest document or power of attorney number.
pub const MAX_NUMBER_CHARS: usize = 20;
/// Longest notary's name (with the notarial district).
pub const MAX_NOTARY_CHARS: usize = 150;

/// The identity documents a ЦОН accepts at a hand-over.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IdentityDocumentType {
    /// The identity card of a citizen of Kazakhstan.
    IdentityCard,
    /// A passport.
    Passport,
    /// A foreigner's residence permit.
    ResidencePermit,
    /// A stateless person's certificate.
    StatelessCertificate,
}

impl IdentityDocumentType {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::IdentityCard => "identity_card",
            Self::Passport => "passport",
            Self::ResidencePermit => "residence_permit",
            Self::StatelessCertificate => "stateless_certificate",
        }
    }

    /// The type of a code.
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::IdentityCard, Self::Passport, Self::ResidencePermit, Self::StatelessCertificate].into_iter().find(|t| t.code() == code.trim())
    }
}

/// Why a presented document is refused; each is reported at its field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum HandOverError {
    /// Not a document type the ЦОН accepts.
    #[error("not an identity document accepted at a hand-over")]
    DocumentType,
    /// The number is empty, too long, or has other than letters and digits.
    #[error("a document number is 1 to {MAX_NUMBER_CHARS} letters or digits")]
    Number,
    /// The power of attorney's date is missing, malformed or in the future.
    #[error("the power of attorney's date is a past day")]
    Date,
    /// The notary is not named.
    #[error("the notary who certified the power of attorney is named")]
    Notary,
}

impl ErrorCode for HandOverError {
    fn code(&self) -> &'static str {
        match self {
            Self::DocumentType => "hand_over.document_type",
            Self::Number => "hand_over.number",
            Self::Date => "hand_over.date",
            Self::Notary => "hand_over.notary",
        }
    }
}

impl HandOverError {
    /// The field of [`PresentedDocumentInput`] it is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::DocumentType => "document_type",
            Self::Number => "number",
            Self::Date => "date",
            Self::Notary => "notary",
        }
    }
}

/// A checked document shown at a hand-over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresentedDocument {
    /// The applicant's own identity document.
    Identity {
        /// Which document.
        document_type: IdentityDocumentType,
        /// Its number.
        number: String,
    },
    /// A representative's notarised power of attorney.
    PowerOfAttorney {
        /// Its number in the notary's register.
        number: String,
        /// The day it was certified.
        date: NaiveDate,
        /// The notary who certified it.
        notary: String,
    },
}

/// A document number: letters and digits, spaces dropped (people read it out in groups).
fn number(raw: &str) -> Result<String, HandOverError> {
    let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
    let ok = (1..=MAX_NUMBER_CHARS).contains(&compact.chars().count()) && compact.chars().all(char::is_alphanumeric);
    ok.then_some(compact).ok_or(HandOverError::Number)
}

impl PresentedDocument {
    /// Checks what the operator typed; `today` bounds the power of attorney's date.
    pub fn parse(input: &PresentedDocumentInput, today: NaiveDate) -> Result<Self, HandOverError> {
        match input {
            PresentedDocumentInput::Identity { document_type, number: raw } => {
                let document_type = IdentityDocumentType::from_code(document_type).ok_or(HandOverError::DocumentType)?;
                Ok(Self::Identity { document_type, number: number(raw)? })
            }
            PresentedDocumentInput::PowerOfAttorney { number: raw, date, notary } => {
                let number = number(raw)?;
                let date = date.trim().parse::<NaiveDate>().ok().filter(|d| *d <= today).ok_or(HandOverError::Date)?;
                let notary = notary.split_whitespace().collect::<Vec<_>>().join(" ");
                if notary.is_empty() || notary.chars().count() > MAX_NOTARY_CHARS {
                    return Err(HandOverError::Notary);
                }
                Ok(Self::PowerOfAttorney { number, date, notary })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
    }

    fn identity(document_type: &str, number: &str) -> PresentedDocumentInput {
        PresentedDocumentInput::Identity { document_type: document_type.into(), number: number.into() }
    }

    fn attorney(number: &str, date: &str, notary: &str) -> PresentedDocumentInput {
        PresentedDocumentInput::PowerOfAttorney { number: number.into(), date: date.into(), notary: notary.into() }
    }

    #[test]
    fn an_identity_document_is_a_known_type_and_a_number() {
        assert_eq!(
            PresentedDocument::parse(&identity("identity_card", " 0123 45678 "), today()),
            Ok(PresentedDocument::Identity { document_type: IdentityDocumentType::IdentityCard, number: "012345678".into() })
        );
        assert_eq!(PresentedDocument::parse(&identity("driving_licence", "1"), today()), Err(HandOverError::DocumentType));
        assert_eq!(PresentedDocument::parse(&identity("passport", ""), today()), Err(HandOverError::Number));
        assert_eq!(PresentedDocument::parse(&identity("passport", "N-123"), today()), Err(HandOverError::Number));
    }

    #[test]
    fn a_power_of_attorney_has_a_number_a_past_date_and_a_notary() {
        let parsed = PresentedDocument::parse(&attorney("1-234", "2026-11-20", "Ахметова  Г. Б., Астана"), today());
        assert_eq!(parsed, Err(HandOverError::Number), "a hyphen is not part of a register number");
        let parsed = PresentedDocument::parse(&attorney("1234", "2026-11-20", " Ахметова  Г. Б., Астана "), today()).unwrap();
        assert_eq!(
            parsed,
            PresentedDocument::PowerOfAttorney {
                number: "1234".into(),
                date: NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                notary: "Ахметова Г. Б., Астана".into()
            }
        );
        assert_eq!(PresentedDocument::parse(&attorney("1234", "2026-12-02", "Ахметова"), today()), Err(HandOverError::Date));
        assert_eq!(PresentedDocument::parse(&attorney("1234", "20.11.2026", "Ахметова"), today()), Err(HandOverError::Date));
        assert_eq!(PresentedDocument::parse(&attorney("1234", "2026-11-20", "  "), today()), Err(HandOverError::Notary));
    }
}
