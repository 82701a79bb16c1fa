//! `kam import unit-revenue` (issue 16) on a real database: a unit's own
//! revenue for a year, a month or a period total (未分月) per row, all or
//! nothing, every bad line named, double counts refused (in the file and
//! against what is stored), idempotent, history kept, and only for whoever
//! decides for the unit.

use crate::common;

use common::{Seeded, actor, add_unit};
use kam::cli::ImportKind;
use kam::commands::CommandEnv;
use kam::commands::import::{Outcome, bad_row_text, import_bytes};
use kam::db::period::unit_period_totals;
use kam::db::revenue::unit_figures;
use kam::db::{DbError, Invalid, reference};
use kam::domain::money::parse_amount;
use kam::domain::period::Period;
use kam::domain::revenue::{Month, StatusRules};
use kam::domain::staff::Staff;
use kam::domain::tier::TierPreset;
use kam::i18n::Lang;

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

fn import_as(s: &Seeded, staff: &Staff, lang: Lang, text: &str, dry_run: bool) -> Outcome {
    import_bytes(&mut env_as(s, staff, lang), ImportKind::UnitRevenue, text.as_bytes(), dry_run).expect("import runs")
}

fn import(s: &Seeded, text: &str, dry_run: bool) -> Outcome {
    import_as(s, &s.org.supervisor, Lang::Zh, text, dry_run)
}

fn m(y: i32, n: u32) -> Month {
    Month::new(y, n).unwrap()
}

fn wan(text: &str) -> kam::domain::money::Money {
    parse_amount(&format!("{text}万")).unwrap()
}

fn texts(lang: Lang, out: &Outcome) -> Vec<String> {
    out.bad.iter().map(|b| bad_row_text(lang, b)).collect()
}

const GOOD: &str = "单位,期间,收入(万元)\n440106,2025,12000\n天河区分公司大客户中心,2026-10,1100.5\n\
                    440106,2026年1-9月累计,9000\n";

#[test]
fn years_months_and_period_totals_import_once_with_history() {
    let s = Seeded::new();
    let unit = s.org.unit;
    let dry = import(&s, GOOD, true);
    assert!(dry.bad.is_empty(), "{:?}", texts(Lang::Zh, &dry));
    assert_eq!(dry.report.counts.inserted, 3);
    assert_eq!(s.db.count("unit_revenue"), 0, "a dry run writes nothing");
    assert_eq!(s.db.count("unit_revenue_period"), 0);

    let first = import(&s, GOOD, false);
    assert!(first.bad.is_empty(), "{:?}", texts(Lang::Zh, &first));
    assert_eq!((first.report.counts.inserted, first.report.counts.updated), (3, 0));
    let (monthly, yearly) = unit_figures(s.conn(), unit).unwrap();
    assert_eq!(yearly, [(2025, wan("12000"))]);
    assert_eq!(monthly, [(m(2026, 10), wan("1100.5"))]);
    let jan_sep = Period::new(m(2026, 1), m(2026, 9)).unwrap();
    assert_eq!(unit_period_totals(s.conn(), unit).unwrap(), [(jan_sep, wan("9000"))]);

    // Again: nothing changes, nothing is written.
    let history = s.db.count("history WHERE entity IN ('unit_revenue', 'unit_revenue_period')");
    assert_eq!(history, 3, "each figure's creation is in the history");
    let again = import(&s, GOOD, false);
    assert_eq!((again.report.counts.inserted, again.report.counts.updated, again.report.counts.unchanged), (0, 0, 3));
    assert_eq!(s.db.count("history WHERE entity IN ('unit_revenue', 'unit_revenue_period')"), history);

    // A corrected total updates, with its old and new value in the history.
    let fixed = import(&s, "单位,期间,收入(元)\n440106,2026-01..2026-09,9100万\n", false);
    assert!(fixed.bad.is_empty(), "{:?}", texts(Lang::Zh, &fixed));
    assert_eq!(fixed.report.counts.updated, 1);
    assert_eq!(unit_period_totals(s.conn(), unit).unwrap(), [(jan_sep, wan("9100"))]);
    assert_eq!(s.db.count("history WHERE entity = 'unit_revenue_period' AND action = 'update'"), 1);
}

