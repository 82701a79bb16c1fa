//! Revenue by period (SPEC §7, issue 16): the figures of a range of months for
//! a unit (with the units below it) against the same months a year earlier,
//! and the revenue known only as a total of several months (未分月).
//!
//! The sums are the database's: each customer's months come from the
//! `revenue_month` totals through their primary key, its period totals from
//! `revenue_period`'s, and the totals over the customers are grouped in the
//! same statement. Rows are handed over one at a time (a report writes them
//! straight to its file); nothing holds a ledger.

use super::access::may_edit_customer;
use super::analysis::{AnalysisScope, scope_condition};
use super::engine::Value;
use super::error::constraint_as_invalid;
use super::sql::{Optional, Sql, ToValue, args};
use super::{Actor, Conn, DbError, Invalid, Tx};
use crate::domain::id::CustomerId;
use crate::domain::money::Money;
use crate::domain::period::{Compared, Period, UnitPeriodRevenue, unit_revenue_for_period};
use crate::domain::revenue::{CustomerStatus, Month};
use crate::domain::tier::Tier;

/// A customer's revenue on one service line known only for a period of months.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodEntry {
    pub customer_id: CustomerId,
    pub period: Period,
    pub service_line_id: i64,
    pub amount: Money,
}

/// Why a period cannot hold a total: kam keeps totals of two to twelve months
/// of one calendar year (one month is the ledger's own).
pub fn check_period(period: Period) -> Result<(), DbError> {
    if period.len() < 2 || !period.in_one_year() {
        return Err(DbError::Invalid(Invalid::PeriodShape(period)));
    }
    Ok(())
}

/// A month of the ledger with revenue (not zero) inside `period`, for this customer.
pub fn month_inside(conn: &Conn, customer: &CustomerId, period: Period) -> Result<Option<Month>, DbError> {
    let key: Option<i64> = conn.row(
        "SELECT min(month) FROM revenue_month WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3 AND amount <> 0",
        args![customer, period.first().key(), period.last().key()],
        |r| r.get(0),
    )?;
    Ok(key.and_then(Month::from_key))
}

/// Whether this customer has any period total (not zero) at all: most have
/// none, and then no month of theirs needs [`total_overlapping`].
pub fn has_period_totals(conn: &Conn, customer: &CustomerId) -> Result<bool, DbError> {
    conn.row(
        "SELECT EXISTS (SELECT 1 FROM revenue_period WHERE customer_id = ?1 AND amount <> 0)",
        args![customer],
        |r| r.get(0),
    )
}

