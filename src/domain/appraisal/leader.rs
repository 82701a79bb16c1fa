//! 营销团队负责人 (SPEC §10.5): a team leader's performance pay is
//! fixed (the 80-point rule) + Σ own achievement × rate × factor (less own
//! late money) + team per-head achievement × accrual ratio × team target
//! completion. No task completion rate multiplies it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::commission::{AchievementPay, achievement_pay};
use super::late_money::{LateMoneyOutcome, late_money};
use super::pay::{FixedPerformance, PayInputs, fixed_performance};
use super::settings::AppraisalSettings;
use super::{Points, ratio, round_pay};
use crate::domain::money::Money;
use crate::domain::revenue::Month;

/// The team's month, as the store sums it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TeamMonth {
    /// The members' achievement, the leader's own not included.
    pub members_achievement: Money,
    /// Members, the leader not included.
    pub members: u32,
    /// The team target for the month.
    pub target: Money,
    /// 计提比例: set by the unit for this team.
    pub accrual_ratio: Decimal,
}

/// A team leader's performance pay with the parts behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamLeaderPay {
    pub fixed: FixedPerformance,
    pub own: AchievementPay,
    pub late_money: LateMoneyOutcome,
    /// Members' achievement plus the leader's own counted achievement.
    pub team_achievement: Decimal,
    /// Heads the per-head figure divides by.
    pub heads: u32,
    pub per_head: Decimal,
    /// Team achievement ÷ target (no target: 100%), capped if the settings say so.
    pub target_completion: Decimal,
    /// `per_head × accrual_ratio × target_completion`.
    pub team_part: Decimal,
    pub amount: Money,
}

/// 团队负责人绩效工资: the leader's performance pay; `own` carries the leader's own lines,
/// debts and carry (its task and entered rate are not used).
pub fn team_leader_pay(
    settings: &AppraisalSettings,
    month: Month,
    score: Points,
    own: &PayInputs,
    team: &TeamMonth,
) -> TeamLeaderPay {
    let rules = &settings.team_leader;
    let fixed = fixed_performance(&settings.fixed, own.fixed_base, score);
    let achievement = achievement_pay(&settings.commission, &settings.conversion, &own.lines, month);
    let late = late_money(&settings.late_money, &own.debts, own.late_carry_in, achievement.total, month);
    let team_achievement = team.members_achievement.yuan() + achievement.achievement;
    let (pool, heads) = if rules.leader_in_per_head {
        (team_achievement, team.members + 1)
    } else {
        (team.members_achievement.yuan(), team.members)
    };
    let per_head = ratio(pool, Decimal::from(heads)).unwrap_or(Decimal::ZERO);
    let completion = ratio(team_achievement, team.target.yuan()).unwrap_or(Decimal::ONE).max(Decimal::ZERO);
    let target_completion = rules.target_completion_cap.map_or(completion, |cap| completion.min(cap));
    let team_part = per_head * team.accrual_ratio * target_completion;
    let amount = round_pay(fixed.amount + achievement.total - late.deduction + team_part);
    TeamLeaderPay {
        fixed,
        own: achievement,
        late_money: late,
        team_achievement,
        heads,
        per_head,
        target_completion,
        team_part,
        amount,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appraisal::commission::{AchievementLine, Business};
    use crate::domain::appraisal::settings::{pct, pts};

    fn yuan(n: i64) -> Money {
        Money(Decimal::from(n))
    }

    fn own() -> PayInputs {
        PayInputs {
            fixed_base: yuan(2_000),
            lines: vec![AchievementLine {
                customer: "44030000000001".into(),
                line: "express".into(),
                achievement: yuan(20_000),
                business: Business::NewCustomer,
                share: Decimal::ONE,
                campaign_rewarded: false,
            }],
            debts: vec![],
            late_carry_in: Money::ZERO,
            task: Money::ZERO,
            entered_completion: None,
        }
    }

    fn team() -> TeamMonth {
        TeamMonth { members_achievement: yuan(180_000), members: 4, target: yuan(250_000), accrual_ratio: pct(2) }
    }

    #[test]
    fn leader_counted_in_per_head_by_default() {
        let october = Month::new(2026, 10).unwrap();
        let pay = team_leader_pay(&AppraisalSettings::default(), october, pts(80), &own(), &team());
        // per head 200,000 / 5 = 40,000; × 2% × (200,000 / 250,000 = 0.8) = 640
        assert_eq!(pay.per_head, Decimal::from(40_000));
        assert_eq!(pay.target_completion, pct(80));
        assert_eq!(pay.team_part, Decimal::from(640));
        // 2,000 + 2,000 (20,000 × 10%) + 640, no task rate
        assert_eq!(pay.amount, yuan(4_640));
    }

    #[test]
    fn leader_left_out_of_per_head_and_completion_capped() {
        let mut settings = AppraisalSettings::default();
        settings.team_leader.leader_in_per_head = false;
        settings.team_leader.target_completion_cap = Some(Decimal::ONE);
        let mut team = team();
        team.target = yuan(100_000);
        let pay = team_leader_pay(&settings, Month::new(2026, 10).unwrap(), pts(72), &own(), &team);
        // 180,000 / 4 = 45,000 × 2% × 1 (2.0 capped) = 900; fixed 1,200
        assert_eq!((pay.heads, pay.per_head), (4, Decimal::from(45_000)));
        assert_eq!(pay.team_part, Decimal::from(900));
        assert_eq!(pay.amount, yuan(4_100));
    }
}
