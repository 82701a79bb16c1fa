//! The engines under the store: SQLite (the embedded default: demo, one
//! branch, one laptop) and PostgreSQL (a province, issue 15): where a
//! database is ([`conninfo`]), values both engines share ([`Value`],
//! [`Row`]), kam's SQL made PostgreSQL's ([`placeholders`]) and a synchronous
//! PostgreSQL session behind the seam ([`PgConn`], [`PgSession`]).
//!
//! # The plan it was built by: one store, two engines
//!
//! The store stays one set of business functions (`customers.rs`,
//! `visits.rs`, …) written against a small connection seam, and each engine
//! implements the seam. In steps, each leaving every test green:
//!
//! 1. **The seam.** A trait pair `Conn` / `Tx` with `query(sql, &[Value]) ->
//!    Vec<Row>`, `query_row`, `execute`, `insert_returning_id` and
//!    `transaction`, implemented for `rusqlite::Connection` (binding
//!    [`Value`] through `ToSql`, reading `ValueRef`) and for [`PgConn`]. The
//!    `db::Conn`/`db::Tx` aliases (branch `w-house`) become these types;
//!    `Store::write` opens the engine's write transaction. Typed IDs and
//!    `Money` gain `Into<Value>`/[`FromValue`] beside their rusqlite impls,
//!    then replace them. The store's functions move over one aggregate
//!    file at a time, the storage tests running on SQLite after each.
//! 2. **Shared SQL, as it is.** Most statements are standard SQL that both
//!    engines read alike: `SELECT … JOIN … GROUP BY`, `CASE`, `coalesce`,
//!    `nullif`, row values, partial indexes, `ON CONFLICT … DO UPDATE`,
//!    `UNION ALL`, window functions, `LIMIT … OFFSET`. These run unchanged.
//! 3. **Translated at the seam**, so the statement text stays one:
//!    placeholders `?N`/`?` → `$N` ([`placeholders::to_postgres`]); value
//!    types by the prepared statement's parameter types (a text date binds
//!    to `date`, 0/1 to `boolean`); `boolean`/`numeric`/`timestamptz`
//!    columns read back as kam's integers, exact decimals and local stamps.
//! 4. **Written once in a form both read** (small edits in the store, no
//!    engine switch): `IS NOT` as a null-safe compare → `IS DISTINCT FROM`
//!    (SQLite ≥ 3.39 reads it too); `instr(a, b) > 0` → `a LIKE '%' || b ||
//!    '%'` or a helper; `INSERT OR IGNORE` → `ON CONFLICT DO NOTHING`;
//!    `last_insert_rowid()` → `INSERT … RETURNING id` (SQLite ≥ 3.35 has
//!    it); `GLOB` checks live in the schema only.
//! 5. **Engine-specific versions**, one place per engine behind the seam:
//!    - *Schema and migrations*: `migrations/` for SQLite, `migrations-pg/`
//!      for PostgreSQL (numbered alike, a `kam_schema_version` table in
//!      place of `PRAGMA user_version`), the schema fingerprint read from
//!      `pg_catalog` (`pg_get_triggerdef`, `pg_get_functiondef`).
//!    - *Triggers*: `plpgsql` functions owned by a `kam_owner` role,
//!      `SECURITY DEFINER` with a fixed `search_path`, `RAISE EXCEPTION`
//!      for SQLite's `RAISE(ABORT …)`. Users hold no UPDATE/DELETE on
//!      `history`/`history_chain` and no DDL at all.
//!    - *History chain*: `kam_chain_link` becomes a server-side function
//!      hashing the same bytes (`sha256`, `int8send`), so a chain copied by
//!      `kam migrate` still verifies; the trigger takes the chain head under
//!      a lock (`SELECT … FOR UPDATE` on a one-row head table) since many
//!      writers now commit at once.
//!    - *Search*: the FTS5 trigram table becomes a `pg_trgm` GIN index on
//!      the search key (keyed by customer ID, not `rowid`); the TEMP-table
//!      hit cache goes (a pooled session is not a user's session): page
//!      through the index instead.
//!    - *Time*: SQLite's `strftime('now', 'localtime')` becomes `now()` in
//!      `timestamptz` columns; history stamps come from the server's clock
//!      in triggers, not from the client.
//!    - *Locking*: SQLite's `BEGIN IMMEDIATE` and busy handler become
//!      PostgreSQL row locks: a write that checks `version` does
//!      `SELECT … FOR UPDATE` (or `UPDATE … WHERE version = ?` and counts
//!      rows, as kam already does); serialization failures (`40001`) and
//!      deadlocks (`40P01`) are retried like SQLITE_BUSY.
//!    - *Change polling*: `pragma_data_version()`/`total_changes()` become
//!      `LISTEN kam_changes` with a `NOTIFY` from the history trigger, or a
//!      change counter row kept by that trigger and read per tick.
//!    - *Access*: the rules of `db/access.rs` become row-level security
//!      policies keyed by `current_user` → `staff.login`, so `psql` as an
//!      account manager is refused what kam refuses; kam keeps asking
//!      `access.rs` first, for the friendly message.
//!    - *Pragmas, integrity, backup*: server settings, `amcheck` and
//!      `pg_dump`/base backups instead of `PRAGMA integrity_check` and the
//!      backup API; `file_access.rs` has no PostgreSQL counterpart (roles
//!      are the access control).
//! 6. **One suite, two engines**: the storage tests take the engine as a
//!    parameter (SQLite file, or a fresh database on the throwaway cluster
//!    of `tests/it/pg_cluster.rs`).

pub mod conninfo;
mod pg;
pub mod placeholders;
mod session;
mod value;

pub use conninfo::{ConnInfo, TlsFailure, is_postgres};
pub use pg::{PgConn, PgTx};
pub use session::PgSession;
pub use value::{ColumnIndex, DATE_FORMAT, FromValue, Row, STAMP_FORMAT, Value};

/// What went wrong below the seam, in the engine's own words.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    #[error("connection string: {0}")]
    Config(String),
    #[error("{}", with_causes(.0))]
    Postgres(#[from] postgres::Error),
    /// The connection's TLS failed (see [`TlsFailure`]).
    #[error("{0}")]
    Tls(TlsFailure),
    #[error("the statement takes {expected} parameters, {given} given")]
    ParameterCount { expected: usize, given: usize },
    #[error("no column {0}")]
    NoColumn(String),
    #[error("{what}: {value} cannot be read as {to}")]
    Conversion { what: String, value: String, to: String },
}

/// The client's error says only "db error"; the server's words are in its
/// source.
fn with_causes(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

impl EngineError {
    /// The server's SQLSTATE code (`23505` unique violation, `40001`
    /// serialization failure, …), when the server refused.
    pub fn sql_state(&self) -> Option<&str> {
        match self {
            EngineError::Postgres(e) => e.code().map(|c| c.code()),
            _ => None,
        }
    }
}
