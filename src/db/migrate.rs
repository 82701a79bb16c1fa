//! `kam migrate`: a bureau's SQLite database copied into the province's
//! PostgreSQL database, in one transaction.
//!
//! What is copied is read from the two catalogs, not listed here: every
//! table of the SQLite file (a table the PostgreSQL schema lacks, or a column
//! it lacks, stops the migration before anything is written), each with the
//! columns both sides have, in foreign-key order. The few things the
//! catalogs cannot say are the constants below, each checked against them.
//!
//! Several bureaus go into one province database side by side:
//!
//! - **Surrogate ids** (a table whose primary key is one `bigint`) move past
//!   the target's: each source id plus the target's largest id (or its
//!   sequence's, if further), and every column that names such a row (a
//!   foreign key, or one of [`IMPLICIT_REFERENCES`]) moves alike. A
//!   reference to a row the source does not have stops the migration (the
//!   copy runs with the target's triggers, foreign keys included, off).
//! - **Natural keys** (a unique column that names nothing: customer IDs,
//!   unit codes, staff logins, settings' keys) are kept. One the target
//!   already has is a clash, and nothing is written; every clash is listed.
//!   Exceptions: the province's reference lists ([`SHARED`]), where a
//!   bureau's entry whose code the province has *is* the province's entry;
//!   a setting with the same value on both sides; and complaint and service
//!   request numbers, which each database gives in sequence per year: a
//!   bureau's continue the province's of their year.
//! - **History** is copied as it was (who, when, old and new value), with
//!   the ids it names moved as the rows they name moved, then linked onto the
//!   target's chain on the server, in id order, by the schema's own
//!   `kam_history_link` (the formula of the `history_linked` trigger). A
//!   source whose own chain does not verify is refused.
//!
//! The copy runs as a PostgreSQL superuser, under `session_replication_role
//! = replica`: the business triggers would otherwise write fresh history
//! rows stamped now for every row copied, and keep totals that are copied.
//! Rows go in through `COPY … FROM STDIN`; the server reads dates, stamps
//! and money from their text as kam wrote it on SQLite.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use super::engine::Value;
use super::sql::{Row, Sql, ToValue, args};
use super::{Conn, DbError, Store, Tx};
use crate::domain::complaint::{complaint_number, parse_complaint_number};
use crate::domain::org::UnitLevel;
use crate::domain::request::{parse_request_number, request_number};

/// Columns that name another table's row without a foreign key in the
/// PostgreSQL schema: the kept totals and the copies that triggers write,
/// and the history's author and customer. (table, column, table named)
pub const IMPLICIT_REFERENCES: &[(&str, &str, &str)] = &[
    ("history", "changed_by", "staff"),
    ("history", "customer_id", "customer"),
    ("revenue_month", "customer_id", "customer"),
    ("revenue_unit_line", "unit_id", "org_unit"),
    ("revenue_unit_line", "service_line_id", "service_line"),
    ("customer_tally", "unit_id", "org_unit"),
    ("revenue_unit_tier", "unit_id", "org_unit"),
    ("revenue_run", "customer_id", "customer"),
    ("revenue_run", "unit_id", "org_unit"),
    ("visit_staff", "owner_id", "staff"),
];

/// References kept as written even where they name no row: the history is
/// copied as it was (its author 0 is the set-up, which no one signed).
const LENIENT: &[(&str, &str)] = &[("history", "changed_by"), ("history", "customer_id")];

/// The province's reference lists, one for every bureau: a bureau's entry
/// whose code the province already has is the province's entry (its rows
/// are pointed at that one, and it is not copied).
pub const SHARED: &[&str] = &["industry", "service_line", "tier_preset", "return_reason"];

/// One value per database: a setting both sides have is a clash unless
/// both say the same. (table, the value column compared)
const ONE_PER_DATABASE: (&str, &str) = ("setting", "value");

/// Numbers each database gives in sequence per year (`TS2026-000001`,
/// `FW2026-000001`): a bureau's continue the province's numbers of their
/// year, in their own order, rather than clash with them.
struct Numbered {
    table: &'static str,
    column: &'static str,
    /// The number of (year, sequence).
    number: fn(i32, u32) -> String,
    /// (year, sequence) of a number of this form; `None` for any other text.
    parts: fn(&str) -> Option<(i32, u32)>,
}

fn complaint_parts(number: &str) -> Option<(i32, u32)> {
    parse_complaint_number(number).ok()
}

const RENUMBERED: &[Numbered] = &[
    Numbered { table: "complaint", column: "number", number: complaint_number, parts: complaint_parts },
    Numbered { table: "service_request", column: "number", number: request_number, parts: parse_request_number },
];

/// The numbering of `table`'s `column`, when the database numbers it.
fn numbered(table: &str, column: &str) -> Option<&'static Numbered> {
    RENUMBERED.iter().find(|n| n.table == table && n.column == column)
}

/// What the target derives rather than copies: the history's links.
const RELINKED: &str = "history_chain";

/// Where the SQLite table is not the PostgreSQL one: the FTS5 search table
/// is keyed by the customer's rowid, PostgreSQL's by the customer's ID.
const SOURCE_QUERIES: &[(&str, &str)] = &[(
    "customer_search",
    "SELECT c.id AS customer_id, s.key AS key FROM customer_search s JOIN customer c ON c.rowid = s.rowid \
     ORDER BY c.rowid",
)];

/// History entities whose `entity_id` names no surrogate id (a customer's
/// ID; `customer/month/service line code`; `customer/month`; a setting's
/// key). Every other entity is a table's name, and its id moves with it.
const TEXT_ENTITIES: &[&str] =
    &["customer", "revenue", "fluctuation", "setting", "volume", "returned_mail", "contract_chain"];

/// Keys per lookup in the target (one round trip each).
const BATCH_ROWS: usize = 1000;
/// Bytes of rows per COPY statement.
const CHUNK_BYTES: usize = 4 << 20;

/// What to do besides copying.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The target unit (its code) the source's top units go under; without
    /// it they stay at the top, side by side with the target's.
    pub under: Option<String>,
    /// Do everything, then roll back.
    pub dry_run: bool,
    /// The target becomes a demo (`kam demo` on a server): marked a demo in
    /// `kam_meta` in the same transaction. The caller has seen it empty.
    pub demo: bool,
    /// What the target's record names as the source (default: the file's
    /// path as given).
    pub source_name: Option<String>,
}

/// Rows of one table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCount {
    pub table: String,
    /// Rows written into the target (for `history_chain`: links made).
    pub copied: u64,
    /// Source rows the target already had: shared reference entries, equal
    /// settings (pointed at, not copied).
    pub merged: u64,
}

/// What a migration did (or, dry, would do).
#[derive(Debug, Clone)]
pub struct Report {
    /// Every table of the source, in the order copied.
    pub tables: Vec<TableCount>,
    pub dry_run: bool,
    pub elapsed: Duration,
    /// The first history id the copy took in the target (`None`: no history).
    pub first_history_id: Option<i64>,
    /// Complaint numbers moved past the province's, per year.
    pub renumbered: Vec<Renumbering>,
    /// The source file's SHA-256 (hex) when the migration began.
    pub source_sha256: String,
    /// The row of `kam_migration` that records this migration (`None`: a
    /// dry run, which records nothing).
    pub record: Option<i64>,
}

