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
    rows[0].id.clone()
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

/// The screen's text with every space and line break taken out: a wrapped
/// message reads whole again (wrapping drops the spaces it breaks at).
fn squeezed(shown: &str) -> String {
    shown.chars().filter(|c| !c.is_whitespace() && *c != '│').collect()
}

/// Every row fits the screen, the screen still shows its title, and `message`
/// is there in full.
fn shows_in_full(shown: &str, message: &str, cols: usize) {
    for line in shown.lines() {
        assert!(unicode_width::UnicodeWidthStr::width(line) <= cols, "{line}");
    }
    assert!(squeezed(shown).contains(&squeezed(message)), "cut: {message}\n{shown}");
}

#[test]
fn a_long_status_message_opens_in_full_and_the_screen_stays_usable() {
    let (_dir, path) = demo_db(20);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app_on(&path, lang, "jingli01");
        let warning = kam::i18n::file_warning_text(lang, kam::db::file_access::FileWarning::OthersCanRead);
        app.warn(warning.to_string());
        for (cols, rows) in [(80, 24), (160, 50), (40, 10)] {
            let shown = screen(&mut app, cols, rows);
            shows_in_full(&shown, warning, cols as usize);
            let title = if lang == Lang::Zh { "客户列表" } else { "Customers" };
            assert!(shown.lines().next().unwrap().contains(title), "{shown}");
            // Who is working is still on the bar.
            assert!(shown.contains("2026-11-23"), "{shown}");
        }
        // The next key clears it, and the list has its rows back.
        app.handle(&key(KeyCode::Down));
        assert!(!squeezed(&screen(&mut app, 80, 24)).contains(&squeezed(warning)));
    }
}

#[test]
fn the_created_customer_message_is_not_cut() {
    let (_dir, path) = demo_db(20);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app_on(&path, lang, "jingli01");
        app.handle(&key(KeyCode::Char('n')));
        app.handle(&key(KeyCode::BackTab));
        type_text(&mut app, "新签协议客户");
        press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
        let name = if lang == Lang::Zh { "星河物流" } else { "银河快运" };
        type_text(&mut app, name);
        app.handle(&key(KeyCode::Tab));
        type_text(&mut app, &format!("广州{name}有限公司"));
        app.handle(&ctrl('s'));
        let shown = screen(&mut app, 80, 24);
        let Some(kam::app::Status::Info(message)) = app.status().cloned() else { panic!("{shown}") };
        assert!(message.contains(if lang == Lang::Zh { "等待主管审批注册" } else { "awaits a supervisor" }));
        shows_in_full(&shown, &message, 80);
    }
}

/// The duplicate warning names each match's unit and account manager, however
/// narrow the screen.
#[test]
fn the_duplicate_warning_shows_whose_customer_it_is() {
    let (_dir, path) = demo_db(20);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app_on(&path, lang, "jingli01");
        let id = telecom_id(&app);
        let dossier = customers::load(app.ctx.store.conn(), &id).unwrap();
        let owner = app.ctx.reference.staff(dossier.owner_a()).unwrap().name.clone();
        let unit_id = dossier.value("unit_id").as_int().unwrap();
        let unit = app.ctx.reference.unit(unit_id).unwrap().name.clone();
        app.handle(&key(KeyCode::Char('n')));
        app.handle(&key(KeyCode::BackTab));
        type_text(&mut app, "再次申报");
        press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
        type_text(&mut app, "帐务中心");
        app.handle(&key(KeyCode::Tab));
        type_text(&mut app, "中国电信广州分公司 帐务中心");
        app.handle(&ctrl('s'));
        for (cols, rows) in [(80, 24), (160, 50)] {
            let shown = screen(&mut app, cols, rows);
            let (unit_label, owner_label) = if lang == Lang::Zh {
                ("责任单位", "客户经理(A角)")
            } else {
                ("Responsible unit", "Account manager (A)")
            };
            shows_in_full(&shown, &format!("{unit_label}: {unit} · {owner_label}: {owner}"), cols as usize);
            assert!(shown.contains(id.as_str()), "{shown}");
        }
    }
}

