//! The server under a fixed rate of mixed traffic, as a ЦОН hall, the portal and the field devices
//! make it together (`cargo bench -p telnuska-tests --bench mixed_load`; build the release server
//! first: `cargo build --release -p telnuska-server`). An open loop: each request leaves on its
//! schedule whether or not earlier ones came back, so a slow server shows as latency, not as a
//! lower rate. Prints, per endpoint, the requests, errors and p50/p99/max latency, and the
//! server's resident memory at the start, its peak and at the end; on SQLite, and on PostgreSQL
//! when `TELNUSKA_TEST_POSTGRES_URL` names one.
//!
//! `TELNUSKA_LOAD_RATE` (requests/s, default 200) and `TELNUSKA_LOAD_SECONDS` (default 60) set the
//! load; a soak is the same with `TELNUSKA_LOAD_SECONDS=1800`: the figures are then also printed
//! per 5-minute window, so growth of memory or latency shows. On SQLite an online backup is taken
//! halfway through (`telnuska-server backup`, as an operator would at night, here under the load);
//! its time is printed and the copy is checked with `telnuska-server verify`, so a backup taken
//! while people apply is known to be whole. Nothing asserts on time.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use telnuska_tests::server::{desk_application, server_bin, valid_application, TempDir};
use telnuska_tests::{Backend, TestApp};

/// The mix: endpoint and its weight (out of 100).
const MIX: [(&str, u32); 7] = [("reference", 25), ("validate", 20), ("queue", 15), ("pull", 15), ("submit", 10), ("push", 10), ("receipt", 5)];

/// The endpoint at `at` along the mix's weights.
fn kind_at(mut at: u32) -> &'static str {
    for (kind, weight) in MIX {
        if at < weight {
            return kind;
        }
        at -= weight;
    }
    MIX[0].0
}

fn env_or(key: &str, default: u64) -> u64 {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Resident memory of a process, in MiB.
fn rss_mib(pid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| status.lines().find_map(|l| l.strip_prefix("VmRSS:").map(|v| v.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())).flatten())
        .map_or(0.0, |kb| kb / 1024.0)
}

struct Callers {
    operator: String,
    field: String,
    receipt_ids: Vec<String>,
}

/// One request of `kind`; whether it got the answer it should.
async fn request(app: &TestApp, callers: &Callers, kind: &str, n: u64) -> bool {
    let client = &app.client;
    let response = match kind {
        "reference" => client.get(app.url("/api/reference")).send().await,
        "validate" => client.post(app.url("/api/applications/validate")).json(&valid_application("+77011234567", "000000")).send().await,
        "queue" => client.get(app.url("/api/applications?limit=50")).bearer_auth(&callers.operator).send().await,
        "pull" => client.get(app.url("/api/sync/pull")).bearer_auth(&callers.operator).send().await,
        "submit" => {
            let mut body = desk_application();
            body["applicant"]["email"] = json!(format!("load{n}@mail.kz"));
            client.post(app.url("/api/applications")).bearer_auth(&callers.operator).header("Idempotency-Key", format!("load-{n}")).json(&body).send().await
        }
        "push" => {
            let mut body = valid_application("+77011234567", "000000");
            body["channel"] = json!("field");
            body["signature"] = Value::Null;
            body["accepted_at"] = json!((chrono::Utc::now() - chrono::Duration::minutes(5)).to_rfc3339());
            let push = json!({"device_id": "load-bench-device", "items": [{"key": format!("door-{n}"), "kind": "application", "body": body}]});
            client.post(app.url("/api/sync/push")).bearer_auth(&callers.field).json(&push).send().await
        }
        _ => {
            let id = &callers.receipt_ids[n as usize % callers.receipt_ids.len()];
            client.get(app.url(&format!("/api/applications/{id}/receipt?kind=acceptance"))).bearer_auth(&callers.operator).send().await
        }
    };
    match response {
        Ok(r) if r.status().is_success() => r.bytes().await.is_ok(),
        _ => false,
    }
}

#[derive(Default)]
struct Tally {
    latencies: Vec<Duration>,
    errors: usize,
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted.get(((sorted.len() as f64 - 1.0) * p).round() as usize).map_or(0.0, |d| d.as_secs_f64() * 1e3)
}

fn print_tallies(title: &str, tallies: &BTreeMap<&'static str, Tally>) {
    println!("  {title}");
    println!("    {:<10} {:>8} {:>7} {:>9} {:>9} {:>9}", "endpoint", "requests", "errors", "p50 ms", "p99 ms", "max ms");
    for (kind, tally) in tallies {
        let mut sorted = tally.latencies.clone();
        sorted.sort();
        println!(
            "    {kind:<10} {:>8} {:>7} {:>9.1} {:>9.1} {:>9.1}",
            sorted.len(),
            tally.errors,
            percentile(&sorted, 0.5),
            percentile(&sorted, 0.99),
            percentile(&sorted, 1.0)
        );
    }
}