/// A year of the source's complaints (or service requests), numbered on from
/// the target's last of that year: each number's sequence plus `shift`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renumbering {
    /// The table whose numbers moved (`complaint`, `service_request`).
    pub table: &'static str,
    pub year: i32,
    pub shift: u32,
    pub count: usize,
    /// The first and last number as they were, and as they are now.
    pub was: (String, String),
    pub now: (String, String),
}

impl Report {
    /// Rows of `table` written (0 when there is no such table).
    pub fn copied(&self, table: &str) -> u64 {
        self.tables.iter().find(|t| t.table == table).map_or(0, |t| t.copied)
    }
}

/// A key the source has and the target has already.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub table: String,
    pub column: String,
    /// The key as the source writes it.
    pub key: String,
    /// For a setting: the target's value and the source's.
    pub values: Option<(String, String)>,
}

/// Why nothing was migrated, in terms the command translates.
#[derive(Debug)]
pub enum Refusal {
    /// Keys the target has already: every one, in table order.
    Clashes(Vec<Clash>),
    /// The source's own history chain does not verify.
    Chain(super::chain::ChainReport),
    /// The source file's schema is not the one kam made.
    SchemaAltered,
    /// The target session is not a superuser's (its login).
    NotSuperuser(String),
    /// The target is not a PostgreSQL database.
    NotServer,
    /// The source is not a SQLite file.
    NotFile,
    /// No unit has the code `--under` names.
    UnknownUnder(String),
    /// Source top units that cannot sit under the `--under` unit: (code,
    /// level) of each, and the `--under` unit's level.
    UnderLevel { units: Vec<(String, UnitLevel)>, under: UnitLevel },
}

