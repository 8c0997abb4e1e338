//! Kazakhstan mobile phone numbers, accepted as people type them and kept in E.164 (`+77…`).

use std::fmt;

use thiserror::Error;

use crate::error::ErrorCode;

/// Why a string is not a Kazakhstan mobile number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PhoneError {
    /// Nothing was entered.
    #[error("the phone number is empty")]
    Empty,
    /// Letters or other symbols besides digits, spaces, `+`, `-`, `(`, `)`.
    #[error("the phone number contains characters other than digits")]
    Characters,
    /// Not a +7 7XX XXX XX XX number.
    #[error("not a Kazakhstan mobile number")]
    NotMobile,
}

impl ErrorCode for PhoneError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "required",
            Self::Characters => "phone.characters",
            Self::NotMobile => "phone.not_mobile",
        }
    }
}

/// Operator (DEF) codes of Kazakhstan's mobile networks begin with these digits (700–708, 747,
/// 750–751, 760–764, 771–778); 71x–73x are landline area codes such as Almaty's 727.
const MOBILE_PREFIXES: [&str; 5] = ["70", "74", "75", "76", "77"];

/// A Kazakhstan mobile number in E.164 form, `+77XXXXXXXXX`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

impl Phone {
    /// Accepts `8 701 …`, `+7 (701) …`, `7701…` with spaces and dashes.
    pub fn parse(raw: &str) -> Result<Self, PhoneError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        if !trimmed.chars().all(|c| c.is_ascii_digit() || " +-()\u{a0}".contains(c)) {
            return Err(PhoneError::Characters);
        }
        if trimmed.chars().skip(1).any(|c| c == '+') {
            return Err(PhoneError::Characters);
        }
        let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
        // Kazakhstan mobile numbers: country code 7, then a 7XX operator code, 7 more digits.
        let national = match digits.len() {
            11 if digits.starts_with('8') || digits.starts_with('7') => &digits[1..],
            10 if !trimmed.starts_with('+') => &digits[..],
            _ => return Err(PhoneError::NotMobile),
        };
        if !MOBILE_PREFIXES.iter().any(|p| national.starts_with(p)) {
            return Err(PhoneError::NotMobile);
        }
        Ok(Self(format!("+7{national}")))
    }
}

impl AsRef<str> for Phone {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn common_spellings_normalise_to_e164() {
        for raw in ["8 701 123 45 67", "+7 (701) 123-45-67", "87011234567", "+77011234567", "7011234567", "7 701 1234567"] {
            assert_eq!(Phone::parse(raw).unwrap().as_ref(), "+77011234567", "{raw}");
        }
    }

    #[test]
    fn landlines_foreign_and_garbage_are_rejected() {
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
        assert_eq!(Phone::parse("+7 727 123 45 67"), Err(PhoneError::NotMobile));
        assert_eq!(Phone::parse("+998 90 123 45 67"), Err(PhoneError::NotMobile));
        assert_eq!(Phone::parse("8 701 abc"), Err(PhoneError::Characters));
        assert_eq!(Phone::parse("12345"), Err(PhoneError::NotMobile));
    }

    proptest! {
        /// However a valid number is written (8 / +7 / 7 / no prefix, any grouping with spaces,
        /// dashes or brackets), it normalises to the same E.164 value.
        #[test]
        fn every_spelling_normalises_to_one_value(
            n in "7[04-7][0-9]{8}",
            prefix in prop::sample::select(vec!["8", "+7", "7", "", "+7 (", "8 ("]),
            seps in prop::collection::vec(prop::sample::select(vec!["", " ", "-", ") ", "\u{a0}"]), 10),
        ) {
            let mut raw = prefix.to_string();
            for (i, d) in n.chars().enumerate() {
                raw.push(d);
                raw.push_str(seps[i]);
            }
            let got = Phone::parse(&raw).map(|p| p.to_string());
            prop_assert_eq!(got, Ok(format!("+7{n}")), "{:?}", raw);
        }

        #[test]
        fn parse_display_round_trips(n in "7[04-7][0-9]{8}") {
            let p = Phone::parse(&format!("8{n}")).unwrap();
            prop_assert_eq!(Phone::parse(&format!("{p}")), Ok(p));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC*") {
            let _ = Phone::parse(&s);
        }
    }
}
