//! Goal indicators (目标指标, SPEC §15) as the records count them, and the
//! bureau's yearly target per unit for each (`goal_target`).
//!
//! **Who is a key customer, and since when.** A customer on a unit's books:
//! its registration approved (SPEC §2.3: registered and approved before
//! anyone develops it). It became key on the day of that approval
//! (`registration.decided_at` of its approved registration), or, for a
//! customer entered already approved (an import, a bureau's existing book),
//! on the day it was entered (`customer.created_at`). It stops being key when
//! it is archived or its stage becomes lost (已流失), on the day the history
//! records; a customer key at a day is one that became key by then and had
//! not yet stopped. So a past period counts as it stood then.
//!
//! **Prospects** (目标客户 targeted this year, the base of the default 开辟率)
//! are the customers whose registration was filed in the year up to the
//! period's end and not rejected (a rejected one is another unit's), or that
//! became key in it (entered already approved), less those archived by then:
//! filing a registration is how a unit says it will develop a customer.
//!
//! Everything is counted by the database in one pass over the unit's
//! customers (the `customer_unit` index), each looking up its registrations
//! and, only when it is archived or lost, its history (`history_entity`):
//! nothing is loaded into memory.

use chrono::{Days, NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use super::access::may_decide_for_unit;
use super::analysis::{AnalysisScope, scope_condition};
use super::engine::Value;
use super::error::constraint_as_invalid;
use super::history::{HISTORY_COLUMNS, HISTORY_JOINS, HistoryRow};
use super::sql::{Dialect, Optional, Sql, ToValue, args};
use super::sql_types::Civil;
use super::{Actor, Conflict, Conn, DbError, Invalid, Store};
use crate::domain::appraisal::goals::GoalIndicator;
use crate::domain::appraisal::targets::check_target;
use crate::domain::dossier::{COMPLETENESS_FIELDS, FieldKind, completeness_fields};
use crate::domain::money::Money;
use crate::domain::period::Period;

/// Which target: a unit's, for a year, of one indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TargetKey {
    pub unit_id: i64,
    pub year: i32,
    pub indicator: GoalIndicator,
}

/// A target as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredTarget {
    pub id: i64,
    pub indicator: GoalIndicator,
    /// In the indicator's own terms (`domain::appraisal::targets`).
    pub target: Decimal,
    pub set_by: String,
    pub set_at: NaiveDateTime,
    pub version: i64,
}

const TARGET_COLUMNS: &str = "t.id, t.indicator, t.target, coalesce(s.name, '#' || t.set_by), t.set_at, t.version FROM goal_target t \
     LEFT JOIN staff s ON s.id = t.set_by";

fn stored_target(r: &super::sql::Row<'_>) -> Result<Option<StoredTarget>, DbError> {
    // A code this kam does not know (a newer kam's) is skipped, not misread.
    let Some(indicator) = GoalIndicator::from_code(r.text(1)?) else { return Ok(None) };
    Ok(Some(StoredTarget {
        id: r.get(0)?,
        indicator,
        target: r.get(2)?,
        set_by: r.get(3)?,
        set_at: r.get::<Civil>(4)?.0,
        version: r.get(5)?,
    }))
}

/// The unit's targets for the year, in no particular order.
pub fn targets(conn: &Conn, unit_id: i64, year: i32) -> Result<Vec<StoredTarget>, DbError> {
    let sql = format!("SELECT {TARGET_COLUMNS} WHERE t.unit_id = ?1 AND t.year = ?2");
    Ok(conn.rows(&sql, args![unit_id, year], stored_target)?.into_iter().flatten().collect())
}

/// One target, if it was set.
pub fn target(conn: &Conn, key: TargetKey) -> Result<Option<StoredTarget>, DbError> {
    let sql = format!("SELECT {TARGET_COLUMNS} WHERE t.unit_id = ?1 AND t.year = ?2 AND t.indicator = ?3");
    Ok(conn.row(&sql, args![key.unit_id, key.year, key.indicator.code()], stored_target).optional()?.flatten())
}

