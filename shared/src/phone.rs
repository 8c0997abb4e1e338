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

/// The operator (DEF) codes allocated to Kazakhstan's mobile networks, one a line, with their
/// source (`data/mobile_prefixes.csv`); others, such as Almaty's landline 727, get no SMS.
const MOBILE_PREFIXES: &str = include_str!("../data/mobile_prefixes.csv");

/// Whether a 10-digit national number starts with an allocated mobile operator code.
fn is_mobile(national: &str) -> bool {
    MOBILE_PREFIXES.lines().map(str::trim).filter(|line| line.len() == 3 && line.bytes().all(|b| b.is_ascii_digit())).any(|prefix| national.starts_with(prefix))
}

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
        if !is_mobile(national) {
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

    #[test]
    fn only_allocated_mobile_codes_are_accepted() {
        for code in ["700", "701", "702", "705", "706", "707", "708", "747", "760", "764", "771", "775", "776", "777", "778", "785"] {
            assert!(Phone::parse(&format!("+7 {code} 123 45 67")).is_ok(), "{code}");
        }
        // Unallocated (703, 704, 750, 709, 779), VoIP (751), landline (727, 717).
        for code in ["703", "704", "750", "751", "709", "779", "727", "717", "765"] {
            assert_eq!(Phone::parse(&format!("+7 {code} 123 45 67")), Err(PhoneError::NotMobile), "{code}");
        }
    }

    #[test]
    fn the_prefix_table_lists_three_digit_codes_only() {
        let codes: Vec<&str> = MOBILE_PREFIXES.lines().filter(|l| !l.starts_with('#') && *l != "prefix").collect();
        assert!(codes.len() >= 10);
        assert!(codes.iter().all(|c| c.len() == 3 && c.starts_with('7') && c.bytes().all(|b| b.is_ascii_digit())), "{codes:?}");
    }

    /// A valid national number: an allocated operator code and 7 digits.
    fn mobile_number() -> impl Strategy<Value = String> {
        let codes: Vec<String> = MOBILE_PREFIXES.lines().filter(|l| l.len() == 3 && l.bytes().all(|b| b.is_ascii_digit())).map(String::from).collect();
        (prop::sample::select(codes), "[0-9]{7}").prop_map(|(code, rest)| format!("{code}{rest}"))
    }

    proptest! {
        /// However a valid number is written (8 / +7 / 7 / no prefix, any grouping with spaces,
        /// dashes or brackets), it normalises to the same E.164 value.
        #[test]
        fn every_spelling_normalises_to_one_value(
            n in mobile_number(),
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
        fn parse_display_round_trips(n in mobile_number()) {
            let p = Phone::parse(&format!("8{n}")).unwrap();
            prop_assert_eq!(Phone::parse(&format!("{p}")), Ok(p));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC*") {
            let _ = Phone::parse(&s);
        }
    }
}
