//! Volume sheets (用邮量, SPEC §14.7), shaped like the revenue sheets: long —
//! `客户编号, 月份, 业务种类, 件数`, one count per row — or wide — `客户编号,
//! 月份, 函件, 帐单, …`, one column of pieces per service line.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::columns::{Aliases, Columns, NOT_USED, fold};
use super::csv_file::Table;
use super::revenue::service_line;
use super::{BadRow, FileProblem, Parsed, Problem};
use crate::db::reference::{Reference, ServiceLine};
use crate::db::volume::VolumeEntry;
use crate::domain::id::CustomerId;
use crate::domain::validate::FieldError;
use crate::domain::volume::parse_pieces;

const ID_NAMES: &str = "客户编号 / customer_id";
const MONTH_NAMES: &str = "月份 / month";
const LINE_NAMES: &str = "业务种类 / service_line";
pub(crate) const PIECES_NAMES: &str = "件数 / pieces";

fn aliases() -> Aliases {
    Aliases::new()
        .with("customer_id", &["客户编号", "编号", "客户代码", "客户ID", "customer_id", "customer", "id"])
        .with("month", &["月份", "月", "年月", "统计月份", "所属月份", "month"])
        .with(
            "service_line",
            &["业务种类", "业务", "业务类型", "用邮业务", "业务名称", "service_line", "service", "line"],
        )
        .with("pieces", &["件数", "用邮量", "数量", "交寄量", "用邮件数", "pieces", "volume"])
        .with(
            NOT_USED,
            &[
                "客户名称",
                "客户简称",
                "客户全称",
                "简称",
                "全称",
                "名称",
                "序号",
                "合计",
                "总计",
                "小计",
                "备注",
                "name",
                "short_name",
                "full_name",
                "no",
                "total",
                "remark",
                "note",
            ],
        )
}

/// The service line a column of pieces names: a line's name, with or
/// without `(件)`, `件数` or `用邮量` after it.
pub fn line_column(lines: &[ServiceLine], header: &str) -> Option<i64> {
    let folded = fold(header);
    let mut candidates = vec![folded.clone()];
    for suffix in ["(件)", "(单位:件)", "件数", "用邮量", "(pieces)", "pieces", "件"] {
        if let Some(rest) = folded.strip_suffix(suffix) {
            candidates.push(rest.to_string());
        }
    }
    candidates.iter().find_map(|c| service_line(lines, c))
}

enum Layout {
    Long { line: usize, pieces: usize },
    Wide(Vec<(usize, i64)>),
}

fn layout(cols: &Columns, reference: &Reference) -> Result<Layout, FileProblem> {
    match (cols.index("service_line"), cols.index("pieces")) {
        (Some(line), Some(pieces)) => Ok(Layout::Long { line, pieces }),
        (Some(_), None) => Err(FileProblem::MissingColumn(PIECES_NAMES)),
        (None, Some(_)) => Err(FileProblem::MissingColumn(LINE_NAMES)),
        (None, None) => super::revenue::wide_line_columns(
            cols,
            |header| line_column(&reference.service_lines, header),
            FileProblem::MissingColumn(PIECES_NAMES),
        )
        .map(Layout::Wide),
    }
}

