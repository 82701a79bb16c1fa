//! The one table every list of rows is drawn with, over ratatui's `Table`:
//! columns sized by priority (the least needed dropped first, the most
//! needed widened first, never wider than useful), cells cut with `…` by
//! display width (a CJK character is two columns), the same header look and
//! sort arrow everywhere, and one way of keeping the selection in view.
//!
//! The selection is kept in view the way long lists need it over SSH: when
//! it leaves the view, the view jumps to put it in the middle (see
//! [`jump_visible`]), so holding a key redraws the rows once per half page
//! and the moves between cost only the two lines that change. A list whose
//! view is [`Viewport::line_by_line`] (the customers) moves one row at a time
//! instead: the terminal scrolls the rows it already shows
//! (`crate::lean_backend`), so a step costs the new row, not a page.
//!
//! A table is given its row count and asked for the rows it shows, one at a
//! time: a list paged through SQL (the customers) hands over only the rows
//! it has loaded, and never builds a row nobody sees.

use std::borrow::Cow;

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell as RCell, Paragraph, Row as RRow, Table};
use unicode_width::UnicodeWidthChar;

use super::scroll::{jump_visible, keep_visible};
use super::text::{cells, clean, width};
use crate::theme::Slot;
use crate::theme::Theme;

/// Columns are one space apart.
const SPACING: u16 = 1;

/// One column: its title, how wide it may be, and how much it matters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    title: Cow<'static, str>,
    /// Narrower than this the column is not drawn at all.
    min: u16,
    /// The width it is given before any column that matters less is shown.
    want: u16,
    /// It never grows wider than this (`u16::MAX`: it takes what is left).
    max: u16,
    /// 0 matters most; on a narrow screen the highest numbers go first, on a
    /// wide one the lowest numbers grow first.
    priority: u8,
    right: bool,
}

impl Column {
    /// A column of one width (dates, codes, labels).
    pub fn fixed(title: impl Into<Cow<'static, str>>, width: u16) -> Column {
        Column { title: title.into(), min: width, want: width, max: width, priority: 0, right: false }
    }

    /// A column of names: at least `min`, `want` before less important columns
    /// are shown, growing up to `max` when there is room to spare.
    pub fn flex(title: impl Into<Cow<'static, str>>, min: u16, want: u16, max: u16) -> Column {
        Column { title: title.into(), min, want: want.max(min), max: max.max(want).max(min), priority: 0, right: false }
    }

    /// Free text that takes whatever room is left (at least `min`).
    pub fn fill(title: impl Into<Cow<'static, str>>, min: u16) -> Column {
        Column { title: title.into(), min, want: min, max: u16::MAX, priority: 0, right: false }
    }

    /// How much the column matters (0, the default, most).
    pub fn priority(mut self, priority: u8) -> Column {
        self.priority = priority;
        self
    }

    /// Right-aligned (amounts, counts, changes).
    pub fn right(mut self) -> Column {
        self.right = true;
        self
    }
}

/// The display width of the widest of `texts`, at most `cap`: a column as wide
/// as the labels or names that can appear in it (not those on screen, so it does
/// not change width while scrolling).
pub fn widest<'a>(texts: impl IntoIterator<Item = &'a str>, cap: u16) -> u16 {
    texts.into_iter().map(|t| cells(width(t)).min(cap)).max().unwrap_or(0)
}

