//! Receivable sheets (应收未收, SPEC §10.2 late money), one revenue cell a
//! row — `客户编号, 月份, 业务, 未收金额(元), 收款日期` — what of the
//! customer's revenue for that month and service line is still unpaid, and
//! the day it was paid (empty: not yet).

use std::collections::HashMap;

use chrono::NaiveDate;

use super::columns::{Aliases, Columns, NOT_USED};
use super::csv_file::Table;
use super::revenue::service_line;
use super::{BadRow, FileProblem, Parsed, Problem};
use crate::db::appraisal::NewReceivable;
use crate::db::reference::Reference;
use crate::domain::id::CustomerId;
use crate::domain::money::{Money, parse_amount};
use crate::domain::validate::FieldError;

const ID_NAMES: &str = "客户编号 / customer_id";
const MONTH_NAMES: &str = "月份 / month";
const LINE_NAMES: &str = "业务 / service_line";
const UNPAID_NAMES: &str = "未收金额(元) / unpaid";

fn aliases() -> Aliases {
    Aliases::new()
        .with(
            "customer_id",
            &["客户编号", "编号", "客户代码", "客户ID", "customer_id", "customer id", "customer", "id"],
        )
        .with("month", &["月份", "月", "年月", "收入月份", "统计月份", "所属月份", "month"])
        .with(
            "service_line",
            &[
                "业务",
                "业务种类",
                "业务类型",
                "用邮业务",
                "业务名称",
                "service_line",
                "service line",
                "service",
                "line",
            ],
        )
        .with("unpaid", &["未收金额", "未收", "应收未收", "未收款", "欠费", "欠费金额", "unpaid", "outstanding"])
        .with(
            "paid_on",
            &["收款日期", "回款日期", "收回日期", "缴费日期", "paid_on", "paid on", "paid", "payment_date"],
        )
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
                "收入",
                "收入金额",
                "备注",
                "name",
                "short_name",
                "full_name",
                "no",
                "revenue",
                "remark",
                "note",
            ],
        )
}

fn unpaid(cell: &str, in_wan: bool) -> Result<Money, Problem> {
    let text = cell.trim();
    if text.is_empty() {
        return Err(Problem::Field(FieldError::Required));
    }
    let text = if in_wan && !text.ends_with('万') { format!("{text}万") } else { text.to_string() };
    parse_amount(&text).map_err(|e| Problem::Field(FieldError::Amount(e)))
}

/// The payment date: empty (not paid yet), or a day not after `today`.
fn paid_on(cell: &str, today: NaiveDate) -> Result<Option<NaiveDate>, Problem> {
    if cell.trim().is_empty() {
        return Ok(None);
    }
    let day = crate::domain::validate::date(cell).map_err(Problem::Field)?;
    if day > today {
        return Err(Problem::Field(FieldError::InFuture));
    }
    Ok(Some(day))
}

