//! The dossier's revenue tab through the real App: the 24-month chart and its
//! caption, the month × service line grid and its column scrolling, the 万元
//! toggle, and editing a cell (saved with history, refused, or mistyped).

use crate::support;

use crossterm::event::KeyCode;
use kam::app::App;
use kam::db::customers::{self, CustomerQuery};
use kam::db::history;
use kam::db::revenue;
use kam::domain::id::CustomerId;
use kam::domain::money::Money;
use kam::domain::revenue::Month;
use kam::i18n::Lang;
use kam::msg::Msg;
use support::*;

/// 电信帐务中心 (one service line): jingli01 (郭芳) is its A manager.
const TELECOM: &str = "dxzw";
/// 白云机场 (four service lines): someone else's customer, read by jingli01.
const AIRPORT: &str = "byjc";

fn customer_id(app: &App, search: &str) -> CustomerId {
    let q = CustomerQuery { search: search.into(), ..Default::default() };
    let rows = customers::page(app.ctx.store.conn(), &q, 0, 5).unwrap();
    assert_eq!(rows.len(), 1, "{search} finds one customer");
    rows[0].id.clone()
}

/// From the customer list: the customer's dossier, then the revenue tab (third).
fn open_revenue_tab(app: &mut App, search: &str) {
    app.handle(&key(KeyCode::Char('/')));
    type_text(app, search);
    app.handle(&key(KeyCode::Enter));
    press(app, &[KeyCode::Tab, KeyCode::Tab]);
}

fn ledger_month(app: &App) -> Month {
    revenue::ledger_month(app.ctx.store.conn()).unwrap().expect("the demo has revenue")
}

/// Monthly totals, newest first, as the tab reads them.
fn totals(app: &App, search: &str) -> Vec<(Month, Money)> {
    let last = ledger_month(app);
    let mut t =
        revenue::customer_totals(app.ctx.store.conn(), &customer_id(app, search), last.plus(-23), last).unwrap();
    t.reverse();
    t
}

/// The service lines with revenue in the window, in column order: (id, name_zh, name_en).
fn used_lines(app: &App, search: &str) -> Vec<(i64, String, String)> {
    let last = ledger_month(app);
    let cells = revenue::customer_cells(app.ctx.store.conn(), &customer_id(app, search), last.plus(-23), last).unwrap();
    app.ctx
        .reference
        .service_lines
        .iter()
        .filter(|l| cells.iter().any(|(_, id, a)| *id == l.id && a.to_fen() != 0))
        .map(|l| (l.id, l.name_zh.clone(), l.name_en.clone()))
        .collect()
}

fn cell(app: &App, search: &str, month: Month, line: i64) -> Option<Money> {
    revenue::customer_cells(app.ctx.store.conn(), &customer_id(app, search), month, month)
        .unwrap()
        .into_iter()
        .find(|(_, id, _)| *id == line)
        .map(|(_, _, a)| a)
}

#[test]
fn chart_caption_grid_and_amounts_at_80x24_and_120x40_in_both_languages() {
    let (_dir, path) = demo_db(40);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app_on(&path, lang, "jingli01");
        open_revenue_tab(&mut app, AIRPORT);
        let t = lang.text();
        let totals = totals(&app, AIRPORT);
        let (last, latest) = totals[0];
        let year = totals.iter().take(12).fold(Money::ZERO, |s, (_, m)| Money(s.0 + m.0));
        let lines = used_lines(&app, AIRPORT);
        let first_line = if lang == Lang::Zh { &lines[0].1 } else { &lines[0].2 };

        let narrow = screen(&mut app, 80, 24);
        assert!(narrow.contains(&format!("{} {}", t.revenue_tab_last12, year.format_yuan())), "{narrow}");
        assert!(narrow.contains(&format!("{last} {}", latest.format_yuan())), "{narrow}");
        assert!(narrow.contains(t.revenue_tab_mom) && narrow.contains(t.revenue_tab_max), "{narrow}");
        assert!(narrow.contains(t.revenue_tab_col_month) && narrow.contains(t.revenue_tab_col_total), "{narrow}");
        assert!(narrow.contains(first_line.as_str()), "{narrow}");
        // The latest month's row: month, total, then its first line's amount.
        let first_amount = cell(&app, AIRPORT, last, lines[0].0).unwrap();
        let row = narrow.lines().find(|l| l.starts_with(&format!("▸{last}"))).expect("selected month row");
        assert!(row.contains(&latest.format_yuan()) && row.contains(&first_amount.format_yuan()), "{row}");
        // Not every line fits in 80 columns: the hidden ones are announced.
        assert!(narrow.contains('▶') && !narrow.contains('◀'), "{narrow}");
        // Every line of the screen stays within 80 columns (wide characters counted twice).
        assert!(narrow.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80), "{narrow}");
        let name = if lang == Lang::Zh { "revenue_tab_zh" } else { "revenue_tab_en" };
        insta::assert_snapshot!(name, narrow);

        // A bigger terminal shows all 24 months and more of the lines.
        let wide = screen(&mut app, 120, 40);
        assert!(wide.contains(&last.plus(-23).to_string()), "{wide}");
        let shown = |s: &str| lines.iter().filter(|l| s.contains(if lang == Lang::Zh { &l.1 } else { &l.2 })).count();
        assert!(shown(&wide) >= shown(&narrow), "{wide}");
        // The 24 bars carry month numbers under them.
        assert!(wide.contains(&format!("{:02}", last.month())));
    }
}

