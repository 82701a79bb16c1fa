//! The set-up screen (key 0) on TestBackend: the unit tree and the reference
//! lists in both languages, the administrator's forms, the read-only view of
//! others, and what the other screens offer afterwards.

use crate::support;

use crossterm::event::KeyCode;
use kam::app::App;
use kam::db::sql::{Sql, args};
use kam::i18n::Lang;
use support::{app_on, ctrl, demo_db, key, press, screen, today_on, type_text};

fn setup_on(path: &std::path::Path, lang: Lang, login: &str) -> App {
    let mut app = today_on(path, lang, login);
    app.handle(&key(KeyCode::Char('0')));
    app
}

/// Presses → on the focused pick list until the screen shows `wanted` (at most `tries` times).
fn pick_until(app: &mut App, wanted: &str, tries: usize) -> bool {
    for _ in 0..tries {
        if screen(app, 80, 24).contains(wanted) {
            return true;
        }
        press(app, &[KeyCode::Right]);
    }
    screen(app, 80, 24).contains(wanted)
}

/// The message the status bar shows (a long one takes lines above the bar).
fn status_line(app: &mut App) -> String {
    match app.status() {
        Some(kam::app::Status::Info(text) | kam::app::Status::Error(text)) => text.clone(),
        None => String::new(),
    }
}

#[test]
fn the_tree_and_the_lists_at_80x24_in_both_languages() {
    let (_dir, path) = demo_db(30);
    let mut app = setup_on(&path, Lang::Zh, "guanli");
    let zh = screen(&mut app, 80, 24);
    assert!(zh.starts_with(" 大客户管理 › 机构与基础数据"), "{zh}");
    assert!(zh.contains("单位 (11)  行业 (15)  业务种类 (10)"), "{zh}");
    let rows: Vec<Vec<&str>> = zh.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(rows[2], ["代码", "名称", "区划", "级别"]);
    assert_eq!(rows[3], ["GZ", "广州市邮政局大客户中心", "440100", "市局"]);
    assert_eq!(rows[4], ["├─", "GZ-BY", "白云区邮政局大客户中心", "440111", "区县局"]);
    assert_eq!(rows[5], ["│", "└─", "GZ-BY-JX", "白云京溪邮政支局", "440111", "支局"]);
    assert!(zh.contains("├─ GZ-SD"), "{zh}");
    assert!(zh.contains("专业局"), "{zh}");
    assert!(zh.contains("── 客户 "), "the selected unit's use: {zh}");
    assert!(zh.contains("n 新增 · e 改名 · m 移动 · d 归档 · r 恢复 · A 显示归档 · Tab 切换"), "{zh}");
    assert!(zh.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80), "{zh}");

    press(&mut app, &[KeyCode::Tab]);
    let industries = screen(&mut app, 80, 24);
    assert!(
        industries
            .lines()
            .any(|l| l.starts_with(" finance ") && l.contains("金融保险 ") && l.ends_with("Finance & insurance")),
        "{industries}"
    );
    press(&mut app, &[KeyCode::Tab]);
    let lines = screen(&mut app, 80, 24);
    assert!(
        lines.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["letters", "函件", "Letters"]),
        "{lines}"
    );

    let mut app = setup_on(&path, Lang::En, "guanli");
    let en = screen(&mut app, 80, 24);
    assert!(en.starts_with(" Key accounts › Units and reference lists"), "{en}");
    assert!(en.contains("Units (11)  Industries (15)  Service lines (10)"), "{en}");
    assert!(
        en.lines().any(|l| l.split_whitespace().collect::<Vec<_>>() == ["Code", "Name", "Division", "Level"]),
        "{en}"
    );
    let th: Vec<&str> = en.lines().find(|l| l.contains("GZ-TH ")).unwrap().split_whitespace().collect();
    assert_eq!(th, ["├─", "GZ-TH", "天河区邮政局大客户中心", "440106", "district"], "{en}");
    assert!(en.lines().any(|l| l.contains("GZ-SD") && l.trim_end().ends_with("440100   specialised bureau")), "{en}");
    assert!(en.contains("n add · e rename · m move · d archive · r restore · A archived · Tab switch"), "{en}");
    // Larger and tiny terminals.
    assert!(screen(&mut app, 160, 50).contains("GZ-YX-BJ"));
    for (w, h) in [(40, 10), (41, 11), (20, 5), (80, 12)] {
        let _ = screen(&mut app, w, h);
    }
}

