//! The individual identification number (ИИН / ЖСН): 12 digits, a birth date, a century/sex
//! digit and a check digit (see `shared/reference/iin.md`).

use std::fmt;

use chrono::NaiveDate;
use thiserror::Error;

use crate::error::ErrorCode;

/// Weights of the first check-digit pass (reference/iin.md).
const WEIGHTS_FIRST: [u32; 11] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
/// Weights of the second pass, used when the first gives 10.
const WEIGHTS_SECOND: [u32; 11] = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2];

/// Why a string is not an IIN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum IinError {
    /// Nothing was entered.
    #[error("the IIN is empty")]
    Empty,
    /// Not exactly 12 digits (spaces are ignored).
    #[error("the IIN must have 12 digits, found {len} characters")]
    WrongLength {
        /// How many characters were entered (spaces left out).
        len: usize,
    },
    /// A character that is not a digit.
    #[error("the IIN may contain digits only")]
    NotDigits,
    /// Digit 7 is not 1–6.
    #[error("century/sex digit {digit} is not 1–6")]
    CenturyDigit {
        /// The seventh digit as entered.
        digit: u8,
    },
    /// The first six digits are not a calendar date.
    #[error("the first six digits are not a valid birth date")]
    BirthDate,
    /// Both check-digit passes give 10: such a number is never issued.
    #[error("such an IIN is never issued")]
    NeverIssued,
    /// The last digit does not match.
    #[error("the check digit does not match")]
    CheckDigit,
}

impl ErrorCode for IinError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "required",
            Self::WrongLength { .. } => "iin.length",
            Self::NotDigits => "iin.digits",
            Self::CenturyDigit { .. } => "iin.century",
            Self::BirthDate => "iin.birth_date",
            Self::NeverIssued => "iin.never_issued",
            Self::CheckDigit => "iin.check_digit",
        }
    }
}

/// Sex encoded in the IIN's seventh digit (odd = male).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    /// Odd century digit.
    Male,
    /// Even century digit.
    Female,
}

/// A valid IIN. The only way to get one is [`Iin::parse`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Iin(String);

/// The check digit of the first 11 digits, or `None` when both passes give 10.
pub fn check_digit(first11: &[u32; 11]) -> Option<u32> {
    let pass = |w: &[u32; 11]| first11.iter().zip(w).map(|(d, w)| d * w).sum::<u32>() % 11;
    match pass(&WEIGHTS_FIRST) {
        10 => match pass(&WEIGHTS_SECOND) {
            10 => None,
            k => Some(k),
        },
        k => Some(k),
    }
}

impl Iin {
    /// Parses a typed IIN; spaces are ignored since people copy it grouped.
    pub fn parse(raw: &str) -> Result<Self, IinError> {
        let compact: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if compact.is_empty() {
            return Err(IinError::Empty);
        }
        if !compact.chars().all(|c| c.is_ascii_digit()) {
            return Err(IinError::NotDigits);
        }
        if compact.len() != 12 {
            return Err(IinError::WrongLength { len: compact.chars().count() });
        }
        let d: Vec<u32> = compact.bytes().map(|b| u32::from(b - b'0')).collect();
        let century = match d[6] {
            1 | 2 => 1800,
            3 | 4 => 1900,
            5 | 6 => 2000,
            other => return Err(IinError::CenturyDigit { digit: other as u8 }),
        };
        let year = century + (d[0] * 10 + d[1]) as i32;
        NaiveDate::from_ymd_opt(year, d[2] * 10 + d[3], d[4] * 10 + d[5]).ok_or(IinError::BirthDate)?;
        let first11: [u32; 11] = d[..11].try_into().expect("12 digits checked above");
        match check_digit(&first11) {
            None => Err(IinError::NeverIssued),
            Some(k) if k == d[11] => Ok(Self(compact)),
            Some(_) => Err(IinError::CheckDigit),
        }
    }

    /// The birth date encoded in the number.
    pub fn birth_date(&self) -> NaiveDate {
        let d = self.0.as_bytes();
        let n = |i: usize| u32::from(d[i] - b'0');
        let century = match n(6) {
            1 | 2 => 1800,
            3 | 4 => 1900,
            _ => 2000,
        };
        NaiveDate::from_ymd_opt(century + (n(0) * 10 + n(1)) as i32, n(2) * 10 + n(3), n(4) * 10 + n(5)).expect("validated in parse")
    }

    /// The sex encoded in the number.
    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[6] - b'0') % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }
}

impl AsRef<str> for Iin {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Iin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reference_vectors_are_classified_as_in_the_reference() {
        for ok in ["850315100016", "990731200429", "010101599904", "120229699910", "700101390111", "061211600012"] {
            assert!(Iin::parse(ok).is_ok(), "{ok}");
        }
        let bad = [
            ("850315100017", IinError::CheckDigit),
            ("700101490830", IinError::NeverIssued),
            ("851315100019", IinError::BirthDate),
            ("850315700014", IinError::CenturyDigit { digit: 7 }),
            ("85031510001", IinError::WrongLength { len: 11 }),
            ("", IinError::Empty),
            ("8503151000a6", IinError::NotDigits),
        ];
        for (raw, err) in bad {
            assert_eq!(Iin::parse(raw), Err(err), "{raw}");
        }
    }

    #[test]
    fn spaces_are_ignored_and_date_and_sex_are_decoded() {
        let iin = Iin::parse(" 0101 0159 9904 ").unwrap();
        assert_eq!(iin.as_ref(), "010101599904");
        assert_eq!(iin.birth_date(), NaiveDate::from_ymd_opt(2001, 1, 1).unwrap());
        assert_eq!(iin.sex(), Sex::Male);
    }

    proptest! {
        #[test]
        fn a_wrong_check_digit_is_always_rejected(s in "[0-9]{6}[1-6][0-9]{4}", wrong in 0u32..10) {
            let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
            let first11: [u32; 11] = d.try_into().unwrap();
            if let Some(k) = check_digit(&first11) {
                prop_assume!(wrong != k);
                let candidate = format!("{s}{wrong}");
                prop_assert!(Iin::parse(&candidate).is_err());
            }
        }

        #[test]
        fn display_then_parse_round_trips(s in "[0-9]{6}[1-6][0-9]{4}") {
            let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
            let first11: [u32; 11] = d.try_into().unwrap();
            if let (Some(k), Ok(iin)) = (check_digit(&first11), Iin::parse(&format!("{s}{}", check_digit(&first11).unwrap_or(0)))) {
                prop_assert_eq!(iin.to_string(), format!("{s}{k}"));
                prop_assert_eq!(Iin::parse(&format!("{iin}")), Ok(iin));
            }
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC*") {
            let _ = Iin::parse(&s);
        }
    }
}
