//! The analysis screen's period section (issue 16) on the demo database, drawn
//! on TestBackend in both languages at 80×24 and 160×50 and driven by keys:
//! `{` `}` move the first month, `[` `]` the last, `w` switches to 万元.

use crate::support;

use crossterm::event::KeyCode;
use kam::db::analysis::AnalysisScope;
use kam::db::sql::{Sql, args};
use kam::domain::period::Period;
use kam::domain::revenue::Month;
use kam::i18n::Lang;
use support::*;

fn period_section(path: &std::path::Path, lang: Lang) -> kam::app::App {
    let mut app = today_on(path, lang, "zhuguan2");
    app.handle(&key(KeyCode::Char('7')));
    // The period section is the last tab.
    app.handle(&key(KeyCode::BackTab));
    app
}

fn tianhe_summary(path: &std::path::Path, period: Period) -> kam::db::period::PeriodSummary {
    let store = kam::db::Store::open(path).unwrap();
    let unit: i64 = store.conn().row("SELECT id FROM org_unit WHERE code = 'GZ-TH'", args![], |r| r.get(0)).unwrap();
    kam::db::period::summary(store.conn(), period, AnalysisScope::Unit(unit)).unwrap()
}

fn m(y: i32, mo: u32) -> Month {
    Month::new(y, mo).unwrap()
}

#[test]
fn the_period_section_in_chinese_follows_the_keys() {
    let (_dir, path) = demo_db(120);
    let ytd = Period::year_to_date(m(2026, 10));
    let s = tianhe_summary(&path, ytd);
    let mut app = period_section(&path, Lang::Zh);
    let shown = screen(&mut app, 80, 24);
    for w in ["累计对比", "2026年1-10月累计", "对比去年同期 2025年1-10月累计", "{ } 起始月", "其中可比", "增减%"]
    {
        assert!(shown.contains(w), "{w} missing:\n{shown}");
    }
    assert!(shown.contains(&s.all.current.format_yuan()), "{shown}");
    assert!(shown.contains(&s.compared.current.format_yuan()), "{shown}");
    assert!(shown.contains(&format!("全部 {} 户", s.customers)), "{shown}");
    insta::assert_snapshot!("period_section_zh", shown);

    // `}` twice: March to October; `[`: March to September.
    app.handle(&key(KeyCode::Char('}')));
    app.handle(&key(KeyCode::Char('}')));
    assert!(screen(&mut app, 80, 24).contains("2026年3-10月"));
    app.handle(&key(KeyCode::Char('[')));
    let mar_sep = Period::new(m(2026, 3), m(2026, 9)).unwrap();
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("2026年3-9月 ") && shown.contains("2025年3-9月"), "{shown}");
    // 万元, two decimals.
    app.handle(&key(KeyCode::Char('w')));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains(&tianhe_summary(&path, mar_sep).all.current.format_wan()), "{shown}");
    assert!(screen(&mut app, 120, 30).contains("单位：万元"));
    // `{` back to January (and no further): the year to date again.
    for _ in 0..5 {
        app.handle(&key(KeyCode::Char('{')));
    }
    assert!(screen(&mut app, 80, 24).contains("2026年1-9月累计"));
    // Enter opens the dossier of the largest customer.
    app.handle(&key(KeyCode::Enter));
    assert!(screen(&mut app, 80, 24).contains("客户档案"));
}

#[test]
fn the_period_section_in_english_at_80x24_and_160x50() {
    let (_dir, path) = demo_db(120);
    let s = tianhe_summary(&path, Period::year_to_date(m(2026, 10)));
    let mut app = period_section(&path, Lang::En);
    let small = screen(&mut app, 80, 24);
    for w in ["Period", "Jan–Oct 2026 (cumulative)", "against Jan–Oct 2025 (cumulative)", "Like for like", "Change %"]
    {
        assert!(small.contains(w), "{w} missing:\n{small}");
    }
    insta::assert_snapshot!("period_section_en", small);
    let large = screen(&mut app, 160, 50);
    assert!(large.contains(&format!("All {}", s.customers)) && large.contains("Status"), "{large}");
    assert!(large.contains(&s.all.current.format_yuan()), "{large}");
    // No terminal is too small to draw on.
    for (w, h) in [(1, 1), (20, 5), (40, 10)] {
        screen(&mut app, w, h);
    }
}

