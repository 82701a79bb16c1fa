//! Tamper evidence: the history is a hash chain, and the schema has a
//! fingerprint.
//!
//! Each history row gets a link in `history_chain`: SHA-256 over the previous
//! link and the row's own content. A history row deleted, changed or slipped
//! in between others no longer matches its link (or has none), and `kam
//! check` names it. The links are written by a trigger that calls
//! `kam_chain_link`, a function only kam registers: a write to any audited
//! table from another SQLite client fails, unless that client first drops
//! kam's triggers, which changes the schema fingerprint.
//!
//! The fingerprint is SHA-256 over every table, index, trigger and view kam's
//! migrations create, with their SQL. A file whose fingerprint is not the one
//! of its schema version (a trigger dropped, one planted) is read but not
//! written, until `kam check` has been run and the file restored.
//!
//! A history row written by someone acting for the staff member it names
//! (root or the file's owner, see `crate::identity`) has a row in
//! `history_acted` naming the system account that acted; its link covers that
//! name too (after the row's own columns), so the note can be neither removed
//! nor added later. Rows without one link exactly as before.
//!
//! What it cannot do: someone who can write the file and recomputes every
//! link from their change to the end leaves a consistent chain; the head
//! link `kam check` prints, kept elsewhere (a backup, a mail), shows that.

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;
use sha2::{Digest, Sha256};

use super::DbError;

/// The SQL function the history trigger calls to make a link.
pub const LINK_FUNCTION: &str = "kam_chain_link";

/// The columns of a history row that its link covers, in this order.
const LINKED_COLUMNS: &str =
    "id, entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at";
const LINKED_COUNT: usize = 10;

/// The SQL function naming the system account that acts for the staff member
/// at work on this connection (NULL when they work as themselves).
pub const ACTING_FUNCTION: &str = "kam_acting";

/// Registers the link function on a connection kam writes through (with the
/// row's columns; and with the acting account after them, which links the
/// same as without when it is NULL), and the acting function, answering NULL
/// until [`set_acting`] says otherwise.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    for args in [LINKED_COUNT + 1, LINKED_COUNT + 2] {
        conn.create_scalar_function(
            LINK_FUNCTION,
            // 11 or 12 arguments: far inside an i32.
            i32::try_from(args).unwrap_or(i32::MAX),
            FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
            |ctx| {
                let previous = match ctx.get_raw(0) {
                    ValueRef::Null => None,
                    ValueRef::Blob(b) => Some(b.to_vec()),
                    _ => return Err(rusqlite::Error::UserFunctionError("a chain link is a blob".into())),
                };
                let mut values: Vec<ValueRef<'_>> = (1..=LINKED_COUNT).map(|i| ctx.get_raw(i)).collect();
                if ctx.len() > LINKED_COUNT + 1 && ctx.get_raw(LINKED_COUNT + 1) != ValueRef::Null {
                    values.push(ctx.get_raw(LINKED_COUNT + 1));
                }
                Ok(link(previous.as_deref(), &values).to_vec())
            },
        )?;
    }
    set_acting(conn, None)
}

/// Makes [`ACTING_FUNCTION`] answer `login` on this connection.
pub fn set_acting(conn: &Connection, login: Option<String>) -> rusqlite::Result<()> {
    conn.create_scalar_function(ACTING_FUNCTION, 0, FunctionFlags::SQLITE_UTF8, move |_| Ok(login.clone()))
}

