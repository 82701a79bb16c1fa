//! `kam pipeline [--unit] [--json]`: the development pipeline (SPEC §13.5)
//! of an account manager (their prospects, as owner A) or, with `--unit` or
//! for anyone else, of the user's unit: how many prospects stand at each of
//! the six steps, how many of them are overdue, the revenue expected of
//! them, and the overdue steps, longest overdue first. JSON: schema
//! `kam-pipeline/1` (README).

use chrono::NaiveDate;
use serde::Serialize;

use crate::db::pipeline::{PipelineScope, Prospect, StepCount, counts, overdue};
use crate::db::{Conn, DbError};
use crate::domain::staff::{Role, Staff};
use crate::domain::validate::sanitize_text as clean;
use crate::i18n::{Lang, fill, pipeline_step_label};

pub const SCHEMA: &str = "kam-pipeline/1";

/// Overdue steps listed at most.
const LIMIT: u64 = 500;

/// Whose pipeline `user` sees: a manager their own unless `unit`; anyone
/// else their unit's.
pub fn scope_of(user: &Staff, unit: bool) -> PipelineScope {
    if user.role == Role::Manager && !unit {
        PipelineScope::Manager(user.id)
    } else {
        PipelineScope::Unit(user.unit_id)
    }
}

/// The counts by step and the overdue steps of `scope` on `today`.
pub fn pipeline_for(
    conn: &Conn,
    scope: PipelineScope,
    today: NaiveDate,
) -> Result<(Vec<StepCount>, Vec<Prospect>), DbError> {
    Ok((counts(conn, scope, today)?, overdue(conn, scope, today, LIMIT)?))
}

/// The pipeline as text: a table of the steps, then the overdue steps.
pub fn pipeline_text(lang: Lang, whose: &str, rows: &[StepCount], late: &[Prospect], today: NaiveDate) -> String {
    use unicode_width::UnicodeWidthStr;
    let t = lang.text();
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.width())));
    let mut out = format!("{}\n\n", fill(t.pipe_title, &[&clean(whose)]));
    let head = [t.pipe_col_step, t.pipe_col_count, t.pipe_col_overdue, t.pipe_col_revenue];
    out.push_str(&format!("{}{}{}{}\n", pad(head[0], 18), pad(head[1], 12), pad(head[2], 10), head[3]));
    for r in rows {
        out.push_str(&format!(
            "{}{}{}{}\n",
            pad(pipeline_step_label(lang, r.step), 18),
            pad(&r.count.to_string(), 12),
            pad(&r.overdue.to_string(), 10),
            r.expected_revenue.format_yuan()
        ));
    }
    out.push_str(&format!("\n{}\n", t.pipe_overdue_title));
    if late.is_empty() {
        out.push_str(&format!("  {}\n", t.pipe_none_overdue));
    }
    for p in late {
        let line = fill(
            t.pipe_overdue_line,
            &[
                &clean(&p.customer_name),
                &pipeline_step_label(lang, p.step),
                &clean(&p.owner),
                &p.due_on.to_string(),
                &p.days_overdue(today).to_string(),
            ],
        );
        out.push_str(&format!("  {line}\n"));
    }
    out
}

#[derive(Debug, Serialize)]
pub struct Document {
    pub schema: &'static str,
    pub today: String,
    /// `manager` or `unit`, and its id.
    pub scope: &'static str,
    pub scope_id: i64,
    pub steps: Vec<StepOut>,
    pub overdue: Vec<ProspectOut>,
}

#[derive(Debug, Serialize)]
pub struct StepOut {
    /// 1–6.
    pub number: u8,
    /// `survey`, `segmentation`, `prioritisation`, `positioning`,
    /// `marketing_plan`, `expansion`.
    pub step: &'static str,
    pub prospects: i64,
    pub overdue: i64,
    /// Yuan with two decimals, as text without separators (`80000.00`).
    pub expected_revenue: String,
}

#[derive(Debug, Serialize)]
pub struct ProspectOut {
    pub customer_id: String,
    pub customer: String,
    pub account_manager: String,
    pub step: &'static str,
    pub started_on: String,
    pub due_on: String,
    pub days_overdue: i64,
}

/// The pipeline as the `kam-pipeline/1` document.
pub fn pipeline_json(scope: PipelineScope, rows: &[StepCount], late: &[Prospect], today: NaiveDate) -> Document {
    let (scope, scope_id) = match scope {
        PipelineScope::Manager(id) => ("manager", id),
        PipelineScope::Unit(id) => ("unit", id),
    };
    Document {
        schema: SCHEMA,
        today: today.to_string(),
        scope,
        scope_id,
        steps: rows
            .iter()
            .map(|r| StepOut {
                number: r.step.number(),
                step: r.step.code(),
                prospects: r.count,
                overdue: r.overdue,
                expected_revenue: format!("{:.2}", r.expected_revenue.yuan()),
            })
            .collect(),
        overdue: late
            .iter()
            .map(|p| ProspectOut {
                customer_id: p.customer_id.to_string(),
                customer: p.customer_name.clone(),
                account_manager: p.owner.clone(),
                step: p.step.code(),
                started_on: p.started_on.to_string(),
                due_on: p.due_on.to_string(),
                days_overdue: p.days_overdue(today),
            })
            .collect(),
    }
}
