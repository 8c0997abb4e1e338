//! The two receipts of intake (seed 003, items 50–52): Annex 3, the receipt of acceptance, and
//! Annex 4, the receipt of refusal to accept, made in 2 copies. Built from plain values, so they
//! are tested without a server.

use chrono::{Datelike, NaiveDate};
use telnuska_shared::i18n::{t, Lang};

use super::code::qr_marks;
use super::font::{PdfError, Weight};
use super::render::render;
use super::sheet::{Align, Flow, Mark, MARGIN_Y_MM, PAGE_HEIGHT_MM, PAGE_WIDTH_MM, SMALL, TITLE};

/// Where the annex header block starts: the right part of the page, as on the printed rules.
const HEADER_LEFT_MM: f32 = 118.0;
/// Body size of the refusal receipt, so that both copies usually fit on one page.
const REFUSAL_BODY: f32 = 8.5;
/// Space around the cut line between two copies on one page.
const CUT_GAP_MM: f32 = 4.0;
/// Top and bottom margins of a page that holds both copies (any office printer prints them).
const TWO_COPY_MARGIN_MM: f32 = 10.0;
/// Side of the QR code of the application number on a receipt (a desk scanner reads it at 10 cm).
const NUMBER_CODE_MM: f32 = 20.0;
/// Side of the number's QR code on each copy of Annex 4 (two copies share a page).
const REFUSAL_CODE_MM: f32 = 16.0;
/// Side of the QR code of the tracking link (longer data, so more modules, so larger).
const TRACKING_CODE_MM: f32 = super::code::TRACKING_CODE_MM;

/// A flow holding just a QR code of `data`, `side` millimetres wide, at `left`.
pub fn code_block(left: f32, data: &str, side: f32) -> Result<Flow, PdfError> {
    let (marks, used) = qr_marks(data, left, 0.0, side)?;
    let mut block = Flow::between(left, left + used);
    block.marks = marks;
    block.gap(used);
    Ok(block)
}

/// What an Annex 3 receipt states.
#[derive(Debug, Clone)]
pub struct AcceptanceReceipt {
    /// Language of the labels.
    pub lang: Lang,
    /// Receipt number: the application's number.
    pub number: String,
    /// The ЦОН department or the organisation that accepted the package.
    pub organisation: String,
    /// The applicant's full name.
    pub applicant: String,
    /// The service's name.
    pub service: String,
    /// The documents received after the application itself, by name.
    pub documents: Vec<String>,
    /// Who accepted the package, when a staff member did.
    pub worker: Option<String>,
    /// When the result will be issued.
    pub due_on: NaiveDate,
    /// The day of acceptance.
    pub date: NaiveDate,
    /// Why a field worker served the applicant at home, when one did (003 annex 6 item 10).
    pub home_service: Option<String>,
    /// A tracking code and the tracking link it opens, so that a person without the SMS can
    /// follow the application (issue 17); printed with a QR code of the link.
    pub tracking: Option<(String, String)>,
}

/// What an Annex 4 receipt states.
#[derive(Debug, Clone)]
pub struct RefusalReceipt {
    /// Language of the labels.
    pub lang: Lang,
    /// The application's number (for reference), or the refusal's own for a package never
    /// stored as an application.
    pub number: String,
    /// The catalogue key of the line that states `number` (`{number}` in it).
    pub number_key: &'static str,
    /// The ЦОН department or the organisation that refuses, as named inside a sentence.
    pub organisation: String,
    /// The applicant's full name.
    pub applicant: String,
    /// The service's name.
    pub service: String,
    /// The applicant's address and phone, as the form's addressee line asks.
    pub address: String,
    /// The missing documents, by name; empty leaves numbered blanks to fill in by hand.
    pub missing: Vec<String>,
    /// Documents presented whose validity has expired, by name (003 item 52).
    pub expired: Vec<String>,
    /// The worker who refuses.
    pub worker: Option<String>,
    /// The executor (who prepared the receipt).
    pub executor: Option<String>,
    /// The day.
    pub date: NaiveDate,
}

/// A date as the forms write it, e.g. "2026 жылғы 30 қараша".
pub fn long_date(lang: Lang, date: NaiveDate) -> String {
    t(lang, "date.pattern")
        .replace("{y}", &date.year().to_string())
        .replace("{d}", &date.day().to_string())
        .replace("{m}", t(lang, &format!("date.month.{}", date.month())))
}

