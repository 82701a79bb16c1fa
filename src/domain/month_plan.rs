//! "Plan my month": the visits still needed this month to keep every
//! customer up to its contact standard (SPEC §5), spread over the working
//! days that are left.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

use super::id::CustomerId;
use super::tier::Tier;
use super::visit::{ParticipantRole, VisitKind};
use super::visit_standard::{Compliance, DoneVisit, Period, StandardPreset, compliance, period_bounds};

/// A customer to plan for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlanCustomer {
    pub id: CustomerId,
    pub tier: Tier,
}

/// A visit the plan suggests; nothing is stored until the user accepts it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ProposedVisit {
    pub customer_id: CustomerId,
    pub kind: VisitKind,
    pub date: NaiveDate,
    /// Who must take part for the visit to meet the requirement.
    pub who: ParticipantRole,
}

/// A visit already done or planned: it counts toward the standard and
/// takes a place in its day.
pub type DoneOrPlanned = DoneVisit;

/// The visits missing this month, one proposal per missing visit.
///
/// - Which requirements: every monthly one, and a quarterly, half-yearly or
///   yearly one only when its period ends with this month (December, say,
///   for a yearly senior visit) and it is still short — earlier months leave
///   those to the user.
/// - How many: required minus what `already` holds for the customer in the
///   requirement's period, done or planned alike. Lines are proposed
///   separately: the diamond supervisor line and account-manager line give
///   three in-person proposals; a supervisor visit the account manager also
///   joins counts for both lines once it is recorded.
/// - Which days: Monday to Friday from `today` (included) or the first of the
///   month, whichever is later, to the month end — never in the past.
///   Public holidays and the weekends worked in their place (调休) are not
///   known here, so proposals may fall on a holiday. A month with no working
///   day left gets no proposals.
/// - How spread: a requirement's visits are spaced evenly over those days,
///   starting where the previous requirement started plus one (round robin).
///   A day holds at most `max_per_day` visits, counting the visits `already`
///   on it (every customer's); a full day passes the visit to the least
///   loaded day, the nearest to the intended day among equals. When every
///   day is full, visits still go to the least loaded days rather than
///   being dropped, so no missing visit is hidden. A `max_per_day` of 0 is
///   taken as 1.
/// - Order: customers by id (then their order in `customers`), requirements
///   by visit kind and role; the result is sorted by customer id, kind,
///   role, date. The same input always gives the same plan.
pub fn propose_month(
    preset: StandardPreset,
    month: NaiveDate,
    today: NaiveDate,
    customers: &[PlanCustomer],
    already: &[(CustomerId, DoneOrPlanned)],
    max_per_day: u32,
) -> Vec<ProposedVisit> {
    let (month_start, month_end) = period_bounds(Period::Month, month);
    let days = working_days(today.max(month_start), month_end);
    if days.is_empty() {
        return Vec::new();
    }
    let capacity = max_per_day.max(1);
    let mut load: Vec<u32> = days
        .iter()
        .map(|day| already.iter().filter(|(_, visit)| visit.date == *day).count())
        .map(|count| u32::try_from(count).unwrap_or(u32::MAX))
        .collect();

    let mut ordered: Vec<&PlanCustomer> = customers.iter().collect();
    ordered.sort_by(|a, b| a.id.cmp(&b.id));

    let mut proposals = Vec::new();
    let mut cursor = 0;
    for customer in ordered {
        for line in short_lines(preset, customer, month_start, month_end, already) {
            let missing = usize::try_from(line.missing).unwrap_or(usize::MAX);
            for j in 0..missing {
                let intended = (cursor + j * days.len() / missing) % days.len();
                let day = pick_day(&load, intended, capacity);
                load[day] = load[day].saturating_add(1);
                proposals.push(ProposedVisit {
                    customer_id: customer.id.clone(),
                    kind: line.requirement.kind,
                    date: days[day],
                    who: line.requirement.who,
                });
            }
            cursor = (cursor + 1) % days.len();
        }
    }
    proposals.sort_by(|a, b| (&a.customer_id, a.kind, a.who, a.date).cmp(&(&b.customer_id, b.kind, b.who, b.date)));
    proposals
}

