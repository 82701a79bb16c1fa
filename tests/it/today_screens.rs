//! Today and the calendar as the day goes on: midnight while the app is open,
//! Today's sections at 80×24, the week's hour grid and the go-to prompt.

use crate::support;

use chrono::TimeDelta;
use crossterm::event::KeyCode;
use kam::app::{Clock, ManualClock, run_loop};
use kam::i18n::Lang;
use kam::msg::Msg;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use support::*;

fn shown(terminal: &Terminal<TestBackend>) -> String {
    text(terminal.backend().buffer())
}

/// A minute before midnight on the demo's day.
fn late_evening() -> ManualClock {
    ManualClock::new(now().date().and_hms_opt(23, 59, 0).unwrap())
}

#[test]
fn today_left_open_past_midnight_shows_the_new_days_lists() {
    let (_dir, path) = demo_db(120);
    let clock = late_evening();
    let mut app = app_with_clock(&path, Lang::Zh, "jingli01", Clock::Manual(clock.clone()));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    run_loop(&mut terminal, &mut app, [Msg::Tick]).unwrap();
    let evening = shown(&terminal);
    assert!(evening.contains("2026-11-23 周一"), "{evening}");
    // The demo gives jingli01 two visits today (09:30 and 14:00), not done.
    assert!(evening.contains("今日拜访 (2)"), "{evening}");
    assert!(evening.contains("  09:30 ○ 上门拜访"), "{evening}");

    // Midnight passes with nobody at the keyboard: only ticks come.
    clock.advance(TimeDelta::minutes(2));
    run_loop(&mut terminal, &mut app, [Msg::Tick]).unwrap();
    let morning = shown(&terminal);
    assert!(morning.contains("2026-11-24 周二"), "{morning}");
    assert!(morning.contains("今日拜访 (0)"), "yesterday's visits are not today's: {morning}");
    assert!(morning.contains("11-23 09:30 ! 上门拜访"), "yesterday's plan is overdue now: {morning}");
    assert!(morning.contains("11-23 14:00 ! 上门拜访"), "{morning}");
    assert!(!morning.contains("2026-11-23"), "nothing says yesterday is today: {morning}");
}

#[test]
fn the_calendar_moves_its_today_mark_and_overdue_marks_at_midnight() {
    let (_dir, path) = demo_db(120);
    let clock = late_evening();
    let mut app = app_with_clock(&path, Lang::En, "jingli01", Clock::Manual(clock.clone()));
    app.handle(&key(KeyCode::Char('3')));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    run_loop(&mut terminal, &mut app, [Msg::Tick]).unwrap();
    let evening = shown(&terminal);
    assert!(evening.contains("2026-11-23 Mon"), "{evening}");
    assert!(evening.contains("*23"), "today is marked: {evening}");
    assert!(evening.contains("○2"), "two visits planned today: {evening}");

    clock.advance(TimeDelta::minutes(2));
    run_loop(&mut terminal, &mut app, [Msg::Tick]).unwrap();
    let morning = shown(&terminal);
    assert!(morning.contains("2026-11-24 Tue"), "the cursor was on today and stays on today: {morning}");
    assert!(morning.contains("*24") && !morning.contains("*23"), "the mark moved: {morning}");
    assert!(!morning.contains("○2"), "{morning}");
    assert!(morning.contains("!2"), "yesterday's two plans are overdue: {morning}");
}

/// Plans a visit at `hour:minute` `days` after the demo's day for the first
/// customer of jingli01 (the telecom billing centre).
fn plan_at(path: &std::path::Path, days: u64, hour: u32, minute: u32, purpose: &str) {
    use kam::db::visits::{self, NewVisit};
    use kam::db::{Actor, Store, reference};
    use kam::domain::visit::{ParticipantRole, VisitKind};
    let mut store = Store::open(path).unwrap();
    let me = reference::staff_by_login(store.conn(), "jingli01").unwrap().unwrap();
    let q = kam::db::customers::CustomerQuery { search: "dxzw".into(), ..Default::default() };
    let id = kam::db::customers::page(store.conn(), &q, 0, 1).unwrap()[0].id.clone();
    let day = now().date() + chrono::Days::new(days);
    let v = NewVisit {
        customer_id: id,
        kind: VisitKind::Phone,
        planned_at: day.and_hms_opt(hour, minute, 0).unwrap(),
        duration_min: 15,
        owner_id: me.id,
        purpose: purpose.into(),
        staff: vec![(me.id, ParticipantRole::AccountManager)],
        persons: vec![],
        follows_id: None,
    };
    let actor = Actor { staff: me, at: now() - chrono::Duration::days(3) };
    visits::plan(&mut store, &actor, &v).unwrap();
}

/// The text of the week grid's row labelled `label` (e.g. "07:00").
fn hour_row<'a>(screen: &'a str, label: &str) -> Option<&'a str> {
    screen.lines().find(|l| l.starts_with(label))
}

