//! A unit's goal indicators for a period (目标指标, SPEC §15): what the
//! records count (`db::goals`) and sum (`db::period`, the same sums as the
//! period report, so its 20.63% is this 20.63%), divided by the formulas
//! the bureau chose (`domain::appraisal::goals`) and held against the year's
//! targets (`domain::appraisal::targets`). The goals panel and `kam goals`
//! show what [`goal_report`] gathers; nothing here draws or prints.

use rust_decimal::Decimal;

use crate::db::analysis::AnalysisScope;
use crate::db::goals::{self, StoredTarget};
use crate::db::{Conn, DbError, period};
use crate::domain::appraisal::goals::{GoalFormulas, GoalIndicator, GoalInputs, Indicator, goal_indicators};
use crate::domain::appraisal::targets::{TargetContext, meets, yearly_plan};
use crate::domain::money::Money;
use crate::domain::period::{Period, UnitPeriodRevenue, share_of_unit};
use crate::domain::revenue::Month;

/// The formulas the bureau chose for `year` where SPEC §15 leaves them open:
/// those of the appraisal rules in force in the year's December (the
/// reference choices until the bureau dates its own).
pub fn formulas(conn: &Conn, year: i32) -> Result<GoalFormulas, DbError> {
    let december = Month::new(year, 12).unwrap_or_else(|| Month::of(chrono::NaiveDate::MIN));
    Ok(crate::db::appraisal::rules_in_force(conn, december)?.goals)
}

/// The period a panel or command starts on: the current year to date, as
/// far as the ledger goes (to its last month when that is of this year and
/// before the month in progress, else to the month in progress).
pub fn default_period(conn: &Conn, today: chrono::NaiveDate) -> Result<Period, DbError> {
    let now = Month::of(today);
    let ledger = crate::db::revenue::ledger_month(conn)?;
    let last = ledger.filter(|m| m.year() == now.year() && *m < now).unwrap_or(now);
    Ok(Period::year_to_date(last))
}

/// One indicator: its figure, the year's target if one was set, and whether
/// the figure meets it.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalRow {
    pub figure: Indicator,
    pub target: Option<StoredTarget>,
    /// None without a target, or without a figure to judge.
    pub met: Option<bool>,
}

/// A unit's indicators for a period.
#[derive(Debug, Clone, PartialEq)]
pub struct GoalReport {
    pub unit_id: i64,
    pub period: Period,
    pub formulas: GoalFormulas,
    pub inputs: GoalInputs,
    /// The unit's own revenue for the period (the share's whole), or why it is not known.
    pub unit_revenue: UnitPeriodRevenue,
    /// The key customers' share of the unit's revenue a year earlier, when both are known.
    pub share_year_ago: Option<Decimal>,
    /// In SPEC's order ([`GoalIndicator::ALL`]).
    pub rows: Vec<GoalRow>,
}

impl GoalReport {
    /// The year whose targets apply: the period's last month's.
    pub fn year(&self) -> i32 {
        self.period.last().year()
    }

    pub fn context(&self) -> TargetContext {
        TargetContext { share_year_ago: self.share_year_ago, last_month: self.period.last() }
    }

    pub fn row(&self, indicator: GoalIndicator) -> Option<&GoalRow> {
        self.rows.iter().find(|r| r.figure.indicator == indicator)
    }

    /// The same figures against targets read again (one set a moment ago):
    /// nothing is counted again.
    pub fn with_targets(&self, targets: &[StoredTarget]) -> GoalReport {
        let (inputs, rows) = assess(&self.formulas, &self.inputs, targets, &self.context());
        GoalReport { inputs, rows, ..self.clone() }
    }
}

/// The rows from what was counted and the targets set (pure): the yearly
/// plan the progress divides by is the plan-progress target.
pub fn assess(
    formulas: &GoalFormulas,
    inputs: &GoalInputs,
    targets: &[StoredTarget],
    context: &TargetContext,
) -> (GoalInputs, Vec<GoalRow>) {
    let target_of = |indicator| targets.iter().find(|t| t.indicator == indicator);
    let inputs =
        GoalInputs { yearly_plan: yearly_plan(target_of(GoalIndicator::PlanProgress).map(|t| t.target)), ..*inputs };
    let rows = goal_indicators(formulas, &inputs)
        .into_iter()
        .map(|figure| {
            let target = target_of(figure.indicator).cloned();
            let met = target.as_ref().and_then(|t| meets(&figure, t.target, context));
            GoalRow { figure, target, met }
        })
        .collect();
    (inputs, rows)
}

