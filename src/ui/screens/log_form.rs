//! Marketing log forms: write an entry (from scratch, or from a done visit
//! without typing its facts twice) and a supervisor's comment.

use crossterm::event::KeyEvent;

use super::form::{FormOutcome, form_actions, form_screen, route_form_key_with_pick};
use crate::ctx::Ctx;
use crate::db::DbError;
use crate::db::access::Work;
use crate::db::marketing::{self, NewLogEntry};
use crate::domain::complaint::Satisfaction;
use crate::domain::marketing_log::{DealStage, Method};
use crate::domain::validate::{self, FieldError};
use crate::i18n::{method_label, stage_label};
use crate::msg::{Action, LogRequest};
use crate::ui::widgets::customer_pick::{self, CustomerPick};
use crate::ui::widgets::form::{Form, FormField, SecondSave};

pub struct LogFormScreen {
    request: LogRequest,
    form: Form,
    title: String,
    opened: Vec<String>,
    discard_armed: bool,
    /// The customer field's pick list (writing an entry).
    pick: Option<CustomerPick>,
    /// Unusual dates asked about once; the same values saved again go ahead.
    second_save: SecondSave,
}

/// What an entry's form starts with.
struct Prefill {
    customer: String,
    day: String,
    method: Method,
    stage: DealStage,
    content: String,
    needs: String,
    next: String,
    /// The contract number an agreement-stage entry names.
    contract: String,
}

impl Prefill {
    fn new(day: String, method: Method) -> Prefill {
        Prefill {
            customer: String::new(),
            day,
            method,
            stage: DealStage::InitialContact,
            content: String::new(),
            needs: String::new(),
            next: String::new(),
            contract: String::new(),
        }
    }
}

/// The fields of an entry, filled as `p` says.
fn entry_fields(ctx: &Ctx, p: &Prefill) -> Vec<FormField> {
    let t = ctx.t();
    let lang = ctx.lang;
    let mut satisfactions = vec![(String::new(), "—".to_string())];
    satisfactions.extend(
        Satisfaction::ALL
            .iter()
            .map(|v| (v.code().to_string(), lang.pick(crate::i18n::satisfaction_label(*v)).to_string())),
    );
    let methods = Method::ALL.iter().map(|m| (m.code().to_string(), lang.pick(method_label(*m)).to_string())).collect();
    let stages =
        DealStage::ALL.iter().map(|s| (s.code().to_string(), lang.pick(stage_label(*s)).to_string())).collect();
    vec![
        FormField::text(customer_pick::FIELD, t.pick_customer, true, &p.customer),
        FormField::text("logged_on", t.f_logged_on, true, &p.day),
        FormField::pick("method", t.f_method, true, methods, p.method.code()),
        FormField::pick("stage", t.f_stage, true, stages, p.stage.code()),
        FormField::text("content", t.f_content, true, &p.content),
        FormField::text("needs", t.f_needs, false, &p.needs),
        FormField::text("cooperation", t.f_cooperation, false, ""),
        FormField::text("next_step", t.f_next_step, false, &p.next),
        FormField::text("next_due", t.f_next_due, false, ""),
        FormField::text("our_people", t.f_our_people, false, ""),
        FormField::text("their_people", t.f_their_people, false, ""),
        FormField::pick("satisfaction", t.f_satisfaction, false, satisfactions, ""),
        // SPEC §12: an agreement-stage entry names the contract it reached.
        FormField::text("contract", t.f_log_contract, false, &p.contract),
    ]
}

