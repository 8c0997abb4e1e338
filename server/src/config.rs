//! Configuration, read once from the environment at start (API.md, "Running the server").

use std::net::SocketAddr;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::cli::Settings;
use crate::secrets::{mask_password, DatabaseUrl, Secret};

/// Why the server refuses to start.
#[derive(Debug, Error)]
pub enum ConfigError {
    /// `TELNUSKA_ADDR` is not `host:port`.
    #[error("TELNUSKA_ADDR={0:?} is not an address such as 127.0.0.1:8080")]
    Addr(String),
    /// `DATABASE_URL` is neither SQLite nor PostgreSQL (the URL as given, its password masked).
    #[error("DATABASE_URL must start with sqlite:// or postgres://, got {0:?}")]
    DatabaseUrl(String),
    /// `TELNUSKA_TRUSTED_HOPS`, `TELNUSKA_READ_TIMEOUT_SECS` or another count is not a positive number.
    #[error("{0}={1:?} is not a positive whole number")]
    Number(&'static str, String),
    /// Demo accounts on a production database.
    #[error("TELNUSKA_DEMO=1 on a PostgreSQL database seeds well-known passwords; set TELNUSKA_DEMO_ALLOW_POSTGRES=1 if this is really a test database")]
    DemoOnPostgres,
    /// `TELNUSKA_JOB_INTERVAL_SECS` is not a number.
    #[error("TELNUSKA_JOB_INTERVAL_SECS={0:?} is not a number of seconds")]
    JobInterval(String),
    /// `TELNUSKA_PUBLIC_URL` missing outside demo mode, or not an http(s) address.
    #[error("TELNUSKA_PUBLIC_URL={0:?}: set the address people open the service at, such as https://telnuska.kz (SMS messages link to it)")]
    PublicUrl(String),
    /// `TELNUSKA_NCALAYER_URL` is not a plain `ws://` or `wss://` URL (it goes into the CSP).
    #[error("TELNUSKA_NCALAYER_URL={0:?} is not a WebSocket URL such as wss://127.0.0.1:13579")]
    NcaLayerUrl(String),
    /// `TELNUSKA_EDS_VERIFIER` names no verifier, or one that cannot run here.
    #[error("TELNUSKA_EDS_VERIFIER={0:?}: {1}")]
    EdsVerifier(String, &'static str),
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

/// Typed configuration. Its `Debug` masks the API keys ([`Secret`]) and the database password.
#[derive(Debug, Clone)]
pub struct Config {
    /// Listen address.
    pub addr: SocketAddr,
    /// Database URL.
    pub database_url: DatabaseUrl,
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
    pub sms_key: Option<Secret>,
    /// The "Digital documents" service's endpoint (`TELNUSKA_DIGITAL_DOCUMENTS_URL`).
    pub digital_documents_url: Option<String>,
    /// Its API key (`TELNUSKA_DIGITAL_DOCUMENTS_KEY`).
    pub digital_documents_key: Option<Secret>,
    /// The state monitoring system's endpoint (`TELNUSKA_MONITORING_URL`).
    pub monitoring_url: Option<String>,
    /// Its API key (`TELNUSKA_MONITORING_KEY`).
    pub monitoring_key: Option<Secret>,
    /// The identity registry's endpoint (`TELNUSKA_IDENTITY_REGISTRY_URL`): the desk looks a person
    /// up at `{url}/{iin}`.
    pub identity_registry_url: Option<String>,
    /// Its API key (`TELNUSKA_IDENTITY_REGISTRY_KEY`).
    pub identity_registry_key: Option<Secret>,
    /// Seconds to wait for it (`TELNUSKA_IDENTITY_REGISTRY_TIMEOUT_SECS`, default 5).
    pub identity_registry_timeout_secs: u64,
    /// Read the client's address from `X-Forwarded-For` (`TELNUSKA_TRUST_PROXY=1`).
    pub trust_proxy: bool,
    /// How many trusted proxies append to `X-Forwarded-For` (`TELNUSKA_TRUSTED_HOPS`, default 1):
    /// the client's address is that many entries from the right, the one the outermost trusted
    /// proxy wrote; everything left of it the client may have made up.
    pub trusted_hops: usize,
    /// Seconds a client has to send a request's headers, and again its body
    /// (`TELNUSKA_READ_TIMEOUT_SECS`, default 15): slow clients cannot hold connections open.
    pub read_timeout_secs: u64,
    /// Which EDS verifier (`TELNUSKA_EDS_VERIFIER`: `ncanode`, or `test-double` in demo mode only).
    pub eds_verifier: Option<String>,
    /// NCANode's base address (`TELNUSKA_NCANODE_URL`), for `TELNUSKA_EDS_VERIFIER=ncanode`.
    pub ncanode_url: Option<String>,
    /// Where people open the service (`TELNUSKA_PUBLIC_URL`, no trailing `/`): the base of the
    /// tracking links in SMS messages. In demo mode it defaults to the listen address, filled in
    /// by [`Config::bound_to`].
    pub public_url: Option<String>,
    /// Where the person's NCALayer listens (`TELNUSKA_NCALAYER_URL`): told to the app and allowed
    /// in the CSP's `connect-src`.
    pub ncalayer_url: String,
    /// Seconds between background job passes (`TELNUSKA_JOB_INTERVAL_SECS`, 0 = never).
    pub job_interval_secs: u64,
    /// Seconds between reads of the added institutions (`TELNUSKA_REFERENCE_REFRESH_SECS`,
    /// default 30): how late another instance's additions reach this one's lists and validator.
    pub reference_refresh_secs: u64,
    /// Bytes anonymous callers may upload per hour, per address and in total.
    pub upload_quota: crate::store::throttle::UploadQuota,
}

impl Config {
    /// Reads the environment alone (no command line).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_settings(Settings::from_env())
    }

    /// Checks the settings and fills in the defaults. An empty value counts as unset.
    pub fn from_settings(settings: Settings) -> Result<Self, ConfigError> {
        let given = |v: Option<String>| v.filter(|v| !v.is_empty());
        let flag = |v: &Option<String>| v.as_deref().is_some_and(|v| v == "1" || v.eq_ignore_ascii_case("true"));
        let secret = |v: Option<Secret>| v.filter(|v| !v.expose().is_empty());
        let addr_raw = given(settings.addr).unwrap_or_else(|| "127.0.0.1:8080".into());
        let addr = addr_raw.parse().map_err(|_| ConfigError::Addr(addr_raw.clone()))?;
        let database_url = settings.database_url.filter(|u| !u.expose().is_empty()).unwrap_or_else(|| DatabaseUrl::from("sqlite://telnuska.db".to_string()));
        let database_kind = match database_url.expose() {
            url if url.starts_with("sqlite:") => DatabaseKind::Sqlite,
            url if url.starts_with("postgres://") || url.starts_with("postgresql://") => DatabaseKind::Postgres,
            url => return Err(ConfigError::DatabaseUrl(mask_password(url))),
        };
        let demo = flag(&settings.demo);
        if demo && database_kind == DatabaseKind::Postgres && !flag(&settings.demo_allow_postgres) {
            return Err(ConfigError::DemoOnPostgres);
        }
        let fixed_now = match given(settings.now) {
            None => None,
            Some(raw) if demo => Some(DateTime::parse_from_rfc3339(&raw).map_err(|_| ConfigError::Now(raw.clone()))?.with_timezone(&Utc)),
            Some(raw) => return Err(ConfigError::Now(raw)),
        };
        let ncanode_url = given(settings.ncanode_url);
        Ok(Self {
            addr,
            database_url,
            database_kind,
            demo,
            fixed_now,
            dist_dir: given(settings.dist).map_or_else(|| PathBuf::from("dist"), PathBuf::from),
            log_json: flag(&settings.log_json),
            trust_proxy: flag(&settings.trust_proxy),
            trusted_hops: positive(given(settings.trusted_hops), "TELNUSKA_TRUSTED_HOPS", 1)?,
            read_timeout_secs: positive(given(settings.read_timeout_secs), "TELNUSKA_READ_TIMEOUT_SECS", 15)?,
            reference_refresh_secs: positive(given(settings.reference_refresh_secs), "TELNUSKA_REFERENCE_REFRESH_SECS", DEFAULT_REFERENCE_REFRESH_SECS)?,
            upload_quota: crate::store::throttle::UploadQuota {
                per_address: positive(
                    given(settings.upload_bytes_per_address_hour),
                    "TELNUSKA_UPLOAD_BYTES_PER_ADDRESS_HOUR",
                    DEFAULT_UPLOAD_BYTES_PER_ADDRESS_HOUR,
                )?,
                total: positive(given(settings.upload_bytes_per_hour), "TELNUSKA_UPLOAD_BYTES_PER_HOUR", DEFAULT_UPLOAD_BYTES_PER_HOUR)?,
            },
            eds_verifier: eds_verifier(given(settings.eds_verifier), demo, ncanode_url.as_deref())?,
            ncanode_url,
            ncalayer_url: ncalayer_url(given(settings.ncalayer_url))?,
            sms_url: given(settings.sms_url),
            sms_key: secret(settings.sms_key),
            digital_documents_url: given(settings.digital_documents_url),
            digital_documents_key: secret(settings.digital_documents_key),
            monitoring_url: given(settings.monitoring_url),
            monitoring_key: secret(settings.monitoring_key),
            identity_registry_url: given(settings.identity_registry_url),
            identity_registry_key: secret(settings.identity_registry_key),
            identity_registry_timeout_secs: positive(
                given(settings.identity_registry_timeout_secs),
                "TELNUSKA_IDENTITY_REGISTRY_TIMEOUT_SECS",
                crate::identity::DEFAULT_TIMEOUT_SECS,
            )?,
            public_url: public_url(given(settings.public_url))?,
            job_interval_secs: match given(settings.job_interval_secs) {
                None => 30,
                Some(raw) => raw.parse().map_err(|_| ConfigError::JobInterval(raw.clone()))?,
            },
        })
    }

    /// Fills the demo default of `public_url` with the address actually bound (the real port when
    /// `TELNUSKA_ADDR` asked for port 0). Serving outside demo mode needs `TELNUSKA_PUBLIC_URL`:
    /// a link to the listen address (usually a private one behind a load balancer) would reach
    /// nobody. The command-line operations (backup, verify) send no SMS and need none.
    pub fn bound_to(mut self, bound: SocketAddr) -> Result<Self, ConfigError> {
        match (&self.public_url, self.demo) {
            (Some(_), _) => {}
            (None, true) => self.public_url = Some(format!("http://{bound}")),
            (None, false) => return Err(ConfigError::PublicUrl(String::new())),
        }
        Ok(self)
    }

    /// The base of the links sent by SMS, such as `https://telnuska.kz`.
    pub fn links_base(&self) -> &str {
        self.public_url.as_deref().unwrap_or_default()
    }
}

/// How often each instance reads the added institutions again: an institution added through
/// another instance is offered and accepted here at most this late (docs/API.md, institutions).
pub const DEFAULT_REFERENCE_REFRESH_SECS: u64 = 30;

/// Anonymous uploads per address and hour: a whole ЦОН hall (its kiosks) shares one address, and
/// the app downscales photos to a few hundred kilobytes, so this is dozens of applications.
const DEFAULT_UPLOAD_BYTES_PER_ADDRESS_HOUR: u64 = 200 * 1024 * 1024;
/// Anonymous uploads per hour from everyone: a flood from many addresses stops here.
const DEFAULT_UPLOAD_BYTES_PER_HOUR: u64 = 5 * 1024 * 1024 * 1024;

/// The EDS verifier named, checked: a typo must not quietly leave EDS off.
fn eds_verifier(name: Option<String>, demo: bool, ncanode_url: Option<&str>) -> Result<Option<String>, ConfigError> {
    match name.as_deref() {
        None => Ok(None),
        Some("test-double") if !demo => Err(ConfigError::EdsVerifier("test-double".into(), "the test double accepts made-up signatures: demo mode only")),
        Some("ncanode") if !ncanode_url.is_some_and(|u| u.starts_with("http://") || u.starts_with("https://")) => {
            Err(ConfigError::EdsVerifier("ncanode".into(), "set TELNUSKA_NCANODE_URL to NCANode's address, such as http://ncanode:14579"))
        }
        Some(known) if crate::signing::VERIFIERS.contains(&known) => Ok(name),
        Some(other) => Err(ConfigError::EdsVerifier(other.into(), "not a verifier: the allowed values are ncanode, and test-double in demo mode only")),
    }
}

/// A positive whole number from the environment, or `default` when unset.
fn positive<T: std::str::FromStr + PartialOrd + From<u8>>(raw: Option<String>, name: &'static str, default: T) -> Result<T, ConfigError> {
    match raw {
        None => Ok(default),
        Some(raw) => raw.parse::<T>().ok().filter(|n| *n >= T::from(1)).ok_or(ConfigError::Number(name, raw)),
    }
}

/// `TELNUSKA_PUBLIC_URL` without its trailing `/`, if set: an http(s) address with no query or
/// fragment (the link's own fragment carries the tracking token).
fn public_url(raw: Option<String>) -> Result<Option<String>, ConfigError> {
    match raw {
        Some(url) if (url.starts_with("https://") || url.starts_with("http://")) && !url.contains(['#', '?', ' ']) => {
            Ok(Some(url.trim_end_matches('/').to_string()))
        }
        Some(url) => Err(ConfigError::PublicUrl(url)),
        None => Ok(None),
    }
}

/// Where NCALayer listens on every computer it is installed on.
pub const DEFAULT_NCALAYER_URL: &str = "wss://127.0.0.1:13579";

/// `TELNUSKA_NCALAYER_URL`, or the real NCALayer's address. Only `ws://` / `wss://` and characters
/// that cannot break out of a CSP source expression.
fn ncalayer_url(raw: Option<String>) -> Result<String, ConfigError> {
    let Some(url) = raw else { return Ok(DEFAULT_NCALAYER_URL.into()) };
    let host = url.strip_prefix("wss://").or_else(|| url.strip_prefix("ws://")).unwrap_or("");
    let plain = host.chars().all(|c| c.is_ascii_alphanumeric() || "-._:/[]".contains(c));
    if host.is_empty() || !plain {
        return Err(ConfigError::NcaLayerUrl(url));
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::{eds_verifier, mask_password, ncalayer_url, public_url, Config, ConfigError, Secret, Settings};

    #[test]
    fn passwords_and_keys_stay_out_of_errors_and_debug_output() {
        assert_eq!(mask_password("postgres://telnuska:s3cret@db:5432/telnuska"), "postgres://telnuska:***@db:5432/telnuska");
        assert_eq!(mask_password("sqlite://telnuska.db"), "sqlite://telnuska.db");
        assert_eq!(mask_password("mysql://u:p@@h/db"), "mysql://u:***@h/db");
        let error = ConfigError::DatabaseUrl(mask_password("mysql://root:hunter2@db/x")).to_string();
        assert!(!error.contains("hunter2"), "{error}");
        let secret = |v: &str| Some(Secret::from(v.to_string()));
        let settings = Settings {
            database_url: Some("postgres://telnuska:s3cret@db/telnuska".to_string().into()),
            public_url: Some("https://telnuska.kz".into()),
            sms_url: Some("https://sms.example/send".into()),
            sms_key: secret("sms-api-key-123"),
            digital_documents_url: Some("https://documents.example/publish".into()),
            digital_documents_key: secret("dd-api-key-456"),
            monitoring_url: Some("https://monitoring.example/stages".into()),
            monitoring_key: secret("mon-api-key-789"),
            identity_registry_url: Some("https://registry.example/people".into()),
            identity_registry_key: secret("ir-api-key-789"),
            ..Settings::default()
        };
        let config = Config::from_settings(settings.clone()).unwrap();
        assert_eq!(config.sms_key.as_ref().map(Secret::expose), Some("sms-api-key-123"), "the key is kept, only not printed");
        assert!(config.database_url.expose().contains("s3cret"));
        let printed = format!("{config:?}\n{config:#?}\n{settings:?}");
        assert!(printed.contains("telnuska:***@db") && printed.contains("https://sms.example/send"), "{printed}");
        for secret in ["s3cret", "sms-api-key-123", "dd-api-key-456", "mon-api-key-789", "ir-api-key-789"] {
            assert!(!printed.contains(secret), "{printed}");
        }
    }

    #[test]
    fn an_unknown_or_incomplete_eds_verifier_stops_the_start() {
        assert_eq!(eds_verifier(None, false, None).unwrap(), None);
        assert_eq!(eds_verifier(Some("ncanode".into()), false, Some("http://ncanode:14579")).unwrap().as_deref(), Some("ncanode"));
        assert_eq!(eds_verifier(Some("test-double".into()), true, None).unwrap().as_deref(), Some("test-double"));
        assert!(eds_verifier(Some("test-double".into()), false, None).is_err());
        assert!(eds_verifier(Some("ncanode".into()), false, None).is_err());
        assert!(eds_verifier(Some("ncanode".into()), false, Some("ncanode:14579")).is_err());
        assert!(eds_verifier(Some("ncanod".into()), false, Some("http://ncanode:14579")).is_err());
    }

    #[test]
    fn the_public_url_loses_its_trailing_slash_and_must_be_http() {
        assert_eq!(public_url(Some("https://telnuska.kz/".into())).unwrap().as_deref(), Some("https://telnuska.kz"));
        assert_eq!(public_url(None).unwrap(), None);
        assert!(public_url(Some("telnuska.kz".into())).is_err());
        assert!(public_url(Some("https://telnuska.kz/#x".into())).is_err());
    }

    #[test]
    fn the_ncalayer_url_is_a_websocket_url_safe_in_a_csp() {
        assert_eq!(ncalayer_url(None).unwrap(), "wss://127.0.0.1:13579");
        assert_eq!(ncalayer_url(Some("ws://127.0.0.1:4000".into())).unwrap(), "ws://127.0.0.1:4000");
        for bad in ["https://127.0.0.1:13579", "wss://", "wss://x; script-src *", "wss://a b", "wss://x'"] {
            assert!(ncalayer_url(Some(bad.into())).is_err(), "{bad}");
        }
    }
}
