//! The set-up's forms (the shared form widget): a new unit, a unit's name and
//! division code, a unit's parent, a new industry or service line, a rename.
//! A refused save keeps the form and marks the field at fault.

use ratatui::text::{Line, Span};

use super::text::{error_text, rule_text};
use crate::ctx::Ctx;
use crate::db::setup::{self, ListEntry, NewUnit, RefList, SetupError, UnitRow};
use crate::domain::org::{SetupRule, UnitLevel};
use crate::i18n::{fill, unit_level_label};
use crate::theme::Slot;
use crate::ui::widgets::form::{Form, FormField};
use crate::ui::widgets::text::clean;

/// What a form is for.
#[derive(Debug, Clone)]
pub enum Purpose {
    /// A new unit, under the selected one by default.
    NewUnit {
        parent: Option<String>,
    },
    EditUnit(UnitRow),
    MoveUnit(UnitRow),
    NewEntry(RefList),
    RenameEntry(RefList, ListEntry),
}

pub struct SetupForm {
    purpose: Purpose,
    pub form: Form,
    pub title: String,
    pub opened: Vec<String>,
    pub discard_armed: bool,
    /// The code of the entry a save created or changed, to select it afterwards.
    pub saved_code: Option<String>,
    /// The refusal of the last save, shown under the form.
    message: Option<String>,
    /// A new unit's level and division as last defaulted from its parent: while
    /// the user leaves them so, they follow a change of parent.
    defaults: (String, String),
}

/// "TH 天河区大客户中心", indented under its parent, for the parent picker.
fn unit_options(ctx: &Ctx, units: &[UnitRow], except: Option<i64>) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), ctx.t().setup_top.to_string())];
    options.extend(
        units
            .iter()
            .filter(|u| !u.archived && Some(u.id) != except)
            .map(|u| (u.code.clone(), format!("{} {}", u.code, clean(&u.name)))),
    );
    options
}

fn level_options(ctx: &Ctx) -> Vec<(String, String)> {
    UnitLevel::ALL.iter().map(|l| (l.code().to_string(), ctx.lang.pick(unit_level_label(*l)).to_string())).collect()
}

/// The defaults a parent gives a new unit: (level code, division code).
fn defaults_under(ctx: &Ctx, units: &[UnitRow], parent: &str) -> (String, String) {
    match units.iter().find(|u| u.code == parent) {
        Some(p) => {
            (p.level.map(UnitLevel::below).unwrap_or(UnitLevel::Branch).code().to_string(), p.division_code.clone())
        }
        None => {
            let own = ctx.reference.unit(ctx.user.unit_id).map(|u| u.division_code.clone()).unwrap_or_default();
            (UnitLevel::City.code().to_string(), own)
        }
    }
}

impl SetupForm {
    pub fn new(ctx: &Ctx, purpose: Purpose, units: &[UnitRow]) -> SetupForm {
        let t = ctx.t();
        let mut defaults = (String::new(), String::new());
        let (title, fields) = match &purpose {
            Purpose::NewUnit { parent } => {
                let parent = parent.clone().unwrap_or_default();
                defaults = defaults_under(ctx, units, &parent);
                let fields = vec![
                    FormField::text("code", t.f_code, true, ""),
                    FormField::text("name", t.f_unit_name, true, ""),
                    FormField::pick("parent", t.f_parent, false, unit_options(ctx, units, None), &parent),
                    FormField::pick("level", t.f_level, true, level_options(ctx), &defaults.0),
                    FormField::text("division", t.form_division, true, &defaults.1),
                ];
                (t.setup_form_new_unit.to_string(), fields)
            }
            Purpose::EditUnit(u) => {
                let fields = vec![
                    FormField::text("name", t.f_unit_name, true, &u.name),
                    FormField::text("division", t.form_division, true, &u.division_code),
                ];
                (fill(t.setup_form_edit_unit, &[&u.code]), fields)
            }
            Purpose::MoveUnit(u) => {
                let parent = u.parent_id.and_then(|p| units.iter().find(|x| x.id == p)).map(|p| p.code.as_str());
                let options = unit_options(ctx, units, Some(u.id));
                let fields = vec![FormField::pick("parent", t.f_parent, false, options, parent.unwrap_or(""))];
                (fill(t.setup_form_move_unit, &[&format!("{} {}", u.code, u.name)]), fields)
            }
            Purpose::NewEntry(list) => {
                let fields = vec![
                    FormField::text("code", t.f_code, true, ""),
                    FormField::text("name_zh", t.f_name_zh, true, ""),
                    FormField::text("name_en", t.f_name_en, false, ""),
                ];
                let title = if *list == RefList::Industry { t.setup_form_new_industry } else { t.setup_form_new_line };
                (title.to_string(), fields)
            }
            Purpose::RenameEntry(_, e) => {
                let fields = vec![
                    FormField::text("name_zh", t.f_name_zh, true, &e.name_zh),
                    // Empty while the Chinese name serves in English too, so a
                    // new Chinese name carries on into the English interface.
                    FormField::text(
                        "name_en",
                        t.f_name_en,
                        false,
                        if e.name_en == e.name_zh { "" } else { &e.name_en },
                    ),
                ];
                (fill(t.setup_form_rename, &[&e.code]), fields)
            }
        };
        let form = Form::new(fields);
        let opened = form.values();
        SetupForm {
            purpose,
            form,
            title: clean(&title),
            opened,
            discard_armed: false,
            saved_code: None,
            message: None,
            defaults,
        }
    }

