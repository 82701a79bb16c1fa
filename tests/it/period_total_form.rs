//! The dossier's form for a customer's period total (未分月, issue 16) through
//! the real App at 80×24, in Chinese and English: a total entered by the
//! period as offices write it, saved through the import's own write and shown
//! on the revenue tab; one over months the ledger holds refused as a double
//! count with the form kept as typed; a total corrected and cleared (0).

use crate::support;

use crossterm::event::KeyCode;
use kam::app::App;
use kam::db::customers::{self, CustomerQuery};
use kam::db::period::customer_totals;
use kam::domain::id::CustomerId;
use kam::domain::money::parse_amount;
use kam::domain::period::Period;
use kam::domain::revenue::Month;
use kam::i18n::Lang;
use support::*;

/// 电信帐务中心: jingli01 (郭芳) is its A manager.
const TELECOM: &str = "dxzw";

fn customer_id(app: &App, search: &str) -> CustomerId {
    let q = CustomerQuery { search: search.into(), ..Default::default() };
    let rows = customers::page(app.ctx.store.conn(), &q, 0, 5).unwrap();
    assert_eq!(rows.len(), 1, "{search} finds one customer");
    rows[0].id.clone()
}

fn open_revenue_tab(app: &mut App, search: &str) {
    app.handle(&key(KeyCode::Char('/')));
    type_text(app, search);
    app.handle(&key(KeyCode::Enter));
    press(app, &[KeyCode::Tab, KeyCode::Tab]);
}

/// The form's title on its frame (the tab's key hint names the command too).
fn boxed(t: &kam::i18n::Text) -> String {
    format!("┌ {} ", t.period_form_title)
}

/// Empties the focused text field (more backspaces than it holds).
fn clear_field(app: &mut App) {
    press(app, &[KeyCode::End]);
    press(app, &[KeyCode::Backspace; 30]);
}

