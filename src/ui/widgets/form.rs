//! A form of labelled fields: text inputs and pick lists, with an error line
//! under each field that failed, scrolled so the focused field stays in view.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::input::TextInput;
use super::text::{cells, clean, pad, truncate, width};
use crate::theme::Slot;
use crate::theme::Theme;

/// What the user edits in a field.
#[derive(Debug, Clone)]
pub enum FieldInput {
    Text(TextInput),
    /// (value, label) options; the value is what gets saved.
    Pick {
        options: Vec<(String, String)>,
        index: usize,
    },
}

#[derive(Debug, Clone)]
pub struct FormField {
    pub key: String,
    pub label: String,
    pub required: bool,
    pub input: FieldInput,
    pub error: Option<String>,
    /// Something unusual about the value: shown like an error, but a second
    /// save goes ahead (see [`SecondSave`]).
    pub warning: Option<String>,
}

impl FormField {
    pub fn text(key: &str, label: &str, required: bool, value: &str) -> FormField {
        FormField {
            key: key.to_string(),
            label: label.to_string(),
            required,
            input: FieldInput::Text(TextInput::new(value)),
            error: None,
            warning: None,
        }
    }

    /// A pick list starting at `value` (or the first option if absent).
    pub fn pick(key: &str, label: &str, required: bool, options: Vec<(String, String)>, value: &str) -> FormField {
        let index = options.iter().position(|(v, _)| v == value).unwrap_or(0);
        FormField {
            key: key.to_string(),
            label: label.to_string(),
            required,
            input: FieldInput::Pick { options, index },
            error: None,
            warning: None,
        }
    }

    /// The message drawn under the field: its error, else its warning.
    fn note(&self) -> Option<(&str, bool)> {
        match (&self.error, &self.warning) {
            (Some(e), _) => Some((e.as_str(), true)),
            (None, Some(w)) => Some((w.as_str(), false)),
            (None, None) => None,
        }
    }

    /// How `value` (as [`FormField::value`] gives it) reads to the user: the
    /// option's label in a pick list, the text itself otherwise.
    pub fn shown(&self, value: &str) -> String {
        match &self.input {
            FieldInput::Pick { options, .. } => {
                options.iter().find(|(v, _)| v == value).map_or_else(|| value.to_string(), |(_, label)| label.clone())
            }
            FieldInput::Text(_) => value.to_string(),
        }
    }

    /// The value as text: typed text, or the picked option's value.
    pub fn value(&self) -> String {
        match &self.input {
            FieldInput::Text(t) => t.value().to_string(),
            FieldInput::Pick { options, index } => options.get(*index).map(|o| o.0.clone()).unwrap_or_default(),
        }
    }
}

/// What a key did to a form, for the screen that owns it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    Save,
    Cancel,
    /// The focused field's value changed.
    Edited,
    /// Focus moved, or a key that changes nothing.
    Other,
}

#[derive(Debug, Clone, Default)]
pub struct Form {
    pub fields: Vec<FormField>,
    pub focus: usize,
    scroll: usize,
    /// Where each visible field's input was drawn last (field index, area), so
    /// a screen can place a pop-up under a field.
    drawn: Vec<(usize, Rect)>,
}

/// "Ask before what is unusual": the first save with warnings shows them and
/// remembers what the form held; a second save of the very same values goes
/// ahead. Any edit in between asks again.
#[derive(Debug, Clone, Default)]
pub struct SecondSave {
    asked_for: Option<Vec<String>>,
}

impl SecondSave {
    /// True when the user already saw these warnings for exactly these values.
    pub fn confirmed(&self, form: &Form) -> bool {
        self.asked_for.as_ref().is_some_and(|v| *v == form.values())
    }

    /// Remembers that the user was asked about the form as it is now.
    pub fn asked(&mut self, form: &Form) {
        self.asked_for = Some(form.values());
    }
}

impl Form {
    pub fn new(fields: Vec<FormField>) -> Form {
        Form { fields, focus: 0, scroll: 0, drawn: Vec::new() }
    }

    /// The key of the focused field.
    pub fn focused_key(&self) -> &str {
        self.fields.get(self.focus).map(|f| f.key.as_str()).unwrap_or("")
    }

    /// Replaces a text field's value (e.g. with a customer picked from a list).
    pub fn set_text(&mut self, key: &str, value: &str) {
        if let Some(FormField { input: FieldInput::Text(t), .. }) = self.fields.iter_mut().find(|f| f.key == key) {
            t.set(value);
        }
    }

