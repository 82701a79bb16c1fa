//! The month end (key 9, SPEC §10): one line per account manager of the
//! user's unit (score, fixed, achievement pay, completion, pay), Enter for a
//! manager's sheet with the records behind each deduction and the items the
//! unit entered; the supervisor adds and archives entered items, sets a
//! manager's terms and closes the month (frozen from then on) or reopens it
//! with a reason. An account manager sees their own sheet as it stands.
//! The sheets are computed off the interface thread; keys never wait.

mod draw;
mod entry_form;

use std::sync::Arc;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::ctx::Ctx;
use crate::db::appraisal_counts::managers_under;
use crate::domain::revenue::Month;
use crate::domain::staff::Role;
use crate::keymap::{Command, Mode};
use crate::msg::{Action, AppraisalAnswer, Msg};
use crate::review::appraisal::{ManagerMonth, manager_month};
use crate::ui::Screen;
use crate::ui::widgets::input::TextInput;
use crate::ui::widgets::table::Viewport;
pub use entry_form::{EntryForm, FormOutcome};

/// A question before a decision: closing asks y/n, reopening asks why (and
/// says under the answer why it cannot reopen without one).
#[derive(Debug, Clone)]
pub enum Confirm {
    Close,
    Reopen(TextInput, Option<String>),
}

/// A manager's sheet open in full: which, and the cursor over its lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Detail {
    pub index: usize,
    pub selected: usize,
}

pub struct AppraisalScreen {
    pub(super) month: Month,
    /// The unit whose managers are listed (with the units below it).
    pub(super) unit: i64,
    pub(super) sheets: Arc<Vec<ManagerMonth>>,
    /// The manager whose sheet in `sheets` is in full (the one open), and the
    /// one asked for by the read pending.
    full: Option<i64>,
    full_asked: Option<i64>,
    pub(super) pending: Option<u64>,
    generation: u64,
    pub(super) selected: usize,
    pub(super) view: Viewport,
    pub(super) detail: Option<Detail>,
    pub(super) detail_view: Viewport,
    pub(super) form: Option<EntryForm>,
    pub(super) confirm: Option<Confirm>,
    /// The last outcome: (is an error, text).
    pub(super) message: Option<(bool, String)>,
    /// The goal indicators' tab (SPEC §15), made when first shown.
    goals: Option<crate::ui::screens::goals::GoalsPanel>,
    goals_shown: bool,
}

/// Every manager's month of `unit` (and below; only the user for a manager),
/// each in full.
pub fn read_sheets(
    conn: &crate::db::Conn,
    user: &crate::domain::staff::Staff,
    unit: i64,
    month: Month,
    today: chrono::NaiveDate,
    standard: crate::domain::visit_standard::StandardPreset,
) -> Result<Vec<ManagerMonth>, crate::db::DbError> {
    read(conn, user, unit, month, today, standard, |_| true)
}

/// The sheets as the screen holds them: the month of every manager listed,
/// but only `full`'s (the sheet open) with its records; the others keep their
/// figures without the per-customer rows behind them (the deductions'
/// records and the commission lines, which grow with the book: issue 19),
/// computed and trimmed one manager at a time.
pub fn read_table(
    conn: &crate::db::Conn,
    user: &crate::domain::staff::Staff,
    unit: i64,
    month: Month,
    today: chrono::NaiveDate,
    standard: crate::domain::visit_standard::StandardPreset,
    full: Option<i64>,
) -> Result<Vec<ManagerMonth>, crate::db::DbError> {
    read(conn, user, unit, month, today, standard, |id| Some(id) == full)
}

