//! Installs the build tools on first use, from the package registries only: the wasm32 target
//! (rustup), wasm-bindgen-cli of the version in Cargo.lock (crates.io), wasm-opt (the npm
//! package `binaryen`; Debian's is too old and its `-Oz` output crashes in the browser) and
//! terser (npm).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{cmd, debian};

/// Debian's Chromium.
pub const CHROMIUM: &str = "/usr/bin/chromium";
/// Debian's ChromeDriver.
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The npm package that carries a current wasm-opt.
const BINARYEN_NPM: &str = "binaryen@132.0.0";

/// Adds the wasm32 target if rustup does not have it yet.
pub fn ensure_wasm_target() -> Result<(), String> {
    let installed = cmd::output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    cmd::run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// Adds rustfmt and clippy if rustup's profile left them out (the "minimal" profile does).
pub fn ensure_lint_components() -> Result<(), String> {
    let installed = cmd::output(Command::new("rustup").args(["component", "list", "--installed"])).unwrap_or_default();
    let missing: Vec<&str> = ["rustfmt", "clippy"].into_iter().filter(|c| !installed.lines().any(|l| l.trim().starts_with(&format!("{c}-")))).collect();
    if missing.is_empty() {
        return Ok(());
    }
    cmd::run(Command::new("rustup").args(["component", "add"]).args(&missing))
}

/// The wasm-bindgen version that Cargo.lock pins.
fn locked_wasm_bindgen_version() -> Result<String, String> {
    let lock = std::fs::read_to_string(cmd::workspace_root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.trim().strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

/// Returns the path of a wasm-bindgen CLI of exactly the locked version, installing it with
/// `cargo install` (into `.tools/`) when missing. Not `--locked`: its lockfile pins a crate
/// version the registry does not serve.
pub fn ensure_wasm_bindgen() -> Result<PathBuf, String> {
    let version = locked_wasm_bindgen_version()?;
    let wanted = format!("wasm-bindgen {version}");
    let candidates = [cmd::workspace_root().join(".tools/bin/wasm-bindgen"), PathBuf::from("wasm-bindgen")];
    for candidate in &candidates {
        let found = cmd::output(Command::new(candidate).arg("--version")).unwrap_or_default();
        if found.trim() == wanted {
            return Ok(candidate.clone());
        }
    }
    eprintln!("installing wasm-bindgen-cli {version} (several minutes, once)");
    // Built at opt-level 1, which takes far less time to compile and still runs through our few
    // bundles in seconds; without its default TLS stack (rustls and ring), which only its test
    // runner's downloads use, and the tests name their ChromeDriver.
    cmd::run(
        Command::new("cargo")
            .args(["install", "wasm-bindgen-cli", "--no-default-features", "--version", &version, "--root"])
            .arg(cmd::workspace_root().join(".tools"))
            .env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "1"),
    )?;
    Ok(candidates[0].clone())
}

/// Returns the path of wasm-opt from the pinned npm `binaryen`, installing it into `.tools/`.
pub fn ensure_wasm_opt() -> Result<PathBuf, String> {
    ensure_npm_command(&cmd::workspace_root().join(".tools"), BINARYEN_NPM, "wasm-opt")
}

/// The pinned terser release (npm), which shrinks the JavaScript the pages load.
const TERSER_NPM: &str = "terser@5.51.2";

/// Returns the path of terser, installing it from npm into `.tools/terser/` (a folder of its
/// own, as axe-core: an install into `.tools/` would prune binaryen).
pub fn ensure_terser() -> Result<PathBuf, String> {
    ensure_npm_command(&cmd::workspace_root().join(".tools/terser"), TERSER_NPM, "terser")
}

/// Returns the path of the command `name` of the npm `package`, installing the package into
/// `prefix` when the command does not answer `--version`.
fn ensure_npm_command(prefix: &Path, package: &str, name: &str) -> Result<PathBuf, String> {
    let bin = prefix.join("node_modules/.bin").join(name);
    if cmd::output(Command::new(&bin).arg("--version")).is_some() {
        return Ok(bin);
    }
    ensure_npm()?;
    std::fs::create_dir_all(prefix).map_err(|e| format!("{}: {e}", prefix.display()))?;
    cmd::run(Command::new("npm").current_dir(prefix).args(["install", "--no-audit", "--no-fund", "--no-save", "--prefix"]).arg(prefix).arg(package))?;
    Ok(bin)
}

/// Installs npm (and Node.js with it) from Debian when the machine has none.
fn ensure_npm() -> Result<(), String> {
    if cmd::exists("npm") {
        return Ok(());
    }
    debian::install(&["npm"])
}

/// The pinned axe-core release (npm) that the browser tests inject to check accessibility.
const AXE_CORE_NPM: &str = "axe-core@4.14.1";

/// Returns the path of axe-core's script, installing it from npm into `.tools/axe/` (a folder of
/// its own: `npm install --prefix` prunes what it was not asked for, such as binaryen).
pub fn ensure_axe() -> Result<PathBuf, String> {
    let prefix = cmd::workspace_root().join(".tools/axe");
    let script = prefix.join("node_modules/axe-core/axe.min.js");
    if script.exists() {
        return Ok(script);
    }
    std::fs::create_dir_all(&prefix).map_err(|e| format!("{}: {e}", prefix.display()))?;
    ensure_npm()?;
    cmd::run(Command::new("npm").args(["install", "--no-audit", "--no-fund", "--no-save", "--prefix"]).arg(&prefix).arg(AXE_CORE_NPM))?;
    Ok(script)
}

/// The pinned schemathesis release (PyPI) that checks the live API against its OpenAPI document.
const SCHEMATHESIS_PYPI: &str = "schemathesis==4.32.5";

/// The Python that makes virtual environments: Debian's when present (a Python of a version
/// manager earlier in `PATH` may lack `venv`), else whichever `python3` is first in `PATH`.
fn python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// Whether [`python`] can make a virtual environment with pip (Debian splits `ensurepip` off
/// into `python3-venv`).
pub fn python_has_venv() -> bool {
    Command::new(python()).args(["-c", "import venv, ensurepip"]).output().is_ok_and(|o| o.status.success())
}

/// Returns the path of the schemathesis command, installing the pinned release from PyPI into a
/// virtual environment in `.tools/schemathesis/`.
pub fn ensure_schemathesis() -> Result<PathBuf, String> {
    let venv = cmd::workspace_root().join(".tools/schemathesis");
    let command = venv.join("bin/schemathesis");
    let pinned = venv.join(SCHEMATHESIS_PYPI);
    if command.exists() && pinned.exists() {
        return Ok(command);
    }
    cmd::run(Command::new(python()).args(["-m", "venv", "--clear"]).arg(&venv))?;
    cmd::run(Command::new(venv.join("bin/pip")).args(["install", "--quiet", "--disable-pip-version-check", SCHEMATHESIS_PYPI]))?;
    std::fs::write(&pinned, "").map_err(|e| format!("{}: {e}", pinned.display()))?;
    Ok(command)
}
