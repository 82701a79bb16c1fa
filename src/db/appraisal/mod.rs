//! Account-manager appraisal and pay (营销人员绩效考核, SPEC §10) in storage:
//! what the pure rules of [`crate::domain::appraisal`] are computed from and
//! what a closed month freezes. The appraisal layer gathers the counts
//! (visits, logs, revenue) and computes the sheets on top of this.
//!
//! - [`rules`]: the bureau's rules (考核办法), one dated version a month,
//!   written once by the administrator.
//! - [`terms`]: each manager's dated terms (fixed-performance base, task,
//!   monthly standard).
//! - [`entries`]: what only people know (晨会, 培训, ranks, violations,
//!   bonuses…), each with a reason; "deleting" archives.
//! - [`receivables`]: revenue not yet collected (应收未收), for late money.
//! - [`close`]: a unit's month end and the frozen result of each manager's
//!   month.
//!
//! **Who writes.** Rules: the administrator. Terms, entries, closing a month:
//! whoever decides for the manager's unit (a supervisor of it or of a unit
//! above it, or the administrator: [`super::access::may_decide_for_unit`]).
//! Reopening a closed month: a supervisor of the unit or above only.
//! Receivables: as revenue, whoever edits the customer.
//!
//! **Who reads** a manager's entries and frozen sheets: the manager, the
//! supervisors of their unit or of a unit above it, leaders and the
//! administrator ([`may_read`]); the readers here filter by it on both
//! engines, and PostgreSQL's row-level security does the same (09-appraisal).
//!
//! **A closed month** (a unit's, or the unit's whose closing froze a
//! manager's sheet) refuses new and archived entries of its managers for
//! that month and any change to its sheets, here with
//! [`AppraisalProblem::MonthClosed`] and in the schema by triggers.

mod close;
mod entries;
mod receivables;
mod rules;
mod terms;

pub use close::{
    CloseStatus, Closure, close_month, close_month_in, closure, frozen_carry_out, frozen_sheet, frozen_sheet_unit,
    frozen_sheets, reopen_month, reopen_month_in,
};
pub use entries::{Entry, EntryKind, NewEntry, add_entry, archive_entry, entries};
pub use receivables::{
    NewReceivable, Receivable, debts_of_manager, mark_paid, receivables_of, set_receivable, stored_receivable,
    write_receivables_in,
};
pub use rules::{rules_in_force, rules_versions, set_rules};
pub use terms::{Post, Terms, set_terms, terms_for, terms_versions};

use rust_decimal::Decimal;

use super::sql::{Optional, Sql, args};
use super::{Actor, Conn, DbError, Invalid};
use crate::domain::appraisal::settings::SettingsError;
use crate::domain::revenue::Month;
use crate::domain::staff::{Role, Staff};

/// Why an appraisal write was refused (not who may: that is a [`crate::domain::staff::Refusal`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppraisalProblem {
    /// The month is closed for this unit (or this manager's unit): entries
    /// and sheets change only after a supervisor reopens it. `unit` by name.
    #[error("{month} is closed for {unit}: reopen it first")]
    MonthClosed { unit: String, month: Month },
    /// Reopening a month that is not closed.
    #[error("{month} is not closed for {unit}")]
    MonthNotClosed { unit: String, month: Month },
    /// An entry, or a reopening, without a reason.
    #[error("a reason is required")]
    ReasonRequired,
    /// The rules already have a version from this month (versions are never changed).
    #[error("the rules already have a version from {0}")]
    RulesExist(Month),
    /// A version of the rules that cannot be used.
    #[error("{0}")]
    Rules(SettingsError),
    /// Terms and entries are for account managers.
    #[error("{0} is no account manager")]
    NotAManager(String),
    /// A rank is 1, 2 or 3 (lower).
    #[error("a rank is 1, 2 or 3 (lower)")]
    RankOutOfRange,
    /// A lower rank, or another bonus, needs its points.
    #[error("the points are required")]
    PointsRequired,
    /// Points given where the item's rule sets them.
    #[error("this item takes no points of its own")]
    PointsNotAllowed,
    /// Points below zero.
    #[error("points cannot be negative")]
    PointsNegative,
    /// A lower rank given more than the rules allow.
    #[error("a lower rank gets at most {0} points")]
    PointsOverCap(Decimal),
    /// The entry is archived already.
    #[error("the entry is archived already")]
    EntryArchived,
    /// An amount below zero (terms).
    #[error("an amount cannot be negative")]
    NegativeAmount,
    /// A payment dated after today.
    #[error("a payment cannot be dated after today")]
    PaidInFuture,
    /// A planned project's collected revenue is missing.
    #[error("a planned project needs the revenue collected")]
    AmountRequired,
    /// An amount on an item that takes none.
    #[error("this item takes no amount")]
    AmountNotAllowed,
    /// A team leader's accrual ratio outside 0–1.
    #[error("the accrual ratio is between 0 and 1")]
    AccrualRatio,
}

