//! The form screen: create and edit customers, key persons and competitors,
//! override a tier, decide a registration. A failed save keeps every character
//! typed; a stale edit shows what the other person changed.

use std::collections::BTreeMap;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use crossterm::event::KeyEvent;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::draw_title;
use crate::ctx::Ctx;
use crate::db::customers::{self, Dossier, Likeness, NewCustomer, SimilarCustomer};
use crate::db::records::{self, RecordKind};
use crate::db::{Conflict, DbError};
use crate::domain::dossier::{BASIC_FIELDS, EXTENDED_FIELDS, FieldKind, FieldSpec, FieldValue, parse_field};
use crate::domain::id::DivisionCode;
use crate::domain::tier::Tier;
use crate::domain::validate;
use crate::i18n::{Lang, choice_label, field_label, fill, tier_label};
use crate::keymap::Mode;
use crate::msg::{Action, FormRequest, Msg, Section};
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::widgets::form::{Form, FormField, FormKey};
use crate::ui::widgets::text::{cells, clean, flow, wrap_spans};

pub struct FormScreen {
    request: FormRequest,
    form: Form,
    title: String,
    /// Possible duplicates shown once; a second save goes ahead.
    duplicates: Option<Vec<SimilarCustomer>>,
    /// A refused stale edit: what the other person changed, and the version to
    /// overwrite if the user saves again.
    conflict: Option<(Conflict, Box<Dossier>)>,
    discard_armed: bool,
    message: Option<String>,
    /// The values as the form opened, to know whether Esc would lose anything.
    opened: Vec<String>,
}

fn spec_field(ctx: &Ctx, spec: &FieldSpec, value: &FieldValue) -> FormField {
    let label = ctx.lang.pick(field_label(spec.key));
    let current = value.edit_text();
    let optional = || vec![(String::new(), "—".to_string())];
    match spec.kind {
        FieldKind::Choice(codes) => {
            let options = codes.iter().map(|c| (c.to_string(), ctx.lang.pick(choice_label(c)).to_string())).collect();
            FormField::pick(spec.key, label, spec.required, options, &current)
        }
        FieldKind::Unit => {
            let mut options = if spec.required { vec![] } else { optional() };
            options.extend(ctx.reference.units.iter().map(|u| (u.id.to_string(), u.name.clone())));
            // An archived unit is offered to nobody, but a record that has it keeps it.
            if let Some(u) = value.as_int().filter(|id| ctx.reference.is_archived_unit(*id)) {
                let name = ctx.reference.unit(u).map(|u| u.name.as_str()).unwrap_or("");
                options.push((u.to_string(), format!("{name} [{}]", ctx.t().archived_mark)));
            }
            FormField::pick(spec.key, label, spec.required, options, &current)
        }
        FieldKind::Staff => {
            let mut options = if spec.required { vec![] } else { optional() };
            options.extend(ctx.reference.staff.iter().map(|s| {
                let unit = ctx.reference.unit(s.unit_id).map(|u| u.name.as_str()).unwrap_or("");
                (s.id.to_string(), format!("{} ({unit})", s.name))
            }));
            FormField::pick(spec.key, label, spec.required, options, &current)
        }
        FieldKind::Industry => {
            let mut options = optional();
            options.extend(
                ctx.reference
                    .industries
                    .iter()
                    .map(|i| (i.id.to_string(), ctx.lang.pick((&i.name_zh, &i.name_en)).to_string())),
            );
            if let Some(i) = value.as_int().filter(|id| ctx.reference.is_archived_industry(*id))
                && let Some(industry) = ctx.reference.industry(i)
            {
                let name = ctx.lang.pick((&industry.name_zh, &industry.name_en));
                options.push((i.to_string(), format!("{name} [{}]", ctx.t().archived_mark)));
            }
            FormField::pick(spec.key, label, spec.required, options, &current)
        }
        _ => FormField::text(spec.key, label, spec.required, &current),
    }
}

