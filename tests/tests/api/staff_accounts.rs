//! Staff accounts: demo accounts die with demo mode, guessing a password slows down only the
//! guesser's own address, limits hold under a burst, administrators can disable an account, reset
//! its password and end its sessions, and an idle session ends.

use serde_json::{json, Value};
use telnuska_tests::{Backend, TestApp};

const NOT_DEMO: [(&str, &str); 2] = [("TELNUSKA_DEMO", "0"), ("TELNUSKA_PUBLIC_URL", "https://telnuska.example")];

async fn login_from(app: &TestApp, address: &str, login: &str, password: &str) -> (u16, Value) {
    let res = app
        .client
        .post(app.url("/api/auth/login"))
        .header("X-Forwarded-For", address)
        .json(&json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn demo_accounts_are_refused_once_demo_mode_is_off(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = app.login("admin").await;
    let app = app.restart_with(&NOT_DEMO);
    let (status, body) = app.post("/api/auth/login", &json!({"login": "admin", "password": "demo-password"}), None, None).await;
    assert_eq!(status, 401, "{body}");
    let (status, _) = app.get("/api/applications", Some(&token)).await;
    assert_eq!(status, 401, "a session opened in demo mode ends with it");
}

async fn demo_accounts_seeded_before_they_were_marked_are_refused_too(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let db = app.database().await;
    sqlx::query("UPDATE staff SET demo = 0").execute(&db).await.unwrap();
    db.close().await;
    let app = app.restart_with(&NOT_DEMO);
    let (status, body) = app.post("/api/auth/login", &json!({"login": "operator", "password": "demo-password"}), None, None).await;
    assert_eq!(status, 401, "{body}");
}

async fn an_attackers_failures_from_one_address_do_not_lock_the_owner_out_from_another(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_TRUST_PROXY", "1")]).await;
    let mut statuses = Vec::new();
    for _ in 0..8 {
        statuses.push(login_from(&app, "198.51.100.66", "admin", "guess-guess-guess").await.0);
    }
    assert_eq!(statuses[..3], [401, 401, 401], "{statuses:?}");
    assert!(statuses[3..].iter().all(|s| *s == 429), "the guesser waits longer and longer: {statuses:?}");
    let (status, body) = login_from(&app, "203.0.113.10", "admin", "demo-password").await;
    assert_eq!(status, 200, "the owner signs in from an address that has not failed: {body}");
    let (status, _) = login_from(&app, "198.51.100.66", "admin", "demo-password").await;
    assert_eq!(status, 429, "the guesser's address still waits");
}

async fn parallel_wrong_passwords_never_get_more_checks_than_the_limit(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let handles: Vec<_> = (0..40)
        .map(|_| {
            let (client, url) = (app.client.clone(), app.url("/api/auth/login"));
            tokio::spawn(async move { client.post(url).json(&json!({"login": "operator", "password": "guess-guess"})).send().await.unwrap().status().as_u16() })
        })
        .collect();
    let mut statuses = Vec::new();
    for handle in handles {
        statuses.push(handle.await.unwrap());
    }
    let checked = statuses.iter().filter(|s| **s == 401).count();
    assert!(checked <= 3, "{checked} passwords were checked against a limit of 3: {statuses:?}");
    assert!(statuses.iter().all(|s| *s == 401 || *s == 429), "{statuses:?}");
}

async fn sign_in(app: &TestApp, login: &str, password: &str) -> (u16, String) {
    let (status, body) = app.post("/api/auth/login", &json!({"login": login, "password": password}), None, None).await;
    (status, body["token"].as_str().unwrap_or_default().to_string())
}

/// The status of reading the work queue with `token`.
async fn queue(app: &TestApp, token: &str) -> u16 {
    app.get("/api/applications", Some(token)).await.0
}

async fn an_admin_disables_an_account_resets_its_password_and_ends_its_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let staff = json!({"login": "desk.ivanova", "password": "correct horse battery", "role": "operator", "full_name": "Иванова А."});
    assert_eq!(app.post("/api/admin/staff", &staff, None, Some(&admin)).await.0, 201);

    let (_, first) = sign_in(&app, "desk.ivanova", "correct horse battery").await;
    let res = app.client.delete(app.url("/api/admin/staff/desk.ivanova/sessions")).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["ended"], 1);
    assert_eq!(queue(&app, &first).await, 401, "sessions ended");

    let (_, second) = sign_in(&app, "desk.ivanova", "correct horse battery").await;
    let reset = |body: Value| app.client.put(app.url("/api/admin/staff/desk.ivanova/password")).bearer_auth(&admin).json(&body).send();
    assert_eq!(reset(json!({"password": "short"})).await.unwrap().status(), 422);
    assert_eq!(reset(json!({"password": "a brand new passphrase"})).await.unwrap().status(), 204);
    assert_eq!(queue(&app, &second).await, 401, "a reset ends the sessions");
    assert_eq!(sign_in(&app, "desk.ivanova", "correct horse battery").await.0, 401);
    let (status, third) = sign_in(&app, "desk.ivanova", "a brand new passphrase").await;
    assert_eq!(status, 200);

    let disable =
        |disabled: bool| app.client.put(app.url("/api/admin/staff/desk.ivanova/disabled")).bearer_auth(&admin).json(&json!({ "disabled": disabled })).send();
    assert_eq!(disable(true).await.unwrap().status(), 200);
    assert_eq!(queue(&app, &third).await, 401, "disabling ends the sessions");
    assert_eq!(sign_in(&app, "desk.ivanova", "a brand new passphrase").await.0, 401, "a disabled account cannot sign in");
    assert_eq!(disable(false).await.unwrap().status(), 200);
    assert_eq!(sign_in(&app, "desk.ivanova", "a brand new passphrase").await.0, 200);

    let operator = app.login("operator").await;
    let res = app.client.put(app.url("/api/admin/staff/admin/disabled")).bearer_auth(&operator).json(&json!({"disabled": true})).send().await.unwrap();
    assert_eq!(res.status(), 403, "administrators only");
    let res = app.client.put(app.url("/api/admin/staff/nobody/disabled")).bearer_auth(&admin).json(&json!({"disabled": true})).send().await.unwrap();
    assert_eq!(res.status(), 404);
}

