//! Visit storage (SPEC §5), layer 2 of STYLE.md: every test on its own
//! temporary file. Planning, the calendar reads (by day, counts, overdue),
//! recording the outcome, cancelling, stale edits, series and their
//! rescheduling, all-or-nothing batches, scopes, the standards' read, and who
//! may plan for whom.

use crate::common;

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime};

use kam::db::customers;
use kam::db::records::{self, RecordKind};
use kam::db::sql::{Sql, args};
use kam::db::visits::{self, DayCount, NewVisit, Outcome, Reschedule, Visit, VisitScope};
use kam::db::{Actor, DbError, Store};
use kam::domain::id::CustomerId;
use kam::domain::staff::{Refusal, Staff};
use kam::domain::tier::TierPreset;
use kam::domain::visit::{ParticipantRole, VisitKind, VisitState, VisitStatus};

use common::*;

// ---------------------------------------------------------------------------
// helpers

/// Files a customer of the seeded unit owned by `owner` and returns its id.
fn customer(s: &mut Seeded, short_name: &str, owner: &Staff) -> CustomerId {
    let unit = s.org.unit;
    customer_in(s, short_name, unit, owner)
}

fn customer_in(s: &mut Seeded, short_name: &str, unit: i64, owner: &Staff) -> CustomerId {
    let new = new_customer(short_name, &format!("{short_name}有限公司"), unit, owner.id);
    customers::create(s.store(), &actor(owner), &new, TierPreset::GuangdongScore)
        .unwrap_or_else(|e| panic!("create {short_name}: {e}"))
}

/// An in-person visit in `owner`'s diary with `owner` as account manager.
fn visit(customer: &CustomerId, owner: &Staff, planned_at: NaiveDateTime) -> NewVisit {
    NewVisit {
        customer_id: customer.clone(),
        kind: VisitKind::InPerson,
        planned_at,
        duration_min: 90,
        owner_id: owner.id,
        purpose: "了解年度函件量，介绍商函业务".to_string(),
        staff: vec![(owner.id, ParticipantRole::AccountManager)],
        persons: Vec::new(),
        follows_id: None,
    }
}

fn plan(s: &mut Seeded, by: &Staff, v: &NewVisit) -> i64 {
    visits::plan(s.store(), &actor(by), v).unwrap_or_else(|e| panic!("plan: {e}"))
}

fn load(s: &Seeded, id: i64) -> Visit {
    visits::load(s.conn(), id).unwrap_or_else(|e| panic!("load visit {id}: {e}"))
}

fn done_at(s: &mut Seeded, by: &Staff, id: i64, at_time: NaiveDateTime) {
    let base = load(s, id);
    let outcome = Outcome { done_at: Some(at_time), staff: base.staff.clone(), ..Outcome::default() };
    visits::record_done(s.store(), &actor(by), &base, &outcome).unwrap_or_else(|e| panic!("record visit {id}: {e}"));
}

fn cancel(s: &mut Seeded, by: &Staff, id: i64, reason: &str) {
    let base = load(s, id);
    visits::cancel(s.store(), &actor(by), &base, reason).unwrap_or_else(|e| panic!("cancel visit {id}: {e}"));
}

fn day(d: NaiveDate) -> (NaiveDateTime, NaiveDateTime) {
    (d.and_hms_opt(0, 0, 0).expect("midnight"), d.succ_opt().expect("next day").and_hms_opt(0, 0, 0).expect("midnight"))
}

fn ids(visits: &[Visit]) -> Vec<i64> {
    visits.iter().map(|v| v.id).collect()
}

/// All of a scope's visits (the seeded data lies in 2026).
fn in_scope(s: &Seeded, scope: &VisitScope) -> Vec<i64> {
    let all = visits::between(s.conn(), scope, at(2026, 1, 1, 0, 0), at(2028, 1, 1, 0, 0)).expect("between");
    ids(&all)
}

/// A visit's history rows, oldest first: (action, field, old, new, author, time), the
/// time as [`common::read_history_time`] reads it.
type HistoryRow = (String, Option<String>, Option<String>, Option<String>, i64, String);

fn visit_history(s: &Seeded, id: i64) -> Vec<HistoryRow> {
    s.conn()
        .rows(
            "SELECT action, field, old_value, new_value, changed_by, changed_at FROM history \
             WHERE entity = 'visit' AND entity_id = ?1 ORDER BY id",
            args![id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, common::read_history_time(r.get(5)?))),
        )
        .expect("rows")
}

#[expect(
    clippy::needless_pass_by_value,
    reason = "called as refused(r, Refusal::…): the expected refusal reads best by value"
)]
fn refused<T: std::fmt::Debug>(result: Result<T, DbError>, why: Refusal) {
    match result {
        Err(DbError::Refused(got)) => assert_eq!(got, why),
        other => panic!("expected a refusal ({why:?}), got {other:?}"),
    }
}

