//! The letter of a reasoned refusal through the ЦОН shelf (issue 17; 003 items 58, 62): the
//! refusal of an application ЦОН accepted travels back to ЦОН, is received with an SMS, waits on
//! the shelf marked as a refusal letter, and is handed over against an identity document or goes
//! back to the provider after a month; a portal application's refusal never travels.

use serde_json::{json, Value};
use telnuska_tests::server::valid_application;
use telnuska_tests::{Backend, TestApp};

use crate::desk_courier::{accept, act, dispatch, view, NOW};

const PHONE: &str = "+77011234567";

/// Every SMS text sent to the applicant.
async fn sms_texts(app: &TestApp) -> Vec<String> {
    app.run_jobs().await;
    let (_, sms) = app.get(&format!("/api/dev/sms?phone={}", PHONE.replace('+', "%2B")), None).await;
    sms.as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap().to_string()).collect()
}

/// The provider refuses application `id` (at the provider, `registered` or `in_transit`) after
/// a hearing on Wednesday 2 December and the applicant's 2 working days to object; the app
/// answers on Thursday 3 December from then on.
async fn refuse(app: TestApp, id: &str) -> TestApp {
    if view(&app, id).await["status"] == "in_transit" {
        act(&app, id, "provider", "register").await;
    }
    act(&app, id, "provider", "start_review").await;
    let notice = json!({"action": "preliminary_refuse", "hearing_at": "2026-12-02T11:00:00+05:00", "place": "каб. 204", "ground": "unreliable"});
    let provider = app.login("provider").await;
    let (status, body) = app.post(&format!("/api/applications/{id}/actions"), &notice, None, Some(&provider)).await;
    assert_eq!(status, 200, "{body}");
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-03T10:30:00+05:00")]);
    let refusal = json!({"action": "refuse", "reason": "unreliable", "note": "Тізілімде жоқ"});
    let (status, body) = app.post(&format!("/api/applications/{id}/actions"), &refusal, None, Some(&app.login("provider").await)).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("refused")), "{body}");
    app
}

/// A package accepted at the counter, sent and refused: its letter is on its way to ЦОН.
async fn refused_at_counter(app: TestApp, key: &str) -> (TestApp, String, String) {
    let (id, number) = accept(&app, key, "kaznmu").await;
    assert_eq!(dispatch(&app, "kaznmu").await.0, 201);
    let app = refuse(app, &id).await;
    (app, id, number)
}

async fn shelf(app: &TestApp) -> Value {
    let (status, shelf) = app.get("/api/desk/shelf", Some(&app.login("operator").await)).await;
    assert_eq!(status, 200, "{shelf}");
    shelf
}

async fn a_counter_refusal_letter_is_received_shelved_and_handed_over_against_an_identity_document(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let (app, id, number) = refused_at_counter(app, "refused").await;
    assert!(
        sms_texts(&app).await.iter().any(|t| t.contains(&number) && t.contains("Дәлелді жауап мына жерге жіберіледі: ХҚКО")),
        "the applicant is told the letter is coming"
    );

    let operator = app.login("operator").await;
    let (_, incoming) = app.get("/api/desk/incoming", Some(&operator)).await;
    assert_eq!((incoming[0]["number"].as_str(), incoming[0]["status"].as_str()), (Some(number.as_str()), Some("refused")), "marked as a refusal: {incoming}");
    assert_eq!(act(&app, &id, "operator", "deliver_to_con").await["status"], "refusal_at_con");
    assert!(
        sms_texts(&app).await.iter().any(|t| t.contains(&number) && t.contains("бас тарту туралы дәлелді жауап келді. Алатын орны: ХҚКО")),
        "the SMS says a refusal letter is ready to collect"
    );
    let (_, incoming) = app.get("/api/desk/incoming", Some(&operator)).await;
    assert_eq!(incoming, json!([]), "received: on the shelf now");

    let shelf_now = shelf(&app).await;
    let item = &shelf_now[0];
    assert_eq!(
        (item["number"].as_str(), item["refusal"].as_bool(), item["storage_ends"].as_str(), item["due_for_return"].as_bool()),
        (Some(number.as_str()), Some(true), Some("2027-01-03"), Some(false)),
        "a refusal letter, kept a month: {item}"
    );

    let (status, problem) = app
        .post(&format!("/api/desk/hand-over/{id}"), &json!({"kind": "identity", "document_type": "identity_card", "number": "N-1"}), None, Some(&operator))
        .await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("hand_over.number")), "{problem}");
    let body = json!({"kind": "identity", "document_type": "identity_card", "number": "0123 45678"});
    let (status, handed) = app.post(&format!("/api/desk/hand-over/{id}"), &body, None, Some(&operator)).await;
    assert_eq!((status, handed["status"].as_str()), (200, Some("refusal_issued")), "{handed}");
    let history = handed["history"].as_array().unwrap();
    let last = history.last().unwrap();
    assert_eq!(last["note"], "Жеке куәлік № 012345678", "the document shown is recorded: {last}");
    assert_eq!(last["at"].as_str().map(|at| at.starts_with("2026-12-03T05:30:00")), Some(true), "and when: {last}");
    let stages: Vec<&str> = history.iter().map(|h| h["status"].as_str().unwrap()).collect();
    assert_eq!(stages[stages.len() - 4..], ["hearing_scheduled", "refused", "refusal_at_con", "refusal_issued"], "each step in the history");
    assert_eq!(shelf(&app).await, json!([]));
    let res = app.client.get(app.url(&format!("/api/desk/hand-over/{id}/receipt"))).bearer_auth(&operator).send().await.unwrap();
    assert_eq!((res.status().as_u16(), res.headers()["content-type"].to_str().unwrap()), (200, "application/pdf"), "the same hand-over receipt");
    let (status, _) = app.post(&format!("/api/desk/hand-over/{id}"), &body, None, Some(&operator)).await;
    assert_eq!(status, 409, "handed over once");
}

