//! Issue 18, contracts (SPEC §12) through the real App: a draft written in
//! the dossier's contracts tab, submitted, decided step by step by the
//! people whose step it is (refused with a reason, resubmitted), signed and
//! filed; Today's sections and the contracts list in both languages; a
//! failed save that keeps the form; an agreement-stage log entry naming the
//! contract; and the screens at every size without a panic.

use crate::support;

use crossterm::event::KeyCode;
use kam::app::App;
use kam::i18n::Lang;
use support::*;

/// The dossier of 电信帐务中心 (the demo's diamond anchor customer).
fn dossier_of_the_anchor(app: &mut App) {
    app.handle(&key(KeyCode::Char('2')));
    app.handle(&key(KeyCode::Char('/')));
    type_text(app, "dxzw");
    app.handle(&key(KeyCode::Enter));
    app.handle(&key(KeyCode::Enter));
}

/// Tabs forward until the tab bar shows `label` as the current tab's table.
fn to_contracts_tab(app: &mut App, empty: &str) {
    // After the service requests' tab, before the plans': four back from the history (the last).
    for _ in 0..4 {
        app.handle(&key(KeyCode::BackTab));
    }
    let tab = screen(app, 100, 30);
    assert!(tab.contains(empty), "{tab}");
}

/// Opens the first contract waiting on Today's "waiting for my approval".
fn open_first_waiting(app: &mut App, heading: &str) {
    app.handle(&key(KeyCode::Char('1')));
    let today = screen(app, 100, 40);
    assert!(today.contains(heading), "{today}");
    app.handle(&key(KeyCode::Char('c')));
    let list = screen(app, 100, 30);
    assert!(list.contains("待我审批"), "{list}");
    app.handle(&key(KeyCode::Enter));
}

fn saved(app: &mut App, expected: &str) -> String {
    app.handle(&ctrl('s'));
    let shown = screen(app, 100, 40);
    assert!(shown.contains(expected), "{expected}: {shown}");
    shown
}

#[test]
fn a_diamond_contract_goes_from_draft_to_filed_through_the_screens() {
    let (_dir, path) = demo_db(30);
    let mut manager = today_on(&path, Lang::Zh, "jingli01");
    dossier_of_the_anchor(&mut manager);
    to_contracts_tab(&mut manager, "没有符合条件的合同");
    manager.handle(&key(KeyCode::Char('n')));
    let form = screen(&mut manager, 100, 30);
    assert!(form.contains("起草合同") && form.contains("电信帐务中心"), "{form}");
    // Customer, number (empty: the next one), kind, tier (diamond), access bureau, signing body.
    press(&mut manager, &[KeyCode::Tab; 3]);
    manager.handle(&key(KeyCode::Right));
    press(&mut manager, &[KeyCode::Tab; 2]);
    type_text(&mut manager, "广东省邮政公司");
    press(&mut manager, &[KeyCode::Tab]);
    type_text(&mut manager, "帐单, 函件");
    press(&mut manager, &[KeyCode::Tab]);
    type_text(&mut manager, "6800000");
    press(&mut manager, &[KeyCode::Tab]);
    type_text(&mut manager, "2027-01-01");
    press(&mut manager, &[KeyCode::Tab]);
    type_text(&mut manager, "2026-12-31");
    // The end before the start: refused, the form kept with every value typed.
    app_keeps_form(&mut manager);
    manager.handle(&ctrl('u'));
    type_text(&mut manager, "2028-12-31");
    let tab = saved(&mut manager, "已保存");
    assert!(tab.contains("GZ-HT2026-0001") && tab.contains("起草"), "{tab}");

    manager.handle(&key(KeyCode::Enter));
    manager.handle(&key(KeyCode::Char('p')));
    let detail = screen(&mut manager, 100, 40);
    assert!(detail.contains("已提交审批,待:市局呈报(附局文、合同四份)"), "{detail}");
    assert!(detail.contains("▶ 1. 市局呈报"), "{detail}");
    // Not the manager's step: refused before any form opens.
    manager.handle(&key(KeyCode::Char('a')));
    assert!(screen(&mut manager, 100, 40).contains("这一步须由广州市邮政局大客户中心(主管)审批"));

    // The city supervisor decides every step: the province's answers are
    // recorded on its behalf (the demo bureau holds no province).
    let mut supervisor = today_on(&path, Lang::Zh, "zhuguan");
    open_first_waiting(&mut supervisor, "待我审批的合同 (1)");
    for step in 1..=5 {
        supervisor.handle(&key(KeyCode::Char('a')));
        type_text(&mut supervisor, &format!("第{step}步同意"));
        let shown = saved(&mut supervisor, "已同意");
        assert!(shown.contains(&format!("✓ {step}.")), "{shown}");
    }
    let detail = screen(&mut supervisor, 100, 40);
    assert!(detail.contains("审批完成,待签署") && detail.contains("代录省方意见"), "{detail}");

    manager.handle(&key(KeyCode::Esc));
    manager.handle(&key(KeyCode::Enter));
    manager.handle(&key(KeyCode::Char('S')));
    saved(&mut manager, "已记录签署");
    manager.handle(&key(KeyCode::Char('F')));
    assert!(screen(&mut manager, 100, 30).contains("报省备案(复印件一份)"));
    let filed = saved(&mut manager, "已报省备案");
    assert!(filed.contains("2026-11-23 1×复印件 → 省函件集邮局"), "{filed}");
    insta::assert_snapshot!("contract_filed_zh", screen(&mut manager, 100, 40));
}

