//! Issue 12, tables and lists: one table widget on every tabular screen
//! (widths by priority, `…` by display width, the selection kept in view),
//! drawing that reads neither the database nor the clock, names in pinyin
//! order, `kam staff` as an aligned table, and pick lists for the list's
//! account-manager and unit filters.

use crate::common::{Seeded, actor, cid, count, new_customer};
use crate::support::{self, *};

use crossterm::event::KeyCode;
use kam::db::customers::{self, CustomerQuery, SortColumn};
use kam::db::sql::{Sql, args};
use kam::domain::dossier::FieldValue;
use kam::i18n::Lang;
use kam::msg::Msg;
use ratatui::buffer::Buffer;
use unicode_width::UnicodeWidthStr;

/// Row `y` of the buffer as text with, for each character, the column it starts at.
fn row_cells(buf: &Buffer, y: u16) -> Vec<(u16, String)> {
    let mut out = Vec::new();
    let mut x = 0;
    while x < buf.area.width {
        let sym = buf[(x, y)].symbol().to_string();
        let w = u16::try_from(UnicodeWidthStr::width(sym.as_str()).max(1)).expect("a character is 1 or 2 cells wide");
        out.push((x, sym));
        x += w;
    }
    out
}

/// The column where `word` starts on row `y`.
fn column_of(buf: &Buffer, y: u16, word: &str) -> Option<u16> {
    let cells = row_cells(buf, y);
    let line: String = cells.iter().map(|(_, s)| s.as_str()).collect();
    let at = line.find(word)?;
    let nth = line[..at].chars().count();
    cells.get(nth).map(|(x, _)| *x)
}

fn header_row(buf: &Buffer, title: &str) -> u16 {
    (0..buf.area.height).find(|y| column_of(buf, *y, title).is_some()).expect("a header row")
}

#[test]
fn wide_terminals_share_the_width_among_more_columns() {
    let (_dir, path) = demo_db(60);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app_on(&path, lang, "jingli01");
        let t = lang.text();
        for width in [160u16, 250] {
            let buf = render(&mut app, width, 50);
            let y = header_row(&buf, t.col_short_name);
            let name = column_of(&buf, y, t.col_short_name).unwrap();
            let tier = column_of(&buf, y, t.col_tier).unwrap();
            // The name column is capped: the tier follows within a name's width,
            // not 175 columns further on.
            assert!(tier - name <= 26, "{lang:?} {width}: name at {name}, tier at {tier}\n{}", text(&buf));
            // The room goes to more columns: unit, full name, phone, next update,
            // and (the least needed, in English only at 250) manager B.
            let mut wanted = vec![t.col_industry, t.col_unit, t.col_full_name, t.col_phone, t.col_next_update];
            if width == 250 {
                wanted.push(t.col_owner_b);
            }
            for title in wanted {
                assert!(column_of(&buf, y, title).is_some(), "{lang:?} {width}: no {title}\n{}", text(&buf));
            }
            // Every row's full name is there, cut with … only when it has to be.
            let shown = text(&buf);
            assert!(shown.contains("中国电信广州分公司帐务中心") || width < 200, "{shown}");
        }
        // At 80 columns the essentials stay and nothing overflows.
        let narrow = screen(&mut app, 80, 24);
        assert!(narrow.contains(t.col_tier) && narrow.contains(t.col_fresh), "{narrow}");
        assert!(narrow.lines().all(|l| UnicodeWidthStr::width(l) <= 80), "{narrow}");
    }
}

#[test]
fn long_names_are_cut_with_an_ellipsis_by_display_width() {
    let (_dir, path) = demo_db(60);
    let long = "中华人民共和国广东省广州市天河区珠江新城花城大道某某商贸有限公司";
    {
        let other = kam::db::Store::open(&path).unwrap();
        other
            .conn()
            .exec("UPDATE customer SET short_name = ?1 WHERE id = (SELECT min(id) FROM customer)", args![long])
            .unwrap();
    }
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app_on(&path, lang, "jingli01");
        let buf = render(&mut app, 80, 24);
        let shown = text(&buf);
        // The name column is 24 wide: eleven characters (22 columns) and "…".
        let cut: String = long.chars().take(11).collect::<String>() + "…";
        let row = shown.lines().find(|l| l.contains(&cut)).unwrap_or_else(|| panic!("{shown}"));
        assert!(!row.contains(&long[..long.char_indices().nth(12).unwrap().0]), "{row}");
        // The columns after it stay in place: the tier where the header says.
        let y = u16::try_from(shown.lines().position(|l| l == row).unwrap()).unwrap();
        let header = header_row(&buf, lang.text().col_tier);
        let tier_x = column_of(&buf, header, lang.text().col_tier).unwrap();
        let tier = kam::i18n::tier_label(kam::domain::tier::Tier::Diamond);
        let cells = row_cells(&buf, y);
        let at = cells.iter().find(|(x, _)| *x == tier_x).map(|(_, s)| s.clone()).unwrap_or_default();
        assert!(lang.pick(tier).starts_with(at.as_str()) || !at.trim().is_empty(), "{row}");
        for line in shown.lines() {
            assert!(UnicodeWidthStr::width(line) <= 80, "{line}");
        }
    }
}

