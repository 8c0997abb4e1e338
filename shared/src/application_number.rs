//! The application's human-readable number, `TN-<year>-<sequence>` (e.g. `TN-2026-000123`): what
//! the receipt, the SMS and the confirmation show and what people type to track an application.
//! One rule for reading it as people type it, used by the server and the app alike.

use std::fmt;
use std::str::FromStr;

use thiserror::Error;

/// The prefix every number starts with.
const PREFIX: &str = "TN";
/// Digits the sequence is padded to (six: a year of one provider's applications fits).
const SEQUENCE_WIDTH: usize = 6;
/// The most digits a sequence may have when typed (a larger number cannot have been issued).
const MAX_SEQUENCE_DIGITS: usize = 9;

/// Why a string is not an application number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ApplicationNumberError {
    /// Nothing was typed.
    #[error("the application number is empty")]
    Empty,
    /// Not of the form `TN-YYYY-NNNNNN`.
    #[error("an application number looks like TN-2026-000123")]
    Format,
}

impl crate::error::ErrorCode for ApplicationNumberError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "required",
            Self::Format => "application_number.format",
        }
    }
}

/// An application number: the year it was registered in and its sequence within the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ApplicationNumber {
    year: u16,
    sequence: u32,
}

impl ApplicationNumber {
    /// The number the server gives the `sequence`-th application of `year`.
    pub fn new(year: u16, sequence: u32) -> Self {
        Self { year, sequence }
    }

    /// Reads a number as people type it: spaces anywhere, any case, the `TN-` prefix left out,
    /// and the Cyrillic Т and Н (the same keys on a Kazakh or Russian layout) for the Latin ones.
    pub fn parse(typed: &str) -> Result<Self, ApplicationNumberError> {
        let compact: String = typed
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                'Т' | 'т' => 'T',
                'Н' | 'н' => 'N',
                // Dashes that phones and word processors put in place of the hyphen.
                '–' | '—' | '‐' | '‑' => '-',
                c => c.to_ascii_uppercase(),
            })
            .collect();
        if compact.is_empty() {
            return Err(ApplicationNumberError::Empty);
        }
        let rest = compact.strip_prefix(PREFIX).map_or(compact.as_str(), |r| r.strip_prefix('-').unwrap_or(r));
        let (year, sequence) = rest.split_once('-').ok_or(ApplicationNumberError::Format)?;
        let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if year.len() != 4 || !all_digits(year) || !all_digits(sequence) || sequence.len() > MAX_SEQUENCE_DIGITS {
            return Err(ApplicationNumberError::Format);
        }
        let year = year.parse().map_err(|_| ApplicationNumberError::Format)?;
        let sequence = sequence.parse().map_err(|_| ApplicationNumberError::Format)?;
        Ok(Self { year, sequence })
    }

    /// Reads what a barcode or QR scanner typed at the desk. A scanner works as a keyboard: on a
    /// Kazakh or Russian layout it presses the keys of `T` and `N` and the text shows `Е` and
    /// `Т`, while the digits and the hyphen come out the same; so a prefix that is not `TN`
    /// is dropped up to the first digit.
    pub fn parse_scanned(typed: &str) -> Result<Self, ApplicationNumberError> {
        Self::parse(typed).or_else(|e| match typed.find(|c: char| c.is_ascii_digit()) {
            Some(start) if start > 0 => Self::parse(&typed[start..]),
            _ => Err(e),
        })
    }

    /// The year of registration.
    pub fn year(&self) -> u16 {
        self.year
    }

    /// The sequence within the counter.
    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

impl fmt::Display for ApplicationNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{PREFIX}-{}-{:0width$}", self.year, self.sequence, width = SEQUENCE_WIDTH)
    }
}

impl FromStr for ApplicationNumber {
    type Err = ApplicationNumberError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use proptest::prelude::*;

    use super::{ApplicationNumber, ApplicationNumberError};

    #[test]
    fn a_number_is_read_as_people_type_it() {
        let expected = ApplicationNumber::new(2026, 123);
        for typed in [
            "TN-2026-000123",
            " tn-2026-000123 ",
            "ТН-2026-000123",
            "тн-2026-000123",
            "2026-000123",
            "TN 2026 - 000123",
            "TN–2026–000123",
            "TN2026-000123",
            "TN-2026-123",
        ] {
            assert_eq!(ApplicationNumber::parse(typed), Ok(expected), "{typed:?}");
        }
    }

    #[test]
    fn a_scanner_on_a_cyrillic_layout_is_read_by_its_digits() {
        let expected = ApplicationNumber::new(2026, 123);
        for typed in ["ЕТ-2026-000123", "ЕТ-2026-000123\n", "TN-2026-000123", "2026-000123"] {
            assert_eq!(ApplicationNumber::parse_scanned(typed), Ok(expected), "{typed:?}");
        }
        assert_eq!(ApplicationNumber::parse("ЕТ-2026-000123"), Err(ApplicationNumberError::Format), "typed by hand it is not a number");
        assert_eq!(ApplicationNumber::parse_scanned("ЕТ"), Err(ApplicationNumberError::Format));
        assert_eq!(ApplicationNumber::parse_scanned("ЕТ-2026-00012a"), Err(ApplicationNumberError::Format));
    }

    #[test]
    fn it_is_shown_with_six_digits_or_more() {
        assert_eq!(ApplicationNumber::new(2026, 123).to_string(), "TN-2026-000123");
        assert_eq!(ApplicationNumber::new(2027, 1_234_567).to_string(), "TN-2027-1234567");
    }

    #[test]
    fn anything_else_is_refused() {
        assert_eq!(ApplicationNumber::parse("  "), Err(ApplicationNumberError::Empty));
        for typed in [
            "TN-2026/../x",
            "TN-26-000123",
            "TN-2026-",
            "TN-2026-00012a",
            "0b9c1234-5678-4abc-8def-0123456789ab",
            "TN-2026-0001234567",
            "XX-2026-000123",
            "12345678",
        ] {
            assert_eq!(ApplicationNumber::parse(typed), Err(ApplicationNumberError::Format), "{typed:?}");
        }
    }

    proptest! {
        #[test]
        fn display_then_parse_gives_the_same_number(year in 1000u16..=9999, sequence in 0u32..=999_999_999) {
            let number = ApplicationNumber::new(year, sequence);
            prop_assert_eq!(ApplicationNumber::parse(&number.to_string()), Ok(number));
            prop_assert_eq!(ApplicationNumber::parse(&number.to_string().to_lowercase()), Ok(number));
        }

        #[test]
        fn parsing_never_panics(typed in "\\PC{0,40}") {
            let _ = ApplicationNumber::parse(&typed);
            let _ = ApplicationNumber::parse_scanned(&typed);
        }
    }
}
