//! Papers handed in at a college's or school's own office (003 item 47, 001): the counter's
//! intake through the `office` channel, by the provider's staff and for their own institution
//! only. The application is the provider's at once (no courier leg), and both receipts name the
//! college, not the State Corporation.

use serde_json::{json, Value};
use telnuska_tests::pdf::flat_text;
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

/// The college the registrar serves, and its name as the receipts print it.
const COLLEGE: &str = "kvki";
const COLLEGE_NAME: &str = "Карагандинский высший колледж инжиниринга";

/// A college diploma handed in at `institution`'s office.
fn at_office(institution: &str) -> Value {
    let mut body = desk_application();
    body["channel"] = json!("office");
    body["service"] = json!("tvet_duplicate");
    body["documents"] = json!([{"region": "karaganda", "institution": institution, "degree": "tvet", "specialty": "Электроснабжение",
                                "series": "ТКБ", "number": "0004567", "registration_number": "301", "graduation_year": 2019}]);
    body
}

/// A registrar of [`COLLEGE`] only, signed in.
async fn registrar(app: &TestApp) -> String {
    let account = json!({"login": "kvki.registrar", "password": "correct horse battery", "role": "provider",
                         "full_name": "Тіркеуші", "institutions": [COLLEGE]});
    let (status, created) = app.post("/api/admin/staff", &account, None, Some(&app.login("admin").await)).await;
    assert_eq!(status, 201, "{created}");
    let (status, session) = app.post("/api/auth/login", &json!({"login": "kvki.registrar", "password": "correct horse battery"}), None, None).await;
    assert_eq!(status, 200, "{session}");
    session["token"].as_str().unwrap().to_string()
}

async fn receipt_text(app: &TestApp, path: &str, token: &str) -> String {
    let res = app.client.get(app.url(path)).bearer_auth(token).header("accept-language", "ru").send().await.unwrap();
    assert_eq!(res.status(), 200, "{path}");
    flat_text(&res.bytes().await.unwrap())
}

async fn a_college_takes_papers_at_its_office_and_its_receipts_name_the_college(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let registrar = registrar(&app).await;
    let (status, created) = app.post("/api/applications", &at_office(COLLEGE), Some("office-1"), Some(&registrar)).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_str().unwrap();
    let (_, view) = app.get(&format!("/api/applications/{id}"), Some(&registrar)).await;
    assert_eq!(view["status"], "registered", "the college's at once, no courier leg: {view}");
    assert_eq!(view["history"][0]["by_role"], "provider", "{view}");
    let (_, waiting) = app.get("/api/desk/dispatch", Some(&app.login("operator").await)).await;
    assert!(!waiting.to_string().contains(created["number"].as_str().unwrap()), "nothing for ЦОН's courier: {waiting}");

    let text = receipt_text(&app, &format!("/api/applications/{id}/receipt?kind=acceptance"), &registrar).await;
    assert_eq!(text.matches(&format!("{COLLEGE_NAME} (отдел филиала")).count(), 2, "the college accepts, in both copies:\n{text}");

    // A package with a document missing is refused at the office, on the college's Annex 4.
    let mut package = at_office(COLLEGE);
    package["reason"] = json!("damage");
    let (status, refused) = app.post("/api/desk/refusals", &json!({"package": package, "presented": []}), None, Some(&registrar)).await;
    assert_eq!(status, 201, "{refused}");
    let text = receipt_text(&app, &format!("/api/desk/refusals/{}/receipt", refused["id"].as_str().unwrap()), &registrar).await;
    assert!(text.contains(COLLEGE_NAME), "the college refuses:\n{text}");
}

async fn an_office_takes_papers_only_for_its_own_documents_and_only_its_staff_use_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let registrar = registrar(&app).await;
    let (status, problem) = app.post("/api/applications", &at_office("kvpk"), None, Some(&registrar)).await;
    assert_eq!(
        (status, problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()),
        (422, Some("documents.0.institution"), Some("office.other_institution")),
        "another college's diploma: {problem}"
    );
    assert!(problem["errors"][0]["message"].as_str().is_some_and(|m| !m.is_empty()), "{problem}");
    let (status, problem) = app.post("/api/desk/refusals", &json!({"package": at_office("kvpk"), "presented": []}), None, Some(&registrar)).await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("office.other_institution")), "{problem}");

    // A university's diplomas are not taken at an office (the service names no such channel).
    let mut university = at_office(COLLEGE);
    university["service"] = json!("higher_duplicate");
    university["documents"] = desk_application()["documents"].clone();
    let (status, problem) = app.post("/api/applications", &university, None, Some(&app.login("provider").await)).await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("channel.not_offered")), "{problem}");

    // Only the provider's staff take papers at its office; nobody takes them there unsigned.
    for login in ["operator", "field"] {
        let (status, _) = app.post("/api/applications", &at_office(COLLEGE), None, Some(&app.login(login).await)).await;
        assert_eq!(status, 403, "{login}");
    }
    let (status, _) = app.post("/api/applications", &at_office(COLLEGE), None, None).await;
    assert_eq!(status, 401);
    // The identity registry and the checklist serve the office's counter too.
    let (status, _) = app.get("/api/desk/checklist?service=tvet_duplicate", Some(&registrar)).await;
    assert_eq!(status, 200);
    let (status, _) = app.get("/api/desk/checklist?service=tvet_duplicate", Some(&app.login("field").await)).await;
    assert_eq!(status, 403);
}

crate::on_both_backends!(
    a_college_takes_papers_at_its_office_and_its_receipts_name_the_college,
    an_office_takes_papers_only_for_its_own_documents_and_only_its_staff_use_it
);
