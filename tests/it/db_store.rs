//! Storage layer, layer 2 of STYLE.md: every test on its own temporary file,
//! migrations from empty, failure paths that leave nothing behind, history on
//! every edit, versioned edits, two writers on one file, access rules, tiers,
//! search and paging, duplicate detection and dossier staleness.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use kam::db::customers::{self, CustomerFilter, CustomerQuery, Likeness, NewCustomer, SortColumn};
use kam::db::engine::EngineError;
use kam::db::records::{self, RecordKind};
use kam::db::sql::{Sql, args};
use kam::db::{Actor, DbError, Store, history};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::staff::{Refusal, Staff};
use kam::domain::tier::{Tier, TierPreset};
use kam::search::normalize_query;

use common::*;

const GD: TierPreset = TierPreset::GuangdongScore;

// ---------------------------------------------------------------------------
// helpers

fn create(store: &mut Store, by: &Actor, new: &NewCustomer) -> CustomerId {
    customers::create(store, by, new, GD).unwrap_or_else(|e| panic!("create {:?}: {e}", new.values.get("short_name")))
}

fn open_err(path: &std::path::Path) -> DbError {
    match Store::open(path) {
        Ok(_) => panic!("{} opened, expected an error", path.display()),
        Err(e) => e,
    }
}

/// One history row as stored (author as the staff id).
#[derive(Debug, Clone, PartialEq, Eq)]
struct H {
    entity: String,
    entity_id: String,
    customer_id: Option<String>,
    action: String,
    field: Option<String>,
    old: Option<String>,
    new: Option<String>,
    by: i64,
    at: String,
}

fn last_history_id(conn: &impl Sql) -> i64 {
    conn.row("SELECT coalesce(max(id), 0) FROM history", args![], |r| r.get(0)).unwrap()
}

/// History rows written after row `after`, oldest first.
fn history_since(conn: &impl Sql, after: i64) -> Vec<H> {
    conn.rows(
        "SELECT entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at \
         FROM history WHERE id > ?1 AND entity <> 'staff' ORDER BY id",
        args![after],
        |r| {
            Ok(H {
                entity: r.get(0)?,
                entity_id: r.get(1)?,
                customer_id: r.get(2)?,
                action: r.get(3)?,
                field: r.get(4)?,
                old: r.get(5)?,
                new: r.get(6)?,
                by: r.get(7)?,
                at: common::read_history_time(r.get(8)?),
            })
        },
    )
    .unwrap()
}

fn update_row(customer: &CustomerId, field: &str, old: Option<&str>, new: Option<&str>, by: &Staff, at: &str) -> H {
    H {
        entity: "customer".into(),
        entity_id: customer.as_str().into(),
        customer_id: Some(customer.as_str().into()),
        action: "update".into(),
        field: Some(field.into()),
        old: old.map(Into::into),
        new: new.map(Into::into),
        by: by.id,
        // Stored with the bureau's offset (issue 14).
        at: common::history_time(&format!("{at}+08:00")),
    }
}

fn column(conn: &kam::db::Conn, id: &CustomerId, col: &str) -> Option<String> {
    conn.row(&format!("SELECT {col} FROM customer WHERE id = ?1"), args![id], |r| r.get(0)).unwrap()
}

fn query(search: &str, filter: CustomerFilter) -> CustomerQuery {
    CustomerQuery { search: normalize_query(search), filter, ..CustomerQuery::default() }
}

fn ids_of(conn: &kam::db::Conn, q: &CustomerQuery) -> BTreeSet<String> {
    let rows = customers::page(conn, q, 0, 10_000).unwrap();
    let n = customers::count(conn, q).unwrap();
    assert_eq!(rows.len() as u64, n, "count and page disagree for {q:?}");
    rows.into_iter().map(|r| r.id.to_string()).collect()
}

fn person(name: &str, title: &str) -> BTreeMap<&'static str, FieldValue> {
    BTreeMap::from([("name", text(name)), ("title", text(title)), ("decision_role", text("decision_maker"))])
}

// ---------------------------------------------------------------------------
// 1. migrations from empty

const TABLES: [&str; 10] = [
    "competitor",
    "customer",
    "history",
    "industry",
    "key_person",
    "org_unit",
    "registration",
    "service_line",
    "staff",
    "tier_preset",
];

const TRIGGERS: [&str; 12] = [
    "history_no_update",
    "history_no_delete",
    "customer_no_delete",
    "key_person_no_delete",
    "competitor_no_delete",
    "customer_created",
    "key_person_created",
    "competitor_created",
    "customer_updated",
    "key_person_updated",
    "competitor_updated",
    "registration_decided",
];

fn schema_text(conn: &impl Sql) -> String {
    conn.row("SELECT group_concat(type || ':' || name || ':' || coalesce(sql, ''), '\n') FROM (SELECT * FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name)", args![], |r| r.get(0)).unwrap()
}

#[test]
fn fresh_file_is_migrated_to_the_current_schema() {
    let db = TestDb::new();
    let conn = db.conn();
    let version: i64 = conn.row("PRAGMA user_version", args![], |r| r.get(0)).unwrap();
    assert_eq!(version, kam::db::schema_version());

    let tables: Vec<String> = conn
        .rows(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    for table in TABLES {
        assert!(tables.iter().any(|t| t == table), "table {table} missing from {tables:?}");
    }
    for trigger in TRIGGERS {
        assert_eq!(db.count(&format!("sqlite_master WHERE type = 'trigger' AND name = '{trigger}'")), 1, "{trigger}");
    }
    assert_eq!(db.count("tier_preset"), 4);
    assert_eq!(db.count("service_line"), 10);
    for table in TABLES.iter().filter(|t| !matches!(**t, "tier_preset" | "service_line")) {
        assert_eq!(db.count(table), 0, "{table} starts empty");
    }

    let journal: String = conn.row("PRAGMA journal_mode", args![], |r| r.get(0)).unwrap();
    assert_eq!(journal, "wal");
    let fk: i64 = conn.row("PRAGMA foreign_keys", args![], |r| r.get(0)).unwrap();
    assert_eq!(fk, 1, "foreign keys are enforced");
}

#[test]
fn reopening_a_current_file_changes_nothing() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let id = create(&mut s.db.store, &actor(&m), &new_customer("甲", "甲有限公司", s.org.unit, m.id));
    let before = schema_text(s.conn());
    let history_before = s.db.count("history");

    // Open twice: while the first store is open, and after it is closed.
    let second = s.db.reopen();
    assert_eq!(schema_text(second.conn()), before);
    drop(second);
    let path = s.db.path.clone();
    drop(s.db.store);
    let third = Store::open(&path).unwrap();
    let conn = third.conn();
    let version: i64 = conn.row("PRAGMA user_version", args![], |r| r.get(0)).unwrap();
    assert_eq!(version, kam::db::schema_version());
    assert_eq!(schema_text(conn), before);
    assert_eq!(count(conn, "tier_preset"), 4, "seed rows are not inserted twice");
    assert_eq!(count(conn, "service_line"), 10);
    assert_eq!(count(conn, "staff"), 4);
    assert_eq!(count(conn, "history"), history_before);
    assert_eq!(customers::load(conn, &id).unwrap().text("short_name"), "甲");
}

#[test]
fn open_creates_missing_directories() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("a").join("b").join("kam.db");
    let store = Store::open(&path).unwrap();
    assert!(path.is_file());
    assert_eq!(store.location().file(), Some(path.as_path()));
}

#[cfg(unix)]
#[test]
fn database_file_is_private_to_its_owner() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    create(&mut s.db.store, &actor(&m), &new_customer("甲", "甲有限公司", s.org.unit, m.id));
    assert_eq!(mode_of(&s.db.path), 0o600, "the dossier is confidential");
    // SQLite gives its side files the database file's mode; in WAL mode with the
    // store open, both exist.
    for side in ["kam.db-wal", "kam.db-shm"] {
        let p = s.db.dir.path().join(side);
        assert!(p.exists(), "{side} exists");
        assert_eq!(mode_of(&p), 0o600, "{side}");
    }
}

// ---------------------------------------------------------------------------
// 2. files kam must not open

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    {
        let raw = rusqlite::Connection::open(&path).unwrap();
        // A newer kam's file carries kam's application id, as every kam's since schema 10.
        raw.execute_batch("CREATE TABLE future_thing (x); PRAGMA user_version = 99;").unwrap();
        raw.pragma_update(None, "application_id", kam::db::file_kind::APPLICATION_ID).unwrap();
    }
    match open_err(&path) {
        DbError::SchemaTooNew { found, supported } => {
            assert_eq!(found, 99);
            assert_eq!(supported, kam::db::schema_version());
        }
        other => panic!("expected SchemaTooNew, got {other:?}"),
    }
    let raw = rusqlite::Connection::open(&path).unwrap();
    let version: i64 = raw.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(version, 99, "no migration ran");
    assert_eq!(count(&raw, "sqlite_master WHERE name = 'customer'"), 0);
    assert_eq!(count(&raw, "sqlite_master WHERE name = 'future_thing'"), 1);
}

#[test]
fn a_text_file_is_not_a_database() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    let content = "客户名单: 这不是数据库。This is not a kam database.\n".repeat(100);
    std::fs::write(&path, &content).unwrap();
    match open_err(&path) {
        DbError::NotKam { path: shown, why: kam::db::NotKam::Foreign(kam::db::file_kind::Foreign::NotSqlite) } => {
            assert!(shown.ends_with("notes.txt"), "{shown}")
        }
        other => panic!("expected NotKam, got {other:?}"),
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), content, "the user's file is not modified");
}

