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
    /// 营销计划缺失 (until kam keeps the plans themselves).
    MissingPlan,
    /// 违纪: a confirmed serious breach; the month's pay is withheld in part.
    Discipline,
}

impl EntryKind {
    pub const ALL: [EntryKind; 17] = [
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

    /// Whether the entry carries points of its own (a lower rank's, an other bonus's).
    pub fn takes_points(self) -> bool {
        self.is_rank() || self == EntryKind::BonusOther
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