/// The widths of `columns` in `width` cells, `None` for a column not drawn.
///
/// Columns are taken by priority (then from the left) at the width they want
/// while they fit, or at their minimum; one that does not fit even so is left
/// out, and a later, narrower one may still come in. Then columns left out come in if the columns shown
/// can shrink toward their minimum to make room. What is left widens the
/// columns shown, most important first, each up to its maximum; the rest of
/// the row stays blank rather than stretching a column beyond use.
/// Every width is at least its title's (plus `extra_title` for a sort arrow).
pub fn column_widths(columns: &[Column], width: u16, extra_title: u16) -> Vec<Option<u16>> {
    let title_w = |c: &Column| cells(self::width(&c.title)).saturating_add(extra_title);
    let min: Vec<u16> = columns.iter().map(|c| c.min.max(title_w(c))).collect();
    let want: Vec<u16> = columns.iter().zip(&min).map(|(c, m)| c.want.max(*m)).collect();
    let max: Vec<u16> = columns.iter().zip(&want).map(|(c, w)| c.max.max(*w)).collect();
    let mut order: Vec<usize> = (0..columns.len()).collect();
    order.sort_by_key(|&i| (columns[i].priority, i));

    let mut widths: Vec<Option<u16>> = vec![None; columns.len()];
    let used = |widths: &[Option<u16>]| -> u16 {
        let shown: Vec<u16> = widths.iter().flatten().copied().collect();
        let gaps = cells(shown.len()).saturating_sub(1).saturating_mul(SPACING);
        shown.iter().fold(gaps, |sum, w| sum.saturating_add(*w))
    };
    let gap_for = |widths: &[Option<u16>]| if widths.iter().any(Option::is_some) { SPACING } else { 0 };
    // At the width they want while they fit, else at their minimum if that
    // fits: a column that matters more comes in before one that matters less.
    for &i in &order {
        let start = used(&widths).saturating_add(gap_for(&widths));
        if start.saturating_add(want[i]) <= width {
            widths[i] = Some(want[i]);
        } else if start.saturating_add(min[i]) <= width {
            widths[i] = Some(min[i]);
        }
    }
    // Those left out, if the ones shown can give up room down to their minimum.
    for &i in &order {
        if widths[i].is_some() {
            continue;
        }
        // Only columns that matter no more than this one give up room for it.
        let gives = |j: usize| columns[j].priority >= columns[i].priority;
        let need = used(&widths).saturating_add(gap_for(&widths)).saturating_add(min[i]);
        let spare: u16 = (0..columns.len()).filter(|&j| gives(j)).map(|j| widths[j].map_or(0, |w| w - min[j])).sum();
        if need > width.saturating_add(spare) {
            continue;
        }
        let mut over = need.saturating_sub(width);
        // The least important give first.
        for &j in order.iter().rev().filter(|&&j| gives(j)) {
            if let Some(w) = widths[j] {
                let give = (w - min[j]).min(over);
                widths[j] = Some(w - give);
                over -= give;
            }
        }
        widths[i] = Some(min[i]);
    }
    // A single column too wide for the screen is still drawn, cut.
    if widths.iter().all(Option::is_none)
        && let Some(&first) = order.first()
    {
        widths[first] = Some(width);
    }
    // Room to spare widens the most important first, up to their maximum.
    for &i in &order {
        let left = width.saturating_sub(used(&widths));
        if let Some(w) = widths[i] {
            widths[i] = Some(w.saturating_add(left.min(max[i] - w.min(max[i]))));
        }
    }
    widths
}

/// One cell: its text (spans keep their own style, e.g. a search match) and
/// the style of what it means (a tier's colour), which the selection covers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell<'a> {
    line: Line<'a>,
    style: Style,
}

impl<'a> Cell<'a> {
    /// Text from the user or the database: characters that could move the
    /// cursor or reorder the text are shown as �.
    pub fn text(text: &str) -> Cell<'a> {
        Cell { line: Line::from(clean(text)), style: Style::default() }
    }

    /// Spans already cleaned, each keeping its style (matches stay marked on
    /// the selected row).
    pub fn spans(spans: Vec<Span<'a>>) -> Cell<'a> {
        Cell { line: Line::from(spans), style: Style::default() }
    }

    /// The style of what the cell says; the selected row draws over it.
    pub fn style(mut self, style: Style) -> Cell<'a> {
        self.style = style;
        self
    }
}

impl<'a> From<&str> for Cell<'a> {
    fn from(text: &str) -> Cell<'a> {
        Cell::text(text)
    }
}

impl<'a> From<String> for Cell<'a> {
    fn from(text: String) -> Cell<'a> {
        Cell::text(&text)
    }
}

