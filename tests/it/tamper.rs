//! Someone in the file's group opens it with another SQLite client (here a
//! bare connection, as `sqlite3` would) and tries to rewrite the record.
//! Each attempt either fails outright or is named by `kam check`, and kam
//! then refuses to write to the file.

use std::path::Path;
use std::process::Command;

use rusqlite::Connection;

use crate::support::demo_db;
use kam::db::sql::{Sql, args};
use kam::db::{DbError, Store, check};

/// A connection as the `sqlite3` shell has it: no kam functions, foreign
/// keys not enforced (the shell's default).
fn sqlite3(path: &Path) -> Connection {
    let conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA foreign_keys = OFF;").unwrap();
    conn
}

fn kam_check(path: &Path) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kam")).arg("--db").arg(path).arg("check").output().unwrap();
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
}

fn first_customer(conn: &Connection) -> String {
    conn.query_row("SELECT id FROM customer ORDER BY id LIMIT 1", [], |r| r.get(0)).unwrap()
}

/// kam refuses to write to a file whose schema it did not make.
fn assert_writes_refused(path: &Path) {
    let mut store = Store::open(path).unwrap();
    assert!(store.schema_altered());
    let refused = store.write(|tx| tx.exec("UPDATE setting SET value = value", args![]));
    assert!(matches!(refused, Err(DbError::SchemaAltered)), "{refused:?}");
}

#[test]
fn a_clean_file_checks_ok_and_names_its_chain_head() {
    let (_dir, path) = demo_db(20);
    let (ok, out) = kam_check(&path);
    assert!(ok, "{out}");
    assert!(out.contains("chain head: "), "{out}");
    assert!(!Store::open(&path).unwrap().schema_altered());
}

#[test]
fn rewriting_a_record_from_another_client_fails() {
    let (_dir, path) = demo_db(20);
    let conn = sqlite3(&path);
    let id = first_customer(&conn);
    // A colleague's customer under another name, back-dated, by the administrator.
    let err = conn
        .execute(
            "UPDATE customer SET short_name = '冒名客户', updated_by = 1, updated_at = '2020-01-01 09:00:00' WHERE id = ?1",
            [&id],
        )
        .unwrap_err();
    assert!(err.to_string().contains("kam_chain_link"), "{err}");
    // Making oneself administrator, and slipping a history row in, fail the same way.
    let err = conn.execute("UPDATE staff SET role = 'admin' WHERE login = 'jingli01'", []).unwrap_err();
    assert!(err.to_string().contains("kam_chain_link"), "{err}");
    let err = conn
        .execute(
            "INSERT INTO history (entity, entity_id, action, changed_by, changed_at) \
             VALUES ('customer', ?1, 'create', 1, '2020-01-01 09:00:00')",
            [&id],
        )
        .unwrap_err();
    assert!(err.to_string().contains("kam_chain_link"), "{err}");
    let (ok, out) = kam_check(&path);
    assert!(ok, "nothing was changed: {out}");
}

#[test]
fn dropping_the_triggers_to_rewrite_is_found() {
    let (_dir, path) = demo_db(20);
    let conn = sqlite3(&path);
    let id = first_customer(&conn);
    conn.execute_batch("DROP TRIGGER customer_updated; DROP TRIGGER staff_updated;").unwrap();
    conn.execute(
        "UPDATE customer SET short_name = '冒名客户', updated_at = '2020-01-01 09:00:00' WHERE id = ?1",
        [&id],
    )
    .unwrap();
    conn.execute("UPDATE staff SET role = 'admin' WHERE login = 'jingli01'", []).unwrap();
    drop(conn);

    let report = check::check(Store::open(&path).unwrap().conn()).unwrap();
    assert!(report.schema.missing.contains(&"trigger customer_updated".to_string()), "{:?}", report.schema);
    assert!(report.schema.missing.contains(&"trigger staff_updated".to_string()), "{:?}", report.schema);
    assert_eq!(report.roles_without_history, ["jingli01"]);
    let (ok, out) = kam_check(&path);
    assert!(!ok, "{out}");
    assert!(out.contains("schema: trigger customer_updated is missing"), "{out}");
    assert!(out.contains("staff jingli01: role not recorded in the history"), "{out}");
    assert_writes_refused(&path);
}

#[test]
fn deleting_changing_or_inserting_history_breaks_the_chain() {
    let (_dir, path) = demo_db(20);
    let conn = sqlite3(&path);
    let rows: i64 = conn.query_row("SELECT count(*) FROM history", [], |r| r.get(0)).unwrap();
    assert!(rows > 10);
    conn.execute_batch(
        "DROP TRIGGER history_no_delete; DROP TRIGGER history_no_update; DROP TRIGGER history_linked;
         DELETE FROM history WHERE id = 3;
         UPDATE history SET new_value = '改写' WHERE id = 7;
         INSERT INTO history (entity, entity_id, action, changed_by, changed_at)
         VALUES ('customer', '44010300001000', 'create', 1, '2020-01-01 09:00:00');",
    )
    .unwrap();
    let inserted = conn.last_insert_rowid();
    drop(conn);

    let report = check::check(Store::open(&path).unwrap().conn()).unwrap();
    assert_eq!(report.chain.deleted, [3]);
    assert_eq!(report.chain.broken, [4, 7], "the row after the gap and the changed row");
    assert_eq!(report.chain.unlinked, [inserted]);
    let (ok, out) = kam_check(&path);
    assert!(!ok);
    assert!(out.contains("history rows deleted: 3"), "{out}");
    assert!(out.contains("history rows changed, or the chain broken before them: 4, 7"), "{out}");
    assert!(out.contains(&format!("history rows written outside kam (no chain link): {inserted}")), "{out}");
}

#[test]
fn removing_a_deleted_rows_link_too_still_breaks_the_chain() {
    let (_dir, path) = demo_db(20);
    let conn = sqlite3(&path);
    conn.execute_batch(
        "DROP TRIGGER history_no_delete; DROP TRIGGER history_chain_no_delete;
         DELETE FROM history WHERE id = 5; DELETE FROM history_chain WHERE history_id = 5;",
    )
    .unwrap();
    drop(conn);
    let report = check::check(Store::open(&path).unwrap().conn()).unwrap();
    assert_eq!(report.chain.broken, [6]);
    assert!(report.chain.deleted.is_empty());
}

#[test]
fn a_planted_trigger_is_named_and_the_file_is_not_written() {
    let (_dir, path) = demo_db(20);
    sqlite3(&path)
        .execute_batch(
            "CREATE TRIGGER mine AFTER INSERT ON visit BEGIN UPDATE visit SET owner_id = 2 WHERE id = new.id; END;",
        )
        .unwrap();
    let (ok, out) = kam_check(&path);
    assert!(!ok);
    assert!(out.contains("schema: trigger mine was not created by kam"), "{out}");
    assert_writes_refused(&path);
}