/// Reads a volume sheet: (line, entry) per count, and every bad row. Empty
/// cells of a wide table are months without that service line, not zeros.
pub fn parse(
    table: &Table,
    reference: &Reference,
    today: NaiveDate,
) -> Result<Parsed<(usize, VolumeEntry)>, FileProblem> {
    let cols = Columns::map(&table.headers, &aliases())?;
    let id_col = cols.require("customer_id", ID_NAMES)?;
    let month_col = cols.require("month", MONTH_NAMES)?;
    let layout = layout(&cols, reference)?;
    let taken: Vec<usize> = match &layout {
        Layout::Long { .. } => Vec::new(),
        Layout::Wide(lines) => lines.iter().map(|(col, _)| *col).collect(),
    };
    let mut out = Parsed::new(table.rows.len(), cols.not_used(&taken));
    let mut seen: HashMap<(CustomerId, i64, i64), usize> = HashMap::new();
    for row in &table.rows {
        let mut problems: Vec<BadRow> = Vec::new();
        let mut bad = |col: Option<usize>, problem: Problem| {
            problems.push(BadRow::new(row.line, col.map(|c| cols.header(c)), problem));
        };
        if super::has_extra_cells(row, cols.headers.len()) {
            bad(None, Problem::ExtraCells);
        }
        let id = super::customer_id(row.cell(id_col)).map_err(|p| bad(Some(id_col), p)).ok();
        let month = super::month(row.cell(month_col), today).map_err(|p| bad(Some(month_col), p)).ok();
        let mut counts: Vec<(i64, u64)> = Vec::new();
        match &layout {
            Layout::Long { line, pieces } => {
                let line_id = match row.cell(*line) {
                    "" => Err(Problem::Field(FieldError::Required)),
                    text => service_line(&reference.service_lines, text)
                        .ok_or_else(|| Problem::UnknownServiceLine(text.to_string())),
                };
                let n = parse_pieces(row.cell(*pieces)).map_err(Problem::Field);
                match (line_id, n) {
                    (Ok(l), Ok(n)) => counts.push((l, n)),
                    (l, n) => {
                        if let Err(p) = l {
                            bad(Some(*line), p);
                        }
                        if let Err(p) = n {
                            bad(Some(*pieces), p);
                        }
                    }
                }
            }
            Layout::Wide(lines) => {
                for (col, line_id) in lines {
                    match row.cell(*col) {
                        "" => {}
                        text => match parse_pieces(text) {
                            Ok(n) => counts.push((*line_id, n)),
                            Err(e) => bad(Some(*col), Problem::Field(e)),
                        },
                    }
                }
            }
        }
        let (Some(id), Some(month)) = (id, month) else {
            out.bad.append(&mut problems);
            continue;
        };
        // One count per customer, month and service line.
        let mut first_lines: Vec<usize> = Vec::new();
        for (line_id, _) in &counts {
            let first = *seen.entry((id.clone(), month.key(), *line_id)).or_insert(row.line);
            if first != row.line && !first_lines.contains(&first) {
                first_lines.push(first);
            }
        }
        for first_line in first_lines {
            bad(None, Problem::DuplicateInFile { first_line });
        }
        if problems.is_empty() {
            out.items.extend(counts.into_iter().map(|(service_line_id, pieces)| {
                (row.line, VolumeEntry { customer_id: id.clone(), month, service_line_id, pieces })
            }));
        } else {
            out.bad.append(&mut problems);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::csv_file::read_table;

    fn reference() -> Reference {
        let line = |id, code: &str, zh: &str, en: &str| ServiceLine {
            id,
            code: code.into(),
            name_zh: zh.into(),
            name_en: en.into(),
        };
        Reference {
            service_lines: vec![line(1, "letters", "函件", "Letters"), line(2, "bill", "帐单", "Bill mail")],
            ..Reference::default()
        }
    }

    fn parse_text(text: &str) -> Result<Parsed<(usize, VolumeEntry)>, FileProblem> {
        parse(&read_table(text.as_bytes()).unwrap(), &reference(), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
    }

    #[test]
    fn long_and_wide_give_the_same_counts() {
        let long = parse_text(
            "客户编号,月份,业务种类,件数\n44010600001000,2026-10,函件,\"1,200\"\n44010600001000,2026-10,帐单,50件\n",
        )
        .unwrap();
        let wide = parse_text("客户编号,客户名称,月份,函件(件),帐单件数\n44010600001000,甲,202610,1200,50\n").unwrap();
        assert!(long.bad.is_empty() && wide.bad.is_empty(), "{:?} {:?}", long.bad, wide.bad);
        let cells = |p: &Parsed<(usize, VolumeEntry)>| {
            p.items.iter().map(|(_, e)| (e.service_line_id, e.pieces)).collect::<Vec<_>>()
        };
        assert_eq!(cells(&long), [(1, 1200), (2, 50)]);
        assert_eq!(cells(&wide), cells(&long));
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let p = parse_text(
            "客户编号,月份,函件\n44010600001000,2026-10,100\n44010600001000,2026-09,1.5\n44010600001000,2026-08,-3\n\
             44010600001000,2026-10,7\n",
        )
        .unwrap();
        let lines: Vec<(usize, &Problem)> = p.bad.iter().map(|b| (b.line, &b.problem)).collect();
        assert_eq!(
            lines,
            [
                (3, &Problem::Field(FieldError::Count)),
                (4, &Problem::Field(FieldError::Count)),
                (5, &Problem::DuplicateInFile { first_line: 2 })
            ]
        );
        assert_eq!(
            parse_text("客户编号,月份,快递包裹\n").unwrap_err(),
            FileProblem::UnknownColumns(vec!["快递包裹".into()])
        );
    }
}
