//! Drives the real `App` the way the event loop does: messages in, frames out,
//! on a demo database built by the deterministic generator with a fixed clock.
#![allow(dead_code)]

use chrono::{NaiveDate, NaiveDateTime};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use kam::app::App;
use kam::ctx::{Clock, Ctx};
use kam::db::{Store, reference};
use kam::demo::{DemoOptions, generate};
use kam::domain::tier::TierPreset;
use kam::i18n::Lang;
use kam::keymap::Keymap;
use kam::msg::Msg;
use kam::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use tempfile::TempDir;
use unicode_width::UnicodeWidthStr;

pub const SEED: u64 = 7;

pub fn now() -> NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap().and_hms_opt(9, 0, 0).unwrap()
}

/// A demo database in a temporary directory (kept alive by the returned guard),
/// without the demo's daily work: most screen tests count from an empty
/// marketing log and complaint book. [`full_demo_db`] has it.
pub fn demo_db(customers: usize) -> (TempDir, std::path::PathBuf) {
    demo_db_with(customers, false)
}

/// The demo as a user opens it: with marketing-log deals, supervisors'
/// comments, complaints in every state and explained fluctuations.
pub fn full_demo_db(customers: usize) -> (TempDir, std::path::PathBuf) {
    demo_db_with(customers, true)
}

fn demo_db_with(customers: usize, activity: bool) -> (TempDir, std::path::PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("kam.db");
    let mut store = Store::open(&path).unwrap();
    let options = DemoOptions {
        customers,
        seed: SEED,
        today: now().date(),
        os_login: None,
        preset: TierPreset::GuangdongScore,
        visits: None,
        activity,
    };
    generate(&mut store, &options).unwrap();
    (dir, path)
}

pub fn today_on(path: &std::path::Path, lang: Lang, login: &str) -> App {
    app_with_clock(path, lang, login, Clock::Fixed(now()))
}

/// The app on Today with a clock of the test's choosing (e.g. a `Clock::Manual`
/// the test moves across midnight).
pub fn app_with_clock(path: &std::path::Path, lang: Lang, login: &str, clock: Clock) -> App {
    let store = Store::open(path).unwrap();
    let user = reference::staff_by_login(store.conn(), login).unwrap().expect("demo staff login");
    let ctx = Ctx {
        reference: reference::load(store.conn()).unwrap(),
        store,
        user,
        lang,
        theme: Theme::load("dark", None, false).unwrap(),
        keymap: Keymap::default_map(),
        clock,
        preset: TierPreset::GuangdongScore,
        standard: kam::domain::visit_standard::StandardPreset::default(),
        money_unit: Default::default(),
        status_rules: Default::default(),
        reader: Default::default(),
    };
    App::new(ctx)
}

/// The app on the customer list (it opens on Today).
pub fn app_on(path: &std::path::Path, lang: Lang, login: &str) -> App {
    let mut app = today_on(path, lang, login);
    app.handle(&key(KeyCode::Char('2')));
    app
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// Types text one character at a time, as a terminal delivers it.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.handle(&key(KeyCode::Char(c)));
    }
}

pub fn press(app: &mut App, codes: &[KeyCode]) {
    for c in codes {
        app.handle(&key(*c));
    }
}

pub fn render(app: &mut App, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| app.draw(f)).unwrap();
    terminal.backend().buffer().clone()
}

/// The buffer as lines of text; a wide character's second cell is skipped.
pub fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut x = 0;
        let mut line = String::new();
        while x < buf.area.width {
            let sym = buf[(x, y)].symbol();
            line.push_str(sym);
            x += u16::try_from(UnicodeWidthStr::width(sym).max(1)).expect("a character is 1 or 2 cells wide");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

pub fn screen(app: &mut App, width: u16, height: u16) -> String {
    text(&render(app, width, height))
}
