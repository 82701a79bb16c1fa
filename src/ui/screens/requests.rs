//! Service requests (key 8, SPEC §9): the list, overdue first with the time
//! left or over; one request with its timeline; and the customers due a
//! proactive call (no pickup for the bureau's days). Receive new requests
//! and take each one from notice to result.

use chrono::NaiveDateTime;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw_title;
use crate::ctx::Ctx;
use crate::db::DbError;
use crate::db::requests::{self, QuietCustomer, RequestEvent, RequestFilter, ServiceRequest};
use crate::domain::request::{RequestKind, RequestStatus, RequestStep};
use crate::domain::staff::Role;
use crate::i18n::{
    Lang, area_label, fill, request_channel_label, request_event_label, request_kind_label, request_status_label,
    service_mode_label, tier_label,
};
use crate::keymap::{Command, Mode};
use crate::msg::{Action, Msg, ServiceForm};
use crate::review::lines::request_due;
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, Viewport, widest};
use crate::ui::widgets::text::{clean, wrap};

/// Which requests the list shows (`f` cycles them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Show {
    Open,
    Overdue,
    Done,
    Cancelled,
    All,
}

/// Whose requests (`u` cycles them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scope {
    /// The user's customers' (A or B), and those they received.
    Mine,
    Unit,
    All,
}

/// Requests read per list: the open ones of a unit fit many times over.
const LIST_LIMIT: u64 = 1000;

pub struct RequestsScreen {
    show: Show,
    scope: Scope,
    /// The proactive-call list instead of the requests.
    quiet_view: bool,
    search: crate::ui::widgets::input::TextInput,
    searching: bool,
    rows: Vec<ServiceRequest>,
    /// How many match (more than `rows` when the list was cut).
    total: u64,
    selected: usize,
    view: Viewport,
    /// The request opened, with its timeline.
    detail: Option<(ServiceRequest, Vec<RequestEvent>)>,
    /// Opened on one request (Today, the dossier): Esc from it goes back there.
    standalone: bool,
    quiet: Vec<QuietCustomer>,
    quiet_days: u32,
    quiet_selected: usize,
    quiet_port: Viewport,
    /// The time left on each request is counted to this instant: when the
    /// list was read, then at each key (drawing reads no clock).
    now: NaiveDateTime,
    error: Option<String>,
}

impl RequestsScreen {
    pub fn new(ctx: &Ctx) -> RequestsScreen {
        let scope = if ctx.user.role == Role::Manager { Scope::Mine } else { Scope::Unit };
        let mut s = RequestsScreen {
            show: Show::Open,
            scope,
            quiet_view: false,
            search: Default::default(),
            searching: false,
            rows: Vec::new(),
            total: 0,
            selected: 0,
            view: Viewport::default(),
            detail: None,
            standalone: false,
            quiet: Vec::new(),
            quiet_days: crate::domain::request::DEFAULT_QUIET_DAYS,
            quiet_selected: 0,
            quiet_port: Viewport::default(),
            now: ctx.clock.now(),
            error: None,
        };
        s.reload(ctx);
        s
    }

    /// The screen opened on one request, with its timeline.
    pub fn open(ctx: &Ctx, id: i64) -> Result<RequestsScreen, DbError> {
        let mut s = RequestsScreen::new(ctx);
        let r = requests::load(ctx.store.conn(), id)?;
        let timeline = requests::timeline(ctx.store.conn(), id)?;
        s.detail = Some((r, timeline));
        s.standalone = true;
        Ok(s)
    }

    /// The list's (mine, unit) filters for the scope.
    fn whose(&self, ctx: &Ctx) -> (Option<i64>, Option<i64>) {
        match self.scope {
            Scope::Mine => (Some(ctx.user.id), None),
            Scope::Unit => (None, Some(ctx.user.unit_id)),
            Scope::All => (None, None),
        }
    }

