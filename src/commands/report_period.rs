//! `kam report period --from 2003-01 --to 2003-10 [--unit CODE]
//! [--unit-of-money wan] --format xlsx|csv -o FILE`: the key customers'
//! revenue for a period of months (1-N月累计 by default) against the same
//! months last year, as the offices report it (SPEC §7, §13.4; issue 16).
//!
//! One table: a header block (period, unit, the unit's revenue for the same
//! period and the key customers' share of it), each key customer with revenue
//! in either period (this period, last year, change in amount and percent,
//! share of the unit, tier, status), then the totals: all key customers and
//! the like-for-like subtotal (revenue in both periods). Amounts in 元 or 万元
//! with two decimals, percentages with two. A figure that only a period total
//! reaching across the period could give (未分月) is left empty with a note,
//! and the header says how many customers that concerns: nothing is spread.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use super::CommandEnv;
use super::report::{file_format, unit_by_code};
use crate::cli::TableFormat;
use crate::config::MoneyUnit;
use crate::db::analysis::AnalysisScope;
use crate::db::period::{PeriodRow, PeriodSummary, each_customer, summary};
use crate::domain::money::Money;
use crate::domain::period::{Compared, Period, UnitPeriodRevenue, in_wan};
use crate::domain::revenue::{Month, share};
use crate::export::table::{Cell, RowStyle, TableFile};
use crate::i18n::{Lang, choice_label, fill, period_label, tier_label};

/// The months asked for on the command line.
#[derive(Debug, Clone, Copy)]
pub struct Range<'a> {
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// The period `--from`/`--to` name: `--to` defaults to the ledger's last
/// month, `--from` to January of `--to`'s year.
pub fn resolve(env: &CommandEnv, range: Range<'_>) -> Result<Period> {
    let t = env.lang.text();
    let month = |flag: &str, text: &str| -> Result<Month> {
        Month::parse(text).map_err(|why| {
            anyhow!(fill(t.report_bad_period, &[&flag, &text, &crate::ui::month_error_text(env.lang, why)]))
        })
    };
    let to = match range.to {
        Some(text) => month("to", text)?,
        None => {
            crate::db::revenue::ledger_month(env.store.conn())?.ok_or_else(|| anyhow!(t.report_period_no_ledger))?
        }
    };
    let from = match range.from {
        Some(text) => month("from", text)?,
        None => to.january(),
    };
    Period::new(from, to).ok_or_else(|| anyhow!(t.report_period_backwards))
}

pub fn run(
    env: &CommandEnv,
    range: Range<'_>,
    unit: Option<&str>,
    money: MoneyUnit,
    format: TableFormat,
    output: &Path,
) -> Result<()> {
    let t = env.lang.text();
    // Everything is checked before the output file is touched.
    let period = resolve(env, range)?;
    if let Some(last) = crate::db::revenue::ledger_month(env.store.conn())?.filter(|last| period.last() > *last)
        && period.first() > last
    {
        bail!(fill(t.report_not_entered, &[&period.first(), &last]));
    }
    let (scope, unit_name) = match unit {
        None => (AnalysisScope::All, t.report_all_units.to_string()),
        Some(code) => {
            let unit = unit_by_code(env, code)?;
            (AnalysisScope::Unit(unit.id), format!("{} ({})", unit.name, unit.code))
        }
    };
    let mut file = TableFile::create(output, file_format(format)).with_context(|| format!("{}", output.display()))?;
    // One read transaction: the rows and the totals come from the same ledger.
    let snapshot = env.store.conn().snapshot()?;
    let totals = summary(&snapshot, period, scope)?;
    let report = Report { env, money, totals: &totals };
    report.header(&mut file, &unit_name)?;
    let mut rank = 0u64;
    each_customer::<anyhow::Error>(&snapshot, period, scope, None, |row| {
        rank += 1;
        report.customer(&mut file, rank, &row)
    })?;
    drop(snapshot);
    report.totals(&mut file)?;
    file.finish().with_context(|| format!("{}", output.display()))?;
    crate::errln!(
        "{}",
        fill(
            t.report_period_written,
            &[&output.display(), &period_label(env.lang, period), &unit_name, &totals.customers]
        )
    );
    Ok(())
}

struct Report<'a> {
    env: &'a CommandEnv,
    money: MoneyUnit,
    totals: &'a PeriodSummary,
}

