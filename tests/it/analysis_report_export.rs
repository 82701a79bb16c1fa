//! `kam report analysis` (SPEC §13.4), run as the real binary on a demo, and
//! read back by independent readers: the DOCX's `word/document.xml` unzipped
//! with the `zip` crate, the XLSX with calamine. The headings, a figure and
//! the supervisor's text must be there.

use crate::support;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};

use kam::db::analysis_report::{self as report, ReportKey, WrittenTexts};
use kam::db::{Actor, Store, reference};
use kam::domain::analysis_report::{ReportKind, WrittenPart};
use kam::domain::revenue::{Month, StatusRules};

const KAM: &str = env!("CARGO_BIN_EXE_kam");

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
        .expect("run kam")
}

const COMPETITION: &str = "顺丰在天河区推出月结八折,已有两户询价";
const PLAN: &str = "十二月走访白银以上客户,落实明年合同";

/// A demo with the Tianhe centre's November report submitted by its supervisor.
/// Returns the figure the report must show (November's total, in yuan as written).
fn submitted_demo(path: &Path) -> String {
    let mut store = Store::open(path).unwrap();
    let refs = reference::load(store.conn()).unwrap();
    let unit = refs.units.iter().find(|u| u.code == "GZ-TH").expect("the Tianhe centre").id;
    let sup = refs.staff.iter().find(|s| s.login.as_deref() == Some("zhuguan2")).expect("its supervisor").clone();
    let actor =
        Actor { staff: sup, at: chrono::NaiveDate::from_ymd_opt(2026, 12, 6).unwrap().and_hms_opt(9, 0, 0).unwrap() };
    let key = ReportKey { unit_id: unit, kind: ReportKind::Monthly, month: Month::new(2026, 11).unwrap() };
    let mut texts = WrittenTexts::default();
    texts.set(WrittenPart::Competition, COMPETITION);
    texts.set(WrittenPart::Plan, PLAN);
    report::submit(&mut store, &actor, key, &texts, None, &StatusRules::default()).unwrap();
    let opened = report::open(store.conn(), key, &StatusRules::default()).unwrap();
    opened.figures.headline.month.format_yuan()
}

