//! The complaint screens through the real App: file, escalate, resolve,
//! confirm satisfaction and close, in both languages.

use crate::support;

use crossterm::event::KeyCode;
use kam::i18n::Lang;
use support::*;

#[test]
fn file_and_close_a_complaint_through_the_screens() {
    let (_dir, path) = demo_db(30);
    let mut app = today_on(&path, Lang::Zh, "zhuguan2");
    app.handle(&key(KeyCode::Char('5')));
    assert!(screen(&mut app, 80, 24).contains("没有符合条件的投诉"));
    app.handle(&key(KeyCode::Char('n')));
    type_text(&mut app, "电信帐务中心");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "陈先生");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "月结帐单延误三天");
    app.handle(&ctrl('s'));
    let list = screen(&mut app, 80, 24);
    assert!(list.contains("已登记投诉 TS2026-000001"), "{list}");
    assert!(list.contains("TS2026-000001") && list.contains("已受理"), "{list}");
    // Today lists the open complaint; a phone contact lands on the timeline.
    app.handle(&key(KeyCode::Char('1')));
    let today = screen(&mut app, 100, 40);
    assert!(today.contains("未办结的投诉 (1)") && today.contains("TS2026-000001 电信帐务中心 已受理"), "{today}");
    app.handle(&key(KeyCode::Char('5')));
    app.handle(&key(KeyCode::Char('c')));
    app.handle(&ctrl('s'));
    assert!(screen(&mut app, 100, 30).contains("必填"), "a phone contact needs a note");
    type_text(&mut app, "已电话致歉并说明原因");
    app.handle(&ctrl('s'));
    // Assign → start → escalate → resolve → confirm → close, choosing each step by its label.
    let steps = [
        ("转交客户经理", "已转客户经理"),
        ("开始处理", "处理中"),
        ("上报主管", "已上报主管"),
        ("处理完毕", "已解决"),
        ("确认:满意", "已确认满意度"),
        ("关闭", "已关闭"),
    ];
    for (step, expected) in steps {
        if step == "关闭" {
            // A confirmed complaint has left the open list: show all of them.
            app.handle(&key(KeyCode::Char('f')));
            app.handle(&key(KeyCode::Char('f')));
        }
        app.handle(&key(KeyCode::Char('s')));
        for _ in 0..10 {
            if screen(&mut app, 100, 30).contains(&format!("◀ {step} ▶")) {
                break;
            }
            app.handle(&key(KeyCode::Right));
        }
        if step == "处理完毕" {
            // A diamond customer's complaint names its cross-department team.
            for _ in 0..4 {
                app.handle(&key(KeyCode::Tab));
            }
            type_text(&mut app, "市场部、业务部、技术部、客服中心");
        }
        app.handle(&ctrl('s'));
        let shown = screen(&mut app, 100, 30);
        assert!(shown.contains(&format!("投诉已更新:{expected}")), "{expected}: {shown}");
    }
    app.handle(&key(KeyCode::Enter));
    let detail = screen(&mut app, 100, 30);
    assert!(detail.contains("处理过程") && detail.contains("已解决 → 已确认满意度"), "{detail}");
    // Steps other than a change of state read as words, not stored codes.
    assert!(detail.lines().any(|l| l.contains("电话联系客户") && l.contains("已电话致歉并说明原因")), "{detail}");
    assert!(!detail.contains("phone_contact") && !detail.contains("received"), "no stored code shows: {detail}");
    insta::assert_snapshot!("complaint_detail_zh", detail);
    // The dossier lists the customer's complaints.
    app.handle(&key(KeyCode::Char('2')));
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "dxzw");
    app.handle(&key(KeyCode::Enter));
    for _ in 0..7 {
        app.handle(&key(KeyCode::Tab));
    }
    let tab = screen(&mut app, 100, 30);
    assert!(tab.contains("TS2026-000001") && tab.contains("已关闭"), "{tab}");
}

#[test]
fn complaint_list_in_english() {
    let (_dir, path) = demo_db(20);
    let mut app = today_on(&path, Lang::En, "zhuguan");
    app.handle(&key(KeyCode::Char('5')));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Complaints") && shown.contains("No complaints match"), "{shown}");
}

#[test]
fn complaint_list_filters_by_category_and_text() {
    let (_dir, path) = demo_db(30);
    let mut app = today_on(&path, Lang::En, "zhuguan2");
    app.handle(&key(KeyCode::Char('5')));
    for (who, what) in [("Mr Chen", "statement late"), ("Ms Li", "parcel damaged")] {
        app.handle(&key(KeyCode::Char('n')));
        // The customer of the selected complaint is filled in; type over it.
        app.handle(&ctrl('u'));
        type_text(&mut app, "电信帐务中心");
        press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
        type_text(&mut app, who);
        press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
        type_text(&mut app, what);
        app.handle(&ctrl('s'));
    }
    assert!(screen(&mut app, 100, 30).contains("TS2026-000002"));
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "damaged");
    app.handle(&key(KeyCode::Enter));
    let found = screen(&mut app, 100, 30);
    assert!(found.contains("TS2026-000002") && !found.contains("TS2026-000001"), "{found}");
    // Category: the first in the cycle is "delay", which both complaints are (the form's default).
    app.handle(&key(KeyCode::Char('t')));
    assert!(screen(&mut app, 100, 30).contains("delay"));
    app.handle(&key(KeyCode::Char('t')));
    assert!(screen(&mut app, 100, 30).contains("No complaints match"), "loss/damage: none filed");
    // Period and whose: this month keeps both; "mine" (as the one who received them) too.
    for _ in 0..6 {
        app.handle(&key(KeyCode::Char('t')));
    }
    app.handle(&key(KeyCode::Esc));
    app.handle(&key(KeyCode::Char('p')));
    app.handle(&key(KeyCode::Char('m')));
    let filtered = screen(&mut app, 120, 30);
    assert!(filtered.contains("this month") && filtered.contains("mine"), "{filtered}");
}
