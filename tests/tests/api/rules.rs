//! The rules of the seeds that a conformance audit found missing (DOMAIN.md, "Corrections after
//! a conformance audit"), each enforced by the server: a correction finishes electronically,
//! parents apply for college documents, the place of collection, a real hearing, refusal grounds
//! per service, the college's digital diploma, documents per service, derived deadlines, the
//! refusal to accept, and the ground for home service.

use serde_json::{json, Value};
use telnuska_tests::server::{desk_application, valid_application};
use telnuska_tests::{Backend, TestApp};

use crate::attachments::{upload, PDF};
use crate::jobs::fake_gateway;
use crate::receipts::pdf_text;
use crate::workflow::{act, expect_status};

const PHONE: &str = "+77011234567";
/// A second applicant's phone: a phone gets one SMS code a minute, and the test clock stands still.
const OTHER_PHONE: &str = "+77017776655";
const MONDAY: (&str, &str) = ("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00");

/// A college's diploma, as the applicant describes it.
fn college_document() -> Value {
    json!([{"region": "karaganda", "institution": "kvki", "degree": "tvet", "specialty": "Электроснабжение",
            "series": "ТКБ", "number": "0004567", "registration_number": "301", "graduation_year": 2019}])
}

/// The desk application (a university diploma, lost) with `edits` applied.
fn at_desk(edits: &[(&str, Value)]) -> Value {
    let mut body = desk_application();
    for (pointer, value) in edits {
        *body.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer}")) = value.clone();
    }
    body
}

/// A college duplicate at the ЦОН desk.
fn college_at_desk() -> Value {
    at_desk(&[("/service", json!("tvet_duplicate")), ("/documents", college_document())])
}

/// Submits `body` signed with an SMS code to `phone` through the portal; returns the 201 body.
async fn submit_portal(app: &TestApp, key: &str, mut body: Value, phone: &str) -> Value {
    let code = app.otp_code(phone).await;
    body["applicant"]["phone"] = json!(phone);
    body["signature"] = json!({"method": "otp", "phone": phone, "code": code});
    let (status, created) = app.post("/api/applications", &body, Some(key), None).await;
    assert_eq!(status, 201, "{created}");
    created
}

fn id_of(created: &Value) -> String {
    created["id"].as_str().unwrap().to_string()
}

/// Every SMS text sent to `phone` (in no particular order: the test clock stands still).
async fn sms_texts(app: &TestApp, phone: &str) -> Vec<String> {
    let (_, sms) = app.get(&format!("/api/dev/sms?phone={}", phone.replace('+', "%2B")), None).await;
    sms.as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap().to_string()).collect()
}

/// Whether some SMS to `phone` contains every one of `parts`.
async fn sms_with(app: &TestApp, phone: &str, parts: &[&str]) -> bool {
    sms_texts(app, phone).await.iter().any(|text| parts.iter().all(|p| text.contains(p)))
}

async fn view(app: &TestApp, id: &str) -> Value {
    let operator = app.login("operator").await;
    app.get(&format!("/api/applications/{id}"), Some(&operator)).await.1
}

/// Takes `steps` of `(who, action)` in order, each expected to succeed.
async fn walk(app: &TestApp, id: &str, steps: &[(&str, &str)]) {
    for (who, action) in steps {
        let (code, v) = act(app, id, who, json!({ "action": action })).await;
        assert_eq!(code, 200, "{who} {action}: {v}");
    }
}

const TO_REVIEW: [(&str, &str); 3] = [("operator", "dispatch"), ("provider", "register"), ("provider", "start_review")];

/// A portal correction of a college diploma with its electronic copy.
async fn portal_correction(app: &TestApp) -> String {
    let copy = upload(app, PDF).await;
    let mut body = valid_application(PHONE, "000000");
    body["service"] = json!("correction");
    body["reason"] = json!("data_error");
    body["documents"] = college_document();
    body["attachments"] = json!([{"kind": "electronic_copy", "id": copy}]);
    body["corrections"] = json!([{"data": "last_name", "as_printed": "Сейткали", "should_be": "Сейітқали", "proof": "Жеке куәлік № 012345678"}]);
    id_of(&submit_portal(app, "correction", body, PHONE).await)
}

