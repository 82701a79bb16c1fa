//! The revenue ledger (SPEC §7): monthly revenue per customer and service line,
//! the units' own revenue, the tier inputs read from them, customer statuses,
//! and the explanations of fluctuations.

use crate::db::Tx;
use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::access::may_edit_customer;
use super::error::constraint_as_invalid;
use super::{Actor, DbError, Store};
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
pub fn ledger_month(conn: &Connection) -> Result<Option<Month>, DbError> {
    let key: Option<i64> = conn.query_row("SELECT max(month) FROM revenue_month", [], |r| r.get(0))?;
    Ok(key.and_then(Month::from_key))
}

/// Writes entries within an open transaction: new cells are inserted, changed
/// ones updated (the history trigger records old and new), equal ones left alone.
/// Refused unless `actor` may edit every customer named.
pub fn write_entries_in(tx: &Tx<'_>, actor: &Actor, entries: &[RevenueEntry]) -> Result<WriteCounts, DbError> {
    let mut asked = std::collections::HashSet::new();
    for e in entries {
        if asked.insert(e.customer_id.as_str()) {
            may_edit_customer(tx, actor, &e.customer_id)?;
        }
    }
    let mut counts = WriteCounts::default();
    let mut read =
        tx.prepare_cached("SELECT amount FROM revenue WHERE month = ?1 AND customer_id = ?2 AND service_line_id = ?3")?;
    let mut insert = tx.prepare_cached(
        "INSERT INTO revenue (month, customer_id, service_line_id, amount, created_by, created_at, updated_by, \
         updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
    )?;
    let mut update = tx.prepare_cached(
        "UPDATE revenue SET amount = ?4, updated_by = ?5, updated_at = ?6 \
         WHERE month = ?1 AND customer_id = ?2 AND service_line_id = ?3",
    )?;
    let stamp = actor.stamp();
    for e in entries {
        let key = params![e.month.key(), e.customer_id, e.service_line_id];
        let old: Option<Money> = read.query_row(key, |r| r.get(0)).optional()?;
        let args = params![e.month.key(), e.customer_id, e.service_line_id, e.amount, actor.staff.id, stamp];
        match old {
            None => {
                insert.execute(args).map_err(constraint_as_invalid)?;
                counts.inserted += 1;
            }
            Some(old) if old.to_fen() == e.amount.to_fen() => counts.unchanged += 1,
            Some(_) => {
                update.execute(args).map_err(constraint_as_invalid)?;
                counts.updated += 1;
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
    conn: &Connection,
    customer: &CustomerId,
    from: Month,
    to: Month,
) -> Result<Vec<(Month, i64, Money)>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT month, service_line_id, amount FROM revenue WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3",
    )?;
    let rows = stmt.query_map(params![customer, from.key(), to.key()], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, Money>(2)?))
    })?;
    let mut cells = Vec::new();
    for row in rows {
        let (key, line, amount) = row?;
        if let Some(month) = Month::from_key(key) {
            cells.push((month, line, amount));
        }
    }
    Ok(cells)
}