/// One row: a cell per column (cells of columns not shown are skipped), or
/// a heading across the whole width that groups the rows below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<'a> {
    cells: Vec<Cell<'a>>,
    heading: Option<Line<'a>>,
    style: Style,
}

impl<'a> Row<'a> {
    pub fn new(cells: Vec<Cell<'a>>) -> Row<'a> {
        Row { cells, heading: None, style: Style::default() }
    }

    /// A heading line across the table (a day in an agenda, a section).
    pub fn heading(text: &str, style: Style) -> Row<'a> {
        Row { cells: Vec::new(), heading: Some(Line::from(Span::styled(clean(text), style))), style: Style::default() }
    }

    /// The row's look when it is not selected (muted when archived, alert when late).
    pub fn style(mut self, style: Style) -> Row<'a> {
        self.style = style;
        self
    }
}

/// Where a table's view starts and how tall it was last drawn: kept by the
/// screen between frames, so keys can page by the height seen and know which
/// rows the next frame shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Viewport {
    pub offset: usize,
    /// Rows of the last frame (0 before the first).
    pub height: usize,
    /// Moves only as far as the selection needs (one row per step at the
    /// edge) rather than jumping half a page.
    pub line_by_line: bool,
}

impl Viewport {
    /// A view that scrolls one row at a time when the selection reaches its edge.
    pub fn line_by_line() -> Viewport {
        Viewport { line_by_line: true, ..Viewport::default() }
    }

    /// Moves the view, if it must, so that `selected` of `len` rows is in it;
    /// the rows it then shows.
    pub fn follow(&mut self, selected: usize, len: usize) -> std::ops::Range<usize> {
        self.offset = if self.line_by_line {
            keep_visible(selected, self.offset, self.height).min(len.saturating_sub(self.height))
        } else {
            jump_visible(selected, self.offset, self.height, len)
        };
        self.offset..(self.offset + self.height).min(len)
    }

    /// Rows a page key moves by: the height seen, less one row of context.
    pub fn page(&self) -> usize {
        self.height.saturating_sub(1).max(1)
    }
}

/// A table ready to draw: columns, and how its header reads.
pub struct DataTable<'t> {
    theme: &'t Theme,
    columns: Vec<Column>,
    /// The sorted column and whether it is descending: an arrow in its title.
    sort: Option<(usize, bool)>,
    /// Room for the arrow in every title (tables sortable by any column).
    sortable: bool,
    header: bool,
    empty: Option<&'t str>,
    /// The selection's look covers only this many leading columns shown
    /// (`None`: the whole row).
    select_columns: Option<usize>,
}

impl<'t> DataTable<'t> {
    pub fn new(theme: &'t Theme, columns: Vec<Column>) -> DataTable<'t> {
        DataTable { theme, columns, sort: None, sortable: false, header: true, empty: None, select_columns: None }
    }

    /// Every column can carry the sort arrow; `column` carries it now.
    pub fn sorted_by(mut self, column: Option<usize>, descending: bool) -> DataTable<'t> {
        self.sort = column.map(|c| (c, descending));
        self.sortable = true;
        self
    }

