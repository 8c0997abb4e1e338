//! Unit tests of the form's logic.

use super::*;
use telnuska_shared::api::{AttachmentRef, DocumentInput, Reason, Relationship};
use telnuska_shared::application::{validate, ValidationContext};
use telnuska_shared::i18n::error_message;
use telnuska_shared::reference::compiled;

use crate::fields::cleaned;

fn ctx() -> ValidationContext<'static> {
    ValidationContext { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap(), reference: compiled() }
}

#[test]
fn ids_follow_the_dom_contract() {
    for (path, id) in [
        ("applicant.iin", "f-applicant-iin"),
        ("documents.0.region", "f-documents-0-region"),
        ("documents.1.graduation_year", "f-documents-1-graduation_year"),
        ("consents.accuracy", "f-consents-accuracy"),
        ("signature.code", "f-signature-code"),
    ] {
        assert_eq!(field_id(path), id);
        assert_eq!(error_id(path), format!("{id}-error"));
    }
    assert_eq!(option_id("service", "correction"), "f-service-correction");
    assert_eq!(file_input_id(AttachmentKind::ElectronicCopy), "f-attachments-electronic_copy-file");
    assert_eq!(error_id(&attachment_path(AttachmentKind::ElectronicCopy)), "f-attachments-electronic_copy-error");
}

#[test]
fn steps_run_in_order_and_stop_at_the_ends() {
    assert_eq!(Step::Service.previous(), Step::Service);
    assert_eq!(Step::Consents.next(), Step::Review);
    assert_eq!(Step::Sign.next(), Step::Sign);
    assert_eq!(Step::ALL.iter().map(|s| s.number()).collect::<Vec<_>>(), (1..=7).collect::<Vec<_>>());
}

#[test]
fn every_reported_path_belongs_to_a_step_with_a_place_to_show_it() {
    let mut req = new_request();
    req.attachments.push(AttachmentRef { kind: AttachmentKind::BirthCertificate, id: "x".into() });
    for (path, owner, step, anchor) in [
        ("applicant.iin", "applicant.iin", Step::Applicant, Some("f-applicant-iin")),
        ("pupil", "pupil.iin", Step::Applicant, Some("f-pupil-iin")),
        ("representative.last_name", "representative.last_name", Step::Applicant, Some("f-representative-last_name")),
        ("relationship", "relationship", Step::Applicant, Some("f-relationship-self")),
        ("service", "service", Step::Service, Some("f-service-higher_duplicate")),
        ("document_kind", "document_kind", Step::Documents, Some("f-document_kind-diploma")),
        ("documents.2.series", "documents.2.series", Step::Documents, Some("f-documents-2-series")),
        ("documents", "documents", Step::Documents, Some(ADD_DOCUMENT_ID)),
        ("reason", "reason", Step::Reason, Some("f-reason-loss")),
        ("attachments.original_document", "attachments.original_document", Step::Reason, Some("f-attachments-original_document-file")),
        ("attachments.0.id", "attachments.birth_certificate", Step::Reason, Some("f-attachments-birth_certificate-file")),
        ("consents.personal_data", "consents.personal_data", Step::Consents, Some("f-consents-personal_data")),
        ("signature", "signature.code", Step::Sign, Some("f-signature-code")),
        ("channel", "channel", Step::Service, None),
    ] {
        let o = owner_of(path, &req);
        assert_eq!(o, owner, "{path}");
        assert_eq!(step_of(&o), step, "{path}");
        assert_eq!(anchor_for(&o, &req).as_deref(), anchor, "{path}");
    }
}

#[test]
fn errors_wait_for_blur_or_continue_and_the_review_tries_every_earlier_step() {
    let req = new_request();
    let local = vec![FieldError::new("applicant.iin", "required"), FieldError::new("reason", "required"), FieldError::new("signature", "signature.required")];
    let server = vec![ProblemFieldError { field: "signature.code".into(), code: "otp.invalid".into(), message: "x".into() }];
    let none: Vec<String> = Vec::new();
    let shown = |touched: &[String], attempted: &[Step]| {
        let mut tried = Tried::default();
        attempted.iter().for_each(|s| tried.insert(*s));
        shown_errors(&local, &server, &req, touched, tried).into_iter().map(|e| (e.owner, e.code)).collect::<Vec<_>>()
    };
    assert_eq!(shown(&none, &[]), vec![("signature.code".into(), "otp.invalid".into())], "the server's verdict shows at once");
    let touched = vec!["applicant.iin".to_string()];
    assert_eq!(shown(&touched, &[]).len(), 2);
    assert_eq!(shown(&none, &[Step::Reason]).len(), 2);
    assert_eq!(shown(&none, &[Step::Review]).len(), 3, "every step before the review, not the signature");
    assert_eq!(shown(&none, &[Step::Sign]).len(), 4);
}

