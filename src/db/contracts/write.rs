//! Writing contracts: drafts and their edits, the approval steps, the
//! signing, the filing, copies, ending, and log entries that name one.
//! Each write is one transaction, asks the access rules first and checks
//! the contract as it stands inside the transaction.

use chrono::NaiveDate;

use super::{Contract, ContractError, Terms, chain_for, is_access_bureau, lines_text, load, may_decide_step, may_keep};
use crate::db::marketing::{self, NewLogEntry};
use crate::db::sql::{Optional, Sql, args};
use crate::db::{Actor, Conflict, DbError, Invalid, Store, Tx};
use crate::domain::contract::{Approval, CopyKind, Outcome};
use crate::domain::marketing_log::DealStage;
use crate::domain::validate::sanitize_text;

fn invalid(e: ContractError) -> DbError {
    DbError::Invalid(Invalid::Contract(e))
}

fn text(s: &str) -> String {
    sanitize_text(s.trim())
}

/// The terms as they will be stored, checked: a number, an access bureau at
/// or above the customer's unit, service lines that exist, the end not
/// before the start.
fn checked(tx: &Tx<'_>, t: &Terms) -> Result<Terms, DbError> {
    let number = text(&t.number);
    if number.is_empty() {
        return Err(invalid(ContractError::Missing("number")));
    }
    if !is_access_bureau(tx, &t.customer_id, t.access_bureau)? {
        return Err(invalid(ContractError::AccessBureau));
    }
    if let (Some(start), Some(end)) = (t.start_on, t.end_on)
        && end < start
    {
        return Err(invalid(ContractError::EndBeforeStart));
    }
    let mut lines = Vec::new();
    for id in &t.service_lines {
        tx.row("SELECT id FROM service_line WHERE id = ?1", args![id], |r| r.get::<i64>(0))
            .optional()?
            .ok_or(DbError::NotFound)?;
        if !lines.contains(id) {
            lines.push(*id);
        }
    }
    Ok(Terms {
        number,
        service_lines: lines,
        signing_body: text(&t.signing_body),
        price_terms: text(&t.price_terms),
        discount_terms: text(&t.discount_terms),
        term_length: text(&t.term_length),
        renewal: text(&t.renewal),
        payment: text(&t.payment),
        penalties: text(&t.penalties),
        ..t.clone()
    })
}

/// Refuses a number another contract has (`except`: this one).
fn number_free(tx: &Tx<'_>, number: &str, except: Option<i64>) -> Result<(), DbError> {
    let other: Option<i64> =
        tx.row("SELECT id FROM contract WHERE number = ?1", args![number], |r| r.get(0)).optional()?;
    match other {
        Some(id) if Some(id) != except => Err(invalid(ContractError::NumberTaken(number.to_string()))),
        _ => Ok(()),
    }
}

/// Drafts a contract for a customer; returns its id.
pub fn create(store: &mut Store, actor: &Actor, terms: &Terms) -> Result<i64, DbError> {
    store.write(|tx| {
        may_keep(tx, actor, &terms.customer_id)?;
        let t = checked(tx, terms)?;
        number_free(tx, &t.number, None)?;
        let (by, at) = (actor.staff.id, actor.stamp());
        tx.row(
            "INSERT INTO contract (number, customer_id, kind, access_bureau, signing_body, tier, service_lines, \
             price_terms, discount_terms, term_length, renewal, payment, penalties, value, start_on, end_on, \
             created_by, created_at, updated_by, updated_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?17, ?18) \
             RETURNING id",
            args![
                t.number,
                t.customer_id,
                t.kind.code(),
                t.access_bureau,
                t.signing_body,
                t.tier.code(),
                lines_text(&t.service_lines),
                t.price_terms,
                t.discount_terms,
                t.term_length,
                t.renewal,
                t.payment,
                t.penalties,
                t.value,
                t.start_on,
                t.end_on,
                by,
                at
            ],
            |r| r.get(0),
        )
        .map_err(crate::db::error::constraint_as_invalid)
    })
}

