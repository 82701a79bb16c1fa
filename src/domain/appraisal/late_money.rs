//! 逾期核减 (SPEC §10.2): achievement counts in the month its revenue
//! appears; money still unpaid later costs the manager each month, by the
//! band of the oldest unpaid money (only the oldest band applies):
//!
//! | unpaid for (default)  | basic score | achievement points |
//! |---|---|---|
//! | over 3, up to 6 months | −10 | −30% of the month's achievement pay |
//! | over 6, up to 12       | −20 | −60% of the month's achievement pay |
//! | over 12                | −50 | −100% of the whole debt, carried over |
//!
//! Age: whole months from the month the revenue appeared to the month
//! appraised (January's revenue is 3 months old in April).
//!
//! The whole-debt charge is more than one month's achievement pay can
//! absorb, so what is left carries over ([`LateMoneyOutcome::carry_out`],
//! fed back next month as `carry_in`) until no money is older than 3
//! months; then the rest is dropped. The charge is not raised again on
//! top of what is still carried: a month owes the larger of the carry and
//! the whole debt as it stands, so the same debt is never charged twice.
//! Nothing deducted is paid back later.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::months_between;
use super::round_pay;
use super::settings::{LateBand, LateMoneyRules};
use crate::domain::money::Money;
use crate::domain::revenue::Month;

/// Revenue of one customer and line, counted as achievement in
/// `revenue_month`, of which `unpaid` is still owed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnpaidRevenue {
    pub customer: String,
    pub line: String,
    #[serde(with = "super::month_text")]
    pub revenue_month: Month,
    pub unpaid: Money,
}

/// The band that applies in a month, and the age that put it there.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LateBandHit {
    /// Position in [`LateMoneyRules::bands`].
    pub index: usize,
    pub band: LateBand,
    pub oldest_age_months: u32,
}

/// 逾期档次: the band for money unpaid for `age` whole months: the last band whose
/// threshold it passes.
pub fn band_for_age(rules: &LateMoneyRules, age: u32) -> Option<(usize, LateBand)> {
    rules.bands.iter().copied().enumerate().rev().find(|(_, band)| age > band.older_than_months)
}

/// 欠费月数: how long a debt has been unpaid in `month` (0 for revenue of that month
/// or later).
pub fn age_months(revenue_month: Month, month: Month) -> u32 {
    u32::try_from(months_between(revenue_month, month).max(0)).unwrap_or(u32::MAX)
}

/// The oldest band any unpaid money reaches in `month`.
pub fn oldest_band(rules: &LateMoneyRules, debts: &[UnpaidRevenue], month: Month) -> Option<LateBandHit> {
    let oldest =
        debts.iter().filter(|d| d.unpaid.yuan() > Decimal::ZERO).map(|d| age_months(d.revenue_month, month)).max()?;
    band_for_age(rules, oldest).map(|(index, band)| LateBandHit { index, band, oldest_age_months: oldest })
}

/// One debt as the month sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DebtLine {
    pub debt: UnpaidRevenue,
    pub age_months: u32,
    /// The band this debt alone would be in.
    pub band: Option<usize>,
}

/// The month's late-money result, with the debts behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LateMoneyOutcome {
    pub hit: Option<LateBandHit>,
    pub debts: Vec<DebtLine>,
    /// Every unpaid amount, whatever its age.
    pub whole_debt: Decimal,
    /// A percentage band's share of the month's achievement pay.
    pub share_deduction: Decimal,
    /// A whole-debt band's charge this month (before the carry is compared).
    pub whole_debt_charge: Decimal,
    pub carry_in: Decimal,
    /// What was owed this month beyond the share deduction:
    /// `max(carry_in, whole_debt_charge)`, or `carry_in` in a percentage month.
    pub owed: Decimal,
    /// Taken off the month's achievement pay in all (≤ that pay).
    pub deduction: Decimal,
    /// Left to take next month, rounded to the fen (stored as is).
    pub carry_out: Money,
    /// A carry forgiven because no money is older than the carry limit.
    pub carry_dropped: Decimal,
}

