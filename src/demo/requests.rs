//! The demo's service requests (SPEC §9): each account manager's customers
//! asked for pickups, on-site service, queries and advice over the last
//! weeks, through the service centre (taken by the unit's supervisor), a
//! call or a visit. Some are overdue, some special cases (one phoned, one
//! waiting for its call), some due today, some done in time, some done late,
//! one cancelled; and a few customers who used to ask for pickups have not
//! for weeks, so the proactive-call list has names on it.
//!
//! Everything goes through `db::requests` as the people named, at times
//! before the demo's day (or early on it); the choices come from a stream of
//! their own, derived from the seed.

use chrono::{Days, NaiveDate, NaiveDateTime, NaiveTime};

use super::org::{mobile, person_name};
use super::rng::SplitMix64;
use crate::db::reference::{self, Reference};
use crate::db::requests::{self, NewRequest, ServiceRequest};
use crate::db::sql::{Sql, args};
use crate::db::{Actor, DbError, Store, Tx};
use crate::domain::id::CustomerId;
use crate::domain::request::{Area, RequestChannel, RequestKind, RequestStep, ServiceMode};
use crate::domain::staff::{Role, Staff};

/// Where a demo request ends up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Plan {
    /// A city pickup from yesterday afternoon, the manager told, not done: overdue.
    Overdue,
    /// A rural query from two days ago, being handled: due today.
    DueToday,
    /// A special case from two days ago, phoned and started: due tomorrow.
    SpecialPhoned,
    /// A special case from this morning, waiting for its phone call.
    SpecialWaiting,
    /// A pickup from the day before yesterday at 17:50, done the next
    /// morning: late (on this morning's list).
    DoneLate,
    /// A pickup from yesterday morning, done that afternoon: met.
    DoneMet,
    /// A consultation from four days ago the customer no longer needed.
    Cancelled,
    /// An on-site service from yesterday, rural, started: due tomorrow.
    InTime,
    /// A city customer's pickup asked for early this morning: due today.
    DueThisMorning,
}

impl Plan {
    const ALL: [Plan; 8] = [
        Plan::Overdue,
        Plan::DoneMet,
        Plan::DueToday,
        Plan::DoneLate,
        Plan::SpecialPhoned,
        Plan::Cancelled,
        Plan::InTime,
        Plan::SpecialWaiting,
    ];

    /// Where its customer should be, when it matters to the time limit.
    fn area(self) -> Option<Area> {
        match self {
            Plan::Overdue | Plan::DoneLate | Plan::DueThisMorning => Some(Area::City),
            Plan::DueToday | Plan::InTime => Some(Area::Rural),
            _ => None,
        }
    }
}

/// Pickups that used to come and stopped: (days ago of each, the last first).
const QUIET_PICKUPS: &[&[u64]] = &[&[21, 35, 49], &[30, 44], &[18, 32, 60]];
/// Customers who ask for pickups every few days: the last one recent.
const BUSY_PICKUPS: &[&[u64]] = &[&[6, 13, 20], &[9, 16]];

const PICKUPS: &[&str] = &[
    "月结帐单约1,200件,请下午四点前上门揽收",
    "电商小包约80件,请上门揽收",
    "年终客户答谢函8,000件,分两批揽收",
    "商业信函3,500件已封装,请安排车辆揽收",
    "报刊发行清单与样刊一批,请上门收取",
];
const ON_SITE: &[&str] = &["上门指导大宗商函的封装与交寄规范", "到客户仓库现场核对批量包裹的重量与资费"];
const QUERIES: &[&str] = &["查询上周寄往北京的3件特快专递的投递情况", "查询11月帐单中挂号信退回的原因"];
const CONSULTATIONS: &[&str] = &["咨询国际小包的资费与时限", "咨询集邮定制年册的制作周期"];
const SPECIAL_REASONS: &[&str] = &["大宗邮件的包装要求须先与客户电话确认", "客户仓库在外镇,须先电话约定上门时间与路线"];

fn at(day: NaiveDate, hour: u32, minute: u32) -> NaiveDateTime {
    day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

fn ago(today: NaiveDate, days: u64) -> NaiveDate {
    today.checked_sub_days(Days::new(days)).unwrap_or(today)
}

fn actor(staff: &Staff, at: NaiveDateTime) -> Actor {
    Actor { staff: staff.clone(), at }
}

/// The supervisor over a unit: of the unit itself, else of the nearest unit above.
fn supervisor_of(refs: &Reference, unit: i64) -> Option<&Staff> {
    let mut unit = Some(unit);
    while let Some(u) = unit {
        if let Some(s) = refs.staff.iter().find(|s| s.role == Role::Supervisor && s.unit_id == u) {
            return Some(s);
        }
        unit = refs.unit(u).and_then(|x| x.parent_id);
    }
    refs.staff.iter().find(|s| s.role == Role::Supervisor)
}

/// A manager's approved customers (A), highest tier first.
fn customers_of(tx: &Tx<'_>, owner: i64, n: u64) -> Result<Vec<CustomerId>, DbError> {
    tx.rows(
        "SELECT id FROM customer WHERE owner_a = ?1 AND archived = 0 AND registration = 'approved' \
         ORDER BY tier_rank, id LIMIT ?2",
        args![owner, n],
        |r| r.get(0),
    )
}

/// One request's making: who takes it, from where, what and when.
struct Asked<'a> {
    customer: &'a CustomerId,
    receiver: &'a Staff,
    channel: RequestChannel,
    kind: RequestKind,
    received_at: NaiveDateTime,
    special: Option<&'static str>,
    description: &'static str,
}

