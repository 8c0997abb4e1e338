//! The citizen's application, step by step: live validation with an error summary per step,
//! the review with "change" links, signing with an SMS code, submitting once; the language
//! switch; drafts that survive a reload (listed on the start page, then continued).

use telnuska_tests::browser::Browser;
use telnuska_tests::server::TempDir;
use telnuska_tests::{Backend, TestApp};

use crate::drafts::continue_draft;
use crate::flow::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_applies_for_a_university_diploma_step_by_step_and_submits_one_application() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.wait_for("#f-service-higher_duplicate").await;
    assert!(!b.exists("#app-loading").await, "the loading notice is gone once the app runs");
    assert!(!b.exists("#step-back").await, "the first step has no way back");

    // "Continue" without a choice: the summary says what is missing and links to the choice.
    b.click("#step-next").await;
    b.wait_for("#error-summary").await;
    b.wait_for("#f-service-error").await;
    b.click("#error-summary a").await;
    b.click("#f-service-higher_duplicate").await;
    b.eventually("the choice clears the error", || async { !b.exists("#f-service-error").await }).await;
    next(&b, "#f-relationship-self").await;

    // A typo in the IIN is pointed out when the person leaves the field, and goes away when fixed.
    b.click("#f-relationship-self").await;
    b.type_into("#f-applicant-iin", "010101599905").await;
    assert!(!b.text("#f-applicant-iin-error").await.trim().is_empty());
    let iin = b.wait_for("#f-applicant-iin").await;
    assert_eq!(iin.attr("aria-invalid").await.unwrap().as_deref(), Some("true"));
    assert!(iin.attr("aria-describedby").await.unwrap().unwrap_or_default().contains("f-applicant-iin-error"));
    iin.clear().await.unwrap();
    b.type_into("#f-applicant-iin", GRADUATE_IIN).await;
    b.eventually("the IIN error disappears", || async { !b.exists("#f-applicant-iin-error").await }).await;

    // "Continue" with names missing stays on the step and lists both.
    b.click("#step-next").await;
    let summary = b.text("#error-summary").await;
    assert!(b.exists("#f-applicant-last_name-error").await && b.exists("#f-applicant-first_name-error").await, "{summary}");
    b.type_into("#f-applicant-last_name", "Сейітқали").await;
    b.type_into("#f-applicant-first_name", "Әсел").await;
    type_contacts(&b).await;
    next(&b, "#f-document_kind-diploma").await;

    b.click("#f-document_kind-diploma").await;
    fill_document(&b, 0, &KAZNMU_DIPLOMA).await;
    next(&b, "#f-reason-loss").await;
    b.click("#f-reason-loss").await;
    assert!(!b.exists("#f-attachments-original_document-file").await, "a lost diploma needs no file");
    next(&b, "#f-consents-accuracy").await;
    b.click("#f-consents-accuracy").await;
    b.click("#f-consents-personal_data").await;
    next(&b, "#review").await;

    // The review shows the answers; "change" opens the step and "continue" comes back.
    let review = b.text("#review").await;
    assert!(review.contains("0012345") && review.contains("Сейітқали"), "{review}");
    b.click("#change-documents").await;
    b.wait_for("#f-documents-0-number").await.clear().await.unwrap();
    b.type_into("#f-documents-0-number", "0012346").await;
    next(&b, "#review").await;
    assert!(b.text("#review").await.contains("0012346"));
    next(&b, "#send-code").await;

    sign(&b, &app).await;
    send_and_confirm(&b).await;
    let stored = stored_applications(&app).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["request"]["documents"][0]["number"], "0012346");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_switch_changes_the_visible_text_and_is_remembered() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.wait_for("#f-service-higher_duplicate").await;
    let texts = || async {
        let mut all = Vec::new();
        for css in ["#step-title", "#step-next", "#step-progress", "label[for=f-service-correction]", "#nav-track"] {
            all.push(b.text(css).await);
        }
        all
    };
    let kk = texts().await;
    b.click("#lang-ru").await;
    b.eventually("the page is in Russian", || async { b.script("return document.documentElement.lang").await == "ru" }).await;
    let ru = texts().await;
    for (k, r) in kk.iter().zip(&ru) {
        assert_ne!(k, r, "every text follows the language");
    }
    assert_eq!(ru[1], "Продолжить");
    b.click("#lang-en").await;
    b.eventually("the page is in English", || async { b.text("#step-next").await == "Continue" }).await;
    assert_eq!(b.text("#step-title").await, "Which service do you need?");

    b.client.refresh().await.unwrap();
    b.eventually("the language is remembered", || async { b.text("#step-next").await == "Continue" }).await;
    b.close().await;
}

