//! The provider's evidence on one application: its attached files read back by the staff who
//! decide it (each reading in the access log), the university's internal steps recorded as
//! checklist events, and the issue journal with the duplicate's own series and number.

use serde_json::{json, Value};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use crate::attachments::{upload, PDF, PNG};
use crate::workflow::{act, expect_status};

/// A provider account of `institution` (`login`); its token.
async fn provider_of(app: &TestApp, login: &str, institution: &str) -> String {
    let admin = app.login("admin").await;
    let staff =
        json!({"login": login, "password": "correct horse battery", "role": "provider", "full_name": "Әйгерім Оспанова", "institutions": [institution]});
    let (status, body) = app.post("/api/admin/staff", &staff, None, Some(&admin)).await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app.post("/api/auth/login", &json!({"login": login, "password": "correct horse battery"}), None, None).await;
    assert_eq!(status, 200, "{body}");
    body["token"].as_str().unwrap().to_string()
}

/// `GET path` with `token`: the status, the content type and the bytes.
async fn read(app: &TestApp, path: &str, token: &str) -> (u16, String, Vec<u8>) {
    let response = app.client.get(app.url(path)).bearer_auth(token).send().await.unwrap();
    let status = response.status().as_u16();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, content_type, response.bytes().await.unwrap().to_vec())
}

async fn staff_read_the_attached_files_back_and_each_reading_is_logged(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (scan, photo) = (upload(&app, PDF).await, upload(&app, PNG).await);
    let mut body = desk_application();
    body["attachments"] = json!([{"kind": "original_document", "id": scan}, {"kind": "other", "id": photo}]);
    let created = app.submit_at_desk("files", &body).await;
    let id = created["id"].as_str().unwrap();
    let provider = app.login("provider").await;

    let (status, content_type, bytes) = read(&app, &format!("/api/applications/{id}/attachments/{scan}"), &provider).await;
    assert_eq!((status, content_type.as_str(), bytes.as_slice()), (200, "application/pdf", PDF), "the file as uploaded, with its type");
    let (status, content_type, bytes) = read(&app, &format!("/api/applications/{id}/attachments/{photo}"), &provider).await;
    assert_eq!((status, content_type.as_str(), bytes.as_slice()), (200, "image/png", PNG));
    let operator = app.login("operator").await;
    assert_eq!(read(&app, &format!("/api/applications/{id}/attachments/{scan}"), &operator).await.0, 200, "ЦОН staff read it too");

    // Another application's file, or a stored file this application does not list, opens nothing.
    let stray = upload(&app, PDF).await;
    assert_eq!(read(&app, &format!("/api/applications/{id}/attachments/{stray}"), &provider).await.0, 404);
    let elsewhere = provider_of(&app, "kaznu.registrar", "kaznu").await;
    assert_eq!(read(&app, &format!("/api/applications/{id}/attachments/{scan}"), &elsewhere).await.0, 403, "a provider of another institution");
    let field = app.login("field").await;
    assert_eq!(read(&app, &format!("/api/applications/{id}/attachments/{scan}"), &field).await.0, 403, "a field worker does not read files back");
    let tracking = created["tracking_token"].as_str().unwrap();
    assert_eq!(read(&app, &format!("/api/applications/{id}/attachments/{scan}"), tracking).await.0, 401, "the applicant's code is no staff session");

    let admin = app.login("admin").await;
    let (status, log) = app.get(&format!("/api/applications/{id}/access-log"), Some(&admin)).await;
    assert_eq!(status, 200, "{log}");
    let readers: Vec<&str> = log.as_array().unwrap().iter().map(|e| e["by"]["login"].as_str().unwrap()).collect();
    assert_eq!(readers, ["provider", "provider", "operator"], "each reading that returned a file, and only those: {log}");
}

