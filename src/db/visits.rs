//! Visits: planning (single and recurring), recording the outcome, cancelling,
//! and the reads the calendar, Today and the standards need.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};

use super::engine::{FromValue, Value};
use super::sql::{Dialect, Row, Sql, ToValue, args};
use super::{Actor, Conn, DbError, Store, Tx};
use crate::domain::id::CustomerId;
use crate::domain::visit::{ParticipantRole, VisitKind, VisitState, VisitStatus, visit_status};
use crate::domain::visit_standard::DoneVisit;

/// Whose visits a read covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum VisitScope {
    /// Visits in this staff member's diary or that they take part in.
    Staff(i64),
    /// Visits of the customers of one unit.
    Unit(i64),
    /// One customer's visits.
    Customer(CustomerId),
    #[default]
    All,
}

impl VisitScope {
    /// The scope as a condition on `v`. With `within`, the numbers of the two
    /// parameters bounding `v.planned_at` (from, to), a person's diary is read
    /// as two index ranges (owned, taken part in) instead of a probe per visit.
    fn condition(&self, args: &mut Vec<Value>, within: Option<(usize, usize)>) -> String {
        match self {
            VisitScope::Staff(id) => {
                args.push(Value::Integer(*id));
                let n = args.len();
                if let Some((from, to)) = within {
                    return format!(
                        "v.id IN (SELECT id FROM visit WHERE owner_id = ?{n} AND planned_at >= ?{from} AND planned_at < ?{to} \
                         UNION ALL SELECT visit_id FROM visit_staff \
                         WHERE staff_id = ?{n} AND staff_id <> owner_id AND planned_at >= ?{from} AND planned_at < ?{to})"
                    );
                }
                // EXISTS probes one visit's participants; `IN (SELECT …)` would first
                // gather every visit the person ever took part in.
                format!(
                    "(v.owner_id = ?{n} OR EXISTS (SELECT 1 FROM visit_staff s WHERE s.visit_id = v.id AND s.staff_id = ?{n}))"
                )
            }
            VisitScope::Unit(id) => {
                args.push(Value::Integer(*id));
                format!("c.unit_id = ?{}", args.len())
            }
            VisitScope::Customer(id) => {
                args.push(Value::Text(id.to_string()));
                format!("v.customer_id = ?{}", args.len())
            }
            VisitScope::All => "TRUE".to_string(),
        }
    }
}

/// A new planned visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVisit {
    pub customer_id: CustomerId,
    pub kind: VisitKind,
    pub planned_at: NaiveDateTime,
    pub duration_min: i64,
    /// Whose diary it goes in.
    pub owner_id: i64,
    pub purpose: String,
    pub staff: Vec<(i64, ParticipantRole)>,
    pub persons: Vec<i64>,
    /// Set when this visit is the next step of an earlier one.
    pub follows_id: Option<i64>,
}

/// What was found and agreed when the visit took place.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcome {
    pub done_at: Option<NaiveDateTime>,
    pub business: String,
    pub opinions: String,
    pub problems: String,
    pub new_needs: String,
    pub next_step: String,
    pub next_due: Option<NaiveDate>,
    pub staff: Vec<(i64, ParticipantRole)>,
    pub persons: Vec<i64>,
}

/// A visit as the screens show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    pub id: i64,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub kind: VisitKind,
    pub state: VisitState,
    pub planned_at: NaiveDateTime,
    pub duration_min: i64,
    pub done_at: Option<NaiveDateTime>,
    pub cancel_reason: Option<String>,
    pub purpose: String,
    pub business: String,
    pub opinions: String,
    pub problems: String,
    pub new_needs: String,
    pub next_step: String,
    pub next_due: Option<NaiveDate>,
    pub series_id: Option<i64>,
    pub follows_id: Option<i64>,
    pub owner_id: i64,
    pub version: i64,
    pub staff: Vec<(i64, ParticipantRole)>,
    pub persons: Vec<i64>,
}

impl Visit {
    pub fn status(&self, now: NaiveDateTime) -> VisitStatus {
        visit_status(self.state, self.planned_at, now)
    }
}