fn invalid<T: std::fmt::Debug>(result: Result<T, DbError>) {
    match result {
        Err(DbError::Invalid(_)) => {}
        other => panic!("expected Invalid, got {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// planning and the calendar reads

#[test]
fn a_planned_visit_is_on_its_day_and_overdue_from_the_next() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let c = customer(&mut s, "电信帐务中心", &m);
    // Late on its day: still today's work until midnight.
    let id = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 23, 23, 30)));

    let v = load(&s, id);
    assert_eq!((v.state, v.version, v.planned_at), (VisitState::Planned, 1, at(2026, 11, 23, 23, 30)));
    assert_eq!(v.customer_name, "电信帐务中心");
    assert_eq!(v.staff, vec![(m.id, ParticipantRole::AccountManager)]);

    let (from, to) = day(date(2026, 11, 23));
    assert_eq!(ids(&visits::between(s.conn(), &VisitScope::All, from, to).unwrap()), vec![id]);
    let (from, to) = day(date(2026, 11, 24));
    assert!(visits::between(s.conn(), &VisitScope::All, from, to).unwrap().is_empty());

    let today = date(2026, 11, 23);
    let counts = visits::day_counts(s.conn(), &VisitScope::All, date(2026, 11, 1), date(2026, 11, 30), today).unwrap();
    assert_eq!(counts, vec![(today, DayCount { planned: 1, done: 0, overdue: 0 })]);
    assert!(visits::overdue(s.conn(), &VisitScope::All, today, 50).unwrap().is_empty());
    assert_eq!(v.status(at(2026, 11, 23, 23, 59)), VisitStatus::Planned);

    // The next day it counts as overdue.
    let tomorrow = date(2026, 11, 24);
    let counts =
        visits::day_counts(s.conn(), &VisitScope::All, date(2026, 11, 1), date(2026, 11, 30), tomorrow).unwrap();
    assert_eq!(counts, vec![(today, DayCount { planned: 0, done: 0, overdue: 1 })]);
    assert_eq!(ids(&visits::overdue(s.conn(), &VisitScope::All, tomorrow, 50).unwrap()), vec![id]);
    assert_eq!(v.status(at(2026, 11, 24, 0, 0)), VisitStatus::Overdue);

    // Once done it is neither planned nor overdue, and counts as done on its day.
    done_at(&mut s, &m, id, at(2026, 11, 24, 10, 0));
    assert!(visits::overdue(s.conn(), &VisitScope::All, tomorrow, 50).unwrap().is_empty());
    let counts =
        visits::day_counts(s.conn(), &VisitScope::All, date(2026, 11, 1), date(2026, 11, 30), tomorrow).unwrap();
    assert_eq!(counts, vec![(today, DayCount { planned: 0, done: 1, overdue: 0 })]);
}

#[test]
fn overdue_is_oldest_first_and_limited() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let c = customer(&mut s, "省移动", &m);
    let late = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 20, 9, 0)));
    let older = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 2, 9, 0)));
    let _today = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 23, 8, 0)));
    let today = date(2026, 11, 23);
    assert_eq!(ids(&visits::overdue(s.conn(), &VisitScope::All, today, 50).unwrap()), vec![older, late]);
    assert_eq!(ids(&visits::overdue(s.conn(), &VisitScope::All, today, 1).unwrap()), vec![older]);
}

// ---------------------------------------------------------------------------
// recording the outcome

#[test]
fn recording_a_visit_stores_outcome_participants_and_history() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let sup = s.org.supervisor.clone();
    let c = customer(&mut s, "广州电信", &m);
    let person = BTreeMap::from([("name", text("陈建国")), ("title", text("总经理"))]);
    let pid = records::insert(s.store(), &actor(&m), RecordKind::KeyPerson, &c, &person).expect("key person");
    let id = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 23, 10, 0)));
    let base = load(&s, id);

    let recorder: Actor = actor_at(&m, at(2026, 11, 23, 18, 5));
    let outcome = Outcome {
        done_at: Some(at(2026, 11, 23, 10, 20)),
        business: "账单月寄量约三万件，明年增加电子账单".to_string(),
        opinions: "对投递时限满意".to_string(),
        problems: "月底高峰偶有延误；约定高峰期提前一天交寄".to_string(),
        new_needs: "希望提供回执查询".to_string(),
        next_step: "送报价方案".to_string(),
        next_due: Some(date(2026, 12, 4)),
        staff: vec![(sup.id, ParticipantRole::Supervisor), (m.id, ParticipantRole::AccountManager)],
        persons: vec![pid],
    };
    visits::record_done(s.store(), &recorder, &base, &outcome).expect("record done");

    let v = load(&s, id);
    assert_eq!(v.state, VisitState::Done);
    assert_eq!(v.done_at, Some(at(2026, 11, 23, 10, 20)));
    assert_eq!(v.version, 2);
    assert_eq!(
        (v.business.as_str(), v.opinions.as_str(), v.problems.as_str(), v.new_needs.as_str(), v.next_step.as_str()),
        (
            outcome.business.as_str(),
            outcome.opinions.as_str(),
            outcome.problems.as_str(),
            outcome.new_needs.as_str(),
            outcome.next_step.as_str()
        )
    );
    assert_eq!(v.next_due, Some(date(2026, 12, 4)));
    assert_eq!(v.staff, vec![(m.id, ParticipantRole::AccountManager), (sup.id, ParticipantRole::Supervisor)]);
    assert_eq!(v.persons, vec![pid]);
    assert_eq!(v.purpose, "了解年度函件量，介绍商函业务", "the plan's purpose stays");

    let history = visit_history(&s, id);
    let created = &history[0];
    assert_eq!(
        (created.0.as_str(), created.4, created.5.as_str()),
        ("create", m.id, common::history_time("2026-11-23 09:00:00+08:00").as_str())
    );
    let updates: BTreeMap<String, (Option<String>, Option<String>, i64, String)> = history[1..]
        .iter()
        .map(|(action, field, old, new, by, at)| {
            assert_eq!(action, "update");
            (field.clone().expect("an update names its field"), (old.clone(), new.clone(), *by, at.clone()))
        })
        .collect();
    let stamp = common::history_time("2026-11-23 18:05:00+08:00");
    assert_eq!(updates["state"], (Some("planned".into()), Some("done".into()), m.id, stamp.clone()));
    assert_eq!(updates["done_at"], (None, Some("2026-11-23 10:20:00".into()), m.id, stamp.clone()));
    assert_eq!(updates["business"], (None, Some(outcome.business.clone()), m.id, stamp.clone()));
    assert_eq!(updates["next_due"], (None, Some("2026-12-04".into()), m.id, stamp.clone()));
    for field in ["opinions", "problems", "new_needs", "next_step"] {
        assert!(updates.contains_key(field), "no history for {field}: {updates:?}");
    }
    assert!(!updates.contains_key("purpose") && !updates.contains_key("planned_at"), "unchanged fields: {updates:?}");
}

