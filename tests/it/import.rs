//! `kam import`: revenue, customers and key persons from CSV files as Excel
//! saves them (UTF-8 with a BOM, GBK), all-or-nothing, idempotent, and only
//! for supervisors and customer administrators.

use crate::common;

use std::path::Path;
use std::process::Command;

use common::{Seeded, actor, cid, count, new_customer};
use kam::cli::ImportKind;
use kam::commands::CommandEnv;
use kam::commands::import::{Outcome, bad_row_text, import_bytes};
use kam::db::customers::{create, load};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, history, reference};
use kam::domain::id::CustomerId;
use kam::domain::revenue::StatusRules;
use kam::domain::staff::Staff;
use kam::domain::tier::TierPreset;
use kam::i18n::Lang;

const KAM: &str = env!("CARGO_BIN_EXE_kam");

/// The seeded organisation with two customers of 张伟 (IDs 44010600001000 and …2000).
fn seeded() -> (Seeded, CustomerId, CustomerId) {
    let mut s = Seeded::new();
    let me = actor(&s.org.manager);
    let (unit, owner) = (s.org.unit, s.org.manager.id);
    let a =
        create(s.store(), &me, &new_customer("华信", "广州华信物流有限公司", unit, owner), TierPreset::GuangdongScore)
            .unwrap();
    let b =
        create(s.store(), &me, &new_customer("天河电信", "天河电信帐务中心", unit, owner), TierPreset::GuangdongScore)
            .unwrap();
    (s, a, b)
}

/// What the command works with, as `staff`, on a second connection to the seeded file.
fn env_as(s: &Seeded, staff: &Staff, lang: Lang) -> CommandEnv {
    let store = s.db.reopen();
    let reference = reference::load(store.conn()).unwrap();
    CommandEnv {
        store,
        actor: actor(staff),
        reference,
        lang,
        preset: TierPreset::GuangdongScore,
        rules: StatusRules::default(),
    }
}

fn import(s: &Seeded, kind: ImportKind, bytes: &[u8], dry_run: bool) -> Outcome {
    let mut env = env_as(s, &s.org.supervisor, Lang::Zh);
    import_bytes(&mut env, kind, bytes, dry_run).expect("import runs")
}

fn bom(text: &str) -> Vec<u8> {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(text.as_bytes());
    bytes
}

fn gbk(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable, "the text is all GBK");
    bytes.into_owned()
}

fn fen(s: &Seeded, customer: &str, month: i64, line: &str) -> Option<i64> {
    s.conn()
        .row(
            "SELECT r.amount FROM revenue r JOIN service_line l ON l.id = r.service_line_id \
             WHERE r.customer_id = ?1 AND r.month = ?2 AND l.code = ?3",
            args![customer, month, line],
            |r| r.get(0),
        )
        .ok()
}

fn long_revenue(a: &CustomerId, b: &CustomerId) -> String {
    format!(
        "客户编号,客户名称,月份,业务种类,收入(元)\n\
         {a},华信,2026-09,函件,\"12,345.60\"\n\
         {a},华信,2026年10月,速递,1.2万\n\
         {b},天河电信,202610,帐单,８８００\n\
         {b},天河电信,2026/10,letters,0\n"
    )
}

#[test]
fn utf8_with_bom_imports_and_reimport_changes_nothing() {
    let (s, a, b) = seeded();
    let file = bom(&long_revenue(&a, &b));
    let first = import(&s, ImportKind::Revenue, &file, false);
    assert!(first.bad.is_empty(), "{:?}", first.bad);
    assert_eq!((first.encoding, first.rows), ("UTF-8", 4));
    assert_eq!((first.report.counts.inserted, first.report.counts.updated), (4, 0));
    assert_eq!(first.ignored, ["客户名称"]);
    assert_eq!(fen(&s, a.as_str(), 202609, "letters"), Some(1_234_560));
    assert_eq!(fen(&s, a.as_str(), 202610, "express"), Some(1_200_000));
    assert_eq!(fen(&s, b.as_str(), 202610, "bill"), Some(880_000));
    assert_eq!(fen(&s, b.as_str(), 202610, "letters"), Some(0));

    let history_before = s.db.count("history");
    let again = import(&s, ImportKind::Revenue, &file, false);
    assert_eq!((again.report.counts.inserted, again.report.counts.updated, again.report.counts.unchanged), (0, 0, 4));
    assert_eq!(s.db.count("revenue"), 4);
    assert_eq!(s.db.count("history"), history_before, "nothing changed, nothing recorded");
    let summary = again.summary(Lang::Zh, ImportKind::Revenue, false);
    assert!(summary.contains("读取 4 行:新增 0,更新 0,未变 4"), "{summary}");
}

