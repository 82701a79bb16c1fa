//! Reading the change history. Rows are written by triggers (see the migration),
//! never by application code, so no path can skip them.

use rusqlite::Connection;

use super::DbError;

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
}

/// A customer's history, newest first, one page at a time.
pub fn for_customer(conn: &Connection, customer: &str, offset: u64, limit: u64) -> Result<Vec<HistoryRow>, DbError> {
    let mut stmt = conn.prepare_cached(
        "SELECT h.changed_at, coalesce(s.name, '#' || h.changed_by), h.entity, h.entity_id, h.action, \
         h.field, h.old_value, h.new_value \
         FROM history h LEFT JOIN staff s ON s.id = h.changed_by \
         WHERE h.customer_id = ?1 ORDER BY h.id DESC LIMIT ?2 OFFSET ?3",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![customer, limit as i64, offset as i64], |r| {
            Ok(HistoryRow {
                changed_at: r.get(0)?,
                changed_by: r.get(1)?,
                entity: r.get(2)?,
                entity_id: r.get(3)?,
                action: r.get(4)?,
                field: r.get(5)?,
                old_value: r.get(6)?,
                new_value: r.get(7)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(rows)
}

pub fn count_for_customer(conn: &Connection, customer: &str) -> Result<u64, DbError> {
    Ok(conn.query_row("SELECT count(*) FROM history WHERE customer_id = ?1", [customer], |r| r.get::<_, i64>(0))? as u64)
}