#[test]
fn columns_scroll_with_the_cursor_and_amounts_switch_to_wan() {
    let (_dir, path) = demo_db(40);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    open_revenue_tab(&mut app, AIRPORT);
    let names: Vec<String> = app.ctx.reference.service_lines.iter().map(|l| l.name_zh.clone()).collect();
    let before = screen(&mut app, 80, 24);
    assert!(before.contains("业务种类 1–"), "{before}");
    // Move right past every line: the first ones scroll out on the left.
    for _ in 0..names.len() {
        app.handle(&key(KeyCode::Right));
    }
    let after = screen(&mut app, 80, 24);
    assert!(after.contains('◀') && !after.contains(" ▶"), "{after}");
    assert!(after.contains(&format!("/{}", names.len())), "{after}");
    // The last column (an unused line, shown after the used ones) is now in view.
    let hidden_before: Vec<&String> = names.iter().filter(|n| !before.contains(n.as_str())).collect();
    assert!(hidden_before.iter().any(|n| after.contains(n.as_str())), "{after}");
    // Still on the Revenue tab: left and right move between columns, not tabs.
    assert!(after.contains("月份"));
    for _ in 0..names.len() {
        app.handle(&key(KeyCode::Left));
    }
    assert_eq!(screen(&mut app, 80, 24), before);

    // w shows 万元 (for the session: the analysis screen reads the same setting).
    let (last, latest) = totals(&app, AIRPORT)[0];
    app.handle(&key(KeyCode::Char('w')));
    let wan = screen(&mut app, 80, 24);
    assert!(wan.contains("单位：万元") && wan.contains(&format!("{last} {}", latest.format_wan())), "{wan}");
    assert_eq!(app.ctx.money_unit, kam::config::MoneyUnit::Wan);
    app.handle(&key(KeyCode::Char('w')));
    assert!(screen(&mut app, 80, 24).contains("单位：元"));
}

#[test]
fn an_account_manager_edits_a_cell_with_history() {
    let (_dir, path) = demo_db(40);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    open_revenue_tab(&mut app, TELECOM);
    let id = customer_id(&app, TELECOM);
    let last = ledger_month(&app);
    let (line, name, _) = used_lines(&app, TELECOM)[0].clone();
    let old = cell(&app, TELECOM, last, line).unwrap();
    // Enter on the latest month's first line: the input holds the amount in yuan.
    app.handle(&key(KeyCode::Enter));
    let editing = screen(&mut app, 80, 24);
    let plain = old.yuan().round_dp(2).to_string();
    assert!(editing.contains(&format!("{last} {name}：金额")), "{editing}");
    assert!(editing.contains(&plain[..plain.len().min(8)]), "{plain}: {editing}");
    // While typing, digits are text (not "go to screen 1").
    app.handle(&ctrl('u'));
    type_text(&mut app, "12345.67");
    app.handle(&key(KeyCode::Enter));
    let saved = screen(&mut app, 80, 24);
    assert_eq!(cell(&app, TELECOM, last, line), Some(Money::from_fen(1_234_567)));
    assert!(saved.contains(&format!("已保存 {last} {name}：12,345.67")), "{saved}");
    assert!(saved.contains("12,345.67") && saved.contains("月份"), "{saved}");
    // The change is in the history, by the manager, old and new amounts in fen.
    let rows = history::for_customer(app.ctx.store.conn(), &id, 0, 50).unwrap();
    let row = rows.iter().find(|r| r.entity == "revenue").expect("a revenue history row");
    assert_eq!(row.changed_by, "郭芳");
    assert_eq!(row.old_value.as_deref(), Some(old.to_fen().to_string().as_str()));
    assert_eq!(row.new_value.as_deref(), Some("1234567"));
    assert!(row.field.as_deref().unwrap().starts_with(&format!("revenue:{}:", last.key())));
    // The history tab reads it in yuan with the line's name.
    for _ in 0..8 {
        app.handle(&key(KeyCode::Tab));
    }
    let tab = screen(&mut app, 120, 30);
    assert!(tab.contains(&format!("用邮收入 {last} {name}: {} → 12,345.67", old.format_yuan())), "{tab}");

    // An empty amount means 0; Esc leaves a cell as it was.
    for _ in 0..3 {
        app.handle(&key(KeyCode::Tab));
    }
    app.handle(&key(KeyCode::Enter));
    app.handle(&ctrl('u'));
    app.handle(&key(KeyCode::Enter));
    assert_eq!(cell(&app, TELECOM, last, line), Some(Money::ZERO));
    app.handle(&key(KeyCode::Enter));
    type_text(&mut app, "999");
    app.handle(&key(KeyCode::Esc));
    assert_eq!(cell(&app, TELECOM, last, line), Some(Money::ZERO));
    assert!(!app.top().is_typing());
}

