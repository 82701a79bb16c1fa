//! Revenue by period (issue 16) on a real database: the seed's own table of a
//! district's nine key customers, January–October 2003 against 2002, with
//! revenue entered month by month for some and as period totals (未分月) for
//! others; the share of the district's revenue; the like-for-like subtotal; a
//! period that cuts through a total; and double counts refused.

use crate::common;

use common::*;
use kam::db::analysis::AnalysisScope;
use kam::db::period::{
    PeriodEntry, customers, set_unit_period_revenue_in, summary, unit_period_totals, write_period_entries_in,
};
use kam::db::revenue::{RevenueEntry, write_entries_in};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, Invalid};
use kam::domain::id::CustomerId;
use kam::domain::money::Money;
use kam::domain::period::{Period, UnitPeriodRevenue, in_wan, percent2};
use kam::domain::revenue::Month;
use kam::domain::tier::TierPreset;

fn m(y: i32, mo: u32) -> Month {
    Month::new(y, mo).unwrap()
}

fn wan(text: &str) -> Money {
    kam::domain::money::parse_amount(&format!("{text}万")).unwrap()
}

fn letters(s: &Seeded) -> i64 {
    s.conn().row("SELECT id FROM service_line WHERE code = 'letters'", args![], |r| r.get(0)).unwrap()
}

fn jan_oct(year: i32) -> Period {
    Period::new(m(year, 1), m(year, 10)).unwrap()
}

fn customer(s: &mut Seeded, name: &str) -> CustomerId {
    let m = s.org.manager.clone();
    let nc = new_customer(name, &format!("广州{name}有限公司"), s.org.unit, m.id);
    kam::db::customers::create(&mut s.db.store, &actor(&m), &nc, TierPreset::GuangdongScore).unwrap()
}

/// The nine customers of the seed's table (万元, January–October): six with
/// revenue in both years, three new in 2003.
const SEED: [(&str, &str, &str); 9] = [
    ("甲", "1500.00", "1200.00"),
    ("乙", "1000.00", "900.00"),
    ("丙", "800.00", "700.00"),
    ("丁", "600.00", "500.00"),
    ("戊", "400.00", "300.00"),
    ("己", "297.73", "126.96"),
    ("庚", "150.00", ""),
    ("辛", "100.00", ""),
    ("壬", "42.70", ""),
];

/// Loads the seed: 2002 as period totals for January–October (as the table
/// gives it); 2003 month by month for the first two customers (a tenth each
/// month) and as period totals for the others; the district's own revenue for
/// January–October 2003 as a period total.
pub(crate) fn seeded_district() -> (Seeded, Vec<CustomerId>) {
    let mut s = Seeded::new();
    let line = letters(&s);
    let ids: Vec<CustomerId> = SEED.iter().map(|(name, _, _)| customer(&mut s, name)).collect();
    let sup = actor(&s.org.supervisor);
    let unit = s.org.unit;
    s.db.store
        .write(|tx| {
            let mut periods = Vec::new();
            let mut months = Vec::new();
            for (i, (id, (_, this_year, last_year))) in ids.iter().zip(SEED).enumerate() {
                if !last_year.is_empty() {
                    periods.push(PeriodEntry {
                        customer_id: id.clone(),
                        period: jan_oct(2002),
                        service_line_id: line,
                        amount: wan(last_year),
                    });
                }
                if i < 2 {
                    let tenth = Money(wan(this_year).yuan() / rust_decimal::Decimal::TEN);
                    for month in Month::range(m(2003, 1), m(2003, 10)) {
                        months.push(RevenueEntry {
                            customer_id: id.clone(),
                            month,
                            service_line_id: line,
                            amount: tenth,
                        });
                    }
                } else {
                    periods.push(PeriodEntry {
                        customer_id: id.clone(),
                        period: jan_oct(2003),
                        service_line_id: line,
                        amount: wan(this_year),
                    });
                }
            }
            write_period_entries_in(tx, &sup, &periods)?;
            write_entries_in(tx, &sup, &months)?;
            set_unit_period_revenue_in(tx, &sup, unit, jan_oct(2003), wan("23705.04"))?;
            Ok(())
        })
        .unwrap();
    (s, ids)
}

