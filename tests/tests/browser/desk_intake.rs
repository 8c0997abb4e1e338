//! Intake at the ЦОН counter (issue 17) in the browser: the operator scans the applicant's IIN,
//! the identity registry fills in the name, the citizen's form steps and the package checklist
//! follow; a complete package is accepted (Annex 3, 2 copies, in the applicant's language), an
//! incomplete one refused (Annex 4 lists exactly what is missing); with the registry down the
//! operator types the name and still accepts.

use serde_json::{json, Value};
use telnuska_shared::i18n::{t, Lang};
use telnuska_tests::browser::{free_port, Browser};
use telnuska_tests::pdf::flat_text;
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};
use crate::flow::{choose_service, fill_document, next, type_contacts, Doc, Files, AITU_COLLEGE_DIPLOMA, KAZNMU_DIPLOMA};
use crate::staff::sign_in;

/// What a scanner sends after the digits (WebDriver's Enter key).
const ENTER: &str = "\u{E007}";

/// Signs the operator in at a desk's 1280 px, in English, and opens the intake. Every PDF the
/// page then opens is kept in `window.pdfs` instead of a new tab.
async fn open_intake(b: &Browser, app: &TestApp) {
    open_intake_as(b, app, "operator", "/staff/desk/intake").await;
}

/// [`open_intake`] as `login`, whose intake is at `path`.
async fn open_intake_as(b: &Browser, app: &TestApp, login: &str, path: &str) {
    sign_in(b, app, login).await;
    b.cdp("Emulation.setDeviceMetricsOverride", json!({"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": false})).await;
    b.click("#lang-en").await;
    // The desk is a page of its own: the link loads it.
    b.click(&format!("a[href='{path}']")).await;
    b.wait_for("#desk-iin").await;
    b.script(
        "window.pdfs = [];
         const create = URL.createObjectURL.bind(URL);
         URL.createObjectURL = (blob) => { window.pdfs.push(blob); return create(blob); };
         window.open = () => null;
         return true",
    )
    .await;
}

/// The `n`-th PDF the page opened, once it has.
async fn opened_pdf(b: &Browser, n: usize) -> Vec<u8> {
    b.eventually("the receipt opened", || async { b.script(&format!("return window.pdfs.length > {n}")).await == json!(true) }).await;
    let bytes = b.script(&format!("return window.pdfs[{n}].arrayBuffer().then((b) => Array.from(new Uint8Array(b)))")).await;
    bytes.as_array().expect("bytes").iter().map(|v| v.as_u64().expect("a byte") as u8).collect()
}

/// Types `iin` and Enter into the IIN's input, as a scanner does.
async fn scan_keys(b: &Browser, iin: &str) {
    let input = b.wait_for("#desk-iin").await;
    input.click().await.expect("click");
    input.send_keys(&format!("{iin}{ENTER}")).await.expect("type");
}

/// Scans `iin` and waits for the registry's answer.
async fn scan(b: &Browser, iin: &str) -> String {
    scan_keys(b, iin).await;
    b.wait_for("#f-service-higher_duplicate").await;
    b.text("#desk-registry").await
}

/// From the service step to the reason step: a university diploma of the applicant themself.
async fn fill_up_to_reason(b: &Browser) {
    choose_service(b, "higher_duplicate").await;
    fill_applicant_to_reason(b).await;
}

/// From the applicant step (the name in place) to the reason step.
async fn fill_applicant_to_reason(b: &Browser) {
    fill_applicant_to_reason_with(b, &KAZNMU_DIPLOMA).await;
}

/// [`fill_applicant_to_reason`] with the diploma `document`.
async fn fill_applicant_to_reason_with(b: &Browser, document: &Doc<'_>) {
    b.click("#f-relationship-self").await;
    type_contacts(b).await;
    next(b, "#f-document_kind-diploma").await;
    b.click("#f-document_kind-diploma").await;
    fill_document(b, 0, document).await;
    next(b, "#f-reason-loss").await;
}

/// The consents and the review, up to the counter's own last step.
async fn consent_and_accept(b: &Browser) {
    next(b, "#f-consents-accuracy").await;
    b.click("#f-consents-accuracy").await;
    b.click("#f-consents-personal_data").await;
    next(b, "#review").await;
    next(b, "#desk-accept").await;
}

/// The application numbered `number`, as the operator reads it.
async fn application(app: &TestApp, number: &str) -> Value {
    let (status, view) = app.get(&format!("/api/applications/{number}"), Some(&app.login("operator").await)).await;
    assert_eq!(status, 200, "{view}");
    view
}

