//! Customer tiers (分级) and the four presets of SPEC §4. One preset is
//! active at a time; `assess_tier` says which tier a customer is in, why,
//! and how much more annual revenue would lift it to the next tier.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

/// Every tier of every preset, declared in display order (high to low).
/// Deliberately not `Ord`: "greater" would be ambiguous; use `rank`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Tier {
    /// 钻石
    Diamond,
    /// 白金
    Platinum,
    /// 黄金
    Gold,
    /// 白银
    Silver,
    /// 贵宾
    Vip,
    /// 一般
    General,
    /// Shibei 区局级
    District,
    /// Shibei 专业分公司级
    Company,
    /// Shibei 支局级
    Branch,
    /// Shibei: below every management level.
    #[serde(rename = "none")]
    #[strum(serialize = "none")]
    Unranked,
}

impl Tier {
    /// All tiers in display order, high to low.
    pub const ALL: [Tier; 10] = [
        Tier::Diamond,
        Tier::Platinum,
        Tier::Gold,
        Tier::Silver,
        Tier::Vip,
        Tier::General,
        Tier::District,
        Tier::Company,
        Tier::Branch,
        Tier::Unranked,
    ];

    /// Position in the display order: 0 is diamond, the highest. Sorting by
    /// rank lists the higher tiers first.
    pub fn rank(self) -> u8 {
        self as u8
    }
}

stored_code!(Tier);

/// The four ways the documents define tiers (SPEC §4 A–D).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum TierPreset {
    /// A: Guangdong guideline score (the default).
    #[default]
    GuangdongScore,
    /// B: Shantou bracket score.
    Shantou,
    /// C: Guangdong letter-mail revenue bands.
    LetterBands,
    /// D: Shanghai Shibei management levels.
    Shibei,
}

impl TierPreset {
    pub const ALL: [TierPreset; 4] =
        [TierPreset::GuangdongScore, TierPreset::Shantou, TierPreset::LetterBands, TierPreset::Shibei];

    /// The tiers this preset assigns, high to low.
    pub fn tiers(self) -> &'static [Tier] {
        match self {
            TierPreset::GuangdongScore | TierPreset::Shantou => {
                &[Tier::Diamond, Tier::Gold, Tier::Silver, Tier::General]
            }
            TierPreset::LetterBands => &[Tier::Diamond, Tier::Platinum, Tier::Gold, Tier::Vip, Tier::General],
            TierPreset::Shibei => &[Tier::District, Tier::Company, Tier::Branch, Tier::Unranked],
        }
    }

    /// Index of `tier` in `tiers()`, 0 the highest; past the end for a
    /// tier this preset never assigns.
    fn position(self, tier: Tier) -> usize {
        let tiers = self.tiers();
        tiers.iter().position(|t| *t == tier).unwrap_or(tiers.len())
    }
}

stored_code!(TierPreset);

/// What the presets read about a customer. Amounts in yuan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierInputs {
    /// Last year's total postal revenue X. Negative (net refunds) counts as 0.
    pub annual_revenue: Decimal,
    /// The responsible unit's annual revenue U, for the share Y = X / U
    /// (presets A and B). Missing or not positive: the share part scores 0.
    pub unit_revenue: Option<Decimal>,
    /// Monthly payroll/pension paid through the post (preset D).
    pub monthly_payroll: Option<Decimal>,
    /// Upstream customer registered by the province: diamond in preset C.
    pub province_upstream: bool,
    /// Letter-bands scale for city revenue groups: 1, 0.9 or 0.8. A zero
    /// or negative scale (only bad configuration) falls back to 1 rather
    /// than making every customer diamond.
    pub band_scale: Decimal,
}

impl Default for TierInputs {
    fn default() -> Self {
        TierInputs {
            annual_revenue: Decimal::ZERO,
            unit_revenue: None,
            monthly_payroll: None,
            province_upstream: false,
            band_scale: Decimal::ONE,
        }
    }
}

/// The rule that decided a tier, for the "why" shown next to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TierReason {
    /// Score presets: the points reached `threshold`, the tier's lowest score.
    Score { threshold: Decimal, missing_unit_revenue: bool },
    /// Score presets: the points are below `threshold`, the lowest score of
    /// any ranked tier, so the customer is general.
    ScoreBelow { threshold: Decimal, missing_unit_revenue: bool },
    /// Annual revenue reached `min` (already scaled in preset C).
    RevenueBand { min: Decimal },
    /// Preset D: monthly payroll through the post reached `min`.
    PayrollBand { min: Decimal },
    /// Preset C: an upstream customer registered by the province.
    ProvinceUpstream,
    /// Below every band; the lowest band's minimums.
    BelowBands { revenue_min: Decimal, payroll_min: Option<Decimal> },
}

