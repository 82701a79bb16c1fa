//! Tier presets checked against the numbers of SPEC §4, boundaries first.

use std::str::FromStr;

use super::*;

fn d(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn revenue(x: &str) -> TierInputs {
    TierInputs { annual_revenue: d(x), ..TierInputs::default() }
}

fn with_unit(x: &str, unit: &str) -> TierInputs {
    TierInputs { unit_revenue: Some(d(unit)), ..revenue(x) }
}

fn tier(preset: TierPreset, inputs: TierInputs) -> Tier {
    assess_tier(preset, &inputs).tier
}

#[test]
fn codes_round_trip_and_match_serde() {
    for tier in Tier::ALL {
        assert_eq!(Tier::from_code(tier.code()), Some(tier));
        let json = serde_json::to_string(&tier).unwrap();
        assert_eq!(json, format!("\"{}\"", tier.code()));
    }
    assert_eq!(Tier::Unranked.code(), "none");
    assert_eq!(Tier::Vip.code(), "vip");
    assert_eq!(Tier::from_code("Diamond"), None);
    for preset in TierPreset::ALL {
        assert_eq!(TierPreset::from_code(preset.code()), Some(preset));
        let json = serde_json::to_string(&preset).unwrap();
        assert_eq!(json, format!("\"{}\"", preset.code()));
    }
    assert_eq!(TierPreset::LetterBands.code(), "letter-bands");
    assert_eq!(TierPreset::default(), TierPreset::GuangdongScore);
}

#[test]
fn rank_follows_display_order() {
    let ranks: Vec<u8> = Tier::ALL.iter().map(|t| t.rank()).collect();
    assert_eq!(ranks, (0..10).collect::<Vec<u8>>());
    assert!(Tier::Diamond.rank() < Tier::Platinum.rank());
    assert!(Tier::Vip.rank() < Tier::General.rank());
    for preset in TierPreset::ALL {
        let tiers = preset.tiers();
        assert!(tiers.windows(2).all(|pair| pair[0].rank() < pair[1].rank()));
    }
}

#[test]
fn presets_only_assign_their_own_tiers() {
    let revenues = ["0", "9999", "50000", "150000", "500000", "1200000", "6000000"];
    for preset in TierPreset::ALL {
        for x in revenues {
            for unit in [None, Some(d("100000000"))] {
                let inputs = TierInputs { unit_revenue: unit, monthly_payroll: Some(d("300000")), ..revenue(x) };
                let assessed = assess_tier(preset, &inputs);
                assert!(preset.tiers().contains(&assessed.tier), "{preset:?} {x}");
                if let Some(next) = assessed.next {
                    assert!(preset.tiers().contains(&next.tier));
                    assert!(next.tier.rank() < assessed.tier.rank());
                }
            }
        }
    }
}

// ---- A: Guangdong guideline score ----

const A: TierPreset = TierPreset::GuangdongScore;

#[test]
fn guangdong_revenue_part() {
    let at_cap = assess_tier(A, &revenue("1000000"));
    assert_eq!(at_cap.revenue_points, Some(d("60")));
    assert_eq!(assess_tier(A, &revenue("5000000")).revenue_points, Some(d("60")));
    let below = assess_tier(A, &revenue("999999"));
    assert_eq!(below.revenue_points, Some(d("59.99994")));
    assert_eq!(assess_tier(A, &revenue("500000")).points, Some(d("30")));
    assert_eq!(assess_tier(A, &revenue("-10")).points, Some(d("0")));
}

#[test]
fn guangdong_share_part() {
    // Exactly 3‰ earns the full 40.
    let at_cap = assess_tier(A, &with_unit("1200000", "400000000"));
    assert_eq!(at_cap.share_permille, Some(d("3")));
    assert_eq!(at_cap.share_points, Some(d("40")));
    assert_eq!(at_cap.points, Some(d("100")));
    // 2.25‰ → 2.25 / 3 × 40 = 30, exactly.
    let exact = assess_tier(A, &with_unit("1800000", "800000000"));
    assert_eq!(exact.share_permille, Some(d("2.25")));
    assert_eq!(exact.share_points, Some(d("30")));
    // 1‰ → 13.33…: a third, cut at Decimal's precision.
    let third = assess_tier(A, &with_unit("100000", "100000000"));
    assert!((third.share_points.unwrap() - d("13.333333")).abs() < d("0.000001"));
}

#[test]
fn guangdong_tier_boundaries() {
    let exactly_90 = assess_tier(A, &with_unit("1800000", "800000000"));
    assert_eq!(exactly_90.points, Some(d("90")));
    assert_eq!(exactly_90.tier, Tier::Diamond);
    assert_eq!(exactly_90.reason, TierReason::Score { threshold: d("90"), missing_unit_revenue: false });
    // One yuan more unit revenue: 89.99999996…, gold.
    let just_below = assess_tier(A, &with_unit("1800000", "800000001"));
    assert!(just_below.points.unwrap() < d("90"));
    assert!(just_below.points.unwrap() > d("89.9999"));
    assert_eq!(just_below.tier, Tier::Gold);
    // 60 + 20 (1.5‰) = 80 gold; 60 + 10 (0.75‰) = 70 silver.
    assert_eq!(tier(A, with_unit("1200000", "800000000")), Tier::Gold);
    assert_eq!(tier(A, with_unit("1200000", "800000001")), Tier::Silver);
    assert_eq!(tier(A, with_unit("1200000", "1600000000")), Tier::Silver);
    let general = assess_tier(A, &with_unit("1200000", "1600000001"));
    assert_eq!(general.tier, Tier::General);
    assert_eq!(general.reason, TierReason::ScoreBelow { threshold: d("70"), missing_unit_revenue: false });
}

#[test]
fn guangdong_without_unit_revenue_scores_revenue_only() {
    for unit in [None, Some(d("0")), Some(d("-5"))] {
        let inputs = TierInputs { unit_revenue: unit, ..revenue("1000000") };
        let assessed = assess_tier(A, &inputs);
        assert_eq!(assessed.points, Some(d("60")));
        assert_eq!(assessed.share_points, Some(d("0")));
        assert_eq!(assessed.share_permille, None);
        assert_eq!(assessed.tier, Tier::General);
        assert_eq!(assessed.reason, TierReason::ScoreBelow { threshold: d("70"), missing_unit_revenue: true });
        // 60 points is the most revenue alone can give: no next tier.
        assert_eq!(assessed.next, None);
    }
}

#[test]
fn guangdong_next_tier() {
    // 60 + 20 = 80 gold; diamond needs a 2.25‰ share: 1,800,000.
    let gold = assess_tier(A, &with_unit("1200000", "800000000"));
    let next = gold.next.unwrap();
    assert_eq!(next.tier, Tier::Diamond);
    assert_eq!(next.revenue_needed, d("1800000"));
    assert_eq!(next.extra_revenue, d("600000"));
    // 30 + 40 = 70 silver; gold needs 40 revenue points: 666,666.67 → 666,667.
    let silver = assess_tier(A, &with_unit("500000", "100000000"));
    assert_eq!(silver.tier, Tier::Silver);
    let next = silver.next.unwrap();
    assert_eq!((next.tier, next.revenue_needed), (Tier::Gold, d("666667")));
    assert_eq!(next.extra_revenue, d("166667"));
    assert_eq!(tier(A, with_unit("666666", "100000000")), Tier::Silver);
    // The top tier has nowhere to go.
    assert_eq!(assess_tier(A, &with_unit("1800000", "800000000")).next, None);
}

// ---- B: Shantou bracket score ----

const B: TierPreset = TierPreset::Shantou;

fn shantou_revenue_points(x: &str) -> Decimal {
    assess_tier(B, &revenue(x)).revenue_points.unwrap()
}

fn shantou_share_points(x: &str, unit: &str) -> Decimal {
    assess_tier(B, &with_unit(x, unit)).share_points.unwrap()
}

#[test]
fn shantou_revenue_brackets_include_their_lower_bound() {
    let cases = [
        ("1500000", "60"),
        ("1499999.99", "54"),
        ("1000000", "54"),
        ("999999.99", "48"),
        ("500000", "48"),
        ("499999.99", "42"),
        ("300000", "42"),
        ("299999.99", "36"),
        ("100000", "36"),
        ("99999.99", "0"),
        ("0", "0"),
    ];
    for (x, points) in cases {
        assert_eq!(shantou_revenue_points(x), d(points), "revenue {x}");
    }
}

#[test]
fn shantou_share_brackets_include_their_lower_bound() {
    // Unit revenue 1,000,000,000: 1‰ is 1,000,000 yuan.
    let cases = [
        ("3000000", "40"),
        ("2999999.99", "32"),
        ("1000000", "32"),
        ("999999.99", "24"),
        ("500000", "24"),
        ("499999.99", "16"),
        ("100000", "16"),
        ("99999.99", "0"),
    ];
    for (x, points) in cases {
        assert_eq!(shantou_share_points(x, "1000000000"), d(points), "revenue {x}");
    }
}

#[test]
fn shantou_tier_boundaries() {
    let unit = "1000000000";
    // 60 + 32 = 92 diamond; 54 + 32 = 86 gold; 48 + 40 = 88 gold.
    assert_eq!(tier(B, with_unit("1500000", unit)), Tier::Diamond);
    assert_eq!(tier(B, with_unit("1499999", unit)), Tier::Gold);
    // 42 + 32 (1.5‰) = 74 silver; 36 + 40 (6‰) = 76 gold.
    assert_eq!(tier(B, with_unit("300000", "200000000")), Tier::Silver);
    assert_eq!(tier(B, with_unit("299999", "50000000")), Tier::Gold);
    // 42 + 24 = 66 silver; 48 + 16 = 64 general.
    assert_eq!(tier(B, with_unit("300000", "600000000")), Tier::Silver);
    let general = assess_tier(B, &with_unit("500000", "5000000000"));
    assert_eq!(general.points, Some(d("64")));
    assert_eq!(general.tier, Tier::General);
    let gold = assess_tier(B, &with_unit("1000000", unit));
    assert_eq!(gold.reason, TierReason::Score { threshold: d("75"), missing_unit_revenue: false });
}

#[test]
fn shantou_next_tier_and_missing_unit_revenue() {
    // 54 + 32 = 86 gold; 1,500,000 gives 60 + 32 = 92.
    let gold = assess_tier(B, &with_unit("1000000", "1000000000"));
    let next = gold.next.unwrap();
    assert_eq!((next.tier, next.revenue_needed), (Tier::Diamond, d("1500000")));
    assert_eq!(next.extra_revenue, d("500000"));
    // Revenue alone tops out at 60 < 65.
    let alone = assess_tier(B, &revenue("2000000"));
    assert_eq!((alone.tier, alone.next), (Tier::General, None));
    assert!(matches!(alone.reason, TierReason::ScoreBelow { missing_unit_revenue: true, .. }));
}

// ---- C: letter-mail revenue bands ----

const C: TierPreset = TierPreset::LetterBands;

fn scaled(x: &str, scale: &str) -> TierInputs {
    TierInputs { band_scale: d(scale), ..revenue(x) }
}

#[test]
fn letter_bands_boundaries() {
    let cases = [
        ("5000000", Tier::Diamond),
        ("4999999.99", Tier::Platinum),
        ("2000000", Tier::Platinum),
        ("1999999.99", Tier::Gold),
        ("200000", Tier::Gold),
        ("199999.99", Tier::Vip),
        ("10000", Tier::Vip),
        ("9999.99", Tier::General),
    ];
    for (x, expected) in cases {
        assert_eq!(tier(C, revenue(x)), expected, "revenue {x}");
    }
    let gold = assess_tier(C, &revenue("200000"));
    assert_eq!(gold.reason, TierReason::RevenueBand { min: d("200000") });
    assert_eq!((gold.points, gold.share_permille), (None, None));
    assert_eq!(
        assess_tier(C, &revenue("0")).reason,
        TierReason::BelowBands { revenue_min: d("10000"), payroll_min: None }
    );
}

#[test]
fn letter_bands_scale_for_city_groups() {
    let cases = [
        ("4500000", "0.9", Tier::Diamond),
        ("4499999", "0.9", Tier::Platinum),
        ("1800000", "0.9", Tier::Platinum),
        ("180000", "0.9", Tier::Gold),
        ("179999", "0.9", Tier::Vip),
        ("9000", "0.9", Tier::Vip),
        ("8999", "0.9", Tier::General),
        ("4000000", "0.8", Tier::Diamond),
        ("3999999", "0.8", Tier::Platinum),
        ("1600000", "0.8", Tier::Platinum),
        ("160000", "0.8", Tier::Gold),
        ("8000", "0.8", Tier::Vip),
        ("7999", "0.8", Tier::General),
    ];
    for (x, scale, expected) in cases {
        assert_eq!(tier(C, scaled(x, scale)), expected, "{x} × {scale}");
    }
    // Bad configuration does not make everyone diamond.
    assert_eq!(tier(C, scaled("5000", "0")), Tier::General);
}

#[test]
fn letter_bands_province_upstream_is_diamond() {
    let inputs = TierInputs { province_upstream: true, ..revenue("0") };
    let assessed = assess_tier(C, &inputs);
    assert_eq!(assessed.tier, Tier::Diamond);
    assert_eq!(assessed.reason, TierReason::ProvinceUpstream);
    assert_eq!(assessed.next, None);
    // Upstream means nothing to the other presets.
    assert_eq!(tier(A, inputs), Tier::General);
}

#[test]
fn letter_bands_next_tier() {
    let next = assess_tier(C, &revenue("1500000")).next.unwrap();
    assert_eq!(next.tier, Tier::Platinum);
    assert_eq!(next.revenue_needed, d("2000000"));
    assert_eq!(next.extra_revenue, d("500000"));
    let next = assess_tier(C, &scaled("1500000", "0.9")).next.unwrap();
    assert_eq!((next.revenue_needed, next.extra_revenue), (d("1800000"), d("300000")));
    let next = assess_tier(C, &revenue("1999999.5")).next.unwrap();
    assert_eq!((next.revenue_needed, next.extra_revenue), (d("2000000"), d("0.5")));
    let next = assess_tier(C, &revenue("0")).next.unwrap();
    assert_eq!((next.tier, next.revenue_needed), (Tier::Vip, d("10000")));
    // A band minimum that is not whole yuan rounds up: 10,000 × 0.33333 = 3,333.3.
    let next = assess_tier(C, &scaled("0", "0.33333")).next.unwrap();
    assert_eq!(next.revenue_needed, d("3334"));
    assert_eq!(assess_tier(C, &revenue("5000000")).next, None);
}

// ---- D: Shibei management levels ----

const D: TierPreset = TierPreset::Shibei;

fn payroll(x: &str, monthly_payroll: &str) -> TierInputs {
    TierInputs { monthly_payroll: Some(d(monthly_payroll)), ..revenue(x) }
}

#[test]
fn shibei_revenue_levels() {
    let cases = [
        ("500000", Tier::District),
        ("499999.99", Tier::Company),
        ("100000", Tier::Company),
        ("99999.99", Tier::Branch),
        ("50000", Tier::Branch),
        ("49999.99", Tier::Unranked),
    ];
    for (x, expected) in cases {
        assert_eq!(tier(D, revenue(x)), expected, "revenue {x}");
    }
    assert_eq!(
        assess_tier(D, &revenue("0")).reason,
        TierReason::BelowBands { revenue_min: d("50000"), payroll_min: Some(d("200000")) }
    );
}

#[test]
fn shibei_payroll_levels() {
    let cases = [
        ("10000000", Tier::District),
        ("9999999.99", Tier::Company),
        ("500000", Tier::Company),
        ("499999.99", Tier::Branch),
        ("200000", Tier::Branch),
        ("199999.99", Tier::Unranked),
    ];
    for (monthly, expected) in cases {
        assert_eq!(tier(D, payroll("0", monthly)), expected, "payroll {monthly}");
    }
    let by_payroll = assess_tier(D, &payroll("60000", "600000"));
    assert_eq!(by_payroll.tier, Tier::Company);
    assert_eq!(by_payroll.reason, TierReason::PayrollBand { min: d("500000") });
    // When both reach the same level the revenue is named.
    let both = assess_tier(D, &payroll("150000", "600000"));
    assert_eq!(both.reason, TierReason::RevenueBand { min: d("100000") });
    let revenue_higher = assess_tier(D, &payroll("600000", "600000"));
    assert_eq!(revenue_higher.tier, Tier::District);
}

#[test]
fn shibei_next_tier_holds_payroll_fixed() {
    let next = assess_tier(D, &payroll("60000", "600000")).next.unwrap();
    assert_eq!((next.tier, next.revenue_needed), (Tier::District, d("500000")));
    assert_eq!(next.extra_revenue, d("440000"));
    let next = assess_tier(D, &revenue("0")).next.unwrap();
    assert_eq!((next.tier, next.revenue_needed), (Tier::Branch, d("50000")));
    assert_eq!(assess_tier(D, &payroll("0", "10000000")).next, None);
}

#[test]
fn absurd_inputs_do_not_panic() {
    let huge = TierInputs {
        annual_revenue: Decimal::MAX,
        unit_revenue: Some(d("0.0000000000000000000000000001")),
        monthly_payroll: Some(Decimal::MAX),
        province_upstream: false,
        band_scale: Decimal::MAX,
    };
    for preset in TierPreset::ALL {
        let _ = assess_tier(preset, &huge);
        let _ = assess_tier(preset, &TierInputs { annual_revenue: Decimal::MIN, ..huge });
    }
}
