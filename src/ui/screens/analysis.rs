//! The monthly analysis (经营分析, SPEC §7): for a month and a unit, the totals
//! with month-on-month, year-on-year and year-to-date, the share of the unit's
//! revenue, bar charts by tier and service line, the top ten, the fluctuations
//! to explain, the customers gained and lost, and a period of months (1-N月累计
//! by default) against the same months last year.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::analysis_draw;
use super::draw_title;
use crate::ctx::Ctx;
use std::sync::Arc;

use crate::db::analysis::{AnalysisScope, MonthlyAnalysis, monthly_shown};
use crate::db::period::PeriodView;
use crate::domain::period::Period;
use crate::domain::revenue::Month;
use crate::domain::staff::Role;
use crate::keymap::Command;
use crate::keymap::Mode;
use crate::msg::{Action, AnalysisAnswer, Msg, PeriodAnswer};
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::widgets::input::TextInput;

/// The parts of the analysis, one at a time (80×24 has no room for all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Overview,
    Top,
    Fluctuations,
    Movement,
    /// A period of months against the same months last year.
    Period,
}

impl Section {
    pub const ALL: [Section; 5] =
        [Section::Overview, Section::Top, Section::Fluctuations, Section::Movement, Section::Period];

    fn step(self, forward: bool) -> Section {
        let i = Section::ALL.iter().position(|s| *s == self).unwrap_or(0);
        let n = Section::ALL.len();
        Section::ALL[if forward { (i + 1) % n } else { (i + n - 1) % n }]
    }
}

pub struct AnalysisScreen {
    pub(super) month: Month,
    pub(super) scope: AnalysisScope,
    pub(super) section: Section,
    /// Shared with the message that brought it: a whole bureau's figures are
    /// tens of megabytes, not to be copied.
    pub(super) data: Option<Arc<MonthlyAnalysis>>,
    pub(super) selected: usize,
    pub(super) view: crate::ui::widgets::table::Viewport,
    pub(super) error: Option<String>,
    /// The explanation being typed for the selected fluctuation.
    pub(super) explaining: Option<TextInput>,
    /// The analysis asked of the reader thread and not back yet; meanwhile the
    /// previous one stays on screen.
    pub(super) pending: Option<u64>,
    generation: u64,
    /// The period of the period section (the year to date of the month at first).
    pub(super) period: Period,
    pub(super) period_data: Option<Arc<PeriodView>>,
    /// The period's figures asked of the reader thread and not back yet.
    pub(super) period_pending: Option<u64>,
}

impl AnalysisScreen {
    pub fn new(ctx: &Ctx) -> AnalysisScreen {
        let month = crate::db::revenue::ledger_month(ctx.store.conn())
            .ok()
            .flatten()
            .unwrap_or_else(|| Month::of(ctx.today()).prev());
        // Everyone starts on their own unit; a leader or administrator on the whole bureau.
        let scope = match ctx.user.role {
            Role::Manager | Role::Supervisor => AnalysisScope::Unit(ctx.user.unit_id),
            Role::Admin | Role::Leader => AnalysisScope::All,
        };
        let mut screen = AnalysisScreen {
            month,
            scope,
            section: Section::Overview,
            data: None,
            selected: 0,
            view: Default::default(),
            error: None,
            explaining: None,
            pending: None,
            generation: 0,
            period: Period::year_to_date(month),
            period_data: None,
            period_pending: None,
        };
        screen.request(ctx);
        screen
    }

    /// Asks for the analysis of the month and scope now chosen, off this thread
    /// (0.2–0.5 s at 100,000 customers): moving through months never waits.
    fn request(&mut self, ctx: &Ctx) {
        self.generation += 1;
        self.pending = Some(self.generation);
        let (generation, month, scope, rules) = (self.generation, self.month, self.scope, ctx.status_rules);
        let job: crate::background::Job = Box::new(move |conn| {
            let data = conn.and_then(|c| monthly_shown(c, month, scope, &rules).ok()).map(Arc::new);
            Msg::Analysed(Box::new(AnalysisAnswer { generation, data }))
        });
        if let Some(Msg::Analysed(answer)) = ctx.reader.submit(ctx.store.conn(), "analysis", job) {
            self.take_answer(ctx, *answer);
        }
    }

    fn take_answer(&mut self, ctx: &Ctx, answer: AnalysisAnswer) {
        if self.pending != Some(answer.generation) {
            return;
        }
        match answer.data {
            Some(data) => {
                self.pending = None;
                self.data = Some(data);
                self.error = None;
                self.selected = self.selected.min(self.rows().saturating_sub(1));
            }
            None => self.reload(ctx),
        }
    }

