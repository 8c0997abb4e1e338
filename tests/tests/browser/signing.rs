//! The SMS code the app asks for is bound to the answers on screen (the server then lets it sign
//! those answers only), and signs them.

use telnuska_tests::browser::Browser;
use telnuska_tests::{Backend, TestApp};

use crate::flow::{fill_up_to_signing, send_and_confirm, sign};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_sms_code_is_asked_for_the_answers_on_screen_and_signs_them() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.wait_for("#f-service-higher_duplicate").await;
    fill_up_to_signing(&b).await;
    sign(&b, &app).await;
    send_and_confirm(&b).await;
    let db = app.database().await;
    let bound: Option<String> = sqlx::query_scalar("SELECT content_hash FROM otp_codes").fetch_one(&db).await.unwrap();
    db.close().await;
    // Accepted with a bound code: the server found the hash the app sent equal to the answers'.
    let bound = bound.expect("the code was asked for with the answers' hash");
    assert!(bound.len() == 64 && bound.bytes().all(|c| c.is_ascii_hexdigit()), "{bound}");
}
