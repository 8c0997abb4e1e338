//! The ЦОН desk after intake in Chromium against the real server (issue 17): a ready document is
//! received (the applicant gets the SMS), shelved with its month's countdown, and handed over
//! against an identity document, the history showing each step with its time; a number scanned
//! on a Russian keyboard layout opens its application; a month later the unclaimed one is offered
//! for return, returned, and recalled with its 1-working-day deadline.

use serde_json::{json, Value};
use telnuska_tests::browser::Browser;
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};
use crate::provider_console::{a_coming_monday, almaty, screenshot};
use crate::staff::sign_in;

/// Accepts a package at the desk, sends it and has the provider approve it; returns (id, number).
async fn ready(app: &TestApp, key: &str) -> (String, String) {
    sent_and_worked(app, key, &[json!({ "action": "approve" })]).await
}

/// Accepts a package at the desk, sends it, has the provider register it, start the review and
/// then take `actions` (bodies of the action route); returns (id, number).
pub(crate) async fn sent_and_worked(app: &TestApp, key: &str, actions: &[Value]) -> (String, String) {
    let created = app.submit_at_desk(key, &desk_application()).await;
    let (id, number) = (created["id"].as_str().unwrap().to_string(), created["number"].as_str().unwrap().to_string());
    let (operator, provider) = (app.login("operator").await, app.login("provider").await);
    let start = [(&operator, json!({ "action": "dispatch" })), (&provider, json!({ "action": "register" })), (&provider, json!({ "action": "start_review" }))];
    for (who, action) in start.into_iter().chain(actions.iter().map(|a| (&provider, a.clone()))) {
        let (status, body) = app.post(&format!("/api/applications/{id}/actions"), &action, None, Some(who)).await;
        assert_eq!(status, 200, "{action}: {body}");
    }
    (id, number)
}

/// Signs the operator in, in English, at the desk's 1280 px.
pub(crate) async fn open_desk(b: &Browser, app: &TestApp, path: &str) {
    sign_in(b, app, "operator").await;
    b.click("#lang-en").await;
    b.open(&app.url(path)).await;
}

async fn status_of(b: &Browser) -> String {
    b.script("const e = document.getElementById('desk-application-status'); return e ? e.dataset.status : ''").await.as_str().unwrap_or_default().to_string()
}

pub(crate) async fn wait_status(b: &Browser, status: &str) {
    b.eventually(&format!("the application {status}"), || async { status_of(b).await == status }).await;
}

/// The application's history as the desk shows it: each row's event kind, time and detail.
pub(crate) async fn desk_history(b: &Browser) -> Value {
    b.script(
        "return Array.from(document.querySelectorAll('#application-history tbody tr')).map(r => [r.dataset.kind, r.cells[0].innerText, r.cells[2].innerText])",
    )
    .await
}

