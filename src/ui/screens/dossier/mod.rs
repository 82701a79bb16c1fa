//! The customer dossier: a header with identity, tier and freshness, then tabs
//! for the four groups of SPEC §3, the branches and the change history.

mod header;
mod period_form;
mod plans;
mod revenue;
pub mod tabs;

use chrono::NaiveDateTime;
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::ctx::Ctx;
use crate::db::customers::{self, CustomerRow, Dossier};
use crate::db::history::{self, HistoryRow};
use crate::db::records::{self, Record, RecordKind};
use crate::db::{Actor, DbError};
use crate::domain::id::CustomerId;
use crate::domain::visit::VisitState;
use crate::domain::visit_standard::{DoneVisit, Period, compliance, period_bounds};
use crate::i18n::fill;
use crate::keymap::Command;
use crate::keymap::Mode;
use crate::msg::VisitRequest;
use crate::msg::{Action, Msg};
use crate::msg::{FormRequest, Section};
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::widgets::table::Viewport;
use crate::ui::widgets::text::clean;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Basic,
    Extended,
    Revenue,
    Persons,
    Competitors,
    Visits,
    Log,
    Complaints,
    /// Service requests (SPEC §9).
    Requests,
    Contracts,
    /// Marketing plans (SPEC §13.2) and the unit's service plan (§13.3).
    Plans,
    Branches,
    History,
}

impl Tab {
    const ALL: [Tab; 13] = [
        Tab::Basic,
        Tab::Extended,
        Tab::Revenue,
        Tab::Persons,
        Tab::Competitors,
        Tab::Visits,
        Tab::Log,
        Tab::Complaints,
        Tab::Requests,
        Tab::Contracts,
        Tab::Plans,
        Tab::Branches,
        Tab::History,
    ];

    fn label(self, ctx: &Ctx) -> &'static str {
        let t = ctx.t();
        match self {
            Tab::Basic => t.tab_basic,
            Tab::Extended => t.tab_extended,
            Tab::Revenue => t.revenue_tab_title,
            Tab::Persons => t.tab_persons,
            Tab::Competitors => t.tab_competitors,
            Tab::Visits => t.tab_visits,
            Tab::Log => t.screen_log,
            Tab::Complaints => t.screen_complaints,
            Tab::Requests => t.screen_requests,
            Tab::Contracts => t.tab_contracts,
            Tab::Plans => t.tab_plans,
            Tab::Branches => t.tab_branches,
            Tab::History => t.tab_history,
        }
    }

    fn record_kind(self) -> Option<RecordKind> {
        match self {
            Tab::Persons => Some(RecordKind::KeyPerson),
            Tab::Competitors => Some(RecordKind::Competitor),
            _ => None,
        }
    }
}

/// What `y` confirms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    ArchiveCustomer,
    ArchiveRecord(RecordKind, i64),
}

/// Visits listed in the dossier (the latest first).
const VISITS_SHOWN: u64 = 200;

/// History rows fetched per page.
const HISTORY_PAGE: u64 = 200;

pub struct DossierScreen {
    dossier: Dossier,
    tab: Tab,
    /// Scroll of the field tabs, selection of the list tabs.
    cursor: usize,
    /// The view of the list tabs' table.
    view: Viewport,
    /// Visits and complaints are due, done or late as of this instant: when the
    /// dossier was read, then at each key (drawing reads no clock).
    now: NaiveDateTime,
    persons: Vec<Record>,
    competitors: Vec<Record>,
    family: Vec<CustomerRow>,
    history: Vec<HistoryRow>,
    history_total: u64,
    visits: Vec<crate::db::visits::Visit>,
    complaints: Vec<crate::db::complaints::Complaint>,
    requests: Vec<crate::db::requests::ServiceRequest>,
    log: Vec<crate::db::marketing::LogEntry>,
    /// The customer's contracts, the newest first (SPEC §12).
    contracts: Vec<crate::db::contracts::Contract>,
    standing: Vec<crate::domain::visit_standard::Compliance>,
    revenue: revenue::RevenueTab,
    /// The revenue tab's form for a period total (未分月), while open.
    period_form: Option<period_form::PeriodForm>,
    /// The plans tab: the customer's plans, its forms, the unit's service plan.
    plans: plans::PlansTab,
    show_archived: bool,
    pending: Option<Pending>,
}

