//! Upgrades: a file as each earlier kam left it, with the rows its users
//! wrote, opened by this kam. Every row comes through unchanged, what later
//! schemas derive (participants' visit times, occasion days) is filled, and
//! `kam check` finds nothing.
//!
//! The rows are written with plain SQL as the kam of that version wrote them
//! (its triggers write the history); the search keys as kam computes them.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::Value;

use kam::db::sql::{Sql, args};
use kam::db::{Store, check, complaints, customers, marketing, migrate_to_version, schema_version, visits};
use kam::domain::id::CustomerId;
use kam::search::search_key;

const FIRST: &str = "44010600001000";
const SECOND: &str = "44010600002000";

/// Version 1: units, staff, an industry, two customers (one registration
/// approved, one pending), their dossier, a key person, a competitor, an edit.
fn rows_v1(conn: &Connection) {
    conn.execute_batch(
        "INSERT INTO org_unit (id, code, name, kind, parent_id, division_code) VALUES
           (1, 'GZ', '广州市邮政局大客户中心', 'city', NULL, '440100'),
           (2, 'TH', '天河区大客户中心', 'county', 1, '440106');
         INSERT INTO staff (id, login, name, unit_id, role) VALUES
           (1, 'guanli', '管理员', 1, 'admin'),
           (2, 'jingli01', '李文博', 2, 'manager'),
           (3, 'zhuguan', '谢惠珍', 2, 'supervisor');
         INSERT INTO industry (id, code, name_zh, name_en) VALUES (1, 'telecom', '通信', 'Telecommunications');",
    )
    .expect("reference rows");
    for (id, short, full, registration) in [
        (FIRST, "优选通信工程", "广州优选通信工程有限公司", "approved"),
        (SECOND, "宏远食品", "广州宏远食品有限公司", "pending"),
    ] {
        conn.execute(
            "INSERT INTO customer (id, short_name, full_name, name_norm, registration, industry_id, unit_id, owner_a,
                                   annual_revenue, unit_revenue, tier, tier_rank, dossier_updated_on, update_due_on,
                                   created_by, created_at, updated_by, updated_at)
             VALUES (?1, ?2, ?3, ?3, ?4, 1, 2, 2, 85000000, 30000000000, 'silver', 3, '2025-03-02', '2025-06-02',
                     2, '2025-03-02 10:00:00', 2, '2025-03-02 10:00:00')",
            rusqlite::params![id, short, full, registration],
        )
        .expect("customer");
        conn.execute(
            "INSERT INTO customer_search (rowid, key) VALUES ((SELECT rowid FROM customer WHERE id = ?1), ?2)",
            rusqlite::params![id, search_key(&[id, short, full])],
        )
        .expect("search key");
        conn.execute(
            "INSERT INTO customer_profile (customer_id, address, postal_code, phone) VALUES (?1, '天河路 385 号', '510620', '020-38880000')",
            [id],
        )
        .expect("profile");
        conn.execute(
            "INSERT INTO registration (customer_id, unit_id, owner_id, reason, filed_by, filed_at, decision, decided_by, decided_at)
             VALUES (?1, 2, 2, '年用邮超过一万元', 2, '2025-03-02 10:00:00', ?2,
                     CASE WHEN ?2 = 'approved' THEN 3 END, CASE WHEN ?2 = 'approved' THEN '2025-03-03 09:00:00' END)",
            rusqlite::params![id, registration],
        )
        .expect("registration");
    }
    conn.execute_batch(&format!(
        "INSERT INTO key_person (id, customer_id, name, title, decision_role, birthday, important_dates,
                                 created_by, created_at, updated_by, updated_at)
         VALUES (1, '{FIRST}', '严晓东', '行政部经理', 'decision_maker', '1978-03-15', '6月1日 公司周年',
                 2, '2025-03-02 10:05:00', 2, '2025-03-02 10:05:00');
         INSERT INTO competitor (customer_id, name, product_price, created_by, created_at, updated_by, updated_at)
         VALUES ('{FIRST}', '顺丰速运', '首重 12 元', 2, '2025-03-02 10:06:00', 2, '2025-03-02 10:06:00');
         UPDATE customer SET short_name = '优选通信', version = version + 1, updated_at = '2025-04-01 15:00:00'
         WHERE id = '{FIRST}';
         UPDATE customer_search SET key = '{key}' WHERE rowid = (SELECT rowid FROM customer WHERE id = '{FIRST}');",
        key = search_key(&[FIRST, "优选通信", "广州优选通信工程有限公司"]),
    ))
    .expect("dossier rows");
}

