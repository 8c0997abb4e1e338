//! Sync: a device's queued items applied once and in order; changes pulled after a cursor.

use serde_json::{json, Value};
use telnuska_tests::server::{valid_application, without_tracking_token};
use telnuska_tests::{Backend, TestApp};

const PHONE: &str = "+77011234567";

fn field_application(accepted_at: &str, iin: &str) -> Value {
    let mut body = valid_application(PHONE, "000000");
    body["channel"] = json!("field");
    body["signature"] = Value::Null;
    body["accepted_at"] = json!(accepted_at);
    body["applicant"]["iin"] = json!(iin);
    body
}

async fn a_retried_push_applies_every_item_once_and_a_bad_item_stops_nothing(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-12-02T16:00:00+05:00")]).await;
    let field = app.login("field").await;
    let mut bad = field_application("2026-11-30T10:00:00+05:00", "010101599904");
    bad["consents"]["personal_data"] = json!(false);
    let push = json!({"device_id": "tablet-7", "items": [
        {"key": "door-1", "kind": "application", "body": field_application("2026-11-30T10:00:00+05:00", "010101599904")},
        {"key": "door-2", "kind": "application", "body": bad},
        {"key": "door-3", "kind": "application", "body": field_application("2026-12-01T11:00:00+05:00", "850315100016")},
    ]});
    let (status, first) = app.post("/api/sync/push", &push, None, Some(&field)).await;
    assert_eq!(status, 200, "{first}");
    let statuses: Vec<u64> = first["results"].as_array().unwrap().iter().map(|r| r["status"].as_u64().unwrap()).collect();
    assert_eq!(statuses, [201, 422, 201]);
    assert_eq!(first["results"][0]["body"]["registered_on"], "2026-11-30", "the door-step time counts");
    assert_eq!(first["results"][1]["body"]["errors"][0]["field"], "consents.personal_data");

    // The device lost the answer and sends the same batch again.
    let (_, second) = app.post("/api/sync/push", &push, None, Some(&field)).await;
    for i in [0, 2] {
        assert_eq!(second["results"][i]["status"], first["results"][i]["status"]);
        assert_eq!(without_tracking_token(&second["results"][i]["body"]), without_tracking_token(&first["results"][i]["body"]), "the same application");
    }
    assert_eq!(app.count_applications().await, 2);
}

async fn actions_can_be_pushed_and_need_a_staff_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.login("operator").await;
    let mut body = valid_application(PHONE, "000000");
    body["channel"] = json!("con");
    body["signature"] = Value::Null;
    let (_, created) = app.post("/api/applications", &body, Some("desk-1"), Some(&operator)).await;
    let id = created["id"].as_str().unwrap();
    let push = json!({"device_id": "desk", "items": [
        {"key": "act-1", "kind": "action", "body": {"application_id": id, "action": "dispatch"}},
        {"key": "act-2", "kind": "action", "body": {"application_id": id, "action": "dispatch"}},
    ]});
    let (_, res) = app.post("/api/sync/push", &push, None, Some(&operator)).await;
    assert_eq!(res["results"][0]["status"], 200, "{res}");
    assert_eq!(res["results"][0]["body"]["status"], "in_transit");
    assert_eq!(res["results"][1]["status"], 409, "a second dispatch is illegal");
    let (_, again) = app.post("/api/sync/push", &push, None, Some(&operator)).await;
    assert_eq!(again["results"][0], res["results"][0], "a replayed key answers as before");
    let (_, anonymous) = app.post("/api/sync/push", &push, None, None).await;
    assert_eq!(anonymous["results"][0]["status"], 401, "even a replay needs the staff token");
}

async fn pull_returns_each_change_once_after_the_cursor_and_only_what_the_caller_may_see(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.login("operator").await;
    let code = app.otp_code(PHONE).await;
    let (_, mine) = app.post("/api/applications", &valid_application(PHONE, &code), Some("p-1"), None).await;
    let mut other = valid_application(PHONE, "000000");
    other["channel"] = json!("con");
    other["signature"] = Value::Null;
    let (_, theirs) = app.post("/api/applications", &other, Some("p-2"), Some(&operator)).await;

    let (status, all) = app.get("/api/sync/pull", Some(&operator)).await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(all["events"].as_array().unwrap().len(), 2);
    let cursor = all["cursor"].as_str().unwrap().to_string();
    let (_, nothing_new) = app.get(&format!("/api/sync/pull?since={cursor}"), Some(&operator)).await;
    assert_eq!(nothing_new["events"].as_array().unwrap().len(), 0);
    assert_eq!(nothing_new["cursor"], cursor.as_str());

    let id = theirs["id"].as_str().unwrap();
    let (s, _) = app.post(&format!("/api/applications/{id}/actions"), &json!({"action": "dispatch"}), Some("d"), Some(&operator)).await;
    assert_eq!(s, 200);
    let (_, next) = app.get(&format!("/api/sync/pull?since={cursor}"), Some(&operator)).await;
    let kinds: Vec<&str> = next["events"].as_array().unwrap().iter().map(|e| e["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["dispatch"]);

    let token = mine["tracking_token"].as_str().unwrap();
    let (_, own) = app.get("/api/sync/pull", Some(token)).await;
    let ids: Vec<&str> = own["events"].as_array().unwrap().iter().map(|e| e["application_id"].as_str().unwrap()).collect();
    assert_eq!(ids, [mine["id"].as_str().unwrap()], "a tracking token sees its own application only");
    let (s, _) = app.get("/api/sync/pull", None).await;
    assert_eq!(s, 401);
    let (s, _) = app.get("/api/sync/pull?since=abc", Some(&operator)).await;
    assert_eq!(s, 422);
}

async fn a_push_answers_the_server_time_and_refuses_acceptance_times_out_of_range(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-12-02T16:00:00+05:00")]).await;
    let field = app.login("field").await;
    let push = json!({"device_id": "tablet-8", "items": [
        // A device clock 5 minutes fast is tolerated; a day fast or 31 days late is not.
        {"key": "skew-ok", "kind": "application", "body": field_application("2026-12-02T16:05:00+05:00", "010101599904")},
        {"key": "future", "kind": "application", "body": field_application("2026-12-03T16:00:00+05:00", "850315100016")},
        {"key": "too-old", "kind": "application", "body": field_application("2026-11-01T15:00:00+05:00", "850315100016")},
    ]});
    let res = app.client.post(app.url("/api/sync/push")).header("Accept-Language", "ru").bearer_auth(&field).json(&push).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let res: Value = res.json().await.unwrap();
    assert_eq!(res["server_time"], "2026-12-02T11:00:00Z", "the device compares its clock with this");
    assert_eq!(res["results"][0]["status"], 201, "{res}");
    for (i, code, text) in [(1, "accepted_at.future", "Проверьте часы устройства"), (2, "accepted_at.too_old", "30 дней")] {
        let error = &res["results"][i]["body"]["errors"][0];
        assert_eq!((res["results"][i]["status"].as_u64(), error["field"].as_str(), error["code"].as_str()), (Some(422), Some("accepted_at"), Some(code)));
        assert!(error["message"].as_str().unwrap().contains(text), "{error}");
    }
    assert_eq!(app.count_applications().await, 1);
}

crate::on_both_backends!(
    a_push_answers_the_server_time_and_refuses_acceptance_times_out_of_range,
    a_retried_push_applies_every_item_once_and_a_bad_item_stops_nothing,
    actions_can_be_pushed_and_need_a_staff_token,
    pull_returns_each_change_once_after_the_cursor_and_only_what_the_caller_may_see,
);
