//! The application's rules: every field parsed, every cross-field rule of DOMAIN.md checked, and
//! all failures returned at once with a stable code and a dotted path.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::api::{
    AttachmentKind, Channel, Collection, CollectionPlace, CreateApplicationRequest, DocumentInput, DocumentKind, PersonInput, Reason, Relationship,
    ServiceCode, Signature,
};
use crate::document::{check_graduation, CodeKind, DocumentCode};
use crate::error::{ErrorCode, FieldError, FieldErrors};
use crate::iin::Iin;
use crate::person_name::PersonName;
use crate::phone::Phone;
use crate::reference::{compiled, Reference, ResultKind, Service};
use crate::sms_text::check_sms_free_text;

/// Longest specialty text accepted (names of educational programmes are well under it).
pub const MAX_SPECIALTY_CHARS: usize = 200;
/// Most document entries in one application; more is surely a mistake or abuse.
pub const MAX_DOCUMENTS: usize = 10;
/// Length of an SMS one-time code.
pub const OTP_LENGTH: usize = 6;
/// Longest free text of a place or an address (a ЦОН branch, an institution's former name and
/// address, the applicant's address): a full postal address with a name is well under it.
pub const MAX_PLACE_CHARS: usize = 300;
/// Seconds after a code was sent before another may be asked for the same phone (the server
/// refuses sooner with 429; the app counts them down).
pub const OTP_RESEND_SECONDS: u32 = 60;

/// What validation needs to know about the outside world: the domain has no clock, and the lists
/// of regions and institutions grow at run time (an administrator adds one; the browser receives
/// a newer bundle), so the caller says which lists are in force.
#[derive(Debug, Clone, Copy)]
pub struct ValidationContext<'a> {
    /// Today in Asia/Almaty.
    pub today: NaiveDate,
    /// The reference data in force: on the server, the compiled-in catalogues with the
    /// institutions administrators added; in the browser, the lists of the last bundle received.
    pub reference: &'a Reference,
}

/// An application whose every rule holds, with its key values parsed.
#[derive(Debug, Clone)]
pub struct ValidApplication {
    /// The request with every value normalised (E.164 phone, upper-case series…).
    pub request: CreateApplicationRequest,
    /// The applicant's IIN.
    pub applicant_iin: Iin,
    /// The phone of the person who applies (the representative's when one acts): the SMS code
    /// signs from it and every SMS about the application goes to it.
    pub contact_phone: Phone,
}

/// Collects errors while parsing fields one by one.
struct Checker {
    errors: FieldErrors,
}

impl Checker {
    fn push(&mut self, field: impl Into<String>, code: &'static str) {
        self.errors.push(FieldError::new(field, code));
    }

    /// Runs a parser on a field, recording its error; returns the value on success.
    fn field<T, E: ErrorCode>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        result.map_err(|e| self.push(field, e.code())).ok()
    }

    /// An optional free text of a place or address: blank is absent, spaces are collapsed.
    fn place(&mut self, field: &str, raw: Option<&str>) -> Option<String> {
        let text = raw?.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            None
        } else if text.chars().count() > MAX_PLACE_CHARS || text.chars().any(char::is_control) {
            self.push(field, "place.invalid");
            None
        } else {
            Some(text)
        }
    }

    /// Checks a person's IIN and names; returns the IIN when it is valid.
    fn person(&mut self, prefix: &str, p: &PersonInput) -> Option<Iin> {
        let iin = self.field(&format!("{prefix}.iin"), Iin::parse(&p.iin));
        self.names(prefix, &p.last_name, &p.first_name, p.patronymic.as_deref());
        iin
    }

    fn names(&mut self, prefix: &str, last: &str, first: &str, patronymic: Option<&str>) -> (Option<String>, Option<String>, Option<String>) {
        let last = self.field(&format!("{prefix}.last_name"), PersonName::parse(last)).map(|n| n.to_string());
        let first = self.field(&format!("{prefix}.first_name"), PersonName::parse(first)).map(|n| n.to_string());
        let patronymic = match patronymic.map(str::trim).filter(|s| !s.is_empty()) {
            Some(p) => self.field(&format!("{prefix}.patronymic"), PersonName::parse(p)).map(|n| n.to_string()),
            None => None,
        };
        (last, first, patronymic)
    }
}

