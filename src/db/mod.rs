//! The only place that speaks SQL. Reads take `&Conn`; writes go through
//! [`Store::write`], which opens a `BEGIN IMMEDIATE` transaction. Outside this
//! module the connection ([`Conn`]), the transaction ([`Tx`]), the engine's
//! failures ([`StorageFault`]) and its interrupt ([`Interrupter`]) are only
//! passed on, never asked anything: the rest of kam names no SQLite type.
//!
//! # What is SQLite's own (for the next engine)
//!
//! Most of kam's SQL is plain (`SELECT … JOIN … GROUP BY`, partial indexes,
//! row values, `ON CONFLICT … DO UPDATE` upserts and `FULL JOIN`, which
//! PostgreSQL reads alike; placeholders are `?N`, PostgreSQL's `$N`). What
//! follows is SQLite's, by where it is and what it is for; a PostgreSQL
//! engine replaces each (found with `grep -rnE` for the words in bold).
//!
//! - **Pragmas** (`store.rs`): `journal_mode = WAL`, `synchronous = FULL`,
//!   `foreign_keys = ON`, `temp_store`, `cache_size` on open; `analysis_limit`
//!   and `optimize` (planner statistics), `ANALYZE` after a bulk load;
//!   `wal_checkpoint(TRUNCATE)` when the last writer closes (issue 12). The
//!   busy handler and `BEGIN IMMEDIATE` are SQLite's file locking: one
//!   writer at a time, waiting in short sleeps. In PostgreSQL: server
//!   settings, `ANALYZE`/autovacuum, row locks and `SERIALIZABLE` or
//!   `SELECT … FOR UPDATE` where a write reads what it checks.
//! - **`PRAGMA user_version`** and migrations (`store.rs`, `check.rs`):
//!   `rusqlite_migration` counts applied steps in `user_version`; the
//!   `migrations/NN-*/up.sql` files are SQLite DDL throughout (types,
//!   triggers, `WITHOUT ROWID`, the FTS5 table), and two steps have Rust
//!   parts. PostgreSQL needs its own migration set and a version table.
//! - **Schema fingerprint** (`chain.rs` `schema_objects`, reading
//!   **`sqlite_schema`**; `customers/mod.rs` `fill_name_keys` sets the
//!   customer triggers aside through it): PostgreSQL reads
//!   `information_schema`/`pg_catalog` (`pg_get_triggerdef`).
//! - **Integrity** (`check.rs`, `backup.rs`): **`PRAGMA integrity_check`**,
//!   **`PRAGMA foreign_key_check`** (PostgreSQL enforces foreign keys always;
//!   `amcheck` for pages); **`PRAGMA defer_foreign_keys`** (`setup.rs`, the
//!   first unit and its administrator name each other: `SET CONSTRAINTS ALL
//!   DEFERRED` on deferrable keys).
//! - **Backup API** (`backup.rs`): SQLite's online page copy. PostgreSQL:
//!   `pg_dump`, or base backups; `kam backup` becomes a wrapper or goes.
//! - **FTS5 trigram search** (`customer_search`, migration 01;
//!   `customers/list.rs` `ensure_search_hits`, `customers/mod.rs` `similar`
//!   and the insert/update of the key, `check.rs` rebuild): a virtual table
//!   keyed by the customer's **`rowid`**, whose trigram index answers
//!   `key LIKE '%abc%'`. PostgreSQL: `pg_trgm` with a GIN index on a plain
//!   column (or on `customer` itself), keyed by the customer ID.
//! - **TEMP tables in search** (`customers/list.rs`: `temp.search_hits`,
//!   `temp.search_state`): a per-connection cache of the last search's
//!   rowids, so paging does not search again; the reader connection is
//!   read-only yet may write TEMP (`store.rs` `open_reader`). PostgreSQL has
//!   session temp tables too, but a pooled connection is not a session: keep
//!   the hits in Rust or search per page with the index.
//! - **`data_version` tricks** (`customers/list.rs`):
//!   `pragma_data_version()` and `total_changes()` say whether anyone wrote
//!   since the cached search. PostgreSQL has no such counter: drop the
//!   cache, or key it by a change counter kept by a trigger.
//! - **`rowid` and `last_insert_rowid`** (`customers/list.rs`,
//!   `customers/mod.rs`, `check.rs` for the search table; `last_insert_rowid()`
//!   after inserts in `visits.rs`, `reference.rs`, `marketing.rs`,
//!   `records.rs`, `complaints.rs`, `setup.rs`, and in SQL in
//!   `customers/mod.rs` `insert_customer`): PostgreSQL has no rowid; use
//!   `INSERT … RETURNING id` and the primary key.
//! - **`WITHOUT ROWID`** tables (migrations 01 `customer_profile`, 02
//!   `visit_staff`/`visit_person`, 04 `revenue`, `revenue_month`,
//!   `revenue_unit_line`, `unit_revenue`, `fluctuation_note`, `setting`, 05
//!   `person_occasion`): clustered on their primary key. PostgreSQL: plain
//!   tables (drop the clause).
//! - **Triggers** (every migration): history rows for every audited table
//!   (`*_created`, `*_updated`, `registration_decided`), the kept totals
//!   (`revenue_inserted`/`revenue_updated` keep `revenue_month` and
//!   `revenue_unit_line`; `customer_revenue_follows`; `visit_staff_of_visit`,
//!   `visit_to_its_staff` copy a visit's time to its participants), and the
//!   refusals `… BEGIN SELECT **RAISE(ABORT**, '…'); END` that make history,
//!   timelines and links append-only and archive instead of delete. In
//!   PostgreSQL each is a `plpgsql` function plus a trigger, and `RAISE
//!   EXCEPTION` instead of `RAISE(ABORT)`; `NEW`/`OLD` read alike.
//! - **`kam_chain_link`** (`chain.rs` `register`, called by the
//!   `history_linked` trigger of migration 09): a scalar function registered
//!   on each connection kam opens, so that no other client can write audited
//!   tables. PostgreSQL: a server-side function (`pgcrypto` `digest`), with
//!   the tamper argument moved to database roles, since anyone may call it.
//! - **`strftime(…, 'now', 'localtime')`** (migrations 04, 06, 07, 09: stamps
//!   of staff, units, industries and service lines written by triggers, and
//!   the data moved at upgrade): the server's local time as text.
//!   PostgreSQL: `to_char(localtimestamp, 'YYYY-MM-DD HH24:MI:SS')`, and
//!   mind the server's time zone. Stamps are `TEXT` `YYYY-MM-DD HH:MM:SS`
//!   and dates `YYYY-MM-DD` everywhere (`now_stamp`, `sql_types.rs`).
//! - **`instr(`** (`customers/list.rs` short and literal search terms,
//!   `complaints.rs` and `marketing.rs` search): substring tests.
//!   PostgreSQL: `strpos(a, b) > 0`.
//! - **`IS NOT`** as a null-safe comparison (the `*_updated` history
//!   triggers' `nullif(o, '') IS NOT nullif(n, '')`, `revenue_updated`,
//!   `customer_revenue_follows`; `history.rs` `REAL_CHANGE`, the dossier's
//!   freshness in `records.rs`, the totals in `check.rs`):
//!   PostgreSQL's `IS DISTINCT FROM`.
//! - **`INSERT OR …`** (`visits.rs` participants, `INSERT OR IGNORE`):
//!   PostgreSQL's `ON CONFLICT DO NOTHING`.
//! - Smaller ones: **`group_concat`** (`visits.rs`, `string_agg`), **`GLOB`**
//!   (migration 01's customer ID check, `~ '^[0-9]{14}$'`), **`COLLATE
//!   NOCASE`** (`setup.rs` codes, `lower()` or `citext`), `LIKE … ESCAPE`
//!   over **`sqlite_`** names (`chain.rs`), integers 0/1 for booleans
//!   (`CHECK (x IN (0, 1))`, read as `bool`), dynamic typing (values bound
//!   as `rusqlite::types::Value` in `customers/list.rs`), and a file to
//!   guard (`file_access.rs`: SQLite has no users, the file's mode is the
//!   access control). Error codes (busy, locked, read-only, corrupt) are
//!   sorted in `error.rs` (`is_busy`, `StorageFault`, `constraint_as_invalid`).

