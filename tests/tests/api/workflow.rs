//! The workflow through the API: every state, the hearing rules, the one-month return, and
//! which role may do what.

use serde_json::{json, Value};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

/// Submits an application at a ЦОН desk (no SMS code needed) and returns its id.
async fn submit_at_con(app: &TestApp, key: &str) -> String {
    app.submit_at_desk(key, &desk_application()).await["id"].as_str().unwrap().to_string()
}

pub(crate) async fn act(app: &TestApp, id: &str, who: &str, action: Value) -> (u16, Value) {
    let token = app.login(who).await;
    app.post(&format!("/api/applications/{id}/actions"), &action, Some(&uuid::Uuid::new_v4().to_string()), Some(&token)).await
}

pub(crate) async fn expect_status(app: &TestApp, id: &str, who: &str, action: Value, status: &str) {
    let (code, view) = act(app, id, who, action.clone()).await;
    assert_eq!(code, 200, "{who} {action}: {view}");
    assert_eq!(view["status"], status, "{view}");
}

async fn an_application_goes_from_the_desk_to_the_applicants_hands(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let id = submit_at_con(&app, "life").await;
    for (who, action, status) in [
        ("operator", "dispatch", "in_transit"),
        ("provider", "register", "registered"),
        ("provider", "start_review", "in_review"),
        ("provider", "approve", "ready"),
        ("provider", "deliver_to_con", "at_con"),
        ("operator", "hand_over", "issued"),
    ] {
        expect_status(&app, &id, who, json!({ "action": action }), status).await;
    }
    let (code, problem) = act(&app, &id, "operator", json!({"action": "hand_over"})).await;
    assert_eq!((code, problem["code"].as_str()), (409, Some("workflow.illegal_transition")));
    let operator = app.login("operator").await;
    let (_, view) = app.get(&format!("/api/applications/{id}"), Some(&operator)).await;
    let stages: Vec<&str> = view["history"].as_array().unwrap().iter().map(|h| h["status"].as_str().unwrap()).collect();
    assert_eq!(stages, ["submitted", "in_transit", "registered", "in_review", "ready", "at_con", "issued"]);
    let (_, sms) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    assert!(sms.as_array().unwrap().iter().any(|m| m["text"].as_str().unwrap().contains(view["number"].as_str().unwrap())), "ready SMS: {sms}");
}

async fn an_action_repeated_with_its_key_is_applied_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = submit_at_con(&app, "once").await;
    let operator = app.login("operator").await;
    let path = format!("/api/applications/{id}/actions");
    let (s1, v1) = app.post(&path, &json!({"action": "dispatch"}), Some("dispatch-1"), Some(&operator)).await;
    let (s2, v2) = app.post(&path, &json!({"action": "dispatch"}), Some("dispatch-1"), Some(&operator)).await;
    assert_eq!((s1, s2), (200, 200));
    assert_eq!(v1, v2);
    assert_eq!(v2["history"].as_array().unwrap().len(), 2, "one dispatch event");
}

async fn a_refusal_needs_a_hearing_at_the_right_time(backend: Backend) {
    // Submitted 2026-11-30, due 2026-12-22; notified on 2026-12-01, the hearing must be held
    // by 2026-12-03 (2 working days).
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let id = submit_at_con(&app, "refusal").await;
    for (who, action) in [("operator", "dispatch"), ("provider", "register"), ("provider", "start_review")] {
        let (code, v) = act(&app, &id, who, json!({ "action": action })).await;
        assert_eq!(code, 200, "{v}");
    }
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-01T10:00:00+05:00")]);
    let (code, p) = act(&app, &id, "provider", json!({"action": "preliminary_refuse", "hearing_at": "2026-12-07T11:00:00+05:00"})).await;
    assert_eq!((code, p["errors"][0]["code"].as_str()), (422, Some("workflow.hearing_out_of_range")), "{p}");
    let (code, p) = act(&app, &id, "provider", json!({"action": "preliminary_refuse", "hearing_at": "2026-11-30T11:00:00+05:00"})).await;
    assert_eq!(code, 422, "a hearing in the past: {p}");
    let hearing = json!({"action": "preliminary_refuse", "hearing_at": "2026-12-03T11:00:00+05:00", "place": "каб. 204"});
    expect_status(&app, &id, "provider", hearing, "hearing_scheduled").await;
    let refuse = json!({"action": "refuse", "reason": "unreliable", "note": "Диплом тізілімде жоқ"});
    let (code, p) = act(&app, &id, "provider", refuse.clone()).await;
    assert_eq!((code, p["code"].as_str()), (409, Some("workflow.refusal_before_hearing")));
    let (_, sms) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    assert!(sms.to_string().contains("каб. 204"), "the hearing SMS names the place: {sms}");
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-03T12:00:00+05:00")]);
    expect_status(&app, &id, "provider", refuse, "refused").await;
}

async fn a_late_notice_of_refusal_is_rejected(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let id = submit_at_con(&app, "late").await;
    for (who, action) in [("operator", "dispatch"), ("provider", "register"), ("provider", "start_review")] {
        assert_eq!(act(&app, &id, who, json!({ "action": action })).await.0, 200);
    }
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-18T10:00:00+05:00")]);
    let (code, p) = act(&app, &id, "provider", json!({"action": "preliminary_refuse", "hearing_at": "2026-12-21T11:00:00+05:00"})).await;
    assert_eq!((code, p["code"].as_str()), (409, Some("workflow.hearing_notice_too_late")));
}

