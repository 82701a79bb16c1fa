//! `kam demo` on a PostgreSQL server: the demo of a file (built into one,
//! then moved over with `kam migrate`'s machinery), with the same rows, the
//! history's own dates rather than the moment of the build, a login role
//! for every member of staff, and the database marked a demo.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use kam::db::migrate;
use kam::db::sql::{Sql, args};
use kam::db::{DbKind, Location, Store};

use crate::common::count;
use crate::pg_cluster::{SUPERUSER, cluster};

fn kam(args: &[&str], db: &str) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kam"))
        .args(["--lang", "en", "--db", db])
        .args(args)
        .env_remove("KAM_DB")
        .output()
        .expect("run kam");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// The history's first and last stamps and its rows, as the bureau's
/// wall-clock time.
fn history_span(store: &Store) -> (String, String, i64) {
    let stamps: Vec<String> = store
        .conn()
        .rows("SELECT changed_at FROM history ORDER BY id", args![], |r| {
            let v = r.value(0)?;
            Ok(match v {
                kam::db::engine::Value::DateTime(t) => t.format("%Y-%m-%d %H:%M:%S").to_string(),
                kam::db::engine::Value::Text(s) => {
                    kam::time::civil(&s).map_or(s, |t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                }
                other => format!("{other:?}"),
            })
        })
        .unwrap();
    let mut sorted = stamps.clone();
    sorted.sort();
    (sorted[0].clone(), sorted[sorted.len() - 1].clone(), i64::try_from(stamps.len()).unwrap())
}

fn counts(store: &Store, file: &Path) -> BTreeMap<String, (u64, i64)> {
    let source = Store::open_existing(file).unwrap();
    migrate::source_counts(&source)
        .unwrap()
        .into_iter()
        .map(|(table, n)| {
            let on_server = count(store.conn(), &table);
            (table, (n, on_server))
        })
        .collect()
}

#[test]
fn the_demo_on_a_server_is_the_files_demo_with_its_own_dates_and_logins() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("demo.db");
    let c = cluster();
    let db = c.fresh_database("demo_server");
    let url = c.url(&db, SUPERUSER);

    let (ok, out, err) = kam(&["demo", "--customers", "60"], file.to_str().unwrap());
    assert!(ok, "{out}{err}");
    let (ok, out, err) = kam(&["demo", "--customers", "60"], &url);
    assert!(ok, "{out}{err}");
    assert!(err.contains("60 customers"), "{err}");

    let server = Store::open_existing_at(&Location::Server(url.clone())).unwrap();
    assert_eq!(server.kind(), DbKind::Demo, "marked a demo");
    // The same rows in every table (the links of the history are the server's own).
    let counts = counts(&server, &file);
    for (table, (in_file, on_server)) in &counts {
        assert_eq!(i64::try_from(*in_file).unwrap(), *on_server, "{table}: as many rows as in the file");
    }
    for big in ["customer", "staff", "history", "visit", "revenue", "marketing_log", "complaint", "key_person"] {
        assert!(counts[big].0 > 0, "the demo has {big} rows");
    }
    // The history as the generator wrote it: its own past, not the build's moment.
    let file_store = Store::open_existing(&file).unwrap();
    let (first, last, rows) = history_span(&server);
    assert_eq!((first.clone(), last, rows), history_span(&file_store), "the file's history, stamp for stamp");
    let months_ago: i64 = server
        .conn()
        .row("SELECT count(*) FROM history WHERE changed_at < now() - interval '60 days'", args![], |r| r.get(0))
        .unwrap();
    assert!(months_ago > 0, "history rows dated in the demo's past (first {first})");

    // kam check is clean, and names the demo's migration.
    let report = kam::db::check::check(server.conn()).unwrap();
    assert!(report.ok(), "{report:?}");
    let records = migrate::records(server.conn()).unwrap().expect("a superuser reads the records");
    assert_eq!(records.len(), 1);
    assert!(records[0].source.starts_with("kam demo: 60 customers"), "{:?}", records[0]);
    let (ok, out, err) = kam(&["check"], &url);
    assert!(ok && out.lines().any(|l| l.trim_start().starts_with("migration 1: ")), "{out}{err}");

    // Each member of staff connects as themselves: the first manager is a manager.
    let manager = Store::open_existing_at(&Location::Server(c.url(&db, "jingli01"))).unwrap();
    let who: (String, String) = manager
        .conn()
        .row("SELECT session_user::text, kam_my_role()", args![], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    assert_eq!(who, ("jingli01".to_string(), "manager".to_string()));
    assert_eq!(migrate::records(manager.conn()).unwrap(), None, "the migrations are the administrators' to read");

    // A second demo into the same database is refused, as on a file.
    let (ok, _, err) = kam(&["demo", "--customers", "5"], &url);
    assert!(!ok, "{err}");
    assert_eq!(count(server.conn(), "customer"), 60);
}
