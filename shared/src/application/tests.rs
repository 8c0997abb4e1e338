//! Unit tests of the application rules, one per rule of DOMAIN.md.

use super::*;
use crate::api::{ApplicantInput, AttachmentRef, Consents, CorrectedData, CorrectionInput, HomeServiceGround};

fn ctx() -> ValidationContext<'static> {
    ValidationContext { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), reference: compiled() }
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
            address: None,
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
            unlisted_institution: None,
            institution_as_named: None,
        }],
        pupil: None,
        reason: Some(Reason::Loss),
        attachments: vec![],
        consents: Consents { accuracy: true, personal_data: true },
        signature: Some(Signature::Otp { phone: "+77011234567".into(), code: "123456".into() }),
        accepted_at: None,
        name_on_document: None,
        corrections: Vec::new(),
        collection: None,
        home_service_ground: None,
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

/// A university an administrator added, unknown to the compiled-in lists.
fn added_university() -> crate::reference::Institution {
    crate::reference::Institution {
        code: "added_university".into(),
        name: crate::reference::Names::with_fallbacks("", "Добавленный университет", ""),
        region: "almaty_city".into(),
        kind: crate::reference::InstitutionKind::University,
        aliases: Vec::new(),
    }
}

#[test]
fn the_institution_is_checked_against_the_lists_in_the_context() {
    let mut req = valid_request();
    req.documents[0].institution = "added_university".into();
    let with_it = Reference::with_added_institutions(vec![added_university()]);
    let today = ctx().today;
    assert!(validate(&req, &ValidationContext { today, reference: &with_it }).is_ok(), "the lists in force hold it");
    for without in [compiled(), &Reference::with_added_institutions(Vec::new())] {
        let errors = validate(&req, &ValidationContext { today, reference: without }).unwrap_err();
        assert_eq!(errors, vec![FieldError::new("documents.0.institution", "reference.unknown_institution")]);
    }
}

#[test]
fn conditional_documents_are_required() {
    let mut req = valid_request();
    req.reason = Some(Reason::NameChange);
    req.relationship = Some(Relationship::Representative);
    req.representative =
        Some(PersonInput {
            iin: "850315100016".into(), last_name: "Ахметов".into(), first_name: "Ерлан".into(), patronymic: None, ..Default::default()
        });
    let got = codes(&req);
    for kind in ["original_document", "name_change_certificate", "power_of_attorney"] {
        assert!(got.contains(&(format!("attachments.{kind}"), "attachment.missing")), "{kind}: {got:?}");
    }
    req.attachments = ["original_document", "name_change_certificate", "power_of_attorney"]
        .iter()
        .map(|k| AttachmentRef { kind: AttachmentKind::from_code(k).unwrap(), id: format!("att-{k}") })
        .collect();
    assert_eq!(codes(&req), vec![("name_on_document.last_name".into(), "required"), ("name_on_document.first_name".into(), "required")]);
    req.name_on_document =
        Some(PersonInput { iin: String::new(), last_name: "Ахметова".into(), first_name: "Әсел".into(), patronymic: None, ..Default::default() });
    assert_eq!(codes(&req), vec![]);
}

#[test]
fn correction_is_portal_only_and_parent_only_for_school_and_college() {
    let mut req = valid_request();
    req.channel = Channel::Con;
    req.signature = None;
    req.service = ServiceCode::Correction;
    assert!(codes(&req).contains(&("channel".into(), "channel.not_offered")));
    let mut req = valid_request();
    req.relationship = Some(Relationship::Parent);
    assert!(codes(&req).contains(&("relationship".into(), "relationship.parent_only_school")));
    // Audit item 2 (003 annex 6 item 8.1): a parent applies for a minor's college diploma.
    req.service = ServiceCode::TvetDuplicate;
    req.documents[0] = DocumentInput {
        region: "karaganda".into(),
        institution: "kvki".into(),
        degree: "tvet".into(),
        graduation_year: Some(2025),
        ..req.documents[0].clone()
    };
    req.pupil =
        Some(PersonInput {
            iin: "120229699910".into(), last_name: "Сейітқали".into(), first_name: "Айым".into(), patronymic: None, ..Default::default()
        });
    assert_eq!(codes(&req), vec![]);
}

