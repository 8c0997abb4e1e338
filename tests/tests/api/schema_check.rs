//! The live server against its own OpenAPI document, by property-based testing: schemathesis
//! (PyPI; `cargo xtask test` installs the pinned release and names it in `TELNUSKA_SCHEMATHESIS`)
//! generates requests from `/api/openapi.json` — valid ones, boundary values and garbage — as an
//! anonymous caller and as each staff role, and fails on any 5xx, any status or content type the
//! document does not list, and any answer that breaks its schema.

use std::process::Command;

use telnuska_tests::{Backend, TestApp};

/// Examples per operation and phase; `TELNUSKA_SCHEMATHESIS_EXAMPLES` raises it for a long run.
const EXAMPLES: &str = "10";
/// The seed, printed with a failure so that the same requests replay.
const SEED: &str = "20261201";

fn schemathesis() -> std::path::PathBuf {
    std::env::var_os("TELNUSKA_SCHEMATHESIS")
        .map(Into::into)
        .unwrap_or_else(|| telnuska_tests::server::workspace_root().join(".tools/schemathesis/bin/schemathesis"))
}

/// Runs schemathesis against `app` with `token` (none: anonymous) through `phases`; returns its
/// summary (operations, test cases generated and passed), or its report on failure.
fn check(app: &TestApp, token: Option<&str>, phases: &str) -> Result<String, String> {
    let examples = std::env::var("TELNUSKA_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| EXAMPLES.to_string());
    let seed = std::env::var("TELNUSKA_SCHEMATHESIS_SEED").unwrap_or_else(|_| SEED.to_string());
    let mut command = Command::new(schemathesis());
    command
        .arg("run")
        .arg(app.url("/api/openapi.json"))
        .args(["--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"])
        .args(["--phases", phases, "--max-examples", &examples, "--seed", &seed])
        .args(["--request-timeout", "30", "--continue-on-failure", "--no-color", "--warnings", "off"]);
    if let Some(token) = token {
        // Logging out would end the session the rest of the run uses.
        command.args(["--header", &format!("Authorization: Bearer {token}"), "--exclude-path", "/api/auth/logout"]);
    }
    let output = command.output().map_err(|e| format!("{}: {e} (run `cargo xtask setup-test-deps`)", schemathesis().display()))?;
    if output.status.success() {
        let report = String::from_utf8_lossy(&output.stdout);
        return Ok(report.rfind("SUMMARY").map_or(report.as_ref(), |at| &report[at..]).trim().to_string());
    }
    Err(format!("seed {seed}\n{}\n{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr)))
}

async fn the_server_keeps_to_its_openapi_document_whatever_it_is_sent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // Every session first: the run's wrong passwords on `/api/auth/login` meet the limit per address.
    // The coverage phase (every boundary and wrong type of every parameter) as the anonymous caller
    // and the administrator, who between them reach every route's validation; random requests as
    // each role, which reach the routes only that role may use.
    let mut callers = vec![("anonymous", None, "coverage,fuzzing")];
    for role in ["admin", "operator", "provider", "field"] {
        callers.push((role, Some(app.login(role).await), if role == "admin" { "coverage,fuzzing" } else { "fuzzing" }));
    }
    let failures: Vec<String> = callers
        .iter()
        .filter_map(|(who, token, phases)| match check(&app, token.as_deref(), phases) {
            // Shown with `--nocapture`: how many cases the run sent.
            Ok(summary) => {
                println!("── {backend:?}, as {who} ({phases}) ──\n{summary}");
                None
            }
            Err(report) => Some(format!("── as {who} ──\n{report}")),
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

crate::on_both_backends!(the_server_keeps_to_its_openapi_document_whatever_it_is_sent);
