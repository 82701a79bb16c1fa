//! Today: the screen kam opens on. Today's visits, overdue ones, customers
//! behind their visit standard, birthdays, dates and holidays of the coming
//! week, and stale dossiers — each line opens its customer or records the visit.

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw_title;
use crate::app::Ctx;
use crate::domain::id::CustomerId;
use crate::domain::visit::VisitState;
use crate::i18n::weekday_label;
use crate::keymap::Command;
use crate::msg::{Action, Msg};
use crate::review::day_review;
use crate::review::lines::{ReviewLine, Target, review_lines};
use crate::ui::Screen;
use crate::ui::screens::visit_form::VisitRequest;
use crate::ui::widgets::text::{clean, pad, truncate};

pub struct TodayScreen {
    /// The day reviewed (the title's date).
    day: chrono::NaiveDate,
    items: Vec<ReviewLine>,
    selected: usize,
    scroll: usize,
    error: Option<String>,
}

impl TodayScreen {
    pub fn new(ctx: &Ctx) -> TodayScreen {
        let mut s = TodayScreen { day: ctx.today(), items: Vec::new(), selected: 0, scroll: 0, error: None };
        s.reload(ctx);
        s
    }

    fn reload(&mut self, ctx: &Ctx) {
        let now = ctx.clock.now();
        self.day = now.date();
        match day_review(ctx.store.conn(), &ctx.user, now, ctx.standard) {
            Ok(review) => {
                self.items = review_lines(ctx.lang, &ctx.reference, now, &review);
                self.error = None;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        self.selected = self.selected.min(self.items.len().saturating_sub(1));
        if matches!(self.items.get(self.selected).map(|i| &i.target), Some(Target::Heading)) {
            self.step(1);
        }
    }

    /// Moves the selection by `dir` lines, skipping headings.
    fn step(&mut self, dir: isize) {
        let mut i = self.selected as isize;
        loop {
            i += dir;
            if i < 0 || i as usize >= self.items.len() {
                return;
            }
            if !matches!(self.items[i as usize].target, Target::Heading) {
                self.selected = i as usize;
                return;
            }
        }
    }

    fn command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        let target = self.items.get(self.selected).map(|i| i.target.clone());
        match cmd {
            Command::Up => self.step(-1),
            Command::Down => self.step(1),
            Command::PageUp => (0..10).for_each(|_| self.step(-1)),
            Command::PageDown => (0..10).for_each(|_| self.step(1)),
            Command::Refresh => self.reload(ctx),
            Command::Open if matches!(target, Some(Target::Comment(_))) => {
                // Opening a comment marks it seen; it leaves Today.
                if let Some(Target::Comment(id)) = target {
                    let actor = ctx.actor();
                    if let Err(e) = crate::db::marketing::mark_seen(&mut ctx.store, &actor, id) {
                        return vec![Action::Error(ctx.describe(&e))];
                    }
                    self.reload(ctx);
                }
            }
            Command::Open => {
                let id = match target {
                    Some(Target::Visit(v)) => Some(v.customer_id.clone()),
                    Some(Target::Customer(c)) => Some(c),
                    _ => None,
                };
                if let Some(id) = id.and_then(|i| CustomerId::parse(&i).ok()) {
                    return vec![Action::OpenDossier(id)];
                }
            }
            Command::Record => {
                if let Some(Target::Visit(v)) =
                    target.filter(|t| matches!(t, Target::Visit(v) if v.state == VisitState::Planned))
                {
                    return vec![Action::OpenVisitForm(Box::new(VisitRequest::Record { base: v }))];
                }
            }
            Command::New => {
                let customer = match target {
                    Some(Target::Visit(v)) => CustomerId::parse(&v.customer_id).ok(),
                    Some(Target::Customer(c)) => CustomerId::parse(&c).ok(),
                    _ => None,
                };
                return vec![Action::OpenVisitForm(Box::new(VisitRequest::Plan {
                    customer,
                    date: ctx.today(),
                    follows: None,
                }))];
            }
            Command::Back => return vec![],
            Command::Quit => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }
}

impl Screen for TodayScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        match msg {
            Msg::Key(key) => match ctx.keymap.lookup("today", key) {
                Some(cmd) => self.command(ctx, cmd),
                None => vec![],
            },
            _ => vec![],
        }
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }

    fn key_modes(&self) -> &'static [&'static str] {
        &["today"]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let today = self.day;
        let day = format!(
            "{} {}",
            today.format("%Y-%m-%d"),
            ctx.lang.pick(weekday_label(today.weekday().num_days_from_monday() as usize))
        );
        draw_title(f, title, ctx, &[t.screen_today, &day], t.nav_hint);
        if let Some(e) = &self.error {
            f.render_widget(Paragraph::new(Span::styled(clean(e), ctx.theme.get("error"))), body);
            return;
        }
        let h = body.height as usize;
        // One line more above the selection, so its section heading shows.
        self.scroll = crate::ui::widgets::scroll::keep_visible(self.selected.saturating_sub(1), self.scroll, h)
            .max((self.selected + 1).saturating_sub(h));
        let w = body.width as usize;
        let lines: Vec<Line> = self
            .items
            .iter()
            .enumerate()
            .skip(self.scroll)
            .take(h)
            .map(|(i, item)| {
                let style = if i == self.selected { ctx.theme.get("selection") } else { ctx.theme.get(item.slot) };
                let text =
                    if matches!(item.target, Target::Heading) { truncate(&item.text, w) } else { pad(&item.text, w) };
                Line::from(Span::styled(text, style))
            })
            .collect();
        f.render_widget(Paragraph::new(lines), body);
    }
}
