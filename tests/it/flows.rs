//! Key sequences through the real App: create → find → edit, failed saves that
//! keep the form, duplicate warnings, and two people editing one dossier.

use crate::support;

use crossterm::event::KeyCode;
use kam::app::App;
use kam::db::customers::{self, CustomerQuery};
use kam::db::{Actor, Store, reference};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::tier::TierPreset;
use kam::i18n::Lang;
use support::*;

fn telecom_id(app: &App) -> CustomerId {
    let q = CustomerQuery { search: "dxzw".into(), ..Default::default() };
    let rows = customers::page(app.ctx.store.conn(), &q, 0, 5).unwrap();
    rows[0].id.clone()
}

#[test]
fn create_a_customer_then_find_it_by_initials() {
    let (_dir, path) = demo_db(40);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    app.handle(&key(KeyCode::Char('n')));
    // The reason is the last field: wrap round to it, then on to the names.
    app.handle(&key(KeyCode::BackTab));
    type_text(&mut app, "新签协议客户");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "星河物流");
    app.handle(&key(KeyCode::Tab));
    type_text(&mut app, "广州星河物流有限公司");
    app.handle(&ctrl('s'));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("客户档案 › 星河物流"), "{shown}");
    assert!(shown.contains("待主管审批"), "a new customer awaits approval: {shown}");
    assert!(shown.contains("已创建客户 440106"), "{shown}");

    app.handle(&key(KeyCode::Esc));
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "xhwl");
    let list = screen(&mut app, 100, 30);
    assert!(list.contains("星河物流") && list.contains("共 1 户"), "{list}");
    assert!(list.contains("待审"), "{list}");
}

#[test]
fn a_failed_save_keeps_what_was_typed() {
    let (_dir, path) = demo_db(20);
    let mut app = app_on(&path, Lang::En, "jingli01");
    app.handle(&key(KeyCode::Char('n')));
    app.handle(&key(KeyCode::Tab));
    type_text(&mut app, "半填客户");
    // Jump to the postal code and type a wrong one.
    for _ in 0..9 {
        app.handle(&key(KeyCode::Tab));
    }
    type_text(&mut app, "5106");
    app.handle(&ctrl('s'));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("半填客户"), "typed text kept: {shown}");
    assert!(shown.contains("A postal code is 6 digits"), "{shown}");
    assert!(shown.contains("Required"), "{shown}");
    assert!(shown.contains("need correcting"), "{shown}");
    // Nothing was written.
    let all = customers::count(app.ctx.store.conn(), &CustomerQuery::default()).unwrap();
    assert!(
        customers::page(app.ctx.store.conn(), &CustomerQuery::default(), 0, all)
            .unwrap()
            .iter()
            .all(|r| r.short_name != "半填客户")
    );
    // Esc on a changed form asks first; the second Esc discards.
    app.handle(&key(KeyCode::Esc));
    assert!(screen(&mut app, 100, 30).contains("Discard your changes?"));
    app.handle(&key(KeyCode::Esc));
    assert!(screen(&mut app, 100, 30).contains("Customers"));
}

#[test]
fn a_likely_duplicate_is_warned_about_before_saving() {
    let (_dir, path) = demo_db(20);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    app.handle(&key(KeyCode::Char('n')));
    app.handle(&key(KeyCode::BackTab));
    type_text(&mut app, "再次申报");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "帐务中心");
    app.handle(&key(KeyCode::Tab));
    type_text(&mut app, "中国电信广州分公司 帐务中心");
    app.handle(&ctrl('s'));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("可能重复的客户") && shown.contains("同名"), "{shown}");
    assert!(shown.contains("44010600001000"), "{shown}");
    // The second save goes ahead on purpose.
    app.handle(&ctrl('s'));
    assert!(screen(&mut app, 100, 30).contains("客户档案 › 帐务中心"));
}

fn edit_phone(app: &mut App, phone: &str) {
    // Basic tab, edit form, the phone is the 14th field.
    app.handle(&key(KeyCode::Char('e')));
    for _ in 0..13 {
        app.handle(&key(KeyCode::Tab));
    }
    app.handle(&ctrl('u'));
    type_text(app, phone);
}