/// How far the next tier up is, by annual revenue alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NextTier {
    /// The tier reached at `revenue_needed`: normally the one right above
    /// the current tier, but a jump between brackets (preset B) can skip one.
    pub tier: Tier,
    /// The smallest whole-yuan annual revenue that reaches a higher tier,
    /// every other input (unit revenue, payroll…) held fixed.
    pub revenue_needed: Decimal,
    /// `revenue_needed` minus the current annual revenue.
    pub extra_revenue: Decimal,
}

/// A customer's computed tier and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierAssessment {
    pub preset: TierPreset,
    pub tier: Tier,
    /// Total points, for the score presets A and B.
    pub points: Option<Decimal>,
    pub revenue_points: Option<Decimal>,
    pub share_points: Option<Decimal>,
    /// Y = X / unit revenue, in ‰, when the unit revenue is known (A, B).
    pub share_permille: Option<Decimal>,
    pub reason: TierReason,
    /// `None` at the preset's top tier, and when more revenue alone can
    /// never reach a higher tier: in presets A and B without a unit revenue
    /// the revenue part tops out at 60 points, short of silver.
    pub next: Option<NextTier>,
}

/// Computes the tier of a customer under `preset` (SPEC §4).
pub fn assess_tier(preset: TierPreset, inputs: &TierInputs) -> TierAssessment {
    let mut assessment = classify(preset, inputs);
    assessment.next = next_tier(preset, inputs, assessment.tier);
    assessment
}

const fn yuan(amount: u32) -> Decimal {
    Decimal::from_parts(amount, 0, 0, false, 0)
}

const fn decimal(mantissa: u32, scale: u32) -> Decimal {
    Decimal::from_parts(mantissa, 0, 0, false, scale)
}

const THOUSAND: Decimal = yuan(1_000);

/// Preset A: full revenue points from 1,000,000 yuan, full share points from 3‰.
const GUANGDONG_REVENUE_CAP: Decimal = yuan(1_000_000);
const GUANGDONG_SHARE_CAP_PERMILLE: Decimal = yuan(3);
const GUANGDONG_THRESHOLDS: [(Tier, Decimal); 3] =
    [(Tier::Diamond, yuan(90)), (Tier::Gold, yuan(80)), (Tier::Silver, yuan(70))];

/// Preset B: (lowest revenue, bracket points), weighted 60%.
const SHANTOU_REVENUE_BRACKETS: [(Decimal, Decimal); 5] = [
    (yuan(1_500_000), yuan(100)),
    (yuan(1_000_000), yuan(90)),
    (yuan(500_000), yuan(80)),
    (yuan(300_000), yuan(70)),
    (yuan(100_000), yuan(60)),
];
/// Preset B: (lowest share in ‰, bracket points), weighted 40%.
const SHANTOU_SHARE_BRACKETS: [(Decimal, Decimal); 4] =
    [(yuan(3), yuan(100)), (yuan(1), yuan(80)), (decimal(5, 1), yuan(60)), (decimal(1, 1), yuan(40))];
const SHANTOU_REVENUE_WEIGHT: Decimal = decimal(6, 1);
const SHANTOU_SHARE_WEIGHT: Decimal = decimal(4, 1);
const SHANTOU_THRESHOLDS: [(Tier, Decimal); 3] =
    [(Tier::Diamond, yuan(90)), (Tier::Gold, yuan(75)), (Tier::Silver, yuan(65))];

/// Preset C, before the city-group scale.
const LETTER_BANDS: [(Tier, Decimal); 4] = [
    (Tier::Diamond, yuan(5_000_000)),
    (Tier::Platinum, yuan(2_000_000)),
    (Tier::Gold, yuan(200_000)),
    (Tier::Vip, yuan(10_000)),
];

/// Preset D: either the annual revenue or the monthly payroll qualifies.
const SHIBEI_REVENUE_BANDS: [(Tier, Decimal); 3] =
    [(Tier::District, yuan(500_000)), (Tier::Company, yuan(100_000)), (Tier::Branch, yuan(50_000))];