    fn reload(&mut self, ctx: &Ctx) {
        let now = ctx.clock.now();
        self.now = now;
        let conn = ctx.store.conn();
        let (mine, unit) = self.whose(ctx);
        let filter = RequestFilter {
            open_only: self.show == Show::Open,
            overdue_at: (self.show == Show::Overdue).then_some(now),
            status: match self.show {
                Show::Done => Some(RequestStatus::Done),
                Show::Cancelled => Some(RequestStatus::Cancelled),
                _ => None,
            },
            mine,
            unit,
            text: self.search.value().to_string(),
            ..Default::default()
        };
        let mut read = || -> Result<(), DbError> {
            let rows = requests::list(conn, &filter, now, LIST_LIMIT)?;
            let total =
                if (rows.len() as u64) < LIST_LIMIT { rows.len() as u64 } else { requests::count(conn, &filter)? };
            self.rows = rows;
            self.total = total;
            self.quiet_days = requests::quiet_days_setting(conn)?;
            // The customers due a call, by the same scope (a manager: their
            // own), read only while they are shown.
            if self.quiet_view {
                let owner = if self.scope == Scope::Mine { Some(ctx.user.id) } else { None };
                self.quiet = requests::quiet_customers(conn, owner, unit, ctx.today(), self.quiet_days, LIST_LIMIT)?;
            }
            if let Some((r, _)) = &self.detail {
                let id = r.id;
                self.detail = Some((requests::load(conn, id)?, requests::timeline(conn, id)?));
            }
            Ok(())
        };
        match read() {
            Ok(()) => self.error = None,
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
        self.quiet_selected = self.quiet_selected.min(self.quiet.len().saturating_sub(1));
    }

    /// The request the keys act on: the one opened, else the selected row.
    fn current(&self) -> Option<&ServiceRequest> {
        match &self.detail {
            Some((r, _)) => Some(r),
            None if !self.quiet_view => self.rows.get(self.selected),
            None => None,
        }
    }

    fn step(&self, step: RequestStep) -> Vec<Action> {
        match self.current() {
            Some(r) => vec![Action::OpenServiceForm(Box::new(ServiceForm::Step { base: Box::new(r.clone()), step }))],
            None => vec![],
        }
    }

    /// Moves the selection of the list in view.
    fn move_by(&mut self, cmd: Command) {
        let (selected, len, page) = if self.quiet_view {
            (&mut self.quiet_selected, self.quiet.len(), self.quiet_port.page())
        } else {
            (&mut self.selected, self.rows.len(), self.view.page())
        };
        let last = len.saturating_sub(1);
        *selected = match cmd {
            Command::Up => selected.saturating_sub(1),
            Command::Down => (*selected + 1).min(last),
            Command::PageUp => selected.saturating_sub(page),
            Command::PageDown => (*selected + page).min(last),
            Command::Top => 0,
            _ => last,
        };
    }

    fn command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        let in_list = self.detail.is_none();
        match cmd {
            Command::Up | Command::Down | Command::PageUp | Command::PageDown | Command::Top | Command::Bottom
                if in_list =>
            {
                self.move_by(cmd);
            }
            Command::Open if self.quiet_view && in_list => {
                if let Some(q) = self.quiet.get(self.quiet_selected) {
                    return vec![Action::OpenDossier(q.customer_id.clone())];
                }
            }
            Command::Open if in_list => {
                if let Some(r) = self.rows.get(self.selected).cloned() {
                    match requests::timeline(ctx.store.conn(), r.id) {
                        Ok(timeline) => self.detail = Some((r, timeline)),
                        Err(e) => return vec![Action::Error(ctx.describe(&e))],
                    }
                }
            }
            Command::Back if self.detail.is_some() && self.standalone => return vec![Action::Back],
            Command::Back if self.detail.is_some() => self.detail = None,
            Command::Back if self.quiet_view => self.quiet_view = false,
            Command::ProactiveCalls if in_list => {
                self.quiet_view = !self.quiet_view;
                self.reload(ctx);
            }
            Command::FilterStatus if in_list && !self.quiet_view => {
                self.show = match self.show {
                    Show::Open => Show::Overdue,
                    Show::Overdue => Show::Done,
                    Show::Done => Show::Cancelled,
                    Show::Cancelled => Show::All,
                    Show::All => Show::Open,
                };
                self.selected = 0;
                self.reload(ctx);
            }
            Command::CycleScope if in_list => {
                self.scope = match self.scope {
                    Scope::Mine => Scope::Unit,
                    Scope::Unit => Scope::All,
                    Scope::All => Scope::Mine,
                };
                self.selected = 0;
                self.quiet_selected = 0;
                self.reload(ctx);
            }
            Command::Search if in_list && !self.quiet_view => self.searching = true,
            Command::Refresh => self.reload(ctx),
            Command::New => {
                let customer = match (&self.detail, self.quiet_view) {
                    (Some((r, _)), _) => Some(r.customer_id.clone()),
                    (None, true) => self.quiet.get(self.quiet_selected).map(|q| q.customer_id.clone()),
                    (None, false) => None,
                };
                return vec![Action::OpenServiceForm(Box::new(ServiceForm::Receive { customer }))];
            }
            Command::Notify => return self.step(RequestStep::Notify),
            Command::PhoneContact => return self.step(RequestStep::PhoneContact),
            Command::StartRequest => return self.step(RequestStep::Start),
            Command::RecordResult => return self.step(RequestStep::Done),
            Command::CancelRequest => return self.step(RequestStep::Cancel),
            Command::Quit => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }

    fn title_path(&self, ctx: &Ctx) -> Vec<String> {
        let t = ctx.t();
        let scope = match self.scope {
            Scope::Mine => t.scope_mine,
            Scope::Unit => t.scope_unit,
            Scope::All => t.scope_all,
        };
        let mut path = vec![t.screen_requests.to_string()];
        if self.quiet_view {
            path.push(fill(t.req_quiet_title, &[&self.quiet_days]));
        } else if let Some((r, _)) = &self.detail {
            path.push(r.number.clone());
        } else {
            path.push(format!("{} ({})", self.show_label(ctx), self.total));
        }
        path.push(fill(t.title_scope, &[&scope]));
        path
    }

    fn show_label(&self, ctx: &Ctx) -> &'static str {
        let t = ctx.t();
        match self.show {
            Show::Open => t.req_filter_open,
            Show::Overdue => t.req_filter_overdue,
            Show::Done => t.req_filter_done,
            Show::Cancelled => t.req_filter_cancelled,
            Show::All => t.req_filter_all,
        }
    }

