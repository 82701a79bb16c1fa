//! Screens and the widgets they share.

pub mod gate;
pub mod screens;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::app::Ctx;
use crate::domain::id::IdError;
use crate::domain::money::AmountError;
use crate::domain::staff::Refusal;
use crate::domain::validate::FieldError;
use crate::i18n::Lang;
use crate::msg::{Action, Msg};

/// A screen owns its state, turns messages into actions and draws itself.
pub trait Screen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action>;
    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx);
    /// Key-binding modes whose keys the help overlay lists for this screen.
    fn key_modes(&self) -> &'static [&'static str];
    /// Called when the screen above closed: reload what may have changed.
    fn resume(&mut self, _ctx: &mut Ctx) {}
    /// True while the user types text: single-letter global keys are text then.
    fn is_typing(&self) -> bool {
        false
    }
    /// True when leaving now would lose text the user typed: Ctrl-C asks first.
    fn unsaved(&self) -> bool {
        false
    }
}

/// Below this the screens cannot lay out; a notice is drawn instead of a panic.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 10;

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

pub fn draw_too_small(f: &mut Frame, area: Rect, ctx: &Ctx) {
    let text = format!("{} ({}×{})", ctx.t().too_small, area.width, area.height);
    f.render_widget(Paragraph::new(Line::from(text)).style(ctx.theme.get("warning")), area);
}

pub fn refusal_text(lang: Lang, r: &Refusal) -> String {
    let t = lang.text();
    match r {
        Refusal::NotYourCustomer => t.refusal_not_yours.into(),
        Refusal::SupervisorOnly => t.refusal_supervisor.into(),
        Refusal::ReadOnlyRole => t.refusal_read_only.into(),
        Refusal::RecordsKeeperOnly => t.refusal_records_keeper.into(),
        Refusal::AdministratorOnly => t.refusal_admin.into(),
        Refusal::DecidedBy { unit } => crate::i18n::fill(t.refusal_decided_by, &[unit]),
    }
}

/// Why a complaint step was refused (SPEC §8), as the user reads it.
pub fn workflow_error_text(lang: Lang, e: crate::domain::complaint::WorkflowError) -> String {
    use crate::domain::complaint::WorkflowError;
    let t = lang.text();
    match e {
        WorkflowError::SatisfactionNotConfirmed => t.workflow_not_confirmed.into(),
        WorkflowError::CustomerUnsatisfied => t.workflow_unsatisfied.into(),
        WorkflowError::ReasonRequired => t.workflow_reason.into(),
        WorkflowError::PhoneContactFirst => t.workflow_phone_first.into(),
        WorkflowError::TeamRequired => t.workflow_team.into(),
        WorkflowError::NotAllowed { from, .. } => {
            crate::i18n::fill(t.workflow_not_allowed, &[&lang.pick(crate::i18n::complaint_state_label(from))])
        }
    }
}

/// Why a text is not one month, as the user reads it after the text itself.
pub fn month_error_text(lang: Lang, e: crate::domain::revenue::MonthError) -> &'static str {
    use crate::domain::revenue::MonthError;
    let t = lang.text();
    match e {
        MonthError::Empty => t.month_why_empty,
        MonthError::Period => t.month_why_period,
        MonthError::Day => t.month_why_day,
        MonthError::NoSuchMonth => t.month_why_no_such,
        MonthError::Unreadable => t.month_why_unreadable,
    }
}

/// A field validation error as the user reads it, next to the field.
pub fn field_error_text(lang: Lang, e: &FieldError) -> String {
    let t = lang.text();
    match e {
        FieldError::Required => t.err_required.into(),
        FieldError::PostalCode => t.err_postal_code.into(),
        FieldError::Phone => t.err_phone.into(),
        FieldError::Email => t.err_email.into(),
        FieldError::Amount(AmountError::Negative) => t.err_amount_negative.into(),
        FieldError::Amount(AmountError::TooManyDecimals) => t.err_amount_decimals.into(),
        FieldError::Amount(AmountError::TooLarge) => t.err_amount_large.into(),
        FieldError::Amount(_) => t.err_amount.into(),
        FieldError::Date => t.err_date.into(),
        FieldError::Count => t.err_count.into(),
        FieldError::TooLong { max } => crate::i18n::fill(t.err_too_long, &[max]),
        FieldError::NotInList => t.err_not_in_list.into(),
        FieldError::InFuture => t.err_in_future.into(),
        FieldError::BeforeRecord { record } => crate::i18n::fill(t.err_before_record, &[record]),
    }
}

/// Why a date is worth a second look, shown at its field.
pub fn unusual_text(lang: Lang, u: crate::domain::validate::Unusual) -> &'static str {
    use crate::domain::validate::Unusual;
    let t = lang.text();
    match u {
        Unusual::InPast => t.unusual_in_past,
        Unusual::FarAhead => t.unusual_far_ahead,
        Unusual::LongAgo => t.unusual_long_ago,
    }
}

pub fn id_error_text(lang: Lang, e: &IdError) -> String {
    let t = lang.text();
    match e {
        IdError::DivisionFull | IdError::BranchesFull => t.err_id_full.into(),
        IdError::BadDivision => t.err_division.into(),
        IdError::WrongLength { expected: 6, .. } => t.err_division.into(),
        _ => t.err_id.into(),
    }
}