/// Reads a receivable sheet: (line, receivable) per row, and every bad row.
pub fn parse(
    table: &Table,
    reference: &Reference,
    today: NaiveDate,
) -> Result<Parsed<(usize, NewReceivable)>, FileProblem> {
    let cols = Columns::map(&table.headers, &aliases())?;
    let id_col = cols.require("customer_id", ID_NAMES)?;
    let month_col = cols.require("month", MONTH_NAMES)?;
    let line_col = cols.require("service_line", LINE_NAMES)?;
    let unpaid_col = cols.require("unpaid", UNPAID_NAMES)?;
    let paid_col = cols.index("paid_on");
    let mut out = Parsed::new(table.rows.len(), cols.not_used(&[]));
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
        let line = match row.cell(line_col).trim() {
            "" => Err(Problem::Field(FieldError::Required)),
            text => service_line(&reference.service_lines, text)
                .ok_or_else(|| Problem::UnknownServiceLine(text.to_string())),
        };
        let line = line.map_err(|p| bad(Some(line_col), p)).ok();
        let amount = unpaid(row.cell(unpaid_col), cols.in_wan(unpaid_col)).map_err(|p| bad(Some(unpaid_col), p)).ok();
        let paid = match paid_col {
            Some(col) => paid_on(row.cell(col), today).map_err(|p| bad(Some(col), p)).ok(),
            None => Some(None),
        };
        if let (Some(id), Some(month), Some(line)) = (&id, month, line) {
            let first = *seen.entry((id.clone(), month.key(), line)).or_insert(row.line);
            if first != row.line {
                bad(None, Problem::DuplicateInFile { first_line: first });
            }
        }
        match (id, month, line, amount, paid) {
            (Some(customer_id), Some(month), Some(service_line_id), Some(unpaid), Some(paid_on))
                if problems.is_empty() =>
            {
                out.items.push((row.line, NewReceivable { customer_id, month, service_line_id, unpaid, paid_on }));
            }
            _ => out.bad.append(&mut problems),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::reference::ServiceLine;
    use crate::domain::revenue::Month;
    use crate::import::csv_file::read_table;

    fn reference() -> Reference {
        let line = |id, code: &str, zh: &str, en: &str| ServiceLine {
            id,
            code: code.into(),
            name_zh: zh.into(),
            name_en: en.into(),
        };
        Reference {
            service_lines: vec![line(1, "letters", "函件", "Letters"), line(2, "express", "特快/速递", "Express")],
            ..Reference::default()
        }
    }

    fn parse_text(text: &str) -> Result<Parsed<(usize, NewReceivable)>, FileProblem> {
        parse(&read_table(text.as_bytes()).unwrap(), &reference(), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap())
    }

    #[test]
    fn chinese_and_english_headers_read_the_same_rows() {
        let zh = parse_text(
            "客户编号,客户名称,月份,业务,未收金额(元),收款日期\n\
             44010600001000,甲,2026-06,函件,\"1,200.50\",\n44010600001000,甲,2026年5月,速递,300,2026/11/2\n",
        )
        .unwrap();
        let en = parse_text(
            "Customer ID,Month,Service line,Unpaid,Paid on\n\
             44010600001000,202606,letters,1200.5,\n44010600001000,2026-05,Express,300,2026-11-02\n",
        )
        .unwrap();
        assert!(zh.bad.is_empty() && en.bad.is_empty(), "{:?} {:?}", zh.bad, en.bad);
        assert_eq!(zh.items, en.items);
        assert_eq!(zh.ignored, ["客户名称"]);
        let (_, first) = &zh.items[0];
        assert_eq!(
            (first.month, first.service_line_id, first.unpaid.to_fen()),
            (Month::new(2026, 6).unwrap(), 1, 120_050)
        );
        assert_eq!(first.paid_on, None);
        assert_eq!(zh.items[1].1.paid_on, NaiveDate::from_ymd_opt(2026, 11, 2));
    }

    #[test]
    fn every_bad_row_is_listed_with_its_line_and_reason() {
        let p = parse_text(
            "客户编号,月份,业务,未收金额,收款日期\n\
             44010600001000,2026-06,函件,100,\n\
             4401060000100,2026-06,函件,100,\n\
             44010600001000,2026-13,函件,100,\n\
             44010600001000,2026-06,包裹,100,\n\
             44010600001000,2026-07,函件,1.234,\n\
             44010600001000,2026-08,函件,-5,\n\
             44010600001000,2026-09,函件,100,2026-12-01\n\
             44010600001000,2026-09,速递,100,昨天\n\
             44010600001000,2026-06,函件,50,\n\
             44010600001000,2026-10,函件,,\n",
        )
        .unwrap();
        let got: Vec<(usize, &Problem)> = p.bad.iter().map(|b| (b.line, &b.problem)).collect();
        assert!(matches!(got[0], (3, Problem::Id(_))), "{got:?}");
        assert!(matches!(got[1], (4, Problem::Month { .. })));
        assert_eq!(got[2], (5, &Problem::UnknownServiceLine("包裹".into())));
        assert!(matches!(got[3], (6, Problem::Field(FieldError::Amount(_)))));
        assert!(matches!(got[4], (7, Problem::Field(FieldError::Amount(_)))));
        assert_eq!(got[5], (8, &Problem::Field(FieldError::InFuture)));
        assert_eq!(got[6], (9, &Problem::Field(FieldError::Date)));
        assert_eq!(got[7], (10, &Problem::DuplicateInFile { first_line: 2 }));
        assert_eq!(got[8], (11, &Problem::Field(FieldError::Required)));
        assert_eq!(p.items.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [2]);
        assert_eq!(
            parse_text("客户编号,月份,未收金额\n").unwrap_err(),
            FileProblem::MissingColumn(LINE_NAMES),
            "the service line is required"
        );
    }
}
