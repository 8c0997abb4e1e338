//! Issue 11 (A), as people use the form: one application per draft (two tabs, a copy opened on
//! another device), an address per step (Back, Forward and reload keep the person on the form,
//! the confirmation survives a reload), and the smaller things: labels follow the language, the
//! first visit follows the browser's language, SMS links open in the applicant's language, the
//! SMS step counts down, the review names every answer, a skip link. Found by label and role
//! where the person would look for them.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::{json, Value};
use telnuska_shared::i18n::{t, Lang};
use telnuska_tests::browser::Browser;
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use crate::drafts::catch_downloads;
use crate::flow::*;

/// Clicks the button whose accessible text is `name` (as a person looks for it).
async fn press(b: &Browser, name: &str) {
    let xpath = format!("//button[normalize-space(.)='{name}']");
    let button =
        b.client.wait().at_most(Duration::from_secs(20)).for_element(Locator::XPath(&xpath)).await.unwrap_or_else(|e| panic!("no button {name:?}: {e}"));
    button.click().await.unwrap_or_else(|e| panic!("click {name:?}: {e}"));
}

/// The text of the label of the input `id` (what the person reads next to it).
async fn label_of(b: &Browser, id: &str) -> String {
    b.text(&format!("label[for={id}]")).await
}

/// The address bar's path.
async fn path(b: &Browser) -> String {
    b.script("return location.pathname").await.as_str().unwrap_or_default().to_string()
}

/// The window's title.
async fn title(b: &Browser) -> String {
    b.script("return document.title").await.as_str().unwrap_or_default().to_string()
}

/// The heading of the step on screen.
async fn heading(b: &Browser) -> String {
    b.text("#step-title").await
}

/// Waits until the step `code` is on screen, named in the address and the window's title
/// ("Step 3 of 7 — The document — Telnuska").
async fn on_step(b: &Browser, lang: Lang, code: &str, n: usize) {
    let wanted = t(lang, &format!("step.{code}"));
    b.eventually(&format!("step {code}"), || async { b.exists("#step-title").await && heading(b).await == wanted }).await;
    let at = path(b).await;
    assert!(at.starts_with("/apply/") && at.ends_with(&format!("/{code}")), "the address names the step: {at}");
    let progress = t(lang, "step.progress").replace("{n}", &n.to_string()).replace("{total}", "7");
    let expected = format!("{progress} — {wanted} — {}", t(lang, "title.app"));
    b.eventually(&format!("the title of step {code}"), || async { title(b).await == expected }).await;
}

