//! Staff sign-in and what a token lets one see.

use serde_json::json;
use telnuska_tests::{Backend, TestApp};

async fn demo_staff_sign_in_and_wrong_passwords_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for login in ["operator", "field", "provider", "admin"] {
        let (status, body) = app.post("/api/auth/login", &json!({"login": login, "password": "demo-password"}), None, None).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["role"], login);
    }
    let (status, body) = app.post("/api/auth/login", &json!({"login": "operator", "password": "wrong"}), None, None).await;
    assert_eq!(status, 401);
    assert_eq!(body["code"], "auth.invalid");
    let (status, _) = app.post("/api/auth/login", &json!({"login": "nobody", "password": "demo-password"}), None, None).await;
    assert_eq!(status, 401);
}

async fn the_queue_needs_a_staff_token_and_logout_ends_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, _) = app.get("/api/applications", None).await;
    assert_eq!(status, 401);
    let token = app.login("operator").await;
    let (status, body) = app.get("/api/applications", Some(&token)).await;
    assert_eq!(status, 200, "{body}");
    let res = app.client.post(app.url("/api/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(res.status(), 204);
    let (status, _) = app.get("/api/applications", Some(&token)).await;
    assert_eq!(status, 401);
}

async fn repeated_wrong_passwords_from_one_address_wait_longer_and_longer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for _ in 0..3 {
        let (status, _) = app.post("/api/auth/login", &json!({"login": "provider", "password": "guess"}), None, None).await;
        assert_eq!(status, 401);
    }
    let res = app.client.post(app.url("/api/auth/login")).json(&json!({"login": "provider", "password": "demo-password"})).send().await.unwrap();
    assert_eq!(res.status(), 429, "even the right password waits after three failures from this address");
    assert!(res.headers().contains_key("retry-after"));
    let (status, _) = app.post("/api/auth/login", &json!({"login": "operator", "password": "demo-password"}), None, None).await;
    assert_eq!(status, 200, "other logins are not affected");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let (status, body) = app.post("/api/auth/login", &json!({"login": "provider", "password": "demo-password"}), None, None).await;
    assert_eq!(status, 200, "after the wait the right password works: {body}");
}

crate::on_both_backends!(
    demo_staff_sign_in_and_wrong_passwords_are_refused,
    the_queue_needs_a_staff_token_and_logout_ends_it,
    repeated_wrong_passwords_from_one_address_wait_longer_and_longer,
);
