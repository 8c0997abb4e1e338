//! [`TestApp`]: the real `telnuska-server` binary on 127.0.0.1:0 with a database of its own.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{json, Value};
use sqlx::{Connection, Executor, PgConnection};

/// Which database the server runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A fresh SQLite file.
    Sqlite,
    /// A fresh database in the PostgreSQL of `TELNUSKA_TEST_POSTGRES_URL`.
    Postgres,
}

/// The workspace root.
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ is in the workspace").to_path_buf()
}

/// The server binary under test.
pub fn server_bin() -> PathBuf {
    let bin = std::env::var_os("TELNUSKA_SERVER_BIN").map_or_else(|| workspace_root().join("target/debug/telnuska-server"), PathBuf::from);
    assert!(bin.exists(), "{} is missing: run the tests with `cargo xtask test`, or `cargo build -p telnuska-server` first", bin.display());
    bin
}

/// A database made for one test and dropped after it.
struct TestDatabase {
    url: String,
    admin_url: Option<String>,
    name: String,
    _dir: Option<TempDir>,
}

/// SHA-256 of `bytes`, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A temporary folder removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    /// A new empty folder under the system's temp dir.
    pub fn new(prefix: &str) -> Self {
        let path = std::env::temp_dir().join(format!("{prefix}-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&path).expect("create temp dir");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TestDatabase {
    async fn create(backend: Backend) -> Self {
        let name = format!("telnuska_t_{}", uuid::Uuid::new_v4().simple());
        match backend {
            Backend::Sqlite => {
                let dir = TempDir::new("telnuska-test");
                let url = format!("sqlite://{}", dir.0.join("test.db").display());
                Self { url, admin_url: None, name, _dir: Some(dir) }
            }
            Backend::Postgres => {
                let admin_url = std::env::var("TELNUSKA_TEST_POSTGRES_URL")
                    .unwrap_or_else(|_| panic!("TELNUSKA_TEST_POSTGRES_URL is not set: run the tests with `cargo xtask test`, which starts PostgreSQL"));
                let mut conn = PgConnection::connect(&admin_url).await.expect("connect to the test PostgreSQL");
                conn.execute(format!("CREATE DATABASE {name}").as_str()).await.expect("create test database");
                let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b);
                Self { url: format!("{base}/{name}"), admin_url: Some(admin_url), name, _dir: None }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(admin_url) = self.admin_url.clone() else { return };
        let name = self.name.clone();
        // Drop is synchronous; a small runtime of its own drops the database.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
            rt.block_on(async {
                if let Ok(mut conn) = PgConnection::connect(&admin_url).await {
                    let _ = conn.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await;
                }
            });
        })
        .join();
    }
}

/// The running server of one test.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`.
    pub base: String,
    /// An HTTP client.
    pub client: reqwest::Client,
    /// Which database.
    pub backend: Backend,
    child: Child,
    db: TestDatabase,
}

