//! The development pipeline (SPEC §13.5–13.6) in storage: a unit's industry
//! ranking table (分类排序表) and where each prospect stands in the six
//! steps. The rules (deadlines, overdue, who moves which step, the first
//! agreement) are `domain::pipeline`'s; this module stores and reads.
//!
//! A prospect is a customer registered and approved (SPEC §2.3) that is not
//! yet signed: its account manager starts it at the survey. Access: the
//! account manager's steps (1, 2, 5, 6) are moved by whoever edits the
//! customer ([`may_edit_customer`]); the director's steps (3, 4) by whoever
//! decides for the customer's unit ([`may_decide_for_customer`]). The
//! ranking table is written by whoever decides for the unit. Nothing is
//! deleted: a prospect leaves the pipeline closed (converted by its first
//! agreement, or dropped); an industry is archived. Every change is in the
//! history.

use chrono::NaiveDate;

use super::access::{may_decide_for_customer, may_decide_for_unit, may_edit_customer};
use super::error::constraint_as_invalid;
use super::sql::{Optional, Row, Sql, args};
use super::{Actor, Conflict, Conn, DbError, Invalid, Store, Tx};
use crate::domain::id::CustomerId;
use crate::domain::money::Money;
use crate::domain::pipeline::{Conversion, Step, days_overdue, is_overdue, may_move, on_first_agreement};

/// Why a pipeline write is refused by the pipeline's own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PipelineProblem {
    /// Only a registered and approved customer is developed (SPEC §2.3).
    #[error("the customer is not registered and approved")]
    NotRegistered,
    /// The customer already stands in the pipeline (or left it).
    #[error("the customer is already in the pipeline")]
    AlreadyStarted,
    /// The customer is signed already: a key customer, no prospect.
    #[error("the customer is signed already")]
    AlreadySigned,
    /// Not in the pipeline, or closed.
    #[error("the customer is not in the pipeline")]
    NotInPipeline,
    /// The expansion is the last step: the first agreement ends it.
    #[error("the expansion ends with the first agreement")]
    LastStep,
    /// An industry needs a name, a rank from 1 and a weight 0–100.
    #[error("an industry needs a name, a rank from 1 and a weight from 0 to 100")]
    BadIndustry,
}

fn problem(p: PipelineProblem) -> DbError {
    DbError::Invalid(Invalid::Pipeline(p))
}

/// One line of a unit's ranking table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IndustryText {
    pub industry: String,
    pub rank: i64,
    pub weight: i64,
    pub notes: String,
    pub archived: bool,
}

/// A stored ranking line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndustryRank {
    pub id: i64,
    pub unit_id: i64,
    pub text: IndustryText,
    pub version: i64,
}

/// A unit's ranking table in rank order (archived lines only when asked).
pub fn industries(conn: &Conn, unit: i64, with_archived: bool) -> Result<Vec<IndustryRank>, DbError> {
    conn.rows(
        "SELECT id, unit_id, industry, rank, weight, notes, archived, version FROM industry_rank \
         WHERE unit_id = ?1 AND (archived = 0 OR ?2 = 1) ORDER BY rank, industry",
        args![unit, i64::from(with_archived)],
        |r| {
            Ok(IndustryRank {
                id: r.get(0)?,
                unit_id: r.get(1)?,
                text: IndustryText {
                    industry: r.get(2)?,
                    rank: r.get(3)?,
                    weight: r.get(4)?,
                    notes: r.get(5)?,
                    archived: r.get::<i64>(6)? != 0,
                },
                version: r.get(7)?,
            })
        },
    )
}

