//! Complaint forms: file a new complaint (the one filing it is first-responsible)
//! and take the next step of the workflow.

use chrono::NaiveDateTime;
use crossterm::event::KeyEvent;

use super::form::{FormOutcome, form_actions, form_screen, received_at_field, route_form_key_with_pick};
use crate::ctx::Ctx;
use crate::db::DbError;
use crate::db::access::Work;
use crate::db::complaints::{self, Complaint, NewComplaint, StepDetails};
use crate::db::customers;
use crate::domain::complaint::{Category, Channel, Locality, Severity, Transition, WorkflowError, allowed_transitions};
use crate::domain::id::CustomerId;
use crate::domain::staff::Role;
use crate::domain::validate::{self, FieldError};
use crate::i18n::{
    channel_label, complaint_category_label, complaint_status_label, fill, locality_label, severity_label,
    transition_label,
};
use crate::msg::{Action, ComplaintRequest};
use crate::ui::widgets::customer_pick::{self, CustomerPick};
use crate::ui::widgets::form::{Form, FormField, SecondSave};

pub struct ComplaintFormScreen {
    request: ComplaintRequest,
    form: Form,
    title: String,
    opened: Vec<String>,
    discard_armed: bool,
    /// The transitions offered, in the order of the pick list.
    steps: Vec<Transition>,
    /// The customer field's pick list (filing a complaint).
    pick: Option<CustomerPick>,
    /// Unusual dates asked about once; the same values saved again go ahead.
    second_save: SecondSave,
}

fn pick<T: Copy>(
    key: &str,
    label: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    name: impl Fn(T) -> String,
) -> FormField {
    let options = all.iter().map(|v| (code(*v).to_string(), name(*v))).collect();
    FormField::pick(key, label, true, options, "")
}

/// Whether the user may take step `t` of `base` (`db::access`'s complaint rules).
pub fn may_take(ctx: &Ctx, base: &Complaint, t: Transition) -> bool {
    let work = crate::db::access::ComplaintWork::Step(t);
    crate::db::access::may_work_on_complaint(ctx.store.conn(), &ctx.actor(), &base.parties(), work).is_ok()
}

/// The fields of a new complaint, with the customer's pick list (`customer`
/// given when filed from a dossier).
fn filing_fields(ctx: &Ctx, customer: Option<&CustomerId>) -> (String, Vec<FormField>, CustomerPick) {
    let (t, lang) = (ctx.t(), ctx.lang);
    let given = customer.and_then(|id| customers::load(ctx.store.conn(), id).ok());
    let customer_pick = CustomerPick::new(ctx, Work::Complaint, given.as_ref().map(|d| (&d.id, d.text("short_name"))));
    let customer_text = match (&given, customer) {
        (Some(_), _) => customer_pick.initial_text(),
        (None, Some(id)) => id.as_str().to_string(),
        (None, None) => String::new(),
    };
    let received = ctx.clock.now().format("%Y-%m-%d %H:%M").to_string();
    let fields = vec![
        FormField::text(customer_pick::FIELD, t.pick_customer, true, &customer_text),
        pick("channel", t.f_channel, &Channel::ALL, Channel::code, |c| lang.pick(channel_label(c)).into()),
        FormField::text("complainant", t.f_complainant, true, ""),
        FormField::text("contact", t.f_contact, false, ""),
        pick("category", t.f_category, &Category::ALL, Category::code, |c| {
            lang.pick(complaint_category_label(c)).into()
        }),
        FormField::text("description", t.f_description, true, ""),
        pick("severity", t.f_severity, &Severity::ALL, Severity::code, |s| lang.pick(severity_label(s)).into()),
        pick("locality", t.f_locality, &Locality::ALL, Locality::code, |l| lang.pick(locality_label(l)).into()),
        FormField::text("department", t.f_department, false, ""),
        // When it reached us (it may be filed later than that).
        FormField::text("received_at", t.f_received_at, true, &received),
    ];
    (t.form_file_complaint.to_string(), fields, customer_pick)
}

