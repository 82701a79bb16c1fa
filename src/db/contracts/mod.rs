//! Contracts and agreements (SPEC §12) in storage: a customer's contracts
//! with their terms, each round of the approval chain decided step by step,
//! the copies and where each went, the province filing, and the marketing
//! log's agreement-stage entries that name a contract. The rules are
//! [`crate::domain::contract`]'s; this module reads and writes them.
//!
//! **Who writes.** Drafting, editing (a draft only), submitting, recording
//! the signing, the filing, a copy, ending it and naming it in a log entry:
//! whoever edits the customer ([`super::access::may_edit_customer`]: its
//! account managers, by the unit policy the unit's, supervisors and
//! administrators; leaders read). Approving or refusing a step: the step's
//! deciders only ([`approvers_of`]: its role in its body; the access
//! bureau's supervisors for a body the database does not hold). The chains:
//! the administrator. PostgreSQL holds every login to the same rules
//! (migrations-pg/13-contracts).

mod chain;
mod write;

pub use chain::{chain_for, chains, set_chain};
pub use write::{NewCopy, add_copy, approve, create, end, file, refuse, sign, submit, update, write_log};

use chrono::{NaiveDate, NaiveDateTime};

use super::engine::Value;
use super::sql::{Dialect, Optional, Row, Sql, ToValue, args};
use super::sql_types::Civil;
use super::{Actor, Conn, DbError};
use crate::domain::contract::{
    Approval, Approvers, Bureau, ChainUnit, ContractKind, ContractStatus, CopyKind, Outcome, StepScope, approvers,
};
use crate::domain::id::CustomerId;
use crate::domain::money::Money;
use crate::domain::org::UnitLevel;
use crate::domain::staff::{Role, Staff};
use crate::domain::tier::Tier;

pub use crate::domain::contract::{ChainStep, ContractError, ENDING_SOON_DAYS};

/// What a contract says: everything the draft form edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Terms {
    pub number: String,
    pub customer_id: CustomerId,
    pub kind: ContractKind,
    /// 接入局: the customer's unit or a unit above it.
    pub access_bureau: i64,
    /// 签约主体: who signs for the post.
    pub signing_body: String,
    /// The customer's tier at signing: it chooses the chain and the filing.
    pub tier: Tier,
    /// Service line ids.
    pub service_lines: Vec<i64>,
    pub price_terms: String,
    pub discount_terms: String,
    pub term_length: String,
    pub renewal: String,
    pub payment: String,
    pub penalties: String,
    pub value: Option<Money>,
    pub start_on: Option<NaiveDate>,
    pub end_on: Option<NaiveDate>,
}

/// A contract as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contract {
    pub id: i64,
    pub terms: Terms,
    pub customer_name: String,
    /// The customer's account manager (A), for lists across customers.
    pub owner_a: i64,
    pub status: ContractStatus,
    pub round: u32,
    pub current_step: Option<u32>,
    /// Steps in this round's chain (0 before the first submission).
    pub steps: u32,
    /// The name of the step waited on, if any.
    pub waiting_step: Option<String>,
    /// The last refusal's reason, while back in draft.
    pub refusal: Option<String>,
    pub signed_on: Option<NaiveDate>,
    pub filed_on: Option<NaiveDate>,
    pub ended_on: Option<NaiveDate>,
    pub end_reason: Option<String>,
    pub version: i64,
    pub updated_by: i64,
    pub updated_at: NaiveDateTime,
}

impl Contract {
    pub fn approval(&self) -> Approval {
        Approval { status: self.status, round: self.round, current: self.current_step, steps: self.steps }
    }

    /// In force and ending within `days` of `today` (or past its end).
    pub fn ending_within(&self, today: NaiveDate, days: u32) -> bool {
        self.status.in_force()
            && self.terms.end_on.is_some_and(|end| crate::domain::contract::ends_within(end, today, days))
    }

    /// Signed, platinum or above, and not yet filed with the province.
    pub fn filing_due(&self) -> bool {
        self.status == ContractStatus::Signed && crate::domain::contract::needs_filing(self.terms.tier)
    }
}

/// One step of one round, with its decision once taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub round: u32,
    pub position: u32,
    pub name: String,
    pub role: Role,
    pub scope: StepScope,
    pub outcome: Option<Outcome>,
    pub opinion: String,
    pub decided_by: Option<i64>,
    /// Who decided, by name.
    pub decided_by_name: String,
    pub decided_at: Option<NaiveDateTime>,
    pub on_behalf: bool,
}

