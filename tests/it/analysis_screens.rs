//! The monthly analysis screen (7) on the demo database, drawn on TestBackend in
//! both languages, and driven by keys the way the event loop drives it.

use crate::support;

use crossterm::event::KeyCode;
use kam::db::analysis::{AnalysisScope, monthly};
use kam::db::sql::{Sql, args};
use kam::domain::revenue::{Month, StatusRules};
use kam::i18n::Lang;
use support::*;

const OCTOBER: fn() -> Month = || Month::new(2026, 10).unwrap();

fn analysis(path: &std::path::Path, lang: Lang, login: &str) -> kam::app::App {
    let mut app = today_on(path, lang, login);
    app.handle(&key(KeyCode::Char('7')));
    app
}

fn tianhe(path: &std::path::Path) -> (i64, kam::db::analysis::MonthlyAnalysis) {
    let store = kam::db::Store::open(path).unwrap();
    let unit: i64 = store.conn().row("SELECT id FROM org_unit WHERE code = 'GZ-TH'", args![], |r| r.get(0)).unwrap();
    let data = monthly(store.conn(), OCTOBER(), AnalysisScope::Unit(unit), &StatusRules::default()).unwrap();
    (unit, data)
}

#[test]
fn overview_in_both_languages_at_80x24() {
    let (_dir, path) = demo_db(120);
    let (_, data) = tianhe(&path);
    for (lang, name, words) in [
        (Lang::Zh, "analysis_overview_zh", ["经营分析", "本月收入", "环比", "按级别（本月收入）"]),
        (Lang::En, "analysis_overview_en", ["Monthly analysis", "This month", "MoM", "By tier (this month)"]),
    ] {
        let mut app = analysis(&path, lang, "zhuguan2");
        let shown = screen(&mut app, 80, 24);
        for w in words {
            assert!(shown.contains(w), "{w} missing:\n{shown}");
        }
        assert!(shown.contains("2026-10"), "{shown}");
        assert!(shown.contains(&data.headline.month.format_yuan()), "{shown}");
        insta::assert_snapshot!(name, shown);
    }
}

#[test]
fn wan_months_and_sections_follow_the_keys() {
    let (_dir, path) = demo_db(120);
    let (_, data) = tianhe(&path);
    let mut app = analysis(&path, Lang::Zh, "zhuguan2");
    app.handle(&key(KeyCode::Char('w')));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains(&data.headline.month.format_wan()), "{shown}");
    assert!(shown.contains("单位：万元"), "{shown}");
    app.handle(&key(KeyCode::Char('[')));
    assert!(screen(&mut app, 100, 30).contains("2026-09"));
    app.handle(&key(KeyCode::Char(']')));
    // The top ten, largest first.
    app.handle(&key(KeyCode::Tab));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains(&data.top[0].short_name), "{shown}");
    // Enter opens the dossier of the selected customer.
    app.handle(&key(KeyCode::Enter));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("客户档案") && shown.contains(&data.top[0].short_name), "{shown}");
}

/// In the terminal the analysis is read on the reader thread: a month key
/// draws at once, the previous month's figures stay (marked "…") until the
/// new ones come through the loop, and explaining waits for this month's.
#[test]
fn months_move_without_waiting_for_the_figures() {
    use kam::background::Reader;
    use kam::event::Events;
    let (_dir, path) = demo_db(120);
    let (_, october) = tianhe(&path);
    let mut app = today_on(&path, Lang::Zh, "zhuguan2");
    let (mut events, notifier) = Events::detached(std::time::Duration::from_secs(10));
    app.ctx.reader = Reader::start(path.clone(), notifier);
    app.handle(&key(KeyCode::Char('7')));
    // The title line says which month is shown and whether its figures are in.
    let title = |app: &mut kam::app::App| screen(app, 100, 30).lines().next().unwrap_or_default().to_string();
    let waiting = |app: &mut kam::app::App| title(app).contains('…');
    let opening = title(&mut app);
    assert!(opening.contains("2026-10") && waiting(&mut app), "nothing yet: {opening}");
    let answer = events.next().unwrap();
    assert!(matches!(&answer, kam::msg::Msg::Analysed(_)), "{answer:?}");
    app.handle(&answer);
    let october_shown = screen(&mut app, 100, 30);
    assert!(october_shown.contains(&october.headline.month.format_yuan()) && !waiting(&mut app));

    app.handle(&key(KeyCode::Char('[')));
    let moving = screen(&mut app, 100, 30);
    assert!(title(&mut app).contains("2026-09") && waiting(&mut app), "{moving}");
    assert!(moving.contains(&october.headline.month.format_yuan()), "October's figures until September's come");
    app.handle(&events.next().unwrap());
    let september = screen(&mut app, 100, 30);
    assert!(title(&mut app).contains("2026-09") && !waiting(&mut app), "{september}");
    assert_ne!(september, october_shown);

    // Explaining right after a move reads the month's figures first.
    app.handle(&key(KeyCode::Char(']')));
    app.handle(&key(KeyCode::Tab));
    app.handle(&key(KeyCode::Tab));
    app.handle(&key(KeyCode::Char('e')));
    assert!(!waiting(&mut app), "settled on October before explaining");
}

