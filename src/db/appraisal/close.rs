//! A unit's month end (月末考核): the supervisor closes the month and each
//! manager's sheet is frozen as it stands (the appraisal layer's JSON,
//! opaque here); later changes to the records do not alter it. Reopening
//! is a supervisor's recorded decision, with its reason; closing again
//! replaces the frozen sheets (the history keeps the old ones).

use chrono::NaiveDateTime;
use strum::{EnumIter, EnumString, IntoStaticStr};

use super::{AppraisalProblem, Readable, reason_text};
use crate::db::access::{deciding_unit, may_decide_for_unit};
use crate::db::error::constraint_as_invalid;
use crate::db::sql::{Dialect, Optional, Sql, args};
use crate::db::sql_types::Civil;
use crate::db::{Actor, Conn, DbError, Store, Tx};
use crate::domain::revenue::Month;
use crate::domain::staff::{Refusal, Role, Staff};

/// Whether a unit's month is closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum CloseStatus {
    Closed,
    /// Reopened after it was closed.
    Open,
}

impl CloseStatus {
    pub fn code(self) -> &'static str {
        self.into()
    }
    pub fn from_code(code: &str) -> Option<CloseStatus> {
        code.parse().ok()
    }
}

/// The last decision about a unit's month.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub status: CloseStatus,
    /// Who decided, by name, and when.
    pub by: String,
    pub at: NaiveDateTime,
    /// Why it was reopened (None once closed again).
    pub reason: Option<String>,
    pub version: i64,
}

/// The last decision about `unit_id`'s `month`; None when it was never closed.
pub fn closure(conn: &Conn, unit_id: i64, month: Month) -> Result<Option<Closure>, DbError> {
    conn.row(
        "SELECT c.status, coalesce(s.name, ''), c.decided_at, c.reason, c.version FROM appraisal_close c \
         LEFT JOIN staff s ON s.id = c.decided_by WHERE c.unit_id = ?1 AND c.month = ?2",
        args![unit_id, month.key()],
        |r| {
            Ok(Closure {
                status: CloseStatus::from_code(r.text(0)?).unwrap_or(CloseStatus::Closed),
                by: crate::domain::validate::sanitize_text(&r.get::<String>(1)?),
                at: r.get::<Civil>(2)?.0,
                reason: r.get(3)?,
                version: r.get(4)?,
            })
        },
    )
    .optional()
}

/// The unit's name, for messages.
fn unit_name(conn: &Conn, unit_id: i64) -> Result<String, DbError> {
    Ok(deciding_unit(conn, unit_id)?.name)
}

/// Closes `unit_id`'s `month`, freezing `sheets` ((account manager, result
/// JSON) each) in one transaction: whoever decides for the unit. Refused
/// when the month is closed already (nothing is written), and for a
/// manager whose sheet of the month another unit's closing froze.
pub fn close_month(
    store: &mut Store,
    actor: &Actor,
    unit_id: i64,
    month: Month,
    sheets: &[(i64, String)],
) -> Result<(), DbError> {
    store.write(|tx| close_month_in(tx, actor, unit_id, month, sheets))
}

/// [`close_month`] inside a transaction (several units closed at once).
pub fn close_month_in(
    tx: &Tx<'_>,
    actor: &Actor,
    unit_id: i64,
    month: Month,
    sheets: &[(i64, String)],
) -> Result<(), DbError> {
    may_decide_for_unit(tx, actor, unit_id)?;
    let now = closure(tx, unit_id, month)?;
    if now.as_ref().is_some_and(|c| c.status == CloseStatus::Closed) {
        return Err(AppraisalProblem::MonthClosed { unit: unit_name(tx, unit_id)?, month }.into());
    }
    let (by, at) = (actor.staff.id, actor.stamp());
    for (staff_id, result) in sheets {
        let stored: Option<i64> = tx
            .row(
                "SELECT unit_id FROM appraisal_sheet WHERE month = ?1 AND staff_id = ?2",
                args![month.key(), staff_id],
                |r| r.get(0),
            )
            .optional()?;
        match stored {
            None => tx.exec(
                "INSERT INTO appraisal_sheet (month, staff_id, unit_id, result, frozen_by, frozen_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                args![month.key(), staff_id, unit_id, result, by, at],
            ),
            Some(other) => {
                if other != unit_id && closure(tx, other, month)?.is_some_and(|c| c.status == CloseStatus::Closed) {
                    return Err(AppraisalProblem::MonthClosed { unit: unit_name(tx, other)?, month }.into());
                }
                tx.exec(
                    "UPDATE appraisal_sheet SET unit_id = ?3, result = ?4, frozen_by = ?5, frozen_at = ?6 \
                     WHERE month = ?1 AND staff_id = ?2",
                    args![month.key(), staff_id, unit_id, result, by, at],
                )
            }
        }
        .map_err(constraint_as_invalid)?;
    }
    match now {
        None => tx.exec(
            "INSERT INTO appraisal_close (unit_id, month, status, decided_by, decided_at) \
             VALUES (?1, ?2, 'closed', ?3, ?4)",
            args![unit_id, month.key(), by, at],
        )?,
        Some(_) => tx.exec(
            "UPDATE appraisal_close SET status = 'closed', decided_by = ?3, decided_at = ?4, reason = NULL, \
             version = version + 1 WHERE unit_id = ?1 AND month = ?2",
            args![unit_id, month.key(), by, at],
        )?,
    };
    Ok(())
}

