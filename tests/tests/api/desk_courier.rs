//! The ЦОН desk's courier dispatch, storage shelf and hand-over (issue 17): a dispatch sends
//! exactly the packages accepted since the last one and prints their register; a ready result is
//! received at ЦОН (with the SMS), shelved with its month's countdown, and handed over against
//! the document shown; a result unclaimed for a month is offered for return.

use serde_json::{json, Value};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use crate::receipts::pdf_text;

pub(crate) const NOW: &str = "2026-12-01T10:00:00+05:00";
const PHONE: &str = "+77011234567";

/// Accepts a package for `institution` at the desk; returns (id, number).
pub(crate) async fn accept(app: &TestApp, key: &str, institution: &str) -> (String, String) {
    let mut body = desk_application();
    body["documents"][0]["institution"] = json!(institution);
    let created = app.submit_at_desk(key, &body).await;
    (created["id"].as_str().unwrap().to_string(), created["number"].as_str().unwrap().to_string())
}

/// The numbers waiting for `institution`'s next dispatch, and its last dispatch time.
pub(crate) async fn waiting(app: &TestApp, institution: &str) -> (Vec<String>, Value) {
    let (status, providers) = app.get("/api/desk/dispatch", Some(&app.login("operator").await)).await;
    assert_eq!(status, 200, "{providers}");
    let Some(provider) = providers.as_array().unwrap().iter().find(|p| p["institution"] == institution) else { return (Vec::new(), Value::Null) };
    let numbers = provider["packages"].as_array().unwrap().iter().map(|p| p["number"].as_str().unwrap().to_string()).collect();
    (numbers, provider["last_dispatch_at"].clone())
}

pub(crate) async fn dispatch(app: &TestApp, institution: &str) -> (u16, Value) {
    app.post("/api/desk/dispatch", &json!({ "institution": institution }), None, Some(&app.login("operator").await)).await
}

pub(crate) async fn view(app: &TestApp, id: &str) -> Value {
    app.get(&format!("/api/applications/{id}"), Some(&app.login("operator").await)).await.1
}

pub(crate) async fn act(app: &TestApp, id: &str, who: &str, action: &str) -> Value {
    let (status, body) = app.post(&format!("/api/applications/{id}/actions"), &json!({ "action": action }), None, Some(&app.login(who).await)).await;
    assert_eq!(status, 200, "{who} {action}: {body}");
    body
}

