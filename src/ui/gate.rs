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
