//! How often a dossier must be brought up to date, by tier (SPEC §3,
//! Shantou): diamond every half month, gold monthly, silver quarterly,
//! general every half year. A dossier past its cadence is stale.
//!
//! SPEC is silent on the other tiers; the choices, each matched to the
//! nearest tier of similar weight:
//! - platinum: half month, like diamond (both get the same visit standard
//!   in SPEC §5);
//! - VIP: quarterly, like silver (the lowest ranked tier above general);
//! - Shibei district level: monthly, company level: quarterly, branch level
//!   and unranked: half-yearly.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::tier::Tier;

/// An update interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Cadence {
    Days(u32),
    /// Calendar months; a month end that does not exist clamps to the last
    /// day of the target month.
    Months(u32),
}

/// "Every half month" is taken as 15 days, so the due date does not depend
/// on how long the month is.
const HALF_MONTH_DAYS: u32 = 15;

pub fn update_cadence(tier: Tier) -> Cadence {
    match tier {
        Tier::Diamond | Tier::Platinum => Cadence::Days(HALF_MONTH_DAYS),
        Tier::Gold | Tier::District => Cadence::Months(1),
        Tier::Silver | Tier::Vip | Tier::Company => Cadence::Months(3),
        Tier::General | Tier::Branch | Tier::Unranked => Cadence::Months(6),
    }
}

/// The last day on which a dossier updated on `last_updated` is still
/// current. Jan 31 + 1 month is Feb 28 (Feb 29 in a leap year). Beyond
/// chrono's calendar (year 262,142) it saturates at `NaiveDate::MAX`:
/// never due.
pub fn next_update_due(tier: Tier, last_updated: NaiveDate) -> NaiveDate {
    let due = match update_cadence(tier) {
        Cadence::Days(days) => last_updated.checked_add_days(Days::new(u64::from(days))),
        Cadence::Months(months) => last_updated.checked_add_months(Months::new(months)),
    };
    due.unwrap_or(NaiveDate::MAX)
}

/// Stale once `today` is past the due date; on the due day itself the
/// dossier is still current.
pub fn is_stale(tier: Tier, last_updated: NaiveDate, today: NaiveDate) -> bool {
    today > next_update_due(tier, last_updated)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn cadence_per_tier() {
        assert_eq!(update_cadence(Tier::Diamond), Cadence::Days(15));
        assert_eq!(update_cadence(Tier::Platinum), Cadence::Days(15));
        assert_eq!(update_cadence(Tier::Gold), Cadence::Months(1));
        assert_eq!(update_cadence(Tier::Silver), Cadence::Months(3));
        assert_eq!(update_cadence(Tier::Vip), Cadence::Months(3));
        assert_eq!(update_cadence(Tier::General), Cadence::Months(6));
        assert_eq!(update_cadence(Tier::District), Cadence::Months(1));
        assert_eq!(update_cadence(Tier::Company), Cadence::Months(3));
        assert_eq!(update_cadence(Tier::Branch), Cadence::Months(6));
        assert_eq!(update_cadence(Tier::Unranked), Cadence::Months(6));
    }

    #[test]
    fn due_dates() {
        assert_eq!(next_update_due(Tier::Diamond, date(2026, 1, 1)), date(2026, 1, 16));
        assert_eq!(next_update_due(Tier::Diamond, date(2026, 2, 20)), date(2026, 3, 7));
        assert_eq!(next_update_due(Tier::Diamond, date(2026, 12, 25)), date(2027, 1, 9));
        assert_eq!(next_update_due(Tier::Gold, date(2026, 3, 15)), date(2026, 4, 15));
        assert_eq!(next_update_due(Tier::Silver, date(2026, 11, 30)), date(2027, 2, 28));
        assert_eq!(next_update_due(Tier::General, date(2026, 8, 31)), date(2027, 2, 28));
        assert_eq!(next_update_due(Tier::General, date(2026, 12, 1)), date(2027, 6, 1));
    }

    #[test]
    fn month_ends_clamp() {
        assert_eq!(next_update_due(Tier::Gold, date(2026, 1, 31)), date(2026, 2, 28));
        assert_eq!(next_update_due(Tier::Gold, date(2028, 1, 31)), date(2028, 2, 29));
        assert_eq!(next_update_due(Tier::Gold, date(2026, 3, 31)), date(2026, 4, 30));
        assert_eq!(next_update_due(Tier::Silver, date(2027, 11, 30)), date(2028, 2, 29));
    }

    #[test]
    fn far_future_saturates() {
        assert_eq!(next_update_due(Tier::General, NaiveDate::MAX), NaiveDate::MAX);
        assert_eq!(next_update_due(Tier::Diamond, NaiveDate::MAX), NaiveDate::MAX);
        assert!(!is_stale(Tier::Diamond, NaiveDate::MAX, NaiveDate::MAX));
    }

    #[test]
    fn stale_only_after_the_due_day() {
        let updated = date(2026, 1, 1);
        assert!(!is_stale(Tier::Diamond, updated, date(2026, 1, 15)));
        assert!(!is_stale(Tier::Diamond, updated, date(2026, 1, 16)));
        assert!(is_stale(Tier::Diamond, updated, date(2026, 1, 17)));
        assert!(!is_stale(Tier::Gold, date(2026, 1, 31), date(2026, 2, 28)));
        assert!(is_stale(Tier::Gold, date(2026, 1, 31), date(2026, 3, 1)));
        assert!(!is_stale(Tier::Silver, updated, date(2026, 4, 1)));
        assert!(is_stale(Tier::Silver, updated, date(2026, 4, 2)));
        assert!(!is_stale(Tier::General, updated, date(2026, 7, 1)));
        assert!(is_stale(Tier::General, updated, date(2026, 7, 2)));
        // Updated "in the future" (clock change): not stale.
        assert!(!is_stale(Tier::General, date(2027, 1, 1), updated));
    }
}
