//! Hostile text on screen: customers, key persons, visits, complaints, log
//! entries and history written with escape sequences, bidi overrides,
//! zero-width characters, 5,000-character names and stacked combining marks
//! (as another program or an old import could leave them in the database),
//! drawn by the real `App` into a `TestBackend`. No cell may hold a character
//! that acts on a terminal, and the layout stays put.

use crate::common;
use crate::support;

use std::collections::BTreeMap;

use crossterm::event::KeyCode;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

use common::{NewCustomerExt, Seeded, actor, acts_on_terminal, at, date, new_customer, text};
use kam::app::App;
use kam::db::complaints::{self, NewComplaint};
use kam::db::customers;
use kam::db::marketing::{self, NewLogEntry};
use kam::db::records::{self, RecordKind};
use kam::db::visits::{self, NewVisit};
use kam::domain::complaint::{Category, Channel, Locality, Severity};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::marketing_log::{DealStage, Method};
use kam::domain::tier::{Tier, TierPreset};
use kam::domain::visit::{ParticipantRole, VisitKind};
use kam::i18n::Lang;
use support::{key, render, today_on, type_text};

/// A name 5,000 characters long.
fn long_name() -> String {
    "长名字ABC".chars().cycle().take(5_000).collect()
}

/// The hostile customers: (short name, full name, address, business scope).
fn hostile_customers() -> Vec<[String; 4]> {
    let s = |x: &str| x.to_string();
    vec![
        [
            s("\u{1b}[31m红色\u{1b}[0m"),
            s("\u{1b}]0;title\u{7}标题公司"),
            s("\u{1b}[2J清屏路\u{1b}[H1号"),
            s("\u{1b}[10;10H跳\u{1b}[?1049h备用屏\u{1b}]8;;http://evil\u{1b}\\链接\u{1b}]8;;\u{1b}\\"),
        ],
        [
            s("\u{202e}反向\u{202c}a\u{2060}b\u{61c}c\u{2028}"),
            s("零\u{200b}宽\u{200d}字\u{2060}\u{feff}公司"),
            s("\u{2066}隔离\u{2069}\u{61c}\u{200e}\u{200f}路"),
            s("\u{202a}嵌入\u{202b}\u{202d}覆盖\u{202c}\u{2028}分段\u{2029}"),
        ],
        [long_name(), long_name(), long_name(), long_name()],
        [
            s("e\u{301}\u{302}\u{303}中\u{20dd}文\u{5d0}"),
            s("Z\u{36b}\u{33e}\u{352}a\u{35b}\u{346}l\u{364}g\u{300}o 电\u{301}信\u{308}"),
            s("ﾊﾝｶｸ 全角ＡＢＣ 🏤👨\u{200d}👩\u{200d}👧"),
            s("\u{e0041}\u{e0042}标签\u{ad}软连字"),
        ],
        [
            s("\u{9b}31m八位\u{7}\u{8}\u{7f}"),
            s("回车\r换行\n制表\t公司\0"),
            s("退格\u{8}\u{8}\u{8}路"),
            s("一行\r\n两行\n\n三行\u{1b}c"),
        ],
    ]
}

struct World {
    s: Seeded,
    ids: Vec<CustomerId>,
}

