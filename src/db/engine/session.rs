//! A PostgreSQL session behind the seam ([`crate::db::sql::Sql`]).
//!
//! The `postgres` client asks for `&mut` on every call; the store reads
//! through `&Conn`, as rusqlite lets it. The client sits in a `RefCell`:
//! each call takes it for the round trip only (rows are fetched whole, then
//! read), so a row reader that runs another statement never meets a
//! borrowed client.

use std::cell::RefCell;

use super::{EngineError, PgConn, Value};
use crate::db::DbError;
use crate::db::sql::{Dialect, Row, Sql, ToValue};

pub struct PgSession {
    conn: RefCell<PgConn>,
}

impl std::fmt::Debug for PgSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgSession").finish_non_exhaustive()
    }
}

impl PgSession {
    pub fn connect(target: &str) -> Result<Self, EngineError> {
        Ok(PgSession { conn: RefCell::new(PgConn::connect(target)?) })
    }

    pub fn new(conn: PgConn) -> Self {
        PgSession { conn: RefCell::new(conn) }
    }

    /// A handle that stops the running statement from another thread.
    pub fn cancel_token(&self) -> postgres::CancelToken {
        self.conn.borrow().cancel_token()
    }

    /// `COPY … FROM STDIN` with `data` as its input (see [`PgConn::copy_in`]).
    pub fn copy_in(&self, sql: &str, data: &[u8]) -> Result<u64, DbError> {
        Ok(self.conn.borrow_mut().copy_in(sql, data)?)
    }

    fn query(&self, sql: &str, args: &[&dyn ToValue]) -> Result<Vec<super::Row>, DbError> {
        let values: Vec<Value> = args.iter().map(|a| a.to_value()).collect();
        Ok(self.conn.borrow_mut().query(sql, &values)?)
    }
}

impl Sql for PgSession {
    fn rows<T>(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        mut read: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        self.query(sql, args)?.iter().map(|row| read(&Row::Values(row))).collect()
    }

    fn row<T>(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        read: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        match self.query(sql, args)?.first() {
            Some(row) => read(&Row::Values(row)),
            None => Err(DbError::NotFound),
        }
    }

    fn exec(&self, sql: &str, args: &[&dyn ToValue]) -> Result<u64, DbError> {
        let values: Vec<Value> = args.iter().map(|a| a.to_value()).collect();
        Ok(self.conn.borrow_mut().execute(sql, &values)?)
    }

    fn exec_batch(&self, sql: &str) -> Result<(), DbError> {
        Ok(self.conn.borrow_mut().batch(sql)?)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }
}
