//! What the form asks beyond the basics, in several languages: an institution not in the list
//! (found by the administrator in the routing queue), a correction and a name change that reach
//! staff with their before and after, relationships refused at the right person's field, and a
//! representative's contacts kept as theirs.

use serde_json::{json, Value};
use telnuska_shared::i18n::{t, Lang};
use telnuska_tests::browser::Browser;
use telnuska_tests::{Backend, TestApp};

use crate::flow::*;

/// The graduate's own application for a diploma of `service`, up to its documents.
async fn apply_as_graduate_for_a_diploma(b: &Browser, service: &str) {
    choose_service(b, service).await;
    b.click("#f-relationship-self").await;
    type_person(b, "applicant", GRADUATE_IIN, "Сейітқали", "Әсел").await;
    type_contacts(b).await;
    next(b, "#f-document_kind-diploma").await;
    b.click("#f-document_kind-diploma").await;
}

/// Opens the app in `lang` with a fresh server and browser.
async fn open_in(lang: &str) -> (TestApp, Browser) {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.click(&format!("#lang-{lang}")).await;
    (app, b)
}

/// A college diploma whose college is not in the list.
async fn fill_unlisted_college(b: &Browser) {
    b.select("#f-documents-0-region", "pavlodar").await;
    b.select("#f-documents-0-institution", "unlisted").await;
    b.type_into("#f-documents-0-unlisted_institution", "Павлодарский колледж сервиса и питания").await;
    b.select("#f-documents-0-degree", "tvet").await;
    b.type_into("#f-documents-0-specialty", "Повар").await;
    b.type_into("#f-documents-0-series", "ТКБ").await;
    b.type_into("#f-documents-0-number", "0001234").await;
    b.type_into("#f-documents-0-registration_number", "55").await;
    b.type_into("#f-documents-0-graduation_year", "2019").await;
}