// ---------------------------------------------------------------------------
// 3. system-assigned IDs

#[test]
fn ids_are_assigned_by_division_sequence_and_branch() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let a = actor(&m);
    let unit = s.org.unit;
    let nc = |name: &str| new_customer(name, &format!("{name}有限公司"), unit, m.id);

    let first = create(&mut s.db.store, &a, &nc("甲"));
    assert_eq!(first.as_str(), "44010600001000");
    let second = create(&mut s.db.store, &a, &nc("乙"));
    assert_eq!(second.as_str(), "44010600002000");
    let branch1 = create(&mut s.db.store, &a, &nc("甲一分部").branch_of(&first));
    assert_eq!(branch1.as_str(), "44010600001001");
    let branch2 = create(&mut s.db.store, &a, &nc("甲二分部").branch_of(&first));
    assert_eq!(branch2.as_str(), "44010600001002");
    let second_branch = create(&mut s.db.store, &a, &nc("乙一分部").branch_of(&second));
    assert_eq!(second_branch.as_str(), "44010600002001");
    // Branches do not use up headquarters sequences.
    let third = create(&mut s.db.store, &a, &nc("丙"));
    assert_eq!(third.as_str(), "44010600003000");
    // Another division counts from 00001.
    let elsewhere = create(&mut s.db.store, &a, &nc("丁").in_division("440104"));
    assert_eq!(elsewhere.as_str(), "44010400001000");
    let elsewhere2 = create(&mut s.db.store, &a, &nc("戊").in_division("440104"));
    assert_eq!(elsewhere2.as_str(), "44010400002000");
    let fourth = create(&mut s.db.store, &a, &nc("己"));
    assert_eq!(fourth.as_str(), "44010600004000");

    let family: Vec<String> =
        customers::family(s.conn(), &branch2).unwrap().into_iter().map(|r| r.id.to_string()).collect();
    assert_eq!(family, ["44010600001000", "44010600001001", "44010600001002"]);

    let before = s.db.count("customer");
    // A branch of a branch, and a branch of a headquarters that does not exist.
    assert!(matches!(customers::create(&mut s.db.store, &a, &nc("孙").branch_of(&branch1), GD), Err(DbError::Id(_))));
    assert!(matches!(
        customers::create(&mut s.db.store, &a, &nc("无").branch_of(&cid("44010600099000")), GD),
        Err(DbError::NotFound)
    ));
    assert_eq!(s.db.count("customer"), before);
}

#[test]
fn a_required_field_missing_is_refused_before_writing() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let mut nc = new_customer("甲", "甲有限公司", s.org.unit, m.id);
    nc.values.remove("stage");
    assert!(matches!(
        customers::create(&mut s.db.store, &actor(&m), &nc, GD),
        Err(DbError::Invalid(kam::db::Invalid::Required("stage")))
    ));
    let nc = new_customer("甲", "甲有限公司", s.org.unit, m.id).with("full_name", FieldValue::Null);
    assert!(matches!(
        customers::create(&mut s.db.store, &actor(&m), &nc, GD),
        Err(DbError::Invalid(kam::db::Invalid::Required("full_name")))
    ));
    assert_eq!(s.db.count("customer"), 0);
    assert_eq!(s.db.count("history WHERE entity <> 'staff'"), 0);
}

// ---------------------------------------------------------------------------
// 4. failures roll back

#[test]
fn a_create_that_hits_a_foreign_key_leaves_nothing() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let a = actor(&m);
    let ghost_owner = new_customer("甲", "甲有限公司", s.org.unit, 9_999);
    match customers::create(&mut s.db.store, &a, &ghost_owner, GD) {
        // SQLite says "FOREIGN KEY constraint failed", PostgreSQL "violates foreign key constraint".
        Err(DbError::Invalid(kam::db::Invalid::Constraint(msg))) => {
            assert!(msg.to_lowercase().contains("foreign key"), "{msg}")
        }
        other => panic!("expected a foreign-key refusal, got {other:?}"),
    }
    let ghost_unit = new_customer("甲", "甲有限公司", 9_999, m.id);
    assert!(matches!(customers::create(&mut s.db.store, &a, &ghost_unit, GD), Err(DbError::Invalid(_))));
    assert_eq!(s.db.count("customer"), 0);
    assert_eq!(s.db.count("registration"), 0);
    assert_eq!(s.db.count("history WHERE entity <> 'staff'"), 0);

    // The store is usable afterwards, and the failed attempts used up no sequence.
    let id = create(&mut s.db.store, &a, &new_customer("甲", "甲有限公司", s.org.unit, m.id));
    assert_eq!(id.as_str(), "44010600001000");
    assert_eq!(s.db.count("registration"), 1);
}

#[test]
fn a_write_whose_later_statement_fails_leaves_nothing() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let a = actor(&m);
    let nc = new_customer("甲", "甲有限公司", s.org.unit, m.id);
    let id = cid("44010600001000");
    let result = s.db.store.write(|tx| {
        customers::insert_customer(tx, &a, &id, &nc.values, GD, "pending")?;
        assert_eq!(count(tx, "customer"), 1, "the insert itself succeeded");
        assert_eq!(count(tx, "history WHERE entity <> 'staff'"), 1);
        // A registration naming a unit that does not exist.
        tx.exec(
            "INSERT INTO registration (customer_id, unit_id, owner_id, reason, filed_by, filed_at) \
             VALUES (?1, 9999, ?2, 'r', ?2, '2026-11-23 09:00:00')",
            args![id.as_str(), m.id],
        )?;
        Ok(())
    });
    assert!(matches!(result, Err(DbError::Sqlite(_) | DbError::Engine(EngineError::Postgres(_)))), "{result:?}");
    assert_eq!(s.db.count("customer"), 0);
    assert_eq!(s.db.count("registration"), 0);
    assert_eq!(s.db.count("history WHERE entity <> 'staff'"), 0);

    // An error returned by the closure itself rolls back too.
    let result: Result<(), DbError> = s.db.store.write(|tx| {
        customers::insert_customer(tx, &a, &id, &nc.values, GD, "pending")?;
        Err(DbError::Invalid(kam::db::Invalid::Required("reason")))
    });
    assert!(matches!(result, Err(DbError::Invalid(_))));
    assert_eq!(s.db.count("customer"), 0);
    assert_eq!(s.db.count("history WHERE entity <> 'staff'"), 0);

    // No transaction was left open: the next write commits and is seen by another connection.
    let created = create(&mut s.db.store, &a, &nc);
    assert_eq!(created, id);
    let other = s.db.reopen();
    assert_eq!(count(other.conn(), "customer"), 1);
}

// ---------------------------------------------------------------------------
// 5. history on every edit

#[test]
fn creating_a_customer_writes_one_create_row() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let id = create(&mut s.db.store, &actor(&m), &new_customer("甲", "甲有限公司", s.org.unit, m.id));
    let rows = history_since(s.conn(), 0);
    assert_eq!(
        rows,
        [H {
            entity: "customer".into(),
            entity_id: id.as_str().into(),
            customer_id: Some(id.as_str().into()),
            action: "create".into(),
            field: None,
            old: None,
            new: None,
            by: m.id,
            at: common::history_time("2026-11-23 09:00:00+08:00"),
        }]
    );
    let d = customers::load(s.conn(), &id).unwrap();
    assert_eq!(d.version, 1);
    assert_eq!(d.created_at, "2026-11-23 09:00:00");
    assert_eq!(d.updated_by, "张伟");
    assert_eq!(d.registration, "pending");
}

#[test]
fn an_update_writes_one_row_per_changed_field() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let id = create(&mut s.db.store, &actor(&m), &new_customer("甲", "甲有限公司", s.org.unit, m.id));
    let mark = last_history_id(s.conn());
    let base = customers::load(s.conn(), &id).unwrap();
    let later = actor_at(&m, at(2026, 11, 24, 10, 30));
    let v = customers::update(
        &mut s.db.store,
        &later,
        &base,
        &[("short_name", text("甲物流")), ("address", text("广州市天河路1号")), ("full_name", text("甲有限公司"))],
        GD,
    )
    .unwrap();
    assert_eq!(v, 2);
    let stamp = "2026-11-24 10:30:00";
    assert_eq!(
        history_since(s.conn(), mark),
        [
            update_row(&id, "short_name", Some("甲"), Some("甲物流"), &m, stamp),
            update_row(&id, "address", None, Some("广州市天河路1号"), &m, stamp),
        ],
        "full_name was sent unchanged and is not recorded"
    );

    // The reader names the author and lists newest first.
    let rows = history::for_customer(s.conn(), &id, 0, 10).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(history::count_for_customer(s.conn(), &id).unwrap(), 3);
    assert_eq!(rows[0].field.as_deref(), Some("address"));
    assert_eq!(rows[0].changed_by, "张伟");
    assert_eq!(common::read_history_time(rows[0].changed_at.clone()), common::history_time(stamp));
    assert_eq!(rows[2].action, "create");
    assert_eq!(history::for_customer(s.conn(), &id, 2, 10).unwrap().len(), 1, "paged");

    let d = customers::load(s.conn(), &id).unwrap();
    assert_eq!(d.updated_at, stamp);
    assert_eq!(d.version, 2);

    // Saving the same values again changes nothing and writes nothing.
    let mark = last_history_id(s.conn());
    let v = customers::update(&mut s.db.store, &later, &d, &[("short_name", text("甲物流"))], GD).unwrap();
    assert_eq!(v, 2);
    assert!(history_since(s.conn(), mark).is_empty());
}

