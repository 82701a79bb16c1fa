//! Complaints (SPEC §8, 投诉处理, 首问负责制): what a complaint is filed as,
//! the workflow it moves through, its deadline, its monthly follow-up and
//! its number. Pure rules: times are parameters, never read from a clock.
//!
//! The workflow, and why each refusal exists:
//! ```text
//! received ─assign→ assigned ─start→ in_progress ⇄ escalated
//!                                      │ resolve      │ resolve
//!                                      ▼              ▼
//!                                    resolved ─confirm(satisfaction)→ confirmed ─close→ closed
//!          reopen from resolved, confirmed or closed → in_progress
//!          confirmed as unsatisfied: reopen, escalate, or close_unsatisfied → closed
//! ```
//! - Whoever receives a complaint owns it (first-responsible) until it is
//!   assigned to the customer's account manager.
//! - Closing needs the customer's satisfaction confirmed first; asking to
//!   close anything not yet confirmed is refused with
//!   [`WorkflowError::SatisfactionNotConfirmed`], because that is what the
//!   user has to do next.
//! - A customer confirmed *unsatisfied* keeps the complaint open (SPEC §8:
//!   handling ends with the customer's satisfaction): it goes back to
//!   handling (reopen) or up to the supervisor (escalate), and a plain close
//!   is refused with [`WorkflowError::CustomerUnsatisfied`]. Only a
//!   supervisor's recorded decision ([`Transition::CloseUnsatisfied`], with
//!   its reason; who may decide is the access rules' business) closes it
//!   anyway, and the close says so.
//! - A special case must have had its first phone contact before it is
//!   resolved; a platinum-or-above customer's complaint must name its
//!   cross-department team (market, business, technology, customer service).

use chrono::{Days, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use thiserror::Error;

/// How the complaint reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Channel {
    /// 电话
    Phone,
    /// 服务热线 (11183)
    Hotline,
    /// 上门
    Visit,
    /// 信函
    Letter,
    /// 电子邮件
    Email,
    Other,
}

impl Channel {
    pub const ALL: [Channel; 6] =
        [Channel::Phone, Channel::Hotline, Channel::Visit, Channel::Letter, Channel::Email, Channel::Other];
}

/// What the complaint is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Category {
    /// 延误
    Delay,
    /// 丢失损毁
    LossDamage,
    /// 地址或邮编错误
    WrongAddress,
    /// 退信
    ReturnedMail,
    /// 资费/账单
    Billing,
    /// 服务态度
    ServiceAttitude,
    Other,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Delay,
        Category::LossDamage,
        Category::WrongAddress,
        Category::ReturnedMail,
        Category::Billing,
        Category::ServiceAttitude,
        Category::Other,
    ];
}

/// How serious the complaint is, low to high.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum Severity {
    Low,
    Normal,
    High,
}

impl Severity {
    pub const ALL: [Severity; 3] = [Severity::Low, Severity::Normal, Severity::High];
}

/// The customer's word on a result, best first. Also used by the marketing log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Satisfaction {
    /// 满意
    Satisfied,
    /// 基本满意
    BasicallySatisfied,
    /// 不满意
    Unsatisfied,
}

impl Satisfaction {
    pub const ALL: [Satisfaction; 3] =
        [Satisfaction::Satisfied, Satisfaction::BasicallySatisfied, Satisfaction::Unsatisfied];
}

/// Which time limit of SPEC §8 applies: city customers the same day, rural
/// customers within 2 days, special cases (phone first) within 3 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Locality {
    /// 城区
    City,
    /// 农村
    Rural,
    /// 特殊情况
    Special,
}

impl Locality {
    pub const ALL: [Locality; 3] = [Locality::City, Locality::Rural, Locality::Special];

    /// Calendar days after the day of receipt that the deadline falls on.
    /// Calendar days, not working days: SPEC §8 names no holiday rule, and
    /// a customer waiting over a weekend is still waiting.
    pub fn days_allowed(self) -> u64 {
        match self {
            Locality::City => 0,
            Locality::Rural => 2,
            Locality::Special => 3,
        }
    }
}

/// Where a complaint stands in the workflow (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum ComplaintState {
    /// 受理: with the first-responsible person who received it.
    Received,
    /// 已分派 to the customer's account manager.
    Assigned,
    /// 处理中
    InProgress,
    /// 已上报 to the account manager's supervisor.
    Escalated,
    /// 已解决, waiting for the customer's word.
    Resolved,
    /// 客户满意度已确认
    Confirmed,
    /// 已结案
    Closed,
}

