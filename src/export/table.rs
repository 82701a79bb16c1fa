//! Tables of typed cells written as CSV or XLSX, for the reports and the
//! customer export.
//!
//! A [`TableFile`] is written row by row (it never holds a table), in one or
//! more sections: each section is a worksheet in XLSX, and in CSV the sections
//! follow one another, separated by a blank line.
//!
//! **Numbers.** Amounts are exact decimals everywhere in kam. In CSV they are
//! written from the decimal itself (`1234567.50`: no thousands separators, so
//! every program reads it back as a number). XLSX only has binary floating-point
//! number cells, so an amount becomes an `f64` at the very last step; a 2-decimal
//! amount below 2^53 fen (about 90 trillion yuan) converts to the nearest double,
//! which prints back as the same 2-decimal number, so nothing is lost to the fen.
//! Ratios are written as numbers formatted `0.0%` in XLSX, and in CSV as the
//! percentage the screens show (`20.6%`, which Excel reads as a percentage).
//!
//! **Atomic.** Everything goes into a temporary file in the target's directory
//! which is renamed over the target only by [`TableFile::finish`]; a failure, or a
//! `TableFile` dropped unfinished, deletes the temporary file and leaves any
//! earlier file untouched. The file is private to its owner on Unix (created
//! 0600), like the calendar export: these tables hold customer data.

use std::cell::RefCell;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use tempfile::NamedTempFile;
use thiserror::Error;
use unicode_width::UnicodeWidthStr;

use crate::domain::money::Money;
use crate::domain::revenue::percent;

/// The file formats a table can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

/// One cell: what it means, not how it looks; each format decides that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Empty,
    Text(String),
    Count(u64),
    Money(Money),
    /// A ratio: 0.052 is 5.2%.
    Ratio(Decimal),
    /// A ratio shown to two decimals of a percent (0.2063 is 20.63%), as the
    /// period report gives shares and changes.
    Percent(Decimal),
    Date(NaiveDate),
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell::Text(text.into())
    }
    /// A ratio that may have no base (a change against zero): empty, never 0 or NaN.
    pub fn ratio(ratio: Option<Decimal>) -> Cell {
        ratio.map_or(Cell::Empty, Cell::Ratio)
    }
    /// A two-decimal percentage that may have no base: empty, never 0 or NaN.
    pub fn percent(ratio: Option<Decimal>) -> Cell {
        ratio.map_or(Cell::Empty, Cell::Percent)
    }
    pub fn money(amount: Option<Money>) -> Cell {
        amount.map_or(Cell::Empty, Cell::Money)
    }

    /// How wide the cell is shown, in columns (a CJK character counts two).
    fn display_width(&self) -> usize {
        match self {
            Cell::Empty => 0,
            Cell::Text(text) => text.width(),
            Cell::Count(n) => n.to_string().len(),
            Cell::Money(amount) => amount.format_yuan().len(),
            Cell::Ratio(_) => 7,
            Cell::Percent(_) => 8,
            Cell::Date(_) => 10,
        }
    }
}

/// How a row is set apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowStyle {
    /// A section's title: bold, and not counted for the column widths.
    Title,
    /// A label and its value above a table: plain.
    Field,
    /// Column headings: bold; in XLSX the rows down to the first heading row are frozen.
    Heading,
    Body,
    /// A total row: bold.
    Total,
}

