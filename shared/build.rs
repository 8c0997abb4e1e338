//! Generates the list of error and notice codes for the crate documentation from the English
//! message catalogues (`i18n/en.txt`, `i18n/server/en.txt`), so that the docs never drift from
//! the messages.

use std::fmt::Write as _;
use std::path::PathBuf;

fn main() {
    println!("cargo:rerun-if-changed=i18n/en.txt");
    println!("cargo:rerun-if-changed=i18n/server/en.txt");
    // Errors only staff meet (the workflow's, the receipts') live in the server's catalogue.
    let catalogue = ["i18n/en.txt", "i18n/server/en.txt"].map(|path| std::fs::read_to_string(path).expect("the English catalogues are readable")).join("\n");
    let entries: Vec<(&str, &str)> =
        catalogue.lines().map(str::trim).filter(|l| !l.starts_with('#')).filter_map(|l| l.split_once(" = ")).map(|(k, v)| (k.trim(), v.trim())).collect();
    let mut md = String::from(
        "\n\n## Error codes\n\nEvery code a field error or a problem response may carry, with its English message \
        (Kazakh and Russian in `i18n/kk.txt`, `i18n/ru.txt`).\n\n| code | message |\n|---|---|\n",
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