/// Every table keeps the selection in view the same way: when it leaves the
/// view, the view jumps to put it in the middle (a long list redraws once per
/// half page over SSH, and the moves between change only two rows).
#[test]
fn every_table_jumps_half_a_page_and_moves_within_change_two_rows() {
    let (_dir, path) = demo_db(60);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    // The customer list: 80×24 shows 19 rows under the header.
    let first = render(&mut app, 80, 24);
    app.handle(&key(KeyCode::Down));
    let next = render(&mut app, 80, 24);
    let changed: std::collections::BTreeSet<u16> = first.diff(&next).iter().map(|(_, y, _)| *y).collect();
    assert_eq!(changed.into_iter().collect::<Vec<_>>(), vec![3, 4], "only the two rows whose selection changed");
    // The dossier's history (34 rows): one past the bottom lands mid-view.
    app.handle(&key(KeyCode::Char('/')));
    type_text(&mut app, "dxzw");
    app.handle(&key(KeyCode::Enter));
    for _ in 0..10 {
        app.handle(&key(KeyCode::Tab));
    }
    let before = screen(&mut app, 80, 24);
    assert!(before.contains("变更记录"), "{before}");
    // Body: 24 - status bar - header(4) - tabs(1) = 18 lines, header row included: 17 rows.
    for _ in 0..17 {
        app.handle(&key(KeyCode::Down));
    }
    let buf = render(&mut app, 80, 24);
    let theme = kam::theme::Theme::load("dark", None, false).unwrap();
    let selection = theme.get(kam::theme::Slot::Selection).bg.unwrap();
    let selected_y: Vec<u16> = (0..24).filter(|y| buf[(0, *y)].bg == selection).collect();
    assert_eq!(selected_y.len(), 1, "{}", text(&buf));
    // Rows 6..=22 show rows of the table; the 18th row is drawn near the middle.
    assert!((12..=16).contains(&selected_y[0]), "selected at {}:\n{}", selected_y[0], text(&buf));
}

