//! Plans (SPEC §13.2–13.3): the per-customer marketing plans (营销计划) and a
//! unit's yearly service plan text (服务计划). The rules (cadence, due and
//! missing, the service plan's top ten) are `domain::plan`'s; this module
//! stores and reads.
//!
//! Access: a plan is written, changed and submitted by whoever edits the
//! customer ([`may_edit_customer`]: its account managers A and B, by the
//! unit's policy the unit's managers, supervisors, the administrator); it
//! is reviewed, or sent back with a reason, by a supervisor of the
//! customer's unit or above, or the administrator
//! ([`may_decide_for_customer`]). The service plan's text is set by whoever
//! decides for the unit. Nothing is deleted; every change is in the history.

use chrono::{NaiveDate, NaiveDateTime};

use super::access::{may_decide_for_customer, may_decide_for_unit, may_edit_customer};
use super::error::constraint_as_invalid;
use super::sql::{Optional, Row, Sql, args};
use super::sql_types::Civil;
use super::{Actor, Conflict, Conn, DbError, Invalid, Store};
use crate::domain::id::CustomerId;
use crate::domain::money::Money;
use crate::domain::plan::{PlanPeriod, PlanStatus};
use crate::domain::staff::{Role, Staff};
use crate::domain::tier::Tier;

/// Why a plan write is refused by the plans' own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PlanProblem {
    /// A plan needs its goals.
    #[error("a plan needs its goals")]
    NoGoals,
    /// Submitted or reviewed: the author changes it only once it is sent back.
    #[error("the plan is handed in and can no longer be changed")]
    NotEditable,
    /// Only a submitted plan is reviewed.
    #[error("only a submitted plan is reviewed")]
    NotSubmitted,
    /// Sending a plan back takes a reason.
    #[error("sending a plan back takes a reason")]
    NoReason,
    /// The period is not one of the customer's plan periods.
    #[error("not a plan period")]
    NotAPeriod,
}

/// What the author writes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PlanText {
    pub goals: String,
    pub measures: String,
    pub expected_revenue: Option<Money>,
    pub notes: String,
}

/// A plan as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub id: i64,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub period: PlanPeriod,
    pub text: PlanText,
    pub status: PlanStatus,
    pub author_id: i64,
    pub author: String,
    pub submitted_on: Option<NaiveDate>,
    pub review_comment: String,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<NaiveDateTime>,
    pub version: i64,
}

const COLUMNS: &str = "p.id, p.customer_id, c.short_name, p.period_first, p.period_last, p.goals, p.measures, \
     p.expected_revenue, p.notes, p.status, p.author_id, coalesce(a.name, ''), p.submitted_on, p.review_comment, \
     r.name, p.reviewed_at, p.version \
     FROM marketing_plan p JOIN customer c ON c.id = p.customer_id \
     LEFT JOIN staff a ON a.id = p.author_id LEFT JOIN staff r ON r.id = p.reviewed_by";

fn from_row(r: &Row<'_>) -> Result<Plan, DbError> {
    Ok(Plan {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        period: PlanPeriod { first: r.get(3)?, last: r.get(4)? },
        text: PlanText {
            goals: r.get(5)?,
            measures: r.get(6)?,
            expected_revenue: r.get::<Option<Money>>(7)?,
            notes: r.get(8)?,
        },
        status: PlanStatus::from_code(r.text(9)?).unwrap_or(PlanStatus::Draft),
        author_id: r.get(10)?,
        author: r.get(11)?,
        submitted_on: r.get(12)?,
        review_comment: r.get(13)?,
        reviewed_by: r.get(14)?,
        reviewed_at: r.get::<Option<Civil>>(15)?.map(|c| c.0),
        version: r.get(16)?,
    })
}

/// The customer's plans, newest period first, at most `limit`.
pub fn of_customer(conn: &Conn, customer: &CustomerId, limit: u64) -> Result<Vec<Plan>, DbError> {
    let sql = format!("SELECT {COLUMNS} WHERE p.customer_id = ?1 ORDER BY p.period_first DESC LIMIT ?2");
    conn.rows(&sql, args![customer, limit], from_row)
}

/// One plan by id.
pub fn load(conn: &Conn, id: i64) -> Result<Plan, DbError> {
    let sql = format!("SELECT {COLUMNS} WHERE p.id = ?1");
    conn.row(&sql, args![id], from_row)
}

/// The customer's plan for the period starting on `first`, if written.
pub fn for_period(conn: &Conn, customer: &CustomerId, first: NaiveDate) -> Result<Option<Plan>, DbError> {
    let sql = format!("SELECT {COLUMNS} WHERE p.customer_id = ?1 AND p.period_first = ?2");
    conn.row(&sql, args![customer, first], from_row).optional()
}

