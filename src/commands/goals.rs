//! `kam goals --unit CODE [--from YYYY-MM] [--to YYYY-MM] [--format
//! text|json|csv] [-o FILE]`: a unit's goal indicators (目标指标, SPEC §15)
//! for a period, as the goals panel shows them; and `kam goal-target --unit
//! CODE --year YYYY --indicator CODE --target VALUE`: the year's target of
//! one indicator, set by whoever decides for the unit.
//!
//! The JSON is for other programs: English field names, decimals as strings
//! (ratios as ratios to six decimals, 0.2063; amounts in yuan), `null` where
//! there is no figure, no target or nothing to judge.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use rust_decimal::Decimal;
use serde::Serialize;

use super::CommandEnv;
use super::report::unit_by_code;
use crate::config::MoneyUnit;
use crate::db::goals::{TargetKey, set_target, target};
use crate::domain::appraisal::goals::{GoalFormulas, GoalIndicator, GoalInputs};
use crate::domain::appraisal::targets::parse_target;
use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::domain::revenue::Month;
use crate::i18n::{fill, goal_indicator_label, period_label};
use crate::review::goals::{GoalReport, default_period, goal_report};
use crate::ui::screens::goals_draw::{basis_text, figure_text, formula_text, met_text, target_text_in};
use crate::ui::widgets::text::text_table;

/// How `kam goals` writes the indicators.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum GoalsFormat {
    /// Aligned columns, in the interface language.
    #[default]
    Text,
    /// One object (README: kam goals).
    Json,
    /// One row per indicator (UTF-8 with BOM in a file, as Excel opens it).
    Csv,
}

/// The period `--from`/`--to` name: `--to` defaults to the current year to
/// date (as far as the ledger goes), `--from` to January of `--to`'s year.
fn resolve(env: &CommandEnv, from: Option<&str>, to: Option<&str>) -> Result<Period> {
    let t = env.lang.text();
    let month = |flag: &str, text: &str| -> Result<Month> {
        Month::parse(text).map_err(|why| {
            anyhow!(fill(t.report_bad_period, &[&flag, &text, &crate::ui::month_error_text(env.lang, why)]))
        })
    };
    let to = match to {
        Some(text) => month("to", text)?,
        None => default_period(env.store.conn(), env.actor.today())?.last(),
    };
    let from = match from {
        Some(text) => month("from", text)?,
        None => to.january(),
    };
    Period::new(from, to).ok_or_else(|| anyhow!(t.report_period_backwards))
}

#[derive(Serialize)]
struct UnitJson<'a> {
    code: &'a str,
    name: &'a str,
}

#[derive(Serialize)]
struct PeriodJson {
    from: String,
    to: String,
}

#[derive(Serialize)]
struct IndicatorJson {
    indicator: &'static str,
    name: &'static str,
    /// A ratio, or the count of new key customers.
    value: Option<Decimal>,
    numerator: Decimal,
    denominator: Decimal,
    /// In the indicator's own terms (README: kam goal-target).
    target: Option<Decimal>,
    met: Option<bool>,
    formula: &'static str,
    formula_text: &'static str,
}

#[derive(Serialize)]
struct GoalsJson<'a> {
    unit: UnitJson<'a>,
    period: PeriodJson,
    year: i32,
    /// The unit's own revenue for the period, when it is known.
    unit_revenue: Option<Money>,
    share_year_ago: Option<Decimal>,
    formulas: GoalFormulas,
    indicators: Vec<IndicatorJson>,
    inputs: GoalInputs,
}

/// A ratio to six decimals (20.63% is 0.2063; a division's 28 digits say nothing more).
fn ratio_for_json(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(6, rust_decimal::RoundingStrategy::MidpointAwayFromZero).normalize()
}

fn json(env: &CommandEnv, unit: &crate::db::reference::Unit, report: &GoalReport) -> Result<String> {
    let lang = env.lang;
    let indicators = report
        .rows
        .iter()
        .map(|r| IndicatorJson {
            indicator: r.figure.indicator.code(),
            name: lang.pick(goal_indicator_label(r.figure.indicator)),
            value: r.figure.value.map(ratio_for_json),
            numerator: r.figure.numerator,
            denominator: r.figure.denominator,
            target: r.target.as_ref().map(|t| t.target),
            met: r.met,
            formula: r.figure.formula,
            formula_text: formula_text(lang, &r.figure),
        })
        .collect();
    let doc = GoalsJson {
        unit: UnitJson { code: &unit.code, name: &unit.name },
        period: PeriodJson { from: report.period.first().to_string(), to: report.period.last().to_string() },
        year: report.year(),
        unit_revenue: report.unit_revenue.known(),
        share_year_ago: report.share_year_ago,
        formulas: report.formulas,
        indicators,
        inputs: report.inputs,
    };
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}

/// The columns the text shows, in the interface language.
fn text(env: &CommandEnv, unit: &crate::db::reference::Unit, report: &GoalReport) -> String {
    let (lang, t) = (env.lang, env.lang.text());
    let rows: Vec<Vec<String>> = report
        .rows
        .iter()
        .map(|r| {
            let target = r.target.as_ref().map_or_else(
                || t.goals_not_set.to_string(),
                |s| target_text_in(lang, MoneyUnit::Yuan, r.figure.indicator, s.target),
            );
            vec![
                lang.pick(goal_indicator_label(r.figure.indicator)).to_string(),
                figure_text(&r.figure),
                basis_text(MoneyUnit::Yuan, report, &r.figure),
                target,
                met_text(lang, r.met).to_string(),
                formula_text(lang, &r.figure).to_string(),
            ]
        })
        .collect();
    let title =
        fill(t.goals_cli_title, &[&format!("{} ({})", unit.name, unit.code), &period_label(lang, report.period)]);
    let header = [
        t.goals_col_indicator,
        t.goals_col_figure,
        t.goals_col_basis,
        t.goals_col_target,
        t.goals_col_met,
        t.goals_col_formula,
    ];
    format!("{title}\n{}", text_table(&header, &rows))
}