impl LogFormScreen {
    pub fn new(ctx: &Ctx, request: LogRequest) -> LogFormScreen {
        let t = ctx.t();
        let mut pick = None;
        let (title, fields) = match &request {
            LogRequest::New { customer } => {
                let given = customer.as_ref().and_then(|id| crate::db::customers::load(ctx.store.conn(), id).ok());
                let customer_pick =
                    CustomerPick::new(ctx, Work::Edit, given.as_ref().map(|d| (&d.id, d.text("short_name"))));
                let text = match (&given, customer) {
                    (Some(_), _) => customer_pick.initial_text(),
                    (None, Some(id)) => id.as_str().to_string(),
                    (None, None) => String::new(),
                };
                pick = Some(customer_pick);
                let prefill = Prefill { customer: text, ..Prefill::new(ctx.today().to_string(), Method::Visit) };
                (t.form_new_log.to_string(), entry_fields(ctx, &prefill))
            }
            LogRequest::FromVisit { visit } => {
                let customer_pick =
                    CustomerPick::new(ctx, Work::Edit, Some((&visit.customer_id, &visit.customer_name)));
                let day = visit.done_at.unwrap_or(visit.planned_at).date().to_string();
                let content =
                    [visit.purpose.as_str(), visit.business.as_str(), visit.opinions.as_str(), visit.problems.as_str()]
                        .iter()
                        .filter(|s| !s.is_empty())
                        .copied()
                        .collect::<Vec<_>>()
                        .join(";");
                let method =
                    if visit.kind == crate::domain::visit::VisitKind::Phone { Method::Phone } else { Method::Visit };
                let prefill = Prefill {
                    customer: customer_pick.initial_text(),
                    content,
                    needs: visit.new_needs.clone(),
                    next: visit.next_step.clone(),
                    ..Prefill::new(day, method)
                };
                pick = Some(customer_pick);
                (format!("{} · {}", t.form_new_log, visit.customer_name), entry_fields(ctx, &prefill))
            }
            LogRequest::ForContract { contract } => {
                let customer_pick =
                    CustomerPick::new(ctx, Work::Edit, Some((&contract.terms.customer_id, &contract.customer_name)));
                let prefill = Prefill {
                    customer: customer_pick.initial_text(),
                    stage: DealStage::Agreement,
                    contract: contract.terms.number.clone(),
                    ..Prefill::new(ctx.today().to_string(), Method::Meeting)
                };
                pick = Some(customer_pick);
                (format!("{} · {}", t.form_new_log, contract.terms.number), entry_fields(ctx, &prefill))
            }
            LogRequest::Comment { customer_name, .. } => (
                format!("{} · {customer_name}", t.form_comment_log),
                vec![FormField::text("comment", t.f_comment, false, "")],
            ),
        };
        let form = Form::new(fields);
        let opened = form.values();
        LogFormScreen { request, form, title, opened, discard_armed: false, pick, second_save: SecondSave::default() }
    }

    fn text(&self, key: &str) -> String {
        validate::sanitize_text(self.form.value(key).trim())
    }

