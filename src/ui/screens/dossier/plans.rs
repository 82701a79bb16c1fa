//! The dossier's marketing plans tab (营销计划, SPEC §13.2): the customer's
//! plans by period with their status, a form for the author (goals,
//! measures, expected revenue, notes; saved as a draft, handed in with `p`),
//! the supervisor's review (`a` with a comment, `b` back with a reason), and
//! the yearly service plan of the customer's unit (服务计划, SPEC §13.3).
//! Everything is read when the tab is (re)loaded; drawing reads nothing.

use chrono::Datelike;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::ctx::Ctx;
use crate::db::DbError;
use crate::db::customers::Dossier;
use crate::db::plans::{self, Plan, PlanText, ServicePlanText};
use crate::domain::marketing_log::marketing_plan_period;
use crate::domain::money::parse_amount;
use crate::domain::plan::{PlanPeriod, PlanStatus, ServicePlanLine, ServiceStandard, Standing, standing};
use crate::domain::validate::FieldError;
use crate::i18n::{fill, plan_period_label, plan_status_label, tier_label};
use crate::keymap::{Command, Mode};
use crate::msg::Action;
use crate::theme::Slot;
use crate::ui::field_error_text;
use crate::ui::widgets::form::{Form, FormField, FormKey};
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, Viewport};
use crate::ui::widgets::text::{clean, width, wrap};

pub const MODE: Mode = Mode::Plans;

/// Plans listed (newest period first).
const SHOWN: u64 = 60;

const PERIOD: &str = "period";
const GOALS: &str = "goals";
const MEASURES: &str = "measures";
const EXPECTED: &str = "expected";
const NOTES: &str = "notes";
const COMMENT: &str = "comment";
const BODY: &str = "body";

/// What the open form writes.
#[derive(Debug, Clone)]
enum Purpose {
    /// A plan's text: a new one (`expected` None) for a period picked in the form, or the stored one.
    Write { periods: Vec<PlanPeriod>, expected: Option<i64> },
    /// The review of a submitted plan: accepted with a comment, or sent back with a reason.
    Review { id: i64, version: i64, send_back: bool, period: PlanPeriod },
    /// The unit's service plan text for the year.
    Service { unit: i64, year: i32, expected: Option<i64> },
}

#[derive(Debug, Clone)]
struct PlanForm {
    purpose: Purpose,
    title: String,
    form: Form,
    opened: Vec<String>,
    /// Why the last save failed, until the next edit.
    message: Option<String>,
}

/// The unit's yearly service plan as shown.
#[derive(Debug, Clone)]
struct ServiceView {
    unit: i64,
    unit_name: String,
    year: i32,
    /// `None`: more than three customers over a million, the province standard stands.
    lines: Option<Vec<(ServicePlanLine, String)>>,
    large: u32,
    text: Option<ServicePlanText>,
}

/// What a key did on the tab.
pub enum Outcome {
    /// Handled here (maybe with actions for the app).
    Done(Vec<Action>),
    /// A write went through: reload the dossier and tell the user.
    Saved(String),
    /// Not this tab's key.
    Pass,
}

#[derive(Debug, Default)]
pub struct PlansTab {
    plans: Vec<Plan>,
    cursor: usize,
    view: Viewport,
    /// The customer's current plan period and where it stands, as of loading.
    current: Option<(PlanPeriod, Standing)>,
    form: Option<PlanForm>,
    service: Option<ServiceView>,
    service_view: Viewport,
}

impl PlansTab {
    pub fn load(&mut self, ctx: &Ctx, dossier: &Dossier) -> Result<(), DbError> {
        let conn = ctx.store.conn();
        self.plans = plans::of_customer(conn, &dossier.id, SHOWN)?;
        let today = ctx.today();
        let period = PlanPeriod::of(dossier.tier, today);
        let on = self
            .plans
            .iter()
            .find(|p| p.period.first == period.first && p.status.is_submitted())
            .and_then(|p| p.submitted_on);
        self.current = Some((period, standing(period, on, today)));
        self.cursor = self.cursor.min(self.plans.len().saturating_sub(1));
        if let Some(s) = &self.service {
            let (unit, year) = (s.unit, s.year);
            self.service = Some(Self::read_service(ctx, unit, year)?);
        }
        Ok(())
    }

