//! A CSV file as Excel saves it in a Chinese office: UTF-8 with or without a
//! byte-order mark ("CSV UTF-8"), or GBK (plain "CSV" on a Chinese Windows),
//! and now and then UTF-16 with a BOM ("Unicode text", tab-separated).

use encoding_rs::{Encoding, GBK, UTF_8};

use super::FileProblem;

/// One data row: its line as the spreadsheet numbers it, and its cells trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<String>,
}

impl Row {
    /// The cell under column `i`, empty when the row is shorter.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map(String::as_str).unwrap_or("")
    }
}

/// A decoded file: the header row (line 1) and the data rows under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
    /// The encoding the file was read in, for the summary.
    pub encoding: &'static str,
}

/// Decodes the file: a BOM decides; otherwise valid UTF-8 is UTF-8 and
/// anything else is read as GBK. Bytes that are none of these refuse the file
/// rather than become replacement characters in customer names.
pub fn decode(bytes: &[u8]) -> Result<(String, &'static str), FileProblem> {
    let (encoding, text) = match Encoding::for_bom(bytes) {
        Some((encoding, bom)) => (encoding, &bytes[bom..]),
        None if std::str::from_utf8(bytes).is_ok() => (UTF_8, bytes),
        None => (GBK, bytes),
    };
    let decoded =
        encoding.decode_without_bom_handling_and_without_replacement(text).ok_or(FileProblem::Encoding)?.into_owned();
    Ok((decoded, encoding.name()))
}

/// Reads the file as a table. Blank rows are skipped but keep their numbers,
/// as in the spreadsheet; cells are trimmed (full-width spaces too) and
/// Excel's `="0123"` text guard is removed.
pub fn read_table(bytes: &[u8]) -> Result<Table, FileProblem> {
    let (text, encoding) = decode(bytes)?;
    // Excel for Mac ends lines with a bare CR; one kind of line end keeps the
    // row numbers right (the counter below counts LF).
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = if first_line.contains('\t') && !first_line.contains(',') { b'\t' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut headers: Option<Vec<String>> = None;
    let mut rows = Vec::new();
    let mut lines = LineCounter::default();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(FileProblem::Unreadable(e.to_string())),
        }
        let start = record.position().map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
        let line = lines.row_at(text.as_bytes(), start, &record);
        let cells: Vec<String> = record.iter().map(clean_cell).collect();
        if cells.iter().all(String::is_empty) {
            continue;
        }
        match headers {
            None => headers = Some(cells),
            Some(_) => rows.push(Row { line, cells }),
        }
    }
    let headers = headers.ok_or(FileProblem::Empty)?;
    Ok(Table { headers, rows, encoding })
}

/// Spreadsheet row numbers from byte offsets. The reader's own line count
/// misses the blank lines it skips before a record, and a cell with a line
/// break is one row in the spreadsheet but several lines of text.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    text_line: usize,
    embedded_breaks: usize,
}

impl LineCounter {
    fn row_at(&mut self, text: &[u8], start: usize, record: &csv::StringRecord) -> usize {
        let start = (start..text.len()).find(|&i| !matches!(text[i], b'\r' | b'\n')).unwrap_or(text.len());
        let from = self.offset.min(start);
        self.text_line += text[from..start].iter().filter(|&&b| b == b'\n').count();
        self.offset = start;
        let row = self.text_line + 1 - self.embedded_breaks;
        self.embedded_breaks += record.iter().map(|c| c.matches('\n').count()).sum::<usize>();
        row
    }
}

fn clean_cell(cell: &str) -> String {
    let trimmed = cell.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let unguarded = trimmed.strip_prefix("=\"").and_then(|s| s.strip_suffix('"')).unwrap_or(trimmed);
    unguarded.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_apart() {
        let zh = "客户编号,月份\n44010600001000,2026-10\n";
        let (text, enc) = decode(format!("\u{feff}{zh}").as_bytes()).unwrap();
        assert_eq!((text.as_str(), enc), (zh, "UTF-8"));
        assert_eq!(decode(zh.as_bytes()).unwrap().1, "UTF-8");
        let (gbk, _, _) = GBK.encode(zh);
        assert_eq!(decode(&gbk).unwrap(), (zh.to_string(), "GBK"));
        // A lone lead byte at the end is neither UTF-8 nor GBK.
        assert_eq!(decode(&[0x41, 0x81]), Err(FileProblem::Encoding));
    }

    #[test]
    fn lines_are_spreadsheet_rows() {
        let csv = "\u{feff}名称, 备注\n\n甲,\"两\n行\"\n , \n乙,=\"007\"\n";
        let t = read_table(csv.as_bytes()).unwrap();
        assert_eq!(t.headers, ["名称", "备注"]);
        let lines: Vec<usize> = t.rows.iter().map(|r| r.line).collect();
        // Text lines 3 and 6; the break inside the quoted cell is not a row.
        assert_eq!(lines, [3, 5]);
        assert_eq!(t.rows[1].cells, ["乙", "007"]);
        assert_eq!(t.rows[0].cell(5), "");
    }

    #[test]
    fn tab_separated_unicode_text() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "编号\t名称\r\n1\t甲\r\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let t = read_table(&bytes).unwrap();
        assert_eq!(t.encoding, "UTF-16LE");
        assert_eq!(t.rows[0].cells, ["1", "甲"]);
    }

    #[test]
    fn no_header_is_an_empty_file() {
        assert_eq!(read_table(b"\n , \n").unwrap_err(), FileProblem::Empty);
    }
}