/// The contract as it stands, refused when someone changed it since
/// `version` was read.
fn current(tx: &Tx<'_>, id: i64, version: i64) -> Result<Contract, DbError> {
    let now = load(tx, id)?;
    if now.version != version {
        let changed_by: String = tx
            .row("SELECT name FROM staff WHERE id = ?1", args![now.updated_by], |r| r.get(0))
            .optional()?
            .unwrap_or_default();
        return Err(DbError::Conflict(Box::new(Conflict {
            current_version: now.version,
            changed_by: sanitize_text(&changed_by),
            changed_at: now.updated_at.format("%Y-%m-%d %H:%M").to_string(),
            changes: Vec::new(),
        })));
    }
    Ok(now)
}

/// Changes a draft's terms (not its customer). `version`: the version the
/// form was opened on.
pub fn update(store: &mut Store, actor: &Actor, id: i64, version: i64, terms: &Terms) -> Result<(), DbError> {
    store.write(|tx| {
        let now = current(tx, id, version)?;
        may_keep(tx, actor, &now.terms.customer_id)?;
        if now.status != crate::domain::contract::ContractStatus::Draft {
            return Err(invalid(ContractError::NotDraft(now.status)));
        }
        let t = checked(tx, &Terms { customer_id: now.terms.customer_id.clone(), ..terms.clone() })?;
        number_free(tx, &t.number, Some(id))?;
        tx.exec(
            "UPDATE contract SET number = ?1, kind = ?2, access_bureau = ?3, signing_body = ?4, tier = ?5, \
             service_lines = ?6, price_terms = ?7, discount_terms = ?8, term_length = ?9, renewal = ?10, \
             payment = ?11, penalties = ?12, value = ?13, start_on = ?14, end_on = ?15, version = version + 1, \
             updated_by = ?16, updated_at = ?17 WHERE id = ?18",
            args![
                t.number,
                t.kind.code(),
                t.access_bureau,
                t.signing_body,
                t.tier.code(),
                lines_text(&t.service_lines),
                t.price_terms,
                t.discount_terms,
                t.term_length,
                t.renewal,
                t.payment,
                t.penalties,
                t.value,
                t.start_on,
                t.end_on,
                actor.staff.id,
                actor.stamp(),
                id
            ],
        )
        .map_err(crate::db::error::constraint_as_invalid)?;
        Ok(())
    })
}

/// Submits a draft for approval: the chain of its tier (as the bureau has
/// it now) is copied as a new round, waiting on its first step. The dates
/// and the service lines must be filled first.
pub fn submit(store: &mut Store, actor: &Actor, id: i64, version: i64) -> Result<(), DbError> {
    store.write(|tx| {
        let now = current(tx, id, version)?;
        may_keep(tx, actor, &now.terms.customer_id)?;
        if now.terms.start_on.is_none() {
            return Err(invalid(ContractError::Missing("start_on")));
        }
        if now.terms.end_on.is_none() {
            return Err(invalid(ContractError::Missing("end_on")));
        }
        if now.terms.service_lines.is_empty() {
            return Err(invalid(ContractError::Missing("service_lines")));
        }
        let chain = chain_for(tx, now.terms.tier)?;
        let next = now.approval().submit(chain.len()).map_err(invalid)?;
        for (i, step) in chain.iter().enumerate() {
            tx.exec(
                "INSERT INTO contract_step (contract_id, round, position, name, role, scope) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                args![id, next.round, i + 1, step.name, step.role.code(), step.scope.code()],
            )?;
        }
        move_on(tx, actor, id, &next, None)
    })
}

/// Writes where the approval now stands, and (back in draft) the refusal.
fn move_on(tx: &Tx<'_>, actor: &Actor, id: i64, to: &Approval, refusal: Option<&str>) -> Result<(), DbError> {
    tx.exec(
        "UPDATE contract SET status = ?1, round = ?2, current_step = ?3, refusal = ?4, version = version + 1, \
         updated_by = ?5, updated_at = ?6 WHERE id = ?7",
        args![to.status.code(), to.round, to.current, refusal, actor.staff.id, actor.stamp(), id],
    )?;
    Ok(())
}