#[test]
fn a_period_total_is_entered_refused_as_a_double_count_corrected_and_cleared() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, path) = demo_db(40);
        let mut app = app_on(&path, lang, "jingli01");
        let t = lang.text();
        open_revenue_tab(&mut app, TELECOM);
        let id = customer_id(&app, TELECOM);
        assert!(customer_totals(app.ctx.store.conn(), &id).unwrap().is_empty());

        // p opens the form; 2020 has no months in the ledger.
        press(&mut app, &[KeyCode::Char('t')]);
        let shown = screen(&mut app, 80, 24);
        assert!(shown.contains(&boxed(t)), "{lang:?}\n{shown}");
        assert!(shown.contains(t.period_form_period) && shown.contains(t.period_form_amount), "{shown}");
        type_text(&mut app, "2020年1-10月累计");
        press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
        type_text(&mut app, "9000万");
        press(&mut app, &[KeyCode::Enter]);
        let jan_oct = Period::new(Month::new(2020, 1).unwrap(), Month::new(2020, 10).unwrap()).unwrap();
        let stored = customer_totals(app.ctx.store.conn(), &id).unwrap();
        assert_eq!(stored.len(), 1, "{lang:?}");
        assert_eq!((stored[0].0, stored[0].2), (jan_oct, parse_amount("9000万").unwrap()));
        let shown = screen(&mut app, 80, 24);
        let label = kam::i18n::period_label(lang, jan_oct);
        assert!(!shown.contains(&boxed(t)), "the form closed on save\n{shown}");
        assert!(shown.contains(&format!("{}: {label}", t.period_not_split)), "the tab lists it\n{shown}");
        let saved = t.period_form_saved.split("{}").next().unwrap();
        assert!(shown.contains(&format!("{saved}{label}")), "{shown}");

        // A period over months the ledger holds: refused, the form kept as typed.
        let ledger = kam::db::revenue::ledger_month(app.ctx.store.conn()).unwrap().unwrap();
        let over = Period::new(ledger.plus(-3), ledger.plus(-1)).unwrap();
        press(&mut app, &[KeyCode::Char('t')]);
        clear_field(&mut app);
        type_text(&mut app, &format!("{}..{}", over.first(), over.last()));
        press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
        clear_field(&mut app);
        type_text(&mut app, "12");
        app.handle(&ctrl('s'));
        let shown = screen(&mut app, 80, 24);
        assert!(shown.contains(&boxed(t)), "the form stays open\n{shown}");
        assert!(shown.contains(t.period_form_double_count), "{lang:?}\n{shown}");
        let counted_twice = match lang {
            Lang::Zh => "重复计算",
            Lang::En => "counted twice",
        };
        assert!(shown.contains(counted_twice), "{shown}");
        assert!(shown.contains(&format!("{}..{}", over.first(), over.last())), "still as typed\n{shown}");
        assert_eq!(customer_totals(app.ctx.store.conn(), &id).unwrap().len(), 1, "nothing written");

        // Back to the 2020 total: corrected, then cleared with 0.
        clear_field(&mut app);
        type_text(&mut app, "2020-01..2020-10");
        press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
        clear_field(&mut app);
        type_text(&mut app, "9100万");
        press(&mut app, &[KeyCode::Enter]);
        let stored = customer_totals(app.ctx.store.conn(), &id).unwrap();
        assert_eq!(stored.len(), 1, "{stored:?}");
        assert_eq!(stored[0].2, parse_amount("9100万").unwrap());
        // The form opens on the newest total, to correct or clear it.
        press(&mut app, &[KeyCode::Char('t')]);
        assert!(screen(&mut app, 80, 24).contains("2020-01..2020-10"));
        press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
        clear_field(&mut app);
        type_text(&mut app, "0");
        press(&mut app, &[KeyCode::Enter]);
        assert_eq!(customer_totals(app.ctx.store.conn(), &id).unwrap()[0].2.to_fen(), 0);
        let changes = app.ctx.store.conn();
        let n: i64 = kam::db::sql::Sql::row(
            changes,
            "SELECT count(*) FROM history WHERE field LIKE 'revenue:202001-202010:%'",
            kam::db::sql::args![],
            |r| r.get(0),
        )
        .unwrap();
        // The creation is the row's own created_by/created_at, as for the ledger's cells.
        assert_eq!(n, 2, "corrected and cleared, each in the history");
    }
}

#[test]
fn a_mistyped_period_or_amount_keeps_the_form_and_esc_closes_it() {
    let (_dir, path) = demo_db(40);
    let mut app = app_on(&path, Lang::Zh, "jingli01");
    let t = Lang::Zh.text();
    open_revenue_tab(&mut app, TELECOM);
    press(&mut app, &[KeyCode::Char('t')]);
    type_text(&mut app, "2020年10-1月");
    press(&mut app, &[KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "abc");
    press(&mut app, &[KeyCode::Enter]);
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains(t.period_form_backwards), "{shown}");
    assert!(shown.contains(&boxed(t)), "{shown}");
    press(&mut app, &[KeyCode::Esc]);
    let shown = screen(&mut app, 80, 24);
    assert!(!shown.contains(&boxed(t)), "{shown}");
    // A 20×8 terminal draws without panicking.
    press(&mut app, &[KeyCode::Char('t')]);
    let _ = screen(&mut app, 20, 8);
    press(&mut app, &[KeyCode::Esc, KeyCode::Esc]);

    // Someone else's customer (白云机场): refused before any typing, no form.
    let mut app = app_on(&path, Lang::En, "jingli01");
    open_revenue_tab(&mut app, "byjc");
    press(&mut app, &[KeyCode::Char('t')]);
    let shown = screen(&mut app, 80, 24);
    assert!(!shown.contains(&boxed(Lang::En.text())), "{shown}");
    assert!(shown.contains("Not allowed"), "{shown}");
}
