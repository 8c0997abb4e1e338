//! Regions and institutions come from the server's reference bundle, kept on the device: the
//! search narrows the institution list in every language whatever Kazakh or Russian letters are
//! typed; a bundle the server no longer has (another ETag) is replaced after a reload, an
//! unchanged one (304) is kept; with the server down the stored bundle still fills the lists, and
//! with nothing stored the step says so and recovers once the server is back.

use serde_json::{json, Value};
use telnuska_tests::browser::{free_port, Browser};
use telnuska_tests::{Backend, TestApp};

use crate::flow::*;

const SEARCH: &str = "#f-documents-0-institution-search";
const INSTITUTION: &str = "#f-documents-0-institution";

/// Chooses a region once its option is there (the lists arrive after the first render).
async fn choose_region(b: &Browser, region: &str) {
    let option = format!("#f-documents-0-region option[value={region}]");
    b.eventually("the regions are listed", || async { b.exists(&option).await }).await;
    b.select("#f-documents-0-region", region).await;
}

/// Replaces what the search field holds with `text`, typed key by key.
async fn search(b: &Browser, text: &str) {
    let input = b.wait_for(SEARCH).await;
    // Ctrl+A, release, Backspace: the field empties as a person would empty it.
    input.send_keys("\u{E009}a\u{E000}\u{E003}").await.expect("clear the search");
    input.send_keys(text).await.expect("type the search");
}

/// The codes the institution list offers (the prompt and "not in the list" left out), sorted.
async fn offered(b: &Browser) -> Vec<String> {
    let codes =
        b.script(&format!("return Array.from(document.querySelectorAll('{INSTITUTION} option')).map(o => o.value).filter(v => v && v !== 'unlisted')")).await;
    let mut codes: Vec<String> = serde_json::from_value(codes).expect("a list of codes");
    codes.sort();
    codes
}