impl ComplaintState {
    /// In workflow order.
    pub const ALL: [ComplaintState; 7] = [
        ComplaintState::Received,
        ComplaintState::Assigned,
        ComplaintState::InProgress,
        ComplaintState::Escalated,
        ComplaintState::Resolved,
        ComplaintState::Confirmed,
        ComplaintState::Closed,
    ];
}

stored_code!(Channel, Category, Severity, Satisfaction, Locality, ComplaintState);

/// A step a user asks for. Whether it is allowed depends on the state and
/// the [`ComplaintFacts`]; see [`next_state`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Transition {
    /// Hand over from the first-responsible person to the account manager.
    Assign,
    /// The account manager starts handling it.
    Start,
    /// Beyond the account manager: up to their supervisor.
    Escalate,
    Resolve,
    /// Record the customer's word on the result.
    #[strum(serialize = "confirm")]
    ConfirmSatisfaction(Satisfaction),
    Close,
    /// Back to handling: the problem came back or the customer is not satisfied.
    Reopen,
    /// The supervisor's decision to close although the customer is not
    /// satisfied, with the reason (the only way such a complaint closes).
    CloseUnsatisfied,
}

impl Transition {
    /// Every transition, the confirmation once per satisfaction value.
    pub const ALL: [Transition; 10] = [
        Transition::Assign,
        Transition::Start,
        Transition::Escalate,
        Transition::Resolve,
        Transition::ConfirmSatisfaction(Satisfaction::Satisfied),
        Transition::ConfirmSatisfaction(Satisfaction::BasicallySatisfied),
        Transition::ConfirmSatisfaction(Satisfaction::Unsatisfied),
        Transition::Close,
        Transition::Reopen,
        Transition::CloseUnsatisfied,
    ];

    /// The stable code of the step, as the timeline stores it. The
    /// satisfaction value is not part of it: it is stored on the complaint.
    pub fn code(self) -> &'static str {
        self.into()
    }

    /// The step is a decision that must carry its reason (the note).
    pub fn needs_reason(self) -> bool {
        self == Transition::CloseUnsatisfied
    }
}

/// Still being handled: not closed, and not settled by a confirmation, unless
/// the customer said they are not satisfied (then handling goes on).
pub fn is_open(state: ComplaintState, satisfaction: Option<Satisfaction>) -> bool {
    match state {
        ComplaintState::Closed => false,
        ComplaintState::Confirmed => satisfaction == Some(Satisfaction::Unsatisfied),
        _ => true,
    }
}

/// What the workflow needs to know about a complaint besides its state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ComplaintFacts {
    /// The customer's word on the current result, once recorded (a reopen
    /// or an escalation clears it: the next result needs its own).
    pub satisfaction: Option<Satisfaction>,
    /// A first phone contact with the customer has been recorded.
    pub first_phone_contact: bool,
    pub locality: Locality,
    /// The cross-department complaint team has been named.
    pub team_named: bool,
    /// The customer is platinum or above, so a team is required.
    pub platinum_or_above: bool,
}

/// Why a step was refused, in terms the UI can translate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum WorkflowError {
    #[error("a complaint closes only after the customer's satisfaction is confirmed")]
    SatisfactionNotConfirmed,
    #[error("the customer is not satisfied: reopen or escalate it, or a supervisor closes it with a reason")]
    CustomerUnsatisfied,
    #[error("closing a complaint the customer is not satisfied with needs the reason for the decision")]
    ReasonRequired,
    #[error("a special case is resolved only after a first phone contact with the customer")]
    PhoneContactFirst,
    #[error("a platinum-or-above customer's complaint needs its cross-department team named before it is resolved")]
    TeamRequired,
    #[error("cannot {} a complaint that is {}", .transition.code(), .from.code())]
    NotAllowed { from: ComplaintState, transition: Transition },
}

