//! The revenue ledger (SPEC §7): monthly revenue per customer and service line,
//! the units' own revenue, the tier inputs read from them, customer statuses,
//! and the explanations of fluctuations.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::access::may_edit_customer;
use super::error::constraint_as_invalid;
use super::sql::{Dialect, Optional, Sql, args};
use super::{Actor, Conn, DbError, Store, Tx};
use crate::domain::id::CustomerId;
use crate::domain::money::Money;
use crate::domain::revenue::{CustomerStatus, Month, StatusRules, UnitRevenueSource, unit_revenue_for_window};
use crate::domain::tier::TierInputs;

/// One cell of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevenueEntry {
    pub customer_id: CustomerId,
    pub month: Month,
    pub service_line_id: i64,
    pub amount: Money,
}

/// What a batch of entries did to the ledger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteCounts {
    pub inserted: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// The latest month with any revenue in the ledger: the month the analysis
/// and the tier window end on unless told otherwise.
pub fn ledger_month(conn: &Conn) -> Result<Option<Month>, DbError> {
    let key: Option<i64> = conn.row("SELECT max(month) FROM revenue_month", args![], |r| r.get(0))?;
    Ok(key.and_then(Month::from_key))
}

/// Writes entries within an open transaction: new cells are inserted, changed
/// ones updated (the history trigger records old and new), equal ones left alone.
/// Refused unless `actor` may edit every customer named.
pub fn write_entries_in(tx: &Tx<'_>, actor: &Actor, entries: &[RevenueEntry]) -> Result<WriteCounts, DbError> {
    match tx.dialect() {
        Dialect::Sqlite => {
            let mut asked = std::collections::HashSet::new();
            for e in entries {
                if asked.insert(e.customer_id.as_str()) {
                    may_edit_customer(tx, actor, &e.customer_id)?;
                }
            }
            write_row_by_row(tx, actor, entries)
        }
        Dialect::Postgres => {
            may_edit_all(tx, actor, entries)?;
            let mut keys = std::collections::HashSet::new();
            if entries.iter().all(|e| keys.insert(key_of(e))) {
                write_batched(tx, actor, entries)
            } else {
                // A cell named twice is written as the file says, one row after the other.
                write_row_by_row(tx, actor, entries)
            }
        }
    }
}

fn write_row_by_row(tx: &Tx<'_>, actor: &Actor, entries: &[RevenueEntry]) -> Result<WriteCounts, DbError> {
    const READ: &str = "SELECT amount FROM revenue WHERE month = ?1 AND customer_id = ?2 AND service_line_id = ?3";
    const INSERT: &str = "INSERT INTO revenue (month, customer_id, service_line_id, amount, created_by, created_at, \
         updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)";
    const UPDATE: &str = "UPDATE revenue SET amount = ?4, updated_by = ?5, updated_at = ?6 \
         WHERE month = ?1 AND customer_id = ?2 AND service_line_id = ?3";
    let mut counts = WriteCounts::default();
    let stamp = actor.stamp();
    for e in entries {
        // A month inside a period total of the same customer would count twice.
        if e.amount.to_fen() != 0
            && let Some(period) = super::period::total_overlapping(
                tx,
                &e.customer_id,
                crate::domain::period::Period::month(e.month),
                true,
            )?
        {
            return Err(super::period::double_count(&e.customer_id, e.month, period));
        }
        let (month, customer, line, by) = (e.month.key(), &e.customer_id, e.service_line_id, actor.staff.id);
        let old: Option<Money> = tx.row(READ, args![month, customer, line], |r| r.get(0)).optional()?;
        match old {
            None => {
                tx.exec(INSERT, args![month, customer, line, e.amount, by, stamp]).map_err(constraint_as_invalid)?;
                counts.inserted += 1;
            }
            Some(old) if old.to_fen() == e.amount.to_fen() => counts.unchanged += 1,
            Some(_) => {
                tx.exec(UPDATE, args![month, customer, line, e.amount, by, stamp]).map_err(constraint_as_invalid)?;
                counts.updated += 1;
            }
        }
    }
    Ok(counts)
}

/// A ledger cell: month key, customer, service line.
type CellKey = (i64, CustomerId, i64);

fn key_of(e: &RevenueEntry) -> CellKey {
    (e.month.key(), e.customer_id.clone(), e.service_line_id)
}