/// A day as the Kazakh forms write it ("2026 жылғы 22 желтоқсан").
fn kazakh_date(iso: &str) -> String {
    let parts: Vec<u32> = iso.split('-').map(|p| p.parse().expect("a date")).collect();
    format!("{} жылғы {} {}", parts[0], parts[2], t(Lang::Kk, &format!("date.month.{}", parts[1])))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_operator_accepts_a_complete_package_and_refuses_an_incomplete_one() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    open_intake(&b, &app).await;
    assert_no_violations(&b, &axe_script(), "the intake's IIN").await;
    scan_keys(&b, "12345").await;
    b.eventually("a mistyped IIN explained", || async { !b.text("#desk-iin-error").await.is_empty() }).await;
    b.script("document.getElementById('desk-iin').value = ''; document.getElementById('desk-iin').dispatchEvent(new Event('input')); return true").await;

    // The registry knows her: the name is filled in.
    assert!(scan(&b, "010101599904").await.contains("The identity registry found the applicant"));
    assert_no_violations(&b, &axe_script(), "the counter form with its checklist").await;
    let (form, checklist) = (
        b.script("return document.querySelector('.desk-intake__form').getBoundingClientRect().right").await,
        b.script("return document.getElementById('desk-checklist').getBoundingClientRect().left").await,
    );
    assert!(checklist.as_f64().unwrap() >= form.as_f64().unwrap(), "the checklist beside the form at 1280 px: {form} {checklist}");
    assert_eq!(b.script("return document.documentElement.scrollWidth <= window.innerWidth").await, json!(true));
    choose_service(&b, "higher_duplicate").await;
    assert_eq!((b.value("#f-applicant-last_name").await, b.value("#f-applicant-first_name").await), ("Сейітқали".into(), "Әсел".into()));
    fill_applicant_to_reason(&b).await;
    b.click("#f-reason-damage").await;
    b.wait_for("#desk-check-original_document").await;
    let files = Files::new();
    b.attach("#f-attachments-original_document-file", &files.pdf("original.pdf")).await;
    b.wait_for("#f-attachments-original_document-file-name").await;
    b.click("#desk-check-original_document").await;
    consent_and_accept(&b).await;
    assert_no_violations(&b, &axe_script(), "the counter's accept step").await;
    b.click("#desk-receipt-lang-kk").await;
    b.click("#desk-accept").await;
    b.wait_for("#desk-number").await;
    let number = b.text("#desk-number").await;
    assert!(number.starts_with("TN-"), "{number}");
    assert_no_violations(&b, &axe_script(), "the accepted package").await;
    let view = application(&app, &number).await;
    assert_eq!((view["channel"].as_str(), view["status"].as_str()), (Some("con"), Some("submitted")), "{view}");
    let text = flat_text(&opened_pdf(&b, 0).await);
    for expected in [
        format!("Құжаттардың қабылданғаны туралы қолхат № {number}"),
        "Сейітқали Әсел Нұрланқызы".into(),
        "2. Құжаттың түпнұсқасы".into(),
        kazakh_date(view["due_on"].as_str().unwrap()),
        "1-дана".into(),
        "2-дана".into(),
        "Бақылау коды:".into(),
    ] {
        assert!(text.contains(&expected), "{expected:?} not in the acceptance receipt:\n{text}");
    }

    // The next applicant lacks the proof of the name change: refused, nothing stored.
    b.click("#desk-next").await;
    b.wait_for("#desk-iin").await;
    assert!(scan(&b, "850315401231").await.contains("found"));
    fill_up_to_reason(&b).await;
    b.click("#f-reason-name_change").await;
    b.wait_for("#desk-check-name_change_certificate").await;
    b.click("#desk-check-original_document").await;
    b.click("#desk-receipt-lang-ru").await;
    b.click("#desk-refuse").await;
    b.wait_for("#desk-refused-number").await;
    let refusal = b.text("#desk-refused-number").await;
    assert!(refusal.contains("RA-"), "{refusal}");
    assert_eq!(b.text("#desk-refused-missing").await, t(Lang::En, "attachment.kind.name_change_certificate"));
    let text = flat_text(&opened_pdf(&b, 1).await);
    let listed = |kind: &str| text.matches(&format!(") {};", t(Lang::Ru, &format!("attachment.kind.{kind}")))).count();
    assert_eq!((listed("name_change_certificate"), listed("original_document")), (2, 0), "exactly the missing item, in both copies:\n{text}");
    assert!(text.contains("Ахметова Гүлнар") && text.contains("Расписка об отказе в приеме документов"), "{text}");
    let (_, queue) = app.get("/api/applications", Some(&app.login("operator").await)).await;
    assert_eq!(queue["items"].as_array().map(Vec::len), Some(1), "only the accepted package is an application: {queue}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_the_identity_registry_down_the_operator_types_the_name_and_accepts() {
    let nobody = format!("http://127.0.0.1:{}", free_port());
    let app =
        TestApp::spawn_with(Backend::Sqlite, &[("TELNUSKA_IDENTITY_REGISTRY_URL", nobody.as_str()), ("TELNUSKA_IDENTITY_REGISTRY_TIMEOUT_SECS", "1")]).await;
    let b = Browser::start().await;
    open_intake(&b, &app).await;
    assert!(scan(&b, "010101599904").await.contains("The identity registry is unavailable. Type the applicant’s details by hand"));
    choose_service(&b, "higher_duplicate").await;
    assert_eq!(b.value("#f-applicant-iin").await, "010101599904");
    b.type_into("#f-applicant-last_name", "Сейітқали").await;
    b.type_into("#f-applicant-first_name", "Әсел").await;
    fill_applicant_to_reason(&b).await;
    b.click("#f-reason-loss").await;
    assert!(b.text("#desk-checklist").await.contains("Only the application is needed."));
    consent_and_accept(&b).await;
    b.click("#desk-accept").await;
    b.wait_for("#desk-number").await;
    let number = b.text("#desk-number").await;
    let view = application(&app, &number).await;
    assert_eq!(view["channel"], "con", "{view}");
    // The receipt in the screen's language, the applicant as typed.
    let text = flat_text(&opened_pdf(&b, 0).await);
    assert!(text.contains(&format!("Receipt of acceptance of documents No. {number}")) && text.contains("Сейітқали Әсел"), "{text}");
    b.close().await;
}

/// Papers handed in at a college's own office (003 item 47): the provider's staff use the same
/// intake, which offers only the services taken at an office, and the receipt names the college.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_college_takes_papers_at_its_own_office_with_the_same_intake() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    open_intake_as(&b, &app, "provider", "/staff/intake").await;
    scan_keys(&b, "010101599904").await;
    b.wait_for("#f-service-tvet_duplicate").await;
    assert!(!b.exists("#f-service-higher_duplicate").await, "a university's diplomas are not taken at an office");
    assert_no_violations(&b, &axe_script(), "the office's intake").await;
    choose_service(&b, "tvet_duplicate").await;
    fill_applicant_to_reason_with(&b, &AITU_COLLEGE_DIPLOMA).await;
    b.click("#f-reason-loss").await;
    consent_and_accept(&b).await;
    b.click("#desk-accept").await;
    b.wait_for("#desk-number").await;
    let number = b.text("#desk-number").await;
    let view = application(&app, &number).await;
    assert_eq!((view["channel"].as_str(), view["status"].as_str()), (Some("office"), Some("registered")), "the college's at once: {view}");
    let text = flat_text(&opened_pdf(&b, 0).await);
    assert!(
        text.contains(&format!("Receipt of acceptance of documents No. {number}")) && text.contains("Astana IT University"),
        "the college accepts:\n{text}"
    );
    b.close().await;
}

