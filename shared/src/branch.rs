//! A ЦОН branch: the department of the State Corporation an operator works at, printed on the
//! receipts of Annexes 3 and 4 where the form has "№ ____" (003 items 50–52).

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::error::ErrorCode;

/// Longest department number ("12", "3-А"): a few characters on the printed line.
pub const MAX_NUMBER_CHARS: usize = 10;
/// Longest branch name, which fits two lines of a receipt.
pub const MAX_NAME_CHARS: usize = 150;

/// Why a branch is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum BranchError {
    /// The number is empty, too long, or has other than letters, digits, `-` and `/`.
    #[error("a department number is 1 to {MAX_NUMBER_CHARS} letters, digits, '-' or '/'")]
    Number,
    /// The name is empty, too long, or has control characters.
    #[error("a branch name is 1 to {MAX_NAME_CHARS} printable characters")]
    Name,
}

impl ErrorCode for BranchError {
    fn code(&self) -> &'static str {
        match self {
            Self::Number => "branch.number_format",
            Self::Name => "branch.name_format",
        }
    }
}

/// A valid branch: its department number and its name, trimmed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Branch {
    number: String,
    name: String,
}

impl Branch {
    /// Parses a typed number and name.
    pub fn parse(number: &str, name: &str) -> Result<Self, BranchError> {
        let (number, name) = (number.trim(), name.split_whitespace().collect::<Vec<_>>().join(" "));
        let number_ok = (1..=MAX_NUMBER_CHARS).contains(&number.chars().count()) && number.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '/');
        if !number_ok {
            return Err(BranchError::Number);
        }
        if !(1..=MAX_NAME_CHARS).contains(&name.chars().count()) || name.chars().any(char::is_control) {
            return Err(BranchError::Name);
        }
        Ok(Self { number: number.to_string(), name })
    }

    /// The department number.
    pub fn number(&self) -> &str {
        &self.number
    }

    /// The branch's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_branch_is_a_short_number_and_a_printable_name() {
        let branch = Branch::parse(" 3-А ", " Алматы   қаласы,  Бостандық ауданы ").unwrap();
        assert_eq!((branch.number(), branch.name()), ("3-А", "Алматы қаласы, Бостандық ауданы"));
        for (number, name, error) in [
            ("", "Астана", BranchError::Number),
            ("12345678901", "Астана", BranchError::Number),
            ("№ 3", "Астана", BranchError::Number),
            ("3", "  ", BranchError::Name),
            ("3", &"а".repeat(MAX_NAME_CHARS + 1), BranchError::Name),
        ] {
            assert_eq!(Branch::parse(number, name), Err(error), "{number:?} {name:?}");
        }
    }
}
