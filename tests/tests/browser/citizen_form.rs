//! The citizen's application form: live validation, signing with an SMS code, submitting once,
//! and drafts that survive a reload.

use std::time::Duration;

use telnuska_tests::browser::Browser;
use telnuska_tests::{Backend, TestApp};

const PHONE: &str = "+77011234567";

/// Fills in every field but the IIN of a valid university-diploma application (not yet signed).
async fn fill_in_the_rest_of_a_valid_application(b: &Browser) {
    b.type_into("#f-applicant-last_name", "Сейітқали").await;
    b.type_into("#f-applicant-first_name", "Әсел").await;
    b.type_into("#f-applicant-phone", "8 701 123 45 67").await;
    b.type_into("#f-applicant-email", "asel@mail.kz").await;
    b.wait_for("#f-document_kind-diploma").await.click().await.unwrap();
    b.select("#f-documents-0-region", "almaty_city").await;
    b.select("#f-documents-0-institution", "kaznmu").await;
    b.select("#f-documents-0-degree", "bachelor").await;
    b.type_into("#f-documents-0-specialty", "Жалпы медицина").await;
    b.type_into("#f-documents-0-series", "BD").await;
    b.type_into("#f-documents-0-number", "0012345").await;
    b.type_into("#f-documents-0-registration_number", "1234").await;
    b.type_into("#f-documents-0-graduation_year", "2015").await;
    b.wait_for("#f-reason-loss").await.click().await.unwrap();
    b.wait_for("#f-consents-accuracy").await.click().await.unwrap();
    b.wait_for("#f-consents-personal_data").await.click().await.unwrap();
}

/// The code the demo outbox holds for [`PHONE`], waiting up to 20 s for it.
async fn sms_code(app: &TestApp) -> String {
    for _ in 0..200 {
        let (status, sms) = app.get(&format!("/api/dev/sms?phone={}", PHONE.replace('+', "%2B")), None).await;
        if let Some(code) = sms[0]["code"].as_str().filter(|_| status == 200) {
            return code.to_string();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no SMS code for {PHONE} within 20 s")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_fills_in_the_form_sees_errors_as_they_type_and_submits_one_application() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.wait_for("#f-applicant-iin").await;
    assert!(!b.exists("#app-loading").await, "the loading notice is gone once the app runs");

    // A typo in the IIN is pointed out when the person leaves the field, and goes away when fixed.
    b.type_into("#f-applicant-iin", "010101599905").await;
    let error = b.wait_for("#f-applicant-iin-error").await;
    assert!(!error.text().await.unwrap().trim().is_empty());
    let iin = b.wait_for("#f-applicant-iin").await;
    assert_eq!(iin.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    iin.clear().await.unwrap();
    b.type_into("#f-applicant-iin", "010101599904").await;
    b.eventually("the IIN error disappears", || async { !b.exists("#f-applicant-iin-error").await }).await;

    fill_in_the_rest_of_a_valid_application(&b).await;

    b.wait_for("#send-code").await.click().await.unwrap();
    let code = sms_code(&app).await;
    b.type_into("#f-signature-code", &code).await;
    b.wait_for("#submit").await.click().await.unwrap();

    let confirmation = b.wait_for("#confirmation").await;
    let number = b.wait_for("#application-number").await.text().await.unwrap();
    assert!(number.contains("TN-"), "number shown: {number:?}");
    assert!(confirmation.text().await.unwrap().contains(number.trim()));
    assert!(!b.wait_for("#due-on").await.text().await.unwrap().trim().is_empty());
    assert_eq!(app.count_applications().await, 1);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_typed_form_is_restored_from_indexeddb_after_a_reload() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.type_into("#f-applicant-iin", "010101599904").await;
    b.type_into("#f-applicant-last_name", "Сейітқали").await;
    b.select("#f-documents-0-region", "almaty_city").await;
    // Drafts are saved at most 300 ms after the last change.
    tokio::time::sleep(Duration::from_millis(1200)).await;

    b.client.refresh().await.unwrap();
    b.wait_for("#f-applicant-iin").await;
    b.eventually("the draft is restored", || async { b.value("#f-applicant-iin").await == "010101599904" }).await;
    assert_eq!(b.value("#f-applicant-last_name").await, "Сейітқали");
    assert_eq!(b.value("#f-documents-0-region").await, "almaty_city");
    assert_eq!(app.count_applications().await, 0, "nothing is sent before the person submits");
    b.close().await;
}
