//! The monthly analysis report screen (r on the analysis screen) and Today's
//! "reports due" section, on the demo database (today 2026-11-23, ledger to
//! October), drawn on TestBackend in both languages and driven by keys.

use crate::support;

use crossterm::event::KeyCode;
use kam::db::analysis_report::{self as report, ReportKey};
use kam::db::sql::{Sql, args};
use kam::domain::analysis_report::{ReportKind, ReportStatus, WrittenPart};
use kam::domain::revenue::{Month, StatusRules};
use kam::i18n::Lang;
use kam::msg::Msg;
use support::*;

fn tianhe_october(path: &std::path::Path) -> ReportKey {
    let store = kam::db::Store::open(path).unwrap();
    let unit: i64 = store.conn().row("SELECT id FROM org_unit WHERE code = 'GZ-TH'", args![], |r| r.get(0)).unwrap();
    ReportKey { unit_id: unit, kind: ReportKind::Monthly, month: Month::new(2026, 10).unwrap() }
}

fn report_screen(path: &std::path::Path, lang: Lang, login: &str) -> kam::app::App {
    let mut app = today_on(path, lang, login);
    app.handle(&key(KeyCode::Char('7')));
    app.handle(&key(KeyCode::Char('r')));
    app
}

#[test]
fn the_report_shows_its_parts_figures_status_and_deadline_in_both_languages() {
    let (_dir, path) = demo_db(120);
    let rk = tianhe_october(&path);
    let store = kam::db::Store::open(&path).unwrap();
    let total = report::open(store.conn(), rk, &StatusRules::default()).unwrap().figures.headline.month.format_yuan();
    for (lang, words) in [
        (
            Lang::Zh,
            ["经营分析报告", "天河区邮政局大客户中心", "草稿", "截止 2026-11-28", "一、上月总体情况", "(未填写)"],
        ),
        (
            Lang::En,
            [
                "Monthly analysis report",
                "天河区邮政局大客户中心",
                "draft",
                "due 2026-11-28",
                "1. Last month overall",
                "(not written)",
            ],
        ),
    ] {
        let mut app = report_screen(&path, lang, "zhuguan2");
        for (w, h) in [(80, 24), (160, 50)] {
            let shown = screen(&mut app, w, h);
            for word in words {
                assert!(shown.contains(word), "{lang:?} {w}×{h}: {word} missing:\n{shown}");
            }
            assert!(shown.contains(&total), "the month's total {total}:\n{shown}");
        }
        let wide = screen(&mut app, 160, 50);
        let tiers = if lang == Lang::Zh { "二、分级客户情况" } else { "2. By tier" };
        assert!(wide.contains(tiers), "{wide}");
        // Down to the last part: the plan is in view.
        for _ in 0..4 {
            app.handle(&key(KeyCode::Down));
        }
        let shown = screen(&mut app, 80, 24);
        let plan = if lang == Lang::Zh { "七、本月工作计划" } else { "7. This month's work plan" };
        assert!(shown.contains(plan), "{shown}");
    }
}

#[test]
fn the_supervisor_writes_saves_and_submits_and_the_figures_freeze() {
    let (_dir, path) = demo_db(120);
    let rk = tianhe_october(&path);
    let mut app = report_screen(&path, Lang::Zh, "zhuguan2");
    // Part 3, competition: write it, in Chinese, wider than the screen.
    app.handle(&key(KeyCode::Down));
    app.handle(&key(KeyCode::Enter));
    let text =
        "快递公司在本区推出月结八折优惠，已有两户客户询价；我局以上门揽收和账单时限应对，并安排主管走访重点客户。";
    type_text(&mut app, text);
    let editing = screen(&mut app, 80, 24);
    assert!(editing.contains("编辑:三、竞争情况"), "{editing}");
    assert!(editing.contains("快递公司在本区推出月结八折优惠"), "the start of the text, wrapped:\n{editing}");
    assert!(editing.contains("并安排主管走访重点客户。"), "the end of the text on its own line:\n{editing}");
    app.handle(&key(KeyCode::Enter));
    app.handle(&ctrl('s'));
    assert!(screen(&mut app, 80, 24).contains("草稿已保存"));
    let store = kam::db::Store::open(&path).unwrap();
    let saved = report::load(store.conn(), rk).unwrap().expect("saved");
    assert_eq!(saved.texts.get(WrittenPart::Competition), text);
    assert_eq!(saved.status, ReportStatus::Draft);

    // Submit asks first; anything but y keeps the draft.
    app.handle(&key(KeyCode::Char('p')));
    assert!(screen(&mut app, 80, 24).contains("提交 天河区邮政局大客户中心 2026-10 的报告?"));
    app.handle(&key(KeyCode::Char('n')));
    assert_eq!(report::load(store.conn(), rk).unwrap().unwrap().status, ReportStatus::Draft);
    app.handle(&key(KeyCode::Char('p')));
    app.handle(&key(KeyCode::Char('y')));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("报告已提交") && shown.contains("已提交"), "{shown}");
    let submitted = report::load(store.conn(), rk).unwrap().unwrap();
    assert_eq!(submitted.status, ReportStatus::Submitted);
    assert!(submitted.figures.is_some());
    // Submitted: editing is refused with the reason.
    app.handle(&key(KeyCode::Enter));
    assert!(screen(&mut app, 80, 24).contains("报告已提交,需先退回修改"));
}

