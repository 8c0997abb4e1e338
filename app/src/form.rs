//! The citizen form's logic as plain functions: the draft, DOM ids of fields, which errors are
//! shown where, and small edits of the request. No signals and no browser here, so it tests natively.

use std::collections::BTreeSet;

use chrono::{NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use telnuska_shared::api::{
    AttachmentKind, Channel, CreateApplicationRequest, DocumentInput, ProblemFieldError, Relationship, ServiceCode,
    Signature,
};
use telnuska_shared::calendar::almaty_local;
use telnuska_shared::i18n::{error_message, t, Lang, ERROR_CODES};
use telnuska_shared::phone::Phone;
use telnuska_shared::FieldError;

/// Version of the stored draft's shape; a draft of another version is discarded, not misread.
pub const SCHEMA_VERSION: u32 = 1;

/// Everything the person has done on the form, as kept in IndexedDB between visits.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    /// Shape version, [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The request as typed so far.
    pub request: CreateApplicationRequest,
    /// Paths of the fields that have been left (blurred) at least once.
    #[serde(default)]
    pub touched: BTreeSet<String>,
    /// The `Idempotency-Key` of this draft, made on the first submit press.
    #[serde(default)]
    pub idempotency_key: Option<String>,
}

impl Draft {
    /// An empty draft of the walking-skeleton form.
    pub fn new() -> Self {
        Self { schema_version: SCHEMA_VERSION, request: new_request(), touched: BTreeSet::new(), idempotency_key: None }
    }

    /// A stored draft made fit for this form (fixed service, channel and relationship, one
    /// document entry), or `None` when it has another shape version.
    pub fn restored(mut self) -> Option<Self> {
        if self.schema_version != SCHEMA_VERSION {
            return None;
        }
        let r = &mut self.request;
        r.service = ServiceCode::HigherDuplicate;
        r.channel = Channel::Portal;
        r.relationship = Some(Relationship::SelfApplicant);
        r.representative = None;
        r.pupil = None;
        r.accepted_at = None;
        r.documents.truncate(1);
        if r.documents.is_empty() {
            r.documents.push(DocumentInput::default());
        }
        Some(self)
    }
}

impl Default for Draft {
    fn default() -> Self {
        Self::new()
    }
}

