//! Service requests through the real App (issue 18, SPEC §9): screen 8 in both
//! languages at 80×24 and 160×50, a request from receipt to done, the special
//! case's phone call first, the proactive-call list, the dossier's tab and
//! Today's section; and `kam requests` through the binary, its JSON checked
//! against the rule.

use crate::support;

use std::process::Command;

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::KeyCode;
use kam::i18n::Lang;
use support::*;

/// The supervisor of 天河 (unit 2), its first account manager, who owns
/// 电信帐务中心, and a colleague of theirs, in the seed-7 demo.
const SUPERVISOR: &str = "zhuguan2";
const MANAGER: &str = "jingli01";
const COLLEAGUE: &str = "jingli03";

#[test]
fn a_request_from_receipt_to_done_through_the_screens() {
    let (_dir, path) = demo_db(30);
    // The service centre's call, passed to a colleague of the account manager.
    let mut app = today_on(&path, Lang::Zh, COLLEAGUE);
    app.handle(&key(KeyCode::Char('8')));
    assert!(screen(&mut app, 80, 24).contains("没有符合条件的服务请求"));
    app.handle(&key(KeyCode::Char('n')));
    type_text(&mut app, "电信帐务中心");
    app.handle(&key(KeyCode::Enter));
    let form = screen(&mut app, 80, 24);
    assert!(form.contains("受理服务请求") && form.contains("按地址:市内"), "the area from the address: {form}");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "陈先生");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "下午四点前上门揽收帐单");
    app.handle(&ctrl('s'));
    let list = screen(&mut app, 80, 24);
    assert!(list.contains("已受理服务请求 FW2026-000001"), "{list}");
    assert!(list.contains("FW2026-000001") && list.contains("已受理") && list.contains("剩余 15小时0分"), "{list}");
    // The receiver tells the account manager.
    app.handle(&key(KeyCode::Enter));
    app.handle(&key(KeyCode::Char('t')));
    type_text(&mut app, "已电话转告郭芳");
    app.handle(&ctrl('s'));
    let detail = screen(&mut app, 120, 30);
    assert!(detail.contains("已通知客户经理") && detail.contains("已电话转告郭芳"), "{detail}");
    // Starting it is the account manager's (or their supervisors'): the
    // receiver is told whose, and no form opens.
    app.handle(&key(KeyCode::Char('s')));
    let refused = screen(&mut app, 160, 30);
    assert!(refused.contains("只有该客户的客户经理或天河区邮政局大客户中心及其上级单位的主管"), "{refused}");
    assert!(!refused.contains("开始处理 · FW"), "{refused}");

    // The account manager finds it on Today and works it from there.
    let mut app = today_on(&path, Lang::Zh, MANAGER);
    let today = screen(&mut app, 100, 40);
    assert!(today.contains("今日到期及超时的服务请求 (1)"), "{today}");
    assert!(today.contains("FW2026-000001 电信帐务中心 揽收 · 已通知客户经理"), "{today}");
    select_line(&mut app, "FW2026-000001");
    app.handle(&key(KeyCode::Enter));
    let opened = screen(&mut app, 80, 24);
    assert!(opened.contains("FW2026-000001 · 电信帐务中心 · 揽收 · 已通知客户经理"), "{opened}");
    app.handle(&key(KeyCode::Char('s')));
    app.handle(&ctrl('s'));
    app.handle(&key(KeyCode::Char('d')));
    app.handle(&ctrl('s'));
    assert!(screen(&mut app, 80, 24).contains("必填"), "the result is required");
    type_text(&mut app, "已上门揽收帐单 1,200 件");
    app.handle(&ctrl('s'));
    let done = screen(&mut app, 80, 24);
    assert!(done.contains("服务请求 FW2026-000001:已办结"), "{done}");
    assert!(done.contains("按时办结") && done.contains("处理结果:已上门揽收帐单 1,200 件"), "{done}");
    for step in ["受理", "通知客户经理", "开始处理", "办结"] {
        assert!(done.contains(step), "{step} on the timeline: {done}");
    }
    // Back on Today: nothing due any more.
    app.handle(&key(KeyCode::Esc));
    let today = screen(&mut app, 100, 40);
    assert!(today.contains("今日到期及超时的服务请求 (0)"), "{today}");
}

