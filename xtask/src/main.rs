//! Build, run and test orchestration, so that a fresh Debian machine needs only two commands:
//! `cargo xtask run` and `cargo xtask test` (README.md).

mod build_app;
mod cmd;
mod debian;
mod fuzz;
mod imports;
mod minify;
mod postgres;
mod prerender;
mod tools;
mod unused;
mod wire;

use std::path::PathBuf;
use std::process::ExitCode;

use cmd::joined;

const USAGE: &str = "usage: cargo xtask <run | test | build-app [--citizen] | setup-test-deps | fuzz [SECONDS] | wire [URL]>

  run               build the app and the server, start it on http://127.0.0.1:8080 (SQLite, demo data)
  test              install what the tests need, then run every test (unit, API, browser) on SQLite and PostgreSQL
  build-app         build the WebAssembly app into dist/ and print its size (--citizen: the citizen's page alone)
  setup-test-deps   install Chromium, ChromeDriver, PostgreSQL, axe-core and schemathesis, and start PostgreSQL
  fuzz [SECONDS]    run each coverage-guided fuzz target of shared/fuzz/ for SECONDS (default 600; needs nightly Rust)
  wire [URL]        what a first visit of the citizen's page costs on the wire, headers included, from a running server
                    (default http://127.0.0.1:8080, as `run` starts it)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&args[1..]),
        Some("test") => test(&args[1..]),
        Some("fuzz") => fuzz::fuzz(&args[1..]),
        Some("wire") => wire::wire(&args[1..]),
        Some("build-app") => match args.get(1).map(String::as_str) {
            None => build_app::build_app(build_app::Scope::All).map(|_| ()),
            Some("--citizen") => build_app::build_app(build_app::Scope::Citizen).map(|_| ()),
            Some(other) => Err(format!("build-app: unknown option {other}\n{USAGE}")),
        },
        Some("setup-test-deps") => postgres::setup_test_deps().and_then(|_| tools::ensure_axe()).and_then(|_| tools::ensure_schemathesis()).map(|_| ()),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Builds everything in release mode and runs the server in the foreground.
fn run(extra: &[String]) -> Result<(), String> {
    build_app::build_app(build_app::Scope::All)?;
    let root = cmd::workspace_root();
    let mut command = std::process::Command::new("cargo");
    command.current_dir(&root).args(["run", "--release", "--package", "telnuska-server", "--"]).args(extra).env("TELNUSKA_DIST", root.join("dist"));
    set_default_env(&mut command, "TELNUSKA_DEMO", "1");
    set_default_env(&mut command, "TELNUSKA_ADDR", "127.0.0.1:8080");
    set_default_env(&mut command, "DATABASE_URL", "sqlite://telnuska.db");
    cmd::run(&mut command)
}

fn set_default_env(command: &mut std::process::Command, key: &str, value: &str) {
    if std::env::var_os(key).is_none() {
        command.env(key, value);
    }
}

/// Style is never a review topic: the formatting, clippy's lints (warnings denied) and the
/// absence of import cycles ([`imports`]) are checked before any test runs.
fn lint() -> Result<(), String> {
    imports::check()?;
    tools::ensure_lint_components()?;
    let root = cmd::workspace_root();
    cmd::run(std::process::Command::new("cargo").current_dir(&root).args(["fmt", "--all", "--check"]))?;
    cmd::run(std::process::Command::new("cargo").current_dir(&root).args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--test",
        "browser",
        "--",
        "-D",
        "warnings",
    ]))
}

/// Installs what the tests need, builds the app and the server, and runs every test.
///
/// CI has two cores and half an hour, so nothing waits that need not: Debian's packages,
/// PostgreSQL and the npm and PyPI tools (mostly network and disk) install, and the app builds
/// (its wasm and its first screen in profiles of their own, with wasm-bindgen-cli in a folder of
/// its own), while the lint and then the tests compile (dev); the browser suite runs beside the
/// others (both mostly wait: on servers, databases and Chromium's timers).
fn test(extra: &[String]) -> Result<(), String> {
    let setup = std::thread::spawn(|| -> Result<(String, PathBuf, PathBuf), String> {
        let postgres_url = postgres::setup_test_deps()?;
        Ok((postgres_url, tools::ensure_axe()?, tools::ensure_schemathesis()?))
    });
    let app = std::thread::spawn(|| build_app::build_app(build_app::Scope::All));
    if let Err(e) = lint() {
        // Said once the builds beside it ended, so that none is left running on its own.
        let _ = (joined(app), joined(setup));
        return Err(e);
    }
    let root = cmd::workspace_root();
    let server_bin = cmd::target_dir().join("debug").join("telnuska-server");
    let cargo_test = |args: &[&str]| {
        let mut command = std::process::Command::new("cargo");
        command.current_dir(&root).arg("test").args(args).args(extra);
        command
    };
    // Compiled first, once: the runs below, side by side, then only run. Each selects the whole
    // workspace (the browser suite by name, `test = false` keeping it out of the other run), so
    // both see the same features and no crate is compiled twice. The server's binary, which the
    // tests start, is built here too (its package has integration tests): a `cargo build` of the
    // server alone would select other features of tokio, serde, sqlx… and compile them again.
    cmd::run(&mut cargo_test(&["--workspace", "--no-run"]))?;
    cmd::run(&mut cargo_test(&["--workspace", "--test", "browser", "--no-run"]))?;
    if !server_bin.exists() {
        return Err(format!("{} was not built by the tests' compilation", server_bin.display()));
    }
    joined(app)?;
    let (postgres_url, axe, schemathesis) = joined(setup)?;
    let wasm_bindgen = tools::ensure_wasm_bindgen()?;
    let run_tests = |args: &[&str]| {
        let mut command = cargo_test(args);
        command
            .env("TELNUSKA_SERVER_BIN", &server_bin)
            .env("TELNUSKA_DIST", root.join("dist"))
            .env("TELNUSKA_TEST_POSTGRES_URL", &postgres_url)
            .env("TELNUSKA_AXE", &axe)
            .env("TELNUSKA_SCHEMATHESIS", &schemathesis)
            .env("CHROMEDRIVER", tools::CHROMEDRIVER)
            .env("CHROMIUM", tools::CHROMIUM);
        command
    };
    let browser = {
        let mut command = run_tests(&["--workspace", "--test", "browser", "--no-fail-fast"]);
        std::thread::spawn(move || cmd::run(&mut command))
    };
    // The shared crate's test vectors once more, compiled to wasm and run in headless Chromium:
    // the browser must give the server's answers. The runner is installed beside wasm-bindgen.
    let runner = match wasm_bindgen.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        Some(dir) => dir.join("wasm-bindgen-test-runner"),
        None => PathBuf::from("wasm-bindgen-test-runner"),
    };
    let mut vectors = std::process::Command::new("cargo");
    vectors
        .current_dir(&root)
        .args(["test", "--package", "telnuska-shared", "--target", "wasm32-unknown-unknown", "--test", "vectors"])
        .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", runner)
        .env("CHROMEDRIVER", tools::CHROMEDRIVER)
        .env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    let wasm = std::thread::spawn(move || cmd::run(&mut vectors));
    let others = cmd::run(&mut run_tests(&["--workspace", "--no-fail-fast"]));
    let (browser, wasm) = (joined(browser), joined(wasm));
    let failed: Vec<String> = [others, browser, wasm].into_iter().filter_map(Result::err).collect();
    if failed.is_empty() {
        Ok(())
    } else {
        Err(failed.join("\n"))
    }
}