const STEPS: [&str; 7] = ["service", "applicant", "documents", "reason", "consents", "review", "sign"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_step_has_an_address_that_back_forward_and_reload_keep_and_the_confirmation_survives_a_reload() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.click("#lang-en").await;
    on_step(&b, Lang::En, "service", 1).await;
    fill_up_to_signing(&b).await;
    on_step(&b, Lang::En, "sign", 7).await;
    let draft = path(&b).await.split('/').nth(2).expect("the draft's id").to_string();

    // Back goes through every step to the first, Forward all the way again.
    for (i, code) in STEPS.iter().enumerate().rev().skip(1) {
        b.client.back().await.unwrap();
        on_step(&b, Lang::En, code, i + 1).await;
    }
    // The answers are all there: Back is not a reload of an empty form.
    b.client.forward().await.unwrap();
    on_step(&b, Lang::En, "applicant", 2).await;
    assert_eq!(b.value("#f-applicant-iin").await, GRADUATE_IIN);
    for (i, code) in STEPS.iter().enumerate().skip(2) {
        b.client.forward().await.unwrap();
        on_step(&b, Lang::En, code, i + 1).await;
    }

    // A reload of any step stays on it, in Kazakh too.
    b.click("#lang-kk").await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    for (i, code) in STEPS.iter().enumerate() {
        b.open(&app.url(&format!("/apply/{draft}/{code}"))).await;
        on_step(&b, Lang::Kk, code, i + 1).await;
    }
    assert_eq!(b.value("#f-signature-code").await, "", "no code typed yet");

    // The review labels each answer of the document, and an optional answer left empty is
    // just "not given" (not in error red).
    b.client.back().await.unwrap();
    on_step(&b, Lang::Kk, "review", 6).await;
    let review = b.text("#review").await;
    for (key, value) in [("field.documents.series", "BD"), ("field.documents.number", "0012345"), ("field.documents.registration_number", "1234")] {
        assert!(review.contains(&format!("{}: {value}", t(Lang::Kk, key))), "{key} in {review}");
    }
    assert!(review.contains(&format!("{}: ", t(Lang::Kk, "field.documents.region"))), "{review}");
    assert!(!b.exists(".review__missing").await, "nothing wanted is missing");
    b.client.forward().await.unwrap();
    on_step(&b, Lang::Kk, "sign", 7).await;
    b.client.back().await.unwrap();
    on_step(&b, Lang::Kk, "review", 6).await;
    // The optional e-mail taken out again: "not given", in plain text.
    b.click("#change-applicant").await;
    let email = b.wait_for("#f-applicant-email").await;
    email.click().await.unwrap();
    email.send_keys("\u{E009}a\u{E000}\u{E003}\u{E004}").await.unwrap();
    b.click("#step-next").await;
    on_step(&b, Lang::Kk, "review", 6).await;
    b.eventually("the e-mail is not given", || async { b.text("#review").await.contains(t(Lang::Kk, "answer.missing")) }).await;
    assert!(!b.exists(".review__missing").await, "an optional answer left empty is not in error red");
    b.click("#step-next").await;
    on_step(&b, Lang::Kk, "sign", 7).await;

    // The confirmation has an address of its own: a reload shows the number and the code again.
    sign(&b, &app).await;
    let number = send_and_confirm(&b).await;
    b.eventually("the confirmation's address", || async { path(&b).await.starts_with("/sent/") }).await;
    let code = b.text("#tracking-code").await;
    assert_eq!(code.len(), 22, "the tracking code: {code:?}");
    b.client.refresh().await.unwrap();
    b.wait_for("#confirmation").await;
    assert_eq!((b.text("#application-number").await, b.text("#tracking-code").await), (number.clone(), code));
    // Its link leads to the device's applications, where it is followed.
    b.click("#confirmation-track").await;
    b.eventually("the application in the list", || async { b.exists("#tracked").await && b.text("#tracked").await.contains(&number) }).await;
    assert_eq!(app.count_applications().await, 1);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_tabs_sending_one_draft_make_one_application() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.click("#lang-en").await;
    fill_up_to_signing(&b).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    let address = path(&b).await;

    // A copy of the draft carries its key.
    b.click("#to-drafts").await;
    catch_downloads(&b).await;
    b.click("#drafts > li:first-child button[id^=download-]").await;
    let (_, copy) = crate::drafts::copy(&b, 0).await;
    assert!(copy["idempotency_key"].as_str().is_some_and(|k| k.len() == 36), "{copy}");

    // The draft opened in a second tab (its address), in Russian.
    let first_tab = b.client.window().await.unwrap();
    let second = b.client.new_window(true).await.unwrap();
    b.client.switch_to_window(second.handle.clone()).await.unwrap();
    b.open(&app.url(&address)).await;
    b.click("#lang-ru").await;
    on_step(&b, Lang::Ru, "sign", 7).await;

    // The first tab sends it.
    b.client.switch_to_window(first_tab).await.unwrap();
    b.click("#drafts > li:first-child button[id^=continue-]").await;
    sign(&b, &app).await;
    let number = send_and_confirm(&b).await;

    // The second tab, with a code of its own, is told it was sent, with its number and link.
    b.client.switch_to_window(second.handle).await.unwrap();
    b.type_into("#f-signature-code", "123456").await;
    press(&b, t(Lang::Ru, "button.submit")).await;
    b.wait_for("#confirmation").await;
    assert_eq!(b.text("#confirmation-title").await, t(Lang::Ru, "title.already_sent"));
    assert_eq!(b.text("#application-number").await, number);
    assert!(b.exists("#confirmation-track").await, "its tracking link");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.count_applications().await, 1, "one application for one draft");

    // (Another device sending the same answers under the draft's key, with a code of its own,
    // gets this application from the server: the API test `one_draft_sent_from_two_tabs_…`.)
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_visit_follows_the_browsers_language_and_a_switch_relabels_every_choice() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    let languages = "Object.defineProperty(navigator, 'languages', { get: () => ['de-DE', 'ru-RU', 'en'] });";
    b.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": languages })).await;
    b.open(&app.url("/")).await;
    b.eventually("the page is in Russian", || async { b.text("#step-next").await == t(Lang::Ru, "button.continue") }).await;
    choose_service(&b, "school_duplicate").await;
    for code in ["self", "parent"] {
        assert_eq!(label_of(&b, &format!("f-relationship-{code}")).await, t(Lang::Ru, &format!("relationship.{code}")));
    }
    // A switch to a language whose texts were not loaded yet relabels the choices at once.
    b.click("#lang-kk").await;
    for code in ["self", "parent"] {
        let wanted = t(Lang::Kk, &format!("relationship.{code}"));
        b.eventually("the choice in Kazakh", || async { label_of(&b, &format!("f-relationship-{code}")).await == wanted }).await;
    }
    b.click("#lang-en").await;
    b.eventually("the choice in English", || async { label_of(&b, "f-relationship-parent").await == t(Lang::En, "relationship.parent") }).await;

    // The skip link is the first stop of Tab, shows when focused, and leads to the content.
    let first = "return document.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex=\"-1\"])').id";
    assert_eq!(b.script(first).await, "skip-link");
    b.script("document.getElementById('skip-link').focus(); return true").await;
    assert_eq!(b.script("return document.getElementById('skip-link').getBoundingClientRect().top >= 0").await, true, "in view when focused");
    assert_eq!(b.text("#skip-link").await, t(Lang::En, "nav.skip"));
    b.client.active_element().await.unwrap().send_keys("\u{E007}").await.unwrap();
    b.eventually("the content has the focus", || async { b.script("return document.activeElement.id").await == "main" }).await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sms_step_counts_down_to_a_new_code_and_keeps_code_sent_in_view() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.click("#lang-en").await;
    fill_up_to_signing(&b).await;
    press(&b, t(Lang::En, "button.send_code")).await;
    b.eventually("the code is said to be sent", || async { b.text("#otp-status").await.contains("+77011234567") }).await;
    let at = |lang: Lang, s: u32| t(lang, "otp.resend_in").replace("{time}", &format!("{}:{:02}", s / 60, s % 60));
    let countdown = b.text("#send-code").await;
    assert!((50..=60).any(|s| countdown == at(Lang::En, s)), "a minute to wait, on the button: {countdown}");
    assert_eq!(b.wait_for("#send-code").await.attr("aria-disabled").await.unwrap().as_deref(), Some("true"));
    b.eventually("it counts down", || async { b.text("#send-code").await != countdown }).await;
    // In Russian too; a press meanwhile asks nothing and "sent" stays.
    b.click("#lang-ru").await;
    b.eventually("the countdown in Russian", || async {
        let now = b.text("#send-code").await;
        (1..60).any(|s| now == at(Lang::Ru, s))
    })
    .await;
    b.click("#send-code").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(b.text("#otp-status").await.contains("+77011234567"), "code sent stays in view");
    let (_, sms) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    assert_eq!(sms.as_array().map(Vec::len), Some(1), "no second code was asked for: {sms}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_sms_link_opens_the_app_in_the_applicants_language() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let operator = app.login("operator").await;
    let res = app
        .client
        .post(app.url("/api/applications"))
        .header("Accept-Language", "ru")
        .header("Idempotency-Key", "ru-desk")
        .bearer_auth(&operator)
        .json(&desk_application())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 201);
    let created: Value = res.json().await.unwrap();
    let (_, sms) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    let text = sms[0]["text"].as_str().expect("the acceptance SMS").to_string();
    let link = &text[text.find("http").expect("a link")..];
    assert!(link.contains("/ru#"), "the link names the language: {link}");
    let b = Browser::start().await;
    b.open(link).await;
    b.eventually("the number", || async { b.exists("#track-link-number").await && b.text("#track-link-number").await == created["number"] }).await;
    assert_eq!(b.text("#nav-track").await, t(Lang::Ru, "nav.track"), "in Russian");
    assert_eq!(path(&b).await, format!("/track/{}", created["id"].as_str().unwrap()), "the language and the code leave the address bar");
    b.close().await;
}
