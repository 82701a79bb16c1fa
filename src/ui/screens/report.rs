//! The monthly analysis report of one unit (经营分析报告, SPEC §13.4): the
//! seven parts with kam's figures read-only, and the parts only people can
//! write (reasons, competition, the key-customer topic, measures, the plan)
//! edited by the supervisor, saved as a draft and submitted with a
//! confirmation. Account managers and leaders read.

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::Rect;

use super::report_draw;
use crate::ctx::Ctx;
use crate::db::DbError;
use crate::db::analysis_report::{self, Report, ReportKey, WrittenTexts};
use crate::domain::analysis_report::{ReportStatus, WrittenPart, deadline};
use crate::domain::org::UnitLevel;
use crate::domain::staff::Role;
use crate::i18n::fill;
use crate::keymap::{Command, Mode};
use crate::msg::{Action, Msg};
use crate::ui::Screen;
use crate::ui::widgets::input::TextInput;

/// A question waiting for y/n.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Confirm {
    Submit,
    Reopen,
}

pub struct ReportScreen {
    pub(super) key: ReportKey,
    pub(super) unit_name: String,
    pub(super) deadline: Option<NaiveDate>,
    pub(super) today: NaiveDate,
    pub(super) report: Report,
    /// The written parts as edited here (saved or not).
    pub(super) texts: WrittenTexts,
    /// The selected written part (index into `WrittenPart::ALL`).
    pub(super) selected: usize,
    /// The part being edited and its input.
    pub(super) editing: Option<(WrittenPart, TextInput)>,
    pub(super) confirm: Option<Confirm>,
    /// May this user write and submit the report (supervisor of the unit or above, administrator)?
    pub(super) may_write: bool,
    /// The first line of the document shown, and whether to bring the selected part into view.
    pub(super) scroll: usize,
    pub(super) follow: bool,
    /// The body's height at the last draw, for paging.
    pub(super) page: usize,
    discard_armed: bool,
}

impl ReportScreen {
    pub fn open(ctx: &mut Ctx, key: ReportKey) -> Result<ReportScreen, DbError> {
        let conn = ctx.store.conn();
        let report = analysis_report::open(conn, key, &ctx.status_rules)?;
        let unit = ctx.reference.unit(key.unit_id);
        let unit_name = unit.map(|u| u.name.clone()).unwrap_or_default();
        let level = unit.and_then(|u| UnitLevel::from_code(&u.kind)).unwrap_or(UnitLevel::Branch);
        let deciding = crate::db::access::deciding_unit(conn, key.unit_id)?;
        let may_write = ctx.user.may_decide_for(&deciding).is_ok();
        Ok(ReportScreen {
            key,
            unit_name,
            deadline: deadline(level, key.kind, key.month),
            today: ctx.today(),
            texts: report.texts(),
            report,
            selected: 0,
            editing: None,
            confirm: None,
            may_write,
            scroll: 0,
            follow: true,
            page: 10,
            discard_armed: false,
        })
    }

    fn submitted(&self) -> bool {
        self.report.status() == ReportStatus::Submitted
    }

    /// May the written parts be edited here, now?
    pub(super) fn editable(&self) -> bool {
        self.may_write && !self.submitted()
    }

    fn dirty(&self) -> bool {
        self.texts != self.report.texts()
    }

    fn reload(&mut self, ctx: &Ctx) -> Result<(), DbError> {
        self.report = analysis_report::open(ctx.store.conn(), self.key, &ctx.status_rules)?;
        self.texts = self.report.texts();
        Ok(())
    }

    /// Why the user may not edit, as an action to show.
    fn not_editable(&self, ctx: &Ctx) -> Vec<Action> {
        if self.submitted() {
            return vec![Action::Error(ctx.t().err_report_submitted.to_string())];
        }
        let refusal = crate::domain::staff::Refusal::DecidedBy { unit: self.unit_name.clone() };
        vec![Action::Error(ctx.describe(&DbError::Refused(refusal)))]
    }

    fn handle_editing(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        let Some((part, input)) = self.editing.as_mut() else { return vec![] };
        match msg {
            Msg::Paste(text) => input.paste(text),
            Msg::Key(key) => match ctx.keymap.lookup(Mode::Form, key) {
                Some(Command::Cancel) => self.editing = None,
                Some(Command::Save) => {
                    let text = input.value().to_string();
                    self.texts.set(*part, &text);
                    self.editing = None;
                    return self.save(ctx);
                }
                _ if key.code == KeyCode::Enter => {
                    let text = input.value().to_string();
                    self.texts.set(*part, &text);
                    self.editing = None;
                }
                _ => {
                    input.handle_key(key);
                }
            },
            _ => {}
        }
        vec![]
    }