/// A customer's monthly totals for `from..=to`, every month present (zero when empty).
pub fn customer_totals(
    conn: &Connection,
    customer: &CustomerId,
    from: Month,
    to: Month,
) -> Result<Vec<(Month, Money)>, DbError> {
    let mut stmt = conn
        .prepare_cached("SELECT month, amount FROM revenue_month WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3")?;
    let found: HashMap<i64, Money> = stmt
        .query_map(params![customer, from.key(), to.key()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(Month::range(from, to).map(|m| (m, found.get(&m.key()).copied().unwrap_or(Money::ZERO))).collect())
}

/// A unit's entered revenue: (monthly entries, yearly totals).
pub type UnitFigures = (Vec<(Month, Money)>, Vec<(i32, Money)>);

pub fn unit_figures(conn: &Connection, unit: i64) -> Result<UnitFigures, DbError> {
    let mut stmt = conn.prepare_cached("SELECT year, month, amount FROM unit_revenue WHERE unit_id = ?1")?;
    let mut monthly = Vec::new();
    let mut yearly = Vec::new();
    for row in stmt.query_map([unit], |r| Ok((r.get::<_, i32>(0)?, r.get::<_, u32>(1)?, r.get::<_, Money>(2)?)))? {
        let (year, month, amount) = row?;
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
}

/// A customer's `months` months ending with the ledger month (the month
/// before `today` while the ledger is empty).
pub fn customer_ledger(
    conn: &Connection,
    customer: &CustomerId,
    today: NaiveDate,
    months: u32,
) -> Result<CustomerLedger, DbError> {
    let last = ledger_month(conn)?.unwrap_or_else(|| Month::of(today).prev());
    let first = last.plus(1 - i64::from(months.max(1)));
    Ok(CustomerLedger {
        totals: customer_totals(conn, customer, first, last)?,
        cells: customer_cells(conn, customer, first, last)?,
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
    tx.prepare_cached(
        "INSERT INTO unit_revenue (unit_id, year, month, amount, updated_by, updated_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (unit_id, year, month) DO UPDATE SET \
         amount = excluded.amount, updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )?
    .execute(params![unit, year, month.unwrap_or(0), amount, actor.staff.id, actor.stamp()])
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
pub fn estimates_after(
    conn: &Connection,
    after: Option<&CustomerId>,
    limit: u64,
) -> Result<Vec<RevenueEstimate>, DbError> {
    // Every ID sorts after the empty text.
    let after = after.map_or("", CustomerId::as_str);
    let mut stmt = conn.prepare_cached(
        "SELECT id, kind = 'policy', coalesce(annual_revenue, 0) FROM customer WHERE id > ?1 ORDER BY id LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![after, i64::try_from(limit).unwrap_or(i64::MAX)], |r| {
        Ok(RevenueEstimate { customer_id: r.get(0)?, policy: r.get(1)?, annual: r.get(2)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
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
    conn: &Connection,
    customer: &CustomerId,
    unit: i64,
    estimate: Option<Money>,
    payroll: Option<Money>,
) -> Result<TierBasis, DbError> {
    let last = ledger_month(conn)?;
    let own: Option<Money> = match last {
        Some(last) => conn
            .prepare_cached("SELECT sum(amount) FROM revenue_month WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3")?
            .query_row(params![customer, last.plus(-11).key(), last.key()], |r| r.get(0))?,
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
pub fn twelve_month_totals(conn: &Connection, last: Month) -> Result<HashMap<CustomerId, Money>, DbError> {
    let mut stmt = conn.prepare(
        "SELECT customer_id, sum(amount) FROM revenue_month WHERE month BETWEEN ?1 AND ?2 GROUP BY customer_id",
    )?;
    let totals = stmt
        .query_map(params![last.plus(-11).key(), last.key()], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<Result<_, _>>()?;
    Ok(totals)
}

/// While the ledger is empty, a unit's figures are read as of the latest period entered.
fn latest_entered(monthly: &[(Month, Money)], yearly: &[(i32, Money)]) -> Option<Month> {
    let months = monthly.iter().map(|(m, _)| *m);
    let year_ends = yearly.iter().filter_map(|(y, _)| Month::new(*y, 12));
    months.chain(year_ends).max()
}

/// Every unit's revenue over the twelve months ending `last` (the ledger month;
/// None while the ledger is empty).
pub fn unit_window_totals(conn: &Connection, last: Option<Month>) -> Result<HashMap<i64, Money>, DbError> {
    let units: Vec<i64> = conn
        .prepare("SELECT DISTINCT unit_id FROM unit_revenue")?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
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
pub(crate) fn refresh_statuses_after(
    tx: &Tx<'_>,
    actor: &Actor,
    rules: &StatusRules,
    only: Option<&[CustomerId]>,
) -> Result<usize, DbError> {
    let Some(last) = ledger_month(tx)? else { return Ok(0) };
    let n = i64::from(rules.months_needed());
    let first = last.plus(1 - n);
    let statuses = computed_statuses(tx, rules, first, last, only)?;
    let mut update = tx.prepare_cached(
        "UPDATE customer SET status = ?1, updated_by = ?2, updated_at = ?3 WHERE id = ?4 AND status <> ?1",
    )?;
    let stamp = actor.stamp();
    let mut changed = 0;
    for (id, status) in statuses {
        changed += update.execute(params![status.code(), actor.staff.id, stamp, id])?;
    }
    Ok(changed)
}

/// The status each live customer (all, or `only` these) has by the rules, from
/// the months `first..=last`.
fn computed_statuses(
    conn: &Connection,
    rules: &StatusRules,
    first: Month,
    last: Month,
    only: Option<&[CustomerId]>,
) -> Result<Vec<(CustomerId, CustomerStatus)>, DbError> {
    let months: Vec<Month> = Month::range(first, last).collect();
    let mut by_customer: HashMap<CustomerId, Vec<Money>> = HashMap::new();
    let mut put = |id: CustomerId, month: i64, amount: Money| {
        if let Some(i) = months.iter().position(|m| m.key() == month) {
            by_customer.entry(id).or_insert_with(|| vec![Money::ZERO; months.len()])[i] = amount;
        }
    };
    let ids: Vec<CustomerId> = match only {
        Some(ids) => {
            let mut stmt = conn.prepare_cached(
                "SELECT month, amount FROM revenue_month WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3",
            )?;
            for id in ids {
                for row in stmt.query_map(params![id, first.key(), last.key()], |r| Ok((r.get(0)?, r.get(1)?)))? {
                    let (month, amount) = row?;
                    put(id.clone(), month, amount);
                }
            }
            ids.to_vec()
        }
        None => {
            let mut stmt =
                conn.prepare("SELECT customer_id, month, amount FROM revenue_month WHERE month BETWEEN ?1 AND ?2")?;
            for row in stmt.query_map(params![first.key(), last.key()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
                let (id, month, amount) = row?;
                put(id, month, amount);
            }
            conn.prepare("SELECT id FROM customer WHERE archived = 0")?
                .query_map([], |r| r.get(0))?
                .collect::<Result<_, _>>()?
        }
    };
    let mut earlier = conn.prepare_cached(
        "SELECT EXISTS (SELECT 1 FROM revenue_month WHERE customer_id = ?1 AND month < ?2 AND amount > 0)",
    )?;
    let empty = vec![Money::ZERO; months.len()];
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let amounts = by_customer.get(&id).unwrap_or(&empty);
        // Only a customer with nothing in the window needs the look further back.
        let had_before = if amounts.iter().all(|a| a.to_fen() <= 0) {
            earlier.query_row(params![id, first.key()], |r| r.get(0))?
        } else {
            false
        };
        out.push((id, rules.status(amounts, had_before)));
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
    tx.prepare_cached(
        "INSERT INTO fluctuation_note (customer_id, month, explanation, written_by, written_at) \
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (customer_id, month) DO UPDATE SET \
         explanation = excluded.explanation, written_by = excluded.written_by, written_at = excluded.written_at",
    )?
    .execute(params![customer, month.key(), explanation, actor.staff.id, actor.stamp()])?;
    Ok(())
}

/// Marks a customer as one-off (一次性客户), excepted from the fluctuation review, or not.
pub fn set_one_off(store: &mut Store, actor: &Actor, customer: &CustomerId, one_off: bool) -> Result<(), DbError> {
    store.write(|tx| set_one_off_in(tx, actor, customer, one_off))
}

/// [`set_one_off`] within an open transaction.
pub fn set_one_off_in(tx: &Tx<'_>, actor: &Actor, customer: &CustomerId, one_off: bool) -> Result<(), DbError> {
    may_edit_customer(tx, actor, customer)?;
    tx.prepare_cached(
        "UPDATE customer SET one_off = ?1, updated_by = ?2, updated_at = ?3, version = version + 1 \
         WHERE id = ?4 AND one_off <> ?1",
    )?
    .execute(params![one_off, actor.staff.id, actor.stamp(), customer])?;
    Ok(())
}
