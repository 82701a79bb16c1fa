//! Fewer bytes to the terminal, over SSH above all.
//!
//! Wide characters: ratatui's diff leaves out the cell a wide character
//! covers, so the backend, seeing a gap, moves the cursor explicitly before
//! the next cell: eight bytes or so per Chinese character, a third of what a
//! screen of Chinese sends. The terminal has already stepped past the wide
//! character, so the covered cell is handed on as well, blank and styled like
//! the character: nothing is printed for it, and the next cell follows on.
//!
//! Scrolling: a list that moves one row rewrites every row it shows, as far
//! as ratatui's diff can tell (each row now holds its neighbour's text). This
//! backend keeps a copy of what the terminal shows; when a block of whole
//! rows of the new frame is that copy's rows moved by n, it has the terminal
//! scroll that region by n (DECSTBM + SU/SD, ratatui's `scrolling-regions`)
//! and then writes only the cells that still differ: the row that came in
//! and the rows whose look changed (the selection).

use std::hash::{DefaultHasher, Hash, Hasher};
use std::ops::Range;

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Rect, Size};
use ratatui::style::Modifier;
use unicode_width::UnicodeWidthStr;

/// Wraps a backend; see the module documentation.
pub struct LeanBackend<B> {
    inner: B,
    /// What the terminal shows, cell by cell, as ratatui's own buffers model
    /// it (a cell a wide character covers is kept blank); `None` when not
    /// known (then frames pass through as ratatui diffs them, unscrolled,
    /// until the screen is cleared).
    shown: Option<Buffer>,
    /// Where the cursor was last put, for a clear that starts there.
    cursor: Option<Position>,
    /// Whether the cursor is shown, once told: ratatui hides it before every
    /// frame without one, and six bytes a frame add up.
    cursor_shown: Option<bool>,
}

impl<B: Backend> LeanBackend<B> {
    pub fn new(inner: B) -> LeanBackend<B> {
        // A new terminal screen (the alternate screen just entered) is blank,
        // as ratatui's first buffers are.
        let shown = inner.size().ok().map(|size| Buffer::empty(Rect::from((Position::ORIGIN, size))));
        LeanBackend { inner, shown, cursor: None, cursor_shown: None }
    }
}

impl<B> LeanBackend<B> {
    pub fn inner(&self) -> &B {
        &self.inner
    }

    pub fn inner_mut(&mut self) -> &mut B {
        &mut self.inner
    }
}

/// A region of rows to scroll and by how many: up (the rows move to the top)
/// when `up`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Scroll {
    rows: Range<u16>,
    by: u16,
    up: bool,
}

