//! The monthly analysis report (经营分析报告, SPEC §13.4): its parts, its
//! states, and when each unit's report is due. Pure rules, no I/O.
//!
//! **Which month is due when.** A report covers one month M ("last month" to
//! the people writing it, in M+1: its revenue is complete only once M has
//! ended). SPEC §13.4:
//! - county/district centres and specialised bureaus send it to the city
//!   centre **by the 28th** of the month after M (every month has a 28th);
//! - the city centre sends the whole bureau's report on M ("the previous
//!   month's tables and report") **by the 5th of the next month**, that is
//!   the 5th of M+2: it gathers the units' reports of the 28th first;
//! - quarterly, the city centre analyses the regional diamond and all gold
//!   customers for the province. Silent on the day: kam asks for it with the
//!   city's report on the quarter's last month (the 5th of the second month
//!   after the quarter: Q1 by 5 May).
//!
//! Silent, and chosen here: the province centre receives reports and sends
//! none to a level above, branch offices report in daily work (general
//! customers), so neither has a report due. A report may be written from the
//! first day after its month ends; the due list looks back [`LOOKBACK`]
//! months so an overdue report keeps showing until it is submitted, without
//! nagging about years before kam was used.

use chrono::NaiveDate;
use strum::{EnumIter, EnumString, IntoStaticStr};

use super::org::UnitLevel;
use super::revenue::Month;

/// A monthly report on a unit, or the city centre's quarterly analysis of
/// its diamond and gold customers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum ReportKind {
    Monthly,
    Quarterly,
}

impl ReportKind {
    pub fn code(self) -> &'static str {
        self.into()
    }
    pub fn from_code(code: &str) -> Option<ReportKind> {
        code.parse().ok()
    }
}

/// A report is a draft until the supervisor submits it; a submitted report
/// is reopened (a draft again) only by a supervisor of its unit or above.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum ReportStatus {
    Draft,
    Submitted,
}

impl ReportStatus {
    pub fn code(self) -> &'static str {
        self.into()
    }
    pub fn from_code(code: &str) -> Option<ReportStatus> {
        code.parse().ok()
    }
}

/// The seven parts of the report, in the order SPEC §13.4 lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter)]
pub enum ReportPart {
    /// 1. Last month overall: share, gained and lost, against last month,
    ///    the same month last year and the year to date, with reasons.
    Overall,
    /// 2. By tier: customers and revenue of each tier and their change.
    Tiers,
    /// 3. Competition: competitors' moves, industry strategies.
    Competition,
    /// 4. Fluctuations beyond 30%, each with its reason.
    Fluctuations,
    /// 5. A topic on the key customers (silver and above, or top 10).
    KeyCustomers,
    /// 6. Last month's service measures and marketing, good practice.
    Measures,
    /// 7. This month's work plan from last month's problems.
    Plan,
}

impl ReportPart {
    pub const ALL: [ReportPart; 7] = [
        ReportPart::Overall,
        ReportPart::Tiers,
        ReportPart::Competition,
        ReportPart::Fluctuations,
        ReportPart::KeyCustomers,
        ReportPart::Measures,
        ReportPart::Plan,
    ];

    /// 1–7, as the documents number them.
    pub fn number(self) -> usize {
        ReportPart::ALL.iter().position(|p| *p == self).unwrap_or(0) + 1
    }

    /// The text people write in this part, if any (parts 2 and 4 are the
    /// figures and the account managers' explanations).
    pub fn written(self) -> Option<WrittenPart> {
        match self {
            ReportPart::Overall => Some(WrittenPart::Reasons),
            ReportPart::Competition => Some(WrittenPart::Competition),
            ReportPart::KeyCustomers => Some(WrittenPart::KeyCustomers),
            ReportPart::Measures => Some(WrittenPart::Measures),
            ReportPart::Plan => Some(WrittenPart::Plan),
            ReportPart::Tiers | ReportPart::Fluctuations => None,
        }
    }
}

/// The parts only people can write, each a text column of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, IntoStaticStr, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum WrittenPart {
    /// Reasons for part 1's figures.
    Reasons,
    Competition,
    KeyCustomers,
    Measures,
    Plan,
}

impl WrittenPart {
    pub const ALL: [WrittenPart; 5] = [
        WrittenPart::Reasons,
        WrittenPart::Competition,
        WrittenPart::KeyCustomers,
        WrittenPart::Measures,
        WrittenPart::Plan,
    ];

