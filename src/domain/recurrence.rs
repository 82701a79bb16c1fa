//! Repeating planned visits ("every 2 weeks until June"): the dates a
//! rule produces.

use chrono::{Days, Months, NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};
use thiserror::Error;

/// At most this many occurrences per rule, so a slip of the finger ("every
/// 1 day for 10 years") cannot flood the calendar.
pub const MAX_OCCURRENCES: usize = 500;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "lowercase")]
pub enum RepeatUnit {
    Days,
    Weeks,
    /// Calendar months; yearly is every 12 months.
    Months,
}

impl RepeatUnit {
    pub const ALL: [RepeatUnit; 3] = [RepeatUnit::Days, RepeatUnit::Weeks, RepeatUnit::Months];
}

stored_code!(RepeatUnit);

/// Every `every` `unit`s, up to and including the day `until`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Recurrence {
    pub every: u32,
    pub unit: RepeatUnit,
    pub until: NaiveDate,
}

/// Why a rule was refused; the UI turns each into a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum RecurrenceError {
    #[error("the interval must be at least 1")]
    ZeroInterval,
    #[error("the end date {until} is before the first occurrence {first}")]
    UntilBeforeFirst { first: NaiveDate, until: NaiveDate },
    #[error("the rule gives more than {max} occurrences")]
    TooManyOccurrences { max: usize },
}

/// The occurrences of `rule` starting with `first` itself, each at the same
/// time of day, while their day is on or before `rule.until`.
///
/// Months are counted from `first`, not from the previous occurrence, so the
/// day of month is kept and only clamped where a month is shorter: Jan 31 →
/// Feb 28 (29 in a leap year) → Mar 31 → Apr 30, never drifting to the 28th.
/// Feb 29 every 12 months falls on Feb 28 in common years and on Feb 29
/// again in the next leap year.
///
/// Errors: `every` is 0, `until` is before `first`'s day, or the rule gives
/// more than [`MAX_OCCURRENCES`] occurrences (the whole rule is refused
/// rather than silently cut short).
pub fn expand(first: NaiveDateTime, rule: &Recurrence) -> Result<Vec<NaiveDateTime>, RecurrenceError> {
    if rule.every == 0 {
        return Err(RecurrenceError::ZeroInterval);
    }
    if rule.until < first.date() {
        return Err(RecurrenceError::UntilBeforeFirst { first: first.date(), until: rule.until });
    }
    let mut occurrences = Vec::new();
    for n in 0u32.. {
        // `None` past chrono's range, which is past any `until` too.
        let Some(next) = nth_occurrence(first, rule, n) else { break };
        if next.date() > rule.until {
            break;
        }
        if occurrences.len() == MAX_OCCURRENCES {
            return Err(RecurrenceError::TooManyOccurrences { max: MAX_OCCURRENCES });
        }
        occurrences.push(next);
    }
    Ok(occurrences)
}

