//! Builds the SPA into `dist/`: cargo (wasm32, `wasm-release` profile) → wasm-bindgen → wasm-opt
//! → content-hashed file names → `public/` templates filled in → `.br`/`.gz` copies → size report.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::{cmd, tools};

/// The budget for the app's initial transfer, compressed (issue: citizen app).
const BUDGET_BYTES: u64 = 250 * 1024;

/// Files the server sends compressed; others (icons in SVG aside) are small or already compressed.
const COMPRESSIBLE: [&str; 8] = ["html", "js", "css", "wasm", "svg", "webmanifest", "json", "txt"];
/// The languages of the interface (`shared/i18n/<code>.txt`).
const LANGUAGES: [&str; 3] = ["kk", "ru", "en"];

/// Builds `dist/` and returns its path.
pub fn build_app() -> Result<PathBuf, String> {
    tools::ensure_wasm_target()?;
    let root = cmd::workspace_root();
    cmd::run(Command::new("cargo").current_dir(&root).args([
        "build",
        "--package",
        "telnuska-app",
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]))?;
    let wasm_bindgen = tools::ensure_wasm_bindgen()?;
    let wasm_opt = tools::ensure_wasm_opt()?;

    let target = cmd::target_dir();
    let raw_wasm = target.join("wasm32-unknown-unknown/wasm-release/telnuska-app.wasm");
    let bindgen_out = target.join("wasm-bindgen");
    let _ = fs::remove_dir_all(&bindgen_out);
    cmd::run(Command::new(&wasm_bindgen).arg(&raw_wasm).args(["--target", "web", "--no-typescript", "--out-name", "app", "--out-dir"]).arg(&bindgen_out))?;
    let bindgen_wasm = bindgen_out.join("app_bg.wasm");
    let optimised = bindgen_out.join("app_bg.opt.wasm");
    cmd::run(
        Command::new(&wasm_opt)
            .args(["-Oz", "--converge", "--strip-debug", "--strip-producers"])
            .args(["--enable-bulk-memory", "--enable-mutable-globals", "--enable-nontrapping-float-to-int"])
            .args(["--enable-sign-ext", "--enable-reference-types", "--enable-multivalue"])
            .arg(&bindgen_wasm)
            .arg("-o")
            .arg(&optimised),
    )?;

    // `TELNUSKA_DIST` (as the server and the tests read it) lets parallel work keep builds apart.
    let dist = std::env::var_os("TELNUSKA_DIST").map_or_else(|| root.join("dist"), PathBuf::from);
    let _ = fs::remove_dir_all(&dist);
    fs::create_dir_all(dist.join("assets")).map_err(io_err(&dist))?;

    // Hashed assets: the names change with the content, so they can be cached for a year.
    let mut names: Vec<(String, String)> = Vec::new();
    add_hashed(&dist, &mut names, "app_bg.wasm", read(&optimised)?)?;
    add_hashed(&dist, &mut names, "app.js", read(&bindgen_out.join("app.js"))?)?;
    add_hashed(&dist, &mut names, "styles.css", read(&root.join("public/styles.css"))?)?;
    // The message catalogues travel as text assets: a first visit fetches only its language's.
    for lang in LANGUAGES {
        add_hashed(&dist, &mut names, &format!("i18n-{lang}.txt"), read(&root.join(format!("shared/i18n/{lang}.txt")))?)?;
    }
    let boot = fill(&read_string(&root.join("public/boot.js"))?, &names);
    add_hashed(&dist, &mut names, "boot.js", boot.into_bytes())?;

    let index = fill(&read_string(&root.join("public/index.html"))?, &names);
    write(&dist.join("index.html"), index.as_bytes())?;
    copy_dir(&root.join("public/icons"), &dist.join("icons"))?;
    fs::copy(root.join("public/manifest.webmanifest"), dist.join("manifest.webmanifest")).map_err(io_err(&dist))?;

    let assets: Vec<String> =
        names.iter().map(|(_, n)| format!("\"/{n}\"")).chain(["\"/manifest.webmanifest\"".into(), "\"/icons/icon.svg\"".into()]).collect();
    let version = short_hash(assets.join(",").as_bytes());
    let sw = read_string(&root.join("public/sw.js"))?.replace("{{version}}", &version).replace("{{assets}}", &format!("[{}]", assets.join(", ")));
    write(&dist.join("sw.js"), sw.as_bytes())?;

    compress_all(&dist)?;
    report_sizes(&dist, &names);
    Ok(dist)
}

