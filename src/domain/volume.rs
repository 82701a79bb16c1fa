//! Volume (用邮量, pieces) and returned mail (退信), SPEC §14.7, and which
//! measure the fluctuation rule of §7 reads.
//!
//! Pieces are whole numbers; the return rate is returned ÷ posted, computed
//! as a `Decimal` when shown and never stored.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

use super::money::to_halfwidth;
use super::validate::FieldError;

/// The most pieces one cell holds: far above any customer's month, inside
/// both engines' integers (PostgreSQL's `integer`).
pub const MAX_PIECES: u64 = 2_000_000_000;

/// A count of pieces as offices write it: `12345`, `12,345`, `１２３４５`,
/// `12345件`. Empty is `Required`; anything else that is not a whole number of
/// pieces (a fraction, a sign, a word) is `Count`.
pub fn parse_pieces(text: &str) -> Result<u64, FieldError> {
    let text: String = text.chars().map(to_halfwidth).collect();
    let text = text.trim();
    let text = text.strip_suffix('件').unwrap_or(text).trim();
    if text.is_empty() {
        return Err(FieldError::Required);
    }
    let digits: String = text.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(FieldError::Count);
    }
    digits.parse::<u64>().ok().filter(|n| *n <= MAX_PIECES).ok_or(FieldError::Count)
}

/// A count with thousands separators: 12345 → "12,345".
pub fn format_pieces(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Why a month's returned-mail figures cannot be right.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ReturnsError {
    #[error("{returned} pieces returned of {posted} posted")]
    ReturnedOverPosted { returned: u64, posted: u64 },
    #[error("the reasons add up to {reasons}, more than the {returned} pieces returned")]
    ReasonsOverReturned { reasons: u64, returned: u64 },
}

/// A customer's returned mail in one month: pieces posted and returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Returns {
    pub posted: u64,
    pub returned: u64,
}

impl Returns {
    /// Checks the figures and the pieces counted by reason (which may leave
    /// some returned pieces without a reason, never count more).
    pub fn check(&self, reasons: &[u64]) -> Result<(), ReturnsError> {
        if self.returned > self.posted {
            return Err(ReturnsError::ReturnedOverPosted { returned: self.returned, posted: self.posted });
        }
        let sum = reasons.iter().fold(0u64, |s, n| s.saturating_add(*n));
        if sum > self.returned {
            return Err(ReturnsError::ReasonsOverReturned { reasons: sum, returned: self.returned });
        }
        Ok(())
    }

    /// returned ÷ posted as a ratio (0.0235 = 2.35%); None when nothing was posted.
    pub fn rate(&self) -> Option<Decimal> {
        if self.posted == 0 {
            return None;
        }
        Decimal::from(self.returned).checked_div(Decimal::from(self.posted))
    }
}

/// A ratio as a percentage with two decimals: 0.02345 → "2.35%" (halves away from zero).
pub fn rate_percent(ratio: Decimal) -> String {
    let mut pct = (ratio * Decimal::ONE_HUNDRED).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    pct.rescale(2);
    format!("{pct}%")
}

/// What the 30% fluctuation rule (SPEC §7) compares month on month: the
/// bureau's choice (the rule names both), revenue unless it says otherwise.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum FluctuationMeasure {
    #[default]
    Revenue,
    Volume,
}

stored_code!(FluctuationMeasure);

