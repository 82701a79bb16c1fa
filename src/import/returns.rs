//! Returned-mail sheets (退信, SPEC §14.7): `客户编号, 月份, 交寄件数, 退信件数`
//! and, optionally, one column per reason (地址不详, 查无此人, …, as the
//! administrator's list names them) with the pieces returned for it. Without
//! a 退信件数 column the reasons add up to it. The return rate is never read
//! from the file: kam computes it.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::columns::{Aliases, Columns, NOT_USED, fold};
use super::csv_file::Table;
use super::{BadRow, FileProblem, Parsed, Problem};
use crate::db::setup::ListEntry;
use crate::db::volume::ReturnsEntry;
use crate::domain::id::CustomerId;
use crate::domain::volume::{Returns, parse_pieces};

const ID_NAMES: &str = "客户编号 / customer_id";
const MONTH_NAMES: &str = "月份 / month";
const POSTED_NAMES: &str = "交寄件数 / posted";
const RETURNED_NAMES: &str = "退信件数 / returned";

fn aliases() -> Aliases {
    Aliases::new()
        .with("customer_id", &["客户编号", "编号", "客户代码", "客户ID", "customer_id", "customer", "id"])
        .with("month", &["月份", "月", "年月", "统计月份", "所属月份", "month"])
        .with("posted", &["交寄件数", "交寄量", "交寄", "交寄数", "发出件数", "posted", "pieces_posted"])
        .with("returned", &["退信件数", "退信数", "退信", "退回件数", "退信量", "returned", "pieces_returned"])
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
                "备注",
                "退信率",
                "name",
                "short_name",
                "full_name",
                "no",
                "remark",
                "note",
                "return_rate",
                "rate",
            ],
        )
}

/// The reason a column names: its code, Chinese or English name (archived
/// ones too: an old sheet still reads), with or without `(件)`.
pub fn reason_column(reasons: &[ListEntry], header: &str) -> Option<i64> {
    let folded = fold(header);
    let bare = folded.strip_suffix("(件)").unwrap_or(&folded).to_string();
    reasons.iter().find(|r| [&r.code, &r.name_zh, &r.name_en].iter().any(|n| fold(n) == bare)).map(|r| r.id)
}

