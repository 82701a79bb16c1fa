//! The pipeline's forms: start a prospect (a registered, approved, unsigned
//! customer; an industry of the unit's ranking table; the revenue expected),
//! and add or edit a line of the ranking table. A failed save keeps the
//! form and says why at the field.

use crossterm::event::KeyEvent;

use crate::ctx::Ctx;
use crate::db::access::Work;
use crate::db::pipeline::{self, IndustryText, PipelineProblem};
use crate::db::{DbError, Invalid};
use crate::domain::validate::{self, FieldError};
use crate::i18n::fill;
use crate::msg::{Action, PipelineForm};
use crate::ui::screens::form::{FormOutcome, form_actions, form_screen, route_form_key_with_pick};
use crate::ui::widgets::customer_pick::{self, CustomerPick};
use crate::ui::widgets::form::{Form, FormField};

pub struct PipelineFormScreen {
    request: PipelineForm,
    form: Form,
    title: String,
    opened: Vec<String>,
    discard_armed: bool,
    /// The customer field's pick list (starting a prospect).
    pick: Option<CustomerPick>,
}

impl PipelineFormScreen {
    pub fn new(ctx: &Ctx, request: PipelineForm) -> PipelineFormScreen {
        let t = ctx.t();
        let (title, fields, pick) = match &request {
            PipelineForm::Start { customer } => {
                let given = customer.as_ref().and_then(|id| {
                    let name = crate::db::customers::load(ctx.store.conn(), id).ok()?.text("short_name").to_string();
                    Some((id.clone(), name))
                });
                let pick = CustomerPick::new(ctx, Work::Edit, given.as_ref().map(|(id, n)| (id, n.as_str())));
                let mut industries = vec![(String::new(), t.pipe_no_industry.to_string())];
                let lines = pipeline::industries(ctx.store.conn(), ctx.user.unit_id, false).unwrap_or_default();
                industries
                    .extend(lines.iter().map(|l| (l.id.to_string(), format!("{} {}", l.text.rank, l.text.industry))));
                let first = lines.first().map(|l| l.id.to_string()).unwrap_or_default();
                let fields = vec![
                    FormField::text(customer_pick::FIELD, t.pick_customer, true, &pick.initial_text()),
                    FormField::pick("industry", t.pipe_f_industry, false, industries, &first),
                    FormField::text("revenue", t.pipe_f_revenue, false, ""),
                ];
                (t.pipe_form_start.to_string(), fields, Some(pick))
            }
            PipelineForm::Industry { unit, base } => {
                let next_rank = pipeline::industries(ctx.store.conn(), *unit, false)
                    .map(|l| l.iter().map(|l| l.text.rank).max().unwrap_or(0) + 1)
                    .unwrap_or(1);
                let text = base
                    .as_ref()
                    .map(|b| b.text.clone())
                    .unwrap_or(IndustryText { rank: next_rank, ..Default::default() });
                let fields = vec![
                    FormField::text("industry", t.pipe_col_industry, true, &text.industry),
                    FormField::text("rank", t.pipe_col_rank, true, &text.rank.to_string()),
                    FormField::text("weight", t.pipe_col_weight, true, &text.weight.to_string()),
                    FormField::text("notes", t.pipe_col_notes, false, &text.notes),
                ];
                let title = match base {
                    Some(b) => fill(t.pipe_form_industry_edit, &[&b.text.industry]),
                    None => t.pipe_form_industry_new.to_string(),
                };
                (title, fields, None)
            }
        };
        let form = Form::new(fields);
        let opened = form.values();
        PipelineFormScreen { request, form, title, opened, discard_armed: false, pick }
    }

    fn field_error(&mut self, ctx: &Ctx, key: &str, e: &FieldError) {
        self.form.set_error(key, Some(crate::ui::field_error_text(ctx.lang, e)));
    }

    /// A whole number in `range`, or `None` with `why` at the field.
    fn number(&mut self, ctx: &Ctx, key: &str, range: std::ops::RangeInclusive<i64>, why: &str) -> Option<i64> {
        match validate::count(&self.form.value(key)) {
            Ok(n) if range.contains(&n) => Some(n),
            Ok(_) => {
                self.form.set_error(key, Some(why.to_string()));
                None
            }
            Err(e) => {
                self.field_error(ctx, key, &e);
                None
            }
        }
    }

    fn save(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        self.form.clear_errors();
        let t = ctx.t();
        let actor = ctx.actor();
        match self.request.clone() {
            PipelineForm::Start { .. } => {
                let customer = match self.pick.as_ref().map(|p| p.resolve(ctx, &self.form.value(customer_pick::FIELD)))
                {
                    Some(Ok(id)) => Some(id),
                    Some(Err(why)) => {
                        self.form.set_error(customer_pick::FIELD, Some(why));
                        None
                    }
                    None => None,
                };
                let revenue = match validate::optional(&self.form.value("revenue"), validate::amount) {
                    Ok(v) => Some(v),
                    Err(e) => {
                        self.field_error(ctx, "revenue", &e);
                        None
                    }
                };
                let (Some(customer), Some(revenue)) = (customer, revenue) else { return self.report_errors(ctx) };
                let industry = self.form.value("industry").parse::<i64>().ok();
                let today = ctx.today();
                match pipeline::start(&mut ctx.store, &actor, &customer, today, industry, revenue) {
                    Ok(()) => {
                        let name = crate::db::customers::load(ctx.store.conn(), &customer)
                            .map(|d| d.text("short_name").to_string())
                            .unwrap_or_else(|_| customer.to_string());
                        vec![Action::Saved, Action::Info(fill(t.pipe_started, &[&name]))]
                    }
                    Err(e) => self.refused(ctx, customer_pick::FIELD, &e),
                }
            }
            PipelineForm::Industry { unit, base } => {
                let industry = self.form.value("industry").trim().to_string();
                if industry.is_empty() {
                    self.field_error(ctx, "industry", &FieldError::Required);
                }
                let rank = self.number(ctx, "rank", 1..=i64::MAX, t.pipe_err_rank);
                let weight = self.number(ctx, "weight", 0..=100, t.pipe_err_weight);
                let (Some(rank), Some(weight), false) = (rank, weight, industry.is_empty()) else {
                    return self.report_errors(ctx);
                };
                let text = IndustryText {
                    industry: industry.clone(),
                    rank,
                    weight,
                    notes: self.form.value("notes"),
                    archived: false,
                };
                let current = base.as_ref().map(|b| (b.id, b.version));
                match pipeline::save_industry(&mut ctx.store, &actor, unit, &text, current) {
                    Ok(_) => vec![Action::Saved, Action::Info(fill(t.pipe_industry_saved, &[&industry]))],
                    Err(e) => self.refused(ctx, "industry", &e),
                }
            }
        }
    }

    /// A save refused by storage: the reason at `field` (the pipeline's own
    /// rules and the access rules name the customer or the line), the form kept.
    fn refused(&mut self, ctx: &Ctx, field: &str, e: &DbError) -> Vec<Action> {
        let why = ctx.describe(e);
        let at = match e {
            DbError::Invalid(Invalid::Pipeline(PipelineProblem::BadIndustry)) => "weight",
            _ => field,
        };
        self.form.set_error(at, Some(why.clone()));
        self.form.focus_first_error();
        vec![Action::Error(why)]
    }

    fn report_errors(&mut self, ctx: &Ctx) -> Vec<Action> {
        self.form.focus_first_error();
        vec![Action::Error(self.form.errors_message(ctx.t()))]
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

form_screen!(PipelineFormScreen);