const VISIT_COLUMNS: &str = "v.id, v.customer_id, c.short_name, v.kind, v.state, v.planned_at, v.duration_min, \
     v.done_at, v.cancel_reason, coalesce(v.purpose, ''), coalesce(v.business, ''), coalesce(v.opinions, ''), \
     coalesce(v.problems, ''), coalesce(v.new_needs, ''), coalesce(v.next_step, ''), v.next_due, v.series_id, \
     v.follows_id, v.owner_id, v.version";

/// A row of (customer, kind, day, roles joined by commas) as a visit the
/// standards count; `None` for a kind or day kam no longer reads.
fn done_visit_from(r: &Row<'_>) -> Result<Option<(CustomerId, DoneVisit)>, DbError> {
    let kind: String = r.get(1)?;
    let roles: Option<String> = r.get(3)?;
    let (Some(kind), Some(date)) = (VisitKind::from_code(&kind), NaiveDate::from_value(&r.value(2)?)) else {
        return Ok(None);
    };
    let roles = roles.unwrap_or_default().split(',').filter_map(ParticipantRole::from_code).collect();
    Ok(Some((r.get::<CustomerId>(0)?, DoneVisit { kind, date, roles })))
}

fn visit_from(r: &Row<'_>) -> Result<Visit, DbError> {
    let kind: String = r.get(3)?;
    let state: String = r.get(4)?;
    Ok(Visit {
        id: r.get(0)?,
        customer_id: r.get(1)?,
        customer_name: r.get(2)?,
        kind: VisitKind::from_code(&kind).unwrap_or(VisitKind::InPerson),
        state: VisitState::from_code(&state).unwrap_or(VisitState::Planned),
        planned_at: r.get(5)?,
        duration_min: r.get(6)?,
        done_at: r.get(7)?,
        cancel_reason: r.get(8)?,
        purpose: r.get(9)?,
        business: r.get(10)?,
        opinions: r.get(11)?,
        problems: r.get(12)?,
        new_needs: r.get(13)?,
        next_step: r.get(14)?,
        next_due: r.get(15)?,
        series_id: r.get(16)?,
        follows_id: r.get(17)?,
        owner_id: r.get(18)?,
        version: r.get(19)?,
        staff: Vec::new(),
        persons: Vec::new(),
    })
}

fn stamp(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Loads one visit with its participants.
pub fn load(conn: &Conn, id: i64) -> Result<Visit, DbError> {
    let sql = format!("SELECT {VISIT_COLUMNS} FROM visit v JOIN customer c ON c.id = v.customer_id WHERE v.id = ?1");
    let mut v = conn.row(&sql, args![id], visit_from)?;
    v.staff = conn.rows(
        "SELECT staff_id, role FROM visit_staff WHERE visit_id = ?1 ORDER BY role, staff_id",
        args![id],
        |r| {
            let role: String = r.get(1)?;
            Ok((r.get(0)?, ParticipantRole::from_code(&role).unwrap_or(ParticipantRole::AccountManager)))
        },
    )?;
    v.persons =
        conn.rows("SELECT person_id FROM visit_person WHERE visit_id = ?1 ORDER BY person_id", args![id], |r| {
            r.get(0)
        })?;
    Ok(v)
}

/// A dynamic parameter list as the seam binds it.
fn bound(values: &[Value]) -> Vec<&dyn ToValue> {
    values.iter().map(|v| v as &dyn ToValue).collect()
}

/// The bureau's day of a stored visit time (`planned_at`, `done_at`), as
/// SQL: text `YYYY-MM-DD` on SQLite, a `date` on PostgreSQL.
fn day_of(conn: &Conn, time: &str) -> String {
    match conn.dialect() {
        Dialect::Sqlite => format!("substr({time}, 1, 10)"),
        // PostgreSQL: the session's time zone must be the bureau's.
        Dialect::Postgres => format!("({time})::date"),
    }
}

/// The roles of a visit's participants, comma-separated (a correlated
/// subquery on `v`).
fn roles_of_visit(conn: &Conn) -> &'static str {
    match conn.dialect() {
        Dialect::Sqlite => "(SELECT group_concat(role, ',') FROM visit_staff WHERE visit_id = v.id)",
        Dialect::Postgres => "(SELECT string_agg(role, ',') FROM visit_staff WHERE visit_id = v.id)",
    }
}

