//! Service requests (SPEC §9): received with a generated number, an area
//! preset from the customer's address and a due time from the bureau's
//! limits, worked through their steps with every one on the timeline, and
//! the customers due a proactive call. Nothing is ever deleted: a request is
//! done or cancelled.
//!
//! The bureau's settings (the `setting` table, with history; the
//! administrator's): `request_quiet_days`, the days without a pickup request
//! after which a customer is due a call (default 14), and `request_day_count`,
//! whether time limits count calendar days (the default) or working days.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, NaiveTime};

use super::access::RequestParties;
use super::engine::{EngineError, Value};
use super::sql::{Dialect, Optional, Row, Sql, ToValue, args};
use super::sql_types::Shown;
use super::{Actor, Conn, DbError, Invalid, Store, Tx};
use crate::domain::id::CustomerId;
use crate::domain::request::{
    Area, DEFAULT_QUIET_DAYS, DayCount, QuietDaysError, RequestChannel, RequestError, RequestKind, RequestStatus,
    RequestStep, ServiceMode, Standing, area_from_address, due_at, next_status, parse_request_number, quiet_cutoff,
    quiet_days, request_number, standing,
};
use crate::domain::tier::Tier;

/// A request as it is received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRequest {
    pub customer_id: CustomerId,
    /// When it reached the post (it may be entered later than that).
    pub received_at: NaiveDateTime,
    pub channel: RequestChannel,
    /// Who asked, and how to reach them.
    pub requester: String,
    pub contact: String,
    pub kind: RequestKind,
    pub mode: ServiceMode,
    /// `None`: preset from the customer's address ([`area_from_address`]).
    pub area: Option<Area>,
    pub special: bool,
    /// Why it is a special case (required when it is one).
    pub special_reason: String,
    pub description: String,
}

/// A request as stored, with its customer's name and owners.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRequest {
    pub id: i64,
    pub number: String,
    pub received_at: NaiveDateTime,
    pub channel: RequestChannel,
    pub received_by: i64,
    pub customer_id: CustomerId,
    pub customer_name: String,
    pub customer_tier: Tier,
    /// The customer's account manager (A), who is notified.
    pub owner_a: i64,
    pub requester: String,
    pub contact: String,
    pub kind: RequestKind,
    pub mode: ServiceMode,
    pub area: Area,
    pub special: bool,
    pub special_reason: String,
    pub description: String,
    /// The end of the due day.
    pub due_at: NaiveDateTime,
    pub notified_at: Option<NaiveDateTime>,
    pub phone_contact_at: Option<NaiveDateTime>,
    pub done_at: Option<NaiveDateTime>,
    pub result: String,
    pub status: RequestStatus,
    pub cancel_reason: String,
    pub version: i64,
}

impl ServiceRequest {
    /// Met, late, overdue or still in time at `now` (SPEC §9).
    pub fn standing(&self, now: NaiveDateTime) -> Standing {
        standing(self.status, self.due_at, self.done_at, now)
    }

    /// Who answers for it, for the access rules.
    pub fn parties(&self) -> RequestParties {
        RequestParties { customer_id: self.customer_id.clone(), status: self.status, received_by: self.received_by }
    }

    /// The phone contact has been recorded.
    pub fn phoned(&self) -> bool {
        self.phone_contact_at.is_some()
    }
}

/// Why a request write was refused, in terms the UI translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum RequestProblem {
    #[error("{0}")]
    Step(RequestError),
    #[error("{0}")]
    QuietDays(QuietDaysError),
}

fn problem(p: RequestProblem) -> DbError {
    DbError::Invalid(Invalid::Request(p))
}

/// The statuses still to be served, in SQL.
const OPEN: &str = "r.status IN ('open','notified','in_progress')";

const COLUMNS: &str = "r.id, r.number, r.received_at, r.channel, r.received_by, r.customer_id, c.short_name, c.tier, \
     c.owner_a, r.requester, coalesce(r.contact, ''), r.kind, r.mode, r.area, r.special, coalesce(r.special_reason, ''), \
     r.description, r.due_at, r.notified_at, r.phone_contact_at, r.done_at, coalesce(r.result, ''), r.status, \
     coalesce(r.cancel_reason, ''), r.version";