/// A failed save keeps every character: shown by saving an end before its start.
fn app_keeps_form(app: &mut App) {
    app.handle(&ctrl('s'));
    let shown = screen(app, 100, 30);
    assert!(shown.contains("到期日期早于生效日期"), "{shown}");
    assert!(shown.contains("帐单, 函件") && shown.contains("6800000") && shown.contains("2026-12-31"), "{shown}");
}

#[test]
fn a_refused_step_goes_back_to_draft_with_its_reason_and_is_submitted_again() {
    let (_dir, path) = full_demo_db(120);
    let mut leader = today_on(&path, Lang::Zh, "lingdao");
    open_first_waiting(&mut leader, "待我审批的合同 (1)");
    leader.handle(&key(KeyCode::Char('R')));
    leader.handle(&ctrl('s'));
    assert!(screen(&mut leader, 100, 30).contains("必填"), "a refusal needs its reason");
    type_text(&mut leader, "物流报价须附成本测算");
    let detail = saved(&mut leader, "已退回起草");
    assert!(detail.lines().any(|l| l.contains("退回理由") && l.contains("物流报价须附成本测算")), "{detail}");
    assert!(detail.contains("✗ 2. 分管领导审批"), "{detail}");

    let mut manager = today_on(&path, Lang::Zh, "jingli01");
    manager.handle(&key(KeyCode::Char('c')));
    manager.handle(&key(KeyCode::Char('f')));
    let all = screen(&mut manager, 120, 30);
    assert!(all.contains("起草 · 退回") && all.contains("退回理由:物流报价须附成本测算"), "{all}");
    let row = all.lines().position(|l| l.contains("物流报价须附成本测算")).unwrap();
    let first = all.lines().position(|l| l.contains("GZ-HT")).unwrap();
    for _ in first..row {
        manager.handle(&key(KeyCode::Down));
    }
    manager.handle(&key(KeyCode::Enter));
    manager.handle(&key(KeyCode::Char('p')));
    let again = screen(&mut manager, 100, 40);
    assert!(again.contains("第2次提交") && again.contains("此前 1 次提交均被退回"), "{again}");
    assert!(again.contains("▶ 1. 主管审核"), "{again}");
}

