//! The dossier's revenue tab (用邮收入, SPEC §7): the customer's monthly revenue
//! over two years as a bar chart under its headline figures, then the month ×
//! service line grid in which the account manager enters or corrects a cell.

use std::collections::HashMap;

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Clear, Paragraph};
use rust_decimal::Decimal;

use super::header::truncate_line;
use crate::config::MoneyUnit;
use crate::ctx::Ctx;
use crate::db::Conn;
use crate::db::DbError;
use crate::db::customers::Dossier;
use crate::db::reference::ServiceLine;
use crate::db::revenue::{self, CustomerLedger, RevenueEntry};
use crate::db::volume::{self, MonthReturns, VolumeEntry};
use crate::domain::id::CustomerId;
use crate::domain::money::{Money, parse_amount};
use crate::domain::revenue::{Month, change, percent};
use crate::domain::validate::FieldError;
use crate::domain::volume::{format_pieces, parse_pieces, rate_percent};
use crate::i18n::{choice_label, fill};
use crate::keymap::{Command, Mode};
use crate::msg::Action;
use crate::theme::Slot;
use crate::ui::field_error_text;
use crate::ui::widgets::input::TextInput;
use crate::ui::widgets::scroll::keep_visible;
use crate::ui::widgets::text::{cells, clean, pad, truncate, width};

/// Months shown: two years, so a month can be read against the year before.
pub const MONTHS: u32 = 24;

/// The key-binding mode of this tab; keys it leaves unbound mean what they mean in `dossier`.
pub const MODE: Mode = Mode::DossierRevenue;

/// A service line column is at most this wide for its name (amounts are never cut);
/// a line without revenue in the window, only a dot in every row, narrower.
const NAME_MAX: usize = 12;
const UNUSED_NAME_MAX: usize = 8;
/// The column being edited widens to this, so a typed amount stays readable.
const EDIT_MIN: usize = 12;
/// Month column: "2026-10".
const MONTH_W: usize = 7;

/// The cell being typed into.
#[derive(Debug, Clone)]
struct CellEdit {
    month: Month,
    line: i64,
    /// Pieces (用邮量) rather than revenue.
    pieces: bool,
    input: TextInput,
    /// The amount the cell held when editing began (to know whether anything was typed).
    opened: String,
    /// Why the last save failed, shown under the grid until the next key.
    error: Option<String>,
}

/// A cell written: the dossier reloads, then reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavedCell {
    pub month: Month,
    pub line: i64,
    pub amount: Money,
    /// The pieces written, when the cell was a volume cell (then `amount` is not).
    pub pieces: Option<u64>,
}

/// What a key did on this tab.
pub enum Outcome {
    Actions(Vec<Action>),
    Saved(SavedCell),
}

#[derive(Debug, Default)]
pub struct RevenueTab {
    /// Monthly totals, newest (the ledger month) first.
    totals: Vec<(Month, Money)>,
    cells: HashMap<(Month, i64), Money>,
    /// Service line ids in column order: lines with revenue in the window first.
    lines: Vec<i64>,
    /// Selected month (index into `totals`).
    row: usize,
    /// Selected column: 0 is the total, then `lines[col - 1]`.
    col: usize,
    row_scroll: usize,
    /// First service line column shown.
    line_scroll: usize,
    /// Month rows that fit, as last drawn (the page for PageUp/PageDown).
    page: usize,
    edit: Option<CellEdit>,
    /// Revenue known only as a period's total (未分月), not in the grid.
    periods: Vec<(crate::domain::period::Period, Money)>,
    /// Pieces per month and service line (用邮量), beside the revenue.
    pieces: HashMap<(Month, i64), u64>,
    /// Returned mail (退信) per month.
    returns: HashMap<Month, MonthReturns>,
    /// The service line columns show (and edit) pieces rather than revenue.
    show_pieces: bool,
    /// Return reasons' names (zh, en) by id.
    reason_names: HashMap<i64, (String, String)>,
}

