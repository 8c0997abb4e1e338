//! A result handed over at the applicant's home with no network (issue 18): the field worker's
//! device lists, while online, the field applications whose duplicate waits at ЦОН; offline the
//! worker records the hand-over against the identity document shown; back online it is pushed
//! and recorded at the server's time with the device's time beside it. If the ЦОН counter handed
//! the result over meanwhile, the device shows the server's explanation and keeps the item until
//! the worker has read it and removes it.

use std::time::Duration;

use chrono::Utc;
use serde_json::{json, Value};
use telnuska_tests::browser::{free_port, Browser};
use telnuska_tests::server::valid_application;
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};
use crate::field::begin_the_day;

/// An application a field worker accepted at the applicant's home two days ago, carried by the
/// workflow to ЦОН where its duplicate now waits; its id and number.
async fn waiting_at_con(app: &TestApp) -> (String, String) {
    let mut body = valid_application("+77011234567", "000000");
    body["channel"] = json!("field");
    body["signature"] = Value::Null;
    body["accepted_at"] = json!((Utc::now() - chrono::Duration::days(2)).to_rfc3339());
    let (status, created) = app.post("/api/applications", &body, Some("door"), Some(&app.login("field").await)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    for (who, action) in
        [("operator", "dispatch"), ("provider", "register"), ("provider", "start_review"), ("provider", "approve"), ("operator", "deliver_to_con")]
    {
        let (status, moved) = app.post(&format!("/api/applications/{id}/actions"), &json!({ "action": action }), None, Some(&app.login(who).await)).await;
        assert_eq!(status, 200, "{who} {action}: {moved}");
    }
    (id, created["number"].as_str().unwrap().to_string())
}

/// Begins the day online: the device lists the result to take home.
async fn listed(b: &Browser, app: &TestApp, id: &str, number: &str) {
    begin_the_day(b, app).await;
    let row = format!("#field-delivery-{id}");
    b.eventually("the result to hand over is listed", || async { b.text(&row).await.contains(number) }).await;
    assert!(b.text(&row).await.contains("Waiting at ЦОН"), "{}", b.text(&row).await);
}

/// Hands the result over at the door against an identity card, with no network.
async fn hand_over_at_the_door(b: &Browser, id: &str) {
    b.click(&format!("#field-deliver-{id}")).await;
    b.wait_for("#form-hand-over").await;
    b.select("#hand-over-type", "identity_card").await;
    b.type_into("#hand-over-number", "0123 45678").await;
    assert_no_violations(b, &axe_script(), "the hand-over at the door").await;
    b.click("#action-hand_over").await;
    b.eventually("queued on the device", || async { b.text(&format!("#field-delivery-{id}")).await.contains("Waiting to be sent") }).await;
}

/// Presses "Send now" until the delivery's row says `what`.
async fn send_until(b: &Browser, id: &str, what: &str) -> String {
    let row = format!("#field-delivery-{id}");
    b.eventually_within(what, Duration::from_secs(60), || async {
        if b.text(&row).await.contains(what) {
            return true;
        }
        if b.script("const s = document.getElementById('field-sync'); return !!s && !s.disabled").await == Value::Bool(true) {
            b.click("#field-sync").await;
        }
        false
    })
    .await;
    b.text(&row).await
}

async fn history(app: &TestApp, id: &str) -> Vec<Value> {
    let (status, view) = app.get(&format!("/api/applications/{id}"), Some(&app.login("operator").await)).await;
    assert_eq!(status, 200, "{view}");
    view["history"].as_array().unwrap().clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_result_handed_over_at_home_offline_is_recorded_with_the_device_time_once_back_online() {
    let addr = format!("127.0.0.1:{}", free_port());
    let mut app = TestApp::spawn_with(Backend::Sqlite, &[("TELNUSKA_ADDR", addr.as_str())]).await;
    let (id, number) = waiting_at_con(&app).await;
    let b = Browser::start().await;
    listed(&b, &app, &id, &number).await;

    app.kill();
    let before = Utc::now();
    hand_over_at_the_door(&b, &id).await;
    let after = Utc::now();
    assert_no_violations(&b, &axe_script(), "a hand-over waiting to be sent").await;

    // Back online an hour later by the server's clock: recorded then, the door-step time kept.
    let server_now = (Utc::now() + chrono::Duration::hours(1)).to_rfc3339();
    let app = app.restart_with(&[("TELNUSKA_ADDR", addr.as_str()), ("TELNUSKA_NOW", server_now.as_str())]);
    let row = send_until(&b, &id, "Recorded by the server").await;
    let handed = history(&app, &id).await.last().cloned().unwrap();
    assert_eq!((handed["status"].as_str(), handed["by_role"].as_str()), (Some("issued"), Some("field")), "{handed}");
    let device: chrono::DateTime<Utc> = handed["performed_at"].as_str().expect("the device's time kept").parse().unwrap();
    let server: chrono::DateTime<Utc> = handed["at"].as_str().unwrap().parse().unwrap();
    assert!(device >= before - chrono::Duration::seconds(1) && device <= after, "{device} in {before}..{after}");
    assert!(server - device > chrono::Duration::minutes(59), "recorded at the server's time: {server}");
    assert!(handed["note"].as_str().unwrap().contains("012345678"), "the document shown: {handed}");
    for shown in [device, server] {
        let local = shown.with_timezone(&chrono::FixedOffset::east_opt(5 * 3600).unwrap());
        assert!(row.contains(&local.format("%H:%M").to_string()), "both times on the device: {row}");
    }
    // Sent again, nothing more: one hand-over.
    b.click("#field-sync").await;
    assert_eq!(history(&app, &id).await.iter().filter(|e| e["status"] == "issued").count(), 1);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hand_over_at_home_after_the_counter_gave_the_result_out_is_explained_and_kept_until_dismissed() {
    let addr = format!("127.0.0.1:{}", free_port());
    let env = [("TELNUSKA_ADDR", addr.as_str())];
    let mut app = TestApp::spawn_with(Backend::Sqlite, &env).await;
    let (id, number) = waiting_at_con(&app).await;
    let b = Browser::start().await;
    listed(&b, &app, &id, &number).await;

    app.kill();
    hand_over_at_the_door(&b, &id).await;

    // Meanwhile a representative collected it at the ЦОН counter.
    let app = app.restart_with(&env);
    let shown = json!({"kind": "identity", "document_type": "passport", "number": "N1234567"});
    let (status, issued) = app.post(&format!("/api/desk/hand-over/{id}"), &shown, None, Some(&app.login("operator").await)).await;
    assert_eq!(status, 200, "{issued}");

    let row = send_until(&b, &id, "Not recorded").await;
    for said in ["Hand over", "Collected", "Nothing was changed"] {
        assert!(row.contains(said), "{said:?} explained: {row}");
    }
    assert_no_violations(&b, &axe_script(), "a conflict explained").await;
    assert_eq!(history(&app, &id).await.iter().filter(|e| e["status"] == "issued").count(), 1, "not applied blindly");

    // Kept on the device however often it syncs, until the worker has read it.
    b.click("#field-sync").await;
    b.eventually("synced again", || async { b.script("return !document.getElementById('field-sync').disabled").await == Value::Bool(true) }).await;
    assert!(b.text(&format!("#field-delivery-{id}")).await.contains("Not recorded"));
    b.click(&format!("#field-dismiss-{id}")).await;
    b.eventually("removed once read", || async { !b.exists(&format!("#field-delivery-{id}")).await }).await;
    b.wait_for("#field-deliveries-empty").await;
    b.close().await;
}