/// A period total (not zero) of this customer sharing a month with `period`,
/// other than one of exactly that period.
pub fn total_overlapping(
    conn: &Conn,
    customer: &CustomerId,
    period: Period,
    same_too: bool,
) -> Result<Option<Period>, DbError> {
    let found: Option<(i64, i64)> = conn
        .row(
            "SELECT first_month, last_month FROM revenue_period WHERE customer_id = ?1 AND first_month <= ?3 \
             AND last_month >= ?2 AND amount <> 0 AND (?4 = 1 OR first_month <> ?2 OR last_month <> ?3) \
             ORDER BY first_month LIMIT 1",
            args![customer, period.first().key(), period.last().key(), i64::from(same_too)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(found.and_then(|(a, b)| Period::new(Month::from_key(a)?, Month::from_key(b)?)))
}

/// Writes period totals within an open transaction: new ones inserted, changed
/// ones updated (the history trigger records old and new). Refused unless
/// `actor` may edit every customer named, and refused as a double count when
/// the customer has revenue entered for a month of the period, or another
/// period total sharing a month with it.
pub fn write_period_entries_in(
    tx: &Tx<'_>,
    actor: &Actor,
    entries: &[PeriodEntry],
) -> Result<super::revenue::WriteCounts, DbError> {
    const READ: &str = "SELECT amount FROM revenue_period WHERE customer_id = ?1 AND first_month = ?2 \
         AND last_month = ?3 AND service_line_id = ?4";
    const INSERT: &str = "INSERT INTO revenue_period (customer_id, first_month, last_month, service_line_id, amount, \
         created_by, created_at, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)";
    const UPDATE: &str = "UPDATE revenue_period SET amount = ?5, updated_by = ?6, updated_at = ?7 \
         WHERE customer_id = ?1 AND first_month = ?2 AND last_month = ?3 AND service_line_id = ?4";
    let mut counts = super::revenue::WriteCounts::default();
    let stamp = actor.stamp();
    for e in entries {
        check_period(e.period)?;
        may_edit_customer(tx, actor, &e.customer_id)?;
        if e.amount.to_fen() != 0 {
            if let Some(month) = month_inside(tx, &e.customer_id, e.period)? {
                return Err(double_count(&e.customer_id, month, e.period));
            }
            if let Some(other) = total_overlapping(tx, &e.customer_id, e.period, false)? {
                return Err(DbError::Invalid(Invalid::PeriodOverlap {
                    customer: e.customer_id.clone(),
                    period: e.period,
                    other,
                }));
            }
        }
        let (first, last) = (e.period.first().key(), e.period.last().key());
        let (customer, line, by) = (&e.customer_id, e.service_line_id, actor.staff.id);
        let old: Option<Money> = tx.row(READ, args![customer, first, last, line], |r| r.get(0)).optional()?;
        match old {
            None => {
                tx.exec(INSERT, args![customer, first, last, line, e.amount, by, stamp])
                    .map_err(constraint_as_invalid)?;
                counts.inserted += 1;
            }
            Some(old) if old.to_fen() == e.amount.to_fen() => counts.unchanged += 1,
            Some(_) => {
                tx.exec(UPDATE, args![customer, first, last, line, e.amount, by, stamp])
                    .map_err(constraint_as_invalid)?;
                counts.updated += 1;
            }
        }
    }
    Ok(counts)
}

pub(crate) fn double_count(customer: &CustomerId, month: Month, period: Period) -> DbError {
    DbError::Invalid(Invalid::DoubleCount { customer: customer.clone(), month, period })
}

/// A customer's period totals: (period, service line id, amount), oldest first.
pub fn customer_totals(conn: &Conn, customer: &CustomerId) -> Result<Vec<(Period, i64, Money)>, DbError> {
    let rows = conn.rows(
        "SELECT first_month, last_month, service_line_id, amount FROM revenue_period WHERE customer_id = ?1 \
         ORDER BY first_month, last_month, service_line_id",
        args![customer],
        |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<i64>(2)?, r.get::<Money>(3)?)),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|(a, b, line, amount)| Some((Period::new(Month::from_key(a)?, Month::from_key(b)?)?, line, amount)))
        .collect())
}

/// Enters a unit's own revenue for a period of months (two or more of one year).
pub fn set_unit_period_revenue_in(
    tx: &Tx<'_>,
    actor: &Actor,
    unit: i64,
    period: Period,
    amount: Money,
) -> Result<(), DbError> {
    check_period(period)?;
    actor.staff.may_keep_records()?;
    super::access::may_decide_for_unit(tx, actor, unit)?;
    if amount.to_fen() != 0 {
        if let Some(month) = unit_month_inside(tx, unit, period)? {
            return Err(unit_double_count(tx, unit, month, period));
        }
        if let Some(other) = unit_total_overlapping(tx, unit, period, false)? {
            let unit = unit_code(tx, unit)?;
            return Err(DbError::Invalid(Invalid::UnitPeriodOverlap { unit, period, other }));
        }
    }
    tx.exec(
        "INSERT INTO unit_revenue_period (unit_id, first_month, last_month, amount, updated_by, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (unit_id, first_month, last_month) DO UPDATE SET \
         amount = excluded.amount, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        args![unit, period.first().key(), period.last().key(), amount, actor.staff.id, actor.stamp()],
    )
    .map_err(constraint_as_invalid)?;
    Ok(())
}

