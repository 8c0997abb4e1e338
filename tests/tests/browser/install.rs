//! Installable and usable on a small phone: the web app manifest and its icons as browsers
//! require them, and on a 360 px wide screen no step scrolls sideways and every control is a
//! touch target of at least 44 × 44 px: every step, the list of drafts and the tracking page.

use telnuska_tests::browser::Browser;
use telnuska_tests::{Backend, TestApp};

use crate::flow::*;

/// Width and height of a PNG, from its IHDR chunk.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG");
    let word = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (word(16), word(20))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_manifest_makes_the_app_installable() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let page = app.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#), "{page}");

    let response = app.client.get(app.url("/manifest.webmanifest")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let content_type = response.headers()["content-type"].to_str().unwrap().to_string();
    assert!(content_type.contains("manifest+json") || content_type.contains("json"), "{content_type}");
    let manifest: serde_json::Value = response.json().await.unwrap();
    for key in ["name", "short_name", "start_url", "scope", "theme_color", "background_color"] {
        assert!(manifest[key].as_str().is_some_and(|v| !v.is_empty()), "{key} in {manifest}");
    }
    assert_eq!(manifest["display"], "standalone");
    assert_eq!(manifest["start_url"], "/");

    // Browsers install an app with a PNG icon of 192 px and one of 512 px; Android masks a
    // maskable one. Each must exist with the type and size it declares.
    let mut sizes = Vec::new();
    let mut maskable = false;
    for icon in manifest["icons"].as_array().expect("icons") {
        let src = icon["src"].as_str().unwrap();
        let response = app.client.get(app.url(src)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{src}");
        let served = response.headers()["content-type"].to_str().unwrap().to_string();
        assert_eq!(served, icon["type"].as_str().unwrap(), "{src}");
        let bytes = response.bytes().await.unwrap();
        if served == "image/png" {
            let (w, h) = png_size(&bytes);
            assert_eq!(icon["sizes"].as_str().unwrap(), format!("{w}x{h}"), "{src}");
            sizes.push(w);
            maskable |= icon["purpose"].as_str().unwrap_or("any").split(' ').any(|p| p == "maskable");
        }
    }
    assert!(sizes.contains(&192) && sizes.contains(&512), "PNG icons: {sizes:?}");
    assert!(maskable, "a maskable icon");
}

/// What scrolls sideways or is too small to touch on the page as it is now.
async fn small_phone_problems(b: &Browser) -> serde_json::Value {
    b
        .script(
            "const out = [];
             if (document.documentElement.scrollWidth > window.innerWidth) out.push('scrolls sideways: ' + document.documentElement.scrollWidth + ' (' + [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5).map((e) => e.id || e.className || e.tagName).slice(0, 5).join(', ') + ')');
             const visible = (e) => e.offsetParent !== null;
             for (const e of document.querySelectorAll('button, a, select, input:not([type=radio]):not([type=checkbox]), .radio label, .checkbox label')) {
               if (!visible(e)) continue;
               const r = e.getBoundingClientRect();
               const inline = e.tagName === 'A' && getComputedStyle(e).display === 'inline';
               if (r.height < 44 || (!inline && r.width < 44)) out.push((e.id || e.textContent.trim().slice(0, 30)) + ': ' + Math.round(r.width) + 'x' + Math.round(r.height));
             }
             return out;",
    )
    .await
}

/// Fails with what scrolls sideways or is too small to touch on the page as it is now.
pub async fn assert_fits_a_small_phone(b: &Browser, place: &str) {
    assert_eq!(small_phone_problems(b).await, serde_json::json!([]), "on {place}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_step_fits_a_360_px_screen_with_44_px_touch_targets() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.client.set_window_size(360, 740).await.unwrap();
    b.open(&app.url("/")).await;
    b.wait_for("#f-service-higher_duplicate").await;
    // The check itself works: a planted small button and a too-wide block are reported.
    b.script("const e = document.createElement('button'); e.id = 'planted'; e.textContent = 'x'; e.style.height = '20px'; e.style.marginLeft = '500px'; document.getElementById('main').append(e); return true").await;
    let planted = small_phone_problems(&b).await.to_string();
    assert!(planted.contains("scrolls sideways") && planted.contains("planted"), "{planted}");
    b.script("document.getElementById('planted').remove(); return true").await;
    assert_fits_a_small_phone(&b, "the service step").await;
    choose_service(&b, "higher_duplicate").await;
    b.click("#f-relationship-representative").await;
    b.wait_for("#f-representative-iin").await;
    assert_fits_a_small_phone(&b, "the applicant step").await;
    type_person(&b, "representative", PARENT_IIN, "Ахметов", "Ерлан").await;
    type_person(&b, "applicant", GRADUATE_IIN, "Сейітқали", "Әсел").await;
    type_contacts(&b).await;
    next(&b, "#f-document_kind-diploma").await;
    b.click("#add-document").await;
    b.wait_for("#remove-document-1").await;
    assert_fits_a_small_phone(&b, "the documents step").await;
    b.click("#remove-document-1").await;
    b.click("#f-document_kind-diploma").await;
    fill_document(&b, 0, &KAZNMU_DIPLOMA).await;
    b.wait_for("#f-documents-0-institution-search").await;
    assert_fits_a_small_phone(&b, "the documents step with the institution search").await;
    next(&b, "#f-reason-loss").await;
    b.click("#f-reason-name_change").await;
    b.wait_for("#f-attachments-power_of_attorney-file").await;
    assert_fits_a_small_phone(&b, "the reason step with three files").await;
    b.click("#f-reason-loss").await;
    // A representative attaches the power of attorney whatever the reason.
    let files = Files::new();
    b.attach("#f-attachments-power_of_attorney-file", &files.pdf("attorney.pdf")).await;
    b.wait_for("#f-attachments-power_of_attorney-file-name").await;
    next(&b, "#f-consents-accuracy").await;
    consent_and_review(&b).await;
    assert_fits_a_small_phone(&b, "the signing step").await;
    b.click("#step-back").await;
    b.wait_for("#review").await;
    assert_fits_a_small_phone(&b, "the review").await;
    b.click("#to-drafts").await;
    b.wait_for("#drafts").await;
    assert_fits_a_small_phone(&b, "the list of drafts").await;
    b.click("#nav-track").await;
    b.wait_for("#track-number").await;
    assert_fits_a_small_phone(&b, "the tracking page").await;
    b.close().await;
}

/// WCAG 2.2 reflow: at 320 CSS px (a 1280 px screen at 400 % zoom) no page scrolls sideways, in
/// any language — Kazakh and Russian words are longer than English ones.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_320_css_px_in_every_language() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for lang in ["kk", "ru", "en"] {
        let b = Browser::start().await;
        b.open(&app.url("/")).await;
        b.cdp("Emulation.setDeviceMetricsOverride", serde_json::json!({"width": 320, "height": 740, "deviceScaleFactor": 1, "mobile": false})).await;
        b.wait_for("#f-service-higher_duplicate").await;
        assert_eq!(b.script("return window.innerWidth").await, serde_json::json!(320), "the page is laid out 320 px wide");
        b.click(&format!("#lang-{lang}")).await;
        b.eventually("the language is switched", || async { b.script("return document.documentElement.lang").await == serde_json::json!(lang) }).await;
        assert_fits_a_small_phone(&b, &format!("the service step ({lang})")).await;
        choose_service(&b, "higher_duplicate").await;
        b.click("#f-relationship-representative").await;
        b.wait_for("#f-representative-iin").await;
        assert_fits_a_small_phone(&b, &format!("the applicant step ({lang})")).await;
        b.click("#to-drafts").await;
        b.wait_for("#drafts").await;
        assert_fits_a_small_phone(&b, &format!("the list of drafts ({lang})")).await;
        b.click("#nav-track").await;
        b.wait_for("#track-number").await;
        assert_fits_a_small_phone(&b, &format!("the tracking page ({lang})")).await;
        b.close().await;
    }
}
