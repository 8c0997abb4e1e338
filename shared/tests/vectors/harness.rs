//! Loading and checking test vectors: the JSON edits that derive each application case from the
//! base, and a report that lists every failing case at once, the way the validator reports errors.

use serde_json::Value;
use telnuska_shared::i18n::{ERROR_CODES, STAFF_ERROR_CODES};

/// Collects the failures of one vector file and fails the test with all of them.
pub struct Report {
    file: &'static str,
    cases: usize,
    failures: Vec<String>,
}

impl Report {
    /// A report for `file`.
    pub fn new(file: &'static str) -> Self {
        Self { file, cases: 0, failures: Vec::new() }
    }

    /// Records one case: `Err` is a description of the mismatch.
    pub fn case(&mut self, name: &str, outcome: Result<(), String>) {
        self.cases += 1;
        if let Err(why) = outcome {
            self.failures.push(format!("  {name}: {why}"));
        }
    }

    /// Panics with every failure; also when the file had no cases, so an emptied file fails.
    pub fn finish(self) {
        assert!(self.cases > 0, "{}: no cases", self.file);
        assert!(self.failures.is_empty(), "{}: {} of {} cases failed:\n{}", self.file, self.failures.len(), self.cases, self.failures.join("\n"));
    }
}

/// The `cases` array of a vector file.
pub fn cases(json: &str) -> (Value, Vec<Value>) {
    let file: Value = serde_json::from_str(json).expect("vector file is JSON");
    let cases = file["cases"].as_array().expect("vector file has a cases array").clone();
    (file, cases)
}

/// A case's field as text (`ok` values are strings or numbers).
pub fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Compares a parser's outcome with the case's `ok` or `error`.
pub fn expect_parse(case: &Value, got: Result<String, &'static str>) -> Result<(), String> {
    let expected = match (case.get("ok"), case.get("error")) {
        (Some(ok), None) => Ok(text(ok)),
        (None, Some(Value::String(code))) => {
            if !ERROR_CODES.iter().chain(STAFF_ERROR_CODES).any(|c| c == code) {
                return Err(format!("expected code {code} is not in ERROR_CODES nor STAFF_ERROR_CODES"));
            }
            Err(code.as_str())
        }
        _ => return Err("a case needs exactly one of ok, error".into()),
    };
    if got == expected {
        Ok(())
    } else {
        Err(format!("expected {expected:?}, got {got:?}"))
    }
}

/// Sets the value at a JSON pointer; an index equal to the array's length appends.
pub fn set(root: &mut Value, pointer: &str, value: Value) -> Result<(), String> {
    let (parent, last) = pointer.rsplit_once('/').ok_or_else(|| format!("bad pointer {pointer}"))?;
    match root.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.insert(last.to_string(), value);
            Ok(())
        }
        Some(Value::Array(items)) => {
            let i: usize = last.parse().map_err(|_| format!("bad index in {pointer}"))?;
            match i.cmp(&items.len()) {
                std::cmp::Ordering::Less => items[i] = value,
                std::cmp::Ordering::Equal => items.push(value),
                std::cmp::Ordering::Greater => return Err(format!("index past the end in {pointer}")),
            }
            Ok(())
        }
        _ => Err(format!("no object or array at {parent}")),
    }
}

/// Removes the value at a JSON pointer.
pub fn remove(root: &mut Value, pointer: &str) -> Result<(), String> {
    let (parent, last) = pointer.rsplit_once('/').ok_or_else(|| format!("bad pointer {pointer}"))?;
    let removed = root.pointer_mut(parent).and_then(Value::as_object_mut).and_then(|map| map.remove(last));
    removed.map(|_| ()).ok_or_else(|| format!("nothing to remove at {pointer}"))
}

/// A case's expected `[field, code]` pairs, sorted (the order of errors is not part of the contract).
pub fn pairs(v: Option<&Value>) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = v.and_then(Value::as_array).map(|list| list.iter().map(|p| (text(&p[0]), text(&p[1]))).collect()).unwrap_or_default();
    out.sort();
    out
}
