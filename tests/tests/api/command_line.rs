//! The command line: `--help` documents every variable of the README's configuration table and
//! every subcommand, and a configuration the server cannot honour stops the start.

use std::collections::BTreeSet;
use std::process::{Command, Output};

use telnuska_tests::server::{server_bin, workspace_root};

/// Runs the server binary with only `env` in its environment.
fn run(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(server_bin());
    command.env_clear().env("PATH", std::env::var_os("PATH").unwrap_or_default()).args(args);
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("run telnuska-server")
}

fn printed(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

fn readme() -> String {
    std::fs::read_to_string(workspace_root().join("README.md")).expect("read README.md")
}

/// The variables named in the first column of the README's configuration table.
fn readme_variables() -> BTreeSet<String> {
    readme()
        .lines()
        .filter_map(|line| line.strip_prefix("| `"))
        .filter_map(|row| row.split(" | ").next())
        .flat_map(|cell| cell.split(", ").map(|name| name.trim_matches('`').to_string()).collect::<Vec<_>>())
        .filter(|name| name.starts_with("TELNUSKA_") || name == "DATABASE_URL")
        .collect()
}

/// The variables `--help` says it reads (`[env: NAME…]`).
fn help_variables(help: &str) -> BTreeSet<String> {
    help.split("[env: ").skip(1).filter_map(|rest| rest.split(['=', ']']).next()).map(str::to_string).collect()
}

#[test]
fn help_documents_every_variable_of_the_readme_and_the_readme_every_one_of_help() {
    let out = run(&["--help"], &[]);
    assert!(out.status.success(), "{}", printed(&out));
    let help = String::from_utf8_lossy(&out.stdout);
    let (in_readme, documented) = (readme_variables(), help_variables(&help));
    assert!(
        in_readme.len() >= 25 && in_readme.contains("TELNUSKA_SMS_KEY") && in_readme.contains("DATABASE_URL"),
        "the README's table was read: {in_readme:?}"
    );
    let missing: Vec<_> = in_readme.difference(&documented).collect();
    let text = readme();
    let unknown: Vec<_> = documented.iter().filter(|name| !text.contains(&format!("`{name}")) && !text.contains(&format!("{name}="))).collect();
    assert!(missing.is_empty(), "in the README but not in --help: {missing:?}\n{help}");
    assert!(unknown.is_empty(), "in --help but not in the README: {unknown:?}");
    for subcommand in ["serve", "backup", "restore", "verify", "create-admin"] {
        assert!(help.lines().any(|line| line.trim_start().starts_with(&format!("{subcommand} "))), "subcommand {subcommand} in --help:\n{help}");
    }
}

#[test]
fn help_never_shows_the_value_of_a_secret() {
    let env = [("TELNUSKA_SMS_KEY", "sms-key-in-help"), ("TELNUSKA_IDENTITY_REGISTRY_KEY", "ir-key-in-help"), ("DATABASE_URL", "postgres://u:pw-in-help@db/x")];
    let out = run(&["--help"], &env);
    let help = printed(&out);
    assert!(help.contains("TELNUSKA_SMS_KEY"), "{help}");
    for secret in ["sms-key-in-help", "ir-key-in-help", "pw-in-help"] {
        assert!(!help.contains(secret), "{secret} printed:\n{help}");
    }
}

#[test]
fn an_unknown_eds_verifier_stops_the_start_and_names_the_allowed_values() {
    let dir = telnuska_tests::server::TempDir::new("telnuska-eds-verifier");
    let database = format!("sqlite://{}", dir.0.join("never.db").display());
    let env = [("DATABASE_URL", database.as_str()), ("TELNUSKA_DEMO", "1"), ("TELNUSKA_ADDR", "127.0.0.1:0"), ("TELNUSKA_EDS_VERIFIER", "ncanod")];
    let out = run(&[], &env);
    let said = printed(&out);
    assert!(!out.status.success(), "the server must not start: {said}");
    assert!(said.contains("TELNUSKA_EDS_VERIFIER") && said.contains("\"ncanod\""), "{said}");
    assert!(said.contains("ncanode") && said.contains("test-double"), "the allowed values are named: {said}");
    assert!(!said.contains("listening on"), "{said}");
    assert!(!dir.0.join("never.db").exists(), "refused before touching the database");
}

#[test]
fn an_unknown_subcommand_is_refused_with_the_usage() {
    let out = run(&["frobnicate"], &[]);
    assert!(!out.status.success());
    assert!(printed(&out).contains("Usage: telnuska-server"), "{}", printed(&out));
}