#[test]
fn recording_without_a_time_uses_the_actors_clock() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let c = customer(&mut s, "南方航空", &m);
    let id = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 23, 10, 0)));
    let base = load(&s, id);
    visits::record_done(s.store(), &actor_at(&m, at(2026, 11, 23, 11, 45)), &base, &Outcome::default()).unwrap();
    assert_eq!(load(&s, id).done_at, Some(at(2026, 11, 23, 11, 45)));
}

// ---------------------------------------------------------------------------
// cancelling

#[test]
fn cancelling_needs_a_reason_and_keeps_the_visit() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let c = customer(&mut s, "广州地铁", &m);
    let id = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 20, 10, 0)));
    let base = load(&s, id);
    let history_before = visit_history(&s, id).len();

    invalid(visits::cancel(s.store(), &actor(&m), &base, ""));
    invalid(visits::cancel(s.store(), &actor(&m), &base, "  \t "));
    assert_eq!(load(&s, id), base, "a refused cancel changes nothing");
    assert_eq!(visit_history(&s, id).len(), history_before);

    visits::cancel(s.store(), &actor(&m), &base, "  客户临时出差  ").expect("cancel");
    let v = load(&s, id);
    assert_eq!(v.state, VisitState::Cancelled);
    assert_eq!(v.cancel_reason.as_deref(), Some("客户临时出差"));
    assert_eq!(v.version, 2);
    assert_eq!(v.status(at(2026, 11, 23, 9, 0)), VisitStatus::Cancelled);
    assert!(visits::overdue(s.conn(), &VisitScope::All, date(2026, 11, 23), 50).unwrap().is_empty());

    // The database itself refuses to forget a visit.
    let deleted = s.conn().exec("DELETE FROM visit WHERE id = ?1", args![id]);
    assert!(deleted.is_err(), "DELETE FROM visit succeeded");
    assert_eq!(s.db.count("visit"), 1);

    // A cancelled visit cannot then be recorded as done.
    let cancelled = load(&s, id);
    invalid(visits::record_done(s.store(), &actor(&m), &cancelled, &Outcome::default()));
    let after = load(&s, id);
    assert_eq!((after.state, after.version, after.done_at), (VisitState::Cancelled, 2, None));
}

// ---------------------------------------------------------------------------
// concurrent edits

#[test]
fn a_stale_base_is_a_conflict_and_writes_nothing() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let sup = s.org.supervisor.clone();
    let c = customer(&mut s, "白云机场", &m);
    let id = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 25, 10, 0)));
    let stale = load(&s, id);

    // Someone else moves the visit, through their own connection.
    let mut other: Store = s.db.reopen();
    let change = Reschedule {
        kind: VisitKind::Phone,
        planned_at: at(2026, 11, 26, 15, 0),
        duration_min: 30,
        purpose: "改为电话沟通".to_string(),
    };
    assert_eq!(visits::reschedule(&mut other, &actor(&sup), &stale, &change, false).unwrap(), 1);
    drop(other);
    let moved = load(&s, id);
    assert_eq!(moved.version, 2);

    let history = s.db.count("history");
    let participants = s.db.count("visit_staff");
    let outcome = Outcome {
        business: "不应写入".to_string(),
        staff: vec![(sup.id, ParticipantRole::Supervisor)],
        ..Outcome::default()
    };
    match visits::record_done(s.store(), &actor(&m), &stale, &outcome) {
        Err(DbError::Conflict(c)) => assert_eq!(c.current_version, 2),
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert!(matches!(visits::cancel(s.store(), &actor(&m), &stale, "重复"), Err(DbError::Conflict(_))));
    let again = Reschedule { planned_at: at(2026, 11, 27, 9, 0), ..change };
    assert!(matches!(visits::reschedule(s.store(), &actor(&m), &stale, &again, false), Err(DbError::Conflict(_))));

    assert_eq!(load(&s, id), moved, "the failed writes left the visit as the other writer saved it");
    assert_eq!(s.db.count("history"), history);
    assert_eq!(s.db.count("visit_staff"), participants);
}

// ---------------------------------------------------------------------------
// series

const WEEKLY: [(u32, u32); 6] = [(12, 1), (12, 8), (12, 15), (12, 22), (12, 29), (1, 5)];

