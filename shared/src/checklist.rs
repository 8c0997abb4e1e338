//! The package checklist of the ЦОН desk: what the operator checks before accepting a package,
//! derived from the service catalogue (the service, the reason and who applies), and what is
//! missing when items are not ticked — what Annex 4 lists as the reason to refuse acceptance
//! (003 item 52).

use serde::{Deserialize, Serialize};

use crate::api::{AttachmentKind, Reason, Relationship, ServiceCode};
use crate::reference::compiled;

/// One item to check: a document, or one of the documents that may stand for it (a school
/// pupil's identity card for the birth certificate).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChecklistItem {
    /// The document the rules name.
    pub kind: AttachmentKind,
    /// Documents accepted in its place.
    #[serde(default)]
    pub alternatives: Vec<AttachmentKind>,
}

impl ChecklistItem {
    /// Whether a presented document of `kind` meets this item.
    pub fn met_by(&self, kind: AttachmentKind) -> bool {
        self.kind == kind || self.alternatives.contains(&kind)
    }
}

/// The documents a package of this service, reason and relationship must hold besides the
/// application itself, in the catalogue's order, each once. An unknown reason or relationship
/// leaves only the documents every package needs.
pub fn package_checklist(service: ServiceCode, reason: Option<Reason>, relationship: Option<Relationship>) -> Vec<ChecklistItem> {
    let mut items: Vec<ChecklistItem> = Vec::new();
    for doc in compiled().service(service).documents.iter().filter(|d| d.applies(reason, relationship)) {
        match items.iter_mut().find(|item| item.kind == doc.kind) {
            Some(item) => {
                for alternative in &doc.alternatives {
                    if !item.alternatives.contains(alternative) {
                        item.alternatives.push(*alternative);
                    }
                }
            }
            None => items.push(ChecklistItem { kind: doc.kind, alternatives: doc.alternatives.clone() }),
        }
    }
    items
}

/// The items that none of the `presented` documents meets, by the document the rules name.
pub fn missing_items(checklist: &[ChecklistItem], presented: &[AttachmentKind]) -> Vec<AttachmentKind> {
    checklist.iter().filter(|item| !presented.iter().any(|k| item.met_by(*k))).map(|item| item.kind).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use AttachmentKind::*;

    fn kinds(items: &[ChecklistItem]) -> Vec<AttachmentKind> {
        items.iter().map(|i| i.kind).collect()
    }

    #[test]
    fn the_checklist_follows_the_catalogue_for_every_service_reason_and_relationship() {
        let service = compiled().service(ServiceCode::HigherDuplicate);
        for reason in service.reasons.iter().copied().map(Some).chain([None]) {
            for relationship in Relationship::ALL.iter().copied().map(Some).chain([None]) {
                let list = package_checklist(ServiceCode::HigherDuplicate, reason, relationship);
                assert_eq!(kinds(&list), service.required_attachments(reason, relationship), "{reason:?} {relationship:?}");
            }
        }
    }

    #[test]
    fn a_representative_changing_a_name_brings_the_power_of_attorney_and_the_certificate() {
        let list = package_checklist(ServiceCode::HigherDuplicate, Some(Reason::NameChange), Some(Relationship::Representative));
        assert!(kinds(&list).contains(&PowerOfAttorney) && kinds(&list).contains(&NameChangeCertificate), "{list:?}");
        let own = package_checklist(ServiceCode::HigherDuplicate, Some(Reason::Loss), Some(Relationship::SelfApplicant));
        assert!(!kinds(&own).contains(&PowerOfAttorney), "{own:?}");
    }

    #[test]
    fn missing_items_are_those_no_presented_document_meets() {
        let list = package_checklist(ServiceCode::HigherDuplicate, Some(Reason::NameChange), Some(Relationship::Representative));
        assert_eq!(missing_items(&list, &kinds(&list)), Vec::new());
        let missing = missing_items(&list, &[PowerOfAttorney]);
        assert!(!missing.contains(&PowerOfAttorney) && missing.contains(&NameChangeCertificate), "{missing:?}");
        assert_eq!(missing_items(&list, &[]), kinds(&list));
    }

    #[test]
    fn an_alternative_meets_its_item() {
        let item = ChecklistItem { kind: BirthCertificate, alternatives: vec![IdentityCard] };
        assert!(item.met_by(IdentityCard) && item.met_by(BirthCertificate) && !item.met_by(PowerOfAttorney));
        assert_eq!(missing_items(&[item], &[IdentityCard]), Vec::new());
    }
}