const SHIBEI_PAYROLL_BANDS: [(Tier, Decimal); 3] =
    [(Tier::District, yuan(10_000_000)), (Tier::Company, yuan(500_000)), (Tier::Branch, yuan(200_000))];

/// Where the next-tier search gives up: 10^15 yuan, beyond any customer.
fn search_ceiling() -> Decimal {
    Decimal::from(1_000_000_000_000_000_i64)
}

/// The assessment without `next`.
fn classify(preset: TierPreset, inputs: &TierInputs) -> TierAssessment {
    let revenue = inputs.annual_revenue.max(Decimal::ZERO);
    let unit_revenue = inputs.unit_revenue.filter(|unit| *unit > Decimal::ZERO);
    match preset {
        TierPreset::GuangdongScore => {
            let revenue_points = if revenue >= GUANGDONG_REVENUE_CAP {
                yuan(60)
            } else {
                mul_div(revenue, yuan(60), GUANGDONG_REVENUE_CAP)
            };
            // Y / 3‰ × 40 = X × 40,000 / (3 × U): one division, so a share
            // of exactly 2.25‰ gives exactly 30 points.
            let share_points = unit_revenue.map(|unit| {
                if share_reaches(revenue, unit, GUANGDONG_SHARE_CAP_PERMILLE) {
                    yuan(40)
                } else {
                    mul_div(revenue, yuan(40_000), saturating_mul(unit, yuan(3)))
                }
            });
            score(preset, revenue, unit_revenue, revenue_points, share_points, &GUANGDONG_THRESHOLDS)
        }
        TierPreset::Shantou => {
            let revenue_bracket = SHANTOU_REVENUE_BRACKETS
                .iter()
                .find(|(min, _)| revenue >= *min)
                .map_or(Decimal::ZERO, |(_, points)| *points);
            let share_points = unit_revenue.map(|unit| {
                let bracket = SHANTOU_SHARE_BRACKETS
                    .iter()
                    .find(|(min_permille, _)| share_reaches(revenue, unit, *min_permille))
                    .map_or(Decimal::ZERO, |(_, points)| *points);
                bracket * SHANTOU_SHARE_WEIGHT
            });
            score(
                preset,
                revenue,
                unit_revenue,
                revenue_bracket * SHANTOU_REVENUE_WEIGHT,
                share_points,
                &SHANTOU_THRESHOLDS,
            )
        }
        TierPreset::LetterBands => {
            let scale = if inputs.band_scale > Decimal::ZERO { inputs.band_scale } else { Decimal::ONE };
            let bands = LETTER_BANDS.map(|(tier, min)| (tier, saturating_mul(min, scale)));
            let (tier, reason) = match band_for(revenue, &bands) {
                Some((Tier::Diamond, min)) => (Tier::Diamond, TierReason::RevenueBand { min }),
                _ if inputs.province_upstream => (Tier::Diamond, TierReason::ProvinceUpstream),
                Some((tier, min)) => (tier, TierReason::RevenueBand { min }),
                None => (Tier::General, below_bands(&bands, None)),
            };
            banded(preset, tier, reason)
        }
        TierPreset::Shibei => {
            let by_revenue = band_for(revenue, &SHIBEI_REVENUE_BANDS);
            let by_payroll = inputs.monthly_payroll.and_then(|payroll| band_for(payroll, &SHIBEI_PAYROLL_BANDS));
            // The higher of the two levels; on a tie the revenue is named.
            let (tier, reason) = match (by_revenue, by_payroll) {
                (Some((revenue_tier, min)), Some((payroll_tier, _)))
                    if preset.position(revenue_tier) <= preset.position(payroll_tier) =>
                {
                    (revenue_tier, TierReason::RevenueBand { min })
                }
                (_, Some((payroll_tier, min))) => (payroll_tier, TierReason::PayrollBand { min }),
                (Some((revenue_tier, min)), None) => (revenue_tier, TierReason::RevenueBand { min }),
                (None, None) => (Tier::Unranked, below_bands(&SHIBEI_REVENUE_BANDS, SHIBEI_PAYROLL_BANDS.last())),
            };
            banded(preset, tier, reason)
        }
    }
}

