//! `kam report monthly` and `kam export customers`, run as the real binary and
//! read back with independent readers: calamine for XLSX, the csv crate for CSV.
//! The figures must be exactly (to the fen) what `db::analysis::monthly` and
//! `db::customers::count` say.

use crate::support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Range, Reader, Xlsx, open_workbook};
use rust_decimal::Decimal;

use kam::db::analysis::{AnalysisScope, MonthlyAnalysis, monthly};
use kam::db::customers::{self, CustomerFilter, CustomerQuery};
use kam::db::volume::{month_pieces, month_returns};
use kam::db::{Store, reference};
use kam::domain::id::CustomerId;
use kam::domain::money::Money;
use kam::domain::revenue::{Month, StatusRules, change, percent, share};
use kam::domain::tier::Tier;
use kam::domain::volume::{Returns, rate_percent};
use kam::i18n::{Lang, tier_label};

use support::demo_db;

const KAM: &str = env!("CARGO_BIN_EXE_kam");

/// Runs kam on `db` as `login`, isolated from the user's own configuration.
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

fn run_ok(db: &Path, login: &str, args: &[&str]) -> String {
    let out = kam(db, login, args);
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(out.status.success(), "kam {args:?} failed: {stderr}");
    stderr
}

fn october() -> Month {
    Month::new(2026, 10).unwrap()
}

fn analysis(db: &Path, scope: AnalysisScope) -> MonthlyAnalysis {
    let store = Store::open(db).unwrap();
    monthly(store.conn(), october(), scope, &StatusRules::default()).unwrap()
}

fn sheet(path: &Path, name: &str) -> Range<Data> {
    let mut book: Xlsx<_> = open_workbook(path).unwrap();
    book.worksheet_range(name).unwrap()
}

fn sheet_names(path: &Path) -> Vec<String> {
    let book: Xlsx<_> = open_workbook(path).unwrap();
    book.sheet_names()
}

fn rows_of(range: &Range<Data>) -> Vec<Vec<Data>> {
    range.rows().map(|r| r.to_vec()).collect()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, found {other:?}"),
    }
}

/// A number cell holding an amount, in fen; panics on anything else (a string
/// that looks like a number included) or on a value that is not a whole fen.
fn fen(cell: &Data) -> i64 {
    let Data::Float(yuan) = cell else { panic!("expected a number cell, found {cell:?}") };
    let fen = (yuan * 100.0).round();
    assert!((yuan * 100.0 - fen).abs() < 1e-6, "{yuan} is not a whole number of fen");
    format!("{fen:.0}").parse().expect("a whole number of fen")
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(n) => *n,
        Data::Int(n) => *n as f64,
        other => panic!("expected a number cell, found {other:?}"),
    }
}

/// A ratio cell: empty when there is no base, else a number equal to the exact ratio.
fn assert_ratio(cell: &Data, expected: Option<Decimal>, what: &str) {
    match (cell, expected) {
        (Data::Empty, None) => {}
        (Data::Float(r), Some(e)) => {
            let e: f64 = e.to_string().parse().unwrap();
            assert!((r - e).abs() < 1e-9, "{what}: {r} vs {e}");
        }
        (cell, expected) => panic!("{what}: cell {cell:?}, expected {expected:?}"),
    }
}

/// The row whose first cell is `first`.
fn row_starting<'a>(rows: &'a [Vec<Data>], first: &str) -> (usize, &'a Vec<Data>) {
    rows.iter()
        .enumerate()
        .find(|(_, r)| r.first().map(text_or_empty).as_deref() == Some(first))
        .unwrap_or_else(|| panic!("no row starting with {first}"))
}

fn text_or_empty(cell: &Data) -> String {
    if let Data::String(s) = cell { s.clone() } else { String::new() }
}

/// A count cell as a whole number (it must hold one).
fn whole(cell: &Data) -> u64 {
    number(cell).to_string().parse().unwrap_or_else(|_| panic!("not a whole number: {cell:?}"))
}

fn sum_fen(amounts: impl Iterator<Item = Money>) -> i64 {
    amounts.map(|m| m.to_fen()).sum()
}

const ZH_TIER_HEADINGS: [&str; 8] =
    ["级别", "户数", "本月(元)", "上月(元)", "环比", "去年同月(元)", "同比", "占本月合计"];
