//! The provider's register of issued documents (the evidence behind a refusal on "unreliable
//! data", 003 item 9): a record parsed from one line of the file the provider uploads, and how an
//! application's document stands against the records.
//!
//! A record is found by the graduate's IIN or by the document's series and number; among the
//! records found, the one that differs in the fewest fields is the application's. Fields are
//! compared by [`comparison_key`], so case, spacing, Kazakh letters typed as Russian ones and
//! Latin look-alikes typed for Cyrillic letters are no difference.

use crate::api::{CreateApplicationRequest, DocumentInput, RegisterField, RegisterMatch, RegisterOutcome};
use crate::application::{register_person, MAX_SPECIALTY_CHARS};
use crate::document::{check_graduation_year, comparison_key, CodeKind, DocumentCode};
use crate::error::{ErrorCode, FieldError, FieldErrors};
use crate::iin::Iin;
use crate::person_name::PersonName;

/// The columns of a register file, by the names its header line gives them.
pub const REGISTER_COLUMNS: [&str; 9] =
    ["last_name", "first_name", "patronymic", "iin", "series", "number", "registration_number", "graduation_year", "specialty"];

/// Columns that may be empty: a patronymic (not everyone has one) and a school certificate's
/// specialty.
const OPTIONAL_COLUMNS: [&str; 2] = ["patronymic", "specialty"];

/// One line of a register file as read, every cell a string (in [`REGISTER_COLUMNS`] order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegisterLine {
    /// The cells, one per column of [`REGISTER_COLUMNS`].
    pub cells: [String; 9],
}

/// One issued document of the register, every field parsed and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterRecord {
    /// Surname.
    pub last_name: PersonName,
    /// Given name.
    pub first_name: PersonName,
    /// Patronymic, if any.
    pub patronymic: Option<PersonName>,
    /// The graduate's IIN.
    pub iin: Iin,
    /// Series.
    pub series: DocumentCode,
    /// Blank number.
    pub number: DocumentCode,
    /// Registration number.
    pub registration_number: DocumentCode,
    /// Year of graduation.
    pub graduation_year: i32,
    /// Specialty, spacing collapsed (empty for a school certificate).
    pub specialty: String,
}

impl RegisterRecord {
    /// Parses one line; every error at once, at `{prefix}{column}`. `current_year` bounds the
    /// year of graduation (the domain has no clock).
    pub fn parse(line: &RegisterLine, prefix: &str, current_year: i32) -> Result<Self, FieldErrors> {
        let mut errors = Vec::new();
        let mut cell = |column: &str| {
            let at = REGISTER_COLUMNS.iter().position(|c| *c == column).unwrap_or_default();
            let value = line.cells[at].trim();
            if value.is_empty() && !OPTIONAL_COLUMNS.contains(&column) {
                errors.push(FieldError::new(format!("{prefix}{column}"), "required"));
            }
            (value, format!("{prefix}{column}"))
        };
        let (last_name, last_at) = cell("last_name");
        let (first_name, first_at) = cell("first_name");
        let (patronymic, patronymic_at) = cell("patronymic");
        let (iin, iin_at) = cell("iin");
        let (series, series_at) = cell("series");
        let (number, number_at) = cell("number");
        let (registration_number, registration_at) = cell("registration_number");
        let (year, year_at) = cell("graduation_year");
        let (specialty, specialty_at) = cell("specialty");
        // Empty required cells are reported once, as `required`, by `cell`.
        fn parsed<T, E: ErrorCode>(errors: &mut FieldErrors, at: String, raw: &str, parse: impl FnOnce(&str) -> Result<T, E>) -> Option<T> {
            if raw.is_empty() {
                return None;
            }
            parse(raw).map_err(|e| errors.push(FieldError::new(at, e.code()))).ok()
        }
        let last_name = parsed(&mut errors, last_at, last_name, PersonName::parse);
        let first_name = parsed(&mut errors, first_at, first_name, PersonName::parse);
        let patronymic = parsed(&mut errors, patronymic_at, patronymic, PersonName::parse);
        let iin = parsed(&mut errors, iin_at, iin, Iin::parse);
        let series = parsed(&mut errors, series_at, series, |s| DocumentCode::parse(s, CodeKind::Series));
        let number = parsed(&mut errors, number_at, number, |s| DocumentCode::parse(s, CodeKind::Number));
        let registration_number = parsed(&mut errors, registration_at, registration_number, |s| DocumentCode::parse(s, CodeKind::RegistrationNumber));
        let graduation_year = match year.parse::<i32>() {
            _ if year.is_empty() => None,
            Ok(y) => check_graduation_year(y, current_year).map_err(|e| errors.push(FieldError::new(year_at, e.code()))).ok(),
            Err(_) => {
                errors.push(FieldError::new(year_at, "graduation_year.format"));
                None
            }
        };
        let specialty = specialty.split_whitespace().collect::<Vec<_>>().join(" ");
        if specialty.chars().count() > MAX_SPECIALTY_CHARS || specialty.chars().any(char::is_control) {
            errors.push(FieldError::new(specialty_at, "specialty.invalid"));
        }
        match (last_name, first_name, iin, series, number, registration_number, graduation_year) {
            (Some(last_name), Some(first_name), Some(iin), Some(series), Some(number), Some(registration_number), Some(graduation_year))
                if errors.is_empty() =>
            {
                Ok(Self { last_name, first_name, patronymic, iin, series, number, registration_number, graduation_year, specialty })
            }
            _ => Err(errors),
        }
    }
}