fn read(
    conn: &crate::db::Conn,
    user: &crate::domain::staff::Staff,
    unit: i64,
    month: Month,
    today: chrono::NaiveDate,
    standard: crate::domain::visit_standard::StandardPreset,
    in_full: impl Fn(i64) -> bool,
) -> Result<Vec<ManagerMonth>, crate::db::DbError> {
    let mut out = Vec::new();
    for m in managers_under(conn, Some(unit))? {
        if user.role == Role::Manager && m.staff_id != user.id {
            continue;
        }
        let sheet = manager_month(conn, user, &m, month, today, standard)?;
        out.push(if in_full(m.staff_id) { sheet } else { sheet.trimmed() });
    }
    Ok(out)
}

/// The manager a sheet is of, to read it again.
fn appraised(m: &ManagerMonth) -> crate::review::appraisal::Appraised {
    crate::review::appraisal::Appraised {
        staff_id: m.staff_id,
        login: m.login.clone(),
        name: m.name.clone(),
        unit_id: m.unit_id,
        unit_code: m.unit_code.clone(),
        unit_name: m.unit_name.clone(),
    }
}

impl AppraisalScreen {
    pub fn new(ctx: &Ctx) -> AppraisalScreen {
        // The month that ended is the one to close; during its first days the
        // month-end is what people come here for.
        let month = Month::of(ctx.today()).prev();
        let mut screen = AppraisalScreen {
            month,
            unit: ctx.user.unit_id,
            sheets: Arc::new(Vec::new()),
            full: None,
            full_asked: None,
            pending: None,
            generation: 0,
            selected: 0,
            view: Viewport::default(),
            detail: None,
            detail_view: Viewport::default(),
            form: None,
            confirm: None,
            message: None,
            goals: None,
            goals_shown: false,
        };
        screen.request(ctx);
        screen
    }

    /// An account manager works on their own sheet only.
    pub(super) fn own_only(ctx: &Ctx) -> bool {
        ctx.user.role == Role::Manager
    }

    /// Supervisors decide for their unit; the administrator for any.
    pub(super) fn decides(ctx: &Ctx) -> bool {
        matches!(ctx.user.role, Role::Supervisor | Role::Admin)
    }

    /// Asks for the sheets of the month and unit now chosen, off this thread.
    fn request(&mut self, ctx: &Ctx) {
        self.generation += 1;
        self.pending = Some(self.generation);
        let full = self.wanted_in_full(ctx);
        self.full_asked = full;
        let (generation, month, unit, user, today, standard) =
            (self.generation, self.month, self.unit, ctx.user.clone(), ctx.today(), ctx.standard);
        let job: crate::background::Job = Box::new(move |conn| {
            let sheets = conn.and_then(|c| read_table(c, &user, unit, month, today, standard, full).ok()).map(Arc::new);
            Msg::Appraised(Box::new(AppraisalAnswer { generation, sheets }))
        });
        if let Some(Msg::Appraised(answer)) = ctx.reader.submit(ctx.store.conn(), "appraisal", job) {
            self.take_answer(ctx, *answer);
        }
    }

    fn take_answer(&mut self, ctx: &Ctx, answer: AppraisalAnswer) {
        if self.pending != Some(answer.generation) {
            return;
        }
        match answer.sheets {
            Some(sheets) => {
                self.pending = None;
                self.sheets = sheets;
                self.full = self.full_asked;
                self.after_load(ctx);
            }
            None => self.reload(ctx),
        }
    }

    /// Reads the sheets here and now (before a decision, and when the reader
    /// thread could not).
    fn reload(&mut self, ctx: &Ctx) {
        self.pending = None;
        let full = self.wanted_in_full(ctx);
        match read_table(ctx.store.conn(), &ctx.user, self.unit, self.month, ctx.today(), ctx.standard, full) {
            Ok(sheets) => {
                self.sheets = Arc::new(sheets);
                self.full = full;
            }
            Err(e) => self.message = Some((true, ctx.describe(&e))),
        }
        self.after_load(ctx);
    }

