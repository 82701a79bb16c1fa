//! Today, the visit calendar and the visit forms, driven through the real App.

use crate::support;

use chrono::{Days, NaiveTime};
use crossterm::event::KeyCode;
use kam::db::visits::{self, NewVisit, VisitScope};
use kam::db::{Actor, Store, reference};
use kam::domain::visit::{ParticipantRole, VisitKind, VisitState};
use kam::i18n::Lang;
use support::*;

/// Plans a visit for the telecom billing centre (owned by jingli01) at a given day offset and hour.
fn plan_telecom(path: &std::path::Path, days_from_today: i64, hour: u32, purpose: &str) -> i64 {
    let mut store = Store::open(path).unwrap();
    let me = reference::staff_by_login(store.conn(), "jingli01").unwrap().unwrap();
    let q = kam::db::customers::CustomerQuery { search: "dxzw".into(), ..Default::default() };
    let id = kam::db::customers::page(store.conn(), &q, 0, 1).unwrap()[0].id.clone();
    let day = if days_from_today >= 0 {
        now().date() + Days::new(days_from_today.unsigned_abs())
    } else {
        now().date() - Days::new(days_from_today.unsigned_abs())
    };
    let actor = Actor { staff: me.clone(), at: now() - chrono::Duration::days(30) };
    let v = NewVisit {
        customer_id: id,
        kind: VisitKind::InPerson,
        planned_at: day.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap()),
        duration_min: 60,
        owner_id: me.id,
        purpose: purpose.into(),
        staff: vec![(me.id, ParticipantRole::AccountManager)],
        persons: vec![],
        follows_id: None,
    };
    visits::plan(&mut store, &actor, &v).unwrap()
}

#[test]
fn today_lists_todays_and_overdue_visits_in_both_languages() {
    let (_dir, path) = demo_db(40);
    plan_telecom(&path, 0, 10, "季度回访");
    plan_telecom(&path, -3, 9, "送报价单");
    let mut app = today_on(&path, Lang::Zh, "jingli01");
    let zh = screen(&mut app, 80, 24);
    assert!(zh.contains("今日拜访 ("), "{zh}");
    assert!(zh.contains("10:00 ○ 上门拜访 电信帐务中心 季度回访"), "{zh}");
    assert!(zh.contains("逾期未完成的拜访 ("), "{zh}");
    assert!(zh.contains("11-20 09:00 ! 上门拜访 电信帐务中心 送报价单"), "{zh}");
    insta::assert_snapshot!("today_zh", zh);
    let mut app = today_on(&path, Lang::En, "jingli01");
    let en = screen(&mut app, 80, 24);
    assert!(en.contains("Today's visits (") && en.contains("Overdue visits ("), "{en}");
    assert!(en.contains("In-person visit 电信帐务中心 季度回访"), "{en}");
    insta::assert_snapshot!("today_en", en);
}

#[test]
fn recording_a_visit_from_today_offers_the_next_step() {
    let (_dir, path) = demo_db(40);
    plan_telecom(&path, 0, 8, "季度回访");
    let mut app = today_on(&path, Lang::Zh, "jingli01");
    // The first selectable line is today's first visit: the one planned at 08:00.
    let id = {
        let store = Store::open(&path).unwrap();
        let start = now().date().and_time(NaiveTime::MIN);
        let me = reference::staff_by_login(store.conn(), "jingli01").unwrap().unwrap();
        visits::between(store.conn(), &VisitScope::Staff(me.id), start, start + Days::new(1)).unwrap()[0].id
    };
    app.handle(&key(KeyCode::Char('r')));
    let form = screen(&mut app, 100, 30);
    assert!(form.contains("记录拜访结果 · 电信帐务中心"), "{form}");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "业务量稳定");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "送新年贺卡");
    app.handle(&key(KeyCode::Tab));
    type_text(&mut app, "2026-12-28");
    app.handle(&ctrl('s'));
    let next = screen(&mut app, 100, 30);
    assert!(next.contains("安排拜访"), "the next step is offered: {next}");
    assert!(next.contains("2026-12-28") && next.contains("送新年贺卡"), "{next}");
    app.handle(&ctrl('s'));
    let store = Store::open(&path).unwrap();
    let done = visits::load(store.conn(), id).unwrap();
    assert_eq!(done.state, VisitState::Done);
    assert_eq!(done.business, "业务量稳定");
    let start = chrono::NaiveDate::from_ymd_opt(2026, 12, 28).unwrap().and_time(NaiveTime::MIN);
    let planned = visits::between(store.conn(), &VisitScope::All, start, start + Days::new(1)).unwrap();
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].follows_id, Some(id));
    assert_eq!(planned[0].purpose, "送新年贺卡");
}

