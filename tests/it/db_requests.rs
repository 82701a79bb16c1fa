//! Service request storage (SPEC §9, issue 18): numbers, the area from the
//! address, due times, the steps with their timeline and refusals, met /
//! late / overdue, who receives and who works a request, the proactive-call
//! list and the bureau's settings; nothing ever deleted. Runs on both engines.

use crate::common;

use common::*;
use kam::db::requests::{self, NewRequest, RequestFilter, RequestProblem};
use kam::db::sql::{Sql, args};
use kam::db::{DbError, Invalid, customers};
use kam::domain::id::CustomerId;
use kam::domain::request::{
    Area, DayCount, RequestChannel, RequestError, RequestKind, RequestStatus, RequestStep, ServiceMode, Standing,
};
use kam::domain::staff::{Refusal, Role};
use kam::domain::tier::TierPreset;

/// The seeded office with a city customer (天河路) owned by the manager, and
/// a rural one (从化区温泉镇) owned by the second manager.
fn setup() -> (Seeded, CustomerId, CustomerId) {
    let mut s = Seeded::new();
    let m = actor(&s.org.manager);
    let city = new_customer("华信物流", "广州华信物流有限公司", s.org.unit, s.org.manager.id)
        .with("address", text("广州市天河区天河路385号"));
    let city = customers::create(s.store(), &m, &city, TierPreset::GuangdongScore).unwrap();
    let rural = new_customer("温泉山庄", "广州温泉山庄有限公司", s.org.unit, s.org.manager2.id)
        .with("address", text("广州市从化区温泉镇石坑村18号"));
    let m2 = actor(&s.org.manager2);
    let rural = customers::create(s.store(), &m2, &rural, TierPreset::GuangdongScore).unwrap();
    (s, city, rural)
}

fn request(customer: &CustomerId, received_at: chrono::NaiveDateTime) -> NewRequest {
    NewRequest {
        customer_id: customer.clone(),
        received_at,
        channel: RequestChannel::ServiceCentre,
        requester: "陈先生".into(),
        contact: "13900001111".into(),
        kind: RequestKind::Pickup,
        mode: ServiceMode::OnCall,
        area: None,
        special: false,
        special_reason: String::new(),
        description: "下午三点前上门揽收月结帐单".into(),
    }
}

fn special(customer: &CustomerId, received_at: chrono::NaiveDateTime) -> NewRequest {
    NewRequest {
        special: true,
        special_reason: "需先与客户确认大宗邮件的包装要求".into(),
        kind: RequestKind::OnSite,
        ..request(customer, received_at)
    }
}

fn step_problem(e: &DbError) -> Option<RequestError> {
    match e {
        DbError::Invalid(Invalid::Request(RequestProblem::Step(e))) => Some(*e),
        _ => None,
    }
}