/// Writes a line of `unit`'s ranking table: a new one when `current` is
/// `None`, else the stored line `(id, version)`. Archiving is writing it
/// with `archived`. Returns the line's id.
pub fn save_industry(
    store: &mut Store,
    actor: &Actor,
    unit: i64,
    text: &IndustryText,
    current: Option<(i64, i64)>,
) -> Result<i64, DbError> {
    let industry = crate::domain::validate::sanitize_text(text.industry.trim());
    let notes = crate::domain::validate::sanitize_text(text.notes.trim());
    if industry.is_empty() || text.rank < 1 || !(0..=100).contains(&text.weight) {
        return Err(problem(PipelineProblem::BadIndustry));
    }
    let archived = i64::from(text.archived);
    store.write(|tx| {
        may_decide_for_unit(tx, actor, unit)?;
        let (by, at) = (actor.staff.id, actor.stamp());
        match current {
            None => tx
                .row(
                    "INSERT INTO industry_rank (unit_id, industry, rank, weight, notes, archived, updated_by, \
                     updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
                    args![unit, industry, text.rank, text.weight, notes, archived, by, at],
                    |r| r.get(0),
                )
                .map_err(constraint_as_invalid),
            Some((id, version)) => {
                let n = tx
                    .exec(
                        "UPDATE industry_rank SET industry = ?1, rank = ?2, weight = ?3, notes = ?4, archived = ?5, \
                         version = version + 1, updated_by = ?6, updated_at = ?7 \
                         WHERE id = ?8 AND unit_id = ?9 AND version = ?10",
                        args![industry, text.rank, text.weight, notes, archived, by, at, id, unit, version],
                    )
                    .map_err(constraint_as_invalid)?;
                if n == 0 {
                    return Err(stale(tx, "SELECT version FROM industry_rank WHERE id = ?1", &id.to_string()));
                }
                Ok(id)
            }
        }
    })
}

fn stale(conn: &Conn, sql: &str, key: &str) -> DbError {
    match conn.row(sql, args![key], |r| r.get::<i64>(0)).optional() {
        Ok(Some(v)) => DbError::Conflict(Box::new(Conflict {
            current_version: v,
            changed_by: String::new(),
            changed_at: String::new(),
            changes: Vec::new(),
        })),
        Ok(None) => DbError::NotFound,
        Err(e) => e,
    }
}

/// Where a prospect stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prospect {
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub owner: String,
    pub unit_id: i64,
    pub step: Step,
    pub started_on: NaiveDate,
    pub due_on: NaiveDate,
    pub industry: Option<String>,
    pub expected_revenue: Option<Money>,
    pub closed: Option<String>,
    pub version: i64,
}

impl Prospect {
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.closed.is_none() && is_overdue(self.due_on, today)
    }
    pub fn days_overdue(&self, today: NaiveDate) -> i64 {
        if self.closed.is_some() { 0 } else { days_overdue(self.due_on, today) }
    }
}

const COLUMNS: &str = "p.customer_id, c.short_name, coalesce(o.name, ''), c.unit_id, p.step, p.started_on, \
     p.due_on, i.industry, p.expected_revenue, p.closed, p.version \
     FROM prospect_step p JOIN customer c ON c.id = p.customer_id LEFT JOIN staff o ON o.id = c.owner_a \
     LEFT JOIN industry_rank i ON i.id = p.industry_id";

fn from_row(r: &Row<'_>) -> Result<Prospect, DbError> {
    Ok(Prospect {
        customer_id: r.get(0)?,
        customer_name: r.get(1)?,
        owner: r.get(2)?,
        unit_id: r.get(3)?,
        step: Step::from_code(r.text(4)?).unwrap_or(Step::Survey),
        started_on: r.get(5)?,
        due_on: r.get(6)?,
        industry: r.get(7)?,
        expected_revenue: r.get::<Option<Money>>(8)?,
        closed: r.get(9)?,
        version: r.get(10)?,
    })
}

/// The customer's place in the pipeline, if it was ever started.
pub fn load(conn: &Conn, customer: &CustomerId) -> Result<Option<Prospect>, DbError> {
    let sql = format!("SELECT {COLUMNS} WHERE p.customer_id = ?1");
    conn.row(&sql, args![customer], from_row).optional()
}

/// Starts a registered, approved, unsigned customer at the survey on
/// `started_on`, from an industry of the ranking table, with the revenue
/// expected of it.
pub fn start(
    store: &mut Store,
    actor: &Actor,
    customer: &CustomerId,
    started_on: NaiveDate,
    industry: Option<i64>,
    expected_revenue: Option<Money>,
) -> Result<(), DbError> {
    store.write(|tx| {
        may_edit_customer(tx, actor, customer)?;
        let (registration, stage): (String, String) =
            tx.row("SELECT registration, stage FROM customer WHERE id = ?1", args![customer], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?;
        if registration != "approved" {
            return Err(problem(PipelineProblem::NotRegistered));
        }
        if matches!(stage.as_str(), "signed" | "maintained") {
            return Err(problem(PipelineProblem::AlreadySigned));
        }
        if load(tx, customer)?.is_some() {
            return Err(problem(PipelineProblem::AlreadyStarted));
        }
        let step = Step::Survey;
        tx.exec(
            "INSERT INTO prospect_step (customer_id, step, started_on, due_on, industry_id, expected_revenue, \
             moved_by, moved_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            args![
                customer,
                step.code(),
                started_on,
                step.due(started_on),
                industry,
                expected_revenue,
                actor.staff.id,
                actor.stamp()
            ],
        )
        .map_err(constraint_as_invalid)?;
        Ok(())
    })
}

