//! Complaint storage: numbers, deadlines, the workflow with its timeline,
//! follow-up, and nothing ever deleted.

use crate::common;

use common::*;
use kam::db::DbError;
use kam::db::complaints::{self, ComplaintFilter, NewComplaint, StepDetails};
use kam::db::customers;
use kam::db::sql::{Sql, args};
use kam::domain::complaint::{Category, Channel, ComplaintState, Locality, Satisfaction, Severity, Transition};
use kam::domain::id::CustomerId;
use kam::domain::tier::TierPreset;

fn setup() -> (Seeded, CustomerId) {
    let mut s = Seeded::new();
    let a = actor(&s.org.manager);
    let new = new_customer("华信物流", "广州华信物流有限公司", s.org.unit, s.org.manager.id);
    let id = customers::create(s.store(), &a, &new, TierPreset::GuangdongScore).unwrap();
    (s, id)
}

fn complaint(customer: &CustomerId, received_at: chrono::NaiveDateTime, locality: Locality) -> NewComplaint {
    NewComplaint {
        customer_id: customer.clone(),
        received_at,
        channel: Channel::Hotline,
        complainant: "陈先生".into(),
        contact: "13900001111".into(),
        category: Category::Delay,
        description: "月结帐单延误三天送达".into(),
        severity: Severity::Normal,
        locality,
        department: "投递部".into(),
    }
}

#[test]
fn filing_numbers_by_year_and_sets_the_deadline() {
    let (mut s, customer) = setup();
    let a = actor(&s.org.supervisor);
    let (id1, n1) =
        complaints::file(s.store(), &a, &complaint(&customer, at(2026, 11, 23, 23, 50), Locality::City)).unwrap();
    let (_, n2) =
        complaints::file(s.store(), &a, &complaint(&customer, at(2026, 11, 24, 9, 0), Locality::Rural)).unwrap();
    assert_eq!(n1, "TS2026-000001");
    assert_eq!(n2, "TS2026-000002");
    let c = complaints::load(s.conn(), id1).unwrap();
    assert_eq!(
        c.deadline,
        at(2026, 11, 23, 23, 59) + chrono::Duration::seconds(59),
        "a city complaint is due the same day"
    );
    assert_eq!(c.received_by, s.org.supervisor.id, "whoever receives it is first-responsible");
    assert_eq!(c.state, ComplaintState::Received);
    assert_eq!(complaints::timeline(s.conn(), id1).unwrap().len(), 1);
}

