//! One module per screen.

pub mod analysis;
mod analysis_draw;
mod analysis_period;
pub mod appraisal;
pub mod calendar;
pub mod complaint_form;
pub mod complaints;
pub mod contracts;
pub mod customers;
pub mod dossier;
pub mod form;
pub mod goals;
pub mod goals_draw;
pub mod log_entry;
pub mod log_form;
pub mod marketing;
pub mod month_plan;
pub mod pipeline;
pub mod report;
mod report_draw;
pub mod request_form;
pub mod requests;
pub mod setup;
pub mod standards;
pub mod today;
pub mod visit_form;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::i18n::Text;
use crate::theme::Slot;
use crate::theme::Theme;
use crate::ui::widgets::text::{cells_of, clean, truncate, width};

/// The top line of every screen: where you are, and a right-aligned note.
pub fn draw_title(f: &mut Frame, area: Rect, theme: &Theme, t: &Text, path: &[&str], note: &str) {
    let left = format!(" {} › {}", t.app_name, path.join(" › "));
    let left = clean(&left);
    let note = clean(note);
    let room = area.width as usize;
    let left = truncate(&left, room);
    let gap = room.saturating_sub(width(&left) + width(&note) + 1);
    let mut spans = vec![Span::styled(left, theme.get(Slot::Title))];
    if width(&note) + 1 < room.saturating_sub(width(&spans[0].content)) {
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(note, theme.get(Slot::Muted)));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// A "Search: [...]" row: the label, then the input (focused while typing).
pub fn draw_search_row(
    f: &mut Frame,
    area: Rect,
    theme: &Theme,
    t: &Text,
    input: &crate::ui::widgets::input::TextInput,
    typing: bool,
) {
    let label = format!(" {}: ", t.search_prompt);
    let w = cells_of(&label);
    f.render_widget(
        Paragraph::new(Span::styled(label, theme.get(Slot::Accent))),
        Rect { width: w.min(area.width), ..area },
    );
    let r = Rect { x: area.x + w.min(area.width), width: area.width.saturating_sub(w).min(30), ..area };
    input.draw(f, r, theme.get(if typing { Slot::InputFocus } else { Slot::Input }), typing);
}
