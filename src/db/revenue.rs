//! The revenue ledger (SPEC §7): monthly revenue per customer and service line,
//! the units' own revenue, the tier inputs read from them, customer statuses,
//! and the explanations of fluctuations.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::access::may_edit_customer;
use super::error::constraint_as_invalid;
use super::sql::{Optional, Sql, args};
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
    const READ: &str = "SELECT amount FROM revenue WHERE month = ?1 AND customer_id = ?2 AND service_line_id = ?3";
    const INSERT: &str = "INSERT INTO revenue (month, customer_id, service_line_id, amount, created_by, created_at, \
         updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)";
    const UPDATE: &str = "UPDATE revenue SET amount = ?4, updated_by = ?5, updated_at = ?6 \
         WHERE month = ?1 AND customer_id = ?2 AND service_line_id = ?3";
    let mut asked = std::collections::HashSet::new();
    for e in entries {
        if asked.insert(e.customer_id.as_str()) {
            may_edit_customer(tx, actor, &e.customer_id)?;
        }
    }
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
    let stamp = actor.stamp();
    let mut changed = 0;
    for (id, status) in statuses {
        changed += tx.exec(
            "UPDATE customer SET status = ?1, updated_by = ?2, updated_at = ?3 WHERE id = ?4 AND status <> ?1",
            args![status.code(), actor.staff.id, stamp, id],
        )?;
    }
    Ok(usize::try_from(changed).unwrap_or(usize::MAX))
}

/// The status each live customer (all, or `only` these) has by the rules, from
/// the months `first..=last`.
fn computed_statuses(
    conn: &Conn,
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
            for id in ids {
                conn.rows(
                    "SELECT month, amount FROM revenue_month WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3",
                    args![id, first.key(), last.key()],
                    |r| {
                        put(id.clone(), r.get(0)?, r.get(1)?);
                        Ok(())
                    },
                )?;
            }
            ids.to_vec()
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
            conn.rows("SELECT id FROM customer WHERE archived = 0", args![], |r| r.get(0))?
        }
    };
    let empty = vec![Money::ZERO; months.len()];
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
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