impl FormScreen {
    pub fn new(ctx: &Ctx, request: FormRequest) -> FormScreen {
        let t = ctx.t();
        let null = FieldValue::Null;
        let (title, fields): (String, Vec<FormField>) = match &request {
            FormRequest::NewCustomer { headquarters } => {
                let hq = headquarters.as_ref().and_then(|id| customers::load(ctx.store.conn(), id).ok());
                let unit = ctx.reference.unit(ctx.user.unit_id);
                let mut fields = Vec::new();
                if hq.is_none() {
                    let division = unit.map(|u| u.division_code.as_str()).unwrap_or("");
                    fields.push(FormField::text("division", t.form_division, true, division));
                }
                for spec in BASIC_FIELDS {
                    // A new customer starts from the user's unit and ownership, or its headquarters'.
                    let preset = match (spec.key, &hq) {
                        ("unit_id", None) => FieldValue::Int(ctx.user.unit_id),
                        ("owner_a", None) => FieldValue::Int(ctx.user.id),
                        ("short_name" | "full_name" | "address" | "postal_code" | "phone" | "email", _) => {
                            FieldValue::Null
                        }
                        // A branch starts from its headquarters' industry, unless archived since.
                        ("industry_id", Some(h)) => match h.value("industry_id").as_int() {
                            Some(i) if ctx.reference.is_archived_industry(i) => FieldValue::Null,
                            _ => h.value("industry_id").clone(),
                        },
                        (k, Some(h)) => h.value(k).clone(),
                        _ => FieldValue::Null,
                    };
                    fields.push(spec_field(ctx, spec, &preset));
                }
                fields.push(FormField::text("reason", t.form_reason, true, ""));
                let title = if hq.is_some() { t.form_new_branch } else { t.form_new_customer };
                (title.to_string(), fields)
            }
            FormRequest::EditCustomer { base, section } => {
                let specs = if *section == Section::Basic { BASIC_FIELDS } else { EXTENDED_FIELDS };
                let fields = specs.iter().map(|s| spec_field(ctx, s, base.value(s.key))).collect();
                (format!("{} · {}", t.form_edit, clean(base.text("short_name"))), fields)
            }
            FormRequest::NewRecord { kind, .. } => {
                let fields = kind.fields().iter().map(|s| spec_field(ctx, s, &null)).collect();
                let title = if *kind == RecordKind::KeyPerson { t.form_new_person } else { t.form_new_competitor };
                (title.to_string(), fields)
            }
            FormRequest::EditRecord { kind, base } => {
                let fields = kind.fields().iter().map(|s| spec_field(ctx, s, base.value(s.key))).collect();
                (format!("{} · {}", t.form_edit, clean(base.value("name").as_text().unwrap_or(""))), fields)
            }
            FormRequest::OverrideTier { current, reason, .. } => {
                let mut options = vec![(String::new(), format!("— ({})", t.tier_computed))];
                options.extend(
                    ctx.preset
                        .tiers()
                        .iter()
                        .map(|tier| (tier.code().to_string(), ctx.lang.pick(tier_label(*tier)).to_string())),
                );
                let current = current.map(|c| c.code()).unwrap_or("");
                let fields = vec![
                    FormField::pick("tier", t.form_tier, false, options, current),
                    FormField::text("reason", t.tier_override_reason, true, reason),
                ];
                (t.form_override.to_string(), fields)
            }
            FormRequest::DecideRegistration { approve, .. } => {
                let options = vec![
                    ("approve".to_string(), t.registration_approved.to_string()),
                    ("reject".to_string(), t.registration_rejected.to_string()),
                ];
                let fields = vec![
                    FormField::pick(
                        "decision",
                        t.form_decide,
                        true,
                        options,
                        if *approve { "approve" } else { "reject" },
                    ),
                    FormField::text("note", t.form_note, !approve, ""),
                ];
                (t.form_decide.to_string(), fields)
            }
        };
        let form = Form::new(fields);
        let opened = form.values();
        FormScreen {
            request,
            form,
            title,
            duplicates: None,
            conflict: None,
            discard_armed: false,
            message: None,
            opened,
        }
    }

    /// Parses every field; marks the bad ones. Returns the parsed values if all
    /// are good (judged by these fields alone: the form's other fields, such as
    /// the division code and the reason, are checked by the caller).
    fn parse(
        &mut self,
        lang: Lang,
        today: NaiveDate,
        specs: &[&'static FieldSpec],
    ) -> Option<BTreeMap<&'static str, FieldValue>> {
        let mut values = BTreeMap::new();
        let mut bad = 0;
        for spec in specs {
            let text = self.form.value(spec.key);
            // The dossier's dates are dates of birth: one in the future cannot be right.
            let parsed = parse_field(spec, &text).and_then(|v| match v {
                FieldValue::Date(d) => validate::done_on(d, today).map(FieldValue::Date),
                other => Ok(other),
            });
            match parsed {
                Ok(v) => {
                    self.form.set_error(spec.key, None);
                    values.insert(spec.key, v);
                }
                Err(e) => {
                    bad += 1;
                    self.form.set_error(spec.key, Some(crate::ui::field_error_text(lang, &e)));
                }
            }
        }
        (bad == 0).then_some(values)
    }