    fn after_load(&mut self, ctx: &Ctx) {
        self.selected = self.selected.min(self.sheets.len().saturating_sub(1));
        if Self::own_only(ctx) && !self.sheets.is_empty() {
            self.detail.get_or_insert_with(Detail::default).index = 0;
        }
        if let Some(d) = &mut self.detail {
            if d.index >= self.sheets.len() {
                self.detail = None;
            } else {
                let len = self.current().map_or(0, draw::detail_len);
                if let Some(d) = &mut self.detail {
                    d.selected = d.selected.min(len.saturating_sub(1));
                }
            }
        }
    }

    /// The sheet open, once it is read in full (until then, nothing).
    pub(super) fn current(&self) -> Option<&ManagerMonth> {
        self.detail.and_then(|d| self.sheets.get(d.index)).filter(|m| Some(m.staff_id) == self.full)
    }

    /// Whose sheet to read in full: the one open (an account manager's own).
    fn wanted_in_full(&self, ctx: &Ctx) -> Option<i64> {
        if Self::own_only(ctx) {
            return Some(ctx.user.id);
        }
        self.detail.and_then(|d| self.sheets.get(d.index)).map(|m| m.staff_id)
    }

    /// Opens the sheet on line `index`, reading it in full if it is not:
    /// that manager's month alone, off this thread, put in place of its line
    /// (the sheet open before is trimmed again).
    fn open(&mut self, ctx: &Ctx, index: usize) {
        self.detail = Some(Detail { index, selected: 0 });
        let Some(m) = self.sheets.get(index) else { return };
        if Some(m.staff_id) == self.full {
            return;
        }
        let who = appraised(m);
        self.generation += 1;
        self.pending = Some(self.generation);
        self.full_asked = Some(who.staff_id);
        let (generation, month, user, today, standard, table) =
            (self.generation, self.month, ctx.user.clone(), ctx.today(), ctx.standard, Arc::clone(&self.sheets));
        let job: crate::background::Job = Box::new(move |conn| {
            let full = conn.and_then(|c| manager_month(c, &user, &who, month, today, standard).ok());
            let sheets = full.map(|full| {
                let mut full = Some(full);
                let sheets = table
                    .iter()
                    .map(|m| match full.take_if(|f| f.staff_id == m.staff_id) {
                        Some(f) => f,
                        None => m.clone().trimmed(),
                    })
                    .collect::<Vec<_>>();
                Arc::new(sheets)
            });
            Msg::Appraised(Box::new(AppraisalAnswer { generation, sheets }))
        });
        if let Some(Msg::Appraised(answer)) = ctx.reader.submit(ctx.store.conn(), "appraisal", job) {
            self.take_answer(ctx, *answer);
        }
    }

    fn move_month(&mut self, ctx: &Ctx, by: i64) {
        let next = self.month.plus(by);
        if next > Month::of(ctx.today()) {
            return;
        }
        self.month = next;
        self.message = None;
        self.request(ctx);
    }

    /// Leaders and administrators step through the units that have managers.
    fn cycle_unit(&mut self, ctx: &Ctx) {
        if !matches!(ctx.user.role, Role::Leader | Role::Admin) {
            return;
        }
        let mut units: Vec<i64> = ctx.reference.units.iter().filter(|u| u.parent_id.is_none()).map(|u| u.id).collect();
        units.extend(
            ctx.reference
                .staff
                .iter()
                .filter(|s| s.role == Role::Manager)
                .map(|s| s.unit_id)
                .filter(|u| !units.contains(u))
                .collect::<std::collections::BTreeSet<_>>(),
        );
        let i = units.iter().position(|u| *u == self.unit).map_or(0, |i| (i + 1) % units.len().max(1));
        if let Some(u) = units.get(i) {
            self.unit = *u;
            self.detail = None;
            self.selected = 0;
            self.request(ctx);
        }
    }

