//! The bureau's appraisal settings (SPEC §10, values marked *ref*): every
//! number the rules use, with SPEC's reference values as [`Default`]. Each
//! change is a new dated version ([`AppraisalSettings::effective_from`]);
//! [`in_force`] picks the version that governs a month, so a month is always
//! appraised by the rules of its time.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::Points;
use super::goals::GoalFormulas;
use crate::domain::money::Money;
use crate::domain::revenue::Month;

/// `n / 100` as an exact decimal: `pct(5)` is 5%.
pub(crate) fn pct(n: i64) -> Decimal {
    Decimal::new(n, 2)
}

/// Whole points.
pub(crate) fn pts(n: i64) -> Points {
    Decimal::from(n)
}

/// One dated version of the appraisal rules (考核办法).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AppraisalSettings {
    /// The first month these rules govern.
    #[serde(with = "super::month_text")]
    pub effective_from: Month,
    pub sheet: SheetRules,
    pub fixed: FixedPerformanceRules,
    pub commission: CommissionRules,
    pub conversion: ConversionRules,
    pub late_money: LateMoneyRules,
    pub completion: CompletionRules,
    pub team_leader: TeamLeaderRules,
    pub planner: PlannerRules,
    pub probation: ProbationRules,
    pub team: TeamAppraisalWeights,
    /// Formulas of the goal indicators SPEC §15 leaves to the bureau.
    pub goals: GoalFormulas,
    /// 违纪扣发: the share of the month's pay withheld for a confirmed
    /// serious breach (SPEC §10.2: 60%).
    pub discipline_withheld: Decimal,
}

impl Default for AppraisalSettings {
    fn default() -> Self {
        AppraisalSettings {
            // The earliest month kam knows: the reference values hold until a
            // bureau dates a change of its own.
            effective_from: Month::new(1900, 1).expect("1900-01 is a month"),
            sheet: SheetRules::default(),
            fixed: FixedPerformanceRules::default(),
            commission: CommissionRules::default(),
            conversion: ConversionRules::default(),
            late_money: LateMoneyRules::default(),
            completion: CompletionRules::default(),
            team_leader: TeamLeaderRules::default(),
            planner: PlannerRules::default(),
            probation: ProbationRules::default(),
            team: TeamAppraisalWeights::default(),
            goals: GoalFormulas::default(),
            discipline_withheld: pct(60),
        }
    }
}

/// 现行办法: the version in force in `month`: the latest `effective_from` not after
/// it. `None` when every version starts later (callers then use
/// [`AppraisalSettings::default`] or refuse, as their screen says). Of two
/// versions dated the same month, the later in `versions` wins.
pub fn in_force(versions: &[AppraisalSettings], month: Month) -> Option<&AppraisalSettings> {
    versions.iter().filter(|v| v.effective_from <= month).max_by_key(|v| v.effective_from)
}

/// Why a settings version cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("the score sheet's items add up to {0}, not 100")]
    SheetNotHundred(Decimal),
    #[error("a value that must not be negative is negative: {0}")]
    Negative(&'static str),
    #[error("conversion-factor bands must start at month 1 and rise")]
    ConversionBands,
    #[error("late-money bands must be in rising order of age")]
    LateBands,
}

impl AppraisalSettings {
    /// Checks what the rules rely on: the sheet totals 100, nothing negative,
    /// bands in order.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let total = self.sheet.maxima_total();
        if total != pts(100) {
            return Err(SettingsError::SheetNotHundred(total));
        }
        let rates = self.commission.rates.values().chain([&self.commission.default_rate]);
        if rates.clone().any(|r| r.is_sign_negative()) {
            return Err(SettingsError::Negative("commission rate"));
        }
        if self.fixed.per_point_share.is_sign_negative() || self.discipline_withheld.is_sign_negative() {
            return Err(SettingsError::Negative("share"));
        }
        let bands = &self.conversion.bands;
        let rising = bands.windows(2).all(|w| w[0].from_month < w[1].from_month);
        if bands.first().map(|b| b.from_month) != Some(1) || !rising {
            return Err(SettingsError::ConversionBands);
        }
        let late = &self.late_money.bands;
        if !late.windows(2).all(|w| w[0].older_than_months < w[1].older_than_months) {
            return Err(SettingsError::LateBands);
        }
        Ok(())
    }
}