impl<B: Backend> Backend for LeanBackend<B> {
    type Error = B::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let content: Vec<(u16, u16, Cell)> = content.map(|(x, y, c)| (x, y, c.clone())).collect();
        let known =
            self.shown.take().filter(|shown| content.iter().all(|(x, y, _)| shown.area.contains((*x, *y).into())));
        let Some(mut shown) = known else {
            // Nothing known, or drawn where no screen of the size known is
            // (nothing is known any more): the frame goes as ratatui diffed it.
            let updates = lean(content.into_iter());
            return self.inner.draw(updates.iter().map(|(x, y, c)| (*x, *y, c)));
        };
        let mut next = shown.clone();
        for (x, y, cell) in content {
            next[(x, y)] = cell;
        }
        blank_covered(&mut next);
        if let Some(scroll) = best_scroll(&shown, &next) {
            if scroll.up {
                self.inner.scroll_region_up(scroll.rows.clone(), scroll.by)?;
            } else {
                self.inner.scroll_region_down(scroll.rows.clone(), scroll.by)?;
            }
            scroll_rows(&mut shown, &scroll);
        }
        let mut changed: Vec<(u16, u16)> = Vec::new();
        for (x, y, cell) in shown.diff(&next) {
            let was = &shown[(x, y)];
            // A wide character overwritten by a narrower one: what the
            // terminal leaves in the cells it covered varies (blank, in the
            // new colours or the old), so they are written whatever they hold.
            let (old, new) = (was.symbol().width(), cell.symbol().width().max(1));
            for covered in new..old {
                changed.extend(u16::try_from(covered).ok().and_then(|c| x.checked_add(c)).map(|cx| (cx, y)));
            }
            if same_blank(was, cell) {
                // A blank left as it was on screen stays as the terminal shows it.
                continue;
            }
            changed.push((x, y));
        }
        changed.sort_unstable_by_key(|(x, y)| (*y, *x));
        changed.dedup();
        changed.retain(|(x, y)| next.area.contains((*x, *y).into()));
        for (x, y) in shown.diff(&next).into_iter().map(|(x, y, _)| (x, y)).collect::<Vec<_>>() {
            if same_blank(&shown[(x, y)], &next[(x, y)])
                && changed.binary_search_by_key(&(y, x), |(cx, cy)| (*cy, *cx)).is_err()
            {
                next[(x, y)] = shown[(x, y)].clone();
            }
        }
        let changed: Vec<(u16, u16, Cell)> = changed.into_iter().map(|(x, y)| (x, y, next[(x, y)].clone())).collect();
        let updates = lean(changed.into_iter());
        self.shown = Some(next);
        self.cursor = None;
        self.inner.draw(updates.iter().map(|(x, y, c)| (*x, *y, c)))
    }

    fn append_lines(&mut self, n: u16) -> Result<(), Self::Error> {
        self.shown = None;
        self.inner.append_lines(n)
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        if self.cursor_shown == Some(false) {
            return Ok(());
        }
        self.cursor_shown = Some(false);
        self.inner.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        if self.cursor_shown == Some(true) {
            return Ok(());
        }
        self.cursor_shown = Some(true);
        self.inner.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.inner.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        let position = position.into();
        self.cursor = Some(position);
        self.inner.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)?;
        let size = self.inner.size().ok();
        let area = size.map(|size| Rect::from((Position::ORIGIN, size)));
        self.shown = match (clear_type, self.shown.take(), area, self.cursor) {
            (ClearType::All, _, Some(area), _) => Some(Buffer::empty(area)),
            (_, Some(mut shown), Some(area), Some(at)) if shown.area == area => {
                blank_from(&mut shown, clear_type, at);
                Some(shown)
            }
            _ => None,
        };
        Ok(())
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

    fn scroll_region_up(&mut self, region: Range<u16>, line_count: u16) -> Result<(), Self::Error> {
        if let Some(shown) = self.shown.as_mut() {
            scroll_rows(shown, &Scroll { rows: region.clone(), by: line_count, up: true });
        }
        self.inner.scroll_region_up(region, line_count)
    }

    fn scroll_region_down(&mut self, region: Range<u16>, line_count: u16) -> Result<(), Self::Error> {
        if let Some(shown) = self.shown.as_mut() {
            scroll_rows(shown, &Scroll { rows: region.clone(), by: line_count, up: false });
        }
        self.inner.scroll_region_down(region, line_count)
    }
}

/// Hands on, after each wide character drawn, the cells it covers (blank,
/// nothing printed) when the next cell drawn follows it, so the backend need
/// not move the cursor.
fn lean(content: impl Iterator<Item = (u16, u16, Cell)>) -> Vec<(u16, u16, Cell)> {
    let mut cells: Vec<(u16, u16, Cell)> = Vec::new();
    let mut content = content.peekable();
    while let Some((x, y, cell)) = content.next() {
        let width = u16::try_from(cell.symbol().width()).unwrap_or(u16::MAX);
        // Only when the next cell drawn is the one right after the wide
        // character: otherwise the backend must move the cursor anyway.
        let next_follows = content.peek().is_some_and(|(nx, ny, _)| *ny == y && Some(*nx) == x.checked_add(width));
        let blank = (width > 1 && next_follows).then(|| {
            let mut blank = cell.clone();
            blank.set_symbol("");
            blank
        });
        cells.push((x, y, cell));
        if let Some(blank) = blank {
            for covered in 1..width {
                cells.push((x + covered, y, blank.clone()));
            }
        }
    }
    cells
}