/// Decides the step the contract waits on, as one of its deciders.
fn decide(tx: &Tx<'_>, actor: &Actor, now: &Contract, outcome: Outcome, opinion: &str) -> Result<(), DbError> {
    let who = may_decide_step(tx, actor, now)?;
    let Some(position) = now.current_step else { return Err(invalid(ContractError::ChainComplete)) };
    let opinion = text(opinion);
    let changed = tx.exec(
        "UPDATE contract_step SET outcome = ?1, opinion = ?2, decided_by = ?3, decided_at = ?4, on_behalf = ?5 \
         WHERE contract_id = ?6 AND round = ?7 AND position = ?8 AND outcome IS NULL",
        args![outcome.code(), opinion, actor.staff.id, actor.stamp(), who.on_behalf, now.id, now.round, position],
    )?;
    if changed != 1 {
        return Err(DbError::NotFound);
    }
    Ok(())
}

/// The step waited on approves, with the decider's opinion: the next step
/// is waited on, or after the last the signatures.
pub fn approve(store: &mut Store, actor: &Actor, id: i64, version: i64, opinion: &str) -> Result<(), DbError> {
    store.write(|tx| {
        let now = current(tx, id, version)?;
        let next = now.approval().approve().map_err(invalid)?;
        decide(tx, actor, &now, Outcome::Approved, opinion)?;
        move_on(tx, actor, id, &next, None)
    })
}

/// The step waited on refuses, with its reason: the contract goes back to
/// draft; submitting it again starts the chain over.
pub fn refuse(store: &mut Store, actor: &Actor, id: i64, version: i64, reason: &str) -> Result<(), DbError> {
    store.write(|tx| {
        let now = current(tx, id, version)?;
        let back = now.approval().refuse(reason).map_err(invalid)?;
        decide(tx, actor, &now, Outcome::Refused, reason)?;
        move_on(tx, actor, id, &back, Some(&text(reason)))
    })
}

/// Refuses a date after the actor's today.
fn not_future(actor: &Actor, day: NaiveDate) -> Result<(), DbError> {
    if day > actor.today() { Err(invalid(ContractError::InFuture)) } else { Ok(()) }
}

/// Both sides signed on `signed_on` (every step approved first).
pub fn sign(store: &mut Store, actor: &Actor, id: i64, version: i64, signed_on: NaiveDate) -> Result<(), DbError> {
    store.write(|tx| {
        let now = current(tx, id, version)?;
        may_keep(tx, actor, &now.terms.customer_id)?;
        let next = now.approval().sign().map_err(invalid)?;
        not_future(actor, signed_on)?;
        let last_decided: Option<crate::db::sql_types::Civil> = tx.row(
            "SELECT max(decided_at) FROM contract_step WHERE contract_id = ?1 AND round = ?2",
            args![id, now.round],
            |r| r.get(0),
        )?;
        if last_decided.is_some_and(|at| signed_on < at.0.date()) {
            return Err(invalid(ContractError::SignedBeforeApproval));
        }
        tx.exec(
            "UPDATE contract SET status = ?1, signed_on = ?2, version = version + 1, updated_by = ?3, updated_at = ?4 \
             WHERE id = ?5",
            args![next.status.code(), signed_on, actor.staff.id, actor.stamp(), id],
        )?;
        // The first agreement converts a prospect (development pipeline, SPEC §13.5).
        let before: i64 = tx.row(
            "SELECT count(*) FROM contract WHERE customer_id = ?1 AND signed_on IS NOT NULL AND id <> ?2",
            args![now.terms.customer_id, id],
            |r| r.get(0),
        )?;
        let before = u32::try_from(before).unwrap_or(u32::MAX);
        crate::db::pipeline::convert_in(tx, actor, &now.terms.customer_id, signed_on, before)?;
        Ok(())
    })
}

/// A copy sent somewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCopy {
    pub kind: CopyKind,
    pub copies: u32,
    pub sent_to: String,
    pub sent_on: NaiveDate,
    pub note: String,
}

