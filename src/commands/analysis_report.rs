//! `kam report analysis --month YYYY-MM [--unit CODE] [--quarterly] --format
//! docx|xlsx -o FILE`: one unit's monthly analysis report (SPEC §13.4) as a
//! Word document or a workbook.

use std::path::Path;

use anyhow::{Context, Result, anyhow};

use super::CommandEnv;
use crate::cli::ReportFileFormat;
use crate::db::analysis_report::{self, ReportKey};
use crate::domain::analysis_report::{ReportKind, deadline};
use crate::domain::org::UnitLevel;
use crate::domain::revenue::Month;
use crate::export::analysis_report::{ReportDocument, ReportFormat, status_text};
use crate::i18n::fill;

pub fn run(
    env: &CommandEnv,
    month: &str,
    unit: Option<&str>,
    quarterly: bool,
    format: ReportFileFormat,
    output: &Path,
) -> Result<()> {
    let t = env.lang.text();
    let month = Month::parse(month)
        .map_err(|why| anyhow!(fill(t.report_bad_month, &[&month, &crate::ui::month_error_text(env.lang, why)])))?;
    let unit = match unit {
        Some(code) => super::report::unit_by_code(env, code)?,
        None => env
            .reference
            .unit(env.actor.staff.unit_id)
            .ok_or_else(|| anyhow!(fill(t.report_unknown_unit, &[&env.actor.staff.unit_id, &""])))?,
    };
    let kind = if quarterly { ReportKind::Quarterly } else { ReportKind::Monthly };
    let key = ReportKey { unit_id: unit.id, kind, month };
    // One read transaction: the figures and the stored report from the same state.
    let snapshot = env.store.conn().snapshot()?;
    let report = analysis_report::open(&snapshot, key, &env.rules)?;
    drop(snapshot);
    let level = UnitLevel::from_code(&unit.kind).unwrap_or(UnitLevel::Branch);
    let unit_name = format!("{} ({})", unit.name, unit.code);
    let document = ReportDocument {
        lang: env.lang,
        report: &report,
        unit_name: &unit_name,
        deadline: deadline(level, kind, month),
    };
    let format = match format {
        ReportFileFormat::Docx => ReportFormat::Docx,
        ReportFileFormat::Xlsx => ReportFormat::Xlsx,
    };
    document.write(output, format).with_context(|| format!("{}", output.display()))?;
    crate::errln!(
        "{}",
        fill(t.ar_written, &[&output.display(), &unit_name, &month, &status_text(env.lang, report.status())])
    );
    Ok(())
}
