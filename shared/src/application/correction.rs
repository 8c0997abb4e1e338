//! What a correction puts right (002, the application form): which data, as printed, as it
//! should be, and the document that proves it, so the college checks one thing rather than
//! guessing from "an error in the data".

use super::{free_text, Checker};
use crate::api::{CorrectedData, CorrectionInput};
use crate::iin::Iin;
use crate::reference::fold;

/// Longest value of one piece of data as printed or as it should be (a specialty's name is the
/// longest, [`super::MAX_SPECIALTY_CHARS`]).
pub const MAX_CORRECTION_CHARS: usize = 200;
/// Most corrections in one application: one per kind of data, and "other" twice.
pub const MAX_CORRECTIONS: usize = 9;

/// Checks every entry; returns them normalised (texts with single spaces, an IIN as digits).
pub(super) fn check_corrections(c: &mut Checker, items: &[CorrectionInput]) -> Vec<CorrectionInput> {
    if items.is_empty() {
        c.push("corrections.0.data", "required");
        return Vec::new();
    }
    if items.len() > MAX_CORRECTIONS {
        c.push("corrections", "corrections.too_many");
        return items.to_vec();
    }
    items.iter().enumerate().map(|(i, item)| check_item(c, i, item)).collect()
}

fn check_item(c: &mut Checker, i: usize, item: &CorrectionInput) -> CorrectionInput {
    let path = |f: &str| format!("corrections.{i}.{f}");
    if item.data.is_none() {
        c.push(path("data"), "required");
    }
    let text = |c: &mut Checker, f: &str, raw: &str| free_text(c, &path(f), raw, MAX_CORRECTION_CHARS, "correction.text_invalid");
    let as_printed = text(c, "as_printed", &item.as_printed);
    let mut should_be = text(c, "should_be", &item.should_be);
    // A corrected IIN must itself be a valid one.
    if item.data == Some(CorrectedData::Iin) {
        if let Some(raw) = should_be.take() {
            should_be = c.field(&path("should_be"), Iin::parse(&raw)).map(|iin| iin.to_string());
        }
    }
    if let (Some(before), Some(after)) = (&as_printed, &should_be) {
        if fold(before) == fold(after) {
            c.push(path("should_be"), "correction.unchanged");
        }
    }
    let proof = text(c, "proof", &item.proof);
    CorrectionInput {
        data: item.data,
        as_printed: as_printed.unwrap_or_else(|| item.as_printed.clone()),
        should_be: should_be.unwrap_or_else(|| item.should_be.clone()),
        proof: proof.unwrap_or_else(|| item.proof.clone()),
    }
}
