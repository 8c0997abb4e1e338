//! The citizen form's logic as plain functions: the steps, the draft and its migration, DOM ids
//! of fields, which errors are shown where and how the summary names them. No signals and no
//! browser here, so it tests natively.

mod copy;
mod draft;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use telnuska_shared::api::{AttachmentKind, CreateApplicationRequest, ProblemFieldError, Relationship, ServiceCode};
use telnuska_shared::calendar::almaty_local;
use telnuska_shared::i18n::{field_message, has_error_message, t, Lang};
use telnuska_shared::reference::{compiled, InstitutionKind};
use telnuska_shared::FieldError;

pub use copy::*;
pub use draft::*;

/// One topic of the form per screen, in order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// Which service.
    #[default]
    Service,
    /// Who applies, identities and contacts.
    Applicant,
    /// Which document, and the details of each.
    Documents,
    /// Why, and the files that reason requires.
    Reason,
    /// The two confirmations.
    Consents,
    /// Every answer, with "change" links.
    Review,
    /// Signing with an SMS code and sending.
    Sign,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 7] = [Step::Service, Step::Applicant, Step::Documents, Step::Reason, Step::Consents, Step::Review, Step::Sign];

    /// The code used in ids (`change-<code>`) and catalogue keys (`step.<code>`).
    pub fn code(self) -> &'static str {
        match self {
            Step::Service => "service",
            Step::Applicant => "applicant",
            Step::Documents => "documents",
            Step::Reason => "reason",
            Step::Consents => "consents",
            Step::Review => "review",
            Step::Sign => "sign",
        }
    }

    /// 1-based position.
    pub fn number(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0) + 1
    }

    /// The step after this one.
    pub fn next(self) -> Step {
        Step::ALL.get(self.number()).copied().unwrap_or(self)
    }

    /// The step before this one.
    pub fn previous(self) -> Step {
        Step::ALL[self.number().saturating_sub(2)]
    }
}

/// The steps whose "continue" was pressed, as bits (a set type would add kilobytes of wasm).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tried(u8);

impl Tried {
    /// Adds `step`.
    pub fn insert(&mut self, step: Step) {
        self.0 |= 1 << step.number();
    }

    /// Whether `step` is in.
    pub fn contains(self, step: Step) -> bool {
        self.0 & (1 << step.number()) != 0
    }
}

/// Today in Asia/Almaty, the date the validator judges years against.
pub fn today() -> NaiveDate {
    almaty_local(Utc::now()).date_naive()
}

/// The `id` of the input for a dotted path: `applicant.iin` → `f-applicant-iin`.
pub fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// The `id` of one radio button of a group: `reason`, `loss` → `f-reason-loss`.
pub fn option_id(path: &str, value: &str) -> String {
    format!("{}-{value}", field_id(path))
}

/// The `id` of the error text of an input or group.
pub fn error_id(path: &str) -> String {
    format!("{}-error", field_id(path))
}

/// The `id` of the hint of an input or group.
pub fn hint_id(path: &str) -> String {
    format!("{}-hint", field_id(path))
}

/// The path under which a file of `kind` is reported (`attachments.<kind>`).
pub fn attachment_path(kind: AttachmentKind) -> String {
    format!("attachments.{}", kind.code())
}

/// The `id` of the file input for `kind`.
pub fn file_input_id(kind: AttachmentKind) -> String {
    format!("{}-file", field_id(&attachment_path(kind)))
}

/// Where EDS signature errors show: by the "sign with EDS" button (`#sign-eds`).
pub const EDS_OWNER: &str = "signature.eds";

/// `id` of the "sign with EDS (NCALayer)" button.
pub const EDS_BUTTON_ID: &str = "sign-eds";

/// `id` of the "add another document" button, where an empty document list is reported.
pub const ADD_DOCUMENT_ID: &str = "add-document";

/// The input that shows an error reported at `path`: a missing signature belongs to the
/// SMS-code input, a missing person to their IIN, an unknown file (`attachments.N.id`) to the
/// file input of its kind; every other path to its own input.
pub fn owner_of(path: &str, req: &CreateApplicationRequest) -> String {
    match path {
        "signature" | "signature.phone" | "signature.method" => return "signature.code".into(),
        "pupil" | "representative" => return format!("{path}.iin"),
        _ => {}
    }
    let attachment = path.strip_prefix("attachments.").and_then(|rest| rest.strip_suffix(".id")).and_then(|i| i.parse::<usize>().ok());
    match attachment.and_then(|i| req.attachments.get(i)) {
        Some(a) => attachment_path(a.kind),
        None => path.to_string(),
    }
}

