//! No message catalogue defines a key twice: the loader would silently keep one of the texts,
//! and two branches that each reworded or appended the same key would merge into such a file.

use std::collections::BTreeMap;
use std::path::Path;

/// Every `key = text` line of a catalogue file with its line number, comments and blanks left out.
fn keys(path: &Path) -> Vec<(String, usize)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with('#'))
        .filter_map(|(i, l)| l.split_once(" = ").map(|(k, _)| (k.trim().to_string(), i + 1)))
        .collect()
}

#[test]
fn no_catalogue_defines_a_key_twice() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n");
    let mut checked = 0;
    for dir in [root.clone(), root.join("staff"), root.join("server")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "txt") {
                let mut seen: BTreeMap<String, usize> = BTreeMap::new();
                for (key, line) in keys(&path) {
                    if let Some(first) = seen.insert(key.clone(), line) {
                        panic!("{}: `{key}` on line {line} was already defined on line {first}", path.display());
                    }
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 9, "kk, ru, en for the app, the staff screens and the server");
}

/// The staff bundle loads its texts on top of the citizen's: a key in both would show one text
/// in the browser and the other in native builds.
#[test]
fn the_staff_catalogue_adds_keys_and_never_redefines_the_citizens() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("i18n");
    for lang in ["kk", "ru", "en"] {
        let citizen: BTreeMap<String, usize> = keys(&root.join(format!("{lang}.txt"))).into_iter().collect();
        for (key, line) in keys(&root.join(format!("staff/{lang}.txt"))) {
            assert!(!citizen.contains_key(&key), "staff/{lang}.txt line {line}: `{key}` is already in {lang}.txt");
        }
    }
}
