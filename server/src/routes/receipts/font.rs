//! The typeface of every printed document: DejaVu Serif (regular and bold, shipped in
//! `server/assets/fonts/` with its licence), which has every Kazakh letter. Text is measured
//! here, and each document embeds only the glyphs it uses, so a receipt is kilobytes, not the
//! 370 KB of the whole face.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use printpdf::ParsedFont;
use thiserror::Error;

static REGULAR_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSerif-Bold.ttf");

/// Millimetres per PostScript point.
pub const MM_PER_PT: f32 = 25.4 / 72.0;

/// Why a PDF could not be made (a fault of ours: the shipped font is fixed).
#[derive(Debug, Error)]
pub enum PdfError {
    /// A QR code cannot hold the data.
    #[error("QR code: {0}")]
    Code(#[from] qrcode::types::QrError),
    /// The shipped font cannot be read.
    #[error("font cannot be read: {0}")]
    Parse(#[from] allsorts::error::ParseError),
    /// The shipped font's tables cannot be read.
    #[error("font tables cannot be read: {0}")]
    Tables(#[from] allsorts::error::ReadWriteError),
    /// Subsetting failed.
    #[error("font subsetting failed: {0}")]
    Subset(#[from] allsorts::subset::SubsetError),
    /// The subset font does not parse back.
    #[error("the {weight:?} subset font cannot be parsed")]
    SubsetUnreadable {
        /// Which face.
        weight: Weight,
    },
}

/// The two faces used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Weight {
    /// Body text.
    Regular,
    /// Titles and headings.
    Bold,
}

/// A face: its bytes, and its parsed metrics for measuring and glyph lookup.
pub struct Face {
    weight: Weight,
    bytes: &'static [u8],
    parsed: ParsedFont,
}

impl Weight {
    /// The face of this weight, parsed once.
    pub fn face(self) -> &'static Face {
        static REGULAR: OnceLock<Face> = OnceLock::new();
        static BOLD: OnceLock<Face> = OnceLock::new();
        let (cell, bytes) = match self {
            Weight::Regular => (&REGULAR, REGULAR_TTF),
            Weight::Bold => (&BOLD, BOLD_TTF),
        };
        cell.get_or_init(|| {
            let parsed = ParsedFont::from_bytes(bytes, 0, &mut Vec::new()).expect("the shipped DejaVu Serif parses (a unit test checks)");
            Face { weight: self, bytes, parsed }
        })
    }
}

impl Face {
    /// Whether the face has a glyph for `c`.
    pub fn has_glyph(&self, c: char) -> bool {
        self.parsed.lookup_glyph_index(u32::from(c)).is_some_and(|g| g != 0)
    }

    /// The advance width of `text` at `size_pt`, in millimetres (no kerning: printpdf places
    /// glyphs by their advances too, so this is where the text really ends).
    pub fn width_mm(&self, text: &str, size_pt: f32) -> f32 {
        let upm = f32::from(self.parsed.units_per_em);
        let units: f32 = text
            .chars()
            .map(|c| {
                let gid = self.parsed.lookup_glyph_index(u32::from(c)).unwrap_or(0);
                f32::from(self.parsed.get_glyph_width(gid).unwrap_or(0))
            })
            .sum();
        units / upm * size_pt * MM_PER_PT
    }

    /// A font of only the glyphs of `chars`, ready to embed.
    pub fn subset(&self, chars: &BTreeSet<char>) -> Result<ParsedFont, PdfError> {
        let mut glyphs: BTreeSet<u16> = chars.iter().filter_map(|c| self.parsed.lookup_glyph_index(u32::from(*c))).collect();
        // allsorts requires .notdef first and each glyph once.
        glyphs.remove(&0);
        let ids: Vec<u16> = std::iter::once(0).chain(glyphs).collect();
        let data = ReadScope::new(self.bytes).read::<FontData<'_>>()?;
        let provider = data.table_provider(0)?;
        let bytes = subset(&provider, &ids, &SubsetProfile::Pdf, CmapTarget::Unicode)?;
        ParsedFont::from_bytes(&bytes, 0, &mut Vec::new()).ok_or(PdfError::SubsetUnreadable { weight: self.weight })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_faces_have_every_kazakh_and_russian_letter() {
        let letters = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯаәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя№«»–";
        for weight in [Weight::Regular, Weight::Bold] {
            let missing: String = letters.chars().filter(|c| !weight.face().has_glyph(*c)).collect();
            assert_eq!(missing, "", "{weight:?}");
        }
    }

    #[test]
    fn a_subset_keeps_the_widths_of_its_glyphs() {
        let face = Weight::Regular.face();
        let chars: BTreeSet<char> = "Қолхат әңғүұөһі".chars().collect();
        let small = face.subset(&chars).unwrap();
        assert!(small.original_bytes.len() < 40_000, "{} bytes", small.original_bytes.len());
        for c in chars {
            let full = face.parsed.get_glyph_width(face.parsed.lookup_glyph_index(u32::from(c)).unwrap());
            let sub = small.get_glyph_width(small.lookup_glyph_index(u32::from(c)).unwrap());
            assert_eq!(full, sub, "{c}");
        }
    }

    #[test]
    fn wider_text_measures_wider() {
        let face = Weight::Regular.face();
        assert!(face.width_mm("ШШШ", 10.0) > face.width_mm("ііі", 10.0));
        assert!((face.width_mm("Ә", 20.0) - 2.0 * face.width_mm("Ә", 10.0)).abs() < 1e-4);
    }
}
