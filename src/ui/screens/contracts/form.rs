//! Contract forms: draft or edit a contract's terms, and the steps that move
//! it on (approve or refuse a step, the signing, the filing, copies sent,
//! ending it). A failed save keeps the form and marks what to correct.

use chrono::NaiveDate;
use crossterm::event::KeyEvent;

use super::step_name;
use crate::ctx::Ctx;
use crate::db::access::Work;
use crate::db::contracts::{self, Contract, ContractError, NewCopy, Terms};
use crate::db::{DbError, Invalid, customers};
use crate::domain::contract::{ContractKind, CopyKind};
use crate::domain::id::CustomerId;
use crate::domain::tier::Tier;
use crate::domain::validate::{self, FieldError};
use crate::i18n::{contract_field_label, contract_kind_label, copy_kind_label, fill, tier_label};
use crate::msg::{Action, ContractRequest};
use crate::ui::screens::form::{FormOutcome, form_actions, form_screen, route_form_key_with_pick};
use crate::ui::widgets::customer_pick::{self, CustomerPick};
use crate::ui::widgets::form::{Form, FormField};

pub struct ContractFormScreen {
    request: ContractRequest,
    form: Form,
    title: String,
    opened: Vec<String>,
    discard_armed: bool,
    /// The customer field's pick list (a new draft).
    pick: Option<CustomerPick>,
}

/// The keys of the terms' free-text fields, in the form's order.
const TEXT_TERMS: [&str; 6] = ["price_terms", "discount_terms", "term_length", "renewal", "payment", "penalties"];

fn label(ctx: &Ctx, key: &str) -> String {
    contract_field_label(key).map_or_else(|| key.to_string(), |l| ctx.lang.pick(l).to_string())
}

fn text_value(terms: Option<&Terms>, key: &str) -> String {
    let Some(t) = terms else { return String::new() };
    match key {
        "price_terms" => t.price_terms.clone(),
        "discount_terms" => t.discount_terms.clone(),
        "term_length" => t.term_length.clone(),
        "renewal" => t.renewal.clone(),
        "payment" => t.payment.clone(),
        "penalties" => t.penalties.clone(),
        "signing_body" => t.signing_body.clone(),
        _ => String::new(),
    }
}

/// The fields of a draft: new (`customer` given from a dossier or a list) or
/// an existing draft's terms.
fn terms_fields(ctx: &Ctx, base: Option<&Contract>, pick: Option<&CustomerPick>) -> Vec<FormField> {
    let t = ctx.t();
    let lang = ctx.lang;
    let terms = base.map(|c| &c.terms);
    let mut fields = Vec::new();
    if let Some(pick) = pick {
        fields.push(FormField::text(customer_pick::FIELD, t.pick_customer, true, &pick.initial_text()));
    }
    let number = terms.map(|t| t.number.clone()).unwrap_or_default();
    fields.push(FormField::text("number", &format!("{} ({})", label(ctx, "number"), t.f_number_auto), false, &number));
    let kinds = ContractKind::ALL
        .iter()
        .map(|k| (k.code().to_string(), lang.pick(contract_kind_label(*k)).to_string()))
        .collect();
    fields.push(FormField::pick("kind", &label(ctx, "kind"), true, kinds, terms.map_or("contract", |t| t.kind.code())));
    let mut tiers = vec![(String::new(), t.f_contract_auto.to_string())];
    let mut offered: Vec<Tier> = ctx.preset.tiers().to_vec();
    if let Some(tier) = terms.map(|t| t.tier).filter(|x| !offered.contains(x)) {
        offered.push(tier);
    }
    tiers.extend(offered.iter().map(|x| (x.code().to_string(), lang.pick(tier_label(*x)).to_string())));
    fields.push(FormField::pick("tier", &label(ctx, "tier"), false, tiers, terms.map_or("", |t| t.tier.code())));
    let mut units = vec![(String::new(), t.f_contract_auto.to_string())];
    units.extend(ctx.reference.units.iter().map(|u| (u.id.to_string(), u.name.clone())));
    let bureau = terms.map(|t| t.access_bureau.to_string()).unwrap_or_default();
    fields.push(FormField::pick("access_bureau", &label(ctx, "access_bureau"), false, units, &bureau));
    fields.push(FormField::text(
        "signing_body",
        &label(ctx, "signing_body"),
        false,
        &text_value(terms, "signing_body"),
    ));
    let lines: Vec<String> = terms
        .map(|t| {
            t.service_lines
                .iter()
                .filter_map(|id| ctx.reference.service_line(*id))
                .map(|l| lang.pick((&l.name_zh, &l.name_en)).to_string())
                .collect()
        })
        .unwrap_or_default();
    fields.push(FormField::text("service_lines", t.f_lines_hint, false, &lines.join(", ")));
    let value = terms.and_then(|t| t.value).map(|v| v.yuan().normalize().to_string()).unwrap_or_default();
    fields.push(FormField::text("value", &label(ctx, "value"), false, &value));
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    fields.push(FormField::text("start_on", &label(ctx, "start_on"), false, &day(terms.and_then(|t| t.start_on))));
    fields.push(FormField::text("end_on", &label(ctx, "end_on"), false, &day(terms.and_then(|t| t.end_on))));
    for key in TEXT_TERMS {
        fields.push(FormField::text(key, &label(ctx, key), false, &text_value(terms, key)));
    }
    fields
}