    fn specs(&self) -> Vec<&'static FieldSpec> {
        match &self.request {
            FormRequest::NewCustomer { .. } => BASIC_FIELDS.iter().collect(),
            FormRequest::EditCustomer { section: Section::Basic, .. } => BASIC_FIELDS.iter().collect(),
            FormRequest::EditCustomer { section: Section::Extended, .. } => EXTENDED_FIELDS.iter().collect(),
            FormRequest::NewRecord { kind, .. } | FormRequest::EditRecord { kind, .. } => {
                kind.fields().iter().collect()
            }
            _ => vec![],
        }
    }

    fn require(&mut self, ctx: &Ctx, key: &str) -> Option<String> {
        let v = self.form.value(key).trim().to_string();
        if v.is_empty() {
            self.form.set_error(
                key,
                Some(crate::ui::field_error_text(ctx.lang, &crate::domain::validate::FieldError::Required)),
            );
            None
        } else {
            self.form.set_error(key, None);
            Some(crate::domain::validate::sanitize_text(&v))
        }
    }

    fn save(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        self.message = None;
        // Every save judges the whole form afresh: an error left from an earlier
        // save (a reason since filled in) must not refuse this one.
        self.form.clear_errors();
        let specs = self.specs();
        let values = self.parse(ctx.lang, ctx.today(), &specs);
        let actor = ctx.actor();
        let t = ctx.t();
        let result: Result<Vec<Action>, DbError> = match self.request.clone() {
            FormRequest::NewCustomer { headquarters } => {
                let division = if headquarters.is_none() {
                    match DivisionCode::parse(self.form.value("division").trim()) {
                        Ok(d) => {
                            self.form.set_error("division", None);
                            Some(d)
                        }
                        Err(e) => {
                            self.form.set_error("division", Some(crate::ui::id_error_text(ctx.lang, &e)));
                            None
                        }
                    }
                } else {
                    headquarters.as_ref().map(|h| h.division())
                };
                let reason = self.require(ctx, "reason");
                let (Some(values), Some(division), Some(reason)) = (values, division, reason) else {
                    return self.report_errors(ctx);
                };
                if self.duplicates.is_none() {
                    let full = values.get("full_name").and_then(FieldValue::as_text).unwrap_or("");
                    let address = values.get("address").and_then(FieldValue::as_text).unwrap_or("");
                    match customers::similar(ctx.store.conn(), full, address, None) {
                        Ok(found) if !found.is_empty() => {
                            self.duplicates = Some(found);
                            return vec![];
                        }
                        Ok(_) => {}
                        Err(e) => return vec![Action::Error(ctx.describe(&e))],
                    }
                }
                let new = NewCustomer { division, headquarters, values, reason };
                customers::create(&mut ctx.store, &actor, &new, ctx.preset).map(|id| {
                    vec![Action::Back, Action::OpenDossier(id.clone()), Action::Info(fill(t.created_customer, &[&id]))]
                })
            }
            FormRequest::EditCustomer { base, section } => {
                let Some(values) = values else { return self.report_errors(ctx) };
                // After a conflict the user chose to overwrite: save against the version now stored.
                let base = self.conflict.take().map(|(_, now)| now).unwrap_or(base);
                let changes: Vec<(&'static str, FieldValue)> =
                    values.into_iter().filter(|(k, v)| base.value(k) != v).collect();
                if changes.is_empty() {
                    return vec![Action::Back, Action::Info(t.form_unchanged.to_string())];
                }
                let result = customers::update(&mut ctx.store, &actor, &base, &changes, ctx.preset);
                if let Err(DbError::Conflict(c)) = &result {
                    // Keep the form; remember the stored version so a second save overwrites it.
                    match customers::load(ctx.store.conn(), &base.id) {
                        Ok(now) => self.conflict = Some(((**c).clone(), Box::new(now))),
                        Err(e) => return vec![Action::Error(ctx.describe(&e))],
                    }
                    self.request = FormRequest::EditCustomer { base, section };
                    return vec![];
                }
                result.map(|_| vec![Action::Saved])
            }
            FormRequest::NewRecord { kind, customer } => {
                let Some(values) = values else { return self.report_errors(ctx) };
                records::insert(&mut ctx.store, &actor, kind, &customer, &values).map(|_| vec![Action::Saved])
            }
            FormRequest::EditRecord { kind, base } => {
                let Some(values) = values else { return self.report_errors(ctx) };
                let changes: Vec<(&'static str, FieldValue)> =
                    values.into_iter().filter(|(k, v)| base.value(k) != v).collect();
                if changes.is_empty() {
                    return vec![Action::Back, Action::Info(t.form_unchanged.to_string())];
                }
                records::update(&mut ctx.store, &actor, kind, &base, &changes).map(|_| vec![Action::Saved])
            }
            FormRequest::OverrideTier { id, .. } => {
                let tier = Tier::from_code(&self.form.value("tier"));
                let reason = if tier.is_some() { self.require(ctx, "reason") } else { Some(self.form.value("reason")) };
                let Some(reason) = reason else { return self.report_errors(ctx) };
                customers::override_tier(&mut ctx.store, &actor, &id, tier, &reason, ctx.preset)
                    .map(|_| vec![Action::Saved])
            }
            FormRequest::DecideRegistration { id, .. } => {
                let approve = self.form.value("decision") == "approve";
                let note = if approve { Some(self.form.value("note")) } else { self.require(ctx, "note") };
                let Some(note) = note else { return self.report_errors(ctx) };
                customers::decide_registration(&mut ctx.store, &actor, &id, approve, &note)
                    .map(|_| vec![Action::Saved, Action::Info(t.decided.to_string())])
            }
        };
        match result {
            Ok(actions) => actions,
            Err(e) => {
                self.message = Some(ctx.describe(&e));
                vec![Action::Error(ctx.describe(&e))]
            }
        }
    }

    fn report_errors(&mut self, ctx: &Ctx) -> Vec<Action> {
        self.form.focus_first_error();
        vec![Action::Error(self.form.errors_message(ctx.t()))]
    }

    fn on_key(&mut self, ctx: &mut Ctx, key: &KeyEvent) -> Vec<Action> {
        // Esc first closes a warning panel; the text stays.
        let warning = self.conflict.is_some() || self.duplicates.is_some();
        if warning && ctx.keymap.lookup(Mode::Form, key) == Some(crate::keymap::Command::Cancel) {
            self.conflict = None;
            self.duplicates = None;
            return vec![];
        }
        match route_form_key(&mut self.form, &ctx.keymap, key, &mut self.discard_armed, &self.opened) {
            FormOutcome::Save => self.save(ctx),
            FormOutcome::Edited => {
                // An edit after a duplicate warning asks again on the next save.
                self.duplicates = None;
                vec![]
            }
            other => form_actions(other, ctx),
        }
    }
}

/// What a key came to on a form screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormOutcome {
    Save,
    /// Close the form (nothing typed, or Esc pressed twice).
    Close,
    /// Esc with changes: say that a second Esc discards them.
    Warn,
    Edited,
    Nothing,
}

