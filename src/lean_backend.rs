//! Fewer bytes for Chinese text over SSH.
//!
//! ratatui's diff leaves out the cell a wide character covers, so the
//! crossterm backend, seeing a gap, moves the cursor explicitly before the
//! next cell: eight bytes or so per Chinese character, a third of what a
//! screen of Chinese sends. The terminal has already stepped past the wide
//! character, so the covered cell is handed on as well, blank and styled like
//! the character: nothing is printed for it, and the next cell follows on.

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::layout::{Position, Size};
use unicode_width::UnicodeWidthStr;

/// Wraps a backend; see the module documentation.
pub struct LeanBackend<B> {
    inner: B,
}

impl<B> LeanBackend<B> {
    pub fn new(inner: B) -> LeanBackend<B> {
        LeanBackend { inner }
    }
}

impl<B: Backend> Backend for LeanBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let mut cells: Vec<(u16, u16, Cell)> = Vec::new();
        let mut content = content.peekable();
        while let Some((x, y, cell)) = content.next() {
            cells.push((x, y, cell.clone()));
            let width = u16::try_from(cell.symbol().width()).unwrap_or(u16::MAX);
            // Only when the next cell drawn is the one right after the wide
            // character: otherwise the backend must move the cursor anyway.
            let next_follows = content.peek().is_some_and(|&(nx, ny, _)| ny == y && Some(nx) == x.checked_add(width));
            if width > 1 && next_follows {
                for covered in 1..width {
                    let mut blank = cell.clone();
                    blank.set_symbol("");
                    cells.push((x + covered, y, blank));
                }
            }
        }
        self.inner.draw(cells.iter().map(|(x, y, cell)| (*x, *y, cell)))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.inner.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.inner.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use ratatui::backend::CrosstermBackend;
    use ratatui::style::{Color, Style};
    use ratatui::text::{Line, Span};
    use ratatui::widgets::Paragraph;
    use ratatui::{Terminal, TerminalOptions, Viewport};

    use super::*;

    fn frame(f: &mut ratatui::Frame) {
        let lines = vec![
            Line::from(vec![
                Span::raw("44010600001000 "),
                Span::styled("电信帐务中心", Style::new().fg(Color::Yellow)),
                Span::raw(" 钻石 ok"),
            ]),
            Line::from("ab电c信d 邮政 x"),
            Line::from(Span::styled("全宽：１１月２４日", Style::new().bg(Color::Blue))),
        ];
        f.render_widget(Paragraph::new(lines), f.area());
    }

    /// A fixed area: the size is not asked of a terminal (there is none here).
    fn options() -> TerminalOptions {
        TerminalOptions { viewport: Viewport::Fixed(ratatui::layout::Rect::new(0, 0, 40, 4)) }
    }

    /// Where the backend writes, kept readable after it is handed over.
    #[derive(Clone, Default)]
    struct Written(std::rc::Rc<std::cell::RefCell<Vec<u8>>>);

    impl std::io::Write for Written {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.borrow_mut().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn bytes_of(lean: bool) -> Vec<u8> {
        let out = Written::default();
        let backend = CrosstermBackend::new(out.clone());
        if lean {
            Terminal::with_options(LeanBackend::new(backend), options()).unwrap().draw(frame).unwrap();
        } else {
            Terminal::with_options(backend, options()).unwrap().draw(frame).unwrap();
        }
        out.0.borrow().clone()
    }

    #[test]
    fn the_screen_is_the_same_for_fewer_bytes() {
        // What a terminal shows of each, read back through a terminal emulator.
        let screen = |bytes: &[u8]| {
            let mut parser = vt100::Parser::new(30, 200, 0);
            parser.process(bytes);
            parser.screen().contents_formatted()
        };
        let (plain, lean) = (bytes_of(false), bytes_of(true));
        assert_eq!(screen(&lean), screen(&plain));
        assert!(lean.len() < plain.len(), "{} < {}", lean.len(), plain.len());
    }
}