    fn save(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        self.form.clear_errors();
        let actor = ctx.actor();
        let t = ctx.t();
        let required = |s: &mut Self, key: &str| {
            s.form.set_error(key, Some(crate::ui::field_error_text(ctx.lang, &FieldError::Required)));
        };
        let result: Result<Vec<Action>, DbError> = match self.request.clone() {
            LogRequest::Comment { log_id, .. } => {
                let comment = self.text("comment");
                marketing::comment(&mut ctx.store, &actor, log_id, Some(comment.as_str()).filter(|c| !c.is_empty()))
                    .map(|_| vec![Action::Saved, Action::Info(t.log_commented.to_string())])
            }
            LogRequest::New { .. } | LogRequest::FromVisit { .. } | LogRequest::ForContract { .. } => {
                let visit_id = match &self.request {
                    LogRequest::FromVisit { visit } => Some(visit.id),
                    _ => None,
                };
                let customer = match &self.pick {
                    Some(pick) => pick.resolve(ctx, &self.form.value(customer_pick::FIELD)),
                    None => Err(t.err_customer_unknown.to_string()),
                };
                if let Err(why) = &customer {
                    self.form.set_error(customer_pick::FIELD, Some(why.clone()));
                }
                let field_error = |e: &FieldError| crate::ui::field_error_text(ctx.lang, e);
                // A record of a contact that has happened: today or earlier.
                let day = validate::date(&self.text("logged_on")).and_then(|d| validate::done_on(d, ctx.today()));
                match &day {
                    Err(e) => self.form.set_error("logged_on", Some(field_error(e))),
                    Ok(d) => self.warn(ctx, "logged_on", validate::unusual_done(*d, ctx.today())),
                }
                let due = match self.text("next_due").as_str() {
                    "" => Ok(None),
                    d => validate::date(d).map(Some),
                };
                // The next step is due on or after the entry's own day.
                let due = match (due, &day) {
                    (Ok(Some(due)), Ok(day)) => validate::due_after(due, *day).map(Some),
                    (other, _) => other,
                };
                match (&due, &day) {
                    (Err(e), _) => self.form.set_error("next_due", Some(field_error(e))),
                    (Ok(Some(due)), Ok(day)) => self.warn(ctx, "next_due", validate::unusual_due(*due, *day)),
                    _ => {}
                }
                if self.text("content").is_empty() {
                    required(self, "content");
                }
                let contract = self.contract(ctx);
                let (Ok(customer), Ok(day), Ok(next_due), Ok(contract)) = (customer, day, due, contract) else {
                    self.form.focus_first_error();
                    return vec![Action::Error(self.form.errors_message(t))];
                };
                if self.form.error_count() > 0 {
                    self.form.focus_first_error();
                    return vec![Action::Error(self.form.errors_message(t))];
                }
                if self.form.warning_count() > 0 && !self.second_save.confirmed(&self.form) {
                    self.second_save.asked(&self.form);
                    self.form.focus_first_error();
                    return vec![Action::Info(t.confirm_unusual.to_string())];
                }
                let entry = NewLogEntry {
                    customer_id: customer,
                    logged_on: day,
                    method: Method::from_code(&self.form.value("method")).unwrap_or(Method::Other),
                    stage: DealStage::from_code(&self.form.value("stage")).unwrap_or(DealStage::InitialContact),
                    content: self.text("content"),
                    needs: self.text("needs"),
                    cooperation: self.text("cooperation"),
                    satisfaction: Satisfaction::from_code(&self.form.value("satisfaction")),
                    next_step: self.text("next_step"),
                    next_due,
                    our_people: self.text("our_people"),
                    their_people: self.text("their_people"),
                    visit_id,
                };
                let written = match contract {
                    Some(c) if c.terms.customer_id != entry.customer_id || entry.stage != DealStage::Agreement => {
                        let why =
                            crate::ui::contract_error_text(ctx.lang, &crate::db::contracts::ContractError::LogLink);
                        self.form.set_error("contract", Some(why.clone()));
                        self.form.focus_first_error();
                        return vec![Action::Error(why)];
                    }
                    Some(c) => crate::db::contracts::write_log(&mut ctx.store, &actor, &entry, Some(c.id)),
                    None => marketing::write(&mut ctx.store, &actor, &entry),
                };
                written.map(|_| vec![Action::Saved, Action::Info(t.log_written.to_string())])
            }
        };
        match result {
            Ok(actions) => actions,
            Err(e) => vec![Action::Error(ctx.describe(&e))],
        }
    }

    /// The contract the entry names (by its number), if one is typed; an
    /// unknown number is marked at its field.
    fn contract(&mut self, ctx: &Ctx) -> Result<Option<crate::db::contracts::Contract>, ()> {
        let number = self.text("contract");
        if number.is_empty() {
            return Ok(None);
        }
        match crate::db::contracts::by_number(ctx.store.conn(), &number) {
            Ok(Some(c)) => Ok(Some(c)),
            Ok(None) => {
                self.form.set_error("contract", Some(ctx.t().err_contract_unknown.to_string()));
                Err(())
            }
            Err(e) => {
                self.form.set_error("contract", Some(ctx.describe(&e)));
                Err(())
            }
        }
    }

    fn warn(&mut self, ctx: &Ctx, key: &str, unusual: Option<validate::Unusual>) {
        if let Some(u) = unusual {
            self.form.set_warning(key, Some(crate::ui::unusual_text(ctx.lang, u).to_string()));
        }
    }

    fn on_key(&mut self, ctx: &mut Ctx, key: &KeyEvent) -> Vec<Action> {
        let outcome = route_form_key_with_pick(
            &mut self.form,
            self.pick.as_mut(),
            ctx,
            key,
            &mut self.discard_armed,
            &self.opened,
        );
        match outcome {
            FormOutcome::Save => self.save(ctx),
            other => form_actions(other, ctx),
        }
    }
}

form_screen!(LogFormScreen);