fn from_row(r: &Row<'_>) -> Result<ServiceRequest, DbError> {
    let code = |i: usize| -> Result<String, DbError> { r.get(i) };
    // A code none of kam's: the row is not read as something it is not.
    let bad = |i: usize| {
        DbError::Engine(EngineError::Conversion {
            what: format!("column {i}"),
            value: code(i).unwrap_or_default(),
            to: "code".to_string(),
        })
    };
    Ok(ServiceRequest {
        id: r.get(0)?,
        number: r.get(1)?,
        received_at: r.get(2)?,
        channel: RequestChannel::from_code(&code(3)?).ok_or_else(|| bad(3))?,
        received_by: r.get(4)?,
        customer_id: r.get(5)?,
        customer_name: r.get(6)?,
        customer_tier: Tier::from_code(&code(7)?).unwrap_or(Tier::General),
        owner_a: r.get(8)?,
        requester: r.get(9)?,
        contact: r.get(10)?,
        kind: RequestKind::from_code(&code(11)?).ok_or_else(|| bad(11))?,
        mode: ServiceMode::from_code(&code(12)?).ok_or_else(|| bad(12))?,
        area: Area::from_code(&code(13)?).ok_or_else(|| bad(13))?,
        special: r.get(14)?,
        special_reason: r.get(15)?,
        description: r.get(16)?,
        due_at: r.get(17)?,
        notified_at: r.get(18)?,
        phone_contact_at: r.get(19)?,
        done_at: r.get(20)?,
        result: r.get(21)?,
        status: RequestStatus::from_code(&code(22)?).ok_or_else(|| bad(22))?,
        cancel_reason: r.get(23)?,
        version: r.get(24)?,
    })
}

/// A time people give (received, due), as stored: the bureau's wall-clock time.
fn civil(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S").to_string()
}

pub fn load(conn: &Conn, id: i64) -> Result<ServiceRequest, DbError> {
    let sql =
        format!("SELECT {COLUMNS} FROM service_request r JOIN customer c ON c.id = r.customer_id WHERE r.id = ?1");
    conn.row(&sql, args![id], from_row)
}

/// A request by its number (`FW2026-000001`).
pub fn by_number(conn: &Conn, number: &str) -> Result<ServiceRequest, DbError> {
    let sql =
        format!("SELECT {COLUMNS} FROM service_request r JOIN customer c ON c.id = r.customer_id WHERE r.number = ?1");
    conn.row(&sql, args![number.trim()], from_row)
}

/// Which requests a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestFilter {
    /// Only those still to be served.
    pub open_only: bool,
    /// Open and past their due day at this moment.
    pub overdue_at: Option<NaiveDateTime>,
    /// Open and due before this moment (Today: before tomorrow, so due today
    /// and overdue).
    pub due_before: Option<NaiveDateTime>,
    /// Only in this status.
    pub status: Option<RequestStatus>,
    /// The open ones, and those done or cancelled since this moment (a
    /// morning's list: what is to do, and how yesterday's ended).
    pub open_or_closed_since: Option<NaiveDateTime>,
    /// The customer's account manager (A or B) is this member of staff, or
    /// they received it.
    pub mine: Option<i64>,
    /// What this member of staff has to do: their customers' (A or B), and
    /// those they received and have not yet passed on (still open).
    pub to_do_of: Option<i64>,
    /// The customer is in this unit.
    pub unit: Option<i64>,
    pub customer: Option<CustomerId>,
    /// Text in the number, the customer's short name, the requester or the
    /// description (literal).
    pub text: String,
}

