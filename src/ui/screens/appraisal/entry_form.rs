//! The supervisor's two small forms on the month end: an entered item (kind,
//! times or rank, points where the kind takes them, the reason) and a
//! manager's terms (fixed-performance base, the month's task, the monthly
//! standard, from a month on). A failed save keeps the form, the reason
//! under the field or below the fields.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use rust_decimal::Decimal;

use crate::ctx::Ctx;
use crate::db::appraisal::NewEntry;
use crate::domain::appraisal::entries::{EntryKind, Post, Terms};
use crate::domain::money::parse_amount;
use crate::domain::revenue::Month;
use crate::domain::validate::FieldError;
use crate::i18n::{entry_kind_label, fill, post_label};
use crate::review::appraisal::ManagerMonth;
use crate::theme::Slot;
use crate::ui::field_error_text;
use crate::ui::widgets::form::{Form, FormField, FormKey};

const KIND: &str = "kind";
const COUNT: &str = "count";
const POINTS: &str = "points";
const REASON: &str = "reason";
const BASE: &str = "fixed_base";
const TASK: &str = "task";
const STANDARD: &str = "standard";
const FROM: &str = "from";
const AMOUNT: &str = "amount";
const POST: &str = "post";
const RATIO: &str = "accrual_ratio";

/// Longest reason kept (a sentence or two, with dates and names).
const MAX_REASON: usize = 200;

pub enum FormOutcome {
    Open,
    Closed,
    /// Saved: the message to show.
    Saved(String),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Entry,
    Terms,
}

#[derive(Debug, Clone)]
pub struct EntryForm {
    kind: Kind,
    staff_id: i64,
    name: String,
    month: Month,
    form: Form,
    opened: Vec<String>,
    message: Option<String>,
}

impl EntryForm {
    /// An item to enter for `sheet`'s manager and month.
    pub fn entry(ctx: &Ctx, sheet: &ManagerMonth) -> EntryForm {
        let t = ctx.t();
        let kinds = EntryKind::ALL
            .iter()
            .map(|k| (k.code().to_string(), ctx.lang.pick(entry_kind_label(*k)).to_string()))
            .collect();
        let form = Form::new(vec![
            FormField::pick(KIND, t.appraisal_form_kind, true, kinds, EntryKind::MeetingAbsence.code()),
            FormField::text(COUNT, t.appraisal_form_count, true, "1"),
            FormField::text(POINTS, t.appraisal_form_points, false, ""),
            FormField::text(REASON, t.appraisal_form_reason, true, ""),
        ]);
        EntryForm::with(Kind::Entry, sheet, form)
    }

    /// The manager's terms from the sheet's month on, filled with those in force.
    pub fn terms(ctx: &Ctx, sheet: &ManagerMonth) -> EntryForm {
        let t = ctx.t();
        let plain = |m: crate::domain::money::Money| {
            if m.yuan().is_zero() { String::new() } else { format!("{:.2}", m.yuan()) }
        };
        let posts =
            Post::ALL.iter().map(|p| (p.code().to_string(), ctx.lang.pick(post_label(*p)).to_string())).collect();
        let ratio = if sheet.terms.accrual_ratio.is_zero() {
            String::new()
        } else {
            (sheet.terms.accrual_ratio * Decimal::ONE_HUNDRED).normalize().to_string()
        };
        let form = Form::new(vec![
            FormField::pick(POST, t.appraisal_form_post, true, posts, sheet.terms.post.code()),
            FormField::text(BASE, t.appraisal_form_base, true, &plain(sheet.terms.fixed_base)),
            FormField::text(TASK, t.appraisal_form_task, true, &plain(sheet.terms.task)),
            FormField::text(STANDARD, t.appraisal_form_standard, true, &plain(sheet.terms.monthly_standard)),
            FormField::text(RATIO, t.appraisal_form_ratio, false, &ratio),
            FormField::text(FROM, t.appraisal_form_from, true, &sheet.month.to_string()),
        ]);
        EntryForm::with(Kind::Terms, sheet, form)
    }

    fn with(kind: Kind, sheet: &ManagerMonth, form: Form) -> EntryForm {
        let opened = form.values();
        EntryForm {
            kind,
            staff_id: sheet.staff_id,
            name: sheet.name.clone(),
            month: sheet.month,
            form,
            opened,
            message: None,
        }
    }

    pub fn has_typing(&self) -> bool {
        self.form.changed_since(&self.opened)
    }

