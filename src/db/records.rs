//! Records kept inside a dossier: key persons and competitors. Both are lists
//! with add, edit and archive; one implementation serves both, driven by the
//! field catalogue.

use std::collections::BTreeMap;

use super::engine::{EngineError, Value};
use super::history::stale_edit_conflict;
use super::sql::{Row, Sql, ToValue, args};
use super::sql_types::field_of;
use super::{Actor, Conn, DbError, Store, Tx};
use crate::domain::cadence::next_update_due;
use crate::domain::dossier::{COMPETITOR_FIELDS, FieldSpec, FieldValue, PERSON_FIELDS};
use crate::domain::holidays::occasion_days;
use crate::domain::id::CustomerId;
use crate::domain::tier::Tier;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordKind {
    KeyPerson,
    Competitor,
}

impl RecordKind {
    fn table(self) -> &'static str {
        match self {
            RecordKind::KeyPerson => "key_person",
            RecordKind::Competitor => "competitor",
        }
    }
    pub fn fields(self) -> &'static [FieldSpec] {
        match self {
            RecordKind::KeyPerson => PERSON_FIELDS,
            RecordKind::Competitor => COMPETITOR_FIELDS,
        }
    }
    fn field(self, key: &str) -> Option<&'static FieldSpec> {
        self.fields().iter().find(|f| f.key == key)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub id: i64,
    pub customer_id: CustomerId,
    pub version: i64,
    pub archived: bool,
    pub values: BTreeMap<&'static str, FieldValue>,
}

impl Record {
    pub fn value(&self, key: &str) -> &FieldValue {
        static NULL: FieldValue = FieldValue::Null;
        self.values.get(key).unwrap_or(&NULL)
    }
}

fn select_sql(kind: RecordKind, wh: &str) -> String {
    let cols: Vec<&str> = kind.fields().iter().map(|f| f.key).collect();
    format!("SELECT id, customer_id, version, archived, {} FROM {} WHERE {wh}", cols.join(", "), kind.table())
}

fn record_from(kind: RecordKind, r: &Row<'_>) -> Result<Record, DbError> {
    let mut values = BTreeMap::new();
    for (i, spec) in kind.fields().iter().enumerate() {
        let stored = r.value(4 + i)?;
        let v = field_of(spec, &stored).ok_or_else(|| {
            DbError::Engine(EngineError::Conversion {
                what: format!("column {} ({})", 4 + i, spec.key),
                value: format!("{stored:?}"),
                to: format!("{:?}", spec.kind),
            })
        })?;
        values.insert(spec.key, v);
    }
    Ok(Record { id: r.get(0)?, customer_id: r.get(1)?, version: r.get(2)?, archived: r.get(3)?, values })
}

/// A customer's records of one kind, active first, then archived if asked for.
pub fn list(
    conn: &Conn,
    kind: RecordKind,
    customer: &CustomerId,
    include_archived: bool,
) -> Result<Vec<Record>, DbError> {
    let wh = if include_archived {
        "customer_id = ?1 ORDER BY archived, id"
    } else {
        "customer_id = ?1 AND archived = 0 ORDER BY id"
    };
    conn.rows(&select_sql(kind, wh), args![customer], |r| record_from(kind, r))
}

fn get(conn: &Conn, kind: RecordKind, id: i64) -> Result<Record, DbError> {
    conn.row(&select_sql(kind, "id = ?1"), args![id], |r| record_from(kind, r))
}

