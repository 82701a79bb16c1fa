//! Periods of months (SPEC §7, §13.4): offices report "1–N月累计", the months
//! of a year to date, against the same months a year earlier, in 万元. Pure:
//! the figures come in (summed by the database), ratios and rules go out.
//!
//! A period is also how some revenue is known at all: a table that gives a
//! customer's January–October as one figure, not split by month (未分月). Such
//! a total is kept as it is and used only by a report whose period contains
//! it whole; a report that cuts through it says so rather than guess a split.

use std::fmt;

use rust_decimal::{Decimal, RoundingStrategy};

use super::money::Money;
use super::revenue::{Month, MonthError, change, share};

/// The months `first..=last`, both included (`first <= last`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period {
    first: Month,
    last: Month,
}

/// Why a text is not a period ([`Period::parse`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("no period given")]
    Empty,
    /// One end is not a month.
    #[error("{0}")]
    Month(MonthError),
    /// The last month comes before the first.
    #[error("the period ends before it starts")]
    Backwards,
    #[error("not a period of months")]
    Unreadable,
}

impl Period {
    /// The months from `first` to `last`, or None when `last` comes first.
    pub fn new(first: Month, last: Month) -> Option<Period> {
        (first <= last).then_some(Period { first, last })
    }

    /// One month.
    pub fn month(month: Month) -> Period {
        Period { first: month, last: month }
    }

    /// January to `month` of its year: the offices' "1–N月累计".
    pub fn year_to_date(month: Month) -> Period {
        Period { first: month.january(), last: month }
    }

    pub fn first(self) -> Month {
        self.first
    }

    pub fn last(self) -> Month {
        self.last
    }

    /// How many months the period has.
    pub fn len(self) -> usize {
        Month::range(self.first, self.last).count()
    }

    /// Never true: a period has at least one month (clippy's `len` companion).
    pub fn is_empty(self) -> bool {
        false
    }

    /// Within one calendar year.
    pub fn in_one_year(self) -> bool {
        self.first.year() == self.last.year()
    }

    /// The same months a year earlier: what a period is compared with.
    pub fn year_ago(self) -> Period {
        Period { first: self.first.year_ago(), last: self.last.year_ago() }
    }

    pub fn months(self) -> impl Iterator<Item = Month> {
        Month::range(self.first, self.last)
    }

    pub fn contains_month(self, month: Month) -> bool {
        self.first <= month && month <= self.last
    }

    /// Every month of `other` is in this period.
    pub fn contains(self, other: Period) -> bool {
        self.first <= other.first && other.last <= self.last
    }

    /// The two share at least one month.
    pub fn overlaps(self, other: Period) -> bool {
        self.first <= other.last && other.first <= self.last
    }

    /// `total` (a figure known only for its whole period) falls partly inside
    /// this period and partly outside it: no figure for this period can use it.
    pub fn cuts(self, total: Period) -> bool {
        self.overlaps(total) && !self.contains(total)
    }

    /// The first month moved by `n` (kept in the last month's year and not
    /// after the last month).
    pub fn move_first(self, n: i64) -> Period {
        let first = self.first.plus(n).max(self.last.january()).min(self.last);
        Period { first, last: self.last }
    }

    /// The last month moved by `n`; the first month follows into a new year
    /// (a period stays within its year) and never comes after it.
    pub fn move_last(self, n: i64) -> Period {
        let last = self.last.plus(n);
        let first = if last.year() != self.last.year() || self.first > last {
            Month::new(last.year(), self.first.month().min(last.month())).unwrap_or(last.january())
        } else {
            self.first
        };
        Period { first, last }
    }

