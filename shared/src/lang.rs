//! The languages of the interface: Kazakh (the state language and the default), Russian and
//! English, with their codes. The catalogues ([`crate::i18n`]) and the plural rules
//! ([`crate::plural`]) are both written per language.

use serde::{Deserialize, Serialize};

/// A language of the interface.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Kazakh, the state language and the default.
    #[default]
    Kk,
    /// Russian.
    Ru,
    /// English.
    En,
}

impl Lang {
    /// Every language, in the order the switcher shows them.
    pub const ALL: [Lang; 3] = [Lang::Kk, Lang::Ru, Lang::En];

    /// The ISO 639-1 code.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Kk => "kk",
            Lang::Ru => "ru",
            Lang::En => "en",
        }
    }

    /// The language of a code, if supported.
    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().as_str() {
            "kk" | "kz" => Some(Lang::Kk),
            "ru" => Some(Lang::Ru),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The first supported language of an `Accept-Language` header, else Kazakh.
    pub fn from_accept_language(header: &str) -> Self {
        header
            .split(',')
            .filter_map(|part| part.split(';').next())
            .filter_map(|tag| Lang::from_code(tag.split('-').next().unwrap_or("")))
            .next()
            .unwrap_or_default()
    }
}
