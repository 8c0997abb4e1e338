//! The citizen's outbox under faults chosen at random: applications filled in and signed in the
//! browser go out through a proxy (the whole origin, page and API, passes through it) while each
//! submission meets one trouble — its answer lost or cut after the server committed, its
//! connection dropped before the request, an answer slower than the app waits, the server killed
//! (SIGKILL) and started again mid-send, the page reloaded mid-send, the browser killed (SIGKILL)
//! mid-send and started again on its profile. The person sometimes waits for the number, sometimes
//! goes straight on to the next application; the last one is sent while the server is down.
//! Then, with the faults still on, every application is on the device — acknowledged (in "my
//! applications") or in the outbox (listed on the start page as waiting); and once the faults
//! stop, the outbox empties and every application exists exactly once on the server, under the
//! numbers the person was shown.
//!
//! Each application is another person's (phone and address of their own: the server limits SMS
//! codes per phone and per address). `TELNUSKA_BROWSER_FAULT_TRIALS` sets the number of trials,
//! `TELNUSKA_FAULT_SEED` replays a run: the seed is printed at the start and on a failure.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;
use std::time::{Duration, Instant};

use fantoccini::Locator;
use sqlx::Row;
use telnuska_tests::browser::Browser;
use telnuska_tests::fault_proxy::{seed, trials, Fault, FaultProxy, Rng};
use telnuska_tests::server::TempDir;
use telnuska_tests::{Backend, TestApp};

use crate::flow::*;

/// The request every trouble is aimed at: the outbox sending an application.
const SUBMISSION: &str = "POST /api/applications ";
/// Trials when `TELNUSKA_BROWSER_FAULT_TRIALS` is not set: within 3 minutes on 2 cores.
const DEFAULT_TRIALS: usize = 6;
/// How long a person waits for the number before the test calls the application stuck: the
/// app's own timeout and a few retries.
const PATIENCE: Duration = Duration::from_secs(90);

/// What happens to one submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Trouble {
    /// The answer is lost, or cut off, after the server committed.
    AnswerLost,
    /// The connection is dropped before the request reaches the server.
    RequestDropped,
    /// The answer comes later than the app waits.
    AnswerSlow,
    /// The server is killed (SIGKILL) mid-send and started again.
    ServerKilled,
    /// The page is reloaded mid-send.
    PageReloaded,
    /// The browser is killed (SIGKILL) mid-send and started again on the same profile.
    BrowserKilled,
}

impl Trouble {
    const ALL: [Trouble; 6] =
        [Trouble::AnswerLost, Trouble::RequestDropped, Trouble::AnswerSlow, Trouble::ServerKilled, Trouble::PageReloaded, Trouble::BrowserKilled];

    /// The fault on the wire: "mid-send" is either the request on its way (held) or the server's
    /// answer on its way back after the commit (held).
    fn fault(self, rng: &mut Rng) -> Fault {
        match self {
            Trouble::AnswerLost if rng.chance(50) => Fault::LoseAnswer,
            Trouble::AnswerLost => Fault::CutAnswer,
            Trouble::RequestDropped => Fault::DropBeforeRequest,
            Trouble::AnswerSlow => Fault::SlowAnswer,
            _ if rng.chance(50) => Fault::HeldRequest,
            _ => Fault::SlowAnswer,
        }
    }
}

/// The applicant of trial `n`: a phone (E.164), an e-mail and an address of their own.
struct Person {
    phone: String,
    email: String,
    address: Ipv4Addr,
}

impl Person {
    fn new(n: usize) -> Self {
        let address = Ipv4Addr::new(127, 1, (n / 250) as u8, (n % 250) as u8 + 1);
        Self { phone: format!("+7701{n:07}"), email: format!("trial{n}@mail.kz"), address }
    }
}

/// Prints how to replay the run when the test fails.
struct ReplayOnFailure(u64);

impl Drop for ReplayOnFailure {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("the outbox fault test failed: TELNUSKA_FAULT_SEED={} replays it", self.0);
        }
    }
}

/// The person starts another application: "new application" on the confirmation or the start
/// page, else "my drafts" first (the page may change under the finger: the outbox answers).
async fn start_new_application(b: &Browser) {
    b.eventually("a new application's first step", || async {
        if b.exists("#f-service-higher_duplicate").await {
            return true;
        }
        for button in ["#new-application", "#to-drafts"] {
            if let Ok(found) = b.client.find(Locator::Css(button)).await {
                let _ = found.click().await;
                break;
            }
        }
        false
    })
    .await;
}

/// Fills in and signs `person`'s application, up to the moment of sending.
async fn fill_and_sign(b: &Browser, app: &TestApp, person: &Person) {
    start_new_application(b).await;
    fill_up_to_documents_as(b, &person.phone, &person.email).await;
    fill_lost_diploma_up_to_signing(b).await;
    sign_as(b, app, &person.phone).await;
}

/// Opens the app at the proxy's origin, as a person opens it from the home screen.
async fn open_app(b: &Browser, proxy: &FaultProxy) {
    b.open(&format!("{}/", proxy.url)).await;
}

