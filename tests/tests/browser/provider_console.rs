//! The provider's console in Chromium against the real server: the queue filtered, one
//! application registered, a hearing scheduled (an illegal time refused with the rule's text),
//! another approved and sent to ЦОН, the first refused with a ground and reasons, the SMS the
//! applicant gets; two colleagues on one application; and the university's own steps, the issue
//! journal with the stamp's print preview, the attached files shown in the page and the access
//! log the head of the office reads.

use serde_json::{json, Value};
use telnuska_tests::browser::Browser;
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};
use crate::staff::sign_in;

/// Submits at the desk for an applicant named `surname`, hands it to the courier, returns
/// (id, number).
async fn dispatched(app: &TestApp, key: &str, surname: &str) -> (String, String) {
    let mut body = desk_application();
    body["applicant"]["last_name"] = json!(surname);
    let created = app.submit_at_desk(key, &body).await;
    let id = created["id"].as_str().unwrap().to_string();
    let operator = app.login("operator").await;
    let (status, moved) =
        app.post(&format!("/api/applications/{id}/actions"), &json!({"action": "dispatch"}), Some(&format!("{key}-d")), Some(&operator)).await;
    assert_eq!(status, 200, "{moved}");
    (id, created["number"].as_str().unwrap().to_string())
}

/// A Monday to come whose week starts with three working days. The browser keeps a staff
/// session until the server's expiry time by its own clock, so the server's clock is set ahead
/// of the real one, never behind it.
pub(crate) fn a_coming_monday() -> chrono::NaiveDate {
    use chrono::Datelike;
    let calendar = telnuska_shared::calendar::Calendar::builtin();
    let mut day = chrono::Utc::now().date_naive() + chrono::Duration::days(2);
    while day.weekday() != chrono::Weekday::Mon || !(0..3).all(|n| calendar.is_working_day(day + chrono::Duration::days(n))) {
        day += chrono::Duration::days(1);
    }
    day
}

/// `day` at `time` in Almaty, as `TELNUSKA_NOW` takes it.
pub(crate) fn almaty(day: chrono::NaiveDate, time: &str) -> String {
    format!("{day}T{time}:00+05:00")
}

/// Opens the console's queue in English.
async fn open_queue(b: &Browser, app: &TestApp) {
    sign_in(b, app, "provider").await;
    b.click("#lang-en").await;
    b.open(&app.url("/staff/queue")).await;
    b.eventually("the queue", || async { b.text("#staff-queue-title").await == "Applications to work on" }).await;
}

/// Sets an input's value as typing would (a time input takes no keys in every locale).
async fn set_value(b: &Browser, id: &str, value: &str) {
    b.script(&format!("const e = document.getElementById('{id}'); e.value = '{value}'; e.dispatchEvent(new Event('input', {{ bubbles: true }}))")).await;
}

/// Saves a screenshot for the README when `TELNUSKA_SCREENSHOTS` names a directory.
pub(crate) async fn screenshot(b: &Browser, name: &str) {
    if let Ok(dir) = std::env::var("TELNUSKA_SCREENSHOTS") {
        b.screenshot(&std::path::Path::new(&dir).join(name)).await;
    }
}

async fn status_of(b: &Browser) -> String {
    b.script("const e = document.getElementById('application-status'); return e ? e.dataset.status : ''").await.as_str().unwrap_or_default().to_string()
}

async fn wait_status(b: &Browser, status: &str) {
    b.eventually(&format!("the application {status}"), || async { status_of(b).await == status }).await;
}