fn open_prospect(tx: &Conn, customer: &CustomerId, version: i64) -> Result<Prospect, DbError> {
    let p = load(tx, customer)?.ok_or(problem(PipelineProblem::NotInPipeline))?;
    if p.closed.is_some() {
        return Err(problem(PipelineProblem::NotInPipeline));
    }
    if p.version != version {
        return Err(DbError::Conflict(Box::new(Conflict {
            current_version: p.version,
            changed_by: String::new(),
            changed_at: String::new(),
            changes: Vec::new(),
        })));
    }
    Ok(p)
}

/// Refuses unless `actor` may move a prospect standing at `step`.
fn may_move_from(tx: &Conn, actor: &Actor, customer: &CustomerId, step: Step) -> Result<(), DbError> {
    use crate::domain::pipeline::StepOwner;
    match step.owner() {
        StepOwner::AccountManager => may_edit_customer(tx, actor, customer)?,
        StepOwner::Director => may_decide_for_customer(tx, actor, customer)?,
    }
    debug_assert!(may_move(step, step.owner() == StepOwner::AccountManager, step.owner() == StepOwner::Director));
    Ok(())
}

/// Moves the prospect (stored at `version`) into its next step, started
/// `on` and due by the step's days. Returns the new step.
pub fn advance(
    store: &mut Store,
    actor: &Actor,
    customer: &CustomerId,
    version: i64,
    on: NaiveDate,
) -> Result<Step, DbError> {
    store.write(|tx| {
        let p = open_prospect(tx, customer, version)?;
        may_move_from(tx, actor, customer, p.step)?;
        let next = p.step.next().ok_or(problem(PipelineProblem::LastStep))?;
        tx.exec(
            "UPDATE prospect_step SET step = ?1, started_on = ?2, due_on = ?3, version = version + 1, \
             moved_by = ?4, moved_at = ?5 WHERE customer_id = ?6",
            args![next.code(), on, next.due(on), actor.staff.id, actor.stamp(), customer],
        )?;
        Ok(next)
    })
}

/// Gives the prospect up (closed 'dropped'; kept with its history).
pub fn drop_prospect(store: &mut Store, actor: &Actor, customer: &CustomerId, version: i64) -> Result<(), DbError> {
    store.write(|tx| {
        let p = open_prospect(tx, customer, version)?;
        may_move_from(tx, actor, customer, p.step)?;
        tx.exec(
            "UPDATE prospect_step SET closed = 'dropped', closed_on = ?1, version = version + 1, moved_by = ?2, \
             moved_at = ?3 WHERE customer_id = ?4",
            args![actor.today(), actor.staff.id, actor.stamp(), customer],
        )?;
        Ok(())
    })
}

/// In the transaction that signs an agreement (`contracts::sign`; asks
/// [`super::contracts::may_keep`], as signing does) of `customer` on `signed_on`:
/// when it is the customer's first and the customer stands in the
/// pipeline, closes it 'converted' (a key customer now). `agreements_before`
/// counts the customer's agreements signed before this one.
pub fn convert_in(
    tx: &Tx<'_>,
    actor: &Actor,
    customer: &CustomerId,
    signed_on: NaiveDate,
    agreements_before: u32,
) -> Result<Option<Conversion>, DbError> {
    super::contracts::may_keep(tx, actor, customer)?;
    let Some(p) = load(tx, customer)? else { return Ok(None) };
    if p.closed.is_some() {
        return Ok(None);
    }
    let Some(c) = on_first_agreement(p.step, agreements_before) else { return Ok(None) };
    tx.exec(
        "UPDATE prospect_step SET closed = 'converted', closed_on = ?1, version = version + 1, moved_by = ?2, \
         moved_at = ?3 WHERE customer_id = ?4",
        args![signed_on, actor.staff.id, actor.stamp(), customer],
    )?;
    Ok(Some(c))
}

