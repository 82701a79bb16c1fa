//! `kam check`: SQLite's own integrity and foreign-key checks, the totals
//! the triggers keep compared with the entries they summarise, and the data
//! kam derives itself (search keys, occasion days), which `--repair` rebuilds.

use super::customers::insert_search_key;
use super::sql::{Dialect, Sql, ToValue, args};
use super::{Conn, DbError, Tx};
use crate::domain::holidays::occasion_days;
use crate::search::{search_key, search_starts};

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
    /// Customers whose search key is missing or stale, and keys of no customer
    /// (e.g. after a VACUUM by another tool renumbered the customers' rows).
    pub search_keys_off: usize,
    /// Key persons whose kept occasion days differ from their birthday and dates.
    pub occasion_days_off: usize,
    /// The history's hash chain: rows deleted, changed or slipped in.
    pub chain: super::chain::ChainReport,
    /// Tables, indexes and triggers that differ from the ones kam made.
    pub schema: super::chain::SchemaDiff,
    /// Staff whose role is not the one their history leads to (a role set
    /// outside kam, with the history triggers out of the way): their logins.
    pub roles_without_history: Vec<String>,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.integrity.is_empty()
            && self.foreign_key_violations == 0
            && self.month_totals_off == 0
            && self.unit_totals_off == 0
            && self.search_keys_off == 0
            && self.occasion_days_off == 0
            && self.chain.ok()
            && self.schema.ok()
            && self.roles_without_history.is_empty()
    }

    /// Only data kam derives is off, which [`rebuild_derived`] puts right.
    pub fn repairable(&self) -> bool {
        !self.ok()
            && self.integrity.is_empty()
            && self.foreign_key_violations == 0
            && self.month_totals_off == 0
            && self.unit_totals_off == 0
            && self.chain.ok()
            && self.schema.ok()
            && self.roles_without_history.is_empty()
    }
}

/// What SQLite's own integrity check finds wrong with the file: nothing when whole.
// PostgreSQL: no such pragma; pages are checked by `amcheck`
// (`bt_index_check`, `verify_heapam`) or not at all.
pub fn integrity_problems(conn: &Conn) -> Result<Vec<String>, DbError> {
    if conn.sqlite().is_none() {
        return Ok(Vec::new());
    }
    let lines: Vec<String> = conn.rows("PRAGMA integrity_check", args![], |r| r.get(0))?;
    Ok(lines.into_iter().filter(|line| line != "ok").collect())
}

pub fn check(conn: &Conn) -> Result<CheckReport, DbError> {
    let schema_version = match conn.sqlite() {
        Some(_) => conn.row("PRAGMA user_version", args![], |r| r.get(0))?,
        None => super::server::version(conn)?,
    };
    let integrity = integrity_problems(conn)?;
    if !integrity.is_empty() {
        // The checks below read every row and would stop at the first damaged page.
        return Ok(CheckReport { schema_version, integrity, ..CheckReport::default() });
    }
    // PostgreSQL enforces foreign keys always: none to count.
    let foreign_key_violations = match conn.sqlite() {
        Some(_) => conn.rows("PRAGMA foreign_key_check", args![], |_| Ok(()))?.len(),
        None => 0,
    };
    let month_totals_off: usize = conn.row(
        "SELECT count(*) FROM (SELECT customer_id, month, sum(amount) AS total FROM revenue GROUP BY 1, 2) e \
         FULL JOIN revenue_month m USING (customer_id, month) WHERE e.total IS DISTINCT FROM m.amount \
         AND NOT (e.total IS NULL AND m.amount = 0)",
        args![],
        |r| r.get(0),
    )?;
    let unit_totals_off: usize = conn.row(
        "SELECT count(*) FROM (SELECT c.unit_id, r.month, r.service_line_id, sum(r.amount) AS total \
           FROM revenue r JOIN customer c ON c.id = r.customer_id WHERE c.archived = 0 GROUP BY 1, 2, 3) e \
         FULL JOIN revenue_unit_line u USING (unit_id, month, service_line_id) \
         WHERE coalesce(e.total, 0) <> coalesce(u.amount, 0)",
        args![],
        |r| r.get(0),
    )?;
    Ok(CheckReport {
        schema_version,
        integrity,
        foreign_key_violations,
        month_totals_off,
        unit_totals_off,
        search_keys_off: search_keys_off(conn)?,
        occasion_days_off: occasion_days_off(conn)?,
        chain: match conn.sqlite() {
            Some(file) => super::chain::verify(file)?,
            None => super::server::verify_chain(conn)?,
        },
        // On a server the schema is the owner's: no user role may change it
        // (migrations-pg); the file's fingerprint has no counterpart there.
        schema: match conn.sqlite() {
            Some(file) => super::chain::diff(&super::store::expected_schema()?, &super::chain::schema_objects(file)?),
            None => super::chain::SchemaDiff::default(),
        },
        roles_without_history: roles_without_history(conn)?,
    })
}