/// The visits of a scope whose planned time falls in `[from, to)`, by time.
pub fn between(conn: &Conn, scope: &VisitScope, from: NaiveDateTime, to: NaiveDateTime) -> Result<Vec<Visit>, DbError> {
    let mut args = vec![Value::Text(stamp(from)), Value::Text(stamp(to))];
    let cond = scope.condition(&mut args, Some((1, 2)));
    let sql = format!(
        "SELECT {VISIT_COLUMNS} FROM visit v JOIN customer c ON c.id = v.customer_id \
         WHERE v.planned_at >= ?1 AND v.planned_at < ?2 AND {cond} ORDER BY v.planned_at, v.id LIMIT 2000"
    );
    conn.rows(&sql, &bound(&args), visit_from)
}

/// Planned visits of a scope whose day is over (overdue), oldest first.
pub fn overdue(conn: &Conn, scope: &VisitScope, today: NaiveDate, limit: u64) -> Result<Vec<Visit>, DbError> {
    let mut args = vec![Value::Text(format!("{today} 00:00:00")), limit.to_value()];
    // Open-ended: a diary's whole past would be two long ranges; the few planned
    // visits (their partial index) are probed instead.
    let cond = scope.condition(&mut args, None);
    let sql = format!(
        "SELECT {VISIT_COLUMNS} FROM visit v JOIN customer c ON c.id = v.customer_id \
         WHERE v.state = 'planned' AND v.planned_at < ?1 AND {cond} ORDER BY v.planned_at, v.id LIMIT ?2"
    );
    conn.rows(&sql, &bound(&args), visit_from)
}

/// Per day in `[from, to]`: how many visits are planned, done and overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DayCount {
    pub planned: u32,
    pub done: u32,
    pub overdue: u32,
}