#[test]
fn others_read_the_lists_but_may_not_change_them() {
    let (_dir, path) = demo_db(30);
    for (lang, read_only, refused) in [
        (Lang::Zh, "只读:只有客户管理员可以修改", "不允许"),
        (Lang::En, "Read only: only an administrator", "Not allowed"),
    ] {
        for login in ["jingli01", "zhuguan", "lingdao"] {
            let mut app = setup_on(&path, lang, login);
            let shown = screen(&mut app, 80, 24);
            assert!(shown.contains(read_only), "{login}: {shown}");
            assert!(shown.contains("GZ-TH"), "{shown}");
            for k in ['n', 'e', 'm', 'd'] {
                press(&mut app, &[KeyCode::Char(k)]);
                let status = status_line(&mut app);
                assert!(status.contains(refused), "{login} {k}: {status}");
                assert!(screen(&mut app, 80, 24).contains(read_only), "no form opened");
            }
        }
    }
}

#[test]
fn an_administrator_adds_a_unit_and_an_industry_the_registration_form_then_offers() {
    let (_dir, path) = demo_db(30);
    let mut app = setup_on(&path, Lang::Zh, "guanli");
    // GZ-TH is the eighth unit of the tree; a new unit goes under it by default.
    press(&mut app, &[KeyCode::Down; 7]);
    press(&mut app, &[KeyCode::Char('n')]);
    let form = screen(&mut app, 80, 24);
    assert!(form.contains("新增单位"), "{form}");
    assert!(form.contains("GZ-TH 天河区邮政局大客户中心"), "{form}");
    assert!(form.lines().any(|l| l.contains("级别") && l.contains("支局")), "{form}");
    assert!(form.lines().any(|l| l.contains("行政区划代码") && l.contains("440106")), "{form}");

    // A code already taken: the form stays, the code field says why.
    type_text(&mut app, "gz-th");
    press(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "车陂邮政支局");
    app.handle(&ctrl('s'));
    let refused = screen(&mut app, 80, 24);
    assert!(refused.contains("⚠ 代码 GZ-TH 已被使用"), "{refused}");
    assert!(refused.contains("车陂邮政支局"), "what was typed stays: {refused}");
    // The focus is on the field at fault.
    for _ in 0..5 {
        press(&mut app, &[KeyCode::Backspace]);
    }
    type_text(&mut app, "TH-CB");
    app.handle(&ctrl('s'));
    let saved = screen(&mut app, 80, 24);
    assert!(saved.contains("└─ TH-CB"), "{saved}");
    assert!(saved.contains("已新增 TH-CB 车陂邮政支局"), "{saved}");
    assert!(saved.contains("创建 TH-CB 车陂邮政支局"), "the new unit's history: {saved}");

    // An industry.
    press(&mut app, &[KeyCode::Tab, KeyCode::Char('n')]);
    type_text(&mut app, "aviation");
    press(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "航空运输");
    press(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "Aviation");
    app.handle(&ctrl('s'));
    assert!(screen(&mut app, 80, 24).contains("aviation"), "listed");

    // The registration form offers both.
    app.handle(&key(KeyCode::Char('2')));
    press(&mut app, &[KeyCode::Char('n')]);
    press(&mut app, &[KeyCode::Tab; 5]);
    assert!(pick_until(&mut app, "车陂邮政支局", 20), "the new unit is offered");
    press(&mut app, &[KeyCode::Tab; 3]);
    assert!(pick_until(&mut app, "航空运输", 20), "the new industry is offered");
}

