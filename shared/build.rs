//! Generates the list of error and notice codes for the crate documentation from the English
//! message catalogues (`i18n/en.txt`, `i18n/staff/en.txt`, `i18n/server/en.txt`), so that the
//! docs never drift from the messages.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    let paths = ["i18n/en.txt", "i18n/staff/en.txt", "i18n/server/en.txt"];
    for path in paths {
        println!("cargo:rerun-if-changed={path}");
    }
    // Errors only staff meet live in the staff screens' catalogue (the desk's, the office's) or
    // the server's (the workflow's, the receipts'): the citizen's page never downloads them.
    let catalogue = paths.map(|path| std::fs::read_to_string(path).expect("the English catalogues are readable")).join("\n");
    let entries: Vec<(&str, &str)> =
        catalogue.lines().map(str::trim).filter(|l| !l.starts_with('#')).filter_map(|l| l.split_once(" = ")).map(|(k, v)| (k.trim(), v.trim())).collect();
    let mut md = String::from(
        "\n\n## Error codes\n\nEvery code a field error or a problem response may carry, with its English message \
        (Kazakh and Russian beside each English catalogue, in `kk.txt` and `ru.txt`).\n\n| code | message |\n|---|---|\n",
    );
    for (key, text) in entries.iter().filter(|(k, _)| k.starts_with("error.")) {
        writeln!(md, "| `{}` | {} |", &key["error.".len()..], escape(text)).expect("writing to a String");
    }
    md.push_str("\n## Notice codes\n\nAdvice shown beside the form; it never blocks submission.\n\n| code | message |\n|---|---|\n");
    for (key, text) in entries.iter().filter(|(k, _)| k.starts_with("notice.")) {
        writeln!(md, "| `{key}` | {} |", escape(text)).expect("writing to a String");
    }
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("error_codes.md");
    std::fs::write(out, md).expect("OUT_DIR is writable");
}

/// Keeps a message from breaking the Markdown table.
fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('<', "&lt;").replace('*', "\\*").replace('_', "\\_")
}