/// The dossier header lays its fields out so that the next-update date shows,
/// and the tier explanation never splits an amount across two lines.
#[test]
fn the_dossier_shows_its_due_date_and_whole_numbers_at_80_columns() {
    let (_dir, path) = demo_db(20);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app_on(&path, lang, "jingli01");
        let id = telecom_id(&app);
        let due = customers::load(app.ctx.store.conn(), &id).unwrap().update_due_on.to_string();
        open_telecom(&mut app);
        for (cols, rows) in [(80, 24), (160, 50)] {
            let shown = screen(&mut app, cols, rows);
            let label = if lang == Lang::Zh { "下次应更新" } else { "update due" };
            assert!(shown.contains(&format!("{label} {due}")), "{shown}");
            assert!(shown.contains("120,000,000.00") && shown.contains("3,020,398.23"), "{shown}");
            assert!(!shown.contains('…') || cols == 80, "{shown}");
        }
    }
}

/// ASCII words the Chinese interface may show: key names, the program, a file
/// permission command. Anything else of two letters or more, with a lower-case
/// letter, is English or an internal code (`in_person`, `initial_contact`).
const ASCII_ALLOWED: &[&str] =
    &["Ctrl", "Tab", "Esc", "Enter", "Space", "Shift", "PgUp", "PgDn", "kam", "chmod", "rwx"];

fn ascii_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    for line in text.lines() {
        // An e-mail address or a web address is the customer's, not ours.
        for token in line.split_whitespace().filter(|t| !t.contains('@') && !t.contains("://")) {
            for word in token.split(|c: char| !(c.is_ascii_alphabetic() || c == '_')) {
                if word.len() >= 2 && word.chars().any(|c| c.is_ascii_lowercase()) && !ASCII_ALLOWED.contains(&word) {
                    words.push(format!("{word}  ← {line}"));
                }
            }
        }
    }
    words
}

