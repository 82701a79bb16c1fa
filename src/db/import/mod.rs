//! Bulk imports (`kam import`): revenue, customers and key persons from rows
//! `crate::import` has checked. Each import is planned against the database
//! (which rows insert, update or change nothing; which the database refuses)
//! and, unless it is a dry run, planned again and written in one transaction.
//! A file with any refused row writes nothing.

mod customer_rows;
mod log_rows;
mod person_rows;
mod receivable_rows;
mod unit_rows;
mod visit_rows;
mod volume_rows;

pub use customer_rows::customers;
pub use log_rows::log_entries;
pub use person_rows::persons;
pub use receivable_rows::receivables;
pub use unit_rows::{UnitRevenueRow, UnitWhen, unit_revenue};
pub use visit_rows::visits;
pub use volume_rows::{returns, volume};

use std::collections::HashMap;

use super::period::{PeriodEntry, has_period_totals, month_inside, total_overlapping, write_period_entries_in};
use super::revenue::{
    RevenueEntry, WriteCounts, ledger_month, refresh_statuses_after, stored_amounts, write_entries_in,
};
use super::sql::{Dialect, Optional, Sql, args};
use super::{Actor, Conn, DbError, Store, Tx};
use crate::domain::id::CustomerId;
use crate::domain::period::Period;
use crate::domain::revenue::StatusRules;
use crate::import::{BadRow, Problem};

/// What an import did, or on a dry run would do.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub counts: WriteCounts,
    /// Rows the database refuses (an unknown customer, an ambiguous name…).
    /// When there are any, nothing was written.
    pub bad: Vec<BadRow>,
    /// Customers whose status moved with the imported revenue.
    pub statuses_changed: usize,
}

/// A plan: what each row will do, counted, and the rows refused.
struct Plan<A> {
    actions: Vec<A>,
    report: ImportReport,
}

impl<A> Plan<A> {
    fn new() -> Plan<A> {
        Plan { actions: Vec::new(), report: ImportReport::default() }
    }
    fn refuse(&mut self, line: usize, problem: Problem) {
        self.report.bad.push(BadRow::new(line, None, problem));
    }
}