#[test]
fn archiving_is_recorded_and_reversible() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let sup = s.org.supervisor.clone();
    let id = create(&mut s.db.store, &actor(&m), &new_customer("甲", "甲有限公司", s.org.unit, m.id));
    let mark = last_history_id(s.conn());
    let when = at(2026, 11, 25, 16, 0);
    customers::set_archived(&mut s.db.store, &actor_at(&sup, when), &id, true).unwrap();
    assert_eq!(
        history_since(s.conn(), mark),
        [update_row(&id, "archived", Some("0"), Some("1"), &sup, "2026-11-25 16:00:00")]
    );
    let d = customers::load(s.conn(), &id).unwrap();
    assert!(d.archived);
    assert_eq!(d.version, 2);
    assert_eq!(customers::count(s.conn(), &CustomerQuery::default()).unwrap(), 0);

    let mark = last_history_id(s.conn());
    customers::set_archived(&mut s.db.store, &actor(&m), &id, false).unwrap();
    assert_eq!(
        history_since(s.conn(), mark),
        [update_row(&id, "archived", Some("1"), Some("0"), &m, "2026-11-23 09:00:00")]
    );
    assert_eq!(customers::count(s.conn(), &CustomerQuery::default()).unwrap(), 1);
}

#[test]
fn key_person_and_competitor_edits_are_recorded_against_the_customer() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let a = actor(&m);
    let id = create(&mut s.db.store, &a, &new_customer("甲", "甲有限公司", s.org.unit, m.id));

    let mark = last_history_id(s.conn());
    let pid = records::insert(&mut s.db.store, &a, RecordKind::KeyPerson, &id, &person("陈建国", "总经理")).unwrap();
    let rows = history_since(s.conn(), mark);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        rows[0],
        H {
            entity: "key_person".into(),
            entity_id: pid.to_string(),
            customer_id: Some(id.as_str().into()),
            action: "create".into(),
            field: None,
            old: None,
            new: Some("陈建国".into()),
            by: m.id,
            at: common::history_time("2026-11-23 09:00:00+08:00"),
        }
    );

    let base = records::list(s.conn(), RecordKind::KeyPerson, &id, false).unwrap().remove(0);
    assert_eq!(base.id, pid);
    let mark = last_history_id(s.conn());
    let later = actor_at(&m, at(2026, 12, 1, 8, 15));
    let v =
        records::update(&mut s.db.store, &later, RecordKind::KeyPerson, &base, &[("title", text("董事长"))]).unwrap();
    assert_eq!(v, 2);
    let rows = history_since(s.conn(), mark);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].entity, "key_person");
    assert_eq!(rows[0].customer_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        (rows[0].field.as_deref(), rows[0].old.as_deref(), rows[0].new.as_deref()),
        (Some("title"), Some("总经理"), Some("董事长"))
    );
    assert_eq!(rows[0].at, common::history_time("2026-12-01 08:15:00+08:00"));

    let mark = last_history_id(s.conn());
    records::set_archived(&mut s.db.store, &a, RecordKind::KeyPerson, pid, true).unwrap();
    let rows = history_since(s.conn(), mark);
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(
        (rows[0].field.as_deref(), rows[0].old.as_deref(), rows[0].new.as_deref()),
        (Some("archived"), Some("0"), Some("1"))
    );
    assert_eq!(rows[0].customer_id.as_deref(), Some(id.as_str()));
    assert!(records::list(s.conn(), RecordKind::KeyPerson, &id, false).unwrap().is_empty());
    let all = records::list(s.conn(), RecordKind::KeyPerson, &id, true).unwrap();
    assert_eq!(all.len(), 1);
    assert!(all[0].archived);

    let mark = last_history_id(s.conn());
    let rival = BTreeMap::from([("name", text("顺丰速运")), ("market_share", text("约三成"))]);
    let rival_id = records::insert(&mut s.db.store, &a, RecordKind::Competitor, &id, &rival).unwrap();
    let rows = history_since(s.conn(), mark);
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].entity.as_str(), rows[0].entity_id.clone()), ("competitor", rival_id.to_string()));
    assert_eq!(rows[0].customer_id.as_deref(), Some(id.as_str()));
    assert_eq!(history::count_for_customer(s.conn(), &id).unwrap(), 5);
}

#[test]
fn history_is_append_only_and_customers_are_never_deleted() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let a = actor(&m);
    let id = create(&mut s.db.store, &a, &new_customer("甲", "甲有限公司", s.org.unit, m.id));
    records::insert(&mut s.db.store, &a, RecordKind::KeyPerson, &id, &person("陈建国", "总经理")).unwrap();
    records::insert(&mut s.db.store, &a, RecordKind::Competitor, &id, &BTreeMap::from([("name", text("中通"))]))
        .unwrap();
    let history_before = history_since(s.conn(), 0);
    assert_eq!(history_before.len(), 3);

    let conn = s.conn();
    for (sql, why) in [
        ("UPDATE history SET new_value = 'forged'", "append-only"),
        ("UPDATE history SET changed_by = 0 WHERE action = 'create'", "append-only"),
        ("DELETE FROM history", "append-only"),
        ("DELETE FROM customer", "never deleted"),
        ("DELETE FROM key_person", "never deleted"),
        ("DELETE FROM competitor", "never deleted"),
    ] {
        let err = conn.exec(sql, args![]).expect_err(sql);
        assert!(err.to_string().contains(why), "{sql}: {err}");
    }
    assert_eq!(history_since(s.conn(), 0), history_before);
    assert_eq!(s.db.count("customer"), 1);
    assert_eq!(s.db.count("key_person"), 1);
    assert_eq!(s.db.count("competitor"), 1);
}

// ---------------------------------------------------------------------------
// 6. versioned edits

/// A customer owned by 张伟 (A) with 李娜 as assistant (B), so both may edit it.
fn shared_customer(s: &mut Seeded) -> CustomerId {
    let m = s.org.manager.clone();
    let nc = new_customer("甲", "甲有限公司", s.org.unit, m.id).with("owner_b", FieldValue::Int(s.org.manager2.id));
    create(&mut s.db.store, &actor(&m), &nc)
}

#[test]
fn edits_to_different_fields_from_the_same_version_merge() {
    let mut s = Seeded::new();
    let (ma, mb) = (s.org.manager.clone(), s.org.manager2.clone());
    let id = shared_customer(&mut s);
    let base_a = customers::load(s.conn(), &id).unwrap();
    let base_b = customers::load(s.conn(), &id).unwrap();
    assert_eq!(base_a.version, 1);

    let va = customers::update(&mut s.db.store, &actor(&ma), &base_a, &[("short_name", text("甲A"))], GD).unwrap();
    assert_eq!(va, 2);
    let vb = customers::update(&mut s.db.store, &actor(&mb), &base_b, &[("address", text("B填写的地址"))], GD).unwrap();
    assert_eq!(vb, 3);
    let now = customers::load(s.conn(), &id).unwrap();
    assert_eq!(now.version, base_b.version + 2);
    assert_eq!(now.text("short_name"), "甲A", "A's change survives B's save");
    assert_eq!(now.text("address"), "B填写的地址");
    assert_eq!(now.updated_by, "李娜");
}