/// Routes a key through a form the way every form screen does: Ctrl-S saves,
/// Esc closes at once when nothing was typed and otherwise warns once, other
/// keys move between fields or edit.
pub fn route_form_key(
    form: &mut Form,
    keymap: &crate::keymap::Keymap,
    key: &KeyEvent,
    armed: &mut bool,
    opened: &[String],
) -> FormOutcome {
    let event = form.on_key(keymap, key);
    if event != FormKey::Cancel {
        *armed = false;
    }
    match event {
        FormKey::Save => FormOutcome::Save,
        FormKey::Cancel if discard_or_warn(armed, form.values() != opened) => FormOutcome::Close,
        FormKey::Cancel => FormOutcome::Warn,
        FormKey::Edited => FormOutcome::Edited,
        FormKey::Other => FormOutcome::Nothing,
    }
}

/// [`route_form_key`] for a form with a customer pick list: the list takes
/// its keys first (↑/↓, Enter, Esc while it is open), then follows the edits.
pub fn route_form_key_with_pick(
    form: &mut Form,
    pick: Option<&mut crate::ui::widgets::customer_pick::CustomerPick>,
    ctx: &Ctx,
    key: &KeyEvent,
    armed: &mut bool,
    opened: &[String],
) -> FormOutcome {
    let Some(pick) = pick else { return route_form_key(form, &ctx.keymap, key, armed, opened) };
    if pick.key(ctx, form, key) {
        *armed = false;
        return FormOutcome::Nothing;
    }
    let outcome = route_form_key(form, &ctx.keymap, key, armed, opened);
    pick.after_edit(ctx, form, outcome == FormOutcome::Edited);
    outcome
}

