//! The texts as a person reads them on a small phone: the first three steps in each language at
//! 360 px wide, with nothing wider than the screen, and the service's term counted in words that
//! agree with the number ("15 рабочих дней", "3 рабочих дня"). Set `TELNUSKA_SCREENSHOTS` to a
//! folder to keep a screenshot of each step for an editor to look at.

use serde_json::json;
use telnuska_tests::browser::Browser;
use telnuska_tests::{Backend, TestApp};

use crate::flow::*;
use crate::install::assert_fits_a_small_phone;

/// The narrowest phone screen the interface is made for, in CSS pixels.
const PHONE_WIDTH: u64 = 360;

/// Keeps a screenshot when asked to, then fails when anything on the page is wider than the
/// screen or too small to touch ([`assert_fits_a_small_phone`]).
async fn looks_right_on_a_phone(b: &Browser, name: &str) {
    if let Ok(dir) = std::env::var("TELNUSKA_SCREENSHOTS") {
        b.screenshot(&std::path::Path::new(&dir).join(format!("{name}.png"))).await;
    }
    assert_fits_a_small_phone(b, name).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_first_three_steps_fit_a_360_px_phone_in_every_language_and_count_days_right() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for (lang, term, correction) in [
        ("kk", "Мерзімі: 15 жұмыс күні.", "Мерзімі: 3 жұмыс күні."),
        ("ru", "Срок: 15 рабочих дней.", "Срок: 3 рабочих дня."),
        ("en", "Takes up to 15 working days.", "Takes up to 3 working days."),
    ] {
        let b = Browser::start().await;
        b.cdp("Emulation.setDeviceMetricsOverride", json!({ "width": PHONE_WIDTH, "height": 800, "deviceScaleFactor": 2, "mobile": true })).await;
        b.open(&app.url("/")).await;
        b.wait_for("#f-service-higher_duplicate").await;
        b.click(&format!("#lang-{lang}")).await;
        b.eventually("the page is in the chosen language", || async { b.script("return document.documentElement.lang").await == lang }).await;
        let page = || async { b.script("return document.body.innerText").await.as_str().unwrap_or_default().to_string() };
        b.eventually("the terms are written out", || async { page().await.contains(term) }).await;
        assert!(page().await.contains(correction), "{lang}: {}", page().await);
        looks_right_on_a_phone(&b, &format!("{lang}-1-service")).await;

        choose_service(&b, "higher_duplicate").await;
        b.click("#f-relationship-representative").await;
        b.wait_for("#f-representative-iin").await;
        looks_right_on_a_phone(&b, &format!("{lang}-2-applicant")).await;

        b.click("#f-relationship-self").await;
        type_person(&b, "applicant", GRADUATE_IIN, "Сейітқали", "Әсел").await;
        type_contacts(&b).await;
        next(&b, "#f-document_kind-diploma").await;
        b.click("#f-document_kind-diploma").await;
        b.wait_for("#f-documents-0-region").await;
        looks_right_on_a_phone(&b, &format!("{lang}-3-documents")).await;
        b.close().await;
    }
}