    /// Closes the month for every unit listed, each with the sheets computed
    /// now, in one transaction.
    fn close(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
        let t = ctx.t();
        let unranked: Vec<&str> =
            self.sheets.iter().filter(|m| m.unranked && m.frozen.is_none()).map(|m| m.name.as_str()).collect();
        if !unranked.is_empty() {
            self.message = Some((true, crate::i18n::fill(t.appraisal_close_unranked, &[&unranked.join("、")])));
            return;
        }
        let mut units: Vec<(i64, Vec<(i64, String)>)> = Vec::new();
        // The frozen sheets keep every record: each is read in full again
        // here, one at a time (the table holds them trimmed).
        for m in self.sheets.iter().filter(|m| m.frozen.is_none()) {
            let who = appraised(m);
            let full = manager_month(ctx.store.conn(), &ctx.user, &who, self.month, ctx.today(), ctx.standard)
                .and_then(|full| {
                    serde_json::to_string(&full)
                        .map_err(|e| crate::db::DbError::Invalid(crate::db::Invalid::Constraint(e.to_string())))
                });
            let json = match full {
                Ok(json) => json,
                Err(e) => {
                    self.message = Some((true, ctx.describe(&e)));
                    return;
                }
            };
            match units.iter_mut().find(|(u, _)| *u == m.unit_id) {
                Some((_, sheets)) => sheets.push((m.staff_id, json)),
                None => units.push((m.unit_id, vec![(m.staff_id, json)])),
            }
        }
        if units.is_empty() {
            self.message = Some((true, t.appraisal_nothing_to_close.to_string()));
            return;
        }
        let actor = ctx.actor();
        let month = self.month;
        let result = ctx.store.write(|tx| {
            for (unit, sheets) in &units {
                crate::db::appraisal::close_month_in(tx, &actor, *unit, month, sheets)?;
            }
            Ok(())
        });
        match result {
            Ok(()) => {
                let n: usize = units.iter().map(|(_, s)| s.len()).sum();
                self.message = Some((false, crate::i18n::fill(t.appraisal_closed_message, &[&month, &n])));
            }
            Err(e) => self.message = Some((true, ctx.describe(&e))),
        }
        self.reload(ctx);
    }

    /// Reopens every closed unit listed, with the reason given.
    fn reopen(&mut self, ctx: &mut Ctx, reason: &str) {
        let t = ctx.t();
        if reason.trim().is_empty() {
            self.message = Some((true, t.appraisal_reopen_needs_reason.to_string()));
            return;
        }
        let mut units: Vec<i64> = self.sheets.iter().filter(|m| m.frozen.is_some()).map(|m| m.unit_id).collect();
        units.dedup();
        let actor = ctx.actor();
        let month = self.month;
        let result = ctx.store.write(|tx| {
            for unit in &units {
                crate::db::appraisal::reopen_month_in(tx, &actor, *unit, month, reason.trim())?;
            }
            Ok(())
        });
        match result {
            Ok(()) => self.message = Some((false, crate::i18n::fill(t.appraisal_reopened_message, &[&month]))),
            Err(e) => self.message = Some((true, ctx.describe(&e))),
        }
        self.reload(ctx);
    }

    /// Archives the entered item under the cursor (the sheet's detail).
    fn archive(&mut self, ctx: &mut Ctx) {
        let Some(d) = self.detail else { return };
        let Some(sheet) = self.current() else { return };
        let Some(entry) = draw::entry_at(sheet, d.selected) else {
            self.message = Some((true, ctx.t().appraisal_archive_which.to_string()));
            return;
        };
        let id = entry.id;
        let actor = ctx.actor();
        match crate::db::appraisal::archive_entry(&mut ctx.store, &actor, id) {
            Ok(()) => self.message = Some((false, ctx.t().appraisal_entry_archived.to_string())),
            Err(e) => self.message = Some((true, ctx.describe(&e))),
        }
        self.reload(ctx);
    }

