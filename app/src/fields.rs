//! The form's inputs as values: [`Field`] names one text input or list of the request and knows
//! its dotted path, how to read it and how to write it, so one `TextField` serves every input
//! (including those of the second, third… document). Plus the edits that keep the request
//! consistent when the service, the region or the relationship changes. Plain functions, tested
//! natively.

use std::cell::RefCell;

use telnuska_shared::api::{
    Collection, CollectionPlace, CorrectedData, CorrectionInput, CreateApplicationRequest, DocumentInput, PersonInput, Reason, Relationship, ServiceCode,
    Signature,
};
use telnuska_shared::application::{required_attachments, MAX_DOCUMENTS, OTP_LENGTH};
use telnuska_shared::phone::Phone;
use telnuska_shared::reference::Reference;

/// A part of a person's identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersonPart {
    /// IIN.
    Iin,
    /// Surname.
    LastName,
    /// Given name.
    FirstName,
    /// Patronymic.
    Patronymic,
}

/// A part of one document entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocPart {
    /// Region code.
    Region,
    /// Institution code.
    Institution,
    /// Degree code.
    Degree,
    /// Specialty.
    Specialty,
    /// Series.
    Series,
    /// Blank number.
    Number,
    /// Registration number.
    RegistrationNumber,
    /// Year of graduation.
    GraduationYear,
    /// The institution's name and address at graduation, if renamed or closed since.
    InstitutionAsNamed,
}

/// A part of one correction: which data, as printed, as it should be, what proves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CorrectionPart {
    /// Which data is wrong (a code of [`CorrectedData`]).
    Data,
    /// As printed on the document.
    AsPrinted,
    /// As it should be.
    ShouldBe,
    /// The document that proves it.
    Proof,
}

impl CorrectionPart {
    fn name(self) -> &'static str {
        match self {
            CorrectionPart::Data => "data",
            CorrectionPart::AsPrinted => "as_printed",
            CorrectionPart::ShouldBe => "should_be",
            CorrectionPart::Proof => "proof",
        }
    }
}

/// Whose identity: the applicant, the representative, or the pupil.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    /// `applicant`.
    Applicant,
    /// `representative`.
    Representative,
    /// `pupil`.
    Pupil,
    /// `name_on_document`: the graduate's name as printed on the original (no IIN asked).
    Document,
}

/// One text input or list of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// A person's identity.
    Person(Who, PersonPart),
    /// `applicant.phone`.
    Phone,
    /// `applicant.email`.
    Email,
    /// `documents.N.<part>`.
    Doc(usize, DocPart),
    /// `signature.code`.
    Code,
    /// `corrections.N.<part>`.
    Correction(usize, CorrectionPart),
    /// `documents.N.unlisted_institution`: an institution not in the list, as printed.
    Unlisted(usize),
    /// `collection.place`: a ЦОН branch or the provider.
    CollectionPlace,
    /// `collection.branch`: which ЦОН branch.
    CollectionBranch,
}

impl Who {
    fn prefix(self) -> &'static str {
        match self {
            Who::Applicant => "applicant",
            Who::Representative => "representative",
            Who::Pupil => "pupil",
            Who::Document => "name_on_document",
        }
    }
}

impl PersonPart {
    fn name(self) -> &'static str {
        match self {
            PersonPart::Iin => "iin",
            PersonPart::LastName => "last_name",
            PersonPart::FirstName => "first_name",
            PersonPart::Patronymic => "patronymic",
        }
    }
}

impl DocPart {
    /// The key of the part in a document entry.
    pub fn name(self) -> &'static str {
        match self {
            DocPart::Region => "region",
            DocPart::Institution => "institution",
            DocPart::Degree => "degree",
            DocPart::Specialty => "specialty",
            DocPart::Series => "series",
            DocPart::Number => "number",
            DocPart::RegistrationNumber => "registration_number",
            DocPart::GraduationYear => "graduation_year",
            DocPart::InstitutionAsNamed => "institution_as_named",
        }
    }
}

