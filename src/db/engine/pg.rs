//! A PostgreSQL connection that speaks in [`Value`]s and kam's SQL, through
//! the synchronous `postgres` client (kam's app is synchronous; the client
//! runs its own small tokio runtime inside).

use std::collections::HashMap;
use std::error::Error as StdError;
use std::sync::Arc;

use bytes::BytesMut;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use postgres::GenericClient;
use postgres::types::{FromSql, IsNull, Kind, ToSql, Type, to_sql_checked};
use rust_decimal::Decimal;

use super::EngineError;
use super::conninfo::ConnInfo;
use super::placeholders::to_postgres;
use super::value::{DATE_FORMAT, Row, STAMP_FORMAT, Value};

/// One session with the server.
pub struct PgConn {
    client: postgres::Client,
    /// Statements prepared on this session, by kam's SQL text: the server
    /// plans each once, as SQLite's statement cache does.
    prepared: HashMap<String, postgres::Statement>,
}

impl std::fmt::Debug for PgConn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgConn").field("closed", &self.client.is_closed()).finish()
    }
}

impl PgConn {
    /// Connects with a libpq-style URL or key-value string.
    pub fn connect(target: &str) -> Result<Self, EngineError> {
        let client = ConnInfo::parse(target)?.connect()?;
        Ok(PgConn { client, prepared: HashMap::new() })
    }

    /// Runs a statement written for kam (SQLite placeholders) and returns
    /// its rows.
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, EngineError> {
        let statement = self.prepared(sql)?;
        let bound = bind(&statement, params)?;
        let rows = self.client.query(&statement, &refs(&bound))?;
        read_rows(&statement, &rows)
    }

    /// Runs a statement and returns how many rows it changed.
    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, EngineError> {
        let statement = self.prepared(sql)?;
        let bound = bind(&statement, params)?;
        Ok(self.client.execute(&statement, &refs(&bound))?)
    }

    /// The session's prepared statement for `sql`, preparing it once.
    fn prepared(&mut self, sql: &str) -> Result<postgres::Statement, EngineError> {
        if let Some(statement) = self.prepared.get(sql) {
            return Ok(statement.clone());
        }
        let statement = self.client.prepare(&to_postgres(sql))?;
        self.prepared.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    /// A handle that stops the statement running on this session, from
    /// another thread.
    pub fn cancel_token(&self) -> postgres::CancelToken {
        self.client.cancel_token()
    }

    /// True once the server or the network closed the session.
    pub fn is_closed(&self) -> bool {
        self.client.is_closed()
    }

    /// Runs several statements without parameters as they are (schema
    /// scripts, which carry `$$` bodies and no placeholders).
    pub fn batch(&mut self, sql: &str) -> Result<(), EngineError> {
        Ok(self.client.batch_execute(sql)?)
    }

    /// Runs `COPY … FROM STDIN` with `data` as its input (in the format
    /// the statement names): bulk loading, `kam migrate`'s copy. How many
    /// rows went in.
    pub fn copy_in(&mut self, sql: &str, data: &[u8]) -> Result<u64, EngineError> {
        use std::io::Write;
        let mut writer = self.client.copy_in(sql)?;
        // The writer's errors are the client's, boxed in an io::Error.
        writer.write_all(data).map_err(|e| match e.into_inner().map(|inner| inner.downcast::<postgres::Error>()) {
            Some(Ok(e)) => EngineError::Postgres(*e),
            Some(Err(other)) => {
                EngineError::Conversion { what: "COPY".into(), value: other.to_string(), to: sql.into() }
            }
            None => EngineError::Conversion { what: "COPY".into(), value: "write failed".into(), to: sql.into() },
        })?;
        Ok(writer.finish()?)
    }

    /// Opens a transaction; dropping it without [`PgTx::commit`] rolls back.
    pub fn transaction(&mut self) -> Result<PgTx<'_>, EngineError> {
        Ok(PgTx { tx: self.client.transaction()? })
    }
}

/// An open transaction.
pub struct PgTx<'a> {
    tx: postgres::Transaction<'a>,
}

impl PgTx<'_> {
    pub fn query(&mut self, sql: &str, params: &[Value]) -> Result<Vec<Row>, EngineError> {
        query(&mut self.tx, sql, params)
    }

    pub fn execute(&mut self, sql: &str, params: &[Value]) -> Result<u64, EngineError> {
        execute(&mut self.tx, sql, params)
    }

    pub fn batch(&mut self, sql: &str) -> Result<(), EngineError> {
        Ok(self.tx.batch_execute(sql)?)
    }

    pub fn commit(self) -> Result<(), EngineError> {
        Ok(self.tx.commit()?)
    }

    pub fn rollback(self) -> Result<(), EngineError> {
        Ok(self.tx.rollback()?)
    }
}