fn insert_copy(tx: &Tx<'_>, actor: &Actor, id: i64, c: &NewCopy) -> Result<i64, DbError> {
    if c.copies == 0 {
        return Err(invalid(ContractError::NoCopies));
    }
    let sent_to = text(&c.sent_to);
    if sent_to.is_empty() {
        return Err(invalid(ContractError::Missing("sent_to")));
    }
    not_future(actor, c.sent_on)?;
    tx.row(
        "INSERT INTO contract_copy (contract_id, kind, copies, sent_to, sent_on, note, recorded_by, recorded_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id",
        args![id, c.kind.code(), c.copies, sent_to, c.sent_on, text(&c.note), actor.staff.id, actor.stamp()],
        |r| r.get(0),
    )
}

/// Filed with the province on `filed_on` (platinum and above, once signed):
/// the photocopy sent to `sent_to` is recorded with it.
pub fn file(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    version: i64,
    filed_on: NaiveDate,
    sent_to: &str,
    note: &str,
) -> Result<(), DbError> {
    store.write(|tx| {
        let now = current(tx, id, version)?;
        may_keep(tx, actor, &now.terms.customer_id)?;
        let next = now.approval().file(now.terms.tier).map_err(invalid)?;
        not_future(actor, filed_on)?;
        if now.signed_on.is_some_and(|signed| filed_on < signed) {
            return Err(invalid(ContractError::FiledBeforeSigned));
        }
        let photocopy = NewCopy {
            kind: CopyKind::Photocopy,
            copies: 1,
            sent_to: sent_to.to_string(),
            sent_on: filed_on,
            note: note.into(),
        };
        insert_copy(tx, actor, id, &photocopy)?;
        tx.exec(
            "UPDATE contract SET status = ?1, filed_on = ?2, version = version + 1, updated_by = ?3, updated_at = ?4 \
             WHERE id = ?5",
            args![next.status.code(), filed_on, actor.staff.id, actor.stamp(), id],
        )?;
        Ok(())
    })
}

/// Ends a contract on `ended_on`: expired, terminated, or a draft
/// abandoned. A reason is required unless it ends on or after its end date.
pub fn end(
    store: &mut Store,
    actor: &Actor,
    id: i64,
    version: i64,
    ended_on: NaiveDate,
    reason: &str,
) -> Result<(), DbError> {
    store.write(|tx| {
        let now = current(tx, id, version)?;
        may_keep(tx, actor, &now.terms.customer_id)?;
        let next = now.approval().end().map_err(invalid)?;
        not_future(actor, ended_on)?;
        let expired = now.status.in_force() && now.terms.end_on.is_some_and(|end| ended_on >= end);
        let reason = text(reason);
        if reason.is_empty() && !expired {
            return Err(invalid(ContractError::ReasonRequired));
        }
        tx.exec(
            "UPDATE contract SET status = ?1, current_step = NULL, ended_on = ?2, end_reason = ?3, \
             version = version + 1, updated_by = ?4, updated_at = ?5 WHERE id = ?6",
            args![next.status.code(), ended_on, reason, actor.staff.id, actor.stamp(), id],
        )?;
        Ok(())
    })
}

/// Records copies sent somewhere (with the submission, after the signing).
pub fn add_copy(store: &mut Store, actor: &Actor, id: i64, copy: &NewCopy) -> Result<i64, DbError> {
    store.write(|tx| {
        let now = load(tx, id)?;
        may_keep(tx, actor, &now.terms.customer_id)?;
        insert_copy(tx, actor, id, copy)
    })
}

/// Writes a marketing-log entry, naming `contract` when given: only an
/// agreement-stage entry names one, and only of its own customer. One
/// transaction: the entry and its link.
pub fn write_log(store: &mut Store, actor: &Actor, entry: &NewLogEntry, contract: Option<i64>) -> Result<i64, DbError> {
    store.write(|tx| {
        let id = marketing::write_in(tx, actor, entry)?;
        if let Some(contract) = contract {
            let named = load(tx, contract)?;
            if entry.stage != DealStage::Agreement || named.terms.customer_id != entry.customer_id {
                return Err(invalid(ContractError::LogLink));
            }
            tx.exec(
                "UPDATE marketing_log SET contract_id = ?1, updated_by = ?2, updated_at = ?3 WHERE id = ?4",
                args![contract, actor.staff.id, actor.stamp(), id],
            )?;
        }
        Ok(id)
    })
}
