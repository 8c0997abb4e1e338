//! The courier register (seed 003, items 54–55): ЦОН sends the accepted packages to a provider
//! with a register made in 2 copies. A table of the applications, repeated on as many pages as it
//! takes, then the signatures of who handed over, carried and received the packages.

use chrono::NaiveDate;
use telnuska_shared::api::ApplicationView;
use telnuska_shared::i18n::{t, t_count, Lang};

use crate::store::chain::LogHead;

use super::code::qr_marks;
use super::font::{PdfError, Weight, MM_PER_PT};
use super::forms::long_date;
use super::names::{applicant_name, service_name};
use super::render::render;
use super::sheet::{line_height, wrap, Align, Flow, Mark, MARGIN_Y_MM, PAGE_HEIGHT_MM, SMALL, TITLE};

/// Text size inside the table.
const CELL: f32 = 8.5;
/// Padding inside a table cell.
const PAD_MM: f32 = 1.2;
/// Room kept at the foot of a page for the signatures after the last row.
const SIGNATURES_MM: f32 = 62.0;

/// One row of the register.
#[derive(Debug, Clone)]
pub struct RegisterEntry {
    /// The application's number.
    pub number: String,
    /// The applicant's full name.
    pub applicant: String,
    /// The service's name.
    pub service: String,
    /// How many documents are in the package (the application and its attachments).
    pub documents: usize,
    /// The application's due date.
    pub due_on: NaiveDate,
}

/// A register of packages sent from one ЦОН to one provider on one day.
#[derive(Debug, Clone)]
pub struct CourierRegister {
    /// Language of the labels.
    pub lang: Lang,
    /// The sending ЦОН department.
    pub from: String,
    /// The receiving provider.
    pub to: String,
    /// The day of dispatch.
    pub date: NaiveDate,
    /// The packages.
    pub entries: Vec<RegisterEntry>,
    /// The head of the event log when the register was printed: kept on paper outside the
    /// database, it anchors the log, so a later rewrite of the log's history shows.
    pub log_head: Option<LogHead>,
}

impl RegisterEntry {
    /// The row of an application, with names in `lang`.
    pub fn of(view: &ApplicationView, lang: Lang) -> Self {
        Self {
            number: view.number.clone(),
            applicant: applicant_name(&view.request),
            service: service_name(view.service, lang),
            documents: 1 + view.request.attachments.len(),
            due_on: view.due_on,
        }
    }
}

/// Side of the QR code of each application number, for the provider's scanner on arrival.
const ROW_CODE_MM: f32 = super::code::ROW_CODE_MM;
/// The column of the row's QR code.
const CODE_COLUMN: usize = 2;

/// The columns: header key (or a literal: "№", and none over the QR codes) and width in
/// millimetres; 170 mm in all.
const COLUMNS: [(&str, f32); 7] = [
    ("№", 8.0),
    ("receipt.register.col.number", 30.0),
    ("", ROW_CODE_MM + 2.0 * PAD_MM),
    ("receipt.register.col.applicant", 40.0),
    ("receipt.register.col.service", 56.0 - ROW_CODE_MM - 2.0 * PAD_MM),
    ("receipt.register.col.documents", 16.0),
    ("receipt.register.col.due_on", 20.0),
];