/// The WHERE clause of a filter, its arguments numbered after `args`.
fn conditions(conn: &Conn, f: &RequestFilter, mut args: Vec<Value>) -> (String, Vec<Value>) {
    let mut conds = vec!["TRUE".to_string()];
    if f.open_only || f.overdue_at.is_some() || f.due_before.is_some() {
        conds.push(OPEN.into());
    }
    // Overdue from the first moment after the due day: due_at is its last second.
    if let Some(at) = f.overdue_at {
        args.push(Value::Text(civil(at)));
        conds.push(format!("r.due_at < ?{}", args.len()));
    }
    if let Some(at) = f.due_before {
        args.push(Value::Text(civil(at)));
        conds.push(format!("r.due_at < ?{}", args.len()));
    }
    if let Some(status) = f.status {
        args.push(Value::Text(status.code().into()));
        conds.push(format!("r.status = ?{}", args.len()));
    }
    if let Some(since) = f.open_or_closed_since {
        args.push(Value::Text(civil(since)));
        let n = args.len();
        conds.push(format!("({OPEN} OR r.done_at >= ?{n} OR (r.status = 'cancelled' AND r.updated_at >= ?{n}))"));
    }
    if let Some(me) = f.mine {
        args.push(Value::Integer(me));
        let n = args.len();
        conds.push(format!("(c.owner_a = ?{n} OR c.owner_b = ?{n} OR r.received_by = ?{n})"));
    }
    if let Some(me) = f.to_do_of {
        args.push(Value::Integer(me));
        let n = args.len();
        conds.push(format!("(c.owner_a = ?{n} OR c.owner_b = ?{n} OR (r.received_by = ?{n} AND r.status = 'open'))"));
    }
    if let Some(u) = f.unit {
        args.push(Value::Integer(u));
        conds.push(format!("c.unit_id = ?{}", args.len()));
    }
    if let Some(c) = &f.customer {
        args.push(Value::Text(c.to_string()));
        conds.push(format!("r.customer_id = ?{}", args.len()));
    }
    if !f.text.trim().is_empty() {
        args.push(Value::Text(f.text.trim().to_string()));
        let n = args.len();
        let has = |column: &str| match conn.dialect() {
            Dialect::Sqlite => format!("instr({column}, ?{n}) > 0"),
            Dialect::Postgres => format!("strpos({column}, ?{n}) > 0"),
        };
        conds.push(format!(
            "({} OR {} OR {} OR {})",
            has("r.number"),
            has("c.short_name"),
            has("r.requester"),
            has("r.description")
        ));
    }
    (conds.join(" AND "), args)
}

/// The join of requests to their customers: requests as the outer loop on
/// SQLite (far fewer than customers; see `complaints::list`).
fn join(conn: &Conn) -> &'static str {
    match conn.dialect() {
        Dialect::Sqlite => "CROSS JOIN",
        Dialect::Postgres => "JOIN",
    }
}

/// Requests matching the filter: overdue first, then the open ones by due
/// time (least time left first), then the rest, newest first.
pub fn list(conn: &Conn, f: &RequestFilter, now: NaiveDateTime, limit: u64) -> Result<Vec<ServiceRequest>, DbError> {
    // ?1: now, for the overdue ones first.
    let (conds, mut args) = conditions(conn, f, vec![Value::Text(civil(now))]);
    args.push(limit.to_value());
    let overdue = format!("({OPEN} AND r.due_at < ?1)");
    let sql = format!(
        "SELECT {COLUMNS} FROM service_request r {} customer c ON c.id = r.customer_id WHERE {conds} \
         ORDER BY {overdue} DESC, ({OPEN}) DESC, CASE WHEN {OPEN} THEN r.due_at END, r.received_at DESC, r.id DESC \
         LIMIT ?{}",
        join(conn),
        args.len()
    );
    let refs: Vec<&dyn ToValue> = args.iter().map(|v| v as &dyn ToValue).collect();
    conn.rows(&sql, &refs, from_row)
}

/// How many requests match the filter (a list's heading, when it is cut).
pub fn count(conn: &Conn, f: &RequestFilter) -> Result<u64, DbError> {
    let (conds, args) = conditions(conn, f, Vec::new());
    let sql = format!(
        "SELECT count(*) FROM service_request r {} customer c ON c.id = r.customer_id WHERE {conds}",
        join(conn)
    );
    let refs: Vec<&dyn ToValue> = args.iter().map(|v| v as &dyn ToValue).collect();
    conn.row(&sql, &refs, |r| r.get(0))
}

/// One line of a request's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestEvent {
    /// `received`, or a step's code.
    pub kind: String,
    pub from_status: Option<RequestStatus>,
    pub to_status: Option<RequestStatus>,
    /// The note; for a done step the result, for a cancel the reason.
    pub note: String,
    pub by: String,
    pub at: String,
}

