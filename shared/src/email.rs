//! E-mail addresses, checked for the shape a mail server will accept. A domain is written in
//! Latin or Cyrillic letters (with the Kazakh ones: `.қаз`), digits and hyphens.

use std::fmt;

use thiserror::Error;

use crate::error::ErrorCode;

/// Longest address (RFC 5321 path limit).
pub const MAX_EMAIL_CHARS: usize = 254;

/// Why a string is not an e-mail address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EmailError {
    /// Nothing was entered.
    #[error("the e-mail is empty")]
    Empty,
    /// Not `local@domain.tld`.
    #[error("not an e-mail address")]
    Format,
}

impl ErrorCode for EmailError {
    fn code(&self) -> &'static str {
        match self {
            Self::Empty => "required",
            Self::Format => "email.format",
        }
    }
}

/// A plausible e-mail address, trimmed, domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Parses an address.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(EmailError::Empty);
        }
        if s.chars().count() > MAX_EMAIL_CHARS || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::Format);
        }
        let (local, domain) = s.rsplit_once('@').ok_or(EmailError::Format)?;
        let labels: Vec<&str> = domain.split('.').collect();
        let domain_ok = labels.len() >= 2
            && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
            && labels.iter().all(|l| l.chars().all(|c| c.is_ascii_digit() || c == '-' || crate::letter_case::is_cased_letter(c)));
        if local.is_empty() || local.len() > 64 || local.contains('@') || !domain_ok {
            return Err(EmailError::Format);
        }
        Ok(Self(format!("{local}@{}", crate::letter_case::lower(domain))))
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn addresses_are_classified() {
        assert_eq!(Email::parse(" Aigerim@Mail.KZ ").unwrap().as_ref(), "Aigerim@mail.kz");
        for bad in ["a@b", "@b.kz", "a b@c.kz", "a@-b.kz", "a@@b.kz", "a@b..kz"] {
            assert_eq!(Email::parse(bad), Err(EmailError::Format), "{bad}");
        }
        assert_eq!(Email::parse(""), Err(EmailError::Empty));
    }

    proptest! {
        #[test]
        fn parse_display_round_trips(l in "[a-z0-9._]{1,20}", d in "[a-z]{1,10}\\.[a-z]{2,4}") {
            let e = Email::parse(&format!("{l}@{d}")).unwrap();
            prop_assert_eq!(Email::parse(&format!("{e}")), Ok(e));
        }

        #[test]
        fn arbitrary_input_never_panics(s in "\\PC*") {
            let _ = Email::parse(&s);
        }
    }
}