    /// Before acting on a row (explaining a fluctuation of this month, say), the
    /// figures must be this month's: if they are still out, read them here.
    fn settle(&mut self, ctx: &Ctx) {
        if self.pending.is_some() {
            self.reload(ctx);
        }
    }

    /// Reads the analysis here and now.
    fn reload(&mut self, ctx: &Ctx) {
        self.pending = None;
        match monthly_shown(ctx.store.conn(), self.month, self.scope, &ctx.status_rules) {
            Ok(data) => {
                self.data = Some(Arc::new(data));
                self.error = None;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        self.selected = self.selected.min(self.rows().saturating_sub(1));
    }

    /// Asks for the figures of the period and scope now chosen, off this thread.
    fn request_period(&mut self, ctx: &Ctx) {
        self.generation += 1;
        self.period_pending = Some(self.generation);
        let (generation, period, scope) = (self.generation, self.period, self.scope);
        let job: crate::background::Job = Box::new(move |conn| {
            let data = conn.and_then(|c| crate::db::period::view(c, period, scope).ok()).map(Arc::new);
            Msg::PeriodAnalysed(Box::new(PeriodAnswer { generation, data }))
        });
        if let Some(Msg::PeriodAnalysed(answer)) = ctx.reader.submit(ctx.store.conn(), "period", job) {
            self.take_period_answer(ctx, *answer);
        }
    }

    fn take_period_answer(&mut self, ctx: &Ctx, answer: PeriodAnswer) {
        if self.period_pending != Some(answer.generation) {
            return;
        }
        match answer.data {
            Some(data) => {
                self.period_pending = None;
                self.period_data = Some(data);
                self.error = None;
                self.selected = self.selected.min(self.rows().saturating_sub(1));
            }
            None => self.reload_period(ctx),
        }
    }

    /// Reads the period's figures here and now.
    fn reload_period(&mut self, ctx: &Ctx) {
        self.period_pending = None;
        match crate::db::period::view(ctx.store.conn(), self.period, self.scope) {
            Ok(data) => {
                self.period_data = Some(Arc::new(data));
                self.error = None;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        self.selected = self.selected.min(self.rows().saturating_sub(1));
    }

    /// The period section shows the figures of the period and scope chosen:
    /// asked for when they are not those (or not yet asked for).
    fn want_period(&mut self, ctx: &Ctx) {
        let current =
            self.period_data.as_ref().is_some_and(|d| d.summary.period == self.period && d.summary.scope == self.scope);
        if !current && self.period_pending.is_none() {
            self.request_period(ctx);
        }
    }

    /// `[` `]` move the period's last month (not past the month in progress,
    /// or the ledger's last if it is ahead), `{` `}` its first.
    fn move_period(&mut self, ctx: &Ctx, cmd: Command) {
        let moved = match cmd {
            Command::PrevMonth => self.period.move_last(-1),
            Command::NextMonth => self.period.move_last(1),
            Command::PeriodStartEarlier => self.period.move_first(-1),
            _ => self.period.move_first(1),
        };
        let ledger = self.data.as_ref().and_then(|d| d.ledger_month);
        let last = ledger.map_or(Month::of(ctx.today()), |l| l.max(Month::of(ctx.today())));
        if moved != self.period && (moved.last() <= last || moved.last() < self.period.last()) {
            self.period = moved;
            self.selected = 0;
            self.request_period(ctx);
        }
    }

    /// How many selectable rows the current section has.
    pub(super) fn rows(&self) -> usize {
        if self.section == Section::Period {
            return self.period_data.as_ref().map_or(0, |d| d.rows.len());
        }
        let Some(d) = &self.data else { return 0 };
        match self.section {
            Section::Overview | Section::Period => 0,
            Section::Top => d.top.len(),
            Section::Fluctuations => d.fluctuations.len(),
            Section::Movement => d.new_customers.len() + d.churned.len(),
        }
    }

    /// The customer on the selected row.
    fn selected_customer(&self) -> Option<&crate::db::analysis::CustomerFigures> {
        let d = self.data.as_ref()?;
        match self.section {
            Section::Overview | Section::Period => None,
            Section::Top => d.top.get(self.selected),
            Section::Fluctuations => d.fluctuations.get(self.selected).map(|f| &f.customer),
            Section::Movement => {
                d.new_customers.get(self.selected).or_else(|| d.churned.get(self.selected - d.new_customers.len()))
            }
        }
    }

    /// Own unit → everyone → each unit in turn.
    fn next_scope(&self, ctx: &Ctx) -> AnalysisScope {
        let units: Vec<i64> = ctx.reference.units.iter().map(|u| u.id).collect();
        match self.scope {
            AnalysisScope::All => units.first().map_or(AnalysisScope::All, |u| AnalysisScope::Unit(*u)),
            AnalysisScope::Unit(u) => match units.iter().position(|x| *x == u) {
                Some(i) if i + 1 < units.len() => AnalysisScope::Unit(units[i + 1]),
                _ => AnalysisScope::All,
            },
        }
    }

    /// Marks the chosen customer one-off (or no longer): its swings need no explanation.
    fn toggle_one_off(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        let Some(c) = self.selected_customer().cloned() else { return vec![] };
        let actor = ctx.actor();
        match crate::db::revenue::set_one_off(&mut ctx.store, &actor, &c.id, !c.one_off) {
            Ok(()) => {
                self.reload(ctx);
                let t = ctx.t();
                let text = if c.one_off { t.analysis_one_off_cleared } else { t.analysis_one_off_set };
                vec![Action::Info(crate::i18n::fill(text, &[&c.short_name]))]
            }
            Err(e) => vec![Action::Error(ctx.describe(&e))],
        }
    }

    /// The month's analysis report of the unit in scope (a unit must be
    /// chosen), or the quarterly one of the quarter holding the month (kept
    /// on the quarter's last month, as it is due).
    fn open_report(&self, ctx: &Ctx, kind: crate::domain::analysis_report::ReportKind) -> Vec<Action> {
        use crate::domain::analysis_report::ReportKind;
        let month = match kind {
            ReportKind::Monthly => self.month,
            ReportKind::Quarterly => crate::db::analysis_report::quarter_of(self.month).last(),
        };
        match self.scope {
            AnalysisScope::Unit(unit_id) => {
                vec![Action::OpenReport(crate::db::analysis_report::ReportKey { unit_id, kind, month })]
            }
            AnalysisScope::All => vec![Action::Info(ctx.t().ar_choose_unit.to_string())],
        }
    }

    fn handle_explaining(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        let Some(input) = self.explaining.as_mut() else { return vec![] };
        match msg {
            Msg::Paste(text) => input.paste(text),
            Msg::Key(key) => match ctx.keymap.lookup(Mode::Form, key) {
                Some(Command::Cancel) => self.explaining = None,
                _ if key.code == crossterm::event::KeyCode::Enter => {
                    let text = input.value().to_string();
                    let Some(id) = self.selected_customer().map(|c| c.id.clone()) else { return vec![] };
                    if text.trim().is_empty() {
                        return vec![Action::Error(ctx.t().analysis_explain_empty.to_string())];
                    }
                    let actor = ctx.actor();
                    match crate::db::revenue::explain_fluctuation(&mut ctx.store, &actor, &id, self.month, &text) {
                        Ok(()) => {
                            self.explaining = None;
                            self.reload(ctx);
                            return vec![Action::Info(ctx.t().analysis_explained.to_string())];
                        }
                        // The typed text stays: nothing is lost on a refused or failed save.
                        Err(e) => return vec![Action::Error(ctx.describe(&e))],
                    }
                }
                _ => {
                    input.handle_key(key);
                }
            },
            _ => {}
        }
        vec![]
    }
}

impl Screen for AnalysisScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        if self.explaining.is_some() {
            return self.handle_explaining(ctx, msg);
        }
        let key = match msg {
            Msg::Key(key) => key,
            Msg::Analysed(answer) => {
                self.take_answer(ctx, (**answer).clone());
                return vec![];
            }
            Msg::PeriodAnalysed(answer) => {
                self.take_period_answer(ctx, (**answer).clone());
                return vec![];
            }
            _ => return vec![],
        };
        let command = ctx.keymap.lookup(Mode::Analysis, key);
        if matches!(command, Some(Command::Open | Command::Explain | Command::ToggleOneOff)) {
            self.settle(ctx);
        }
        let last = self.rows().saturating_sub(1);
        match command {
            Some(Command::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Command::Down) => self.selected = (self.selected + 1).min(last),
            Some(Command::PageUp) => self.selected = self.selected.saturating_sub(self.view.page()),
            Some(Command::PageDown) => self.selected = (self.selected + self.view.page()).min(last),
            Some(cmd @ (Command::NextTab | Command::PrevTab)) => {
                self.section = self.section.step(cmd == Command::NextTab);
                self.selected = 0;
                self.view = Default::default();
                if self.section == Section::Period {
                    self.want_period(ctx);
                }
            }
            Some(
                cmd @ (Command::PrevMonth
                | Command::NextMonth
                | Command::PeriodStartEarlier
                | Command::PeriodStartLater),
            ) if self.section == Section::Period => self.move_period(ctx, cmd),
            Some(cmd @ (Command::PrevMonth | Command::NextMonth)) => {
                let next = self.month.plus(if cmd == Command::NextMonth { 1 } else { -1 });
                // Forward as far as the month in progress (or the ledger's last,
                // if it is ahead): later months have nothing to show.
                let ledger = self.data.as_ref().and_then(|d| d.ledger_month);
                let last = ledger.map_or(Month::of(ctx.today()), |l| l.max(Month::of(ctx.today())));
                if next <= last || next < self.month {
                    self.month = next;
                    self.request(ctx);
                }
            }
            Some(Command::CycleScope) => {
                self.scope = self.next_scope(ctx);
                self.selected = 0;
                self.request(ctx);
                if self.section == Section::Period {
                    self.request_period(ctx);
                }
            }
            Some(Command::ToggleMoneyUnit) => ctx.money_unit = ctx.money_unit.toggled(),
            Some(Command::Open) if self.section == Section::Period => {
                if let Some(row) = self.period_data.as_ref().and_then(|d| d.rows.get(self.selected)) {
                    return vec![Action::OpenDossier(row.id.clone())];
                }
            }
            Some(Command::Open) => {
                if let Some(id) = self.selected_customer().map(|c| c.id.clone()) {
                    return vec![Action::OpenDossier(id)];
                }
            }
            Some(Command::Explain) if self.section == Section::Fluctuations => {
                let current = self
                    .data
                    .as_ref()
                    .and_then(|d| d.fluctuations.get(self.selected))
                    .map(|f| f.explanation.clone().unwrap_or_default());
                if let Some(text) = current {
                    self.explaining = Some(TextInput::new(&text));
                }
            }
            Some(Command::ToggleOneOff) => return self.toggle_one_off(ctx),
            Some(Command::OpenReport) => {
                return self.open_report(ctx, crate::domain::analysis_report::ReportKind::Monthly);
            }
            Some(Command::OpenQuarterlyReport) => {
                return self.open_report(ctx, crate::domain::analysis_report::ReportKind::Quarterly);
            }
            Some(Command::Back) => return vec![Action::Go(crate::msg::MainScreen::Today)],
            Some(Command::Quit) => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
        if self.section == Section::Period {
            self.reload_period(ctx);
        }
    }

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::Analysis]
    }

    fn is_typing(&self) -> bool {
        self.explaining.is_some()
    }

    /// An explanation being written: Ctrl-C asks before it is lost.
    fn unsaved(&self) -> bool {
        self.explaining.as_ref().is_some_and(|i| !i.value().trim().is_empty())
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, tabs, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let scope_name = match self.scope {
            AnalysisScope::All => t.analysis_all_units.to_string(),
            AnalysisScope::Unit(u) => ctx.reference.unit(u).map(|u| u.name.clone()).unwrap_or_default(),
        };
        let unit = match ctx.money_unit {
            crate::config::MoneyUnit::Yuan => t.analysis_in_yuan,
            crate::config::MoneyUnit::Wan => t.analysis_in_wan,
        };
        // "…" while the figures shown are not yet those of the month and scope
        // chosen; next to the month, where a narrow title never cuts it off.
        let month = match self.section {
            Section::Period => crate::i18n::period_label(ctx.lang, self.period),
            _ => self.month.to_string(),
        };
        let pending = if self.section == Section::Period { self.period_pending } else { self.pending };
        let month = if pending.is_some() { format!("{month} …") } else { month };
        draw_title(f, title, &ctx.theme, ctx.t(), &[t.screen_analysis, &month, &scope_name], unit);
        analysis_draw::section_tabs(f, tabs, ctx, self);
        if let Some(e) = &self.error {
            f.render_widget(
                Paragraph::new(Line::from(Span::styled(
                    crate::ui::widgets::text::clean(e),
                    ctx.theme.get(Slot::Error),
                ))),
                body,
            );
            return;
        }
        if self.section == Section::Period {
            return super::analysis_period::draw(f, body, ctx, self);
        }
        if let Some(data) = self.data.as_ref().filter(|d| !d.entered) {
            return analysis_draw::not_entered(f, body, ctx, data, self.section);
        }
        if self.section == Section::Fluctuations {
            return analysis_draw::fluctuations(f, body, ctx, self);
        }
        let Some(data) = &self.data else { return };
        match self.section {
            Section::Overview => analysis_draw::overview(f, body, ctx, data),
            Section::Top => analysis_draw::top(f, body, ctx, data, self.selected, &mut self.view),
            _ => analysis_draw::movement(f, body, ctx, data, self.selected, &mut self.view),
        }
    }
}
