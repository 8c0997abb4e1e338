//! Cold load and offline reopen of the citizen's app on a slow mobile network, measured side by
//! side with a static HTML page of the same form served by the same server, in one run
//! (`cargo bench -p telnuska-tests --bench load`; first `cargo xtask build-app` and
//! `cargo build --release -p telnuska-server`).
//!
//! - **Network**: Chrome DevTools' "Slow 4G" preset (devtools-frontend,
//!   `front_end/core/sdk/NetworkManager.ts`, `Slow4GConditions`, the same as Lighthouse's mobile
//!   throttling): 562.5 ms added latency per request, 1.44 Mbit/s (180,000 B/s) down, 675 kbit/s
//!   (84,375 B/s) up, set with the CDP command `Network.emulateNetworkConditions` through
//!   ChromeDriver ([`Browser::cdp`]). The CPU is not slowed.
//! - **The static page** is made honestly at the start of the run: the app is loaded once, and
//!   its rendered document (first step, language switcher and all) with every script and preload
//!   removed is written as `static-form.html` into a view of the built app (a temporary folder of
//!   links to `TELNUSKA_DIST`'s entries plus that file), which the server serves as its dist. It
//!   has the same stylesheet and markup and no WebAssembly; the server compresses it on the fly.
//! - **Usable** means the first step's service radio `#f-service-higher_duplicate` is in the
//!   document, enabled, and drawn: a `MutationObserver`, added to every new document through CDP
//!   (`Page.addScriptToEvaluateOnNewDocument`, so the app carries no benchmark code), notes the
//!   moment the radio appears, and the next `requestAnimationFrame` callback (blocked until the
//!   stylesheet has arrived) reads `performance.now()`: milliseconds since navigation start, read
//!   inside the page, to Chromium's 0.1 ms timer resolution; WebDriver's round trips only fetch
//!   the figure afterwards and add nothing to it.
//! - **Cold load**: a fresh Chromium profile for every run (no HTTP cache, no service worker, no
//!   compiled-code cache), app and static runs interleaved so that noise from other processes
//!   falls on both alike.
//! - **Offline reopen**: after a first visit (online, until the service worker controls the page),
//!   Chromium is closed and started again on the same profile with the network emulated offline,
//!   as a person reopens the app later with no signal. CDP's offline emulation applies to the page
//!   but not necessarily to the service worker's own `fetch`; the run checks it (a request only the
//!   worker can fetch) and, if the worker still reaches the server, stops the server. The static
//!   page has no service worker and does not open offline; the app's offline reopen is compared to
//!   the static page's online cold load instead.
//! - **Bytes**: the sum of Resource Timing `transferSize` (navigation and resources: body as sent
//!   plus headers) of what finished before the form was usable, and of everything by the time the
//!   page finished loading.
//!
//! - **Interaction** ([`interaction`]): keystroke-to-message latency with the CPU slowed 4×, and
//!   the layout shift of a session that makes errors appear and go; `TELNUSKA_BENCH_ONLY=interaction`
//!   runs only that part.
//!
//! Nothing here asserts on time: machines are shared and noisy; the figures are printed. On the
//! 2-core development machine (Chromium 156, 5 runs, median (min–max)):
//!
//! | | app (wasm) | static page | app/static |
//! |---|---|---|---|
//! | cold load, form usable | 2,804 ms (2,758–2,818) | 1,215 ms (1,211–1,243) | 2.31 |
//! | bytes until usable | 252,904 B | 4,016 B | 63.0 |
//! | offline reopen, form usable | 290 ms (260–355) | not available offline | – |
//!
//! The app's offline reopen is 0.24 of the static page's online cold load. The app's cold load is
//! bound by its bytes: 253 KB at 180,000 B/s is 1.4 s, plus two request latencies (page, then its
//! assets in parallel) of 562.5 ms; compiling and rendering take the remaining ~0.2 s. CDP's
//! offline emulation did not reach the service worker's `fetch` in Chromium 156, so the offline
//! runs stop the server.

#[path = "load/interaction.rs"]
mod interaction;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;
use telnuska_tests::browser::Browser;
use telnuska_tests::server::{built_dist, use_release_server, TempDir};
use telnuska_tests::{Backend, TestApp};

