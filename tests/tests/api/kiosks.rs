//! Kiosks in ЦОН halls: an administrator registers one (its token shown once, kept hashed) and
//! revokes it; an application sent with the kiosk's token is signed by the applicant's SMS code and
//! records the kiosk; a revoked or unknown token is refused in the caller's language.

use serde_json::{json, Value};
use telnuska_tests::server::{sha256_hex, valid_application};
use telnuska_tests::{Backend, TestApp};

const APPLICANT: &str = "+77011234567";

/// Registers a kiosk as the demo administrator; returns its answer (with the token).
async fn register_kiosk(app: &TestApp, admin: &str) -> Value {
    let (status, kiosk) = app.post("/api/admin/kiosks", &json!({"name": "Kiosk 2, hall A", "branch": "ЦОН Алмалинского района"}), None, Some(admin)).await;
    assert_eq!(status, 201, "{kiosk}");
    kiosk
}

/// `POST /api/applications` from a kiosk holding `token`.
async fn send_from_kiosk(app: &TestApp, token: &str, body: &Value, key: &str, lang: &str) -> (u16, Value) {
    let res = app
        .client
        .post(app.url("/api/applications"))
        .header("X-Kiosk-Token", token)
        .header("Idempotency-Key", key)
        .header("Accept-Language", lang)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

fn kiosk_application(code: &str) -> Value {
    let mut body = valid_application(APPLICANT, code);
    body["channel"] = json!("kiosk");
    body
}

async fn an_application_sent_from_a_registered_kiosk_records_the_kiosk_and_texts_the_whole_receipt(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let kiosk = register_kiosk(&app, &admin).await;
    let token = kiosk["token"].as_str().unwrap();
    let db = app.database().await;
    let stored: String = sqlx::query_scalar("SELECT token_hash FROM kiosks").fetch_one(&db).await.unwrap();
    assert_eq!(stored, sha256_hex(token.as_bytes()), "only the token's hash is kept");
    let (status, listed) = app.get("/api/admin/kiosks", Some(&admin)).await;
    assert_eq!(status, 200, "{listed}");
    assert_eq!(listed["items"][0]["name"], "Kiosk 2, hall A");
    assert!(listed["items"][0].get("token").is_none(), "the token is shown once only: {listed}");

    let code = app.otp_code_for(APPLICANT, &kiosk_application("000000")).await;
    let (status, created) = send_from_kiosk(&app, token, &kiosk_application(&code), "kiosk-1", "ru").await;
    assert_eq!(status, 201, "{created}");
    let (status, view) = app.get(&format!("/api/applications/{}", created["id"].as_str().unwrap()), Some(&admin)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!((view["channel"].as_str(), view["kiosk_id"].as_str()), (Some("kiosk"), kiosk["id"].as_str()), "{view}");
    let (_, sms) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    let text = sms[0]["text"].as_str().unwrap();
    let due: chrono::NaiveDate = created["due_on"].as_str().unwrap().parse().unwrap();
    for part in [created["number"].as_str().unwrap(), &due.format("%d.%m.%Y").to_string(), created["tracking_token"].as_str().unwrap()] {
        assert!(text.contains(part), "the SMS carries the receipt ({part}): {text}");
    }
}

async fn a_revoked_or_unknown_kiosk_token_is_refused_with_its_code_in_the_callers_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let kiosk = register_kiosk(&app, &admin).await;
    let token = kiosk["token"].as_str().unwrap();
    let (status, _) = app.client.get(app.url("/api/kiosk")).header("X-Kiosk-Token", token).send().await.map(|r| (r.status().as_u16(), ())).unwrap();
    assert_eq!(status, 200, "a live kiosk knows itself");
    let (status, revoked) = app
        .client
        .delete(app.url(&format!("/api/admin/kiosks/{}", kiosk["id"].as_str().unwrap())))
        .bearer_auth(&admin)
        .send()
        .await
        .map(|r| (r.status().as_u16(), r))
        .unwrap();
    assert_eq!(status, 200);
    assert!(revoked.json::<Value>().await.unwrap()["revoked_at"].is_string());

    let code = app.otp_code_for(APPLICANT, &kiosk_application("000000")).await;
    let mut titles = Vec::new();
    for (lang, key) in [("kk", "k1"), ("ru", "k2"), ("en", "k3")] {
        let (status, problem) = send_from_kiosk(&app, token, &kiosk_application(&code), key, lang).await;
        assert_eq!((status, problem["code"].as_str()), (401, Some("kiosk.token_invalid")), "{problem}");
        titles.push(problem["title"].as_str().unwrap().to_string());
    }
    assert!(titles[0] != titles[1] && titles[1] != titles[2] && !titles[2].is_empty(), "{titles:?}");
    let (status, problem) = send_from_kiosk(&app, "never-issued", &kiosk_application(&code), "k4", "en").await;
    assert_eq!((status, problem["code"].as_str()), (401, Some("kiosk.token_invalid")), "{problem}");
    let res = app.client.get(app.url("/api/kiosk")).header("X-Kiosk-Token", token).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 401);
    assert_eq!(app.count_applications().await, 0, "nothing was stored");
    // The code was not spent on the refused tries; and as in v1, the kiosk channel without a
    // token still applies (signed by the applicant), recorded with no kiosk.
    let (status, created) = app.post("/api/applications", &kiosk_application(&code), Some("v1-kiosk"), None).await;
    assert_eq!(status, 201, "{created}");
    let (_, view) = app.get(&format!("/api/applications/{}", created["id"].as_str().unwrap()), Some(&admin)).await;
    assert!(view.get("kiosk_id").is_none(), "{view}");
}

async fn only_an_administrator_registers_kiosks_and_a_kiosk_sends_only_kiosk_applications(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.login("operator").await;
    let (status, _) = app.post("/api/admin/kiosks", &json!({"name": "K", "branch": "B"}), None, Some(&operator)).await;
    assert_eq!(status, 403);
    let admin = app.login("admin").await;
    let (status, problem) = app.post("/api/admin/kiosks", &json!({"name": " ", "branch": "B"}), None, Some(&admin)).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("name")), "{problem}");
    let kiosk = register_kiosk(&app, &admin).await;
    let code = app.otp_code(APPLICANT).await;
    let (status, problem) = send_from_kiosk(&app, kiosk["token"].as_str().unwrap(), &valid_application(APPLICANT, &code), "portal-from-kiosk", "en").await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("kiosk.channel")), "{problem}");
}

crate::on_both_backends!(
    an_application_sent_from_a_registered_kiosk_records_the_kiosk_and_texts_the_whole_receipt,
    a_revoked_or_unknown_kiosk_token_is_refused_with_its_code_in_the_callers_language,
    only_an_administrator_registers_kiosks_and_a_kiosk_sends_only_kiosk_applications,
);