#[derive(Debug, thiserror::Error)]
pub enum MigrateError {
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The two schemas disagree where kam migrate cannot decide (a table or
    /// column the target lacks, an id column that names nothing known).
    #[error("kam migrate cannot copy this schema: {0}")]
    Plan(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<rusqlite::Error> for MigrateError {
    fn from(e: rusqlite::Error) -> Self {
        MigrateError::Db(DbError::Sqlite(e))
    }
}

fn plan_error(text: impl Into<String>) -> MigrateError {
    MigrateError::Plan(text.into())
}

// ---------------------------------------------------------------------------
// The catalogs

/// A column of the target, as the catalog describes it.
#[derive(Debug, Clone)]
struct PgColumn {
    name: String,
    /// `format_type` of the column's base type (`bigint`, `text`, …).
    base_type: String,
    /// NOT NULL without a default: a value must come from the source.
    required: bool,
}

/// The target schema: tables in creation order, their columns and keys.
#[derive(Debug, Default)]
struct PgCatalog {
    tables: Vec<String>,
    columns: HashMap<String, Vec<PgColumn>>,
    primary: HashMap<String, Vec<String>>,
    unique: HashMap<String, Vec<Vec<String>>>,
    /// (table, column) → (table, column) it references.
    foreign: HashMap<(String, String), (String, String)>,
}

/// A key or reference: its table, kind (`p`, `u`, `f`), columns, and the
/// table and columns it references.
type Constraint = (String, String, String, Option<String>, Option<String>);

fn pg_catalog(conn: &impl Sql) -> Result<PgCatalog, MigrateError> {
    let mut cat = PgCatalog::default();
    let columns: Vec<(String, PgColumn)> = conn.rows(
        "SELECT c.relname::text, a.attname::text,
                format_type(coalesce(nullif(t.typbasetype, 0), a.atttypid), NULL),
                a.attnotnull AND NOT a.atthasdef AND a.attidentity = ''
         FROM pg_class c
         JOIN pg_namespace n ON n.oid = c.relnamespace
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         JOIN pg_type t ON t.oid = a.atttypid
         WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
         ORDER BY c.oid, a.attnum",
        args![],
        |r| Ok((r.get(0)?, PgColumn { name: r.get(1)?, base_type: r.get(2)?, required: r.get(3)? })),
    )?;
    for (table, column) in columns {
        if !cat.columns.contains_key(&table) {
            cat.tables.push(table.clone());
        }
        cat.columns.entry(table).or_default().push(column);
    }
    let constraints: Vec<Constraint> = conn.rows(
        "SELECT c.relname::text, con.contype::text, string_agg(a.attname::text, ',' ORDER BY k.i),
                f.relname::text, string_agg(fa.attname::text, ',' ORDER BY k.i)
         FROM pg_constraint con
         JOIN pg_class c ON c.oid = con.conrelid
         JOIN pg_namespace n ON n.oid = c.relnamespace
         CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, i)
         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
         LEFT JOIN pg_class f ON f.oid = con.confrelid
         LEFT JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[k.i::int]
         WHERE n.nspname = current_schema() AND con.contype IN ('p', 'u', 'f')
         GROUP BY con.oid, c.relname, con.contype, f.relname
         ORDER BY 1, 2, 3",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
    )?;
    for (table, kind, columns, referenced, referenced_columns) in constraints {
        let columns: Vec<String> = columns.split(',').map(str::to_string).collect();
        match kind.as_str() {
            "p" => {
                cat.primary.insert(table, columns);
            }
            "u" => cat.unique.entry(table).or_default().push(columns),
            _ => {
                let (Some(referenced), Some(referenced_columns)) = (referenced, referenced_columns) else { continue };
                if columns.len() != 1 {
                    return Err(plan_error(format!(
                        "{table} ({}) references {referenced} by several columns",
                        columns.join(", ")
                    )));
                }
                cat.foreign.insert((table, columns[0].clone()), (referenced, referenced_columns));
            }
        }
    }
    Ok(cat)
}

/// The tables of a kam SQLite file and their columns (FTS5's shadow tables
/// left out: they are the search table's index).
pub fn sqlite_tables(conn: &rusqlite::Connection) -> Result<Vec<(String, Vec<String>)>, DbError> {
    let names = |sql: &str| -> Result<Vec<String>, rusqlite::Error> {
        let mut s = conn.prepare(sql)?;
        let names = s.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(names)
    };
    let virtual_tables = names("SELECT name FROM sqlite_schema WHERE sql LIKE 'CREATE VIRTUAL TABLE%'")?;
    let mut tables = Vec::new();
    for table in names(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )? {
        if virtual_tables.iter().any(|v| table.starts_with(&format!("{v}_"))) {
            continue;
        }
        let mut s = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
        let columns = s.query_map([&table], |r| r.get(0))?.collect::<Result<_, _>>()?;
        tables.push((table, columns));
    }
    Ok(tables)
}

// ---------------------------------------------------------------------------
// The plan: what is copied, in which order, and how ids move

/// A column that names a row of another table (or its own).
#[derive(Debug, Clone)]
struct Reference {
    table: String,
    /// Kept as written where it names no row (the history's).
    lenient: bool,
}

#[derive(Debug, Clone)]
struct ColumnPlan {
    name: String,
    refers: Option<Reference>,
}

#[derive(Debug, Clone)]
struct TablePlan {
    name: String,
    columns: Vec<ColumnPlan>,
    /// The SQLite query giving the columns in this order.
    select: String,
    /// The surrogate id (position in `columns`), when the table has one.
    id: Option<usize>,
    /// The natural keys: unique columns that name nothing (positions).
    natural: Vec<usize>,
    /// The primary key's columns (for history entities with composite ids).
    primary: Vec<String>,
}

#[derive(Debug)]
struct Plan {
    /// Tables to copy, parents first.
    tables: Vec<TablePlan>,
    /// Every SQLite table, for the report (`history_chain` included).
    source_tables: Vec<String>,
}

impl Plan {
    fn table(&self, name: &str) -> Option<&TablePlan> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// The table `(table, column)` names, when it is a reference.
    fn reference(&self, table: &str, column: &str) -> Option<&Reference> {
        self.table(table)?.columns.iter().find(|c| c.name == column)?.refers.as_ref()
    }
}

fn plan(source: &rusqlite::Connection, cat: &PgCatalog) -> Result<Plan, MigrateError> {
    let sqlite = sqlite_tables(source)?;
    let mut tables = Vec::new();
    for (table, sqlite_columns) in &sqlite {
        let Some(pg_columns) = cat.columns.get(table) else {
            return Err(plan_error(format!("the PostgreSQL schema has no table {table}")));
        };
        for c in sqlite_columns {
            if !pg_columns.iter().any(|p| &p.name == c) {
                return Err(plan_error(format!("the PostgreSQL table {table} has no column {c}")));
            }
        }
        if table == RELINKED {
            continue;
        }
        let special = SOURCE_QUERIES.iter().find(|(t, _)| t == table).map(|(_, q)| *q);
        let primary = cat.primary.get(table).cloned().unwrap_or_default();
        // A surrogate id: a primary key of one bigint column that names no other row.
        let id_column = match primary.as_slice() {
            [one]
                if pg_columns.iter().any(|c| &c.name == one && c.base_type == "bigint")
                    && !cat.foreign.contains_key(&(table.clone(), one.clone())) =>
            {
                Some(one.clone())
            }
            _ => None,
        };
        let mut columns = Vec::new();
        for pg in pg_columns {
            let from_source = sqlite_columns.contains(&pg.name) || special.is_some();
            if !from_source {
                if pg.required {
                    return Err(plan_error(format!("{table}.{} is required and the file has no such column", pg.name)));
                }
                continue;
            }
            let key = (table.clone(), pg.name.clone());
            let implicit =
                IMPLICIT_REFERENCES.iter().find(|(t, c, _)| *t == table && *c == pg.name).map(|(_, _, r)| *r);
            let refers = match (cat.foreign.get(&key), implicit) {
                (Some((table, _)), _) => Some(table.clone()),
                (None, Some(table)) => Some(table.to_string()),
                (None, None) => None,
            }
            .map(|named| Reference {
                table: named,
                lenient: LENIENT.iter().any(|(t, c)| *t == table && *c == pg.name),
            });
            // An id column that names nothing known would be copied
            // unmoved, pointing at another bureau's row: stop here instead.
            if pg.base_type == "bigint" && refers.is_none() && id_column.as_deref() != Some(pg.name.as_str()) {
                return Err(plan_error(format!(
                    "{table}.{} is an id column that is neither the table's key nor a reference \
                     (add it to IMPLICIT_REFERENCES in src/db/migrate.rs)",
                    pg.name
                )));
            }
            columns.push(ColumnPlan { name: pg.name.clone(), refers });
        }
        let position = |column: &str| columns.iter().position(|c| c.name == column);
        let id = id_column.as_deref().and_then(position);
        let mut natural = Vec::new();
        for key in cat.primary.get(table).into_iter().chain(cat.unique.get(table).into_iter().flatten()) {
            let names_something = key.iter().any(|k| {
                id_column.as_deref() == Some(k.as_str()) || columns.iter().any(|c| &c.name == k && c.refers.is_some())
            });
            if names_something {
                continue;
            }
            match key.as_slice() {
                [one] => natural.extend(position(one)),
                _ => return Err(plan_error(format!("{table} has a unique key of several columns that name nothing"))),
            }
        }
        let select = match special {
            Some(query) => query.to_string(),
            None => {
                let list: Vec<&str> = columns.iter().map(|c| c.name.as_str()).collect();
                let order = if primary.is_empty() { "rowid".to_string() } else { primary.join(", ") };
                format!("SELECT {} FROM {table} ORDER BY {order}", list.join(", "))
            }
        };
        tables.push(TablePlan { name: table.clone(), columns, select, id, natural, primary });
    }
    // The constants above name what is in the catalogs, or stop here.
    for (table, column, named) in IMPLICIT_REFERENCES {
        let known = cat.columns.get(*table).is_some_and(|cs| cs.iter().any(|c| c.name == *column));
        if !known || !cat.columns.contains_key(*named) {
            return Err(plan_error(format!("IMPLICIT_REFERENCES: no column {table}.{column} or no table {named}")));
        }
    }
    for (table, _) in SOURCE_QUERIES {
        if !tables.iter().any(|t| t.name == *table) {
            return Err(plan_error(format!("SOURCE_QUERIES: no table {table}")));
        }
    }
    for shared in SHARED.iter().chain([&ONE_PER_DATABASE.0]) {
        if !tables.iter().any(|t| t.name == *shared && t.natural.len() == 1) {
            return Err(plan_error(format!("{shared} has no single natural key to merge by")));
        }
    }
    let order = parents_first(&tables, &cat.tables);
    let mut by_name: HashMap<String, TablePlan> = tables.into_iter().map(|t| (t.name.clone(), t)).collect();
    let tables = order.iter().filter_map(|name| by_name.remove(name)).collect();
    Ok(Plan { tables, source_tables: sqlite.into_iter().map(|(t, _)| t).collect() })
}

/// The tables in an order where every table comes after those it names
/// (its own rows aside); where references go round (a unit's author is
/// staff of a unit), the table created first goes first.
fn parents_first(tables: &[TablePlan], creation_order: &[String]) -> Vec<String> {
    let created = |name: &str| creation_order.iter().position(|t| t == name).unwrap_or(usize::MAX);
    let mut left: Vec<&TablePlan> = tables.iter().collect();
    left.sort_by_key(|t| created(&t.name));
    let mut done: Vec<String> = Vec::new();
    while !left.is_empty() {
        let ready =
            left.iter()
                .position(|t| {
                    t.columns.iter().filter_map(|c| c.refers.as_ref()).all(|r| {
                        r.table == t.name || done.contains(&r.table) || !left.iter().any(|l| l.name == r.table)
                    })
                })
                .unwrap_or(0);
        done.push(left.remove(ready).name.clone());
    }
    done
}

// ---------------------------------------------------------------------------
// Moving ids

/// A table's ids as runs of consecutive ids (first, last): a table's ids
/// mostly follow on from each other, so ten million visits are a few runs,
/// not ten million entries in memory.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct IdSet {
    runs: Vec<(i64, i64)>,
}

impl IdSet {
    /// Adds `id`, at least as large as every id added before.
    fn push(&mut self, id: i64) {
        match self.runs.last_mut() {
            Some((_, last)) if id <= last.saturating_add(1) => *last = (*last).max(id),
            _ => self.runs.push((id, id)),
        }
    }

