//! Setting up a real office through the real binary: `kam init` on an empty
//! file, then units, staff, industries and service lines, with refusals in
//! the user's language.

use std::path::Path;
use std::process::Command;

/// Runs kam on `db` as `user`: (success, stdout, stderr).
fn kam(db: &Path, user: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kam"))
        .arg("--db")
        .arg(db)
        .args(["--user", user])
        .args(args)
        .env_remove("KAM_DB")
        .env_remove("KAM_CONFIG")
        .env("KAM_CONFIG", "/nonexistent/kam-config.toml")
        .output()
        .expect("run kam");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn ok(db: &Path, user: &str, args: &[&str]) -> String {
    let (ok, out, err) = kam(db, user, args);
    assert!(ok, "kam {args:?} failed: {err}");
    out
}

fn fails(db: &Path, user: &str, args: &[&str]) -> String {
    let (ok, out, err) = kam(db, user, args);
    assert!(!ok, "kam {args:?} should fail: {out}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    err
}

#[test]
fn init_says_what_it_created_and_how_to_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("office.db");
    let out = ok(
        &db,
        "boss",
        &[
            "init",
            "--unit-name",
            "广州市邮政局大客户中心",
            "--division",
            "440100",
            "--name",
            "王经理",
            "--unit-code",
            "GZ",
        ],
    );
    let shown = db.display().to_string();
    assert!(out.starts_with(&format!("已建立 {shown}\n")), "{out}");
    assert!(out.contains("GZ 广州市邮政局大客户中心(市局,行政区划 440100)"), "{out}");
    assert!(out.contains("王经理(登录名 boss,客户管理员)"), "{out}");
    // The next commands name the same file and person, and work as printed.
    let add = out.lines().find(|l| l.contains(" unit add ")).expect("how to add units");
    assert!(add.contains(&format!("kam --db {shown} --user boss unit add --code TH")), "{add}");
    assert!(add.contains("--parent GZ"), "{add}");
    for step in ["staff add", "industry add", "import customers", "按 0"] {
        assert!(out.contains(step), "{step}: {out}");
    }
    let args: Vec<&str> = add.split_whitespace().skip_while(|w| *w != "unit").collect();
    let added = ok(&db, "boss", &args);
    assert!(added.contains("TH 天河区大客户中心(区县局,行政区划 440106,上级 GZ)"), "{added}");

    // Once is enough.
    let err = fails(&db, "boss", &["init", "--unit-name", "X", "--division", "440100", "--name", "X"]);
    assert!(err.contains("已有人员"), "{err}");

    // In English, with the default code HQ.
    let db2 = dir.path().join("second.db");
    let out = ok(
        &db2,
        "boss",
        &["--lang", "en", "init", "--unit-name", "深圳市邮政局大客户中心", "--division", "440300", "--name", "Wang"],
    );
    assert!(out.contains("Unit           HQ 深圳市邮政局大客户中心 (city, division 440300)"), "{out}");
    assert!(out.contains("Administrator  Wang (login boss, Administrator)"), "{out}");
    assert!(out.contains("What next:"), "{out}");
    assert!(out.contains("--name 'Tianhe key-account centre' --division 440306 --parent HQ"), "{out}");
    let err = fails(
        &dir.path().join("third.db"),
        "boss",
        &["--lang", "en", "init", "--unit-name", "X", "--division", "4403", "--name", "W"],
    );
    assert!(err.contains("A division code is 6 digits"), "{err}");
    let err = fails(
        &dir.path().join("third.db"),
        "boss",
        &["init", "--unit-name", "X", "--division", "440300", "--name", "W", "--level", "team"],
    );
    assert!(err.contains("不认识的级别 team"), "{err}");
}

/// An office set up with GZ, as `boss`.
fn office(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("kam.db");
    ok(
        &db,
        "boss",
        &[
            "init",
            "--unit-name",
            "广州市邮政局大客户中心",
            "--division",
            "440100",
            "--name",
            "王经理",
            "--unit-code",
            "GZ",
        ],
    );
    db
}

#[test]
fn units_are_added_listed_renamed_moved_and_archived() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(dir.path());
    ok(
        &db,
        "boss",
        &["unit", "add", "--code", "TH", "--name", "天河区大客户中心", "--division", "440106", "--parent", "GZ"],
    );
    ok(
        &db,
        "boss",
        &["unit", "add", "--code", "BY", "--name", "白云区大客户中心", "--division", "440111", "--parent", "gz"],
    );
    let out = ok(&db, "boss", &["unit", "add", "--code", "SP", "--name", "石牌支局", "--parent", "TH"]);
    assert!(out.contains("石牌支局(支局,行政区划 440106,上级 TH)"), "{out}");
    let tree = ok(&db, "boss", &["unit", "list"]);
    let rows: Vec<Vec<&str>> = tree.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows[0], ["代码", "名称", "区划", "级别"]);
    assert_eq!(rows[1], ["GZ", "广州市邮政局大客户中心", "440100", "市局"]);
    assert_eq!(rows[2], ["├─", "BY", "白云区大客户中心", "440111", "区县局"]);
    assert_eq!(rows[3], ["└─", "TH", "天河区大客户中心", "440106", "区县局"]);
    assert_eq!(rows[4], ["└─", "SP", "石牌支局", "440106", "支局"]);
    assert!(tree.lines().nth(4).unwrap().starts_with("   └─ SP"), "{tree}");
    let en = ok(&db, "boss", &["--lang", "en", "unit"]);
    assert!(en.lines().next().unwrap().starts_with("Code"), "{en}");
    assert!(en.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["└─", "TH", "天河区大客户中心", "440106", "district"]), "{en}");

    // Refusals, in the user's language, and nothing written.
    let cases: [(&[&str], &str, &str); 6] = [
        (
            &["unit", "add", "--code", "th", "--name", "X", "--division", "440106"],
            "代码 TH 已被使用",
            "The code TH is already taken",
        ),
        (
            &["unit", "add", "--code", "HZ", "--name", "海珠", "--division", "440105", "--parent", "GX"],
            "没有代码为 GX 的单位",
            "No unit has the code GX",
        ),
        (
            &["unit", "add", "--code", "HZ", "--name", "海珠", "--division", "44010", "--parent", "GZ"],
            "行政区划代码须为6位数字",
            "A division code is 6 digits",
        ),
        (&["unit", "move", "TH", "--parent", "SP"], "不能把 TH 移到 SP 之下", "Cannot move TH under SP"),
        (&["unit", "move", "GZ", "--parent", "BY"], "不能把 GZ 移到 BY 之下", "Cannot move GZ under BY"),
        (&["unit", "archive", "TH"], "下级单位 1", "units below 1"),
    ];
    for (args, zh, en) in cases {
        let err = fails(&db, "boss", args);
        assert!(err.contains(zh), "{args:?}: {err}");
        let err = fails(&db, "boss", &[&["--lang", "en"], args].concat());
        assert!(err.contains(en), "{args:?}: {err}");
    }
    assert_eq!(ok(&db, "boss", &["unit", "list"]), tree, "refusals change nothing");

    // Rename, move, archive, restore; each in the unit's history.
    ok(&db, "boss", &["unit", "rename", "TH", "--name", "天河区邮政局大客户中心"]);
    ok(&db, "boss", &["unit", "edit", "TH", "--division", "440104"]);
    let out = ok(&db, "boss", &["unit", "move", "SP", "--parent", "BY"]);
    assert_eq!(out.trim(), "已把 SP 移到 BY 之下");
    let out = ok(&db, "boss", &["--lang", "en", "unit", "move", "SP", "--top"]);
    assert_eq!(out.trim(), "Moved SP to the top level");
    ok(&db, "boss", &["unit", "archive", "SP"]);
    assert!(!ok(&db, "boss", &["unit", "list"]).contains("石牌支局"));
    assert!(ok(&db, "boss", &["unit", "list", "--archived"]).contains("石牌支局               440106 支局 [已归档]"));
    let history = ok(&db, "boss", &["unit", "history", "SP"]);
    let changes: Vec<&str> = history.lines().map(|l| l.split("  ").nth(2).unwrap()).collect();
    assert_eq!(
        changes,
        ["归档: 否 → 是", "上级单位: BY → —(最上级)", "上级单位: TH → BY", "创建 SP 石牌支局"],
        "{history}"
    );
    // The tests run as root or as the file's owner, acting for boss: the history names both.
    let me = kam::identity::current_account().unwrap().login;
    let me = if me == "root" { "管理员 root".to_string() } else { me };
    assert!(history.lines().all(|l| l.contains(&format!("  {me} 代 王经理  "))), "{history}");
    let history = ok(&db, "boss", &["--lang", "en", "unit", "history", "TH"]);
    assert!(history.contains("Division code: 440106 → 440104"), "{history}");
    assert!(history.contains("Name: 天河区大客户中心 → 天河区邮政局大客户中心"), "{history}");
    ok(&db, "boss", &["unit", "restore", "SP"]);
    let err = fails(&db, "boss", &["--lang", "en", "unit", "restore", "SP"]);
    assert!(err.contains("SP is not archived"), "{err}");
}