/// Rows a server statement takes at a time: one round trip each, well
/// within PostgreSQL's 65,535 parameters.
const BATCH: usize = 1_000;

/// [`may_edit_customer`] for every customer named, their owners read a
/// batch of customers at a time (on a server, a statement per customer is a
/// round trip per customer).
fn may_edit_all(tx: &Tx<'_>, actor: &Actor, entries: &[RevenueEntry]) -> Result<(), DbError> {
    let mut ids: Vec<&str> = entries.iter().map(|e| e.customer_id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    for chunk in ids.chunks(BATCH) {
        let owners: HashMap<String, (i64, Option<i64>, i64)> = tx
            .rows(
                "SELECT id, owner_a, owner_b, unit_id FROM customer WHERE id = ANY (string_to_array(?1, ','))",
                args![chunk.join(",")],
                |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?, r.get(3)?))),
            )?
            .into_iter()
            .collect();
        for id in chunk {
            let Some(&(a, b, unit)) = owners.get(*id) else { return Err(DbError::NotFound) };
            super::access::may_edit_owned(tx, actor, a, b, unit)?;
        }
    }
    Ok(())
}

/// The amounts stored now for these cells (those that have one), a batch of
/// cells a statement.
pub(crate) fn stored_amounts<'a>(
    conn: &Conn,
    cells: impl IntoIterator<Item = &'a RevenueEntry>,
) -> Result<HashMap<CellKey, Money>, DbError> {
    let cells: Vec<&RevenueEntry> = cells.into_iter().collect();
    let mut found = HashMap::with_capacity(cells.len());
    for chunk in cells.chunks(BATCH) {
        let months: Vec<i64> = chunk.iter().map(|e| e.month.key()).collect();
        let mut values = String::new();
        let mut params: Vec<&dyn super::sql::ToValue> = Vec::with_capacity(chunk.len() * 3);
        for (i, e) in chunk.iter().enumerate() {
            let n = i * 3;
            values.push_str(&format!(
                "{}(CAST(?{} AS integer), CAST(?{} AS text), CAST(?{} AS bigint))",
                if i == 0 { "" } else { ", " },
                n + 1,
                n + 2,
                n + 3
            ));
            params.extend([&months[i] as &dyn super::sql::ToValue, &e.customer_id, &e.service_line_id]);
        }
        let rows = conn.rows(
            &format!(
                "WITH k(month, customer_id, line) AS (VALUES {values}) \
                 SELECT r.month, r.customer_id, r.service_line_id, r.amount FROM revenue r \
                 JOIN k ON r.month = k.month AND r.customer_id = k.customer_id AND r.service_line_id = k.line"
            ),
            &params,
            |r| Ok(((r.get(0)?, r.get(1)?, r.get(2)?), r.get(3)?)),
        )?;
        found.extend(rows);
    }
    Ok(found)
}