mod conn;
mod error;
mod scope;
mod server;
pub mod sql;
mod sql_types;
mod store;
#[cfg(test)]
mod stored_codes;

pub mod access;
pub mod analysis;
pub mod backup;
pub mod chain;
pub mod check;
pub mod complaints;
pub mod customers;
pub mod engine;
pub mod file_access;
pub mod file_kind;
pub mod history;
pub mod import;
pub mod marketing;
pub mod migrate;
pub mod records;
pub mod reference;
pub mod revenue;
pub mod setup;
pub mod visits;

pub use error::{Conflict, ConflictChange, DbError, Invalid, NotKam, StorageFault};
pub use file_kind::DbKind;
pub use store::{Interrupter, Store, migrate_to_version, now_stamp, schema_version};

use chrono::NaiveDateTime;

/// Where a kam database is: a SQLite file, or a PostgreSQL server named by
/// a libpq URL or key-value string (`--db`, `KAM_DB`, the config's `db`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    File(std::path::PathBuf),
    Server(String),
}

impl Location {
    /// Reads `--db` as the user wrote it.
    pub fn parse(text: &std::ffi::OsStr) -> Location {
        match text.to_str() {
            Some(s) if engine::is_postgres(s) => Location::Server(s.to_string()),
            _ => Location::File(text.into()),
        }
    }