    /// Reads a period as offices write one: `2002-01..2002-10`, `2002年1-10月`,
    /// `2002年1-10月累计`, `2002年1月-10月`, `2002年1至10月`; one month as
    /// [`Month::parse`] reads it is a period of one month.
    pub fn parse(text: &str) -> Result<Period, PeriodError> {
        let text: String = text.chars().map(super::money::to_halfwidth).filter(|c| !c.is_whitespace()).collect();
        let text = text.strip_suffix("累计").unwrap_or(&text);
        let text = text.strip_suffix('份').unwrap_or(text);
        if text.is_empty() {
            return Err(PeriodError::Empty);
        }
        if let Some((a, b)) = text.split_once("..") {
            let first = Month::parse(a).map_err(PeriodError::Month)?;
            let last = Month::parse(b).map_err(PeriodError::Month)?;
            return Period::new(first, last).ok_or(PeriodError::Backwards);
        }
        if let Some((year, rest)) = text.split_once('年')
            && let Some(rest) = rest.strip_suffix('月')
        {
            let year: i32 = number(year, 4)?.try_into().map_err(|_| PeriodError::Unreadable)?;
            let Some((a, b)) = rest.split_once(['-', '~', '至', '到', '—', '–']) else {
                let month = Month::new(year, number(rest, 2)?).ok_or(PeriodError::Month(MonthError::NoSuchMonth))?;
                return Ok(Period::month(month));
            };
            // `1月-10月` as well as `1-10月`.
            let a = a.strip_suffix('月').unwrap_or(a);
            let (a, b) = (number(a, 2)?, number(b, 2)?);
            let first = Month::new(year, a).ok_or(PeriodError::Month(MonthError::NoSuchMonth))?;
            let last = Month::new(year, b).ok_or(PeriodError::Month(MonthError::NoSuchMonth))?;
            return Period::new(first, last).ok_or(PeriodError::Backwards);
        }
        match Month::parse(text) {
            Ok(month) => Ok(Period::month(month)),
            Err(MonthError::Period) => Err(PeriodError::Unreadable),
            Err(why) => Err(PeriodError::Month(why)),
        }
    }

    /// `200201-200210`: how a period is named in stored history and keys.
    pub fn key(self) -> String {
        format!("{}-{}", self.first.key(), self.last.key())
    }
}

fn number(text: &str, max_len: usize) -> Result<u32, PeriodError> {
    if text.is_empty() || text.len() > max_len || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(PeriodError::Unreadable);
    }
    text.parse().map_err(|_| PeriodError::Unreadable)
}

impl fmt::Display for Period {
    /// `2002-01..2002-10`, or one month as `2002-10`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.first == self.last { write!(f, "{}", self.first) } else { write!(f, "{}..{}", self.first, self.last) }
    }
}

/// One customer's (or a total's) revenue for a period and for the same period
/// a year earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Compared {
    pub current: Money,
    pub last_year: Money,
}

impl Compared {
    pub fn new(current: Money, last_year: Money) -> Compared {
        Compared { current, last_year }
    }

    /// 增减: this period less the same period last year.
    pub fn change_amount(self) -> Money {
        Money(self.current.yuan() - self.last_year.yuan())
    }

    /// 增减幅度: the change as a ratio of last year (None without a base).
    pub fn change_ratio(self) -> Option<Decimal> {
        change(self.current, self.last_year)
    }

    /// Like for like (可比): revenue in both periods, so that its change is
    /// growth of the same business, not a customer gained or lost.
    pub fn comparable(self) -> bool {
        self.current.yuan() > Decimal::ZERO && self.last_year.yuan() > Decimal::ZERO
    }
}

/// The unit's revenue for a period, as far as what was entered tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitPeriodRevenue {
    Known(Money),
    /// A total entered for this period of months cuts through the period asked.
    Cut(Period),
    /// Nothing entered for this month (nor a period total or year containing it).
    Missing(Month),
}

impl UnitPeriodRevenue {
    pub fn known(self) -> Option<Money> {
        match self {
            UnitPeriodRevenue::Known(m) => Some(m),
            _ => None,
        }
    }
}