#[test]
fn gbk_wide_revenue_imports_with_chinese_headers() {
    let (s, a, b) = seeded();
    let text = format!(
        "客户编号,客户名称,月份,函件,帐单,商函,特快/速递,合计\n\
         {a},广州华信物流有限公司,2026-10,1000,,500.5,2万,\n\
         {b},天河电信帐务中心,2026-10,,30000,,,30000\n"
    );
    let out = import(&s, ImportKind::Revenue, &gbk(&text), false);
    assert!(out.bad.is_empty(), "{:?}", out.bad);
    assert_eq!(out.encoding, "GBK");
    assert_eq!(out.report.counts.inserted, 4);
    assert_eq!(out.ignored, ["客户名称", "合计"]);
    assert_eq!(fen(&s, a.as_str(), 202610, "dm"), Some(50_050));
    assert_eq!(fen(&s, a.as_str(), 202610, "express"), Some(2_000_000));
    assert_eq!(fen(&s, a.as_str(), 202610, "bill"), None, "an empty cell is no entry");
    assert_eq!(fen(&s, b.as_str(), 202610, "bill"), Some(3_000_000));
}

#[test]
fn gbk_customers_keep_their_chinese_names() {
    let (s, ..) = seeded();
    let text = "客户简称,客户全称,责任单位,客户经理,地址,行业,类型\n\
                荔湾供电,广州荔湾供电局,天河区分公司大客户中心,张伟,广州市荔湾区龙津西路1号,,政策性\n";
    let out = import(&s, ImportKind::Customers, &gbk(text), false);
    assert!(out.bad.is_empty(), "{:?}", out.bad);
    assert_eq!(out.encoding, "GBK");
    let id: String =
        s.conn().row("SELECT id FROM customer WHERE short_name = '荔湾供电'", args![], |r| r.get(0)).unwrap();
    let d = load(s.conn(), &cid(&id)).unwrap();
    assert_eq!(d.text("full_name"), "广州荔湾供电局");
    assert_eq!(d.text("address"), "广州市荔湾区龙津西路1号");
    assert_eq!(d.text("kind"), "policy");
}

#[test]
fn one_bad_row_writes_nothing_and_is_named() {
    let (s, a, b) = seeded();
    let text = format!(
        "客户编号,月份,业务种类,收入(元)\n{a},2026-09,函件,100\n{b},2026-09,函件,200\n{a},2026-10,函件,-50\n{b},2026-10,函件,300\n"
    );
    let before = s.db.count("revenue");
    let out = import(&s, ImportKind::Revenue, &bom(&text), false);
    assert_eq!(s.db.count("revenue"), before, "nothing written");
    assert_eq!(out.bad.len(), 1, "{:?}", out.bad);
    assert_eq!(out.bad[0].line, 4);
    assert_eq!(bad_row_text(Lang::Zh, &out.bad[0]), "第 4 行  收入(元): 金额不能为负");
    assert_eq!(bad_row_text(Lang::En, &out.bad[0]), "Line 4  收入(元): An amount cannot be negative");
}

