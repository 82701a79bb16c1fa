//! Screens and the widgets they share.

pub mod gate;
pub mod screens;
pub mod widgets;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::ctx::Ctx;
use crate::db::{DbError, Invalid, StorageFault};
use crate::domain::complaint::WorkflowError;
use crate::domain::id::IdError;
use crate::domain::money::AmountError;
use crate::domain::recurrence::RecurrenceError;
use crate::domain::staff::Refusal;
use crate::domain::validate::FieldError;
use crate::domain::visit::{VisitState, VisitStatus};
use crate::i18n::{Lang, Text, complaint_state_label, field_label, fill, transition_label, visit_status_label};
use crate::keymap::Mode;
use crate::msg::{Action, Msg};
use crate::theme::Slot;
use crate::theme::Theme;

/// A screen owns its state, turns messages into actions and draws itself.
pub trait Screen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action>;
    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx);
    /// Key-binding modes whose keys the help overlay lists for this screen.
    fn key_modes(&self) -> &'static [Mode];
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

pub fn draw_too_small(f: &mut Frame, area: Rect, theme: &Theme, t: &Text) {
    let text = format!("{} ({}×{})", t.too_small, area.width, area.height);
    f.render_widget(Paragraph::new(Line::from(text)).style(theme.get(Slot::Warning)), area);
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
        Refusal::NotYourComplaint { unit } => crate::i18n::fill(t.refusal_not_your_complaint, &[unit]),
        Refusal::NotYourRequest { unit } => crate::i18n::fill(t.refusal_not_your_request, &[unit]),
        Refusal::ApprovalStep { role, unit } => {
            crate::i18n::fill(t.refusal_approval_step, &[unit, &lang.pick(crate::i18n::role_label(*role))])
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

/// A storage or rule error as the user reads it, in their language: every
/// variant in words, never the error's English `Display`.
pub fn db_error_text(lang: Lang, err: &DbError) -> String {
    let t = lang.text();
    match err {
        e if e.is_busy() => t.err_busy.into(),
        DbError::NotFound => t.err_not_found.into(),
        DbError::Refused(r) => fill(t.refused, &[&refusal_text(lang, r)]),
        DbError::Conflict(c) if c.changed_by.is_empty() => t.err_conflict_someone.into(),
        DbError::Conflict(c) => fill(t.err_conflict, &[&c.changed_by, &c.changed_at]),
        DbError::Invalid(Invalid::Required(key)) => fill(t.err_field_required, &[&lang.pick(field_label(key))]),
        DbError::Invalid(Invalid::VisitNotPlanned(state)) => {
            let status = match state {
                VisitState::Planned => VisitStatus::Planned,
                VisitState::Done => VisitStatus::Done,
                VisitState::Cancelled => VisitStatus::Cancelled,
            };
            fill(t.err_visit_not_planned, &[&lang.pick(visit_status_label(status))])
        }
        DbError::Invalid(Invalid::Constraint(_)) => t.err_constraint.into(),
        DbError::Invalid(Invalid::ReportSubmitted) => t.err_report_submitted.into(),
        DbError::Invalid(Invalid::ReportChanged) => t.err_report_changed.into(),
        DbError::Invalid(Invalid::PartTooLong(column)) => {
            fill(t.err_part_too_long, &[&written_part_title(lang, column)])
        }
        DbError::Invalid(Invalid::Appraisal(p)) => appraisal_problem_text(lang, p),
        DbError::Invalid(Invalid::Request(p)) => request_problem_text(lang, p),
        DbError::Invalid(Invalid::Contract(e)) => contract_error_text(lang, e),
        DbError::Invalid(Invalid::UnknownField(_) | Invalid::Demo(_)) => t.err_internal.into(),
        DbError::Invalid(Invalid::PeriodShape(p)) => fill(t.err_period_shape, &[&crate::i18n::period_label(lang, *p)]),
        DbError::Invalid(Invalid::DoubleCount { customer, month, period }) => {
            fill(t.err_double_count, &[customer, month, &crate::i18n::period_label(lang, *period)])
        }
        DbError::Invalid(Invalid::PeriodOverlap { customer, period, other }) => fill(
            t.err_period_overlap,
            &[customer, &crate::i18n::period_label(lang, *period), &crate::i18n::period_label(lang, *other)],
        ),
        DbError::Invalid(Invalid::UnitDoubleCount { unit, month, period }) => {
            fill(t.err_unit_double_count, &[unit, month, &crate::i18n::period_label(lang, *period)])
        }
        DbError::Invalid(Invalid::UnitPeriodOverlap { unit, period, other }) => fill(
            t.err_unit_period_overlap,
            &[unit, &crate::i18n::period_label(lang, *period), &crate::i18n::period_label(lang, *other)],
        ),
        DbError::Invalid(Invalid::GoalTarget(e)) => target_error_text(lang, e),
        DbError::Invalid(Invalid::Plan(p)) => plan_problem_text(lang, *p),
        DbError::Invalid(Invalid::Pipeline(p)) => pipeline_problem_text(lang, *p),
        DbError::Workflow(e) => workflow_error_text(lang, e),
        DbError::Id(e) => id_error_text(lang, e),
        DbError::Sqlite(_) | DbError::Engine(_) => {
            fill(t.err_db, &[&fault_text(lang, err.fault().unwrap_or(StorageFault::Internal))])
        }
        DbError::Migration(e) => fill(t.err_migration, &[e]),
        DbError::SchemaTooNew { found, supported } => fill(t.err_schema_too_new, &[found, supported]),
        DbError::NotADatabase { path } => fill(t.err_not_a_database, &[path]),
        DbError::Open { path, reason } => fill(t.err_open, &[path, reason]),
        DbError::Tls { path, failure } => fill(t.err_open, &[path, &crate::i18n::tls_reason(lang, failure)]),
        DbError::Missing { path } => fill(t.start_no_database, &[path]),
        DbError::NotKam { path, why } => crate::i18n::not_kam_text(lang, path, why),
        DbError::Busy => t.err_busy.into(),
        DbError::SchemaAltered => t.warn_schema_altered.into(),
    }
}

/// Why an appraisal write was refused, in the user's language.
pub fn appraisal_problem_text(lang: Lang, p: &crate::db::appraisal::AppraisalProblem) -> String {
    use crate::db::appraisal::AppraisalProblem as P;
    use crate::domain::appraisal::settings::SettingsError;
    let t = lang.text();
    match p {
        P::MonthClosed { unit, month } => fill(t.appr_err_month_closed, &[unit, month]),
        P::MonthNotClosed { unit, month } => fill(t.appr_err_month_not_closed, &[unit, month]),
        P::ReasonRequired => t.appr_err_reason.into(),
        P::RulesExist(month) => fill(t.appr_err_rules_exist, &[month]),
        P::Rules(SettingsError::SheetNotHundred(total)) => fill(t.appr_err_sheet_total, &[total]),
        P::Rules(SettingsError::Negative(_)) => t.appr_err_rules_negative.into(),
        P::Rules(SettingsError::ConversionBands) => t.appr_err_conversion_bands.into(),
        P::Rules(SettingsError::LateBands) => t.appr_err_late_bands.into(),
        P::NotAManager(name) => fill(t.appr_err_not_manager, &[name]),
        P::RankOutOfRange => t.appr_err_rank.into(),
        P::PointsRequired => t.appr_err_points_required.into(),
        P::PointsNotAllowed => t.appr_err_points_not_allowed.into(),
        P::PointsNegative => t.appr_err_points_negative.into(),
        P::PointsOverCap(cap) => fill(t.appr_err_points_cap, &[cap]),
        P::EntryArchived => t.appr_err_entry_archived.into(),
        P::NegativeAmount => t.err_amount_negative.into(),
        P::PaidInFuture => t.appr_err_paid_future.into(),
        P::AmountRequired => t.appr_err_amount_required.into(),
        P::AmountNotAllowed => t.appr_err_amount_not_allowed.into(),
        P::AccrualRatio => t.appr_err_accrual_ratio.into(),
    }
}

/// Why a goal indicator's target cannot be one, as the user reads it at the form.
pub fn plan_problem_text(lang: Lang, p: crate::db::plans::PlanProblem) -> String {
    use crate::db::plans::PlanProblem;
    let t = lang.text();
    match p {
        PlanProblem::NoGoals => t.plan_err_goals,
        PlanProblem::NotEditable => t.plan_err_not_editable,
        PlanProblem::NotSubmitted => t.plan_err_not_submitted,
        PlanProblem::NoReason => t.plan_err_no_reason,
        PlanProblem::NotAPeriod => t.plan_err_period,
    }
    .into()
}

pub fn pipeline_problem_text(lang: Lang, p: crate::db::pipeline::PipelineProblem) -> String {
    use crate::db::pipeline::PipelineProblem;
    let t = lang.text();
    match p {
        PipelineProblem::NotRegistered => t.pipe_err_not_registered,
        PipelineProblem::AlreadyStarted => t.pipe_err_started,
        PipelineProblem::AlreadySigned => t.pipe_err_signed,
        PipelineProblem::NotInPipeline => t.pipe_err_not_in,
        PipelineProblem::LastStep => t.pipe_err_last_step,
        PipelineProblem::BadIndustry => t.pipe_err_industry,
    }
    .into()
}

pub fn target_error_text(lang: Lang, e: &crate::domain::appraisal::targets::TargetError) -> String {
    use crate::domain::appraisal::targets::TargetError;
    let t = lang.text();
    match e {
        TargetError::Empty => t.goals_err_empty.into(),
        TargetError::NotANumber => t.goals_err_number.into(),
        TargetError::RateRange => t.goals_err_rate.into(),
        TargetError::PointsRange => t.goals_err_points.into(),
        TargetError::NotACount => t.goals_err_count.into(),
        TargetError::PlanZero => t.goals_err_plan.into(),
        TargetError::Amount(a) => field_error_text(lang, &FieldError::Amount(*a)),
    }
}

/// Why a service request's step or setting was refused, in the user's language.
pub fn request_problem_text(lang: Lang, p: &crate::db::requests::RequestProblem) -> String {
    use crate::db::requests::RequestProblem as P;
    use crate::domain::request::RequestError as E;
    let t = lang.text();
    match p {
        P::Step(E::PhoneContactFirst) => t.req_err_phone_first.into(),
        P::Step(E::ResultRequired) => t.req_err_result.into(),
        P::Step(E::ReasonRequired) => t.req_err_reason.into(),
        P::Step(E::NotAllowed { from, step }) => fill(
            t.req_err_step,
            &[&lang.pick(crate::i18n::request_status_label(*from)), &lang.pick(crate::i18n::request_step_label(*step))],
        ),
        P::QuietDays(e) => fill(t.req_err_quiet_days, &[&crate::domain::request::MAX_QUIET_DAYS, &e.0]),
    }
}

/// Why a contract write was refused, in the user's language.
pub fn contract_error_text(lang: Lang, e: &crate::domain::contract::ContractError) -> String {
    use crate::domain::contract::{ChainError, ContractError as E};
    use crate::i18n::{contract_field_label, contract_status_label, tier_label};
    let t = lang.text();
    let status = |s| lang.pick(contract_status_label(s)).to_string();
    match e {
        E::NotDraft(s) => fill(t.err_contract_not_draft, &[&status(*s)]),
        E::NotInApproval(s) => fill(t.err_contract_not_in_approval, &[&status(*s)]),
        E::ChainIncomplete => t.err_contract_chain_incomplete.into(),
        E::ChainComplete => t.err_contract_chain_complete.into(),
        E::NotSigned(s) => fill(t.err_contract_not_signed, &[&status(*s)]),
        E::FilingNotRequired(tier) => fill(t.err_contract_no_filing, &[&lang.pick(tier_label(*tier))]),
        E::Ended => t.err_contract_ended.into(),
        E::ReasonRequired => t.err_contract_reason.into(),
        E::EndBeforeStart => t.err_contract_dates.into(),
        E::Missing(key) => fill(t.err_contract_missing, &[&contract_field_label(key).map_or(*key, |l| lang.pick(l))]),
        E::InFuture => t.err_contract_future.into(),
        E::FiledBeforeSigned => t.err_contract_filed_early.into(),
        E::SignedBeforeApproval => t.err_contract_signed_early.into(),
        E::NumberTaken(number) => fill(t.err_contract_number_taken, &[number]),
        E::AccessBureau => t.err_contract_access_bureau.into(),
        E::LogLink => t.err_contract_log_link.into(),
        E::NoCopies => t.err_contract_copies.into(),
        E::Chain(c) => {
            let why = match c {
                ChainError::Empty => t.err_chain_empty.to_string(),
                ChainError::TooLong => fill(t.err_chain_long, &[&crate::domain::contract::MAX_CHAIN_STEPS]),
                ChainError::Unnamed(n) => fill(t.err_chain_unnamed, &[n]),
                ChainError::Role(n) => fill(t.err_chain_role, &[n]),
            };
            fill(t.err_contract_chain, &[&why])
        }
    }
}

/// A written part of the analysis report, by its stored column, as its title reads.
pub fn written_part_title(lang: Lang, column: &str) -> String {
    use crate::domain::analysis_report::WrittenPart;
    let t = lang.text();
    match WrittenPart::ALL.into_iter().find(|p| p.column() == column) {
        Some(WrittenPart::Reasons) => format!("{} · {}", t.ar_part_overall, t.ar_reasons),
        Some(p) => part_title(lang, p.part()).to_string(),
        None => column.to_string(),
    }
}

/// The heading of one of the report's seven parts.
pub fn part_title(lang: Lang, part: crate::domain::analysis_report::ReportPart) -> &'static str {
    use crate::domain::analysis_report::ReportPart;
    let t = lang.text();
    match part {
        ReportPart::Overall => t.ar_part_overall,
        ReportPart::Tiers => t.ar_part_tiers,
        ReportPart::Competition => t.ar_part_competition,
        ReportPart::Fluctuations => t.ar_part_fluctuations,
        ReportPart::KeyCustomers => t.ar_part_key,
        ReportPart::Measures => t.ar_part_measures,
        ReportPart::Plan => t.ar_part_plan,
    }
}

/// What the storage engine said, by its fault.
fn fault_text(lang: Lang, fault: StorageFault) -> String {
    let t = lang.text();
    match fault {
        StorageFault::DiskFull => t.err_disk_full.into(),
        StorageFault::ReadOnly => t.err_read_only.into(),
        StorageFault::Damaged => t.err_damaged.into(),
        StorageFault::Io => t.err_io.into(),
        StorageFault::Constraint => t.err_constraint.into(),
        StorageFault::Code(code) => fill(t.err_db_code, &[&code]),
        StorageFault::Internal => t.err_internal.into(),
    }
}

/// Why a complaint cannot take a step.
pub fn workflow_error_text(lang: Lang, e: &WorkflowError) -> String {
    let t = lang.text();
    match e {
        WorkflowError::SatisfactionNotConfirmed => t.err_complaint_close.into(),
        WorkflowError::CustomerUnsatisfied => t.workflow_unsatisfied.into(),
        WorkflowError::ReasonRequired => t.workflow_reason.into(),
        WorkflowError::PhoneContactFirst => t.err_complaint_phone_first.into(),
        WorkflowError::TeamRequired => t.err_complaint_team.into(),
        WorkflowError::NotAllowed { from, transition } => fill(
            t.err_complaint_step,
            &[&lang.pick(complaint_state_label(*from)), &lang.pick(transition_label(*transition))],
        ),
    }
}

/// Why a repeat rule was refused.
pub fn recurrence_error_text(lang: Lang, e: &RecurrenceError) -> String {
    let t = lang.text();
    match e {
        RecurrenceError::ZeroInterval => t.err_recurrence_interval.into(),
        RecurrenceError::UntilBeforeFirst { first, until } => fill(t.err_recurrence_until, &[until, first]),
        RecurrenceError::TooManyOccurrences { max } => fill(t.err_recurrence_many, &[max]),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::complaint::{ComplaintState, Transition};

    /// Every storage, rule and repeat error reads as Chinese in the Chinese
    /// interface: no English sentence, no code.
    #[test]
    fn errors_are_told_in_the_users_language() {
        let errors = [
            DbError::Busy,
            DbError::NotFound,
            DbError::Invalid(Invalid::Required("cancel_reason")),
            DbError::Invalid(Invalid::Required("complainant")),
            DbError::Invalid(Invalid::Required("note")),
            DbError::Invalid(Invalid::VisitNotPlanned(VisitState::Done)),
            DbError::Invalid(Invalid::Constraint("FOREIGN KEY constraint failed".into())),
            DbError::Invalid(Invalid::UnknownField("nonsense".into())),
            DbError::Invalid(Invalid::ReportSubmitted),
            DbError::Invalid(Invalid::ReportChanged),
            DbError::Invalid(Invalid::PartTooLong("competition")),
            DbError::Invalid(Invalid::PartTooLong("reasons")),
            DbError::Invalid(Invalid::Appraisal(crate::db::appraisal::AppraisalProblem::MonthClosed {
                unit: "天河区分局".into(),
                month: crate::domain::revenue::Month::new(2026, 10).unwrap(),
            })),
            DbError::Invalid(Invalid::Appraisal(crate::db::appraisal::AppraisalProblem::ReasonRequired)),
            DbError::Invalid(Invalid::Appraisal(crate::db::appraisal::AppraisalProblem::Rules(
                crate::domain::appraisal::settings::SettingsError::Negative("commission rate"),
            ))),
            DbError::Workflow(WorkflowError::SatisfactionNotConfirmed),
            DbError::Workflow(WorkflowError::NotAllowed {
                from: ComplaintState::Received,
                transition: Transition::Close,
            }),
            DbError::Id(IdError::DivisionFull),
            DbError::Invalid(Invalid::Request(crate::db::requests::RequestProblem::Step(
                crate::domain::request::RequestError::PhoneContactFirst,
            ))),
            DbError::Invalid(Invalid::Request(crate::db::requests::RequestProblem::Step(
                crate::domain::request::RequestError::NotAllowed {
                    from: crate::domain::request::RequestStatus::Done,
                    step: crate::domain::request::RequestStep::Cancel,
                },
            ))),
            DbError::Invalid(Invalid::Request(crate::db::requests::RequestProblem::QuietDays(
                crate::domain::request::QuietDaysError(0),
            ))),
            DbError::Invalid(Invalid::Required("requester")),
            DbError::Invalid(Invalid::Required("special_reason")),
            DbError::Refused(Refusal::NotYourRequest { unit: "天河区分局".into() }),
            DbError::Conflict(Box::default()),
            DbError::SchemaTooNew { found: 9, supported: 5 },
        ];
        let english = |s: &str| s.split(|c: char| !c.is_ascii_alphabetic()).any(|w| w.len() > 1 && w != "kam");
        for e in &errors {
            let zh = db_error_text(Lang::Zh, e);
            assert!(!english(&zh), "{e:?}: {zh}");
            assert_ne!(zh, db_error_text(Lang::En, e), "{e:?}");
        }
        assert_eq!(db_error_text(Lang::Zh, &errors[2]), "取消原因:必填");
        let first = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let until = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        for e in [
            RecurrenceError::ZeroInterval,
            RecurrenceError::UntilBeforeFirst { first, until },
            RecurrenceError::TooManyOccurrences { max: 500 },
        ] {
            let zh = recurrence_error_text(Lang::Zh, &e);
            assert!(!english(&zh), "{e:?}: {zh}");
        }
        assert_eq!(
            recurrence_error_text(Lang::Zh, &RecurrenceError::UntilBeforeFirst { first, until }),
            "结束日期 2026-11-01 早于第一次拜访 2026-11-23"
        );
    }
}
