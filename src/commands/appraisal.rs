//! `kam appraisal --month YYYY-MM [--unit CODE] [--login L] --format
//! json|csv|xlsx [-o FILE]`: each account manager's month (SPEC §10) for
//! payroll: the sheet's items with points and reasons, the score, fixed
//! performance, achievement pay, completion rate, deductions and the
//! performance pay. A closed month is written as frozen; an open one as it
//! stands today. Account managers get their own sheet only; supervisors
//! their unit and the units below it; leaders and the administrator any.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveDate;

use super::CommandEnv;
use super::report::unit_by_code;
use crate::db::appraisal_counts::{ManagerRow, managers_under};
use crate::domain::appraisal::score::SheetItem;
use crate::domain::revenue::Month;
use crate::domain::staff::Role;
use crate::domain::visit_standard::StandardPreset;
use crate::export::appraisal::{Document, Manager, SCHEMA};
use crate::export::table::{Cell, FileFormat, RowStyle, TableFile};
use crate::i18n::{Lang, cause_label, fill, sheet_item_label};
use crate::review::appraisal::{ManagerMonth, manager_month};
use strum::IntoEnumIterator;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AppraisalFormat {
    Json,
    Csv,
    Xlsx,
}

/// What to write: whose sheets for which month.
pub struct Ask<'a> {
    pub month: &'a str,
    pub unit: Option<&'a str>,
    pub login: Option<&'a str>,
}

/// The managers the user may see that the flags name.
fn managers(env: &CommandEnv, ask: &Ask<'_>) -> Result<Vec<ManagerRow>> {
    let t = env.lang.text();
    let user = &env.actor.staff;
    let unit = ask.unit.map(|code| unit_by_code(env, code)).transpose()?;
    // The widest the user may read: their own sheet, their unit's, or all.
    let mine = match user.role {
        Role::Manager => managers_under(env.store.conn(), Some(user.unit_id))?
            .into_iter()
            .filter(|m| m.staff_id == user.id)
            .collect(),
        Role::Supervisor => managers_under(env.store.conn(), Some(user.unit_id))?,
        Role::Leader | Role::Admin => managers_under(env.store.conn(), None)?,
    };
    let in_unit = match unit {
        None => mine,
        Some(u) => {
            let under: Vec<i64> =
                managers_under(env.store.conn(), Some(u.id))?.into_iter().map(|m| m.staff_id).collect();
            mine.into_iter().filter(|m| under.contains(&m.staff_id)).collect()
        }
    };
    let chosen: Vec<ManagerRow> = match ask.login {
        None => in_unit,
        Some(login) => {
            let found: Vec<ManagerRow> = in_unit
                .into_iter()
                .filter(|m| m.login.as_deref().is_some_and(|l| l.eq_ignore_ascii_case(login)))
                .collect();
            if found.is_empty() {
                bail!(fill(t.appraisal_no_such_manager, &[&login]));
            }
            found
        }
    };
    Ok(chosen)
}

/// Every chosen manager's month, read in one snapshot.
pub fn sheets(
    env: &CommandEnv,
    ask: &Ask<'_>,
    today: NaiveDate,
    standard: StandardPreset,
) -> Result<(Month, Vec<ManagerMonth>)> {
    let t = env.lang.text();
    let month = Month::parse(ask.month)
        .map_err(|why| anyhow!(fill(t.report_bad_month, &[&ask.month, &crate::ui::month_error_text(env.lang, why)])))?;
    let chosen = managers(env, ask)?;
    let snapshot = env.store.conn().snapshot()?;
    let mut out = Vec::with_capacity(chosen.len());
    for m in &chosen {
        out.push(manager_month(&snapshot, &env.actor.staff, m, month, today, standard)?);
    }
    Ok((month, out))
}

pub fn run(
    env: &CommandEnv,
    ask: &Ask<'_>,
    format: AppraisalFormat,
    output: Option<&Path>,
    today: NaiveDate,
    standard: StandardPreset,
) -> Result<()> {
    let t = env.lang.text();
    let (month, sheets) = sheets(env, ask, today, standard)?;
    match format {
        AppraisalFormat::Json => {
            let doc = Document {
                schema: SCHEMA,
                month: month.to_string(),
                // The bureau's time with its offset, as every time kam records
                // (not the process's TZ, which is each user's shell's).
                generated_at: chrono::Utc::now()
                    .with_timezone(&crate::time::zone())
                    .format("%Y-%m-%dT%H:%M:%S%:z")
                    .to_string(),
                managers: sheets.iter().map(|m| Manager::of(m, m.discipline_share)).collect(),
            };
            let json = serde_json::to_string_pretty(&doc)?;
            match output {
                Some(path) => std::fs::write(path, json + "\n").with_context(|| format!("{}", path.display()))?,
                None => writeln!(std::io::stdout().lock(), "{json}")?,
            }
        }
        AppraisalFormat::Csv | AppraisalFormat::Xlsx => {
            let Some(path) = output else { bail!(t.appraisal_needs_output) };
            let kind = if format == AppraisalFormat::Csv { FileFormat::Csv } else { FileFormat::Xlsx };
            let mut file = TableFile::create(path, kind).with_context(|| format!("{}", path.display()))?;
            write_table(&mut file, env.lang, month, &sheets)?;
            file.finish().with_context(|| format!("{}", path.display()))?;
        }
    }
    if let Some(path) = output {
        crate::errln!("{}", fill(t.appraisal_written, &[&path.display(), &month, &sheets.len()]));
    }
    Ok(())
}

