//! An idempotent replay is authorized like the first request: keys belong to their caller, a
//! stranger who repeats one gets the refusal the first request would have got, and stored answers
//! expire.

use serde_json::json;
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

const IIN: &str = "010101599904";
const PHONE: &str = "+77011234567";

async fn an_anonymous_repeat_of_a_desk_submission_gets_no_tracking_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let created = app.submit_at_desk("desk-key-1", &desk_application()).await;
    let (status, body) = app.post("/api/applications", &desk_application(), Some("desk-key-1"), None).await;
    assert_eq!(status, 401, "{body}");
    let text = body.to_string();
    assert!(!text.contains(created["tracking_token"].as_str().unwrap()) && !text.contains(created["id"].as_str().unwrap()), "{text}");
}

async fn a_provider_of_another_institution_repeating_an_action_key_gets_403_and_no_personal_data(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = app.submit_at_desk("desk-key-2", &desk_application()).await["id"].as_str().unwrap().to_string();
    let operator = app.login("operator").await;
    let path = format!("/api/applications/{id}/actions");
    let (status, view) = app.post(&path, &json!({"action": "dispatch"}), Some("dispatch-key"), Some(&operator)).await;
    assert_eq!(status, 200, "{view}");
    assert!(view.to_string().contains(IIN), "the first answer holds personal data: {view}");

    let admin = app.login("admin").await;
    let staff =
        json!({"login": "other.provider", "password": "a long enough passphrase", "role": "provider", "full_name": "Басқа оқу орны", "institutions": ["enu"]});
    let (status, body) = app.post("/api/admin/staff", &staff, None, Some(&admin)).await;
    assert_eq!(status, 201, "{body}");
    let (_, session) = app.post("/api/auth/login", &json!({"login": "other.provider", "password": "a long enough passphrase"}), None, None).await;
    let stranger = session["token"].as_str().unwrap();
    let (status, body) = app.post(&path, &json!({"action": "dispatch"}), Some("dispatch-key"), Some(stranger)).await;
    assert_eq!(status, 403, "{body}");
    let text = body.to_string();
    assert!(!text.contains(IIN) && !text.contains(PHONE), "{text}");
}

async fn a_stored_answer_expires_after_31_days(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-02T10:00:00+05:00")]).await;
    app.submit_at_desk("monthly-key", &desk_application()).await;
    let mut other = desk_application();
    other["applicant"]["email"] = json!("other@mail.kz");
    let operator = app.login("operator").await;
    let (status, _) = app.post("/api/applications", &other, Some("monthly-key"), Some(&operator)).await;
    assert_eq!(status, 409, "within its time the key holds the first answer");
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-03T11:00:00+05:00")]);
    let operator = app.login("operator").await;
    let (status, body) = app.post("/api/applications", &other, Some("monthly-key"), Some(&operator)).await;
    assert_eq!(status, 201, "31 days on the key is free again: {body}");
}

crate::on_both_backends!(
    an_anonymous_repeat_of_a_desk_submission_gets_no_tracking_token,
    a_provider_of_another_institution_repeating_an_action_key_gets_403_and_no_personal_data,
    a_stored_answer_expires_after_31_days,
);
