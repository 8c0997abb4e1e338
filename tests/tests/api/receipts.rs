//! Receipts as PDF (Annex 3 acceptance, Annex 4 refusal in 2 copies): real PDFs whose text,
//! read back with `pdftotext`, names the applicant, the documents and the worker, with every
//! Kazakh letter intact; and only those who may read the application may print them.

use serde_json::{json, Value};
use telnuska_tests::server::valid_application;
use telnuska_tests::{Backend, TestApp};

use crate::attachments::{upload, PDF};
pub(crate) use telnuska_tests::pdf::pdf_text;

const PHONE: &str = "+77011234567";
/// The applicant's name carries "һ", the rarest Kazakh letter, so the font must have it.
const APPLICANT: &str = "Сейітқали Әсел Жаһанқызы";

/// A ЦОН application for a damaged diploma, with the original attached; returns (id, number,
/// tracking token).
pub(crate) async fn accepted_at_con(app: &TestApp) -> (String, String, String) {
    let original = upload(app, PDF).await;
    let operator = app.login("operator").await;
    let mut body = valid_application(PHONE, "000000");
    body["channel"] = json!("con");
    body["signature"] = Value::Null;
    body["reason"] = json!("damage");
    body["applicant"]["patronymic"] = json!("Жаһанқызы");
    body["attachments"] = json!([{"kind": "original_document", "id": original}]);
    let (status, created) = app.post("/api/applications", &body, Some("receipt-app"), Some(&operator)).await;
    assert_eq!(status, 201, "{created}");
    let text = |k: &str| created[k].as_str().unwrap().to_string();
    (text("id"), text("number"), text("tracking_token"))
}

/// GETs a receipt: status, content type and body.
pub(crate) async fn receipt(app: &TestApp, id: &str, query: &str, token: Option<&str>, lang: &str) -> (u16, String, Vec<u8>) {
    let mut req = app.client.get(app.url(&format!("/api/applications/{id}/receipt{query}"))).header("accept-language", lang);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    let res = req.send().await.expect("GET receipt");
    let status = res.status().as_u16();
    let content_type = res.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    (status, content_type, res.bytes().await.unwrap().to_vec())
}

async fn an_acceptance_receipt_names_the_applicant_documents_and_worker(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")]).await;
    let (id, number, tracking) = accepted_at_con(&app).await;
    let operator = app.login("operator").await;

    let (status, content_type, pdf) = receipt(&app, &id, "?kind=acceptance", Some(&operator), "kk").await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_text(&pdf);
    for expected in [
        format!("Құжаттардың қабылданғаны туралы қолхат № {number}"),
        APPLICANT.to_string(),
        "1. Өтініш".into(),
        "2. Құжаттың түпнұсқасы".into(),
        "Демо ХҚКО операторы".into(),
        "2026 жылғы 30 қараша".into(),
        "2026 жылғы 22 желтоқсан".into(),
    ] {
        assert!(text.contains(&expected), "{expected:?} not in:\n{text}");
    }
    let missing: String = "әғқңөұүһі".chars().filter(|c| !text.contains(*c)).collect();
    assert_eq!(missing, "", "Kazakh letters lost from:\n{text}");

    let (status, _, pdf) = receipt(&app, &id, "?kind=acceptance", Some(&tracking), "ru").await;
    assert_eq!(status, 200);
    let text = pdf_text(&pdf);
    for expected in [format!("Расписка о приеме документов № {number}"), "1. Заявление".into(), "2. Оригинал документа".into(), APPLICANT.into()]
    {
        assert!(text.contains(&expected), "{expected:?} not in:\n{text}");
    }
}

async fn a_refusal_receipt_is_made_in_two_copies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, number, _) = accepted_at_con(&app).await;
    let operator = app.login("operator").await;
    let (status, content_type, pdf) = receipt(&app, &id, "?kind=refusal", Some(&operator), "kk").await;
    assert_eq!((status, content_type.as_str()), (200, "application/pdf"));
    assert!(pdf.starts_with(b"%PDF"));
    let text = pdf_text(&pdf);
    for (expected, times) in [
        ("Құжаттарды қабылдаудан бас тартылғаны туралы қолхат", 2),
        ("1-дана", 1),
        ("2-дана", 1),
        (APPLICANT, 2),
        (&format!("Өтініш № {number}"), 2),
        ("Жоқ құжаттардың атауы:", 2),
        ("Осы қолхат әр тарапқа бір-бірден 2 данада жасалды.", 2),
    ] {
        assert_eq!(text.matches(expected).count(), times, "{expected:?} in:\n{text}");
    }
    // The worker who accepted the package and the operator printing it are both named.
    assert!(text.matches("Демо ХҚКО операторы").count() >= 4, "{text}");
}

async fn receipts_are_printed_only_for_those_who_may_read_the_application(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (id, _, tracking) = accepted_at_con(&app).await;
    let (status, _, _) = receipt(&app, &id, "?kind=acceptance", None, "kk").await;
    assert_eq!(status, 401);
    let (status, _, _) = receipt(&app, &id, "?kind=acceptance", Some("someone-elses-token"), "kk").await;
    assert_eq!(status, 403);
    let (status, _, _) = receipt(&app, "no-such-id", "?kind=acceptance", Some(&tracking), "kk").await;
    assert_eq!(status, 404);
    for (query, code) in [("", "required"), ("?kind=register", "receipt.kind")] {
        let (status, content_type, body) = receipt(&app, &id, query, Some(&tracking), "en").await;
        assert_eq!((status, content_type.as_str()), (422, "application/problem+json"), "{query}");
        let problem: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!((problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()), (Some("kind"), Some(code)));
    }
}

crate::on_both_backends!(
    an_acceptance_receipt_names_the_applicant_documents_and_worker,
    a_refusal_receipt_is_made_in_two_copies,
    receipts_are_printed_only_for_those_who_may_read_the_application,
);