    fn read_service(ctx: &Ctx, unit: i64, year: i32) -> Result<ServiceView, DbError> {
        let conn = ctx.store.conn();
        let (ranked, large) = plans::unit_year_revenue(conn, unit, year - 1, 10)?;
        let names: Vec<(crate::domain::id::CustomerId, String)> =
            ranked.iter().map(|(id, name, _, _)| (id.clone(), name.clone())).collect();
        let input: Vec<_> = ranked.into_iter().map(|(id, _, revenue, tier)| (id, revenue, tier)).collect();
        // The rule counts the unit's customers over a million; the list holds the top ten.
        let lines = if large > 3 {
            None
        } else {
            crate::domain::plan::service_plan(&input).map(|lines| {
                lines
                    .into_iter()
                    .map(|l| {
                        let name = names.iter().find(|(id, _)| *id == l.customer).map(|(_, n)| n.clone());
                        (l, name.unwrap_or_default())
                    })
                    .collect()
            })
        };
        let unit_name = ctx.reference.unit(unit).map(|u| u.name.clone()).unwrap_or_default();
        let text = plans::service_plan_text(conn, unit, year)?;
        Ok(ServiceView { unit, unit_name, year, lines, large, text })
    }

    pub fn is_typing(&self) -> bool {
        self.form.is_some()
    }