// Not reactive state: a cache of leaked strings for the page's life, read while views are built
// anywhere (with or without an owner); no component could own what must outlive it.
thread_local! {
    static PATHS: RefCell<Vec<&'static str>> = const { RefCell::new(Vec::new()) };
}

/// The one `'static` copy of a path. Paths are few (fixed names, at most [`MAX_DOCUMENTS`]
/// entries), so each is allocated once for the page's life and views can copy it freely.
pub fn intern(path: &str) -> &'static str {
    PATHS.with_borrow_mut(|paths| match paths.iter().find(|p| **p == path) {
        Some(kept) => kept,
        None => {
            let kept: &'static str = Box::leak(path.to_owned().into_boxed_str());
            paths.push(kept);
            kept
        }
    })
}

fn person(req: &CreateApplicationRequest, who: Who) -> PersonInput {
    match who {
        Who::Applicant => req.applicant.person(),
        Who::Representative => req.representative.clone().unwrap_or_default(),
        Who::Pupil => req.pupil.clone().unwrap_or_default(),
        Who::Document => req.name_on_document.clone().unwrap_or_default(),
    }
}

fn set_person(req: &mut CreateApplicationRequest, who: Who, part: PersonPart, value: String) {
    let optional = (!value.is_empty()).then(|| value.clone());
    if who == Who::Applicant {
        let a = &mut req.applicant;
        match part {
            PersonPart::Iin => a.iin = value,
            PersonPart::LastName => a.last_name = value,
            PersonPart::FirstName => a.first_name = value,
            PersonPart::Patronymic => a.patronymic = optional,
        }
        return;
    }
    let slot = match who {
        Who::Pupil => &mut req.pupil,
        Who::Document => &mut req.name_on_document,
        _ => &mut req.representative,
    };
    let p = slot.get_or_insert_with(PersonInput::default);
    match part {
        PersonPart::Iin => p.iin = value,
        PersonPart::LastName => p.last_name = value,
        PersonPart::FirstName => p.first_name = value,
        PersonPart::Patronymic => p.patronymic = optional,
    }
}

