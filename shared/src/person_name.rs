//! Surnames, given names and patronymics in Kazakh or Russian Cyrillic or in Latin letters.

use std::fmt;

use thiserror::Error;

use crate::error::ErrorCode;

/// Longest name part accepted; identity documents in Kazakhstan print far shorter ones.
pub const MAX_NAME_CHARS: usize = 60;

/// Why a string is not a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum PersonNameError {
    /// Nothing was entered.
    #[error("the name is empty")]
    Empty,
    /// More than [`MAX_NAME_CHARS`] characters.
    #[error("the name is longer than {MAX_NAME_CHARS} characters")]
    TooLong,
    /// A digit or a symbol that no name contains.
    #[error("the name contains characters that are not letters")]
    Characters,
    /// Letters from two alphabets in one word, a common sign of a typing mistake.
    #[error("the name mixes Cyrillic and Latin letters")]
    MixedScripts,
}

impl ErrorCode for PersonNameError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "required",
            Self::TooLong => "name.too_long",
            Self::Characters => "name.characters",
            Self::MixedScripts => "name.mixed_scripts",
        }
    }
}

/// One part of a person's name, trimmed with inner spaces collapsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PersonName(String);

fn is_cyrillic(c: char) -> bool {
    // Russian letters plus the Kazakh ә ғ қ ң ө ұ ү һ і (and capitals).
    matches!(c, 'а'..='я' | 'А'..='Я' | 'ё' | 'Ё') || "әғқңөұүһіӘҒҚҢӨҰҮҺІ".contains(c)
}

impl PersonName {
    /// Parses one name part.
    pub fn parse(raw: &str) -> Result<Self, PersonNameError> {
        let collapsed = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if collapsed.is_empty() {
            return Err(PersonNameError::Empty);
        }
        if collapsed.chars().count() > MAX_NAME_CHARS {
            return Err(PersonNameError::TooLong);
        }
        let allowed = |c: char| is_cyrillic(c) || c.is_ascii_alphabetic() || " -'’".contains(c);
        if !collapsed.chars().all(allowed) || !collapsed.chars().any(|c| is_cyrillic(c) || c.is_ascii_alphabetic()) {
            return Err(PersonNameError::Characters);
        }
        for word in collapsed.split([' ', '-']) {
            if word.chars().any(is_cyrillic) && word.chars().any(|c| c.is_ascii_alphabetic()) {
                return Err(PersonNameError::MixedScripts);
            }
        }
        Ok(Self(collapsed))
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn kazakh_russian_and_latin_names_are_accepted() {
        for raw in ["Әбілқасымова", "Нұрсұлтан", "Иванов-Петров", "O'Brien", "Ғалия", "Smith", "Үмбетәлі Һ"] {
            assert!(PersonName::parse(raw).is_ok(), "{raw}");
        }
        assert_eq!(PersonName::parse("  Асқар   Бек ").unwrap().as_ref(), "Асқар Бек");
    }

    #[test]
    fn digits_symbols_and_mixed_scripts_are_rejected() {
        assert_eq!(PersonName::parse(" "), Err(PersonNameError::Empty));
        assert_eq!(PersonName::parse("Иван0в"), Err(PersonNameError::Characters));
        assert_eq!(PersonName::parse("Ивaнов"), Err(PersonNameError::MixedScripts));
        assert_eq!(PersonName::parse("--"), Err(PersonNameError::Characters));
        assert_eq!(PersonName::parse(&"а".repeat(61)), Err(PersonNameError::TooLong));
    }

    proptest! {
        #[test]
        fn parse_display_round_trips(s in "[А-Яа-яәғқңөұүһі]{1,20}") {
            let n = PersonName::parse(&s).unwrap();
            prop_assert_eq!(PersonName::parse(&format!("{n}")), Ok(n));
        }

        /// Words each in one alphabet, joined by spaces or hyphens and padded with blanks: parsed,
        /// collapsed, and stable under a second parse.
        #[test]
        fn multi_word_names_in_either_alphabet_round_trip(
            words in prop::collection::vec(prop_oneof!["[А-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі]{1,12}", "[A-Za-z][A-Za-z'’]{0,11}"], 1..4),
            hyphen in any::<bool>(),
            pad in "[ \t]{0,3}",
        ) {
            let raw = format!("{pad}{}{pad}", words.join(if hyphen { "-" } else { "  " }));
            let expected = words.join(if hyphen { "-" } else { " " });
            match PersonName::parse(&raw) {
                Ok(n) => {
                    prop_assert_eq!(n.as_ref(), expected.as_str());
                    prop_assert_eq!(PersonName::parse(&format!("{n}")), Ok(n));
                }
                Err(e) => prop_assert!(e == PersonNameError::TooLong && expected.chars().count() > MAX_NAME_CHARS, "{raw:?}: {e:?}"),
            }
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC*") {
            let _ = PersonName::parse(&s);
        }
    }
}
