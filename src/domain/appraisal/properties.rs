//! Properties the appraisal rules keep for every input, on generated cases
//! (the unit tests next to each rule check SPEC's own numbers).

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::late_money::{UnpaidRevenue, late_money};
use super::pay::fixed_performance;
use super::score::{Rank, RankEntry, ScoreInputs, Shortfall, Tally, score_sheet};
use super::settings::{FixedPerformanceRules, LateMoneyRules, PartPoints, SheetRules};
use super::{months_between, round_pay};
use crate::domain::money::Money;
use crate::domain::revenue::Month;

fn month() -> impl Strategy<Value = Month> {
    (2000i32..=2040, 1u32..=12).prop_map(|(y, m)| Month::new(y, m).expect("in range"))
}

/// A score in tenths of a point, −20.0 to 120.0.
fn score() -> impl Strategy<Value = Decimal> {
    (-200i64..=1200).prop_map(|tenths| Decimal::new(tenths, 1))
}

fn part_points() -> impl Strategy<Value = PartPoints> {
    prop::sample::select(vec![PartPoints::ProRata, PartPoints::WholePoints, PartPoints::StartedPoints])
}

fn tally() -> impl Strategy<Value = Tally> {
    (0u32..30).prop_map(|count| Tally { count, reason: String::new() })
}

fn shortfall() -> impl Strategy<Value = Shortfall> {
    (0u32..60, 0u32..60).prop_map(|(required, done)| Shortfall { required, done })
}

fn rank() -> impl Strategy<Value = RankEntry> {
    prop_oneof![Just(Rank::First), Just(Rank::Second), (-50i64..150).prop_map(|t| Rank::Lower(Decimal::new(t, 1)))]
        .prop_map(|rank| RankEntry { rank, reason: String::new() })
}

fn sheet_inputs() -> impl Strategy<Value = ScoreInputs> {
    (
        (shortfall(), shortfall(), shortfall(), 0u32..100, 0u32..5, 0i64..200_000, 0i64..200_000),
        (tally(), tally(), tally(), tally(), tally(), rank(), rank()),
    )
        .prop_map(|((visits, logs, plans, faulty, complaints, achievement, standard), entered)| {
            let (meeting_absences, meeting_lates, training_absences, training_lates, failed_exams, behaviour, tasks) =
                entered;
            ScoreInputs {
                visits,
                logs,
                plans,
                faulty_dossier_records: faulty,
                justified_complaints: complaints,
                achievement: Money(Decimal::from(achievement)),
                monthly_standard: Money(Decimal::from(standard)),
                meeting_absences,
                meeting_lates,
                training_absences,
                training_lates,
                failed_exams,
                behaviour,
                leader_tasks: tasks,
                violations: vec![],
                bonuses: vec![],
                late_money: None,
            }
        })
}

fn debts() -> impl Strategy<Value = Vec<UnpaidRevenue>> {
    prop::collection::vec((month(), 0i64..100_000), 0..5).prop_map(|debts| {
        debts
            .into_iter()
            .map(|(revenue_month, unpaid)| UnpaidRevenue {
                customer: String::new(),
                line: String::new(),
                revenue_month,
                unpaid: Money(Decimal::from(unpaid)),
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn fixed_performance_stays_within_the_base_and_never_falls_as_the_score_rises(
        a in score(), b in score(), part_points in part_points(), base in 0i64..20_000,
    ) {
        let rules = FixedPerformanceRules { part_points, ..FixedPerformanceRules::default() };
        let base = Money(Decimal::from(base));
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        let (low, high) = (fixed_performance(&rules, base, low), fixed_performance(&rules, base, high));
        prop_assert!(low.amount >= Decimal::ZERO && high.amount <= base.yuan());
        prop_assert!(low.amount <= high.amount);
        if high.score >= rules.full_at {
            prop_assert_eq!(high.amount, base.yuan());
        }
    }

    #[test]
    fn no_sheet_item_leaves_its_range_and_the_total_is_never_negative(inputs in sheet_inputs()) {
        let sheet = score_sheet(&SheetRules::default(), &inputs);
        for item in &sheet.items {
            prop_assert!(item.points >= Decimal::ZERO && item.points <= item.max, "{:?}", item);
        }
        prop_assert!(sheet.items_total <= Decimal::ONE_HUNDRED);
        prop_assert!(sheet.total >= Decimal::ZERO);
    }

    #[test]
    fn late_money_never_takes_more_than_the_achievement_pay(
        debts in debts(), carry in 0i64..50_000, pay in -1_000i64..20_000, now in month(),
    ) {
        let out = late_money(&LateMoneyRules::default(), &debts, Money(Decimal::from(carry)), Decimal::from(pay), now);
        prop_assert!(out.deduction >= Decimal::ZERO);
        prop_assert!(out.deduction <= Decimal::from(pay).max(Decimal::ZERO));
        prop_assert!(out.carry_out.yuan() >= Decimal::ZERO);
        prop_assert!(out.carry_out <= round_pay(out.owed));
        prop_assert!(out.carry_dropped.is_zero() || out.carry_dropped == out.carry_in);
    }

    #[test]
    fn months_between_undoes_plus(m in month(), n in -600i64..600) {
        prop_assert_eq!(months_between(m, m.plus(n)), n);
    }
}