/// Drawing reads nothing: a frame shows the state the last message left.
/// Someone else renames a customer between the message that loaded the rows
/// and the frame: the frame still shows the rows as loaded (the old list
/// fetched missing rows while drawing, and dropped any error it met).
#[test]
fn a_frame_draws_the_rows_loaded_by_the_last_message() {
    let (_dir, path) = demo_db(300);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    let _ = render(&mut app, 80, 24);
    for _ in 0..150 {
        app.handle(&key(KeyCode::Down));
    }
    let _ = render(&mut app, 80, 24);
    // The terminal grows to 200 rows: the list loads what a view that tall shows.
    app.handle(&Msg::Resize(100, 200));
    let other = kam::db::Store::open(&path).unwrap();
    // The selected customer (the list is in ID order): in any view that holds the selection.
    let (id, old): (String, String) = other
        .conn()
        .row("SELECT id, short_name FROM customer WHERE archived = 0 ORDER BY id LIMIT 1 OFFSET 150", args![], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    other.conn().exec("UPDATE customer SET short_name = '改名客户' WHERE id = ?1", args![&id]).unwrap();
    let tall = screen(&mut app, 100, 200);
    assert!(tall.contains(&old) && !tall.contains("改名客户"), "{tall}");
    // The rows of the tall view are drawn, well beyond one window of rows.
    let body: Vec<&str> = tall.lines().skip(3).take(196).collect();
    let drawn = body.iter().take_while(|l| l.starts_with("4401")).count();
    assert!(drawn > 150 && body[drawn..].iter().all(|l| l.trim().is_empty()), "{tall}");
    // The next message reads afresh.
    app.handle(&key(KeyCode::Char('c')));
    app.handle(&key(KeyCode::Home));
    assert!(screen(&mut app, 100, 200).contains("改名客户"));
}

/// Drawing reads no clock either: the day, the freshness marks and the time
/// left on complaints are those of the last message, so a frame drawn later
/// (nothing pressed) shows the same.
#[test]
fn a_frame_shows_the_time_of_the_last_message() {
    let (_dir, path) = demo_db(60);
    let later = support::now() + chrono::Days::new(400);
    for screen_key in ['1', '2', '3', '4', '5', '6'] {
        let mut app = today_on(&path, Lang::Zh, "jingli01");
        app.handle(&key(KeyCode::Char(screen_key)));
        let before = screen(&mut app, 120, 40);
        app.ctx.clock = kam::ctx::Clock::Fixed(later);
        assert_eq!(screen(&mut app, 120, 40), before, "screen {screen_key} read the clock while drawing");
        // Any message brings the time up to date.
        app.handle(&Msg::Tick);
        assert!(screen(&mut app, 120, 40).contains("2027-12-28"), "screen {screen_key}");
    }
}

fn names_in_list_order(conn: &kam::db::Conn, descending: bool) -> Vec<String> {
    let q = CustomerQuery { sort: SortColumn::ShortName, descending, ..Default::default() };
    customers::page(conn, &q, 0, 100).unwrap().into_iter().map(|r| r.short_name).collect()
}

#[test]
fn names_sort_in_pinyin_order_and_follow_renames() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let unit = s.org.unit;
    let a = actor(&m);
    for name in ["万利", "三元", "世通", "阿里物流", "中国银行", "先锋", "西安商贸", "ABC物流"] {
        customers::create(
            s.store(),
            &a,
            &new_customer(name, &format!("{name}有限公司"), unit, m.id),
            Default::default(),
        )
        .unwrap();
    }
    let expected = ["阿里物流", "ABC物流", "三元", "世通", "万利", "西安商贸", "先锋", "中国银行"];
    assert_eq!(names_in_list_order(s.conn(), false), expected);
    let mut reversed = expected;
    reversed.reverse();
    assert_eq!(names_in_list_order(s.conn(), true), reversed);
    // A rename moves the customer to its new place.
    let id: String = s.conn().row("SELECT id FROM customer WHERE short_name = '万利'", args![], |r| r.get(0)).unwrap();
    let base = customers::load(s.conn(), &cid(&id)).unwrap();
    customers::update(s.store(), &a, &base, &[("short_name", FieldValue::Text("爱华".into()))], Default::default())
        .unwrap();
    assert_eq!(names_in_list_order(s.conn(), false)[..3], ["阿里物流", "ABC物流", "爱华"]);
    // The list sorted by name reads its page from an index, not by sorting every customer.
    let plan: Vec<String> = s
        .conn()
        .rows(
            "EXPLAIN QUERY PLAN SELECT c.id FROM customer c WHERE c.archived = 0 \
             ORDER BY c.name_key, c.id LIMIT 20 OFFSET 40",
            args![],
            |r| r.get::<String>(3),
        )
        .unwrap();
    assert!(plan.iter().any(|p| p.contains("customer_name_key")), "{plan:?}");
    assert!(!plan.iter().any(|p| p.contains("TEMP B-TREE")), "{plan:?}");
}

/// A database from before the name key (schema 8), with customers written by
/// the kam of that time: opened by this kam, every customer gets its key, no
/// customer history is written for it, the customer's triggers are back in
/// place and the list sorts by it.
#[test]
fn an_older_database_gets_its_name_keys_on_upgrade() {
    const BEFORE_NAME_KEYS: usize = 7;
    let dir = tempfile::TempDir::new().unwrap();
    let path = dir.path().join("kam.db");
    crate::upgrade::old_file(&path, BEFORE_NAME_KEYS);
    let customer_history = "history WHERE entity = 'customer'";
    let history_before = count(&rusqlite::Connection::open(&path).unwrap(), customer_history);
    let store = kam::db::Store::open(&path).unwrap();
    let conn = store.conn();
    assert_eq!(count(conn, customer_history), history_before, "filling the keys is not an edit");
    let rows: Vec<(String, String)> =
        conn.rows("SELECT short_name, name_key FROM customer", args![], |r| Ok((r.get(0)?, r.get(1)?))).unwrap();
    assert_eq!(rows.len(), 2);
    for (name, key) in &rows {
        assert_eq!(key, &kam::search::sort_key(name), "{name}");
    }
    let triggers = count(conn, "sqlite_schema WHERE type = 'trigger' AND tbl_name = 'customer'");
    assert!(triggers >= 3, "the customer's triggers are back ({triggers})");
    let names = names_in_list_order(conn, false);
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| kam::search::sort_key(n));
    assert_eq!(names, sorted);
}

