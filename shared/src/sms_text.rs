//! Free text that staff type and the server puts into an SMS (the hearing's place): short, and
//! never a link, since a message from the public service is trusted and a link in it would be a
//! ready-made phishing lure.

use thiserror::Error;

use crate::error::ErrorCode;

/// Longest free text in an SMS: the hearing message is about 150 characters before the place,
/// and with 120 more it still fits 5 parts of a Cyrillic (UCS-2, 67 characters) long SMS.
pub const MAX_SMS_FREE_TEXT_CHARS: usize = 120;

/// Why a free text cannot go into an SMS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum SmsTextError {
    /// Longer than [`MAX_SMS_FREE_TEXT_CHARS`].
    #[error("{len} characters, at most {max}")]
    TooLong {
        /// Characters given.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A web address or link.
    #[error("contains a link")]
    Link,
}

impl ErrorCode for SmsTextError {
    fn code(&self) -> &'static str {
        match self {
            Self::TooLong { .. } => "sms_text.too_long",
            Self::Link => "sms_text.link",
        }
    }
}

/// Checks a free text that will be sent by SMS.
pub fn check_sms_free_text(text: &str) -> Result<(), SmsTextError> {
    let len = text.chars().count();
    if len > MAX_SMS_FREE_TEXT_CHARS {
        return Err(SmsTextError::TooLong { len, max: MAX_SMS_FREE_TEXT_CHARS });
    }
    if text.split_whitespace().any(looks_like_link) {
        return Err(SmsTextError::Link);
    }
    Ok(())
}

/// A scheme (`https://`, `tg://`), `www.`, or a Latin host name with a top-level domain
/// (`bit.ly`, `telnuska-help.kz/x`). Cyrillic abbreviations such as `г.Алматы` or `каб.305` are
/// ordinary words.
fn looks_like_link(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("www.") {
        return true;
    }
    let host = lower.split(['/', '?', '#']).next().unwrap_or("");
    let labels: Vec<&str> = host.trim_end_matches(['.', ',', ';', ':', ')', '!']).split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.bytes().all(|b| b.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_people_write_are_accepted() {
        for ok in ["ЦОН Алмалинского района, каб. 305", "г.Алматы, ул. Абая 10, ауд.214", "Room 12, 2nd floor.", "КазНМУ, корпус 2"]
        {
            assert_eq!(check_sms_free_text(ok), Ok(()), "{ok}");
        }
    }

    #[test]
    fn links_and_web_addresses_are_refused() {
        for bad in ["see https://evil.example/x", "www.telnuska-help.kz", "bit.ly/abc", "go to telnuska.kz.", "tg://resolve?domain=x", "Каб. 2 HTTP://X.KZ"]
        {
            assert_eq!(check_sms_free_text(bad), Err(SmsTextError::Link), "{bad}");
        }
    }

    #[test]
    fn long_texts_are_refused_by_characters_not_bytes() {
        assert_eq!(check_sms_free_text(&"ә".repeat(MAX_SMS_FREE_TEXT_CHARS)), Ok(()));
        assert_eq!(check_sms_free_text(&"a".repeat(20_000)).map_err(|e| e.code()), Err("sms_text.too_long"));
    }
}
