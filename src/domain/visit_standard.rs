//! Contact standards per tier (SPEC §5, 拜访制度): how many visits of each
//! kind a customer of a tier must get per period, and whether the visits
//! done so far meet them. The documents disagree, so the standard is a
//! policy with presets, like tiers (SPEC §4).
//!
//! Tiers that a standard's table does not name are mapped onto the nearest
//! tier it does name ([`standard_tier`]):
//! - Shibei management levels (SPEC §4 D) by weight: district-bureau level
//!   → diamond, specialised-company level → gold, branch level → VIP,
//!   unranked → general. Under the class scheme that makes them class 1, 2
//!   and 3.
//! - Silver is missing from the Guangdong letter-mail table (its tiers are
//!   those of the letter bands, which have no silver): silver gets the VIP
//!   line, the lowest ranked tier of that table.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::tier::Tier;
use super::visit::{ParticipantRole, VisitKind};
use ParticipantRole::{AccountManager, Leader, Supervisor};
use Period::{HalfYear, Month, Quarter, Year};
use VisitKind::{Exchange, InPerson, Phone, SeniorVisit, Survey};
use strum::{EnumIter, EnumString, IntoStaticStr};

/// The contact standards of the documents (SPEC §5).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, IntoStaticStr, EnumString, EnumIter,
)]
#[serde(rename_all = "kebab-case")]
#[strum(serialize_all = "kebab-case")]
pub enum StandardPreset {
    /// Guangdong letter-mail standard, the table in SPEC §5 (the default).
    #[default]
    GuangdongLetters,
    /// Heilongjiang/Shantou marketing-system plan.
    Shantou,
    /// Shanghai Shibei: a visit a month for every key customer.
    Shanghai,
    /// The "class" scheme: class 1 ≥3, class 2 ≥2, class 3 ≥1 a month.
    Class,
}

impl StandardPreset {
    pub const ALL: [StandardPreset; 4] =
        [StandardPreset::GuangdongLetters, StandardPreset::Shantou, StandardPreset::Shanghai, StandardPreset::Class];
}

stored_code!(StandardPreset);

/// The calendar period a requirement counts over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Period {
    Month,
    Quarter,
    Year,
    HalfYear,
}

/// First and last day of the calendar month, quarter, half-year or year
/// that contains `date`.
pub fn period_bounds(period: Period, date: NaiveDate) -> (NaiveDate, NaiveDate) {
    let month = date.month();
    let (first_month, last_month) = match period {
        Period::Month => (month, month),
        Period::Quarter => {
            let first = (month - 1) / 3 * 3 + 1;
            (first, first + 2)
        }
        Period::HalfYear if month <= 6 => (1, 6),
        Period::HalfYear => (7, 12),
        Period::Year => (1, 12),
    };
    // Both fallbacks are unreachable: chrono's range covers whole years, so
    // every month of `date`'s year exists.
    let start = NaiveDate::from_ymd_opt(date.year(), first_month, 1).unwrap_or(date);
    let end = last_day_of_month(date.year(), last_month).unwrap_or(date);
    (start, end)
}

/// The last day of a month; `None` only for a month outside chrono's range.
pub(crate) fn last_day_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    (28..=31).rev().find_map(|day| NaiveDate::from_ymd_opt(year, month, day))
}

/// One line of a standard: at least `min_count` visits of `kind` per
/// `period`, each with `who` taking part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Requirement {
    pub kind: VisitKind,
    pub min_count: u32,
    pub period: Period,
    /// Who must take part for a visit to count.
    pub who: ParticipantRole,
}

impl Requirement {
    const fn new(kind: VisitKind, min_count: u32, period: Period, who: ParticipantRole) -> Requirement {
        Requirement { kind, min_count, period, who }
    }

    /// A visit counts for this line when it is of the right kind and the
    /// required role took part. Other people may take part too, so one
    /// visit can count for several lines (a supervisor and an account
    /// manager together meet both in-person lines).
    pub fn is_met_by(&self, kind: VisitKind, roles: &[ParticipantRole]) -> bool {
        kind == self.kind && roles.contains(&self.who)
    }
}