impl DossierScreen {
    pub fn open(ctx: &mut Ctx, id: &CustomerId) -> Result<DossierScreen, DbError> {
        let dossier = customers::load(ctx.store.conn(), id)?;
        let mut screen = DossierScreen {
            dossier,
            tab: Tab::Basic,
            cursor: 0,
            view: Viewport::default(),
            now: ctx.clock.now(),
            persons: Vec::new(),
            competitors: Vec::new(),
            family: Vec::new(),
            history: Vec::new(),
            history_total: 0,
            visits: Vec::new(),
            complaints: Vec::new(),
            requests: Vec::new(),
            log: Vec::new(),
            contracts: Vec::new(),
            standing: Vec::new(),
            revenue: revenue::RevenueTab::default(),
            period_form: None,
            plans: plans::PlansTab::default(),
            show_archived: false,
            pending: None,
        };
        screen.reload(ctx)?;
        Ok(screen)
    }

    /// The dossier opened on its marketing plans tab.
    pub fn on_plans(mut self) -> DossierScreen {
        self.tab = Tab::Plans;
        self.cursor = 0;
        self
    }

    fn reload(&mut self, ctx: &Ctx) -> Result<(), DbError> {
        self.now = ctx.clock.now();
        let conn = ctx.store.conn();
        self.dossier = customers::load(conn, &self.dossier.id)?;
        self.persons = records::list(conn, RecordKind::KeyPerson, &self.dossier.id, self.show_archived)?;
        self.competitors = records::list(conn, RecordKind::Competitor, &self.dossier.id, self.show_archived)?;
        self.family = customers::family(conn, &self.dossier.id)?;
        self.history_total = history::count_for_customer(conn, &self.dossier.id)?;
        self.history = history::for_customer(conn, &self.dossier.id, 0, HISTORY_PAGE)?;
        self.visits = crate::db::visits::for_customer(conn, &self.dossier.id, VISITS_SHOWN)?;
        let mine =
            crate::db::complaints::ComplaintFilter { customer: Some(self.dossier.id.clone()), ..Default::default() };
        self.complaints = crate::db::complaints::list(conn, &mine, self.now, VISITS_SHOWN)?;
        let asked =
            crate::db::requests::RequestFilter { customer: Some(self.dossier.id.clone()), ..Default::default() };
        self.requests = crate::db::requests::list(conn, &asked, self.now, VISITS_SHOWN)?;
        let own_log = crate::db::marketing::LogFilter { customer: Some(self.dossier.id.clone()), ..Default::default() };
        self.log = crate::db::marketing::list(conn, &own_log, VISITS_SHOWN)?;
        self.contracts = crate::db::contracts::for_customer(conn, &self.dossier.id)?;
        let today = ctx.today();
        let (year_start, _) = period_bounds(Period::Year, today);
        let done: Vec<DoneVisit> = crate::db::visits::done_with_roles(conn, &self.dossier.id, year_start, today)?
            .into_iter()
            .map(|(kind, date, roles)| DoneVisit { kind, date, roles })
            .collect();
        self.standing = compliance(ctx.standard, self.dossier.tier, today, &done);
        let ledger = crate::db::revenue::customer_ledger(conn, &self.dossier.id, today, revenue::MONTHS)?;
        self.revenue.set_ledger(ledger, &ctx.reference.service_lines);
        self.revenue.set_volume(conn, &self.dossier.id)?;
        self.plans.load(ctx, &self.dossier)?;
        self.cursor = self.cursor.min(self.list_len().saturating_sub(1));
        Ok(())
    }

    fn records(&self, kind: RecordKind) -> &[Record] {
        match kind {
            RecordKind::KeyPerson => &self.persons,
            RecordKind::Competitor => &self.competitors,
        }
    }

    fn list_len(&self) -> usize {
        match self.tab {
            Tab::Persons => self.persons.len(),
            Tab::Competitors => self.competitors.len(),
            Tab::Branches => self.family.len(),
            Tab::History => self.history.len(),
            Tab::Visits => self.visits.len(),
            Tab::Complaints => self.complaints.len(),
            Tab::Requests => self.requests.len(),
            Tab::Log => self.log.len(),
            Tab::Contracts => self.contracts.len(),
            Tab::Basic | Tab::Extended => usize::MAX,
            // The plans tab keeps its own cursor.
            Tab::Plans => 0,
            // The revenue grid keeps its own cursor.
            Tab::Revenue => 0,
        }
    }

    fn selected_record(&self) -> Option<(RecordKind, &Record)> {
        let kind = self.tab.record_kind()?;
        self.records(kind).get(self.cursor).map(|r| (kind, r))
    }