/// Reopens a closed month with the reason why: a supervisor of the unit or
/// of a unit above it only (not the administrator, as for a submitted
/// analysis report). The decision and its reason are in the history.
pub fn reopen_month(store: &mut Store, actor: &Actor, unit_id: i64, month: Month, reason: &str) -> Result<(), DbError> {
    store.write(|tx| reopen_month_in(tx, actor, unit_id, month, reason))
}

/// [`reopen_month`] inside a transaction.
pub fn reopen_month_in(tx: &Tx<'_>, actor: &Actor, unit_id: i64, month: Month, reason: &str) -> Result<(), DbError> {
    let unit = deciding_unit(tx, unit_id)?;
    if actor.staff.role != Role::Supervisor || !unit.unit_and_above.contains(&actor.staff.unit_id) {
        return Err(DbError::Refused(Refusal::DecidedBy { unit: unit.name }));
    }
    let reason = reason_text(reason)?;
    if !closure(tx, unit_id, month)?.is_some_and(|c| c.status == CloseStatus::Closed) {
        return Err(AppraisalProblem::MonthNotClosed { unit: unit.name, month }.into());
    }
    tx.exec(
        "UPDATE appraisal_close SET status = 'open', decided_by = ?3, decided_at = ?4, reason = ?5, \
         version = version + 1 WHERE unit_id = ?1 AND month = ?2",
        args![unit_id, month.key(), actor.staff.id, actor.stamp(), reason],
    )?;
    Ok(())
}

/// The sheets frozen for `unit_id`'s `month` that `viewer` may read
/// ([`super::may_read`]), by account manager id: as last frozen (a reopened
/// month keeps them until it is closed again; [`closure`] says which).
pub fn frozen_sheets(conn: &Conn, viewer: &Staff, unit_id: i64, month: Month) -> Result<Vec<(i64, String)>, DbError> {
    let readable = Readable::of(conn, viewer)?;
    let rows: Vec<(i64, i64, String)> = conn.rows(
        "SELECT a.staff_id, s.unit_id, a.result FROM appraisal_sheet a JOIN staff s ON s.id = a.staff_id \
         WHERE a.unit_id = ?1 AND a.month = ?2 ORDER BY a.staff_id",
        args![unit_id, month.key()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(rows.into_iter().filter(|(id, unit, _)| readable.covers(*id, *unit)).map(|(id, _, json)| (id, json)).collect())
}

/// `staff_id`'s frozen sheet of `month`, if `viewer` may read it.
pub fn frozen_sheet(conn: &Conn, viewer: &Staff, staff_id: i64, month: Month) -> Result<Option<String>, DbError> {
    if !super::may_read(conn, viewer, staff_id)? {
        return Ok(None);
    }
    conn.row(
        "SELECT result FROM appraisal_sheet WHERE month = ?1 AND staff_id = ?2",
        args![month.key(), staff_id],
        |r| r.get(0),
    )
    .optional()
}

/// What `staff_id`'s frozen sheet of `month` left to take the next month
/// (`appraisal.pay.late_money.carry_out`, a decimal text), read inside the
/// database: the sheet itself, with every record behind it, grows with the
/// book and is not brought over (issue 19: memory). SQLite's `json_extract`
/// holds the text several times over (36 MB for a 6 MB sheet), so there the
/// figure is found as text: the sheet is kam's own JSON (serde, fields in
/// declaration order), where the first `"carry_out":"` key is the
/// appraisal's (a key's quotes inside a string value are escaped), read in
/// two steps so the text is loaded once at a time.
pub fn frozen_carry_out(conn: &Conn, viewer: &Staff, staff_id: i64, month: Month) -> Result<Option<String>, DbError> {
    if !super::may_read(conn, viewer, staff_id)? {
        return Ok(None);
    }
    const KEY: &str = "\"carry_out\":\"";
    if conn.dialect() == Dialect::Postgres {
        return Ok(conn
            .row(
                "SELECT CAST(result AS jsonb) #>> '{appraisal,pay,late_money,carry_out}' \
                 FROM appraisal_sheet WHERE month = ?1 AND staff_id = ?2",
                args![month.key(), staff_id],
                |r| r.get::<Option<String>>(0),
            )
            .optional()?
            .flatten());
    }
    let at: Option<i64> = conn
        .row(
            "SELECT instr(result, ?3) FROM appraisal_sheet WHERE month = ?1 AND staff_id = ?2",
            args![month.key(), staff_id, KEY],
            |r| r.get(0),
        )
        .optional()?;
    let Some(at) = at.filter(|at| *at > 0) else { return Ok(None) };
    let tail: Option<String> = conn
        .row(
            "SELECT substr(result, ?3, 48) FROM appraisal_sheet WHERE month = ?1 AND staff_id = ?2",
            args![month.key(), staff_id, at + i64::try_from(KEY.len()).unwrap_or(0)],
            |r| r.get(0),
        )
        .optional()?;
    Ok(tail.and_then(|t| t.split_once('"').map(|(figure, _)| figure.to_string())))
}

/// The unit whose closing froze `staff_id`'s sheet of `month`, if one did:
/// the manager's unit then, which need not be theirs now (a manager moved
/// after the close keeps the month their old unit froze).
pub fn frozen_sheet_unit(conn: &Conn, staff_id: i64, month: Month) -> Result<Option<i64>, DbError> {
    conn.row(
        "SELECT unit_id FROM appraisal_sheet WHERE month = ?1 AND staff_id = ?2",
        args![month.key(), staff_id],
        |r| r.get(0),
    )
    .optional()
}
