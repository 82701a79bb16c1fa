//! What only people know of a manager's month (SPEC §10.2): morning
//! meetings and training missed, failed exams, the two monthly ranks,
//! violations, bonuses, missing plans, a confirmed serious breach. Each is
//! entered with its reason by whoever decides for the manager's unit, and
//! never changed: it is archived ("deleted") and entered anew. A rank
//! entered archives the live rank of the same item, so there is one.

use std::str::FromStr;

use chrono::NaiveDateTime;
use rust_decimal::Decimal;

use super::{AppraisalProblem, decided_for_manager, may_read, person, reason_text, refuse_if_closed};
use crate::db::sql::{Optional, Sql, args};
use crate::db::sql_types::Civil;
use crate::db::{Actor, Conn, DbError, Store, Tx};
use crate::domain::money::Money;
use crate::domain::revenue::Month;
use crate::domain::staff::Staff;

pub use crate::domain::appraisal::entries::EntryKind;

/// An entry as stored (live: not archived).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub staff_id: i64,
    pub month: Month,
    pub kind: EntryKind,
    /// How many times; for a rank, the rank (1, 2, 3 = lower).
    pub count: u32,
    /// A lower rank's points, or another bonus's points (each time).
    pub points: Option<Decimal>,
    /// A planned project's collected revenue.
    pub amount: Option<Money>,
    pub reason: String,
    pub entered_by_id: i64,
    /// Who entered it, by name.
    pub entered_by: String,
    pub entered_at: NaiveDateTime,
}

/// An entry to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub staff_id: i64,
    pub month: Month,
    pub kind: EntryKind,
    pub count: u32,
    pub points: Option<Decimal>,
    /// A planned project's collected revenue (required for one, refused for the rest).
    pub amount: Option<Money>,
    pub reason: String,
}

/// The live entries of `staff_id`'s `month` that `viewer` may read, in the
/// order entered (none for a viewer who may not read them: [`may_read`]).
pub fn entries(conn: &Conn, viewer: &Staff, staff_id: i64, month: Month) -> Result<Vec<Entry>, DbError> {
    if !may_read(conn, viewer, staff_id)? {
        return Ok(Vec::new());
    }
    let rows = conn.rows(
        "SELECT e.id, e.kind, e.count, e.points, e.reason, e.entered_by, coalesce(s.name, ''), e.entered_at, e.amount \
         FROM appraisal_entry e LEFT JOIN staff s ON s.id = e.entered_by \
         WHERE e.staff_id = ?1 AND e.month = ?2 AND e.archived_at IS NULL ORDER BY e.id",
        args![staff_id, month.key()],
        |r| {
            let Some(kind) = EntryKind::from_code(r.text(1)?) else { return Ok(None) };
            let points: Option<String> = r.get(3)?;
            Ok(Some(Entry {
                id: r.get(0)?,
                staff_id,
                month,
                kind,
                count: r.get(2)?,
                points: points.as_deref().and_then(|p| Decimal::from_str(p).ok()),
                amount: r.get(8)?,
                reason: r.get(4)?,
                entered_by_id: r.get(5)?,
                entered_by: crate::domain::validate::sanitize_text(&r.get::<String>(6)?),
                entered_at: r.get::<Civil>(7)?.0,
            }))
        },
    )?;
    // A kind this build does not know (a newer kam's) is left out.
    let out: Vec<Entry> = rows.into_iter().flatten().collect();
    Ok(out)
}