fn receive(tx: &Tx<'_>, rng: &mut SplitMix64, a: &Asked<'_>) -> Result<ServiceRequest, DbError> {
    let new = NewRequest {
        customer_id: a.customer.clone(),
        received_at: a.received_at,
        channel: a.channel,
        requester: person_name(rng),
        contact: mobile(rng),
        kind: a.kind,
        mode: ServiceMode::preset(a.channel),
        area: None,
        special: a.special.is_some(),
        special_reason: a.special.unwrap_or_default().to_string(),
        description: a.description.to_string(),
    };
    let (id, _) = requests::receive_in(tx, &actor(a.receiver, a.received_at), &new)?;
    requests::load(tx, id)
}

/// Takes `step` at `when`, as `who`; returns the request as it is after.
fn step(
    tx: &Tx<'_>,
    who: &Staff,
    when: NaiveDateTime,
    r: &ServiceRequest,
    step: RequestStep,
    text: &str,
) -> Result<ServiceRequest, DbError> {
    requests::step_in(tx, &actor(who, when), r, step, text)?;
    requests::load(tx, r.id)
}

/// Writes the demo's requests; returns how many.
pub fn generate(store: &mut Store, seed: u64, today: NaiveDate, first_manager: i64) -> Result<usize, DbError> {
    let mut rng = SplitMix64::new(seed ^ 0x5eed_0000_0000_0018);
    let refs = reference::load(store.conn())?;
    let mut managers: Vec<Staff> = refs.staff.iter().filter(|s| s.role == Role::Manager).cloned().collect();
    managers.sort_by_key(|m| (m.id != first_manager, m.id));
    store.write(|tx| {
        let mut written = 0;
        for (i, manager) in managers.iter().enumerate() {
            let Some(supervisor) = supervisor_of(&refs, manager.unit_id).cloned() else { continue };
            let customers = customers_of(tx, manager.id, 12)?;
            if customers.is_empty() {
                continue;
            }
            let mut areas = Vec::with_capacity(customers.len());
            for c in &customers {
                areas.push(requests::customer_area(tx, c)?);
            }
            let first = manager.id == first_manager;
            // The last customers are kept for the proactive list (pickups of
            // old and none since); the requests below go to the others.
            let quiet = if first || i % 3 == 0 { QUIET_PICKUPS.len().min(customers.len() - 1) } else { 0 };
            let served = customers.len() - quiet;
            // The first manager has one of each; the others two or three.
            let plans: Vec<Plan> = if first {
                Plan::ALL.to_vec()
            } else {
                (0..2 + i % 2).map(|k| Plan::ALL[(3 * i + k) % Plan::ALL.len()]).collect()
            };
            for (k, plan) in plans.into_iter().enumerate() {
                // A customer where the plan wants one (the area is preset from
                // its address). A manager with no customer in the countryside
                // has a city customer's request due today instead of a rural
                // one, and no other rural request.
                let fits = |j: &usize| plan.area().is_none_or(|a| areas[*j] == a);
                let (plan, j) = match (k..k + served).map(|j| j % served).find(fits) {
                    Some(j) => (plan, j),
                    None if plan == Plan::DueToday => (Plan::DueThisMorning, k % served),
                    None => continue,
                };
                make(tx, &mut rng, today, (manager, &supervisor), &customers[j], plan)?;
                written += 1;
            }
            // Pickups of old: none since for the kept customers (due a call),
            // recent ones for the next (not due).
            if quiet > 0 {
                let last = customers.iter().rev();
                let pickups = QUIET_PICKUPS[..quiet].iter().chain(BUSY_PICKUPS);
                for (customer, days) in last.zip(pickups) {
                    for &d in *days {
                        written += past_pickup(tx, &mut rng, today, manager, customer, d)?;
                    }
                }
            }
        }
        Ok(written)
    })
}

/// A pickup `days` ago, asked for on a call and done that afternoon.
fn past_pickup(
    tx: &Tx<'_>,
    rng: &mut SplitMix64,
    today: NaiveDate,
    manager: &Staff,
    customer: &CustomerId,
    days: u64,
) -> Result<usize, DbError> {
    let day = ago(today, days);
    let description = *rng.pick(PICKUPS);
    let minute = u32::try_from(days % 40).unwrap_or(0) + 10;
    let asked = asked(customer, manager, RequestChannel::Call, RequestKind::Pickup, at(day, 9, minute), description);
    let r = receive(tx, rng, &asked)?;
    let r = step(tx, manager, at(day, 14, 0), &r, RequestStep::Start, "")?;
    step(tx, manager, at(day, 15, 30), &r, RequestStep::Done, "已上门揽收,当日交寄")?;
    Ok(1)
}