    fn contains(&self, id: i64) -> bool {
        let after = self.runs.partition_point(|(first, _)| *first <= id);
        after > 0 && self.runs[after - 1].1 >= id
    }

    fn first(&self) -> Option<i64> {
        self.runs.first().map(|(first, _)| *first)
    }
}

impl FromIterator<i64> for IdSet {
    fn from_iter<I: IntoIterator<Item = i64>>(ids: I) -> IdSet {
        let mut ids: Vec<i64> = ids.into_iter().collect();
        ids.sort_unstable();
        let mut set = IdSet::default();
        ids.into_iter().for_each(|id| set.push(id));
        set
    }
}

/// How one table's surrogate ids move.
#[derive(Debug, Default)]
struct IdMap {
    offset: i64,
    /// Ids the source has.
    ids: IdSet,
    /// Source rows that are the target's (shared entries): their target ids.
    matched: HashMap<i64, i64>,
}

impl IdMap {
    fn get(&self, id: i64) -> Option<i64> {
        if let Some(target) = self.matched.get(&id) {
            return Some(*target);
        }
        self.ids.contains(id).then(|| id + self.offset)
    }
}

/// A natural key as compared: codes in any case, as kam compares them.
fn folded(column: &str, key: &str) -> String {
    if column == "code" { key.to_lowercase() } else { key.to_string() }
}

/// What the source's rows become in the target.
#[derive(Debug, Default)]
struct Moves {
    ids: HashMap<String, IdMap>,
    /// Per table, natural keys (folded) of rows the target has already.
    merged: HashMap<String, HashSet<String>>,
    /// The target unit the source's top units go under.
    under: Option<i64>,
    /// Numbers that move (old → new) per table, and how, per table and year.
    renumbered: HashMap<&'static str, HashMap<String, String>>,
    renumberings: Vec<Renumbering>,
}

impl Moves {
    /// A referencing column's value as the target has it.
    fn reference(&self, value: Value, r: &Reference, table: &str, column: &str) -> Result<Value, MigrateError> {
        let dangling = |v: &Value| plan_error(format!("{table}.{column} = {v:?} names no {} row of the file", r.table));
        if value == Value::Null {
            return Ok(value);
        }
        if let Some(map) = self.ids.get(&r.table) {
            let id = match &value {
                Value::Integer(i) => Some(*i),
                Value::Text(s) => s.trim().parse().ok(),
                _ => None,
            };
            return match id.and_then(|i| map.get(i)) {
                Some(moved) => Ok(Value::Integer(moved)),
                None if r.lenient => Ok(value),
                None => Err(dangling(&value)),
            };
        }
        // A natural key (customer ID, tier preset): `dangling_keys` has
        // checked it names a row of the file.
        Ok(value)
    }

    /// An id written as text in the history, moved if it names a row of `table`.
    fn text_id(&self, table: &str, text: &str) -> Option<String> {
        let id: i64 = text.trim().parse().ok()?;
        Some(self.ids.get(table)?.get(id)?.to_string())
    }
}

// ---------------------------------------------------------------------------
// The migration

/// Copies the kam database `source` (a SQLite file) into `target` (a
/// PostgreSQL database, opened by a superuser), in one transaction.
pub fn migrate(source: &Store, target: &Store, options: &Options) -> Result<Report, MigrateError> {
    let started = Instant::now();
    let Some(src) = source.conn().sqlite() else { return Err(MigrateError::Refused(Refusal::NotFile)) };
    let dst = target.conn();
    if dst.sqlite().is_some() {
        return Err(MigrateError::Refused(Refusal::NotServer));
    }
    if source.schema_altered() {
        return Err(MigrateError::Refused(Refusal::SchemaAltered));
    }
    let account = super::server::account(dst)?;
    if account.uid != 0 {
        return Err(MigrateError::Refused(Refusal::NotSuperuser(account.login)));
    }
    // One snapshot of the file: others may keep working in it meanwhile.
    src.execute_batch("BEGIN")?;
    let read = ReadGuard(src);
    let source_schema: i64 = src.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    let source_sha256 = match source.location().file() {
        Some(path) => file_sha256(path).map_err(|e| plan_error(format!("reading {}: {e}", path.display())))?,
        None => return Err(MigrateError::Refused(Refusal::NotFile)),
    };
    let chain = super::chain::verify(src)?;
    if !chain.ok() {
        return Err(MigrateError::Refused(Refusal::Chain(chain)));
    }
    let cat = pg_catalog(dst)?;
    let plan = plan(src, &cat)?;

    let tx = Tx::begin(dst, super::store::busy_timeout())?;
    tx.exec_batch("SET LOCAL session_replication_role = replica")?;
    // Stamps written without an offset (older rows) are the bureau's
    // wall-clock time, as kam reads them on SQLite.
    tx.row("SELECT set_config('TimeZone', ?1, true)", args![crate::time::zone().name()], |_| Ok(()))?;
    let moves = moves(src, &tx, &plan, options)?;
    let mut tables = Vec::new();
    for t in &plan.tables {
        let (copied, merged) = copy_table(src, &tx, t, &plan, &moves)?;
        tables.push(TableCount { table: t.name.clone(), copied, merged });
    }
    let first_history_id = relink(&tx, &moves)?;
    let links = first_history_id.map_or(Ok(0), |first| {
        tx.row("SELECT count(*) FROM history_chain WHERE history_id >= ?1", args![first], |r| r.get::<u64>(0))
    })?;
    if plan.source_tables.iter().any(|t| t == RELINKED) {
        tables.push(TableCount { table: RELINKED.to_string(), copied: links, merged: 0 });
    }
    let mut record = None;
    if options.dry_run {
        // Sequences do not roll back: a dry run leaves them alone.
        drop(tx);
    } else {
        move_sequences(&tx, &plan)?;
        logins(src, &tx)?;
        let source_name = match &options.source_name {
            Some(name) => name.clone(),
            // The file's full path, where it can be had: the record outlives the working directory.
            None => match source.location().file().and_then(|p| std::fs::canonicalize(p).ok()) {
                Some(path) => path.display().to_string(),
                None => source.location().to_string(),
            },
        };
        let written = Written { source_name, source_sha256: &source_sha256, source_schema, first_history_id };
        record = Some(record_migration(&tx, options, &written, &tables)?);
        if options.demo {
            super::server::mark_demo(&tx)?;
        }
        tx.commit()?;
    }
    drop(read);
    Ok(Report {
        tables,
        dry_run: options.dry_run,
        elapsed: started.elapsed(),
        first_history_id,
        renumbered: moves.renumberings,
        source_sha256,
        record,
    })
}

/// What the record says of the source besides the options and the counts.
struct Written<'a> {
    source_name: String,
    source_sha256: &'a str,
    source_schema: i64,
    first_history_id: Option<i64>,
}

