//! Issue 12: what the screens say. Long messages open in full, numbers are never
//! split, the Chinese interface shows no English or internal codes, English
//! counts are singular or plural, and every part of a title or a conflict says
//! what it is.

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
    CustomerId::parse(&rows[0].id).unwrap()
}

/// The dossier of 电信帐务中心, opened from the customer list.
fn open_telecom(app: &mut App) {
    app.handle(&key(KeyCode::Char('/')));
    type_text(app, "dxzw");
    app.handle(&key(KeyCode::Enter));
}

#[test]
fn list_titles_label_each_part_and_leave_out_unset_filters() {
    let (_dir, path) = demo_db(30);
    for (lang, login) in [(Lang::Zh, "zhuguan2"), (Lang::En, "zhuguan2")] {
        let mut app = today_on(&path, lang, login);
        app.handle(&key(KeyCode::Char('5')));
        let title = screen(&mut app, 160, 50).lines().next().unwrap().to_string();
        match lang {
            Lang::Zh => assert!(title.contains("投诉处理 › 未办结 › 范围: 本单位") && !title.contains("无"), "{title}"),
            Lang::En => {
                assert!(title.contains("Complaints › open › scope: my unit") && !title.contains("none"), "{title}")
            }
        }
        // A category and a period, once chosen, say which they are.
        press(&mut app, &[KeyCode::Char('t'), KeyCode::Char('p')]);
        let title = screen(&mut app, 160, 50).lines().next().unwrap().to_string();
        match lang {
            Lang::Zh => assert!(title.contains("› 类别: 延误 › 期间: 本月"), "{title}"),
            Lang::En => assert!(title.contains("› category: delay › period: this month"), "{title}"),
        }
        app.handle(&key(KeyCode::Char('6')));
        let title = screen(&mut app, 160, 50).lines().next().unwrap().to_string();
        match lang {
            Lang::Zh => assert!(title.contains("营销日志 › 范围: ") && !title.contains("无"), "{title}"),
            Lang::En => assert!(title.contains("Marketing log › scope: ") && !title.contains("none"), "{title}"),
        }
    }
}

/// A save that met someone else's change: each changed field shows the value the
/// user started from, who changed it to what, and the user's own value, labelled
/// as theirs; pick lists show their labels, not codes.
#[test]
fn the_conflict_panel_says_whose_value_is_whose() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, path) = demo_db(20);
        let mut app = app_on(&path, lang, "jingli01");
        let id = telecom_id(&app);
        open_telecom(&mut app);
        // Basic tab, edit form, the phone is the 14th field.
        app.handle(&key(KeyCode::Char('e')));
        press(&mut app, &[KeyCode::Tab; 13]);
        app.handle(&ctrl('u'));
        type_text(&mut app, "020-11112222");

        let mut other = Store::open(&path).unwrap();
        let boss = reference::staff_by_login(other.conn(), "zhuguan").unwrap().unwrap();
        let base = customers::load(other.conn(), &id).unwrap();
        let changes = [("phone", FieldValue::Text("020-99990000".into())), ("kind", FieldValue::Text("policy".into()))];
        customers::update(
            &mut other,
            &Actor { staff: boss.clone(), at: now() },
            &base,
            &changes,
            TierPreset::GuangdongScore,
        )
        .unwrap();

        app.handle(&ctrl('s'));
        let shown = screen(&mut app, 160, 50);
        let (phone, kind) = match lang {
            Lang::Zh => (
                format!("电话:原为 {} · {} 改为 020-99990000 · 您的:020-11112222", base.text("phone"), boss.name),
                format!("客户性质:原为 商业性 · {} 改为 政策性 · 您的:商业性", boss.name),
            ),
            Lang::En => (
                format!(
                    "Phone: was {} · {} changed it to 020-99990000 · yours: 020-11112222",
                    base.text("phone"),
                    boss.name
                ),
                format!("Kind: was commercial · {} changed it to policy · yours: commercial", boss.name),
            ),
        };
        assert!(shown.contains(&phone), "{shown}");
        assert!(shown.contains(&kind), "{shown}");
        assert!(!shown.contains("用户:") && !shown.contains("User:"), "{shown}");
    }
}