/// A request of `customer` taken by `receiver`, in the customer's area as
/// its address says, no special case.
fn asked<'a>(
    customer: &'a CustomerId,
    receiver: &'a Staff,
    channel: RequestChannel,
    kind: RequestKind,
    received_at: NaiveDateTime,
    description: &'static str,
) -> Asked<'a> {
    Asked { customer, receiver, channel, kind, received_at, special: None, description }
}

/// Writes one request of `plan` for the manager's customer, its area preset
/// from the customer's address.
fn make(
    tx: &Tx<'_>,
    rng: &mut SplitMix64,
    today: NaiveDate,
    (manager, supervisor): (&Staff, &Staff),
    customer: &CustomerId,
    plan: Plan,
) -> Result<(), DbError> {
    use RequestChannel::{Call, ServiceCentre, Visit};
    use RequestKind::{Consultation, OnSite, Pickup, Query};
    let yesterday = ago(today, 1);
    match plan {
        Plan::Overdue => {
            let what = *rng.pick(PICKUPS);
            let a = asked(customer, supervisor, ServiceCentre, Pickup, at(yesterday, 16, 30), what);
            let r = receive(tx, rng, &a)?;
            step(tx, supervisor, at(yesterday, 16, 45), &r, RequestStep::Notify, "已电话转告客户经理")?;
        }
        Plan::DueToday => {
            let day = ago(today, 2);
            let what = *rng.pick(QUERIES);
            let a = asked(customer, supervisor, ServiceCentre, Query, at(day, 10, 20), what);
            let r = receive(tx, rng, &a)?;
            let r = step(tx, supervisor, at(day, 10, 35), &r, RequestStep::Notify, "")?;
            step(tx, manager, at(yesterday, 9, 0), &r, RequestStep::Start, "已向投递部调取投递记录")?;
        }
        Plan::SpecialPhoned => {
            let day = ago(today, 2);
            let what = *rng.pick(ON_SITE);
            let a = asked(customer, manager, Visit, OnSite, at(day, 15, 0), what);
            let special = Some(*rng.pick(SPECIAL_REASONS));
            let r = receive(tx, rng, &Asked { special, ..a })?;
            let r = step(tx, manager, at(day, 16, 10), &r, RequestStep::PhoneContact, "已与客户约定后天上午上门")?;
            step(tx, manager, at(yesterday, 9, 30), &r, RequestStep::Start, "")?;
        }
        Plan::SpecialWaiting => {
            let what = *rng.pick(ON_SITE);
            let a = asked(customer, supervisor, ServiceCentre, OnSite, at(today, 6, 50), what);
            let special = Some(*rng.pick(SPECIAL_REASONS));
            receive(tx, rng, &Asked { special, ..a })?;
        }
        Plan::DoneLate => {
            let (day, next) = (ago(today, 2), yesterday);
            let what = *rng.pick(PICKUPS);
            let a = asked(customer, manager, Call, Pickup, at(day, 17, 50), what);
            let r = receive(tx, rng, &a)?;
            let r = step(tx, manager, at(next, 8, 20), &r, RequestStep::Start, "当晚无车辆,次日一早上门")?;
            step(tx, manager, at(next, 10, 5), &r, RequestStep::Done, "次日上午已揽收,当日发出")?;
        }
        Plan::DoneMet => {
            let day = yesterday;
            let what = *rng.pick(PICKUPS);
            let a = asked(customer, supervisor, ServiceCentre, Pickup, at(day, 9, 40), what);
            let r = receive(tx, rng, &a)?;
            let r = step(tx, supervisor, at(day, 9, 50), &r, RequestStep::Notify, "")?;
            let r = step(tx, manager, at(day, 13, 30), &r, RequestStep::Start, "")?;
            step(tx, manager, at(day, 15, 10), &r, RequestStep::Done, "已上门揽收并开具交寄清单")?;
        }
        Plan::Cancelled => {
            let day = ago(today, 4);
            let what = *rng.pick(CONSULTATIONS);
            let a = asked(customer, manager, Call, Consultation, at(day, 11, 0), what);
            let r = receive(tx, rng, &a)?;
            step(tx, manager, at(day, 11, 30), &r, RequestStep::Cancel, "客户改为自行到网点办理")?;
        }
        Plan::DueThisMorning => {
            let what = *rng.pick(PICKUPS);
            let a = asked(customer, manager, Call, Pickup, at(today, 6, 30), what);
            receive(tx, rng, &a)?;
        }
        Plan::InTime => {
            let what = *rng.pick(ON_SITE);
            let a = asked(customer, manager, Visit, OnSite, at(yesterday, 14, 20), what);
            let r = receive(tx, rng, &a)?;
            step(tx, manager, at(yesterday, 15, 0), &r, RequestStep::Start, "已安排揽投员明天上门")?;
        }
    }
    Ok(())
}