#[test]
fn an_account_manager_explains_a_fluctuation_and_a_leader_cannot() {
    let (_dir, path) = demo_db(120);
    let store = kam::db::Store::open(&path).unwrap();
    let everyone = monthly(store.conn(), OCTOBER(), AnalysisScope::All, &StatusRules::default()).unwrap();
    let first = everyone.fluctuations.first().expect("the demo has fluctuations").customer.clone();
    // The customer's own account manager, who starts on their unit's analysis.
    let (login, unit): (String, i64) = store
        .conn()
        .row("SELECT login, unit_id FROM staff WHERE id = ?1", args![first.owner_a], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap();
    let data = monthly(store.conn(), OCTOBER(), AnalysisScope::Unit(unit), &StatusRules::default()).unwrap();
    let mut app = analysis(&path, Lang::En, &login);
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Fluctuations"), "{shown}");
    // Find the row of the customer (their own unit's list is the same scope).
    let rows = data.fluctuations.iter().position(|f| f.customer.id == first.id).unwrap();
    for _ in 0..rows {
        app.handle(&key(KeyCode::Down));
    }
    app.handle(&key(KeyCode::Char('e')));
    // An empty explanation is refused and the input stays open.
    app.handle(&key(KeyCode::Enter));
    assert!(screen(&mut app, 100, 30).contains("Write an explanation first"));
    type_text(&mut app, "季度账单集中寄发");
    app.handle(&key(KeyCode::Enter));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("Explanation saved"), "{shown}");
    let saved: String = store
        .conn()
        .row(
            "SELECT explanation FROM fluctuation_note WHERE customer_id = ?1 AND month = 202610",
            args![&first.id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(saved, "季度账单集中寄发");

    let mut leader = analysis(&path, Lang::En, "lingdao");
    press(&mut leader, &[KeyCode::Tab, KeyCode::Tab]);
    leader.handle(&key(KeyCode::Char('e')));
    type_text(&mut leader, "x");
    leader.handle(&key(KeyCode::Enter));
    let shown = screen(&mut leader, 100, 30);
    assert!(shown.contains("leaders read only"), "{shown}");
    // The typed text is still there to copy or cancel.
    assert!(shown.contains("Explanation: x") || shown.contains("Explanation:  x"), "{shown}");
}

#[test]
fn tiny_and_large_terminals_do_not_break_it() {
    let (_dir, path) = demo_db(60);
    let mut app = analysis(&path, Lang::Zh, "guanli");
    for (w, h) in [(20, 5), (40, 10), (80, 24), (200, 60)] {
        for _ in 0..4 {
            render(&mut app, w, h);
            app.handle(&key(KeyCode::Tab));
        }
    }
    // The administrator starts on every unit.
    assert!(screen(&mut app, 80, 24).contains("全部单位"));
}

/// The demo's ledger ends in October (the month before its day, 2026-11-23):
/// November is not entered yet, and must not read as everyone falling to zero.
#[test]
fn a_month_after_the_ledger_is_not_yet_entered_never_a_fall() {
    let (_dir, path) = demo_db(120);
    let store = kam::db::Store::open(&path).unwrap();
    let november = Month::new(2026, 11).unwrap();
    let rules = StatusRules::default();
    let october = monthly(store.conn(), OCTOBER(), AnalysisScope::All, &rules).unwrap();
    assert!(october.entered && !october.fluctuations.is_empty());
    let data = monthly(store.conn(), november, AnalysisScope::All, &rules).unwrap();
    assert!(!data.entered, "November has no revenue yet");
    assert_eq!(data.ledger_month, Some(OCTOBER()));
    assert!(data.fluctuations.is_empty(), "no fluctuations: {:?}", data.fluctuations.first());
    assert!(data.churned.is_empty() && data.new_customers.is_empty() && data.top.is_empty());
    assert!(data.trend.iter().all(|(m, _)| *m <= OCTOBER()), "the trend ends with the ledger");

    for (lang, words) in [(Lang::Zh, "尚未录入"), (Lang::En, "not entered yet")] {
        let mut app = analysis(&path, lang, "zhuguan2");
        app.handle(&key(KeyCode::Char(']')));
        for section in 0..4 {
            let shown = screen(&mut app, 80, 24);
            assert!(shown.contains("2026-11"), "{shown}");
            assert!(shown.contains(words), "section {section}: {shown}");
            assert!(!shown.contains("-100"), "no −100% (section {section}): {shown}");
            app.handle(&key(KeyCode::Tab));
        }
        // Past the period section (issue 16: its keys move the period) back to the overview.
        app.handle(&key(KeyCode::Tab));
        // The month in progress is as far as it goes.
        app.handle(&key(KeyCode::Char(']')));
        app.handle(&key(KeyCode::Char(']')));
        let shown = screen(&mut app, 80, 24);
        assert!(shown.contains("2026-11") && !shown.contains("2026-12") && !shown.contains("2027-01"), "{shown}");
        app.handle(&key(KeyCode::Char('[')));
        assert!(screen(&mut app, 80, 24).contains("2026-10"));
    }
}
