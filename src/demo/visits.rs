//! Demo visits: a history of done visits, plans for the coming weeks, a few
//! overdue ones, and a full day today for the first account manager, so that
//! Today and the calendar have something to show on first start.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime, Weekday};

use super::rng::SplitMix64;
use crate::db::customers::{self, CustomerQuery, CustomerRow};
use crate::db::visits::{NewVisit, Outcome, insert_in, mark_done_in};
use crate::db::{Actor, DbError, Store, reference};
use crate::domain::staff::Role;
use crate::domain::tier::Tier;
use crate::domain::visit::{ParticipantRole, VisitKind};

const PURPOSES: &[&str] = &[
    "季度业务回访",
    "了解年度用邮计划",
    "洽谈帐单寄递合作",
    "送达新资费方案",
    "商函业务推介",
    "协调投递时限问题",
    "续签协议沟通",
    "走访了解客户满意度",
];
const BUSINESS: &[&str] = &["业务量平稳", "用邮量较上月增长", "受行业淡季影响略有下降", "新增分支机构,寄递需求增加"];
const OPINIONS: &[&str] = &["对投递时效满意", "希望提供上门揽收", "建议增加对帐明细", "对资费有顾虑"];
const NEXT_STEPS: &[&str] = &["提交报价单", "安排主管拜访", "邀请参观邮件处理中心", "跟进协议续签"];

/// A working-day time between 09:00 and 17:00 on `day`, or the next working day.
fn working_time(rng: &mut SplitMix64, mut day: NaiveDate) -> NaiveDateTime {
    while matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
        day = day + Days::new(1);
    }
    let hour = rng.in_range(9, 16);
    let minute = if rng.chance(500) { 0 } else { 30 };
    day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN))
}

fn days_before(day: NaiveDate, n: i64) -> NaiveDate {
    day - Days::new(n.max(0).unsigned_abs())
}

fn days_after(day: NaiveDate, n: i64) -> NaiveDate {
    day + Days::new(n.max(0).unsigned_abs())
}

/// Writes the demo's visits; returns how many.
pub fn generate(
    store: &mut Store,
    rng: &mut SplitMix64,
    today: NaiveDate,
    first_manager: i64,
) -> Result<usize, DbError> {
    let conn = store.conn();
    let query = CustomerQuery::default();
    let total = customers::count(conn, &query)?;
    let rows = customers::page(conn, &query, 0, total)?;
    let refs = reference::load(conn)?;
    let supervisor = refs.staff.iter().find(|s| s.role == Role::Supervisor).map(|s| s.id);
    let mut written = 0;
    for chunk in rows.chunks(5_000) {
        written += store.write(|tx| {
            let mut n = 0;
            for c in chunk.iter().filter(|c| c.registration == "approved") {
                n += customer_visits(tx, rng, c, today, supervisor, &refs)?;
            }
            Ok(n)
        })?;
    }
    // The first account manager's day: two visits today and two left overdue.
    let mine: Vec<&CustomerRow> =
        rows.iter().filter(|c| c.owner_a == first_manager && c.registration == "approved").take(4).collect();
    written += store.write(|tx| {
        let mut n = 0;
        for (i, c) in (0i64..).zip(&mine) {
            let at = match i {
                0 => today.and_time(NaiveTime::from_hms_opt(9, 30, 0).unwrap_or(NaiveTime::MIN)),
                1 => today.and_time(NaiveTime::from_hms_opt(14, 0, 0).unwrap_or(NaiveTime::MIN)),
                _ => working_time(rng, days_before(today, 2 + i)),
            };
            plan(tx, c, at, VisitKind::InPerson, rng.pick::<&str>(PURPOSES), today, &refs)?;
            n += 1;
        }
        Ok(n)
    })?;
    Ok(written)
}

fn actor_for(refs: &reference::Reference, owner: i64, at: NaiveDateTime) -> Option<Actor> {
    refs.staff(owner).map(|s| Actor { staff: s.clone(), at })
}

fn plan(
    tx: &crate::db::Tx<'_>,
    c: &CustomerRow,
    at: NaiveDateTime,
    kind: VisitKind,
    purpose: &str,
    today: NaiveDate,
    refs: &reference::Reference,
) -> Result<i64, DbError> {
    // Plans are written a few days before they fall (or today, for today's).
    let written_at =
        days_before(at.date().min(today), 3).and_time(NaiveTime::from_hms_opt(8, 0, 0).unwrap_or(NaiveTime::MIN));
    let Some(actor) = actor_for(refs, c.owner_a, written_at) else { return Ok(0) };
    let v = NewVisit {
        customer_id: c.id.clone(),
        kind,
        planned_at: at,
        duration_min: if kind == VisitKind::Phone { 15 } else { 60 },
        owner_id: c.owner_a,
        purpose: purpose.to_string(),
        staff: vec![(c.owner_a, ParticipantRole::AccountManager)],
        persons: Vec::new(),
        follows_id: None,
    };
    insert_in(tx, &actor, &v, None)
}