impl RevenueTab {
    /// Shows a customer's ledger (the 24 months ending with the ledger month,
    /// read by the dossier). Keeps the selected month and line.
    pub fn set_ledger(&mut self, ledger: CustomerLedger, known: &[ServiceLine]) {
        let mut totals = ledger.totals;
        totals.reverse();
        let cells: HashMap<(Month, i64), Money> = ledger.cells.into_iter().map(|(m, l, a)| ((m, l), a)).collect();
        let selected = self.selected_line();
        let first_load = self.lines.is_empty();
        // A line archived since still counts: without its column the total would not add up.
        let mut ids: Vec<i64> = known.iter().map(|l| l.id).collect();
        let mut stray: Vec<i64> = cells.keys().map(|(_, l)| *l).filter(|l| !ids.contains(l)).collect();
        stray.sort_unstable();
        stray.dedup();
        ids.extend(stray);
        let used = |id: &i64| cells.iter().any(|((_, l), a)| l == id && a.to_fen() != 0);
        let (mut lines, unused): (Vec<i64>, Vec<i64>) = ids.into_iter().partition(used);
        lines.extend(unused);
        self.totals = totals;
        self.cells = cells;
        self.lines = lines;
        self.periods = ledger.periods;
        self.row = self.row.min(self.totals.len().saturating_sub(1));
        self.col = match selected.and_then(|id| self.lines.iter().position(|l| *l == id)) {
            Some(i) => i + 1,
            None if first_load && !self.lines.is_empty() => 1,
            None => self.col.min(self.lines.len()),
        };
    }

    /// Reads the customer's pieces and returned mail over the months shown
    /// (called with the ledger, never while drawing).
    pub fn set_volume(&mut self, conn: &Conn, customer: &CustomerId) -> Result<(), DbError> {
        let (Some((last, _)), Some((first, _))) = (self.totals.first(), self.totals.last()) else {
            return Ok(());
        };
        let (first, last) = (*first, *last);
        self.pieces =
            volume::customer_volume(conn, customer, first, last)?.into_iter().map(|(m, l, n)| ((m, l), n)).collect();
        self.returns =
            volume::customer_returns(conn, customer, first, last)?.into_iter().map(|r| (r.month, r)).collect();
        self.reason_names = crate::db::setup::list_entries(conn, crate::db::setup::RefList::ReturnReason, true)?
            .into_iter()
            .map(|r| (r.id, (r.name_zh, r.name_en)))
            .collect();
        Ok(())
    }

    /// A month's pieces over every service line (None when nothing is entered).
    fn month_pieces(&self, month: Month) -> Option<u64> {
        let mut found = self.pieces.iter().filter(|((m, _), _)| *m == month).peekable();
        found.peek()?;
        Some(found.map(|(_, n)| *n).sum())
    }

    /// Each month's pieces (newest first, as the rows) and the column's width under `heading`.
    fn pieces_column(&self, heading: &str) -> (Vec<Option<u64>>, usize) {
        let pieces: Vec<Option<u64>> = self.totals.iter().map(|(m, _)| self.month_pieces(*m)).collect();
        let w = pieces
            .iter()
            .map(|n| n.map_or(1, |n| width(&format_pieces(n))))
            .chain(std::iter::once(width(heading)))
            .max()
            .unwrap_or(0);
        (pieces, w)
    }

    /// What a service line cell shows: revenue, or pieces in the pieces view.
    fn cell_text(&self, unit: MoneyUnit, month: Month, line: i64) -> Option<String> {
        if self.show_pieces {
            self.pieces.get(&(month, line)).map(|n| format_pieces(*n))
        } else {
            self.cells.get(&(month, line)).map(|a| unit.format(*a))
        }
    }

    pub fn is_editing(&self) -> bool {
        self.edit.is_some()
    }

    /// True while a cell holds an amount typed and not saved.
    pub fn has_typing(&self) -> bool {
        self.edit.as_ref().is_some_and(|e| e.input.value() != e.opened)
    }

    fn selected_line(&self) -> Option<i64> {
        self.col.checked_sub(1).and_then(|i| self.lines.get(i)).copied()
    }

    fn selected_month(&self) -> Option<Month> {
        self.totals.get(self.row).map(|(m, _)| *m)
    }

    /// The tab's own commands; None leaves the command to the dossier.
    pub fn command(&mut self, ctx: &mut Ctx, d: &Dossier, cmd: Command) -> Option<Outcome> {
        let last_row = self.totals.len().saturating_sub(1);
        let page = self.page.max(1);
        match cmd {
            Command::Up => self.row = self.row.saturating_sub(1),
            Command::Down => self.row = (self.row + 1).min(last_row),
            Command::PageUp => self.row = self.row.saturating_sub(page),
            Command::PageDown => self.row = (self.row + page).min(last_row),
            Command::Top => self.row = 0,
            Command::Bottom => self.row = last_row,
            Command::PrevColumn => self.col = self.col.saturating_sub(1),
            Command::NextColumn => self.col = (self.col + 1).min(self.lines.len()),
            Command::ToggleMoneyUnit => ctx.money_unit = ctx.money_unit.toggled(),
            Command::TogglePieces => self.show_pieces = !self.show_pieces,
            Command::Edit | Command::Open => return Some(self.start_edit(ctx, d)),
            _ => return None,
        }
        Some(Outcome::Actions(vec![]))
    }

