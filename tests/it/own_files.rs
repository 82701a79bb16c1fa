//! Issue 14: kam opens only kam's files. An earlier kam migrated another
//! application's database in place (tables added, user_version, WAL on) and
//! made a mistyped `--db` into a new database with its folders. Now `init`
//! and `demo` write kam's application id into the header, every other command
//! refuses a file without it in one line and leaves it byte for byte as it
//! was, files of an earlier kam are recognised and marked, and `demo --force`
//! replaces only a demo.

use crate::accounts::digest;

use std::path::{Path, PathBuf};
use std::process::Command;

use rusqlite::Connection;

const KAM: &str = env!("CARGO_BIN_EXE_kam");

fn kam(db: &Path, args: &[&str]) -> (bool, String, String) {
    let home = db.parent().unwrap();
    let out = Command::new(KAM)
        .arg("--db")
        .arg(db)
        .args(args)
        .env("HOME", home)
        .env("KAM_CONFIG", home.join("none.toml"))
        .env_remove("KAM_USER")
        .env_remove("KAM_DB")
        .output()
        .expect("run kam");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

/// The four bytes of the header's application id.
fn application_id(db: &Path) -> [u8; 4] {
    let bytes = std::fs::read(db).unwrap();
    bytes[68..72].try_into().unwrap()
}

/// The files next to `db` (its -wal, -shm or -journal, if any were made).
fn side_files(db: &Path) -> Vec<PathBuf> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .map(|s| PathBuf::from(format!("{}{s}", db.display())))
        .filter(|p| p.exists())
        .collect()
}

/// Another application's SQLite databases (one with its own application id,
/// one without, in WAL mode as many are), an empty file, a text file.
fn strangers(dir: &Path) -> Vec<(PathBuf, &'static str)> {
    let fossil = dir.join("repo.fossil");
    {
        let conn = Connection::open(&fossil).unwrap();
        conn.execute_batch(
            "CREATE TABLE blob (rid INTEGER PRIMARY KEY, content BLOB); INSERT INTO blob VALUES (1, x'00');",
        )
        .unwrap();
        conn.pragma_update(None, "application_id", i32::from_be_bytes(*b"Fsl1")).unwrap();
        conn.pragma_update(None, "user_version", 3).unwrap();
    }
    let notes = dir.join("notes.db");
    {
        let conn = Connection::open(&notes).unwrap();
        conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).unwrap();
        conn.execute_batch(
            "CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO note (text) VALUES ('x');",
        )
        .unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
    }
    let empty = dir.join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    let text = dir.join("customers.csv");
    std::fs::write(&text, "客户编号,简称\n44010300001000,粤港百货\n".repeat(20)).unwrap();
    let other = "is not a kam database: it is another application's SQLite database (application id \"Fsl1\"); \
                 kam leaves it as it is";
    vec![
        (fossil, other),
        (notes, "is not a kam database: it has tables kam did not make (note); kam leaves it as it is"),
        (empty, "is an empty file, not a kam database (kam init makes one of it)"),
        (text, "is not a kam database: it is not an SQLite database; kam leaves it as it is"),
    ]
}

#[test]
fn every_command_refuses_a_file_that_is_not_kams_and_leaves_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("import.csv");
    std::fs::write(&csv, "客户编号,简称\n").unwrap();
    let backup = dir.path().join("copy.db");
    let out = dir.path().join("out.xlsx");
    let commands: Vec<Vec<&str>> = vec![
        vec![],
        vec!["whoami"],
        vec!["agenda"],
        vec!["complaints"],
        vec!["check"],
        vec!["check", "--repair"],
        vec!["history", "--customer", "44010300001000"],
        vec!["staff"],
        vec!["unit"],
        vec!["policy"],
        vec!["retier", "--apply"],
        vec!["import", "customers", csv.to_str().unwrap()],
        vec!["export", "customers", "-o", out.to_str().unwrap()],
        vec!["export", "ics", "-o", out.to_str().unwrap()],
        vec!["report", "monthly", "-o", out.to_str().unwrap()],
        vec!["backup", backup.to_str().unwrap()],
        vec!["--demo"],
        vec!["--demo", "whoami"],
        vec!["demo", "--force", "--customers", "5"],
        vec!["init", "--unit-name", "某局", "--division", "440100", "--name", "管理员"],
    ];
    for (file, expected) in strangers(dir.path()) {
        let before = digest(&file);
        for args in &commands {
            // `init` and `--demo` make a database of an empty file (see below).
            let makes = matches!(args.first(), Some(&"init" | &"--demo"));
            if file.ends_with("empty.db") && makes {
                continue;
            }
            let (ok, _, err) = kam(&file, &[&["--lang", "en"], &args[..]].concat());
            assert!(!ok, "kam {args:?} on {} worked", file.display());
            let line = if args.first() == Some(&"demo") {
                format!("kam: {} is not a demo database: kam demo --force replaces only a demo", file.display())
            } else {
                format!("kam: {} {expected}", file.display())
            };
            assert_eq!(err.trim_end(), line, "kam {args:?}: one line");
            assert_eq!(digest(&file), before, "kam {args:?} changed {}", file.display());
            assert_eq!(side_files(&file), Vec::<PathBuf>::new(), "kam {args:?} left files by {}", file.display());
        }
        assert!(!backup.exists() && !out.exists(), "nothing was written from {}", file.display());
    }
}

