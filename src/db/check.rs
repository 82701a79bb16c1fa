//! `kam check`: SQLite's own integrity and foreign-key checks, and the totals
//! the triggers keep compared with the entries they summarise.

use rusqlite::Connection;

use super::DbError;

/// What the check found; `ok()` when nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckReport {
    pub schema_version: i64,
    /// `PRAGMA integrity_check` lines other than "ok".
    pub integrity: Vec<String>,
    /// Rows whose reference points nowhere (`PRAGMA foreign_key_check`).
    pub foreign_key_violations: usize,
    /// Customer-months whose kept total differs from the sum of their entries.
    pub month_totals_off: usize,
    /// Unit-month-line totals that differ from the entries of the unit's live customers.
    pub unit_totals_off: usize,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.integrity.is_empty()
            && self.foreign_key_violations == 0
            && self.month_totals_off == 0
            && self.unit_totals_off == 0
    }
}

pub fn check(conn: &Connection) -> Result<CheckReport, DbError> {
    let schema_version = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let integrity: Vec<String> = conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?
        .into_iter()
        .filter(|line| line != "ok")
        .collect();
    if !integrity.is_empty() {
        // The checks below read every row and would stop at the first damaged page.
        return Ok(CheckReport { schema_version, integrity, ..CheckReport::default() });
    }
    let foreign_key_violations = conn.prepare("PRAGMA foreign_key_check")?.query_map([], |_| Ok(()))?.count();
    let month_totals_off: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT customer_id, month, sum(amount) AS total FROM revenue GROUP BY 1, 2) e \
         FULL JOIN revenue_month m USING (customer_id, month) WHERE e.total IS NOT m.amount \
         AND NOT (e.total IS NULL AND m.amount = 0)",
        [],
        |r| r.get(0),
    )?;
    let unit_totals_off: i64 = conn.query_row(
        "SELECT count(*) FROM (SELECT c.unit_id, r.month, r.service_line_id, sum(r.amount) AS total \
           FROM revenue r JOIN customer c ON c.id = r.customer_id WHERE c.archived = 0 GROUP BY 1, 2, 3) e \
         FULL JOIN revenue_unit_line u USING (unit_id, month, service_line_id) \
         WHERE coalesce(e.total, 0) <> coalesce(u.amount, 0)",
        [],
        |r| r.get(0),
    )?;
    Ok(CheckReport {
        schema_version,
        integrity,
        foreign_key_violations,
        month_totals_off: month_totals_off as usize,
        unit_totals_off: unit_totals_off as usize,
    })
}