    /// Saves the written parts as a draft. A failed save keeps every character.
    fn save(&mut self, ctx: &mut Ctx) -> Vec<Action> {
        let actor = ctx.actor();
        let texts = self.texts.clone();
        match analysis_report::save_draft(&mut ctx.store, &actor, self.key, &texts, self.report.version()) {
            Ok(_) => {
                if let Err(e) = self.reload(ctx) {
                    return vec![Action::Error(ctx.describe(&e))];
                }
                self.discard_armed = false;
                vec![Action::Info(ctx.t().ar_saved.to_string())]
            }
            Err(e) => vec![Action::Error(ctx.describe(&e))],
        }
    }

    fn answer(&mut self, ctx: &mut Ctx, confirm: Confirm) -> Vec<Action> {
        let actor = ctx.actor();
        let version = self.report.version();
        let (done, text) = match confirm {
            Confirm::Submit => {
                let texts = self.texts.clone();
                let rules = ctx.status_rules;
                (
                    analysis_report::submit(&mut ctx.store, &actor, self.key, &texts, version, &rules),
                    ctx.t().ar_submitted,
                )
            }
            Confirm::Reopen => {
                (analysis_report::reopen(&mut ctx.store, &actor, self.key, version), ctx.t().ar_reopened)
            }
        };
        match done.and_then(|()| self.reload(ctx)) {
            Ok(()) => {
                self.follow = true;
                vec![Action::Info(text.to_string())]
            }
            Err(e) => vec![Action::Error(ctx.describe(&e))],
        }
    }

    /// The question asked before submitting or reopening.
    pub(super) fn question(&self, ctx: &Ctx) -> Option<String> {
        let t = ctx.t();
        let what =
            format!("{} {}", self.unit_name, crate::export::analysis_report::period_name(ctx.lang, &self.report));
        self.confirm.map(|c| match c {
            Confirm::Submit => fill(t.ar_submit_confirm, &[&what]),
            Confirm::Reopen => fill(t.ar_reopen_confirm, &[&what]),
        })
    }
}

impl Screen for ReportScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        if self.editing.is_some() {
            return self.handle_editing(ctx, msg);
        }
        let Msg::Key(key) = msg else { return vec![] };
        if let Some(confirm) = self.confirm.take() {
            return if matches!(key.code, KeyCode::Char('y' | 'Y')) { self.answer(ctx, confirm) } else { vec![] };
        }
        let command = ctx.keymap.lookup(Mode::Report, key);
        if command != Some(Command::Back) {
            self.discard_armed = false;
        }
        let parts = WrittenPart::ALL.len();
        match command {
            Some(Command::Up) => {
                self.selected = self.selected.saturating_sub(1);
                self.follow = true;
            }
            Some(Command::Down) => {
                self.selected = (self.selected + 1).min(parts - 1);
                self.follow = true;
            }
            Some(Command::PageUp) => self.scroll = self.scroll.saturating_sub(self.page.max(1)),
            Some(Command::PageDown) => self.scroll += self.page.max(1),
            Some(Command::Edit) if self.editable() => {
                let part = WrittenPart::ALL[self.selected];
                self.editing = Some((part, TextInput::new(self.texts.get(part))));
                self.follow = true;
            }
            Some(Command::Edit | Command::Save | Command::Submit) if !self.editable() => {
                return self.not_editable(ctx);
            }
            Some(Command::Save) => return self.save(ctx),
            Some(Command::Submit) => self.confirm = Some(Confirm::Submit),
            Some(Command::Reopen) if self.submitted() => {
                if ctx.user.role != Role::Supervisor || !self.may_write {
                    let refusal = crate::domain::staff::Refusal::DecidedBy { unit: self.unit_name.clone() };
                    return vec![Action::Error(ctx.describe(&DbError::Refused(refusal)))];
                }
                self.confirm = Some(Confirm::Reopen);
            }
            Some(Command::Back) => {
                if self.dirty() && !self.discard_armed {
                    self.discard_armed = true;
                    return vec![Action::Error(ctx.t().ar_unsaved.to_string())];
                }
                return vec![Action::Back];
            }
            _ => {}
        }
        vec![]
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        if !self.dirty() {
            let _ = self.reload(ctx);
        }
    }

    fn key_modes(&self) -> &'static [Mode] {
        if self.editing.is_some() { &[Mode::Form] } else { &[Mode::Report] }
    }

    fn is_typing(&self) -> bool {
        self.editing.is_some()
    }

    fn unsaved(&self) -> bool {
        self.dirty() || self.editing.as_ref().is_some_and(|(part, input)| input.value() != self.texts.get(*part))
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        report_draw::draw(f, area, ctx, self);
    }
}
