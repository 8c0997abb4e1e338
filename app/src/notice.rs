//! A sentence for the person from the catalogue: why a code was not sent, why an application
//! waits in the outbox, why a file was refused.

use telnuska_shared::i18n::{error_message, t, Lang};

/// A sentence for the person, from the catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// A catalogue key.
    Key(&'static str),
    /// An error code (`error.<code>`).
    Code(String),
}

impl Notice {
    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> &'static str {
        match self {
            Notice::Key(key) => t(lang, key),
            Notice::Code(code) => error_message(lang, code),
        }
    }
}