/// The annex reference printed at the top right of a form (the rules' own layout).
pub fn annex_header(lang: Lang, annex: u8) -> Flow {
    let mut header = Flow::between(HEADER_LEFT_MM, Flow::page_column().right());
    header.paragraph(&t(lang, "receipt.annex.header").replace("{n}", &annex.to_string()), SMALL, Weight::Regular, Align::Center, 0.0);
    header.gap(1.5);
    header.paragraph(t(lang, "receipt.form"), SMALL, Weight::Regular, Align::Center, 0.0);
    header
}

/// Annex 3 in 2 copies, one A4 page each: the applicant's (with the tracking code) and the
/// office's (issue 17: both printed at the counter).
pub fn acceptance_pdf(r: &AcceptanceReceipt) -> Result<Vec<u8>, PdfError> {
    render(&t(r.lang, "receipt.acceptance.title").replace("{number}", &r.number), &acceptance_pages(r)?)
}

/// The pages of [`acceptance_pdf`].
fn acceptance_pages(r: &AcceptanceReceipt) -> Result<Vec<Vec<Mark>>, PdfError> {
    Ok(vec![acceptance_copy(r, 1)?.placed_at(MARGIN_Y_MM), acceptance_copy(r, 2)?.placed_at(MARGIN_Y_MM)])
}

/// One copy of Annex 3. The tracking code is on the applicant's copy only (`copy` 1): it opens
/// the application, and the office's copy stays in the office's files.
fn acceptance_copy(r: &AcceptanceReceipt, copy: u8) -> Result<Flow, PdfError> {
    let lang = r.lang;
    let mut f = Flow::page_column();
    let number_code = code_block(f.left(), &r.number, NUMBER_CODE_MM)?;
    f.append_beside(number_code, annex_header(lang, 3));
    f.gap(2.0);
    f.paragraph(&t(lang, "receipt.copy").replace("{n}", &copy.to_string()), SMALL, Weight::Bold, Align::Left, 0.0);
    f.gap(2.0);
    f.paragraph(&t(lang, "receipt.acceptance.title").replace("{number}", &r.number), TITLE, Weight::Bold, Align::Center, 0.0);
    f.gap(6.0);
    f.filled_line(&r.organisation, Some(t(lang, "receipt.organisation.caption")));
    f.filled_line(&r.applicant, Some(t(lang, "receipt.applicant.caption")));
    f.labelled(t(lang, "receipt.service"), &r.service);
    if let Some(ground) = &r.home_service {
        f.paragraph(ground, f.body(), Weight::Regular, Align::Left, 0.0);
    }
    f.gap(2.0);
    f.paragraph(t(lang, "receipt.received_documents"), f.body(), Weight::Regular, Align::Left, 0.0);
    let application = t(lang, "receipt.document.application").to_string();
    for (i, name) in std::iter::once(&application).chain(&r.documents).enumerate() {
        f.paragraph(&format!("{}. {name}", i + 1), f.body(), Weight::Regular, Align::Left, 8.0);
    }
    f.gap(6.0);
    f.paragraph(t(lang, "receipt.worker"), f.body(), Weight::Regular, Align::Left, 0.0);
    f.field("", r.worker.as_deref().unwrap_or_default(), Some(t(lang, "receipt.signature")));
    f.gap(3.0);
    f.labelled(t(lang, "receipt.due_on"), &long_date(lang, r.due_on));
    if let Some((code, link)) = r.tracking.as_ref().filter(|_| copy == 1) {
        f.gap(3.0);
        let code_left = f.right() - TRACKING_CODE_MM;
        let mut text = Flow::between(f.left(), code_left - 5.0);
        text.gap(4.0);
        text.paragraph(&t(lang, "receipt.tracking.code").replace("{code}", code), text.body(), Weight::Bold, Align::Left, 0.0);
        text.gap(1.5);
        text.paragraph(t(lang, "receipt.tracking.hint"), SMALL + 1.0, Weight::Regular, Align::Left, 0.0);
        f.append_beside(text, code_block(code_left, link, TRACKING_CODE_MM)?);
    }
    f.gap(6.0);
    f.paragraph(t(lang, "receipt.received_by_applicant"), f.body(), Weight::Regular, Align::Left, 0.0);
    f.field(t(lang, "receipt.date"), &long_date(lang, r.date), Some(t(lang, "receipt.signature")));
    Ok(f)
}

