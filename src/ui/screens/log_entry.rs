//! One marketing log entry in full: every field, the whole text wrapped and
//! scrollable, and every supervisor's comment with its author and time.
//! Enter opens the customer's dossier; supervisors comment with `c`.
//!
//! When a comment counts as read: when the entry's author has had it on
//! screen here (all of it, or a whole screenful of a very long one) and then
//! leaves the view (Esc, or Enter to the dossier). Until then Today keeps
//! listing it under the new comments, however often the view is opened.

use std::collections::BTreeSet;
use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw_title;
use crate::ctx::Ctx;
use crate::db::DbError;
use crate::db::marketing::{self, LogDetail};
use crate::i18n::{fill, method_label, satisfaction_label, stage_label};
use crate::keymap::Command;
use crate::keymap::Mode;
use crate::msg::LogRequest;
use crate::msg::{Action, Msg};
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::widgets::text::{cells, clean, pad, width, wrap};

pub struct LogEntryScreen {
    detail: LogDetail,
    scroll: usize,
    /// Lines of the body in the last frame, to page by.
    page: usize,
    /// New comments on the user's own entry that have been on screen.
    read: BTreeSet<i64>,
    /// On the first frame, scroll to the first new comment.
    jump_to_new: bool,
}

/// The entry as lines at a width, and which lines each new comment took.
struct Laid {
    lines: Vec<Line<'static>>,
    new_comments: Vec<(i64, Range<usize>)>,
}

impl LogEntryScreen {
    pub fn open(ctx: &mut Ctx, id: i64) -> Result<LogEntryScreen, DbError> {
        let detail = marketing::detail(ctx.store.conn(), id)?;
        Ok(LogEntryScreen { detail, scroll: 0, page: 10, read: BTreeSet::new(), jump_to_new: true })
    }

    fn mine(&self, ctx: &Ctx) -> bool {
        self.detail.entry.author_id == ctx.user.id
    }

    /// Marks the new comments the author has had on screen as read.
    fn leave(&mut self, ctx: &mut Ctx, then: Action) -> Vec<Action> {
        let read: Vec<i64> = std::mem::take(&mut self.read).into_iter().collect();
        let actor = ctx.actor();
        if let Err(e) = marketing::mark_all_seen(&mut ctx.store, &actor, &read) {
            return vec![then, Action::Error(ctx.describe(&e))];
        }
        vec![then]
    }

