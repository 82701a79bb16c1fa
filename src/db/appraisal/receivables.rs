//! Revenue not yet collected (应收未收): of a customer's revenue for a month
//! and service line, what is still owed, and the day it was paid. The
//! achievement counts in the month the revenue appears; money still unpaid
//! later costs the manager late money (逾期核减, SPEC §10.2), which reads
//! [`debts_of_manager`]. Written as the ledger is, by whoever edits the
//! customer (imports: supervisors and the customer administrator).

use std::collections::HashSet;

use chrono::{NaiveDate, NaiveDateTime};

use super::AppraisalProblem;
use crate::db::access::may_edit_customer;
use crate::db::error::constraint_as_invalid;
use crate::db::revenue::WriteCounts;
use crate::db::sql::{Optional, Sql, args};
use crate::db::sql_types::Civil;
use crate::db::{Actor, Conn, DbError, Store, Tx};
use crate::domain::appraisal::late_money::UnpaidRevenue;
use crate::domain::id::CustomerId;
use crate::domain::money::Money;
use crate::domain::revenue::Month;

/// One receivable to record: the revenue cell it belongs to, what of it is
/// unpaid, and the day it was paid (None: not yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewReceivable {
    pub customer_id: CustomerId,
    pub month: Month,
    pub service_line_id: i64,
    pub unpaid: Money,
    pub paid_on: Option<NaiveDate>,
}

/// A receivable as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receivable {
    pub customer_id: CustomerId,
    pub month: Month,
    pub service_line_id: i64,
    pub unpaid: Money,
    pub paid_on: Option<NaiveDate>,
    /// Who wrote it last, by name, and when.
    pub updated_by: String,
    pub updated_at: NaiveDateTime,
    pub version: i64,
}

/// The receivables of a customer, latest month first.
pub fn receivables_of(conn: &Conn, customer: &CustomerId) -> Result<Vec<Receivable>, DbError> {
    let rows = conn.rows(
        "SELECT r.month, r.service_line_id, r.unpaid, r.paid_on, coalesce(s.name, ''), r.updated_at, r.version \
         FROM receivable r LEFT JOIN staff s ON s.id = r.updated_by \
         WHERE r.customer_id = ?1 ORDER BY r.month DESC, r.service_line_id",
        args![customer],
        |r| {
            Ok((
                r.get::<i64>(0)?,
                Receivable {
                    customer_id: customer.clone(),
                    month: Month::new(1900, 1).expect("a month"),
                    service_line_id: r.get(1)?,
                    unpaid: r.get(2)?,
                    paid_on: r.get(3)?,
                    updated_by: crate::domain::validate::sanitize_text(&r.get::<String>(4)?),
                    updated_at: r.get::<Civil>(5)?.0,
                    version: r.get(6)?,
                },
            ))
        },
    )?;
    Ok(rows.into_iter().filter_map(|(key, rec)| Some(Receivable { month: Month::from_key(key)?, ..rec })).collect())
}

/// What is stored now for this cell: (unpaid, paid on), if anything.
pub fn stored_receivable(conn: &Conn, r: &NewReceivable) -> Result<Option<(Money, Option<NaiveDate>)>, DbError> {
    conn.row(
        "SELECT unpaid, paid_on FROM receivable WHERE customer_id = ?1 AND month = ?2 AND service_line_id = ?3",
        args![r.customer_id, r.month.key(), r.service_line_id],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )
    .optional()
}

