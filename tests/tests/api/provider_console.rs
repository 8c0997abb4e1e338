//! The provider's console: the queue's filters, counts and live deadline marks; the staff view
//! of one application (allowed actions, hearing days, deadlines, who did what); taking and
//! releasing; the personal data log; and an action on a state its author did not see.

use serde_json::{json, Value};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use crate::workflow::{act, expect_status};

/// Submits at the desk with another applicant's surname and IIN; returns the 201 body.
async fn submit_for(app: &TestApp, key: &str, surname: &str, iin: &str) -> Value {
    let mut body = desk_application();
    body["applicant"]["last_name"] = json!(surname);
    body["applicant"]["iin"] = json!(iin);
    app.submit_at_desk(key, &body).await
}

/// Makes a second provider account (`login`, named `name`) for every institution the demo one has.
async fn colleague(app: &TestApp, login: &str, name: &str) -> String {
    let admin = app.login("admin").await;
    let staff = json!({"login": login, "password": "correct horse battery", "role": "provider", "full_name": name, "institutions": ["kaznmu"]});
    let (status, body) = app.post("/api/admin/staff", &staff, None, Some(&admin)).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app.post("/api/auth/login", &json!({"login": login, "password": "correct horse battery"}), None, None).await;
    assert_eq!(status, 200, "{body}");
    body["token"].as_str().unwrap().to_string()
}

fn numbers(page: &Value) -> Vec<&str> {
    page["items"].as_array().unwrap().iter().map(|a| a["number"].as_str().unwrap()).collect()
}

async fn send(app: &TestApp, method: reqwest::Method, path: &str, body: Option<Value>, token: &str) -> (u16, Value) {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token).header("Accept-Language", "en");
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn the_queue_filters_counts_and_marks_deadlines(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-12-01T10:00:00+05:00")]).await;
    let a = submit_for(&app, "c-a", "Сейітқали", "010101599904").await;
    let b = submit_for(&app, "c-b", "Омарова", "850315100016").await;
    let operator = app.login("operator").await;
    let path = format!("/api/applications/{}/actions", b["id"].as_str().unwrap());
    assert_eq!(app.post(&path, &json!({"action": "dispatch"}), Some("c-b-d"), Some(&operator)).await.0, 200);
    let provider = app.login("provider").await;

    let (status, all) = app.get("/api/applications", Some(&provider)).await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["counts"], json!({"submitted": 1, "in_transit": 1}), "{all}");
    let (_, moving) = app.get("/api/applications?status=in_transit", Some(&provider)).await;
    assert_eq!(numbers(&moving), [b["number"].as_str().unwrap()]);
    assert_eq!(moving["counts"], all["counts"], "counts ignore the status filter, so every tab shows its number");
    let (_, by_surname) = app.get(&format!("/api/applications?q={}", urlencode("Омар")), Some(&provider)).await;
    assert_eq!(numbers(&by_surname), [b["number"].as_str().unwrap()], "{by_surname}");
    assert_eq!(by_surname["counts"], json!({"in_transit": 1}));
    let (_, by_iin) = app.get("/api/applications?q=010101599904", Some(&provider)).await;
    assert_eq!(numbers(&by_iin), [a["number"].as_str().unwrap()]);
    let lower_number = a["number"].as_str().unwrap().to_lowercase();
    let (_, by_number) = app.get(&format!("/api/applications?q={lower_number}"), Some(&provider)).await;
    assert_eq!(numbers(&by_number), [a["number"].as_str().unwrap()]);
    let (_, other_service) = app.get("/api/applications?service=school_duplicate", Some(&provider)).await;
    assert!(numbers(&other_service).is_empty());
    let (status, p) = app.get("/api/applications?service=flying", Some(&provider)).await;
    assert_eq!((status, p["errors"][0]["field"].as_str()), (422, Some("service")));
    let mark = |page: &Value, number: &Value| page["items"].as_array().unwrap().iter().find(|i| i["number"] == *number).unwrap()["deadline_state"].clone();
    assert_eq!(mark(&all, &a["number"]), "on_time", "{all}");
    assert_eq!(mark(&all, &b["number"]), "at_risk", "dispatched today, it must be registered today: {all}");
    assert!(all["items"][0]["assignee"].is_null(), "{all}");

    // The day the result is due at ЦОН the application is at risk; after its due date overdue,
    // without waiting for the deadline job.
    let due: chrono::NaiveDate = a["due_on"].as_str().unwrap().parse().unwrap();
    let app = app.restart_with(&[("TELNUSKA_NOW", &format!("{}T10:00:00+05:00", due))]);
    let provider = app.login("provider").await;
    let (_, late) = app.get(&format!("/api/applications?q={}", a["number"].as_str().unwrap()), Some(&provider)).await;
    assert_eq!(late["items"][0]["deadline_state"], "at_risk", "{late}");
    let app = app.restart_with(&[("TELNUSKA_NOW", &format!("{}T10:00:00+05:00", due + chrono::Duration::days(1)))]);
    let provider = app.login("provider").await;
    let (_, late) = app.get(&format!("/api/applications?q={}", a["number"].as_str().unwrap()), Some(&provider)).await;
    assert_eq!(late["items"][0]["deadline_state"], "overdue", "{late}");
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

