//! One contract in full: its terms, the approval chain step by step (who
//! decided, when, their opinion; the step waited on and who decides it;
//! earlier rounds that were refused), the copies and where each went, and
//! the marketing log's entries that name it. Its keys draft, submit,
//! approve, refuse, sign, file, record copies and end it.

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::{end_text, status_text, step_name};
use crate::ctx::Ctx;
use crate::db::DbError;
use crate::db::contracts::{self, Contract, Copy, Step};
use crate::db::marketing::LogEntry;
use crate::domain::contract::{ContractStatus, Outcome};
use crate::i18n::{
    contract_field_label, contract_kind_label, copy_kind_label, fill, method_label, outcome_label, role_label,
    step_scope_label, tier_label,
};
use crate::keymap::{Command, Mode};
use crate::msg::{Action, ContractRequest, LogRequest, Msg};
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::screens::draw_title;
use crate::ui::widgets::text::{cells, clean, pad, width, wrap};

pub struct ContractScreen {
    contract: Contract,
    steps: Vec<Step>,
    copies: Vec<Copy>,
    log: Vec<LogEntry>,
    /// Who decides the step waited on: the role and the first unit's name.
    deciders: Option<(crate::domain::staff::Role, String, bool)>,
    scroll: usize,
    /// Lines of the body in the last frame, to page by.
    page: usize,
    /// Days left are counted from this day: when it was read.
    today: NaiveDate,
}

impl ContractScreen {
    pub fn open(ctx: &Ctx, id: i64) -> Result<ContractScreen, DbError> {
        let contract = contracts::load(ctx.store.conn(), id)?;
        let mut s = ContractScreen {
            contract,
            steps: Vec::new(),
            copies: Vec::new(),
            log: Vec::new(),
            deciders: None,
            scroll: 0,
            page: 10,
            today: ctx.today(),
        };
        s.reload(ctx)?;
        Ok(s)
    }

    fn reload(&mut self, ctx: &Ctx) -> Result<(), DbError> {
        let conn = ctx.store.conn();
        self.today = ctx.today();
        self.contract = contracts::load(conn, self.contract.id)?;
        self.steps = contracts::steps(conn, self.contract.id)?;
        self.copies = contracts::copies(conn, self.contract.id)?;
        self.log = contracts::log_entries(conn, self.contract.id)?;
        self.deciders = contracts::approvers_of(conn, &self.contract)?.map(|(_, who)| {
            let unit = who.units.first().and_then(|u| ctx.reference.unit(*u)).map(|u| u.name.clone());
            (who.role, unit.unwrap_or_default(), who.on_behalf)
        });
        Ok(())
    }

    fn form(&self, request: fn(Box<Contract>) -> ContractRequest) -> Vec<Action> {
        vec![Action::OpenContractForm(Box::new(request(Box::new(self.contract.clone()))))]
    }