impl Step {
    pub fn chain_step(&self) -> ChainStep {
        ChainStep { name: self.name.clone(), role: self.role, scope: self.scope }
    }
}

/// A copy sent somewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copy {
    pub id: i64,
    pub kind: CopyKind,
    pub copies: u32,
    pub sent_to: String,
    pub sent_on: NaiveDate,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: NaiveDateTime,
}

const COLUMNS: &str = "k.id, k.number, k.customer_id, k.kind, k.access_bureau, k.signing_body, k.tier, \
     k.service_lines, k.price_terms, k.discount_terms, k.term_length, k.renewal, k.payment, k.penalties, k.value, \
     k.start_on, k.end_on, k.status, k.round, k.current_step, \
     (SELECT count(*) FROM contract_step s WHERE s.contract_id = k.id AND s.round = k.round), \
     (SELECT s.name FROM contract_step s WHERE s.contract_id = k.id AND s.round = k.round \
      AND s.position = k.current_step), \
     k.refusal, k.signed_on, k.filed_on, k.ended_on, k.end_reason, k.version, k.updated_by, k.updated_at, \
     c.short_name, c.owner_a";

/// A stored code none of kam's: the row is not read as something it is not.
fn bad_code(i: usize, value: &str) -> DbError {
    DbError::Engine(super::engine::EngineError::Conversion {
        what: format!("column {i}"),
        value: value.to_string(),
        to: "code".to_string(),
    })
}

/// The service line ids as stored ("3,5").
pub(super) fn lines_text(lines: &[i64]) -> String {
    lines.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

fn lines_of(text: &str) -> Vec<i64> {
    text.split(',').filter_map(|id| id.trim().parse().ok()).collect()
}

fn from_row(r: &Row<'_>) -> Result<Contract, DbError> {
    let kind = r.text(3)?;
    let tier = r.text(6)?;
    let status = r.text(17)?;
    let terms = Terms {
        number: r.get(1)?,
        customer_id: r.get(2)?,
        kind: ContractKind::from_code(kind).ok_or_else(|| bad_code(3, kind))?,
        access_bureau: r.get(4)?,
        signing_body: r.get(5)?,
        tier: Tier::from_code(tier).ok_or_else(|| bad_code(6, tier))?,
        service_lines: lines_of(r.text(7)?),
        price_terms: r.get(8)?,
        discount_terms: r.get(9)?,
        term_length: r.get(10)?,
        renewal: r.get(11)?,
        payment: r.get(12)?,
        penalties: r.get(13)?,
        value: r.get(14)?,
        start_on: r.get(15)?,
        end_on: r.get(16)?,
    };
    Ok(Contract {
        id: r.get(0)?,
        terms,
        status: ContractStatus::from_code(status).ok_or_else(|| bad_code(17, status))?,
        round: r.get(18)?,
        current_step: r.get(19)?,
        steps: r.get(20)?,
        waiting_step: r.get(21)?,
        refusal: r.get(22)?,
        signed_on: r.get(23)?,
        filed_on: r.get(24)?,
        ended_on: r.get(25)?,
        end_reason: r.get(26)?,
        version: r.get(27)?,
        updated_by: r.get(28)?,
        updated_at: r.get::<Civil>(29)?.0,
        customer_name: crate::domain::validate::sanitize_text(&r.get::<String>(30)?),
        owner_a: r.get(31)?,
    })
}

pub fn load(conn: &Conn, id: i64) -> Result<Contract, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM contract k JOIN customer c ON c.id = k.customer_id WHERE k.id = ?1");
    conn.row(&sql, args![id], from_row)
}

/// The contract with this number, if any.
pub fn by_number(conn: &Conn, number: &str) -> Result<Option<Contract>, DbError> {
    let sql = format!("SELECT {COLUMNS} FROM contract k JOIN customer c ON c.id = k.customer_id WHERE k.number = ?1");
    conn.row(&sql, args![number.trim()], from_row).optional()
}

/// A customer's contracts, the newest first.
pub fn for_customer(conn: &Conn, customer: &CustomerId) -> Result<Vec<Contract>, DbError> {
    let sql = format!(
        "SELECT {COLUMNS} FROM contract k JOIN customer c ON c.id = k.customer_id WHERE k.customer_id = ?1 \
         ORDER BY k.id DESC"
    );
    conn.rows(&sql, args![customer], from_row)
}