/// Writes receivables within an open transaction: new cells are inserted,
/// changed ones updated (the history records old and new), equal ones left
/// alone. Refused unless `actor` may edit every customer named; a payment
/// dated after the actor's today is refused.
pub fn write_receivables_in(tx: &Tx<'_>, actor: &Actor, rows: &[NewReceivable]) -> Result<WriteCounts, DbError> {
    let mut asked = HashSet::new();
    for r in rows {
        if asked.insert(r.customer_id.as_str()) {
            may_edit_customer(tx, actor, &r.customer_id)?;
        }
    }
    if rows.iter().any(|r| r.unpaid.to_fen() < 0) {
        return Err(AppraisalProblem::NegativeAmount.into());
    }
    if rows.iter().any(|r| r.paid_on.is_some_and(|d| d > actor.today())) {
        return Err(AppraisalProblem::PaidInFuture.into());
    }
    let (by, at) = (actor.staff.id, actor.stamp());
    let mut counts = WriteCounts::default();
    for r in rows {
        let key = (r.customer_id.clone(), r.month.key(), r.service_line_id);
        match stored_receivable(tx, r)? {
            None => {
                tx.exec(
                    "INSERT INTO receivable (customer_id, month, service_line_id, unpaid, paid_on, recorded_by, \
                     recorded_at, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?6, ?7)",
                    args![key.0, key.1, key.2, r.unpaid, r.paid_on, by, at],
                )
                .map_err(constraint_as_invalid)?;
                counts.inserted += 1;
            }
            Some((unpaid, paid_on)) if unpaid.to_fen() == r.unpaid.to_fen() && paid_on == r.paid_on => {
                counts.unchanged += 1;
            }
            Some(_) => {
                tx.exec(
                    "UPDATE receivable SET unpaid = ?4, paid_on = ?5, updated_by = ?6, updated_at = ?7, \
                     version = version + 1 WHERE customer_id = ?1 AND month = ?2 AND service_line_id = ?3",
                    args![key.0, key.1, key.2, r.unpaid, r.paid_on, by, at],
                )
                .map_err(constraint_as_invalid)?;
                counts.updated += 1;
            }
        }
    }
    Ok(counts)
}

/// Records (or corrects) one receivable.
pub fn set_receivable(store: &mut Store, actor: &Actor, receivable: &NewReceivable) -> Result<(), DbError> {
    store.write(|tx| write_receivables_in(tx, actor, std::slice::from_ref(receivable)).map(|_| ()))
}

/// Records the day a receivable was paid (what was unpaid stays, as the
/// history of the debt). [`DbError::NotFound`] when none is recorded.
pub fn mark_paid(
    store: &mut Store,
    actor: &Actor,
    customer: &CustomerId,
    month: Month,
    service_line_id: i64,
    paid_on: NaiveDate,
) -> Result<(), DbError> {
    store.write(|tx| {
        may_edit_customer(tx, actor, customer)?;
        let cell = NewReceivable {
            customer_id: customer.clone(),
            month,
            service_line_id,
            unpaid: Money::ZERO,
            paid_on: Some(paid_on),
        };
        let (unpaid, _) = stored_receivable(tx, &cell)?.ok_or(DbError::NotFound)?;
        write_receivables_in(tx, actor, &[NewReceivable { unpaid, ..cell }]).map(|_| ())
    })
}

/// The money owed on `month` by the customers whose account manager (A) is
/// `staff_id`: receivables of revenue months up to `month`, with something
/// unpaid, not paid by the month's last day (paid on it: no debt; the day
/// after: still one in that month). Reads that manager's customers only
/// (`customer_owner`), then each one's unpaid rows (`receivable_unpaid`).
pub fn debts_of_manager(conn: &Conn, staff_id: i64, month: Month) -> Result<Vec<UnpaidRevenue>, DbError> {
    let last_day = month.next().first_day().pred_opt().unwrap_or(month.first_day());
    // CROSS JOIN: SQLite then starts from the manager's customers, not from
    // every unpaid receivable (PostgreSQL plans it as the join it is).
    let rows: Vec<(CustomerId, String, i64, Money)> = conn.rows(
        "SELECT r.customer_id, l.code, r.month, r.unpaid FROM customer c CROSS JOIN receivable r \
         JOIN service_line l ON l.id = r.service_line_id \
         WHERE r.customer_id = c.id AND c.archived IN (0, 1) AND c.owner_a = ?1 AND r.month <= ?2 AND r.unpaid > 0 \
         AND (r.paid_on IS NULL OR r.paid_on > ?3) \
         ORDER BY r.month, r.customer_id, l.code",
        args![staff_id, month.key(), last_day],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|(customer, line, key, unpaid)| {
            Some(UnpaidRevenue { customer: customer.to_string(), line, revenue_month: Month::from_key(key)?, unpaid })
        })
        .collect())
}