    pub fn has_typing(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.form.changed_since(&f.opened))
    }

    pub fn key_modes(&self) -> &'static [Mode] {
        if self.form.is_some() { &[Mode::Form] } else { &[MODE, Mode::Dossier] }
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(f) = self.form.as_mut() {
            f.form.paste(text);
        }
    }

    fn selected(&self) -> Option<&Plan> {
        self.plans.get(self.cursor)
    }

    /// A key on the tab: the open form's first, then the plans' keys.
    pub fn key(&mut self, ctx: &mut Ctx, dossier: &Dossier, key: &KeyEvent) -> Outcome {
        if self.form.is_some() {
            return self.form_key(ctx, dossier, key);
        }
        let Some(cmd) = ctx.keymap.lookup(MODE, key) else { return Outcome::Pass };
        if self.service.is_some() {
            return match cmd {
                Command::Back => {
                    self.service = None;
                    Outcome::Done(vec![])
                }
                Command::Edit => self.open_service_form(ctx),
                Command::Up => {
                    self.service_view.offset = self.service_view.offset.saturating_sub(1);
                    Outcome::Done(vec![])
                }
                Command::Down => {
                    self.service_view.offset += 1;
                    Outcome::Done(vec![])
                }
                _ => Outcome::Done(vec![]),
            };
        }
        match cmd {
            Command::Up => self.cursor = self.cursor.saturating_sub(1),
            Command::Down => self.cursor = (self.cursor + 1).min(self.plans.len().saturating_sub(1)),
            Command::New => return self.open_new(ctx, dossier),
            Command::Edit => return self.open_edit(ctx, dossier),
            Command::SubmitPlan => return self.submit(ctx, dossier),
            Command::ReviewPlan | Command::SendBackPlan => {
                return self.open_review(ctx, dossier, cmd == Command::SendBackPlan);
            }
            Command::ServicePlan => {
                let Some(unit) = dossier.value("unit_id").as_int() else { return Outcome::Done(vec![]) };
                return match Self::read_service(ctx, unit, ctx.today().year()) {
                    Ok(view) => {
                        self.service = Some(view);
                        self.service_view = Viewport::default();
                        Outcome::Done(vec![])
                    }
                    Err(e) => Outcome::Done(vec![Action::Error(ctx.describe(&e))]),
                };
            }
            _ => return Outcome::Pass,
        }
        Outcome::Done(vec![])
    }

    /// `n`: a plan for the current period, or the next one when the current is written.
    fn open_new(&mut self, ctx: &Ctx, dossier: &Dossier) -> Outcome {
        if let Err(e) = crate::db::access::may_edit_customer(ctx.store.conn(), &ctx.actor(), &dossier.id) {
            return Outcome::Done(vec![Action::Error(ctx.describe(&e))]);
        }
        let cadence = marketing_plan_period(dossier.tier);
        let current = PlanPeriod::of(dossier.tier, ctx.today());
        let next = PlanPeriod::containing(cadence, current.last.succ_opt().unwrap_or(current.last));
        let previous = current.previous(cadence);
        let free: Vec<PlanPeriod> = [current, next, previous]
            .into_iter()
            .filter(|p| !self.plans.iter().any(|stored| stored.period.first == p.first))
            .collect();
        if free.is_empty() {
            return Outcome::Done(vec![Action::Info(ctx.t().plan_all_written.to_string())]);
        }
        let t = ctx.t();
        let options: Vec<(String, String)> =
            free.iter().map(|p| (p.first.to_string(), plan_period_label(ctx.lang, *p))).collect();
        let first = options[0].0.clone();
        let form = Form::new(vec![
            FormField::pick(PERIOD, t.plan_field_period, true, options, &first),
            FormField::text(GOALS, t.plan_field_goals, true, ""),
            FormField::text(MEASURES, t.plan_field_measures, false, ""),
            FormField::text(EXPECTED, t.plan_field_expected, false, ""),
            FormField::text(NOTES, t.plan_field_notes, false, ""),
        ]);
        let title = fill(t.plan_form_new, &[&clean(dossier.text("short_name"))]);
        self.open_form(Purpose::Write { periods: free, expected: None }, title, form);
        Outcome::Done(vec![])
    }

    /// `e`: the selected plan's text, while it is a draft or sent back.
    fn open_edit(&mut self, ctx: &Ctx, dossier: &Dossier) -> Outcome {
        let Some(plan) = self.selected().cloned() else { return self.open_new(ctx, dossier) };
        if let Err(e) = crate::db::access::may_edit_customer(ctx.store.conn(), &ctx.actor(), &dossier.id) {
            return Outcome::Done(vec![Action::Error(ctx.describe(&e))]);
        }
        if !plan.status.is_editable() {
            return Outcome::Done(vec![Action::Error(ctx.t().plan_err_not_editable.to_string())]);
        }
        let t = ctx.t();
        let period = plan_period_label(ctx.lang, plan.period);
        let options = vec![(plan.period.first.to_string(), period.clone())];
        let expected = plan.text.expected_revenue.map(|m| m.yuan().round_dp(2).to_string()).unwrap_or_default();
        let form = Form::new(vec![
            FormField::pick(PERIOD, t.plan_field_period, true, options, &plan.period.first.to_string()),
            FormField::text(GOALS, t.plan_field_goals, true, &plan.text.goals),
            FormField::text(MEASURES, t.plan_field_measures, false, &plan.text.measures),
            FormField::text(EXPECTED, t.plan_field_expected, false, &expected),
            FormField::text(NOTES, t.plan_field_notes, false, &plan.text.notes),
        ]);
        let title = fill(t.plan_form_edit, &[&period]);
        self.open_form(Purpose::Write { periods: vec![plan.period], expected: Some(plan.version) }, title, form);
        Outcome::Done(vec![])
    }

    /// `a` or `b` on a submitted plan: asked before the form opens, so no one
    /// types a comment on a decision that is not theirs; the save asks again.
    fn open_review(&mut self, ctx: &Ctx, dossier: &Dossier, send_back: bool) -> Outcome {
        let Some(plan) = self.selected().cloned() else { return Outcome::Done(vec![]) };
        if let Err(e) = crate::db::access::may_decide_for_customer(ctx.store.conn(), &ctx.actor(), &dossier.id) {
            return Outcome::Done(vec![Action::Error(ctx.describe(&e))]);
        }
        if plan.status != PlanStatus::Submitted {
            return Outcome::Done(vec![Action::Error(ctx.t().plan_err_not_submitted.to_string())]);
        }
        let t = ctx.t();
        let period = plan_period_label(ctx.lang, plan.period);
        let (title, label) = if send_back {
            (fill(t.plan_send_back_title, &[&period]), t.plan_field_reason)
        } else {
            (fill(t.plan_review_title, &[&period]), t.plan_field_comment)
        };
        let form = Form::new(vec![FormField::text(COMMENT, label, send_back, "")]);
        let purpose = Purpose::Review { id: plan.id, version: plan.version, send_back, period: plan.period };
        self.open_form(purpose, title, form);
        Outcome::Done(vec![])
    }

    fn open_service_form(&mut self, ctx: &Ctx) -> Outcome {
        let Some(view) = self.service.as_ref() else { return Outcome::Done(vec![]) };
        if let Err(e) = crate::db::access::may_decide_for_unit(ctx.store.conn(), &ctx.actor(), view.unit) {
            return Outcome::Done(vec![Action::Error(ctx.describe(&e))]);
        }
        let t = ctx.t();
        let body = view.text.as_ref().map(|s| s.body.clone()).unwrap_or_default();
        let form = Form::new(vec![FormField::text(BODY, t.service_plan_field, false, &body)]);
        let title = fill(t.service_plan_title, &[&clean(&view.unit_name), &view.year]);
        let purpose =
            Purpose::Service { unit: view.unit, year: view.year, expected: view.text.as_ref().map(|s| s.version) };
        self.open_form(purpose, title, form);
        Outcome::Done(vec![])
    }

    fn open_form(&mut self, purpose: Purpose, title: String, form: Form) {
        let opened = form.values();
        self.form = Some(PlanForm { purpose, title, form, opened, message: None });
    }

    /// `p`: hands in the selected draft (or plan sent back) as written.
    fn submit(&mut self, ctx: &mut Ctx, dossier: &Dossier) -> Outcome {
        let Some(plan) = self.selected().cloned() else { return Outcome::Done(vec![]) };
        if !plan.status.is_editable() {
            return Outcome::Done(vec![Action::Error(ctx.t().plan_err_not_editable.to_string())]);
        }
        let actor = ctx.actor();
        match plans::save(&mut ctx.store, &actor, &dossier.id, plan.period, &plan.text, Some(plan.version), true) {
            Ok(_) => Outcome::Saved(fill(ctx.t().plan_submitted_done, &[&plan_period_label(ctx.lang, plan.period)])),
            Err(e) => Outcome::Done(vec![Action::Error(ctx.describe(&e))]),
        }
    }

    fn form_key(&mut self, ctx: &mut Ctx, dossier: &Dossier, key: &KeyEvent) -> Outcome {
        let Some(pf) = self.form.as_mut() else { return Outcome::Pass };
        let single = pf.form.fields.len() == 1;
        let outcome =
            if single && key.code == KeyCode::Enter { FormKey::Save } else { pf.form.on_key(&ctx.keymap, key) };
        match outcome {
            FormKey::Save => self.save(ctx, dossier),
            FormKey::Cancel => {
                self.form = None;
                Outcome::Done(vec![])
            }
            FormKey::Edited => {
                let focused = pf.form.focused_key().to_string();
                pf.form.set_error(&focused, None);
                pf.message = None;
                Outcome::Done(vec![])
            }
            FormKey::Other => Outcome::Done(vec![]),
        }
    }

    /// Writes what the form holds; a failure keeps the form with the reason.
    fn save(&mut self, ctx: &mut Ctx, dossier: &Dossier) -> Outcome {
        let Some(pf) = self.form.as_mut() else { return Outcome::Pass };
        pf.form.clear_errors();
        pf.message = None;
        let (lang, t) = (ctx.lang, ctx.t());
        let actor = ctx.actor();
        let result: Result<String, DbError> = match pf.purpose.clone() {
            Purpose::Write { periods, expected } => {
                let first = pf.form.value(PERIOD);
                let period = periods.iter().find(|p| p.first.to_string() == first).copied();
                let revenue = match pf.form.value(EXPECTED).trim() {
                    "" => Ok(None),
                    typed => parse_amount(typed).map(Some).map_err(|e| field_error_text(lang, &FieldError::Amount(e))),
                };
                let goals = pf.form.value(GOALS);
                let (Some(period), Ok(revenue)) = (period, revenue.clone()) else {
                    pf.form.set_error(EXPECTED, revenue.err());
                    if period.is_none() {
                        pf.form.set_error(PERIOD, Some(field_error_text(lang, &FieldError::Required)));
                    }
                    pf.form.focus_first_error();
                    return Outcome::Done(vec![]);
                };
                let text = PlanText {
                    goals,
                    measures: pf.form.value(MEASURES),
                    expected_revenue: revenue,
                    notes: pf.form.value(NOTES),
                };
                plans::save(&mut ctx.store, &actor, &dossier.id, period, &text, expected, false)
                    .map(|_| fill(t.plan_saved, &[&plan_period_label(lang, period)]))
            }
            Purpose::Review { id, version, send_back, period } => {
                let comment = pf.form.value(COMMENT);
                plans::review(&mut ctx.store, &actor, id, version, send_back, &comment).map(|()| {
                    let done = if send_back { t.plan_sent_back_done } else { t.plan_reviewed_done };
                    fill(done, &[&plan_period_label(lang, period)])
                })
            }
            Purpose::Service { unit, year, expected } => {
                let body = pf.form.value(BODY);
                plans::set_service_plan(&mut ctx.store, &actor, unit, year, &body, expected)
                    .map(|_| fill(t.service_plan_saved, &[&year]))
            }
        };
        match result {
            Ok(message) => {
                self.form = None;
                Outcome::Saved(message)
            }
            Err(e) => {
                let why = ctx.describe(&e);
                if let DbError::Invalid(crate::db::Invalid::Plan(p)) = &e {
                    let field = match p {
                        plans::PlanProblem::NoGoals => Some(GOALS),
                        plans::PlanProblem::NoReason => Some(COMMENT),
                        plans::PlanProblem::NotAPeriod => Some(PERIOD),
                        _ => None,
                    };
                    if let Some(field) = field {
                        pf.form.set_error(field, Some(why.clone()));
                        pf.form.focus_first_error();
                    }
                }
                pf.message = Some(why);
                Outcome::Done(vec![])
            }
        }
    }

    /// The hint of the list's keys, from the key table.
    fn hint(ctx: &Ctx) -> String {
        let t = ctx.t();
        let keys = [
            (Command::New, t.plan_key_new),
            (Command::Edit, t.plan_key_edit),
            (Command::SubmitPlan, t.plan_key_submit),
            (Command::ReviewPlan, t.plan_key_review),
            (Command::SendBackPlan, t.plan_key_send_back),
            (Command::ServicePlan, t.plan_key_service),
        ];
        keys.iter()
            .filter_map(|(cmd, what)| key_in(ctx, MODE, *cmd).map(|k| format!("{k} {what}")))
            .collect::<Vec<_>>()
            .join("  ")
    }

    pub fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        if area.height == 0 || area.width < 4 {
            return;
        }
        if let Some(view) = self.service.as_ref() {
            draw_service(f, area, ctx, view, &mut self.service_view);
        } else {
            self.draw_list(f, area, ctx);
        }
        if let Some(pf) = self.form.as_mut() {
            pf.draw(f, area, ctx);
        }
    }

    fn draw_list(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let (head, rest) = split_top(area, 1);
        if let Some((period, st)) = self.current {
            let (mark, slot) = match st {
                Standing::Done => (t.plan_done, Slot::Ok),
                Standing::Due => (t.plan_due, Slot::Warning),
                Standing::Missing => (t.plan_missing, Slot::Alert),
            };
            let line = fill(t.plans_current, &[&plan_period_label(ctx.lang, period), &mark]);
            let hint = Self::hint(ctx);
            let spans = vec![
                Span::styled(line, ctx.theme.get(slot)),
                Span::raw("  "),
                Span::styled(hint, ctx.theme.get(Slot::Muted)),
            ];
            f.render_widget(Paragraph::new(super::header::truncate_line(Line::from(spans), head.width as usize)), head);
        }
        if rest.height == 0 {
            return;
        }
        let list_h = (rest.height / 2).max(3).min(u16::try_from(self.plans.len().max(1) + 1).unwrap_or(u16::MAX));
        let [list, detail] =
            Layout::vertical([Constraint::Length(list_h.min(rest.height)), Constraint::Min(0)]).areas(rest);
        let columns = vec![
            Column::flex(t.plans_col_period, 8, 14, 16),
            Column::flex(t.plans_col_status, 6, 9, 10),
            Column::flex(t.plans_col_expected, 8, 14, 16).right().priority(3),
            Column::flex(t.plans_col_author, 6, 8, 12).priority(2),
            Column::fixed(t.plans_col_submitted, 10).priority(4),
            Column::fill(t.plans_col_goals, 8).priority(1),
        ];
        let rows = &self.plans;
        let table = DataTable::new(&ctx.theme, columns).empty(t.plans_none);
        table.render(f, list, rows.len(), Some(self.cursor), &mut self.view, |i| {
            let p = rows.get(i)?;
            let slot = match p.status {
                PlanStatus::Returned => Slot::Alert,
                PlanStatus::Submitted => Slot::Warning,
                PlanStatus::Draft => Slot::Muted,
                PlanStatus::Reviewed => Slot::Base,
            };
            Some(Row::new(vec![
                Cell::text(&plan_period_label(ctx.lang, p.period)),
                Cell::text(ctx.lang.pick(plan_status_label(p.status))).style(ctx.theme.get(slot)),
                Cell::text(&p.text.expected_revenue.map(|m| m.format_yuan()).unwrap_or_default()),
                Cell::text(&clean(&p.author)),
                Cell::text(&p.submitted_on.map(|d| d.to_string()).unwrap_or_default()),
                Cell::text(&clean(&p.text.goals)),
            ]))
        });
        let Some(p) = self.plans.get(self.cursor) else { return };
        let w = detail.width.saturating_sub(1) as usize;
        let mut lines: Vec<Line> = vec![Line::from(Span::styled("─".repeat(w + 1), ctx.theme.get(Slot::Border)))];
        let mut labelled = |label: &str, value: &str, slot: Slot| {
            if value.is_empty() {
                return;
            }
            for (i, part) in wrap(&format!("{label}:{}", clean(value)), w.max(4)).into_iter().enumerate() {
                let style = if i == 0 { ctx.theme.get(slot) } else { ctx.theme.get(Slot::Base) };
                lines.push(Line::from(Span::styled(part, style)));
            }
        };
        labelled(t.plan_field_goals, &p.text.goals, Slot::Base);
        labelled(t.plan_field_measures, &p.text.measures, Slot::Base);
        let expected = p.text.expected_revenue.map(|m| m.format_yuan()).unwrap_or_default();
        labelled(t.plans_col_expected, &expected, Slot::Base);
        labelled(t.plan_field_notes, &p.text.notes, Slot::Base);
        let handed = p.submitted_on.map(|d| fill(t.plan_handed_in_on, &[&d])).unwrap_or_default();
        let written = fill(t.plan_written_by, &[&clean(&p.author), &handed]);
        lines.push(Line::from(Span::styled(written, ctx.theme.get(Slot::Muted))));
        if let Some(by) = p.reviewed_by.as_deref() {
            let at = p.reviewed_at.map(|a| a.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default();
            let (fmt, slot) = if p.status == PlanStatus::Returned {
                (t.plan_returned_by, Slot::Alert)
            } else {
                (t.plan_reviewed_by, Slot::Accent)
            };
            let text = fill(fmt, &[&clean(by), &at, &clean(&p.review_comment)]);
            for part in wrap(&text, w.max(4)) {
                lines.push(Line::from(Span::styled(part, ctx.theme.get(slot))));
            }
        }
        f.render_widget(Paragraph::new(lines), detail);
    }
}