/// Item 1 (002 items 4–5): approval finishes a correction; nothing goes to ЦОН.
async fn an_approved_correction_finishes_as_record_updated_with_its_own_sms(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[MONDAY]).await;
    let id = portal_correction(&app).await;
    expect_status(&app, &id, "provider", json!({"action": "start_review"}), "in_review").await;
    expect_status(&app, &id, "provider", json!({"action": "approve"}), "record_updated").await;
    let (code, p) = act(&app, &id, "provider", json!({"action": "deliver_to_con"})).await;
    assert_eq!((code, p["code"].as_str()), (409, Some("workflow.illegal_transition")), "{p}");
    let number = view(&app, &id).await["number"].as_str().unwrap().to_string();
    assert!(sms_with(&app, PHONE, &[&number, "мәліметтер өзектендірілді"]).await, "{:?}", sms_texts(&app, PHONE).await);
    assert!(!sms_with(&app, PHONE, &["дайын"]).await, "no \"ready, collect it\" SMS");
}

/// Item 2 (003 annex 6 item 8.1): a parent applies for a minor's college diploma.
async fn a_parent_applies_for_a_minors_college_diploma(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[MONDAY]).await;
    let pupil = json!({"iin": "120229699910", "last_name": "Сейітқали", "first_name": "Айым", "patronymic": null});
    let mut body = college_at_desk();
    body["relationship"] = json!("parent");
    body["pupil"] = pupil.clone();
    body["documents"][0]["graduation_year"] = json!(2025);
    let created = app.submit_at_desk("parent-college", &body).await;
    assert_eq!(view(&app, &id_of(&created)).await["request"]["pupil"], pupil);
    body["service"] = json!("higher_duplicate");
    body["documents"] = desk_application()["documents"].clone();
    let operator = app.login("operator").await;
    let (code, p) = app.post("/api/applications", &body, Some("parent-university"), Some(&operator)).await;
    assert_eq!((code, p["errors"][0]["field"].as_str()), (422, Some("relationship")), "{p}");
}

/// Item 3 (001; 003 item 59; 000): the result goes where the applicant collects it, and the
/// "ready" SMS names that place once the result is there.
async fn the_result_is_collected_where_the_applicant_chose(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[MONDAY]).await;
    let mut body = valid_application(PHONE, "000000");
    body["collection"] = json!({"place": "provider"});
    let at_provider = id_of(&submit_portal(&app, "at-provider", body.clone(), PHONE).await);
    walk(&app, &at_provider, &[("provider", "start_review"), ("provider", "approve")]).await;
    assert!(sms_with(&app, PHONE, &["Алатын орны: С.Д. Асфендияров атындағы"]).await, "{:?}", sms_texts(&app, PHONE).await);
    let (code, p) = act(&app, &at_provider, "provider", json!({"action": "deliver_to_con"})).await;
    assert_eq!((code, p["code"].as_str()), (409, Some("workflow.collected_at_provider")), "{p}");
    assert_eq!(act(&app, &at_provider, "operator", json!({"action": "hand_over"})).await.0, 403);
    expect_status(&app, &at_provider, "provider", json!({"action": "hand_over"}), "issued").await;

    body["collection"] = json!({"place": "con", "branch": "Алмалы ауданы"});
    let at_con = id_of(&submit_portal(&app, "at-con", body, OTHER_PHONE).await);
    walk(&app, &at_con, &[("provider", "start_review"), ("provider", "approve")]).await;
    assert!(!sms_with(&app, OTHER_PHONE, &["дайын"]).await, "not ready for the applicant until it is at ЦОН");
    expect_status(&app, &at_con, "provider", json!({"action": "deliver_to_con"}), "at_con").await;
    assert!(sms_with(&app, OTHER_PHONE, &["Алатын орны: ХҚКО (Алмалы ауданы)"]).await, "{:?}", sms_texts(&app, OTHER_PHONE).await);
    expect_status(&app, &at_con, "operator", json!({"action": "hand_over"}), "issued").await;
}

