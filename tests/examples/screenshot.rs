//! Takes the README's screenshot: the real server and app in headless Chromium at phone size.
//! `cargo xtask build-app && cargo build -p telnuska-server && cargo run -p telnuska-tests --example screenshot`

use telnuska_tests::browser::Browser;
use telnuska_tests::server::workspace_root;
use telnuska_tests::{Backend, TestApp};

#[tokio::main]
async fn main() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let browser = Browser::start().await;
    browser.open(&app.url("/")).await;
    browser.wait_for("#f-applicant-iin, #f-service-higher_duplicate, form").await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let path = workspace_root().join("docs/screenshot.png");
    browser.screenshot(&path).await;
    browser.close().await;
    println!("wrote {}", path.display());
}
