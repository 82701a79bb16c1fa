//! "Plan my month": the visits the active standard still asks for this month,
//! proposed on working days; the user keeps, moves or drops each, and only the
//! kept ones are saved, all at once.

use chrono::{Datelike, Days, NaiveDate, NaiveTime};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::draw_title;
use super::form::discard_or_warn;
use crate::ctx::Ctx;
use crate::db::visits::{self, NewVisit};
use crate::domain::month_plan::{PlanCustomer, ProposedVisit, propose_month};
use crate::domain::visit::{ParticipantRole, VisitKind};
use crate::domain::visit_standard::{Period, period_bounds};
use crate::i18n::{fill, participant_label, visit_kind_label, weekday_label};
use crate::keymap::{Command, Mode};
use crate::msg::{Action, Msg};
use crate::review::{responsibility, standards_table};
use crate::search::sort_key;
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, Viewport, widest};

/// At most this many proposals on one day.
const PER_DAY: u32 = 6;

struct Proposal {
    visit: ProposedVisit,
    name: String,
    keep: bool,
}

pub struct MonthPlanScreen {
    month: NaiveDate,
    items: Vec<Proposal>,
    selected: usize,
    view: Viewport,
    discard_armed: bool,
    error: Option<String>,
}

impl MonthPlanScreen {
    pub fn new(ctx: &Ctx, month: NaiveDate) -> MonthPlanScreen {
        let mut s = MonthPlanScreen {
            month,
            items: Vec::new(),
            selected: 0,
            view: Viewport::default(),
            discard_armed: false,
            error: None,
        };
        if let Err(e) = s.propose(ctx) {
            s.error = Some(ctx.describe(&e));
        }
        s
    }

    fn propose(&mut self, ctx: &Ctx) -> Result<(), crate::db::DbError> {
        let conn = ctx.store.conn();
        let today = ctx.today();
        // The customers and their standing come from the end of the month being planned.
        let (_, month_end) = period_bounds(Period::Month, self.month);
        let table = standards_table(conn, &ctx.user, month_end.min(today.max(self.month)), ctx.standard)?;
        let customers: Vec<PlanCustomer> =
            table.iter().map(|c| PlanCustomer { id: c.customer.id.clone(), tier: c.customer.tier }).collect();
        let (owner, unit) = responsibility(&ctx.user);
        let (year_start, _) = period_bounds(Period::Year, self.month);
        let already: Vec<_> = visits::done_or_planned_for_customers(conn, owner, unit, year_start, month_end)?
            .into_iter()
            .flat_map(|(c, vs)| vs.into_iter().map(move |v| (c.clone(), v)))
            .collect();
        let proposals = propose_month(ctx.standard, self.month, today, &customers, &already, PER_DAY);
        self.items = proposals
            .into_iter()
            .map(|p| {
                let name = table.iter().find(|c| c.customer.id == p.customer_id).map(|c| c.customer.short_name.clone());
                Proposal { name: name.unwrap_or_default(), visit: p, keep: true }
            })
            .collect();
        // Read as a diary: by day, then customer (by name, in pinyin order).
        self.items.sort_by_cached_key(|p| (p.visit.date, sort_key(&p.name), p.visit.customer_id.clone()));
        Ok(())
    }

    fn save(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        let actor = ctx.actor();
        let supervisor = ctx
            .reference
            .staff
            .iter()
            .find(|s| s.role == crate::domain::staff::Role::Supervisor && s.unit_id == ctx.user.unit_id);
        let kept: Vec<NewVisit> = self
            .items
            .iter()
            .filter(|p| p.keep)
            .map(|p| {
                let mut staff = vec![(ctx.user.id, ParticipantRole::AccountManager)];
                // A line that needs a supervisor or leader names one of the unit's where there is one.
                if p.visit.who == ParticipantRole::Supervisor
                    && let Some(s) = supervisor
                {
                    staff.push((s.id, ParticipantRole::Supervisor));
                }
                NewVisit {
                    customer_id: p.visit.customer_id.clone(),
                    kind: p.visit.kind,
                    planned_at: p.visit.date.and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or(NaiveTime::MIN)),
                    duration_min: 60,
                    owner_id: ctx.user.id,
                    purpose: String::new(),
                    staff,
                    persons: Vec::new(),
                    follows_id: None,
                }
            })
            .collect();
        match visits::plan_many(&mut ctx.store, &actor, &kept) {
            Ok(ids) => vec![Action::Saved, Action::Info(fill(ctx.t().visits_planned, &[&ids.len()]))],
            Err(e) => vec![Action::Error(ctx.describe(&e))],
        }
    }

    /// Moves the selected proposal by a working day, staying within the month.
    fn shift(&mut self, forward: bool, today: NaiveDate) {
        let Some(p) = self.items.get_mut(self.selected) else { return };
        let mut d = p.visit.date;
        loop {
            d = if forward { d + Days::new(1) } else { d - Days::new(1) };
            if d.month() != self.month.month() || d < today {
                return;
            }
            if d.weekday().num_days_from_monday() < 5 {
                p.visit.date = d;
                return;
            }
        }
    }
}