/// Items 4 and 9 (003 item 58): a hearing with its place and ground, an objection recorded
/// within 2 working days, the final refusal only after both, sent on to the ЦОН branch.
async fn a_hearing_has_its_place_takes_objections_and_the_refusal_waits_for_the_window(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[MONDAY]).await;
    let mut body = desk_application();
    body["collection"] = json!({"place": "con", "branch": "Алмалы ауданы"});
    let id = id_of(&app.submit_at_desk("hearing", &body).await);
    walk(&app, &id, &TO_REVIEW).await;
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-01T10:00:00+05:00")]);
    let (code, p) = act(&app, &id, "provider", json!({"action": "preliminary_refuse", "hearing_at": "2026-12-02T11:00:00+05:00"})).await;
    assert_eq!((code, p["errors"][0]["field"].as_str(), p["errors"][0]["code"].as_str()), (422, Some("place"), Some("workflow.hearing_place_required")), "{p}");
    let notice = json!({"action": "preliminary_refuse", "hearing_at": "2026-12-02T11:00:00+05:00", "place": "бейнебайланыс", "ground": "unreliable"});
    expect_status(&app, &id, "provider", notice, "hearing_scheduled").await;
    assert!(sms_with(&app, PHONE, &["Негізі: Ұсынылған құжаттардың", "бейнебайланыс"]).await, "the notice states the ground and place");
    assert_eq!(view(&app, &id).await["deadlines"]["objection_by"], "2026-12-03");
    let objection = json!({"action": "object", "note": "Диплом тізілімде бар"});
    expect_status(&app, &id, "operator", objection.clone(), "hearing_scheduled").await;
    let history = view(&app, &id).await["history"].clone();
    assert_eq!(history.as_array().unwrap().last().unwrap()["note"], "Диплом тізілімде бар", "the objection is recorded");

    let refuse = json!({"action": "refuse", "reason": "unreliable", "note": "Тізілімде жоқ"});
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-02T12:00:00+05:00")]);
    let (code, p) = act(&app, &id, "provider", refuse.clone()).await;
    assert_eq!((code, p["code"].as_str()), (409, Some("workflow.refusal_before_objection_deadline")), "{p}");
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-03T10:30:00+05:00")]);
    let (code, p) = act(&app, &id, "operator", objection).await;
    assert_eq!((code, p["code"].as_str()), (409, Some("workflow.objection_too_late")), "{p}");
    expect_status(&app, &id, "provider", refuse, "refused").await;
    assert!(sms_with(&app, PHONE, &["бас тартылды", "ХҚКО (Алмалы ауданы)"]).await, "the reasoned refusal waits at the branch");
}

/// Item 5 (002 item 9): a correction is refused only for unreliable data.
async fn a_ground_the_service_does_not_list_is_refused(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[MONDAY]).await;
    let id = portal_correction(&app).await;
    walk(&app, &id, &[("provider", "start_review")]).await;
    let notice = |ground: &str| json!({"action": "preliminary_refuse", "hearing_at": "2026-12-01T11:00:00+05:00", "place": "онлайн", "ground": ground});
    let (code, p) = act(&app, &id, "provider", notice("no_consent")).await;
    assert_eq!((code, p["errors"][0]["field"].as_str(), p["errors"][0]["code"].as_str()), (422, Some("ground"), Some("workflow.ground_not_listed")), "{p}");
    expect_status(&app, &id, "provider", notice("unreliable"), "hearing_scheduled").await;
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-02T11:00:00+05:00")]);
    let (code, p) = act(&app, &id, "provider", json!({"action": "refuse", "reason": "non_compliant"})).await;
    assert_eq!((code, p["errors"][0]["field"].as_str(), p["errors"][0]["code"].as_str()), (422, Some("reason"), Some("workflow.ground_not_listed")), "{p}");
    expect_status(&app, &id, "provider", json!({"action": "refuse", "reason": "unreliable"}), "refused").await;
}

