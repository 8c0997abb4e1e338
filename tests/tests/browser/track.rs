//! Tracking an application without the device that sent it: by the link of the SMS
//! (`/track/<id>#<token>`) and by its number and tracking code.

use telnuska_tests::browser::Browser;
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};

/// A fresh server with an application accepted at the ЦОН desk, and a browser: the
/// application's id and number, and the tracking link of the SMS it sent.
struct Accepted {
    app: TestApp,
    b: Browser,
    id: String,
    number: String,
    link: String,
}

async fn accepted() -> Accepted {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let created = app.submit_at_desk("desk-1", &desk_application()).await;
    let (id, number) = (created["id"].as_str().unwrap().to_string(), created["number"].as_str().unwrap().to_string());
    let (_, sms) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    let text = sms.as_array().unwrap().iter().filter_map(|m| m["text"].as_str()).find(|t| t.contains(&number)).expect("the acceptance SMS");
    let link = text[text.find("http").expect("a link")..].to_string();
    Accepted { app, b: Browser::start().await, id, number, link }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sms_link_shows_the_application_hides_its_code_and_keeps_it_on_the_device() {
    let Accepted { app, b, id, number, link } = accepted().await;
    b.open(&link).await;
    b.eventually("the number", || async { b.text("#track-link-number").await == number }).await;
    assert_eq!(b.script("return location.pathname + location.hash").await, format!("/track/{id}"), "the code is gone from the address bar");
    b.click("#lang-en").await;
    b.eventually("the stage in English", || async { b.text("#track-link .tracked__status").await == "Accepted, not yet sent to the institution" }).await;
    assert!(b.text("#track-link .history li").await.contains("Accepted, not yet sent to the institution"));

    assert_no_violations(&b, &axe_script(), "an application opened by its link").await;
    b.click("#track-link-keep").await;
    b.wait_for("#track-link-kept").await;
    b.wait_for(&format!("#tracked-{id}")).await;
    b.eventually("focus on the confirmation", || async { b.script("return document.activeElement.id").await == "track-link-kept" }).await;
    // Reopened without the code (as after a reload), the device's own copy opens it.
    b.open(&app.url(&format!("/track/{id}"))).await;
    b.eventually("the number, from the device's copy", || async { b.text("#track-link-number").await == number }).await;
    assert!(b.exists("#track-link-kept").await, "already kept");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_link_and_a_wrong_code_are_explained_and_the_right_number_and_code_find_it() {
    let Accepted { app, b, id, number, link } = accepted().await;
    b.open(&app.url(&format!("/track/{id}#not-the-code"))).await;
    b.click("#lang-en").await;
    b.eventually("the wrong link explained", || async { b.text("#track-link-error").await.contains("does not open an application") }).await;

    b.click("#track-find-submit").await;
    b.eventually("an empty form explained", || async { b.text("#track-find-error").await.contains("Enter both the application number and the tracking code") })
        .await;
    assert_eq!(b.script("return document.activeElement.id").await, "track-find-error");
    b.type_into("#track-number", &number).await;
    b.type_into("#track-token", "not-the-code").await;
    b.click("#track-find-submit").await;
    b.eventually("the wrong code explained", || async { b.text("#track-found-error").await.contains("No application matches") }).await;
    assert_eq!(b.script("return document.getElementById('track-find-error').hidden").await, true, "the form is complete now");
    b.eventually("focus on the answer", || async { b.script("return document.activeElement.id").await == "track-found" }).await;
    assert_no_violations(&b, &axe_script(), "a wrong link and a wrong code explained").await;

    // The whole link pasted as the code, the number typed in small letters without "TN-".
    b.script("document.getElementById('track-token').value = ''; document.getElementById('track-number').value = ''").await;
    b.type_into("#track-number", &number.to_lowercase().replace("tn-", "")).await;
    b.type_into("#track-token", &link).await;
    b.click("#track-find-submit").await;
    assert_eq!(b.text("#track-found-number").await, number);
    assert!(!b.exists("#track-found-error").await);
    b.eventually("focus on the application found", || async { b.script("return document.activeElement.id").await == "track-found" }).await;
    b.click("#track-found-keep").await;
    b.wait_for(&format!("#tracked-{id}")).await;
    b.close().await;
}
