//! Goal indicators (目标指标, SPEC §15) and the team appraisal (§11.4).
//! The store counts and sums; these functions divide, by the formula the
//! bureau chose where SPEC is silent. Every indicator names its formula by
//! a key ([`Indicator::formula`]) that the UI translates later.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

use super::ratio;
use super::settings::TeamAppraisalWeights;
use crate::domain::money::Money;

/// The indicators of SPEC §15 (team indicators: [`team_appraisal`]). The
/// kebab-case code is what `goal_target.indicator` stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum GoalIndicator {
    /// 用邮收入比重
    RevenueShare,
    /// 开辟率
    DevelopmentRate,
    /// 巩固率
    RetentionRate,
    /// 档案资料完整率
    DossierCompleteness,
    /// 年度新增大客户
    NewKeyCustomers,
    /// 计划进度
    PlanProgress,
    /// 限时服务达标率
    ServiceMetRate,
}

impl GoalIndicator {
    /// SPEC's order, as [`goal_indicators`] gives them.
    pub const ALL: [GoalIndicator; 7] = [
        GoalIndicator::RevenueShare,
        GoalIndicator::DevelopmentRate,
        GoalIndicator::RetentionRate,
        GoalIndicator::DossierCompleteness,
        GoalIndicator::NewKeyCustomers,
        GoalIndicator::PlanProgress,
        GoalIndicator::ServiceMetRate,
    ];
}

stored_code!(GoalIndicator);

/// 开辟率: SPEC leaves the formula to the bureau.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum DevelopmentFormula {
    /// New key customers ÷ prospects targeted in the year (default).
    NewOverProspects,
    /// New key customers ÷ key customers at the start of the year.
    NewOverStart,
}

/// 巩固率.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum RetentionFormula {
    /// Key customers at the start still key now ÷ key customers at the start (default).
    CustomersKept,
    /// This year's revenue of last year's key customers ÷ their revenue a year earlier.
    RevenueKept,
}

/// 档案资料完整率.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum DossierFormula {
    /// Dossiers with every required field ÷ key customers (default).
    CompleteDossiers,
    /// Required fields filled ÷ required fields, over all key customers.
    FilledFields,
}

/// The formulas the bureau chose (stored with the appraisal settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GoalFormulas {
    pub development: DevelopmentFormula,
    pub retention: RetentionFormula,
    pub dossier: DossierFormula,
}

impl Default for GoalFormulas {
    fn default() -> Self {
        GoalFormulas {
            development: DevelopmentFormula::NewOverProspects,
            retention: RetentionFormula::CustomersKept,
            dossier: DossierFormula::CompleteDossiers,
        }
    }
}

/// A unit's year to date, as the store counts and sums it.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct GoalInputs {
    pub key_revenue: Money,
    pub unit_revenue: Money,
    pub key_customers_now: u32,
    pub key_customers_at_start: u32,
    /// Of those at the start, still key now.
    pub kept_customers: u32,
    /// Revenue this year of the customers key at the start, and a year earlier.
    pub kept_revenue: Money,
    pub kept_revenue_year_ago: Money,
    /// Customers that became key this year.
    pub new_key_customers: u32,
    /// Prospects (目标客户) targeted for development this year.
    pub prospects: u32,
    pub complete_dossiers: u32,
    pub required_fields: u32,
    pub filled_fields: u32,
    pub revenue_to_date: Money,
    pub yearly_plan: Money,
    /// Time-limited service requests closed, and of those met in time (§9).
    pub requests_closed: u32,
    pub requests_met: u32,
}

/// One indicator's value with what it was computed from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub indicator: GoalIndicator,
    pub numerator: Decimal,
    /// For a count ([`GoalIndicator::NewKeyCustomers`]): the key customers now.
    pub denominator: Decimal,
    /// A ratio (0.2063 = 20.63%), or the count itself for new key
    /// customers; `None` when the denominator is zero.
    pub value: Option<Decimal>,
    /// i18n key of the formula's short text.
    pub formula: &'static str,
}

impl Indicator {
    fn ratio(indicator: GoalIndicator, numerator: Decimal, denominator: Decimal, formula: &'static str) -> Self {
        Indicator { indicator, numerator, denominator, value: ratio(numerator, denominator), formula }
    }

