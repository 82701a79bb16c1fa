//! Visits (SPEC §5): what kind of contact, its state, and who took part.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

/// The kinds of contact with a key customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum VisitKind {
    /// 上门拜访
    InPerson,
    /// 电话短信
    Phone,
    /// 节日祝贺
    HolidayGreeting,
    /// 高层拜访: led by a bureau leader
    SeniorVisit,
    /// 交流/联谊活动, incl. touring postal operations
    Exchange,
    /// 礼品馈赠
    Gift,
    /// 满意度调查
    Survey,
}

impl VisitKind {
    pub const ALL: [VisitKind; 7] = [
        VisitKind::InPerson,
        VisitKind::Phone,
        VisitKind::HolidayGreeting,
        VisitKind::SeniorVisit,
        VisitKind::Exchange,
        VisitKind::Gift,
        VisitKind::Survey,
    ];
}

stored_code!(VisitKind);

/// What is stored. "Overdue" is not stored: it is a planned visit whose time has
/// passed, and it is derived at the moment of asking ([`VisitStatus`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum VisitState {
    Planned,
    Done,
    Cancelled,
}

stored_code!(VisitState);

/// How a visit stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum VisitStatus {
    Planned,
    Done,
    Cancelled,
    /// Planned, its time has passed, and it was not recorded as done.
    Overdue,
}

impl VisitStatus {
    /// A marker that tells the states apart without colour (16-colour and
    /// NO_COLOR terminals).
    pub fn marker(self) -> &'static str {
        match self {
            VisitStatus::Planned => "○",
            VisitStatus::Done => "●",
            VisitStatus::Cancelled => "×",
            VisitStatus::Overdue => "!",
        }
    }
}

stored_code!(VisitStatus);

/// A planned visit is overdue once its planned day is over. (A visit planned for
/// 09:00 today is still today's work at 15:00, not overdue.)
pub fn visit_status(state: VisitState, planned_at: NaiveDateTime, now: NaiveDateTime) -> VisitStatus {
    match state {
        VisitState::Done => VisitStatus::Done,
        VisitState::Cancelled => VisitStatus::Cancelled,
        VisitState::Planned if planned_at.date() < now.date() => VisitStatus::Overdue,
        VisitState::Planned => VisitStatus::Planned,
    }
}

/// The part a member of staff plays in a visit (SPEC §5: who must take part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum ParticipantRole {
    AccountManager,
    Supervisor,
    Leader,
}

stored_code!(ParticipantRole);

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, d).unwrap().and_hms_opt(h, 0, 0).unwrap()
    }

    #[test]
    fn overdue_starts_the_day_after_the_planned_day() {
        assert_eq!(visit_status(VisitState::Planned, at(23, 9), at(23, 18)), VisitStatus::Planned);
        assert_eq!(visit_status(VisitState::Planned, at(22, 23), at(23, 0)), VisitStatus::Overdue);
        assert_eq!(visit_status(VisitState::Done, at(1, 9), at(23, 9)), VisitStatus::Done);
        assert_eq!(visit_status(VisitState::Cancelled, at(1, 9), at(23, 9)), VisitStatus::Cancelled);
    }

    #[test]
    fn codes_round_trip() {
        for k in VisitKind::ALL {
            assert_eq!(VisitKind::from_code(k.code()), Some(k));
        }
        assert_eq!(VisitState::from_code("done"), Some(VisitState::Done));
        assert_eq!(ParticipantRole::from_code("leader"), Some(ParticipantRole::Leader));
    }
}