    /// The stored column (and the history's field name).
    pub fn column(self) -> &'static str {
        self.into()
    }

    pub fn part(self) -> ReportPart {
        match self {
            WrittenPart::Reasons => ReportPart::Overall,
            WrittenPart::Competition => ReportPart::Competition,
            WrittenPart::KeyCustomers => ReportPart::KeyCustomers,
            WrittenPart::Measures => ReportPart::Measures,
            WrittenPart::Plan => ReportPart::Plan,
        }
    }
}

/// The longest text of one written part, in characters (a few pages).
pub const MAX_PART_CHARS: usize = 10_000;

/// How many months back the due list looks (the month just ended and the two before it).
pub const LOOKBACK: i64 = 3;

/// The day a unit of `level` must have sent its report of `kind` on `month`,
/// or None when no such report is asked of it.
pub fn deadline(level: UnitLevel, kind: ReportKind, month: Month) -> Option<NaiveDate> {
    let on = |m: Month, day: u32| NaiveDate::from_ymd_opt(m.year(), m.month(), day);
    match (kind, level) {
        (ReportKind::Monthly, UnitLevel::County | UnitLevel::Bureau) => on(month.next(), 28),
        (ReportKind::Monthly, UnitLevel::City) => on(month.plus(2), 5),
        (ReportKind::Quarterly, UnitLevel::City) if month.month().is_multiple_of(3) => on(month.plus(2), 5),
        _ => None,
    }
}

/// One report a unit owes: what, on which month, by when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub kind: ReportKind,
    pub month: Month,
    pub deadline: NaiveDate,
}

impl Due {
    /// Past its deadline on `today` (the deadline day itself is still in time).
    pub fn overdue(&self, today: NaiveDate) -> bool {
        today > self.deadline
    }
}

/// The reports a unit of `level` owes on `today`, whether submitted or not
/// (the caller leaves out those submitted): every month whose report may be
/// written already (the month has ended), over the last [`LOOKBACK`] months,
/// soonest deadline first.
pub fn reports_owed(level: UnitLevel, today: NaiveDate) -> Vec<Due> {
    let last = Month::of(today).prev();
    let mut due = Vec::new();
    for month in Month::range(last.plus(1 - LOOKBACK), last) {
        for kind in [ReportKind::Monthly, ReportKind::Quarterly] {
            if let Some(deadline) = deadline(level, kind, month) {
                due.push(Due { kind, month, deadline });
            }
        }
    }
    due.sort_by_key(|d| (d.deadline, d.month, d.kind));
    due
}