fn check_text(text: &PlanText) -> Result<PlanText, DbError> {
    let clean = |s: &str| crate::domain::validate::sanitize_text(s.trim());
    let out = PlanText {
        goals: clean(&text.goals),
        measures: clean(&text.measures),
        expected_revenue: text.expected_revenue,
        notes: clean(&text.notes),
    };
    if out.goals.is_empty() {
        return Err(DbError::Invalid(Invalid::Plan(PlanProblem::NoGoals)));
    }
    Ok(out)
}

fn conflict(current: &Plan) -> DbError {
    DbError::Conflict(Box::new(Conflict {
        current_version: current.version,
        changed_by: current.author.clone(),
        changed_at: String::new(),
        changes: Vec::new(),
    }))
}

/// Writes the customer's plan for `period` (a new one when `expected` is
/// `None`, else the stored one at that version): the text, and when
/// `submit` hands it in (status submitted, submitted today). A plan handed
/// in or reviewed is no longer changed; one sent back is rewritten and
/// submitted again. Returns the plan's id.
pub fn save(
    store: &mut Store,
    actor: &Actor,
    customer: &CustomerId,
    period: PlanPeriod,
    text: &PlanText,
    expected: Option<i64>,
    submit: bool,
) -> Result<i64, DbError> {
    let text = check_text(text)?;
    if PlanPeriod::starting(period.cadence(), period.first) != Some(period) {
        return Err(DbError::Invalid(Invalid::Plan(PlanProblem::NotAPeriod)));
    }
    store.write(|tx| {
        may_edit_customer(tx, actor, customer)?;
        let current = for_period(tx, customer, period.first)?;
        if current.as_ref().map(|p| p.version) != expected {
            return Err(current.as_ref().map_or(DbError::NotFound, conflict));
        }
        let status = if submit { PlanStatus::Submitted } else { PlanStatus::Draft };
        let submitted_on = submit.then(|| actor.today());
        let (by, at) = (actor.staff.id, actor.stamp());
        let fen = text.expected_revenue;
        match current {
            None => tx
                .row(
                    "INSERT INTO marketing_plan (customer_id, period_first, period_last, goals, measures, \
                     expected_revenue, notes, status, author_id, submitted_on, created_by, created_at, \
                     updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?11, ?9, ?11) \
                     RETURNING id",
                    args![
                        customer,
                        period.first,
                        period.last,
                        text.goals,
                        text.measures,
                        fen,
                        text.notes,
                        status.code(),
                        by,
                        submitted_on,
                        at
                    ],
                    |r| r.get(0),
                )
                .map_err(constraint_as_invalid),
            Some(plan) => {
                if !plan.status.is_editable() {
                    return Err(DbError::Invalid(Invalid::Plan(PlanProblem::NotEditable)));
                }
                // A plan sent back stays so until it is handed in again.
                let status = if submit { PlanStatus::Submitted } else { plan.status };
                tx.exec(
                    "UPDATE marketing_plan SET goals = ?1, measures = ?2, expected_revenue = ?3, notes = ?4, \
                     status = ?5, submitted_on = coalesce(?6, submitted_on), author_id = ?7, updated_by = ?7, \
                     updated_at = ?8, version = version + 1 WHERE id = ?9",
                    args![text.goals, text.measures, fen, text.notes, status.code(), submitted_on, by, at, plan.id],
                )
                .map_err(constraint_as_invalid)?;
                Ok(plan.id)
            }
        }
    })
}

/// The supervisor's review of a submitted plan: `send_back` returns it to
/// its author with `comment` as the reason (required); otherwise it is
/// reviewed, with `comment` (may be empty). `expected` is the version seen.
pub fn review(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    expected: i64,
    send_back: bool,
    comment: &str,
) -> Result<(), DbError> {
    let comment = crate::domain::validate::sanitize_text(comment.trim());
    if send_back && comment.is_empty() {
        return Err(DbError::Invalid(Invalid::Plan(PlanProblem::NoReason)));
    }
    store.write(|tx| {
        let plan = load(tx, id)?;
        may_decide_for_customer(tx, actor, &plan.customer_id)?;
        if plan.version != expected {
            return Err(conflict(&plan));
        }
        if plan.status != PlanStatus::Submitted {
            return Err(DbError::Invalid(Invalid::Plan(PlanProblem::NotSubmitted)));
        }
        let status = if send_back { PlanStatus::Returned } else { PlanStatus::Reviewed };
        let (by, at) = (actor.staff.id, actor.stamp());
        tx.exec(
            "UPDATE marketing_plan SET status = ?1, review_comment = ?2, reviewed_by = ?3, reviewed_at = ?4, \
             updated_by = ?3, updated_at = ?4, version = version + 1 WHERE id = ?5",
            args![status.code(), comment, by, at, id],
        )
        .map_err(constraint_as_invalid)?;
        Ok(())
    })
}

