//! A stand-in for an outside service the server calls (SMS gateway, NCANode, registries): a real
//! HTTP listener on 127.0.0.1 that records each request and answers as the test says, or never
//! answers (a service that hangs, to test the caller's timeout).

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the fake answers: status and JSON body (empty for none).
pub type Answer = (u16, String);

/// One request as the fake received it.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path and query.
    pub path: String,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: String,
}

impl Request {
    /// The value of header `name` (lower case), if sent.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A running fake: its base address (`http://127.0.0.1:<port>`) and what it received.
pub struct FakeService {
    /// Base address, no trailing `/`.
    pub url: String,
    /// Every request body received, in order.
    pub received: Arc<Mutex<Vec<String>>>,
    /// Every request received, in order.
    pub requests: Arc<Mutex<Vec<Request>>>,
}

impl FakeService {
    /// Starts a fake that answers each request with `answer(body)`.
    pub async fn start(answer: impl Fn(&str) -> Answer + Send + Sync + 'static) -> Self {
        Self::start_for(move |request| Some(answer(&request.body))).await
    }

    /// Starts a fake that answers each request with `answer(request)`, or holds the connection
    /// open without a word when that is `None`.
    pub async fn start_for(answer: impl Fn(&Request) -> Option<Answer> + Send + Sync + 'static) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        let (received, requests) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(Vec::new())));
        let (bodies, log) = (received.clone(), requests.clone());
        let answer = Arc::new(answer);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let (answer, bodies, log) = (answer.clone(), bodies.clone(), log.clone());
                tokio::spawn(async move {
                    let request = read_request(&mut socket).await;
                    let reply = answer(&request);
                    bodies.lock().expect("not poisoned").push(request.body.clone());
                    log.lock().expect("not poisoned").push(request);
                    match reply {
                        Some((status, reply)) => {
                            let head = format!(
                                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                                reply.len()
                            );
                            let _ = socket.write_all(format!("{head}{reply}").as_bytes()).await;
                        }
                        // Hang: wait for the caller to give up and close.
                        None => while socket.read(&mut [0u8; 256]).await.is_ok_and(|n| n > 0) {},
                    }
                });
            }
        });
        Self { url, received, requests }
    }

    /// The bodies received so far.
    pub fn bodies(&self) -> Vec<String> {
        self.received.lock().expect("not poisoned").clone()
    }

    /// The requests received so far.
    pub fn requests(&self) -> Vec<Request> {
        self.requests.lock().expect("not poisoned").clone()
    }
}

/// Reads one request until the body its `Content-Length` announces has arrived.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Request {
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = socket.read(&mut chunk).await.unwrap_or(0);
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let mut lines = head.lines();
            let mut start = lines.next().unwrap_or_default().split_whitespace();
            let (method, path) = (start.next().unwrap_or_default().to_string(), start.next().unwrap_or_default().to_string());
            let headers: Vec<(String, String)> =
                lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string())).collect();
            let want = headers.iter().find(|(n, _)| n == "content-length").map_or(0, |(_, v)| v.parse::<usize>().unwrap_or(0));
            if body.len() >= want {
                return Request { method, path, headers, body: body.to_string() };
            }
        }
        if n == 0 {
            return Request::default();
        }
    }
}
