//! Today and the calendar as the day goes on: midnight while the app is open,
//! Today's sections at 80×24, the week's hour grid and the go-to prompt.

use crate::support;

use chrono::TimeDelta;
use crossterm::event::KeyCode;
use kam::app::run_loop;
use kam::ctx::{Clock, ManualClock};
use kam::db::sql::{Sql, args};
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
    // Tall enough for every overdue visit (Today's many sections share 24 rows).
    let mut terminal = Terminal::new(TestBackend::new(80, 40)).unwrap();
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

/// Ten key persons of jingli01's first customer with birthdays this week.
fn ten_birthdays(path: &std::path::Path) {
    use kam::db::records::{self, RecordKind};
    use kam::db::{Actor, Store, reference};
    use kam::domain::dossier::FieldValue;
    let mut store = Store::open(path).unwrap();
    let me = reference::staff_by_login(store.conn(), "jingli01").unwrap().unwrap();
    let q = kam::db::customers::CustomerQuery { search: "dxzw".into(), ..Default::default() };
    let id = kam::db::customers::page(store.conn(), &q, 0, 1).unwrap().remove(0).id;
    let actor = Actor { staff: me, at: now() };
    for (i, name) in ["王一", "王二", "王三", "王四", "王五", "王六", "王七", "王八", "王九", "王十"].iter().enumerate()
    {
        let birthday = (now().date() + chrono::Days::new(1 + i as u64 % 6)) - chrono::Months::new(12 * 40);
        let person = std::collections::BTreeMap::from([
            ("name", FieldValue::Text(name.to_string())),
            ("title", FieldValue::Text("经理".into())),
            ("decision_role", FieldValue::Text("handler".into())),
            ("birthday", FieldValue::Date(birthday)),
        ]);
        records::insert(&mut store, &actor, RecordKind::KeyPerson, &id, &person).unwrap();
    }
}

const HEADINGS_ZH: [&str; 6] = [
    "今日拜访 (",
    "逾期未完成的拜访 (",
    "本月未达拜访标准 (",
    "未来7天的生日、纪念日和节日 (",
    "未办结的投诉 (",
    "档案过期 (",
];
const HEADINGS_EN: [&str; 6] = [
    "Today's visits (",
    "Overdue visits (",
    "Behind the visit standard this month (",
    "Birthdays, dates and holidays in the next 7 days (",
    "Open complaints (",
    "Stale dossiers (",
];

#[test]
fn today_at_80x24_shows_every_section_and_folds_the_long_ones() {
    let (_dir, path) = demo_db(120);
    ten_birthdays(&path);
    for (lang, headings, more) in [(Lang::Zh, HEADINGS_ZH, "… 还有 "), (Lang::En, HEADINGS_EN, " more (Enter to show)")]
    {
        let mut app = today_on(&path, lang, "jingli01");
        let shown = screen(&mut app, 80, 24);
        for h in headings {
            assert!(shown.contains(h), "{h} on the first screen:\n{shown}");
        }
        assert!(shown.contains(more), "the birthdays are folded:\n{shown}");
        // Taller, nothing needs folding.
        let tall = screen(&mut app, 100, 50);
        assert!(!tall.contains(more), "{tall}");
        assert!(tall.contains("王十"), "{tall}");
    }
}

