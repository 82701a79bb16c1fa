//! Unit revenue rows (issue 16): a unit's own revenue for a year, a month or
//! a period of months kept as its total (未分月), written as `kam unit-revenue`
//! writes one figure; the history triggers record each change.

use std::collections::HashMap;

use super::{ImportReport, Plan, run};
use crate::db::period::{set_unit_period_revenue_in, unit_month_inside, unit_total_overlapping};
use crate::db::revenue::set_unit_revenue_in;
use crate::db::sql::{Optional, Sql, args};
use crate::db::{Actor, Conn, DbError, Store};
use crate::domain::money::Money;
use crate::domain::period::Period;
use crate::domain::revenue::Month;
use crate::import::Problem;

/// What a row's figure covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnitWhen {
    Year(i32),
    Month(Month),
    /// Two to twelve months of one year, known only as their total.
    Period(Period),
}

/// One figure of a unit revenue sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRevenueRow {
    pub unit_id: i64,
    /// The unit's code, to name it in a refusal.
    pub unit: String,
    pub when: UnitWhen,
    pub amount: Money,
}

/// Imports unit revenue in one transaction (all or nothing): each row needs
/// someone who decides for its unit, and a month inside a period total the
/// database holds for the unit (or the other way round) is refused as a
/// double count. Rows equal to what is stored are counted and not written.
pub fn unit_revenue(
    store: &mut Store,
    actor: &Actor,
    rows: &[(usize, UnitRevenueRow)],
    dry_run: bool,
) -> Result<ImportReport, DbError> {
    run(
        store,
        actor,
        dry_run,
        |conn| plan(conn, actor, rows),
        |tx, plan| {
            for row in plan.actions {
                match row.when {
                    UnitWhen::Year(year) => set_unit_revenue_in(tx, actor, row.unit_id, year, None, row.amount)?,
                    UnitWhen::Month(m) => {
                        set_unit_revenue_in(tx, actor, row.unit_id, m.year(), Some(m.month()), row.amount)?;
                    }
                    UnitWhen::Period(p) => set_unit_period_revenue_in(tx, actor, row.unit_id, p, row.amount)?,
                }
            }
            Ok(plan.report)
        },
    )
}

/// The stored figure a row would replace.
fn stored(conn: &Conn, row: &UnitRevenueRow) -> Result<Option<Money>, DbError> {
    let unit = row.unit_id;
    Ok(match row.when {
        UnitWhen::Year(year) => conn
            .row(
                "SELECT amount FROM unit_revenue WHERE unit_id = ?1 AND year = ?2 AND month = 0",
                args![unit, year],
                |r| r.get::<Money>(0),
            )
            .optional()?,
        UnitWhen::Month(m) => conn
            .row(
                "SELECT amount FROM unit_revenue WHERE unit_id = ?1 AND year = ?2 AND month = ?3",
                args![unit, m.year(), m.month()],
                |r| r.get::<Money>(0),
            )
            .optional()?,
        UnitWhen::Period(p) => conn
            .row(
                "SELECT amount FROM unit_revenue_period WHERE unit_id = ?1 AND first_month = ?2 AND last_month = ?3",
                args![unit, p.first().key(), p.last().key()],
                |r| r.get::<Money>(0),
            )
            .optional()?,
    })
}

fn plan(conn: &Conn, actor: &Actor, rows: &[(usize, UnitRevenueRow)]) -> Result<Plan<UnitRevenueRow>, DbError> {
    let mut plan = Plan::new();
    let mut allowed: HashMap<i64, Result<(), crate::domain::staff::Refusal>> = HashMap::new();
    for (line, row) in rows {
        let may = match allowed.get(&row.unit_id) {
            Some(may) => may.clone(),
            None => {
                let may = match crate::db::access::may_decide_for_unit(conn, actor, row.unit_id) {
                    Ok(()) => Ok(()),
                    Err(DbError::Refused(r)) => Err(r),
                    Err(e) => return Err(e),
                };
                allowed.insert(row.unit_id, may.clone());
                may
            }
        };
        if let Err(why) = may {
            plan.refuse(*line, Problem::UnitNotAllowed { unit: row.unit.clone(), why });
            continue;
        }
        if row.amount.to_fen() != 0 {
            match row.when {
                UnitWhen::Month(m) => {
                    if let Some(period) = unit_total_overlapping(conn, row.unit_id, Period::month(m), true)? {
                        plan.refuse(*line, Problem::DoubleCount { month: Some(m), period, other_line: None });
                        continue;
                    }
                }
                UnitWhen::Period(p) => {
                    if let Some(month) = unit_month_inside(conn, row.unit_id, p)? {
                        plan.refuse(*line, Problem::DoubleCount { month: Some(month), period: p, other_line: None });
                        continue;
                    }
                    if let Some(other) = unit_total_overlapping(conn, row.unit_id, p, false)? {
                        plan.refuse(*line, Problem::PeriodOverlap { other, other_line: None });
                        continue;
                    }
                }
                UnitWhen::Year(_) => {}
            }
        }
        let counts = &mut plan.report.counts;
        match stored(conn, row)? {
            None => counts.inserted += 1,
            Some(old) if old.to_fen() == row.amount.to_fen() => {
                counts.unchanged += 1;
                continue;
            }
            Some(_) => counts.updated += 1,
        }
        plan.actions.push(row.clone());
    }
    Ok(plan)
}