/// A month of the unit's own revenue (not zero) inside `period`.
pub fn unit_month_inside(conn: &Conn, unit: i64, period: Period) -> Result<Option<Month>, DbError> {
    let found: Option<(i32, u32)> = conn
        .row(
            "SELECT year, month FROM unit_revenue WHERE unit_id = ?1 AND month <> 0 AND amount <> 0 \
             AND year * 100 + month BETWEEN ?2 AND ?3 ORDER BY year, month LIMIT 1",
            args![unit, period.first().key(), period.last().key()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(found.and_then(|(y, m)| Month::new(y, m)))
}

/// A period total (not zero) of the unit sharing a month with `period`, other
/// than one of exactly that period unless `same_too`.
pub fn unit_total_overlapping(
    conn: &Conn,
    unit: i64,
    period: Period,
    same_too: bool,
) -> Result<Option<Period>, DbError> {
    let found: Option<(i64, i64)> = conn
        .row(
            "SELECT first_month, last_month FROM unit_revenue_period WHERE unit_id = ?1 AND first_month <= ?3 \
             AND last_month >= ?2 AND amount <> 0 AND (?4 = 1 OR first_month <> ?2 OR last_month <> ?3) \
             ORDER BY first_month LIMIT 1",
            args![unit, period.first().key(), period.last().key(), i64::from(same_too)],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(found.and_then(|(a, b)| Period::new(Month::from_key(a)?, Month::from_key(b)?)))
}

fn unit_code(conn: &Conn, unit: i64) -> Result<String, DbError> {
    conn.row("SELECT code FROM org_unit WHERE id = ?1", args![unit], |r| r.get(0))
}

/// A unit's month inside one of its period totals: counted twice.
pub(crate) fn unit_double_count(conn: &Conn, unit: i64, month: Month, period: Period) -> DbError {
    match unit_code(conn, unit) {
        Ok(unit) => DbError::Invalid(Invalid::UnitDoubleCount { unit, month, period }),
        Err(e) => e,
    }
}

/// A unit's period totals, oldest first.
pub fn unit_period_totals(conn: &Conn, unit: i64) -> Result<Vec<(Period, Money)>, DbError> {
    let rows = conn.rows(
        "SELECT first_month, last_month, amount FROM unit_revenue_period WHERE unit_id = ?1 ORDER BY first_month, last_month",
        args![unit],
        |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<Money>(2)?)),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|(a, b, amount)| Some((Period::new(Month::from_key(a)?, Month::from_key(b)?)?, amount)))
        .collect())
}

/// The unit revenue a scope divides by for `period`: the unit's own, or for
/// everyone the top units' added up (unknown if any one is).
pub fn scope_unit_revenue(conn: &Conn, scope: AnalysisScope, period: Period) -> Result<UnitPeriodRevenue, DbError> {
    let units: Vec<i64> = match scope {
        AnalysisScope::Unit(unit) => vec![unit],
        AnalysisScope::All => {
            conn.rows("SELECT id FROM org_unit WHERE parent_id IS NULL AND archived = 0", args![], |r| r.get(0))?
        }
    };
    let mut total = rust_decimal::Decimal::ZERO;
    let mut any = false;
    for unit in units {
        let (monthly, yearly) = super::revenue::unit_figures(conn, unit)?;
        let totals = unit_period_totals(conn, unit)?;
        if monthly.is_empty() && yearly.is_empty() && totals.is_empty() && scope == AnalysisScope::All {
            // A top unit that never entered anything (a new office) leaves the sum to the others.
            continue;
        }
        match unit_revenue_for_period(period, &monthly, &totals, &yearly) {
            UnitPeriodRevenue::Known(m) => {
                total += m.yuan();
                any = true;
            }
            other => return Ok(other),
        }
    }
    Ok(if any { UnitPeriodRevenue::Known(Money(total)) } else { UnitPeriodRevenue::Missing(period.first()) })
}

/// One customer's line of the period report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodRow {
    pub id: CustomerId,
    pub short_name: String,
    pub tier: Tier,
    pub status: CustomerStatus,
    pub owner_a: i64,
    /// This period (None when a period total cuts through it) and the same
    /// period last year (likewise).
    pub current: Option<Money>,
    pub last_year: Option<Money>,
}

impl PeriodRow {
    /// Both sides known.
    pub fn compared(&self) -> Option<Compared> {
        Some(Compared::new(self.current?, self.last_year?))
    }
}

