//! Issue 18, marketing plans (SPEC §13.2–13.3) through the real App: the
//! dossier's plans tab in both languages at 80×24 and 160×50, a plan written
//! as a draft, a failed save that keeps the form, handed in with `p`, sent
//! back and reviewed by the unit's supervisor (who reaches it from Today),
//! and the unit's yearly service plan with the supervisor's text.

use crate::support;

use crossterm::event::KeyCode;
use kam::app::App;
use kam::i18n::Lang;
use support::*;

const SUPERVISOR: &str = "zhuguan2";
const MANAGER: &str = "jingli01";

/// The dossier of 电信帐务中心 (the demo's diamond anchor customer), on its plans tab.
fn plans_of_the_anchor(app: &mut App) {
    app.handle(&key(KeyCode::Char('2')));
    app.handle(&key(KeyCode::Char('/')));
    type_text(app, "dxzw");
    app.handle(&key(KeyCode::Enter));
    app.handle(&key(KeyCode::Enter));
    // Before the branches and the history (the last two tabs).
    press(app, &[KeyCode::BackTab, KeyCode::BackTab, KeyCode::BackTab]);
}

#[test]
fn a_plan_from_draft_to_review_through_the_dossier() {
    let (_dir, path) = demo_db(30);
    let mut app = today_on(&path, Lang::Zh, MANAGER);
    plans_of_the_anchor(&mut app);
    let tab = screen(&mut app, 80, 24);
    assert!(tab.contains("本期 2026年11月:待交") && tab.contains("还没有营销计划"), "{tab}");

    // A save without goals keeps the form and says why.
    app.handle(&key(KeyCode::Char('n')));
    let form = screen(&mut app, 80, 24);
    assert!(form.contains("新建营销计划 · 电信帐务中心") && form.contains("2026年11月"), "{form}");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "每月上门两次,跟进套餐报价");
    app.handle(&key(KeyCode::Tab));
    type_text(&mut app, "十二万");
    app.handle(&ctrl('s'));
    let refused = screen(&mut app, 80, 24);
    assert!(refused.contains("新建营销计划") && refused.contains("十二万"), "the form stays as typed: {refused}");
    // Goals given, the amount corrected: saved as a draft.
    press(&mut app, &[KeyCode::BackTab, KeyCode::BackTab]);
    type_text(&mut app, "账单寄递量保持全省第一");
    app.handle(&key(KeyCode::Tab));
    app.handle(&key(KeyCode::Tab));
    for _ in 0..3 {
        app.handle(&key(KeyCode::Backspace));
    }
    type_text(&mut app, "120000");
    app.handle(&ctrl('s'));
    let saved = screen(&mut app, 80, 24);
    assert!(saved.contains("已保存营销计划草稿:2026年11月"), "{saved}");
    assert!(saved.contains("草稿") && saved.contains("账单寄递量保持全省第一"), "{saved}");
    // `p` hands it in; it can no longer be edited.
    app.handle(&key(KeyCode::Char('p')));
    let handed = screen(&mut app, 80, 24);
    assert!(handed.contains("已提交营销计划:2026年11月") && handed.contains("本期 2026年11月:已提交"), "{handed}");
    app.handle(&key(KeyCode::Char('e')));
    assert!(screen(&mut app, 100, 30).contains("计划已提交,不能再改"));
    // The manager may not review it.
    app.handle(&key(KeyCode::Char('a')));
    let refused = screen(&mut app, 160, 30);
    assert!(!refused.contains("审阅营销计划 ·"), "{refused}");

    // The supervisor finds it on Today and sends it back with a reason.
    let mut app = today_on(&path, Lang::Zh, SUPERVISOR);
    let today = screen(&mut app, 100, 40);
    assert!(today.contains("待审阅的营销计划 (1)") && today.contains("[郭芳] 电信帐务中心"), "{today}");
    plans_of_the_anchor(&mut app);
    app.handle(&key(KeyCode::Char('b')));
    app.handle(&ctrl('s'));
    let no_reason = screen(&mut app, 80, 24);
    assert!(no_reason.contains("退回营销计划 · 2026年11月") && no_reason.contains("退回计划须写明原因"), "{no_reason}");
    type_text(&mut app, "措施请写明报价时间");
    app.handle(&key(KeyCode::Enter));
    let back = screen(&mut app, 80, 24);
    assert!(back.contains("已退回营销计划:2026年11月") && back.contains("已退回"), "{back}");
    assert!(back.contains("陈颖 退回") && back.contains("措施请写明报价时间"), "{back}");

    // The author rewrites and hands it in again; the supervisor reviews it with a comment.
    let mut app = today_on(&path, Lang::Zh, MANAGER);
    plans_of_the_anchor(&mut app);
    app.handle(&key(KeyCode::Char('e')));
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, ",12月5日前报价");
    app.handle(&ctrl('s'));
    app.handle(&key(KeyCode::Char('p')));
    assert!(screen(&mut app, 80, 24).contains("已提交营销计划"));
    let mut app = today_on(&path, Lang::Zh, SUPERVISOR);
    plans_of_the_anchor(&mut app);
    app.handle(&key(KeyCode::Char('a')));
    type_text(&mut app, "同意,按计划执行");
    app.handle(&key(KeyCode::Enter));
    let reviewed = screen(&mut app, 160, 50);
    assert!(reviewed.contains("已审阅营销计划:2026年11月"), "{reviewed}");
    assert!(reviewed.contains("陈颖 审阅") && reviewed.contains("同意,按计划执行"), "{reviewed}");
    assert!(reviewed.contains("12月5日前报价"), "{reviewed}");
}