    fn draw_detail(&self, f: &mut Frame, area: Rect, ctx: &Ctx, r: &ServiceRequest, timeline: &[RequestEvent]) {
        let t = ctx.t();
        let lang = ctx.lang;
        let w = (area.width as usize).saturating_sub(1).max(1);
        let (due, late) = request_due(lang, r, self.now);
        let mut lines: Vec<Line> = Vec::new();
        let push = |text: String, slot: Slot, lines: &mut Vec<Line>| {
            for part in wrap(&clean(&text), w) {
                lines.push(Line::from(Span::styled(part, ctx.theme.get(slot))));
            }
        };
        push(
            format!(
                "{} · {} · {} · {}",
                r.number,
                r.customer_name,
                lang.pick(request_kind_label(r.kind)),
                lang.pick(request_status_label(r.status))
            ),
            Slot::Title,
            &mut lines,
        );
        let receiver = ctx.reference.staff(r.received_by).map(|s| s.name.clone()).unwrap_or_default();
        push(
            format!(
                "{} · {} · {} {}",
                fill(
                    t.req_received_line,
                    &[&r.received_at.format("%Y-%m-%d %H:%M"), &lang.pick(request_channel_label(r.channel)), &receiver]
                ),
                lang.pick(service_mode_label(r.mode)),
                r.requester,
                r.contact
            ),
            Slot::Base,
            &mut lines,
        );
        let owner = ctx.reference.staff(r.owner_a).map(|s| s.name.clone()).unwrap_or_default();
        push(
            format!(
                "{} · {} · {} · {}",
                fill(t.req_due_at, &[&r.due_at.format("%Y-%m-%d %H:%M")]),
                lang.pick(area_label(r.area)),
                due,
                owner
            ),
            if late { Slot::Alert } else { Slot::Accent },
            &mut lines,
        );
        if r.special {
            push(fill(t.req_special_line, &[&r.special_reason]), Slot::Warning, &mut lines);
        }
        push(r.description.clone(), Slot::Base, &mut lines);
        if !r.result.is_empty() {
            push(fill(t.req_result_line, &[&r.result]), Slot::Ok, &mut lines);
        }
        if !r.cancel_reason.is_empty() {
            push(fill(t.req_cancel_line, &[&r.cancel_reason]), Slot::Muted, &mut lines);
        }
        lines.push(Line::from(Span::styled(t.req_timeline, ctx.theme.get(Slot::Header))));
        for e in timeline {
            let mut text = format!("{} {} {}", e.at, e.by, event_text(lang, e));
            if !e.note.is_empty() {
                text = format!("{text} · {}", e.note);
            }
            for (i, part) in wrap(&clean(&text), w.saturating_sub(3).max(1)).into_iter().enumerate() {
                lines.push(Line::from(format!("{}{part}", if i == 0 { "  " } else { "    " })));
            }
        }
        f.render_widget(Paragraph::new(lines), area);
    }

