//! Who may change a customer's records: the role rules of `domain::staff`, and
//! the bureau's policy on whether account managers may also edit the other
//! customers of their own unit (the `setting` table, set by the administrator);
//! and who decides about a customer: the supervisors of its unit and of the
//! units above it (registrations, tier overrides, reassignment, closing a
//! complaint the customer is unsatisfied with). Every decision path asks
//! [`may_decide_for_customer`] or [`may_decide_for_unit`].
//!
//! Every public function of `src/db` that writes asks these rules (or
//! `domain::staff`'s) before it writes, whatever screen or command called it;
//! `tests/it/write_access.rs` walks each of them under every role.
//!
//! # Complaints (SPEC §8, 首问负责制)
//! - **Filing**: whoever receives a complaint files it, for any customer, and
//!   is its first-responsible owner until it is handed over ([`may_file_complaint`]).
//!   Leaders read only.
//! - **Handling** (hand over, start, escalate, resolve, record the customer's
//!   word, close, reopen; the first phone contact, the cross-department team,
//!   follow-up notes): the one who received it while it is not yet handed
//!   over; its handler; the customer's account managers (A, B, and by the unit
//!   policy the unit's managers); the supervisors of the customer's unit and of
//!   the units above it, who direct the handling; the customer administrator.
//!   Anyone else is told who works on it ([`Refusal::NotYourComplaint`]).
//! - **An escalated complaint** is the supervisors' to decide (SPEC §8: beyond
//!   the account manager, up to their supervisor): handing it back (start) or
//!   resolving it takes a supervisor of the customer's unit or above
//!   ([`Refusal::DecidedBy`]); the handler keeps following it (notes, phone
//!   contact) meanwhile.
//! - **Closing over the customer's dissatisfaction** is a decision of a
//!   supervisor of the customer's unit or above.
//! - Leaders read complaints and write nothing.

use super::sql::{Optional, Sql, args};
use super::{Actor, Conn, DbError, Store};
use crate::domain::complaint::{ComplaintState, Transition};
use crate::domain::id::CustomerId;
use crate::domain::staff::{DecidingUnit, Refusal, Role, Staff};

/// The policy key: "1" lets account managers edit every customer of their unit.
const MANAGERS_EDIT_UNIT: &str = "managers_edit_unit";

pub fn managers_edit_unit(conn: &Conn) -> Result<bool, DbError> {
    let value: Option<String> =
        conn.row("SELECT value FROM setting WHERE key = ?1", args![MANAGERS_EDIT_UNIT], |r| r.get(0)).optional()?;
    Ok(value.as_deref() == Some("1"))
}

/// The administrator turns the unit-wide editing policy on or off, with history.
pub fn set_managers_edit_unit(store: &mut Store, actor: &Actor, on: bool) -> Result<(), DbError> {
    actor.staff.may_administer()?;
    store.write(|tx| {
        tx.exec(
            "INSERT INTO setting (key, value, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
            args![MANAGERS_EDIT_UNIT, if on { "1" } else { "0" }, actor.staff.id, actor.stamp()],
        )?;
        Ok(())
    })
}

/// Refuses unless `actor` may edit a customer with these owners in `unit`.
pub fn may_edit_owned(
    conn: &Conn,
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
pub fn may_edit_customer(conn: &Conn, actor: &Actor, customer: &CustomerId) -> Result<(), DbError> {
    let (a, b, unit) = owners(conn, customer)?;
    may_edit_owned(conn, actor, a, b, unit)
}

/// A customer's owners (A, B) and unit; [`DbError::NotFound`] when there is no such customer.
fn owners(conn: &Conn, customer: &CustomerId) -> Result<(i64, Option<i64>, i64), DbError> {
    conn.row("SELECT owner_a, owner_b, unit_id FROM customer WHERE id = ?1", args![customer], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })
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
    /// for any customer; leaders read only.
    Complaint,
}

/// Refuses unless `actor` may do `work` with this customer (which must exist).
pub fn may_work_on(conn: &Conn, actor: &Actor, customer: &CustomerId, work: Work) -> Result<(), DbError> {
    match (work, actor.staff.role) {
        (Work::Complaint, Role::Leader) => Err(DbError::Refused(Refusal::ReadOnlyRole)),
        // A leader's refusal to edit is no bar to visits; a missing customer still is.
        (Work::Visits, Role::Leader) | (Work::Complaint, _) => {
            conn.row("SELECT 1 FROM customer WHERE id = ?1", args![customer], |r| r.get::<i64>(0)).map(|_| ())
        }
        _ => may_edit_customer(conn, actor, customer),
    }
}

