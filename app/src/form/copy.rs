//! A downloaded copy of a draft: a page a person can read and print, every answer under its
//! label in the language on screen, that also carries the draft itself (as a JSON data block
//! the browser never runs), so that the same file is loaded back on this or another device.

use telnuska_shared::i18n::{t, Lang};
use telnuska_shared::reference::{compiled, Reference};

use super::{Draft, Step};
use crate::fields::cleaned;
use crate::i18n::{format_instant, name_in};
use crate::steps::review::rows;

/// The data block that holds the draft, and its end.
const OPEN: &str = r#"<script type="application/json" id="telnuska-draft">"#;
const CLOSE: &str = "</script>";

/// Why a file cannot be loaded as a copy of a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyError {
    /// Not a copy this service made, or a damaged one.
    Unreadable,
    /// A copy made by a newer version of the app than this one.
    Newer,
}

impl CopyError {
    /// The stable code (`copy.unreadable`, `copy.newer`).
    pub fn code(self) -> &'static str {
        match self {
            CopyError::Unreadable => "copy.unreadable",
            CopyError::Newer => "copy.newer",
        }
    }

    /// Its text in the catalogue.
    pub fn key(self) -> &'static str {
        match self {
            CopyError::Unreadable => "drafts.copy_unreadable",
            CopyError::Newer => "drafts.copy_newer",
        }
    }
}

/// `text` safe as HTML text and attribute value.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The copy of `draft` as a self-contained HTML page in `lang`: the service, when it was saved,
/// each step's answers as the review shows them (with the lists in force, `lists`), and the
/// draft to load back.
pub fn printable(lang: Lang, lists: &Reference, draft: &Draft) -> String {
    let req = cleaned(&draft.request);
    let title = draft.chosen_service().map_or(t(lang, "drafts.no_service"), |s| name_in(lang, &compiled().service(s).name));
    let title = escape(title);
    let mut page = format!(
        "<!doctype html><html lang={}><meta charset=utf-8><meta name=viewport content=\"width=device-width\"><title>{title} — {}</title>\
         <style>body{{font:16px/1.5 sans-serif;max-width:45em;margin:auto;padding:1em}}dt{{font-weight:bold}}dd{{margin:0 0 .5em}}</style>\
         <h1>{title}</h1><p>{}",
        lang.code(),
        t(lang, "title.app"),
        escape(t(lang, "drafts.copy_note")),
    );
    if let Some(at) = draft.updated_at {
        page += &format!("<p>{}", escape(&t(lang, "drafts.saved_at").replace("{at}", &format_instant(lang, at))));
    }
    for step in Step::ALL.into_iter().filter(|s| *s < Step::Review) {
        page += &format!("<h2>{}</h2><dl>", escape(t(lang, &format!("step.{}", step.code()))));
        for (label, value) in rows(lang, lists, step, &req, &draft.files) {
            let value = if value.trim().is_empty() { t(lang, "answer.missing") } else { &value };
            page += &format!("<dt>{}<dd>{}", escape(&label), escape(value));
        }
        page += "</dl>";
    }
    // `<` written as its JSON escape: no `</script>` inside can end the block early.
    let json = serde_json::to_string(draft).unwrap_or_default().replace('<', "\\u003c");
    page + OPEN + &json + CLOSE
}

/// The draft in a downloaded copy: the page [`printable`] made (also after the browser saved
/// it again), or the JSON file earlier versions saved; migrated like a stored draft.
pub fn read_copy(file: &str) -> Result<Draft, CopyError> {
    let json = match file.split_once(OPEN) {
        Some((_, rest)) => rest.split_once(CLOSE).ok_or(CopyError::Unreadable)?.0,
        None => file,
    };
    let draft: Draft = serde_json::from_str(json.trim()).map_err(|_| CopyError::Unreadable)?;
    draft.restored().ok_or(CopyError::Newer)
}
