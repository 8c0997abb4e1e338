//! No loss, no duplicates, under faults chosen at random: applications sent at the desk and
//! pushed by a field worker's device go through a proxy that drops connections, loses answers
//! after the server committed, cuts and delays them, while the server itself is killed and
//! restarted now and then. A client retries with the same key until it has an answer, as the
//! app's outbox does. Afterwards every acknowledged application exists exactly once.
//!
//! `TELNUSKA_FAULT_TRIALS` sets the number of trials (the test command runs a few dozen per
//! database; the long run in docs/RELIABILITY.md runs 1,000), `TELNUSKA_FAULT_SEED` replays a
//! failing run: the seed is printed at the start.

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::{json, Value};
use telnuska_tests::fault_proxy::{seed, trials, FaultProxy, Rng};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

/// How long the client waits for an answer before it counts the attempt as lost.
const CLIENT_TIMEOUT: Duration = Duration::from_millis(1500);
/// How long the client waits once the faults are off.
const PATIENT_TIMEOUT: Duration = Duration::from_secs(60);
/// Attempts per application before the test gives up (faults hit about half the connections).
const MAX_ATTEMPTS: usize = 40;

/// The `n`-th application: at the desk, or pushed by the field worker's device (accepted an hour
/// ago); a retry sends these very bytes again.
fn request(n: usize, through_sync: bool) -> (&'static str, Value) {
    let mut body = desk_application();
    body["applicant"]["email"] = json!(format!("fault{n}@mail.kz"));
    if !through_sync {
        return ("/api/applications", body);
    }
    body["channel"] = json!("field");
    body["accepted_at"] = json!((chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339());
    ("/api/sync/push", json!({"device_id": "tablet-faults", "items": [{"key": format!("fault-{n}"), "kind": "application", "body": body}]}))
}

/// The application id in an answer, if the answer is an acknowledgement.
fn acknowledged(through_sync: bool, status: u16, body: &Value) -> Option<String> {
    let created = if through_sync {
        (status == 200).then(|| &body["results"][0]).filter(|r| r["status"] == 201)?.get("body")?
    } else {
        (status == 201).then_some(body)?
    };
    created["id"].as_str().map(str::to_string)
}

/// Sends the `n`-th application (`path`, `body`) until an answer acknowledges it; the attempts it took.
async fn send_until_acknowledged(client: &reqwest::Client, base: &str, token: &str, n: usize, (path, body): &(&str, Value)) -> (String, usize) {
    let through_sync = path.ends_with("/push");
    let mut last = String::from("no answer");
    for attempt in 1..=MAX_ATTEMPTS {
        let mut req = client.post(format!("{base}{path}")).bearer_auth(token).json(body);
        if !through_sync {
            req = req.header("Idempotency-Key", format!("fault-{n}"));
        }
        if let Ok(res) = req.send().await {
            let status = res.status().as_u16();
            if let Ok(answer) = res.json::<Value>().await {
                if let Some(id) = acknowledged(through_sync, status, &answer) {
                    return (id, attempt);
                }
                assert!(status == 429 || status >= 500 || status == 200, "application {n}: a fault must never turn into a refusal: {status} {answer}");
                last = format!("{status} {answer}");
            }
        }
        // As the outbox does: wait a little longer after each failure (a restart takes seconds).
        tokio::time::sleep(Duration::from_millis((50 * attempt as u64).min(1000))).await;
    }
    panic!("application {n} was not acknowledged after {MAX_ATTEMPTS} attempts; the last answer: {last}")
}

async fn no_application_is_lost_or_duplicated_under_random_faults(backend: Backend) {
    let seed = seed();
    let trials = trials("TELNUSKA_FAULT_TRIALS", 30);
    println!("fault test on {backend:?}: seed {seed} (TELNUSKA_FAULT_SEED={seed} replays it), {trials} trials");
    let mut rng = Rng::new(seed);
    let mut app = TestApp::spawn(backend).await;
    let proxy = FaultProxy::start(&app.address(), seed ^ 0x5EED).await;
    let client = reqwest::Client::builder().timeout(CLIENT_TIMEOUT).pool_max_idle_per_host(0).build().unwrap();
    let (operator, field) = (app.login("operator").await, app.login("field").await);
    let mut sent: BTreeMap<usize, (String, bool, (&str, Value))> = BTreeMap::new();
    let (mut attempts, mut kills) = (0, 0);
    for n in 0..trials {
        let through_sync = rng.chance(50);
        let token = if through_sync { field.clone() } else { operator.clone() };
        let request = request(n, through_sync);
        // Now and then the server is killed (SIGKILL) while the request is on its way, and restarted.
        let sending = {
            let (client, base, request) = (client.clone(), proxy.url.clone(), request.clone());
            tokio::spawn(async move { send_until_acknowledged(&client, &base, &token, n, &request).await })
        };
        if rng.chance(8) {
            tokio::time::sleep(Duration::from_millis(rng.below(60))).await;
            app = app.restart_with(&[]);
            proxy.set_upstream(&app.address());
            kills += 1;
        }
        let (id, tries) = sending.await.expect("the sender finished");
        attempts += tries;
        sent.insert(n, (id, through_sync, request));
    }

    proxy.stop_faults();
    // Every acknowledged application is there, and sending it again gives the same one at the
    // first try. With the faults off, a slow answer is the machine's load, not a fault: the
    // client now waits as long as it takes.
    let patient = reqwest::Client::builder().timeout(PATIENT_TIMEOUT).build().unwrap();
    for (n, (id, through_sync, request)) in &sent {
        let (again, tries) = send_until_acknowledged(&patient, &proxy.url, if *through_sync { &field } else { &operator }, *n, request).await;
        assert_eq!((&again, tries), (id, 1), "application {n} (seed {seed})");
    }
    assert_eq!(app.count_applications().await, trials, "one application per key: none lost, none duplicated (seed {seed})");
    let faults = proxy.injected();
    println!("{trials} applications, {attempts} attempts, {kills} server kills, faults per connection: {faults:?}; lost 0, duplicated 0");
    assert!(faults.len() > 1, "faults were injected: {faults:?}");
}

crate::on_both_backends!(no_application_is_lost_or_duplicated_under_random_faults);