/// A unit's revenue for `period` from what was entered: monthly figures,
/// totals of periods of months and whole years. Each month is taken from a
/// period total that starts there and lies inside `period`, else from its
/// monthly figure; a whole calendar year inside `period` may come from its
/// yearly figure. Nothing is spread: a period total that reaches outside
/// `period` makes the figure unknown ([`UnitPeriodRevenue::Cut`]), as does a
/// month with nothing entered.
pub fn unit_revenue_for_period(
    period: Period,
    monthly: &[(Month, Money)],
    totals: &[(Period, Money)],
    yearly: &[(i32, Money)],
) -> UnitPeriodRevenue {
    let mut sum = Decimal::ZERO;
    let mut month = period.first;
    while month <= period.last {
        let december = Month::new(month.year(), 12).unwrap_or(month);
        if month.month() == 1
            && december <= period.last
            && let Some((_, amount)) = yearly.iter().find(|(y, _)| *y == month.year())
        {
            sum += amount.yuan();
            month = december.next();
            continue;
        }
        if let Some((total, amount)) = totals.iter().find(|(t, _)| t.first == month && period.contains(*t)) {
            sum += amount.yuan();
            month = total.last.next();
            continue;
        }
        if let Some((_, amount)) = monthly.iter().find(|(m, _)| *m == month) {
            sum += amount.yuan();
            month = month.next();
            continue;
        }
        if let Some((total, _)) = totals.iter().find(|(t, _)| t.contains_month(month)) {
            return UnitPeriodRevenue::Cut(*total);
        }
        return UnitPeriodRevenue::Missing(month);
    }
    UnitPeriodRevenue::Known(Money(sum))
}

/// Key customers' share of the unit's revenue for the same period.
pub fn share_of_unit(customers: Money, unit: UnitPeriodRevenue) -> Option<Decimal> {
    share(customers, unit.known())
}

/// An amount in 万元, rounded half away from zero to two decimals (as the
/// bureau's tables print it).
pub fn in_wan(amount: Money) -> Money {
    let mut wan =
        (amount.yuan() / Decimal::from(10_000)).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    wan.rescale(2);
    Money(wan)
}

