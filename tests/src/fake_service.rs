//! A stand-in for an outside service the server calls (SMS gateway, NCANode, registries): a real
//! HTTP listener on 127.0.0.1 that records each request's body and answers as the test says.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// What the fake answers: status and JSON body (empty for none).
pub type Answer = (u16, String);

/// A running fake: its base address (`http://127.0.0.1:<port>`) and the bodies it received.
pub struct FakeService {
    /// Base address, no trailing `/`.
    pub url: String,
    /// Every request body received, in order.
    pub received: Arc<Mutex<Vec<String>>>,
}

impl FakeService {
    /// Starts a fake that answers each request with `answer(body)`.
    pub async fn start(answer: impl Fn(&str) -> Answer + Send + Sync + 'static) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let url = format!("http://{}", listener.local_addr().expect("bound"));
        let received = Arc::new(Mutex::new(Vec::new()));
        let record = received.clone();
        let answer = Arc::new(answer);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let body = read_request(&mut socket).await;
                let (status, reply) = answer(&body);
                record.lock().expect("not poisoned").push(body);
                let head = format!("HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", reply.len());
                let _ = socket.write_all(format!("{head}{reply}").as_bytes()).await;
            }
        });
        Self { url, received }
    }

    /// The bodies received so far.
    pub fn bodies(&self) -> Vec<String> {
        self.received.lock().expect("not poisoned").clone()
    }
}

/// Reads one request until the body its `Content-Length` announces has arrived; returns the body.
async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut buf = Vec::with_capacity(64 * 1024);
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        let n = socket.read(&mut chunk).await.unwrap_or(0);
        buf.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&buf).to_string();
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let want =
                head.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse::<usize>().unwrap_or(0))).unwrap_or(0);
            if body.len() >= want {
                return body.to_string();
            }
        }
        if n == 0 {
            return String::new();
        }
    }
}
