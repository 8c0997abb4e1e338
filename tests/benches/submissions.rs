//! Throughput and latency of durable submissions, measured side by side in one run on the same
//! disk (`cargo bench -p telnuska-tests --bench submissions`; build the release server first:
//! `cargo build --release -p telnuska-server`):
//!
//! 1. raw SQLite inserts/s of a comparable row (one committed transaction each, same pragmas);
//! 2. durable submissions/s through the HTTP API (validation, idempotency, event chain, commit);
//! 3. their ratio (goal ≥ 0.5);
//! 4. p50/p99 latency under a fixed arrival rate (open loop: requests are sent on schedule
//!    whether or not earlier ones finished, so slow answers are not hidden), goal p99 ≤ 10 ms at
//!    500 req/s.
//!
//! Nothing here asserts on time: machines are shared and noisy; the figures are printed.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use sqlx::any::AnyPoolOptions;
use sqlx::Executor;
use telnuska_tests::server::{valid_application, TempDir};
use telnuska_tests::{Backend, TestApp};

const RAW_INSERTS: usize = 2_000;
const API_SUBMISSIONS: usize = 2_000;
const CONCURRENCY: usize = 16;
const RATE_PER_SEC: u64 = 500;
const RATE_SECONDS: u64 = 10;

fn desk_application(n: usize) -> Value {
    let mut body = valid_application("+77011234567", "000000");
    body["channel"] = json!("con");
    body["signature"] = Value::Null;
    body["applicant"]["email"] = json!(format!("bench{n}@mail.kz"));
    body
}

/// Inserts rows shaped like an application plus its event, one durable transaction each.
async fn raw_sqlite_inserts_per_sec() -> f64 {
    let dir = TempDir::new("telnuska-bench-raw");
    sqlx::any::install_default_drivers();
    let pool = AnyPoolOptions::new()
        .max_connections(CONCURRENCY as u32)
        .after_connect(|conn, _| Box::pin(async move { conn.execute("PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;").await.map(|_| ()) }))
        .connect(&format!("sqlite://{}?mode=rwc", dir.0.join("raw.db").display()))
        .await
        .unwrap();
    pool.execute("PRAGMA journal_mode = WAL").await.unwrap();
    pool.execute("CREATE TABLE t (id TEXT PRIMARY KEY, number TEXT, request_json TEXT, created_at TEXT)").await.unwrap();
    pool.execute("CREATE TABLE e (seq INTEGER PRIMARY KEY AUTOINCREMENT, application_id TEXT, payload TEXT, hash TEXT)").await.unwrap();
    let body = desk_application(0).to_string();
    let pool = Arc::new(pool);
    let started = Instant::now();
    let per_task = RAW_INSERTS / CONCURRENCY;
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|t| {
            let (pool, body) = (pool.clone(), body.clone());
            tokio::spawn(async move {
                for i in 0..per_task {
                    let id = format!("{t}-{i}");
                    let mut tx = pool.begin().await.unwrap();
                    sqlx::query("INSERT INTO t VALUES ($1, $2, $3, $4)").bind(&id).bind(&id).bind(&body).bind("2026-11-30").execute(&mut *tx).await.unwrap();
                    sqlx::query("INSERT INTO e (application_id, payload, hash) VALUES ($1, $2, $3)")
                        .bind(&id)
                        .bind(&body)
                        .bind("h")
                        .execute(&mut *tx)
                        .await
                        .unwrap();
                    tx.commit().await.unwrap();
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    (per_task * CONCURRENCY) as f64 / started.elapsed().as_secs_f64()
}

async fn api_submissions_per_sec(app: &TestApp, token: &str) -> f64 {
    let started = Instant::now();
    let per_task = API_SUBMISSIONS / CONCURRENCY;
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|t| {
            let (client, url, token) = (app.client.clone(), app.url("/api/applications"), token.to_string());
            tokio::spawn(async move {
                for i in 0..per_task {
                    let n = t * per_task + i;
                    let res =
                        client.post(&url).bearer_auth(&token).header("Idempotency-Key", format!("tp-{n}")).json(&desk_application(n)).send().await.unwrap();
                    assert_eq!(res.status().as_u16(), 201);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    (per_task * CONCURRENCY) as f64 / started.elapsed().as_secs_f64()
}

/// Sends requests at a fixed rate and returns the sorted latencies and the error count.
async fn fixed_rate_latencies(app: &TestApp, token: &str) -> (Vec<Duration>, usize) {
    let total = (RATE_PER_SEC * RATE_SECONDS) as usize;
    let mut ticker = tokio::time::interval(Duration::from_nanos(1_000_000_000 / RATE_PER_SEC));
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let mut handles = Vec::with_capacity(total);
    for n in 0..total {
        ticker.tick().await;
        let (client, url, token) = (app.client.clone(), app.url("/api/applications"), token.to_string());
        handles.push(tokio::spawn(async move {
            let sent = Instant::now();
            let res = client.post(&url).bearer_auth(&token).header("Idempotency-Key", format!("rate-{n}")).json(&desk_application(1_000_000 + n)).send().await;
            (sent.elapsed(), res.map(|r| r.status().as_u16() == 201).unwrap_or(false))
        }));
    }
    let mut latencies = Vec::with_capacity(total);
    let mut errors = 0;
    for h in handles {
        let (latency, ok) = h.await.unwrap();
        latencies.push(latency);
        errors += usize::from(!ok);
    }
    latencies.sort();
    (latencies, errors)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn main() {
    if std::env::var_os("TELNUSKA_SERVER_BIN").is_none() {
        let release = telnuska_tests::server::workspace_root().join("target/release/telnuska-server");
        assert!(release.exists(), "build the release server first: cargo build --release -p telnuska-server");
        std::env::set_var("TELNUSKA_SERVER_BIN", release);
    }
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let raw = raw_sqlite_inserts_per_sec().await;
        let app = TestApp::spawn_with(Backend::Sqlite, &[("RUST_LOG", "error")]).await;
        let token = app.login("operator").await;
        let api = api_submissions_per_sec(&app, &token).await;
        let (latencies, errors) = fixed_rate_latencies(&app, &token).await;
        println!("durable submissions, SQLite (WAL, synchronous=FULL), {CONCURRENCY} concurrent clients, same disk:");
        println!("  raw SQLite inserts (application row + event row per transaction): {raw:>8.0} /s");
        println!("  submissions through the HTTP API:                                {api:>8.0} /s");
        println!("  ratio API / raw: {:.2} (goal >= 0.5)", api / raw);
        println!(
            "  fixed rate {RATE_PER_SEC} req/s for {RATE_SECONDS} s: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms, errors {errors} (goal p99 <= 10 ms)",
            percentile(&latencies, 0.50).as_secs_f64() * 1e3,
            percentile(&latencies, 0.99).as_secs_f64() * 1e3,
            latencies.last().map_or(0.0, |d| d.as_secs_f64() * 1e3),
        );
    });
}
