//! Builds the SPA into `dist/`: cargo (wasm32, `wasm-release` profile) → wasm-bindgen → wasm-opt
//! → content-hashed file names → `public/` templates filled in → `.br`/`.gz` copies → size report.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};
use telnuska_shared::pages::{self, Page};

use crate::{cmd, minify, prerender, tools, unused};

/// The budget for the citizen app's initial transfer, compressed (issue: citizen app).
pub const BUDGET_BYTES: u64 = 250 * 1024;
/// Each staff page's budget, compressed (issue: staff workspace).
const STAFF_BUDGET_BYTES: u64 = 400 * 1024;

/// Files the server sends compressed; others (icons in SVG aside) are small or already compressed.
const COMPRESSIBLE: [&str; 8] = ["html", "js", "css", "wasm", "svg", "webmanifest", "json", "txt"];
/// The WebAssembly features the browsers we support have (wasm-opt's flags).
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-mutable-globals",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-reference-types",
    "--enable-multivalue",
];
/// The languages of the interface (`shared/i18n/<code>.txt`).
const LANGUAGES: [&str; 3] = ["kk", "ru", "en"];

/// The downloads built from `app/`, one per page of `telnuska_shared::pages`: each binary (named
/// as the page's entry) links only what its page uses.
struct Bundle {
    /// The page: its binary and outputs (`<entry>.js`, `<entry>_bg.wasm`), file and paths.
    page: Page,
    /// The message catalogues it loads, per language, in this order (`shared/i18n/<dir><lang>.txt`).
    catalogue_dirs: &'static [&'static str],
    /// Its budget for a first visit, brotli.
    budget: u64,
    /// Whether `build-app` fails beyond the budget, or only says so.
    enforced: bool,
    /// Whether wasm-opt runs its passes until nothing shrinks (`--converge`): a few hundred
    /// bytes for a minute of both cores, worth it only where the budget is tight.
    converge: bool,
}

/// The staff pages load the citizen's texts (their forms are the citizen's) and their own.
const STAFF_CATALOGUES: &[&str] = &["", "staff/"];

/// The citizen's first, then the staff pages.
const BUNDLES: [Bundle; 5] = [
    Bundle { page: pages::CITIZEN, catalogue_dirs: &[""], budget: BUDGET_BYTES, enforced: true, converge: true },
    Bundle { page: pages::STAFF, catalogue_dirs: STAFF_CATALOGUES, budget: STAFF_BUDGET_BYTES, enforced: true, converge: false },
    Bundle { page: pages::DESK, catalogue_dirs: STAFF_CATALOGUES, budget: STAFF_BUDGET_BYTES, enforced: true, converge: false },
    Bundle { page: pages::FIELD, catalogue_dirs: STAFF_CATALOGUES, budget: STAFF_BUDGET_BYTES, enforced: true, converge: false },
    Bundle { page: pages::KIOSK, catalogue_dirs: STAFF_CATALOGUES, budget: STAFF_BUDGET_BYTES, enforced: true, converge: false },
];

/// Which pages `build-app` builds.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every page (what the server, the tests and `run` need).
    All,
    /// The citizen's page alone (`build-app --citizen`): a quicker measure of its download while
    /// trimming it; the staff pages are then missing from `dist/`.
    Citizen,
}