    /// A new unit's level and division follow its parent until the user changes them.
    pub fn follow_parent(&mut self, units: &[UnitRow]) {
        if !matches!(self.purpose, Purpose::NewUnit { .. }) {
            return;
        }
        let parent = self.form.value("parent");
        let Some(p) = units.iter().find(|u| u.code == parent) else { return };
        let next =
            (p.level.map(UnitLevel::below).unwrap_or(UnitLevel::Branch).code().to_string(), p.division_code.clone());
        if self.form.value("level") == self.defaults.0
            && let Some(field) = self.form.fields.iter_mut().find(|f| f.key == "level")
            && let crate::ui::widgets::form::FieldInput::Pick { options, index } = &mut field.input
            && let Some(i) = options.iter().position(|(v, _)| *v == next.0)
        {
            *index = i;
        }
        if self.form.value("division") == self.defaults.1
            && let Some(field) = self.form.fields.iter_mut().find(|f| f.key == "division")
            && let crate::ui::widgets::form::FieldInput::Text(input) = &mut field.input
        {
            input.set(&next.1);
        }
        self.defaults = next;
    }

    /// Saves; on success the message to show, else the form keeps what was
    /// typed, marks the field at fault and returns the message.
    pub fn save(&mut self, ctx: &mut Ctx) -> Result<String, String> {
        self.form.clear_errors();
        self.message = None;
        let actor = ctx.actor();
        let t = ctx.t();
        let value = |key: &str| self.form.value(key);
        let optional = |key: &str| Some(value(key)).filter(|v| !v.trim().is_empty());
        let result: Result<(String, String), SetupError> = match &self.purpose {
            Purpose::NewUnit { .. } => {
                let new = NewUnit {
                    code: value("code"),
                    name: value("name"),
                    division: value("division"),
                    level: UnitLevel::from_code(&value("level")),
                    parent: optional("parent"),
                };
                setup::add_unit(&mut ctx.store, &actor, &new).map(|_| {
                    let code = value("code").trim().to_string();
                    (code.clone(), fill(t.setup_done_add_entry, &[&code, &value("name").trim()]))
                })
            }
            Purpose::EditUnit(u) => {
                setup::edit_unit(&mut ctx.store, &actor, &u.code, Some(&value("name")), Some(&value("division")))
                    .map(|_| (u.code.clone(), fill(t.setup_done_change, &[&u.code])))
            }
            Purpose::MoveUnit(u) => {
                let parent = optional("parent");
                setup::move_unit(&mut ctx.store, &actor, &u.code, parent.as_deref()).map(|_| {
                    let done = match &parent {
                        Some(p) => fill(t.setup_done_move, &[&u.code, p]),
                        None => fill(t.setup_done_move_top, &[&u.code]),
                    };
                    (u.code.clone(), done)
                })
            }
            Purpose::NewEntry(list) => {
                let name_en = optional("name_en");
                setup::add_entry(&mut ctx.store, &actor, *list, &value("code"), &value("name_zh"), name_en.as_deref())
                    .map(|_| {
                        let code = value("code").trim().to_string();
                        (code.clone(), fill(t.setup_done_add_entry, &[&code, &value("name_zh").trim()]))
                    })
            }
            Purpose::RenameEntry(list, e) => {
                let name_en = optional("name_en");
                setup::rename_entry(&mut ctx.store, &actor, *list, &e.code, Some(&value("name_zh")), name_en.as_deref())
                    .map(|_| (e.code.clone(), fill(t.setup_done_change, &[&e.code])))
            }
        };
        match result {
            Ok((code, done)) => {
                // A code typed in full-width letters is stored as ASCII.
                self.saved_code = crate::domain::org::check_code(&code).ok().or(Some(code));
                Ok(clean(&done))
            }
            Err(e) => {
                let text = error_text(ctx.lang, &e);
                match &e {
                    SetupError::Rule(rule) => {
                        let key = self.field_of(rule);
                        if self.form.field(key).is_some() {
                            self.form.set_error(key, Some(rule_text(ctx.lang, rule)));
                            self.form.focus_first_error();
                        } else {
                            self.message = Some(text.clone());
                        }
                    }
                    SetupError::Db(_) => self.message = Some(text.clone()),
                }
                Err(text)
            }
        }
    }

    /// The field a broken rule is about.
    fn field_of(&self, rule: &SetupRule) -> &'static str {
        let entry = matches!(self.purpose, Purpose::NewEntry(_) | Purpose::RenameEntry(..));
        match rule {
            SetupRule::BadCode | SetupRule::DuplicateCode(_) => "code",
            SetupRule::EmptyName | SetupRule::NameTooLong if entry => "name_zh",
            SetupRule::EmptyName | SetupRule::NameTooLong => "name",
            SetupRule::BadDivision => "division",
            SetupRule::UnknownLevel(_) | SetupRule::LevelOrder { .. } if self.form.field("level").is_some() => "level",
            SetupRule::LevelOrder { .. }
            | SetupRule::Cycle { .. }
            | SetupRule::Unknown(..)
            | SetupRule::Archived(_) => "parent",
            _ => "",
        }
    }

    /// The refusal of the last save that belongs to no field.
    pub fn panel(&self, ctx: &Ctx) -> Vec<Line<'static>> {
        match &self.message {
            Some(m) => vec![Line::from(Span::styled(clean(m), ctx.theme.get(Slot::Error)))],
            None => Vec::new(),
        }
    }
}