/// Writes `content` as `assets/<stem>-<hash>.<ext>` and records it under its placeholder.
fn add_hashed(dist: &Path, names: &mut Vec<(String, String)>, placeholder: &str, content: Vec<u8>) -> Result<(), String> {
    let (stem, ext) = placeholder.split_once('.').expect("placeholders are file names");
    let name = format!("assets/{stem}-{}.{ext}", short_hash(&content));
    write(&dist.join(&name), &content)?;
    names.push((placeholder.to_string(), name));
    Ok(())
}

/// Replaces `{{placeholder}}` with the hashed name.
fn fill(template: &str, names: &[(String, String)]) -> String {
    names.iter().fold(template.to_string(), |t, (placeholder, name)| t.replace(&format!("{{{{{placeholder}}}}}"), name))
}

fn short_hash(content: &[u8]) -> String {
    hex::encode(&Sha256::digest(content)[..6])
}

fn io_err(path: &Path) -> impl Fn(std::io::Error) -> String + '_ {
    move |e| format!("{}: {e}", path.display())
}

fn read(path: &Path) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(io_err(path))
}

fn read_string(path: &Path) -> Result<String, String> {
    fs::read_to_string(path).map_err(io_err(path))
}

fn write(path: &Path, content: &[u8]) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_err(parent))?;
    }
    fs::write(path, content).map_err(io_err(path))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    fs::create_dir_all(to).map_err(io_err(to))?;
    for entry in fs::read_dir(from).map_err(io_err(from))? {
        let entry = entry.map_err(io_err(from))?;
        fs::copy(entry.path(), to.join(entry.file_name())).map_err(io_err(to))?;
    }
    Ok(())
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files(&path))
        } else {
            out.push(path)
        }
    }
    out
}

/// Writes `.br` (quality 11) and `.gz` (level 9) beside every compressible file.
fn compress_all(dist: &Path) -> Result<(), String> {
    for path in files(dist) {
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !COMPRESSIBLE.contains(&ext) {
            continue;
        }
        let content = read(&path)?;
        let mut br = Vec::new();
        brotli::BrotliCompress(&mut content.as_slice(), &mut br, &brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 22, ..Default::default() })
            .map_err(io_err(&path))?;
        write(&PathBuf::from(format!("{}.br", path.display())), &br)?;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&content).map_err(io_err(&path))?;
        write(&PathBuf::from(format!("{}.gz", path.display())), &gz.finish().map_err(io_err(&path))?)?;
    }
    Ok(())
}

fn size(path: &Path) -> u64 {
    fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// Prints raw and brotli sizes of what a first visit downloads, and the ratio to the budget. A
/// visit fetches the catalogue of one language: the largest is counted, the worst case.
fn report_sizes(dist: &Path, names: &[(String, String)]) {
    let sizes = |name: &str| (size(&dist.join(name)), size(&dist.join(format!("{name}.br"))));
    let is_catalogue = |placeholder: &str| placeholder.starts_with("i18n-");
    let largest_catalogue = names.iter().filter(|(p, _)| is_catalogue(p)).max_by_key(|(_, n)| sizes(n).1).map(|(_, n)| n.clone());
    let (mut raw_total, mut br_total) = (0, 0);
    println!("app size (initial transfer, as the server sends it):");
    for (placeholder, name) in std::iter::once(("index.html".to_string(), "index.html".to_string())).chain(names.iter().cloned()) {
        let (raw, br) = sizes(&name);
        let counted = !is_catalogue(&placeholder) || largest_catalogue.as_deref() == Some(name.as_str());
        if counted {
            raw_total += raw;
            br_total += br;
        }
        let note = if !is_catalogue(&placeholder) {
            ""
        } else if counted {
            "  (one language per visit: the largest counted)"
        } else {
            "  (not counted)"
        };
        println!("  {name:<40} {raw:>9} B raw {br:>9} B brotli{note}");
    }
    println!("  total {raw_total} B raw, {br_total} B brotli = {:.1}% of the {} KB budget", br_total as f64 * 100.0 / BUDGET_BYTES as f64, BUDGET_BYTES / 1024);
}
