//! The service catalogue as data (`shared/data/services.json`): for each of the four services its
//! names, term, channels, who may apply, reasons, document kinds, the documents to attach (always
//! or by reason and relationship), refusal grounds and result kinds. The validator and the app both
//! read it, so a rule written here is the one rule.

use serde::{Deserialize, Serialize};

use super::{InstitutionKind, Names};
use crate::api::{AttachmentKind, Channel, DocumentKind, Reason, Relationship, ServiceCode};

const SERVICES_JSON: &str = include_str!("../../data/services.json");

/// The grounds for refusal (003 annex 6 item 9; 002 item 9).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalGround {
    /// 1. The documents or the data in them are unreliable.
    Unreliable,
    /// 2. The documents do not meet the requirements of the rules.
    NonCompliant,
    /// 3. No consent to access personal data of limited access.
    NoConsent,
}

impl RefusalGround {
    /// Every ground, in the order of the rules.
    pub const ALL: [RefusalGround; 3] = [RefusalGround::Unreliable, RefusalGround::NonCompliant, RefusalGround::NoConsent];

    /// The stable code (as serialised).
    pub fn code(self) -> &'static str {
        match self {
            Self::Unreliable => "unreliable",
            Self::NonCompliant => "non_compliant",
            Self::NoConsent => "no_consent",
        }
    }
}

/// What the applicant receives when the service is granted (DOMAIN.md, "The four services").
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultKind {
    /// A duplicate on the current paper blank (000, 001, 003).
    PaperDuplicate,
    /// The diploma in the "Digital documents" service of eGov Mobile (003 annex 6 item 10).
    DigitalDiploma,
    /// The document's record, corrected (002 annex 2 item 5).
    UpdatedRecord,
}

impl ResultKind {
    /// Every result kind.
    pub const ALL: [ResultKind; 3] = [ResultKind::PaperDuplicate, ResultKind::DigitalDiploma, ResultKind::UpdatedRecord];

    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::PaperDuplicate => "paper_duplicate",
            Self::DigitalDiploma => "digital_diploma",
            Self::UpdatedRecord => "updated_record",
        }
    }
}

/// A document the applicant attaches, and when: it is required if the request's reason is one
/// of `reasons` (any reason when empty) and its relationship is one of `relationships` (any when
/// empty).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceDocument {
    /// What is attached.
    pub kind: AttachmentKind,
    /// Documents that may stand in its place (001: a birth certificate **or** an identity card).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<AttachmentKind>,
    /// Reasons that require it; empty means every reason.
    #[serde(default)]
    pub reasons: Vec<Reason>,
    /// Relationships that require it; empty means every relationship.
    #[serde(default)]
    pub relationships: Vec<Relationship>,
    /// The seed and item that require it.
    pub source: String,
}

impl ServiceDocument {
    /// Whether a request with this reason and relationship needs the document. An unknown
    /// (missing) reason or relationship triggers only unconditional documents: the missing
    /// field is reported on its own.
    pub fn applies(&self, reason: Option<Reason>, relationship: Option<Relationship>) -> bool {
        matches(&self.reasons, reason) && matches(&self.relationships, relationship)
    }

    /// Whether an attachment of `kind` meets this requirement (the document or one of its
    /// alternatives).
    pub fn accepts(&self, kind: AttachmentKind) -> bool {
        self.kind == kind || self.alternatives.contains(&kind)
    }
}

fn matches<T: PartialEq>(list: &[T], value: Option<T>) -> bool {
    list.is_empty() || value.is_some_and(|v| list.contains(&v))
}

