//! What the month-end appraisal counts from the records (SPEC §10.2–10.4):
//! an account manager's customers, their log entries, their revenue by
//! service line with the month each line's business began, and their
//! stale dossiers. Each query reads one manager's book through the
//! `customer_owner*` indexes, never the whole table.

use chrono::NaiveDate;

use super::sql::{Sql, args};
use super::{Conn, DbError};
use crate::domain::id::CustomerId;
use crate::domain::money::Money;
use crate::domain::revenue::Month;
use crate::domain::tier::Tier;

/// A customer the manager answers for (account manager A), registered and live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedCustomer {
    pub id: CustomerId,
    pub short_name: String,
    pub tier: Tier,
}

/// The manager's customers (A), approved and not archived, by id.
pub fn managed_customers(conn: &Conn, manager: i64) -> Result<Vec<ManagedCustomer>, DbError> {
    conn.rows(
        "SELECT c.id, c.short_name, c.tier FROM customer c \
         WHERE c.archived = 0 AND c.owner_a = ?1 AND c.registration = 'approved' ORDER BY c.id",
        args![manager],
        |r| {
            Ok(ManagedCustomer {
                id: r.get(0)?,
                short_name: r.get(1)?,
                tier: Tier::from_code(r.text(2)?).unwrap_or(Tier::General),
            })
        },
    )
}

/// One customer's revenue on one service line in the month, and the first
/// month that business had revenue (the conversion factor counts from it,
/// SPEC §10.4's default).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineRevenue {
    pub customer: CustomerId,
    pub short_name: String,
    /// The service line's code (`express`, `letters`, …).
    pub line: String,
    pub amount: Money,
    pub since: Month,
}

/// The month's revenue of the manager's customers (A) by service line.
pub fn line_revenue(conn: &Conn, manager: i64, month: Month) -> Result<Vec<LineRevenue>, DbError> {
    conn.rows(
        "SELECT r.customer_id, c.short_name, sl.code, r.amount, \
                (SELECT min(f.month) FROM revenue f WHERE f.customer_id = r.customer_id \
                   AND f.service_line_id = r.service_line_id AND f.amount > 0) \
         FROM customer c JOIN revenue r ON r.customer_id = c.id AND r.month = ?2 \
         JOIN service_line sl ON sl.id = r.service_line_id \
         WHERE c.archived = 0 AND c.owner_a = ?1 AND r.amount > 0 ORDER BY r.customer_id, sl.code",
        args![manager, month.key()],
        |r| {
            let since: Option<i64> = r.get(4)?;
            Ok(LineRevenue {
                customer: r.get(0)?,
                short_name: r.get(1)?,
                line: r.get(2)?,
                amount: r.get(3)?,
                since: since.and_then(Month::from_key).unwrap_or(month),
            })
        },
    )
}

/// A dossier past its update cadence (SPEC §3) on the day the sheet looks at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaleDossier {
    pub id: CustomerId,
    pub short_name: String,
    pub due: NaiveDate,
}

/// The manager's live customers (A) whose dossier update was due before `on`.
pub fn stale_dossiers(conn: &Conn, manager: i64, on: NaiveDate) -> Result<Vec<StaleDossier>, DbError> {
    conn.rows(
        "SELECT c.id, c.short_name, c.update_due_on FROM customer c \
         WHERE c.archived = 0 AND c.owner_a = ?1 AND c.update_due_on < ?2 AND c.registration = 'approved' \
         ORDER BY c.update_due_on, c.id",
        args![manager, on],
        |r| Ok(StaleDossier { id: r.get(0)?, short_name: r.get(1)?, due: r.get(2)? }),
    )
}

/// The day the staff member took up their post (the probation counts from
/// its month), if recorded.
pub fn started_on(conn: &Conn, staff: i64) -> Result<Option<NaiveDate>, DbError> {
    let on: Option<String> =
        conn.row("SELECT CAST(start_date AS text) FROM staff WHERE id = ?1", args![staff], |r| r.get(0))?;
    Ok(on.and_then(|s| NaiveDate::parse_from_str(s.get(..10).unwrap_or(&s), "%Y-%m-%d").ok()))
}

/// An account manager to appraise, with their unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagerRow {
    pub staff_id: i64,
    pub login: Option<String>,
    pub name: String,
    pub unit_id: i64,
    pub unit_code: String,
    pub unit_name: String,
}

/// The account managers (not left) of `unit` and the units below it, or of
/// every unit; by unit, then name.
pub fn managers_under(conn: &Conn, unit: Option<i64>) -> Result<Vec<ManagerRow>, DbError> {
    let read = |r: &super::sql::Row<'_>| {
        Ok(ManagerRow {
            staff_id: r.get(0)?,
            login: r.get(1)?,
            name: r.get(2)?,
            unit_id: r.get(3)?,
            unit_code: r.get(4)?,
            unit_name: r.get(5)?,
        })
    };
    const COLUMNS: &str = "s.id, s.login, s.name, u.id, u.code, u.name";
    match unit {
        Some(unit) => conn.rows(
            &format!(
                "WITH RECURSIVE tree(id, depth) AS (SELECT CAST(?1 AS bigint), 0 UNION \
                 SELECT o.id, t.depth + 1 FROM org_unit o JOIN tree t ON o.parent_id = t.id WHERE t.depth < 32) \
                 SELECT {COLUMNS} FROM staff s JOIN org_unit u ON u.id = s.unit_id JOIN tree t ON t.id = u.id \
                 WHERE s.role = 'manager' AND s.status <> 'left' ORDER BY u.code, s.name, s.id"
            ),
            args![unit],
            read,
        ),
        None => conn.rows(
            &format!(
                "SELECT {COLUMNS} FROM staff s JOIN org_unit u ON u.id = s.unit_id \
                 WHERE s.role = 'manager' AND s.status <> 'left' ORDER BY u.code, s.name, s.id"
            ),
            args![],
            read,
        ),
    }
}

/// The month's revenue of every customer (A) of the account managers in
/// `staff`, together.
pub fn revenue_of_managers(conn: &Conn, staff: &[i64], month: Month) -> Result<Money, DbError> {
    let mut total = Money::ZERO;
    // One manager at a time: each read seeks the `customer_owner` index.
    for id in staff {
        let fen: Option<i64> = conn.row(
            "SELECT sum(r.amount) FROM customer c JOIN revenue r ON r.customer_id = c.id AND r.month = ?2 \
             WHERE c.archived = 0 AND c.owner_a = ?1",
            args![id, month.key()],
            |r| r.get(0),
        )?;
        total = Money(total.yuan() + Money::from_fen(fen.unwrap_or(0)).yuan());
    }
    Ok(total)
}