    fn draw_quiet(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let lang = ctx.lang;
        let rows = &self.quiet;
        let owners: Vec<String> =
            rows.iter().map(|q| ctx.reference.staff(q.owner_a).map(|s| s.name.clone()).unwrap_or_default()).collect();
        let days: Vec<String> =
            rows.iter().map(|q| fill(t.req_days, &[&(ctx.today() - q.last_pickup).num_days()])).collect();
        let tiers = ctx.preset.tiers().iter().map(|x| lang.pick(tier_label(*x)));
        let names = widest(rows.iter().map(|q| q.short_name.as_str()), 24);
        let columns = vec![
            Column::flex(t.col_customer, 8, names.min(16), names),
            Column::fixed(t.col_tier, widest(tiers, 12)),
            Column::fixed(t.req_col_last_pickup, 10),
            Column::fixed(t.req_col_quiet_days, widest(days.iter().map(String::as_str), 12).max(6)),
            Column::fixed(t.col_phone, widest(rows.iter().map(|q| q.phone.as_str()), 16).max(6)).priority(1),
            Column::fixed(t.col_owner, widest(owners.iter().map(String::as_str), 8).max(6)).priority(2),
        ];
        let base = ctx.theme.get(Slot::Warning);
        DataTable::new(&ctx.theme, columns).empty(t.req_quiet_none).render(
            f,
            area,
            rows.len(),
            Some(self.quiet_selected),
            &mut self.quiet_port,
            |i| {
                let q = rows.get(i)?;
                Some(
                    Row::new(vec![
                        Cell::text(&q.short_name),
                        Cell::text(lang.pick(tier_label(q.tier))),
                        Cell::text(&q.last_pickup.format("%Y-%m-%d").to_string()),
                        Cell::text(days.get(i)?),
                        Cell::text(&q.phone),
                        Cell::text(owners.get(i)?),
                    ])
                    .style(base),
                )
            },
        );
    }
}

impl Screen for RequestsScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        match msg {
            Msg::Key(key) => {
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
                match ctx.keymap.lookup(Mode::Requests, key) {
                    Some(cmd) => self.command(ctx, cmd),
                    None => vec![],
                }
            }
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
        &[Mode::Requests]
    }

    fn is_typing(&self) -> bool {
        self.searching
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let path = self.title_path(ctx);
        draw_title(f, title, &ctx.theme, t, &path.iter().map(String::as_str).collect::<Vec<_>>(), t.nav_hint);
        if self.searching || (!self.search.value().is_empty() && self.detail.is_none() && !self.quiet_view) {
            super::draw_search_row(f, head, &ctx.theme, t, &self.search, self.searching);
        } else {
            let hint = if self.detail.is_some() {
                t.req_detail_actions
            } else if self.quiet_view {
                t.req_quiet_actions
            } else {
                t.req_actions
            };
            let head_text = match &self.error {
                Some(e) => Span::styled(clean(e), ctx.theme.get(Slot::Error)),
                None => Span::styled(format!(" {hint}"), ctx.theme.get(Slot::Muted)),
            };
            f.render_widget(Paragraph::new(head_text), head);
        }
        if let Some((r, timeline)) = &self.detail {
            self.draw_detail(f, body, ctx, r, timeline);
            return;
        }
        if self.quiet_view {
            self.draw_quiet(f, body, ctx);
            return;
        }
        let (rows, now) = (&self.rows, self.now);
        request_table(ctx, rows, now, true).render(f, body, rows.len(), Some(self.selected), &mut self.view, |i| {
            rows.get(i).map(|r| request_row(ctx, r, now, true))
        });
    }
}