impl ContractFormScreen {
    pub fn new(ctx: &Ctx, request: ContractRequest) -> ContractFormScreen {
        let t = ctx.t();
        let today = ctx.today().to_string();
        let mut pick = None;
        let (title, fields) = match &request {
            ContractRequest::New { customer } => {
                let given = customer.as_ref().and_then(|id| customers::load(ctx.store.conn(), id).ok());
                let customer_pick =
                    CustomerPick::new(ctx, Work::Edit, given.as_ref().map(|d| (&d.id, d.text("short_name"))));
                let fields = terms_fields(ctx, None, Some(&customer_pick));
                pick = Some(customer_pick);
                (t.form_new_contract.to_string(), fields)
            }
            ContractRequest::Edit { base } => {
                (format!("{} · {}", t.form_edit_contract, base.terms.number), terms_fields(ctx, Some(base), None))
            }
            ContractRequest::Approve { base } => {
                let step = base.waiting_step.as_deref().map(|n| step_name(ctx.lang, n)).unwrap_or_default();
                (
                    format!("{} · {} · {step}", t.form_approve_contract, base.terms.number),
                    vec![FormField::text("opinion", t.f_opinion, false, "")],
                )
            }
            ContractRequest::Refuse { base } => {
                let step = base.waiting_step.as_deref().map(|n| step_name(ctx.lang, n)).unwrap_or_default();
                (
                    format!("{} · {} · {step}", t.form_refuse_contract, base.terms.number),
                    vec![FormField::text("reason", t.f_refusal, true, "")],
                )
            }
            ContractRequest::Sign { base } => (
                format!("{} · {}", t.form_sign_contract, base.terms.number),
                vec![FormField::text("on", &label(ctx, "signed_on"), true, &today)],
            ),
            ContractRequest::File { base } => {
                let bureau = province_bureau_name(ctx).unwrap_or_else(|| t.default_filing_office.to_string());
                (
                    format!("{} · {}", t.form_file_contract, base.terms.number),
                    vec![
                        FormField::text("on", &label(ctx, "filed_on"), true, &today),
                        FormField::text("sent_to", &label(ctx, "sent_to"), true, &bureau),
                        FormField::text("note", &label(ctx, "note"), false, t.default_filing_note),
                    ],
                )
            }
            ContractRequest::End { base } => (
                format!("{} · {}", t.form_end_contract, base.terms.number),
                vec![
                    FormField::text("on", &label(ctx, "ended_on"), true, &today),
                    FormField::text("reason", t.f_end_reason, false, ""),
                ],
            ),
            ContractRequest::Copy { base } => {
                let kinds = CopyKind::ALL
                    .iter()
                    .map(|k| (k.code().to_string(), ctx.lang.pick(copy_kind_label(*k)).to_string()))
                    .collect();
                (
                    format!("{} · {}", t.form_copy_contract, base.terms.number),
                    vec![
                        FormField::pick("kind", &label(ctx, "kind"), true, kinds, CopyKind::Original.code()),
                        FormField::text("copies", &label(ctx, "copies"), true, "1"),
                        FormField::text("sent_to", &label(ctx, "sent_to"), true, ""),
                        FormField::text("on", &label(ctx, "sent_on"), true, &today),
                        FormField::text("note", &label(ctx, "note"), false, ""),
                    ],
                )
            }
        };
        let form = Form::new(fields);
        let opened = form.values();
        ContractFormScreen { request, form, title, opened, discard_armed: false, pick }
    }

    fn text(&self, key: &str) -> String {
        validate::sanitize_text(self.form.value(key).trim())
    }

    fn field_error(&mut self, ctx: &Ctx, key: &str, e: &FieldError) {
        self.form.set_error(key, Some(crate::ui::field_error_text(ctx.lang, e)));
    }

