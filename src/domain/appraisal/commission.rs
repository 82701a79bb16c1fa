//! 业绩绩效 (SPEC §10.1, §10.3, §10.4): achievement pay is the sum, over a
//! manager's customers and service lines, of achievement × commission rate
//! (营销提成) × conversion factor (折算系数).
//!
//! The factor falls with the months a long-term business has run with an
//! old customer; new business with an old customer (二次开发) and new
//! customers count 100%. Cooperation month 1 is the first month with
//! revenue from that business (SPEC's default). A shared customer counts in
//! one unit by the agreed ratio, never twice; managers of different units
//! each count it in full (ratio 1).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::months_between;
use super::settings::{CommissionRules, ConversionRules};
use crate::domain::money::Money;
use crate::domain::revenue::Month;

/// How the business on a line stands for the conversion factor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Business {
    /// 老客户长期业务: long-term business, running since its first month
    /// with revenue.
    Established {
        #[serde(with = "super::month_text")]
        since: Month,
    },
    /// 二次开发: new business with an old customer, 100%.
    NewBusiness,
    /// 新客户: 100%.
    NewCustomer,
}

/// One customer's achievement on one service line in the month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AchievementLine {
    pub customer: String,
    /// kam's service-line code (`express`, `letters`, …).
    pub line: String,
    pub achievement: Money,
    pub business: Business,
    /// This manager's agreed share of a customer shared within the unit
    /// (1 when not shared, or shared across units); kept within 0..=1.
    pub share: Decimal,
    /// Business rewarded by a campaign (专项营销奖励) earns no achievement pay.
    pub campaign_rewarded: bool,
}

/// A line as paid, with every factor behind it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CommissionLine {
    pub source: AchievementLine,
    /// `achievement × share`.
    pub counted: Decimal,
    pub rate: Decimal,
    /// False when the line is not in the table and took the default rate.
    pub rate_from_table: bool,
    /// For established business: its month of cooperation (1-based).
    pub cooperation_month: Option<u32>,
    pub factor: Decimal,
    /// `counted × rate × factor`, unrounded (zero for campaign business).
    pub pay: Decimal,
}

/// The month's achievement pay with its lines.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct AchievementPay {
    pub lines: Vec<CommissionLine>,
    /// Σ counted achievement (what the completion rate is measured with).
    pub achievement: Decimal,
    /// Σ pay, unrounded.
    pub total: Decimal,
}

/// 合作月数: the month of cooperation `month` is for business running `since`:
/// 1 in its first month (and for a `since` later than `month`).
pub fn cooperation_month(since: Month, month: Month) -> u32 {
    u32::try_from(months_between(since, month).max(0) + 1).unwrap_or(u32::MAX)
}

/// 折算系数: the factor for the `n`th month of cooperation: the last band starting
/// at or before it (1.0 if the bands are empty).
pub fn conversion_factor(rules: &ConversionRules, n: u32) -> Decimal {
    rules.bands.iter().rev().find(|b| b.from_month <= n).map_or(Decimal::ONE, |b| b.factor)
}

/// 共享客户分成: whether the shares agreed for one customer within one unit leave
/// nothing counted twice (they add up to at most 1).
pub fn shares_fit(shares: &[Decimal]) -> bool {
    shares.iter().all(|s| !s.is_sign_negative()) && shares.iter().sum::<Decimal>() <= Decimal::ONE
}

/// 业绩绩效: achievement pay for `month` over `lines`, Σ achievement ×
/// share × 提成比例 × 折算系数.
pub fn achievement_pay(
    commission: &CommissionRules,
    conversion: &ConversionRules,
    lines: &[AchievementLine],
    month: Month,
) -> AchievementPay {
    let paid: Vec<CommissionLine> =
        lines.iter().map(|line| commission_line(commission, conversion, line, month)).collect();
    AchievementPay {
        achievement: paid.iter().map(|l| l.counted).sum(),
        total: paid.iter().map(|l| l.pay).sum(),
        lines: paid,
    }
}

