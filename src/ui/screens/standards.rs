//! Visit standards: every customer the user answers for (a supervisor: the
//! unit's) against the active standard, required vs done per line, behind first.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::draw_title;
use crate::ctx::Ctx;
use crate::domain::id::CustomerId;
use crate::domain::marketing_log::monthly_log_quota;
use crate::domain::visit_standard::Compliance;
use crate::domain::visit_standard::{Period, period_bounds};
use crate::i18n::{Lang, fill, participant_label, tier_label, visit_kind_label};
use crate::keymap::Command;
use crate::keymap::Mode;
use crate::msg::VisitRequest;
use crate::msg::{Action, Msg};
use crate::review::{CustomerCompliance, responsibility, standards_table};
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::screens::customers::unit_short_name;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, Viewport, widest};
use crate::ui::widgets::text::{cells, clean};

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
    logs: std::collections::HashMap<CustomerId, u32>,
    selected: usize,
    view: Viewport,
    summary_view: Viewport,
    /// The day the standing was read on (its month is the title's).
    today: NaiveDate,
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
        let mut s = StandardsScreen {
            rows: Vec::new(),
            logs: Default::default(),
            selected: 0,
            view: Viewport::default(),
            summary_view: Viewport::default(),
            today: ctx.today(),
            error: None,
        };
        s.reload(ctx);
        s
    }

    fn reload(&mut self, ctx: &Ctx) {
        let today = ctx.today();
        self.today = today;
        let (first, last) = period_bounds(Period::Month, today);
        let (owner, unit) = responsibility(&ctx.user);
        match crate::db::marketing::entries_per_customer(ctx.store.conn(), owner, unit, first, last) {
            Ok(logs) => self.logs = logs,
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        match standards_table(ctx.store.conn(), &ctx.user, today, ctx.standard) {
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
        self.rows.get(self.selected).map(|r| r.customer.id.clone())
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
        match ctx.keymap.lookup(Mode::Standards, key) {
            Some(Command::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Command::Down) => self.selected = (self.selected + 1).min(last),
            Some(Command::PageUp) => self.selected = self.selected.saturating_sub(self.view.page()),
            Some(Command::PageDown) => self.selected = (self.selected + self.view.page()).min(last),
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

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::Standards]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let behind = self.rows.iter().filter(|r| r.behind()).count();
        draw_title(
            f,
            title,
            &ctx.theme,
            ctx.t(),
            &[t.screen_standards, &self.today.format("%Y-%m").to_string()],
            t.nav_hint,
        );
        let summary = if self.rows.is_empty() {
            t.standards_none.to_string()
        } else {
            fill(t.standards_summary, &[&self.rows.len(), &behind])
        };
        let line = match &self.error {
            Some(e) => Span::styled(clean(e), ctx.theme.get(Slot::Error)),
            None => Span::styled(format!(" {summary}"), ctx.theme.get(Slot::Header)),
        };
        f.render_widget(Paragraph::new(line), head);
        // A supervisor's unit: one line per account manager before the customers.
        let managers =
            if ctx.user.role == crate::domain::staff::Role::Manager { Vec::new() } else { self.per_manager() };
        let summary_h = if managers.is_empty() { 0 } else { cells(managers.len() + 1).min(body.height / 3) };
        let [summary_area, body] = Layout::vertical([Constraint::Length(summary_h), Constraint::Min(0)]).areas(body);
        let name = |id: i64| ctx.reference.staff(id).map(|s| s.name.clone()).unwrap_or_default();
        let summary_columns = vec![
            Column::fixed(t.analysis_col_manager, widest(ctx.reference.staff.iter().map(|s| s.name.as_str()), 8)),
            Column::fixed(t.report_col_count, 6).right(),
            Column::fixed(t.col_behind, 6).right(),
            Column::fixed(t.screen_log, 9).right(),
        ];
        let (warning, ok) = (ctx.theme.get(Slot::Warning), ctx.theme.get(Slot::Ok));
        DataTable::new(&ctx.theme, summary_columns).render(
            f,
            summary_area,
            managers.len(),
            None,
            &mut self.summary_view,
            |i| {
                let m = managers.get(i)?;
                let cells = vec![
                    Cell::text(&name(m.owner)),
                    Cell::text(&m.customers.to_string()),
                    Cell::text(&m.behind.to_string()),
                    Cell::text(&format!("{}/{}", m.logs_written, m.logs_required)),
                ];
                Some(Row::new(cells).style(if m.behind > 0 { warning } else { ok }))
            },
        );
        let lang = ctx.lang;
        let names = widest(self.rows.iter().map(|r| r.customer.short_name.as_str()), 24);
        let units = widest(
            self.rows.iter().filter_map(|r| ctx.reference.unit(r.customer.unit_id)).map(|u| unit_short_name(&u.name)),
            16,
        );
        let columns = vec![
            Column::fixed("", 1),
            Column::flex(t.col_short_name, 8, names.min(14), names),
            Column::fixed(t.col_tier, widest(ctx.preset.tiers().iter().map(|x| lang.pick(tier_label(*x))), 12)),
            Column::fixed(t.col_owner, widest(ctx.reference.staff.iter().map(|s| s.name.as_str()), 8)).priority(1),
            Column::flex(t.col_unit, 6, units.min(8), units).priority(2),
            Column::fixed(t.screen_log, 7).right(),
            Column::fill(t.standards_col_lines, 16),
        ];
        let (rows, logs) = (&self.rows, &self.logs);
        let table = DataTable::new(&ctx.theme, columns).empty(t.standards_none);
        table.render(f, body, rows.len(), Some(self.selected), &mut self.view, |i| {
            let r = rows.get(i)?;
            let c = &r.customer;
            let unit = ctx.reference.unit(c.unit_id).map(|u| unit_short_name(&u.name).to_string()).unwrap_or_default();
            let lines: Vec<String> = r.lines.iter().map(|l| line_text(lang, l)).collect();
            let written = logs.get(&c.id).copied().unwrap_or(0);
            let cells = vec![
                Cell::text(if r.behind() { "✗" } else { "✓" }),
                Cell::text(&c.short_name),
                Cell::text(lang.pick(tier_label(c.tier))),
                Cell::text(&name(c.owner_a)),
                Cell::text(&unit),
                Cell::text(&format!("{written}/{}", monthly_log_quota(c.tier))),
                Cell::text(&lines.join("  ")),
            ];
            Some(Row::new(cells).style(if r.behind() { warning } else { ok }))
        });
    }
}
