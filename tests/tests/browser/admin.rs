//! The administrator's screens: a provider account bound to one college, and a decreed day off
//! saved after its impact on open applications was shown.

use serde_json::json;
use telnuska_tests::browser::Browser;
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};
use crate::staff::sign_in;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_admin_adds_a_college_account_and_a_decreed_day_off_after_seeing_its_impact() {
    // The real clock: the browser ends a session whose expiry has passed by its own clock.
    let app = TestApp::spawn(Backend::Sqlite).await;
    let created = app.submit_at_desk("admin-screens", &desk_application()).await;
    let (id, number) = (created["id"].as_str().unwrap().to_string(), created["number"].as_str().unwrap().to_string());
    // The decreed day off is the application's due day: a working day, so its due day would move.
    let due_on = created["due_on"].as_str().unwrap().to_string();
    let due_day = chrono::NaiveDate::parse_from_str(&due_on, "%Y-%m-%d").unwrap().format("%d.%m.%Y").to_string();
    let year = &due_on[..4];
    let b = Browser::start().await;
    sign_in(&b, &app, "admin").await;
    b.click("#lang-en").await;

    b.click("a[href='/staff/admin/staff']").await;
    b.type_into("#admin-staff-login", "kvki.registrar").await;
    b.type_into("#admin-staff-name", "Ахметова Г.").await;
    b.select("#admin-staff-role", "provider").await;
    b.type_into("#admin-staff-password", "correct horse battery").await;
    b.type_into("#admin-staff-institutions", "kvki").await;
    b.click("#admin-staff-submit").await;
    b.eventually("the account created", || async { b.text("#admin-staff-outcome").await.contains("The account kvki.registrar is created") }).await;
    assert_no_violations(&b, &axe_script(), "the staff accounts screen").await;

    b.open(&app.url("/staff/admin/calendar")).await;
    b.wait_for("#admin-calendar-date").await;
    b.script(&format!(
        "const d = document.getElementById('admin-calendar-date'); d.value = '{due_on}'; d.dispatchEvent(new Event('input', {{ bubbles: true }}))"
    ))
    .await;
    b.select("#admin-calendar-kind", "holiday").await;
    b.type_into("#admin-calendar-name", "Decreed day off").await;
    b.type_into("#admin-calendar-source", "ПП РК от 01.12.2026 № 1000").await;
    assert!(!b.exists("#admin-calendar-save").await, "nothing to save before the check");
    b.click("#admin-calendar-check").await;
    b.eventually("the impact shown", || async { b.text("#admin-calendar-impact").await.contains(&format!("{due_day} becomes a day off")) }).await;
    let impact = b.text("#admin-calendar-impact").await;
    assert!(impact.contains("another due date: 1") && impact.contains(&format!("{number}: {due_day} → ")), "{impact}");
    let (_, calendar) = app.get(&format!("/api/admin/calendar?year={year}"), Some(&app.login("admin").await)).await;
    assert!(!calendar.to_string().contains("Decreed day off"), "a dry run saves nothing: {calendar}");
    assert_no_violations(&b, &axe_script(), "the calendar's impact report").await;
    b.click("#admin-calendar-save").await;
    b.eventually("saved", || async { b.text("#admin-calendar-outcome").await.contains("The amendment is saved") }).await;
    let (_, calendar) = app.get(&format!("/api/admin/calendar?year={year}"), Some(&app.login("admin").await)).await;
    assert!(calendar.to_string().contains("ПП РК от 01.12.2026 № 1000"), "{calendar}");
    b.close().await;

    // The new account sees only its college's applications: not the university's.
    let (status, signed_in) = app.post("/api/auth/login", &json!({"login": "kvki.registrar", "password": "correct horse battery"}), None, None).await;
    assert_eq!(status, 200, "{signed_in}");
    let token = signed_in["token"].as_str().unwrap();
    let (status, queue) = app.get("/api/applications", Some(token)).await;
    assert_eq!((status, queue["items"].as_array().map(Vec::len)), (200, Some(0)), "{queue}");
    assert_eq!(app.get(&format!("/api/applications/{id}"), Some(token)).await.0, 403);
    let provider = app.login("provider").await;
    assert_eq!(app.get("/api/applications", Some(&provider)).await.1["items"].as_array().map(Vec::len), Some(1));
}