    /// A date field that is required, or `None` with its error marked.
    fn day(&mut self, ctx: &Ctx, key: &str) -> Option<NaiveDate> {
        match validate::date(&self.text(key)) {
            Ok(d) => Some(d),
            Err(e) => {
                self.field_error(ctx, key, &e);
                None
            }
        }
    }

    /// An optional date field: `Ok(None)` when empty.
    fn optional_day(&mut self, ctx: &Ctx, key: &str) -> Result<Option<NaiveDate>, ()> {
        match validate::optional(&self.text(key), validate::date) {
            Ok(d) => Ok(d),
            Err(e) => {
                self.field_error(ctx, key, &e);
                Err(())
            }
        }
    }

    /// The service lines typed (names or codes, separated by commas, 、 or
    /// spaces), or `None` with the unknown one marked.
    fn lines(&mut self, ctx: &Ctx) -> Option<Vec<i64>> {
        let typed = self.text("service_lines");
        let mut ids = Vec::new();
        for word in typed.split([',', '，', '、', ';', ' ']).map(str::trim).filter(|w| !w.is_empty()) {
            let found = ctx.reference.service_lines.iter().find(|l| {
                l.code.eq_ignore_ascii_case(word) || l.name_zh == word || l.name_en.eq_ignore_ascii_case(word)
            });
            match found {
                Some(l) if !ids.contains(&l.id) => ids.push(l.id),
                Some(_) => {}
                None => {
                    self.form.set_error("service_lines", Some(fill(ctx.t().err_line_unknown, &[&word])));
                    return None;
                }
            }
        }
        Some(ids)
    }

    /// The terms the form holds, or `None` with what to correct marked.
    fn terms(&mut self, ctx: &Ctx, customer: Option<CustomerId>, base: Option<&Contract>) -> Option<Terms> {
        let lines = self.lines(ctx);
        let value = match validate::optional(&self.text("value"), validate::amount) {
            Ok(v) => Some(v),
            Err(e) => {
                self.field_error(ctx, "value", &e);
                None
            }
        };
        let start = self.optional_day(ctx, "start_on");
        let end = self.optional_day(ctx, "end_on");
        let (Some(customer), Some(lines), Some(value), Ok(start_on), Ok(end_on)) = (customer, lines, value, start, end)
        else {
            return None;
        };
        let conn = ctx.store.conn();
        let access_bureau = match self.form.value("access_bureau").parse::<i64>() {
            Ok(id) => id,
            Err(_) => base
                .map(|b| b.terms.access_bureau)
                .or_else(|| contracts::default_access_bureau(conn, &customer).ok())
                .unwrap_or(ctx.user.unit_id),
        };
        let tier = Tier::from_code(&self.form.value("tier"))
            .or_else(|| customers::load(conn, &customer).ok().map(|d| d.tier))
            .unwrap_or(Tier::General);
        let mut number = self.text("number");
        if number.is_empty() {
            number = contracts::proposed_number(
                conn,
                access_bureau,
                ctx.today().format("%Y").to_string().parse().unwrap_or(2026),
            )
            .unwrap_or_default();
        }
        Some(Terms {
            number,
            customer_id: customer,
            kind: ContractKind::from_code(&self.form.value("kind")).unwrap_or(ContractKind::Contract),
            access_bureau,
            signing_body: self.text("signing_body"),
            tier,
            service_lines: lines,
            price_terms: self.text("price_terms"),
            discount_terms: self.text("discount_terms"),
            term_length: self.text("term_length"),
            renewal: self.text("renewal"),
            payment: self.text("payment"),
            penalties: self.text("penalties"),
            value,
            start_on,
            end_on,
        })
    }