fn csv(env: &CommandEnv, report: &GoalReport) -> Result<String> {
    let (lang, t) = (env.lang, env.lang.text());
    let mut out = csv::Writer::from_writer(Vec::new());
    out.write_record([
        t.goals_csv_code,
        t.goals_col_indicator,
        t.goals_col_figure,
        t.goals_csv_numerator,
        t.goals_csv_denominator,
        t.goals_col_target,
        t.goals_col_met,
        t.goals_col_formula,
    ])?;
    let decimal = |d: Option<Decimal>| d.map(|d| d.normalize().to_string()).unwrap_or_default();
    for r in &report.rows {
        out.write_record([
            r.figure.indicator.code().to_string(),
            lang.pick(goal_indicator_label(r.figure.indicator)).to_string(),
            decimal(r.figure.value),
            decimal(Some(r.figure.numerator)),
            decimal(Some(r.figure.denominator)),
            decimal(r.target.as_ref().map(|t| t.target)),
            met_text(lang, r.met).to_string(),
            formula_text(lang, &r.figure).to_string(),
        ])?;
    }
    Ok(String::from_utf8(out.into_inner().map_err(|e| anyhow!("{e}"))?)?)
}

/// Writes `text` to `output`, in place only once complete.
fn write_file(output: &Path, bytes: &[u8]) -> Result<()> {
    let dir = output.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("{}", output.display()))?;
    file.write_all(bytes).with_context(|| format!("{}", output.display()))?;
    file.persist(output).map_err(|e| anyhow!("{}: {}", output.display(), e.error))?;
    Ok(())
}

/// `kam goals` or `kam goal-target`, as parsed.
pub fn dispatch(env: &mut CommandEnv, command: &crate::cli::Command) -> Result<()> {
    match command {
        crate::cli::Command::Goals { unit, from, to, format, output } => {
            run(env, unit, from.as_deref(), to.as_deref(), *format, output.as_deref())
        }
        crate::cli::Command::GoalTarget { unit, year, indicator, target } => set(env, unit, year, indicator, target),
        other => bail!("kam has no handler for {other:?}"),
    }
}

pub fn run(
    env: &CommandEnv,
    unit: &str,
    from: Option<&str>,
    to: Option<&str>,
    format: GoalsFormat,
    output: Option<&Path>,
) -> Result<()> {
    let unit = unit_by_code(env, unit)?;
    let period = resolve(env, from, to)?;
    let report = goal_report(env.store.conn(), unit.id, period)?;
    let body = match format {
        GoalsFormat::Text => text(env, unit, &report),
        GoalsFormat::Json => json(env, unit, &report)?,
        GoalsFormat::Csv => csv(env, &report)?,
    };
    match output {
        None => crate::out!("{body}"),
        Some(path) => {
            // A CSV file opens in Excel as UTF-8 only with its byte-order mark.
            let bom = if format == GoalsFormat::Csv { "\u{feff}" } else { "" };
            write_file(path, format!("{bom}{body}").as_bytes())?;
            let t = env.lang.text();
            let what = fill(t.goals_cli_title, &[&unit.name, &period_label(env.lang, period)]);
            crate::errln!("{}", fill(t.goals_cli_written, &[&path.display(), &unit.code, &what]));
        }
    }
    Ok(())
}

/// `kam goal-target`: sets the year's target of one indicator for a unit
/// (whoever decides for the unit), over whatever is stored now.
pub fn set(env: &mut CommandEnv, unit: &str, year: &str, indicator: &str, value: &str) -> Result<()> {
    let t = env.lang.text();
    let unit = unit_by_code(env, unit)?.clone();
    let year: i32 = Some(year.trim())
        .filter(|y| y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|y| y.parse().ok())
        .ok_or_else(|| anyhow!(fill(t.goals_cli_bad_year, &[&year])))?;
    let Some(indicator) = GoalIndicator::from_code(indicator.trim()) else {
        let codes: Vec<&str> = GoalIndicator::ALL.iter().map(|i| i.code()).collect();
        bail!(fill(t.goals_cli_unknown_indicator, &[&indicator, &codes.join(", ")]));
    };
    let target_value = parse_target(indicator, value)
        .map_err(|e| anyhow!(fill(t.goals_cli_bad_target, &[&value, &crate::ui::target_error_text(env.lang, &e)])))?;
    let key = TargetKey { unit_id: unit.id, year, indicator };
    let expected = target(env.store.conn(), key)?.map(|stored| stored.version);
    let actor = env.actor.clone();
    let version = set_target(&mut env.store, &actor, key, target_value, expected)
        .map_err(|e| anyhow!(crate::ui::db_error_text(env.lang, &e)))?;
    let shown = target_text_in(env.lang, MoneyUnit::Yuan, indicator, target_value);
    let name = env.lang.pick(goal_indicator_label(indicator));
    crate::outln!(
        "{}",
        fill(t.goals_cli_set, &[&format!("{} ({})", unit.name, unit.code), &year, &name, &shown, &version])
    );
    Ok(())
}