/// A killed browser (a crash, a pulled plug) may lose what localStorage held; the language is
/// kept with the drafts in IndexedDB too, and read from there before the first paint.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_language_chosen_survives_the_browser_process_being_killed() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let profile = TempDir::new("telnuska-lang-profile");
    let b = Browser::start_with_profile(profile.0.clone()).await;
    b.open(&app.url("/")).await;
    b.wait_for("#f-service-higher_duplicate").await;
    b.click("#lang-ru").await;
    b.eventually("the language is kept with the drafts", || async { b.stored_records("telnuska", "settings").await == r#"["ru"]"# }).await;

    b.kill();
    let b = Browser::start_with_profile(profile.0.clone()).await;
    b.open(&app.url("/")).await;
    b.eventually("the app opens in Russian", || async { b.exists("#step-next").await && b.text("#step-next").await == "Продолжить" }).await;
    assert_eq!(b.script("return document.documentElement.lang").await, "ru");

    // Whatever localStorage lost, boot.js finds the language in IndexedDB before the app starts.
    b.script("localStorage.clear()").await;
    b.client.refresh().await.unwrap();
    b.eventually("the app opens in Russian again", || async { b.exists("#step-next").await && b.text("#step-next").await == "Продолжить" }).await;
    assert_eq!(b.script("return window.telnuskaLang").await, "ru", "chosen before the first paint");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_half_typed_form_is_restored_from_indexeddb_after_a_reload() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    choose_service(&b, "tvet_duplicate").await;
    b.click("#f-relationship-self").await;
    b.type_into("#f-applicant-iin", GRADUATE_IIN).await;
    b.type_into("#f-applicant-last_name", "Сейітқали").await;
    b.wait_for_saved_draft("Сейітқали").await;

    b.client.refresh().await.unwrap();
    // The reload stays on the step it was on.
    continue_draft(&b).await;
    b.wait_for("#f-applicant-iin").await;
    b.eventually("the draft is restored", || async { b.value("#f-applicant-iin").await == GRADUATE_IIN }).await;
    assert_eq!(b.value("#f-applicant-last_name").await, "Сейітқали");
    assert_eq!(b.script("return document.getElementById('f-relationship-self').checked").await, true);
    b.click("#step-back").await;
    b.eventually("the chosen service is restored", || async { b.script("return document.getElementById('f-service-tvet_duplicate').checked").await == true })
        .await;
    assert_eq!(app.count_applications().await, 0, "nothing is sent before the person submits");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_sms_code_is_refused_and_the_answers_come_back_to_be_corrected() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    choose_service(&b, "higher_duplicate").await;
    b.click("#f-relationship-self").await;
    type_person(&b, "applicant", GRADUATE_IIN, "Сейітқали", "Әсел").await;
    type_contacts(&b).await;
    next(&b, "#f-document_kind-diploma").await;
    b.click("#f-document_kind-diploma").await;
    fill_document(&b, 0, &KAZNMU_DIPLOMA).await;
    next(&b, "#f-reason-loss").await;
    b.click("#f-reason-loss").await;
    next(&b, "#f-consents-accuracy").await;
    consent_and_review(&b).await;
    b.click("#send-code").await;
    let code = sms_code(&app).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    b.type_into("#f-signature-code", wrong).await;
    b.click("#submit").await;

    // The server's verdict shows at the code, in the summary, and nothing is stored.
    assert!(!b.text("#f-signature-code-error").await.trim().is_empty());
    b.wait_for("#error-summary").await;
    assert_eq!(app.count_applications().await, 0);
    // The answers are a draft again, listed as needing correction.
    b.wait_for_saved_draft(r#""needs_correction":true"#).await;
    b.open(&app.url("/")).await;
    assert!(!b.text("#drafts .draft__flag").await.trim().is_empty(), "marked as needing correction");
    continue_draft(&b).await;
    b.eventually("the draft is back on the signing step", || async { b.value("#f-signature-code").await == wrong }).await;

    b.wait_for("#f-signature-code").await.clear().await.unwrap();
    b.type_into("#f-signature-code", &code).await;
    send_and_confirm(&b).await;
    assert_eq!(app.count_applications().await, 1);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_survives_closing_the_browser_and_opening_it_again() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let profile = telnuska_tests::server::TempDir::new("telnuska-profile");
    let b = Browser::start_with_profile(profile.0.clone()).await;
    b.open(&app.url("/")).await;
    choose_service(&b, "correction").await;
    b.click("#f-relationship-self").await;
    b.type_into("#f-applicant-iin", GRADUATE_IIN).await;
    b.wait_for_saved_draft(GRADUATE_IIN).await;
    b.close().await;

    let b = Browser::start_with_profile(profile.0.clone()).await;
    b.open(&app.url("/")).await;
    continue_draft(&b).await;
    b.eventually("the draft is back in a new browser session", || async {
        b.exists("#f-applicant-iin").await && b.value("#f-applicant-iin").await == GRADUATE_IIN
    })
    .await;
    b.close().await;
}

/// Presses "continue" on an empty step, checks that each listed input shows its error (and is
/// marked invalid), then fills them one by one and checks that each error goes away.
async fn every_error_appears_and_disappears(b: &Browser, inputs: &[(&str, &str)]) {
    b.click("#step-next").await;
    b.wait_for("#error-summary").await;
    for (id, _) in inputs {
        assert!(b.exists(&format!("#{id}-error")).await, "no error at #{id}");
        let input = b.wait_for(&format!("#{id}")).await;
        assert_eq!(input.attr("aria-invalid").await.unwrap().as_deref(), Some("true"), "#{id}");
    }
    for (id, value) in inputs {
        if let Some(option) = value.strip_prefix('=') {
            b.select(&format!("#{id}"), option).await;
        } else {
            b.type_into(&format!("#{id}"), value).await;
        }
        b.eventually(&format!("the error at #{id} goes away"), || async { !b.exists(&format!("#{id}-error")).await }).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_required_input_reports_its_error_at_itself_until_it_is_filled() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    choose_service(&b, "school_duplicate").await;
    b.click("#f-relationship-guardian").await;
    every_error_appears_and_disappears(
        &b,
        &[
            ("f-applicant-iin", PARENT_IIN),
            ("f-applicant-last_name", "Сейітқали"),
            ("f-applicant-first_name", "Гүлнар"),
            ("f-pupil-iin", PUPIL_IIN),
            ("f-pupil-last_name", "Сейітқали"),
            ("f-pupil-first_name", "Әлия"),
            ("f-applicant-phone", "8 701 123 45 67"),
        ],
    )
    .await;
    // The pupil is another person than the guardian: a cross-field rule, shown at the pupil's IIN.
    b.wait_for("#f-pupil-iin").await.clear().await.unwrap();
    b.type_into("#f-pupil-iin", PARENT_IIN).await;
    assert!(!b.text("#f-pupil-iin-error").await.trim().is_empty());
    b.wait_for("#f-pupil-iin").await.clear().await.unwrap();
    b.type_into("#f-pupil-iin", PUPIL_IIN).await;
    b.eventually("the pupil's IIN is accepted", || async { !b.exists("#f-pupil-iin-error").await }).await;
    next(&b, "#f-documents-0-region").await;
    every_error_appears_and_disappears(
        &b,
        &[
            ("f-documents-0-region", "=astana_city"),
            ("f-documents-0-institution", "=nis_fm_astana"),
            ("f-documents-0-degree", "=general_secondary"),
            ("f-documents-0-series", "ЖОБ"),
            ("f-documents-0-number", "0123456"),
            ("f-documents-0-registration_number", "15"),
            ("f-documents-0-graduation_year", "2025"),
        ],
    )
    .await;
    // A year before the pupil could have finished school is pointed out at the year.
    b.wait_for("#f-documents-0-graduation_year").await.clear().await.unwrap();
    b.type_into("#f-documents-0-graduation_year", "2015").await;
    assert!(!b.text("#f-documents-0-graduation_year-error").await.trim().is_empty());
    b.wait_for("#f-documents-0-graduation_year").await.clear().await.unwrap();
    b.type_into("#f-documents-0-graduation_year", "2025").await;
    b.eventually("the year is accepted", || async { !b.exists("#f-documents-0-graduation_year-error").await }).await;
    next(&b, "#f-reason-loss").await;
}