/// The cells wide characters cover, blank: what they hold is not shown, and
/// ratatui's buffers hold them blank (reset) too.
fn blank_covered(buf: &mut Buffer) {
    let width = usize::from(buf.area.width);
    for row in buf.content.chunks_mut(width.max(1)) {
        let mut x = 0;
        while x < row.len() {
            let w = row[x].symbol().width().max(1);
            let end = (x + w).min(row.len());
            for covered in &mut row[x + 1..end] {
                covered.reset();
            }
            x += w;
        }
    }
}

/// Emphasis that shows on a blank cell.
const SHOWS_ON_BLANK: Modifier = Modifier::UNDERLINED
    .union(Modifier::CROSSED_OUT)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK)
    .union(Modifier::REVERSED);

/// Two blank cells that look the same: the same background and nothing that
/// shows on a blank (a foreground or bold does not; reverse video does).
fn same_blank(a: &Cell, b: &Cell) -> bool {
    let shows = SHOWS_ON_BLANK;
    a.symbol() == " "
        && b.symbol() == " "
        && a.bg == b.bg
        && !a.modifier.contains(Modifier::REVERSED)
        && !b.modifier.contains(Modifier::REVERSED)
        && a.modifier.intersection(shows) == b.modifier.intersection(shows)
}

/// What a clear of `kind` from the cursor at `at` leaves: blank cells.
fn blank_from(buf: &mut Buffer, kind: ClearType, at: Position) {
    let width = usize::from(buf.area.width);
    let here = usize::from(at.y) * width + usize::from(at.x);
    let line = usize::from(at.y) * width;
    let range = match kind {
        ClearType::All => 0..buf.content.len(),
        ClearType::AfterCursor => here..buf.content.len(),
        ClearType::BeforeCursor => 0..here + 1,
        ClearType::CurrentLine => line..line + width,
        ClearType::UntilNewLine => here..line + width,
    };
    let end = range.end.min(buf.content.len());
    for cell in &mut buf.content[range.start.min(end)..end] {
        cell.reset();
    }
}

/// The rows of `buf`, each as one hash.
fn row_hashes(buf: &Buffer) -> Vec<u64> {
    buf.content
        .chunks(usize::from(buf.area.width).max(1))
        .map(|row| {
            let mut h = DefaultHasher::new();
            for cell in row {
                // Blanks as they look (see `same_blank`).
                if cell.symbol() == " " && !cell.modifier.contains(Modifier::REVERSED) {
                    (" ", cell.bg, cell.modifier.intersection(SHOWS_ON_BLANK)).hash(&mut h);
                } else {
                    cell.hash(&mut h);
                }
            }
            h.finish()
        })
        .collect()
}