    /// No header line (a pick list, a summary).
    pub fn without_header(mut self) -> DataTable<'t> {
        self.header = false;
        self
    }

    /// The selection shows on the first `n` columns shown only (those that
    /// name the row); the rest keep their colours. Moving the selection then
    /// rewrites those cells, not the whole width: the customer list, walked
    /// over SSH on a wide terminal.
    pub fn select_columns(mut self, n: usize) -> DataTable<'t> {
        self.select_columns = Some(n);
        self
    }

    /// What to say under the header when there are no rows.
    pub fn empty(mut self, text: &'t str) -> DataTable<'t> {
        self.empty = Some(text);
        self
    }

    /// The widths the columns get in `width` cells (`None`: not drawn).
    pub fn widths(&self, width: u16) -> Vec<Option<u16>> {
        column_widths(&self.columns, width, u16::from(self.sortable))
    }

    /// Draws `len` rows, `selected` highlighted and kept in view through
    /// `view`; `row(i)` gives row `i` (`None`: not at hand, drawn blank).
    pub fn render<'a>(
        &self,
        f: &mut Frame,
        area: Rect,
        len: usize,
        selected: Option<usize>,
        view: &mut Viewport,
        mut row: impl FnMut(usize) -> Option<Row<'a>>,
    ) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let theme = self.theme;
        let widths = self.widths(area.width);
        let shown: Vec<(usize, u16)> =
            widths.iter().enumerate().filter_map(|(i, w)| w.map(|w| (i, w))).filter(|(_, w)| *w > 0).collect();
        let header_h = u16::from(self.header);
        view.height = area.height.saturating_sub(header_h) as usize;
        match selected {
            Some(s) => {
                view.follow(s.min(len.saturating_sub(1)), len);
            }
            None => view.offset = view.offset.min(len.saturating_sub(view.height)),
        }
        let constraints: Vec<Constraint> = shown.iter().map(|(_, w)| Constraint::Length(*w)).collect();
        let mut headings: Vec<(u16, Line<'a>)> = Vec::new();
        let mut rows: Vec<RRow<'a>> = Vec::new();
        let selection = theme.get(Slot::Selection);
        for (y, index) in (view.offset..(view.offset + view.height).min(len)).enumerate() {
            // (A default row is zero lines high: an empty one keeps its line.)
            let Some(r) = row(index) else {
                rows.push(RRow::new(Vec::<RCell>::new()));
                continue;
            };
            let is_selected = selected == Some(index);
            let whole_row = is_selected && self.select_columns.is_none();
            let style = if whole_row { selection } else { r.style };
            if let Some(line) = r.heading {
                headings.push((super::text::cells(y), line));
                rows.push(RRow::new(Vec::<RCell>::new()).style(style));
                continue;
            }
            let mut cells: Vec<Option<Cell>> = r.cells.into_iter().map(Some).collect();
            let drawn: Vec<RCell> = shown
                .iter()
                .enumerate()
                .map(|(n, (i, w))| {
                    let cell = cells.get_mut(*i).and_then(Option::take).unwrap_or_default();
                    let line = fit(cell.line, *w as usize, self.columns[*i].right);
                    let c = RCell::from(line);
                    match (whole_row, is_selected && self.select_columns.is_some_and(|k| n < k)) {
                        (true, _) => c,
                        (false, true) => c.style(selection),
                        (false, false) => c.style(cell.style),
                    }
                })
                .collect();
            rows.push(RRow::new(drawn).style(style));
        }
        let mut table = Table::new(rows, constraints).column_spacing(SPACING);
        if self.header {
            let header_style = theme.get(Slot::Header);
            let cells: Vec<RCell> = shown
                .iter()
                .map(|(i, w)| {
                    let c = &self.columns[*i];
                    let arrow = match self.sort {
                        Some((s, true)) if s == *i => "▼",
                        Some((s, false)) if s == *i => "▲",
                        _ => "",
                    };
                    let room = (*w as usize).saturating_sub(width(arrow));
                    let mut title = super::text::truncate(&c.title, room);
                    title.push_str(arrow);
                    RCell::from(fit(Line::from(title), *w as usize, c.right))
                })
                .collect();
            table = table.header(RRow::new(cells).style(header_style));
        }
        f.render_widget(table, area);
        let body = Rect { y: area.y + header_h, height: area.height - header_h, ..area };
        for (y, line) in headings {
            let at = Rect { y: body.y + y, height: 1, ..body };
            f.render_widget(Paragraph::new(fit(line, body.width as usize, false)), at);
        }
        if len == 0
            && let Some(text) = self.empty
        {
            let at = Rect { height: 1.min(body.height), ..body };
            f.render_widget(Paragraph::new(Span::styled(format!(" {text}"), theme.get(Slot::Muted))), at);
        }
    }
}