/// Audit item 3: a paper result is collected at a named ЦОН branch or at the provider; a
/// correction has nothing to collect.
#[test]
fn the_place_of_collection_is_named_and_only_for_paper() {
    let mut req = valid_request();
    req.collection = Some(Collection { place: CollectionPlace::Con, branch: Some("  Алмалы   ауданы ".into()) });
    let valid = validate(&req, &ctx()).unwrap();
    assert_eq!(valid.request.collection.and_then(|c| c.branch).as_deref(), Some("Алмалы ауданы"));
    req.collection = Some(Collection { place: CollectionPlace::Con, branch: None });
    assert_eq!(codes(&req), vec![("collection.branch".into(), "required")]);
    req.collection = Some(Collection { place: CollectionPlace::Con, branch: Some("bit.ly/x".into()) });
    assert_eq!(codes(&req), vec![("collection.branch".into(), "sms_text.link")], "the branch goes into an SMS");
    req.collection = Some(Collection { place: CollectionPlace::Provider, branch: None });
    assert_eq!(codes(&req), vec![]);
    req.service = ServiceCode::Correction;
    assert!(codes(&req).contains(&("collection".into(), "collection.not_offered")));
}

/// Audit item 10: the ground for home service is the field worker's to record.
#[test]
fn only_a_field_worker_records_the_ground_for_home_service() {
    let mut req = valid_request();
    req.home_service_ground = Some(HomeServiceGround::LostSelfCare);
    assert_eq!(codes(&req), vec![("home_service_ground".into(), "home_service_ground.field_only")]);
    req.channel = Channel::Field;
    req.signature = None;
    assert_eq!(codes(&req), vec![]);
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

#[test]
fn age_counts_full_years_and_majority_starts_on_the_eighteenth_birthday() {
    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
    assert_eq!(age_on(d(2008, 11, 25), d(2026, 11, 24)), 17);
    assert_eq!(age_on(d(2008, 11, 25), d(2026, 11, 25)), AGE_OF_MAJORITY);
    assert_eq!(age_on(d(2008, 2, 29), d(2026, 2, 28)), 17, "born on 29 February: of age on 1 March");
    assert_eq!(age_on(d(2030, 1, 1), d(2026, 1, 1)), 0);
}

#[test]
fn relationship_errors_point_at_the_person_they_are_about() {
    // A representative aged 14 (born 2012) and then one with the graduate's own IIN.
    let mut req = valid_request();
    req.relationship = Some(Relationship::Representative);
    req.attachments = vec![AttachmentRef { kind: AttachmentKind::PowerOfAttorney, id: "att-poa".into() }];
    req.representative =
        Some(PersonInput {
            iin: "120229699910".into(), last_name: "Ахметов".into(), first_name: "Ерлан".into(), patronymic: None, ..Default::default()
        });
    assert_eq!(codes(&req), vec![("representative.iin".into(), "representative.not_adult")]);
    req.representative.as_mut().unwrap().iin = req.applicant.iin.clone();
    assert_eq!(codes(&req), vec![("representative.iin".into(), "representative.same_as_graduate")]);
    req.representative.as_mut().unwrap().iin = "850315100016".into();
    assert_eq!(codes(&req), vec![]);
}

#[test]
fn the_name_on_the_original_is_kept_and_used_for_the_register() {
    let mut req = valid_request();
    assert_eq!(register_name(&req), "Сейітқали Әсел", "without a former name, the current one");
    req.reason = Some(Reason::NameChange);
    req.attachments = ["original_document", "name_change_certificate"]
        .iter()
        .map(|k| AttachmentRef { kind: AttachmentKind::from_code(k).unwrap(), id: format!("att-{k}") })
        .collect();
    req.name_on_document = Some(PersonInput {
        iin: "ignored".into(),
        last_name: " Ахметова ".into(),
        first_name: "Әсел".into(),
        patronymic: Some(" ".into()),
        ..Default::default()
    });
    let valid = validate(&req, &ctx()).unwrap();
    let name = valid.request.name_on_document.clone().unwrap();
    assert_eq!((name.iin.as_str(), name.last_name.as_str(), name.patronymic), ("", "Ахметова", None));
    assert_eq!(register_name(&valid.request), "Ахметова Әсел");
    // Not a name change, but the document is in another name: taken all the same.
    req.reason = Some(Reason::Loss);
    assert_eq!(validate(&req, &ctx()).unwrap().request.name_on_document.unwrap().last_name, "Ахметова");
}

#[test]
fn a_corrected_iin_must_be_a_valid_one_and_corrections_belong_to_the_correction_service() {
    let mut req = valid_request();
    req.corrections =
        vec![CorrectionInput { data: Some(CorrectedData::Iin), as_printed: "010101599904".into(), should_be: "010101599905".into(), proof: "ID".into() }];
    assert!(validate(&req, &ctx()).unwrap().request.corrections.is_empty(), "ignored outside a correction");
    req.service = ServiceCode::Correction;
    req.reason = Some(Reason::DataError);
    req.documents[0] = DocumentInput { region: "karaganda".into(), institution: "kvki".into(), degree: "tvet".into(), ..req.documents[0].clone() };
    req.attachments = vec![AttachmentRef { kind: AttachmentKind::ElectronicCopy, id: "att-copy".into() }];
    assert_eq!(codes(&req), vec![("corrections.0.should_be".into(), "iin.check_digit")]);
    req.corrections[0].should_be = "0101 0159 9904".into();
    req.corrections[0].as_printed = "010101599940".into();
    assert_eq!(validate(&req, &ctx()).unwrap().request.corrections[0].should_be, "010101599904");
}

/// A representative acting for the graduate of [`valid_request`], with the power of attorney.
fn represented() -> CreateApplicationRequest {
    let mut req = valid_request();
    req.relationship = Some(Relationship::Representative);
    req.attachments = vec![AttachmentRef { kind: AttachmentKind::PowerOfAttorney, id: "att-poa".into() }];
    req.representative =
        Some(PersonInput { iin: "850315100016".into(), last_name: "Ахметов".into(), first_name: "Ерлан".into(), ..Default::default() });
    req
}

#[test]
fn a_representatives_contacts_are_stored_as_the_representatives() {
    // v1: `applicant.phone` is the contact of whoever applies, here the representative's.
    let v1 = represented();
    assert_eq!(v1.signer_phone(), "8 701 123 45 67");
    let valid = validate(&v1, &ctx()).unwrap();
    let rep = valid.request.representative.clone().unwrap();
    assert_eq!((rep.phone.as_deref(), rep.email.as_deref()), (Some("+77011234567"), Some("asel@mail.kz")));
    assert_eq!((valid.request.applicant.phone.as_str(), valid.request.applicant.email.as_deref()), ("", None), "not the graduate's");
    assert_eq!(valid.contact_phone.as_ref(), "+77011234567");
    assert_eq!(valid.request.signer_phone(), "+77011234567", "the stored request names the same signer");

    // A representative who gives their own contacts: the graduate's are optional, and kept apart.
    let mut own = represented();
    own.applicant.phone = String::new();
    own.applicant.email = None;
    let rep = own.representative.as_mut().unwrap();
    (rep.phone, rep.email) = (Some("+7 702 000 00 00".into()), Some("erlan@mail.kz".into()));
    assert_eq!(own.signer_phone(), "+7 702 000 00 00");
    let valid = validate(&own, &ctx()).unwrap();
    assert_eq!(valid.contact_phone.as_ref(), "+77020000000");
    assert_eq!(valid.request.representative.unwrap().phone.as_deref(), Some("+77020000000"));
    own.applicant.phone = "8 701 123 45 67".into();
    let valid = validate(&own, &ctx()).unwrap();
    assert_eq!((valid.request.applicant.phone.as_str(), valid.contact_phone.as_ref()), ("+77011234567", "+77020000000"));

    // Each error at the contact it is about.
    own.representative.as_mut().unwrap().phone = Some(String::new());
    own.applicant.phone = "123".into();
    own.applicant.email = Some("not an address".into());
    let got = codes(&own);
    let fields: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["representative.phone", "applicant.phone", "applicant.email"], "{got:?}");
    assert_eq!(got[0].1, "required");

    // Without a representative acting, contacts given for anyone else are not the signer's.
    let mut other = valid_request();
    other.pupil = Some(PersonInput { phone: Some("+77020000000".into()), ..Default::default() });
    other.representative = Some(PersonInput { phone: Some("+77020000000".into()), ..Default::default() });
    assert_eq!(other.signer_phone(), "8 701 123 45 67");
}