/// Staff whose role differs from the last one their history records (the
/// role in their creation entry, "name (role)", or a later role change).
fn roles_without_history(conn: &Conn) -> Result<Vec<String>, DbError> {
    let mut found = Vec::new();
    conn.rows(
        "SELECT coalesce(s.login, s.name), s.role,
                (SELECT h.new_value FROM history h WHERE h.entity = 'staff' AND h.entity_id = CAST(s.id AS TEXT)
                   AND h.action = 'update' AND h.field = 'role' ORDER BY h.id DESC LIMIT 1),
                (SELECT h.new_value FROM history h WHERE h.entity = 'staff' AND h.entity_id = CAST(s.id AS TEXT)
                   AND h.action = 'create' ORDER BY h.id LIMIT 1)
         FROM staff s ORDER BY s.id",
        args![],
        |r| {
            let (who, role): (String, String) = (r.get(0)?, r.get(1)?);
            let changed: Option<String> = r.get(2)?;
            let created: Option<String> = r.get(3)?;
            let recorded = changed.or_else(|| created.and_then(|c| role_in_creation(&c).map(str::to_string)));
            if recorded.as_deref() != Some(role.as_str()) {
                found.push(who);
            }
            Ok(())
        },
    )?;
    Ok(found)
}

/// The role of a staff creation entry, written "name (role)".
fn role_in_creation(entry: &str) -> Option<&str> {
    let open = entry.rfind(" (")?;
    entry[open + 2..].strip_suffix(')')
}

/// Customers whose search key or short-query starts (`customer_prefix`)
/// are missing or stale, and keys or starts of no customer.
/// Each row is compared as it is read (the rows themselves are not kept: a
/// province has a million customers). A customer's starts are looked up by
/// the table's key; rows beyond those found are stale or of no customer
/// (counted once each).
/// On PostgreSQL `customer_search` is a plain table keyed by the customer's
/// ID, whose foreign key leaves no orphans to count.
fn search_keys_off(conn: &Conn) -> Result<usize, DbError> {
    let mut off = 0;
    let mut starts_found_total: u64 = 0;
    let join = match conn.dialect() {
        Dialect::Sqlite => "s.rowid = c.rowid",
        Dialect::Postgres => "s.customer_id = c.id",
    };
    conn.rows(
        &format!(
            "SELECT c.id, c.short_name, coalesce(c.full_name, ''), s.key \
             FROM customer c LEFT JOIN customer_search s ON {join}"
        ),
        args![],
        |r| {
            let (id, short, full): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
            let kept: Option<String> = r.get(3)?;
            let starts = search_starts(&id, &[&short, &full]);
            let present = starts_found(conn, &id, &starts)?;
            starts_found_total += present;
            if kept.as_deref() != Some(search_key(&[&id, &short, &full]).as_str()) || present != starts.len() as u64 {
                off += 1;
            }
            Ok(())
        },
    )?;
    let kept_starts: u64 = conn.row("SELECT count(*) FROM customer_prefix", args![], |r| r.get(0))?;
    let stale_starts = usize::try_from(kept_starts.saturating_sub(starts_found_total)).unwrap_or(usize::MAX);
    let orphans: usize = match conn.dialect() {
        Dialect::Sqlite => conn.row(
            "SELECT count(*) FROM customer_search WHERE rowid NOT IN (SELECT rowid FROM customer)",
            args![],
            |r| r.get(0),
        )?,
        Dialect::Postgres => 0,
    };
    Ok(off + stale_starts + orphans)
}

/// How many of `starts` customer `id`'s rows of `customer_prefix` hold
/// (one statement, each start found by the key).
fn starts_found(conn: &Conn, id: &str, starts: &[String]) -> Result<u64, DbError> {
    if starts.is_empty() {
        return Ok(0);
    }
    let mut args: Vec<&dyn ToValue> = vec![&id];
    let marks: Vec<String> = starts
        .iter()
        .map(|g| {
            args.push(g);
            format!("?{}", args.len())
        })
        .collect();
    let sql = format!("SELECT count(*) FROM customer_prefix WHERE customer_id = ?1 AND gram IN ({})", marks.join(", "));
    conn.row(&sql, &args, |r| r.get(0))
}

fn occasion_days_off(conn: &Conn) -> Result<usize, DbError> {
    let mut off = 0;
    conn.rows("SELECT id, birthday, coalesce(important_dates, ''), customer_id FROM key_person", args![], |r| {
        let (id, birthday, dates, customer): (i64, Option<String>, String, String) =
            (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
        let birthday = birthday.and_then(|b| chrono::NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok());
        let due: Vec<String> = occasion_days(birthday, &dates).iter().map(|(m, d)| format!("{m:02}-{d:02}")).collect();
        let have: Vec<String> =
            // A day kept with another customer than the person's is off too.
            conn.rows(
                "SELECT month_day FROM person_occasion WHERE person_id = ?1 AND customer_id = ?2 ORDER BY 1",
                args![id, customer],
                |r| r.get(0),
            )?;
        if have != due {
            off += 1;
        }
        Ok(())
    })?;
    Ok(off)
}

/// Rebuilds what kam derives from the records: every customer's search key
/// and every key person's occasion days. In the caller's transaction.
pub fn rebuild_derived(tx: &Tx<'_>) -> Result<(), DbError> {
    tx.exec("DELETE FROM customer_search", args![])?;
    tx.exec("DELETE FROM customer_prefix", args![])?;
    tx.rows("SELECT id, short_name, coalesce(full_name, '') FROM customer", args![], |r| {
        let (id, short, full): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        insert_search_key(&**tx, &id, &search_key(&[&id, &short, &full]), &search_starts(&id, &[&short, &full]))
    })?;
    tx.exec("DELETE FROM person_occasion", args![])?;
    super::records::fill_occasions(tx)?;
    Ok(())
}