/// What of an application is compared with the register: the graduate (by the name as printed
/// on the original) and one document entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    /// Surname, given name and patronymic as on the original document.
    pub last_name: String,
    /// Given name.
    pub first_name: String,
    /// Patronymic, empty if none.
    pub patronymic: String,
    /// The graduate's IIN.
    pub iin: String,
    /// Series, number and registration number, normalised as the form normalises them.
    pub series: String,
    /// Blank number.
    pub number: String,
    /// Registration number.
    pub registration_number: String,
    /// Year of graduation, if given.
    pub graduation_year: Option<i32>,
    /// Specialty.
    pub specialty: String,
}

/// `raw` as the register stores it: normalised when it parses, else as typed.
fn code(raw: &str, kind: CodeKind) -> String {
    DocumentCode::parse(raw, kind).map_or_else(|_| raw.trim().to_string(), |c| c.to_string())
}

impl Claim {
    /// The claims of an application, one per document entry.
    pub fn of(request: &CreateApplicationRequest) -> Vec<Self> {
        let person = register_person(request);
        request.documents.iter().map(|d| Self::from_parts(&person, d)).collect()
    }

    fn from_parts(person: &crate::api::PersonInput, d: &DocumentInput) -> Self {
        Self {
            last_name: person.last_name.clone(),
            first_name: person.first_name.clone(),
            patronymic: person.patronymic.clone().unwrap_or_default(),
            iin: person.iin.trim().to_string(),
            series: code(&d.series, CodeKind::Series),
            number: code(&d.number, CodeKind::Number),
            registration_number: code(&d.registration_number, CodeKind::RegistrationNumber),
            graduation_year: d.graduation_year,
            specialty: d.specialty.clone(),
        }
    }

    /// The fields in which `record` differs from this claim, in [`RegisterField::ALL`] order.
    pub fn differences(&self, record: &RegisterRecord) -> Vec<RegisterField> {
        let same = |a: &str, b: &str| comparison_key(a) == comparison_key(b);
        let patronymic = record.patronymic.as_ref().map_or("", |p| p.as_ref());
        let checks = [
            (RegisterField::LastName, same(&self.last_name, record.last_name.as_ref())),
            (RegisterField::FirstName, same(&self.first_name, record.first_name.as_ref())),
            (RegisterField::Patronymic, same(&self.patronymic, patronymic)),
            (RegisterField::Iin, self.iin == record.iin.as_ref()),
            (RegisterField::Series, same(&self.series, record.series.as_ref())),
            (RegisterField::Number, same(&self.number, record.number.as_ref())),
            (RegisterField::RegistrationNumber, same(&self.registration_number, record.registration_number.as_ref())),
            (RegisterField::GraduationYear, self.graduation_year == Some(record.graduation_year)),
            (RegisterField::Specialty, same(&self.specialty, &record.specialty)),
        ];
        checks.into_iter().filter(|(_, same)| !same).map(|(field, _)| field).collect()
    }

    /// Whether `record` is a candidate at all: the same graduate (IIN) or the same blank
    /// (series and number).
    pub fn finds(&self, record: &RegisterRecord) -> bool {
        self.iin == record.iin.as_ref()
            || (comparison_key(&self.series) == comparison_key(record.series.as_ref())
                && comparison_key(&self.number) == comparison_key(record.number.as_ref()))
    }

