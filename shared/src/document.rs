//! Identifiers printed on education documents: series, blank number, registration number and
//! year of graduation.
//!
//! Exact national formats are not verified (reference/documents.md), so values are bounded and
//! normalised rather than matched against a guessed pattern: upper case, Cyrillic/Latin
//! look-alike letters unified, no control characters.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use thiserror::Error;

use crate::error::ErrorCode;

/// Longest series accepted (known series such as `BD`, `MBA`, `ЖБ-Б` are far shorter).
pub const MAX_SERIES_CHARS: usize = 10;
/// Longest blank or registration number accepted.
pub const MAX_NUMBER_CHARS: usize = 20;
/// The first year a document of this republic's system could be a duplicate's original; older
/// documents are issued by archives under other rules.
pub const EARLIEST_GRADUATION_YEAR: i32 = 1940;

/// Youngest age, in years, at which anyone can have graduated. Basic secondary school ends after
/// 9 grades begun at 6, so 10 lets through every real graduate, even one who skipped grades, and
/// still catches a birth year typed as the year of graduation. The institution's own founding year
/// is not in the data (`reference/institutions.csv`), so the IIN's birth date is the bound.
pub const MIN_GRADUATION_AGE: i32 = 10;

/// Which identifier of the document is parsed; decides the allowed characters and length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeKind {
    /// Series letters, e.g. `BD`, `ЖБ-Б`.
    Series,
    /// The blank's serial number.
    Number,
    /// The number in the institution's issue book.
    RegistrationNumber,
}

/// Why a string is not a document identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DocumentCodeError {
    /// Nothing was entered.
    #[error("the value is empty")]
    Empty,
    /// Longer than the kind allows.
    #[error("the value is too long")]
    TooLong,
    /// A character that no document carries.
    #[error("the value contains characters that documents do not carry")]
    Characters,
}

impl ErrorCode for DocumentCodeError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "required",
            Self::TooLong => "document.too_long",
            Self::Characters => "document.characters",
        }
    }
}

/// A normalised series, number or registration number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DocumentCode(String);

/// Latin letters that look like Cyrillic ones, as pairs (Latin, Cyrillic).
const LOOK_ALIKES: [(char, char); 12] =
    [('A', 'А'), ('B', 'В'), ('C', 'С'), ('E', 'Е'), ('H', 'Н'), ('K', 'К'), ('M', 'М'), ('O', 'О'), ('P', 'Р'), ('T', 'Т'), ('X', 'Х'), ('Y', 'У')];

fn to_latin(c: char) -> Option<char> {
    LOOK_ALIKES.iter().find(|(_, cy)| *cy == c).map(|(l, _)| *l)
}

fn to_cyrillic(c: char) -> Option<char> {
    LOOK_ALIKES.iter().find(|(l, _)| *l == c).map(|(_, cy)| *cy)
}

/// `text` as a key for comparing two writings of the same value (a name, a specialty, a document
/// number as a register and a form give them): folded as the list search folds (case, Kazakh
/// letters and their nearest Russian ones, punctuation and spacing do not count), then every
/// Latin letter that looks like a Cyrillic one taken as that Cyrillic letter, so "Aсель" typed
/// with a Latin A and "АСЕЛЬ" give one key.
pub fn comparison_key(text: &str) -> String {
    crate::reference::fold(text)
        .chars()
        .map(|c| {
            let upper = match c {
                'a'..='z' => c.to_ascii_uppercase(),
                // Cyrillic а..я → А..Я (one block, 32 apart); fold leaves no other lower case.
                'а'..='я' => char::from_u32(u32::from(c) - 32).unwrap_or(c),
                _ => c,
            };
            to_cyrillic(upper).unwrap_or(upper)
        })
        .collect()
}

fn is_cyrillic_letter(c: char) -> bool {
    matches!(c, 'А'..='Я' | 'Ё') || "ӘҒҚҢӨҰҮҺІ".contains(c)
}

/// A number without the sign written before it, as on the document or a form ("№ 0012345",
/// "No. 0012345", "№№ 12"): the sign is no part of the number.
fn without_number_sign(mut value: &str) -> &str {
    loop {
        let no =
            ["NO", "NО"].iter().find_map(|sign| value.strip_prefix(sign)).filter(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || c == '.' || c == ' '));
        match value.strip_prefix('№').or(no) {
            Some(rest) => value = rest.trim_start_matches(['.', ' ']),
            None => return value,
        }
    }
}

/// A number typed with the letter O (Latin or Cyrillic) for a zero, where every other character
/// is a digit or a separator: the zeros it means. A number with any other letter is left as it is.
fn zeros_for_letter_o(value: &str) -> Option<String> {
    let digit_like = |c: char| c.is_ascii_digit() || " -/".contains(c);
    let only_os = value.chars().all(|c| digit_like(c) || c == 'O' || c == 'О');
    (only_os && value.chars().any(|c| c.is_ascii_digit())).then(|| value.replace(['O', 'О'], "0"))
}