    fn key_confirm(&mut self, ctx: &mut Ctx, key: &KeyEvent) {
        let Some(confirm) = self.confirm.take() else { return };
        match confirm {
            Confirm::Close => match key.code {
                KeyCode::Char('y' | 'Y') => self.close(ctx),
                _ => self.message = None,
            },
            Confirm::Reopen(mut input, error) => match key.code {
                KeyCode::Esc => self.message = None,
                // Without a reason the question stays, saying so under the answer.
                KeyCode::Enter if input.value().trim().is_empty() => {
                    let why = ctx.t().appraisal_reopen_needs_reason.to_string();
                    self.confirm = Some(Confirm::Reopen(input, Some(why)));
                }
                KeyCode::Enter => self.reopen(ctx, input.value()),
                _ => {
                    let error = if input.handle_key(key) { None } else { error };
                    self.confirm = Some(Confirm::Reopen(input, error));
                }
            },
        }
    }

    fn key_form(&mut self, ctx: &mut Ctx, key: &KeyEvent) {
        let Some(mut form) = self.form.take() else { return };
        match form.key(ctx, key) {
            FormOutcome::Open => self.form = Some(form),
            FormOutcome::Closed => {}
            FormOutcome::Saved(message) => {
                self.message = Some((false, message));
                self.reload(ctx);
            }
        }
    }

    /// Keys on the goals tab go to the panel, but Tab comes back to the sheets.
    fn key_goals(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        let Some(panel) = &mut self.goals else { return vec![] };
        if let Msg::Key(key) = msg
            && !panel.is_typing()
            && matches!(ctx.keymap.lookup(Mode::Goals, key), Some(Command::NextTab | Command::PrevTab))
        {
            self.goals_shown = false;
            return vec![];
        }
        panel.handle(ctx, msg)
    }

    fn show_goals(&mut self, ctx: &Ctx) {
        if self.goals.is_none() {
            self.goals = Some(crate::ui::screens::goals::GoalsPanel::new(ctx));
        }
        self.goals_shown = true;
    }

    fn key(&mut self, ctx: &mut Ctx, key: &KeyEvent) -> Vec<Action> {
        if self.confirm.is_some() {
            self.key_confirm(ctx, key);
            return vec![];
        }
        if self.form.is_some() {
            self.key_form(ctx, key);
            return vec![];
        }
        let command = ctx.keymap.lookup(Mode::Appraisal, key);
        if let Some(d) = self.detail {
            let len = self.current().map_or(0, draw::detail_len);
            let last = len.saturating_sub(1);
            let page = self.detail_view.page();
            let mut moved = d;
            match command {
                Some(Command::Up) => moved.selected = d.selected.saturating_sub(1),
                Some(Command::Down) => moved.selected = (d.selected + 1).min(last),
                Some(Command::PageUp) => moved.selected = d.selected.saturating_sub(page),
                Some(Command::PageDown) => moved.selected = (d.selected + page).min(last),
                Some(Command::Back) if !Self::own_only(ctx) => {
                    self.detail = None;
                    return vec![];
                }
                Some(Command::Back) => return vec![Action::Back],
                _ => return self.common(ctx, command),
            }
            self.detail = Some(moved);
            return vec![];
        }
        let last = self.sheets.len().saturating_sub(1);
        match command {
            Some(Command::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Command::Down) => self.selected = (self.selected + 1).min(last),
            Some(Command::PageUp) => self.selected = self.selected.saturating_sub(self.view.page()),
            Some(Command::PageDown) => self.selected = (self.selected + self.view.page()).min(last),
            Some(Command::Open) if !self.sheets.is_empty() => self.open(ctx, self.selected),
            Some(Command::Back) => return vec![Action::Back],
            _ => return self.common(ctx, command),
        }
        vec![]
    }