/// The fields of the next step of complaint `base`, with the transitions
/// offered in the order of the step pick list.
fn step_fields(ctx: &Ctx, base: &Complaint) -> (String, Vec<FormField>, Vec<Transition>) {
    let (t, lang) = (ctx.t(), ctx.lang);
    // Offer Resolve even before a team is named: the team can be named in
    // this same form, and the workflow still refuses it if it stays empty.
    let facts = crate::domain::complaint::ComplaintFacts { team_named: true, ..base.facts() };
    let mut steps = allowed_transitions(base.state, &facts);
    // Only the steps this user may take (closing over the customer's
    // dissatisfaction, and an escalated complaint's steps, are for those who
    // decide about the customer; the others escalate to them).
    steps.retain(|s| may_take(ctx, base, *s));
    let options: Vec<(String, String)> =
        steps.iter().enumerate().map(|(i, s)| (i.to_string(), lang.pick(transition_label(*s)).to_string())).collect();
    let mut handlers = vec![(String::new(), "—".to_string())];
    handlers.extend(
        ctx.reference.staff.iter().filter(|s| s.role != Role::Leader).map(|s| (s.id.to_string(), s.name.clone())),
    );
    // The customer's account manager is the natural handler (SPEC §8).
    let owner =
        customers::load(ctx.store.conn(), &base.customer_id).ok().map(|d| d.owner_a().to_string()).unwrap_or_default();
    let handler = base.handler_id.map(|h| h.to_string()).unwrap_or(owner);
    let follow = vec![("no".to_string(), t.no.to_string()), ("yes".to_string(), t.f_follow_up.to_string())];
    let fields = vec![
        FormField::pick("step", t.f_step, true, options, "0"),
        FormField::text("note", t.f_note, false, ""),
        FormField::pick("handler", t.f_handler, false, handlers, &handler),
        FormField::text("result", t.f_result, false, &base.result),
        FormField::text("team", t.f_team, false, &base.team),
        FormField::pick("follow_up", t.f_follow_up, false, follow, if base.follow_up { "yes" } else { "no" }),
    ];
    let title = format!(
        "{} · {} · {}",
        t.form_step_complaint,
        base.number,
        lang.pick(complaint_status_label(base.state, base.satisfaction))
    );
    (title, fields, steps)
}

impl ComplaintFormScreen {
    pub fn new(ctx: &Ctx, request: ComplaintRequest) -> ComplaintFormScreen {
        let t = ctx.t();
        let mut steps = Vec::new();
        let mut customer_field = None;
        let (title, fields) = match &request {
            ComplaintRequest::File { customer } => {
                let (title, fields, customer_pick) = filing_fields(ctx, customer.as_ref());
                customer_field = Some(customer_pick);
                (title, fields)
            }
            ComplaintRequest::Step { base } => {
                let (title, fields, offered) = step_fields(ctx, base);
                steps = offered;
                (title, fields)
            }
            ComplaintRequest::Phone { base } => (
                format!("{} · {}", t.form_phone_contact, base.number),
                vec![FormField::text("note", t.f_note, true, "")],
            ),
            ComplaintRequest::FollowUp { base } => {
                let cleared =
                    vec![("no".to_string(), t.no.to_string()), ("yes".to_string(), t.f_impact_cleared.to_string())];
                let fields = vec![
                    FormField::text("note", t.f_note, true, ""),
                    FormField::pick("cleared", t.f_impact_cleared, false, cleared, "no"),
                ];
                (format!("{} · {}", t.form_follow_up, base.number), fields)
            }
        };
        let form = Form::new(fields);
        let opened = form.values();
        ComplaintFormScreen {
            request,
            form,
            title,
            opened,
            discard_armed: false,
            steps,
            pick: customer_field,
            second_save: SecondSave::default(),
        }
    }

    fn text(&self, key: &str) -> String {
        validate::sanitize_text(self.form.value(key).trim())
    }

    fn save(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        self.form.clear_errors();
        let actor = ctx.actor();
        let t = ctx.t();
        let result: Result<Vec<Action>, DbError> = match self.request.clone() {
            ComplaintRequest::File { .. } => self.file(ctx),
            ComplaintRequest::Phone { base } => {
                let Some(note) = self.note(ctx) else { return vec![Action::Error(t.err_required.to_string())] };
                complaints::record_phone_contact(&mut ctx.store, &actor, base.id, &note)
                    .map(|_| vec![Action::Saved, Action::Info(t.form_saved.to_string())])
            }
            ComplaintRequest::FollowUp { base } => {
                let Some(note) = self.note(ctx) else { return vec![Action::Error(t.err_required.to_string())] };
                let cleared = self.form.value("cleared") == "yes";
                complaints::follow_up(&mut ctx.store, &actor, base.id, &note, cleared)
                    .map(|_| vec![Action::Saved, Action::Info(t.form_saved.to_string())])
            }
            ComplaintRequest::Step { base } => self.take_step(ctx, base),
        };
        match result {
            Ok(actions) => actions,
            Err(e) => vec![Action::Error(ctx.describe(&e))],
        }
    }