#[test]
fn the_whole_workflow_is_recorded_and_close_needs_satisfaction() {
    let (mut s, customer) = setup();
    let boss = actor(&s.org.supervisor);
    let (id, _) = complaints::file(s.store(), &boss, &complaint(&customer, fixed_now(), Locality::City)).unwrap();
    let steps = [
        (Transition::Assign, ComplaintState::Assigned),
        (Transition::Start, ComplaintState::InProgress),
        (Transition::Escalate, ComplaintState::Escalated),
        (Transition::Resolve, ComplaintState::Resolved),
    ];
    for (t, expected) in steps {
        let c = complaints::load(s.conn(), id).unwrap();
        let d = StepDetails { handler: Some(s.org.manager.id), result: "已加急投递".into(), ..Default::default() };
        assert_eq!(complaints::step(s.store(), &boss, &c, t, &d).unwrap(), expected);
    }
    // Closing before the customer's satisfaction is confirmed is refused and writes nothing.
    let c = complaints::load(s.conn(), id).unwrap();
    let events = complaints::timeline(s.conn(), id).unwrap().len();
    assert!(matches!(
        complaints::step(s.store(), &boss, &c, Transition::Close, &StepDetails::default()),
        Err(DbError::Workflow(kam::domain::complaint::WorkflowError::SatisfactionNotConfirmed))
    ));
    assert_eq!(complaints::timeline(s.conn(), id).unwrap().len(), events);
    assert_eq!(complaints::load(s.conn(), id).unwrap().version, c.version);

    let c = complaints::load(s.conn(), id).unwrap();
    complaints::step(
        s.store(),
        &boss,
        &c,
        Transition::ConfirmSatisfaction(Satisfaction::Satisfied),
        &StepDetails::default(),
    )
    .unwrap();
    let c = complaints::load(s.conn(), id).unwrap();
    assert_eq!(
        complaints::step(s.store(), &boss, &c, Transition::Close, &StepDetails::default()).unwrap(),
        ComplaintState::Closed
    );
    let c = complaints::load(s.conn(), id).unwrap();
    assert!(c.closed_at.is_some());
    let kinds: Vec<String> = complaints::timeline(s.conn(), id).unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["received", "assign", "start", "escalate", "resolve", "confirm", "close"]);

    // Reopen from closed: the satisfaction must be confirmed again.
    complaints::step(s.store(), &boss, &c, Transition::Reopen, &StepDetails::default()).unwrap();
    let c = complaints::load(s.conn(), id).unwrap();
    assert_eq!(c.state, ComplaintState::InProgress);
    assert_eq!(c.satisfaction, None);
    assert!(c.closed_at.is_none());
    // History rows and no deletes.
    assert!(count(s.conn(), "history WHERE entity = 'complaint' AND field = 'state'") >= 7);
    assert!(s.conn().exec("DELETE FROM complaint", args![]).is_err());
    assert!(s.conn().exec("DELETE FROM complaint_event", args![]).is_err());
    assert!(s.conn().exec("UPDATE complaint_event SET note = 'x'", args![]).is_err());
}

#[test]
fn special_cases_need_a_phone_call_first_and_overdue_sorts_first() {
    let (mut s, customer) = setup();
    let boss = actor(&s.org.supervisor);
    let (special, _) =
        complaints::file(s.store(), &boss, &complaint(&customer, at(2026, 11, 21, 10, 0), Locality::Special)).unwrap();
    let (fresh, _) =
        complaints::file(s.store(), &boss, &complaint(&customer, at(2026, 11, 23, 8, 0), Locality::City)).unwrap();
    let (old_city, _) =
        complaints::file(s.store(), &boss, &complaint(&customer, at(2026, 11, 21, 8, 0), Locality::City)).unwrap();
    for id in [special] {
        for t in [Transition::Assign, Transition::Start] {
            let c = complaints::load(s.conn(), id).unwrap();
            complaints::step(s.store(), &boss, &c, t, &StepDetails::default()).unwrap();
        }
    }
    let c = complaints::load(s.conn(), special).unwrap();
    let err = complaints::step(s.store(), &boss, &c, Transition::Resolve, &StepDetails::default()).unwrap_err();
    assert!(err.to_string().to_lowercase().contains("phone"), "{err}");
    complaints::record_phone_contact(s.store(), &boss, special, "已电话联系陈先生").unwrap();
    let c = complaints::load(s.conn(), special).unwrap();
    complaints::step(s.store(), &boss, &c, Transition::Resolve, &StepDetails { follow_up: true, ..Default::default() })
        .unwrap();
    assert!(complaints::load(s.conn(), special).unwrap().follow_up);

    let now = at(2026, 11, 23, 12, 0);
    let overdue =
        complaints::list(s.conn(), &ComplaintFilter { overdue_at: Some(now), ..Default::default() }, now, 50).unwrap();
    assert_eq!(overdue.iter().map(|c| c.id).collect::<Vec<_>>(), [old_city]);
    let all = complaints::list(s.conn(), &ComplaintFilter::default(), now, 50).unwrap();
    assert_eq!(all[0].id, old_city, "overdue first");
    assert!(all.iter().position(|c| c.id == fresh) < all.iter().position(|c| c.id == special), "then open by deadline");

    complaints::follow_up(s.store(), &boss, special, "本月帐单已按时送达", false).unwrap();
    assert!(complaints::follow_up(s.store(), &boss, special, " ", false).is_err());
    complaints::follow_up(s.store(), &boss, special, "影响已消除", true).unwrap();
    assert!(!complaints::load(s.conn(), special).unwrap().follow_up);
    assert!(complaints::last_follow_up(s.conn(), special).unwrap().is_some());
    // Today reads a page's last follow-ups in one query: the same days, and
    // none for those never followed up.
    let lasts = complaints::last_follow_ups(s.conn(), &[old_city, special, fresh]).unwrap();
    for id in [old_city, special, fresh] {
        assert_eq!(lasts.get(&id).copied(), complaints::last_follow_up(s.conn(), id).unwrap(), "complaint {id}");
    }
    assert!(lasts.contains_key(&special));
    assert!(complaints::last_follow_ups(s.conn(), &[]).unwrap().is_empty());
}

