//! The marketing log through the real App: an entry written from a done visit
//! without retyping it, the timeline, a supervisor's comment, and the author
//! seeing it on Today.

use crate::support;

use crossterm::event::KeyCode;
use kam::i18n::Lang;
use support::*;

#[test]
fn log_from_a_visit_comment_and_see_it_on_today() {
    let (_dir, path) = demo_db(40);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "dxzw");
    app.handle(&key(KeyCode::Enter));
    for _ in 0..5 {
        app.handle(&key(KeyCode::Tab));
    }
    // Move to the first done visit (●) and write the log entry from it.
    for _ in 0..10 {
        let shown = screen(&mut app, 100, 30);
        let selected_done = shown.lines().any(|l| l.contains('●'));
        if !selected_done {
            break;
        }
        app.handle(&key(KeyCode::Char('l')));
        if screen(&mut app, 100, 30).contains("写营销日志") {
            break;
        }
        app.handle(&key(KeyCode::Down));
    }
    let form = screen(&mut app, 100, 30);
    assert!(form.contains("写营销日志 · 电信帐务中心"), "{form}");
    assert!(form.contains("44010600001000"), "the visit's customer is filled in: {form}");
    // Choose the stage: quotation.
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab, KeyCode::Right, KeyCode::Right]);
    app.handle(&ctrl('s'));
    assert!(screen(&mut app, 100, 30).contains("已写入营销日志"));
    // The dossier's log tab shows the deal's progress through the four stages.
    app.handle(&key(KeyCode::Tab));
    let tab = screen(&mut app, 100, 30);
    assert!(tab.contains("洽谈进度") && tab.contains("●报价") && tab.contains("○初次接触"), "{tab}");

    app.handle(&key(KeyCode::Char('6')));
    let timeline = screen(&mut app, 100, 30);
    assert!(timeline.contains("电信帐务中心") && timeline.contains("报价"), "{timeline}");
    insta::assert_snapshot!("log_timeline_zh", timeline);

    // The supervisor comments.
    let mut boss = today_on(&path, Lang::Zh, "zhuguan2");
    boss.handle(&key(KeyCode::Char('6')));
    boss.handle(&key(KeyCode::Char('c')));
    type_text(&mut boss, "请尽快提交正式报价");
    boss.handle(&ctrl('s'));
    assert!(screen(&mut boss, 100, 30).contains("已批阅"));

    // The author sees it on Today; opening it marks it seen.
    let mut me = today_on(&path, Lang::Zh, "jingli01");
    let today = screen(&mut me, 100, 40);
    assert!(today.contains("主管新批阅 (1)") && today.contains("请尽快提交正式报价"), "{today}");
    // Walk down the review to the comment and open it: the entry is read in
    // full there, and leaving it marks the comment seen.
    let theme = kam::theme::Theme::load("dark", None, false).unwrap();
    let mut opened = false;
    for _ in 0..60 {
        let buf = render(&mut me, 100, 40);
        let selected_line = (1..40u16)
            .find(|y| buf[(4, *y)].bg == theme.get(kam::theme::Slot::Selection).bg.unwrap())
            .map(|y| (0..100u16).map(|x| buf[(x, y)].symbol().to_string()).collect::<String>());
        // A wide character's second cell reads as a space here.
        if selected_line.is_some_and(|l| l.replace(' ', "").contains("请尽快提交正式报价")) {
            me.handle(&key(KeyCode::Enter));
            opened = true;
            break;
        }
        me.handle(&key(KeyCode::Down));
    }
    assert!(opened, "the comment line can be selected and opened");
    let entry = screen(&mut me, 100, 40);
    assert!(entry.contains("主管批阅 (1)") && entry.contains("请尽快提交正式报价"), "{entry}");
    me.handle(&key(KeyCode::Esc));
    assert!(!screen(&mut me, 100, 40).contains("主管新批阅"), "seen comments leave Today");
}

#[test]
fn log_timeline_in_english_and_stage_filter() {
    let (_dir, path) = demo_db(20);
    let mut app = today_on(&path, Lang::En, "jingli01");
    app.handle(&key(KeyCode::Char('6')));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Marketing log") && shown.contains("No log entries match"), "{shown}");
    app.handle(&key(KeyCode::Char('t')));
    assert!(screen(&mut app, 80, 24).contains("initial contact"));
}

#[test]
fn the_standards_table_shows_the_monthly_log_quota() {
    let (_dir, path) = demo_db(40);
    let mut app = today_on(&path, Lang::Zh, "jingli01");
    app.handle(&key(KeyCode::Char('4')));
    let before = screen(&mut app, 160, 30);
    // A diamond customer needs two log entries a month (appraisal level 7).
    let telecom = |s: &str| s.lines().find(|l| l.contains("电信帐务中心")).map(str::to_string).unwrap_or_default();
    assert!(before.contains("营销日志") && telecom(&before).contains(" 0/2 "), "{before}");
    app.handle(&key(KeyCode::Char('6')));
    app.handle(&key(KeyCode::Char('n')));
    type_text(&mut app, "电信帐务中心");
    for _ in 0..4 {
        app.handle(&key(KeyCode::Tab));
    }
    type_text(&mut app, "电话沟通年度帐单寄递需求");
    app.handle(&ctrl('s'));
    app.handle(&key(KeyCode::Char('4')));
    assert!(telecom(&screen(&mut app, 160, 30)).contains(" 1/2 "));
}

#[test]
fn a_supervisor_sees_the_standards_per_account_manager() {
    let (_dir, path) = demo_db(60);
    let mut app = today_on(&path, Lang::En, "zhuguan2");
    app.handle(&key(KeyCode::Char('4')));
    let shown = screen(&mut app, 120, 40);
    // One summary row per account manager of the unit, under its header, with the log quota.
    let header =
        shown.lines().position(|l| l.starts_with("Manager") && l.contains("Behind") && l.contains("Marketing log"));
    let header = header.unwrap_or_else(|| panic!("{shown}"));
    let first = shown.lines().nth(header + 1).unwrap_or_default();
    assert!(first.split_whitespace().last().is_some_and(|q| q.contains('/')), "{shown}");
}