/// The seeded organisation with the hostile customers of 张伟 (zhangwei), a
/// key person and a competitor, visits today and overdue, a complaint, a log
/// entry, an edited address (history) and a tier override with a hostile reason.
fn world() -> World {
    let mut s = Seeded::new();
    let me = actor(&s.org.manager);
    let boss = actor(&s.org.supervisor);
    let preset = TierPreset::GuangdongScore;
    let mut ids = Vec::new();
    for [short, full, address, scope] in hostile_customers() {
        let new = new_customer(&short, &full, s.org.unit, s.org.manager.id)
            .with("address", text(&address))
            .with("business_scope", text(&scope))
            .with("contact_name", text(&short));
        ids.push(customers::create(s.store(), &me, &new, preset).expect("create a hostile customer"));
    }
    let first = ids[0].clone();
    let evil = "\u{1b}[5m闪烁\u{1b}[0m\u{202e}人\u{200b}";
    let person: BTreeMap<&'static str, FieldValue> = [
        ("name", text(evil)),
        ("title", text("\u{202e}经理\u{7}")),
        ("decision_role", text("decision_maker")),
        ("birthday", FieldValue::Date(date(1980, 11, 25))),
        ("interests", text("\u{1b}[2J高尔夫\n\u{1b}]0;t\u{7}茶")),
    ]
    .into_iter()
    .collect();
    records::insert(s.store(), &me, RecordKind::KeyPerson, &first, &person).expect("key person");
    let rival: BTreeMap<&'static str, FieldValue> =
        [("name", text("\u{1b}[31m顺丰\u{202e}")), ("product_price", text("\u{1b}[2J价格\r\n表"))]
            .into_iter()
            .collect();
    records::insert(s.store(), &me, RecordKind::Competitor, &first, &rival).expect("competitor");
    for (customer, when) in [(&ids[0], at(2026, 11, 23, 14, 0)), (&ids[1], at(2026, 11, 20, 10, 0))] {
        let visit = NewVisit {
            customer_id: customer.clone(),
            kind: VisitKind::InPerson,
            planned_at: when,
            duration_min: 60,
            owner_id: s.org.manager.id,
            purpose: format!("拜访\u{1b}[2J{evil}\u{9b}H"),
            staff: vec![(s.org.manager.id, ParticipantRole::AccountManager)],
            persons: Vec::new(),
            follows_id: None,
        };
        visits::plan(s.store(), &me, &visit).expect("visit");
    }
    let complaint = NewComplaint {
        customer_id: first.clone(),
        received_at: at(2026, 11, 22, 9, 0),
        channel: Channel::Hotline,
        complainant: evil.to_string(),
        contact: "\u{1b}[31m13900001111".into(),
        category: Category::Delay,
        description: "帐单\u{1b}[2J延误\u{202e}三天\n\u{1b}]0;x\u{7}".into(),
        severity: Severity::Normal,
        locality: Locality::City,
        department: "投递部\u{200b}".into(),
    };
    complaints::file(s.store(), &me, &complaint).expect("complaint");
    let entry = NewLogEntry {
        customer_id: first.clone(),
        logged_on: date(2026, 11, 21),
        method: Method::Visit,
        stage: DealStage::InitialContact,
        content: "初次\u{1b}[31m接触\u{202e}\u{7}".into(),
        needs: "\u{1b}[2J".into(),
        cooperation: String::new(),
        satisfaction: None,
        next_step: "\u{202e}报价".into(),
        next_due: None,
        our_people: String::new(),
        their_people: String::new(),
        visit_id: None,
    };
    marketing::write(s.store(), &me, &entry).expect("log entry");
    let base = customers::load(s.conn(), &first).unwrap();
    customers::update(s.store(), &me, &base, &[("address", text("新\u{1b}[31m地址\u{202e}\u{7}"))], preset)
        .expect("edit the address");
    customers::override_tier(s.store(), &boss, &first, Some(Tier::Gold), "\u{1b}[31m领导\u{202e}决定\u{7}", preset)
        .expect("override");
    World { s, ids }
}

const SIZES: [(u16, u16); 3] = [(80, 24), (40, 10), (20, 5)];

/// The buffer as lines, wide characters once.
fn lines(buf: &Buffer) -> Vec<String> {
    support::text(buf).lines().map(str::to_string).collect()
}

/// No cell of the buffer holds anything that acts on a terminal.
fn assert_harmless(buf: &Buffer, what: &str) {
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            let symbol = buf[(x, y)].symbol();
            assert!(
                !symbol.chars().any(acts_on_terminal),
                "{what}: cell ({x},{y}) holds {symbol:?}\n{}",
                support::text(buf)
            );
        }
    }
}

