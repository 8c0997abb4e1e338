//! Who may apply for whom (001; 003 annex 6 item 8.1; 000) and whose name the document bears:
//! a parent or guardian is an adult applying for a minor pupil, a representative is an adult
//! other than the graduate, and a name change names the graduate as printed on the original.

use chrono::NaiveDate;

use super::Checker;
use crate::api::{CreateApplicationRequest, PersonInput, Reason, Relationship};
use crate::email::Email;
use crate::iin::Iin;
use crate::phone::Phone;
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

/// An optional e-mail at `path`: blank is none, anything else must be an address.
fn optional_email(c: &mut Checker, path: &str, raw: Option<&str>) -> Option<String> {
    let raw = raw.map(str::trim).filter(|s| !s.is_empty())?;
    c.field(path, Email::parse(raw)).map(|e| e.to_string())
}

/// The contacts of the person who applies, stored as theirs; returns the phone SMS go to. A
/// representative who gives `representative.phone` has their own contacts, and the graduate's
/// `applicant.phone` and `applicant.email` are optional; without it (v1 clients)
/// `applicant.phone` is the contact of whoever applies, and when a representative acts it is
/// theirs, so it moves to the representative. A pupil and the name on the document carry no
/// contacts.
pub(super) fn check_contacts(c: &mut Checker, req: &CreateApplicationRequest, out: &mut CreateApplicationRequest) -> Option<Phone> {
    let a = &req.applicant;
    if let Some(p) = &mut out.pupil {
        (p.phone, p.email) = (None, None);
    }
    let own = req.acting_representative().is_some_and(|r| r.phone.is_some());
    let (prefix, (phone, email)) = if own { ("representative", req.contacts()) } else { ("applicant", (a.phone.as_str(), a.email.as_deref())) };
    let contact = c.field(&format!("{prefix}.phone"), Phone::parse(phone));
    let contact_email = optional_email(c, &format!("{prefix}.email"), email);
    let (graduate_phone, graduate_email) = if own {
        let phone = a.phone.trim();
        let phone = if phone.is_empty() { Some(String::new()) } else { c.field("applicant.phone", Phone::parse(phone)).map(|p| p.to_string()) };
        (phone, optional_email(c, "applicant.email", a.email.as_deref()))
    } else {
        (None, None)
    };
    let to = contact.as_ref().map(ToString::to_string);
    match out.representative.as_mut().filter(|_| req.acting_representative().is_some()) {
        Some(rep) => {
            (rep.phone, rep.email) = (to, contact_email);
            (out.applicant.phone, out.applicant.email) = (graduate_phone.unwrap_or_default(), graduate_email);
        }
        None => {
            out.applicant.phone = to.unwrap_or_else(|| a.phone.clone());
            out.applicant.email = contact_email;
        }
    }
    contact
}

/// The graduate's current name: the pupil's when a parent or guardian applies, otherwise the
/// applicant's (who is the graduate even when a representative acts, 000).
fn graduate_name(req: &CreateApplicationRequest) -> PersonInput {
    match (req.relationship, &req.pupil) {
        (Some(Relationship::Parent | Relationship::Guardian), Some(p)) => p.clone(),
        _ => PersonInput { iin: String::new(), ..req.applicant.person() },
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
    let name = PersonInput { last_name: last?, first_name: first?, patronymic, ..PersonInput::default() };
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
