//! Who may open which form: asked by the app before any form opens, with the
//! same rules the storage layer applies when the form is saved
//! (`db::access`, `domain::staff`), so nobody types a whole form only to be
//! refused at the end.

use crate::ctx::Ctx;
use crate::db::DbError;
use crate::db::access::{ComplaintWork, may_work_on_complaint};
use crate::db::access::{Work, may_work_on, workable};
use crate::domain::complaint::{ComplaintFacts, allowed_transitions};
use crate::domain::id::CustomerId;
use crate::msg::Action;
use crate::msg::ComplaintRequest;
use crate::msg::ContractRequest;
use crate::msg::FormRequest;
use crate::msg::LogRequest;
use crate::msg::VisitRequest;

/// Why the user may not open the form `action` asks for, in their language;
/// `None` when they may (or when the action opens no form).
pub fn refusal(ctx: &Ctx, action: &Action) -> Option<String> {
    let allowed = match action {
        Action::OpenForm(request) => form(ctx, request),
        Action::OpenVisitForm(request) => visit(ctx, request),
        Action::OpenLogForm(request) => log(ctx, request),
        Action::OpenComplaintForm(request) => complaint(ctx, request),
        Action::OpenServiceForm(request) => service(ctx, request),
        Action::OpenContractForm(request) => contract(ctx, request),
        Action::OpenPipelineForm(request) => pipeline(ctx, request),
        _ => Ok(()),
    };
    allowed.err().map(|e| ctx.describe(&e))
}

fn on(ctx: &Ctx, customer: &CustomerId, work: Work) -> Result<(), DbError> {
    may_work_on(ctx.store.conn(), &ctx.actor(), customer, work)
}

fn form(ctx: &Ctx, request: &FormRequest) -> Result<(), DbError> {
    match request {
        FormRequest::NewCustomer { .. } => Ok(ctx.user.may_register_customer()?),
        FormRequest::EditCustomer { base, .. } => on(ctx, &base.id, Work::Edit),
        FormRequest::NewRecord { customer, .. } => on(ctx, customer, Work::Edit),
        FormRequest::EditRecord { base, .. } => on(ctx, &base.customer_id, Work::Edit),
        FormRequest::OverrideTier { .. } | FormRequest::DecideRegistration { .. } => Ok(ctx.user.may_decide()?),
    }
}

fn visit(ctx: &Ctx, request: &VisitRequest) -> Result<(), DbError> {
    match request {
        VisitRequest::Plan { customer: Some(c), .. } => on(ctx, c, Work::Visits),
        VisitRequest::Plan { customer: None, .. } => workable(ctx.store.conn(), &ctx.user, Work::Visits).map(|_| ()),
        VisitRequest::Record { base } | VisitRequest::Cancel { base } | VisitRequest::Edit { base } => {
            on(ctx, &base.customer_id, Work::Visits)
        }
    }
}

fn log(ctx: &Ctx, request: &LogRequest) -> Result<(), DbError> {
    match request {
        LogRequest::New { customer: Some(c) } => on(ctx, c, Work::Edit),
        LogRequest::New { customer: None } => workable(ctx.store.conn(), &ctx.user, Work::Edit).map(|_| ()),
        LogRequest::FromVisit { visit } => on(ctx, &visit.customer_id, Work::Edit),
        LogRequest::Comment { .. } => Ok(ctx.user.may_decide()?),
        LogRequest::ForContract { contract } => on(ctx, &contract.terms.customer_id, Work::Edit),
    }
}

