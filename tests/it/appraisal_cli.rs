//! `kam appraisal` as payroll runs it: the built binary on the full demo
//! (September closed, October open), its JSON (kam-appraisal/1) read with
//! serde_json and checked against the sheets kam computes and against the
//! field list README documents; an account manager's own sheet only, a
//! colleague's refused in Chinese and English; the CSV and XLSX tables read
//! back with the csv crate and calamine.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};
use rust_decimal::Decimal;
use serde_json::Value;

use kam::db::appraisal_counts::managers_under;
use kam::db::{Store, reference};
use kam::domain::revenue::Month;
use kam::domain::visit_standard::StandardPreset;
use kam::review::appraisal::{Evidence, ManagerMonth, manager_month};

use crate::support::full_demo_db;

const KAM: &str = env!("CARGO_BIN_EXE_kam");

/// Runs kam on `db` as `login`, away from the user's own configuration.
fn kam(db: &Path, login: &str, args: &[&str]) -> Output {
    let home = db.parent().unwrap();
    Command::new(KAM)
        .arg("--db")
        .arg(db)
        .args(["--user", login])
        .args(args)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env_remove("KAM_DB")
        .env_remove("KAM_USER")
        .env_remove("KAM_CONFIG")
        .output()
        .unwrap()
}

fn json(db: &Path, login: &str, args: &[&str]) -> Value {
    let mut all = vec!["appraisal"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let out = kam(db, login, &all);
    assert!(out.status.success(), "kam {all:?}: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON on standard output")
}

/// The sheets of `login`'s managers as kam computes them (the binary's clock: today).
fn computed(db: &Path, login: &str, month: Month) -> Vec<ManagerMonth> {
    let store = Store::open(db).unwrap();
    let user = reference::staff_by_login(store.conn(), login).unwrap().unwrap();
    let today = kam::time::now().date();
    managers_under(store.conn(), Some(user.unit_id))
        .unwrap()
        .iter()
        .map(|m| manager_month(store.conn(), &user, m, month, today, StandardPreset::default()).unwrap())
        .collect()
}

fn text<'a>(v: &'a Value, path: &str) -> &'a str {
    v.pointer(path).and_then(Value::as_str).unwrap_or_else(|| panic!("{path} is no string in {v}"))
}

/// An amount: yuan with exactly two decimals, as a string.
fn assert_amount(v: &Value, path: &str) {
    let s = text(v, path);
    let (whole, fen) = s.trim_start_matches('-').split_once('.').unwrap_or_else(|| panic!("{path} = {s}"));
    assert!(
        !whole.is_empty() && whole.chars().all(|c| c.is_ascii_digit()) && fen.len() == 2,
        "{path} = {s}: yuan with two decimals"
    );
    assert!(fen.chars().all(|c| c.is_ascii_digit()), "{path} = {s}");
}

/// Points, a rate or a share: a decimal string.
fn decimal(v: &Value, path: &str) -> Decimal {
    text(v, path).parse().unwrap_or_else(|e| panic!("{path} = {}: {e}", text(v, path)))
}

const ITEMS: [&str; 9] =
    ["morning-meeting", "visits", "training", "dossier", "logs", "plans", "behaviour", "leader-tasks", "achievement"];

