//! An institution as an administrator adds it, alone or as a row of the official register of
//! education organisations: one rule for both, so the next person finds it in the lists.

use serde::{Deserialize, Serialize};

use super::{aliases, Institution, InstitutionKind, Names, Reference};
use crate::error::{FieldError, FieldErrors};

/// Longest institution code (codes are ASCII identifiers such as `kaznu`).
pub const MAX_CODE_CHARS: usize = 64;
/// Longest official name kept (the longest names of the register are about 150 characters).
pub const MAX_NAME_CHARS: usize = 300;

/// A new institution as typed or read from a register row; `aliases` are `;`-separated.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewInstitution {
    /// Stable code: a lower-case Latin letter, then letters, digits or `_`.
    #[serde(default)]
    pub code: String,
    /// `university`, `college` or `school`.
    #[serde(default)]
    pub kind: String,
    /// Region code.
    #[serde(default)]
    pub region: String,
    /// Name in Kazakh.
    #[serde(default)]
    pub name_kk: String,
    /// Name in Russian.
    #[serde(default)]
    pub name_ru: String,
    /// Name in English, if known.
    #[serde(default)]
    pub name_en: String,
    /// Abbreviations and other spellings, `;`-separated.
    #[serde(default)]
    pub aliases: String,
}

fn is_code(code: &str) -> bool {
    let mut chars = code.chars();
    (2..=MAX_CODE_CHARS).contains(&code.len())
        && chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

impl NewInstitution {
    /// The institution, or every error with its field (`code`, `kind`, `region`, `name_kk`…);
    /// `prefix` goes before each field (`lines.5.` for a register row). The region must be one
    /// of `reference`, the lists in force.
    pub fn parse(&self, prefix: &str, reference: &Reference) -> Result<Institution, FieldErrors> {
        let mut errors = Vec::new();
        let mut push = |field: &str, code: &'static str| errors.push(FieldError::new(format!("{prefix}{field}"), code));
        let code = self.code.trim();
        if !is_code(code) {
            push("code", "institution.code_format");
        }
        let kind = InstitutionKind::from_code(self.kind.trim());
        if kind.is_none() {
            push("kind", "institution.unknown_kind");
        }
        let region = self.region.trim();
        if reference.region(region).is_none() {
            push("region", "reference.unknown_region");
        }
        if self.name_kk.trim().is_empty() && self.name_ru.trim().is_empty() {
            push("name_ru", "institution.name_required");
        }
        for (field, name) in [("name_kk", &self.name_kk), ("name_ru", &self.name_ru), ("name_en", &self.name_en)] {
            if name.chars().count() > MAX_NAME_CHARS || name.chars().any(char::is_control) {
                push(field, "institution.name_invalid");
            }
        }
        match kind {
            Some(kind) if errors.is_empty() => Ok(Institution {
                code: code.to_string(),
                name: Names::with_fallbacks(&self.name_kk, &self.name_ru, &self.name_en),
                region: region.to_string(),
                kind,
                aliases: aliases(&self.aliases),
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::compiled;

    fn row() -> NewInstitution {
        NewInstitution {
            code: "pvl_college_1".into(),
            kind: "college".into(),
            region: "pavlodar".into(),
            name_kk: String::new(),
            name_ru: " Павлодарский колледж ".into(),
            name_en: String::new(),
            aliases: "ПК; ;PC".into(),
        }
    }

    #[test]
    fn a_valid_row_becomes_an_institution_named_in_the_official_languages() {
        let i = row().parse("", compiled()).unwrap();
        assert_eq!((i.code.as_str(), i.kind, i.region.as_str()), ("pvl_college_1", InstitutionKind::College, "pavlodar"));
        assert_eq!(i.name, Names::new("Павлодарский колледж", "Павлодарский колледж", "Павлодарский колледж"));
        assert_eq!(i.aliases, ["ПК", "PC"]);
    }

    #[test]
    fn every_error_is_reported_at_its_field_with_the_prefix() {
        let bad = NewInstitution {
            code: "1X".into(),
            kind: "academy".into(),
            region: "mars".into(),
            name_ru: String::new(),
            name_en: "English only".into(),
            ..row()
        };
        let fields: Vec<(String, &str)> = bad.parse("lines.3.", compiled()).unwrap_err().into_iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            fields,
            [
                ("lines.3.code".to_string(), "institution.code_format"),
                ("lines.3.kind".to_string(), "institution.unknown_kind"),
                ("lines.3.region".to_string(), "reference.unknown_region"),
                ("lines.3.name_ru".to_string(), "institution.name_required"),
            ]
        );
    }
}
