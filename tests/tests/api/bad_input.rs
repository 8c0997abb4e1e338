//! Bad input of every kind gets a clear 4xx problem document with a stable code, the server keeps
//! serving, and nothing is stored: bodies too large or nested too deep, bytes that are not UTF-8,
//! the wrong content type, control characters in text; and text with SQL's metacharacters is
//! stored as typed, harmless.

use serde_json::{json, Value};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

/// Sends `body` as it is to `POST /api/applications` as the operator; returns status, content type
/// and the answer.
async fn send_raw(app: &TestApp, token: &str, key: &str, content_type: &str, body: Vec<u8>) -> (u16, String, Value) {
    let res = app
        .client
        .post(app.url("/api/applications"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .header("Content-Type", content_type)
        .header("Accept-Language", "ru")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let content_type = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let text = res.text().await.unwrap();
    (status, content_type, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn broken_bodies_get_a_problem_document_and_nothing_is_stored(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.login("operator").await;
    let valid = serde_json::to_vec(&desk_application()).unwrap();
    let mut oversized = desk_application();
    oversized["documents"][0]["specialty"] = json!("ы".repeat(200 * 1024));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let mut not_utf8 = valid.clone();
    let at = not_utf8.windows(4).position(|w| w == "BD\",".as_bytes()).unwrap();
    not_utf8[at] = 0xff;
    let cases: [(&str, &str, Vec<u8>, u16, &str); 8] = [
        ("larger than the limit", "application/json", serde_json::to_vec(&oversized).unwrap(), 413, "request.too_large"),
        ("nested 100,000 deep", "application/json", deep.into_bytes(), 400, "request.malformed"),
        ("not UTF-8", "application/json", not_utf8, 400, "request.malformed"),
        ("sent as text", "text/plain", valid.clone(), 400, "request.malformed"),
        ("sent as a form", "application/x-www-form-urlencoded", b"service=higher_duplicate".to_vec(), 400, "request.malformed"),
        ("empty", "application/json", Vec::new(), 400, "request.malformed"),
        ("a JSON array", "application/json", b"[]".to_vec(), 400, "request.malformed"),
        ("cut off halfway", "application/json", valid[..valid.len() / 2].to_vec(), 400, "request.malformed"),
    ];
    for (i, (what, content_type, body, status, code)) in cases.into_iter().enumerate() {
        let (got, got_type, problem) = send_raw(&app, &operator, &format!("bad-{i}"), content_type, body).await;
        assert_eq!((got, problem["code"].as_str()), (status, Some(code)), "{what}: {problem}");
        assert_eq!(got_type, "application/problem+json", "{what}");
        assert!(problem["title"].as_str().is_some_and(|t| !t.is_empty()), "{what}: a title to show: {problem}");
    }
    assert_eq!(app.get("/api/health", None).await.0, 200, "still serving");
    assert_eq!(app.count_applications().await, 0, "nothing stored");
    let (status, _, created) = send_raw(&app, &operator, "good", "application/json", valid).await;
    assert_eq!(status, 201, "the same request whole is taken: {created}");
}

async fn control_characters_in_text_are_refused_at_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.login("operator").await;
    for (i, bad) in ["Право\u{0}", "Право\u{1b}[2J", "Право\u{7f}"].into_iter().enumerate() {
        let mut body = desk_application();
        body["documents"][0]["specialty"] = json!(bad);
        let (status, problem) = app.post("/api/applications", &body, Some(&format!("ctl-{i}")), Some(&operator)).await;
        assert_eq!(status, 422, "{bad:?}: {problem}");
        assert_eq!(problem["errors"][0]["field"], "documents.0.specialty", "{problem}");
        assert_eq!(problem["errors"][0]["code"], "specialty.invalid", "{problem}");
    }
    assert_eq!(app.count_applications().await, 0);
}

async fn sql_metacharacters_in_text_are_stored_as_typed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.login("operator").await;
    let typed = r#"Право'); DROP TABLE applications; -- " \ % _ ' OR '1'='1"#;
    let mut body = desk_application();
    body["documents"][0]["specialty"] = json!(typed);
    let (status, created) = app.post("/api/applications", &body, Some("sql"), Some(&operator)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    let (status, view) = app.get(&format!("/api/applications/{id}"), Some(&operator)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["request"]["documents"][0]["specialty"], typed, "{view}");
    let (status, found) = app.get(&format!("/api/applications?q={}", urlencode("' OR '1'='1")), Some(&operator)).await;
    assert_eq!(status, 200, "{found}");
    assert_eq!(found["items"].as_array().map(Vec::len), Some(0), "a search for metacharacters finds what it says, nothing: {found}");
    assert_eq!(app.count_applications().await, 1, "the table is still there, with the one application");
}

fn urlencode(text: &str) -> String {
    text.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

crate::on_both_backends!(
    broken_bodies_get_a_problem_document_and_nothing_is_stored,
    control_characters_in_text_are_refused_at_the_field,
    sql_metacharacters_in_text_are_stored_as_typed,
);