/// A blank request for a university diploma duplicate asked for on the portal by the graduate.
pub fn new_request() -> CreateApplicationRequest {
    CreateApplicationRequest {
        service: ServiceCode::HigherDuplicate,
        channel: Channel::Portal,
        applicant: Default::default(),
        relationship: Some(Relationship::SelfApplicant),
        representative: None,
        document_kind: None,
        documents: vec![DocumentInput::default()],
        pupil: None,
        reason: None,
        attachments: Vec::new(),
        consents: Default::default(),
        signature: None,
        accepted_at: None,
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

/// The `id` of the note about documents to bring, where missing attachments are reported.
pub const ATTACHMENTS_NOTE_ID: &str = "attachments-note";

/// Radio groups of the form with their first option, which error-summary links point at.
const RADIO_GROUPS: [(&str, &str); 2] = [("document_kind", "diploma"), ("reason", "loss")];

/// Inputs of the form, by path.
const INPUTS: [&str; 17] = [
    "applicant.iin",
    "applicant.last_name",
    "applicant.first_name",
    "applicant.patronymic",
    "applicant.phone",
    "applicant.email",
    "documents.0.region",
    "documents.0.institution",
    "documents.0.degree",
    "documents.0.specialty",
    "documents.0.series",
    "documents.0.number",
    "documents.0.registration_number",
    "documents.0.graduation_year",
    "consents.accuracy",
    "consents.personal_data",
    "signature.code",
];

/// The input that shows an error reported at `path`: a missing or wrong signature belongs to
/// the SMS-code input, every other path to its own input.
pub fn owner_of(path: &str) -> &str {
    match path {
        "signature" | "signature.phone" | "signature.method" => "signature.code",
        other => other,
    }
}

/// Where an error-summary link for `path` goes, if the form has a place for it.
pub fn anchor_for(path: &str) -> Option<String> {
    let owner = owner_of(path);
    if INPUTS.contains(&owner) {
        return Some(field_id(owner));
    }
    if let Some((group, first)) = RADIO_GROUPS.iter().find(|(g, _)| *g == owner) {
        return Some(option_id(group, first));
    }
    owner.starts_with("attachments.").then(|| ATTACHMENTS_NOTE_ID.to_string())
}

/// One error that the form shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShownError {
    /// The dotted path the validator or server reported.
    pub field: String,
    /// Stable code.
    pub code: String,
    /// The server's text, used only for a code the catalogue does not know.
    pub server_message: Option<String>,
}

/// The errors to show now: local ones once their field was left or a submit was tried, and
/// every error the server reported; each (field, code) once.
pub fn shown_errors(
    local: &[FieldError],
    server: &[ProblemFieldError],
    touched: &BTreeSet<String>,
    attempted: bool,
) -> Vec<ShownError> {
    let mut shown: Vec<ShownError> = Vec::new();
    let visible = |field: &str| attempted || touched.contains(owner_of(field));
    let local = local
        .iter()
        .filter(|e| visible(&e.field))
        .map(|e| ShownError { field: e.field.clone(), code: e.code.to_string(), server_message: None });
    let server = server
        .iter()
        .map(|e| ShownError { field: e.field.clone(), code: e.code.clone(), server_message: Some(e.message.clone()) });
    for error in local.chain(server) {
        if !shown.iter().any(|s| s.field == error.field && s.code == error.code) {
            shown.push(error);
        }
    }
    shown
}

/// The text of an error in `lang`: the catalogue's for a known code (so it follows the language
/// switch), else what the server said; a missing attachment also names the document.
pub fn error_text(lang: Lang, error: &ShownError) -> String {
    let message = match (ERROR_CODES.contains(&error.code.as_str()), &error.server_message) {
        (false, Some(server)) if !server.is_empty() => server.clone(),
        _ => error_message(lang, &error.code).to_string(),
    };
    match error.field.strip_prefix("attachments.").and_then(AttachmentKind::from_code) {
        Some(kind) => format!("{}: {message}", t(lang, &format!("attachment.kind.{}", kind.code()))),
        None => message,
    }
}

/// The catalogue key of the short name of the input at `path` (`field.documents.series` for
/// `documents.0.series`), if the form has that input.
pub fn field_name_key(path: &str) -> Option<String> {
    let owner = owner_of(path);
    if !INPUTS.contains(&owner) && !RADIO_GROUPS.iter().any(|(g, _)| *g == owner) {
        return None;
    }
    let unindexed: Vec<&str> = owner.split('.').filter(|part| part.parse::<usize>().is_err()).collect();
    Some(format!("field.{}", unindexed.join(".")))
}

/// The summary's entries: one per input (or place) in the order of the errors, with the link
/// target and the input's short name before its messages (a summary of bare "This field is
/// required." lines would not say which field).
pub fn summary_entries(lang: Lang, errors: &[ShownError]) -> Vec<(Option<String>, String)> {
    let mut entries: Vec<(String, Option<String>, Vec<String>)> = Vec::new();
    for error in errors {
        let owner = owner_of(&error.field).to_string();
        let text = error_text(lang, error);
        match entries.iter_mut().find(|(o, ..)| *o == owner) {
            Some((_, _, texts)) if !texts.contains(&text) => texts.push(text),
            Some(_) => {}
            None => entries.push((owner, anchor_for(&error.field), vec![text])),
        }
    }
    entries
        .into_iter()
        .map(|(owner, anchor, texts)| {
            let text = texts.join(" ");
            match field_name_key(&owner) {
                Some(key) => (anchor, format!("{}: {text}", t(lang, &key))),
                None => (anchor, text),
            }
        })
        .collect()
}

/// The phone in E.164 when it parses, else as typed (the validator then reports it).
pub fn normalised_phone(raw: &str) -> String {
    Phone::parse(raw).map_or_else(|_| raw.trim().to_string(), |p| p.to_string())
}

/// Sets the applicant's phone, keeping the OTP signature's phone in step with it.
pub fn set_phone(req: &mut CreateApplicationRequest, raw: String) {
    if let Some(Signature::Otp { phone, .. }) = &mut req.signature {
        *phone = normalised_phone(&raw);
    }
    req.applicant.phone = raw;
}

/// The SMS code typed so far.
pub fn code_of(req: &CreateApplicationRequest) -> String {
    match &req.signature {
        Some(Signature::Otp { code, .. }) => code.clone(),
        _ => String::new(),
    }
}

/// Sets the SMS code: the request is then signed by OTP to the applicant's phone; an empty
/// code leaves it unsigned (the validator says so).
pub fn set_code(req: &mut CreateApplicationRequest, code: String) {
    req.signature = (!code.is_empty())
        .then(|| Signature::Otp { phone: normalised_phone(&req.applicant.phone), code });
}

/// The first `max` ASCII digits of `raw`.
pub fn digits(raw: &str, max: usize) -> String {
    raw.chars().filter(char::is_ascii_digit).take(max).collect()
}

/// The first document entry (the form has exactly one).
pub fn document(req: &CreateApplicationRequest) -> DocumentInput {
    req.documents.first().cloned().unwrap_or_default()
}

/// The first document entry, made if missing.
pub fn document_mut(req: &mut CreateApplicationRequest) -> &mut DocumentInput {
    if req.documents.is_empty() {
        req.documents.push(DocumentInput::default());
    }
    &mut req.documents[0]
}

/// A random (version 4) UUID in its usual text form, from 16 random bytes.
pub fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

#[cfg(test)]
mod tests {
    use super::*;
    use telnuska_shared::application::{validate, ValidationContext};

    #[test]
    fn ids_follow_the_dom_contract() {
        for (path, id) in [
            ("applicant.iin", "f-applicant-iin"),
            ("documents.0.region", "f-documents-0-region"),
            ("documents.0.graduation_year", "f-documents-0-graduation_year"),
            ("consents.accuracy", "f-consents-accuracy"),
            ("signature.code", "f-signature-code"),
        ] {
            assert_eq!(field_id(path), id);
            assert_eq!(error_id(path), format!("{id}-error"));
        }
        assert_eq!(option_id("reason", "loss"), "f-reason-loss");
        assert_eq!(error_id("document_kind"), "f-document_kind-error");
    }

    #[test]
    fn summary_links_go_to_the_inputs_that_show_the_errors() {
        for (path, anchor) in [
            ("applicant.iin", Some("f-applicant-iin")),
            ("signature", Some("f-signature-code")),
            ("signature.phone", Some("f-signature-code")),
            ("reason", Some("f-reason-loss")),
            ("document_kind", Some("f-document_kind-diploma")),
            ("attachments.original_document", Some(ATTACHMENTS_NOTE_ID)),
            ("channel", None),
        ] {
            assert_eq!(anchor_for(path).as_deref(), anchor, "{path}");
        }
    }

    #[test]
    fn local_errors_wait_for_blur_or_submit_but_server_errors_show_at_once() {
        let local = vec![FieldError::new("applicant.iin", "required"), FieldError::new("signature", "signature.required")];
        let server = vec![ProblemFieldError { field: "signature.code".into(), code: "otp.invalid".into(), message: "x".into() }];
        let none = BTreeSet::new();
        assert_eq!(shown_errors(&local, &[], &none, false), vec![]);
        let touched: BTreeSet<String> = ["signature.code".to_string()].into();
        let shown = shown_errors(&local, &server, &touched, false);
        assert_eq!(shown.iter().map(|e| (e.field.as_str(), e.code.as_str())).collect::<Vec<_>>(), vec![
            ("signature", "signature.required"),
            ("signature.code", "otp.invalid")
        ]);
        assert_eq!(shown_errors(&local, &[], &none, true).len(), 2);
    }

    #[test]
    fn a_missing_original_is_named_in_the_summary() {
        let mut req = new_request();
        req.reason = Some(telnuska_shared::api::Reason::Damage);
        let ctx = ValidationContext { today: NaiveDate::from_ymd_opt(2026, 11, 25).unwrap() };
        let errors = validate(&req, &ctx).unwrap_err();
        let shown = shown_errors(&errors, &[], &BTreeSet::new(), true);
        let entries = summary_entries(Lang::En, &shown);
        let (anchor, text) = entries.iter().find(|(_, text)| text.starts_with("The original document")).unwrap();
        assert_eq!(anchor.as_deref(), Some(ATTACHMENTS_NOTE_ID));
        assert!(text.ends_with(error_message(Lang::En, "attachment.missing")), "{text}");
    }

    #[test]
    fn every_input_has_a_short_name_in_every_language() {
        for path in INPUTS.iter().chain(RADIO_GROUPS.iter().map(|(g, _)| g)) {
            let key = field_name_key(path).unwrap();
            for lang in Lang::ALL {
                assert_ne!(t(lang, &key), "?", "{lang:?} {key}");
            }
        }
        assert_eq!(field_name_key("documents.0.series").as_deref(), Some("field.documents.series"));
        assert_eq!(field_name_key("signature").as_deref(), Some("field.signature.code"));
        assert_eq!(field_name_key("channel"), None);
    }

    #[test]
    fn unknown_server_codes_keep_the_servers_words() {
        let e = ShownError { field: "x".into(), code: "brand.new".into(), server_message: Some("Server says".into()) };
        assert_eq!(error_text(Lang::Ru, &e), "Server says");
        let e = ShownError { field: "x".into(), code: "required".into(), server_message: Some("Server says".into()) };
        assert_eq!(error_text(Lang::En, &e), error_message(Lang::En, "required"));
    }

    #[test]
    fn the_code_signs_with_the_normalised_phone_and_follows_phone_edits() {
        let mut req = new_request();
        req.applicant.phone = "8 701 123 45 67".into();
        set_code(&mut req, "123456".into());
        assert_eq!(req.signature, Some(Signature::Otp { phone: "+77011234567".into(), code: "123456".into() }));
        set_phone(&mut req, "+7 702 000 00 00".into());
        assert_eq!(req.signature, Some(Signature::Otp { phone: "+77020000000".into(), code: "123456".into() }));
        set_code(&mut req, String::new());
        assert_eq!(req.signature, None);
        assert_eq!(digits("12a3 45678", 6), "123456");
    }

    #[test]
    fn drafts_round_trip_and_other_versions_are_dropped() {
        let mut draft = Draft::new();
        draft.request.applicant.iin = "0101".into();
        draft.touched.insert("applicant.iin".into());
        draft.idempotency_key = Some("k".into());
        set_code(&mut draft.request, "12".into());
        let json = serde_json::to_string(&draft).unwrap();
        let back: Draft = serde_json::from_str(&json).unwrap();
        assert_eq!(back.clone().restored(), Some(draft));
        assert_eq!(Draft { schema_version: 2, ..back }.restored(), None);
    }

    #[test]
    fn uuids_are_version_4() {
        let id = uuid_v4([0xff; 16]);
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert_eq!(&id[19..20], "b");
    }
}
