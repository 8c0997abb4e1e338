//! The staff work queue: soonest deadline first, filters, and pages that never skip or repeat.

use serde_json::{json, Value};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

async fn submit(app: &TestApp, key: &str) -> Value {
    app.submit_at_desk(key, &desk_application()).await
}

fn numbers(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|a| a["number"].as_str().unwrap().to_string()).collect()
}

async fn the_queue_is_ordered_by_deadline_filtered_and_paged(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-12-03T10:00:00+05:00")]).await;
    let late = submit(&app, "q-late").await;
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-01T10:00:00+05:00")]);
    let early = submit(&app, "q-early").await;
    let also_early = submit(&app, "q-also-early").await;
    let operator = app.login("operator").await;

    let (_, all) = app.get("/api/applications", Some(&operator)).await;
    let order = numbers(&all);
    assert_eq!(order.len(), 3);
    assert_eq!(order[2], late["number"].as_str().unwrap(), "soonest deadline first: {order:?}");

    let (_, first) = app.get("/api/applications?limit=2", Some(&operator)).await;
    let cursor = first["next_cursor"].as_str().expect("a second page").replace('|', "%7C");
    let (_, second) = app.get(&format!("/api/applications?limit=2&cursor={cursor}"), Some(&operator)).await;
    assert!(second["next_cursor"].is_null());
    let paged: Vec<String> = numbers(&first).into_iter().chain(numbers(&second)).collect();
    assert_eq!(paged, order, "pages neither skip nor repeat");

    let id = early["id"].as_str().unwrap();
    let (s, _) = app.post(&format!("/api/applications/{id}/actions"), &json!({"action": "dispatch"}), Some("q-d"), Some(&operator)).await;
    assert_eq!(s, 200);
    let (_, moving) = app.get("/api/applications?status=in_transit", Some(&operator)).await;
    assert_eq!(numbers(&moving), [early["number"].as_str().unwrap()]);
    let due = also_early["due_on"].as_str().unwrap();
    let (_, soon) = app.get(&format!("/api/applications?due_before={}", late["due_on"].as_str().unwrap()), Some(&operator)).await;
    assert_eq!(numbers(&soon).len(), 2, "due before {due}…");
    // The filter's choices: every institution with applications, once each, in order.
    assert_eq!(all["institutions"], json!(["kaznmu"]));
    let mut elsewhere = desk_application();
    elsewhere["documents"][0]["institution"] = json!("kaznu");
    app.submit_at_desk("q-kaznu", &elsewhere).await;
    let (_, all) = app.get("/api/applications", Some(&operator)).await;
    assert_eq!(all["institutions"], json!(["kaznmu", "kaznu"]));
    let (status, p) = app.get("/api/applications?status=flying", Some(&operator)).await;
    assert_eq!((status, p["errors"][0]["field"].as_str()), (422, Some("status")));
}

crate::on_both_backends!(the_queue_is_ordered_by_deadline_filtered_and_paged);