/// What a timeline line was: the step, and the statuses it moved between.
fn event_text(lang: Lang, e: &RequestEvent) -> String {
    let mut parts = vec![request_event_label(&e.kind).map_or_else(|| e.kind.clone(), |l| lang.pick(l).to_string())];
    match (e.from_status, e.to_status) {
        (Some(from), Some(to)) => {
            parts.push(format!("{} → {}", lang.pick(request_status_label(from)), lang.pick(request_status_label(to))));
        }
        (None, Some(to)) => parts.push(lang.pick(request_status_label(to)).to_string()),
        _ => {}
    }
    parts.join(" · ")
}

/// The list's columns: on 80 columns the number, customer (across
/// customers), kind, status and time left; wider, the area, the requester,
/// when it came in and what it asks.
pub fn request_table<'t>(
    ctx: &'t Ctx,
    rows: &[ServiceRequest],
    now: NaiveDateTime,
    with_customer: bool,
) -> DataTable<'t> {
    let t = ctx.t();
    let lang = ctx.lang;
    let kinds = RequestKind::ALL.map(|k| lang.pick(request_kind_label(k)));
    let statuses = RequestStatus::ALL.map(|s| lang.pick(request_status_label(s)));
    let dues: Vec<String> = rows.iter().map(|r| request_due(lang, r, now).0).collect();
    let due_w = widest(dues.iter().map(String::as_str), 20).max(10);
    let mut columns =
        vec![Column::fixed("", 1), Column::fixed(t.col_number, widest(rows.iter().map(|r| r.number.as_str()), 14))];
    if with_customer {
        let names = widest(rows.iter().map(|r| r.customer_name.as_str()), 24);
        columns.push(Column::flex(t.col_customer, 8, names.min(16), names));
    }
    columns.extend([
        Column::flex(t.req_col_kind, 4, widest(kinds, 12), widest(kinds, 16)),
        Column::flex(t.req_col_status, 6, widest(statuses, 16), widest(statuses, 16)),
        // Never cut ("11d 3h overdue"): the customer's name gives way first.
        Column::flex(t.req_col_due, due_w, due_w, 20),
        Column::fixed(t.req_col_area, widest(crate::domain::request::Area::ALL.map(|a| lang.pick(area_label(a))), 8))
            .priority(2),
        Column::fixed(t.req_col_requester, widest(rows.iter().map(|r| r.requester.as_str()), 10).max(4)).priority(3),
        Column::fixed(t.col_received, 16).priority(4),
        Column::fill(t.f_req_description, 16).priority(5),
    ]);
    DataTable::new(&ctx.theme, columns).empty(t.req_none)
}

/// One request as a row of [`request_table`]: "!" and the alert colour when
/// it is overdue or was done late, "*" on a special case.
pub fn request_row(ctx: &Ctx, r: &ServiceRequest, now: NaiveDateTime, with_customer: bool) -> Row<'static> {
    let lang = ctx.lang;
    let (due, missed) = request_due(lang, r, now);
    let mark = match (missed, r.special) {
        (true, _) => "!",
        (false, true) => "*",
        _ => "",
    };
    let mut cells = vec![Cell::text(mark), Cell::text(&r.number)];
    if with_customer {
        cells.push(Cell::text(&r.customer_name));
    }
    cells.extend([
        Cell::text(lang.pick(request_kind_label(r.kind))),
        Cell::text(lang.pick(request_status_label(r.status))),
        Cell::text(&due),
        Cell::text(lang.pick(area_label(r.area))),
        Cell::text(&r.requester),
        Cell::text(&r.received_at.format("%Y-%m-%d %H:%M").to_string()),
        Cell::text(&r.description),
    ]);
    let slot = if missed {
        Slot::Alert
    } else if r.status.is_open() {
        Slot::Base
    } else {
        Slot::Muted
    };
    Row::new(cells).style(ctx.theme.get(slot))
}
