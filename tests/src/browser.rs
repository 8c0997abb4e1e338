//! [`Browser`]: headless Chromium driven through ChromeDriver (WebDriver), with a fresh profile,
//! closed and killed on drop even when a test panics.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;

use crate::server::TempDir;

/// A Chromium window of its own.
pub struct Browser {
    /// The WebDriver client.
    pub client: Client,
    driver: Child,
    /// ChromeDriver's own address, for its Chromium-only endpoints (see [`Browser::cdp`]).
    driver_url: String,
    profile_path: PathBuf,
    _profile: Option<TempDir>,
}

/// A port no one listens on now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

impl Browser {
    /// Starts ChromeDriver and a headless Chromium with a fresh profile.
    pub async fn start() -> Self {
        let profile = TempDir::new("telnuska-chromium");
        let mut browser = Self::start_with_profile(profile.0.clone()).await;
        browser._profile = Some(profile);
        browser
    }

    /// Starts a browser on an existing profile folder (to test what survives a browser restart).
    pub async fn start_with_profile(profile: PathBuf) -> Self {
        let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let chromedriver = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let port = free_port();
        let driver = Command::new(&chromedriver)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {chromedriver}: {e} (run the tests with `cargo xtask test`, which installs it)"));
        let mut guard = DriverGuard(Some(driver));
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--window-size=412,915",
                    format!("--user-data-dir={}", profile.display()),
                ],
                // A Kazakh browser: the app's first visit follows the browser's languages.
                "prefs": { "intl.accept_languages": "kk" }
            }
        });
        let caps = caps.as_object().expect("object").clone();
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        let client = loop {
            match ClientBuilder::new(HttpConnector::new()).capabilities(caps.clone()).connect(&url).await {
                Ok(client) => break client,
                Err(e) if Instant::now() > deadline => panic!("WebDriver session did not start: {e}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(200)).await,
            }
        };
        Self { client, driver: guard.0.take().expect("driver"), driver_url: url, profile_path: profile, _profile: None }
    }

    /// Opens a URL, and waits until its app runs: the citizen's `/` shows a first screen built
    /// into the page (`app/src/first_screen.rs`) until the app draws its own, which a test would
    /// otherwise reach first ([`Browser::open_page`] does not wait).
    pub async fn open(&self, url: &str) {
        self.open_page(url).await;
        self.eventually("the app takes over from the first screen", || async { !self.exists("#first-screen").await }).await;
    }

    /// Opens a URL as it is served, without waiting for its app.
    pub async fn open_page(&self, url: &str) {
        self.client.goto(url).await.expect("navigate");
    }

    /// Waits up to 20 s for an element.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.client.wait().at_most(Duration::from_secs(20)).for_element(Locator::Css(css)).await.unwrap_or_else(|e| panic!("no element {css} within 20 s: {e}"))
    }

    /// Whether an element is present now.
    pub async fn exists(&self, css: &str) -> bool {
        self.client.find(Locator::Css(css)).await.is_ok()
    }

    /// Clicks a field and types into it, then leaves it (Tab), as a person would.
    pub async fn type_into(&self, css: &str, text: &str) {
        let field = self.wait_for(css).await;
        field.click().await.expect("click");
        field.send_keys(text).await.expect("type");
        field.send_keys("\u{E004}").await.expect("tab out");
    }

    /// Chooses an option of a select by its value.
    pub async fn select(&self, css: &str, value: &str) {
        let select = self.wait_for(css).await;
        select.select_by_value(value).await.unwrap_or_else(|e| panic!("select {value} in {css}: {e}"));
    }

    /// Waits for an element and clicks it.
    pub async fn click(&self, css: &str) {
        self.wait_for(css).await.click().await.unwrap_or_else(|e| panic!("click {css}: {e}"));
    }

    /// The visible text of an element (waiting for it).
    pub async fn text(&self, css: &str) -> String {
        self.wait_for(css).await.text().await.unwrap_or_else(|e| panic!("text of {css}: {e}"))
    }

    /// Chooses a local file in an `<input type=file>` (ChromeDriver reads it from this machine).
    pub async fn attach(&self, css: &str, file: &std::path::Path) {
        let input = self.wait_for(css).await;
        input.send_keys(&file.display().to_string()).await.unwrap_or_else(|e| panic!("attach {} to {css}: {e}", file.display()));
    }

    /// Runs a script in the page (a returned promise is awaited) and returns its JSON result.
    pub async fn script(&self, js: &str) -> serde_json::Value {
        self.client.execute(js, vec![]).await.unwrap_or_else(|e| panic!("script {js}: {e}"))
    }

    /// Every record of one IndexedDB store of the page's origin, as JSON text (`[]` while the
    /// database or the store does not exist): what the app really kept, not what it shows.
    pub async fn stored_records(&self, database: &str, store: &str) -> String {
        let js = r#"
            const [database, store, done] = arguments;
            indexedDB.databases().then((dbs) => {
                if (!dbs.some((d) => d.name === database)) return done("[]");
                const open = indexedDB.open(database);
                open.onerror = () => done("[]");
                open.onsuccess = () => {
                    const db = open.result;
                    if (!db.objectStoreNames.contains(store)) { db.close(); return done("[]"); }
                    const all = db.transaction(store).objectStore(store).getAll();
                    all.onsuccess = () => { db.close(); done(JSON.stringify(all.result)); };
                    all.onerror = () => { db.close(); done("[]"); };
                };
            });
        "#;
        let records = self.client.execute_async(js, vec![json!(database), json!(store)]).await.expect("read IndexedDB");
        records.as_str().unwrap_or("[]").to_string()
    }

    /// Waits until autosave has written `text` into a draft in IndexedDB (the app saves at most
    /// 300 ms after the last change), instead of sleeping for a fixed time.
    pub async fn wait_for_saved_draft(&self, text: &str) {
        let what = format!("a draft with {text:?} is saved");
        self.eventually(&what, || async { self.stored_records("telnuska", "drafts").await.contains(text) }).await;
    }

    /// Waits until a service worker controls the page (after its first install).
    pub async fn wait_for_service_worker(&self) {
        self.eventually("a service worker controls the page", || async { self.script("return !!navigator.serviceWorker.controller").await == json!(true) })
            .await;
    }

    /// The value property of an input.
    pub async fn value(&self, css: &str) -> String {
        self.wait_for(css).await.prop("value").await.expect("value").unwrap_or_default()
    }

    /// Waits up to 20 s until `check` holds (polling), or panics with `what`.
    pub async fn eventually<F, Fut>(&self, what: &str, check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        self.eventually_within(what, Duration::from_secs(20), check).await;
    }

    /// Waits up to `limit` until `check` holds (polling), or panics with `what`.
    pub async fn eventually_within<F, Fut>(&self, what: &str, limit: Duration, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let deadline = Instant::now() + limit;
        while !check().await {
            assert!(Instant::now() < deadline, "timed out waiting for: {what}");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Runs a Chrome DevTools Protocol command in this page's DevTools session (ChromeDriver's
    /// `POST /session/{id}/goog/cdp/execute`) and returns its result: network emulation, cache
    /// control, scripts evaluated in every new document — what WebDriver itself cannot do.
    pub async fn cdp(&self, cmd: &str, params: serde_json::Value) -> serde_json::Value {
        let session = self.client.session_id().await.ok().flatten().expect("a WebDriver session");
        let url = format!("{}/session/{session}/goog/cdp/execute", self.driver_url);
        let res = reqwest::Client::new().post(url).json(&json!({ "cmd": cmd, "params": params })).send().await;
        let body: serde_json::Value = match res {
            Ok(res) => res.json().await.unwrap_or_else(|e| panic!("CDP {cmd}: unreadable answer: {e}")),
            Err(e) => panic!("CDP {cmd}: {e}"),
        };
        match body["value"].get("error") {
            Some(error) => panic!("CDP {cmd} failed: {error} {}", body["value"]["message"]),
            None => body["value"].clone(),
        }
    }

    /// Saves a screenshot (for looking at what a person sees).
    pub async fn screenshot(&self, path: &std::path::Path) {
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(path, png);
        }
    }

    /// Ends the session and the driver.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }

    /// Kills the browser as a crash or a pulled plug would: SIGKILL, so that nothing it holds in
    /// memory is written (unlike [`Browser::close`]). The browser process's group when it leads
    /// one of its own, else each process of this profile (never the group of the test, which
    /// ChromeDriver's children may share); returns once they are gone.
    pub fn kill(mut self) {
        let pids = self.profile_processes();
        let main = pids.iter().copied().find(|&pid| !cmdline(pid).iter().any(|arg| arg.starts_with("--type=")));
        let own_group = process_group(std::process::id());
        match main.and_then(process_group).filter(|&group| Some(group) == main && Some(group) != own_group) {
            Some(group) => {
                let _ = Command::new("kill").args(["-KILL", "--", &format!("-{group}")]).status();
            }
            None => {
                let _ = Command::new("kill").arg("-KILL").args(pids.iter().map(u32::to_string)).status();
            }
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        while !self.profile_processes().is_empty() {
            assert!(Instant::now() < deadline, "Chromium outlived SIGKILL");
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }

    /// The live processes started with this browser's profile.
    fn profile_processes(&self) -> Vec<u32> {
        let flag = format!("--user-data-dir={}", self.profile_path.display());
        let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
        entries
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse::<u32>().ok())
            .filter(|&pid| cmdline(pid).contains(&flag) && !is_zombie(pid))
            .collect()
    }
}

/// The arguments of process `pid` (none once it is gone).
fn cmdline(pid: u32) -> Vec<String> {
    let raw = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    raw.split(|&b| b == 0).filter(|arg| !arg.is_empty()).map(|arg| String::from_utf8_lossy(arg).into_owned()).collect()
}

/// The fields of `/proc/<pid>/stat` after the command's name: state, parent, process group, ….
fn stat_fields(pid: u32) -> Vec<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit_once(')').map(|(_, rest)| rest.split_whitespace().map(String::from).collect()).unwrap_or_default()
}

fn process_group(pid: u32) -> Option<u32> {
    stat_fields(pid).get(2)?.parse().ok()
}

fn is_zombie(pid: u32) -> bool {
    stat_fields(pid).first().is_some_and(|state| state == "Z")
}

struct DriverGuard(Option<Child>);

impl Drop for DriverGuard {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // A panicking test never reaches `close`: end ChromeDriver and every Chromium process of
        // this profile, which would otherwise outlive the test.
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = Command::new("pkill").arg("-f").arg(format!("user-data-dir={}", self.profile_path.display())).status();
    }
}
