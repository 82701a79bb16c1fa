//! Reading the change history. Rows are written by triggers (see the migrations;
//! migration 06 has the current update triggers), never by application code, so
//! no path can skip them, and only real changes are written: '' and NULL are
//! the same "empty".

use super::sql::{Optional, Row, Sql, args};
use super::sql_types::Shown;
use super::{Conn, DbError};
use crate::domain::id::CustomerId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRow {
    pub changed_at: String,
    pub changed_by: String,
    /// customer, key_person, competitor, registration
    pub entity: String,
    pub entity_id: String,
    /// create or update
    pub action: String,
    pub field: Option<String>,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
    /// The system account that acted for `changed_by` (root or the file's
    /// owner working as them), when it was not they themselves.
    pub acted_by: Option<String>,
}

/// The columns [`HistoryRow::from_row`] reads, from `history h` joined as
/// [`HISTORY_JOINS`] joins it.
pub(crate) const HISTORY_COLUMNS: &str = "h.changed_at, coalesce(s.name, '#' || h.changed_by), h.entity, \
     h.entity_id, h.action, h.field, h.old_value, h.new_value, a.acted_by";
pub(crate) const HISTORY_JOINS: &str =
    "LEFT JOIN staff s ON s.id = h.changed_by LEFT JOIN history_acted a ON a.history_id = h.id";

impl HistoryRow {
    pub(crate) fn from_row(r: &Row<'_>) -> Result<HistoryRow, DbError> {
        Ok(HistoryRow {
            changed_at: r.get::<Shown>(0)?.0,
            changed_by: r.get(1)?,
            entity: r.get(2)?,
            entity_id: r.get(3)?,
            action: r.get(4)?,
            field: r.get(5)?,
            old_value: r.get(6)?,
            new_value: r.get(7)?,
            acted_by: r.get(8)?,
        })
    }
}

/// Rows that record a change: files written before migration 06 also hold
/// "updates" from empty to empty ('' and NULL), which changed nothing.
const REAL_CHANGE: &str = "(h.action <> 'update' OR nullif(h.old_value, '') IS DISTINCT FROM nullif(h.new_value, ''))";

/// A customer's history, newest first, one page at a time.
pub fn for_customer(conn: &Conn, customer: &CustomerId, offset: u64, limit: u64) -> Result<Vec<HistoryRow>, DbError> {
    let sql = format!(
        "SELECT {HISTORY_COLUMNS} FROM history h {HISTORY_JOINS} \
         WHERE h.customer_id = ?1 AND {REAL_CHANGE} ORDER BY h.id DESC LIMIT ?2 OFFSET ?3"
    );
    conn.rows(&sql, args![customer, limit, offset], HistoryRow::from_row)
}

pub fn count_for_customer(conn: &Conn, customer: &CustomerId) -> Result<u64, DbError> {
    let sql = format!("SELECT count(*) FROM history h WHERE h.customer_id = ?1 AND {REAL_CHANGE}");
    conn.row(&sql, args![customer], |r| r.get::<u64>(0))
}

/// Who last changed one field of a record, and when: (staff id, name, time).
pub fn last_change(
    conn: &Conn,
    entity: &str,
    entity_id: &str,
    field: &str,
) -> Result<Option<(i64, String, String)>, DbError> {
    conn.row(
        "SELECT h.changed_by, coalesce(s.name, '#' || h.changed_by), h.changed_at FROM history h \
         LEFT JOIN staff s ON s.id = h.changed_by \
         WHERE h.entity = ?1 AND h.entity_id = ?2 AND h.field = ?3 ORDER BY h.id DESC LIMIT 1",
        args![entity, entity_id, field],
        |r| Ok((r.get(0)?, r.get(1)?, r.get::<Shown>(2)?.0)),
    )
    .optional()
}

/// Builds the conflict report for a stale edit: of the fields that moved since the
/// editor's base, those changed by someone else, with the latest author and time.
/// Returns `None` when none of them is a field this edit also changes (then the
/// two edits merge).
pub fn stale_edit_conflict(
    conn: &Conn,
    entity: &str,
    entity_id: &str,
    editor: i64,
    moved: Vec<(String, String, String)>,
    editing: &[&str],
    current_version: i64,
) -> Result<Option<super::Conflict>, DbError> {
    let mut theirs = Vec::new();
    let mut latest: Option<(String, String)> = None;
    for (field, then, now) in moved {
        let author = last_change(conn, entity, entity_id, &field)?;
        if author.as_ref().is_some_and(|(by, _, _)| *by == editor) {
            continue; // the editor's own earlier save
        }
        if let Some((_, name, at)) = author.as_ref().filter(|_| editing.contains(&field.as_str()))
            && latest.as_ref().is_none_or(|(_, t)| at > t)
        {
            latest = Some((name.clone(), at.clone()));
        }
        let (by, at) = author.map(|(_, name, at)| (name, at)).unwrap_or_default();
        theirs.push(super::ConflictChange { field, then, now, by, at });
    }
    if !theirs.iter().any(|c| editing.contains(&c.field.as_str())) {
        return Ok(None);
    }
    let (changed_by, changed_at) = latest.unwrap_or_default();
    Ok(Some(super::Conflict { current_version, changed_by, changed_at, changes: theirs }))
}