/// The tier whose line of the standard applies to `tier` (see the module
/// documentation): Shibei levels map to diamond / gold / VIP / general; the
/// other tiers are themselves.
pub fn standard_tier(tier: Tier) -> Tier {
    match tier {
        Tier::District => Tier::Diamond,
        Tier::Company => Tier::Gold,
        Tier::Branch => Tier::Vip,
        Tier::Unranked => Tier::General,
        other => other,
    }
}

/// What `preset` requires for a customer of `tier`, in a stable order.
/// General (and Shibei unranked) customers have no requirement in any preset.
pub fn requirements(preset: StandardPreset, tier: Tier) -> Vec<Requirement> {
    let tier = standard_tier(tier);
    if tier == Tier::General {
        return Vec::new();
    }
    match preset {
        StandardPreset::GuangdongLetters => guangdong_letters(tier),
        StandardPreset::Shantou => shantou(tier),
        StandardPreset::Shanghai => shanghai(),
        StandardPreset::Class => class_scheme(tier),
    }
}

/// The SPEC §5 table. "1–2 events a year" is taken at its minimum, 1.
/// The diamond "quality joint meeting" is not a visit kind and is not
/// counted. Phone calls, events and surveys are the account manager's.
fn guangdong_letters(tier: Tier) -> Vec<Requirement> {
    let (supervisor_period, account_manager_visits, phone_calls, yearly_extra) = match tier {
        Tier::Diamond => (Month, 2, 2, Exchange),
        Tier::Platinum => (Month, 2, 1, Exchange),
        Tier::Gold => (Month, 1, 1, Exchange),
        // Silver is not in the table: it gets the VIP line (module docs).
        Tier::Vip | Tier::Silver => (Quarter, 1, 1, Survey),
        _ => return Vec::new(),
    };
    vec![
        Requirement::new(InPerson, 1, supervisor_period, Supervisor),
        Requirement::new(InPerson, account_manager_visits, Month, AccountManager),
        Requirement::new(Phone, phone_calls, Month, AccountManager),
        Requirement::new(SeniorVisit, 1, Year, Leader),
        Requirement::new(yearly_extra, 1, Year, AccountManager),
    ]
}

/// Shantou names regional and specialised tiers: "regional diamond &
/// comprehensive gold ≥2 in-person a month; regional gold & comprehensive
/// silver ≥1; specialised gold ≥2, silver ≥1; leader-led visit 1–2 a year
/// for all". Mapped onto kam's tiers: diamond and platinum ≥2 a month;
/// gold, silver and VIP ≥1 a month; every ranked tier a leader-led senior
/// visit ≥1 a year.
fn shantou(tier: Tier) -> Vec<Requirement> {
    let visits = match tier {
        Tier::Diamond | Tier::Platinum => 2,
        _ => 1,
    };
    vec![Requirement::new(InPerson, visits, Month, AccountManager), Requirement::new(SeniorVisit, 1, Year, Leader)]
}

/// Shanghai: ≥1 visit a month for every ranked key customer, and the
/// key-customer forum held twice a year, counted as one exchange event
/// (attended by the account manager's customer) per half-year.
fn shanghai() -> Vec<Requirement> {
    vec![Requirement::new(InPerson, 1, Month, AccountManager), Requirement::new(Exchange, 1, HalfYear, AccountManager)]
}

/// Class scheme: diamond and platinum are class 1 (≥3 a month), gold and
/// silver class 2 (≥2), VIP class 3 (≥1).
fn class_scheme(tier: Tier) -> Vec<Requirement> {
    let visits = match tier {
        Tier::Diamond | Tier::Platinum => 3,
        Tier::Gold | Tier::Silver => 2,
        _ => 1,
    };
    vec![Requirement::new(InPerson, visits, Month, AccountManager)]
}

/// A visit that has taken place (or, for planning, is planned), as far as
/// the standards care.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DoneVisit {
    pub kind: VisitKind,
    pub date: NaiveDate,
    /// Our people who took part.
    pub roles: Vec<ParticipantRole>,
}