#[test]
fn only_the_administrator_writes_and_everyone_lists() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(dir.path());
    ok(
        &db,
        "boss",
        &["unit", "add", "--code", "TH", "--name", "天河区大客户中心", "--division", "440106", "--parent", "GZ"],
    );
    ok(&db, "boss", &["staff", "add", "--login", "lina", "--name", "李娜", "--unit", "TH", "--role", "manager"]);
    ok(&db, "boss", &["staff", "add", "--login", "wang", "--name", "王芳", "--unit", "GZ", "--role", "supervisor"]);
    for user in ["lina", "wang"] {
        for args in [
            &["unit", "add", "--code", "BY", "--name", "白云", "--division", "440111"][..],
            &["unit", "rename", "TH", "--name", "X"],
            &["industry", "add", "--code", "finance", "--name", "金融"],
            &["service-line", "archive", "letters"],
        ] {
            let err = fails(&db, user, args);
            assert!(err.contains("不允许:只有系统管理员可以管理人员和基础数据"), "{user} {args:?}: {err}");
        }
        let err = fails(&db, user, &["--lang", "en", "industry", "add", "--code", "x", "--name", "y"]);
        assert!(err.contains("Not allowed: only an administrator"), "{err}");
        assert!(ok(&db, user, &["unit"]).contains("天河区大客户中心"));
        assert!(ok(&db, user, &["service-line", "list"]).contains("letters"));
    }
    let err = fails(&db, "boss", &["--lang", "en", "unit", "archive", "TH"]);
    assert!(err.contains("still has customers 0, staff 1, units below 0"), "{err}");
}