#[test]
fn the_customer_export_can_be_sorted_by_name() {
    let (dir, path) = demo_db(60);
    let out = dir.path().join("by-name.csv");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_kam"))
        .arg("--db")
        .arg(&path)
        .args(["--user", "guanli", "export", "customers", "--format", "csv", "--sort", "name", "-o"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    let names: Vec<String> = text
        .lines()
        .filter_map(|l| {
            let mut cells = l.split(',');
            let id = cells.next()?;
            id.trim_start_matches('\u{feff}').chars().all(|c| c.is_ascii_digit()).then(|| cells.next())?
        })
        .map(str::to_string)
        .collect();
    assert!(names.len() >= 60, "{text}");
    let mut sorted = names.clone();
    sorted.sort_by_key(|n| kam::search::sort_key(n));
    assert_eq!(names, sorted);
}

#[test]
fn staff_prints_an_aligned_table_with_a_header() {
    let (_dir, path) = demo_db(20);
    for (lang, header) in [
        ("zh", ["登录名", "姓名", "角色", "单位代码", "所属单位", "状态"]),
        ("en", ["Login", "Name", "Role", "Unit code", "Unit", "Status"]),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_kam"))
            .arg("--db")
            .arg(&path)
            .args(["--user", "guanli", "--lang", lang, "staff"])
            .output()
            .unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for h in header {
            assert!(lines[0].contains(h), "{text}");
        }
        // Each column starts at the same display column on every line.
        let starts = |line: &str| -> Vec<usize> {
            let mut cols = Vec::new();
            let mut x = 0;
            let mut prev_space = true;
            let mut spaces = 0;
            for c in line.chars() {
                if c == ' ' {
                    spaces += 1;
                } else {
                    if prev_space && (x == 0 || spaces >= 2) {
                        cols.push(x);
                    }
                    spaces = 0;
                }
                prev_space = c == ' ';
                x += UnicodeWidthStr::width(c.to_string().as_str());
            }
            cols
        };
        let first = starts(lines[0]);
        assert_eq!(first.len(), 6, "{text}");
        for line in &lines[1..] {
            assert_eq!(starts(line)[..5], first[..5], "{line}\n{text}");
        }
        assert!(text.contains(if lang == "zh" { "客户经理" } else { "Account manager" }), "{text}");
    }
}

#[test]
fn owner_and_unit_filters_are_picked_from_a_list() {
    let (_dir, path) = demo_db(60);
    let mut app = app_on(&path, Lang::Zh, "zhuguan2");
    let all = screen(&mut app, 100, 30);
    app.handle(&key(KeyCode::Char('o')));
    let popup = screen(&mut app, 100, 30);
    assert!(popup.contains("按客户经理筛选") && popup.contains("全部"), "{popup}");
    // Typing narrows (pinyin initials as in search); Esc leaves the filter as it was.
    let managers: Vec<(String, i64)> = app
        .ctx
        .reference
        .staff
        .iter()
        .filter(|s| s.role == kam::domain::staff::Role::Manager)
        .map(|s| (s.name.clone(), s.id))
        .collect();
    let (name, _) = &managers[0];
    // The name's full pinyin (the second form of its search key).
    let pinyin: String = kam::search::search_key(&[name]).split('\u{1f}').nth(1).unwrap().to_string();
    type_text(&mut app, &pinyin);
    let narrowed = screen(&mut app, 100, 30);
    assert!(narrowed.contains(name.as_str()), "{narrowed}");
    let shown_managers = managers.iter().filter(|(n, _)| narrowed.contains(n.as_str())).count();
    assert!(shown_managers < managers.len(), "{narrowed}");
    app.handle(&key(KeyCode::Esc));
    let after_esc = screen(&mut app, 100, 30);
    assert!(after_esc.contains("筛选: 无") && !after_esc.contains("按客户经理筛选"), "{after_esc}");
    // Enter picks: the list shows that manager's customers only.
    app.handle(&key(KeyCode::Char('o')));
    type_text(&mut app, &pinyin);
    app.handle(&key(KeyCode::Enter));
    let picked = screen(&mut app, 100, 30);
    assert!(picked.contains(&format!("客户经理(A)={name}")), "{picked}");
    assert_ne!(picked.lines().next(), all.lines().next(), "the count changed: {picked}");
    // The unit filter the same way; the first choice clears it.
    app.handle(&key(KeyCode::Char('u')));
    let units = screen(&mut app, 100, 30);
    assert!(units.contains("按责任单位筛选") && units.contains("GZ-TH"), "{units}");
    type_text(&mut app, "tianhe");
    app.handle(&key(KeyCode::Enter));
    assert!(screen(&mut app, 100, 30).contains("责任单位=天河区"), "{}", screen(&mut app, 100, 30));
    app.handle(&key(KeyCode::Char('u')));
    for _ in 0..20 {
        app.handle(&key(KeyCode::Up));
    }
    app.handle(&key(KeyCode::Enter));
    assert!(!screen(&mut app, 100, 30).contains("责任单位="));
}