/// The step whose screen holds the input of `owner`.
pub fn step_of(owner: &str) -> Step {
    let head = owner.split('.').next().unwrap_or("");
    match head {
        "service" | "channel" => Step::Service,
        "applicant" | "relationship" | "representative" | "pupil" => Step::Applicant,
        "document_kind" | "documents" => Step::Documents,
        "reason" | "corrections" | "name_on_document" | "attachments" | "collection" => Step::Reason,
        "consents" => Step::Consents,
        "signature" => Step::Sign,
        _ => Step::Review,
    }
}

/// The first option of a radio group as the service offers it, where summary links point.
fn first_option(group: &str, req: &CreateApplicationRequest) -> Option<String> {
    let s = compiled().service(req.service);
    match group {
        "service" => ServiceCode::ALL.first().map(|c| c.code().to_string()),
        "relationship" => s.relationships.first().map(|r| r.code().to_string()),
        "document_kind" => s.document_kinds.first().map(|k| k.code().to_string()),
        "reason" => s.reasons.first().map(|r| r.code().to_string()),
        _ => None,
    }
}

/// Where an error-summary link for `owner` goes, if the form has a place for it.
pub fn anchor_for(owner: &str, req: &CreateApplicationRequest) -> Option<String> {
    if let Some(first) = first_option(owner, req) {
        return Some(option_id(owner, &first));
    }
    if let Some(kind) = owner.strip_prefix("attachments.").and_then(AttachmentKind::from_code) {
        return Some(file_input_id(kind));
    }
    if owner == "documents" {
        return Some(ADD_DOCUMENT_ID.into());
    }
    if owner == EDS_OWNER {
        return Some(EDS_BUTTON_ID.into());
    }
    (step_of(owner) != Step::Review && owner.contains('.')).then(|| field_id(owner))
}

/// One error that the form shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownError {
    /// The dotted path the validator or server reported.
    pub field: String,
    /// The input that shows it ([`owner_of`]).
    pub owner: String,
    /// Stable code.
    pub code: String,
    /// The server's text, used only for a code the catalogue does not know.
    pub server_message: Option<String>,
}

/// Where an input sits on its step, top to bottom: `(group, entry, input)`. The validator reports
/// in its own order; the summary and the first error to focus follow the page.
pub fn page_position(owner: &str) -> (u32, u32, u32) {
    let parts: Vec<&str> = owner.split('.').collect();
    let entry = parts.get(1).and_then(|p| p.parse::<u32>().ok()).unwrap_or(0);
    let last = parts.last().copied().unwrap_or("");
    // Inputs in the order the steps draw them; a name not listed keeps the group's first place.
    const INPUTS: [&str; 17] = [
        "iin",
        "last_name",
        "first_name",
        "patronymic",
        "region",
        "institution",
        "unlisted_institution",
        "degree",
        "specialty",
        "series",
        "number",
        "registration_number",
        "graduation_year",
        "data",
        "as_printed",
        "should_be",
        "proof",
    ];
    let input = if owner.contains("unlisted_institution") { 6 } else { INPUTS.iter().position(|p| *p == last).map_or(0, |i| i as u32) };
    let group = match (parts[0], last) {
        ("relationship" | "document_kind" | "reason", _) => 0,
        ("representative", _) => 1,
        ("applicant", "phone") => 4,
        ("applicant", "email") => 5,
        ("applicant" | "corrections" | "documents", _) if parts.len() > 1 => 2,
        ("documents", _) => 3,
        ("pupil" | "name_on_document", _) => 3,
        ("attachments", _) => 4,
        _ => 0,
    };
    (group, entry, input)
}

/// The errors to show now: local ones once their input was left or its step was tried (a press
/// of "continue"), and every error the server reported; each (field, code) once; in the order
/// of the page (step, then [`page_position`]).
pub fn shown_errors(
    local: &[FieldError],
    server: &[ProblemFieldError],
    req: &CreateApplicationRequest,
    touched: &[String],
    attempted: Tried,
) -> Vec<ShownError> {
    let mut shown: Vec<ShownError> = Vec::new();
    let local = local.iter().map(|e| (e.field.clone(), e.code.to_string(), None));
    let server = server.iter().map(|e| (e.field.clone(), e.code.clone(), Some(e.message.clone())));
    for (field, code, server_message) in local.chain(server) {
        // The server's verdict on an EDS signature belongs to the EDS button, not the SMS code.
        let owner = if code.starts_with("signature.eds") { EDS_OWNER.to_string() } else { owner_of(&field, req) };
        let step = step_of(&owner);
        // "Continue" on the review tries every step before it; sending tries all.
        let tried = attempted.contains(step) || (step < Step::Review && attempted.contains(Step::Review)) || attempted.contains(Step::Sign);
        let visible = server_message.is_some() || touched.contains(&owner) || tried;
        if visible && !shown.iter().any(|s| s.field == field && s.code == code) {
            // An insertion after every error that comes before it or with it on the page (a sort
            // would add code to the download; the list is short).
            let place = |o: &str| (step_of(o), page_position(o));
            let at = shown.iter().position(|s| place(&s.owner) > place(&owner)).unwrap_or(shown.len());
            shown.insert(at, ShownError { field, owner, code, server_message });
        }
    }
    shown
}