    pub fn paste(&mut self, text: &str) {
        self.form.paste(text);
    }

    pub fn key(&mut self, ctx: &mut Ctx, key: &KeyEvent) -> FormOutcome {
        // Enter saves from any field, the item's pick too (as the hint says):
        // what is missing is then named under its field.
        if key.code == KeyCode::Enter {
            return self.save(ctx);
        }
        match self.form.on_key(&ctx.keymap, key) {
            FormKey::Save => self.save(ctx),
            FormKey::Cancel => FormOutcome::Closed,
            FormKey::Edited => {
                let focused = self.form.focused_key().to_string();
                self.form.set_error(&focused, None);
                self.message = None;
                FormOutcome::Open
            }
            FormKey::Other => FormOutcome::Open,
        }
    }

    fn fail(&mut self, errors: &[(&str, Option<String>)]) -> FormOutcome {
        for (key, error) in errors {
            self.form.set_error(key, error.clone());
        }
        self.form.focus_first_error();
        FormOutcome::Open
    }

    fn save(&mut self, ctx: &mut Ctx) -> FormOutcome {
        self.form.clear_errors();
        self.message = None;
        match self.kind {
            Kind::Entry => self.save_entry(ctx),
            Kind::Terms => self.save_terms(ctx),
        }
    }

    fn save_entry(&mut self, ctx: &mut Ctx) -> FormOutcome {
        let lang = ctx.lang;
        let t = ctx.t();
        let kind = EntryKind::from_code(&self.form.value(KIND));
        let count = self.form.value(COUNT).trim().parse::<u32>().ok().filter(|n| *n > 0 && *n <= 31);
        let count = match (kind, count) {
            (_, None) => Err(t.appraisal_form_bad_count.to_string()),
            (Some(k), Some(n)) if k.is_rank() && n > 3 => Err(t.appraisal_form_bad_rank.to_string()),
            (_, Some(n)) => Ok(n),
        };
        let typed = self.form.value(POINTS);
        let points = match typed.trim() {
            "" => Ok(None),
            p => p
                .parse::<Decimal>()
                .ok()
                .filter(|d| *d >= Decimal::ZERO && *d <= Decimal::from(100))
                .map(Some)
                .ok_or_else(|| t.appraisal_form_bad_points.to_string()),
        };
        let points = match (kind, points) {
            (Some(EntryKind::BonusOther), Ok(None)) => Err(field_error_text(lang, &FieldError::Required)),
            (Some(k), Ok(None)) if k.is_rank() && count.as_ref().is_ok_and(|n| *n >= 3) => {
                Err(field_error_text(lang, &FieldError::Required))
            }
            (Some(k), Ok(None)) if k.planner_points() => Err(field_error_text(lang, &FieldError::Required)),
            (Some(k), Ok(Some(_))) if !k.takes_points() => Err(t.appraisal_form_no_points.to_string()),
            (_, p) => p,
        };
        let reason = crate::domain::validate::sanitize_text(self.form.value(REASON).trim());
        let reason = if reason.is_empty() {
            Err(field_error_text(lang, &FieldError::Required))
        } else if reason.chars().count() > MAX_REASON {
            Err(fill(t.appraisal_form_reason_long, &[&MAX_REASON]))
        } else {
            Ok(reason)
        };
        let amount = match (kind, self.form.value(AMOUNT).trim()) {
            (Some(EntryKind::PlannedProject), "") => Err(field_error_text(lang, &FieldError::Required)),
            (Some(EntryKind::PlannedProject), typed) => {
                parse_amount(typed).map(Some).map_err(|e| field_error_text(lang, &FieldError::Amount(e)))
            }
            (_, "") => Ok(None),
            (_, _) => Err(t.appraisal_form_no_amount.to_string()),
        };
        let (Some(kind), Ok(count), Ok(points), Ok(amount), Ok(reason)) = (kind, &count, &points, &amount, &reason)
        else {
            return self.fail(&[
                (COUNT, count.err()),
                (POINTS, points.err()),
                (AMOUNT, amount.err()),
                (REASON, reason.err()),
            ]);
        };
        let entry = NewEntry {
            staff_id: self.staff_id,
            month: self.month,
            kind,
            count: *count,
            points: *points,
            amount: *amount,
            reason: reason.clone(),
        };
        let actor = ctx.actor();
        match crate::db::appraisal::add_entry(&mut ctx.store, &actor, &entry) {
            Ok(_) => {
                FormOutcome::Saved(fill(t.appraisal_entry_saved, &[&lang.pick(entry_kind_label(kind)), &self.name]))
            }
            Err(e) => {
                self.message = Some(ctx.describe(&e));
                FormOutcome::Open
            }
        }
    }