#[test]
fn the_overdue_report_lists_only_overdue_open_complaints() {
    let (mut s, customer) = setup();
    let boss = actor(&s.org.supervisor);
    complaints::file(s.store(), &boss, &complaint(&customer, at(2026, 11, 20, 9, 0), Locality::City)).unwrap();
    complaints::file(s.store(), &boss, &complaint(&customer, at(2026, 11, 23, 9, 0), Locality::Rural)).unwrap();
    let reference = kam::db::reference::load(s.conn()).unwrap();
    let now = at(2026, 11, 23, 10, 0);
    let text = kam::commands::complaints::complaints_text(
        s.conn(),
        &reference,
        &s.org.supervisor,
        now,
        kam::i18n::Lang::En,
        true,
    )
    .unwrap();
    assert!(text.contains("Overdue complaints") && text.contains("(1)"), "{text}");
    assert!(text.contains("TS2026-000001") && !text.contains("TS2026-000002"), "{text}");
    assert!(text.contains("2d 10h overdue"), "{text}");
    let zh = kam::commands::complaints::complaints_text(
        s.conn(),
        &reference,
        &s.org.supervisor,
        now,
        kam::i18n::Lang::Zh,
        false,
    )
    .unwrap();
    assert!(zh.contains("超时 2天10小时") && zh.contains("剩余 2天13小时"), "{zh}");
}

#[test]
fn a_follow_up_falls_due_a_month_after_the_last_note() {
    let (mut s, customer) = setup();
    let boss = actor_at(&s.org.supervisor, at(2026, 10, 10, 9, 0));
    let (id, _) =
        complaints::file(s.store(), &boss, &complaint(&customer, at(2026, 10, 10, 9, 0), Locality::City)).unwrap();
    for t in [Transition::Assign, Transition::Start, Transition::Resolve] {
        let c = complaints::load(s.conn(), id).unwrap();
        complaints::step(s.store(), &boss, &c, t, &StepDetails { follow_up: true, ..Default::default() }).unwrap();
    }
    let standard = kam::domain::visit_standard::StandardPreset::default();
    let before = kam::review::day_review(s.conn(), &s.org.supervisor, at(2026, 11, 9, 9, 0), standard).unwrap();
    assert!(before.follow_ups_due.is_empty(), "not due before a month has passed");
    let due = kam::review::day_review(s.conn(), &s.org.supervisor, at(2026, 11, 10, 9, 0), standard).unwrap();
    assert_eq!(due.follow_ups_due.iter().map(|c| c.id).collect::<Vec<_>>(), [id]);
    // A note resets the clock.
    let later = actor_at(&s.org.supervisor, at(2026, 11, 11, 10, 0));
    complaints::follow_up(s.store(), &later, id, "已跟进", false).unwrap();
    let after = kam::review::day_review(s.conn(), &s.org.supervisor, at(2026, 11, 12, 9, 0), standard).unwrap();
    assert!(after.follow_ups_due.is_empty());
}
