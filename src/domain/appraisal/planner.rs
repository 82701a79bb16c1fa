//! 营销策划人员 (SPEC §10.5): a planner's performance pay is fixed (the
//! 80-point rule, on the planner's own sheet) + Σ planned-project revenue
//! already collected × 1–3% (*ref*), each project capped if the bureau caps
//! very large ones. The planner sheet: daily work 50 (a written plan a
//! month 10; adopted plans, support, promotion meetings and parties 40
//! together), behaviour 50 (five items of 10), +5 per circulated case.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::pay::{FixedPerformance, fixed_performance};
use super::settings::{AppraisalSettings, PlannerRules};
use super::{Points, round_pay};
use crate::domain::money::Money;

/// One planned project's month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedProject {
    pub name: String,
    /// Revenue of the project already collected (only that counts).
    pub collected: Money,
    /// A rate agreed for this project instead of the settings' rate.
    pub rate: Option<Decimal>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProjectPay {
    pub project: PlannedProject,
    pub rate: Decimal,
    pub uncapped: Decimal,
    /// `min(uncapped, cap)`, unrounded.
    pub pay: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannerPay {
    pub fixed: FixedPerformance,
    pub projects: Vec<ProjectPay>,
    pub amount: Money,
}

/// 策划人员绩效工资: fixed performance + Σ collected project revenue × rate.
pub fn planner_pay(
    settings: &AppraisalSettings,
    base: Money,
    score: Points,
    projects: &[PlannedProject],
) -> PlannerPay {
    let rules = &settings.planner;
    let fixed = fixed_performance(&settings.fixed, base, score);
    let projects: Vec<ProjectPay> = projects
        .iter()
        .map(|p| {
            let rate = p.rate.unwrap_or(rules.project_rate);
            let uncapped = p.collected.yuan().max(Decimal::ZERO) * rate;
            let pay = rules.project_cap.map_or(uncapped, |cap| uncapped.min(cap.yuan()));
            ProjectPay { project: p.clone(), rate, uncapped, pay }
        })
        .collect();
    let amount = round_pay(fixed.amount + projects.iter().map(|p| p.pay).sum::<Decimal>());
    PlannerPay { fixed, projects, amount }
}

/// The planner sheet's entries: points as given by the unit (each kept
/// within its item), plans written and cases circulated as counts.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct PlannerSheetInputs {
    pub written_plans: u32,
    /// Adopted plans with good results, support to account managers,
    /// promotion meetings and customer parties, together (≤ 40).
    pub results: Points,
    pub attendance: Points,
    pub responsibility: Points,
    pub teamwork: Points,
    pub innovation: Points,
    pub initiative: Points,
    pub circulated_cases: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlannerSheet {
    pub written_plan: Points,
    pub results: Points,
    pub behaviour: Points,
    pub bonus: Points,
    pub total: Points,
}

/// 策划人员考核评价表: each item kept within its maximum, plus case bonuses.
pub fn planner_sheet(rules: &PlannerRules, inputs: &PlannerSheetInputs) -> PlannerSheet {
    let within = |points: Points, max: Points| points.clamp(Decimal::ZERO, max);
    let written_plan = if inputs.written_plans >= 1 { rules.written_plan_max } else { Decimal::ZERO };
    let results = within(inputs.results, rules.results_max);
    let behaviour = [inputs.attendance, inputs.responsibility, inputs.teamwork, inputs.innovation, inputs.initiative]
        .into_iter()
        .map(|p| within(p, rules.behaviour_item_max))
        .sum::<Points>();
    let bonus = rules.case_bonus * Decimal::from(inputs.circulated_cases);
    PlannerSheet { written_plan, results, behaviour, bonus, total: written_plan + results + behaviour + bonus }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appraisal::settings::{pct, pts};

    fn yuan(n: i64) -> Money {
        Money(Decimal::from(n))
    }

    fn project(name: &str, collected: i64, rate: Option<Decimal>) -> PlannedProject {
        PlannedProject { name: name.into(), collected: yuan(collected), rate }
    }

    #[test]
    fn planner_pay_is_fixed_plus_a_share_of_collected_project_revenue() {
        let settings = AppraisalSettings::default();
        let projects = [project("全市贺卡", 300_000, None), project("行业专项", 100_000, Some(pct(3)))];
        let pay = planner_pay(&settings, yuan(2_000), pts(80), &projects);
        // 2,000 + 3,000 (1%) + 3,000 (3%)
        assert_eq!(pay.amount, yuan(8_000));
        let mut capped = settings.clone();
        capped.planner.project_cap = Some(yuan(2_500));
        let pay = planner_pay(&capped, yuan(2_000), pts(60), &projects);
        assert_eq!(pay.projects[0].pay, Decimal::from(2_500));
        assert_eq!(pay.amount, yuan(5_000));
    }

    #[test]
    fn a_perfect_planner_sheet_is_100_plus_circulated_cases() {
        let rules = PlannerRules::default();
        let ten = pts(10);
        let perfect = PlannerSheetInputs {
            written_plans: 2,
            results: pts(40),
            attendance: ten,
            responsibility: ten,
            teamwork: ten,
            innovation: ten,
            initiative: ten,
            circulated_cases: 0,
        };
        assert_eq!(planner_sheet(&rules, &perfect).total, pts(100));
        let over = PlannerSheetInputs { results: pts(55), attendance: pts(-2), circulated_cases: 1, ..perfect };
        assert_eq!(planner_sheet(&rules, &over).total, pts(95));
        assert_eq!(planner_sheet(&rules, &PlannerSheetInputs::default()).total, Decimal::ZERO);
    }
}
