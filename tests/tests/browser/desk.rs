//! The ЦОН desk in the browser (issue 17): the operator sends the packages accepted since the last
//! dispatch with the courier, and a package accepted afterwards waits for the next one.

use telnuska_tests::browser::Browser;
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use crate::accessibility::{assert_no_violations, axe_script};
use crate::staff::sign_in;

async fn accept(app: &TestApp, key: &str) -> String {
    app.submit_at_desk(key, &desk_application()).await["number"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_operator_sends_the_waiting_packages_with_the_courier() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (first, second) = (accept(&app, "first").await, accept(&app, "second").await);
    let b = Browser::start().await;
    sign_in(&b, &app, "operator").await;
    b.click("#lang-en").await;
    b.click("a[href='/staff/desk/dispatch']").await;
    b.eventually("both packages listed", || async {
        let table = b.text("#desk-dispatch").await;
        table.contains(&first) && table.contains(&second)
    })
    .await;
    assert!(b.text("#desk-dispatch").await.contains("Courier dispatch"));
    assert_no_violations(&b, &axe_script(), "the courier dispatch").await;

    b.click(".desk-provider[data-institution='kaznmu'] button").await;
    b.eventually("the dispatch confirmed", || async { b.text("#desk-dispatch-sent").await == format!("Sent with the courier: {first}, {second}") }).await;
    b.eventually("nothing left waiting", || async { b.exists("#desk-dispatch-none").await }).await;
    let operator = app.login("operator").await;
    for number in [&first, &second] {
        let (_, view) = app.get(&format!("/api/applications/{number}"), Some(&operator)).await;
        assert_eq!(view["status"], "in_transit", "{view}");
    }

    // Accepted after the courier left: waits for the next dispatch.
    let later = accept(&app, "later").await;
    b.open(&app.url("/staff/desk/dispatch")).await;
    b.eventually("the later package waits", || async { b.text("#desk-dispatch").await.contains(&later) }).await;
    assert!(!b.text("#desk-dispatch").await.contains(&first));
    assert!(b.text(".desk-provider[data-institution='kaznmu']").await.contains("waiting for the next dispatch"), "the package left out is marked");
    b.close().await;
}
