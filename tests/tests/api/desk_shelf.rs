//! The ЦОН desk after intake (issue 17): each branch keeps its own courier register, a repeated
//! dispatch is answered once, results on their way to ЦОН are listed for receiving, and a
//! document recalled from the provider carries its 1-working-day deadline until it is back.

use serde_json::{json, Value};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use crate::desk_courier::{accept, act, dispatch, ready, view, waiting, NOW};
use crate::receipts::pdf_text;

async fn incoming(app: &TestApp) -> Value {
    let (status, list) = app.get("/api/desk/incoming", Some(&app.login("operator").await)).await;
    assert_eq!(status, 200, "{list}");
    list
}

async fn a_repeated_dispatch_key_gets_the_first_dispatch_back_and_sends_nothing_more(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let operator = app.login("operator").await;
    let (_, first) = accept(&app, "a", "kaznmu").await;
    let body = json!({ "institution": "kaznmu" });
    let (status, sent) = app.post("/api/desk/dispatch", &body, Some("courier-1"), Some(&operator)).await;
    assert_eq!((status, sent["numbers"].clone()), (201, json!([first])), "{sent}");

    // The answer was lost and the operator presses again: the same dispatch, not the next one.
    let (_, later) = accept(&app, "b", "kaznmu").await;
    let (status, again) = app.post("/api/desk/dispatch", &body, Some("courier-1"), Some(&operator)).await;
    assert_eq!((status, &again), (201, &sent), "the first answer again");
    assert_eq!(waiting(&app, "kaznmu").await.0, vec![later.clone()], "the later package still waits");

    let (status, problem) = app.post("/api/desk/dispatch", &json!({ "institution": "kaznu" }), Some("courier-1"), Some(&operator)).await;
    assert_eq!(status, 409, "a key names one request: {problem}");
    let (status, next) = app.post("/api/desk/dispatch", &body, Some("courier-2"), Some(&operator)).await;
    assert_eq!((status, next["numbers"].clone()), (201, json!([later])), "{next}");
}

