//! The kiosk of a ЦОН hall against the real server: a person applies typing Kazakh letters on
//! the on-screen keyboard and gets the receipt; the next person finds an empty form; a person
//! who walks away mid-form is wiped (read back from IndexedDB, Cache Storage and the DOM, not
//! taken from the app's word); a revoked kiosk is refused.

use std::time::Duration;

use fantoccini::Locator;
use serde_json::{json, Value};
use telnuska_tests::browser::{free_port, Browser};
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};
use crate::flow::{choose_service, fill_lost_diploma_up_to_signing, next, sign, stored_applications, GRADUATE_IIN};

/// Registers a kiosk as the demo administrator: its id and device token.
async fn register_kiosk(app: &TestApp) -> (String, String) {
    let admin = app.login("admin").await;
    let (status, kiosk) = app.post("/api/admin/kiosks", &json!({"name": "Kiosk 1", "branch": "ЦОН of Almaly district"}), None, Some(&admin)).await;
    assert_eq!(status, 201, "{kiosk}");
    (kiosk["id"].as_str().unwrap().to_string(), kiosk["token"].as_str().unwrap().to_string())
}

/// A browser the size of a kiosk's screen, opened at `/kiosk{query}#token=…`, on the start screen.
async fn open_kiosk(app: &TestApp, token: &str, query: &str) -> Browser {
    let b = Browser::start().await;
    b.client.set_window_size(1080, 1600).await.expect("kiosk-sized window");
    b.open(&app.url(&format!("/kiosk{query}#token={token}"))).await;
    b.wait_for("#kiosk-lang-en").await;
    b
}

/// Taps the on-screen key named `name` (its text, or its label), as a finger would.
async fn tap(b: &Browser, name: &str) {
    let xpath = format!("//section[@aria-label='On-screen keyboard']//button[normalize-space()='{name}' or @aria-label='{name}']");
    let key = b.client.wait().at_most(Duration::from_secs(10)).for_element(Locator::XPath(&xpath)).await.unwrap_or_else(|e| panic!("no key {name}: {e}"));
    key.click().await.unwrap_or_else(|e| panic!("tap {name}: {e}"));
}

/// Touches the input `css` and types `text` on the on-screen keyboard (capitals with its shift).
async fn type_on_screen(b: &Browser, css: &str, text: &str) {
    b.click(css).await;
    let mut shift = false;
    for c in text.chars() {
        let upper = c.is_uppercase();
        if upper != shift {
            tap(b, "⇧ Capitals").await;
            shift = upper;
        }
        tap(b, &c.to_string()).await;
    }
    if shift {
        tap(b, "⇧ Capitals").await;
    }
}