/// The entries (no cell twice) as multi-row statements: the inserts and the
/// updates of a batch each one statement. The triggers (history, totals) and
/// row-level security see every row as they would one at a time.
/// The first of these entries (not zero) whose month lies inside a period
/// total of its customer (未分月), with that period: it would count twice.
/// One statement for the batch, as [`write_batched`] is a server's way.
fn first_inside_a_total<'a>(
    tx: &Tx<'_>,
    chunk: &'a [RevenueEntry],
) -> Result<Option<(&'a RevenueEntry, crate::domain::period::Period)>, DbError> {
    let entered: Vec<&RevenueEntry> = chunk.iter().filter(|e| e.amount.to_fen() != 0).collect();
    if entered.is_empty() {
        return Ok(None);
    }
    let customers: Vec<&str> = entered.iter().map(|e| e.customer_id.as_str()).collect();
    let months: Vec<String> = entered.iter().map(|e| e.month.key().to_string()).collect();
    let found: Option<(i64, i64, i64)> = tx
        .row(
            "SELECT v.i, p.first_month, p.last_month \
             FROM unnest(string_to_array(?1, ','), CAST(string_to_array(?2, ',') AS integer[])) \
                  WITH ORDINALITY AS v(customer_id, month, i) \
             JOIN revenue_period p ON p.customer_id = v.customer_id \
                  AND p.first_month <= v.month AND p.last_month >= v.month AND p.amount <> 0 \
             ORDER BY v.i, p.first_month LIMIT 1",
            args![customers.join(","), months.join(",")],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(found.and_then(|(i, first, last)| {
        let e = entered.get(usize::try_from(i - 1).ok()?)?;
        let period = crate::domain::period::Period::new(Month::from_key(first)?, Month::from_key(last)?)?;
        Some((*e, period))
    }))
}

fn write_batched(tx: &Tx<'_>, actor: &Actor, entries: &[RevenueEntry]) -> Result<WriteCounts, DbError> {
    let mut counts = WriteCounts::default();
    let stamp = actor.stamp();
    let by = actor.staff.id;
    for chunk in entries.chunks(BATCH) {
        if let Some((e, period)) = first_inside_a_total(tx, chunk)? {
            return Err(super::period::double_count(&e.customer_id, e.month, period));
        }
        let old = stored_amounts(tx, chunk)?;
        let mut inserts = Vec::new();
        let mut updates = Vec::new();
        for e in chunk {
            match old.get(&key_of(e)) {
                None => inserts.push(e),
                Some(old) if old.to_fen() == e.amount.to_fen() => counts.unchanged += 1,
                Some(_) => updates.push(e),
            }
        }
        for (rows, insert) in [(&inserts, true), (&updates, false)] {
            if rows.is_empty() {
                continue;
            }
            let months: Vec<i64> = rows.iter().map(|e| e.month.key()).collect();
            let mut values = String::new();
            let mut params: Vec<&dyn super::sql::ToValue> = vec![&by, &stamp];
            for (i, e) in rows.iter().enumerate() {
                let n = 3 + i * 4;
                let (a, b, c, d) = (n, n + 1, n + 2, n + 3);
                values.push_str(if i == 0 { "" } else { ", " });
                values.push_str(&if insert {
                    format!("(?{a}, ?{b}, ?{c}, ?{d}, ?1, CAST(?2 AS timestamptz), ?1, CAST(?2 AS timestamptz))")
                } else {
                    format!("(CAST(?{a} AS integer), CAST(?{b} AS text), CAST(?{c} AS bigint), CAST(?{d} AS numeric))")
                });
                params.extend([&months[i] as &dyn super::sql::ToValue, &e.customer_id, &e.service_line_id, &e.amount]);
            }
            let sql = if insert {
                format!(
                    "INSERT INTO revenue (month, customer_id, service_line_id, amount, created_by, created_at, \
                     updated_by, updated_at) VALUES {values}"
                )
            } else {
                format!(
                    "UPDATE revenue SET amount = v.amount, updated_by = ?1, updated_at = CAST(?2 AS timestamptz) \
                     FROM (VALUES {values}) AS v(month, customer_id, line, amount) WHERE revenue.month = v.month \
                     AND revenue.customer_id = v.customer_id AND revenue.service_line_id = v.line"
                )
            };
            tx.exec(&sql, &params).map_err(constraint_as_invalid)?;
            if insert {
                counts.inserted += rows.len();
            } else {
                counts.updated += rows.len();
            }
        }
    }
    Ok(counts)
}

/// One cell typed into the dossier's revenue grid by someone who may edit the
/// customer. The customer's status follows the ledger at once.
pub fn set_cell(store: &mut Store, actor: &Actor, rules: &StatusRules, entry: &RevenueEntry) -> Result<(), DbError> {
    store.write(|tx| {
        may_edit_customer(tx, actor, &entry.customer_id)?;
        let before = ledger_month(tx)?;
        write_entries_in(tx, actor, std::slice::from_ref(entry))?;
        let only = [entry.customer_id.clone()];
        let scope = if ledger_month(tx)? == before { Some(&only[..]) } else { None };
        refresh_statuses_after(tx, actor, rules, scope)?;
        Ok(())
    })
}

/// A customer's ledger cells for the months `from..=to`: (month, service line id, amount).
pub fn customer_cells(
    conn: &Conn,
    customer: &CustomerId,
    from: Month,
    to: Month,
) -> Result<Vec<(Month, i64, Money)>, DbError> {
    let rows = conn.rows(
        "SELECT month, service_line_id, amount FROM revenue WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3",
        args![customer, from.key(), to.key()],
        |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<Money>(2)?)),
    )?;
    Ok(rows.into_iter().filter_map(|(key, line, amount)| Some((Month::from_key(key)?, line, amount))).collect())
}

