//! The bottom line: the latest message or error on the left, who is working on
//! the right.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{clean, truncate, width};
use crate::app::{Ctx, Status};
use crate::i18n::role_label;

/// `today` is the app's day, as of the last message handled.
pub fn draw(f: &mut Frame, area: Rect, ctx: &Ctx, status: Option<&Status>, today: chrono::NaiveDate) {
    let who = format!(
        " {} · {} · {} · {} ",
        ctx.user.name,
        ctx.lang.pick(role_label(ctx.user.role)),
        today.format("%Y-%m-%d"),
        ctx.t().help_hint
    );
    let who = clean(&who);
    let room = (area.width as usize).saturating_sub(width(&who) + 1);
    let (text, style) = match status {
        Some(Status::Info(t)) => (t.as_str(), ctx.theme.get("status_bar")),
        Some(Status::Error(t)) => (t.as_str(), ctx.theme.get("status_bar_error")),
        None => ("", ctx.theme.get("status_bar")),
    };
    let message = truncate(&clean(&format!(" {text}")), room);
    let gap = room.saturating_sub(width(&message)) + 1;
    let line = Line::from(vec![
        Span::styled(message, style),
        Span::styled(" ".repeat(gap), ctx.theme.get("status_bar")),
        Span::styled(truncate(&who, area.width as usize), ctx.theme.get("status_bar")),
    ]);
    f.render_widget(Paragraph::new(line).style(ctx.theme.get("status_bar")), area);
}