fn weekly_series(s: &mut Seeded, by: &Staff, c: &CustomerId) -> (i64, Vec<i64>) {
    let occurrences: Vec<NaiveDateTime> =
        WEEKLY.iter().map(|&(m, d)| at(if m == 1 { 2027 } else { 2026 }, m, d, 10, 0)).collect();
    let first = NewVisit { kind: VisitKind::Phone, duration_min: 30, ..visit(c, by, occurrences[0]) };
    visits::plan_series(s.store(), &actor(by), &first, &occurrences, 1, "weeks", date(2027, 1, 10)).expect("series")
}

#[test]
fn a_series_writes_one_visit_per_occurrence() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let c = customer(&mut s, "广州银行", &m);
    let (series, ids) = weekly_series(&mut s, &m, &c);

    assert_eq!(ids.len(), WEEKLY.len());
    assert_eq!(usize::try_from(s.db.count("visit")), Ok(WEEKLY.len()));
    assert_eq!(s.db.count("visit_series"), 1);
    let (every, unit, until): (i64, String, String) = s
        .conn()
        .row("SELECT every, unit, until FROM visit_series WHERE id = ?1", args![series], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })
        .unwrap();
    assert_eq!((every, unit.as_str(), until.as_str()), (1, "weeks", "2027-01-10"));
    for (id, &(month, d)) in ids.iter().zip(WEEKLY.iter()) {
        let v = load(&s, *id);
        assert_eq!(v.series_id, Some(series));
        assert_eq!(v.planned_at, at(if month == 1 { 2027 } else { 2026 }, month, d, 10, 0));
        assert_eq!((v.kind, v.state, v.duration_min), (VisitKind::Phone, VisitState::Planned, 30));
        assert_eq!(v.staff, vec![(m.id, ParticipantRole::AccountManager)]);
    }
}

#[test]
fn rescheduling_moves_one_occurrence_or_the_rest_of_the_series() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let c = customer(&mut s, "珠江啤酒", &m);
    let (_, ids) = weekly_series(&mut s, &m, &c);
    let [dec1, dec8, dec15, dec22, dec29, jan5] = ids[..] else { panic!("six occurrences") };
    done_at(&mut s, &m, dec1, at(2026, 12, 1, 10, 30));
    done_at(&mut s, &m, dec22, at(2026, 12, 22, 10, 30));
    cancel(&mut s, &m, jan5, "元旦假期");
    let before: Vec<Visit> = ids.iter().map(|&id| load(&s, id)).collect();

    // One occurrence: only it moves.
    let base = load(&s, dec8);
    let one = Reschedule {
        kind: VisitKind::Phone,
        planned_at: at(2026, 12, 9, 14, 0),
        duration_min: 30,
        purpose: base.purpose.clone(),
    };
    assert_eq!(visits::reschedule(s.store(), &actor(&m), &base, &one, false).unwrap(), 1);
    assert_eq!(load(&s, dec8).planned_at, at(2026, 12, 9, 14, 0));
    for &id in &[dec1, dec15, dec22, dec29, jan5] {
        assert_eq!(load(&s, id), before[ids.iter().position(|&x| x == id).unwrap()], "visit {id} moved");
    }

    // This and later: planned occurrences from this one on shift by the same
    // amount (+1 day 2 hours); done, cancelled and earlier ones stay.
    let base = load(&s, dec15);
    let rest = Reschedule {
        kind: VisitKind::InPerson,
        planned_at: at(2026, 12, 16, 12, 0),
        duration_min: 60,
        purpose: "季度回访".to_string(),
    };
    assert_eq!(visits::reschedule(s.store(), &actor(&m), &base, &rest, true).unwrap(), 2);
    let moved15 = load(&s, dec15);
    let moved29 = load(&s, dec29);
    assert_eq!(moved15.planned_at, at(2026, 12, 16, 12, 0));
    assert_eq!(moved29.planned_at, at(2026, 12, 30, 12, 0));
    for v in [&moved15, &moved29] {
        assert_eq!((v.kind, v.duration_min, v.purpose.as_str(), v.version), (VisitKind::InPerson, 60, "季度回访", 2));
    }
    assert_eq!(load(&s, dec1), before[0], "an earlier done occurrence stays");
    assert_eq!(load(&s, dec8).planned_at, at(2026, 12, 9, 14, 0), "an earlier planned occurrence stays");
    assert_eq!(load(&s, dec22), before[3], "a later done occurrence stays");
    assert_eq!(load(&s, jan5), before[5], "a later cancelled occurrence stays");
}

#[test]
fn a_visit_outside_a_series_moves_alone_even_when_asked_for_the_series() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let c = customer(&mut s, "广汽", &m);
    let a = plan(&mut s, &m, &visit(&c, &m, at(2026, 12, 1, 10, 0)));
    let b = plan(&mut s, &m, &visit(&c, &m, at(2026, 12, 8, 10, 0)));
    let base = load(&s, a);
    let change = Reschedule {
        kind: base.kind,
        planned_at: at(2026, 12, 2, 10, 0),
        duration_min: base.duration_min,
        purpose: base.purpose.clone(),
    };
    assert_eq!(visits::reschedule(s.store(), &actor(&m), &base, &change, true).unwrap(), 1);
    assert_eq!(load(&s, b).planned_at, at(2026, 12, 8, 10, 0));
}

