//! What only people know about a manager's month (SPEC §10.2): the unit
//! enters each with a reason, and the sheet scores it.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

use crate::domain::money::Money;

/// The kinds of entered item, with their stored codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum EntryKind {
    /// 晨会缺勤 (count: absences without reason).
    MeetingAbsence,
    /// 晨会迟到早退.
    MeetingLate,
    /// 培训缺勤.
    TrainingAbsence,
    /// 培训迟到早退.
    TrainingLate,
    /// 考试不合格.
    FailedExam,
    /// 工作表现 monthly rank (count: 1, 2, or 3 for lower; points for lower).
    BehaviourRank,
    /// 领导交办任务 monthly rank.
    LeaderTasksRank,
    /// 违规: 买件.
    ViolationBuyingPieces,
    /// 违规: 收寄禁限寄物品.
    ViolationProhibitedItems,
    /// 违规: 泄露客户资料.
    ViolationLeakingData,
    /// 违规: 抢夺他单位客户.
    ViolationGrabbingCustomer,
    /// 违规: 有效投诉 (the complaint's number in the reason).
    ViolationJustifiedComplaint,
    /// 加分: case circulated by the city bureau.
    BonusCityCase,
    /// 加分: case circulated by the province company.
    BonusProvinceCase,
    /// 加分: other merit (points as the bureau decides).
    BonusOther,
    /// 营销计划缺失: an adjustment on top of the plans kam counts from the stored plans (a plan handed in empty, or one kept elsewhere).
    MissingPlan,
    /// 违纪: a confirmed serious breach; the month's pay is withheld in part.
    Discipline,
    /// Planner sheet: written plans this month (count).
    PlannerWrittenPlan,
    /// Planner sheet: adopted plans, support, meetings and parties (points, ≤ 40).
    PlannerResults,
    /// Planner sheet: attendance (points, ≤ 10).
    PlannerAttendance,
    /// Planner sheet: responsibility (points).
    PlannerResponsibility,
    /// Planner sheet: teamwork (points).
    PlannerTeamwork,
    /// Planner sheet: innovation (points).
    PlannerInnovation,
    /// Planner sheet: initiative (points).
    PlannerInitiative,
    /// Planner sheet: a case circulated (count, +5 each).
    PlannerCase,
    /// A planned project's revenue collected this month (amount; points: a
    /// rate agreed for it instead of the rules').
    PlannedProject,
}

impl EntryKind {
    pub const ALL: [EntryKind; 26] = [
        EntryKind::MeetingAbsence,
        EntryKind::MeetingLate,
        EntryKind::TrainingAbsence,
        EntryKind::TrainingLate,
        EntryKind::FailedExam,
        EntryKind::BehaviourRank,
        EntryKind::LeaderTasksRank,
        EntryKind::ViolationBuyingPieces,
        EntryKind::ViolationProhibitedItems,
        EntryKind::ViolationLeakingData,
        EntryKind::ViolationGrabbingCustomer,
        EntryKind::ViolationJustifiedComplaint,
        EntryKind::BonusCityCase,
        EntryKind::BonusProvinceCase,
        EntryKind::BonusOther,
        EntryKind::MissingPlan,
        EntryKind::Discipline,
        EntryKind::PlannerWrittenPlan,
        EntryKind::PlannerResults,
        EntryKind::PlannerAttendance,
        EntryKind::PlannerResponsibility,
        EntryKind::PlannerTeamwork,
        EntryKind::PlannerInnovation,
        EntryKind::PlannerInitiative,
        EntryKind::PlannerCase,
        EntryKind::PlannedProject,
    ];

    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn from_code(code: &str) -> Option<EntryKind> {
        code.parse().ok()
    }

    /// A rank: one live entry per month, its count the rank.
    pub fn is_rank(self) -> bool {
        matches!(self, EntryKind::BehaviourRank | EntryKind::LeaderTasksRank)
    }

    /// Whether the entry carries points of its own (a lower rank's, an other
    /// bonus's, a planner item's, a project's own rate).
    pub fn takes_points(self) -> bool {
        self.is_rank() || self == EntryKind::BonusOther || self.planner_points()
    }

    /// A planner sheet item scored by the points given.
    pub fn planner_points(self) -> bool {
        matches!(
            self,
            EntryKind::PlannerResults
                | EntryKind::PlannerAttendance
                | EntryKind::PlannerResponsibility
                | EntryKind::PlannerTeamwork
                | EntryKind::PlannerInnovation
                | EntryKind::PlannerInitiative
        )
    }

    /// Items of a planner's month (the others are an account manager's or a team leader's).
    pub fn for_planner(self) -> bool {
        self.planner_points()
            || matches!(
                self,
                EntryKind::PlannerWrittenPlan
                    | EntryKind::PlannerCase
                    | EntryKind::PlannedProject
                    | EntryKind::Discipline
            )
    }

    /// Kinds entered for someone in `post`.
    pub fn for_post(self, post: Post) -> bool {
        match post {
            Post::Planner => self.for_planner(),
            Post::AccountManager | Post::TeamLeader => !self.for_planner() || self == EntryKind::Discipline,
        }
    }
}

/// An entered item as the sheet reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entered {
    pub id: i64,
    pub kind: EntryKind,
    /// Times (or, for a rank, the rank: 1, 2, 3 = lower).
    pub count: u32,
    pub points: Option<Decimal>,
    /// A planned project's collected revenue.
    #[serde(default)]
    pub amount: Option<Money>,
    pub reason: String,
    pub entered_by: String,
    pub entered_at: chrono::NaiveDateTime,
}

/// A manager's terms, set by the unit and dated (固定绩效基数, 当月任务,
/// 月度标准 of the achievement item).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Terms {
    pub fixed_base: Money,
    pub task: Money,
    pub monthly_standard: Money,
    #[serde(default)]
    pub post: Post,
    /// 计提比例 of a team leader's team part.
    #[serde(default)]
    pub accrual_ratio: Decimal,
}

/// The post a month is paid for (SPEC §10.1, §10.5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum Post {
    /// 专职客户经理.
    #[default]
    AccountManager,
    /// 营销团队负责人: the team is the account managers of their unit and below.
    TeamLeader,
    /// 营销策划人员.
    Planner,
}

impl Post {
    pub const ALL: [Post; 3] = [Post::AccountManager, Post::TeamLeader, Post::Planner];
    pub fn code(self) -> &'static str {
        self.into()
    }
    pub fn from_code(code: &str) -> Option<Post> {
        code.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_reads_back_from_its_code() {
        for kind in EntryKind::ALL {
            assert_eq!(EntryKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(EntryKind::from_code("violation"), None);
        let codes: std::collections::HashSet<_> = EntryKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), EntryKind::ALL.len());
    }
}