#[test]
fn calendar_month_week_and_agenda_views() {
    let (_dir, path) = demo_db(40);
    plan_telecom(&path, 0, 10, "季度回访");
    plan_telecom(&path, 1, 14, "签合同");
    plan_telecom(&path, -2, 9, "补送资料");
    for lang in [Lang::Zh, Lang::En] {
        let tag = if lang == Lang::Zh { "zh" } else { "en" };
        let mut app = today_on(&path, lang, "jingli01");
        app.handle(&key(KeyCode::Char('3')));
        let month = screen(&mut app, 80, 24);
        assert!(month.contains("○1"), "{month}");
        assert!(month.contains("!1"), "the overdue day is marked: {month}");
        insta::assert_snapshot!(format!("calendar_month_{tag}"), month);
        app.handle(&key(KeyCode::Char('v')));
        let week = screen(&mut app, 80, 24);
        insta::assert_snapshot!(format!("calendar_week_{tag}"), week);
        app.handle(&key(KeyCode::Char('v')));
        let agenda = screen(&mut app, 80, 24);
        assert!(agenda.contains("签合同"), "{agenda}");
        insta::assert_snapshot!(format!("calendar_agenda_{tag}"), agenda);
    }
}

#[test]
fn calendar_moves_by_day_week_month_and_to_a_typed_date() {
    let (_dir, path) = demo_db(20);
    let mut app = today_on(&path, Lang::En, "jingli01");
    app.handle(&key(KeyCode::Char('3')));
    assert!(screen(&mut app, 80, 24).contains("2026-11-23 Mon"));
    app.handle(&key(KeyCode::Right));
    assert!(screen(&mut app, 80, 24).contains("2026-11-24 Tue"));
    app.handle(&key(KeyCode::Down));
    assert!(screen(&mut app, 80, 24).contains("2026-12-01 Tue"));
    app.handle(&key(KeyCode::PageDown));
    assert!(screen(&mut app, 80, 24).contains("2027-01-01 Fri"));
    app.handle(&key(KeyCode::Char('t')));
    assert!(screen(&mut app, 80, 24).contains("2026-11-23 Mon"));
    app.handle(&key(KeyCode::Char('g')));
    type_text(&mut app, "2028-02-29");
    app.handle(&key(KeyCode::Enter));
    assert!(screen(&mut app, 80, 24).contains("2028-02-29 Tue"));
    app.handle(&key(KeyCode::Char('g')));
    type_text(&mut app, "2027-02-29");
    app.handle(&key(KeyCode::Enter));
    assert!(screen(&mut app, 80, 24).contains("Not a real date"));
}

#[test]
fn planning_a_weekly_series_from_the_calendar() {
    let (_dir, path) = demo_db(40);
    let mut app = today_on(&path, Lang::Zh, "jingli01");
    app.handle(&key(KeyCode::Char('3')));
    app.handle(&key(KeyCode::Char('n')));
    type_text(&mut app, "电信帐务中心");
    for _ in 0..5 {
        app.handle(&key(KeyCode::Tab));
    }
    type_text(&mut app, "每周电话");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    // Repeat: weeks.
    press(&mut app, &[KeyCode::Right, KeyCode::Right]);
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "2026-12-31");
    app.handle(&ctrl('s'));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("已安排 6 次拜访"), "{shown}");
}
