//! The goal indicators of a unit (目标指标, SPEC §15): a panel the month-end
//! screen shows as a tab. Each indicator with its figure, what it was counted
//! from, the year's target and whether it is met, and the formula the bureau
//! chose. The period moves as the analysis screen's does (`{` `}` its first
//! month, `[` `]` its last); a supervisor sees their unit, an account manager
//! theirs (reading only), leaders and the administrator pick a unit (`u`).
//! Enter on an indicator opens a one-line form for the year's target, for
//! whoever decides for the unit; a refused or failed save keeps what was typed.
//!
//! The figures are counted on the reader thread (a province's unit has many
//! customers); meanwhile the panel shows the figures it has.

use std::sync::Arc;

use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::ctx::Ctx;
use crate::db::goals::{TargetKey, set_target, targets};
use crate::domain::appraisal::goals::GoalIndicator;
use crate::domain::appraisal::targets::{edit_text, parse_target};
use crate::domain::period::Period;
use crate::domain::revenue::Month;
use crate::domain::staff::Role;
use crate::i18n::{fill, goal_indicator_label};
use crate::keymap::{Command, Mode};
use crate::msg::{Action, GoalsAnswer, MainScreen, Msg};
use crate::review::goals::{GoalReport, default_period, goal_report};
use crate::ui::Screen;
use crate::ui::widgets::input::TextInput;
use crate::ui::widgets::table::Viewport;

/// The year's target of one indicator being typed.
#[derive(Debug, Clone)]
pub struct TargetForm {
    pub(super) key: TargetKey,
    /// The version the form started from (`None`: no target yet).
    pub(super) expected: Option<i64>,
    pub(super) input: TextInput,
    /// What the form started with (the target as stored, or nothing).
    initial: String,
    /// Why the last save was refused, shown under the input.
    pub(super) error: Option<String>,
}

pub struct GoalsPanel {
    pub(super) unit_id: i64,
    pub(super) period: Period,
    pub(super) report: Option<Arc<GoalReport>>,
    /// Whether the user sets this unit's targets (a supervisor of it or above, the administrator).
    pub(super) may_set: bool,
    pub(super) selected: usize,
    pub(super) view: Viewport,
    pub(super) error: Option<String>,
    pub(super) form: Option<TargetForm>,
    /// The figures asked of the reader thread and not back yet.
    pub(super) pending: Option<u64>,
    generation: u64,
}

impl GoalsPanel {
    pub fn new(ctx: &Ctx) -> GoalsPanel {
        let mut panel = GoalsPanel {
            unit_id: ctx.user.unit_id,
            period: default_period(ctx.store.conn(), ctx.today())
                .unwrap_or_else(|_| Period::year_to_date(Month::of(ctx.today()))),
            report: None,
            may_set: false,
            selected: 0,
            view: Viewport::default(),
            error: None,
            form: None,
            pending: None,
            generation: 0,
        };
        panel.request(ctx);
        panel
    }

    /// The unit shown.
    pub fn unit_id(&self) -> i64 {
        self.unit_id
    }

    /// The period shown.
    pub fn period(&self) -> Period {
        self.period
    }

    /// The figures shown, once counted.
    pub fn report(&self) -> Option<&GoalReport> {
        self.report.as_deref()
    }

    /// Asks for the figures of the unit and period now chosen, off this thread.
    fn request(&mut self, ctx: &Ctx) {
        self.generation += 1;
        self.pending = Some(self.generation);
        let (generation, unit, period) = (self.generation, self.unit_id, self.period);
        let actor = ctx.actor();
        let job: crate::background::Job = Box::new(move |conn| {
            let data = conn.and_then(|c| goal_report(c, unit, period).ok()).map(Arc::new);
            let may_set = conn.is_some_and(|c| crate::db::access::may_decide_for_unit(c, &actor, unit).is_ok());
            Msg::GoalsMeasured(Box::new(GoalsAnswer { generation, data, may_set }))
        });
        if let Some(Msg::GoalsMeasured(answer)) = ctx.reader.submit(ctx.store.conn(), "goals", job) {
            self.take_answer(ctx, *answer);
        }
    }

    fn take_answer(&mut self, ctx: &Ctx, answer: GoalsAnswer) {
        if self.pending != Some(answer.generation) {
            return;
        }
        match answer.data {
            Some(data) => {
                self.pending = None;
                self.report = Some(data);
                self.may_set = answer.may_set;
                self.error = None;
            }
            None => self.reload(ctx),
        }
    }