const EN_TIER_HEADINGS: [&str; 8] = [
    "Tier",
    "Customers",
    "This month (yuan)",
    "Previous month (yuan)",
    "MoM",
    "Same month last year (yuan)",
    "YoY",
    "Share of month total",
];
const ZH_KEY_HEADINGS: [&str; 16] = [
    "排名",
    "客户编号",
    "简称",
    "级别",
    "客户经理",
    "本月(元)",
    "上月(元)",
    "环比",
    "去年同月(元)",
    "同比",
    "本年累计(元)",
    "本月用邮量(件)",
    "上月用邮量(件)",
    "交寄(件)",
    "退信(件)",
    "退信率",
];
const EN_KEY_HEADINGS: [&str; 16] = [
    "Rank",
    "ID",
    "Short name",
    "Tier",
    "Account manager",
    "This month (yuan)",
    "Previous month (yuan)",
    "MoM",
    "Same month last year (yuan)",
    "YoY",
    "Year to date (yuan)",
    "Pieces this month",
    "Pieces last month",
    "Posted",
    "Returned",
    "Return rate",
];

/// Each customer's pieces in October and September and returned mail in October, from the database.
type VolumeFigures = (HashMap<CustomerId, u64>, HashMap<CustomerId, u64>, HashMap<CustomerId, Returns>);

fn volume_of(db: &Path) -> VolumeFigures {
    let store = Store::open(db).unwrap();
    let conn = store.conn();
    (
        month_pieces(conn, october()).unwrap(),
        month_pieces(conn, october().prev()).unwrap(),
        month_returns(conn, october()).unwrap(),
    )
}