#[test]
fn the_summary_names_the_input_its_document_and_a_missing_file() {
    let mut req = new_request();
    req.service = ServiceCode::SchoolDuplicate;
    req.reason = Some(Reason::Damage);
    req.documents.push(DocumentInput::default());
    let errors = validate(&cleaned(&req), &ctx()).unwrap_err();
    let mut tried = Tried::default();
    tried.insert(Step::Sign);
    let shown = shown_errors(&errors, &[], &req, &[], tried);
    let entries = summary_entries(Lang::En, &shown, &req);
    let text = |prefix: &str| entries.iter().find(|(_, t)| t.starts_with(prefix)).unwrap_or_else(|| panic!("{prefix}: {entries:?}")).clone();
    assert_eq!(text("Original document").0.as_deref(), Some("f-attachments-original_document-file"));
    assert!(text("Birth certificate").1.ends_with(error_message(Lang::En, "attachment.missing")));
    assert_eq!(text("School (Document 2)").0.as_deref(), Some("f-documents-1-institution"));
    assert!(entries.iter().any(|(_, t)| t.starts_with("Certificate series:")), "{entries:?}");
}

#[test]
fn every_input_has_a_name_and_a_label_in_every_language() {
    let named = [
        "service",
        "relationship",
        "applicant.iin",
        "applicant.last_name",
        "applicant.first_name",
        "applicant.patronymic",
        "applicant.phone",
        "applicant.email",
        "pupil.iin",
        "pupil.last_name",
        "pupil.first_name",
        "pupil.patronymic",
        "representative.iin",
        "representative.last_name",
        "representative.first_name",
        "representative.patronymic",
        "document_kind",
        "documents.0.region",
        "documents.0.institution",
        "documents.0.degree",
        "documents.0.specialty",
        "documents.0.series",
        "documents.0.number",
        "documents.0.registration_number",
        "documents.0.graduation_year",
        "reason",
        "consents.accuracy",
        "consents.personal_data",
        "signature.code",
    ];
    for service in ServiceCode::ALL {
        for path in named {
            for lang in Lang::ALL {
                let key = field_key("field", path, *service);
                assert_ne!(t(lang, &key), "?", "{lang:?} {key}");
            }
        }
    }
    for step in Step::ALL {
        assert_ne!(t(Lang::Ru, &format!("step.{}", step.code())), "?");
    }
}

#[test]
fn unknown_server_codes_keep_the_servers_words() {
    let e = ShownError { field: "x".into(), owner: "x".into(), code: "brand.new".into(), server_message: Some("Server says".into()) };
    assert_eq!(error_text(Lang::Ru, &e), "Server says");
    let e = ShownError { field: "x".into(), owner: "x".into(), code: "required".into(), server_message: Some("Server says".into()) };
    assert_eq!(error_text(Lang::En, &e), error_message(Lang::En, "required"));
}

#[test]
fn drafts_round_trip_and_older_shapes_are_migrated_not_dropped() {
    let mut draft = Draft::new();
    draft.id = "3f1c".into();
    draft.request.applicant.iin = "0101".into();
    draft.touched.push("applicant.iin".into());
    draft.step = Step::Reason;
    draft.files.push(FileMeta { id: "a".into(), name: "scan.pdf".into(), size: 10 });
    let json = serde_json::to_string(&draft).unwrap();
    let back: Draft = serde_json::from_str(&json).unwrap();
    assert_eq!(back.clone().restored(), Some(draft));

    // A draft of the one-page form (version 1): no step, no files, the service fixed.
    let v1 = r#"{"schema_version":1,"request":{"service":"higher_duplicate","channel":"portal","applicant":{"iin":"010101599904"},
        "relationship":"self","documents":[]},"touched":["applicant.iin"],"idempotency_key":null}"#;
    let migrated = serde_json::from_str::<Draft>(v1).unwrap().restored().unwrap();
    assert_eq!(migrated.schema_version, SCHEMA_VERSION);
    assert_eq!(migrated.request.applicant.iin, "010101599904");
    assert_eq!(migrated.request.relationship, Some(Relationship::SelfApplicant));
    assert_eq!(migrated.request.documents.len(), 1);
    assert!(migrated.touched.iter().any(|p| p == "service"));
    assert_eq!(migrated.step, Step::Applicant);
    assert_eq!(migrated.id, LEGACY_DRAFT_ID, "the only draft keeps the key it was stored under");
    assert_eq!(Draft { schema_version: 99, ..back }.restored(), None);

    // A draft of the step-by-step form (version 2): one per device, no id, no time.
    let v2 = r#"{"schema_version":2,"request":{"service":"tvet_duplicate","channel":"portal","applicant":{"iin":"010101599904"},
        "documents":[{}]},"touched":["service","applicant.iin"],"idempotency_key":null,"step":"documents","files":[]}"#;
    let migrated = serde_json::from_str::<Draft>(v2).unwrap().restored().unwrap();
    assert_eq!((migrated.schema_version, migrated.id.as_str(), migrated.step), (SCHEMA_VERSION, LEGACY_DRAFT_ID, Step::Documents));
    assert_eq!(migrated.chosen_service(), Some(ServiceCode::TvetDuplicate));
    assert!(migrated.updated_at.is_none() && !migrated.needs_correction && migrated.server_errors.is_empty());
    assert!(migrated.has_content());
}

