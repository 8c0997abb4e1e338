//! The citizen's first screen for `index.html` (`app/src/first_screen.rs`): the app's own
//! components rendered to HTML on this machine by its `first_screen` example, built with the
//! `prerender` feature (Leptos's `ssr`), so the page and the app have one source of markup.

use std::process::{Command, Stdio};

use crate::cmd;

/// The first screen's markup, `<div id="first-screen">…</div>`.
pub fn first_screen() -> Result<String, String> {
    let line = "cargo run --package telnuska-app --profile prerender --example first_screen --features prerender";
    // Its output is said only when it fails (Leptos warns of each signal read outside a view).
    eprintln!("+ {line}");
    let started = std::time::Instant::now();
    let out = Command::new("cargo")
        .current_dir(cmd::workspace_root())
        .args(["run", "--quiet", "--package", "telnuska-app", "--profile", "prerender", "--example", "first_screen", "--features", "prerender"])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("{line}: cannot start: {e}"))?;
    if !out.status.success() {
        return Err(format!("{line}: {}\n{}", out.status, String::from_utf8_lossy(&out.stderr)));
    }
    eprintln!("+ {:.0} s: {line}", started.elapsed().as_secs_f64());
    let html = String::from_utf8(out.stdout).map_err(|e| format!("{line}: {e}"))?;
    if !html.starts_with(r#"<div id="first-screen">"#) || !html.contains(r#"name="service""#) {
        return Err(format!("{line}: not the first screen: {html:.200}"));
    }
    Ok(html)
}
