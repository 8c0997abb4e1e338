//! A TCP proxy between a client and the server that injects network faults chosen at random from
//! a seed: connections dropped before the request, answers lost after the server committed,
//! answers cut half-way, answers slower than the client waits. Each connection draws one fault,
//! so a client that opens a connection per request meets a new one on every retry.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// What happens to one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// Passed through untouched.
    None,
    /// Closed before the request reaches the server.
    DropBeforeRequest,
    /// The request reaches the server; its answer is thrown away once it starts (after commit).
    LoseAnswer,
    /// The answer is cut after its first bytes.
    CutAnswer,
    /// The answer is held back past the client's timeout.
    SlowAnswer,
}

/// A small, seeded generator (SplitMix64): the same seed replays the same faults in order.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next number.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// The running proxy.
pub struct FaultProxy {
    /// Where clients connect (`http://127.0.0.1:<port>`).
    pub url: String,
    upstream: Arc<Mutex<String>>,
    faults_on: Arc<AtomicBool>,
    injected: Arc<Mutex<BTreeMap<Fault, usize>>>,
}

/// How long a slow answer is held back: longer than the clients of the fault tests wait.
pub const SLOW_ANSWER: Duration = Duration::from_millis(2500);

impl FaultProxy {
    /// Starts a proxy to `upstream` (`host:port`) whose faults follow `seed`; about half the
    /// connections meet a fault.
    pub async fn start(upstream: &str, seed: u64) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        let upstream = Arc::new(Mutex::new(upstream.to_string()));
        let faults_on = Arc::new(AtomicBool::new(true));
        let injected = Arc::new(Mutex::new(BTreeMap::new()));
        let (to, on, count) = (upstream.clone(), faults_on.clone(), injected.clone());
        tokio::spawn(async move {
            let mut rng = Rng::new(seed);
            while let Ok((client, _)) = listener.accept().await {
                let fault = if on.load(Ordering::SeqCst) {
                    match rng.below(100) {
                        0..=49 => Fault::None,
                        50..=61 => Fault::DropBeforeRequest,
                        62..=79 => Fault::LoseAnswer,
                        80..=91 => Fault::CutAnswer,
                        _ => Fault::SlowAnswer,
                    }
                } else {
                    Fault::None
                };
                *count.lock().expect("not poisoned").entry(fault).or_insert(0) += 1;
                let target = to.lock().expect("not poisoned").clone();
                tokio::spawn(relay(client, target, fault));
            }
        });
        Self { url, upstream, faults_on, injected }
    }

    /// Points the proxy at a restarted server.
    pub fn set_upstream(&self, upstream: &str) {
        *self.upstream.lock().expect("not poisoned") = upstream.to_string();
    }

    /// From now on every connection passes untouched.
    pub fn stop_faults(&self) {
        self.faults_on.store(false, Ordering::SeqCst);
    }

    /// How many connections met each fault so far.
    pub fn injected(&self) -> BTreeMap<Fault, usize> {
        self.injected.lock().expect("not poisoned").clone()
    }
}

async fn relay(mut client: TcpStream, upstream: String, fault: Fault) {
    if fault == Fault::DropBeforeRequest {
        return;
    }
    let Ok(mut server) = TcpStream::connect(&upstream).await else { return };
    if fault == Fault::None {
        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
        return;
    }
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    let forward = tokio::spawn(async move {
        let _ = tokio::io::copy(&mut client_read, &mut server_write).await;
    });
    // The server answers after its transaction: the first bytes of the answer mean it is done.
    let mut first = vec![0u8; 16 * 1024];
    let n = server_read.read(&mut first).await.unwrap_or(0);
    match fault {
        Fault::CutAnswer => {
            let _ = client_write.write_all(&first[..n.min(24)]).await;
        }
        Fault::SlowAnswer => {
            tokio::time::sleep(SLOW_ANSWER).await;
            let _ = client_write.write_all(&first[..n]).await;
            let _ = tokio::io::copy(&mut server_read, &mut client_write).await;
        }
        _ => {}
    }
    forward.abort();
}