/// Which contracts a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContractFilter {
    /// Customers owned by this account manager (A or B).
    pub owner: Option<i64>,
    /// Customers of this unit.
    pub unit: Option<i64>,
    pub customer: Option<CustomerId>,
    /// In force and ending on or before this day (those past their end too).
    pub ending_by: Option<NaiveDate>,
    /// Ended contracts too.
    pub with_ended: bool,
    /// Text in the number or the customer's short name (literal).
    pub text: String,
}

/// Contracts matching the filter: ending soonest first when asked for the
/// ending ones, else the newest first.
pub fn list(conn: &Conn, f: &ContractFilter, limit: u64) -> Result<Vec<Contract>, DbError> {
    let mut conds = vec!["TRUE".to_string()];
    let mut values: Vec<Value> = Vec::new();
    if f.owner.is_some() || f.unit.is_some() {
        let (whose, scope) = super::scope::responsible(f.owner, f.unit, 1);
        conds.push(whose);
        values.extend(scope);
    }
    if let Some(c) = &f.customer {
        values.push(Value::Text(c.to_string()));
        conds.push(format!("k.customer_id = ?{}", values.len()));
    }
    if let Some(by) = f.ending_by {
        values.push(by.to_value());
        conds.push(format!("k.status IN ('signed', 'filed') AND k.end_on <= ?{}", values.len()));
    } else if !f.with_ended {
        conds.push("k.status <> 'ended'".into());
    }
    if !f.text.trim().is_empty() {
        values.push(Value::Text(f.text.trim().to_string()));
        let n = values.len();
        let has = |column: &str| match conn.dialect() {
            Dialect::Sqlite => format!("instr({column}, ?{n}) > 0"),
            Dialect::Postgres => format!("strpos({column}, ?{n}) > 0"),
        };
        conds.push(format!("({} OR {})", has("k.number"), has("c.short_name")));
    }
    values.push(limit.to_value());
    let order = if f.ending_by.is_some() { "k.end_on, k.id" } else { "k.id DESC" };
    let sql = format!(
        "SELECT {COLUMNS} FROM contract k JOIN customer c ON c.id = k.customer_id WHERE {} ORDER BY {order} LIMIT ?{}",
        conds.join(" AND "),
        values.len()
    );
    let refs: Vec<&dyn ToValue> = values.iter().map(|v| v as &dyn ToValue).collect();
    conn.rows(&sql, &refs, from_row)
}

/// Contracts in force ending within `days` of `today` (or past their end and
/// not ended) of the customers `owner` owns, else of `unit`'s, else all:
/// the soonest first.
pub fn ending_within(
    conn: &Conn,
    owner: Option<i64>,
    unit: Option<i64>,
    today: NaiveDate,
    days: u32,
    limit: u64,
) -> Result<Vec<Contract>, DbError> {
    let by = today + chrono::Days::new(u64::from(days));
    list(conn, &ContractFilter { owner, unit, ending_by: Some(by), ..Default::default() }, limit)
}

/// Contracts whose step waited on `staff` may decide, the longest waiting
/// first. Candidates are read by the step's role and the customer's place
/// under the staff member's unit (or, for a specialised bureau, under the
/// unit it sits in), then each is checked against the step's deciders.
pub fn waiting_for(conn: &Conn, staff: &Staff, limit: u64) -> Result<Vec<Contract>, DbError> {
    if !matches!(staff.role, Role::Supervisor | Role::Leader) {
        return Ok(Vec::new());
    }
    let root: i64 = conn.row(
        "SELECT CASE WHEN kind = 'bureau' AND parent_id IS NOT NULL THEN parent_id ELSE id END FROM org_unit \
         WHERE id = ?1",
        args![staff.unit_id],
        |r| r.get(0),
    )?;
    // Steps recorded for a missing body fall to supervisors: those are read too.
    let sql = format!(
        "WITH RECURSIVE below(id, depth) AS (SELECT CAST(?1 AS bigint), 0 UNION \
         SELECT u.id, below.depth + 1 FROM org_unit u JOIN below ON u.parent_id = below.id WHERE below.depth < 32) \
         SELECT {COLUMNS} FROM contract k JOIN customer c ON c.id = k.customer_id \
         JOIN contract_step s ON s.contract_id = k.id AND s.round = k.round AND s.position = k.current_step \
         WHERE k.current_step IS NOT NULL AND (s.role = ?2 OR ?2 = 'supervisor') \
         AND (k.access_bureau IN (SELECT id FROM below) OR c.unit_id IN (SELECT id FROM below)) \
         ORDER BY k.updated_at, k.id"
    );
    let candidates = conn.rows(&sql, args![root, staff.role.code()], from_row)?;
    let mut out = Vec::new();
    for contract in candidates {
        if approvers_of(conn, &contract)?.is_some_and(|(_, who)| who.admit(staff)) {
            out.push(contract);
            if out.len() as u64 >= limit {
                break;
            }
        }
    }
    Ok(out)
}

