//! Goal indicators (SPEC §15, issue 17) from a real database: the seed's
//! district (nine key customers, 20.63% of its revenue, three new this year,
//! the plan 79.3% done), a small unit whose counts are worked out by hand
//! (the days a customer became key on either side of 1 January and of the
//! period's end, prospects, dossiers, units below), customers lost or
//! archived, and the yearly targets: set by whoever decides for the unit,
//! refused to others, versioned, with their history.

use chrono::NaiveDateTime;
use rust_decimal::Decimal;

use crate::common::*;
use crate::db_period::seeded_district;
use kam::db::analysis::AnalysisScope;
use kam::db::customers::{self, decide_registration, insert_customer};
use kam::db::goals::{self, TargetKey, counts, kept_revenue, set_target, target_history, targets};
use kam::db::reference::{self, NewStaff};
use kam::db::revenue::{RevenueEntry, write_entries_in};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, Invalid};
use kam::domain::appraisal::goals::GoalIndicator;
use kam::domain::appraisal::targets::{TargetError, parse_target};
use kam::domain::dossier::FieldValue;
use kam::domain::id::CustomerId;
use kam::domain::money::Money;
use kam::domain::period::{Period, percent2};
use kam::domain::revenue::Month;
use kam::domain::staff::{Refusal, Role, Staff};
use kam::domain::tier::TierPreset;
use kam::review::goals::goal_report;

fn m(y: i32, mo: u32) -> Month {
    Month::new(y, mo).unwrap()
}

