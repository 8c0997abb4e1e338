//! The test dependencies from Debian's packages: Chromium, ChromeDriver, PostgreSQL, pdftotext and
//! Python's venv; starts PostgreSQL and makes a role for the tests, unless
//! `TELNUSKA_TEST_POSTGRES_URL` names one.

use std::process::Command;

use crate::{cmd, debian, tools};

const ROLE: &str = "telnuska_test";
const PASSWORD: &str = "telnuska_test";

/// Installs and starts what the tests need; returns the PostgreSQL URL the tests may use to
/// create their databases.
pub fn setup_test_deps() -> Result<String, String> {
    let mut missing = Vec::new();
    if !cmd::exists(tools::CHROMIUM) {
        missing.push("chromium");
    }
    if !cmd::exists(tools::CHROMEDRIVER) {
        missing.push("chromium-driver");
    }
    // The receipt tests read the PDFs' text with pdftotext.
    if !cmd::exists("pdftotext") {
        missing.push("poppler-utils");
    }
    // The API's property-based check runs schemathesis (PyPI) from a virtual environment.
    if !tools::python_has_venv() {
        missing.extend(["python3", "python3-venv"]);
    }
    let external_url = std::env::var("TELNUSKA_TEST_POSTGRES_URL").ok().filter(|u| !u.is_empty());
    if external_url.is_none() && !cmd::exists("pg_ctlcluster") {
        missing.extend(["postgresql", "postgresql-client"]);
    }
    if !missing.is_empty() {
        debian::install(&missing)?;
    }
    if let Some(url) = external_url {
        return Ok(url);
    }
    start_cluster()?;
    let sql = format!(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{ROLE}') THEN \
         CREATE ROLE {ROLE} LOGIN SUPERUSER PASSWORD '{PASSWORD}'; END IF; END $$;"
    );
    cmd::run(Command::new("runuser").args(["-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1", "-q", "-c", &sql]))?;
    Ok(format!("postgres://{ROLE}:{PASSWORD}@127.0.0.1:{}/postgres", cluster_port()?))
}

/// The first cluster that `pg_lsclusters` lists, as (version, name, port, status).
fn first_cluster() -> Result<(String, String, String, String), String> {
    let listing = cmd::output(Command::new("pg_lsclusters").arg("--no-header")).ok_or("pg_lsclusters failed")?;
    let line = listing.lines().next().ok_or("no PostgreSQL cluster; run: pg_createcluster 15 main")?;
    let f: Vec<&str> = line.split_whitespace().collect();
    match f.as_slice() {
        [version, name, port, status, ..] => Ok((version.to_string(), name.to_string(), port.to_string(), status.to_string())),
        _ => Err(format!("cannot read pg_lsclusters: {line}")),
    }
}

fn cluster_port() -> Result<String, String> {
    Ok(first_cluster()?.2)
}

fn start_cluster() -> Result<(), String> {
    let (version, name, _, status) = first_cluster()?;
    if status != "online" {
        cmd::run(Command::new("pg_ctlcluster").args([&version, &name, "start"]))?;
    }
    Ok(())
}
