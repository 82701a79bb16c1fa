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
