//! Values as both engines hold them, so the store above the seam reads and
//! binds one type whichever engine is below.
//!
//! SQLite is dynamically typed and kam already stores everything as
//! integers, text and a few blobs; PostgreSQL is strictly typed. The
//! PostgreSQL side therefore converts at the edge: a parameter takes the
//! type the server's prepared statement expects (so `Text("2026-12-06")`
//! binds to a `date` column and `Integer(7)` to a `smallint`), and a column
//! comes back as the nearest kind here (`boolean` as 0/1, `numeric` as its
//! exact text, `timestamptz` in the local time of the machine kam runs on,
//! which is the time every stamp kam writes is in).

use std::sync::Arc;

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::EngineError;

/// One value in a row or a parameter list.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Integer(i64),
    Text(String),
    /// An exact decimal, kept as its text (`"1234.50"`): money and other
    /// `numeric` columns, never through a float.
    Decimal(String),
    Date(NaiveDate),
    /// A wall-clock time with no zone: kam's stamps are local time.
    DateTime(NaiveDateTime),
    /// Bytes: the history chain's links.
    Bytes(Vec<u8>),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Value::Integer(v)
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Value::Text(v.to_string())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Value::Text(v)
    }
}
impl From<Decimal> for Value {
    fn from(v: Decimal) -> Self {
        Value::Decimal(v.to_string())
    }
}
impl From<NaiveDate> for Value {
    fn from(v: NaiveDate) -> Self {
        Value::Date(v)
    }
}
impl From<NaiveDateTime> for Value {
    fn from(v: NaiveDateTime) -> Self {
        Value::DateTime(v)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// The text form kam stores dates in on SQLite.
pub const DATE_FORMAT: &str = "%Y-%m-%d";
/// The text form of kam's stamps on SQLite.
pub const STAMP_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// A Rust type a [`Value`] can be read as.
pub trait FromValue: Sized {
    fn from_value(value: &Value) -> Option<Self>;
}

impl FromValue for Value {
    fn from_value(value: &Value) -> Option<Self> {
        Some(value.clone())
    }
}
impl FromValue for i64 {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Integer(i) => Some(*i),
            Value::Decimal(d) => d.parse().ok(),
            _ => None,
        }
    }
}
impl FromValue for bool {
    fn from_value(value: &Value) -> Option<Self> {
        i64::from_value(value).map(|i| i != 0)
    }
}
impl FromValue for String {
    fn from_value(value: &Value) -> Option<Self> {
        Some(match value {
            Value::Text(s) | Value::Decimal(s) => s.clone(),
            Value::Integer(i) => i.to_string(),
            Value::Date(d) => d.format(DATE_FORMAT).to_string(),
            Value::DateTime(t) => t.format(STAMP_FORMAT).to_string(),
            Value::Null | Value::Bytes(_) => return None,
        })
    }
}
impl FromValue for Decimal {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Decimal(s) | Value::Text(s) => s.parse().ok(),
            Value::Integer(i) => Some(Decimal::from(*i)),
            _ => None,
        }
    }
}
impl FromValue for NaiveDate {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Date(d) => Some(*d),
            Value::Text(s) => NaiveDate::parse_from_str(s, DATE_FORMAT).ok(),
            _ => None,
        }
    }
}
impl FromValue for NaiveDateTime {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::DateTime(t) => Some(*t),
            // A time of record with its offset reads as the bureau's
            // wall-clock time (`crate::time::civil`).
            Value::Text(s) => NaiveDateTime::parse_from_str(s, STAMP_FORMAT).ok().or_else(|| crate::time::civil(s)),
            _ => None,
        }
    }
}
impl FromValue for Vec<u8> {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Bytes(b) => Some(b.clone()),
            _ => None,
        }
    }
}
impl<T: FromValue> FromValue for Option<T> {
    fn from_value(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// One row of a result: values by position, and the column names once per
/// result (shared by its rows).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

/// How a column is named when read: by position (from 0) or by name.
pub trait ColumnIndex: std::fmt::Debug {
    fn position(&self, columns: &[String]) -> Option<usize>;
}
impl ColumnIndex for usize {
    fn position(&self, columns: &[String]) -> Option<usize> {
        (*self < columns.len()).then_some(*self)
    }
}
impl ColumnIndex for &str {
    fn position(&self, columns: &[String]) -> Option<usize> {
        columns.iter().position(|c| c == self)
    }
}

impl Row {
    pub fn new(columns: Arc<[String]>, values: Vec<Value>) -> Self {
        debug_assert_eq!(columns.len(), values.len());
        Row { columns, values }
    }

    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    pub fn values(&self) -> &[Value] {
        &self.values
    }

    /// The raw value of a column.
    pub fn value(&self, column: impl ColumnIndex) -> Result<&Value, EngineError> {
        column
            .position(&self.columns)
            .map(|i| &self.values[i])
            .ok_or_else(|| EngineError::NoColumn(format!("{column:?}")))
    }

    /// A column read as `T` (`Option<T>` where it may be NULL).
    pub fn get<T: FromValue>(&self, column: impl ColumnIndex) -> Result<T, EngineError> {
        let value = self.value(&column)?;
        T::from_value(value).ok_or_else(|| EngineError::Conversion {
            what: format!("column {column:?}"),
            value: format!("{value:?}"),
            to: std::any::type_name::<T>().to_string(),
        })
    }
}

impl<C: ColumnIndex> ColumnIndex for &C {
    fn position(&self, columns: &[String]) -> Option<usize> {
        (*self).position(columns)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> Row {
        let columns: Arc<[String]> = ["id", "name", "amount", "on", "gone"].map(String::from).into();
        Row::new(
            columns,
            vec![
                Value::Integer(7),
                Value::Text("广州邮政".into()),
                Value::Decimal("1234.50".into()),
                Value::Text("2026-12-06".into()),
                Value::Null,
            ],
        )
    }

    #[test]
    fn columns_are_read_by_position_and_by_name() {
        let r = row();
        assert_eq!(r.get::<i64>(0).unwrap(), 7);
        assert_eq!(r.get::<String>("name").unwrap(), "广州邮政");
        assert_eq!(r.get::<Decimal>("amount").unwrap(), Decimal::new(123450, 2));
        assert_eq!(r.get::<NaiveDate>("on").unwrap(), NaiveDate::from_ymd_opt(2026, 12, 6).unwrap());
        assert_eq!(r.get::<Option<i64>>("gone").unwrap(), None);
        assert_eq!(r.get::<Option<i64>>("id").unwrap(), Some(7));
    }

    #[test]
    fn a_wrong_column_or_type_is_an_error_that_names_it() {
        let r = row();
        assert!(matches!(r.get::<i64>(9), Err(EngineError::NoColumn(_))));
        assert!(matches!(r.get::<i64>("nope"), Err(EngineError::NoColumn(_))));
        let e = r.get::<i64>("name").unwrap_err().to_string();
        assert!(e.contains("name") && e.contains("i64"), "{e}");
        assert!(r.get::<i64>("gone").is_err(), "NULL is read only as an Option");
    }
}