#[test]
fn account_managers_read_the_report_but_do_not_write_it() {
    let (_dir, path) = demo_db(120);
    let store = kam::db::Store::open(&path).unwrap();
    let login: String = store
        .conn()
        .row(
            "SELECT s.login FROM staff s JOIN org_unit u ON u.id = s.unit_id \
             WHERE u.code = 'GZ-TH' AND s.role = 'manager' AND s.login IS NOT NULL ORDER BY s.id LIMIT 1",
            args![],
            |r| r.get(0),
        )
        .unwrap();
    let mut app = report_screen(&path, Lang::En, &login);
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Read only"), "{shown}");
    app.handle(&key(KeyCode::Enter));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("decides this"), "the refusal says whose it is:\n{shown}");
    assert_eq!(report::load(store.conn(), tianhe_october(&path)).unwrap(), None);
}

#[test]
fn todays_due_line_shows_the_report_and_its_deadline_in_both_languages() {
    let (_dir, path) = demo_db(120);
    for (lang, words) in [
        (Lang::Zh, ["待报经营分析报告 (1)", "截止 11-28", "2026-10 天河区邮政局大客户中心 经营分析报告", "未开始"]),
        (
            Lang::En,
            [
                "Analysis reports due (1)",
                "due 11-28",
                "2026-10 天河区邮政局大客户中心 Monthly analysis report",
                "not started",
            ],
        ),
    ] {
        let mut app = today_on(&path, lang, "zhuguan2");
        let shown = screen(&mut app, 160, 50);
        for word in words {
            assert!(shown.contains(word), "{lang:?}: {word} missing:\n{shown}");
        }
        let narrow = screen(&mut app, 80, 24);
        assert!(narrow.contains(words[0]) && narrow.contains(words[1]), "{narrow}");
    }
    // Submitted elsewhere: after a refresh the line is gone.
    let mut app = today_on(&path, Lang::Zh, "zhuguan2");
    let store = kam::db::Store::open(&path).unwrap();
    let rk = tianhe_october(&path);
    let sup = kam::db::reference::load(store.conn())
        .unwrap()
        .staff
        .into_iter()
        .find(|s| s.login.as_deref() == Some("zhuguan2"))
        .unwrap();
    let actor = kam::db::Actor { staff: sup, at: now() };
    let mut store = store;
    report::submit(&mut store, &actor, rk, &Default::default(), None, &StatusRules::default()).unwrap();
    app.handle(&key(KeyCode::Char('g')));
    assert!(!screen(&mut app, 160, 50).contains("待报经营分析报告"), "a submitted report leaves the list");
}

#[test]
fn capital_r_on_the_analysis_screen_opens_the_quarterly_report_of_the_quarter_shown() {
    use crossterm::event::{KeyEvent, KeyModifiers};
    use kam::db::analysis::AnalysisScope;
    let (_dir, path) = demo_db(120);
    let unit = tianhe_october(&path).unit_id;
    let store = kam::db::Store::open(&path).unwrap();
    // October is shown: the fourth quarter, kept on its last month.
    let q4 = kam::db::analysis_report::quarter_of(Month::new(2026, 10).unwrap());
    assert_eq!(q4.last(), Month::new(2026, 12).unwrap());
    let total =
        kam::db::period::summary(store.conn(), q4, AnalysisScope::Unit(unit)).unwrap().all.current.format_yuan();
    for (lang, words) in [
        (Lang::Zh, ["2026年第4季度", "钻石、黄金客户季度分析", "2026年第4季度总体情况", "本季度收入合计(元)"]),
        (
            Lang::En,
            ["Q4 2026", "Quarterly diamond and gold analysis", "Q4 2026 overall", "Revenue this quarter (yuan)"],
        ),
    ] {
        let mut app = today_on(&path, lang, "zhuguan2");
        app.handle(&key(KeyCode::Char('7')));
        // As a terminal sends it: shift held.
        app.handle(&Msg::Key(KeyEvent::new(KeyCode::Char('R'), KeyModifiers::SHIFT)));
        let shown = screen(&mut app, 80, 24);
        assert!(shown.contains(words[0]) && shown.contains(words[1]), "{lang:?}: the quarter's title:\n{shown}");
        let wide = screen(&mut app, 160, 50);
        for word in words {
            assert!(wide.contains(word), "{lang:?}: {word} missing:\n{wide}");
        }
        assert!(wide.contains(&total), "the quarter's total {total}:\n{wide}");
    }
}
