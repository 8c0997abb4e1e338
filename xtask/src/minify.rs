//! Short names for what the wasm and its JavaScript glue call each other by.
//!
//! wasm-bindgen names every import `__wbg_<name>_<16 hex digits>` and every closure export
//! `…invoke__h<16 hex digits>`: a few hundred names that appear in both files and that brotli
//! cannot shrink (the hashes are random). wasm-opt renames them in the wasm
//! (`--minify-imports-and-exports-and-modules`) and prints the old and new names; the glue is
//! then rewritten to match, and refused if any old name is left in it.

use std::collections::HashMap;

/// The module every import comes from once minified (what wasm-opt names it).
const MINIFIED_MODULE: &str = "a";

/// The names wasm-opt gave: imports (only those of `module` may exist) and exports.
#[derive(Debug, Default, PartialEq)]
pub struct Renames {
    imports: HashMap<String, String>,
    exports: HashMap<String, String>,
}

impl Renames {
    /// Whether the wasm imports `name` (by its old name).
    pub fn is_import(&self, name: &str) -> bool {
        self.imports.contains_key(name)
    }
}

/// Reads wasm-opt's mapping (`{"imports": [["module", "old", "new"], …], "exports": [["old",
/// "new"], …]}`, one entry a line) of a wasm whose imports all come from `module`.
pub fn parse_mapping(mapping: &str, module: &str) -> Result<Renames, String> {
    let mut renames = Renames::default();
    let mut section = "";
    for line in mapping.lines() {
        let line = line.trim();
        if line.starts_with("\"imports\"") || line.starts_with("\"exports\"") {
            section = if line.starts_with("\"imports\"") { "imports" } else { "exports" };
            continue;
        }
        if !line.starts_with('[') {
            continue;
        }
        let quoted: Vec<&str> = line.split('"').skip(1).step_by(2).collect();
        match (section, quoted.as_slice()) {
            ("imports", [from, old, new]) if *from == module => {
                renames.imports.insert(old.to_string(), new.to_string());
            }
            ("imports", [from, old, _]) => return Err(format!("import {old} comes from {from}, not {module}: the glue cannot be renamed")),
            ("exports", [old, new]) => {
                renames.exports.insert(old.to_string(), new.to_string());
            }
            _ => return Err(format!("unexpected line in wasm-opt's mapping: {line}")),
        }
    }
    if renames.imports.is_empty() {
        return Err("wasm-opt printed no renamed imports".into());
    }
    Ok(renames)
}

/// The glue `js` calling the wasm by its new names: the import object's keys and module, and
/// every `wasm.<export>` (an export's name elsewhere, as "memory" in a comment, is a word of
/// its own). Fails if an import's name is used otherwise (the page would not start).
pub fn rename_glue(js: &str, module: &str, renames: &Renames) -> Result<String, String> {
    let module_key = format!("\"{module}\": import0");
    if js.matches(&module_key).count() != 1 {
        return Err(format!("the glue has no single import object {module_key}"));
    }
    let js = js.replace(&module_key, &format!("\"{MINIFIED_MODULE}\": import0"));
    let mut out = String::with_capacity(js.len());
    let mut rest = js.as_str();
    while let Some(start) = rest.find(is_identifier_char) {
        out.push_str(&rest[..start]);
        let len = rest[start..].find(|c| !is_identifier_char(c)).unwrap_or(rest.len() - start);
        let (word, after) = (&rest[start..start + len], &rest[start + len..]);
        let member_of_wasm = out.strip_suffix("wasm.").is_some_and(|before| !before.ends_with(is_identifier_char));
        match (renames.imports.get(word), renames.exports.get(word)) {
            (Some(new), _) if after.starts_with(':') => out.push_str(&format!("\"{new}\"")),
            (Some(_), _) => return Err(format!("the import {word} is used in the glue other than as a key of its import object")),
            (_, Some(new)) if member_of_wasm => out.push_str(new),
            _ => out.push_str(word),
        }
        rest = after;
    }
    out.push_str(rest);
    Ok(out)
}

fn is_identifier_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '$'
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAPPING: &str = r#"{
 "imports": [
  ["./app_bg.js", "__wbg_createTextNode_2b48c3fc75dfcc67", "$"],
  ["./app_bg.js", "__wbg_status_cb85b6c8d1769fa1", "Aa"]
 ],
"exports": [
  ["memory", "ed"],
  ["__wbindgen_start", "Nd"]
 ]
}"#;

    #[test]
    fn the_glue_calls_the_wasm_by_its_new_names() {
        let renames = parse_mapping(MAPPING, "./app_bg.js").unwrap();
        let glue = r#"const import0 = {
        __wbg_createTextNode_2b48c3fc75dfcc67: function(arg0) { return wasm.memory.buffer; },
        __wbg_status_cb85b6c8d1769fa1: function(arg0) { wasm.__wbindgen_start(); }, // memory
    };
    return { "./app_bg.js": import0 };"#;
        let renamed = rename_glue(glue, "./app_bg.js", &renames).unwrap();
        assert_eq!(
            renamed,
            r#"const import0 = {
        "$": function(arg0) { return wasm.ed.buffer; },
        "Aa": function(arg0) { wasm.Nd(); }, // memory
    };
    return { "a": import0 };"#
        );
    }

    #[test]
    fn an_old_name_used_otherwise_is_refused() {
        let renames = parse_mapping(MAPPING, "./app_bg.js").unwrap();
        let glue = r#"const import0 = { x: __wbg_status_cb85b6c8d1769fa1 }; return { "./app_bg.js": import0 };"#;
        assert!(rename_glue(glue, "./app_bg.js", &renames).is_err());
    }

    #[test]
    fn imports_of_another_module_are_refused() {
        assert!(parse_mapping(MAPPING, "./staff_bg.js").is_err());
    }
}
