//! The command line: subcommands and options, each option also read from its `TELNUSKA_*`
//! variable (README, "Configuration"), so `telnuska-server --help` documents them all. Values
//! arrive here as given; `Config::from_settings` (in `config.rs`) checks them and applies the
//! defaults, so an empty variable counts as unset and every refusal names its variable.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::secrets::{DatabaseUrl, Secret};
use crate::store::chain::LogHead;

/// `CURSOR:SHA256` as printed under a courier register's signatures.
fn parse_anchor(raw: &str) -> Result<LogHead, String> {
    let wrong = || format!("{raw:?} is not CURSOR:SHA256 (an event number and 64 hexadecimal digits, as the register prints them)");
    let (cursor, hash) = raw.trim().split_once(':').ok_or_else(wrong)?;
    let cursor = cursor.trim().trim_start_matches('№').trim().parse::<i64>().map_err(|_| wrong())?;
    let hash = hash.trim().to_ascii_lowercase();
    if cursor < 1 || hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(wrong());
    }
    Ok(LogHead { cursor, hash })
}

/// Telnuska: duplicates of Kazakh education documents — the server that owns the workflow,
/// stores its events, serves the API and the app.
#[derive(Debug, Parser)]
#[command(name = "telnuska-server", version, max_term_width = 100)]
pub struct Cli {
    /// What to do (`serve` when none is named).
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The configuration.
    #[command(flatten)]
    pub settings: Settings,
}

/// What the server binary can do.
#[derive(Debug, Clone, PartialEq, Eq, Subcommand)]
pub enum Command {
    /// Serve the API and the app until Ctrl-C or SIGTERM (the default).
    Serve,
    /// Write an online, consistent copy of the SQLite database to PATH (safe while serving).
    Backup {
        /// Where the copy goes (never overwritten).
        path: PathBuf,
    },
    /// Replace the SQLite database by the backup at PATH after checking it; the server must be
    /// stopped, and the current file is kept beside it.
    Restore {
        /// The backup.
        path: PathBuf,
    },
    /// Check every hash chain, the log-wide chain and every application row against its events,
    /// and the log against the heads printed on courier registers.
    Verify {
        /// A head of the log as a courier register printed it, `CURSOR:SHA256` (repeatable):
        /// the event at CURSOR must still carry that chained hash.
        #[arg(long = "anchor", value_name = "CURSOR:SHA256", value_parser = parse_anchor)]
        anchors: Vec<LogHead>,
    },
    /// Create the first administrator, LOGIN, with the password read from the first line of
    /// standard input (never from the command line, where others could see it).
    CreateAdmin {
        /// The administrator's login.
        login: String,
    },
}