/// The scope's totals for the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodSummary {
    pub period: Period,
    pub scope: AnalysisScope,
    /// Customers with revenue in either period (or a total cutting through one).
    pub customers: u64,
    /// All key customers (figures cut through by a period total left out).
    pub all: Compared,
    /// Customers with revenue in both periods: like for like (可比).
    pub compared_customers: u64,
    pub compared: Compared,
    /// Customers whose figure for a side is unknown: a total cuts through it.
    pub cut_customers: u64,
    pub unit: UnitPeriodRevenue,
    pub unit_last_year: UnitPeriodRevenue,
}

impl PeriodSummary {
    /// The key customers' share of the unit's revenue for the period.
    pub fn share(&self) -> Option<rust_decimal::Decimal> {
        crate::domain::period::share_of_unit(self.all.current, self.unit)
    }
}

/// Each live customer in scope with its revenue in `period` and a year
/// earlier, and whether a period total cuts through either (1/0). The scope's
/// arguments come first; `?{n+1}..?{n+4}` are the two periods' ends.
pub(super) fn per_customer(scope: AnalysisScope) -> (String, Vec<Value>) {
    let (condition, mut values) = scope_condition(scope, "c.unit_id");
    let n = values.len();
    let (a, b, c, d) = (n + 1, n + 2, n + 3, n + 4);
    let sum = |x: usize, y: usize| {
        format!(
            "coalesce((SELECT sum(m.amount) FROM revenue_month m WHERE m.customer_id = c.id \
               AND m.month BETWEEN ?{x} AND ?{y}), 0) \
             + coalesce((SELECT sum(p.amount) FROM revenue_period p WHERE p.customer_id = c.id \
               AND p.first_month >= ?{x} AND p.last_month <= ?{y}), 0)"
        )
    };
    let cut = |x: usize, y: usize| {
        format!(
            "CASE WHEN EXISTS (SELECT 1 FROM revenue_period p WHERE p.customer_id = c.id AND p.amount <> 0 \
               AND p.first_month <= ?{y} AND p.last_month >= ?{x} \
               AND (p.first_month < ?{x} OR p.last_month > ?{y})) THEN 1 ELSE 0 END"
        )
    };
    let sql = format!(
        "SELECT c.id, c.short_name, c.tier, c.status, c.owner_a, {} AS cur, {} AS prev, {} AS cut_cur, {} AS cut_prev \
         FROM customer c WHERE c.archived = 0 AND {condition}",
        sum(a, b),
        sum(c, d),
        cut(a, b),
        cut(c, d)
    );
    values.extend([a, b, c, d].iter().map(|_| Value::Integer(0)));
    (sql, values)
}

pub(super) fn with_periods(mut values: Vec<Value>, period: Period) -> Vec<Value> {
    let n = values.len();
    let ends = [period.first(), period.last(), period.year_ago().first(), period.year_ago().last()];
    for (slot, month) in values[n - 4..].iter_mut().zip(ends) {
        *slot = Value::Integer(month.key());
    }
    values
}

fn bound(values: &[Value]) -> Vec<&dyn ToValue> {
    values.iter().map(|v| v as &dyn ToValue).collect()
}

const SOME_REVENUE: &str = "cur <> 0 OR prev <> 0 OR cut_cur = 1 OR cut_prev = 1";

/// The totals of the period for the scope, summed by the database.
pub fn summary(conn: &Conn, period: Period, scope: AnalysisScope) -> Result<PeriodSummary, DbError> {
    let (inner, values) = per_customer(scope);
    let values = with_periods(values, period);
    let sql = format!(
        "SELECT count(*), \
           coalesce(sum(CASE WHEN cut_cur = 0 THEN cur ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN cut_prev = 0 THEN prev ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN {LIKE} THEN 1 ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN {LIKE} THEN cur ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN {LIKE} THEN prev ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN cut_cur = 1 OR cut_prev = 1 THEN 1 ELSE 0 END), 0) \
         FROM ({inner}) x WHERE {SOME_REVENUE}"
    );
    let (customers, cur, prev, like_n, like_cur, like_prev, cut) = conn.row(&sql, &bound(&values), |r| {
        Ok((
            r.get::<i64>(0)?,
            r.get::<Money>(1)?,
            r.get::<Money>(2)?,
            r.get::<i64>(3)?,
            r.get::<Money>(4)?,
            r.get::<Money>(5)?,
            r.get::<i64>(6)?,
        ))
    })?;
    let count = |n: i64| u64::try_from(n).unwrap_or(0);
    Ok(PeriodSummary {
        period,
        scope,
        customers: count(customers),
        all: Compared::new(cur, prev),
        compared_customers: count(like_n),
        compared: Compared::new(like_cur, like_prev),
        cut_customers: count(cut),
        unit: scope_unit_revenue(conn, scope, period)?,
        unit_last_year: scope_unit_revenue(conn, scope, period.year_ago())?,
    })
}