    fn start_edit(&mut self, ctx: &Ctx, d: &Dossier) -> Outcome {
        let (Some(month), Some(line)) = (self.selected_month(), self.selected_line()) else {
            return Outcome::Actions(vec![Action::Info(ctx.t().revenue_tab_total_readonly.to_string())]);
        };
        // Refuse before any typing, by the rules the write applies (the unit
        // policy included): it would be refused anyway.
        let work = crate::db::access::Work::Edit;
        if let Err(e) = crate::db::access::may_work_on(ctx.store.conn(), &ctx.actor(), &d.id, work) {
            return Outcome::Actions(vec![Action::Error(ctx.describe(&e))]);
        }
        let pieces = self.show_pieces;
        let current = if pieces {
            self.pieces.get(&(month, line)).map(|n| n.to_string()).unwrap_or_default()
        } else {
            self.cells.get(&(month, line)).map(|m| plain_yuan(*m)).unwrap_or_default()
        };
        self.edit =
            Some(CellEdit { month, line, pieces, input: TextInput::new(&current), opened: current, error: None });
        Outcome::Actions(vec![])
    }

    /// Keys while a cell is typed into: Enter (or the form's save key) saves,
    /// Esc (or the form's cancel key) drops the typing, the rest edit the text.
    pub fn edit_key(&mut self, ctx: &mut Ctx, d: &Dossier, key: &KeyEvent) -> Outcome {
        let form = ctx.keymap.lookup(Mode::Form, key);
        if key.code == KeyCode::Enter || form == Some(Command::Save) {
            return self.save(ctx, d);
        }
        if key.code == KeyCode::Esc || form == Some(Command::Cancel) {
            self.edit = None;
            return Outcome::Actions(vec![]);
        }
        if let Some(edit) = self.edit.as_mut()
            && edit.input.handle_key(key)
        {
            edit.error = None;
        }
        Outcome::Actions(vec![])
    }

    pub fn paste(&mut self, text: &str) {
        if let Some(edit) = self.edit.as_mut() {
            edit.input.paste(text);
            edit.error = None;
        }
    }

    fn save(&mut self, ctx: &mut Ctx, d: &Dossier) -> Outcome {
        let Some(edit) = self.edit.as_mut() else { return Outcome::Actions(vec![]) };
        if edit.pieces {
            return self.save_pieces(ctx, d);
        }
        let typed = edit.input.value().trim();
        let amount = if typed.is_empty() { Ok(Money::ZERO) } else { parse_amount(typed) };
        let amount = match amount {
            Ok(a) => a,
            Err(e) => {
                edit.error = Some(field_error_text(ctx.lang, &FieldError::Amount(e)));
                return Outcome::Actions(vec![]);
            }
        };
        let entry = RevenueEntry { customer_id: d.id.clone(), month: edit.month, service_line_id: edit.line, amount };
        let actor = ctx.actor();
        let rules = ctx.status_rules;
        match revenue::set_cell(&mut ctx.store, &actor, &rules, &entry) {
            Ok(()) => {
                self.edit = None;
                Outcome::Saved(SavedCell { month: entry.month, line: entry.service_line_id, amount, pieces: None })
            }
            // Retrying cannot help a refusal: close the cell and say why.
            Err(e @ DbError::Refused(_)) => {
                self.edit = None;
                Outcome::Actions(vec![Action::Error(ctx.describe(&e))])
            }
            // A busy file or a failed write: keep the typing so the user can try again.
            Err(e) => {
                edit.error = Some(ctx.describe(&e));
                Outcome::Actions(vec![])
            }
        }
    }

    /// Saves a volume cell as revenue is saved: empty is 0, a bad count keeps the typing.
    fn save_pieces(&mut self, ctx: &mut Ctx, d: &Dossier) -> Outcome {
        let Some(edit) = self.edit.as_mut() else { return Outcome::Actions(vec![]) };
        let typed = edit.input.value().trim();
        let pieces = match if typed.is_empty() { Ok(0) } else { parse_pieces(typed) } {
            Ok(n) => n,
            Err(e) => {
                edit.error = Some(field_error_text(ctx.lang, &e));
                return Outcome::Actions(vec![]);
            }
        };
        let entry = VolumeEntry { customer_id: d.id.clone(), month: edit.month, service_line_id: edit.line, pieces };
        let actor = ctx.actor();
        match volume::set_volume_cell(&mut ctx.store, &actor, &entry) {
            Ok(()) => {
                self.edit = None;
                Outcome::Saved(SavedCell {
                    month: entry.month,
                    line: entry.service_line_id,
                    amount: Money::ZERO,
                    pieces: Some(pieces),
                })
            }
            Err(e @ DbError::Refused(_)) => {
                self.edit = None;
                Outcome::Actions(vec![Action::Error(ctx.describe(&e))])
            }
            Err(e) => {
                edit.error = Some(ctx.describe(&e));
                Outcome::Actions(vec![])
            }
        }
    }