fn commission_line(
    commission: &CommissionRules,
    conversion: &ConversionRules,
    line: &AchievementLine,
    month: Month,
) -> CommissionLine {
    let counted = line.achievement.yuan() * line.share.clamp(Decimal::ZERO, Decimal::ONE);
    let (rate, rate_from_table) = commission.rate_for(&line.line);
    let cooperation = match line.business {
        Business::Established { since } => Some(cooperation_month(since, month)),
        Business::NewBusiness | Business::NewCustomer => None,
    };
    let factor = cooperation.map_or(Decimal::ONE, |n| conversion_factor(conversion, n));
    let pay = if line.campaign_rewarded { Decimal::ZERO } else { counted * rate * factor };
    CommissionLine { source: line.clone(), counted, rate, rate_from_table, cooperation_month: cooperation, factor, pay }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::appraisal::settings::pct;

    fn month(y: i32, m: u32) -> Month {
        Month::new(y, m).unwrap()
    }

    fn line(code: &str, yuan: i64, business: Business) -> AchievementLine {
        AchievementLine {
            customer: "44030000000001".into(),
            line: code.into(),
            achievement: Money(Decimal::from(yuan)),
            business,
            share: Decimal::ONE,
            campaign_rewarded: false,
        }
    }

    fn factor_in_month(n: u32) -> Decimal {
        conversion_factor(&ConversionRules::default(), n)
    }

    #[test]
    fn conversion_bands_by_month_of_cooperation() {
        assert_eq!(factor_in_month(1), pct(100));
        assert_eq!(factor_in_month(12), pct(100));
        assert_eq!(factor_in_month(13), pct(70));
        assert_eq!(factor_in_month(24), pct(70));
        assert_eq!(factor_in_month(25), pct(40));
        // The source puts month 36 in both of the last bands: kam keeps it in 25–36.
        assert_eq!(factor_in_month(36), pct(40));
        assert_eq!(factor_in_month(37), pct(10));
        assert_eq!(factor_in_month(120), pct(10));
    }

    #[test]
    fn cooperation_counts_from_the_first_month_with_revenue() {
        assert_eq!(cooperation_month(month(2025, 11), month(2026, 10)), 12);
        assert_eq!(cooperation_month(month(2025, 10), month(2026, 10)), 13);
        assert_eq!(cooperation_month(month(2026, 10), month(2026, 10)), 1);
        assert_eq!(cooperation_month(month(2027, 1), month(2026, 10)), 1);
    }

    #[test]
    fn commission_across_two_lines_and_two_conversion_bands() {
        let october = month(2026, 10);
        let lines = [
            // EMS 10%, month 12 → 1.0: 10,000 × 10% × 1.0 = 1,000
            line("express", 10_000, Business::Established { since: month(2025, 11) }),
            // bulk letters 1%, month 13 → 0.7: 50,000 × 1% × 0.7 = 350
            line("letters", 50_000, Business::Established { since: month(2025, 10) }),
        ];
        let pay = achievement_pay(&CommissionRules::default(), &ConversionRules::default(), &lines, october);
        assert_eq!(pay.lines[0].pay, Decimal::from(1_000));
        assert_eq!((pay.lines[0].cooperation_month, pay.lines[0].factor), (Some(12), pct(100)));
        assert_eq!(pay.lines[1].pay, Decimal::from(350));
        assert_eq!((pay.lines[1].cooperation_month, pay.lines[1].factor), (Some(13), pct(70)));
        assert_eq!(pay.total, Decimal::from(1_350));
        assert_eq!(pay.achievement, Decimal::from(60_000));
    }

    #[test]
    fn month_36_and_37_of_a_long_term_business() {
        let conversion = ConversionRules::default();
        let commission = CommissionRules::default();
        let since = Business::Established { since: month(2024, 1) };
        let at = |m| achievement_pay(&commission, &conversion, &[line("parcels", 10_000, since)], m).total;
        assert_eq!(at(month(2026, 12)), Decimal::from(200), "month 36: 10,000 × 5% × 0.4");
        assert_eq!(at(month(2027, 1)), Decimal::from(50), "month 37: 10,000 × 5% × 0.1");
    }

    #[test]
    fn new_business_new_customers_shares_campaigns_and_unlisted_lines() {
        let october = month(2026, 10);
        let mut shared = line("express", 10_000, Business::NewCustomer);
        shared.share = pct(40);
        let mut campaign = line("express", 10_000, Business::NewBusiness);
        campaign.campaign_rewarded = true;
        let lines = [
            line("parcels", 10_000, Business::NewBusiness), // 500
            shared,                                         // 4,000 × 10% = 400
            campaign,                                       // 0
            line("agency", 1_000, Business::NewCustomer),   // default 5%: 50
        ];
        let pay = achievement_pay(&CommissionRules::default(), &ConversionRules::default(), &lines, october);
        let pays: Vec<Decimal> = pay.lines.iter().map(|l| l.pay).collect();
        assert_eq!(pays, [Decimal::from(500), Decimal::from(400), Decimal::ZERO, Decimal::from(50)]);
        assert_eq!(pay.lines[1].counted, Decimal::from(4_000));
        assert!(!pay.lines[3].rate_from_table);
        assert_eq!(pay.lines[0].factor, Decimal::ONE);
    }

    #[test]
    fn shares_within_a_unit_must_not_count_twice() {
        assert!(shares_fit(&[pct(60), pct(40)]));
        assert!(!shares_fit(&[pct(60), pct(50)]));
        assert!(!shares_fit(&[pct(-10)]));
    }
}