/// Sets the year's target of an indicator for a unit: whoever decides for
/// the unit (a supervisor of it or of a unit above it, or the
/// administrator). `expected` is the version the setter saw (`None`: none
/// was set); a target set by someone else meanwhile is a conflict, and
/// nothing is written. Returns the new version. The history keeps every
/// value with who set it and when.
pub fn set_target(
    store: &mut Store,
    actor: &Actor,
    key: TargetKey,
    value: Decimal,
    expected: Option<i64>,
) -> Result<i64, DbError> {
    check_target(key.indicator, value).map_err(|e| DbError::Invalid(Invalid::GoalTarget(e)))?;
    let text = value.normalize().to_string();
    store.write(|tx| {
        may_decide_for_unit(tx, actor, key.unit_id)?;
        let current = target(tx, key)?;
        if current.as_ref().map(|t| t.version) != expected {
            let (changed_by, changed_at) = current
                .as_ref()
                .map(|t| (t.set_by.clone(), t.set_at.format("%Y-%m-%d %H:%M").to_string()))
                .unwrap_or_default();
            let current_version = current.map_or(0, |t| t.version);
            return Err(DbError::Conflict(Box::new(Conflict {
                current_version,
                changed_by,
                changed_at,
                changes: Vec::new(),
            })));
        }
        let (by, at) = (actor.staff.id, actor.stamp());
        match expected {
            None => {
                tx.exec(
                    "INSERT INTO goal_target (unit_id, year, indicator, target, set_by, set_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    args![key.unit_id, key.year, key.indicator.code(), text, by, at],
                )
                .map_err(constraint_as_invalid)?;
                Ok(1)
            }
            Some(version) => {
                tx.exec(
                    "UPDATE goal_target SET target = ?1, set_by = ?2, set_at = ?3, version = version + 1 \
                     WHERE unit_id = ?4 AND year = ?5 AND indicator = ?6",
                    args![text, by, at, key.unit_id, key.year, key.indicator.code()],
                )
                .map_err(constraint_as_invalid)?;
                Ok(version + 1)
            }
        }
    })
}

/// Every value the target has had, newest first (who, when, old and new).
pub fn target_history(conn: &Conn, key: TargetKey) -> Result<Vec<HistoryRow>, DbError> {
    let Some(stored) = target(conn, key)? else { return Ok(Vec::new()) };
    let sql = format!(
        "SELECT {HISTORY_COLUMNS} FROM history h {HISTORY_JOINS} \
         WHERE h.entity = 'goal_target' AND h.entity_id = ?1 ORDER BY h.id DESC"
    );
    conn.rows(&sql, args![stored.id.to_string()], HistoryRow::from_row)
}

/// What the records count for a unit (with the units below it) and a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GoalCounts {
    /// Key at the period's last day.
    pub key_now: u32,
    /// Key the day before the period's first.
    pub key_at_start: u32,
    /// Of those, still key at the period's last day.
    pub kept: u32,
    /// Key at the period's last day and key since 1 January of its year.
    pub new_key: u32,
    pub prospects: u32,
    /// Of the key customers now, those with every field of
    /// [`COMPLETENESS_FIELDS`] filled; and the fields filled over them all.
    pub complete_dossiers: u32,
    pub filled_fields: u32,
    pub required_fields: u32,
}

/// The days a count looks at.
#[derive(Debug, Clone, Copy)]
struct Days3 {
    /// The day before the period's first.
    eve: NaiveDate,
    /// The period's last day.
    end: NaiveDate,
    /// 1 January of the last day's year.
    new_year: NaiveDate,
}

impl Days3 {
    fn of(period: Period) -> Days3 {
        let first = period.first().first_day();
        let end = period.last().next().first_day().checked_sub_days(Days::new(1)).unwrap_or(first);
        Days3 {
            eve: first.checked_sub_days(Days::new(1)).unwrap_or(first),
            end,
            new_year: period.last().january().first_day(),
        }
    }
}

