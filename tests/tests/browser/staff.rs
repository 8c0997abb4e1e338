//! The staff bundle: its own page under `/staff`, a login that explains a wrong password, the
//! session shown and ended, a download per role's page, and none of it in the citizen's.

use telnuska_tests::browser::Browser;
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};

/// Signs in at `/staff` as the demo account `login`.
pub async fn sign_in(b: &Browser, app: &TestApp, login: &str) {
    b.open(&app.url("/staff")).await;
    b.type_into("#staff-login-name", login).await;
    b.type_into("#staff-login-password", "demo-password").await;
    b.click("#staff-login-submit").await;
    b.wait_for("#staff-session").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_sign_in_with_their_password_see_their_session_and_sign_out() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/staff")).await;
    b.click("#lang-en").await;
    b.eventually("the login form in English", || async { b.text("#staff-login-title").await == "Sign in" }).await;
    assert_no_violations(&b, &axe_script(), "the staff login").await;

    b.click("#staff-login-submit").await;
    b.eventually("an empty form explained", || async { b.text("#staff-login-error").await.contains("Enter your login and your password") }).await;
    b.type_into("#staff-login-name", "provider").await;
    b.type_into("#staff-login-password", "not-the-password").await;
    b.click("#staff-login-submit").await;
    b.eventually("a wrong password explained", || async { b.text("#staff-login-error").await.contains("wrong") }).await;
    assert_eq!(b.script("return document.activeElement.id").await, "staff-login-error");

    b.script("document.getElementById('staff-login-password').value = ''").await;
    b.type_into("#staff-login-password", "demo-password").await;
    b.click("#staff-login-submit").await;
    b.eventually("signed in", || async { b.text("#staff-session").await.starts_with("provider: signed in until") }).await;
    assert!(b.text(".staff-role").await.contains("Institution staff"));
    assert_no_violations(&b, &axe_script(), "the staff home").await;

    // A reload keeps the session (this tab's storage); signing out ends it on the server too.
    b.open(&app.url("/staff")).await;
    b.wait_for("#staff-session").await;
    let token = b.script("return JSON.parse(sessionStorage.getItem('telnuska.staff.session')).token").await;
    b.click("#staff-logout").await;
    b.wait_for("#staff-login").await;
    assert_eq!(b.script("return sessionStorage.getItem('telnuska.staff.session')").await, serde_json::Value::Null);
    let (status, _) = app.get("/api/applications", token.as_str()).await;
    assert_eq!(status, 401, "the token no longer works");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_session_brings_back_the_login_and_says_why() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    sign_in(&b, &app, "operator").await;
    b.click("#lang-en").await;
    // The token ends on the server and, moments later, on the device: the login comes back.
    let token = b.script("return JSON.parse(sessionStorage.getItem('telnuska.staff.session')).token").await;
    let (status, _) = app.post("/api/auth/logout", &serde_json::json!({}), None, token.as_str()).await;
    assert_eq!(status, 204);
    b.script("sessionStorage.setItem('telnuska.staff.session', JSON.stringify(Object.assign(JSON.parse(sessionStorage.getItem('telnuska.staff.session')), { expires_at: new Date(Date.now() + 1500).toISOString() })))").await;
    b.open(&app.url("/staff")).await;
    b.eventually("the session ended", || async { b.text("#staff-session-ended").await.contains("Your session has ended") }).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_role_s_page_loads_its_own_download_and_the_citizen_s_none_of_the_staff_s() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let wasm_of = |path: &'static str| {
        let app = &app;
        async move {
            let page = reqwest::get(app.url(path)).await.unwrap().text().await.unwrap();
            let wasm = page.split('"').find(|s| s.ends_with(".wasm")).map(str::to_string).unwrap_or_else(|| panic!("a wasm preload in {path}: {page}"));
            (page, wasm)
        }
    };
    let (citizen, wasm) = wasm_of("/").await;
    assert!(wasm.contains("/app_bg-"), "{citizen}");
    assert!(!citizen.contains("staff"), "the citizen's page names no staff file");
    assert!(wasm_of("/track/TN-2026-000001").await.1.contains("/app_bg-"));
    for (path, entry) in [
        ("/staff", "staff"),
        ("/staff/queue/abc", "staff"),
        ("/staff/oversight", "staff"),
        ("/staff/desk/shelf", "desk"),
        ("/staff/desk/shelf/abc", "desk"),
        ("/staff/field", "field"),
        ("/kiosk", "kiosk"),
    ] {
        let (page, wasm) = wasm_of(path).await;
        assert!(wasm.contains(&format!("/{entry}_bg-")), "{path} boots {entry}: {page}");
    }
}