impl Report<'_> {
    fn lang(&self) -> Lang {
        self.env.lang
    }

    /// An amount in the report's unit.
    fn amount(&self, m: Money) -> Cell {
        match self.money {
            MoneyUnit::Yuan => Cell::Money(m),
            MoneyUnit::Wan => Cell::Money(in_wan(m)),
        }
    }

    fn header(&self, file: &mut TableFile, unit_name: &str) -> Result<()> {
        let t = self.lang().text();
        let s = self.totals;
        let label = period_label(self.lang(), s.period);
        let money_name = match self.money {
            MoneyUnit::Yuan => t.report_money_yuan,
            MoneyUnit::Wan => t.report_money_wan,
        };
        file.section(t.report_sheet_period)?;
        file.row(RowStyle::Title, &[Cell::text(fill(t.report_title_period, &[&label, &unit_name, &money_name]))])?;
        let block = [
            (t.report_period, Cell::text(label)),
            (t.report_period_last_year, Cell::text(period_label(self.lang(), s.period.year_ago()))),
            (t.report_unit, Cell::text(unit_name)),
            (t.report_unit_period, self.unit_revenue(s.unit)),
            (t.report_share_of_unit, Cell::percent(s.share())),
        ];
        for (label, value) in block {
            file.row(RowStyle::Field, &[Cell::text(label), value])?;
        }
        if s.cut_customers > 0 {
            file.row(
                RowStyle::Field,
                &[Cell::text(t.report_col_note), Cell::text(fill(t.report_cut_customers, &[&s.cut_customers]))],
            )?;
        }
        file.blank()?;
        file.headings(&[
            t.report_col_rank,
            t.col_id,
            t.col_short_name,
            t.report_col_current,
            t.report_col_last_year,
            t.report_col_change,
            t.report_col_change_pct,
            t.report_col_share_unit,
            t.report_col_tier,
            t.col_status,
            t.report_col_manager,
            t.report_col_note,
        ])?;
        Ok(())
    }

    /// The unit's revenue for the period, or why it is not known.
    fn unit_revenue(&self, unit: UnitPeriodRevenue) -> Cell {
        let t = self.lang().text();
        match unit {
            UnitPeriodRevenue::Known(m) => self.amount(m),
            UnitPeriodRevenue::Cut(total) => Cell::text(fill(t.report_unit_cut, &[&period_label(self.lang(), total)])),
            UnitPeriodRevenue::Missing(month) => Cell::text(fill(t.report_unit_missing, &[&month])),
        }
    }

    /// The four figures of a comparison: this period, last year, change, change %.
    fn compared(&self, current: Option<Money>, last_year: Option<Money>) -> [Cell; 4] {
        let both = current.zip(last_year).map(|(c, l)| Compared::new(c, l));
        [
            current.map_or(Cell::Empty, |m| self.amount(m)),
            last_year.map_or(Cell::Empty, |m| self.amount(m)),
            both.map_or(Cell::Empty, |c| self.amount(c.change_amount())),
            Cell::percent(both.and_then(Compared::change_ratio)),
        ]
    }

    fn customer(&self, file: &mut TableFile, rank: u64, row: &PeriodRow) -> Result<()> {
        let t = self.lang().text();
        let manager = self.env.reference.staff(row.owner_a).map(|s| s.name.clone()).unwrap_or_default();
        let [current, last_year, change, pct] = self.compared(row.current, row.last_year);
        let note =
            if row.current.is_none() || row.last_year.is_none() { Cell::text(t.report_cut_note) } else { Cell::Empty };
        file.row(
            RowStyle::Body,
            &[
                Cell::Count(rank),
                Cell::text(row.id.as_str()),
                Cell::text(row.short_name.as_str()),
                current,
                last_year,
                change,
                pct,
                Cell::percent(row.current.and_then(|c| share(c, self.totals.unit.known()))),
                Cell::text(self.lang().pick(tier_label(row.tier))),
                Cell::text(self.lang().pick(choice_label(row.status.code()))),
                Cell::Text(manager),
                note,
            ],
        )?;
        Ok(())
    }

    fn totals(&self, file: &mut TableFile) -> Result<()> {
        let t = self.lang().text();
        let s = self.totals;
        file.blank()?;
        file.headings(&[
            t.report_col_item,
            t.report_col_count,
            t.report_col_current,
            t.report_col_last_year,
            t.report_col_change,
            t.report_col_change_pct,
            t.report_col_share_unit,
        ])?;
        let line = |label: &str, count: u64, c: Compared| -> Vec<Cell> {
            let [current, last_year, change, pct] = self.compared(Some(c.current), Some(c.last_year));
            vec![
                Cell::text(label),
                Cell::Count(count),
                current,
                last_year,
                change,
                pct,
                Cell::percent(share(c.current, s.unit.known())),
            ]
        };
        file.row(RowStyle::Total, &line(t.report_total_all, s.customers, s.all))?;
        file.row(RowStyle::Total, &line(t.report_total_compared, s.compared_customers, s.compared))?;
        Ok(())
    }
}