    fn command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        match cmd {
            Command::Up => self.scroll = self.scroll.saturating_sub(1),
            Command::Down => self.scroll = self.scroll.saturating_add(1),
            Command::PageUp => self.scroll = self.scroll.saturating_sub(self.page.max(1)),
            Command::PageDown => self.scroll = self.scroll.saturating_add(self.page.max(1)),
            Command::Top => self.scroll = 0,
            Command::Bottom => self.scroll = usize::MAX,
            Command::OpenCustomer => {
                return self.leave(ctx, Action::OpenDossier(self.detail.entry.customer_id.clone()));
            }
            Command::Comment => {
                let request = LogRequest::Comment {
                    log_id: self.detail.entry.id,
                    customer_name: self.detail.entry.customer_name.clone(),
                };
                return vec![Action::OpenLogForm(Box::new(request))];
            }
            Command::Back => return self.leave(ctx, Action::Back),
            _ => {}
        }
        vec![]
    }

    fn lay_out(&self, ctx: &Ctx, cols: usize) -> Laid {
        let t = ctx.t();
        let d = &self.detail;
        let e = &d.entry;
        let lang = ctx.lang;
        let dash = |s: &str| if s.trim().is_empty() { "—".to_string() } else { clean(s) };
        let mut fields: Vec<(&str, String)> = vec![
            (t.entry_customer, clean(&format!("{} ({})", e.customer_name, e.customer_id))),
            (t.f_logged_on, e.logged_on.to_string()),
            (t.f_method, lang.pick(method_label(e.method)).to_string()),
            (t.f_stage, lang.pick(stage_label(e.stage)).to_string()),
            (t.entry_author, author_line(ctx, d)),
            // An entry entered for its author was written on paper, on its date; this is when it came in.
            (
                if d.entered_by_name.is_some() { t.entry_entered_at } else { t.entry_written_at },
                d.written_at.format("%Y-%m-%d %H:%M").to_string(),
            ),
        ];
        if let Some(at) = d.visit_at {
            fields.push((t.entry_from_visit, at.format("%Y-%m-%d %H:%M").to_string()));
        }
        fields.extend([
            (t.f_content, dash(&e.content)),
            (t.f_needs, dash(&e.needs)),
            (t.f_cooperation, dash(&d.cooperation)),
            (
                t.f_satisfaction,
                d.satisfaction.map(|s| lang.pick(satisfaction_label(s)).to_string()).unwrap_or("—".into()),
            ),
            (t.f_next_step, dash(&e.next_step)),
            (t.f_next_due, d.next_due.map(|d| d.to_string()).unwrap_or("—".into())),
            (t.f_our_people, dash(&d.our_people)),
            (t.f_their_people, dash(&d.their_people)),
        ]);
        let label_w = fields.iter().map(|(l, _)| width(l)).max().unwrap_or(8).min(cols / 3) + 1;
        let value_w = cols.saturating_sub(label_w + 1).max(4);
        let mut lines: Vec<Line<'static>> = Vec::new();
        for (label, value) in fields {
            for (i, part) in wrap(&value, value_w).into_iter().enumerate() {
                let label = if i == 0 { pad(label, label_w) } else { " ".repeat(label_w) };
                lines.push(Line::from(vec![
                    Span::styled(label, ctx.theme.get(Slot::Header)),
                    Span::raw(" "),
                    Span::styled(part, ctx.theme.get(Slot::Base)),
                ]));
            }
        }
        lines.push(Line::from(""));
        let heading = format!("{} ({})", t.entry_comments, d.comments.len());
        lines.push(Line::from(Span::styled(heading, ctx.theme.get(Slot::Accent))));
        if d.comments.is_empty() {
            lines.push(Line::from(Span::styled(format!("  {}", t.entry_no_comments), ctx.theme.get(Slot::Muted))));
        }
        let mut new_comments = Vec::new();
        let mine = self.mine(ctx);
        for c in &d.comments {
            let start = lines.len();
            let new = mine && c.seen_at.is_none() && c.comment.is_some();
            let mut head = vec![Span::styled(
                format!("  {} {}", c.at.format("%Y-%m-%d %H:%M"), clean(&c.by)),
                ctx.theme.get(Slot::Header),
            )];
            if c.comment.is_none() {
                head.push(Span::styled(format!(" · {}", t.entry_read_mark), ctx.theme.get(Slot::Muted)));
            }
            if new {
                head.push(Span::styled(format!(" [{}]", t.entry_new_mark), ctx.theme.get(Slot::Warning)));
            }
            lines.push(Line::from(head));
            if let Some(text) = &c.comment {
                for part in wrap(&clean(text), cols.saturating_sub(4).max(4)) {
                    lines.push(Line::from(Span::styled(format!("    {part}"), ctx.theme.get(Slot::Base))));
                }
            }
            if new {
                new_comments.push((c.id, start..lines.len()));
            }
        }
        Laid { lines, new_comments }
    }
}

/// The author, and who entered the entry when that was someone else (an
/// import from paper), so that nobody takes it for the author's own write.
fn author_line(ctx: &Ctx, d: &LogDetail) -> String {
    let author = if d.author_name.trim().is_empty() { "—".to_string() } else { clean(&d.author_name) };
    match &d.entered_by_name {
        Some(by) => format!("{author} · {}", fill(ctx.t().log_entered_by, &[&clean(by)])),
        None => author,
    }
}

impl Screen for LogEntryScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        match msg {
            Msg::Key(key) => match ctx.keymap.lookup(Mode::LogEntry, key) {
                Some(cmd) => self.command(ctx, cmd),
                None => vec![],
            },
            _ => vec![],
        }
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        // A comment may have been written meanwhile.
        if let Ok(detail) = marketing::detail(ctx.store.conn(), self.detail.entry.id) {
            self.detail = detail;
        }
    }

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::LogEntry]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, body, hint] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(area);
        let day = self.detail.entry.logged_on.to_string();
        let name = clean(&self.detail.entry.customer_name);
        draw_title(f, title, &ctx.theme, ctx.t(), &[t.screen_log, &name, &day], "");
        let body = Rect { x: body.x + 1, width: body.width.saturating_sub(2), ..body };
        let laid = self.lay_out(ctx, body.width as usize);
        let h = body.height as usize;
        self.page = h.saturating_sub(1);
        let max_scroll = laid.lines.len().saturating_sub(h);
        if self.jump_to_new {
            self.jump_to_new = false;
            // Show the first new comment whole, with as much of the entry above it as fits.
            if let Some((_, r)) = laid.new_comments.first() {
                self.scroll = r.end.saturating_sub(h).min(r.start);
            }
        }
        self.scroll = self.scroll.min(max_scroll);
        let window = self.scroll..self.scroll + h;
        for (id, r) in &laid.new_comments {
            let whole = r.start >= window.start && r.end <= window.end;
            let longer_than_a_screen = r.len() > h && window.contains(&r.start);
            if whole || longer_than_a_screen {
                self.read.insert(*id);
            }
        }
        f.render_widget(Paragraph::new(laid.lines).scroll((cells(self.scroll), 0)), body);
        f.render_widget(Paragraph::new(Span::styled(t.entry_hint, ctx.theme.get(Slot::Muted))), hint);
    }
}