#[test]
fn receiving_numbers_by_year_presets_the_area_and_sets_the_due_time() {
    let (mut s, city, rural) = setup();
    // The service centre's call, taken by the supervisor for the manager's customer.
    let sup = actor(&s.org.supervisor);
    let (id1, n1) = requests::receive(s.store(), &sup, &request(&city, at(2026, 11, 23, 23, 50))).unwrap();
    let (id2, n2) = requests::receive(s.store(), &sup, &request(&rural, at(2026, 11, 24, 9, 0))).unwrap();
    assert_eq!((n1.as_str(), n2.as_str()), ("FW2026-000001", "FW2026-000002"));
    let (_, n3) = requests::receive(s.store(), &sup, &request(&city, at(2027, 1, 2, 9, 0))).unwrap();
    assert_eq!(n3, "FW2027-000001", "numbers start again each year");

    let r = requests::load(s.conn(), id1).unwrap();
    assert_eq!(r.area, Area::City, "天河路: city");
    assert_eq!(r.due_at, at(2026, 11, 23, 23, 59) + chrono::Duration::seconds(59), "at 23:50, still due that day");
    assert_eq!(r.received_by, s.org.supervisor.id);
    assert_eq!(r.status, RequestStatus::Open, "received by someone else: the manager is yet to be told");
    assert_eq!(r.notified_at, None);
    assert_eq!(r.owner_a, s.org.manager.id);
    let r = requests::load(s.conn(), id2).unwrap();
    assert_eq!(r.area, Area::Rural, "温泉镇石坑村: rural");
    assert_eq!(r.due_at.date(), date(2026, 11, 26), "rural: two days after");
    // The area given overrides the address.
    let given = NewRequest { area: Some(Area::Rural), ..request(&city, at(2026, 11, 23, 9, 0)) };
    let (id, _) = requests::receive(s.store(), &sup, &given).unwrap();
    assert_eq!(requests::load(s.conn(), id).unwrap().area, Area::Rural);

    let timeline = requests::timeline(s.conn(), id1).unwrap();
    assert_eq!(timeline.len(), 1);
    assert_eq!(timeline[0].kind, "received");
    assert_eq!(timeline[0].to_status, Some(RequestStatus::Open));
    assert_eq!(timeline[0].by, "王芳");
    assert_eq!(count(s.conn(), "history WHERE entity = 'service_request' AND action = 'create'"), 4);
    let history_customer: String = s
        .conn()
        .row("SELECT customer_id FROM history WHERE entity = 'service_request' ORDER BY id LIMIT 1", args![], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(history_customer, city.as_str(), "on the customer's history");
}

#[test]
fn the_customers_own_manager_receiving_it_is_notified_at_once() {
    let (mut s, city, _) = setup();
    let m = actor(&s.org.manager);
    let call = NewRequest { channel: RequestChannel::Call, ..request(&city, at(2026, 11, 23, 8, 30)) };
    let (id, _) = requests::receive(s.store(), &m, &call).unwrap();
    let r = requests::load(s.conn(), id).unwrap();
    assert_eq!(r.status, RequestStatus::Notified);
    assert_eq!(r.notified_at, Some(fixed_now()));
    let timeline = requests::timeline(s.conn(), id).unwrap();
    assert_eq!((timeline[0].from_status, timeline[0].to_status), (None, Some(RequestStatus::Notified)));
}

#[test]
fn a_request_goes_from_receipt_to_done_with_every_step_on_its_timeline() {
    let (mut s, city, _) = setup();
    let sup = actor(&s.org.supervisor);
    let m = actor_at(&s.org.manager, at(2026, 11, 23, 10, 0));
    let (id, _) = requests::receive(s.store(), &sup, &request(&city, at(2026, 11, 23, 9, 0))).unwrap();
    let go = |s: &mut Seeded, who: &kam::db::Actor, step: RequestStep, text: &str| {
        let base = requests::load(s.conn(), id).unwrap();
        requests::step(s.store(), who, &base, step, text)
    };
    assert_eq!(go(&mut s, &sup, RequestStep::Notify, "已电话告知张伟").unwrap(), RequestStatus::Notified);
    assert_eq!(go(&mut s, &m, RequestStep::PhoneContact, "已联系陈先生").unwrap(), RequestStatus::Notified);
    assert_eq!(go(&mut s, &m, RequestStep::Start, "").unwrap(), RequestStatus::InProgress);
    // Done needs its result; refused, nothing is written.
    let before = requests::load(s.conn(), id).unwrap();
    let err = go(&mut s, &m, RequestStep::Done, "  ").unwrap_err();
    assert_eq!(step_problem(&err), Some(RequestError::ResultRequired));
    assert_eq!(requests::load(s.conn(), id).unwrap(), before);
    let done = actor_at(&s.org.manager, at(2026, 11, 23, 15, 40));
    assert_eq!(go(&mut s, &done, RequestStep::Done, "已揽收帐单 1,200 件").unwrap(), RequestStatus::Done);

    let r = requests::load(s.conn(), id).unwrap();
    assert_eq!(r.result, "已揽收帐单 1,200 件");
    assert_eq!(r.done_at, Some(at(2026, 11, 23, 15, 40)));
    assert_eq!(r.notified_at, Some(fixed_now()));
    assert_eq!(r.phone_contact_at, Some(at(2026, 11, 23, 10, 0)));
    assert_eq!(r.standing(at(2026, 11, 30, 9, 0)), Standing::Met);
    let kinds: Vec<String> = requests::timeline(s.conn(), id).unwrap().into_iter().map(|e| e.kind).collect();
    assert_eq!(kinds, ["received", "notify", "phone_contact", "start", "done"]);
    let timeline = requests::timeline(s.conn(), id).unwrap();
    assert_eq!(timeline[4].note, "已揽收帐单 1,200 件");
    assert_eq!((timeline[2].from_status, timeline[2].to_status), (None, None), "a call moves no status");
    // A done request takes no step; it is never deleted, its timeline never rewritten.
    let err = go(&mut s, &m, RequestStep::Cancel, "客户取消").unwrap_err();
    assert_eq!(
        step_problem(&err),
        Some(RequestError::NotAllowed { from: RequestStatus::Done, step: RequestStep::Cancel })
    );
    assert!(count(s.conn(), "history WHERE entity = 'service_request' AND field = 'status'") >= 3);
    assert!(s.conn().exec("DELETE FROM service_request", args![]).is_err());
    assert!(s.conn().exec("DELETE FROM service_request_event", args![]).is_err());
    assert!(s.conn().exec("UPDATE service_request_event SET note = 'x'", args![]).is_err());
    assert!(s.conn().exec("UPDATE service_request SET number = 'FW2026-000099'", args![]).is_err());
}

#[test]
fn a_special_case_is_phoned_before_it_starts_or_is_done() {
    let (mut s, city, _) = setup();
    let m = actor(&s.org.manager);
    // The reason is required.
    let no_reason = NewRequest { special_reason: " ".into(), ..special(&city, at(2026, 11, 23, 9, 0)) };
    assert!(matches!(
        requests::receive(s.store(), &m, &no_reason),
        Err(DbError::Invalid(Invalid::Required("special_reason")))
    ));
    let (id, _) = requests::receive(s.store(), &m, &special(&city, at(2026, 11, 23, 9, 0))).unwrap();
    let r = requests::load(s.conn(), id).unwrap();
    assert!(r.special);
    assert_eq!(r.due_at.date(), date(2026, 11, 26), "a special case: three days");
    for step in [RequestStep::Start, RequestStep::Done] {
        let err = requests::step(s.store(), &m, &r, step, "已处理").unwrap_err();
        assert_eq!(step_problem(&err), Some(RequestError::PhoneContactFirst), "{step:?}");
    }
    requests::step(s.store(), &m, &r, RequestStep::PhoneContact, "已与客户约定周三上门").unwrap();
    let r = requests::load(s.conn(), id).unwrap();
    requests::step(s.store(), &m, &r, RequestStep::Start, "").unwrap();
    let r = requests::load(s.conn(), id).unwrap();
    requests::step(s.store(), &m, &r, RequestStep::Done, "上门指导包装,已揽收").unwrap();
    assert_eq!(requests::load(s.conn(), id).unwrap().status, RequestStatus::Done);
    // Even written around kam, a special case is never done without its call.
    let (other, _) = requests::receive(s.store(), &m, &special(&city, at(2026, 11, 23, 9, 0))).unwrap();
    let sneak = s.conn().exec(
        "UPDATE service_request SET status = 'done', done_at = due_at, result = '已办' WHERE id = ?1",
        args![other],
    );
    assert!(sneak.is_err(), "the schema refuses a special case done without its phone contact");
}

#[test]
fn done_late_and_overdue_are_judged_by_the_end_of_the_due_day() {
    let (mut s, city, rural) = setup();
    let m = actor(&s.org.manager);
    let (late, _) = requests::receive(s.store(), &m, &request(&city, at(2026, 11, 20, 23, 50))).unwrap();
    let r = requests::load(s.conn(), late).unwrap();
    let next_morning = actor_at(&s.org.manager, at(2026, 11, 21, 0, 10));
    requests::step(s.store(), &next_morning, &r, RequestStep::Done, "次日凌晨揽收").unwrap();
    let r = requests::load(s.conn(), late).unwrap();
    assert_eq!(r.standing(fixed_now()), Standing::Late);

    let m2 = actor(&s.org.manager2);
    let (open, _) = requests::receive(s.store(), &m2, &request(&rural, at(2026, 11, 20, 16, 0))).unwrap();
    let r = requests::load(s.conn(), open).unwrap();
    assert_eq!(r.due_at.date(), date(2026, 11, 22));
    assert_eq!(r.standing(at(2026, 11, 22, 23, 59)), Standing::Pending(chrono::TimeDelta::minutes(1)));
    assert_eq!(r.standing(at(2026, 11, 23, 9, 0)), Standing::Overdue(chrono::TimeDelta::hours(9)));
    // Cancelled: needs its reason; then never overdue.
    let err = requests::step(s.store(), &m2, &r, RequestStep::Cancel, "").unwrap_err();
    assert_eq!(step_problem(&err), Some(RequestError::ReasonRequired));
    requests::step(s.store(), &m2, &r, RequestStep::Cancel, "客户改为自行交寄").unwrap();
    let r = requests::load(s.conn(), open).unwrap();
    assert_eq!((r.status, r.cancel_reason.as_str()), (RequestStatus::Cancelled, "客户改为自行交寄"));
    assert_eq!(r.standing(at(2026, 12, 31, 9, 0)), Standing::Cancelled);
}

#[test]
fn lists_put_overdue_first_then_the_least_time_left_and_filter() {
    let (mut s, city, rural) = setup();
    let sup = actor(&s.org.supervisor);
    let (overdue, _) = requests::receive(s.store(), &sup, &request(&city, at(2026, 11, 21, 10, 0))).unwrap();
    let (today, _) = requests::receive(s.store(), &sup, &request(&city, at(2026, 11, 23, 8, 0))).unwrap();
    let (later, _) = requests::receive(s.store(), &sup, &request(&rural, at(2026, 11, 23, 8, 30))).unwrap();
    let (done, _) = requests::receive(s.store(), &sup, &request(&city, at(2026, 11, 22, 8, 0))).unwrap();
    let r = requests::load(s.conn(), done).unwrap();
    let m = actor(&s.org.manager);
    requests::step(s.store(), &m, &r, RequestStep::Start, "").unwrap();
    let r = requests::load(s.conn(), done).unwrap();
    requests::step(s.store(), &m, &r, RequestStep::Done, "已揽收").unwrap();
    let now = at(2026, 11, 23, 12, 0);
    let ids_in = |conn: &kam::db::Conn, f: &RequestFilter| -> Vec<i64> {
        requests::list(conn, f, now, 50).unwrap().into_iter().map(|r| r.id).collect()
    };
    let ids = |f: &RequestFilter| ids_in(s.conn(), f);
    assert_eq!(ids(&RequestFilter::default()), [overdue, today, later, done]);
    assert_eq!(ids(&RequestFilter { overdue_at: Some(now), ..Default::default() }), [overdue]);
    // Today: due before tomorrow, so due today and overdue.
    let tomorrow = date(2026, 11, 24).and_hms_opt(0, 0, 0).unwrap();
    assert_eq!(ids(&RequestFilter { due_before: Some(tomorrow), ..Default::default() }), [overdue, today]);
    assert_eq!(ids(&RequestFilter { status: Some(RequestStatus::Done), ..Default::default() }), [done]);
    assert_eq!(ids(&RequestFilter { open_only: true, ..Default::default() }), [overdue, today, later]);
    // Mine: my customers' (A or B) and those I received.
    let mine = |who: i64| RequestFilter { mine: Some(who), ..Default::default() };
    assert_eq!(ids(&mine(s.org.manager2.id)), [later]);
    assert_eq!(ids(&mine(s.org.supervisor.id)).len(), 4, "the supervisor received them all");
    // To do: the manager's customers', and what the receiver has yet to pass on.
    let to_do = |who: i64| RequestFilter { to_do_of: Some(who), ..Default::default() };
    assert_eq!(ids(&to_do(s.org.manager2.id)), [later]);
    assert_eq!(ids(&to_do(s.org.supervisor.id)), [overdue, today, later], "received, not yet passed on");
    assert_eq!(requests::count(s.conn(), &RequestFilter { open_only: true, ..Default::default() }).unwrap(), 3);
    assert_eq!(requests::by_number(s.conn(), "FW2026-000002").unwrap().id, today);
    assert_eq!(ids(&RequestFilter { unit: Some(s.org.unit), ..Default::default() }).len(), 4);
    assert!(ids(&RequestFilter { unit: Some(s.org.unit + 1000), ..Default::default() }).is_empty());
    assert_eq!(ids(&RequestFilter { customer: Some(rural.clone()), ..Default::default() }), [later]);
    assert_eq!(ids(&RequestFilter { text: "温泉".into(), ..Default::default() }), [later]);
    assert_eq!(ids(&RequestFilter { text: "FW2026-000001".into(), ..Default::default() }), [overdue]);
    let r = requests::load(s.conn(), today).unwrap();
    requests::step(s.store(), &sup, &r, RequestStep::Notify, "已转告").unwrap();
    assert_eq!(ids_in(s.conn(), &to_do(s.org.supervisor.id)), [overdue, later], "passed on: the manager's now");
    assert_eq!(ids_in(s.conn(), &to_do(s.org.manager.id)), [overdue, today, done]);
}

#[test]
fn anyone_but_a_leader_receives_and_the_customers_people_work_it() {
    let (mut s, city, _) = setup();
    let leader = actor(&s.org.leader);
    assert!(matches!(
        requests::receive(s.store(), &leader, &request(&city, fixed_now())),
        Err(DbError::Refused(Refusal::ReadOnlyRole))
    ));
    // The second manager, who does not own it, takes the service centre's call.
    let other = actor(&s.org.manager2);
    let (id, _) = requests::receive(s.store(), &other, &request(&city, fixed_now())).unwrap();
    let r = requests::load(s.conn(), id).unwrap();
    assert_eq!(r.status, RequestStatus::Open);
    // The receiver may not start it, only tell the manager (or cancel it).
    let refused = requests::step(s.store(), &other, &r, RequestStep::Start, "").unwrap_err();
    assert!(matches!(refused, DbError::Refused(Refusal::NotYourRequest { .. })), "{refused:?}");
    requests::step(s.store(), &other, &r, RequestStep::Notify, "已转告张伟").unwrap();
    let r = requests::load(s.conn(), id).unwrap();
    let refused = requests::step(s.store(), &other, &r, RequestStep::Cancel, "重复").unwrap_err();
    assert!(matches!(refused, DbError::Refused(Refusal::NotYourRequest { .. })), "notified: no longer the receiver's");
    assert!(matches!(
        requests::step(s.store(), &leader, &r, RequestStep::PhoneContact, "x"),
        Err(DbError::Refused(Refusal::ReadOnlyRole))
    ));
    // Another unit's supervisor is told whose it is; the unit's supervisor works it.
    let far_unit = add_unit(s.store(), "440104", "440104");
    let far = s
        .store()
        .write(|tx| {
            kam::db::reference::insert_staff(
                tx,
                &kam::db::reference::NewStaff {
                    login: Some("zhou"),
                    name: "周敏",
                    unit_id: far_unit,
                    role: Role::Supervisor,
                    phone: None,
                },
            )
        })
        .unwrap();
    let far = kam::domain::staff::Staff {
        id: far,
        login: Some("zhou".into()),
        name: "周敏".into(),
        unit_id: far_unit,
        role: Role::Supervisor,
    };
    let refused = requests::step(s.store(), &actor(&far), &r, RequestStep::Start, "").unwrap_err();
    match refused {
        DbError::Refused(Refusal::NotYourRequest { unit }) => assert_eq!(unit, "天河区分公司大客户中心"),
        other => panic!("{other:?}"),
    }
    let (sup, m) = (actor(&s.org.supervisor), actor(&s.org.manager));
    requests::step(s.store(), &sup, &r, RequestStep::Start, "").unwrap();
    // A stale copy is refused.
    let stale = requests::step(s.store(), &m, &r, RequestStep::PhoneContact, "x").unwrap_err();
    assert!(matches!(stale, DbError::Conflict(_)), "{stale:?}");
}

#[test]
fn customers_quiet_for_the_bureaus_days_are_listed_for_a_call() {
    let (mut s, city, rural) = setup();
    let m = actor(&s.org.manager);
    let m2 = actor(&s.org.manager2);
    let today = date(2026, 11, 23);
    // The city customer's last pickup 14 days ago; the rural one's 13 days ago.
    requests::receive(s.store(), &m, &request(&city, at(2026, 10, 1, 9, 0))).unwrap();
    requests::receive(s.store(), &m, &request(&city, at(2026, 11, 9, 18, 0))).unwrap();
    requests::receive(s.store(), &m2, &request(&rural, at(2026, 11, 10, 9, 0))).unwrap();
    // A query, or a cancelled pickup, is no pickup.
    let query = NewRequest { kind: RequestKind::Query, ..request(&rural, at(2026, 11, 22, 9, 0)) };
    requests::receive(s.store(), &m2, &query).unwrap();
    let days = requests::quiet_days_setting(s.conn()).unwrap();
    assert_eq!(days, 14, "the default");
    let quiet = |s: &Seeded, owner: Option<i64>, days: u32| -> Vec<String> {
        requests::quiet_customers(s.conn(), owner, None, today, days, 50)
            .unwrap()
            .into_iter()
            .map(|q| q.short_name)
            .collect()
    };
    assert_eq!(quiet(&s, None, 14), ["华信物流"]);
    let listed = requests::quiet_customers(s.conn(), None, Some(s.org.unit), today, 14, 50).unwrap();
    assert_eq!(listed[0].last_pickup, date(2026, 11, 9));
    assert_eq!(listed[0].owner_a, s.org.manager.id);
    assert_eq!(quiet(&s, None, 13), ["华信物流", "温泉山庄"], "longest quiet first");
    assert_eq!(quiet(&s, Some(s.org.manager2.id), 13), ["温泉山庄"]);
    assert!(quiet(&s, Some(s.org.manager2.id), 14).is_empty());
    // A new pickup that is then cancelled changes nothing; one kept does.
    let (id, _) = requests::receive(s.store(), &m, &request(&city, at(2026, 11, 22, 9, 0))).unwrap();
    let r = requests::load(s.conn(), id).unwrap();
    requests::step(s.store(), &m, &r, RequestStep::Cancel, "客户取消").unwrap();
    assert_eq!(quiet(&s, None, 14), ["华信物流"]);
    requests::receive(s.store(), &m, &request(&city, at(2026, 11, 22, 9, 0))).unwrap();
    assert!(quiet(&s, None, 14).is_empty());
}

#[test]
fn the_bureaus_settings_are_the_administrators_with_history() {
    let (mut s, city, _) = setup();
    let unit = s.org.unit;
    let admin_staff = s
        .store()
        .write(|tx| {
            kam::db::reference::insert_staff(
                tx,
                &kam::db::reference::NewStaff {
                    login: Some("guanli"),
                    name: "管理员",
                    unit_id: unit,
                    role: Role::Admin,
                    phone: None,
                },
            )
        })
        .unwrap();
    let admin = kam::domain::staff::Staff {
        id: admin_staff,
        login: Some("guanli".into()),
        name: "管理员".into(),
        unit_id: s.org.unit,
        role: Role::Admin,
    };
    let sup = actor(&s.org.supervisor);
    assert!(matches!(requests::set_quiet_days(s.store(), &sup, 7), Err(DbError::Refused(Refusal::AdministratorOnly))));
    for bad in [0, -1, 400] {
        assert!(matches!(
            requests::set_quiet_days(s.store(), &actor(&admin), bad),
            Err(DbError::Invalid(Invalid::Request(RequestProblem::QuietDays(_))))
        ));
    }
    requests::set_quiet_days(s.store(), &actor(&admin), 7).unwrap();
    assert_eq!(requests::quiet_days_setting(s.conn()).unwrap(), 7);
    assert_eq!(count(s.conn(), "history WHERE entity = 'setting' AND entity_id = 'request_quiet_days'"), 1);

    // Working days: a rural request of a Friday is due on the Tuesday.
    assert_eq!(requests::day_count(s.conn()).unwrap(), DayCount::Calendar);
    let friday = NewRequest { area: Some(Area::Rural), ..request(&city, at(2026, 11, 27, 9, 0)) };
    let (calendar, _) = requests::receive(s.store(), &sup, &friday).unwrap();
    requests::set_day_count(s.store(), &actor(&admin), DayCount::Working).unwrap();
    assert!(requests::set_day_count(s.store(), &sup, DayCount::Calendar).is_err());
    let (working, _) = requests::receive(s.store(), &sup, &friday).unwrap();
    assert_eq!(requests::load(s.conn(), calendar).unwrap().due_at.date(), date(2026, 11, 29));
    assert_eq!(requests::load(s.conn(), working).unwrap().due_at.date(), date(2026, 12, 1));
}
