//! Offline: the app reopens from its service worker with the server down, a signed application
//! submitted then waits in the outbox with a receipt and is sent exactly once when the server
//! is back; a new version is offered, not forced, and the draft survives the reload.

use std::time::Duration;

use telnuska_tests::browser::{free_port, Browser};
use telnuska_tests::server::{workspace_root, TempDir};
use telnuska_tests::{Backend, TestApp};

use crate::drafts::continue_draft;
use crate::flow::*;

/// Fills a university-diploma application up to the signing step, code typed in.
async fn fill_and_sign(b: &Browser, app: &TestApp) {
    fill_up_to_signing(b).await;
    sign(b, app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_submitted_while_the_server_is_down_is_sent_exactly_once_when_it_is_back() {
    // A restarted server must keep its address: the page's origin, storage and worker depend on it.
    let addr = format!("127.0.0.1:{}", free_port());
    let env = [("TELNUSKA_ADDR", addr.as_str())];
    let mut app = TestApp::spawn_with(Backend::Sqlite, &env).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.wait_for_service_worker().await;
    fill_and_sign(&b, &app).await;
    // The code is in the draft before the network goes.
    let code = b.value("#f-signature-code").await;
    b.wait_for_saved_draft(&format!(r#""code":"{code}""#)).await;

    app.kill();
    // With no server the app still opens (from the service worker) on the signing step.
    b.client.refresh().await.unwrap();
    continue_draft(&b).await;
    b.eventually("the draft is back, code and all", || async { b.exists("#f-signature-code").await && b.value("#f-signature-code").await.len() == 6 }).await;

    b.click("#submit").await;
    b.wait_for("#outbox-status").await;
    let hash = b.text("#receipt-hash").await;
    assert!(hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit()), "a SHA-256 receipt: {hash:?}");
    assert!(!b.text("#receipt-time").await.trim().is_empty());

    // Closing and reopening the page loses nothing: the outbox is in IndexedDB.
    b.client.refresh().await.unwrap();
    b.wait_for("#outbox-status").await;
    assert_eq!(b.text("#receipt-hash").await, hash);

    let app = app.restart_with(&env);
    b.eventually_within("the queued application is delivered", Duration::from_secs(90), || async { b.exists("#confirmation").await }).await;
    assert!(b.text("#application-number").await.contains("TN-"));
    assert_eq!(b.text("#receipt-hash").await, hash, "the confirmation names what was queued");
    // Another start of the app finds nothing left to send; the confirmation has its own
    // address, so it shows again.
    b.client.refresh().await.unwrap();
    b.wait_for("#confirmation").await;
    assert!(b.text("#application-number").await.contains("TN-"));
    b.eventually("the outbox is empty", || async { b.stored_records("telnuska", "outbox").await == "[]" }).await;
    assert_eq!(app.count_applications().await, 1, "sent exactly once");
    b.close().await;
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_version_is_offered_and_the_reload_keeps_the_draft() {
    let dist = TempDir::new("telnuska-dist");
    let built = std::env::var_os("TELNUSKA_DIST").map_or_else(|| workspace_root().join("dist"), std::path::PathBuf::from);
    copy_dir(&built, &dist.0);
    let dist_path = dist.0.display().to_string();
    let app = TestApp::spawn_with(Backend::Sqlite, &[("TELNUSKA_DIST", dist_path.as_str())]).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.wait_for_service_worker().await;
    choose_service(&b, "higher_duplicate").await;
    b.type_into("#f-applicant-iin", GRADUATE_IIN).await;
    assert!(!b.exists("#update-prompt").await, "the first install offers nothing");

    // Deploy a new version: the worker script changes.
    let sw = dist.0.join("sw.js");
    let script = std::fs::read_to_string(&sw).unwrap().replacen("const VERSION = \"", "const VERSION = \"next-", 1);
    std::fs::write(&sw, script).unwrap();
    for compressed in ["sw.js.br", "sw.js.gz"] {
        let _ = std::fs::remove_file(dist.0.join(compressed));
    }
    b.script("return navigator.serviceWorker.getRegistration().then((r) => r.update()).then(() => true)").await;
    b.wait_for("#update-prompt").await;
    assert_eq!(b.value("#f-applicant-iin").await, GRADUATE_IIN, "nothing reloads by itself");

    b.click("#update-reload").await;
    b.eventually("the page reloaded under the new worker", || async {
        b.script("return navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL").await.is_string()
            && !b.exists("#update-prompt").await
            && b.exists("#f-applicant-iin").await
    })
    .await;
    continue_draft(&b).await;
    b.eventually("the draft is intact", || async { b.value("#f-applicant-iin").await == GRADUATE_IIN }).await;
    b.close().await;
}
