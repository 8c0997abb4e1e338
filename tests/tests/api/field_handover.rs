//! A hand-over done offline at the applicant's home (issue 18): the field device pushes it as an
//! action item with its own time and the stage it saw; the server records it at its own time with
//! the device's kept beside it, refuses a device time out of range, and explains an application
//! that moved on meanwhile (handed over at the ЦОН counter) instead of applying it; a replayed key
//! answers as before and records nothing twice.

use serde_json::{json, Value};
use telnuska_tests::server::{desk_application, valid_application};
use telnuska_tests::{Backend, TestApp};

use crate::desk_courier::act;

const NOW: &str = "2026-12-02T16:00:00+05:00";
const HANDED_AT: &str = "2026-12-02T14:30:00+05:00";

/// An application the field worker accepted at the door, now waiting at ЦОН; its id.
async fn field_result_at_con(app: &TestApp, key: &str, body: Value) -> String {
    let (status, created) = app.post("/api/applications", &body, Some(key), Some(&app.login(body_role(&body)).await)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap().to_string();
    act(app, &id, "operator", "dispatch").await;
    for action in ["register", "start_review", "approve"] {
        act(app, &id, "provider", action).await;
    }
    assert_eq!(act(app, &id, "operator", "deliver_to_con").await["status"], "at_con");
    id
}

fn body_role(body: &Value) -> &'static str {
    if body["channel"] == "field" {
        "field"
    } else {
        "operator"
    }
}

fn accepted_at_home() -> Value {
    let mut body = valid_application("+77011234567", "000000");
    body["channel"] = json!("field");
    body["signature"] = Value::Null;
    body["accepted_at"] = json!("2026-11-20T11:00:00+05:00");
    body
}

/// The push of one hand-over at home, done at `performed_at` by the device's clock.
fn hand_over_item(key: &str, id: &str, performed_at: Option<&str>, presented: bool) -> Value {
    let mut body = json!({"application_id": id, "action": "hand_over", "expected_status": "at_con"});
    if let Some(at) = performed_at {
        body["performed_at"] = json!(at);
    }
    if presented {
        body["presented"] = json!({"kind": "identity", "document_type": "identity_card", "number": "0123 45678"});
    }
    json!({"device_id": "tablet-18", "items": [{"key": key, "kind": "action", "body": body}]})
}

/// Pushes as the field worker in `lang`; the one item's status and body.
async fn push(app: &TestApp, lang: &str, push: &Value) -> (u64, Value) {
    let token = app.login("field").await;
    let res = app.client.post(app.url("/api/sync/push")).header("Accept-Language", lang).bearer_auth(&token).json(push).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res: Value = res.json().await.unwrap();
    (res["results"][0]["status"].as_u64().unwrap(), res["results"][0]["body"].clone())
}

async fn events(app: &TestApp, id: &str) -> Vec<Value> {
    let (status, view) = app.get(&format!("/api/applications/{id}/staff"), Some(&app.login("operator").await)).await;
    assert_eq!(status, 200, "{view}");
    view["events"].as_array().unwrap().clone()
}

async fn a_hand_over_at_home_is_recorded_at_the_servers_time_with_the_device_time_beside_it(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let id = field_result_at_con(&app, "home-a", accepted_at_home()).await;
    let item = hand_over_item("home-1", &id, Some(HANDED_AT), true);
    let (status, body) = push(&app, "en", &item).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "issued");
    let last = body["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["at"].as_str(), last["performed_at"].as_str(), last["by_role"].as_str()),
        (Some("2026-12-02T11:00:00Z"), Some("2026-12-02T09:30:00Z"), Some("field"))
    );
    assert!(last["note"].as_str().unwrap().contains("012345678"), "the document shown: {last}");
    let recorded = events(&app, &id).await;
    let handed = recorded.last().unwrap();
    assert_eq!((handed["kind"].as_str(), handed["performed_at"].as_str()), (Some("hand_over"), Some("2026-12-02T09:30:00Z")), "the staff history shows both");

    // The answer was lost; the device sends the same item again: the same answer, no second event.
    let (again_status, again) = push(&app, "en", &item).await;
    assert_eq!((again_status, &again), (200, &body));
    assert_eq!(events(&app, &id).await.len(), recorded.len());
    // The same key with another body is another request.
    let (status, other) = push(&app, "en", &hand_over_item("home-1", &id, Some("2026-12-02T14:40:00+05:00"), true)).await;
    assert_eq!((status, other["code"].as_str()), (409, Some("idempotency.conflict")), "{other}");
    // Without a device time the server's alone is shown.
    assert!(body["history"].as_array().unwrap().iter().rev().skip(1).all(|e| e.get("performed_at").is_none()), "{body}");
}

