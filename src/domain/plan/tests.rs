use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn id(n: u32) -> CustomerId {
    CustomerId::parse(&format!("440100{n:05}000")).unwrap()
}

fn yuan(n: i64) -> Money {
    Money(Decimal::from(n))
}

#[test]
fn the_cadence_follows_the_level() {
    // Level 7 (diamond, district) every month; level 4 (platinum) every quarter;
    // levels 1–3 every half year.
    assert_eq!(
        PlanPeriod::of(Tier::Diamond, d(2026, 5, 14)),
        PlanPeriod { first: d(2026, 5, 1), last: d(2026, 5, 31) }
    );
    assert_eq!(PlanPeriod::of(Tier::District, d(2026, 2, 3)).last, d(2026, 2, 28));
    assert_eq!(
        PlanPeriod::of(Tier::Platinum, d(2026, 5, 14)),
        PlanPeriod { first: d(2026, 4, 1), last: d(2026, 6, 30) }
    );
    for tier in [Tier::Gold, Tier::Silver, Tier::General, Tier::Company, Tier::Vip] {
        assert_eq!(PlanPeriod::of(tier, d(2026, 5, 14)), PlanPeriod { first: d(2026, 1, 1), last: d(2026, 6, 30) });
        assert_eq!(PlanPeriod::of(tier, d(2026, 7, 1)), PlanPeriod { first: d(2026, 7, 1), last: d(2026, 12, 31) });
    }
}

#[test]
fn periods_end_on_their_last_day_and_go_back_one_at_a_time() {
    let q = PlanPeriod::of(Tier::Platinum, d(2026, 1, 1));
    assert_eq!(q.last, d(2026, 3, 31));
    assert_eq!(q.previous(Cadence::Quarter), PlanPeriod { first: d(2025, 10, 1), last: d(2025, 12, 31) });
    let m = PlanPeriod::of(Tier::Diamond, d(2024, 3, 1));
    assert_eq!(m.previous(Cadence::Month), PlanPeriod { first: d(2024, 2, 1), last: d(2024, 2, 29) });
    assert_eq!(q.cadence(), Cadence::Quarter);
    assert_eq!(m.cadence(), Cadence::Month);
    assert_eq!(PlanPeriod::of(Tier::Gold, d(2026, 9, 9)).cadence(), Cadence::HalfYear);
    assert_eq!(
        PlanPeriod::starting(Cadence::Quarter, d(2026, 4, 1)),
        Some(PlanPeriod::of(Tier::Platinum, d(2026, 4, 1)))
    );
    assert_eq!(PlanPeriod::starting(Cadence::Quarter, d(2026, 5, 1)), None);
}

#[test]
fn a_plan_is_due_through_the_last_day_and_missing_the_day_after() {
    let q = PlanPeriod::of(Tier::Platinum, d(2026, 6, 1)); // April–June
    assert_eq!(standing(q, None, d(2026, 4, 1)), Standing::Due);
    assert_eq!(standing(q, None, d(2026, 6, 30)), Standing::Due, "the last day is still in time");
    assert_eq!(standing(q, None, d(2026, 7, 1)), Standing::Missing);
    assert_eq!(standing(q, Some(d(2026, 6, 30)), d(2026, 7, 1)), Standing::Done, "submitted on the last day");
    assert_eq!(standing(q, Some(d(2026, 7, 1)), d(2026, 7, 2)), Standing::Missing, "submitted a day late");
    assert_eq!(standing(q, Some(d(2026, 5, 2)), d(2026, 5, 1)), Standing::Due, "not yet submitted on that day");
}

#[test]
fn gaps_list_the_previous_periods_missing_before_the_current_ones_due() {
    let customers = vec![(id(1), "甲".to_string(), Tier::Diamond), (id(2), "乙".to_string(), Tier::Platinum)];
    // 甲 (monthly) wrote June's plan on time; July's is due. 乙 (quarterly) wrote nothing.
    let submitted = vec![(id(1), d(2026, 6, 1), d(2026, 6, 20))];
    let gaps = gaps(&customers, &submitted, d(2026, 7, 10));
    let seen: Vec<(CustomerId, NaiveDate, Standing)> =
        gaps.iter().map(|g| (g.customer.clone(), g.period.first, g.standing)).collect();
    assert_eq!(
        seen,
        vec![
            (id(2), d(2026, 4, 1), Standing::Missing),
            (id(1), d(2026, 7, 1), Standing::Due),
            (id(2), d(2026, 7, 1), Standing::Due),
        ]
    );
}