/// Waits until the aimed fault struck (the request reached the proxy, or its answer came back):
/// the outbox sends in order, so an application queued before may go first.
async fn until_struck(proxy: &FaultProxy, ticket: usize, trial: usize) {
    let deadline = Instant::now() + PATIENCE;
    while !proxy.struck_since(ticket) {
        assert!(Instant::now() < deadline, "trial {trial}: no application was sent within {PATIENCE:?}: the outbox is stuck");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The JSON records of one of the app's IndexedDB stores.
async fn records(b: &Browser, store: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(&b.stored_records("telnuska", store).await).expect("JSON records")
}

/// Each application on the server: its number, by the applicant's phone.
async fn stored_numbers(app: &TestApp) -> BTreeMap<String, Vec<String>> {
    let rows = sqlx::query("SELECT applicant_phone, number FROM applications").fetch_all(&app.database().await).await.expect("read applications");
    let mut by_phone: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for row in rows {
        by_phone.entry(row.get("applicant_phone")).or_default().push(row.get("number"));
    }
    by_phone
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_outbox_loses_and_duplicates_nothing_under_random_faults() {
    let started = Instant::now();
    let seed = seed();
    let _replay = ReplayOnFailure(seed);
    let trials = trials("TELNUSKA_BROWSER_FAULT_TRIALS", DEFAULT_TRIALS);
    println!("outbox fault test: seed {seed} (TELNUSKA_FAULT_SEED={seed} replays it), {trials} trials");
    let mut rng = Rng::new(seed);
    let mut app = TestApp::spawn(Backend::Sqlite).await;
    let proxy = FaultProxy::start_aimed(&app.address()).await;
    let profile = TempDir::new("telnuska-chromium-faults");
    let mut b = Browser::start_with_profile(profile.0.clone()).await;
    open_app(&b, &proxy).await;
    b.wait_for_service_worker().await;

    let mut troubles: BTreeMap<Trouble, usize> = BTreeMap::new();
    let mut shown = Vec::new();
    for n in 0..trials {
        let person = Person::new(n);
        proxy.come_from(person.address);
        fill_and_sign(&b, &app, &person).await;
        let trouble = Trouble::ALL[rng.below(Trouble::ALL.len() as u64) as usize];
        let ticket = proxy.aim(SUBMISSION, trouble.fault(&mut rng));
        b.click("#submit").await;
        until_struck(&proxy, ticket, n).await;
        match trouble {
            Trouble::ServerKilled => {
                app = app.restart_with(&[]);
                proxy.set_upstream(&app.address());
            }
            Trouble::PageReloaded => b.client.refresh().await.expect("reload"),
            Trouble::BrowserKilled => {
                b.kill();
                b = Browser::start_with_profile(profile.0.clone()).await;
                open_app(&b, &proxy).await;
            }
            _ => {}
        }
        *troubles.entry(trouble).or_default() += 1;
        // Most people wait for the number; some go straight on to the next application.
        let waits = rng.chance(75);
        if waits {
            let what = format!("trial {n} ({trouble:?}): the number is shown");
            b.eventually_within(&what, PATIENCE, || async { b.exists("#application-number").await }).await;
            shown.push(b.text("#application-number").await);
        }
        println!("trial {n}: {trouble:?}, {}; {:.0} s", if waits { "the number shown" } else { "went on" }, started.elapsed().as_secs_f64());
    }

    // The last application is sent while the server is down: it waits in the outbox, and a
    // reload (the app from its service worker) still shows it waiting.
    let person = Person::new(trials);
    proxy.come_from(person.address);
    fill_and_sign(&b, &app, &person).await;
    app.kill();
    b.click("#submit").await;
    b.wait_for("#outbox-status").await;
    b.client.refresh().await.expect("reload");
    b.wait_for("#outbox-status").await;

    // Nothing is in flight now: every application is on the device, acknowledged or queued,
    // and each queued one is on the start page, marked as waiting.
    let (queued, acknowledged) = (records(&b, "outbox").await, records(&b, "submitted").await);
    assert_eq!(queued.len() + acknowledged.len(), trials + 1, "each application acknowledged or queued, once: {queued:?} {acknowledged:?}");
    b.click("#to-drafts").await;
    b.wait_for("#drafts").await;
    for item in &queued {
        let draft = item["draft_id"].as_str().expect("the draft of a queued application");
        assert!(b.exists(&format!("#draft-{draft} .draft__flag")).await, "the queued draft {draft} is listed as waiting");
    }

    // The faults stop: the outbox empties by itself.
    proxy.stop_faults();
    let app = app.restart_with(&[]);
    proxy.set_upstream(&app.address());
    b.eventually_within("the outbox is delivered", Duration::from_secs(120), || async { b.stored_records("telnuska", "outbox").await == "[]" }).await;

    // Every application exists exactly once, under the number the person was shown, and "my
    // applications" lists them all.
    let stored = stored_numbers(&app).await;
    let counts: Vec<usize> = (0..=trials).map(|n| stored.get(&Person::new(n).phone).map_or(0, Vec::len)).collect();
    let (lost, duplicated) = (counts.iter().filter(|&&c| c == 0).count(), counts.iter().filter(|&&c| c > 1).count());
    let injected = proxy.injected();
    println!(
        "{} applications ({trials} under a trouble, 1 sent while the server was down): troubles {troubles:?}; faults on the wire {injected:?}; \
         {} numbers seen on the confirmation, {} queued when the faults stopped; lost {lost}, duplicated {duplicated}; {:.0} s",
        trials + 1,
        shown.len(),
        queued.len(),
        started.elapsed().as_secs_f64()
    );
    assert_eq!((lost, duplicated), (0, 0), "applications per person: {counts:?}");
    assert_eq!(stored.values().map(Vec::len).sum::<usize>(), trials + 1, "no application but these: {stored:?}");
    let numbers: Vec<&String> = stored.values().flatten().collect();
    for number in &shown {
        assert!(numbers.contains(&number), "the number {number} shown exists on the server");
    }
    b.open(&format!("{}/track", proxy.url)).await;
    for number in &numbers {
        let what = format!("{number} is in \"my applications\"");
        b.eventually(&what, || async { b.text("#tracked").await.contains(number.as_str()) }).await;
    }
    b.close().await;
}
