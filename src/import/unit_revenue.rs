//! Unit revenue sheets (SPEC §7, issue 16): a unit's own revenue, which the
//! tier shares and the analysis divide by, one figure a row —
//! `单位, 期间, 收入(元)`. The period is a year (`2003`), a month (`2003-10`)
//! or a total of months of one year kept as such (`2003-01..2003-10`,
//! `2003年1-10月`, `2003年1-10月累计`: 未分月), never spread over the months.

use std::collections::{BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};

use super::columns::{Aliases, Columns, NOT_USED, fold};
use super::csv_file::Table;
use super::{BadRow, FileProblem, Parsed, Problem};
use crate::db::import::{UnitRevenueRow, UnitWhen};
use crate::db::reference::{Reference, Unit};
use crate::domain::money::{parse_amount, to_halfwidth};
use crate::domain::period::Period;
use crate::domain::revenue::Month;
use crate::domain::validate::FieldError;

const UNIT_NAMES: &str = "单位 / unit";
const PERIOD_NAMES: &str = "期间 / period";
const AMOUNT_NAMES: &str = "收入(元) / amount";

fn aliases() -> Aliases {
    Aliases::new()
        .with(
            "unit",
            &["单位", "单位代码", "单位编码", "单位名称", "机构", "机构名称", "unit", "unit_code", "unit_name"],
        )
        .with("period", &["期间", "统计期间", "所属期间", "月份", "年月", "年份", "年度", "period", "month", "year"])
        .with("amount", &["收入", "金额", "收入金额", "单位收入", "业务收入", "amount", "revenue"])
        .with(NOT_USED, &["序号", "备注", "no", "remark", "note"])
}

/// The unit a cell names: its code, else its name (archived units too: their
/// past revenue still counts); a name several units share is refused.
fn unit<'a>(reference: &'a Reference, cell: &str) -> Result<&'a Unit, Problem> {
    let text = fold(cell);
    let all = || reference.units.iter().chain(&reference.archived.units);
    if let Some(unit) = all().find(|u| fold(&u.code) == text) {
        return Ok(unit);
    }
    let named: Vec<&Unit> = all().filter(|u| fold(&u.name) == text).collect();
    match named.as_slice() {
        [unit] => Ok(unit),
        [] => Err(Problem::UnknownUnit(cell.to_string())),
        _ => Err(Problem::AmbiguousUnit(cell.to_string())),
    }
}

/// The period cell: a year, a month, or a period total of two to twelve months of one year.
fn when(cell: &str, today: NaiveDate) -> Result<UnitWhen, Problem> {
    let plain: String = cell.chars().map(to_halfwidth).filter(|c| !c.is_whitespace()).collect();
    let digits = plain.strip_suffix('年').unwrap_or(&plain);
    if digits.len() == 4 && digits.bytes().all(|b| b.is_ascii_digit()) {
        let year: i32 = digits.parse().unwrap_or(0);
        let january = Month::new(year, 1).ok_or(Problem::Field(FieldError::Required))?;
        if year > today.year() {
            return Err(Problem::FutureMonth(january));
        }
        return Ok(UnitWhen::Year(year));
    }
    match Period::parse(cell) {
        Ok(period) if period.len() > 1 => {
            if !period.in_one_year() {
                return Err(Problem::PeriodShape(period));
            }
            if period.last() > Month::of(today) {
                return Err(Problem::FutureMonth(period.last()));
            }
            Ok(UnitWhen::Period(period))
        }
        _ => super::month(cell, today).map(UnitWhen::Month),
    }
}

