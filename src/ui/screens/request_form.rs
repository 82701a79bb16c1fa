//! Service-request forms (SPEC §9): receive a request (from the service
//! centre, a call or a visit), and take a step of one — notify the account
//! manager, record the phone contact, start, record the result, cancel with
//! the reason.

use chrono::NaiveDateTime;
use crossterm::event::KeyEvent;

use super::form::{FormOutcome, form_actions, form_screen, received_at_field, route_form_key_with_pick};
use crate::ctx::Ctx;
use crate::db::DbError;
use crate::db::access::Work;
use crate::db::customers;
use crate::db::requests::{self, NewRequest, ServiceRequest};
use crate::domain::id::CustomerId;
use crate::domain::request::{Area, RequestChannel, RequestKind, RequestStep, ServiceMode};
use crate::domain::validate::{self, FieldError};
use crate::i18n::{
    area_label, fill, request_channel_label, request_kind_label, request_status_label, request_step_label,
    service_mode_label,
};
use crate::msg::{Action, ServiceForm};
use crate::ui::widgets::customer_pick::{self, CustomerPick};
use crate::ui::widgets::form::{FieldInput, Form, FormField, SecondSave};

/// The area field's value that leaves the area to the customer's address.
const AUTO: &str = "auto";

pub struct RequestFormScreen {
    request: ServiceForm,
    form: Form,
    title: String,
    opened: Vec<String>,
    discard_armed: bool,
    /// The customer field's pick list (receiving a request).
    pick: Option<CustomerPick>,
    /// The customer field's text the area's "from the address" label was
    /// worked out for.
    area_for: Option<String>,
    /// Unusual dates asked about once; the same values saved again go ahead.
    second_save: SecondSave,
}

fn pick<T: Copy>(
    key: &str,
    label: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    name: impl Fn(T) -> String,
    value: &str,
) -> FormField {
    let options = all.iter().map(|v| (code(*v).to_string(), name(*v))).collect();
    FormField::pick(key, label, true, options, value)
}

/// The label of "from the address": the area it comes to, when the
/// customer is known.
fn auto_label(ctx: &Ctx, customer: Option<&CustomerId>) -> String {
    let t = ctx.t();
    match customer.and_then(|c| requests::customer_area(ctx.store.conn(), c).ok()) {
        Some(area) => fill(t.f_area_auto, &[&ctx.lang.pick(area_label(area))]),
        None => t.f_area_auto_unknown.to_string(),
    }
}

/// The fields of a new request, with the customer's pick list (`customer`
/// given when received from a dossier or for a quiet customer).
fn receiving_fields(ctx: &Ctx, customer: Option<&CustomerId>) -> (Vec<FormField>, CustomerPick) {
    let (t, lang) = (ctx.t(), ctx.lang);
    let given = customer.and_then(|id| customers::load(ctx.store.conn(), id).ok());
    let customer_pick = CustomerPick::new(ctx, Work::Complaint, given.as_ref().map(|d| (&d.id, d.text("short_name"))));
    let customer_text = match (&given, customer) {
        (Some(_), _) => customer_pick.initial_text(),
        (None, Some(id)) => id.as_str().to_string(),
        (None, None) => String::new(),
    };
    let received = ctx.clock.now().format("%Y-%m-%d %H:%M").to_string();
    let channel = RequestChannel::ServiceCentre;
    let mut areas = vec![(AUTO.to_string(), auto_label(ctx, given.as_ref().map(|d| &d.id)))];
    areas.extend(Area::ALL.map(|a| (a.code().to_string(), lang.pick(area_label(a)).to_string())));
    let special = vec![("no".to_string(), t.no.to_string()), ("yes".to_string(), t.yes.to_string())];
    let fields = vec![
        FormField::text(customer_pick::FIELD, t.pick_customer, true, &customer_text),
        pick(
            "channel",
            t.f_req_channel,
            &RequestChannel::ALL,
            RequestChannel::code,
            |c| lang.pick(request_channel_label(c)).into(),
            channel.code(),
        ),
        FormField::text("requester", t.f_requester, true, ""),
        FormField::text("contact", t.f_contact, false, ""),
        pick(
            "kind",
            t.f_req_kind,
            &RequestKind::ALL,
            RequestKind::code,
            |k| lang.pick(request_kind_label(k)).into(),
            RequestKind::Pickup.code(),
        ),
        FormField::text("description", t.f_req_description, true, ""),
        pick(
            "mode",
            t.f_req_mode,
            &ServiceMode::ALL,
            ServiceMode::code,
            |m| lang.pick(service_mode_label(m)).into(),
            ServiceMode::preset(channel).code(),
        ),
        FormField::pick("area", t.f_area, true, areas, AUTO),
        FormField::pick("special", t.f_special, false, special, "no"),
        FormField::text("special_reason", t.f_special_reason, false, ""),
        // When it reached the post (it may be entered later than that).
        FormField::text("received_at", t.f_received_at, true, &received),
    ];
    (fields, customer_pick)
}

/// The field of a step: a note, the result (done), the reason (cancel).
fn step_field(ctx: &Ctx, step: RequestStep) -> FormField {
    let t = ctx.t();
    match step {
        RequestStep::Done => FormField::text("text", t.f_result, true, ""),
        RequestStep::Cancel => FormField::text("text", t.f_cancel_reason, true, ""),
        RequestStep::Notify | RequestStep::PhoneContact | RequestStep::Start => {
            FormField::text("text", t.f_note, false, "")
        }
    }
}

