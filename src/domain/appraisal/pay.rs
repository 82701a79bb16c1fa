//! Pay of a full-time account manager (专职客户经理, SPEC §10.1):
//!
//! - pay = post wage (岗位工资) + marketing allowance (营销补贴) + performance pay;
//! - performance pay (绩效工资) = (fixed performance 固定绩效 + achievement
//!   pay 业绩绩效 − late money 逾期核减) × task completion rate (任务完成率);
//! - fixed performance = base × max(0, 1 − 5% × (80 − score)), full at ≥ 80.
//!
//! Also the discipline withholding (§10.2) and probation (§10.6).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::commission::{AchievementLine, AchievementPay, achievement_pay};
use super::late_money::{LateMoneyOutcome, UnpaidRevenue, late_money, oldest_band};
use super::score::{ScoreInputs, ScoreSheet, score_sheet};
use super::settings::{AppraisalSettings, CompletionDefinition, CompletionRules, FixedPerformanceRules, PartPoints};
use super::{Points, months_between, ratio, round_pay};
use crate::domain::money::Money;
use crate::domain::revenue::Month;

/// 固定绩效 as paid.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FixedPerformance {
    pub base: Money,
    pub score: Points,
    /// Points below the line as counted (after the part-point rule).
    pub points_short: Points,
    /// Share of the base paid, 0..=1.
    pub share: Decimal,
    /// `base × share`, unrounded.
    pub amount: Decimal,
}

/// 固定绩效, the 80-point rule: full base at `full_at` or more, 5% less per point
/// below, never below zero (zero at 60 and under with the reference values).
pub fn fixed_performance(rules: &FixedPerformanceRules, base: Money, score: Points) -> FixedPerformance {
    let short = (rules.full_at - score).max(Decimal::ZERO);
    let points_short = match rules.part_points {
        PartPoints::ProRata => short,
        PartPoints::WholePoints => short.floor(),
        PartPoints::StartedPoints => short.ceil(),
    };
    let share = (Decimal::ONE - rules.per_point_share * points_short).clamp(Decimal::ZERO, Decimal::ONE);
    FixedPerformance { base, score, points_short, share, amount: base.yuan() * share }
}

/// 当月任务完成率 as applied.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CompletionRate {
    pub definition: CompletionDefinition,
    pub achievement: Decimal,
    pub task: Money,
    /// The rate before any cap.
    pub uncapped: Decimal,
    pub rate: Decimal,
    /// `Entered` and nothing entered yet: the rate is 0 until the unit
    /// enters it (nothing is paid that would have to be taken back).
    pub not_entered: bool,
}

/// 当月任务完成率: the month's task completion rate: achievement ÷ task by default (no task
/// set: 100%), or the rate the unit entered; then the cap, if any.
pub fn completion_rate(
    rules: &CompletionRules,
    achievement: Decimal,
    task: Money,
    entered: Option<Decimal>,
) -> CompletionRate {
    let (uncapped, not_entered) = match rules.definition {
        CompletionDefinition::AchievementOverTask => (ratio(achievement, task.yuan()).unwrap_or(Decimal::ONE), false),
        CompletionDefinition::Entered => (entered.unwrap_or(Decimal::ZERO), entered.is_none()),
    };
    let uncapped = uncapped.max(Decimal::ZERO);
    let rate = rules.cap.map_or(uncapped, |cap| uncapped.min(cap));
    CompletionRate { definition: rules.definition, achievement, task, uncapped, rate, not_entered }
}

/// What a manager's month is paid from, besides the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PayInputs {
    /// The unit's base for fixed performance.
    pub fixed_base: Money,
    pub lines: Vec<AchievementLine>,
    pub debts: Vec<UnpaidRevenue>,
    /// What last month's late money left to take ([`LateMoneyOutcome::carry_out`]).
    pub late_carry_in: Money,
    /// The month's task.
    pub task: Money,
    /// The completion rate the unit entered (`CompletionDefinition::Entered`).
    pub entered_completion: Option<Decimal>,
}

/// 绩效工资 with every part behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformancePay {
    pub fixed: FixedPerformance,
    pub achievement: AchievementPay,
    pub late_money: LateMoneyOutcome,
    /// Achievement pay less late money.
    pub achievement_net: Decimal,
    pub completion: CompletionRate,
    /// `fixed + achievement_net`, at least zero.
    pub before_rate: Decimal,
    /// The figure paid, rounded to the fen once.
    pub amount: Money,
}

