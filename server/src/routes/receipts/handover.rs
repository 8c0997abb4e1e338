//! The hand-over receipt (003 item 62; issue 17): the applicant's paper that the result was given
//! out, naming the identity document or power of attorney shown and the time, with a QR code of
//! the application number like every other form the desk prints.

use chrono::{DateTime, Utc};
use telnuska_shared::calendar::almaty_local;
use telnuska_shared::handover::{IdentityDocumentType, PresentedDocument};
use telnuska_shared::i18n::{t, Lang};

use super::font::{PdfError, Weight};
use super::forms::{code_block, long_date};
use super::render::render;
use super::sheet::{Align, Flow, MARGIN_Y_MM, TITLE};

/// The hand-over's record in `lang` (the note on its event, at the desk and at the applicant's
/// home): the document's name and number, or the power of attorney's number, date and notary.
pub(crate) fn record(document: &PresentedDocument, lang: Lang) -> String {
    match document {
        PresentedDocument::Identity { document_type, number } => {
            let name = match document_type {
                IdentityDocumentType::IdentityCard => t(lang, "identity_document.identity_card"),
                IdentityDocumentType::Passport => t(lang, "identity_document.passport"),
                IdentityDocumentType::ResidencePermit => t(lang, "identity_document.residence_permit"),
                IdentityDocumentType::StatelessCertificate => t(lang, "identity_document.stateless_certificate"),
            };
            t(lang, "handover.identity").replace("{document}", name).replace("{number}", number)
        }
        PresentedDocument::PowerOfAttorney { number, date, notary } => {
            t(lang, "handover.power_of_attorney").replace("{number}", number).replace("{date}", &long_date(lang, *date)).replace("{notary}", notary)
        }
    }
}

/// Side of the number's QR code.
const CODE_MM: f32 = 20.0;

/// What a hand-over receipt states.
#[derive(Debug, Clone)]
pub struct HandOverReceipt {
    /// Language of the labels (the applicant's).
    pub lang: Lang,
    /// The application's number.
    pub number: String,
    /// The ЦОН department that handed the result over.
    pub organisation: String,
    /// The applicant's full name.
    pub applicant: String,
    /// The service's name.
    pub service: String,
    /// The document shown, as the hand-over recorded it.
    pub shown: String,
    /// When it was handed over.
    pub at: DateTime<Utc>,
    /// The operator who handed it over.
    pub worker: Option<String>,
}

/// The receipt on one A4 page.
pub fn hand_over_pdf(r: &HandOverReceipt) -> Result<Vec<u8>, PdfError> {
    let lang = r.lang;
    let title = t(lang, "receipt.handover.title").replace("{number}", &r.number);
    let mut f = Flow::page_column();
    let mut heading = Flow::between(f.left() + CODE_MM + 5.0, f.right());
    heading.gap(CODE_MM / 3.0);
    heading.paragraph(&title, TITLE, Weight::Bold, Align::Center, 0.0);
    f.append_beside(code_block(f.left(), &r.number, CODE_MM)?, heading);
    f.gap(6.0);
    f.filled_line(&r.organisation, Some(t(lang, "receipt.organisation.caption")));
    f.filled_line(&r.applicant, Some(t(lang, "receipt.applicant.caption")));
    f.labelled(t(lang, "receipt.service"), &r.service);
    f.labelled(t(lang, "receipt.handover.shown"), &r.shown);
    let local = almaty_local(r.at);
    f.labelled(t(lang, "receipt.handover.at"), &format!("{}, {}", long_date(lang, local.date_naive()), local.format("%H:%M")));
    f.gap(6.0);
    f.paragraph(t(lang, "receipt.worker"), f.body(), Weight::Regular, Align::Left, 0.0);
    f.field("", r.worker.as_deref().unwrap_or_default(), Some(t(lang, "receipt.signature")));
    f.gap(6.0);
    f.paragraph(t(lang, "receipt.handover.received"), f.body(), Weight::Regular, Align::Left, 0.0);
    f.field(t(lang, "receipt.date"), &long_date(lang, local.date_naive()), Some(t(lang, "receipt.signature")));
    render(&title, &[f.placed_at(MARGIN_Y_MM)])
}