async fn each_branch_sends_the_packages_it_accepted(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let admin = app.login("admin").await;
    let staff = json!({"login": "desk.almaty", "password": "correct horse battery", "role": "operator", "full_name": "Серікова Д."});
    assert_eq!(app.post("/api/admin/staff", &staff, None, Some(&admin)).await.0, 201);
    let res = app
        .client
        .put(app.url("/api/admin/staff/desk.almaty/branch"))
        .bearer_auth(&admin)
        .json(&json!({"number": "5", "name": "Алматы қаласы, Алмалы ауданы"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let (_, login) = app.post("/api/auth/login", &json!({"login": "desk.almaty", "password": "correct horse battery"}), None, None).await;
    let almaty = login["token"].as_str().unwrap().to_string();

    let (_, astana_number) = accept(&app, "astana", "kaznmu").await;
    let (status, created) = app.post("/api/applications", &desk_application(), Some("almaty"), Some(&almaty)).await;
    assert_eq!(status, 201, "{created}");
    let almaty_number = created["number"].as_str().unwrap().to_string();

    assert_eq!(waiting(&app, "kaznmu").await.0, vec![astana_number.clone()], "the demo operator's branch sees its own package");
    let (_, theirs) = app.get("/api/desk/dispatch", Some(&almaty)).await;
    let numbers: Vec<&str> = theirs[0]["packages"].as_array().unwrap().iter().map(|p| p["number"].as_str().unwrap()).collect();
    assert_eq!(numbers, [almaty_number.as_str()], "{theirs}");

    let (status, sent) = app.post("/api/desk/dispatch", &json!({ "institution": "kaznmu" }), None, Some(&almaty)).await;
    assert_eq!((status, sent["numbers"].clone()), (201, json!([almaty_number])), "{sent}");
    let (numbers, last) = waiting(&app, "kaznmu").await;
    assert_eq!((numbers, last), (vec![astana_number], Value::Null), "another branch's dispatch takes nothing from this one's register");
}

async fn results_on_their_way_are_received_and_a_recall_has_one_working_day(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let (id, number) = ready(&app, "made").await;
    let list = incoming(&app).await;
    assert_eq!((list[0]["number"].as_str(), list[0]["status"].as_str(), list[0].get("recall_by")), (Some(number.as_str()), Some("ready"), None), "{list}");
    assert_eq!(act(&app, &id, "operator", "deliver_to_con").await["status"], "at_con");
    assert_eq!(incoming(&app).await, json!([]), "received: on the shelf now");

    // Unclaimed for a month: back to the provider; the applicant comes on Monday 4 January.
    let app = app.restart_with(&[("TELNUSKA_NOW", "2027-01-04T10:00:00+05:00")]);
    act(&app, &id, "operator", "return_to_provider").await;
    act(&app, &id, "operator", "recall").await;
    let list = incoming(&app).await;
    assert_eq!(
        (list[0]["status"].as_str(), list[0]["recall_by"].as_str(), list[0]["recall_overdue"].as_bool()),
        (Some("in_transit"), Some("2027-01-05"), Some(false)),
        "the provider sends it back within 1 working day: {list}"
    );
    let (_, staff_view) = app.get(&format!("/api/applications/{id}/staff"), Some(&app.login("operator").await)).await;
    assert!(staff_view["deadlines_now"].as_array().unwrap().iter().any(|d| d["code"] == "recall_by" && d["by"] == "2027-01-05"), "{staff_view}");

    let app = app.restart_with(&[("TELNUSKA_NOW", "2027-01-06T10:00:00+05:00")]);
    assert_eq!(incoming(&app).await[0]["recall_overdue"], true, "late on Wednesday");
    assert_eq!(act(&app, &id, "operator", "deliver_to_con").await["status"], "at_con");
    let (_, shelf) = app.get("/api/desk/shelf", Some(&app.login("operator").await)).await;
    assert_eq!(
        (shelf[0]["number"].as_str(), shelf[0]["storage_ends"].as_str()),
        (Some(number.as_str()), Some("2027-02-06")),
        "a new month from its return: {shelf}"
    );
    let kinds: Vec<String> = view(&app, &id).await["history"].as_array().unwrap().iter().map(|h| h["status"].as_str().unwrap().to_string()).collect();
    assert_eq!(kinds[kinds.len() - 4..], ["at_con", "returned_to_provider", "in_transit", "at_con"]);
    assert_eq!(dispatch(&app, "kaznmu").await.0, 409, "a recall is not a courier package");
}

async fn the_hand_over_receipt_names_the_document_shown_and_the_time(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let (id, number) = ready(&app, "receipt").await;
    let operator = app.login("operator").await;
    let receipt = |app: &TestApp, operator: &str| {
        let request = app.client.get(app.url(&format!("/api/desk/hand-over/{id}/receipt"))).bearer_auth(operator);
        async move { request.send().await.unwrap() }
    };
    act(&app, &id, "operator", "deliver_to_con").await;
    assert_eq!(receipt(&app, &operator).await.status(), 404, "not handed over yet");
    let body = json!({"kind": "power_of_attorney", "number": "4521", "date": "2026-11-20", "notary": "Ахметова Г. Б."});
    let (status, issued) = app.post(&format!("/api/desk/hand-over/{id}"), &body, None, Some(&operator)).await;
    assert_eq!(status, 200, "{issued}");
    let res = receipt(&app, &operator).await;
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let text = pdf_text(&res.bytes().await.unwrap()).split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [number.as_str(), "Сенімхат № 4521", "Ахметова Г. Б.", "желтоқсан, 10:00", "№ 2 бөлімі"] {
        assert!(text.contains(expected), "the applicant's receipt in their language names {expected:?}:\n{text}");
    }
    let (status, _) = app.get(&format!("/api/desk/hand-over/{id}/receipt"), Some(&app.login("provider").await)).await;
    assert_eq!(status, 403);
}

crate::on_both_backends!(
    a_repeated_dispatch_key_gets_the_first_dispatch_back_and_sends_nothing_more,
    each_branch_sends_the_packages_it_accepted,
    results_on_their_way_are_received_and_a_recall_has_one_working_day,
    the_hand_over_receipt_names_the_document_shown_and_the_time,
);
