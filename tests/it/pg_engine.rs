//! The PostgreSQL connection of `db::engine` against a real server (the
//! run's throwaway cluster): both connection-string spellings over the Unix
//! socket, every kind of value there and back, transactions.

use chrono::{NaiveDate, NaiveDateTime};
use rust_decimal::Decimal;

use kam::db::engine::{EngineError, PgConn, Value};

use crate::pg_cluster::{SUPERUSER, cluster};

fn fresh(purpose: &str) -> (String, PgConn) {
    let c = cluster();
    let db = c.fresh_database(purpose);
    let conn = c.connect(&db);
    (db, conn)
}

fn stamp(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
}

#[test]
fn the_server_runs_unprivileged_on_a_socket_in_its_own_folder() {
    let c = cluster();
    let status = std::fs::read_to_string(format!("/proc/{}/status", c.server_pid())).unwrap();
    let uid = status.lines().find_map(|l| l.strip_prefix("Uid:")).unwrap().split_whitespace().next();
    assert_ne!(uid, Some("0"), "PostgreSQL must not run as root");
    let rows = c.connect("postgres").query("SELECT inet_server_addr() IS NULL AS on_socket", &[]).unwrap();
    assert!(rows[0].get::<bool>("on_socket").unwrap(), "no TCP: the server listens on its socket only");
    assert!(c.socket_dir().join(".s.PGSQL.5432").exists());
}

#[test]
fn both_spellings_of_a_connection_string_reach_the_server() {
    let c = cluster();
    let db = c.fresh_database("spellings");
    for target in [c.conninfo(&db, SUPERUSER), c.url(&db, SUPERUSER)] {
        assert!(kam::db::engine::is_postgres(&target), "{target}");
        let mut conn = PgConn::connect(&target).unwrap_or_else(|e| panic!("{target}: {e}"));
        let rows = conn.query("SELECT current_user AS who, current_database() AS db", &[]).unwrap();
        assert_eq!(rows[0].get::<String>("who").unwrap(), SUPERUSER);
        assert_eq!(rows[0].get::<String>("db").unwrap(), db);
    }
}

#[test]
fn every_value_kind_goes_there_and_back() {
    let (_, mut conn) = fresh("values");
    conn.batch(
        "CREATE TABLE kinds (
            big bigint, small smallint, mid integer, flag boolean, words text,
            money numeric(16, 2), day date, stamp timestamp, instant timestamptz, link bytea)",
    )
    .unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
    let insert = "INSERT INTO kinds VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";
    // Values as kam's SQLite code holds them: dates and stamps as text, money as text.
    let as_text = [
        Value::Integer(i64::MAX),
        Value::Integer(-7),
        Value::Integer(100_000),
        Value::Integer(1),
        Value::Text("广州邮政 'quoted' ?1".into()),
        Value::Decimal("1234567.89".into()),
        Value::Text("2026-12-06".into()),
        Value::Text("2026-12-06 09:30:00".into()),
        Value::Text("2026-12-06 23:59:59".into()),
        Value::Bytes(vec![0, 1, 254, 255]),
    ];
    assert_eq!(conn.execute(insert, &as_text).unwrap(), 1);
    // The same as typed values.
    let typed = [
        Value::Integer(i64::MIN),
        Value::Integer(i16::MAX.into()),
        Value::Integer(i32::MIN.into()),
        Value::Integer(0),
        Value::Text(String::new()),
        Value::Decimal("-0.01".into()),
        Value::Date(day),
        Value::DateTime(stamp("2026-01-01 00:00:00")),
        Value::DateTime(stamp("2026-06-30 12:00:00")),
        Value::Bytes(vec![]),
    ];
    conn.execute(insert, &typed).unwrap();
    conn.execute(insert, &vec![Value::Null; 10]).unwrap();

    let rows = conn.query("SELECT * FROM kinds ORDER BY big DESC NULLS LAST", &[]).unwrap();
    assert_eq!(rows.len(), 3);
    let r = &rows[0];
    assert_eq!(r.get::<i64>("big").unwrap(), i64::MAX);
    assert_eq!(r.get::<i64>("small").unwrap(), -7);
    assert_eq!(r.get::<i64>("mid").unwrap(), 100_000);
    assert!(r.get::<bool>("flag").unwrap());
    assert_eq!(r.get::<String>("words").unwrap(), "广州邮政 'quoted' ?1");
    assert_eq!(r.value("money").unwrap(), &Value::Decimal("1234567.89".into()));
    assert_eq!(r.get::<Decimal>("money").unwrap(), Decimal::new(123456789, 2));
    assert_eq!(r.value("day").unwrap(), &Value::Date(day), "a text date bound to a date column");
    assert_eq!(r.get::<NaiveDateTime>("stamp").unwrap(), stamp("2026-12-06 09:30:00"));
    assert_eq!(r.get::<NaiveDateTime>("instant").unwrap(), stamp("2026-12-06 23:59:59"), "local time both ways");
    assert_eq!(r.get::<Vec<u8>>("link").unwrap(), vec![0, 1, 254, 255]);
    assert_eq!(r.get::<String>("day").unwrap(), "2026-12-06", "a date reads as kam's text too");

    let r = &rows[1];
    assert_eq!(r.get::<i64>(0).unwrap(), i64::MIN);
    assert_eq!(r.get::<i64>(1).unwrap(), i16::MAX as i64);
    assert!(!r.get::<bool>(3).unwrap());
    assert_eq!(r.get::<String>(4).unwrap(), "");
    assert_eq!(r.get::<Decimal>(5).unwrap(), Decimal::new(-1, 2));
    assert_eq!(r.get::<NaiveDate>(6).unwrap(), day);
    assert_eq!(r.get::<NaiveDateTime>(8).unwrap(), stamp("2026-06-30 12:00:00"));
    assert_eq!(r.get::<Vec<u8>>(9).unwrap(), Vec::<u8>::new());

    assert!(rows[2].values().iter().all(|v| *v == Value::Null), "{:?}", rows[2]);
    assert_eq!(rows[2].get::<Option<NaiveDate>>("day").unwrap(), None);
}

