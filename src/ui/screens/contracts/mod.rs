//! Contracts and agreements (SPEC §12): the list (waiting for my approval,
//! ending soon, all), one contract with its terms, approval chain, copies and
//! log entries ([`detail`]), and the forms that draft, edit and move it on
//! ([`form`]). Reached from Today (`c`) and the dossier (`C`, and its
//! contracts tab).

mod detail;
mod form;

pub use detail::ContractScreen;
pub use form::ContractFormScreen;

use chrono::NaiveDate;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::draw_title;
use crate::ctx::Ctx;
use crate::db::contracts::{self, Contract, ContractFilter, ENDING_SOON_DAYS};
use crate::domain::contract::{ContractStatus, days_left};
use crate::domain::staff::Role;
use crate::i18n::{Lang, contract_status_label, fill, tier_label};
use crate::keymap::{Command, Mode};
use crate::msg::{Action, ContractRequest, Msg};
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::widgets::input::TextInput;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, Viewport, widest};

/// Which contracts the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Show {
    /// Waiting on a step the user decides.
    Waiting,
    /// In force and ending within 60 days (or past their end).
    Ending,
    /// All, ended ones too.
    All,
}

/// Whose customers' contracts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Whose {
    Mine,
    Unit,
    Everyone,
}

/// Rows a list reads at most.
const SHOWN: u64 = 500;

pub struct ContractsScreen {
    show: Show,
    whose: Whose,
    search: TextInput,
    searching: bool,
    rows: Vec<Contract>,
    selected: usize,
    view: Viewport,
    /// Days left are counted from this day: when the list was read.
    today: NaiveDate,
    error: Option<String>,
}

impl ContractsScreen {
    /// Opens on what needs the user first: the contracts waiting for their
    /// approval, else those ending soon, else all.
    pub fn new(ctx: &Ctx) -> ContractsScreen {
        let whose = if ctx.user.role == Role::Manager { Whose::Mine } else { Whose::Unit };
        let mut s = ContractsScreen {
            show: Show::Waiting,
            whose,
            search: TextInput::default(),
            searching: false,
            rows: Vec::new(),
            selected: 0,
            view: Viewport::default(),
            today: ctx.today(),
            error: None,
        };
        for show in [Show::Waiting, Show::Ending, Show::All] {
            s.show = show;
            s.reload(ctx);
            if !s.rows.is_empty() {
                break;
            }
        }
        s
    }

    fn scope(&self, ctx: &Ctx) -> (Option<i64>, Option<i64>) {
        match self.whose {
            Whose::Mine => (Some(ctx.user.id), None),
            Whose::Unit => (None, Some(ctx.user.unit_id)),
            Whose::Everyone => (None, None),
        }
    }