async fn device_times_out_of_range_and_a_hand_over_without_a_document_are_refused(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let id = field_result_at_con(&app, "home-b", accepted_at_home()).await;
    for (key, at, code, text) in [
        ("ahead", "2026-12-03T16:00:00+05:00", "performed_at.future", "Проверьте часы устройства"),
        ("old", "2026-11-01T15:00:00+05:00", "performed_at.too_old", "30 дней"),
    ] {
        let (status, body) = push(&app, "ru", &hand_over_item(key, &id, Some(at), true)).await;
        let error = &body["errors"][0];
        assert_eq!((status, error["field"].as_str(), error["code"].as_str()), (422, Some("performed_at"), Some(code)), "{body}");
        assert!(error["message"].as_str().unwrap().contains(text), "{error}");
    }
    let (status, body) = push(&app, "en", &hand_over_item("no-document", &id, Some(HANDED_AT), false)).await;
    assert_eq!((status, body["errors"][0]["field"].as_str(), body["errors"][0]["code"].as_str()), (422, Some("presented"), Some("required")), "{body}");
    assert_eq!(events(&app, &id).await.last().unwrap()["status"], "at_con", "nothing applied");

    // A result the ЦОН's own counter accepted is not the field worker's to take home.
    let desk = field_result_at_con(&app, "desk-b", desk_application()).await;
    let (status, body) = push(&app, "en", &hand_over_item("not-mine", &desk, Some(HANDED_AT), true)).await;
    assert_eq!(status, 403, "{body}");
}

async fn a_hand_over_after_the_application_moved_on_is_explained_and_never_applied(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", NOW)]).await;
    let id = field_result_at_con(&app, "home-c", accepted_at_home()).await;
    // Meanwhile the applicant's representative collected it at the ЦОН counter.
    let shown = json!({"kind": "identity", "document_type": "passport", "number": "N1234567"});
    let (status, issued) = app.post(&format!("/api/desk/hand-over/{id}"), &shown, None, Some(&app.login("operator").await)).await;
    assert_eq!((status, issued["status"].as_str()), (200, Some("issued")), "{issued}");
    let before = events(&app, &id).await;

    let item = hand_over_item("home-late", &id, Some(HANDED_AT), true);
    let (status, body) = push(&app, "en", &item).await;
    assert_eq!((status, body["code"].as_str()), (409, Some("sync.stale")), "{body}");
    let title = body["title"].as_str().unwrap();
    for said in ["Not recorded", "Hand over", "02.12.2026 16:00", "Collected"] {
        assert!(title.contains(said), "{said:?} in {title}");
    }
    assert_eq!(body["current"]["status"], "issued", "the fresh state comes with it");
    let (_, russian) = push(&app, "ru", &item).await;
    assert!(russian["title"].as_str().unwrap().starts_with("Действие не записано"), "{russian}");
    // Sent again (the answer lost): the same explanation, nothing recorded.
    let (again_status, again) = push(&app, "en", &item).await;
    assert_eq!((again_status, &again), (409, &body));
    assert_eq!(events(&app, &id).await.len(), before.len(), "one hand-over only");
}

crate::on_both_backends!(
    a_hand_over_at_home_is_recorded_at_the_servers_time_with_the_device_time_beside_it,
    device_times_out_of_range_and_a_hand_over_without_a_document_are_refused,
    a_hand_over_after_the_application_moved_on_is_explained_and_never_applied,
);
