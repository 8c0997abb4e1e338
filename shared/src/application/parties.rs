//! Who may apply for whom (001; 003 annex 6 item 8.1; 000) and whose name the document bears:
//! a parent or guardian is an adult applying for a minor pupil, a representative is an adult
//! other than the graduate, and a name change names the graduate as printed on the original.

use chrono::NaiveDate;

use super::Checker;
use crate::api::{CreateApplicationRequest, PersonInput, Reason, Relationship};
use crate::iin::Iin;
use crate::reference::{fold, Service};

/// Full legal capacity comes at 18 (Civil Code of the Republic of Kazakhstan, article 17): a
/// parent, a guardian and a representative are adults; a "minor pupil" (001; 003 annex 6 item
/// 8.1, "кәмелет жасқа толмаған") is younger.
pub const AGE_OF_MAJORITY: u32 = 18;

/// Full years of a person born on `birth`, on `today` (0 before the birth date).
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> u32 {
    today.years_since(birth).unwrap_or(0)
}

fn is_adult(iin: &Iin, today: NaiveDate) -> bool {
    age_on(iin.birth_date(), today) >= AGE_OF_MAJORITY
}

/// The relationship and the people it brings in, each error at the field of the person it is
/// about (the representative's IIN, the pupil's IIN, the parent's own IIN).
pub(super) fn check_relationship(c: &mut Checker, req: &CreateApplicationRequest, service: &Service, applicant: Option<&Iin>, today: NaiveDate) {
    match req.relationship {
        None => c.push("relationship", "required"),
        Some(r) if !service.relationships.contains(&r) => match r {
            Relationship::Parent | Relationship::Guardian => c.push("relationship", "relationship.parent_only_school"),
            _ => c.push("relationship", "relationship.not_offered"),
        },
        Some(Relationship::Parent | Relationship::Guardian) => {
            if applicant.is_some_and(|a| !is_adult(a, today)) {
                c.push("applicant.iin", "applicant.not_adult");
            }
            match &req.pupil {
                None => c.push("pupil", "required"),
                Some(p) => match c.person("pupil", p) {
                    Some(pupil) if Some(&pupil) == applicant => c.push("pupil.iin", "pupil.same_as_applicant"),
                    Some(pupil) if is_adult(&pupil, today) => c.push("pupil.iin", "pupil.not_minor"),
                    _ => {}
                },
            }
        }
        Some(Relationship::Representative) => match &req.representative {
            None => c.push("representative", "required"),
            Some(p) => match c.person("representative", p) {
                Some(rep) if Some(&rep) == applicant => c.push("representative.iin", "representative.same_as_graduate"),
                Some(rep) if !is_adult(&rep, today) => c.push("representative.iin", "representative.not_adult"),
                _ => {}
            },
        },
        Some(Relationship::SelfApplicant) => {}
    }
}

/// The graduate's current name: the pupil's when a parent or guardian applies, otherwise the
/// applicant's (who is the graduate even when a representative acts, 000).
fn graduate_name(req: &CreateApplicationRequest) -> PersonInput {
    let a = &req.applicant;
    match (req.relationship, &req.pupil) {
        (Some(Relationship::Parent | Relationship::Guardian), Some(p)) => p.clone(),
        _ => PersonInput { iin: String::new(), last_name: a.last_name.clone(), first_name: a.first_name.clone(), patronymic: a.patronymic.clone() },
    }
}

fn folded(n: &PersonInput) -> String {
    fold(&format!("{} {} {}", n.last_name, n.first_name, n.patronymic.as_deref().unwrap_or("")))
}

/// The name as printed on the original: required for a change of name (004: the duplicate is
/// issued in it, and the issuer's register holds it), and taken whenever the person gives it.
/// Returns it normalised.
pub(super) fn check_name_on_document(c: &mut Checker, req: &CreateApplicationRequest) -> Option<PersonInput> {
    let name_change = req.reason == Some(Reason::NameChange);
    let given = match (&req.name_on_document, name_change) {
        (Some(n), _) => n.clone(),
        (None, true) => PersonInput::default(),
        (None, false) => return None,
    };
    let (last, first, patronymic) = c.names("name_on_document", &given.last_name, &given.first_name, given.patronymic.as_deref());
    let name = PersonInput { iin: String::new(), last_name: last?, first_name: first?, patronymic };
    if name_change && folded(&name) == folded(&graduate_name(req)) {
        c.push("name_on_document.last_name", "name_on_document.unchanged");
    }
    Some(name)
}

/// The name to look the graduate up by in the issuer's register of issued documents: the name
/// as printed on the original when it was given, otherwise the graduate's current name.
pub fn register_name(req: &CreateApplicationRequest) -> String {
    let n = req.name_on_document.clone().unwrap_or_else(|| graduate_name(req));
    [n.last_name.as_str(), n.first_name.as_str(), n.patronymic.as_deref().unwrap_or("")].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ")
}

/// The graduate as the issuer's register holds them: the name as printed on the original (see
/// [`register_name`]) and the graduate's IIN (the pupil's when a parent or guardian applies).
pub fn register_person(req: &CreateApplicationRequest) -> PersonInput {
    let iin = match (req.relationship, &req.pupil) {
        (Some(Relationship::Parent | Relationship::Guardian), Some(p)) => p.iin.clone(),
        _ => req.applicant.iin.clone(),
    };
    PersonInput { iin, ..req.name_on_document.clone().unwrap_or_else(|| graduate_name(req)) }
}