pub fn timeline(conn: &Conn, id: i64) -> Result<Vec<RequestEvent>, DbError> {
    let status = |code: Option<String>| code.as_deref().and_then(RequestStatus::from_code);
    conn.rows(
        "SELECT e.kind, e.from_status, e.to_status, coalesce(e.note, ''), coalesce(s.name, ''), e.at \
         FROM service_request_event e LEFT JOIN staff s ON s.id = e.by_id WHERE e.request_id = ?1 ORDER BY e.id",
        args![id],
        |r| {
            Ok(RequestEvent {
                kind: r.get(0)?,
                from_status: status(r.get(1)?),
                to_status: status(r.get(2)?),
                note: r.get(3)?,
                by: r.get(4)?,
                at: r.get::<Shown>(5)?.0,
            })
        },
    )
}

fn event(
    tx: &Tx<'_>,
    actor: &Actor,
    id: i64,
    kind: &str,
    states: Option<(Option<RequestStatus>, RequestStatus)>,
    note: &str,
) -> Result<(), DbError> {
    tx.exec(
        "INSERT INTO service_request_event (request_id, kind, from_status, to_status, note, by_id, at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        args![
            id,
            kind,
            states.and_then(|s| s.0).map(RequestStatus::code),
            states.map(|s| s.1.code()),
            note,
            actor.staff.id,
            actor.stamp()
        ],
    )?;
    Ok(())
}

/// The area a customer's address says (the ID's division when there is none).
pub fn customer_area(conn: &Conn, customer: &CustomerId) -> Result<Area, DbError> {
    let address: Option<String> = conn
        .row("SELECT address FROM customer_profile WHERE customer_id = ?1", args![customer], |r| r.get(0))
        .optional()?
        .flatten();
    Ok(area_from_address(address.as_deref().unwrap_or(""), customer.division().as_str()))
}

/// Receives a request: whoever takes it (anyone but a leader) files it for
/// the customer's account manager. Received by the customer's own account
/// manager (A or B), it is notified at once. Returns (id, number).
pub fn receive(store: &mut Store, actor: &Actor, r: &NewRequest) -> Result<(i64, String), DbError> {
    store.write(|tx| receive_in(tx, actor, r))
}

/// [`receive`] within an open transaction (also used by the demo generator).
pub fn receive_in(tx: &Tx<'_>, actor: &Actor, r: &NewRequest) -> Result<(i64, String), DbError> {
    super::access::may_receive_request(tx, actor, &r.customer_id)?;
    for (key, value) in [("requester", &r.requester), ("description", &r.description)] {
        if value.trim().is_empty() {
            return Err(DbError::Invalid(Invalid::Required(key)));
        }
    }
    if r.special && r.special_reason.trim().is_empty() {
        return Err(DbError::Invalid(Invalid::Required("special_reason")));
    }
    let area = match r.area {
        Some(area) => area,
        None => customer_area(tx, &r.customer_id)?,
    };
    let due = due_at(r.received_at, area, r.special, day_count(tx)?);
    let year = r.received_at.year();
    let prefix = request_number(year, 0);
    let prefix = &prefix[..prefix.len().saturating_sub(6)];
    let last: Option<String> =
        tx.row("SELECT max(number) FROM service_request WHERE number LIKE ?1 || '%'", args![prefix], |r| r.get(0))?;
    let next = last.as_deref().and_then(parse_request_number).map_or(0, |(_, n)| n) + 1;
    let number = request_number(year, next);
    // The customer's own account manager took it: they know at once.
    let owner: bool = tx.row(
        "SELECT count(*) > 0 FROM customer WHERE id = ?1 AND (owner_a = ?2 OR owner_b = ?2)",
        args![r.customer_id, actor.staff.id],
        |row| row.get(0),
    )?;
    let status = if owner { RequestStatus::Notified } else { RequestStatus::Open };
    let id: i64 = tx
        .row(
            "INSERT INTO service_request (number, received_at, channel, received_by, customer_id, requester, contact, \
             kind, mode, area, special, special_reason, description, due_at, notified_at, status, created_by, \
             created_at, updated_by, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?4, ?17, ?4, ?17) \
             RETURNING id",
            args![
                number,
                civil(r.received_at),
                r.channel.code(),
                actor.staff.id,
                r.customer_id,
                r.requester.trim(),
                r.contact.trim(),
                r.kind.code(),
                r.mode.code(),
                area.code(),
                r.special,
                Some(r.special_reason.trim()).filter(|s| r.special && !s.is_empty()),
                r.description.trim(),
                civil(due),
                owner.then(|| actor.stamp()),
                status.code(),
                actor.stamp()
            ],
            |row| row.get(0),
        )
        .map_err(super::error::constraint_as_invalid)?;
    event(tx, actor, id, "received", Some((None, status)), r.description.trim())?;
    Ok((id, number))
}

