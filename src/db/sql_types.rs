//! How domain values are stored: money as integer fen, dates as ISO text,
//! IDs as their digits.

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, Value, ValueRef};

use crate::domain::dossier::{FieldKind, FieldSpec, FieldValue};
use crate::domain::id::{CustomerId, DivisionCode, IdError};
use crate::domain::money::Money;

/// A stored ID that is not one: the column holds text the ID rules refuse
/// (a file edited outside kam). Reading it is an error that names the value,
/// never a panic and never a silently skipped row.
#[derive(Debug, thiserror::Error)]
#[error("stored {what} '{value}' is malformed: {reason}")]
pub struct MalformedId {
    pub what: &'static str,
    pub value: String,
    pub reason: IdError,
}

fn stored_id<T>(value: ValueRef<'_>, what: &'static str, parse: fn(&str) -> Result<T, IdError>) -> FromSqlResult<T> {
    let text = value.as_str()?;
    parse(text).map_err(|reason| FromSqlError::Other(Box::new(MalformedId { what, value: text.to_owned(), reason })))
}

/// IDs are stored as their text and read back through their own rules.
macro_rules! stored_as_text {
    ($($ty:ty => $what:literal),+ $(,)?) => {$(
        impl ToSql for $ty {
            fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
                Ok(ToSqlOutput::Borrowed(ValueRef::Text(self.as_str().as_bytes())))
            }
        }

        impl FromSql for $ty {
            fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
                stored_id(value, $what, <$ty>::parse)
            }
        }
    )+};
}

stored_as_text!(CustomerId => "customer ID", DivisionCode => "division code");

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

// The same types through the seam (`db::sql`), for both engines.

use super::engine::{FromValue, Value as SeamValue};
use super::sql::ToValue;

macro_rules! seam_text_ids {
    ($($ty:ty),+) => {$(
        impl ToValue for $ty {
            fn to_value(&self) -> SeamValue {
                SeamValue::Text(self.as_str().to_string())
            }
        }
        /// A stored ID the ID rules refuse reads as a conversion error that
        /// names it (never a panic, never a skipped row).
        impl FromValue for $ty {
            fn from_value(value: &SeamValue) -> Option<Self> {
                match value {
                    SeamValue::Text(s) => <$ty>::parse(s).ok(),
                    _ => None,
                }
            }
        }
    )+};
}
seam_text_ids!(CustomerId, DivisionCode);

/// Money is stored as whole fen (an integer on SQLite, PostgreSQL's `fen`
/// domain, a numeric of scale 0).
impl ToValue for Money {
    fn to_value(&self) -> SeamValue {
        SeamValue::Integer(self.to_fen())
    }
}
impl FromValue for Money {
    fn from_value(value: &SeamValue) -> Option<Self> {
        match value {
            SeamValue::Integer(fen) => Some(Money::from_fen(*fen)),
            SeamValue::Decimal(d) => d.parse::<rust_decimal::Decimal>().ok().and_then(|d| {
                use rust_decimal::prelude::ToPrimitive;
                d.trunc().to_i64().map(Money::from_fen)
            }),
            _ => None,
        }
    }
}

impl FromValue for Civil {
    fn from_value(value: &SeamValue) -> Option<Self> {
        match value {
            SeamValue::Text(s) => crate::time::civil(s).map(Civil),
            SeamValue::DateTime(t) => Some(Civil(*t)),
            _ => None,
        }
    }
}
impl FromValue for Shown {
    fn from_value(value: &SeamValue) -> Option<Self> {
        match value {
            SeamValue::Text(s) => Some(Shown(crate::time::shown(s))),
            SeamValue::DateTime(t) => Some(Shown(t.format("%Y-%m-%d %H:%M:%S").to_string())),
            _ => None,
        }
    }
}

impl ToValue for FieldValue {
    fn to_value(&self) -> SeamValue {
        match self {
            FieldValue::Null => SeamValue::Null,
            FieldValue::Text(s) => SeamValue::Text(s.clone()),
            FieldValue::Int(i) => SeamValue::Integer(*i),
            FieldValue::Money(m) => SeamValue::Integer(m.to_fen()),
            FieldValue::Date(d) => SeamValue::Text(d.format("%Y-%m-%d").to_string()),
        }
    }
}

/// Reads one stored value (through the seam) as its field spec says.
pub fn field_of(spec: &FieldSpec, value: &SeamValue) -> Option<FieldValue> {
    if let SeamValue::Null = value {
        return Some(FieldValue::Null);
    }
    Some(match spec.kind {
        FieldKind::Money => FieldValue::Money(Money::from_value(value)?),
        FieldKind::Count | FieldKind::Industry | FieldKind::Unit | FieldKind::Staff => {
            FieldValue::Int(i64::from_value(value)?)
        }
        FieldKind::Date => {
            let text = String::from_value(value)?;
            match chrono::NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
                Ok(d) => FieldValue::Date(d),
                // Kept as text rather than hidden (see `read_field`).
                Err(_) => FieldValue::Text(text),
            }
        }
        _ => FieldValue::Text(String::from_value(value)?),
    })
}

#[cfg(test)]
mod tests {
    use rusqlite::Connection;

    use super::*;

    fn read<T: FromSql>(conn: &Connection, stored: &str) -> rusqlite::Result<T> {
        conn.query_row("SELECT ?1", [stored], |r| r.get(0))
    }

    #[test]
    fn ids_are_stored_as_their_digits_and_read_back() {
        let conn = Connection::open_in_memory().unwrap();
        let id = CustomerId::parse("44010000001002").unwrap();
        let stored: String = conn.query_row("SELECT ?1", [&id], |r| r.get(0)).unwrap();
        assert_eq!(stored, "44010000001002");
        assert_eq!(read::<CustomerId>(&conn, &stored).unwrap(), id);
        let division = DivisionCode::parse("440100").unwrap();
        let back: DivisionCode = conn.query_row("SELECT ?1", [&division], |r| r.get(0)).unwrap();
        assert_eq!(back, division);
    }

    #[test]
    fn a_malformed_stored_id_is_an_error_naming_it() {
        let conn = Connection::open_in_memory().unwrap();
        for (stored, reason) in [
            ("4401000000100", IdError::WrongLength { expected: 14, found: 13 }),
            ("4401000000100x", IdError::NotDigits),
            ("44010000000000", IdError::ZeroSequence),
        ] {
            let err = read::<CustomerId>(&conn, stored).unwrap_err();
            let rusqlite::Error::FromSqlConversionFailure(0, _, cause) = &err else {
                panic!("{stored}: {err:?}");
            };
            let malformed = cause.downcast_ref::<MalformedId>().expect("the cause is the malformed ID");
            assert_eq!((malformed.value.as_str(), malformed.reason), (stored, reason));
            assert!(err.to_string().contains(stored), "{err}");
        }
        assert!(read::<DivisionCode>(&conn, "040100").is_err());
        let number: rusqlite::Result<CustomerId> = conn.query_row("SELECT 44010000001000", [], |r| r.get(0));
        assert!(matches!(number, Err(rusqlite::Error::InvalidColumnType(..))), "{number:?}");
    }
}