/// One table row: wrapped cells, grid lines, and a QR code of `code` when given; returns its
/// height.
fn row(left: f32, y: f32, cells: &[String], code: Option<&str>, size: f32, weight: Weight, out: &mut Vec<Mark>) -> Result<f32, PdfError> {
    let wrapped: Vec<Vec<String>> = cells.iter().zip(COLUMNS).map(|(text, (_, width))| wrap(text, size, weight, width - 2.0 * PAD_MM)).collect();
    let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1) as f32;
    let mut height = lines * line_height(size) + 2.0 * PAD_MM;
    if let Some(code) = code {
        let code_x = left + COLUMNS[..CODE_COLUMN].iter().map(|(_, width)| width).sum::<f32>() + PAD_MM;
        out.extend(qr_marks(code, code_x, y + PAD_MM, ROW_CODE_MM)?.0);
        height = height.max(ROW_CODE_MM + 2.0 * PAD_MM);
    }
    let mut x = left;
    for (cell, (_, width)) in wrapped.iter().zip(COLUMNS) {
        for (i, line) in cell.iter().enumerate() {
            let baseline = y + PAD_MM + i as f32 * line_height(size) + size * MM_PER_PT;
            out.push(Mark::Text { x: x + PAD_MM, y: baseline, size, weight, text: line.clone() });
        }
        out.push(Mark::Rule { from: (x, y), to: (x, y + height), width_pt: 0.5, dashed: false });
        x += width;
    }
    out.push(Mark::Rule { from: (x, y), to: (x, y + height), width_pt: 0.5, dashed: false });
    out.push(Mark::Rule { from: (left, y), to: (x, y), width_pt: 0.5, dashed: false });
    out.push(Mark::Rule { from: (left, y + height), to: (x, y + height), width_pt: 0.5, dashed: false });
    Ok(height)
}

/// The heading of a copy's first page.
fn heading(r: &CourierRegister, copy: u8) -> Flow {
    let lang = r.lang;
    let mut f = Flow::page_column();
    f.paragraph(&t(lang, "receipt.copy").replace("{n}", &copy.to_string()), SMALL, Weight::Bold, Align::Right, 0.0);
    f.gap(3.0);
    f.paragraph(t(lang, "receipt.register.title"), TITLE, Weight::Bold, Align::Center, 0.0);
    f.gap(4.0);
    f.labelled(t(lang, "receipt.register.from"), &r.from);
    f.labelled(t(lang, "receipt.register.to"), &r.to);
    f.labelled(t(lang, "receipt.register.date"), &long_date(lang, r.date));
    f.gap(3.0);
    f
}

/// The pages of one copy.
fn copy_pages(r: &CourierRegister, copy: u8) -> Result<Vec<Vec<Mark>>, PdfError> {
    let lang = r.lang;
    let left = Flow::page_column().left();
    let header: Vec<String> = COLUMNS.iter().map(|(key, _)| if key.starts_with("receipt.") { t(lang, key).to_string() } else { key.to_string() }).collect();
    let bottom = PAGE_HEIGHT_MM - MARGIN_Y_MM;
    let first = heading(r, copy);
    let mut y = MARGIN_Y_MM + first.y;
    let mut page = first.placed_at(MARGIN_Y_MM);
    let mut pages = Vec::new();
    y += row(left, y, &header, None, CELL, Weight::Bold, &mut page)?;
    for (i, entry) in r.entries.iter().enumerate() {
        let cells = [
            (i + 1).to_string(),
            entry.number.clone(),
            String::new(),
            entry.applicant.clone(),
            entry.service.clone(),
            entry.documents.to_string(),
            entry.due_on.format("%d.%m.%Y").to_string(),
        ];
        let mut probe = Vec::new();
        let height = row(left, y, &cells, Some(&entry.number), CELL, Weight::Regular, &mut probe)?;
        if y + height > bottom {
            // The row goes on a new page, under a repeated header.
            pages.push(std::mem::take(&mut page));
            y = MARGIN_Y_MM;
            y += row(left, y, &header, None, CELL, Weight::Bold, &mut page)?;
            row(left, y, &cells, Some(&entry.number), CELL, Weight::Regular, &mut page)?;
        } else {
            page.extend(probe);
        }
        y += height;
    }
    if y + SIGNATURES_MM > bottom {
        pages.push(std::mem::take(&mut page));
        y = MARGIN_Y_MM;
    }
    let mut f = Flow::page_column();
    f.gap(3.0);
    f.paragraph(&t_count(lang, "receipt.register.total", r.entries.len() as u64), f.body(), Weight::Bold, Align::Left, 0.0);
    f.gap(3.0);
    for key in ["receipt.register.handed_over", "receipt.register.courier", "receipt.register.received"] {
        f.field(t(lang, key), "", Some(t(lang, "receipt.signature")));
        f.gap(1.5);
    }
    // The provider registers a package on the day it arrives (item 57): it writes that day here.
    f.labelled(t(lang, "receipt.date"), "");
    if let Some(head) = &r.log_head {
        f.gap(3.0);
        let text = t(lang, "receipt.register.log_head").replace("{cursor}", &head.cursor.to_string()).replace("{hash}", &head.hash);
        f.paragraph(&text, SMALL, Weight::Regular, Align::Left, 0.0);
    }
    page.extend(f.placed_at(y));
    pages.push(page);
    Ok(pages)
}