/// Item 6 (003 item 59): the college's diploma is published to "Digital documents" before it is
/// ready, and the applicant is told; if the service does not take it, nothing is ready.
async fn a_college_publishes_the_digital_diploma_before_it_is_ready(backend: Backend) {
    let (url, seen) = fake_gateway(200).await;
    let env = [MONDAY, ("TELNUSKA_DIGITAL_DOCUMENTS_URL", url.as_str()), ("TELNUSKA_DIGITAL_DOCUMENTS_KEY", "k")];
    let app = TestApp::spawn_with(backend, &env).await;
    let university = id_of(&app.submit_at_desk("university", &desk_application()).await);
    walk(&app, &university, &[TO_REVIEW[0], TO_REVIEW[1], TO_REVIEW[2], ("provider", "approve")]).await;
    assert!(seen.lock().unwrap().is_empty(), "a university diploma is not published");
    let college = id_of(&app.submit_at_desk("college", &college_at_desk()).await);
    walk(&app, &college, &TO_REVIEW).await;
    expect_status(&app, &college, "provider", json!({"action": "approve"}), "ready").await;
    let bodies = seen.lock().unwrap().clone();
    let number = view(&app, &college).await["number"].as_str().unwrap().to_string();
    assert!(bodies.len() == 1 && bodies[0].contains(&number) && bodies[0].contains("010101599904"), "{bodies:?}");
    assert!(sms_with(&app, PHONE, &[&number, "«Цифрлық құжаттар»"]).await, "{:?}", sms_texts(&app, PHONE).await);

    let (down, _) = fake_gateway(503).await;
    let app = app.restart_with(&[MONDAY, ("TELNUSKA_DIGITAL_DOCUMENTS_URL", down.as_str())]);
    let other = id_of(&app.submit_at_desk("college-2", &college_at_desk()).await);
    walk(&app, &other, &TO_REVIEW).await;
    let (code, p) = act(&app, &other, "provider", json!({"action": "approve"})).await;
    assert_eq!((code, p["code"].as_str()), (503, Some("digital_documents.unavailable")), "{p}");
    assert_eq!(view(&app, &other).await["status"], "in_review");
}

/// Item 7 (001; 003 annex 5 and annex 6 item 8; 004): the documents each service asks for.
async fn documents_follow_the_seeds_of_each_service(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[MONDAY]).await;
    let operator = app.login("operator").await;
    let original = upload(&app, PDF).await;
    let mut college = college_at_desk();
    college["reason"] = json!("name_change");
    college["name_on_document"] = json!({"last_name": "Ахметова", "first_name": "Әсел"});
    college["attachments"] = json!([{"kind": "original_document", "id": original}]);
    college["documents"][0]["institution_as_named"] = json!("Қарағанды политехникалық колледжі, Қарағанды, Бұқар жырау 1");
    let created = app.submit_at_desk("college-name-change", &college).await;
    let stored = view(&app, &id_of(&created)).await;
    assert_eq!(stored["request"]["documents"][0]["institution_as_named"], "Қарағанды политехникалық колледжі, Қарағанды, Бұқар жырау 1");

    let mut university = at_desk(&[("/reason", json!("name_change"))]);
    university["name_on_document"] = json!({"last_name": "Ахметова", "first_name": "Әсел"});
    university["attachments"] = json!([{"kind": "original_document", "id": original}]);
    let (code, p) = app.post("/api/applications", &university, Some("university-name-change"), Some(&operator)).await;
    assert_eq!((code, p["errors"][0]["field"].as_str()), (422, Some("attachments.name_change_certificate")), "{p}");

    let identity_card = upload(&app, PDF).await;
    let school = json!({
        "service": "school_duplicate", "channel": "con",
        "applicant": desk_application()["applicant"].clone(), "relationship": "parent",
        "pupil": {"iin": "120229699910", "last_name": "Сейітқали", "first_name": "Айым"},
        "document_kind": "certificate",
        "documents": [{"region": "zhambyl", "institution": "nis_taraz", "degree": "basic_secondary", "specialty": "", "series": "жоб",
                       "number": "0123456", "registration_number": "15", "graduation_year": 2024}],
        "reason": "loss", "attachments": [{"kind": "identity_card", "id": identity_card}],
        "consents": {"accuracy": true, "personal_data": true}
    });
    app.submit_at_desk("school-identity-card", &school).await;
}