/// The full demo's requests (the first manager has one of each kind of
/// outcome), on screen 8 in both languages and at both sizes.
#[test]
fn the_list_and_a_request_read_in_both_languages_at_both_sizes() {
    let (_dir, path) = full_demo_db(60);
    for (lang, open, overdue, special, timeline) in [
        (Lang::Zh, "未办结", "超时", "特殊情况:", "处理过程"),
        (Lang::En, "open", "overdue", "Special case:", "Timeline"),
    ] {
        let mut app = today_on(&path, lang, MANAGER);
        app.handle(&key(KeyCode::Char('8')));
        for (w, h) in [(80, 24), (160, 50)] {
            let list = screen(&mut app, w, h);
            assert!(list.contains(open) && list.contains("FW2026-"), "{w}×{h}: {list}");
            let first = list.lines().nth(3).unwrap_or_default();
            assert!(first.starts_with("! FW2026-") && first.contains(overdue), "overdue first: {list}");
            assert!(list.lines().any(|l| l.starts_with("* FW2026-")), "special cases marked: {list}");
        }
        // Wide: the requester, the time of receipt and what is asked show too.
        let wide = screen(&mut app, 160, 50);
        assert!(wide.contains("2026-11-22 16:30") && wide.contains("揽收"), "{wide}");
        // The special case: its reason and timeline.
        select_line(&mut app, "* FW");
        app.handle(&key(KeyCode::Enter));
        for (w, h) in [(80, 24), (160, 50)] {
            let detail = screen(&mut app, w, h);
            assert!(detail.contains(special) && detail.contains(timeline), "{w}×{h}: {detail}");
        }
        // Never a panic, however small the terminal.
        for (w, h) in [(40, 10), (20, 5), (1, 1)] {
            render(&mut app, w, h);
        }
        app.handle(&key(KeyCode::Esc));
        for (w, h) in [(40, 10), (20, 5)] {
            render(&mut app, w, h);
        }
    }
}

#[test]
fn a_special_case_is_phoned_before_it_starts() {
    let (_dir, path) = demo_db(30);
    let mut app = today_on(&path, Lang::Zh, MANAGER);
    app.handle(&key(KeyCode::Char('8')));
    app.handle(&key(KeyCode::Char('n')));
    type_text(&mut app, "电信帐务中心");
    app.handle(&key(KeyCode::Enter));
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "林主任");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Right]);
    press(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "到仓库现场核对批量包裹");
    // The special case: yes, without a reason, is refused at the field.
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab, KeyCode::Right]);
    app.handle(&ctrl('s'));
    let asked = screen(&mut app, 80, 24);
    assert!(asked.contains("受理服务请求") && asked.contains("必填"), "{asked}");
    // The focus is on the field to correct.
    type_text(&mut app, "须先电话约定上门时间");
    app.handle(&ctrl('s'));
    let list = screen(&mut app, 80, 24);
    assert!(list.contains("已受理服务请求 FW2026-000001"), "{list}");
    assert!(list.contains("* FW2026-000001") && list.contains("剩余 3天15小时"), "three days: {list}");
    // Start before the call: refused before any form opens, with the reason.
    app.handle(&key(KeyCode::Char('s')));
    let refused = screen(&mut app, 160, 30);
    assert!(refused.contains("特殊情况须先电话联系客户"), "{refused}");
    app.handle(&key(KeyCode::Char('c')));
    type_text(&mut app, "已与林主任约定周三上午");
    app.handle(&ctrl('s'));
    app.handle(&key(KeyCode::Char('s')));
    app.handle(&ctrl('s'));
    app.handle(&key(KeyCode::Enter));
    let detail = screen(&mut app, 100, 30);
    assert!(detail.contains("处理中") && detail.contains("电话联系客户 · 已与林主任约定周三上午"), "{detail}");
}

#[test]
fn the_proactive_list_and_the_dossier_tab_in_both_languages() {
    // Big enough for the first manager to have customers who stopped asking.
    let (_dir, path) = full_demo_db(300);
    for (lang, title, heading, none) in [
        (Lang::Zh, "主动服务:14 天以上未揽收", "上次揽收", "服务请求"),
        (Lang::En, "Proactive service: no pickup for 14+ days", "Last pickup", "Service requests"),
    ] {
        let mut app = today_on(&path, lang, MANAGER);
        app.handle(&key(KeyCode::Char('8')));
        app.handle(&key(KeyCode::Char('p')));
        for (w, h) in [(80, 24), (160, 50)] {
            let quiet = screen(&mut app, w, h);
            assert!(quiet.contains(title) && quiet.contains(heading), "{w}×{h}: {quiet}");
            let rows = quiet.lines().skip(3).filter(|l| l.contains("2026-1") && !l.contains(" · ")).count();
            assert_eq!(rows, 3, "the first manager's three quiet customers: {quiet}");
        }
        let quiet = screen(&mut app, 80, 24);
        let first = quiet.lines().nth(3).and_then(|l| l.split_whitespace().next()).unwrap().to_string();
        // Enter opens the customer; its Requests tab lists its requests.
        app.handle(&key(KeyCode::Enter));
        let mut found = false;
        for _ in 0..16 {
            app.handle(&key(KeyCode::Tab));
            let tab = screen(&mut app, 100, 30);
            if tab.contains("FW2026-") {
                assert!(tab.contains(none), "{tab}");
                found = true;
                break;
            }
        }
        assert!(found, "a tab with the customer's requests");
        // n there receives one for this customer.
        app.handle(&key(KeyCode::Char('n')));
        let form = screen(&mut app, 100, 30);
        assert!(form.lines().any(|l| l.contains("4401") && l.contains(&first)), "{first}: {form}");
    }
}