/// The steps of every round, in order (the current round last).
pub fn steps(conn: &Conn, id: i64) -> Result<Vec<Step>, DbError> {
    let rows = conn.rows(
        "SELECT s.round, s.position, s.name, s.role, s.scope, s.outcome, coalesce(s.opinion, ''), s.decided_by, \
         coalesce(p.name, ''), s.decided_at, s.on_behalf FROM contract_step s LEFT JOIN staff p ON p.id = s.decided_by \
         WHERE s.contract_id = ?1 ORDER BY s.round, s.position",
        args![id],
        |r| {
            let role = r.text(3)?;
            let scope = r.text(4)?;
            let outcome: Option<String> = r.get(5)?;
            Ok(Step {
                round: r.get(0)?,
                position: r.get(1)?,
                name: r.get(2)?,
                role: Role::from_code(role).ok_or_else(|| bad_code(3, role))?,
                scope: StepScope::from_code(scope).ok_or_else(|| bad_code(4, scope))?,
                outcome: outcome.as_deref().and_then(Outcome::from_code),
                opinion: r.get(6)?,
                decided_by: r.get(7)?,
                decided_by_name: crate::domain::validate::sanitize_text(&r.get::<String>(8)?),
                decided_at: r.get::<Option<Civil>>(9)?.map(|c| c.0),
                on_behalf: r.get(10)?,
            })
        },
    )?;
    Ok(rows)
}

/// The copies sent, in the order recorded.
pub fn copies(conn: &Conn, id: i64) -> Result<Vec<Copy>, DbError> {
    conn.rows(
        "SELECT k.id, k.kind, k.copies, k.sent_to, k.sent_on, k.note, coalesce(s.name, ''), k.recorded_at \
         FROM contract_copy k LEFT JOIN staff s ON s.id = k.recorded_by WHERE k.contract_id = ?1 ORDER BY k.id",
        args![id],
        |r| {
            let kind = r.text(1)?;
            Ok(Copy {
                id: r.get(0)?,
                kind: CopyKind::from_code(kind).ok_or_else(|| bad_code(1, kind))?,
                copies: r.get(2)?,
                sent_to: r.get(3)?,
                sent_on: r.get(4)?,
                note: r.get(5)?,
                recorded_by: crate::domain::validate::sanitize_text(&r.get::<String>(6)?),
                recorded_at: r.get::<Civil>(7)?.0,
            })
        },
    )
}

/// The marketing log's entries that name the contract, the newest first.
pub fn log_entries(conn: &Conn, id: i64) -> Result<Vec<super::marketing::LogEntry>, DbError> {
    super::marketing::list(conn, &super::marketing::LogFilter { contract: Some(id), ..Default::default() }, 200)
}

/// `unit` and the units above it, nearest first, with their levels.
fn chain_units(conn: &Conn, unit: i64) -> Result<Vec<ChainUnit>, DbError> {
    let rows = conn.rows(
        "WITH RECURSIVE up(id, depth) AS (SELECT CAST(?1 AS bigint), 0 UNION \
         SELECT u.parent_id, up.depth + 1 FROM org_unit u JOIN up ON u.id = up.id \
         WHERE u.parent_id IS NOT NULL AND up.depth < 32) \
         SELECT up.id, o.kind FROM up JOIN org_unit o ON o.id = up.id ORDER BY up.depth",
        args![unit],
        |r| Ok((r.get::<i64>(0)?, r.get::<String>(1)?)),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, kind)| UnitLevel::from_code(&kind).map(|level| ChainUnit { id, level }))
        .collect())
}

