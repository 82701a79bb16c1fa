//! Money in CNY as an exact decimal (SPEC: never floating point).
//!
//! Amounts are stored as integer fen (1 yuan = 100 fen); the documents
//! count in 万元 (10,000 yuan), so both yuan and 万元 can be shown and typed.

use std::fmt;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// 10,000 yuan: one 万.
const WAN: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// An amount of CNY in yuan.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Money(pub Decimal);

/// Why a typed amount was refused; the UI turns each into a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum AmountError {
    #[error("amount is empty")]
    Empty,
    #[error("amount must not be negative")]
    Negative,
    #[error("amount has more than 2 decimal places (fen)")]
    TooManyDecimals,
    #[error("amount is too large")]
    TooLarge,
    #[error("amount is not a number")]
    NotANumber,
}

impl Money {
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// The amount stored as `fen` (hundredths of a yuan).
    pub fn from_fen(fen: i64) -> Money {
        Money(Decimal::new(fen, 2))
    }

    /// The amount in fen, rounded half-to-even to the fen (banker's
    /// rounding, so repeated rounding of sums does not drift upwards).
    /// Saturates at the `i64` limits; `parse_amount` never yields such
    /// amounts, so only hand-built values far beyond any revenue can hit it.
    pub fn to_fen(&self) -> i64 {
        let rounded = self.round_to_fen();
        let saturated = if rounded.is_sign_negative() { i64::MIN } else { i64::MAX };
        rounded.checked_mul(Decimal::ONE_HUNDRED).and_then(|fen| fen.to_i64()).unwrap_or(saturated)
    }

    pub fn yuan(&self) -> Decimal {
        self.0
    }

    /// Yuan with thousands separators and exactly two decimals:
    /// `1,234,567.50`. Rounds like `to_fen`, so it shows what is stored.
    pub fn format_yuan(&self) -> String {
        group_thousands(self.round_to_fen())
    }

    /// 万元 with two decimals: 1,234,567.50 yuan → `123.46`. Display only,
    /// so it rounds half away from zero (四舍五入), as the documents and
    /// spreadsheets the users compare against do.
    pub fn format_wan(&self) -> String {
        let wan = (self.0 / WAN).round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
        group_thousands(wan)
    }

    fn round_to_fen(&self) -> Decimal {
        self.0.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.format_yuan())
    }
}

/// `value` (already rounded to 2 dp) as `-1,234.50`.
fn group_thousands(value: Decimal) -> String {
    let mut two_places = value;
    two_places.rescale(2);
    let digits = two_places.abs().to_string();
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits.as_str(), "00"));
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if two_places.is_sign_negative() && !two_places.is_zero() {
        grouped.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped.push('.');
    grouped.push_str(fraction);
    grouped
}

/// Parses an amount typed in a form or read from an import.
///
/// Accepts `1234.5`, `1,234.50`, ` 1234 `, `12.5万` (万 multiplies by
/// 10,000; `万元` and `元` suffixes are accepted too) and full-width digits
/// from a Chinese input method. Refuses negatives, more than two decimals
/// once converted to yuan (`1.2345678万`), misplaced thousands separators
/// (`1,23` is more likely a typo for 1.23 than 123) and anything else.
pub fn parse_amount(input: &str) -> Result<Money, AmountError> {
    let halfwidth: String = input.chars().map(to_halfwidth).collect();
    let mut text = halfwidth.trim();
    if text.is_empty() {
        return Err(AmountError::Empty);
    }
    if let Some(rest) = text.strip_prefix('-') {
        // Only call it "negative" if what follows is otherwise a number.
        // All the minus signs at once: a run of thousands must not recurse thousands deep.
        let rest = rest.trim_start_matches(|c: char| c == '-' || c.is_whitespace());
        return match parse_amount(rest) {
            Ok(_) | Err(AmountError::TooManyDecimals | AmountError::TooLarge) => Err(AmountError::Negative),
            Err(other) => Err(other),
        };
    }
    text = text.strip_suffix('元').unwrap_or(text).trim_end();
    let in_wan = match text.strip_suffix('万') {
        Some(rest) => {
            text = rest.trim_end();
            true
        }
        None => false,
    };
    let plain = strip_thousands_separators(text)?;
    let value = Decimal::from_str_exact(&plain).map_err(|_| {
        if plain.bytes().all(|b| b.is_ascii_digit() || b == b'.') && plain.len() > 20 {
            AmountError::TooLarge
        } else {
            AmountError::NotANumber
        }
    })?;
    let yuan = if in_wan { value.checked_mul(WAN).ok_or(AmountError::TooLarge)? } else { value }.normalize();
    if yuan.scale() > 2 {
        return Err(AmountError::TooManyDecimals);
    }
    // Storage is integer fen in an i64; refuse what would not fit.
    let fits_in_fen = yuan.checked_mul(Decimal::ONE_HUNDRED).and_then(|fen| fen.to_i64()).is_some();
    if !fits_in_fen {
        return Err(AmountError::TooLarge);
    }
    Ok(Money(yuan))
}

/// Checks `1,234,567.89`-style grouping and returns the digits without
/// commas. Text without commas is returned as is, after a character check.
fn strip_thousands_separators(text: &str) -> Result<String, AmountError> {
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text, None),
    };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(fraction) = fraction
        && !all_digits(fraction)
    {
        return Err(AmountError::NotANumber);
    }
    let mut groups = whole.split(',');
    let first = groups.next().unwrap_or_default();
    let first_ok = all_digits(first) && (!whole.contains(',') || first.len() <= 3);
    if !first_ok || !groups.all(|group| group.len() == 3 && all_digits(group)) {
        return Err(AmountError::NotANumber);
    }
    Ok(text.replace(',', ""))
}