/// 月度工作表现考核评价表 (SPEC §10.2): each item's maximum and what each
/// event costs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SheetRules {
    /// 晨会: max 10, −5 per absence without reason, −1 per late/early.
    pub morning_meeting: AttendanceRule,
    /// 客户拜访与开发: max 20, −1 per missing visit.
    pub visits: PerEventRule,
    /// 培训与考试: max 5, −2 per absence, −1 per late/early, −2 per failed exam.
    pub training: TrainingRule,
    /// 客户信息完整准确: max 10, −0.5 per faulty record.
    pub dossier: PerEventRule,
    /// 营销日志: max 10, −1 per missing log (the quota per customer is
    /// `marketing_log::monthly_log_quota`).
    pub logs: PerEventRule,
    /// 营销计划: max 5, −2 per missing plan.
    pub plans: PerEventRule,
    /// 责任心、协作、创新、主动性: max 10 by monthly rank.
    pub behaviour: RankRule,
    /// 领导交办任务: max 10 by the director's monthly rank.
    pub leader_tasks: RankRule,
    /// 当月营销收入: `max × min(1, revenue ÷ monthly standard)`, max 20.
    pub achievement_max: Points,
    /// 违规: points off each time (10).
    pub per_violation: Points,
    /// 加分: a case circulated by the city bureau (+3).
    pub city_case_bonus: Points,
    /// 加分: a case circulated by the province company (+5).
    pub province_case_bonus: Points,
    /// The highest total a sheet may reach with bonuses; `None`: no cap
    /// (SPEC is silent; a bonus is then worth its points even at 100).
    pub total_cap: Option<Points>,
}

impl SheetRules {
    /// The items' maxima added up: 100 by SPEC.
    pub fn maxima_total(&self) -> Points {
        self.morning_meeting.max
            + self.visits.max
            + self.training.max
            + self.dossier.max
            + self.logs.max
            + self.plans.max
            + self.behaviour.max
            + self.leader_tasks.max
            + self.achievement_max
    }
}

impl Default for SheetRules {
    fn default() -> Self {
        SheetRules {
            morning_meeting: AttendanceRule { max: pts(10), per_absence: pts(5), per_late: pts(1) },
            visits: PerEventRule { max: pts(20), per_event: pts(1) },
            training: TrainingRule { max: pts(5), per_absence: pts(2), per_late: pts(1), per_failed_exam: pts(2) },
            dossier: PerEventRule { max: pts(10), per_event: Decimal::new(5, 1) },
            logs: PerEventRule { max: pts(10), per_event: pts(1) },
            plans: PerEventRule { max: pts(5), per_event: pts(2) },
            behaviour: RankRule::default(),
            leader_tasks: RankRule::default(),
            achievement_max: pts(20),
            per_violation: pts(10),
            city_case_bonus: pts(3),
            province_case_bonus: pts(5),
            total_cap: None,
        }
    }
}

/// An item that loses the same points for each event.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PerEventRule {
    pub max: Points,
    pub per_event: Points,
}

/// 晨会 attendance.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AttendanceRule {
    pub max: Points,
    pub per_absence: Points,
    pub per_late: Points,
}

/// 培训 attendance and exams.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TrainingRule {
    pub max: Points,
    pub per_absence: Points,
    pub per_late: Points,
    pub per_failed_exam: Points,
}