/// Writes the migration's record (`kam_migration`, migrations-pg/04) in
/// its transaction: who and when are the session's login and the server's
/// clock (the table's defaults). Its id.
fn record_migration(
    tx: &Tx<'_>,
    options: &Options,
    written: &Written<'_>,
    tables: &[TableCount],
) -> Result<i64, DbError> {
    let counts: serde_json::Map<String, serde_json::Value> = tables
        .iter()
        .map(|t| (t.table.clone(), serde_json::json!({ "copied": t.copied, "merged": t.merged })))
        .collect();
    let counts = serde_json::Value::Object(counts).to_string();
    tx.row(
        "INSERT INTO kam_migration (source, source_sha256, source_schema, under_unit, tables, first_history_id)
         VALUES (?1, ?2, CAST(?3 AS bigint), ?4, CAST(CAST(?5 AS text) AS jsonb), CAST(?6 AS bigint)) RETURNING id",
        args![
            written.source_name,
            written.source_sha256,
            written.source_schema,
            options.under,
            counts,
            written.first_history_id
        ],
        |r| r.get(0),
    )
}

/// The SHA-256 of a file's bytes, hex, read a megabyte at a time.
pub fn file_sha256(path: &std::path::Path) -> std::io::Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut buffer)?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// One migration a server records (`kam_migration`), as `kam check` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationRecord {
    pub id: i64,
    pub source: String,
    pub source_sha256: String,
    pub source_schema: i64,
    pub under: Option<String>,
    pub run_by: String,
    /// The server's clock, in the session's zone (the bureau's).
    pub run_at: String,
    /// Rows copied and merged, per table, in the table's name order.
    pub tables: Vec<TableCount>,
}

impl MigrationRecord {
    pub fn copied(&self) -> u64 {
        self.tables.iter().map(|t| t.copied).sum()
    }
}

/// The migrations recorded on a server, oldest first; `None` where the
/// session may not read them (only administrators and superusers may) or
/// on a file, which has none.
pub fn records(conn: &Conn) -> Result<Option<Vec<MigrationRecord>>, DbError> {
    if conn.sqlite().is_some() {
        return Ok(None);
    }
    let readable: bool = conn.row(
        "SELECT to_regclass('kam_migration') IS NOT NULL AND has_table_privilege('kam_migration', 'SELECT')
                AND (coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false)
                     OR kam_my_role() IS NOT DISTINCT FROM 'admin')",
        args![],
        |r| r.get(0),
    )?;
    if !readable {
        return Ok(None);
    }
    let rows: Vec<(MigrationRecord, String)> = conn.rows(
        "SELECT id, source, source_sha256, source_schema, under_unit, run_by,
                to_char(run_at, 'YYYY-MM-DD HH24:MI:SS'), tables::text
         FROM kam_migration ORDER BY id",
        args![],
        |r| {
            let record = MigrationRecord {
                id: r.get(0)?,
                source: r.get(1)?,
                source_sha256: r.get(2)?,
                source_schema: r.get(3)?,
                under: r.get(4)?,
                run_by: r.get(5)?,
                run_at: r.get(6)?,
                tables: Vec::new(),
            };
            Ok((record, r.get(7)?))
        },
    )?;
    let count = |v: &serde_json::Value, key: &str| v.get(key).and_then(serde_json::Value::as_u64).unwrap_or(0);
    Ok(Some(
        rows.into_iter()
            .map(|(mut record, tables)| {
                let tables: serde_json::Map<String, serde_json::Value> =
                    serde_json::from_str(&tables).unwrap_or_default();
                let mut tables: Vec<TableCount> = tables
                    .iter()
                    .map(|(t, v)| TableCount {
                        table: t.clone(),
                        copied: count(v, "copied"),
                        merged: count(v, "merged"),
                    })
                    .collect();
                tables.sort_by(|a, b| a.table.cmp(&b.table));
                record.tables = tables;
                record
            })
            .collect(),
    ))
}

/// Each member of staff who still works and has a login gets their login
/// role in their kam role's group (`kam_create_login`, as `kam staff add`
/// does), so the bureau's people can connect to the province's server.
fn logins(src: &rusqlite::Connection, tx: &Tx<'_>) -> Result<(), MigrateError> {
    let people: Vec<(String, String)> = src.rows(
        "SELECT login, role FROM staff WHERE login IS NOT NULL AND login <> '' AND status <> 'left' ORDER BY id",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    for (login, role) in people {
        tx.row("SELECT 1 FROM kam_create_login(?1, ?2)", args![login, role], |_| Ok(()))?;
    }
    Ok(())
}

/// Ends the read transaction on the file, however the migration ends.
struct ReadGuard<'a>(&'a rusqlite::Connection);

impl Drop for ReadGuard<'_> {
    fn drop(&mut self) {
        let _ = self.0.execute_batch("ROLLBACK");
    }
}

/// Reads every source key and id, and the target's, and decides where each
/// row goes; refuses (nothing written yet) on any clash. Ids are kept as
/// runs, keys are compared a batch at a time: nothing holds a table.
fn moves(src: &rusqlite::Connection, tx: &Tx<'_>, plan: &Plan, options: &Options) -> Result<Moves, MigrateError> {
    let mut moves = Moves::default();
    let mut clashes = Vec::new();
    for t in &plan.tables {
        if let Some(id) = t.id {
            let column = &t.columns[id].name;
            let mut map = IdMap { offset: target_top(tx, &t.name, column)?, ..IdMap::default() };
            let table = &t.name;
            let mut s = src.prepare(&format!("SELECT {column} FROM {table} WHERE {column} IS NOT NULL ORDER BY 1"))?;
            let mut rows = s.query([])?;
            while let Some(row) = rows.next()? {
                map.ids.push(row.get(0)?);
            }
            moves.ids.insert(t.name.clone(), map);
        }
        for &n in &t.natural {
            let column = &t.columns[n].name;
            let renumbered = numbered(&t.name, column);
            if let Some(scheme) = renumbered {
                // Numbers of kam's form move on (or, in a year the target has
                // none of, cannot clash); any other is a key like the rest.
                let (moved, years) = renumber(tx, scheme, &source_natural_keys(src, t, n)?)?;
                moves.renumbered.insert(scheme.table, moved);
                moves.renumberings.extend(years);
            }
            let shared = SHARED.contains(&t.name.as_str());
            let one_per_database = t.name == ONE_PER_DATABASE.0;
            for_each_key_batch(src, t, n, |mut batch| {
                if let Some(scheme) = renumbered {
                    batch.retain(|(k, _, _)| (scheme.parts)(k).is_none());
                }
                let by_key: HashMap<String, &SourceKey> = batch.iter().map(|k| (folded(column, &k.0), k)).collect();
                for (key, target_value, target_id) in target_keys(tx, t, n, &by_key)? {
                    let Some((source_key, source_value, source_id)) = by_key.get(&key).copied() else { continue };
                    if shared || (one_per_database && target_value == *source_value) {
                        if let (Some(target_id), Some(source_id), Some(map)) =
                            (target_id, source_id, moves.ids.get_mut(&t.name))
                        {
                            map.matched.insert(*source_id, target_id);
                        }
                        moves.merged.entry(t.name.clone()).or_default().insert(key);
                    } else {
                        let values = one_per_database
                            .then(|| (target_value.unwrap_or_default(), source_value.clone().unwrap_or_default()));
                        clashes.push(Clash {
                            table: t.name.clone(),
                            column: column.clone(),
                            key: source_key.clone(),
                            values,
                        });
                    }
                }
                Ok(())
            })?;
        }
    }
    dangling_keys(src, plan, &moves)?;
    if !clashes.is_empty() {
        return Err(MigrateError::Refused(Refusal::Clashes(clashes)));
    }
    if let Some(code) = &options.under {
        moves.under = Some(under(src, tx, code)?);
    }
    Ok(moves)
}

