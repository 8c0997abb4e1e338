//! Administration: staff bound to institutions see only those; calendar amendments with their
//! decree, reported impact, and no silent move of deadlines already given.

use serde_json::{json, Value};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

async fn desk_submission(app: &TestApp, key: &str, region: &str, institution: &str) -> Value {
    let mut body = desk_application();
    body["documents"][0]["region"] = json!(region);
    body["documents"][0]["institution"] = json!(institution);
    app.submit_at_desk(key, &body).await
}

async fn a_provider_sees_only_the_institutions_it_serves(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.login("admin").await;
    let registrar = json!({"login": "kaznmu.registrar", "password": "correct horse battery", "role": "provider",
                           "full_name": "Тіркеуші", "institutions": ["kaznmu"]});
    let (status, created) = app.post("/api/admin/staff", &registrar, None, Some(&admin)).await;
    assert_eq!(status, 201, "{created}");
    let (status, again) = app.post("/api/admin/staff", &registrar, None, Some(&admin)).await;
    assert_eq!((status, again["errors"][0]["code"].as_str()), (422, Some("staff.login_taken")));
    let (status, weak) = app
        .post(
            "/api/admin/staff",
            &json!({"login": "x", "password": "short", "role": "provider", "full_name": "X", "institutions": ["nowhere"]}),
            None,
            Some(&admin),
        )
        .await;
    assert_eq!(status, 422);
    let codes: Vec<&str> = weak["errors"].as_array().unwrap().iter().map(|e| e["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"staff.password_too_short") && codes.contains(&"reference.unknown_institution"), "{codes:?}");
    let operator = app.login("operator").await;
    let (status, _) = app.post("/api/admin/staff", &registrar, None, Some(&operator)).await;
    assert_eq!(status, 403);

    let mine = desk_submission(&app, "a", "almaty_city", "kaznmu").await;
    let other = desk_submission(&app, "b", "almaty_city", "kaznu").await;
    let (status, session) = app.post("/api/auth/login", &json!({"login": "kaznmu.registrar", "password": "correct horse battery"}), None, None).await;
    assert_eq!(status, 200, "{session}");
    let token = session["token"].as_str().unwrap();
    let (_, queue) = app.get("/api/applications", Some(token)).await;
    let ids: Vec<&str> = queue["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [mine["id"].as_str().unwrap()]);
    let (status, _) = app.get(&format!("/api/applications/{}", other["id"].as_str().unwrap()), Some(token)).await;
    assert_eq!(status, 403);

    let (status, _) = app
        .client
        .put(app.url("/api/admin/staff/kaznmu.registrar/institutions"))
        .bearer_auth(&admin)
        .json(&json!({"institutions": ["kaznu"]}))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .unwrap();
    assert_eq!(status, 200);
    let (status, _) = app.get(&format!("/api/applications/{}", other["id"].as_str().unwrap()), Some(token)).await;
    assert_eq!(status, 200, "rebinding takes effect at once");
}

async fn a_decreed_day_off_is_audited_reports_its_impact_and_moves_no_deadline_given(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let before = desk_submission(&app, "before", "almaty_city", "kaznmu").await;
    assert_eq!(before["due_on"], "2026-12-22");
    let admin = app.login("admin").await;
    let decree = json!({"date": "2026-12-21", "kind": "transfer_day_off", "name": "Выходной день (перенос)",
                        "source": "ПП РК (пример) от 01.12.2026 № 1", "dry_run": true});
    let (status, preview) = app.post("/api/admin/calendar", &decree, None, Some(&admin)).await;
    assert_eq!(status, 200, "{preview}");
    assert_eq!(preview["applied"], false);
    assert_eq!(preview["affected"][0]["number"], before["number"]);
    assert_eq!(preview["affected"][0]["due_on_if_recomputed"], "2026-12-23");
    let (_, due) = app.get("/api/calendar/due?service=higher_duplicate&submitted_at=2026-11-30T10:00:00%2B05:00", None).await;
    assert_eq!(due["due_on"], "2026-12-22", "a dry run changes nothing");

    let mut apply = decree.clone();
    apply["dry_run"] = json!(false);
    let (status, applied) = app.post("/api/admin/calendar", &apply, None, Some(&admin)).await;
    assert_eq!((status, &applied["applied"]), (200, &json!(true)), "{applied}");
    let (_, due) = app.get("/api/calendar/due?service=higher_duplicate&submitted_at=2026-11-30T10:00:00%2B05:00", None).await;
    assert_eq!(due["due_on"], "2026-12-23", "new submissions follow the decree");
    let operator = app.login("operator").await;
    let (_, kept) = app.get(&format!("/api/applications/{}", before["id"].as_str().unwrap()), Some(&operator)).await;
    assert_eq!(kept["due_on"], "2026-12-22", "a deadline already given is not moved silently");
    let (_, year) = app.get("/api/admin/calendar?year=2026", Some(&admin)).await;
    assert_eq!(year["amendments"][0]["source"], "ПП РК (пример) от 01.12.2026 № 1");
    assert!(year["entries"].as_array().unwrap().iter().any(|e| e["date"] == "2026-12-21" && e["kind"] == "transfer_day_off"));

    let mut unsourced = apply.clone();
    unsourced["source"] = json!("");
    let (status, p) = app.post("/api/admin/calendar", &unsourced, None, Some(&admin)).await;
    assert_eq!((status, p["errors"][0]["code"].as_str()), (422, Some("calendar.source_required")));
    let (status, _) = app.post("/api/admin/calendar", &apply, None, Some(&operator)).await;
    assert_eq!(status, 403);
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]);
    let (_, due) = app.get("/api/calendar/due?service=higher_duplicate&submitted_at=2026-11-30T10:00:00%2B05:00", None).await;
    assert_eq!(due["due_on"], "2026-12-23", "amendments are stored, not kept in memory");
}

crate::on_both_backends!(a_provider_sees_only_the_institutions_it_serves, a_decreed_day_off_is_audited_reports_its_impact_and_moves_no_deadline_given);