pub fn day_counts(
    conn: &Conn,
    scope: &VisitScope,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<(NaiveDate, DayCount)>, DbError> {
    let mut args = vec![
        Value::Text(format!("{from} 00:00:00")),
        Value::Text(format!("{} 00:00:00", to.succ_opt().unwrap_or(to))),
        Value::Text(today.to_string()),
    ];
    let rows_of_scope = match scope {
        // A diary straight from its two indexes, the owned half without even
        // reading the visits (the index holds time and state).
        VisitScope::Staff(id) => {
            args.push(Value::Integer(*id));
            "SELECT planned_at, state FROM visit WHERE owner_id = ?4 AND planned_at >= ?1 AND planned_at < ?2 \
             UNION ALL SELECT v.planned_at, v.state FROM visit_staff s JOIN visit v ON v.id = s.visit_id \
             WHERE s.staff_id = ?4 AND s.staff_id <> s.owner_id AND s.planned_at >= ?1 AND s.planned_at < ?2"
                .to_string()
        }
        _ => {
            let cond = scope.condition(&mut args, Some((1, 2)));
            format!(
                "SELECT v.planned_at, v.state FROM visit v JOIN customer c ON c.id = v.customer_id \
                 WHERE v.planned_at >= ?1 AND v.planned_at < ?2 AND {cond}"
            )
        }
    };
    let day = day_of(conn, "planned_at");
    let sql = format!(
        "SELECT {day} AS day, \
         sum(CASE WHEN state = 'planned' AND {day} >= ?3 THEN 1 ELSE 0 END), \
         sum(CASE WHEN state = 'done' THEN 1 ELSE 0 END), \
         sum(CASE WHEN state = 'planned' AND {day} < ?3 THEN 1 ELSE 0 END) \
         FROM ({rows_of_scope}) AS scoped GROUP BY day ORDER BY day"
    );
    let rows = conn.rows(&sql, &bound(&args), |r| {
        Ok((r.value(0)?, DayCount { planned: r.get(1)?, done: r.get(2)?, overdue: r.get(3)? }))
    })?;
    Ok(rows.into_iter().filter_map(|(d, c)| NaiveDate::from_value(&d).map(|d| (d, c))).collect())
}

/// Done visits of one customer in `[from, to]` with the roles that took part,
/// for the visit standards.
pub fn done_with_roles(
    conn: &Conn,
    customer: &CustomerId,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<Vec<(VisitKind, NaiveDate, Vec<ParticipantRole>)>, DbError> {
    let sql = format!(
        "SELECT v.kind, {}, {} \
         FROM visit v WHERE v.customer_id = ?1 AND v.state = 'done' \
         AND coalesce(v.done_at, v.planned_at) >= ?2 AND coalesce(v.done_at, v.planned_at) < ?3",
        day_of(conn, "coalesce(v.done_at, v.planned_at)"),
        roles_of_visit(conn)
    );
    let end = format!("{} 00:00:00", to.succ_opt().unwrap_or(to));
    let rows = conn.rows(&sql, args![customer, format!("{from} 00:00:00"), end], |r| {
        let kind: String = r.get(0)?;
        let roles: Option<String> = r.get(2)?;
        Ok((kind, r.value(1)?, roles))
    })?;
    Ok(rows
        .into_iter()
        .filter_map(|(k, d, roles)| {
            let roles = roles.unwrap_or_default().split(',').filter_map(ParticipantRole::from_code).collect();
            Some((VisitKind::from_code(&k)?, NaiveDate::from_value(&d)?, roles))
        })
        .collect())
}

/// Checks the actor may work on this customer's visits.
fn check_customer(tx: &Tx<'_>, actor: &Actor, customer: &CustomerId) -> Result<(), DbError> {
    // Supervisors and leaders take part in visits; the diary belongs to its owner.
    super::access::may_work_on(tx, actor, customer, super::access::Work::Visits)
}

fn write_participants(tx: &Tx<'_>, id: i64, staff: &[(i64, ParticipantRole)], persons: &[i64]) -> Result<(), DbError> {
    // These link rows carry no history of their own: the visit's history records the
    // change of outcome, and participants are set with it.
    tx.exec("DELETE FROM visit_staff WHERE visit_id = ?1", args![id])?;
    tx.exec("DELETE FROM visit_person WHERE visit_id = ?1", args![id])?;
    for (staff_id, role) in staff {
        tx.exec(
            "INSERT INTO visit_staff (visit_id, staff_id, role) VALUES (?1, ?2, ?3) ON CONFLICT DO NOTHING",
            args![id, staff_id, role.code()],
        )?;
    }
    for person in persons {
        tx.exec(
            "INSERT INTO visit_person (visit_id, person_id) VALUES (?1, ?2) ON CONFLICT DO NOTHING",
            args![id, person],
        )?;
    }
    Ok(())
}

/// Inserts a planned visit within an open transaction (also the demo generator's way in).
pub fn insert_in(tx: &Tx<'_>, actor: &Actor, v: &NewVisit, series: Option<i64>) -> Result<i64, DbError> {
    check_customer(tx, actor, &v.customer_id)?;
    let id: i64 = tx.row(
        "INSERT INTO visit (customer_id, kind, planned_at, duration_min, owner_id, purpose, series_id, follows_id, \
         created_by, created_at, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9, ?10) \
         RETURNING id",
        args![
            v.customer_id,
            v.kind.code(),
            stamp(v.planned_at),
            v.duration_min,
            v.owner_id,
            v.purpose,
            series,
            v.follows_id,
            actor.staff.id,
            actor.stamp()
        ],
        |r| r.get(0),
    )?;
    write_participants(tx, id, &v.staff, &v.persons)?;
    Ok(id)
}

/// Plans one visit.
pub fn plan(store: &mut Store, actor: &Actor, v: &NewVisit) -> Result<i64, DbError> {
    store.write(|tx| insert_in(tx, actor, v, None))
}

/// Plans many visits at once (accepted proposals of "plan my month"): all or none.
pub fn plan_many(store: &mut Store, actor: &Actor, visits: &[NewVisit]) -> Result<Vec<i64>, DbError> {
    store.write(|tx| {
        let mut ids = Vec::with_capacity(visits.len());
        for v in visits {
            ids.push(insert_in(tx, actor, v, None)?);
        }
        Ok(ids)
    })
}

/// Plans a series: one visit per occurrence time, all sharing a series id.
pub fn plan_series(
    store: &mut Store,
    actor: &Actor,
    first: &NewVisit,
    occurrences: &[NaiveDateTime],
    every: u32,
    unit: &str,
    until: NaiveDate,
) -> Result<(i64, Vec<i64>), DbError> {
    store.write(|tx| {
        check_customer(tx, actor, &first.customer_id)?;
        let series: i64 = tx.row(
            "INSERT INTO visit_series (customer_id, kind, every, unit, until, created_by, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
            args![first.customer_id, first.kind.code(), every, unit, until, actor.staff.id, actor.stamp()],
            |r| r.get(0),
        )?;
        let mut ids = Vec::new();
        for at in occurrences {
            let v = NewVisit { planned_at: *at, ..first.clone() };
            ids.push(insert_in(tx, actor, &v, Some(series))?);
        }
        Ok((series, ids))
    })
}

/// Loads the stored visit, checks the actor may work on its customer (the stored
/// one, not the caller's copy) and that nobody saved it since `base`.
fn current_for_edit(tx: &Tx<'_>, actor: &Actor, base: &Visit) -> Result<Visit, DbError> {
    let current = load(tx, base.id)?;
    check_customer(tx, actor, &current.customer_id)?;
    if current.version != base.version {
        let (by, at): (String, String) = tx.row(
            "SELECT coalesce((SELECT name FROM staff WHERE id = v.updated_by), ''), v.updated_at FROM visit v WHERE v.id = ?1",
            args![base.id],
            |r| Ok((r.get(0)?, r.get::<super::sql_types::Shown>(1)?.0)),
        )?;
        return Err(DbError::Conflict(Box::new(super::Conflict {
            current_version: current.version,
            changed_by: by,
            changed_at: at,
            changes: Vec::new(),
        })));
    }
    Ok(current)
}

/// Only a planned (or overdue) visit can be recorded, moved or cancelled.
fn require_planned(v: &Visit) -> Result<(), DbError> {
    if v.state == VisitState::Planned {
        Ok(())
    } else {
        Err(DbError::Invalid(crate::db::Invalid::VisitNotPlanned(v.state)))
    }
}

/// Records a planned (or overdue) visit as done with its outcome.
pub fn record_done(store: &mut Store, actor: &Actor, base: &Visit, outcome: &Outcome) -> Result<(), DbError> {
    store.write(|tx| {
        let current = current_for_edit(tx, actor, base)?;
        require_planned(&current)?;
        mark_done_in(tx, actor, base.id, outcome)
    })
}

/// Writes a visit's outcome within an open transaction.
pub fn mark_done_in(tx: &Tx<'_>, actor: &Actor, id: i64, outcome: &Outcome) -> Result<(), DbError> {
    check_customer(tx, actor, &load(tx, id)?.customer_id)?;
    let done_at = outcome.done_at.unwrap_or(actor.at);
    tx.exec(
        "UPDATE visit SET state = 'done', done_at = ?1, business = ?2, opinions = ?3, problems = ?4, new_needs = ?5, \
             next_step = ?6, next_due = ?7, updated_by = ?8, updated_at = ?9, version = version + 1 WHERE id = ?10",
        args![
            stamp(done_at),
            outcome.business,
            outcome.opinions,
            outcome.problems,
            outcome.new_needs,
            outcome.next_step,
            outcome.next_due,
            actor.staff.id,
            actor.stamp(),
            id
        ],
    )?;
    write_participants(tx, id, &outcome.staff, &outcome.persons)?;
    Ok(())
}

/// Cancels a visit with a reason (it stays, marked cancelled).
pub fn cancel(store: &mut Store, actor: &Actor, base: &Visit, reason: &str) -> Result<(), DbError> {
    if reason.trim().is_empty() {
        return Err(DbError::Invalid(crate::db::Invalid::Required("cancel_reason")));
    }
    store.write(|tx| {
        require_planned(&current_for_edit(tx, actor, base)?)?;
        tx.exec(
            "UPDATE visit SET state = 'cancelled', cancel_reason = ?1, updated_by = ?2, updated_at = ?3, \
             version = version + 1 WHERE id = ?4",
            args![reason.trim(), actor.staff.id, actor.stamp(), base.id],
        )?;
        Ok(())
    })
}

/// What a planned visit's edit may change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reschedule {
    pub kind: VisitKind,
    pub planned_at: NaiveDateTime,
    pub duration_min: i64,
    pub purpose: String,
}

/// Changes one planned visit, or — with `whole_series` — this and every later
/// planned occurrence of its series (moved by the same time shift).
pub fn reschedule(
    store: &mut Store,
    actor: &Actor,
    base: &Visit,
    change: &Reschedule,
    whole_series: bool,
) -> Result<usize, DbError> {
    store.write(|tx| {
        require_planned(&current_for_edit(tx, actor, base)?)?;
        let shift = change.planned_at - base.planned_at;
        let targets: Vec<(i64, NaiveDateTime)> = match (whole_series, base.series_id) {
            (true, Some(series)) => tx.rows(
                "SELECT id, planned_at FROM visit WHERE series_id = ?1 AND state = 'planned' AND planned_at >= ?2",
                args![series, stamp(base.planned_at)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?,
            _ => vec![(base.id, base.planned_at)],
        };
        for (id, at) in &targets {
            tx.exec(
                "UPDATE visit SET kind = ?1, planned_at = ?2, duration_min = ?3, purpose = ?4, updated_by = ?5, \
                 updated_at = ?6, version = version + 1 WHERE id = ?7",
                args![
                    change.kind.code(),
                    stamp(*at + shift),
                    change.duration_min,
                    change.purpose,
                    actor.staff.id,
                    actor.stamp(),
                    id
                ],
            )?;
        }
        Ok(targets.len())
    })
}

/// Counts of visits for the status line of a customer.
pub fn count_for_customer(conn: &Conn, customer: &CustomerId) -> Result<i64, DbError> {
    conn.row("SELECT count(*) FROM visit WHERE customer_id = ?1", args![customer], |r| r.get(0))
}

/// Done visits in `[from, to]` of the ranked customers a staff member owns (A or
/// B), or of a unit's, by customer, with the roles present. One query for all
/// of them, for the visit standards on Today.
pub fn done_for_customers(
    conn: &Conn,
    owner: Option<i64>,
    unit: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<CustomerId, Vec<DoneVisit>>, DbError> {
    visits_for_customers(conn, owner, unit, from, to, false)
}

/// Like [`done_for_customers`], counting planned visits too (by their planned
/// day): what "plan my month" must not propose again.
pub fn done_or_planned_for_customers(
    conn: &Conn,
    owner: Option<i64>,
    unit: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<CustomerId, Vec<DoneVisit>>, DbError> {
    visits_for_customers(conn, owner, unit, from, to, true)
}

fn visits_for_customers(
    conn: &Conn,
    owner: Option<i64>,
    unit: Option<i64>,
    from: NaiveDate,
    to: NaiveDate,
    with_planned: bool,
) -> Result<HashMap<CustomerId, Vec<DoneVisit>>, DbError> {
    let end = format!("{} 00:00:00", to.succ_opt().unwrap_or(to));
    // Only ranked customers have a visit standard.
    let (whose, mut args) = super::scope::responsible(owner, unit, 3);
    let planned =
        if with_planned { "OR (v.state = 'planned' AND v.planned_at >= ?1 AND v.planned_at < ?2)" } else { "" };
    let sql = format!(
        "SELECT v.customer_id, v.kind, {}, {} \
         FROM visit v JOIN customer c ON c.id = v.customer_id \
         WHERE ((v.state = 'done' AND v.done_at >= ?1 AND v.done_at < ?2) {planned}) \
         AND c.archived = 0 AND {} AND {whose}",
        day_of(conn, "coalesce(v.done_at, v.planned_at)"),
        roles_of_visit(conn),
        super::scope::ranked()
    );
    args.splice(0..0, [Value::Text(format!("{from} 00:00:00")), Value::Text(end)]);
    let rows = conn.rows(&sql, &bound(&args), done_visit_from)?;
    let mut by_customer: HashMap<CustomerId, Vec<DoneVisit>> = HashMap::new();
    for (customer, visit) in rows.into_iter().flatten() {
        by_customer.entry(customer).or_default().push(visit);
    }
    Ok(by_customer)
}

/// One customer's visits, the latest planned first (for the dossier).
pub fn for_customer(conn: &Conn, customer: &CustomerId, limit: u64) -> Result<Vec<Visit>, DbError> {
    let sql = format!(
        "SELECT {VISIT_COLUMNS} FROM visit v JOIN customer c ON c.id = v.customer_id \
         WHERE v.customer_id = ?1 ORDER BY v.planned_at DESC, v.id DESC LIMIT ?2"
    );
    conn.rows(&sql, args![customer, limit], visit_from)
}

/// A ranked customer as Today's "behind the visit standard" reads it: only
/// what the section shows and the rules need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StandardCustomer {
    pub id: CustomerId,
    pub short_name: String,
    pub tier: crate::domain::tier::Tier,
    pub owner_a: i64,
}

/// The live, approved customers of tier rank `rank` that `owner` (as A or B)
/// or else `unit` answers for, with an id after `after`, by id, at most
/// `limit`: one seek in the (archived, owner_a | unit_id | –, tier_rank, id)
/// index, so a walk by batches reads each customer once. An owner's B
/// customers are a second arm merged by id.
pub fn standard_customers_after(
    conn: &Conn,
    owner: Option<i64>,
    unit: Option<i64>,
    rank: u8,
    after: Option<&CustomerId>,
    limit: u64,
) -> Result<Vec<StandardCustomer>, DbError> {
    let after = after.map(|a| a.as_str().to_string()).unwrap_or_default();
    let mut args = vec![Value::Integer(i64::from(rank)), Value::Text(after), limit.to_value()];
    // SQLite's planner would rather walk (archived, tier_rank, id), in the
    // order asked for, through the whole book's customers of the rank than
    // seek the owner's or unit's few: it is told the index to use.
    let sqlite = conn.dialect() == Dialect::Sqlite;
    let arm = |index: &str, whose: &str| {
        let indexed = if sqlite { format!(" INDEXED BY {index}") } else { String::new() };
        format!(
            "SELECT c.id, c.short_name, c.tier, c.owner_a FROM customer c{indexed} WHERE c.archived = 0 AND {whose} \
             AND c.tier_rank = ?1 AND c.id > ?2 AND c.registration = 'approved'"
        )
    };
    let sql = match (owner, unit) {
        (Some(o), u) => {
            args.push(Value::Integer(o));
            let in_unit = match u {
                Some(u) => {
                    args.push(Value::Integer(u));
                    " AND c.unit_id = ?5"
                }
                None => "",
            };
            format!(
                "{} UNION {} ORDER BY 1 LIMIT ?3",
                arm("customer_owner_tier", &format!("c.owner_a = ?4{in_unit}")),
                arm("customer_owner_b_tier", &format!("c.owner_b = ?4{in_unit}"))
            )
        }
        (None, Some(u)) => {
            args.push(Value::Integer(u));
            format!("{} ORDER BY c.id LIMIT ?3", arm("customer_unit_tier", "c.unit_id = ?4"))
        }
        (None, None) => format!("{} ORDER BY c.id LIMIT ?3", arm("customer_tier", "1 = 1")),
    };
    conn.rows(&sql, &bound(&args), |r| {
        Ok(StandardCustomer {
            id: r.get(0)?,
            short_name: r.get(1)?,
            tier: crate::domain::tier::Tier::from_code(r.text(2)?).unwrap_or(crate::domain::tier::Tier::General),
            owner_a: r.get(3)?,
        })
    })
}

/// The done visits of `customers` from `from` through `to`, by customer: one
/// query through the (customer_id, state, done_at) index.
pub fn done_of_customers(
    conn: &Conn,
    customers: &[CustomerId],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<CustomerId, Vec<DoneVisit>>, DbError> {
    let mut by_customer: HashMap<CustomerId, Vec<DoneVisit>> = HashMap::new();
    if customers.is_empty() {
        return Ok(by_customer);
    }
    let end = format!("{} 00:00:00", to.succ_opt().unwrap_or(to));
    let mut args = vec![Value::Text(format!("{from} 00:00:00")), Value::Text(end)];
    args.extend(customers.iter().map(|c| Value::Text(c.as_str().to_string())));
    let marks: Vec<String> = (3..=args.len()).map(|n| format!("?{n}")).collect();
    let sql = format!(
        "SELECT v.customer_id, v.kind, {}, {} FROM visit v \
         WHERE v.customer_id IN ({}) AND v.state = 'done' AND v.done_at >= ?1 AND v.done_at < ?2",
        day_of(conn, "v.done_at"),
        roles_of_visit(conn),
        marks.join(", ")
    );
    let rows = conn.rows(&sql, &bound(&args), done_visit_from)?;
    for (customer, visit) in rows.into_iter().flatten() {
        by_customer.entry(customer).or_default().push(visit);
    }
    Ok(by_customer)
}
