//! The marketing log timeline across customers: filter by scope, deal stage and
//! text; write entries; supervisors mark them read and comment.

use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::draw_title;
use crate::ctx::Ctx;
use crate::db::access::{Work, may_work_on};
use crate::db::marketing::{self, LogEntry, LogFilter};
use crate::domain::marketing_log::{DealStage, Method};
use crate::i18n::{field_label, fill, method_label, stage_label};
use crate::keymap::Command;
use crate::keymap::Mode;
use crate::msg::LogRequest;
use crate::msg::{Action, Msg};
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::widgets::input::TextInput;
use crate::ui::widgets::since::Since;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, Viewport, widest};
use crate::ui::widgets::text::{cells_of, clean};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    Mine,
    Unit,
    All,
}

pub struct LogScreen {
    scope: Scope,
    since: Since,
    stage: Option<DealStage>,
    search: TextInput,
    searching: bool,
    rows: Vec<LogEntry>,
    selected: usize,
    view: Viewport,
    error: Option<String>,
}

/// Entries shown at most; the filters narrow further.
const SHOWN: u64 = 500;

impl LogScreen {
    pub fn new(ctx: &Ctx) -> LogScreen {
        let scope = if ctx.user.role == crate::domain::staff::Role::Manager { Scope::Mine } else { Scope::Unit };
        let mut s = LogScreen {
            scope,
            since: Since::Any,
            stage: None,
            search: TextInput::default(),
            searching: false,
            rows: Vec::new(),
            selected: 0,
            view: Viewport::default(),
            error: None,
        };
        s.reload(ctx);
        s
    }

    fn reload(&mut self, ctx: &Ctx) {
        let filter = LogFilter {
            author: (self.scope == Scope::Mine).then_some(ctx.user.id),
            unit: (self.scope == Scope::Unit).then_some(ctx.user.unit_id),
            stage: self.stage,
            text: self.search.value().to_string(),
            from: self.since.from(ctx.today()),
            to: self.since.to(ctx.today()),
            ..Default::default()
        };
        match marketing::list(ctx.store.conn(), &filter, SHOWN) {
            Ok(rows) => {
                self.rows = rows;
                self.error = None;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    fn command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        let last = self.rows.len().saturating_sub(1);
        match cmd {
            Command::Up => self.selected = self.selected.saturating_sub(1),
            Command::Down => self.selected = (self.selected + 1).min(last),
            Command::PageUp => self.selected = self.selected.saturating_sub(self.view.page()),
            Command::PageDown => self.selected = (self.selected + self.view.page()).min(last),
            Command::Open => {
                if let Some(r) = self.rows.get(self.selected) {
                    return vec![Action::OpenLogEntry(r.id)];
                }
            }
            Command::New => {
                // The selected line's customer is offered only if the user may write
                // about it; otherwise the form opens with the field empty.
                let customer = self
                    .rows
                    .get(self.selected)
                    .map(|r| r.customer_id.clone())
                    .filter(|id| may_work_on(ctx.store.conn(), &ctx.actor(), id, Work::Edit).is_ok());
                return vec![Action::OpenLogForm(Box::new(LogRequest::New { customer }))];
            }
            Command::Comment => {
                if let Some(r) = self.rows.get(self.selected) {
                    if let Err(refusal) = ctx.user.may_decide() {
                        return vec![Action::Error(fill(
                            ctx.t().refused,
                            &[&crate::ui::refusal_text(ctx.lang, &refusal)],
                        ))];
                    }
                    let request = LogRequest::Comment { log_id: r.id, customer_name: r.customer_name.clone() };
                    return vec![Action::OpenLogForm(Box::new(request))];
                }
            }
            Command::FilterStage => {
                self.stage = match self.stage {
                    None => Some(DealStage::ALL[0]),
                    Some(s) => s.next(),
                };
                self.reload(ctx);
            }
            Command::CycleScope => {
                self.scope = match self.scope {
                    Scope::Mine => Scope::Unit,
                    Scope::Unit => Scope::All,
                    Scope::All => Scope::Mine,
                };
                self.reload(ctx);
            }
            Command::FilterPeriod => {
                self.since = self.since.next();
                self.reload(ctx);
            }
            Command::Search => self.searching = true,
            Command::Quit => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }
}

impl Screen for LogScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        match msg {
            Msg::Key(key) if self.searching => {
                match key.code {
                    KeyCode::Enter | KeyCode::Esc => self.searching = false,
                    _ => {
                        if self.search.handle_key(key) {
                            self.selected = 0;
                            self.reload(ctx);
                        }
                    }
                }
                vec![]
            }
            Msg::Key(key) => match ctx.keymap.lookup(Mode::Log, key) {
                Some(cmd) => self.command(ctx, cmd),
                None => vec![],
            },
            _ => vec![],
        }
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }

    fn is_typing(&self) -> bool {
        self.searching
    }

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::Log]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let scope = match self.scope {
            Scope::Mine => t.scope_mine,
            Scope::Unit => t.scope_unit,
            Scope::All => t.scope_all,
        };
        let mut path = vec![t.screen_log.to_string(), fill(t.title_scope, &[&scope])];
        if let Some(s) = self.stage {
            path.push(fill(t.title_stage, &[&ctx.lang.pick(stage_label(s))]));
        }
        if self.since != Since::Any {
            path.push(fill(t.title_period, &[&self.since.label(t)]));
        }
        draw_title(f, title, &ctx.theme, ctx.t(), &path.iter().map(String::as_str).collect::<Vec<_>>(), t.nav_hint);
        if self.searching || !self.search.value().is_empty() {
            super::draw_search_row(f, head, &ctx.theme, ctx.t(), &self.search, self.searching);
        } else {
            let line = match &self.error {
                Some(e) => Span::styled(e.clone(), ctx.theme.get(Slot::Error)),
                None => Span::styled(format!(" {}", t.log_actions), ctx.theme.get(Slot::Muted)),
            };
            f.render_widget(Paragraph::new(line), head);
        }
        let rows = &self.rows;
        log_table(ctx, rows, true).render(f, body, rows.len(), Some(self.selected), &mut self.view, |i| {
            rows.get(i).map(|r| log_row(ctx, r, true))
        });
    }
}