/// SPEC §5: only planned visits are rescheduled; a done visit's time is history.
#[test]
fn only_planned_visits_can_be_rescheduled() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let c = customer(&mut s, "越秀集团", &m);
    let done = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 20, 10, 0)));
    done_at(&mut s, &m, done, at(2026, 11, 20, 10, 30));
    let cancelled = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 21, 10, 0)));
    cancel(&mut s, &m, cancelled, "客户改期");
    for id in [done, cancelled] {
        let base = load(&s, id);
        let change = Reschedule {
            kind: base.kind,
            planned_at: at(2026, 11, 30, 10, 0),
            duration_min: base.duration_min,
            purpose: base.purpose.clone(),
        };
        invalid(visits::reschedule(s.store(), &actor(&m), &base, &change, false));
        assert_eq!(load(&s, id), base);
    }
}

// ---------------------------------------------------------------------------
// batches

#[test]
fn planning_many_is_all_or_nothing() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let m2 = s.org.manager2.clone();
    let mine1 = customer(&mut s, "中国石化", &m);
    let mine2 = customer(&mut s, "广州供电局", &m);
    let theirs = customer(&mut s, "广州自来水", &m2);
    let history = s.db.count("history");

    let batch = vec![
        visit(&mine1, &m, at(2026, 12, 1, 9, 0)),
        visit(&mine2, &m, at(2026, 12, 2, 9, 0)),
        visit(&theirs, &m, at(2026, 12, 3, 9, 0)),
        visit(&mine1, &m, at(2026, 12, 4, 9, 0)),
    ];
    refused(visits::plan_many(s.store(), &actor(&m), &batch), Refusal::NotYourCustomer);
    assert_eq!(s.db.count("visit"), 0, "no visit of the refused batch is kept");
    assert_eq!(s.db.count("visit_staff"), 0);
    assert_eq!(s.db.count("history"), history);

    let ok: Vec<NewVisit> = batch.into_iter().filter(|v| v.customer_id != theirs).collect();
    let ids = visits::plan_many(s.store(), &actor(&m), &ok).expect("plan many");
    assert_eq!(ids.len(), 3);
    assert_eq!(s.db.count("visit"), 3);
    for (id, v) in ids.iter().zip(&ok) {
        let stored = load(&s, *id);
        assert_eq!((stored.customer_id.as_str(), stored.planned_at), (v.customer_id.as_str(), v.planned_at));
    }
}

// ---------------------------------------------------------------------------
// scopes

#[test]
fn scopes_select_by_diary_participation_unit_and_customer() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let m2 = s.org.manager2.clone();
    let sup = s.org.supervisor.clone();
    let other_unit = add_unit(s.store(), "440104", "440104");
    let c1 = customer(&mut s, "广州日报", &m);
    let c2 = customer(&mut s, "羊城晚报", &m2);
    let c3 = customer_in(&mut s, "越秀公园", other_unit, &m2);

    let v1 = plan(&mut s, &m, &visit(&c1, &m, at(2026, 11, 25, 9, 0)));
    let with_supervisor = NewVisit {
        staff: vec![(m2.id, ParticipantRole::AccountManager), (sup.id, ParticipantRole::Supervisor)],
        ..visit(&c2, &m2, at(2026, 11, 26, 9, 0))
    };
    let v2 = plan(&mut s, &m2, &with_supervisor);
    let v3 = plan(&mut s, &m2, &NewVisit { staff: Vec::new(), ..visit(&c3, &m2, at(2026, 11, 27, 9, 0)) });
    // A visit planned by a supervisor into a manager's diary.
    let v4 = plan(&mut s, &sup, &NewVisit { staff: Vec::new(), ..visit(&c1, &m, at(2026, 11, 28, 9, 0)) });

    assert_eq!(in_scope(&s, &VisitScope::Staff(m.id)), vec![v1, v4]);
    assert_eq!(in_scope(&s, &VisitScope::Staff(m2.id)), vec![v2, v3]);
    assert_eq!(in_scope(&s, &VisitScope::Staff(sup.id)), vec![v2], "a participant sees the visit");
    assert_eq!(in_scope(&s, &VisitScope::Staff(s.org.leader.id)), Vec::<i64>::new());
    assert_eq!(in_scope(&s, &VisitScope::Unit(s.org.unit)), vec![v1, v2, v4]);
    assert_eq!(in_scope(&s, &VisitScope::Unit(other_unit)), vec![v3]);
    assert_eq!(in_scope(&s, &VisitScope::Customer(c2.clone())), vec![v2]);
    assert_eq!(in_scope(&s, &VisitScope::Customer(c1.clone())), vec![v1, v4]);
    assert_eq!(in_scope(&s, &VisitScope::All), vec![v1, v2, v3, v4]);

    // The other reads honour the scope too.
    let today = date(2026, 12, 1);
    assert_eq!(ids(&visits::overdue(s.conn(), &VisitScope::Staff(sup.id), today, 50).unwrap()), vec![v2]);
    assert_eq!(ids(&visits::overdue(s.conn(), &VisitScope::Unit(other_unit), today, 50).unwrap()), vec![v3]);
    let counts =
        visits::day_counts(s.conn(), &VisitScope::Staff(m.id), date(2026, 11, 1), date(2026, 11, 30), today).unwrap();
    let overdue_days: Vec<NaiveDate> = counts.iter().filter(|(_, c)| c.overdue == 1).map(|(d, _)| *d).collect();
    assert_eq!(overdue_days, vec![date(2026, 11, 25), date(2026, 11, 28)]);

    // Moved, the visit moves in its participant's diary too (the participant
    // rows carry the visit's time for the diary's index).
    let base = load(&s, v2);
    let later = Reschedule {
        kind: base.kind,
        planned_at: at(2026, 12, 3, 15, 0),
        duration_min: base.duration_min,
        purpose: base.purpose.clone(),
    };
    visits::reschedule(s.store(), &actor(&m2), &base, &later, false).unwrap();
    let december = day(date(2026, 12, 3));
    assert_eq!(ids(&visits::between(s.conn(), &VisitScope::Staff(sup.id), december.0, december.1).unwrap()), vec![v2]);
    let november = visits::between(s.conn(), &VisitScope::Staff(sup.id), at(2026, 11, 1, 0, 0), at(2026, 12, 1, 0, 0));
    assert_eq!(ids(&november.unwrap()), Vec::<i64>::new(), "gone from November");
    let counts =
        visits::day_counts(s.conn(), &VisitScope::Staff(sup.id), date(2026, 12, 1), date(2026, 12, 31), today).unwrap();
    assert_eq!(counts.iter().map(|(d, c)| (*d, c.planned)).collect::<Vec<_>>(), vec![(date(2026, 12, 3), 1)]);
}