/// Takes one step of a request (SPEC §9), recorded on its timeline. `text`
/// is the step's note: for [`RequestStep::Done`] the result (required), for
/// [`RequestStep::Cancel`] the reason (required). Returns the new status.
pub fn step(
    store: &mut Store,
    actor: &Actor,
    base: &ServiceRequest,
    step: RequestStep,
    text: &str,
) -> Result<RequestStatus, DbError> {
    store.write(|tx| step_in(tx, actor, base, step, text))
}

/// [`step`] within an open transaction (also used by the demo generator).
pub fn step_in(
    tx: &Tx<'_>,
    actor: &Actor,
    base: &ServiceRequest,
    step: RequestStep,
    text: &str,
) -> Result<RequestStatus, DbError> {
    let current = load(tx, base.id)?;
    if current.version != base.version {
        return Err(DbError::Conflict(Box::new(super::Conflict {
            current_version: current.version,
            changed_by: String::new(),
            changed_at: String::new(),
            changes: Vec::new(),
        })));
    }
    super::access::may_work_on_request(tx, actor, &current.parties(), step)?;
    let to = next_status(current.status, step, current.special, current.phoned())
        .map_err(|e| problem(RequestProblem::Step(e)))?;
    let text = text.trim();
    match step {
        RequestStep::Done if text.is_empty() => {
            return Err(problem(RequestProblem::Step(RequestError::ResultRequired)));
        }
        RequestStep::Cancel if text.is_empty() => {
            return Err(problem(RequestProblem::Step(RequestError::ReasonRequired)));
        }
        _ => {}
    }
    let now = actor.stamp();
    let keep = |t: Option<NaiveDateTime>| t.map(crate::time::stamp);
    // Whoever starts it knows of it: a start from open notes the notice too.
    let notified = match step {
        RequestStep::Notify | RequestStep::Start => keep(current.notified_at).or(Some(now.clone())),
        _ => keep(current.notified_at),
    };
    let phoned = match step {
        RequestStep::PhoneContact => keep(current.phone_contact_at).or(Some(now.clone())),
        _ => keep(current.phone_contact_at),
    };
    let (done_at, result) = match step {
        RequestStep::Done => (Some(now.clone()), Some(text.to_string())),
        _ => (keep(current.done_at), Some(current.result.clone()).filter(|r| !r.is_empty())),
    };
    let cancel_reason = match step {
        RequestStep::Cancel => Some(text.to_string()),
        _ => Some(current.cancel_reason.clone()).filter(|r| !r.is_empty()),
    };
    tx.exec(
        "UPDATE service_request SET status = ?1, notified_at = ?2, phone_contact_at = ?3, done_at = ?4, result = ?5, \
         cancel_reason = ?6, updated_by = ?7, updated_at = ?8, version = version + 1 WHERE id = ?9",
        args![to.code(), notified, phoned, done_at, result, cancel_reason, actor.staff.id, now, base.id],
    )
    .map_err(super::error::constraint_as_invalid)?;
    let states = (step != RequestStep::PhoneContact).then_some((Some(current.status), to));
    event(tx, actor, base.id, step.code(), states, text)?;
    Ok(to)
}

/// The setting keys.
const QUIET_DAYS: &str = "request_quiet_days";
const DAY_COUNT: &str = "request_day_count";

fn setting(conn: &Conn, key: &str) -> Result<Option<String>, DbError> {
    conn.row("SELECT value FROM setting WHERE key = ?1", args![key], |r| r.get(0)).optional()
}

fn set_setting(store: &mut Store, actor: &Actor, key: &str, value: &str) -> Result<(), DbError> {
    actor.staff.may_administer()?;
    store.write(|tx| {
        tx.exec(
            "INSERT INTO setting (key, value, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
            args![key, value, actor.staff.id, actor.stamp()],
        )?;
        Ok(())
    })
}

