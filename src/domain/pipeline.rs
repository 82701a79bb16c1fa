//! The development pipeline (SPEC §13.5–13.6): six steps from picking an
//! industry to expanding a new customer, who does each, by when, when a
//! step is overdue, and the end of the pipeline (the first agreement).
//!
//! **Deadlines.** SPEC gives one week (7 days) to the survey and the
//! segmentation and is silent for steps 3–6; kam gives each of them two
//! weeks (14 days). A step started on day `s` with `n` days is due on
//! `s + n` (started Monday with one week: due the next Monday); it is
//! **overdue** from the day after its due day, so on the due day itself it
//! is still on time.
//!
//! **Roles** (from the flow chart): the account manager does steps 1, 2, 5
//! and 6 and moves their own prospects; steps 3 (prioritisation) and 4
//! (positioning) are the director's and the team's, moved by a supervisor
//! (or the administrator).
//!
//! **End.** A prospect leaves the pipeline when its first agreement is
//! signed: it becomes a key customer (development stage *signed*), whatever
//! step it stood at ([`on_first_agreement`]).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

/// One step of the development workflow.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    IntoStaticStr,
    EnumString,
    EnumIter,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Step {
    /// 1 调研: pick an industry from the ranking table, describe it.
    Survey,
    /// 2 细分: rank the industry's local firms.
    Segmentation,
    /// 3 排序: weight the factors, re-rank by value to the post.
    Prioritisation,
    /// 4 定位: the service to lead with.
    Positioning,
    /// 5 营销计划: the plan for the chosen targets.
    MarketingPlan,
    /// 6 拓展: staff assigned, contact, product, price, channel.
    Expansion,
}
stored_code!(Step);

/// Who moves a step forward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOwner {
    /// The customer's account manager (steps 1, 2, 5, 6).
    AccountManager,
    /// The director and the team: a supervisor moves it (steps 3, 4).
    Director,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Survey,
        Step::Segmentation,
        Step::Prioritisation,
        Step::Positioning,
        Step::MarketingPlan,
        Step::Expansion,
    ];

    /// 1-based position in the workflow.
    pub fn number(self) -> u8 {
        match self {
            Step::Survey => 1,
            Step::Segmentation => 2,
            Step::Prioritisation => 3,
            Step::Positioning => 4,
            Step::MarketingPlan => 5,
            Step::Expansion => 6,
        }
    }

    /// Days the step may take: 7 for steps 1–2 (SPEC), 14 for 3–6 (kam's
    /// choice where SPEC is silent).
    pub fn days(self) -> u64 {
        match self {
            Step::Survey | Step::Segmentation => 7,
            _ => 14,
        }
    }

    pub fn owner(self) -> StepOwner {
        match self {
            Step::Prioritisation | Step::Positioning => StepOwner::Director,
            _ => StepOwner::AccountManager,
        }
    }

    /// The next step; `None` after the expansion (the pipeline ends with
    /// the first agreement, not with a step).
    pub fn next(self) -> Option<Step> {
        Step::ALL.get(usize::from(self.number())).copied()
    }

    /// The day a step started on `started` is due.
    pub fn due(self, started: NaiveDate) -> NaiveDate {
        started.checked_add_days(Days::new(self.days())).unwrap_or(NaiveDate::MAX)
    }
}

/// Whether a step due on `due` is overdue on `today` (from the day after).
pub fn is_overdue(due: NaiveDate, today: NaiveDate) -> bool {
    today > due
}

/// Days past due on `today` (0 while on time).
pub fn days_overdue(due: NaiveDate, today: NaiveDate) -> i64 {
    (today - due).num_days().max(0)
}

/// Whether someone may move a prospect standing at `step` into the next
/// one: the account manager's steps by whoever edits the customer (its
/// account managers, supervisors, the administrator), the director's steps
/// (3, 4) only by whoever decides for the customer's unit (a supervisor of
/// it or above, the administrator).
pub fn may_move(step: Step, edits_customer: bool, decides_for_customer: bool) -> bool {
    match step.owner() {
        StepOwner::AccountManager => edits_customer,
        StepOwner::Director => decides_for_customer,
    }
}

