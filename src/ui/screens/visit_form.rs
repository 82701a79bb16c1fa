//! Visit forms: plan (once or as a series), record the outcome (then offer to
//! plan the next step), change or cancel a planned visit.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use crossterm::event::KeyEvent;

use super::form::{FormOutcome, form_actions, form_screen, route_form_key_with_pick};
use crate::ctx::Ctx;
use crate::db::DbError;
use crate::db::access::Work;
use crate::db::customers;
use crate::db::records::{self, RecordKind};
use crate::db::visits::{self, NewVisit, Outcome, Reschedule, Visit};
use crate::domain::id::CustomerId;
use crate::domain::recurrence::{Recurrence, RepeatUnit, expand};
use crate::domain::staff::Role;
use crate::domain::validate::{self, FieldError, Unusual};
use crate::domain::visit::{ParticipantRole, VisitKind};
use crate::i18n::{fill, visit_kind_label};
use crate::msg::{Action, VisitRequest};
use crate::ui::widgets::customer_pick::{self, CustomerPick};
use crate::ui::widgets::form::{Form, FormField, SecondSave};

/// A field's value was refused; the reason is shown at the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ShownAtField;

pub struct VisitFormScreen {
    request: VisitRequest,
    form: Form,
    title: String,
    opened: Vec<String>,
    discard_armed: bool,
    /// The customer field's pick list (planning a visit).
    pick: Option<CustomerPick>,
    /// Unusual dates asked about once; the same values saved again go ahead.
    second_save: SecondSave,
}

fn kind_field(ctx: &Ctx, current: VisitKind) -> FormField {
    let options = VisitKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), ctx.lang.pick(visit_kind_label(*k)).to_string()))
        .collect();
    FormField::pick("kind", ctx.t().f_kind, true, options, current.code())
}

/// A pick of staff with one role, or nobody.
fn staff_field(ctx: &Ctx, key: &str, label: &str, role: Role, current: Option<i64>) -> FormField {
    let mut options = vec![(String::new(), "—".to_string())];
    options.extend(ctx.reference.staff.iter().filter(|s| s.role == role).map(|s| (s.id.to_string(), s.name.clone())));
    FormField::pick(key, label, false, options, &current.map(|c| c.to_string()).unwrap_or_default())
}

fn role_of(ctx: &Ctx, staff_id: i64) -> ParticipantRole {
    match ctx.reference.staff(staff_id).map(|s| s.role) {
        Some(Role::Supervisor) => ParticipantRole::Supervisor,
        Some(Role::Leader) => ParticipantRole::Leader,
        _ => ParticipantRole::AccountManager,
    }
}

