//! `kam tier`: the what-if calculator. "How much more revenue makes this
//! customer gold?" — the tier, the points, why, and the distance to the next tier.

use rust_decimal::Decimal;
use serde_json::json;

use crate::domain::money::{Money, parse_amount};
use crate::domain::tier::{TierAssessment, TierInputs, TierPreset, assess_tier};
use crate::i18n::{Lang, fill, preset_label, tier_label};

#[derive(Debug, thiserror::Error)]
pub enum TierCommandError {
    #[error("--{flag}: '{value}' is not an amount in yuan ({reason})")]
    Amount { flag: &'static str, value: String, reason: String },
}

fn amount(flag: &'static str, value: &str) -> Result<Decimal, TierCommandError> {
    parse_amount(value).map(|m| m.yuan()).map_err(|e| TierCommandError::Amount {
        flag,
        value: value.into(),
        reason: e.to_string(),
    })
}

pub struct TierQuestion<'a> {
    pub preset: TierPreset,
    pub revenue: &'a str,
    pub unit_revenue: Option<&'a str>,
    pub payroll: Option<&'a str>,
}

pub fn assess(q: &TierQuestion<'_>) -> Result<(TierInputs, TierAssessment), TierCommandError> {
    let inputs = TierInputs {
        annual_revenue: amount("revenue", q.revenue)?,
        unit_revenue: q.unit_revenue.map(|u| amount("unit-revenue", u)).transpose()?,
        monthly_payroll: q.payroll.map(|p| amount("payroll", p)).transpose()?,
        ..TierInputs::default()
    };
    let a = assess_tier(q.preset, &inputs);
    Ok((inputs, a))
}

/// One JSON object: the tier code, points, parts, inputs and the next tier.
pub fn to_json(inputs: &TierInputs, a: &TierAssessment) -> serde_json::Value {
    let num = |d: Option<Decimal>| d.map(|d| d.round_dp(4).normalize().to_string());
    json!({
        "preset": a.preset.code(),
        "tier": a.tier.code(),
        "points": num(a.points),
        "revenue_points": num(a.revenue_points),
        "share_points": num(a.share_points),
        "share_permille": num(a.share_permille),
        "inputs": {
            "revenue": inputs.annual_revenue.normalize().to_string(),
            "unit_revenue": inputs.unit_revenue.map(|u| u.normalize().to_string()),
            "payroll": inputs.monthly_payroll.map(|p| p.normalize().to_string()),
        },
        "next": a.next.map(|n| json!({
            "tier": n.tier.code(),
            "revenue_needed": n.revenue_needed.normalize().to_string(),
            "extra_revenue": n.extra_revenue.normalize().to_string(),
        })),
    })
}

/// The same as text, in the chosen language.
pub fn to_text(lang: Lang, inputs: &TierInputs, a: &TierAssessment) -> String {
    let t = lang.text();
    let yuan = |d: Decimal| Money(d).format_yuan();
    let mut out = String::new();
    out.push_str(&format!("{}: {}\n", t.tier_preset_label, lang.pick(preset_label(a.preset))));
    out.push_str(&format!(
        "{}: {}\n",
        lang.pick(crate::i18n::field_label("annual_revenue")),
        yuan(inputs.annual_revenue)
    ));
    if let Some(u) = inputs.unit_revenue {
        out.push_str(&format!("{}: {}\n", lang.pick(crate::i18n::field_label("unit_revenue")), yuan(u)));
    }
    if let Some(p) = inputs.monthly_payroll {
        out.push_str(&format!("{}: {}\n", lang.pick(crate::i18n::field_label("monthly_payroll")), yuan(p)));
    }
    if let Some(s) = a.share_permille {
        out.push_str(&format!("{}: {}‰\n", t.tier_share, s.round_dp(3)));
    }
    if let (Some(r), Some(s), Some(p)) = (a.revenue_points, a.share_points, a.points) {
        out.push_str(&format!(
            "{} {} + {} {} = {} {}\n",
            t.tier_revenue_part,
            r.round_dp(2),
            t.tier_share_part,
            s.round_dp(2),
            t.tier_points,
            p.round_dp(2)
        ));
    }
    out.push_str(&format!("{}: {} ({})\n", t.tier_heading, lang.pick(tier_label(a.tier)), a.tier.code()));
    match a.next {
        Some(n) => out.push_str(&fill(t.tier_next, &[&lang.pick(tier_label(n.tier)), &yuan(n.extra_revenue)])),
        None if a.preset.tiers().first() == Some(&a.tier) => out.push_str(t.tier_top),
        None => out.push_str(t.tier_next_unreachable),
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_names_tier_points_and_inputs() {
        let q = TierQuestion {
            preset: TierPreset::GuangdongScore,
            revenue: "1000000",
            unit_revenue: Some("444444444.44"),
            payroll: None,
        };
        let (inputs, a) = assess(&q).unwrap();
        let v = to_json(&inputs, &a);
        assert_eq!(v["tier"], "diamond");
        assert_eq!(v["inputs"]["revenue"], "1000000");
        assert!(v["points"].is_string());
    }

    #[test]
    fn bad_amount_names_the_flag() {
        let q = TierQuestion { preset: TierPreset::Shantou, revenue: "lots", unit_revenue: None, payroll: None };
        assert!(assess(&q).unwrap_err().to_string().contains("--revenue"));
    }
}
