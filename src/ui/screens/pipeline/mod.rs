//! The development pipeline (六步开发流程, SPEC §13.5), reached with `P` from
//! the customer list and the month end, and from Today's overdue steps: the
//! six steps with how many prospects stand at each, how many are overdue and
//! the revenue expected of them; under them the prospects themselves, paged
//! through SQL, the soonest due (the longest overdue) first. `a` moves one
//! into its next step, `x` drops it, `n` starts one. `r` shows the unit's
//! industry ranking table (分类排序表, SPEC §13.6), kept by its supervisor.

mod draw;
mod form;

pub use form::PipelineFormScreen;

use chrono::NaiveDate;
use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::ctx::Ctx;
use crate::db::access::{may_decide_for_customer, may_decide_for_unit, may_edit_customer};
use crate::db::pipeline::{self, IndustryRank, PipelineScope, Prospect, ProspectFilter, StepCount};
use crate::domain::id::CustomerId;
use crate::domain::pipeline::{Step, StepOwner};
use crate::domain::staff::Role;
use crate::i18n::{fill, pipeline_step_label};
use crate::keymap::{Command, Mode};
use crate::msg::{Action, Msg, PipelineForm};
use crate::ui::Screen;
use crate::ui::widgets::table::Viewport;

/// Rows read around the selection at a time.
const WINDOW: u64 = 200;

/// Whose prospects (`u` switches).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    /// The user's own customers (owner A).
    Mine,
    /// The user's unit's.
    Unit,
}

/// A question asked before a write (y/n).
#[derive(Debug, Clone)]
enum Confirm {
    Advance(Box<Prospect>, Step),
    Drop(Box<Prospect>),
    Archive(Box<IndustryRank>),
}

/// The unit's ranking table, when shown.
struct Ranking {
    rows: Vec<IndustryRank>,
    selected: usize,
    view: Viewport,
}

pub struct PipelineScreen {
    whose: Whose,
    step: Option<Step>,
    counts: Vec<StepCount>,
    /// How many prospects the list holds, and the rows read around the selection.
    total: u64,
    window_offset: u64,
    window: Vec<Prospect>,
    selected: u64,
    view: Viewport,
    ranking: Option<Ranking>,
    confirm: Option<Confirm>,
    /// Days late are counted to this day: when the list was read.
    today: NaiveDate,
    error: Option<String>,
}

impl PipelineScreen {
    /// The pipeline of the user's own prospects (an account manager) or of
    /// their unit (anyone else), the selection on `focus` when it is listed.
    pub fn new(ctx: &Ctx, focus: Option<&CustomerId>) -> PipelineScreen {
        let whose = if ctx.user.role == Role::Manager { Whose::Mine } else { Whose::Unit };
        let mut s = PipelineScreen {
            whose,
            step: None,
            counts: Vec::new(),
            total: 0,
            window_offset: 0,
            window: Vec::new(),
            selected: 0,
            view: Viewport::default(),
            ranking: None,
            confirm: None,
            today: ctx.today(),
            error: None,
        };
        s.reload(ctx);
        if let Some(id) = focus
            && let Some(i) = s.window.iter().position(|p| &p.customer_id == id)
        {
            s.selected = s.window_offset + i as u64;
        }
        s
    }

    fn scope(&self, ctx: &Ctx) -> PipelineScope {
        match self.whose {
            Whose::Mine => PipelineScope::Manager(ctx.user.id),
            Whose::Unit => PipelineScope::Unit(ctx.user.unit_id),
        }
    }

    fn filter(&self, ctx: &Ctx) -> ProspectFilter {
        ProspectFilter { scope: self.scope(ctx), step: self.step }
    }

    /// Reads the counts, the number of prospects listed and the rows around
    /// the selection (and the ranking table while it is shown).
    fn reload(&mut self, ctx: &Ctx) {
        self.today = ctx.today();
        let conn = ctx.store.conn();
        let filter = self.filter(ctx);
        let read = || -> Result<(Vec<StepCount>, u64), crate::db::DbError> {
            Ok((pipeline::counts(conn, filter.scope, self.today)?, pipeline::count(conn, &filter)?))
        };
        match read() {
            Ok((counts, total)) => {
                self.counts = counts;
                self.total = total;
                self.error = None;
            }
            Err(e) => {
                self.error = Some(ctx.describe(&e));
                self.total = 0;
            }
        }
        self.selected = self.selected.min(self.total.saturating_sub(1));
        self.window.clear();
        self.ensure_view(ctx);
        if let Some(r) = &mut self.ranking {
            match pipeline::industries(conn, ctx.user.unit_id, false) {
                Ok(rows) => r.rows = rows,
                Err(e) => self.error = Some(ctx.describe(&e)),
            }
            r.selected = r.selected.min(r.rows.len().saturating_sub(1));
        }
    }