#[test]
fn the_json_for_payroll_as_a_supervisor_reads_it_open_and_closed() {
    let (_dir, db) = full_demo_db(120);
    let doc = json(&db, "zhuguan", &["--month", "2026-10"]);
    assert_eq!(text(&doc, "/schema"), "kam-appraisal/1");
    assert_eq!(text(&doc, "/month"), "2026-10");
    let generated = chrono::DateTime::parse_from_rfc3339(text(&doc, "/generated_at")).expect("RFC 3339");
    assert_eq!(generated.offset().local_minus_utc(), 8 * 3600, "the bureau's time (Asia/Shanghai)");
    let sheets = computed(&db, "zhuguan", Month::new(2026, 10).unwrap());
    let managers = doc["managers"].as_array().unwrap();
    assert_eq!(managers.len(), sheets.len());
    assert_eq!(managers.len(), 12);
    for (m, sheet) in managers.iter().zip(&sheets) {
        assert_eq!(m["login"].as_str(), sheet.login.as_deref());
        assert_eq!(text(m, "/name"), sheet.name);
        assert_eq!(text(m, "/unit_code"), sheet.unit_code);
        assert_eq!(text(m, "/status"), "open");
        assert!(m["closed_by"].is_null() && m["closed_at"].is_null());
        assert_eq!(text(m, "/judged_on"), "2026-10-31");
        assert_eq!(text(m, "/post"), sheet.post.code());
        let items: Vec<&str> = m["score"]["items"].as_array().unwrap().iter().map(|i| text(i, "/item")).collect();
        if sheet.planner.is_some() {
            // A planner's score is the planner sheet; the demo has one, with two projects.
            assert_eq!(items, ["planner-written-plan", "planner-results", "planner-behaviour"]);
            assert_eq!(m["projects"].as_array().map(Vec::len), Some(2));
            assert_eq!(decimal(m, "/score/total"), sheet.score());
            continue;
        }
        assert_eq!(items, ITEMS);
        assert_eq!(m["team"].is_null(), sheet.team.is_none());
        for (i, item) in m["score"]["items"].as_array().unwrap().iter().enumerate() {
            let points = decimal(item, "/points");
            assert!(points >= Decimal::ZERO && points <= decimal(item, "/max"), "{item}");
            assert_eq!(points, sheet.appraisal.sheet.items[i].points.round_dp(2));
            for d in item["deductions"].as_array().unwrap() {
                assert_eq!(decimal(d, "/points"), decimal(d, "/each") * Decimal::from(d["count"].as_u64().unwrap()));
            }
        }
        assert_eq!(decimal(m, "/score/total"), sheet.score().round_dp(2));
        assert_eq!(
            text(m, "/score/total"),
            sheet.score().round_dp(2).normalize().to_string(),
            "points without trailing zeros"
        );
        for path in [
            "/terms/fixed_base",
            "/terms/task",
            "/terms/monthly_standard",
            "/fixed_performance",
            "/achievement",
            "/achievement_pay",
            "/late_money/whole_debt",
            "/late_money/carry_in",
            "/late_money/deduction",
            "/late_money/carry_out",
            "/computed_pay",
            "/discipline/withheld",
            "/performance_pay",
        ] {
            assert_amount(m, path);
        }
        for line in m["commission_lines"].as_array().unwrap() {
            assert_amount(line, "/achievement");
            assert_amount(line, "/pay");
            decimal(line, "/rate");
            decimal(line, "/factor");
        }
        assert_eq!(text(m, "/performance_pay"), format!("{:.2}", sheet.performance_pay.yuan()));
        assert_eq!(text(m, "/fixed_performance"), format!("{:.2}", sheet.fixed().yuan()));
        assert_eq!(text(m, "/achievement_pay"), format!("{:.2}", sheet.achievement_pay().yuan()));
        assert_eq!(decimal(m, "/completion_rate"), sheet.completion().round_dp(4));
        assert_eq!(m["evidence"].as_array().unwrap().len(), sheet.evidence.len());
    }
    let paid: Decimal = managers.iter().map(|m| decimal(m, "/performance_pay")).sum();
    assert!(paid > Decimal::ZERO);

    // September, closed by each unit's supervisor: as frozen, with who and when.
    let closed = json(&db, "zhuguan", &["--month", "2026-09"]);
    let frozen = computed(&db, "zhuguan", Month::new(2026, 9).unwrap());
    for (m, sheet) in closed["managers"].as_array().unwrap().iter().zip(&frozen) {
        let by = sheet.frozen.as_ref().expect("September is frozen");
        assert_eq!(text(m, "/status"), "closed");
        assert_eq!(text(m, "/closed_by"), by.by);
        assert_eq!(text(m, "/closed_at"), by.at.format("%Y-%m-%dT%H:%M:%S").to_string());
        assert_eq!(text(m, "/performance_pay"), format!("{:.2}", sheet.performance_pay.yuan()));
    }
    // One unit, one manager.
    let one = json(&db, "zhuguan", &["--month", "2026-10", "--unit", "GZ-TH", "--login", "jingli01"]);
    let logins: Vec<&str> = one["managers"].as_array().unwrap().iter().map(|m| text(m, "/login")).collect();
    assert_eq!(logins, ["jingli01"]);
}

#[test]
fn an_account_manager_gets_their_own_sheet_only_and_is_refused_a_colleagues() {
    let (_dir, db) = full_demo_db(60);
    let mine = json(&db, "jingli01", &["--month", "2026-10"]);
    let logins: Vec<&str> = mine["managers"].as_array().unwrap().iter().map(|m| text(m, "/login")).collect();
    assert_eq!(logins, ["jingli01"]);
    let own = json(&db, "jingli01", &["--month", "2026-10", "--login", "jingli01"]);
    assert_eq!(own["managers"], mine["managers"]);
    for (lang, said) in
        [("zh", "没有你可查看的客户经理 “jingli02”"), ("en", "No account manager “jingli02” that you may see")]
    {
        let out = kam(&db, "jingli01", &["--lang", lang, "appraisal", "--month", "2026-10", "--login", "jingli02"]);
        assert!(!out.status.success());
        assert!(out.stdout.is_empty(), "nothing written: {}", String::from_utf8_lossy(&out.stdout));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(said), "{lang}: {err}");
    }
    // A supervisor of a district reads their units' managers, not the city centre's.
    let district = json(&db, "zhuguan2", &["--month", "2026-10"]);
    let logins: BTreeSet<&str> = district["managers"].as_array().unwrap().iter().map(|m| text(m, "/login")).collect();
    assert!(logins.contains("jingli01") && !logins.contains("jingli02"), "{logins:?}");
    let out = kam(&db, "zhuguan2", &["appraisal", "--month", "2026-10", "--login", "jingli02"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("没有你可查看的客户经理 “jingli02”"));
}