    /// The status-bar message after a save; the dossier's status may have moved with the ledger.
    pub fn saved_message(ctx: &Ctx, cell: &SavedCell, status_before: &str, status_after: &str) -> String {
        let t = ctx.t();
        if let Some(pieces) = cell.pieces {
            return fill(t.volume_saved, &[&cell.month, &line_name(ctx, cell.line), &format_pieces(pieces)]);
        }
        let mut text =
            fill(t.revenue_tab_saved, &[&cell.month, &line_name(ctx, cell.line), &ctx.money_unit.format(cell.amount)]);
        if status_before != status_after {
            let label = |s: &str| ctx.lang.pick(choice_label(s)).to_string();
            text.push_str(" · ");
            text.push_str(&fill(t.revenue_tab_status_changed, &[&label(status_before), &label(status_after)]));
        }
        text
    }

    pub fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx, d: &Dossier) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let h = area.height;
        // The grid is what the user works in: on a short screen it keeps the
        // rows and the chart gives way first, then the caption.
        let (caption_h, chart_h) = if h >= 12 {
            // Caption (and the period totals' line), header, the months, the
            // returned-mail line and the hint.
            let spare = h.saturating_sub(cells(3 + MONTHS as usize + 2));
            let caption_h = 2 + u16::from(!self.periods.is_empty());
            (caption_h, if spare >= 4 { spare.min(10) } else { (h / 4).clamp(3, 8) })
        } else if h >= 6 {
            (1, 0)
        } else {
            (0, 0)
        };
        let hint_h = u16::from(h >= 3);
        let returns_h = u16::from(h >= 5);
        let [caption, chart, grid, returns, hint] = Layout::vertical([
            Constraint::Length(caption_h),
            Constraint::Length(chart_h),
            Constraint::Min(0),
            Constraint::Length(returns_h),
            Constraint::Length(hint_h),
        ])
        .areas(area);
        self.draw_caption(f, caption, ctx, d);
        self.draw_chart(f, chart, ctx);
        let columns = self.draw_grid(f, grid, ctx);
        self.draw_returns(f, returns, ctx);
        self.draw_hint(f, hint, ctx, columns);
    }

    fn draw_caption(&self, f: &mut Frame, area: Rect, ctx: &Ctx, d: &Dossier) {
        if area.height == 0 {
            return;
        }
        let t = ctx.t();
        let w = area.width as usize;
        let unit = ctx.money_unit;
        let mut first = vec![
            Span::styled(format!(" {}: ", t.col_status), ctx.theme.get(Slot::Header)),
            Span::styled(
                ctx.lang.pick(choice_label(&d.status)).to_string(),
                ctx.theme.get(Slot::customer_status_code(&d.status)),
            ),
        ];
        if d.one_off {
            first.push(Span::styled(format!(" · {}", t.revenue_tab_one_off), ctx.theme.get(Slot::Warning)));
        }
        if self.totals.iter().all(|(_, m)| m.to_fen() == 0) {
            first.push(Span::styled(format!(" · {}", t.revenue_tab_no_revenue), ctx.theme.get(Slot::Muted)));
        } else {
            let year = self.totals.iter().take(12).fold(Money::ZERO, |s, (_, m)| Money(s.0 + m.0));
            first.push(Span::styled(
                format!(" · {} {}", t.revenue_tab_last12, unit.format(year)),
                ctx.theme.get(Slot::Base),
            ));
        }
        let unit_label = match unit {
            MoneyUnit::Yuan => t.revenue_tab_in_yuan,
            MoneyUnit::Wan => t.revenue_tab_in_wan,
        };
        first.push(Span::styled(format!(" · {unit_label}"), ctx.theme.get(Slot::Muted)));
        if self.show_pieces {
            first.push(Span::styled(format!(" · {}", t.volume_showing_pieces), ctx.theme.get(Slot::Accent)));
        }
        let mut lines = vec![truncate_line(Line::from(first), w)];
        if area.height >= 2
            && let Some(second) = self.figures_line(ctx, w)
        {
            lines.push(truncate_line(second, w));
        }
        if area.height >= 3 && !self.periods.is_empty() {
            // Kept as entered: a total of several months, never spread over the grid's months.
            let totals: Vec<String> = self
                .periods
                .iter()
                .map(|(p, m)| format!("{} {}", crate::i18n::period_label(ctx.lang, *p), unit.format(*m)))
                .collect();
            let text = format!(" {}: {}", t.period_not_split, totals.join(" · "));
            lines.push(truncate_line(Line::from(Span::styled(text, ctx.theme.get(Slot::Warning))), w));
        }
        f.render_widget(Paragraph::new(lines), area);
    }

    /// The latest month and its change on the month before, then the lowest and
    /// highest months (their months dropped when the line would not fit).
    fn figures_line(&self, ctx: &Ctx, w: usize) -> Option<Line<'static>> {
        let t = ctx.t();
        let unit = ctx.money_unit;
        let (last, amount) = *self.totals.first()?;
        let previous = self.totals.get(1).map_or(Money::ZERO, |(_, m)| *m);
        let mom = change(amount, previous);
        let mom_style = match mom {
            Some(r) if r < Decimal::ZERO => ctx.theme.get(Slot::Warning),
            Some(_) => ctx.theme.get(Slot::Ok),
            None => ctx.theme.get(Slot::Muted),
        };
        // Ties name the earliest month: min_by_key keeps the first of equals
        // (so read oldest first), max_by_key the last (so read newest first).
        let low = self.totals.iter().rev().min_by_key(|(_, m)| m.to_fen()).copied()?;
        let high = self.totals.iter().max_by_key(|(_, m)| m.to_fen()).copied()?;
        let extremes = |with_month: bool| {
            let one = |label: &str, (month, m): (Month, Money)| {
                if with_month {
                    format!(" · {label} {} ({month})", unit.format(m))
                } else {
                    format!(" · {label} {}", unit.format(m))
                }
            };
            format!("{}{}", one(t.revenue_tab_min, low), one(t.revenue_tab_max, high))
        };
        let head = format!(" {last} {}", unit.format(amount));
        let mom_text = format!(" {} {}", t.revenue_tab_mom, signed(mom));
        let full = extremes(true);
        let tail = if width(&head) + width(&mom_text) + width(&full) <= w { full } else { extremes(false) };
        Some(Line::from(vec![
            Span::styled(head, ctx.theme.get(Slot::Accent)),
            Span::styled(mom_text, mom_style),
            Span::styled(tail, ctx.theme.get(Slot::Muted)),
        ]))
    }

    /// One bar per month, oldest on the left; the selected month stands out.
    fn draw_chart(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        if area.height < 2 || area.width < 4 || self.totals.is_empty() {
            return;
        }
        let room = area.width.saturating_sub(1) as usize;
        let n = self.totals.len();
        let slot = (room + 1) / n;
        // Wide enough for a gap between bars, or one column per month (the newest that fit).
        let (bar_w, gap, shown) = if slot >= 2 { ((slot - 1).min(5), 1, n) } else { (1, 0, room.min(n)) };
        let selected = self.selected_month();
        let newest = self.totals.first().map(|(m, _)| *m);
        let bars: Vec<Bar> = self
            .totals
            .iter()
            .take(shown)
            .rev()
            .map(|(month, amount)| {
                let style = if Some(*month) == selected {
                    ctx.theme.get(Slot::Title)
                } else if Some(*month) == newest {
                    ctx.theme.get(Slot::Accent)
                } else {
                    ctx.theme.get(Slot::Ok)
                };
                let bar = Bar::default().value(whole_yuan(*amount)).text_value(String::new()).style(style);
                if bar_w >= 2 { bar.label(Line::from(format!("{:02}", month.month()))) } else { bar }
            })
            .collect();
        let used = cells((shown * (bar_w + gap)).saturating_sub(gap));
        let chart_area = Rect { x: area.x + 1, width: used.min(area.width.saturating_sub(1)), ..area };
        let chart = BarChart::vertical(bars)
            .bar_width(cells(bar_w))
            .bar_gap(cells(gap))
            .bar_style(ctx.theme.get(Slot::Ok))
            .label_style(ctx.theme.get(Slot::Muted));
        f.render_widget(chart, chart_area);
    }

    /// Draws the grid; returns (first line shown, lines shown) for the hint.
    fn draw_grid(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) -> (usize, usize) {
        if area.height == 0 {
            return (0, 0);
        }
        let t = ctx.t();
        let unit = ctx.money_unit;
        let total_w = self
            .totals
            .iter()
            .map(|(_, m)| width(&unit.format(*m)))
            .chain(std::iter::once(width(t.revenue_tab_col_total)))
            .max()
            .unwrap_or(0);
        let (month_pieces, pieces_w) = self.pieces_column(t.volume_col_pieces);
        let names: Vec<String> = self.lines.iter().map(|id| clean(&line_name(ctx, *id))).collect();
        let editing = self.edit.as_ref().map(|e| e.line);
        let column_widths = |unused_cap: usize| -> Vec<usize> {
            self.lines
                .iter()
                .zip(&names)
                .map(|(id, name)| {
                    let shown = self.totals.iter().filter_map(|(m, _)| self.cell_text(unit, *m, *id));
                    let amount_w = shown.map(|text| width(&text)).max().unwrap_or(1);
                    let cap = if amount_w > 1 { NAME_MAX } else { unused_cap };
                    let w = amount_w.max(width(name).min(cap)).max(4);
                    if editing == Some(*id) { w.max(EDIT_MIN) } else { w }
                })
                .collect()
        };
        // Mark, month, total, pieces, separator: always shown.
        let fixed = 1 + MONTH_W + 1 + total_w + 1 + pieces_w + 1;
        let room = (area.width as usize).saturating_sub(fixed);
        // Empty lines get their whole names when every column fits that way.
        let mut widths = column_widths(NAME_MAX);
        if fit_columns(&widths, room, 0) < widths.len() {
            widths = column_widths(UNUSED_NAME_MAX);
        }
        // On the total, the lines scroll back to the first.
        self.line_scroll = scroll_columns(&widths, room, Some(self.col.saturating_sub(1)), self.line_scroll);
        let shown = fit_columns(&widths, room, self.line_scroll);
        let visible = self.line_scroll..self.line_scroll + shown;
        let hidden_left = self.line_scroll > 0;
        let hidden_right = visible.end < widths.len();

        let header = ctx.theme.get(Slot::Header);
        let border = ctx.theme.get(Slot::Border);
        let mut head = vec![
            Span::styled(format!(" {}", pad(t.revenue_tab_col_month, MONTH_W)), header),
            Span::styled(format!(" {}", right(t.revenue_tab_col_total, total_w)), header),
            Span::styled(format!(" {}", right(t.volume_col_pieces, pieces_w)), header),
            if hidden_left { Span::styled("◀", ctx.theme.get(Slot::Accent)) } else { Span::styled("│", border) },
        ];
        for i in visible.clone() {
            head.push(Span::styled(format!(" {}", right(&truncate(&names[i], widths[i]), widths[i])), header));
        }
        if hidden_right {
            head.push(Span::styled(" ▶", ctx.theme.get(Slot::Accent)));
        }
        let mut lines = vec![Line::from(head)];

        let body_h = (area.height as usize).saturating_sub(1);
        self.page = body_h;
        self.row_scroll = keep_visible(self.row, self.row_scroll, body_h);
        let selection = ctx.theme.get(Slot::Selection);
        let mut edit_x = None;
        for (i, (month, total)) in self.totals.iter().enumerate().skip(self.row_scroll).take(body_h) {
            let here = i == self.row;
            let cell_style = |col: usize, normal: Style| if here && self.col == col { selection } else { normal };
            let mut spans = vec![
                Span::styled(if here { "▸" } else { " " }, ctx.theme.get(Slot::Accent)),
                Span::styled(
                    month.to_string(),
                    if here { ctx.theme.get(Slot::Accent) } else { ctx.theme.get(Slot::Base) },
                ),
                Span::raw(" "),
                Span::styled(right(&unit.format(*total), total_w), cell_style(0, ctx.theme.get(Slot::Header))),
                Span::raw(" "),
                pieces_span(ctx, month_pieces[i], pieces_w),
                Span::styled("│", border),
            ];
            let mut x = fixed;
            for c in visible.clone() {
                let id = self.lines[c];
                let (text, normal) = match self.cell_text(unit, *month, id) {
                    Some(text) => (text, ctx.theme.get(Slot::Base)),
                    None => ("·".to_string(), ctx.theme.get(Slot::Muted)),
                };
                if here && self.col == c + 1 && self.edit.is_some() {
                    edit_x = Some((x + 1, widths[c]));
                }
                spans.push(Span::raw(" "));
                spans.push(Span::styled(right(&text, widths[c]), cell_style(c + 1, normal)));
                x += 1 + widths[c];
            }
            lines.push(Line::from(spans));
        }
        f.render_widget(Paragraph::new(lines), area);

        if let (Some(edit), Some((x, w))) = (&self.edit, edit_x) {
            let y = area.y.saturating_add(cells(1 + self.row - self.row_scroll));
            let cell = Rect { x: area.x.saturating_add(cells(x)), y, width: cells(w), height: 1 }.intersection(area);
            // The input draws only its text: blank the amount it covers first.
            f.render_widget(Clear, cell);
            edit.input.draw(f, cell, ctx.theme.get(Slot::InputFocus), true);
        }
        (self.line_scroll, shown)
    }

    /// The selected month's returned mail: posted, returned, the rate (and the reasons when they fit).
    fn draw_returns(&self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        if area.height == 0 {
            return;
        }
        let Some(month) = self.selected_month() else { return };
        let t = ctx.t();
        let w = area.width as usize;
        let line = match self.returns.get(&month) {
            None => Line::from(Span::styled(
                format!(" {}", fill(t.volume_returns_none, &[&month])),
                ctx.theme.get(Slot::Muted),
            )),
            Some(r) => {
                let rate = r.returns.rate().map_or_else(|| "—".to_string(), rate_percent);
                let head = fill(
                    t.volume_returns_line,
                    &[&month, &format_pieces(r.returns.posted), &format_pieces(r.returns.returned), &rate],
                );
                let reasons: Vec<String> = r
                    .reasons
                    .iter()
                    .map(|(id, n)| {
                        let name = self.reason_names.get(id).map_or_else(
                            || format!("#{id}"),
                            |(zh, en)| ctx.lang.pick((zh.as_str(), en.as_str())).to_string(),
                        );
                        format!("{} {}", clean(&name), format_pieces(*n))
                    })
                    .collect();
                let mut spans = vec![Span::styled(format!(" {head}"), ctx.theme.get(Slot::Base))];
                let tail = format!(" ({})", reasons.join(" · "));
                if !reasons.is_empty() && width(&head) + 1 + width(&tail) <= w {
                    spans.push(Span::styled(tail, ctx.theme.get(Slot::Muted)));
                }
                Line::from(spans)
            }
        };
        f.render_widget(Paragraph::new(truncate_line(line, w)), area);
    }

    fn draw_hint(&self, f: &mut Frame, area: Rect, ctx: &Ctx, (first, shown): (usize, usize)) {
        if area.height == 0 {
            return;
        }
        let t = ctx.t();
        let w = area.width as usize;
        let line = match &self.edit {
            Some(CellEdit { error: Some(e), .. }) => {
                Line::from(Span::styled(format!(" {e}"), ctx.theme.get(Slot::Error)))
            }
            Some(edit) => {
                let cancel = key_in(ctx, Mode::Form, Command::Cancel).unwrap_or_else(|| "Esc".into());
                let hint = if edit.pieces { t.volume_edit_hint } else { t.revenue_tab_edit_hint };
                let text = fill(hint, &[&edit.month, &line_name(ctx, edit.line), &"Enter", &cancel]);
                Line::from(Span::styled(format!(" {}", clean(&text)), ctx.theme.get(Slot::Muted)))
            }
            None => {
                let mut parts = Vec::new();
                if shown < self.lines.len() {
                    let mut cols = fill(t.revenue_tab_columns, &[&(first + 1), &(first + shown), &self.lines.len()]);
                    let arrows: Vec<String> = [Command::PrevColumn, Command::NextColumn]
                        .into_iter()
                        .filter_map(|c| key_for(ctx, c))
                        .collect();
                    if !arrows.is_empty() {
                        cols.push_str(&format!(" {}", arrows.join("")));
                    }
                    parts.push(cols);
                }
                for cmd in [Command::Edit, Command::TogglePieces, Command::ToggleMoneyUnit, Command::PeriodTotal] {
                    if let Some(keys) = key_for(ctx, cmd) {
                        parts.push(format!("{keys} {}", ctx.lang.pick(cmd.describe())));
                    }
                }
                Line::from(Span::styled(format!(" {}", parts.join(" · ")), ctx.theme.get(Slot::Muted)))
            }
        };
        f.render_widget(Paragraph::new(truncate_line(line, w)), area);
        // A cell off screen (a very narrow terminal) is typed into on the hint row.
        if let Some(edit) = &self.edit
            && !(first..first + shown).contains(&self.col.saturating_sub(1))
        {
            f.render_widget(Clear, area);
            edit.input.draw(f, area, ctx.theme.get(Slot::InputFocus), true);
        }
    }
}

