//! A refusal letter through the ЦОН desk in Chromium against the real server (issue 17): the
//! provider refuses an application accepted at the counter, the desk receives the letter (the
//! applicant's tracking page then says where it waits), the shelf shows it as a refusal letter,
//! and it is handed over against an identity document, the history showing each step with its
//! time.

use serde_json::json;
use telnuska_tests::browser::Browser;
use telnuska_tests::TestApp;

use crate::accessibility::{assert_no_violations, axe_script};
use crate::desk_shelf::{desk_history, open_desk, sent_and_worked, wait_status};
use crate::provider_console::{a_coming_monday, almaty};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_letter_is_received_shelved_as_such_and_handed_over() {
    let monday = a_coming_monday();
    let app = TestApp::spawn_with(telnuska_tests::Backend::Sqlite, &[("TELNUSKA_NOW", &almaty(monday, "10:00"))]).await;
    let notice = json!({"action": "preliminary_refuse", "hearing_at": almaty(monday, "11:00"), "place": "каб. 204", "ground": "unreliable"});
    let (id, number) = sent_and_worked(&app, "refused", &[notice]).await;
    // After the hearing and the 2 working days to object, on Wednesday: the final refusal.
    let wednesday = monday + chrono::Duration::days(2);
    let app = app.restart_with(&[("TELNUSKA_NOW", &almaty(wednesday, "10:30"))]);
    let refusal = json!({"action": "refuse", "reason": "unreliable", "note": "Тізілімде жоқ"});
    let (status, body) = app.post(&format!("/api/applications/{id}/actions"), &refusal, None, Some(&app.login("provider").await)).await;
    assert_eq!((status, body["status"].as_str()), (200, Some("refused")), "{body}");

    let b = Browser::start().await;
    let axe = axe_script();
    b.cdp("Emulation.setDeviceMetricsOverride", json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false})).await;
    open_desk(&b, &app, "/staff/desk/receive").await;
    let row = format!("tr[data-number='{number}'][data-status='refused']");
    b.eventually("the refusal letter on its way", || async { b.exists(&row).await }).await;
    assert!(b.text(&row).await.contains("Refusal letter"), "marked as a refusal letter");
    assert_no_violations(&b, &axe, "receiving a refusal letter").await;
    b.click(&format!("{row} button")).await;
    b.eventually("received", || async { b.text("#desk-receive-done").await.contains("The applicant has been sent an SMS.") }).await;

    // The applicant's SMS link: the tracking page says where the letter waits.
    app.run_jobs().await;
    let (_, sms) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    let text =
        sms.as_array().unwrap().iter().filter_map(|m| m["text"].as_str()).find(|t| t.contains("дәлелді жауап келді")).expect("the letter's SMS").to_string();
    b.open(&text[text.find("http").expect("a link")..]).await;
    b.eventually("the number", || async { b.text("#track-link-number").await == number }).await;
    b.click("#lang-en").await;
    let waiting = "The letter with the reasons for the refusal is waiting for you at the Public Service Centre (ЦОН)";
    b.eventually("where the letter is", || async { b.text("#track-link .tracked__status").await == waiting }).await;

    b.open(&app.url("/staff/desk/shelf")).await;
    let shelved = format!("#desk-shelf-items tr[data-number='{number}'][data-refusal='true']");
    b.eventually("on the shelf", || async { b.exists(&shelved).await }).await;
    assert!(b.text(&shelved).await.contains("Refusal letter"), "shelved as a refusal letter");
    b.click(&format!("{shelved} a")).await;
    wait_status(&b, "refusal_at_con").await;
    assert!(b.text("#desk-refusal-letter").await.contains("not a duplicate"), "the operator tells the applicant");
    assert_no_violations(&b, &axe, "a refusal letter at the desk").await;
    b.type_into("#hand-over-number", "012345678").await;
    b.click("#action-hand_over").await;
    wait_status(&b, "refusal_issued").await;

    let history = desk_history(&b).await;
    let rows = history.as_array().unwrap();
    let kinds: Vec<&str> = rows.iter().map(|r| r[0].as_str().unwrap()).collect();
    assert_eq!(kinds, ["submitted", "dispatch", "register", "start_review", "preliminary_refuse", "refuse", "deliver_to_con", "hand_over"], "{history}");
    let times: Vec<&str> = rows.iter().map(|r| &r[1].as_str().unwrap()[r[1].as_str().unwrap().len() - 5..]).collect();
    assert_eq!(times, ["10:00", "10:00", "10:00", "10:00", "10:00", "10:30", "10:30", "10:30"], "each step with its time: {history}");
    assert!(rows[7][2].as_str().unwrap().contains("012345678"), "the document shown: {history}");
    assert!(b.exists("#desk-hand-over-receipt").await, "the hand-over receipt is offered");
    b.close().await;
}
