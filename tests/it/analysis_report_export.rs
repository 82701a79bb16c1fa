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