#[test]
fn today_lists_requests_due_today_and_overdue_in_both_languages() {
    let (_dir, path) = full_demo_db(60);
    for (lang, heading, overdue, left) in [
        (Lang::Zh, "今日到期及超时的服务请求 (2)", "超时 ", "剩余 "),
        (Lang::En, "Service requests due today or overdue (2)", " overdue · FW", " left · FW"),
    ] {
        let mut app = today_on(&path, lang, MANAGER);
        for (w, h) in [(80, 24), (160, 50)] {
            let today = screen(&mut app, w, h);
            assert!(today.contains(heading), "{w}×{h}: {today}");
        }
        let today = screen(&mut app, 160, 50);
        assert!(today.lines().any(|l| l.contains(overdue) && l.contains("FW2026-")), "{today}");
        assert!(today.lines().any(|l| l.contains(left) && l.contains("FW2026-")), "{today}");
        // A supervisor sees the unit's, each with its account manager.
        let mut sup = today_on(&path, lang, SUPERVISOR);
        let unit = screen(&mut sup, 160, 50);
        assert!(unit.lines().any(|l| l.contains("FW2026-") && l.contains("[郭芳]")), "{unit}");
    }
}

/// Moves the selection (Down, at 100×40) onto the first line holding `what`.
fn select_line(app: &mut kam::app::App, what: &str) {
    let theme = kam::theme::Theme::load("dark", None, false).unwrap();
    let selection = theme.get(kam::theme::Slot::Selection).bg.unwrap();
    for _ in 0..60 {
        let buf = render(app, 100, 40);
        let shown = text(&buf);
        let row = shown.lines().position(|l| l.contains(what)).and_then(|y| u16::try_from(y).ok());
        if row.is_some_and(|y| (0..100).any(|x| buf[(x, y)].bg == selection)) {
            return;
        }
        app.handle(&key(KeyCode::Down));
    }
    panic!("no line with {what} could be selected:\n{}", screen(app, 100, 40));
}

fn kam(db: &std::path::Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kam")).arg("--db").arg(db).args(args).output().expect("run kam");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}

fn stamp(v: &serde_json::Value) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(v.as_str().unwrap(), "%Y-%m-%d %H:%M:%S").unwrap()
}

/// `kam requests --json`: each request carries what the rule needs, and its
/// standing is the rule's (SPEC §9, calendar days).
#[test]
fn kam_requests_prints_them_for_a_morning_mail_and_the_json_follows_the_rule() {
    let (_dir, path) = full_demo_db(60);
    let (ok, out, err) = kam(&path, &["--user", MANAGER, "requests"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("大客户管理 · 服务请求") && out.contains("FW2026-"), "{out}");
    let (ok, overdue, err) = kam(&path, &["--user", SUPERVISOR, "--lang", "en", "requests", "--overdue"]);
    assert!(ok, "{err}");
    assert!(overdue.contains("Overdue service requests") && overdue.contains(" overdue"), "{overdue}");

    let (ok, json, err) = kam(&path, &["--user", SUPERVISOR, "requests", "--json"]);
    assert!(ok, "{err}");
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["schema"], "kam-requests/1");
    let now = stamp(&doc["now"]);
    let requests = doc["requests"].as_array().unwrap();
    assert!(requests.len() >= 4, "{json}");
    let mut seen = std::collections::BTreeSet::new();
    for r in requests {
        let received = stamp(&r["received_at"]);
        let due = stamp(&r["due_at"]);
        let days = match (r["special"].as_bool().unwrap(), r["area"].as_str().unwrap()) {
            (true, _) => 3,
            (false, "city") => 0,
            (false, "rural") => 2,
            other => panic!("{other:?}"),
        };
        let due_day: NaiveDate = received.date() + chrono::Days::new(days);
        assert_eq!(due, due_day.and_hms_opt(23, 59, 59).unwrap(), "{r}");
        let expected = match r["status"].as_str().unwrap() {
            "done" if stamp(&r["done_at"]).date() <= due_day => "met",
            "done" => "late",
            "cancelled" => "cancelled",
            _ if now.date() > due_day => "overdue",
            _ => "pending",
        };
        assert_eq!(r["standing"], expected, "{r}");
        if r["special"].as_bool().unwrap() {
            assert!(r["special_reason"].as_str().is_some_and(|s| !s.is_empty()), "{r}");
        }
        seen.insert(expected);
    }
    assert!(seen.contains("overdue"), "the demo's requests, judged now, include overdue ones: {seen:?}");
}