/// The month-on-month change of a count of pieces when it is a fluctuation:
/// strictly more than `limit` up or down. Nothing last month is new
/// business, not a fluctuation (as for revenue).
pub fn volume_fluctuation(current: u64, previous: u64, limit: Decimal) -> Option<Decimal> {
    if previous == 0 {
        return None;
    }
    let ratio = (Decimal::from(current) - Decimal::from(previous)).checked_div(Decimal::from(previous))?;
    (ratio.abs() > limit).then_some(ratio)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::revenue::FLUCTUATION_LIMIT;

    #[test]
    fn pieces_as_offices_write_them() {
        assert_eq!(parse_pieces("12345"), Ok(12_345));
        assert_eq!(parse_pieces(" 12,345 "), Ok(12_345));
        assert_eq!(parse_pieces("１２３４５件"), Ok(12_345));
        assert_eq!(parse_pieces("0"), Ok(0));
        assert_eq!(parse_pieces(""), Err(FieldError::Required));
        assert_eq!(parse_pieces("件"), Err(FieldError::Required));
        assert_eq!(parse_pieces("-5"), Err(FieldError::Count));
        assert_eq!(parse_pieces("1.5"), Err(FieldError::Count));
        assert_eq!(parse_pieces("一千"), Err(FieldError::Count));
        assert_eq!(parse_pieces("2,000,000,000"), Ok(MAX_PIECES));
        assert_eq!(parse_pieces("2000000001"), Err(FieldError::Count));
        assert_eq!(format_pieces(1_234_567), "1,234,567");
        assert_eq!(format_pieces(999), "999");
        assert_eq!(format_pieces(0), "0");
    }

    #[test]
    fn returned_never_more_than_posted_nor_reasons_more_than_returned() {
        let r = Returns { posted: 500, returned: 12 };
        assert_eq!(r.check(&[5, 7]), Ok(()));
        assert_eq!(r.check(&[5]), Ok(()));
        assert_eq!(r.check(&[5, 8]), Err(ReturnsError::ReasonsOverReturned { reasons: 13, returned: 12 }));
        assert_eq!(Returns { posted: 500, returned: 500 }.check(&[]), Ok(()));
        assert_eq!(
            Returns { posted: 500, returned: 501 }.check(&[]),
            Err(ReturnsError::ReturnedOverPosted { returned: 501, posted: 500 })
        );
    }

    #[test]
    fn return_rate_is_exact_and_shown_with_two_decimals() {
        let r = Returns { posted: 500, returned: 12 };
        assert_eq!(r.rate(), Some(Decimal::new(24, 3)));
        assert_eq!(rate_percent(r.rate().unwrap()), "2.40%");
        // 1 of 3 is 33.333…%: rounded when shown, never stored.
        assert_eq!(rate_percent(Returns { posted: 3, returned: 1 }.rate().unwrap()), "33.33%");
        assert_eq!(rate_percent(Returns { posted: 8, returned: 1 }.rate().unwrap()), "12.50%");
        assert_eq!(rate_percent(Returns { posted: 200_000, returned: 1 }.rate().unwrap()), "0.00%");
        // A half of the last decimal goes up.
        assert_eq!(rate_percent(Decimal::new(2345, 5)), "2.35%");
        assert_eq!(rate_percent(Decimal::new(2344, 5)), "2.34%");
        assert_eq!(Returns { posted: 0, returned: 0 }.rate(), None);
    }

    #[test]
    fn volume_fluctuation_is_strictly_more_than_thirty_percent() {
        let limit = FLUCTUATION_LIMIT;
        // Exactly 30% either way is not beyond the limit.
        assert_eq!(volume_fluctuation(13_000, 10_000, limit), None);
        assert_eq!(volume_fluctuation(7_000, 10_000, limit), None);
        // 30.01% is.
        assert_eq!(volume_fluctuation(13_001, 10_000, limit), Some(Decimal::new(3001, 4)));
        assert_eq!(volume_fluctuation(6_999, 10_000, limit), Some(Decimal::new(-3001, 4)));
        assert_eq!(volume_fluctuation(0, 10_000, limit), Some(Decimal::NEGATIVE_ONE));
        // New business is not a fluctuation.
        assert_eq!(volume_fluctuation(5_000, 0, limit), None);
    }

    #[test]
    fn the_measure_is_revenue_unless_the_bureau_says_volume() {
        assert_eq!(FluctuationMeasure::default(), FluctuationMeasure::Revenue);
        assert_eq!(FluctuationMeasure::from_code("volume"), Some(FluctuationMeasure::Volume));
        assert_eq!(FluctuationMeasure::Revenue.code(), "revenue");
        assert_eq!(FluctuationMeasure::from_code("pieces"), None);
    }
}
