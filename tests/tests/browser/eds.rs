//! Signing with EDS through NCALayer: a fake NCALayer in the test process speaks the
//! `kz.gov.pki.knca.basics` protocol over a WebSocket and "signs" with the server's test-double
//! verifier format (base64 of `{"iin", "sha256"}` over the bytes it was given).

use std::sync::{Arc, Mutex};

use base64::Engine;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use telnuska_shared::i18n::{error_message, t, Lang};
use telnuska_tests::browser::{free_port, Browser};
use telnuska_tests::{Backend, TestApp};
use tokio::net::{TcpListener, TcpStream};
use tokio_tungstenite::tungstenite::Message;

use crate::accessibility::{assert_no_violations, axe_script};
use crate::flow::*;

/// What the person does in the NCALayer window.
#[derive(Debug, Clone, Copy)]
enum Person {
    /// Chooses their key and signs.
    Signs,
    /// Signs with the key of someone else (this IIN).
    SignsAs(&'static str),
    /// Closes the window.
    Cancels,
    /// Chooses a key whose certificate has expired: NCALayer refuses.
    ChoosesAnExpiredKey,
}

/// A fake NCALayer on `ws://127.0.0.1:<port>`, with the `sign` requests it was sent.
struct FakeNcaLayer {
    url: String,
    person: Arc<Mutex<Person>>,
    requests: Arc<Mutex<Vec<Value>>>,
    server: tokio::task::JoinHandle<()>,
}

impl FakeNcaLayer {
    async fn start(person: Person) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}", listener.local_addr().unwrap());
        let (person, requests) = (Arc::new(Mutex::new(person)), Arc::new(Mutex::new(Vec::new())));
        let (does, seen) = (person.clone(), requests.clone());
        let server = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, does.clone(), seen.clone()));
            }
        });
        Self { url, person, requests, server }
    }

    /// What the person does from now on.
    fn then(&self, person: Person) {
        *self.person.lock().unwrap() = person;
    }

    fn requests(&self) -> Vec<Value> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for FakeNcaLayer {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// One connection: the greeting, a heartbeat, then an answer to every `sign`.
async fn serve(stream: TcpStream, person: Arc<Mutex<Person>>, seen: Arc<Mutex<Vec<Value>>>) {
    let Ok(mut socket) = tokio_tungstenite::accept_async(stream).await else { return };
    let _ = socket.send(Message::text(r#"{"result":{"version":"1.4"}}"#)).await;
    let _ = socket.send(Message::text("--heartbeat--")).await;
    while let Some(Ok(message)) = socket.next().await {
        let Message::Text(text) = message else { continue };
        let request: Value = serde_json::from_str(text.as_str()).unwrap_or_default();
        seen.lock().unwrap().push(request.clone());
        let signer = request["args"]["signerParams"]["iin"].as_str().unwrap_or_default().to_string();
        let person = *person.lock().unwrap();
        let answer = match person {
            Person::Signs => json!({"status": true, "body": {"result": [test_double_cms(&request, &signer)]}}),
            Person::SignsAs(iin) => json!({"status": true, "body": {"result": [test_double_cms(&request, iin)]}}),
            Person::Cancels => json!({"status": true, "body": {}}),
            Person::ChoosesAnExpiredKey => json!({"status": false, "code": "SIGNING_FAILURE", "message": "Certificate has expired"}),
        };
        let _ = socket.send(Message::text(answer.to_string())).await;
    }
}

/// The test double's "CMS" over the request's `data`, by the key of `iin`.
fn test_double_cms(request: &Value, iin: &str) -> String {
    let engine = base64::engine::general_purpose::STANDARD;
    let data = engine.decode(request["args"]["data"].as_str().unwrap_or_default()).unwrap_or_default();
    engine.encode(json!({"iin": iin, "sha256": hex::encode(Sha256::digest(&data))}).to_string())
}

/// A server whose NCALayer is at `ncalayer`, and a browser on the signing step of a complete
/// university application, `#sign-eds` on screen.
async fn on_the_signing_step(ncalayer: &str) -> (TestApp, Browser) {
    let app = TestApp::spawn_with(Backend::Sqlite, &[("TELNUSKA_EDS_VERIFIER", "test-double"), ("TELNUSKA_NCALAYER_URL", ncalayer)]).await;
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.wait_for("#f-service-higher_duplicate").await;
    fill_up_to_signing(&b).await;
    b.wait_for("#sign-eds").await;
    (app, b)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_application_signed_with_eds_in_ncalayer_is_created_once() {
    let ncalayer = FakeNcaLayer::start(Person::Signs).await;
    let (app, b) = on_the_signing_step(&ncalayer.url).await;

    b.click("#sign-eds").await;
    b.wait_for("#confirmation").await;
    assert!(b.text("#application-number").await.contains("TN-"));

    let requests = ncalayer.requests();
    assert_eq!(requests.len(), 1, "one signing: {requests:?}");
    let args = &requests[0]["args"];
    assert_eq!((requests[0]["module"].as_str(), requests[0]["method"].as_str()), (Some("kz.gov.pki.knca.basics"), Some("sign")));
    assert_eq!((args["format"].as_str(), args["signerParams"]["iin"].as_str()), (Some("cms"), Some(GRADUATE_IIN)));

    let stored = stored_applications(&app).await;
    assert_eq!(stored.len(), 1, "exactly one application: {stored:?}");
    let token = app.login("operator").await;
    let (status, view) = app.get(&format!("/api/applications/{}", stored[0]["id"].as_str().unwrap()), Some(&token)).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["request"]["signature"]["method"], "eds", "{view}");
    assert_eq!(view["request"]["applicant"]["iin"], GRADUATE_IIN);
    b.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_ncalayer_running_the_person_is_told_what_to_do_and_the_sms_code_still_works() {
    // Nothing listens on this port.
    let (app, b) = on_the_signing_step(&format!("ws://127.0.0.1:{}", free_port())).await;

    b.click("#sign-eds").await;
    b.wait_for("#eds-status .status--error").await;
    assert_eq!(b.text("#eds-status .status--error").await, t(Lang::Kk, "eds.not_running"));
    let install = b.wait_for("#eds-status a:not([hidden])").await;
    assert_eq!(install.attr("href").await.unwrap().as_deref(), Some("https://pki.gov.kz/ncalayer/"));
    assert_eq!(app.count_applications().await, 0, "nothing was sent");

    sign(&b, &app).await;
    send_and_confirm(&b).await;
    let stored = stored_applications(&app).await;
    assert_eq!(stored.len(), 1);
    b.close().await;
}

/// Presses `#sign-eds` and waits for the EDS status to say `key`.
async fn sign_with_eds_and_expect(b: &Browser, key: &str) {
    b.click("#sign-eds").await;
    let expected = t(Lang::Kk, key);
    b.eventually(key, || async { b.exists("#eds-status .status--error").await && b.text("#eds-status .status--error").await == expected }).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_an_expired_key_and_someone_elses_key_send_nothing_and_say_what_to_do() {
    let ncalayer = FakeNcaLayer::start(Person::Cancels).await;
    let (app, b) = on_the_signing_step(&ncalayer.url).await;

    sign_with_eds_and_expect(&b, "eds.cancelled").await;
    assert!(!b.exists("#eds-status a:not([hidden])").await, "no install link: NCALayer is there");
    ncalayer.then(Person::ChoosesAnExpiredKey);
    sign_with_eds_and_expect(&b, "eds.wrong_key").await;
    assert_eq!(ncalayer.requests().len(), 2);
    assert_eq!(app.count_applications().await, 0, "nothing was sent");

    // NCALayer signs, but with another person's key: the server's verdict shows by the EDS button.
    ncalayer.then(Person::SignsAs(PARENT_IIN));
    b.click("#sign-eds").await;
    let error = b.wait_for("#f-signature-eds-error").await;
    assert_eq!(error.text().await.unwrap(), error_message(Lang::Kk, "signature.eds_other_person"));
    assert_eq!(b.wait_for("#error-summary a").await.attr("href").await.unwrap().as_deref(), Some("#sign-eds"));
    assert!(b.wait_for("#sign-eds").await.attr("aria-describedby").await.unwrap().unwrap_or_default().contains("f-signature-eds-error"));
    assert!(!b.exists("#f-signature-code-error").await, "not an SMS code error");
    assert_no_violations(&b, &axe_script(), "the signing step with an EDS error").await;
    assert_eq!(app.count_applications().await, 0);

    // Signing again with the right key sends it, once.
    ncalayer.then(Person::Signs);
    b.click("#sign-eds").await;
    b.wait_for("#confirmation").await;
    assert_eq!(stored_applications(&app).await.len(), 1);
    b.close().await;
}
