//! Issue 14: who is working is the system account of the real user id. On a
//! real database `--user`, `KAM_USER`, `USER=`/`LOGNAME=`, a configuration's
//! `user =` (named with `--config`, `KAM_CONFIG` or found in the usual place)
//! each let an account manager work as the administrator; now each is refused
//! for anyone but root and the file's owner, and what they do for someone else
//! the history records with both names. On a demo anyone may be anyone.

use crate::accounts::{as_user, open_to_all, require_root, run};
use crate::support;

use std::path::{Path, PathBuf};
use std::process::Command;

use crossterm::event::KeyCode;
use kam::db::customers::{self, CustomerQuery};
use kam::db::{Actor, Store, reference};
use kam::domain::dossier::FieldValue;
use kam::domain::tier::TierPreset;
use kam::i18n::Lang;

const KAM: &str = env!("CARGO_BIN_EXE_kam");

/// kam as the test runs (root in CI, else the files' owner), on `db`.
fn kam(db: &Path, args: &[&str]) -> (bool, String, String) {
    let mut cmd = Command::new(KAM);
    cmd.arg("--db").arg(db).args(args).env_remove("KAM_USER").env("KAM_CONFIG", "/nonexistent/kam.toml");
    run(&mut cmd)
}

fn me() -> String {
    kam::identity::current_account().expect("the test's own account").login
}

/// A real office in its own folder: the administrator guanli (管理员) and the
/// account manager `manager` (张伟), made by the test's account.
fn office(manager: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    let init = ["--user", "guanli", "init", "--unit-name", "广州市邮政局大客户中心", "--division", "440100"];
    let (ok, _, err) = kam(&db, &[&init[..], &["--name", "管理员", "--unit-code", "GZ"]].concat());
    assert!(ok, "{err}");
    let add = ["--user", "guanli", "staff", "add", "--login", manager, "--name", "张伟", "--unit", "GZ"];
    let (ok, _, err) = kam(&db, &[&add[..], &["--role", "manager"]].concat());
    assert!(ok, "{err}");
    (dir, db)
}

fn staff_count(db: &Path) -> i64 {
    rusqlite::Connection::open(db).unwrap().query_row("SELECT count(*) FROM staff", [], |r| r.get(0)).unwrap()
}

/// `nobody` is neither root nor the owner of a file root made: every way an
/// account manager used to make themselves the administrator is refused, in
/// one line that says who they are, and nothing is written.
#[test]
fn on_a_real_database_no_flag_variable_or_configuration_makes_a_manager_someone_else() {
    if !require_root("runs kam as the account `nobody` on a file root owns") {
        return;
    }
    let (dir, db) = office("nobody");
    let home = dir.path().join("home");
    std::fs::create_dir_all(home.join(".config/kam")).unwrap();
    let config = dir.path().join("boss.toml");
    std::fs::write(&config, "user = \"guanli\"\n").unwrap();
    open_to_all(dir.path());
    open_to_all(&home);
    let before = staff_count(&db);
    let nobody = |args: &[&str]| {
        let mut cmd =
            as_user("nobody", &home, Path::new(KAM), &[&["--db", db.to_str().unwrap(), "--lang", "en"], args].concat());
        cmd.env_remove("XDG_CONFIG_HOME").env_remove("USER").env_remove("LOGNAME");
        cmd
    };
    let refused = |mut cmd: Command, expected: &str| {
        let (ok, out, err) = run(&mut cmd);
        assert!(!ok, "{cmd:?} worked:\n{out}");
        assert_eq!(err.trim_end(), format!("kam: {expected}"), "{cmd:?}");
    };
    let as_admin = ["staff", "add", "--login", "wang", "--name", "王", "--unit", "GZ", "--role", "admin"];

    // --user
    refused(nobody(&["--user", "guanli", "whoami"]), "--user is only for demo databases; you are signed in as nobody");
    refused(
        nobody(&[&["--user", "guanli"][..], &as_admin].concat()),
        "--user is only for demo databases; you are signed in as nobody",
    );
    // KAM_USER
    let mut cmd = nobody(&["whoami"]);
    cmd.env("KAM_USER", "guanli");
    refused(cmd, "KAM_USER is only for demo databases; you are signed in as nobody");
    let mut cmd = nobody(&as_admin);
    cmd.env("KAM_USER", "guanli");
    refused(cmd, "KAM_USER is only for demo databases; you are signed in as nobody");
    // A configuration's user =: named with --config, with KAM_CONFIG, or in its usual place.
    let named = format!("`user =` in {} is only for demo databases; you are signed in as nobody", config.display());
    refused(nobody(&["--config", config.to_str().unwrap(), "whoami"]), &named);
    let mut cmd = nobody(&["whoami"]);
    cmd.env("KAM_CONFIG", &config);
    refused(cmd, &named);
    let usual = home.join(".config/kam/config.toml");
    std::fs::write(&usual, "user = \"guanli\"\n").unwrap();
    let mut cmd = nobody(&as_admin);
    cmd.env_remove("KAM_CONFIG");
    refused(cmd, &format!("`user =` in {} is only for demo databases; you are signed in as nobody", usual.display()));
    std::fs::remove_file(&usual).unwrap();
    // USER= and LOGNAME= are the caller's to set: kam does not read them.
    let mut cmd = nobody(&["whoami"]);
    cmd.env("USER", "guanli").env("LOGNAME", "guanli").env("USERNAME", "guanli");
    let (ok, out, err) = run(&mut cmd);
    assert!(ok, "{err}");
    assert!(out.starts_with("Login     nobody\nName      张伟\nRole      Account manager\n"), "{out}");
    let mut cmd = nobody(&as_admin);
    cmd.env("USER", "guanli").env("LOGNAME", "guanli");
    let (ok, _, err) = run(&mut cmd);
    assert!(!ok && err.contains("Not allowed: only an administrator"), "a manager adds no staff: {err}");

    assert_eq!(staff_count(&db), before, "nothing was written");
    // The same person as themselves is no request at all.
    let (ok, out, err) = run(&mut nobody(&["--user", "nobody", "whoami"]));
    assert!(ok && out.contains("张伟"), "{err}");
}