/// Who decides `step` of `contract`, by the units as they stand now.
pub fn step_approvers(conn: &Conn, contract: &Contract, step: &ChainStep) -> Result<Approvers, DbError> {
    let customer_unit: i64 =
        conn.row("SELECT unit_id FROM customer WHERE id = ?1", args![contract.terms.customer_id], |r| r.get(0))?;
    let customer_units = chain_units(conn, customer_unit)?;
    let access_units = chain_units(conn, contract.terms.access_bureau)?;
    let provinces: Vec<i64> = access_units.iter().filter(|u| u.level == UnitLevel::Province).map(|u| u.id).collect();
    let mut bureaus = Vec::new();
    for province in provinces {
        bureaus.extend(conn.rows(
            "SELECT id FROM org_unit WHERE parent_id = ?1 AND kind = 'bureau' AND archived = 0 ORDER BY id",
            args![province],
            |r| Ok(Bureau { id: r.get(0)?, parent: province }),
        )?);
    }
    Ok(approvers(step, &customer_units, &access_units, &bureaus))
}

/// The step a contract waits on and who decides it; `None` when it waits
/// on no step.
pub fn approvers_of(conn: &Conn, contract: &Contract) -> Result<Option<(Step, Approvers)>, DbError> {
    let Some(position) = contract.approval().waiting_on() else { return Ok(None) };
    let Some(step) =
        steps(conn, contract.id)?.into_iter().find(|s| s.round == contract.round && s.position == position)
    else {
        return Ok(None);
    };
    let who = step_approvers(conn, contract, &step.chain_step())?;
    Ok(Some((step, who)))
}

/// Refuses unless `actor` decides the step `contract` waits on; the
/// refusal names the role and the body that do.
pub fn may_decide_step(conn: &Conn, actor: &Actor, contract: &Contract) -> Result<Approvers, DbError> {
    let Some((_, who)) = approvers_of(conn, contract)? else {
        return Err(DbError::Invalid(super::Invalid::Contract(if contract.approval().chain_complete() {
            ContractError::ChainComplete
        } else {
            ContractError::NotInApproval(contract.status)
        })));
    };
    if who.admit(&actor.staff) {
        return Ok(who);
    }
    let names: Vec<String> = who
        .units
        .iter()
        .take(1)
        .map(|u| {
            conn.row("SELECT name FROM org_unit WHERE id = ?1", args![u], |r| r.get::<String>(0))
                .map(|n| crate::domain::validate::sanitize_text(&n))
        })
        .collect::<Result<_, _>>()?;
    Err(crate::domain::staff::Refusal::ApprovalStep { role: who.role, unit: names.join("") }.into())
}

/// Refuses unless `actor` may draft and keep the contracts of `customer`
/// (whoever edits the customer).
pub fn may_keep(conn: &Conn, actor: &Actor, customer: &CustomerId) -> Result<(), DbError> {
    super::access::may_edit_customer(conn, actor, customer)
}

/// The access bureau kam proposes for a customer's new contract: the city
/// unit at or above the customer's unit, else the highest unit above it.
pub fn default_access_bureau(conn: &Conn, customer: &CustomerId) -> Result<i64, DbError> {
    let unit: i64 = conn.row("SELECT unit_id FROM customer WHERE id = ?1", args![customer], |r| r.get(0))?;
    let units = chain_units(conn, unit)?;
    let city = units.iter().find(|u| matches!(u.level, UnitLevel::City | UnitLevel::Province));
    Ok(city.or(units.last()).map_or(unit, |u| u.id))
}

/// Whether `bureau` is the customer's unit or a unit above it.
pub(super) fn is_access_bureau(conn: &Conn, customer: &CustomerId, bureau: i64) -> Result<bool, DbError> {
    let unit: i64 = conn.row("SELECT unit_id FROM customer WHERE id = ?1", args![customer], |r| r.get(0))?;
    Ok(chain_units(conn, unit)?.iter().any(|u| u.id == bureau))
}

/// The number kam proposes for a new contract through `access_bureau` in
/// `year`: its code, `HT`, the year, the next free sequence.
pub fn proposed_number(conn: &Conn, access_bureau: i64, year: i32) -> Result<String, DbError> {
    let code: String = conn
        .row("SELECT code FROM org_unit WHERE id = ?1", args![access_bureau], |r| r.get(0))
        .optional()?
        .unwrap_or_else(|| "KAM".to_string());
    let prefix = format!("{code}-HT{year}-");
    let taken: u32 = conn.row(
        "SELECT count(*) FROM contract WHERE substr(number, 1, ?2) = ?1",
        args![prefix, prefix.chars().count()],
        |r| r.get(0),
    )?;
    let mut n = taken;
    loop {
        let number = crate::domain::contract::proposed_number(&code, year, n);
        let used =
            conn.row("SELECT 1 FROM contract WHERE number = ?1", args![number], |r| r.get::<i64>(0)).optional()?;
        if used.is_none() {
            return Ok(number);
        }
        n += 1;
    }
}