#[test]
fn every_bad_row_is_listed_whoever_finds_it() {
    let (s, a, b) = seeded();
    let text = format!(
        "客户编号,月份,业务种类,收入(元)\n\
         {a},2026-09,函件,100\n\
         44010699999000,2026-09,函件,100\n\
         {b},2026-13,函件,100\n\
         {b},2026-09,快递,100\n\
         {a},2026-12,函件,100\n\
         {a},2026-09,函件,100\n\
         4.40106E+13,2026-09,函件,1.234\n"
    );
    let out = import(&s, ImportKind::Revenue, text.as_bytes(), false);
    assert_eq!(s.db.count("revenue"), 0);
    let listed: Vec<String> = out.bad.iter().map(|b| bad_row_text(Lang::Zh, b)).collect();
    assert_eq!(
        listed,
        [
            "第 3 行  找不到客户 44010699999000",
            "第 4 行  月份: “2026-13”不是有效的月份(月份为 1–12)",
            "第 5 行  业务种类: 不认识的业务种类:快递",
            "第 6 行  月份: 2026-12 还没到",
            "第 7 行  与第 2 行重复",
            "第 8 行  客户编号: 编号被 Excel 存成了科学计数法,请把该列设为文本后重新导出",
            "第 8 行  收入(元): 金额最多两位小数(分)",
        ]
    );
}

/// Issue 12: `2003年1-10月` (ten months' total) was stored as January 2003.
/// A month cell holds exactly one month or a period total of one year
/// (issue 16: kept whole, never as its first month); anything else with
/// several months, or a day, is refused with its line and reason, and nothing
/// of the file is written.
#[test]
fn a_period_or_a_day_is_refused_not_stored_as_its_first_month() {
    let (s, a, b) = seeded();
    let text = format!(
        "客户编号,月份,业务种类,收入(元)\n\
         {a},2026-09,函件,100\n\
         {a},2003年1-10月,函件,5000\n\
         {b},2026-01~03,函件,300\n\
         {b},2003-1-10,函件,300\n\
         {b},2026/10/1,函件,300\n"
    );
    let out = import(&s, ImportKind::Revenue, &bom(&text), false);
    assert_eq!(s.db.count("revenue"), 0, "nothing written");
    assert_eq!(fen(&s, a.as_str(), 200301, "letters"), None);
    assert_eq!(s.db.count("revenue_period"), 0, "nothing written");
    let listed: Vec<String> = out.bad.iter().map(|b| bad_row_text(Lang::Zh, b)).collect();
    assert_eq!(
        listed,
        [
            "第 4 行  月份: “2026-01~03”是一段时间(多个月),不是一个月,请按月分开填写",
            "第 5 行  月份: “2003-1-10”是某一天,不是月份(请写 2026-10 这样的月份)",
        ]
    );
    assert_eq!(
        bad_row_text(Lang::En, &out.bad[0]),
        "Line 4  月份: \"2026-01~03\": a period of several months, not one month; give each month on its own"
    );
}

#[test]
fn dry_run_reports_and_writes_nothing() {
    let (s, a, b) = seeded();
    let out = import(&s, ImportKind::Revenue, &bom(&long_revenue(&a, &b)), true);
    assert!(out.bad.is_empty());
    assert_eq!(out.report.counts.inserted, 4);
    assert_eq!(s.db.count("revenue"), 0);
    assert!(out.summary(Lang::Zh, ImportKind::Revenue, true).contains("试运行,未写入:读取 4 行,将新增 4"));

    let customers = s.db.count("customer");
    let text = "客户简称,客户全称,责任单位,客户经理\n新客,新客户有限公司,440106,zhangwei\n";
    let out = import(&s, ImportKind::Customers, text.as_bytes(), true);
    assert_eq!(out.report.counts.inserted, 1);
    assert_eq!(s.db.count("customer"), customers);
}

#[test]
fn account_managers_may_not_import() {
    let (mut s, a, b) = seeded();
    let file = bom(&long_revenue(&a, &b));
    let mut env = env_as(&s, &s.org.manager, Lang::En);
    let err = import_bytes(&mut env, ImportKind::Revenue, &file, false).unwrap_err();
    assert_eq!(err.to_string(), "only a supervisor or a customer administrator may do this");
    // The database layer refuses on its own, whoever calls it.
    let entries = vec![(
        2,
        kam::db::revenue::RevenueEntry {
            customer_id: a.clone(),
            month: kam::domain::revenue::Month::new(2026, 10).unwrap(),
            service_line_id: 1,
            amount: common::yuan("1"),
        },
    )];
    let me = actor(&s.org.manager);
    let refused = kam::db::import::revenue(s.store(), &me, &StatusRules::default(), &entries, false);
    assert!(matches!(refused, Err(DbError::Refused(_))), "{refused:?}");
    let leader = actor(&s.org.leader);
    assert!(kam::db::import::persons(s.store(), &leader, &[], true).is_err());
    assert_eq!(s.db.count("revenue"), 0);
}

