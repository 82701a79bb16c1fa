//! The bottom line: the latest message or error on the left, who is working on
//! the right. A message too long for one line takes as many lines as it needs
//! (up to half the screen), wrapped at word and character boundaries, so it is
//! never cut; the screen above stays usable, and the next key clears it.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{cells, clean, truncate, width, wrap};
use crate::domain::staff::Staff;
use crate::i18n::{Lang, role_label};
use crate::theme::Slot;
use crate::theme::Theme;

/// What the bar says on its left until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Info(String),
    Error(String),
}

/// What the bar shows: the app's message, and who is working on which day.
pub struct Bar<'a> {
    pub status: Option<&'a Status>,
    pub user: &'a Staff,
    /// The app's day as of the last message handled (drawing reads no clock).
    pub today: chrono::NaiveDate,
    pub lang: Lang,
    pub theme: &'a Theme,
}

/// The lines of the bar for a screen `area` wide and tall: the message's lines,
/// the last one ending with who is working (on a line of its own when the
/// message leaves no room for it).
fn lines(bar_of: &Bar<'_>, area: Rect) -> Vec<Line<'static>> {
    let Bar { status, user, today, lang, theme } = *bar_of;
    let cols = area.width as usize;
    let bar = theme.get(Slot::StatusBar);
    let who = clean(&format!(
        " {} · {} · {} · {} ",
        user.name,
        lang.pick(role_label(user.role)),
        today.format("%Y-%m-%d"),
        lang.text().help_hint
    ));
    let who = truncate(&who, cols);
    let (text, style) = match status {
        Some(Status::Info(t)) => (clean(t), bar),
        Some(Status::Error(t)) => (clean(t), theme.get(Slot::StatusBarError)),
        None => (String::new(), bar),
    };
    let room = cols.saturating_sub(width(&who) + 1);
    if text.is_empty() || width(&text) < room {
        return vec![ends_with(&format!(" {text}"), style, &who, bar, cols)];
    }
    let max_lines = (area.height as usize / 2).max(1);
    let mut parts = wrap(&text, cols.saturating_sub(1));
    if parts.len() > max_lines {
        parts.truncate(max_lines);
        if let Some(last) = parts.last_mut() {
            *last = truncate(&format!("{last}…"), cols.saturating_sub(1));
        }
    }
    let fits_who = parts.last().is_some_and(|last| width(last) + 1 < room);
    let mut out: Vec<Line<'static>> = parts.iter().map(|p| padded(format!(" {p}"), style, cols)).collect();
    if fits_who {
        out.pop();
        out.push(ends_with(&format!(" {}", parts[parts.len() - 1]), style, &who, bar, cols));
    } else if out.len() < max_lines {
        out.push(ends_with("", style, &who, bar, cols));
    }
    // Else no line is left for who is working: the message matters more.
    out
}

/// A line of the message, filled to the edge in its style.
fn padded(text: String, style: Style, cols: usize) -> Line<'static> {
    let gap = cols.saturating_sub(width(&text));
    Line::from(vec![Span::styled(text, style), Span::styled(" ".repeat(gap), style)])
}

/// The message (or nothing) on the left, who is working on the right.
fn ends_with(message: &str, style: Style, who: &str, bar: Style, cols: usize) -> Line<'static> {
    let room = cols.saturating_sub(width(who));
    let message = truncate(message, room);
    let gap = room.saturating_sub(width(&message));
    Line::from(vec![
        Span::styled(message, style),
        Span::styled(" ".repeat(gap), bar),
        Span::styled(who.to_string(), bar),
    ])
}

impl Bar<'_> {
    /// How many rows the bar needs on a screen of `area`.
    pub fn height(&self, area: Rect) -> u16 {
        cells(lines(self, area).len().max(1))
    }

    /// Draws the bar into `area`, its lines wrapped as for the whole `screen`.
    pub fn draw(&self, f: &mut Frame, area: Rect, screen: Rect) {
        f.render_widget(Paragraph::new(lines(self, screen)).style(self.theme.get(Slot::StatusBar)), area);
    }
}