#[test]
fn a_stale_edit_is_refused_shows_what_changed_and_keeps_the_typing() {
    let (_dir, path) = demo_db(20);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    let id = telecom_id(&app);
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "dxzw");
    app.handle(&key(KeyCode::Enter));
    edit_phone(&mut app, "020-11112222");

    // Meanwhile a supervisor, in another process, changes the same phone.
    let mut other = Store::open(&path).unwrap();
    let boss = reference::staff_by_login(other.conn(), "zhuguan").unwrap().unwrap();
    let base = customers::load(other.conn(), &id).unwrap();
    let actor = Actor { staff: boss.clone(), at: now() };
    customers::update(
        &mut other,
        &actor,
        &base,
        &[("phone", FieldValue::Text("020-99990000".into()))],
        TierPreset::GuangdongScore,
    )
    .unwrap();

    app.handle(&ctrl('s'));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains(&format!("{} 在", boss.name)) && shown.contains("修改了这条记录"), "{shown}");
    assert!(shown.contains("020-99990000"), "their value shown: {shown}");
    assert!(shown.contains("020-11112222"), "my typing kept: {shown}");
    assert_eq!(customers::load(app.ctx.store.conn(), &id).unwrap().text("phone"), "020-99990000");

    // Saving again overwrites with mine, knowingly.
    app.handle(&ctrl('s'));
    assert_eq!(customers::load(app.ctx.store.conn(), &id).unwrap().text("phone"), "020-11112222");
}

#[test]
fn edits_of_different_fields_merge() {
    let (_dir, path) = demo_db(20);
    let mut app = app_on(&path, Lang::En, "jingli01");
    let id = telecom_id(&app);
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "dxzw");
    app.handle(&key(KeyCode::Enter));
    edit_phone(&mut app, "020-11112222");

    let mut other = Store::open(&path).unwrap();
    let boss = reference::staff_by_login(other.conn(), "zhuguan").unwrap().unwrap();
    let base = customers::load(other.conn(), &id).unwrap();
    let actor = Actor { staff: boss, at: now() };
    customers::update(
        &mut other,
        &actor,
        &base,
        &[("fax", FieldValue::Text("020-55556666".into()))],
        TierPreset::GuangdongScore,
    )
    .unwrap();

    app.handle(&ctrl('s'));
    let now = customers::load(app.ctx.store.conn(), &id).unwrap();
    assert_eq!(now.text("phone"), "020-11112222");
    assert_eq!(now.text("fax"), "020-55556666");
    assert!(screen(&mut app, 100, 30).contains("Saved"));
}

#[test]
fn key_persons_are_added_edited_and_archived_with_history() {
    let (_dir, path) = demo_db(20);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "dxzw");
    app.handle(&key(KeyCode::Enter));
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    app.handle(&key(KeyCode::Char('n')));
    type_text(&mut app, "欧阳明");
    app.handle(&key(KeyCode::Tab));
    type_text(&mut app, "办公室主任");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "1975-02-30");
    app.handle(&ctrl('s'));
    assert!(screen(&mut app, 100, 30).contains("日期不对"), "an impossible birthday is refused");
    app.handle(&ctrl('u'));
    type_text(&mut app, "1975-02-28");
    app.handle(&ctrl('s'));
    let shown = screen(&mut app, 100, 30);
    assert!(shown.contains("欧阳明") && shown.contains("1975-02-28"), "{shown}");

    // Archive the new person (the last in the list): it leaves the list, stays in history.
    for _ in 0..10 {
        app.handle(&key(KeyCode::Down));
    }
    app.handle(&key(KeyCode::Char('d')));
    assert!(screen(&mut app, 100, 30).contains("归档 欧阳明?"));
    app.handle(&key(KeyCode::Char('y')));
    assert!(!screen(&mut app, 100, 30).contains("欧阳明"));
    app.handle(&key(KeyCode::Char('A')));
    assert!(screen(&mut app, 100, 30).contains("[已归档]欧阳明"));
    press(&mut app, &[KeyCode::Tab; 7]);
    let history = screen(&mut app, 100, 30);
    assert!(history.contains("重要人士") && history.contains("归档: 否 → 是"), "{history}");
}
