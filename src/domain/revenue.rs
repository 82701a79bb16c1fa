//! Revenue and the monthly analysis (SPEC §7): months, month-on-month,
//! year-on-year, year-to-date, share of the unit's revenue, fluctuation, and
//! the customer status rules. Pure: amounts come in, figures go out.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

use super::money::Money;

/// A calendar month, the unit of the revenue ledger. Stored as the integer
/// `yyyymm` (202610) so that SQL orders and compares it directly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i32,
    /// 1–12
    month: u32,
}

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1..=12).contains(&month) && (1900..=9999).contains(&year)).then_some(Month { year, month })
    }

    pub fn of(date: NaiveDate) -> Month {
        Month { year: date.year(), month: date.month() }
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    /// `yyyymm`, as stored.
    pub fn key(self) -> i64 {
        self.year as i64 * 100 + self.month as i64
    }

    pub fn from_key(key: i64) -> Option<Month> {
        Month::new(i32::try_from(key / 100).ok()?, u32::try_from(key % 100).ok()?)
    }

    /// Months since year 0, for arithmetic.
    fn ordinal(self) -> i64 {
        self.year as i64 * 12 + self.month as i64 - 1
    }

    fn from_ordinal(ordinal: i64) -> Month {
        let year = ordinal.div_euclid(12).clamp(1900, 9999) as i32;
        // rem_euclid(12) is 0..=11, so the fallback is never taken.
        Month { year, month: u32::try_from(ordinal.rem_euclid(12)).unwrap_or(0) + 1 }
    }

    /// This month moved by `n` months (negative: back).
    pub fn plus(self, n: i64) -> Month {
        Month::from_ordinal(self.ordinal() + n)
    }

    pub fn prev(self) -> Month {
        self.plus(-1)
    }

    pub fn next(self) -> Month {
        self.plus(1)
    }

    /// The same month a year earlier.
    pub fn year_ago(self) -> Month {
        self.plus(-12)
    }

    /// January of this month's year.
    pub fn january(self) -> Month {
        Month { year: self.year, month: 1 }
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month, 1).expect("months are valid by construction")
    }

    /// The month's last day.
    pub fn last_day(self) -> NaiveDate {
        self.next().first_day().pred_opt().unwrap_or(self.first_day())
    }

    /// The months `from..=to`, oldest first (empty when `from` is after `to`).
    pub fn range(from: Month, to: Month) -> impl Iterator<Item = Month> {
        (from.ordinal()..=to.ordinal()).map(Month::from_ordinal)
    }

    /// Reads exactly one month, as these offices' spreadsheets write it:
    /// `2026-10`, `2026-1`, `2026/10`, `2026.10`, `202610`, `2026年10月`, or
    /// the first day of the month as Excel saves a month cell formatted as a
    /// date (`2026/10/1`, `2026-10-01`, `2026年10月1日`). Full-width digits are
    /// read as digits.
    ///
    /// Anything else is refused with the reason, never guessed: a period
    /// (`2003年1-10月`, `2026-01~03`) is several months, whose split is not
    /// ours to invent; any other day (`2026-10-15`) may be a date typed into
    /// the wrong column, or a period written with dashes (`2003-1-10`).
    pub fn parse(text: &str) -> Result<Month, MonthError> {
        let text: String = text.chars().map(super::money::to_halfwidth).collect();
        let text = text.trim();
        if text.is_empty() {
            return Err(MonthError::Empty);
        }
        match month_parts(text) {
            Some(Parts { year, month, day }) => {
                let month = Month::new(year, month).ok_or(MonthError::NoSuchMonth)?;
                match day {
                    None | Some(1) => Ok(month),
                    Some(day) if NaiveDate::from_ymd_opt(year, month.month, day).is_some() => Err(MonthError::Day),
                    Some(_) => Err(MonthError::NoSuchMonth),
                }
            }
            None if looks_like_period(text) => Err(MonthError::Period),
            None => Err(MonthError::Unreadable),
        }
    }
}