#[test]
fn today_and_the_list_in_english_show_contracts_waiting_and_ending() {
    let (_dir, path) = full_demo_db(120);
    let mut manager = today_on(&path, Lang::En, "jingli01");
    let today = screen(&mut manager, 100, 40);
    assert!(today.contains("Contracts ending within 60 days (1)"), "{today}");
    assert!(today.contains("ends in 25 days · GZ-HT2024-0001"), "{today}");
    manager.handle(&key(KeyCode::Char('c')));
    let list = screen(&mut manager, 80, 24);
    assert!(list.contains("Contracts › ending within 60 days › my customers"), "{list}");
    assert!(list.contains("GZ-HT2024-0001") && list.contains("Filed"), "{list}");
    manager.handle(&key(KeyCode::Char('f')));
    let all = screen(&mut manager, 160, 50);
    for shown in
        ["In approval 1/2", "In approval 2/2", "Draft · refused", "Signed", "Ended", "waiting: Leader approval"]
    {
        assert!(all.contains(shown), "{shown}: {all}");
    }
    assert!(!all.contains("in_approval") && !all.contains("leader_approval"), "no stored code shows: {all}");

    let mut supervisor = today_on(&path, Lang::En, "zhuguan");
    let today = screen(&mut supervisor, 100, 40);
    assert!(today.contains("Contracts waiting for my approval (1)") && today.contains("Supervisor review"), "{today}");
    let mut leader = today_on(&path, Lang::En, "lingdao");
    assert!(screen(&mut leader, 100, 40).contains("Contracts waiting for my approval (1)"));
    // A district supervisor decides no step of a city-bureau chain.
    let mut district = today_on(&path, Lang::En, "zhuguan2");
    assert!(!screen(&mut district, 100, 40).contains("Contracts waiting"));
}

#[test]
fn the_diamond_contracts_detail_shows_its_chain_copies_and_log_entry() {
    let (_dir, path) = full_demo_db(120);
    let mut app = today_on(&path, Lang::Zh, "jingli01");
    dossier_of_the_anchor(&mut app);
    to_contracts_tab(&mut app, "GZ-HT2026-0001");
    // The newest first: down to the diamond one.
    let tab = screen(&mut app, 100, 30);
    let rows: Vec<&str> = tab.lines().filter(|l| l.contains("GZ-HT")).collect();
    let at = rows.iter().position(|l| l.contains("GZ-HT2026-0001")).unwrap();
    for _ in 0..at {
        app.handle(&key(KeyCode::Down));
    }
    app.handle(&key(KeyCode::Enter));
    let detail = screen(&mut app, 120, 60);
    for shown in [
        "已报省备案",
        "✓ 5. 省局修改定稿,返回市局完成签署",
        "代录省方意见",
        "4×原件 → 广东省函件集邮局",
        "1×复印件 → 广东省函件集邮局",
        "与客户财务部、办公室共同确认合同最终文本",
    ] {
        assert!(detail.contains(shown), "{shown}: {detail}");
    }
    // A new agreement-stage entry naming it, from the contract.
    app.handle(&key(KeyCode::Char('l')));
    let form = screen(&mut app, 100, 30);
    assert!(form.contains("GZ-HT2026-0001") && form.contains("达成协议"), "{form}");
    press(&mut app, &[KeyCode::Tab; 4]);
    type_text(&mut app, "回访合同执行情况,客户满意");
    app.handle(&ctrl('s'));
    let detail = screen(&mut app, 120, 60);
    assert!(detail.contains("营销日志(达成协议/签合同阶段) (2)"), "{detail}");
    assert!(detail.contains("回访合同执行情况"), "{detail}");
}

#[test]
fn the_contract_screens_fit_every_size_in_both_languages() {
    let (_dir, path) = full_demo_db(120);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = today_on(&path, lang, "jingli01");
        app.handle(&key(KeyCode::Char('c')));
        app.handle(&key(KeyCode::Char('f')));
        let views: [&[KeyCode]; 3] = [&[], &[KeyCode::Enter], &[KeyCode::Char('c')]];
        for keys in views {
            press(&mut app, keys);
            for (w, h) in [(1, 1), (20, 5), (40, 10), (80, 24), (160, 50)] {
                let shown = screen(&mut app, w, h);
                if (w, h) == (80, 24) {
                    let t = lang.text();
                    assert!(shown.contains(t.screen_contracts) || shown.contains(t.form_copy_contract), "{shown}");
                }
            }
        }
    }
}
