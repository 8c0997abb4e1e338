//! The message catalogues against the code that reads them (native only: it reads the sources):
//! every key is used somewhere in `app/`, `server/` or `shared/`; every placeholder is in every
//! language; no Latin word sits in a Kazakh or Russian text unless it is a name the reader meets
//! as it is (SMS, PDF, eGov, NCALayer…), a web address or an example to copy.

#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use telnuska_shared::api::{ApplicationStatus, AttachmentKind, CorrectedData, HomeServiceGround, Relationship, Role};
use telnuska_shared::i18n::{entry_of, Lang, ERROR_CODES, STAFF_ERROR_CODES};
use telnuska_shared::reference::{RefusalGround, ResultKind};

/// The workspace root (this crate is `shared/`).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("shared/ is inside the workspace").to_path_buf()
}

/// `(file, key, text)` of every line of the catalogues of `lang`: the app's, the staff screens'
/// and the server's.
fn catalogue(lang: Lang) -> Vec<(String, String, String)> {
    let files = ["", "staff/", "server/"].map(|dir| format!("shared/i18n/{dir}{}.txt", lang.code()));
    let mut lines = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(root().join(&file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
            let (key, value) = line.split_once(" = ").unwrap_or_else(|| panic!("{file}: not `key = text`: {line}"));
            lines.push((file.clone(), key.trim().to_string(), value.trim().to_string()));
        }
    }
    lines
}

/// `(file, entry, key, text)`: each line of [`catalogue`] with the entry it belongs to (`key`
/// itself, or `hint.service.term` for its plural line `hint.service.term.few`).
fn entries(lang: Lang) -> Vec<(String, String, String, String)> {
    let lines = catalogue(lang);
    let keys: BTreeSet<&str> = lines.iter().map(|(_, k, _)| k.as_str()).collect();
    lines.iter().map(|(file, key, text)| (file.clone(), entry_of(key, |k| keys.contains(k)).to_string(), key.clone(), text.clone())).collect()
}

/// Every `.rs` file under `dir`, recursively.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The sources that may read a key: the app's, the server's and the shared crate's own.
fn sources() -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for dir in ["app/src", "server/src", "shared/src"] {
        rust_files(&root().join(dir), &mut files);
    }
    assert!(files.len() > 20, "the sources were not found under {}", root().display());
    files.into_iter().map(|f| (f.clone(), std::fs::read_to_string(&f).expect("a readable source"))).collect()
}