async fn a_refusal_letter_unclaimed_for_a_month_goes_back_to_the_provider(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let (app, id, number) = refused_at_counter(app, "unclaimed").await;
    act(&app, &id, "provider", "deliver_to_con").await;
    let (status, early) =
        app.post(&format!("/api/applications/{id}/actions"), &json!({"action": "return_to_provider"}), None, Some(&app.login("operator").await)).await;
    assert_eq!((status, early["code"].as_str()), (409, Some("workflow.storage_not_over")), "{early}");

    let app = app.restart_with(&[("TELNUSKA_NOW", "2027-01-04T10:00:00+05:00")]);
    let shelf_now = shelf(&app).await;
    assert_eq!((shelf_now[0]["due_for_return"].as_bool(), shelf_now[0]["days_left"].as_i64()), (Some(true), Some(-1)), "{shelf_now}");
    let report = app.run_jobs().await;
    assert_eq!(report["returned"], 1, "{report}");
    let returned = view(&app, &id).await;
    assert_eq!(returned["status"], "refusal_returned", "{returned}");
    assert!(sms_texts(&app).await.iter().any(|t| t.contains(&number) && t.contains("оқу орнынан сұратуға болады")), "told where the letter is now");
    let (status, _) = app.post(&format!("/api/applications/{id}/actions"), &json!({"action": "recall"}), None, Some(&app.login("operator").await)).await;
    assert_eq!(status, 409, "a refusal letter is not recalled");
}

async fn only_a_letter_of_an_application_con_accepted_travels_and_only_con_holds_it(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    // The portal's refusal goes to the personal cabinet.
    let code = app.otp_code(PHONE).await;
    let (status, created) = app.post("/api/applications", &valid_application(PHONE, &code), Some("portal"), None).await;
    assert_eq!(status, 201, "{created}");
    let portal = created["id"].as_str().unwrap().to_string();
    let app = refuse(app, &portal).await;
    let (status, p) =
        app.post(&format!("/api/applications/{portal}/actions"), &json!({"action": "deliver_to_con"}), None, Some(&app.login("provider").await)).await;
    assert_eq!((status, p["code"].as_str()), (409, Some("workflow.illegal_transition")), "{p}");
    let (_, incoming) = app.get("/api/desk/incoming", Some(&app.login("operator").await)).await;
    assert_eq!(incoming, json!([]), "nothing on its way to ЦОН");

    let app = app.restart_with(&[("TELNUSKA_NOW", NOW)]);
    let (app, id, _) = refused_at_counter(app, "roles").await;
    let (status, _) = app.post(&format!("/api/applications/{id}/actions"), &json!({"action": "deliver_to_con"}), None, Some(&app.login("field").await)).await;
    assert_eq!(status, 403, "a field worker does not receive results");
    assert_eq!(act(&app, &id, "provider", "deliver_to_con").await["status"], "refusal_at_con", "the provider's courier delivers it");
    let (status, _) = app.post(&format!("/api/applications/{id}/actions"), &json!({"action": "hand_over"}), None, Some(&app.login("provider").await)).await;
    assert_eq!(status, 403, "ЦОН holds the letter");
    let (status, _) = app
        .post(
            &format!("/api/desk/hand-over/{id}"),
            &json!({"kind": "identity", "document_type": "passport", "number": "N1234567"}),
            None,
            Some(&app.login("provider").await),
        )
        .await;
    assert_eq!(status, 403);
}

crate::on_both_backends!(
    a_counter_refusal_letter_is_received_shelved_and_handed_over_against_an_identity_document,
    a_refusal_letter_unclaimed_for_a_month_goes_back_to_the_provider,
    only_a_letter_of_an_application_con_accepted_travels_and_only_con_holds_it,
);