/// Gathers the unit's (with the units below it) indicators for `period` in
/// one read snapshot: the same figures whichever the others write meanwhile.
pub fn goal_report(conn: &Conn, unit_id: i64, period: Period) -> Result<GoalReport, DbError> {
    let snapshot = conn.snapshot()?;
    let conn: &Conn = &snapshot;
    let formulas = formulas(conn, period.last().year())?;
    let scope = AnalysisScope::Unit(unit_id);
    let sums = period::summary(conn, period, scope)?;
    let year_to_date = Period::year_to_date(period.last());
    let revenue_to_date =
        if period == year_to_date { sums.all.current } else { period::summary(conn, year_to_date, scope)?.all.current };
    let counts = goals::counts(conn, unit_id, period)?;
    let (kept_revenue, kept_revenue_year_ago) = match formulas.retention {
        crate::domain::appraisal::goals::RetentionFormula::RevenueKept => goals::kept_revenue(conn, unit_id, period)?,
        crate::domain::appraisal::goals::RetentionFormula::CustomersKept => (Money::ZERO, Money::ZERO),
    };
    let inputs = GoalInputs {
        key_revenue: sums.all.current,
        unit_revenue: sums.unit.known().unwrap_or(Money::ZERO),
        key_customers_now: counts.key_now,
        key_customers_at_start: counts.key_at_start,
        kept_customers: counts.kept,
        kept_revenue,
        kept_revenue_year_ago,
        new_key_customers: counts.new_key,
        prospects: counts.prospects,
        complete_dossiers: counts.complete_dossiers,
        required_fields: counts.required_fields,
        filled_fields: counts.filled_fields,
        revenue_to_date,
        yearly_plan: Money::ZERO,
        // Time-limited service requests (SPEC §9) are not recorded yet
        // (issue 18): no figure rather than a made-up one.
        requests_closed: 0,
        requests_met: 0,
    };
    let targets = goals::targets(conn, unit_id, period.last().year())?;
    drop(snapshot);
    let share_year_ago = share_of_unit(sums.all.last_year, sums.unit_last_year);
    let context = TargetContext { share_year_ago, last_month: period.last() };
    let (inputs, rows) = assess(&formulas, &inputs, &targets, &context);
    Ok(GoalReport { unit_id, period, formulas, inputs, unit_revenue: sums.unit, share_year_ago, rows })
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn target(indicator: GoalIndicator, value: &str) -> StoredTarget {
        StoredTarget {
            id: 1,
            indicator,
            target: d(value),
            set_by: "王芳".into(),
            set_at: chrono::NaiveDate::from_ymd_opt(2003, 1, 5).unwrap().and_hms_opt(9, 0, 0).unwrap(),
            version: 1,
        }
    }

    /// SPEC §15's example as one unit's report: nine key customers bringing
    /// 20.63% of the district's revenue (19.50% a year earlier), three of
    /// them new this year, and 79.3% of the yearly plan done by October.
    #[test]
    fn the_seeds_indicators_against_the_years_targets() {
        let inputs = GoalInputs {
            key_revenue: Money(d("4890.43")),
            unit_revenue: Money(d("23705.04")),
            key_customers_now: 9,
            key_customers_at_start: 6,
            kept_customers: 6,
            new_key_customers: 3,
            prospects: 4,
            revenue_to_date: Money(d("793")),
            ..GoalInputs::default()
        };
        let targets = [
            target(GoalIndicator::RevenueShare, "1"),
            target(GoalIndicator::NewKeyCustomers, "3"),
            target(GoalIndicator::PlanProgress, "1000"),
            target(GoalIndicator::RetentionRate, "0.95"),
        ];
        let context = TargetContext { share_year_ago: Some(d("0.195")), last_month: Month::new(2003, 10).unwrap() };
        let (inputs, rows) = assess(&GoalFormulas::default(), &inputs, &targets, &context);
        assert_eq!(inputs.yearly_plan, Money(d("1000")), "the plan is the plan-progress target");
        let row = |i: GoalIndicator| rows.iter().find(|r| r.figure.indicator == i).unwrap();
        let share = row(GoalIndicator::RevenueShare);
        assert_eq!(crate::domain::period::percent2(share.figure.value.unwrap()), "20.63%");
        assert_eq!(share.met, Some(true), "up 1.13 points against a rise of 1");
        let new = row(GoalIndicator::NewKeyCustomers);
        assert_eq!((new.figure.value, new.figure.denominator, new.met), (Some(d("3")), d("9"), Some(true)));
        let plan = row(GoalIndicator::PlanProgress);
        assert_eq!((plan.figure.value, plan.met), (Some(d("0.793")), Some(false)), "behind the pace of 10/12");
        assert_eq!(row(GoalIndicator::RetentionRate).met, Some(true), "6 of 6 kept");
        assert_eq!(row(GoalIndicator::DevelopmentRate).figure.value, Some(d("0.75")), "3 of 4 prospects");
        assert_eq!(row(GoalIndicator::DevelopmentRate).met, None, "no target set");
        let service = row(GoalIndicator::ServiceMetRate);
        assert_eq!((service.figure.value, service.met), (None, None), "no requests recorded: no figure");
        assert_eq!(rows.len(), GoalIndicator::ALL.len());
    }

    #[test]
    fn without_a_plan_the_progress_has_no_figure() {
        let inputs = GoalInputs { revenue_to_date: Money(d("793")), ..GoalInputs::default() };
        let context = TargetContext { share_year_ago: None, last_month: Month::new(2003, 10).unwrap() };
        let (_, rows) = assess(&GoalFormulas::default(), &inputs, &[], &context);
        let plan = rows.iter().find(|r| r.figure.indicator == GoalIndicator::PlanProgress).unwrap();
        assert_eq!((plan.figure.value, plan.target.as_ref(), plan.met), (None, None, None));
    }
}