/// Why a text is not one month ([`Month::parse`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum MonthError {
    #[error("no month given")]
    Empty,
    /// Several months (`2003年1-10月`): a period total, not one month's figure.
    #[error("a period of several months, not one month")]
    Period,
    /// A date other than the first of its month.
    #[error("a day, not a month")]
    Day,
    /// Month 13, month 0, 2026-02-30, a year before 1900.
    #[error("no such month")]
    NoSuchMonth,
    #[error("not a month")]
    Unreadable,
}

/// The numbers of a text written in one of the accepted shapes, before they
/// are checked as a calendar month.
struct Parts {
    year: i32,
    month: u32,
    day: Option<u32>,
}

fn digits(text: &str, lengths: std::ops::RangeInclusive<usize>) -> Option<u32> {
    (lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok())?
}

/// `202610`; `2026年10月` or `2026年10月1日`; `2026-10` or `2026-10-01` with one
/// separator (`-`, `/` or `.`) throughout.
fn month_parts(text: &str) -> Option<Parts> {
    if let Some(key) = digits(text, 6..=6) {
        return Some(Parts { year: i32::try_from(key / 100).ok()?, month: key % 100, day: None });
    }
    if let Some((year, rest)) = text.split_once('年') {
        let (month, rest) = rest.split_once('月')?;
        let day = match rest {
            "" => None,
            day => Some(digits(day.strip_suffix('日')?, 1..=2)?),
        };
        return Some(Parts { year: i32::try_from(digits(year, 4..=4)?).ok()?, month: digits(month, 1..=2)?, day });
    }
    let separator = text.chars().find(|c| matches!(c, '-' | '/' | '.'))?;
    let mut parts = text.split(separator);
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next());
    if parts.next().is_some() {
        return None;
    }
    let day = match day {
        None => None,
        Some(day) => Some(digits(day, 1..=2)?),
    };
    Some(Parts { year: i32::try_from(digits(year, 4..=4)?).ok()?, month: digits(month, 1..=2)?, day })
}

/// Two months joined (`1-10月`, `2026-01~2026-03`, `2026年1月至3月`, `1、2月`),
/// or more numbers than one date has.
fn looks_like_period(text: &str) -> bool {
    const JOINS: [char; 10] = ['~', '～', '至', '到', '—', '–', '、', ',', '，', '＋'];
    if text.contains(JOINS) || text.matches('年').count() > 1 || text.matches('月').count() > 1 {
        return true;
    }
    if let Some((_, rest)) = text.split_once('年') {
        return rest.contains(['-', '/', '.', '+']);
    }
    let numbers = text.split(|c: char| !c.is_ascii_digit()).filter(|n| !n.is_empty()).count();
    numbers > 3 || (text.contains('-') && text.contains(['/', '.']))
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

/// (current − base) / base as a ratio (0.25 = +25%); None when the base is
/// zero or missing, where a percentage means nothing.
pub fn change(current: Money, base: Money) -> Option<Decimal> {
    if base.yuan().is_zero() {
        return None;
    }
    (current.yuan() - base.yuan()).checked_div(base.yuan())
}

/// part / whole as a ratio; None when the whole is unknown or not positive.
pub fn share(part: Money, whole: Option<Money>) -> Option<Decimal> {
    let whole = whole?.yuan();
    (whole > Decimal::ZERO).then(|| part.yuan().checked_div(whole)).flatten()
}

/// A ratio as a percentage with one decimal: 0.2063 → "20.6%", -0.3 → "-30.0%".
pub fn percent(ratio: Decimal) -> String {
    let mut pct =
        (ratio * Decimal::ONE_HUNDRED).round_dp_with_strategy(1, rust_decimal::RoundingStrategy::MidpointAwayFromZero);
    pct.rescale(1);
    format!("{pct}%")
}

/// The headline figures of the monthly analysis for one unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Headline {
    pub month: Money,
    pub previous_month: Money,
    pub same_month_last_year: Money,
    pub year_to_date: Money,
    pub year_to_date_last_year: Money,
    /// Whether last year has any revenue at all in the ledger: without it a
    /// year-on-year figure would compare against nothing.
    pub has_last_year: bool,
    /// The unit's own revenue for the month, when entered.
    pub unit_month: Option<Money>,
}

