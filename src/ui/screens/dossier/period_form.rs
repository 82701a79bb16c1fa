//! The dossier's form for a customer's revenue known only as the total of a
//! period of months (未分月, issue 16): the period as offices write it
//! (`2002-01..2002-10`, `2002年1-10月`, `2002年1-10月累计`), a service line and
//! the amount. It writes through the import's own function, so a double count
//! is refused the same way; a failed save keeps the form with the reason under
//! the field. An amount of 0 clears a total.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::ctx::Ctx;
use crate::db::period::{PeriodEntry, customer_totals, write_period_entries_in};
use crate::db::{DbError, Invalid};
use crate::domain::id::CustomerId;
use crate::domain::money::{Money, parse_amount};
use crate::domain::period::{Period, PeriodError};
use crate::domain::revenue::Month;
use crate::domain::validate::FieldError;
use crate::i18n::{fill, period_label};
use crate::keymap::{Command, Mode};
use crate::theme::Slot;
use crate::ui::widgets::form::{Form, FormField, FormKey};
use crate::ui::widgets::text::{clean, width};
use crate::ui::{field_error_text, month_error_text};

const PERIOD: &str = "period";
const LINE: &str = "service_line";
const AMOUNT: &str = "amount";

/// A period total written: the dossier reloads, then says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SavedTotal {
    pub period: Period,
    pub line: i64,
    pub amount: Money,
}

/// What a key did in the form.
pub enum Outcome {
    /// Still open (or nothing happened).
    Open,
    Closed,
    Saved(SavedTotal),
}

#[derive(Debug, Clone)]
pub struct PeriodForm {
    customer: CustomerId,
    form: Form,
    opened: Vec<String>,
    /// Why the last save failed, in full (a double count names the month and
    /// the total), wrapped above the keys until the next edit.
    message: Option<String>,
}

impl PeriodForm {
    /// The form for `customer`, filled with its newest period total (to correct
    /// or clear it) when it has one; refused before any typing when the user
    /// may not edit the customer's revenue.
    pub fn open(ctx: &Ctx, customer: &CustomerId) -> Result<PeriodForm, DbError> {
        crate::db::access::may_work_on(ctx.store.conn(), &ctx.actor(), customer, crate::db::access::Work::Edit)?;
        let newest = customer_totals(ctx.store.conn(), customer)?.into_iter().max_by_key(|(p, _, _)| p.last());
        let t = ctx.t();
        let lines: Vec<(String, String)> = ctx
            .reference
            .service_lines
            .iter()
            .map(|l| (l.id.to_string(), ctx.lang.pick((l.name_zh.as_str(), l.name_en.as_str())).to_string()))
            .collect();
        let (period, line, amount) = match newest {
            Some((p, line, amount)) => (p.key_text(), line.to_string(), plain_yuan(amount)),
            None => (String::new(), String::new(), String::new()),
        };
        let form = Form::new(vec![
            FormField::text(PERIOD, t.period_form_period, true, &period),
            FormField::pick(LINE, t.period_form_line, true, lines, &line),
            FormField::text(AMOUNT, t.period_form_amount, true, &amount),
        ]);
        let opened = form.values();
        Ok(PeriodForm { customer: customer.clone(), form, opened, message: None })
    }

    /// True when something was typed and not saved.
    pub fn has_typing(&self) -> bool {
        self.form.changed_since(&self.opened)
    }

    pub fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    /// Enter or the form's save key saves; Esc or its cancel key closes.
    pub fn key(&mut self, ctx: &mut Ctx, key: &KeyEvent) -> Outcome {
        if key.code == KeyCode::Enter {
            return self.save(ctx);
        }
        match self.form.on_key(&ctx.keymap, key) {
            FormKey::Save => self.save(ctx),
            FormKey::Cancel => Outcome::Closed,
            FormKey::Edited => {
                let focused = self.form.focused_key().to_string();
                self.form.set_error(&focused, None);
                self.message = None;
                Outcome::Open
            }
            FormKey::Other => Outcome::Open,
        }
    }