/// What the first signed agreement does to a prospect: it leaves the
/// pipeline and becomes a key customer in the *signed* development stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conversion {
    /// The step it stood at when the agreement was signed.
    pub from: Step,
    /// The customer's new development stage code (`customer.stage`).
    pub stage: &'static str,
}

/// The conversion when the customer's first agreement is signed while it
/// stands at `step`; `None` when an agreement was signed before (it is
/// already a key customer, nothing changes).
pub fn on_first_agreement(step: Step, agreements_before: u32) -> Option<Conversion> {
    (agreements_before == 0).then_some(Conversion { from: step, stage: "signed" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn steps_one_and_two_take_one_week_the_others_two() {
        assert_eq!(Step::Survey.due(d(2026, 3, 2)), d(2026, 3, 9));
        assert_eq!(Step::Segmentation.due(d(2026, 3, 2)), d(2026, 3, 9));
        for s in [Step::Prioritisation, Step::Positioning, Step::MarketingPlan, Step::Expansion] {
            assert_eq!(s.due(d(2026, 3, 2)), d(2026, 3, 16), "{s:?}");
        }
    }

    #[test]
    fn exactly_seven_days_is_on_time_the_eighth_is_overdue() {
        let due = Step::Survey.due(d(2026, 3, 2));
        assert!(!is_overdue(due, d(2026, 3, 8)));
        assert!(!is_overdue(due, d(2026, 3, 9)), "exactly 7 days: still on time");
        assert!(is_overdue(due, d(2026, 3, 10)));
        assert_eq!(days_overdue(due, d(2026, 3, 9)), 0);
        assert_eq!(days_overdue(due, d(2026, 3, 10)), 1);
        assert_eq!(days_overdue(due, d(2026, 3, 1)), 0);
    }

    #[test]
    fn across_a_month_end_and_leap_day() {
        assert_eq!(Step::Survey.due(d(2028, 2, 25)), d(2028, 3, 3));
        assert_eq!(Step::Expansion.due(d(2026, 12, 25)), d(2027, 1, 8));
    }

    #[test]
    fn the_steps_follow_in_order_and_end_after_expansion() {
        let mut s = Step::Survey;
        let mut seen = vec![s];
        while let Some(n) = s.next() {
            seen.push(n);
            s = n;
        }
        assert_eq!(seen, Step::ALL.to_vec());
        assert_eq!(Step::Expansion.next(), None);
        assert_eq!(Step::ALL.iter().map(|s| s.number()).collect::<Vec<_>>(), [1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn managers_move_their_steps_supervisors_the_directors() {
        // An account manager: edits the customer, decides nothing.
        assert!(may_move(Step::Survey, true, false));
        assert!(may_move(Step::Segmentation, true, false));
        assert!(!may_move(Step::Prioritisation, true, false));
        assert!(!may_move(Step::Positioning, true, false));
        assert!(may_move(Step::MarketingPlan, true, false));
        assert!(may_move(Step::Expansion, true, false));
        // Another unit's manager: neither.
        assert!(!may_move(Step::Survey, false, false));
        // A supervisor of the unit: both.
        assert!(may_move(Step::Prioritisation, true, true));
        assert!(may_move(Step::Positioning, false, true));
    }

    #[test]
    fn the_first_agreement_makes_a_key_customer() {
        let c = on_first_agreement(Step::Expansion, 0).unwrap();
        assert_eq!(c, Conversion { from: Step::Expansion, stage: "signed" });
        assert_eq!(on_first_agreement(Step::Survey, 0).map(|c| c.from), Some(Step::Survey));
        assert_eq!(on_first_agreement(Step::Expansion, 1), None);
    }

    #[test]
    fn codes_round_trip() {
        for s in Step::ALL {
            assert_eq!(Step::from_code(s.code()), Some(s));
        }
        assert_eq!(Step::MarketingPlan.code(), "marketing_plan");
    }
}
