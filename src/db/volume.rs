//! Volume (用邮量, pieces per customer, month and service line) and returned
//! mail (退信, per customer and month, with reasons) beside the revenue ledger
//! (SPEC §14.7), and the bureau's choice of measure for the fluctuation rule.
//! Written like revenue: only by those who edit the customer, one transaction,
//! never deleted, every change of a count in the history (the triggers of
//! migration 14-volume / 07-volume).

use std::collections::HashMap;

use super::access::may_edit_customer;
use super::error::constraint_as_invalid;
use super::revenue::WriteCounts;
use super::sql::{Optional, Sql, args};
use super::{Actor, Conn, DbError, Invalid, Store, Tx};
use crate::domain::id::CustomerId;
use crate::domain::revenue::Month;
use crate::domain::volume::{FluctuationMeasure, Returns};

/// One cell of the volume table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeEntry {
    pub customer_id: CustomerId,
    pub month: Month,
    pub service_line_id: i64,
    pub pieces: u64,
}

/// A customer's returned mail in one month, with the pieces by reason (reason id).
/// It is the month's whole picture: a reason stored before and not named here
/// goes to 0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnsEntry {
    pub customer_id: CustomerId,
    pub month: Month,
    pub returns: Returns,
    pub reasons: Vec<(i64, u64)>,
}

/// Refuses unless `actor` may edit every customer named (each asked once).
fn may_edit_each<'a>(tx: &Tx<'_>, actor: &Actor, ids: impl Iterator<Item = &'a CustomerId>) -> Result<(), DbError> {
    let mut asked = std::collections::HashSet::new();
    for id in ids {
        if asked.insert(id.as_str()) {
            may_edit_customer(tx, actor, id)?;
        }
    }
    Ok(())
}

/// The pieces stored now for a cell, if any.
pub(crate) fn stored_pieces(conn: &Conn, e: &VolumeEntry) -> Result<Option<u64>, DbError> {
    conn.row(
        "SELECT pieces FROM volume WHERE month = ?1 AND customer_id = ?2 AND service_line_id = ?3",
        args![e.month.key(), e.customer_id, e.service_line_id],
        |r| r.get(0),
    )
    .optional()
}

/// Writes volume cells within an open transaction: new ones inserted, changed
/// ones updated (the trigger records old and new), equal ones left alone.
/// Refused unless `actor` may edit every customer named.
pub fn write_volume_in(tx: &Tx<'_>, actor: &Actor, entries: &[VolumeEntry]) -> Result<WriteCounts, DbError> {
    may_edit_each(tx, actor, entries.iter().map(|e| &e.customer_id))?;
    let mut counts = WriteCounts::default();
    let (by, stamp) = (actor.staff.id, actor.stamp());
    for e in entries {
        let (month, customer, line) = (e.month.key(), &e.customer_id, e.service_line_id);
        match stored_pieces(tx, e)? {
            None => {
                tx.exec(
                    "INSERT INTO volume (month, customer_id, service_line_id, pieces, created_by, created_at, \
                     updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
                    args![month, customer, line, e.pieces, by, stamp],
                )
                .map_err(constraint_as_invalid)?;
                counts.inserted += 1;
            }
            Some(old) if old == e.pieces => counts.unchanged += 1,
            Some(_) => {
                tx.exec(
                    "UPDATE volume SET pieces = ?4, updated_by = ?5, updated_at = ?6 \
                     WHERE month = ?1 AND customer_id = ?2 AND service_line_id = ?3",
                    args![month, customer, line, e.pieces, by, stamp],
                )
                .map_err(constraint_as_invalid)?;
                counts.updated += 1;
            }
        }
    }
    Ok(counts)
}

/// One volume cell typed into the dossier's grid by someone who may edit the customer.
pub fn set_volume_cell(store: &mut Store, actor: &Actor, entry: &VolumeEntry) -> Result<(), DbError> {
    store.write(|tx| write_volume_in(tx, actor, std::slice::from_ref(entry)).map(|_| ()))
}

/// A customer's volume cells for `from..=to`: (month, service line id, pieces).
pub fn customer_volume(
    conn: &Conn,
    customer: &CustomerId,
    from: Month,
    to: Month,
) -> Result<Vec<(Month, i64, u64)>, DbError> {
    let rows = conn.rows(
        "SELECT month, service_line_id, pieces FROM volume WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3",
        args![customer, from.key(), to.key()],
        |r| Ok((r.get::<i64>(0)?, r.get::<i64>(1)?, r.get::<u64>(2)?)),
    )?;
    Ok(rows.into_iter().filter_map(|(key, line, pieces)| Some((Month::from_key(key)?, line, pieces))).collect())
}

