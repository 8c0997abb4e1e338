//! What the database keeps: no SMS code, tracking token or tracking link in clear once the SMS
//! went (read straight from the database), and rows past their retention period removed.

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::Row;
use telnuska_tests::fake_service::FakeService;
use telnuska_tests::server::{desk_application, valid_application};
use telnuska_tests::{Backend, TestApp};

const PHONE: &str = "+77011234567";

/// A stand-in SMS gateway: answers 200 to every `POST` and keeps each body.
struct FakeGateway {
    url: String,
    service: FakeService,
}

impl FakeGateway {
    async fn start() -> Self {
        let service = FakeService::start(|_| (200, String::new())).await;
        Self { url: format!("{}/send", service.url), service }
    }

    /// Waits for the `n`-th message and returns its text.
    async fn message(&self, n: usize) -> String {
        let started = Instant::now();
        loop {
            if let Some(m) = self.service.bodies().get(n) {
                let m: Value = serde_json::from_str(m).unwrap_or(Value::Null);
                return m["text"].as_str().unwrap_or_default().to_string();
            }
            assert!(started.elapsed() < Duration::from_secs(20), "the gateway got no SMS number {n}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Every stored text of the tables that could hold a secret, one string per row.
async fn stored_texts(app: &TestApp) -> Vec<String> {
    let db = app.database().await;
    let mut texts = Vec::new();
    for (table, columns) in [
        ("sms_outbox", "phone, text, COALESCE(code, '') AS extra"),
        ("otp_codes", "phone, code_hash AS text, ip AS extra"),
        ("idempotency_keys", "key AS phone, response AS text, request_hash AS extra"),
        ("applications", "number AS phone, tracking_token_hash AS text, request_json AS extra"),
        ("application_events", "application_id AS phone, payload AS text, hash AS extra"),
        ("tracking_links", "application_id AS phone, token_hash AS text, created_at AS extra"),
    ] {
        for row in sqlx::query(&format!("SELECT {columns} FROM {table}")).fetch_all(&db).await.unwrap() {
            let (a, b, c): (String, String, String) = (row.get("phone"), row.get("text"), row.get("extra"));
            texts.push(format!("{table}: {a} | {b} | {c}"));
        }
    }
    db.close().await;
    texts
}

async fn no_code_token_or_tracking_link_is_left_in_the_database_after_sending(backend: Backend) {
    let gateway = FakeGateway::start().await;
    let env = [
        ("TELNUSKA_DEMO", "0"),
        ("TELNUSKA_PUBLIC_URL", "https://telnuska.example"),
        ("TELNUSKA_SMS_URL", gateway.url.as_str()),
        ("TELNUSKA_SMS_KEY", "test-key"),
        ("TELNUSKA_JOB_INTERVAL_SECS", "1"),
    ];
    let app = TestApp::spawn_with(backend, &env).await;
    let (status, body) = app.post("/api/otp", &json!({ "phone": PHONE }), None, None).await;
    assert_eq!(status, 202, "{body}");
    let otp_text = gateway.message(0).await;
    let code: String = otp_text.split(|c: char| !c.is_ascii_digit()).find(|w| w.len() == 6).expect("a 6-digit code in the SMS").to_string();
    let (status, created) = app.post("/api/applications", &valid_application(PHONE, &code), Some("at-rest-key"), None).await;
    assert_eq!(status, 201, "{created}");
    let token = created["tracking_token"].as_str().unwrap().to_string();
    let accepted_text = gateway.message(1).await;
    assert!(accepted_text.contains(&token), "the SMS itself carries the link: {accepted_text}");
    // The job marks a message sent right after the gateway took it.
    tokio::time::sleep(Duration::from_millis(1500)).await;

    let texts = stored_texts(&app).await;
    assert!(
        texts.iter().any(|t| t.starts_with("sms_outbox") && t.contains(created["number"].as_str().unwrap())),
        "the outbox keeps that the SMS went: {texts:?}"
    );
    for secret in [code.as_str(), token.as_str(), "#"] {
        let leaks: Vec<&String> = texts.iter().filter(|t| t.contains(secret)).collect();
        assert!(leaks.is_empty(), "{secret:?} is stored in clear: {leaks:?}");
    }
    // A replay still answers with a token that works, made afresh.
    let (status, again) = app.post("/api/applications", &valid_application(PHONE, &code), Some("at-rest-key"), None).await;
    assert_eq!((status, &again["id"]), (201, &created["id"]), "{again}");
    let fresh = again["tracking_token"].as_str().unwrap();
    assert_eq!(app.get(&format!("/api/applications/{}", created["id"].as_str().unwrap()), Some(fresh)).await.0, 200);
}

/// Rows in `table` created before `cutoff` (a stored instant).
async fn rows_before(app: &TestApp, table: &str, column: &str, cutoff: &str) -> i64 {
    let db = app.database().await;
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table} WHERE {column} < $1")).bind(cutoff).fetch_one(&db).await.unwrap();
    db.close().await;
    n
}

async fn the_job_removes_rows_past_their_retention_period(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-02T10:00:00+05:00")]).await;
    let _ = app.otp_code(PHONE).await;
    app.submit_at_desk("retention-key", &desk_application()).await;
    let _ = app.post("/api/auth/login", &json!({"login": "provider", "password": "wrong-password"}), None, None).await;
    app.run_jobs().await;
    let cutoff = "2026-11-03T00:00:00.000000Z";
    let tables =
        [("sms_outbox", "created_at"), ("otp_codes", "created_at"), ("idempotency_keys", "created_at"), ("sessions", "created_at"), ("login_attempts", "at")];
    for (table, column) in tables {
        assert!(rows_before(&app, table, column, cutoff).await > 0, "{table} has rows to begin with");
    }
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-04T10:00:00+05:00")]);
    let report = app.run_jobs().await;
    assert!(report["removed"]["idempotency_keys"].as_u64().unwrap() >= 1, "{report}");
    for (table, column) in tables {
        assert_eq!(rows_before(&app, table, column, cutoff).await, 0, "{table} still holds rows of a month ago");
    }
}

crate::on_both_backends!(no_code_token_or_tracking_link_is_left_in_the_database_after_sending, the_job_removes_rows_past_their_retention_period,);