/// The state `transition` leads to from `state`, or why it is refused.
pub fn next_state(
    state: ComplaintState,
    transition: Transition,
    facts: &ComplaintFacts,
) -> Result<ComplaintState, WorkflowError> {
    use ComplaintState::{Assigned, Closed, Confirmed, Escalated, InProgress, Received, Resolved};
    let not_allowed = WorkflowError::NotAllowed { from: state, transition };
    match (state, transition) {
        (Received, Transition::Assign) => Ok(Assigned),
        (Assigned, Transition::Start) => Ok(InProgress),
        (InProgress, Transition::Escalate) => Ok(Escalated),
        // The supervisor hands the handling back to the account manager.
        (Escalated, Transition::Start) => Ok(InProgress),
        (InProgress | Escalated, Transition::Resolve) => {
            // Phone first: it is the step the time limit of a special case
            // is about, so it is reported before the missing team.
            if facts.locality == Locality::Special && !facts.first_phone_contact {
                Err(WorkflowError::PhoneContactFirst)
            } else if facts.platinum_or_above && !facts.team_named {
                Err(WorkflowError::TeamRequired)
            } else {
                Ok(Resolved)
            }
        }
        (Resolved, Transition::ConfirmSatisfaction(_)) => Ok(Confirmed),
        (Confirmed, Transition::Close) if facts.satisfaction == Some(Satisfaction::Unsatisfied) => {
            Err(WorkflowError::CustomerUnsatisfied)
        }
        (Confirmed, Transition::Close) if facts.satisfaction.is_some() => Ok(Closed),
        // Unsatisfied: up to the supervisor, or closed by their decision.
        (Confirmed, Transition::Escalate | Transition::CloseUnsatisfied)
            if facts.satisfaction == Some(Satisfaction::Unsatisfied) =>
        {
            Ok(if transition == Transition::Escalate { Escalated } else { Closed })
        }
        // Not yet confirmed in this round (a satisfaction recorded before a
        // reopen does not count for a resolved complaint): the refusal names
        // what is missing rather than the state.
        (Received | Assigned | InProgress | Escalated | Resolved | Confirmed, Transition::Close) => {
            Err(WorkflowError::SatisfactionNotConfirmed)
        }
        (Resolved | Confirmed | Closed, Transition::Reopen) => Ok(InProgress),
        _ => Err(not_allowed),
    }
}

/// The customer's word a complaint rests on after `transition`: a
/// confirmation records it; a reopen or an escalation clears it, because the
/// next result needs its own word; every other step keeps it (a close ends
/// with the word it closed on).
pub fn satisfaction_after(transition: Transition, current: Option<Satisfaction>) -> Option<Satisfaction> {
    match transition {
        Transition::ConfirmSatisfaction(word) => Some(word),
        Transition::Reopen | Transition::Escalate => None,
        _ => current,
    }
}

/// The steps [`next_state`] accepts now, in [`Transition::ALL`] order, for
/// the UI's menu. The confirmation appears once per satisfaction value.
pub fn allowed_transitions(state: ComplaintState, facts: &ComplaintFacts) -> Vec<Transition> {
    Transition::ALL.into_iter().filter(|transition| next_state(state, *transition, facts).is_ok()).collect()
}

// Evaluated at compile time, so an invalid time would not build.
const END_OF_DAY: NaiveTime = match NaiveTime::from_hms_opt(23, 59, 59) {
    Some(time) => time,
    None => panic!("23:59:59 is a valid time"),
};

/// When a complaint received at `received_at` must be resolved: the end
/// (23:59:59) of the day of receipt for a city customer, of the day 2
/// days later for a rural customer, 3 days later for a special case.
pub fn deadline(received_at: NaiveDateTime, locality: Locality) -> NaiveDateTime {
    received_at
        .date()
        .checked_add_days(Days::new(locality.days_allowed()))
        .map_or(NaiveDateTime::MAX, |day| day.and_time(END_OF_DAY))
}

/// Time left before a deadline, or how long it has been overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeLeft {
    /// Not overdue; zero exactly at the deadline.
    Left(TimeDelta),
    /// Past the deadline by this much (always positive).
    Overdue(TimeDelta),
}

impl TimeLeft {
    pub fn is_overdue(self) -> bool {
        matches!(self, TimeLeft::Overdue(_))
    }
}

/// How `now` stands against `deadline`; exactly at the deadline is not overdue.
pub fn time_left(deadline: NaiveDateTime, now: NaiveDateTime) -> TimeLeft {
    if now <= deadline { TimeLeft::Left(deadline - now) } else { TimeLeft::Overdue(now - deadline) }
}

/// When the next monthly follow-up note of a resolved complaint that still
/// affects business is due: one calendar month after the later of the last
/// note and the resolution, clamped to the month's end (a note on 31 January
/// makes the next due on 28 or 29 February). `None` only past chrono's range.
pub fn next_follow_up_date(last_note: Option<NaiveDate>, resolved_on: NaiveDate) -> Option<NaiveDate> {
    let since = last_note.map_or(resolved_on, |note| note.max(resolved_on));
    since.checked_add_months(Months::new(1))
}

/// The due date of the follow-up note when one is due by `today` (due today
/// or earlier), for Today's "follow-up due" list; `None` while the next note
/// is not yet due. [`next_follow_up_date`] gives the date regardless.
pub fn follow_up_due(last_note: Option<NaiveDate>, resolved_on: NaiveDate, today: NaiveDate) -> Option<NaiveDate> {
    next_follow_up_date(last_note, resolved_on).filter(|due| *due <= today)
}