fn check_document(c: &mut Checker, i: usize, doc: &DocumentInput, service: &Service, ctx: &ValidationContext<'_>, birth: Option<NaiveDate>) -> DocumentInput {
    let path = |f: &str| format!("documents.{i}.{f}");
    let r = ctx.reference;
    let mut out = doc.clone();
    let region = doc.region.trim();
    if region.is_empty() {
        c.push(path("region"), "required");
    } else if r.region(region).is_none() {
        c.push(path("region"), "reference.unknown_region");
    }
    let institution = doc.institution.trim();
    out.unlisted_institution = None;
    match r.institution(institution) {
        _ if institution.is_empty() && doc.unlisted_institution.is_some() => {
            // "My institution is not in the list": the name as printed.
            let name = doc.unlisted_institution.as_deref().unwrap_or_default();
            out.unlisted_institution = free_text(c, &path("unlisted_institution"), name, MAX_INSTITUTION_NAME_CHARS, "institution.name_invalid");
        }
        _ if institution.is_empty() => c.push(path("institution"), "required"),
        None => c.push(path("institution"), "reference.unknown_institution"),
        Some(inst) if inst.kind != service.provider_kind => c.push(path("institution"), "institution.wrong_kind"),
        Some(inst) if !region.is_empty() && !inst.region.is_empty() && inst.region != region => c.push(path("institution"), "institution.wrong_region"),
        Some(_) => {}
    }
    // 003 annex 5: the name and address at graduation of an institution renamed or closed since.
    out.institution_as_named = c.place(&path("institution_as_named"), doc.institution_as_named.as_deref());
    let degree = doc.degree.trim();
    match r.degree(degree) {
        _ if degree.is_empty() => c.push(path("degree"), "required"),
        None => c.push(path("degree"), "reference.unknown_degree"),
        Some(d) if d.institution_kind != service.provider_kind => c.push(path("degree"), "degree.wrong_kind"),
        Some(_) => {}
    }
    let specialty = doc.specialty.split_whitespace().collect::<Vec<_>>().join(" ");
    if specialty.is_empty() && service.code != ServiceCode::SchoolDuplicate {
        c.push(path("specialty"), "required");
    } else if specialty.chars().count() > MAX_SPECIALTY_CHARS || specialty.chars().any(char::is_control) {
        c.push(path("specialty"), "specialty.invalid");
    }
    out.specialty = specialty;
    for (name, raw, kind, slot) in [
        ("series", &doc.series, CodeKind::Series, &mut out.series),
        ("number", &doc.number, CodeKind::Number, &mut out.number),
        ("registration_number", &doc.registration_number, CodeKind::RegistrationNumber, &mut out.registration_number),
    ] {
        if let Some(code) = c.field(&path(name), DocumentCode::parse(raw, kind)) {
            *slot = code.to_string();
        }
    }
    match doc.graduation_year {
        None => c.push(path("graduation_year"), "required"),
        Some(y) => {
            c.field(&path("graduation_year"), check_graduation(y, ctx.today.year(), birth));
        }
    }
    out
}

/// Longest name of an institution typed as printed (the longest official names are about 150).
pub const MAX_INSTITUTION_NAME_CHARS: usize = 300;

/// Text as typed with runs of white space made one space; `None` when it is empty, too long
/// (more than `max` characters) or holds control characters, with the error recorded at `path`.
fn free_text(c: &mut Checker, path: &str, raw: &str, max: usize, invalid: &'static str) -> Option<String> {
    let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.is_empty() {
        c.push(path, "required");
    } else if text.chars().count() > max || text.chars().any(char::is_control) {
        c.push(path, invalid);
    } else {
        return Some(text);
    }
    None
}

/// The attachments that the service, reason and relationship require (DOMAIN.md, conditional
/// documents), read from the service catalogue ([`crate::reference::Service::documents`]).
pub fn required_attachments(req: &CreateApplicationRequest) -> Vec<AttachmentKind> {
    compiled().service(req.service).required_attachments(req.reason, req.relationship)
}

/// Something the applicant should know before submitting; not an error, never blocks.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// Dotted path of the field it is about, e.g. `reason`.
    pub field: String,
    /// Stable code listed in [`crate::i18n::NOTICE_CODES`]; the text is its catalogue key.
    pub code: &'static str,
}

/// The notices that a request calls for, whatever its errors (the form shows them as the
/// applicant chooses).
pub fn notices(req: &CreateApplicationRequest) -> Vec<Notice> {
    let mut out = Vec::new();
    let service = compiled().service(req.service);
    let issues_duplicate = service.results.contains(&ResultKind::PaperDuplicate);
    // 004, section 3: a diploma in the former surname is duplicated in that surname.
    if issues_duplicate && req.reason == Some(Reason::NameChange) {
        out.push(Notice { field: "reason".into(), code: "notice.former_surname_kept" });
    }
    // 004, section 3 item 2: a supplement's duplicate without a diploma is invalid.
    if req.document_kind == Some(DocumentKind::Supplement) {
        out.push(Notice { field: "document_kind".into(), code: "notice.supplement_only" });
    }
    out
}

/// The place of collection (DOMAIN.md, audit item 3): only for a result on paper (a correction
/// is delivered electronically, 002 items 4–5); a ЦОН branch is named.
fn check_collection(c: &mut Checker, req: &CreateApplicationRequest, on_paper: bool) -> Option<Collection> {
    let collection = req.collection.as_ref()?;
    if !on_paper {
        c.push("collection", "collection.not_offered");
        return None;
    }
    // The branch is named in SMS messages: no links, and short enough for one.
    let branch = match c.place("collection.branch", collection.branch.as_deref()) {
        Some(b) if c.field("collection.branch", check_sms_free_text(&b)).is_none() => return None,
        other => other,
    };
    match (collection.place, branch) {
        (CollectionPlace::Con, None) => {
            c.push("collection.branch", "required");
            None
        }
        (CollectionPlace::Con, branch) => Some(Collection { place: CollectionPlace::Con, branch }),
        (CollectionPlace::Provider, _) => Some(Collection { place: CollectionPlace::Provider, branch: None }),
    }
}