/// A reference by natural key (a customer ID, a tier preset's code) that
/// names no row of the file stops the migration: asked of the file itself,
/// one query per such column, before anything is written.
fn dangling_keys(src: &rusqlite::Connection, plan: &Plan, moves: &Moves) -> Result<(), MigrateError> {
    for t in &plan.tables {
        for c in &t.columns {
            let Some(r) = c.refers.as_ref().filter(|r| !r.lenient && !moves.ids.contains_key(&r.table)) else {
                continue;
            };
            let Some(parent) = plan.table(&r.table) else { continue };
            let Some(&n) = parent.natural.first() else { continue };
            let (column, key, parent_table) = (&c.name, &parent.columns[n].name, &parent.name);
            let found: Option<String> = rusqlite::OptionalExtension::optional(src.query_row(
                &format!(
                    "SELECT CAST({column} AS TEXT) FROM ({}) WHERE {column} IS NOT NULL
                           AND CAST({column} AS TEXT) NOT IN (SELECT CAST({key} AS TEXT) FROM {parent_table}) LIMIT 1",
                    t.select
                ),
                [],
                |r| r.get(0),
            ))?;
            if let Some(value) = found {
                return Err(plan_error(format!(
                    "{}.{column} = {value:?} names no {parent_table} row of the file",
                    t.name
                )));
            }
        }
    }
    Ok(())
}

/// The source's numbers (complaints', service requests') of the years the
/// target has numbers of, each moved past the target's last number of its year.
fn renumber(
    tx: &Tx<'_>,
    scheme: &Numbered,
    source: &[SourceKey],
) -> Result<(HashMap<String, String>, Vec<Renumbering>), MigrateError> {
    let mut years: BTreeMap<i32, Vec<(u32, &String)>> = BTreeMap::new();
    for (number, _, _) in source {
        if let Some((year, sequence)) = (scheme.parts)(number) {
            years.entry(year).or_default().push((sequence, number));
        }
    }
    let mut moved = HashMap::new();
    let mut renumberings = Vec::new();
    for (year, mut numbers) in years {
        let first = (scheme.number)(year, 0);
        let prefix = first.trim_end_matches('0');
        let last: Option<String> = tx.row(
            &format!("SELECT max({}) FROM {} WHERE {} LIKE ?1 || '%'", scheme.column, scheme.table, scheme.column),
            args![prefix],
            |r| r.get(0),
        )?;
        let Some(shift) = last.and_then(|n| (scheme.parts)(&n)).map(|(_, sequence)| sequence) else {
            continue;
        };
        numbers.sort();
        for (sequence, number) in &numbers {
            let new = (scheme.number)(year, sequence + shift);
            if (scheme.parts)(&new).is_none() {
                return Err(plan_error(format!("{year}: more {} than numbers ({number} + {shift})", scheme.table)));
            }
            moved.insert((*number).clone(), new);
        }
        let (first, last) = (numbers[0].1, numbers[numbers.len() - 1].1);
        renumberings.push(Renumbering {
            table: scheme.table,
            year,
            shift,
            count: numbers.len(),
            was: (first.clone(), last.clone()),
            now: (moved[first].clone(), moved[last].clone()),
        });
    }
    Ok((moved, renumberings))
}

/// The largest id the target has used in `table` (its sequence's last, when further).
fn target_top(tx: &Tx<'_>, table: &str, column: &str) -> Result<i64, DbError> {
    tx.row(
        &format!(
            "SELECT greatest(coalesce(max({column}), 0),
                    coalesce(pg_sequence_last_value(pg_get_serial_sequence(?1, ?2)::regclass), 0))
             FROM {table}"
        ),
        args![table, column],
        |r| r.get(0),
    )
}

/// A source table's natural keys: (key, the compared value for a setting,
/// the row's id).
type SourceKey = (String, Option<String>, Option<i64>);

fn source_natural_keys(src: &rusqlite::Connection, t: &TablePlan, n: usize) -> Result<Vec<SourceKey>, MigrateError> {
    let (table, column) = (&t.name, &t.columns[n].name);
    let compared = if *table == ONE_PER_DATABASE.0 { ONE_PER_DATABASE.1 } else { "NULL" };
    let id = t.id.map_or("NULL", |i| t.columns[i].name.as_str());
    let mut s = src.prepare(&format!(
        "SELECT CAST({column} AS TEXT), CAST({compared} AS TEXT), {id} FROM {table} WHERE {column} IS NOT NULL"
    ))?;
    let keys = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<Result<_, _>>()?;
    Ok(keys)
}

/// The source table's natural keys, `BATCH_ROWS` at a time, in key order.
fn for_each_key_batch(
    src: &rusqlite::Connection,
    t: &TablePlan,
    n: usize,
    mut each: impl FnMut(Vec<SourceKey>) -> Result<(), MigrateError>,
) -> Result<(), MigrateError> {
    let (table, column) = (&t.name, &t.columns[n].name);
    let compared = if *table == ONE_PER_DATABASE.0 { ONE_PER_DATABASE.1 } else { "NULL" };
    let id = t.id.map_or("NULL", |i| t.columns[i].name.as_str());
    let mut s = src.prepare(&format!(
        "SELECT CAST({column} AS TEXT), CAST({compared} AS TEXT), {id} FROM {table} WHERE {column} IS NOT NULL ORDER BY 1"
    ))?;
    let mut rows = s.query([])?;
    let mut batch = Vec::with_capacity(BATCH_ROWS);
    while let Some(row) = rows.next()? {
        batch.push((row.get(0)?, row.get(1)?, row.get(2)?));
        if batch.len() == BATCH_ROWS {
            each(std::mem::take(&mut batch))?;
        }
    }
    if !batch.is_empty() {
        each(batch)?;
    }
    Ok(())
}