/// Version 2: a done visit with a supervisor taking part, and a planned one.
fn rows_v2(conn: &Connection) {
    conn.execute_batch(&format!(
        "INSERT INTO visit (id, customer_id, kind, state, planned_at, done_at, purpose, owner_id,
                            created_by, created_at, updated_by, updated_at)
         VALUES (1, '{FIRST}', 'in_person', 'done', '2025-04-10 09:30:00', '2025-04-10 11:00:00', '续签协议沟通', 2,
                 2, '2025-04-01 16:00:00', 2, '2025-04-10 11:30:00'),
                (2, '{FIRST}', 'phone', 'planned', '2025-05-12 14:00:00', NULL, '回访', 2,
                 2, '2025-04-10 11:31:00', 2, '2025-04-10 11:31:00');
         INSERT INTO visit_staff (visit_id, staff_id, role) VALUES (1, 2, 'account_manager'), (1, 3, 'supervisor'),
                                                                (2, 2, 'account_manager');
         INSERT INTO visit_person (visit_id, person_id) VALUES (1, 1);"
    ))
    .expect("visits");
}

/// Version 3: a log entry with a supervisor's comment, and a complaint with its timeline.
fn rows_v3(conn: &Connection) {
    conn.execute_batch(&format!(
        "INSERT INTO marketing_log (id, customer_id, logged_on, method, stage, content, visit_id, author_id,
                                    created_by, created_at, updated_by, updated_at)
         VALUES (1, '{FIRST}', '2025-04-10', 'visit', 'proposal_negotiation', '客户同意试用商函服务', 1, 2,
                 2, '2025-04-10 12:00:00', 2, '2025-04-10 12:00:00');
         INSERT INTO log_comment (log_id, author_id, comment, created_at) VALUES (1, 3, '跟进报价', '2025-04-11 08:30:00');
         INSERT INTO complaint (id, number, received_at, channel, received_by, customer_id, complainant, category,
                                description, deadline, state, handler_id, created_by, created_at, updated_by, updated_at)
         VALUES (1, 'TS-2025-0001', '2025-04-20 10:00:00', 'phone', 3, '{FIRST}', '严晓东', 'delay', '帐单延误三天',
                 '2025-04-21 10:00:00', 'assigned', 2, 3, '2025-04-20 10:00:00', 3, '2025-04-20 10:30:00');
         INSERT INTO complaint_event (complaint_id, kind, from_state, to_state, note, by_id, at)
         VALUES (1, 'assign', 'received', 'assigned', '请客户经理处理', 3, '2025-04-20 10:30:00');"
    ))
    .expect("log and complaints");
}