impl VisitFormScreen {
    pub fn new(ctx: &Ctx, request: VisitRequest) -> VisitFormScreen {
        let t = ctx.t();
        let mut pick = None;
        let (title, fields) = match &request {
            VisitRequest::Plan { customer, date, follows } => {
                let given = customer.as_ref().and_then(|id| customers::load(ctx.store.conn(), id).ok());
                let given = given.as_ref().map(|d| (&d.id, d.text("short_name")));
                let customer_pick = CustomerPick::new(ctx, Work::Visits, given);
                let customer_text = match (&given, customer) {
                    (Some(_), _) => customer_pick.initial_text(),
                    (None, Some(id)) => id.as_str().to_string(),
                    (None, None) => String::new(),
                };
                pick = Some(customer_pick);
                let repeat = vec![
                    (String::new(), t.repeat_none.to_string()),
                    ("days".to_string(), t.repeat_days.to_string()),
                    ("weeks".to_string(), t.repeat_weeks.to_string()),
                    ("months".to_string(), t.repeat_months.to_string()),
                ];
                let purpose = follows.as_ref().map(|(_, s)| s.as_str()).unwrap_or("");
                let fields = vec![
                    FormField::text(customer_pick::FIELD, t.pick_customer, true, &customer_text),
                    kind_field(ctx, VisitKind::InPerson),
                    FormField::text("date", t.f_date, true, &date.to_string()),
                    FormField::text("time", t.f_time, true, "09:00"),
                    FormField::text("duration", t.f_duration, true, "60"),
                    FormField::text("purpose", t.f_purpose, false, purpose),
                    staff_field(ctx, "supervisor", t.f_supervisor, Role::Supervisor, None),
                    staff_field(ctx, "leader", t.f_leader, Role::Leader, None),
                    FormField::pick("repeat", t.f_repeat, false, repeat, ""),
                    FormField::text("every", t.f_every, false, "1"),
                    FormField::text("until", t.f_until, false, ""),
                ];
                (t.form_plan_visit.to_string(), fields)
            }
            VisitRequest::Record { base } => {
                // Done at the planned time, unless that is today or still ahead: then now.
                let now = ctx.clock.now();
                let at =
                    if base.planned_at.date() == now.date() || base.planned_at > now { now } else { base.planned_at };
                let has = |r: ParticipantRole| base.staff.iter().find(|(_, role)| *role == r).map(|(id, _)| *id);
                let persons = records::list(ctx.store.conn(), RecordKind::KeyPerson, &base.customer_id, false)
                    .unwrap_or_default();
                let mut people = vec![(String::new(), "—".to_string())];
                people.extend(persons.iter().map(|p| (p.id.to_string(), p.value("name").edit_text())));
                let met = |i: usize| base.persons.get(i).map(|p| p.to_string()).unwrap_or_default();
                let fields = vec![
                    FormField::text("date", t.f_date, true, &at.date().to_string()),
                    FormField::text("time", t.f_time, true, &at.format("%H:%M").to_string()),
                    FormField::text("business", t.f_business, false, &base.business),
                    FormField::text("opinions", t.f_opinions, false, &base.opinions),
                    FormField::text("problems", t.f_problems, false, &base.problems),
                    FormField::text("new_needs", t.f_new_needs, false, &base.new_needs),
                    FormField::text("next_step", t.f_next_step, false, &base.next_step),
                    FormField::text(
                        "next_due",
                        t.f_next_due,
                        false,
                        &base.next_due.map(|d| d.to_string()).unwrap_or_default(),
                    ),
                    staff_field(ctx, "supervisor", t.f_supervisor, Role::Supervisor, has(ParticipantRole::Supervisor)),
                    staff_field(ctx, "leader", t.f_leader, Role::Leader, has(ParticipantRole::Leader)),
                    FormField::pick("met1", t.f_met, false, people.clone(), &met(0)),
                    FormField::pick("met2", t.f_met, false, people, &met(1)),
                ];
                (format!("{} · {}", t.form_record_visit, base.customer_name), fields)
            }
            VisitRequest::Cancel { base } => (
                format!("{} · {}", t.form_cancel_visit, base.customer_name),
                vec![FormField::text("reason", t.f_reason, true, "")],
            ),
            VisitRequest::Edit { base } => {
                let mut fields = vec![
                    kind_field(ctx, base.kind),
                    FormField::text("date", t.f_date, true, &base.planned_at.date().to_string()),
                    FormField::text("time", t.f_time, true, &base.planned_at.format("%H:%M").to_string()),
                    FormField::text("duration", t.f_duration, true, &base.duration_min.to_string()),
                    FormField::text("purpose", t.f_purpose, false, &base.purpose),
                ];
                if base.series_id.is_some() {
                    let scope =
                        vec![("one".into(), t.series_one.to_string()), ("series".into(), t.series_all.to_string())];
                    fields.push(FormField::pick("scope", t.f_series, true, scope, "one"));
                }
                (format!("{} · {}", t.form_edit_visit, base.customer_name), fields)
            }
        };
        let form = Form::new(fields);
        let opened = form.values();
        VisitFormScreen { request, form, title, opened, discard_armed: false, pick, second_save: SecondSave::default() }
    }

    fn warn(&mut self, ctx: &Ctx, key: &str, unusual: Option<Unusual>) {
        if let Some(u) = unusual {
            self.form.set_warning(key, Some(crate::ui::unusual_text(ctx.lang, u).to_string()));
        }
    }

    /// After the hard checks passed: true when the unusual dates marked must be
    /// shown first (this save stops, the next one of the same values goes ahead).
    fn ask_first(&mut self) -> bool {
        if self.form.warning_count() == 0 || self.second_save.confirmed(&self.form) {
            return false;
        }
        self.second_save.asked(&self.form);
        self.form.focus_first_error();
        true
    }

    fn err(&mut self, ctx: &Ctx, key: &str, e: FieldError) {
        self.form.set_error(key, Some(crate::ui::field_error_text(ctx.lang, &e)));
    }

    fn text(&self, key: &str) -> String {
        validate::sanitize_text(self.form.value(key).trim())
    }

    /// The date typed at `key`, none when left empty (and allowed to be);
    /// `Err` when it is not a date, the error then shown at the field.
    fn date(&mut self, ctx: &Ctx, key: &str, required: bool) -> Result<Option<NaiveDate>, ShownAtField> {
        let v = self.text(key);
        if v.is_empty() {
            if required {
                self.err(ctx, key, FieldError::Required);
                return Err(ShownAtField);
            }
            return Ok(None);
        }
        match validate::date(&v) {
            Ok(d) => Ok(Some(d)),
            Err(e) => {
                self.err(ctx, key, e);
                Err(ShownAtField)
            }
        }
    }

    fn date_time(&mut self, ctx: &Ctx) -> Option<NaiveDateTime> {
        let date = self.date(ctx, "date", true).ok().flatten();
        let time = match NaiveTime::parse_from_str(&self.text("time"), "%H:%M") {
            Ok(t) => Some(t),
            Err(_) => {
                self.form.set_error("time", Some(ctx.t().err_time.to_string()));
                None
            }
        };
        Some(date?.and_time(time?))
    }