// ---------------------------------------------------------------------------
// the standards' read

#[test]
fn done_with_roles_reads_done_visits_in_the_range_with_their_roles() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let sup = s.org.supervisor.clone();
    let leader = s.org.leader.clone();
    let c = customer(&mut s, "广东烟草", &m);
    let other = customer(&mut s, "广州港", &m);
    let both = vec![(m.id, ParticipantRole::AccountManager), (sup.id, ParticipantRole::Supervisor)];

    let record = |s: &mut Seeded, kind: VisitKind, planned: NaiveDateTime, done: NaiveDateTime, staff| {
        let id = plan(s, &m, &NewVisit { kind, ..visit(&c, &m, planned) });
        let base = load(s, id);
        let outcome = Outcome { done_at: Some(done), staff, ..Outcome::default() };
        visits::record_done(s.store(), &actor(&m), &base, &outcome).unwrap();
        id
    };
    // In November by its done day, though planned in October.
    record(&mut s, VisitKind::InPerson, at(2026, 10, 30, 9, 0), at(2026, 11, 2, 9, 0), both.clone());
    record(
        &mut s,
        VisitKind::Phone,
        at(2026, 11, 10, 9, 0),
        at(2026, 11, 10, 9, 0),
        vec![(m.id, ParticipantRole::AccountManager)],
    );
    // The last day of the range counts.
    record(
        &mut s,
        VisitKind::SeniorVisit,
        at(2026, 11, 30, 9, 0),
        at(2026, 11, 30, 23, 30),
        vec![(leader.id, ParticipantRole::Leader), (m.id, ParticipantRole::AccountManager)],
    );
    // Out of the range: done in December (though planned in November), done in October.
    record(&mut s, VisitKind::InPerson, at(2026, 11, 29, 9, 0), at(2026, 12, 1, 0, 0), both.clone());
    record(&mut s, VisitKind::InPerson, at(2026, 10, 31, 9, 0), at(2026, 10, 31, 23, 59), both.clone());
    // Not done: planned, cancelled; and another customer's.
    plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 12, 9, 0)));
    let cancelled = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 13, 9, 0)));
    cancel(&mut s, &m, cancelled, "客户搬迁");
    let theirs = plan(&mut s, &m, &visit(&other, &m, at(2026, 11, 14, 9, 0)));
    done_at(&mut s, &m, theirs, at(2026, 11, 14, 9, 0));

    let mut got = visits::done_with_roles(s.conn(), &c, date(2026, 11, 1), date(2026, 11, 30)).unwrap();
    for (_, _, roles) in &mut got {
        roles.sort();
    }
    got.sort_by_key(|(_, day, _)| *day);
    use ParticipantRole::*;
    assert_eq!(
        got,
        vec![
            (VisitKind::InPerson, date(2026, 11, 2), vec![AccountManager, Supervisor]),
            (VisitKind::Phone, date(2026, 11, 10), vec![AccountManager]),
            (VisitKind::SeniorVisit, date(2026, 11, 30), vec![AccountManager, Leader]),
        ]
    );
}

// ---------------------------------------------------------------------------
// who may plan for whom

