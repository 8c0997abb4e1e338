//! The first screen built into `index.html`: the service choice a person can read and use before
//! the WebAssembly has arrived, kept when the app takes over; without scripts, or when the app
//! cannot start, the page says what to do instead (a ЦОН, or eGov).

use serde_json::json;
use telnuska_tests::browser::Browser;
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};

/// The fallback's words in each language: where else to apply.
const INSTEAD: [&str; 4] = ["ХҚКО", "ЦОН", "Public Service Centre", "egov.kz"];

/// Holds back every `fetch` of a URL ending in `HELD` (the app's WebAssembly, its texts) until
/// the test calls `window.__release()` (which notes when, as `__released`): a download that has
/// not finished yet, without a fixed delay. Notes when the app first asks for `/api/reference`
/// (`__referenceAsked`), and whether index.html's first screen was still on the page then
/// (`__firstScreenAtAsk`: the app had not drawn its own yet).
const HOLD: &str = r#"(() => {
  const fetch = window.fetch.bind(window);
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  window.__release = () => { window.__released = performance.now(); release(); };
  window.fetch = (input, init) => {
    const url = String(input.url ?? input);
    if (url.includes("/api/reference") && window.__referenceAsked === undefined) {
      window.__referenceAsked = performance.now();
      window.__firstScreenAtAsk = document.getElementById("first-screen") !== null;
    }
    return url.endsWith("HELD") ? released.then(() => fetch(input, init)) : fetch(input, init);
  };
})();"#;

/// A browser whose every page holds back the downloads ending in `held` ([`HOLD`]).
async fn holding(held: &str) -> Browser {
    let b = Browser::start().await;
    b.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": HOLD.replace("HELD", held) })).await;
    b
}

/// The first screen is on the page (the app has not taken over).
async fn first_screen_shown(b: &Browser) -> bool {
    b.exists("#first-screen #f-service-school_duplicate").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_javascript_the_first_screen_lists_the_services_and_says_where_else_to_apply() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.cdp("Emulation.setScriptExecutionDisabled", json!({ "value": true })).await;
    b.open_page(&app.url("/")).await;
    assert!(first_screen_shown(&b).await, "the service choice is on the page");
    let page = b.text("body").await;
    assert!(page.contains("Сізге қандай қызмет керек?"), "the question, in Kazakh: {page}");
    for words in INSTEAD {
        assert!(page.contains(words), "{words} in the advice: {page}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_checked_before_the_app_runs_is_checked_in_the_app() {
    let axe = axe_script();
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = holding(".wasm").await;
    b.open_page(&app.url("/")).await;
    b.click("#first-screen #f-service-school_duplicate").await;
    assert!(first_screen_shown(&b).await, "the app is still held back");
    assert_no_violations(&b, &axe, "the first screen").await;

    b.script("window.__release(); return true").await;
    b.eventually("the app takes over", || async { !b.exists("#first-screen").await }).await;
    let radio = b.wait_for("#f-service-school_duplicate").await;
    assert_eq!(radio.prop("checked").await.unwrap().as_deref(), Some("true"), "the choice is kept");
    let path = b.script("return location.pathname").await;
    assert!(path.as_str().is_some_and(|p| p.starts_with("/apply/") && p.ends_with("/service")), "{path}");
    assert!(!b.exists("#error-summary").await);
    // It is a draft of its own: "continue" goes on to the applicant.
    b.click("#step-next").await;
    b.wait_for("#f-relationship-self").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_app_cannot_start_the_page_says_what_to_do_and_a_service_chosen_meanwhile_opens_once_it_can() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.cdp("Network.enable", json!({})).await;
    b.cdp("Network.setBlockedURLs", json!({ "urls": ["*.wasm"] })).await;
    b.open_page(&app.url("/")).await;
    let advice = b.text(".no-app").await;
    for words in INSTEAD {
        assert!(advice.contains(words), "{words} in the advice: {advice}");
    }

    // Chosen and continued with the app not running: the browser sends the form itself.
    b.click("#first-screen #f-service-school_duplicate").await;
    b.click("#first-screen #step-next").await;
    b.eventually("the form is sent as an address", || async { b.script("return location.search").await == json!("?service=school_duplicate") }).await;

    // The app can start now: it opens the next step of a new draft of that service.
    b.cdp("Network.setBlockedURLs", json!({ "urls": [] })).await;
    b.client.refresh().await.expect("reload");
    b.eventually("the app takes over", || async { !b.exists("#first-screen").await }).await;
    b.wait_for("#f-relationship-self").await;
    let path = b.script("return location.pathname + location.search").await;
    assert!(path.as_str().is_some_and(|p| p.starts_with("/apply/") && p.ends_with("/applicant")), "{path}");
    b.click("#step-back").await;
    let radio = b.wait_for("#f-service-school_duplicate").await;
    assert_eq!(radio.prop("checked").await.unwrap().as_deref(), Some("true"), "the service chosen before");
    // Kept on the device: a reload opens the same draft with the same service.
    b.client.refresh().await.expect("reload");
    let radio = b.wait_for("#f-service-school_duplicate").await;
    b.eventually("the draft is read back", || async { radio.prop("checked").await.unwrap().as_deref() == Some("true") }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_reference_lists_are_asked_for_only_once_the_app_has_drawn_its_first_screen() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    // The texts held back: the app cannot draw its first screen yet.
    let b = holding(".txt").await;
    b.open_page(&app.url("/")).await;
    assert!(first_screen_shown(&b).await, "index.html's first screen is up");
    b.script("window.__release(); return true").await;
    b.eventually("the app takes over", || async { !b.exists("#first-screen").await }).await;
    // A number, not necessarily a float: `performance.now()` is coarsened, and a whole number of
    // milliseconds comes back through JSON as an integer.
    b.eventually("the lists are asked for", || async { b.script("return window.__referenceAsked ?? null").await.is_number() }).await;
    let (asked, released) = (b.script("return window.__referenceAsked").await, b.script("return window.__released").await);
    assert!(asked.as_f64() >= released.as_f64(), "asked at {asked} ms, before the texts came at {released} ms");
    // The app asks once it has drawn its own first screen, which took index.html's place.
    assert_eq!(b.script("return window.__firstScreenAtAsk").await, json!(false), "asked while the first screen was still up");
}