#[test]
fn customers_create_then_update_with_history() {
    let (s, a, _) = seeded();
    let file = |phone: &str| {
        format!(
            "客户编号,客户简称,客户全称,责任单位,客户经理,地址,邮编,电话,预估年收入(万元)\n\
             {a},华信,广州华信物流有限公司,440106,zhangwei,天河路1号,510620,{phone},\n\
             44010600042000,珠江啤酒,广州珠江啤酒股份有限公司,440106,李娜,,,,80\n\
             ,白云机场,广州白云国际机场股份有限公司,天河区分公司大客户中心,zhangwei,,,,\n"
        )
    };
    let first = import(&s, ImportKind::Customers, file("020-87654321").as_bytes(), false);
    assert!(first.bad.is_empty(), "{:?}", first.bad);
    let c = first.report.counts;
    assert_eq!((c.inserted, c.updated, c.unchanged), (2, 1, 0));
    assert_eq!(s.db.count("customer"), 4);
    let beer = load(s.conn(), &cid("44010600042000")).unwrap();
    assert_eq!(beer.registration, "approved", "an imported book is already registered");
    assert_eq!(beer.owner_a(), s.org.manager2.id);
    // The system assigns the next free ID in the unit's division, after the one the file gave.
    assert_eq!(count(s.conn(), "customer WHERE id = '44010600043000' AND short_name = '白云机场'"), 1);
    assert_eq!(count(s.conn(), "registration WHERE decision = 'approved'"), 2);

    let again = import(&s, ImportKind::Customers, file("020-87654321").as_bytes(), false);
    let c = again.report.counts;
    assert_eq!((c.inserted, c.updated, c.unchanged), (0, 0, 3));
    assert_eq!(s.db.count("customer"), 4);

    let changed = import(&s, ImportKind::Customers, file("13800138000").as_bytes(), false);
    assert_eq!((changed.report.counts.updated, changed.report.counts.unchanged), (1, 2));
    let d = load(s.conn(), &a).unwrap();
    assert_eq!(d.text("phone"), "13800138000");
    let rows = history::for_customer(s.conn(), &a, 0, 50).unwrap();
    let phone = rows.iter().find(|h| h.field.as_deref() == Some("phone")).expect("phone change in history");
    assert_eq!(phone.old_value.as_deref(), Some("020-87654321"));
    assert_eq!(phone.new_value.as_deref(), Some("13800138000"));
    assert_eq!(phone.changed_by, "王芳");
}

#[test]
fn a_customer_without_id_is_found_by_full_name_or_refused_as_a_likely_duplicate() {
    let (s, a, _) = seeded();
    let text = "客户简称,客户全称,责任单位,客户经理,地址\n华信物流,广州华信物流有限公司,440106,zhangwei,天河路2号\n";
    let out = import(&s, ImportKind::Customers, text.as_bytes(), false);
    assert_eq!((out.report.counts.inserted, out.report.counts.updated), (0, 1));
    assert_eq!(load(s.conn(), &a).unwrap().text("short_name"), "华信物流");

    let similar = "客户简称,客户全称,责任单位,客户经理\n华信,广州华信物流(集团)公司,440106,zhangwei\n\
                   新客,新客户,440106,\n";
    let out = import(&s, ImportKind::Customers, similar.as_bytes(), false);
    let listed: Vec<String> = out.bad.iter().map(|b| bad_row_text(Lang::Zh, b)).collect();
    assert_eq!(
        listed,
        [
            format!("第 2 行  已有名称相近的客户 {a} 广州华信物流有限公司;如是同一客户请填其编号"),
            "第 3 行  客户经理(A角):新客户必须填写".to_string(),
        ]
    );
    assert_eq!(s.db.count("customer"), 2);
}

