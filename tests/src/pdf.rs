//! The text of a PDF the server made (a receipt, a register), as a person's PDF reader shows it.

use crate::server::TempDir;

/// The text of `pdf`, as `pdftotext` (poppler-utils) reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let dir = TempDir::new("telnuska-receipt");
    let path = dir.0.join("receipt.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out =
        std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext is missing: install poppler-utils (`cargo xtask test` does)");
    assert!(out.status.success(), "pdftotext: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// [`pdf_text`] on one line (the forms wrap long values).
pub fn flat_text(pdf: &[u8]) -> String {
    pdf_text(pdf).split_whitespace().collect::<Vec<_>>().join(" ")
}
