//! The field worker: signs in once online and sets a PIN; accepts applications at the door with
//! the server out of reach, across a browser restart; the workspace locks when left idle and the
//! PIN opens it; when the server is back each item is pushed once and shows its number and due
//! date, the deadline counted from the door-step time; nothing personal is kept in clear, not
//! even the photos of the documents, which reach the server with their application.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::Value;
use telnuska_tests::browser::{free_port, Browser};
use telnuska_tests::server::TempDir;
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};
use crate::flow::*;
use crate::provider_console::screenshot;
use crate::staff::sign_in;

const PIN: &str = "2580";
const LAST_NAME: &str = "Сейітқали";

/// Everything this origin keeps in IndexedDB, sessionStorage and localStorage, every byte array
/// read as text (Latin-1 and UTF-8): what a thief would find on the device.
async fn everything_stored(b: &Browser) -> String {
    let js = r#"
        const done = arguments[0];
        const text = (v) => {
            if (v instanceof ArrayBuffer) v = new Uint8Array(v);
            if (ArrayBuffer.isView(v)) {
                const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
                return String.fromCharCode(...bytes) + new TextDecoder().decode(bytes);
            }
            if (v && typeof v === "object") return Object.values(v).map(text).join(" ");
            return String(v);
        };
        const dump = (name) => new Promise((resolve) => {
            const open = indexedDB.open(name);
            open.onsuccess = () => {
                const db = open.result;
                const stores = [...db.objectStoreNames];
                if (stores.length === 0) { db.close(); return resolve(""); }
                const tx = db.transaction(stores);
                Promise.all(stores.map((s) => new Promise((r) => { const all = tx.objectStore(s).getAll(); all.onsuccess = () => r(text(all.result)); })))
                    .then((parts) => { db.close(); resolve(parts.join(" ")); });
            };
            open.onerror = () => resolve("");
        });
        indexedDB.databases().then((dbs) => Promise.all(dbs.map((d) => dump(d.name)))).then((parts) =>
            done(parts.join(" ") + text(Object.assign({}, sessionStorage)) + text(Object.assign({}, localStorage))));
    "#;
    b.client.execute_async(js, vec![]).await.expect("read storage").as_str().unwrap_or_default().to_string()
}

/// Opens the field workspace from the staff home.
async fn open_field(b: &Browser) {
    // The home is drawn again in the language just chosen: its link is clicked once it is.
    b.eventually("the home in English", || async { b.text("a[href='/staff/field']").await.contains("Field work") }).await;
    b.click("a[href='/staff/field']").await;
}

/// Signs in as the demo field worker (in English), opens the workspace and sets [`PIN`].
pub(crate) async fn begin_the_day(b: &Browser, app: &TestApp) {
    sign_in(b, app, "field").await;
    b.click("#lang-en").await;
    open_field(b).await;
    b.type_into("#field-pin", PIN).await;
    b.type_into("#field-pin-again", PIN).await;
    b.click("#field-pin-submit").await;
    b.wait_for("#field-queue").await;
}

/// Types the PIN into the lock and waits for the list.
async fn unlock(b: &Browser) {
    b.wait_for("#field-unlock-pin").await;
    b.type_into("#field-unlock-pin", PIN).await;
    b.click("#field-unlock-submit").await;
    b.wait_for("#field-queue").await;
}

/// Accepts a university-diploma application at the door; returns the receipt's code.
async fn accept_one(b: &Browser) -> String {
    b.click("#field-new").await;
    b.wait_for("#f-service-higher_duplicate").await;
    fill_up_to_documents(b).await;
    fill_document(b, 0, &KAZNMU_DIPLOMA).await;
    next(b, "#f-reason-loss").await;
    b.click("#f-reason-loss").await;
    next(b, "#f-consents-accuracy").await;
    b.click("#f-consents-accuracy").await;
    b.click("#f-consents-personal_data").await;
    next(b, "#review").await;
    next(b, "#field-accept").await;
    b.click("#field-accept").await;
    b.wait_for("#field-receipt").await;
    let hash = b.text("#receipt-hash").await;
    assert!(hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()), "a SHA-256 receipt: {hash:?}");
    assert!(!b.text("#receipt-time").await.trim().is_empty());
    b.click("#field-back").await;
    b.wait_for("#field-queue").await;
    hash
}