async fn the_staff_view_offers_what_the_workflow_allows(backend: Backend) {
    // Submitted 2026-11-30, due 2026-12-22.
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let id = app.submit_at_desk("v", &desk_application()).await["id"].as_str().unwrap().to_string();
    expect_status(&app, &id, "operator", json!({"action": "dispatch"}), "in_transit").await;
    let provider = app.login("provider").await;
    let (status, view) = app.get(&format!("/api/applications/{id}/staff"), Some(&provider)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["allowed_actions"], json!(["register"]));
    assert_eq!(view["version"], 2);
    assert_eq!(view["deadlines_now"][0]["code"], "register_by", "{view}");
    assert_eq!(view["request"]["applicant"]["last_name"], "Сейітқали", "every answer as given");
    let operator = app.login("operator").await;
    let (_, desk) = app.get(&format!("/api/applications/{id}/staff"), Some(&operator)).await;
    assert_eq!(desk["allowed_actions"], json!([]), "the provider registers, not ЦОН");

    let (code, p) = act(&app, &id, "provider", json!({"action": "register", "registration_number": " "})).await;
    assert_eq!((code, p["errors"][0]["field"].as_str()), (422, Some("registration_number")));
    expect_status(&app, &id, "provider", json!({"action": "register", "registration_number": "ВХ-17/204"}), "registered").await;
    expect_status(&app, &id, "provider", json!({"action": "start_review"}), "in_review").await;
    let (_, view) = app.get(&format!("/api/applications/{id}/staff"), Some(&provider)).await;
    let registered = &view["events"][2];
    assert_eq!((registered["kind"].as_str(), registered["registration_number"].as_str()), (Some("register"), Some("ВХ-17/204")), "{view}");
    assert_eq!(registered["by"]["login"], "provider", "who did it: {registered}");
    assert_eq!(view["allowed_actions"], json!(["approve", "preliminary_refuse", "record_step"]), "with the university's own steps");
    assert_eq!(view["refusal_grounds"], json!(["unreliable", "non_compliant", "no_consent"]));
    // Notified on Monday 30 November: the hearing by Wednesday 2 December.
    assert_eq!(view["hearing_days"], json!(["2026-11-30", "2026-12-01", "2026-12-02"]));

    let late = json!({"action": "preliminary_refuse", "hearing_at": "2026-12-03T11:00:00+05:00", "place": "каб. 204"});
    let (code, p) = send(&app, reqwest::Method::POST, &format!("/api/applications/{id}/actions"), Some(late), &provider).await;
    assert_eq!(code, 422, "{p}");
    assert_eq!(p["errors"][0]["message"], "The hearing must be held after the notice and within 2 working days of it.", "the rule's text: {p}");
    let on_time = json!({"action": "preliminary_refuse", "hearing_at": "2026-12-02T11:00:00+05:00", "place": "каб. 204", "ground": "unreliable"});
    expect_status(&app, &id, "provider", on_time, "hearing_scheduled").await;
}

