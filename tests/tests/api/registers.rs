//! The courier register: the packages a ЦОН sent one provider on one day, in 2 copies.

use serde_json::json;
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

async fn dispatched(app: &TestApp, key: &str, institution: &str, region: &str) -> String {
    let mut body = desk_application();
    body["documents"][0]["institution"] = json!(institution);
    body["documents"][0]["region"] = json!(region);
    let created = app.submit_at_desk(key, &body).await;
    let operator = app.login("operator").await;
    let id = created["id"].as_str().unwrap();
    let (status, _) = app.post(&format!("/api/applications/{id}/actions"), &json!({"action": "dispatch"}), Some(&format!("{key}-d")), Some(&operator)).await;
    assert_eq!(status, 200);
    created["number"].as_str().unwrap().to_string()
}

async fn the_register_lists_the_days_packages_for_one_provider_in_two_copies(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-12-01T11:00:00+05:00")]).await;
    let first = dispatched(&app, "r1", "kaznmu", "almaty_city").await;
    let second = dispatched(&app, "r2", "kaznmu", "almaty_city").await;
    let elsewhere = dispatched(&app, "r3", "kaznu", "almaty_city").await;
    let operator = app.login("operator").await;
    let res = app
        .client
        .get(app.url("/api/registers/courier?date=2026-12-01&institution=kaznmu"))
        .bearer_auth(&operator)
        .header("Accept-Language", "ru")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    let text = crate::receipts::pdf_text(&res.bytes().await.unwrap());
    assert_eq!(text.matches(&first).count(), 2, "each package once per copy:\n{text}");
    assert_eq!(text.matches(&second).count(), 2);
    assert!(!text.contains(&elsewhere), "another provider's package is not on this register");
    let (status, _) = app.get("/api/registers/courier?date=2026-12-01&institution=kaznmu", Some(&app.login("provider").await)).await;
    assert_eq!(status, 403);
    let (status, p) = app.get("/api/registers/courier?date=01.12.2026", Some(&operator)).await;
    assert_eq!(status, 422, "{p}");
}

crate::on_both_backends!(the_register_lists_the_days_packages_for_one_provider_in_two_copies);
