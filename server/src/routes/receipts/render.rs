//! Writes composed pages as a PDF with printpdf: one text object per line, rules as paths, and
//! each face embedded as a subset of just the glyphs the document uses.

use std::collections::{BTreeMap, BTreeSet};

use printpdf::{
    Color, Greyscale, Line, LineDashPattern, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Polygon, PolygonRing,
    Pt, TextItem, WindingOrder,
};

use super::font::{PdfError, Weight};
use super::sheet::{Mark, PAGE_HEIGHT_MM, PAGE_WIDTH_MM};

/// Writes pages of marks (positions from the page's top-left) as a PDF.
pub fn render(title: &str, pages: &[Vec<Mark>]) -> Result<Vec<u8>, PdfError> {
    let mut chars: BTreeMap<Weight, BTreeSet<char>> = BTreeMap::new();
    for mark in pages.iter().flatten() {
        if let Mark::Text { weight, text, .. } = mark {
            chars.entry(*weight).or_default().extend(text.chars());
        }
    }
    let mut doc = PdfDocument::new(title);
    let mut fonts = BTreeMap::new();
    for (weight, used) in &chars {
        fonts.insert(*weight, doc.add_font(&weight.face().subset(used)?));
    }
    let point = |x: f32, y: f32| Point::new(Mm(x), Mm(PAGE_HEIGHT_MM - y));
    let pdf_pages = pages
        .iter()
        .map(|marks| {
            let mut ops = vec![Op::SetOutlineColor { col: Color::Greyscale(Greyscale::new(0.0, None)) }];
            for mark in marks {
                match mark {
                    Mark::Text { x, y, size, weight, text } => ops.extend([
                        Op::StartTextSection,
                        Op::SetFont { font: PdfFontHandle::External(fonts[weight].clone()), size: Pt(*size) },
                        Op::SetTextCursor { pos: point(*x, *y) },
                        Op::ShowText { items: vec![TextItem::Text(text.clone())] },
                        Op::EndTextSection,
                    ]),
                    Mark::Rule { from, to, width_pt, dashed } => ops.extend([
                        Op::SetOutlineThickness { pt: Pt(*width_pt) },
                        Op::SetLineDashPattern { dash: if *dashed { LineDashPattern::new(0.0, &[4.0, 3.0]) } else { LineDashPattern::solid() } },
                        Op::DrawLine {
                            line: Line {
                                points: vec![LinePoint { p: point(from.0, from.1), bezier: false }, LinePoint { p: point(to.0, to.1), bezier: false }],
                                is_closed: false,
                            },
                        },
                    ]),
                    Mark::Fill { x, y, w, h } => {
                        let corners = [(*x, *y), (x + w, *y), (x + w, y + h), (*x, y + h)];
                        let points = corners.iter().map(|(cx, cy)| LinePoint { p: point(*cx, *cy), bezier: false }).collect();
                        ops.push(Op::DrawPolygon {
                            polygon: Polygon { rings: vec![PolygonRing { points }], mode: PaintMode::Fill, winding_order: WindingOrder::NonZero },
                        });
                    }
                }
            }
            PdfPage::new(Mm(PAGE_WIDTH_MM), Mm(PAGE_HEIGHT_MM), ops)
        })
        .collect();
    let mut warnings = Vec::new();
    let bytes = doc.with_pages(pdf_pages).save(&PdfSaveOptions::default(), &mut warnings);
    for warning in warnings {
        tracing::debug!(?warning, "pdf");
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_become_a_pdf_with_one_page_each() {
        let text = |y: f32| Mark::Text { x: 25.0, y, size: 10.0, weight: Weight::Bold, text: "Қолхат № 1".into() };
        let rule = Mark::Rule { from: (25.0, 40.0), to: (195.0, 40.0), width_pt: 0.5, dashed: true };
        let pdf = render("Қолхат", &[vec![text(20.0), rule], vec![text(30.0)]]).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
        let raw = String::from_utf8_lossy(&pdf);
        assert!(raw.contains("/Count 2"), "the page tree holds both pages");
        assert_eq!(raw.matches("/Type/Page").count() - raw.matches("/Type/Pages").count(), 2);
        assert!(raw.contains("/FontFile2"), "the font is embedded");
    }
}
