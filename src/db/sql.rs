//! The seam between the store and its engine: every statement the store
//! runs goes through [`Sql`], with parameters as [`ToValue`]s and results
//! read from a [`Row`], so one statement text and one row reader serve
//! SQLite and PostgreSQL alike (see `engine` for the plan and for what each
//! engine does differently below the seam).
//!
//! The shape follows rusqlite's, which the store was written against:
//! `row(sql, args![a, b], |r| r.get(0))` for one row, `rows` for many,
//! `exec` for a write, `optional()` for a row that may be missing.
//! Placeholders are `?1`, `?2`, … (the PostgreSQL engine renumbers them).

use rusqlite::types::ValueRef;

use super::DbError;
use super::engine::{EngineError, FromValue, Value};

/// A value bound to a statement's parameter.
pub trait ToValue {
    fn to_value(&self) -> Value;
}

/// The parameters of one statement: `args![a, b, c]` (any [`ToValue`]s,
/// borrowed), `args![]` for none.
#[macro_export]
macro_rules! args {
    () => { &[] as &[&dyn $crate::db::sql::ToValue] };
    ($($arg:expr),+ $(,)?) => { &[$(&$arg as &dyn $crate::db::sql::ToValue),+] as &[&dyn $crate::db::sql::ToValue] };
}
pub use args;