    fn command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        match cmd {
            Command::Up => self.scroll = self.scroll.saturating_sub(1),
            Command::Down => self.scroll = self.scroll.saturating_add(1),
            Command::PageUp => self.scroll = self.scroll.saturating_sub(self.page.max(1)),
            Command::PageDown => self.scroll = self.scroll.saturating_add(self.page.max(1)),
            Command::Top => self.scroll = 0,
            Command::Bottom => self.scroll = usize::MAX,
            Command::Edit => return self.form(|base| ContractRequest::Edit { base }),
            Command::ApproveStep => return self.form(|base| ContractRequest::Approve { base }),
            Command::RefuseStep => return self.form(|base| ContractRequest::Refuse { base }),
            Command::SignContract => return self.form(|base| ContractRequest::Sign { base }),
            Command::FileContract => return self.form(|base| ContractRequest::File { base }),
            Command::AddCopy => return self.form(|base| ContractRequest::Copy { base }),
            Command::EndContract => return self.form(|base| ContractRequest::End { base }),
            Command::SubmitContract => return self.submit(ctx),
            Command::ContractLog => {
                let request = LogRequest::ForContract { contract: Box::new(self.contract.clone()) };
                return vec![Action::OpenLogForm(Box::new(request))];
            }
            Command::OpenCustomer => return vec![Action::OpenDossier(self.contract.terms.customer_id.clone())],
            Command::Back | Command::Quit => return vec![Action::Back],
            _ => {}
        }
        vec![]
    }

    /// Submits the draft: its tier's chain begins at its first step.
    fn submit(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        let actor = ctx.actor();
        let c = &self.contract;
        match contracts::submit(&mut ctx.store, &actor, c.id, c.version).and_then(|()| self.reload(ctx)) {
            Ok(()) => {
                let first = self.contract.waiting_step.as_deref().map(|n| step_name(ctx.lang, n)).unwrap_or_default();
                vec![Action::Info(fill(ctx.t().contract_submitted, &[&first]))]
            }
            Err(e) => vec![Action::Error(ctx.describe(&e))],
        }
    }

    fn lay_out(&self, ctx: &Ctx, cols: usize) -> Vec<Line<'static>> {
        let t = ctx.t();
        let lang = ctx.lang;
        let c = &self.contract;
        let label = |key: &str| contract_field_label(key).map_or(key.to_string(), |l| lang.pick(l).to_string());
        let dash = |s: &str| if s.trim().is_empty() { "—".to_string() } else { clean(s) };
        let day = |d: Option<NaiveDate>| d.map_or("—".to_string(), |d| d.to_string());
        let unit = |id: i64| ctx.reference.unit(id).map_or_else(|| format!("#{id}"), |u| u.name.clone());
        let lines_names: Vec<String> = c
            .terms
            .service_lines
            .iter()
            .map(|id| {
                ctx.reference
                    .service_line(*id)
                    .map_or_else(|| format!("#{id}"), |l| lang.pick((&l.name_zh, &l.name_en)).to_string())
            })
            .collect();
        let (ends, soon) = end_text(lang, c, self.today);
        let period = match (c.terms.start_on, c.terms.end_on) {
            (None, None) => "—".to_string(),
            (start, end) => {
                format!("{} – {}{}", day(start), day(end), if soon { format!(" ({ends})") } else { String::new() })
            }
        };
        let mut fields: Vec<(String, String)> = vec![
            (t.col_customer.to_string(), clean(&format!("{} ({})", c.customer_name, c.terms.customer_id))),
            (label("kind"), lang.pick(contract_kind_label(c.terms.kind)).to_string()),
            (label("status"), status_text(lang, c)),
            (label("tier"), lang.pick(tier_label(c.terms.tier)).to_string()),
            (label("access_bureau"), unit(c.terms.access_bureau)),
            (label("signing_body"), dash(&c.terms.signing_body)),
            (label("service_lines"), dash(&lines_names.join("、"))),
            (label("value"), c.terms.value.map_or("—".to_string(), |v| v.format_yuan())),
            (format!("{}–{}", label("start_on"), label("end_on")), period),
            (label("price_terms"), dash(&c.terms.price_terms)),
            (label("discount_terms"), dash(&c.terms.discount_terms)),
            (label("term_length"), dash(&c.terms.term_length)),
            (label("renewal"), dash(&c.terms.renewal)),
            (label("payment"), dash(&c.terms.payment)),
            (label("penalties"), dash(&c.terms.penalties)),
        ];
        if let Some(reason) = c.refusal.as_deref().filter(|_| c.status == ContractStatus::Draft) {
            fields.push((label("refusal"), clean(reason)));
        }
        if c.signed_on.is_some() {
            fields.push((label("signed_on"), day(c.signed_on)));
        }
        if c.filed_on.is_some() || c.filing_due() {
            let filed = c.filed_on.map_or_else(|| t.contract_filing_due.to_string(), |d| d.to_string());
            fields.push((label("filed_on"), filed));
        }
        if c.status == ContractStatus::Ended {
            fields.push((label("ended_on"), day(c.ended_on)));
            fields.push((label("end_reason"), dash(c.end_reason.as_deref().unwrap_or(""))));
        }
        let label_w = fields.iter().map(|(l, _)| width(l)).max().unwrap_or(8).min(cols / 3) + 1;
        let value_w = cols.saturating_sub(label_w + 1).max(4);
        let mut lines: Vec<Line<'static>> = Vec::new();
        for (label, value) in fields {
            for (i, part) in wrap(&value, value_w).into_iter().enumerate() {
                let label = if i == 0 { pad(&label, label_w) } else { " ".repeat(label_w) };
                lines.push(Line::from(vec![
                    Span::styled(label, ctx.theme.get(Slot::Header)),
                    Span::raw(" "),
                    Span::styled(part, ctx.theme.get(Slot::Base)),
                ]));
            }
        }
        self.chain_lines(ctx, cols, &mut lines);
        self.copy_lines(ctx, cols, &mut lines);
        self.log_lines(ctx, cols, &mut lines);
        lines
    }

    fn heading(ctx: &Ctx, text: String, lines: &mut Vec<Line<'static>>) {
        lines.push(Line::from(""));
        lines.push(Line::from(Span::styled(text, ctx.theme.get(Slot::Accent))));
    }

    fn indented(ctx: &Ctx, text: &str, cols: usize, slot: Slot, lines: &mut Vec<Line<'static>>) {
        for (i, part) in wrap(&clean(text), cols.saturating_sub(4).max(4)).into_iter().enumerate() {
            let lead = if i == 0 { "  " } else { "    " };
            lines.push(Line::from(Span::styled(format!("{lead}{part}"), ctx.theme.get(slot))));
        }
    }

    /// The chain of the latest round, step by step; the earlier rounds'
    /// refusals above it.
    fn chain_lines(&self, ctx: &Ctx, cols: usize, lines: &mut Vec<Line<'static>>) {
        let t = ctx.t();
        let lang = ctx.lang;
        let c = &self.contract;
        let round = c.round;
        let title = if round == 0 {
            format!("{} · {}", t.contract_chain, t.contract_not_submitted)
        } else {
            format!("{} · {}", t.contract_chain, fill(t.contract_round, &[&round]))
        };
        Self::heading(ctx, title, lines);
        if round > 1 {
            Self::indented(ctx, &fill(t.contract_earlier_rounds, &[&(round - 1)]), cols, Slot::Muted, lines);
            for s in self.steps.iter().filter(|s| s.round < round && s.outcome == Some(Outcome::Refused)) {
                let text = format!(
                    "{} · {}. {} · {} {} {}: {}",
                    fill(t.contract_round, &[&s.round]),
                    s.position,
                    step_name(lang, &s.name),
                    lang.pick(outcome_label(Outcome::Refused)),
                    s.decided_by_name,
                    s.decided_at.map(|at| at.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default(),
                    s.opinion
                );
                Self::indented(ctx, &text, cols, Slot::Muted, lines);
            }
        }
        for s in self.steps.iter().filter(|s| s.round == round) {
            let who = format!("{} · {}", lang.pick(role_label(s.role)), lang.pick(step_scope_label(s.scope)));
            let (mark, rest, slot) = match s.outcome {
                Some(outcome) => {
                    let mut rest = format!(
                        "{} {} {}",
                        lang.pick(outcome_label(outcome)),
                        s.decided_by_name,
                        s.decided_at.map(|at| at.format("%Y-%m-%d %H:%M").to_string()).unwrap_or_default()
                    );
                    if s.on_behalf {
                        rest = format!("{rest} ({})", t.contract_on_behalf);
                    }
                    if !s.opinion.is_empty() {
                        rest = format!("{rest} · {}", s.opinion);
                    }
                    let slot = if outcome == Outcome::Approved { Slot::Ok } else { Slot::Warning };
                    (if outcome == Outcome::Approved { "✓" } else { "✗" }, rest, slot)
                }
                None if c.current_step == Some(s.position) => {
                    let deciders = self
                        .deciders
                        .as_ref()
                        .map(|(role, unit, _)| format!("{unit} {}", lang.pick(role_label(*role))))
                        .unwrap_or_default();
                    ("▶", fill(t.contract_waiting_on, &[&deciders]), Slot::Accent)
                }
                None => ("·", String::new(), Slot::Muted),
            };
            let text = format!("{mark} {}. {} ({who}) {rest}", s.position, step_name(lang, &s.name));
            Self::indented(ctx, text.trim_end(), cols, slot, lines);
        }
        if c.approval().chain_complete() {
            Self::indented(ctx, t.contract_ready_to_sign, cols, Slot::Accent, lines);
        }
    }

    fn copy_lines(&self, ctx: &Ctx, cols: usize, lines: &mut Vec<Line<'static>>) {
        let t = ctx.t();
        Self::heading(ctx, format!("{} ({})", t.contract_copies, self.copies.len()), lines);
        if self.copies.is_empty() {
            Self::indented(ctx, t.today_nothing, cols, Slot::Muted, lines);
        }
        for k in &self.copies {
            let mut text = format!(
                "{} {}×{} → {} · {}",
                k.sent_on,
                k.copies,
                ctx.lang.pick(copy_kind_label(k.kind)),
                k.sent_to,
                k.recorded_by
            );
            if !k.note.is_empty() {
                text = format!("{text} · {}", k.note);
            }
            Self::indented(ctx, &text, cols, Slot::Base, lines);
        }
    }

    fn log_lines(&self, ctx: &Ctx, cols: usize, lines: &mut Vec<Line<'static>>) {
        let t = ctx.t();
        Self::heading(ctx, format!("{} ({})", t.contract_log, self.log.len()), lines);
        if self.log.is_empty() {
            Self::indented(ctx, t.today_nothing, cols, Slot::Muted, lines);
        }
        for e in &self.log {
            let text = format!("{} {} · {}", e.logged_on, ctx.lang.pick(method_label(e.method)), e.content);
            Self::indented(ctx, &text, cols, Slot::Base, lines);
        }
    }
}