/// `line` cut to `cols` display columns, ending in `…` when cut (in the style
/// of the span it cut), aligned right if asked.
pub fn fit<'a>(line: Line<'a>, cols: usize, right: bool) -> Line<'a> {
    let total: usize = line.spans.iter().map(|s| width(&s.content)).sum();
    let line = if total <= cols {
        line
    } else {
        let mut out: Vec<Span<'a>> = Vec::new();
        let mut used = 0;
        let room = cols.saturating_sub(1);
        for span in line.spans {
            let w = width(&span.content);
            if used + w <= room {
                used += w;
                out.push(span);
                continue;
            }
            let mut part = String::new();
            for c in span.content.chars() {
                let cw = c.width().unwrap_or(0);
                if used + cw > room {
                    break;
                }
                part.push(c);
                used += cw;
            }
            if cols > 0 {
                part.push('…');
            }
            out.push(Span::styled(part, span.style));
            break;
        }
        Line::from(out)
    };
    if right { line.alignment(Alignment::Right) } else { line }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(columns: &[Column], width: u16) -> Vec<Option<u16>> {
        column_widths(columns, width, 0)
    }

    #[test]
    fn the_least_needed_columns_go_first_and_names_keep_their_room() {
        let cols = [
            Column::fixed("id", 14),
            Column::flex("name", 12, 20, 24),
            Column::fixed("tier", 6).priority(1),
            Column::fixed("unit", 14).priority(3),
            Column::fill("full", 16).priority(4),
        ];
        assert_eq!(w(&cols, 60), vec![Some(14), Some(23), Some(6), Some(14), None]);
        // The unit would squeeze the name below what it wants: left out.
        assert_eq!(w(&cols, 50), vec![Some(14), Some(24), Some(6), None, None]);
        // Narrow: the name gives up room down to its minimum, for nothing less important.
        assert_eq!(w(&cols, 34), vec![Some(14), Some(12), Some(6), None, None]);
        // Wide: the name stops at its maximum; the free text takes the rest.
        assert_eq!(w(&cols, 200), vec![Some(14), Some(24), Some(6), Some(14), Some(138)]);
        // Nothing fits: the first column is still drawn, cut.
        assert_eq!(w(&cols, 5), vec![Some(5), None, None, None, None]);
    }

    #[test]
    fn a_column_that_matters_more_comes_in_at_its_minimum_first() {
        let cols = [
            Column::fixed("id", 14),
            Column::flex("full", 16, 30, u16::MAX).priority(1),
            Column::fixed("phone", 13).priority(2),
            Column::fixed("b", 10).priority(3),
        ];
        // Not room for the full name's 30: it comes in at 16, and the B manager, less
        // needed, does not take its place.
        assert_eq!(w(&cols, 45), vec![Some(14), Some(30), None, None]);
        assert_eq!(w(&cols, 40), vec![Some(14), Some(25), None, None]);
        assert_eq!(w(&cols, 59), vec![Some(14), Some(30), Some(13), None]);
    }

    #[test]
    fn without_a_free_text_column_wide_rows_stay_blank_on_the_right() {
        let cols = [Column::fixed("id", 14), Column::flex("name", 12, 20, 24), Column::fixed("tier", 6)];
        assert_eq!(w(&cols, 250), vec![Some(14), Some(24), Some(6)]);
    }

    #[test]
    fn titles_are_never_cut_below_their_width() {
        let cols = [Column::fixed("客户经理(A)", 6)];
        assert_eq!(w(&cols, 80), vec![Some(11)]);
        assert_eq!(column_widths(&cols, 80, 1), vec![Some(12)]);
    }

    #[test]
    fn cells_are_cut_by_display_width_with_an_ellipsis() {
        let cut = fit(Line::from("电信帐务中心"), 7, false);
        assert_eq!(cut.to_string(), "电信帐…");
        let spans = Line::from(vec![Span::raw("ab"), Span::styled("电信帐务", Style::default().bold())]);
        let cut = fit(spans, 6, false);
        assert_eq!(cut.to_string(), "ab电…");
        assert_eq!(cut.spans[1].style, Style::default().bold());
        assert_eq!(fit(Line::from("abc"), 3, false).to_string(), "abc");
        assert_eq!(fit(Line::from("abc"), 0, false).to_string(), "");
    }
}