impl From<AppraisalProblem> for DbError {
    fn from(p: AppraisalProblem) -> DbError {
        DbError::Invalid(Invalid::Appraisal(p))
    }
}

/// A member of staff as the appraisal asks about them: unit, role, name.
struct Person {
    unit_id: i64,
    role: Role,
    name: String,
}

fn person(conn: &Conn, staff_id: i64) -> Result<Person, DbError> {
    conn.row("SELECT unit_id, role, name FROM staff WHERE id = ?1", args![staff_id], |r| {
        let role: String = r.get(1)?;
        Ok(Person {
            unit_id: r.get(0)?,
            role: Role::from_code(&role).unwrap_or(Role::Leader),
            name: crate::domain::validate::sanitize_text(&r.get::<String>(2)?),
        })
    })
}

/// Refuses unless `actor` decides for the unit `staff_id` is in, and
/// `staff_id` is an account manager; the manager as stored.
fn decided_for_manager(conn: &Conn, actor: &Actor, staff_id: i64) -> Result<Person, DbError> {
    let p = person(conn, staff_id)?;
    super::access::may_decide_for_unit(conn, actor, p.unit_id)?;
    if p.role != Role::Manager {
        return Err(AppraisalProblem::NotAManager(p.name).into());
    }
    Ok(p)
}

/// Whose appraisal records a reader sees.
enum Readable {
    All,
    /// Managers in these units (a supervisor's unit and the units below it).
    Units(Vec<i64>),
    Only(i64),
}

impl Readable {
    fn of(conn: &Conn, viewer: &Staff) -> Result<Readable, DbError> {
        Ok(match viewer.role {
            Role::Leader | Role::Admin => Readable::All,
            Role::Supervisor => Readable::Units(unit_and_below(conn, viewer.unit_id)?),
            Role::Manager => Readable::Only(viewer.id),
        })
    }

    /// Whether the records of `staff_id`, now in `unit`, are readable.
    fn covers(&self, staff_id: i64, unit: i64) -> bool {
        match self {
            Readable::All => true,
            Readable::Units(units) => units.contains(&unit),
            Readable::Only(id) => *id == staff_id,
        }
    }
}

/// Whether `viewer` reads the appraisal records (entries, frozen sheets) of
/// `staff_id`: the manager themself, supervisors of the manager's unit or of
/// a unit above it, leaders and the administrator.
pub fn may_read(conn: &Conn, viewer: &Staff, staff_id: i64) -> Result<bool, DbError> {
    match viewer.role {
        Role::Leader | Role::Admin => Ok(true),
        Role::Manager => Ok(viewer.id == staff_id),
        Role::Supervisor => {
            let Some(unit) =
                conn.row("SELECT unit_id FROM staff WHERE id = ?1", args![staff_id], |r| r.get::<i64>(0)).optional()?
            else {
                return Ok(false);
            };
            Ok(super::access::deciding_unit(conn, unit)?.unit_and_above.contains(&viewer.unit_id))
        }
    }
}