/// Whether the follow-up note is past its due date: due yesterday or earlier.
pub fn follow_up_overdue(last_note: Option<NaiveDate>, resolved_on: NaiveDate, today: NaiveDate) -> bool {
    next_follow_up_date(last_note, resolved_on).is_some_and(|due| today > due)
}

/// Prefix of every complaint number: 投诉 (tóu sù).
const NUMBER_PREFIX: &str = "TS";
/// Digits the sequence is padded to.
const SEQUENCE_DIGITS: usize = 6;

/// A complaint's number: `TS`, the four-digit year of receipt, `-`, and the
/// sequence within that year zero-padded to six digits, e.g. `TS2026-000123`.
/// Sequences start at 1 each year; past 999999 the number simply grows a
/// digit, so it stays unique (though no longer sorts as text). Years are
/// those of real complaints, 0 to 9999; others do not parse back.
pub fn complaint_number(year: i32, sequence: u32) -> String {
    format!("{NUMBER_PREFIX}{year:04}-{sequence:0SEQUENCE_DIGITS$}")
}

/// Why a text is not a complaint number.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ComplaintNumberError {
    #[error("not a complaint number (expected TS, a four-digit year, - and a six-digit sequence): {0}")]
    Malformed(String),
    #[error("complaint sequences start at 1: {0}")]
    ZeroSequence(String),
}

/// Reads `(year, sequence)` back from a number exactly as
/// [`complaint_number`] writes it; anything else is refused, so a number
/// has one spelling.
pub fn parse_complaint_number(number: &str) -> Result<(i32, u32), ComplaintNumberError> {
    let malformed = || ComplaintNumberError::Malformed(number.to_string());
    let rest = number.strip_prefix(NUMBER_PREFIX).ok_or_else(malformed)?;
    let (year_digits, sequence_digits) = rest.split_once('-').ok_or_else(malformed)?;
    let all_digits = |text: &str| !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit());
    if year_digits.len() != 4 || !all_digits(year_digits) || !all_digits(sequence_digits) {
        return Err(malformed());
    }
    let year: i32 = year_digits.parse().map_err(|_| malformed())?;
    let sequence: u32 = sequence_digits.parse().map_err(|_| malformed())?;
    // Round-trip: refuses short padding ("TS2026-123") and extra zeros.
    if complaint_number(year, sequence) != number {
        return Err(malformed());
    }
    if sequence == 0 {
        return Err(ComplaintNumberError::ZeroSequence(number.to_string()));
    }
    Ok((year, sequence))
}

