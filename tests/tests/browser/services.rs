//! One complete application for each of the other three services, each with what makes it
//! different: two documents and tracking (college), a parent with the pupil and the pupil's
//! birth certificate photographed (school), an uploaded electronic copy (correction).

use telnuska_tests::browser::Browser;
use telnuska_tests::{Backend, TestApp};

use crate::flow::*;

/// Steps 1–3 of a college application by its graduate, up to the first document filled in
/// (asking for `kind`); returns that document.
async fn college_diploma_by_its_graduate(b: &Browser, kind: &str) -> Doc<'static> {
    choose_service(b, "tvet_duplicate").await;
    b.click("#f-relationship-self").await;
    type_person(b, "applicant", GRADUATE_IIN, "Сейітқали", "Әсел").await;
    type_contacts(b).await;
    next(b, &format!("#f-document_kind-{kind}")).await;
    b.click(&format!("#f-document_kind-{kind}")).await;
    let college = AITU_COLLEGE_DIPLOMA;
    fill_document(b, 0, &college).await;
    college
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graduate_asks_for_two_college_diplomas_and_tracks_the_application() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    let college = college_diploma_by_its_graduate(&b, "diploma_and_supplement").await;
    b.click("#add-document").await;
    let second = Doc { institution: "astana_polytechnic", number: "0009999", year: "2023", ..college };
    fill_document(&b, 1, &second).await;
    next(&b, "#f-reason-loss").await;
    b.click("#f-reason-loss").await;
    next(&b, "#f-consents-accuracy").await;
    consent_and_review(&b).await;
    sign(&b, &app).await;
    let number = send_and_confirm(&b).await;
    let stored = stored_applications(&app).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["service"], "tvet_duplicate");
    assert_eq!(stored[0]["request"]["documents"].as_array().map(Vec::len), Some(2));

    // "My applications" lists it with its stage and history, in the person's language.
    b.click("#lang-en").await;
    b.click("#confirmation-track").await;
    let item = b.text("#tracked .tracked__item").await;
    assert!(item.contains(number.trim()), "{item}");
    assert_eq!(b.text(".tracked__status").await, "Registered by the institution");
    assert!(b.text(".history li").await.contains("Registered by the institution"));
    b.click("#lang-ru").await;
    b.eventually("the stage is in Russian", || async {
        b.text(".tracked__status").await == "Зарегистрировано учебным заведением"
    })
    .await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_parent_applies_for_the_pupils_school_certificate_with_a_photo_of_the_birth_certificate() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    let files = Files::new();
    b.open(&app.url("/")).await;
    choose_service(&b, "school_duplicate").await;
    b.click("#f-relationship-parent").await;
    type_person(&b, "applicant", PARENT_IIN, "Сейітқали", "Гүлнар").await;
    type_person(&b, "pupil", PUPIL_IIN, "Сейітқали", "Әлия").await;
    type_contacts(&b).await;
    // A school issues one kind of document: it is chosen already.
    next(&b, "#f-documents-0-region").await;
    assert_eq!(b.script("return document.getElementById('f-document_kind-certificate').checked").await, true);
    assert!(!b.exists("#f-documents-0-specialty").await, "a school certificate has no specialty");
    let school = NIS_SCHOOL_CERTIFICATE;
    fill_document(&b, 0, &school).await;
    next(&b, "#f-reason-loss").await;
    b.click("#f-reason-loss").await;

    // The birth certificate is required: "continue" without it points at the file input.
    b.click("#step-next").await;
    b.wait_for("#f-attachments-birth_certificate-error").await;
    // A 3000×2000 photo is made smaller on the device before it is sent.
    b.attach("#f-attachments-birth_certificate-file", &files.png("birth.png", 3000, 2000)).await;
    let attached = b.text("#f-attachments-birth_certificate-file-name").await;
    assert!(attached.contains("birth.jpg"), "{attached}");
    b.eventually("the error is gone", || async { !b.exists("#f-attachments-birth_certificate-error").await }).await;
    next(&b, "#f-consents-accuracy").await;
    consent_and_review(&b).await;
    sign(&b, &app).await;
    send_and_confirm(&b).await;

    let stored = stored_applications(&app).await;
    assert_eq!(stored.len(), 1);
    let request = &stored[0]["request"];
    assert_eq!(request["relationship"], "parent");
    assert_eq!(request["pupil"]["iin"], PUPIL_IIN);
    assert_eq!(request["representative"], serde_json::Value::Null);
    assert_eq!(request["attachments"][0]["kind"], "birth_certificate");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graduate_asks_for_a_correction_with_an_uploaded_electronic_copy() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    let files = Files::new();
    b.open(&app.url("/")).await;
    // Its title says which documents it covers (002: the college's), in every language.
    let title = || b.text("label[for=f-service-correction]");
    assert!(title().await.contains("Техникалық және кәсіптік, орта білімнен кейінгі білім туралы құжаттардағы"), "{}", title().await);
    b.click("#lang-ru").await;
    b.eventually("the title in Russian", || async {
        title().await.contains("о документах о техническом и профессиональном, послесреднем образовании")
    })
    .await;
    choose_service(&b, "correction").await;
    assert!(!b.exists("#f-relationship-parent").await, "only a school document may be asked for by a parent");
    b.click("#f-relationship-self").await;
    type_person(&b, "applicant", GRADUATE_IIN, "Сейітқали", "Әсел").await;
    type_contacts(&b).await;
    next(&b, "#f-document_kind-diploma").await;
    b.click("#f-document_kind-diploma").await;
    let college = AITU_COLLEGE_DIPLOMA;
    fill_document(&b, 0, &college).await;
    // A correction has one reason, chosen already, and needs the electronic copy.
    next(&b, "#f-attachments-electronic_copy-file").await;
    assert_eq!(b.script("return document.getElementById('f-reason-data_error').checked").await, true);
    b.select("#f-corrections-0-data", "specialty").await;
    b.type_into("#f-corrections-0-as_printed", "Бағдарламалық қамтама").await;
    b.type_into("#f-corrections-0-should_be", "Бағдарламалық қамтамасыз ету").await;
    b.type_into("#f-corrections-0-proof", "Транскрипт № 77").await;
    b.attach("#f-attachments-electronic_copy-file", &files.pdf("diploma.pdf")).await;
    assert!(b.text("#f-attachments-electronic_copy-file-name").await.contains("diploma.pdf"));
    next(&b, "#f-consents-accuracy").await;
    consent_and_review(&b).await;
    assert!(b.exists("#submit").await);
    sign(&b, &app).await;
    send_and_confirm(&b).await;

    let stored = stored_applications(&app).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["service"], "correction");
    assert_eq!(stored[0]["request"]["reason"], "data_error");
    assert_eq!(stored[0]["request"]["attachments"][0]["kind"], "electronic_copy");
    b.close().await;
}