impl Headline {
    pub fn month_on_month(&self) -> Option<Decimal> {
        change(self.month, self.previous_month)
    }
    pub fn year_on_year(&self) -> Option<Decimal> {
        if !self.has_last_year {
            return None;
        }
        change(self.month, self.same_month_last_year)
    }
    pub fn year_to_date_on_year(&self) -> Option<Decimal> {
        if !self.has_last_year {
            return None;
        }
        change(self.year_to_date, self.year_to_date_last_year)
    }
    /// Key customers' share of the unit's revenue this month.
    pub fn share_of_unit(&self) -> Option<Decimal> {
        share(self.month, self.unit_month)
    }
}

/// SPEC §7: a move of more than this against the previous month must be explained.
pub const FLUCTUATION_LIMIT: Decimal = Decimal::from_parts(30, 0, 0, false, 2);

/// The month-on-month change when it is a fluctuation that needs an
/// explanation: strictly more than `limit` up or down. A customer with no
/// revenue last month is new business, not a fluctuation; one-off customers
/// are excepted by the caller.
pub fn fluctuation(current: Money, previous: Money, limit: Decimal) -> Option<Decimal> {
    let ratio = change(current, previous)?;
    (ratio.abs() > limit).then_some(ratio)
}

/// 客户状态 (SPEC §2.4, reviewed in §7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum CustomerStatus {
    /// 正常
    Normal,
    /// 关注
    Watch,
    /// 预警
    Warning,
    /// 流失
    Churned,
}

impl CustomerStatus {
    pub const ALL: [CustomerStatus; 4] =
        [CustomerStatus::Normal, CustomerStatus::Watch, CustomerStatus::Warning, CustomerStatus::Churned];
}

stored_code!(CustomerStatus);

/// The status rules, configurable under `[status]` in config.toml. The most
/// serious status that applies wins: churned, then warning, then watch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct StatusRules {
    /// Watch: this month fell by more than this percentage against the previous month.
    pub watch_fall_percent: u32,
    /// Warning: revenue fell month on month this many months running.
    pub warning_decline_months: u32,
    /// Churned: no revenue for this many months running, after having had some.
    pub churned_empty_months: u32,
}

impl Default for StatusRules {
    fn default() -> Self {
        StatusRules { watch_fall_percent: 30, warning_decline_months: 3, churned_empty_months: 3 }
    }
}

impl StatusRules {
    /// How many months of history `status` reads, ending with the month assessed.
    pub fn months_needed(&self) -> u32 {
        self.warning_decline_months.max(self.churned_empty_months).max(1).saturating_add(1)
    }

    /// The status as of the last month of `months` (oldest first; a month
    /// without revenue is zero). `earlier_revenue`: whether the customer had
    /// any revenue before the first of `months`.
    pub fn status(&self, months: &[Money], earlier_revenue: bool) -> CustomerStatus {
        let Some((&current, before)) = months.split_last() else {
            return CustomerStatus::Normal;
        };
        let empty = self.churned_empty_months as usize;
        if empty > 0 && months.len() >= empty {
            let (older, recent) = months.split_at(months.len() - empty);
            let had_revenue = earlier_revenue || older.iter().any(|m| m.yuan() > Decimal::ZERO);
            if had_revenue && recent.iter().all(|m| m.yuan() <= Decimal::ZERO) {
                return CustomerStatus::Churned;
            }
        }
        let declines = self.warning_decline_months as usize;
        if declines > 0 && months.len() > declines {
            let window = &months[months.len() - declines - 1..];
            if window.windows(2).all(|pair| pair[1] < pair[0]) {
                return CustomerStatus::Warning;
            }
        }
        let limit = Decimal::from(self.watch_fall_percent) / Decimal::ONE_HUNDRED;
        let fell = before.last().is_some_and(|&previous| change(current, previous).is_some_and(|r| r < -limit));
        // Still without revenue after such a fall, but not yet long enough to be churned.
        let stopped = current.yuan() <= Decimal::ZERO && before.iter().any(|m| m.yuan() > Decimal::ZERO);
        if fell || stopped { CustomerStatus::Watch } else { CustomerStatus::Normal }
    }
}