/// The columns of marketing-log entries: the date, the customer (across
/// customers), the deal stage and what was said; wider, how, by whom and the
/// supervisors' comments.
pub fn log_table<'t>(ctx: &'t Ctx, rows: &[LogEntry], with_customer: bool) -> DataTable<'t> {
    let t = ctx.t();
    let lang = ctx.lang;
    let label = |k| lang.pick(field_label(k));
    let stages = DealStage::ALL.map(|s| lang.pick(stage_label(s)));
    let methods = Method::ALL.map(|m| lang.pick(method_label(m)));
    let mut columns = vec![Column::fixed(t.col_date, 10)];
    if with_customer {
        let names = widest(rows.iter().map(|r| r.customer_name.as_str()), 24);
        columns.push(Column::flex(t.col_customer, 8, names.min(14), names));
    }
    columns.extend([
        // The deal's stage (报价, 签合同), not the customer's development stage;
        // whole once the screen has room for it.
        Column::flex(t.f_stage, widest(stages, 12), widest(stages, 12), widest(stages, u16::MAX)),
        Column::fixed(label("method"), widest(methods, 12)).priority(1),
        Column::fixed(t.col_author, widest(ctx.reference.staff.iter().map(|s| s.name.as_str()), 8)).priority(2),
        Column::fill(label("content"), 12),
        Column::fixed(t.col_comments, cells_of(&fill(t.log_comments, &[&99]))).priority(3),
    ]);
    DataTable::new(&ctx.theme, columns).empty(t.log_none)
}

pub fn log_row(ctx: &Ctx, r: &LogEntry, with_customer: bool) -> Row<'static> {
    let t = ctx.t();
    let author = ctx.reference.staff(r.author_id).map(|s| s.name.clone()).unwrap_or_default();
    let comments = if r.comments > 0 { fill(t.log_comments, &[&r.comments]) } else { String::new() };
    let mut cells = vec![Cell::text(&r.logged_on.format("%Y-%m-%d").to_string())];
    if with_customer {
        cells.push(Cell::text(&r.customer_name));
    }
    cells.extend([
        Cell::text(ctx.lang.pick(stage_label(r.stage))),
        Cell::text(ctx.lang.pick(method_label(r.method))),
        Cell::text(&author),
        content_cell(ctx, r),
        Cell::text(&comments).style(ctx.theme.get(Slot::Accent)),
    ]);
    Row::new(cells).style(ctx.theme.get(Slot::Base))
}

/// What was said; an entry someone entered for its author (an import from
/// paper) says who entered it first, so that it is not taken for a live write.
fn content_cell(ctx: &Ctx, r: &LogEntry) -> Cell<'static> {
    if !r.entered_for_author() {
        return Cell::text(&r.content);
    }
    let by = ctx.reference.staff(r.entered_by).map(|s| s.name.clone()).unwrap_or_default();
    let by = format!("[{}] ", fill(ctx.t().log_entered_by, &[&by]));
    Cell::spans(vec![Span::styled(clean(&by), ctx.theme.get(Slot::Muted)), Span::raw(clean(&r.content))])
}