/// The one scroll of a block of rows after which the fewest cells are left
/// to write, if it spares at least two rows' worth (a scroll costs some 14
/// bytes, a row far more). Candidates are the runs of whole rows of `next`
/// that are rows of `shown` moved by the same count; the region may reach a
/// row or two past the run (the row the selection left, say, whose text only
/// changes its look), whichever leaves less to write.
fn best_scroll(shown: &Buffer, next: &Buffer) -> Option<Scroll> {
    if shown.area != next.area {
        return None;
    }
    let (was, will) = (row_hashes(shown), row_hashes(next));
    let height = was.len();
    let width = usize::from(next.area.width);
    let row = |y: usize| -> std::ops::Range<usize> { y * width..(y + 1) * width };
    // About the bytes it takes to turn row `a` of `shown` (None: a blank row)
    // into row `b` of `next`.
    let blank_row = vec![Cell::EMPTY; width];
    let cost = |a: Option<usize>, b: usize| -> usize {
        let from = match a {
            Some(a) if was[a] == will[b] => return 0,
            Some(a) => &shown.content[row(a)],
            None => blank_row.as_slice(),
        };
        row_cost(from, &next.content[row(b)])
    };
    let mut best: Option<(usize, Scroll)> = None;
    for by in 1..height {
        for up in [true, false] {
            // Row y of the next frame is row y + by (up) or y - by (down) of the shown one.
            let source = |y: usize| if up { y.checked_add(by).filter(|s| *s < height) } else { y.checked_sub(by) };
            let mut y = 0;
            while y < height {
                if source(y).is_none_or(|s| was[s] != will[y]) {
                    y += 1;
                    continue;
                }
                let start = y;
                while y < height && source(y).is_some_and(|s| was[s] == will[y]) {
                    y += 1;
                }
                if y - start < 2 {
                    continue;
                }
                for extra in 0..3 {
                    // The region, and which of its rows come in blank.
                    let (rows, fresh) = if up {
                        let end = y + by + extra;
                        if end > height {
                            break;
                        }
                        (start..end, end - by..end)
                    } else {
                        let Some(top) = start.checked_sub(by + extra) else { break };
                        (top..y, top..top + by)
                    };
                    let before: usize = rows.clone().map(|r| cost(Some(r), r)).sum();
                    let after: usize = rows
                        .clone()
                        .map(|r| {
                            let from = if fresh.contains(&r) {
                                None
                            } else if up {
                                Some(r + by)
                            } else {
                                Some(r - by)
                            };
                            cost(from, r)
                        })
                        .sum();
                    let gain = before.saturating_sub(after);
                    if gain >= 2 * MOVE_COST && best.as_ref().is_none_or(|(g, _)| gain > *g) {
                        let rows = cells(rows.start)..cells(rows.end);
                        best = Some((gain, Scroll { rows, by: cells(by), up }));
                    }
                }
            }
        }
    }
    best.map(|(_, scroll)| scroll)
}

/// About what moving the cursor, or changing the colours, costs in bytes.
const MOVE_COST: usize = 6;
const LOOK_COST: usize = 10;

/// About the bytes that turn the row `from` into `to`: the text of each cell
/// that differs, a cursor move before each run of them, a colour change
/// wherever the look changes.
fn row_cost(from: &[Cell], to: &[Cell]) -> usize {
    let mut bytes = 0;
    let mut last: Option<&Cell> = None;
    let mut in_run = false;
    for (a, b) in from.iter().zip(to) {
        if a == b || same_blank(a, b) {
            in_run = false;
            continue;
        }
        bytes += b.symbol().len();
        if !in_run {
            bytes += MOVE_COST;
        }
        if last.is_none_or(|l| (l.fg, l.bg, l.modifier) != (b.fg, b.bg, b.modifier)) {
            bytes += LOOK_COST;
        }
        last = Some(b);
        in_run = true;
    }
    bytes
}

fn cells(n: usize) -> u16 {
    u16::try_from(n).unwrap_or(u16::MAX)
}