/// Checks the actor may edit the customer, and marks its dossier as updated today.
fn touch_customer(tx: &Tx<'_>, actor: &Actor, customer: &CustomerId) -> Result<(), DbError> {
    let (a, b, tier, unit): (i64, Option<i64>, String, i64) =
        tx.row("SELECT owner_a, owner_b, tier, unit_id FROM customer WHERE id = ?1", args![customer], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?;
    super::access::may_edit_owned(tx, actor, a, b, unit)?;
    let tier = Tier::from_code(&tier).unwrap_or(Tier::General);
    // Skipped when nothing moves, so the customer's update trigger is not run for nothing.
    tx.exec(
        "UPDATE customer SET dossier_updated_on = ?1, update_due_on = ?2 \
         WHERE id = ?3 AND (dossier_updated_on IS DISTINCT FROM ?1 OR update_due_on IS DISTINCT FROM ?2)",
        args![actor.today(), next_update_due(tier, actor.today()), customer],
    )?;
    Ok(())
}

pub fn insert(
    store: &mut Store,
    actor: &Actor,
    kind: RecordKind,
    customer: &CustomerId,
    values: &BTreeMap<&'static str, FieldValue>,
) -> Result<i64, DbError> {
    store.write(|tx| insert_in(tx, actor, kind, customer, values))
}

/// Inserts within an open transaction (also used by the demo generator).
pub fn insert_in(
    tx: &Tx<'_>,
    actor: &Actor,
    kind: RecordKind,
    customer: &CustomerId,
    values: &BTreeMap<&'static str, FieldValue>,
) -> Result<i64, DbError> {
    touch_customer(tx, actor, customer)?;
    let keys: Vec<&str> = values.keys().copied().filter(|k| kind.field(k).is_some()).collect();
    let mut args: Vec<&dyn ToValue> = keys.iter().map(|k| &values[k] as &dyn ToValue).collect();
    let stamp = actor.stamp();
    args.extend([customer as &dyn ToValue, &actor.staff.id, &stamp, &actor.staff.id, &stamp]);
    let mut cols = keys.clone();
    cols.extend(["customer_id", "created_by", "created_at", "updated_by", "updated_at"]);
    let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
    let sql = format!("INSERT INTO {} ({}) VALUES ({}) RETURNING id", kind.table(), cols.join(", "), marks.join(", "));
    let id: i64 = tx.row(&sql, &args, |r| r.get(0))?;
    if kind == RecordKind::KeyPerson {
        write_occasions(tx, id)?;
    }
    Ok(id)
}

/// Rewrites a key person's days of the year with an occasion (the derived
/// `person_occasion` rows Today reads) from their birthday and important dates.
fn write_occasions(tx: &impl Sql, person: i64) -> Result<(), DbError> {
    write_occasions_as(tx, person, true)
}

/// [`write_occasions`]; without the customer for schema step 5, which comes
/// before the column (step 24 fills it for the rows step 5 wrote).
fn write_occasions_as(tx: &impl Sql, person: i64, with_customer: bool) -> Result<(), DbError> {
    let (birthday, dates, customer): (Option<String>, Option<String>, String) =
        tx.row("SELECT birthday, important_dates, customer_id FROM key_person WHERE id = ?1", args![person], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    let birthday = birthday.and_then(|b| chrono::NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok());
    tx.exec("DELETE FROM person_occasion WHERE person_id = ?1", args![person])?;
    for (month, day) in occasion_days(birthday, dates.as_deref().unwrap_or("")) {
        let day = format!("{month:02}-{day:02}");
        if with_customer {
            tx.exec(
                "INSERT INTO person_occasion (person_id, month_day, customer_id) VALUES (?1, ?2, ?3)",
                args![person, day, customer],
            )?;
        } else {
            tx.exec("INSERT INTO person_occasion (person_id, month_day) VALUES (?1, ?2)", args![person, day])?;
        }
    }
    Ok(())
}

/// Fills `person_occasion` for every key person (when schema 5 is applied to
/// a database that has people already: a schema step's transaction on
/// SQLite, or `kam check --repair`'s).
pub fn fill_occasions(tx: &impl Sql) -> Result<(), DbError> {
    fill_occasions_as(tx, true)
}

/// [`fill_occasions`] as schema step 5 does it, before the kept customer.
pub(crate) fn fill_occasions_before_customer(tx: &impl Sql) -> Result<(), DbError> {
    fill_occasions_as(tx, false)
}

fn fill_occasions_as(tx: &impl Sql, with_customer: bool) -> Result<(), DbError> {
    let ids: Vec<i64> = tx.rows("SELECT id FROM key_person", args![], |r| r.get(0))?;
    for id in ids {
        write_occasions_as(tx, id, with_customer)?;
    }
    Ok(())
}

/// Saves edits to a record opened at `base`; refuses when someone else changed a
/// field this edit also changes.
pub fn update(
    store: &mut Store,
    actor: &Actor,
    kind: RecordKind,
    base: &Record,
    changes: &[(&'static str, FieldValue)],
) -> Result<i64, DbError> {
    store.write(|tx| update_in(tx, actor, kind, base, changes))
}

/// [`update`] within an open transaction (bulk imports write many in one).
pub fn update_in(
    tx: &Tx<'_>,
    actor: &Actor,
    kind: RecordKind,
    base: &Record,
    changes: &[(&'static str, FieldValue)],
) -> Result<i64, DbError> {
    let current = get(tx, kind, base.id)?;
    touch_customer(tx, actor, &current.customer_id)?;
    if current.version != base.version {
        let moved: Vec<(String, String, String)> = kind
            .fields()
            .iter()
            .filter(|f| base.value(f.key) != current.value(f.key))
            .map(|f| (f.key.to_string(), base.value(f.key).edit_text(), current.value(f.key).edit_text()))
            .collect();
        let editing: Vec<&str> = changes.iter().map(|(k, _)| *k).collect();
        let rid = base.id.to_string();
        if let Some(c) = stale_edit_conflict(tx, kind.table(), &rid, actor.staff.id, moved, &editing, current.version)?
        {
            return Err(DbError::Conflict(Box::new(c)));
        }
    }
    let real: Vec<&(&'static str, FieldValue)> = changes.iter().filter(|(k, v)| current.value(k) != v).collect();
    if real.is_empty() {
        return Ok(current.version);
    }
    let mut sets = Vec::new();
    let mut args: Vec<&dyn ToValue> = Vec::new();
    for (k, v) in &real {
        if kind.field(k).is_none() {
            return Err(DbError::Invalid(crate::db::Invalid::UnknownField(k.to_string())));
        }
        args.push(v);
        sets.push(format!("{k} = ?{}", args.len()));
    }
    let stamp = actor.stamp();
    let version = current.version + 1;
    args.extend([&actor.staff.id as &dyn ToValue, &stamp, &version, &base.id]);
    let n = args.len();
    let sql = format!(
        "UPDATE {} SET {}, updated_by = ?{}, updated_at = ?{}, version = ?{} WHERE id = ?{n}",
        kind.table(),
        sets.join(", "),
        n - 3,
        n - 2,
        n - 1
    );
    tx.exec(&sql, &args)?;
    if kind == RecordKind::KeyPerson && real.iter().any(|(k, _)| matches!(*k, "birthday" | "important_dates")) {
        write_occasions(tx, base.id)?;
    }
    Ok(version)
}

/// Archives or restores a record; it is never deleted.
pub fn set_archived(
    store: &mut Store,
    actor: &Actor,
    kind: RecordKind,
    id: i64,
    archived: bool,
) -> Result<(), DbError> {
    store.write(|tx| {
        let current = get(tx, kind, id)?;
        touch_customer(tx, actor, &current.customer_id)?;
        let sql = format!(
            "UPDATE {} SET archived = ?1, updated_by = ?2, updated_at = ?3, version = version + 1 WHERE id = ?4",
            kind.table()
        );
        tx.exec(&sql, args![archived, actor.staff.id, actor.stamp(), id])?;
        Ok(())
    })
}

/// A key person as the Today review needs them: whose customer, birthday and
/// the free-text important dates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonDates {
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub owner_a: i64,
    pub person: String,
    pub birthday: Option<chrono::NaiveDate>,
    pub important_dates: String,
}

/// The active key persons of the customers a staff member owns (A or B), or of
/// a unit's customers, who have an occasion on `month_day` (a birthday or one
/// of their important dates), through the days kept in `person_occasion`.
pub fn person_dates(
    conn: &Conn,
    owner: Option<i64>,
    unit: Option<i64>,
    (month, day): (u32, u32),
) -> Result<Vec<PersonDates>, DbError> {
    let (whose, mut args) = super::scope::responsible(owner, unit, 2);
    args.insert(0, Value::Text(format!("{month:02}-{day:02}")));
    let refs: Vec<&dyn ToValue> = args.iter().map(|v| v as &dyn ToValue).collect();
    // The day's people are the whole book's: whether their customer is an
    // owner's is asked of the owner indexes (a seek that reads no customer
    // row), so only the owner's customers' rows are read.
    // SQLite is told the index: left alone, it reads the customer's row by id.
    let sqlite = conn.dialect() == super::sql::Dialect::Sqlite;
    // The customer is kept beside the day (`person_occasion.customer_id`), so
    // the check comes before the person's row is read.
    let mine = |index: &str, cond: &str| {
        let indexed = if sqlite && !index.is_empty() { format!(" INDEXED BY {index}") } else { String::new() };
        format!("EXISTS (SELECT 1 FROM customer k{indexed} WHERE k.archived = 0 AND {cond} AND k.id = o.customer_id)")
    };
    let first = match (owner, unit) {
        (Some(_), Some(_)) => format!(
            "({} OR {}) AND ",
            mine("", "k.owner_a = ?2 AND k.unit_id = ?3"),
            mine("", "k.owner_b = ?2 AND k.unit_id = ?3")
        ),
        (Some(_), None) => format!(
            "({} OR {}) AND ",
            mine("customer_owner", "k.owner_a = ?2"),
            mine("customer_owner_b", "k.owner_b = ?2")
        ),
        (None, Some(_)) => format!("{} AND ", mine("customer_unit", "k.unit_id = ?2")),
        (None, None) => String::new(),
    };
    let mut rows = conn.rows(
        &format!(
            "SELECT c.id, c.short_name, c.owner_a, p.name, p.birthday, coalesce(p.important_dates, ''), o.person_id \
             FROM person_occasion o JOIN key_person p ON p.id = o.person_id JOIN customer c ON c.id = o.customer_id \
             WHERE o.month_day = ?1 AND p.archived = 0 AND {first}c.archived = 0 AND {whose}"
        ),
        &refs,
        |r| {
            let birthday: Option<String> = r.get(4)?;
            Ok((
                r.get::<i64>(6)?,
                PersonDates {
                    customer_id: r.get(0)?,
                    customer_name: r.get(1)?,
                    owner_a: r.get(2)?,
                    person: r.get(3)?,
                    birthday: birthday.and_then(|b| chrono::NaiveDate::parse_from_str(&b, "%Y-%m-%d").ok()),
                    important_dates: r.get(5)?,
                },
            ))
        },
    )?;
    // In person order on both engines (SQLite walks the day by customer).
    rows.sort_by_key(|r| r.0);
    Ok(rows.into_iter().map(|r| r.1).collect())
}
