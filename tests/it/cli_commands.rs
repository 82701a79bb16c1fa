//! The smaller subcommands on a demo database, through the real binary:
//! history, check, backup, unit revenue, re-tiering.

use crate::support;

use std::process::Command;

use support::demo_db;

use kam::db::sql::{Sql, args};

fn kam(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kam")).arg("--db").arg(db).args(args).output().expect("run kam");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

#[test]
fn history_prints_who_changed_what() {
    let (_dir, path) = demo_db(30);
    let id: String = {
        let store = kam::db::Store::open(&path).unwrap();
        store.conn().row("SELECT id FROM customer ORDER BY id LIMIT 1", args![], |r| r.get(0)).unwrap()
    };
    let (ok, out, _) = kam(&path, &["--user", "guanli", "--lang", "en", "history", "--customer", &id]);
    assert!(ok);
    assert!(out.lines().count() > 1, "{out}");
    assert!(out.lines().last().unwrap().contains("created"), "oldest last: {out}");
    let (ok, _, err) = kam(&path, &["--user", "guanli", "history", "--customer", "123"]);
    assert!(!ok && err.contains("--customer '123'"), "{err}");
}

#[test]
fn check_backup_and_unit_revenue() {
    let (dir, path) = demo_db(30);
    let (ok, out, _) = kam(&path, &["check"]);
    assert!(ok && out.trim_end().ends_with("ok"), "{out}");

    let copy = dir.path().join("copy.db");
    let (ok, _, err) = kam(&path, &["backup", copy.to_str().unwrap()]);
    assert!(ok, "{err}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&copy).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let (ok, out, _) = kam(&copy, &["check"]);
    assert!(ok, "{out}");
    let (ok, _, err) = kam(&path, &["backup", copy.to_str().unwrap()]);
    assert!(!ok && err.contains("never overwrites"), "{err}");

    let (ok, _, err) =
        kam(&path, &["--user", "jingli01", "unit-revenue", "--unit", "GZ-TH", "--period", "2026", "--amount", "1"]);
    // Said in the user's language, as the screens say it.
    assert!(!ok && err.contains("不允许") && !err.contains("refused"), "{err}");
    let (ok, _, err) = kam(
        &path,
        &["--user", "jingli01", "--lang", "en", "unit-revenue", "--unit", "GZ-TH", "--period", "2026", "--amount", "1"],
    );
    assert!(!ok && err.contains("Not allowed"), "{err}");
    let (ok, out, _) = kam(
        &path,
        &["--user", "guanli", "unit-revenue", "--unit", "GZ-TH", "--period", "2026-11", "--amount", "9000万"],
    );
    assert!(ok && out.contains("2026-11") && out.contains("90,000,000.00"), "{out}");
    // Issue 12: a period was read as its first month (2003-01). Exactly one month or a year,
    // or (issue 16) a period total of one year, kept whole.
    for (period, reason) in [("2003-1-10", "a day, not a month"), ("2026-01~03", "a period of several months")] {
        let args = ["--user", "guanli", "--lang", "en", "unit-revenue", "--unit", "GZ-TH", "--period", period];
        let (ok, _, err) = kam(&path, &[&args[..], &["--amount", "1"]].concat());
        assert!(!ok && err.contains(period) && err.contains(reason), "{period}: {err}");
    }
    let (_, out, _) = kam(&path, &["--user", "guanli", "unit-revenue", "--unit", "GZ-TH"]);
    assert!(!out.contains("2003"), "nothing stored: {out}");
    let args = ["--user", "guanli", "unit-revenue", "--unit", "GZ-TH", "--period", "2003年1-10月累计"];
    let (ok, out, err) = kam(&path, &[&args[..], &["--amount", "23705.04万"]].concat());
    assert!(ok, "{err}");
    assert!(out.contains("2003-01..2003-10") && out.contains("237,050,400.00") && out.contains("未分月"), "{out}");
    assert!(!out.contains("  2003-01  "), "not stored as its first month: {out}");
}

#[test]
fn retier_shows_then_applies_with_history() {
    let (_dir, path) = demo_db(60);
    // Under another preset tiers move; the preview writes nothing.
    let args = ["--user", "guanli", "--lang", "en", "--preset", "letter-bands", "retier"];
    let (ok, out, _) = kam(&path, &args);
    assert!(ok, "{out}");
    let count_line = out.lines().find(|l| l.ends_with("customers change tier")).expect("a count");
    let moving: usize = count_line.split_whitespace().next().unwrap().parse().unwrap();
    assert!(out.contains("Nothing written"), "{out}");
    assert!(moving > 0, "{out}");
    let (_, again, _) = kam(&path, &args);
    assert_eq!(again, out, "a preview changes nothing");
    let (ok, _, err) = kam(&path, &["--user", "jingli01", "--preset", "letter-bands", "retier", "--apply"]);
    assert!(!ok && err.contains("不允许"), "{err}");
    let (ok, out, _) =
        kam(&path, &["--user", "guanli", "--lang", "en", "--preset", "letter-bands", "retier", "--apply"]);
    assert!(ok && out.contains(&format!("{moving} customers re-tiered")), "{out}");
    let (_, after, _) = kam(&path, &args);
    assert!(after.starts_with("0 customers change tier"), "{after}");
}

/// The demo's complaints include overdue ones, for the daily mail.
#[test]
fn overdue_complaints_of_the_demo_for_a_supervisors_mail() {
    let (_dir, path) = support::full_demo_db(120);
    for login in ["zhuguan", "jingli01"] {
        let (ok, out, err) = kam(&path, &["--user", login, "complaints", "--overdue"]);
        assert!(ok, "{err}");
        assert!(out.matches("TS2026-").count() >= 1, "{login}: {out}");
    }
}

/// Every file and folder under `dir`.
fn everything_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(everything_under(&path));
        }
        found.push(path);
    }
    found
}

/// A first start with no database: nothing is created (only `init` and the demo
/// make a database), and the message says how to begin, in the user's language,
/// over several real lines.
#[test]
fn without_a_database_nothing_is_created_and_kam_says_how_to_begin() {
    let home = tempfile::TempDir::new().unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_kam"))
            .env("HOME", home.path())
            .env_remove("XDG_DATA_HOME")
            .env_remove("XDG_CONFIG_HOME")
            .args(args)
            .output()
            .expect("run kam");
        (out.status.success(), String::from_utf8_lossy(&out.stderr).to_string())
    };
    let missing = home.path().join("nowhere").join("kam.db");
    for (args, begin) in [
        (vec![], "开始使用"),
        (vec!["--lang", "en"], "To begin"),
        (vec!["--db", missing.to_str().unwrap()], "开始使用"),
        (vec!["--lang", "en", "agenda"], "To begin"),
        (vec!["history", "--customer", "44010600001000"], "开始使用"),
        (vec!["--lang", "en", "check"], "To begin"),
    ] {
        let (ok, err) = run(&args);
        assert!(!ok, "{args:?}");
        assert!(err.contains(begin) && err.contains("kam --demo") && err.contains("kam init"), "{args:?}: {err}");
        assert!(err.lines().count() >= 3, "line breaks kept: {err}");
        assert!(!err.contains('\u{FFFD}'), "{args:?}: {err}");
        assert_eq!(everything_under(home.path()), Vec::<std::path::PathBuf>::new(), "{args:?} created files");
    }
}
