//! The PostgreSQL schema draft (`migrations-pg/01-init/up.sql`, with the
//! access rules of `02-access` on top) against the SQLite schema kam's
//! migrations build today, and the parts of it that hold without kam:
//! history written and chained by the server, and a user role that cannot
//! rewrite it. The access rules themselves: `pg_access.rs`.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::types::ValueRef;

use kam::db::Store;
use kam::db::engine::{FromValue, PgConn, Value};

use crate::pg_cluster::cluster;

/// The PostgreSQL migrations in order, as the migration runner applies them.
pub(crate) const MIGRATIONS: &[(&str, &str)] = &[
    ("01-init", include_str!("../../migrations-pg/01-init/up.sql")),
    ("02-access", include_str!("../../migrations-pg/02-access/up.sql")),
    ("03-ledger-statuses", include_str!("../../migrations-pg/03-ledger-statuses/up.sql")),
    ("04-migration-record", include_str!("../../migrations-pg/04-migration-record/up.sql")),
    ("05-period-totals", include_str!("../../migrations-pg/05-period-totals/up.sql")),
    ("06-analysis-report", include_str!("../../migrations-pg/06-analysis-report/up.sql")),
    ("07-volume", include_str!("../../migrations-pg/07-volume/up.sql")),
    ("08-login-race", include_str!("../../migrations-pg/08-login-race/up.sql")),
    ("09-appraisal", include_str!("../../migrations-pg/09-appraisal/up.sql")),
    ("10-log-import", include_str!("../../migrations-pg/10-log-import/up.sql")),
    ("11-goal-targets", include_str!("../../migrations-pg/11-goal-targets/up.sql")),
    ("12-requests", include_str!("../../migrations-pg/12-requests/up.sql")),
    ("13-contracts", include_str!("../../migrations-pg/13-contracts/up.sql")),
    ("14-plans", include_str!("../../migrations-pg/14-plans/up.sql")),
    ("15-pipeline", include_str!("../../migrations-pg/15-pipeline/up.sql")),
    ("16-search-prefixes", include_str!("../../migrations-pg/16-search-prefixes/up.sql")),
    ("17-analysis-sums", include_str!("../../migrations-pg/17-analysis-sums/up.sql")),
    ("18-pipeline-overdue", include_str!("../../migrations-pg/18-pipeline-overdue/up.sql")),
    ("19-cold-start", include_str!("../../migrations-pg/19-cold-start/up.sql")),
];

/// Tables only a server has: `kam migrate`'s record of itself.
const PG_ONLY_TABLES: &[&str] = &["kam_migration"];

/// Where the draft differs on purpose: the FTS5 table keyed by the
/// customer's rowid becomes a plain table keyed by the customer's ID.
/// (revenue_run.moved is generated on both sides; SQLite's table_info, which
/// kam migrate copies by, leaves generated columns out.)
const EXTRA_PG_COLUMNS: &[(&str, &str)] = &[("customer_search", "customer_id"), ("revenue_run", "moved")];

/// A fresh database on the test cluster with every migration applied, and
/// a superuser session on it.
pub(crate) fn database_with_schema(purpose: &str) -> (String, PgConn) {
    let c = cluster();
    let db = c.fresh_database(purpose);
    let mut conn = c.connect(&db);
    for (name, sql) in MIGRATIONS {
        conn.batch(sql).unwrap_or_else(|e| panic!("apply migrations-pg/{name}: {e}"));
    }
    (db, conn)
}

type Columns = BTreeMap<String, BTreeSet<String>>;