async fn run(backend: Backend, rate: u64, seconds: u64) {
    let app = Arc::new(TestApp::spawn_with(backend, &[("RUST_LOG", "error")]).await);
    let operator = app.login("operator").await;
    let field = app.login("field").await;
    let mut receipt_ids = Vec::new();
    for i in 0..5 {
        let created = app.submit_at_desk(&format!("seed-{i}"), &desk_application()).await;
        receipt_ids.push(created["id"].as_str().expect("an id").to_string());
    }
    let callers = Arc::new(Callers { operator, field, receipt_ids });
    let pid = app.pid();
    let rss_start = rss_mib(pid);
    let peak = Arc::new(Mutex::new(rss_start));
    let window = Duration::from_secs(300);
    let windows: Arc<Mutex<Vec<BTreeMap<&'static str, Tally>>>> = Arc::new(Mutex::new(vec![BTreeMap::new()]));
    let window_rss: Arc<Mutex<Vec<f64>>> = Arc::new(Mutex::new(Vec::new()));
    let started = Instant::now();
    let sampler = {
        let (peak, window_rss) = (peak.clone(), window_rss.clone());
        tokio::spawn(async move {
            let mut next_window = window;
            loop {
                tokio::time::sleep(Duration::from_millis(200)).await;
                let now = rss_mib(pid);
                let mut p = peak.lock().unwrap();
                *p = p.max(now);
                if started.elapsed() >= next_window {
                    window_rss.lock().unwrap().push(now);
                    next_window += window;
                }
            }
        })
    };
    // Halfway through, an online backup of the SQLite file (PostgreSQL's is pg_dump's business).
    let backup_dir = TempDir::new("telnuska-load-backup");
    let backup_path = backup_dir.0.join("backup.db");
    let backup = (backend == Backend::Sqlite).then(|| {
        let (app, path) = (app.clone(), backup_path.clone());
        tokio::spawn(async move {
            tokio::time::sleep_until(tokio::time::Instant::from_std(started + Duration::from_secs(seconds) / 2)).await;
            let began = Instant::now();
            let (ok, out) =
                tokio::task::spawn_blocking(move || app.run_command(&["backup", path.to_str().expect("a UTF-8 path")])).await.expect("the backup task");
            (began.duration_since(started), began.elapsed(), ok, out)
        })
    });
    let total = rate * seconds;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let weights: u32 = MIX.iter().map(|(_, w)| w).sum();
    let mut handles = Vec::with_capacity(total as usize);
    for n in 0..total {
        tokio::time::sleep_until(tokio::time::Instant::from_std(started + interval * n as u32)).await;
        // A fixed stride through the mix, so every run sends the same sequence.
        let kind = kind_at((n.wrapping_mul(37) % u64::from(weights)) as u32);
        let (app, callers, windows) = (app.clone(), callers.clone(), windows.clone());
        handles.push(tokio::spawn(async move {
            let sent = Instant::now();
            let ok = request(&app, &callers, kind, n).await;
            let took = sent.elapsed();
            // Counted in the window it was sent in: the last answers come after the run's end.
            let index = ((interval * n as u32).as_secs() / window.as_secs()) as usize;
            let mut windows = windows.lock().unwrap();
            while windows.len() <= index {
                windows.push(BTreeMap::new());
            }
            let tally = windows[index].entry(kind).or_default();
            tally.latencies.push(took);
            tally.errors += usize::from(!ok);
        }));
    }
    for handle in handles {
        handle.await.expect("a request task");
    }
    let elapsed = started.elapsed().as_secs_f64();
    sampler.abort();
    let rss_end = rss_mib(pid);
    let windows = std::mem::take(&mut *windows.lock().unwrap());
    let mut all: BTreeMap<&'static str, Tally> = BTreeMap::new();
    for window in &windows {
        for (kind, tally) in window {
            let sum = all.entry(kind).or_default();
            sum.latencies.extend(&tally.latencies);
            sum.errors += tally.errors;
        }
    }
    let sent: usize = all.values().map(|t| t.latencies.len()).sum();
    println!("{backend:?}: {sent} requests at {rate}/s held for {seconds} s ({:.0} answered/s over {elapsed:.1} s)", sent as f64 / elapsed);
    print_tallies("whole run", &all);
    if windows.len() > 1 {
        let rss = window_rss.lock().unwrap().clone();
        for (i, window) in windows.iter().enumerate() {
            print_tallies(&format!("minutes {}–{} (memory at its end {:.1} MiB)", i * 5, i * 5 + 5, rss.get(i).copied().unwrap_or(rss_end)), window);
        }
    }
    println!("  server memory (RSS): {rss_start:.1} MiB at start, {:.1} MiB peak, {rss_end:.1} MiB at the end", *peak.lock().unwrap());
    if let Some(backup) = backup {
        let (at, took, ok, out) = backup.await.expect("the backup task");
        println!("  online backup at {:.0} s under the load: {} in {:.0} ms", at.as_secs_f64(), if ok { "taken" } else { "FAILED" }, took.as_secs_f64() * 1e3);
        if !ok {
            println!("    {}", out.trim());
            return;
        }
        // The copy on its own: its chains must hold, whatever was being written while it was taken.
        let verified = std::process::Command::new(server_bin())
            .arg("verify")
            .env("DATABASE_URL", format!("sqlite://{}", backup_path.display()))
            .env("RUST_LOG", "warn")
            .output()
            .expect("run telnuska-server verify");
        let said = String::from_utf8_lossy(&verified.stdout).trim().to_string() + String::from_utf8_lossy(&verified.stderr).trim();
        println!(
            "  the backup verified on its own: {} ({})",
            if verified.status.success() { "the chains hold" } else { "BROKEN" },
            said.lines().last().unwrap_or_default()
        );
    }
}

fn main() {
    if std::env::var_os("TELNUSKA_SERVER_BIN").is_none() {
        let release = telnuska_tests::server::workspace_root().join("target/release/telnuska-server");
        assert!(release.exists(), "build the release server first: cargo build --release -p telnuska-server");
        std::env::set_var("TELNUSKA_SERVER_BIN", release);
    }
    let (rate, seconds) = (env_or("TELNUSKA_LOAD_RATE", 200), env_or("TELNUSKA_LOAD_SECONDS", 60));
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a runtime");
    rt.block_on(async {
        run(Backend::Sqlite, rate, seconds).await;
        if std::env::var_os("TELNUSKA_TEST_POSTGRES_URL").is_some() {
            run(Backend::Postgres, rate, seconds).await;
        }
    });
}