/// Contracts (SPEC §12): drafting and keeping them is for whoever edits the
/// customer; deciding a step for its deciders; and each form only where the
/// contract stands so that its save can go through.
fn contract(ctx: &Ctx, request: &ContractRequest) -> Result<(), DbError> {
    use crate::db::Invalid;
    use crate::db::contracts::{self, ContractError};
    use crate::domain::contract::ContractStatus;
    let conn = ctx.store.conn();
    let stands = |e: ContractError| Err(DbError::Invalid(Invalid::Contract(e)));
    match request {
        ContractRequest::New { customer: Some(c) } => on(ctx, c, Work::Edit),
        ContractRequest::New { customer: None } => workable(conn, &ctx.user, Work::Edit).map(|_| ()),
        ContractRequest::Approve { base } | ContractRequest::Refuse { base } => {
            contracts::may_decide_step(conn, &ctx.actor(), base).map(|_| ())
        }
        ContractRequest::Edit { base } if base.status != ContractStatus::Draft => {
            stands(ContractError::NotDraft(base.status))
        }
        ContractRequest::Sign { base } if !base.approval().chain_complete() => match base.status {
            ContractStatus::InApproval => stands(ContractError::ChainIncomplete),
            other => stands(ContractError::NotInApproval(other)),
        },
        ContractRequest::File { base } if !crate::domain::contract::needs_filing(base.terms.tier) => {
            stands(ContractError::FilingNotRequired(base.terms.tier))
        }
        ContractRequest::File { base } if base.status != ContractStatus::Signed => {
            stands(ContractError::NotSigned(base.status))
        }
        ContractRequest::End { base } if base.status == ContractStatus::Ended => stands(ContractError::Ended),
        ContractRequest::Edit { base }
        | ContractRequest::Sign { base }
        | ContractRequest::File { base }
        | ContractRequest::End { base }
        | ContractRequest::Copy { base } => on(ctx, &base.terms.customer_id, Work::Edit),
    }
}

/// Whoever receives a complaint files it (SPEC §8), leaders excepted; its
/// steps and notes are for those who answer for it (`db::access`).
fn complaint(ctx: &Ctx, request: &ComplaintRequest) -> Result<(), DbError> {
    let conn = ctx.store.conn();
    match request {
        ComplaintRequest::File { customer: Some(c) } => may_work_on(conn, &ctx.actor(), c, Work::Complaint),
        ComplaintRequest::File { customer: None } => workable(conn, &ctx.user, Work::Complaint).map(|_| ()),
        ComplaintRequest::Phone { base } | ComplaintRequest::FollowUp { base } => {
            may_work_on_complaint(conn, &ctx.actor(), &base.parties(), ComplaintWork::Note)
        }
        // The form offers the steps the user may take; with none, the reason for the first.
        ComplaintRequest::Step { base } => {
            let facts = ComplaintFacts { team_named: true, ..base.facts() };
            let mut refusal = None;
            for t in allowed_transitions(base.state, &facts) {
                match may_work_on_complaint(conn, &ctx.actor(), &base.parties(), ComplaintWork::Step(t)) {
                    Ok(()) => return Ok(()),
                    Err(e) => refusal = refusal.or(Some(e)),
                }
            }
            refusal.map_or(Ok(()), Err)
        }
    }
}

/// Whoever takes the call receives a request (SPEC §9), leaders excepted;
/// a step is for those who work it, and only a step the request's status
/// allows (a special case's start waits for its phone contact).
fn service(ctx: &Ctx, request: &crate::msg::ServiceForm) -> Result<(), DbError> {
    use crate::db::access::{may_receive_request, may_work_on_request};
    use crate::db::requests::RequestProblem;
    use crate::msg::ServiceForm;
    let conn = ctx.store.conn();
    match request {
        ServiceForm::Receive { customer: Some(c) } => may_receive_request(conn, &ctx.actor(), c),
        ServiceForm::Receive { customer: None } => workable(conn, &ctx.user, Work::Complaint).map(|_| ()),
        ServiceForm::Step { base, step } => {
            may_work_on_request(conn, &ctx.actor(), &base.parties(), *step)?;
            crate::domain::request::next_status(base.status, *step, base.special, base.phoned())
                .map(|_| ())
                .map_err(|e| DbError::Invalid(crate::db::Invalid::Request(RequestProblem::Step(e))))
        }
    }
}

/// The development pipeline (SPEC §13.5–13.6): starting a prospect is for
/// whoever edits a customer; the ranking table for whoever decides for its unit.
fn pipeline(ctx: &Ctx, request: &crate::msg::PipelineForm) -> Result<(), DbError> {
    use crate::msg::PipelineForm;
    match request {
        PipelineForm::Start { customer: Some(c) } => on(ctx, c, Work::Edit),
        PipelineForm::Start { customer: None } => workable(ctx.store.conn(), &ctx.user, Work::Edit).map(|_| ()),
        PipelineForm::Industry { unit, .. } => {
            crate::db::access::may_decide_for_unit(ctx.store.conn(), &ctx.actor(), *unit)
        }
    }
}