/// The source's natural keys the target has: (folded key, the target's
/// value for a setting, the target row's id).
fn target_keys(
    tx: &Tx<'_>,
    t: &TablePlan,
    n: usize,
    source: &HashMap<String, &SourceKey>,
) -> Result<Vec<SourceKey>, DbError> {
    let (table, column) = (&t.name, &t.columns[n].name);
    let key = if column == "code" { format!("lower({column})") } else { column.clone() };
    let compared = if *table == ONE_PER_DATABASE.0 { ONE_PER_DATABASE.1 } else { "NULL" };
    let id = t.id.map_or("NULL::bigint", |i| t.columns[i].name.as_str());
    let mut present = Vec::new();
    let mut keys: Vec<&String> = source.keys().collect();
    keys.sort();
    for chunk in keys.chunks(BATCH_ROWS) {
        let holes = vec!["?"; chunk.len()].join(", ");
        let sql = format!("SELECT {key}, CAST({compared} AS text), {id} FROM {table} WHERE {key} IN ({holes})");
        let bound: Vec<&dyn ToValue> = chunk.iter().map(|k| *k as &dyn ToValue).collect();
        present.extend(tx.rows(&sql, &bound, |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?);
    }
    Ok(present)
}

/// The target unit `code` names, once every source top unit may sit under it.
fn under(src: &rusqlite::Connection, tx: &Tx<'_>, code: &str) -> Result<i64, MigrateError> {
    use super::sql::Optional;
    let found: Option<(i64, String)> = tx
        .row("SELECT id, kind FROM org_unit WHERE lower(code) = lower(?1)", args![code], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((id, kind)) = found else { return Err(MigrateError::Refused(Refusal::UnknownUnder(code.to_string()))) };
    let level = UnitLevel::from_code(&kind).ok_or_else(|| plan_error(format!("unit {code} has the level {kind}")))?;
    let mut s = src.prepare("SELECT code, kind FROM org_unit WHERE parent_id IS NULL ORDER BY code")?;
    let tops: Vec<(String, String)> = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<Result<_, _>>()?;
    let refused: Vec<(String, UnitLevel)> = tops
        .into_iter()
        .filter_map(|(code, kind)| {
            let unit = UnitLevel::from_code(&kind)?;
            (!unit.may_sit_under(level)).then_some((code, unit))
        })
        .collect();
    if !refused.is_empty() {
        return Err(MigrateError::Refused(Refusal::UnderLevel { units: refused, under: level }));
    }
    Ok(id)
}

/// Copies one table's rows through `COPY … FROM STDIN` (text format, in
/// chunks); (rows written, rows the target had).
fn copy_table(
    src: &rusqlite::Connection,
    tx: &Tx<'_>,
    t: &TablePlan,
    plan: &Plan,
    moves: &Moves,
) -> Result<(u64, u64), MigrateError> {
    let Conn::Postgres(session) = &**tx else { return Err(MigrateError::Refused(Refusal::NotServer)) };
    let (table, columns) = (&t.name, t.columns.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join(", "));
    let copy = format!("COPY {table} ({columns}) FROM STDIN");
    let width = t.columns.len();
    let merged_keys = moves.merged.get(&t.name);
    let history = (t.name == "history").then(|| HistoryColumns::of(t)).transpose()?;
    let parent = t.columns.iter().position(|c| c.name == "parent_id" && t.name == "org_unit");
    let renumbered = moves.renumbered.get(t.name.as_str()).and_then(|moved| {
        let n = t.columns.iter().position(|c| numbered(&t.name, &c.name).is_some())?;
        Some((n, moved))
    });

    let mut statement = src.prepare(&t.select)?;
    let mut rows = statement.query([])?;
    let mut chunk: Vec<u8> = Vec::with_capacity(CHUNK_BYTES + 4096);
    let (mut copied, mut merged, mut written) = (0u64, 0u64, 0u64);
    while let Some(row) = rows.next()? {
        let row = Row::Sqlite(row);
        let mut values = Vec::with_capacity(width);
        for i in 0..width {
            values.push(row.value(i)?);
        }
        if let Some(merged_keys) = merged_keys
            && t.natural.iter().any(|&n| {
                let key = match &values[n] {
                    Value::Text(s) => s.clone(),
                    Value::Integer(i) => i.to_string(),
                    _ => return false,
                };
                merged_keys.contains(&folded(&t.columns[n].name, &key))
            })
        {
            merged += 1;
            continue;
        }
        for (i, c) in t.columns.iter().enumerate() {
            let value = std::mem::replace(&mut values[i], Value::Null);
            values[i] = if Some(i) == t.id {
                let map = &moves.ids[&t.name];
                match &value {
                    Value::Integer(id) => Value::Integer(map.get(*id).unwrap_or(*id + map.offset)),
                    _ => value,
                }
            } else if let Some(r) = &c.refers {
                moves.reference(value, r, &t.name, &c.name)?
            } else {
                value
            };
        }
        if let Some((n, moved)) = renumbered
            && let Value::Text(number) = &values[n]
            && let Some(new) = moved.get(number)
        {
            values[n] = Value::Text(new.clone());
        }
        if let (Some(p), Some(under)) = (parent, moves.under)
            && values[p] == Value::Null
        {
            values[p] = Value::Integer(under);
        }
        if let Some(h) = &history {
            h.move_ids(&mut values, plan, moves)?;
        }
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                chunk.push(b'\t');
            }
            copy_text(&mut chunk, v);
        }
        chunk.push(b'\n');
        copied += 1;
        if chunk.len() >= CHUNK_BYTES {
            written += session.copy_in(&copy, &chunk)?;
            chunk.clear();
        }
    }
    if !chunk.is_empty() {
        written += session.copy_in(&copy, &chunk)?;
    }
    if written != copied {
        return Err(plan_error(format!("{}: {copied} rows sent, {written} written", t.name)));
    }
    Ok((copied, merged))
}

/// A value in COPY's text format: `\N` for NULL, the text with backslash,
/// tab and line breaks escaped. A stamp without an offset is read by the
/// server in the session's zone, the bureau's (see [`migrate`]).
fn copy_text(out: &mut Vec<u8>, v: &Value) {
    use std::io::Write;
    let escaped = |out: &mut Vec<u8>, s: &str| {
        for b in s.bytes() {
            match b {
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\t' => out.extend_from_slice(b"\\t"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                _ => out.push(b),
            }
        }
    };
    // Writing into a Vec cannot fail.
    let _ = match v {
        Value::Null => out.write_all(b"\\N"),
        Value::Integer(i) => write!(out, "{i}"),
        Value::Text(s) | Value::Decimal(s) => {
            escaped(out, s);
            Ok(())
        }
        Value::Date(d) => write!(out, "{}", d.format(super::engine::DATE_FORMAT)),
        Value::DateTime(t) => write!(out, "{}", t.format(super::engine::STAMP_FORMAT)),
        Value::Bytes(b) => {
            // bytea's hex form, its backslash escaped.
            out.extend_from_slice(b"\\\\x");
            b.iter().try_for_each(|byte| write!(out, "{byte:02x}"))
        }
    };
}

/// Where a history row keeps the ids it names besides its columns'.
struct HistoryColumns {
    entity: usize,
    entity_id: usize,
    field: usize,
    old_value: usize,
    new_value: usize,
}

impl HistoryColumns {
    fn of(t: &TablePlan) -> Result<HistoryColumns, MigrateError> {
        let at = |name: &str| {
            t.columns.iter().position(|c| c.name == name).ok_or_else(|| plan_error(format!("history has no {name}")))
        };
        Ok(HistoryColumns {
            entity: at("entity")?,
            entity_id: at("entity_id")?,
            field: at("field")?,
            old_value: at("old_value")?,
            new_value: at("new_value")?,
        })
    }