    fn save(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        self.form.clear_errors();
        let actor = ctx.actor();
        let t = ctx.t();
        let outcome: Option<Result<String, DbError>> = match self.request.clone() {
            ContractRequest::New { .. } => self.save_terms(ctx, None),
            ContractRequest::Edit { base } => self.save_terms(ctx, Some(&base)),
            ContractRequest::Approve { base } => {
                let opinion = self.text("opinion");
                Some(contracts::approve(&mut ctx.store, &actor, base.id, base.version, &opinion).and_then(|()| {
                    let now = contracts::load(ctx.store.conn(), base.id)?;
                    Ok(match now.waiting_step {
                        Some(next) => fill(t.contract_approved_next, &[&step_name(ctx.lang, &next)]),
                        None => t.contract_approved_done.to_string(),
                    })
                }))
            }
            ContractRequest::Refuse { base } => {
                let reason = self.text("reason");
                if reason.is_empty() {
                    self.field_error(ctx, "reason", &FieldError::Required);
                    None
                } else {
                    Some(
                        contracts::refuse(&mut ctx.store, &actor, base.id, base.version, &reason)
                            .map(|()| t.contract_refused.to_string()),
                    )
                }
            }
            ContractRequest::Sign { base } => self.day(ctx, "on").map(|on| {
                contracts::sign(&mut ctx.store, &actor, base.id, base.version, on)
                    .map(|()| t.contract_signed.to_string())
            }),
            ContractRequest::File { base } => {
                let (sent_to, note) = (self.text("sent_to"), self.text("note"));
                self.day(ctx, "on").map(|on| {
                    contracts::file(&mut ctx.store, &actor, base.id, base.version, on, &sent_to, &note)
                        .map(|()| t.contract_filed.to_string())
                })
            }
            ContractRequest::End { base } => {
                let reason = self.text("reason");
                self.day(ctx, "on").map(|on| {
                    contracts::end(&mut ctx.store, &actor, base.id, base.version, on, &reason)
                        .map(|()| t.contract_ended.to_string())
                })
            }
            ContractRequest::Copy { base } => self.save_copy(ctx, &base),
        };
        match outcome {
            Some(Ok(message)) => vec![Action::Saved, Action::Info(message)],
            Some(Err(e)) => {
                self.mark(ctx, &e);
                self.form.focus_first_error();
                vec![Action::Error(ctx.describe(&e))]
            }
            None => {
                self.form.focus_first_error();
                vec![Action::Error(self.form.errors_message(t))]
            }
        }
    }

    /// Drafts a contract, or saves a draft's terms.
    fn save_terms(&mut self, ctx: &mut Ctx, base: Option<&Contract>) -> Option<Result<String, DbError>> {
        let actor = ctx.actor();
        let t = ctx.t();
        let customer = match (base, &self.pick) {
            (Some(b), _) => Ok(b.terms.customer_id.clone()),
            (None, Some(pick)) => pick.resolve(ctx, &self.form.value(customer_pick::FIELD)),
            (None, None) => Err(t.err_customer_unknown.to_string()),
        };
        if let Err(why) = &customer {
            self.form.set_error(customer_pick::FIELD, Some(why.clone()));
        }
        let terms = self.terms(ctx, customer.ok(), base)?;
        let saved = match base {
            Some(b) => contracts::update(&mut ctx.store, &actor, b.id, b.version, &terms),
            None => contracts::create(&mut ctx.store, &actor, &terms).map(|_| ()),
        };
        Some(saved.map(|()| fill(t.contract_saved, &[&terms.number])))
    }

    /// Records copies sent.
    fn save_copy(&mut self, ctx: &mut Ctx, base: &Contract) -> Option<Result<String, DbError>> {
        let copies = match validate::count(&self.text("copies")) {
            Ok(n) => u32::try_from(n).ok(),
            Err(e) => {
                self.field_error(ctx, "copies", &e);
                None
            }
        };
        let on = self.day(ctx, "on");
        let (copies, sent_on) = (copies?, on?);
        let copy = NewCopy {
            kind: CopyKind::from_code(&self.form.value("kind")).unwrap_or(CopyKind::Original),
            copies,
            sent_to: self.text("sent_to"),
            sent_on,
            note: self.text("note"),
        };
        let actor = ctx.actor();
        Some(
            contracts::add_copy(&mut ctx.store, &actor, base.id, &copy)
                .map(|_| ctx.t().contract_copy_recorded.to_string()),
        )
    }

    /// Marks the field a refused save is about, where there is one.
    fn mark(&mut self, ctx: &Ctx, e: &DbError) {
        let DbError::Invalid(Invalid::Contract(problem)) = e else { return };
        let key = match problem {
            ContractError::Missing(key) => *key,
            ContractError::NumberTaken(_) => "number",
            ContractError::EndBeforeStart => "end_on",
            ContractError::AccessBureau => "access_bureau",
            ContractError::ReasonRequired => "reason",
            ContractError::NoCopies => "copies",
            ContractError::InFuture | ContractError::FiledBeforeSigned | ContractError::SignedBeforeApproval => "on",
            _ => return,
        };
        self.form.set_error(key, Some(crate::ui::contract_error_text(ctx.lang, problem)));
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

/// The province's specialised bureau the database holds, by name (where
/// the filing photocopy goes), if any.
fn province_bureau_name(ctx: &Ctx) -> Option<String> {
    let provinces: Vec<i64> = ctx.reference.units.iter().filter(|u| u.kind == "province").map(|u| u.id).collect();
    ctx.reference
        .units
        .iter()
        .find(|u| u.kind == "bureau" && u.parent_id.is_some_and(|p| provinces.contains(&p)))
        .map(|u| u.name.clone())
}

form_screen!(ContractFormScreen);