/// The bureau's day of a stored time, as SQL (text on SQLite, a date on
/// PostgreSQL, whose session zone is the bureau's).
fn day_of(dialect: Dialect, time: &str) -> String {
    match dialect {
        Dialect::Sqlite => format!("substr({time}, 1, 10)"),
        Dialect::Postgres => format!("({time})::date"),
    }
}

/// A bound date, as SQL.
fn date_param(dialect: Dialect, n: usize) -> String {
    match dialect {
        Dialect::Sqlite => format!("?{n}"),
        Dialect::Postgres => format!("CAST(?{n} AS date)"),
    }
}

/// The day customer `c` became key (NULL: not approved).
fn key_on(dialect: Dialect) -> String {
    format!(
        "CASE WHEN c.registration = 'approved' THEN coalesce((SELECT max({}) FROM registration r \
           WHERE r.customer_id = c.id AND r.decision = 'approved'), {}) END",
        day_of(dialect, "r.decided_at"),
        day_of(dialect, "c.created_at")
    )
}

/// The day customer `c` was archived (NULL while it is not): the last time
/// the history records it so, or its entry for one archived from the start.
fn archived_on(dialect: Dialect) -> String {
    format!(
        "CASE WHEN c.archived <> 0 THEN coalesce((SELECT max({}) FROM history h WHERE h.entity = 'customer' \
           AND h.entity_id = c.id AND h.field = 'archived' AND h.new_value = '1'), {}) END",
        day_of(dialect, "h.changed_at"),
        day_of(dialect, "c.created_at")
    )
}

/// The day customer `c` was lost (已流失; NULL while it is not), likewise.
fn lost_on(dialect: Dialect) -> String {
    format!(
        "CASE WHEN c.stage = 'lost' THEN coalesce((SELECT max({}) FROM history h WHERE h.entity = 'customer' \
           AND h.entity_id = c.id AND h.field = 'stage' AND h.new_value = 'lost'), {}) END",
        day_of(dialect, "h.changed_at"),
        day_of(dialect, "c.created_at")
    )
}

