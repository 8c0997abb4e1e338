//! Registers uploaded as tables (the official register of education organisations, a provider's
//! register of issued documents): a CSV file in UTF-8 or an Excel workbook's first sheet, read
//! into rows of named cells with their line numbers. Parsing the cells is the caller's.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use telnuska_shared::FieldError;

/// How every `.xlsx` file starts: it is a ZIP archive.
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// A table read from a file: its header and its non-empty rows.
#[derive(Debug)]
pub struct Table {
    header: Vec<String>,
    /// The rows with their 1-based line numbers (the header is line 1), blank rows left out.
    pub rows: Vec<TableRow>,
}

/// One row of a [`Table`].
#[derive(Debug)]
pub struct TableRow {
    /// Its line (CSV) or row (workbook) number, as the person sees it in their program.
    pub line: usize,
    cells: Vec<String>,
}

impl Table {
    /// Where `column` is in the header (a byte-order mark and spaces ignored).
    fn position(&self, column: &str) -> Option<usize> {
        self.header.iter().position(|h| h.trim_start_matches('\u{feff}').trim() == column)
    }

    /// The cell of `row` in `column`, trimmed; empty when the column or the cell is missing.
    pub fn cell<'a>(&self, row: &'a TableRow, column: &str) -> &'a str {
        self.position(column).and_then(|at| row.cells.get(at)).map_or("", |c| c.trim())
    }

    /// Errors at `lines.1.<column>` for each of `columns` the header lacks.
    pub fn missing(&self, columns: &[&str]) -> Vec<FieldError> {
        columns.iter().filter(|c| self.position(c).is_none()).map(|c| FieldError::new(format!("lines.1.{c}"), "required")).collect()
    }
}

/// Reads `bytes` as an Excel workbook when it is one, else as CSV. Every unreadable line is an
/// error at `lines.<line>`; a file that is neither is one error at `file`.
pub fn read(bytes: &[u8]) -> Result<Table, Vec<FieldError>> {
    if bytes.starts_with(ZIP_MAGIC) {
        read_xlsx(bytes)
    } else {
        read_csv(bytes)
    }
}

/// Reads a CSV file (comma-separated, a header line first).
pub fn read_csv(bytes: &[u8]) -> Result<Table, Vec<FieldError>> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).flexible(true).from_reader(bytes);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(str::to_string).collect(),
        Err(e) if e.is_io_error() => return Err(vec![FieldError::new("file", "register.unreadable")]),
        Err(_) => return Err(vec![FieldError::new("lines.1", "import.invalid")]),
    };
    let (mut rows, mut errors) = (Vec::new(), Vec::new());
    for (i, record) in reader.records().enumerate() {
        // A record's position is its first line (a quoted cell may span several).
        let line = record.as_ref().ok().and_then(|r| r.position()).map_or(i + 2, |p| p.line() as usize);
        match record {
            Ok(r) if r.iter().all(str::is_empty) => {}
            Ok(r) => rows.push(TableRow { line, cells: r.iter().map(str::to_string).collect() }),
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize);
                errors.push(FieldError::new(format!("lines.{line}"), "import.invalid"));
            }
        }
    }
    if errors.is_empty() {
        Ok(Table { header, rows })
    } else {
        Err(errors)
    }
}

/// A workbook cell as text. A number is written without a fraction when it has none: a year or
/// an IIN typed into a number cell is `2015`, not `2015.0`.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// Reads the first sheet of an Excel workbook (a header row first).
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, Vec<FieldError>> {
    let unreadable = || vec![FieldError::new("file", "register.unreadable")];
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|_| unreadable())?;
    let range = workbook.worksheet_range_at(0).ok_or_else(unreadable)?.map_err(|_| unreadable())?;
    // The sheet's used range may start below the first row: line numbers are the sheet's own.
    let first_line = range.start().map_or(1, |(row, _)| row as usize + 1);
    let first_column = range.start().map_or(0, |(_, column)| column as usize);
    let mut lines = range.rows().enumerate().map(|(i, cells)| {
        let mut texts = vec![String::new(); first_column];
        texts.extend(cells.iter().map(cell_text));
        (first_line + i, texts)
    });
    let Some((_, header)) = lines.next() else { return Err(vec![FieldError::new("lines.1", "import.invalid")]) };
    let rows = lines.filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty())).map(|(line, cells)| TableRow { line, cells }).collect();
    Ok(Table { header, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_rows_keep_their_line_numbers_and_blank_lines_are_skipped() {
        let table = read(b"\xef\xbb\xbfcode,name\na,\"two\nlines\"\n\n , \nb,x\n").unwrap();
        let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 6], "a quoted cell spans lines 2–3; line 4 is empty, line 5 blank cells");
        assert_eq!(table.cell(&table.rows[1], "code"), "b");
        assert_eq!(table.cell(&table.rows[0], "name"), "two\nlines");
        assert_eq!(table.cell(&table.rows[0], "absent"), "");
        assert_eq!(table.missing(&["code", "region"]), vec![FieldError::new("lines.1.region", "required")]);
    }

    #[test]
    fn a_broken_workbook_is_unreadable() {
        assert_eq!(read(b"PK\x03\x04 not really a zip").unwrap_err(), vec![FieldError::new("file", "register.unreadable")]);
    }

    #[test]
    fn whole_numbers_of_a_workbook_have_no_fraction() {
        assert_eq!(cell_text(&Data::Float(2015.0)), "2015");
        assert_eq!(cell_text(&Data::Float(2.5)), "2.5");
        assert_eq!(cell_text(&Data::Int(12)), "12");
        assert_eq!(cell_text(&Data::String("BD".into())), "BD");
    }
}