/// One service of the catalogue.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Service {
    /// Stable code.
    pub code: ServiceCode,
    /// Official name.
    pub name: Names,
    /// Term in working days from registration (DOMAIN.md, "The four services").
    pub term_working_days: u32,
    /// Channels through which it may be requested.
    pub channels: Vec<Channel>,
    /// Which institutions provide it.
    pub provider_kind: InstitutionKind,
    /// Who may apply (a parent or guardian only for a minor's school document, 001).
    #[serde(default)]
    pub relationships: Vec<Relationship>,
    /// Reasons it accepts (duplicates: loss, damage, name change; correction: a data error).
    #[serde(default)]
    pub reasons: Vec<Reason>,
    /// Which documents it issues.
    #[serde(default)]
    pub document_kinds: Vec<DocumentKind>,
    /// Documents to attach, always or by reason and relationship.
    #[serde(default)]
    pub documents: Vec<ServiceDocument>,
    /// Grounds on which the provider may refuse (003 annex 6 item 9; 002 annex 2 item 9).
    #[serde(default)]
    pub refusal_grounds: Vec<RefusalGround>,
    /// What the applicant receives when it is granted.
    #[serde(default)]
    pub results: Vec<ResultKind>,
    /// The seeds the entry is drawn from.
    #[serde(default)]
    pub source: String,
}

impl Service {
    /// The attachments a request with this reason and relationship needs, in catalogue order,
    /// each once.
    pub fn required_attachments(&self, reason: Option<Reason>, relationship: Option<Relationship>) -> Vec<AttachmentKind> {
        let mut kinds: Vec<AttachmentKind> = Vec::new();
        for doc in self.documents.iter().filter(|d| d.applies(reason, relationship)) {
            if !kinds.contains(&doc.kind) {
                kinds.push(doc.kind);
            }
        }
        kinds
    }

    /// The required documents that none of `attached` meets, by their main kind (the error's
    /// path names it: `attachments.birth_certificate`).
    pub fn missing_attachments(&self, reason: Option<Reason>, relationship: Option<Relationship>, attached: &[AttachmentKind]) -> Vec<AttachmentKind> {
        crate::checklist::missing_items(&crate::checklist::package_checklist(self.code, reason, relationship), attached)
    }

    /// Whether the provider may refuse on `ground` (003 annex 6 item 9; a correction only for
    /// unreliable data, 002 item 9).
    pub fn refuses_on(&self, ground: RefusalGround) -> bool {
        self.refusal_grounds.contains(&ground)
    }

    /// Whether the result is a paper document someone collects (a duplicate), not an updated
    /// record delivered electronically (002 items 4–5).
    pub fn collected_on_paper(&self) -> bool {
        self.results.contains(&ResultKind::PaperDuplicate)
    }
}

