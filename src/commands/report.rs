//! `kam report monthly --month YYYY-MM [--unit CODE] --format csv|xlsx -o FILE`:
//! the two report forms of the monthly analysis (SPEC §7) in one file.
//!
//! 1. Key-customer count and revenue by tier, under a header block with the
//!    month's headline figures (total, MoM, YoY, YTD, share of the unit).
//! 2. The key customers' revenue table: silver and above, plus the top ten.
//!
//! In XLSX each is a worksheet; in CSV they follow one another, separated by a
//! blank line, each under its title row. A change without a base (nothing the
//! month before, or no ledger a year ago) is an empty cell.

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};

use super::CommandEnv;
use crate::cli::TableFormat;
use crate::db::analysis::{self, AnalysisScope, MonthlyAnalysis};
use crate::domain::id::CustomerId;
use crate::domain::money::Money;
use crate::domain::revenue::{Month, change, share};
use crate::domain::volume::{FluctuationMeasure, Returns, rate_percent};
use crate::export::table::{Cell, FileFormat, RowStyle, TableFile};
use crate::i18n::{fill, tier_label};

/// The file format the command line asked for.
pub(crate) fn file_format(format: TableFormat) -> FileFormat {
    match format {
        TableFormat::Csv => FileFormat::Csv,
        TableFormat::Xlsx => FileFormat::Xlsx,
    }
}

pub fn monthly(
    env: &CommandEnv,
    month: Option<&str>,
    unit: Option<&str>,
    format: TableFormat,
    output: &Path,
) -> Result<()> {
    let t = env.lang.text();
    let conn = env.store.conn();
    // Everything is checked before the output file is touched.
    let month = match month {
        Some(text) => Month::parse(text)
            .map_err(|why| anyhow!(fill(t.report_bad_month, &[&text, &crate::ui::month_error_text(env.lang, why)])))?,
        None => crate::db::revenue::ledger_month(conn)?.ok_or_else(|| anyhow!(t.report_no_ledger))?,
    };
    // A month after the ledger's last would report every customer at −100%.
    if let Some(last) = crate::db::revenue::ledger_month(conn)?.filter(|last| month > *last) {
        bail!(fill(t.report_not_entered, &[&month, &last]));
    }
    let (scope, unit_name) = match unit {
        None => (AnalysisScope::All, t.report_all_units.to_string()),
        Some(code) => {
            let unit = unit_by_code(env, code)?;
            (AnalysisScope::Unit(unit.id), format!("{} ({})", unit.name, unit.code))
        }
    };
    // Fail on an unwritable place before the analysis, not after.
    let mut file = TableFile::create(output, file_format(format)).with_context(|| format!("{}", output.display()))?;
    // One read transaction: every figure comes from the same state of the ledger,
    // even while others keep entering revenue. (Dropping it ends it; nothing is written.)
    let snapshot = conn.snapshot()?;
    let figures = analysis::monthly(&snapshot, month, scope, &env.rules)?;
    let volume = Volume {
        month: crate::db::volume::month_pieces(&snapshot, month)?,
        previous: crate::db::volume::month_pieces(&snapshot, month.prev())?,
        returns: crate::db::volume::month_returns(&snapshot, month)?,
    };
    drop(snapshot);

    write_by_tier(&mut file, env, &figures, &unit_name)?;
    write_key_table(&mut file, env, &figures, &volume, &unit_name)?;
    write_fluctuations(&mut file, env, &figures, &unit_name)?;
    file.finish().with_context(|| format!("{}", output.display()))?;
    crate::errln!(
        "{}",
        fill(
            t.report_monthly_written,
            &[&output.display(), &month, &unit_name, &figures.by_tier.len(), &figures.key_table.len()]
        )
    );
    Ok(())
}

/// The unit with this code (case does not matter), or an error listing the codes.
pub(crate) fn unit_by_code<'a>(env: &'a CommandEnv, code: &str) -> Result<&'a crate::db::reference::Unit> {
    let code = code.trim();
    env.reference.units.iter().find(|u| u.code.eq_ignore_ascii_case(code)).ok_or_else(|| {
        let codes: Vec<&str> = env.reference.units.iter().map(|u| u.code.as_str()).collect();
        anyhow!(fill(env.lang.text().report_unknown_unit, &[&code, &codes.join(", ")]))
    })
}

/// Every customer's pieces this month and the month before, and returned mail
/// this month (customers with entries), beside the revenue figures.
struct Volume {
    month: HashMap<CustomerId, u64>,
    previous: HashMap<CustomerId, u64>,
    returns: HashMap<CustomerId, Returns>,
}

