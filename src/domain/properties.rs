//! Properties the rules keep for every input, checked on generated cases
//! (the unit tests next to each rule check the SPEC's own numbers).

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::revenue::Month;
use super::tier::{TierInputs, TierPreset, assess_tier};

fn month() -> impl Strategy<Value = Month> {
    (1950i32..=2100, 1u32..=12).prop_map(|(y, m)| Month::new(y, m).expect("in range"))
}

fn preset() -> impl Strategy<Value = TierPreset> {
    prop::sample::select(TierPreset::ALL.to_vec())
}

/// Whole yuan up to 20 million, and an optional unit revenue up to 2 billion.
fn inputs() -> impl Strategy<Value = TierInputs> {
    (0u64..20_000_000, prop::option::of(1u64..2_000_000_000), prop::option::of(0u64..20_000_000), any::<bool>())
        .prop_map(|(revenue, unit, payroll, upstream)| TierInputs {
            annual_revenue: Decimal::from(revenue),
            unit_revenue: unit.map(Decimal::from),
            monthly_payroll: payroll.map(Decimal::from),
            province_upstream: upstream,
            band_scale: Decimal::ONE,
        })
}

proptest! {
    #[test]
    fn moving_by_months_adds_up(m in month(), a in -400i64..400, b in -400i64..400) {
        prop_assert_eq!(m.plus(a).plus(b), m.plus(a + b));
        prop_assert_eq!(m.next().prev(), m);
        prop_assert_eq!(m.year_ago(), m.plus(-12));
        prop_assert_eq!(m.year_ago().month(), m.month());
        prop_assert_eq!(m.year_ago().year(), m.year() - 1);
    }

    #[test]
    fn stored_keys_round_trip_and_keep_the_order(a in month(), b in month()) {
        prop_assert_eq!(Month::from_key(a.key()), Some(a));
        prop_assert_eq!(a.key().cmp(&b.key()), a.cmp(&b));
        prop_assert_eq!(a.first_day().format("%Y%m").to_string(), a.key().to_string());
    }

    #[test]
    fn a_range_holds_each_month_once_in_order(from in month(), len in 0i64..60) {
        let to = from.plus(len);
        let months: Vec<Month> = Month::range(from, to).collect();
        prop_assert_eq!(i64::try_from(months.len()), Ok(len + 1));
        prop_assert!(months.windows(2).all(|w| w[0].next() == w[1]));
        prop_assert_eq!(Month::range(to.next(), from).count(), 0);
    }

    /// More revenue, everything else equal, never lowers a tier.
    #[test]
    fn more_revenue_never_lowers_the_tier(preset in preset(), base in inputs(), extra in 0u64..5_000_000) {
        let more = TierInputs { annual_revenue: base.annual_revenue + Decimal::from(extra), ..base };
        let (low, high) = (assess_tier(preset, &base).tier, assess_tier(preset, &more).tier);
        prop_assert!(high.rank() <= low.rank(), "{:?}: {:?} at {} but {:?} at {}",
            preset, low, base.annual_revenue, high, more.annual_revenue);
    }

    /// "How far to the next tier" is exact: the revenue it names reaches a
    /// higher tier, and one yuan less does not.
    #[test]
    fn the_next_tier_is_exactly_where_it_says(preset in preset(), base in inputs()) {
        let now = assess_tier(preset, &base);
        if let Some(next) = now.next {
            prop_assert_eq!(next.extra_revenue, next.revenue_needed - base.annual_revenue);
            let at = TierInputs { annual_revenue: next.revenue_needed, ..base };
            let reached = assess_tier(preset, &at).tier;
            prop_assert_eq!(reached, next.tier);
            prop_assert!(reached.rank() < now.tier.rank());
            if next.revenue_needed - Decimal::ONE >= base.annual_revenue {
                let short = TierInputs { annual_revenue: next.revenue_needed - Decimal::ONE, ..base };
                prop_assert_eq!(assess_tier(preset, &short).tier, now.tier);
            }
        }
    }
}
