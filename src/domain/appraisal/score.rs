//! 月度工作表现考核评价表 (SPEC §10.2): the monthly work-performance score
//! sheet of an account manager. Counts come from the store (visits, logs,
//! plans, dossier faults, complaints, achievement), the rest is entered by
//! the unit with a reason each. Every item stays within 0..=max; violations,
//! late money and bonuses adjust the total, which never goes below zero.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, IntoStaticStr};

use super::Points;
use super::late_money::LateBandHit;
use super::settings::{RankRule, SheetRules};
use crate::domain::money::Money;

/// Required against done: what the store counts for visits (§5), logs (§6)
/// and plans (§13.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Shortfall {
    pub required: u32,
    pub done: u32,
}

impl Shortfall {
    pub fn missing(self) -> u32 {
        self.required.saturating_sub(self.done)
    }
}

/// A count entered by the unit, with why (dates, names).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    pub count: u32,
    pub reason: String,
}

/// A monthly rank (behaviour: director 50% + peers 50%; leader tasks: the
/// director).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rank {
    First,
    Second,
    /// A lower rank and the points given for it (capped at the rule's 6).
    Lower(Points),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RankEntry {
    pub rank: Rank,
    pub reason: String,
}

/// 违规 kinds (−10 each time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumIter)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum ViolationKind {
    /// 买件: buying pieces to inflate business.
    BuyingPieces,
    /// Accepting prohibited or restricted items (收寄禁限寄物品).
    ProhibitedItems,
    /// Leaking customer data (泄露客户资料).
    LeakingData,
    /// Grabbing another unit's existing customer (抢夺他单位客户).
    GrabbingCustomer,
    /// A justified complaint (有效投诉); counted from §8, not entered.
    JustifiedComplaint,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Violation {
    pub kind: ViolationKind,
    pub reason: String,
}

/// 加分 kinds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum BonusKind {
    /// Case material circulated by the city bureau (+3).
    CityCase,
    /// Case material circulated by the province company (+5).
    ProvinceCase,
    /// Another merit, the points as the bureau decides.
    Other(Points),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bonus {
    pub kind: BonusKind,
    pub reason: String,
}

/// Everything one manager's sheet for one month is scored from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreInputs {
    // Counted by the store.
    pub visits: Shortfall,
    pub logs: Shortfall,
    pub plans: Shortfall,
    pub faulty_dossier_records: u32,
    pub justified_complaints: u32,
    pub achievement: Money,
    /// The monthly standard (§10.2: yearly labour productivity ÷ 12, or the
    /// grade's monthly achievement; the bureau picks which).
    pub monthly_standard: Money,
    // Entered by the unit.
    pub meeting_absences: Tally,
    pub meeting_lates: Tally,
    pub training_absences: Tally,
    pub training_lates: Tally,
    pub failed_exams: Tally,
    pub behaviour: RankEntry,
    pub leader_tasks: RankEntry,
    pub violations: Vec<Violation>,
    pub bonuses: Vec<Bonus>,
    /// The month's oldest late-money band, if any ([`super::late_money`]).
    pub late_money: Option<LateBandHit>,
}

/// The sheet's items, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumIter)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum SheetItem {
    /// 晨会出勤
    MorningMeeting,
    /// 客户拜访与开发
    Visits,
    /// 培训出勤与考试
    Training,
    /// 客户信息完整准确
    Dossier,
    /// 营销日志
    Logs,
    /// 营销计划
    Plans,
    /// 责任心、团队协作、创新、主动性
    Behaviour,
    /// 领导交办任务
    LeaderTasks,
    /// 当月营销收入
    Achievement,
}

/// The sheet's groups (daily work 35, CRM 25, behaviour 20, achievement 20).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr)]
#[strum(serialize_all = "kebab-case")]
pub enum SheetGroup {
    /// 日常工作
    DailyWork,
    /// 客户关系管理
    Crm,
    /// 工作表现
    Behaviour,
    /// 业绩
    Achievement,
}