/// Audit items 3 and 7 (DOMAIN.md): the person says where the diploma is collected (a ЦОН
/// branch, named) and what the college was called when it has been renamed since, in every
/// language of the form.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_graduate_names_a_renamed_college_and_the_con_branch_to_collect_from() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    college_diploma_by_its_graduate(&b, "diploma").await;
    b.type_into("#f-documents-0-institution_as_named", "Астана политехникалық колледжі, Астана, Жеңіс даңғылы 1").await;
    next(&b, "#f-reason-loss").await;
    b.click("#f-reason-loss").await;
    for (lang, label) in [("kk", "Нәтижені қайдан аласыз?"), ("ru", "Где вы получите результат?"), ("en", "Where will you collect the result?")]
    {
        b.click(&format!("#lang-{lang}")).await;
        b.eventually("the label follows the language", || async { b.text("label[for=f-collection-place]").await == label }).await;
    }
    assert!(!b.exists("#f-collection-branch").await, "the branch is asked only for ЦОН");
    b.select("#f-collection-place", "con").await;
    b.wait_for("#f-collection-branch").await;
    b.type_into("#f-collection-branch", "Есіл ауданы").await;
    next(&b, "#f-consents-accuracy").await;
    consent_and_review(&b).await;
    sign(&b, &app).await;
    send_and_confirm(&b).await;
    let stored = stored_applications(&app).await;
    assert_eq!(stored[0]["request"]["collection"], serde_json::json!({"place": "con", "branch": "Есіл ауданы"}));
    assert_eq!(stored[0]["request"]["documents"][0]["institution_as_named"], "Астана политехникалық колледжі, Астана, Жеңіс даңғылы 1");
    b.close().await;
}