#[test]
fn the_seed_table_gives_the_districts_share_and_the_like_for_like_subtotal() {
    let (s, ids) = seeded_district();
    let scope = AnalysisScope::Unit(s.org.unit);
    let sum = summary(s.conn(), jan_oct(2003), scope).unwrap();
    assert_eq!(sum.customers, 9);
    assert_eq!(sum.all.current, wan("4890.43"));
    assert_eq!(sum.all.last_year, wan("3726.96"));
    assert_eq!(sum.unit, UnitPeriodRevenue::Known(wan("23705.04")));
    assert_eq!(percent2(sum.share().unwrap()), "20.63%");
    assert_eq!(sum.compared_customers, 6);
    assert_eq!((sum.compared.current, sum.compared.last_year), (wan("4597.73"), wan("3726.96")));
    assert_eq!(sum.compared.change_amount(), wan("870.77"));
    assert_eq!(in_wan(sum.compared.change_amount()).yuan().to_string(), "870.77");
    assert_eq!(sum.cut_customers, 0);
    // The district's 2002 figure was not entered: no share for last year, and none invented.
    assert_eq!(sum.unit_last_year, UnitPeriodRevenue::Missing(m(2002, 1)));

    let rows = customers(s.conn(), jan_oct(2003), scope, 100).unwrap();
    assert_eq!(rows.len(), 9);
    assert_eq!(rows[0].id, ids[0], "largest first");
    assert_eq!(rows[0].current, Some(wan("1500.00")));
    assert_eq!(rows[0].last_year, Some(wan("1200.00")));
    assert_eq!(rows[8].current, Some(wan("42.70")));
    assert_eq!(rows[8].last_year, Some(Money::ZERO));
    assert!(rows[8].compared().is_some_and(|c| !c.comparable()));
    assert_eq!(customers(s.conn(), jan_oct(2003), scope, 3).unwrap().len(), 3);
    // Everyone: the same customers (the unit is the only one).
    assert_eq!(summary(s.conn(), jan_oct(2003), AnalysisScope::All).unwrap().all.current, wan("4890.43"));
}

#[test]
fn a_period_that_cuts_through_a_total_says_so_and_invents_nothing() {
    let (s, ids) = seeded_district();
    let scope = AnalysisScope::Unit(s.org.unit);
    let jan_sep = Period::new(m(2003, 1), m(2003, 9)).unwrap();
    let sum = summary(s.conn(), jan_sep, scope).unwrap();
    // Seven customers' 2003 and six customers' 2002 are known only for January–October.
    assert_eq!(sum.cut_customers, 9);
    assert_eq!(sum.all.current, Money(wan("2500.00").yuan() * rust_decimal::Decimal::new(9, 1)));
    assert_eq!(sum.all.last_year, Money::ZERO);
    assert_eq!(sum.compared_customers, 0);
    assert_eq!(sum.unit, UnitPeriodRevenue::Cut(jan_oct(2003)));
    assert_eq!(sum.share(), None);
    let rows = customers(s.conn(), jan_sep, scope, 100).unwrap();
    let third = rows.iter().find(|r| r.id == ids[2]).unwrap();
    assert_eq!((third.current, third.last_year), (None, None));
    let first = rows.iter().find(|r| r.id == ids[0]).unwrap();
    assert_eq!((first.current, first.last_year), (Some(Money(wan("1350").yuan())), None));
    // October alone: the months are known, the totals are not split.
    let october = summary(s.conn(), Period::month(m(2003, 10)), scope).unwrap();
    assert_eq!(october.all.current, wan("250.00"));
    assert_eq!(october.cut_customers, 9);
}