#[test]
fn the_week_shows_real_hours_only_and_each_visit_in_its_own_hours_row() {
    let (_dir, path) = demo_db(120);
    // Tuesday 24th: an early call, two at ten, an evening call.
    plan_at(&path, 1, 7, 0, "早班电话");
    plan_at(&path, 1, 10, 0, "十点一");
    plan_at(&path, 1, 10, 30, "十点二");
    plan_at(&path, 1, 19, 15, "晚间电话");
    for (w, h) in [(80, 24), (160, 50), (120, 40)] {
        let mut app = today_on(&path, Lang::Zh, "jingli01");
        press(&mut app, &[KeyCode::Char('3'), KeyCode::Char('v')]);
        let week = screen(&mut app, w, h);
        for hour in 0..=23 {
            let label = format!("{hour:02}:00");
            let rows = week.lines().filter(|l| l.starts_with(&label)).count();
            assert!(rows <= 1, "{label} labels one row at most ({w}×{h}):\n{week}");
        }
        for bad in 24..=60 {
            assert!(!week.contains(&format!("{bad}:00")), "{bad}:00 is no hour ({w}×{h}):\n{week}");
        }
        // The Tuesday column starts after the gutter and one column of Monday.
        let early = hour_row(&week, "07:00").unwrap_or_else(|| panic!("no 07:00 row ({w}×{h}):\n{week}"));
        assert!(early.contains("电信帐"), "the 07:00 call is in the 07:00 row ({w}×{h}):\n{week}");
        let eight = hour_row(&week, "08:00").unwrap();
        assert!(!eight.contains("电信帐"), "not in the 08:00 row ({w}×{h}):\n{week}");
        let evening = hour_row(&week, "19:00").unwrap_or_else(|| panic!("no 19:00 row ({w}×{h}):\n{week}"));
        assert!(evening.contains("电信帐"), "the 19:15 call is in the 19:00 row ({w}×{h}):\n{week}");
        let ten = hour_row(&week, "10:00").unwrap();
        assert!(ten.contains("○电信"), "({w}×{h}):\n{week}");
        let eleven = hour_row(&week, "11:00").unwrap();
        assert!(!eleven.contains("电信"), "the second ten o'clock visit stays in its hour ({w}×{h}):\n{week}");
        // Nothing spills below the last hour row.
        let last_label = week.lines().filter(|l| l.len() > 5 && l.as_bytes()[2] == b':').count();
        assert!(last_label >= 13, "07:00–19:00 at least ({w}×{h}):\n{week}");
    }
    // At 160×50 there is room for both ten o'clock visits, one under the other.
    let mut app = today_on(&path, Lang::Zh, "jingli01");
    press(&mut app, &[KeyCode::Char('3'), KeyCode::Char('v')]);
    let week = screen(&mut app, 160, 50);
    let lines: Vec<&str> = week.lines().collect();
    let ten = lines.iter().position(|l| l.starts_with("10:00")).unwrap();
    assert!(lines[ten].contains("电信帐") && lines[ten + 1].contains("电信帐"), "{week}");
    assert!(!lines[ten + 1].starts_with("1"), "the second row of an hour has no label: {week}");
}

#[test]
fn a_crowded_hour_says_how_many_more_it_holds_at_80x24() {
    let (_dir, path) = demo_db(120);
    for m in [0, 10, 20] {
        plan_at(&path, 1, 9, m, "九点");
    }
    let mut app = today_on(&path, Lang::En, "jingli01");
    press(&mut app, &[KeyCode::Char('3'), KeyCode::Char('v')]);
    let week = screen(&mut app, 80, 24);
    let nine = hour_row(&week, "09:00").unwrap();
    assert!(nine.contains("+2"), "one shown, two more: {week}");
    assert!(!hour_row(&week, "10:00").unwrap().contains("电信"), "{week}");
}

#[test]
fn the_calendar_legend_names_every_marker_it_draws() {
    let (_dir, path) = demo_db(40);
    for (lang, cancelled) in [(Lang::Zh, "×已取消"), (Lang::En, "×cancelled")] {
        let mut app = today_on(&path, lang, "jingli01");
        app.handle(&key(KeyCode::Char('3')));
        for (w, h) in [(80, 24), (160, 50)] {
            let shown = screen(&mut app, w, h);
            assert!(shown.contains(cancelled), "{w}×{h}:\n{shown}");
            for marker in ["○", "●", "!"] {
                assert!(shown.lines().take(2).any(|l| l.contains(marker)), "{marker} in the legend:\n{shown}");
            }
        }
    }
}

#[test]
fn a_bad_date_in_the_go_to_prompt_closes_it_with_the_error_shown() {
    let (_dir, path) = demo_db(40);
    let mut app = today_on(&path, Lang::En, "jingli01");
    app.handle(&key(KeyCode::Char('3')));
    app.handle(&key(KeyCode::Char('g')));
    type_text(&mut app, "2027-02-29");
    app.handle(&key(KeyCode::Enter));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Not a real date"), "the error shows: {shown}");
    assert!(shown.contains("2027-02-29"), "with what was typed: {shown}");
    assert!(!shown.contains("Go to date:"), "the prompt is closed: {shown}");
    // The next g opens a fresh prompt rather than typing a g into the old one.
    app.handle(&key(KeyCode::Char('g')));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Go to date:"), "{shown}");
    assert!(!shown.contains("2027-02-29g"), "{shown}");
    type_text(&mut app, "2027-03-01");
    app.handle(&key(KeyCode::Enter));
    assert!(screen(&mut app, 80, 24).contains("2027-03-01 Mon"));
}