/// SHA-256 over the previous link and each value, every value tagged with its
/// type and length so that no two different rows encode alike.
pub fn link(previous: Option<&[u8]>, values: &[ValueRef<'_>]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"kam history v1");
    match previous {
        Some(p) => {
            h.update([1]);
            h.update(p);
        }
        None => h.update([0]),
    }
    for v in values {
        match v {
            ValueRef::Null => h.update([b'n']),
            ValueRef::Integer(i) => {
                h.update([b'i']);
                h.update(i.to_be_bytes());
            }
            ValueRef::Real(r) => {
                h.update([b'r']);
                h.update(r.to_be_bytes());
            }
            ValueRef::Text(t) | ValueRef::Blob(t) => {
                h.update([if matches!(v, ValueRef::Text(_)) { b't' } else { b'b' }]);
                h.update((t.len() as u64).to_be_bytes());
                h.update(t);
            }
        }
    }
    h.finalize().into()
}

/// Links the history rows that have none yet, in order (the schema step that
/// brings the chain links the history already there).
pub fn link_unlinked(tx: &rusqlite::Connection) -> rusqlite::Result<()> {
    let mut previous: Option<Vec<u8>> =
        tx.query_row("SELECT hash FROM history_chain ORDER BY history_id DESC LIMIT 1", [], |r| r.get(0)).ok();
    let mut rows = tx.prepare(&format!(
        "SELECT {LINKED_COLUMNS} FROM history WHERE id NOT IN (SELECT history_id FROM history_chain) ORDER BY id"
    ))?;
    let mut insert = tx.prepare("INSERT INTO history_chain (history_id, hash) VALUES (?1, ?2)")?;
    let mut found = rows.query([])?;
    while let Some(r) = found.next()? {
        let values: Vec<ValueRef<'_>> = (0..LINKED_COUNT).map(|i| r.get_ref(i)).collect::<Result<_, _>>()?;
        let hash = link(previous.as_deref(), &values);
        insert.execute(rusqlite::params![r.get::<_, i64>(0)?, hash.to_vec()])?;
        previous = Some(hash.to_vec());
    }
    Ok(())
}

/// What the chain check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainReport {
    /// History rows checked.
    pub rows: u64,
    /// History rows with no link: inserted past the trigger.
    pub unlinked: Vec<i64>,
    /// History rows whose link does not match: changed, or a row before them
    /// deleted, changed or inserted. Only the first of a run is listed.
    pub broken: Vec<i64>,
    /// Links whose history row is gone: deleted.
    pub deleted: Vec<i64>,
    /// The last link, hex: note it down to compare later.
    pub head: Option<String>,
}

impl ChainReport {
    pub fn ok(&self) -> bool {
        self.unlinked.is_empty() && self.broken.is_empty() && self.deleted.is_empty()
    }
}

/// How many ids of each finding are listed; the rest are counted.
const LISTED: usize = 20;

/// Walks the whole history in order and recomputes every link.
pub fn verify(conn: &Connection) -> Result<ChainReport, DbError> {
    let mut report = ChainReport::default();
    // The acting account, where one is noted (older schemas have no such table).
    let acted = conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_schema WHERE type = 'table' AND name = 'history_acted'",
        [],
        |r| r.get::<_, bool>(0),
    )?;
    let (acted_by, acted_join) =
        if acted { ("a.acted_by", "LEFT JOIN history_acted a ON a.history_id = h.id") } else { ("NULL", "") };
    let mut rows = conn.prepare(&format!(
        "SELECT {LINKED_COLUMNS}, {acted_by}, c.hash FROM history h {acted_join} \
         LEFT JOIN history_chain c ON c.history_id = h.id ORDER BY h.id"
    ))?;
    // The chain runs over the links in order, whether or not their rows remain.
    let mut previous: Option<Vec<u8>> = None;
    let mut in_a_break = false;
    let mut found = rows.query([])?;
    while let Some(r) = found.next()? {
        report.rows += 1;
        let id: i64 = r.get(0)?;
        let mut values: Vec<ValueRef<'_>> = (0..LINKED_COUNT).map(|i| r.get_ref(i)).collect::<Result<_, _>>()?;
        let acting = r.get_ref(LINKED_COUNT)?;
        if acting != ValueRef::Null {
            values.push(acting);
        }
        let kept: Option<Vec<u8>> = r.get(LINKED_COUNT + 1)?;
        let Some(kept) = kept else {
            if report.unlinked.len() < LISTED {
                report.unlinked.push(id);
            }
            continue;
        };
        if link(previous.as_deref(), &values).as_slice() != kept.as_slice() {
            if !in_a_break && report.broken.len() < LISTED {
                report.broken.push(id);
            }
            in_a_break = true;
        } else {
            in_a_break = false;
        }
        previous = Some(kept);
    }
    report.head = previous.map(|h| h.iter().map(|b| format!("{b:02x}")).collect());
    report.deleted = conn
        .prepare(&format!(
            "SELECT history_id FROM history_chain WHERE history_id NOT IN (SELECT id FROM history) ORDER BY 1 LIMIT {LISTED}"
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    Ok(report)
}

/// One schema object: its kind, name and SQL, as SQLite keeps them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchemaObject {
    pub kind: String,
    pub name: String,
    pub sql: String,
}