/// Reads a returned-mail sheet: (line, entry) per row, and every bad row.
pub fn parse(
    table: &Table,
    reasons: &[ListEntry],
    today: NaiveDate,
) -> Result<Parsed<(usize, ReturnsEntry)>, FileProblem> {
    let cols = Columns::map(&table.headers, &aliases())?;
    let id_col = cols.require("customer_id", ID_NAMES)?;
    let month_col = cols.require("month", MONTH_NAMES)?;
    let posted_col = cols.require("posted", POSTED_NAMES)?;
    let returned_col = cols.index("returned");
    let mut reason_cols: Vec<(usize, i64)> = Vec::new();
    let mut unknown = Vec::new();
    for i in cols.unknown() {
        match reason_column(reasons, cols.header(i)) {
            Some(id) if reason_cols.iter().any(|(_, r)| *r == id) => {
                return Err(FileProblem::DuplicateColumn(cols.header(i).to_string()));
            }
            Some(id) => reason_cols.push((i, id)),
            None => unknown.push(cols.header(i).to_string()),
        }
    }
    // A misspelt reason must not drop its pieces quietly.
    if !unknown.is_empty() {
        return Err(FileProblem::UnknownReasonColumns(unknown));
    }
    if returned_col.is_none() && reason_cols.is_empty() {
        return Err(FileProblem::MissingColumn(RETURNED_NAMES));
    }
    let taken: Vec<usize> = reason_cols.iter().map(|(c, _)| *c).collect();
    let mut out = Parsed::new(table.rows.len(), cols.not_used(&taken));
    let mut seen: HashMap<(CustomerId, i64), usize> = HashMap::new();
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
        let posted = parse_pieces(row.cell(posted_col)).map_err(|e| bad(Some(posted_col), Problem::Field(e))).ok();
        let mut by_reason: Vec<(i64, u64)> = Vec::new();
        let mut reasons_ok = true;
        for (col, reason) in &reason_cols {
            match row.cell(*col) {
                "" => {}
                text => match parse_pieces(text) {
                    Ok(n) => by_reason.push((*reason, n)),
                    Err(e) => {
                        reasons_ok = false;
                        bad(Some(*col), Problem::Field(e));
                    }
                },
            }
        }
        let returned = match returned_col {
            Some(col) => parse_pieces(row.cell(col)).map_err(|e| bad(Some(col), Problem::Field(e))).ok(),
            None if reasons_ok => Some(by_reason.iter().map(|(_, n)| *n).sum()),
            None => None,
        };
        if let (Some(posted), Some(returned)) = (posted, returned) {
            let returns = Returns { posted, returned };
            let counts: Vec<u64> = by_reason.iter().map(|(_, n)| *n).collect();
            if reasons_ok && let Err(why) = returns.check(&counts) {
                bad(None, Problem::Returns(why));
            }
        }
        let (Some(id), Some(month), Some(posted), Some(returned)) = (id, month, posted, returned) else {
            out.bad.append(&mut problems);
            continue;
        };
        let first = *seen.entry((id.clone(), month.key())).or_insert(row.line);
        if first != row.line {
            bad(None, Problem::DuplicateInFile { first_line: first });
        }
        if problems.is_empty() {
            let returns = Returns { posted, returned };
            out.items.push((row.line, ReturnsEntry { customer_id: id, month, returns, reasons: by_reason }));
        } else {
            out.bad.append(&mut problems);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::validate::FieldError;
    use crate::domain::volume::ReturnsError;
    use crate::import::csv_file::read_table;

    fn reasons() -> Vec<ListEntry> {
        let r = |id, code: &str, zh: &str, en: &str| ListEntry {
            id,
            code: code.into(),
            name_zh: zh.into(),
            name_en: en.into(),
            archived: false,
        };
        vec![r(1, "unclear", "地址不详", "Address unclear"), r(2, "unknown", "查无此人", "Addressee unknown")]
    }

    fn parse_text(text: &str) -> Result<Parsed<(usize, ReturnsEntry)>, FileProblem> {
        parse(&read_table(text.as_bytes()).unwrap(), &reasons(), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
    }

    #[test]
    fn figures_and_reasons_by_column() {
        let p = parse_text(
            "客户编号,月份,交寄件数,退信件数,地址不详,查无此人,退信率\n44010600001000,2026-10,500,12,5,7,2.4%\n",
        )
        .unwrap();
        assert!(p.bad.is_empty(), "{:?}", p.bad);
        let (_, e) = &p.items[0];
        assert_eq!(e.returns, Returns { posted: 500, returned: 12 });
        assert_eq!(e.reasons, [(1, 5), (2, 7)]);
        assert_eq!(p.ignored, ["退信率"]);
        // Without a returned column the reasons add up to it.
        let p = parse_text("客户编号,月份,交寄,地址不详(件),unknown\n44010600001000,2026-10,500,5,7\n").unwrap();
        assert_eq!(p.items[0].1.returns, Returns { posted: 500, returned: 12 });
    }

    #[test]
    fn impossible_figures_are_refused_with_their_line() {
        let p = parse_text(
            "客户编号,月份,交寄件数,退信件数,地址不详\n44010600001000,2026-10,500,501,\n44010600001000,2026-09,500,3,4\n\
             44010600001000,2026-08,abc,3,\n44010600001000,2026-10,5,1,\n",
        )
        .unwrap();
        let lines: Vec<(usize, &Problem)> = p.bad.iter().map(|b| (b.line, &b.problem)).collect();
        assert_eq!(
            lines,
            [
                (2, &Problem::Returns(ReturnsError::ReturnedOverPosted { returned: 501, posted: 500 })),
                (3, &Problem::Returns(ReturnsError::ReasonsOverReturned { reasons: 4, returned: 3 })),
                (4, &Problem::Field(FieldError::Count)),
                (5, &Problem::DuplicateInFile { first_line: 2 }),
            ]
        );
        assert!(p.items.is_empty());
        assert_eq!(
            parse_text("客户编号,月份,交寄件数,退信件数,地址错误\n").unwrap_err(),
            FileProblem::UnknownReasonColumns(vec!["地址错误".into()])
        );
        assert_eq!(parse_text("客户编号,月份,交寄件数\n").unwrap_err(), FileProblem::MissingColumn(RETURNED_NAMES));
    }
}