/// 逾期核减: the late-money deduction from `achievement_pay` in `month`,
/// with the carry-over from last month (`carry_in`) and to the next.
pub fn late_money(
    rules: &LateMoneyRules,
    debts: &[UnpaidRevenue],
    carry_in: Money,
    achievement_pay: Decimal,
    month: Month,
) -> LateMoneyOutcome {
    let owing: Vec<&UnpaidRevenue> = debts.iter().filter(|d| d.unpaid.yuan() > Decimal::ZERO).collect();
    let lines: Vec<DebtLine> = owing
        .iter()
        .map(|d| {
            let age = age_months(d.revenue_month, month);
            DebtLine { debt: (*d).clone(), age_months: age, band: band_for_age(rules, age).map(|(i, _)| i) }
        })
        .collect();
    let whole_debt: Decimal = owing.iter().map(|d| d.unpaid.yuan()).sum();
    let hit = oldest_band(rules, debts, month);
    let oldest = lines.iter().map(|l| l.age_months).max().unwrap_or(0);
    let pay = achievement_pay.max(Decimal::ZERO);
    let carry_in = carry_in.yuan().max(Decimal::ZERO);
    let carry_lives = oldest > rules.carry_while_older_than;
    let (carry, carry_dropped) = if carry_lives { (carry_in, Decimal::ZERO) } else { (Decimal::ZERO, carry_in) };

    let (share_deduction, whole_debt_charge) = match hit {
        Some(h) if h.band.on_whole_debt => (Decimal::ZERO, h.band.achievement_share * whole_debt),
        Some(h) => ((h.band.achievement_share * pay).min(pay), Decimal::ZERO),
        None => (Decimal::ZERO, Decimal::ZERO),
    };
    let owed = carry.max(whole_debt_charge);
    let absorbed = owed.min(pay - share_deduction);
    LateMoneyOutcome {
        hit,
        debts: lines,
        whole_debt,
        share_deduction,
        whole_debt_charge,
        carry_in,
        owed,
        deduction: share_deduction + absorbed,
        carry_out: round_pay(owed - absorbed),
        carry_dropped,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appraisal::settings::pts;

    fn month(y: i32, m: u32) -> Month {
        Month::new(y, m).unwrap()
    }

    fn yuan(n: i64) -> Money {
        Money(Decimal::from(n))
    }

    fn debt(revenue_month: Month, unpaid: i64) -> UnpaidRevenue {
        UnpaidRevenue { customer: "44030000000001".into(), line: "express".into(), revenue_month, unpaid: yuan(unpaid) }
    }

    fn band_index(age_from: Month, month: Month) -> Option<usize> {
        oldest_band(&LateMoneyRules::default(), &[debt(age_from, 100)], month).map(|h| h.index)
    }

    #[test]
    fn band_boundaries_at_exactly_3_6_and_12_months() {
        let jan = month(2026, 1);
        assert_eq!(band_index(jan, month(2026, 4)), None, "exactly 3 months costs nothing");
        assert_eq!(band_index(jan, month(2026, 5)), Some(0), "over 3");
        assert_eq!(band_index(jan, month(2026, 7)), Some(0), "exactly 6 is still 3–6");
        assert_eq!(band_index(jan, month(2026, 8)), Some(1), "over 6");
        assert_eq!(band_index(jan, month(2027, 1)), Some(1), "exactly 12 is still 6–12");
        assert_eq!(band_index(jan, month(2027, 2)), Some(2), "over 12");
        assert_eq!(band_index(jan, month(2026, 1)), None);
        assert_eq!(band_index(month(2026, 9), month(2026, 1)), None, "future revenue is not late");
    }

    #[test]
    fn only_the_oldest_band_applies_and_paid_debts_do_not_count() {
        let rules = LateMoneyRules::default();
        let now = month(2026, 10);
        let debts = [debt(month(2026, 5), 100), debt(month(2026, 2), 100), debt(month(2025, 1), 0)];
        let hit = oldest_band(&rules, &debts, now).unwrap();
        assert_eq!((hit.index, hit.oldest_age_months, hit.band.basic_score), (1, 8, pts(20)));
    }

    #[test]
    fn three_to_six_months_takes_30_percent_of_achievement_pay() {
        let rules = LateMoneyRules::default();
        let out = late_money(&rules, &[debt(month(2026, 1), 5_000)], Money::ZERO, Decimal::from(2_000), month(2026, 5));
        assert_eq!(out.hit.unwrap().band.basic_score, pts(10));
        assert_eq!(out.deduction, Decimal::from(600));
        assert_eq!(out.carry_out, Money::ZERO);
        assert_eq!(out.debts[0].age_months, 4);
    }

    #[test]
    fn six_to_twelve_months_takes_60_percent() {
        let rules = LateMoneyRules::default();
        let debts = [debt(month(2026, 1), 5_000), debt(month(2026, 6), 1_000)];
        let out = late_money(&rules, &debts, Money::ZERO, Decimal::from(2_000), month(2026, 8));
        assert_eq!(out.hit.unwrap().index, 1);
        assert_eq!(out.deduction, Decimal::from(1_200));
        assert_eq!(out.whole_debt, Decimal::from(6_000));
    }

    #[test]
    fn over_twelve_months_charges_the_whole_debt_and_carries_the_rest_until_no_debt_is_older_than_3_months() {
        let rules = LateMoneyRules::default();
        let old = month(2025, 1);
        // February 2026: 13 months old; the whole debt (old and new) is 10,000.
        let month1 = late_money(
            &rules,
            &[debt(old, 8_000), debt(month(2026, 1), 2_000)],
            Money::ZERO,
            Decimal::from(3_000),
            month(2026, 2),
        );
        assert_eq!(month1.hit.unwrap().band.basic_score, pts(50));
        assert_eq!(month1.whole_debt_charge, Decimal::from(10_000));
        assert_eq!(month1.deduction, Decimal::from(3_000), "all the achievement pay, no more");
        assert_eq!(month1.carry_out, yuan(7_000));

        // March: part paid (5,000 left, still over 12): the carry (7,000) is
        // larger than the debt now, so 7,000 is owed, not 12,000.
        let month2 = late_money(
            &rules,
            &[debt(old, 3_000), debt(month(2026, 1), 2_000)],
            month1.carry_out,
            Decimal::from(4_000),
            month(2026, 3),
        );
        assert_eq!(month2.owed, Decimal::from(7_000));
        assert_eq!(month2.deduction, Decimal::from(4_000));
        assert_eq!(month2.carry_out, yuan(3_000));

        // May: the old debt is paid; January's 2,000 is 4 months old (30%
        // band), so the carry lives on and is absorbed after the share.
        let month3 = late_money(
            &rules,
            &[debt(old, 0), debt(month(2026, 1), 2_000)],
            month2.carry_out,
            Decimal::from(5_000),
            month(2026, 5),
        );
        assert_eq!(month3.share_deduction, Decimal::from(1_500));
        assert_eq!(month3.deduction, Decimal::from(4_500));
        assert_eq!(month3.carry_out, Money::ZERO);
    }

    #[test]
    fn the_carry_is_dropped_once_no_debt_is_older_than_3_months() {
        let rules = LateMoneyRules::default();
        let out = late_money(&rules, &[debt(month(2026, 2), 2_000)], yuan(3_000), Decimal::from(5_000), month(2026, 5));
        assert_eq!(out.hit, None);
        assert_eq!(out.deduction, Decimal::ZERO);
        assert_eq!(out.carry_dropped, Decimal::from(3_000));
        assert_eq!(out.carry_out, Money::ZERO);
    }

    #[test]
    fn no_debt_costs_nothing() {
        let out = late_money(&LateMoneyRules::default(), &[], Money::ZERO, Decimal::from(5_000), month(2026, 5));
        assert_eq!((out.hit, out.deduction, out.carry_out), (None, Decimal::ZERO, Money::ZERO));
    }
}