impl SheetItem {
    pub fn group(self) -> SheetGroup {
        match self {
            SheetItem::MorningMeeting | SheetItem::Visits | SheetItem::Training => SheetGroup::DailyWork,
            SheetItem::Dossier | SheetItem::Logs | SheetItem::Plans => SheetGroup::Crm,
            SheetItem::Behaviour | SheetItem::LeaderTasks => SheetGroup::Behaviour,
            SheetItem::Achievement => SheetGroup::Achievement,
        }
    }
}

/// What a deduction or an adjustment was for.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Cause {
    Absence,
    Late,
    FailedExam,
    MissingVisit,
    FaultyRecord,
    MissingLog,
    MissingPlan,
    /// Points below the maximum for a rank.
    Rank,
    /// Achievement below the monthly standard.
    BelowStandard,
    Violation(ViolationKind),
    /// 逾期核减 on the basic score.
    LateMoney,
    Bonus,
}

/// Points taken off (or, for an adjustment, added): `count × each`, with
/// the reason entered or the counts behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Deduction {
    pub cause: Cause,
    pub count: u32,
    pub each: Points,
    pub points: Points,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemScore {
    pub item: SheetItem,
    pub max: Points,
    /// What the item scores: `max − deductions`, never below zero.
    pub points: Points,
    /// Deductions as counted; their sum may exceed `max` (the item stops at 0).
    pub deductions: Vec<Deduction>,
}

/// The scored sheet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreSheet {
    pub items: Vec<ItemScore>,
    /// Σ items (≤ 100).
    pub items_total: Points,
    /// Violations and late money (points negative) and bonuses (positive).
    pub adjustments: Vec<Deduction>,
    /// `items_total + adjustments`, never below zero, capped when the
    /// settings say so.
    pub total: Points,
}

impl ScoreSheet {
    pub fn item(&self, item: SheetItem) -> Option<&ItemScore> {
        self.items.iter().find(|i| i.item == item)
    }
}

fn deduction(cause: Cause, count: u32, each: Points, reason: &str) -> Deduction {
    Deduction { cause, count, each, points: each * Decimal::from(count), reason: reason.to_string() }
}

fn tally(cause: Cause, tally: &Tally, each: Points) -> Deduction {
    deduction(cause, tally.count, each, &tally.reason)
}

/// An item scored from its deductions, kept within 0..=max; deductions
/// that cost nothing (count 0) are left out.
fn item(item: SheetItem, max: Points, deductions: Vec<Deduction>) -> ItemScore {
    let deductions: Vec<Deduction> = deductions.into_iter().filter(|d| d.count > 0).collect();
    let lost: Points = deductions.iter().map(|d| d.points).sum();
    ItemScore { item, max, points: (max - lost).clamp(Decimal::ZERO, max), deductions }
}

fn missing_reason(s: Shortfall) -> String {
    format!("{}/{}", s.done, s.required)
}

/// 排名得分: the points a rank earns under `rule`: 1st and 2nd fixed, lower ranks as
/// entered but at most the cap, never below zero.
pub fn rank_points(rule: &RankRule, rank: Rank) -> Points {
    let points = match rank {
        Rank::First => rule.first,
        Rank::Second => rule.second,
        Rank::Lower(given) => given.min(rule.lower_cap),
    };
    points.clamp(Decimal::ZERO, rule.max)
}

fn ranked(which: SheetItem, rule: &RankRule, entry: &RankEntry) -> ItemScore {
    let lost = rule.max - rank_points(rule, entry.rank);
    item(which, rule.max, vec![deduction(Cause::Rank, u32::from(!lost.is_zero()), lost, &entry.reason)])
}