/// One copy of Annex 4.
fn refusal_copy(r: &RefusalReceipt, copy: u8) -> Result<Flow, PdfError> {
    let lang = r.lang;
    let mut f = Flow::page_column().with_body(REFUSAL_BODY);
    // Which copy and the addressee on the left, beside the annex reference on the right (the
    // form stacks them on the right; side by side, both copies fit on one page).
    let mut to = Flow::between(f.left(), HEADER_LEFT_MM - 8.0).with_body(REFUSAL_BODY);
    to.paragraph(&t(lang, "receipt.copy").replace("{n}", &copy.to_string()), SMALL, Weight::Bold, Align::Left, 0.0);
    to.gap(1.0);
    to.filled_line(&r.applicant, Some(t(lang, "receipt.refusal.applicant.caption")));
    to.filled_line(&r.address, Some(t(lang, "receipt.refusal.address.caption")));
    // The number's code under the annex reference, at the right edge.
    let mut header = annex_header(lang, 4);
    header.gap(1.0);
    header.append(code_block(header.right() - REFUSAL_CODE_MM, &r.number, REFUSAL_CODE_MM)?);
    f.append_beside(to, header);
    f.gap(1.0);
    f.paragraph(t(lang, "receipt.refusal.title"), TITLE - 1.0, Weight::Bold, Align::Center, 0.0);
    f.paragraph(&t(lang, r.number_key).replace("{number}", &r.number), SMALL, Weight::Regular, Align::Center, 0.0);
    f.gap(2.0);
    let body = t(lang, "receipt.refusal.body").replace("{organisation}", &r.organisation).replace("{service}", &r.service);
    f.paragraph(&body, f.body(), Weight::Regular, Align::Left, 10.0);
    f.paragraph(t(lang, "receipt.refusal.missing"), f.body(), Weight::Bold, Align::Left, 10.0);
    let blanks = ["______________________________".to_string(), "______________________________".to_string()];
    let missing = if r.missing.is_empty() { &blanks[..] } else { &r.missing[..] };
    for (i, name) in missing.iter().enumerate() {
        f.paragraph(&format!("{}) {name};", i + 1), f.body(), Weight::Regular, Align::Left, 10.0);
    }
    if !r.expired.is_empty() {
        f.paragraph(t(lang, "receipt.refusal.expired"), f.body(), Weight::Bold, Align::Left, 10.0);
        for (i, name) in r.expired.iter().enumerate() {
            f.paragraph(&format!("{}) {name};", i + 1), f.body(), Weight::Regular, Align::Left, 10.0);
        }
    }
    f.paragraph(t(lang, "receipt.refusal.copies"), f.body(), Weight::Regular, Align::Left, 10.0);
    f.gap(2.5);
    f.paragraph(t(lang, "receipt.worker"), f.body(), Weight::Regular, Align::Left, 0.0);
    f.field("", r.worker.as_deref().unwrap_or_default(), Some(t(lang, "receipt.signature")));
    f.gap(1.0);
    f.labelled(t(lang, "receipt.refusal.executor"), r.executor.as_deref().unwrap_or_default());
    f.labelled(t(lang, "receipt.refusal.phone"), "");
    f.gap(1.5);
    f.paragraph(t(lang, "receipt.refusal.received"), f.body(), Weight::Regular, Align::Left, 0.0);
    f.field(t(lang, "receipt.date"), &long_date(lang, r.date), Some(t(lang, "receipt.signature")));
    Ok(f)
}

/// Annex 4 in 2 copies (one for each party): both on one page with a cut line between them
/// when they fit, else one copy per page.
pub fn refusal_pdf(r: &RefusalReceipt) -> Result<Vec<u8>, PdfError> {
    render(t(r.lang, "receipt.refusal.title"), &refusal_pages(r)?)
}

