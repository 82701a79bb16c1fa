//! A one-line text input that edits CJK text correctly: the cursor moves by
//! grapheme and is placed by display width (tui-input does the bookkeeping).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use tui_input::{Input, InputRequest};
use unicode_width::UnicodeWidthChar;

use super::text::{cells, clean};

#[derive(Debug, Clone, Default)]
pub struct TextInput {
    input: Input,
}

impl TextInput {
    pub fn new(value: &str) -> TextInput {
        TextInput { input: Input::new(value.to_string()) }
    }

    pub fn value(&self) -> &str {
        self.input.value()
    }

    pub fn set(&mut self, value: &str) {
        self.input = Input::new(value.to_string());
    }

    /// Applies an editing key; returns false for keys that are not editing keys.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        let req = match key.code {
            KeyCode::Char('a') if ctrl => InputRequest::GoToStart,
            KeyCode::Char('e') if ctrl => InputRequest::GoToEnd,
            KeyCode::Char('u') if ctrl => InputRequest::DeleteFromStart,
            KeyCode::Char('k') if ctrl => InputRequest::DeleteTillEnd,
            KeyCode::Char('w') if ctrl => InputRequest::DeletePrevWord,
            KeyCode::Char(_) if ctrl => return false,
            // Control and invisible format characters never enter a value: they
            // would be stored, and shift the cursor against what is drawn.
            KeyCode::Char(c) if super::text::is_unsafe(c) => return true,
            KeyCode::Char(c) => InputRequest::InsertChar(c),
            KeyCode::Backspace => InputRequest::DeletePrevChar,
            KeyCode::Delete => InputRequest::DeleteNextChar,
            KeyCode::Left if ctrl => InputRequest::GoToPrevWord,
            KeyCode::Right if ctrl => InputRequest::GoToNextWord,
            KeyCode::Left => InputRequest::GoToPrevChar,
            KeyCode::Right => InputRequest::GoToNextChar,
            KeyCode::Home => InputRequest::GoToStart,
            KeyCode::End => InputRequest::GoToEnd,
            _ => return false,
        };
        self.input.handle(req);
        true
    }

    /// Pasted text goes in as typed, with line breaks turned into spaces.
    pub fn paste(&mut self, text: &str) {
        for c in text.chars() {
            let c = if c == '\n' || c == '\r' || c == '\t' { ' ' } else { c };
            if !super::text::is_unsafe(c) {
                self.input.handle(InputRequest::InsertChar(c));
            }
        }
    }

    /// Draws the visible part of the value; places the terminal cursor if focused.
    pub fn draw(&self, f: &mut Frame, area: Rect, style: Style, focused: bool) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let width = area.width as usize;
        let scroll = self.input.visual_scroll(width.saturating_sub(1));
        let mut skipped = 0;
        let mut shown = String::new();
        let mut used = 0;
        for c in clean(self.input.value()).chars() {
            let w = c.width().unwrap_or(0);
            if skipped < scroll {
                skipped += w;
                continue;
            }
            if used + w > width {
                break;
            }
            shown.push(c);
            used += w;
        }
        f.render_widget(Paragraph::new(Span::styled(shown, style)).style(style), area);
        if focused {
            let x = cells((self.input.visual_cursor().saturating_sub(skipped)).min(width.saturating_sub(1)));
            f.set_cursor_position(Position { x: area.x + x, y: area.y });
        }
    }
}

impl TextInput {
    /// Draws the whole value wrapped to the area's width (CJK by display
    /// width, breaking as [`super::text::wrap`] does), scrolled so that the
    /// cursor's line is in view; places the terminal cursor if focused.
    pub fn draw_wrapped(&self, f: &mut Frame, area: Rect, style: Style, focused: bool) {
        if area.width < 2 || area.height == 0 {
            return;
        }
        let value = clean(self.input.value());
        let cols = area.width as usize - 1;
        let mut lines = super::text::wrap_ranges(&value, cols);
        if lines.is_empty() {
            lines.push(0..0);
        }
        let at = value.char_indices().nth(self.input.cursor()).map_or(value.len(), |(b, _)| b);
        let row = lines.iter().rposition(|r| r.start <= at).unwrap_or(0);
        let height = area.height as usize;
        let top = (row + 1).saturating_sub(height);
        let shown: Vec<ratatui::text::Line> = lines[top..]
            .iter()
            .take(height)
            .map(|r| ratatui::text::Line::from(Span::styled(value[r.clone()].to_string(), style)))
            .collect();
        f.render_widget(Paragraph::new(shown).style(style), area);
        if focused {
            let line = &lines[row];
            let x = super::text::width(&value[line.start..at.clamp(line.start, line.end)]).min(cols);
            let y = u16::try_from(row - top).unwrap_or(0);
            f.set_cursor_position(Position { x: area.x + cells(x), y: area.y + y });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn edits_chinese_by_character() {
        let mut t = TextInput::new("");
        for c in "电信中心".chars() {
            t.handle_key(&key(KeyCode::Char(c)));
        }
        t.handle_key(&key(KeyCode::Left));
        t.handle_key(&key(KeyCode::Left));
        t.handle_key(&key(KeyCode::Char('帐')));
        t.handle_key(&key(KeyCode::Char('务')));
        assert_eq!(t.value(), "电信帐务中心");
        t.handle_key(&key(KeyCode::Backspace));
        assert_eq!(t.value(), "电信帐中心");
        assert!(!t.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)));
    }

    #[test]
    fn wrapped_chinese_keeps_the_cursor_on_its_line() {
        use ratatui::Terminal;
        use ratatui::backend::TestBackend;
        let mut t = TextInput::new("");
        t.paste("竞争对手在本区推出月结八折优惠");
        let mut term = Terminal::new(TestBackend::new(11, 3)).unwrap();
        term.draw(|f| t.draw_wrapped(f, f.area(), Style::default(), true)).unwrap();
        let rows: Vec<String> = (0..3)
            .map(|y| (0..11).map(|x| term.backend().buffer()[(x, y)].symbol().to_string()).collect::<String>())
            .collect();
        // Ten columns a line: five characters each, never half a character.
        assert_eq!(rows[0].replace(' ', ""), "竞争对手在");
        assert_eq!(rows[1].replace(' ', ""), "本区推出月");
        assert_eq!(rows[2].replace(' ', ""), "结八折优惠");
        // The cursor after the last character: third line, ten columns in.
        term.backend_mut().assert_cursor_position((10, 2));
        t.handle_key(&key(KeyCode::Home));
        term.draw(|f| t.draw_wrapped(f, f.area(), Style::default(), true)).unwrap();
        term.backend_mut().assert_cursor_position((0, 0));
    }

    #[test]
    fn paste_flattens_lines() {
        let mut t = TextInput::new("a");
        t.paste("b\nc");
        assert_eq!(t.value(), "ab c");
    }
}
