//! Colours as the terminal understands them.
//!
//! crossterm writes even the 16 ANSI colours as 256-colour codes (`38;5;1`),
//! which a vt100, the Linux console or an 8/16-colour xterm entry does not
//! know. This backend draws the cells itself with plain SGR: the 16 colours as
//! 30–37 / 90–97 (40–47 / 100–107 behind), an index as `38;5;n`, 24-bit as
//! `38;2;r;g;b` (the theme has already fitted each colour to the terminal, see
//! `theme::ColorDepth`). Cursor, clearing and sizes are crossterm's commands.
//! A region of rows scrolls with DECSTBM and SU/SD (`scroll_region_up`/`down`),
//! which every VT100 descendant knows.

use std::io::{self, Write};

use crossterm::cursor::{Hide, MoveTo, Show};
use crossterm::terminal::{Clear, ClearType as Region};
use crossterm::{execute, queue};
use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

pub struct AnsiBackend<W: Write> {
    writer: W,
    /// The size of what the writer stands for when it is not the terminal
    /// (a recording in tests); `None`: ask the terminal.
    size: Option<Size>,
}

impl<W: Write> AnsiBackend<W> {
    pub fn new(writer: W) -> AnsiBackend<W> {
        AnsiBackend { writer, size: None }
    }

    /// Writes to `writer` as to a terminal of `size` (no terminal is asked).
    pub fn with_size(writer: W, size: Size) -> AnsiBackend<W> {
        AnsiBackend { writer, size: Some(size) }
    }

    /// The terminal it stands for is now `size` (a recording resized).
    pub fn set_size(&mut self, size: Size) {
        self.size = Some(size);
    }

    pub fn writer(&self) -> &W {
        &self.writer
    }

    pub fn writer_mut(&mut self) -> &mut W {
        &mut self.writer
    }

    /// Rows `region` (half-open) scroll by `lines`, up (`S`) or down (`T`);
    /// then the whole screen is the scrolling region again.
    fn scroll(&mut self, region: std::ops::Range<u16>, lines: u16, up: bool) -> io::Result<()> {
        if lines == 0 || region.is_empty() {
            return Ok(());
        }
        let (top, bottom) = (u32::from(region.start) + 1, u32::from(region.end));
        let verb = if up { 'S' } else { 'T' };
        write!(self.writer, "\x1b[{top};{bottom}r\x1b[{lines}{verb}\x1b[r")
    }
}

/// The SGR sequence that sets exactly this look, from a reset: one sequence per
/// change of style, understood by any terminal that knows colours at all.
pub fn sgr(fg: Color, bg: Color, modifier: Modifier) -> String {
    let mut codes = vec!["0".to_string()];
    for (m, code) in MODIFIER_CODES {
        if modifier.contains(m) {
            codes.push(code.into());
        }
    }
    codes.extend(colour_code(fg, false));
    codes.extend(colour_code(bg, true));
    format!("\x1b[{}m", codes.join(";"))
}

/// How a cell is drawn: its colours and emphasis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Look {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

/// Emphasis that shows on a blank cell.
const SHOWS_ON_BLANK: Modifier = Modifier::UNDERLINED
    .union(Modifier::CROSSED_OUT)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::REVERSED);

impl Look {
    /// A blank drawn in `self` looks as one drawn in `other`: same
    /// background, nothing that shows on a blank (a foreground does not).
    fn same_on_blank(self, other: Look) -> bool {
        self.bg == other.bg
            && !self.modifier.contains(Modifier::REVERSED)
            && self.modifier.intersection(SHOWS_ON_BLANK) == other.modifier.intersection(SHOWS_ON_BLANK)
    }
}

/// The SGR sequence from the look `from` to `to`: only what changes when
/// nothing is taken away (a colour alone is `38;5;n`, not a reset and all).
fn change(from: Option<Look>, to: Look) -> String {
    let Some(from) = from.filter(|f| to.modifier.contains(f.modifier)) else {
        return sgr(to.fg, to.bg, to.modifier);
    };
    let mut codes: Vec<String> = Vec::new();
    for (m, code) in MODIFIER_CODES {
        if to.modifier.contains(m) && !from.modifier.contains(m) {
            codes.push(code.into());
        }
    }
    if to.fg != from.fg {
        codes.push(colour_code(to.fg, false).unwrap_or_else(|| "39".into()));
    }
    if to.bg != from.bg {
        codes.push(colour_code(to.bg, true).unwrap_or_else(|| "49".into()));
    }
    if codes.is_empty() { String::new() } else { format!("\x1b[{}m", codes.join(";")) }
}

const MODIFIER_CODES: [(Modifier, &str); 9] = [
    (Modifier::BOLD, "1"),
    (Modifier::DIM, "2"),
    (Modifier::ITALIC, "3"),
    (Modifier::UNDERLINED, "4"),
    (Modifier::SLOW_BLINK, "5"),
    (Modifier::RAPID_BLINK, "6"),
    (Modifier::REVERSED, "7"),
    (Modifier::HIDDEN, "8"),
    (Modifier::CROSSED_OUT, "9"),
];

fn colour_code(c: Color, background: bool) -> Option<String> {
    let (base, bright, extended) = if background { (40, 100, 48) } else { (30, 90, 38) };
    let named = crate::theme::ANSI16.iter().position(|n| *n == c);
    Some(match (c, named) {
        (Color::Reset, _) => return None,
        (_, Some(i)) if i < 8 => (base + i).to_string(),
        (_, Some(i)) => (bright + i - 8).to_string(),
        (Color::Indexed(i), None) => format!("{extended};5;{i}"),
        (Color::Rgb(r, g, b), None) => format!("{extended};2;{r};{g};{b}"),
        (_, None) => return None,
    })
}