/// A ranked item: 1st and 2nd fixed, lower ranks entered up to a cap.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RankRule {
    pub max: Points,
    pub first: Points,
    pub second: Points,
    /// The most a lower rank can be given (≤ 6).
    pub lower_cap: Points,
}

impl Default for RankRule {
    fn default() -> Self {
        RankRule { max: pts(10), first: pts(10), second: pts(8), lower_cap: pts(6) }
    }
}

/// 固定绩效 and the 80-point rule (SPEC §10.1).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FixedPerformanceRules {
    /// Score at which the base is paid in full (80).
    pub full_at: Points,
    /// Share of the base lost per point below `full_at` (5%).
    pub per_point_share: Decimal,
    pub part_points: PartPoints,
}

impl Default for FixedPerformanceRules {
    fn default() -> Self {
        FixedPerformanceRules { full_at: pts(80), per_point_share: pct(5), part_points: PartPoints::ProRata }
    }
}

/// How a part point below the line counts (SPEC §10.1 is silent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PartPoints {
    /// 79.5 loses 2.5% (the default).
    ProRata,
    /// Only whole points lost count: 79.5 keeps the full base.
    WholePoints,
    /// Every point begun counts whole: 79.5 loses 5%.
    StartedPoints,
}

/// 营销提成 rates by service line (SPEC §10.3). Keys are kam's service-line
/// codes; a line not listed takes `default_rate` ("a similar rate").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommissionRules {
    pub rates: BTreeMap<String, Decimal>,
    pub default_rate: Decimal,
}

impl CommissionRules {
    /// The rate for a service line, and whether it came from the table.
    pub fn rate_for(&self, line_code: &str) -> (Decimal, bool) {
        match self.rates.get(line_code) {
            Some(rate) => (*rate, true),
            None => (self.default_rate, false),
        }
    }
}

impl Default for CommissionRules {
    /// SPEC's reference table mapped onto kam's service lines. Where the
    /// table gives a range the lower end is shipped: the bureau raises it,
    /// nobody is overpaid by default. `agency` (代理) covers several rows of
    /// the table (insurance 30%, telecom cards 30%, air tickets 2–3%), so it
    /// takes the default rate until the bureau decides. Rows of the table
    /// with no line of their own in kam (定向邮品 10%, 数据库商函 5–15%,
    /// 明信片/信封 5–20%, 企业/校园期刊 15–20%, 电信卡 30%, 自邮一族 15%,
    /// 邮付通 20%, 银信通/短彩信 5%) become rates when a bureau adds the line.
    fn default() -> Self {
        let rates = [
            ("letters", pct(1)),   // 大宗信函 1–5%
            ("bill", pct(1)),      // 账单商函 1–10%
            ("dm", pct(10)),       // 邮送广告 10–15%
            ("express", pct(10)),  // EMS (postage) 10%
            ("parcels", pct(5)),   // 包裹 5%
            ("logistics", pct(5)), // 物流 (actual charge) 5%
            ("press", pct(3)),     // 报刊订阅 (month's value) 3%
            ("philately", pct(5)), // 集邮品 5%
            // 储蓄: 0.05% of the new daily-average balance, which is what the
            // savings line's achievement must then carry.
            ("savings", Decimal::new(5, 4)),
        ];
        CommissionRules {
            rates: rates.into_iter().map(|(code, rate)| (code.to_string(), rate)).collect(),
            default_rate: pct(5),
        }
    }
}

/// 折算系数 by month of cooperation (SPEC §10.4).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversionRules {
    /// Bands by their first month, rising; the last runs on for ever.
    pub bands: Vec<FactorBand>,
}