/// Whose pipeline to count: a unit's, or one account manager's (owner A).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PipelineScope {
    Unit(i64),
    Manager(i64),
}

/// One step's line of the pipeline view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepCount {
    pub step: Step,
    pub count: i64,
    pub overdue: i64,
    pub expected_revenue: Money,
}

fn scope_sql(scope: PipelineScope) -> (&'static str, i64) {
    match scope {
        PipelineScope::Unit(u) => ("c.unit_id = ?1", u),
        PipelineScope::Manager(m) => ("c.owner_a = ?1", m),
    }
}

/// The open prospects of `scope` by step: how many, how many overdue on
/// `today`, and the revenue expected of them; every step, in order.
pub fn counts(conn: &Conn, scope: PipelineScope, today: NaiveDate) -> Result<Vec<StepCount>, DbError> {
    let (filter, key) = scope_sql(scope);
    let sql = format!(
        "SELECT p.step, count(*), sum(CASE WHEN p.due_on < ?2 THEN 1 ELSE 0 END), \
         coalesce(sum(p.expected_revenue), 0) FROM prospect_step p JOIN customer c ON c.id = p.customer_id \
         WHERE p.closed IS NULL AND {filter} GROUP BY p.step"
    );
    let found: Vec<(String, i64, i64, Money)> =
        conn.rows(&sql, args![key, today], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(Step::ALL
        .iter()
        .map(|&step| {
            let hit = found.iter().find(|f| f.0 == step.code());
            StepCount {
                step,
                count: hit.map_or(0, |h| h.1),
                overdue: hit.map_or(0, |h| h.2),
                expected_revenue: hit.map_or(Money::ZERO, |h| h.3),
            }
        })
        .collect())
}

/// The open prospects of `scope` overdue on `today`, longest overdue
/// first, at most `limit`.
pub fn overdue(conn: &Conn, scope: PipelineScope, today: NaiveDate, limit: u64) -> Result<Vec<Prospect>, DbError> {
    let (filter, key) = scope_sql(scope);
    let sql = format!(
        "SELECT {COLUMNS} WHERE p.closed IS NULL AND p.due_on < ?2 AND {filter} \
         ORDER BY p.due_on, p.customer_id LIMIT ?3"
    );
    conn.rows(&sql, args![key, today, limit], from_row)
}

/// How many open prospects of `scope` are overdue on `today` (Today's count
/// when its section was cut at its limit).
pub fn overdue_count(conn: &Conn, scope: PipelineScope, today: NaiveDate) -> Result<u64, DbError> {
    let (filter, key) = scope_sql(scope);
    let sql = format!(
        "SELECT count(*) FROM prospect_step p JOIN customer c ON c.id = p.customer_id \
         WHERE p.closed IS NULL AND p.due_on < ?2 AND {filter}"
    );
    conn.row(&sql, args![key, today], |r| r.get(0))
}

/// Which open prospects a page of the pipeline screen shows: whose, and at
/// which step (all steps when `None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProspectFilter {
    pub scope: PipelineScope,
    pub step: Option<Step>,
}

impl ProspectFilter {
    /// The WHERE clause (scope in ?1, step code in ?2) and its arguments.
    fn clause(&self) -> (String, i64, String) {
        let (filter, key) = scope_sql(self.scope);
        let step = self.step.map(|s| s.code().to_string()).unwrap_or_default();
        (format!("p.closed IS NULL AND {filter} AND (?2 = '' OR p.step = ?2)"), key, step)
    }
}

/// One page of the open prospects of `filter`, the soonest due first (the
/// longest overdue at the top): `limit` rows from `offset`.
pub fn page(conn: &Conn, filter: &ProspectFilter, offset: u64, limit: u64) -> Result<Vec<Prospect>, DbError> {
    let (clause, key, step) = filter.clause();
    let sql = format!("SELECT {COLUMNS} WHERE {clause} ORDER BY p.due_on, p.customer_id LIMIT ?3 OFFSET ?4");
    conn.rows(&sql, args![key, step, limit, offset], from_row)
}

/// How many open prospects `filter` finds.
pub fn count(conn: &Conn, filter: &ProspectFilter) -> Result<u64, DbError> {
    let (clause, key, step) = filter.clause();
    let sql = format!("SELECT count(*) FROM prospect_step p JOIN customer c ON c.id = p.customer_id WHERE {clause}");
    conn.row(&sql, args![key, step], |r| r.get(0))
}