fn bind<'v>(statement: &postgres::Statement, params: &'v [Value]) -> Result<Vec<Param<'v>>, EngineError> {
    if statement.params().len() != params.len() {
        return Err(EngineError::ParameterCount { expected: statement.params().len(), given: params.len() });
    }
    Ok(params.iter().map(Param).collect())
}

fn read_rows(statement: &postgres::Statement, rows: &[postgres::Row]) -> Result<Vec<Row>, EngineError> {
    let columns: Arc<[String]> = statement.columns().iter().map(|c| c.name().to_string()).collect();
    rows.iter()
        .map(|row| {
            let values = (0..columns.len()).map(|i| read(row, i)).collect::<Result<_, _>>()?;
            Ok(Row::new(columns.clone(), values))
        })
        .collect()
}

fn prepare_and_bind<'v, C: GenericClient>(
    client: &mut C,
    sql: &str,
    params: &'v [Value],
) -> Result<(postgres::Statement, Vec<Param<'v>>), EngineError> {
    let statement = client.prepare(&to_postgres(sql))?;
    if statement.params().len() != params.len() {
        return Err(EngineError::ParameterCount { expected: statement.params().len(), given: params.len() });
    }
    let bound = params.iter().map(Param).collect();
    Ok((statement, bound))
}

fn refs<'a>(params: &'a [Param<'_>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params.iter().map(|p| p as &(dyn ToSql + Sync)).collect()
}

fn query<C: GenericClient>(client: &mut C, sql: &str, params: &[Value]) -> Result<Vec<Row>, EngineError> {
    let (statement, bound) = prepare_and_bind(client, sql, params)?;
    let rows = client.query(&statement, &refs(&bound))?;
    read_rows(&statement, &rows)
}

fn execute<C: GenericClient>(client: &mut C, sql: &str, params: &[Value]) -> Result<u64, EngineError> {
    let (statement, bound) = prepare_and_bind(client, sql, params)?;
    Ok(client.execute(&statement, &refs(&bound))?)
}

/// Reads column `i` of a row as the nearest [`Value`].
fn read(row: &postgres::Row, i: usize) -> Result<Value, EngineError> {
    Ok(row.try_get::<_, Read>(i)?.0)
}

/// A column's value as the nearest [`Value`], by the column's type (a
/// domain, such as the schema's `fen`, by the type it is made of).
struct Read(Value);

impl<'a> FromSql<'a> for Read {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        if let Kind::Domain(base) = ty.kind() {
            return Read::from_sql(base, raw);
        }
        Ok(Read(match *ty {
            Type::INT2 => Value::Integer(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Value::Integer(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Value::Integer(i64::from_sql(ty, raw)?),
            Type::BOOL => Value::Integer(bool::from_sql(ty, raw)?.into()),
            Type::NUMERIC => Value::Decimal(Decimal::from_sql(ty, raw)?.to_string()),
            Type::DATE => Value::Date(NaiveDate::from_sql(ty, raw)?),
            Type::TIMESTAMP => Value::DateTime(NaiveDateTime::from_sql(ty, raw)?),
            // A time of record reads as kam writes it on SQLite: the
            // bureau's wall-clock time with its offset (`crate::time`).
            Type::TIMESTAMPTZ => {
                let at = DateTime::<Utc>::from_sql(ty, raw)?.with_timezone(&crate::time::zone());
                Value::Text(at.format("%Y-%m-%d %H:%M:%S%:z").to_string())
            }
            Type::BYTEA => Value::Bytes(raw.to_vec()),
            // A function called for what it does (`void`) reads as nothing.
            Type::VOID => Value::Null,
            Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
                Value::Text(String::from_sql(ty, raw)?)
            }
            _ => return Err(format!("a column of type {ty} has no kam value").into()),
        }))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Read(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        // Every type is tried; `from_sql` says which it cannot read.
        true
    }
}

/// A [`Value`] bound as the type the prepared statement expects.
#[derive(Debug)]
struct Param<'v>(&'v Value);

type BoxError = Box<dyn StdError + Sync + Send>;