/// The actions of a routed key for a form screen without warnings of its own.
pub fn form_actions(outcome: FormOutcome, ctx: &Ctx) -> Vec<Action> {
    match outcome {
        FormOutcome::Close => vec![Action::Back],
        FormOutcome::Warn => vec![Action::Info(ctx.t().form_discard.to_string())],
        FormOutcome::Save | FormOutcome::Edited | FormOutcome::Nothing => vec![],
    }
}

/// When something was received, read from the form's `key` field as
/// "2026-11-23 09:30": not later than now; a year ago or more is asked about
/// (a warning). `None` with the field's error marked.
pub fn received_at_field(form: &mut crate::ui::widgets::form::Form, ctx: &Ctx, key: &str) -> Option<NaiveDateTime> {
    let text = validate::sanitize_text(form.value(key).trim());
    let mut parts = text.split_whitespace();
    let parsed = match (parts.next(), parts.next(), parts.next()) {
        (Some(day), Some(time), None) => {
            validate::date(day).ok().zip(NaiveTime::parse_from_str(time, "%H:%M").ok()).map(|(d, t)| d.and_time(t))
        }
        _ => None,
    };
    let Some(at) = parsed else {
        form.set_error(key, Some(ctx.t().err_date_time.to_string()));
        return None;
    };
    if let Err(e) = validate::done_at(at, ctx.clock.now()) {
        form.set_error(key, Some(crate::ui::field_error_text(ctx.lang, &e)));
        return None;
    }
    if let Some(u) = validate::unusual_done(at.date(), ctx.today()) {
        form.set_warning(key, Some(crate::ui::unusual_text(ctx.lang, u).to_string()));
    }
    Some(at)
}

/// The `Screen` impl shared by form screens that have `form`, `title`,
/// `opened`, a customer `pick: Option<CustomerPick>` and an `on_key(ctx, key)`
/// method: keys to `on_key`, pasted text into the form, the pick list's
/// answers to the pick list, typing mode always, and the common frame.
macro_rules! form_screen {
    ($screen:ty) => {
        impl crate::ui::Screen for $screen {
            fn handle(&mut self, ctx: &mut crate::ctx::Ctx, msg: &crate::msg::Msg) -> Vec<crate::msg::Action> {
                match msg {
                    crate::msg::Msg::Key(key) => self.on_key(ctx, key),
                    crate::msg::Msg::Paste(text) => {
                        if let Some(pick) = &mut self.pick {
                            pick.before_paste(&mut self.form);
                        }
                        self.form.paste(text);
                        if let Some(pick) = &mut self.pick {
                            pick.after_edit(ctx, &self.form, true);
                        }
                        vec![]
                    }
                    crate::msg::Msg::Picked(answer) => {
                        if let Some(pick) = &mut self.pick {
                            pick.take(ctx, answer);
                        }
                        vec![]
                    }
                    _ => vec![],
                }
            }

            fn is_typing(&self) -> bool {
                true
            }

            fn unsaved(&self) -> bool {
                self.form.changed_since(&self.opened)
            }

            fn key_modes(&self) -> &'static [crate::keymap::Mode] {
                &[crate::keymap::Mode::Form]
            }

            fn draw(&mut self, f: &mut ratatui::Frame, area: ratatui::layout::Rect, ctx: &crate::ctx::Ctx) {
                crate::ui::screens::form::draw_form_frame(f, area, ctx, &self.title, &mut self.form, &[]);
                if let Some(pick) = &self.pick {
                    pick.draw(f, &self.form, &ctx.theme, ctx.lang, &ctx.reference);
                }
            }
        }
    };
}
pub(crate) use form_screen;

/// Esc on a form: leave at once if nothing was typed; otherwise warn once and
/// leave on the second Esc. Returns true when the form should close.
pub fn discard_or_warn(armed: &mut bool, dirty: bool) -> bool {
    if *armed || !dirty {
        return true;
    }
    *armed = true;
    false
}

impl Screen for FormScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        match msg {
            Msg::Key(key) => self.on_key(ctx, key),
            Msg::Paste(text) => {
                self.form.paste(text);
                vec![]
            }
            _ => vec![],
        }
    }

    fn is_typing(&self) -> bool {
        true
    }

    fn unsaved(&self) -> bool {
        self.form.changed_since(&self.opened)
    }

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::Form]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let panel = self.panel_lines(ctx, area.width.saturating_sub(2) as usize);
        draw_form_frame(f, area, ctx, &self.title, &mut self.form, &panel);
    }
}