/// The staff view of the only application with `service`.
async fn staff_view(app: &TestApp, service: &str) -> Value {
    let stored = stored_applications(app).await;
    let id = stored.iter().find(|a| a["service"] == service).expect("the application is in the queue")["id"].as_str().unwrap().to_string();
    let (status, view) = app.get(&format!("/api/applications/{id}"), Some(&app.login("operator").await)).await;
    assert_eq!(status, 200, "{view}");
    view
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unlisted_college_is_applied_for_in_russian_and_found_in_the_admins_routing_queue() {
    let (app, b) = open_in("ru").await;
    apply_as_graduate_for_a_diploma(&b, "tvet_duplicate").await;
    // The region has no college in the list: the form offers "not in the list", never a dead end.
    b.select("#f-documents-0-region", "pavlodar").await;
    assert_eq!(b.script("return document.getElementById('f-documents-0-institution').options.length").await, 2, "the prompt and \"not in the list\"");
    assert!(b.text("#f-documents-0-institution option[value=unlisted]").await.contains("нет в списке"));
    fill_unlisted_college(&b).await;
    next(&b, "#f-reason-loss").await;
    b.click("#f-reason-loss").await;
    next(&b, "#f-consents-accuracy").await;
    consent_and_review(&b).await;
    b.click("#step-back").await;
    b.wait_for("#review").await;
    assert!(b.text("#review").await.contains("Павлодарский колледж сервиса и питания"), "the review names it as typed");
    next(&b, "#send-code").await;
    sign(&b, &app).await;
    send_and_confirm(&b).await;

    let admin = app.login("admin").await;
    let (status, queue) = app.get("/api/admin/routing?region=pavlodar", Some(&admin)).await;
    assert_eq!(status, 200, "{queue}");
    assert_eq!(queue["items"][0]["request"]["documents"][0]["unlisted_institution"], "Павлодарский колледж сервиса и питания");
    assert_eq!(queue["items"][0]["service"], "tvet_duplicate", "a college's document");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_correction_in_english_reaches_staff_with_what_is_printed_and_what_it_should_be() {
    let (app, b) = open_in("en").await;
    let files = Files::new();
    apply_as_graduate_for_a_diploma(&b, "correction").await;
    let college = AITU_COLLEGE_DIPLOMA;
    fill_document(&b, 0, &college).await;
    next(&b, "#f-corrections-0-data").await;
    assert_eq!(b.text("#f-reason legend, fieldset legend").await.trim(), "Why do you apply?", "a correction does not speak of a duplicate");
    // "Continue" without saying what is wrong: the choice says what to choose.
    b.click("#step-next").await;
    b.wait_for("#f-corrections-0-data-error").await;
    assert!(b.text("#f-corrections-0-data-error").await.contains("Choose which data is wrong"));
    b.select("#f-corrections-0-data", "last_name").await;
    b.type_into("#f-corrections-0-as_printed", "Сейткали").await;
    b.type_into("#f-corrections-0-should_be", "Сейітқали").await;
    b.type_into("#f-corrections-0-proof", "Identity card No. 012345678").await;
    b.attach("#f-attachments-electronic_copy-file", &files.pdf("diploma.pdf")).await;
    b.wait_for("#f-attachments-electronic_copy-file-name").await;
    next(&b, "#f-consents-accuracy").await;
    consent_and_review(&b).await;
    b.click("#step-back").await;
    b.wait_for("#review").await;
    assert!(b.text("#review").await.contains("Сейткали → Сейітқали"));
    next(&b, "#send-code").await;
    sign(&b, &app).await;
    send_and_confirm(&b).await;
    let next_steps = b.text("#confirmation").await;
    assert!(next_steps.contains("corrected data") && !next_steps.contains("duplicate"), "{next_steps}");
    let view = staff_view(&app, "correction").await;
    let correction = &view["request"]["corrections"][0];
    assert_eq!(
        [&correction["data"], &correction["as_printed"], &correction["should_be"], &correction["proof"]].map(|v| v.as_str().unwrap_or("")),
        ["last_name", "Сейткали", "Сейітқали", "Identity card No. 012345678"]
    );

    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_name_change_in_kazakh_reaches_staff_with_the_name_on_the_original() {
    let (app, b) = open_in("kk").await;
    let files = Files::new();
    apply_as_graduate_for_a_diploma(&b, "higher_duplicate").await;
    fill_document(&b, 0, &KAZNMU_DIPLOMA).await;
    next(&b, "#f-reason-loss").await;
    assert_eq!(
        b.script("return document.getElementById('f-name_on_document-last_name').offsetParent === null").await,
        true,
        "asked only when the name differs"
    );
    b.click("#f-reason-name_change").await;
    b.wait_for("#f-name_on_document-last_name").await;
    b.type_into("#f-name_on_document-last_name", "Ахметова").await;
    b.type_into("#f-name_on_document-first_name", "Әсел").await;
    b.attach("#f-attachments-original_document-file", &files.pdf("original.pdf")).await;
    b.wait_for("#f-attachments-original_document-file-name").await;
    b.attach("#f-attachments-name_change_certificate-file", &files.pdf("marriage.pdf")).await;
    b.wait_for("#f-attachments-name_change_certificate-file-name").await;
    next(&b, "#f-consents-accuracy").await;
    consent_and_review(&b).await;
    sign(&b, &app).await;
    send_and_confirm(&b).await;
    let view = staff_view(&app, "higher_duplicate").await;
    assert_eq!(view["request"]["name_on_document"]["last_name"], "Ахметова");
    assert_eq!(view["request"]["applicant"]["last_name"], "Сейітқали");
    assert_eq!(view["register_name"], "Ахметова Әсел");
    b.close().await;
}

/// The text of the error at `field`'s input once it shows one containing `part`.
async fn error_at(b: &Browser, field: &str, part: &str) {
    let css = format!("#f-{field}-error");
    b.eventually(&format!("{css} says {part:?}"), || async { b.exists(&css).await && b.text(&css).await.contains(part) }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_wrong_relationship_is_refused_at_the_right_persons_field_in_russian_and_english() {
    let (_app, b) = open_in("ru").await;
    choose_service(&b, "higher_duplicate").await;
    b.click("#f-relationship-representative").await;
    // A 16-year-old representative.
    type_person(&b, "representative", PUPIL_IIN, "Ахметов", "Ерлан").await;
    type_person(&b, "applicant", GRADUATE_IIN, "Сейітқали", "Әсел").await;
    b.click("#step-next").await;
    b.wait_for("#error-summary").await;
    error_at(&b, "representative-iin", "совершеннолетним").await;
    let summary = b.text("#error-summary").await;
    let (representative, phone) = (summary.find("ИИН представителя").unwrap(), summary.find("Мобильный телефон").unwrap());
    assert!(representative < phone, "the summary follows the page: {summary}");
    b.click("#lang-en").await;
    b.eventually("the summary names whose field it is", || async {
        b.text("#error-summary").await.contains("Representative’s IIN: A representative must be 18 or older")
    })
    .await;
    // The representative is the graduate themselves.
    b.wait_for("#f-representative-iin").await.clear().await.unwrap();
    b.type_into("#f-representative-iin", GRADUATE_IIN).await;
    error_at(&b, "representative-iin", "graduate’s own IIN").await;
    b.wait_for("#f-representative-iin").await.clear().await.unwrap();
    b.type_into("#f-representative-iin", PARENT_IIN).await;
    b.eventually("an adult other person is accepted", || async { !b.exists("#f-representative-iin-error").await }).await;

    // A school document: a "parent" who is a minor, of a "pupil" who is an adult.
    b.click("#lang-ru").await;
    b.click("#step-back").await;
    b.click("#f-service-school_duplicate").await;
    next(&b, "#f-relationship-parent").await;
    b.click("#f-relationship-parent").await;
    b.wait_for("#f-applicant-iin").await.clear().await.unwrap();
    b.type_into("#f-applicant-iin", PUPIL_IIN).await;
    type_person(&b, "pupil", GRADUATE_IIN, "Сейітқали", "Әлия").await;
    b.click("#step-next").await;
    error_at(&b, "applicant-iin", "совершеннолетним").await;
    error_at(&b, "pupil-iin", "18").await;
    let summary = b.text("#error-summary").await;
    assert!(summary.find("ИИН").unwrap() < summary.find("ИИН ученика").unwrap(), "the parent's field comes first, as on the page: {summary}");
    b.close().await;
}

/// The label and answer pairs of the description list `css` (a review, the staff page's answers).
async fn answers(b: &Browser, css: &str) -> Vec<(String, String)> {
    let js = format!("return [...document.querySelectorAll('{css} dt')].map((dt) => [dt.textContent, dt.nextElementSibling.textContent])");
    serde_json::from_value(b.script(&js).await).expect("label and answer pairs")
}

/// Issue 11, item 7: a representative's contacts are theirs — the form says so (Kazakh, then
/// English), the review names them as the representative's, the SMS code goes to them, and
/// staff see them as the representative's (in Russian), never as the graduate's.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_representatives_contacts_are_theirs_on_the_form_in_the_review_and_for_staff() {
    let (app, b) = open_in("kk").await;
    let files = Files::new();
    choose_service(&b, "higher_duplicate").await;
    let contacts = || b.text("#contacts-title");
    assert_eq!(contacts().await, t(Lang::Kk, "title.contacts"));
    b.click("#f-relationship-representative").await;
    b.eventually("the contacts are the representative's", || async { contacts().await == t(Lang::Kk, "title.representative_contacts") }).await;
    type_person(&b, "representative", PARENT_IIN, "Ахметов", "Ерлан").await;
    type_person(&b, "applicant", GRADUATE_IIN, "Сейітқали", "Әсел").await;
    type_contacts(&b).await;
    b.click("#lang-en").await;
    b.eventually("in English too", || async { contacts().await == t(Lang::En, "title.representative_contacts") }).await;
    next(&b, "#f-document_kind-diploma").await;
    b.click("#f-document_kind-diploma").await;
    fill_document(&b, 0, &KAZNMU_DIPLOMA).await;
    next(&b, "#f-reason-loss").await;
    b.click("#f-reason-loss").await;
    b.attach("#f-attachments-power_of_attorney-file", &files.pdf("power-of-attorney.pdf")).await;
    b.wait_for("#f-attachments-power_of_attorney-file-name").await;
    next(&b, "#f-consents-accuracy").await;
    consent_and_review(&b).await;
    b.click("#step-back").await;
    b.wait_for("#review").await;
    let review = answers(&b, "#review").await;
    let phone = |lang: Lang| (t(lang, "field.representative.phone").to_string(), "8 701 123 45 67".to_string());
    assert!(review.contains(&phone(Lang::En)), "{review:?}");
    assert!(review.contains(&(t(Lang::En, "field.representative.email").into(), "asel@mail.kz".into())), "{review:?}");
    assert!(!review.iter().any(|(label, _)| label == t(Lang::En, "field.applicant.phone")), "not the graduate's: {review:?}");
    b.click("#step-next").await;
    sign(&b, &app).await;
    send_and_confirm(&b).await;

    let view = staff_view(&app, "higher_duplicate").await;
    assert_eq!((&view["request"]["representative"]["phone"], &view["request"]["applicant"]["phone"]), (&json!(PHONE), &json!("")), "{view}");
    crate::staff::sign_in(&b, &app, "provider").await;
    b.click("#lang-ru").await;
    b.open(&app.url(&format!("/staff/queue/{}", view["id"].as_str().unwrap()))).await;
    b.wait_for("#application-answers dt").await;
    let seen = answers(&b, "#application-answers").await;
    assert!(seen.contains(&(t(Lang::Ru, "field.representative.phone").into(), PHONE.into())), "{seen:?}");
    assert!(seen.contains(&(t(Lang::Ru, "field.representative.email").into(), "asel@mail.kz".into())), "{seen:?}");
    b.close().await;
}