/// The customer's requirements whose period ends with this month and that
/// are short, by kind then role.
fn short_lines(
    preset: StandardPreset,
    customer: &PlanCustomer,
    month_start: NaiveDate,
    month_end: NaiveDate,
    already: &[(CustomerId, DoneOrPlanned)],
) -> Vec<Compliance> {
    let visits: Vec<DoneVisit> =
        already.iter().filter(|(id, _)| *id == customer.id).map(|(_, visit)| visit.clone()).collect();
    let mut lines: Vec<Compliance> = compliance(preset, customer.tier, month_start, &visits)
        .into_iter()
        .filter(|line| line.period_end == month_end && line.missing > 0)
        .collect();
    lines.sort_by_key(|line| (line.requirement.kind, line.requirement.who));
    lines
}

/// Monday to Friday from `from` to `to`, both included.
fn working_days(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    from.iter_days()
        .take_while(|day| *day <= to)
        .filter(|day| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun))
        .collect()
}

/// `intended` when it has room, else the least loaded day, the nearest to
/// `intended` among equals (the earlier one on a tie).
fn pick_day(load: &[u32], intended: usize, capacity: u32) -> usize {
    if load[intended] < capacity {
        return intended;
    }
    (0..load.len()).min_by_key(|&day| (load[day], day.abs_diff(intended), day)).unwrap_or(intended)
}

#[cfg(test)]
mod tests {
    use super::*;
    use ParticipantRole::{AccountManager, Leader, Supervisor};
    use VisitKind::{Exchange, InPerson, Phone, SeniorVisit, Survey};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    use crate::domain::id::test_id as cid;

    fn customer(id: &str, tier: Tier) -> PlanCustomer {
        PlanCustomer { id: cid(id), tier }
    }

    fn done(id: &str, kind: VisitKind, on: NaiveDate, roles: &[ParticipantRole]) -> (CustomerId, DoneOrPlanned) {
        (cid(id), DoneOrPlanned { kind, date: on, roles: roles.to_vec() })
    }

    fn count(plan: &[ProposedVisit], kind: VisitKind, who: ParticipantRole) -> usize {
        plan.iter().filter(|p| p.kind == kind && p.who == who).count()
    }

    const NOV: (i32, u32) = (2026, 11);

    fn nov(d: u32) -> NaiveDate {
        date(NOV.0, NOV.1, d)
    }

    fn assert_weekdays_between(plan: &[ProposedVisit], from: NaiveDate, to: NaiveDate) {
        for p in plan {
            assert!(p.date >= from && p.date <= to, "{p:?} outside {from}..={to}");
            assert!(!matches!(p.date.weekday(), Weekday::Sat | Weekday::Sun), "{p:?} on a weekend");
        }
    }

    #[test]
    fn diamond_with_nothing_done_gets_the_monthly_lines() {
        // 2026-11-01 is a Sunday.
        let plan = propose_month(
            StandardPreset::GuangdongLetters,
            nov(15),
            nov(1),
            &[customer("44010000001000", Tier::Diamond)],
            &[],
            3,
        );
        assert_eq!(plan.len(), 5);
        assert_eq!(count(&plan, InPerson, Supervisor), 1);
        assert_eq!(count(&plan, InPerson, AccountManager), 2);
        assert_eq!(count(&plan, Phone, AccountManager), 2);
        assert_eq!(count(&plan, SeniorVisit, Leader), 0, "yearly lines wait for December");
        assert_eq!(count(&plan, Exchange, AccountManager), 0);
        assert_weekdays_between(&plan, nov(2), nov(30));
        let am_days: Vec<_> =
            plan.iter().filter(|p| p.kind == InPerson && p.who == AccountManager).map(|p| p.date).collect();
        assert_ne!(am_days[0], am_days[1], "the two visits of one line are on different days");
    }