/// Checks every rule of an application; on success returns it normalised.
pub fn validate(req: &CreateApplicationRequest, ctx: &ValidationContext<'_>) -> Result<ValidApplication, FieldErrors> {
    let mut c = Checker { errors: Vec::new() };
    let mut out = req.clone();
    let service = ctx.reference.service(req.service);

    if !service.channels.contains(&req.channel) {
        c.push("channel", "channel.not_offered");
    }

    let a = &req.applicant;
    let iin = c.field("applicant.iin", Iin::parse(&a.iin));
    let (last, first, patronymic) = c.names("applicant", &a.last_name, &a.first_name, a.patronymic.as_deref());
    let phone = parties::check_contacts(&mut c, req, &mut out);
    out.applicant.iin = iin.as_ref().map_or_else(|| a.iin.clone(), ToString::to_string);
    out.applicant.last_name = last.unwrap_or_else(|| a.last_name.clone());
    out.applicant.first_name = first.unwrap_or_else(|| a.first_name.clone());
    out.applicant.patronymic = patronymic;

    parties::check_relationship(&mut c, req, service, iin.as_ref(), ctx.today);

    match req.document_kind {
        None => c.push("document_kind", "required"),
        Some(k) if !service.document_kinds.contains(&k) => c.push("document_kind", "document_kind.wrong_service"),
        Some(_) => {}
    }

    // The graduate's birth date bounds the graduation year: the pupil's when a parent or guardian
    // applies (001), otherwise the applicant's, who is the graduate even when a representative
    // acts for them (000).
    let graduate_birth = match req.relationship {
        Some(Relationship::Parent | Relationship::Guardian) => req.pupil.as_ref().and_then(|p| Iin::parse(&p.iin).ok()),
        _ => iin.clone(),
    }
    .map(|i| i.birth_date());

    if req.documents.is_empty() {
        c.push("documents", "documents.empty");
    } else if req.documents.len() > MAX_DOCUMENTS {
        c.push("documents", "documents.too_many");
    } else {
        out.documents = req.documents.iter().enumerate().map(|(i, d)| check_document(&mut c, i, d, service, ctx, graduate_birth)).collect();
    }

    match req.reason {
        None => c.push("reason", "required"),
        Some(r) if !service.reasons.contains(&r) => c.push("reason", "reason.wrong_service"),
        Some(_) => {}
    }
    out.name_on_document = parties::check_name_on_document(&mut c, req);
    out.corrections = if req.service == ServiceCode::Correction { correction::check_corrections(&mut c, &req.corrections) } else { Vec::new() };

    for (i, att) in req.attachments.iter().enumerate() {
        let id = att.id.trim();
        if id.is_empty() || id.len() > 100 {
            c.push(format!("attachments.{i}.id"), "attachment.invalid_id");
        }
    }
    let attached: Vec<AttachmentKind> = req.attachments.iter().map(|a| a.kind).collect();
    for kind in service.missing_attachments(req.reason, req.relationship, &attached) {
        c.push(format!("attachments.{}", kind.code()), "attachment.missing");
    }

    if !req.consents.accuracy {
        c.push("consents.accuracy", "consent.required");
    }
    if !req.consents.personal_data {
        c.push("consents.personal_data", "consent.required");
    }

    let signed = matches!(req.channel, Channel::Portal | Channel::Kiosk);
    match (&req.signature, signed) {
        (None, true) => c.push("signature", "signature.required"),
        (Some(Signature::Otp { phone: p, code }), true) => {
            c.field("signature.phone", Phone::parse(p));
            if code.len() != OTP_LENGTH || !code.chars().all(|ch| ch.is_ascii_digit()) {
                c.push("signature.code", "otp.format");
            }
        }
        (Some(Signature::Eds { cms }), true) if cms.trim().is_empty() => c.push("signature.cms", "required"),
        _ => {}
    }
    if req.accepted_at.is_some() && req.channel != Channel::Field {
        c.push("accepted_at", "accepted_at.field_only");
    }
    // 003 annex 6 item 10: only a field worker serves at home, and records why.
    if req.home_service_ground.is_some() && req.channel != Channel::Field {
        c.push("home_service_ground", "home_service_ground.field_only");
    }
    out.applicant.address = c.place("applicant.address", a.address.as_deref());
    out.collection = check_collection(&mut c, req, service.collected_on_paper());

    match (c.errors.is_empty(), iin, phone) {
        (true, Some(applicant_iin), Some(contact_phone)) => Ok(ValidApplication { request: out, applicant_iin, contact_phone }),
        _ => Err(c.errors),
    }
}

mod correction;
mod parties;

pub use parties::{age_on, register_name, register_person, AGE_OF_MAJORITY};

#[cfg(test)]
mod tests;
