//! Messages in Kazakh (the default), Russian and English, from the keyed catalogues in
//! `shared/i18n/*.txt` (`key = text`, one per line, `#` comments). Codes never change with the
//! language; only the text does.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

/// A language of the interface.
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

const KK: &str = include_str!("../i18n/kk.txt");
const RU: &str = include_str!("../i18n/ru.txt");
const EN: &str = include_str!("../i18n/en.txt");

fn parse_catalogue(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

fn catalogue(lang: Lang) -> &'static HashMap<&'static str, &'static str> {
    static CATALOGUES: OnceLock<[HashMap<&'static str, &'static str>; 3]> = OnceLock::new();
    let all = CATALOGUES.get_or_init(|| [parse_catalogue(KK), parse_catalogue(RU), parse_catalogue(EN)]);
    &all[lang as usize]
}

/// The text of `key` in `lang`; the key itself if missing (a test keeps that from happening).
pub fn t(lang: Lang, key: &str) -> &'static str {
    catalogue(lang).get(key).copied().unwrap_or_else(|| {
        // Leak-free fallback: the key is not 'static, so look it up in English or say nothing useful.
        catalogue(Lang::En).get(key).copied().unwrap_or("?")
    })
}

/// The message for an error code (`error.<code>` in the catalogue).
pub fn error_message(lang: Lang, code: &str) -> &'static str {
    t(lang, &format!("error.{code}"))
}

/// Every error code the domain and the server can report; each has a message in every language.
pub const ERROR_CODES: &[&str] = &[
    "required",
    "iin.length", "iin.digits", "iin.century", "iin.birth_date", "iin.never_issued", "iin.check_digit",
    "phone.characters", "phone.not_mobile",
    "name.too_long", "name.characters", "name.mixed_scripts",
    "email.format",
    "document.too_long", "document.characters",
    "graduation_year.future", "graduation_year.too_early",
    "reference.unknown_region", "reference.unknown_institution", "reference.unknown_degree",
    "institution.wrong_kind", "institution.wrong_region", "degree.wrong_kind", "specialty.invalid",
    "channel.not_offered", "relationship.parent_only_school", "pupil.same_as_applicant",
    "document_kind.wrong_service", "documents.empty", "documents.too_many", "reason.wrong_service",
    "attachment.invalid_id", "attachment.missing", "consent.required",
    "signature.required", "otp.format", "otp.invalid", "otp.expired", "otp.too_many_attempts", "accepted_at.field_only",
    "request.malformed", "request.too_large", "request.idempotency_key", "idempotency.conflict",
    "auth.required", "auth.invalid", "auth.forbidden", "not_found", "rate_limited", "validation.failed",
    "workflow.illegal_transition", "internal",
    "reference.unknown_service", "reference.unknown_status", "datetime.format", "date.format", "cursor.invalid",
    "accepted_at.future", "accepted_at.too_old", "signature.eds_unavailable",
    "workflow.hearing_notice_too_late", "workflow.hearing_out_of_range", "workflow.refusal_before_hearing", "workflow.storage_not_over",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_exists_in_every_language() {
        let keys = |l| catalogue(l).keys().copied().collect::<std::collections::BTreeSet<_>>();
        let (kk, ru, en) = (keys(Lang::Kk), keys(Lang::Ru), keys(Lang::En));
        assert_eq!(kk.symmetric_difference(&ru).collect::<Vec<_>>(), Vec::<&&str>::new(), "kk vs ru");
        assert_eq!(kk.symmetric_difference(&en).collect::<Vec<_>>(), Vec::<&&str>::new(), "kk vs en");
    }

    #[test]
    fn every_error_code_has_a_message() {
        for lang in Lang::ALL {
            for code in ERROR_CODES {
                assert!(catalogue(lang).contains_key(format!("error.{code}").as_str()), "{lang:?} error.{code}");
            }
        }
    }

    #[test]
    fn accept_language_picks_the_first_supported() {
        assert_eq!(Lang::from_accept_language("ru-RU,ru;q=0.9,en;q=0.8"), Lang::Ru);
        assert_eq!(Lang::from_accept_language("de, en;q=0.5"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::Kk);
    }
}