impl Volume {
    /// Pieces this month, last month, posted, returned, return rate (two decimals).
    fn cells(&self, id: &CustomerId) -> [Cell; 5] {
        let pieces = |m: &HashMap<CustomerId, u64>| m.get(id).map_or(Cell::Empty, |n| Cell::Count(*n));
        let returns = self.returns.get(id);
        [
            pieces(&self.month),
            pieces(&self.previous),
            returns.map_or(Cell::Empty, |r| Cell::Count(r.posted)),
            returns.map_or(Cell::Empty, |r| Cell::Count(r.returned)),
            rate_cell(returns.copied()),
        ]
    }
}

/// A return rate as a percentage with two decimals; empty without pieces posted.
fn rate_cell(returns: Option<Returns>) -> Cell {
    returns.and_then(|r| r.rate()).map_or(Cell::Empty, |rate| Cell::text(rate_percent(rate)))
}

/// The measure the fluctuation rule compares, in the user's language.
fn measure_name(env: &CommandEnv, measure: FluctuationMeasure) -> &'static str {
    let t = env.lang.text();
    match measure {
        FluctuationMeasure::Revenue => t.volume_measure_revenue,
        FluctuationMeasure::Volume => t.volume_measure_volume,
    }
}

/// The year-on-year change, when there is a last year to compare with.
fn year_on_year(figures: &MonthlyAnalysis, month: Money, year_ago: Money) -> Option<rust_decimal::Decimal> {
    if figures.headline.has_last_year { change(month, year_ago) } else { None }
}

fn sum(amounts: impl Iterator<Item = Money>) -> Money {
    Money(amounts.map(|a| a.yuan()).sum())
}

/// Report form 1, under the header block.
fn write_by_tier(file: &mut TableFile, env: &CommandEnv, figures: &MonthlyAnalysis, unit_name: &str) -> Result<()> {
    let t = env.lang.text();
    let h = &figures.headline;
    file.section(t.report_sheet_by_tier)?;
    file.row(RowStyle::Title, &[Cell::text(fill(t.report_title_by_tier, &[&figures.month, &unit_name]))])?;
    let block = [
        (t.report_month, Cell::text(figures.month.to_string())),
        (t.report_unit, Cell::text(unit_name)),
        (t.report_customers, Cell::Count(figures.customers as u64)),
        (t.report_total_revenue, Cell::Money(h.month)),
        (t.report_mom, Cell::ratio(h.month_on_month())),
        (t.report_yoy, Cell::ratio(h.year_on_year())),
        (t.report_ytd, Cell::Money(h.year_to_date)),
        (t.report_ytd_yoy, Cell::ratio(h.year_to_date_on_year())),
        (t.report_unit_revenue, Cell::money(h.unit_month)),
        (t.report_share_of_unit, Cell::ratio(h.share_of_unit())),
        (t.volume_report_measure, Cell::text(measure_name(env, figures.measure))),
    ];
    for (label, value) in block {
        file.row(RowStyle::Field, &[Cell::text(label), value])?;
    }
    file.blank()?;
    file.headings(&[
        t.report_col_tier,
        t.report_col_count,
        t.report_col_month,
        t.report_col_previous,
        t.report_mom,
        t.report_col_year_ago,
        t.report_yoy,
        t.report_col_share,
    ])?;
    let tiers = &figures.by_tier;
    let month_total = sum(tiers.iter().map(|r| r.month));
    let previous_total = sum(tiers.iter().map(|r| r.previous));
    let year_ago_total = sum(tiers.iter().map(|r| r.year_ago));
    // Shares are of the tiers' own total, so the column adds up to 100%.
    let row = |label: String, customers: u64, month: Money, previous: Money, year_ago: Money| {
        vec![
            Cell::Text(label),
            Cell::Count(customers),
            Cell::Money(month),
            Cell::Money(previous),
            Cell::ratio(change(month, previous)),
            Cell::Money(year_ago),
            Cell::ratio(year_on_year(figures, month, year_ago)),
            Cell::ratio(share(month, Some(month_total))),
        ]
    };
    for r in tiers {
        let label = env.lang.pick(tier_label(r.tier)).to_string();
        file.row(RowStyle::Body, &row(label, r.customers as u64, r.month, r.previous, r.year_ago))?;
    }
    let customers = tiers.iter().map(|r| r.customers as u64).sum();
    file.row(
        RowStyle::Total,
        &row(t.report_total.to_string(), customers, month_total, previous_total, year_ago_total),
    )?;
    Ok(())
}