    /// Keys that work on the table and on a sheet alike.
    fn common(&mut self, ctx: &mut Ctx, command: Option<Command>) -> Vec<Action> {
        let t = ctx.t();
        match command {
            Some(Command::PrevMonth) => self.move_month(ctx, -1),
            Some(Command::NextMonth) => self.move_month(ctx, 1),
            Some(Command::CycleScope) => self.cycle_unit(ctx),
            Some(Command::Refresh) => self.request(ctx),
            Some(Command::OpenPipeline) => return vec![Action::OpenPipeline(None)],
            Some(Command::NextTab | Command::PrevTab) => self.show_goals(ctx),
            Some(Command::Quit) => return vec![Action::Quit],
            Some(Command::New | Command::SetTerms) if !Self::decides(ctx) => {
                self.message = Some((true, t.appraisal_supervisor_enters.to_string()));
            }
            Some(Command::New) => {
                let Some(sheet) = self.current().or_else(|| self.sheets.get(self.selected)) else { return vec![] };
                if sheet.frozen.is_some() {
                    self.message = Some((true, t.appraisal_month_is_closed.to_string()));
                } else {
                    self.form = Some(EntryForm::entry(ctx, sheet));
                }
            }
            Some(Command::SetTerms) => {
                if let Some(sheet) = self.current().or_else(|| self.sheets.get(self.selected)) {
                    self.form = Some(EntryForm::terms(ctx, sheet));
                }
            }
            Some(Command::Archive) if self.detail.is_some() => {
                if Self::decides(ctx) {
                    self.archive(ctx);
                } else {
                    self.message = Some((true, t.appraisal_supervisor_enters.to_string()));
                }
            }
            Some(Command::CloseMonth) => {
                if !Self::decides(ctx) {
                    self.message = Some((true, t.appraisal_supervisor_closes.to_string()));
                } else if self.sheets.iter().all(|m| m.frozen.is_some()) {
                    self.message = Some((true, t.appraisal_nothing_to_close.to_string()));
                } else {
                    self.confirm = Some(Confirm::Close);
                }
            }
            Some(Command::Reopen) => {
                if ctx.user.role != Role::Supervisor {
                    self.message = Some((true, t.appraisal_supervisor_reopens.to_string()));
                } else if !self.sheets.iter().any(|m| m.frozen.is_some()) {
                    self.message = Some((true, t.appraisal_not_closed.to_string()));
                } else {
                    self.confirm = Some(Confirm::Reopen(TextInput::new(""), None));
                }
            }
            _ => {}
        }
        vec![]
    }
}

impl Screen for AppraisalScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        match msg {
            Msg::Appraised(answer) => {
                self.take_answer(ctx, (**answer).clone());
                vec![]
            }
            Msg::GoalsMeasured(_) => self.goals.as_mut().map_or_else(Vec::new, |panel| panel.handle(ctx, msg)),
            _ if self.goals_shown => self.key_goals(ctx, msg),
            Msg::Key(key) => self.key(ctx, key),
            Msg::Paste(text) => {
                if let Some(form) = &mut self.form {
                    form.paste(text);
                } else if let Some(Confirm::Reopen(input, error)) = &mut self.confirm {
                    input.paste(text);
                    *error = None;
                }
                vec![]
            }
            _ => vec![],
        }
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.request(ctx);
        if let Some(panel) = &mut self.goals {
            panel.resume(ctx);
        }
    }

    fn key_modes(&self) -> &'static [Mode] {
        match &self.goals {
            Some(panel) if self.goals_shown => panel.key_modes(),
            _ => &[Mode::Appraisal],
        }
    }

    fn is_typing(&self) -> bool {
        match &self.goals {
            Some(panel) if self.goals_shown => panel.is_typing(),
            _ => self.form.is_some() || matches!(self.confirm, Some(Confirm::Reopen(..))),
        }
    }

    fn unsaved(&self) -> bool {
        self.form.as_ref().is_some_and(EntryForm::has_typing) || self.goals.as_ref().is_some_and(|p| p.unsaved())
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        match &mut self.goals {
            Some(panel) if self.goals_shown => panel.draw(f, area, ctx),
            _ => draw::draw(self, f, area, ctx),
        }
    }
}