/// Checks the three worksheets of a monthly report against the analysis and the volume.
fn check_xlsx_report(path: &Path, lang: Lang, a: &MonthlyAnalysis, volume: &VolumeFigures) {
    let zh = lang == Lang::Zh;
    let (by_tier, key, fluct) =
        if zh { ("按级别", "重点客户", "波动") } else { ("By tier", "Key customers", "Fluctuations") };
    assert_eq!(sheet_names(path), [by_tier, key, fluct]);

    // Form 1: header block, headings, one row per tier, total.
    let rows = rows_of(&sheet(path, by_tier));
    assert!(text(&rows[0][0]).contains("2026-10"), "title {:?}", rows[0][0]);
    let (_, month_row) = row_starting(&rows, if zh { "月份" } else { "Month" });
    assert_eq!(text(&month_row[1]), "2026-10");
    let (_, total_row) = row_starting(&rows, if zh { "本月收入合计(元)" } else { "Revenue this month (yuan)" });
    assert_eq!(fen(&total_row[1]), a.headline.month.to_fen());
    let (_, mom_row) = row_starting(&rows, if zh { "环比" } else { "MoM" });
    assert_ratio(&mom_row[1], a.headline.month_on_month(), "headline MoM");
    let (_, ytd_row) = row_starting(&rows, if zh { "本年累计(元)" } else { "Year to date (yuan)" });
    assert_eq!(fen(&ytd_row[1]), a.headline.year_to_date.to_fen());

    let headings = if zh { ZH_TIER_HEADINGS } else { EN_TIER_HEADINGS };
    let (at, heading_row) = row_starting(&rows, headings[0]);
    assert_eq!(heading_row.iter().map(text).collect::<Vec<_>>(), headings);
    assert!(!a.by_tier.is_empty());
    let month_total = Money(a.by_tier.iter().map(|t| t.month.yuan()).sum());
    for (i, tier) in a.by_tier.iter().enumerate() {
        let row = &rows[at + 1 + i];
        let what = format!("{:?}", tier.tier);
        assert_eq!(text(&row[0]), lang.pick(tier_label(tier.tier)), "{what}");
        assert_eq!(number(&row[1]), tier.customers as f64, "{what}");
        assert_eq!(fen(&row[2]), tier.month.to_fen(), "{what}");
        assert_eq!(fen(&row[3]), tier.previous.to_fen(), "{what}");
        assert_ratio(&row[4], change(tier.month, tier.previous), &what);
        assert_eq!(fen(&row[5]), tier.year_ago.to_fen(), "{what}");
        assert_ratio(&row[6], change(tier.month, tier.year_ago), &what);
        assert_ratio(&row[7], share(tier.month, Some(month_total)), &what);
    }
    let tier_rows = &rows[at + 1..at + 1 + a.by_tier.len()];
    let total = &rows[at + 1 + a.by_tier.len()];
    assert_eq!(text(&total[0]), if zh { "合计" } else { "Total" });
    assert_eq!(number(&total[1]), tier_rows.iter().map(|r| number(&r[1])).sum::<f64>());
    assert_eq!(number(&total[1]), a.customers as f64, "every live customer has a tier");
    for col in [2, 3, 5] {
        assert_eq!(fen(&total[col]), tier_rows.iter().map(|r| fen(&r[col])).sum::<i64>(), "total of column {col}");
    }
    assert_eq!(fen(&total[2]), sum_fen(a.by_tier.iter().map(|t| t.month)));
    assert_ratio(&total[7], Some(Decimal::ONE), "the shares add up to 100%");
    assert_eq!(rows.len(), at + 2 + a.by_tier.len(), "nothing after the total row");

    // Form 2: the key table, largest first, with a total.
    let rows = rows_of(&sheet(path, key));
    let headings = if zh { ZH_KEY_HEADINGS } else { EN_KEY_HEADINGS };
    let (at, heading_row) = row_starting(&rows, headings[0]);
    assert_eq!(heading_row.iter().map(text).collect::<Vec<_>>(), headings);
    assert!(a.key_table.len() >= 10, "top ten at least");
    for (i, c) in a.key_table.iter().enumerate() {
        let row = &rows[at + 1 + i];
        assert_eq!(number(&row[0]), (i + 1) as f64);
        assert_eq!(text(&row[1]), c.id.as_str());
        assert_eq!(text(&row[2]), c.short_name);
        assert_eq!(text(&row[3]), lang.pick(tier_label(c.tier)));
        assert!(!text(&row[4]).is_empty(), "account manager named");
        assert_eq!(fen(&row[5]), c.month.to_fen(), "{}", c.id);
        assert_eq!(fen(&row[6]), c.previous.to_fen(), "{}", c.id);
        assert_ratio(&row[7], change(c.month, c.previous), c.id.as_str());
        assert_eq!(fen(&row[8]), c.year_ago.to_fen(), "{}", c.id);
        assert_eq!(fen(&row[10]), c.year_to_date.unwrap().to_fen(), "{}", c.id);
        // Pieces and returned mail beside the revenue, as stored (empty without entries).
        let count = |cell: &Data| if *cell == Data::Empty { None } else { Some(whole(cell)) };
        assert_eq!(count(&row[11]), volume.0.get(&c.id).copied(), "{}", c.id);
        assert_eq!(count(&row[12]), volume.1.get(&c.id).copied(), "{}", c.id);
        let returns = volume.2.get(&c.id);
        assert_eq!(count(&row[13]), returns.map(|r| r.posted), "{}", c.id);
        assert_eq!(count(&row[14]), returns.map(|r| r.returned), "{}", c.id);
        assert_eq!(text_or_empty(&row[15]), returns.and_then(|r| r.rate()).map(rate_percent).unwrap_or_default());
    }
    assert!(a.key_table.iter().any(|c| volume.2.contains_key(&c.id)), "some key customer has returned mail");
    let body = &rows[at + 1..at + 1 + a.key_table.len()];
    let total = &rows[at + 1 + a.key_table.len()];
    assert_eq!(text(&total[0]), if zh { "合计" } else { "Total" });
    for col in [5, 6, 8, 10] {
        assert_eq!(fen(&total[col]), body.iter().map(|r| fen(&r[col])).sum::<i64>(), "total of column {col}");
    }
    assert_eq!(fen(&total[5]), sum_fen(a.key_table.iter().map(|c| c.month)));
    for col in [11, 12, 13, 14] {
        let sum: f64 = body.iter().map(|r| if r[col] == Data::Empty { 0.0 } else { number(&r[col]) }).sum();
        assert_eq!(number(&total[col]), sum, "total of column {col}");
    }
    let rate = Returns { posted: whole(&total[13]), returned: whole(&total[14]) }.rate();
    assert_eq!(text_or_empty(&total[15]), rate.map(rate_percent).unwrap_or_default());

    // The fluctuations, on the measure the bureau chose (revenue by default).
    let rows = rows_of(&sheet(path, fluct));
    let (_, measure) = row_starting(&rows, if zh { "波动口径" } else { "Fluctuation measure" });
    assert_eq!(text(&measure[1]), if zh { "按收入" } else { "on revenue" });
    let (at, _) = row_starting(&rows, if zh { "客户编号" } else { "ID" });
    assert_eq!(rows.len(), at + 1 + a.fluctuations.len());
    for (i, x) in a.fluctuations.iter().enumerate() {
        assert_eq!(text(&rows[at + 1 + i][0]), x.customer.id.as_str());
        assert_ratio(&rows[at + 1 + i][5], Some(x.change), x.customer.id.as_str());
    }
}