/// Which customers `staff` may do `work` with, as a list filter: `None` for
/// all of them, else (the staff member as owner A or B, and their unit when
/// the unit policy lets managers edit it). Refused when they may do it with none.
pub fn workable(conn: &Conn, staff: &Staff, work: Work) -> Result<Option<(i64, Option<i64>)>, DbError> {
    match (work, staff.role) {
        (Work::Complaint | Work::Edit, Role::Leader) => Err(DbError::Refused(Refusal::ReadOnlyRole)),
        (Work::Complaint, _) | (_, Role::Supervisor | Role::Admin) | (Work::Visits, Role::Leader) => Ok(None),
        (_, Role::Manager) => Ok(Some((staff.id, managers_edit_unit(conn)?.then_some(staff.unit_id)))),
    }
}

/// `unit` with the units above it (nearest first) and its name.
pub fn deciding_unit(conn: &Conn, unit: i64) -> Result<DecidingUnit, DbError> {
    let name: String = conn.row("SELECT name FROM org_unit WHERE id = ?1", args![unit], |r| r.get(0))?;
    // UNION, not UNION ALL: a parent loop written by another program ends
    // instead of running forever. The CAST gives the first row the type of
    // the ids below it (PostgreSQL would take an untyped parameter as text).
    let unit_and_above = conn.rows(
        "WITH RECURSIVE up(id, depth) AS (SELECT CAST(?1 AS bigint), 0 UNION \
         SELECT u.parent_id, up.depth + 1 FROM org_unit u JOIN up ON u.id = up.id \
         WHERE u.parent_id IS NOT NULL AND up.depth < 32) \
         SELECT id FROM up ORDER BY depth",
        args![unit],
        |r| r.get(0),
    )?;
    Ok(DecidingUnit { name: crate::domain::validate::sanitize_text(&name), unit_and_above })
}

/// Refuses unless `actor` decides about the customers of `unit`.
pub fn may_decide_for_unit(conn: &Conn, actor: &Actor, unit: i64) -> Result<(), DbError> {
    Ok(actor.staff.may_decide_for(&deciding_unit(conn, unit)?)?)
}

/// Refuses unless `actor` decides about this customer (by its unit as stored now).
pub fn may_decide_for_customer(conn: &Conn, actor: &Actor, customer: &CustomerId) -> Result<(), DbError> {
    let unit: i64 = conn.row("SELECT unit_id FROM customer WHERE id = ?1", args![customer], |r| r.get(0))?;
    may_decide_for_unit(conn, actor, unit)
}

/// The units that decide about every customer in the file: those at or above
/// the unit of each customer (archived ones too), nearest first, named by the
/// nearest. `None` when the file has no customers. Units form a tree, so the
/// list is the chain above the lowest unit that all customers' units share;
/// it is empty when they share none (then only the administrator decides).
pub fn units_deciding_for_all(conn: &Conn) -> Result<Option<DecidingUnit>, DbError> {
    // One index probe per unit (a few hundred), never a scan of the customers.
    let with_customers: Vec<i64> = conn.rows(
        "SELECT u.id FROM org_unit u WHERE EXISTS \
         (SELECT 1 FROM customer c WHERE c.archived IN (0, 1) AND c.unit_id = u.id) ORDER BY u.id",
        args![],
        |r| r.get(0),
    )?;
    let mut chains = Vec::with_capacity(with_customers.len());
    for unit in with_customers {
        chains.push(deciding_unit(conn, unit)?);
    }
    let Some(first) = chains.first() else { return Ok(None) };
    let shared: Vec<i64> =
        first.unit_and_above.iter().copied().filter(|u| chains.iter().all(|c| c.unit_and_above.contains(u))).collect();
    let name = match shared.first() {
        Some(&nearest) => deciding_unit(conn, nearest)?.name,
        None => first.name.clone(),
    };
    Ok(Some(DecidingUnit { name, unit_and_above: shared }))
}

/// Re-tiering every customer under another preset (SPEC §4) is a decision
/// about all of them: the customer administrator's, or a supervisor's of a
/// unit at or above every customer's unit. Others keep the stored tiers.
pub fn may_retier_all(conn: &Conn, actor: &Actor) -> Result<(), DbError> {
    actor.staff.may_keep_records()?;
    match units_deciding_for_all(conn)? {
        Some(all) => Ok(actor.staff.may_decide_for(&all)?),
        None => Ok(()),
    }
}