fn d(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn wan(text: &str) -> Money {
    kam::domain::money::parse_amount(&format!("{text}万")).unwrap()
}

fn h1_2026() -> Period {
    Period::new(m(2026, 1), m(2026, 6)).unwrap()
}

/// Files a customer of `unit` at `filed` (its registration pending).
fn file(s: &mut Seeded, name: &str, unit: i64, filed: NaiveDateTime) -> CustomerId {
    let manager = Staff { unit_id: unit, ..s.org.manager.clone() };
    let nc = new_customer(name, &format!("广州{name}有限公司"), unit, manager.id);
    customers::create(&mut s.db.store, &actor_at(&s.org.supervisor, filed), &nc, TierPreset::GuangdongScore)
        .unwrap_or_else(|e| panic!("file {name}: {e:?}"))
}

/// Decides a registration as the unit's supervisor (or, for a customer of a
/// unit they do not decide for, as the administrator).
fn decide(s: &mut Seeded, id: &CustomerId, approve: bool, on: NaiveDateTime) {
    let by = actor_at(&s.org.supervisor, on);
    match decide_registration(&mut s.db.store, &by, id, approve, "按申报") {
        Err(DbError::Refused(Refusal::DecidedBy { .. })) => {
            let admin = admin(s);
            decide_registration(&mut s.db.store, &actor_at(&admin, on), id, approve, "按申报").unwrap();
        }
        other => other.unwrap(),
    }
}

/// Files a customer and approves it: key from `approved` on.
fn key_customer(s: &mut Seeded, name: &str, unit: i64, filed: NaiveDateTime, approved: NaiveDateTime) -> CustomerId {
    let id = file(s, name, unit, filed);
    decide(s, &id, true, approved);
    id
}

/// The administrator (made on first use).
fn admin(s: &mut Seeded) -> Staff {
    let unit = s.org.unit;
    let role = Role::Admin;
    let found: Option<i64> =
        s.conn().rows("SELECT id FROM staff WHERE login = 'guanli'", args![], |r| r.get(0)).unwrap().pop();
    let id = match found {
        Some(id) => id,
        None => {
            let new = NewStaff { login: Some("guanli"), name: "管理员", unit_id: unit, role, phone: None };
            s.db.store.write(|tx| reference::insert_staff(tx, &new)).unwrap()
        }
    };
    Staff { id, login: Some("guanli".into()), name: "管理员".into(), unit_id: unit, role }
}

/// The seed (SPEC §15): the district's nine customers of the period report,
/// six key since 2002 and three since 2003; the share is the period
/// report's own, and the plan set as the year's plan-progress target.
#[test]
fn the_seeds_share_new_customers_and_plan_progress_come_from_the_records() {
    let (mut s, ids) = seeded_district();
    for (i, id) in ids.iter().enumerate() {
        let on = if i < 6 { at(2002, 5, 10, 9, 0) } else { at(2003, 3, 1 + u32::try_from(i).unwrap(), 9, 0) };
        decide(&mut s, id, true, on);
    }
    let unit = s.org.unit;
    let sup = actor(&s.org.supervisor);
    let plan = parse_target(GoalIndicator::PlanProgress, "6167万").unwrap();
    let key = TargetKey { unit_id: unit, year: 2003, indicator: GoalIndicator::PlanProgress };
    set_target(&mut s.db.store, &sup, key, plan, None).unwrap();
    let share_key = TargetKey { indicator: GoalIndicator::RevenueShare, ..key };
    set_target(&mut s.db.store, &sup, share_key, d("1"), None).unwrap();

    let period = Period::new(m(2003, 1), m(2003, 10)).unwrap();
    let report = goal_report(s.conn(), unit, period).unwrap();
    let row = |i| report.row(i).unwrap();
    let share = row(GoalIndicator::RevenueShare);
    assert_eq!(percent2(share.figure.value.unwrap()), "20.63%");
    let sums = kam::db::period::summary(s.conn(), period, AnalysisScope::Unit(unit)).unwrap();
    assert_eq!(share.figure.value, sums.share(), "the period report's share, from the same sums");
    assert_eq!((share.figure.numerator, share.figure.denominator), (wan("4890.43").yuan(), wan("23705.04").yuan()));
    assert_eq!(share.met, None, "the district's 2002 revenue was not entered: no rise to judge");
    let new = row(GoalIndicator::NewKeyCustomers);
    assert_eq!((new.figure.value, new.figure.denominator), (Some(d("3")), d("9")), "3 of 9");
    let progress = row(GoalIndicator::PlanProgress);
    assert_eq!(percent2(progress.figure.value.unwrap()), "79.30%");
    assert_eq!(progress.met, Some(false), "behind the pace of 10/12 in October");
    assert_eq!(report.inputs.yearly_plan, wan("6167"));
    let kept = row(GoalIndicator::RetentionRate);
    assert_eq!((kept.figure.numerator, kept.figure.denominator), (d("6"), d("6")));
    assert_eq!(row(GoalIndicator::ServiceMetRate).figure.value, None, "no requests recorded, no figure");
    // The year to date by September: the plan's pace is then 75%.
    let september = goal_report(s.conn(), unit, Period::new(m(2003, 1), m(2003, 9)).unwrap()).unwrap();
    assert_eq!(september.row(GoalIndicator::NewKeyCustomers).unwrap().figure.value, Some(d("3")));
}

/// A unit with customers on both sides of every boundary, counted by hand
/// for January–June 2026 (the day before: 31 December 2025).
#[test]
fn the_counts_are_the_hand_counted_ones_with_their_boundaries() {
    let mut s = Seeded::new();
    let unit = s.org.unit;
    let below = s.db.store.write(|tx| reference::insert_unit(tx, "THS", "石牌营业部", "branch", Some(unit), DIVISION));
    let below = below.unwrap();
    let sibling = add_unit(&mut s.db.store, "YX", "440104");
    let industry = s.db.store.write(|tx| reference::insert_industry(tx, "logistics", "物流", "Logistics")).unwrap();

    // Key since 2025: at the start, kept. Every field of a complete dossier filled.
    let full = new_customer("甲", "广州甲物流有限公司", unit, s.org.manager.id)
        .with("industry_id", FieldValue::Int(industry))
        .with("address", text("天河路1号"))
        .with("postal_code", text("510620"))
        .with("legal_rep", text("陈总"))
        .with("contact_dept", text("行政部"))
        .with("contact_name", text("李小姐"))
        .with("phone", text("02038888888"))
        .with("scale", text("300人"))
        .with("business_scope", text("仓储物流"))
        .with("main_products", text("城配"))
        .with("services_used", text("函件、包件"))
        .with("postal_spending", text("每月约2万元"));
    let a = customers::create(
        &mut s.db.store,
        &actor_at(&s.org.supervisor, at(2025, 3, 1, 9, 0)),
        &full,
        TierPreset::GuangdongScore,
    )
    .unwrap();
    decide(&mut s, &a, true, at(2025, 3, 5, 10, 0));
    // Approved on 31 December: key at the start, not new.
    key_customer(&mut s, "乙", unit, at(2025, 12, 30, 9, 0), at(2025, 12, 31, 17, 0));
    // Approved on 1 January: new this year.
    let c = key_customer(&mut s, "丙", unit, at(2025, 12, 31, 9, 0), at(2026, 1, 1, 9, 0));
    // Approved on the period's last day: new, and key at its end.
    key_customer(&mut s, "丁", unit, at(2026, 2, 1, 9, 0), at(2026, 6, 30, 18, 0));
    // Approved the day after the period: a prospect of the year, not key in it.
    key_customer(&mut s, "戊", unit, at(2026, 5, 1, 9, 0), at(2026, 7, 1, 9, 0));
    // Filed this year, still pending: a prospect.
    file(&mut s, "己", unit, at(2026, 3, 1, 9, 0));
    // Filed this year and rejected (another unit's customer): no prospect of this unit.
    let rejected = file(&mut s, "庚", unit, at(2026, 2, 1, 9, 0));
    decide(&mut s, &rejected, false, at(2026, 2, 3, 9, 0));
    // Entered already approved (a bureau's existing book) on 1 April: key from then.
    let sup = actor_at(&s.org.supervisor, at(2026, 4, 1, 9, 0));
    let entered = cid("44010600990000");
    let values = new_customer("辛", "广州辛贸易有限公司", unit, s.org.manager.id).values;
    s.db.store
        .write(|tx| insert_customer(tx, &sup, &entered, &values, TierPreset::GuangdongScore, "approved"))
        .unwrap();
    // A unit below counts with the unit; a sibling unit does not.
    key_customer(&mut s, "壬", below, at(2024, 1, 1, 9, 0), at(2024, 1, 2, 9, 0));
    key_customer(&mut s, "癸", sibling, at(2026, 2, 1, 9, 0), at(2026, 2, 2, 9, 0));

    let got = counts(s.conn(), unit, h1_2026()).unwrap();
    // Key at 30 June: 甲 乙 丙 丁 辛 壬; at 31 December: 甲 乙 壬; new: 丙 丁 辛;
    // prospects: filed this year and not rejected (丁 戊 己) or key since 1 January (丙 丁 辛).
    assert_eq!((got.key_now, got.key_at_start, got.kept, got.new_key, got.prospects), (6, 3, 3, 3, 5), "{got:?}");
    assert_eq!(got.complete_dossiers, 1, "only 甲's dossier has every required field");
    let fields = u32::try_from(kam::domain::dossier::COMPLETENESS_FIELDS.len()).unwrap();
    assert_eq!(got.required_fields, 6 * fields);
    assert_eq!(got.filled_fields, fields + 5 * 6, "甲 all; the others the six a dossier cannot lack");
    // The same unit a day earlier: 丁 is not key yet.
    let may = counts(s.conn(), unit, Period::new(m(2026, 1), m(2026, 5)).unwrap()).unwrap();
    assert_eq!((may.key_now, may.new_key), (5, 2));
    // From February: 丙 (1 January) is key at the start, and still new in the year.
    let feb = counts(s.conn(), unit, Period::new(m(2026, 2), m(2026, 6)).unwrap()).unwrap();
    assert_eq!((feb.key_at_start, feb.new_key), (4, 3));
    // The unit below alone.
    let branch = counts(s.conn(), below, h1_2026()).unwrap();
    assert_eq!((branch.key_now, branch.key_at_start, branch.new_key, branch.prospects), (1, 1, 0, 0));

    // The report divides them by the formulas chosen.
    let report = goal_report(s.conn(), unit, h1_2026()).unwrap();
    let value = |i| report.row(i).unwrap().figure.value;
    assert_eq!(value(GoalIndicator::DevelopmentRate), Some(d("0.6")), "3 new of 5 prospects");
    assert_eq!(value(GoalIndicator::RetentionRate), Some(Decimal::ONE));
    assert_eq!(value(GoalIndicator::NewKeyCustomers), Some(d("3")));
    let dossiers = report.row(GoalIndicator::DossierCompleteness).unwrap();
    assert_eq!((dossiers.figure.numerator, dossiers.figure.denominator), (d("1"), d("6")));

    // Retention by revenue: this half-year's revenue of the customers key on
    // 31 December against theirs a year earlier (丙, new, is not in it).
    let line: i64 = s.conn().row("SELECT id FROM service_line WHERE code = 'letters'", args![], |r| r.get(0)).unwrap();
    let entry = |id: &CustomerId, month, amount| RevenueEntry {
        customer_id: id.clone(),
        month,
        service_line_id: line,
        amount: yuan(amount),
    };
    let rows = [entry(&a, m(2026, 3), "100"), entry(&a, m(2025, 3), "80"), entry(&c, m(2026, 2), "50")];
    let sup = actor(&s.org.supervisor);
    s.db.store.write(|tx| write_entries_in(tx, &sup, &rows)).unwrap();
    assert_eq!(kept_revenue(s.conn(), unit, h1_2026()).unwrap(), (yuan("100"), yuan("80")));
}

/// A customer archived or lost stops being key on the day the history
/// records it (the server's clock on PostgreSQL, so this happens now).
#[test]
fn a_customer_archived_or_lost_in_the_period_is_not_kept() {
    let mut s = Seeded::new();
    let unit = s.org.unit;
    let long_ago = (at(2020, 1, 1, 9, 0), at(2020, 1, 2, 9, 0));
    let archived = key_customer(&mut s, "甲", unit, long_ago.0, long_ago.1);
    let lost = key_customer(&mut s, "乙", unit, long_ago.0, long_ago.1);
    key_customer(&mut s, "丙", unit, long_ago.0, long_ago.1);
    let now = kam::time::now();
    let sup = actor_at(&s.org.supervisor, now);
    customers::set_archived(&mut s.db.store, &sup, &archived, true).unwrap();
    let dossier = customers::load(s.conn(), &lost).unwrap();
    customers::update(&mut s.db.store, &sup, &dossier, &[("stage", text("lost"))], TierPreset::GuangdongScore).unwrap();
    let this_year = Period::year_to_date(Month::of(now.date()));
    let got = counts(s.conn(), unit, this_year).unwrap();
    assert_eq!((got.key_at_start, got.kept, got.key_now), (3, 1, 1), "{got:?}");
    // Before the losses, all three were key.
    let last_year = Period::year_to_date(Month::of(now.date()).january().prev());
    let then = counts(s.conn(), unit, last_year).unwrap();
    assert_eq!((then.key_at_start, then.kept, then.key_now), (3, 3, 3), "{then:?}");
}

/// On SQLite the history takes the writer's day: a customer archived last
/// year was no key customer at this year's start (SQLite only: PostgreSQL
/// stamps history with the server's clock).
#[test]
fn a_customer_archived_before_the_period_is_not_counted_at_its_start() {
    let mut s = Seeded::new();
    let unit = s.org.unit;
    let gone = key_customer(&mut s, "甲", unit, at(2020, 1, 1, 9, 0), at(2020, 1, 2, 9, 0));
    key_customer(&mut s, "乙", unit, at(2020, 1, 1, 9, 0), at(2020, 1, 2, 9, 0));
    let sup = actor_at(&s.org.supervisor, at(2025, 8, 1, 9, 0));
    customers::set_archived(&mut s.db.store, &sup, &gone, true).unwrap();
    let got = counts(s.conn(), unit, h1_2026()).unwrap();
    assert_eq!((got.key_at_start, got.kept, got.key_now), (1, 1, 1), "{got:?}");
    let before = counts(s.conn(), unit, Period::new(m(2025, 1), m(2025, 7)).unwrap()).unwrap();
    assert_eq!((before.key_at_start, before.key_now), (2, 2));
    let during = counts(s.conn(), unit, Period::new(m(2025, 1), m(2025, 8)).unwrap()).unwrap();
    assert_eq!((during.key_at_start, during.kept, during.key_now), (2, 1, 1));
}

/// Who sets a unit's targets (SPEC §15: the bureau, per unit): a supervisor
/// of the unit or of a unit above it, and the administrator; an account
/// manager, a leader or another unit's supervisor is refused and nothing is
/// written. Each setting has a version; a stale one is a conflict.
#[test]
fn targets_are_set_by_whoever_decides_for_the_unit_with_their_history() {
    let mut s = Seeded::new();
    let unit = s.org.unit;
    let other = add_unit(&mut s.db.store, "YX", "440104");
    let other_sup = {
        let new =
            NewStaff { login: Some("yxzg"), name: "越秀主管", unit_id: other, role: Role::Supervisor, phone: None };
        let id = s.db.store.write(|tx| reference::insert_staff(tx, &new)).unwrap();
        Staff { id, login: Some("yxzg".into()), name: "越秀主管".into(), unit_id: other, role: Role::Supervisor }
    };
    let admin = admin(&mut s);
    let key = TargetKey { unit_id: unit, year: 2026, indicator: GoalIndicator::RetentionRate };
    let history = "history WHERE entity = 'goal_target'";
    for who in [&s.org.manager, &s.org.leader, &other_sup] {
        let err = set_target(&mut s.db.store, &actor(who), key, d("0.9"), None).unwrap_err();
        assert!(matches!(err, DbError::Refused(Refusal::DecidedBy { .. })), "{}: {err:?}", who.name);
    }
    assert_eq!((s.db.count("goal_target"), s.db.count(history)), (0, 0), "nothing written");

    let sup = actor_at(&s.org.supervisor, at(2026, 1, 5, 9, 0));
    assert_eq!(set_target(&mut s.db.store, &sup, key, d("0.9"), None).unwrap(), 1);
    // Set meanwhile by someone else: the form that saw nothing, or version 0, conflicts.
    let later = actor_at(&admin, at(2026, 2, 1, 9, 0));
    let err = set_target(&mut s.db.store, &later, key, d("0.95"), None).unwrap_err();
    assert!(matches!(&err, DbError::Conflict(c) if c.current_version == 1 && c.changed_by == "王芳"), "{err:?}");
    assert_eq!(set_target(&mut s.db.store, &later, key, d("0.95"), Some(1)).unwrap(), 2);
    assert!(matches!(set_target(&mut s.db.store, &sup, key, d("0.8"), Some(1)), Err(DbError::Conflict(_))));
    // Out of its range: refused before anything is asked.
    let err = set_target(&mut s.db.store, &sup, key, d("1.5"), Some(2)).unwrap_err();
    assert!(matches!(err, DbError::Invalid(Invalid::GoalTarget(TargetError::RateRange))), "{err:?}");

    let stored = targets(s.conn(), unit, 2026).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!((stored[0].target, stored[0].version, stored[0].set_by.as_str()), (d("0.95"), 2, "管理员"));
    assert!(targets(s.conn(), unit, 2027).unwrap().is_empty(), "a target is the year's");
    let rows = target_history(s.conn(), key).unwrap();
    let seen: Vec<(Option<&str>, Option<&str>, &str)> =
        rows.iter().map(|h| (h.old_value.as_deref(), h.new_value.as_deref(), h.changed_by.as_str())).collect();
    assert_eq!(seen, vec![(Some("0.9"), Some("0.95"), "管理员"), (None, Some("0.9"), "王芳")], "newest first");
    assert_eq!(read_history_time(rows[1].changed_at.clone()), history_time("2026-01-05 09:00:00"));

    // The supervisor of a unit above decides for the units below it.
    let below = s.db.store.write(|tx| reference::insert_unit(tx, "THS", "石牌营业部", "branch", Some(unit), DIVISION));
    let below_key = TargetKey { unit_id: below.unwrap(), ..key };
    assert_eq!(set_target(&mut s.db.store, &sup, below_key, d("0.5"), None).unwrap(), 1);
    // The report shows the target and judges the figure by it.
    let report = goal_report(s.conn(), unit, Period::year_to_date(m(2026, 6))).unwrap();
    let row = report.row(GoalIndicator::RetentionRate).unwrap();
    assert_eq!(row.target.as_ref().map(|t| t.target), Some(d("0.95")));
    assert_eq!(row.met, None, "no key customers: no figure to judge");
    // Never deleted, never moved.
    assert!(s.conn().exec("DELETE FROM goal_target", args![]).is_err());
    assert!(s.conn().exec("UPDATE goal_target SET year = 2027", args![]).is_err());
    assert_eq!(goals::target(s.conn(), key).unwrap().map(|t| t.version), Some(2));
}
