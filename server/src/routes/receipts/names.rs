//! The names printed on receipts and registers, in the reader's language: people, services,
//! organisations and documents.

use telnuska_shared::api::{AttachmentKind, Channel, CreateApplicationRequest, ServiceCode};
use telnuska_shared::branch::Branch;
use telnuska_shared::i18n::{t, Lang};
use telnuska_shared::reference::{compiled, Names, Reference};

/// A catalogue name in `lang`.
pub fn in_lang(names: &Names, lang: Lang) -> String {
    names.in_lang(lang).to_string()
}

/// The applicant's full name as forms write it: surname, name, patronymic.
pub fn applicant_name(request: &CreateApplicationRequest) -> String {
    let a = &request.applicant;
    [Some(a.last_name.as_str()), Some(a.first_name.as_str()), a.patronymic.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The service's official name (services are tied to code: the compiled-in catalogue has them).
pub fn service_name(service: ServiceCode, lang: Lang) -> String {
    in_lang(&compiled().service(service).name, lang)
}

/// A document by its name (the attachment kinds of the form).
pub fn document_name(kind: AttachmentKind, lang: Lang) -> String {
    t(lang, &format!("attachment.kind.{}", kind.code())).to_string()
}

/// How the organisation is named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// On a line of its own (starts with a capital).
    OwnLine,
    /// Inside a sentence.
    InText,
}

/// Who accepts the package: the State Corporation's department for papers taken at ЦОН, a kiosk
/// or a home visit, with its number and branch when the accepting operator has one (else the
/// form's blank "№ ____"); the provider itself for the portal and its own office, where no ЦОН
/// takes part (DOMAIN.md; 003 item 47). The institution is named as `reference` (the lists in
/// force) has it.
pub fn organisation(request: &CreateApplicationRequest, reference: &Reference, branch: Option<&Branch>, lang: Lang, placement: Placement) -> String {
    let institution = request.documents.first().and_then(|d| reference.institution(&d.institution));
    match (request.channel, institution) {
        (Channel::Portal | Channel::Office, Some(institution)) => in_lang(&institution.name, lang),
        _ => state_corporation(branch, lang, placement),
    }
}

/// The State Corporation's department, numbered and named after `branch` when there is one.
pub fn state_corporation(branch: Option<&Branch>, lang: Lang, placement: Placement) -> String {
    let (blank, numbered) = match placement {
        Placement::OwnLine => ("receipt.state_corporation", "receipt.state_corporation.branch"),
        Placement::InText => ("receipt.state_corporation.in_text", "receipt.state_corporation.in_text.branch"),
    };
    match branch {
        Some(branch) => t(lang, numbered).replace("{number}", branch.number()).replace("{branch}", branch.name()),
        None => t(lang, blank).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_attachment_kind_and_service_has_a_name_in_every_language() {
        for lang in Lang::ALL {
            for kind in AttachmentKind::ALL {
                assert!(!document_name(*kind, lang).is_empty() && document_name(*kind, lang) != "?", "{kind:?} {lang:?}");
            }
            for service in ServiceCode::ALL {
                assert!(!service_name(*service, lang).is_empty(), "{service:?} {lang:?}");
            }
        }
    }
}
