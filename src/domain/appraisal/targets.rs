//! The bureau's yearly targets for the goal indicators (SPEC §15: "each year
//! the bureau sets a target per unit for each indicator"): how each target is
//! written, and whether a figure meets it. Pure: the store keeps the targets
//! as decimal text, the screens and `kam goals` show them.
//!
//! - 用邮收入比重: the target is "a rise in points" (SPEC) over the share of
//!   the same months a year earlier: `1.5` is met by 20.63% against 19.00%.
//! - 开辟率, 巩固率, 档案资料完整率, 限时服务达标率: a rate, typed in percent
//!   (`95` or `95%`), kept as the ratio (0.95).
//! - 年度新增大客户: a count.
//! - 计划进度: the target is the yearly plan itself, in yuan (`1200万`); the
//!   progress divides by it, and is on target when it keeps pace with the
//!   year (序时进度: by October, 10/12 of the plan).

use std::str::FromStr;

use rust_decimal::Decimal;

use super::goals::{GoalIndicator, Indicator, share_rise_points};
use crate::domain::money::{AmountError, Money, parse_amount, to_halfwidth};
use crate::domain::revenue::Month;

/// How an indicator's target is written and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetKind {
    /// A rise in percentage points of a share over a year earlier.
    Points,
    /// A rate: the ratio the indicator must reach, typed in percent.
    Rate,
    /// A whole number the count must reach.
    Count,
    /// The yearly plan in yuan.
    Amount,
}

/// The kind of target each indicator has.
pub fn target_kind(indicator: GoalIndicator) -> TargetKind {
    match indicator {
        GoalIndicator::RevenueShare => TargetKind::Points,
        GoalIndicator::NewKeyCustomers => TargetKind::Count,
        GoalIndicator::PlanProgress => TargetKind::Amount,
        GoalIndicator::DevelopmentRate
        | GoalIndicator::RetentionRate
        | GoalIndicator::DossierCompleteness
        | GoalIndicator::ServiceMetRate => TargetKind::Rate,
    }
}

/// Why a typed (or stored) target cannot be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TargetError {
    #[error("no target given")]
    Empty,
    #[error("the target is not a number")]
    NotANumber,
    /// A rate is a percentage of 0 to 100.
    #[error("a rate is between 0% and 100%")]
    RateRange,
    /// A rise in points lies between −100 and 100.
    #[error("a rise in points is between -100 and 100")]
    PointsRange,
    /// A count is a whole number, 0 or more.
    #[error("a count is a whole number, 0 or more")]
    NotACount,
    /// The yearly plan is an amount in yuan above zero.
    #[error("the yearly plan is an amount above zero")]
    PlanZero,
    #[error("{0}")]
    Amount(AmountError),
}

/// Reads a target as typed: `95`, `95%`, `９５％` for a rate; `1.5`, `+1.5`,
/// `-0.5` for points; `3` for a count; `1200万`, `12000000` for the plan.
/// Gives the value as stored ([`check_target`] holds for it).
pub fn parse_target(indicator: GoalIndicator, text: &str) -> Result<Decimal, TargetError> {
    let halfwidth = |c| match c {
        '％' => '%',
        '＋' => '+',
        c => to_halfwidth(c),
    };
    let typed: String = text.chars().map(halfwidth).collect();
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(TargetError::Empty);
    }
    let number = |s: &str| Decimal::from_str(s.trim()).map_err(|_| TargetError::NotANumber);
    let value = match target_kind(indicator) {
        TargetKind::Amount => parse_amount(typed).map_err(TargetError::Amount)?.yuan(),
        TargetKind::Rate => number(typed.strip_suffix('%').unwrap_or(typed))? / Decimal::ONE_HUNDRED,
        TargetKind::Points => number(typed.strip_prefix('+').unwrap_or(typed))?,
        TargetKind::Count => number(typed)?,
    };
    check_target(indicator, value)?;
    Ok(value.normalize())
}

/// Whether `value` (as stored) can be the target of `indicator`.
pub fn check_target(indicator: GoalIndicator, value: Decimal) -> Result<(), TargetError> {
    match target_kind(indicator) {
        TargetKind::Rate if value < Decimal::ZERO || value > Decimal::ONE => Err(TargetError::RateRange),
        TargetKind::Points if value.abs() > Decimal::ONE_HUNDRED => Err(TargetError::PointsRange),
        TargetKind::Count if value < Decimal::ZERO || !value.fract().is_zero() => Err(TargetError::NotACount),
        TargetKind::Count if value > Decimal::from(u32::MAX) => Err(TargetError::NotACount),
        TargetKind::Amount if value <= Decimal::ZERO => Err(TargetError::PlanZero),
        TargetKind::Amount if value.round_dp(2) != value => Err(TargetError::Amount(AmountError::TooManyDecimals)),
        _ => Ok(()),
    }
}

/// The text a target form starts from: what [`parse_target`] reads back as
/// the same value (`95` for 0.95, `1.5`, `3`, `12000000`).
pub fn edit_text(indicator: GoalIndicator, value: Decimal) -> String {
    match target_kind(indicator) {
        TargetKind::Rate => (value * Decimal::ONE_HUNDRED).normalize().to_string(),
        _ => value.normalize().to_string(),
    }
}

/// The yearly plan a plan-progress target gives (zero without one: the
/// progress then has no value).
pub fn yearly_plan(target: Option<Decimal>) -> Money {
    Money(target.unwrap_or(Decimal::ZERO))
}

/// 序时进度: the share of the year gone by the end of `month` (October: 10/12).
pub fn time_share(month: Month) -> Decimal {
    Decimal::from(month.month()) / Decimal::from(12)
}

