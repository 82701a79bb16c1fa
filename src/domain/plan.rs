//! Plans (SPEC §13.1–13.3): the per-customer marketing plan (营销计划) on the
//! cadence of the customer's level, when one is due or missing, and the
//! yearly service plan's rule for a unit's key customers.
//!
//! **Levels.** SPEC §13.1 leaves the level-to-tier mapping to the bureau;
//! kam maps levels from tiers ([`appraisal_level`]): level 1–3 plans every
//! half year, 4–6 every quarter, 7 and up every month
//! ([`marketing_plan_period`]).
//!
//! **Due and missing.** A plan covers one calendar period (the half-year,
//! quarter or month that contains a day). A plan counts as *submitted* for
//! its period when its status is submitted or reviewed and it was submitted
//! on or before the period's last day; a draft, or a plan sent back, is not.
//! While the period runs (up to and including its last day) a period without
//! a submitted plan is **due**; from the day after its last day it is
//! **missing** (the appraisal's −2, SPEC §10.2). A plan submitted late still
//! stands as the customer's plan, but the period stays missing.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

use super::id::CustomerId;
use super::marketing_log::{appraisal_level, marketing_plan_period};
use super::money::Money;
use super::tier::Tier;
use super::visit_standard::{Period, period_bounds};

pub use super::visit_standard::Period as Cadence;

/// Where a plan stands in its review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum PlanStatus {
    /// 草稿: written, not yet handed in.
    Draft,
    /// 已提交: handed in, waiting for the supervisor.
    Submitted,
    /// 已审阅: the supervisor read it (with a comment).
    Reviewed,
    /// 退回: sent back with a reason; the author rewrites and submits again.
    Returned,
}

stored_code!(PlanStatus);

impl PlanStatus {
    pub const ALL: [PlanStatus; 4] =
        [PlanStatus::Draft, PlanStatus::Submitted, PlanStatus::Reviewed, PlanStatus::Returned];

    /// Counts as a plan handed in.
    pub fn is_submitted(self) -> bool {
        matches!(self, PlanStatus::Submitted | PlanStatus::Reviewed)
    }

    /// The author may still change the text (a draft or a plan sent back).
    pub fn is_editable(self) -> bool {
        matches!(self, PlanStatus::Draft | PlanStatus::Returned)
    }
}

/// The calendar period one plan covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PlanPeriod {
    pub first: NaiveDate,
    pub last: NaiveDate,
}

impl PlanPeriod {
    /// The period of a customer of `tier`'s plan that contains `day`.
    pub fn of(tier: Tier, day: NaiveDate) -> PlanPeriod {
        PlanPeriod::containing(marketing_plan_period(tier), day)
    }

    /// The `cadence`'s calendar period that contains `day`.
    pub fn containing(cadence: Cadence, day: NaiveDate) -> PlanPeriod {
        let (first, last) = period_bounds(cadence, day);
        PlanPeriod { first, last }
    }

    /// The period before this one, of the same cadence.
    pub fn previous(self, cadence: Cadence) -> PlanPeriod {
        PlanPeriod::containing(cadence, self.first.checked_sub_days(Days::new(1)).unwrap_or(self.first))
    }

    /// The cadence a period has by its length (a month, a quarter, a half year).
    pub fn cadence(self) -> Cadence {
        let months = (i64::from(chrono::Datelike::year(&self.last)) * 12
            + i64::from(chrono::Datelike::month(&self.last)))
            - (i64::from(chrono::Datelike::year(&self.first)) * 12 + i64::from(chrono::Datelike::month(&self.first)))
            + 1;
        match months {
            1 => Period::Month,
            3 => Period::Quarter,
            6 => Period::HalfYear,
            _ => Period::Year,
        }
    }

    /// Whether `first` is the first day of a period of `cadence` (a plan's
    /// period as stored must be one).
    pub fn starting(cadence: Cadence, first: NaiveDate) -> Option<PlanPeriod> {
        let p = PlanPeriod::containing(cadence, first);
        (p.first == first).then_some(p)
    }
}

/// Where a customer's plan for one period stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    /// Submitted on or before the period's last day.
    Done,
    /// The period runs (up to its last day) and nothing is submitted yet.
    Due,
    /// The period ended without a submitted plan.
    Missing,
}

/// A period's standing on `today`, given the day its plan was submitted (if
/// it is submitted now, see the module documentation).
pub fn standing(period: PlanPeriod, submitted_on: Option<NaiveDate>, today: NaiveDate) -> Standing {
    match submitted_on {
        Some(on) if on <= period.last && on <= today => Standing::Done,
        _ if today <= period.last => Standing::Due,
        _ => Standing::Missing,
    }
}

/// One customer's plan needing attention on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanGap {
    pub customer: CustomerId,
    pub name: String,
    pub period: PlanPeriod,
    pub standing: Standing,
}

/// The customers' plans that are due (the current period, none submitted)
/// or missing (the period before the current one ended without one) on
/// `today`. `customers` are (id, short name, tier); `submitted` the plans
/// submitted now: (customer, period's first day, submitted on). Only the
/// current and the previous period are looked at: older gaps are the
/// appraisal's, month by month.
pub fn gaps(
    customers: &[(CustomerId, String, Tier)],
    submitted: &[(CustomerId, NaiveDate, NaiveDate)],
    today: NaiveDate,
) -> Vec<PlanGap> {
    gaps_shown(customers, submitted, today, usize::MAX).0
}