    /// Whether the value reaches `target` (None without a value).
    pub fn meets(&self, target: Decimal) -> Option<bool> {
        self.value.map(|v| v >= target)
    }
}

fn count(n: u32) -> Decimal {
    Decimal::from(n)
}

/// 用邮收入比重: key customers' revenue ÷ the unit's revenue.
pub fn revenue_share(inputs: &GoalInputs) -> Indicator {
    let (part, whole) = (inputs.key_revenue.yuan(), inputs.unit_revenue.yuan());
    Indicator::ratio(GoalIndicator::RevenueShare, part, whole, "goal-formula.revenue-share")
}

/// The share's rise in percentage points over a year earlier (its target
/// is "a rise in points"): 0.2063 against 0.1950 is 1.13.
pub fn share_rise_points(share: Decimal, year_ago: Decimal) -> Decimal {
    (share - year_ago) * Decimal::ONE_HUNDRED
}

/// 开辟率 by the chosen formula.
pub fn development_rate(formula: DevelopmentFormula, inputs: &GoalInputs) -> Indicator {
    let base = match formula {
        DevelopmentFormula::NewOverProspects => inputs.prospects,
        DevelopmentFormula::NewOverStart => inputs.key_customers_at_start,
    };
    let key = match formula {
        DevelopmentFormula::NewOverProspects => "goal-formula.development.new-over-prospects",
        DevelopmentFormula::NewOverStart => "goal-formula.development.new-over-start",
    };
    Indicator::ratio(GoalIndicator::DevelopmentRate, count(inputs.new_key_customers), count(base), key)
}

/// 巩固率 by the chosen formula.
pub fn retention_rate(formula: RetentionFormula, inputs: &GoalInputs) -> Indicator {
    let indicator = GoalIndicator::RetentionRate;
    match formula {
        RetentionFormula::CustomersKept => Indicator::ratio(
            indicator,
            count(inputs.kept_customers),
            count(inputs.key_customers_at_start),
            "goal-formula.retention.customers-kept",
        ),
        RetentionFormula::RevenueKept => Indicator::ratio(
            indicator,
            inputs.kept_revenue.yuan(),
            inputs.kept_revenue_year_ago.yuan(),
            "goal-formula.retention.revenue-kept",
        ),
    }
}

/// 档案资料完整率 by the chosen formula.
pub fn dossier_completeness(formula: DossierFormula, inputs: &GoalInputs) -> Indicator {
    let indicator = GoalIndicator::DossierCompleteness;
    match formula {
        DossierFormula::CompleteDossiers => Indicator::ratio(
            indicator,
            count(inputs.complete_dossiers),
            count(inputs.key_customers_now),
            "goal-formula.dossier.complete-dossiers",
        ),
        DossierFormula::FilledFields => Indicator::ratio(
            indicator,
            count(inputs.filled_fields),
            count(inputs.required_fields),
            "goal-formula.dossier.filled-fields",
        ),
    }
}

/// 年度新增大客户: the count (SPEC: "3 of 9"), out of the key customers now.
pub fn new_key_customers(inputs: &GoalInputs) -> Indicator {
    Indicator {
        indicator: GoalIndicator::NewKeyCustomers,
        numerator: count(inputs.new_key_customers),
        denominator: count(inputs.key_customers_now),
        value: Some(count(inputs.new_key_customers)),
        formula: "goal-formula.new-key-customers",
    }
}

/// 计划进度: revenue to date ÷ the yearly plan.
pub fn plan_progress(inputs: &GoalInputs) -> Indicator {
    let (done, plan) = (inputs.revenue_to_date.yuan(), inputs.yearly_plan.yuan());
    Indicator::ratio(GoalIndicator::PlanProgress, done, plan, "goal-formula.plan-progress")
}

/// 限时服务达标率: met ÷ closed requests.
pub fn service_met_rate(inputs: &GoalInputs) -> Indicator {
    let (met, closed) = (count(inputs.requests_met), count(inputs.requests_closed));
    Indicator::ratio(GoalIndicator::ServiceMetRate, met, closed, "goal-formula.service-met-rate")
}