    fn switch(&mut self, forward: bool) {
        let i = Tab::ALL.iter().position(|t| *t == self.tab).unwrap_or(0);
        let n = Tab::ALL.len();
        self.tab = Tab::ALL[if forward { (i + 1) % n } else { (i + n - 1) % n }];
        self.cursor = 0;
        self.view = Viewport::default();
    }

    fn form(request: FormRequest) -> Vec<Action> {
        vec![Action::OpenForm(Box::new(request))]
    }

    fn command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        let id = self.dossier.id.clone();
        match cmd {
            Command::Back | Command::Quit => return vec![Action::Back],
            Command::NextTab => self.switch(true),
            Command::PrevTab => self.switch(false),
            Command::Up => self.cursor = self.cursor.saturating_sub(1),
            Command::Down => self.cursor = (self.cursor + 1).min(self.list_len().saturating_sub(1)),
            Command::Edit | Command::Open => return self.edit_or_open(cmd),
            Command::Record => {
                if let Some(v) = self.visits.get(self.cursor).filter(|v| v.state == VisitState::Planned) {
                    return vec![Action::OpenVisitForm(Box::new(VisitRequest::Record { base: Box::new(v.clone()) }))];
                }
            }
            Command::WriteLog => {
                if let Some(v) = self.visits.get(self.cursor).filter(|v| v.state == VisitState::Done) {
                    let request = crate::msg::LogRequest::FromVisit { visit: Box::new(v.clone()) };
                    return vec![Action::OpenLogForm(Box::new(request))];
                }
            }
            Command::New if self.tab == Tab::Log => {
                let request = crate::msg::LogRequest::New { customer: Some(id) };
                return vec![Action::OpenLogForm(Box::new(request))];
            }
            Command::New if self.tab == Tab::Requests => {
                let request = crate::msg::ServiceForm::Receive { customer: Some(id) };
                return vec![Action::OpenServiceForm(Box::new(request))];
            }
            Command::New if self.tab == Tab::Contracts => {
                let request = crate::msg::ContractRequest::New { customer: Some(id) };
                return vec![Action::OpenContractForm(Box::new(request))];
            }
            Command::OpenContracts => return vec![Action::OpenContracts],
            Command::New if self.tab == Tab::Visits => {
                return vec![Action::OpenVisitForm(Box::new(VisitRequest::Plan {
                    customer: Some(id),
                    date: ctx.today(),
                    follows: None,
                }))];
            }
            Command::New => match self.tab {
                Tab::Persons | Tab::Competitors => {
                    let kind = self.tab.record_kind().unwrap_or(RecordKind::KeyPerson);
                    return Self::form(FormRequest::NewRecord { kind, customer: id });
                }
                Tab::Branches => return Self::form(FormRequest::NewCustomer { headquarters: Some(id.headquarters()) }),
                _ => {}
            },
            Command::Archive | Command::Restore if self.refusal(ctx).is_some() => {
                return self.refusal(ctx).into_iter().map(Action::Error).collect();
            }
            Command::Archive => return self.ask_archive(ctx),
            Command::Restore => return self.restore(ctx),
            Command::ShowArchived => {
                self.show_archived = !self.show_archived;
                let _ = self.reload(ctx);
            }
            // Asked before the form opens, so no one types a reason for a decision
            // that is not theirs; the save asks again.
            Command::Approve | Command::Reject if self.dossier.registration == "pending" => {
                if let Err(e) = crate::db::access::may_decide_for_customer(ctx.store.conn(), &ctx.actor(), &id) {
                    return vec![Action::Error(ctx.describe(&e))];
                }
                return Self::form(FormRequest::DecideRegistration { id, approve: cmd == Command::Approve });
            }
            Command::OverrideTier => {
                if let Err(e) = crate::db::access::may_decide_for_customer(ctx.store.conn(), &ctx.actor(), &id) {
                    return vec![Action::Error(ctx.describe(&e))];
                }
                return Self::form(FormRequest::OverrideTier {
                    id,
                    current: self.dossier.tier_override,
                    reason: self.dossier.tier_override_reason.clone().unwrap_or_default(),
                });
            }
            _ => {}
        }
        vec![]
    }

    /// `e` edits the basic or extended fields, or the selected person or
    /// competitor; Enter opens the selected log entry or branch.
    fn edit_or_open(&self, cmd: Command) -> Vec<Action> {
        match self.tab {
            Tab::Basic | Tab::Extended if cmd == Command::Edit => {
                let section = if self.tab == Tab::Basic { Section::Basic } else { Section::Extended };
                return Self::form(FormRequest::EditCustomer { base: Box::new(self.dossier.clone()), section });
            }
            Tab::Persons | Tab::Competitors => {
                if let Some((kind, r)) = self.selected_record() {
                    return Self::form(FormRequest::EditRecord { kind, base: Box::new(r.clone()) });
                }
            }
            Tab::Log if cmd == Command::Open => {
                if let Some(entry) = self.log.get(self.cursor) {
                    return vec![Action::OpenLogEntry(entry.id)];
                }
            }
            Tab::Requests if cmd == Command::Open => {
                if let Some(r) = self.requests.get(self.cursor) {
                    return vec![Action::OpenRequest(r.id)];
                }
            }
            Tab::Contracts if cmd == Command::Open => {
                if let Some(c) = self.contracts.get(self.cursor) {
                    return vec![Action::OpenContract(c.id)];
                }
            }
            Tab::Branches if cmd == Command::Open => {
                if let Some(other) = self.family.get(self.cursor).filter(|r| r.id != self.dossier.id) {
                    return vec![Action::OpenDossier(other.id.clone())];
                }
            }
            _ => {}
        }
        vec![]
    }

    /// Asks to archive the selected record, or the customer on its basic and
    /// extended tabs; `y` confirms.
    fn ask_archive(&mut self, ctx: &Ctx) -> Vec<Action> {
        self.pending = match self.selected_record() {
            Some((kind, r)) if !r.archived => Some(Pending::ArchiveRecord(kind, r.id)),
            Some(_) => None,
            None if matches!(self.tab, Tab::Basic | Tab::Extended) && !self.dossier.archived => {
                Some(Pending::ArchiveCustomer)
            }
            None => None,
        };
        if self.pending.is_none() {
            return vec![];
        }
        let what = match self.selected_record() {
            Some((_, r)) if self.tab.record_kind().is_some() => r.value("name").edit_text(),
            _ => self.dossier.text("short_name").to_string(),
        };
        vec![Action::Info(fill(ctx.t().confirm_archive, &[&clean(&what)]))]
    }

    /// Restores the selected archived record, or the archived customer.
    fn restore(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        let actor = ctx.actor();
        let id = self.dossier.id.clone();
        let result = match self.selected_record() {
            Some((kind, r)) if r.archived => records::set_archived(&mut ctx.store, &actor, kind, r.id, false),
            None if self.dossier.archived => customers::set_archived(&mut ctx.store, &actor, &id, false),
            _ => return vec![],
        };
        self.after_write(ctx, result, ctx.t().restored_done)
    }

    /// Why the user may not change this customer's records, if they may not
    /// (asked before archiving asks "are you sure?", not after).
    fn refusal(&self, ctx: &Ctx) -> Option<String> {
        let work = crate::db::access::Work::Edit;
        crate::db::access::may_work_on(ctx.store.conn(), &ctx.actor(), &self.dossier.id, work)
            .err()
            .map(|e| ctx.describe(&e))
    }

    fn confirm(&mut self, ctx: &mut Ctx, pending: Pending) -> Vec<Action> {
        let actor: Actor = ctx.actor();
        let result = match pending {
            Pending::ArchiveCustomer => customers::set_archived(&mut ctx.store, &actor, &self.dossier.id, true),
            Pending::ArchiveRecord(kind, rid) => records::set_archived(&mut ctx.store, &actor, kind, rid, true),
        };
        self.after_write(ctx, result, ctx.t().archived_done)
    }

    /// A cell written on the revenue tab: reload (the status may have moved) and say so.
    fn revenue_outcome(&mut self, ctx: &Ctx, outcome: revenue::Outcome) -> Vec<Action> {
        match outcome {
            revenue::Outcome::Actions(actions) => actions,
            revenue::Outcome::Saved(cell) => {
                let before = self.dossier.status.clone();
                match self.reload(ctx) {
                    Ok(()) => vec![Action::Info(revenue::RevenueTab::saved_message(
                        ctx,
                        &cell,
                        &before,
                        &self.dossier.status,
                    ))],
                    Err(e) => vec![Action::Error(ctx.describe(&e))],
                }
            }
        }
    }

    /// A key or paste while the period-total form is open: a save reloads the
    /// dossier and closes the form; a failure keeps it with the reason.
    fn period_form_msg(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        let Some(form) = self.period_form.as_mut() else { return vec![] };
        let outcome = match msg {
            Msg::Key(key) => form.key(ctx, key),
            Msg::Paste(text) => {
                form.paste(text);
                period_form::Outcome::Open
            }
            _ => period_form::Outcome::Open,
        };
        match outcome {
            period_form::Outcome::Open => vec![],
            period_form::Outcome::Closed => {
                self.period_form = None;
                vec![]
            }
            period_form::Outcome::Saved(saved) => {
                self.period_form = None;
                match self.reload(ctx) {
                    Ok(()) => vec![Action::Info(period_form::PeriodForm::saved_message(ctx, &saved))],
                    Err(e) => vec![Action::Error(ctx.describe(&e))],
                }
            }
        }
    }

    fn after_write(&mut self, ctx: &Ctx, result: Result<(), DbError>, done: &str) -> Vec<Action> {
        match result.and_then(|_| self.reload(ctx)) {
            Ok(()) => vec![Action::Info(done.to_string())],
            Err(e) => vec![Action::Error(ctx.describe(&e))],
        }
    }
}

