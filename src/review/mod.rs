//! The day's review: what the Today screen and `kam agenda` show. It gathers
//! through the db layer and judges with the domain rules; it draws nothing.

pub mod appraisal;
pub mod goals;
pub mod lines;

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};

use crate::db::complaints::{self, Complaint, ComplaintFilter};
use crate::db::customers::{self, CustomerFilter, CustomerQuery, CustomerRow, SortColumn};
use crate::db::visits::{self, Visit, VisitScope};
use crate::db::{DbError, records};
use crate::domain::complaint::follow_up_due;
use crate::domain::holidays::{
    Holiday, holidays_between, month_days_within, next_occurrence, parse_important_dates, upcoming_birthday,
};
use crate::domain::id::CustomerId;
use crate::domain::staff::{Role, Staff};
use crate::domain::tier::Tier;
use crate::domain::visit_standard::{Compliance, DoneVisit, Period, StandardPreset, compliance, period_bounds};

/// How many days ahead occasions are announced.
pub const OCCASION_DAYS: u32 = 7;
/// Lines per section before "and N more".
pub const SECTION_LIMIT: usize = 50;

/// A customer short of its visit standard, and what is missing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behind {
    pub customer_id: CustomerId,
    pub name: String,
    pub tier: Tier,
    pub owner_a: i64,
    pub missing: Vec<Compliance>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OccasionKind {
    Birthday { person: String },
    ImportantDate { person: String, label: String },
    Holiday(Holiday),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occasion {
    pub date: NaiveDate,
    /// None for a holiday (it concerns every customer).
    pub customer_id: Option<CustomerId>,
    pub customer_name: String,
    pub owner_a: Option<i64>,
    pub kind: OccasionKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DayReview {
    pub today: Vec<Visit>,
    pub overdue: Vec<Visit>,
    pub behind: Vec<Behind>,
    pub behind_total: usize,
    pub occasions: Vec<Occasion>,
    pub stale: Vec<CustomerRow>,
    pub stale_total: u64,
    /// Open complaints the user answers for, overdue first.
    pub complaints: Vec<Complaint>,
    /// Complaints still affecting business whose monthly follow-up note is due.
    pub follow_ups_due: Vec<Complaint>,
    /// Supervisors' comments on the user's log entries not seen yet.
    pub new_comments: Vec<crate::db::marketing::NewComment>,
    /// Registrations waiting for the user's decision (supervisors: their unit
    /// and the units below), oldest first, and how many in all.
    pub registrations: Vec<customers::PendingRegistration>,
    pub registrations_total: u64,
    /// Supervisors: the analysis reports their unit and the units below it
    /// owe and have not submitted (SPEC §13.4), soonest deadline first.
    pub reports_due: Vec<crate::db::analysis_report::ReportDue>,
    /// Service requests due today or overdue (SPEC §9): an account manager's
    /// customers' (and those they received and have yet to pass on), a
    /// supervisor's unit's; overdue first; and how many in all.
    pub requests: Vec<crate::db::requests::ServiceRequest>,
    pub requests_total: u64,
    /// Contracts waiting on a step the user decides (SPEC §12), the longest
    /// waiting first.
    pub contracts_waiting: Vec<crate::db::contracts::Contract>,
    /// Contracts in force ending within 60 days (or past their end and not
    /// ended) of the customers the user answers for, the soonest first.
    pub contracts_ending: Vec<crate::db::contracts::Contract>,
    /// Marketing plans missing (the previous period ended without one) and
    /// due (the current period, none handed in yet), missing first; the
    /// user's customers (A), a supervisor's unit (SPEC §13.2); and how many in all.
    pub plans: Vec<crate::domain::plan::PlanGap>,
    pub plans_total: usize,
    /// Supervisors and the administrator: plans handed in and waiting for their review.
    pub plans_to_review: Vec<crate::db::plans::Plan>,
    /// Development-pipeline steps past their due day (SPEC §13.5): an
    /// account manager's own prospects, anyone else's unit's; the longest
    /// overdue first; and how many in all.
    pub pipeline_overdue: Vec<crate::db::pipeline::Prospect>,
    pub pipeline_overdue_total: u64,
    /// Supervisors, leaders and administrators see their unit; account managers their own.
    pub unit_wide: bool,
}

/// A customer with where it stands against each line of its visit standard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerCompliance {
    pub customer: CustomerRow,
    pub lines: Vec<Compliance>,
}

impl CustomerCompliance {
    pub fn behind(&self) -> bool {
        self.lines.iter().any(Compliance::behind)
    }
}

/// Whose customers a staff member answers for: their own (account managers) or
/// their unit's (everyone else). Returns (owner, unit) filters.
pub fn responsibility(user: &Staff) -> (Option<i64>, Option<i64>) {
    if user.role == Role::Manager { (Some(user.id), None) } else { (None, Some(user.unit_id)) }
}

/// Every ranked customer the user answers for, against the visit standard on
/// `on` (each line over its own period). One query for the customers, one for
/// their visits.
pub fn standards_table(
    conn: &crate::db::Conn,
    user: &Staff,
    on: NaiveDate,
    standard: StandardPreset,
) -> Result<Vec<CustomerCompliance>, DbError> {
    let (year_start, _) = period_bounds(Period::Year, on);
    standards_since(conn, user, on, standard, year_start)
}

/// [`standards_table`] counting only the visits since `since`: exact for the
/// lines whose period starts on or after it, which is all Today looks at.
fn standards_since(
    conn: &crate::db::Conn,
    user: &Staff,
    on: NaiveDate,
    standard: StandardPreset,
    since: NaiveDate,
) -> Result<Vec<CustomerCompliance>, DbError> {
    let (owner, unit) = responsibility(user);
    // General and unranked customers have no visit standard: leave them out in SQL.
    let filter = CustomerFilter { mine_of: owner, unit, ranked_only: true, ..Default::default() };
    let mut rows = customers::all_matching(conn, &CustomerQuery { filter, ..Default::default() })?;
    rows.sort_by(|a, b| a.tier.rank().cmp(&b.tier.rank()).then_with(|| a.id.cmp(&b.id)));
    let done = visits::done_for_customers(conn, owner, unit, since, on)?;
    Ok(rows
        .into_iter()
        .filter(|r| r.registration == "approved")
        .map(|r| {
            let mine: &[DoneVisit] = done.get(&r.id).map(Vec::as_slice).unwrap_or(&[]);
            CustomerCompliance { lines: compliance(standard, r.tier, on, mine), customer: r }
        })
        .collect())
}

/// How many customers behind the standard Today counts before it says "over
/// [`BEHIND_CAP`]": the walk stops at one more.
pub const BEHIND_CAP: usize = 1000;
/// Customers read per step of [`behind_walk`].
const BEHIND_BATCH: u64 = 200;

/// The lines of the standard Today looks at on `today`: those whose period
/// ends this month. Returns the month's last day, and the first day of the
/// earliest of those periods (most of the year, the month's first day):
/// visits before it count for none of them.
pub fn behind_window(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let (_, month_end) = period_bounds(Period::Month, today);
    let since = [Period::Month, Period::Quarter, Period::HalfYear, Period::Year]
        .into_iter()
        .map(|p| period_bounds(p, today))
        .filter(|(_, end)| *end <= month_end)
        .map(|(start, _)| start)
        .min()
        .unwrap_or(today);
    (since, month_end)
}

/// Today's "behind the visit standard": the ranked, approved customers the
/// user answers for, by tier rank and id, with the lines of the standard
/// they are behind on that end this month (see [`behind_window`]). Walks
/// the customers `batch` at a time through the (…, tier_rank, id) indexes,
/// each batch's visits in one indexed query, and stops once `shown` are
/// found and the count passes `cap`: at most `shown` lines, and how many in
/// all (`cap + 1` meaning more than `cap`). When few customers are behind,
/// the walk reads the whole ranked book the user answers for.
pub fn behind_walk(
    conn: &crate::db::Conn,
    user: &Staff,
    on: NaiveDate,
    standard: StandardPreset,
    batch: u64,
    shown: usize,
    cap: usize,
) -> Result<(Vec<Behind>, usize), DbError> {
    let (owner, unit) = responsibility(user);
    let (since, month_end) = behind_window(on);
    let batch_size = batch.max(1);
    let mut ranks: Vec<u8> =
        Tier::ALL.iter().filter(|t| !matches!(t, Tier::General | Tier::Unranked)).map(|t| t.rank()).collect();
    ranks.sort_unstable();
    ranks.dedup();
    let mut behind = Vec::new();
    let mut total = 0usize;
    for rank in ranks {
        let mut after: Option<CustomerId> = None;
        loop {
            let batch = visits::standard_customers_after(conn, owner, unit, rank, after.as_ref(), batch_size)?;
            let Some(last) = batch.last() else { break };
            after = Some(last.id.clone());
            let ids: Vec<CustomerId> = batch.iter().map(|c| c.id.clone()).collect();
            let done = visits::done_of_customers(conn, &ids, since, on)?;
            let full = batch.len() as u64 == batch_size;
            for c in batch {
                let mine: &[DoneVisit] = done.get(&c.id).map(Vec::as_slice).unwrap_or(&[]);
                // "This month": monthly lines, and longer periods that end this month.
                let missing: Vec<Compliance> = compliance(standard, c.tier, on, mine)
                    .into_iter()
                    .filter(|l| l.behind() && l.period_end <= month_end)
                    .collect();
                if missing.is_empty() {
                    continue;
                }
                total += 1;
                if behind.len() < shown {
                    behind.push(Behind {
                        customer_id: c.id,
                        name: c.short_name,
                        tier: c.tier,
                        owner_a: c.owner_a,
                        missing,
                    });
                }
                if total > cap {
                    return Ok((behind, total));
                }
            }
            if !full {
                break;
            }
        }
    }
    Ok((behind, total))
}

/// Everything the user should look at today.
pub fn day_review(
    conn: &crate::db::Conn,
    user: &Staff,
    now: NaiveDateTime,
    standard: StandardPreset,
) -> Result<DayReview, DbError> {
    let today = now.date();
    let unit_wide = user.role != Role::Manager;
    let (owner, unit) = responsibility(user);
    let scope = if unit_wide { VisitScope::Unit(user.unit_id) } else { VisitScope::Staff(user.id) };
    let midnight = today.and_time(NaiveTime::MIN);

    let today_visits = visits::between(conn, &scope, midnight, midnight + Days::new(1))?;
    let overdue = visits::overdue(conn, &scope, today, SECTION_LIMIT as u64)?;

    let filter = CustomerFilter { mine_of: owner, unit, ..Default::default() };
    let (behind, behind_total) = behind_walk(conn, user, today, standard, BEHIND_BATCH, SECTION_LIMIT, BEHIND_CAP)?;

    let occasions = week_occasions(conn, owner, unit, today)?;

    let stale_query = CustomerQuery {
        filter: CustomerFilter { stale_on: Some(today), ..filter },
        sort: SortColumn::Tier,
        ..Default::default()
    };
    let (stale, stale_total) = match owner {
        Some(me) => {
            let (rows, total) = customers::stale_of_owner(conn, me, today, SECTION_LIMIT as u64)?;
            (rows, total)
        }
        None => (customers::page(conn, &stale_query, 0, SECTION_LIMIT as u64)?, customers::count(conn, &stale_query)?),
    };
    let complaint_filter = ComplaintFilter { open_only: true, mine: owner, unit, ..Default::default() };
    let complaints = complaints::list(conn, &complaint_filter, now, SECTION_LIMIT as u64)?;
    let follow_filter = ComplaintFilter { follow_up_only: true, mine: owner, unit, ..Default::default() };
    let mut follow_ups_due = Vec::new();
    let follow = complaints::list(conn, &follow_filter, now, SECTION_LIMIT as u64)?;
    let ids: Vec<i64> = follow.iter().map(|c| c.id).collect();
    let lasts = complaints::last_follow_ups(conn, &ids)?;
    for c in follow {
        let last = lasts.get(&c.id).copied().unwrap_or(c.received_at.date());
        if follow_up_due(Some(last), last, today).is_some() {
            follow_ups_due.push(c);
        }
    }
    let (registrations, registrations_total) = if user.may_decide().is_ok() {
        customers::pending_registrations(conn, user.unit_id, SECTION_LIMIT as u64)?
    } else {
        (Vec::new(), 0)
    };
    let reports_due = if user.role == Role::Supervisor {
        crate::db::analysis_report::due_for(conn, user.unit_id, today)?
    } else {
        Vec::new()
    };
    let (requests, requests_total) = requests_due(conn, owner, unit, now)?;
    let contracts_waiting = crate::db::contracts::waiting_for(conn, user, SECTION_LIMIT as u64)?;
    let contracts_ending = crate::db::contracts::ending_within(
        conn,
        owner,
        unit,
        today,
        crate::domain::contract::ENDING_SOON_DAYS,
        SECTION_LIMIT as u64,
    )?;
    let (plans, plans_total, plans_to_review) = plan_review(conn, user, today)?;
    let (pipeline_overdue, pipeline_overdue_total) = pipeline_overdue(conn, user, today)?;
    Ok(DayReview {
        pipeline_overdue,
        pipeline_overdue_total,
        contracts_waiting,
        contracts_ending,
        plans,
        plans_total,
        plans_to_review,
        reports_due,
        requests,
        requests_total,
        today: today_visits,
        overdue,
        behind,
        behind_total,
        occasions,
        stale,
        stale_total,
        complaints,
        follow_ups_due,
        new_comments: crate::db::marketing::unseen_comments(conn, user.id)?,
        registrations,
        registrations_total,
        unit_wide,
    })
}

/// Open service requests due by the end of today (so overdue ones too),
/// overdue first, at most a section's worth, and how many in all.
fn requests_due(
    conn: &crate::db::Conn,
    owner: Option<i64>,
    unit: Option<i64>,
    now: NaiveDateTime,
) -> Result<(Vec<crate::db::requests::ServiceRequest>, u64), DbError> {
    use crate::db::requests::{RequestFilter, count, list};
    let tomorrow = now.date().succ_opt().unwrap_or(now.date()).and_time(NaiveTime::MIN);
    let filter = RequestFilter { due_before: Some(tomorrow), to_do_of: owner, unit, ..Default::default() };
    let rows = list(conn, &filter, now, SECTION_LIMIT as u64)?;
    let total = if rows.len() < SECTION_LIMIT { rows.len() as u64 } else { count(conn, &filter)? };
    Ok((rows, total))
}

/// The pipeline's overdue steps (see [`DayReview::pipeline_overdue`]): one
/// indexed query for a section's worth; the count only when it is full.
fn pipeline_overdue(
    conn: &crate::db::Conn,
    user: &Staff,
    today: NaiveDate,
) -> Result<(Vec<crate::db::pipeline::Prospect>, u64), DbError> {
    use crate::db::pipeline::{PipelineScope, overdue, overdue_count};
    let scope =
        if user.role == Role::Manager { PipelineScope::Manager(user.id) } else { PipelineScope::Unit(user.unit_id) };
    let rows = overdue(conn, scope, today, SECTION_LIMIT as u64)?;
    let total = if rows.len() < SECTION_LIMIT { rows.len() as u64 } else { overdue_count(conn, scope, today)? };
    Ok((rows, total))
}

/// The most customers whose plans Today looks at (a supervisor of a large
/// unit sees the first ones by id; the plans list pages through the rest).
const PLAN_CUSTOMERS: u64 = 2000;

/// Today's plans: missing and due (see [`DayReview::plans`]), and those to review.
#[allow(clippy::type_complexity)]
fn plan_review(
    conn: &crate::db::Conn,
    user: &Staff,
    today: NaiveDate,
) -> Result<(Vec<crate::domain::plan::PlanGap>, usize, Vec<crate::db::plans::Plan>), DbError> {
    use crate::db::plans::{self, PlanScope};
    if user.role == Role::Leader {
        return Ok((Vec::new(), 0, Vec::new()));
    }
    // The previous half year at the longest: its first day is at most a year back.
    let since = today.checked_sub_days(Days::new(366)).unwrap_or(today);
    let (customers, submitted) = plans::standing_inputs(conn, PlanScope::of(user), since, PLAN_CUSTOMERS)?;
    let (gaps, total) = crate::domain::plan::gaps_shown(&customers, &submitted, today, SECTION_LIMIT);
    let waiting = plans::waiting_review(conn, user, SECTION_LIMIT as u64)?;
    Ok((gaps, total, waiting))
}

/// Birthdays, important dates and holidays from `today` through the next
/// [`OCCASION_DAYS`] days, by date, at most two sections' worth.
fn week_occasions(
    conn: &crate::db::Conn,
    owner: Option<i64>,
    unit: Option<i64>,
    today: NaiveDate,
) -> Result<Vec<Occasion>, DbError> {
    let mut occasions = Vec::new();
    let last = today + Days::new(OCCASION_DAYS as u64);
    // Day by day, so that a full section stops the reading (a unit can have
    // thousands of occasions in a week). Each person read is on the day's
    // list for a birthday or a date of theirs; only that day's occasions are
    // taken from them, so a person with two occasions in the week is listed twice.
    let days = month_days_within(today, OCCASION_DAYS);
    for (i, &(month, day)) in days.iter().enumerate() {
        for p in records::person_dates(conn, owner, unit, (month, day))? {
            let whose = |kind| Occasion {
                date: today,
                customer_id: Some(p.customer_id.clone()),
                customer_name: p.customer_name.clone(),
                owner_a: Some(p.owner_a),
                kind,
            };
            let on_this_day = |m: u32, d: u32| (m, d) == (month, day);
            if let Some(b) = p.birthday.filter(|b| on_this_day(b.month(), b.day()))
                && let Some(date) = upcoming_birthday(b, today, OCCASION_DAYS)
            {
                occasions.push(Occasion { date, ..whose(OccasionKind::Birthday { person: p.person.clone() }) });
            }
            for (label, m, d) in parse_important_dates(&p.important_dates) {
                if on_this_day(m, d)
                    && let Some(date) = next_occurrence(m, d, today).filter(|d| *d <= last)
                {
                    let kind = OccasionKind::ImportantDate { person: p.person.clone(), label };
                    occasions.push(Occasion { date, ..whose(kind) });
                }
            }
        }
        // Feb 29 in a common year falls on Feb 28, the day just read: finish it first.
        let day_done = days.get(i + 1).is_none_or(|next| *next != (2, 29));
        if day_done && occasions.len() >= SECTION_LIMIT * 2 {
            break;
        }
    }
    for (holiday, date) in holidays_between(today, last) {
        occasions.push(Occasion {
            date,
            customer_id: None,
            customer_name: String::new(),
            owner_a: None,
            kind: OccasionKind::Holiday(holiday),
        });
    }
    occasions.sort_by(|a, b| a.date.cmp(&b.date).then(a.customer_name.cmp(&b.customer_name)));
    occasions.truncate(SECTION_LIMIT * 2);
    Ok(occasions)
}
