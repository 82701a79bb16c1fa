//! The dossier's revenue tab shows pieces (用邮量) beside each month's revenue
//! and the selected month's returned mail (退信), in Chinese and English;
//! p switches the service line columns to pieces, entered as revenue is.

use crate::support;

use crossterm::event::KeyCode;
use kam::app::App;
use kam::db::customers::{self, CustomerQuery};
use kam::db::revenue;
use kam::db::sql::Sql;
use kam::db::volume::{self, ReturnsEntry};
use kam::domain::id::CustomerId;
use kam::domain::revenue::Month;
use kam::domain::volume::{Returns, format_pieces};
use kam::i18n::{Lang, fill};
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

/// The customer's pieces in `month`, every service line.
fn pieces(app: &App, id: &CustomerId, month: Month) -> u64 {
    volume::customer_volume(app.ctx.store.conn(), id, month, month).unwrap().iter().map(|(_, _, n)| n).sum()
}

#[test]
fn pieces_and_returned_mail_beside_revenue_in_both_languages() {
    let (_dir, path) = demo_db(40);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = app_on(&path, lang, "jingli01");
        let id = customer_id(&app, TELECOM);
        let last = revenue::ledger_month(app.ctx.store.conn()).unwrap().unwrap();
        // 12 of 500 returned in the ledger month: 2.40%.
        let reasons: Vec<(i64, u64)> = app
            .ctx
            .store
            .conn()
            .rows(
                "SELECT id FROM return_reason WHERE code IN ('unclear', 'refused') ORDER BY id",
                kam::db::sql::args![],
                |r| r.get(0),
            )
            .unwrap()
            .into_iter()
            .zip([5, 7])
            .collect();
        let entry = ReturnsEntry {
            customer_id: id.clone(),
            month: last,
            returns: Returns { posted: 500, returned: 12 },
            reasons,
        };
        let me = app.ctx.actor();
        app.ctx.store.write(|tx| volume::write_returns_in(tx, &me, std::slice::from_ref(&entry))).unwrap();
        open_revenue_tab(&mut app, TELECOM);
        let t = lang.text();

        let narrow = screen(&mut app, 80, 24);
        assert!(narrow.contains(t.volume_col_pieces), "{narrow}");
        let month_pieces = pieces(&app, &id, last);
        assert!(month_pieces > 0, "the demo has pieces for every month of revenue");
        let row = narrow.lines().find(|l| l.starts_with(&format!("▸{last}"))).expect("selected month row");
        assert!(row.contains(&format_pieces(month_pieces)), "{row}");
        let returns = fill(t.volume_returns_line, &[&last, &"500", &"12", &"2.40%"]);
        assert!(narrow.contains(&returns), "{narrow}");
        let reason = if lang == Lang::Zh { "地址不详 5" } else { "Address unclear 5" };
        let wide = screen(&mut app, 120, 40);
        assert!(wide.contains(reason), "{wide}");
        assert!(narrow.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 80), "{narrow}");

        // The month before has no returned mail recorded.
        app.handle(&key(KeyCode::Down));
        let before = screen(&mut app, 80, 24);
        assert!(before.contains(&fill(t.volume_returns_none, &[&last.prev()])), "{before}");
        app.handle(&key(KeyCode::Up));

        // p: the line columns show pieces; a cell is entered as revenue is.
        app.handle(&key(KeyCode::Char('p')));
        let shown = screen(&mut app, 80, 24);
        assert!(shown.contains(t.volume_showing_pieces), "{shown}");
        app.handle(&key(KeyCode::Enter));
        press(&mut app, &[KeyCode::End]);
        for _ in 0..12 {
            app.handle(&key(KeyCode::Backspace));
        }
        type_text(&mut app, "1.5");
        app.handle(&key(KeyCode::Enter));
        let refused = screen(&mut app, 80, 24);
        assert!(
            refused.contains(&kam::ui::field_error_text(lang, &kam::domain::validate::FieldError::Count)),
            "{refused}"
        );
        for _ in 0..3 {
            app.handle(&key(KeyCode::Backspace));
        }
        type_text(&mut app, "1,234");
        app.handle(&key(KeyCode::Enter));
        assert_eq!(pieces(&app, &id, last), 1234, "one service line: the month's pieces are the cell's");
        let saved = screen(&mut app, 80, 24);
        assert!(saved.contains("1,234"), "{saved}");
    }
}