/// Every indicator, in SPEC's order.
pub fn goal_indicators(formulas: &GoalFormulas, inputs: &GoalInputs) -> Vec<Indicator> {
    vec![
        revenue_share(inputs),
        development_rate(formulas.development, inputs),
        retention_rate(formulas.retention, inputs),
        dossier_completeness(formulas.dossier, inputs),
        new_key_customers(inputs),
        plan_progress(inputs),
        service_met_rate(inputs),
    ]
}

/// The criteria of the team appraisal (§11.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumIter)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum TeamCriterion {
    /// 目标完成: achievement ÷ target, at most 1.
    Achievement,
    /// 用邮欠费: 1 − unpaid postage ÷ revenue.
    UnpaidPostage,
    /// 新增客户: new customers ÷ the target for new customers, at most 1.
    NewCustomers,
    /// 团队协作: entered 0–100.
    Cooperation,
    /// 信息共享: entered 0–100.
    InformationSharing,
    /// 日志记录: logs written ÷ logs required, at most 1.
    LogKeeping,
}

/// A team's period, as the store sums it and the centre enters it.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct TeamInputs {
    pub achievement: Money,
    pub target: Money,
    pub unpaid_postage: Money,
    pub revenue: Money,
    pub new_customers: u32,
    pub new_customers_target: u32,
    pub cooperation: Decimal,
    pub information_sharing: Decimal,
    pub logs_written: u32,
    pub logs_required: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TeamCriterionScore {
    pub criterion: TeamCriterion,
    /// 0..=1.
    pub score: Decimal,
    pub weight: Decimal,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TeamAppraisal {
    pub criteria: Vec<TeamCriterionScore>,
    /// Out of 100: the weighted mean of the scores (weights are relative).
    pub total: Decimal,
}

/// 团队考核: scores a team on the six criteria of §11.4. Nothing asked (no target,
/// no logs required) scores full; no revenue with unpaid postage scores 0.
pub fn team_appraisal(weights: &TeamAppraisalWeights, inputs: &TeamInputs) -> TeamAppraisal {
    let unit = |r: Option<Decimal>| r.map_or(Decimal::ONE, |r| r.clamp(Decimal::ZERO, Decimal::ONE));
    let entered = |p: Decimal| (p / Decimal::ONE_HUNDRED).clamp(Decimal::ZERO, Decimal::ONE);
    let owed = inputs.unpaid_postage.yuan();
    let unpaid = match ratio(owed, inputs.revenue.yuan()) {
        Some(share) => Decimal::ONE - share.clamp(Decimal::ZERO, Decimal::ONE),
        None if owed > Decimal::ZERO => Decimal::ZERO,
        None => Decimal::ONE,
    };
    let criteria = vec![
        (TeamCriterion::Achievement, unit(ratio(inputs.achievement.yuan(), inputs.target.yuan())), weights.achievement),
        (TeamCriterion::UnpaidPostage, unpaid, weights.unpaid_postage),
        (
            TeamCriterion::NewCustomers,
            unit(ratio(count(inputs.new_customers), count(inputs.new_customers_target))),
            weights.new_customers,
        ),
        (TeamCriterion::Cooperation, entered(inputs.cooperation), weights.cooperation),
        (TeamCriterion::InformationSharing, entered(inputs.information_sharing), weights.information_sharing),
        (
            TeamCriterion::LogKeeping,
            unit(ratio(count(inputs.logs_written), count(inputs.logs_required))),
            weights.log_keeping,
        ),
    ];
    let criteria: Vec<TeamCriterionScore> = criteria
        .into_iter()
        .map(|(criterion, score, weight)| TeamCriterionScore { criterion, score, weight: weight.max(Decimal::ZERO) })
        .collect();
    let weighted: Decimal = criteria.iter().map(|c| c.score * c.weight).sum();
    let weight_sum: Decimal = criteria.iter().map(|c| c.weight).sum();
    let total = ratio(weighted, weight_sum).unwrap_or(Decimal::ZERO) * Decimal::ONE_HUNDRED;
    TeamAppraisal { criteria, total }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn yuan(s: &str) -> Money {
        Money(d(s))
    }

    #[test]
    fn revenue_share_as_in_the_source() {
        // 9 customers bringing 20.63% of the unit's revenue.
        let inputs = GoalInputs { key_revenue: yuan("206.3"), unit_revenue: yuan("1000"), ..GoalInputs::default() };
        let share = revenue_share(&inputs);
        assert_eq!(share.value, Some(d("0.2063")));
        assert_eq!(share.formula, "goal-formula.revenue-share");
        assert_eq!(share_rise_points(d("0.2063"), d("0.195")), d("1.13"));
        assert_eq!(revenue_share(&GoalInputs::default()).value, None);
    }

    #[test]
    fn plan_progress_and_new_key_customers_as_in_the_source() {
        let inputs = GoalInputs {
            revenue_to_date: yuan("793"),
            yearly_plan: yuan("1000"),
            new_key_customers: 3,
            key_customers_now: 9,
            ..GoalInputs::default()
        };
        assert_eq!(plan_progress(&inputs).value, Some(d("0.793")));
        let new = new_key_customers(&inputs);
        assert_eq!((new.value, new.denominator), (Some(d("3")), d("9")));
        assert_eq!(plan_progress(&inputs).meets(d("0.8")), Some(false));
    }

    #[test]
    fn chosen_formulas_for_what_spec_leaves_open() {
        let inputs = GoalInputs {
            new_key_customers: 3,
            prospects: 12,
            key_customers_at_start: 6,
            kept_customers: 5,
            kept_revenue: yuan("900"),
            kept_revenue_year_ago: yuan("1000"),
            key_customers_now: 8,
            complete_dossiers: 6,
            required_fields: 80,
            filled_fields: 72,
            ..GoalInputs::default()
        };
        assert_eq!(development_rate(DevelopmentFormula::NewOverProspects, &inputs).value, Some(d("0.25")));
        assert_eq!(development_rate(DevelopmentFormula::NewOverStart, &inputs).value, Some(d("0.5")));
        let kept = retention_rate(RetentionFormula::CustomersKept, &inputs);
        assert_eq!((kept.numerator, kept.denominator), (d("5"), d("6")));
        assert_eq!(retention_rate(RetentionFormula::RevenueKept, &inputs).value, Some(d("0.9")));
        assert_eq!(dossier_completeness(DossierFormula::CompleteDossiers, &inputs).value, Some(d("0.75")));
        assert_eq!(dossier_completeness(DossierFormula::FilledFields, &inputs).value, Some(d("0.9")));
        let all = goal_indicators(&GoalFormulas::default(), &inputs);
        assert_eq!(all.len(), 7);
        assert_eq!(all[1].formula, "goal-formula.development.new-over-prospects");
    }

    #[test]
    fn service_met_rate_is_met_over_closed() {
        let inputs = GoalInputs { requests_closed: 40, requests_met: 38, ..GoalInputs::default() };
        assert_eq!(service_met_rate(&inputs).value, Some(d("0.95")));
        assert_eq!(service_met_rate(&GoalInputs::default()).value, None);
    }

    fn perfect_team() -> TeamInputs {
        TeamInputs {
            achievement: yuan("120000"),
            target: yuan("100000"),
            unpaid_postage: Money::ZERO,
            revenue: yuan("120000"),
            new_customers: 3,
            new_customers_target: 2,
            cooperation: d("100"),
            information_sharing: d("100"),
            logs_written: 50,
            logs_required: 40,
        }
    }

    #[test]
    fn a_perfect_team_scores_exactly_100_with_equal_weights() {
        assert_eq!(team_appraisal(&TeamAppraisalWeights::default(), &perfect_team()).total, d("100"));
    }

    #[test]
    fn team_criteria_score_by_their_ratios() {
        let weights = TeamAppraisalWeights {
            achievement: d("0.4"),
            unpaid_postage: d("0.2"),
            new_customers: d("0.1"),
            cooperation: d("0.1"),
            information_sharing: d("0.1"),
            log_keeping: d("0.1"),
        };
        let team = TeamInputs {
            achievement: yuan("80000"),
            unpaid_postage: yuan("12000"),
            new_customers: 1,
            cooperation: d("70"),
            logs_written: 30,
            ..perfect_team()
        };
        let out = team_appraisal(&weights, &team);
        let scores: Vec<Decimal> = out.criteria.iter().map(|c| c.score).collect();
        assert_eq!(scores, [d("0.8"), d("0.9"), d("0.5"), d("0.7"), d("1"), d("0.75")]);
        // 100 × (0.32 + 0.18 + 0.05 + 0.07 + 0.1 + 0.075)
        assert_eq!(out.total, d("79.5"));
    }
}