#[test]
fn persons_insert_then_update_with_history() {
    let (s, a, b) = seeded();
    let file = |title: &str| {
        format!(
            "客户编号,客户名称,姓名,职务,决策角色,电话,生日,兴趣\n\
             {a},华信,陈明,{title},决策者,13900001111,1975-03-08,高尔夫\n\
             {a},华信,李红,财务经理,财务负责人,,,\n\
             {b},天河电信,王强,主任,经办人,,,\n"
        )
    };
    let first = import(&s, ImportKind::Persons, &gbk(&file("总经理")), false);
    assert!(first.bad.is_empty(), "{:?}", first.bad);
    assert_eq!(first.report.counts.inserted, 3);
    assert_eq!(s.db.count("key_person"), 3);
    assert_eq!(count(s.conn(), "key_person WHERE name = '陈明' AND decision_role = 'decision_maker'"), 1);

    let again = import(&s, ImportKind::Persons, &gbk(&file("总经理")), false);
    assert_eq!((again.report.counts.inserted, again.report.counts.unchanged), (0, 3));
    assert_eq!(s.db.count("key_person"), 3);

    let changed = import(&s, ImportKind::Persons, &gbk(&file("董事长")), false);
    assert_eq!((changed.report.counts.updated, changed.report.counts.unchanged), (1, 2));
    let rows = history::for_customer(s.conn(), &a, 0, 50).unwrap();
    let title = rows
        .iter()
        .find(|h| h.entity == "key_person" && h.field.as_deref() == Some("title"))
        .expect("title change in history");
    assert_eq!((title.old_value.as_deref(), title.new_value.as_deref()), (Some("总经理"), Some("董事长")));

    let unknown = "客户编号,姓名\n44010699999000,赵六\n";
    let out = import(&s, ImportKind::Persons, unknown.as_bytes(), false);
    assert_eq!(bad_row_text(Lang::En, &out.bad[0]), "Line 2  No customer 44010699999000");
}

/// The built binary on a demo database: exit codes and what it prints.
#[test]
fn the_binary_imports_a_good_file_and_refuses_a_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("kam.db");
    let kam = |args: &[&str]| {
        Command::new(KAM).args(args).arg("--db").arg(&db).env("HOME", dir.path()).output().expect("kam runs")
    };
    let demo = kam(&["demo", "--customers", "50"]);
    assert!(demo.status.success(), "{}", String::from_utf8_lossy(&demo.stderr));
    let ids: Vec<String> = {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let mut stmt = conn.prepare("SELECT id FROM customer ORDER BY id LIMIT 2").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let write = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, gbk(&text)).unwrap();
        path
    };
    let good =
        write("good.csv", format!("客户编号,月份,函件,帐单\n{},2026-10,1000,200\n{},2026-10,300,\n", ids[0], ids[1]));
    let bad = write("bad.csv", format!("客户编号,月份,函件\n{},2026-10,1000\n44010699999000,2026-10,1\n", ids[0]));
    let run = |file: &Path, extra: &[&str]| {
        let mut args = vec!["import", "revenue", file.to_str().unwrap(), "--user", "guanli"];
        args.extend(extra);
        kam(&args)
    };

    let out = run(&good, &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("文件编码:GBK"), "{stdout}");
    assert!(stdout.contains("读取 2 行:"), "{stdout}");

    let again = run(&good, &["--lang", "en"]);
    let stdout = String::from_utf8_lossy(&again.stdout);
    assert!(again.status.success());
    assert!(stdout.contains("2 rows read: 0 inserted, 0 updated, 3 unchanged"), "{stdout}");

    let out = run(&bad, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("第 3 行  找不到客户 44010699999000"), "{stderr}");
    assert!(stderr.contains("kam: 1 行有错误,未导入任何数据"), "{stderr}");

    let manager = kam(&["import", "revenue", good.to_str().unwrap(), "--user", "jingli01"]);
    assert!(!manager.status.success());
    assert!(String::from_utf8_lossy(&manager.stderr).contains("只有主管或客户管理员"));
}

