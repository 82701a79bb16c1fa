//! `kam import log` as the offices run it: the built binary on a demo file,
//! `--dry-run` in Chinese and English (what it would do, every bad line with
//! its reason, nothing written), an account manager refused another's
//! entries, and then the log screens saying who entered an imported entry
//! for its author.

use std::path::Path;
use std::process::{Command, Output};

use crossterm::event::KeyCode;
use kam::db::Store;
use kam::db::sql::{Sql, args};
use kam::i18n::Lang;

use crate::support::{demo_db, key, screen, today_on};

const KAM: &str = env!("CARGO_BIN_EXE_kam");

fn kam(db: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new(KAM).arg("--db").arg(db).args(args).env("HOME", home).output().expect("kam runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn one(db: &Path, sql: &str) -> String {
    let store = Store::open(db).unwrap();
    store.conn().row(sql, args![], |r| r.get(0)).unwrap()
}

fn entries(db: &Path) -> i64 {
    let store = Store::open(db).unwrap();
    store.conn().row("SELECT count(*) FROM marketing_log", args![], |r| r.get(0)).unwrap()
}

#[test]
fn a_log_sheet_dry_run_in_both_languages_then_imported_and_shown_as_entered_by_the_importer() {
    let (dir, db) = demo_db(30);
    let home = dir.path();
    let customer = one(
        &db,
        "SELECT id FROM customer WHERE owner_a = (SELECT id FROM staff WHERE login = 'jingli01') ORDER BY id LIMIT 1",
    );
    let other = one(&db, "SELECT login FROM staff WHERE role = 'manager' AND login <> 'jingli01' ORDER BY id LIMIT 1");
    let importer = one(&db, "SELECT name FROM staff WHERE login = 'zhuguan'");
    let before = entries(&db);
    let write = |name: &str, body: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        path
    };
    let good = write(
        "good.csv",
        format!(
            "客户编号,日期,客户经理,营销阶段,内容,沟通方式\n\
             {customer},2026-11-10,jingli01,初次接触,纸质日志补录:初次拜访,拜访\n\
             {customer},2026-11-12,jingli01,报价,纸质日志补录:提交报价,电话\n"
        ),
    );
    let bad = write(
        "bad.csv",
        format!(
            "客户编号,日期,客户经理,营销阶段,内容\n\
             {customer},2026-11-10,jingli01,初次接触,初次拜访\n\
             {customer},2026-11-11,jingli01,喝茶,闲聊\n"
        ),
    );
    let good = good.to_str().unwrap();

    let zh = kam(&db, home, &["--user", "zhuguan", "import", "log", good, "--dry-run"]);
    let out = text(&zh.stdout);
    assert!(zh.status.success(), "{out}\n{}", text(&zh.stderr));
    assert!(out.contains("试运行,未写入:读取 2 行,将新增 2,更新 0,未变 0"), "{out}");
    assert!(out.contains("导入的日志记在所填客户经理名下,录入人记为你"), "{out}");
    let en = kam(&db, home, &["--user", "zhuguan", "--lang", "en", "import", "log", good, "--dry-run"]);
    let out = text(&en.stdout);
    assert!(en.status.success(), "{out}\n{}", text(&en.stderr));
    assert!(
        out.contains("Dry run, nothing written: 2 rows read; would insert 2, update 0, leave 0 unchanged"),
        "{out}"
    );
    assert!(out.contains("Imported entries are the named account managers' own, entered by you"), "{out}");
    assert_eq!(entries(&db), before, "a dry run writes nothing");

    let bad = bad.to_str().unwrap();
    let zh = kam(&db, home, &["--user", "zhuguan", "import", "log", bad, "--dry-run"]);
    let err = text(&zh.stderr);
    assert!(!zh.status.success());
    assert!(
        err.contains("第 3 行  营销阶段: 不认识的营销阶段:喝茶(可填:初次接触、协谈方案、报价、达成协议/签合同)"),
        "{err}"
    );
    assert!(err.contains("1 行有错误,未导入任何数据"), "{err}");
    let en = kam(&db, home, &["--user", "zhuguan", "--lang", "en", "import", "log", bad, "--dry-run"]);
    let err = text(&en.stderr);
    assert!(!en.status.success());
    assert!(
        err.contains(
            "Line 3  营销阶段: Unknown deal stage: 喝茶 (use one of: initial contact, proposal negotiation, \
             quotation, agreement/contract)"
        ),
        "{err}"
    );
    assert!(err.contains("Rows with errors: 1. Nothing was imported"), "{err}");

    // An account manager brings in their own entries, not a colleague's.
    let theirs = write(
        "theirs.csv",
        format!("客户编号,日期,客户经理,营销阶段,内容\n{customer},2026-11-13,{other},报价,同事的日志\n"),
    );
    let manager = kam(&db, home, &["--user", "jingli01", "import", "log", theirs.to_str().unwrap(), "--dry-run"]);
    let err = text(&manager.stderr);
    assert!(!manager.status.success());
    assert!(err.contains("第 2 行  不能录入他人写的日志:只有"), "{err}");
    let own = kam(&db, home, &["--user", "jingli01", "--lang", "en", "import", "log", good, "--dry-run"]);
    assert!(own.status.success(), "{}", text(&own.stderr));

    // Imported by the supervisor: the manager's entries, entered by the supervisor.
    let done = kam(&db, home, &["--user", "zhuguan", "import", "log", good]);
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(text(&done.stdout).contains("读取 2 行:新增 2,更新 0,未变 0"), "{}", text(&done.stdout));
    assert_eq!(entries(&db), before + 2);

    // The list says so before the content (at 80 columns it takes the
    // content's room: an import is never taken for the author's own write);
    // the entry beside its author.
    let cases = [
        (Lang::Zh, format!("录入: {importer}"), 100, format!("[录入: {importer}]")),
        (Lang::En, format!("entered by {importer}"), 120, "[entered by".to_string()),
    ];
    for (lang, entered, wide, at_80) in cases {
        let mut app = today_on(&db, lang, "jingli01");
        app.handle(&key(KeyCode::Char('6')));
        let timeline = screen(&mut app, wide, 24);
        assert!(timeline.contains(&format!("[{entered}] 纸质日志补录:提交报价")), "{timeline}");
        let narrow = screen(&mut app, 80, 24);
        assert_eq!(narrow.matches(&at_80).count(), 2, "{narrow}");
        app.handle(&key(KeyCode::Enter));
        let entry = screen(&mut app, 80, 24);
        assert!(entry.contains(&format!(" · {entered}")), "{entry}");
        let when = if lang == Lang::Zh { "录入时间" } else { "Entered at" };
        assert!(entry.contains(when), "the time is when it was entered, not written: {entry}");
    }
}
