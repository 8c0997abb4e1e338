//! What wasm-bindgen keeps that no page calls, left out of every download.
//!
//! Leptos always links the browser client of its server functions, whose streams
//! (`wasm-streams`) export three JS classes to the page; an export is kept by the linker and by
//! wasm-opt whether or not anything uses it. No page here has a server function, so the build
//! removes those exports from the wasm before wasm-opt optimises it (their code goes with them),
//! then the classes from the glue, and from the glue's import object every function the
//! optimised wasm no longer imports. Each step refuses if what it removes is still referred to.

/// The exports removed (wasm-opt's `--remove-exports` wildcards): the stream classes' methods.
pub const EXPORTS: &str = "intounderlying*,__wbg_intounderlying*";
/// The glue's classes of those exports.
const CLASSES: [&str; 3] = ["IntoUnderlyingByteSource", "IntoUnderlyingSink", "IntoUnderlyingSource"];

/// The glue `js` without the classes of [`EXPORTS`]: each `export class`, its `Symbol.dispose`
/// line and its `…Finalization` registry. Fails if a class is not found, or named anywhere else.
pub fn drop_classes(js: &str) -> Result<String, String> {
    let mut js = js.to_string();
    for class in CLASSES {
        js = drop_statement(&js, &format!("export class {class} {{"), |line| line == "}")?;
        js = drop_statement(&js, &format!("if (Symbol.dispose) {class}.prototype"), |_| true)?;
        js = drop_statement(&js, &format!("const {class}Finalization = "), |line| line.ends_with(';'))?;
        if js.contains(class) {
            return Err(format!("the glue still refers to {class} once its class is left out: is it used?"));
        }
    }
    if js.contains("intounderlying") {
        return Err("the glue still calls an export that was removed (intounderlying…)".into());
    }
    Ok(js)
}

/// `js` without the lines from the one starting with `start` to the first (from there on) for
/// which `last` holds.
fn drop_statement(js: &str, start: &str, last: impl Fn(&str) -> bool) -> Result<String, String> {
    let lines: Vec<&str> = js.lines().collect();
    let from = lines.iter().position(|l| l.starts_with(start)).ok_or_else(|| format!("the glue has no line starting with `{start}`"))?;
    let to = from + lines[from..].iter().position(|l| last(l)).ok_or_else(|| format!("the glue's `{start}` does not end"))?;
    Ok(lines[..from].iter().chain(&lines[to + 1..]).map(|l| format!("{l}\n")).collect())
}

/// The glue `js` whose import object (`const import0 = {` … `    };`, one entry per function,
/// each starting on a line of its own indented by 8 spaces) keeps only the functions for which
/// `imported` holds.
pub fn drop_unused_imports(js: &str, imported: impl Fn(&str) -> bool) -> Result<String, String> {
    let (head, rest) = js.split_once("    const import0 = {\n").ok_or("the glue has no import object `const import0 = {`")?;
    let (entries, tail) = rest.split_once("\n    };\n").ok_or("the glue's import object does not end")?;
    let mut kept = String::new();
    let mut keep = true;
    for line in entries.lines() {
        let key = line.strip_prefix("        ").filter(|l| !l.starts_with(' ')).and_then(|l| l.split_once(':')).map(|(key, _)| key);
        if let Some(key) = key {
            keep = key == "__proto__" || imported(key);
        }
        if keep {
            kept.push_str(line);
            kept.push('\n');
        }
    }
    Ok(format!("{head}    const import0 = {{\n{kept}    }};\n{tail}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLUE: &str = "export class IntoUnderlyingSink {
    abort(reason) {
        wasm.intounderlyingsink_abort(this.__wbg_ptr, reason);
    }
}
if (Symbol.dispose) IntoUnderlyingSink.prototype[Symbol.dispose] = IntoUnderlyingSink.prototype.free;
function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
        __wbg_close_1: function(arg0) {
            arg0.close();
        },
        __wbg_enqueue_2: function() { return handleError(function (arg0, arg1) {
            arg0.enqueue(arg1);
        }, arguments); },
        __wbg_now_3: function() {
            const ret = Date.now();
            return ret;
        },
    };
    return { \"./app_bg.js\": import0 };
}
const IntoUnderlyingSinkFinalization = (typeof FinalizationRegistry === 'undefined')
    ? { register: () => {}, unregister: () => {} }
    : new FinalizationRegistry(ptr => wasm.__wbg_intounderlyingsink_free(ptr, 1));
const CLOSURE_DTORS = 1;
";

    #[test]
    fn the_import_object_keeps_only_what_the_wasm_imports() {
        let js = drop_unused_imports(GLUE, |name| name == "__wbg_now_3").unwrap();
        assert!(js.contains("    const import0 = {\n        __proto__: null,\n        __wbg_now_3: function() {\n"), "{js}");
        assert!(js.contains("            return ret;\n        },\n    };\n    return {"), "{js}");
        assert!(!js.contains("close") && !js.contains("enqueue"), "{js}");
    }

    /// `js` (which has the sink's class) with the other two stream classes before it.
    fn with_every_class(js: &str) -> String {
        CLASSES
            .iter()
            .filter(|c| **c != "IntoUnderlyingSink")
            .fold(js.to_string(), |js, c| format!("export class {c} {{\n}}\nif (Symbol.dispose) {c}.prototype.x = 1;\nconst {c}Finalization = 1;\n{js}"))
    }

    #[test]
    fn a_stream_class_is_left_out_with_its_registry() {
        let js = drop_classes(&with_every_class(GLUE)).unwrap();
        assert!(js.starts_with("function __wbg_get_imports() {\n"), "{js}");
        assert!(js.ends_with("    return { \"./app_bg.js\": import0 };\n}\nconst CLOSURE_DTORS = 1;\n"), "{js}");
    }

    #[test]
    fn a_class_still_used_is_refused() {
        let used = with_every_class(&format!("{GLUE}new IntoUnderlyingSink();\n"));
        assert!(drop_classes(&used).unwrap_err().contains("IntoUnderlyingSink"));
    }
}
