//! Bytes to the terminal per cursor move (issue 19): the real app, drawn
//! through kam's own backends (`LeanBackend` over `AnsiBackend`) into a
//! `Vec<u8>` at 120×40, on a demo database. The list scrolls line by line and
//! the backend has the terminal scroll the rows it already shows, so a move
//! costs the rows that change, not the page. What was written is replayed
//! through a terminal emulator (`vt100`) and must show exactly the buffer
//! ratatui drew.

use crossterm::event::KeyCode;
use kam::ansi_backend::AnsiBackend;
use kam::app::App;
use kam::i18n::Lang;
use kam::lean_backend::LeanBackend;
use kam::theme::{ColorDepth, Theme};
use ratatui::Terminal;
use ratatui::buffer::Buffer;
use ratatui::layout::Size;
use ratatui::style::{Color, Modifier};

use crate::support::{app_on, demo_db, key};

const COLS: u16 = 120;
const ROWS: u16 = 40;

type Tui = Terminal<LeanBackend<AnsiBackend<Vec<u8>>>>;

/// The app as a user on an xterm-256color sees it, with what it writes kept.
struct Recorded {
    app: App,
    terminal: Tui,
    /// Everything written since the start, replayed on a terminal emulator.
    screen: vt100::Parser,
    /// The buffer of the last frame drawn.
    drawn: Buffer,
}

impl Recorded {
    fn new(mut app: App, size: Size) -> Recorded {
        app.ctx.theme = Theme::load_for("dark", None, ColorDepth::Ansi256).unwrap();
        let backend = LeanBackend::new(AnsiBackend::with_size(Vec::new(), size));
        let terminal = Terminal::new(backend).unwrap();
        let screen = vt100::Parser::new(size.height, size.width, 0);
        let mut r = Recorded { app, terminal, screen, drawn: Buffer::default() };
        r.draw();
        r
    }

    /// Draws a frame; the bytes it wrote.
    fn draw(&mut self) -> usize {
        let app = &mut self.app;
        self.drawn = self.terminal.draw(|f| app.draw(f)).unwrap().buffer.clone();
        let out = std::mem::take(self.terminal.backend_mut().inner_mut().writer_mut());
        self.screen.process(&out);
        out.len()
    }

    /// Presses a key as the event loop does (handle, then draw); the bytes written.
    fn press(&mut self, code: KeyCode) -> usize {
        self.app.handle(&key(code));
        let bytes = self.draw();
        self.assert_shown();
        bytes
    }

    fn resize(&mut self, size: Size) -> usize {
        self.terminal.backend_mut().inner_mut().set_size(size);
        self.screen.screen_mut().set_size(size.height, size.width);
        self.app.handle(&kam::msg::Msg::Resize(size.width, size.height));
        let bytes = self.draw();
        self.assert_shown();
        bytes
    }

    /// The emulator shows what ratatui drew, cell by cell: text, colours, emphasis.
    fn assert_shown(&self) {
        assert_same(&self.screen, &self.drawn);
    }
}

/// The terminal emulator's screen is `buf`, cell by cell.
pub fn assert_same(parser: &vt100::Parser, buf: &Buffer) {
    let screen = parser.screen();
    for y in 0..buf.area.height {
        let mut x = 0;
        while x < buf.area.width {
            let want = &buf[(x, y)];
            let got = screen.cell(y, x).unwrap_or_else(|| panic!("no cell at {x},{y}"));
            let symbol = if want.symbol().is_empty() { " " } else { want.symbol() };
            let shown = if got.contents().is_empty() { " " } else { got.contents() };
            let at = || format!("at ({x},{y}); row {y} on screen: {:?}", screen.contents().lines().nth(y.into()));
            assert_eq!(shown, symbol, "text {}", at());
            // A blank shows its background, not its foreground (unless reversed).
            let blank = symbol == " " && !want.modifier.contains(Modifier::REVERSED);
            if !blank {
                assert_eq!(got.fgcolor(), colour(want.fg), "foreground {}", at());
                assert_eq!(got.bold(), want.modifier.contains(Modifier::BOLD), "bold {}", at());
            }
            assert_eq!(got.bgcolor(), colour(want.bg), "background {}", at());
            assert_eq!(got.underline(), want.modifier.contains(Modifier::UNDERLINED), "underline {}", at());
            assert_eq!(got.inverse(), want.modifier.contains(Modifier::REVERSED), "reverse {}", at());
            x += u16::try_from(unicode_width::UnicodeWidthStr::width(symbol).max(1)).unwrap();
        }
    }
}

fn colour(c: Color) -> vt100::Color {
    match c {
        Color::Reset => vt100::Color::Default,
        Color::Indexed(i) => vt100::Color::Idx(i),
        Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
        named => {
            let i = kam::theme::ANSI16.iter().position(|n| *n == named).expect("a named colour");
            vt100::Color::Idx(u8::try_from(i).unwrap())
        }
    }
}

/// Mean and largest of a walk's bytes per move.
fn summary(bytes: &[usize]) -> (f64, usize) {
    let mean = bytes.iter().sum::<usize>() as f64 / bytes.len() as f64;
    (mean, bytes.iter().copied().max().unwrap_or(0))
}

/// On a few hundred customers at 120×40: a walk down 200 rows and back up,
/// then a page down and up, writes under 300 bytes a move on average and
/// never a kilobyte; the screen stays right all along.
#[test]
fn a_cursor_move_writes_a_few_hundred_bytes() {
    let (_dir, db) = demo_db(400);
    let mut r = Recorded::new(app_on(&db, Lang::Zh, "guanli"), Size::new(COLS, ROWS));
    r.assert_shown();
    let mut bytes = Vec::new();
    for _ in 0..200 {
        bytes.push(r.press(KeyCode::Down));
    }
    let (down_mean, down_max) = summary(&bytes);
    for _ in 0..200 {
        bytes.push(r.press(KeyCode::Up));
    }
    for code in [KeyCode::PageDown, KeyCode::PageUp] {
        bytes.push(r.press(code));
    }
    let (mean, max) = summary(&bytes);
    println!(
        "bytes per move at {COLS}×{ROWS}: mean {mean:.0} B, max {max} B (down alone: {down_mean:.0} / {down_max})"
    );
    assert!(mean < 300.0, "mean {mean:.0} B per move: {bytes:?}");
    assert!(max < 1024, "a move wrote {max} B: {bytes:?}");
}

/// The screen stays what ratatui drew through a walk that scrolls both ways
/// past the loaded window, a search (styled matches), a resize narrower and
/// back, and page keys.
#[test]
fn the_terminal_shows_what_was_drawn_through_scrolls_and_a_resize() {
    let (_dir, db) = demo_db(300);
    let mut r = Recorded::new(app_on(&db, Lang::Zh, "guanli"), Size::new(COLS, ROWS));
    for _ in 0..60 {
        r.press(KeyCode::Down);
    }
    r.resize(Size::new(90, 30));
    for _ in 0..40 {
        r.press(KeyCode::Down);
    }
    for _ in 0..50 {
        r.press(KeyCode::Up);
    }
    r.resize(Size::new(COLS, ROWS));
    for code in [KeyCode::PageDown, KeyCode::PageDown, KeyCode::PageUp, KeyCode::End, KeyCode::Up, KeyCode::Home] {
        r.press(code);
    }
    for c in ['/', 'g', 'z'] {
        r.press(KeyCode::Char(c));
    }
    for _ in 0..30 {
        r.press(KeyCode::Down);
    }
}