/// Who may apply a changed preset ([`may_retier_all`]): the active
/// administrators and the active supervisors of the units deciding for every
/// customer, administrators first.
pub fn who_may_retier(conn: &Conn) -> Result<Vec<Staff>, DbError> {
    let deciding = units_deciding_for_all(conn)?.map(|d| d.unit_and_above);
    let rows = conn.rows(
        "SELECT id, login, name, unit_id, role FROM staff WHERE status = 'active' \
         AND role IN ('admin', 'supervisor') ORDER BY role = 'supervisor', id",
        args![],
        |r| Ok((r.get::<i64>(0)?, r.get(1)?, r.get(2)?, r.get::<i64>(3)?, r.get::<String>(4)?)),
    )?;
    let mut out = Vec::new();
    for (id, login, name, unit_id, role) in rows {
        let Some(role) = Role::from_code(&role) else { continue };
        let covers = role == Role::Admin || deciding.as_ref().is_none_or(|units| units.contains(&unit_id));
        if covers {
            out.push(Staff { id, login, name, unit_id, role });
        }
    }
    Ok(out)
}

/// Refuses unless `actor` may file a complaint about this customer (which must
/// exist): anyone who receives one, except leaders (see the module's rules).
pub fn may_file_complaint(conn: &Conn, actor: &Actor, customer: &CustomerId) -> Result<(), DbError> {
    may_work_on(conn, actor, customer, Work::Complaint)
}

/// Who answers for a complaint, as stored now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComplaintParties {
    pub customer_id: CustomerId,
    pub state: ComplaintState,
    /// The first-responsible person, who received it.
    pub received_by: i64,
    pub handler: Option<i64>,
}

/// What is done to a complaint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComplaintWork {
    /// A step of the workflow.
    Step(Transition),
    /// The first phone contact, the cross-department team, a follow-up note.
    Note,
}

/// Refuses unless `actor` may do `work` on the complaint (the module's rules).
pub fn may_work_on_complaint(
    conn: &Conn,
    actor: &Actor,
    complaint: &ComplaintParties,
    work: ComplaintWork,
) -> Result<(), DbError> {
    let staff = &actor.staff;
    if staff.role == Role::Leader {
        return Err(Refusal::ReadOnlyRole.into());
    }
    let decision = match work {
        ComplaintWork::Step(Transition::CloseUnsatisfied) => true,
        ComplaintWork::Step(_) => complaint.state == ComplaintState::Escalated,
        ComplaintWork::Note => false,
    };
    if decision {
        return may_decide_for_customer(conn, actor, &complaint.customer_id);
    }
    let first_responsible = complaint.state == ComplaintState::Received && complaint.received_by == staff.id;
    if first_responsible || complaint.handler == Some(staff.id) {
        return Ok(());
    }
    let (a, b, unit) = owners(conn, &complaint.customer_id)?;
    let allowed = match staff.role {
        Role::Manager => may_edit_owned(conn, actor, a, b, unit).is_ok(),
        _ => may_decide_for_unit(conn, actor, unit).is_ok(),
    };
    if allowed { Ok(()) } else { Err(Refusal::NotYourComplaint { unit: deciding_unit(conn, unit)?.name }.into()) }
}

/// Refuses unless `actor` may receive a service request for this customer
/// (which must exist). SPEC §9: the service centre, the account manager on a
/// call or a visit, whoever takes it; leaders read only.
pub fn may_receive_request(conn: &Conn, actor: &Actor, customer: &CustomerId) -> Result<(), DbError> {
    may_work_on(conn, actor, customer, Work::Complaint)
}

/// Who answers for a service request, as stored now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestParties {
    pub customer_id: CustomerId,
    pub status: crate::domain::request::RequestStatus,
    /// Who received it (the service centre, a colleague, the manager).
    pub received_by: i64,
}

/// Refuses unless `actor` may take `step` on the request (SPEC §9: the
/// account manager works it, and their supervisors direct it):
/// - the customer's account managers (A, B, and by the unit policy the
///   unit's managers), the supervisors of the customer's unit and of the
///   units above it, and the administrator take every step;
/// - the one who received it tells the account manager (notify) or cancels
///   it (received in error) while it is still open;
/// - leaders read only; anyone else is told whose request it is.
pub fn may_work_on_request(
    conn: &Conn,
    actor: &Actor,
    request: &RequestParties,
    step: crate::domain::request::RequestStep,
) -> Result<(), DbError> {
    use crate::domain::request::{RequestStatus, RequestStep};
    let staff = &actor.staff;
    if staff.role == Role::Leader {
        return Err(Refusal::ReadOnlyRole.into());
    }
    let (a, b, unit) = owners(conn, &request.customer_id)?;
    let works_it = match staff.role {
        Role::Manager => may_edit_owned(conn, actor, a, b, unit).is_ok(),
        _ => may_decide_for_unit(conn, actor, unit).is_ok(),
    };
    let receiver = request.received_by == staff.id
        && request.status == RequestStatus::Open
        && matches!(step, RequestStep::Notify | RequestStep::Cancel);
    if works_it || receiver {
        Ok(())
    } else {
        Err(Refusal::NotYourRequest { unit: deciding_unit(conn, unit)?.name }.into())
    }
}