/// A month's pieces, right-aligned in `w` columns; a dot when none are entered.
fn pieces_span(ctx: &Ctx, pieces: Option<u64>, w: usize) -> Span<'static> {
    match pieces {
        Some(n) => Span::styled(right(&format_pieces(n), w), ctx.theme.get(Slot::Base)),
        None => Span::styled(right("·", w), ctx.theme.get(Slot::Muted)),
    }
}

/// How many columns from `start` fit in `room` (each takes a space before it),
/// keeping two columns for " ▶" while more follow.
fn fit_columns(widths: &[usize], room: usize, start: usize) -> usize {
    let mut used = 0;
    let mut n = 0;
    for (i, w) in widths.iter().enumerate().skip(start) {
        let marker = if i + 1 < widths.len() { 2 } else { 0 };
        if used + 1 + w + marker > room {
            break;
        }
        used += 1 + w;
        n += 1;
    }
    n
}

/// The first column to show so that `selected` is in view, moving `scroll`
/// as little as possible and using room freed on the left.
fn scroll_columns(widths: &[usize], room: usize, selected: Option<usize>, scroll: usize) -> usize {
    let mut s = scroll.min(widths.len().saturating_sub(1));
    if let Some(c) = selected {
        s = s.min(c);
        while s < c && s + fit_columns(widths, room, s) <= c {
            s += 1;
        }
    }
    while s > 0 && s - 1 + fit_columns(widths, room, s - 1) >= s + fit_columns(widths, room, s) {
        s -= 1;
    }
    s
}

