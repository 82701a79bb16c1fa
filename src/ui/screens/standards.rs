//! Visit standards: every customer the user answers for (a supervisor: the
//! unit's) against the active standard, required vs done per line, behind first.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw_title;
use crate::app::Ctx;
use crate::domain::id::CustomerId;
use crate::domain::marketing_log::monthly_log_quota;
use crate::domain::visit_standard::Compliance;
use crate::domain::visit_standard::{Period, period_bounds};
use crate::i18n::{Lang, fill, participant_label, tier_label, visit_kind_label};
use crate::keymap::Command;
use crate::msg::{Action, Msg};
use crate::review::{CustomerCompliance, responsibility, standards_table};
use crate::ui::Screen;
use crate::ui::screens::customers::unit_short_name;
use crate::ui::screens::visit_form::VisitRequest;
use crate::ui::widgets::text::{clean, pad, truncate};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ManagerLine {
    owner: i64,
    customers: usize,
    behind: usize,
    logs_written: u32,
    logs_required: u32,
}

pub struct StandardsScreen {
    rows: Vec<CustomerCompliance>,
    /// Marketing-log entries this month per customer (SPEC §6 quotas).
    logs: std::collections::HashMap<String, u32>,
    selected: usize,
    scroll: usize,
    error: Option<String>,
}

/// "上门拜访(主管) 0/1" for one line of a standard.
pub fn line_text(lang: Lang, c: &Compliance) -> String {
    format!(
        "{}({}) {}/{}",
        lang.pick(visit_kind_label(c.requirement.kind)),
        lang.pick(participant_label(c.requirement.who)),
        c.done,
        c.requirement.min_count
    )
}

impl StandardsScreen {
    pub fn new(ctx: &Ctx) -> StandardsScreen {
        let mut s = StandardsScreen { rows: Vec::new(), logs: Default::default(), selected: 0, scroll: 0, error: None };
        s.reload(ctx);
        s
    }