impl Screen for MonthPlanScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        let Msg::Key(key) = msg else { return vec![] };
        let cmd = ctx.keymap.lookup(Mode::Plan, key);
        if cmd != Some(Command::Cancel) {
            self.discard_armed = false;
        }
        let last = self.items.len().saturating_sub(1);
        match cmd {
            Some(Command::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Command::Down) => self.selected = (self.selected + 1).min(last),
            Some(Command::Toggle) => {
                if let Some(p) = self.items.get_mut(self.selected) {
                    p.keep = !p.keep;
                }
            }
            Some(Command::Left) => self.shift(false, ctx.today()),
            Some(Command::Right) => self.shift(true, ctx.today()),
            Some(Command::Save) => return self.save(ctx),
            Some(Command::Cancel) => {
                // Nothing is saved until Ctrl-S; leaving with proposals changed asks first.
                let changed = self.items.iter().any(|p| !p.keep);
                return match discard_or_warn(&mut self.discard_armed, changed) {
                    true => vec![Action::Back],
                    false => vec![Action::Info(ctx.t().form_discard.to_string())],
                };
            }
            _ => {}
        }
        vec![]
    }

    fn is_typing(&self) -> bool {
        // Space and the arrows belong to the proposals here, not to global keys.
        true
    }

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::Plan]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
        draw_title(f, title, &ctx.theme, ctx.t(), &[t.screen_month_plan, &self.month.format("%Y-%m").to_string()], "");
        let kept = self.items.iter().filter(|p| p.keep).count();
        let summary = match (&self.error, self.items.is_empty()) {
            (Some(e), _) => Span::styled(e.clone(), ctx.theme.get(Slot::Error)),
            (None, true) => Span::styled(format!(" {}", t.plan_nothing), ctx.theme.get(Slot::Ok)),
            (None, false) => Span::styled(
                format!(" {}", fill(t.plan_summary, &[&self.items.len(), &kept])),
                ctx.theme.get(Slot::Header),
            ),
        };
        f.render_widget(Paragraph::new(summary), head);
        let lang = ctx.lang;
        let names = widest(self.items.iter().map(|p| p.name.as_str()), 24);
        let who = [ParticipantRole::AccountManager, ParticipantRole::Supervisor, ParticipantRole::Leader];
        let columns = vec![
            Column::fixed("", 3),
            Column::fixed(t.col_date, 5),
            Column::fixed("", widest((0..7).map(|d| lang.pick(weekday_label(d))), 6)),
            Column::flex(t.col_customer, 8, names.min(14), names),
            Column::fixed(t.col_visit_kind, widest(VisitKind::ALL.map(|k| lang.pick(visit_kind_label(k))), 16)),
            Column::fixed(t.col_visit_who, widest(who.map(|w| lang.pick(participant_label(w))), 12)),
            Column::fill("", 4).priority(1),
        ];
        let items = &self.items;
        let (base, muted) = (ctx.theme.get(Slot::Base), ctx.theme.get(Slot::Muted));
        DataTable::new(&ctx.theme, columns).render(f, body, items.len(), Some(self.selected), &mut self.view, |i| {
            let p = items.get(i)?;
            let d = p.visit.date;
            let cells = vec![
                Cell::text(if p.keep { "[✓]" } else { "[ ]" }),
                Cell::text(&d.format("%m-%d").to_string()),
                Cell::text(lang.pick(weekday_label(d.weekday().num_days_from_monday() as usize))),
                Cell::text(&p.name),
                Cell::text(lang.pick(visit_kind_label(p.visit.kind))),
                Cell::text(lang.pick(participant_label(p.visit.who))),
                Cell::text(if p.keep { "" } else { t.plan_dropped }),
            ];
            Some(Row::new(cells).style(if p.keep { base } else { muted }))
        });
    }
}