/// The statements a connection or an open transaction runs.
pub trait Sql {
    /// Every row of a query, each read by `read`.
    fn rows<T>(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        read: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError>;

    /// The first row of a query; [`DbError::NotFound`] when there is none
    /// (`.optional()` makes that `None`).
    fn row<T>(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        read: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError>;

    /// Runs one statement; how many rows it changed.
    fn exec(&self, sql: &str, args: &[&dyn ToValue]) -> Result<u64, DbError>;

    /// Runs statements without parameters as they are (`;`-separated).
    fn exec_batch(&self, sql: &str) -> Result<(), DbError>;

    /// Which engine runs the statements, for the few places that differ.
    fn dialect(&self) -> Dialect;
}

/// Which engine is below the seam.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Sqlite,
    Postgres,
}

/// A missing row as `None` rather than [`DbError::NotFound`].
pub trait Optional<T> {
    fn optional(self) -> Result<Option<T>, DbError>;
}

impl<T> Optional<T> for Result<T, DbError> {
    fn optional(self) -> Result<Option<T>, DbError> {
        match self {
            Ok(v) => Ok(Some(v)),
            Err(DbError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// One row of a result, read by position (from 0).
pub enum Row<'a> {
    Sqlite(&'a rusqlite::Row<'a>),
    Values(&'a super::engine::Row),
}

impl Row<'_> {
    /// Column `i` as `T` (`Option<T>` where it may be NULL).
    pub fn get<T: FromValue>(&self, i: usize) -> Result<T, DbError> {
        match self {
            Row::Sqlite(row) => {
                let value = sqlite_value(row.get_ref(i)?);
                T::from_value(&value).ok_or_else(|| {
                    DbError::Engine(EngineError::Conversion {
                        what: format!("column {i}"),
                        value: format!("{value:?}"),
                        to: std::any::type_name::<T>().to_string(),
                    })
                })
            }
            Row::Values(row) => Ok(row.get(i)?),
        }
    }

    /// Column `i` as it is stored.
    pub fn value(&self, i: usize) -> Result<Value, DbError> {
        match self {
            Row::Sqlite(row) => Ok(sqlite_value(row.get_ref(i)?)),
            Row::Values(row) => Ok(row.value(i)?.clone()),
        }
    }

    /// Column `i` as text borrowed from the row, not copied: for loops over
    /// many rows that only look at it (the monthly analysis's merge by
    /// customer ID). Anything but text is a conversion error.
    pub fn text(&self, i: usize) -> Result<&str, DbError> {
        let text = match self {
            Row::Sqlite(row) => match row.get_ref(i)? {
                ValueRef::Text(t) => std::str::from_utf8(t).ok(),
                _ => None,
            },
            Row::Values(row) => match row.value(i)? {
                Value::Text(s) => Some(s.as_str()),
                _ => None,
            },
        };
        match text {
            Some(text) => Ok(text),
            None => Err(DbError::Engine(EngineError::Conversion {
                what: format!("column {i}"),
                value: format!("{:?}", self.value(i)?),
                to: "text".to_string(),
            })),
        }
    }
}

/// A SQLite value as the seam's. SQLite holds no floats kam wrote; one
/// written by another program reads as its exact decimal text.
fn sqlite_value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Integer(i),
        ValueRef::Real(f) => Value::Decimal(f.to_string()),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
    }
}

/// A seam value as SQLite binds it.
fn sqlite_param(v: Value) -> rusqlite::types::Value {
    use rusqlite::types::Value as Sv;
    match v {
        Value::Null => Sv::Null,
        Value::Integer(i) => Sv::Integer(i),
        Value::Text(s) | Value::Decimal(s) => Sv::Text(s),
        Value::Date(d) => Sv::Text(d.format(super::engine::DATE_FORMAT).to_string()),
        Value::DateTime(t) => Sv::Text(t.format(super::engine::STAMP_FORMAT).to_string()),
        Value::Bytes(b) => Sv::Blob(b),
    }
}

fn sqlite_params(args: &[&dyn ToValue]) -> Vec<rusqlite::types::Value> {
    args.iter().map(|a| sqlite_param(a.to_value())).collect()
}

impl Sql for rusqlite::Connection {
    fn rows<T>(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        mut read: impl FnMut(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<Vec<T>, DbError> {
        let mut statement = self.prepare_cached(sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(sqlite_params(args)))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(read(&Row::Sqlite(row))?);
        }
        Ok(out)
    }

    fn row<T>(
        &self,
        sql: &str,
        args: &[&dyn ToValue],
        read: impl FnOnce(&Row<'_>) -> Result<T, DbError>,
    ) -> Result<T, DbError> {
        let mut statement = self.prepare_cached(sql)?;
        let mut rows = statement.query(rusqlite::params_from_iter(sqlite_params(args)))?;
        match rows.next()? {
            Some(row) => read(&Row::Sqlite(row)),
            None => Err(DbError::NotFound),
        }
    }

    fn exec(&self, sql: &str, args: &[&dyn ToValue]) -> Result<u64, DbError> {
        let mut statement = self.prepare_cached(sql)?;
        let changed = statement.execute(rusqlite::params_from_iter(sqlite_params(args)))?;
        Ok(u64::try_from(changed).unwrap_or(u64::MAX))
    }

    fn exec_batch(&self, sql: &str) -> Result<(), DbError> {
        Ok(self.execute_batch(sql)?)
    }

    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }
}

// What the store binds.

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}
impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}
impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}
impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::Text(self.to_string())
    }
}
impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::Text(self.clone())
    }
}
impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Integer(i64::from(*self))
    }
}
macro_rules! integers {
    ($($t:ty),+) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::Integer(i64::from(*self))
            }
        }
    )+};
}
integers!(i64, i32, i16, u32, u16, u8);
impl ToValue for usize {
    fn to_value(&self) -> Value {
        Value::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}
impl ToValue for u64 {
    fn to_value(&self) -> Value {
        Value::Integer(i64::try_from(*self).unwrap_or(i64::MAX))
    }
}
impl ToValue for rust_decimal::Decimal {
    fn to_value(&self) -> Value {
        Value::Decimal(self.to_string())
    }
}
/// Dates are stored as their ISO text.
impl ToValue for chrono::NaiveDate {
    fn to_value(&self) -> Value {
        Value::Text(self.format(super::engine::DATE_FORMAT).to_string())
    }
}
impl ToValue for Vec<u8> {
    fn to_value(&self) -> Value {
        Value::Bytes(self.clone())
    }
}
impl ToValue for [u8] {
    fn to_value(&self) -> Value {
        Value::Bytes(self.to_vec())
    }
}

// What the store reads beyond the engine's own kinds.

macro_rules! small_integers {
    ($($t:ty),+) => {$(
        impl FromValue for $t {
            fn from_value(value: &Value) -> Option<Self> {
                i64::from_value(value).and_then(|i| <$t>::try_from(i).ok())
            }
        }
    )+};
}
small_integers!(i32, i16, u32, u16, u8, u64, usize);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_read_and_bind_through_the_seam_on_sqlite() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.exec_batch("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL, on_day TEXT, n INTEGER)").unwrap();
        let day = chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let none: Option<i64> = None;
        let id: i64 = conn
            .row("INSERT INTO t (name, on_day, n) VALUES (?1, ?2, ?3) RETURNING id", args!["广州", day, none], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(conn.exec("UPDATE t SET n = ?1 WHERE id = ?2", args![7, id]).unwrap(), 1);
        let got: Vec<(String, chrono::NaiveDate, Option<u32>)> =
            conn.rows("SELECT name, on_day, n FROM t", args![], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).unwrap();
        assert_eq!(got, [("广州".to_string(), day, Some(7))]);
        let missing = conn.row("SELECT id FROM t WHERE id = ?1", args![id + 1], |r| r.get::<i64>(0));
        assert!(matches!(missing, Err(DbError::NotFound)));
        assert_eq!(
            conn.row("SELECT id FROM t WHERE id = ?1", args![id + 1], |r| r.get::<i64>(0)).optional().unwrap(),
            None
        );
        let wrong = conn.row("SELECT name FROM t", args![], |r| r.get::<i64>(0)).unwrap_err().to_string();
        assert!(wrong.contains("广州") && wrong.contains("i64"), "{wrong}");
    }

    #[test]
    fn text_is_read_borrowed_and_only_from_text() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let got: Vec<bool> =
            conn.rows("SELECT '44010000001002', 7", args![], |r| Ok(r.text(0)? == "44010000001002")).unwrap();
        assert_eq!(got, [true]);
        let values = super::super::engine::Row::new(
            ["id", "n"].map(String::from).into(),
            vec![Value::Text("广州".into()), Value::Integer(7)],
        );
        assert_eq!(Row::Values(&values).text(0).unwrap(), "广州");
        let wrong = Row::Values(&values).text(1).unwrap_err().to_string();
        assert!(wrong.contains("column 1") && wrong.contains('7'), "{wrong}");
        let wrong = conn.row("SELECT 7", args![], |r| r.text(0).map(str::to_owned)).unwrap_err().to_string();
        assert!(wrong.contains("column 0") && wrong.contains('7'), "{wrong}");
    }
}