/// Runs of each kind (cold app, cold static, offline reopen).
const RUNS: usize = 5;
/// The element that makes the form usable, in the app and in the static page alike.
const READY_ID: &str = "f-service-higher_duplicate";
/// Where the static page is served.
const STATIC_PATH: &str = "/static-form.html";
/// Longest wait for one load (slow 4G and a busy machine), before the run is given up.
const LOAD_LIMIT: Duration = Duration::from_secs(120);

/// Network conditions for `Network.emulateNetworkConditions`.
struct Network {
    offline: bool,
    latency_ms: f64,
    down_bytes_per_sec: f64,
    up_bytes_per_sec: f64,
}

/// Chrome DevTools' "Slow 4G" (`Slow4GConditions`: 1.6 Mbit/s × 0.9 down, 750 kbit/s × 0.9 up,
/// 150 ms RTT × 3.75 as per-request latency).
const SLOW_4G: Network = Network { offline: false, latency_ms: 562.5, down_bytes_per_sec: 180_000.0, up_bytes_per_sec: 84_375.0 };
/// No network at all.
const OFFLINE: Network = Network { offline: true, latency_ms: 0.0, down_bytes_per_sec: 0.0, up_bytes_per_sec: 0.0 };

/// Injected into every new document: notes when the form is present, enabled and drawn
/// (`drawn`: on the app's page its first screen, built into the page), and when it is the app's
/// own (`running`: the first screen has given way to the running app; the static page has none).
const READY_PROBE: &str = r#"(() => {
  const mark = { drawn: null, running: null };
  window.__telnuskaBench = mark;
  const usable = () => { const el = document.getElementById("READY_ID"); return el !== null && !el.disabled; };
  const seen = {};
  const note = (key, now) => {
    if (seen[key] || !now) return;
    seen[key] = true;
    requestAnimationFrame(() => { mark[key] = performance.now(); });
  };
  const check = () => {
    note("drawn", usable());
    note("running", usable() && document.getElementById("first-screen") === null);
    if (seen.running) observer.disconnect();
  };
  const observer = new MutationObserver(check);
  observer.observe(document, { childList: true, subtree: true, attributes: true, attributeFilter: ["disabled"] });
})();"#;