impl Field {
    /// The dotted path, e.g. `documents.1.series`.
    pub fn path(self) -> &'static str {
        match self {
            Field::Person(who, part) => intern(&format!("{}.{}", who.prefix(), part.name())),
            Field::Phone => "applicant.phone",
            Field::Email => "applicant.email",
            Field::Doc(i, part) => intern(&format!("documents.{i}.{}", part.name())),
            Field::Code => "signature.code",
            Field::Correction(i, part) => intern(&format!("corrections.{i}.{}", part.name())),
            Field::Unlisted(i) => intern(&format!("documents.{i}.unlisted_institution")),
            Field::CollectionPlace => "collection.place",
            Field::CollectionBranch => "collection.branch",
        }
    }

    /// The value shown in the input.
    pub fn get(self, req: &CreateApplicationRequest) -> String {
        match self {
            Field::Person(who, part) => {
                let p = person(req, who);
                match part {
                    PersonPart::Iin => p.iin,
                    PersonPart::LastName => p.last_name,
                    PersonPart::FirstName => p.first_name,
                    PersonPart::Patronymic => p.patronymic.unwrap_or_default(),
                }
            }
            Field::Phone => req.applicant.phone.clone(),
            Field::Email => req.applicant.email.clone().unwrap_or_default(),
            Field::Doc(i, part) => {
                let d = req.documents.get(i).cloned().unwrap_or_default();
                match part {
                    DocPart::Region => d.region,
                    DocPart::Institution if d.unlisted_institution.is_some() => UNLISTED.into(),
                    DocPart::Institution => d.institution,
                    DocPart::Degree => d.degree,
                    DocPart::Specialty => d.specialty,
                    DocPart::Series => d.series,
                    DocPart::Number => d.number,
                    DocPart::RegistrationNumber => d.registration_number,
                    DocPart::GraduationYear => d.graduation_year.map(|y| y.to_string()).unwrap_or_default(),
                    DocPart::InstitutionAsNamed => d.institution_as_named.unwrap_or_default(),
                }
            }
            Field::Code => code_of(req),
            Field::Correction(i, part) => {
                let c = req.corrections.get(i).cloned().unwrap_or_default();
                match part {
                    CorrectionPart::Data => c.data.map(|d| d.code().to_string()).unwrap_or_default(),
                    CorrectionPart::AsPrinted => c.as_printed,
                    CorrectionPart::ShouldBe => c.should_be,
                    CorrectionPart::Proof => c.proof,
                }
            }
            Field::Unlisted(i) => req.documents.get(i).and_then(|d| d.unlisted_institution.clone()).unwrap_or_default(),
            Field::CollectionPlace => req.collection.as_ref().map(|c| c.place.code().to_string()).unwrap_or_default(),
            Field::CollectionBranch => req.collection.as_ref().and_then(|c| c.branch.clone()).unwrap_or_default(),
        }
    }

    /// Writes what was typed or chosen (digits-only inputs keep only their digits); a region
    /// keeps the chosen institution only if `lists` (the lists in force) place it there.
    pub fn set(self, req: &mut CreateApplicationRequest, value: String, lists: &Reference) {
        match self {
            Field::Person(who, part) => set_person(req, who, part, value),
            Field::Phone => set_phone(req, value),
            Field::Email => req.applicant.email = (!value.is_empty()).then_some(value),
            Field::Doc(i, part) => {
                while req.documents.len() <= i {
                    req.documents.push(DocumentInput::default());
                }
                let d = &mut req.documents[i];
                match part {
                    DocPart::Region => {
                        // An institution of another region would be refused (institution.wrong_region).
                        if lists.institution(&d.institution).is_none_or(|inst| inst.region != value) {
                            d.institution.clear();
                        }
                        d.region = value;
                    }
                    // "Not in the list" is an option of the list: it asks for the name as printed.
                    DocPart::Institution if value == UNLISTED => {
                        d.institution.clear();
                        d.unlisted_institution.get_or_insert_with(String::new);
                    }
                    DocPart::Institution => {
                        d.unlisted_institution = None;
                        d.institution = value;
                    }
                    DocPart::Degree => d.degree = value,
                    DocPart::Specialty => d.specialty = value,
                    DocPart::Series => d.series = value,
                    DocPart::Number => d.number = value,
                    DocPart::RegistrationNumber => d.registration_number = value,
                    DocPart::GraduationYear => d.graduation_year = digits(&value, 4).parse().ok(),
                    DocPart::InstitutionAsNamed => d.institution_as_named = (!value.is_empty()).then_some(value),
                }
            }
            Field::Code => set_code(req, digits(&value, OTP_LENGTH)),
            Field::Correction(i, part) => {
                while req.corrections.len() <= i {
                    req.corrections.push(CorrectionInput::default());
                }
                let c = &mut req.corrections[i];
                match part {
                    CorrectionPart::Data => c.data = CorrectedData::from_code(&value),
                    CorrectionPart::AsPrinted => c.as_printed = value,
                    CorrectionPart::ShouldBe => c.should_be = value,
                    CorrectionPart::Proof => c.proof = value,
                }
            }
            Field::Unlisted(i) => {
                if let Some(name) = req.documents.get_mut(i).and_then(|d| d.unlisted_institution.as_mut()) {
                    *name = value;
                }
            }
            Field::CollectionPlace => {
                let branch = req.collection.take().and_then(|c| c.branch);
                req.collection = CollectionPlace::from_code(&value).map(|place| Collection { place, branch });
            }
            Field::CollectionBranch => {
                let place = req.collection.as_ref().map_or(CollectionPlace::Con, |c| c.place);
                req.collection = Some(Collection { place, branch: (!value.is_empty()).then_some(value) });
            }
        }
    }
}

/// The value of the institution list's last option, "my institution is not in the list".
pub const UNLISTED: &str = "unlisted";