impl TestApp {
    /// Starts a demo-mode server on a fresh database.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, &[]).await
    }

    /// Starts a server with extra environment variables.
    pub async fn spawn_with(backend: Backend, env: &[(&str, &str)]) -> Self {
        let db = TestDatabase::create(backend).await;
        Self::start(backend, db, env)
    }

    fn start(backend: Backend, db: TestDatabase, env: &[(&str, &str)]) -> Self {
        let dist = std::env::var_os("TELNUSKA_DIST").map_or_else(|| workspace_root().join("dist"), PathBuf::from);
        let mut command = Command::new(server_bin());
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("TELNUSKA_ADDR", "127.0.0.1:0")
            .env("DATABASE_URL", &db.url)
            .env("TELNUSKA_DEMO", "1")
            .env("TELNUSKA_DEMO_ALLOW_POSTGRES", "1")
            .env("TELNUSKA_DIST", dist)
            // Tests run the background job on demand (`POST /api/admin/jobs/run`), not on a timer.
            .env("TELNUSKA_JOB_INTERVAL_SECS", "0")
            .env("RUST_LOG", std::env::var("TELNUSKA_TEST_LOG").unwrap_or_else(|_| "warn".into()))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().expect("start telnuska-server");
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(addr) = line.strip_prefix("listening on ") {
                        let _ = tx.send(addr.trim().to_string());
                        sent = true;
                    }
                }
            }
        });
        let base = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("the server did not print its address within 60 s")
        });
        Self { base, client: reqwest::Client::new(), backend, child, db }
    }

    /// Runs a command of the server binary (`backup`, `restore`, `verify`) on this database;
    /// returns its exit status success and its output.
    pub fn run_command(&self, args: &[&str]) -> (bool, String) {
        let out = Command::new(server_bin()).args(args).env("DATABASE_URL", &self.db.url).env("RUST_LOG", "warn").output().expect("run telnuska-server");
        (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
    }

    /// The database URL the server uses.
    pub fn database_url(&self) -> &str {
        &self.db.url
    }

    /// The `host:port` the server listens on.
    pub fn address(&self) -> String {
        self.base.trim_start_matches("http://").trim_end_matches('/').to_string()
    }

    /// `http://…/path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// GET, returning status and JSON (or `Value::Null`).
    pub async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        let mut req = self.client.get(self.url(path));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("GET");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// POST JSON with optional idempotency key and bearer token.
    pub async fn post(&self, path: &str, body: &Value, key: Option<&str>, token: Option<&str>) -> (u16, Value) {
        let mut req = self.client.post(self.url(path)).json(body);
        if let Some(k) = key {
            req = req.header("Idempotency-Key", k);
        }
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let res = req.send().await.expect("POST");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Asks for an SMS code and reads it from the demo outbox.
    pub async fn otp_code(&self, phone: &str) -> String {
        let (status, body) = self.post("/api/otp", &json!({ "phone": phone }), None, None).await;
        assert_eq!(status, 202, "{body}");
        let (status, sms) = self.get(&format!("/api/dev/sms?phone={}", phone.replace('+', "%2B")), None).await;
        assert_eq!(status, 200, "{sms}");
        sms[0]["code"].as_str().expect("the newest SMS carries a code").to_string()
    }

    /// Asks for an SMS code bound to the answers of `body` (the SHA-256 of their signed content)
    /// and reads it from the demo outbox.
    pub async fn otp_code_for(&self, phone: &str, body: &Value) -> String {
        let request: telnuska_shared::api::CreateApplicationRequest = serde_json::from_value(body.clone()).expect("an application body");
        let hash = sha256_hex(&request.signed_content());
        let (status, sent) = self.post("/api/otp", &json!({ "phone": phone, "content_sha256": hash }), None, None).await;
        assert_eq!(status, 202, "{sent}");
        let (status, sms) = self.get(&format!("/api/dev/sms?phone={}", phone.replace('+', "%2B")), None).await;
        assert_eq!(status, 200, "{sms}");
        sms[0]["code"].as_str().expect("the newest SMS carries a code").to_string()
    }

    /// An open connection to the database the server uses (to check what it keeps).
    pub async fn database(&self) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(&self.db.url).await.expect("connect to the test database")
    }

    /// Signs in a demo account and returns its token.
    pub async fn login(&self, login: &str) -> String {
        let (status, body) = self.post("/api/auth/login", &json!({"login": login, "password": "demo-password"}), None, None).await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().expect("token").to_string()
    }

    /// The server process's id (to read its memory from `/proc`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// How many applications the database holds, read through the staff queue.
    pub async fn count_applications(&self) -> usize {
        let token = self.login("operator").await;
        let (mut total, mut cursor) = (0, String::new());
        loop {
            let (status, page) = self.get(&format!("/api/applications?limit=100&cursor={cursor}"), Some(&token)).await;
            assert_eq!(status, 200, "{page}");
            total += page["items"].as_array().map_or(0, Vec::len);
            match page["next_cursor"].as_str() {
                Some(next) => cursor = next.replace('|', "%7C"),
                None => return total,
            }
        }
    }

    /// Another server process on the same database (a second instance behind a load balancer).
    pub fn second_instance(&self) -> Self {
        self.second_instance_with(&[])
    }

    /// [`Self::second_instance`] with extra environment variables.
    pub fn second_instance_with(&self, env: &[(&str, &str)]) -> Self {
        let db = TestDatabase { url: self.db.url.clone(), admin_url: None, name: String::new(), _dir: None };
        Self::start(self.backend, db, env)
    }

    /// Submits `body` at the ЦОН desk as the demo operator under `key`; returns the 201 body.
    pub async fn submit_at_desk(&self, key: &str, body: &Value) -> Value {
        let operator = self.login("operator").await;
        let (status, created) = self.post("/api/applications", body, Some(key), Some(&operator)).await;
        assert_eq!(status, 201, "{created}");
        created
    }

    /// Uploads `bytes` as an attachment named `filename` (anonymously, as the citizen's app
    /// does); returns its id.
    pub async fn upload_file(&self, filename: &str, bytes: &[u8]) -> String {
        let boundary = "telnuska-file-boundary-7c2e";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n\r\n").into_bytes();
        body.extend_from_slice(bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let response = self
            .client
            .post(self.url("/api/attachments"))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .expect("POST /api/attachments");
        assert_eq!(response.status().as_u16(), 201, "upload of {filename}");
        let created: Value = response.json().await.expect("the upload's answer");
        created["id"].as_str().expect("an id").to_string()
    }

    /// Runs one pass of the background job as the demo administrator.
    pub async fn run_jobs(&self) -> Value {
        let admin = self.login("admin").await;
        let (status, report) = self.post("/api/admin/jobs/run", &json!({}), None, Some(&admin)).await;
        assert_eq!(status, 200, "{report}");
        report
    }

    /// Stops the server abruptly (as a crash would).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts the server again on the same database (a new port), with other environment
    /// variables (e.g. a later `TELNUSKA_NOW`, to travel in time).
    pub fn restart_with(mut self, env: &[(&str, &str)]) -> Self {
        self.kill();
        let db = std::mem::replace(&mut self.db, TestDatabase { url: String::new(), admin_url: None, name: String::new(), _dir: None });
        let backend = self.backend;
        drop(self);
        Self::start(backend, db, env)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A creation's answer without its tracking token: a replay answers with the same application and
/// a fresh token of its own (the server keeps no token to replay).
pub fn without_tracking_token(created: &Value) -> Value {
    let mut created = created.clone();
    if let Some(object) = created.as_object_mut() {
        object.remove("tracking_token");
    }
    created
}

/// The same application as a ЦОН operator takes it at the desk: no SMS code (the operator's
/// token stands for the applicant's signature).
pub fn desk_application() -> Value {
    let mut body = valid_application("+77011234567", "000000");
    body["channel"] = json!("con");
    body["signature"] = Value::Null;
    body
}

/// A complete, valid portal application for a university diploma duplicate.
pub fn valid_application(phone: &str, code: &str) -> Value {
    json!({
        "service": "higher_duplicate",
        "channel": "portal",
        "applicant": {"iin": "010101599904", "last_name": "Сейітқали", "first_name": "Әсел", "patronymic": null,
                      "phone": phone, "email": "asel@mail.kz"},
        "relationship": "self",
        "representative": null,
        "document_kind": "diploma",
        "documents": [{"region": "almaty_city", "institution": "kaznmu", "degree": "bachelor",
                       "specialty": "Жалпы медицина", "series": "BD", "number": "0012345",
                       "registration_number": "1234", "graduation_year": 2015}],
        "pupil": null,
        "reason": "loss",
        "attachments": [],
        "consents": {"accuracy": true, "personal_data": true},
        "signature": {"method": "otp", "phone": phone, "code": code},
        "accepted_at": null
    })
}

/// The release server (or `TELNUSKA_SERVER_BIN`), in the target folder cargo builds into.
pub fn use_release_server() {
    if std::env::var_os("TELNUSKA_SERVER_BIN").is_some() {
        return;
    }
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| workspace_root().join("target"), PathBuf::from);
    let release = target.join("release/telnuska-server");
    assert!(release.exists(), "{} is missing: build the release server first: cargo build --release -p telnuska-server", release.display());
    std::env::set_var("TELNUSKA_SERVER_BIN", release);
}

/// The built app, checked.
pub fn built_dist() -> PathBuf {
    let dist = std::env::var_os("TELNUSKA_DIST").map_or_else(|| workspace_root().join("dist"), PathBuf::from);
    assert!(
        dist.join("index.html").exists() && dist.join("sw.js").exists(),
        "no built app in {}: run `cargo xtask build-app` first (it writes to TELNUSKA_DIST when set)",
        dist.display()
    );
    dist
}