/// What the page holds of a person: every input's value, IndexedDB's databases, Cache Storage's
/// caches, sessionStorage and localStorage keys, and the address.
async fn what_is_left(b: &Browser) -> Value {
    b.client
        .execute_async(
            r#"const done = arguments[0];
               Promise.all([indexedDB.databases(), caches.keys()]).then(([dbs, cacheNames]) => done({
                   inputs: [...document.querySelectorAll('input, select, textarea')].map((i) => (i.type === 'checkbox' || i.type === 'radio') ? (i.checked ? i.id : '') : i.value).filter((v) => v),
                   text: document.body.innerText,
                   databases: dbs.map((d) => d.name),
                   caches: cacheNames,
                   session: sessionStorage.length,
                   local: Object.keys(localStorage),
                   address: location.pathname + location.search + location.hash,
               }));"#,
            vec![],
        )
        .await
        .expect("read the page's storage")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_applies_at_a_kiosk_with_the_on_screen_keyboard_and_the_next_person_finds_it_empty() {
    // The server goes down once, and must come back at the same address (the page's origin).
    let addr = format!("127.0.0.1:{}", free_port());
    let env = [("TELNUSKA_ADDR", addr.as_str())];
    let mut app = TestApp::spawn_with(Backend::Sqlite, &env).await;
    let (kiosk_id, token) = register_kiosk(&app).await;
    let b = open_kiosk(&app, &token, "").await;
    // The token is kept on the device and taken out of the address.
    assert_eq!(b.script("return [localStorage.getItem('telnuska.kiosk.token'), location.hash]").await, json!([token, ""]));
    assert!(b.text(".kiosk-header").await.contains("Kiosk 1"));
    assert_no_violations(&b, &axe_script(), "the kiosk's start screen").await;

    b.click("#kiosk-lang-en").await;
    b.eventually("the form in English", || async { b.text("#step-title").await.contains("service") }).await;
    assert!(!b.exists("#f-service-correction").await, "a correction is not offered at a kiosk (portal only)");
    choose_service(&b, "higher_duplicate").await;
    b.click("#f-relationship-self").await;
    type_on_screen(&b, "#f-applicant-iin", GRADUATE_IIN).await;
    type_on_screen(&b, "#f-applicant-last_name", "Сейітқали").await;
    type_on_screen(&b, "#f-applicant-first_name", "Әсел").await;
    type_on_screen(&b, "#f-applicant-patronymic", "Ғабитқызы").await;
    assert_eq!(b.value("#f-applicant-first_name").await, "Әсел");
    // The README's picture: the kiosk with its keyboard, the Kazakh letters on top.
    crate::provider_console::screenshot(&b, "kiosk.png").await;
    // A physical keyboard still works beside it.
    b.type_into("#f-applicant-phone", "8 701 123 45 67").await;
    assert_no_violations(&b, &axe_script(), "the kiosk's form with its keyboard").await;
    next(&b, "#f-document_kind-diploma").await;
    b.click("#f-document_kind-diploma").await;
    fill_lost_diploma_up_to_signing(&b).await;
    sign(&b, &app).await;
    // Without a connection the kiosk says so and keeps nothing: no outbox on a shared device.
    app.kill();
    b.click("#submit").await;
    b.eventually("not sent, and said so", || async { b.text("#submit-status").await.contains("no connection") }).await;
    let left = what_is_left(&b).await;
    assert!(!left["databases"].as_array().unwrap().contains(&json!("telnuska")), "no draft, no outbox in IndexedDB: {left}");
    let app = app.restart_with(&env);
    b.click("#submit").await;
    b.wait_for("#confirmation").await;
    let number = b.text("#application-number").await;
    assert!(number.starts_with("TN-") && !b.text("#due-on").await.is_empty() && !b.text("#tracking-code").await.is_empty());
    assert_no_violations(&b, &axe_script(), "the kiosk's receipt").await;

    let stored = stored_applications(&app).await;
    let application = stored.iter().find(|a| a["number"] == number.as_str()).expect("the application is stored");
    let applicant = &application["request"]["applicant"];
    assert_eq!((applicant["last_name"].as_str(), applicant["first_name"].as_str()), (Some("Сейітқали"), Some("Әсел")), "{application}");
    assert_eq!(applicant["patronymic"], "Ғабитқызы");
    assert_eq!((application["channel"].as_str(), application["kiosk_id"].as_str()), (Some("kiosk"), Some(kiosk_id.as_str())));
    let (_, sms) = app.get("/api/dev/sms?phone=%2B77011234567", None).await;
    assert!(sms[0]["text"].as_str().unwrap().contains(&number), "the receipt by SMS too: {sms}");
    assert_eq!(b.stored_records("telnuska", "drafts").await, "[]", "the kiosk never keeps a draft");

    // The next person.
    b.click("#receipt-finish").await;
    b.wait_for("#kiosk-lang-en").await;
    let left = what_is_left(&b).await;
    assert!(!left["text"].as_str().unwrap().contains("Әсел") && !left["text"].as_str().unwrap().contains(&number), "{left}");
    b.click("#kiosk-lang-ru").await;
    b.eventually("the next person's form in Russian", || async { b.exists("#f-service-higher_duplicate").await }).await;
    assert_eq!(what_is_left(&b).await["inputs"], json!([]), "nothing chosen or typed");
    choose_service(&b, "higher_duplicate").await;
    let left = what_is_left(&b).await;
    assert_eq!(left["inputs"], json!([]), "an empty applicant step: {left}");
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_left_alone_mid_form_asks_then_wipes_everything() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (_, token) = register_kiosk(&app).await;
    // The limits shortened through the address (60 and 90 s in the hall).
    let b = open_kiosk(&app, &token, "?idle=2,4").await;
    b.click("#kiosk-lang-en").await;
    choose_service(&b, "higher_duplicate").await;
    b.click("#f-relationship-self").await;
    type_on_screen(&b, "#f-applicant-last_name", "Қасымова").await;
    // What an upload or an older version might have left on the device.
    b.script(
        "return Promise.all([caches.open('telnuska-uploads').then((c) => c.put('/uploads/passport.png', new Response('photo'))), \
         new Promise((ok) => { const r = indexedDB.open('telnuska', 99); r.onupgradeneeded = () => r.result.createObjectStore('drafts'); r.onsuccess = () => { r.result.close(); ok(); }; }), \
         sessionStorage.setItem('last', 'Қасымова')])",
    )
    .await;
    let before = what_is_left(&b).await;
    assert!(
        before["databases"].as_array().unwrap().contains(&json!("telnuska")) && before["caches"].as_array().unwrap().contains(&json!("telnuska-uploads")),
        "{before}"
    );

    b.eventually("are you still here?", || async { b.exists("#kiosk-still-here").await }).await;
    b.click("#kiosk-continue").await;
    assert_eq!(b.value("#f-applicant-last_name").await, "Қасымова", "a touch keeps the session");
    b.eventually("asked again", || async { b.exists("#kiosk-still-here").await }).await;
    b.eventually("wiped", || async { b.exists("#kiosk-lang-en").await }).await;

    let left = what_is_left(&b).await;
    assert!(!left["text"].as_str().unwrap().contains("Қасымова"), "{left}");
    assert_eq!(left["inputs"], json!([]), "{left}");
    b.eventually("IndexedDB and Cache Storage cleared", || async {
        let left = what_is_left(&b).await;
        !left["databases"].as_array().unwrap().contains(&json!("telnuska")) && !left["caches"].as_array().unwrap().contains(&json!("telnuska-uploads"))
    })
    .await;
    let left = what_is_left(&b).await;
    assert_eq!(
        (left["session"].clone(), left["local"].clone(), left["address"].clone()),
        (json!(0), json!(["telnuska.kiosk.token"]), json!("/kiosk?idle=2,4")),
        "{left}"
    );
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_revoked_kiosk_is_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (id, token) = register_kiosk(&app).await;
    let admin = app.login("admin").await;
    let res = app.client.delete(app.url(&format!("/api/admin/kiosks/{id}"))).bearer_auth(&admin).send().await.unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let b = Browser::start().await;
    b.open(&app.url(&format!("/kiosk#token={token}"))).await;
    b.eventually("refused", || async { b.text("#kiosk-refused").await.contains("Бұл киоск тіркелмеген немесе өшірілген") }).await;
    assert!(!b.exists("#kiosk-lang-en").await, "no one can start an application there");
    assert_no_violations(&b, &axe_script(), "a refused kiosk").await;
    b.close().await;
}
