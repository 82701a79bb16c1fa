//! The main screens at 120×40 (the other snapshots are 80×24 or 30 rows), on
//! the demo as a user opens it (with its deals, complaints and comments):
//! what a larger terminal shows, reviewed like code. Every screen in Chinese,
//! the ones with the most text in English too.

use crate::support;

use crossterm::event::KeyCode;
use kam::app::App;
use kam::i18n::Lang;
use support::{full_demo_db, key, screen, today_on, type_text};
use unicode_width::UnicodeWidthStr;

const COLS: u16 = 120;
const ROWS: u16 = 40;

fn tag(lang: Lang) -> &'static str {
    if lang == Lang::Zh { "zh" } else { "en" }
}

/// The screen at 120×40, checked to use the room: some row runs past the 80
/// columns a small terminal has, and the status bar is on the last row.
fn wide(app: &mut App, what: &str) -> String {
    let shown = screen(app, COLS, ROWS);
    let rows: Vec<&str> = shown.lines().collect();
    assert_eq!(rows.len(), usize::from(ROWS), "{what}");
    assert!(rows.iter().any(|r| r.width() > 80), "{what}: nothing past column 80\n{shown}");
    assert!(rows[rows.len() - 1].contains(" · "), "{what}: no status bar at the bottom\n{shown}");
    shown
}

/// Key `c` pressed on the app, then the screen at 120×40 named `what_lang`.
fn after(app: &mut App, c: char, what: &str, lang: Lang) -> String {
    app.handle(&key(KeyCode::Char(c)));
    let shown = wide(app, what);
    insta::assert_snapshot!(format!("{what}_{}", tag(lang)), &shown);
    shown
}

#[test]
fn an_account_managers_screens_at_120x40() {
    let (_dir, path) = full_demo_db(200);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = today_on(&path, lang, "jingli01");
        let today = wide(&mut app, "today");
        insta::assert_snapshot!(format!("today_{}", tag(lang)), &today);

        let list = after(&mut app, '2', "customers", lang);
        assert!(list.lines().filter(|l| l.starts_with("4401")).count() > 30, "a row on each line: {list}");
        // The dossier of 电信帐务中心, found by its initials.
        app.handle(&key(KeyCode::Char('/')));
        type_text(&mut app, "dxzw");
        app.handle(&key(KeyCode::Enter));
        let dossier = wide(&mut app, "dossier");
        assert!(dossier.contains("电信帐务中心"), "{dossier}");
        insta::assert_snapshot!(format!("dossier_{}", tag(lang)), &dossier);
        app.handle(&key(KeyCode::Esc));

        let month = after(&mut app, '3', "calendar_month", lang);
        app.handle(&key(KeyCode::Char('v')));
        let week = wide(&mut app, "calendar_week");
        assert_ne!(month, week, "v turns the month into the week");
        insta::assert_snapshot!(format!("calendar_week_{}", tag(lang)), &week);

        after(&mut app, '4', "standards", lang);
        after(&mut app, '5', "complaints", lang);
        after(&mut app, '6', "log", lang);
    }
}

#[test]
fn a_supervisors_analysis_at_120x40() {
    let (_dir, path) = full_demo_db(200);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = today_on(&path, lang, "zhuguan");
        let shown = after(&mut app, '7', "analysis", lang);
        assert!(shown.contains("2026-10"), "the last month entered: {shown}");
    }
}

#[test]
fn the_administrators_set_up_at_120x40() {
    let (_dir, path) = full_demo_db(200);
    for lang in [Lang::Zh, Lang::En] {
        let mut app = today_on(&path, lang, "guanli");
        after(&mut app, '0', "setup", lang);
    }
}