async fn sms_texts(app: &TestApp) -> Vec<String> {
    let (_, sms) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    sms.as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provider_registers_hears_approves_sends_and_refuses_from_the_console() {
    // A Monday, 10:00 in Almaty.
    let monday = a_coming_monday();
    let app = TestApp::spawn_with(Backend::Sqlite, &[("TELNUSKA_NOW", &almaty(monday, "10:00"))]).await;
    let (hearing_id, hearing_number) = dispatched(&app, "b-hear", "Омарова").await;
    let (_, approve_number) = dispatched(&app, "b-approve", "Ахметов").await;
    dispatched(&app, "b-other", "Сейітқали").await;
    let b = Browser::start().await;
    let axe = axe_script();
    b.cdp("Emulation.setDeviceMetricsOverride", json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false})).await;
    open_queue(&b, &app).await;
    b.eventually("three in transit", || async { b.text("#queue-counts").await.contains("On its way to the institution: 3") }).await;
    assert_no_violations(&b, &axe, "the provider's queue").await;
    screenshot(&b, "provider-queue.png").await;

    b.type_into("#queue-q", "Омар").await;
    b.click("#queue-apply").await;
    b.eventually("the queue filtered by surname", || async { b.script("return document.querySelectorAll('#queue-table tbody tr').length").await == json!(1) })
        .await;
    assert!(b.text("#queue-table tbody").await.contains(&hearing_number));
    b.click(&format!("tr[data-number='{hearing_number}'] a")).await;
    b.eventually("the application", || async { b.text("#application-title").await == format!("Application {hearing_number}") }).await;
    assert!(b.text("#application-answers").await.contains("Омарова"), "every answer as given");
    assert!(b.text("#application-deadlines").await.contains("Register the package by"));
    assert_no_violations(&b, &axe, "one application").await;

    b.type_into("#register-number", "ВХ-17/204").await;
    b.click("#action-register").await;
    wait_status(&b, "registered").await;
    assert!(b.text("#application-history").await.contains("ВХ-17/204"), "who registered it under which number");
    assert!(b.text("#application-history").await.contains("(provider)"));
    b.click("#action-start_review").await;
    wait_status(&b, "in_review").await;
    screenshot(&b, "provider-application.png").await;

    // The picker offers only the days the rules leave: today to Wednesday.
    let days = b.script("return Array.from(document.querySelectorAll('#hearing-day option')).map(o => o.value)").await;
    let wednesday = monday + chrono::Duration::days(2);
    assert_eq!(days, json!([monday, monday + chrono::Duration::days(1), wednesday]));
    set_value(&b, "hearing-time", "09:00").await;
    b.type_into("#hearing-place", "каб. 204").await;
    b.click("#action-preliminary_refuse").await;
    b.eventually("a past time refused with the rule", || async {
        b.text("#application-error").await.contains("The hearing must be held after the notice and within 2 working days of it.")
    })
    .await;
    assert_eq!(status_of(&b).await, "in_review");
    b.select("#hearing-day", &wednesday.to_string()).await;
    set_value(&b, "hearing-time", "11:00").await;
    b.type_into("#hearing-place", "каб. 204").await;
    b.click("#action-preliminary_refuse").await;
    wait_status(&b, "hearing_scheduled").await;
    assert!(sms_texts(&app).await.iter().any(|t| t.contains(&hearing_number) && t.contains("каб. 204")), "the hearing SMS");

    // Another application: approved and sent to ЦОН, at a tablet's width (the rest at 1280 px).
    b.cdp("Emulation.setDeviceMetricsOverride", json!({"width": 768, "height": 1024, "deviceScaleFactor": 1, "mobile": false})).await;
    b.click("#staff-application a").await;
    b.wait_for(&format!("tr[data-number='{approve_number}'] a")).await;
    b.click(&format!("tr[data-number='{approve_number}'] a")).await;
    b.eventually("the second application", || async { b.text("#application-title").await == format!("Application {approve_number}") }).await;
    for (button, status) in [("#action-register", "registered"), ("#action-start_review", "in_review"), ("#action-approve", "ready")] {
        b.click(button).await;
        wait_status(&b, status).await;
    }
    assert_no_violations(&b, &axe, "an approved application at 768 px").await;
    let before = sms_texts(&app).await.iter().filter(|t| t.contains(&approve_number)).count();
    b.click("#action-deliver_to_con").await;
    wait_status(&b, "at_con").await;
    assert!(b.text("#application-message").await.contains("Waiting for you at the Public Service Centre"));
    let after = sms_texts(&app).await.iter().filter(|t| t.contains(&approve_number)).count();
    assert_eq!(after, before + 1, "the ready SMS");
    b.close().await;

    // After the hearing and the 2 days for an objection: the final refusal, reasoned.
    let app = app.restart_with(&[("TELNUSKA_NOW", &almaty(monday + chrono::Duration::days(3), "12:00"))]);
    let b = Browser::start().await;
    open_queue(&b, &app).await;
    b.open(&app.url(&format!("/staff/queue/{hearing_id}"))).await;
    wait_status(&b, "hearing_scheduled").await;
    b.select("#refuse-ground", "unreliable").await;
    b.click("#action-refuse").await;
    b.eventually("the reasons are required", || async { b.text("#refuse-reason-error").await == "Write the reasons for the refusal." }).await;
    assert_eq!(b.script("return document.activeElement.id").await, "refuse-reason");
    assert_no_violations(&b, &axe, "a refusal without its reasons").await;
    b.type_into("#refuse-reason", "Диплом тізілімде жоқ").await;
    let about = |texts: Vec<String>| texts.iter().filter(|t| t.contains(&hearing_number)).count();
    let before = about(sms_texts(&app).await);
    b.click("#action-refuse").await;
    wait_status(&b, "refused").await;
    assert_eq!(about(sms_texts(&app).await), before + 1, "the refusal SMS");
    assert!(b.text("#application-history").await.contains("Диплом тізілімде жоқ"), "the reasons kept in the history");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_colleagues_on_one_application_are_told_what_happened() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("TELNUSKA_NOW", &almaty(a_coming_monday(), "10:00"))]).await;
    let (changed_id, _) = dispatched(&app, "c-changed", "Омарова").await;
    let (held_id, _) = dispatched(&app, "c-held", "Ахметов").await;
    let admin = app.login("admin").await;
    let colleague = json!({"login": "registrar.amanova", "password": "correct horse battery", "role": "provider", "full_name": "Гүлнар Аманова", "institutions": ["kaznmu"]});
    assert_eq!(app.post("/api/admin/staff", &colleague, None, Some(&admin)).await.0, 201);
    let (_, signed) = app.post("/api/auth/login", &json!({"login": "registrar.amanova", "password": "correct horse battery"}), None, None).await;
    let other = signed["token"].as_str().unwrap().to_string();

    let b = Browser::start().await;
    open_queue(&b, &app).await;
    b.open(&app.url(&format!("/staff/queue/{changed_id}"))).await;
    wait_status(&b, "in_transit").await;
    // The colleague registers it while it is open here.
    let (status, v): (u16, Value) =
        app.post(&format!("/api/applications/{changed_id}/actions"), &json!({"action": "register"}), Some("c-reg"), Some(&other)).await;
    assert_eq!(status, 200, "{v}");
    b.click("#action-register").await;
    b.eventually("what changed, said plainly", || async {
        let text = b.text("#application-error").await;
        text.contains("Гүлнар Аманова did this: Register") && text.contains("It is now at this stage: Registered by the institution")
    })
    .await;
    wait_status(&b, "registered").await;
    assert!(b.exists("#action-start_review").await, "the fresh state's actions");

    // An application the colleague took is theirs.
    let (status, _) = app.post(&format!("/api/applications/{held_id}/assignment"), &json!({}), None, Some(&other)).await;
    assert_eq!(status, 200);
    b.open(&app.url(&format!("/staff/queue/{held_id}"))).await;
    b.eventually("the holder named", || async { b.text("#application-holder").await == "Taken by Гүлнар Аманова." }).await;
    b.click("#action-register").await;
    b.eventually("refused, naming the holder", || async {
        b.text("#application-error").await.contains("Гүлнар Аманова (registrar.amanova) has taken this application")
    })
    .await;
    assert_eq!(status_of(&b).await, "in_transit");
    assert_no_violations(&b, &axe_script(), "an application a colleague holds").await;
    b.close().await;
}