/// Whether entry `i` names an institution not in the list.
pub fn is_unlisted(req: &CreateApplicationRequest, i: usize) -> bool {
    req.documents.get(i).is_some_and(|d| d.unlisted_institution.is_some())
}

/// Whether the name on the original is asked for: always for a change of name, otherwise when
/// the person says the document is in another name.
pub fn asks_name_on_document(req: &CreateApplicationRequest) -> bool {
    req.reason == Some(Reason::NameChange) || req.name_on_document.is_some()
}

/// The phone in E.164 when it parses, else as typed (the validator then reports it).
pub fn normalised_phone(raw: &str) -> String {
    Phone::parse(raw).map_or_else(|_| raw.trim().to_string(), |p| p.to_string())
}

/// Sets the applicant's phone, keeping the OTP signature's phone in step with it.
pub fn set_phone(req: &mut CreateApplicationRequest, raw: String) {
    if let Some(Signature::Otp { phone, .. }) = &mut req.signature {
        *phone = normalised_phone(&raw);
    }
    req.applicant.phone = raw;
}

/// The SMS code typed so far.
pub fn code_of(req: &CreateApplicationRequest) -> String {
    match &req.signature {
        Some(Signature::Otp { code, .. }) => code.clone(),
        _ => String::new(),
    }
}

/// Sets the SMS code: the request is then signed by OTP to the applicant's phone; an empty
/// code leaves it unsigned (the validator says so).
pub fn set_code(req: &mut CreateApplicationRequest, code: String) {
    req.signature = (!code.is_empty()).then(|| Signature::Otp { phone: normalised_phone(&req.applicant.phone), code });
}

/// The first `max` ASCII digits of `raw`.
pub fn digits(raw: &str, max: usize) -> String {
    raw.chars().filter(char::is_ascii_digit).take(max).collect()
}

/// Keeps a choice the service offers; when the service offers exactly one, chooses it.
fn keep_offered<T: Copy + PartialEq>(slot: &mut Option<T>, offered: &[T]) {
    if slot.is_some_and(|v| !offered.contains(&v)) {
        *slot = None;
    }
    if slot.is_none() && offered.len() == 1 {
        *slot = Some(offered[0]);
    }
}

/// Chooses the service, dropping answers it does not take (another kind of institution, a
/// reason or relationship it does not offer) and choosing the only option where there is one;
/// institutions are looked up in `lists` (the lists in force).
pub fn set_service(req: &mut CreateApplicationRequest, service: ServiceCode, lists: &Reference) {
    req.service = service;
    let s = lists.service(service);
    keep_offered(&mut req.relationship, &s.relationships);
    keep_offered(&mut req.document_kind, &s.document_kinds);
    keep_offered(&mut req.reason, &s.reasons);
    for d in &mut req.documents {
        if lists.institution(&d.institution).is_some_and(|i| i.kind != s.provider_kind) {
            d.institution.clear();
        }
        if lists.degree(&d.degree).is_some_and(|g| g.institution_kind != s.provider_kind) {
            d.degree.clear();
        }
    }
    prune_attachments(req);
}

/// Sets who applies; the pupil's or representative's entry appears empty when first needed.
pub fn set_relationship(req: &mut CreateApplicationRequest, relationship: Option<Relationship>) {
    req.relationship = relationship;
    prune_attachments(req);
}

/// Drops files of kinds the request no longer needs (another reason or relationship), so what
/// is sent is what the person sees; a file dropped by mistake is simply attached again.
pub fn prune_attachments(req: &mut CreateApplicationRequest) {
    let needed = required_attachments(req);
    req.attachments.retain(|a| needed.contains(&a.kind));
}

/// Adds an empty document entry, up to [`MAX_DOCUMENTS`]; returns its index.
pub fn add_document(req: &mut CreateApplicationRequest) -> Option<usize> {
    (req.documents.len() < MAX_DOCUMENTS).then(|| {
        req.documents.push(DocumentInput::default());
        req.documents.len() - 1
    })
}

/// Removes the entry `i`, keeping at least one.
pub fn remove_document(req: &mut CreateApplicationRequest, i: usize) {
    if req.documents.len() > 1 && i < req.documents.len() {
        req.documents.remove(i);
    }
}

