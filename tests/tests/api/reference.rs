//! Health, reference data and the due-date calculator.

use telnuska_tests::{Backend, TestApp};

async fn health_reports_the_database(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, body) = app.get("/api/health", None).await;
    assert_eq!(status, 200);
    assert_eq!(body["status"], "ok");
    assert_eq!(body["database"], if backend == Backend::Sqlite { "sqlite" } else { "postgres" });
}

async fn reference_has_an_etag_and_answers_304(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let res = app.client.get(app.url("/api/reference")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let etag = res.headers()["etag"].to_str().unwrap().to_string();
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["regions"].as_array().unwrap().len(), 20);
    let kaznmu = body["institutions"].as_array().unwrap().iter().find(|i| i["code"] == "kaznmu").unwrap();
    assert_eq!(kaznmu["region"], "almaty_city");
    assert_eq!(kaznmu["kind"], "university");
    for list in ["services", "regions", "institutions", "degrees", "document_kinds", "reasons"] {
        for entry in body[list].as_array().unwrap() {
            for lang in ["kk", "ru", "en"] {
                assert!(entry["name"][lang].as_str().is_some_and(|s| !s.is_empty()), "{list} {entry}");
            }
        }
    }
    let again = app.client.get(app.url("/api/reference")).header("If-None-Match", &etag).send().await.unwrap();
    assert_eq!(again.status(), 304);
}

async fn due_dates_follow_the_domain_example(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, body) = app.get("/api/calendar/due?service=higher_duplicate&submitted_at=2026-11-30T10:00:00%2B05:00", None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["registered_on"], "2026-11-30");
    assert_eq!(body["due_on"], "2026-12-22");
    assert_eq!(body["term_working_days"], 15);
    let (_, late) = app.get("/api/calendar/due?service=higher_duplicate&submitted_at=2026-11-30T18:45:00%2B05:00", None).await;
    assert_eq!(late["registered_on"], "2026-12-01");
    let (status, bad) = app.get("/api/calendar/due?service=nope&submitted_at=yesterday", None).await;
    assert_eq!(status, 422);
    let fields: Vec<&str> = bad["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["service", "submitted_at"]);
}

async fn unknown_api_paths_are_404_problems_and_other_paths_serve_the_app(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let res = app.client.get(app.url("/api/no-such-thing")).send().await.unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let page = app.client.get(app.url("/track/some-id")).send().await.unwrap();
    assert_eq!(page.status(), 200, "SPA routes fall back to index.html");
    assert!(page.headers()["content-security-policy"].to_str().unwrap().contains("script-src 'self'"));
    assert!(page.text().await.unwrap().contains("<html"));
}

crate::on_both_backends!(
    health_reports_the_database,
    reference_has_an_etag_and_answers_304,
    due_dates_follow_the_domain_example,
    unknown_api_paths_are_404_problems_and_other_paths_serve_the_app,
);

mod headers {
    //! Security headers.

    use telnuska_tests::{Backend, TestApp};

    async fn hsts_is_sent_only_behind_a_trusted_tls_proxy(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let plain = app.client.get(app.url("/api/health")).header("X-Forwarded-Proto", "https").send().await.unwrap();
        assert!(!plain.headers().contains_key("strict-transport-security"), "an untrusted header is ignored");
        assert_eq!(plain.headers()["x-content-type-options"], "nosniff");
        let app = app.restart_with(&[("TELNUSKA_TRUST_PROXY", "1")]);
        let tls = app.client.get(app.url("/api/health")).header("X-Forwarded-Proto", "https").send().await.unwrap();
        assert!(tls.headers()["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
        assert!(tls.headers().contains_key("x-request-id"));
    }

    crate::on_both_backends!(hsts_is_sent_only_behind_a_trusted_tls_proxy);
}