#[test]
fn xlsx_report_matches_the_analysis_in_both_languages() {
    let (_dir, db) = demo_db(300);
    let a = analysis(&db, AnalysisScope::All);
    for (lang, file) in [(Lang::Zh, "zh.xlsx"), (Lang::En, "en.xlsx")] {
        let out = db.parent().unwrap().join(file);
        let lang_flag = if lang == Lang::Zh { "zh" } else { "en" };
        let stderr = run_ok(
            &db,
            "guanli",
            &["--lang", lang_flag, "report", "monthly", "--month", "2026-10", "--format", "xlsx", "-o"]
                .into_iter()
                .chain([out.to_str().unwrap()])
                .collect::<Vec<_>>(),
        );
        // A one-line summary naming the file, the month and the number of key customers.
        let summary = stderr.lines().last().unwrap_or_default();
        assert!(summary.contains(out.to_str().unwrap()) && summary.contains("2026-10"), "{stderr}");
        assert!(summary.contains(&format!("{} ", a.key_table.len())), "{stderr}");
        assert_eq!(stderr.lines().filter(|l| l.contains(out.to_str().unwrap())).count(), 1, "{stderr}");
        check_xlsx_report(&out, lang, &a, &volume_of(&db));
    }
}

#[test]
fn report_for_a_unit_covers_that_unit_and_defaults_to_the_ledger_month() {
    let (_dir, db) = demo_db(300);
    let store = Store::open(&db).unwrap();
    let unit = reference::load(store.conn()).unwrap().units.into_iter().find(|u| u.code == "GZ-TH").unwrap();
    let a = analysis(&db, AnalysisScope::Unit(unit.id));
    assert!(a.customers > 0 && a.customers < analysis(&db, AnalysisScope::All).customers);
    let out = db.parent().unwrap().join("th.xlsx");
    // No --month: the latest month in the ledger, 2026-10.
    run_ok(&db, "zhuguan2", &["report", "monthly", "--unit", "gz-th", "-o", out.to_str().unwrap()]);
    check_xlsx_report(&out, Lang::Zh, &a, &volume_of(&db));
    let rows = rows_of(&sheet(&out, "按级别"));
    let (_, unit_row) = row_starting(&rows, "单位");
    assert!(text(&unit_row[1]).contains(&unit.name), "{:?}", unit_row[1]);
}

/// A CSV amount: plain digits with exactly two decimals.
fn csv_money(field: &str) -> Money {
    assert!(!field.contains(','), "{field}");
    assert_eq!(field.split_once('.').map(|(_, f)| f.len()), Some(2), "{field}");
    Money(field.parse().unwrap())
}

fn csv_ratio(field: &str, expected: Option<Decimal>) {
    assert_eq!(field, expected.map(percent).unwrap_or_default());
}