#[test]
fn the_plans_tab_in_english_at_both_sizes() {
    let (_dir, path) = demo_db(30);
    let mut app = today_on(&path, Lang::En, MANAGER);
    plans_of_the_anchor(&mut app);
    for (w, h) in [(80, 24), (160, 50)] {
        let tab = screen(&mut app, w, h);
        assert!(tab.contains("This period, 2026-11: due") && tab.contains("No marketing plans yet"), "{tab}");
        assert!(tab.contains("n new") && tab.contains("p hand in"), "{tab}");
    }
    app.handle(&key(KeyCode::Char('n')));
    press(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "Keep the billing volume");
    app.handle(&ctrl('s'));
    let saved = screen(&mut app, 80, 24);
    assert!(saved.contains("Saved the plan's draft: 2026-11") && saved.contains("draft"), "{saved}");
    for (w, h) in [(1, 1), (10, 3), (40, 8)] {
        let _ = screen(&mut app, w, h);
    }
}

/// Today's "plans to review" line opens the customer's plans tab.
#[test]
fn todays_plan_line_opens_the_plans_tab() {
    let (_dir, path) = demo_db(30);
    let mut app = today_on(&path, Lang::Zh, MANAGER);
    plans_of_the_anchor(&mut app);
    app.handle(&key(KeyCode::Char('n')));
    press(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "账单寄递量保持全省第一");
    app.handle(&ctrl('s'));
    app.handle(&key(KeyCode::Char('p')));
    let mut app = today_on(&path, Lang::Zh, SUPERVISOR);
    let mut opened = None;
    for _ in 0..40 {
        app.handle(&key(KeyCode::Enter));
        let shown = screen(&mut app, 100, 40);
        if shown.contains("本期 2026年11月:已提交") {
            opened = Some(shown);
            break;
        }
        if !shown.contains("今日 › 2026-11-23") {
            app.handle(&key(KeyCode::Esc));
        }
        app.handle(&key(KeyCode::Down));
    }
    let opened = opened.expect("a line of Today opens the plans tab");
    assert!(opened.contains("电信帐务中心") && opened.contains("账单寄递量保持全省第一"), "{opened}");
}

/// The unit's yearly service plan from the plans tab: the top ten by last
/// year's revenue with their standard, and the supervisor's text.
#[test]
fn the_units_service_plan_from_the_plans_tab() {
    let (_dir, path) = demo_db(30);
    let mut app = today_on(&path, Lang::Zh, SUPERVISOR);
    plans_of_the_anchor(&mut app);
    app.handle(&key(KeyCode::Char('s')));
    for (w, h) in [(80, 24), (160, 50)] {
        let view = screen(&mut app, w, h);
        assert!(
            view.contains("天河区邮政局大客户中心 · 2026年服务计划") && view.contains("按 2025 年收入排名前十"),
            "{view}"
        );
        // Three customers with revenue, none other over a million: all three at the platinum standard.
        assert!(view.contains("1    电信帐务中心           2,859,046.58 钻石     白金标准\n"), "{view}");
        assert!(view.contains("2    信达文化传播番禺…        123,185.45 一般     白金标准(提升)"), "{view}");
        assert!(view.contains("主管的服务计划") && view.contains("尚未填写"), "{view}");
    }
    app.handle(&key(KeyCode::Char('e')));
    type_text(&mut app, "前三名按白金标准服务,四至十名按黄金标准");
    app.handle(&key(KeyCode::Enter));
    let written = screen(&mut app, 80, 24);
    assert!(written.contains("已保存 2026 年服务计划") && written.contains("陈颖 写于 2026-11-23"), "{written}");
    assert!(written.contains("前三名按白金标准服务,四至十名按黄金标准"), "{written}");
    // Esc goes back to the plans.
    app.handle(&key(KeyCode::Esc));
    assert!(screen(&mut app, 80, 24).contains("本期 2026年11月"));

    // An account manager reads it, in English, and may not write it.
    let mut app = today_on(&path, Lang::En, MANAGER);
    plans_of_the_anchor(&mut app);
    app.handle(&key(KeyCode::Char('s')));
    let view = screen(&mut app, 80, 24);
    assert!(view.contains("service plan 2026") && view.contains("platinum (raised)"), "{view}");
    assert!(view.contains("Written by 陈颖 on 2026-11-23"), "{view}");
    app.handle(&key(KeyCode::Char('e')));
    let refused = screen(&mut app, 80, 24);
    assert!(refused.contains("Not allowed") && !refused.contains("Service plan"), "{refused}");
    for (w, h) in [(1, 1), (12, 4), (40, 10)] {
        let _ = screen(&mut app, w, h);
    }
}