/// 20 × min(1, achievement ÷ standard). No standard set (zero) asks for
/// nothing, so the item is full.
fn achievement_item(max: Points, achievement: Money, standard: Money) -> ItemScore {
    let share = super::ratio(achievement.yuan(), standard.yuan()).map_or(Decimal::ONE, |r| r.min(Decimal::ONE));
    let lost = max - max * share.max(Decimal::ZERO);
    let reason = format!("{} / {}", achievement.format_yuan(), standard.format_yuan());
    item(SheetItem::Achievement, max, vec![deduction(Cause::BelowStandard, u32::from(!lost.is_zero()), lost, &reason)])
}

/// 月度工作表现考核: scores one manager's month.
pub fn score_sheet(rules: &SheetRules, inputs: &ScoreInputs) -> ScoreSheet {
    let meeting = &rules.morning_meeting;
    let training = &rules.training;
    let items = vec![
        item(
            SheetItem::MorningMeeting,
            meeting.max,
            vec![
                tally(Cause::Absence, &inputs.meeting_absences, meeting.per_absence),
                tally(Cause::Late, &inputs.meeting_lates, meeting.per_late),
            ],
        ),
        item(
            SheetItem::Visits,
            rules.visits.max,
            vec![deduction(
                Cause::MissingVisit,
                inputs.visits.missing(),
                rules.visits.per_event,
                &missing_reason(inputs.visits),
            )],
        ),
        item(
            SheetItem::Training,
            training.max,
            vec![
                tally(Cause::Absence, &inputs.training_absences, training.per_absence),
                tally(Cause::Late, &inputs.training_lates, training.per_late),
                tally(Cause::FailedExam, &inputs.failed_exams, training.per_failed_exam),
            ],
        ),
        item(
            SheetItem::Dossier,
            rules.dossier.max,
            vec![deduction(Cause::FaultyRecord, inputs.faulty_dossier_records, rules.dossier.per_event, "")],
        ),
        item(
            SheetItem::Logs,
            rules.logs.max,
            vec![deduction(
                Cause::MissingLog,
                inputs.logs.missing(),
                rules.logs.per_event,
                &missing_reason(inputs.logs),
            )],
        ),
        item(
            SheetItem::Plans,
            rules.plans.max,
            vec![deduction(
                Cause::MissingPlan,
                inputs.plans.missing(),
                rules.plans.per_event,
                &missing_reason(inputs.plans),
            )],
        ),
        ranked(SheetItem::Behaviour, &rules.behaviour, &inputs.behaviour),
        ranked(SheetItem::LeaderTasks, &rules.leader_tasks, &inputs.leader_tasks),
        achievement_item(rules.achievement_max, inputs.achievement, inputs.monthly_standard),
    ];
    let items_total: Points = items.iter().map(|i| i.points).sum();
    let adjustments = adjustments(rules, inputs);
    let adjusted = (items_total + adjustments.iter().map(|a| a.points).sum::<Points>()).max(Decimal::ZERO);
    let total = rules.total_cap.map_or(adjusted, |cap| adjusted.min(cap));
    ScoreSheet { items, items_total, adjustments, total }
}

