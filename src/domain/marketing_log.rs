//! The marketing log (SPEC §6, 营销日志): how an entry was made, which deal
//! stage it records, and the appraisal quotas built on it.
//!
//! The Shantou appraisal counts customers by "level" (1–3, 4–6, 7+), which
//! no tier preset names. Levels are mapped onto the tiers of every preset
//! ([`appraisal_level`]), the Shibei management levels alongside the tiers
//! they match in the visit standards (district → diamond, company → gold,
//! branch → VIP, unranked → general):
//!
//! | tier | level | logs a month | marketing plan |
//! |---|---|---|---|
//! | diamond, district | 7 | ≥2 | every month |
//! | platinum | 4 | ≥2 | every quarter |
//! | gold, company | 3 | ≥1 | every half year |
//! | silver, VIP, branch | 2 | ≥1 | every half year |
//! | general, unranked | 1 | ≥1 | every half year |
//!
//! Diamond is level 7 rather than 5 so that the monthly plan of SPEC §6
//! applies to someone: it is the top tier and gets the closest attention
//! everywhere else (all four deal stages logged, the most visits).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use strum::{EnumIter, EnumString, IntoStaticStr};

use super::id::CustomerId;
use super::tier::Tier;
use super::visit_standard::{Period, period_bounds};

pub use super::complaint::Satisfaction;

/// How the communication took place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Method {
    /// 拜访
    Visit,
    /// 电话
    Phone,
    /// 会议
    Meeting,
    /// 电子邮件
    Email,
    Other,
}

impl Method {
    pub const ALL: [Method; 5] = [Method::Visit, Method::Phone, Method::Meeting, Method::Email, Method::Other];
}

stored_code!(Method);

/// The deal stage an entry records, in the order a negotiation goes
/// through them (SPEC §6); `Ord` follows that order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[derive(IntoStaticStr, EnumString, EnumIter)]
#[strum(serialize_all = "snake_case")]
pub enum DealStage {
    /// 初次接触
    InitialContact,
    /// 协谈方案
    ProposalNegotiation,
    /// 报价
    Quotation,
    /// 达成协议/签合同
    Agreement,
}

impl DealStage {
    /// In negotiation order.
    pub const ALL: [DealStage; 4] =
        [DealStage::InitialContact, DealStage::ProposalNegotiation, DealStage::Quotation, DealStage::Agreement];

    /// Position in negotiation order, 0 for the initial contact.
    pub fn index(self) -> usize {
        self as usize
    }

    /// The stage after this one; `None` after the agreement.
    pub fn next(self) -> Option<DealStage> {
        DealStage::ALL.get(self.index() + 1).copied()
    }
}

stored_code!(DealStage);

/// The Shantou appraisal level of a customer of `tier` (see the module
/// documentation for the mapping).
pub fn appraisal_level(tier: Tier) -> u8 {
    match tier {
        Tier::Diamond | Tier::District => 7,
        Tier::Platinum => 4,
        Tier::Gold | Tier::Company => 3,
        Tier::Silver | Tier::Vip | Tier::Branch => 2,
        Tier::General | Tier::Unranked => 1,
    }
}

/// Log entries a customer of `tier` needs each month: ≥1 for levels 1–3,
/// ≥2 for level 4 and up.
pub fn monthly_log_quota(tier: Tier) -> u32 {
    if appraisal_level(tier) >= 4 { 2 } else { 1 }
}

/// How often a customer of `tier` needs a marketing plan: every half year
/// for levels 1–3, every quarter for 4–6, every month for 7 and up.
pub fn marketing_plan_period(tier: Tier) -> Period {
    match appraisal_level(tier) {
        0..=3 => Period::HalfYear,
        4..=6 => Period::Quarter,
        _ => Period::Month,
    }
}

