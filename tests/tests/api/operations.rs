//! Operations: online backup and restore, and the hash-chain verification that catches tampering.

use serde_json::{json, Value};
use sqlx::Connection;
use telnuska_tests::server::{desk_application, TempDir};
use telnuska_tests::{Backend, TestApp};

async fn desk_submission(app: &TestApp, key: &str) -> Value {
    app.submit_at_desk(key, &desk_application()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_online_backup_restores_to_the_moment_it_was_taken() {
    let dir = TempDir::new("telnuska-backup");
    let backup = dir.0.join("backup.db");
    let mut app = TestApp::spawn(Backend::Sqlite).await;
    let first = desk_submission(&app, "one").await;
    let (ok, out) = app.run_command(&["backup", backup.to_str().unwrap()]);
    assert!(ok, "backup while the server runs: {out}");
    desk_submission(&app, "two").await;
    assert_eq!(app.count_applications().await, 2);
    app.kill();
    let (ok, out) = app.run_command(&["restore", backup.to_str().unwrap()]);
    assert!(ok, "{out}");
    let app = app.restart_with(&[]);
    assert_eq!(app.count_applications().await, 1);
    let operator = app.login("operator").await;
    let (status, _) = app.get(&format!("/api/applications/{}", first["id"].as_str().unwrap()), Some(&operator)).await;
    assert_eq!(status, 200);
    let (ok, out) = app.run_command(&["verify"]);
    assert!(ok, "{out}");
    let garbage = dir.0.join("garbage.db");
    std::fs::write(&garbage, b"not a database").unwrap();
    let (ok, _) = app.run_command(&["restore", garbage.to_str().unwrap()]);
    assert!(!ok, "a broken backup is refused");
    assert_eq!(app.count_applications().await, 1, "and the live database is untouched");
}

async fn verify_catches_a_changed_event(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let created = desk_submission(&app, "tamper").await;
    let operator = app.login("operator").await;
    let id = created["id"].as_str().unwrap();
    let (s, _) = app.post(&format!("/api/applications/{id}/actions"), &json!({"action": "dispatch"}), Some("d1"), Some(&operator)).await;
    assert_eq!(s, 200);
    let (ok, out) = app.run_command(&["verify"]);
    assert!(ok, "{out}");
    assert!(out.contains("2 events"), "{out}");

    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(app.database_url()).await.unwrap();
    sqlx::query("UPDATE application_events SET note = 'quietly changed' WHERE kind = 'dispatch'").execute(&mut conn).await.unwrap();
    conn.close().await.unwrap();
    let (ok, out) = app.run_command(&["verify"]);
    assert!(!ok, "tampering must be reported: {out}");
    assert!(out.contains(id), "{out}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn backup_on_postgres_points_to_pg_dump() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let (ok, out) = app.run_command(&["backup", "/tmp/never-written.dump"]);
    assert!(!ok);
    assert!(out.contains("pg_dump"), "{out}");
}

/// Runs `statements` on the server's database directly, as someone with the database file would.
async fn tamper(app: &TestApp, statements: &[&str]) {
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(app.database_url()).await.unwrap();
    for statement in statements {
        sqlx::query(statement).execute(&mut conn).await.unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
    conn.close().await.unwrap();
}

/// Three applications at the desk, one of them dispatched; `verify` finds them sound.
async fn three_sound_applications(app: &TestApp) -> Vec<String> {
    let mut ids = Vec::new();
    for key in ["one", "two", "three"] {
        ids.push(desk_submission(app, key).await["id"].as_str().unwrap().to_string());
    }
    let operator = app.login("operator").await;
    let (s, _) = app.post(&format!("/api/applications/{}/actions", ids[1]), &json!({"action": "dispatch"}), Some("d1"), Some(&operator)).await;
    assert_eq!(s, 200);
    let (ok, out) = app.run_command(&["verify"]);
    assert!(ok && out.contains("4 events"), "{out}");
    ids
}

/// Editing an application's own row (its status, or the name inside its request) with the
/// events untouched is found by replaying the events against the row.
async fn verify_catches_a_changed_application_row(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ids = three_sound_applications(&app).await;
    tamper(&app, &[&format!("UPDATE applications SET status = 'issued' WHERE id = '{}'", ids[0])]).await;
    let (ok, out) = app.run_command(&["verify"]);
    assert!(!ok, "a changed status must be reported: {out}");
    assert!(out.contains(&ids[0]) && out.contains("status"), "{out}");
    tamper(
        &app,
        &[
            &format!("UPDATE applications SET status = 'submitted' WHERE id = '{}'", ids[0]),
            &format!("UPDATE applications SET request_json = REPLACE(request_json, 'Сейітқали', 'Иванов') WHERE id = '{}'", ids[2]),
        ],
    )
    .await;
    let (ok, out) = app.run_command(&["verify"]);
    assert!(!ok, "a changed request must be reported: {out}");
    assert!(out.contains(&ids[2]) && out.contains("request_json") && !out.contains(&ids[0]), "{out}");
}

/// Deleting a whole application with all its events leaves a gap in the log-wide chain; cutting
/// off the newest events leaves the log short of its counter.
async fn verify_catches_a_deleted_application(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ids = three_sound_applications(&app).await;
    tamper(
        &app,
        &[&format!("DELETE FROM application_events WHERE application_id = '{}'", ids[0]), &format!("DELETE FROM applications WHERE id = '{}'", ids[0])],
    )
    .await;
    let (ok, out) = app.run_command(&["verify"]);
    assert!(!ok, "a deleted application must be reported: {out}");
    assert!(out.contains("log-wide chain") && out.contains("changed"), "{out}");

    let app = TestApp::spawn(backend).await;
    let ids = three_sound_applications(&app).await;
    tamper(
        &app,
        &[&format!("DELETE FROM application_events WHERE application_id = '{}'", ids[2]), &format!("DELETE FROM applications WHERE id = '{}'", ids[2])],
    )
    .await;
    let (ok, out) = app.run_command(&["verify"]);
    assert!(!ok, "an application deleted from the middle of the log must be reported: {out}");
    assert!(out.contains("missing_events"), "{out}");

    // The newest event removed and its application's row put back as it was before it.
    let app = TestApp::spawn(backend).await;
    let ids = three_sound_applications(&app).await;
    tamper(
        &app,
        &[
            &format!("DELETE FROM application_events WHERE application_id = '{}' AND kind = 'dispatch'", ids[1]),
            &format!("UPDATE applications SET status = 'submitted' WHERE id = '{}'", ids[1]),
        ],
    )
    .await;
    let (ok, out) = app.run_command(&["verify"]);
    assert!(!ok, "a log cut short must be reported: {out}");
    assert!(out.contains("tail_missing"), "{out}");
}

/// The heads printed on courier registers anchor the log: `verify --anchor` checks the log still
/// carries each one, and says which event does not.
async fn verify_holds_the_log_to_the_heads_printed_on_paper(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    three_sound_applications(&app).await;
    let (cursor, hash): (i64, String) =
        sqlx::query_as("SELECT cursor, log_hash FROM application_events ORDER BY cursor DESC LIMIT 1").fetch_one(&app.database().await).await.unwrap();
    let printed = format!("{cursor}:{hash}");
    let (ok, out) = app.run_command(&["verify", "--anchor", &printed]);
    assert!(ok, "the log as printed: {out}");

    let other = format!("{cursor}:{}", "0".repeat(64));
    let (ok, out) = app.run_command(&["verify", "--anchor", &printed, "--anchor", &other]);
    assert!(!ok && out.contains(&format!("event {cursor} carries {hash}")), "a log that is not the one printed: {out}");
    let (ok, out) = app.run_command(&["verify", "--anchor", &format!("{}:{hash}", cursor + 100)]);
    assert!(!ok && out.contains("missing"), "an event printed and gone: {out}");
    let (ok, out) = app.run_command(&["verify", "--anchor", "12"]);
    assert!(!ok && out.contains("CURSOR:SHA256"), "{out}");
}

crate::on_both_backends!(
    verify_catches_a_changed_event,
    verify_catches_a_changed_application_row,
    verify_catches_a_deleted_application,
    verify_holds_the_log_to_the_heads_printed_on_paper
);