async fn a_taken_application_is_its_holders_until_the_head_releases_it(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let id = app.submit_at_desk("t", &desk_application()).await["id"].as_str().unwrap().to_string();
    expect_status(&app, &id, "operator", json!({"action": "dispatch"}), "in_transit").await;
    let provider = app.login("provider").await;
    let other = colleague(&app, "registrar.amanova", "Гүлнар Аманова").await;
    let assignment = format!("/api/applications/{id}/assignment");

    let (status, taken) = send(&app, reqwest::Method::POST, &assignment, None, &provider).await;
    assert_eq!((status, taken["assignee"]["login"].as_str()), (200, Some("provider")), "{taken}");
    let (_, queue) = app.get("/api/applications", Some(&other)).await;
    assert_eq!(queue["items"][0]["assignee"]["login"], "provider", "colleagues see the holder: {queue}");

    let (status, p) = send(&app, reqwest::Method::POST, &format!("/api/applications/{id}/actions"), Some(json!({"action": "register"})), &other).await;
    assert_eq!((status, p["code"].as_str()), (409, Some("assignment.held_by")), "{p}");
    assert!(p["title"].as_str().unwrap().contains("Демо оқу орны қызметкері (provider)"), "the text names the holder: {p}");
    assert_eq!(p["current"]["status"], "in_transit", "with the fresh state: {p}");
    let (status, p) = send(&app, reqwest::Method::POST, &assignment, None, &other).await;
    assert_eq!((status, p["code"].as_str()), (409, Some("assignment.held_by")), "taking it is refused too: {p}");
    let (status, _) = send(&app, reqwest::Method::DELETE, &assignment, None, &other).await;
    assert_eq!(status, 409, "a colleague who is not the head cannot release it");
    let (status, _) = send(&app, reqwest::Method::GET, &format!("/api/applications/{id}/access-log"), None, &other).await;
    assert_eq!(status, 403, "only the head reads who opened the personal data");

    let admin = app.login("admin").await;
    let (status, _) = send(&app, reqwest::Method::PUT, "/api/admin/staff/registrar.amanova/head", Some(json!({"head": true})), &admin).await;
    assert_eq!(status, 204);
    let (status, _) = send(&app, reqwest::Method::PUT, "/api/admin/staff/registrar.amanova/head", Some(json!({"head": true})), &provider).await;
    assert_eq!(status, 403, "only the administrator names the head");
    let other = app.post("/api/auth/login", &json!({"login": "registrar.amanova", "password": "correct horse battery"}), None, None).await.1["token"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, released) = send(&app, reqwest::Method::DELETE, &assignment, None, &other).await;
    assert_eq!((status, released["assignee"].is_null()), (200, true), "the head releases it: {released}");
    expect_status(&app, &id, "provider", json!({"action": "register"}), "registered").await;

    let (_, _) = app.get(&format!("/api/applications/{id}/staff"), Some(&provider)).await;
    let (status, log) = send(&app, reqwest::Method::GET, &format!("/api/applications/{id}/access-log"), None, &other).await;
    assert_eq!(status, 200, "{log}");
    let openers: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["by"]["login"].as_str().unwrap()).collect();
    assert!(openers.contains(&"provider") && openers.iter().all(|l| *l == "provider" || *l == "registrar.amanova"), "{log}");
    let (status, _) = send(&app, reqwest::Method::GET, &format!("/api/applications/{id}/access-log"), None, &admin).await;
    assert_eq!(status, 200, "the administrator reads it too");
}

async fn an_action_on_a_state_its_author_did_not_see_is_explained(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let id = app.submit_at_desk("c", &desk_application()).await["id"].as_str().unwrap().to_string();
    expect_status(&app, &id, "operator", json!({"action": "dispatch"}), "in_transit").await;
    let provider = app.login("provider").await;
    let other = colleague(&app, "archive.serikova", "Дана Серікова").await;
    let (_, seen) = app.get(&format!("/api/applications/{id}/staff"), Some(&provider)).await;
    let version = seen["version"].as_u64().unwrap();

    let path = format!("/api/applications/{id}/actions?expected_version={version}");
    let (status, first) = send(&app, reqwest::Method::POST, &path, Some(json!({"action": "register"})), &other).await;
    assert_eq!(status, 200, "{first}");
    let (status, p) = send(&app, reqwest::Method::POST, &path, Some(json!({"action": "register"})), &provider).await;
    assert_eq!((status, p["code"].as_str()), (409, Some("application.changed")), "{p}");
    let title = p["title"].as_str().unwrap();
    assert!(title.contains("Дана Серікова") && title.contains("Register") && title.contains("Registered by the institution"), "what changed: {title}");
    assert_eq!((p["current"]["status"].as_str(), p["current"]["version"].as_u64()), (Some("registered"), Some(version + 1)), "the fresh state: {p}");
    let fresh = format!("/api/applications/{id}/actions?expected_version={}", version + 1);
    let (status, _) = send(&app, reqwest::Method::POST, &fresh, Some(json!({"action": "start_review"})), &provider).await;
    assert_eq!(status, 200, "acting on the fresh state works");
}

crate::on_both_backends!(
    the_queue_filters_counts_and_marks_deadlines,
    the_staff_view_offers_what_the_workflow_allows,
    a_taken_application_is_its_holders_until_the_head_releases_it,
    an_action_on_a_state_its_author_did_not_see_is_explained,
);
