//! "How far back" filters shared by the complaint and log screens.

use chrono::{Months, NaiveDate};

use crate::domain::visit_standard::{Period, period_bounds};
use crate::i18n::Text;

/// How far back a list looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Since {
    #[default]
    Any,
    ThisMonth,
    ThreeMonths,
}

impl Since {
    /// The next choice when the user presses the period key.
    pub fn next(self) -> Since {
        match self {
            Since::Any => Since::ThisMonth,
            Since::ThisMonth => Since::ThreeMonths,
            Since::ThreeMonths => Since::Any,
        }
    }

    /// The first day included, or `None` for no limit.
    pub fn from(self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            Since::Any => None,
            Since::ThisMonth => Some(period_bounds(Period::Month, today).0),
            Since::ThreeMonths => today.checked_sub_months(Months::new(3)),
        }
    }

    /// The last day included, or `None` for no limit: "this month" ends with
    /// the month, "the last three months" today (a record dated later is not
    /// in either).
    pub fn to(self, today: NaiveDate) -> Option<NaiveDate> {
        match self {
            Since::Any => None,
            Since::ThisMonth => Some(period_bounds(Period::Month, today).1),
            Since::ThreeMonths => Some(today),
        }
    }

    pub fn label(self, t: &Text) -> &'static str {
        match self {
            Since::Any => t.scope_all,
            Since::ThisMonth => t.period_month,
            Since::ThreeMonths => t.period_quarter,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_and_bounds() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(Since::Any.next().next().next(), Since::Any);
        assert_eq!(Since::Any.from(day), None);
        assert_eq!(Since::ThisMonth.from(day), NaiveDate::from_ymd_opt(2026, 11, 1));
        assert_eq!(Since::ThreeMonths.from(day), NaiveDate::from_ymd_opt(2026, 8, 23));
        assert_eq!(Since::Any.to(day), None);
        assert_eq!(Since::ThisMonth.to(day), NaiveDate::from_ymd_opt(2026, 11, 30));
        assert_eq!(Since::ThreeMonths.to(day), Some(day));
    }
}