#[test]
fn industries_and_service_lines_are_kept_as_reference_data() {
    let dir = tempfile::tempdir().unwrap();
    let db = office(dir.path());
    assert_eq!(ok(&db, "boss", &["industry"]).trim(), "(无)");
    ok(&db, "boss", &["industry", "add", "--code", "finance", "--name", "金融", "--name-en", "Finance"]);
    ok(&db, "boss", &["industry", "add", "--code", "logistics", "--name", "物流"]);
    let err = fails(&db, "boss", &["industry", "add", "--code", "Finance", "--name", "银行"]);
    assert!(err.contains("代码 finance 已被使用"), "{err}");
    let err = fails(&db, "boss", &["--lang", "en", "industry", "add", "--code", "real estate", "--name", "房地产"]);
    assert!(err.contains("A code is 1 to 16 letters, digits, - or _"), "{err}");
    ok(&db, "boss", &["industry", "rename", "logistics", "--name", "物流仓储", "--name-en", "Logistics"]);
    ok(&db, "boss", &["industry", "archive", "logistics"]);
    let list = ok(&db, "boss", &["--lang", "en", "industry", "list"]);
    assert!(list.contains("finance") && !list.contains("logistics"), "{list}");
    let all = ok(&db, "boss", &["--lang", "en", "industry", "list", "--archived"]);
    assert!(all.contains("logistics 物流仓储 Logistics [archived]"), "{all}");
    let history = ok(&db, "boss", &["--lang", "en", "industry", "history", "logistics"]);
    assert!(history.contains("Chinese name: 物流 → 物流仓储"), "{history}");
    assert!(history.contains("Archived: no → yes"), "{history}");
    let err = fails(&db, "boss", &["industry", "archive", "media"]);
    assert!(err.contains("没有代码为 media 的行业"), "{err}");

    let lines = ok(&db, "boss", &["service-line"]);
    assert_eq!(lines.lines().count(), 11, "a header and the ten seeded lines: {lines}");
    ok(
        &db,
        "boss",
        &["service-line", "add", "--code", "ems-intl", "--name", "国际速递", "--name-en", "International express"],
    );
    ok(&db, "boss", &["service-line", "rename", "bill", "--name", "账单"]);
    ok(&db, "boss", &["service-line", "archive", "agency"]);
    let lines = ok(&db, "boss", &["service-line", "list"]);
    assert!(lines.contains("ems-intl  国际速递  International express"), "{lines}");
    assert!(lines.contains("账单") && !lines.contains("agency"), "{lines}");
    let err = fails(&db, "boss", &["--lang", "en", "service-line", "archive", "agency"]);
    assert!(err.contains("agency is already archived"), "{err}");
    let err = fails(&db, "boss", &["service-line", "rename", "telex", "--name", "电报"]);
    assert!(err.contains("没有代码为 telex 的业务种类"), "{err}");
}