/// Every table, index, trigger and view but SQLite's own statistics tables.
pub fn schema_objects(conn: &Connection) -> Result<Vec<SchemaObject>, DbError> {
    let mut objects: Vec<SchemaObject> = conn
        .prepare(
            "SELECT type, name, coalesce(sql, '') FROM sqlite_schema \
             WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type, name",
        )?
        .query_map([], |r| Ok(SchemaObject { kind: r.get(0)?, name: r.get(1)?, sql: r.get(2)? }))?
        .collect::<Result<_, _>>()?;
    objects.sort();
    Ok(objects)
}

/// SHA-256 of the schema objects, hex.
pub fn fingerprint(objects: &[SchemaObject]) -> String {
    let mut h = Sha256::new();
    for o in objects {
        for part in [&o.kind, &o.name, &o.sql] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// How a file's schema differs from the one kam's migrations make.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaDiff {
    /// Objects kam did not create ("trigger planted_by_me").
    pub foreign: Vec<String>,
    /// Objects kam created that are gone.
    pub missing: Vec<String>,
    /// Objects whose definition was changed.
    pub altered: Vec<String>,
}

impl SchemaDiff {
    pub fn ok(&self) -> bool {
        self.foreign.is_empty() && self.missing.is_empty() && self.altered.is_empty()
    }
}

/// Compares `found` with `expected`, object by object.
pub fn diff(expected: &[SchemaObject], found: &[SchemaObject]) -> SchemaDiff {
    let label = |o: &SchemaObject| format!("{} {}", o.kind, o.name);
    let mut d = SchemaDiff::default();
    for o in found {
        match expected.iter().find(|e| e.kind == o.kind && e.name == o.name) {
            None => d.foreign.push(label(o)),
            Some(e) if e.sql != o.sql => d.altered.push(label(o)),
            Some(_) => {}
        }
    }
    for e in expected {
        if !found.iter().any(|o| o.kind == e.kind && o.name == e.name) {
            d.missing.push(label(e));
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_and_the_previous_link_change_the_link() {
        let row = [ValueRef::Integer(7), ValueRef::Text(b"customer"), ValueRef::Null];
        let base = link(None, &row);
        assert_ne!(base, link(Some(&[0; 32]), &row));
        assert_ne!(base, link(None, &[ValueRef::Integer(8), ValueRef::Text(b"customer"), ValueRef::Null]));
        assert_ne!(base, link(None, &[ValueRef::Integer(7), ValueRef::Text(b"customers"), ValueRef::Null]));
        assert_ne!(base, link(None, &[ValueRef::Integer(7), ValueRef::Text(b"customer"), ValueRef::Text(b"")]));
        // Text and integer of the same digits are different values.
        assert_ne!(link(None, &[ValueRef::Text(b"7")]), link(None, &[ValueRef::Integer(7)]));
        // Field boundaries count: "ab","c" is not "a","bc".
        assert_ne!(
            link(None, &[ValueRef::Text(b"ab"), ValueRef::Text(b"c")]),
            link(None, &[ValueRef::Text(b"a"), ValueRef::Text(b"bc")])
        );
        assert_eq!(base, link(None, &row));
    }

    #[test]
    fn the_diff_names_foreign_missing_and_altered_objects() {
        let o =
            |kind: &str, name: &str, sql: &str| SchemaObject { kind: kind.into(), name: name.into(), sql: sql.into() };
        let expected = vec![o("table", "history", "CREATE TABLE history(a)"), o("trigger", "history_no_update", "X")];
        let found = vec![o("table", "history", "CREATE TABLE history(a, b)"), o("trigger", "mine", "Y")];
        let d = diff(&expected, &found);
        assert_eq!(d.foreign, ["trigger mine"]);
        assert_eq!(d.missing, ["trigger history_no_update"]);
        assert_eq!(d.altered, ["table history"]);
        assert!(diff(&expected, &expected).ok());
        assert_ne!(fingerprint(&expected), fingerprint(&found));
    }
}
