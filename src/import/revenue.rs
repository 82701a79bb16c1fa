//! Revenue sheets (SPEC §7), in either of the shapes offices keep them:
//! long — `客户编号, 月份, 业务种类, 收入(元)`, one amount per row — or wide —
//! `客户编号, 月份, 函件, 帐单, 商函, …`, one column per service line.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::columns::{Aliases, Columns, NOT_USED, fold, fold_header};
use super::csv_file::Table;
use super::{BadRow, FileProblem, Parsed, Problem};
use crate::db::import::RevenueItem;
use crate::db::period::PeriodEntry;
use crate::db::reference::{Reference, ServiceLine};
use crate::db::revenue::RevenueEntry;
use crate::domain::money::{Money, parse_amount};
use crate::domain::period::Period;
use crate::domain::revenue::Month;
use crate::domain::validate::FieldError;

const ID_NAMES: &str = "客户编号 / customer_id";
const MONTH_NAMES: &str = "月份 / month";
const LINE_NAMES: &str = "业务种类 / service_line";
const AMOUNT_NAMES: &str = "收入(元) / amount";

fn aliases() -> Aliases {
    Aliases::new()
        .with("customer_id", &["客户编号", "编号", "客户代码", "客户ID", "customer_id", "customer", "id"])
        .with(
            "month",
            &["月份", "月", "年月", "统计月份", "所属月份", "期间", "统计期间", "所属期间", "month", "period"],
        )
        .with(
            "service_line",
            &["业务种类", "业务", "业务类型", "用邮业务", "业务名称", "service_line", "service", "line"],
        )
        .with("amount", &["收入", "金额", "收入金额", "用邮收入", "amount", "revenue"])
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

/// Where the amounts are.
enum Layout {
    Long {
        line: usize,
        amount: usize,
    },
    /// (column, service line id) for each service line column.
    Wide(Vec<(usize, i64)>),
}

/// The service line a header or cell names: its code, Chinese or English
/// name, or one part of a name like `特快/速递`; a trailing `收入` is allowed.
pub fn service_line(lines: &[ServiceLine], text: &str) -> Option<i64> {
    let (folded, _) = fold_header(text);
    let names = |l: &ServiceLine| {
        let mut names = vec![fold(&l.code), fold(&l.name_zh), fold(&l.name_en)];
        for name in [&l.name_zh, &l.name_en] {
            names.extend(name.split('/').filter(|p| !p.trim().is_empty()).map(fold));
        }
        names
    };
    let find = |t: &str| lines.iter().find(|l| names(l).iter().any(|n| n == t)).map(|l| l.id);
    find(&folded).or_else(|| folded.strip_suffix("收入").and_then(find))
}

fn layout(cols: &Columns, reference: &Reference) -> Result<Layout, FileProblem> {
    match (cols.index("service_line"), cols.index("amount")) {
        (Some(line), Some(amount)) => Ok(Layout::Long { line, amount }),
        (Some(_), None) => Err(FileProblem::MissingColumn(AMOUNT_NAMES)),
        (None, Some(_)) => Err(FileProblem::MissingColumn(LINE_NAMES)),
        (None, None) => wide_line_columns(
            cols,
            |header| service_line(&reference.service_lines, header),
            FileProblem::NoRevenueColumns,
        )
        .map(Layout::Wide),
    }
}

/// The service-line columns of a wide table (revenue's or volume's): every
/// column not otherwise named must be a service line as `find` reads its
/// header, each line at most once; a misspelt one must not drop its figures
/// quietly. `none` is the problem when there is no line column at all.
pub(crate) fn wide_line_columns(
    cols: &Columns,
    find: impl Fn(&str) -> Option<i64>,
    none: FileProblem,
) -> Result<Vec<(usize, i64)>, FileProblem> {
    let mut lines: Vec<(usize, i64)> = Vec::new();
    let mut unknown = Vec::new();
    for i in cols.unknown() {
        match find(cols.header(i)) {
            Some(id) if lines.iter().any(|(_, l)| *l == id) => {
                return Err(FileProblem::DuplicateColumn(cols.header(i).to_string()));
            }
            Some(id) => lines.push((i, id)),
            None => unknown.push(cols.header(i).to_string()),
        }
    }
    if !unknown.is_empty() {
        return Err(FileProblem::UnknownColumns(unknown));
    }
    if lines.is_empty() {
        return Err(none);
    }
    Ok(lines)
}

fn amount(cell: &str, in_wan: bool) -> Result<Money, Problem> {
    let text = if in_wan && !cell.ends_with('万') { format!("{cell}万") } else { cell.to_string() };
    parse_amount(&text).map_err(|e| Problem::Field(FieldError::Amount(e)))
}

/// The month cell: one month, or a period of months of one year whose
/// revenue is known only as its total (`2002-01..2002-10`, `2002年1-10月累计`).
fn when(cell: &str, today: NaiveDate) -> Result<When, Problem> {
    match Period::parse(cell) {
        Ok(period) if period.len() > 1 => {
            if !period.in_one_year() {
                return Err(Problem::PeriodShape(period));
            }
            if period.last() > Month::of(today) {
                return Err(Problem::FutureMonth(period.last()));
            }
            Ok(When::Period(period))
        }
        _ => super::month(cell, today).map(When::Month),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum When {
    Month(Month),
    Period(Period),
}

/// Reads a revenue sheet: (line, entry) per amount, and every bad row. Empty
/// cells of a wide table are months without that service line, not zeros.
/// A customer whose months of a year come both month by month and as a
/// period total covering some of them is refused on every such line: the
/// revenue would be counted twice.
pub fn parse(
    table: &Table,
    reference: &Reference,
    today: NaiveDate,
) -> Result<Parsed<(usize, RevenueItem)>, FileProblem> {
    let cols = Columns::map(&table.headers, &aliases())?;
    let id_col = cols.require("customer_id", ID_NAMES)?;
    let month_col = cols.require("month", MONTH_NAMES)?;
    let layout = layout(&cols, reference)?;
    let taken: Vec<usize> = match &layout {
        Layout::Long { .. } => Vec::new(),
        Layout::Wide(lines) => lines.iter().map(|(col, _)| *col).collect(),
    };
    let mut out = Parsed::new(table.rows.len(), cols.not_used(&taken));
    let mut seen: HashMap<(crate::domain::id::CustomerId, When, i64), usize> = HashMap::new();
    for row in &table.rows {
        let mut problems: Vec<BadRow> = Vec::new();
        let mut bad = |col: Option<usize>, problem: Problem| {
            problems.push(BadRow::new(row.line, col.map(|c| cols.header(c)), problem));
        };
        if super::has_extra_cells(row, cols.headers.len()) {
            bad(None, Problem::ExtraCells);
        }
        let id = super::customer_id(row.cell(id_col)).map_err(|p| bad(Some(id_col), p)).ok();
        let month = when(row.cell(month_col), today).map_err(|p| bad(Some(month_col), p)).ok();
        let mut amounts: Vec<(i64, Money)> = Vec::new();
        match &layout {
            Layout::Long { line, amount: amount_col } => {
                let line_id = match row.cell(*line) {
                    "" => Err(Problem::Field(FieldError::Required)),
                    text => service_line(&reference.service_lines, text)
                        .ok_or_else(|| Problem::UnknownServiceLine(text.to_string())),
                };
                let money = match row.cell(*amount_col) {
                    "" => Err(Problem::Field(FieldError::Required)),
                    text => amount(text, cols.in_wan(*amount_col)),
                };
                match (line_id, money) {
                    (Ok(l), Ok(m)) => amounts.push((l, m)),
                    (l, m) => {
                        if let Err(p) = l {
                            bad(Some(*line), p);
                        }
                        if let Err(p) = m {
                            bad(Some(*amount_col), p);
                        }
                    }
                }
            }
            Layout::Wide(lines) => {
                for (col, line_id) in lines {
                    match row.cell(*col) {
                        "" => {}
                        text => match amount(text, cols.in_wan(*col)) {
                            Ok(m) => amounts.push((*line_id, m)),
                            Err(p) => bad(Some(*col), p),
                        },
                    }
                }
            }
        }
        let (Some(id), Some(month)) = (id, month) else {
            out.bad.append(&mut problems);
            continue;
        };
        // One amount per customer, month and service line: which of two is right cannot be guessed.
        let mut first_lines: Vec<usize> = Vec::new();
        for (line_id, _) in &amounts {
            let first = *seen.entry((id.clone(), month, *line_id)).or_insert(row.line);
            if first != row.line && !first_lines.contains(&first) {
                first_lines.push(first);
            }
        }
        for first_line in first_lines {
            bad(None, Problem::DuplicateInFile { first_line });
        }
        if problems.is_empty() {
            out.items.extend(amounts.into_iter().map(|(service_line_id, amount)| {
                let customer_id = id.clone();
                let item = match month {
                    When::Month(month) => {
                        RevenueItem::Month(RevenueEntry { customer_id, month, service_line_id, amount })
                    }
                    When::Period(period) => {
                        RevenueItem::Period(PeriodEntry { customer_id, period, service_line_id, amount })
                    }
                };
                (row.line, item)
            }));
        } else {
            out.bad.append(&mut problems);
        }
    }
    refuse_double_counts(&mut out);
    Ok(out)
}

/// Months and period totals of one customer that share a month (or two
/// period totals that do) would count the same revenue twice: every line
/// concerned is refused, naming the line it clashes with, and none is kept.
/// Zero amounts count nothing and clash with nothing.
fn refuse_double_counts(out: &mut Parsed<(usize, RevenueItem)>) {
    let mut periods: HashMap<&crate::domain::id::CustomerId, Vec<(usize, Period)>> = HashMap::new();
    for (line, item) in &out.items {
        if let RevenueItem::Period(p) = item
            && p.amount.to_fen() != 0
        {
            periods.entry(&p.customer_id).or_default().push((*line, p.period));
        }
    }
    let mut clashes: Vec<BadRow> = Vec::new();
    let mut refused = std::collections::BTreeSet::new();
    for (line, item) in &out.items {
        let Some(theirs) = periods.get(item.customer_id()) else { continue };
        let clash = match item {
            RevenueItem::Month(e) if e.amount.to_fen() != 0 => theirs
                .iter()
                .find(|(_, p)| p.contains_month(e.month))
                .map(|(other, p)| Problem::DoubleCount { month: Some(e.month), period: *p, other_line: Some(*other) }),
            RevenueItem::Period(e) if e.amount.to_fen() != 0 => theirs
                .iter()
                .find(|(other, p)| *p != e.period && p.overlaps(e.period) && other != line)
                .map(|(other, p)| Problem::PeriodOverlap { other: *p, other_line: Some(*other) }),
            _ => None,
        };
        if let Some(problem) = clash
            && refused.insert((*line, problem_key(&problem)))
        {
            clashes.push(BadRow::new(*line, None, problem));
        }
    }
    // The period lines clash too: named with the first month line that falls inside.
    for (line, item) in &out.items {
        if let RevenueItem::Month(e) = item
            && e.amount.to_fen() != 0
            && let Some((period_line, period)) =
                periods.get(&e.customer_id).and_then(|ps| ps.iter().find(|(_, p)| p.contains_month(e.month)))
            && refused.insert((*period_line, usize::MAX))
        {
            clashes.push(BadRow::new(
                *period_line,
                None,
                Problem::DoubleCount { month: Some(e.month), period: *period, other_line: Some(*line) },
            ));
        }
    }
    if clashes.is_empty() {
        return;
    }
    let lines: std::collections::HashSet<usize> = clashes.iter().map(|b| b.line).collect();
    out.items.retain(|(line, _)| !lines.contains(line));
    out.bad.extend(clashes);
    out.bad.sort_by_key(|b| b.line);
}

/// Tells a row's clashes apart so that each is reported once.
fn problem_key(problem: &Problem) -> usize {
    match problem {
        Problem::PeriodOverlap { .. } => 1,
        _ => 0,
    }
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
            service_lines: vec![
                line(1, "letters", "函件", "Letters"),
                line(2, "bill", "帐单", "Bill mail"),
                line(4, "express", "特快/速递", "Express"),
            ],
            ..Reference::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    fn parse_text(text: &str) -> Result<Parsed<(usize, RevenueItem)>, FileProblem> {
        parse(&read_table(text.as_bytes()).unwrap(), &reference(), today())
    }

    #[test]
    fn service_lines_by_code_name_or_part() {
        let lines = reference().service_lines;
        assert_eq!(service_line(&lines, "函件"), Some(1));
        assert_eq!(service_line(&lines, "速递"), Some(4));
        assert_eq!(service_line(&lines, "Bill Mail"), Some(2));
        assert_eq!(service_line(&lines, "函件收入(元)"), Some(1));
        assert_eq!(service_line(&lines, "集邮"), None);
    }

    #[test]
    fn long_and_wide_give_the_same_entries() {
        let long = parse_text("客户编号,月份,业务种类,收入(元)\n44010600001000,2026-10,函件,\"1,200\"\n44010600001000,2026年10月,速递,0.5万\n")
            .unwrap();
        let wide =
            parse_text("客户编号,客户名称,月份,函件,帐单,特快/速递\n44010600001000,甲,202610,1200,,5000\n").unwrap();
        assert!(long.bad.is_empty() && wide.bad.is_empty(), "{:?} {:?}", long.bad, wide.bad);
        let cells = |p: &Parsed<(usize, RevenueItem)>| {
            p.items
                .iter()
                .map(|(_, e)| match e {
                    RevenueItem::Month(e) => (e.service_line_id, e.amount.to_fen()),
                    RevenueItem::Period(e) => (e.service_line_id, e.amount.to_fen()),
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(cells(&long), [(1, 120_000), (4, 500_000)]);
        assert_eq!(cells(&wide), cells(&long));
        assert_eq!(wide.ignored, ["客户名称"]);
    }

    #[test]
    fn every_bad_row_is_reported_with_its_line() {
        let p = parse_text(
            "客户编号,月份,函件\n44010600001000,2026-10,100\n4401060000100,2026-10,100\n44010600001000,2026-13,-5\n\
             44010600001000,2026-12,1.234\n44010600001000,2026-10,7\n",
        )
        .unwrap();
        let lines: Vec<(usize, &Problem)> = p.bad.iter().map(|b| (b.line, &b.problem)).collect();
        assert_eq!(lines.len(), 6, "{lines:?}");
        assert!(matches!(lines[0], (3, Problem::Id(_))));
        assert!(matches!(lines[1], (4, Problem::Month { .. })));
        assert!(matches!(lines[2], (4, Problem::Field(FieldError::Amount(_)))));
        assert!(matches!(lines[3], (5, Problem::FutureMonth(_))));
        assert!(matches!(lines[4], (5, Problem::Field(FieldError::Amount(_)))));
        assert_eq!(lines[5], (6, &Problem::DuplicateInFile { first_line: 2 }));
        assert_eq!(p.items.len(), 1);
    }

    #[test]
    fn wide_tables_refuse_unknown_columns() {
        assert_eq!(
            parse_text("客户编号,月份,函件,快递包裹\n").unwrap_err(),
            FileProblem::UnknownColumns(vec!["快递包裹".into()])
        );
        assert_eq!(parse_text("客户编号,月份,备注\n").unwrap_err(), FileProblem::NoRevenueColumns);
        assert_eq!(parse_text("客户编号,月份,业务种类\n").unwrap_err(), FileProblem::MissingColumn(AMOUNT_NAMES));
        assert_eq!(parse_text("月份,函件\n").unwrap_err(), FileProblem::MissingColumn(ID_NAMES));
    }
}