/// Tables and their columns, and index names, of a SQLite file made by kam.
fn sqlite_catalog() -> (Columns, BTreeSet<String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kam.db");
    drop(Store::open(&path).expect("a fresh kam database"));
    let conn = rusqlite::Connection::open(&path).unwrap();
    let names = |sql: &str| -> Vec<String> {
        let mut s = conn.prepare(sql).unwrap();
        s.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    // FTS5 keeps its index in shadow tables named after the virtual table.
    let virtual_tables = names("SELECT name FROM sqlite_schema WHERE sql LIKE 'CREATE VIRTUAL TABLE%'");
    let mut tables = Columns::new();
    for table in names("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'") {
        if virtual_tables.iter().any(|v| table.starts_with(&format!("{v}_"))) {
            continue;
        }
        let columns = names(&format!("SELECT name FROM pragma_table_info('{table}')"));
        tables.insert(table, columns.into_iter().collect());
    }
    let indexes = names("SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL");
    (tables, indexes.into_iter().collect())
}

#[test]
fn every_sqlite_table_column_and_index_is_in_the_postgresql_draft() {
    let (sqlite_tables, sqlite_indexes) = sqlite_catalog();
    assert!(sqlite_tables.len() > 20, "the SQLite catalog was read: {sqlite_tables:?}");
    let (_, mut pg) = database_with_schema("schema_shape");

    let mut pg_tables = Columns::new();
    let rows = pg
        .query(
            "SELECT c.table_name, c.column_name FROM information_schema.columns c
             JOIN information_schema.tables t USING (table_schema, table_name)
             WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'",
            &[],
        )
        .unwrap();
    for r in rows {
        pg_tables.entry(r.get::<String>(0).unwrap()).or_default().insert(r.get(1).unwrap());
    }
    for (table, column) in EXTRA_PG_COLUMNS {
        pg_tables.get_mut(*table).map(|c| c.remove(*column));
    }
    for table in PG_ONLY_TABLES {
        assert!(pg_tables.remove(*table).is_some(), "{table} is in the PostgreSQL schema");
    }
    assert_eq!(pg_tables.keys().collect::<Vec<_>>(), sqlite_tables.keys().collect::<Vec<_>>(), "the same tables");
    for (table, columns) in &sqlite_tables {
        assert_eq!(&pg_tables[table], columns, "the columns of {table}");
    }

    let pg_indexes: BTreeSet<String> = pg
        .query("SELECT indexname FROM pg_indexes WHERE schemaname = 'public'", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0).unwrap())
        .collect();
    let missing: Vec<_> = sqlite_indexes.difference(&pg_indexes).collect();
    assert!(missing.is_empty(), "indexes missing on PostgreSQL: {missing:?}");
    assert!(pg_indexes.contains("customer_search_key"), "the trigram index replacing FTS5");
}

/// One history row with its link, as `chain::link` reads a row.
fn chain_of(pg: &mut PgConn) -> Vec<(Vec<Value>, Vec<u8>)> {
    let rows = pg
        .query(
            "SELECT h.id, h.entity, h.entity_id, h.customer_id, h.action, h.field, h.old_value, h.new_value,
                    h.changed_by, kam_link_stamp(h.changed_at), c.hash
             FROM history h JOIN history_chain c ON c.history_id = h.id ORDER BY h.id",
            &[],
        )
        .unwrap();
    rows.into_iter().map(|r| (r.values()[..10].to_vec(), r.get::<Vec<u8>>(10).unwrap())).collect()
}

fn as_value_ref(v: &Value) -> ValueRef<'_> {
    match v {
        Value::Null => ValueRef::Null,
        Value::Integer(i) => ValueRef::Integer(*i),
        Value::Text(s) => ValueRef::Text(s.as_bytes()),
        other => panic!("a history column holds {other:?}"),
    }
}

#[test]
fn history_is_written_by_the_server_and_chained_as_kam_chains_it() {
    let (_, mut pg) = database_with_schema("history_chain");
    pg.batch(
        "INSERT INTO org_unit (code, name, kind, division_code) VALUES ('GZ', '广州', 'city', '440100');
         INSERT INTO staff (name, unit_id, role, login) VALUES ('张三', 1, 'manager', 'zhang');",
    )
    .unwrap();
    // Written the way kam writes: SQLite placeholders, an author, text values.
    pg.execute(
        "UPDATE staff SET name = ?1, phone = ?2, updated_by = ?3 WHERE id = ?3",
        &["张三丰".into(), "".into(), 1.into()],
    )
    .unwrap();
    pg.execute(
        "INSERT INTO customer (id, short_name, full_name, name_norm, unit_id, owner_a, dossier_updated_on,
             update_due_on, created_by, created_at, updated_by, updated_at, annual_revenue)
         VALUES (?1, ?2, ?2, ?2, 1, 1, ?3, ?3, 1, ?4, 1, ?4, ?5)",
        &[
            "44010000000001".into(),
            "广州邮政".into(),
            "2026-12-06".into(),
            "2026-12-06 09:00:00".into(),
            Value::Integer(1_234_500),
        ],
    )
    .unwrap();
    pg.execute(
        "UPDATE customer SET annual_revenue = ?2, updated_by = 1 WHERE id = ?1",
        &["44010000000001".into(), Value::Integer(2_000_000)],
    )
    .unwrap();

    let chain = chain_of(&mut pg);
    let fields: Vec<(String, Option<String>, Option<String>)> =
        chain.iter().map(|(v, _)| (text(&v[1]).unwrap_or_default(), text(&v[5]), text(&v[7]))).collect();
    assert_eq!(
        fields,
        vec![
            ("staff".into(), None, Some("张三 (manager)".into())),
            ("staff".into(), Some("name".into()), Some("张三丰".into())),
            ("customer".into(), None, None),
            ("customer".into(), Some("annual_revenue".into()), Some("2000000".into())),
        ],
        "one row per real change ('' for an empty phone is no change), money in fen as on SQLite"
    );
    assert_eq!(chain[3].0[6], Value::Text("1234500".into()), "the old amount");

    // Each link is kam's own link function over the row and the link before.
    let mut previous: Option<Vec<u8>> = None;
    for (values, hash) in &chain {
        let refs: Vec<ValueRef<'_>> = values.iter().map(as_value_ref).collect();
        let expected = kam::db::chain::link(previous.as_deref(), &refs);
        assert_eq!(hash.as_slice(), expected.as_slice(), "the link of history row {:?}", values[0]);
        previous = Some(hash.clone());
    }

    // The stamp is the server's, not the one the client wrote on the row.
    let fresh = pg.query("SELECT max(changed_at) > now() - interval '1 minute' FROM history", &[]).unwrap();
    assert!(fresh[0].get::<bool>(0).unwrap());
}