/// A customer's monthly totals for `from..=to`, every month present (zero when empty).
pub fn customer_totals(
    conn: &Conn,
    customer: &CustomerId,
    from: Month,
    to: Month,
) -> Result<Vec<(Month, Money)>, DbError> {
    let found: HashMap<i64, Money> = conn
        .rows(
            "SELECT month, amount FROM revenue_month WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3",
            args![customer, from.key(), to.key()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .into_iter()
        .collect();
    Ok(Month::range(from, to).map(|m| (m, found.get(&m.key()).copied().unwrap_or(Money::ZERO))).collect())
}

/// A unit's entered revenue: (monthly entries, yearly totals).
pub type UnitFigures = (Vec<(Month, Money)>, Vec<(i32, Money)>);

pub fn unit_figures(conn: &Conn, unit: i64) -> Result<UnitFigures, DbError> {
    let rows = conn.rows("SELECT year, month, amount FROM unit_revenue WHERE unit_id = ?1", args![unit], |r| {
        Ok((r.get::<i32>(0)?, r.get::<u32>(1)?, r.get::<Money>(2)?))
    })?;
    let mut monthly = Vec::new();
    let mut yearly = Vec::new();
    for (year, month, amount) in rows {
        match Month::new(year, month) {
            Some(m) => monthly.push((m, amount)),
            None => yearly.push((year, amount)),
        }
    }
    Ok((monthly, yearly))
}

/// A customer's ledger over a window of months, as the dossier shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CustomerLedger {
    /// Every month of the window with its total (zero when none), oldest first.
    pub totals: Vec<(Month, Money)>,
    /// The cells entered: month, service line, amount.
    pub cells: Vec<(Month, i64, Money)>,
    /// Revenue known only as the total of a period of months (未分月): each
    /// period with its lines added up, newest first (a customer has few).
    pub periods: Vec<(crate::domain::period::Period, Money)>,
}

/// A customer's `months` months ending with the ledger month (the month
/// before `today` while the ledger is empty).
pub fn customer_ledger(
    conn: &Conn,
    customer: &CustomerId,
    today: NaiveDate,
    months: u32,
) -> Result<CustomerLedger, DbError> {
    let last = ledger_month(conn)?.unwrap_or_else(|| Month::of(today).prev());
    let first = last.plus(1 - i64::from(months.max(1)));
    let mut periods: Vec<(crate::domain::period::Period, Money)> = Vec::new();
    for (period, _, amount) in super::period::customer_totals(conn, customer)? {
        match periods.iter_mut().find(|(p, _)| *p == period) {
            Some((_, sum)) => *sum = Money(sum.yuan() + amount.yuan()),
            None => periods.push((period, amount)),
        }
    }
    periods.reverse();
    Ok(CustomerLedger {
        totals: customer_totals(conn, customer, first, last)?,
        cells: customer_cells(conn, customer, first, last)?,
        periods,
    })
}

/// Enters a unit's own revenue for a year (`month` None) or one month.
pub fn set_unit_revenue(
    store: &mut Store,
    actor: &Actor,
    unit: i64,
    year: i32,
    month: Option<u32>,
    amount: Money,
) -> Result<(), DbError> {
    actor.staff.may_keep_records()?;
    store.write(|tx| set_unit_revenue_in(tx, actor, unit, year, month, amount))
}

/// [`set_unit_revenue`] within an open transaction.
pub fn set_unit_revenue_in(
    tx: &Tx<'_>,
    actor: &Actor,
    unit: i64,
    year: i32,
    month: Option<u32>,
    amount: Money,
) -> Result<(), DbError> {
    // The unit's own figure: its supervisors' (or those above), or the administrator's.
    actor.staff.may_keep_records()?;
    super::access::may_decide_for_unit(tx, actor, unit)?;
    // A month inside one of the unit's period totals (未分月) would be counted twice.
    if let Some(month) = month.and_then(|m| Month::new(year, m))
        && amount.to_fen() != 0
        && let Some(period) =
            super::period::unit_total_overlapping(tx, unit, crate::domain::period::Period::month(month), true)?
    {
        return Err(super::period::unit_double_count(tx, unit, month, period));
    }
    tx.exec(
        "INSERT INTO unit_revenue (unit_id, year, month, amount, updated_by, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (unit_id, year, month) DO UPDATE SET \
         amount = excluded.amount, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        args![unit, year, month.unwrap_or(0), amount, actor.staff.id, actor.stamp()],
    )
    .map_err(constraint_as_invalid)?;
    Ok(())
}

/// A customer's typed revenue estimate, from which a ledger is seeded (the demo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevenueEstimate {
    pub customer_id: CustomerId,
    /// A policy customer (政策性客户) rather than a commercial one.
    pub policy: bool,
    /// The typed annual revenue; zero when none was typed.
    pub annual: Money,
}