#[test]
fn a_move_into_its_own_branch_is_refused_on_the_form() {
    let (_dir, path) = demo_db(30);
    let mut app = setup_on(&path, Lang::En, "guanli");
    press(&mut app, &[KeyCode::Down; 7]);
    press(&mut app, &[KeyCode::Char('m')]);
    assert!(screen(&mut app, 80, 24).contains("Move unit · GZ-TH"));
    assert!(pick_until(&mut app, "GZ-TH-SP", 15));
    app.handle(&ctrl('s'));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("⚠ Cannot move GZ-TH under GZ-TH-SP"), "{shown}");
    assert!(shown.contains("Move unit · GZ-TH"), "the form stays: {shown}");
    // To the top: allowed, and the tree shows it.
    assert!(pick_until(&mut app, "— (top level)", 15));
    app.handle(&ctrl('s'));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Moved GZ-TH to the top level"), "{shown}");
    assert!(shown.lines().any(|l| l.starts_with(" GZ-TH ")), "{shown}");
    assert!(shown.contains("Parent unit: GZ → — (top level)"), "{shown}");
}

#[test]
fn archiving_asks_first_and_a_unit_in_use_stays() {
    let (_dir, path) = demo_db(30);
    let mut app = setup_on(&path, Lang::Zh, "guanli");
    press(&mut app, &[KeyCode::Down; 7]);
    press(&mut app, &[KeyCode::Char('d')]);
    assert!(status_line(&mut app).contains("归档 GZ-TH?按 y 确认"));
    press(&mut app, &[KeyCode::Char('y')]);
    assert!(status_line(&mut app).contains("不能归档:仍有客户"), "{}", status_line(&mut app));
    // An industry goes after y (its customers keep it); any other key keeps it.
    press(&mut app, &[KeyCode::Tab, KeyCode::End, KeyCode::Char('d'), KeyCode::Char('x')]);
    assert_eq!(screen(&mut app, 80, 24).matches("[已归档]").count(), 0);
    press(&mut app, &[KeyCode::Char('d'), KeyCode::Char('y')]);
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("行业 (14)"), "{shown}");
    // Shown again with the archived ones, last in the list, with its history.
    press(&mut app, &[KeyCode::Char('A'), KeyCode::End]);
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("[已归档]"), "{shown}");
    assert!(shown.contains("归档: 否 → 是"), "{shown}");
}