    /// Where a field's input was drawn in the last frame, if it was visible.
    pub fn input_area(&self, key: &str) -> Option<Rect> {
        let i = self.fields.iter().position(|f| f.key == key)?;
        self.drawn.iter().find(|(j, _)| *j == i).map(|(_, r)| *r)
    }

    /// True when the values differ from `opened` (what the form held when it opened).
    pub fn changed_since(&self, opened: &[String]) -> bool {
        self.values() != opened
    }

    pub fn next(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + 1) % self.fields.len();
        }
    }

    pub fn prev(&mut self) {
        if !self.fields.is_empty() {
            self.focus = (self.focus + self.fields.len() - 1) % self.fields.len();
        }
    }

    pub fn field(&self, key: &str) -> Option<&FormField> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn value(&self, key: &str) -> String {
        self.field(key).map(FormField::value).unwrap_or_default()
    }

    pub fn set_error(&mut self, key: &str, error: Option<String>) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.error = error;
        }
    }

    pub fn set_warning(&mut self, key: &str, warning: Option<String>) {
        if let Some(f) = self.fields.iter_mut().find(|f| f.key == key) {
            f.warning = warning;
        }
    }

    /// Clears every error and warning (a save checks everything afresh).
    pub fn clear_errors(&mut self) {
        self.fields.iter_mut().for_each(|f| {
            f.error = None;
            f.warning = None;
        });
    }

    pub fn warning_count(&self) -> usize {
        self.fields.iter().filter(|f| f.warning.is_some()).count()
    }

    pub fn error_count(&self) -> usize {
        self.fields.iter().filter(|f| f.error.is_some()).count()
    }

    /// "N fields need correcting", for the status line after a refused save
    /// (at least one: a refused save always names what to correct).
    pub fn errors_message(&self, t: &crate::i18n::Text) -> String {
        match self.error_count() {
            0 | 1 => t.form_has_one_error.to_string(),
            n => crate::i18n::fill(t.form_has_errors, &[&n]),
        }
    }

    /// Moves the focus to the first field with an error (or, with none, a warning).
    pub fn focus_first_error(&mut self) {
        let first = self.fields.iter().position(|f| f.error.is_some());
        if let Some(i) = first.or_else(|| self.fields.iter().position(|f| f.warning.is_some())) {
            self.focus = i;
        }
    }

    /// Interprets a key through the form bindings: save, cancel, move between
    /// fields, or edit the focused one.
    pub fn on_key(&mut self, keymap: &crate::keymap::Keymap, key: &KeyEvent) -> FormKey {
        use crate::keymap::{Command, Mode};
        match keymap.lookup(Mode::Form, key) {
            Some(Command::Save) => FormKey::Save,
            Some(Command::Cancel) => FormKey::Cancel,
            Some(Command::NextField) => {
                self.next();
                FormKey::Other
            }
            Some(Command::PrevField) => {
                self.prev();
                FormKey::Other
            }
            _ if self.handle_key(key) => FormKey::Edited,
            _ => FormKey::Other,
        }
    }

    /// The values of all fields, in order (to tell whether anything was typed).
    pub fn values(&self) -> Vec<String> {
        self.fields.iter().map(FormField::value).collect()
    }

    /// Gives an editing key to the focused field.
    pub fn handle_key(&mut self, key: &KeyEvent) -> bool {
        let Some(field) = self.fields.get_mut(self.focus) else { return false };
        match &mut field.input {
            FieldInput::Text(t) => t.handle_key(key),
            FieldInput::Pick { options, index } => {
                let n = options.len().max(1);
                match key.code {
                    KeyCode::Right | KeyCode::Char(' ') => *index = (*index + 1) % n,
                    KeyCode::Left => *index = (*index + n - 1) % n,
                    KeyCode::Char(c) => {
                        // Jump to the next option whose label starts with the typed letter.
                        let c = c.to_lowercase().next().unwrap_or(c);
                        if let Some(step) = (1..=n).find(|s| {
                            options[(*index + s) % n].1.chars().next().and_then(|f| f.to_lowercase().next()) == Some(c)
                        }) {
                            *index = (*index + step) % n;
                        }
                    }
                    _ => return false,
                }
                true
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(FormField { input: FieldInput::Text(t), .. }) = self.fields.get_mut(self.focus) {
            t.paste(text);
        }
    }

    pub fn draw(&mut self, f: &mut Frame, area: Rect, theme: &Theme) {
        const INPUT_MIN: usize = 40;
        self.drawn.clear();
        if area.width < 10 || area.height == 0 {
            return;
        }
        // Labels whole while the inputs keep 40 columns ("Estimated annual
        // revenue (yuan)" at 80), else a third of the width.
        let room = (area.width as usize).saturating_sub(INPUT_MIN + 1).max(area.width as usize / 3);
        let label_w = self.fields.iter().map(|fl| width(&fl.label) + 2).max().unwrap_or(8).min(room);
        // Rows: one per field, plus one under each field with an error or warning.
        let mut rows: Vec<(usize, bool)> = Vec::new();
        for (i, fl) in self.fields.iter().enumerate() {
            rows.push((i, false));
            if fl.note().is_some() {
                rows.push((i, true));
            }
        }
        let height = area.height as usize;
        let focus_row = rows.iter().position(|(i, e)| *i == self.focus && !e).unwrap_or(0);
        let focus_end = focus_row + usize::from(self.fields.get(self.focus).is_some_and(|fl| fl.note().is_some()));
        if focus_row < self.scroll {
            self.scroll = focus_row;
        } else if focus_end >= self.scroll + height {
            self.scroll = focus_end + 1 - height;
        }
        self.scroll = self.scroll.min(rows.len().saturating_sub(1));
        let input_x = area.x.saturating_add(cells(label_w + 1));
        let input_w = area.width.saturating_sub(cells(label_w + 1));
        for (line, (i, is_note)) in rows.iter().skip(self.scroll).take(height).enumerate() {
            let y = area.y.saturating_add(cells(line));
            let fl = &self.fields[*i];
            let focused = *i == self.focus;
            if *is_note {
                let (note, is_error) = fl.note().unwrap_or(("", true));
                let msg = format!("⚠ {note}");
                let r = Rect { x: input_x, y, width: input_w, height: 1 };
                let style = theme.get(if is_error { Slot::Error } else { Slot::Warning });
                f.render_widget(Paragraph::new(Span::styled(truncate(&clean(&msg), input_w as usize), style)), r);
                continue;
            }
            let marker = if fl.required { "*" } else { " " };
            let label = format!("{}{}", truncate(&fl.label, label_w.saturating_sub(1)), marker);
            let label_style = if focused {
                theme.get(Slot::Accent)
            } else if fl.error.is_some() {
                theme.get(Slot::Error)
            } else if fl.warning.is_some() {
                theme.get(Slot::Warning)
            } else {
                theme.get(Slot::Header)
            };
            f.render_widget(
                Paragraph::new(Span::styled(pad(&label, label_w), label_style)),
                Rect { x: area.x, y, width: cells(label_w), height: 1 },
            );
            let r = Rect { x: input_x, y, width: input_w, height: 1 };
            self.drawn.push((*i, r));
            let style = theme.get(if focused { Slot::InputFocus } else { Slot::Input });
            match &fl.input {
                FieldInput::Text(t) => t.draw(f, r, style, focused),
                FieldInput::Pick { options, index } => {
                    let label = options.get(*index).map(|o| o.1.as_str()).unwrap_or("");
                    let shown = if focused { format!("◀ {} ▶", clean(label)) } else { clean(label) };
                    let line = Line::from(Span::styled(pad(&shown, input_w as usize), style));
                    f.render_widget(Paragraph::new(line), r);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn key(c: KeyCode) -> KeyEvent {
        KeyEvent::new(c, KeyModifiers::NONE)
    }

    #[test]
    fn pick_cycles_and_jumps_by_letter() {
        let opts = vec![("a".into(), "Alpha".into()), ("b".into(), "Beta".into()), ("g".into(), "Gamma".into())];
        let mut form = Form::new(vec![FormField::pick("k", "K", true, opts, "b")]);
        assert_eq!(form.value("k"), "b");
        form.handle_key(&key(KeyCode::Right));
        assert_eq!(form.value("k"), "g");
        form.handle_key(&key(KeyCode::Right));
        assert_eq!(form.value("k"), "a");
        form.handle_key(&key(KeyCode::Char('g')));
        assert_eq!(form.value("k"), "g");
    }

    #[test]
    fn focus_wraps_and_finds_errors() {
        let mut form = Form::new(vec![FormField::text("a", "A", false, ""), FormField::text("b", "B", false, "")]);
        form.prev();
        assert_eq!(form.focus, 1);
        form.next();
        assert_eq!(form.focus, 0);
        form.set_error("b", Some("bad".into()));
        form.focus_first_error();
        assert_eq!(form.focus, 1);
        assert_eq!(form.error_count(), 1);
    }
}