/// Item 8 (003 items 57–58): registration on the day of arrival and a college's 5-day review
/// are stored and flagged by the job.
async fn derived_deadlines_are_stored_and_flagged(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[MONDAY]).await;
    let id = id_of(&app.submit_at_desk("deadlines", &college_at_desk()).await);
    walk(&app, &id, &[("operator", "dispatch")]).await;
    assert_eq!(view(&app, &id).await["deadlines"]["register_by"], "2026-11-30");
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-01T10:00:00+05:00")]);
    assert_eq!(app.run_jobs().await["overdue"], 1);
    assert_eq!(view(&app, &id).await["deadline_state"], "overdue", "not registered on the day it arrived");
    walk(&app, &id, &[("provider", "register")]).await;
    assert_eq!(view(&app, &id).await["deadlines"]["review_by"], "2026-12-08");
    app.run_jobs().await;
    assert_eq!(view(&app, &id).await["deadline_state"], "on_time");
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-08T10:00:00+05:00")]);
    assert_eq!(app.run_jobs().await["at_risk"], 1);
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-09T10:00:00+05:00")]);
    app.run_jobs().await;
    assert_eq!(view(&app, &id).await["deadline_state"], "overdue", "the college's review took more than 5 working days");
}

/// Item 9 (003 item 52, Annex 4): the refusal to accept names the applicant's address and
/// phone, and lists expired documents.
async fn a_refusal_to_accept_names_the_address_and_the_expired_documents(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[MONDAY]).await;
    let original = upload(&app, PDF).await;
    let mut body = at_desk(&[("/reason", json!("damage"))]);
    body["applicant"]["address"] = json!("Алматы, Абай даңғылы 10");
    body["attachments"] = json!([{"kind": "original_document", "id": original}]);
    let id = id_of(&app.submit_at_desk("refusal-to-accept", &body).await);
    let operator = app.login("operator").await;
    let res =
        app.client.get(app.url(&format!("/api/applications/{id}/receipt?kind=refusal&expired=original_document"))).bearer_auth(&operator).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let text = pdf_text(&res.bytes().await.unwrap());
    for expected in ["Алматы, Абай даңғылы 10, +77011234567", "Қолданылу мерзімі өткен құжаттар:", "Құжаттың түпнұсқасы"]
    {
        assert_eq!(text.matches(expected).count(), 2, "{expected:?} in both copies of:\n{text}");
    }
    let (code, p) = app.get(&format!("/api/applications/{id}/receipt?kind=refusal&expired=passport"), Some(&operator)).await;
    assert_eq!((code, p["errors"][0]["code"].as_str()), (422, Some("receipt.expired_kind")), "{p}");
}

/// Item 10 (003 annex 6 item 10): the field worker records why the applicant is served at home.
async fn a_field_worker_records_the_ground_for_home_service(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[MONDAY]).await;
    let field = app.login("field").await;
    let mut body = at_desk(&[("/channel", json!("field"))]);
    body["home_service_ground"] = json!("lost_self_care");
    let (code, created) = app.post("/api/applications", &body, Some("home"), Some(&field)).await;
    assert_eq!(code, 201, "{created}");
    let id = id_of(&created);
    assert_eq!(view(&app, &id).await["request"]["home_service_ground"], "lost_self_care");
    let res = app.client.get(app.url(&format!("/api/applications/{id}/receipt?kind=acceptance"))).bearer_auth(&field).send().await.unwrap();
    let text = pdf_text(&res.bytes().await.unwrap());
    assert!(text.contains("Үйде қызмет көрсетілді"), "{text}");
    let mut portal = valid_application(PHONE, "000000");
    portal["home_service_ground"] = json!("lost_mobility");
    let (code, p) = app.post("/api/applications/validate", &portal, None, None).await;
    assert_eq!((code, p["errors"][0]["field"].as_str()), (422, Some("home_service_ground")), "{p}");
}

crate::on_both_backends!(
    an_approved_correction_finishes_as_record_updated_with_its_own_sms,
    a_parent_applies_for_a_minors_college_diploma,
    the_result_is_collected_where_the_applicant_chose,
    a_hearing_has_its_place_takes_objections_and_the_refusal_waits_for_the_window,
    a_ground_the_service_does_not_list_is_refused,
    a_college_publishes_the_digital_diploma_before_it_is_ready,
    documents_follow_the_seeds_of_each_service,
    derived_deadlines_are_stored_and_flagged,
    a_refusal_to_accept_names_the_address_and_the_expired_documents,
    a_field_worker_records_the_ground_for_home_service,
);
