//! Wire types of the HTTP contract (`shared/API.md`), shared by the server and the browser app.
//! They carry raw values and no logic: [`crate::application`] turns a request into a domain value.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Deserializer, Serialize};

/// Lists may be omitted or `null` (API.md, conventions): both mean empty.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

mod arrivals;
mod codes;
mod desk;
mod evidence;
mod intake;

pub use arrivals::*;
pub use codes::*;
pub use desk::*;
pub use evidence::*;
pub use intake::*;

/// A person's identity as typed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonInput {
    /// IIN.
    #[serde(default)]
    pub iin: String,
    /// Surname.
    #[serde(default)]
    pub last_name: String,
    /// Given name.
    #[serde(default)]
    pub first_name: String,
    /// Patronymic, if any.
    #[serde(default)]
    pub patronymic: Option<String>,
    /// A representative's own mobile phone (`representative.phone`), to which SMS codes and
    /// messages go. Other people carry none (dropped). v1 clients leave it out and give the
    /// contact of whoever applies as `applicant.phone`, which is then stored here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// A representative's own e-mail, if any (as [`PersonInput::phone`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// The applicant with contacts.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    /// IIN.
    #[serde(default)]
    pub iin: String,
    /// Surname.
    #[serde(default)]
    pub last_name: String,
    /// Given name.
    #[serde(default)]
    pub first_name: String,
    /// Patronymic, if any.
    #[serde(default)]
    pub patronymic: Option<String>,
    /// Mobile phone.
    #[serde(default)]
    pub phone: String,
    /// E-mail, if any.
    #[serde(default)]
    pub email: Option<String>,
    /// Postal address, if given (the refusal-to-accept receipt, Annex 4, names it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
}

impl ApplicantInput {
    /// The applicant's identity, without contacts.
    pub fn person(&self) -> PersonInput {
        PersonInput {
            iin: self.iin.clone(),
            last_name: self.last_name.clone(),
            first_name: self.first_name.clone(),
            patronymic: self.patronymic.clone(),
            ..PersonInput::default()
        }
    }
}

/// One "details of the education document" entry (000: "ДОБАВИТЬ" adds another).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentInput {
    /// Region code.
    #[serde(default)]
    pub region: String,
    /// Institution code.
    #[serde(default)]
    pub institution: String,
    /// Degree code.
    #[serde(default)]
    pub degree: String,
    /// Specialty as printed in the document.
    #[serde(default)]
    pub specialty: String,
    /// Series.
    #[serde(default)]
    pub series: String,
    /// Blank number.
    #[serde(default)]
    pub number: String,
    /// Registration number.
    #[serde(default)]
    pub registration_number: String,
    /// Year of graduation.
    #[serde(default)]
    pub graduation_year: Option<i32>,
    /// The name of the institution as printed on the document, when it is not in the list
    /// (`institution` then stays empty; its kind is the service's, its region the document's):
    /// the application goes to the region's education authority, which routes it to the issuer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unlisted_institution: Option<String>,
    /// The institution's name and address at graduation, when it has been renamed or closed
    /// since (003 annex 5). Left out of the JSON when absent, so what v1 clients sign is
    /// unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub institution_as_named: Option<String>,
}

/// One wrong piece of data that a correction asks to put right (002): what it is, how it is
/// printed, how it should read, and the document that proves it.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorrectionInput {
    /// Which data is wrong.
    #[serde(default)]
    pub data: Option<CorrectedData>,
    /// As printed on the document.
    #[serde(default)]
    pub as_printed: String,
    /// As it should be.
    #[serde(default)]
    pub should_be: String,
    /// The document that proves the right value (e.g. the identity card).
    #[serde(default)]
    pub proof: String,
}

/// A previously uploaded file referred to by id.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttachmentRef {
    /// What it is.
    pub kind: AttachmentKind,
    /// Id returned by `POST /api/attachments`.
    pub id: String,
}

/// Where the result of an application is collected (DOMAIN.md, "Corrections after a
/// conformance audit", item 3).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    /// A ЦОН branch or the provider.
    pub place: CollectionPlace,
    /// The ЦОН branch (its name or address), when `place` is `con`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
}

/// The two confirmations of the portal form (000).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consents {
    /// Legal responsibility for the accuracy of the data.
    #[serde(default)]
    pub accuracy: bool,
    /// Consent to the use of personal data from external systems (refusal ground 3 otherwise).
    #[serde(default)]
    pub personal_data: bool,
}

/// How a portal or kiosk application is signed.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case", deny_unknown_fields)]
pub enum Signature {
    /// A one-time SMS code sent to `phone`.
    Otp {
        /// The phone the code was sent to.
        phone: String,
        /// The 6-digit code.
        code: String,
    },
    /// An EDS signature (CMS, base64).
    Eds {
        /// The CMS signature in base64.
        cms: String,
    },
}