/// 绩效工资: performance pay for a manager whose month scored `score`,
/// `(fixed + achievement − late money) × completion rate`, rounded once.
pub fn performance_pay(
    settings: &AppraisalSettings,
    month: Month,
    score: Points,
    inputs: &PayInputs,
) -> PerformancePay {
    let fixed = fixed_performance(&settings.fixed, inputs.fixed_base, score);
    let achievement = achievement_pay(&settings.commission, &settings.conversion, &inputs.lines, month);
    let late = late_money(&settings.late_money, &inputs.debts, inputs.late_carry_in, achievement.total, month);
    let achievement_net = achievement.total - late.deduction;
    let completion =
        completion_rate(&settings.completion, achievement.achievement, inputs.task, inputs.entered_completion);
    // Never below zero, even when corrections make the achievement negative.
    let before_rate = (fixed.amount + achievement_net).max(Decimal::ZERO);
    PerformancePay {
        fixed,
        amount: round_pay(before_rate * completion.rate),
        achievement,
        late_money: late,
        achievement_net,
        completion,
        before_rate,
    }
}

/// A manager's month, scored and paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Appraisal {
    pub sheet: ScoreSheet,
    pub pay: PerformancePay,
}

/// Scores the sheet and pays the month with the same late-money band: the
/// band the debts put the month in replaces whatever `sheet.late_money` held.
pub fn appraise(settings: &AppraisalSettings, month: Month, sheet: &ScoreInputs, pay: &PayInputs) -> Appraisal {
    let sheet_inputs =
        ScoreInputs { late_money: oldest_band(&settings.late_money, &pay.debts, month), ..sheet.clone() };
    let sheet = score_sheet(&settings.sheet, &sheet_inputs);
    let pay = performance_pay(settings, month, sheet.total, pay);
    Appraisal { sheet, pay }
}

/// The month's pay slip.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct MonthPay {
    pub post_wage: Money,
    pub allowance: Money,
    pub performance: Money,
    pub gross: Money,
    /// 违纪扣发: 60% of the month's pay for a confirmed serious breach.
    pub withheld: Money,
    pub paid: Money,
}

/// 月度薪酬: post wage + allowance + performance pay, less the discipline withholding
/// when a serious breach is confirmed for the month.
pub fn month_pay(
    settings: &AppraisalSettings,
    post_wage: Money,
    allowance: Money,
    performance: Money,
    breach_confirmed: bool,
) -> MonthPay {
    let gross = post_wage.yuan() + allowance.yuan() + performance.yuan();
    let withheld = if breach_confirmed { round_pay(gross * settings.discipline_withheld) } else { Money::ZERO };
    MonthPay {
        post_wage,
        allowance,
        performance,
        gross: round_pay(gross),
        withheld,
        paid: round_pay(gross - withheld.yuan()),
    }
}

/// 考核培训期: a new hire's or a transferee's first months in a marketing post.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Probation {
    /// The first month in the post.
    #[serde(with = "super::month_text")]
    pub start: Month,
    /// Moved in from another post (转岗), with the guaranteed performance
    /// pay that keeps their income at its former level.
    pub transferee: Option<Money>,
}

impl Probation {
    /// The period's last month (the third, by default).
    pub fn last_month(&self, settings: &AppraisalSettings) -> Month {
        self.start.plus(i64::from(settings.probation.months.max(1)) - 1)
    }

    pub fn covers(&self, settings: &AppraisalSettings, month: Month) -> bool {
        let n = months_between(self.start, month);
        (0..i64::from(settings.probation.months)).contains(&n)
    }
}

/// Performance pay in a probation month.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProbationPay {
    pub in_period: bool,
    /// A transferee scoring ≥ 80 in the period: the guarantee is the floor.
    pub guaranteed: bool,
    pub computed: Money,
    pub paid: Money,
    /// The period ends this month: below standard, the person is considered
    /// for another job family (the screen asks; nothing here decides).
    pub period_ends: bool,
}