/// An out-of-date document handed over does not count (003 item 52): the package cannot be
/// accepted, and the refusal names the document.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_out_of_date_document_blocks_the_acceptance_and_is_named_on_the_refusal() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    open_intake(&b, &app).await;
    assert!(scan(&b, "010101599904").await.contains("found"));
    fill_up_to_reason(&b).await;
    b.click("#f-reason-damage").await;
    b.wait_for("#desk-check-original_document").await;
    assert!(!b.exists("#desk-expired-original_document").await, "only a document handed over can be out of date");
    b.click("#desk-check-original_document").await;
    b.click("#desk-expired-original_document").await;
    assert_no_violations(&b, &axe_script(), "the checklist with an out-of-date document").await;
    let files = Files::new();
    b.attach("#f-attachments-original_document-file", &files.pdf("original.pdf")).await;
    b.wait_for("#f-attachments-original_document-file-name").await;
    consent_and_accept(&b).await;
    b.click("#desk-accept").await;
    b.eventually("the acceptance refused", || async { b.text("#desk-problem").await.contains("out-of-date document does not count") }).await;
    assert!(!b.exists("#desk-number").await);
    b.click("#desk-refuse").await;
    b.wait_for("#desk-refused-number").await;
    assert_eq!(b.text("#desk-refused-missing").await, t(Lang::En, "attachment.kind.original_document"));
    let (_, queue) = app.get("/api/applications", Some(&app.login("operator").await)).await;
    assert_eq!(queue["items"], json!([]), "nothing accepted: {queue}");
    b.close().await;
}
