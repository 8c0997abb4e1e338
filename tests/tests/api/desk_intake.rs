//! Intake at the counter (issue 17): a package refused at acceptance is never stored as an
//! application, yet the refusal is recorded with a number of its own series and its Annex 4
//! lists exactly the checklist items not presented, in 2 copies.

use serde_json::{json, Value};
use telnuska_shared::i18n::{t, Lang};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use telnuska_tests::pdf::flat_text;

/// A representative changing a name brings the original, the certificate of the change and the
/// power of attorney (the checklist of `higher_duplicate`).
fn package() -> Value {
    let mut package = desk_application();
    package["reason"] = json!("name_change");
    package["relationship"] = json!("representative");
    package["applicant"]["address"] = json!("Астана, Абай даңғылы 10");
    package
}

async fn refuse(app: &TestApp, token: &str, body: &Value) -> (u16, Value) {
    app.post("/api/desk/refusals", body, None, Some(token)).await
}

async fn refusal_receipt(app: &TestApp, id: &str, token: &str, lang: &str) -> (u16, Vec<u8>) {
    let res = app.client.get(app.url(&format!("/api/desk/refusals/{id}/receipt"))).bearer_auth(token).header("accept-language", lang).send().await.unwrap();
    (res.status().as_u16(), res.bytes().await.unwrap().to_vec())
}

async fn a_refused_package_is_recorded_with_its_own_number_and_annex_4_lists_exactly_what_is_missing(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let operator = app.login("operator").await;
    let (status, refused) = refuse(&app, &operator, &json!({"package": package(), "presented": ["original_document"]})).await;
    assert_eq!(status, 201, "{refused}");
    assert_eq!(refused["number"], "RA-2026-000001", "{refused}");
    let missing: Vec<&str> = refused["missing"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(missing.len(), 2, "{refused}");
    assert!(missing.contains(&"power_of_attorney") && missing.contains(&"name_change_certificate"), "{refused}");

    let (status, pdf) = refusal_receipt(&app, refused["id"].as_str().unwrap(), &operator, "kk").await;
    assert_eq!(status, 200);
    let text = flat_text(&pdf);
    assert_eq!(text.matches("Қолхат № RA-2026-000001").count(), 2, "both copies carry the refusal's number:\n{text}");
    assert_eq!(text.matches("Сейітқали Әсел").count(), 2, "{text}");
    assert!(text.contains("Астана, Абай даңғылы 10, +77011234567"), "the addressee line:\n{text}");
    assert!(text.contains("филиалының № 2 бөлімі"), "the operator's branch:\n{text}");
    let listed = |kind: &str| text.matches(&format!(") {};", t(Lang::Kk, &format!("attachment.kind.{kind}")))).count();
    assert_eq!((listed("power_of_attorney"), listed("name_change_certificate"), listed("original_document")), (2, 2, 0), "{text}");
    assert!(!text.contains("3) "), "exactly two items:\n{text}");

    // Nothing was stored as an application, and the next refusal takes the next number.
    let (_, queue) = app.get("/api/applications", Some(&operator)).await;
    assert_eq!(queue["items"], json!([]), "{queue}");
    let (_, next) = refuse(&app, &operator, &json!({"package": package(), "presented": [], "expired": ["power_of_attorney"]})).await;
    assert_eq!(next["number"], "RA-2026-000002", "{next}");
    assert_eq!(next["expired"], json!(["power_of_attorney"]), "{next}");
}

async fn a_refusal_needs_a_missing_document_a_named_person_and_a_counter_worker(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.login("operator").await;
    let everything = json!({"package": package(), "presented": ["original_document", "name_change_certificate", "power_of_attorney"]});
    let (status, problem) = refuse(&app, &operator, &everything).await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("refusal.nothing_missing")), "{problem}");

    let mut nameless = package();
    nameless["applicant"]["iin"] = json!("12345");
    nameless["applicant"]["first_name"] = json!(" ");
    nameless["channel"] = json!("portal");
    let (status, problem) = refuse(&app, &operator, &json!({"package": nameless})).await;
    assert_eq!(status, 422, "{problem}");
    let fields: Vec<&str> = problem["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["package.channel", "package.applicant.iin", "package.applicant.first_name"], "{problem}");

    let (status, _) = refuse(&app, &app.login("field").await, &json!({"package": package()})).await;
    assert_eq!(status, 403, "no counter");
    // The provider's counter is its own office: a ЦОН package is not its to refuse.
    let (status, problem) = refuse(&app, &app.login("provider").await, &json!({"package": package()})).await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("refusal.channel")), "{problem}");
    let (status, _) = app.post("/api/desk/refusals", &json!({"package": package()}), None, None).await;
    assert_eq!(status, 401);
    let (status, _) = refusal_receipt(&app, "no-such-refusal", &operator, "en").await;
    assert_eq!(status, 404);
}

crate::on_both_backends!(
    a_refused_package_is_recorded_with_its_own_number_and_annex_4_lists_exactly_what_is_missing,
    a_refusal_needs_a_missing_document_a_named_person_and_a_counter_worker,
);