    fn reload(&mut self, ctx: &Ctx) {
        let today = ctx.today();
        let (first, last) = period_bounds(Period::Month, today);
        let (owner, unit) = responsibility(&ctx.user);
        match crate::db::marketing::entries_per_customer(ctx.store.conn(), owner, unit, first, last) {
            Ok(logs) => self.logs = logs,
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        match standards_table(ctx.store.conn(), &ctx.user, ctx.today(), ctx.standard) {
            Ok(mut rows) => {
                // Behind first; within that, the higher tiers first (the table comes tier-sorted).
                rows.sort_by_key(|r| !r.behind());
                self.rows = rows;
                self.error = None;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    /// Per account manager: customers, how many are behind, and the month's log
    /// entries written against the quota.
    fn per_manager(&self) -> Vec<ManagerLine> {
        let mut out: Vec<ManagerLine> = Vec::new();
        for r in &self.rows {
            let owner = r.customer.owner_a;
            let i = match out.iter().position(|m| m.owner == owner) {
                Some(i) => i,
                None => {
                    out.push(ManagerLine { owner, ..Default::default() });
                    out.len() - 1
                }
            };
            let m = &mut out[i];
            m.customers += 1;
            m.behind += usize::from(r.behind());
            m.logs_written += self.logs.get(&r.customer.id).copied().unwrap_or(0);
            m.logs_required += monthly_log_quota(r.customer.tier);
        }
        out.sort_by_key(|m| std::cmp::Reverse(m.behind));
        out
    }

    fn customer(&self) -> Option<CustomerId> {
        self.rows.get(self.selected).and_then(|r| CustomerId::parse(&r.customer.id).ok())
    }
}

impl Screen for StandardsScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        if let Msg::DayChanged { .. } = msg {
            // The month (and its standards) may have turned too.
            self.resume(ctx);
            return vec![];
        }
        let Msg::Key(key) = msg else { return vec![] };
        let last = self.rows.len().saturating_sub(1);
        match ctx.keymap.lookup("standards", key) {
            Some(Command::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Command::Down) => self.selected = (self.selected + 1).min(last),
            Some(Command::PageUp) => self.selected = self.selected.saturating_sub(10),
            Some(Command::PageDown) => self.selected = (self.selected + 10).min(last),
            Some(Command::Open) => {
                if let Some(id) = self.customer() {
                    return vec![Action::OpenDossier(id)];
                }
            }
            Some(Command::New) => {
                if let Some(id) = self.customer() {
                    return vec![Action::OpenVisitForm(Box::new(VisitRequest::Plan {
                        customer: Some(id),
                        date: ctx.today(),
                        follows: None,
                    }))];
                }
            }
            Some(Command::Quit) => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }

    fn key_modes(&self) -> &'static [&'static str] {
        &["standards"]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let behind = self.rows.iter().filter(|r| r.behind()).count();
        draw_title(f, title, ctx, &[t.screen_standards, &ctx.today().format("%Y-%m").to_string()], t.nav_hint);
        let summary = if self.rows.is_empty() {
            t.standards_none.to_string()
        } else {
            fill(t.standards_summary, &[&self.rows.len(), &behind])
        };
        let line = match &self.error {
            Some(e) => Span::styled(e.clone(), ctx.theme.get("error")),
            None => Span::styled(format!(" {summary}"), ctx.theme.get("header")),
        };
        f.render_widget(Paragraph::new(line), head);
        // A supervisor's unit: one line per account manager before the customers.
        let managers =
            if ctx.user.role == crate::domain::staff::Role::Manager { Vec::new() } else { self.per_manager() };
        let summary_h = (managers.len() as u16).min(body.height / 3);
        let [summary_area, body] = Layout::vertical([Constraint::Length(summary_h), Constraint::Min(0)]).areas(body);
        let summary_lines: Vec<Line> = managers
            .iter()
            .take(summary_h as usize)
            .map(|m| {
                let name = ctx.reference.staff(m.owner).map(|s| s.name.clone()).unwrap_or_default();
                let text = format!(
                    " {} · {} · {} {}/{}",
                    pad(&name, 8),
                    fill(t.standards_summary, &[&m.customers, &m.behind]),
                    t.screen_log,
                    m.logs_written,
                    m.logs_required
                );
                Line::from(Span::styled(text, ctx.theme.get(if m.behind > 0 { "warning" } else { "ok" })))
            })
            .collect();
        f.render_widget(Paragraph::new(summary_lines), summary_area);
        let h = body.height as usize;
        self.scroll = crate::ui::widgets::scroll::keep_visible(self.selected, self.scroll, h);
        let w = body.width as usize;
        let lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(self.scroll)
            .take(h)
            .map(|(i, r)| {
                let c = &r.customer;
                let owner = ctx.reference.staff(c.owner_a).map(|s| s.name.clone()).unwrap_or_default();
                let unit =
                    ctx.reference.unit(c.unit_id).map(|u| unit_short_name(&u.name).to_string()).unwrap_or_default();
                let mark = if r.behind() { "✗" } else { "✓" };
                let mut lines: Vec<String> = r.lines.iter().map(|l| line_text(ctx.lang, l)).collect();
                let written = self.logs.get(&c.id).copied().unwrap_or(0);
                let required = monthly_log_quota(c.tier);
                lines.insert(0, format!("{} {written}/{required}", t.screen_log));
                let text = format!(
                    "{mark} {} {} {} {} · {}",
                    pad(&clean(&c.short_name), 14),
                    pad(ctx.lang.pick(tier_label(c.tier)), 6),
                    pad(&owner, 6),
                    pad(&unit, 8),
                    lines.join("  ")
                );
                let style = if i == self.selected {
                    ctx.theme.get("selection")
                } else if r.behind() {
                    ctx.theme.get("warning")
                } else {
                    ctx.theme.get("ok")
                };
                Line::from(Span::styled(pad(&truncate(&text, w), w), style))
            })
            .collect();
        f.render_widget(Paragraph::new(lines), body);
    }
}