/// Whether every negotiation of a customer of `tier` must be logged in all
/// four stages: diamond customers, and the Shibei district level that
/// stands for diamond. Gold and silver log only "the key negotiations of
/// each stage", which no rule can check.
pub fn needs_every_stage_logged(tier: Tier) -> bool {
    appraisal_level(tier) >= 7
}

/// One customer's line of an account manager's monthly quota.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerQuota {
    pub customer: CustomerId,
    pub tier: Tier,
    pub required: u32,
    /// Entries dated in the month.
    pub written: u32,
    /// Entries still missing: `required - written`, never below 0.
    pub behind: u32,
}

/// An account manager's (or a unit's) marketing-log quota for one month.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct QuotaReport {
    /// In the order the customers were given.
    pub per_customer: Vec<CustomerQuota>,
    pub required_total: u32,
    /// Every entry in the month, including those beyond a customer's quota.
    pub written_total: u32,
}

impl QuotaReport {
    /// Entries missing across all customers. Extra entries for one customer
    /// do not make up for another's, so this is not
    /// `required_total - written_total`.
    pub fn behind_total(&self) -> u32 {
        self.per_customer.iter().map(|line| line.behind).sum()
    }

    /// How many customers have fewer entries than their quota.
    pub fn customers_behind(&self) -> usize {
        self.per_customer.iter().filter(|line| line.behind > 0).count()
    }
}

/// The quota of the month containing `month` (any day of it) for
/// `customers` (id and tier), against `logs` (customer id and entry date).
/// Only entries dated in that calendar month count; entries for customers
/// not listed are ignored, and a customer listed twice counts once.
pub fn manager_quota(
    customers: &[(CustomerId, Tier)],
    logs: &[(CustomerId, NaiveDate)],
    month: NaiveDate,
) -> QuotaReport {
    let (first_day, last_day) = period_bounds(Period::Month, month);
    let mut written_by_customer: HashMap<&CustomerId, u32> = HashMap::new();
    for (customer, logged_on) in logs {
        if (first_day..=last_day).contains(logged_on) {
            *written_by_customer.entry(customer).or_default() += 1;
        }
    }
    let mut seen = HashSet::new();
    let mut report = QuotaReport::default();
    for (customer, tier) in customers {
        if !seen.insert(customer) {
            continue;
        }
        let required = monthly_log_quota(*tier);
        let written = written_by_customer.get(customer).copied().unwrap_or(0);
        report.required_total += required;
        report.written_total += written;
        report.per_customer.push(CustomerQuota {
            customer: customer.clone(),
            tier: *tier,
            required,
            written,
            behind: required.saturating_sub(written),
        });
    }
    report
}

/// Which of the four deal stages have at least one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageCoverage {
    /// Indexed by [`DealStage::index`].
    pub covered: [bool; 4],
    /// The stages without an entry, in negotiation order.
    pub missing: Vec<DealStage>,
}