/// Everything an account manager and a supervisor see in Chinese: every main
/// screen, every dossier tab, a complaint's timeline, and the change history
/// on screen and from `kam history`, after a morning's work of each kind.
#[test]
fn the_chinese_interface_shows_no_english_or_internal_codes() {
    use kam::db::history;

    let (_dir, path) = demo_db(40);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    let id = telecom_id(&app);
    let me = Actor { staff: app.ctx.user.clone(), at: now() };
    a_mornings_work(&path, &id, &me);
    app.ctx.reference = reference::load(app.ctx.store.conn()).unwrap();
    let mut seen = english_on_screens(&path);

    // Every history line of the customer, as the history tab and `kam history` write it.
    let conn = app.ctx.store.conn();
    let total = history::count_for_customer(conn, &id).unwrap();
    let rows = history::for_customer(conn, &id, 0, total).unwrap();
    for kind in ["visit", "marketing_log", "complaint", "customer"] {
        assert!(rows.iter().any(|r| r.entity == kind), "no {kind} history to look at");
    }
    for row in &rows {
        let line = kam::ui::screens::dossier::tabs::history_text(Lang::Zh, &app.ctx.reference, row);
        for word in ascii_words(&line) {
            seen.push(format!("history: {word}"));
        }
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kam"))
        .args(["--db", path.to_str().unwrap(), "--user", "jingli01", "history", "--customer", id.as_str()])
        .output()
        .unwrap();
    assert!(out.status.success());
    let printed = String::from_utf8_lossy(&out.stdout);
    assert_eq!(printed.lines().count() as u64, total);
    for word in ascii_words(&printed) {
        seen.push(format!("kam history: {word}"));
    }
    assert!(seen.is_empty(), "English or codes in the Chinese interface:\n{}", seen.join("\n"));
    // The codes became labels and the ids names.
    for label in ["创建: 初次接触", "客户性质: 商业性 → 政策性", "状态: 计划 → 已取消", "创建: TS2026-000001"]
    {
        assert!(printed.contains(label), "{label}: {printed}");
    }
    assert!(printed.lines().any(|l| l.contains("创建: 上门拜访 20") || l.contains("创建: 电话短信 20")), "{printed}");
}

/// A morning's work on customer `id` of each kind the history records: a
/// complaint filed, assigned and worked on, a log entry, a cancelled visit and
/// a supervisor's change of the customer's kind, second manager and stage.
fn a_mornings_work(path: &std::path::Path, id: &CustomerId, me: &Actor) {
    use kam::db::{complaints, marketing, visits};
    use kam::domain::complaint::{Category, Channel, Locality, Severity, Transition};
    use kam::domain::marketing_log::{DealStage, Method};

    let mut store = Store::open(path).unwrap();
    let boss = reference::staff_by_login(store.conn(), "zhuguan").unwrap().unwrap();
    let boss = Actor { staff: boss, at: now() };
    let new = complaints::NewComplaint {
        customer_id: id.clone(),
        received_at: now(),
        channel: Channel::Phone,
        complainant: "陈先生".into(),
        contact: "13800000000".into(),
        category: Category::Delay,
        description: "月结帐单延误三天".into(),
        severity: Severity::High,
        locality: Locality::Special,
        department: "投递部".into(),
    };
    let (cid, _) = complaints::file(&mut store, me, &new).unwrap();
    let details = complaints::StepDetails { handler: Some(me.staff.id), ..Default::default() };
    let c = complaints::load(store.conn(), cid).unwrap();
    complaints::step(&mut store, &boss, &c, Transition::Assign, &details).unwrap();
    complaints::record_phone_contact(&mut store, me, cid, "已电话致歉").unwrap();
    complaints::name_team(&mut store, me, cid, "投递部、客服部").unwrap();
    let entry = marketing::NewLogEntry {
        customer_id: id.clone(),
        logged_on: now().date(),
        method: Method::Meeting,
        stage: DealStage::InitialContact,
        content: "介绍商函业务".into(),
        needs: String::new(),
        cooperation: String::new(),
        satisfaction: None,
        next_step: String::new(),
        next_due: None,
        our_people: String::new(),
        their_people: String::new(),
        visit_id: None,
    };
    marketing::write(&mut store, me, &entry).unwrap();
    let planned: Vec<_> = visits::for_customer(store.conn(), id, 100)
        .unwrap()
        .into_iter()
        .filter(|v| v.state == kam::domain::visit::VisitState::Planned)
        .collect();
    visits::cancel(&mut store, me, &planned[0], "客户临时出差").unwrap();
    let base = customers::load(store.conn(), id).unwrap();
    let other_manager = reference::staff_by_login(store.conn(), "jingli02").unwrap().unwrap();
    let changes = [
        ("kind", FieldValue::Text("policy".into())),
        ("owner_b", FieldValue::Int(other_manager.id)),
        ("stage", FieldValue::Text("maintained".into())),
    ];
    customers::update(&mut store, &boss, &base, &changes, TierPreset::GuangdongScore).unwrap();
}

/// The ASCII words on every main screen (of an account manager and of a
/// supervisor), the calendar's views, a complaint's detail, the help and every
/// tab of 电信帐务中心's dossier, at 160×50 and 80×24, each named by where it was.
fn english_on_screens(path: &std::path::Path) -> Vec<String> {
    let mut seen = Vec::new();
    let mut look = |app: &mut App, what: &str| {
        for (cols, rows) in [(160, 50), (80, 24)] {
            let shown = screen(app, cols, rows);
            for word in ascii_words(&shown) {
                seen.push(format!("{what} {cols}×{rows}: {word}"));
            }
        }
    };
    for login in ["jingli01", "zhuguan"] {
        let mut app = today_on(path, Lang::Zh, login);
        for (key_char, what) in [
            ('1', "today"),
            ('2', "customers"),
            ('3', "calendar"),
            ('4', "standards"),
            ('5', "complaints"),
            ('6', "log"),
            ('7', "analysis"),
        ] {
            app.handle(&key(KeyCode::Char(key_char)));
            look(&mut app, what);
            if key_char == '3' {
                for view in ["calendar week", "calendar agenda"] {
                    app.handle(&key(KeyCode::Char('v')));
                    look(&mut app, view);
                }
            }
            if key_char == '5' {
                app.handle(&key(KeyCode::Enter));
                look(&mut app, "complaint detail");
                app.handle(&key(KeyCode::Esc));
            }
        }
        app.handle(&key(KeyCode::Char('?')));
        look(&mut app, "help");
    }
    let mut app = app_on(path, Lang::Zh, "jingli01");
    open_telecom(&mut app);
    for tab in
        ["basic", "extended", "revenue", "persons", "competitors", "visits", "log", "complaints", "branches", "history"]
    {
        look(&mut app, tab);
        app.handle(&key(KeyCode::Tab));
    }
    seen
}