    fn minutes(&mut self, ctx: &Ctx) -> Option<i64> {
        match self.text("duration").parse::<i64>() {
            Ok(m) if (5..=720).contains(&m) => Some(m),
            _ => {
                self.form.set_error("duration", Some(ctx.t().err_minutes.to_string()));
                None
            }
        }
    }

    fn picked_staff(&self, ctx: &Ctx) -> Vec<(i64, ParticipantRole)> {
        ["supervisor", "leader"]
            .iter()
            .filter_map(|k| self.form.value(k).parse::<i64>().ok())
            .map(|id| (id, role_of(ctx, id)))
            .collect()
    }

    /// The customer named in the field (picked from the list, an ID, or the
    /// one customer the search finds), or the reason at the field.
    fn customer(&mut self, ctx: &Ctx) -> Option<CustomerId> {
        let typed = self.form.value(customer_pick::FIELD);
        let resolved = match &self.pick {
            Some(pick) => pick.resolve(ctx, &typed),
            None => Err(ctx.t().err_customer_unknown.to_string()),
        };
        match resolved {
            Ok(id) => Some(id),
            Err(why) => {
                self.form.set_error(customer_pick::FIELD, Some(why));
                None
            }
        }
    }

    fn save(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        self.form.clear_errors();
        let (actor, t) = (ctx.actor(), ctx.t());
        let result: Option<Result<Vec<Action>, DbError>> = match self.request.clone() {
            VisitRequest::Plan { follows, .. } => self.plan(ctx, follows),
            VisitRequest::Record { base } => self.record(ctx, &base),
            VisitRequest::Cancel { base } => {
                let reason = self.text("reason");
                if reason.is_empty() {
                    self.err(ctx, "reason", FieldError::Required);
                    None
                } else {
                    Some(
                        visits::cancel(&mut ctx.store, &actor, &base, &reason)
                            .map(|_| vec![Action::Saved, Action::Info(t.visit_cancelled.to_string())]),
                    )
                }
            }
            VisitRequest::Edit { base } => self.reschedule(ctx, &base),
        };
        match result {
            Some(Ok(actions)) => actions,
            Some(Err(e)) => vec![Action::Error(ctx.describe(&e))],
            None => {
                self.form.focus_first_error();
                vec![Action::Error(self.form.errors_message(t))]
            }
        }
    }

    /// The repetition asked for: (every, unit, until, the unit's code), none
    /// when the visit does not repeat; `Err` with the errors at the fields.
    fn repeat_rule(&mut self, ctx: &Ctx) -> Result<Option<(u32, RepeatUnit, NaiveDate, String)>, ShownAtField> {
        let repeat = self.form.value("repeat");
        if repeat.is_empty() {
            return Ok(None);
        }
        let every = match self.text("every").parse::<u32>() {
            Ok(n) if (1..=99).contains(&n) => Some(n),
            _ => {
                self.form.set_error("every", Some(ctx.t().err_every.to_string()));
                None
            }
        };
        let until = self.date(ctx, "until", true).ok().flatten();
        let unit = match repeat.as_str() {
            "days" => RepeatUnit::Days,
            "weeks" => RepeatUnit::Weeks,
            _ => RepeatUnit::Months,
        };
        match (every, until) {
            (Some(every), Some(until)) => Ok(Some((every, unit, until, repeat))),
            _ => Err(ShownAtField),
        }
    }

    /// Plans the visit (or the series); `None` with the errors at the fields.
    fn plan(&mut self, ctx: &mut Ctx, follows: Option<(i64, String)>) -> Option<Result<Vec<Action>, DbError>> {
        let (actor, t) = (ctx.actor(), ctx.t());
        let customer = self.customer(ctx);
        let at = self.date_time(ctx);
        let minutes = self.minutes(ctx);
        let kind = VisitKind::from_code(&self.form.value("kind")).unwrap_or(VisitKind::InPerson);
        let rule = self.repeat_rule(ctx);
        let (customer, at, minutes, rule) = (customer?, at?, minutes?, rule.ok()?);
        self.warn(ctx, "date", validate::unusual_plan(at.date(), ctx.today()));
        // A series running on for more than a year is most often a mistyped
        // year, and would plan hundreds of visits at once.
        if let Some((_, _, until, _)) = &rule {
            self.warn(ctx, "until", validate::unusual_due(*until, at.date()));
        }
        if self.ask_first() {
            return Some(Ok(vec![Action::Info(t.confirm_unusual.to_string())]));
        }
        let mut staff = vec![(ctx.user.id, role_of(ctx, ctx.user.id))];
        staff.extend(self.picked_staff(ctx));
        let visit = NewVisit {
            customer_id: customer,
            kind,
            planned_at: at,
            duration_min: minutes,
            owner_id: ctx.user.id,
            purpose: self.text("purpose"),
            staff,
            persons: Vec::new(),
            follows_id: follows.map(|(id, _)| id),
        };
        Some(match rule {
            None => visits::plan(&mut ctx.store, &actor, &visit)
                .map(|_| vec![Action::Saved, Action::Info(t.visit_planned.to_string())]),
            Some((every, unit, until, unit_code)) => {
                let occurrences = match expand(at, &Recurrence { every, unit, until }) {
                    Ok(o) => o,
                    Err(e) => {
                        self.form.set_error("until", Some(crate::ui::recurrence_error_text(ctx.lang, &e)));
                        return None;
                    }
                };
                visits::plan_series(&mut ctx.store, &actor, &visit, &occurrences, every, &unit_code, until)
                    .map(|(_, ids)| vec![Action::Saved, Action::Info(fill(t.visits_planned, &[&ids.len()]))])
            }
        })
    }