#[test]
fn a_value_that_cannot_take_the_columns_type_is_refused_not_mangled() {
    let (_, mut conn) = fresh("refused");
    conn.batch("CREATE TABLE t (small smallint, day date, flag boolean)").unwrap();
    for (sql, value) in [
        ("INSERT INTO t (small) VALUES (?)", Value::Integer(40_000)),
        ("INSERT INTO t (day) VALUES (?)", Value::Text("6 December".into())),
        ("INSERT INTO t (flag) VALUES (?)", Value::Integer(2)),
    ] {
        assert!(conn.execute(sql, std::slice::from_ref(&value)).is_err(), "{sql} {value:?}");
    }
    let err = conn.execute("INSERT INTO t (small) VALUES (?1)", &[]).unwrap_err();
    assert!(matches!(err, EngineError::ParameterCount { expected: 1, given: 0 }), "{err}");
    assert_eq!(conn.query("SELECT count(*) AS n FROM t", &[]).unwrap()[0].get::<i64>("n").unwrap(), 0);
}

#[test]
fn a_transaction_that_fails_leaves_nothing_behind() {
    let (_, mut conn) = fresh("rollback");
    conn.batch("CREATE TABLE t (id integer PRIMARY KEY, name text NOT NULL)").unwrap();
    {
        let mut tx = conn.transaction().unwrap();
        tx.execute("INSERT INTO t VALUES (?, ?)", &[1.into(), "first".into()]).unwrap();
        let clash = tx.execute("INSERT INTO t VALUES (?, ?)", &[1.into(), "again".into()]).unwrap_err();
        assert_eq!(clash.sql_state(), Some("23505"), "a unique violation: {clash}");
        // Dropped without commit: rolled back.
    }
    let count = |conn: &mut PgConn| conn.query("SELECT count(*) FROM t", &[]).unwrap()[0].get::<i64>(0).unwrap();
    assert_eq!(count(&mut conn), 0);
    // The session is usable again, and a committed transaction stays.
    let mut tx = conn.transaction().unwrap();
    tx.execute("INSERT INTO t VALUES (?, ?)", &[2.into(), "kept".into()]).unwrap();
    tx.commit().unwrap();
    assert_eq!(count(&mut conn), 1);
}

#[test]
fn two_connections_see_each_others_committed_writes() {
    let (db, mut a) = fresh("two_sessions");
    let mut b = cluster().connect(&db);
    a.batch("CREATE TABLE note (id integer PRIMARY KEY, text text)").unwrap();
    let read = |conn: &mut PgConn, id: i64| {
        conn.query("SELECT text FROM note WHERE id = ?1", &[id.into()])
            .unwrap()
            .first()
            .map(|r| r.get::<String>(0).unwrap())
    };

    let mut tx = a.transaction().unwrap();
    tx.execute("INSERT INTO note VALUES (1, ?1)", &["from a".into()]).unwrap();
    assert_eq!(read(&mut b, 1), None, "not before commit");
    tx.commit().unwrap();
    assert_eq!(read(&mut b, 1).as_deref(), Some("from a"));

    b.execute("UPDATE note SET text = ?2 WHERE id = ?1", &[1.into(), "from b".into()]).unwrap();
    assert_eq!(read(&mut a, 1).as_deref(), Some("from b"));
}

#[test]
fn placeholders_inside_text_stay_text_on_the_server() {
    let (_, mut conn) = fresh("placeholders");
    let rows =
        conn.query("SELECT '?1 and ?' || ?2 || $$?$$ AS s, ?1 AS n -- a ? here too", &[5.into(), "x".into()]).unwrap();
    assert_eq!(rows[0].get::<String>("s").unwrap(), "?1 and ?x?");
    assert_eq!(rows[0].get::<String>("n").unwrap(), "5");
}