impl DossierScreen {
    /// The tab names; on a narrow terminal, a window of them that keeps the
    /// current tab in view, with ‹ › where more are hidden.
    fn tab_bar(&self, ctx: &Ctx, width: usize) -> Line<'static> {
        let labels: Vec<String> = Tab::ALL.iter().map(|t| format!(" {} ", t.label(ctx))).collect();
        let w = |i: usize| crate::ui::widgets::text::width(&labels[i]) + 1;
        let current = Tab::ALL.iter().position(|t| *t == self.tab).unwrap_or(0);
        let (mut first, mut last) = (current, current);
        let mut used = w(current) + 2;
        loop {
            let grew_right = last + 1 < labels.len() && used + w(last + 1) <= width;
            if grew_right {
                last += 1;
                used += w(last);
            }
            let grew_left = first > 0 && used + w(first - 1) <= width;
            if grew_left {
                first -= 1;
                used += w(first);
            }
            if !grew_left && !grew_right {
                break;
            }
        }
        let mut spans = Vec::new();
        if first > 0 {
            spans.push(Span::styled("‹", ctx.theme.get(Slot::Muted)));
        }
        for (i, t) in Tab::ALL.iter().enumerate().take(last + 1).skip(first) {
            let style = if *t == self.tab { ctx.theme.get(Slot::TabActive) } else { ctx.theme.get(Slot::Tab) };
            spans.push(Span::styled(labels[i].clone(), style));
            spans.push(Span::styled("│", ctx.theme.get(Slot::Border)));
        }
        if last + 1 < labels.len() {
            spans.push(Span::styled("›", ctx.theme.get(Slot::Muted)));
        }
        Line::from(spans)
    }
}