impl PlanForm {
    /// A panel across the bottom of `area`: title, fields, why a save failed, keys.
    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        if area.width < 12 || area.height < 3 {
            return;
        }
        let inner_w = usize::from(area.width - 2).max(1);
        let message_h =
            self.message.as_deref().map_or(0, |m| u16::try_from(width(m) / inner_w + 1).unwrap_or(3).min(3));
        let notes = u16::try_from(self.form.fields.iter().filter(|fl| fl.error.is_some()).count()).unwrap_or(3);
        let fields = u16::try_from(self.form.fields.len()).unwrap_or(5);
        let want_h = fields + notes + message_h + 1 + 2;
        let h = area.height.min(want_h);
        let boxed = Rect { y: area.y + area.height - h, height: h, ..area };
        f.render_widget(Clear, boxed);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.get(Slot::Border))
            .title(Span::styled(format!(" {} ", clean(&self.title)), ctx.theme.get(Slot::Title)));
        let inner = block.inner(boxed);
        f.render_widget(block, boxed);
        if inner.height == 0 {
            return;
        }
        let hint_h = u16::from(inner.height >= 2);
        let message_h = message_h.min(inner.height.saturating_sub(hint_h + 1));
        let fields = Rect { height: inner.height - hint_h - message_h, ..inner };
        self.form.draw(f, fields, &ctx.theme);
        if let Some(message) = self.message.as_deref().filter(|_| message_h > 0) {
            let row = Rect { y: fields.y + fields.height, height: message_h, ..inner };
            let text = Paragraph::new(clean(message)).style(ctx.theme.get(Slot::Error)).wrap(Wrap { trim: false });
            f.render_widget(text, row);
        }
        if hint_h == 1 {
            let save = key_in(ctx, Mode::Form, Command::Save).unwrap_or_else(|| "Ctrl-S".into());
            let cancel = key_in(ctx, Mode::Form, Command::Cancel).unwrap_or_else(|| "Esc".into());
            let hint = match self.purpose {
                Purpose::Write { .. } => {
                    let submit = key_in(ctx, MODE, Command::SubmitPlan).unwrap_or_else(|| "p".into());
                    fill(t.plan_form_hint, &[&save, &cancel, &submit])
                }
                _ => fill(t.plan_review_hint, &[&save, &cancel]),
            };
            let row = Rect { y: inner.y + inner.height - 1, height: 1, ..inner };
            let line = Line::from(Span::styled(clean(&hint), ctx.theme.get(Slot::Muted)));
            f.render_widget(Paragraph::new(super::header::truncate_line(line, row.width as usize)), row);
        }
    }
}

