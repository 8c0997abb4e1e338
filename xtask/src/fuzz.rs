//! `cargo xtask fuzz [SECONDS]`: the coverage-guided fuzz targets of `shared/fuzz/` (libFuzzer
//! through cargo-fuzz, which needs nightly Rust), each for SECONDS (default 600), starting from
//! the checked-in seeds and the corpus earlier runs grew. A crash stops the run and names the
//! input to replay (`cargo +nightly fuzz run TARGET ARTIFACT` in `shared/`).

use std::process::Command;

use crate::cmd;

/// The pinned cargo-fuzz release (crates.io).
const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// Every target in `shared/fuzz/Cargo.toml`.
const TARGETS: [&str; 4] = ["text_parsers", "application_json", "action_json", "register_line"];

pub fn fuzz(args: &[String]) -> Result<(), String> {
    let seconds: u64 = match args.first() {
        None => 600,
        Some(raw) => raw.parse().map_err(|_| format!("SECONDS must be a whole number, not {raw:?}"))?,
    };
    if !cmd::output(Command::new("rustup").args(["toolchain", "list"])).is_some_and(|list| list.lines().any(|l| l.starts_with("nightly"))) {
        return Err("fuzzing needs nightly Rust: `rustup toolchain install nightly --profile minimal`".into());
    }
    let root = cmd::workspace_root();
    let tools = root.join(".tools/cargo-fuzz");
    let cargo_fuzz = tools.join("bin/cargo-fuzz");
    if !cargo_fuzz.exists() {
        cmd::run(Command::new("cargo").args(["install", "--locked", "--version", CARGO_FUZZ_VERSION, "--root"]).arg(&tools).arg("cargo-fuzz"))?;
    }
    let shared = root.join("shared");
    let mut report = Vec::new();
    for target in TARGETS {
        let corpus = shared.join("fuzz/corpus").join(target);
        std::fs::create_dir_all(&corpus).map_err(|e| format!("{}: {e}", corpus.display()))?;
        let started = std::time::Instant::now();
        cmd::run(
            Command::new(&cargo_fuzz)
                .current_dir(&shared)
                .env("RUSTUP_TOOLCHAIN", "nightly")
                .args(["fuzz", "run", "--release", target])
                .arg(&corpus)
                .arg(shared.join("fuzz/seeds").join(target))
                .args(["--", &format!("-max_total_time={seconds}"), "-print_final_stats=1"]),
        )?;
        let inputs = std::fs::read_dir(&corpus).map(Iterator::count).unwrap_or(0);
        report.push(format!("{target}: {} s, no crash, corpus {inputs} inputs", started.elapsed().as_secs()));
    }
    println!("fuzzing done:\n  {}", report.join("\n  "));
    Ok(())
}