/// `unit` and every unit below it (a parent loop ends at 32 levels).
fn unit_and_below(conn: &Conn, unit: i64) -> Result<Vec<i64>, DbError> {
    conn.rows(
        "WITH RECURSIVE tree(id, depth) AS (SELECT CAST(?1 AS bigint), 0 UNION \
         SELECT o.id, t.depth + 1 FROM org_unit o JOIN tree t ON o.parent_id = t.id WHERE t.depth < 32) \
         SELECT DISTINCT id FROM tree ORDER BY id",
        args![unit],
        |r| r.get(0),
    )
}

/// The name of the unit whose closed month stops changes to `staff_id`'s
/// `month`: their unit's, or the unit's whose closing froze their sheet.
fn closed_for(conn: &Conn, staff_id: i64, month: Month) -> Result<Option<String>, DbError> {
    conn.row(
        "SELECT u.name FROM appraisal_close c JOIN org_unit u ON u.id = c.unit_id \
         WHERE c.month = ?2 AND c.status = 'closed' \
         AND (c.unit_id = (SELECT unit_id FROM staff WHERE id = ?1) \
              OR c.unit_id = (SELECT unit_id FROM appraisal_sheet s WHERE s.month = ?2 AND s.staff_id = ?1)) \
         ORDER BY c.unit_id LIMIT 1",
        args![staff_id, month.key()],
        |r| Ok(crate::domain::validate::sanitize_text(&r.get::<String>(0)?)),
    )
    .optional()
}

/// Refuses a change to `staff_id`'s `month` while it is closed.
fn refuse_if_closed(conn: &Conn, staff_id: i64, month: Month) -> Result<(), DbError> {
    match closed_for(conn, staff_id, month)? {
        Some(unit) => Err(AppraisalProblem::MonthClosed { unit, month }.into()),
        None => Ok(()),
    }
}

/// The account managers of a unit (not those below it) who are active or on
/// leave, by name.
pub fn managers_of_unit(conn: &Conn, unit_id: i64) -> Result<Vec<Staff>, DbError> {
    conn.rows(
        "SELECT id, login, name, unit_id FROM staff \
         WHERE unit_id = ?1 AND role = 'manager' AND status IN ('active', 'leave') ORDER BY name, id",
        args![unit_id],
        |r| Ok(Staff { id: r.get(0)?, login: r.get(1)?, name: r.get(2)?, unit_id: r.get(3)?, role: Role::Manager }),
    )
}

/// `unit_id` and the units below it (not archived) that have account
/// managers (active or on leave), with their names, in the order of their ids.
pub fn units_with_managers_under(conn: &Conn, unit_id: i64) -> Result<Vec<(i64, String)>, DbError> {
    let rows: Vec<(i64, String)> = conn.rows(
        "WITH RECURSIVE tree(id, depth) AS (SELECT CAST(?1 AS bigint), 0 UNION \
         SELECT o.id, t.depth + 1 FROM org_unit o JOIN tree t ON o.parent_id = t.id WHERE t.depth < 32) \
         SELECT u.id, u.name FROM org_unit u WHERE u.id IN (SELECT id FROM tree) AND u.archived = 0 \
         AND EXISTS (SELECT 1 FROM staff s WHERE s.unit_id = u.id AND s.role = 'manager' \
                     AND s.status IN ('active', 'leave')) \
         ORDER BY u.id",
        args![unit_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(rows.into_iter().map(|(id, name)| (id, crate::domain::validate::sanitize_text(&name))).collect())
}

/// A reason as stored: one line, trimmed; refused when empty.
fn reason_text(reason: &str) -> Result<String, DbError> {
    let text = crate::domain::validate::sanitize_text(reason.trim()).trim().to_string();
    if text.is_empty() { Err(AppraisalProblem::ReasonRequired.into()) } else { Ok(text) }
}