    #[test]
    fn done_and_planned_visits_reduce_the_proposals() {
        let customers = [customer("C1", Tier::Diamond)];
        let one_am = [done("C1", InPerson, nov(3), &[AccountManager])];
        let plan = propose_month(StandardPreset::GuangdongLetters, nov(1), nov(10), &customers, &one_am, 3);
        assert_eq!(plan.len(), 4);
        assert_eq!(count(&plan, InPerson, AccountManager), 1);

        let joint_and_calls = [
            done("C1", InPerson, nov(3), &[AccountManager, Supervisor]),
            done("C1", Phone, nov(25), &[AccountManager]),
            done("C2", Phone, nov(25), &[AccountManager]),
            done("C1", Phone, date(2026, 10, 30), &[AccountManager]),
        ];
        let plan = propose_month(StandardPreset::GuangdongLetters, nov(1), nov(10), &customers, &joint_and_calls, 3);
        assert_eq!(count(&plan, InPerson, Supervisor), 0, "the joint visit meets the supervisor line");
        assert_eq!(count(&plan, InPerson, AccountManager), 1, "and one of the account-manager visits");
        assert_eq!(count(&plan, Phone, AccountManager), 1, "other customers' and last month's calls do not count");
        assert_eq!(plan.len(), 2);
    }

    #[test]
    fn nothing_is_proposed_in_the_past() {
        let customers = [customer("C1", Tier::Diamond)];
        let plan = propose_month(StandardPreset::GuangdongLetters, nov(1), nov(20), &customers, &[], 3);
        assert_eq!(plan.len(), 5);
        assert_weekdays_between(&plan, nov(20), nov(30));

        let past = propose_month(StandardPreset::GuangdongLetters, nov(1), date(2026, 12, 1), &customers, &[], 3);
        assert!(past.is_empty(), "a month that is over gets no proposals");
        // 2026-10-31 is a Saturday: no working day left in October.
        let weekend =
            propose_month(StandardPreset::GuangdongLetters, date(2026, 10, 1), date(2026, 10, 31), &customers, &[], 3);
        assert!(weekend.is_empty());
        // Planning ahead starts on the first working day of the month.
        let ahead = propose_month(StandardPreset::GuangdongLetters, nov(1), date(2026, 10, 5), &customers, &[], 3);
        assert_weekdays_between(&ahead, nov(2), nov(30));
    }

    #[test]
    fn period_lines_are_proposed_in_their_last_month_only_when_short() {
        let customers = [customer("V", Tier::Vip), customer("D", Tier::Diamond)];
        let nov_plan = propose_month(StandardPreset::GuangdongLetters, nov(1), nov(1), &customers, &[], 5);
        assert!(nov_plan.iter().all(|p| p.kind != Survey && p.kind != SeniorVisit));
        assert_eq!(nov_plan.iter().filter(|p| p.customer_id == cid("V") && p.who == Supervisor).count(), 0);

        let dec = date(2026, 12, 1);
        let already = [
            done("V", InPerson, date(2026, 10, 12), &[Supervisor]),
            done("D", SeniorVisit, date(2026, 3, 12), &[Leader, AccountManager]),
        ];
        let dec_plan = propose_month(StandardPreset::GuangdongLetters, dec, dec, &customers, &already, 5);
        let of = |id: &str| dec_plan.iter().filter(|p| p.customer_id == cid(id)).cloned().collect::<Vec<_>>();
        // VIP: AM 1, phone 1, senior 1, survey 1; the quarter's supervisor visit was in October.
        assert_eq!(of("V").len(), 4);
        assert_eq!(count(&of("V"), Survey, AccountManager), 1);
        assert_eq!(count(&of("V"), InPerson, Supervisor), 0);
        // Diamond: 5 monthly + the exchange event; the senior visit was in March.
        assert_eq!(of("D").len(), 6);
        assert_eq!(count(&of("D"), Exchange, AccountManager), 1);
        assert_eq!(count(&of("D"), SeniorVisit, Leader), 0);
        assert_weekdays_between(&dec_plan, dec, date(2026, 12, 31));
    }