/// Reads a unit revenue sheet: (line, row) per figure, and every bad row. A
/// unit's month given both by itself and inside a period total of the same
/// unit (or two totals sharing months) is refused on every line concerned,
/// naming the other: the revenue would be counted twice.
pub fn parse(
    table: &Table,
    reference: &Reference,
    today: NaiveDate,
) -> Result<Parsed<(usize, UnitRevenueRow)>, FileProblem> {
    let cols = Columns::map(&table.headers, &aliases())?;
    let unit_col = cols.require("unit", UNIT_NAMES)?;
    let period_col = cols.require("period", PERIOD_NAMES)?;
    let amount_col = cols.require("amount", AMOUNT_NAMES)?;
    let mut out = Parsed::new(table.rows.len(), cols.not_used(&[]));
    let mut seen: HashMap<(i64, UnitWhen), usize> = HashMap::new();
    for row in &table.rows {
        let mut problems: Vec<BadRow> = Vec::new();
        let mut bad = |col: Option<usize>, problem: Problem| {
            problems.push(BadRow::new(row.line, col.map(|c| cols.header(c)), problem));
        };
        if super::has_extra_cells(row, cols.headers.len()) {
            bad(None, Problem::ExtraCells);
        }
        let found = match row.cell(unit_col).trim() {
            "" => Err(Problem::Field(FieldError::Required)),
            text => unit(reference, text),
        };
        let found = found.map_err(|p| bad(Some(unit_col), p)).ok();
        let period = when(row.cell(period_col), today).map_err(|p| bad(Some(period_col), p)).ok();
        let amount = match row.cell(amount_col).trim() {
            "" => Err(Problem::Field(FieldError::Required)),
            text if cols.in_wan(amount_col) && !text.ends_with('万') => {
                parse_amount(&format!("{text}万")).map_err(|e| Problem::Field(FieldError::Amount(e)))
            }
            text => parse_amount(text).map_err(|e| Problem::Field(FieldError::Amount(e))),
        };
        let amount = amount.map_err(|p| bad(Some(amount_col), p)).ok();
        if let (Some(u), Some(when)) = (found, period) {
            let first = *seen.entry((u.id, when)).or_insert(row.line);
            if first != row.line {
                bad(None, Problem::DuplicateInFile { first_line: first });
            }
        }
        match (found, period, amount) {
            (Some(u), Some(when), Some(amount)) if problems.is_empty() => {
                out.items.push((row.line, UnitRevenueRow { unit_id: u.id, unit: u.code.clone(), when, amount }))
            }
            _ => out.bad.append(&mut problems),
        }
    }
    refuse_double_counts(&mut out);
    Ok(out)
}

