//! How domain values are stored: money as integer fen, dates as ISO text.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, Value, ValueRef};

use crate::domain::dossier::{FieldKind, FieldSpec, FieldValue};
use crate::domain::money::Money;

impl ToSql for Money {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Owned(Value::Integer(self.to_fen())))
    }
}

impl FromSql for Money {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value {
            ValueRef::Integer(fen) => Ok(Money::from_fen(fen)),
            _ => Err(FromSqlError::InvalidType),
        }
    }
}

/// A stored time of record (with its offset, or an older one without) read as
/// the bureau's wall-clock time (see `crate::time`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil(pub chrono::NaiveDateTime);

impl FromSql for Civil {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        crate::time::civil(text).map(Civil).ok_or_else(|| FromSqlError::Other(format!("not a time: {text}").into()))
    }
}

/// A stored time of record as text in the bureau's zone (`crate::time::shown`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shown(pub String);

impl FromSql for Shown {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        Ok(Shown(crate::time::shown(value.as_str()?)))
    }
}

impl ToSql for FieldValue {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            FieldValue::Null => ToSqlOutput::Owned(Value::Null),
            FieldValue::Text(s) => ToSqlOutput::Borrowed(ValueRef::Text(s.as_bytes())),
            FieldValue::Int(i) => ToSqlOutput::Owned(Value::Integer(*i)),
            FieldValue::Money(m) => ToSqlOutput::Owned(Value::Integer(m.to_fen())),
            FieldValue::Date(d) => ToSqlOutput::Owned(Value::Text(d.format("%Y-%m-%d").to_string())),
        })
    }
}

/// Reads one stored column as the value its field spec says it holds.
pub fn read_field(spec: &FieldSpec, value: ValueRef<'_>) -> FromSqlResult<FieldValue> {
    if let ValueRef::Null = value {
        return Ok(FieldValue::Null);
    }
    Ok(match spec.kind {
        FieldKind::Money => FieldValue::Money(Money::column_result(value)?),
        FieldKind::Count | FieldKind::Industry | FieldKind::Unit | FieldKind::Staff => {
            FieldValue::Int(i64::column_result(value)?)
        }
        FieldKind::Date => {
            let text = String::column_result(value)?;
            match chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
                Ok(d) => FieldValue::Date(d),
                // A date that came in from elsewhere and does not parse is kept as text
                // rather than hidden, so nothing the user entered disappears.
                Err(_) => FieldValue::Text(text),
            }
        }
        _ => FieldValue::Text(String::column_result(value)?),
    })
}