    /// The row's entity id, and its old and new values where the field is
    /// a reference, moved as the rows they name moved.
    fn move_ids(&self, values: &mut [Value], plan: &Plan, moves: &Moves) -> Result<(), MigrateError> {
        let text = |v: &Value| match v {
            Value::Text(s) => Some(s.clone()),
            Value::Integer(i) => Some(i.to_string()),
            _ => None,
        };
        let Some(entity) = text(&values[self.entity]) else { return Ok(()) };
        let Some(table) = plan.table(&entity) else {
            if TEXT_ENTITIES.contains(&entity.as_str()) {
                return Ok(());
            }
            return Err(plan_error(format!(
                "the history names the entity {entity}, which is no table \
                 (add it to TEXT_ENTITIES in src/db/migrate.rs if its id names no row)"
            )));
        };
        if !TEXT_ENTITIES.contains(&entity.as_str())
            && let Some(id) = text(&values[self.entity_id])
        {
            let moved = if table.id.is_some() {
                moves.text_id(&table.name, &id)
            } else {
                // A key of several columns, written a/b/c: each part that names a row moves.
                let parts: Vec<&str> = id.split('/').collect();
                (parts.len() == table.primary.len()).then(|| {
                    parts
                        .iter()
                        .zip(&table.primary)
                        .map(|(part, column)| match plan.reference(&table.name, column) {
                            Some(r) => moves.text_id(&r.table, part).unwrap_or_else(|| part.to_string()),
                            None => part.to_string(),
                        })
                        .collect::<Vec<_>>()
                        .join("/")
                })
            };
            if let Some(moved) = moved {
                values[self.entity_id] = Value::Text(moved);
            }
        }
        // A complaint's (or request's) creation notes its number, which may have moved on.
        if let Some(moved) = moves.renumbered.get(table.name.as_str())
            && values[self.field] == Value::Null
            && let Some(new) = text(&values[self.new_value]).and_then(|n| moved.get(&n))
        {
            values[self.new_value] = Value::Text(new.clone());
        }
        if let Some(field) = text(&values[self.field])
            && let Some(r) = plan.reference(&table.name, &field)
        {
            for i in [self.old_value, self.new_value] {
                if let Some(moved) = text(&values[i]).and_then(|v| moves.text_id(&r.table, &v)) {
                    values[i] = Value::Text(moved);
                }
            }
        }
        Ok(())
    }
}

/// Links the copied history rows onto the target's chain, in id order, with
/// the schema's link function; the first copied id, if any.
fn relink(tx: &Tx<'_>, moves: &Moves) -> Result<Option<i64>, DbError> {
    let Some(map) = moves.ids.get("history") else { return Ok(None) };
    let Some(first) = map.ids.first().map(|id| id + map.offset) else { return Ok(None) };
    tx.exec_batch(&format!(
        "DO $$
         DECLARE
             previous bytea;
             r record;
         BEGIN
             SELECT hash INTO previous FROM history_chain WHERE history_id < {first} ORDER BY history_id DESC LIMIT 1;
             FOR r IN SELECT h, a.acted_by FROM history h LEFT JOIN history_acted a ON a.history_id = h.id
                      WHERE h.id >= {first} ORDER BY h.id LOOP
                 previous := kam_history_link(previous, r.h, r.acted_by);
                 INSERT INTO history_chain (history_id, hash) VALUES ((r.h).id, previous);
             END LOOP;
         END $$"
    ))?;
    Ok(Some(first))
}

/// Moves every id sequence past the ids now in its table.
fn move_sequences(tx: &Tx<'_>, plan: &Plan) -> Result<(), DbError> {
    for t in &plan.tables {
        let Some(id) = t.id else { continue };
        let (table, column) = (&t.name, &t.columns[id].name);
        tx.rows(
            &format!(
                "SELECT setval(s::regclass, m) FROM (SELECT pg_get_serial_sequence(?1, ?2) AS s,
                                                 (SELECT max({column}) FROM {table}) AS m) x
                 WHERE s IS NOT NULL AND m IS NOT NULL"
            ),
            args![table, column],
            |_| Ok(()),
        )?;
    }
    Ok(())
}

/// History rows from `from` on whose link does not verify (or who have
/// none), at most 20: the target's chain checked on the server, with the
/// trigger's own formula.
pub fn chain_problems(conn: &Conn, from: i64) -> Result<Vec<i64>, DbError> {
    conn.rows(
        "SELECT id FROM (
             SELECT h.id, c.hash = kam_history_link(lag(c.hash) OVER (ORDER BY h.id), h, a.acted_by) AS ok
             FROM history h
             LEFT JOIN history_chain c ON c.history_id = h.id
             LEFT JOIN history_acted a ON a.history_id = h.id
             WHERE h.id >= coalesce((SELECT max(history_id) FROM history_chain WHERE history_id < ?1), ?1)
         ) v
         WHERE id >= ?1 AND ok IS NOT TRUE ORDER BY id LIMIT 20",
        args![from],
        |r| r.get(0),
    )
}

/// The source's row count of every table (what a migration should copy).
pub fn source_counts(source: &Store) -> Result<Vec<(String, u64)>, DbError> {
    let Some(src) = source.conn().sqlite() else { return Ok(Vec::new()) };
    sqlite_tables(src)?
        .into_iter()
        .map(|(t, _)| {
            let n: i64 = src.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
            Ok((t, u64::try_from(n).unwrap_or(0)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_text_escapes_what_copy_reads_specially() {
        let mut out = Vec::new();
        for v in [
            Value::Text("a\tb\\c\nd\re".into()),
            Value::Null,
            Value::Integer(-7),
            Value::Decimal("12.50".into()),
            Value::Bytes(vec![0, 255]),
        ] {
            copy_text(&mut out, &v);
            out.push(b'|');
        }
        assert_eq!(String::from_utf8(out).unwrap(), "a\\tb\\\\c\\nd\\re|\\N|-7|12.50|\\\\x00ff|");
    }

    #[test]
    fn an_id_moves_by_its_offset_unless_it_is_the_targets_own_entry() {
        let map = IdMap { offset: 100, ids: [1, 2, 3].into_iter().collect(), matched: [(2, 7)].into() };
        assert_eq!(map.get(1), Some(101));
        assert_eq!(map.get(2), Some(7));
        assert_eq!(map.get(4), None, "no such row in the file");
    }

    #[test]
    fn ids_are_kept_as_runs_and_found_in_them_only() {
        let ids: IdSet = [7, 1, 2, 3, 5, 9, 8, 10, 3].into_iter().collect();
        assert_eq!(ids.runs, [(1, 3), (5, 5), (7, 10)]);
        let found: Vec<i64> = (0..12).filter(|id| ids.contains(*id)).collect();
        assert_eq!(found, [1, 2, 3, 5, 7, 8, 9, 10]);
        assert_eq!(ids.first(), Some(1));
        let mut many = IdSet::default();
        (1..=1_000_000).for_each(|id| many.push(id));
        assert_eq!(many.runs.len(), 1, "a million ids that follow on are one run");
    }
}