/// The catalogue of the bundled data file.
pub(super) fn services() -> Vec<Service> {
    serde_json::from_str(SERVICES_JSON).expect("data/services.json matches Service (a unit test checks)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_service_code_is_described_once_with_every_part_filled() {
        let services = services();
        for code in ServiceCode::ALL {
            let matching: Vec<_> = services.iter().filter(|s| s.code == *code).collect();
            assert_eq!(matching.len(), 1, "{code:?}");
            let s = matching[0];
            assert!(!s.channels.is_empty() && !s.relationships.is_empty() && !s.reasons.is_empty(), "{code:?}");
            assert!(!s.document_kinds.is_empty() && !s.refusal_grounds.is_empty() && !s.results.is_empty(), "{code:?}");
            assert!(s.documents.iter().all(|d| !d.source.is_empty()), "{code:?}");
        }
    }

    /// The types accept unknown fields (older apps read newer catalogues), so a misspelt key in
    /// the data file would silently become an empty list: every key must survive a round trip.
    #[test]
    fn the_data_file_has_no_unknown_keys() {
        fn keys_kept(raw: &serde_json::Value, parsed: &serde_json::Value, at: &str) {
            if let (Some(raw), Some(parsed)) = (raw.as_object(), parsed.as_object()) {
                for (key, value) in raw {
                    assert!(parsed.contains_key(key), "unknown key {at}.{key} in data/services.json");
                    keys_kept(value, &parsed[key], &format!("{at}.{key}"));
                }
            } else if let (Some(raw), Some(parsed)) = (raw.as_array(), parsed.as_array()) {
                for (i, (r, p)) in raw.iter().zip(parsed).enumerate() {
                    keys_kept(r, p, &format!("{at}.{i}"));
                }
            }
        }
        let raw: serde_json::Value = serde_json::from_str(SERVICES_JSON).unwrap();
        keys_kept(&raw, &serde_json::to_value(services()).unwrap(), "services");
    }

    #[test]
    fn conditional_documents_follow_reason_and_relationship() {
        let tvet = services().into_iter().find(|s| s.code == ServiceCode::TvetDuplicate).unwrap();
        assert_eq!(tvet.required_attachments(Some(Reason::Loss), Some(Relationship::SelfApplicant)), vec![]);
        assert_eq!(
            tvet.required_attachments(Some(Reason::NameChange), Some(Relationship::Representative)),
            vec![AttachmentKind::OriginalDocument, AttachmentKind::PowerOfAttorney]
        );
        assert_eq!(tvet.required_attachments(None, None), vec![]);
        assert_eq!(tvet.results, vec![ResultKind::PaperDuplicate, ResultKind::DigitalDiploma]);
    }

    /// Item 7 of the conformance audit: the marriage certificate is the university's own rule
    /// (004); school documents take a birth certificate or an identity card (001).
    #[test]
    fn documents_per_service_follow_the_seeds() {
        let find = |code| services().into_iter().find(|s| s.code == code).unwrap();
        for code in [ServiceCode::SchoolDuplicate, ServiceCode::TvetDuplicate] {
            assert!(
                !find(code).required_attachments(Some(Reason::NameChange), Some(Relationship::SelfApplicant)).contains(&AttachmentKind::NameChangeCertificate),
                "{code:?}"
            );
        }
        let higher = find(ServiceCode::HigherDuplicate);
        assert!(higher.required_attachments(Some(Reason::NameChange), Some(Relationship::SelfApplicant)).contains(&AttachmentKind::NameChangeCertificate));
        let school = find(ServiceCode::SchoolDuplicate);
        let (loss, parent) = (Some(Reason::Loss), Some(Relationship::Parent));
        assert_eq!(school.missing_attachments(loss, parent, &[]), vec![AttachmentKind::BirthCertificate]);
        assert_eq!(school.missing_attachments(loss, parent, &[AttachmentKind::IdentityCard]), vec![]);
        assert_eq!(school.missing_attachments(loss, parent, &[AttachmentKind::BirthCertificate]), vec![]);
        assert_eq!(school.missing_attachments(loss, parent, &[AttachmentKind::Other]), vec![AttachmentKind::BirthCertificate]);
    }

    /// Item 2: parents and guardians of minors apply for college documents as for school ones
    /// (003 annex 6 item 8.1).
    #[test]
    fn parents_and_guardians_apply_for_school_and_college_documents_only() {
        for s in services() {
            let minors = matches!(s.code, ServiceCode::SchoolDuplicate | ServiceCode::TvetDuplicate);
            for r in [Relationship::Parent, Relationship::Guardian] {
                assert_eq!(s.relationships.contains(&r), minors, "{:?} {r:?}", s.code);
            }
        }
    }

    /// Item 5: a ground the service does not list is refused.
    #[test]
    fn refusal_grounds_are_per_service() {
        for s in services() {
            for g in RefusalGround::ALL {
                let listed = s.code != ServiceCode::Correction || g == RefusalGround::Unreliable;
                assert_eq!(s.refuses_on(g), listed, "{:?} {g:?}", s.code);
            }
        }
    }

    #[test]
    fn correction_refuses_only_for_unreliable_data_and_needs_an_electronic_copy() {
        let c = services().into_iter().find(|s| s.code == ServiceCode::Correction).unwrap();
        assert_eq!(c.refusal_grounds, vec![RefusalGround::Unreliable]);
        assert_eq!(c.required_attachments(None, None), vec![AttachmentKind::ElectronicCopy]);
        assert_eq!(c.channels, vec![Channel::Portal]);
    }
}