/// Up to `limit` customers by ID after `after` (None: from the first), with
/// their typed estimates: read in batches so that no read holds a whole table.
pub fn estimates_after(conn: &Conn, after: Option<&CustomerId>, limit: u64) -> Result<Vec<RevenueEstimate>, DbError> {
    // Every ID sorts after the empty text.
    let after = after.map_or("", CustomerId::as_str);
    conn.rows(
        "SELECT id, kind = 'policy', coalesce(annual_revenue, 0) FROM customer WHERE id > ?1 ORDER BY id LIMIT ?2",
        args![after, limit],
        |r| Ok(RevenueEstimate { customer_id: r.get(0)?, policy: r.get(1)?, annual: r.get(2)? }),
    )
}

/// Where a customer's tier inputs came from, for the dossier's explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TierBasis {
    pub inputs: TierInputs,
    /// The twelve months summed, when the ledger has revenue for this customer.
    pub window: Option<(Month, Month)>,
    pub unit_source: Option<UnitRevenueSource>,
}

/// The inputs the tier presets read for one customer: revenue over the twelve
/// months ending with the ledger month (the typed estimate while the ledger has
/// none), and the unit's revenue over the same window.
pub fn tier_basis(
    conn: &Conn,
    customer: &CustomerId,
    unit: i64,
    estimate: Option<Money>,
    payroll: Option<Money>,
) -> Result<TierBasis, DbError> {
    let last = ledger_month(conn)?;
    let own: Option<Money> = match last {
        // A sum of fen: an integer on SQLite, a numeric on PostgreSQL; Money reads both exactly.
        Some(last) => conn.row(
            "SELECT sum(amount) FROM revenue_month WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3",
            args![customer, last.plus(-11).key(), last.key()],
            |r| r.get(0),
        )?,
        None => None,
    };
    let (monthly, yearly) = unit_figures(conn, unit)?;
    let unit_revenue = last
        .or_else(|| latest_entered(&monthly, &yearly))
        .and_then(|end| unit_revenue_for_window(end, &monthly, &yearly));
    let annual = own.or(estimate).unwrap_or(Money::ZERO);
    Ok(TierBasis {
        inputs: TierInputs {
            annual_revenue: annual.yuan(),
            unit_revenue: unit_revenue.map(|(m, _)| m.yuan()),
            monthly_payroll: payroll.map(|p| p.yuan()),
            ..TierInputs::default()
        },
        window: own.and(last).map(|last| (last.plus(-11), last)),
        unit_source: unit_revenue.map(|(_, source)| source),
    })
}