#[test]
fn the_csv_and_xlsx_tables_have_their_headings_names_and_scores() {
    let (dir, db) = full_demo_db(60);
    let sheets = computed(&db, "zhuguan", Month::new(2026, 10).unwrap());
    let first = &sheets[0];

    let csv_path = dir.path().join("appraisal.csv");
    let out =
        kam(&db, "zhuguan", &["appraisal", "--month", "2026-10", "--format", "csv", "-o", csv_path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("2026-10 月度考核,12 名客户经理"));
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a BOM");
    let rows: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&bytes[3..])
        .records()
        .collect::<Result<_, _>>()
        .unwrap();
    let headings = rows.iter().find(|r| r.iter().any(|c| c == "登录名")).expect("the table's headings");
    for h in ["单位", "客户经理", "状态", "晨会出勤", "当月营销收入", "得分", "固定绩效", "绩效工资"]
    {
        assert!(headings.iter().any(|c| c == h), "{h}: {headings:?}");
    }
    let row = rows.iter().find(|r| r.get(1) == Some(first.name.as_str())).expect("the first manager's row");
    let score = headings.iter().position(|c| c == "得分").unwrap();
    assert_eq!(row.get(score), Some(first.score().round_dp(2).normalize().to_string().as_str()));
    assert_eq!(row.get(3), Some("进行中"));
    assert!(rows.iter().any(|r| r.iter().any(|c| c == "考核项目")), "the items' table");

    let xlsx_path = dir.path().join("appraisal.xlsx");
    let out = kam(
        &db,
        "zhuguan",
        &["--lang", "en", "appraisal", "--month", "2026-09", "--format", "xlsx", "-o", xlsx_path.to_str().unwrap()],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut book: Xlsx<_> = open_workbook(&xlsx_path).unwrap();
    assert_eq!(book.sheet_names(), ["Appraisal", "Items"]);
    let table = book.worksheet_range("Appraisal").unwrap();
    let cells: Vec<Vec<String>> = table
        .rows()
        .map(|r| r.iter().map(|c| if let Data::Empty = c { String::new() } else { c.to_string() }).collect())
        .collect();
    let headings = cells.iter().find(|r| r.iter().any(|c| c == "Login")).expect("headings");
    for h in ["Unit", "Account manager", "Status", "Score", "Fixed", "Performance pay"] {
        assert!(headings.iter().any(|c| c == h), "{h}: {headings:?}");
    }
    let september = computed(&db, "zhuguan", Month::new(2026, 9).unwrap());
    let row = cells.iter().find(|r| r.get(1) == Some(&september[0].name)).expect("a manager's row");
    assert_eq!(row.get(3).map(String::as_str), Some("closed"));
    assert!(cells.iter().any(|r| r.first().is_some_and(|c| c.contains("Account managers' appraisal 2026-09"))));

    // CSV and XLSX need a file.
    let out = kam(&db, "zhuguan", &["appraisal", "--month", "2026-10", "--format", "csv"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("CSV 和 XLSX 要写入文件:请加 -o 文件名"));
}

/// Every field's path in a JSON value (`managers[].score.items[].item`); an
/// array of objects is also `name[]` (an array of plain values is one field).
fn paths(v: &Value, at: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                let here = if at.is_empty() { k.clone() } else { format!("{at}.{k}") };
                out.insert(here.clone());
                paths(v, &here, out);
            }
        }
        Value::Array(items) => {
            for item in items.iter().filter(|i| i.is_object()) {
                let here = format!("{at}[]");
                out.insert(here.clone());
                paths(item, &here, out);
            }
        }
        _ => {}
    }
}

/// The fields README's section "kam appraisal (JSON for payroll)" lists.
fn documented() -> BTreeSet<String> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("### kam appraisal (JSON for payroll)").expect("README's section on the JSON");
    let section = &readme[start..];
    let end = section[4..].find("\n#").map_or(section.len(), |e| e + 4);
    section[..end]
        .lines()
        .filter_map(|l| l.strip_prefix("| `")?.split_once('`').map(|(field, _)| field.to_string()))
        .collect()
}