/// The door-step times the server keeps (`submitted_at`), oldest first.
async fn stored_acceptance_times(app: &TestApp) -> Vec<DateTime<Utc>> {
    let rows: Vec<(String,)> = sqlx::query_as("SELECT submitted_at FROM applications ORDER BY submitted_at").fetch_all(&app.database().await).await.unwrap();
    rows.into_iter().map(|(at,)| at.parse::<DateTime<Utc>>().unwrap_or_else(|e| panic!("{at}: {e}"))).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_field_worker_accepts_three_applications_offline_across_a_browser_restart_and_each_is_registered_once() {
    // A restarted server must keep its address: the page's origin, storage and worker depend on it.
    let addr = format!("127.0.0.1:{}", free_port());
    let env = [("TELNUSKA_ADDR", addr.as_str())];
    let mut app = TestApp::spawn_with(Backend::Sqlite, &env).await;
    let profile = TempDir::new("telnuska-field-profile");
    let b = Browser::start_with_profile(profile.0.clone()).await;
    sign_in(&b, &app, "field").await;
    b.click("#lang-en").await;
    b.wait_for_service_worker().await;
    open_field(&b).await;

    // The PIN is set once, typed twice.
    b.type_into("#field-pin", "12").await;
    b.click("#field-pin-submit").await;
    b.eventually("a short PIN explained", || async { b.text("#field-pin-error").await.contains("4 to 8 digits") }).await;
    b.script("document.getElementById('field-pin').value = ''").await;
    b.type_into("#field-pin", PIN).await;
    b.type_into("#field-pin-again", PIN).await;
    b.click("#field-pin-submit").await;
    b.wait_for("#field-queue").await;
    assert_no_violations(&b, &axe_script(), "the field worker's list").await;
    // The lists of the form are kept for the day before the network goes.
    b.eventually("the reference kept", || async { b.stored_records("telnuska-reference", "bundle").await != "[]" }).await;

    app.kill();
    let before = Utc::now();
    let mut hashes = vec![accept_one(&b).await, accept_one(&b).await];
    assert_no_violations(&b, &axe_script(), "the list with accepted applications").await;

    // The browser closes (a dead battery); it opens again offline on the lock.
    b.close().await;
    let b = Browser::start_with_profile(profile.0.clone()).await;
    b.open(&format!("http://{addr}/staff/field")).await;
    b.wait_for("#field-unlock").await;
    assert_no_violations(&b, &axe_script(), "the lock").await;
    unlock(&b).await;
    b.eventually("two accepted, waiting", || async { b.text("#field-items").await.matches("Waiting to be sent").count() == 2 }).await;
    hashes.push(accept_one(&b).await);
    let after = Utc::now();

    // Left idle, the workspace locks: nothing of the applications is left on the screen.
    b.script("localStorage.setItem('telnuska.field.lock_after_ms', '1500')").await;
    b.eventually_within("locked after idle", Duration::from_secs(20), || async { b.exists("#field-unlock").await }).await;
    let screen = b.script("return document.body.innerText + [...document.querySelectorAll('input')].map((i) => i.value).join(' ')").await;
    assert!(!screen.as_str().unwrap().contains(LAST_NAME) && !screen.as_str().unwrap().contains(GRADUATE_IIN), "{screen}");
    b.script("localStorage.removeItem('telnuska.field.lock_after_ms')").await;

    // What the device keeps is sealed: no IIN, name, document number or token in clear.
    let stored = everything_stored(&b).await;
    assert!(stored.len() > 1_000, "the items are stored: {} bytes", stored.len());
    for secret in [GRADUATE_IIN, LAST_NAME, "Әсел", KAZNMU_DIPLOMA.number, "asel@mail.kz", "7011234567"] {
        assert!(!stored.contains(secret), "{secret:?} stored in clear");
    }

    // The server is back: the PIN opens the workspace and the queue goes, each item once.
    let app = app.restart_with(&env);
    unlock(&b).await;
    b.eventually_within("all three sent", Duration::from_secs(60), || async {
        if b.text("#field-items").await.matches("Sent. Number TN-").count() == 3 {
            return true;
        }
        if !b.text("#field-sync").await.is_empty() && b.script("return !document.getElementById('field-sync').disabled").await == Value::Bool(true) {
            b.click("#field-sync").await;
        }
        false
    })
    .await;
    assert_eq!(app.count_applications().await, 3, "exactly three applications");
    let times = stored_acceptance_times(&app).await;
    assert!(times.iter().all(|t| *t >= before - chrono::Duration::seconds(1) && *t <= after), "the door-step times are kept: {times:?} in {before}..{after}");
    let applications = stored_applications(&app).await;
    assert_eq!(applications.len(), 3);
    for a in &applications {
        assert_eq!(a["channel"], "field");
    }
    // A retried push creates nothing new; the list shows the server's due dates.
    b.click("#field-sync").await;
    let list = b.text("#field-items").await;
    for a in &applications {
        let due = chrono::NaiveDate::parse_from_str(a["due_on"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let (number, due) = (a["number"].as_str().unwrap(), format!("due {}", due.format("%-d %B %Y")));
        assert!(list.contains(number) && list.contains(&due), "{number} {due:?} in {list}");
    }
    assert_eq!(app.count_applications().await, 3);
    assert!(hashes.iter().all(|h| h.len() == 64));
    screenshot(&b, "field-queue.png").await;
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_item_refused_by_the_server_comes_back_to_correct_and_goes_again() {
    // The server's clock is 15 minutes behind the device's (the server allows 10): the
    // acceptance time is in its future. (Less than the 30 minutes after which the server ends an
    // unused session, as it would seem to when its clock is set right.)
    let server_now = (Utc::now() - chrono::Duration::minutes(15)).to_rfc3339();
    let addr = format!("127.0.0.1:{}", free_port());
    let app = TestApp::spawn_with(Backend::Sqlite, &[("TELNUSKA_ADDR", addr.as_str()), ("TELNUSKA_NOW", server_now.as_str())]).await;
    let b = Browser::start().await;
    begin_the_day(&b, &app).await;
    accept_one(&b).await;
    b.eventually("refused: needs correction", || async { b.text("#field-items").await.contains("Needs correction") }).await;
    assert!(b.text("#field-clock").await.contains("min ahead of the server"), "the clock difference is explained");
    assert_eq!(app.count_applications().await, 0);

    // The clock is set right (here: the server's), the worker opens the item on the step the
    // server named, sees why, and accepts again.
    let app = app.restart_with(&[("TELNUSKA_ADDR", addr.as_str())]);
    b.click("#field-items button[id^='field-open-']").await;
    b.wait_for("#field-accept").await;
    assert!(b.text("#error-summary").await.contains("Check the device’s clock"), "{}", b.text("#error-summary").await);
    b.click("#field-accept").await;
    b.wait_for("#field-receipt").await;
    b.click("#field-back").await;
    b.eventually("sent", || async { b.text("#field-items").await.contains("Sent. Number TN-") }).await;
    assert_eq!(app.count_applications().await, 1);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn five_wrong_pins_erase_the_field_data_after_a_warning_that_counts_what_is_lost() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    begin_the_day(&b, &app).await;
    b.click("#field-new").await;
    b.wait_for("#f-service-higher_duplicate").await;
    b.click("#field-back").await;
    b.wait_for("#field-queue").await;

    // A reload asks for the PIN (the session is not kept in clear).
    b.open(&app.url("/staff/field")).await;
    for left in (1..=4).rev() {
        b.wait_for("#field-unlock-pin").await;
        b.type_into("#field-unlock-pin", "0000").await;
        b.click("#field-unlock-submit").await;
        b.eventually("the tries left", || async { b.text("#field-unlock-error").await.contains(&format!("Tries left: {left}")) }).await;
    }
    b.eventually("the warning before the last try", || async {
        b.text("#field-wipe-warning").await.contains("Applications not yet sent that will be lost: 1")
    })
    .await;
    b.type_into("#field-unlock-pin", "0000").await;
    b.click("#field-unlock-submit").await;
    b.wait_for("#field-wiped").await;
    b.wait_for("#staff-login").await;
    b.eventually("the field data is gone", || async {
        b.script("return indexedDB.databases().then((dbs) => dbs.some((d) => d.name === 'telnuska-field'))").await == Value::Bool(false)
    })
    .await;
    b.close().await;
}

/// `bytes` as the storage dump reads them (one character per byte).
fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| char::from(b)).collect()
}

/// Presses "Send now" until the list shows `sent` items sent.
async fn sync_until_sent(b: &Browser, sent: usize) {
    b.eventually_within("sent", Duration::from_secs(60), || async {
        if b.text("#field-items").await.matches("Sent. Number TN-").count() == sent {
            return true;
        }
        if b.script("const s = document.getElementById('field-sync'); return !!s && !s.disabled").await == Value::Bool(true) {
            b.click("#field-sync").await;
        }
        false
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_photo_of_a_document_taken_at_the_door_is_kept_sealed_and_reaches_the_server_with_the_application() {
    let addr = format!("127.0.0.1:{}", free_port());
    let env = [("TELNUSKA_ADDR", addr.as_str())];
    let mut app = TestApp::spawn_with(Backend::Sqlite, &env).await;
    let b = Browser::start().await;
    begin_the_day(&b, &app).await;
    b.eventually("the reference kept", || async { b.stored_records("telnuska-reference", "bundle").await != "[]" }).await;
    app.kill();

    // A damaged diploma: its original must be photographed at the door, with no network.
    b.click("#field-new").await;
    b.wait_for("#f-service-higher_duplicate").await;
    fill_up_to_documents(&b).await;
    fill_document(&b, 0, &KAZNMU_DIPLOMA).await;
    next(&b, "#f-reason-damage").await;
    b.click("#f-reason-damage").await;
    let files = Files::new();
    b.attach("#f-attachments-original_document-file", &files.png("diploma-photo.png", 640, 480)).await;
    b.wait_for("#f-attachments-original_document-file-name").await;
    assert_no_violations(&b, &axe_script(), "a photo taken at the door").await;
    next(&b, "#f-consents-accuracy").await;
    b.click("#f-consents-accuracy").await;
    b.click("#f-consents-personal_data").await;
    next(&b, "#review").await;
    next(&b, "#field-accept").await;
    b.click("#field-accept").await;
    b.wait_for("#field-receipt").await;
    b.click("#field-back").await;
    b.wait_for("#field-queue").await;

    // The photo is on the device, sealed: neither the PNG taken nor the JPEG it was turned into
    // is there in clear, nor its name.
    let stored = everything_stored(&b).await;
    assert!(stored.len() > 2_000, "the photo is stored: {} bytes", stored.len());
    for (what, marker) in [("a PNG", latin1(b"\x89PNG\r\n\x1a\n")), ("a JPEG", latin1(&[0xFF, 0xD8, 0xFF])), ("its name", "diploma-photo".to_string())] {
        assert!(!stored.contains(&marker), "{what} stored in clear");
    }

    // Back online: the photo goes first, then the application that refers to it.
    let app = app.restart_with(&env);
    sync_until_sent(&b, 1).await;
    let operator = app.login("operator").await;
    let listed = stored_applications(&app).await;
    assert_eq!(listed.len(), 1);
    let (status, view) = app.get(&format!("/api/applications/{}", listed[0]["id"].as_str().unwrap()), Some(&operator)).await;
    assert_eq!(status, 200, "{view}");
    let attachments = view["request"]["attachments"].as_array().cloned().unwrap_or_default();
    assert_eq!(attachments.len(), 1, "{view}");
    assert_eq!(attachments[0]["kind"], "original_document");
    let id = attachments[0]["id"].as_str().unwrap();
    assert!(!id.starts_with("device:"), "the server's id in place of the device's: {id}");
    let path = format!("/api/applications/{}/attachments/{id}", view["id"].as_str().unwrap());
    let response = app.client.get(app.url(&path)).bearer_auth(&operator).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let photo = response.bytes().await.unwrap().to_vec();
    assert!(photo.starts_with(&[0xFF, 0xD8, 0xFF]), "the photo, downscaled to a JPEG on the device");
    assert!(!stored.contains(&latin1(&photo[photo.len() / 2..photo.len() / 2 + 32])), "the uploaded bytes were never on the device in clear");
    // Sent again, nothing new: one application, one attachment.
    b.click("#field-sync").await;
    assert_eq!(app.count_applications().await, 1);
    let uploads: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM attachments").fetch_one(&app.database().await).await.unwrap();
    assert_eq!(uploads.0, 1, "the photo uploaded once");
    b.close().await;
}