#[test]
fn months_and_period_totals_of_one_customer_never_overlap() {
    let (mut s, ids) = seeded_district();
    let line = letters(&s);
    let sup = actor(&s.org.supervisor);
    let before = s.db.count("history");
    // A month inside a stored period total.
    let month =
        RevenueEntry { customer_id: ids[2].clone(), month: m(2003, 5), service_line_id: line, amount: wan("1") };
    let err = s.db.store.write(|tx| write_entries_in(tx, &sup, std::slice::from_ref(&month))).unwrap_err();
    assert!(
        matches!(&err, DbError::Invalid(Invalid::DoubleCount { period, .. }) if *period == jan_oct(2003)),
        "{err:?}"
    );
    // A period total over months entered one by one.
    let total = PeriodEntry {
        customer_id: ids[0].clone(),
        period: Period::new(m(2003, 1), m(2003, 3)).unwrap(),
        service_line_id: line,
        amount: wan("5"),
    };
    let err = s.db.store.write(|tx| write_period_entries_in(tx, &sup, std::slice::from_ref(&total))).unwrap_err();
    assert!(matches!(&err, DbError::Invalid(Invalid::DoubleCount { month, .. }) if *month == m(2003, 1)), "{err:?}");
    // A period total sharing months with another.
    let overlapping = PeriodEntry {
        customer_id: ids[2].clone(),
        period: Period::new(m(2003, 9), m(2003, 12)).unwrap(),
        ..total.clone()
    };
    let err = s.db.store.write(|tx| write_period_entries_in(tx, &sup, std::slice::from_ref(&overlapping))).unwrap_err();
    assert!(matches!(&err, DbError::Invalid(Invalid::PeriodOverlap { .. })), "{err:?}");
    // A period across two years, or of one month, is no period total.
    let across = PeriodEntry { period: Period::new(m(2003, 11), m(2004, 2)).unwrap(), ..total.clone() };
    let err = s.db.store.write(|tx| write_period_entries_in(tx, &sup, std::slice::from_ref(&across))).unwrap_err();
    assert!(matches!(&err, DbError::Invalid(Invalid::PeriodShape(_))), "{err:?}");
    assert_eq!(s.db.count("history"), before, "nothing written");
    // A zero month is no revenue: clearing stays possible.
    let zero = RevenueEntry { amount: Money::ZERO, ..month };
    s.db.store.write(|tx| write_entries_in(tx, &sup, std::slice::from_ref(&zero))).unwrap();
}

#[test]
fn period_totals_keep_their_history() {
    let (mut s, ids) = seeded_district();
    let line = letters(&s);
    let sup = actor(&s.org.supervisor);
    let changed =
        PeriodEntry { customer_id: ids[2].clone(), period: jan_oct(2003), service_line_id: line, amount: wan("801") };
    let counts = s.db.store.write(|tx| write_period_entries_in(tx, &sup, std::slice::from_ref(&changed))).unwrap();
    assert_eq!((counts.inserted, counts.updated), (0, 1));
    let field: String = s
        .conn()
        .row(
            "SELECT field FROM history WHERE entity = 'revenue' AND customer_id = ?1 AND action = 'update'",
            args![ids[2].as_str()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(field, "revenue:200301-200310:letters");
    let unit = s.org.unit;
    s.db.store.write(|tx| set_unit_period_revenue_in(tx, &sup, unit, jan_oct(2003), wan("23800"))).unwrap();
    assert_eq!(unit_period_totals(s.conn(), unit).unwrap(), vec![(jan_oct(2003), wan("23800"))]);
    assert_eq!(s.db.count("history WHERE entity = 'unit_revenue_period'"), 2, "created, then changed");
    // An account manager keeps no unit's figures.
    let manager = actor(&s.org.manager);
    assert!(s.db.store.write(|tx| set_unit_period_revenue_in(tx, &manager, unit, jan_oct(2003), wan("1"))).is_err());
}