/// The request as it is checked and sent: the pupil only when a parent or guardian applies,
/// the representative only when one acts (answers typed before switching stay in the draft),
/// and then always present, so that each of their empty inputs reports its own error rather
/// than one error for the whole person.
pub fn cleaned(req: &CreateApplicationRequest) -> CreateApplicationRequest {
    let mut r = req.clone();
    match r.relationship {
        Some(Relationship::Parent | Relationship::Guardian) => {
            r.representative = None;
            r.pupil.get_or_insert_with(PersonInput::default);
        }
        Some(Relationship::Representative) => {
            r.pupil = None;
            r.representative.get_or_insert_with(PersonInput::default);
        }
        _ => {
            r.pupil = None;
            r.representative = None;
        }
    }
    // A correction always has its first entry, so each of its inputs reports its own error.
    if r.service == ServiceCode::Correction && r.corrections.is_empty() {
        r.corrections.push(CorrectionInput::default());
    }
    if r.service != ServiceCode::Correction {
        r.corrections.clear();
    }
    if r.reason == Some(Reason::NameChange) {
        r.name_on_document.get_or_insert_with(PersonInput::default);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form::new_request;
    use telnuska_shared::api::{AttachmentKind, AttachmentRef, DocumentKind, Reason};
    use telnuska_shared::reference::compiled;

    #[test]
    fn paths_name_the_request_fields_and_are_interned() {
        assert_eq!(Field::Doc(2, DocPart::RegistrationNumber).path(), "documents.2.registration_number");
        assert_eq!(Field::Person(Who::Pupil, PersonPart::Iin).path(), "pupil.iin");
        assert!(std::ptr::eq(Field::Doc(1, DocPart::Series).path(), Field::Doc(1, DocPart::Series).path()));
    }

    #[test]
    fn every_field_reads_back_what_was_written() {
        let mut req = new_request();
        for (field, typed, kept) in [
            (Field::Person(Who::Representative, PersonPart::LastName), "Ахметов", "Ахметов"),
            (Field::Person(Who::Pupil, PersonPart::Patronymic), "Серікұлы", "Серікұлы"),
            (Field::Doc(1, DocPart::GraduationYear), "20a15x", "2015"),
            (Field::Doc(0, DocPart::Series), "BD", "BD"),
            (Field::Code, "12 34 56 7", "123456"),
            (Field::Person(Who::Document, PersonPart::LastName), "Ахметова", "Ахметова"),
            (Field::Correction(0, CorrectionPart::Data), "iin", "iin"),
            (Field::Correction(0, CorrectionPart::ShouldBe), "Сейітқали", "Сейітқали"),
        ] {
            field.set(&mut req, typed.into(), compiled());
            assert_eq!(field.get(&req), kept, "{field:?}");
        }
        assert_eq!(req.documents.len(), 2);
    }

    #[test]
    fn an_institution_not_in_the_list_replaces_the_choice_and_back() {
        let mut req = new_request();
        Field::Doc(0, DocPart::Institution).set(&mut req, "kaznmu".into(), compiled());
        Field::Unlisted(0).set(&mut req, "ignored while a listed one is chosen".into(), compiled());
        assert!(!is_unlisted(&req, 0));
        Field::Doc(0, DocPart::Institution).set(&mut req, UNLISTED.into(), compiled());
        Field::Unlisted(0).set(&mut req, "Алматинский медицинский институт".into(), compiled());
        assert_eq!((req.documents[0].institution.as_str(), Field::Unlisted(0).get(&req).as_str()), ("", "Алматинский медицинский институт"));
        assert_eq!(Field::Doc(0, DocPart::Institution).get(&req), UNLISTED, "the list shows the choice");
        Field::Doc(0, DocPart::Institution).set(&mut req, "kaznmu".into(), compiled());
        assert_eq!(req.documents[0].unlisted_institution, None);
    }

    #[test]
    fn a_correction_and_a_name_change_always_ask_their_inputs() {
        let mut req = new_request();
        assert!(cleaned(&req).corrections.is_empty() && !asks_name_on_document(&req));
        req.reason = Some(Reason::NameChange);
        assert!(asks_name_on_document(&req) && cleaned(&req).name_on_document.is_some());
        set_service(&mut req, ServiceCode::Correction, compiled());
        assert_eq!(cleaned(&req).corrections, vec![CorrectionInput::default()]);
    }

    #[test]
    fn another_region_clears_the_institution() {
        let mut req = new_request();
        Field::Doc(0, DocPart::Region).set(&mut req, "almaty_city".into(), compiled());
        Field::Doc(0, DocPart::Institution).set(&mut req, "kaznmu".into(), compiled());
        Field::Doc(0, DocPart::Region).set(&mut req, "almaty_city".into(), compiled());
        assert_eq!(req.documents[0].institution, "kaznmu");
        Field::Doc(0, DocPart::Region).set(&mut req, "astana".into(), compiled());
        assert_eq!(req.documents[0].institution, "");
    }

    #[test]
    fn a_new_service_keeps_only_what_it_offers() {
        let mut req = new_request();
        req.document_kind = Some(DocumentKind::Diploma);
        req.reason = Some(Reason::Damage);
        req.relationship = Some(Relationship::SelfApplicant);
        req.documents[0].institution = "kaznmu".into();
        req.attachments.push(AttachmentRef { kind: AttachmentKind::OriginalDocument, id: "a".into() });
        set_service(&mut req, ServiceCode::Correction, compiled());
        assert_eq!(req.reason, Some(Reason::DataError), "the only reason of a correction is chosen");
        assert_eq!(req.document_kind, Some(DocumentKind::Diploma));
        assert_eq!(req.documents[0].institution, "", "a university does not correct college documents");
        assert!(req.attachments.is_empty(), "a correction needs no original");
        set_service(&mut req, ServiceCode::SchoolDuplicate, compiled());
        assert_eq!(req.document_kind, Some(DocumentKind::Certificate));
        assert_eq!(req.reason, None);
    }

    #[test]
    fn documents_are_added_up_to_the_limit_and_one_always_stays() {
        let mut req = new_request();
        while add_document(&mut req).is_some() {}
        assert_eq!(req.documents.len(), MAX_DOCUMENTS);
        for _ in 0..MAX_DOCUMENTS + 2 {
            remove_document(&mut req, 0);
        }
        assert_eq!(req.documents.len(), 1);
    }

    #[test]
    fn only_the_person_the_relationship_needs_is_sent() {
        let mut req = new_request();
        Field::Person(Who::Pupil, PersonPart::Iin).set(&mut req, "1".into(), compiled());
        Field::Person(Who::Representative, PersonPart::Iin).set(&mut req, "2".into(), compiled());
        req.relationship = Some(Relationship::Parent);
        assert!(cleaned(&req).pupil.is_some() && cleaned(&req).representative.is_none());
        req.relationship = Some(Relationship::Representative);
        req.representative = None;
        assert_eq!(cleaned(&req).representative, Some(PersonInput::default()), "every input of the person is checked");
        req.relationship = Some(Relationship::SelfApplicant);
        assert!(cleaned(&req).pupil.is_none() && cleaned(&req).representative.is_none());
    }

    #[test]
    fn the_code_signs_with_the_normalised_phone_and_follows_phone_edits() {
        let mut req = new_request();
        req.applicant.phone = "8 701 123 45 67".into();
        set_code(&mut req, "123456".into());
        assert_eq!(req.signature, Some(Signature::Otp { phone: "+77011234567".into(), code: "123456".into() }));
        set_phone(&mut req, "+7 702 000 00 00".into());
        assert_eq!(req.signature, Some(Signature::Otp { phone: "+77020000000".into(), code: "123456".into() }));
        set_code(&mut req, String::new());
        assert_eq!(req.signature, None);
        assert_eq!(digits("12a3 45678", 6), "123456");
    }
}
