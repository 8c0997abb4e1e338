//! Unit tests of the application rules, one per rule of DOMAIN.md.

use super::*;
use crate::api::{ApplicantInput, AttachmentRef, Consents};

fn ctx() -> ValidationContext {
    ValidationContext { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap() }
}

/// A complete, valid portal application for a university diploma duplicate.
pub(crate) fn valid_request() -> CreateApplicationRequest {
    CreateApplicationRequest {
        service: ServiceCode::HigherDuplicate,
        channel: Channel::Portal,
        applicant: ApplicantInput {
            iin: "010101599904".into(),
            last_name: "Сейітқали".into(),
            first_name: "Әсел".into(),
            patronymic: None,
            phone: "8 701 123 45 67".into(),
            email: Some("asel@mail.kz".into()),
        },
        relationship: Some(Relationship::SelfApplicant),
        representative: None,
        document_kind: Some(DocumentKind::Diploma),
        documents: vec![DocumentInput {
            region: "almaty_city".into(),
            institution: "kaznmu".into(),
            degree: "bachelor".into(),
            specialty: "Общая медицина".into(),
            series: "вd".into(),
            number: "0012345".into(),
            registration_number: "1234".into(),
            graduation_year: Some(2015),
        }],
        pupil: None,
        reason: Some(Reason::Loss),
        attachments: vec![],
        consents: Consents { accuracy: true, personal_data: true },
        signature: Some(Signature::Otp { phone: "+77011234567".into(), code: "123456".into() }),
        accepted_at: None,
    }
}

fn codes(req: &CreateApplicationRequest) -> Vec<(String, &'static str)> {
    validate(req, &ctx()).err().unwrap_or_default().into_iter().map(|e| (e.field, e.code)).collect()
}

#[test]
fn a_complete_application_is_valid_and_normalised() {
    let valid = validate(&valid_request(), &ctx()).unwrap();
    assert_eq!(valid.request.applicant.phone, "+77011234567");
    assert_eq!(valid.request.documents[0].series, "BD");
}

#[test]
fn every_error_is_reported_at_once() {
    let mut req = valid_request();
    req.applicant.iin = "010101599905".into();
    req.applicant.phone = "123".into();
    req.consents = Consents::default();
    req.documents[0].series.clear();
    let got = codes(&req);
    for expected in [
        ("applicant.iin", "iin.check_digit"),
        ("applicant.phone", "phone.not_mobile"),
        ("consents.accuracy", "consent.required"),
        ("consents.personal_data", "consent.required"),
        ("documents.0.series", "required"),
    ] {
        assert!(got.contains(&(expected.0.to_string(), expected.1)), "{expected:?} in {got:?}");
    }
}

#[test]
fn institution_must_be_of_the_region_and_the_service() {
    let mut req = valid_request();
    req.documents[0].region = "karaganda".into();
    assert!(codes(&req).contains(&("documents.0.institution".into(), "institution.wrong_region")));
    req.documents[0].region = "karaganda".into();
    req.documents[0].institution = "kvki".into();
    assert!(codes(&req).contains(&("documents.0.institution".into(), "institution.wrong_kind")));
}

#[test]
fn conditional_documents_are_required() {
    let mut req = valid_request();
    req.reason = Some(Reason::NameChange);
    req.relationship = Some(Relationship::Representative);
    req.representative = Some(PersonInput { iin: "850315100016".into(), last_name: "Ахметов".into(), first_name: "Ерлан".into(), patronymic: None });
    let got = codes(&req);
    for kind in ["original_document", "name_change_certificate", "power_of_attorney"] {
        assert!(got.contains(&(format!("attachments.{kind}"), "attachment.missing")), "{kind}: {got:?}");
    }
    req.attachments = ["original_document", "name_change_certificate", "power_of_attorney"]
        .iter()
        .map(|k| AttachmentRef { kind: AttachmentKind::from_code(k).unwrap(), id: format!("att-{k}") })
        .collect();
    assert_eq!(codes(&req), vec![]);
}

#[test]
fn correction_is_portal_only_and_parent_only_for_school() {
    let mut req = valid_request();
    req.channel = Channel::Con;
    req.signature = None;
    req.service = ServiceCode::Correction;
    assert!(codes(&req).contains(&("channel".into(), "channel.not_offered")));
    let mut req = valid_request();
    req.relationship = Some(Relationship::Parent);
    assert!(codes(&req).contains(&("relationship".into(), "relationship.parent_only_school")));
}

#[test]
fn portal_needs_a_six_digit_code() {
    let mut req = valid_request();
    req.signature = Some(Signature::Otp { phone: "+77011234567".into(), code: "12a".into() });
    assert_eq!(codes(&req), vec![("signature.code".into(), "otp.format")]);
    req.signature = None;
    assert_eq!(codes(&req), vec![("signature".into(), "signature.required")]);
}

#[test]
fn a_name_change_notifies_that_the_former_surname_is_kept_but_not_for_a_correction() {
    let mut req = valid_request();
    req.reason = Some(Reason::NameChange);
    assert_eq!(notices(&req), vec![Notice { field: "reason".into(), code: "notice.former_surname_kept" }]);
    req.service = ServiceCode::Correction;
    assert_eq!(notices(&req), vec![], "a correction updates the record; there is no duplicate to keep a surname");
    assert_eq!(notices(&valid_request()), vec![]);
}

#[test]
fn a_supplement_alone_is_notified_and_still_valid() {
    let mut req = valid_request();
    req.document_kind = Some(DocumentKind::Supplement);
    assert_eq!(notices(&req), vec![Notice { field: "document_kind".into(), code: "notice.supplement_only" }]);
    assert_eq!(codes(&req), vec![]);
    req.document_kind = Some(DocumentKind::DiplomaAndSupplement);
    assert_eq!(notices(&req), vec![]);
}

#[test]
fn required_attachments_come_from_the_catalogue() {
    let mut req = valid_request();
    req.service = ServiceCode::SchoolDuplicate;
    req.reason = Some(Reason::Damage);
    assert_eq!(required_attachments(&req), vec![AttachmentKind::BirthCertificate, AttachmentKind::OriginalDocument]);
    req.service = ServiceCode::Correction;
    req.relationship = Some(Relationship::Representative);
    assert_eq!(required_attachments(&req), vec![AttachmentKind::ElectronicCopy, AttachmentKind::PowerOfAttorney]);
}

#[test]
fn the_graduation_year_is_bounded_by_the_graduates_birth() {
    // The applicant 010101599904 was born in 2001: 2010 is before the age of ten.
    let mut req = valid_request();
    req.documents[0].graduation_year = Some(2010);
    assert_eq!(codes(&req), vec![("documents.0.graduation_year".into(), "graduation_year.too_young")]);
    req.documents[0].graduation_year = Some(2011);
    assert_eq!(codes(&req), vec![]);
}

#[test]
fn every_code_the_validator_emits_has_messages() {
    let mut req = valid_request();
    req.relationship = Some(Relationship::Guardian);
    req.document_kind = Some(DocumentKind::Certificate);
    req.reason = Some(Reason::DataError);
    for (_, code) in codes(&req) {
        assert!(crate::i18n::ERROR_CODES.contains(&code), "{code}");
    }
    assert_eq!(codes(&req).len(), 3);
}