/// A ratio as a percentage with two decimals, half away from zero: 0.206303 → "20.63%".
pub fn percent2(ratio: Decimal) -> String {
    let mut pct = (ratio * Decimal::ONE_HUNDRED).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    pct.rescale(2);
    format!("{pct}%")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(y: i32, n: u32) -> Month {
        Month::new(y, n).unwrap()
    }
    fn wan(text: &str) -> Money {
        super::super::money::parse_amount(&format!("{text}万")).unwrap()
    }

    /// The seed's own table: nine key customers of a district, January to
    /// October 2003, against the district's revenue for the same months.
    #[test]
    fn the_seeds_share_of_the_district_for_january_to_october() {
        let period = Period::parse("2003年1-10月累计").unwrap();
        assert_eq!(period, Period::year_to_date(m(2003, 10)));
        let unit = UnitPeriodRevenue::Known(wan("23705.04"));
        let ratio = share_of_unit(wan("4890.43"), unit).unwrap();
        assert_eq!(percent2(ratio), "20.63%");
        // The unit's figure known only for January to October: used whole.
        let entered = [(Period::parse("2003-01..2003-10").unwrap(), wan("23705.04"))];
        assert_eq!(unit_revenue_for_period(period, &[], &entered, &[]), unit);
    }

    #[test]
    fn the_six_compared_customers_grew_by_870_77_wan() {
        let compared = Compared::new(wan("4597.73"), wan("3726.96"));
        assert!(compared.comparable());
        assert_eq!(in_wan(compared.change_amount()).yuan().to_string(), "870.77");
        assert_eq!(percent2(compared.change_ratio().unwrap()), "23.36%");
        // A customer new this year is not like for like.
        assert!(!Compared::new(wan("10"), Money::ZERO).comparable());
        assert_eq!(Compared::new(wan("10"), Money::ZERO).change_ratio(), None);
    }

    #[test]
    fn periods_as_offices_write_them() {
        let jan_oct = Period::new(m(2002, 1), m(2002, 10)).unwrap();
        for text in [
            "2002-01..2002-10",
            "2002年1-10月",
            "2002年1-10月累计",
            "2002年1月-10月",
            "２００２年１—１０月",
            "2002年1至10月",
        ] {
            assert_eq!(Period::parse(text), Ok(jan_oct), "{text}");
        }
        assert_eq!(Period::parse("2002-10"), Ok(Period::month(m(2002, 10))));
        assert_eq!(Period::parse("2002年10月"), Ok(Period::month(m(2002, 10))));
        assert_eq!(Period::parse("2002年10-1月"), Err(PeriodError::Backwards));
        assert_eq!(Period::parse("2002年1-13月"), Err(PeriodError::Month(MonthError::NoSuchMonth)));
        assert_eq!(Period::parse(""), Err(PeriodError::Empty));
        assert_eq!(Period::parse("2002-01~03"), Err(PeriodError::Unreadable));
        assert_eq!(jan_oct.to_string(), "2002-01..2002-10");
        assert_eq!(jan_oct.key(), "200201-200210");
        assert_eq!(jan_oct.len(), 10);
    }

    #[test]
    fn a_total_cuts_a_period_it_reaches_out_of() {
        let jan_oct = Period::new(m(2003, 1), m(2003, 10)).unwrap();
        let total = Period::new(m(2003, 1), m(2003, 6)).unwrap();
        assert!(!jan_oct.cuts(total));
        assert!(Period::year_to_date(m(2003, 3)).cuts(total));
        assert!(!Period::new(m(2003, 7), m(2003, 10)).unwrap().cuts(total));
        assert_eq!(jan_oct.year_ago(), Period::new(m(2002, 1), m(2002, 10)).unwrap());
    }

    #[test]
    fn unit_revenue_is_never_spread() {
        let q1 = Period::new(m(2003, 1), m(2003, 3)).unwrap();
        let monthly = [(m(2003, 4), wan("100")), (m(2003, 5), wan("50"))];
        let totals = [(q1, wan("300"))];
        let to_may = Period::year_to_date(m(2003, 5));
        assert_eq!(unit_revenue_for_period(to_may, &monthly, &totals, &[]), UnitPeriodRevenue::Known(wan("450")));
        assert_eq!(
            unit_revenue_for_period(Period::year_to_date(m(2003, 2)), &monthly, &totals, &[]),
            UnitPeriodRevenue::Cut(q1)
        );
        assert_eq!(
            unit_revenue_for_period(Period::year_to_date(m(2003, 6)), &monthly, &totals, &[]),
            UnitPeriodRevenue::Missing(m(2003, 6))
        );
        let year = Period::new(m(2003, 1), m(2003, 12)).unwrap();
        assert_eq!(
            unit_revenue_for_period(year, &[], &[], &[(2003, wan("1200"))]),
            UnitPeriodRevenue::Known(wan("1200"))
        );
        // A year's figure is no figure for ten of its months.
        assert_eq!(
            unit_revenue_for_period(Period::year_to_date(m(2003, 10)), &[], &[], &[(2003, wan("1200"))]),
            UnitPeriodRevenue::Missing(m(2003, 1))
        );
    }

    #[test]
    fn moving_the_ends_keeps_a_period_in_one_year() {
        let p = Period::year_to_date(m(2003, 10));
        assert_eq!(p.move_first(3), Period::new(m(2003, 4), m(2003, 10)).unwrap());
        assert_eq!(p.move_first(-1), p);
        assert_eq!(p.move_first(20).first(), m(2003, 10));
        assert_eq!(p.move_last(-10).first(), m(2002, 1));
        assert_eq!(p.move_last(-10).last(), m(2002, 12));
        let late = Period::new(m(2003, 8), m(2003, 10)).unwrap();
        assert_eq!(late.move_last(-3), Period::new(m(2003, 7), m(2003, 7)).unwrap());
        assert_eq!(p.move_last(3), Period::new(m(2004, 1), m(2004, 1)).unwrap());
    }

    #[test]
    fn amounts_in_wan_and_percentages_with_two_decimals() {
        assert_eq!(in_wan(Money::from_fen(4_890_430_000)).yuan().to_string(), "4890.43");
        assert_eq!(in_wan(Money::from_fen(50)).yuan().to_string(), "0.00");
        assert_eq!(in_wan(Money::from_fen(5_000)).yuan().to_string(), "0.01");
        assert_eq!(percent2(Decimal::new(-5, 1)), "-50.00%");
    }
}
