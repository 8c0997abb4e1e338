//! Tracking without signing in: the SMS sent on acceptance and on each announced status carries
//! a link `/track/<id>#<token>` that opens the application; an application can also be found by
//! its number with its tracking code, without revealing which numbers exist.

use serde_json::{json, Value};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

const PHONE_QUERY: &str = "/api/dev/sms?phone=%2B77011234567";
const PUBLIC_URL: &str = "https://telnuska.example";

/// Submits at the ЦОН desk with `Accept-Language: lang`; returns the 201 body.
async fn submit_at_desk_in(app: &TestApp, key: &str, lang: &str) -> Value {
    let operator = app.login("operator").await;
    let res = reqwest::Client::new()
        .post(app.url("/api/applications"))
        .bearer_auth(operator)
        .header("Idempotency-Key", key)
        .header("Accept-Language", lang)
        .json(&desk_application())
        .send()
        .await
        .expect("POST");
    assert_eq!(res.status().as_u16(), 201);
    res.json().await.expect("created")
}

/// The texts of the SMS messages about application `number`, newest first.
async fn sms_about(app: &TestApp, number: &str) -> Vec<String> {
    let (status, sms) = app.get(PHONE_QUERY, None).await;
    assert_eq!(status, 200, "{sms}");
    sms.as_array().unwrap().iter().filter_map(|m| m["text"].as_str()).filter(|t| t.contains(number)).map(str::to_string).collect()
}

/// The id and token of the link at the end of `text`, which must start with `base`
/// (`base/track/<id>/<lang>#<token>`).
fn link_in(text: &str, base: &str) -> (String, String) {
    let (id, _, token) = link_parts(text, base);
    (id, token)
}

/// The id, language and token of the link at the end of `text`.
fn link_parts(text: &str, base: &str) -> (String, String, String) {
    let start = text.find(&format!("{base}/track/")).unwrap_or_else(|| panic!("no link to {base} in {text:?}"));
    let link = &text[start + base.len() + "/track/".len()..];
    assert!(!link.contains(char::is_whitespace), "the link ends the message: {text:?}");
    let (path, token) = link.split_once('#').unwrap_or_else(|| panic!("the token is in the fragment: {text:?}"));
    let (id, lang) = path.split_once('/').unwrap_or_else(|| panic!("the link names the language: {text:?}"));
    (id.to_string(), lang.to_string(), token.to_string())
}

async fn act(app: &TestApp, id: &str, who: &str, action: &str) {
    let token = app.login(who).await;
    let (status, v) =
        app.post(&format!("/api/applications/{id}/actions"), &json!({ "action": action }), Some(&uuid::Uuid::new_v4().to_string()), Some(&token)).await;
    assert_eq!(status, 200, "{action}: {v}");
}

async fn the_acceptance_sms_links_to_the_application_in_the_applicants_language(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_PUBLIC_URL", "https://telnuska.example/")]).await;
    let created = submit_at_desk_in(&app, "ru-1", "ru").await;
    let number = created["number"].as_str().unwrap();
    let texts = sms_about(&app, number).await;
    assert_eq!(texts.len(), 1, "one SMS on acceptance: {texts:?}");
    assert!(texts[0].contains("принято"), "in Russian: {}", texts[0]);
    let (id, lang, token) = link_parts(&texts[0], PUBLIC_URL);
    assert_eq!(lang, "ru", "the link opens the app in the applicant's language");
    assert_eq!(id, created["id"].as_str().unwrap());
    // The acceptance SMS carries the application's own tracking code (no extra row on the busiest
    // path); later status messages get link tokens of their own.
    assert_eq!(token, created["tracking_token"].as_str().unwrap());
    let (status, view) = app.get(&format!("/api/applications/{id}"), Some(&token)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["number"], number);

    // A link's token opens its own application only.
    let other = submit_at_desk_in(&app, "kk-1", "kk").await;
    let (status, _) = app.get(&format!("/api/applications/{}", other["id"].as_str().unwrap()), Some(&token)).await;
    assert_eq!(status, 403);
    let kk = sms_about(&app, other["number"].as_str().unwrap()).await;
    assert!(kk[0].contains("қабылданды"), "in Kazakh: {}", kk[0]);
}

async fn a_status_sms_carries_a_link_too_and_demo_links_point_at_the_server(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let created = submit_at_desk_in(&app, "en-1", "en").await;
    let id = created["id"].as_str().unwrap();
    // The "ready" SMS goes when the result is where it is collected: here ЦОН (DOMAIN.md, audit item 3).
    for (who, action) in
        [("operator", "dispatch"), ("provider", "register"), ("provider", "start_review"), ("provider", "approve"), ("provider", "deliver_to_con")]
    {
        act(&app, id, who, action).await;
    }
    let texts = sms_about(&app, created["number"].as_str().unwrap()).await;
    let ready = texts.iter().find(|t| t.contains("is ready")).unwrap_or_else(|| panic!("a ready SMS: {texts:?}"));
    // Without TELNUSKA_PUBLIC_URL, demo links lead to the address the server really listens on.
    let (linked, lang, token) = link_parts(ready, &app.url(""));
    assert_eq!((linked.as_str(), lang.as_str()), (id, "en"), "a status link names the stored language too");
    let (status, view) = app.get(&format!("/api/applications/{id}"), Some(&token)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["status"], "at_con");
}

async fn an_application_is_found_by_number_with_its_code_and_unknown_numbers_look_like_wrong_codes(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_PUBLIC_URL", PUBLIC_URL)]).await;
    let created = submit_at_desk_in(&app, "num-1", "kk").await;
    let (id, number, code) = (created["id"].as_str().unwrap(), created["number"].as_str().unwrap(), created["tracking_token"].as_str().unwrap());
    let (status, view) = app.get(&format!("/api/applications/{number}"), Some(code)).await;
    assert_eq!((status, view["id"].as_str()), (200, Some(id)), "{view}");
    let (_, sms_token) = link_in(&sms_about(&app, number).await[0], PUBLIC_URL);
    assert_eq!(app.get(&format!("/api/applications/{number}"), Some(&sms_token)).await.0, 200, "the SMS link's code works with the number");
    let operator = app.login("operator").await;
    assert_eq!(app.get(&format!("/api/applications/{number}"), Some(&operator)).await.0, 200, "staff find by number");

    let (wrong_status, wrong) = app.get(&format!("/api/applications/{number}"), Some("not-the-code")).await;
    let (unknown_status, unknown) = app.get("/api/applications/TN-2026-999999", Some(code)).await;
    assert_eq!((wrong_status, unknown_status), (404, 404));
    assert_eq!(wrong, unknown, "a wrong code and an unknown number answer alike");
    assert_eq!(app.get(&format!("/api/applications/{number}"), None).await.0, 401);

    // 30 failures from one address in 15 minutes, and even the right code waits.
    for _ in 2..30 {
        assert_eq!(app.get(&format!("/api/applications/{number}"), Some("guess")).await.0, 404);
    }
    let (status, problem) = app.get(&format!("/api/applications/{number}"), Some(code)).await;
    assert_eq!(status, 429, "{problem}");
    assert_eq!(app.get(&format!("/api/applications/{id}"), Some(code)).await.0, 200, "the id with its token is not limited");
}

crate::on_both_backends!(
    the_acceptance_sms_links_to_the_application_in_the_applicants_language,
    a_status_sms_carries_a_link_too_and_demo_links_point_at_the_server,
    an_application_is_found_by_number_with_its_code_and_unknown_numbers_look_like_wrong_codes,
);