/// A month's returned mail as stored: the figures and the pieces by reason id.
type StoredReturns = (Returns, HashMap<i64, u64>);

/// What is stored now for a month's returned mail: the figures and the pieces by reason.
pub(crate) fn stored_returns(
    conn: &Conn,
    customer: &CustomerId,
    month: Month,
) -> Result<Option<StoredReturns>, DbError> {
    let Some(returns) = conn
        .row(
            "SELECT posted, returned FROM returned_mail WHERE customer_id = ?1 AND month = ?2",
            args![customer, month.key()],
            |r| Ok(Returns { posted: r.get(0)?, returned: r.get(1)? }),
        )
        .optional()?
    else {
        return Ok(None);
    };
    let reasons: HashMap<i64, u64> = conn
        .rows(
            "SELECT reason_id, pieces FROM returned_mail_reason WHERE customer_id = ?1 AND month = ?2",
            args![customer, month.key()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?
        .into_iter()
        .collect();
    Ok(Some((returns, reasons)))
}

/// Whether writing `e` would change what is stored (None: nothing stored yet).
pub(crate) fn returns_change(conn: &Conn, e: &ReturnsEntry) -> Result<Option<bool>, DbError> {
    let Some((returns, stored)) = stored_returns(conn, &e.customer_id, e.month)? else { return Ok(None) };
    let named: HashMap<i64, u64> = e.reasons.iter().copied().collect();
    let reasons_differ = named.iter().any(|(id, n)| stored.get(id).copied().unwrap_or(0) != *n)
        || stored.iter().any(|(id, n)| *n != 0 && !named.contains_key(id));
    Ok(Some(returns != e.returns || reasons_differ))
}

/// Writes months of returned mail within an open transaction (each the
/// month's whole picture). Refused unless `actor` may edit every customer
/// named; figures that cannot be right (more returned than posted, reasons
/// over the returned pieces) are refused as invalid.
pub fn write_returns_in(tx: &Tx<'_>, actor: &Actor, entries: &[ReturnsEntry]) -> Result<WriteCounts, DbError> {
    may_edit_each(tx, actor, entries.iter().map(|e| &e.customer_id))?;
    let mut counts = WriteCounts::default();
    let (by, stamp) = (actor.staff.id, actor.stamp());
    for e in entries {
        let pieces: Vec<u64> = e.reasons.iter().map(|(_, n)| *n).collect();
        e.returns.check(&pieces).map_err(|why| DbError::Invalid(Invalid::Constraint(why.to_string())))?;
        let (customer, month) = (&e.customer_id, e.month.key());
        let old_reasons = match stored_returns(tx, customer, e.month)? {
            None => {
                tx.exec(
                    "INSERT INTO returned_mail (customer_id, month, posted, returned, created_by, created_at, \
                     updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
                    args![customer, month, e.returns.posted, e.returns.returned, by, stamp],
                )
                .map_err(constraint_as_invalid)?;
                counts.inserted += 1;
                HashMap::new()
            }
            Some(_) if returns_change(tx, e)? == Some(false) => {
                counts.unchanged += 1;
                continue;
            }
            Some((old, old_reasons)) => {
                counts.updated += 1;
                if old != e.returns {
                    tx.exec(
                        "UPDATE returned_mail SET posted = ?3, returned = ?4, updated_by = ?5, updated_at = ?6 \
                         WHERE customer_id = ?1 AND month = ?2",
                        args![customer, month, e.returns.posted, e.returns.returned, by, stamp],
                    )
                    .map_err(constraint_as_invalid)?;
                }
                // A reason stored before and not named now goes to 0.
                for (id, old) in &old_reasons {
                    if *old != 0 && !e.reasons.iter().any(|(named, _)| named == id) {
                        tx.exec(
                            "UPDATE returned_mail_reason SET pieces = 0, updated_by = ?4, updated_at = ?5 \
                             WHERE customer_id = ?1 AND month = ?2 AND reason_id = ?3",
                            args![customer, month, id, by, stamp],
                        )
                        .map_err(constraint_as_invalid)?;
                    }
                }
                old_reasons
            }
        };
        for (id, new) in &e.reasons {
            match old_reasons.get(id) {
                None => {
                    tx.exec(
                        "INSERT INTO returned_mail_reason (customer_id, month, reason_id, pieces, created_by, \
                         created_at, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)",
                        args![customer, month, id, new, by, stamp],
                    )
                    .map_err(constraint_as_invalid)?;
                }
                Some(old) if new != old => {
                    tx.exec(
                        "UPDATE returned_mail_reason SET pieces = ?4, updated_by = ?5, updated_at = ?6 \
                         WHERE customer_id = ?1 AND month = ?2 AND reason_id = ?3",
                        args![customer, month, id, new, by, stamp],
                    )
                    .map_err(constraint_as_invalid)?;
                }
                Some(_) => {}
            }
        }
    }
    Ok(counts)
}

/// A month's returned mail as shown: the figures and the pieces by reason id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthReturns {
    pub month: Month,
    pub returns: Returns,
    pub reasons: Vec<(i64, u64)>,
}

/// A customer's returned mail for `from..=to`, oldest first.
pub fn customer_returns(
    conn: &Conn,
    customer: &CustomerId,
    from: Month,
    to: Month,
) -> Result<Vec<MonthReturns>, DbError> {
    let months = conn.rows(
        "SELECT month, posted, returned FROM returned_mail WHERE customer_id = ?1 AND month BETWEEN ?2 AND ?3 \
         ORDER BY month",
        args![customer, from.key(), to.key()],
        |r| Ok((r.get::<i64>(0)?, Returns { posted: r.get(1)?, returned: r.get(2)? })),
    )?;
    let mut reasons: HashMap<i64, Vec<(i64, u64)>> = HashMap::new();
    conn.rows(
        "SELECT month, reason_id, pieces FROM returned_mail_reason WHERE customer_id = ?1 \
         AND month BETWEEN ?2 AND ?3 AND pieces > 0 ORDER BY reason_id",
        args![customer, from.key(), to.key()],
        |r| {
            reasons.entry(r.get(0)?).or_default().push((r.get(1)?, r.get(2)?));
            Ok(())
        },
    )?;
    Ok(months
        .into_iter()
        .filter_map(|(key, returns)| {
            Some(MonthReturns {
                month: Month::from_key(key)?,
                returns,
                reasons: reasons.remove(&key).unwrap_or_default(),
            })
        })
        .collect())
}

/// Every customer's pieces in `month` (customers with any entry).
pub fn month_pieces(conn: &Conn, month: Month) -> Result<HashMap<CustomerId, u64>, DbError> {
    let rows = conn.rows(
        "SELECT customer_id, sum(pieces) FROM volume WHERE month = ?1 GROUP BY customer_id",
        args![month.key()],
        |r| Ok((r.get::<CustomerId>(0)?, r.get::<u64>(1)?)),
    )?;
    Ok(rows.into_iter().collect())
}

/// Every customer's returned mail in `month` (customers with a row).
pub fn month_returns(conn: &Conn, month: Month) -> Result<HashMap<CustomerId, Returns>, DbError> {
    let rows = conn.rows(
        "SELECT customer_id, posted, returned FROM returned_mail WHERE month = ?1",
        args![month.key()],
        |r| Ok((r.get::<CustomerId>(0)?, Returns { posted: r.get(1)?, returned: r.get(2)? })),
    )?;
    Ok(rows.into_iter().collect())
}

/// The setting key: which measure the fluctuation rule reads.
const FLUCTUATION_MEASURE: &str = "fluctuation_measure";

/// The bureau's measure for the fluctuation rule (revenue unless the administrator chose volume).
pub fn fluctuation_measure(conn: &Conn) -> Result<FluctuationMeasure, DbError> {
    let value: Option<String> =
        conn.row("SELECT value FROM setting WHERE key = ?1", args![FLUCTUATION_MEASURE], |r| r.get(0)).optional()?;
    Ok(value.as_deref().and_then(FluctuationMeasure::from_code).unwrap_or_default())
}

/// The administrator chooses the measure of the fluctuation rule, with history.
pub fn set_fluctuation_measure(store: &mut Store, actor: &Actor, measure: FluctuationMeasure) -> Result<(), DbError> {
    actor.staff.may_administer()?;
    store.write(|tx| {
        tx.exec(
            "INSERT INTO setting (key, value, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
            args![FLUCTUATION_MEASURE, measure.code(), actor.staff.id, actor.stamp()],
        )?;
        Ok(())
    })
}
