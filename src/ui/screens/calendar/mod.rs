//! The visit calendar: a month grid of counts, a week of time blocks, and an
//! agenda list; move by day, week and month, jump to today or a typed date,
//! and plan, record, change or cancel visits from here.

pub mod draw;
mod hours;

use chrono::{Datelike, Days, Months, NaiveDate, NaiveDateTime, NaiveTime};
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;

use crate::ctx::Ctx;
use crate::db::visits::{self, DayCount, Visit, VisitScope};
use crate::domain::id::CustomerId;
use crate::domain::validate;
use crate::keymap::Command;
use crate::keymap::Mode;
use crate::msg::VisitRequest;
use crate::msg::{Action, Msg};
use crate::ui::Screen;
use crate::ui::widgets::input::TextInput;
use crate::ui::widgets::pick_list::{Choice, PickList, Picked};
use crate::ui::widgets::table::Viewport;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Month,
    Week,
    Agenda,
}

/// Whose visits the calendar shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Mine,
    MyUnit,
    All,
    Customer(CustomerId),
    /// One account manager's visits.
    Manager(i64),
}

/// How far ahead the agenda lists.
const AGENDA_DAYS: u64 = 31;

pub struct CalendarScreen {
    view: View,
    cursor: NaiveDate,
    scope: Scope,
    counts: Vec<(NaiveDate, DayCount)>,
    /// The grid `counts` were read for: moving within it reads only the visits.
    counted: Option<(NaiveDate, NaiveDate)>,
    /// Visits of the selected day (month view), week, or agenda range.
    visits: Vec<Visit>,
    /// Selected visit within `visits`.
    selected: usize,
    /// The view of the visit list (under the month, or the agenda).
    list_view: Viewport,
    /// Visits are planned, done or overdue as of this instant: when they were
    /// read, then at each key (drawing reads no clock).
    now: NaiveDateTime,
    goto: Option<TextInput>,
    /// Why the last go-to did not go, shown on the day line until the next key.
    goto_error: Option<String>,
    /// Choosing whose calendar to show (`o`).
    picker: Option<PickList<Option<i64>>>,
    error: Option<String>,
}

impl CalendarScreen {
    pub fn new(ctx: &Ctx, scope: Scope) -> CalendarScreen {
        let mut s = CalendarScreen {
            view: View::Month,
            cursor: ctx.today(),
            scope,
            counts: Vec::new(),
            counted: None,
            visits: Vec::new(),
            selected: 0,
            list_view: Viewport::default(),
            now: ctx.clock.now(),
            goto: None,
            goto_error: None,
            picker: None,
            error: None,
        };
        s.reload(ctx);
        s
    }

    fn visit_scope(&self, ctx: &Ctx) -> VisitScope {
        match &self.scope {
            Scope::Mine => VisitScope::Staff(ctx.user.id),
            Scope::MyUnit => VisitScope::Unit(ctx.user.unit_id),
            Scope::All => VisitScope::All,
            Scope::Customer(id) => VisitScope::Customer(id.clone()),
            Scope::Manager(id) => VisitScope::Staff(*id),
        }
    }

    /// The first and last day of the six-week grid around the cursor's month.
    fn grid_bounds(&self) -> (NaiveDate, NaiveDate) {
        let first = self.cursor.with_day(1).unwrap_or(self.cursor);
        let start = first - Days::new(first.weekday().num_days_from_monday() as u64);
        (start, start + Days::new(41))
    }

    fn week_bounds(&self) -> (NaiveDate, NaiveDate) {
        let start = self.cursor - Days::new(self.cursor.weekday().num_days_from_monday() as u64);
        (start, start + Days::new(6))
    }

    /// Reads the counts and the visits afresh (after a change, or on a new grid).
    fn reload(&mut self, ctx: &Ctx) {
        self.counted = None;
        self.read(ctx);
    }