fn score(
    preset: TierPreset,
    revenue: Decimal,
    unit_revenue: Option<Decimal>,
    revenue_points: Decimal,
    share_points: Option<Decimal>,
    thresholds: &[(Tier, Decimal)],
) -> TierAssessment {
    let missing_unit_revenue = unit_revenue.is_none();
    let share_points = share_points.unwrap_or(Decimal::ZERO);
    let points = revenue_points + share_points;
    let (tier, reason) = match thresholds.iter().find(|(_, min)| points >= *min) {
        Some(&(tier, threshold)) => (tier, TierReason::Score { threshold, missing_unit_revenue }),
        None => (
            Tier::General,
            TierReason::ScoreBelow {
                threshold: thresholds.last().map_or(Decimal::ZERO, |(_, min)| *min),
                missing_unit_revenue,
            },
        ),
    };
    TierAssessment {
        preset,
        tier,
        points: Some(points),
        revenue_points: Some(revenue_points),
        share_points: Some(share_points),
        share_permille: unit_revenue.map(|unit| mul_div(revenue, THOUSAND, unit)),
        reason,
        next: None,
    }
}

fn banded(preset: TierPreset, tier: Tier, reason: TierReason) -> TierAssessment {
    TierAssessment {
        preset,
        tier,
        points: None,
        revenue_points: None,
        share_points: None,
        share_permille: None,
        reason,
        next: None,
    }
}

/// The first (highest) band whose minimum `value` reaches.
fn band_for(value: Decimal, bands: &[(Tier, Decimal)]) -> Option<(Tier, Decimal)> {
    bands.iter().copied().find(|(_, min)| value >= *min)
}

fn below_bands(revenue_bands: &[(Tier, Decimal)], payroll: Option<&(Tier, Decimal)>) -> TierReason {
    TierReason::BelowBands {
        revenue_min: revenue_bands.last().map_or(Decimal::ZERO, |(_, min)| *min),
        payroll_min: payroll.map(|(_, min)| *min),
    }
}

/// Whether X / U ≥ `permille` ‰, compared as X × 1000 ≥ permille × U so
/// that no division rounds at the boundary.
fn share_reaches(revenue: Decimal, unit_revenue: Decimal, permille: Decimal) -> bool {
    match (revenue.checked_mul(THOUSAND), permille.checked_mul(unit_revenue)) {
        (Some(scaled_revenue), Some(scaled_unit)) => scaled_revenue >= scaled_unit,
        _ => mul_div(revenue, THOUSAND, unit_revenue) >= permille,
    }
}

/// a × b ÷ c, multiplying first so a quotient that terminates stays exact.
/// Saturates instead of panicking on absurd inputs (near 10^28 yuan);
/// `c` is positive wherever this is called.
fn mul_div(a: Decimal, b: Decimal, c: Decimal) -> Decimal {
    a.checked_mul(b).and_then(|product| product.checked_div(c)).unwrap_or(Decimal::MAX)
}

fn saturating_mul(a: Decimal, b: Decimal) -> Decimal {
    a.checked_mul(b).unwrap_or(Decimal::MAX)
}

/// Finds the smallest whole-yuan revenue reaching a tier above `current`.
/// Every preset's tier only rises with revenue, so a doubling search for a
/// revenue that reaches it, then a binary search, finds the exact yuan; it
/// asks `classify` itself, so it cannot disagree with the rules.
fn next_tier(preset: TierPreset, inputs: &TierInputs, current: Tier) -> Option<NextTier> {
    let current_position = preset.position(current);
    if current_position == 0 {
        return None;
    }
    let tier_at = |revenue: Decimal| {
        let inputs = TierInputs { annual_revenue: revenue, ..*inputs };
        classify(preset, &inputs).tier
    };
    let reaches = |revenue: Decimal| preset.position(tier_at(revenue)) < current_position;

    let ceiling = search_ceiling();
    // The current revenue does not reach, so neither does anything below it.
    let mut below = inputs.annual_revenue.max(Decimal::ZERO).floor();
    let mut above = below;
    loop {
        if above >= ceiling {
            return None;
        }
        above = (above * yuan(2)).max(Decimal::ONE).min(ceiling);
        if reaches(above) {
            break;
        }
        below = above;
    }
    while above - below > Decimal::ONE {
        let middle = ((below + above) / yuan(2)).floor();
        if reaches(middle) {
            above = middle;
        } else {
            below = middle;
        }
    }
    Some(NextTier {
        tier: tier_at(above),
        revenue_needed: above,
        extra_revenue: above.saturating_sub(inputs.annual_revenue),
    })
}

// The tests live in tier/tests.rs to keep this file readable in one sitting.
#[cfg(test)]
mod tests;
