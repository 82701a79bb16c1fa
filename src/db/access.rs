//! Who may change a customer's records: the role rules of `domain::staff`, and
//! the bureau's policy on whether account managers may also edit the other
//! customers of their own unit (the `setting` table, set by the administrator);
//! and who decides about a customer: the supervisors of its unit and of the
//! units above it (registrations, tier overrides, reassignment, closing a
//! complaint the customer is unsatisfied with). Every decision path asks
//! [`may_decide_for_customer`] or [`may_decide_for_unit`].

use rusqlite::{Connection, OptionalExtension, params};

use super::{Actor, DbError, Store};
use crate::domain::id::CustomerId;
use crate::domain::staff::{DecidingUnit, Refusal, Role, Staff};

/// The policy key: "1" lets account managers edit every customer of their unit.
const MANAGERS_EDIT_UNIT: &str = "managers_edit_unit";

pub fn managers_edit_unit(conn: &Connection) -> Result<bool, DbError> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM setting WHERE key = ?1")?
        .query_row([MANAGERS_EDIT_UNIT], |r| r.get(0))
        .optional()?;
    Ok(value.as_deref() == Some("1"))
}

/// The administrator turns the unit-wide editing policy on or off, with history.
pub fn set_managers_edit_unit(store: &mut Store, actor: &Actor, on: bool) -> Result<(), DbError> {
    actor.staff.may_administer()?;
    store.write(|tx| {
        tx.execute(
            "INSERT INTO setting (key, value, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
            params![MANAGERS_EDIT_UNIT, if on { "1" } else { "0" }, actor.staff.id, actor.stamp()],
        )?;
        Ok(())
    })
}

/// Refuses unless `actor` may edit a customer with these owners in `unit`.
pub fn may_edit_owned(
    conn: &Connection,
    actor: &Actor,
    owner_a: i64,
    owner_b: Option<i64>,
    unit: i64,
) -> Result<(), DbError> {
    match actor.staff.may_edit_customer(owner_a, owner_b) {
        Err(Refusal::NotYourCustomer)
            if actor.staff.role == Role::Manager && actor.staff.unit_id == unit && managers_edit_unit(conn)? =>
        {
            Ok(())
        }
        other => Ok(other?),
    }
}

/// [`may_edit_owned`] for a customer by ID.
pub fn may_edit_customer(conn: &Connection, actor: &Actor, customer: &CustomerId) -> Result<(), DbError> {
    let (a, b, unit): (i64, Option<i64>, i64) = conn
        .prepare_cached("SELECT owner_a, owner_b, unit_id FROM customer WHERE id = ?1")?
        .query_row([customer], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?
        .ok_or(DbError::NotFound)?;
    may_edit_owned(conn, actor, a, b, unit)
}

/// What a form does with a customer: which customers it may offer and accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// The dossier, its key persons and competitors, the marketing log: the
    /// customer's account managers (and, by policy, their unit), supervisors
    /// and administrators.
    Edit,
    /// Visits: as [`Work::Edit`], and leaders, who take part in senior visits.
    Visits,
    /// Filing a complaint: whoever receives it is first-responsible (SPEC §8),
    /// for any customer.
    Complaint,
}

/// Refuses unless `actor` may do `work` with this customer (which must exist).
pub fn may_work_on(conn: &Connection, actor: &Actor, customer: &CustomerId, work: Work) -> Result<(), DbError> {
    match (work, actor.staff.role) {
        // A leader's refusal to edit is no bar to visits; a missing customer still is.
        (Work::Visits, Role::Leader) | (Work::Complaint, _) => {
            let found: Option<i64> = conn
                .prepare_cached("SELECT 1 FROM customer WHERE id = ?1")?
                .query_row([customer], |r| r.get(0))
                .optional()?;
            found.map(|_| ()).ok_or(DbError::NotFound)
        }
        _ => may_edit_customer(conn, actor, customer),
    }
}

/// Which customers `staff` may do `work` with, as a list filter: `None` for
/// all of them, else (the staff member as owner A or B, and their unit when
/// the unit policy lets managers edit it). Refused when they may do it with none.
pub fn workable(conn: &Connection, staff: &Staff, work: Work) -> Result<Option<(i64, Option<i64>)>, DbError> {
    match (work, staff.role) {
        (Work::Complaint, _) | (_, Role::Supervisor | Role::Admin) | (Work::Visits, Role::Leader) => Ok(None),
        (Work::Edit, Role::Leader) => Err(DbError::Refused(Refusal::ReadOnlyRole)),
        (_, Role::Manager) => Ok(Some((staff.id, managers_edit_unit(conn)?.then_some(staff.unit_id)))),
    }
}

/// `unit` with the units above it (nearest first) and its name.
pub fn deciding_unit(conn: &Connection, unit: i64) -> Result<DecidingUnit, DbError> {
    let name: String = conn
        .prepare_cached("SELECT name FROM org_unit WHERE id = ?1")?
        .query_row([unit], |r| r.get(0))
        .optional()?
        .ok_or(DbError::NotFound)?;
    // UNION, not UNION ALL: a parent loop written by another program ends
    // instead of running forever.
    let unit_and_above = conn
        .prepare_cached(
            "WITH RECURSIVE up(id, depth) AS (SELECT ?1, 0 UNION \
             SELECT u.parent_id, up.depth + 1 FROM org_unit u JOIN up ON u.id = up.id \
             WHERE u.parent_id IS NOT NULL AND up.depth < 32) \
             SELECT id FROM up ORDER BY depth",
        )?
        .query_map([unit], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(DecidingUnit { name: crate::domain::validate::sanitize_text(&name), unit_and_above })
}

/// Refuses unless `actor` decides about the customers of `unit`.
pub fn may_decide_for_unit(conn: &Connection, actor: &Actor, unit: i64) -> Result<(), DbError> {
    Ok(actor.staff.may_decide_for(&deciding_unit(conn, unit)?)?)
}

/// Refuses unless `actor` decides about this customer (by its unit as stored now).
pub fn may_decide_for_customer(conn: &Connection, actor: &Actor, customer: &CustomerId) -> Result<(), DbError> {
    let unit: i64 = conn
        .prepare_cached("SELECT unit_id FROM customer WHERE id = ?1")?
        .query_row([customer], |r| r.get(0))
        .optional()?
        .ok_or(DbError::NotFound)?;
    may_decide_for_unit(conn, actor, unit)
}