/// The string literals of a Rust source (plain `"…"`; enough for catalogue keys and codes).
fn literals(source: &str) -> Vec<&str> {
    let mut found = Vec::new();
    let bytes = source.as_bytes();
    let (mut i, mut start) = (0, None);
    while i < bytes.len() {
        match (bytes[i], start) {
            (b'\\', Some(_)) => i += 1,
            // A char literal '"' is not the start of a string.
            (b'\'', None) if bytes.get(i + 1) == Some(&b'"') && bytes.get(i + 2) == Some(&b'\'') => i += 2,
            (b'"', None) => start = Some(i + 1),
            (b'"', Some(s)) => {
                found.push(&source[s..i]);
                start = None;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// Where the codes of a key built at run time come from.
enum Codes {
    /// The closed list of the domain type the code reads.
    Of(Vec<String>),
    /// Codes that are themselves string literals of the sources, joined by dots (the input
    /// paths `applicant.iin`, `documents.series` with their `.school` variant, and the steps'
    /// codes, which live in the app): every dotted part must be a literal somewhere, or the
    /// suffix a format string adds (`format!("{key}.level")`).
    Literals,
}

/// The keys the code builds from a prefix and a code, as `format!("stage.{}", status.code())`
/// does, and the codes each may take. The allowance is no blanket skip: a key under one of these
/// prefixes counts as used only when its code is one the data can produce, and the prefix itself
/// must appear in the sources. Every other key must appear whole as a literal.
fn dynamic() -> Vec<(&'static str, Codes)> {
    let of = |codes: Vec<&str>| Codes::Of(codes.into_iter().map(str::to_string).collect());
    vec![
        // `i18n::error_message(lang, code)` for every code of the domain and the server.
        ("error.", of(ERROR_CODES.iter().chain(STAFF_ERROR_CODES).copied().collect())),
        // The language switcher names each language in itself.
        ("lang.", of(Lang::ALL.iter().map(|l| l.code()).collect())),
        // Dates written out (app `format_date`, receipts).
        ("date.month.", Codes::Of((1..=12).map(|m| m.to_string()).collect())),
        // The tracking page's stage of each status.
        ("stage.", of(ApplicationStatus::ALL.iter().map(|s| s.code()).collect())),
        // Who applies (the form's radios and the review).
        ("relationship.", of(Relationship::ALL.iter().map(|r| r.code()).collect())),
        // Files to attach (form, review, receipts, reference data).
        ("attachment.kind.", of(AttachmentKind::ALL.iter().map(|k| k.code()).collect())),
        // Reference data's names of refusal grounds and results.
        ("refusal_ground.", of(RefusalGround::ALL.iter().map(|g| g.code()).collect())),
        ("result_kind.", of(ResultKind::ALL.iter().map(|r| r.code()).collect())),
        // The acceptance receipt's line on why a field worker served the applicant at home.
        ("home_service_ground.", of(HomeServiceGround::ALL.iter().map(|g| g.code()).collect())),
        // The app's step headings (`step.<code>`) and inputs' short names (`field.<path>`).
        ("step.", Codes::Literals),
        ("field.", Codes::Literals),
        // What a correction is about (the form's list and the review).
        ("corrected_data.", of(CorrectedData::ALL.iter().map(|d| d.code()).collect())),
        // A missing choice says what to choose (`i18n::field_message`, `required.<path>`).
        ("required.", Codes::Literals),
        // The staff screens name the signed-in member's role.
        ("staff.role.", of(Role::ALL.iter().map(|r| r.code()).collect())),
        // The provider's console names each action, deadline and deadline mark.
        ("staff.action.", of(telnuska_shared::workflow::action_kinds(chrono::Utc::now()).iter().map(|a| a.code()).collect())),
        ("staff.deadline.", of(vec!["register_by", "review_by", "hearing_notice_by", "objection_by", "recall_by", "send_to_con_by", "due_on"])),
        ("staff.mark.", of(vec!["on_time", "at_risk", "overdue"])),
    ]
}

#[test]
fn every_key_is_used_somewhere_in_the_code() {
    let sources = sources();
    let literals: BTreeSet<&str> = sources.iter().flat_map(|(_, s)| literals(s)).collect();
    let code_text: String = sources.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>().join("\n");
    let dynamic = dynamic();
    for (prefix, _) in &dynamic {
        let bare = prefix.trim_end_matches('.');
        assert!(
            code_text.contains(&format!("\"{prefix}{{")) || literals.contains(bare),
            "the prefix {prefix} is no longer built in the code: remove it from dynamic()"
        );
    }
    let used = |key: &str| {
        literals.contains(key)
            || dynamic.iter().any(|(prefix, codes)| {
                key.strip_prefix(prefix).is_some_and(|code| match codes {
                    Codes::Of(codes) => codes.iter().any(|c| c == code),
                    Codes::Literals => {
                        literals.contains(code)
                            || code.split('.').all(|part| literals.contains(part) || literals.iter().any(|l| l.ends_with(&format!("}}.{part}"))))
                    }
                })
            })
    };
    let keys: BTreeSet<String> = Lang::ALL.iter().flat_map(|l| entries(*l)).map(|(_, entry, _, _)| entry).collect();
    let unused: Vec<&String> = keys.iter().filter(|k| !used(k)).collect();
    assert!(unused.is_empty(), "catalogue keys used nowhere in app/, server/ or shared/: {unused:?}");
}

#[test]
fn the_check_for_unused_keys_can_fail() {
    // The scanner sees keys only where the code has them.
    let source = r#"let a = t(lang, "title.app"); let q = '"'; let b = format!("stage.{}", s);"#;
    assert_eq!(literals(source), vec!["title.app", "stage.{}"]);
}

/// The `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{').skip(1).filter_map(|rest| rest.split_once('}')).map(|(name, _)| name).collect()
}

#[test]
fn every_placeholder_is_in_every_language() {
    let mut by_entry: BTreeMap<String, Vec<(Lang, String, BTreeSet<String>)>> = BTreeMap::new();
    for lang in Lang::ALL {
        for (_, entry, key, text) in entries(lang) {
            let found = placeholders(&text).into_iter().map(str::to_string).collect();
            by_entry.entry(entry).or_default().push((lang, key, found));
        }
    }
    let mut wrong = Vec::new();
    for (entry, lines) in &by_entry {
        let first = &lines[0].2;
        for (lang, key, found) in lines.iter().filter(|(_, _, f)| f != first) {
            wrong.push(format!("{entry}: {lang:?} {key} has {found:?}, {:?} {} has {first:?}", lines[0].0, lines[0].1));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Latin words a Kazakh or Russian reader meets as they are: names of formats, systems and
/// programs, the HTTP header a developer types, and English named in itself in the switcher.
const LATIN_ALLOWED: &[&str] =
    &["SMS", "PDF", "JPEG", "PNG", "SHA", "eGov", "Mobile", "NCALayer", "RSA", "GOST", "PhD", "Idempotency", "Key", "English", "CSV", "Excel", "xlsx", "QR"];

/// The Latin words of a text that are not allowed: placeholders (`{n}`) are the code's, web
/// and e-mail addresses (`pki.gov.kz`, `name@mail.kz`) and examples or names with digits
/// (`TN-2026-000123`, `SHA-256`, `2026-11-30T10:00:00+05:00`) are taken as they are; any other run
/// of Latin letters must be in [`LATIN_ALLOWED`].
fn latin_words(text: &str) -> Vec<String> {
    let mut plain = String::new();
    for (i, part) in text.split('{').enumerate() {
        plain.push_str(if i == 0 { part } else { part.split_once('}').map_or(part, |(_, rest)| rest) });
        plain.push(' ');
    }
    plain
        .split_whitespace()
        .filter(|word| !word.contains('@') && !word.contains("://") && !word.chars().any(|c| c.is_ascii_digit()))
        .filter(|word| !is_web_address(word.trim_matches(|c: char| !c.is_ascii_alphanumeric())))
        .flat_map(|word| word.split(|c: char| !c.is_ascii_alphabetic()))
        .filter(|run| !run.is_empty() && !LATIN_ALLOWED.contains(run))
        .map(str::to_string)
        .collect()
}

/// `pki.gov.kz`, `egov.kz/services`: dotted ASCII with at least two parts.
fn is_web_address(word: &str) -> bool {
    word.contains('.') && word.split('.').all(|p| !p.is_empty()) && word.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '/'))
}

#[test]
fn kazakh_and_russian_texts_carry_no_raw_latin_words() {
    let mut found = Vec::new();
    for lang in [Lang::Kk, Lang::Ru] {
        for (file, key, text) in catalogue(lang) {
            let words = latin_words(&text);
            if !words.is_empty() {
                found.push(format!("{file} {key}: {words:?}"));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn the_latin_check_tells_code_words_from_names_and_examples() {
    assert_eq!(latin_words("Выберите роль: operator, field или admin."), vec!["operator", "field", "admin"]);
    assert!(latin_words("Установить NCALayer с сайта pki.gov.kz, например name@mail.kz, TN-2026-000123 или SHA-256.").is_empty());
    assert!(latin_words("Срок: {n} рабочих дней, {total} қадамның {n}-қадамы, {code}.").is_empty());
    assert!(latin_words("Заголовок Idempotency-Key, формат 2026-11-30T10:00:00+05:00; eGov Mobile.").is_empty());
}

/// Whether `key` is the message of an error only staff meet.
fn staff_only(key: &str) -> bool {
    key.strip_prefix("error.").is_some_and(|code| STAFF_ERROR_CODES.contains(&code))
}

/// The citizen's page downloads its catalogue (`shared/i18n/<lang>.txt`) over a slow link: the
/// message of an error only staff meet belongs in the staff catalogue, which only staff load.
#[test]
fn the_citizens_catalogue_carries_no_message_only_staff_meet() {
    for lang in Lang::ALL {
        let citizens = format!("shared/i18n/{}.txt", lang.code());
        let misplaced: Vec<String> = catalogue(lang).into_iter().filter(|(file, key, _)| *file == citizens && staff_only(key)).map(|(_, key, _)| key).collect();
        assert_eq!(misplaced, Vec::<String>::new(), "{citizens}: move these to shared/i18n/staff/");
    }
}

#[test]
fn the_check_for_staff_messages_can_fail() {
    assert!(staff_only("error.staff.login_taken") && staff_only("error.accepted_at.field_only"));
    assert!(!staff_only("error.iin.length") && !staff_only("staff.login_taken"));
}