/// Bytes over the network: `[until the form was usable, everything so far]`.
const TRANSFERRED: &str = r#"const until = arguments[0];
const entries = [...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")];
const sum = (list) => list.reduce((total, e) => total + (e.transferSize || 0), 0);
return [sum(entries.filter((e) => e.responseEnd <= until)), sum(entries)];"#;

/// The rendered app as a page of its own: no scripts, no preloads, no loading notice.
const STATIC_SNAPSHOT: &str = r#"const root = document.documentElement.cloneNode(true);
root.querySelectorAll("script, link[rel=modulepreload], link[rel=preload], #app-loading").forEach((e) => e.remove());
return "<!doctype html>\n" + root.outerHTML + "\n";"#;

/// Whether the service worker can still fetch from the server: a URL it has not cached, so only
/// its own `fetch` can answer.
const WORKER_REACHES_SERVER: &str = r#"return fetch("/manifest.webmanifest?bench-probe=" + Date.now())
  .then((r) => r.ok, () => false);"#;

/// One measured load.
struct Load {
    /// Navigation start → form usable (drawn), ms.
    usable_ms: f64,
    /// Bytes transferred until then.
    bytes_until_usable: u64,
    /// Navigation start → the app running (its own form drawn), ms.
    running_ms: f64,
    /// Bytes transferred until then.
    bytes_until_running: u64,
    /// Bytes transferred by the end of the page's load.
    bytes_total: u64,
}

/// A folder that serves as the built app plus files of the benchmark's own: a link to every
/// entry of `dist`, so nothing is copied and the app's files stay as built.
fn dist_view(dist: &Path) -> TempDir {
    let view = TempDir::new("telnuska-bench-dist");
    for entry in std::fs::read_dir(dist).expect("read the dist folder").flatten() {
        std::os::unix::fs::symlink(entry.path(), view.0.join(entry.file_name())).expect("link a dist entry");
    }
    view
}

/// A Chromium (fresh profile, or `profile`) under `network`, noting when the form is usable.
async fn browser(profile: Option<&Path>, network: &Network) -> Browser {
    let b = match profile {
        Some(path) => Browser::start_with_profile(path.to_path_buf()).await,
        None => Browser::start().await,
    };
    b.cdp("Network.enable", json!({})).await;
    b.cdp(
        "Network.emulateNetworkConditions",
        json!({
            "offline": network.offline,
            "latency": network.latency_ms,
            "downloadThroughput": network.down_bytes_per_sec,
            "uploadThroughput": network.up_bytes_per_sec,
        }),
    )
    .await;
    b.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": READY_PROBE.replace("READY_ID", READY_ID) })).await;
    b
}

/// Opens `url` and waits until the form is usable; the time is the page's own.
async fn measure(b: &Browser, url: &str) -> Load {
    let started = Instant::now();
    b.open_page(url).await;
    let read = |key: &'static str| async move {
        loop {
            if let Some(ms) = b.script(&format!("return window.__telnuskaBench ? window.__telnuskaBench.{key} : null")).await.as_f64() {
                break ms;
            }
            assert!(started.elapsed() < LOAD_LIMIT, "the form at {url} was not {key} within {LOAD_LIMIT:?}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    };
    let usable_ms = read("drawn").await;
    let running_ms = read("running").await;
    // `open` returned after the load event; a moment more lets late requests finish.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let bytes_until = |ms: f64| async move {
        let bytes = b.client.execute(TRANSFERRED, vec![json!(ms)]).await.expect("read Resource Timing");
        (bytes[0].as_f64().unwrap_or(0.0) as u64, bytes[1].as_f64().unwrap_or(0.0) as u64)
    };
    let (bytes_until_usable, bytes_total) = bytes_until(usable_ms).await;
    let (bytes_until_running, _) = bytes_until(running_ms).await;
    Load { usable_ms, bytes_until_usable, running_ms, bytes_until_running, bytes_total }
}

/// Loads the app once (no throttling) and writes its rendered first step as the static page.
async fn write_static_page(app: &TestApp, view: &Path) {
    let b = Browser::start().await;
    b.open(&app.url("/")).await;
    b.eventually("the app's first step is usable", || async {
        b.script(&format!("const el = document.getElementById('{READY_ID}'); return !!el && !el.disabled")).await == json!(true)
    })
    .await;
    let html = b.script(STATIC_SNAPSHOT).await;
    let html = html.as_str().expect("the rendered document");
    assert!(html.contains(READY_ID) && !html.contains("<script"), "the static page holds the form and no script");
    std::fs::write(view.join(STATIC_PATH.trim_start_matches('/')), html).expect("write the static page");
    b.close().await;
}

/// `RUNS` cold loads of the app and of the static page, interleaved, each in a fresh profile.
async fn cold_loads(app: &TestApp) -> (Vec<Load>, Vec<Load>) {
    let (mut wasm, mut plain) = (Vec::new(), Vec::new());
    for run in 1..=RUNS {
        for (path, into) in [("/", &mut wasm), (STATIC_PATH, &mut plain)] {
            let b = browser(None, &SLOW_4G).await;
            let load = measure(&b, &app.url(path)).await;
            eprintln!("  cold {path:<18} run {run}: usable {:>7.0} ms, running {:>7.0} ms, {:>7} B", load.usable_ms, load.running_ms, load.bytes_total);
            into.push(load);
            b.close().await;
        }
    }
    (wasm, plain)
}

/// `RUNS` reopens of the app with no network after one online visit; stops the server if CDP's
/// offline emulation does not reach the service worker. Returns the loads and how the network was
/// taken away.
async fn offline_reopens(mut app: TestApp) -> (Vec<Load>, &'static str) {
    let profile = TempDir::new("telnuska-bench-profile");
    let url = app.url("/");
    let first = Browser::start_with_profile(profile.0.clone()).await;
    first.open(&url).await;
    first.wait_for_service_worker().await;
    first.close().await;

    let probe = browser(Some(&profile.0), &OFFLINE).await;
    probe.open(&url).await;
    probe.wait_for(&format!("#{READY_ID}")).await;
    let how = if probe.script(WORKER_REACHES_SERVER).await == json!(true) {
        app.kill();
        assert_eq!(probe.script(WORKER_REACHES_SERVER).await, json!(false), "nothing answers with the server stopped");
        "CDP offline + server stopped (the emulation did not reach the service worker's fetch)"
    } else {
        "CDP offline (reaches the service worker's fetch too)"
    };
    probe.close().await;

    let mut loads = Vec::new();
    for run in 1..=RUNS {
        let b = browser(Some(&profile.0), &OFFLINE).await;
        let load = measure(&b, &url).await;
        eprintln!("  offline reopen run {run}: {:>7.0} ms, {:>7} B", load.usable_ms, load.bytes_total);
        loads.push(load);
        b.close().await;
    }
    (loads, how)
}

/// Median, minimum and maximum.
pub(crate) fn spread(values: impl Iterator<Item = f64>) -> (f64, f64, f64) {
    let mut sorted: Vec<f64> = values.collect();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 { sorted[n / 2] } else { (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0 };
    (median, sorted[0], sorted[n - 1])
}

/// "median ms (min–max)" of the times `of` the loads.
fn time_cell(loads: &[Load], of: fn(&Load) -> f64) -> (f64, String) {
    let (median, min, max) = spread(loads.iter().map(of));
    (median, format!("{median:.0} ms ({min:.0}–{max:.0})"))
}

/// Median bytes, until usable and in total.
fn byte_medians(loads: &[Load]) -> (f64, f64) {
    (spread(loads.iter().map(|l| l.bytes_until_usable as f64)).0, spread(loads.iter().map(|l| l.bytes_total as f64)).0)
}

/// Median bytes until the app ran.
fn running_bytes(loads: &[Load]) -> f64 {
    spread(loads.iter().map(|l| l.bytes_until_running as f64)).0
}

fn report(wasm: &[Load], plain: &[Load], offline: &[Load], how: &str) {
    let usable = |l: &Load| l.usable_ms;
    let (app_cold, app_cold_cell) = time_cell(wasm, usable);
    let (static_cold, static_cold_cell) = time_cell(plain, usable);
    let (app_running, app_running_cell) = time_cell(wasm, |l| l.running_ms);
    let (app_offline, app_offline_cell) = time_cell(offline, |l| l.running_ms);
    let (app_until, app_total) = byte_medians(wasm);
    let (static_until, static_total) = byte_medians(plain);
    let offline_total = byte_medians(offline).1;
    println!(
        "cold load and offline reopen, headless Chromium, DevTools \"Slow 4G\" (562.5 ms latency, 1.44 Mbit/s down, 675 kbit/s up), CPU not slowed; {RUNS} runs each, median (min–max):"
    );
    println!("  {:<30} {:>28} {:>28} {:>12}", "", "app (wasm)", "static page", "app/static");
    println!("  {:<30} {:>28} {:>28} {:>12.2}", "cold load, form usable", app_cold_cell, static_cold_cell, app_cold / static_cold);
    println!("  {:<30} {:>28} {:>28} {:>12.2}", "  bytes until usable", format!("{app_until:.0} B"), format!("{static_until:.0} B"), app_until / static_until);
    println!(
        "  {:<30} {:>28} {:>28} {:>12.2}",
        "  bytes by end of load",
        format!("{app_total:.0} B"),
        format!("{static_total:.0} B"),
        app_total / static_total
    );
    println!("  {:<30} {:>28} {:>28} {:>12.2}", "cold load, app running", app_running_cell, static_cold_cell, app_running / static_cold);
    println!(
        "  {:<30} {:>28} {:>28} {:>12.2}",
        "  bytes until running",
        format!("{:.0} B", running_bytes(wasm)),
        format!("{static_until:.0} B"),
        running_bytes(wasm) / static_until
    );
    println!("  {:<30} {:>28} {:>28} {:>12}", "offline reopen, app running", app_offline_cell, "not available offline", "–");
    println!("  {:<30} {:>28} {:>28} {:>12}", "  bytes over the network", format!("{offline_total:.0} B"), "–", "–");
    println!("  app offline reopen / static cold load (online): {:.2}", app_offline / static_cold);
    println!("  offline by: {how}");
}

fn main() {
    use_release_server();
    let dist = built_dist();
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("runtime");
    rt.block_on(async {
        let view = dist_view(&dist);
        let served = view.0.display().to_string();
        let app = TestApp::spawn_with(Backend::Sqlite, &[("TELNUSKA_DIST", served.as_str()), ("RUST_LOG", "error")]).await;
        let only_interaction = std::env::var("TELNUSKA_BENCH_ONLY").is_ok_and(|only| only == "interaction");
        let interaction = interaction::measure(&app).await;
        if !only_interaction {
            write_static_page(&app, &view.0).await;
            let (wasm, plain) = cold_loads(&app).await;
            let (offline, how) = offline_reopens(app).await;
            report(&wasm, &plain, &offline, how);
        }
        interaction::report(&interaction);
    });
}