/// The register in 2 copies (one stays at ЦОН, one goes with the packages); each copy starts
/// on a new page.
pub fn courier_register_pdf(r: &CourierRegister) -> Result<Vec<u8>, PdfError> {
    let mut pages = copy_pages(r, 1)?;
    pages.extend(copy_pages(r, 2)?);
    render(t(r.lang, "receipt.register.title"), &pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn register(rows: usize) -> CourierRegister {
        let entries = (0..rows)
            .map(|i| RegisterEntry {
                number: format!("TN-2026-{:06}", i + 1),
                applicant: "Сейітқали Әсел Нұрланқызы".into(),
                service: service_name(telnuska_shared::api::ServiceCode::TvetDuplicate, Lang::Kk),
                documents: 2,
                due_on: NaiveDate::from_ymd_opt(2026, 12, 22).unwrap(),
            })
            .collect();
        CourierRegister {
            lang: Lang::Kk,
            from: t(Lang::Kk, "receipt.state_corporation").into(),
            to: "Алматы мемлекеттік политехникалық колледжі".into(),
            date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            entries,
            log_head: Some(LogHead { cursor: 4711, hash: "ab".repeat(32) }),
        }
    }

    fn texts(pages: &[Vec<Mark>]) -> Vec<String> {
        pages.iter().flatten().filter_map(|m| if let Mark::Text { text, .. } = m { Some(text.clone()) } else { None }).collect()
    }

    #[test]
    fn a_short_register_is_one_page_per_copy_with_every_row() {
        let r = register(3);
        let (one, two) = (copy_pages(&r, 1).unwrap(), copy_pages(&r, 2).unwrap());
        assert_eq!((one.len(), two.len()), (1, 1));
        let first = texts(&one);
        for n in ["TN-2026-000001", "TN-2026-000002", "TN-2026-000003", "22.12.2026", "1-дана"] {
            assert!(first.iter().any(|t| t == n), "{n} in {first:?}");
        }
        assert!(texts(&two).iter().any(|t| t == "2-дана"));
        let head = "ab".repeat(32);
        let joined = first.concat();
        assert!(joined.contains("4711") && joined.contains(&head), "the log's head in {first:?}");
    }

    #[test]
    fn a_long_register_runs_over_pages_and_keeps_every_row_inside_the_margins() {
        let pages = copy_pages(&register(60), 1).unwrap();
        assert!(pages.len() > 2, "{} pages", pages.len());
        let all = texts(&pages);
        assert!((1..=60).all(|i| all.iter().any(|t| *t == format!("TN-2026-{i:06}"))));
        for mark in pages.iter().flatten() {
            if let Mark::Text { y, .. } = mark {
                assert!(*y <= PAGE_HEIGHT_MM - MARGIN_Y_MM + 0.01, "{mark:?}");
            }
        }
    }

    #[test]
    fn the_register_pdf_is_a_pdf() {
        let pdf = courier_register_pdf(&register(5)).unwrap();
        assert!(pdf.starts_with(b"%PDF"));
        assert!(pdf.len() < 150_000, "{} bytes", pdf.len());
    }
}
