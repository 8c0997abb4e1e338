//! A TCP proxy between a client and the server that injects network faults chosen at random from
//! a seed: connections dropped before the request, answers lost after the server committed,
//! answers cut half-way, answers slower than the client waits. Each connection draws one fault,
//! so a client that opens a connection per request meets a new one on every retry.
//!
//! A browser keeps its connections open and sends request after request on each, so a fault can
//! also be aimed at one request ([`FaultProxy::aim`]): the next whose first line starts as given
//! meets it, on whichever connection it travels, and the test learns when it struck.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::watch;

/// What happens to one connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Fault {
    /// Passed through untouched.
    None,
    /// Closed before the request reaches the server.
    DropBeforeRequest,
    /// The request reaches the server; its answer is thrown away once it starts (after commit).
    LoseAnswer,
    /// The answer is cut half-way (see [`cut`]).
    CutAnswer,
    /// The answer is held back past the client's timeout (an aimed one: until the client gives up).
    SlowAnswer,
    /// The request is held on its way until the client or the server gives up, and never
    /// delivered (aimed only): a request in flight when the page, the browser or the server goes.
    HeldRequest,
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

/// The seed of a fault test: `TELNUSKA_FAULT_SEED` replays a run; else one from the clock.
pub fn seed() -> u64 {
    std::env::var("TELNUSKA_FAULT_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64))
}

/// How many trials a fault test runs: the environment variable `name`, else `default`.
pub fn trials(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|s| s.parse().ok()).unwrap_or(default)
}

/// The running proxy.
pub struct FaultProxy {
    /// Where clients connect (`http://127.0.0.1:<port>`).
    pub url: String,
    shared: Arc<Shared>,
}

/// What the proxy and its connections share.
struct Shared {
    /// The server's `host:port`; a change tells the connections held to the old one that it is gone.
    upstream: watch::Sender<String>,
    /// The address connections to the server come from.
    source: Mutex<Ipv4Addr>,
    /// Whether new connections draw random faults.
    faults_on: AtomicBool,
    /// Faults injected so far, by kind.
    injected: Mutex<BTreeMap<Fault, usize>>,
    /// The fault aimed at one request: the start of its first line, and the fault.
    aimed: Mutex<Option<(Vec<u8>, Fault)>>,
    /// How many aimed faults struck so far.
    struck: AtomicUsize,
}

impl Shared {
    fn count(&self, fault: Fault) {
        *self.injected.lock().expect("not poisoned").entry(fault).or_insert(0) += 1;
    }

    /// The fault aimed at the request that starts `chunk`, taken (it strikes once).
    fn aimed_at(&self, chunk: &[u8]) -> Option<Fault> {
        let mut aimed = self.aimed.lock().expect("not poisoned");
        let fault = aimed.as_ref().filter(|(start, _)| chunk.starts_with(start))?.1;
        *aimed = None;
        Some(fault)
    }

    fn strike(&self, fault: Fault) {
        self.count(fault);
        self.struck.fetch_add(1, Ordering::SeqCst);
    }
}

/// How long a slow answer is held back: longer than the clients of the fault tests wait.
pub const SLOW_ANSWER: Duration = Duration::from_millis(2500);

/// How long an aimed fault holds a request or an answer at most while nobody gives up: longer
/// than any test waits, as a connection that died without a word.
const HOLD_LIMIT: Duration = Duration::from_secs(600);

impl FaultProxy {
    /// Starts a proxy to `upstream` (`host:port`) whose faults follow `seed`; about half the
    /// connections meet a fault.
    pub async fn start(upstream: &str, seed: u64) -> Self {
        Self::launch(upstream, Some(seed)).await
    }

    /// Starts a proxy to `upstream` that passes everything untouched but the faults aimed with
    /// [`FaultProxy::aim`].
    pub async fn start_aimed(upstream: &str) -> Self {
        Self::launch(upstream, None).await
    }

    async fn launch(upstream: &str, seed: Option<u64>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        let shared = Arc::new(Shared {
            upstream: watch::Sender::new(upstream.to_string()),
            source: Mutex::new(Ipv4Addr::LOCALHOST),
            faults_on: AtomicBool::new(seed.is_some()),
            injected: Mutex::new(BTreeMap::new()),
            aimed: Mutex::new(None),
            struck: AtomicUsize::new(0),
        });
        let proxy = shared.clone();
        tokio::spawn(async move {
            let mut rng = Rng::new(seed.unwrap_or_default());
            while let Ok((client, _)) = listener.accept().await {
                if !proxy.faults_on.load(Ordering::SeqCst) {
                    tokio::spawn(relay(client, Fault::None, proxy.clone()));
                    continue;
                }
                let fault = match rng.below(100) {
                    0..=49 => Fault::None,
                    50..=61 => Fault::DropBeforeRequest,
                    62..=79 => Fault::LoseAnswer,
                    80..=91 => Fault::CutAnswer,
                    _ => Fault::SlowAnswer,
                };
                proxy.count(fault);
                tokio::spawn(relay(client, fault, proxy.clone()));
            }
        });
        Self { url, shared }
    }

    /// Points the proxy at a restarted server; connections held to the old one are closed.
    pub fn set_upstream(&self, upstream: &str) {
        self.shared.upstream.send_replace(upstream.to_string());
    }

    /// The server sees the connections opened from now on come from `address` (of the loopback
    /// network, 127.0.0.0/8), as from another person's phone: limits per address count apart.
    pub fn come_from(&self, address: Ipv4Addr) {
        *self.shared.source.lock().expect("not poisoned") = address;
    }

