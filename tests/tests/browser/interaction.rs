//! Errors that appear as a person types or presses "continue" leave what is above them where it
//! was (the error summary goes under the step's heading, an input's error under its label and
//! hint), and a keystroke redraws only its own input: the other inputs and lists of the step are
//! not touched. The load benchmark measures the time and the layout shift
//! (`tests/benches/load/interaction.rs`); here only what does not depend on the machine's speed.

use serde_json::{json, Value};
use telnuska_tests::browser::Browser;
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};
use crate::flow::*;

/// Where each element is on the page (not in the window: the summary takes the focus and may
/// scroll it): `[top, left, width, height]` in CSS pixels, by selector.
const PLACES: &str = r#"return arguments[0].map((css) => {
  const el = document.querySelector(css);
  if (!el) return null;
  const r = el.getBoundingClientRect();
  return [r.top + window.scrollY, r.left + window.scrollX, r.width, r.height].map((v) => Math.round(v * 10) / 10);
});"#;

/// Counts, from now on, the changes to the step's form outside the `.field` of `arguments[0]`
/// (the error summary sits outside the form).
const WATCH_OTHERS: &str = r##"const own = document.getElementById(arguments[0]).closest(".field");
window.__others = [];
new MutationObserver((records) => {
  for (const r of records) {
    const node = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    if (!own.contains(node)) window.__others.push(r.type + " " + node.tagName + "#" + node.id + " " + (r.attributeName || ""));
  }
}).observe(document.querySelector("form.form"), { childList: true, subtree: true, attributes: true, characterData: true });
return true;"##;

/// The places of `selectors` now.
async fn places(b: &Browser, selectors: &[&str]) -> Vec<Value> {
    let found = b.client.execute(PLACES, vec![json!(selectors)]).await.expect("read the places");
    let found = found.as_array().cloned().unwrap_or_default();
    for (css, place) in selectors.iter().zip(&found) {
        assert!(!place.is_null(), "{css} is on the page");
    }
    found
}

/// Runs `act`, then checks that every element of `above` is where it was, and that `appeared`
/// is there now, below all of them.
async fn stays_above<F, Fut>(b: &Browser, above: &[&str], appeared: &str, act: F)
where
    F: FnOnce() -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let before = places(b, above).await;
    act().await;
    b.wait_for(appeared).await;
    let after = places(b, above).await;
    for ((css, was), is) in above.iter().zip(&before).zip(&after) {
        assert_eq!(was, is, "{css} moved when {appeared} appeared");
    }
    let new = &places(b, &[appeared]).await[0];
    let lowest = after.iter().map(|p| p[0].as_f64().unwrap_or(0.0) + p[3].as_f64().unwrap_or(0.0)).fold(0.0, f64::max);
    assert!(new[0].as_f64().unwrap_or(0.0) >= lowest - 0.5, "{appeared} ({new}) is below {above:?} (down to {lowest})");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_error_summary_and_the_errors_at_the_inputs_appear_without_moving_what_is_above_them() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    choose_service(&b, "higher_duplicate").await;
    b.click("#f-relationship-self").await;

    // An input left with a wrong value: its error goes under its label and hint.
    let iin_above = ["header.header", "#step-progress", "#step-title", "#f-relationship-self", "label[for=f-applicant-iin]", "#f-applicant-iin-hint"];
    stays_above(&b, &iin_above, "#f-applicant-iin-error", || b.type_into("#f-applicant-iin", "010101599905")).await;

    // One keystroke makes the phone wrong while the IIN's error stands.
    b.type_into("#f-applicant-phone", "8 701 123 45 67").await;
    let phone_above =
        ["#step-title", "#f-applicant-iin-error", "#f-applicant-iin", "#f-applicant-last_name", "#f-applicant-first_name", "label[for=f-applicant-phone]"];
    stays_above(&b, &phone_above, "#f-applicant-phone-error", || async {
        b.wait_for("#f-applicant-phone").await.send_keys("\u{E003}").await.expect("backspace");
    })
    .await;

    // "Continue" with the names missing: the summary goes under the heading.
    stays_above(&b, &["header.header", "#step-progress", "#step-title"], "#error-summary", || b.click("#step-next")).await;
    assert!(b.exists("#f-applicant-last_name-error").await, "the missing surname is shown at its input");
    assert_no_violations(&b, &axe_script(), "the applicant step with the summary and inline errors").await;

    // An error going away moves nothing above the summary (which lists one entry less).
    let above_first_name = ["header.header", "#step-progress", "#step-title"];
    let before = places(&b, &above_first_name).await;
    b.wait_for("#f-applicant-first_name").await.send_keys("Әсел").await.expect("type");
    b.eventually("the first name's error goes", || async { !b.exists("#f-applicant-first_name-error").await }).await;
    assert_eq!(places(&b, &above_first_name).await, before, "what is above the summary stayed where it was");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_keystroke_that_brings_an_error_redraws_only_its_own_input() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    fill_up_to_documents(&b).await;
    fill_document(&b, 0, &KAZNMU_DIPLOMA).await;

    // The region, institution and degree lists hold their options; the year loses a digit.
    b.client.execute(WATCH_OTHERS, vec![json!("f-documents-0-graduation_year")]).await.expect("watch the form");
    let year = b.wait_for("#f-documents-0-graduation_year").await;
    year.click().await.expect("focus the year");
    year.send_keys("\u{E010}\u{E003}").await.expect("end, backspace");
    b.wait_for("#f-documents-0-graduation_year-error").await;
    year.send_keys("5").await.expect("the digit back");
    b.eventually("the year's error goes", || async { !b.exists("#f-documents-0-graduation_year-error").await }).await;
    // Mutation records are delivered before the next task: one script round trip later they are in.
    let others = b.script("return window.__others").await;
    assert_eq!(others, json!([]), "a keystroke in the year changed nothing else in the form");
    b.close().await;
}