#[test]
fn a_manager_cannot_plan_or_change_visits_of_a_customer_they_do_not_own() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let m2 = s.org.manager2.clone();
    let sup = s.org.supervisor.clone();
    let theirs = customer(&mut s, "广州酒家", &m2);
    let history = s.db.count("history");

    refused(visits::plan(s.store(), &actor(&m), &visit(&theirs, &m, at(2026, 12, 1, 9, 0))), Refusal::NotYourCustomer);
    let occurrences = [at(2026, 12, 1, 9, 0), at(2026, 12, 8, 9, 0)];
    refused(
        visits::plan_series(
            s.store(),
            &actor(&m),
            &visit(&theirs, &m, occurrences[0]),
            &occurrences,
            1,
            "weeks",
            date(2026, 12, 31),
        ),
        Refusal::NotYourCustomer,
    );
    assert_eq!((s.db.count("visit"), s.db.count("visit_series")), (0, 0));
    assert_eq!(s.db.count("history"), history);

    // Their own visit: the other manager may neither record, cancel nor move it.
    let id = plan(&mut s, &m2, &visit(&theirs, &m2, at(2026, 12, 1, 9, 0)));
    let base = load(&s, id);
    refused(visits::record_done(s.store(), &actor(&m), &base, &Outcome::default()), Refusal::NotYourCustomer);
    refused(visits::cancel(s.store(), &actor(&m), &base, "不是我的"), Refusal::NotYourCustomer);
    let change = Reschedule {
        kind: base.kind,
        planned_at: at(2026, 12, 2, 9, 0),
        duration_min: base.duration_min,
        purpose: base.purpose.clone(),
    };
    refused(visits::reschedule(s.store(), &actor(&m), &base, &change, false), Refusal::NotYourCustomer);
    assert_eq!(load(&s, id), base);

    // A supervisor plans for any customer; a leader takes part in (and plans)
    // senior visits.
    plan(&mut s, &sup, &visit(&theirs, &m2, at(2026, 12, 3, 9, 0)));
    let leader = s.org.leader.clone();
    let senior = NewVisit {
        kind: VisitKind::SeniorVisit,
        staff: vec![(leader.id, ParticipantRole::Leader), (m2.id, ParticipantRole::AccountManager)],
        ..visit(&theirs, &m2, at(2026, 12, 10, 15, 0))
    };
    plan(&mut s, &leader, &senior);
    assert_eq!(s.db.count("visit"), 3);
}

#[test]
fn planning_for_an_unknown_customer_is_not_found() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let result = visits::plan(s.store(), &actor(&m), &visit(&cid("44010699999000"), &m, at(2026, 12, 1, 9, 0)));
    assert!(matches!(result, Err(DbError::NotFound)), "{result:?}");
    assert_eq!(s.db.count("visit"), 0);
}

/// A done visit counts towards the standards; cancelling it would silently
/// undo that.
#[test]
fn a_done_visit_cannot_be_cancelled() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let c = customer(&mut s, "广州塔", &m);
    let id = plan(&mut s, &m, &visit(&c, &m, at(2026, 11, 20, 10, 0)));
    done_at(&mut s, &m, id, at(2026, 11, 20, 10, 30));
    let base = load(&s, id);
    invalid(visits::cancel(s.store(), &actor(&m), &base, "记错了"));
    assert_eq!(load(&s, id), base);
}

/// The permission check must use the stored visit's customer, not the one in
/// the caller's copy.
#[test]
fn access_is_checked_on_the_stored_visit() {
    let mut s = Seeded::new();
    let m = s.org.manager.clone();
    let m2 = s.org.manager2.clone();
    let mine = customer(&mut s, "天河城", &m);
    let theirs = customer(&mut s, "正佳广场", &m2);
    let id = plan(&mut s, &m2, &visit(&theirs, &m2, at(2026, 11, 25, 10, 0)));
    let original = load(&s, id);
    let forged = Visit { customer_id: mine, ..original.clone() };
    refused(visits::cancel(s.store(), &actor(&m), &forged, "抢单"), Refusal::NotYourCustomer);
    assert_eq!(load(&s, id), original);
}

// ---------------------------------------------------------------------------
// occasions on Today