    fn reload(&mut self, ctx: &Ctx) {
        self.today = ctx.today();
        let conn = ctx.store.conn();
        let (owner, unit) = self.scope(ctx);
        let text = self.search.value().trim().to_string();
        let read = match self.show {
            Show::Waiting => contracts::waiting_for(conn, &ctx.user, SHOWN),
            Show::Ending => contracts::ending_within(conn, owner, unit, self.today, ENDING_SOON_DAYS, SHOWN),
            Show::All => {
                let filter = ContractFilter { owner, unit, with_ended: true, text: text.clone(), ..Default::default() };
                contracts::list(conn, &filter, SHOWN)
            }
        };
        match read {
            Ok(mut rows) => {
                if !text.is_empty() {
                    rows.retain(|c| c.terms.number.contains(&text) || c.customer_name.contains(&text));
                }
                self.rows = rows;
                self.error = None;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        self.selected = self.selected.min(self.rows.len().saturating_sub(1));
    }

    fn show_label(&self, ctx: &Ctx) -> String {
        let t = ctx.t();
        match self.show {
            Show::Waiting => t.contracts_filter_waiting.to_string(),
            Show::Ending => fill(t.contracts_filter_ending, &[&ENDING_SOON_DAYS]),
            Show::All => t.contracts_filter_all.to_string(),
        }
    }
}

impl Screen for ContractsScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        let Msg::Key(key) = msg else {
            if let Msg::DayChanged { .. } = msg {
                self.reload(ctx);
            }
            return vec![];
        };
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
        match ctx.keymap.lookup(Mode::Contracts, key) {
            Some(Command::Up) => self.selected = self.selected.saturating_sub(1),
            Some(Command::Down) => self.selected = (self.selected + 1).min(last),
            Some(Command::PageUp) => self.selected = self.selected.saturating_sub(self.view.page()),
            Some(Command::PageDown) => self.selected = (self.selected + self.view.page()).min(last),
            Some(Command::Top) => self.selected = 0,
            Some(Command::Bottom) => self.selected = last,
            Some(Command::Open) => {
                if let Some(c) = self.rows.get(self.selected) {
                    return vec![Action::OpenContract(c.id)];
                }
            }
            Some(Command::OpenCustomer) => {
                if let Some(c) = self.rows.get(self.selected) {
                    return vec![Action::OpenDossier(c.terms.customer_id.clone())];
                }
            }
            Some(Command::FilterStatus) => {
                self.show = match self.show {
                    Show::Waiting => Show::Ending,
                    Show::Ending => Show::All,
                    Show::All => Show::Waiting,
                };
                self.selected = 0;
                self.reload(ctx);
            }
            Some(Command::CycleScope) => {
                self.whose = match self.whose {
                    Whose::Mine => Whose::Unit,
                    Whose::Unit => Whose::Everyone,
                    Whose::Everyone => Whose::Mine,
                };
                self.selected = 0;
                self.reload(ctx);
            }
            Some(Command::New) => {
                let customer = self.rows.get(self.selected).map(|c| c.terms.customer_id.clone());
                return vec![Action::OpenContractForm(Box::new(ContractRequest::New { customer }))];
            }
            Some(Command::Search) => self.searching = true,
            Some(Command::Back) => return vec![Action::Back],
            Some(Command::Quit) => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::Contracts]
    }

    fn is_typing(&self) -> bool {
        self.searching
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, head, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let show = self.show_label(ctx);
        let whose = match self.whose {
            Whose::Mine => t.contract_scope_mine,
            Whose::Unit => t.contract_scope_unit,
            Whose::Everyone => t.contract_scope_all,
        };
        let mut path = vec![t.screen_contracts, show.as_str()];
        // Waiting for me is the user's own, whatever the scope.
        if self.show != Show::Waiting {
            path.push(whose);
        }
        draw_title(f, title, &ctx.theme, t, &path, &format!("{}", self.rows.len()));
        if self.searching || !self.search.value().is_empty() {
            super::draw_search_row(f, head, &ctx.theme, t, &self.search, self.searching);
        } else {
            let text = match &self.error {
                Some(e) => Span::styled(e.clone(), ctx.theme.get(Slot::Error)),
                None => Span::styled(format!(" {}", t.contracts_hint), ctx.theme.get(Slot::Muted)),
            };
            f.render_widget(Paragraph::new(text), head);
        }
        let (rows, today) = (&self.rows, self.today);
        contract_table(ctx, rows, today, true).render(f, body, rows.len(), Some(self.selected), &mut self.view, |i| {
            rows.get(i).map(|c| contract_row(ctx, c, today, true))
        });
    }
}

/// Where a contract stands, in a few words: its status, the step it waits
/// on ("审批中 2/5"), the signatures awaited, the filing due.
pub fn status_text(lang: Lang, c: &Contract) -> String {
    let t = lang.text();
    let label = lang.pick(contract_status_label(c.status));
    match c.status {
        ContractStatus::InApproval => match c.current_step {
            Some(step) => format!("{label} {}", fill(t.contract_step_of, &[&step, &c.steps])),
            None => t.contract_ready_to_sign.to_string(),
        },
        ContractStatus::Signed if c.filing_due() => format!("{label} · {}", t.contract_filing_due),
        ContractStatus::Draft if c.refusal.is_some() => {
            format!("{label} · {}", lang.pick(crate::i18n::outcome_label(crate::domain::contract::Outcome::Refused)))
        }
        _ => label.to_string(),
    }
}

