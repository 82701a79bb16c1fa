//! Account-manager appraisal and pay (营销人员绩效考核, SPEC §10), team
//! indicators (§11.4) and the bureau's goal indicators (§15), as pure rules:
//! the store counts and sums, these functions score and pay, and every
//! result carries the lines behind it so a screen can show where a figure
//! comes from.
//!
//! - [`settings`]: every *ref* value, dated ([`settings::in_force`]).
//! - [`score`]: the monthly work-performance score sheet (§10.2).
//! - [`commission`]: achievement pay by customer and line (§10.3, §10.4).
//! - [`late_money`]: deductions for unpaid revenue, with carry-over (§10.2).
//! - [`pay`]: fixed performance, completion rate, performance pay, the
//!   month's pay, probation (§10.1, §10.2 discipline, §10.6); [`pay::appraise`]
//!   scores and pays a month in one go.
//! - [`leader`], [`planner`]: team leader and planner pay (§10.5).
//! - [`goals`]: goal indicators (§15) and the team appraisal (§11.4);
//!   [`targets`]: the bureau's yearly target for each, and whether it is met.
//!
//! Money stays an unrounded `Decimal` through every step and is rounded to
//! the fen once, on the figure paid ([`round_pay`]).

pub mod commission;
pub mod entries;
pub mod goals;
pub mod late_money;
pub mod leader;
pub mod pay;
pub mod planner;
#[cfg(test)]
mod properties;
pub mod score;
pub mod settings;
pub mod targets;

use rust_decimal::{Decimal, RoundingStrategy};

use super::money::Money;
use super::revenue::Month;

/// Score-sheet points (分): decimal, part points allowed (0.5 per faulty
/// record).
pub type Points = Decimal;

/// A figure paid, rounded to the fen half away from zero (四舍五入), as
/// pay slips are.
pub fn round_pay(yuan: Decimal) -> Money {
    Money(yuan.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero))
}

/// Whole months from `from` to `to` (negative when `to` is earlier):
/// January to April is 3.
pub fn months_between(from: Month, to: Month) -> i64 {
    (i64::from(to.year()) - i64::from(from.year())) * 12 + i64::from(to.month()) - i64::from(from.month())
}

/// `part ÷ whole`, or None when the whole is not positive.
fn ratio(part: Decimal, whole: Decimal) -> Option<Decimal> {
    (whole > Decimal::ZERO).then(|| part.checked_div(whole)).flatten()
}

/// A month as `"2026-10"` in stored settings and records.
pub(crate) mod month_text {
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    use crate::domain::revenue::Month;

    pub fn serialize<S: Serializer>(month: &Month, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(month)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let text = String::deserialize(d)?;
        Month::parse(&text).map_err(D::Error::custom)
    }
}