/// Searches and waits until exactly `expected` (sorted) is offered, with the count saying
/// `count_text`.
async fn expect_found(b: &Browser, query: &str, expected: &[&str], count_text: &str) {
    search(b, query).await;
    let what = format!("{query:?} offers {expected:?} and says {count_text:?}");
    let count = format!("{SEARCH}-count");
    b.eventually(&what, || async { offered(b).await == expected && b.text(&count).await == count_text }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_institution_search_narrows_the_list_in_every_language_whatever_letters_are_typed() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    fill_up_to_documents(&b).await;
    assert!(!b.exists(SEARCH).await, "no search before a region is chosen");
    choose_region(&b, "almaty_city").await;

    // Labelled, described, and the count is announced politely.
    assert!(!b.text(&format!("label[for='{}']", &SEARCH[1..])).await.trim().is_empty());
    let count = b.wait_for(&format!("{SEARCH}-count")).await;
    assert_eq!(count.attr("aria-live").await.unwrap().as_deref(), Some("polite"));
    let all = offered(&b).await.len();
    assert!(all >= 10, "every university of Almaty at first: {all}");

    // Kazakh: with Kazakh letters, then with the Russian letters people type instead.
    expect_found(&b, "Қазақ Ұлттық", &["kaznmu", "kaznu"], "Табылғаны: 2").await;
    expect_found(&b, "казак улттык медицина", &["kaznmu"], "Табылғаны: 1").await;
    // One match is shown, not chosen for the person.
    assert_eq!(b.value(INSTITUTION).await, "");
    expect_found(&b, "«әл-фараби»", &["kaznu"], "Табылғаны: 1").await;

    // Russian: case and punctuation do not matter; Kazakh letters in a Russian name still match.
    b.click("#lang-ru").await;
    expect_found(&b, "КАЗАХСТАНСКО британский", &["kbtu"], "Найдено: 1").await;
    expect_found(&b, "асфендиярова", &["kaznmu"], "Найдено: 1").await;
    expect_found(&b, "нет такого", &[], "Найдено: 0").await;

    // English names and codes; the option shows the name in the chosen language.
    b.click("#lang-en").await;
    expect_found(&b, "al farabi", &["kaznu"], "Found: 1").await;
    b.select(INSTITUTION, "kaznu").await;
    assert!(b.text(&format!("{INSTITUTION} option[value=kaznu]")).await.contains("Al-Farabi Kazakh National University"));
    // The chosen institution stays in the list when the search moves on.
    expect_found(&b, "KIMEP", &["kaznu", "kimep"], "Found: 1").await;
    assert_eq!(b.value(INSTITUTION).await, "kaznu");

    // Another region: ё and е are one letter.
    choose_region(&b, "astana_city").await;
    expect_found(&b, "гумилев", &["enu"], "Found: 1").await;
    expect_found(&b, "Гумилёв", &["enu"], "Found: 1").await;
    b.close().await;
}

/// The stored bundle: `(etag, body)`, `None` until the app has stored one.
async fn stored(b: &Browser) -> Option<(String, Value)> {
    let js = r#"
        const done = arguments[arguments.length - 1];
        indexedDB.databases().then((dbs) => {
            if (!dbs.some((d) => d.name === "telnuska-reference")) return done(null);
            const open = indexedDB.open("telnuska-reference");
            open.onerror = () => done(null);
            open.onsuccess = () => {
                const db = open.result;
                if (!db.objectStoreNames.contains("bundle")) { db.close(); return done(null); }
                const get = db.transaction("bundle").objectStore("bundle").get("current");
                get.onsuccess = () => { db.close(); done(get.result || null); };
                get.onerror = () => { db.close(); done(null); };
            };
        });
    "#;
    let record = b.client.execute_async(js, vec![]).await.expect("read IndexedDB");
    let etag = record["etag"].as_str()?.to_string();
    Some((etag, serde_json::from_str(record["body"].as_str()?).expect("the stored body is JSON")))
}

/// Stores `(etag, body)` as the app would, before a reload.
async fn store(b: &Browser, etag: &str, body: &Value) {
    let js = r#"
        const [etag, body, done] = arguments;
        const open = indexedDB.open("telnuska-reference");
        open.onsuccess = () => {
            const db = open.result;
            const tx = db.transaction("bundle", "readwrite");
            tx.objectStore("bundle").put({ etag, body }, "current");
            tx.oncomplete = () => { db.close(); done(true); };
        };
    "#;
    b.client.execute_async(js, vec![json!(etag), json!(body.to_string())]).await.expect("write IndexedDB");
}

/// Removes the stored bundle (a device that never received one).
async fn forget(b: &Browser) {
    let js = r#"
        const done = arguments[arguments.length - 1];
        const request = indexedDB.deleteDatabase("telnuska-reference");
        request.onsuccess = request.onerror = request.onblocked = () => done(true);
    "#;
    b.client.execute_async(js, vec![]).await.expect("delete IndexedDB");
}

/// The server's bundle with one more university in Almaty.
fn with_test_academy(mut body: Value) -> Value {
    body["institutions"].as_array_mut().expect("institutions").push(json!({
        "code": "test_academy", "kind": "university", "region": "almaty_city",
        "name": {"kk": "Сынақ академиясы", "ru": "Тестовая академия", "en": "Test Academy"}
    }));
    body
}

/// Reloads the page and waits for the restored documents step with Almaty chosen.
async fn reload_on_documents_step(b: &Browser) {
    b.client.refresh().await.expect("reload");
    // The start page lists the draft (task D); "continue" opens it where it was left.
    crate::drafts::continue_draft(b).await;
    b.wait_for("#f-documents-0-region").await;
}

/// Whether the institution list offers `code`.
async fn offers(b: &Browser, code: &str) -> bool {
    b.exists(&format!("{INSTITUTION} option[value={code}]")).await
}

async fn academy_offered(b: &Browser) -> bool {
    offers(b, "test_academy").await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_lists_follow_the_servers_bundle_and_stay_on_the_device_offline() {
    // A restarted server must keep its address: the page's origin, storage and worker depend on it.
    let addr = format!("127.0.0.1:{}", free_port());
    let env = [("TELNUSKA_ADDR", addr.as_str())];
    let mut app = TestApp::spawn_with(Backend::Sqlite, &env).await;
    let served = app.client.get(app.url("/api/reference")).send().await.expect("GET /api/reference");
    let etag = served.headers()["etag"].to_str().unwrap().to_string();
    let body: Value = served.json().await.unwrap();

    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.wait_for_service_worker().await;
    b.eventually("the server's bundle is stored with its ETag", || async { stored(&b).await.is_some_and(|(e, _)| e == etag) }).await;
    fill_up_to_documents(&b).await;
    choose_region(&b, "almaty_city").await;
    assert!(offered(&b).await.contains(&"kaznmu".to_string()));
    // The draft keeps the step and the region across reloads.
    b.wait_for_saved_draft(r#""region":"almaty_city""#).await;

    // A bundle from an older server (another ETag) is replaced by the server's after a reload.
    store(&b, "\"older\"", &with_test_academy(body.clone())).await;
    reload_on_documents_step(&b).await;
    b.eventually("the server's bundle replaced the older one", || async { stored(&b).await.is_some_and(|(e, _)| e == etag) }).await;
    b.eventually("the institution the server does not have is gone", || async { !academy_offered(&b).await && !offered(&b).await.is_empty() }).await;

    // An unchanged ETag: the server answers 304 and the stored bundle is what the lists show.
    store(&b, &etag, &with_test_academy(body.clone())).await;
    reload_on_documents_step(&b).await;
    b.eventually("the stored bundle is kept on 304", || async { academy_offered(&b).await }).await;
    assert_eq!(stored(&b).await.map(|(e, _)| e), Some(etag.clone()));

    // With the server down the app opens from its service worker and the stored lists serve.
    app.kill();
    reload_on_documents_step(&b).await;
    b.eventually("the stored lists serve offline", || async { academy_offered(&b).await }).await;
    search(&b, "сынак").await;
    b.eventually("the search works offline", || async { offered(&b).await == ["test_academy"] }).await;

    // A device with nothing stored and no network says so, and recovers once the server is back.
    forget(&b).await;
    reload_on_documents_step(&b).await;
    b.eventually("the lists are said to be unavailable", || async { b.exists("#lists-retry-0").await }).await;
    let status = b.wait_for("#lists-status-0").await;
    assert_eq!(status.attr("role").await.unwrap().as_deref(), Some("alert"));
    assert!(!b.exists("#f-documents-0-region option[value=almaty_city]").await);
    let app = app.restart_with(&env);
    b.click("#lists-retry-0").await;
    b.eventually("the lists arrive once the server is back", || async { !b.exists("#lists-status-0").await }).await;
    choose_region(&b, "almaty_city").await;
    assert!(offered(&b).await.contains(&"kaznmu".to_string()));
    assert!(stored(&b).await.is_some_and(|(e, _)| e == etag));
    drop(app);
    b.close().await;
}

/// The server's bundle without the institution `code`.
fn without(mut body: Value, code: &str) -> Value {
    body["institutions"].as_array_mut().expect("institutions").retain(|i| i["code"] != code);
    body
}

const INSTITUTION_ERROR: &str = "#f-documents-0-institution-error";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_forms_validator_uses_the_lists_it_has_and_checks_again_when_newer_ones_arrive() {
    let addr = format!("127.0.0.1:{}", free_port());
    let env = [("TELNUSKA_ADDR", addr.as_str())];
    let mut app = TestApp::spawn_with(Backend::Sqlite, &env).await;
    // An administrator added a university: the server's lists name it.
    let university = json!({"code": "added_university", "kind": "university", "region": "almaty_city", "name_kk": "Қосылған университет", "name_ru": "Добавленный университет"});
    let (status, added) = app.post("/api/admin/institutions", &university, None, Some(&app.login("admin").await)).await;
    assert_eq!(status, 201, "{added}");
    let body: Value = app.client.get(app.url("/api/reference")).send().await.expect("GET /api/reference").json().await.unwrap();

    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.wait_for_service_worker().await;
    fill_up_to_documents(&b).await;
    choose_region(&b, "almaty_city").await;
    b.eventually("the added university is offered", || async { offers(&b, "added_university").await }).await;
    b.select(INSTITUTION, "added_university").await;
    b.click("#f-documents-0-degree").await;
    b.wait_for_saved_draft(r#""institution":"added_university""#).await;
    // Left once: its error shows from now on, also after a reload.
    b.wait_for_saved_draft(r#""documents.0.institution""#).await;
    assert!(!b.exists(INSTITUTION_ERROR).await, "the lists in force hold it");

    // Offline, with only older lists on the device (without it), the form refuses it as the
    // server would refuse a code it does not know.
    store(&b, "\"older\"", &without(body, "added_university")).await;
    app.kill();
    reload_on_documents_step(&b).await;
    b.wait_for(INSTITUTION_ERROR).await;
    let message = telnuska_shared::i18n::error_message(telnuska_shared::i18n::Lang::Kk, "reference.unknown_institution");
    assert!(b.text(INSTITUTION_ERROR).await.contains(message), "{}", b.text(INSTITUTION_ERROR).await);
    crate::accessibility::assert_no_violations(&b, &crate::accessibility::axe_script(), "a document naming an institution the lists lack").await;

    // With nothing on the device either, the step offers to try again; once the server is back,
    // the lists it sends are checked against at once, without the person touching anything.
    forget(&b).await;
    reload_on_documents_step(&b).await;
    b.eventually("the lists are said to be unavailable", || async { b.exists("#lists-retry-0").await }).await;
    assert!(b.exists(INSTITUTION_ERROR).await, "no lists: the institution is not known");
    let app = app.restart_with(&env);
    b.click("#lists-retry-0").await;
    b.eventually("the server's lists clear the error", || async { !b.exists(INSTITUTION_ERROR).await && offers(&b, "added_university").await }).await;
    assert_eq!(b.value(INSTITUTION).await, "added_university");
    drop(app);
    b.close().await;
}