#[test]
fn readme_documents_every_field_of_the_json_and_no_other() {
    let (_dir, db) = full_demo_db(120);
    let mut written = BTreeSet::new();
    for month in ["2026-09", "2026-10"] {
        paths(&json(&db, "lingdao", &["--month", month]), "", &mut written);
    }
    // What the demo's months do not hold: a probation, each kind of record.
    let probation = kam::domain::appraisal::pay::ProbationPay {
        in_period: true,
        guaranteed: false,
        computed: kam::domain::money::Money::ZERO,
        paid: kam::domain::money::Money::ZERO,
        period_ends: false,
    };
    let mut sheet = computed(&db, "zhuguan", Month::new(2026, 10).unwrap()).remove(0);
    sheet.probation = Some(probation);
    sheet.evidence = vec![
        Evidence::Visits {
            customer: "44010600001000".into(),
            name: "甲".into(),
            kind: kam::domain::visit::VisitKind::InPerson,
            done: 0,
            required: 1,
        },
        Evidence::Logs { customer: "44010600001000".into(), name: "甲".into(), written: 0, required: 1 },
        Evidence::StaleDossier {
            customer: "44010600001000".into(),
            name: "甲".into(),
            due: chrono::NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        },
    ];
    let manager = kam::export::appraisal::Manager::of(&sheet, sheet.discipline_share);
    let mut more = BTreeSet::new();
    paths(&serde_json::to_value(&manager).unwrap(), "managers[]", &mut more);
    written.extend(more);
    // An array of objects is documented as `name[]`, its fields under it.
    let lists: Vec<String> = written.iter().filter_map(|p| p.strip_suffix("[]").map(str::to_string)).collect();
    for list in lists {
        written.remove(&list);
    }
    let readme = documented();
    let undocumented: Vec<&String> = written.difference(&readme).collect();
    let not_written: Vec<&String> = readme.difference(&written).collect();
    assert!(undocumented.is_empty(), "fields kam writes that README does not document: {undocumented:?}");
    assert!(not_written.is_empty(), "fields README documents that kam does not write: {not_written:?}");
    assert!(readme.len() > 70, "{readme:?}");
}

/// `kam receivable`: money owed entered by hand shows in the manager's late
/// money; paid by the month's last day it no longer does; a manager may not
/// record another's customer's, and a payment of nothing recorded is refused.
#[test]
fn a_receivable_entered_by_hand_is_late_money_until_it_is_paid() {
    let (_dir, db) = full_demo_db(60);
    let store = Store::open(&db).unwrap();
    let customer: String = {
        use kam::db::sql::{Sql, args};
        store
            .conn()
            .row(
                "SELECT c.id FROM customer c JOIN staff s ON s.id = c.owner_a \
                 WHERE s.login = 'jingli01' AND c.archived = 0 ORDER BY c.id LIMIT 1",
                args![],
                |r| r.get(0),
            )
            .unwrap()
    };
    drop(store);
    let owed = |login: &str| -> Value {
        let doc = json(&db, login, &["--month", "2026-10", "--login", "jingli01"]);
        doc["managers"][0]["late_money"]["whole_debt"].clone()
    };
    let before = owed("zhuguan");
    let set = kam(
        &db,
        "guanli",
        &["receivable", "--customer", &customer, "--month", "2026-05", "--line", "letters", "--unpaid", "800"],
    );
    assert!(set.status.success(), "{}", String::from_utf8_lossy(&set.stderr));
    let with_debt = owed("zhuguan");
    assert_ne!(before, with_debt, "the debt counts in October's late money");
    let listed = kam(&db, "guanli", &["receivable", "--customer", &customer]);
    assert!(String::from_utf8_lossy(&listed.stdout).contains("2026-05  letters  800.00  未收"));
    let paid = kam(
        &db,
        "guanli",
        &["receivable", "--customer", &customer, "--month", "2026-05", "--line", "letters", "--paid-on", "2026-10-31"],
    );
    assert!(paid.status.success(), "{}", String::from_utf8_lossy(&paid.stderr));
    assert_eq!(owed("zhuguan"), before, "paid on October's last day: no debt in October");
    let other = kam(
        &db,
        "jingli02",
        &["receivable", "--customer", &customer, "--month", "2026-05", "--line", "letters", "--unpaid", "1"],
    );
    assert!(!other.status.success());
    assert!(String::from_utf8_lossy(&other.stderr).contains("不允许"), "{}", String::from_utf8_lossy(&other.stderr));
    let nothing = kam(
        &db,
        "guanli",
        &[
            "--lang",
            "en",
            "receivable",
            "--customer",
            &customer,
            "--month",
            "2026-04",
            "--line",
            "letters",
            "--paid-on",
            "2026-10-01",
        ],
    );
    assert!(
        String::from_utf8_lossy(&nothing.stderr).contains("No receivable of"),
        "{}",
        String::from_utf8_lossy(&nothing.stderr)
    );
}