    /// Files the new complaint, or marks what is missing.
    fn file(&mut self, ctx: &mut Ctx) -> Result<Vec<Action>, DbError> {
        let actor = ctx.actor();
        let t = ctx.t();
        let customer = match &self.pick {
            Some(pick) => pick.resolve(ctx, &self.form.value(customer_pick::FIELD)),
            None => Err(t.err_customer_unknown.to_string()),
        };
        if let Err(why) = &customer {
            self.form.set_error(customer_pick::FIELD, Some(why.clone()));
        }
        for key in ["complainant", "description"] {
            if self.text(key).is_empty() {
                self.form.set_error(key, Some(crate::ui::field_error_text(ctx.lang, &FieldError::Required)));
            }
        }
        let received = self.received_at(ctx);
        let (Ok(customer), Some(received_at)) = (customer, received) else {
            self.form.focus_first_error();
            return Ok(vec![Action::Error(self.form.errors_message(t))]);
        };
        if self.form.error_count() > 0 {
            self.form.focus_first_error();
            return Ok(vec![Action::Error(self.form.errors_message(t))]);
        }
        if self.form.warning_count() > 0 && !self.second_save.confirmed(&self.form) {
            self.second_save.asked(&self.form);
            self.form.focus_first_error();
            return Ok(vec![Action::Info(t.confirm_unusual.to_string())]);
        }
        let new = NewComplaint {
            customer_id: customer,
            received_at,
            channel: Channel::from_code(&self.form.value("channel")).unwrap_or(Channel::Phone),
            complainant: self.text("complainant"),
            contact: self.text("contact"),
            category: Category::from_code(&self.form.value("category")).unwrap_or(Category::Other),
            description: self.text("description"),
            severity: Severity::from_code(&self.form.value("severity")).unwrap_or(Severity::Normal),
            locality: Locality::from_code(&self.form.value("locality")).unwrap_or(Locality::City),
            department: self.text("department"),
        };
        complaints::file(&mut ctx.store, &actor, &new)
            .map(|(_, number)| vec![Action::Saved, Action::Info(fill(t.complaint_filed, &[&number]))])
    }

    /// Takes the step chosen for complaint `base`, naming its team first when
    /// that changed.
    fn take_step(&mut self, ctx: &mut Ctx, mut base: Box<Complaint>) -> Result<Vec<Action>, DbError> {
        let actor = ctx.actor();
        let t = ctx.t();
        let Some(step) = self.form.value("step").parse::<usize>().ok().and_then(|i| self.steps.get(i).copied()) else {
            return Ok(vec![Action::Back]);
        };
        if step.needs_reason() && self.text("note").is_empty() {
            let why = crate::ui::workflow_error_text(ctx.lang, &WorkflowError::ReasonRequired);
            self.form.set_error("note", Some(why.clone()));
            self.form.focus_first_error();
            return Ok(vec![Action::Error(why)]);
        }
        let details = StepDetails {
            note: self.text("note"),
            handler: self.form.value("handler").parse().ok(),
            result: self.text("result"),
            follow_up: self.form.value("follow_up") == "yes",
        };
        let team = self.text("team");
        if team != base.team {
            complaints::name_team(&mut ctx.store, &actor, base.id, &team)?;
            *base = complaints::load(ctx.store.conn(), base.id)?;
        }
        // The word the complaint now rests on, so the message says "customer unsatisfied".
        let satisfaction = match step {
            Transition::ConfirmSatisfaction(s) => Some(s),
            Transition::Close | Transition::CloseUnsatisfied => base.satisfaction,
            _ => None,
        };
        complaints::step(&mut ctx.store, &actor, &base, step, &details).map(|state| {
            let status = ctx.lang.pick(complaint_status_label(state, satisfaction));
            vec![Action::Saved, Action::Info(fill(t.complaint_moved, &[&status]))]
        })
    }

    /// When the complaint was received ("2026-11-23 09:30"), checked as
    /// [`received_at_field`] does.
    fn received_at(&mut self, ctx: &Ctx) -> Option<NaiveDateTime> {
        received_at_field(&mut self.form, ctx, "received_at")
    }

    /// The note of a phone contact or follow-up, or the error shown for a missing one.
    fn note(&mut self, ctx: &Ctx) -> Option<String> {
        let note = self.text("note");
        if note.is_empty() {
            self.form.set_error("note", Some(crate::ui::field_error_text(ctx.lang, &FieldError::Required)));
            None
        } else {
            Some(note)
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

form_screen!(ComplaintFormScreen);