fn text(v: &Value) -> Option<String> {
    <Option<String> as FromValue>::from_value(v).expect("a text column")
}

#[test]
fn a_user_role_cannot_rewrite_history_bypass_triggers_or_change_the_schema() {
    let (db, mut owner) = database_with_schema("user_role");
    owner
        .batch(&format!(
            "INSERT INTO org_unit (code, name, kind, division_code) VALUES ('GZ', '广州', 'city', '440100');
             INSERT INTO staff (name, unit_id, role, login) VALUES ('张三', 1, 'manager', '{db}_zhang');
             CREATE ROLE {db}_zhang LOGIN IN ROLE kam_manager;"
        ))
        .unwrap();
    let mut zhang = PgConn::connect(&cluster().conninfo(&db, &format!("{db}_zhang"))).unwrap();

    // An allowed write (registering a customer of their own) still leaves
    // its history, written by the owner's trigger.
    zhang
        .execute(
            "INSERT INTO customer (id, short_name, full_name, name_norm, unit_id, owner_a, dossier_updated_on,
                 update_due_on, created_by, created_at, updated_by, updated_at)
             VALUES ('44010000000001', '广州邮政', '广州邮政', '广州邮政', 1, 1, current_date, current_date, 1, now(), 1, now())",
            &[],
        )
        .unwrap();
    let n = zhang.query("SELECT count(*) FROM history WHERE entity = 'customer'", &[]).unwrap();
    assert_eq!(n[0].get::<i64>(0).unwrap(), 1);

    for forbidden in [
        "UPDATE history SET new_value = 'forged'",
        "DELETE FROM history",
        "INSERT INTO history (entity, entity_id, action, changed_by) VALUES ('staff', '1', 'create', 1)",
        "DELETE FROM history_chain",
        "INSERT INTO history_chain VALUES (999, sha256('x'))",
        "UPDATE revenue_month SET amount = 0",
        "UPDATE complaint_event SET note = 'x'",
        "DELETE FROM customer",
        "ALTER TABLE staff DISABLE TRIGGER ALL",
        "DROP TRIGGER history_no_update ON history",
        "CREATE TABLE mine (x integer)",
        "CREATE OR REPLACE FUNCTION kam_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$",
    ] {
        let err = zhang.batch(forbidden).expect_err(forbidden);
        assert_eq!(err.sql_state(), Some("42501"), "{forbidden}: {err}");
    }

    // Not even the owner deletes or rewrites what is kept for good.
    // (Row triggers: the tables named hold rows.)
    for refused in ["DELETE FROM org_unit", "DELETE FROM staff", "UPDATE history SET field = 'x'"] {
        let err = owner.batch(refused).expect_err(refused);
        assert_eq!(err.sql_state(), Some("23001"), "{refused}: {err}");
    }
    let n = owner.query("SELECT count(*) FROM history", &[]).unwrap();
    assert_eq!(n[0].get::<i64>(0).unwrap(), 2, "the staff member's creation and the customer they registered");
}
