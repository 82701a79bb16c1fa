//! Complaint follow-up: the list (overdue first, with time left or overdue) and
//! one complaint's details and timeline; file new ones and move them on.

use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw_title;
use crate::ctx::Ctx;
use crate::db::complaints::{self, Complaint, ComplaintFilter, Event};
use crate::domain::complaint::{Category, ComplaintState, Satisfaction};
use crate::i18n::{
    Lang, complaint_category_label, complaint_event_label, complaint_status_label, field_label, fill,
    satisfaction_label,
};
use crate::keymap::Command;
use crate::keymap::Mode;
use crate::msg::ComplaintRequest;
use crate::msg::{Action, Msg};
use crate::review::lines::complaint_due;
use crate::review::responsibility;
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::widgets::since::Since;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, Viewport, widest};
use crate::ui::widgets::text::{clean, wrap};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    Open,
    Overdue,
    All,
}

pub struct ComplaintsScreen {
    show: Show,
    since: Since,
    /// Only the complaints the user handles, received or owns (a supervisor
    /// otherwise sees the unit's).
    mine_only: bool,
    category: Option<crate::domain::complaint::Category>,
    search: crate::ui::widgets::input::TextInput,
    searching: bool,
    rows: Vec<Complaint>,
    selected: usize,
    view: Viewport,
    /// The complaint opened, with its timeline.
    detail: Option<(Complaint, Vec<Event>)>,
    /// The time left on each complaint is counted to this instant: when the
    /// list was read, then at each key (drawing reads no clock).
    now: NaiveDateTime,
    error: Option<String>,
}

impl ComplaintsScreen {
    pub fn new(ctx: &Ctx) -> ComplaintsScreen {
        let mut s = ComplaintsScreen {
            show: Show::Open,
            since: Since::Any,
            mine_only: false,
            category: None,
            search: Default::default(),
            searching: false,
            rows: Vec::new(),
            selected: 0,
            view: Viewport::default(),
            detail: None,
            now: ctx.clock.now(),
            error: None,
        };
        s.reload(ctx);
        s
    }