/// Version 4: two months of revenue in two service lines, the unit's revenue,
/// a fluctuation explained, a bureau setting.
fn rows_v4(conn: &Connection) {
    conn.execute_batch(&format!(
        "INSERT INTO revenue (customer_id, month, service_line_id, amount, created_by, created_at, updated_by, updated_at)
         VALUES ('{FIRST}', 202503, 1, 1200000, 1, '2025-04-05 09:00:00', 1, '2025-04-05 09:00:00'),
                ('{FIRST}', 202503, 2, 350050, 1, '2025-04-05 09:00:00', 1, '2025-04-05 09:00:00'),
                ('{FIRST}', 202504, 1, 600000, 1, '2025-05-05 09:00:00', 1, '2025-05-05 09:00:00'),
                ('{SECOND}', 202504, 1, 99999, 1, '2025-05-05 09:00:00', 1, '2025-05-05 09:00:00');
         UPDATE revenue SET amount = 650000, updated_at = '2025-05-06 09:00:00'
         WHERE customer_id = '{FIRST}' AND month = 202504 AND service_line_id = 1;
         INSERT INTO unit_revenue (unit_id, year, month, amount, updated_by, updated_at)
         VALUES (2, 2025, 0, 30000000000, 1, '2025-01-10 09:00:00');
         INSERT INTO fluctuation_note (customer_id, month, explanation, written_by, written_at)
         VALUES ('{FIRST}', 202504, '季度帐单改为电子版', 2, '2025-05-07 10:00:00');
         INSERT INTO setting (key, value, updated_by, updated_at) VALUES ('managers_edit_unit', '1', 1, '2025-01-10 09:00:00');"
    ))
    .expect("revenue");
}

const ROWS: [fn(&Connection); 4] = [rows_v1, rows_v2, rows_v3, rows_v4];

/// Tables an upgrade may add rows to: schema 4 moved the unit revenue off the
/// customer rows into its own table, and the history records the move.
const GAIN_IN_UPGRADES: [&str; 2] = ["history", "unit_revenue"];

/// Every table's rows (the columns it had), in key order; derived search
/// tables aside.
fn dump(conn: &Connection) -> BTreeMap<String, (Vec<String>, Vec<Vec<Value>>)> {
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             AND name NOT LIKE 'customer_search%'",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables
        .into_iter()
        .map(|t| {
            let columns: Vec<String> = conn
                .prepare(&format!("SELECT name FROM pragma_table_info('{t}') ORDER BY cid"))
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let rows = rows_of(conn, &t, &columns);
            (t, (columns, rows))
        })
        .collect()
}