/// The `n`th occurrence (0 is `first`), computed from `first` each time.
fn nth_occurrence(first: NaiveDateTime, rule: &Recurrence, n: u32) -> Option<NaiveDateTime> {
    let steps = u64::from(n) * u64::from(rule.every);
    match rule.unit {
        RepeatUnit::Days => first.checked_add_days(Days::new(steps)),
        RepeatUnit::Weeks => first.checked_add_days(Days::new(steps.checked_mul(7)?)),
        RepeatUnit::Months => first.checked_add_months(Months::new(u32::try_from(steps).ok()?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d).unwrap().and_hms_opt(9, 30, 0).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn rule(every: u32, unit: RepeatUnit, until: NaiveDate) -> Recurrence {
        Recurrence { every, unit, until }
    }

    #[test]
    fn daily_includes_first_and_until() {
        let got = expand(at(2026, 11, 29), &rule(1, RepeatUnit::Days, date(2026, 12, 2))).unwrap();
        assert_eq!(got, vec![at(2026, 11, 29), at(2026, 11, 30), at(2026, 12, 1), at(2026, 12, 2)]);
    }

    #[test]
    fn every_third_day_stops_before_passing_until() {
        let got = expand(at(2026, 1, 30), &rule(3, RepeatUnit::Days, date(2026, 2, 6))).unwrap();
        assert_eq!(got, vec![at(2026, 1, 30), at(2026, 2, 2), at(2026, 2, 5)]);
    }

    #[test]
    fn weekly_across_a_year_end_keeps_the_time() {
        let got = expand(at(2026, 12, 24), &rule(2, RepeatUnit::Weeks, date(2027, 1, 21))).unwrap();
        assert_eq!(got, vec![at(2026, 12, 24), at(2027, 1, 7), at(2027, 1, 21)]);
        assert!(got.iter().all(|t| t.time() == at(2026, 1, 1).time()));
    }

    #[test]
    fn monthly_from_the_31st_clamps_without_drifting() {
        let got = expand(at(2026, 1, 31), &rule(1, RepeatUnit::Months, date(2026, 6, 30))).unwrap();
        assert_eq!(
            got,
            vec![at(2026, 1, 31), at(2026, 2, 28), at(2026, 3, 31), at(2026, 4, 30), at(2026, 5, 31), at(2026, 6, 30)]
        );
    }

    #[test]
    fn monthly_in_a_leap_year_lands_on_feb_29() {
        let got = expand(at(2028, 1, 31), &rule(1, RepeatUnit::Months, date(2028, 3, 31))).unwrap();
        assert_eq!(got, vec![at(2028, 1, 31), at(2028, 2, 29), at(2028, 3, 31)]);
    }

    #[test]
    fn monthly_from_feb_29_keeps_the_29th() {
        let got = expand(at(2028, 2, 29), &rule(1, RepeatUnit::Months, date(2028, 5, 31))).unwrap();
        assert_eq!(got, vec![at(2028, 2, 29), at(2028, 3, 29), at(2028, 4, 29), at(2028, 5, 29)]);
    }

    #[test]
    fn yearly_from_feb_29_returns_to_feb_29_in_leap_years() {
        let got = expand(at(2028, 2, 29), &rule(12, RepeatUnit::Months, date(2032, 12, 31))).unwrap();
        assert_eq!(got, vec![at(2028, 2, 29), at(2029, 2, 28), at(2030, 2, 28), at(2031, 2, 28), at(2032, 2, 29)]);
    }

    #[test]
    fn until_on_the_first_day_gives_one_occurrence() {
        let got = expand(at(2026, 11, 23), &rule(1, RepeatUnit::Weeks, date(2026, 11, 23))).unwrap();
        assert_eq!(got, vec![at(2026, 11, 23)]);
    }

    #[test]
    fn zero_interval_is_refused() {
        assert_eq!(
            expand(at(2026, 11, 23), &rule(0, RepeatUnit::Days, date(2026, 12, 1))),
            Err(RecurrenceError::ZeroInterval)
        );
    }

    #[test]
    fn until_before_first_is_refused() {
        assert_eq!(
            expand(at(2026, 11, 23), &rule(1, RepeatUnit::Days, date(2026, 11, 22))),
            Err(RecurrenceError::UntilBeforeFirst { first: date(2026, 11, 23), until: date(2026, 11, 22) })
        );
    }

    #[test]
    fn five_hundred_occurrences_pass_five_hundred_and_one_do_not() {
        let first = at(2026, 1, 1);
        let last_allowed = date(2026, 1, 1) + Days::new(499);
        assert_eq!(expand(first, &rule(1, RepeatUnit::Days, last_allowed)).unwrap().len(), MAX_OCCURRENCES);
        assert_eq!(
            expand(first, &rule(1, RepeatUnit::Days, last_allowed + Days::new(1))),
            Err(RecurrenceError::TooManyOccurrences { max: MAX_OCCURRENCES })
        );
    }

    #[test]
    fn a_rule_running_into_the_end_of_the_calendar_stops_there() {
        let first = NaiveDate::MAX.and_hms_opt(9, 0, 0).unwrap() - chrono::Duration::days(3);
        let got = expand(first, &rule(2, RepeatUnit::Days, NaiveDate::MAX)).unwrap();
        assert_eq!(got.len(), 2);
        let got = expand(first, &rule(1, RepeatUnit::Months, NaiveDate::MAX)).unwrap();
        assert_eq!(got, vec![first]);
    }

    #[test]
    fn unit_codes_round_trip() {
        for unit in RepeatUnit::ALL {
            assert_eq!(RepeatUnit::from_code(unit.code()), Some(unit));
        }
    }
}