/// Where the unit's revenue for a 12-month window comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitRevenueSource {
    /// All twelve months entered month by month.
    Months,
    /// The yearly total entered for this year.
    Year(i32),
}

/// The unit's revenue for the twelve months ending `last`: the sum of the
/// monthly entries when all twelve are entered; otherwise the yearly total
/// of `last`'s year, or failing that of the year before.
pub fn unit_revenue_for_window(
    last: Month,
    monthly: &[(Month, Money)],
    yearly: &[(i32, Money)],
) -> Option<(Money, UnitRevenueSource)> {
    let window: Vec<Month> = Month::range(last.plus(-11), last).collect();
    let amounts: Vec<Money> =
        window.iter().filter_map(|m| monthly.iter().find(|(month, _)| month == m).map(|(_, a)| *a)).collect();
    if amounts.len() == window.len() {
        let total = amounts.iter().fold(Decimal::ZERO, |sum, a| sum + a.yuan());
        return Some((Money(total), UnitRevenueSource::Months));
    }
    [last.year(), last.year() - 1].into_iter().find_map(|year| {
        yearly.iter().find(|(y, _)| *y == year).map(|(_, amount)| (*amount, UnitRevenueSource::Year(year)))
    })
}

/// The unit's revenue for one month: the monthly entry, else a twelfth of
/// the year's total (rounded to the fen), else unknown.
pub fn unit_revenue_for_month(monthly: Option<Money>, yearly: Option<Money>) -> Option<Money> {
    monthly.or_else(|| yearly.map(|y| Money((y.yuan() / Decimal::from(12)).round_dp(2))))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yuan(text: &str) -> Money {
        Money(text.parse().unwrap())
    }
    fn m(y: i32, mo: u32) -> Month {
        Month::new(y, mo).unwrap()
    }

    #[test]
    fn months_parse_the_ways_spreadsheets_write_them() {
        for text in [
            "2026-10",
            "2026/10",
            "2026.10",
            "202610",
            "2026年10月",
            "2026/10/1",
            "2026-10-01",
            "2026年10月1日",
            " 2026-10 ",
        ] {
            assert_eq!(Month::parse(text), Ok(m(2026, 10)), "{text}");
        }
        assert_eq!(Month::parse("2026-1"), Ok(m(2026, 1)));
        assert_eq!(Month::parse("２０２６－１０"), Ok(m(2026, 10)));
    }

    /// Issue 12: `2003年1-10月` was read as the date 2003-1-10, then stored as
    /// January. A period, a day or anything else is refused with its reason.
    #[test]
    fn anything_but_exactly_one_month_is_refused_with_the_reason() {
        for period in [
            "2003年1-10月",
            "2003年1月-10月",
            "2003年1至10月",
            "2026年1、2月",
            "2026-01~2026-03",
            "2026-01~03",
            "2026.1-2026.3",
            "2026/01-03",
            "2026-01-2026-03",
            "2026年1月到3月",
        ] {
            assert_eq!(Month::parse(period), Err(MonthError::Period), "{period}");
        }
        for day in ["2003-1-10", "2026-10-31", "2026/10/15", "2026年10月2日"] {
            assert_eq!(Month::parse(day), Err(MonthError::Day), "{day}");
        }
        for no_such in ["2026-13", "2026-00", "202613", "2026年13月", "2026-02-30", "1899-12"] {
            assert_eq!(Month::parse(no_such), Err(MonthError::NoSuchMonth), "{no_such}");
        }
        for bad in ["26-10", "十月", "2026", "2026年", "2026年10", "2026-10月", "October 2026", "2026-010"] {
            assert_eq!(Month::parse(bad), Err(MonthError::Unreadable), "{bad}");
        }
        assert_eq!(Month::parse("  "), Err(MonthError::Empty));
    }

    #[test]
    fn month_arithmetic_crosses_years() {
        assert_eq!(m(2026, 1).prev(), m(2025, 12));
        assert_eq!(m(2025, 12).next(), m(2026, 1));
        assert_eq!(m(2026, 3).year_ago(), m(2025, 3));
        assert_eq!(m(2026, 10).plus(-11), m(2025, 11));
        assert_eq!(Month::range(m(2025, 11), m(2026, 2)).count(), 4);
        assert_eq!(m(2026, 10).key(), 202610);
        assert_eq!(Month::from_key(202610), Some(m(2026, 10)));
        assert_eq!(m(2026, 10).to_string(), "2026-10");
    }

    #[test]
    fn month_on_month_year_on_year_and_year_to_date() {
        let h = Headline {
            month: yuan("120000"),
            previous_month: yuan("100000"),
            same_month_last_year: yuan("150000"),
            year_to_date: yuan("1100000"),
            year_to_date_last_year: yuan("1000000"),
            has_last_year: true,
            unit_month: Some(yuan("581677.17")),
        };
        assert_eq!(h.month_on_month(), Some("0.2".parse().unwrap()));
        assert_eq!(h.year_on_year(), Some("-0.2".parse().unwrap()));
        assert_eq!(h.year_to_date_on_year(), Some("0.1".parse().unwrap()));
        // SPEC's example: key customers are 20.63% of the district's revenue.
        assert_eq!(percent(h.share_of_unit().unwrap()), "20.6%");
        assert_eq!(h.share_of_unit().unwrap().round_dp(4), "0.2063".parse().unwrap());
    }

    #[test]
    fn no_previous_year_means_no_year_on_year() {
        let h = Headline { month: yuan("100"), previous_month: yuan("100"), ..Headline::default() };
        assert_eq!(h.year_on_year(), None);
        assert_eq!(h.year_to_date_on_year(), None);
        assert_eq!(h.month_on_month(), Some(Decimal::ZERO));
        // A last year with no revenue in that month: no ratio either.
        let h = Headline { month: yuan("100"), has_last_year: true, ..Headline::default() };
        assert_eq!(h.year_on_year(), None);
        assert_eq!(h.share_of_unit(), None);
    }

    #[test]
    fn fluctuation_is_strictly_more_than_thirty_percent() {
        let limit = FLUCTUATION_LIMIT;
        assert_eq!(fluctuation(yuan("130"), yuan("100"), limit), None);
        assert_eq!(fluctuation(yuan("70"), yuan("100"), limit), None);
        assert_eq!(fluctuation(yuan("130.01"), yuan("100"), limit), Some("0.3001".parse().unwrap()));
        assert_eq!(fluctuation(yuan("69.99"), yuan("100"), limit), Some("-0.3001".parse().unwrap()));
        assert_eq!(fluctuation(yuan("0"), yuan("100"), limit), Some(Decimal::NEGATIVE_ONE));
        // New business is not a fluctuation.
        assert_eq!(fluctuation(yuan("5000"), yuan("0"), limit), None);
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        assert_eq!(percent("0.20625".parse().unwrap()), "20.6%");
        assert_eq!(percent("0.20635".parse().unwrap()), "20.6%");
        assert_eq!(percent("0.2065".parse().unwrap()), "20.7%");
        assert_eq!(percent("-0.3".parse().unwrap()), "-30.0%");
        assert_eq!(percent(Decimal::ZERO), "0.0%");
    }

    fn months(list: &[&str]) -> Vec<Money> {
        list.iter().map(|a| yuan(a)).collect()
    }

    #[test]
    fn status_rules_by_default() {
        let rules = StatusRules::default();
        assert_eq!(rules.months_needed(), 4);
        assert_eq!(rules.status(&months(&["100", "100", "100", "100"]), false), CustomerStatus::Normal);
        // Watch: a fall of more than 30%; exactly 30% is still normal.
        assert_eq!(rules.status(&months(&["100", "100", "100", "69"]), false), CustomerStatus::Watch);
        assert_eq!(rules.status(&months(&["100", "100", "100", "70"]), false), CustomerStatus::Normal);
        // Warning: three declines running (four months), even small ones.
        assert_eq!(rules.status(&months(&["100", "99", "98", "97"]), false), CustomerStatus::Warning);
        assert_eq!(rules.status(&months(&["100", "100", "98", "97"]), false), CustomerStatus::Normal);
        // Churned: three empty months after having revenue.
        assert_eq!(rules.status(&months(&["100", "0", "0", "0"]), false), CustomerStatus::Churned);
        assert_eq!(rules.status(&months(&["0", "0", "0", "0"]), true), CustomerStatus::Churned);
        // Never had revenue: a prospect, not a churned customer.
        assert_eq!(rules.status(&months(&["0", "0", "0", "0"]), false), CustomerStatus::Normal);
        // Two empty months: still watched, not yet churned.
        assert_eq!(rules.status(&months(&["100", "100", "0", "0"]), false), CustomerStatus::Watch);
        assert_eq!(rules.status(&months(&["100", "100", "100", "0"]), false), CustomerStatus::Watch);
        // Churned outranks warning.
        assert_eq!(rules.status(&months(&["300", "0", "0", "0"]), true), CustomerStatus::Churned);
    }

    #[test]
    fn status_rules_are_configurable() {
        let rules = StatusRules { watch_fall_percent: 50, warning_decline_months: 2, churned_empty_months: 1 };
        assert_eq!(rules.status(&months(&["100", "100", "60"]), false), CustomerStatus::Normal);
        assert_eq!(rules.status(&months(&["100", "90", "80"]), false), CustomerStatus::Warning);
        assert_eq!(rules.status(&months(&["100", "100", "0"]), false), CustomerStatus::Churned);
        assert_eq!(rules.status(&[], false), CustomerStatus::Normal);
    }

    #[test]
    fn unit_revenue_window_prefers_months_then_the_year() {
        let last = m(2026, 10);
        let full: Vec<(Month, Money)> = Month::range(last.plus(-11), last).map(|mo| (mo, yuan("10"))).collect();
        assert_eq!(unit_revenue_for_window(last, &full, &[]), Some((yuan("120"), UnitRevenueSource::Months)));
        let partial = &full[1..];
        let years = [(2025, yuan("900")), (2026, yuan("1000"))];
        assert_eq!(unit_revenue_for_window(last, partial, &years), Some((yuan("1000"), UnitRevenueSource::Year(2026))));
        assert_eq!(
            unit_revenue_for_window(last, partial, &years[..1]),
            Some((yuan("900"), UnitRevenueSource::Year(2025)))
        );
        assert_eq!(unit_revenue_for_window(last, partial, &[]), None);
        assert_eq!(unit_revenue_for_month(None, Some(yuan("1200"))), Some(yuan("100")));
        assert_eq!(unit_revenue_for_month(Some(yuan("7")), Some(yuan("1200"))), Some(yuan("7")));
        assert_eq!(unit_revenue_for_month(None, None), None);
    }
}