/// The bureau's days without a pickup request after which a customer is due
/// a proactive call ([`DEFAULT_QUIET_DAYS`] unless the administrator set it).
pub fn quiet_days_setting(conn: &Conn) -> Result<u32, DbError> {
    let value = setting(conn, QUIET_DAYS)?;
    Ok(value.and_then(|v| v.trim().parse::<i64>().ok()).and_then(|d| quiet_days(d).ok()).unwrap_or(DEFAULT_QUIET_DAYS))
}

/// The administrator sets the days without a pickup (1 to a year), with history.
pub fn set_quiet_days(store: &mut Store, actor: &Actor, days: i64) -> Result<(), DbError> {
    let days = quiet_days(days).map_err(|e| problem(RequestProblem::QuietDays(e)))?;
    set_setting(store, actor, QUIET_DAYS, &days.to_string())
}

/// How the bureau counts the days of a time limit (calendar unless set).
pub fn day_count(conn: &Conn) -> Result<DayCount, DbError> {
    Ok(setting(conn, DAY_COUNT)?.as_deref().and_then(DayCount::from_code).unwrap_or_default())
}

/// The administrator chooses calendar or working days, with history. Requests
/// already received keep the due time they were given.
pub fn set_day_count(store: &mut Store, actor: &Actor, count: DayCount) -> Result<(), DbError> {
    set_setting(store, actor, DAY_COUNT, count.code())
}

/// A customer who asks for pickups and has asked for none for the bureau's
/// days: due a proactive call (SPEC §9).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuietCustomer {
    pub customer_id: CustomerId,
    pub short_name: String,
    pub tier: Tier,
    pub owner_a: i64,
    /// The customer's phone, from the dossier.
    pub phone: String,
    /// The day of the last pickup request.
    pub last_pickup: NaiveDate,
}

/// Customers (of `owner`, A or B, or of `unit`; all when neither) with a
/// pickup request before, none on or after the day `days` days before
/// `today`: longest quiet first, at most `limit`.
pub fn quiet_customers(
    conn: &Conn,
    owner: Option<i64>,
    unit: Option<i64>,
    today: NaiveDate,
    days: u32,
    limit: u64,
) -> Result<Vec<QuietCustomer>, DbError> {
    let cutoff = quiet_cutoff(today, days);
    let before = cutoff.checked_add_days(Days::new(1)).unwrap_or(cutoff).and_time(NaiveTime::MIN);
    let mut conds = vec!["c.archived = 0".to_string()];
    let mut args: Vec<Value> = vec![Value::Text(civil(before))];
    if let Some(me) = owner {
        args.push(Value::Integer(me));
        conds.push(format!("(c.owner_a = ?{n} OR c.owner_b = ?{n})", n = args.len()));
    }
    if let Some(u) = unit {
        args.push(Value::Integer(u));
        conds.push(format!("c.unit_id = ?{}", args.len()));
    }
    args.push(limit.to_value());
    let sql = format!(
        "SELECT c.id, c.short_name, c.tier, c.owner_a, coalesce(p.phone, ''), max(r.received_at) \
         FROM customer c JOIN service_request r ON r.customer_id = c.id AND r.kind = 'pickup' \
         AND r.status <> 'cancelled' LEFT JOIN customer_profile p ON p.customer_id = c.id \
         WHERE {} GROUP BY c.id, c.short_name, c.tier, c.owner_a, p.phone \
         HAVING max(r.received_at) < ?1 ORDER BY max(r.received_at), c.id LIMIT ?{}",
        conds.join(" AND "),
        args.len()
    );
    let refs: Vec<&dyn ToValue> = args.iter().map(|v| v as &dyn ToValue).collect();
    conn.rows(&sql, &refs, |r| {
        let last: NaiveDateTime = r.get(5)?;
        Ok(QuietCustomer {
            customer_id: r.get(0)?,
            short_name: r.get(1)?,
            tier: Tier::from_code(&r.get::<String>(2)?).unwrap_or(Tier::General),
            owner_a: r.get(3)?,
            phone: r.get(4)?,
            last_pickup: last.date(),
        })
    })
}