/// `POST /api/applications` and `/validate` body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateApplicationRequest {
    /// Service.
    pub service: ServiceCode,
    /// Channel.
    pub channel: Channel,
    /// The applicant.
    #[serde(default)]
    pub applicant: ApplicantInput,
    /// Who applies.
    #[serde(default)]
    pub relationship: Option<Relationship>,
    /// The representative, when `relationship` is `representative`.
    #[serde(default)]
    pub representative: Option<PersonInput>,
    /// Which document is asked for.
    #[serde(default)]
    pub document_kind: Option<DocumentKind>,
    /// The documents.
    #[serde(default, deserialize_with = "null_as_default")]
    pub documents: Vec<DocumentInput>,
    /// The pupil, when a parent or guardian applies for a school document.
    #[serde(default)]
    pub pupil: Option<PersonInput>,
    /// Reason.
    #[serde(default)]
    pub reason: Option<Reason>,
    /// Attached files.
    #[serde(default, deserialize_with = "null_as_default")]
    pub attachments: Vec<AttachmentRef>,
    /// Consents.
    #[serde(default, deserialize_with = "null_as_default")]
    pub consents: Consents,
    /// Signature (portal, kiosk).
    #[serde(default)]
    pub signature: Option<Signature>,
    /// When a field worker accepted the papers (kept by the device while offline).
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::optional_instant"))]
    pub accepted_at: Option<DateTime<Utc>>,
    /// The graduate's name as printed on the original document, when it differs from the
    /// current one (required for a change of name): the issuer finds the record by it. Its
    /// `iin` is not asked and is dropped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_on_document: Option<PersonInput>,
    /// What a correction puts right (the `correction` service; at least one entry).
    #[serde(default, deserialize_with = "null_as_default", skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<CorrectionInput>,
    /// Where the result is collected; absent means a ЦОН branch, as in v1. New optional fields
    /// are left out of the JSON when absent, so what v1 clients sign is unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<Collection>,
    /// Why a field worker serves the applicant at home (`field` channel only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub home_service_ground: Option<HomeServiceGround>,
}

impl CreateApplicationRequest {
    /// The bytes an applicant signs with EDS: this request without its signature, as JSON. The
    /// browser signs exactly these bytes and the server verifies exactly these (one definition),
    /// so a signature covers every answer the person gave and nothing else.
    pub fn signed_content(&self) -> Vec<u8> {
        let mut unsigned = self.clone();
        unsigned.signature = None;
        serde_json::to_vec(&unsigned).unwrap_or_default()
    }

    /// The representative, when one acts.
    pub fn acting_representative(&self) -> Option<&PersonInput> {
        self.representative.as_ref().filter(|_| self.relationship == Some(Relationship::Representative))
    }

    /// The contacts (phone, e-mail) of the person who applies: a representative's own when one
    /// acts and gave them (`representative.phone`, as stored), else `applicant.phone` and
    /// `applicant.email` (in v1 the contact of whoever applies, the representative included).
    pub fn contacts(&self) -> (&str, Option<&str>) {
        match self.acting_representative() {
            Some(PersonInput { phone: Some(phone), email, .. }) => (phone, email.as_deref()),
            _ => (&self.applicant.phone, self.applicant.email.as_deref()),
        }
    }

    /// The phone an SMS code that signs this application must have gone to: that of the
    /// person who applies ([`Self::contacts`]). Every SMS about the application goes to it too.
    pub fn signer_phone(&self) -> &str {
        self.contacts().0
    }
}

/// Secrets never reach a log: `Debug` shows the method and the phone, not the code or the CMS.
impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Otp { phone, .. } => f.debug_struct("Otp").field("phone", phone).field("code", &"<redacted>").finish(),
            Self::Eds { cms } => f.debug_struct("Eds").field("cms_bytes", &cms.len()).finish(),
        }
    }
}

/// `201` of `POST /api/applications`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedApplication {
    /// Id.
    pub id: String,
    /// Human-readable number.
    pub number: String,
    /// Status.
    pub status: ApplicationStatus,
    /// Registration day.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::date"))]
    pub registered_on: NaiveDate,
    /// Due day.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::date"))]
    pub due_on: NaiveDate,
    /// Bearer token with which the applicant tracks this application.
    pub tracking_token: String,
}

/// One stage in an application's history.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// When.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::instant"))]
    pub at: DateTime<Utc>,
    /// The status reached.
    pub status: ApplicationStatus,
    /// Who did it.
    pub by_role: Role,
    /// A note, if any.
    #[serde(default)]
    pub note: Option<String>,
    /// When it was done by the clock of the device that queued it offline (a hand-over at the
    /// applicant's home), when that differs from `at`, the server's time of recording it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::optional_instant"))]
    pub performed_at: Option<DateTime<Utc>>,
}