/// Builds `dist/` with the pages of `scope` and returns its path.
pub fn build_app(scope: Scope) -> Result<PathBuf, String> {
    tools::ensure_wasm_target()?;
    let root = cmd::workspace_root();
    let bundles: Vec<&Bundle> = BUNDLES.iter().filter(|b| scope == Scope::All || b.page == pages::CITIZEN).collect();
    let bins: Vec<&str> = match scope {
        Scope::All => vec!["--bins"],
        Scope::Citizen => vec!["--bin", pages::CITIZEN.entry],
    };
    // Beside the wasm's compilation: the tools that process it (wasm-bindgen-cli compiles for
    // minutes on a fresh machine) and the first screen (a host build in a profile of its own).
    let tools = std::thread::spawn(|| -> Result<(PathBuf, PathBuf, PathBuf), String> {
        Ok((tools::ensure_wasm_bindgen()?, tools::ensure_wasm_opt()?, tools::ensure_terser()?))
    });
    let first_screen = std::thread::spawn(prerender::first_screen);
    let compiled = cmd::run(Command::new("cargo").current_dir(&root).args(["build", "--package", "telnuska-app"]).args(bins).args([
        "--target",
        "wasm32-unknown-unknown",
        "--profile",
        "wasm-release",
    ]));
    let (tools, first_screen) = (cmd::joined(tools), cmd::joined(first_screen));
    compiled?;
    let (wasm_bindgen, wasm_opt, terser) = tools?;
    let first_screen = first_screen?;

    // `TELNUSKA_DIST` (as the server and the tests read it) lets parallel work keep builds apart.
    let dist = std::env::var_os("TELNUSKA_DIST").map_or_else(|| root.join("dist"), PathBuf::from);
    let _ = fs::remove_dir_all(&dist);
    fs::create_dir_all(dist.join("assets")).map_err(io_err(&dist))?;

    // Hashed assets: the names change with the content, so they can be cached for a year.
    let mut shared_names: Vec<(String, String)> = Vec::new();
    add_hashed(&dist, &mut shared_names, "styles.css", read(&root.join("public/styles.css"))?)?;
    // The message catalogues travel as text assets: a first visit fetches only its language's.
    for dir in ["", "staff/"] {
        for lang in LANGUAGES {
            let placeholder = format!("i18n-{}{lang}.txt", dir.replace('/', "-"));
            add_hashed(&dist, &mut shared_names, &placeholder, read(&root.join(format!("shared/i18n/{dir}{lang}.txt")))?)?;
        }
    }
    // Each bundle's wasm-bindgen, wasm-opt and terser runs beside the others': wasm-opt keeps
    // one core busy for most of its run.
    let tools = Tools { wasm_bindgen: &wasm_bindgen, wasm_opt: &wasm_opt, terser: &terser };
    let reports = std::thread::scope(|scope| {
        let running: Vec<_> = bundles.iter().map(|bundle| scope.spawn(|| build_bundle(&root, &dist, bundle, tools, &shared_names, &first_screen))).collect();
        running.into_iter().map(|bundle| bundle.join().unwrap_or_else(|_| Err("a bundle's build panicked".into()))).collect::<Result<Vec<_>, String>>()
    })?;
    copy_dir(&root.join("public/icons"), &dist.join("icons"))?;
    fs::copy(root.join("public/manifest.webmanifest"), dist.join("manifest.webmanifest")).map_err(io_err(&dist))?;

    // The worker installs the citizen's files for everyone, another page's only on devices that
    // have opened it (a citizen on a slow link never downloads the staff screens).
    let quoted = |names: &[(String, String)], skip: &[(String, String)]| -> Vec<String> {
        names.iter().filter(|(_, n)| !skip.iter().any(|(_, s)| s == n)).map(|(_, n)| format!("\"/{n}\"")).collect()
    };
    let citizen: Vec<String> = quoted(&reports[0], &[]).into_iter().chain(["\"/manifest.webmanifest\"".into(), "\"/icons/icon.svg\"".into()]).collect();
    // Each other page by the path its shell is kept under, most specific first (as the server
    // chooses): `{ "/staff/desk": [...], ... }`.
    let shells: Vec<String> = bundles
        .iter()
        .zip(&reports)
        .filter(|(bundle, _)| bundle.page != pages::CITIZEN)
        .map(|(bundle, names)| format!("[\"{}\", [{}]]", bundle.page.prefix, quoted(names, &reports[0]).join(", ")))
        .collect();
    let version = short_hash(format!("{citizen:?}{shells:?}").as_bytes());
    let sw = read_string(&root.join("public/sw.js"))?
        .replace("{{version}}", &version)
        .replace("{{assets}}", &format!("[{}]", citizen.join(", ")))
        .replace("{{shells}}", &format!("[{}]", shells.join(", ")))
        .replace("{{citizen-elsewhere}}", pages::CITIZEN_ELSEWHERE);
    write(&dist.join("sw.js"), sw.as_bytes())?;

    compress_all(&dist)?;
    // Every bundle's sizes first, then the verdict: a bundle over its budget fails the build
    // (and with it `cargo xtask test` and `run`), so the download cannot grow unnoticed.
    let sizes: Vec<(&Bundle, u64)> = bundles.iter().zip(&reports).map(|(bundle, names)| (*bundle, report_sizes(&dist, bundle, names))).collect();
    within_budgets(&sizes)?;
    Ok(dist)
}