fn at(rfc3339: &str) -> Option<chrono::DateTime<Utc>> {
    Some(chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap().with_timezone(&Utc))
}

#[test]
fn the_start_page_lists_drafts_with_content_last_saved_first() {
    let draft = |id: &str, updated: &str, step: Step| Draft { id: id.into(), updated_at: at(updated), step, ..Draft::new() };
    let empty = Draft { id: "empty".into(), updated_at: at("2026-11-25T10:00:00Z"), ..Draft::new() };
    assert!(!empty.has_content(), "a form opened and left untouched is not a draft worth listing");
    let mut typed = Draft { id: "typed".into(), ..Draft::new() };
    typed.request.applicant.last_name = "Сейітқали".into();
    assert!(typed.has_content(), "typing counts even before the field is left");
    assert_eq!(typed.chosen_service(), None);
    let list = listed(vec![draft("old", "2026-11-20T10:00:00Z", Step::Reason), empty, typed, draft("new", "2026-11-24T10:00:00Z", Step::Applicant)]);
    assert_eq!(list.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["new", "old", "typed"]);
}

#[test]
fn a_refused_queued_application_comes_back_as_a_draft_to_correct_never_lost() {
    let mut request = new_request();
    request.service = ServiceCode::SchoolDuplicate;
    request.applicant.iin = "010101599904".into();
    let body = serde_json::to_string(&request).unwrap();
    let errors = vec![ProblemFieldError { field: "signature.code".into(), code: "otp.invalid".into(), message: "Wrong code".into() }];
    let queued = Draft {
        id: "d1".into(),
        request: request.clone(),
        step: Step::Sign,
        idempotency_key: Some("k1".into()),
        touched: vec!["service".into()],
        ..Draft::new()
    };

    let back = handed_back(Some(queued.clone()), "d1", "k1", &body, errors.clone(), true).unwrap();
    assert_eq!((back.id.as_str(), back.step, back.idempotency_key.as_deref()), ("d1", Step::Review, Some("k1")), "the draft's own key: still one application");
    assert!(back.needs_correction && back.server_errors == errors && back.request == request);

    // The draft is gone (a tab of an older version deleted it when queueing): rebuilt from the body.
    let rebuilt = handed_back(None, "d1", "k1", &body, errors.clone(), true).unwrap();
    assert_eq!(rebuilt.request, request);
    assert_eq!(rebuilt.chosen_service(), Some(ServiceCode::SchoolDuplicate));
    assert!(rebuilt.needs_correction && rebuilt.has_content());

    // Another tab handed it back already, or the person corrected it and queued it anew: left alone.
    assert_eq!(handed_back(Some(back), "d1", "k1", &body, errors.clone(), true), None);
    let requeued = Draft { idempotency_key: Some("k2".into()), ..queued.clone() };
    assert_eq!(handed_back(Some(requeued), "d1", "k1", &body, errors, true), None);

    // A failure without a verdict makes it a plain draft again.
    let plain = handed_back(Some(queued), "d1", "k1", &body, Vec::new(), false).unwrap();
    assert!(!plain.needs_correction && plain.step == Step::Sign && plain.idempotency_key.as_deref() == Some("k1"));
}

#[test]
fn a_copy_is_named_by_the_day_it_was_saved_in_almaty() {
    let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
    let mut draft = Draft::new();
    assert_eq!(copy_file_name(&draft, today), "telnuska-draft-2026-11-25.html");
    draft.updated_at = at("2026-03-07T20:30:00Z");
    assert_eq!(copy_file_name(&draft, today), "telnuska-draft-2026-03-08.html", "01:30 of the next day in Almaty");
}