/// A unit's month inside one of its period totals, or two of its totals
/// sharing months, within the file: every line concerned is refused naming
/// the other, and none is kept. Zero amounts count nothing and clash with nothing.
fn refuse_double_counts(out: &mut Parsed<(usize, UnitRevenueRow)>) {
    let mut totals: HashMap<i64, Vec<(usize, Period)>> = HashMap::new();
    for (line, row) in &out.items {
        if let UnitWhen::Period(p) = row.when
            && row.amount.to_fen() != 0
        {
            totals.entry(row.unit_id).or_default().push((*line, p));
        }
    }
    let mut clashes: Vec<BadRow> = Vec::new();
    let mut refused: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut refuse = |line: usize, other: usize, problem: Problem| {
        if refused.insert((line, other)) {
            clashes.push(BadRow::new(line, None, problem));
        }
    };
    for (line, row) in &out.items {
        let Some(theirs) = totals.get(&row.unit_id) else { continue };
        if row.amount.to_fen() == 0 {
            continue;
        }
        match row.when {
            UnitWhen::Month(month) => {
                if let Some((other, period)) = theirs.iter().find(|(_, p)| p.contains_month(month)) {
                    let problem = |l| Problem::DoubleCount { month: Some(month), period: *period, other_line: Some(l) };
                    refuse(*line, *other, problem(*other));
                    refuse(*other, *line, problem(*line));
                }
            }
            UnitWhen::Period(period) => {
                for (other, p) in theirs.iter().filter(|(o, p)| o != line && p.overlaps(period)) {
                    refuse(*line, *other, Problem::PeriodOverlap { other: *p, other_line: Some(*other) });
                }
            }
            UnitWhen::Year(_) => {}
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::csv_file::read_table;

    fn reference() -> Reference {
        let unit = |id, code: &str, name: &str| Unit {
            id,
            code: code.into(),
            name: name.into(),
            kind: "county".into(),
            parent_id: None,
            division_code: String::new(),
        };
        let units = vec![
            unit(1, "GZ", "广州市邮政局"),
            unit(2, "TH", "天河区分局"),
            unit(3, "YX", "大客户中心"),
            unit(4, "HZ", "大客户中心"),
        ];
        Reference { units, ..Reference::default() }
    }

    fn parse_text(text: &str) -> Parsed<(usize, UnitRevenueRow)> {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        parse(&read_table(text.as_bytes()).unwrap(), &reference(), today).unwrap()
    }

    #[test]
    fn years_months_and_period_totals_by_code_or_name() {
        let p = parse_text(
            "单位,期间,收入(万元)\nGZ,2003,120000\n天河区分局,2003-10,900\nTH,2004年1-10月累计,9000万\nTH,2004-11..2004-12,0\n",
        );
        assert!(p.bad.is_empty(), "{:?}", p.bad);
        let whens: Vec<(i64, UnitWhen, i64)> =
            p.items.iter().map(|(_, r)| (r.unit_id, r.when, r.amount.to_fen())).collect();
        let m = |y, n| Month::new(y, n).unwrap();
        assert_eq!(
            whens,
            [
                (1, UnitWhen::Year(2003), 120_000_000_000),
                (2, UnitWhen::Month(m(2003, 10)), 900_000_000),
                (2, UnitWhen::Period(Period::new(m(2004, 1), m(2004, 10)).unwrap()), 9_000_000_000),
                (2, UnitWhen::Period(Period::new(m(2004, 11), m(2004, 12)).unwrap()), 0),
            ]
        );
    }

    #[test]
    fn a_name_two_units_share_is_refused_their_codes_are_not() {
        let p = parse_text("单位,期间,收入\n大客户中心,2003,1\nYX,2003,1\n");
        assert_eq!(p.bad.len(), 1);
        assert_eq!((p.bad[0].line, &p.bad[0].problem), (2, &Problem::AmbiguousUnit("大客户中心".into())));
        assert_eq!(p.items.iter().map(|(_, r)| r.unit_id).collect::<Vec<_>>(), [3]);
    }

    #[test]
    fn bad_lines_and_double_counts_name_their_lines() {
        let p = parse_text(
            "单位,期间,收入\nXX,2003-10,1\nGZ,2003-13,1\nGZ,2003-01..2004-02,1\nGZ,2003-05,abc\n\
             TH,2003年1-10月,500\nTH,2003-03,20\nTH,2003-10..2003-12,7\nGZ,2003-04,1\nGZ,2003-04,2\n",
        );
        let got: Vec<(usize, &Problem)> = p.bad.iter().map(|b| (b.line, &b.problem)).collect();
        let m = |y, n| Month::new(y, n).unwrap();
        let jan_oct = Period::new(m(2003, 1), m(2003, 10)).unwrap();
        assert!(matches!(got[0], (2, Problem::UnknownUnit(_))), "{got:?}");
        assert!(matches!(got[1], (3, Problem::Month { .. })));
        assert!(matches!(got[2], (4, Problem::PeriodShape(_))));
        assert!(matches!(got[3], (5, Problem::Field(FieldError::Amount(_)))));
        assert!(
            got.contains(&(6, &Problem::DoubleCount { month: Some(m(2003, 3)), period: jan_oct, other_line: Some(7) }))
        );
        assert!(
            got.contains(&(7, &Problem::DoubleCount { month: Some(m(2003, 3)), period: jan_oct, other_line: Some(6) }))
        );
        assert!(got.contains(&(8, &Problem::PeriodOverlap { other: jan_oct, other_line: Some(6) })));
        assert!(got.contains(&(10, &Problem::DuplicateInFile { first_line: 9 })));
        assert_eq!(p.items.iter().map(|(l, _)| *l).collect::<Vec<_>>(), [9]);
    }
}