/// What the terminal does to its rows on `scroll`: they move, blank rows come in.
fn scroll_rows(buf: &mut Buffer, scroll: &Scroll) {
    let width = usize::from(buf.area.width);
    let height = usize::from(buf.area.height);
    let (top, bottom) = (usize::from(scroll.rows.start).min(height), usize::from(scroll.rows.end).min(height));
    if top >= bottom {
        return;
    }
    let region = &mut buf.content[top * width..bottom * width];
    let by = (usize::from(scroll.by) * width).min(region.len());
    if scroll.up {
        region.rotate_left(by);
        let len = region.len();
        region[len - by..].fill(Cell::EMPTY);
    } else {
        region.rotate_right(by);
        region[..by].fill(Cell::EMPTY);
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

    /// Rows of text, some styled, with wide characters at both edges.
    fn rows(first: usize, height: u16) -> Vec<Line<'static>> {
        (first..first + usize::from(height))
            .map(|i| match i % 4 {
                0 => Line::from(vec![
                    Span::styled(format!("电{i:03} 客户"), Style::new().fg(Color::Yellow)),
                    Span::raw(" ".repeat(20)),
                    Span::styled("尾", Style::new().bg(Color::Blue)),
                ]),
                1 => Line::from(Span::styled(format!("row {i} 大客户中心 钻石"), Style::new().bold())),
                2 => Line::from(format!("ab{i}电c信d 邮政 全宽：１１月")),
                _ => Line::from(Span::styled(format!("{i} x"), Style::new().fg(Color::Black).bg(Color::LightCyan))),
            })
            .collect()
    }

    /// A list of `height` rows from `first`, the `selected` one reversed, under a
    /// title and over a status line that stay put.
    fn list(f: &mut ratatui::Frame, first: usize, selected: usize) {
        let area = f.area();
        let body = ratatui::layout::Rect { y: 1, height: area.height - 2, ..area };
        let mut lines = rows(first, body.height);
        if let Some(line) = selected.checked_sub(first).and_then(|i| lines.get_mut(i)) {
            *line = line.clone().style(Style::new().reversed());
        }
        f.render_widget(Paragraph::new("标题 title"), ratatui::layout::Rect { height: 1, ..area });
        f.render_widget(Paragraph::new(lines), body);
        let bottom = ratatui::layout::Rect { y: area.height - 1, height: 1, ..area };
        f.render_widget(Paragraph::new(format!("第 {selected} 行")), bottom);
    }

    fn shows(parser: &vt100::Parser, buf: &Buffer) {
        let screen = parser.screen();
        for y in 0..buf.area.height {
            let mut x = 0;
            while x < buf.area.width {
                let want = &buf[(x, y)];
                let got = screen.cell(y, x).unwrap();
                let text = if got.contents().is_empty() { " " } else { got.contents() };
                assert_eq!(text, want.symbol(), "({x},{y}): {:?}", screen.contents());
                assert_eq!(got.inverse(), want.modifier.contains(ratatui::style::Modifier::REVERSED), "({x},{y})");
                if want.symbol() != " " {
                    assert_eq!(got.bold(), want.modifier.contains(ratatui::style::Modifier::BOLD), "({x},{y})");
                }
                assert_eq!(got.bgcolor() == vt100::Color::Default, want.bg == Color::Reset, "({x},{y})");
                x += u16::try_from(want.symbol().width().max(1)).unwrap();
            }
        }
    }

    /// Scrolls down and up one row and a few, with a resize in between: the
    /// terminal, replayed, shows each frame as drawn, and a one-row scroll
    /// is sent as a scroll region.
    #[test]
    fn scrolled_frames_replay_to_the_frames_drawn() {
        use crate::ansi_backend::AnsiBackend;
        let mut size = ratatui::layout::Size::new(30, 12);
        let backend = LeanBackend::new(AnsiBackend::with_size(Vec::new(), size));
        let mut terminal = Terminal::new(backend).unwrap();
        let mut parser = vt100::Parser::new(size.height, size.width, 0);
        let mut scrolls = 0;
        let steps: Vec<(usize, usize)> = (0..8)
            .map(|i| (i, i + 9))
            .chain((0..8).rev().map(|i| (i, i)))
            .chain([(3, 5), (20, 22), (17, 17)])
            .chain((17..25).map(|i| (i, i + 9)))
            .collect();
        for (n, (first, selected)) in steps.into_iter().enumerate() {
            if n == 18 {
                size = ratatui::layout::Size::new(24, 10);
                terminal.backend_mut().inner_mut().set_size(size);
                parser.screen_mut().set_size(size.height, size.width);
            }
            let drawn = terminal.draw(|f| list(f, first, selected)).unwrap().buffer.clone();
            let out = std::mem::take(terminal.backend_mut().inner_mut().writer_mut());
            let text = String::from_utf8_lossy(&out);
            scrolls += usize::from(text.contains('S') && text.contains("r\x1b["));
            parser.process(&out);
            shows(&parser, &drawn);
        }
        assert!(scrolls >= 10, "{scrolls} scrolls");
    }
}