    /// Checks the fields, then writes the total in one transaction.
    fn save(&mut self, ctx: &mut Ctx) -> Outcome {
        self.form.clear_errors();
        self.message = None;
        let lang = ctx.lang;
        let t = ctx.t();
        let today = Month::of(ctx.today());
        let period = match Period::parse(&self.form.value(PERIOD)) {
            Ok(p) if p.len() < 2 || !p.in_one_year() => Err(fill(t.err_period_shape, &[&period_label(lang, p)])),
            Ok(p) if p.last() > today => Err(fill(t.import_err_future_month, &[&p.last()])),
            Ok(p) => Ok(p),
            Err(PeriodError::Empty) => Err(field_error_text(lang, &FieldError::Required)),
            Err(PeriodError::Month(why)) => Err(fill(t.period_form_bad_month, &[&month_error_text(lang, why)])),
            Err(PeriodError::Backwards) => Err(t.period_form_backwards.to_string()),
            Err(PeriodError::Unreadable) => Err(t.period_form_bad_period.to_string()),
        };
        let line = self.form.value(LINE).parse::<i64>().map_err(|_| field_error_text(lang, &FieldError::Required));
        let amount = match self.form.value(AMOUNT).trim() {
            "" => Err(field_error_text(lang, &FieldError::Required)),
            typed => parse_amount(typed).map_err(|e| field_error_text(lang, &FieldError::Amount(e))),
        };
        let (period, line, amount) = match (period, line, amount) {
            (Ok(p), Ok(l), Ok(a)) => (p, l, a),
            (p, l, a) => {
                for (key, result) in [(PERIOD, p.err()), (LINE, l.err()), (AMOUNT, a.err())] {
                    self.form.set_error(key, result);
                }
                self.form.focus_first_error();
                return Outcome::Open;
            }
        };
        let entry = PeriodEntry { customer_id: self.customer.clone(), period, service_line_id: line, amount };
        let actor = ctx.actor();
        match ctx.store.write(|tx| write_period_entries_in(tx, &actor, std::slice::from_ref(&entry))) {
            Ok(_) => Outcome::Saved(SavedTotal { period, line, amount }),
            Err(e) => {
                // A double count is about the period typed: marked there, told in
                // full below the fields; the form stays as typed.
                if let DbError::Invalid(Invalid::DoubleCount { .. } | Invalid::PeriodOverlap { .. }) = e {
                    self.form.set_error(PERIOD, Some(t.period_form_double_count.to_string()));
                    self.form.focus_first_error();
                }
                self.message = Some(ctx.describe(&e));
                Outcome::Open
            }
        }
    }

    /// The status-bar message after a save.
    pub fn saved_message(ctx: &Ctx, saved: &SavedTotal) -> String {
        let line = match ctx.reference.service_line(saved.line) {
            Some(l) => ctx.lang.pick((l.name_zh.as_str(), l.name_en.as_str())).to_string(),
            None => format!("#{}", saved.line),
        };
        let period = period_label(ctx.lang, saved.period);
        let amount = ctx.money_unit.format(saved.amount);
        fill(ctx.t().period_form_saved, &[&period, &line, &amount])
    }

    /// A panel across the bottom of `area` (the grid's latest months stay in
    /// view above it): title, the fields, why a save failed, and the keys.
    pub fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        if area.width < 12 || area.height < 3 {
            return;
        }
        let inner_w = usize::from(area.width - 2).max(1);
        let message_h = self
            .message
            .as_deref()
            .map_or(0, |m| if width(m) > inner_w { if width(m) > 2 * inner_w { 3 } else { 2 } } else { 1 });
        let notes = u16::try_from(self.form.fields.iter().filter(|fl| fl.error.is_some()).count()).unwrap_or(3);
        let want_h = 3 + notes + message_h + 1 + 2;
        let h = area.height.min(want_h);
        let boxed = Rect { y: area.y + area.height - h, height: h, ..area };
        f.render_widget(Clear, boxed);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.get(Slot::Border))
            .title(Span::styled(format!(" {} ", t.period_form_title), ctx.theme.get(Slot::Title)));
        let inner = block.inner(boxed);
        f.render_widget(block, boxed);
        if inner.height == 0 {
            return;
        }
        // The keys on the last row, and the message above them, while a field keeps a row.
        let hint_h = u16::from(inner.height >= 2);
        let message_h = message_h.min(inner.height.saturating_sub(hint_h + 1));
        let fields = Rect { height: inner.height - hint_h - message_h, ..inner };
        self.form.draw(f, fields, &ctx.theme);
        if let Some(message) = self.message.as_deref().filter(|_| message_h > 0) {
            let row = Rect { y: fields.y + fields.height, height: message_h, ..inner };
            let text = Paragraph::new(clean(message)).style(ctx.theme.get(Slot::Error)).wrap(Wrap { trim: false });
            f.render_widget(text, row);
        }
        if hint_h == 1 {
            let save = key_in(ctx, Command::Save).unwrap_or_else(|| "Enter".into());
            let cancel = key_in(ctx, Command::Cancel).unwrap_or_else(|| "Esc".into());
            let hint = fill(t.period_form_hint, &[&save, &cancel]);
            let row = Rect { y: inner.y + inner.height - 1, height: 1, ..inner };
            let line = Line::from(Span::styled(clean(&hint), ctx.theme.get(Slot::Muted)));
            f.render_widget(Paragraph::new(super::header::truncate_line(line, row.width as usize)), row);
        }
    }
}

fn key_in(ctx: &Ctx, cmd: Command) -> Option<String> {
    let (keys, _) = ctx.keymap.bindings(Mode::Form).into_iter().find(|(_, c)| *c == cmd)?;
    keys.split(' ').next().map(str::to_string)
}

/// An amount as typed back into the input: yuan, two decimals, no separators.
fn plain_yuan(m: Money) -> String {
    let mut d = m.yuan().round_dp(2);
    d.rescale(2);
    d.to_string()
}

trait KeyText {
    fn key_text(self) -> String;
}

impl KeyText for Period {
    /// `2002-01..2002-10`: the form a user can type back.
    fn key_text(self) -> String {
        format!("{}..{}", self.first(), self.last())
    }
}