async fn an_unclaimed_document_goes_back_after_a_month_and_can_be_recalled(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-12-01T10:00:00+05:00")]).await;
    let id = submit_at_con(&app, "unclaimed").await;
    for (who, action) in
        [("operator", "dispatch"), ("provider", "register"), ("provider", "start_review"), ("provider", "approve"), ("provider", "deliver_to_con")]
    {
        assert_eq!(act(&app, &id, who, json!({ "action": action })).await.0, 200);
    }
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-20T10:00:00+05:00")]);
    let (code, p) = act(&app, &id, "operator", json!({"action": "return_to_provider"})).await;
    assert_eq!((code, p["code"].as_str()), (409, Some("workflow.storage_not_over")));
    let app = app.restart_with(&[("TELNUSKA_NOW", "2027-01-04T10:00:00+05:00")]);
    expect_status(&app, &id, "operator", json!({"action": "return_to_provider"}), "returned_to_provider").await;
    expect_status(&app, &id, "operator", json!({"action": "recall"}), "in_transit").await;
    let (code, _) = act(&app, &id, "provider", json!({"action": "register"})).await;
    assert_eq!(code, 409, "a recalled document is not registered again");
    expect_status(&app, &id, "provider", json!({"action": "deliver_to_con"}), "at_con").await;
    expect_status(&app, &id, "operator", json!({"action": "hand_over"}), "issued").await;
}

async fn each_role_may_take_only_its_own_actions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // (action, the state it applies in reached by the steps before it, roles allowed)
    let steps: [(&str, &[&str]); 4] = [("dispatch", &["operator"]), ("register", &["provider"]), ("start_review", &["provider"]), ("approve", &["provider"])];
    let id = submit_at_con(&app, "matrix").await;
    for (action, allowed) in steps {
        for role in ["field", "admin", "operator", "provider"].iter().filter(|r| !allowed.contains(r)) {
            let (code, p) = act(&app, &id, role, json!({ "action": action })).await;
            assert_eq!(code, 403, "{role} must not {action}: {p}");
        }
        let (code, p) = act(&app, &id, allowed[0], json!({ "action": action })).await;
        assert_eq!(code, 200, "{} may {action}: {p}", allowed[0]);
    }
    let (code, _) = app.post(&format!("/api/applications/{id}/actions"), &json!({"action": "approve"}), None, None).await;
    assert_eq!(code, 401);
    let (code, p) = act(&app, &id, "operator", json!({"action": "teleport"})).await;
    assert_eq!((code, p["code"].as_str()), (400, Some("request.malformed")));
}

crate::on_both_backends!(
    an_application_goes_from_the_desk_to_the_applicants_hands,
    an_action_repeated_with_its_key_is_applied_once,
    a_refusal_needs_a_hearing_at_the_right_time,
    a_late_notice_of_refusal_is_rejected,
    an_unclaimed_document_goes_back_after_a_month_and_can_be_recalled,
    each_role_may_take_only_its_own_actions,
);

mod matrix {
    //! Every staff role against every action, each tried in the state where the action is legal.

    use serde_json::{json, Value};
    use telnuska_tests::{Backend, TestApp};

    const ROLES: [&str; 4] = ["operator", "field", "provider", "admin"];

    /// Tries `action` as every role not in `allowed` (403 each), then as `allowed[0]` (200).
    async fn step(app: &TestApp, id: &str, action: Value, allowed: &[&str]) {
        for role in ROLES.iter().filter(|r| !allowed.contains(r)) {
            let (code, p) = super::act(app, id, role, action.clone()).await;
            assert_eq!(code, 403, "{role} must not {action}: {p}");
        }
        let (code, p) = super::act(app, id, allowed[0], action.clone()).await;
        assert_eq!(code, 200, "{} may {action}: {p}", allowed[0]);
    }

    async fn every_role_against_every_action(backend: Backend) {
        let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-12-01T10:00:00+05:00")]).await;
        let refused = super::submit_at_con(&app, "matrix-a").await;
        let issued = super::submit_at_con(&app, "matrix-b").await;
        let a = |name: &str| json!({ "action": name });
        for (action, allowed) in [("dispatch", &["operator"][..]), ("register", &["provider"]), ("start_review", &["provider"])] {
            step(&app, &refused, a(action), allowed).await;
            step(&app, &issued, a(action), allowed).await;
        }
        step(&app, &refused, json!({"action": "preliminary_refuse", "hearing_at": "2026-12-03T11:00:00+05:00", "place": "каб. 1"}), &["provider"]).await;
        step(&app, &issued, a("approve"), &["provider"]).await;
        step(&app, &issued, a("deliver_to_con"), &["provider", "operator"]).await;

        let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-03T12:00:00+05:00")]);
        step(&app, &refused, json!({"action": "refuse", "reason": "non_compliant", "note": "Құжат талаптарға сай емес"}), &["provider"]).await;

        let app = app.restart_with(&[("TELNUSKA_NOW", "2027-01-04T10:00:00+05:00")]);
        step(&app, &issued, a("return_to_provider"), &["operator"]).await;
        step(&app, &issued, a("recall"), &["operator"]).await;
        // Delivery is the provider's or ЦОН's: here ЦОН's operator records it.
        let (code, p) = super::act(&app, &issued, "field", a("deliver_to_con")).await;
        assert_eq!(code, 403, "{p}");
        let (code, p) = super::act(&app, &issued, "operator", a("deliver_to_con")).await;
        assert_eq!(code, 200, "{p}");
        step(&app, &issued, a("hand_over"), &["operator"]).await;
        for role in ROLES {
            for action in ["dispatch", "approve", "hand_over", "recall"] {
                let (code, _) = super::act(&app, &issued, role, a(action)).await;
                assert!(code == 403 || code == 409, "nothing leaves a terminal state: {role} {action} gave {code}");
                assert_ne!(code, 200);
            }
        }
    }

    crate::on_both_backends!(every_role_against_every_action);
}