    /// Makes sure rows `from..to` are in the window, reading a window around
    /// them if not.
    fn ensure_rows(&mut self, ctx: &Ctx, from: u64, to: u64) {
        let to = to.min(self.total);
        let end = self.window_offset + self.window.len() as u64;
        if from >= to || (from >= self.window_offset && to <= end) {
            return;
        }
        let size = WINDOW.max((to - from) * 2);
        let start = from.saturating_sub((size - (to - from)) / 2);
        match pipeline::page(ctx.store.conn(), &self.filter(ctx), start, size) {
            Ok(rows) => {
                self.window_offset = start;
                self.window = rows;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
    }

    /// Moves the view to the selection as the table will draw it and reads
    /// the rows it will show: drawing reads nothing.
    fn ensure_view(&mut self, ctx: &Ctx) {
        let len = usize::try_from(self.total).unwrap_or(usize::MAX);
        let selected = usize::try_from(self.selected).unwrap_or(usize::MAX);
        let shown = self.view.follow(selected, len);
        // Before the first frame the view shows nothing yet: the selection at least.
        let (from, to) = (shown.start as u64, shown.end as u64);
        self.ensure_rows(ctx, self.selected.min(from), (self.selected + 1).max(to));
    }

    fn row(&self, index: u64) -> Option<&Prospect> {
        let i = index.checked_sub(self.window_offset)?;
        self.window.get(usize::try_from(i).ok()?)
    }

    fn current(&self) -> Option<&Prospect> {
        self.row(self.selected)
    }

    fn select(&mut self, ctx: &Ctx, cmd: Command) {
        let page = self.view.page() as u64;
        let last = self.total.saturating_sub(1);
        self.selected = match cmd {
            Command::Up => self.selected.saturating_sub(1),
            Command::Down => (self.selected + 1).min(last),
            Command::PageUp => self.selected.saturating_sub(page),
            Command::PageDown => (self.selected + page).min(last),
            Command::Top => 0,
            _ => last,
        };
        self.ensure_view(ctx);
    }

    /// Why the user may not move (or drop) `p` where it stands, if so: the
    /// account manager's steps by whoever edits the customer, the director's
    /// (3, 4) by whoever decides for its unit.
    fn refusal(ctx: &Ctx, p: &Prospect) -> Option<String> {
        let conn = ctx.store.conn();
        let actor = ctx.actor();
        match p.step.owner() {
            StepOwner::AccountManager => {
                may_edit_customer(conn, &actor, &p.customer_id).err().map(|e| ctx.describe(&e))
            }
            StepOwner::Director => may_decide_for_customer(conn, &actor, &p.customer_id)
                .err()
                .map(|e| fill(ctx.t().pipe_director_step, &[&ctx.describe(&e)])),
        }
    }

    /// Why the user may not change the unit's ranking table, if so.
    fn ranking_refusal(ctx: &Ctx) -> Option<String> {
        may_decide_for_unit(ctx.store.conn(), &ctx.actor(), ctx.user.unit_id)
            .err()
            .map(|e| fill(ctx.t().pipe_rank_read_only, &[&ctx.describe(&e)]))
    }

    fn list_command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        let t = ctx.t();
        match cmd {
            Command::Up | Command::Down | Command::PageUp | Command::PageDown | Command::Top | Command::Bottom => {
                self.select(ctx, cmd);
            }
            Command::Open => {
                if let Some(p) = self.current() {
                    return vec![Action::OpenDossier(p.customer_id.clone())];
                }
            }
            Command::AdvanceStep => {
                let Some(p) = self.current().cloned() else { return vec![] };
                let Some(next) = p.step.next() else { return vec![Action::Error(t.pipe_err_last_step.to_string())] };
                if let Some(why) = Self::refusal(ctx, &p) {
                    return vec![Action::Error(why)];
                }
                self.confirm = Some(Confirm::Advance(Box::new(p), next));
            }
            Command::DropProspect => {
                let Some(p) = self.current().cloned() else { return vec![] };
                if let Some(why) = Self::refusal(ctx, &p) {
                    return vec![Action::Error(why)];
                }
                self.confirm = Some(Confirm::Drop(Box::new(p)));
            }
            Command::New => return vec![Action::OpenPipelineForm(Box::new(PipelineForm::Start { customer: None }))],
            Command::FilterStep => {
                self.step = match self.step {
                    None => Some(Step::Survey),
                    Some(s) => s.next(),
                };
                self.selected = 0;
                self.reload(ctx);
            }
            Command::CycleScope => {
                self.whose = if self.whose == Whose::Mine { Whose::Unit } else { Whose::Mine };
                self.selected = 0;
                self.reload(ctx);
            }
            Command::RankingTable => {
                self.ranking = Some(Ranking { rows: Vec::new(), selected: 0, view: Viewport::default() });
                self.reload(ctx);
            }
            Command::Refresh => self.reload(ctx),
            Command::Back => return vec![Action::Back],
            Command::Quit => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }

    fn ranking_command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        let Some(r) = &mut self.ranking else { return vec![] };
        let last = r.rows.len().saturating_sub(1);
        let line = r.rows.get(r.selected).cloned();
        match cmd {
            Command::Up => r.selected = r.selected.saturating_sub(1),
            Command::Down => r.selected = (r.selected + 1).min(last),
            Command::PageUp => r.selected = r.selected.saturating_sub(r.view.page()),
            Command::PageDown => r.selected = (r.selected + r.view.page()).min(last),
            Command::Top => r.selected = 0,
            Command::Bottom => r.selected = last,
            Command::New | Command::Edit | Command::Open | Command::Archive => {
                if let Some(why) = Self::ranking_refusal(ctx) {
                    return vec![Action::Error(why)];
                }
                let unit = ctx.user.unit_id;
                if cmd == Command::New {
                    return vec![Action::OpenPipelineForm(Box::new(PipelineForm::Industry { unit, base: None }))];
                }
                let Some(line) = line else { return vec![] };
                if cmd == Command::Archive {
                    self.confirm = Some(Confirm::Archive(Box::new(line)));
                } else {
                    let base = Some(Box::new(line));
                    return vec![Action::OpenPipelineForm(Box::new(PipelineForm::Industry { unit, base }))];
                }
            }
            Command::RankingTable | Command::Back => self.ranking = None,
            Command::Refresh => self.reload(ctx),
            Command::Quit => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }

    /// The answer to a y/n question: `y` does it, anything else lets it be.
    fn answer(&mut self, ctx: &mut Ctx, key: &KeyEvent) -> Vec<Action> {
        let Some(confirm) = self.confirm.take() else { return vec![] };
        if !matches!(key.code, KeyCode::Char('y' | 'Y')) {
            return vec![];
        }
        let t = ctx.t();
        let actor = ctx.actor();
        let lang = ctx.lang;
        let today = ctx.today();
        let done = match confirm {
            Confirm::Advance(p, _) => pipeline::advance(&mut ctx.store, &actor, &p.customer_id, p.version, today)
                .map(|step| fill(t.pipe_advanced, &[&p.customer_name, &pipeline_step_label(lang, step)])),
            Confirm::Drop(p) => pipeline::drop_prospect(&mut ctx.store, &actor, &p.customer_id, p.version)
                .map(|()| fill(t.pipe_dropped, &[&p.customer_name])),
            Confirm::Archive(line) => {
                let text = pipeline::IndustryText { archived: true, ..line.text.clone() };
                pipeline::save_industry(&mut ctx.store, &actor, line.unit_id, &text, Some((line.id, line.version)))
                    .map(|_| fill(t.pipe_industry_archived, &[&line.text.industry]))
            }
        };
        self.reload(ctx);
        match done {
            Ok(text) => vec![Action::Info(text)],
            Err(e) => vec![Action::Error(ctx.describe(&e))],
        }
    }
}

impl Screen for PipelineScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        match msg {
            Msg::Key(key) if self.confirm.is_some() => self.answer(ctx, key),
            Msg::Key(key) => match ctx.keymap.lookup(Mode::Pipeline, key) {
                Some(cmd) if self.ranking.is_some() => self.ranking_command(ctx, cmd),
                Some(cmd) => self.list_command(ctx, cmd),
                None => vec![],
            },
            Msg::DayChanged { .. } => {
                self.reload(ctx);
                vec![]
            }
            _ => vec![],
        }
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::Pipeline]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        draw::draw(self, f, area, ctx);
    }
}
