//! The field worker's sync, measured through the browser (`cargo bench -p telnuska-tests --bench
//! field_sync`; build the release server and the app first: `cargo build --release -p
//! telnuska-server`, `cargo xtask build-app`):
//!
//! 1. a headless Chromium signs in as the field worker on the field page, sets a PIN, and
//!    1,000 applications accepted at the door are queued in its encrypted store by the page's own
//!    vault code (the measuring hook the page exposes only when `localStorage` asks for it);
//! 2. "Send now": the device opens them, pushes them in its batches and marks each one
//!    acknowledged in its store; the time runs from the press until no item is left unsent
//!    (read from the store every 100 ms);
//! 3. the same 1,000, under the same keys, pushed by a plain HTTP client to a fresh server in the
//!    same batches, and the ratio of the two;
//! 4. the whole push replayed, to both servers: nothing new is created (asserted).
//!
//! Nothing here asserts on time: machines are shared and noisy; the figures are printed.

use std::time::{Duration, Instant};

use chrono::Utc;
use serde_json::{json, Value};
use telnuska_tests::browser::Browser;
use telnuska_tests::server::{built_dist, use_release_server, valid_application};
use telnuska_tests::{Backend, TestApp};

const ITEMS: usize = 1_000;
/// The device's batch (`app/src/staff/field/queue.rs`), used by the plain client too.
const BATCH: usize = 50;
const PIN: &str = "2580";

/// The day's applications: each its idempotency key and body, accepted an hour ago.
fn applications() -> Vec<(String, Value)> {
    let accepted_at = (Utc::now() - chrono::Duration::hours(1)).to_rfc3339();
    (0..ITEMS)
        .map(|n| {
            let mut body = valid_application("+77011234567", "000000");
            body["channel"] = json!("field");
            body["signature"] = Value::Null;
            body["accepted_at"] = json!(accepted_at);
            body["applicant"]["email"] = json!(format!("door{n}@mail.kz"));
            (format!("door-{n}"), body)
        })
        .collect()
}

/// Pushes every application as a device would, batch by batch; every item must be created (or,
/// replayed, answered as before).
async fn push_over_http(app: &TestApp, token: &str, items: &[(String, Value)]) -> Duration {
    let started = Instant::now();
    for batch in items.chunks(BATCH) {
        let pushed: Vec<Value> = batch.iter().map(|(key, body)| json!({"key": key, "kind": "application", "body": body})).collect();
        let (status, answer) = app.post("/api/sync/push", &json!({"device_id": "bench-http", "items": pushed}), None, Some(token)).await;
        assert_eq!(status, 200, "{answer}");
        let results = answer["results"].as_array().expect("results");
        assert!(results.iter().all(|r| r["status"] == 201 || r["status"] == 200), "{answer}");
    }
    started.elapsed()
}

/// Items on the device, and those not yet acknowledged (the clear flag beside each sealed item).
async fn on_device(b: &Browser) -> (usize, usize) {
    let js = r#"
        const done = arguments[0];
        const open = indexedDB.open("telnuska-field");
        open.onerror = () => done([0, 0]);
        open.onsuccess = () => {
            const db = open.result;
            const all = db.transaction("items").objectStore("items").getAll();
            all.onsuccess = () => { db.close(); done([all.result.length, all.result.filter((r) => r.unsent !== false).length]); };
        };
    "#;
    let counts = b.client.execute_async(js, vec![]).await.expect("count the device's items");
    let count = |i: usize| counts[i].as_u64().unwrap_or_default() as usize;
    (count(0), count(1))
}

/// Signs in on the field page with the measuring hook asked for, and sets the PIN.
async fn field_device(app: &TestApp) -> Browser {
    let b = Browser::start().await;
    b.open(&app.url("/staff/field")).await;
    b.script("localStorage.setItem('telnuska.field.measure', '1')").await;
    b.open(&app.url("/staff/field")).await;
    b.type_into("#staff-login-name", "field").await;
    b.type_into("#staff-login-password", "demo-password").await;
    b.click("#staff-login-submit").await;
    b.type_into("#field-pin", PIN).await;
    b.type_into("#field-pin-again", PIN).await;
    b.click("#field-pin-submit").await;
    b.wait_for("#field-queue").await;
    b
}

/// Queues `items` through the page's vault; returns how long the sealing took.
async fn queue_on_device(b: &Browser, items: &[(String, Value)]) -> Duration {
    b.eventually("the measuring hook", || async { b.script("return typeof window.telnuskaFieldQueue === 'function'").await == Value::Bool(true) }).await;
    let items: Vec<Value> = items.iter().map(|(key, body)| json!({"key": key, "body": body.to_string()})).collect();
    let started = Instant::now();
    let js = "const [items, done] = arguments; window.telnuskaFieldQueue(items).then(done, (e) => done('failed: ' + e));";
    let queued = b.client.execute_async(js, vec![json!(items)]).await.expect("queue");
    assert_eq!(queued, json!(ITEMS), "queued on the device");
    started.elapsed()
}

/// Presses "Send now" and waits until every item is marked acknowledged on the device.
async fn sync_device(b: &Browser) -> Duration {
    b.eventually("Send now free", || async { b.script("return !document.getElementById('field-sync').disabled").await == Value::Bool(true) }).await;
    let started = Instant::now();
    b.click("#field-sync").await;
    loop {
        if on_device(b).await == (ITEMS, 0) {
            return started.elapsed();
        }
        assert!(started.elapsed() < Duration::from_secs(600), "not all acknowledged: {:?}", on_device(b).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn main() {
    use_release_server();
    let dist = built_dist().display().to_string();
    let env = [("TELNUSKA_DIST", dist.as_str()), ("RUST_LOG", "error")];
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let items = applications();

        let device_app = TestApp::spawn_with(Backend::Sqlite, &env).await;
        let b = field_device(&device_app).await;
        let sealing = queue_on_device(&b, &items).await;
        assert_eq!(on_device(&b).await, (ITEMS, ITEMS), "all sealed and waiting");
        let browser = sync_device(&b).await;
        assert_eq!(device_app.count_applications().await, ITEMS);
        b.close().await;

        let http_app = TestApp::spawn_with(Backend::Sqlite, &env).await;
        let http = push_over_http(&http_app, &http_app.login("field").await, &items).await;
        assert_eq!(http_app.count_applications().await, ITEMS);

        // The whole push again, as after a lost answer: the same applications, nothing new.
        let replay = push_over_http(&device_app, &device_app.login("field").await, &items).await;
        push_over_http(&http_app, &http_app.login("field").await, &items).await;
        assert_eq!((device_app.count_applications().await, http_app.count_applications().await), (ITEMS, ITEMS), "a replay creates nothing");

        println!("field sync of {ITEMS} applications (batches of {BATCH}, SQLite, release server)");
        println!("  sealed into the device's store (page's vault):  {:>8.2} s", sealing.as_secs_f64());
        println!("  browser: opened, pushed, each marked on device: {:>8.2} s", browser.as_secs_f64());
        println!("  plain HTTP client, same items:                  {:>8.2} s", http.as_secs_f64());
        println!("  browser / plain HTTP:                           {:>8.2}", browser.as_secs_f64() / http.as_secs_f64());
        println!("  replay of the whole push (nothing created):     {:>8.2} s", replay.as_secs_f64());
    });
}