/// What a figure is judged against besides its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetContext {
    /// The key customers' share of the unit's revenue a year earlier, when known.
    pub share_year_ago: Option<Decimal>,
    /// The period's last month (the plan's pace is the year's by then).
    pub last_month: Month,
}

/// Whether `figure` meets `target` (None when the figure, or the share a
/// year earlier that a rise needs, is not known).
pub fn meets(figure: &Indicator, target: Decimal, context: &TargetContext) -> Option<bool> {
    match figure.indicator {
        GoalIndicator::RevenueShare => {
            let rise = share_rise_points(figure.value?, context.share_year_ago?);
            Some(rise >= target)
        }
        // The plan is the target; the progress is on target at the year's pace.
        GoalIndicator::PlanProgress => Some(figure.value? >= time_share(context.last_month)),
        _ => figure.meets(target),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appraisal::goals::{GoalInputs, new_key_customers, plan_progress, revenue_share};

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn october() -> TargetContext {
        TargetContext { share_year_ago: Some(d("0.195")), last_month: Month::new(2003, 10).unwrap() }
    }

    #[test]
    fn targets_are_typed_as_offices_write_them() {
        assert_eq!(parse_target(GoalIndicator::RetentionRate, "95"), Ok(d("0.95")));
        assert_eq!(parse_target(GoalIndicator::RetentionRate, " ９５．５％ "), Ok(d("0.955")));
        assert_eq!(parse_target(GoalIndicator::DossierCompleteness, "100%"), Ok(Decimal::ONE));
        assert_eq!(parse_target(GoalIndicator::RevenueShare, "+1.5"), Ok(d("1.5")));
        assert_eq!(parse_target(GoalIndicator::RevenueShare, "-0.5"), Ok(d("-0.5")));
        assert_eq!(parse_target(GoalIndicator::NewKeyCustomers, "3"), Ok(d("3")));
        assert_eq!(parse_target(GoalIndicator::PlanProgress, "1200万"), Ok(d("12000000")));
        assert_eq!(parse_target(GoalIndicator::PlanProgress, "1,000.50"), Ok(d("1000.5")));
    }

    #[test]
    fn targets_out_of_their_range_are_refused() {
        assert_eq!(parse_target(GoalIndicator::RetentionRate, ""), Err(TargetError::Empty));
        assert_eq!(parse_target(GoalIndicator::RetentionRate, "九十"), Err(TargetError::NotANumber));
        assert_eq!(parse_target(GoalIndicator::RetentionRate, "101"), Err(TargetError::RateRange));
        assert_eq!(parse_target(GoalIndicator::ServiceMetRate, "-1%"), Err(TargetError::RateRange));
        assert_eq!(parse_target(GoalIndicator::RevenueShare, "101"), Err(TargetError::PointsRange));
        assert_eq!(parse_target(GoalIndicator::NewKeyCustomers, "2.5"), Err(TargetError::NotACount));
        assert_eq!(parse_target(GoalIndicator::NewKeyCustomers, "-3"), Err(TargetError::NotACount));
        assert_eq!(parse_target(GoalIndicator::PlanProgress, "0"), Err(TargetError::PlanZero));
        assert_eq!(parse_target(GoalIndicator::PlanProgress, "-5"), Err(TargetError::Amount(AmountError::Negative)));
        assert_eq!(
            check_target(GoalIndicator::PlanProgress, d("1.001")),
            Err(TargetError::Amount(AmountError::TooManyDecimals))
        );
    }

    #[test]
    fn the_form_starts_from_text_that_reads_back_the_same() {
        for (indicator, value) in [
            (GoalIndicator::RetentionRate, d("0.955")),
            (GoalIndicator::RevenueShare, d("-0.5")),
            (GoalIndicator::NewKeyCustomers, d("3")),
            (GoalIndicator::PlanProgress, d("12000000")),
        ] {
            assert_eq!(parse_target(indicator, &edit_text(indicator, value)), Ok(value), "{indicator:?}");
        }
        assert_eq!(edit_text(GoalIndicator::RetentionRate, d("0.95")), "95");
    }

    /// SPEC §15's figures: 9 customers bring 20.63% (a year earlier 19.50%:
    /// a rise of 1.13 points); 3 of the 9 are new; the plan is 79.3% done by
    /// October, behind the year's pace of 10/12.
    #[test]
    fn the_seeds_figures_against_their_targets() {
        let inputs = GoalInputs {
            key_revenue: Money(d("206.3")),
            unit_revenue: Money(d("1000")),
            new_key_customers: 3,
            key_customers_now: 9,
            revenue_to_date: Money(d("793")),
            yearly_plan: yearly_plan(Some(d("1000"))),
            ..GoalInputs::default()
        };
        let share = revenue_share(&inputs);
        assert_eq!(meets(&share, d("1"), &october()), Some(true));
        assert_eq!(meets(&share, d("1.2"), &october()), Some(false));
        let no_base = TargetContext { share_year_ago: None, ..october() };
        assert_eq!(meets(&share, d("1"), &no_base), None, "no rise without last year's share");
        let new = new_key_customers(&inputs);
        assert_eq!(meets(&new, d("3"), &october()), Some(true));
        assert_eq!(meets(&new, d("4"), &october()), Some(false));
        let plan = plan_progress(&inputs);
        assert_eq!(plan.value, Some(d("0.793")));
        assert_eq!(meets(&plan, d("1000"), &october()), Some(false), "behind 83.33%");
        let september = TargetContext { last_month: Month::new(2003, 9).unwrap(), ..october() };
        assert_eq!(meets(&plan, d("1000"), &september), Some(true), "ahead of 75%");
        assert_eq!(time_share(Month::new(2003, 12).unwrap()), Decimal::ONE);
    }
}
