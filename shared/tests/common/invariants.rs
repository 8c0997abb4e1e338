//! What holds for any input, whatever it is: checked by the property tests (`tests/fuzz.rs`, a
//! few hundred random cases in every test run) and by the coverage-guided fuzz targets
//! (`shared/fuzz/`, minutes to hours in the long run). Each returns what broke.

use chrono::NaiveDate;
use telnuska_shared::api::CreateApplicationRequest;
use telnuska_shared::application::{notices, required_attachments, validate, ValidationContext};
use telnuska_shared::document::{CodeKind, DocumentCode};
use telnuska_shared::email::Email;
use telnuska_shared::i18n::{error_message, Lang, ERROR_CODES, NOTICE_CODES, STAFF_ERROR_CODES};
use telnuska_shared::iin::Iin;
use telnuska_shared::person_name::PersonName;
use telnuska_shared::phone::Phone;
use telnuska_shared::reference::compiled;

/// The day the rules are checked on.
pub fn ctx() -> ValidationContext<'static> {
    ValidationContext { today: NaiveDate::from_ymd_opt(2026, 11, 25).expect("a date"), reference: compiled() }
}

/// A parsed value is in its canonical form: parsing that form again gives the same value.
fn canonical<T: AsRef<str> + PartialEq + std::fmt::Debug, E: std::fmt::Debug>(
    what: &str,
    parsed: Result<T, E>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<(), String> {
    match parsed {
        Ok(value) => match parse(value.as_ref()) {
            Ok(again) if again == value => Ok(()),
            other => Err(format!("{what} {value:?} parses again as {other:?}")),
        },
        Err(_) => Ok(()),
    }
}

/// Every text parser takes any string without panicking, and what it accepts is canonical.
pub fn text_parsers(s: &str) -> Result<(), String> {
    canonical("IIN", Iin::parse(s), Iin::parse)?;
    canonical("phone", Phone::parse(s), Phone::parse)?;
    canonical("name", PersonName::parse(s), PersonName::parse)?;
    canonical("e-mail", Email::parse(s), Email::parse)?;
    for kind in [CodeKind::Series, CodeKind::Number, CodeKind::RegistrationNumber] {
        canonical("document code", DocumentCode::parse(s, kind), |t| DocumentCode::parse(t, kind))?;
    }
    let _ = Lang::from_accept_language(s);
    let _ = error_message(Lang::Ru, s);
    let _ = compiled().institution(s);
    Ok(())
}

/// Validating any request gives either catalogued errors at named fields, or a normalised request
/// that is valid and unchanged when validated again; its notices are catalogued.
pub fn application(req: &CreateApplicationRequest) -> Result<(), String> {
    let ctx = ctx();
    match validate(req, &ctx) {
        Err(errors) if errors.is_empty() => return Err("refused without an error".into()),
        Err(errors) => {
            if let Some(e) = errors.iter().find(|e| e.field.is_empty() || !ERROR_CODES.iter().chain(STAFF_ERROR_CODES).any(|c| *c == e.code)) {
                return Err(format!("an error without a field or message: {e:?}"));
            }
        }
        Ok(valid) => {
            let again = validate(&valid.request, &ctx).map_err(|e| format!("the normalised request is refused: {e:?}"))?;
            if again.request != valid.request {
                return Err(format!("normalising twice changes it: {:?} → {:?}", valid.request, again.request));
            }
        }
    }
    if let Some(n) = notices(req).iter().find(|n| !NOTICE_CODES.contains(&n.code)) {
        return Err(format!("an uncatalogued notice: {n:?}"));
    }
    let _ = required_attachments(req);
    Ok(())
}