impl DocumentCode {
    /// Parses and normalises one identifier. A value whose letters are all look-alikes becomes
    /// Latin (series of own-format documents are Latin); one with any Cyrillic-only letter
    /// becomes Cyrillic throughout. A number (blank or registration) loses a "№" or "No" written
    /// before it, and a letter O among its digits is read as the zero it stands for.
    pub fn parse(raw: &str, kind: CodeKind) -> Result<Self, DocumentCodeError> {
        let mut upper: String = crate::letter_case::upper(raw.trim()).split_whitespace().collect::<Vec<_>>().join(" ");
        if kind != CodeKind::Series {
            upper = without_number_sign(&upper).to_string();
            upper = zeros_for_letter_o(&upper).unwrap_or(upper);
        }
        if upper.is_empty() {
            return Err(DocumentCodeError::Empty);
        }
        let max = match kind {
            CodeKind::Series => MAX_SERIES_CHARS,
            CodeKind::Number | CodeKind::RegistrationNumber => MAX_NUMBER_CHARS,
        };
        if upper.chars().count() > max {
            return Err(DocumentCodeError::TooLong);
        }
        let allowed = |c: char| c.is_ascii_uppercase() || c.is_ascii_digit() || is_cyrillic_letter(c) || "-/ №".contains(c);
        if !upper.chars().all(allowed) {
            return Err(DocumentCodeError::Characters);
        }
        let has_cyrillic_only = upper.chars().any(|c| is_cyrillic_letter(c) && to_latin(c).is_none());
        let unified: String = upper.chars().map(|c| if has_cyrillic_only { to_cyrillic(c).unwrap_or(c) } else { to_latin(c).unwrap_or(c) }).collect();
        Ok(Self(unified))
    }
}

impl AsRef<str> for DocumentCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocumentCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a year is not a plausible graduation year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum GraduationYearError {
    /// Later than the current year.
    #[error("the year is in the future")]
    Future,
    /// Earlier than [`EARLIEST_GRADUATION_YEAR`].
    #[error("the year is too early")]
    TooEarly,
    /// Before the graduate was [`MIN_GRADUATION_AGE`] years old.
    #[error("the year is too early for the graduate's date of birth")]
    TooYoung,
}

impl ErrorCode for GraduationYearError {
    fn code(&self) -> &'static str {
        match self {
            Self::Future => "graduation_year.future",
            Self::TooEarly => "graduation_year.too_early",
            Self::TooYoung => "graduation_year.too_young",
        }
    }
}

/// Checks a graduation year against today's year (passed in: the domain has no clock).
pub fn check_graduation_year(year: i32, current_year: i32) -> Result<i32, GraduationYearError> {
    if year > current_year {
        Err(GraduationYearError::Future)
    } else if year < EARLIEST_GRADUATION_YEAR {
        Err(GraduationYearError::TooEarly)
    } else {
        Ok(year)
    }
}

/// Every graduation-year rule at once: the year's own bounds, then the graduate's age when the
/// birth date is known.
pub fn check_graduation(year: i32, current_year: i32, birth: Option<NaiveDate>) -> Result<i32, GraduationYearError> {
    let year = check_graduation_year(year, current_year)?;
    birth.map_or(Ok(year), |b| check_graduation_age(year, b))
}

