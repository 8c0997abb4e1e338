//! No import cycles between the files of one crate: each file of a crate's `src/` is a module,
//! and file A imports file B when A names B through `crate::…` or `super::…` (a parent's `mod b;`
//! only declares its child, and is not an import). Two files that import each other, directly or
//! round a longer loop, cannot be understood, tested or moved one without the other; the check
//! names every such loop. Run by `cargo xtask test` before anything else.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The crates whose files are checked (their `src/`, binaries under `src/bin/` being crates of
/// their own that reach the library only by its name).
const CRATES: &[&str] = &["shared", "server", "app", "tests", "xtask"];

/// Imports still closing a loop, each `(crate, importer, imported)` as module paths, tolerated
/// until its loop is undone. The check fails on any other loop, and on an entry here that no
/// longer closes one, so the list only shrinks.
const ALLOWED: &[(&str, &str, &str)] = &[];

/// A module path inside its crate: `""` for the root, `"drafts::space"` for `src/drafts/space.rs`.
type Module = String;

/// Checks every crate of [`CRATES`]; the error names each loop found.
pub fn check() -> Result<(), String> {
    let root = crate::cmd::workspace_root();
    let mut problems = Vec::new();
    for name in CRATES {
        let files = read_crate(&root.join(name).join("src")).map_err(|e| format!("{name}: {e}"))?;
        let allowed: BTreeSet<(Module, Module)> =
            ALLOWED.iter().filter(|(c, _, _)| c == name).map(|(_, from, to)| (from.to_string(), to.to_string())).collect();
        problems.extend(problems_of(name, &imports_of(&files), &allowed));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("import cycles between files of one crate (xtask/src/imports.rs):\n  {}", problems.join("\n  ")))
    }
}

/// The loops of one crate's graph once the allowed imports are taken out, and the allowed
/// imports that close no loop any more.
fn problems_of(name: &str, graph: &BTreeMap<Module, BTreeSet<Module>>, allowed: &BTreeSet<(Module, Module)>) -> Vec<String> {
    let mut problems = Vec::new();
    for (from, to) in allowed {
        let edge = graph.get(from).is_some_and(|targets| targets.contains(to));
        if !edge || path(graph, to, from).is_none() {
            problems.push(format!("{name}: `{}` → `{}` is allowed but closes no loop any more: take it off the list", show(from), show(to)));
        }
    }
    let mut pruned = graph.clone();
    for (from, to) in allowed {
        if let Some(targets) = pruned.get_mut(from) {
            targets.remove(to);
        }
    }
    for cycle in cycles(&pruned) {
        problems.push(format!("{name}: {}", cycle.iter().map(|m| format!("`{}`", show(m))).collect::<Vec<_>>().join(" → ")));
    }
    problems
}

fn show(module: &str) -> &str {
    if module.is_empty() {
        "crate"
    } else {
        module
    }
}

/// The files of a crate's `src/` (without `src/bin/`), by module path.
fn read_crate(src: &Path) -> Result<BTreeMap<Module, String>, String> {
    let mut files = BTreeMap::new();
    let mut folders = vec![src.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder).map_err(|e| format!("{}: {e}", folder.display()))?;
        for entry in entries {
            let path = entry.map_err(|e| e.to_string())?.path();
            if path.is_dir() {
                if path != src.join("bin") {
                    folders.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                files.insert(module_of(src, &path), text);
            }
        }
    }
    Ok(files)
}

/// The module a file holds: `lib.rs`/`main.rs` the root, `a/mod.rs` and `a.rs` module `a`.
fn module_of(src: &Path, file: &Path) -> Module {
    let relative: PathBuf = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod")) || (parts.len() == 1 && matches!(parts[0].as_str(), "lib" | "main")) {
        parts.pop();
    }
    parts.join("::")
}

/// Which file imports which, by module path (a file's imports of itself left out).
fn imports_of(files: &BTreeMap<Module, String>) -> BTreeMap<Module, BTreeSet<Module>> {
    files
        .iter()
        .map(|(module, text)| {
            let targets = paths_in(&strip(text), module).iter().filter_map(|path| owning_file(files, path)).filter(|target| target != module).collect();
            (module.clone(), targets)
        })
        .collect()
}

/// The longest prefix of `path` that is a file of the crate.
fn owning_file(files: &BTreeMap<Module, String>, path: &[String]) -> Option<Module> {
    (0..=path.len()).rev().map(|n| path[..n].join("::")).find(|m| files.contains_key(m))
}