/// The text of an error in `lang`: the catalogue's for a code it has (so it follows the language
/// switch), else what the server said; a missing or unknown file also names the document.
pub fn error_text(lang: Lang, error: &ShownError) -> String {
    let message = match (has_error_message(lang, &error.code), &error.server_message) {
        (false, Some(server)) if !server.is_empty() => server.clone(),
        _ => field_message(lang, &error.field, &error.code).to_string(),
    };
    match error.owner.strip_prefix("attachments.").and_then(AttachmentKind::from_code) {
        Some(kind) => format!("{}: {message}", t(lang, &format!("attachment.kind.{}", kind.code()))),
        None => message,
    }
}

/// The kind of institution that provides the request's service.
pub fn provider_kind(service: ServiceCode) -> InstitutionKind {
    compiled().service(service).provider_kind
}

/// The catalogue key of the name or label of the input at `owner` without indices
/// (`documents.0.series` → `<prefix>.documents.series`). A school issues a certificate, not a
/// diploma, and a college is not a university: those names have keys of their own
/// (`….series.school`, `….institution.college`, `….degree.level`).
pub fn field_key(prefix: &str, owner: &str, service: ServiceCode) -> String {
    let parts: Vec<&str> = owner.split('.').filter(|part| part.parse::<usize>().is_err()).collect();
    let key = format!("{prefix}.{}", parts.join("."));
    match (parts.as_slice(), provider_kind(service)) {
        (["documents", "institution" | "series" | "number"], InstitutionKind::School) => format!("{key}.school"),
        (["documents", "institution"], InstitutionKind::College) => format!("{key}.college"),
        (["documents", "degree"], InstitutionKind::College | InstitutionKind::School) => format!("{key}.level"),
        _ => key,
    }
}

/// Whose inputs the applicant's are when a representative applies (`field.graduate.iin`…).
const GRADUATE: &str = "graduate";

/// Inputs with a short name in the summary; others (a file) name themselves in the message.
fn is_named(owner: &str) -> bool {
    !owner.starts_with("attachments") && step_of(owner) != Step::Review
}

/// The summary's entries: one per input in the order of the errors, with the link target and
/// the input's short name (and the document's number, from the second on) before its messages.
pub fn summary_entries(lang: Lang, errors: &[ShownError], req: &CreateApplicationRequest) -> Vec<(Option<String>, String)> {
    let mut entries: Vec<(String, Vec<String>)> = Vec::new();
    for error in errors {
        let text = error_text(lang, error);
        match entries.iter_mut().find(|(o, _)| *o == error.owner) {
            Some((_, texts)) if !texts.contains(&text) => texts.push(text),
            Some(_) => {}
            None => entries.push((error.owner.clone(), vec![text])),
        }
    }
    entries
        .into_iter()
        .map(|(owner, texts)| {
            let text = texts.join(" ");
            let anchor = anchor_for(&owner, req);
            if !is_named(&owner) || owner == "documents" {
                return (anchor, text);
            }
            // When a representative applies, the applicant's inputs are the graduate's.
            let graduate = req.relationship == Some(Relationship::Representative)
                && owner.starts_with("applicant.")
                && !owner.ends_with("phone")
                && !owner.ends_with("email");
            let key = if graduate { owner.replacen("applicant", &format!("field.{GRADUATE}"), 1) } else { field_key("field", &owner, req.service) };
            let mut name = t(lang, &key).to_string();
            if let Some(n) = owner.strip_prefix("documents.").and_then(|r| r.split('.').next()).and_then(|i| i.parse::<usize>().ok()).filter(|n| *n > 0) {
                name = format!("{name} ({})", t(lang, "field.document_n").replace("{n}", &(n + 1).to_string()));
            }
            (anchor, format!("{name}: {text}"))
        })
        .collect()
}

/// Bytes in lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    bytes.iter().flat_map(|b| [DIGITS[usize::from(b >> 4)], DIGITS[usize::from(b & 15)]]).map(char::from).collect()
}

/// A random (version 4) UUID in its usual text form, from 16 random bytes.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex(&bytes);
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests;