/// When a contract ends, as the lists say it: days left (or past its end)
/// while it is in force, else its end date; and whether that needs action.
pub fn end_text(lang: Lang, c: &Contract, today: NaiveDate) -> (String, bool) {
    let Some(end) = c.terms.end_on else { return ("—".to_string(), false) };
    if !c.status.in_force() {
        return (end.to_string(), false);
    }
    let left = days_left(end, today);
    let soon = left <= i64::from(ENDING_SOON_DAYS);
    let text = if soon { crate::i18n::days_left_text(lang, left) } else { end.to_string() };
    (text, soon)
}

/// The list's columns: on 80 columns the number, customer, status and when it
/// ends; wider, the tier, the value and the step it waits on.
pub fn contract_table<'t>(ctx: &'t Ctx, rows: &[Contract], today: NaiveDate, with_customer: bool) -> DataTable<'t> {
    let t = ctx.t();
    let lang = ctx.lang;
    let statuses: Vec<String> = rows.iter().map(|c| status_text(lang, c)).collect();
    let tiers = ctx.preset.tiers().iter().map(|x| lang.pick(tier_label(*x)));
    let mut columns = vec![
        Column::fixed("", 1),
        Column::fixed(t.col_number, widest(rows.iter().map(|c| c.terms.number.as_str()), 18)),
    ];
    if with_customer {
        let names = widest(rows.iter().map(|c| c.customer_name.as_str()), 24);
        columns.push(Column::flex(t.col_customer, 8, names.min(14), names));
    }
    let status_w = widest(statuses.iter().map(String::as_str), 22);
    let ends: Vec<String> = rows.iter().map(|c| end_text(lang, c, today).0).collect();
    let ends_w = widest(ends.iter().map(String::as_str), 18).max(10);
    let status_title = crate::i18n::contract_field_label("status").map_or("", |l| lang.pick(l));
    columns.extend([
        Column::flex(status_title, 8, status_w, status_w),
        Column::fixed(t.contract_col_end, ends_w),
        Column::fixed(t.col_tier, widest(tiers, 10)).priority(2),
        Column::fixed(t.contract_col_value, 14).right().priority(3),
        Column::fill(t.contract_chain, 12).priority(4),
    ]);
    DataTable::new(&ctx.theme, columns).empty(t.contracts_none)
}

pub fn contract_row(ctx: &Ctx, c: &Contract, today: NaiveDate, with_customer: bool) -> Row<'static> {
    let lang = ctx.lang;
    let (ends, soon) = end_text(lang, c, today);
    let waiting = c
        .waiting_step
        .as_deref()
        .map(|name| fill(ctx.t().contract_waiting_on, &[&step_name(lang, name)]))
        .or_else(|| c.refusal.as_ref().map(|r| fill(ctx.t().contract_refused_because, &[r])))
        .unwrap_or_default();
    let mut cells = vec![Cell::text(if soon { "!" } else { "" }), Cell::text(&c.terms.number)];
    if with_customer {
        cells.push(Cell::text(&c.customer_name));
    }
    cells.extend([
        Cell::text(&status_text(lang, c)),
        Cell::text(&ends),
        Cell::text(lang.pick(tier_label(c.terms.tier))).style(ctx.theme.get(Slot::tier(c.terms.tier))),
        Cell::text(&c.terms.value.map(|v| v.format_yuan()).unwrap_or_default()),
        Cell::text(&waiting),
    ]);
    let slot = match c.status {
        _ if soon => Slot::Warning,
        ContractStatus::Ended => Slot::Muted,
        ContractStatus::Draft if c.refusal.is_some() => Slot::Warning,
        _ => Slot::Base,
    };
    Row::new(cells).style(ctx.theme.get(slot))
}