/// Checks the count and points against the item's rule; the points as stored.
fn checked_points(tx: &Tx<'_>, e: &NewEntry) -> Result<Option<String>, DbError> {
    if e.points.is_some_and(|p| p.is_sign_negative() && !p.is_zero()) {
        return Err(AppraisalProblem::PointsNegative.into());
    }
    let points = match (e.kind, e.count) {
        (k, count) if k.is_rank() && !(1..=3).contains(&count) => return Err(AppraisalProblem::RankOutOfRange.into()),
        (k, 3) if k.is_rank() => {
            let Some(points) = e.points else { return Err(AppraisalProblem::PointsRequired.into()) };
            let rules = super::rules_in_force(tx, e.month)?;
            let cap = match k {
                EntryKind::BehaviourRank => rules.sheet.behaviour.lower_cap,
                _ => rules.sheet.leader_tasks.lower_cap,
            };
            if points > cap {
                return Err(AppraisalProblem::PointsOverCap(cap).into());
            }
            Some(points)
        }
        (EntryKind::BonusOther, _) => Some(e.points.ok_or(AppraisalProblem::PointsRequired)?),
        (k, _) if k.planner_points() => {
            let points = e.points.ok_or(AppraisalProblem::PointsRequired)?;
            let rules = super::rules_in_force(tx, e.month)?;
            let cap = match k {
                EntryKind::PlannerResults => rules.planner.results_max,
                _ => rules.planner.behaviour_item_max,
            };
            if points > cap {
                return Err(AppraisalProblem::PointsOverCap(cap).into());
            }
            Some(points)
        }
        (EntryKind::PlannedProject, _) => e.points,
        _ if e.points.is_some() => return Err(AppraisalProblem::PointsNotAllowed.into()),
        _ => None,
    };
    Ok(points.map(|p| p.normalize().to_string()))
}

/// Enters one item of a manager's month, with its reason; returns its id. A
/// rank archives the live rank of the same item in the same transaction.
/// Refused while the month is closed for the manager.
pub fn add_entry(store: &mut Store, actor: &Actor, entry: &NewEntry) -> Result<i64, DbError> {
    store.write(|tx| {
        decided_for_manager(tx, actor, entry.staff_id)?;
        let reason = reason_text(&entry.reason)?;
        let points = checked_points(tx, entry)?;
        match (entry.kind, entry.amount) {
            (EntryKind::PlannedProject, None) => return Err(AppraisalProblem::AmountRequired.into()),
            (EntryKind::PlannedProject, Some(m)) if m.to_fen() < 0 => return Err(AppraisalProblem::NegativeAmount.into()),
            (EntryKind::PlannedProject, _) | (_, None) => {}
            (_, Some(_)) => return Err(AppraisalProblem::AmountNotAllowed.into()),
        }
        refuse_if_closed(tx, entry.staff_id, entry.month)?;
        let (by, at) = (actor.staff.id, actor.stamp());
        if entry.kind.is_rank() {
            tx.exec(
                "UPDATE appraisal_entry SET archived_by = ?1, archived_at = ?2 \
                 WHERE staff_id = ?3 AND month = ?4 AND kind = ?5 AND archived_at IS NULL",
                args![by, at, entry.staff_id, entry.month.key(), entry.kind.code()],
            )?;
        }
        tx.row(
            "INSERT INTO appraisal_entry (staff_id, month, kind, count, points, amount, reason, entered_by, entered_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?9, ?6, ?7, ?8) RETURNING id",
            args![entry.staff_id, entry.month.key(), entry.kind.code(), entry.count, points, reason, by, at, entry.amount],
            |r| r.get(0),
        )
        .map_err(crate::db::error::constraint_as_invalid)
    })
}

/// Archives an entry ("deletes" it: it no longer counts, the history keeps
/// it). Whoever decides for the manager's unit; refused while the month is
/// closed for the manager.
pub fn archive_entry(store: &mut Store, actor: &Actor, id: i64) -> Result<(), DbError> {
    store.write(|tx| {
        let (staff_id, month, archived): (i64, i64, bool) = tx
            .row("SELECT staff_id, month, archived_at IS NOT NULL FROM appraisal_entry WHERE id = ?1", args![id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?
            .ok_or(DbError::NotFound)?;
        crate::db::access::may_decide_for_unit(tx, actor, person(tx, staff_id)?.unit_id)?;
        if archived {
            return Err(AppraisalProblem::EntryArchived.into());
        }
        let month = Month::from_key(month).ok_or(DbError::NotFound)?;
        refuse_if_closed(tx, staff_id, month)?;
        tx.exec(
            "UPDATE appraisal_entry SET archived_by = ?1, archived_at = ?2 WHERE id = ?3",
            args![actor.staff.id, actor.stamp(), id],
        )?;
        Ok(())
    })
}