/// The week's occasions come from birthdays and from important dates written
/// every way staff write them (full-width digits included), only for the
/// user's customers and active people; dates outside the week stay out. The
/// read skips people who cannot match before parsing, so this checks that
/// nothing that should show is skipped.
#[test]
fn the_weeks_occasions_come_from_birthdays_and_important_dates_as_written() {
    use kam::domain::dossier::FieldValue;
    use kam::review::OccasionKind;
    let mut s = Seeded::new();
    let (me, other) = (s.org.manager.clone(), s.org.manager2.clone());
    let mine = customer(&mut s, "甲", &me);
    let theirs = customer(&mut s, "乙", &other);
    let add =
        |s: &mut Seeded, owner: &Staff, cust: &CustomerId, name: &str, birthday: Option<NaiveDate>, dates: &str| {
            let mut values = BTreeMap::from([("name", text(name)), ("title", text("经理"))]);
            if let Some(b) = birthday {
                values.insert("birthday", FieldValue::Date(b));
            }
            if !dates.is_empty() {
                values.insert("important_dates", text(dates));
            }
            records::insert(s.store(), &actor(owner), RecordKind::KeyPerson, cust, &values).unwrap()
        };
    // Today is 2026-11-23 (Monday); the week runs to 11-30.
    add(&mut s, &me, &mine, "生日本周", Some(date(1975, 11, 25)), "");
    add(&mut s, &me, &mine, "生日下月", Some(date(1975, 12, 25)), "");
    add(&mut s, &me, &mine, "纪念日", None, "公司成立纪念日 11月30日");
    add(&mut s, &me, &mine, "全角", None, "结婚纪念日 １１月２４日");
    add(&mut s, &me, &mine, "横线", None, "女儿生日 2019-11-27；开业 3-8");
    add(&mut s, &me, &mine, "不在本周", None, "公司成立纪念日 11月2日");
    let gone = add(&mut s, &me, &mine, "已归档", Some(date(1980, 11, 26)), "");
    add(&mut s, &other, &theirs, "别人的客户", Some(date(1980, 11, 26)), "");
    records::set_archived(s.store(), &actor(&me), RecordKind::KeyPerson, gone, true).unwrap();

    let review = kam::review::day_review(s.conn(), &me, fixed_now(), Default::default()).unwrap();
    let people: Vec<(NaiveDate, String)> = review
        .occasions
        .iter()
        .filter_map(|o| match &o.kind {
            OccasionKind::Birthday { person } | OccasionKind::ImportantDate { person, .. } => {
                Some((o.date, person.clone()))
            }
            OccasionKind::Holiday(_) => None,
        })
        .collect();
    assert_eq!(
        people,
        vec![
            (date(2026, 11, 24), "全角".to_string()),
            (date(2026, 11, 25), "生日本周".to_string()),
            (date(2026, 11, 27), "横线".to_string()),
            (date(2026, 11, 30), "纪念日".to_string()),
        ]
    );

    // An edit moves the occasion: the days kept for Today follow the text.
    let people_of = |s: &Seeded| {
        let review = kam::review::day_review(s.conn(), &me, fixed_now(), Default::default()).unwrap();
        review
            .occasions
            .iter()
            .filter_map(|o| match &o.kind {
                OccasionKind::ImportantDate { person, label } => Some((o.date, person.clone(), label.clone())),
                _ => None,
            })
            .collect::<Vec<_>>()
    };
    let listed = records::list(s.conn(), RecordKind::KeyPerson, &mine, false).unwrap();
    let away = listed.iter().find(|r| r.value("name") == &text("不在本周")).unwrap().clone();
    let moved = [("important_dates", text("公司成立纪念日 11月26日"))];
    records::update(s.store(), &actor(&me), RecordKind::KeyPerson, &away, &moved).unwrap();
    assert!(people_of(&s).contains(&(date(2026, 11, 26), "不在本周".to_string(), "公司成立纪念日".to_string())));
    let gone = [("important_dates", FieldValue::Null)];
    let away = records::list(s.conn(), RecordKind::KeyPerson, &mine, false).unwrap();
    let away = away.iter().find(|r| r.value("name") == &text("不在本周")).unwrap();
    records::update(s.store(), &actor(&me), RecordKind::KeyPerson, away, &gone).unwrap();
    assert!(!people_of(&s).iter().any(|(_, p, _)| p == "不在本周"));

    // Schema 5 fills the days for people already there: the same rows again.
    let kept = |s: &Seeded| -> Vec<(i64, String)> {
        s.conn()
            .rows("SELECT person_id, month_day FROM person_occasion ORDER BY 1, 2", args![], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap()
    };
    let before = kept(&s);
    assert!(before.len() >= 7, "{before:?}");
    s.store()
        .write(|tx| {
            tx.exec("DELETE FROM person_occasion", args![])?;
            records::fill_occasions(tx)
        })
        .unwrap();
    assert_eq!(kept(&s), before);
}

/// Today's "behind the visit standard" as the whole standards table judges
/// it: every ranked, approved customer the user answers for, by tier rank
/// and id, with the lines ending this month it is behind on.
fn behind_by_the_table(conn: &kam::db::Conn, me: &Staff, on: NaiveDate) -> Vec<kam::review::Behind> {
    let (_, month_end) = kam::review::behind_window(on);
    kam::review::standards_table(conn, me, on, Default::default())
        .unwrap()
        .into_iter()
        .filter_map(|c| {
            let missing: Vec<_> = c.lines.into_iter().filter(|l| l.behind() && l.period_end <= month_end).collect();
            (!missing.is_empty()).then_some(kam::review::Behind {
                customer_id: c.customer.id,
                name: c.customer.short_name,
                tier: c.customer.tier,
                owner_a: c.customer.owner_a,
                missing,
            })
        })
        .collect()
}

/// Today reads "behind the visit standard" by walking the ranked customers
/// in batches through the indexes and stopping once its lines are found and
/// the count passes its cap: the same lines, in the same order, and the same
/// count, as judging the whole table did, for each role, whatever the batch
/// (one, a few, more than the book), and with a cap that stops the count.
#[test]
fn todays_behind_walk_finds_what_the_whole_table_finds() {
    let db = TestDb::new();
    let mut store = db.store;
    let on = date(2026, 11, 23);
    let options = kam::demo::DemoOptions { customers: 400, seed: 11, ..kam::demo::DemoOptions::new(on) };
    kam::demo::generate(&mut store, &options).unwrap();
    let conn = store.conn();
    let at = on.and_hms_opt(9, 0, 0).unwrap();
    for login in ["jingli01", "zhuguan", "guanli"] {
        let me = kam::db::reference::staff_by_login(conn, login).unwrap().unwrap();
        let all = behind_by_the_table(conn, &me, on);
        assert!(all.len() >= 4, "{login}: the demo has customers behind ({})", all.len());
        let review = kam::review::day_review(conn, &me, at, Default::default()).unwrap();
        let first: Vec<_> = all.iter().take(kam::review::SECTION_LIMIT).cloned().collect();
        assert_eq!(review.behind, first, "{login}: Today's lines");
        assert_eq!(review.behind_total, all.len(), "{login}: Today's count");
        for batch in [1, 3, 7, 1000] {
            let (lines, total) = kam::review::behind_walk(conn, &me, on, Default::default(), batch, 3, 1000).unwrap();
            assert_eq!((lines.as_slice(), total), (&all[..3], all.len()), "{login}: batches of {batch}");
            // A cap below the count: the walk stops one past it.
            let (lines, total) = kam::review::behind_walk(conn, &me, on, Default::default(), batch, 2, 2).unwrap();
            assert_eq!((lines.as_slice(), total), (&all[..2], 3), "{login}: batches of {batch}, capped");
        }
    }
}
