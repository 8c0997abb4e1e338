//! An SMS code signs for the phone given in the application only and, when it was asked for with
//! the hash of the answers, those answers only; its tries are counted even when they come at once.

use serde_json::{json, Value};
use telnuska_tests::server::valid_application;
use telnuska_tests::{Backend, TestApp};

const APPLICANT: &str = "+77011234567";
const STRANGER: &str = "+77020000000";

async fn an_otp_code_sent_to_another_phone_does_not_sign_the_application(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = app.otp_code(STRANGER).await;
    // Someone else's application, signed with a code the stranger received on their own phone.
    let mut body = valid_application(APPLICANT, &code);
    body["signature"]["phone"] = json!(STRANGER);
    let (status, problem) = app.post("/api/applications", &body, Some("forged-1"), None).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        (problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
        (Some("signature.phone"), Some("otp.other_phone")),
        "{problem}"
    );
    assert_eq!(app.count_applications().await, 0);
    let (_, to_applicant) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    assert_eq!(to_applicant, json!([]), "no acceptance SMS reaches the person named in it");
}

async fn an_otp_code_asked_for_some_answers_does_not_sign_others(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let answers = valid_application(APPLICANT, "000000");
    let code = app.otp_code_for(APPLICANT, &answers).await;
    let mut other = valid_application(APPLICANT, &code);
    other["documents"][0]["number"] = json!("0099999");
    let (status, problem) = app.post("/api/applications", &other, Some("other-answers"), None).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["code"], "otp.other_content", "{problem}");
    let (status, created) = app.post("/api/applications", &valid_application(APPLICANT, &code), Some("its-answers"), None).await;
    assert_eq!(status, 201, "the code signs the answers it was asked for: {created}");
    let (status, problem) = app.post("/api/otp", &json!({"phone": APPLICANT, "content_sha256": "not-a-hash"}), None, None).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("content_sha256")), "{problem}");
}

async fn parallel_wrong_otp_codes_never_get_more_tries_than_the_limit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let code = app.otp_code(APPLICANT).await;
    let wrong = if code == "111111" { "222222" } else { "111111" };
    let handles: Vec<_> = (0..40)
        .map(|_| {
            let (client, url, body) = (app.client.clone(), app.url("/api/applications"), valid_application(APPLICANT, wrong));
            tokio::spawn(async move { client.post(url).json(&body).send().await.unwrap().json::<Value>().await.unwrap() })
        })
        .collect();
    let mut codes = Vec::new();
    for handle in handles {
        codes.push(handle.await.unwrap()["errors"][0]["code"].as_str().unwrap_or("none").to_string());
    }
    let checked = codes.iter().filter(|c| *c == "otp.invalid").count();
    assert!(checked <= 5, "{checked} wrong codes were checked against a limit of 5: {codes:?}");
    assert!(codes.iter().all(|c| c == "otp.invalid" || c == "otp.too_many_attempts"), "{codes:?}");
    let (status, problem) = app.post("/api/applications", &valid_application(APPLICANT, &code), None, None).await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("otp.too_many_attempts")), "the code is spent: {problem}");
}

crate::on_both_backends!(
    an_otp_code_sent_to_another_phone_does_not_sign_the_application,
    an_otp_code_asked_for_some_answers_does_not_sign_others,
    parallel_wrong_otp_codes_never_get_more_tries_than_the_limit,
);