/// `GET /api/applications/{id}`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApplicationView {
    /// Id.
    pub id: String,
    /// Human-readable number.
    pub number: String,
    /// Service.
    pub service: ServiceCode,
    /// Channel.
    pub channel: Channel,
    /// Status.
    pub status: ApplicationStatus,
    /// Registration day.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::date"))]
    pub registered_on: NaiveDate,
    /// Due day.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::date"))]
    pub due_on: NaiveDate,
    /// When it was submitted (or accepted at the door).
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::instant"))]
    pub submitted_at: DateTime<Utc>,
    /// Stages, oldest first.
    pub history: Vec<HistoryEntry>,
    /// The request as submitted (normalised).
    pub request: CreateApplicationRequest,
    /// `on_time`, `at_risk` (the result is due at ЦОН within a working day) or `overdue`, as
    /// last computed by the server's deadline job.
    #[serde(default)]
    pub deadline_state: Option<String>,
    /// The name the issuer looks the graduate up by in its register: as printed on the original
    /// document when it differs from the current one, else the current name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub register_name: Option<String>,
    /// The derived deadlines stored as the work reached them (registration on arrival, a
    /// college's review, a recall, the objection window); the app does not read them.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", serde(skip_deserializing))]
    pub deadlines: Option<WatchedDeadlines>,
    /// The registered kiosk it was sent from (`channel: kiosk` with the kiosk's token).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kiosk_id: Option<String>,
}

/// The derived deadlines stored per application as its work reaches them (DOMAIN.md,
/// "Corrections after a conformance audit", item 8); the job flags the ones that run.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchedDeadlines {
    /// The provider registers a dispatched package by this day (003 item 57).
    #[serde(default)]
    pub register_by: Option<NaiveDate>,
    /// A college reviews the package by this day (003 item 58).
    #[serde(default)]
    pub review_by: Option<NaiveDate>,
    /// The provider sends a recalled document back by this day (000; 003 item 62).
    #[serde(default)]
    pub recall_by: Option<NaiveDate>,
    /// The applicant may object to a preliminary refusal until this day (003 item 58).
    #[serde(default)]
    pub objection_by: Option<NaiveDate>,
}

/// One field error in a problem response.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProblemFieldError {
    /// Dotted path.
    pub field: String,
    /// Stable code.
    pub code: String,
    /// Text in the caller's language.
    pub message: String,
}

/// `application/problem+json`-style error body.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// URI reference naming the problem type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short text in the caller's language.
    pub title: String,
    /// HTTP status.
    pub status: u16,
    /// Stable code.
    pub code: String,
    /// Field errors.
    #[serde(default)]
    pub errors: Vec<ProblemFieldError>,
}

/// `200` of `POST /api/applications/validate`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationOutcome {
    /// Always empty on 200.
    pub errors: Vec<ProblemFieldError>,
    /// Advice that is not an error (e.g. the duplicate keeps the former surname), in the caller's
    /// language.
    #[serde(default)]
    pub notices: Vec<ProblemFieldError>,
}

/// `GET /api/health`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub database: String,
    /// Server version.
    pub version: String,
}

/// `GET /api/calendar/due`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DueDates {
    /// Registration day.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::date"))]
    pub registered_on: NaiveDate,
    /// Due day.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::date"))]
    pub due_on: NaiveDate,
    /// The service's term.
    pub term_working_days: u32,
}

/// `POST /api/otp`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OtpRequest {
    /// The phone to send the code to.
    pub phone: String,
    /// SHA-256 (lowercase hex) of [`CreateApplicationRequest::signed_content`] of the answers the
    /// code will sign. A code issued with it signs only those answers; one issued without it (the
    /// v1 body) signs any answers whose [`CreateApplicationRequest::signer_phone`] is `phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_sha256: Option<String>,
}

/// One message of the development SMS outbox.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DevSms {
    /// Recipient, E.164.
    pub phone: String,
    /// Text as sent.
    pub text: String,
    /// The one-time code it carries, if any.
    pub code: Option<String>,
    /// When.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::instant"))]
    pub sent_at: DateTime<Utc>,
}

/// `GET /api/config`: what the citizen app needs to know about this server before signing.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientConfig {
    /// Signing with an electronic digital signature (EDS) through NCALayer.
    pub eds: EdsConfig,
}

/// Whether EDS signing is offered, and where the person's NCALayer listens.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EdsConfig {
    /// A verifier is configured: EDS signatures are checked (otherwise they are refused with
    /// `signature.eds_unavailable` and people sign with an SMS code).
    pub available: bool,
    /// The WebSocket URL of NCALayer on the person's computer (`wss://127.0.0.1:13579`).
    pub ncalayer_url: String,
}

/// `POST /api/auth/login`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    /// Login.
    pub login: String,
    /// Password.
    pub password: String,
}