/// `Err` naming every bundle whose first visit (`size`, brotli) is over its enforced budget; a
/// bundle whose budget is not enforced is named on standard error.
fn within_budgets(sizes: &[(&Bundle, u64)]) -> Result<(), String> {
    let (over, tolerated): (Vec<_>, Vec<_>) = sizes.iter().filter(|(bundle, size)| *size > bundle.budget).partition(|(bundle, _)| bundle.enforced);
    for (bundle, size) in tolerated {
        eprintln!("warning: {} (not enforced yet)", over_budget(bundle, size));
    }
    let over: Vec<String> = over.into_iter().map(|(bundle, size)| over_budget(bundle, size)).collect();
    if over.is_empty() {
        Ok(())
    } else {
        Err(over.join("\n"))
    }
}

/// Why the build fails for `bundle`, `size` bytes of brotli on a first visit.
fn over_budget(bundle: &Bundle, size: u64) -> String {
    format!(
        "the {} bundle ({}) is {size} B brotli on a first visit, over its budget of {} B ({} KB) by {} B: take bytes out before adding any",
        bundle.page.entry,
        bundle.page.file,
        bundle.budget,
        bundle.budget / 1024,
        size - bundle.budget
    )
}

/// What a page shows before its app runs: "loading", and without scripts that they are needed.
const LOADING: &str = r#"<div id="app-loading" class="loading" role="status">Жүктелуде… / Загрузка… / Loading…</div>"#;
const NEEDS_SCRIPTS: &str =
    "<noscript id=\"no-app\">Телнұсқа жұмыс істеуі үшін JavaScript қосыңыз. / Для работы Телнұсқа включите JavaScript. / Telnuska needs JavaScript.</noscript>";