    /// Aims `fault` at the next request whose first line starts with `request` (such as
    /// `POST /api/applications `), on whichever connection it travels; returns the count to give
    /// [`FaultProxy::struck_since`].
    pub fn aim(&self, request: &str, fault: Fault) -> usize {
        *self.shared.aimed.lock().expect("not poisoned") = Some((request.as_bytes().to_vec(), fault));
        self.shared.struck.load(Ordering::SeqCst)
    }

    /// Whether an aimed fault struck since [`FaultProxy::aim`] returned `count`: its request
    /// dropped or held, or the server's answer to it (the transaction done) lost, cut or held.
    pub fn struck_since(&self, count: usize) -> bool {
        self.shared.struck.load(Ordering::SeqCst) > count
    }

    /// From now on every connection passes untouched (an aimed fault that has not struck yet is
    /// called off; what is held stays held, as on a connection that died).
    pub fn stop_faults(&self) {
        self.shared.faults_on.store(false, Ordering::SeqCst);
        *self.shared.aimed.lock().expect("not poisoned") = None;
    }

    /// How many connections (and aimed requests) met each fault so far.
    pub fn injected(&self) -> BTreeMap<Fault, usize> {
        self.shared.injected.lock().expect("not poisoned").clone()
    }
}

/// A connection to the server from the proxy's source address.
async fn connect(proxy: &Shared, upstream: &str) -> std::io::Result<TcpStream> {
    let to = tokio::net::lookup_host(upstream).await?.find(SocketAddr::is_ipv4).ok_or(std::io::ErrorKind::AddrNotAvailable)?;
    let socket = TcpSocket::new_v4()?;
    socket.bind((*proxy.source.lock().expect("not poisoned"), 0).into())?;
    socket.connect(to).await
}

async fn relay(client: TcpStream, fault: Fault, proxy: Arc<Shared>) {
    if fault == Fault::DropBeforeRequest {
        return;
    }
    let mut replaced = proxy.upstream.subscribe();
    let upstream = replaced.borrow_and_update().clone();
    let Ok(server) = connect(&proxy, &upstream).await else { return };
    if fault == Fault::None {
        return relay_requests(client, server, &proxy, replaced).await;
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
            let _ = client_write.write_all(&first[..cut(&first[..n])]).await;
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

/// Relays a connection request after request, untouched but for the request a fault is aimed at.
async fn relay_requests(mut client: TcpStream, mut server: TcpStream, proxy: &Shared, mut replaced: watch::Receiver<String>) {
    let (mut up, mut down) = (vec![0u8; 16 * 1024], vec![0u8; 16 * 1024]);
    // The fault waiting for the answer to the request on its way.
    let mut answer_fault = None;
    loop {
        tokio::select! {
            read = client.read(&mut up) => {
                let n = match read { Ok(0) | Err(_) => return, Ok(n) => n };
                match proxy.aimed_at(&up[..n]) {
                    Some(fault @ (Fault::DropBeforeRequest | Fault::HeldRequest)) => {
                        proxy.strike(fault);
                        if fault == Fault::HeldRequest {
                            hold(&mut client, Some(&mut server), &mut replaced).await;
                        }
                        return;
                    }
                    fault => answer_fault = fault.or(answer_fault),
                }
                if server.write_all(&up[..n]).await.is_err() {
                    return;
                }
            }
            read = server.read(&mut down) => {
                let n = match read { Ok(0) | Err(_) => return, Ok(n) => n };
                // The server answers after its transaction: the first bytes of the answer mean it is done.
                if let Some(fault) = answer_fault.take() {
                    proxy.strike(fault);
                    match fault {
                        Fault::CutAnswer => {
                            let _ = client.write_all(&down[..cut(&down[..n])]).await;
                            return;
                        }
                        Fault::SlowAnswer if hold(&mut client, None, &mut replaced).await => {}
                        _ => return,
                    }
                }
                if client.write_all(&down[..n]).await.is_err() {
                    return;
                }
            }
        }
    }
}

/// Where an answer whose start is `answer` is cut: half-way through its body when its head came
/// whole (the client has a status, and a body it cannot finish), else after 24 bytes.
fn cut(answer: &[u8]) -> usize {
    match answer.windows(4).position(|w| w == b"\r\n\r\n") {
        Some(head) => head + 4 + (answer.len() - head - 4) / 2,
        None => answer.len().min(24),
    }
}

/// Holds a connection until the client hangs up, the server (if given: it would otherwise be
/// read from) hangs up or is replaced — false — or until [`HOLD_LIMIT`] — true. What the client
/// sends meanwhile is dropped.
async fn hold(client: &mut TcpStream, mut server: Option<&mut TcpStream>, replaced: &mut watch::Receiver<String>) -> bool {
    let (mut from_client, mut from_server) = ([0u8; 4096], [0u8; 4096]);
    let limit = tokio::time::sleep(HOLD_LIMIT);
    tokio::pin!(limit);
    loop {
        let server_gone = async {
            match server.as_deref_mut() {
                Some(server) => matches!(server.read(&mut from_server).await, Ok(0) | Err(_)),
                None => std::future::pending().await,
            }
        };
        tokio::select! {
            () = &mut limit => return true,
            _ = replaced.changed() => return false,
            read = client.read(&mut from_client) => if matches!(read, Ok(0) | Err(_)) { return false },
            true = server_gone => return false,
        }
    }
}