    /// How this claim stands against `records` (those the store found for it, or the whole
    /// register): matches, partly matches (the closest record's differing fields), or not in
    /// the register.
    pub fn check<'a>(&self, records: impl IntoIterator<Item = &'a RegisterRecord>) -> RegisterMatch {
        let closest = records.into_iter().filter(|r| self.finds(r)).map(|r| self.differences(r)).min_by_key(Vec::len);
        match closest {
            None => RegisterMatch { outcome: RegisterOutcome::NotInRegister, differing: Vec::new() },
            Some(differing) if differing.is_empty() => RegisterMatch { outcome: RegisterOutcome::Matches, differing },
            Some(differing) => RegisterMatch { outcome: RegisterOutcome::PartlyMatches, differing },
        }
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn line(cells: [&str; 9]) -> RegisterLine {
        RegisterLine { cells: cells.map(String::from) }
    }

    fn asel() -> RegisterLine {
        line(["Сейітқали", "Әсел", "", "010101599904", "BD", "0012345", "1234", "2015", "Жалпы медицина"])
    }

    fn claim() -> Claim {
        Claim {
            last_name: "Сейітқали".into(),
            first_name: "Әсел".into(),
            patronymic: String::new(),
            iin: "010101599904".into(),
            series: "BD".into(),
            number: "0012345".into(),
            registration_number: "1234".into(),
            graduation_year: Some(2015),
            specialty: "Жалпы медицина".into(),
        }
    }

    #[test]
    fn a_good_line_parses_into_a_normalised_record() {
        let r =
            RegisterRecord::parse(&line(["  Сейітқали ", "Әсел", "", "010101599904", "вd", "№ 0012345", "1234", "2015", "Жалпы  медицина"]), "", 2026).unwrap();
        assert_eq!((r.series.as_ref(), r.number.as_ref(), r.specialty.as_str()), ("BD", "0012345", "Жалпы медицина"));
        assert_eq!(r.patronymic, None);
    }

    #[test]
    fn a_bad_line_names_each_bad_cell_with_its_code() {
        let bad = line(["Иван0в", "", "", "010101599905", "BD", "0012345", "1234", "20x5", "Жалпы медицина"]);
        let errors = RegisterRecord::parse(&bad, "lines.7.", 2026).unwrap_err();
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            got,
            [
                ("lines.7.first_name", "required"),
                ("lines.7.last_name", "name.characters"),
                ("lines.7.iin", "iin.check_digit"),
                ("lines.7.graduation_year", "graduation_year.format")
            ]
        );
        let future = line(["Сейітқали", "Әсел", "", "010101599904", "BD", "0012345", "1234", "2030", ""]);
        assert_eq!(RegisterRecord::parse(&future, "", 2026).unwrap_err()[0].code, "graduation_year.future");
    }

    #[test]
    fn a_claim_matches_partly_matches_or_is_not_in_the_register() {
        let record = RegisterRecord::parse(&asel(), "", 2026).unwrap();
        assert_eq!(claim().check([&record]), RegisterMatch { outcome: RegisterOutcome::Matches, differing: vec![] });
        // Look-alike letters, case, Kazakh letters typed as Russian ones: still a match.
        let typed = Claim { last_name: "СЕЙИТКАЛИ".into(), series: "ВD".into(), specialty: "жалпы медицина".into(), ..claim() };
        assert_eq!(typed.check([&record]).outcome, RegisterOutcome::Matches);
        let other_year = Claim { graduation_year: Some(2016), registration_number: "1235".into(), ..claim() };
        assert_eq!(
            other_year.check([&record]),
            RegisterMatch { outcome: RegisterOutcome::PartlyMatches, differing: vec![RegisterField::RegistrationNumber, RegisterField::GraduationYear] }
        );
        // Found by the blank although the IIN differs.
        let other_iin = Claim { iin: "850315100018".into(), ..claim() };
        assert_eq!(other_iin.check([&record]).differing, vec![RegisterField::Iin]);
        let stranger = Claim { iin: "850315100018".into(), number: "0099999".into(), ..claim() };
        assert_eq!(stranger.check([&record]).outcome, RegisterOutcome::NotInRegister);
    }

    #[test]
    fn the_closest_of_several_records_is_the_one_compared() {
        let bachelor = RegisterRecord::parse(&asel(), "", 2026).unwrap();
        let master = RegisterRecord::parse(&line(["Сейітқали", "Әсел", "", "010101599904", "MD", "0000777", "88", "2017", "Медицина"]), "", 2026).unwrap();
        let wants_master = Claim {
            series: "MD".into(),
            number: "0000777".into(),
            registration_number: "88".into(),
            graduation_year: Some(2017),
            specialty: "Медицина".into(),
            ..claim()
        };
        assert_eq!(wants_master.check([&bachelor, &master]).outcome, RegisterOutcome::Matches);
        assert_eq!(claim().check([&master, &bachelor]).outcome, RegisterOutcome::Matches);
    }

    proptest! {
        /// A claim made from a record's own values matches it, however its letters are cased.
        #[test]
        fn a_record_matches_a_claim_of_its_own_values(surname in "[А-Яа-яӘәҚқ]{2,12}", number in "[0-9]{4,9}", year in 1990..2026i32) {
            let cells = [surname.as_str(), "Әсел", "", "010101599904", "BD", number.as_str(), "1", &year.to_string(), "Физика"];
            let record = RegisterRecord::parse(&line(cells), "", 2026).unwrap();
            let claim = Claim { last_name: surname.to_uppercase(), number: number.clone(), registration_number: "1".into(), graduation_year: Some(year), specialty: "ФИЗИКА".into(), ..claim() };
            prop_assert_eq!(claim.check([&record]).outcome, RegisterOutcome::Matches);
        }

        #[test]
        fn arbitrary_lines_never_panic(cells in prop::array::uniform9("\\PC{0,15}")) {
            let _ = RegisterRecord::parse(&RegisterLine { cells }, "", 2026);
        }
    }
}