/// Checks a graduation year against the graduate's birth date (from the IIN).
pub fn check_graduation_age(year: i32, birth: NaiveDate) -> Result<i32, GraduationYearError> {
    if year < birth.year() + MIN_GRADUATION_AGE {
        Err(GraduationYearError::TooYoung)
    } else {
        Ok(year)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn look_alikes_are_unified_by_the_script_of_the_value() {
        // "ВD" typed with a Cyrillic В is the Latin series BD.
        assert_eq!(DocumentCode::parse("вd", CodeKind::Series).unwrap().as_ref(), "BD");
        // "ЖБ-B" with a Latin B is the Cyrillic series ЖБ-Б? B maps to В, the Cyrillic look-alike.
        assert_eq!(DocumentCode::parse("жб-b", CodeKind::Series).unwrap().as_ref(), "ЖБ-В");
        assert_eq!(DocumentCode::parse(" 0012345 ", CodeKind::Number).unwrap().as_ref(), "0012345");
    }

    #[test]
    fn a_number_sign_before_a_number_is_dropped_and_a_letter_o_among_digits_is_a_zero() {
        let number = |raw: &str| DocumentCode::parse(raw, CodeKind::Number).map(|c| c.to_string());
        for typed in ["№ 0012345", "№0012345", "No 0012345", "no. 0012345", "NO0012345", "Nо 0012345", "№ № 0012345"] {
            assert_eq!(number(typed).as_deref(), Ok("0012345"), "{typed}");
        }
        // Latin and Cyrillic O typed for zeros.
        assert_eq!(number("OO12345").as_deref(), Ok("0012345"));
        assert_eq!(number("№ ОО12345").as_deref(), Ok("0012345"));
        assert_eq!(DocumentCode::parse("12-О/45", CodeKind::RegistrationNumber).unwrap().as_ref(), "12-0/45");
        // Other letters mean the value has letters: no guess is made.
        assert_eq!(number("O12A45").as_deref(), Ok("O12A45"));
        assert_eq!(number("NOVA").as_deref(), Ok("NOVA"), "not a sign: no digit follows");
        assert_eq!(number("№"), Err(DocumentCodeError::Empty), "a sign alone is no number");
        // A series keeps its letters: O is a letter there.
        assert_eq!(DocumentCode::parse("NO", CodeKind::Series).unwrap().as_ref(), "NO");
        assert_eq!(DocumentCode::parse("O1", CodeKind::Series).unwrap().as_ref(), "O1");
    }

    #[test]
    fn comparison_keys_ignore_look_alikes_case_spacing_and_kazakh_letters() {
        let same =
            [("Aсель", "АСЕЛЬ"), ("Сейітқали", "Сейиткали"), ("  Иванов-Петров ", "иванов петров"), ("ВD", "BD"), ("Жалпы  медицина", "ЖАЛПЫ МЕДИЦИНА.")];
        for (a, b) in same {
            assert_eq!(comparison_key(a), comparison_key(b), "{a} / {b}");
        }
        for (a, b) in [("Асель", "Асел"), ("BD", "ВД"), ("0012345", "0012346")] {
            assert_ne!(comparison_key(a), comparison_key(b), "{a} / {b}");
        }
    }

    #[test]
    fn bad_values_are_rejected() {
        assert_eq!(DocumentCode::parse("", CodeKind::Series), Err(DocumentCodeError::Empty));
        assert_eq!(DocumentCode::parse("ABCDEFGHIJK", CodeKind::Series), Err(DocumentCodeError::TooLong));
        assert_eq!(DocumentCode::parse("12\u{0}3", CodeKind::Number), Err(DocumentCodeError::Characters));
        assert_eq!(DocumentCode::parse("12;3", CodeKind::Number), Err(DocumentCodeError::Characters));
    }

    #[test]
    fn graduation_years_are_bounded() {
        assert_eq!(check_graduation_year(2015, 2026), Ok(2015));
        assert_eq!(check_graduation_year(2027, 2026), Err(GraduationYearError::Future));
        assert_eq!(check_graduation_year(1900, 2026), Err(GraduationYearError::TooEarly));
        assert_eq!(check_graduation_year(EARLIEST_GRADUATION_YEAR, 2026), Ok(EARLIEST_GRADUATION_YEAR));
        assert_eq!(check_graduation_year(2026, 2026), Ok(2026));
    }

    #[test]
    fn graduation_comes_at_least_ten_years_after_birth() {
        let born = NaiveDate::from_ymd_opt(2001, 12, 31).unwrap();
        assert_eq!(check_graduation_age(2011, born), Ok(2011));
        assert_eq!(check_graduation_age(2010, born), Err(GraduationYearError::TooYoung));
        assert_eq!(check_graduation_age(2001, born), Err(GraduationYearError::TooYoung));
    }

    proptest! {
        #[test]
        fn normalisation_is_idempotent(s in "[A-Za-zА-Яа-я0-9-]{1,10}") {
            if let Ok(code) = DocumentCode::parse(&s, CodeKind::Series) {
                prop_assert_eq!(DocumentCode::parse(code.as_ref(), CodeKind::Series), Ok(code));
            }
        }

        #[test]
        fn numbers_round_trip_for_every_kind(
            s in "[0-9A-Za-zА-Яа-яӘәҒғҚқҢңӨөҰұҮүҺһІі№/ -]{1,20}",
            kind in prop::sample::select(vec![CodeKind::Series, CodeKind::Number, CodeKind::RegistrationNumber]),
        ) {
            if let Ok(code) = DocumentCode::parse(&s, kind) {
                prop_assert_eq!(DocumentCode::parse(&format!("{code}"), kind), Ok(code.clone()));
                prop_assert!(code.as_ref().chars().all(|c| !c.is_lowercase() && !c.is_control()));
            }
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC*") {
            let _ = DocumentCode::parse(&s, CodeKind::Number);
        }

        /// A key is stable (a key's key is itself) and does not see look-alike letters: a value
        /// with its look-alikes swapped to the other script has the same key.
        #[test]
        fn comparison_keys_are_stable_and_blind_to_look_alikes(s in "[A-Za-zА-Яа-яӘәҚқ0-9 -]{0,20}") {
            let key = comparison_key(&s);
            prop_assert_eq!(comparison_key(&key), key.clone());
            let swapped: String = s.chars().map(|c| to_latin(c).or_else(|| to_cyrillic(c)).unwrap_or(c)).collect();
            prop_assert_eq!(comparison_key(&swapped), key);
        }
    }
}
