//! `kam report period` (issue 16) on the seed's own table, read back with
//! independent readers: calamine for XLSX, the csv crate for CSV. The seed's
//! bureau wrote: nine key customers, 4,890.43 万元 for January–October 2003,
//! 20.63% of the district's 23,705.04 万元; the six compared customers
//! 3,726.96 → 4,597.73 万元 (+870.77).

use std::path::Path;

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::common::{Seeded, actor};
use kam::cli::TableFormat;
use kam::commands::CommandEnv;
use kam::commands::report_period::{Range, run};
use kam::config::MoneyUnit;
use kam::db::reference;
use kam::domain::revenue::StatusRules;
use kam::domain::tier::TierPreset;
use kam::i18n::Lang;

fn env(s: &Seeded, lang: Lang) -> CommandEnv {
    let store = s.db.reopen();
    let reference = reference::load(store.conn()).unwrap();
    CommandEnv {
        store,
        actor: actor(&s.org.supervisor),
        reference,
        lang,
        preset: TierPreset::GuangdongScore,
        rules: StatusRules::default(),
    }
}

const JAN_OCT_2003: Range<'static> = Range { from: Some("2003-01"), to: Some("2003-10") };

fn write(s: &Seeded, lang: Lang, range: Range<'_>, money: MoneyUnit, format: TableFormat, path: &Path) {
    run(&env(s, lang), range, Some("440106"), money, format, path).expect("the report is written");
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        _ => String::new(),
    }
}

fn number(cell: &Data) -> f64 {
    match cell {
        Data::Float(n) => *n,
        Data::Int(n) => *n as f64,
        other => panic!("expected a number, found {other:?}"),
    }
}

fn row<'a>(rows: &'a [Vec<Data>], first: &str) -> &'a Vec<Data> {
    rows.iter().find(|r| r.first().map(text).as_deref() == Some(first)).unwrap_or_else(|| panic!("no row {first}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn xlsx_in_wan_has_the_bureaus_share_and_the_like_for_like_subtotal() {
    let (s, _) = crate::db_period::seeded_district();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("period.xlsx");
    write(&s, Lang::Zh, JAN_OCT_2003, MoneyUnit::Wan, TableFormat::Xlsx, &path);
    let mut book: Xlsx<_> = open_workbook(&path).unwrap();
    assert_eq!(book.sheet_names(), ["期间对比"]);
    let rows: Vec<Vec<Data>> = book.worksheet_range("期间对比").unwrap().rows().map(|r| r.to_vec()).collect();
    assert!(text(&rows[0][0]).contains("2003年1-10月累计") && text(&rows[0][0]).contains("万元"), "{:?}", rows[0]);
    assert_eq!(text(&row(&rows, "期间")[1]), "2003年1-10月累计");
    assert_eq!(text(&row(&rows, "去年同期")[1]), "2002年1-10月累计");
    assert!(close(number(&row(&rows, "本单位同期收入")[1]), 23705.04));
    assert!(close(number(&row(&rows, "占本单位收入")[1]), 0.2063), "{:?}", row(&rows, "占本单位收入"));

    let all = row(&rows, "全部重点客户合计");
    assert_eq!(number(&all[1]), 9.0);
    assert!(close(number(&all[2]), 4890.43) && close(number(&all[3]), 3726.96), "{all:?}");
    assert!(close(number(&all[6]), 0.2063), "{all:?}");
    let like = row(&rows, "其中可比客户(两期均有收入)");
    assert_eq!(number(&like[1]), 6.0);
    assert!(close(number(&like[2]), 4597.73) && close(number(&like[3]), 3726.96), "{like:?}");
    assert!(close(number(&like[4]), 870.77), "{like:?}");
    assert!(close(number(&like[5]), 0.2336), "{like:?}");

    // The customers, largest first: the first one with its change and tier.
    let (first_row, _) = rows.iter().enumerate().find(|(_, r)| r.first().map(text).as_deref() == Some("排名")).unwrap();
    let first = &rows[first_row + 1];
    assert_eq!(number(&first[0]), 1.0);
    assert_eq!(text(&first[2]), "甲");
    assert!(close(number(&first[3]), 1500.0) && close(number(&first[4]), 1200.0) && close(number(&first[5]), 300.0));
    assert!(close(number(&first[6]), 0.25));
    assert!(!text(&first[8]).is_empty() && !text(&first[9]).is_empty(), "tier and status: {first:?}");
    // A customer new this year: no change percentage (nothing to compare with), never 0 or ∞.
    let ninth = &rows[first_row + 9];
    assert_eq!(text(&ninth[2]), "壬");
    assert_eq!(ninth[6], Data::Empty);
}

#[test]
fn csv_in_yuan_in_english_and_a_period_cutting_a_total_says_so() {
    let (s, _) = crate::db_period::seeded_district();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("period.csv");
    write(&s, Lang::En, JAN_OCT_2003, MoneyUnit::Yuan, TableFormat::Csv, &path);
    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "a BOM for Excel");
    let records = read_csv(&bytes);
    let field = |first: &str, i: usize| -> String {
        records.iter().find(|r| r.get(0) == Some(first)).unwrap_or_else(|| panic!("no row {first}"))[i].to_string()
    };
    assert_eq!(field("Period", 1), "Jan–Oct 2003 (cumulative)");
    assert_eq!(field("Share of the unit's revenue", 1), "20.63%");
    assert_eq!(field("All key customers", 2), "48904300.00");
    assert_eq!(field("of which like for like (revenue in both periods)", 4), "8707700.00");
    assert_eq!(field("of which like for like (revenue in both periods)", 5), "23.36%");

    // January–September cuts through every January–October total: said, not split.
    let cut = dir.path().join("cut.csv");
    write(&s, Lang::En, Range { from: Some("2003-01"), to: Some("2003-09") }, MoneyUnit::Wan, TableFormat::Csv, &cut);
    let records = read_csv(&std::fs::read(&cut).unwrap());
    let note = records.iter().find(|r| r.get(0) == Some("Note")).expect("a note on the cut totals");
    assert!(note[1].contains("9 customers have a period total reaching across"), "{note:?}");
    let unit = records.iter().find(|r| r.get(0) == Some("Unit's revenue, same period")).unwrap();
    assert!(unit[1].contains("Jan–Oct 2003") && unit[1].contains("not split by month"), "{unit:?}");
    let third = records.iter().find(|r| r.get(2) == Some("丙")).unwrap();
    assert_eq!((&third[3], &third[4], &third[5]), ("", "", ""), "no figure invented: {third:?}");
    assert!(third[11].contains("cannot be split"), "{third:?}");
}

fn read_csv(bytes: &[u8]) -> Vec<csv::StringRecord> {
    let text = std::str::from_utf8(bytes).unwrap().trim_start_matches('\u{feff}').to_string();
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .collect()
}
