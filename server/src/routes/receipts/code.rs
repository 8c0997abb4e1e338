//! Machine-readable codes on the printed forms (issue 17): a QR code of the application number, so
//! that a scanner working as a keyboard opens the application at the desk, and of the tracking
//! link on the acceptance receipt. Encoded by the `qrcode` crate; drawn as filled runs of dark
//! modules, one rectangle per run, so a code costs a few hundred path operations.

use qrcode::{Color, EcLevel, QrCode};

use super::sheet::Mark;

/// Side of the tracking link's code on the acceptance receipt, millimetres.
pub const TRACKING_CODE_MM: f32 = 30.0;
/// Side of each application number's code in a courier register's rows, millimetres.
pub const ROW_CODE_MM: f32 = 12.0;

/// Light modules around the code that scanners need to find it (the QR standard's quiet zone).
const QUIET_ZONE_MODULES: usize = 4;

/// Why a code cannot be drawn (the data is too long for any QR version).
pub type CodeError = qrcode::types::QrError;

/// A QR code of `data` whose top-left corner (quiet zone included) is at (`x`, `y`) and whose
/// side is at most `side` millimetres; returns the marks and the side actually used.
pub fn qr_marks(data: &str, x: f32, y: f32, side: f32) -> Result<(Vec<Mark>, f32), CodeError> {
    let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M)?;
    let width = code.width();
    let module = side / (width + 2 * QUIET_ZONE_MODULES) as f32;
    let origin = (x + QUIET_ZONE_MODULES as f32 * module, y + QUIET_ZONE_MODULES as f32 * module);
    let colors = code.to_colors();
    let mut marks = Vec::new();
    for (row, line) in colors.chunks(width).enumerate() {
        let mut column = 0;
        while column < width {
            if line[column] == Color::Light {
                column += 1;
                continue;
            }
            let start = column;
            while column < width && line[column] == Color::Dark {
                column += 1;
            }
            marks.push(Mark::Fill { x: origin.0 + start as f32 * module, y: origin.1 + row as f32 * module, w: (column - start) as f32 * module, h: module });
        }
    }
    Ok((marks, module * (width + 2 * QUIET_ZONE_MODULES) as f32))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Redraws the marks on a grid of modules and compares it with the crate's own matrix: the
    /// drawing is exactly the code, module for module.
    #[test]
    fn the_drawn_runs_are_exactly_the_dark_modules_of_the_code() {
        let data = "TN-2026-000123";
        let (marks, side) = qr_marks(data, 10.0, 20.0, 29.0).unwrap();
        assert!((side - 29.0).abs() < 0.01, "{side}");
        let code = QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).unwrap();
        let width = code.width();
        let module = side / (width + 2 * QUIET_ZONE_MODULES) as f32;
        let mut grid = vec![Color::Light; width * width];
        for mark in &marks {
            let Mark::Fill { x, y, w, h } = mark else { panic!("{mark:?}") };
            assert!((h - module).abs() < 1e-4);
            let row = ((y - 20.0) / module).round() as usize - QUIET_ZONE_MODULES;
            let first = ((x - 10.0) / module).round() as usize - QUIET_ZONE_MODULES;
            for column in first..first + (w / module).round() as usize {
                grid[row * width + column] = Color::Dark;
            }
        }
        assert_eq!(grid, code.to_colors());
    }

    /// What a scanner reads from the drawn code: the marks rasterised at `dots_per_mm` (dark
    /// where a mark covers a pixel's centre), then found and decoded by a QR reader.
    fn read_back(marks: &[Mark], side: f32, dots_per_mm: f32) -> Vec<String> {
        let pixels = (side * dots_per_mm).ceil() as usize;
        let dark = |px: usize, py: usize| {
            let (x, y) = ((px as f32 + 0.5) / dots_per_mm, (py as f32 + 0.5) / dots_per_mm);
            marks.iter().any(|m| matches!(m, Mark::Fill { x: mx, y: my, w, h } if x >= *mx && x < mx + w && y >= *my && y < my + h))
        };
        let mut image = rqrr::PreparedImage::prepare_from_bitmap(pixels, pixels, dark);
        image.detect_grids().iter().map(|grid| grid.decode().map(|(_, content)| content).unwrap_or_else(|e| panic!("{e:?}"))).collect()
    }

    #[test]
    fn a_scanner_reads_back_the_number_and_the_tracking_link_as_printed() {
        // The sizes the forms print: the register's row codes and the receipt's tracking link,
        // at a 300 dpi printer's resolution (about 12 dots a millimetre).
        let link = "https://telnuska.kz/track/0b6f1c2e-4f5a-4c1d-9a8e-3f2b1c0d9e8f/kk#Yq3v9kR2xW8mN4pL7tZ1aB6cD0eF5gH";
        for (data, side) in [("TN-2026-000123", ROW_CODE_MM), (link, TRACKING_CODE_MM)] {
            let (marks, side) = qr_marks(data, 0.0, 0.0, side).unwrap();
            assert_eq!(read_back(&marks, side, 12.0), vec![data.to_string()], "{data}");
        }
    }

    #[test]
    fn a_tracking_link_fits_in_a_code() {
        let link = "https://telnuska.kz/track/0b6f1c2e-4f5a-4c1d-9a8e-3f2b1c0d9e8f/kk#Yq3v9kR2xW8mN4pL7tZ1aB6cD0eF5gH";
        let (marks, _) = qr_marks(link, 0.0, 0.0, 30.0).unwrap();
        assert!(marks.len() > 100, "{}", marks.len());
    }
}