/// Root, or the file's owner, may work as someone else on a real database:
/// the records are the staff member's, and the history says who acted for
/// them, in `kam history`, a unit's history and the dossier's history tab.
#[test]
fn root_or_the_owner_acting_for_someone_is_recorded_in_the_history() {
    let me = me();
    let (_dir, db) = office("zhangwei");
    let (ok, out, err) = kam(&db, &["--user", "guanli", "whoami"]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("系统账户 {me} 代 管理员 操作,历史记录写明两者")), "{out}");
    let (ok, _, err) = kam(
        &db,
        &["--user", "guanli", "unit", "add", "--code", "TH", "--name", "天河区大客户中心", "--division", "440106"],
    );
    assert!(ok, "{err}");
    let (_, out, _) = kam(&db, &["--user", "guanli", "unit", "history", "TH"]);
    // Root is named as the system's administrator ("管理员 root 代 张伟").
    let (zh, en) =
        if me == "root" { ("管理员 root".to_string(), "admin root".to_string()) } else { (me.clone(), me.clone()) };
    assert!(out.contains(&format!("  {zh} 代 管理员  创建 TH 天河区大客户中心")), "{out}");
    let (_, out, _) = kam(&db, &["--user", "guanli", "--lang", "en", "unit", "history", "TH"]);
    assert!(out.contains(&format!("  {en} for 管理员  ")), "{out}");
    // The staff member's own work is theirs alone.
    let (_, out, _) = kam(&db, &["--user", "guanli", "staff"]);
    assert!(out.contains("zhangwei"), "{out}");
    let acted: i64 = rusqlite::Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM history_acted WHERE acted_by = ?1", [&me], |r| r.get(0))
        .unwrap();
    let all: i64 =
        rusqlite::Connection::open(&db).unwrap().query_row("SELECT count(*) FROM history", [], |r| r.get(0)).unwrap();
    assert_eq!(acted, all, "every row written for someone else names who acted");
    // The notes are part of the hash chain, and the chain holds.
    let (ok, out, _) = kam(&db, &["check"]);
    assert!(ok && out.trim_end().ends_with("ok"), "{out}");
}

#[test]
fn a_note_of_who_acted_cannot_be_taken_out_unseen() {
    let (_dir, db) = office("zhangwei");
    // Whoever can write the file drops the guard and deletes the notes: the chain breaks.
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch("DROP TRIGGER history_acted_no_delete; DELETE FROM history_acted;").unwrap();
        conn.execute_batch(
            "CREATE TRIGGER history_acted_no_delete BEFORE DELETE ON history_acted
             BEGIN SELECT RAISE(ABORT, 'history is never deleted'); END;",
        )
        .unwrap();
    }
    let (ok, out, _) = kam(&db, &["check"]);
    assert!(!ok, "{out}");
    assert!(out.contains("history rows changed, or the chain broken before them: 1"), "{out}");
}