#[derive(Debug, Error)]
pub enum TableError {
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Csv(#[from] csv::Error),
    #[error(transparent)]
    Xlsx(#[from] XlsxError),
    #[error("a table needs a section before its first row")]
    NoSection,
}

/// Column widths, in Excel's character units: at least this, at most that.
const MIN_WIDTH: usize = 6;
const MAX_WIDTH: usize = 60;

/// A table file being written.
pub struct TableFile {
    path: PathBuf,
    out: Out,
    rows: u64,
}

enum Out {
    Csv(Box<CsvOut>),
    Xlsx(Box<XlsxOut>),
}

struct CsvOut {
    writer: csv::Writer<Sink>,
    sections: usize,
}

/// The CSV file under the csv crate's writer, reachable from outside it for
/// blank lines (the crate writes a record of one empty field as `""`, and only
/// lends its writer out by shared reference).
struct Sink(RefCell<BufWriter<NamedTempFile>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.get_mut().write(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.get_mut().flush()
    }
}

struct XlsxOut {
    file: NamedTempFile,
    workbook: Workbook,
    formats: Formats,
    /// The worksheet being written, its next row and its widest cell per column.
    sheet: Option<usize>,
    row: u32,
    frozen: bool,
    widths: Vec<usize>,
}

struct Formats {
    bold: Format,
    money: Format,
    money_bold: Format,
    ratio: Format,
    ratio_bold: Format,
    percent: Format,
    percent_bold: Format,
    count_bold: Format,
    date: Format,
}

impl Formats {
    fn new() -> Formats {
        let money = Format::new().set_num_format("#,##0.00");
        let ratio = Format::new().set_num_format("0.0%");
        let percent = Format::new().set_num_format("0.00%");
        Formats {
            percent_bold: percent.clone().set_bold(),
            percent,
            bold: Format::new().set_bold(),
            money_bold: money.clone().set_bold(),
            money,
            ratio_bold: ratio.clone().set_bold(),
            ratio,
            count_bold: Format::new().set_bold(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        }
    }
}

impl TableFile {
    /// Starts writing `path` (replaced only when [`TableFile::finish`] succeeds).
    pub fn create(path: &Path, format: FileFormat) -> Result<TableFile, TableError> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let file = tempfile::Builder::new().prefix(".kam-export-").suffix(".tmp").tempfile_in(dir)?;
        let out = match format {
            FileFormat::Csv => {
                let mut buffered = BufWriter::with_capacity(64 * 1024, file);
                // A byte-order mark first: Excel on a Chinese Windows opens a CSV
                // without one in the ANSI code page (GBK) and shows every Chinese
                // character as mojibake; with it, Excel reads UTF-8.
                buffered.write_all("\u{feff}".as_bytes())?;
                let writer = csv::WriterBuilder::new()
                    // Sections have different numbers of columns.
                    .flexible(true)
                    .terminator(csv::Terminator::CRLF)
                    .from_writer(Sink(RefCell::new(buffered)));
                Out::Csv(Box::new(CsvOut { writer, sections: 0 }))
            }
            FileFormat::Xlsx => Out::Xlsx(Box::new(XlsxOut {
                file,
                workbook: Workbook::new(),
                formats: Formats::new(),
                sheet: None,
                row: 0,
                frozen: false,
                widths: Vec::new(),
            })),
        };
        Ok(TableFile { path: path.to_path_buf(), out, rows: 0 })
    }

    /// Starts a section: a new worksheet named `name` in XLSX, a blank line
    /// after the previous section in CSV.
    pub fn section(&mut self, name: &str) -> Result<(), TableError> {
        match &mut self.out {
            Out::Csv(csv) => {
                if csv.sections > 0 {
                    csv.blank_line()?;
                }
                csv.sections += 1;
            }
            Out::Xlsx(xlsx) => {
                xlsx.apply_widths()?;
                // Rows go straight to a temporary file as they are written (constant
                // memory): a customer export of any size never sits in memory.
                let sheet = xlsx.workbook.add_worksheet_with_constant_memory()?;
                sheet.set_name(sheet_name(name))?;
                xlsx.sheet = Some(xlsx.workbook.worksheets().len() - 1);
                xlsx.row = 0;
                xlsx.frozen = false;
                xlsx.widths.clear();
            }
        }
        Ok(())
    }

    /// Writes one row of the current section.
    pub fn row(&mut self, style: RowStyle, cells: &[Cell]) -> Result<(), TableError> {
        match &mut self.out {
            Out::Csv(csv) => {
                if csv.sections == 0 {
                    return Err(TableError::NoSection);
                }
                if cells.iter().all(|c| *c == Cell::Empty) {
                    csv.blank_line()?;
                } else {
                    csv.writer.write_record(cells.iter().map(csv_field))?;
                }
            }
            Out::Xlsx(xlsx) => xlsx.row(style, cells)?,
        }
        if style == RowStyle::Body {
            self.rows += 1;
        }
        Ok(())
    }

    /// A row of headings.
    pub fn headings(&mut self, titles: &[&str]) -> Result<(), TableError> {
        let cells: Vec<Cell> = titles.iter().map(|t| Cell::text(*t)).collect();
        self.row(RowStyle::Heading, &cells)
    }

    /// An empty row.
    pub fn blank(&mut self) -> Result<(), TableError> {
        self.row(RowStyle::Title, &[Cell::Empty])
    }

    /// How many body rows have been written.
    pub fn body_rows(&self) -> u64 {
        self.rows
    }

    /// Completes the file and puts it in place atomically.
    pub fn finish(self) -> Result<(), TableError> {
        let TableFile { path, out, .. } = self;
        let file = match out {
            Out::Csv(csv) => {
                let sink = csv.writer.into_inner().map_err(|e| e.into_error())?;
                sink.0.into_inner().into_inner().map_err(|e| e.into_error())?
            }
            Out::Xlsx(mut xlsx) => {
                xlsx.apply_widths()?;
                let mut buffered = BufWriter::with_capacity(64 * 1024, xlsx.file.as_file());
                xlsx.workbook.save_to_writer(&mut buffered)?;
                buffered.flush()?;
                drop(buffered);
                xlsx.file
            }
        };
        persist(file, &path)?;
        Ok(())
    }
}

impl CsvOut {
    /// A truly empty line, written past the csv crate (see [`Sink`]).
    fn blank_line(&mut self) -> Result<(), TableError> {
        self.writer.flush()?;
        self.writer.get_ref().0.borrow_mut().write_all(b"\r\n")?;
        Ok(())
    }
}

impl XlsxOut {
    fn sheet(&mut self) -> Result<&mut Worksheet, TableError> {
        let index = self.sheet.ok_or(TableError::NoSection)?;
        Ok(self.workbook.worksheet_from_index(index)?)
    }

    fn row(&mut self, style: RowStyle, cells: &[Cell]) -> Result<(), TableError> {
        let row = self.row;
        let index = self.sheet.ok_or(TableError::NoSection)?;
        let sheet = self.workbook.worksheet_from_index(index)?;
        let f = &self.formats;
        let strong = matches!(style, RowStyle::Title | RowStyle::Heading | RowStyle::Total);
        for (col, cell) in cells.iter().enumerate() {
            let col = u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
            match cell {
                Cell::Empty => {}
                Cell::Text(text) if strong => {
                    sheet.write_string_with_format(row, col, text, &f.bold)?;
                }
                Cell::Text(text) => {
                    sheet.write_string(row, col, text)?;
                }
                Cell::Count(n) => {
                    // Counts of rows and customers: far below 2^53, exact as f64.
                    let n = *n as f64;
                    if strong {
                        sheet.write_number_with_format(row, col, n, &f.count_bold)?;
                    } else {
                        sheet.write_number(row, col, n)?;
                    }
                }
                Cell::Money(amount) => {
                    // The one place an amount becomes binary floating point (see the
                    // module comment): rounded to the fen first, then the nearest double.
                    let yuan = amount.yuan().round_dp(2).to_f64().unwrap_or(f64::NAN);
                    sheet.write_number_with_format(row, col, yuan, if strong { &f.money_bold } else { &f.money })?;
                }
                Cell::Ratio(ratio) => {
                    if let Some(r) = ratio.to_f64() {
                        sheet.write_number_with_format(row, col, r, if strong { &f.ratio_bold } else { &f.ratio })?;
                    }
                }
                Cell::Percent(ratio) => {
                    // Rounded as the CSV shows it (20.63%), then the nearest double.
                    let shown = ratio.round_dp_with_strategy(4, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
                    if let Some(r) = shown.to_f64() {
                        let format = if strong { &f.percent_bold } else { &f.percent };
                        sheet.write_number_with_format(row, col, r, format)?;
                    }
                }
                Cell::Date(day) => {
                    let date = ExcelDateTime::from_ymd(
                        u16::try_from(day.year()).map_err(|_| XlsxError::DateTimeRangeError(day.to_string()))?,
                        u8::try_from(day.month()).map_err(|_| XlsxError::DateTimeRangeError(day.to_string()))?,
                        u8::try_from(day.day()).map_err(|_| XlsxError::DateTimeRangeError(day.to_string()))?,
                    )?;
                    sheet.write_date_with_format(row, col, &date, &f.date)?;
                }
            }
        }
        if style == RowStyle::Heading && !self.frozen {
            sheet.set_freeze_panes(row + 1, 0)?;
            self.frozen = true;
        }
        if style != RowStyle::Title {
            if self.widths.len() < cells.len() {
                self.widths.resize(cells.len(), 0);
            }
            for (width, cell) in self.widths.iter_mut().zip(cells) {
                *width = (*width).max(cell.display_width());
            }
        }
        self.row += 1;
        Ok(())
    }

    /// Sizes the current sheet's columns to their widest cell (CJK characters
    /// count double, as Excel draws them), within sensible bounds.
    fn apply_widths(&mut self) -> Result<(), TableError> {
        if self.sheet.is_none() {
            return Ok(());
        }
        let widths = std::mem::take(&mut self.widths);
        let sheet = self.sheet()?;
        for (col, width) in widths.iter().enumerate() {
            let col = u16::try_from(col).map_err(|_| XlsxError::RowColumnLimitError)?;
            sheet.set_column_width(col, ((width + 2).clamp(MIN_WIDTH, MAX_WIDTH)) as f64)?;
        }
        Ok(())
    }
}

/// A cell as CSV text.
fn csv_field(cell: &Cell) -> String {
    match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => guard_formula(text),
        Cell::Count(n) => n.to_string(),
        Cell::Money(amount) => {
            let mut yuan = amount.yuan().round_dp(2);
            yuan.rescale(2);
            yuan.to_string()
        }
        Cell::Ratio(ratio) => percent(*ratio),
        Cell::Percent(ratio) => crate::domain::period::percent2(*ratio),
        Cell::Date(day) => day.format("%Y-%m-%d").to_string(),
    }
}

/// Text that a spreadsheet would take for a formula (`=…`, `+…`, `-…`, `@…`)
/// gets a leading apostrophe, so opening the CSV never runs what someone typed
/// into a customer's name (OWASP "CSV injection"). XLSX needs no such guard:
/// its text cells are never formulas.
fn guard_formula(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{text}") } else { text.to_string() }
}

/// A valid worksheet name: at most 31 characters, none of `[]:*?/\`.
fn sheet_name(name: &str) -> String {
    let cleaned: String =
        name.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).take(31).collect::<String>();
    let cleaned = cleaned.trim_matches('\'').trim().to_string();
    if cleaned.is_empty() { "Sheet".to_string() } else { cleaned }
}

/// Flushes the temporary file to disk and renames it over `path`; on failure
/// the temporary file is deleted.
fn persist(file: NamedTempFile, path: &Path) -> std::io::Result<()> {
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable; not every platform can open a directory.
    #[cfg(unix)]
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_exact_and_plain() {
        assert_eq!(csv_field(&Cell::Money(Money(Decimal::new(123456750, 2)))), "1234567.50");
        assert_eq!(csv_field(&Cell::Money(Money(Decimal::new(5, 0)))), "5.00");
        assert_eq!(csv_field(&Cell::Ratio(Decimal::new(2063, 4))), "20.6%");
        assert_eq!(csv_field(&Cell::ratio(None)), "");
        assert_eq!(csv_field(&Cell::Count(12)), "12");
        assert_eq!(csv_field(&Cell::Date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap())), "2026-01-05");
    }

    #[test]
    fn formula_like_text_is_defused_in_csv() {
        assert_eq!(csv_field(&Cell::text("=HYPERLINK(\"x\")")), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_field(&Cell::text("-5")), "'-5");
        assert_eq!(csv_field(&Cell::text("电信帐务中心")), "电信帐务中心");
    }

    #[test]
    fn sheet_names_are_valid() {
        assert_eq!(sheet_name("按级别"), "按级别");
        assert_eq!(sheet_name("a/b:c"), "a_b_c");
        assert_eq!(sheet_name(""), "Sheet");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
    }

    #[test]
    fn widths_count_chinese_characters_double() {
        assert_eq!(Cell::text("钻石").display_width(), 4);
        assert_eq!(Cell::Money(Money(Decimal::new(123456750, 2))).display_width(), 12);
    }

    #[test]
    fn an_unfinished_file_leaves_nothing() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("t.csv");
        let mut file = TableFile::create(&path, FileFormat::Csv).unwrap();
        file.section("s").unwrap();
        file.row(RowStyle::Body, &[Cell::text("x")]).unwrap();
        drop(file);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