/// The source without comments, string and character literals (a `{` in a string would throw
/// the count of inline modules off, a path in a comment is not an import).
fn strip(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        if rest.starts_with(&['/', '/']) {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if rest.starts_with(&['/', '*']) {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i..].starts_with(&['/', '*']) {
                    depth += 1;
                    i += 2;
                } else if chars[i..].starts_with(&['*', '/']) {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if let Some(hashes) = raw_string_start(rest) {
            // r"…", r#"…"#, br#"…"#: ends at a quote followed by as many hashes.
            i += rest.iter().position(|&c| c == '"').unwrap_or(0) + 1;
            while i < chars.len() && !(chars[i] == '"' && chars[i + 1..].iter().take(hashes).filter(|&&c| c == '#').count() == hashes) {
                i += 1;
            }
            i += 1 + hashes;
            out.push_str("\"\"");
        } else if chars[i] == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                i += if chars[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if chars[i] == '\'' && char_literal_len(rest).is_some() {
            i += char_literal_len(rest).unwrap_or(1);
            out.push_str("' '");
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// The number of `#` of a raw string starting here (`r"`, `r#"`, `br"`…), if one does.
fn raw_string_start(rest: &[char]) -> Option<usize> {
    let after_b = if rest.first() == Some(&'b') { &rest[1..] } else { rest };
    if after_b.first() != Some(&'r') {
        return None;
    }
    let hashes = after_b[1..].iter().take_while(|&&c| c == '#').count();
    (after_b.get(1 + hashes) == Some(&'"')).then_some(hashes)
}

/// The length of a character literal starting here (`'a'`, `'\n'`, `'\u{7f}'`); `None` for a
/// lifetime.
fn char_literal_len(rest: &[char]) -> Option<usize> {
    match rest.get(1)? {
        '\\' => rest.iter().skip(2).position(|&c| c == '\'').map(|p| p + 3),
        _ => (rest.get(2) == Some(&'\'')).then_some(3),
    }
}

/// Every path this file names through `crate::` or `super::`, resolved to segments from the
/// crate's root. Inline modules (`mod tests { use super::*; }`) are followed, so that their
/// `super` is the file itself.
fn paths_in(text: &str, module: &str) -> Vec<Vec<String>> {
    let base: Vec<String> = if module.is_empty() { Vec::new() } else { module.split("::").map(String::from).collect() };
    let tokens = tokenize(text);
    let mut paths = Vec::new();
    // Inline modules open here: their name and the brace depth at which they close.
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0;
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i].as_str() {
            "{" => depth += 1,
            "}" => {
                depth -= 1;
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
            }
            "mod" if tokens.get(i + 2).is_some_and(|t| t == "{") => {
                inline.push((tokens[i + 1].clone(), depth));
                i += 2;
                continue;
            }
            "crate" | "super" if tokens.get(i + 1).is_some_and(|t| t == "::") && (i == 0 || tokens[i - 1] != "::") => {
                let mut here: Vec<String> = base.iter().cloned().chain(inline.iter().map(|(name, _)| name.clone())).collect();
                let mut start: Vec<String> = Vec::new();
                let mut j = i;
                if tokens[i] == "crate" {
                    j += 2;
                } else {
                    while tokens.get(j).is_some_and(|t| t == "super") && tokens.get(j + 1).is_some_and(|t| t == "::") {
                        here.pop();
                        j += 2;
                    }
                    start = here;
                }
                let (tree, end) = use_tree(&tokens, j);
                paths.extend(tree.into_iter().map(|tail| start.iter().cloned().chain(tail).collect()));
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    paths
}

/// The paths of a use tree starting at token `at` (`a::b::C`, `a::{b, c::D}`, `*`), and the
/// index after it. An expression path (`crate::a::f(…)`) reads the same way.
fn use_tree(tokens: &[String], at: usize) -> (Vec<Vec<String>>, usize) {
    let mut prefix = Vec::new();
    let mut i = at;
    loop {
        match tokens.get(i).map(String::as_str) {
            Some("{") => {
                let mut paths = Vec::new();
                i += 1;
                while i < tokens.len() && tokens[i] != "}" {
                    if tokens[i] == "," {
                        i += 1;
                        continue;
                    }
                    let (inner, end) = use_tree(tokens, i);
                    paths.extend(inner.into_iter().map(|tail| prefix.iter().cloned().chain(tail).collect()));
                    i = end;
                }
                if paths.is_empty() {
                    paths.push(prefix);
                }
                return (paths, i + 1);
            }
            Some(t) if is_ident(t) => {
                prefix.push(t.to_string());
                i += 1;
                if tokens.get(i).is_some_and(|t| t == "::") {
                    i += 1;
                    continue;
                }
                return (vec![prefix], i);
            }
            _ => return (vec![prefix], i),
        }
    }
}

fn is_ident(token: &str) -> bool {
    token.chars().next().is_some_and(|c| c.is_alphabetic() || c == '_') && token.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// Identifiers, `::`, and every other character on its own.
fn tokenize(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_alphanumeric() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(chars[start..i].iter().collect());
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            tokens.push("::".into());
            i += 2;
        } else {
            if !c.is_whitespace() {
                tokens.push(c.to_string());
            }
            i += 1;
        }
    }
    tokens
}

/// A path from `from` to `to` along the imports, if there is one.
fn path(graph: &BTreeMap<Module, BTreeSet<Module>>, from: &Module, to: &Module) -> Option<Vec<Module>> {
    let mut came_from: BTreeMap<&Module, &Module> = BTreeMap::new();
    let mut queue = std::collections::VecDeque::from([from]);
    let mut seen = BTreeSet::from([from]);
    while let Some(at) = queue.pop_front() {
        if at == to {
            let mut path = vec![to.clone()];
            let mut step = to;
            while let Some(previous) = came_from.get(step) {
                path.push((*previous).clone());
                step = previous;
            }
            path.reverse();
            return Some(path);
        }
        for next in graph.get(at).into_iter().flatten() {
            if seen.insert(next) {
                came_from.insert(next, at);
                queue.push_back(next);
            }
        }
    }
    None
}

/// One loop through each group of files that reach each other (a strongly connected
/// component), shortest first from its smallest module, ending where it starts.
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<Module>> {
    let mut found: Vec<Vec<Module>> = Vec::new();
    let mut covered: BTreeSet<&Module> = BTreeSet::new();
    for (module, targets) in graph {
        if covered.contains(module) {
            continue;
        }
        let shortest = targets.iter().filter_map(|next| path(graph, next, module)).min_by_key(Vec::len);
        if let Some(back) = shortest {
            // Everything in the same component is reported with this loop.
            let component: Vec<&Module> = graph.keys().filter(|other| path(graph, module, other).is_some() && path(graph, other, module).is_some()).collect();
            covered.extend(component);
            found.push(std::iter::once(module.clone()).chain(back).collect());
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &str)]) -> BTreeMap<Module, BTreeSet<Module>> {
        let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
        for (from, to) in edges {
            graph.entry(from.to_string()).or_default().insert(to.to_string());
            graph.entry(to.to_string()).or_default();
        }
        graph
    }

    #[test]
    fn paths_through_crate_and_super_are_read_from_use_lines_and_expressions() {
        let text = strip(
            "use crate::a::{b::C, d};\nuse super::e;\n// use crate::in_comment;\nfn f() { let s = \"crate::in_string\"; crate::g::h(); }\n\
             #[cfg(test)]\nmod tests { use super::*; }",
        );
        let paths = paths_in(&text, "x::y");
        let expected: Vec<Vec<String>> = [vec!["a", "b", "C"], vec!["a", "d"], vec!["x", "e"], vec!["g", "h"], vec!["x", "y"]]
            .into_iter()
            .map(|p| p.into_iter().map(String::from).collect())
            .collect();
        assert_eq!(paths, expected);
    }

    #[test]
    fn a_file_imports_the_longest_module_its_path_names() {
        let files: BTreeMap<Module, String> = ["", "drafts", "drafts::space", "outbox"].into_iter().map(|m| (m.to_string(), String::new())).collect();
        let path = |p: &str| p.split("::").map(String::from).collect::<Vec<_>>();
        assert_eq!(owning_file(&files, &path("drafts::space::issue")).as_deref(), Some("drafts::space"));
        assert_eq!(owning_file(&files, &path("drafts::SubmittedRecord")).as_deref(), Some("drafts"));
        assert_eq!(owning_file(&files, &path("elsewhere")).as_deref(), Some(""));
    }

    #[test]
    fn files_are_modules_and_mod_rs_is_its_folder() {
        let src = Path::new("/x/src");
        assert_eq!(module_of(src, Path::new("/x/src/lib.rs")), "");
        assert_eq!(module_of(src, Path::new("/x/src/pages/mod.rs")), "pages");
        assert_eq!(module_of(src, Path::new("/x/src/drafts/space.rs")), "drafts::space");
    }

    #[test]
    fn literals_and_lifetimes_are_told_apart() {
        assert_eq!(strip("fn f<'a>(x: &'a str) -> char { '{' }"), "fn f<'a>(x: &'a str) -> char { ' ' }");
        assert_eq!(strip("let s = r#\"crate::x \"quoted\"\"#; crate::y"), "let s = \"\"; crate::y");
    }

    #[test]
    fn a_loop_is_named_once_and_an_allowed_import_that_closes_none_is_reported() {
        let g = graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")]);
        assert_eq!(problems_of("k", &g, &BTreeSet::new()), vec!["k: `a` → `b` → `c` → `a`"]);
        let allowed = BTreeSet::from([("c".to_string(), "a".to_string())]);
        assert!(problems_of("k", &g, &allowed).is_empty());
        let stale = BTreeSet::from([("c".to_string(), "d".to_string())]);
        assert_eq!(problems_of("k", &g, &stale).len(), 2, "the stale entry and the loop");
    }

    #[test]
    fn no_crate_of_the_workspace_has_an_import_cycle() {
        check().unwrap();
    }
}