#[test]
fn a_file_with_bad_lines_names_each_and_writes_nothing() {
    let mut s = Seeded::new();
    add_unit(s.store(), "440300", "440300");
    let file = "单位,期间,收入\n\
                440106,2026-05,100\n\
                不存在的局,2026-05,100\n\
                440106,2026-13,100\n\
                440106,2025-11..2026-02,100\n\
                440106,2026-06,一百\n\
                440300,2026-06,100\n\
                440106,2026-05,200\n";
    let out = import(&s, file, false);
    let lines: Vec<usize> = out.bad.iter().map(|b| b.line).collect();
    assert_eq!(lines, [3, 4, 5, 6, 7, 8], "{:?}", texts(Lang::Zh, &out));
    let zh = texts(Lang::Zh, &out);
    assert!(zh[0].contains("第 3 行") && zh[0].contains("不认识的单位:不存在的局"), "{zh:?}");
    assert!(zh[4].contains("440300") && zh[4].contains("无权"), "{zh:?}");
    let en = texts(Lang::En, &out);
    assert!(en[4].contains("May not enter the revenue of unit 440300"), "{en:?}");
    assert!(en[5].starts_with("Line 8") && en[5].contains("Same as line 2"), "{en:?}");
    assert_eq!(s.db.count("unit_revenue"), 0, "nothing of the good line either");
    assert_eq!(s.db.count("history WHERE entity = 'unit_revenue'"), 0);
}

#[test]
fn a_month_inside_a_period_total_is_a_double_count_naming_both_lines_or_the_stored_one() {
    let s = Seeded::new();
    let jan_oct = Period::new(m(2026, 1), m(2026, 10)).unwrap();
    // In one file: both lines refused, each naming the other.
    let out = import(&s, "单位,期间,收入\n440106,2026年1-10月,9000万\n440106,2026-03,800万\n", false);
    let got: Vec<(usize, &kam::import::Problem)> = out.bad.iter().map(|b| (b.line, &b.problem)).collect();
    let double =
        |line| kam::import::Problem::DoubleCount { month: Some(m(2026, 3)), period: jan_oct, other_line: Some(line) };
    assert_eq!(got, [(2, &double(3)), (3, &double(2))]);
    assert_eq!(s.db.count("unit_revenue_period"), 0);

    // Against the database: the total stored, a month inside it refused.
    assert!(import(&s, "单位,期间,收入\n440106,2026年1-10月累计,9000万\n", false).bad.is_empty());
    let out = import(&s, "单位,期间,收入\n440106,2026-11,700万\n440106,2026-04,800万\n", false);
    let en = texts(Lang::En, &out);
    assert_eq!(out.bad.len(), 1, "{en:?}");
    assert_eq!(out.bad[0].line, 3);
    assert!(en[0].contains("Counted twice") && en[0].contains("2026-04"), "{en:?}");
    assert_eq!(s.db.count("unit_revenue"), 0, "the good November line waits for a good file");
    // A total over a month already stored, likewise.
    assert!(import(&s, "单位,期间,收入\n440106,2025-03,100万\n", false).bad.is_empty());
    let out = import(&s, "单位,期间,收入\n440106,2025年1-6月,900万\n", false);
    let jan_jun = Period::new(m(2025, 1), m(2025, 6)).unwrap();
    let stored = kam::import::Problem::DoubleCount { month: Some(m(2025, 3)), period: jan_jun, other_line: None };
    assert_eq!(out.bad.iter().map(|b| (b.line, &b.problem)).collect::<Vec<_>>(), [(2, &stored)]);
    assert_eq!(s.db.count("unit_revenue_period"), 1);
    // An overlapping total is refused too, and the command refuses a month inside as well.
    let out = import(&s, "单位,期间,收入\n440106,2026-09..2026-11,1\n", false);
    assert!(matches!(out.bad[0].problem, kam::import::Problem::PeriodOverlap { other_line: None, .. }));
    let mut s = s;
    let sup = actor(&s.org.supervisor);
    let unit = s.org.unit;
    let refused = kam::db::revenue::set_unit_revenue(s.store(), &sup, unit, 2026, Some(4), wan("1"));
    assert!(matches!(refused, Err(DbError::Invalid(Invalid::UnitDoubleCount { .. }))), "{refused:?}");
}

#[test]
fn an_account_managers_unit_revenue_import_is_refused() {
    let s = Seeded::new();
    let mut env = env_as(&s, &s.org.manager, Lang::En);
    let err = import_bytes(&mut env, ImportKind::UnitRevenue, GOOD.as_bytes(), false).unwrap_err();
    assert_eq!(err.to_string(), "only a supervisor or a customer administrator may do this");
    // The database layer refuses on its own, whoever calls it.
    let me = actor(&s.org.manager);
    let rows = vec![(
        2,
        kam::db::import::UnitRevenueRow {
            unit_id: s.org.unit,
            unit: "440106".into(),
            when: kam::db::import::UnitWhen::Year(2025),
            amount: wan("1"),
        },
    )];
    let mut store = s.db.reopen();
    let refused = kam::db::import::unit_revenue(&mut store, &me, &rows, false);
    assert!(matches!(refused, Err(DbError::Refused(_))), "{refused:?}");
    assert_eq!(s.db.count("unit_revenue"), 0);
}