/// What every form screen draws: its title, the form, an optional warning panel
/// under it, and the key hint.
pub fn draw_form_frame(f: &mut Frame, area: Rect, ctx: &Ctx, title: &str, form: &mut Form, panel: &[Line<'static>]) {
    // The panel's lines wrapped to its inside (between the borders), so that its
    // height counts every row: a warning names whom a duplicate belongs to, and
    // that must not fall off the right edge nor the bottom. It may take all but
    // the title, the key hint and three rows of the form.
    let inside = area.width.saturating_sub(2) as usize;
    let panel: Vec<Line<'static>> = panel.iter().flat_map(|l| wrap_spans(&l.spans, inside)).collect();
    let most = area.height.saturating_sub(5);
    let panel_h = if panel.is_empty() { 0 } else { cells(panel.len() + 2).min(most) };
    let [title_row, body, warn, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(panel_h),
        Constraint::Length(1),
    ])
    .areas(area);
    draw_title(f, title_row, &ctx.theme, ctx.t(), &[title], "");
    let body = Rect { x: body.x + 1, width: body.width.saturating_sub(2), ..body };
    form.draw(f, body, &ctx.theme);
    if !panel.is_empty() {
        let block = Block::default().borders(Borders::ALL).border_style(ctx.theme.get(Slot::Warning));
        f.render_widget(Paragraph::new(panel).block(block), warn);
    }
    f.render_widget(Paragraph::new(Span::styled(ctx.t().form_hint, ctx.theme.get(Slot::Muted))), hint);
}

impl FormScreen {
    /// The duplicate warning or the conflict report, when there is one.
    fn panel_lines(&self, ctx: &Ctx, inside: usize) -> Vec<Line<'static>> {
        let t = ctx.t();
        let mut lines = Vec::new();
        if let Some(dups) = &self.duplicates {
            lines.push(Line::from(Span::styled(t.dup_warning.to_string(), ctx.theme.get(Slot::Warning))));
            for d in dups {
                let why = match d.likeness {
                    Likeness::SameName => t.dup_same_name,
                    Likeness::SimilarName => t.dup_similar_name,
                    Likeness::SameAddress => t.dup_same_address,
                };
                let owner = ctx.reference.staff(d.owner_a).map(|s| s.name.as_str()).unwrap_or("—");
                let unit = ctx.reference.unit(d.unit_id).map(|u| u.name.as_str()).unwrap_or("—");
                // Whose customer it is matters most: each part stays whole on its row.
                let parts = [
                    clean(&format!("{} {} [{why}]", d.id, d.full_name)),
                    clean(&format!("{}: {unit}", ctx.lang.pick(field_label("unit_id")))),
                    clean(&format!("{}: {owner}", ctx.lang.pick(field_label("owner_a")))),
                ];
                let parts = parts.into_iter().map(|p| vec![Span::raw(p)]).collect();
                for (i, row) in flow(parts, &Span::raw(" · "), inside.saturating_sub(4)).into_iter().enumerate() {
                    let indent = if i == 0 { "  " } else { "    " };
                    lines.push(Line::from([vec![Span::raw(indent)], row.spans].concat()));
                }
            }
        }
        if let Some((c, _)) = &self.conflict {
            let who = if c.changed_by.is_empty() { t.conflict_someone } else { c.changed_by.as_str() };
            lines.push(Line::from(Span::styled(
                fill(t.conflict_title, &[&who, &c.changed_at]),
                ctx.theme.get(Slot::Alert),
            )));
            lines.push(Line::from(t.conflict_body.to_string()));
            for change in &c.changes {
                let label = ctx.lang.pick(field_label(&change.field));
                // Pick lists save a code or an id: show each value as the list does.
                let field = self.form.field(&change.field);
                let shown = |v: &str| {
                    let v = field.map_or_else(|| v.to_string(), |f| f.shown(v));
                    if v.is_empty() { "—".to_string() } else { v }
                };
                let mine = shown(&field.map(|f| f.value()).unwrap_or_default());
                let by = if change.by.is_empty() { t.conflict_someone } else { change.by.as_str() };
                let text = fill(t.conflict_change, &[&label, &shown(&change.then), &by, &shown(&change.now), &mine]);
                lines.push(Line::from(clean(&format!("  {text}"))));
            }
        }
        if let Some(m) = &self.message {
            lines.push(Line::from(Span::styled(clean(m), ctx.theme.get(Slot::Error))));
        }
        lines
    }
}