/// Violations (each −10, justified complaints counted among them), the late
/// money's basic-score deduction, and bonuses; points signed.
fn adjustments(rules: &SheetRules, inputs: &ScoreInputs) -> Vec<Deduction> {
    let off = -rules.per_violation;
    let mut out: Vec<Deduction> =
        inputs.violations.iter().map(|v| deduction(Cause::Violation(v.kind), 1, off, &v.reason)).collect();
    if inputs.justified_complaints > 0 {
        let kind = Cause::Violation(ViolationKind::JustifiedComplaint);
        out.push(deduction(kind, inputs.justified_complaints, off, ""));
    }
    if let Some(hit) = &inputs.late_money {
        let reason = format!("{}", hit.oldest_age_months);
        out.push(deduction(Cause::LateMoney, 1, -hit.band.basic_score, &reason));
    }
    for bonus in &inputs.bonuses {
        let each = match bonus.kind {
            BonusKind::CityCase => rules.city_case_bonus,
            BonusKind::ProvinceCase => rules.province_case_bonus,
            BonusKind::Other(points) => points.max(Decimal::ZERO),
        };
        out.push(deduction(Cause::Bonus, 1, each, &bonus.reason));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appraisal::settings::{LateMoneyRules, pts};
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn yuan(n: i64) -> Money {
        Money(Decimal::from(n))
    }

    fn tally_of(count: u32) -> Tally {
        Tally { count, reason: format!("{count} times") }
    }

    /// A sheet with nothing missed.
    fn perfect() -> ScoreInputs {
        ScoreInputs {
            visits: Shortfall { required: 12, done: 12 },
            logs: Shortfall { required: 8, done: 9 },
            plans: Shortfall { required: 2, done: 2 },
            faulty_dossier_records: 0,
            justified_complaints: 0,
            achievement: yuan(50_000),
            monthly_standard: yuan(40_000),
            meeting_absences: Tally::default(),
            meeting_lates: Tally::default(),
            training_absences: Tally::default(),
            training_lates: Tally::default(),
            failed_exams: Tally::default(),
            behaviour: RankEntry { rank: Rank::First, reason: String::new() },
            leader_tasks: RankEntry { rank: Rank::First, reason: String::new() },
            violations: vec![],
            bonuses: vec![],
            late_money: None,
        }
    }

    fn points(sheet: &ScoreSheet, which: SheetItem) -> Points {
        sheet.item(which).unwrap().points
    }

    #[test]
    fn a_perfect_sheet_totals_exactly_100() {
        let sheet = score_sheet(&SheetRules::default(), &perfect());
        assert_eq!(sheet.items_total, pts(100));
        assert_eq!(sheet.total, pts(100));
        assert!(sheet.items.iter().all(|i| i.points == i.max && i.deductions.is_empty()));
        assert!(sheet.adjustments.is_empty());
    }

    #[test]
    fn each_item_deducts_per_event_as_the_reference_sheet_says() {
        let mut inputs = perfect();
        inputs.meeting_absences = tally_of(1); // −5
        inputs.meeting_lates = tally_of(2); // −2
        inputs.visits.done = 9; // 3 missing: −3
        inputs.training_lates = tally_of(1); // −1
        inputs.failed_exams = tally_of(1); // −2
        inputs.faulty_dossier_records = 3; // −1.5
        inputs.logs = Shortfall { required: 8, done: 6 }; // −2
        inputs.plans = Shortfall { required: 2, done: 1 }; // −2
        inputs.behaviour.rank = Rank::Second; // 8
        inputs.leader_tasks.rank = Rank::Lower(pts(6)); // 6
        inputs.achievement = yuan(30_000); // 20 × 0.75 = 15
        let sheet = score_sheet(&SheetRules::default(), &inputs);
        assert_eq!(points(&sheet, SheetItem::MorningMeeting), pts(3));
        assert_eq!(points(&sheet, SheetItem::Visits), pts(17));
        assert_eq!(points(&sheet, SheetItem::Training), pts(2));
        assert_eq!(points(&sheet, SheetItem::Dossier), d("8.5"));
        assert_eq!(points(&sheet, SheetItem::Logs), pts(8));
        assert_eq!(points(&sheet, SheetItem::Plans), pts(3));
        assert_eq!(points(&sheet, SheetItem::Behaviour), pts(8));
        assert_eq!(points(&sheet, SheetItem::LeaderTasks), pts(6));
        assert_eq!(points(&sheet, SheetItem::Achievement), pts(15));
        assert_eq!(sheet.total, d("70.5"));
        let meeting = sheet.item(SheetItem::MorningMeeting).unwrap();
        assert_eq!(meeting.deductions.len(), 2);
        assert_eq!((meeting.deductions[0].cause, meeting.deductions[0].points), (Cause::Absence, pts(5)));
        assert_eq!(meeting.deductions[1].reason, "2 times");
        let visits = &sheet.item(SheetItem::Visits).unwrap().deductions[0];
        assert_eq!((visits.count, visits.reason.as_str()), (3, "9/12"));
    }

    #[test]
    fn no_item_goes_below_zero() {
        let mut inputs = perfect();
        inputs.meeting_absences = tally_of(5); // −25 of 10
        inputs.visits = Shortfall { required: 40, done: 0 }; // −40 of 20
        inputs.training_absences = tally_of(9);
        inputs.faulty_dossier_records = 100;
        inputs.logs = Shortfall { required: 30, done: 0 };
        inputs.plans = Shortfall { required: 9, done: 0 };
        inputs.behaviour.rank = Rank::Lower(pts(-3));
        inputs.leader_tasks.rank = Rank::Lower(pts(9)); // capped at 6
        inputs.achievement = Money::ZERO;
        let sheet = score_sheet(&SheetRules::default(), &inputs);
        for item in &sheet.items {
            assert!(item.points >= Decimal::ZERO, "{:?}", item);
        }
        assert_eq!(points(&sheet, SheetItem::LeaderTasks), pts(6));
        assert_eq!(sheet.total, pts(6));
        // Violations beyond what is left stop the total at zero.
        inputs.violations = vec![Violation { kind: ViolationKind::BuyingPieces, reason: "买件".into() }];
        assert_eq!(score_sheet(&SheetRules::default(), &inputs).total, Decimal::ZERO);
    }

    #[test]
    fn violations_complaints_late_money_and_bonuses_adjust_the_total() {
        let mut inputs = perfect();
        inputs.violations = vec![Violation { kind: ViolationKind::LeakingData, reason: "10月3日".into() }];
        inputs.justified_complaints = 2;
        inputs.bonuses = vec![
            Bonus { kind: BonusKind::CityCase, reason: "市局通报".into() },
            Bonus { kind: BonusKind::ProvinceCase, reason: "省公司通报".into() },
        ];
        let band = LateMoneyRules::default().bands[0];
        inputs.late_money = Some(LateBandHit { index: 0, band, oldest_age_months: 4 });
        let sheet = score_sheet(&SheetRules::default(), &inputs);
        // 100 − 10 − 2×10 − 10 + 3 + 5
        assert_eq!(sheet.total, pts(68));
        assert_eq!(sheet.items_total, pts(100));
        let complaints =
            sheet.adjustments.iter().find(|a| a.cause == Cause::Violation(ViolationKind::JustifiedComplaint)).unwrap();
        assert_eq!((complaints.count, complaints.points), (2, pts(-20)));
    }

    #[test]
    fn bonuses_may_pass_100_unless_the_bureau_caps_the_total() {
        let mut inputs = perfect();
        inputs.bonuses = vec![Bonus { kind: BonusKind::ProvinceCase, reason: String::new() }];
        assert_eq!(score_sheet(&SheetRules::default(), &inputs).total, pts(105));
        let capped = SheetRules { total_cap: Some(pts(100)), ..SheetRules::default() };
        assert_eq!(score_sheet(&capped, &inputs).total, pts(100));
    }

    #[test]
    fn achievement_item_is_proportional_and_full_without_a_standard() {
        let rules = SheetRules::default();
        let score = |achievement, standard| achievement_item(rules.achievement_max, yuan(achievement), yuan(standard));
        assert_eq!(score(10_000, 40_000).points, pts(5));
        assert_eq!(score(40_000, 40_000).points, pts(20));
        assert_eq!(score(90_000, 40_000).points, pts(20));
        assert_eq!(score(0, 0).points, pts(20));
    }

    #[test]
    fn rank_points_follow_the_rule() {
        let rule = RankRule::default();
        assert_eq!(rank_points(&rule, Rank::First), pts(10));
        assert_eq!(rank_points(&rule, Rank::Second), pts(8));
        assert_eq!(rank_points(&rule, Rank::Lower(d("5.5"))), d("5.5"));
        assert_eq!(rank_points(&rule, Rank::Lower(pts(10))), pts(6));
    }
}