/// Days from `today` to the deadline: negative when overdue.
pub fn days_left(deadline: NaiveDate, today: NaiveDate) -> i64 {
    (deadline - today).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn m(y: i32, mo: u32) -> Month {
        Month::new(y, mo).unwrap()
    }

    #[test]
    fn a_county_reports_last_month_by_the_28th() {
        assert_eq!(deadline(UnitLevel::County, ReportKind::Monthly, m(2026, 10)), Some(d(2026, 11, 28)));
        assert_eq!(deadline(UnitLevel::Bureau, ReportKind::Monthly, m(2026, 10)), Some(d(2026, 11, 28)));
        // February has a 28th too, in leap years and others.
        assert_eq!(deadline(UnitLevel::County, ReportKind::Monthly, m(2027, 1)), Some(d(2027, 2, 28)));
        assert_eq!(deadline(UnitLevel::County, ReportKind::Monthly, m(2028, 1)), Some(d(2028, 2, 28)));
    }

    #[test]
    fn december_is_reported_in_january_of_the_next_year() {
        assert_eq!(deadline(UnitLevel::County, ReportKind::Monthly, m(2026, 12)), Some(d(2027, 1, 28)));
        assert_eq!(deadline(UnitLevel::City, ReportKind::Monthly, m(2026, 12)), Some(d(2027, 2, 5)));
        assert_eq!(deadline(UnitLevel::City, ReportKind::Monthly, m(2026, 11)), Some(d(2027, 1, 5)));
    }

    #[test]
    fn the_city_reports_by_the_5th_after_the_units() {
        assert_eq!(deadline(UnitLevel::City, ReportKind::Monthly, m(2026, 10)), Some(d(2026, 12, 5)));
        // The city's deadline always falls after its units'.
        for mo in 1..=12 {
            let month = m(2026, mo);
            assert!(
                deadline(UnitLevel::City, ReportKind::Monthly, month)
                    > deadline(UnitLevel::County, ReportKind::Monthly, month)
            );
        }
    }

    #[test]
    fn quarterly_analyses_are_the_citys_on_quarter_ends() {
        assert_eq!(deadline(UnitLevel::City, ReportKind::Quarterly, m(2026, 3)), Some(d(2026, 5, 5)));
        assert_eq!(deadline(UnitLevel::City, ReportKind::Quarterly, m(2026, 12)), Some(d(2027, 2, 5)));
        assert_eq!(deadline(UnitLevel::City, ReportKind::Quarterly, m(2026, 11)), None);
        assert_eq!(deadline(UnitLevel::County, ReportKind::Quarterly, m(2026, 12)), None);
    }

    #[test]
    fn the_province_and_branches_owe_nothing() {
        for kind in [ReportKind::Monthly, ReportKind::Quarterly] {
            assert_eq!(deadline(UnitLevel::Province, kind, m(2026, 12)), None);
            assert_eq!(deadline(UnitLevel::Branch, kind, m(2026, 12)), None);
        }
        assert!(reports_owed(UnitLevel::Branch, d(2026, 12, 6)).is_empty());
    }

    #[test]
    fn the_deadline_day_itself_is_in_time() {
        let due = Due { kind: ReportKind::Monthly, month: m(2026, 10), deadline: d(2026, 11, 28) };
        assert!(!due.overdue(d(2026, 11, 27)));
        assert!(!due.overdue(d(2026, 11, 28)));
        assert!(due.overdue(d(2026, 11, 29)));
        let city = Due { kind: ReportKind::Monthly, month: m(2026, 10), deadline: d(2026, 12, 5) };
        assert!(!city.overdue(d(2026, 12, 5)));
        assert!(city.overdue(d(2026, 12, 6)));
        assert_eq!(days_left(d(2026, 12, 5), d(2026, 12, 6)), -1);
        assert_eq!(days_left(d(2026, 11, 28), d(2026, 11, 28)), 0);
    }

    #[test]
    fn a_month_is_owed_from_the_day_after_it_ends() {
        // On the last day of November, November's report is not owed yet.
        let owed = reports_owed(UnitLevel::County, d(2026, 11, 30));
        assert_eq!(owed.iter().map(|d| d.month).collect::<Vec<_>>(), vec![m(2026, 8), m(2026, 9), m(2026, 10)]);
        // On 1 December it is, due on the 28th.
        let owed = reports_owed(UnitLevel::County, d(2026, 12, 1));
        assert_eq!(owed.last().map(|d| (d.month, d.deadline)), Some((m(2026, 11), d(2026, 12, 28))));
        assert_eq!(owed.len(), usize::try_from(LOOKBACK).unwrap());
    }

    #[test]
    fn across_the_new_year_the_city_owes_december_and_the_quarter() {
        let owed = reports_owed(UnitLevel::City, d(2027, 1, 1));
        let listed: Vec<_> = owed.iter().map(|d| (d.kind, d.month, d.deadline)).collect();
        assert_eq!(
            listed,
            vec![
                (ReportKind::Monthly, m(2026, 10), d(2026, 12, 5)),
                (ReportKind::Monthly, m(2026, 11), d(2027, 1, 5)),
                (ReportKind::Monthly, m(2026, 12), d(2027, 2, 5)),
                (ReportKind::Quarterly, m(2026, 12), d(2027, 2, 5)),
            ]
        );
        assert!(owed[0].overdue(d(2027, 1, 1)));
        assert!(!owed[1].overdue(d(2027, 1, 5)));
        assert!(owed[1].overdue(d(2027, 1, 6)));
    }

    #[test]
    fn parts_are_numbered_as_the_spec_lists_them() {
        assert_eq!(ReportPart::Overall.number(), 1);
        assert_eq!(ReportPart::Plan.number(), 7);
        let written: Vec<_> = ReportPart::ALL.iter().filter_map(|p| p.written()).collect();
        assert_eq!(written, WrittenPart::ALL.to_vec());
        for w in WrittenPart::ALL {
            assert_eq!(w.part().written(), Some(w));
        }
        assert_eq!(WrittenPart::KeyCustomers.column(), "key_customers");
        assert_eq!(ReportKind::from_code("quarterly"), Some(ReportKind::Quarterly));
        assert_eq!(ReportStatus::Submitted.code(), "submitted");
    }
}
