//! Configuration, read once from the environment at start (API.md, "Running the server").

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use thiserror::Error;

/// Why the server refuses to start.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// `TELNUSKA_ADDR` is not `host:port`.
    #[error("TELNUSKA_ADDR={0:?} is not an address such as 127.0.0.1:8080")]
    Addr(String),
    /// `DATABASE_URL` is neither SQLite nor PostgreSQL.
    #[error("DATABASE_URL must start with sqlite:// or postgres://, got {0:?}")]
    DatabaseUrl(String),
    /// Demo accounts on a production database.
    #[error("TELNUSKA_DEMO=1 on a PostgreSQL database seeds well-known passwords; set TELNUSKA_DEMO_ALLOW_POSTGRES=1 if this is really a test database")]
    DemoOnPostgres,
    /// `TELNUSKA_JOB_INTERVAL_SECS` is not a number.
    #[error("TELNUSKA_JOB_INTERVAL_SECS={0:?} is not a number of seconds")]
    JobInterval(String),
    /// `TELNUSKA_NOW` outside demo mode, or not RFC 3339.
    #[error("TELNUSKA_NOW={0:?}: a fixed clock needs TELNUSKA_DEMO=1 and an RFC 3339 instant")]
    Now(String),
}

/// Which database engine a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseKind {
    /// The embedded default.
    Sqlite,
    /// The production database.
    Postgres,
}

impl DatabaseKind {
    /// The name reported by `/api/health`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// Typed configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address.
    pub addr: SocketAddr,
    /// Database URL.
    pub database_url: String,
    /// Database engine.
    pub database_kind: DatabaseKind,
    /// Demo accounts and the development SMS outbox.
    pub demo: bool,
    /// A fixed "now" (tests and demos only).
    pub fixed_now: Option<DateTime<Utc>>,
    /// The built SPA (`dist/`).
    pub dist_dir: PathBuf,
    /// Log as JSON lines (production) rather than for a terminal.
    pub log_json: bool,
    /// The SMS gateway's endpoint (`TELNUSKA_SMS_URL`).
    pub sms_url: Option<String>,
    /// The SMS gateway's API key (`TELNUSKA_SMS_KEY`).
    pub sms_key: Option<String>,
    /// Read the client's address from `X-Forwarded-For` (`TELNUSKA_TRUST_PROXY=1`).
    pub trust_proxy: bool,
    /// Which EDS verifier (`TELNUSKA_EDS_VERIFIER`; `test-double` in demo mode only).
    pub eds_verifier: Option<String>,
    /// Seconds between background job passes (`TELNUSKA_JOB_INTERVAL_SECS`, 0 = never).
    pub job_interval_secs: u64,
}

impl Config {
    /// Reads the environment.
    pub fn from_env() -> Result<Self, ConfigError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        let flag = |k: &str| var(k).is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
        let addr_raw = var("TELNUSKA_ADDR").unwrap_or_else(|| "127.0.0.1:8080".into());
        let addr = addr_raw.parse().map_err(|_| ConfigError::Addr(addr_raw.clone()))?;
        let database_url = var("DATABASE_URL").unwrap_or_else(|| "sqlite://telnuska.db".into());
        let database_kind = if database_url.starts_with("sqlite:") {
            DatabaseKind::Sqlite
        } else if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
            DatabaseKind::Postgres
        } else {
            return Err(ConfigError::DatabaseUrl(database_url));
        };
        let demo = flag("TELNUSKA_DEMO");
        if demo && database_kind == DatabaseKind::Postgres && !flag("TELNUSKA_DEMO_ALLOW_POSTGRES") {
            return Err(ConfigError::DemoOnPostgres);
        }
        let fixed_now = match var("TELNUSKA_NOW") {
            None => None,
            Some(raw) if demo => Some(DateTime::parse_from_rfc3339(&raw).map_err(|_| ConfigError::Now(raw.clone()))?.with_timezone(&Utc)),
            Some(raw) => return Err(ConfigError::Now(raw)),
        };
        Ok(Self {
            addr,
            database_url,
            database_kind,
            demo,
            fixed_now,
            dist_dir: var("TELNUSKA_DIST").map_or_else(|| PathBuf::from("dist"), PathBuf::from),
            log_json: flag("TELNUSKA_LOG_JSON"),
            trust_proxy: flag("TELNUSKA_TRUST_PROXY"),
            eds_verifier: var("TELNUSKA_EDS_VERIFIER"),
            sms_url: var("TELNUSKA_SMS_URL"),
            sms_key: var("TELNUSKA_SMS_KEY"),
            job_interval_secs: match var("TELNUSKA_JOB_INTERVAL_SECS") {
                None => 30,
                Some(raw) => raw.parse().map_err(|_| ConfigError::JobInterval(raw.clone()))?,
            },
        })
    }
}