/// How many of [`COMPLETENESS_FIELDS`] customer `c` (profile `p`) has filled.
fn filled_fields() -> String {
    completeness_fields()
        .map(|f| {
            let column = format!("{}.{}", if super::customers::in_profile(f.key) { "p" } else { "c" }, f.key);
            match f.kind {
                FieldKind::Industry | FieldKind::Unit | FieldKind::Staff | FieldKind::Money | FieldKind::Count => {
                    format!("CASE WHEN {column} IS NOT NULL THEN 1 ELSE 0 END")
                }
                _ => format!("CASE WHEN coalesce({column}, '') <> '' THEN 1 ELSE 0 END"),
            }
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The days a customer became key, was archived and was lost: as columns
/// (of the counting statement's `g`) or as expressions on `c`.
struct KeyDays {
    key_on: String,
    archived_on: String,
    lost_on: String,
}

impl KeyDays {
    fn columns() -> KeyDays {
        KeyDays { key_on: "key_on".into(), archived_on: "archived_on".into(), lost_on: "lost_on".into() }
    }

    fn expressions(dialect: Dialect) -> KeyDays {
        KeyDays { key_on: key_on(dialect), archived_on: archived_on(dialect), lost_on: lost_on(dialect) }
    }

    /// Key at `day` (an SQL date): became key by then, and neither archived
    /// nor lost by then.
    fn key_at(&self, day: &str) -> String {
        let KeyDays { key_on, archived_on, lost_on } = self;
        // Each day named once (as an expression on `c` it is a lookup): a
        // NULL key day compares as unknown, which is no key customer.
        format!(
            "(({key_on}) <= {day} AND coalesce(({archived_on}) > {day}, TRUE) \
             AND coalesce(({lost_on}) > {day}, TRUE))"
        )
    }
}

/// The counting statement: `?1` the unit, `?2` the eve, `?3` the end, `?4`
/// the new year.
fn counts_sql(dialect: Dialect) -> String {
    let (condition, _) = scope_condition(AnalysisScope::Unit(0), "c.unit_id");
    let (eve, end, new_year) = (date_param(dialect, 2), date_param(dialect, 3), date_param(dialect, 4));
    let columns = KeyDays::columns();
    let (now, start) = (columns.key_at(&end), columns.key_at(&eve));
    let fields = COMPLETENESS_FIELDS.len();
    let days = KeyDays::expressions(dialect);
    format!(
        "WITH g AS MATERIALIZED (SELECT {key_on} AS key_on, {archived_on} AS archived_on, {lost_on} AS lost_on, \
           CASE WHEN EXISTS (SELECT 1 FROM registration r WHERE r.customer_id = c.id \
             AND r.decision <> 'rejected' AND {filed} BETWEEN {new_year} AND {end}) THEN 1 ELSE 0 END AS filed, \
           {filled} AS filled \
         FROM customer c LEFT JOIN customer_profile p ON p.customer_id = c.id \
         WHERE c.archived IN (0, 1) AND {condition}) \
         SELECT coalesce(sum(CASE WHEN {now} THEN 1 ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN {start} THEN 1 ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN {start} AND {now} THEN 1 ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN {now} AND key_on >= {new_year} THEN 1 ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN (filed = 1 OR key_on BETWEEN {new_year} AND {end}) \
             AND (archived_on IS NULL OR archived_on > {end}) THEN 1 ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN {now} AND filled = {fields} THEN 1 ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN {now} THEN filled ELSE 0 END), 0) \
         FROM g",
        key_on = days.key_on,
        archived_on = days.archived_on,
        lost_on = days.lost_on,
        filed = day_of(dialect, "r.filed_at"),
        filled = filled_fields(),
    )
}

fn count(n: i64) -> u32 {
    u32::try_from(n.max(0)).unwrap_or(u32::MAX)
}

/// The counts of the goal indicators for `unit` (with the units below it) and `period`.
pub fn counts(conn: &Conn, unit: i64, period: Period) -> Result<GoalCounts, DbError> {
    let days = Days3::of(period);
    let sql = counts_sql(conn.dialect());
    let row = conn.row(&sql, args![unit, days.eve, days.end, days.new_year], |r| {
        Ok([r.get::<i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?])
    })?;
    let [key_now, key_at_start, kept, new_key, prospects, complete, filled] = row.map(count);
    let per_dossier = u32::try_from(COMPLETENESS_FIELDS.len()).unwrap_or(u32::MAX);
    Ok(GoalCounts {
        key_now,
        key_at_start,
        kept,
        new_key,
        prospects,
        complete_dossiers: complete,
        filled_fields: filled,
        required_fields: key_now.saturating_mul(per_dossier),
    })
}

/// 巩固率 by revenue: this period's revenue of the customers key the day
/// before it began, and the same customers' revenue a year earlier, summed
/// as the period report sums them (a figure a period total cuts through is
/// left out).
pub fn kept_revenue(conn: &Conn, unit: i64, period: Period) -> Result<(Money, Money), DbError> {
    let (sql, values) = kept_revenue_sql(conn.dialect(), unit, period);
    let bound: Vec<&dyn ToValue> = values.iter().map(|v| v as &dyn ToValue).collect();
    conn.row(&sql, &bound, |r| Ok((r.get::<Money>(0)?, r.get::<Money>(1)?)))
}

/// [`kept_revenue`]'s statement: the period report's per-customer sums of
/// the unit's customers, kept for those key on the eve.
fn kept_revenue_sql(dialect: Dialect, unit: i64, period: Period) -> (String, Vec<Value>) {
    let (inner, values) = super::period::per_customer(AnalysisScope::Unit(unit));
    let mut values = super::period::with_periods(values, period);
    let eve = date_param(dialect, values.len() + 1);
    values.push(Value::Text(Days3::of(period).eve.format("%Y-%m-%d").to_string()));
    let sql = format!(
        "SELECT coalesce(sum(CASE WHEN x.cut_cur = 0 THEN x.cur ELSE 0 END), 0), \
           coalesce(sum(CASE WHEN x.cut_prev = 0 THEN x.prev ELSE 0 END), 0) \
         FROM ({inner}) x JOIN customer c ON c.id = x.id \
         WHERE {key}",
        key = KeyDays::expressions(dialect).key_at(&eve),
    );
    (sql, values)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> rusqlite::Connection {
        let mut conn = rusqlite::Connection::open_in_memory().expect("memory database");
        crate::db::migrate_to_version(&mut conn, usize::try_from(crate::db::schema_version()).expect("positive"))
            .expect("every step applies");
        conn
    }

    fn plan(conn: &rusqlite::Connection, sql: &str, params: impl rusqlite::Params) -> Vec<String> {
        let mut statement = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).expect("a statement SQLite reads");
        statement.query_map(params, |r| r.get::<_, String>(3)).expect("a plan").map(Result::unwrap).collect()
    }

    /// A province has a million customers: the counts read the unit's own
    /// through the unit index, each customer's registrations and history
    /// through theirs, each once (the per-customer days are materialised,
    /// not re-run by every sum), and scan no table.
    #[test]
    fn the_counts_read_the_units_customers_through_indexes() {
        let conn = schema();
        let params = rusqlite::params![1, "2025-12-31", "2026-11-30", "2026-01-01"];
        let steps = plan(&conn, &counts_sql(Dialect::Sqlite), params);
        let text = steps.join("\n");
        assert!(steps.iter().any(|s| s.starts_with("SEARCH c USING INDEX customer_unit")), "{text}");
        assert!(text.contains("MATERIALIZE g"), "{text}");
        let registrations = steps.iter().filter(|s| s.contains("USING INDEX registration_customer")).count();
        let histories = steps.iter().filter(|s| s.contains("USING INDEX history_entity")).count();
        assert_eq!((registrations, histories), (2, 2), "{text}");
        // Scans of the unit tree (a handful of rows) and of `g` (the unit's customers, once).
        let scans: Vec<&String> = steps.iter().filter(|s| s.starts_with("SCAN ")).collect();
        assert!(
            scans.iter().all(|s| ["SCAN t", "SCAN tree", "SCAN g", "SCAN CONSTANT ROW"].contains(&s.as_str())),
            "{text}"
        );
    }

    /// Retention by revenue sums the unit's customers as the period report
    /// does (its revenue totals by primary key) and reads each one's row by key.
    #[test]
    fn the_kept_revenue_reads_the_units_customers_through_indexes() {
        let conn = schema();
        let period = Period::year_to_date(crate::domain::revenue::Month::new(2026, 6).expect("a month"));
        let (sql, values) = kept_revenue_sql(Dialect::Sqlite, 1, period);
        let params: Vec<rusqlite::types::Value> = values
            .iter()
            .map(|v| match v {
                Value::Integer(i) => rusqlite::types::Value::Integer(*i),
                Value::Text(t) => rusqlite::types::Value::Text(t.clone()),
                other => panic!("{other:?}"),
            })
            .collect();
        let steps = plan(&conn, &sql, rusqlite::params_from_iter(params));
        let text = steps.join("\n");
        assert!(steps.iter().any(|s| s.contains("INDEX customer_unit")), "{text}");
        assert!(steps.iter().any(|s| s.starts_with("SEARCH c USING INDEX sqlite_autoindex_customer_1")), "{text}");
        let lookups = steps.iter().filter(|s| s.contains("registration_customer") || s.contains("history_entity"));
        assert_eq!(lookups.count(), 3, "each key day looked up once\n{text}");
        let scans: Vec<&String> = steps.iter().filter(|s| s.starts_with("SCAN ")).collect();
        assert!(
            scans.iter().all(|s| ["SCAN t", "SCAN tree", "SCAN x", "SCAN CONSTANT ROW"].contains(&s.as_str())),
            "{text}"
        );
    }
}
