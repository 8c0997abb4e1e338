//! Smaller holes: free text that reaches an SMS, slow clients, caching of personal data, the
//! refusal-to-accept receipt, and secrets in start-up errors.

use std::time::{Duration, Instant};

use serde_json::json;
use telnuska_tests::server::{desk_application, server_bin};
use telnuska_tests::{Backend, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

async fn free_text_that_goes_into_an_sms_is_short_and_has_no_links(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = app.submit_at_desk("sms-text", &desk_application()).await["id"].as_str().unwrap().to_string();
    let provider = app.login("provider").await;
    let path = format!("/api/applications/{id}/actions");
    for (place, code) in [("ә".repeat(20_000), "sms_text.too_long"), ("Подробнее: https://telnuska-help.example/x".to_string(), "sms_text.link")] {
        let action = json!({"action": "preliminary_refuse", "hearing_at": "2030-01-10T11:00:00+05:00", "place": place});
        let (status, problem) = app.post(&path, &action, None, Some(&provider)).await;
        assert_eq!(status, 422, "{problem}");
        assert_eq!((problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()), (Some("place"), Some(code)), "{problem}");
    }
}

/// Whether the server closes `stream` within `limit`, reading whatever it answers meanwhile.
async fn closed_within(stream: &mut TcpStream, limit: Duration) -> (bool, String) {
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut buffer = [0u8; 1024];
    while started.elapsed() < limit {
        match tokio::time::timeout(Duration::from_millis(300), stream.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (true, String::from_utf8_lossy(&answer).into_owned()),
            Ok(Ok(n)) => answer.extend_from_slice(&buffer[..n]),
            // Nothing yet: a slowloris client sends one more header line now and then.
            Err(_) => {
                if stream.write_all(b"X-Slow: 1\r\n").await.is_err() {
                    return (true, String::from_utf8_lossy(&answer).into_owned());
                }
            }
        }
    }
    (false, String::from_utf8_lossy(&answer).into_owned())
}

async fn a_slow_client_is_cut_off(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_READ_TIMEOUT_SECS", "2")]).await;
    let addr = app.base.trim_start_matches("http://").to_string();

    // Headers that never end.
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream.write_all(b"GET /api/health HTTP/1.1\r\nHost: telnuska\r\n").await.unwrap();
    let (closed, _) = closed_within(&mut stream, Duration::from_secs(8)).await;
    assert!(closed, "a client trickling its headers is cut off");

    // A body that never arrives.
    let mut stream = TcpStream::connect(&addr).await.unwrap();
    stream.write_all(b"POST /api/otp HTTP/1.1\r\nHost: telnuska\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"phone\"").await.unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(8), stream.read_to_end(&mut answer)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(started.elapsed() < Duration::from_secs(7), "a client trickling its body is cut off");
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");

    let (status, _) = app.get("/api/health", None).await;
    assert_eq!(status, 200, "ordinary clients are served");
}

async fn answers_with_personal_data_are_never_cached(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let created = app.submit_at_desk("cache", &desk_application()).await;
    let read = app
        .client
        .get(app.url(&format!("/api/applications/{}", created["id"].as_str().unwrap())))
        .bearer_auth(created["tracking_token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    let login = app.client.post(app.url("/api/auth/login")).json(&json!({"login": "operator", "password": "demo-password"})).send().await.unwrap();
    for res in [read, login] {
        assert_eq!(res.status(), 200);
        assert_eq!(res.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-store"), "{}", res.url());
    }
    let reference = app.client.get(app.url("/api/reference")).send().await.unwrap();
    assert_eq!(reference.headers().get("cache-control").and_then(|v| v.to_str().ok()), Some("no-cache"), "the public reference bundle keeps its own rule");
}

async fn a_tracking_code_cannot_print_the_refusal_to_accept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let created = app.submit_at_desk("annex-4", &desk_application()).await;
    let path = format!("/api/applications/{}/receipt?kind=refusal", created["id"].as_str().unwrap());
    let res = app.client.get(app.url(&path)).bearer_auth(created["tracking_token"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(res.status(), 403, "the application was accepted; only the desk prints a refusal to accept");
    let acceptance =
        app.client.get(app.url(&path.replace("refusal", "acceptance"))).bearer_auth(created["tracking_token"].as_str().unwrap()).send().await.unwrap();
    assert_eq!(acceptance.status(), 200);
    let operator = app.login("operator").await;
    let res = app.client.get(app.url(&path)).bearer_auth(&operator).send().await.unwrap();
    assert_eq!(res.status(), 200);
}

crate::on_both_backends!(
    free_text_that_goes_into_an_sms_is_short_and_has_no_links,
    a_slow_client_is_cut_off,
    answers_with_personal_data_are_never_cached,
    a_tracking_code_cannot_print_the_refusal_to_accept,
);

/// No database is involved: the server refuses the URL before connecting.
#[test]
fn a_bad_database_url_is_reported_without_its_password() {
    let out = std::process::Command::new(server_bin()).env_clear().env("DATABASE_URL", "mysql://root:hunter2-secret@db.internal/telnuska").output().unwrap();
    let printed = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(!out.status.success());
    assert!(printed.contains("DATABASE_URL") && printed.contains("db.internal"), "{printed}");
    assert!(!printed.contains("hunter2-secret"), "{printed}");
}