/// Full-width digits, comma and full stop (as typed with a Chinese input
/// method) to their ASCII forms.
pub(crate) fn to_halfwidth(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '，' => ',',
        '．' | '。' => '.',
        '－' => '-',
        '\u{3000}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn money(s: &str) -> Money {
        Money(dec(s))
    }

    #[test]
    fn fen_round_trip() {
        assert_eq!(Money::from_fen(123_456_750), money("1234567.50"));
        assert_eq!(Money::from_fen(-5).yuan(), dec("-0.05"));
        assert_eq!(money("1234567.5").to_fen(), 123_456_750);
        assert_eq!(Money::from_fen(i64::MAX).to_fen(), i64::MAX);
    }

    #[test]
    fn to_fen_rounds_half_to_even() {
        assert_eq!(money("0.125").to_fen(), 12);
        assert_eq!(money("0.135").to_fen(), 14);
        assert_eq!(money("0.1251").to_fen(), 13);
        assert_eq!(money("-0.125").to_fen(), -12);
    }

    #[test]
    fn to_fen_saturates_instead_of_panicking() {
        assert_eq!(Money(Decimal::MAX).to_fen(), i64::MAX);
        assert_eq!(Money(Decimal::MIN).to_fen(), i64::MIN);
    }

    #[test]
    fn format_yuan_groups_thousands() {
        assert_eq!(money("1234567.5").format_yuan(), "1,234,567.50");
        assert_eq!(money("0").format_yuan(), "0.00");
        assert_eq!(money("999").format_yuan(), "999.00");
        assert_eq!(money("1000").format_yuan(), "1,000.00");
        assert_eq!(money("100000").format_yuan(), "100,000.00");
        assert_eq!(money("-1234.5").format_yuan(), "-1,234.50");
        assert_eq!(money("0.005").format_yuan(), "0.00");
        assert_eq!(money("-0.001").format_yuan(), "0.00");
        assert_eq!(money("12.345").to_string(), "12.34");
    }

    #[test]
    fn format_wan_rounds_half_away_from_zero() {
        assert_eq!(money("1234567.50").format_wan(), "123.46");
        assert_eq!(money("1250").format_wan(), "0.13");
        assert_eq!(money("1249.99").format_wan(), "0.12");
        assert_eq!(money("5000000").format_wan(), "500.00");
        assert_eq!(money("12345678900").format_wan(), "1,234,567.89");
        assert_eq!(Money::ZERO.format_wan(), "0.00");
    }

    #[test]
    fn parses_plain_grouped_and_padded_amounts() {
        assert_eq!(parse_amount("1234.5"), Ok(money("1234.5")));
        assert_eq!(parse_amount("1,234.50"), Ok(money("1234.5")));
        assert_eq!(parse_amount(" 1234 "), Ok(money("1234")));
        assert_eq!(parse_amount("1,234,567"), Ok(money("1234567")));
        assert_eq!(parse_amount("0"), Ok(Money::ZERO));
        assert_eq!(parse_amount("0.01"), Ok(Money::from_fen(1)));
        assert_eq!(parse_amount("1.500"), Ok(money("1.5")));
        assert_eq!(parse_amount("100元"), Ok(money("100")));
        assert_eq!(parse_amount("１，２３４．５"), Ok(money("1234.5")));
    }

    #[test]
    fn parses_wan() {
        assert_eq!(parse_amount("12.5万"), Ok(money("125000")));
        assert_eq!(parse_amount("12.5 万元"), Ok(money("125000")));
        assert_eq!(parse_amount("1,000万"), Ok(money("10000000")));
        assert_eq!(parse_amount("1.234567万"), Ok(money("12345.67")));
        assert_eq!(parse_amount("1.2345678万"), Err(AmountError::TooManyDecimals));
    }

    #[test]
    fn rejects_bad_amounts() {
        assert_eq!(parse_amount(""), Err(AmountError::Empty));
        assert_eq!(parse_amount("   "), Err(AmountError::Empty));
        assert_eq!(parse_amount("-5"), Err(AmountError::Negative));
        assert_eq!(parse_amount("-0.001"), Err(AmountError::Negative));
        assert_eq!(parse_amount("-abc"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1.234"), Err(AmountError::TooManyDecimals));
        assert_eq!(parse_amount("abc"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1,23"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1234,567"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount(",123"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1.2.3"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1."), Err(AmountError::NotANumber));
        assert_eq!(parse_amount(".5"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("+5"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("1e5"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("万"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("12 34"), Err(AmountError::NotANumber));
        assert_eq!(parse_amount("NaN"), Err(AmountError::NotANumber));
    }

    #[test]
    fn rejects_amounts_that_do_not_fit_in_fen() {
        // i64::MAX fen is 92,233,720,368,547,758.07 yuan.
        assert_eq!(parse_amount("92233720368547758.07"), Ok(Money::from_fen(i64::MAX)));
        assert_eq!(parse_amount("92233720368547758.08"), Err(AmountError::TooLarge));
        assert_eq!(parse_amount("99999999999999999999999999999999"), Err(AmountError::TooLarge));
        assert_eq!(parse_amount("9999999999999999999999999999万"), Err(AmountError::TooLarge));
    }

    #[test]
    fn serializes_as_decimal_string() {
        let json = serde_json::to_string(&money("1234.5")).unwrap();
        assert_eq!(json, "\"1234.5\"");
        let back: Money = serde_json::from_str(&json).unwrap();
        assert_eq!(back, money("1234.5"));
    }
}