impl<W: Write> Backend for AnsiBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let w = &mut self.writer;
        // The look the terminal draws with (`None`: not known, the first
        // change resets it) and where its cursor is.
        let mut look: Option<Look> = None;
        let mut cursor: Option<(u16, u16)> = None;
        let mut content = content.peekable();
        if content.peek().is_none() {
            return Ok(());
        }
        for (x, y, cell) in content {
            let symbol = cell.symbol();
            // A cell a wide character covers, handed on by `LeanBackend`: the
            // character has drawn it.
            if symbol.is_empty() {
                continue;
            }
            match cursor {
                Some((cx, cy)) if cy == y && cx == x => {}
                // Forward on the same row: four bytes rather than seven or so.
                Some((cx, cy)) if cy == y && cx < x => write!(w, "\x1b[{}C", x - cx)?,
                _ => queue!(w, MoveTo(x, y))?,
            }
            let this = Look { fg: cell.fg, bg: cell.bg, modifier: cell.modifier };
            let keep = look.is_some_and(|l| l == this || (symbol == " " && l.same_on_blank(this)));
            if !keep {
                w.write_all(change(look, this).as_bytes())?;
                look = Some(this);
            }
            w.write_all(symbol.as_bytes())?;
            let advance = u16::try_from(symbol.width()).unwrap_or(1);
            cursor = Some((x.saturating_add(advance), y));
        }
        w.write_all(b"\x1b[0m")
    }

    fn append_lines(&mut self, n: u16) -> io::Result<()> {
        for _ in 0..n {
            self.writer.write_all(b"\n")?;
        }
        self.writer.flush()
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        execute!(self.writer, Hide)
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        execute!(self.writer, Show)
    }

    fn get_cursor_position(&mut self) -> io::Result<Position> {
        crossterm::cursor::position().map(|(x, y)| Position { x, y })
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        let p = position.into();
        execute!(self.writer, MoveTo(p.x, p.y))
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        let region = match clear_type {
            ClearType::All => Region::All,
            ClearType::AfterCursor => Region::FromCursorDown,
            ClearType::BeforeCursor => Region::FromCursorUp,
            ClearType::CurrentLine => Region::CurrentLine,
            ClearType::UntilNewLine => Region::UntilNewLine,
        };
        execute!(self.writer, Clear(region))
    }

    fn size(&self) -> io::Result<Size> {
        if let Some(size) = self.size {
            return Ok(size);
        }
        let (width, height) = crossterm::terminal::size()?;
        Ok(Size { width, height })
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let size = crossterm::terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size { width: size.columns, height: size.rows },
            pixels: Size { width: size.width, height: size.height },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }

    fn scroll_region_up(&mut self, region: std::ops::Range<u16>, lines: u16) -> io::Result<()> {
        self.scroll(region, lines, true)
    }

    fn scroll_region_down(&mut self, region: std::ops::Range<u16>, lines: u16) -> io::Result<()> {
        self.scroll(region, lines, false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_16_colours_use_the_basic_codes() {
        assert_eq!(sgr(Color::Red, Color::Reset, Modifier::empty()), "\x1b[0;31m");
        assert_eq!(sgr(Color::LightCyan, Color::Blue, Modifier::BOLD), "\x1b[0;1;96;44m");
        assert_eq!(sgr(Color::Black, Color::White, Modifier::empty()), "\x1b[0;30;107m");
        assert_eq!(sgr(Color::Gray, Color::DarkGray, Modifier::empty()), "\x1b[0;37;100m");
        assert_eq!(sgr(Color::Indexed(203), Color::Reset, Modifier::UNDERLINED), "\x1b[0;4;38;5;203m");
        assert_eq!(
            sgr(Color::Rgb(255, 95, 95), Color::Rgb(0, 0, 0), Modifier::empty()),
            "\x1b[0;38;2;255;95;95;48;2;0;0;0m"
        );
    }

    /// What a terminal shows of the drawing is what ratatui asked for.
    #[test]
    fn a_terminal_reads_back_the_same_screen() {
        use ratatui::style::Style;
        use ratatui::text::{Line, Span};
        use ratatui::widgets::Paragraph;
        use ratatui::{Terminal, TerminalOptions, Viewport};
        let mut out = Vec::new();
        {
            let options = TerminalOptions { viewport: Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 30, 3)) };
            let mut terminal = Terminal::with_options(AnsiBackend::new(&mut out), options).unwrap();
            terminal
                .draw(|f| {
                    let line = Line::from(vec![
                        Span::styled("电信", Style::new().fg(Color::Yellow).bold()),
                        Span::styled(" ok ", Style::new().fg(Color::Black).bg(Color::LightCyan)),
                        Span::raw("钻石"),
                    ]);
                    f.render_widget(Paragraph::new(vec![line, Line::from("second")]), f.area());
                })
                .unwrap();
        }
        let mut parser = vt100::Parser::new(3, 30, 0);
        parser.process(&out);
        let screen = parser.screen();
        assert_eq!(screen.contents(), "电信 ok 钻石\nsecond");
        let cell = screen.cell(0, 0).unwrap();
        assert_eq!(cell.fgcolor(), vt100::Color::Idx(3));
        assert!(cell.bold());
        assert_eq!(screen.cell(0, 5).unwrap().bgcolor(), vt100::Color::Idx(14));
        assert!(!String::from_utf8_lossy(&out).contains("38;5;"), "no 256-colour codes for the 16");
    }
}