/// A service line's name in the UI language.
fn line_name(ctx: &Ctx, id: i64) -> String {
    match ctx.reference.service_line(id) {
        Some(l) => ctx.lang.pick((l.name_zh.as_str(), l.name_en.as_str())).to_string(),
        None => format!("#{id}"),
    }
}

/// The key to show for `cmd` in `mode`, as help labels it: a named key ("Enter",
/// "←") rather than its letter alias, else the first.
fn key_in(ctx: &Ctx, mode: Mode, cmd: Command) -> Option<String> {
    let (keys, _) = ctx.keymap.bindings(mode).into_iter().find(|(_, c)| *c == cmd)?;
    let labels: Vec<&str> = keys.split(' ').collect();
    let named = labels.iter().find(|k| k.chars().count() > 1 || !k.chars().all(|c| c.is_ascii_alphanumeric()));
    named.or(labels.first()).map(|k| k.to_string())
}

/// The key to show for one of this tab's commands.
fn key_for(ctx: &Ctx, cmd: Command) -> Option<String> {
    key_in(ctx, MODE, cmd)
}

/// Right-aligned in `cols` display columns.
fn right(text: &str, cols: usize) -> String {
    let text = truncate(text, cols);
    format!("{}{text}", " ".repeat(cols.saturating_sub(width(&text))))
}