/// A valid 1×1 PNG (a photo of a document, as small as one gets).
const PHOTO: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0d\x49\x44\x41\x54\x78\xda\x63\x64\x60\xf8\x5f\x0f\x00\x02\x87\x01\x80\xeb\x47\xba\x92\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";
/// A one-page PDF.
const SCAN: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_head_follows_the_universitys_steps_to_the_journal_and_reads_the_files_and_who_opened_them() {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("TELNUSKA_NOW", &almaty(a_coming_monday(), "10:00"))]).await;
    let mut body = desk_application();
    body["attachments"] = json!([{"kind": "original_document", "id": app.upload_file("photo.png", PHOTO).await}, {"kind": "other", "id": app.upload_file("scan.pdf", SCAN).await}]);
    let created = app.submit_at_desk("s-steps", &body).await;
    let id = created["id"].as_str().unwrap().to_string();
    for (who, action) in [("operator", "dispatch"), ("provider", "register")] {
        let (status, v) = app.post(&format!("/api/applications/{id}/actions"), &json!({"action": action}), None, Some(&app.login(who).await)).await;
        assert_eq!(status, 200, "{v}");
    }
    let admin = app.login("admin").await;
    let head = app.client.put(app.url("/api/admin/staff/provider/head")).bearer_auth(&admin).json(&json!({"head": true})).send().await.unwrap();
    assert_eq!(head.status().as_u16(), 204, "the demo provider heads the office");

    let b = Browser::start().await;
    let axe = axe_script();
    b.cdp("Emulation.setDeviceMetricsOverride", json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false})).await;
    open_queue(&b, &app).await;
    b.open(&app.url(&format!("/staff/queue/{id}"))).await;
    wait_status(&b, "registered").await;
    b.wait_for("#application-steps li[data-step='rector_decision']").await;
    assert!(
        b.text("#application-steps").await.contains("Archive: the graduate finished before 2017."),
        "a 2015 graduate's supplement is the archive's: {}",
        b.text("#application-steps").await
    );
    assert!(!b.exists("#step-issue_journal").await, "no journal entry before the approval");
    b.click("#step-rector_decision").await;
    b.eventually("the decision recorded", || async { b.exists("#application-steps li[data-step='rector_decision'][data-done='true']").await }).await;
    assert_eq!(status_of(&b).await, "registered", "a step keeps the stage");
    assert!(b.text("#application-history").await.contains("Rector's decision to carry out the application"), "the history names the step");

    // The files, shown in the page.
    b.click("#file-0").await;
    b.eventually("the photo shown", || async {
        b.script("const i = document.querySelector('#application-files img'); return !!i && i.complete && i.naturalWidth === 1").await == json!(true)
    })
    .await;
    b.click("#file-1").await;
    b.eventually("the scan in a frame", || async {
        b.script("const f = document.querySelector('#application-files iframe'); return !!f && f.src.startsWith('blob:')").await == json!(true)
    })
    .await;
    assert_no_violations(&b, &axe, "an application with its steps and files").await;

    for (button, status) in [("#action-start_review", "in_review"), ("#action-approve", "ready")] {
        b.click(button).await;
        wait_status(&b, status).await;
    }
    b.type_into("#journal-series", "BD").await;
    b.type_into("#journal-number", "№ 0099001").await;
    b.click("#step-issue_journal").await;
    b.wait_for("#stamp-preview").await;
    let stamps = b.text("#stamp-preview").await;
    for text in [
        "Түпнұсқа орнына берілген дубликат № BD 0012345",
        "Дубликат, выданный взамен оригинала № BD 0012345",
        "Duplicate issued in place of original No. BD 0012345",
        "Duplicate: BD 0099001",
    ] {
        assert!(stamps.contains(text), "{text} in {stamps}");
    }
    assert_no_violations(&b, &axe, "the stamp's print preview").await;
    b.script("document.getElementById('stamp-preview').scrollIntoView()").await;
    screenshot(&b, "provider-stamp.png").await;

    // The head reads who opened the application and its files.
    b.eventually("the access log", || async { b.exists("#access-log tbody tr").await }).await;
    let openings = b.script("return document.querySelectorAll('#access-log tbody tr').length").await.as_u64().unwrap();
    assert!(openings >= 3, "the openings of the page and of both files: {openings}");
    assert!(b.text("#access-log").await.contains("(provider)"));

    // Back to the workspace's home, and on to the oversight section it lists.
    b.open(&app.url("/staff")).await;
    b.click("a[href='/staff/oversight']").await;
    b.eventually("the journal", || async { b.text("#issue-journal").await.contains("BD 0099001") }).await;
    assert!(b.text("#issue-journal").await.contains(created["number"].as_str().unwrap()));
    assert_no_violations(&b, &axe, "the issue journal").await;
    b.close().await;
}