    #[test]
    fn spreading_respects_max_per_day() {
        // 10 class-1 customers, 3 visits each, from Monday 23rd: 6 working
        // days (23–27, 30) × 5 = 30 places.
        let customers: Vec<_> = (0..10).map(|i| customer(&format!("C{i:02}"), Tier::Diamond)).collect();
        let plan = propose_month(StandardPreset::Class, nov(1), nov(23), &customers, &[], 5);
        assert_eq!(plan.len(), 30);
        assert_weekdays_between(&plan, nov(23), nov(30));
        for day in [23, 24, 25, 26, 27, 30] {
            assert_eq!(plan.iter().filter(|p| p.date == nov(day)).count(), 5, "Nov {day}");
        }
    }

    #[test]
    fn existing_visits_take_their_places() {
        let customers = [customer("C1", Tier::Diamond)];
        // From Wednesday 25th: 25, 26, 27, 30. Friday 27th and Monday 30th
        // are full already (another customer's calls).
        let already: Vec<_> = [27, 27, 30, 30].iter().map(|&d| done("X", Phone, nov(d), &[AccountManager])).collect();
        let plan = propose_month(StandardPreset::Class, nov(1), nov(25), &customers, &already, 2);
        assert_eq!(plan.len(), 3);
        let on = |d| plan.iter().filter(|p| p.date == nov(d)).count();
        assert_eq!((on(25), on(26), on(27), on(30)), (1, 2, 0, 0), "{plan:?}");
    }

    #[test]
    fn overflow_goes_to_the_least_loaded_day() {
        // 3 visits each for 4 customers = 12 on the two last working days,
        // with room for 2 a day: none dropped, the days share evenly.
        let customers: Vec<_> = (0..4).map(|i| customer(&format!("C{i}"), Tier::Platinum)).collect();
        let plan = propose_month(StandardPreset::Class, nov(1), nov(27), &customers, &[], 2);
        assert_eq!(plan.len(), 12);
        assert_eq!(plan.iter().filter(|p| p.date == nov(27)).count(), 6);
        assert_eq!(plan.iter().filter(|p| p.date == nov(30)).count(), 6);
    }

    #[test]
    fn zero_max_per_day_is_one() {
        let customers = [customer("C1", Tier::Vip)];
        let plan = propose_month(StandardPreset::Class, nov(1), nov(2), &customers, &[], 0);
        assert_eq!(plan.len(), 1);
    }

    #[test]
    fn the_plan_is_deterministic_and_ordered() {
        let a = [customer("B", Tier::Gold), customer("A", Tier::Diamond), customer("C", Tier::General)];
        let b = [customer("C", Tier::General), customer("A", Tier::Diamond), customer("B", Tier::Gold)];
        let plan = propose_month(StandardPreset::GuangdongLetters, nov(1), nov(1), &a, &[], 3);
        assert_eq!(plan, propose_month(StandardPreset::GuangdongLetters, nov(1), nov(1), &b, &[], 3));
        let keys: Vec<_> = plan.iter().map(|p| (p.customer_id.clone(), p.kind, p.who, p.date)).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted);
        assert_eq!(plan.iter().filter(|p| p.customer_id == cid("A")).count(), 5);
        assert_eq!(plan.iter().filter(|p| p.customer_id == cid("B")).count(), 3);
        assert_eq!(plan.iter().filter(|p| p.customer_id == cid("C")).count(), 0, "general customers need nothing");
    }
}