#[test]
fn init_takes_an_empty_file_but_not_another_applications() {
    let dir = tempfile::tempdir().unwrap();
    let strangers = strangers(dir.path());
    let init = ["--user", "guanli", "init", "--unit-name", "某局", "--division", "440100", "--name", "管理员"];
    for (file, _) in &strangers {
        let before = digest(file);
        let (ok, _, err) = kam(file, &init);
        if file.ends_with("empty.db") {
            assert!(ok, "{err}");
            assert_eq!(&application_id(file), b"KAM1");
        } else {
            assert!(!ok, "init on {}", file.display());
            assert_eq!(digest(file), before);
        }
    }
}

#[test]
fn a_mistyped_path_makes_no_file_and_no_folder() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("srv").join("kma").join("kam.db");
    for args in [&["whoami"][..], &["agenda"], &["check"], &["backup", "/nonexistent/x.db"], &[]] {
        let (ok, _, err) = kam(&typo, args);
        assert!(!ok, "{args:?}");
        assert!(err.contains("没有找到数据库"), "{err}");
        assert!(!dir.path().join("srv").exists(), "kam {args:?} made folders");
    }
}

#[test]
fn init_and_demo_write_kams_application_id_first() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("office").join("kam.db");
    let init = ["--user", "guanli", "init", "--unit-name", "某局", "--division", "440100", "--name", "管理员"];
    let (ok, _, err) = kam(&real, &init);
    assert!(ok, "{err}");
    assert_eq!(&application_id(&real), b"KAM1", "init made a kam database, and its folder");
    let demo = dir.path().join("demo.db");
    let (ok, _, err) = kam(&demo, &["demo", "--customers", "5"]);
    assert!(ok, "{err}");
    assert_eq!(&application_id(&demo), b"KAMD");
    // The same file kam opens: the store says which kind it is.
    assert_eq!(kam::db::Store::open_existing(&real).unwrap().kind(), kam::db::DbKind::Real);
    assert_eq!(kam::db::Store::open_existing(&demo).unwrap().kind(), kam::db::DbKind::Demo);
}

/// A database of an earlier kam (schema 9, no application id) is kam's: it
/// opens, is marked, and the command says so, once.
#[test]
fn an_earlier_kams_file_is_recognised_and_marked_on_first_open() {
    // As the kam before this change left it: schema 9, no application id.
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.db");
    crate::upgrade::old_file(&old, 9);
    assert_eq!(
        Connection::open(&old).unwrap().query_row("PRAGMA application_id", [], |r| r.get::<_, i32>(0)).unwrap(),
        0
    );
    let (ok, out, err) = kam(&old, &["--user", "guanli", "--lang", "en", "staff"]);
    assert!(ok, "{err}");
    assert!(out.contains("guanli"), "{out}");
    assert_eq!(
        err.trim_end(),
        format!("{} was made by an earlier kam: it is now marked as a kam database (application id)", old.display())
    );
    assert_eq!(&application_id(&old), b"KAM1", "marked in the main file after a clean exit");
    let (ok, _, err) = kam(&old, &["--user", "guanli", "staff"]);
    assert!(ok && err.is_empty(), "said once: {err}");
    assert_eq!(
        Connection::open(&old).unwrap().query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0)).unwrap(),
        kam::db::schema_version()
    );
}

#[test]
fn demo_force_replaces_a_demo_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("office.db");
    let init = ["--user", "guanli", "init", "--unit-name", "某局", "--division", "440100", "--name", "管理员"];
    assert!(kam(&real, &init).0);
    let (ok, _, _) = kam(&real, &["check"]);
    assert!(ok);
    let before = digest(&real);
    let (ok, _, err) = kam(&real, &["--lang", "en", "demo", "--force", "--customers", "5"]);
    assert!(!ok);
    assert_eq!(
        err.trim_end(),
        format!("kam: {} is not a demo database: kam demo --force replaces only a demo", real.display())
    );
    assert_eq!(digest(&real), before, "the office's database is untouched");
    // --demo does not open it as a demo either.
    let (ok, _, err) = kam(&real, &["--lang", "en", "--demo", "whoami"]);
    assert!(!ok && err.contains("is not a demo database: --demo opens only demo databases"), "{err}");
    assert_eq!(digest(&real), before);

    let demo = dir.path().join("demo.db");
    assert!(kam(&demo, &["demo", "--customers", "5"]).0);
    let (ok, _, err) = kam(&demo, &["demo", "--customers", "7", "--force"]);
    assert!(ok, "{err}");
    let customers: i64 =
        Connection::open(&demo).unwrap().query_row("SELECT count(*) FROM customer", [], |r| r.get(0)).unwrap();
    assert_eq!(customers, 7, "the demo was rebuilt");
}

/// `kam demo` says what it built in the user's language, in words, not as a
/// Rust structure (it printed `DemoSummary { customers: 5, … }`).
#[test]
fn demo_says_what_it_built_in_words() {
    let dir = tempfile::tempdir().unwrap();
    let zh = dir.path().join("zh.db");
    let (ok, _, err) = kam(&zh, &["demo", "--customers", "5"]);
    assert!(ok, "{err}");
    assert!(err.contains("演示数据库已建好:5 户客户"), "{err}");
    let en = dir.path().join("en.db");
    let (ok, _, err) = kam(&en, &["--lang", "en", "demo", "--customers", "1"]);
    assert!(ok, "{err}");
    assert!(err.contains("Demo database built: 1 customer, 16 staff"), "{err}");
    assert!(!err.contains("DemoSummary") && !err.contains('{'), "{err}");
}
