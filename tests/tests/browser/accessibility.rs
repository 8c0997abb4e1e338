//! axe-core (the npm package, injected into the page through WebDriver) finds no violation on
//! any step of the form, with errors shown, on the confirmation and on "my applications".

use serde_json::Value;
use telnuska_tests::browser::Browser;
use telnuska_tests::server::workspace_root;
use telnuska_tests::{Backend, TestApp};

use crate::flow::*;

/// axe-core's script: `TELNUSKA_AXE` (set by `cargo xtask test`, which installs the pinned
/// release from npm), else where xtask installs it. A test never installs anything itself.
pub(crate) fn axe_script() -> String {
    let path = std::env::var_os("TELNUSKA_AXE").map_or_else(|| workspace_root().join(".tools/axe/node_modules/axe-core/axe.min.js"), std::path::PathBuf::from);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("axe-core at {}: {e} (run the tests with `cargo xtask test`, which installs it)", path.display()))
}

/// The violations axe finds on the page as it is now (ids, impact, help and elements).
async fn violations(b: &Browser, axe: &str) -> Vec<Value> {
    if b.script("return typeof window.axe").await != "object" {
        b.script(&format!("{axe}\nreturn true;")).await;
    }
    let found = b
        .script(
            "return axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => \
             ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))",
        )
        .await;
    found.as_array().cloned().unwrap_or_else(|| panic!("axe did not run: {found}"))
}

/// Runs every axe rule on the page as it is now and fails with the violations found.
pub(crate) async fn assert_no_violations(b: &Browser, axe: &str, place: &str) {
    let found = violations(b, axe).await;
    assert!(found.is_empty(), "axe on {place}: {}", Value::Array(found));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn axe_finds_no_violation_on_any_step() {
    let axe = axe_script();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    let files = Files::new();
    b.open(&app.url("/")).await;
    b.wait_for("#f-service-school_duplicate").await;
    // The check itself works: a planted image without a text alternative is reported.
    b.script(
        "const img = document.createElement('img'); img.id = 'planted'; img.src = '/icons/icon.svg'; document.getElementById('main').append(img); return true",
    )
    .await;
    let planted = violations(&b, &axe).await;
    assert!(planted.iter().any(|v| v["id"] == "image-alt"), "axe missed a planted violation: {planted:?}");
    b.script("document.getElementById('planted').remove(); return true").await;
    assert_no_violations(&b, &axe, "the service step").await;
    b.click("#step-next").await;
    b.wait_for("#error-summary").await;
    assert_no_violations(&b, &axe, "the service step with its error").await;
    choose_service(&b, "school_duplicate").await;

    b.click("#f-relationship-parent").await;
    b.type_into("#f-applicant-iin", "123").await;
    b.wait_for("#f-applicant-iin-error").await;
    assert_no_violations(&b, &axe, "the applicant step with an error").await;
    b.wait_for("#f-applicant-iin").await.clear().await.unwrap();
    type_person(&b, "applicant", PARENT_IIN, "Сейітқали", "Гүлнар").await;
    type_person(&b, "pupil", PUPIL_IIN, "Сейітқали", "Әлия").await;
    type_contacts(&b).await;
    next(&b, "#f-documents-0-region").await;
    b.click("#add-document").await;
    b.wait_for("#remove-document-1").await;
    assert_no_violations(&b, &axe, "the documents step with two entries").await;
    b.click("#remove-document-1").await;
    let school = NIS_SCHOOL_CERTIFICATE;
    fill_document(&b, 0, &school).await;
    next(&b, "#f-reason-loss").await;
    b.click("#f-reason-damage").await;
    b.wait_for("#f-attachments-original_document-file").await;
    assert_no_violations(&b, &axe, "the reason step with two files to attach").await;
    b.attach("#f-attachments-birth_certificate-file", &files.png("birth.png", 40, 30)).await;
    b.wait_for("#f-attachments-birth_certificate-file-name").await;
    b.attach("#f-attachments-original_document-file", &files.pdf("original.pdf")).await;
    b.wait_for("#f-attachments-original_document-file-name").await;
    next(&b, "#f-consents-accuracy").await;
    assert_no_violations(&b, &axe, "the consents step").await;
    b.click("#f-consents-accuracy").await;
    b.click("#f-consents-personal_data").await;
    next(&b, "#review").await;
    assert_no_violations(&b, &axe, "the review").await;
    next(&b, "#send-code").await;
    sign(&b, &app).await;
    assert_no_violations(&b, &axe, "the signing step").await;
    send_and_confirm(&b).await;
    assert_no_violations(&b, &axe, "the confirmation").await;
    b.click("#nav-track").await;
    b.wait_for(".tracked__status").await;
    assert_no_violations(&b, &axe, "my applications").await;
    b.close().await;
}