/// How one requirement stands in the period containing a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Compliance {
    pub requirement: Requirement,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// Visits in the period that count for the requirement.
    pub done: u32,
    /// Required minus done, never below 0.
    pub missing: u32,
}

impl Compliance {
    /// Behind standard: fewer visits than required. Exactly the required
    /// count is not behind.
    pub fn behind(&self) -> bool {
        self.done < self.requirement.min_count
    }
}

/// Each requirement of `preset` for `tier` in the period that contains
/// `on`, counted against `done` (visits outside a line's period are
/// ignored for that line).
pub fn compliance(preset: StandardPreset, tier: Tier, on: NaiveDate, done: &[DoneVisit]) -> Vec<Compliance> {
    requirements(preset, tier)
        .into_iter()
        .map(|requirement| {
            let (period_start, period_end) = period_bounds(requirement.period, on);
            let count = done
                .iter()
                .filter(|visit| (period_start..=period_end).contains(&visit.date))
                .filter(|visit| requirement.is_met_by(visit.kind, &visit.roles))
                .count();
            let done = u32::try_from(count).unwrap_or(u32::MAX);
            Compliance {
                requirement,
                period_start,
                period_end,
                done,
                missing: requirement.min_count.saturating_sub(done),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn req(kind: VisitKind, min_count: u32, period: Period, who: ParticipantRole) -> Requirement {
        Requirement { kind, min_count, period, who }
    }

    fn visit(kind: VisitKind, on: NaiveDate, roles: &[ParticipantRole]) -> DoneVisit {
        DoneVisit { kind, date: on, roles: roles.to_vec() }
    }

    /// (kind, who) → min_count per period, for compact table checks.
    fn lines(preset: StandardPreset, tier: Tier) -> Vec<(VisitKind, ParticipantRole, u32, Period)> {
        requirements(preset, tier).into_iter().map(|r| (r.kind, r.who, r.min_count, r.period)).collect()
    }

    #[test]
    fn preset_codes_round_trip_and_default() {
        for preset in StandardPreset::ALL {
            assert_eq!(StandardPreset::from_code(preset.code()), Some(preset));
        }
        assert_eq!(StandardPreset::default(), StandardPreset::GuangdongLetters);
        assert_eq!(StandardPreset::default().code(), "guangdong-letters");
        assert_eq!(StandardPreset::from_code("nope"), None);
    }

    #[test]
    fn guangdong_letters_table() {
        use StandardPreset::GuangdongLetters as G;
        assert_eq!(
            lines(G, Tier::Diamond),
            vec![
                (InPerson, Supervisor, 1, Month),
                (InPerson, AccountManager, 2, Month),
                (Phone, AccountManager, 2, Month),
                (SeniorVisit, Leader, 1, Year),
                (Exchange, AccountManager, 1, Year),
            ]
        );
        assert_eq!(
            lines(G, Tier::Platinum),
            vec![
                (InPerson, Supervisor, 1, Month),
                (InPerson, AccountManager, 2, Month),
                (Phone, AccountManager, 1, Month),
                (SeniorVisit, Leader, 1, Year),
                (Exchange, AccountManager, 1, Year),
            ]
        );
        assert_eq!(
            lines(G, Tier::Gold),
            vec![
                (InPerson, Supervisor, 1, Month),
                (InPerson, AccountManager, 1, Month),
                (Phone, AccountManager, 1, Month),
                (SeniorVisit, Leader, 1, Year),
                (Exchange, AccountManager, 1, Year),
            ]
        );
        let vip = vec![
            (InPerson, Supervisor, 1, Quarter),
            (InPerson, AccountManager, 1, Month),
            (Phone, AccountManager, 1, Month),
            (SeniorVisit, Leader, 1, Year),
            (Survey, AccountManager, 1, Year),
        ];
        assert_eq!(lines(G, Tier::Vip), vip);
        assert_eq!(lines(G, Tier::Silver), vip, "silver is treated like VIP");
        assert!(requirements(G, Tier::General).is_empty());
    }

    #[test]
    fn shibei_levels_map_to_diamond_gold_vip() {
        for preset in StandardPreset::ALL {
            assert_eq!(requirements(preset, Tier::District), requirements(preset, Tier::Diamond));
            assert_eq!(requirements(preset, Tier::Company), requirements(preset, Tier::Gold));
            assert_eq!(requirements(preset, Tier::Branch), requirements(preset, Tier::Vip));
            assert!(requirements(preset, Tier::Unranked).is_empty());
            assert!(requirements(preset, Tier::General).is_empty());
        }
    }

    #[test]
    fn shantou_table() {
        use StandardPreset::Shantou as S;
        for (tier, visits) in
            [(Tier::Diamond, 2), (Tier::Platinum, 2), (Tier::Gold, 1), (Tier::Silver, 1), (Tier::Vip, 1)]
        {
            assert_eq!(
                lines(S, tier),
                vec![(InPerson, AccountManager, visits, Month), (SeniorVisit, Leader, 1, Year)],
                "{tier:?}"
            );
        }
    }

    #[test]
    fn shanghai_table() {
        for tier in [Tier::Diamond, Tier::Platinum, Tier::Gold, Tier::Silver, Tier::Vip] {
            assert_eq!(
                lines(StandardPreset::Shanghai, tier),
                vec![(InPerson, AccountManager, 1, Month), (Exchange, AccountManager, 1, HalfYear)],
                "{tier:?}"
            );
        }
    }

    #[test]
    fn class_scheme_table() {
        for (tier, visits) in [
            (Tier::Diamond, 3),
            (Tier::Platinum, 3),
            (Tier::Gold, 2),
            (Tier::Silver, 2),
            (Tier::Vip, 1),
            (Tier::District, 3),
            (Tier::Company, 2),
            (Tier::Branch, 1),
        ] {
            assert_eq!(lines(StandardPreset::Class, tier), vec![(InPerson, AccountManager, visits, Month)], "{tier:?}");
        }
    }

    #[test]
    fn period_boundaries() {
        assert_eq!(period_bounds(Month, date(2026, 1, 31)), (date(2026, 1, 1), date(2026, 1, 31)));
        assert_eq!(period_bounds(Month, date(2026, 2, 1)), (date(2026, 2, 1), date(2026, 2, 28)));
        assert_eq!(period_bounds(Month, date(2028, 2, 15)), (date(2028, 2, 1), date(2028, 2, 29)));
        assert_eq!(period_bounds(Quarter, date(2026, 3, 31)), (date(2026, 1, 1), date(2026, 3, 31)));
        assert_eq!(period_bounds(Quarter, date(2026, 4, 1)), (date(2026, 4, 1), date(2026, 6, 30)));
        assert_eq!(period_bounds(Quarter, date(2026, 11, 15)), (date(2026, 10, 1), date(2026, 12, 31)));
        assert_eq!(period_bounds(Year, date(2026, 12, 31)), (date(2026, 1, 1), date(2026, 12, 31)));
        assert_eq!(period_bounds(Year, date(2027, 1, 1)), (date(2027, 1, 1), date(2027, 12, 31)));
        assert_eq!(period_bounds(HalfYear, date(2026, 6, 30)), (date(2026, 1, 1), date(2026, 6, 30)));
        assert_eq!(period_bounds(HalfYear, date(2026, 7, 1)), (date(2026, 7, 1), date(2026, 12, 31)));
    }

    #[test]
    fn period_bounds_at_the_ends_of_chronos_range() {
        assert_eq!(period_bounds(Year, NaiveDate::MAX).1, NaiveDate::MAX);
        assert_eq!(period_bounds(Year, NaiveDate::MIN).0, NaiveDate::MIN);
    }

    #[test]
    fn behind_at_one_short_not_at_exactly_required() {
        let on = date(2026, 11, 20);
        let am = [AccountManager];
        let one = [visit(InPerson, date(2026, 11, 3), &am)];
        let two = [visit(InPerson, date(2026, 11, 3), &am), visit(InPerson, date(2026, 11, 18), &am)];
        let am_line = |done: &[DoneVisit]| {
            compliance(StandardPreset::GuangdongLetters, Tier::Diamond, on, done)
                .into_iter()
                .find(|c| c.requirement == req(InPerson, 2, Month, AccountManager))
                .unwrap()
        };
        let short = am_line(&one);
        assert_eq!((short.done, short.missing), (1, 1));
        assert!(short.behind());
        let met = am_line(&two);
        assert_eq!((met.done, met.missing), (2, 0));
        assert!(!met.behind());
        assert_eq!((met.period_start, met.period_end), (date(2026, 11, 1), date(2026, 11, 30)));
    }

    #[test]
    fn more_than_required_is_not_negative_missing() {
        let am = [AccountManager];
        let done: Vec<_> = (1..=5).map(|d| visit(InPerson, date(2026, 11, d), &am)).collect();
        let c = compliance(StandardPreset::Class, Tier::Gold, date(2026, 11, 30), &done);
        assert_eq!((c[0].done, c[0].missing, c[0].behind()), (5, 0, false));
    }

    #[test]
    fn roles_decide_which_line_a_visit_counts_for() {
        let on = date(2026, 11, 20);
        let find = |done: &[DoneVisit], who| {
            compliance(StandardPreset::GuangdongLetters, Tier::Gold, on, done)
                .into_iter()
                .find(|c| c.requirement.kind == InPerson && c.requirement.who == who)
                .unwrap()
        };
        let am_only = [visit(InPerson, date(2026, 11, 2), &[AccountManager])];
        assert!(find(&am_only, Supervisor).behind(), "an account-manager-only visit is not a supervisor visit");
        assert!(!find(&am_only, AccountManager).behind());

        let joint = [visit(InPerson, date(2026, 11, 2), &[AccountManager, Supervisor])];
        assert!(!find(&joint, Supervisor).behind(), "a joint visit counts for the supervisor line");
        assert!(!find(&joint, AccountManager).behind(), "and for the account-manager line");

        let phone_by_supervisor = [visit(Phone, date(2026, 11, 2), &[Supervisor])];
        assert!(find(&phone_by_supervisor, Supervisor).behind(), "wrong kind never counts");
    }

    #[test]
    fn senior_visit_needs_a_leader() {
        let on = date(2026, 6, 1);
        let senior = |done: &[DoneVisit]| {
            compliance(StandardPreset::Shantou, Tier::Gold, on, done)
                .into_iter()
                .find(|c| c.requirement.kind == SeniorVisit)
                .unwrap()
        };
        assert!(senior(&[visit(SeniorVisit, date(2026, 2, 1), &[Supervisor, AccountManager])]).behind());
        assert!(!senior(&[visit(SeniorVisit, date(2026, 2, 1), &[Leader])]).behind());
    }

    #[test]
    fn only_visits_inside_the_period_count() {
        let am = [AccountManager];
        let done = [
            visit(InPerson, date(2026, 10, 31), &am),
            visit(InPerson, date(2026, 11, 1), &am),
            visit(InPerson, date(2026, 11, 30), &am),
            visit(InPerson, date(2026, 12, 1), &am),
            visit(SeniorVisit, date(2025, 12, 31), &[Leader]),
        ];
        let c = compliance(StandardPreset::Shantou, Tier::Diamond, date(2026, 11, 15), &done);
        assert_eq!(c[0].done, 2);
        assert_eq!(c[1].done, 0, "last year's senior visit does not count this year");
        // VIP supervisor line is quarterly: October counts in November.
        let sup =
            [visit(InPerson, date(2026, 10, 2), &[Supervisor]), visit(InPerson, date(2026, 9, 30), &[Supervisor])];
        let c = compliance(StandardPreset::GuangdongLetters, Tier::Vip, date(2026, 11, 15), &sup);
        assert_eq!(c[0].requirement, req(InPerson, 1, Quarter, Supervisor));
        assert_eq!((c[0].done, c[0].period_start), (1, date(2026, 10, 1)));
    }

    #[test]
    fn general_customers_have_nothing_to_comply_with() {
        for preset in StandardPreset::ALL {
            assert!(compliance(preset, Tier::General, date(2026, 11, 1), &[]).is_empty());
        }
    }
}
