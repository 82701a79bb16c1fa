//! Registrations waiting for a supervisor's decision (SPEC §2.3), for Today.

use chrono::NaiveDateTime;

use crate::db::sql::{Sql, args};
use crate::db::{Conn, DbError};
use crate::domain::id::CustomerId;

/// A pending registration as a supervisor's Today lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingRegistration {
    pub customer_id: CustomerId,
    pub short_name: String,
    /// The account manager it is filed for.
    pub owner_id: i64,
    pub unit_id: i64,
    pub filed_at: NaiveDateTime,
    pub reason: String,
}

/// The customers of `unit` and every unit below it, as SQL over the customer alias `c`.
/// The unit is cast so that PostgreSQL knows the parameter's type.
const IN_TREE: &str = "c.unit_id IN (WITH RECURSIVE tree(id) AS (SELECT CAST(?1 AS bigint) UNION ALL \
     SELECT o.id FROM org_unit o JOIN tree t ON o.parent_id = t.id) SELECT id FROM tree)";

/// The registrations waiting in `unit` and the units below it, oldest first,
/// at most `limit`, and how many there are in all. Read from the customers'
/// partial index of pending registrations, so it costs what is pending, not
/// what was ever registered.
pub fn pending_registrations(conn: &Conn, unit: i64, limit: u64) -> Result<(Vec<PendingRegistration>, u64), DbError> {
    let from = format!(
        "FROM customer c JOIN registration r ON r.customer_id = c.id AND r.decision = 'pending' \
         WHERE c.registration = 'pending' AND c.archived = 0 AND {IN_TREE}"
    );
    let total: u64 = conn.row(&format!("SELECT count(*) {from}"), args![unit], |r| r.get(0))?;
    // The first ones chosen from the indexes (ids only), then their rows read:
    // the reasons of all that is pending are not read to be sorted.
    let rows = conn.rows(
        &format!(
            "SELECT c.id, c.short_name, r.owner_id, c.unit_id, r.filed_at, r.reason \
             FROM registration r JOIN customer c ON c.id = r.customer_id \
             WHERE r.id IN (SELECT r.id {from} ORDER BY r.filed_at, r.id LIMIT ?2) \
             ORDER BY r.filed_at, r.id"
        ),
        args![unit, limit],
        |r| {
            Ok(PendingRegistration {
                customer_id: r.get(0)?,
                short_name: r.get(1)?,
                owner_id: r.get(2)?,
                unit_id: r.get(3)?,
                filed_at: r.get::<crate::db::sql_types::Civil>(4)?.0,
                reason: r.get(5)?,
            })
        },
    )?;
    Ok((rows, total))
}