    fn read(&mut self, ctx: &Ctx) {
        self.now = ctx.clock.now();
        let scope = self.visit_scope(ctx);
        let conn = ctx.store.conn();
        let (from, to) = match self.view {
            View::Month => (self.cursor, self.cursor),
            View::Week => self.week_bounds(),
            View::Agenda => (self.cursor, self.cursor + Days::new(AGENDA_DAYS - 1)),
        };
        let (gfrom, gto) = self.grid_bounds();
        let midnight = |d: NaiveDate| d.and_time(NaiveTime::MIN);
        let counts = match self.counted {
            Some(grid) if grid == (gfrom, gto) => Ok(()),
            _ => visits::day_counts(conn, &scope, gfrom, gto, ctx.today()).map(|counts| {
                self.counts = counts;
                self.counted = Some((gfrom, gto));
            }),
        };
        let result = counts.and_then(|()| visits::between(conn, &scope, midnight(from), midnight(to + Days::new(1))));
        match result {
            Ok(v) => {
                self.visits = v;
                self.error = None;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        self.selected = self.selected.min(self.visits.len().saturating_sub(1));
    }

    fn count_on(&self, day: NaiveDate) -> DayCount {
        self.counts.iter().find(|(d, _)| *d == day).map(|(_, c)| *c).unwrap_or_default()
    }

    fn move_to(&mut self, ctx: &Ctx, day: NaiveDate) {
        self.cursor = day;
        self.selected = 0;
        // Within the same grid the counts stand; only the day's visits are read.
        self.read(ctx);
    }

    fn selected_visit(&self) -> Option<&Visit> {
        match self.view {
            // In the month view the list under the grid is the selected day's.
            View::Month | View::Agenda | View::Week => self.visits.get(self.selected),
        }
    }

    fn command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        let day = |n: i64| Days::new(n.unsigned_abs());
        let shift = |d: NaiveDate, n: i64| if n >= 0 { d + day(n) } else { d - day(n) };
        match cmd {
            Command::Left => self.move_to(ctx, shift(self.cursor, -1)),
            Command::Right => self.move_to(ctx, shift(self.cursor, 1)),
            Command::Up if self.view == View::Agenda => self.selected = self.selected.saturating_sub(1),
            Command::Down if self.view == View::Agenda => {
                self.selected = (self.selected + 1).min(self.visits.len().saturating_sub(1))
            }
            Command::Up => self.move_to(ctx, shift(self.cursor, -7)),
            Command::Down => self.move_to(ctx, shift(self.cursor, 7)),
            Command::PageUp => self.move_to(ctx, self.cursor.checked_sub_months(Months::new(1)).unwrap_or(self.cursor)),
            Command::PageDown => {
                self.move_to(ctx, self.cursor.checked_add_months(Months::new(1)).unwrap_or(self.cursor))
            }
            Command::Today => self.move_to(ctx, ctx.today()),
            Command::GotoDate => self.goto = Some(TextInput::default()),
            Command::NextView => {
                self.view = match self.view {
                    View::Month => View::Week,
                    View::Week => View::Agenda,
                    View::Agenda => View::Month,
                };
                self.selected = 0;
                self.reload(ctx);
            }
            Command::CycleScope => {
                self.scope = match self.scope {
                    Scope::Mine => Scope::MyUnit,
                    Scope::MyUnit => Scope::All,
                    Scope::All | Scope::Customer(_) | Scope::Manager(_) => Scope::Mine,
                };
                self.reload(ctx);
            }
            Command::Open => match (self.view, self.selected_visit()) {
                (View::Agenda, Some(v)) => {
                    return vec![Action::OpenDossier(v.customer_id.clone())];
                }
                // Enter on a day lists that day and the following weeks.
                _ => {
                    self.view = View::Agenda;
                    self.selected = 0;
                    self.reload(ctx);
                }
            },
            Command::New => {
                let customer = match &self.scope {
                    Scope::Customer(id) => Some(id.clone()),
                    _ => None,
                };
                return vec![Action::OpenVisitForm(Box::new(VisitRequest::Plan {
                    customer,
                    date: self.cursor.max(ctx.today()),
                    follows: None,
                }))];
            }
            Command::Record => {
                if let Some(v) = self.selected_visit().filter(|v| v.state == crate::domain::visit::VisitState::Planned)
                {
                    return vec![Action::OpenVisitForm(Box::new(VisitRequest::Record { base: Box::new(v.clone()) }))];
                }
            }
            Command::CancelVisit => {
                if let Some(v) = self.selected_visit().filter(|v| v.state == crate::domain::visit::VisitState::Planned)
                {
                    return vec![Action::OpenVisitForm(Box::new(VisitRequest::Cancel { base: Box::new(v.clone()) }))];
                }
            }
            Command::Edit => {
                if let Some(v) = self.selected_visit().filter(|v| v.state == crate::domain::visit::VisitState::Planned)
                {
                    return vec![Action::OpenVisitForm(Box::new(VisitRequest::Edit { base: Box::new(v.clone()) }))];
                }
            }
            Command::PlanMonth => return vec![Action::PlanMonth(self.cursor.max(ctx.today()))],
            Command::FilterOwner => {
                // One account manager's calendar: the unit's managers to pick from,
                // by name in pinyin order; the first choice is back to one's own.
                let mut managers: Vec<_> = ctx
                    .reference
                    .staff
                    .iter()
                    .filter(|s| s.role == crate::domain::staff::Role::Manager && s.unit_id == ctx.user.unit_id)
                    .collect();
                managers.sort_by_cached_key(|s| crate::search::sort_key(&s.name));
                let t = ctx.t();
                let choices = std::iter::once(Choice::new(None, t.scope_mine, ""))
                    .chain(managers.iter().map(|s| Choice::new(Some(s.id), &s.name, "")))
                    .collect();
                let current = match self.scope {
                    Scope::Manager(id) => Some(id),
                    _ => None,
                };
                self.picker = Some(PickList::new(t.pick_owner, choices, &current));
            }
            Command::Back => return vec![Action::Back],
            Command::Quit => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }

    /// A key while the go-to prompt is open. Enter closes it either way: on a
    /// bad date with the error (and what was typed) on the day line, so the
    /// next `g` opens a fresh prompt instead of typing into a stale one.
    fn goto_key(&mut self, ctx: &Ctx, key: &crossterm::event::KeyEvent) {
        let Some(input) = self.goto.as_mut() else { return };
        match key.code {
            KeyCode::Esc => self.goto = None,
            KeyCode::Enter => {
                let typed = input.value().trim().to_string();
                self.goto = None;
                match validate::date(&typed) {
                    Ok(d) => self.move_to(ctx, d),
                    Err(e) => {
                        let why = crate::ui::field_error_text(ctx.lang, &e);
                        self.goto_error = Some(crate::i18n::fill(ctx.t().goto_bad_date, &[&typed, &why]));
                    }
                }
            }
            _ => {
                input.handle_key(key);
            }
        }
    }
}

impl Screen for CalendarScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        self.now = ctx.clock.now();
        if let (Some(picker), Msg::Key(key)) = (self.picker.as_mut(), msg) {
            match picker.handle_key(key) {
                Picked::Open => {}
                Picked::Cancelled => self.picker = None,
                Picked::Chosen(manager) => {
                    self.picker = None;
                    self.scope = manager.map(Scope::Manager).unwrap_or(Scope::Mine);
                    self.selected = 0;
                    self.reload(ctx);
                }
            }
            return vec![];
        }
        match msg {
            Msg::Key(key) if self.goto.is_some() => {
                self.goto_key(ctx, key);
                vec![]
            }
            Msg::Key(key) => {
                self.goto_error = None;
                match ctx.keymap.lookup(Mode::Calendar, key) {
                    Some(cmd) => self.command(ctx, cmd),
                    None => vec![],
                }
            }
            Msg::DayChanged { from, to } => {
                // Looking at today, the user keeps looking at today; a day they
                // went to stays. Either way the marks (today, overdue) are read afresh.
                if self.cursor == *from {
                    self.cursor = *to;
                    self.selected = 0;
                }
                self.reload(ctx);
                vec![]
            }
            _ => vec![],
        }
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }

    fn is_typing(&self) -> bool {
        self.goto.is_some() || self.picker.is_some()
    }

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::Calendar]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        draw::draw(self, f, area, ctx);
        if let Some(picker) = &mut self.picker {
            picker.draw(f, area, &ctx.theme, ctx.t());
        }
    }
}