#[test]
fn csv_report_has_a_bom_both_tables_and_exact_totals() {
    let (_dir, db) = demo_db(300);
    let a = analysis(&db, AnalysisScope::All);
    let out = db.parent().unwrap().join("r.csv");
    run_ok(&db, "guanli", &["report", "monthly", "--month", "2026-10", "--format", "csv", "-o", out.to_str().unwrap()]);
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF", "UTF-8 byte-order mark first");
    let body = std::str::from_utf8(&bytes[3..]).unwrap();
    // Three tables, each after a blank line (the first after the header block,
    // the fluctuations after their measure).
    assert_eq!(body.matches("\r\n\r\n").count(), 4, "{body}");
    let records: Vec<csv::StringRecord> = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .unwrap();
    let rows: Vec<Vec<String>> = records.iter().map(|r| r.iter().map(str::to_string).collect()).collect();
    let find = |first: &str, from: usize| -> usize {
        (from..rows.len()).find(|&i| rows[i][0] == first).unwrap_or_else(|| panic!("no row {first}"))
    };
    assert!(rows[0][0].starts_with("重点客户户数及收入表"), "{:?}", rows[0]);
    assert_eq!(rows[find("月份", 0)][1], "2026-10");
    assert_eq!(csv_money(&rows[find("本月收入合计(元)", 0)][1]), a.headline.month);
    csv_ratio(&rows[find("环比", 0)][1], a.headline.month_on_month());

    let at = find("级别", 0);
    assert_eq!(rows[at], ZH_TIER_HEADINGS);
    let month_total = Money(a.by_tier.iter().map(|t| t.month.yuan()).sum());
    for (i, tier) in a.by_tier.iter().enumerate() {
        let row = &rows[at + 1 + i];
        assert_eq!(row[0], tier_label(tier.tier).0);
        assert_eq!(row[1], tier.customers.to_string());
        assert_eq!(csv_money(&row[2]), tier.month);
        assert_eq!(csv_money(&row[3]), tier.previous);
        csv_ratio(&row[4], change(tier.month, tier.previous));
        assert_eq!(csv_money(&row[5]), tier.year_ago);
        csv_ratio(&row[7], share(tier.month, Some(month_total)));
    }
    let total = &rows[at + 1 + a.by_tier.len()];
    assert_eq!(total[0], "合计");
    let tiers = &rows[at + 1..at + 1 + a.by_tier.len()];
    for col in [2, 3, 5] {
        let sum: Decimal = tiers.iter().map(|r| csv_money(&r[col]).yuan()).sum();
        assert_eq!(csv_money(&total[col]).yuan(), sum, "column {col}");
    }
    assert_eq!(total[7], "100.0%");

    let title = find("重点客户收入表(白银及以上或前10名) 2026-10 全部单位", at);
    assert_eq!(rows[title + 1], ZH_KEY_HEADINGS);
    for (i, c) in a.key_table.iter().enumerate() {
        let row = &rows[title + 2 + i];
        assert_eq!(row[0], (i + 1).to_string());
        assert_eq!(row[1], c.id.as_str());
        assert_eq!(csv_money(&row[5]), c.month);
        csv_ratio(&row[7], change(c.month, c.previous));
        assert_eq!(csv_money(&row[10]), c.year_to_date.unwrap());
    }
    let total = &rows[title + 2 + a.key_table.len()];
    assert_eq!(total[0], "合计");
    let sum: Decimal = a.key_table.iter().map(|c| c.month.yuan()).sum();
    assert_eq!(csv_money(&total[5]).yuan(), sum);
    // The fluctuations follow, on the measure named above them.
    let fluct = find("波动超过30%的客户 2026-10 全部单位", title + 3 + a.key_table.len() - 1);
    assert_eq!(fluct, title + 3 + a.key_table.len(), "the fluctuations right after the key table");
    assert_eq!(rows[fluct + 1], ["波动口径", "按收入"]);
    assert_eq!(rows[fluct + 2][0], "客户编号");
    assert_eq!(rows.len(), fluct + 3 + a.fluctuations.len(), "nothing after the fluctuations");
}

/// The live customer query with `filter` (as the list screen builds it).
fn count(db: &Path, filter: CustomerFilter) -> u64 {
    let store = Store::open(db).unwrap();
    customers::count(store.conn(), &CustomerQuery { filter, ..CustomerQuery::default() }).unwrap()
}

fn staff_id(db: &Path, login: &str) -> i64 {
    let store = Store::open(db).unwrap();
    reference::staff_by_login(store.conn(), login).unwrap().unwrap().id
}

fn read_csv(path: &Path) -> Vec<csv::StringRecord> {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    csv::ReaderBuilder::new().from_reader(&bytes[3..]).records().collect::<Result<_, _>>().unwrap()
}

