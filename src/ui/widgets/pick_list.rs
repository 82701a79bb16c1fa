//! A pick list: a popup of choices over the screen, narrowed as you type
//! (name, pinyin or initials, as the customer search), Enter picks, Esc
//! cancels. For filters with more values than a key can step through.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::input::TextInput;
use super::table::{Cell, Column, DataTable, Row, Viewport};
use super::text::{cells, clean, highlighted, width};
use crate::i18n::Text;
use crate::search::{match_ranges, normalize_query, search_key};
use crate::theme::Slot;
use crate::theme::Theme;

/// One choice: what it is called, and a word that tells like names apart
/// (an account manager's unit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice<T> {
    pub value: T,
    pub label: String,
    pub detail: String,
    /// What typing matches: label and detail, their pinyin and initials.
    key: String,
}

impl<T> Choice<T> {
    pub fn new(value: T, label: &str, detail: &str) -> Choice<T> {
        Choice { value, label: clean(label), detail: clean(detail), key: search_key(&[label, detail]) }
    }
}

/// What a key did to the pick list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Picked<T> {
    /// Still choosing.
    Open,
    Chosen(T),
    Cancelled,
}

pub struct PickList<T> {
    title: &'static str,
    choices: Vec<Choice<T>>,
    input: TextInput,
    /// Indexes of the choices that match what is typed, in their order.
    shown: Vec<usize>,
    /// Index into `shown`.
    selected: usize,
    view: Viewport,
}

impl<T: Clone + PartialEq> PickList<T> {
    /// The list opens on `current` when it is among the choices.
    pub fn new(title: &'static str, choices: Vec<Choice<T>>, current: &T) -> PickList<T> {
        let selected = choices.iter().position(|c| c.value == *current).unwrap_or(0);
        let shown = (0..choices.len()).collect();
        PickList { title, choices, input: TextInput::default(), shown, selected, view: Viewport::default() }
    }

    /// What is typed to narrow the list.
    pub fn typed(&self) -> &str {
        self.input.value()
    }

    /// The labels of the choices shown now, in order.
    pub fn shown(&self) -> Vec<&str> {
        self.shown.iter().map(|&i| self.choices[i].label.as_str()).collect()
    }

    pub fn handle_key(&mut self, key: &KeyEvent) -> Picked<T> {
        let last = self.shown.len().saturating_sub(1);
        let page = self.view.page();
        match key.code {
            KeyCode::Esc => return Picked::Cancelled,
            KeyCode::Enter => {
                return match self.shown.get(self.selected) {
                    Some(&i) => Picked::Chosen(self.choices[i].value.clone()),
                    None => Picked::Open,
                };
            }
            KeyCode::Up => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down => self.selected = (self.selected + 1).min(last),
            KeyCode::PageUp => self.selected = self.selected.saturating_sub(page),
            KeyCode::PageDown => self.selected = (self.selected + page).min(last),
            _ => {
                let before = self.input.value().to_string();
                if self.input.handle_key(key) && self.input.value() != before {
                    self.narrow();
                }
            }
        }
        Picked::Open
    }

    pub fn paste(&mut self, text: &str) {
        self.input.paste(text);
        self.narrow();
    }

    /// Keeps the choices matching what is typed; the first of them is selected.
    fn narrow(&mut self) {
        let q = normalize_query(self.input.value());
        self.shown = (0..self.choices.len()).filter(|&i| q.is_empty() || self.choices[i].key.contains(&q)).collect();
        self.selected = 0;
        self.view.offset = 0;
    }

    /// Draws the popup in the middle of `area`.
    pub fn draw(&mut self, f: &mut Frame, area: Rect, theme: &Theme, t: &Text) {
        let label_w = self.choices.iter().map(|c| width(&c.label)).max().unwrap_or(0);
        let detail_w = self.choices.iter().map(|c| width(&c.detail)).max().unwrap_or(0);
        let hint = format!(" {} ", t.pick_hint);
        let content_w = (label_w + 1 + detail_w).max(width(&hint)).max(width(self.title) + 2).max(24);
        let w = cells(content_w + 4).min(area.width);
        let label_w = cells(label_w);
        let h = cells(self.choices.len() + 3).clamp(5, area.height.saturating_sub(2).max(5)).min(area.height);
        let popup = Rect { x: area.x + (area.width - w) / 2, y: area.y + (area.height - h) / 2, width: w, height: h };
        // A wide character just left of the popup would spill its second half
        // over the border; blank it so the terminal draws the border.
        if popup.x > 0 {
            let buf = f.buffer_mut();
            for y in popup.y..popup.y + popup.height {
                let cell = &mut buf[(popup.x - 1, y)];
                if width(cell.symbol()) > 1 {
                    cell.set_symbol(" ");
                }
            }
        }
        let block = Block::default()
            .borders(Borders::ALL)
            .title(Span::styled(format!(" {} ", self.title), theme.get(Slot::Title)))
            .title_bottom(Span::styled(hint, theme.get(Slot::Muted)))
            .border_style(theme.get(Slot::Border));
        let inner = block.inner(popup);
        f.render_widget(Clear, popup);
        f.render_widget(block, popup);
        if inner.height == 0 || inner.width < 2 {
            return;
        }
        let input_row = Rect { height: 1, ..inner };
        f.render_widget(Paragraph::new(Span::styled("›", theme.get(Slot::Accent))), input_row);
        let field = Rect { x: input_row.x + 2, width: input_row.width.saturating_sub(2), ..input_row };
        self.input.draw(f, field, theme.get(Slot::InputFocus), true);
        let list = Rect { y: inner.y + 1, height: inner.height - 1, ..inner };
        let q = normalize_query(self.input.value());
        let hit = theme.get(Slot::Match);
        let columns = vec![Column::flex("", 8, label_w, label_w), Column::fill("", 0).priority(1)];
        let table = DataTable::new(theme, columns).without_header().empty(t.pick_none);
        let muted = theme.get(Slot::Muted);
        let (choices, shown) = (&self.choices, &self.shown);
        table.render(f, list, shown.len(), Some(self.selected), &mut self.view, |i| {
            let c = &choices[*shown.get(i)?];
            let marks = if q.is_empty() { Vec::new() } else { match_ranges(&c.label, &q) };
            let label = Cell::spans(highlighted(&c.label, &marks, Default::default(), hit));
            Some(Row::new(vec![label, Cell::text(&c.detail).style(muted)]))
        });
    }
}