/// `200` of `POST /api/auth/login`.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoginResponse {
    /// Opaque bearer token.
    pub token: String,
    /// Role.
    pub role: Role,
    /// When the token stops working.
    #[cfg_attr(target_arch = "wasm32", serde(deserialize_with = "crate::wire_time::instant"))]
    pub expires_at: DateTime<Utc>,
}

/// The password never reaches a log.
impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginRequest").field("login", &self.login).field("password", &"<redacted>").finish()
    }
}

/// The session token never reaches a log.
impl std::fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginResponse").field("token", &"<redacted>").field("role", &self.role).field("expires_at", &self.expires_at).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_keeps_secrets_out() {
        let otp = Signature::Otp { phone: "+77011234567".into(), code: "482915".into() };
        let eds = Signature::Eds { cms: "MIIBsecretcms".into() };
        let login = LoginRequest { login: "admin".into(), password: "hunter2-long-pass".into() };
        let session = LoginResponse { token: "tok-abcdef".into(), role: Role::Admin, expires_at: DateTime::UNIX_EPOCH };
        let printed = format!("{otp:?} {eds:?} {login:?} {session:?}");
        for secret in ["482915", "MIIBsecretcms", "hunter2-long-pass", "tok-abcdef"] {
            assert!(!printed.contains(secret), "{secret} in {printed}");
        }
        assert!(printed.contains("+77011234567") && printed.contains("admin"), "{printed}");
    }

    #[test]
    fn unknown_fields_are_rejected_and_null_lists_are_empty() {
        let ok = r#"{"service":"higher_duplicate","channel":"portal","documents":null,"attachments":null}"#;
        let req: CreateApplicationRequest = serde_json::from_str(ok).unwrap();
        assert!(req.documents.is_empty());
        let bad = r#"{"service":"higher_duplicate","channel":"portal","surprise":1}"#;
        assert!(serde_json::from_str::<CreateApplicationRequest>(bad).is_err());
    }

    #[test]
    fn signed_content_leaves_out_the_signature_and_is_stable() {
        let json = r#"{"service":"higher_duplicate","channel":"portal","applicant":{"iin":"010101599904","phone":"+77011234567"}}"#;
        let mut req: CreateApplicationRequest = serde_json::from_str(json).unwrap();
        let unsigned = req.signed_content();
        req.signature = Some(Signature::Eds { cms: "MIIC".into() });
        assert_eq!(req.signed_content(), unsigned, "signing does not change what is signed");
        req.signature = Some(Signature::Otp { phone: "+77011234567".into(), code: "123456".into() });
        assert_eq!(req.signed_content(), unsigned);
        let text = String::from_utf8(unsigned.clone()).unwrap();
        assert!(text.contains(r#""signature":null"#) && !text.contains("MIIC"), "{text}");
        assert!(text.contains("010101599904"), "the answers are covered");
        // What the server receives (sent JSON, parsed again) gives the very same bytes.
        let sent: CreateApplicationRequest = serde_json::from_str(&serde_json::to_string(&req).unwrap()).unwrap();
        assert_eq!(sent.signed_content(), unsigned);
        req.applicant.phone = "+77020000000".into();
        assert_ne!(req.signed_content(), unsigned, "another answer is another content");
    }

    #[test]
    fn codes_round_trip() {
        /// `from_code ∘ code` is the identity, and serde writes exactly the code.
        fn check<T: Copy + PartialEq + std::fmt::Debug + Serialize + serde::de::DeserializeOwned>(
            all: &[T],
            code: fn(T) -> &'static str,
            from: fn(&str) -> Option<T>,
        ) {
            for v in all {
                assert_eq!(from(code(*v)), Some(*v));
                assert_eq!(serde_json::to_value(v).unwrap(), serde_json::Value::from(code(*v)));
                assert_eq!(serde_json::from_value::<T>(code(*v).into()).unwrap(), *v);
            }
        }
        check(ServiceCode::ALL, ServiceCode::code, ServiceCode::from_code);
        check(Channel::ALL, Channel::code, Channel::from_code);
        check(Relationship::ALL, Relationship::code, Relationship::from_code);
        check(DocumentKind::ALL, DocumentKind::code, DocumentKind::from_code);
        check(Reason::ALL, Reason::code, Reason::from_code);
        check(AttachmentKind::ALL, AttachmentKind::code, AttachmentKind::from_code);
        check(ApplicationStatus::ALL, ApplicationStatus::code, ApplicationStatus::from_code);
        check(Role::ALL, Role::code, Role::from_code);
        assert_eq!(serde_json::to_string(&Relationship::SelfApplicant).unwrap(), r#""self""#);
        assert_eq!(ServiceCode::from_code("HIGHER_DUPLICATE"), None);
    }
}