async fn internal_steps_are_checklist_events_and_the_journal_keeps_the_duplicates_number(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let id = app.submit_at_desk("steps", &desk_application()).await["id"].as_str().unwrap().to_string();
    expect_status(&app, &id, "operator", json!({"action": "dispatch"}), "in_transit").await;
    expect_status(&app, &id, "provider", json!({"action": "register"}), "registered").await;
    let provider = app.login("provider").await;
    let staff_view = |token: String| {
        let app = &app;
        let id = id.clone();
        async move { app.get(&format!("/api/applications/{id}/staff"), Some(&token)).await.1 }
    };
    let view = staff_view(provider.clone()).await;
    let steps: Vec<(&str, bool)> = view["internal_steps"].as_array().unwrap().iter().map(|s| (s["step"].as_str().unwrap(), s["may_record"] == true)).collect();
    assert_eq!(
        steps,
        [("documentation_registered", true), ("rector_decision", true), ("diploma_prepared", true), ("supplement_prepared", true), ("issue_journal", false)],
        "the university's steps while it is worked on, the journal once approved: {view}"
    );
    assert!(view["allowed_actions"].as_array().unwrap().contains(&json!("record_step")), "{view}");
    let history_before = app.get(&format!("/api/applications/{id}"), Some(&provider)).await.1["history"].as_array().unwrap().len();

    expect_status(&app, &id, "provider", json!({"action": "record_step", "step": "rector_decision"}), "registered").await;
    let view = staff_view(provider.clone()).await;
    let rector = view["internal_steps"].as_array().unwrap().iter().find(|s| s["step"] == "rector_decision").unwrap();
    assert_eq!((rector["recorded"]["by"]["login"].as_str(), rector["recorded"]["kind"].as_str()), (Some("provider"), Some("record_step")), "{rector}");
    assert_eq!(view["events"].as_array().unwrap().last().unwrap()["step"], "rector_decision", "the history names the step: {view}");
    let citizen = app.get(&format!("/api/applications/{id}"), Some(&provider)).await.1;
    assert_eq!(citizen["history"].as_array().unwrap().len(), history_before, "the applicant's history shows stages, not internal steps");
    let (status, p) = act(&app, &id, "operator", json!({"action": "record_step", "step": "rector_decision"})).await;
    assert_eq!(status, 403, "the provider's steps are the provider's: {p}");
    let (status, p) = act(&app, &id, "provider", json!({"action": "record_step", "step": "issue_journal", "series": "BD", "number": "0099001"})).await;
    assert_eq!((status, p["code"].as_str()), (409, Some("workflow.illegal_transition")), "no journal entry before the approval: {p}");

    expect_status(&app, &id, "provider", json!({"action": "start_review"}), "in_review").await;
    expect_status(&app, &id, "provider", json!({"action": "approve"}), "ready").await;
    let (status, p) = act(&app, &id, "provider", json!({"action": "record_step", "step": "issue_journal", "series": " "})).await;
    let fields: Vec<&str> = p["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!((status, fields), (422, vec!["series", "number"]), "{p}");
    let (status, p) = act(&app, &id, "provider", json!({"action": "record_step", "step": "issue_journal", "series": "BD", "number": "0099001?"})).await;
    assert_eq!((status, p["errors"][0]["field"].as_str(), p["errors"][0]["code"].as_str()), (422, Some("number"), Some("document.characters")), "{p}");
    expect_status(&app, &id, "provider", json!({"action": "record_step", "step": "issue_journal", "series": "вd", "number": "№ 0099001"}), "ready").await;

    let (status, journal) = app.get("/api/journal", Some(&provider)).await;
    assert_eq!(status, 200, "{journal}");
    assert_eq!(journal.as_array().unwrap().len(), 1, "{journal}");
    let line = &journal[0];
    assert_eq!(
        (line["series"].as_str(), line["number"].as_str(), line["institution"].as_str()),
        (Some("BD"), Some("0099001"), Some("kaznmu")),
        "as the document rules read them: {line}"
    );
    assert_eq!(line["by"]["login"], "provider");
    let elsewhere = provider_of(&app, "kaznu.archive", "kaznu").await;
    assert_eq!(app.get("/api/journal", Some(&elsewhere)).await.1, json!([]), "each institution's own journal");
    assert_eq!(app.get("/api/journal?institution=kaznmu", Some(&elsewhere)).await.0, 403);
    let operator = app.login("operator").await;
    assert_eq!(app.get("/api/journal", Some(&operator)).await.0, 403);
    let view: Value = staff_view(provider.clone()).await;
    assert!(view["allowed_actions"].as_array().unwrap().contains(&json!("deliver_to_con")), "the journal keeps the stage: {view}");
    expect_status(&app, &id, "provider", json!({"action": "deliver_to_con"}), "at_con").await;
}

crate::on_both_backends!(
    staff_read_the_attached_files_back_and_each_reading_is_logged,
    internal_steps_are_checklist_events_and_the_journal_keeps_the_duplicates_number,
);