/// Like for like, in SQL: both sides known and positive.
const LIKE: &str = "cut_cur = 0 AND cut_prev = 0 AND cur > 0 AND prev > 0";

/// The customers of the scope with revenue in either period, largest this
/// period first, at most `limit` of them (None: all), handed to `each` one by one.
pub fn each_customer<E: From<DbError>>(
    conn: &Conn,
    period: Period,
    scope: AnalysisScope,
    limit: Option<u64>,
    mut each: impl FnMut(PeriodRow) -> Result<(), E>,
) -> Result<(), E> {
    let (inner, values) = per_customer(scope);
    let mut values = with_periods(values, period);
    values.push(Value::Integer(limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX))));
    let n = values.len();
    // PostgreSQL takes no negative LIMIT: NULL is "no limit" there, and -1 on SQLite.
    let limit = match conn.dialect() {
        super::sql::Dialect::Sqlite => format!("?{n}"),
        super::sql::Dialect::Postgres => format!("nullif(?{n}, -1)"),
    };
    let sql = format!(
        "SELECT id, short_name, tier, status, owner_a, cur, prev, cut_cur, cut_prev FROM ({inner}) x \
         WHERE {SOME_REVENUE} ORDER BY CASE WHEN cut_cur = 1 THEN 0 ELSE cur END DESC, id LIMIT {limit}"
    );
    let mut failed: Option<E> = None;
    conn.rows(&sql, &bound(&values), |r| {
        if failed.is_some() {
            return Ok(());
        }
        let cut_cur: i64 = r.get(7)?;
        let cut_prev: i64 = r.get(8)?;
        let row = PeriodRow {
            id: r.get(0)?,
            short_name: r.get(1)?,
            tier: Tier::from_code(r.text(2)?).unwrap_or(Tier::General),
            status: CustomerStatus::from_code(r.text(3)?).unwrap_or(CustomerStatus::Normal),
            owner_a: r.get(4)?,
            current: (cut_cur == 0).then_some(r.get::<Money>(5)?),
            last_year: (cut_prev == 0).then_some(r.get::<Money>(6)?),
        };
        if let Err(e) = each(row) {
            failed = Some(e);
        }
        Ok(())
    })?;
    failed.map_or(Ok(()), Err)
}

/// The customers as a list (for the screen: a limited number).
pub fn customers(conn: &Conn, period: Period, scope: AnalysisScope, limit: u64) -> Result<Vec<PeriodRow>, DbError> {
    let mut out = Vec::new();
    each_customer::<DbError>(conn, period, scope, Some(limit), |row| {
        out.push(row);
        Ok(())
    })?;
    Ok(out)
}

/// What the analysis screen shows of a period: the totals and the largest customers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodView {
    pub summary: PeriodSummary,
    /// The customers with revenue in either period, largest first, at most [`SCREEN_ROWS`].
    pub rows: Vec<PeriodRow>,
}

/// How many customers the screen lists (the report file has them all).
pub const SCREEN_ROWS: u64 = 500;

/// The period's figures for the screen, read in one snapshot.
pub fn view(conn: &Conn, period: Period, scope: AnalysisScope) -> Result<PeriodView, DbError> {
    Ok(PeriodView { summary: summary(conn, period, scope)?, rows: customers(conn, period, scope, SCREEN_ROWS)? })
}