fn rows_of(conn: &Connection, table: &str, columns: &[String]) -> Vec<Vec<Value>> {
    let list = columns.join(", ");
    let order: Vec<String> = (1..=columns.len()).map(|i| i.to_string()).collect();
    let mut stmt = conn.prepare(&format!("SELECT {list} FROM {table} ORDER BY {}", order.join(", "))).unwrap();
    stmt.query_map([], |r| (0..columns.len()).map(|i| r.get::<_, Value>(i)).collect::<Result<Vec<_>, _>>())
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// A file at `version` with the rows of every version up to it.
pub(crate) fn old_file(path: &Path, version: usize) {
    let mut conn = Connection::open(path).unwrap();
    conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;").unwrap();
    // The file lived through each version: written to, then upgraded by the next kam.
    for (at, rows) in ROWS.iter().enumerate().take(version) {
        migrate_to_version(&mut conn, at + 1).unwrap();
        rows(&conn);
    }
    migrate_to_version(&mut conn, version).unwrap();
}

fn upgrade_from(version: usize) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kam.db");
    old_file(&path, version);
    let before = dump(&Connection::open(&path).unwrap());

    // As every command opens a database (only init and demo make one): an
    // earlier kam's file has no application id, and is recognised by its
    // tables and schema version, upgraded and marked as kam's.
    let store = Store::open_existing(&path).expect("this kam opens the older file");
    assert!(store.marked_now(), "from version {version}");
    assert_eq!(store.kind(), kam::db::DbKind::Real, "from version {version}");
    let conn = store.conn();
    let found: i64 = conn.row("PRAGMA user_version", args![], |r| r.get(0)).unwrap();
    assert_eq!(found, schema_version(), "from version {version}");
    let id: i32 = conn.row("PRAGMA application_id", args![], |r| r.get(0)).unwrap();
    assert_eq!(id, kam::db::file_kind::APPLICATION_ID, "from version {version}");

    // Every row of every earlier table came through, column for column (the
    // columns a later schema moved elsewhere are checked where they went).
    let kam::db::Conn::Sqlite(file) = conn else { panic!("an upgraded file is SQLite") };
    let after = dump(file);
    for (table, (columns, rows)) in &before {
        if table == "person_occasion" {
            continue; // derived: refilled below
        }
        let kept: Vec<usize> = (0..columns.len()).filter(|&i| after[table].0.contains(&columns[i])).collect();
        let names: Vec<String> = kept.iter().map(|&i| columns[i].clone()).collect();
        let old: Vec<Vec<Value>> = rows.iter().map(|r| kept.iter().map(|&i| r[i].clone()).collect()).collect();
        let now = rows_of(file, table, &names);
        if GAIN_IN_UPGRADES.contains(&table.as_str()) {
            let lost: Vec<&Vec<Value>> = old.iter().filter(|r| !now.contains(r)).collect();
            assert!(lost.is_empty(), "table {table}, upgraded from version {version}, lost {lost:?}");
        } else {
            assert_eq!(now, old, "table {table}, upgraded from version {version}");
        }
    }
    if version < 4 {
        // Schema 4 moved the unit's revenue off the customer rows into its own table.
        let moved: i64 =
            conn.row("SELECT amount FROM unit_revenue WHERE unit_id = 2 AND month = 0", args![], |r| r.get(0)).unwrap();
        assert_eq!(moved, 30000000000);
    }

    let report = check::check(conn).unwrap();
    assert!(report.ok(), "kam check after upgrading from version {version}: {report:?}");

    let first = customers::load(conn, &CustomerId::parse(FIRST).unwrap()).expect("dossier");
    assert_eq!(first.text("short_name"), "优选通信", "from version {version}");
    let history: i64 =
        conn.row("SELECT count(*) FROM history WHERE customer_id = ?1", args![FIRST], |r| r.get(0)).unwrap();
    assert!(history >= 4, "creation, person, competitor and the rename are in the history: {history}");

    // Schema 5 fills the occasion days of people already there.
    let days: Vec<String> = conn
        .rows("SELECT month_day FROM person_occasion WHERE person_id = 1 ORDER BY 1", args![], |r| r.get(0))
        .unwrap();
    assert_eq!(days, ["03-15", "06-01"], "birthday and important date, from version {version}");

    if version >= 2 {
        // Schema 5 copies each visit's time and owner onto its participant rows.
        let guests: Vec<(i64, Option<String>, Option<i64>)> = conn
            .rows(
                "SELECT staff_id, planned_at, owner_id FROM visit_staff WHERE visit_id = 1 ORDER BY staff_id",
                args![],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        let at = Some("2025-04-10 09:30:00".to_string());
        assert_eq!(guests, [(2, at.clone(), Some(2)), (3, at, Some(2))], "from version {version}");
        let done = visits::load(conn, 1).expect("the done visit");
        assert_eq!(done.purpose, "续签协议沟通");
        assert_eq!(visits::count_for_customer(conn, &FIRST.parse().unwrap()).unwrap(), 2);
    }
    if version >= 3 {
        let entry = marketing::load(conn, 1).expect("the log entry");
        assert_eq!(entry.content, "客户同意试用商函服务");
        let complaint = complaints::load(conn, 1).expect("the complaint");
        assert_eq!(complaint.number, "TS-2025-0001");
        assert_eq!(complaints::timeline(conn, 1).unwrap().len(), 1);
    }
    if version >= 4 {
        let total: i64 = conn
            .row("SELECT amount FROM revenue_month WHERE customer_id = ?1 AND month = 202504", args![FIRST], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(total, 650000, "the kept month total follows the corrected entry");
    }
}

/// Every earlier version, those before the first rows of a later step
/// included: a new schema step is tested from the version before it at once.
#[test]
fn upgrade_from_every_earlier_version() {
    assert!(schema_version() >= 5);
    for version in 1..usize::try_from(schema_version()).unwrap() {
        upgrade_from(version);
    }
}