fn customer_visits(
    tx: &crate::db::Tx<'_>,
    rng: &mut SplitMix64,
    c: &CustomerRow,
    today: NaiveDate,
    supervisor: Option<i64>,
    refs: &reference::Reference,
) -> Result<usize, DbError> {
    let ranked = !matches!(c.tier, Tier::General | Tier::Unranked);
    if !ranked && !rng.chance(150) {
        return Ok(0);
    }
    let mut n = 0;
    // Done visits over the last six weeks.
    let done = if ranked { rng.between(1, 3) } else { 1 };
    for _ in 0..done {
        let kind = if rng.chance(600) { VisitKind::InPerson } else { VisitKind::Phone };
        let back = rng.between(1, 45);
        let at = working_time(rng, days_before(today, back));
        if at.date() >= today {
            continue;
        }
        let id = plan(tx, c, at, kind, rng.pick::<&str>(PURPOSES), today, refs)?;
        let Some(actor) = actor_for(refs, c.owner_a, at) else { continue };
        let mut staff = vec![(c.owner_a, ParticipantRole::AccountManager)];
        if let Some(s) = supervisor.filter(|_| kind == VisitKind::InPerson && rng.chance(300)) {
            staff.push((s, ParticipantRole::Supervisor));
        }
        let outcome = Outcome {
            done_at: Some(at),
            business: rng.pick(BUSINESS).to_string(),
            opinions: rng.pick(OPINIONS).to_string(),
            next_step: rng.pick(NEXT_STEPS).to_string(),
            next_due: Some(days_after(at.date(), 21)),
            staff,
            ..Outcome::default()
        };
        mark_done_in(tx, &actor, id, &outcome)?;
        n += 1;
    }
    // Plans for the coming three weeks, and now and then one left overdue.
    if rng.chance(if ranked { 600 } else { 300 }) {
        let ahead = rng.between(0, 21);
        let at = working_time(rng, days_after(today, ahead));
        plan(tx, c, at, VisitKind::InPerson, rng.pick::<&str>(PURPOSES), today, refs)?;
        n += 1;
    }
    if ranked && rng.chance(120) {
        let back = rng.between(3, 12);
        let at = working_time(rng, days_before(today, back));
        if at.date() < today {
            plan(tx, c, at, VisitKind::Phone, rng.pick::<&str>(PURPOSES), today, refs)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Writes `count` done visits over the two years before the last six weeks,
/// spread evenly over the approved customers (ranked ones and others alike:
/// the point is the volume the calendar and the standards read through).
pub fn history(store: &mut Store, rng: &mut SplitMix64, today: NaiveDate, count: usize) -> Result<usize, DbError> {
    let conn = store.conn();
    let query = CustomerQuery::default();
    let total = customers::count(conn, &query)?;
    let rows: Vec<CustomerRow> =
        customers::page(conn, &query, 0, total)?.into_iter().filter(|c| c.registration == "approved").collect();
    if rows.is_empty() {
        return Ok(0);
    }
    let refs = reference::load(conn)?;
    let n = rows.len();
    let mut written = 0;
    for (chunk_no, chunk) in rows.chunks(2_000).enumerate() {
        written += store.write(|tx| {
            let mut done = 0;
            for (j, c) in chunk.iter().enumerate() {
                // Customer i gets its even share of `count`, remainders spread.
                let i = chunk_no * 2_000 + j;
                let share = count * (i + 1) / n - count * i / n;
                for _ in 0..share {
                    let back = rng.between(46, 730);
                    let at = working_time(rng, days_before(today, back));
                    let kind = if rng.chance(500) { VisitKind::InPerson } else { VisitKind::Phone };
                    let id = plan(tx, c, at, kind, rng.pick::<&str>(PURPOSES), today, &refs)?;
                    let Some(actor) = actor_for(&refs, c.owner_a, at) else { continue };
                    let outcome = Outcome {
                        done_at: Some(at),
                        business: rng.pick(BUSINESS).to_string(),
                        opinions: rng.pick(OPINIONS).to_string(),
                        next_step: rng.pick(NEXT_STEPS).to_string(),
                        staff: vec![(c.owner_a, ParticipantRole::AccountManager)],
                        ..Outcome::default()
                    };
                    mark_done_in(tx, &actor, id, &outcome)?;
                    done += 1;
                }
            }
            Ok(done)
        })?;
    }
    Ok(written)
}