/// Whose plans a list shows: a manager's customers (A), or a unit's with
/// the units below it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanScope {
    Manager(i64),
    Unit(i64),
    All,
}

impl PlanScope {
    /// Today's scope for `staff`: a manager their own customers (A); a
    /// supervisor their unit and below; the administrator and leaders all.
    pub fn of(staff: &Staff) -> PlanScope {
        match staff.role {
            Role::Manager => PlanScope::Manager(staff.id),
            Role::Supervisor => PlanScope::Unit(staff.unit_id),
            Role::Admin | Role::Leader => PlanScope::All,
        }
    }

    /// The condition on `c` (customer) and the argument it takes as ?1.
    fn condition(self) -> (&'static str, i64) {
        match self {
            PlanScope::Manager(id) => ("c.owner_a = ?1", id),
            PlanScope::Unit(unit) => (
                "c.unit_id IN (WITH RECURSIVE down(id, depth) AS (SELECT CAST(?1 AS bigint), 0 UNION \
                 SELECT u.id, down.depth + 1 FROM org_unit u JOIN down ON u.parent_id = down.id \
                 WHERE down.depth < 32) SELECT id FROM down)",
                unit,
            ),
            PlanScope::All => ("?1 = ?1", 0),
        }
    }
}

/// The scope's key customers (approved, not archived) with their tiers, at
/// most `limit`, by id; and the plans submitted now whose period ends on or
/// after `since`: (customer, period's first day, submitted on).
#[allow(clippy::type_complexity)]
pub fn standing_inputs(
    conn: &Conn,
    scope: PlanScope,
    since: NaiveDate,
    limit: u64,
) -> Result<(Vec<(CustomerId, String, Tier)>, Vec<(CustomerId, NaiveDate, NaiveDate)>), DbError> {
    let (cond, arg) = scope.condition();
    let customers = conn.rows(
        &format!(
            "SELECT c.id, c.short_name, c.tier FROM customer c WHERE c.archived = 0 AND \
             c.registration = 'approved' AND {cond} ORDER BY c.id LIMIT ?2"
        ),
        args![arg, limit],
        |r| Ok((r.get(0)?, r.get(1)?, Tier::from_code(r.text(2)?).unwrap_or(Tier::General))),
    )?;
    let submitted = conn.rows(
        &format!(
            "SELECT p.customer_id, p.period_first, p.submitted_on FROM marketing_plan p \
             JOIN customer c ON c.id = p.customer_id \
             WHERE p.status IN ('submitted', 'reviewed') AND p.period_last >= ?2 AND {cond} \
             AND c.archived = 0 AND p.submitted_on IS NOT NULL"
        ),
        args![arg, since],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok((customers, submitted))
}

/// The manager's submitted plans (their customers, A) whose period ends
/// between `from` and `to`: (customer, period's first day, submitted on).
pub fn submitted_of_manager(
    conn: &Conn,
    manager: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(CustomerId, NaiveDate, NaiveDate)>, DbError> {
    conn.rows(
        "SELECT p.customer_id, p.period_first, p.submitted_on FROM marketing_plan p \
         JOIN customer c ON c.id = p.customer_id \
         WHERE c.owner_a = ?1 AND p.period_last BETWEEN ?2 AND ?3 \
         AND p.status IN ('submitted', 'reviewed') AND p.submitted_on IS NOT NULL",
        args![manager, from, to],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
}

/// Plans waiting for a review that `viewer` may give (submitted, of the
/// customers of the units they decide for), oldest submission first, at most `limit`.
pub fn waiting_review(conn: &Conn, viewer: &Staff, limit: u64) -> Result<Vec<Plan>, DbError> {
    let scope = match viewer.role {
        Role::Supervisor => PlanScope::Unit(viewer.unit_id),
        Role::Admin => PlanScope::All,
        Role::Manager | Role::Leader => return Ok(Vec::new()),
    };
    let (cond, arg) = scope.condition();
    let sql =
        format!("SELECT {COLUMNS} WHERE p.status = 'submitted' AND {cond} ORDER BY p.submitted_on, p.id LIMIT ?2");
    conn.rows(&sql, args![arg, limit], from_row)
}

/// A unit's yearly service plan text as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePlanText {
    pub body: String,
    pub written_by: String,
    pub written_at: NaiveDateTime,
    pub version: i64,
}

/// The unit's service plan text for the year, if written.
pub fn service_plan_text(conn: &Conn, unit: i64, year: i32) -> Result<Option<ServicePlanText>, DbError> {
    conn.row(
        "SELECT p.body, coalesce(s.name, ''), p.written_at, p.version FROM service_plan p \
             LEFT JOIN staff s ON s.id = p.written_by WHERE p.unit_id = ?1 AND p.year = ?2",
        args![unit, year],
        |r| {
            Ok(ServicePlanText {
                body: r.get(0)?,
                written_by: r.get(1)?,
                written_at: r.get::<Civil>(2)?.0,
                version: r.get(3)?,
            })
        },
    )
    .optional()
}

/// Writes the unit's service plan text for the year: whoever decides for
/// the unit. `expected` is the version seen (`None`: none written yet).
pub fn set_service_plan(
    store: &mut Store,
    actor: &Actor,
    unit: i64,
    year: i32,
    body: &str,
    expected: Option<i64>,
) -> Result<i64, DbError> {
    let body = crate::domain::validate::sanitize_text(body.trim());
    store.write(|tx| {
        may_decide_for_unit(tx, actor, unit)?;
        let current = service_plan_text(tx, unit, year)?;
        if current.as_ref().map(|p| p.version) != expected {
            return Err(DbError::Conflict(Box::new(Conflict {
                current_version: current.as_ref().map_or(0, |p| p.version),
                changed_by: current.as_ref().map(|p| p.written_by.clone()).unwrap_or_default(),
                changed_at: current.map(|p| p.written_at.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                changes: Vec::new(),
            })));
        }
        let (by, at) = (actor.staff.id, actor.stamp());
        match expected {
            None => {
                tx.exec(
                    "INSERT INTO service_plan (unit_id, year, body, written_by, written_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    args![unit, year, body, by, at],
                )
                .map_err(constraint_as_invalid)?;
                Ok(1)
            }
            Some(version) => {
                tx.exec(
                    "UPDATE service_plan SET body = ?1, written_by = ?2, written_at = ?3, version = version + 1 \
                     WHERE unit_id = ?4 AND year = ?5",
                    args![body, by, at, unit, year],
                )
                .map_err(constraint_as_invalid)?;
                Ok(version + 1)
            }
        }
    })
}

/// A unit's customers ranked by the year's revenue: (id, short name, revenue, tier).
pub type RankedRevenue = Vec<(CustomerId, String, Money, Tier)>;

/// The unit's key customers (the unit and below, approved, not archived)
/// with their revenue in `year` and their tier: what the service plan rule
/// ranks. Summed by the database; only customers with revenue, the largest
/// first, at most `limit` (the rule needs the top ten and the count over a
/// million, which `large` gives).
pub fn unit_year_revenue(conn: &Conn, unit: i64, year: i32, limit: u64) -> Result<(RankedRevenue, u32), DbError> {
    let (cond, arg) = PlanScope::Unit(unit).condition();
    let (from, to) = (year * 100 + 1, year * 100 + 12);
    let rows = conn.rows(
        &format!(
            "SELECT c.id, c.short_name, sum(r.amount) AS total, c.tier FROM customer c \
             JOIN revenue_month r ON r.customer_id = c.id AND r.month BETWEEN ?2 AND ?3 \
             WHERE c.archived = 0 AND c.registration = 'approved' AND {cond} \
             GROUP BY c.id, c.short_name, c.tier HAVING sum(r.amount) > 0 ORDER BY total DESC, c.id LIMIT ?4"
        ),
        args![arg, from, to, limit],
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<Money>(2)?, Tier::from_code(r.text(3)?).unwrap_or(Tier::General))),
    )?;
    let million_fen = crate::domain::plan::million().to_fen();
    let large: i64 = conn.row(
        &format!(
            "SELECT count(*) FROM (SELECT c.id FROM customer c \
             JOIN revenue_month r ON r.customer_id = c.id AND r.month BETWEEN ?2 AND ?3 \
             WHERE c.archived = 0 AND c.registration = 'approved' AND {cond} \
             GROUP BY c.id HAVING sum(r.amount) >= ?4) big"
        ),
        args![arg, from, to, million_fen],
        |r| r.get(0),
    )?;
    Ok((rows, u32::try_from(large).unwrap_or(u32::MAX)))
}