impl StageCoverage {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// The stages that the entries of one negotiation (or one customer) cover,
/// for the diamond rule "every negotiation in all four stages is logged".
pub fn stage_coverage(entries: &[DealStage]) -> StageCoverage {
    let mut covered = [false; 4];
    for stage in entries {
        covered[stage.index()] = true;
    }
    let missing = DealStage::ALL.into_iter().filter(|stage| !covered[stage.index()]).collect();
    StageCoverage { covered, missing }
}

/// The furthest stage the entries reach, whatever their dates: an entry at
/// an earlier stage after a later one (going back over the proposal after
/// a quotation) does not undo the progress. `None` without entries.
pub fn deal_progress(entries: &[(NaiveDate, DealStage)]) -> Option<DealStage> {
    entries.iter().map(|(_, stage)| *stage).max()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::id::test_id;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn customer(id: &str, tier: Tier) -> (CustomerId, Tier) {
        (test_id(id), tier)
    }

    fn log(id: &str, on: NaiveDate) -> (CustomerId, NaiveDate) {
        (test_id(id), on)
    }

    #[test]
    fn levels_one_to_three_need_one_log_four_and_up_two() {
        let quotas: Vec<(Tier, u8, u32)> =
            Tier::ALL.into_iter().map(|tier| (tier, appraisal_level(tier), monthly_log_quota(tier))).collect();
        assert_eq!(
            quotas,
            vec![
                (Tier::Diamond, 7, 2),
                (Tier::Platinum, 4, 2),
                (Tier::Gold, 3, 1),
                (Tier::Silver, 2, 1),
                (Tier::Vip, 2, 1),
                (Tier::General, 1, 1),
                (Tier::District, 7, 2),
                (Tier::Company, 3, 1),
                (Tier::Branch, 2, 1),
                (Tier::Unranked, 1, 1),
            ]
        );
    }

    #[test]
    fn marketing_plans_every_half_year_quarter_or_month_by_level() {
        for tier in [Tier::Gold, Tier::Silver, Tier::Vip, Tier::General, Tier::Company, Tier::Branch, Tier::Unranked] {
            assert_eq!(marketing_plan_period(tier), Period::HalfYear, "{tier:?}");
        }
        assert_eq!(marketing_plan_period(Tier::Platinum), Period::Quarter);
        assert_eq!(marketing_plan_period(Tier::Diamond), Period::Month);
        assert_eq!(marketing_plan_period(Tier::District), Period::Month);
    }

    #[test]
    fn only_diamond_level_customers_log_every_stage() {
        let strict: Vec<Tier> = Tier::ALL.into_iter().filter(|tier| needs_every_stage_logged(*tier)).collect();
        assert_eq!(strict, vec![Tier::Diamond, Tier::District]);
    }

    #[test]
    fn the_last_day_of_the_month_counts_and_the_next_first_does_not() {
        let customers = [customer("diamond", Tier::Diamond)];
        let logs = [
            log("diamond", day(2026, 1, 31)),
            log("diamond", day(2026, 2, 1)),
            log("diamond", day(2026, 2, 28)),
            log("diamond", day(2026, 3, 1)),
        ];
        let february = manager_quota(&customers, &logs, day(2026, 2, 14));
        assert_eq!(
            february.per_customer,
            vec![CustomerQuota {
                customer: test_id("diamond"),
                tier: Tier::Diamond,
                required: 2,
                written: 2,
                behind: 0
            }]
        );
        // The first and last of January and March: one entry each.
        assert_eq!(manager_quota(&customers, &logs, day(2026, 1, 1)).written_total, 1);
        assert_eq!(manager_quota(&customers, &logs, day(2026, 3, 31)).per_customer[0].behind, 1);
    }

    #[test]
    fn the_29th_of_february_counts_in_a_leap_year() {
        let customers = [customer("gold", Tier::Gold)];
        let report = manager_quota(&customers, &[log("gold", day(2028, 2, 29))], day(2028, 2, 1));
        assert_eq!(report.per_customer[0].behind, 0);
    }

    #[test]
    fn exactly_the_quota_is_met_and_one_short_is_behind() {
        let customers = [customer("platinum", Tier::Platinum), customer("silver", Tier::Silver)];
        let met = [log("platinum", day(2026, 4, 3)), log("platinum", day(2026, 4, 20)), log("silver", day(2026, 4, 9))];
        let report = manager_quota(&customers, &met, day(2026, 4, 1));
        assert_eq!((report.required_total, report.written_total, report.behind_total()), (3, 3, 0));
        assert_eq!(report.customers_behind(), 0);

        let short = &met[1..];
        let report = manager_quota(&customers, short, day(2026, 4, 1));
        assert_eq!(report.per_customer[0].behind, 1);
        assert_eq!(report.per_customer[1].behind, 0);
        assert_eq!((report.required_total, report.written_total, report.behind_total()), (3, 2, 1));
    }

    #[test]
    fn extra_logs_for_one_customer_do_not_cover_another() {
        let customers = [customer("general", Tier::General), customer("vip", Tier::Vip)];
        let logs = [log("general", day(2026, 5, 1)), log("general", day(2026, 5, 2)), log("general", day(2026, 5, 3))];
        let report = manager_quota(&customers, &logs, day(2026, 5, 31));
        assert_eq!((report.required_total, report.written_total), (2, 3));
        assert_eq!(report.behind_total(), 1);
        assert_eq!(report.customers_behind(), 1);
        assert_eq!(report.per_customer[1].customer, test_id("vip"));
    }

    #[test]
    fn logs_of_other_customers_and_repeated_customers_count_once() {
        let customers = [customer("a", Tier::Gold), customer("a", Tier::Gold)];
        let logs = [log("a", day(2026, 6, 10)), log("someone else", day(2026, 6, 10))];
        let report = manager_quota(&customers, &logs, day(2026, 6, 10));
        assert_eq!(report.per_customer.len(), 1);
        assert_eq!((report.required_total, report.written_total), (1, 1));
    }

    #[test]
    fn no_customers_no_quota() {
        assert_eq!(manager_quota(&[], &[log("a", day(2026, 6, 10))], day(2026, 6, 1)), QuotaReport::default());
    }

    #[test]
    fn stage_coverage_names_the_missing_stages_in_order() {
        let none = stage_coverage(&[]);
        assert_eq!(none.covered, [false; 4]);
        assert_eq!(none.missing, DealStage::ALL.to_vec());

        let partial = stage_coverage(&[DealStage::Quotation, DealStage::InitialContact, DealStage::Quotation]);
        assert_eq!(partial.covered, [true, false, true, false]);
        assert_eq!(partial.missing, vec![DealStage::ProposalNegotiation, DealStage::Agreement]);
        assert!(!partial.is_complete());

        let complete = stage_coverage(&[
            DealStage::Agreement,
            DealStage::Quotation,
            DealStage::ProposalNegotiation,
            DealStage::InitialContact,
        ]);
        assert_eq!(complete.covered, [true; 4]);
        assert!(complete.is_complete());
    }

    #[test]
    fn deal_progress_is_the_furthest_stage_reached() {
        assert_eq!(deal_progress(&[]), None);
        let entries = [
            (day(2026, 1, 5), DealStage::InitialContact),
            (day(2026, 2, 5), DealStage::Quotation),
            (day(2026, 3, 5), DealStage::ProposalNegotiation),
        ];
        assert_eq!(deal_progress(&entries), Some(DealStage::Quotation));
        assert_eq!(deal_progress(&entries[..1]), Some(DealStage::InitialContact));
    }

    #[test]
    fn stages_follow_the_negotiation_order() {
        assert_eq!(DealStage::InitialContact.next(), Some(DealStage::ProposalNegotiation));
        assert_eq!(DealStage::ProposalNegotiation.next(), Some(DealStage::Quotation));
        assert_eq!(DealStage::Quotation.next(), Some(DealStage::Agreement));
        assert_eq!(DealStage::Agreement.next(), None);
        assert!(DealStage::ALL.windows(2).all(|pair| pair[0] < pair[1]));
        for (index, stage) in DealStage::ALL.into_iter().enumerate() {
            assert_eq!(stage.index(), index);
        }
    }

    #[test]
    fn codes_round_trip_and_match_the_schema() {
        for method in Method::ALL {
            assert_eq!(Method::from_code(method.code()), Some(method));
        }
        for stage in DealStage::ALL {
            assert_eq!(DealStage::from_code(stage.code()), Some(stage));
        }
        assert_eq!(Method::ALL.map(Method::code).join(","), "visit,phone,meeting,email,other");
        assert_eq!(
            DealStage::ALL.map(DealStage::code).join(","),
            "initial_contact,proposal_negotiation,quotation,agreement"
        );
        assert_eq!(Method::from_code("fax"), None);
    }
}