/// The title on the first line, the status bar (who is working) on the last.
fn assert_frame(buf: &Buffer, what: &str) {
    if buf.area.width < 40 || buf.area.height < 10 {
        return; // "window too small" instead of the screen
    }
    let shown = lines(buf);
    let title = [" 大客户管理 ›", " Key accounts ›"];
    assert!(title.iter().any(|t| shown[0].starts_with(t)), "{what}: title moved\n{}", shown.join("\n"));
    let last = shown.last().unwrap();
    assert!(last.contains("张伟"), "{what}: status bar moved\n{}", shown.join("\n"));
    for line in &shown {
        assert!(UnicodeWidthStr::width(line.as_str()) <= buf.area.width as usize, "{what}: {line:?}");
    }
}

/// Renders at every size and checks each.
fn check(app: &mut App, what: &str) {
    for (w, h) in SIZES {
        let buf = render(app, w, h);
        let what = format!("{what} at {w}×{h}");
        assert_harmless(&buf, &what);
        assert_frame(&buf, &what);
    }
}

/// In the customer list every row starts with a 14-digit ID and the tier
/// column starts where its header does: no name pushed the columns along.
fn assert_list_rows_aligned(buf: &Buffer, what: &str) {
    let shown = lines(buf);
    let Some(header_y) = shown.iter().position(|l| l.starts_with("客户编号")) else {
        panic!("{what}: no header\n{}", support::text(buf));
    };
    let header_y = u16::try_from(header_y).unwrap();
    let tier_x = (0..buf.area.width)
        .find(|&x| buf[(x, header_y)].symbol() == "级")
        .unwrap_or_else(|| panic!("{what}: no tier column\n{}", support::text(buf)));
    let mut rows = 0;
    for y in header_y + 1..buf.area.height - 1 {
        if shown[y as usize].trim().is_empty() {
            continue;
        }
        let id: String = (0..14).map(|x| buf[(x, y)].symbol()).collect();
        assert!(id.bytes().all(|b| b.is_ascii_digit()), "{what}: row {y} starts with {id:?}");
        assert_eq!(buf[(tier_x - 1, y)].symbol(), " ", "{what}: row {y}\n{}", support::text(buf));
        assert_ne!(buf[(tier_x, y)].symbol(), " ", "{what}: row {y}\n{}", support::text(buf));
        rows += 1;
    }
    assert!(rows > 0, "{what}: no rows\n{}", support::text(buf));
}

/// Opens the customer `id` from the list by searching for its ID.
fn open_dossier(app: &mut App, id: &CustomerId) {
    app.handle(&key(KeyCode::Char('2')));
    app.handle(&key(KeyCode::Char('/')));
    type_text(app, id.as_str());
    app.handle(&key(KeyCode::Enter));
    let shown = support::screen(app, 80, 24);
    let title = shown.lines().next().unwrap_or("");
    assert!(title.contains("客户档案") || title.contains("Dossier"), "dossier of {id} open\n{shown}");
}

#[test]
fn hostile_text_never_reaches_a_cell() {
    let w = world();
    let mut app = today_on(&w.s.db.path, Lang::Zh, "zhangwei");
    let today = support::screen(&mut app, 80, 24);
    assert!(today.contains("拜访") && today.contains("闪烁"), "Today shows the hostile visits and birthday\n{today}");
    check(&mut app, "today");

    app.handle(&key(KeyCode::Char('2')));
    check(&mut app, "customer list");
    assert_list_rows_aligned(&render(&mut app, 80, 24), "customer list");
    assert_list_rows_aligned(&render(&mut app, 40, 10), "customer list at 40");

    // The search echoes what is typed, escape sequences and all, without them.
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "\u{1b}[31m\u{202e}红色\u{200b}");
    check(&mut app, "search input");
    app.handle(&support::ctrl('u'));
    type_text(&mut app, "红色");
    check(&mut app, "search results");
    assert_list_rows_aligned(&render(&mut app, 80, 24), "search results");
    app.handle(&support::ctrl('u'));
    type_text(&mut app, &long_name()[..300]);
    check(&mut app, "a 300-character search");
    app.handle(&key(KeyCode::Esc));

    let mut seen = String::new();
    for id in &w.ids {
        open_dossier(&mut app, id);
        for tab in 0..11 {
            check(&mut app, &format!("dossier {id} tab {tab}"));
            seen.push_str(&support::screen(&mut app, 80, 24));
            app.handle(&key(KeyCode::Down));
            check(&mut app, &format!("dossier {id} tab {tab}, second row"));
            app.handle(&key(KeyCode::Tab));
        }
        app.handle(&key(KeyCode::Esc));
    }
    // The hostile text was on screen (cleaned): key person, competitor, visit,
    // log entry, complaint, tier override reason, history.
    for shown in
        ["闪烁", "顺丰", "拜访", "初次", "延误", "领导", "地址", "清屏路", "隔离", "e\u{301}\u{302}\u{303}中\u{20dd}文"]
    {
        assert!(seen.contains(shown), "{shown} drawn in some dossier tab");
    }

    // The other screens list the same visits, complaints and log entries.
    for (screen, name) in [('3', "calendar"), ('4', "standards"), ('5', "complaints"), ('6', "log"), ('7', "analysis")]
    {
        app.handle(&key(KeyCode::Char(screen)));
        check(&mut app, name);
        app.handle(&key(KeyCode::Enter));
        check(&mut app, &format!("{name}, opened"));
        app.handle(&key(KeyCode::Esc));
    }
}