/// Scans `text` into the desk's box: a scanner types it and presses Enter.
async fn scan(b: &Browser, text: &str) {
    let field = b.wait_for("#desk-scan-number").await;
    field.click().await.unwrap();
    field.send_keys(&format!("{text}\u{E007}")).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ready_document_is_received_shelved_handed_over_and_an_unclaimed_one_goes_back() {
    let monday = a_coming_monday();
    let app = TestApp::spawn_with(Backend::Sqlite, &[("TELNUSKA_NOW", &almaty(monday, "10:00"))]).await;
    let (_, collected) = ready(&app, "collected").await;
    let (_, unclaimed) = ready(&app, "unclaimed").await;
    let b = Browser::start().await;
    let axe = axe_script();
    b.cdp("Emulation.setDeviceMetricsOverride", json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false})).await;
    open_desk(&b, &app, "/staff/desk/receive").await;
    b.eventually("both ready documents on their way", || async {
        let list = b.text("#desk-receive").await;
        list.contains(&collected) && list.contains(&unclaimed)
    })
    .await;
    assert_no_violations(&b, &axe, "receiving results").await;

    b.click(&format!("tr[data-number='{collected}'] button")).await;
    b.eventually("received", || async { b.text("#desk-receive-done").await.contains("The applicant has been sent an SMS.") }).await;
    app.run_jobs().await;
    let (_, sms) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    assert!(sms.as_array().unwrap().iter().any(|m| m["text"].as_str().unwrap().contains(&collected)), "the applicant is told: {sms}");

    // The scanner on a Russian layout types Е and Т for T and N; the digits open it all the same.
    scan(&b, &unclaimed.replacen("TN", "ЕТ", 1)).await;
    b.eventually("the scanned application", || async { b.text("#desk-application-title").await == format!("Application {unclaimed}") }).await;
    b.click("#action-deliver_to_con").await;
    wait_status(&b, "at_con").await;

    b.open(&app.url("/staff/desk/shelf")).await;
    b.eventually("both on the shelf", || async { b.script("return document.querySelectorAll('#desk-shelf-items tbody tr').length").await == json!(2) }).await;
    assert!(b.text(&format!("tr[data-number='{collected}']")).await.contains("days left"), "the month's countdown");
    assert_no_violations(&b, &axe, "the storage shelf").await;
    b.click(&format!("tr[data-number='{collected}'] a")).await;
    wait_status(&b, "at_con").await;
    assert_no_violations(&b, &axe, "one application at the desk").await;
    b.select("#hand-over-type", "passport").await;
    b.type_into("#hand-over-number", "N 1234567").await;
    b.click("#action-hand_over").await;
    wait_status(&b, "issued").await;
    let history = desk_history(&b).await;
    let kinds: Vec<&str> = history.as_array().unwrap().iter().map(|r| r[0].as_str().unwrap()).collect();
    assert_eq!(kinds, ["submitted", "dispatch", "register", "start_review", "approve", "deliver_to_con", "hand_over"], "{history}");
    assert!(history.as_array().unwrap().iter().all(|r| r[1].as_str().unwrap().ends_with("10:00")), "each step with its time: {history}");
    assert!(history[6][2].as_str().unwrap().contains("N1234567"), "the document shown: {history}");

    // A month on, the unclaimed one is due to go back.
    let later = monday + chrono::Duration::days(35);
    let app = app.restart_with(&[("TELNUSKA_NOW", &almaty(later, "10:00"))]);
    open_desk(&b, &app, "/staff/desk/shelf").await;
    b.eventually("offered for return", || async { b.exists(&format!("tr[data-number='{unclaimed}'][data-due='true'] button")).await }).await;
    assert!(b.text(&format!("tr[data-number='{unclaimed}']")).await.contains("Due to go back since"));
    screenshot(&b, "desk-shelf.png").await;
    b.click(&format!("tr[data-number='{unclaimed}'] button")).await;
    b.eventually("returned", || async { b.exists("#desk-shelf-none").await }).await;

    // The applicant comes after all: the desk asks the institution for it back.
    scan(&b, &unclaimed).await;
    wait_status(&b, "returned_to_provider").await;
    b.click("#action-recall").await;
    wait_status(&b, "in_transit").await;
    let by = telnuska_shared::deadlines::recall_by(&telnuska_shared::calendar::Calendar::builtin(), later);
    let shown = b.text("#desk-application-deadlines dd[data-deadline='recall_by']").await;
    assert_eq!(shown, english_date(by), "1 working day");
    b.open(&app.url("/staff/desk/receive")).await;
    b.eventually("the recall on its way", || async {
        b.text(&format!("tr[data-number='{unclaimed}']")).await.contains("Recalled: the institution must send it by")
    })
    .await;
    b.close().await;
}

/// A day as the English screens write it (`22 December 2026`).
pub(crate) fn english_date(day: chrono::NaiveDate) -> String {
    day.format("%-d %B %Y").to_string()
}
