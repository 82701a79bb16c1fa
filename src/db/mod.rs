//! The only place that speaks SQL. Reads take `&Conn`; writes go through
//! [`Store::write`], which opens the engine's write transaction. Outside this
//! module the connection ([`Conn`]), the transaction ([`Tx`]), the engine's
//! failures ([`StorageFault`]) and its interrupt ([`Interrupter`]) are only
//! passed on, never asked anything: the rest of kam names no engine's type.
//!
//! # Two engines
//!
//! Every statement goes through the seam of [`sql`] (`rows`, `row`, `exec`
//! with `args!`), which [`Conn`] implements for a SQLite file and for a
//! PostgreSQL server ([`server`], `engine`). One statement text serves both
//! almost everywhere (`?N` placeholders become `$N`; `IS DISTINCT FROM`,
//! `ON CONFLICT`, `RETURNING id`, `coalesce`, `CASE`). Where the engines
//! differ the code says `match conn.dialect()` next to the statement:
//!
//! - **Schema and migrations**: `migrations/` (SQLite, `PRAGMA user_version`,
//!   `rusqlite_migration`, `store.rs`) and `migrations-pg/` (PostgreSQL, its
//!   version in `kam_meta`, applied by a superuser, `server.rs`), with the
//!   row-level security of `migrations-pg/02-access`.
//! - **Search**: SQLite's FTS5 trigram table keyed by `rowid` with the
//!   TEMP hit cache (`customers/list.rs`); PostgreSQL's `pg_trgm` GIN index
//!   on `customer_search.key`, keyed by customer ID.
//! - **Dates and stamps**: text on SQLite (`substr`), `date`/`timestamptz`
//!   on PostgreSQL (`::date` in the bureau's zone, set per session).
//! - **Functions**: `instr`/`strpos`, `group_concat`/`string_agg`,
//!   `COLLATE NOCASE`/`lower()`, `PRAGMA defer_foreign_keys`/`SET
//!   CONSTRAINTS ALL DEFERRED`.
//! - **Writers' turns**: `BEGIN IMMEDIATE` and a busy handler on SQLite; the
//!   history chain's advisory lock taken first on PostgreSQL ([`Tx`]).
//! - **File only**: pragmas, `PRAGMA integrity_check`/`foreign_key_check`,
//!   the backup API, the application id, file modes (`file_access.rs`,
//!   `file_kind.rs`), the schema fingerprint. On a server: `kam check`
//!   verifies the chain with the trigger's formula; backups are `pg_dump`.

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
pub mod analysis_report;
pub mod appraisal;
pub mod appraisal_counts;
pub mod backup;
pub mod chain;
pub mod check;
pub mod complaints;
pub mod contracts;
pub mod customers;
pub mod engine;
pub mod file_access;
pub mod file_kind;
pub mod goals;
pub mod history;
pub mod import;
pub mod marketing;
pub mod migrate;
pub mod period;
pub mod pipeline;
pub mod plans;
pub mod records;
pub mod reference;
pub mod requests;
pub mod revenue;
pub mod setup;
pub mod visits;
pub mod volume;

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
pub use conn::{Conn, Tx, recording_statements};

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