#[test]
fn customer_export_has_exactly_the_filtered_rows() {
    let (_dir, db) = demo_db(300);
    let dir = db.parent().unwrap().to_path_buf();

    let diamonds = count(&db, CustomerFilter { tier: Some(Tier::Diamond), ..Default::default() });
    assert!(diamonds > 0);
    let out = dir.join("diamond.csv");
    let stderr = run_ok(
        &db,
        "guanli",
        &["export", "customers", "--format", "csv", "--tier", "diamond", "-o", out.to_str().unwrap()],
    );
    assert!(stderr.contains(&format!("{diamonds} 个客户")), "{stderr}");
    let records = read_csv(&out);
    assert_eq!(records.len() as u64, diamonds);
    assert!(records.iter().all(|r| &r[3] == "钻石"));
    // Sorted by ID, each once.
    let ids: Vec<&str> = records.iter().map(|r| r.get(0).unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));

    let me = staff_id(&db, "jingli01");
    let mine = count(&db, CustomerFilter { mine_of: Some(me), ..Default::default() });
    assert!(mine > 0 && mine < count(&db, CustomerFilter::default()));
    let out = dir.join("mine.csv");
    run_ok(&db, "jingli01", &["export", "customers", "--format", "csv", "--mine", "-o", out.to_str().unwrap()]);
    assert_eq!(read_csv(&out).len() as u64, mine);

    let out = dir.join("mine.xlsx");
    run_ok(&db, "jingli01", &["--lang", "en", "export", "customers", "--mine", "-o", out.to_str().unwrap()]);
    assert_eq!(sheet_names(&out), ["Customers"]);
    let rows = rows_of(&sheet(&out, "Customers"));
    assert_eq!(rows.len() as u64, mine + 1, "headings and one row per customer");
    assert_eq!(text(&rows[0][0]), "ID");
    assert!(matches!(rows[1][9], Data::DateTime(_) | Data::Float(_)), "the due date is a date: {:?}", rows[1][9]);
}

#[test]
fn customer_export_without_filters_has_every_live_customer_once() {
    // (Page boundaries are tested in the library, with pages of 1 and 7 rows.)
    let (_dir, db) = demo_db(300);
    let all = count(&db, CustomerFilter::default());
    assert!(all >= 300, "{all}");
    let out = db.parent().unwrap().join("all.csv");
    run_ok(&db, "guanli", &["export", "customers", "--format", "csv", "-o", out.to_str().unwrap()]);
    let records = read_csv(&out);
    assert_eq!(records.len() as u64, all);
    let mut ids: Vec<&str> = records.iter().map(|r| r.get(0).unwrap()).collect();
    ids.dedup();
    assert_eq!(ids.len() as u64, all, "no row twice");
}

/// Every file in `dir` (to see that a refused command left nothing behind).
fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    files
}

#[test]
fn bad_arguments_are_refused_clearly_and_write_nothing() {
    let (_dir, db) = demo_db(40);
    let dir = db.parent().unwrap().to_path_buf();
    let out = dir.join("r.xlsx");
    let before = files_in(&dir);
    let cases: [(&[&str], &str); 7] = [
        (&["report", "monthly", "--month", "2026-13"], "2026-13"),
        (&["report", "monthly", "--month", "2026年1-10月"], "a period of several months, not one month"),
        // The demo's ledger ends in October: November would be all −100%.
        (&["report", "monthly", "--month", "2026-11"], "not entered yet (the ledger ends at 2026-10)"),
        (&["report", "monthly", "--month", "October"], "YYYY-MM"),
        (&["report", "monthly", "--unit", "NOPE"], "GZ-TH"),
        (&["export", "customers", "--tier", "ruby"], "diamond"),
        (&["export", "customers", "--unit", "NOPE"], "GZ-TH"),
    ];
    for (args, expected) in cases {
        let mut all: Vec<&str> = vec!["--lang", "en"];
        all.extend_from_slice(args);
        all.extend(["-o", out.to_str().unwrap()]);
        let result = kam(&db, "guanli", &all);
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(!result.status.success(), "{args:?} should fail");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        assert_eq!(stderr.trim().lines().count(), 1, "one clear line: {stderr}");
        assert_eq!(files_in(&dir), before, "{args:?} left a file behind");
    }
    // The unknown unit's message lists the valid codes.
    let result = kam(&db, "guanli", &["report", "monthly", "--unit", "NOPE", "-o", out.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&result.stderr);
    assert!(stderr.contains("NOPE") && stderr.contains("GZ, "), "{stderr}");
}

#[test]
fn a_failed_export_keeps_the_earlier_file() {
    let (_dir, db) = demo_db(40);
    let dir = db.parent().unwrap().to_path_buf();
    let out = dir.join("r.csv");
    std::fs::write(&out, "earlier").unwrap();
    let result = kam(&db, "guanli", &["report", "monthly", "--month", "nope", "-o", out.to_str().unwrap()]);
    assert!(!result.status.success());
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "earlier");
    // A good run replaces it whole.
    run_ok(&db, "guanli", &["report", "monthly", "--format", "csv", "-o", out.to_str().unwrap()]);
    assert!(std::fs::read(&out).unwrap().starts_with(b"\xEF\xBB\xBF"));
}