#[test]
fn hostile_text_in_english_too() {
    let w = world();
    let mut app = today_on(&w.s.db.path, Lang::En, "zhangwei");
    check(&mut app, "today (en)");
    open_dossier(&mut app, &w.ids[0]);
    for tab in 0..10 {
        check(&mut app, &format!("dossier tab {tab} (en)"));
        app.handle(&key(KeyCode::Tab));
    }
}

/// Random short names (escape sequences, bidi, zero-width, combining marks,
/// CJK, anything) written straight into the database, drawn in the list and
/// the dossier.
#[test]
fn random_short_names_render_harmlessly() {
    let mut s = Seeded::new();
    let me = actor(&s.org.manager);
    let preset = TierPreset::GuangdongScore;
    let new = new_customer("占位", "占位有限公司", s.org.unit, s.org.manager.id);
    let id = customers::create(s.store(), &me, &new, preset).unwrap();
    let pieces: &[&str] = &[
        "\u{1b}[31m",
        "\u{1b}]0;t\u{7}",
        "\u{1b}[2J",
        "\u{9b}H",
        "\u{7}",
        "\u{8}",
        "\r",
        "\n",
        "\t",
        "\u{7f}",
        "\u{202e}",
        "\u{2066}",
        "\u{200b}",
        "\u{200d}",
        "\u{feff}",
        "\u{61c}",
        "\u{2028}",
        "\u{301}",
        "\u{20dd}",
        "电信",
        "中心",
        "ab",
        " ",
        "🏤",
        "ﾊ",
        "Ａ",
    ];
    let name = prop_oneof![
        3 => prop::collection::vec(prop::sample::select(pieces), 1..30).prop_map(|p| p.concat()),
        1 => any::<String>(),
        1 => (prop::sample::select(pieces), 1usize..3000).prop_map(|(p, n)| p.repeat(n)),
    ];
    let store = std::cell::RefCell::new(s);
    let mut runner = TestRunner::new(Config { cases: 24, failure_persistence: None, ..Config::default() });
    runner
        .run(&name, |name| {
            let name = if name.is_empty() { "x".to_string() } else { name };
            let mut s = store.borrow_mut();
            let base = customers::load(s.conn(), &id).unwrap();
            customers::update(s.store(), &me, &base, &[("short_name", text(&name))], preset).unwrap();
            let mut app = today_on(&s.db.path, Lang::Zh, "zhangwei");
            app.handle(&key(KeyCode::Char('2')));
            for (w, h) in SIZES {
                let buf = render(&mut app, w, h);
                assert_harmless(&buf, &format!("list with {name:?}"));
                assert_frame(&buf, &format!("list with {name:?}"));
            }
            assert_list_rows_aligned(&render(&mut app, 80, 24), &format!("list with {name:?}"));
            app.handle(&key(KeyCode::Enter));
            for (w, h) in SIZES {
                let buf = render(&mut app, w, h);
                assert_harmless(&buf, &format!("dossier of {name:?}"));
                assert_frame(&buf, &format!("dossier of {name:?}"));
            }
            Ok(())
        })
        .unwrap();
}