/// Every live customer's revenue over the twelve months ending `last`, for re-tiering.
pub fn twelve_month_totals(conn: &Conn, last: Month) -> Result<HashMap<CustomerId, Money>, DbError> {
    let totals = conn.rows(
        "SELECT customer_id, sum(amount) FROM revenue_month WHERE month BETWEEN ?1 AND ?2 GROUP BY customer_id",
        args![last.plus(-11).key(), last.key()],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(totals.into_iter().collect())
}

/// While the ledger is empty, a unit's figures are read as of the latest period entered.
fn latest_entered(monthly: &[(Month, Money)], yearly: &[(i32, Money)]) -> Option<Month> {
    let months = monthly.iter().map(|(m, _)| *m);
    let year_ends = yearly.iter().filter_map(|(y, _)| Month::new(*y, 12));
    months.chain(year_ends).max()
}

/// Every unit's revenue over the twelve months ending `last` (the ledger month;
/// None while the ledger is empty).
pub fn unit_window_totals(conn: &Conn, last: Option<Month>) -> Result<HashMap<i64, Money>, DbError> {
    let units: Vec<i64> = conn.rows("SELECT DISTINCT unit_id FROM unit_revenue", args![], |r| r.get(0))?;
    let mut totals = HashMap::new();
    for unit in units {
        let (monthly, yearly) = unit_figures(conn, unit)?;
        let end = last.or_else(|| latest_entered(&monthly, &yearly));
        if let Some((amount, _)) = end.and_then(|end| unit_revenue_for_window(end, &monthly, &yearly)) {
            totals.insert(unit, amount);
        }
    }
    Ok(totals)
}

/// Brings the stored status of live customers (all, or `only` these) in line
/// with the ledger as of the ledger month. Changes go to the history through
/// the customer trigger, stamped with `actor`. Returns how many changed.
/// Every customer's: a records keeper's (supervisor, administrator) work;
/// named ones: anyone who may edit each of them.
pub fn refresh_statuses_in(
    tx: &Tx<'_>,
    actor: &Actor,
    rules: &StatusRules,
    only: Option<&[CustomerId]>,
) -> Result<usize, DbError> {
    match only {
        None => actor.staff.may_keep_records()?,
        Some(ids) => {
            for id in ids {
                may_edit_customer(tx, actor, id)?;
            }
        }
    }
    refresh_statuses_after(tx, actor, rules, only)
}

/// [`refresh_statuses_in`] as the consequence of a ledger write its caller
/// was allowed to make (a new ledger month moves every customer's window).
///
/// Every changed status is written in `actor`'s name, as on a file, also for
/// the customers `actor` may not edit. On a server row-level security refuses
/// those to them (rightly: an account manager sets no status of a colleague's
/// customer), so there they go to `kam_rerate_customers`
/// (migrations-pg/03-ledger-statuses), which sets nothing but the status the
/// ledger gives, under the database's rules.
pub(crate) fn refresh_statuses_after(
    tx: &Tx<'_>,
    actor: &Actor,
    rules: &StatusRules,
    only: Option<&[CustomerId]>,
) -> Result<usize, DbError> {
    let Some(last) = ledger_month(tx)? else { return Ok(0) };
    let n = i64::from(rules.months_needed());
    let first = last.plus(1 - n);
    let rated = computed_statuses(tx, rules, first, last, only)?;
    let stamp = actor.stamp();
    let mut changed = 0;
    let mut not_mine: Vec<CustomerId> = Vec::new();
    for r in rated {
        if r.stored == r.status.code() {
            continue;
        }
        let direct = match tx.dialect() {
            Dialect::Sqlite => true,
            Dialect::Postgres => super::access::may_edit_owned(tx, actor, r.owner_a, r.owner_b, r.unit).is_ok(),
        };
        if direct {
            changed += tx.exec(
                "UPDATE customer SET status = ?1, updated_by = ?2, updated_at = ?3 WHERE id = ?4 AND status <> ?1",
                args![r.status.code(), actor.staff.id, stamp, r.id],
            )?;
        } else {
            not_mine.push(r.id);
        }
    }
    // A few thousand IDs a statement: one round trip each, none too long.
    for ids in not_mine.chunks(5_000) {
        let ids: Vec<&str> = ids.iter().map(CustomerId::as_str).collect();
        let n: i64 = tx.row(
            "SELECT kam_rerate_customers(?1, ?2, CAST(?3 AS timestamptz), ?4, ?5, ?6)",
            args![
                ids.join(","),
                actor.staff.id,
                stamp,
                i64::from(rules.watch_fall_percent),
                i64::from(rules.warning_decline_months),
                i64::from(rules.churned_empty_months)
            ],
            |r| r.get(0),
        )?;
        changed += u64::try_from(n).unwrap_or(0);
    }
    Ok(usize::try_from(changed).unwrap_or(usize::MAX))
}

/// A customer's status by the rules, with what is stored now and who edits it.
struct Rated {
    id: CustomerId,
    status: CustomerStatus,
    stored: String,
    owner_a: i64,
    owner_b: Option<i64>,
    unit: i64,
}

/// The status each live customer (all, or `only` these) has by the rules, from
/// the months `first..=last`.
fn computed_statuses(
    conn: &Conn,
    rules: &StatusRules,
    first: Month,
    last: Month,
    only: Option<&[CustomerId]>,
) -> Result<Vec<Rated>, DbError> {
    type Customer = (CustomerId, String, i64, Option<i64>, i64);
    const COLUMNS: &str = "SELECT id, status, owner_a, owner_b, unit_id FROM customer";
    let customer = |r: &super::sql::Row<'_>| -> Result<Customer, DbError> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
    };
    let months: Vec<Month> = Month::range(first, last).collect();
    let mut by_customer: HashMap<CustomerId, Vec<Money>> = HashMap::new();
    let mut put = |id: CustomerId, month: i64, amount: Money| {
        if let Some(i) = months.iter().position(|m| m.key() == month) {
            by_customer.entry(id).or_insert_with(|| vec![Money::ZERO; months.len()])[i] = amount;
        }
    };
    let customers: Vec<Customer> = match only {
        Some(ids) => {
            let mut found = Vec::with_capacity(ids.len());
            for id in ids {
                conn.rows(
                    "SELECT month, amount FROM revenue_month WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3",
                    args![id, first.key(), last.key()],
                    |r| {
                        put(id.clone(), r.get(0)?, r.get(1)?);
                        Ok(())
                    },
                )?;
                found.extend(conn.row(&format!("{COLUMNS} WHERE id = ?1"), args![id], customer).optional()?);
            }
            found
        }
        None => {
            conn.rows(
                "SELECT customer_id, month, amount FROM revenue_month WHERE month BETWEEN ?1 AND ?2",
                args![first.key(), last.key()],
                |r| {
                    put(r.get(0)?, r.get(1)?, r.get(2)?);
                    Ok(())
                },
            )?;
            conn.rows(&format!("{COLUMNS} WHERE archived = 0"), args![], customer)?
        }
    };
    let empty = vec![Money::ZERO; months.len()];
    let mut out = Vec::with_capacity(customers.len());
    for (id, stored, owner_a, owner_b, unit) in customers {
        let amounts = by_customer.get(&id).unwrap_or(&empty);
        // Only a customer with nothing in the window needs the look further back.
        let had_before = if amounts.iter().all(|a| a.to_fen() <= 0) {
            conn.row(
                "SELECT EXISTS (SELECT 1 FROM revenue_month WHERE customer_id = ?1 AND month < ?2 AND amount > 0)",
                args![id, first.key()],
                |r| r.get(0),
            )?
        } else {
            false
        };
        let status = rules.status(amounts, had_before);
        out.push(Rated { id, status, stored, owner_a, owner_b, unit });
    }
    Ok(out)
}