    /// Records planned visit `base` as done, then offers its next step as a
    /// planned visit; `None` with the errors at the fields.
    fn record(&mut self, ctx: &mut Ctx, base: &Visit) -> Option<Result<Vec<Action>, DbError>> {
        let (actor, t) = (ctx.actor(), ctx.t());
        let at = self.date_time(ctx);
        let next_due = self.date(ctx, "next_due", false);
        let (at, next_due) = (at?, next_due.ok()?);
        // A visit done later than now has not been done.
        if let Err(e) = validate::done_at(at, ctx.clock.now()) {
            self.err(ctx, if at.date() > ctx.today() { "date" } else { "time" }, e);
            return None;
        }
        if let Some(due) = next_due {
            if let Err(e) = validate::due_after(due, at.date()) {
                self.err(ctx, "next_due", e);
                return None;
            }
            self.warn(ctx, "next_due", validate::unusual_due(due, at.date()));
        }
        self.warn(ctx, "date", validate::unusual_done(at.date(), ctx.today()));
        if self.ask_first() {
            return Some(Ok(vec![Action::Info(t.confirm_unusual.to_string())]));
        }
        let mut staff: Vec<(i64, ParticipantRole)> =
            base.staff.iter().filter(|(_, r)| *r == ParticipantRole::AccountManager).copied().collect();
        if staff.is_empty() {
            staff.push((base.owner_id, ParticipantRole::AccountManager));
        }
        staff.extend(self.picked_staff(ctx));
        let mut persons: Vec<i64> = ["met1", "met2"].iter().filter_map(|k| self.form.value(k).parse().ok()).collect();
        persons.dedup();
        let outcome = Outcome {
            done_at: Some(at),
            business: self.text("business"),
            opinions: self.text("opinions"),
            problems: self.text("problems"),
            new_needs: self.text("new_needs"),
            next_step: self.text("next_step"),
            next_due,
            staff,
            persons,
        };
        Some(visits::record_done(&mut ctx.store, &actor, base, &outcome).map(|_| {
            let mut actions = vec![Action::Saved];
            // Offer the next step as a planned visit, prefilled; Esc skips it.
            if let Some(due) = next_due {
                actions.push(Action::OpenVisitForm(Box::new(VisitRequest::Plan {
                    customer: Some(base.customer_id.clone()),
                    date: due,
                    follows: Some((base.id, outcome.next_step.clone())),
                })));
            }
            actions.push(Action::Info(t.visit_recorded.to_string()));
            actions
        }))
    }

    /// Moves planned visit `base` (or its series); `None` with the errors at the fields.
    fn reschedule(&mut self, ctx: &mut Ctx, base: &Visit) -> Option<Result<Vec<Action>, DbError>> {
        let (actor, t) = (ctx.actor(), ctx.t());
        let at = self.date_time(ctx);
        let minutes = self.minutes(ctx);
        let (at, minutes) = (at?, minutes?);
        if at.date() != base.planned_at.date() {
            self.warn(ctx, "date", validate::unusual_plan(at.date(), ctx.today()));
        }
        if self.ask_first() {
            return Some(Ok(vec![Action::Info(t.confirm_unusual.to_string())]));
        }
        let change = Reschedule {
            kind: VisitKind::from_code(&self.form.value("kind")).unwrap_or(base.kind),
            planned_at: at,
            duration_min: minutes,
            purpose: self.text("purpose"),
        };
        let series = self.form.value("scope") == "series";
        Some(
            visits::reschedule(&mut ctx.store, &actor, base, &change, series)
                .map(|n| vec![Action::Saved, Action::Info(fill(t.visit_changed, &[&n]))]),
        )
    }
}

form_screen!(VisitFormScreen);

impl VisitFormScreen {
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