/// An amount as typed back into the input: yuan, two decimals, no separators.
fn plain_yuan(m: Money) -> String {
    let mut d = m.yuan().round_dp(2);
    d.rescale(2);
    d.to_string()
}

/// Bar heights in whole yuan (never negative).
fn whole_yuan(m: Money) -> u64 {
    u64::try_from(m.to_fen() / 100).unwrap_or(0)
}

/// "+5.2%", or "—" when last month had nothing to compare with.
fn signed(ratio: Option<Decimal>) -> String {
    match ratio {
        Some(r) if r > Decimal::ZERO => format!("+{}", percent(r)),
        Some(r) => percent(r),
        None => "—".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_fit_with_room_for_the_marker() {
        let w = [10, 10, 10, 10];
        assert_eq!(fit_columns(&w, 44, 0), 4);
        assert_eq!(fit_columns(&w, 40, 0), 3);
        assert_eq!(fit_columns(&w, 5, 0), 0);
        assert_eq!(fit_columns(&w, 11, 3), 1);
    }

    #[test]
    fn scrolling_keeps_the_selected_column_in_view() {
        let w = [10, 10, 10, 10, 10];
        assert_eq!(scroll_columns(&w, 35, Some(0), 0), 0);
        let s = scroll_columns(&w, 35, Some(4), 0);
        assert!(s <= 4 && s + fit_columns(&w, 35, s) > 4, "{s}");
        assert_eq!(scroll_columns(&w, 35, Some(1), 3), 1);
        // A wide screen shows everything from the first column.
        assert_eq!(scroll_columns(&w, 200, Some(4), 3), 0);
        assert_eq!(scroll_columns(&[], 10, None, 0), 0);
    }

    #[test]
    fn amounts_go_back_into_the_input_plainly() {
        assert_eq!(plain_yuan(Money::from_fen(123_456_789)), "1234567.89");
        assert_eq!(plain_yuan(Money::ZERO), "0.00");
        assert_eq!(right("函件", 6), "  函件");
    }
}