/// The account manager's explanation of a fluctuation in `month`.
pub fn explain_fluctuation(
    store: &mut Store,
    actor: &Actor,
    customer: &CustomerId,
    month: Month,
    explanation: &str,
) -> Result<(), DbError> {
    store.write(|tx| explain_fluctuation_in(tx, actor, customer, month, explanation))
}

/// [`explain_fluctuation`] within an open transaction (also used by the demo generator).
pub fn explain_fluctuation_in(
    tx: &Tx<'_>,
    actor: &Actor,
    customer: &CustomerId,
    month: Month,
    explanation: &str,
) -> Result<(), DbError> {
    let explanation = explanation.trim();
    if explanation.is_empty() {
        return Err(DbError::Invalid(crate::db::Invalid::Required("explanation")));
    }
    may_edit_customer(tx, actor, customer)?;
    tx.exec(
        "INSERT INTO fluctuation_note (customer_id, month, explanation, written_by, written_at) \
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (customer_id, month) DO UPDATE SET \
         explanation = excluded.explanation, written_by = excluded.written_by, written_at = excluded.written_at",
        args![customer, month.key(), explanation, actor.staff.id, actor.stamp()],
    )?;
    Ok(())
}

/// Marks a customer as one-off (一次性客户), excepted from the fluctuation review, or not.
pub fn set_one_off(store: &mut Store, actor: &Actor, customer: &CustomerId, one_off: bool) -> Result<(), DbError> {
    store.write(|tx| set_one_off_in(tx, actor, customer, one_off))
}

/// [`set_one_off`] within an open transaction.
pub fn set_one_off_in(tx: &Tx<'_>, actor: &Actor, customer: &CustomerId, one_off: bool) -> Result<(), DbError> {
    may_edit_customer(tx, actor, customer)?;
    tx.exec(
        "UPDATE customer SET one_off = ?1, updated_by = ?2, updated_at = ?3, version = version + 1 \
         WHERE id = ?4 AND one_off <> ?1",
        args![one_off, actor.staff.id, actor.stamp(), customer],
    )?;
    Ok(())
}