fn points(d: rust_decimal::Decimal) -> Cell {
    Cell::text(d.round_dp(2).normalize().to_string())
}

/// One line per manager (the month-end table), then the items with their
/// deductions and reasons.
fn write_table(file: &mut TableFile, lang: Lang, month: Month, sheets: &[ManagerMonth]) -> Result<()> {
    let t = lang.text();
    file.section(t.appraisal_sheet_summary)?;
    file.row(RowStyle::Title, &[Cell::text(fill(t.appraisal_title, &[&month]))])?;
    let mut headings = vec![t.appraisal_col_unit, t.report_col_manager, t.appraisal_col_login, t.appraisal_col_status];
    headings.extend(SheetItem::iter().map(|i| lang.pick(sheet_item_label(i))));
    headings.extend([
        t.appraisal_col_adjustments,
        t.appraisal_col_score,
        t.appraisal_col_fixed,
        t.appraisal_col_achievement,
        t.appraisal_col_achievement_pay,
        t.appraisal_col_late_money,
        t.appraisal_col_completion,
        t.appraisal_col_withheld,
        t.appraisal_col_pay,
    ]);
    file.headings(&headings)?;
    for m in sheets {
        let sheet = &m.appraisal.sheet;
        let mut row = vec![
            Cell::text(&m.unit_name),
            Cell::text(&m.name),
            Cell::text(m.login.clone().unwrap_or_default()),
            Cell::text(if m.frozen.is_some() { t.appraisal_closed } else { t.appraisal_open }),
        ];
        row.extend(SheetItem::iter().map(|i| sheet.item(i).map_or(Cell::Empty, |s| points(s.points))));
        row.extend([
            points(sheet.adjustments.iter().map(|a| a.points).sum()),
            points(sheet.total),
            Cell::Money(m.fixed()),
            Cell::Money(crate::domain::appraisal::round_pay(m.appraisal.pay.achievement.achievement)),
            Cell::Money(m.achievement_pay()),
            Cell::Money(m.late_money()),
            Cell::Ratio(m.completion()),
            Cell::Money(m.withheld),
            Cell::Money(m.performance_pay),
        ]);
        file.row(RowStyle::Body, &row)?;
    }
    file.section(t.appraisal_sheet_items)?;
    file.headings(&[
        t.report_col_manager,
        t.appraisal_col_item,
        t.appraisal_col_max,
        t.appraisal_col_points,
        t.appraisal_col_cause,
        t.appraisal_col_count,
        t.appraisal_col_deducted,
        t.appraisal_col_reason,
    ])?;
    for m in sheets {
        let sheet = &m.appraisal.sheet;
        for item in &sheet.items {
            let label = lang.pick(sheet_item_label(item.item));
            if item.deductions.is_empty() {
                file.row(
                    RowStyle::Body,
                    &[Cell::text(&m.name), Cell::text(label), points(item.max), points(item.points)],
                )?;
            }
            for d in &item.deductions {
                file.row(
                    RowStyle::Body,
                    &[
                        Cell::text(&m.name),
                        Cell::text(label),
                        points(item.max),
                        points(item.points),
                        Cell::text(lang.pick(cause_label(d.cause))),
                        Cell::Count(u64::from(d.count)),
                        points(-d.points),
                        Cell::text(&d.reason),
                    ],
                )?;
            }
        }
        for d in &sheet.adjustments {
            file.row(
                RowStyle::Body,
                &[
                    Cell::text(&m.name),
                    Cell::text(t.appraisal_col_adjustments),
                    Cell::Empty,
                    Cell::Empty,
                    Cell::text(lang.pick(cause_label(d.cause))),
                    Cell::Count(u64::from(d.count)),
                    points(d.points),
                    Cell::text(&d.reason),
                ],
            )?;
        }
    }
    Ok(())
}