#[test]
fn an_archived_industry_is_not_offered_but_stays_on_its_customers() {
    let (_dir, path) = demo_db(30);
    // The industry of the first customer, archived by the administrator.
    let (id, code, name) = {
        let mut store = kam::db::Store::open(&path).unwrap();
        let row: (String, String, String) = store
            .conn()
            .row(
                "SELECT c.id, i.code, i.name_zh FROM customer c JOIN industry i ON i.id = c.industry_id \
                 WHERE c.archived = 0 AND c.owner_a = (SELECT id FROM staff WHERE login = 'jingli01') ORDER BY c.id LIMIT 1",
                args![],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        let admin = kam::db::reference::staff_by_login(store.conn(), "guanli").unwrap().unwrap();
        let actor = kam::db::Actor { staff: admin, at: support::now() };
        kam::db::setup::set_entry_archived(&mut store, &actor, kam::db::setup::RefList::Industry, &row.1, true)
            .unwrap();
        row
    };
    let _ = code;
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    // A new customer: every industry on offer but the archived one.
    press(&mut app, &[KeyCode::Char('n')]);
    press(&mut app, &[KeyCode::Tab; 8]);
    let mut seen = Vec::new();
    for _ in 0..20 {
        let line = screen(&mut app, 80, 24).lines().find(|l| l.contains("行业")).unwrap_or("").to_string();
        seen.push(line);
        press(&mut app, &[KeyCode::Right]);
    }
    assert!(seen.iter().any(|l| l.contains("金融")), "{seen:?}");
    assert!(!seen.iter().any(|l| l.contains(&name)), "{name} offered: {seen:?}");
    press(&mut app, &[KeyCode::Esc, KeyCode::Esc]);

    // Its customer keeps it: on the dossier, and on the edit form, marked.
    press(&mut app, &[KeyCode::Char('/')]);
    type_text(&mut app, &id);
    press(&mut app, &[KeyCode::Enter]);
    let dossier = screen(&mut app, 80, 24);
    assert!(dossier.contains(&name), "{dossier}");
    press(&mut app, &[KeyCode::Char('e')]);
    let form = screen(&mut app, 80, 24);
    assert!(form.contains(&format!("{name} [已归档]")), "{form}");
    app.handle(&ctrl('s'));
    let conn = kam::db::Store::open(&path).unwrap();
    let kept: String = conn
        .conn()
        .row(
            "SELECT i.name_zh FROM customer c JOIN industry i ON i.id = c.industry_id WHERE c.id = ?1",
            args![&id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, name, "saving the form keeps the archived industry");
}

/// A new office: HQ and its administrator `boss`, and a manager `lina`.
fn new_office(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("kam.db");
    {
        let mut store = kam::db::Store::open(&path).unwrap();
        let founding = kam::db::setup::Founding {
            unit_code: "HQ",
            unit_name: "广州市邮政局大客户中心",
            level: kam::domain::org::UnitLevel::City,
            division: "440100",
            login: "boss",
            admin_name: "王经理",
            stamp: "2026-11-23 09:00:00",
        };
        let (unit, _) = kam::db::setup::found_office(&mut store, &founding).unwrap();
        store
            .write(|tx| {
                kam::db::reference::insert_staff(
                    tx,
                    &kam::db::reference::NewStaff {
                        login: Some("lina"),
                        name: "李娜",
                        unit_id: unit,
                        role: kam::domain::staff::Role::Manager,
                        phone: None,
                    },
                )
            })
            .unwrap();
    }
    path
}

#[test]
fn an_empty_customer_list_says_how_to_begin_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_office(dir.path());
    let mut app = app_on(&path, Lang::Zh, "boss");
    let zh = screen(&mut app, 80, 24);
    assert!(zh.contains("还没有客户"), "{zh}");
    assert!(zh.contains("按 n 登记第一个客户"), "{zh}");
    assert!(zh.contains("kam import customers 客户.csv"), "{zh}");
    assert!(zh.contains("单位、行业和业务种类:按 0 设置"), "{zh}");
    let mut app = app_on(&path, Lang::En, "lina");
    let en = screen(&mut app, 80, 24);
    assert!(en.contains("No customers yet"), "{en}");
    assert!(en.contains("Press n to register the first customer"), "{en}");
    assert!(en.contains("kam import customers customers.csv"), "{en}");
    assert!(!en.contains("press 0"), "only the administrator keeps the lists: {en}");
    // A filter that finds nothing still says so.
    press(&mut app, &[KeyCode::Char('p')]);
    let filtered = screen(&mut app, 80, 24);
    assert!(filtered.contains("No customers match") && !filtered.contains("No customers yet"), "{filtered}");
}

#[test]
fn the_first_registration_saves_once_the_missing_reason_is_typed() {
    let dir = tempfile::tempdir().unwrap();
    let path = new_office(dir.path());
    let mut app = app_on(&path, Lang::Zh, "boss");
    press(&mut app, &[KeyCode::Char('n'), KeyCode::Tab]);
    type_text(&mut app, "顺达物流");
    press(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "广州顺达物流有限公司");
    app.handle(&ctrl('s'));
    assert!(status_line(&mut app).contains("有 1 项需要更正"), "{}", status_line(&mut app));
    // The focus is on the reason; typing it is enough for the next save.
    type_text(&mut app, "本中心首先接触");
    app.handle(&ctrl('s'));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.starts_with(" 大客户管理 › 客户档案 › 顺达物流"), "{shown}");
    assert!(shown.contains("已创建客户 44010000001000"), "{shown}");
}