pub use crate::i18n::step_name;

/// A contract's history row (the contract, its steps, its copies) as the
/// user reads it: "合同 #5 第1次提交 第2步: 退回", "合同 #5 合同状态: 起草 → 审批中".
/// `None` for rows of other records.
pub fn history_text(
    lang: Lang,
    reference: &crate::db::reference::Reference,
    row: &crate::db::history::HistoryRow,
) -> Option<String> {
    use crate::domain::contract::{ContractKind, CopyKind, Outcome};
    use crate::domain::tier::Tier;
    use crate::i18n::{contract_field_label, contract_kind_label, copy_kind_label, outcome_label, record_label};
    if !matches!(row.entity.as_str(), "contract" | "contract_copy" | "contract_chain") {
        return None;
    }
    let t = lang.text();
    let entity = record_label(&row.entity).map_or_else(String::new, |l| format!("{} #{}", lang.pick(l), row.entity_id));
    let field = row.field.as_deref().unwrap_or("");
    // A step's decision: "step:1:2" (round, position) and its opinion.
    let mut parts = field.split(':');
    if let (Some(what @ ("step" | "opinion")), Some(round), Some(position)) = (parts.next(), parts.next(), parts.next())
    {
        let new = row.new_value.as_deref().unwrap_or("");
        let value = if what == "step" {
            let (outcome, behalf) = new.split_once('/').map_or((new, false), |(o, _)| (o, true));
            let mut v =
                Outcome::from_code(outcome).map_or(outcome.to_string(), |o| lang.pick(outcome_label(o)).to_string());
            if behalf {
                v = format!("{v} ({})", t.contract_on_behalf);
            }
            v
        } else {
            new.to_string()
        };
        let step = fill(t.contract_step_n, &[&position]);
        let label = if what == "step" { step } else { format!("{step} {}", t.f_opinion) };
        let round = fill(t.contract_round, &[&round]);
        return Some(crate::ui::widgets::text::clean(&format!("{entity} {round} {label}: {value}")));
    }
    let shown = |v: &Option<String>| -> String {
        let Some(v) = v.as_deref() else { return "∅".to_string() };
        match field {
            "status" => {
                ContractStatus::from_code(v).map_or(v.to_string(), |s| lang.pick(contract_status_label(s)).to_string())
            }
            "kind" if row.entity == "contract_copy" => {
                CopyKind::from_code(v).map_or(v.to_string(), |k| lang.pick(copy_kind_label(k)).to_string())
            }
            "kind" => {
                ContractKind::from_code(v).map_or(v.to_string(), |k| lang.pick(contract_kind_label(k)).to_string())
            }
            "tier" => Tier::from_code(v).map_or(v.to_string(), |x| lang.pick(tier_label(x)).to_string()),
            "access_bureau" => {
                v.parse().ok().and_then(|id| reference.unit(id)).map_or(v.to_string(), |u| u.name.clone())
            }
            "value" => {
                v.parse::<i64>().map_or(v.to_string(), |fen| crate::domain::money::Money::from_fen(fen).format_yuan())
            }
            "service_lines" => v
                .split(',')
                .map(|id| {
                    id.parse()
                        .ok()
                        .and_then(|id| reference.service_line(id))
                        .map_or(id.to_string(), |l| lang.pick((&l.name_zh, &l.name_en)).to_string())
                })
                .collect::<Vec<_>>()
                .join("、"),
            _ => v.to_string(),
        }
    };
    let text = if row.action == "create" && row.field.is_none() {
        format!("{entity} {}: {}", t.history_created, shown(&row.new_value))
    } else {
        let label = contract_field_label(field).map_or(field.to_string(), |l| lang.pick(l).to_string());
        if row.action == "create" {
            format!("{entity} {label}: {}", shown(&row.new_value))
        } else {
            format!("{entity} {label}: {} → {}", shown(&row.old_value), shown(&row.new_value))
        }
    };
    Some(crate::ui::widgets::text::clean(&text))
}