/// Today's section: the first lines of the gaps, in their order, and how
/// many gaps in all; the earliest of two submissions for a period counts.
#[test]
fn gaps_shown_are_the_first_gaps_and_their_count() {
    let customers: Vec<(CustomerId, String, Tier)> = (1..=6)
        .map(|n| (id(n), format!("客户{n}"), [Tier::Diamond, Tier::Platinum, Tier::Gold][n as usize % 3]))
        .collect();
    let submitted = vec![
        (id(1), d(2026, 6, 1), d(2026, 6, 20)),
        (id(2), d(2026, 7, 1), d(2026, 7, 2)),
        // Late, then on time: the earliest decides.
        (id(3), d(2026, 6, 1), d(2026, 7, 9)),
        (id(3), d(2026, 6, 1), d(2026, 6, 9)),
    ];
    let today = d(2026, 7, 10);
    let all = gaps(&customers, &submitted, today);
    assert!(all.len() > 4, "{all:?}");
    for shown in [0, 1, 3, all.len(), all.len() + 5] {
        let (lines, total) = gaps_shown(&customers, &submitted, today, shown);
        assert_eq!((lines.as_slice(), total), (&all[..shown.min(all.len())], all.len()), "{shown}");
    }
}

#[test]
fn the_month_counts_the_plans_whose_period_ends_in_it() {
    let customers = [(id(1), Tier::Diamond), (id(2), Tier::Platinum), (id(3), Tier::Gold)];
    let submitted = vec![(id(1), d(2026, 6, 1), d(2026, 6, 2)), (id(3), d(2026, 1, 1), d(2026, 7, 1))];
    let it = customers.iter().map(|(c, t)| (c, *t));
    // June ends a month, a quarter and a half year: all three are required;
    // 甲 on time, 乙 none, 丙 a day late.
    let (required, done, missing) = month_plans(it, &submitted, d(2026, 6, 1), d(2026, 6, 30), d(2026, 6, 30));
    assert_eq!((required, done), (3, 1));
    assert_eq!(missing.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>(), vec![id(2), id(3)]);
    // May ends only the monthly plan's period.
    let it = customers.iter().map(|(c, t)| (c, *t));
    let (required, done, _) = month_plans(it, &submitted, d(2026, 5, 1), d(2026, 5, 31), d(2026, 5, 31));
    assert_eq!((required, done), (1, 0));
}

fn line(n: u32, revenue: i64) -> (CustomerId, Money, Tier) {
    (id(n), yuan(revenue), Tier::Silver)
}

#[test]
fn a_unit_with_exactly_three_customers_over_a_million_serves_its_top_ten() {
    let mut customers: Vec<_> = (1..=12).map(|n| line(n, 100_000 * i64::from(n))).collect();
    customers[11].1 = yuan(3_000_000);
    customers[10].1 = yuan(2_000_000);
    customers[9].1 = yuan(1_000_000); // exactly a million counts as one
    let plan = service_plan(&customers).expect("three over a million: the rule applies");
    assert_eq!(plan.len(), 10);
    assert_eq!(plan.iter().map(|l| l.rank).collect::<Vec<_>>(), (1..=10).collect::<Vec<_>>());
    assert_eq!(plan[0].customer, id(12));
    assert_eq!(plan[2].customer, id(10));
    assert!(plan[..3].iter().all(|l| l.standard == ServiceStandard::Platinum && l.raised));
    assert!(plan[3..].iter().all(|l| l.standard == ServiceStandard::Gold && l.raised));
    assert_eq!(plan[9].customer, id(3), "numbers 11 and 12 are not in it");
}

#[test]
fn four_customers_over_a_million_leave_the_province_standard() {
    let customers: Vec<_> = (1..=5).map(|n| line(n, 1_000_000 + i64::from(n))).collect();
    assert_eq!(service_plan(&customers), None);
}

#[test]
fn a_unit_with_none_over_a_million_serves_the_largest_it_has() {
    let mut customers = vec![line(1, 5_000), line(2, 900_000), line(3, 0), line(4, 20_000), line(5, 20_000)];
    customers[0].2 = Tier::Diamond; // already above platinum: not raised
    let plan = service_plan(&customers).expect("none over a million");
    let order: Vec<_> = plan.iter().map(|l| (l.customer.clone(), l.standard)).collect();
    assert_eq!(
        order,
        vec![
            (id(2), ServiceStandard::Platinum),
            (id(4), ServiceStandard::Platinum),
            (id(5), ServiceStandard::Platinum),
            (id(1), ServiceStandard::Gold),
        ],
        "ties by id; a customer without revenue is not ranked"
    );
    assert!(!plan[3].raised);
}
