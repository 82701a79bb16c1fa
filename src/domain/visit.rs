//! Visits (SPEC §5): what kind of contact, its state, and who took part.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

/// The kinds of contact with a key customer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
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

    pub fn code(self) -> &'static str {
        match self {
            VisitKind::InPerson => "in_person",
            VisitKind::Phone => "phone",
            VisitKind::HolidayGreeting => "holiday_greeting",
            VisitKind::SeniorVisit => "senior_visit",
            VisitKind::Exchange => "exchange",
            VisitKind::Gift => "gift",
            VisitKind::Survey => "survey",
        }
    }

    pub fn from_code(code: &str) -> Option<VisitKind> {
        VisitKind::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// What is stored. "Overdue" is not stored: it is a planned visit whose time has
/// passed, and it is derived at the moment of asking ([`VisitStatus`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitState {
    Planned,
    Done,
    Cancelled,
}

impl VisitState {
    pub fn code(self) -> &'static str {
        match self {
            VisitState::Planned => "planned",
            VisitState::Done => "done",
            VisitState::Cancelled => "cancelled",
        }
    }
    pub fn from_code(code: &str) -> Option<VisitState> {
        [VisitState::Planned, VisitState::Done, VisitState::Cancelled].into_iter().find(|s| s.code() == code)
    }
}

/// How a visit stands now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VisitStatus {
    Planned,
    Done,
    Cancelled,
    /// Planned, its time has passed, and it was not recorded as done.
    Overdue,
}

impl VisitStatus {
    pub fn code(self) -> &'static str {
        match self {
            VisitStatus::Planned => "planned",
            VisitStatus::Done => "done",
            VisitStatus::Cancelled => "cancelled",
            VisitStatus::Overdue => "overdue",
        }
    }

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
pub enum ParticipantRole {
    AccountManager,
    Supervisor,
    Leader,
}

impl ParticipantRole {
    pub fn code(self) -> &'static str {
        match self {
            ParticipantRole::AccountManager => "account_manager",
            ParticipantRole::Supervisor => "supervisor",
            ParticipantRole::Leader => "leader",
        }
    }
    pub fn from_code(code: &str) -> Option<ParticipantRole> {
        [ParticipantRole::AccountManager, ParticipantRole::Supervisor, ParticipantRole::Leader]
            .into_iter()
            .find(|r| r.code() == code)
    }
}

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