impl Screen for DossierScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        self.now = ctx.clock.now();
        if self.period_form.is_some() {
            return self.period_form_msg(ctx, msg);
        }
        if self.tab == Tab::Revenue && self.revenue.is_editing() {
            return match msg {
                Msg::Key(key) => {
                    let outcome = self.revenue.edit_key(ctx, &self.dossier, key);
                    self.revenue_outcome(ctx, outcome)
                }
                Msg::Paste(text) => {
                    self.revenue.paste(text);
                    vec![]
                }
                _ => vec![],
            };
        }
        if let Msg::Paste(text) = msg
            && self.tab == Tab::Plans
            && self.plans.is_typing()
        {
            self.plans.paste(text);
            return vec![];
        }
        let Msg::Key(key) = msg else { return vec![] };
        if self.tab == Tab::Plans && self.pending.is_none() {
            match self.plans.key(ctx, &self.dossier, key) {
                plans::Outcome::Done(actions) => return actions,
                plans::Outcome::Saved(message) => {
                    return match self.reload(ctx) {
                        Ok(()) => vec![Action::Info(message)],
                        Err(e) => vec![Action::Error(ctx.describe(&e))],
                    };
                }
                plans::Outcome::Pass => {}
            }
        }
        if let Some(p) = self.pending.take() {
            return if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                self.confirm(ctx, p)
            } else {
                vec![]
            };
        }
        if self.tab == Tab::Revenue {
            // The grid's own keys first; the rest mean what they mean on every tab.
            let cmd = ctx.keymap.lookup(revenue::MODE, key).or_else(|| ctx.keymap.lookup(Mode::Dossier, key));
            let Some(cmd) = cmd else { return vec![] };
            if cmd == Command::PeriodTotal {
                return match period_form::PeriodForm::open(ctx, &self.dossier.id) {
                    Ok(form) => {
                        self.period_form = Some(form);
                        vec![]
                    }
                    Err(e) => vec![Action::Error(ctx.describe(&e))],
                };
            }
            return match self.revenue.command(ctx, &self.dossier, cmd) {
                Some(outcome) => self.revenue_outcome(ctx, outcome),
                None => self.command(ctx, cmd),
            };
        }
        match ctx.keymap.lookup(Mode::Dossier, key) {
            Some(cmd) => self.command(ctx, cmd),
            None => vec![],
        }
    }

    fn is_typing(&self) -> bool {
        self.period_form.is_some()
            || (self.tab == Tab::Revenue && self.revenue.is_editing())
            || (self.tab == Tab::Plans && self.plans.is_typing())
    }

    fn unsaved(&self) -> bool {
        self.period_form.as_ref().is_some_and(|f| f.has_typing())
            || (self.tab == Tab::Revenue && self.revenue.has_typing())
            || (self.tab == Tab::Plans && self.plans.has_typing())
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        if let Err(e) = self.reload(ctx) {
            // The record vanished or the file failed: show it where the user is.
            self.history.clear();
            let _ = e;
        }
    }

    fn key_modes(&self) -> &'static [Mode] {
        if self.period_form.is_some() {
            return &[Mode::Form];
        }
        match self.tab {
            Tab::Revenue => &[revenue::MODE, Mode::Dossier],
            Tab::Plans => self.plans.key_modes(),
            _ => &[Mode::Dossier],
        }
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let head_h = header::height(ctx, &self.dossier, area.width, self.now.date());
        let [head, tab_row, body] =
            Layout::vertical([Constraint::Length(head_h), Constraint::Length(1), Constraint::Min(0)]).areas(area);
        header::draw(f, head, ctx, &self.dossier, self.now.date());
        f.render_widget(Paragraph::new(self.tab_bar(ctx, tab_row.width as usize)), tab_row);
        match self.tab {
            Tab::Basic => tabs::draw_fields(
                f,
                body,
                ctx,
                &self.dossier,
                crate::domain::dossier::BASIC_FIELDS,
                &mut self.cursor,
                true,
            ),
            Tab::Extended => tabs::draw_fields(
                f,
                body,
                ctx,
                &self.dossier,
                crate::domain::dossier::EXTENDED_FIELDS,
                &mut self.cursor,
                false,
            ),
            Tab::Revenue => self.revenue.draw(f, body, ctx, &self.dossier),
            Tab::Persons => {
                tabs::draw_records(f, body, ctx, RecordKind::KeyPerson, &self.persons, self.cursor, &mut self.view)
            }
            Tab::Competitors => {
                tabs::draw_records(f, body, ctx, RecordKind::Competitor, &self.competitors, self.cursor, &mut self.view)
            }
            Tab::Visits => {
                tabs::draw_visits(f, body, ctx, &self.standing, &self.visits, (self.cursor, self.now), &mut self.view)
            }
            Tab::Complaints => {
                tabs::draw_complaints(f, body, ctx, &self.complaints, (self.cursor, self.now), &mut self.view)
            }
            Tab::Requests => tabs::draw_requests(f, body, ctx, &self.requests, (self.cursor, self.now), &mut self.view),
            Tab::Log => tabs::draw_log(f, body, ctx, self.dossier.tier, &self.log, self.cursor, &mut self.view),
            Tab::Contracts => {
                let (rows, today) = (&self.contracts, self.now.date());
                crate::ui::screens::contracts::contract_table(ctx, rows, today, false).render(
                    f,
                    body,
                    rows.len(),
                    Some(self.cursor),
                    &mut self.view,
                    |i| rows.get(i).map(|c| crate::ui::screens::contracts::contract_row(ctx, c, today, false)),
                );
            }
            Tab::Plans => self.plans.draw(f, body, ctx),
            Tab::Branches => {
                tabs::draw_family(f, body, ctx, &self.family, &self.dossier.id, self.cursor, &mut self.view)
            }
            Tab::History => {
                tabs::draw_history(f, body, ctx, &self.history, self.history_total, self.cursor, &mut self.view)
            }
        }
        if let Some(form) = self.period_form.as_mut() {
            form.draw(f, body, ctx);
        }
    }
}