impl Screen for ContractScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        match msg {
            Msg::Key(key) => match ctx.keymap.lookup(Mode::Contract, key) {
                Some(cmd) => self.command(ctx, cmd),
                None => vec![],
            },
            Msg::DayChanged { .. } => {
                let _ = self.reload(ctx);
                vec![]
            }
            _ => vec![],
        }
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        // A form may have moved it on; a failed read keeps what is shown.
        let _ = self.reload(ctx);
    }

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::Contract]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, body, hint] =
            Layout::vertical([Constraint::Length(1), Constraint::Min(1), Constraint::Length(1)]).areas(area);
        let c = &self.contract;
        let number = clean(&c.terms.number);
        draw_title(f, title, &ctx.theme, t, &[t.screen_contracts, &number, &clean(&c.customer_name)], "");
        let body = Rect { x: body.x + 1, width: body.width.saturating_sub(2), ..body };
        let lines = self.lay_out(ctx, body.width as usize);
        let h = body.height as usize;
        self.page = h.saturating_sub(1);
        self.scroll = self.scroll.min(lines.len().saturating_sub(h));
        f.render_widget(Paragraph::new(lines).scroll((cells(self.scroll), 0)), body);
        f.render_widget(Paragraph::new(Span::styled(t.contract_hint, ctx.theme.get(Slot::Muted))), hint);
    }
}
