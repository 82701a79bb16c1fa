//! Issue 14: history times followed each writer's `TZ` (two writes seconds
//! apart were logged 26 hours apart). Times of record now carry their UTC
//! offset and are shown in the bureau's zone (config `zone`, default
//! Asia/Shanghai), whatever the user's `TZ`.

use std::process::Command;

use chrono::{NaiveDateTime, Utc};

use crate::support::demo_db;

use kam::db::sql::{Sql, args};

fn kam(db: &std::path::Path, tz: &str, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kam"))
        .env("TZ", tz)
        .arg("--db")
        .arg(db)
        .args(["--user", "guanli", "--lang", "en"])
        .args(args)
        .output()
        .expect("run kam");
    assert!(out.status.success(), "kam {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into()
}

/// The stored `changed_at` of the unit's name changes, oldest first.
fn name_changes(db: &std::path::Path) -> Vec<String> {
    let store = kam::db::Store::open(db).unwrap();
    store
        .conn()
        .rows(
            "SELECT h.changed_at FROM history h JOIN org_unit u ON h.entity = 'org_unit' AND h.entity_id = u.id \
             WHERE u.code = 'GZ-TH' AND h.field = 'name' ORDER BY h.id",
            args![],
            |r| r.get(0),
        )
        .unwrap()
}

fn shanghai_now() -> NaiveDateTime {
    Utc::now().naive_utc() + chrono::TimeDelta::hours(8)
}

#[test]
fn two_writes_seconds_apart_under_los_angeles_and_tokyo_are_recorded_seconds_apart_in_shanghai_time() {
    let (_dir, db) = demo_db(30);
    let before = shanghai_now();
    kam(&db, "America/Los_Angeles", &["unit", "rename", "GZ-TH", "--name", "天河区大客户中心(一)"]);
    kam(&db, "Asia/Tokyo", &["unit", "rename", "GZ-TH", "--name", "天河区大客户中心(二)"]);
    let after = shanghai_now();
    let stored = name_changes(&db);
    assert_eq!(stored.len(), 2, "{stored:?}");
    for s in &stored {
        assert!(s.ends_with("+08:00"), "a time of record carries its offset: {s}");
    }
    let times: Vec<NaiveDateTime> = stored.iter().map(|s| kam::time::civil(s).unwrap()).collect();
    let apart = (times[1] - times[0]).num_seconds();
    // Were 17 hours apart (Los Angeles, then Tokyo local time).
    assert!((0..60).contains(&apart), "seconds apart, not hours: {stored:?}");
    for t in &times {
        let slack = chrono::TimeDelta::seconds(2);
        assert!(*t + slack >= before && *t <= after + slack, "Shanghai time {t}, between {before} and {after}");
    }
    // Shown in Shanghai time, whatever the reader's TZ.
    for tz in ["America/Los_Angeles", "Asia/Tokyo", "UTC"] {
        let shown = kam(&db, tz, &["unit", "history", "GZ-TH"]);
        for t in &times {
            let want = t.format("%Y-%m-%d %H:%M:%S").to_string();
            assert!(shown.contains(&want), "TZ={tz}: {want} shown:\n{shown}");
        }
        assert!(!shown.contains("+08:00"), "the offset is for storage: {shown}");
    }
}

/// A bureau elsewhere sets its zone: its writes carry that offset, and a
/// reader in Shanghai's zone sees the same moment in Shanghai time.
#[test]
fn a_write_in_another_configured_zone_carries_its_offset_and_reads_in_the_readers_zone() {
    let (dir, db) = demo_db(30);
    let config = dir.path().join("utc.toml");
    std::fs::write(&config, "zone = \"UTC\"\n").unwrap();
    let config = config.to_str().unwrap();
    kam(&db, "Asia/Tokyo", &["--config", config, "unit", "rename", "GZ-TH", "--name", "天河区大客户中心(一)"]);
    let stored = name_changes(&db);
    assert!(stored[0].ends_with("+00:00"), "{stored:?}");
    let utc = NaiveDateTime::parse_from_str(&stored[0][..19], "%Y-%m-%d %H:%M:%S").unwrap();
    let shanghai = (utc + chrono::TimeDelta::hours(8)).format("%Y-%m-%d %H:%M:%S").to_string();
    assert_eq!(kam::time::shown(&stored[0]), shanghai);
    let shown = kam(&db, "America/Los_Angeles", &["unit", "history", "GZ-TH"]);
    assert!(shown.contains(&shanghai), "{shanghai}:\n{shown}");
    // A zone that does not exist is refused, with its name.
    std::fs::write(dir.path().join("bad.toml"), "zone = \"Mars/Olympus\"\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kam"))
        .arg("--db")
        .arg(&db)
        .arg("--config")
        .arg(dir.path().join("bad.toml"))
        .args(["unit", "history", "GZ-TH"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("Mars/Olympus"));
}

/// When a row brings no time of its own, the schema's triggers record UTC
/// with its offset (they used the writing process's local time), and older
/// rows without an offset are shown as they are: the bureau's time.
#[test]
fn the_triggers_fall_back_on_utc_with_its_offset_and_older_rows_read_as_the_bureaus_time() {
    let (_dir, db) = demo_db(30);
    let store = kam::db::Store::open(&db).unwrap();
    store.conn().exec("UPDATE org_unit SET name = '改名', updated_at = NULL WHERE code = 'GZ-TH'", args![]).unwrap();
    let at: String = store
        .conn()
        .row("SELECT changed_at FROM history WHERE field = 'name' ORDER BY id DESC LIMIT 1", args![], |r| r.get(0))
        .unwrap();
    assert!(at.ends_with("+00:00"), "{at}");
    let shown = kam::time::civil(&at).unwrap();
    assert!((shown - shanghai_now()).num_seconds().abs() < 60, "{at} shown as {shown}");
    assert_eq!(kam::time::shown("2025-04-01 15:00:00"), "2025-04-01 15:00:00");
}