/// Runs `plan` and, unless dry or refused, `apply` in one transaction. Only a
/// customer administrator or a supervisor may import, dry runs included.
fn run<A>(
    store: &mut Store,
    actor: &Actor,
    dry_run: bool,
    plan: impl Fn(&Conn) -> Result<Plan<A>, DbError>,
    apply: impl FnOnce(&Tx<'_>, Plan<A>) -> Result<ImportReport, DbError>,
) -> Result<ImportReport, DbError> {
    actor.staff.may_keep_records()?;
    run_checked(store, dry_run, plan, apply)
}

/// [`run`] for an import whose caller has asked who may import (the plan
/// still asks, row by row, who may write what).
fn run_checked<A>(
    store: &mut Store,
    dry_run: bool,
    plan: impl Fn(&Conn) -> Result<Plan<A>, DbError>,
    apply: impl FnOnce(&Tx<'_>, Plan<A>) -> Result<ImportReport, DbError>,
) -> Result<ImportReport, DbError> {
    if dry_run {
        return Ok(plan(store.conn())?.report);
    }
    store.write(|tx| {
        // Planned again inside the transaction: someone may have written since the check.
        let planned = plan(tx)?;
        if !planned.report.bad.is_empty() { Ok(planned.report) } else { apply(tx, planned) }
    })
}

/// One row's amount of a revenue sheet: a month's, or a period's total (未分月).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevenueItem {
    Month(RevenueEntry),
    Period(PeriodEntry),
}

impl RevenueItem {
    pub fn customer_id(&self) -> &CustomerId {
        match self {
            RevenueItem::Month(e) => &e.customer_id,
            RevenueItem::Period(e) => &e.customer_id,
        }
    }
}

/// Imports revenue entries, then brings the customers' statuses in line with the ledger.
pub fn revenue(
    store: &mut Store,
    actor: &Actor,
    rules: &StatusRules,
    rows: &[(usize, RevenueEntry)],
    dry_run: bool,
) -> Result<ImportReport, DbError> {
    let items: Vec<(usize, RevenueItem)> = rows.iter().map(|(l, e)| (*l, RevenueItem::Month(e.clone()))).collect();
    revenue_items(store, actor, rules, &items, dry_run)
}

/// Imports months and period totals in one transaction (all or nothing): a
/// period total sharing a month with revenue the database holds for the same
/// customer (or the other way round) is refused as a double count.
pub fn revenue_items(
    store: &mut Store,
    actor: &Actor,
    rules: &StatusRules,
    rows: &[(usize, RevenueItem)],
    dry_run: bool,
) -> Result<ImportReport, DbError> {
    run(
        store,
        actor,
        dry_run,
        |conn| plan_revenue(conn, rows),
        |tx, plan| {
            let before = ledger_month(tx)?;
            let mut report = plan.report;
            let (mut months, mut periods) = (Vec::new(), Vec::new());
            for item in plan.actions {
                match item {
                    RevenueItem::Month(e) => months.push(e),
                    RevenueItem::Period(e) => periods.push(e),
                }
            }
            // Periods first: their checks read the months as they stood.
            let from_periods = write_period_entries_in(tx, actor, &periods)?;
            report.counts = write_entries_in(tx, actor, &months)?;
            report.counts.inserted += from_periods.inserted;
            report.counts.updated += from_periods.updated;
            report.counts.unchanged += from_periods.unchanged;
            let mut touched: Vec<CustomerId> = months.iter().map(|e| e.customer_id.clone()).collect();
            touched.sort_unstable();
            touched.dedup();
            // A new ledger month moves everyone's window; otherwise only these customers can change.
            let scope = if ledger_month(tx)? == before { Some(&touched[..]) } else { None };
            report.statuses_changed = refresh_statuses_after(tx, actor, rules, scope)?;
            Ok(report)
        },
    )
}

fn plan_revenue(conn: &Conn, rows: &[(usize, RevenueItem)]) -> Result<Plan<RevenueItem>, DbError> {
    let mut plan = Plan::new();
    let mut known = KnownCustomers::default();
    // On a server the customers and stored amounts are read a batch of rows a
    // statement, not a statement (a round trip) a row.
    let stored = match conn.dialect() {
        Dialect::Sqlite => None,
        Dialect::Postgres => {
            known.prefetch(conn, rows.iter().map(|(_, item)| item.customer_id()))?;
            let months = rows.iter().filter_map(|(_, item)| match item {
                RevenueItem::Month(e) => Some(e),
                RevenueItem::Period(_) => None,
            });
            Some(stored_amounts(conn, months)?)
        }
    };
    let mut with_totals: HashMap<CustomerId, bool> = HashMap::new();
    for (line, item) in rows {
        let customer = item.customer_id();
        if !known.exists(conn, customer)? {
            // One report per row, however many service lines it holds.
            if plan.report.bad.last().is_none_or(|b| b.line != *line) {
                plan.refuse(*line, Problem::UnknownCustomer(customer.clone()));
            }
            continue;
        }
        let old: Option<crate::domain::money::Money> = match item {
            RevenueItem::Month(e) => {
                // Asked once a customer, not once a row: most customers have no
                // period total, and on a server each question is a round trip.
                let has_totals = match with_totals.get(customer) {
                    Some(known) => *known,
                    None => {
                        let known = has_period_totals(conn, customer)?;
                        with_totals.insert(customer.clone(), known);
                        known
                    }
                };
                if e.amount.to_fen() != 0
                    && has_totals
                    && let Some(period) = total_overlapping(conn, customer, Period::month(e.month), true)?
                {
                    plan.refuse(*line, Problem::DoubleCount { month: Some(e.month), period, other_line: None });
                    continue;
                }
                match &stored {
                    Some(stored) => stored.get(&(e.month.key(), e.customer_id.clone(), e.service_line_id)).copied(),
                    None => conn
                        .row(
                            "SELECT amount FROM revenue WHERE month = ?1 AND customer_id = ?2 AND service_line_id = ?3",
                            args![e.month.key(), e.customer_id, e.service_line_id],
                            |r| r.get(0),
                        )
                        .optional()?,
                }
            }
            RevenueItem::Period(e) => {
                if e.amount.to_fen() != 0 {
                    if let Some(month) = month_inside(conn, customer, e.period)? {
                        let problem = Problem::DoubleCount { month: Some(month), period: e.period, other_line: None };
                        plan.refuse(*line, problem);
                        continue;
                    }
                    if let Some(other) = total_overlapping(conn, customer, e.period, false)? {
                        plan.refuse(*line, Problem::PeriodOverlap { other, other_line: None });
                        continue;
                    }
                }
                conn.row(
                    "SELECT amount FROM revenue_period WHERE customer_id = ?1 AND first_month = ?2 \
                     AND last_month = ?3 AND service_line_id = ?4",
                    args![e.customer_id, e.period.first().key(), e.period.last().key(), e.service_line_id],
                    |r| r.get(0),
                )
                .optional()?
            }
        };
        let amount = match item {
            RevenueItem::Month(e) => e.amount,
            RevenueItem::Period(e) => e.amount,
        };
        let counts = &mut plan.report.counts;
        match old {
            None => counts.inserted += 1,
            Some(old) if old.to_fen() == amount.to_fen() => counts.unchanged += 1,
            Some(_) => counts.updated += 1,
        }
        plan.actions.push(item.clone());
    }
    Ok(plan)
}

#[derive(Default)]
struct KnownCustomers(HashMap<CustomerId, bool>);

impl KnownCustomers {
    fn exists(&mut self, conn: &Conn, id: &CustomerId) -> Result<bool, DbError> {
        if let Some(known) = self.0.get(id) {
            return Ok(*known);
        }
        let found: bool = conn.row("SELECT EXISTS (SELECT 1 FROM customer WHERE id = ?1)", args![id], |r| r.get(0))?;
        self.0.insert(id.clone(), found);
        Ok(found)
    }

    /// Looks these customers up a batch a statement (a server's way).
    fn prefetch<'a>(&mut self, conn: &Conn, ids: impl Iterator<Item = &'a CustomerId>) -> Result<(), DbError> {
        let mut ids: Vec<&CustomerId> = ids.collect();
        ids.sort_unstable();
        ids.dedup();
        for chunk in ids.chunks(1_000) {
            let list: Vec<&str> = chunk.iter().map(|id| id.as_str()).collect();
            let found: std::collections::HashSet<CustomerId> = conn
                .rows(
                    "SELECT id FROM customer WHERE id = ANY (string_to_array(?1, ','))",
                    args![list.join(",")],
                    |r| r.get(0),
                )?
                .into_iter()
                .collect();
            for id in chunk {
                self.0.insert((*id).clone(), found.contains(*id));
            }
        }
        Ok(())
    }
}