    fn save_terms(&mut self, ctx: &mut Ctx) -> FormOutcome {
        let lang = ctx.lang;
        let t = ctx.t();
        let amount = |typed: String| match typed.trim() {
            "" => Err(field_error_text(lang, &FieldError::Required)),
            typed => parse_amount(typed).map_err(|e| field_error_text(lang, &FieldError::Amount(e))),
        };
        let (base, task, standard) =
            (amount(self.form.value(BASE)), amount(self.form.value(TASK)), amount(self.form.value(STANDARD)));
        let from = Month::parse(self.form.value(FROM).trim())
            .map_err(|why| crate::ui::month_error_text(lang, why).to_string())
            .and_then(|m| if m > self.month.next() { Err(t.appraisal_form_from_later.to_string()) } else { Ok(m) });
        let (Ok(fixed_base), Ok(task), Ok(monthly_standard), Ok(from)) = (&base, &task, &standard, &from) else {
            return self.fail(&[
                (BASE, base.err()),
                (TASK, task.err()),
                (STANDARD, standard.err()),
                (FROM, from.err()),
            ]);
        };
        let post = Post::from_code(&self.form.value(POST)).unwrap_or_default();
        let ratio = match self.form.value(RATIO).trim().trim_end_matches('%') {
            "" => Ok(Decimal::ZERO),
            typed => typed
                .parse::<Decimal>()
                .ok()
                .filter(|p| *p >= Decimal::ZERO && *p <= Decimal::ONE_HUNDRED)
                .map(|p| p / Decimal::ONE_HUNDRED)
                .ok_or_else(|| t.appraisal_form_bad_ratio.to_string()),
        };
        let accrual_ratio = match ratio {
            Ok(r) => r,
            Err(e) => return self.fail(&[(RATIO, Some(e))]),
        };
        let terms =
            Terms { fixed_base: *fixed_base, task: *task, monthly_standard: *monthly_standard, post, accrual_ratio };
        let actor = ctx.actor();
        match crate::db::appraisal::set_terms(&mut ctx.store, &actor, self.staff_id, *from, &terms) {
            Ok(()) => FormOutcome::Saved(fill(t.appraisal_terms_saved, &[&self.name, from])),
            Err(e) => {
                self.message = Some(ctx.describe(&e));
                FormOutcome::Open
            }
        }
    }

    /// A panel across the bottom of `area`: title, fields, why a save failed, keys.
    pub fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        if area.width < 20 || area.height < 5 {
            return;
        }
        let notes = u16::try_from(self.form.fields.iter().filter(|fl| fl.error.is_some()).count()).unwrap_or(4);
        let message_h = u16::from(self.message.is_some()) * 2;
        let fields = u16::try_from(self.form.fields.len()).unwrap_or(4);
        let h = area.height.min(fields + notes + message_h + 1 + 2);
        let boxed = Rect { y: area.y + area.height - h, height: h, ..area };
        f.render_widget(Clear, boxed);
        let title = match self.kind {
            Kind::Entry => fill(t.appraisal_form_entry_title, &[&self.name, &self.month]),
            Kind::Terms => fill(t.appraisal_form_terms_title, &[&self.name]),
        };
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(ctx.theme.get(Slot::Border))
            .title(Span::styled(format!(" {title} "), ctx.theme.get(Slot::Title)));
        let inner = block.inner(boxed);
        f.render_widget(block, boxed);
        let hint_h = u16::from(inner.height >= 2);
        let message_h = message_h.min(inner.height.saturating_sub(hint_h + 1));
        let form_h = inner.height.saturating_sub(hint_h + message_h);
        self.form.draw(f, Rect { height: form_h, ..inner }, &ctx.theme);
        if let Some(message) = &self.message {
            let r = Rect { y: inner.y + form_h, height: message_h, ..inner };
            f.render_widget(
                Paragraph::new(Line::from(Span::styled(message.clone(), ctx.theme.get(Slot::Error))))
                    .wrap(Wrap { trim: true }),
                r,
            );
        }
        if hint_h > 0 {
            let r = Rect { y: inner.y + inner.height - 1, height: 1, ..inner };
            f.render_widget(Paragraph::new(Span::styled(t.appraisal_form_hint, ctx.theme.get(Slot::Muted))), r);
        }
    }
}