    fn reload(&mut self, ctx: &Ctx) {
        let now = ctx.clock.now();
        self.now = now;
        let (mine, unit) = if self.mine_only { (Some(ctx.user.id), None) } else { responsibility(&ctx.user) };
        let received_from = self.since.from(ctx.today());
        let filter = ComplaintFilter {
            received_from,
            open_only: self.show != Show::All,
            overdue_at: (self.show == Show::Overdue).then_some(now),
            mine,
            unit,
            category: self.category,
            text: self.search.value().to_string(),
            ..Default::default()
        };
        match complaints::list(ctx.store.conn(), &filter, now, 1000) {
            Ok(rows) => {
                self.rows = rows;
                self.error = None;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        if let Some((c, _)) = &self.detail {
            let id = c.id;
            self.detail = complaints::load(ctx.store.conn(), id)
                .and_then(|c| complaints::timeline(ctx.store.conn(), id).map(|t| (c, t)))
                .ok();
        }
    }

    fn current(&self) -> Option<&Complaint> {
        match &self.detail {
            Some((c, _)) => Some(c),
            None => self.rows.get(self.selected),
        }
    }
}

impl Screen for ComplaintsScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        let Msg::Key(key) = msg else { return vec![] };
        self.now = ctx.clock.now();
        if self.searching {
            match key.code {
                crossterm::event::KeyCode::Enter | crossterm::event::KeyCode::Esc => self.searching = false,
                _ => {
                    if self.search.handle_key(key) {
                        self.selected = 0;
                        self.reload(ctx);
                    }
                }
            }
            return vec![];
        }
        let last = self.rows.len().saturating_sub(1);
        let in_list = self.detail.is_none();
        match ctx.keymap.lookup(Mode::Complaints, key) {
            Some(Command::Up) if in_list => self.selected = self.selected.saturating_sub(1),
            Some(Command::Down) if in_list => self.selected = (self.selected + 1).min(last),
            Some(Command::PageUp) if in_list => self.selected = self.selected.saturating_sub(self.view.page()),
            Some(Command::PageDown) if in_list => self.selected = (self.selected + self.view.page()).min(last),
            Some(Command::Top) if in_list => self.selected = 0,
            Some(Command::Bottom) if in_list => self.selected = last,
            Some(Command::FilterStatus) if in_list => {
                self.show = match self.show {
                    Show::Open => Show::Overdue,
                    Show::Overdue => Show::All,
                    Show::All => Show::Open,
                };
                self.selected = 0;
                self.reload(ctx);
            }
            Some(Command::Open) => {
                if let Some(c) = self.rows.get(self.selected).cloned() {
                    let timeline = complaints::timeline(ctx.store.conn(), c.id).unwrap_or_default();
                    self.detail = Some((c, timeline));
                }
            }
            Some(Command::Back) => self.detail = None,
            Some(Command::Search) if in_list => self.searching = true,
            Some(Command::FilterPeriod) if in_list => {
                self.since = self.since.next();
                self.reload(ctx);
            }
            Some(Command::FilterMine) if in_list => {
                self.mine_only = !self.mine_only;
                self.reload(ctx);
            }
            Some(Command::FilterCategory) if in_list => {
                use crate::domain::complaint::Category;
                self.category = match self.category {
                    None => Some(Category::ALL[0]),
                    Some(c) => {
                        Category::ALL.iter().position(|x| *x == c).and_then(|i| Category::ALL.get(i + 1)).copied()
                    }
                };
                self.selected = 0;
                self.reload(ctx);
            }
            Some(Command::New) => {
                let customer = self.current().map(|c| c.customer_id.clone());
                return vec![Action::OpenComplaintForm(Box::new(ComplaintRequest::File { customer }))];
            }
            Some(Command::NextStep) => {
                if let Some(c) = self.current() {
                    return vec![Action::OpenComplaintForm(Box::new(ComplaintRequest::Step {
                        base: Box::new(c.clone()),
                    }))];
                }
            }
            Some(cmd @ (Command::PhoneContact | Command::FollowUp)) => {
                if let Some(c) = self.current() {
                    let base = Box::new(c.clone());
                    let request = if cmd == Command::PhoneContact {
                        ComplaintRequest::Phone { base }
                    } else {
                        ComplaintRequest::FollowUp { base }
                    };
                    return vec![Action::OpenComplaintForm(Box::new(request))];
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
        &[Mode::Complaints]
    }

    fn is_typing(&self) -> bool {
        self.searching
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let show = match self.show {
            Show::Open => t.complaints_filter_open,
            Show::Overdue => t.complaints_filter_overdue,
            Show::All => t.complaints_filter_all,
        };
        let whose = fill(t.title_scope, &[&if self.mine_only { t.scope_mine } else { t.scope_unit }]);
        let mut path = vec![t.screen_complaints.to_string(), show.to_string(), whose];
        if let Some(c) = self.category {
            path.push(fill(t.title_category, &[&ctx.lang.pick(complaint_category_label(c))]));
        }
        if self.since != Since::Any {
            path.push(fill(t.title_period, &[&self.since.label(t)]));
        }
        draw_title(f, title, &ctx.theme, ctx.t(), &path.iter().map(String::as_str).collect::<Vec<_>>(), t.nav_hint);
        if self.searching || !self.search.value().is_empty() {
            super::draw_search_row(f, head, &ctx.theme, ctx.t(), &self.search, self.searching);
        } else {
            let head_text = match &self.error {
                Some(e) => Span::styled(e.clone(), ctx.theme.get(Slot::Error)),
                None => Span::styled(format!(" f {show} · {}", t.complaint_actions), ctx.theme.get(Slot::Muted)),
            };
            f.render_widget(Paragraph::new(head_text), head);
        }
        let w = body.width as usize;
        let now = self.now;
        if let Some((c, timeline)) = &self.detail {
            let (due, late) = complaint_due(ctx.lang, c, now);
            let handler =
                c.handler_id.and_then(|h| ctx.reference.staff(h)).map(|s| s.name.clone()).unwrap_or("—".into());
            let mut lines = vec![
                Line::from(Span::styled(
                    clean(&format!(
                        "{} · {} · {} · {}",
                        c.number,
                        c.customer_name,
                        ctx.lang.pick(complaint_category_label(c.category)),
                        ctx.lang.pick(complaint_status_label(c.state, c.satisfaction))
                    )),
                    ctx.theme.get(Slot::Title),
                )),
                Line::from(Span::styled(
                    clean(&format!(
                        "{} {} · {} · {} {}",
                        c.received_at.format("%Y-%m-%d %H:%M"),
                        c.complainant,
                        c.contact,
                        handler,
                        due
                    )),
                    ctx.theme.get(if late { Slot::Alert } else { Slot::Base }),
                )),
            ];
            for part in wrap(&clean(&c.description), w.saturating_sub(1)) {
                lines.push(Line::from(part));
            }
            // The result and the customer's word on it, where the complaint stands.
            let mut outcome = Vec::new();
            if !c.result.is_empty() {
                outcome.push(fill(t.complaint_result, &[&c.result]));
            }
            if let Some(s) = c.satisfaction {
                outcome.push(fill(t.complaint_satisfaction, &[&ctx.lang.pick(satisfaction_label(s))]));
            }
            if !outcome.is_empty() {
                let unsatisfied = c.satisfaction == Some(crate::domain::complaint::Satisfaction::Unsatisfied);
                let style = ctx.theme.get(if unsatisfied { Slot::Warning } else { Slot::Base });
                for part in wrap(&clean(&outcome.join(" · ")), w.saturating_sub(1)) {
                    lines.push(Line::from(Span::styled(part, style)));
                }
            }
            lines.push(Line::from(Span::styled(t.complaint_timeline, ctx.theme.get(Slot::Header))));
            // The timeline is read in full: each step wraps rather than being cut,
            // so the customer's word and the result always show.
            // The customer's word in force before each step: a step out of a
            // confirmation reads from "customer unsatisfied", not from a bare
            // "satisfaction confirmed".
            let mut word = None;
            for e in timeline {
                let mut text = format!("{} {} {}", e.at, e.by, step_text(ctx.lang, e, word));
                word = e.satisfaction.or(word);
                if !e.note.is_empty() {
                    text = format!("{text} · {}", e.note);
                }
                for (i, part) in wrap(&clean(&text), w.saturating_sub(3)).into_iter().enumerate() {
                    lines.push(Line::from(format!("{}{part}", if i == 0 { "  " } else { "    " })));
                }
            }
            f.render_widget(Paragraph::new(lines), body);
            return;
        }
        let late = ctx.theme.get(Slot::Alert);
        let (rows, now) = (&self.rows, self.now);
        complaint_table(ctx, rows, now, true).render(f, body, rows.len(), Some(self.selected), &mut self.view, |i| {
            rows.get(i).map(|c| complaint_row(ctx, c, now, late, true))
        });
    }
}

/// The list's columns: on 80 columns the number, customer (across customers),
/// category, state and time left; wider, who handles it, when it came in and
/// what it says.
pub fn complaint_table<'t>(ctx: &'t Ctx, rows: &[Complaint], now: NaiveDateTime, with_customer: bool) -> DataTable<'t> {
    let t = ctx.t();
    let lang = ctx.lang;
    let label = |k| lang.pick(field_label(k));
    let categories = Category::ALL.map(|c| lang.pick(complaint_category_label(c)));
    // Wide enough for "customer unsatisfied" / "不满意结案" too.
    let states: Vec<&str> = ComplaintState::ALL
        .into_iter()
        .flat_map(|s| [None, Some(Satisfaction::Unsatisfied)].map(|w| lang.pick(complaint_status_label(s, w))))
        .collect();
    let handlers = ctx.reference.staff.iter().map(|s| s.name.as_str());
    // As wide as the time left or over on the rows ("11d 3h overdue").
    let dues: Vec<String> = rows.iter().map(|c| complaint_due(lang, c, now).0).collect();
    let due_w = widest(dues.iter().map(String::as_str), 20).max(10);
    let mut columns =
        vec![Column::fixed("", 1), Column::fixed(t.col_number, widest(rows.iter().map(|c| c.number.as_str()), 20))];
    if with_customer {
        let names = widest(rows.iter().map(|c| c.customer_name.as_str()), 24);
        columns.push(Column::flex(t.col_customer, 8, names.min(16), names));
    }
    columns.extend([
        Column::flex(label("category"), widest(categories, 12), widest(categories, 12), widest(categories, u16::MAX)),
        Column::fixed(label("state"), widest(states, 20)),
        // Never cut ("11d 3h overdue"): the customer's name gives way first.
        Column::flex(label("deadline"), due_w, due_w, 20),
        Column::fixed(label("handler_id"), widest(handlers, 8)).priority(2),
        Column::fixed(t.col_received, 16).priority(3),
        Column::fill(label("description"), 16).priority(4),
    ]);
    DataTable::new(&ctx.theme, columns).empty(t.complaints_none)
}

pub fn complaint_row(
    ctx: &Ctx,
    c: &Complaint,
    now: NaiveDateTime,
    late_style: ratatui::style::Style,
    with_customer: bool,
) -> Row<'static> {
    let (due, late) = complaint_due(ctx.lang, c, now);
    let handler = c.handler_id.and_then(|h| ctx.reference.staff(h)).map(|s| s.name.clone()).unwrap_or_default();
    let mut cells = vec![Cell::text(if late { "!" } else { "" }), Cell::text(&c.number)];
    if with_customer {
        cells.push(Cell::text(&c.customer_name));
    }
    cells.extend([
        Cell::text(ctx.lang.pick(complaint_category_label(c.category))),
        Cell::text(ctx.lang.pick(complaint_status_label(c.state, c.satisfaction))),
        Cell::text(&due),
        Cell::text(&handler),
        Cell::text(&c.received_at.format("%Y-%m-%d %H:%M").to_string()),
        Cell::text(&c.description),
    ]);
    Row::new(cells).style(if late { late_style } else { ctx.theme.get(Slot::Base) })
}

/// What a timeline step was: its label, the states it moved between, the
/// satisfaction given and the result reached, so a dissatisfied close never
/// reads like a satisfied one. `before` is the customer's word given at an
/// earlier step, which the state moved from still carries.
pub fn step_text(lang: Lang, e: &Event, before: Option<Satisfaction>) -> String {
    let t = lang.text();
    let mut parts = vec![complaint_event_label(&e.kind).map_or_else(|| e.kind.clone(), |l| lang.pick(l).to_string())];
    if let (Some(from), Some(to)) = (e.from_state, e.to_state) {
        let from = lang.pick(complaint_status_label(from, before.or(e.satisfaction)));
        let to = lang.pick(complaint_status_label(to, e.satisfaction));
        parts.push(format!("{from} → {to}"));
    }
    if let Some(s) = e.satisfaction {
        parts.push(fill(t.complaint_satisfaction, &[&lang.pick(satisfaction_label(s))]));
    }
    if !e.result.is_empty() {
        parts.push(fill(t.complaint_result, &[&e.result]));
    }
    parts.join(" · ")
}