/// The unit's service plan: the rule's list (or why the province standard
/// stands), then the supervisor's text.
fn draw_service(f: &mut Frame, area: Rect, ctx: &Ctx, view: &ServiceView, scroll: &mut Viewport) {
    let t = ctx.t();
    let muted = ctx.theme.get(Slot::Muted);
    let mut lines: Vec<Line> = Vec::new();
    let title = fill(t.service_plan_title, &[&clean(&view.unit_name), &view.year]);
    lines.push(Line::from(Span::styled(title, ctx.theme.get(Slot::Title))));
    let back = key_in(ctx, MODE, Command::Back).unwrap_or_else(|| "Esc".into());
    let edit = key_in(ctx, MODE, Command::Edit).unwrap_or_else(|| "e".into());
    lines.push(Line::from(Span::styled(fill(t.service_plan_keys, &[&edit, &back]), muted)));
    match &view.lines {
        None => {
            lines.push(Line::from(Span::styled(
                fill(t.service_plan_province, &[&view.large]),
                ctx.theme.get(Slot::Accent),
            )));
        }
        Some(rows) => {
            lines.push(Line::from(Span::styled(fill(t.service_plan_basis, &[&(view.year - 1)]), muted)));
            if rows.is_empty() {
                lines.push(Line::from(Span::styled(t.service_plan_empty, muted)));
            } else {
                let header = format!(
                    "{} {} {} {} {}",
                    pad_to(t.service_col_rank, 4),
                    pad_to(t.service_col_customer, 18),
                    pad_left(t.service_col_revenue, 16),
                    pad_to(t.service_col_tier, 8),
                    t.service_col_standard
                );
                lines.push(Line::from(Span::styled(header, ctx.theme.get(Slot::Header))));
                for (l, name) in rows {
                    let standard = match l.standard {
                        ServiceStandard::Platinum => t.service_standard_platinum,
                        ServiceStandard::Gold => t.service_standard_gold,
                    };
                    let raised = if l.raised { t.service_raised } else { "" };
                    let text = format!(
                        "{} {} {} {} {standard}{raised}",
                        pad_to(&l.rank.to_string(), 4),
                        pad_to(&clean(name), 18),
                        pad_left(&l.revenue.format_yuan(), 16),
                        pad_to(ctx.lang.pick(tier_label(l.tier)), 8),
                    );
                    let slot = if l.raised { Slot::Accent } else { Slot::Base };
                    lines.push(Line::from(Span::styled(text, ctx.theme.get(slot))));
                }
            }
        }
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(t.service_plan_text_heading, ctx.theme.get(Slot::Header))));
    match &view.text {
        Some(text) if !text.body.is_empty() => {
            for part in wrap(&clean(&text.body), area.width.saturating_sub(1).max(4) as usize) {
                lines.push(Line::from(Span::raw(part)));
            }
            let at = text.written_at.format("%Y-%m-%d").to_string();
            lines.push(Line::from(Span::styled(fill(t.service_plan_written, &[&clean(&text.written_by), &at]), muted)));
        }
        _ => lines.push(Line::from(Span::styled(t.service_plan_no_text, muted))),
    }
    let max = lines.len().saturating_sub(area.height as usize);
    scroll.offset = scroll.offset.min(max);
    let lines: Vec<Line> =
        lines.into_iter().skip(scroll.offset).map(|l| super::header::truncate_line(l, area.width as usize)).collect();
    f.render_widget(Paragraph::new(lines), area);
}

fn pad_to(s: &str, w: usize) -> String {
    crate::ui::widgets::text::pad(s, w)
}

fn pad_left(s: &str, w: usize) -> String {
    let have = width(s);
    if have >= w { s.to_string() } else { format!("{}{s}", " ".repeat(w - have)) }
}

fn split_top(area: Rect, h: u16) -> (Rect, Rect) {
    let h = h.min(area.height);
    (Rect { height: h, ..area }, Rect { y: area.y + h, height: area.height - h, ..area })
}

fn key_in(ctx: &Ctx, mode: Mode, cmd: Command) -> Option<String> {
    let (keys, _) = ctx.keymap.bindings(mode).into_iter().find(|(_, c)| *c == cmd)?;
    keys.split(' ').next().map(str::to_string)
}