    /// The file, for what only a file has (its folder, its mode, a copy).
    pub fn file(&self) -> Option<&std::path::Path> {
        match self {
            Location::File(p) => Some(p),
            Location::Server(_) => None,
        }
    }

    /// The connection string as given, password included (to connect again).
    pub(crate) fn to_string_raw(&self) -> String {
        match self {
            Location::File(p) => p.display().to_string(),
            Location::Server(s) => s.clone(),
        }
    }

    /// A connection string fit to print: any password replaced by `***`.
    pub fn redacted(target: &str) -> String {
        let mut out = target.to_string();
        if let Some(scheme_end) = out.find("://") {
            let rest = &out[scheme_end + 3..];
            let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
            if let Some(at) = rest[..authority_end].rfind('@')
                && let Some(colon) = rest[..at].find(':')
            {
                out.replace_range(scheme_end + 3 + colon + 1..scheme_end + 3 + at, "***");
            }
        }
        out.split_whitespace()
            .map(|pair| if pair.starts_with("password=") { "password=***".to_string() } else { pair.to_string() })
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Location::File(p) => write!(f, "{}", p.display()),
            Location::Server(s) => f.write_str(&Location::redacted(s)),
        }
    }
}

/// A connection, for reads ([`Store::conn`]), on either engine. Outside
/// `db` it is only handed back to `db` functions, never asked anything.
pub use conn::{Conn, Tx};

/// A LIMIT or OFFSET as SQLite's integer. One past `i64::MAX` (more rows than
/// any table holds) asks for as many as there are, which is what it meant.
fn row_count(n: u64) -> rusqlite::types::Value {
    rusqlite::types::Value::Integer(i64::try_from(n).unwrap_or(i64::MAX))
}

use crate::domain::staff::Staff;

/// Who is writing, and when: every record and history row carries both.
#[derive(Debug, Clone)]
pub struct Actor {
    pub staff: Staff,
    pub at: NaiveDateTime,
}

impl Actor {
    pub fn stamp(&self) -> String {
        now_stamp(self.at)
    }
    pub fn today(&self) -> chrono::NaiveDate {
        self.at.date()
    }
}
