//! The background job: deadline flags, the one-month return, SMS delivery through a gateway.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use telnuska_tests::fake_service::FakeService;
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

const PHONE: &str = "+77011234567";

async fn submit_at_con(app: &TestApp) -> String {
    app.submit_at_desk("job-app", &desk_application()).await["id"].as_str().unwrap().to_string()
}

async fn view(app: &TestApp, id: &str) -> Value {
    let operator = app.login("operator").await;
    app.get(&format!("/api/applications/{id}"), Some(&operator)).await.1
}

async fn deadlines_are_flagged_at_risk_then_overdue(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let id = submit_at_con(&app).await;
    app.run_jobs().await;
    assert_eq!(view(&app, &id).await["deadline_state"], "on_time");
    // Due 2026-12-22: the result must be at ЦОН by 2026-12-21.
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-21T10:00:00+05:00")]);
    assert_eq!(app.run_jobs().await["at_risk"], 1);
    assert_eq!(view(&app, &id).await["deadline_state"], "at_risk");
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-23T10:00:00+05:00")]);
    assert_eq!(app.run_jobs().await["overdue"], 1);
    assert_eq!(view(&app, &id).await["deadline_state"], "overdue");
}

async fn a_document_unclaimed_for_a_month_goes_back_by_itself(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-12-01T10:00:00+05:00")]).await;
    let id = submit_at_con(&app).await;
    for (who, action) in
        [("operator", "dispatch"), ("provider", "register"), ("provider", "start_review"), ("provider", "approve"), ("provider", "deliver_to_con")]
    {
        let token = app.login(who).await;
        let (s, v) = app.post(&format!("/api/applications/{id}/actions"), &json!({ "action": action }), Some(action), Some(&token)).await;
        assert_eq!(s, 200, "{v}");
    }
    assert_eq!(app.run_jobs().await["returned"], 0);
    let app = app.restart_with(&[("TELNUSKA_NOW", "2027-01-04T10:00:00+05:00")]);
    assert_eq!(app.run_jobs().await["returned"], 1);
    let v = view(&app, &id).await;
    assert_eq!(v["status"], "returned_to_provider");
    assert_eq!(v["history"].as_array().unwrap().last().unwrap()["by_role"], "system");
    let (_, sms) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    assert!(sms[0]["text"].as_str().unwrap().contains(v["number"].as_str().unwrap()), "return SMS: {sms}");
}

/// A fake SMS gateway answering `status`: its `/send` address and the bodies it received.
pub(crate) async fn fake_gateway(status: u16) -> (String, Arc<Mutex<Vec<String>>>) {
    let fake = FakeService::start(move |_| (status, String::new())).await;
    (format!("{}/send", fake.url), fake.received)
}

async fn sms_go_through_the_configured_gateway_and_failures_are_retried(backend: Backend) {
    let (url, seen) = fake_gateway(200).await;
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_SMS_URL", url.as_str()), ("TELNUSKA_SMS_KEY", "k")]).await;
    let code = app.otp_code(PHONE).await;
    let report = app.run_jobs().await;
    assert_eq!(report["sms"]["sent"], 1, "{report}");
    let bodies = seen.lock().unwrap().clone();
    assert_eq!(bodies.len(), 1);
    assert!(bodies[0].contains(&code) && bodies[0].contains("+77011234567"), "{bodies:?}");
    assert_eq!(app.run_jobs().await["sms"]["sent"], 0, "sent once only");

    let (url, _) = fake_gateway(500).await;
    let app = app.restart_with(&[("TELNUSKA_SMS_URL", url.as_str())]);
    let _ = app.otp_code("+77017776655").await;
    let report = app.run_jobs().await;
    assert_eq!(report["sms"]["retrying"], 1, "{report}");
    assert_eq!(app.run_jobs().await["sms"]["retrying"], 0, "the next try waits for its backoff");
}

crate::on_both_backends!(
    deadlines_are_flagged_at_risk_then_overdue,
    a_document_unclaimed_for_a_month_goes_back_by_itself,
    sms_go_through_the_configured_gateway_and_failures_are_retried,
);