/// The pages of [`refusal_pdf`].
fn refusal_pages(r: &RefusalReceipt) -> Result<Vec<Vec<Mark>>, PdfError> {
    let (first, second) = (refusal_copy(r, 1)?, refusal_copy(r, 2)?);
    let usable = PAGE_HEIGHT_MM - 2.0 * TWO_COPY_MARGIN_MM;
    if first.y + second.y + 2.0 * CUT_GAP_MM <= usable {
        let cut_y = TWO_COPY_MARGIN_MM + first.y + CUT_GAP_MM;
        let mut page = first.placed_at(TWO_COPY_MARGIN_MM);
        page.push(Mark::Rule { from: (5.0, cut_y), to: (PAGE_WIDTH_MM - 5.0, cut_y), width_pt: 0.4, dashed: true });
        page.extend(second.placed_at(cut_y + CUT_GAP_MM));
        Ok(vec![page])
    } else {
        Ok(vec![first.placed_at(MARGIN_Y_MM), second.placed_at(MARGIN_Y_MM)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refusal(missing: Vec<String>) -> RefusalReceipt {
        RefusalReceipt {
            lang: Lang::Kk,
            number: "TN-2026-000001".into(),
            number_key: "receipt.application_number",
            organisation: t(Lang::Kk, "receipt.state_corporation.in_text").into(),
            applicant: "Сейітқали Әсел Нұрланқызы".into(),
            service: "Жоғары және жоғары оқу орнынан кейінгі білім туралы құжаттардың телнұсқаларын беру".into(),
            address: "Алматы, Абай даңғылы 10, +77011234567".into(),
            missing,
            expired: Vec::new(),
            worker: Some("Демо ХҚКО операторы".into()),
            executor: Some("Демо ХҚКО операторы".into()),
            date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
        }
    }

    fn texts(marks: &[Mark]) -> Vec<&str> {
        marks.iter().filter_map(|m| if let Mark::Text { text, .. } = m { Some(text.as_str()) } else { None }).collect()
    }

    #[test]
    fn an_acceptance_receipt_has_two_copies_and_only_the_applicants_has_the_tracking_code() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let receipt = AcceptanceReceipt {
            lang: Lang::Kk,
            number: "TN-2026-000001".into(),
            organisation: t(Lang::Kk, "receipt.state_corporation").into(),
            applicant: "Сейітқали Әсел Нұрланқызы".into(),
            service: "Жоғары білім туралы құжаттардың телнұсқаларын беру".into(),
            documents: vec!["Құжаттың түпнұсқасы".into()],
            worker: Some("Демо ХҚКО операторы".into()),
            due_on: day,
            date: day,
            home_service: None,
            tracking: Some(("Yq3v9kR2xW8mN4pL7tZ1aB".into(), "https://telnuska.kz/track/1/kk#Yq3v9kR2xW8mN4pL7tZ1aB".into())),
        };
        let pages = acceptance_pages(&receipt).unwrap();
        assert_eq!(pages.len(), 2);
        let (first, second) = (texts(&pages[0]).join("\n"), texts(&pages[1]).join("\n"));
        assert!(first.contains("1-дана") && second.contains("2-дана"), "{first}\n---\n{second}");
        assert!(first.contains("Yq3v9kR2xW8mN4pL7tZ1aB") && !second.contains("Yq3v9kR2xW8mN4pL7tZ1aB"), "{second}");
        assert!(second.contains("Сейітқали Әсел Нұрланқызы") && second.contains("Құжаттың түпнұсқасы"), "{second}");
    }

    #[test]
    fn a_short_refusal_has_both_copies_on_one_page() {
        let pages = refusal_pages(&refusal(vec!["Сенімхат".into()])).unwrap();
        assert_eq!(pages.len(), 1);
        let texts = texts(&pages[0]);
        assert!(texts.contains(&"1-дана") && texts.contains(&"2-дана"), "{texts:?}");
        assert_eq!(texts.iter().filter(|t| **t == "1) Сенімхат;").count(), 2);
        assert!(pages[0].iter().all(|m| !matches!(m, Mark::Text { y, .. } if *y > PAGE_HEIGHT_MM - MARGIN_Y_MM)));
    }

    #[test]
    fn a_long_refusal_puts_each_copy_on_its_own_page() {
        let long: Vec<String> = (0..12).map(|i| format!("Құжаттың түпнұсқасы және оның нотариат куәландырған көшірмесі {i}")).collect();
        let pages = refusal_pages(&refusal(long)).unwrap();
        assert_eq!(pages.len(), 2);
        assert!(texts(&pages[1]).contains(&"2-дана"));
    }

    /// Audit item 9: the addressee line carries the applicant's address and phone, and expired
    /// documents are listed as a reason to refuse acceptance (003 item 52).
    #[test]
    fn a_refusal_names_the_address_and_the_expired_documents() {
        let mut r = refusal(Vec::new());
        r.expired = vec!["Сенімхат".into()];
        let texts = texts(&refusal_pages(&r).unwrap()[0]).join("\n");
        assert!(texts.contains("Абай даңғылы 10, +77011234567"), "{texts}");
        assert!(texts.contains(t(Lang::Kk, "receipt.refusal.expired")) && texts.contains("1) Сенімхат;"), "{texts}");
    }

    #[test]
    fn nothing_missing_leaves_numbered_blanks() {
        let texts = texts(&refusal_pages(&refusal(Vec::new())).unwrap()[0]).join("\n");
        assert!(texts.contains("1) ____") && texts.contains("2) ____"), "{texts}");
    }

    #[test]
    fn dates_are_written_in_the_language() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 22).unwrap();
        assert_eq!(long_date(Lang::Kk, day), "2026 жылғы 22 желтоқсан");
        assert_eq!(long_date(Lang::Ru, day), "22 декабря 2026 г.");
        assert_eq!(long_date(Lang::En, day), "22 December 2026");
    }
}
