//! Running commands and finding the workspace's folders.

use std::path::PathBuf;
use std::process::Command;

/// The workspace root (the parent of this crate's folder).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

/// Cargo's target folder, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => {
            let dir = PathBuf::from(dir);
            if dir.is_absolute() {
                dir
            } else {
                workspace_root().join(dir)
            }
        }
        None => workspace_root().join("target"),
    }
}

/// Runs a command with inherited output; fails with the command line if it fails.
pub fn run(command: &mut Command) -> Result<(), String> {
    let line = describe(command);
    eprintln!("+ {line}");
    let started = std::time::Instant::now();
    let status = command.status().map_err(|e| format!("{line}: cannot start: {e}"))?;
    // Each step's time in the log, so a slow CI run says which step to make faster.
    eprintln!("+ {:.0} s: {line}", started.elapsed().as_secs_f64());
    if status.success() {
        Ok(())
    } else {
        Err(format!("{line}: {status}"))
    }
}

/// Runs a command and returns its standard output, or `None` if it cannot run or fails.
pub fn output(command: &mut Command) -> Option<String> {
    let out = command.output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn describe(command: &Command) -> String {
    std::iter::once(command.get_program().to_string_lossy().into_owned())
        .chain(command.get_args().map(|a| a.to_string_lossy().into_owned()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether a program is on the PATH or at this path.
pub fn exists(program: &str) -> bool {
    if program.contains('/') {
        return std::path::Path::new(program).exists();
    }
    std::env::var_os("PATH").map(|paths| std::env::split_paths(&paths).any(|p| p.join(program).is_file())).unwrap_or(false)
}

/// What a step run beside the others returned (a panic in it is an error like any other).
pub fn joined<T>(step: std::thread::JoinHandle<Result<T, String>>) -> Result<T, String> {
    step.join().unwrap_or_else(|_| Err("a step running beside the others panicked".into()))
}
