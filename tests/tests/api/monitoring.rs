//! Each stage reaches the state monitoring system exactly once, in order, also when the system
//! was down for a while; staff see whether each stage was reported.

use serde_json::{json, Value};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use std::sync::atomic::{AtomicUsize, Ordering};

use telnuska_tests::fake_service::FakeService;

use crate::workflow::expect_status;

/// The application's stages as a staff member sees them.
async fn monitoring(app: &TestApp, id: &str) -> Vec<Value> {
    let operator = app.login("operator").await;
    let (status, view) = app.get(&format!("/api/applications/{id}"), Some(&operator)).await;
    assert_eq!(status, 200, "{view}");
    view["monitoring"].as_array().cloned().unwrap_or_default()
}

fn states(stages: &[Value]) -> Vec<&str> {
    stages.iter().map(|s| s["state"].as_str().unwrap()).collect()
}

async fn each_stage_reaches_the_monitoring_system_once_also_after_it_was_down(backend: Backend) {
    // The system answers 503 to its first two requests, then takes everything.
    let served = AtomicUsize::new(0);
    let fake = FakeService::start(move |_| (if served.fetch_add(1, Ordering::SeqCst) < 2 { 503 } else { 200 }, String::new())).await;
    let url = format!("{}/stages", fake.url);
    let at = |now: &'static str| [("TELNUSKA_MONITORING_URL", url.as_str()), ("TELNUSKA_MONITORING_KEY", "mon-key"), ("TELNUSKA_NOW", now)];
    let app = TestApp::spawn_with(backend, &at("2026-11-30T10:00:00+05:00")).await;
    let id = app.submit_at_desk("monitored", &desk_application()).await["id"].as_str().unwrap().to_string();
    expect_status(&app, &id, "operator", json!({"action": "dispatch"}), "in_transit").await;

    let report = app.run_jobs().await;
    assert_eq!((report["monitoring"]["sent"].as_u64(), report["monitoring"]["retrying"].as_u64()), (Some(0), Some(1)), "{report}");
    assert_eq!(app.run_jobs().await["monitoring"]["retrying"], 0, "the next try waits for its backoff");
    assert_eq!(states(&monitoring(&app, &id).await), ["waiting", "waiting"]);

    let app = app.restart_with(&at("2026-11-30T10:02:00+05:00"));
    assert_eq!(app.run_jobs().await["monitoring"]["retrying"], 1, "down still");
    let app = app.restart_with(&at("2026-11-30T10:10:00+05:00"));
    assert_eq!(app.run_jobs().await["monitoring"]["sent"], 2, "both waiting stages, once the system is back");
    for (who, action, status) in [("provider", "register", "registered"), ("provider", "start_review", "in_review")] {
        expect_status(&app, &id, who, json!({ "action": action }), status).await;
    }
    assert_eq!(app.run_jobs().await["monitoring"]["sent"], 2);
    assert_eq!(app.run_jobs().await["monitoring"]["sent"], 0, "nothing twice");

    let stages = monitoring(&app, &id).await;
    assert_eq!(states(&stages), ["reported"; 4]);
    assert!(stages.iter().all(|s| s["reported_at"].is_string()), "{stages:?}");
    let bodies: Vec<Value> = fake.bodies().iter().map(|b| serde_json::from_str(b).unwrap()).collect();
    assert_eq!(bodies.len(), 6, "two refused tries, then four stages");
    let taken = &bodies[2..];
    let statuses: Vec<&str> = taken.iter().map(|b| b["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["submitted", "in_transit", "registered", "in_review"], "each stage once, in order");
    let mut events: Vec<i64> = taken.iter().map(|b| b["event"].as_i64().unwrap()).collect();
    events.dedup();
    assert_eq!(events.len(), 4, "{taken:?}");
    assert!(taken.iter().all(|b| b["institution"] == "kaznmu" && b["service"] == "higher_duplicate" && b["application"].is_string()), "{taken:?}");
    assert_eq!(bodies[0]["event"], bodies[2]["event"], "the refused stage was the first one retried");
}

async fn the_demo_sink_takes_every_stage(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = app.submit_at_desk("demo-monitored", &desk_application()).await["id"].as_str().unwrap().to_string();
    assert_eq!(states(&monitoring(&app, &id).await), ["waiting"]);
    assert_eq!(app.run_jobs().await["monitoring"]["sent"], 1);
    assert_eq!(states(&monitoring(&app, &id).await), ["reported"]);
}

crate::on_both_backends!(each_stage_reaches_the_monitoring_system_once_also_after_it_was_down, the_demo_sink_takes_every_stage);