/// Report form 2: silver and above plus the top ten, largest first.
fn write_key_table(
    file: &mut TableFile,
    env: &CommandEnv,
    figures: &MonthlyAnalysis,
    volume: &Volume,
    unit_name: &str,
) -> Result<()> {
    let t = env.lang.text();
    file.section(t.report_sheet_key)?;
    file.row(RowStyle::Title, &[Cell::text(fill(t.report_title_key, &[&figures.month, &unit_name]))])?;
    file.headings(&[
        t.report_col_rank,
        t.col_id,
        t.col_short_name,
        t.report_col_tier,
        t.report_col_manager,
        t.report_col_month,
        t.report_col_previous,
        t.report_mom,
        t.report_col_year_ago,
        t.report_yoy,
        t.report_ytd,
        t.volume_report_col_pieces,
        t.volume_report_col_pieces_previous,
        t.volume_report_col_posted,
        t.volume_report_col_returned,
        t.volume_report_col_rate,
    ])?;
    let rows = &figures.key_table;
    for (rank, c) in rows.iter().enumerate() {
        let manager = env.reference.staff(c.owner_a).map(|s| s.name.clone()).unwrap_or_default();
        let [pieces, pieces_before, posted, returned, rate] = volume.cells(&c.id);
        file.row(
            RowStyle::Body,
            &[
                Cell::Count(rank as u64 + 1),
                Cell::text(c.id.as_str()),
                Cell::text(c.short_name.as_str()),
                Cell::text(env.lang.pick(tier_label(c.tier))),
                Cell::Text(manager),
                Cell::Money(c.month),
                Cell::Money(c.previous),
                Cell::ratio(change(c.month, c.previous)),
                Cell::Money(c.year_ago),
                Cell::ratio(year_on_year(figures, c.month, c.year_ago)),
                Cell::money(c.year_to_date),
                pieces,
                pieces_before,
                posted,
                returned,
                rate,
            ],
        )?;
    }
    let total_of = |m: &HashMap<CustomerId, u64>| rows.iter().filter_map(|c| m.get(&c.id)).sum::<u64>();
    let returns = rows
        .iter()
        .filter_map(|c| volume.returns.get(&c.id))
        .fold(Returns::default(), |s, r| Returns { posted: s.posted + r.posted, returned: s.returned + r.returned });
    let month = sum(rows.iter().map(|c| c.month));
    let previous = sum(rows.iter().map(|c| c.previous));
    let year_ago = sum(rows.iter().map(|c| c.year_ago));
    let year_to_date = sum(rows.iter().filter_map(|c| c.year_to_date));
    file.row(
        RowStyle::Total,
        &[
            Cell::text(t.report_total),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Money(month),
            Cell::Money(previous),
            Cell::ratio(change(month, previous)),
            Cell::Money(year_ago),
            Cell::ratio(year_on_year(figures, month, year_ago)),
            Cell::Money(year_to_date),
            Cell::Count(total_of(&volume.month)),
            Cell::Count(total_of(&volume.previous)),
            Cell::Count(returns.posted),
            Cell::Count(returns.returned),
            rate_cell(Some(returns)),
        ],
    )?;
    Ok(())
}

/// The fluctuations to explain (more than 30% against the month before), on
/// the bureau's measure, with their explanations.
fn write_fluctuations(
    file: &mut TableFile,
    env: &CommandEnv,
    figures: &MonthlyAnalysis,
    unit_name: &str,
) -> Result<()> {
    let t = env.lang.text();
    let measure = measure_name(env, figures.measure);
    file.section(t.analysis_fluctuations)?;
    file.row(RowStyle::Title, &[Cell::text(fill(t.volume_report_fluct_title, &[&figures.month, &unit_name]))])?;
    file.row(RowStyle::Field, &[Cell::text(t.volume_report_measure), Cell::text(measure)])?;
    file.blank()?;
    file.headings(&[
        t.col_id,
        t.col_short_name,
        t.report_col_manager,
        t.analysis_col_previous,
        t.analysis_col_month,
        t.analysis_col_change,
        t.volume_report_col_explanation,
    ])?;
    for x in &figures.fluctuations {
        let c = &x.customer;
        let manager = env.reference.staff(c.owner_a).map(|s| s.name.clone()).unwrap_or_default();
        let (previous, month) = match x.pieces {
            Some((now, before)) => (Cell::Count(before), Cell::Count(now)),
            None => (Cell::Money(c.previous), Cell::Money(c.month)),
        };
        file.row(
            RowStyle::Body,
            &[
                Cell::text(c.id.as_str()),
                Cell::text(c.short_name.as_str()),
                Cell::Text(manager),
                previous,
                month,
                Cell::Ratio(x.change),
                Cell::text(x.explanation.clone().unwrap_or_default()),
            ],
        )?;
    }
    Ok(())
}
