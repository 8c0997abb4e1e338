//! The ЦОН desk on paper (issue 17): an operator's branch on the receipts and the courier
//! register in place of the blank "№ ____", the tracking code on the acceptance receipt, and the
//! package checklist behind Annex 4's list of missing documents.

use serde_json::{json, Value};
use telnuska_shared::i18n::{t, Lang};
use telnuska_tests::{Backend, TestApp};

use crate::receipts::{accepted_at_con, pdf_text, receipt};

/// A PDF's text on one line: the form wraps long values.
fn flat(pdf: &[u8]) -> String {
    pdf_text(pdf).split_whitespace().collect::<Vec<_>>().join(" ")
}

async fn set_branch(app: &TestApp, login: &str, body: &Value, token: &str) -> (u16, Value) {
    let res = app.client.put(app.url(&format!("/api/admin/staff/{login}/branch"))).bearer_auth(token).json(body).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn the_acceptance_receipt_names_the_branch_and_carries_a_working_tracking_code(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let (id, number, _) = accepted_at_con(&app).await;
    let operator = app.login("operator").await;
    let (status, _, pdf) = receipt(&app, &id, "?kind=acceptance", Some(&operator), "kk").await;
    assert_eq!(status, 200);
    let text = flat(&pdf);
    assert!(text.contains("филиалының № 2 бөлімі (Астана қаласы, Есіл ауданы)"), "the demo operator's branch:\n{text}");
    assert!(!text.contains("№ ______"), "no blank number left:\n{text}");
    let code = text.split("Бақылау коды: ").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("a tracking code").to_string();
    // The printed code reads the application like the SMS link does, found by its number.
    let (status, view) = app.get(&format!("/api/applications/{number}"), Some(&code)).await;
    assert_eq!((status, view["id"].as_str()), (200, Some(id.as_str())), "{view}");
}

async fn an_administrator_sets_the_branch_the_receipts_then_print(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, _, _) = accepted_at_con(&app).await;
    let (admin, operator) = (app.login("admin").await, app.login("operator").await);
    let (status, body) = set_branch(&app, "operator", &json!({"number": " 17 ", "name": "Алматы қаласы, Алмалы ауданы"}), &admin).await;
    assert_eq!((status, body["number"].as_str()), (200, Some("17")), "{body}");
    let (_, _, pdf) = receipt(&app, &id, "?kind=refusal", Some(&operator), "ru").await;
    let text = flat(&pdf);
    assert_eq!(text.matches("отдел № 17 филиала").count(), 2, "both copies of Annex 4 name the branch:\n{text}");
    assert!(text.contains("(Алматы қаласы, Алмалы ауданы)"), "{text}");
    let (status, problem) = set_branch(&app, "operator", &json!({"number": "№ 17", "name": "Алматы"}), &admin).await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("branch.number_format")), "{problem}");
    let (status, problem) = set_branch(&app, "operator", &json!({"number": "17", "name": " "}), &admin).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("name")), "{problem}");
    let (status, _) = set_branch(&app, "nobody", &json!({"number": "1", "name": "Астана"}), &admin).await;
    assert_eq!(status, 404);
    let (status, _) = set_branch(&app, "operator", &json!({"number": "1", "name": "Астана"}), &operator).await;
    assert_eq!(status, 403);
    let created = app.submit_at_desk("register-branch", &telnuska_tests::server::desk_application()).await;
    let (status, _) =
        app.post(&format!("/api/applications/{}/actions", created["id"].as_str().unwrap()), &json!({"action": "dispatch"}), None, Some(&operator)).await;
    assert_eq!(status, 200);
    let res = app.client.get(app.url("/api/registers/courier?institution=kaznmu")).bearer_auth(&operator).header("accept-language", "ru").send().await.unwrap();
    let text = flat(&res.bytes().await.unwrap());
    assert!(text.contains("Отдел № 17 филиала"), "the register is sent from the operator's branch:\n{text}");
}

async fn annex_4_lists_exactly_the_checklist_items_not_ticked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, _, _) = accepted_at_con(&app).await;
    let operator = app.login("operator").await;
    let (status, checklist) = app.get("/api/desk/checklist?service=higher_duplicate&reason=damage&relationship=self", Some(&operator)).await;
    assert_eq!(status, 200, "{checklist}");
    assert_eq!(checklist.as_array().unwrap().iter().map(|i| i["kind"].as_str().unwrap()).collect::<Vec<_>>(), ["original_document"]);
    let original = t(Lang::Ru, "attachment.kind.original_document");
    let (_, _, pdf) = receipt(&app, &id, "?kind=refusal&presented=", Some(&operator), "ru").await;
    let text = flat(&pdf);
    assert_eq!(text.matches(&format!("1) {original};")).count(), 2, "nothing ticked: the original is missing, in both copies:\n{text}");
    assert!(!text.contains("2) "), "only the one item is listed:\n{text}");
    let (_, _, pdf) = receipt(&app, &id, "?kind=refusal&presented=original_document", Some(&operator), "ru").await;
    let text = flat(&pdf);
    assert!(!text.contains(original) && text.contains("1) ____"), "all ticked: blanks to fill in by hand:\n{text}");
    let (status, problem) = app.get("/api/desk/checklist?service=nothing&reason=damage", Some(&operator)).await;
    assert_eq!((status, problem["errors"][0]["field"].as_str()), (422, Some("service")), "{problem}");
    let (status, _) = app.get("/api/desk/checklist?service=higher_duplicate", Some(&app.login("field").await)).await;
    assert_eq!(status, 403, "only who takes papers at a counter (ЦОН, a provider's office)");
}

crate::on_both_backends!(
    the_acceptance_receipt_names_the_branch_and_carries_a_working_tracking_code,
    an_administrator_sets_the_branch_the_receipts_then_print,
    annex_4_lists_exactly_the_checklist_items_not_ticked,
);