/// New customers without an ID take the next free IDs of their unit's
/// division, one after the other, also when two units share the division
/// (the import counts on from the highest sequence it read once).
#[test]
fn new_customers_of_units_sharing_a_division_get_consecutive_ids() {
    let (mut s, _, _) = seeded();
    // A branch below the seeded unit, in its division: the supervisor decides for both.
    let unit = s.org.unit;
    s.store()
        .write(|tx| {
            kam::db::reference::insert_unit(tx, "TH2", "天河二支局", "branch", Some(unit), crate::common::DIVISION)
        })
        .unwrap();
    let file = "客户简称,客户全称,责任单位,客户经理\n\
                甲,广州甲贸易有限公司,440106,zhangwei\n\
                乙,广州乙贸易有限公司,TH2,zhangwei\n\
                丙,广州丙贸易有限公司,440106,zhangwei\n";
    let done = import(&s, ImportKind::Customers, file.as_bytes(), false);
    assert!(done.bad.is_empty(), "{:?}", done.bad);
    for (id, name) in [("44010600003000", "甲"), ("44010600004000", "乙"), ("44010600005000", "丙")] {
        assert_eq!(count(s.conn(), &format!("customer WHERE id = '{id}' AND short_name = '{name}'")), 1, "{id}");
    }
}

/// Issue 16: the seed's table gives a customer's January–October as one
/// figure. The same customer and year arriving once as months and once as a
/// period total overlapping them would count that revenue twice: the file is
/// refused, every line concerned named with the line it clashes with, and
/// nothing is written (not even the good lines).
#[test]
fn a_year_as_months_and_as_a_period_total_is_refused_as_a_double_count() {
    let (s, a, b) = seeded();
    let csv = format!(
        "客户编号,月份,业务种类,收入(元)\n{a},2025-01,函件,100\n{a},2025-02,函件,100\n\
         {a},2025年1-10月累计,函件,5000\n{b},2025年1-10月,函件,300\n{a},2025-11,函件,100\n"
    );
    let out = import(&s, ImportKind::Revenue, &bom(&csv), false);
    let lines: Vec<usize> = out.bad.iter().map(|b| b.line).collect();
    assert_eq!(lines, [2, 3, 4], "{:?}", out.bad);
    assert_eq!(
        bad_row_text(Lang::Zh, &out.bad[0]),
        "第 2 行  重复计算:2025-01 与 2025年1-10月累计 的期间合计(未分月)重叠,见第 4 行"
    );
    assert_eq!(
        bad_row_text(Lang::En, &out.bad[2]),
        "Line 4  Counted twice: 2025-01 overlaps the period total Jan–Oct 2025 (cumulative) (not split by month); see line 2"
    );
    assert_eq!(count(s.conn(), "revenue"), 0);
    assert_eq!(count(s.conn(), "revenue_period"), 0);
}

/// A period total imports as one figure (kept whole, not spread); months of
/// it arriving later are refused against what the database holds.
#[test]
fn a_period_total_imports_whole_and_months_inside_it_are_refused_later() {
    let (s, a, b) = seeded();
    let csv = format!("客户编号,期间,函件,帐单\n{a},2025-01..2025-10,5000,\n{b},2025年1-10月累计,\"1,200\",300\n");
    let out = import(&s, ImportKind::Revenue, &bom(&csv), false);
    assert!(out.bad.is_empty(), "{:?}", out.bad);
    assert_eq!(out.report.counts.inserted, 3);
    assert_eq!(count(s.conn(), "revenue"), 0, "never spread over the months");
    let kept: i64 = s
        .conn()
        .row(
            "SELECT sum(amount) FROM revenue_period WHERE customer_id = ?1 AND first_month = 202501 AND last_month = 202510",
            args![b.as_str()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, 150_000);
    let later = format!("客户编号,月份,业务种类,收入(元)\n{a},2025-03,函件,100\n{a},2025-11,函件,100\n");
    let out = import(&s, ImportKind::Revenue, &bom(&later), false);
    assert_eq!(out.bad.len(), 1, "{:?}", out.bad);
    assert_eq!(out.bad[0].line, 2);
    assert_eq!(
        bad_row_text(Lang::En, &out.bad[0]),
        "Line 2  Counted twice: 2025-03 overlaps the period total Jan–Oct 2025 (cumulative) (not split by month), one of them already entered"
    );
    assert_eq!(count(s.conn(), "revenue"), 0, "all or nothing");
}