impl RequestFormScreen {
    pub fn new(ctx: &Ctx, request: ServiceForm) -> RequestFormScreen {
        let (t, lang) = (ctx.t(), ctx.lang);
        let mut customer_field = None;
        let (title, fields) = match &request {
            ServiceForm::Receive { customer } => {
                let (fields, customer_pick) = receiving_fields(ctx, customer.as_ref());
                customer_field = Some(customer_pick);
                (t.form_receive_request.to_string(), fields)
            }
            ServiceForm::Step { base, step } => (
                format!(
                    "{} · {} · {}",
                    lang.pick(request_step_label(*step)),
                    base.number,
                    lang.pick(request_status_label(base.status))
                ),
                vec![step_field(ctx, *step)],
            ),
        };
        let form = Form::new(fields);
        let opened = form.values();
        let area_for = customer_field.as_ref().map(|_| form.value(customer_pick::FIELD));
        RequestFormScreen {
            request,
            form,
            title,
            opened,
            discard_armed: false,
            pick: customer_field,
            area_for,
            second_save: SecondSave::default(),
        }
    }

    fn text(&self, key: &str) -> String {
        validate::sanitize_text(self.form.value(key).trim())
    }

    fn save(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        self.form.clear_errors();
        let result = match self.request.clone() {
            ServiceForm::Receive { .. } => self.receive(ctx),
            ServiceForm::Step { base, step } => self.take_step(ctx, &base, step),
        };
        match result {
            Ok(actions) => actions,
            Err(e) => vec![Action::Error(ctx.describe(&e))],
        }
    }

    /// Receives the new request, or marks what is missing.
    fn receive(&mut self, ctx: &mut Ctx) -> Result<Vec<Action>, DbError> {
        let actor = ctx.actor();
        let t = ctx.t();
        let customer = match &self.pick {
            Some(pick) => pick.resolve(ctx, &self.form.value(customer_pick::FIELD)),
            None => Err(t.err_customer_unknown.to_string()),
        };
        if let Err(why) = &customer {
            self.form.set_error(customer_pick::FIELD, Some(why.clone()));
        }
        let special = self.form.value("special") == "yes";
        let mut required = vec!["requester", "description"];
        if special {
            required.push("special_reason");
        }
        for key in required {
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
        let channel = RequestChannel::from_code(&self.form.value("channel")).unwrap_or(RequestChannel::ServiceCentre);
        let new = NewRequest {
            customer_id: customer,
            received_at,
            channel,
            requester: self.text("requester"),
            contact: self.text("contact"),
            kind: RequestKind::from_code(&self.form.value("kind")).unwrap_or(RequestKind::Other),
            mode: ServiceMode::from_code(&self.form.value("mode")).unwrap_or(ServiceMode::preset(channel)),
            area: Area::from_code(&self.form.value("area")),
            special,
            special_reason: if special { self.text("special_reason") } else { String::new() },
            description: self.text("description"),
        };
        requests::receive(&mut ctx.store, &actor, &new)
            .map(|(_, number)| vec![Action::Saved, Action::Info(fill(t.req_received, &[&number]))])
    }

    /// Takes `step` of request `base` with the form's text.
    fn take_step(&mut self, ctx: &mut Ctx, base: &ServiceRequest, step: RequestStep) -> Result<Vec<Action>, DbError> {
        let t = ctx.t();
        let text = self.text("text");
        if matches!(step, RequestStep::Done | RequestStep::Cancel) && text.is_empty() {
            self.form.set_error("text", Some(crate::ui::field_error_text(ctx.lang, &FieldError::Required)));
            return Ok(vec![Action::Error(self.form.errors_message(t))]);
        }
        let actor = ctx.actor();
        let status = requests::step(&mut ctx.store, &actor, base, step, &text)?;
        let status = ctx.lang.pick(request_status_label(status));
        Ok(vec![Action::Saved, Action::Info(fill(t.req_moved, &[&base.number, &status]))])
    }

    /// When the request was received ("2026-11-23 09:30"), checked as
    /// [`received_at_field`] does.
    fn received_at(&mut self, ctx: &Ctx) -> Option<NaiveDateTime> {
        received_at_field(&mut self.form, ctx, "received_at")
    }

    /// When the customer field names another customer (a pick writes its ID
    /// first), "from the address" says the area that customer's address gives.
    fn follow_customer(&mut self, ctx: &Ctx) {
        if self.pick.is_none() {
            return;
        }
        let text = self.form.value(customer_pick::FIELD);
        if self.area_for.as_deref() == Some(text.as_str()) {
            return;
        }
        let customer = text.split_whitespace().next().and_then(|id| CustomerId::parse(id).ok());
        let label = auto_label(ctx, customer.as_ref());
        if let Some(field) = self.form.fields.iter_mut().find(|f| f.key == "area")
            && let FieldInput::Pick { options, .. } = &mut field.input
            && let Some(auto) = options.iter_mut().find(|(v, _)| v == AUTO)
        {
            auto.1 = label;
        }
        self.area_for = Some(text);
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
        self.follow_customer(ctx);
        match outcome {
            FormOutcome::Save => self.save(ctx),
            other => form_actions(other, ctx),
        }
    }
}

form_screen!(RequestFormScreen);
