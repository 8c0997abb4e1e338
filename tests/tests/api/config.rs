//! `GET /api/config`: whether the app may offer EDS signing, and where NCALayer listens (also the
//! only WebSocket the CSP lets the page open).

use telnuska_tests::{Backend, TestApp};

/// The CSP's `connect-src` directive of a page.
async fn connect_src(app: &TestApp) -> String {
    let page = app.client.get(app.url("/")).send().await.unwrap();
    let csp = page.headers()["content-security-policy"].to_str().unwrap().to_string();
    csp.split(';').map(str::trim).find(|d| d.starts_with("connect-src")).unwrap_or_default().to_string()
}

async fn without_a_verifier_eds_is_not_offered_and_the_real_ncalayer_is_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, body) = app.get("/api/config", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["eds"]["available"], false);
    assert_eq!(body["eds"]["ncalayer_url"], "wss://127.0.0.1:13579");
    assert_eq!(connect_src(&app).await, "connect-src 'self' wss://127.0.0.1:13579");
    let (_, openapi) = app.get("/api/openapi.json", None).await;
    assert!(openapi["paths"]["/api/config"]["get"].is_object(), "documented in OpenAPI");
    assert!(openapi["components"]["schemas"]["ClientConfig"].is_object());
}

async fn with_a_verifier_eds_is_offered_at_the_configured_ncalayer(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_EDS_VERIFIER", "test-double"), ("TELNUSKA_NCALAYER_URL", "ws://127.0.0.1:4567")]).await;
    let (status, body) = app.get("/api/config", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, serde_json::json!({"eds": {"available": true, "ncalayer_url": "ws://127.0.0.1:4567"}}));
    assert_eq!(connect_src(&app).await, "connect-src 'self' ws://127.0.0.1:4567");
}

crate::on_both_backends!(without_a_verifier_eds_is_not_offered_and_the_real_ncalayer_is_named, with_a_verifier_eds_is_offered_at_the_configured_ncalayer);