/// 考核培训期保底: a transferee scoring at least 80 during the period is paid at least the
/// guaranteed amount; everyone else is paid what the rules compute.
pub fn probation_pay(
    settings: &AppraisalSettings,
    probation: &Probation,
    month: Month,
    score: Points,
    computed: Money,
) -> ProbationPay {
    let in_period = probation.covers(settings, month);
    let guarantee = probation.transferee.filter(|_| in_period && score >= settings.probation.guarantee_at);
    ProbationPay {
        in_period,
        guaranteed: guarantee.is_some(),
        computed,
        paid: guarantee.map_or(computed, |g| g.max(computed)),
        period_ends: in_period && probation.last_month(settings) == month,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appraisal::commission::Business;
    use crate::domain::appraisal::settings::{pct, pts};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn yuan(n: i64) -> Money {
        Money(Decimal::from(n))
    }

    fn month(y: i32, m: u32) -> Month {
        Month::new(y, m).unwrap()
    }

    fn fixed_at(score: &str) -> Decimal {
        fixed_performance(&FixedPerformanceRules::default(), yuan(2_000), d(score)).amount
    }

    #[test]
    fn fixed_performance_by_the_80_point_rule() {
        assert_eq!(fixed_at("100"), Decimal::from(2_000));
        assert_eq!(fixed_at("80"), Decimal::from(2_000), "80 → full");
        assert_eq!(fixed_at("79.5"), Decimal::from(1_950), "half a point: 2.5% off, pro rata");
        assert_eq!(fixed_at("72"), Decimal::from(1_200), "8 points: 40% off");
        assert_eq!(fixed_at("60"), Decimal::ZERO, "exactly 60 → zero");
        assert_eq!(fixed_at("55"), Decimal::ZERO, "never below zero");
        assert_eq!(fixed_at("0"), Decimal::ZERO);
    }

    #[test]
    fn part_points_as_the_bureau_chooses() {
        let rule = |part_points| FixedPerformanceRules { part_points, ..FixedPerformanceRules::default() };
        let at = |part_points, score: &str| fixed_performance(&rule(part_points), yuan(2_000), d(score));
        assert_eq!(at(PartPoints::WholePoints, "79.5").amount, Decimal::from(2_000));
        assert_eq!(at(PartPoints::StartedPoints, "79.5").amount, Decimal::from(1_900));
        assert_eq!(at(PartPoints::StartedPoints, "79.5").points_short, pts(1));
        assert_eq!(at(PartPoints::WholePoints, "72").amount, Decimal::from(1_200));
    }

    #[test]
    fn completion_rate_by_definition_and_cap() {
        let rules = CompletionRules::default();
        let rate = |a: i64, t: i64| completion_rate(&rules, Decimal::from(a), yuan(t), None).rate;
        assert_eq!(rate(45_000, 50_000), pct(90));
        assert_eq!(rate(60_000, 50_000), pct(120));
        assert_eq!(rate(1, 0), Decimal::ONE, "no task set: 100%");
        let capped = CompletionRules { cap: Some(Decimal::ONE), ..rules };
        let out = completion_rate(&capped, Decimal::from(60_000), yuan(50_000), None);
        assert_eq!((out.uncapped, out.rate), (pct(120), Decimal::ONE));
        let entered = CompletionRules { definition: CompletionDefinition::Entered, cap: None };
        assert_eq!(completion_rate(&entered, Decimal::ZERO, yuan(1), Some(pct(85))).rate, pct(85));
        let missing = completion_rate(&entered, Decimal::ZERO, yuan(1), None);
        assert_eq!((missing.rate, missing.not_entered), (Decimal::ZERO, true));
    }

    fn inputs() -> PayInputs {
        let line = |code: &str, amount: i64, since| AchievementLine {
            customer: "44030000000001".into(),
            line: code.into(),
            achievement: yuan(amount),
            business: Business::Established { since },
            share: Decimal::ONE,
            campaign_rewarded: false,
        };
        PayInputs {
            fixed_base: yuan(2_000),
            // 1,000 (EMS, month 12) + 350 (letters, month 13)
            lines: vec![line("express", 10_000, month(2025, 11)), line("letters", 50_000, month(2025, 10))],
            debts: vec![],
            late_carry_in: Money::ZERO,
            task: yuan(75_000),
            entered_completion: None,
        }
    }

    #[test]
    fn performance_pay_is_fixed_plus_achievement_times_completion() {
        let settings = AppraisalSettings::default();
        let pay = performance_pay(&settings, month(2026, 10), d("72"), &inputs());
        // (1,200 + 1,350) × 60,000 / 75,000 = 2,040
        assert_eq!(pay.fixed.amount, Decimal::from(1_200));
        assert_eq!(pay.achievement.total, Decimal::from(1_350));
        assert_eq!(pay.completion.rate, pct(80));
        assert_eq!(pay.amount, yuan(2_040));
    }

    #[test]
    fn late_money_comes_off_achievement_pay_before_the_rate_and_rounds_once() {
        let settings = AppraisalSettings::default();
        let mut inputs = inputs();
        inputs.task = yuan(90_000); // rate 2/3
        inputs.debts = vec![UnpaidRevenue {
            customer: "44030000000001".into(),
            line: "express".into(),
            revenue_month: month(2026, 3),
            unpaid: yuan(4_000),
        }];
        let pay = performance_pay(&settings, month(2026, 10), pts(80), &inputs);
        // 7 months old: 60% of 1,350 = 810 off; (2,000 + 540) × 2/3 = 1,693.333…
        assert_eq!(pay.late_money.deduction, Decimal::from(810));
        assert_eq!(pay.achievement_net, Decimal::from(540));
        assert_eq!(pay.amount, Money(d("1693.33")));
    }

    #[test]
    fn appraise_scores_the_late_money_band_the_debts_give() {
        use crate::domain::appraisal::score::{Rank, RankEntry, Shortfall, Tally};
        let settings = AppraisalSettings::default();
        let mut pay = inputs();
        pay.debts = vec![UnpaidRevenue {
            customer: "44030000000001".into(),
            line: "express".into(),
            revenue_month: month(2026, 5),
            unpaid: yuan(1_000),
        }];
        let first = RankEntry { rank: Rank::First, reason: String::new() };
        let sheet = ScoreInputs {
            visits: Shortfall::default(),
            logs: Shortfall::default(),
            plans: Shortfall::default(),
            faulty_dossier_records: 0,
            justified_complaints: 0,
            achievement: yuan(60_000),
            monthly_standard: yuan(50_000),
            meeting_absences: Tally::default(),
            meeting_lates: Tally::default(),
            training_absences: Tally::default(),
            training_lates: Tally::default(),
            failed_exams: Tally::default(),
            behaviour: first.clone(),
            leader_tasks: first,
            violations: vec![],
            bonuses: vec![],
            late_money: None,
        };
        let out = appraise(&settings, month(2026, 10), &sheet, &pay);
        // 5 months old: −10 basic score, 30% of achievement pay.
        assert_eq!(out.sheet.total, pts(90));
        assert_eq!(out.pay.fixed.amount, Decimal::from(2_000));
        assert_eq!(out.pay.late_money.deduction, Decimal::from(405));
    }

    #[test]
    fn discipline_withholds_60_percent_of_the_month() {
        let settings = AppraisalSettings::default();
        let slip = month_pay(&settings, yuan(3_000), yuan(500), Money(d("1693.33")), true);
        assert_eq!(slip.gross, Money(d("5193.33")));
        assert_eq!(slip.withheld, Money(d("3116.00")));
        assert_eq!(slip.paid, Money(d("2077.33")));
        assert_eq!(month_pay(&settings, yuan(3_000), yuan(500), yuan(1), false).paid, yuan(3_501));
    }

    #[test]
    fn a_transferee_scoring_80_in_the_three_months_gets_the_guarantee() {
        let settings = AppraisalSettings::default();
        let probation = Probation { start: month(2026, 8), transferee: Some(yuan(3_000)) };
        let pay = |m, score: &str, computed| probation_pay(&settings, &probation, m, d(score), yuan(computed));
        assert_eq!(pay(month(2026, 8), "80", 1_000).paid, yuan(3_000));
        assert_eq!(pay(month(2026, 9), "79.5", 1_000).paid, yuan(1_000), "below 80: no guarantee");
        assert_eq!(pay(month(2026, 10), "85", 4_000).paid, yuan(4_000), "the guarantee is a floor");
        assert!(pay(month(2026, 10), "85", 4_000).period_ends);
        assert!(!pay(month(2026, 11), "85", 1_000).in_period, "three months only");
        assert_eq!(pay(month(2026, 11), "85", 1_000).paid, yuan(1_000));
        let new_hire = Probation { start: month(2026, 8), transferee: None };
        assert_eq!(probation_pay(&settings, &new_hire, month(2026, 8), pts(90), yuan(800)).paid, yuan(800));
    }
}