/// [`gaps`]' first `shown` and how many there are in all, without making
/// the ones not shown (a unit's thousands of due plans).
pub fn gaps_shown(
    customers: &[(CustomerId, String, Tier)],
    submitted: &[(CustomerId, NaiveDate, NaiveDate)],
    today: NaiveDate,
    shown: usize,
) -> (Vec<PlanGap>, usize) {
    // The earliest submission of each (customer, period): one pass, rather
    // than a scan of every plan for each customer's two periods.
    let mut earliest: std::collections::HashMap<(&CustomerId, NaiveDate), NaiveDate> =
        std::collections::HashMap::with_capacity(submitted.len());
    for (id, first, on) in submitted {
        earliest.entry((id, *first)).and_modify(|e| *e = (*e).min(*on)).or_insert(*on);
    }
    // A customer's two periods depend only on its tier: worked out once per tier.
    let mut periods: Vec<(Tier, [PlanPeriod; 2])> = Vec::new();
    // Missing ones first, then due ones, each in the customers' order: both
    // are gathered in one pass (a section's worth each) and counted.
    let (mut missing, mut due) = (Vec::new(), Vec::new());
    let (mut missing_total, mut due_total) = (0, 0);
    for (id, name, tier) in customers {
        let pair = match periods.iter().find(|(t, _)| t == tier) {
            Some((_, pair)) => *pair,
            None => {
                let current = PlanPeriod::of(*tier, today);
                let pair = [current.previous(marketing_plan_period(*tier)), current];
                periods.push((*tier, pair));
                pair
            }
        };
        for period in pair {
            let standing = standing(period, earliest.get(&(id, period.first)).copied(), today);
            let (lines, total) = match standing {
                Standing::Done => continue,
                Standing::Missing => (&mut missing, &mut missing_total),
                Standing::Due => (&mut due, &mut due_total),
            };
            *total += 1;
            if lines.len() < shown {
                lines.push(PlanGap { customer: id.clone(), name: name.clone(), period, standing });
            }
        }
    }
    due.truncate(shown.saturating_sub(missing.len()));
    missing.extend(due);
    (missing, missing_total + due_total)
}

/// The appraisal's plan item for one month: each customer whose plan period
/// ends in the month needs a plan (required); those with one submitted by
/// the period's last day, and by `judged_on`, are done. Returns
/// (required, done, the customers missing one with their period).
pub fn month_plans<'a>(
    customers: impl IntoIterator<Item = (&'a CustomerId, Tier)>,
    submitted: &[(CustomerId, NaiveDate, NaiveDate)],
    month_first: NaiveDate,
    month_last: NaiveDate,
    judged_on: NaiveDate,
) -> (u32, u32, Vec<(CustomerId, PlanPeriod)>) {
    let (mut required, mut done, mut missing) = (0u32, 0u32, Vec::new());
    for (id, tier) in customers {
        let period = PlanPeriod::of(tier, month_last);
        if !(month_first..=month_last).contains(&period.last) {
            continue;
        }
        required += 1;
        let on = submitted.iter().filter(|(c, first, _)| c == id && *first == period.first).map(|(_, _, on)| *on).min();
        if standing(period, on, judged_on) == Standing::Done {
            done += 1;
        } else {
            missing.push((id.clone(), period));
        }
    }
    (required, done, missing)
}

/// The standard a key customer is served at under the yearly service plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceStandard {
    Platinum,
    Gold,
}

impl ServiceStandard {
    pub fn tier(self) -> Tier {
        match self {
            ServiceStandard::Platinum => Tier::Platinum,
            ServiceStandard::Gold => Tier::Gold,
        }
    }
}

/// One customer of a unit's service plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePlanLine {
    /// 1 for the largest revenue.
    pub rank: u32,
    pub customer: CustomerId,
    pub revenue: Money,
    pub tier: Tier,
    pub standard: ServiceStandard,
    /// True when the standard is above the customer's tier (served better
    /// than its tier asks); false when its tier already asks as much.
    pub raised: bool,
}

/// The revenue a year from which a customer counts as large (SPEC §13.3: ≥ 1,000,000).
pub fn million() -> Money {
    Money(rust_decimal::Decimal::from(1_000_000))
}

/// The rule of SPEC §13.3: a unit with no customer of ≥ 1,000,000 a year,
/// or at most 3, serves its top 3 by revenue at the platinum standard and
/// numbers 4–10 at the gold standard. `None` for a unit with more than 3
/// such customers: the rule does not apply and the province standard (§5)
/// stands. Ties in revenue are ordered by customer id so the list is stable.
/// Customers without revenue in the year are not ranked.
pub fn service_plan(customers: &[(CustomerId, Money, Tier)]) -> Option<Vec<ServicePlanLine>> {
    let large = customers.iter().filter(|(_, revenue, _)| *revenue >= million()).count();
    if large > 3 {
        return None;
    }
    let mut ranked: Vec<&(CustomerId, Money, Tier)> =
        customers.iter().filter(|(_, revenue, _)| revenue.yuan() > rust_decimal::Decimal::ZERO).collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Some(
        ranked
            .into_iter()
            .take(10)
            .zip(1u32..)
            .map(|((customer, revenue, tier), rank)| {
                let standard = if rank <= 3 { ServiceStandard::Platinum } else { ServiceStandard::Gold };
                ServicePlanLine {
                    rank,
                    customer: customer.clone(),
                    revenue: *revenue,
                    tier: *tier,
                    standard,
                    raised: appraisal_level(*tier) < appraisal_level(standard.tier()),
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests;