#[test]
fn the_dossier_history_tab_shows_who_acted_for_whom() {
    let (_dir, path) = support::demo_db(30);
    let admin = {
        let mut store = Store::open(&path).unwrap();
        let q = CustomerQuery { search: "dxzw".into(), ..Default::default() };
        let id = customers::page(store.conn(), &q, 0, 5).unwrap()[0].id.clone();
        let staff = reference::staff_by_login(store.conn(), "guanli").unwrap().unwrap();
        store.set_acting(Some("root")).unwrap();
        let base = customers::load(store.conn(), &id).unwrap();
        let actor = Actor { staff: staff.clone(), at: support::now() };
        let change = [("address", FieldValue::Text("广州市天河路1号".into()))];
        customers::update(&mut store, &actor, &base, &change, TierPreset::GuangdongScore).unwrap();
        staff.name
    };
    for (lang, expected) in
        [(Lang::Zh, format!("管理员 root 代 {admin}")), (Lang::En, format!("admin root for {admin}"))]
    {
        let mut app = support::app_on(&path, lang, "jingli01");
        app.handle(&support::key(KeyCode::Char('/')));
        support::type_text(&mut app, "dxzw");
        app.handle(&support::key(KeyCode::Enter));
        for _ in 0..10 {
            app.handle(&support::key(KeyCode::Tab));
        }
        let shown = support::screen(&mut app, 120, 40);
        let line = shown.lines().find(|l| l.contains("广州市天河路1号")).unwrap_or_else(|| panic!("{shown}"));
        assert!(line.contains(&expected), "{shown}");
    }
}

#[test]
fn whoami_names_the_login_name_role_and_unit_and_says_a_demo_is_one() {
    let (_dir, demo) = support::demo_db(20);
    let (ok, out, err) = kam(&demo, &["--user", "zhuguan2", "whoami"]);
    assert!(ok, "{err}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("登录名  zhuguan2"), "{out}");
    assert!(lines[1].starts_with("姓名    "), "{out}");
    assert_eq!(lines[2], "角色    主管", "{out}");
    assert!(lines[3].starts_with("单位    ") && lines[3].ends_with(')'), "{out}");
    assert!(out.contains("这是演示数据库:可用 --user 以任一演示人员的身份操作"), "{out}");
    let (_, out, _) = kam(&demo, &["--user", "guanli", "--lang", "en", "whoami"]);
    assert!(out.starts_with("Login     guanli\nName      "), "{out}");
    assert!(out.contains("Role      Administrator\n"), "{out}");
    assert!(out.contains("This is a demo database: --user works as any of its logins"), "{out}");
    assert!(!out.contains("acting"), "on a demo nobody acts for anyone: {out}");

    let (_dir2, real) = office("zhangwei");
    let (_, out, _) = kam(&real, &["--user", "guanli", "--lang", "en", "whoami"]);
    assert!(out.contains("Unit      广州市邮政局大客户中心 (GZ)"), "{out}");
    assert!(!out.contains("demo"), "{out}");
}

/// A demo is generated data: anyone may work as any of its logins, with no note.
#[test]
fn on_a_demo_anyone_may_work_as_anyone() {
    if !require_root("runs kam as the account `nobody` on a demo root made") {
        return;
    }
    let (dir, demo) = support::demo_db(20);
    open_to_all(dir.path());
    let mut cmd =
        as_user("nobody", dir.path(), Path::new(KAM), &["--db", demo.to_str().unwrap(), "--user", "guanli", "whoami"]);
    let (ok, out, err) = run(&mut cmd);
    assert!(ok, "{err}");
    assert!(out.starts_with("登录名  guanli\n"), "{out}");
    assert!(!out.contains("代"), "{out}");
    // Without --user, someone who is not demo staff works as its first account manager.
    let mut cmd = as_user("nobody", dir.path(), Path::new(KAM), &["--db", demo.to_str().unwrap(), "whoami"]);
    let (ok, out, err) = run(&mut cmd);
    assert!(ok && out.starts_with("登录名  jingli01\n"), "{out}{err}");
}