/// wasm-bindgen and wasm-opt for one bundle, its boot script and its page; returns the hashed
/// names its page refers to (the shared ones of `shared_names` included). The citizen's page is
/// written twice: `index.html` (`/`) with `first_screen`, the service choice a person can use
/// before the app runs, and [`pages::CITIZEN_ELSEWHERE`] (every other address, where the app
/// opens on something else) with "loading"; both say what to do instead when the app cannot run
/// (`public/no-app.html`: a ЦОН or eGov).
fn build_bundle(
    root: &Path,
    dist: &Path,
    bundle: &Bundle,
    tools: Tools,
    shared_names: &[(String, String)],
    first_screen: &str,
) -> Result<Vec<(String, String)>, String> {
    let Tools { wasm_bindgen, wasm_opt, terser } = tools;
    let target = cmd::target_dir();
    let raw_wasm = target.join(format!("wasm32-unknown-unknown/wasm-release/{}.wasm", bundle.page.entry));
    let bindgen_out = target.join("wasm-bindgen").join(bundle.page.entry);
    let _ = fs::remove_dir_all(&bindgen_out);
    cmd::run(
        Command::new(wasm_bindgen).arg(&raw_wasm).args(["--target", "web", "--no-typescript", "--out-name", bundle.page.entry, "--out-dir"]).arg(&bindgen_out),
    )?;
    let bindgen_wasm = bindgen_out.join(format!("{}_bg.wasm", bundle.page.entry));
    let optimised = bindgen_out.join(format!("{}_bg.opt.wasm", bundle.page.entry));
    cmd::run(
        Command::new(wasm_opt)
            // First the exports no page calls (`unused`), so that -Oz takes their code out too.
            .arg(format!("--remove-exports={}", unused::EXPORTS))
            .args(["-Oz", "--strip-debug", "--strip-producers"])
            .args(bundle.converge.then_some("--converge"))
            .args(WASM_FEATURES)
            .arg(&bindgen_wasm)
            .arg("-o")
            .arg(&optimised),
    )?;
    // Then the names the glue and the wasm call each other by (see `minify`), as a pass of its own.
    let minified = bindgen_out.join(format!("{}_bg.min.wasm", bundle.page.entry));
    let minify =
        || Command::new(wasm_opt).arg("--minify-imports-and-exports-and-modules").args(WASM_FEATURES).arg(&optimised).arg("-o").arg(&minified).output();
    let mapping = minify().map_err(|e| format!("wasm-opt: {e}"))?;
    if !mapping.status.success() {
        return Err(format!("wasm-opt --minify-imports-and-exports-and-modules {}: {}", optimised.display(), String::from_utf8_lossy(&mapping.stderr)));
    }
    let module = format!("./{}_bg.js", bundle.page.entry);
    let renames = minify::parse_mapping(&String::from_utf8_lossy(&mapping.stdout), &module)?;
    let glue = unused::drop_classes(&read_string(&bindgen_out.join(format!("{}.js", bundle.page.entry)))?)?;
    let glue = unused::drop_unused_imports(&glue, |name| renames.is_import(name))?;
    let glue = minify::rename_glue(&glue, &module, &renames)?;

    let mut names: Vec<(String, String)> = Vec::new();
    add_hashed(dist, &mut names, &format!("{}_bg.wasm", bundle.page.entry), read(&minified)?)?;
    let glue = terse(terser, &glue, &bindgen_out.join(format!("{}.renamed.js", bundle.page.entry)))?;
    add_hashed(dist, &mut names, &format!("{}.js", bundle.page.entry), glue.into_bytes())?;
    // The boot script names this bundle's files and the catalogues it joins per language.
    let catalogues = LANGUAGES
        .iter()
        .map(|lang| {
            let urls: Vec<String> = bundle.catalogue_dirs.iter().map(|dir| format!("\"/{{{{i18n-{}{lang}.txt}}}}\"", dir.replace('/', "-"))).collect();
            format!("{lang}: [{}]", urls.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ");
    let boot = read_string(&root.join("public/boot.js"))?
        .replace("{{entry.js}}", &format!("{{{{{}.js}}}}", bundle.page.entry))
        .replace("{{entry_bg.wasm}}", &format!("{{{{{}_bg.wasm}}}}", bundle.page.entry))
        .replace("{{catalogues}}", &format!("{{ {catalogues} }}"))
        .replace("{{shell}}", bundle.page.prefix);
    names.extend(shared_names.iter().filter(|(p, _)| !p.starts_with("i18n-") || is_catalogue_of(bundle, p)).cloned());
    let boot = terse(terser, &fill(&boot, &names), &bindgen_out.join(format!("boot-{}.js", bundle.page.entry)))?;
    add_hashed(dist, &mut names, &format!("boot-{}.js", bundle.page.entry), boot.into_bytes())?;
    let page = read_string(&root.join("public/index.html"))?
        .replace("{{entry.js}}", &format!("{{{{{}.js}}}}", bundle.page.entry))
        .replace("{{entry_bg.wasm}}", &format!("{{{{{}_bg.wasm}}}}", bundle.page.entry))
        .replace("{{boot.js}}", &format!("{{{{boot-{}.js}}}}", bundle.page.entry));
    let page = fill(&page, &names);
    if bundle.page == pages::CITIZEN {
        let page = page.replace("{{no-app}}", read_string(&root.join("public/no-app.html"))?.trim_end());
        write(&dist.join(bundle.page.file), page.replace("{{first-screen}}", first_screen).as_bytes())?;
        write(&dist.join(pages::CITIZEN_ELSEWHERE), page.replace("{{first-screen}}", LOADING).as_bytes())?;
    } else {
        write(&dist.join(bundle.page.file), page.replace("{{no-app}}", NEEDS_SCRIPTS).replace("{{first-screen}}", LOADING).as_bytes())?;
    }
    Ok(names)
}

/// The programs [`build_bundle`] runs.
#[derive(Clone, Copy)]
struct Tools<'a> {
    wasm_bindgen: &'a Path,
    wasm_opt: &'a Path,
    terser: &'a Path,
}

/// The ES module `js` compressed and its local names shortened by terser (`scratch` holds it
/// meanwhile): the same program in fewer bytes.
fn terse(terser: &Path, js: &str, scratch: &Path) -> Result<String, String> {
    write(scratch, js.as_bytes())?;
    let out =
        Command::new(terser).arg(scratch).args(["--module", "--compress", "--mangle", "--comments", "false"]).output().map_err(|e| format!("terser: {e}"))?;
    if !out.status.success() {
        return Err(format!("terser {}: {}", scratch.display(), String::from_utf8_lossy(&out.stderr)));
    }
    String::from_utf8(out.stdout).map_err(|e| format!("terser {}: {e}", scratch.display()))
}

/// Whether the catalogue asset `placeholder` (`i18n-<dir-><lang>.txt`) is one `bundle` loads.
fn is_catalogue_of(bundle: &Bundle, placeholder: &str) -> bool {
    bundle.catalogue_dirs.iter().any(|dir| LANGUAGES.iter().any(|lang| placeholder == format!("i18n-{}{lang}.txt", dir.replace('/', "-"))))
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

/// Prints raw and brotli sizes of what a first visit of `bundle` downloads, and the ratio to its
/// budget; returns the brotli total. A visit fetches the catalogues of one language: the largest
/// language is counted.
fn report_sizes(dist: &Path, bundle: &Bundle, names: &[(String, String)]) -> u64 {
    let sizes = |name: &str| (size(&dist.join(name)), size(&dist.join(format!("{name}.br"))));
    let language_of =
        |placeholder: &str| placeholder.strip_prefix("i18n-").map(|rest| rest.trim_end_matches(".txt").rsplit('-').next().unwrap_or("").to_string());
    let largest_language = LANGUAGES
        .iter()
        .max_by_key(|lang| names.iter().filter(|(p, _)| language_of(p).as_deref() == Some(**lang)).map(|(_, n)| sizes(n).1).sum::<u64>())
        .copied();
    let (mut raw_total, mut br_total) = (0, 0);
    println!("{} size (initial transfer of {}, as the server sends it):", bundle.page.entry, bundle.page.file);
    for (placeholder, name) in std::iter::once((bundle.page.file.to_string(), bundle.page.file.to_string())).chain(names.iter().cloned()) {
        let (raw, br) = sizes(&name);
        let language = language_of(&placeholder);
        let counted = language.is_none() || language.as_deref() == largest_language;
        if counted {
            raw_total += raw;
            br_total += br;
        }
        let note = match (&language, counted) {
            (None, _) => "",
            (Some(_), true) => "  (one language per visit: the largest counted)",
            (Some(_), false) => "  (not counted)",
        };
        println!("  {name:<40} {raw:>9} B raw {br:>9} B brotli{note}");
    }
    println!(
        "  {} total {raw_total} B raw, {br_total} B brotli = {:.1}% of the {} KB budget ({} B), {}",
        bundle.page.entry,
        br_total as f64 * 100.0 / bundle.budget as f64,
        bundle.budget / 1024,
        bundle.budget,
        match bundle.budget.checked_sub(br_total) {
            Some(spare) => format!("{spare} B to spare"),
            None => format!("OVER BUDGET by {} B", br_total - bundle.budget),
        }
    );
    br_total
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bundle_over_its_budget_fails_the_build_with_its_size_and_budget() {
        let [citizen, staff, ..] = &BUNDLES;
        assert_eq!(within_budgets(&[(citizen, BUDGET_BYTES), (staff, STAFF_BUDGET_BYTES - 1)]), Ok(()));
        let verdict = within_budgets(&[(citizen, BUDGET_BYTES + 75), (staff, 1)]).unwrap_err();
        assert!(verdict.contains("the app bundle (index.html) is 256075 B brotli"), "{verdict}");
        assert!(verdict.contains("over its budget of 256000 B (250 KB) by 75 B"), "{verdict}");
        assert!(!verdict.contains("staff"), "{verdict}");
        let tolerated = Bundle { enforced: false, ..BUNDLES[1] };
        assert_eq!(within_budgets(&[(citizen, 1), (&tolerated, STAFF_BUDGET_BYTES + 1)]), Ok(()), "said, not failed");
    }
}