impl Default for ConversionRules {
    /// 1–12 → 1.0, 13–24 → 0.7, 25–36 → 0.4, 37 on → 0.1. The source puts
    /// month 36 in both of the last bands; kam reads the bands as whole
    /// years, so month 36 is 0.4 and 0.1 starts at 37.
    fn default() -> Self {
        let band = |from_month, factor| FactorBand { from_month, factor };
        ConversionRules { bands: vec![band(1, pct(100)), band(13, pct(70)), band(25, pct(40)), band(37, pct(10))] }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FactorBand {
    pub from_month: u32,
    pub factor: Decimal,
}

/// 逾期核减 (SPEC §10.2): bands by the age of the oldest unpaid money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LateMoneyRules {
    /// Rising by age; only the oldest band that applies counts.
    pub bands: Vec<LateBand>,
    /// The carry-over of a whole-debt charge lasts while some money is
    /// older than this many months (3).
    pub carry_while_older_than: u32,
}

impl Default for LateMoneyRules {
    /// "3–6 months", "6–12 months", "over 12 months" read with the lower
    /// end excluded, as "over 12" and "no debt older than 3 months" are:
    /// exactly 3 months costs nothing, exactly 6 is the first band,
    /// exactly 12 the second.
    fn default() -> Self {
        let band = |older_than_months, basic, share, whole_debt| LateBand {
            older_than_months,
            basic_score: pts(basic),
            achievement_share: pct(share),
            on_whole_debt: whole_debt,
        };
        LateMoneyRules {
            bands: vec![band(3, 10, 30, false), band(6, 20, 60, false), band(12, 50, 100, true)],
            carry_while_older_than: 3,
        }
    }
}

/// One late-money band.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct LateBand {
    /// Applies to money unpaid for more than this many months.
    pub older_than_months: u32,
    /// 基础积分 off the month's score sheet.
    pub basic_score: Points,
    /// 绩效积分 off: a share of the month's achievement pay, or with
    /// `on_whole_debt` a share of the whole unpaid amount, carried over.
    pub achievement_share: Decimal,
    pub on_whole_debt: bool,
}

/// 当月任务完成率 (SPEC §10.1: the bureau defines it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CompletionRules {
    pub definition: CompletionDefinition,
    /// The highest rate paid (`None`: no cap, over-achievement pays more).
    pub cap: Option<Decimal>,
}

impl Default for CompletionRules {
    fn default() -> Self {
        CompletionRules { definition: CompletionDefinition::AchievementOverTask, cap: None }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CompletionDefinition {
    /// The month's achievement ÷ the month's task; no task set → 100%.
    AchievementOverTask,
    /// The rate the unit enters for the month.
    Entered,
}

/// 营销团队负责人 (SPEC §10.5).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TeamLeaderRules {
    /// Whether the leader counts in the team's per-head achievement (SPEC
    /// is silent; by default yes: the leader is a member of the team).
    pub leader_in_per_head: bool,
    /// The highest team target completion paid (`None`: no cap).
    pub target_completion_cap: Option<Decimal>,
}

impl Default for TeamLeaderRules {
    fn default() -> Self {
        TeamLeaderRules { leader_in_per_head: true, target_completion_cap: None }
    }
}

/// 营销策划人员 (SPEC §10.5).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PlannerRules {
    /// Share of a planned project's collected revenue (1–3%; the lower end
    /// shipped).
    pub project_rate: Decimal,
    /// Highest pay for one project (a very large project is capped), if any.
    pub project_cap: Option<Money>,
    /// Planner sheet: ≥1 written plan a month.
    pub written_plan_max: Points,
    /// Planner sheet: adopted plans, support, meetings and parties together.
    pub results_max: Points,
    /// Planner sheet: each of attendance, responsibility, teamwork,
    /// innovation, initiative.
    pub behaviour_item_max: Points,
    /// +5 per case circulated.
    pub case_bonus: Points,
}

impl Default for PlannerRules {
    fn default() -> Self {
        PlannerRules {
            project_rate: pct(1),
            project_cap: None,
            written_plan_max: pts(10),
            results_max: pts(40),
            behaviour_item_max: pts(10),
            case_bonus: pts(5),
        }
    }
}