/// A customer's revenue known only as a period total is shown on the dossier's
/// revenue tab, marked 未分月, and never spread over the grid's months.
#[test]
fn the_dossier_marks_period_totals_as_not_split_by_month() {
    use kam::db::customers::{self, CustomerQuery};
    use kam::db::period::{PeriodEntry, write_period_entries_in};
    let (_dir, path) = demo_db(120);
    for (lang, words) in [
        (Lang::Zh, "未分月: 2023年1-10月累计 1,200,000.00"),
        (Lang::En, "not split by month: Jan–Oct 2023 (cumulative) 1,200,000.00"),
    ] {
        let mut app = app_on(&path, lang, "jingli01");
        let q = CustomerQuery { search: "dxzw".into(), ..Default::default() };
        let id = customers::page(app.ctx.store.conn(), &q, 0, 5).unwrap()[0].id.clone();
        let line = app.ctx.reference.service_lines[0].id;
        let actor = app.ctx.actor();
        let entry = PeriodEntry {
            customer_id: id,
            period: Period::new(m(2023, 1), m(2023, 10)).unwrap(),
            service_line_id: line,
            amount: kam::domain::money::Money::from_fen(120_000_000),
        };
        app.ctx.store.write(|tx| write_period_entries_in(tx, &actor, std::slice::from_ref(&entry))).unwrap();
        app.handle(&key(KeyCode::Char('/')));
        type_text(&mut app, "dxzw");
        app.handle(&key(KeyCode::Enter));
        press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
        let shown = screen(&mut app, 100, 40);
        assert!(shown.contains(words), "{words} missing:\n{shown}");
        assert!(!shown.contains("2023-10"), "no month of it in the grid:\n{shown}");
    }
}

/// A period whose year-ago months cut through a total known only for
/// January–October says so on screen, and shows 未分月 for that figure
/// instead of inventing a split.
#[test]
fn a_period_cutting_through_a_total_says_so_on_screen() {
    use kam::db::customers::{self, CustomerQuery};
    use kam::db::period::{PeriodEntry, write_period_entries_in};
    let (_dir, path) = demo_db(120);
    let mut app = period_section(&path, Lang::Zh);
    let q = CustomerQuery { search: "dxzw".into(), ..Default::default() };
    let id = customers::page(app.ctx.store.conn(), &q, 0, 5).unwrap()[0].id.clone();
    let entry = PeriodEntry {
        customer_id: id,
        period: Period::new(m(2024, 1), m(2024, 10)).unwrap(),
        service_line_id: app.ctx.reference.service_lines[0].id,
        amount: kam::domain::money::Money::from_fen(120_000_000),
    };
    let actor = app.ctx.actor();
    app.ctx.store.write(|tx| write_period_entries_in(tx, &actor, std::slice::from_ref(&entry))).unwrap();
    // From 2026年1-10月 back to 2025年1-9月: its year ago, 2024年1-9月, cuts the total.
    for _ in 0..13 {
        app.handle(&key(KeyCode::Char('[')));
    }
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("2025年1-9月累计") && shown.contains("2024年1-9月累计"), "{shown}");
    assert!(shown.contains("1 户的期间合计跨越所选期间"), "{shown}");
    assert!(shown.contains("未分月"), "{shown}");
    // January–October of 2025 against 2024: the total is used whole.
    app.handle(&key(KeyCode::Char(']')));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("2025年1-10月累计") && !shown.contains("跨越所选期间"), "{shown}");
}