    /// Reads the figures here and now (the reader thread could not).
    fn reload(&mut self, ctx: &Ctx) {
        self.pending = None;
        let conn = ctx.store.conn();
        match goal_report(conn, self.unit_id, self.period) {
            Ok(report) => {
                self.report = Some(Arc::new(report));
                self.may_set = crate::db::access::may_decide_for_unit(conn, &ctx.actor(), self.unit_id).is_ok();
                self.error = None;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
    }

    /// `[` `]` move the last month (not past the month in progress), `{` `}` the first.
    fn move_period(&mut self, ctx: &Ctx, cmd: Command) {
        let moved = match cmd {
            Command::PrevMonth => self.period.move_last(-1),
            Command::NextMonth => self.period.move_last(1),
            Command::PeriodStartEarlier => self.period.move_first(-1),
            _ => self.period.move_first(1),
        };
        let now = Month::of(ctx.today());
        if moved != self.period && (moved.last() <= now || moved.last() < self.period.last()) {
            self.period = moved;
            self.request(ctx);
        }
    }

    /// Leaders and the administrator look at every unit in turn; the others at their own.
    fn next_unit(&mut self, ctx: &Ctx) {
        if !matches!(ctx.user.role, Role::Leader | Role::Admin) {
            return;
        }
        let units: Vec<i64> = ctx.reference.units.iter().map(|u| u.id).collect();
        let next = match units.iter().position(|u| *u == self.unit_id) {
            Some(i) => units[(i + 1) % units.len()],
            None => units.first().copied().unwrap_or(self.unit_id),
        };
        if next != self.unit_id {
            self.unit_id = next;
            self.may_set = false;
            self.request(ctx);
        }
    }

    /// The indicator on the selected row.
    fn indicator(&self) -> GoalIndicator {
        GoalIndicator::ALL[self.selected.min(GoalIndicator::ALL.len() - 1)]
    }

    /// Opens the target form of the selected indicator, for whoever sets the unit's targets.
    fn open_form(&mut self, ctx: &Ctx) -> Vec<Action> {
        let Some(report) = &self.report else { return vec![] };
        if self.pending.is_some() {
            // The figures (and who may set) of another unit or year are still out.
            return vec![];
        }
        if !self.may_set {
            return vec![Action::Info(ctx.t().goals_read_only.to_string())];
        }
        let indicator = self.indicator();
        let stored = report.row(indicator).and_then(|r| r.target.clone());
        let text = stored.as_ref().map(|t| edit_text(indicator, t.target)).unwrap_or_default();
        self.form = Some(TargetForm {
            key: TargetKey { unit_id: self.unit_id, year: report.year(), indicator },
            expected: stored.map(|t| t.version),
            input: TextInput::new(&text),
            initial: text,
            error: None,
        });
        vec![]
    }

    fn save(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        let Some(form) = self.form.as_mut() else { return vec![] };
        let lang = ctx.lang;
        let value = match parse_target(form.key.indicator, form.input.value()) {
            Ok(value) => value,
            Err(e) => {
                let why = crate::ui::target_error_text(lang, &e);
                form.error = Some(why.clone());
                return vec![Action::Error(why)];
            }
        };
        let actor = ctx.actor();
        match set_target(&mut ctx.store, &actor, form.key, value, form.expected) {
            Ok(_) => {
                let key = form.key;
                self.form = None;
                // The figures stay; the targets are read again and judged.
                match targets(ctx.store.conn(), key.unit_id, key.year) {
                    Ok(stored) => {
                        if let Some(report) = self.report.as_ref().filter(|r| r.unit_id == key.unit_id) {
                            self.report = Some(Arc::new(report.with_targets(&stored)));
                        }
                    }
                    Err(e) => self.error = Some(ctx.describe(&e)),
                }
                let name = lang.pick(goal_indicator_label(key.indicator));
                let shown = super::goals_draw::target_text(ctx, key.indicator, value);
                vec![Action::Info(fill(ctx.t().goals_saved, &[&name, &key.year, &shown]))]
            }
            // What was typed stays: a refused or failed save loses nothing.
            Err(e) => {
                let why = ctx.describe(&e);
                form.error = Some(why.clone());
                vec![Action::Error(why)]
            }
        }
    }

    fn handle_form(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        let Some(form) = self.form.as_mut() else { return vec![] };
        match msg {
            Msg::Paste(text) => form.input.paste(text),
            Msg::Key(key) => match ctx.keymap.lookup(Mode::Form, key) {
                Some(Command::Cancel) => self.form = None,
                Some(Command::Save) => return self.save(ctx),
                _ if key.code == KeyCode::Enter => return self.save(ctx),
                _ => {
                    form.input.handle_key(key);
                }
            },
            Msg::GoalsMeasured(answer) => self.take_answer(ctx, (**answer).clone()),
            _ => {}
        }
        vec![]
    }
}

impl Screen for GoalsPanel {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        if self.form.is_some() {
            return self.handle_form(ctx, msg);
        }
        let key = match msg {
            Msg::Key(key) => key,
            Msg::GoalsMeasured(answer) => {
                self.take_answer(ctx, (**answer).clone());
                return vec![];
            }
            _ => return vec![],
        };
        let last = GoalIndicator::ALL.len() - 1;
        match ctx.keymap.lookup(Mode::Goals, key) {
            Some(Command::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Command::Down) => self.selected = (self.selected + 1).min(last),
            Some(
                cmd @ (Command::PrevMonth
                | Command::NextMonth
                | Command::PeriodStartEarlier
                | Command::PeriodStartLater),
            ) => self.move_period(ctx, cmd),
            Some(Command::NextUnit) => self.next_unit(ctx),
            Some(Command::SetTarget) => return self.open_form(ctx),
            Some(Command::ToggleMoneyUnit) => ctx.money_unit = ctx.money_unit.toggled(),
            Some(Command::Refresh) => self.request(ctx),
            Some(Command::Back) => return vec![Action::Go(MainScreen::Today)],
            Some(Command::Quit) => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }

    /// Counted again off this thread (a screen above may have changed records).
    fn resume(&mut self, ctx: &mut Ctx) {
        self.request(ctx);
    }

    fn key_modes(&self) -> &'static [Mode] {
        if self.form.is_some() { &[Mode::Form] } else { &[Mode::Goals] }
    }

    fn is_typing(&self) -> bool {
        self.form.is_some()
    }

    /// A target being typed: Ctrl-C asks before it is lost.
    fn unsaved(&self) -> bool {
        self.form.as_ref().is_some_and(|f| f.input.value().trim() != f.initial.trim())
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        super::goals_draw::draw(f, area, ctx, self);
    }
}