impl ToSql for Param<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        if let Kind::Domain(base) = ty.kind() {
            return self.to_sql(base, out);
        }
        let cannot = || -> BoxError { format!("cannot bind {:?} as {ty}", self.0).into() };
        let v = self.0;
        match *ty {
            _ if *v == Value::Null => Ok(IsNull::Yes),
            Type::INT2 => i16::try_from(integer(v).ok_or_else(cannot)?)?.to_sql(ty, out),
            Type::INT4 => i32::try_from(integer(v).ok_or_else(cannot)?)?.to_sql(ty, out),
            Type::INT8 => integer(v).ok_or_else(cannot)?.to_sql(ty, out),
            Type::BOOL => match integer(v) {
                Some(0) => false.to_sql(ty, out),
                Some(1) => true.to_sql(ty, out),
                _ => Err(cannot()),
            },
            Type::NUMERIC => decimal(v).ok_or_else(cannot)?.to_sql(ty, out),
            Type::DATE => date(v).ok_or_else(cannot)?.to_sql(ty, out),
            Type::TIMESTAMP => stamp(v).ok_or_else(cannot)?.to_sql(ty, out),
            Type::TIMESTAMPTZ => {
                if let Some(at) = stamp_with_offset(v) {
                    return at.to_sql(ty, out);
                }
                let local = stamp(v).ok_or_else(cannot)?;
                // A time without an offset is the bureau's wall-clock time;
                // one the zone skips or repeats (a daylight-saving jump)
                // takes the earlier.
                let at =
                    crate::time::zone().from_local_datetime(&local).earliest().ok_or_else(cannot)?.with_timezone(&Utc);
                at.to_sql(ty, out)
            }
            Type::BYTEA => match v {
                Value::Bytes(b) => b.to_sql(ty, out),
                _ => Err(cannot()),
            },
            // Text and anything the server leaves to us as text.
            _ => text(v).ok_or_else(cannot)?.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        // Every type is tried; `to_sql` says which value cannot become it.
        true
    }

    to_sql_checked!();
}

fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Integer(i) => Some(*i),
        Value::Text(s) | Value::Decimal(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Integer(i) => Some(Decimal::from(*i)),
        Value::Text(s) | Value::Decimal(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn date(v: &Value) -> Option<NaiveDate> {
    match v {
        Value::Date(d) => Some(*d),
        Value::Text(s) => NaiveDate::parse_from_str(s.trim(), DATE_FORMAT).ok(),
        _ => None,
    }
}

fn stamp(v: &Value) -> Option<NaiveDateTime> {
    match v {
        Value::DateTime(t) => Some(*t),
        Value::Text(s) => {
            let s = s.trim();
            NaiveDateTime::parse_from_str(s, STAMP_FORMAT)
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f"))
                .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f"))
                .ok()
                // kam compares stamps with a day's text ("from 2026-12-06"):
                // that day's first moment.
                .or_else(|| date(v)?.and_hms_opt(0, 0, 0))
        }
        Value::Date(d) => d.and_hms_opt(0, 0, 0),
        _ => None,
    }
}

/// A time of record as kam writes it, with its offset (`…+08:00`, or `Z`).
fn stamp_with_offset(v: &Value) -> Option<DateTime<FixedOffset>> {
    let Value::Text(s) = v else { return None };
    let s = s.trim();
    ["%Y-%m-%d %H:%M:%S%.f%:z", "%Y-%m-%dT%H:%M:%S%.f%:z", "%Y-%m-%d %H:%M:%S%.f%#z"]
        .iter()
        .find_map(|f| DateTime::parse_from_str(s, f).ok())
        .or_else(|| {
            let utc = s.strip_suffix('Z')?;
            NaiveDateTime::parse_from_str(utc, "%Y-%m-%d %H:%M:%S%.f")
                .or_else(|_| NaiveDateTime::parse_from_str(utc, "%Y-%m-%dT%H:%M:%S%.f"))
                .ok()
                .map(|t| Utc.from_utc_datetime(&t).fixed_offset())
        })
}

fn text(v: &Value) -> Option<String> {
    Some(match v {
        Value::Text(s) | Value::Decimal(s) => s.clone(),
        Value::Integer(i) => i.to_string(),
        Value::Date(d) => d.format(DATE_FORMAT).to_string(),
        Value::DateTime(t) => t.format(STAMP_FORMAT).to_string(),
        Value::Null | Value::Bytes(_) => return None,
    })
}