#[test]
fn enter_on_more_unfolds_a_section_and_home_and_end_jump() {
    let (_dir, path) = demo_db(120);
    ten_birthdays(&path);
    let mut app = today_on(&path, Lang::En, "jingli01");
    let first = screen(&mut app, 80, 24);
    let occasions = first.lines().position(|l| l.starts_with("Birthdays, dates")).unwrap();
    let folded = first.lines().skip(occasions + 1).take_while(|l| l.starts_with("  ")).count();
    // End: the last line; Home: back to the first visit.
    app.handle(&key(KeyCode::End));
    let at_end = render(&mut app, 80, 24);
    let selected_row = |buf: &ratatui::buffer::Buffer| {
        let style = kam::theme::Theme::load("dark", None, false).unwrap().get(kam::theme::Slot::Selection);
        let y = (0..buf.area.height).find(|y| buf[(4, *y)].bg == style.bg.unwrap_or_default())?;
        text(buf).lines().nth(y as usize).map(str::to_string)
    };
    let last = selected_row(&at_end).expect("a line is selected");
    let end_text = text(&at_end);
    let stale = end_text
        .lines()
        .take(23)
        .skip_while(|l| !l.starts_with("Stale dossiers"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .last()
        .map(str::to_string);
    assert_eq!(Some(last.clone()), stale, "End selects the last line:\n{}", text(&at_end));
    app.handle(&key(KeyCode::Home));
    let at_home = render(&mut app, 80, 24);
    let top = selected_row(&at_home).unwrap();
    assert!(top.contains("09:30"), "Home selects today's first visit: {top}");

    // Down to the birthdays' "… more" line, then Enter.
    for _ in 0..30 {
        let buf = render(&mut app, 80, 24);
        if selected_row(&buf).is_some_and(|l| l.contains("more (Enter to show)")) {
            break;
        }
        app.handle(&key(KeyCode::Down));
    }
    app.handle(&key(KeyCode::Enter));
    let open = screen(&mut app, 80, 24);
    let unfolded = open.lines().skip_while(|l| !l.starts_with("Birthdays, dates")).skip(1);
    let unfolded: Vec<&str> = unfolded.take_while(|l| l.starts_with("  ")).collect();
    assert!(unfolded.len() > folded, "more lines after Enter ({folded} before):\n{open}");
    assert!(!open.contains("more (Enter to show)") || !unfolded.iter().any(|l| l.contains("more (Enter")), "{open}");
    // All ten are there to scroll through, and "show fewer" folds them again.
    let mut seen = String::new();
    for _ in 0..20 {
        app.handle(&key(KeyCode::Down));
        seen.push_str(&screen(&mut app, 80, 24));
    }
    assert!(seen.contains("王十") && seen.contains("show fewer"), "{seen}");
    for _ in 0..20 {
        if selected_row(&render(&mut app, 80, 24)).is_some_and(|l| l.contains("show fewer")) {
            break;
        }
        app.handle(&key(KeyCode::Up));
    }
    app.handle(&key(KeyCode::Enter));
    let again = screen(&mut app, 80, 24);
    assert!(again.contains("more (Enter to show)"), "folded again:\n{again}");
    for h in HEADINGS_EN {
        assert!(again.contains(h), "{h}:\n{again}");
    }
}

#[test]
fn a_supervisors_today_lists_the_registrations_waiting_for_them() {
    let (_dir, path) = demo_db(300);
    let store = kam::db::Store::open(&path).unwrap();
    let boss = kam::db::reference::staff_by_login(store.conn(), "zhuguan2").unwrap().unwrap();
    let (waiting, total) = kam::db::customers::pending_registrations(store.conn(), boss.unit_id, 50).unwrap();
    assert!(total > 0, "the demo has pending registrations in zhuguan2's unit tree");
    // Only those of the unit and the units below it.
    let units: Vec<i64> = store
        .conn()
        .rows("SELECT id FROM org_unit WHERE id = ?1 OR parent_id = ?1", args![boss.unit_id], |r| r.get(0))
        .unwrap();
    assert!(waiting.iter().all(|r| units.contains(&r.unit_id)), "{waiting:?}");
    let elsewhere: i64 = store
        .conn()
        .row(
            &format!(
                "SELECT count(*) FROM customer WHERE registration = 'pending' AND unit_id NOT IN ({})",
                units.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
            ),
            args![],
            |r| r.get(0),
        )
        .unwrap();
    assert!(elsewhere > 0, "some are pending elsewhere, and not listed");

    for (lang, heading) in [(Lang::Zh, "待审批的客户注册"), (Lang::En, "Registrations awaiting your decision")]
    {
        let mut app = today_on(&path, lang, "zhuguan2");
        let shown = screen(&mut app, 80, 24);
        assert!(shown.contains(&format!("{heading} ({total})")), "{shown}");
        assert!(shown.contains(&waiting[0].short_name), "{shown}");
        let mut manager = today_on(&path, lang, "jingli01");
        assert!(!screen(&mut manager, 80, 24).contains(heading), "account managers do not decide");
    }
    // Enter on the first one opens the customer, where the supervisor decides.
    let mut app = today_on(&path, Lang::Zh, "zhuguan2");
    let shown = screen(&mut app, 80, 24);
    let before =
        shown.lines().take_while(|l| !l.starts_with("待审批的客户注册")).filter(|l| l.starts_with("  ")).count();
    let skip = shown.lines().take_while(|l| !l.starts_with("待审批的客户注册")).filter(|l| l.contains("无")).count();
    for _ in 0..before - skip {
        app.handle(&key(KeyCode::Down));
    }
    app.handle(&key(KeyCode::Enter));
    let dossier = screen(&mut app, 100, 30);
    assert!(dossier.contains("客户档案") && dossier.contains(&waiting[0].short_name), "{dossier}");
}

/// The demo as a user opens it: every screen has something real to show, for
/// an account manager and a supervisor, in both languages.
#[test]
fn every_screen_of_the_full_demo_has_content() {
    let (_dir, path) = full_demo_db(300);
    for (lang, words) in [
        (
            Lang::Zh,
            ["主管新批阅 (", "未办结的投诉 (", "没有符合条件的营销日志", "没有符合条件的投诉", "本月应跟踪的投诉"],
        ),
        (
            Lang::En,
            [
                "New comments from your supervisor (",
                "Open complaints (",
                "No log entries match",
                "No complaints match",
                "Complaint follow-ups due",
            ],
        ),
    ] {
        let [comments, complaints, no_log, no_complaints, follow_ups] = words;
        let mut app = today_on(&path, lang, "jingli01");
        let today = screen(&mut app, 80, 24);
        assert!(today.contains(comments) && today.contains(complaints) && today.contains(follow_ups), "{today}");
        assert!(!today.contains(&format!("{complaints}0)")), "{today}");
        app.handle(&key(KeyCode::Char('6')));
        let log = screen(&mut app, 80, 24);
        assert!(!log.contains(no_log) && log.contains("电信帐务中心"), "{log}");
        app.handle(&key(KeyCode::Char('5')));
        let list = screen(&mut app, 80, 24);
        assert!(!list.contains(no_complaints) && list.contains("TS2026-"), "{list}");

        let mut boss = today_on(&path, lang, "zhuguan");
        let today = screen(&mut boss, 160, 50);
        assert!(today.contains(complaints) && !today.contains(&format!("{complaints}0)")), "{today}");
        boss.handle(&key(KeyCode::Char('7')));
        press(&mut boss, &[KeyCode::Tab, KeyCode::Tab]);
        let fluctuations = screen(&mut boss, 160, 50);
        let rows: Vec<&str> = fluctuations.lines().filter(|l| l.starts_with("! ") || l.starts_with("✓ ")).collect();
        assert!(rows.iter().any(|l| l.starts_with("! ")), "unexplained ones: {fluctuations}");
        assert!(rows.iter().any(|l| l.starts_with("✓ ")), "explained ones: {fluctuations}");
    }
}