#[test]
fn a_stale_edit_of_the_same_field_is_refused_and_writes_nothing() {
    let mut s = Seeded::new();
    let (ma, mb) = (s.org.manager.clone(), s.org.manager2.clone());
    let id = shared_customer(&mut s);
    let base_a = customers::load(s.conn(), &id).unwrap();
    let base_b = customers::load(s.conn(), &id).unwrap();
    customers::update(
        &mut s.db.store,
        &actor_at(&ma, at(2026, 11, 23, 10, 0)),
        &base_a,
        &[("short_name", text("甲A"))],
        GD,
    )
    .unwrap();
    let mark = last_history_id(s.conn());
    let stored = customers::load(s.conn(), &id).unwrap();

    let b_later = actor_at(&mb, at(2026, 11, 30, 11, 0));
    let result = customers::update(
        &mut s.db.store,
        &b_later,
        &base_b,
        &[("short_name", text("甲B")), ("phone", text("020-12345678"))],
        GD,
    );
    match result {
        Err(DbError::Conflict(c)) => {
            assert_eq!(c.current_version, 2);
            assert_eq!(c.changed_by, "张伟");
            // The time of the change is history's.
            let then = common::history_time("2026-11-23 10:00:00");
            assert_eq!(common::read_history_time(c.changed_at.clone()), then);
            let changes: Vec<_> =
                c.changes.iter().map(|c| (c.field.as_str(), c.then.as_str(), c.now.as_str())).collect();
            assert_eq!(changes, [("short_name", "甲", "甲A")]);
            assert_eq!((c.changes[0].by.as_str(), common::read_history_time(c.changes[0].at.clone())), ("张伟", then));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(history_since(s.conn(), mark).is_empty(), "no history for the refused save");
    let after = customers::load(s.conn(), &id).unwrap();
    assert_eq!(after, stored, "the refused save (phone included) wrote nothing, not even the freshness date");

    // Saving against the version now stored (the form's "overwrite") goes through.
    let v = customers::update(&mut s.db.store, &b_later, &after, &[("short_name", text("甲B"))], GD).unwrap();
    assert_eq!(v, 3);
    assert_eq!(customers::load(s.conn(), &id).unwrap().text("short_name"), "甲B");
}

/// The sequence of the brief: A saves short_name, B merges a different field,
/// then B saves short_name from the original (stale) base.
#[test]
fn after_a_merge_a_stale_edit_is_still_refused() {
    let mut s = Seeded::new();
    let (ma, mb) = (s.org.manager.clone(), s.org.manager2.clone());
    let id = shared_customer(&mut s);
    let base_a = customers::load(s.conn(), &id).unwrap();
    let base_b = customers::load(s.conn(), &id).unwrap();
    customers::update(&mut s.db.store, &actor(&ma), &base_a, &[("short_name", text("甲A"))], GD).unwrap();
    customers::update(&mut s.db.store, &actor(&mb), &base_b, &[("address", text("B填写的地址"))], GD).unwrap();
    let mark = last_history_id(s.conn());

    let result = customers::update(&mut s.db.store, &actor(&mb), &base_b, &[("short_name", text("甲B"))], GD);
    let Err(DbError::Conflict(c)) = result else { panic!("expected a conflict, got {result:?}") };
    assert_eq!(c.current_version, 3);
    assert!(
        c.changes.iter().any(|c| (c.field.as_str(), c.then.as_str(), c.now.as_str()) == ("short_name", "甲", "甲A"))
    );
    assert!(history_since(s.conn(), mark).is_empty());
    let now = customers::load(s.conn(), &id).unwrap();
    assert_eq!(now.version, 3);
    assert_eq!(now.text("short_name"), "甲A");
}

#[test]
fn a_conflict_names_who_changed_the_conflicting_field() {
    let mut s = Seeded::new();
    let (ma, mb) = (s.org.manager.clone(), s.org.manager2.clone());
    let id = shared_customer(&mut s);
    let base_a = customers::load(s.conn(), &id).unwrap();
    let base_b = customers::load(s.conn(), &id).unwrap();
    customers::update(&mut s.db.store, &actor(&ma), &base_a, &[("short_name", text("甲A"))], GD).unwrap();
    customers::update(&mut s.db.store, &actor(&mb), &base_b, &[("address", text("B填写的地址"))], GD).unwrap();

    let result = customers::update(&mut s.db.store, &actor(&mb), &base_b, &[("short_name", text("甲B"))], GD);
    let Err(DbError::Conflict(c)) = result else { panic!("expected a conflict, got {result:?}") };
    // The UI says "{changed_by} changed this record at {changed_at}" and lists
    // `changes` as "changed by someone else": that someone is A, and B's own
    // merged address is not someone else's change.
    assert_eq!(c.changed_by, "张伟", "{c:?}");
}

#[test]
fn key_person_edits_are_versioned_too() {
    let mut s = Seeded::new();
    let (ma, mb) = (s.org.manager.clone(), s.org.manager2.clone());
    let id = shared_customer(&mut s);
    let pid =
        records::insert(&mut s.db.store, &actor(&ma), RecordKind::KeyPerson, &id, &person("陈建国", "总经理")).unwrap();
    let base_a = records::list(s.conn(), RecordKind::KeyPerson, &id, false).unwrap().remove(0);
    let base_b = base_a.clone();
    records::update(&mut s.db.store, &actor(&ma), RecordKind::KeyPerson, &base_a, &[("title", text("董事长"))])
        .unwrap();
    let v = records::update(
        &mut s.db.store,
        &actor(&mb),
        RecordKind::KeyPerson,
        &base_b,
        &[("phone", text("13912345678"))],
    )
    .unwrap();
    assert_eq!(v, 3, "different fields merge");

    let mark = last_history_id(s.conn());
    let due_before = column(s.conn(), &id, "update_due_on");
    let later = actor_at(&mb, at(2027, 3, 1, 9, 0));
    let result = records::update(&mut s.db.store, &later, RecordKind::KeyPerson, &base_b, &[("title", text("副总"))]);
    match result {
        Err(DbError::Conflict(c)) => {
            assert_eq!(c.current_version, 3);
            assert!(
                c.changes
                    .iter()
                    .any(|c| (c.field.as_str(), c.then.as_str(), c.now.as_str()) == ("title", "总经理", "董事长"))
            );
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(history_since(s.conn(), mark).is_empty());
    assert_eq!(column(s.conn(), &id, "update_due_on"), due_before, "the refused save did not touch the dossier");
    let now = records::list(s.conn(), RecordKind::KeyPerson, &id, false).unwrap().remove(0);
    assert_eq!(now.id, pid);
    assert_eq!(now.version, 3);
    assert_eq!(now.value("title"), &text("董事长"));
    assert_eq!(now.value("phone"), &text("13912345678"));
}

// ---------------------------------------------------------------------------
// 7. two connections writing at once

#[test]
fn a_second_writer_waits_for_the_first_and_then_succeeds() {
    let s = Seeded::new();
    let mut first = s.db.reopen();
    let mut second = s.db.reopen();
    let (locked_tx, locked_rx) = mpsc::channel::<()>();

    let (first_result, (second_result, waited)) = thread::scope(|scope| {
        let holder = scope.spawn(move || {
            first.write(|tx| {
                tx.exec("INSERT INTO industry (code, name_zh, name_en) VALUES ('first', '先', 'first')", args![])?;
                locked_tx.send(()).unwrap();
                thread::sleep(Duration::from_millis(300));
                Ok(())
            })
        });
        let waiter = scope.spawn(move || {
            locked_rx.recv().unwrap();
            let started = Instant::now();
            let result = second.write(|tx| {
                tx.exec("INSERT INTO industry (code, name_zh, name_en) VALUES ('second', '后', 'second')", args![])?;
                Ok(())
            });
            (result, started.elapsed())
        });
        (holder.join().unwrap(), waiter.join().unwrap())
    });
    first_result.unwrap();
    second_result.unwrap();
    assert!(waited >= Duration::from_millis(200), "the second writer waited only {waited:?}");
    assert!(waited < Duration::from_secs(5), "the second writer waited {waited:?}");
    let order: Vec<String> = s.conn().rows("SELECT code FROM industry ORDER BY id", args![], |r| r.get(0)).unwrap();
    assert_eq!(order, ["first", "second"]);
}

#[test]
fn eight_writers_on_one_file_all_succeed() {
    const THREADS: usize = 8;
    const EDITS: i64 = 50;
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let sup = s.org.supervisor.clone();
    let ids: Vec<CustomerId> = (0..THREADS)
        .map(|i| {
            create(
                &mut s.db.store,
                &actor(&m),
                &new_customer(&format!("并发{i}"), &format!("并发测试{i}有限公司"), s.org.unit, m.id),
            )
        })
        .collect();
    let location = s.db.location.clone();

    thread::scope(|scope| {
        let handles: Vec<_> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let location = location.clone();
                // Half the threads are the owner, half the supervisor.
                let who = if i % 2 == 0 { m.clone() } else { sup.clone() };
                scope.spawn(move || {
                    // A connection of its own, as TestDb::reopen opens it.
                    let mut store = Store::open_existing_at(&location).unwrap();
                    let a = actor(&who);
                    for n in 1..=EDITS {
                        let base = customers::load(store.conn(), id).unwrap();
                        let v = customers::update(&mut store, &a, &base, &[("employees", FieldValue::Int(n))], GD)
                            .unwrap_or_else(|e| panic!("thread {i}, edit {n}: {e}"));
                        assert_eq!(v, n + 1);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap();
        }
    });

    for id in &ids {
        let d = customers::load(s.conn(), id).unwrap();
        assert_eq!(d.version, EDITS + 1);
        assert_eq!(d.value("employees"), &FieldValue::Int(EDITS));
        assert_eq!(history::count_for_customer(s.conn(), id).unwrap(), 1 + EDITS as u64);
    }
    assert_eq!(s.db.count("history WHERE entity <> 'staff'"), i64::try_from(THREADS).unwrap() * (1 + EDITS));
    assert_eq!(s.db.count("history WHERE field = 'employees'"), i64::try_from(THREADS).unwrap() * EDITS);
}

#[test]
fn concurrent_creates_get_distinct_consecutive_ids() {
    const THREADS: usize = 4;
    const EACH: usize = 10;
    let s = Seeded::new();
    let (m, unit) = (s.org.manager.clone(), s.org.unit);
    let location = s.db.location.clone();
    let created: Vec<CustomerId> = thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (location, m) = (location.clone(), m.clone());
                scope.spawn(move || {
                    let mut store = Store::open_existing_at(&location).unwrap();
                    (0..EACH)
                        .map(|i| {
                            let name = format!("线程{t}客户{i}");
                            create(&mut store, &actor(&m), &new_customer(&name, &format!("{name}有限公司"), unit, m.id))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let mut ids: Vec<String> = created.iter().map(|id| id.as_str().to_string()).collect();
    ids.sort();
    let expected: Vec<String> = (1..=THREADS * EACH).map(|n| format!("440106{n:05}000")).collect();
    assert_eq!(ids, expected);
    assert_eq!(s.db.count("registration"), i64::try_from(THREADS * EACH).unwrap());
    assert_eq!(
        s.db.count("history WHERE action = 'create' AND entity <> 'staff'"),
        i64::try_from(THREADS * EACH).unwrap()
    );
}

// ---------------------------------------------------------------------------
// 8. access rules

#[test]
fn managers_edit_only_their_own_customers() {
    let mut s = Seeded::new();
    let (m, m2, sup, lead) =
        (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone(), s.org.leader.clone());
    let id = create(&mut s.db.store, &actor(&m), &new_customer("甲", "甲有限公司", s.org.unit, m.id));
    let mark = last_history_id(s.conn());
    let base = customers::load(s.conn(), &id).unwrap();
    let edit = [("short_name", text("改名"))];

    let refused = |r: Result<_, DbError>, why: Refusal| match r {
        Err(DbError::Refused(got)) => assert_eq!(got, why),
        other => panic!("expected {why:?}, got {other:?}"),
    };
    refused(customers::update(&mut s.db.store, &actor(&m2), &base, &edit, GD).map(|_| ()), Refusal::NotYourCustomer);
    refused(customers::set_archived(&mut s.db.store, &actor(&m2), &id, true), Refusal::NotYourCustomer);
    refused(
        records::insert(&mut s.db.store, &actor(&m2), RecordKind::KeyPerson, &id, &person("陈", "总")).map(|_| ()),
        Refusal::NotYourCustomer,
    );
    refused(customers::update(&mut s.db.store, &actor(&lead), &base, &edit, GD).map(|_| ()), Refusal::ReadOnlyRole);
    refused(customers::set_archived(&mut s.db.store, &actor(&lead), &id, true), Refusal::ReadOnlyRole);
    assert!(history_since(s.conn(), mark).is_empty());
    assert_eq!(customers::load(s.conn(), &id).unwrap(), base);

    // The supervisor may, and making 李娜 the B manager lets her too.
    let v =
        customers::update(&mut s.db.store, &actor(&sup), &base, &[("owner_b", FieldValue::Int(m2.id))], GD).unwrap();
    let base = customers::load(s.conn(), &id).unwrap();
    assert_eq!(base.version, v);
    customers::update(&mut s.db.store, &actor(&m2), &base, &edit, GD).unwrap();
    assert_eq!(customers::load(s.conn(), &id).unwrap().text("short_name"), "改名");
}

#[test]
fn a_leader_cannot_create_a_customer() {
    let mut s = Seeded::new();
    let lead = s.org.leader.clone();
    let result =
        customers::create(&mut s.db.store, &actor(&lead), &new_customer("甲", "甲有限公司", s.org.unit, lead.id), GD);
    assert!(matches!(result, Err(DbError::Refused(Refusal::ReadOnlyRole))), "{result:?}");
    assert_eq!(s.db.count("customer"), 0);
    assert_eq!(s.db.count("registration"), 0);
}

#[test]
fn only_a_supervisor_decides_registrations_and_tiers() {
    let mut s = Seeded::new();
    let (m, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let id = create(&mut s.db.store, &actor(&m), &new_customer("甲", "甲有限公司", s.org.unit, m.id));
    let other = create(&mut s.db.store, &actor(&m), &new_customer("乙", "乙有限公司", s.org.unit, m.id));
    let mark = last_history_id(s.conn());

    let r = customers::decide_registration(&mut s.db.store, &actor(&m), &id, true, "");
    assert!(matches!(r, Err(DbError::Refused(Refusal::DecidedBy { .. }))), "{r:?}");
    let r = customers::override_tier(&mut s.db.store, &actor(&m), &id, Some(Tier::Diamond), "我说的", GD);
    assert!(matches!(r, Err(DbError::Refused(Refusal::DecidedBy { .. }))), "{r:?}");
    let r = customers::decide_registration(&mut s.db.store, &actor(&s.org.leader.clone()), &id, true, "");
    assert!(matches!(r, Err(DbError::Refused(Refusal::DecidedBy { .. }))), "{r:?}");
    assert!(history_since(s.conn(), mark).is_empty());
    assert_eq!(customers::load(s.conn(), &id).unwrap().registration, "pending");
    assert_eq!(customers::load(s.conn(), &id).unwrap().tier, Tier::General);

    let when = at(2026, 11, 26, 14, 5);
    customers::decide_registration(&mut s.db.store, &actor_at(&sup, when), &id, true, "签约地在本单位").unwrap();
    let d = customers::load(s.conn(), &id).unwrap();
    assert_eq!(d.registration, "approved");
    assert_eq!(d.version, 2);
    let reg: (String, Option<i64>, Option<String>, Option<String>) = s
        .conn()
        .row(
            "SELECT decision, decided_by, decided_at, decision_note FROM registration WHERE customer_id = ?1",
            args![id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!(
        reg,
        ("approved".into(), Some(sup.id), Some("2026-11-26 14:05:00+08:00".into()), Some("签约地在本单位".into()))
    );
    let rows = history_since(s.conn(), mark);
    let decision = rows.iter().find(|h| h.entity == "registration").expect("a registration history row");
    assert_eq!(decision.customer_id.as_deref(), Some(id.as_str()));
    assert_eq!(
        (decision.field.as_deref(), decision.old.as_deref(), decision.new.as_deref()),
        (Some("decision"), Some("pending"), Some("approved"))
    );
    assert_eq!((decision.by, decision.at.clone()), (sup.id, common::history_time("2026-11-26 14:05:00+08:00")));
    assert!(rows.contains(&update_row(
        &id,
        "registration",
        Some("pending"),
        Some("approved"),
        &sup,
        "2026-11-26 14:05:00"
    )));
    assert_eq!(rows.len(), 2, "{rows:?}");

    // A decided registration cannot be decided again.
    assert!(matches!(
        customers::decide_registration(&mut s.db.store, &actor(&sup), &id, false, "x"),
        Err(DbError::NotFound)
    ));
    customers::decide_registration(&mut s.db.store, &actor(&sup), &other, false, "已由越秀区登记").unwrap();
    assert_eq!(customers::load(s.conn(), &other).unwrap().registration, "rejected");
    let pending = CustomerQuery {
        filter: CustomerFilter { pending_registration: true, ..Default::default() },
        ..Default::default()
    };
    assert_eq!(customers::count(s.conn(), &pending).unwrap(), 0);
}

// ---------------------------------------------------------------------------
// 9. tiers, computed and cached

fn tier_columns(conn: &impl Sql, id: &CustomerId) -> (String, i64, String, Option<String>, Option<String>, String) {
    conn.row(
        "SELECT tier, tier_rank, tier_preset, tier_override, tier_override_reason, update_due_on FROM customer WHERE id = ?1",
        args![id.as_str()],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
    )
    .unwrap()
}

#[test]
fn the_tier_is_computed_on_create_and_cached() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let a = actor(&m);
    let unit = s.org.unit;
    let nc = |name: &str| new_customer(name, &format!("{name}有限公司"), unit, m.id);
    // X = 1,200,000 ≥ 1,000,000 → 60; Y = X / 400,000,000 = 3‰ exactly → 40.
    s.set_unit_revenue(s.org.unit, "400000000");
    let diamond = create(&mut s.db.store, &a, &nc("钻").revenue("1200000"));
    assert_eq!(
        tier_columns(s.conn(), &diamond),
        ("diamond".into(), 0, "guangdong-score".into(), None, None, "2026-12-08".into())
    );
    assert_eq!(customers::load(s.conn(), &diamond).unwrap().tier, Tier::Diamond);

    // 90 points exactly: 60 + 2.25‰ / 3‰ × 40 = 60 + 30. One fen more unit revenue is gold.
    s.set_unit_revenue(s.org.unit, "600000000");
    let edge = create(&mut s.db.store, &a, &nc("边界").revenue("1350000"));
    assert_eq!(tier_columns(s.conn(), &edge).0, "diamond");
    s.set_unit_revenue(s.org.unit, "600000000.01");
    let below = create(&mut s.db.store, &a, &nc("差一分").revenue("1350000"));
    assert_eq!(tier_columns(s.conn(), &below).0, "gold");
    assert_eq!(tier_columns(s.conn(), &below).1, 2);

    // Money round-trips exactly through integer fen.
    let d = customers::load(s.conn(), &below).unwrap();
    assert_eq!(d.tier_inputs().unit_revenue, Some("600000000.01".parse().unwrap()));
    let fen: i64 = s
        .conn()
        .row("SELECT amount FROM unit_revenue WHERE unit_id = ?1 AND year = 2026", args![s.org.unit], |r| r.get(0))
        .unwrap();
    assert_eq!(fen, 60_000_000_001);

    // Without the unit's revenue the share part scores 0: 60 points, general.
    s.set_unit_revenue(s.org.unit, "0");
    let no_share = create(&mut s.db.store, &a, &nc("无份额").revenue("5000000"));
    assert_eq!(tier_columns(s.conn(), &no_share).0, "general");

    // The next edit after the unit's revenue changed re-tiers and records the change of tier.
    s.set_unit_revenue(s.org.unit, "1000000000");
    let mark = last_history_id(s.conn());
    let base = customers::load(s.conn(), &no_share).unwrap();
    customers::update(&mut s.db.store, &a, &base, &[("address", text("广州市天河路1号"))], GD).unwrap();
    assert_eq!(tier_columns(s.conn(), &no_share).0, "diamond");
    let rows = history_since(s.conn(), mark);
    assert!(
        rows.contains(&update_row(&no_share, "tier", Some("general"), Some("diamond"), &m, "2026-11-23 09:00:00")),
        "{rows:?}"
    );
}

#[test]
fn a_supervisor_overrides_a_tier_with_a_reason_and_lifts_it() {
    let mut s = Seeded::new();
    let (m, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    s.set_unit_revenue(s.org.unit, "400000000");
    let id =
        create(&mut s.db.store, &actor(&m), &new_customer("钻", "钻有限公司", s.org.unit, m.id).revenue("1200000"));
    let reason = "省中心批准的特殊客户";

    let mark = last_history_id(s.conn());
    let blank = customers::override_tier(&mut s.db.store, &actor(&sup), &id, Some(Tier::Gold), "  ", GD);
    assert!(matches!(blank, Err(DbError::Invalid(_))), "{blank:?}");
    assert!(history_since(s.conn(), mark).is_empty());

    let when = at(2026, 11, 24, 9, 0);
    customers::override_tier(&mut s.db.store, &actor_at(&sup, when), &id, Some(Tier::Gold), reason, GD).unwrap();
    // Due one month after the dossier's last update (2026-11-23), gold's cadence.
    assert_eq!(
        tier_columns(s.conn(), &id),
        ("gold".into(), 2, "guangdong-score".into(), Some("gold".into()), Some(reason.into()), "2026-12-23".into())
    );
    let d = customers::load(s.conn(), &id).unwrap();
    assert_eq!(
        (d.tier, d.tier_override, d.tier_override_reason.as_deref()),
        (Tier::Gold, Some(Tier::Gold), Some(reason))
    );
    let stamp = "2026-11-24 09:00:00";
    let rows = history_since(s.conn(), mark);
    assert_eq!(
        rows,
        [
            update_row(&id, "tier", Some("diamond"), Some("gold"), &sup, stamp),
            update_row(&id, "tier_override", None, Some("gold"), &sup, stamp),
            update_row(&id, "tier_override_reason", None, Some(reason), &sup, stamp),
        ]
    );

    // Editing the inputs keeps the override.
    let base = customers::load(s.conn(), &id).unwrap();
    customers::update(
        &mut s.db.store,
        &actor(&m),
        &base,
        &[("annual_revenue", FieldValue::Money(yuan("3000000")))],
        GD,
    )
    .unwrap();
    assert_eq!(tier_columns(s.conn(), &id).0, "gold");

    // Lifting it restores the computed tier.
    customers::override_tier(&mut s.db.store, &actor(&sup), &id, None, "", GD).unwrap();
    let (tier, rank, _, over, why, due) = tier_columns(s.conn(), &id);
    assert_eq!((tier.as_str(), rank, over, why), ("diamond", 0, None, None));
    assert_eq!(due, "2026-12-08");
    assert_eq!(customers::load(s.conn(), &id).unwrap().tier_override, None);
}

#[test]
fn retier_all_applies_another_preset_and_counts_the_changes() {
    let mut s = Seeded::new();
    let (m, sup) = (s.org.manager.clone(), s.org.supervisor.clone());
    let a = actor(&m);
    let unit = s.org.unit;
    let nc = |name: &str| new_customer(name, &format!("{name}有限公司"), unit, m.id);
    s.set_unit_revenue(s.org.unit, "400000000");
    let big = create(&mut s.db.store, &a, &nc("大").revenue("1200000")); // GD diamond, bands gold
    s.set_unit_revenue(s.org.unit, "0");
    let small = create(&mut s.db.store, &a, &nc("小").revenue("50000")); // GD general, bands VIP
    let zero = create(&mut s.db.store, &a, &nc("零")); // general under both
    s.set_unit_revenue(s.org.unit, "1000000000");
    let huge = create(&mut s.db.store, &a, &nc("巨").revenue("6000000")); // diamond under both
    s.set_unit_revenue(s.org.unit, "400000000");
    let held = create(&mut s.db.store, &a, &nc("定").revenue("1200000"));
    customers::override_tier(&mut s.db.store, &actor(&sup), &held, Some(Tier::Silver), "特批", GD).unwrap();
    assert_eq!(customers::stored_preset(s.conn()).unwrap().as_deref(), Some("guangdong-score"));

    let mark = last_history_id(s.conn());
    let later = actor_at(&sup, at(2026, 12, 1, 8, 0));
    let changed = customers::retier_all(&mut s.db.store, &later, TierPreset::LetterBands).unwrap();
    assert_eq!(changed, 2);
    let tiers: Vec<String> =
        [&big, &small, &zero, &huge, &held].iter().map(|id| tier_columns(s.conn(), id).0).collect();
    assert_eq!(tiers, ["gold", "vip", "general", "diamond", "silver"]);
    assert_eq!(s.db.count("customer WHERE tier_preset = 'letter-bands'"), 5);
    assert_eq!(customers::stored_preset(s.conn()).unwrap().as_deref(), Some("letter-bands"));
    // The cadence follows the new tier from the dossier's last update.
    assert_eq!(tier_columns(s.conn(), &big).5, "2026-12-23");
    assert_eq!(tier_columns(s.conn(), &small).5, "2027-02-23");
    let tier_rows: Vec<H> =
        history_since(s.conn(), mark).into_iter().filter(|h| h.field.as_deref() == Some("tier")).collect();
    assert_eq!(tier_rows.len(), 2, "{tier_rows:?}");

    assert_eq!(customers::retier_all(&mut s.db.store, &later, TierPreset::LetterBands).unwrap(), 0);
    assert_eq!(customers::retier_all(&mut s.db.store, &later, GD).unwrap(), 2);
    assert_eq!(tier_columns(s.conn(), &big).0, "diamond");
    assert_eq!(tier_columns(s.conn(), &small).0, "general");
}

// ---------------------------------------------------------------------------
// 10. search and paging

struct Fixture {
    s: Seeded,
    unit2: i64,
    all: Vec<Info>,
    telecom: CustomerId,
    wildcard: CustomerId,
    injection: CustomerId,
    backslash: CustomerId,
}

#[derive(Debug, Clone)]
struct Info {
    id: String,
    owner_a: i64,
    owner_b: Option<i64>,
    unit: i64,
    tier: Tier,
    early: bool,
    approved: bool,
    archived: bool,
    watch: bool,
}

impl Fixture {
    fn expect(&self, keep: impl Fn(&Info) -> bool) -> BTreeSet<String> {
        self.all.iter().filter(|c| keep(c)).map(|c| c.id.clone()).collect()
    }
}

/// 60 customers: 56 fillers with a spread of owners, units, tiers, dates,
/// registrations, statuses and two archived, plus four with telling names.
fn search_fixture() -> Fixture {
    let mut s = Seeded::new();
    let (m, m2, sup) = (s.org.manager.clone(), s.org.manager2.clone(), s.org.supervisor.clone());
    let unit = s.org.unit;
    let unit2 = add_unit(&mut s.db.store, "440104", "440104");
    // Under the seeded unit, whose supervisor approves some of its registrations below.
    s.conn().exec("UPDATE org_unit SET parent_id = ?1 WHERE id = ?2", args![unit, unit2]).unwrap();
    // U = 500,000,000: 1,200,000 scores 92 (diamond), 1,000,000 scores 86.67 (gold).
    s.set_unit_revenue(unit, "500000000");
    s.set_unit_revenue(unit2, "500000000");
    let mut all = Vec::new();
    let mut ids = Vec::new();
    for i in 0..56 {
        let owner_a = if i % 4 == 0 { &m2 } else { &m };
        let owner_b = (i % 6 == 1 && owner_a.id == m.id).then_some(m2.id);
        let unit_id = if i % 5 == 0 { unit2 } else { unit };
        let early = i % 3 == 0;
        let mut nc =
            new_customer(&format!("测试{i:02}号"), &format!("广州测试{i:02}号贸易有限公司"), unit_id, owner_a.id);
        if let Some(b) = owner_b {
            nc = nc.with("owner_b", FieldValue::Int(b));
        }
        let tier = match i % 7 {
            0 => {
                nc = nc.revenue("1200000");
                Tier::Diamond
            }
            1 => {
                nc = nc.revenue("1000000");
                Tier::Gold
            }
            _ => Tier::General,
        };
        let when = if early { at(2026, 1, 10, 9, 0) } else { fixed_now() };
        let id = create(&mut s.db.store, &actor_at(owner_a, when), &nc);
        all.push(Info {
            id: id.as_str().to_string(),
            owner_a: owner_a.id,
            owner_b,
            unit: unit_id,
            tier,
            early,
            approved: false,
            archived: false,
            watch: false,
        });
        ids.push(id);
    }
    let sup_a = actor(&sup);
    for (i, info) in all.iter_mut().enumerate() {
        if i % 8 == 3 {
            customers::decide_registration(&mut s.db.store, &sup_a, &ids[i], true, "").unwrap();
            info.approved = true;
        }
        if i == 5 || i == 13 {
            customers::set_archived(&mut s.db.store, &sup_a, &ids[i], true).unwrap();
            info.archived = true;
        }
        if i == 2 {
            // Status is set by the monthly analysis, not by the dossier form.
            s.db.store
                .conn()
                .exec(
                    "UPDATE customer SET status = 'watch', updated_by = ?1, updated_at = ?2 WHERE id = ?3",
                    args![sup.id, sup_a.stamp(), ids[i].as_str()],
                )
                .unwrap();
            info.watch = true;
        }
    }
    let mut special = |short: &str, full: &str| {
        let id = create(&mut s.db.store, &actor(&m), &new_customer(short, full, unit, m.id));
        all.push(Info {
            id: id.as_str().to_string(),
            owner_a: m.id,
            owner_b: None,
            unit,
            tier: Tier::General,
            early: false,
            approved: false,
            archived: false,
            watch: false,
        });
        id
    };
    let telecom = special("电信帐务中心", "中国电信广州分公司帐务中心");
    let wildcard = special("折扣%_公司", "百分之百折扣有限公司");
    let injection = special("x'; DROP TABLE customer; --", "注入测试有限公司");
    let backslash = special("路径\\测试", "反斜杠有限公司");
    Fixture { s, unit2, all, telecom, wildcard, injection, backslash }
}

#[test]
fn search_finds_by_pinyin_initials_full_pinyin_hanzi_and_id() {
    let f = search_fixture();
    let conn = f.s.conn();
    let only = BTreeSet::from([f.telecom.as_str().to_string()]);
    let grouped = f.telecom.formatted();
    for needle in ["dxzw", "DX ZW", "dianxin", "电信", "帐务", "zhangwu", f.telecom.as_str(), grouped.as_str()] {
        assert_eq!(ids_of(conn, &query(needle, CustomerFilter::default())), only, "search {needle:?}");
    }
    // The division prefix every ID shares finds every active customer.
    assert_eq!(ids_of(conn, &query("440106", CustomerFilter::default())), f.expect(|c| !c.archived));
    assert!(ids_of(conn, &query("nosuchcustomer", CustomerFilter::default())).is_empty());
}

#[test]
fn search_follows_a_rename_and_short_queries_work() {
    let mut f = search_fixture();
    let only = BTreeSet::from([f.telecom.as_str().to_string()]);
    for needle in ["dx", "电", "DX"] {
        assert_eq!(ids_of(f.s.conn(), &query(needle, CustomerFilter::default())), only, "search {needle:?}");
    }
    let base = customers::load(f.s.conn(), &f.telecom).unwrap();
    let m = f.s.org.manager.clone();
    customers::update(&mut f.s.db.store, &actor(&m), &base, &[("short_name", text("移动营业厅"))], GD).unwrap();
    assert!(ids_of(f.s.conn(), &query("dxzw", CustomerFilter::default())).is_empty(), "the old short name is gone");
    // The full name still holds 电信.
    assert_eq!(ids_of(f.s.conn(), &query("电信", CustomerFilter::default())), only);
    assert_eq!(ids_of(f.s.conn(), &query("ydyyt", CustomerFilter::default())), only);
    let base = customers::load(f.s.conn(), &f.telecom).unwrap();
    customers::update(&mut f.s.db.store, &actor(&m), &base, &[("full_name", text("广州移动营业厅有限公司"))], GD)
        .unwrap();
    assert!(ids_of(f.s.conn(), &query("电信", CustomerFilter::default())).is_empty());
    assert_eq!(ids_of(f.s.conn(), &query("yidong", CustomerFilter::default())), only);
    // Editing another field leaves the keys alone.
    let base = customers::load(f.s.conn(), &f.telecom).unwrap();
    customers::update(&mut f.s.db.store, &actor(&m), &base, &[("phone", text("020-11112222"))], GD).unwrap();
    assert_eq!(ids_of(f.s.conn(), &query("yidong", CustomerFilter::default())), only);
    assert_eq!(ids_of(f.s.conn(), &query(f.telecom.as_str(), CustomerFilter::default())), only);
}

#[test]
fn search_text_is_matched_literally_never_as_a_pattern_or_sql() {
    let f = search_fixture();
    let conn = f.s.conn();
    let total = count(conn, "customer");
    let one = |id: &CustomerId| BTreeSet::from([id.as_str().to_string()]);
    for needle in ["%_", "%", "_", "扣%_公"] {
        assert_eq!(ids_of(conn, &query(needle, CustomerFilter::default())), one(&f.wildcard), "search {needle:?}");
    }
    assert_eq!(ids_of(conn, &query("\\", CustomerFilter::default())), one(&f.backslash));
    assert_eq!(ids_of(conn, &query("'; DROP TABLE customer; --", CustomerFilter::default())), one(&f.injection));
    assert_eq!(ids_of(conn, &query("'", CustomerFilter::default())), one(&f.injection));
    assert!(ids_of(conn, &query("\"; DELETE FROM customer; --", CustomerFilter::default())).is_empty());
    assert_eq!(count(conn, "customer"), total, "the table is still there, whole");
}

#[test]
fn every_sort_pages_consistently_and_descending_is_the_reverse() {
    let f = search_fixture();
    let conn = f.s.conn();
    let active = f.expect(|c| !c.archived).len() as u64;
    for sort in SortColumn::ALL {
        let asc = CustomerQuery { sort, ..Default::default() };
        let desc = CustomerQuery { sort, descending: true, ..Default::default() };
        for q in [&asc, &desc] {
            assert_eq!(customers::count(conn, q).unwrap(), active);
            let p0 = customers::page(conn, q, 0, 10).unwrap();
            let p1 = customers::page(conn, q, 10, 10).unwrap();
            let both = customers::page(conn, q, 0, 20).unwrap();
            assert_eq!(p0.len(), 10);
            assert_eq!([p0, p1].concat(), both, "{sort:?} desc={}", q.descending);
            assert_eq!(customers::page(conn, q, active - 3, 10).unwrap().len(), 3, "the last page is short");
            assert!(customers::page(conn, q, active, 10).unwrap().is_empty());
            // Read from the end in the second half: the same rows at every offset.
            let all = customers::page(conn, q, 0, 1000).unwrap();
            for offset in 0..=active {
                let expected: Vec<_> = all.iter().skip(usize::try_from(offset).unwrap()).take(4).cloned().collect();
                let got = customers::page_in(conn, q, offset, 4, active).unwrap();
                assert_eq!(got, expected, "{sort:?} desc={} offset {offset}", q.descending);
            }
        }
        let up = customers::page(conn, &asc, 0, 1000).unwrap();
        let mut down = customers::page(conn, &desc, 0, 1000).unwrap();
        down.reverse();
        assert_eq!(up, down, "{sort:?}: descending is ascending reversed (ties broken by ID both ways)");
        let distinct: BTreeSet<&str> = up.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(distinct.len() as u64, active);
        let sorted_by = |key: &dyn Fn(&customers::CustomerRow) -> String| {
            up.windows(2).all(|w| (key(&w[0]), w[0].id.as_str()) <= (key(&w[1]), w[1].id.as_str()))
        };
        match sort {
            SortColumn::Id => assert!(sorted_by(&|_| String::new())),
            // Names sort in pinyin order (by their stored key), not by code point.
            SortColumn::ShortName => assert!(sorted_by(&|r| kam::search::sort_key(&r.short_name))),
            SortColumn::Tier => assert!(sorted_by(&|r| format!("{:02}", r.tier.rank()))),
            SortColumn::Status => assert!(sorted_by(&|r| r.status.clone())),
            SortColumn::Owner => {
                // Names sort by code point: 张 (U+5F20) before 李 (U+674E).
                assert!(sorted_by(&|r| if r.owner_a == f.s.org.manager.id { "张伟".into() } else { "李娜".into() }))
            }
            SortColumn::Unit => {
                assert!(sorted_by(&|r| if r.unit_id == f.unit2 { "440104".into() } else { "440106".into() }))
            }
            SortColumn::Freshness => assert!(sorted_by(&|r| r.update_due_on.to_string())),
            SortColumn::Industry => assert!(sorted_by(&|_| String::new())),
        }
    }
    // Tier order puts diamond first.
    let by_tier = customers::page(conn, &CustomerQuery { sort: SortColumn::Tier, ..Default::default() }, 0, 1).unwrap();
    assert_eq!(by_tier[0].tier, Tier::Diamond);
}

#[test]
fn every_filter_narrows_to_exactly_the_matching_customers() {
    let f = search_fixture();
    let conn = f.s.conn();
    let (m, m2) = (f.s.org.manager.id, f.s.org.manager2.id);
    let filter = |filt: CustomerFilter| ids_of(conn, &query("", filt));
    let live = |c: &Info| !c.archived;
    let cases: Vec<(&str, CustomerFilter, BTreeSet<String>)> = vec![
        ("all", CustomerFilter::default(), f.expect(live)),
        (
            "diamond",
            CustomerFilter { tier: Some(Tier::Diamond), ..Default::default() },
            f.expect(|c| live(c) && c.tier == Tier::Diamond),
        ),
        (
            "gold",
            CustomerFilter { tier: Some(Tier::Gold), ..Default::default() },
            f.expect(|c| live(c) && c.tier == Tier::Gold),
        ),
        ("owner", CustomerFilter { owner: Some(m2), ..Default::default() }, f.expect(|c| live(c) && c.owner_a == m2)),
        (
            "unit",
            CustomerFilter { unit: Some(f.unit2), ..Default::default() },
            f.expect(|c| live(c) && c.unit == f.unit2),
        ),
        (
            "mine_of",
            CustomerFilter { mine_of: Some(m2), ..Default::default() },
            f.expect(|c| live(c) && (c.owner_a == m2 || c.owner_b == Some(m2))),
        ),
        (
            "pending",
            CustomerFilter { pending_registration: true, ..Default::default() },
            f.expect(|c| live(c) && !c.approved),
        ),
        (
            "stale",
            CustomerFilter { stale_on: Some(fixed_now().date()), ..Default::default() },
            f.expect(|c| live(c) && c.early),
        ),
        (
            "status",
            CustomerFilter { status: Some("watch".into()), ..Default::default() },
            f.expect(|c| live(c) && c.watch),
        ),
        ("archived too", CustomerFilter { include_archived: true, ..Default::default() }, f.expect(|_| true)),
        (
            "owner and tier",
            CustomerFilter { owner: Some(m), tier: Some(Tier::Diamond), ..Default::default() },
            f.expect(|c| live(c) && c.owner_a == m && c.tier == Tier::Diamond),
        ),
        (
            "archived owner",
            CustomerFilter { owner: Some(m2), include_archived: true, ..Default::default() },
            f.expect(|c| c.owner_a == m2),
        ),
    ];
    let everyone = f.expect(|_| true).len();
    for (name, filt, expected) in cases {
        assert!(!expected.is_empty(), "{name}: the fixture must have matches");
        if name != "archived too" {
            assert!(expected.len() < everyone, "{name}: the filter must exclude someone");
        }
        assert_eq!(filter(filt), expected, "{name}");
    }
    // Filters combine with search.
    let q = query("dxzw", CustomerFilter { owner: Some(m2), ..Default::default() });
    assert!(ids_of(conn, &q).is_empty());
    let q = query("dxzw", CustomerFilter { owner: Some(m), ..Default::default() });
    assert_eq!(ids_of(conn, &q), BTreeSet::from([f.telecom.as_str().to_string()]));
}

// ---------------------------------------------------------------------------
// 11. likely duplicates

fn similar_fixture() -> (Seeded, CustomerId, CustomerId) {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let a = actor(&m);
    let huaxin = create(
        &mut s.db.store,
        &a,
        &new_customer("华信物流", "广州华信物流有限公司", s.org.unit, m.id)
            .with("address", text("广州市天河路1号（东门）")),
    );
    let tengda = create(
        &mut s.db.store,
        &a,
        &new_customer("腾达", "深圳腾达电子科技有限公司", s.org.unit, m.id).with("address", text("深圳市南山区科技园")),
    );
    (s, huaxin, tengda)
}

fn likeness(
    conn: &kam::db::Conn,
    full_name: &str,
    address: &str,
    except: Option<&CustomerId>,
) -> Vec<(CustomerId, Likeness)> {
    customers::similar(conn, full_name, address, except).unwrap().into_iter().map(|c| (c.id, c.likeness)).collect()
}

#[test]
fn similar_finds_same_and_similar_names_and_same_addresses() {
    let (s, huaxin, tengda) = similar_fixture();
    let conn = s.conn();
    let hx = huaxin.clone();
    assert_eq!(likeness(conn, "广州 华信物流（集团）有限公司", "", None), [(hx.clone(), Likeness::SameName)]);
    assert_eq!(likeness(conn, "广州华信物流", "", None), [(hx.clone(), Likeness::SameName)]);
    assert_eq!(likeness(conn, "广州华信物资有限公司", "", None), [(hx.clone(), Likeness::SimilarName)]);
    assert_eq!(
        likeness(conn, "上海宏远贸易有限公司", "广州市天河路 1 号 东门", None),
        [(hx.clone(), Likeness::SameAddress)]
    );
    assert_eq!(likeness(conn, "北京星辰文化传媒有限公司", "北京市朝阳区建国路88号", None), []);
    assert_eq!(likeness(conn, "", "", None), []);
    // Same name and same address: listed once, as the stronger likeness.
    assert_eq!(likeness(conn, "广州华信物流有限公司", "广州市天河路1号东门", None), [(hx.clone(), Likeness::SameName)]);
    // A customer is not its own duplicate (editing it).
    assert_eq!(likeness(conn, "广州华信物流有限公司", "广州市天河路1号（东门）", Some(&hx)), []);
    let td = tengda.clone();
    assert_eq!(likeness(conn, "深圳腾达电子科技股份有限公司", "", None), [(td, Likeness::SameName)]);
    let found = customers::similar(conn, "广州华信物资有限公司", "", None).unwrap();
    assert_eq!(
        (found[0].full_name.as_str(), found[0].owner_a, found[0].unit_id),
        ("广州华信物流有限公司", s.org.manager.id, s.org.unit)
    );
}

#[test]
fn similar_follows_edits_of_name_and_address() {
    let (mut s, huaxin, _) = similar_fixture();
    let m = s.org.manager.clone();
    let base = customers::load(s.conn(), &huaxin).unwrap();
    customers::update(
        &mut s.db.store,
        &actor(&m),
        &base,
        &[("full_name", text("广州恒通快运有限公司")), ("address", text("广州市越秀区中山五路2号"))],
        GD,
    )
    .unwrap();
    let hx = huaxin.clone();
    assert_eq!(likeness(s.conn(), "广州华信物流有限公司", "广州市天河路1号（东门）", None), []);
    assert_eq!(likeness(s.conn(), "广州恒通快运", "", None), [(hx.clone(), Likeness::SameName)]);
    assert_eq!(likeness(s.conn(), "某某公司", "广州市越秀区 中山五路 2号", None), [(hx, Likeness::SameAddress)]);
}

#[test]
fn similar_finds_a_one_character_difference_anywhere_in_the_name() {
    let (s, huaxin, tengda) = similar_fixture();
    let conn = s.conn();
    // 华讯 for 华信: one character in six differs (similarity 0.83).
    assert_eq!(likeness(conn, "广州华讯物流有限公司", "", None), [(huaxin.clone(), Likeness::SimilarName)]);
    // 深圳市腾达 for 深圳腾达: one inserted character (similarity 0.89).
    assert_eq!(likeness(conn, "深圳市腾达电子科技有限公司", "", None), [(tengda.clone(), Likeness::SimilarName)]);
}

// ---------------------------------------------------------------------------
// 12. dossier staleness

#[test]
fn the_update_due_date_follows_the_tier_cadence_from_the_actors_date() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let a = actor(&m);
    let unit = s.org.unit;
    let nc = |name: &str| new_customer(name, &format!("{name}有限公司"), unit, m.id);

    let general = create(&mut s.db.store, &a, &nc("一般"));
    let d = customers::load(s.conn(), &general).unwrap();
    assert_eq!((d.dossier_updated_on, d.update_due_on), (date(2026, 11, 23), date(2027, 5, 23)));
    s.set_unit_revenue(s.org.unit, "400000000");
    let diamond = create(&mut s.db.store, &a, &nc("钻石").revenue("1200000"));
    assert_eq!(customers::load(s.conn(), &diamond).unwrap().update_due_on, date(2026, 12, 8));
    s.set_unit_revenue(s.org.unit, "500000000");
    let gold = create(&mut s.db.store, &a, &nc("黄金").revenue("1000000"));
    assert_eq!(customers::load(s.conn(), &gold).unwrap().update_due_on, date(2026, 12, 23));
    // 60 + 1‰/3‰ × 40 = 73.3 points.
    s.set_unit_revenue(s.org.unit, "1000000000");
    let silver = create(&mut s.db.store, &a, &nc("白银").revenue("1000000"));
    let d = customers::load(s.conn(), &silver).unwrap();
    assert_eq!((d.tier, d.update_due_on), (Tier::Silver, date(2027, 2, 23)));

    // Stale only after the due day.
    let stale = |day| ids_of(s.conn(), &query("", CustomerFilter { stale_on: Some(day), ..Default::default() }));
    assert!(!stale(date(2027, 5, 23)).contains(general.as_str()));
    assert!(stale(date(2027, 5, 24)).contains(general.as_str()));
    assert_eq!(stale(date(2026, 12, 9)), BTreeSet::from([diamond.as_str().to_string()]));

    // An edit restarts the clock from the editor's date.
    let base = customers::load(s.conn(), &general).unwrap();
    customers::update(
        &mut s.db.store,
        &actor_at(&m, at(2027, 1, 10, 15, 0)),
        &base,
        &[("phone", text("020-87654321"))],
        GD,
    )
    .unwrap();
    let d = customers::load(s.conn(), &general).unwrap();
    assert_eq!((d.dossier_updated_on, d.update_due_on), (date(2027, 1, 10), date(2027, 7, 10)));
    // So does adding a key person.
    records::insert(
        &mut s.db.store,
        &actor_at(&m, at(2027, 2, 1, 9, 0)),
        RecordKind::KeyPerson,
        &general,
        &person("陈", "经理"),
    )
    .unwrap();
    let d = customers::load(s.conn(), &general).unwrap();
    assert_eq!((d.dossier_updated_on, d.update_due_on), (date(2027, 2, 1), date(2027, 8, 1)));
    // An edit that lifts the tier shortens the cadence.
    s.set_unit_revenue(s.org.unit, "500000000");
    let base = customers::load(s.conn(), &general).unwrap();
    customers::update(
        &mut s.db.store,
        &actor_at(&m, at(2027, 3, 31, 9, 0)),
        &base,
        &[("annual_revenue", FieldValue::Money(yuan("1000000")))],
        GD,
    )
    .unwrap();
    let d = customers::load(s.conn(), &general).unwrap();
    assert_eq!((d.tier, d.update_due_on), (Tier::Gold, date(2027, 4, 30)), "Mar 31 + 1 month clamps to Apr 30");
}