async fn a_session_unused_for_half_an_hour_ends(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-12-01T10:00:00+05:00")]).await;
    let token = app.login("operator").await;
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-01T10:25:00+05:00")]);
    assert_eq!(app.get("/api/applications", Some(&token)).await.0, 200, "used within 30 minutes");
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-01T10:50:00+05:00")]);
    assert_eq!(app.get("/api/applications", Some(&token)).await.0, 200, "each use restarts the idle time");
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-01T11:21:00+05:00")]);
    assert_eq!(app.get("/api/applications", Some(&token)).await.0, 401, "31 minutes idle");
}

/// The field worker signs in in the morning and syncs in the evening: hours offline do not end
/// the shift's session (the device locks itself behind the PIN), the shift's end does.
async fn a_field_workers_session_outlives_a_day_offline_until_the_shift_ends(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-12-01T08:00:00+05:00")]).await;
    let token = app.login("field").await;
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-01T14:00:00+05:00")]);
    app.run_jobs().await;
    assert_eq!(app.get("/api/sync/pull", Some(&token)).await.0, 200, "six hours offline, the sessions' clean-up run meanwhile");
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-01T20:01:00+05:00")]);
    assert_eq!(app.get("/api/sync/pull", Some(&token)).await.0, 401, "past the 12-hour shift");
}

/// Runs `telnuska-server create-admin LOGIN` on the app's database with `password` on stdin.
fn create_admin(app: &TestApp, login: &str, password: &str) -> (bool, String) {
    use std::io::Write;
    let mut child = std::process::Command::new(telnuska_tests::server::server_bin())
        .args(["create-admin", login])
        .env("DATABASE_URL", app.database_url())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

async fn the_first_administrator_is_made_on_the_command_line_with_the_password_on_stdin(backend: Backend) {
    let app = TestApp::spawn_with(backend, &NOT_DEMO).await;
    let (ok, out) = create_admin(&app, "root", "short");
    assert!(!ok, "{out}");
    let (ok, out) = create_admin(&app, "root", "a long first admin passphrase");
    assert!(ok, "{out}");
    assert!(!out.contains("passphrase"), "{out}");
    let (status, body) = app.post("/api/auth/login", &json!({"login": "root", "password": "a long first admin passphrase"}), None, None).await;
    assert_eq!((status, body["role"].as_str()), (200, Some("admin")), "{body}");
    let (ok, out) = create_admin(&app, "root", "another long passphrase");
    assert!(!ok && out.contains("taken"), "{out}");
}

crate::on_both_backends!(
    the_first_administrator_is_made_on_the_command_line_with_the_password_on_stdin,
    demo_accounts_are_refused_once_demo_mode_is_off,
    demo_accounts_seeded_before_they_were_marked_are_refused_too,
    an_attackers_failures_from_one_address_do_not_lock_the_owner_out_from_another,
    parallel_wrong_passwords_never_get_more_checks_than_the_limit,
    an_admin_disables_an_account_resets_its_password_and_ends_its_sessions,
    a_session_unused_for_half_an_hour_ends,
    a_field_workers_session_outlives_a_day_offline_until_the_shift_ends,
);