async fn a_dispatch_sends_exactly_the_packages_accepted_since_the_last_one(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let (a, a_number) = accept(&app, "a", "kaznmu").await;
    let (_, b_number) = accept(&app, "b", "kaznmu").await;
    let (_, elsewhere) = accept(&app, "c", "kaznu").await;
    assert_eq!(waiting(&app, "kaznmu").await, (vec![a_number.clone(), b_number.clone()], Value::Null));

    let (status, sent) = dispatch(&app, "kaznmu").await;
    assert_eq!(status, 201, "{sent}");
    assert_eq!(sent["numbers"], json!([a_number, b_number]));
    let a_view = view(&app, &a).await;
    let last = a_view["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!((a_view["status"].as_str(), last["status"].as_str()), (Some("in_transit"), Some("in_transit")), "{a_view}");
    assert_eq!(last["at"].as_str().map(|at| at.starts_with("2026-12-01T05:00:00")), Some(true), "the dispatch time: {last}");

    // Accepted after the register was printed: waits for the next dispatch.
    let (_, later) = accept(&app, "d", "kaznmu").await;
    let (numbers, last_dispatch) = waiting(&app, "kaznmu").await;
    assert_eq!(numbers, vec![later.clone()]);
    assert!(last_dispatch.is_string(), "{last_dispatch}");
    assert_eq!(waiting(&app, "kaznu").await.0, vec![elsewhere.clone()], "another provider's package is not sent");

    let operator = app.login("operator").await;
    let res = app.client.get(app.url(&format!("/api/desk/dispatch/{}/register", sent["id"].as_str().unwrap()))).bearer_auth(&operator).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let text = pdf_text(&res.bytes().await.unwrap());
    assert_eq!((text.matches(&a_number).count(), text.matches(&b_number).count()), (2, 2), "each package once per copy:\n{text}");
    assert!(!text.contains(&later) && !text.contains(&elsewhere), "{text}");
    // The log's head at printing is on paper, outside the database.
    let (cursor, hash): (i64, String) =
        sqlx::query_as("SELECT cursor, log_hash FROM application_events ORDER BY cursor DESC LIMIT 1").fetch_one(&app.database().await).await.unwrap();
    let flat: String = text.split_whitespace().collect();
    assert!(flat.contains(&format!("№{cursor},SHA-256{hash}")), "the log's head № {cursor}, {hash} in:\n{text}");

    let (status, next) = dispatch(&app, "kaznmu").await;
    assert_eq!((status, next["numbers"].clone()), (201, json!([later])), "{next}");
    let (status, problem) = dispatch(&app, "kaznmu").await;
    assert_eq!((status, problem["code"].as_str()), (409, Some("dispatch.nothing_waiting")), "{problem}");
    let (status, _) = app.post("/api/desk/dispatch", &json!({"institution": "kaznmu"}), None, Some(&app.login("provider").await)).await;
    assert_eq!(status, 403);
}

/// Accepts a package, sends it, and has the provider approve it: ready, on its way to ЦОН.
pub(crate) async fn ready(app: &TestApp, key: &str) -> (String, String) {
    let (id, number) = accept(app, key, "kaznmu").await;
    assert_eq!(dispatch(app, "kaznmu").await.0, 201);
    for action in ["register", "start_review", "approve"] {
        act(app, &id, "provider", action).await;
    }
    (id, number)
}

async fn a_ready_result_is_received_shelved_and_handed_over_against_an_identity_document(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let (id, number) = ready(&app, "ready").await;
    assert_eq!(act(&app, &id, "operator", "deliver_to_con").await["status"], "at_con");
    app.run_jobs().await;
    let (_, sms) = app.get(&format!("/api/dev/sms?phone={}", PHONE.replace('+', "%2B")), None).await;
    assert!(sms.as_array().unwrap().iter().any(|m| m["text"].as_str().unwrap().contains(&number) && m["text"].as_str().unwrap().contains("дайын")), "{sms}");

    let operator = app.login("operator").await;
    let (status, shelf) = app.get("/api/desk/shelf", Some(&operator)).await;
    assert_eq!(status, 200, "{shelf}");
    assert_eq!(shelf.as_array().unwrap().len(), 1, "{shelf}");
    let item = &shelf[0];
    assert_eq!(
        (item["number"].as_str(), item["storage_ends"].as_str(), item["due_for_return"].as_bool()),
        (Some(number.as_str()), Some("2027-01-01"), Some(false)),
        "{item}"
    );
    assert_eq!(item["days_left"], 31);

    let hand_over = |body: Value| {
        let (app, id, operator) = (&app, &id, &operator);
        async move { app.post(&format!("/api/desk/hand-over/{id}"), &body, None, Some(operator)).await }
    };
    let (status, problem) = hand_over(json!({"kind": "identity", "document_type": "identity_card", "number": "N-1"})).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
        (422, Some("number"), Some("hand_over.number")),
        "{problem}"
    );
    let (status, problem) = hand_over(json!({"kind": "power_of_attorney", "number": "1234", "date": "2026-12-02", "notary": "Ахметова Г. Б."})).await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("hand_over.date")), "{problem}");
    let (status, issued) = hand_over(json!({"kind": "identity", "document_type": "identity_card", "number": "0123 45678"})).await;
    assert_eq!((status, issued["status"].as_str()), (200, Some("issued")), "{issued}");
    let history = issued["history"].as_array().unwrap();
    let last = history.last().unwrap();
    assert_eq!(last["note"], "Жеке куәлік № 012345678", "the document shown is recorded: {last}");
    assert_eq!(last["at"].as_str().map(|at| at.starts_with("2026-12-01T05:00:00")), Some(true), "and when: {last}");
    let kinds: Vec<&str> = history.iter().map(|h| h["status"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["submitted", "in_transit", "registered", "in_review", "ready", "at_con", "issued"], "each step in the history");
    let (_, shelf) = app.get("/api/desk/shelf", Some(&operator)).await;
    assert_eq!(shelf, json!([]));
    let (status, _) = hand_over(json!({"kind": "identity", "document_type": "passport", "number": "N1234567"})).await;
    assert_eq!(status, 409, "handed over once");
}

async fn a_result_unclaimed_for_a_month_is_offered_for_return_to_the_provider(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let (id, number) = ready(&app, "unclaimed").await;
    act(&app, &id, "operator", "deliver_to_con").await;
    let app = app.restart_with(&[("TELNUSKA_NOW", "2027-01-04T10:00:00+05:00")]);
    let (_, shelf) = app.get("/api/desk/shelf", Some(&app.login("operator").await)).await;
    assert_eq!(
        (shelf[0]["number"].as_str(), shelf[0]["due_for_return"].as_bool(), shelf[0]["days_left"].as_i64()),
        (Some(number.as_str()), Some(true), Some(-3)),
        "{shelf}"
    );
    assert_eq!(act(&app, &id, "operator", "return_to_provider").await["status"], "returned_to_provider");
}

crate::on_both_backends!(
    a_dispatch_sends_exactly_the_packages_accepted_since_the_last_one,
    a_ready_result_is_received_shelved_and_handed_over_against_an_identity_document,
    a_result_unclaimed_for_a_month_is_offered_for_return_to_the_provider,
);
