//! The connection the store runs on, SQLite's or PostgreSQL's, and a write
//! transaction on it. Both speak the seam ([`Sql`]); what differs between
//! the engines at this level is how a write transaction begins.

use std::ops::Deref;

use super::DbError;
use super::engine::PgSession;
use super::sql::{Dialect, Row, Sql, ToValue};

/// A connection (see [`super::Store::conn`]).
pub enum Conn {
    Sqlite(rusqlite::Connection),
    /// Boxed: the client is larger than SQLite's handle.
    Postgres(Box<PgSession>),
}

impl std::fmt::Debug for Conn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Conn::Sqlite(_) => "Conn::Sqlite",
            Conn::Postgres(_) => "Conn::Postgres",
        })
    }
}

impl Conn {
    /// SQLite's own connection, for what only SQLite has (pragmas, the
    /// backup API, the file's header).
    pub(crate) fn sqlite(&self) -> Option<&rusqlite::Connection> {
        match self {
            Conn::Sqlite(c) => Some(c),
            Conn::Postgres(_) => None,
        }
    }
}

impl Conn {
    /// A read transaction: every statement in it sees the same state of the
    /// database while others keep writing (an export's pages, a report's
    /// figures). Dropping it ends it; nothing is written.
    pub fn snapshot(&self) -> Result<Tx<'_>, DbError> {
        match self {
            Conn::Sqlite(c) => c.execute_batch("BEGIN DEFERRED")?,
            Conn::Postgres(c) => c.exec_batch("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")?,
        }
        Ok(Tx { conn: self, open: true })
    }
}

/// A statement read through a [`Conn`]: its SQL and arguments.
pub type Statement = (String, Vec<super::engine::Value>);

thread_local! {
    static RECORDED: std::cell::RefCell<Option<Vec<Statement>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `f` and returns, with its result, every statement it read through a
/// [`Conn`] on this thread, in order: for tests that check the query plans
/// of a whole path (the monthly analysis reads no table in full).
#[doc(hidden)]
pub fn recording_statements<R>(f: impl FnOnce() -> R) -> (R, Vec<Statement>) {
    RECORDED.with(|r| *r.borrow_mut() = Some(Vec::new()));
    let out = f();
    (out, RECORDED.with(|r| r.borrow_mut().take().unwrap_or_default()))
}

fn record(sql: &str, args: &[&dyn ToValue]) {
    RECORDED.with(|r| {
        if let Some(list) = r.borrow_mut().as_mut() {
            list.push((sql.to_string(), args.iter().map(|a| a.to_value()).collect()));
        }
    });
}

impl Sql for Conn {
    fn rows<T>(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        read: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        record(sql, args);
        match self {
            Conn::Sqlite(c) => c.rows(sql, args, read),
            Conn::Postgres(c) => c.rows(sql, args, read),
        }
    }

    fn row<T>(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        read: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        record(sql, args);
        match self {
            Conn::Sqlite(c) => c.row(sql, args, read),
            Conn::Postgres(c) => c.row(sql, args, read),
        }
    }

    fn exec(&self, sql: &str, args: &[&dyn ToValue]) -> Result<u64, DbError> {
        match self {
            Conn::Sqlite(c) => c.exec(sql, args),
            Conn::Postgres(c) => c.exec(sql, args),
        }
    }

    fn exec_batch(&self, sql: &str) -> Result<(), DbError> {
        match self {
            Conn::Sqlite(c) => c.exec_batch(sql),
            Conn::Postgres(c) => c.exec_batch(sql),
        }
    }

    fn dialect(&self) -> Dialect {
        match self {
            Conn::Sqlite(_) => Dialect::Sqlite,
            Conn::Postgres(_) => Dialect::Postgres,
        }
    }
}

/// An open write transaction. Dropped without [`Tx::commit`] it rolls back.
pub struct Tx<'a> {
    conn: &'a Conn,
    open: bool,
}

/// What a PostgreSQL write takes first: the lock the history chain is kept
/// under (migrations-pg `history_before_insert`). Taken at the start, it
/// makes writers take turns as SQLite's `BEGIN IMMEDIATE` does, so a write
/// that reads what it checks (a free customer ID, a version) reads the last
/// commit; the wait is bounded by `lock_timeout` (SQLSTATE 55P03 → busy).
const PG_WRITE_LOCK: &str = "SELECT pg_advisory_xact_lock(hashtext('kam history chain'))";

impl<'a> Tx<'a> {
    /// Begins a write transaction, waiting at most `wait` for other writers.
    pub(crate) fn begin(conn: &'a Conn, wait: std::time::Duration) -> Result<Tx<'a>, DbError> {
        match conn {
            Conn::Sqlite(c) => c.execute_batch("BEGIN IMMEDIATE")?,
            Conn::Postgres(c) => {
                c.exec_batch("BEGIN ISOLATION LEVEL READ COMMITTED")?;
                let tx = Tx { conn, open: true };
                c.exec_batch(&format!("SET LOCAL lock_timeout = {}", wait.as_millis()))?;
                c.exec_batch(PG_WRITE_LOCK)?;
                return Ok(tx);
            }
        }
        Ok(Tx { conn, open: true })
    }

    /// Commits. A commit that fails (SQLite busy past the timeout) leaves
    /// the transaction to roll back when dropped.
    pub(crate) fn commit(mut self) -> Result<(), DbError> {
        self.conn.exec_batch("COMMIT")?;
        self.open = false;
        Ok(())
    }
}

impl Drop for Tx<'_> {
    fn drop(&mut self) {
        if self.open {
            let _ = self.conn.exec_batch("ROLLBACK");
        }
    }
}

impl Sql for Tx<'_> {
    fn rows<T>(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        read: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        self.conn.rows(sql, args, read)
    }

    fn row<T>(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        read: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        self.conn.row(sql, args, read)
    }

    fn exec(&self, sql: &str, args: &[&dyn ToValue]) -> Result<u64, DbError> {
        self.conn.exec(sql, args)
    }

    fn exec_batch(&self, sql: &str) -> Result<(), DbError> {
        self.conn.exec_batch(sql)
    }

    fn dialect(&self) -> Dialect {
        self.conn.dialect()
    }
}

impl Deref for Tx<'_> {
    type Target = Conn;
    fn deref(&self) -> &Conn {
        self.conn
    }
}