/// Every option, as given on the command line or in the environment (the command line wins).
#[derive(Debug, Default, Clone, Args)]
pub struct Settings {
    /// Listen address; 127.0.0.1:0 picks a free port and prints `listening on http://…`
    /// [default: 127.0.0.1:8080]
    #[arg(long, env = "TELNUSKA_ADDR", value_name = "HOST:PORT")]
    pub addr: Option<String>,
    /// sqlite://PATH or postgres://user:password@host/db, migrated on start
    /// [default: sqlite://telnuska.db]
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<DatabaseUrl>,
    /// 1: demo accounts and the development SMS outbox (refused on PostgreSQL unless
    /// TELNUSKA_DEMO_ALLOW_POSTGRES=1) [default: off]
    #[arg(long, env = "TELNUSKA_DEMO", value_name = "1")]
    pub demo: Option<String>,
    /// 1: allow demo mode on a PostgreSQL database that is really a test database [default: off]
    #[arg(long, env = "TELNUSKA_DEMO_ALLOW_POSTGRES", value_name = "1")]
    pub demo_allow_postgres: Option<String>,
    /// A fixed "now" (RFC 3339), demos and tests only [default: the system clock]
    #[arg(long, env = "TELNUSKA_NOW", value_name = "INSTANT")]
    pub now: Option<String>,
    /// The built app [default: dist]
    #[arg(long, env = "TELNUSKA_DIST", value_name = "DIR")]
    pub dist: Option<String>,
    /// Where people open the service, such as https://telnuska.kz: the base of the tracking links
    /// in SMS messages; required to serve outside demo mode [default: http:// + the listen
    /// address in demo mode]
    #[arg(long, env = "TELNUSKA_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// The SMS gateway: POST URL with {"to","text"} [default: the development outbox in demo
    /// mode, otherwise messages wait]
    #[arg(long, env = "TELNUSKA_SMS_URL", value_name = "URL")]
    pub sms_url: Option<String>,
    /// The SMS gateway's key, sent as `Authorization: Bearer KEY`
    #[arg(long, env = "TELNUSKA_SMS_KEY", value_name = "KEY", hide_env_values = true)]
    pub sms_key: Option<Secret>,
    /// The "Digital documents" service of eGov Mobile, to which a college's diploma is published
    /// [default: a stand-in in demo mode, otherwise approving a college duplicate answers 503]
    #[arg(long, env = "TELNUSKA_DIGITAL_DOCUMENTS_URL", value_name = "URL")]
    pub digital_documents_url: Option<String>,
    /// Its key, sent as `Authorization: Bearer KEY`
    #[arg(long, env = "TELNUSKA_DIGITAL_DOCUMENTS_KEY", value_name = "KEY", hide_env_values = true)]
    pub digital_documents_key: Option<Secret>,
    /// The state monitoring information system, told each stage of each application
    /// [default: reported to the log in demo mode, otherwise stages wait]
    #[arg(long, env = "TELNUSKA_MONITORING_URL", value_name = "URL")]
    pub monitoring_url: Option<String>,
    /// Its key, sent as `Authorization: Bearer KEY`
    #[arg(long, env = "TELNUSKA_MONITORING_KEY", value_name = "KEY", hide_env_values = true)]
    pub monitoring_key: Option<Secret>,
    /// The identity registry the desk looks a person up in: GET URL/{iin} [default: a demo
    /// registry in demo mode, otherwise every look-up answers "type by hand"]
    #[arg(long, env = "TELNUSKA_IDENTITY_REGISTRY_URL", value_name = "URL")]
    pub identity_registry_url: Option<String>,
    /// Its key, sent as `Authorization: Bearer KEY`
    #[arg(long, env = "TELNUSKA_IDENTITY_REGISTRY_KEY", value_name = "KEY", hide_env_values = true)]
    pub identity_registry_key: Option<Secret>,
    /// Seconds to wait for the identity registry [default: 5]
    #[arg(long, env = "TELNUSKA_IDENTITY_REGISTRY_TIMEOUT_SECS", value_name = "SECONDS")]
    pub identity_registry_timeout_secs: Option<String>,
    /// The EDS verifier: ncanode (needs TELNUSKA_NCANODE_URL), or test-double in demo mode only;
    /// any other name stops the start [default: none, EDS signatures are refused]
    #[arg(long, env = "TELNUSKA_EDS_VERIFIER", value_name = "NAME")]
    pub eds_verifier: Option<String>,
    /// NCANode's base address, such as http://ncanode:14579 (needed by ncanode)
    #[arg(long, env = "TELNUSKA_NCANODE_URL", value_name = "URL")]
    pub ncanode_url: Option<String>,
    /// Where people's NCALayer listens: told to the app and allowed in the CSP's connect-src
    /// [default: wss://127.0.0.1:13579]
    #[arg(long, env = "TELNUSKA_NCALAYER_URL", value_name = "URL")]
    pub ncalayer_url: Option<String>,
    /// Bytes anonymous callers may upload in an hour from one address [default: 200 MiB]
    #[arg(long, env = "TELNUSKA_UPLOAD_BYTES_PER_ADDRESS_HOUR", value_name = "BYTES")]
    pub upload_bytes_per_address_hour: Option<String>,
    /// Bytes anonymous callers may upload in an hour from everyone [default: 5 GiB]
    #[arg(long, env = "TELNUSKA_UPLOAD_BYTES_PER_HOUR", value_name = "BYTES")]
    pub upload_bytes_per_hour: Option<String>,
    /// 1 behind a TLS-terminating load balancer: the client's address from X-Forwarded-For, and
    /// HSTS when X-Forwarded-Proto is https [default: off]
    #[arg(long, env = "TELNUSKA_TRUST_PROXY", value_name = "1")]
    pub trust_proxy: Option<String>,
    /// How many trusted proxies append to X-Forwarded-For [default: 1]
    #[arg(long, env = "TELNUSKA_TRUSTED_HOPS", value_name = "N")]
    pub trusted_hops: Option<String>,
    /// Seconds a client has to send a request's headers, and again its body [default: 15]
    #[arg(long, env = "TELNUSKA_READ_TIMEOUT_SECS", value_name = "SECONDS")]
    pub read_timeout_secs: Option<String>,
    /// Seconds between background job passes; 0 = only on POST /api/admin/jobs/run [default: 30]
    #[arg(long, env = "TELNUSKA_JOB_INTERVAL_SECS", value_name = "SECONDS")]
    pub job_interval_secs: Option<String>,
    /// Seconds between reads of the institutions other instances added, on each instance
    /// [default: 30]
    #[arg(long, env = "TELNUSKA_REFERENCE_REFRESH_SECS", value_name = "SECONDS")]
    pub reference_refresh_secs: Option<String>,
    /// 1: JSON log lines with request ids (RUST_LOG sets the level) [default: off]
    #[arg(long, env = "TELNUSKA_LOG_JSON", value_name = "1")]
    pub log_json: Option<String>,
}

impl Settings {
    /// The settings of the environment alone (no command line), for embedding the server.
    pub fn from_env() -> Self {
        Cli::parse_from(["telnuska-server"]).settings
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::{Cli, Command, LogHead};

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn subcommands_parse_as_before() {
        let parse = |args: &[&str]| Cli::try_parse_from(std::iter::once("telnuska-server").chain(args.iter().copied())).map(|c| c.command);
        assert_eq!(parse(&[]).unwrap(), None);
        assert_eq!(parse(&["serve"]).unwrap(), Some(Command::Serve));
        assert_eq!(parse(&["backup", "/tmp/b.db"]).unwrap(), Some(Command::Backup { path: "/tmp/b.db".into() }));
        assert_eq!(parse(&["restore", "b.db"]).unwrap(), Some(Command::Restore { path: "b.db".into() }));
        assert_eq!(parse(&["verify"]).unwrap(), Some(Command::Verify { anchors: Vec::new() }));
        let hash = "AB".repeat(32);
        assert_eq!(
            parse(&["verify", "--anchor", &format!("№ 42:{hash}")]).unwrap(),
            Some(Command::Verify { anchors: vec![LogHead { cursor: 42, hash: hash.to_lowercase() }] })
        );
        assert!(parse(&["verify", "--anchor", "42"]).is_err());
        assert!(parse(&["verify", "--anchor", "42:abc"]).is_err());
        assert_eq!(parse(&["create-admin", "root"]).unwrap(), Some(Command::CreateAdmin { login: "root".into() }));
        assert!(parse(&["backup"]).is_err());
        assert!(parse(&["frobnicate"]).is_err());
    }
}