#[test]
fn a_bad_amount_keeps_the_typing_with_the_reason() {
    let (_dir, path) = demo_db(40);
    let mut app = app_on(&path, Lang::En, "jingli01");
    open_revenue_tab(&mut app, TELECOM);
    let last = ledger_month(&app);
    let (line, _, name) = used_lines(&app, TELECOM)[0].clone();
    let old = cell(&app, TELECOM, last, line);
    app.handle(&key(KeyCode::Enter));
    app.handle(&ctrl('u'));
    type_text(&mut app, "12x");
    app.handle(&key(KeyCode::Enter));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Not an amount, e.g. 12345.67"), "{shown}");
    assert!(shown.contains("12x") && app.top().is_typing(), "{shown}");
    // The input covers the cell: nothing of the old amount shows through.
    let row = shown.lines().find(|l| l.starts_with(&format!("▸{last}"))).unwrap();
    assert!(row.contains("│ 12x  "), "{row}");
    assert_eq!(cell(&app, TELECOM, last, line), old);
    // A negative amount has its own reason; fixing the typing saves.
    app.handle(&ctrl('u'));
    type_text(&mut app, "-5");
    app.handle(&key(KeyCode::Enter));
    assert!(screen(&mut app, 80, 24).contains("cannot be negative"));
    app.handle(&ctrl('u'));
    type_text(&mut app, "1.5万");
    app.handle(&key(KeyCode::Enter));
    assert_eq!(cell(&app, TELECOM, last, line), Some(Money::from_fen(1_500_000)));
    assert!(screen(&mut app, 120, 30).contains(&format!("Saved {last} {name}: 15,000.00")));
}

#[test]
fn a_leader_reads_but_is_refused_an_edit() {
    let (_dir, path) = demo_db(40);
    let mut app = app_on(&path, Lang::Zh, "lingdao");
    open_revenue_tab(&mut app, TELECOM);
    let last = ledger_month(&app);
    let (line, _, _) = used_lines(&app, TELECOM)[0].clone();
    let old = cell(&app, TELECOM, last, line);
    assert!(screen(&mut app, 80, 24).contains("近12个月合计"));
    app.handle(&key(KeyCode::Enter));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("不允许") && shown.contains("只能查看"), "{shown}");
    assert!(!app.top().is_typing());
    assert_eq!(cell(&app, TELECOM, last, line), old);
    // The ledger itself refuses the write too.
    let actor = app.ctx.actor();
    let entry = revenue::RevenueEntry {
        customer_id: customer_id(&app, TELECOM),
        month: last,
        service_line_id: line,
        amount: Money::from_fen(1),
    };
    let rules = app.ctx.status_rules;
    assert!(matches!(revenue::set_cell(&mut app.ctx.store, &actor, &rules, &entry), Err(kam::db::DbError::Refused(_))));
}

#[test]
fn the_total_column_is_not_typed_into() {
    let (_dir, path) = demo_db(40);
    let mut app = app_on(&path, Lang::En, "jingli01");
    open_revenue_tab(&mut app, TELECOM);
    app.handle(&key(KeyCode::Left));
    app.handle(&key(KeyCode::Enter));
    assert!(!app.top().is_typing());
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Edit a line, not the total"), "{shown}");
}

#[test]
fn tiny_terminals_do_not_panic() {
    let (_dir, path) = demo_db(20);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    open_revenue_tab(&mut app, TELECOM);
    let sizes = [(1, 1), (20, 5), (39, 9), (40, 10), (41, 11), (45, 14), (60, 16), (80, 24), (200, 60)];
    for (w, h) in sizes {
        render(&mut app, w, h);
    }
    // While a cell is typed into, too.
    for _ in 0..12 {
        app.handle(&key(KeyCode::Right));
    }
    app.handle(&key(KeyCode::Enter));
    type_text(&mut app, "1234567890123");
    for (w, h) in sizes {
        render(&mut app, w, h);
    }
    app.handle(&Msg::Resize(20, 5));
    assert!(screen(&mut app, 20, 5).contains("窗口太小"));
}

#[test]
fn help_lists_the_grid_keys_over_the_dossier_ones_they_shadow() {
    let (_dir, path) = demo_db(20);
    let mut app = app_on(&path, Lang::En, "jingli01");
    open_revenue_tab(&mut app, TELECOM);
    app.handle(&key(KeyCode::Char('?')));
    let shown = screen(&mut app, 140, 40);
    assert!(shown.contains("next column") && shown.contains("yuan / 10k yuan"), "{shown}");
    // Customer-wide dossier keys still work here and are listed...
    assert!(shown.contains("override tier"), "{shown}");
    // ...but not what l and Enter do on the other tabs: here they move and edit.
    assert!(!shown.contains("write a log entry") && !shown.contains(" open "), "{shown}");
    app.handle(&key(KeyCode::Esc));
    // On another tab the dossier's own keys are back.
    app.handle(&key(KeyCode::Tab));
    app.handle(&key(KeyCode::Char('?')));
    let other = screen(&mut app, 140, 40);
    assert!(other.contains("write a log entry") && !other.contains("next column"), "{other}");
}
