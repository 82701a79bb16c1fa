//! The bottom line: the latest message or error on the left, who is working on
//! the right. A message too long to fit beside that takes the lines above it
//! that it needs (a reason for a refusal is read in full, never cut).

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{clean, truncate, width, wrap};
use crate::app::{Ctx, Status};
use crate::i18n::role_label;

/// Lines a long message may take above the bar.
const MAX_MESSAGE_LINES: usize = 4;

fn who(ctx: &Ctx) -> String {
    clean(&format!(
        " {} · {} · {} · {} ",
        ctx.user.name,
        ctx.lang.pick(role_label(ctx.user.role)),
        ctx.today().format("%Y-%m-%d"),
        ctx.t().help_hint
    ))
}

fn message(status: Option<&Status>) -> String {
    match status {
        Some(Status::Info(t)) | Some(Status::Error(t)) => clean(&format!(" {t}")),
        None => String::new(),
    }
}

/// The message's lines when it does not fit beside the user's name; empty when it does.
fn message_lines(area_width: u16, ctx: &Ctx, status: Option<&Status>) -> Vec<String> {
    let text = message(status);
    let room = (area_width as usize).saturating_sub(width(&who(ctx)) + 1);
    if width(&text) <= room {
        return Vec::new();
    }
    let mut lines = wrap(text.trim_start(), (area_width as usize).saturating_sub(2).max(1));
    if lines.len() > MAX_MESSAGE_LINES {
        lines.truncate(MAX_MESSAGE_LINES);
        let last = lines.pop().unwrap_or_default();
        lines.push(truncate(&format!("{last}…"), (area_width as usize).saturating_sub(2)));
    }
    lines.into_iter().map(|l| format!(" {l}")).collect()
}

/// How many lines the bar needs at this width for this message.
pub fn height(area_width: u16, ctx: &Ctx, status: Option<&Status>) -> u16 {
    1 + message_lines(area_width, ctx, status).len() as u16
}

pub fn draw(f: &mut Frame, area: Rect, ctx: &Ctx, status: Option<&Status>) {
    let who = who(ctx);
    let style = match status {
        Some(Status::Error(_)) => ctx.theme.get("status_bar_error"),
        _ => ctx.theme.get("status_bar"),
    };
    let long = message_lines(area.width, ctx, status);
    let mut lines: Vec<Line> = long
        .iter()
        .take(area.height.saturating_sub(1) as usize)
        .map(|l| Line::from(Span::styled(l.clone(), style)))
        .collect();
    let room = (area.width as usize).saturating_sub(width(&who) + 1);
    let message = if long.is_empty() { truncate(&message(status), room) } else { String::new() };
    let gap = room.saturating_sub(width(&message)) + 1;
    lines.push(Line::from(vec![
        Span::styled(message, style),
        Span::styled(" ".repeat(gap), ctx.theme.get("status_bar")),
        Span::styled(truncate(&who, area.width as usize), ctx.theme.get("status_bar")),
    ]));
    let paragraph_style = if long.is_empty() { ctx.theme.get("status_bar") } else { style };
    f.render_widget(Paragraph::new(lines).style(paragraph_style), area);
}