#[cfg(test)]
mod tests {
    use super::ComplaintState::{Assigned, Closed, Confirmed, Escalated, InProgress, Received, Resolved};
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32, s: u32) -> NaiveDateTime {
        day(y, m, d).and_hms_opt(h, min, s).unwrap()
    }

    /// Facts under which no rule about facts refuses anything.
    const PERMISSIVE: ComplaintFacts = ComplaintFacts {
        satisfaction: Some(Satisfaction::Satisfied),
        first_phone_contact: true,
        locality: Locality::City,
        team_named: true,
        platinum_or_above: false,
    };

    const SATISFIED: Transition = Transition::ConfirmSatisfaction(Satisfaction::Satisfied);

    /// The workflow written out independently of `next_state`: every allowed
    /// pair, and the refusal for every other one, under permissive facts.
    fn expected(from: ComplaintState, transition: Transition) -> Result<ComplaintState, WorkflowError> {
        let allowed = match (from, transition) {
            (Received, Transition::Assign) => Some(Assigned),
            (Assigned, Transition::Start) => Some(InProgress),
            (InProgress, Transition::Escalate) => Some(Escalated),
            (Escalated, Transition::Start) => Some(InProgress),
            (InProgress, Transition::Resolve) | (Escalated, Transition::Resolve) => Some(Resolved),
            (Resolved, Transition::ConfirmSatisfaction(_)) => Some(Confirmed),
            (Confirmed, Transition::Close) => Some(Closed),
            (Resolved, Transition::Reopen) | (Confirmed, Transition::Reopen) | (Closed, Transition::Reopen) => {
                Some(InProgress)
            }
            _ => None,
        };
        match allowed {
            Some(to) => Ok(to),
            None if transition == Transition::Close && from != Closed => Err(WorkflowError::SatisfactionNotConfirmed),
            None => Err(WorkflowError::NotAllowed { from, transition }),
        }
    }

    #[test]
    fn every_state_and_transition_pair_follows_the_table() {
        let mut allowed = 0;
        for from in ComplaintState::ALL {
            for transition in Transition::ALL {
                let want = expected(from, transition);
                assert_eq!(next_state(from, transition, &PERMISSIVE), want, "{from:?} × {transition:?}");
                allowed += usize::from(want.is_ok());
            }
        }
        // 11 pairs; the confirmation counts once per satisfaction value.
        assert_eq!(allowed, 13);
    }

    #[test]
    fn the_happy_path_with_an_escalation() {
        let path = [
            (Transition::Assign, Assigned),
            (Transition::Start, InProgress),
            (Transition::Escalate, Escalated),
            (Transition::Start, InProgress),
            (Transition::Escalate, Escalated),
            (Transition::Resolve, Resolved),
            (Transition::ConfirmSatisfaction(Satisfaction::BasicallySatisfied), Confirmed),
            (Transition::Close, Closed),
        ];
        let mut state = Received;
        for (transition, to) in path {
            state = next_state(state, transition, &PERMISSIVE).unwrap();
            assert_eq!(state, to);
        }
    }

    #[test]
    fn close_without_confirmed_satisfaction_is_refused() {
        for from in [Received, Assigned, InProgress, Escalated, Resolved] {
            assert_eq!(
                next_state(from, Transition::Close, &PERMISSIVE),
                Err(WorkflowError::SatisfactionNotConfirmed),
                "{from:?}"
            );
        }
        let unconfirmed = ComplaintFacts { satisfaction: None, ..PERMISSIVE };
        assert_eq!(
            next_state(Confirmed, Transition::Close, &unconfirmed),
            Err(WorkflowError::SatisfactionNotConfirmed)
        );
        assert_eq!(
            next_state(Closed, Transition::Close, &PERMISSIVE),
            Err(WorkflowError::NotAllowed { from: Closed, transition: Transition::Close })
        );
    }

    #[test]
    fn only_a_confirmed_complaint_with_its_satisfaction_can_close() {
        for facts in all_facts() {
            for from in ComplaintState::ALL {
                if next_state(from, Transition::Close, &facts).is_ok() {
                    assert_eq!(from, Confirmed);
                    assert!(matches!(
                        facts.satisfaction,
                        Some(Satisfaction::Satisfied | Satisfaction::BasicallySatisfied)
                    ));
                }
            }
        }
    }

    /// Issue 12: a complaint confirmed unsatisfied dropped off the open list
    /// and the next step offered Close.
    #[test]
    fn an_unsatisfied_customer_keeps_the_complaint_open_and_leads_back_to_handling() {
        let unsatisfied = ComplaintFacts { satisfaction: Some(Satisfaction::Unsatisfied), ..PERMISSIVE };
        let confirmed = next_state(Resolved, Transition::ConfirmSatisfaction(Satisfaction::Unsatisfied), &unsatisfied);
        assert_eq!(confirmed, Ok(Confirmed));
        assert!(is_open(Confirmed, Some(Satisfaction::Unsatisfied)));
        assert!(!is_open(Confirmed, Some(Satisfaction::BasicallySatisfied)));
        assert!(!is_open(Closed, Some(Satisfaction::Unsatisfied)));
        assert!(is_open(Resolved, None));
        // No plain close: back to handling, up to the supervisor, or their decision.
        assert_eq!(next_state(Confirmed, Transition::Close, &unsatisfied), Err(WorkflowError::CustomerUnsatisfied));
        assert_eq!(
            allowed_transitions(Confirmed, &unsatisfied),
            vec![Transition::Escalate, Transition::Reopen, Transition::CloseUnsatisfied]
        );
        assert_eq!(next_state(Confirmed, Transition::Escalate, &unsatisfied), Ok(Escalated));
        assert_eq!(next_state(Confirmed, Transition::Reopen, &unsatisfied), Ok(InProgress));
        assert_eq!(next_state(Confirmed, Transition::CloseUnsatisfied, &unsatisfied), Ok(Closed));
        assert!(Transition::CloseUnsatisfied.needs_reason() && !Transition::Close.needs_reason());
        // A satisfied customer's complaint closes plainly; the decision is not offered.
        for s in [Satisfaction::Satisfied, Satisfaction::BasicallySatisfied] {
            let facts = ComplaintFacts { satisfaction: Some(s), ..PERMISSIVE };
            assert_eq!(allowed_transitions(Confirmed, &facts), vec![Transition::Close, Transition::Reopen]);
        }
        // The decision is only for an unsatisfied customer's confirmed complaint.
        for facts in all_facts() {
            for from in ComplaintState::ALL {
                if next_state(from, Transition::CloseUnsatisfied, &facts).is_ok() {
                    assert_eq!((from, facts.satisfaction), (Confirmed, Some(Satisfaction::Unsatisfied)));
                }
            }
        }
    }

    #[test]
    fn reopen_from_resolved_confirmed_and_closed() {
        for from in [Resolved, Confirmed, Closed] {
            assert_eq!(next_state(from, Transition::Reopen, &PERMISSIVE), Ok(InProgress), "{from:?}");
        }
        for from in [Received, Assigned, InProgress, Escalated] {
            assert_eq!(
                next_state(from, Transition::Reopen, &PERMISSIVE),
                Err(WorkflowError::NotAllowed { from, transition: Transition::Reopen })
            );
        }
        // A reopened complaint goes round again: resolve, confirm, close.
        let mut state = next_state(Closed, Transition::Reopen, &PERMISSIVE).unwrap();
        for transition in [Transition::Resolve, SATISFIED, Transition::Close] {
            state = next_state(state, transition, &PERMISSIVE).unwrap();
        }
        assert_eq!(state, Closed);
    }

    #[test]
    fn a_reopened_complaint_cannot_close_on_its_old_satisfaction() {
        let reopened = next_state(Confirmed, Transition::Reopen, &PERMISSIVE).unwrap();
        let resolved = next_state(reopened, Transition::Resolve, &PERMISSIVE).unwrap();
        // The old satisfaction is still recorded, yet the new result is unconfirmed.
        assert_eq!(next_state(resolved, Transition::Close, &PERMISSIVE), Err(WorkflowError::SatisfactionNotConfirmed));
    }

    #[test]
    fn a_special_case_resolves_only_after_the_first_phone_contact() {
        let no_phone = ComplaintFacts { locality: Locality::Special, first_phone_contact: false, ..PERMISSIVE };
        let phoned = ComplaintFacts { first_phone_contact: true, ..no_phone };
        for from in [InProgress, Escalated] {
            assert_eq!(next_state(from, Transition::Resolve, &no_phone), Err(WorkflowError::PhoneContactFirst));
            assert_eq!(next_state(from, Transition::Resolve, &phoned), Ok(Resolved));
        }
        // City and rural complaints need no recorded phone contact.
        for locality in [Locality::City, Locality::Rural] {
            let facts = ComplaintFacts { locality, ..no_phone };
            assert_eq!(next_state(InProgress, Transition::Resolve, &facts), Ok(Resolved));
        }
        // The state is checked first: resolving a received complaint is not allowed at all.
        assert_eq!(
            next_state(Received, Transition::Resolve, &no_phone),
            Err(WorkflowError::NotAllowed { from: Received, transition: Transition::Resolve })
        );
    }

    #[test]
    fn a_platinum_customer_s_complaint_resolves_only_with_a_team() {
        let no_team = ComplaintFacts { platinum_or_above: true, team_named: false, ..PERMISSIVE };
        for from in [InProgress, Escalated] {
            assert_eq!(next_state(from, Transition::Resolve, &no_team), Err(WorkflowError::TeamRequired));
            let with_team = ComplaintFacts { team_named: true, ..no_team };
            assert_eq!(next_state(from, Transition::Resolve, &with_team), Ok(Resolved));
        }
        let below_platinum = ComplaintFacts { platinum_or_above: false, ..no_team };
        assert_eq!(next_state(InProgress, Transition::Resolve, &below_platinum), Ok(Resolved));
        // Both missing: the phone contact is named first.
        let both = ComplaintFacts { locality: Locality::Special, first_phone_contact: false, ..no_team };
        assert_eq!(next_state(InProgress, Transition::Resolve, &both), Err(WorkflowError::PhoneContactFirst));
    }

    fn all_facts() -> Vec<ComplaintFacts> {
        let mut facts = Vec::new();
        let satisfactions = [
            None,
            Some(Satisfaction::Satisfied),
            Some(Satisfaction::BasicallySatisfied),
            Some(Satisfaction::Unsatisfied),
        ];
        for bits in 0..8_u8 {
            for locality in Locality::ALL {
                for satisfaction in satisfactions {
                    facts.push(ComplaintFacts {
                        satisfaction,
                        first_phone_contact: bits & 1 != 0,
                        locality,
                        team_named: bits & 2 != 0,
                        platinum_or_above: bits & 4 != 0,
                    });
                }
            }
        }
        facts
    }

    #[test]
    fn the_menu_offers_exactly_what_next_state_accepts() {
        for facts in all_facts() {
            for from in ComplaintState::ALL {
                let menu = allowed_transitions(from, &facts);
                for transition in Transition::ALL {
                    assert_eq!(menu.contains(&transition), next_state(from, transition, &facts).is_ok());
                }
            }
        }
        assert_eq!(allowed_transitions(Received, &PERMISSIVE), vec![Transition::Assign]);
        assert_eq!(allowed_transitions(InProgress, &PERMISSIVE), vec![Transition::Escalate, Transition::Resolve]);
        assert_eq!(
            allowed_transitions(Resolved, &PERMISSIVE),
            vec![
                SATISFIED,
                Transition::ConfirmSatisfaction(Satisfaction::BasicallySatisfied),
                Transition::ConfirmSatisfaction(Satisfaction::Unsatisfied),
                Transition::Reopen,
            ]
        );
        assert_eq!(allowed_transitions(Closed, &PERMISSIVE), vec![Transition::Reopen]);
    }

    #[test]
    fn refusals_read_as_sentences() {
        let refusal = WorkflowError::NotAllowed { from: Received, transition: Transition::Escalate };
        assert_eq!(refusal.to_string(), "cannot escalate a complaint that is received");
    }

    #[test]
    fn a_city_complaint_at_23_50_has_until_the_end_of_the_day() {
        let received = at(2026, 3, 10, 23, 50, 0);
        let due = deadline(received, Locality::City);
        assert_eq!(due, at(2026, 3, 10, 23, 59, 59));
        assert_eq!(time_left(due, received), TimeLeft::Left(TimeDelta::minutes(9) + TimeDelta::seconds(59)));
        assert_eq!(time_left(due, due), TimeLeft::Left(TimeDelta::zero()));
        assert!(!time_left(due, due).is_overdue());
        assert_eq!(time_left(due, at(2026, 3, 11, 0, 0, 0)), TimeLeft::Overdue(TimeDelta::seconds(1)));
    }

    #[test]
    fn a_city_complaint_received_at_midnight_has_the_whole_day() {
        let received = at(2026, 3, 10, 0, 0, 0);
        assert_eq!(deadline(received, Locality::City), at(2026, 3, 10, 23, 59, 59));
    }

    #[test]
    fn a_rural_complaint_has_until_the_end_of_the_second_day_after() {
        let received = at(2026, 2, 27, 8, 30, 0);
        let due = deadline(received, Locality::Rural);
        // Across the end of February (2026 is not a leap year).
        assert_eq!(due, at(2026, 3, 1, 23, 59, 59));
        assert_eq!(time_left(due, at(2026, 3, 1, 23, 0, 0)), TimeLeft::Left(TimeDelta::seconds(59 * 60 + 59)));
        assert_eq!(time_left(due, at(2026, 3, 1, 23, 59, 59)), TimeLeft::Left(TimeDelta::zero()));
        assert_eq!(time_left(due, at(2026, 3, 2, 0, 0, 0)), TimeLeft::Overdue(TimeDelta::seconds(1)));
        assert_eq!(time_left(due, at(2026, 3, 3, 0, 0, 0)), TimeLeft::Overdue(TimeDelta::seconds(86_401)));
    }

    #[test]
    fn a_special_case_has_until_the_end_of_the_third_day_after() {
        let received = at(2026, 12, 30, 16, 0, 0);
        let due = deadline(received, Locality::Special);
        // Across the end of the year.
        assert_eq!(due, at(2027, 1, 2, 23, 59, 59));
        assert!(!time_left(due, at(2027, 1, 2, 23, 59, 59)).is_overdue());
        assert!(time_left(due, at(2027, 1, 3, 0, 0, 0)).is_overdue());
    }

    #[test]
    fn the_deadline_saturates_at_the_end_of_time() {
        let received = NaiveDate::MAX.and_hms_opt(12, 0, 0).unwrap();
        assert_eq!(deadline(received, Locality::Special), NaiveDateTime::MAX);
    }

    #[test]
    fn follow_up_is_due_a_month_after_the_later_of_note_and_resolution() {
        assert_eq!(next_follow_up_date(None, day(2026, 3, 15)), Some(day(2026, 4, 15)));
        assert_eq!(next_follow_up_date(Some(day(2026, 5, 2)), day(2026, 3, 15)), Some(day(2026, 6, 2)));
        // A note written before the (re)resolution does not count.
        assert_eq!(next_follow_up_date(Some(day(2026, 3, 1)), day(2026, 3, 15)), Some(day(2026, 4, 15)));
    }

    #[test]
    fn follow_up_dates_clamp_to_the_month_end() {
        assert_eq!(next_follow_up_date(None, day(2026, 1, 31)), Some(day(2026, 2, 28)));
        assert_eq!(next_follow_up_date(None, day(2028, 1, 31)), Some(day(2028, 2, 29)));
        assert_eq!(next_follow_up_date(Some(day(2026, 3, 31)), day(2026, 1, 5)), Some(day(2026, 4, 30)));
        assert_eq!(next_follow_up_date(None, day(2026, 12, 31)), Some(day(2027, 1, 31)));
    }

    #[test]
    fn follow_up_due_on_its_day_and_overdue_the_day_after() {
        let resolved = day(2026, 1, 31);
        assert_eq!(follow_up_due(None, resolved, day(2026, 2, 27)), None);
        assert!(!follow_up_overdue(None, resolved, day(2026, 2, 27)));
        assert_eq!(follow_up_due(None, resolved, day(2026, 2, 28)), Some(day(2026, 2, 28)));
        assert!(!follow_up_overdue(None, resolved, day(2026, 2, 28)));
        assert_eq!(follow_up_due(None, resolved, day(2026, 3, 1)), Some(day(2026, 2, 28)));
        assert!(follow_up_overdue(None, resolved, day(2026, 3, 1)));
        // A note written on the due day moves the next one a month on.
        assert_eq!(follow_up_due(Some(day(2026, 2, 28)), resolved, day(2026, 3, 1)), None);
        assert!(!follow_up_overdue(Some(day(2026, 2, 28)), resolved, day(2026, 3, 28)));
        assert!(follow_up_overdue(Some(day(2026, 2, 28)), resolved, day(2026, 3, 29)));
    }

    #[test]
    fn complaint_numbers_round_trip() {
        assert_eq!(complaint_number(2026, 123), "TS2026-000123");
        assert_eq!(complaint_number(2026, 1), "TS2026-000001");
        assert_eq!(complaint_number(2026, 999_999), "TS2026-999999");
        assert_eq!(complaint_number(2026, 1_000_000), "TS2026-1000000");
        for (year, sequence) in [(2026, 123), (2026, 1), (1999, 999_999), (2030, 1_000_000), (2026, u32::MAX)] {
            assert_eq!(parse_complaint_number(&complaint_number(year, sequence)), Ok((year, sequence)));
        }
    }

    #[test]
    fn malformed_complaint_numbers_are_refused() {
        for text in [
            "",
            "TS",
            "TS2026",
            "TS2026-",
            "TS2026-123",
            "TS2026-0000123",
            "ts2026-000123",
            " TS2026-000123",
            "TS2026-000123 ",
            "TS26-000123",
            "TS2026_000123",
            "TS2026-00012a",
            "TS2026-+00123",
            "TS+026-000123",
            "XX2026-000123",
            "TS2026-99999999999",
        ] {
            assert_eq!(parse_complaint_number(text), Err(ComplaintNumberError::Malformed(text.into())), "{text:?}");
        }
        assert_eq!(
            parse_complaint_number("TS2026-000000"),
            Err(ComplaintNumberError::ZeroSequence("TS2026-000000".into()))
        );
    }

    #[test]
    fn codes_round_trip() {
        for channel in Channel::ALL {
            assert_eq!(Channel::from_code(channel.code()), Some(channel));
        }
        for category in Category::ALL {
            assert_eq!(Category::from_code(category.code()), Some(category));
        }
        for severity in Severity::ALL {
            assert_eq!(Severity::from_code(severity.code()), Some(severity));
        }
        for satisfaction in Satisfaction::ALL {
            assert_eq!(Satisfaction::from_code(satisfaction.code()), Some(satisfaction));
        }
        for locality in Locality::ALL {
            assert_eq!(Locality::from_code(locality.code()), Some(locality));
        }
        for state in ComplaintState::ALL {
            assert_eq!(ComplaintState::from_code(state.code()), Some(state));
        }
        assert_eq!(Channel::from_code("fax"), None);
    }

    #[test]
    fn codes_match_the_schema() {
        // The CHECK constraints of migrations/03-log-complaints.
        let codes = |codes: &[&str]| codes.join(",");
        assert_eq!(codes(&Channel::ALL.map(Channel::code)), "phone,hotline,visit,letter,email,other");
        assert_eq!(
            codes(&Category::ALL.map(Category::code)),
            "delay,loss_damage,wrong_address,returned_mail,billing,service_attitude,other"
        );
        assert_eq!(codes(&Severity::ALL.map(Severity::code)), "low,normal,high");
        assert_eq!(codes(&Locality::ALL.map(Locality::code)), "city,rural,special");
        assert_eq!(codes(&Satisfaction::ALL.map(Satisfaction::code)), "satisfied,basically_satisfied,unsatisfied");
        assert_eq!(
            codes(&ComplaintState::ALL.map(ComplaintState::code)),
            "received,assigned,in_progress,escalated,resolved,confirmed,closed"
        );
    }
}