#[test]
fn the_word_document_has_the_seven_headings_the_figures_and_the_supervisors_text() {
    let (_dir, db) = support::demo_db(120);
    let total = submitted_demo(&db);
    let out = db.with_file_name("report.docx");
    let run = kam(&db, "zhuguan", &["report", "analysis", "--month", "2026-11", "--unit", "GZ-TH", "-o"]);
    assert!(!run.status.success(), "-o needs a file");
    let run = kam(
        &db,
        "zhuguan",
        &[
            "report",
            "analysis",
            "--month",
            "2026-11",
            "--unit",
            "gz-th",
            "--format",
            "docx",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).expect("a zip package");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("the main part").read_to_string(&mut xml).unwrap();
    for heading in [
        "一、上月总体情况",
        "二、分级客户情况",
        "三、竞争情况",
        "四、收入波动客户",
        "五、重点客户专题",
        "六、服务措施与营销活动",
        "七、本月工作计划",
    ] {
        let at = xml.find(heading).unwrap_or_else(|| panic!("heading {heading} in the document"));
        // Each is a paragraph in the Heading 1 style.
        let paragraph = &xml[xml[..at].rfind("<w:p>").or_else(|| xml[..at].rfind("<w:p ")).unwrap()..at];
        assert!(paragraph.contains(r#"w:val="Heading1""#), "{heading} is a heading: {paragraph}");
    }
    assert!(xml.contains("天河区邮政局大客户中心"), "the unit");
    assert!(xml.contains("已提交"), "the status");
    assert!(xml.contains(&total), "November's total {total}");
    assert!(xml.contains(COMPETITION), "the supervisor's competition text");
    assert!(xml.contains(PLAN), "the supervisor's plan");
    assert!(xml.contains("<w:tbl>"), "the figures as tables");
}

#[test]
fn the_workbook_reads_back_with_the_same_parts_figures_and_text() {
    let (_dir, db) = support::demo_db(120);
    let total = submitted_demo(&db);
    let out = db.with_file_name("report.xlsx");
    let run = kam(
        &db,
        "lingdao",
        &[
            "--lang",
            "en",
            "report",
            "analysis",
            "--month",
            "2026-11",
            "--unit",
            "GZ-TH",
            "--format",
            "xlsx",
            "-o",
            out.to_str().unwrap(),
        ],
    );
    assert!(run.status.success(), "a leader reads and exports: {}", String::from_utf8_lossy(&run.stderr));
    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let sheet = book.worksheet_range_at(0).expect("a sheet").unwrap();
    let texts: Vec<String> = sheet.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    for heading in ["1. Last month overall", "4. Fluctuations", "7. This month's work plan"] {
        assert!(texts.iter().any(|t| t == heading), "{heading} in {texts:?}");
    }
    assert!(texts.iter().any(|t| t == COMPETITION));
    assert!(texts.iter().any(|t| t == "submitted" || t.starts_with("submitted")));
    // The month's total is a number cell, to the fen.
    let expected: f64 = total.replace(',', "").parse().unwrap();
    let found = sheet.rows().any(|r| {
        r.first().is_some_and(|c| *c == "Revenue this month (yuan)")
            && matches!(r.get(1), Some(Data::Float(v)) if (*v - expected).abs() < 0.001)
    });
    assert!(found, "the total {expected} as a number");
}

#[test]
fn a_bad_month_or_unit_is_told_and_writes_nothing() {
    let (_dir, db) = support::demo_db(60);
    let out = db.with_file_name("never.docx");
    for args in [["--month", "2026-13", "--unit", "GZ-TH"], ["--month", "2026-11", "--unit", "NOPE"]] {
        let mut all = vec!["report", "analysis"];
        all.extend(args);
        all.extend(["-o", out.to_str().unwrap()]);
        let run = kam(&db, "zhuguan", &all);
        assert!(!run.status.success());
        assert!(!String::from_utf8_lossy(&run.stderr).is_empty());
        assert!(!out.exists());
    }
}

/// The Tianhe centre's third quarter: its period sum (the quarter's total) in
/// yuan as written, and as a number.
fn third_quarter_total(path: &Path) -> (String, f64) {
    use kam::db::analysis::AnalysisScope;
    use kam::domain::period::Period;
    let store = Store::open(path).unwrap();
    let refs = reference::load(store.conn()).unwrap();
    let unit = refs.units.iter().find(|u| u.code == "GZ-TH").expect("the Tianhe centre").id;
    let q3 = Period::new(Month::new(2026, 7).unwrap(), Month::new(2026, 9).unwrap()).unwrap();
    let sum = kam::db::period::summary(store.conn(), q3, AnalysisScope::Unit(unit)).unwrap();
    let september = kam::db::analysis::monthly(
        store.conn(),
        Month::new(2026, 9).unwrap(),
        AnalysisScope::Unit(unit),
        &StatusRules::default(),
    )
    .unwrap();
    assert_ne!(sum.all.current, september.headline.month, "the demo's quarter is more than its last month");
    let yuan = sum.all.current.format_yuan();
    let number = yuan.replace(',', "").parse().unwrap();
    (yuan, number)
}

#[test]
fn the_quarterly_report_files_show_the_quarter_and_its_diamond_and_gold_customers() {
    let (_dir, db) = support::demo_db(120);
    let (total, number) = third_quarter_total(&db);
    let docx = db.with_file_name("q3.docx");
    let xlsx = db.with_file_name("q3.xlsx");
    let args = |lang: &str, format: &str, out: &Path| -> Vec<String> {
        [
            "--lang",
            lang,
            "report",
            "analysis",
            "--quarterly",
            "--month",
            "2026-09",
            "--unit",
            "GZ-TH",
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let run = |a: Vec<String>| {
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let run = kam(&db, "zhuguan", &a);
        assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    };
    run(args("zh", "docx", &docx));
    run(args("en", "xlsx", &xlsx));

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&docx).unwrap()).expect("a zip package");
    let mut xml = String::new();
    zip.by_name("word/document.xml").expect("the main part").read_to_string(&mut xml).unwrap();
    assert!(xml.contains("2026年第3季度 钻石、黄金客户季度分析"), "the title names the quarter");
    assert!(xml.contains("2026年第3季度总体情况"), "the quarter's caption");
    assert!(xml.contains("一、本季度总体情况") && !xml.contains("一、上月总体情况"), "part 1 is the quarter's");
    assert!(xml.contains("2026年第3季度钻石、黄金客户"), "the diamond and gold table's caption");
    assert!(xml.contains("本季度收入合计(元)"));
    assert!(xml.contains(&total), "the quarter's total {total}");
    assert!(xml.contains("去年同季度(元)") && xml.contains("可比客户本季度(元)"));

    let mut book: Xlsx<_> = open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range_at(0).expect("a sheet").unwrap();
    let texts: Vec<String> = sheet.rows().flat_map(|r| r.iter().map(|c| c.to_string())).collect();
    assert!(texts.iter().any(|t| t.contains("Q3 2026 Quarterly diamond and gold analysis")), "{texts:?}");
    assert!(texts.iter().any(|t| t.starts_with("Q3 2026: diamond and gold customers (")), "{texts:?}");
    assert!(texts.iter().any(|t| t == "This quarter (yuan)"), "the table's heading");
    let found = sheet.rows().any(|r| {
        r.first().is_some_and(|c| *c == "Revenue this quarter (yuan)")
            && matches!(r.get(1), Some(Data::Float(v)) if (*v - number).abs() < 0.001)
    });
    assert!(found, "the quarter's total {number} as a number");
    // The table lists diamond and gold customers only.
    let tiers: Vec<String> = sheet
        .rows()
        .skip_while(|r| r.iter().all(|c| *c != "This quarter (yuan)"))
        .skip(1)
        .take_while(|r| r.first().is_some_and(|c| matches!(c, Data::Float(_) | Data::Int(_))))
        .map(|r| r.get(3).map(|c| c.to_string()).unwrap_or_default())
        .collect();
    assert!(!tiers.is_empty(), "the demo has diamond or gold customers");
    assert!(tiers.iter().all(|t| ["Diamond", "Platinum", "Gold"].contains(&t.as_str())), "{tiers:?}");
}