/// 考核培训期 (SPEC §10.6).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ProbationRules {
    pub months: u32,
    /// A transferee's score that earns the guaranteed performance pay (80).
    pub guarantee_at: Points,
}

impl Default for ProbationRules {
    fn default() -> Self {
        ProbationRules { months: 3, guarantee_at: pts(80) }
    }
}

/// Weights of the team appraisal criteria (SPEC §11.4: silent; equal by
/// default). Each criterion is scored 0–1; the weights are relative (the
/// total is their weighted mean), so they need not add up to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TeamAppraisalWeights {
    pub achievement: Decimal,
    pub unpaid_postage: Decimal,
    pub new_customers: Decimal,
    pub cooperation: Decimal,
    pub information_sharing: Decimal,
    pub log_keeping: Decimal,
}

impl Default for TeamAppraisalWeights {
    fn default() -> Self {
        let equal = Decimal::ONE;
        TeamAppraisalWeights {
            achievement: equal,
            unpaid_postage: equal,
            new_customers: equal,
            cooperation: equal,
            information_sharing: equal,
            log_keeping: equal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn month(y: i32, m: u32) -> Month {
        Month::new(y, m).unwrap()
    }

    #[test]
    fn reference_values_are_valid_and_the_sheet_totals_100() {
        let settings = AppraisalSettings::default();
        assert_eq!(settings.sheet.maxima_total(), pts(100));
        assert_eq!(settings.validate(), Ok(()));
    }

    #[test]
    fn a_broken_version_is_refused() {
        let mut settings = AppraisalSettings::default();
        settings.sheet.plans.max = pts(6);
        assert_eq!(settings.validate(), Err(SettingsError::SheetNotHundred(pts(101))));
        let mut settings = AppraisalSettings::default();
        settings.conversion.bands.swap(1, 2);
        assert_eq!(settings.validate(), Err(SettingsError::ConversionBands));
        let mut settings = AppraisalSettings::default();
        settings.commission.default_rate = pct(-1);
        assert_eq!(settings.validate(), Err(SettingsError::Negative("commission rate")));
    }

    #[test]
    fn the_version_in_force_is_the_latest_started() {
        let reference = AppraisalSettings::default();
        let mut raised = AppraisalSettings { effective_from: month(2026, 7), ..AppraisalSettings::default() };
        raised.commission.rates.insert("letters".into(), pct(3));
        let versions = vec![raised.clone(), reference.clone()];
        assert_eq!(in_force(&versions, month(2026, 6)), Some(&reference));
        assert_eq!(in_force(&versions, month(2026, 7)), Some(&raised));
        assert_eq!(in_force(&versions, month(2027, 1)), Some(&raised));
        assert_eq!(in_force(&versions[..1], month(2026, 6)), None);
        let mut corrected = raised.clone();
        corrected.commission.default_rate = pct(6);
        let same_month = vec![raised, corrected.clone()];
        assert_eq!(in_force(&same_month, month(2026, 7)), Some(&corrected), "the later entry of a month wins");
    }

    #[test]
    fn round_trips_through_json_with_the_month_as_text() {
        let settings = AppraisalSettings { effective_from: month(2026, 10), ..AppraisalSettings::default() };
        let json = serde_json::to_string(&settings).unwrap();
        assert!(json.contains("\"effective_from\":\"2026-10\""), "{json}");
        assert!(json.contains("\"letters\":\"0.01\""), "{json}");
        let back: AppraisalSettings = serde_json::from_str(&json).unwrap();
        assert_eq!(back, settings);
    }

    #[test]
    fn unlisted_lines_take_the_default_rate() {
        let rules = CommissionRules::default();
        assert_eq!(rules.rate_for("express"), (pct(10), true));
        assert_eq!(rules.rate_for("agency"), (pct(5), false));
        assert_eq!(rules.rate_for("savings"), (Decimal::new(5, 4), true));
    }
}