#[test]
fn uuids_are_version_4() {
    let id = uuid_v4([0xff; 16]);
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4");
    assert_eq!(&id[19..20], "b");
}

#[test]
fn the_summary_follows_the_page_and_names_whose_field_it_is() {
    let mut req = new_request();
    req.relationship = Some(Relationship::Representative);
    req.representative = Some(telnuska_shared::api::PersonInput {
        iin: "010101599904".into(),
        last_name: "Ахметов".into(),
        first_name: "Ерлан".into(),
        patronymic: None,
        ..Default::default()
    });
    req.applicant.iin = "010101599904".into();
    let errors = validate(&cleaned(&req), &ctx()).unwrap_err();
    let shown = shown_errors(&errors, &[], &req, &[], {
        let mut t = Tried::default();
        t.insert(Step::Applicant);
        t
    });
    let owners: Vec<&str> = shown.iter().map(|e| e.owner.as_str()).filter(|o| step_of(o) == Step::Applicant).collect();
    // The validator reports the applicant first; the page shows the representative first.
    let rep = owners.iter().position(|o| *o == "representative.iin").unwrap();
    let graduate = owners.iter().position(|o| *o == "applicant.last_name").unwrap();
    let phone = owners.iter().position(|o| *o == "applicant.phone").unwrap();
    assert!(rep < graduate && graduate < phone, "{owners:?}");
    let entries = summary_entries(Lang::En, &shown, &req);
    assert!(entries.iter().any(|(_, text)| text.starts_with("Representative’s IIN: This is the graduate’s own IIN")), "{entries:?}");
    assert!(entries.iter().any(|(_, text)| text.starts_with("Graduate’s surname: ")), "{entries:?}");
}

#[test]
fn a_missing_choice_says_what_to_choose() {
    let e = ShownError { field: "documents.1.region".into(), owner: "documents.1.region".into(), code: "required".into(), server_message: None };
    assert_eq!(error_text(Lang::En, &e), "Choose the region where you studied.");
}

#[test]
fn a_copy_is_a_readable_page_that_loads_back_as_the_same_draft() {
    let mut draft = Draft { id: "d-1".into(), idempotency_key: Some("key-1".into()), step: Step::Documents, ..Draft::new() };
    draft.touched.push("service".into());
    draft.request.applicant.last_name = "Сейітқали</script><b>".into();
    draft.request.documents[0].series = "BD".into();
    draft.updated_at = "2026-11-25T10:00:00Z".parse().ok();
    let page = printable(Lang::Ru, compiled(), &draft);
    assert!(page.starts_with("<!doctype html><html lang=ru>"), "{page}");
    assert!(page.contains(&format!("<h2>{}</h2>", t(Lang::Ru, "step.documents"))), "every step under its heading");
    assert!(page.contains("Сейітқали&lt;/script&gt;&lt;b&gt;"), "answers are text, never markup");
    assert_eq!(page.matches("</script>").count(), 1, "nothing typed ends the data block");
    assert_eq!(read_copy(&page), Ok(draft.clone()), "the same draft, with its idempotency key");
    // A browser's "save page" may rewrite the page around the block.
    let saved = page.replace("<!doctype html>", "<!DOCTYPE html>\n<head></head>");
    assert_eq!(read_copy(&saved).map(|d| d.idempotency_key), Ok(Some("key-1".into())));
    // Copies saved by earlier versions were the draft as JSON.
    assert_eq!(read_copy(&serde_json::to_string_pretty(&draft).unwrap()), Ok(draft.clone()));
}

#[test]
fn a_file_that_is_not_a_copy_is_refused_with_its_code() {
    for foreign in ["", "%PDF-1.7", "{}", r#"{"schema_version": 3}"#, r#"<script type="application/json" id="telnuska-draft">{"#] {
        assert_eq!(read_copy(foreign), Err(CopyError::Unreadable), "{foreign}");
    }
    let newer = serde_json::to_string(&Draft { schema_version: SCHEMA_VERSION + 1, ..Draft::new() }).unwrap();
    assert_eq!(read_copy(&newer), Err(CopyError::Newer));
    assert_eq!((CopyError::Unreadable.code(), CopyError::Newer.code()), ("copy.unreadable", "copy.newer"));
    for e in [CopyError::Unreadable, CopyError::Newer] {
        assert_ne!(t(Lang::Kk, e.key()), "?", "{e:?} has its text");
    }
}
