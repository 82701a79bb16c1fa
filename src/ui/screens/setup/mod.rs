//! Units, industries and service lines (key 0): the unit tree with codes,
//! division codes and levels, and the two reference lists, each with the
//! selected entry's use and latest changes. Everyone reads; the administrator
//! adds, renames, moves, archives and restores through forms.

mod draw;
mod form;
mod text;

pub use text::{change_text, error_text, history_line, rule_text, tree_prefixes};

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::Frame;
use ratatui::layout::Rect;

use self::form::{Purpose, SetupForm};
use crate::ctx::Ctx;
use crate::db::history::HistoryRow;
use crate::db::setup::{self, ListEntry, RefList, SetupError, UnitRow};
use crate::i18n::fill;
use crate::keymap::{Command, Mode};
use crate::msg::{Action, MainScreen, Msg};
use crate::ui::Screen;
use crate::ui::screens::form::{FormOutcome, route_form_key};

/// The three lists, in tab order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Units,
    Industries,
    ServiceLines,
}

impl Tab {
    pub const ALL: [Tab; 3] = [Tab::Units, Tab::Industries, Tab::ServiceLines];

    fn index(self) -> usize {
        Tab::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    fn list(self) -> Option<RefList> {
        match self {
            Tab::Units => None,
            Tab::Industries => Some(RefList::Industry),
            Tab::ServiceLines => Some(RefList::ServiceLine),
        }
    }
}

/// What the lines under the list say about the selected entry.
#[derive(Debug, Clone, Default)]
struct Detail {
    /// (tab, id) it was read for.
    of: Option<(Tab, i64)>,
    /// "customers 3 · staff 2 · units below 1"
    usage: String,
    history: Vec<HistoryRow>,
}

/// How many changes of the selected entry are shown.
const HISTORY_LINES: u64 = 3;

pub struct SetupScreen {
    tab: Tab,
    units: Vec<UnitRow>,
    industries: Vec<ListEntry>,
    lines: Vec<ListEntry>,
    show_archived: bool,
    selected: [usize; 3],
    scroll: usize,
    detail: Detail,
    /// An archive waiting for `y`: (tab, code).
    confirm: Option<(Tab, String)>,
    form: Option<SetupForm>,
    error: Option<String>,
}

impl SetupScreen {
    pub fn new(ctx: &Ctx) -> SetupScreen {
        let mut s = SetupScreen {
            tab: Tab::Units,
            units: Vec::new(),
            industries: Vec::new(),
            lines: Vec::new(),
            show_archived: false,
            selected: [0; 3],
            scroll: 0,
            detail: Detail::default(),
            confirm: None,
            form: None,
            error: None,
        };
        s.reload(ctx);
        s
    }

    /// Reads the lists again; each tab keeps its selected entry where it still shows.
    fn reload(&mut self, ctx: &Ctx) {
        let kept: Vec<Option<i64>> = Tab::ALL.iter().map(|t| self.id_at(*t, self.selected[t.index()])).collect();
        let conn = ctx.store.conn();
        let read = || -> Result<_, crate::db::DbError> {
            Ok((
                setup::unit_tree(conn, self.show_archived)?,
                setup::list_entries(conn, RefList::Industry, self.show_archived)?,
                setup::list_entries(conn, RefList::ServiceLine, self.show_archived)?,
            ))
        };
        match read() {
            Ok((units, industries, lines)) => {
                self.units = units;
                self.industries = industries;
                self.lines = lines;
                self.error = None;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        for tab in Tab::ALL {
            let i = tab.index();
            let found = kept[i].and_then(|id| (0..self.len(tab)).find(|&row| self.id_at(tab, row) == Some(id)));
            self.selected[i] = found.unwrap_or(self.selected[i]).min(self.len(tab).saturating_sub(1));
        }
        self.detail.of = None;
        self.read_detail(ctx);
    }

    fn id_at(&self, tab: Tab, row: usize) -> Option<i64> {
        match tab {
            Tab::Units => self.units.get(row).map(|u| u.id),
            Tab::Industries => self.industries.get(row).map(|e| e.id),
            Tab::ServiceLines => self.lines.get(row).map(|e| e.id),
        }
    }

    fn len(&self, tab: Tab) -> usize {
        match tab {
            Tab::Units => self.units.len(),
            Tab::Industries => self.industries.len(),
            Tab::ServiceLines => self.lines.len(),
        }
    }

    fn selected(&self) -> usize {
        self.selected[self.tab.index()]
    }

    fn select(&mut self, ctx: &Ctx, index: usize) {
        let last = self.len(self.tab).saturating_sub(1);
        self.selected[self.tab.index()] = index.min(last);
        self.read_detail(ctx);
    }

    fn unit(&self) -> Option<&UnitRow> {
        (self.tab == Tab::Units).then(|| self.units.get(self.selected())).flatten()
    }

    fn entry(&self) -> Option<&ListEntry> {
        match self.tab {
            Tab::Units => None,
            Tab::Industries => self.industries.get(self.selected()),
            Tab::ServiceLines => self.lines.get(self.selected()),
        }
    }

    /// The selected entry's (id, code, archived).
    fn current(&self) -> Option<(i64, String, bool)> {
        match self.tab {
            Tab::Units => self.unit().map(|u| (u.id, u.code.clone(), u.archived)),
            _ => self.entry().map(|e| (e.id, e.code.clone(), e.archived)),
        }
    }

    /// Reads the use and the latest changes of the selected entry, once per entry.
    fn read_detail(&mut self, ctx: &Ctx) {
        let Some((id, _, _)) = self.current() else {
            self.detail = Detail::default();
            return;
        };
        if self.detail.of == Some((self.tab, id)) {
            return;
        }
        let t = ctx.t();
        let conn = ctx.store.conn();
        let read = || -> Result<Detail, crate::db::DbError> {
            let (usage, entity) = match self.tab {
                Tab::Units => {
                    let u = setup::unit_use(conn, id)?;
                    (fill(t.setup_use_unit, &[&u.customers, &u.staff, &u.units]), "org_unit")
                }
                Tab::Industries => {
                    (fill(t.setup_use_industry, &[&setup::industry_customers(conn, id)?]), RefList::Industry.entity())
                }
                Tab::ServiceLines => (String::new(), RefList::ServiceLine.entity()),
            };
            let history = setup::history(conn, entity, id, HISTORY_LINES)?;
            Ok(Detail { of: Some((self.tab, id)), usage, history })
        };
        match read() {
            Ok(d) => self.detail = d,
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
    }

    /// Opens a form, or says why not.
    fn open(&mut self, ctx: &Ctx, purpose: Purpose) -> Vec<Action> {
        if let Err(r) = ctx.user.may_administer() {
            return vec![Action::Error(fill(ctx.t().refused, &[&crate::ui::refusal_text(ctx.lang, &r)]))];
        }
        self.form = Some(SetupForm::new(ctx, purpose, &self.units));
        vec![]
    }

    fn command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        let t = ctx.t();
        let page = 10;
        match cmd {
            Command::Up => self.select(ctx, self.selected().saturating_sub(1)),
            Command::Down => self.select(ctx, self.selected() + 1),
            Command::PageUp => self.select(ctx, self.selected().saturating_sub(page)),
            Command::PageDown => self.select(ctx, self.selected() + page),
            Command::Top => self.select(ctx, 0),
            Command::Bottom => self.select(ctx, usize::MAX),
            Command::NextTab | Command::PrevTab => {
                let step = if cmd == Command::NextTab { 1 } else { Tab::ALL.len() - 1 };
                self.tab = Tab::ALL[(self.tab.index() + step) % Tab::ALL.len()];
                self.scroll = 0;
                self.read_detail(ctx);
            }
            Command::ShowArchived => {
                self.show_archived = !self.show_archived;
                self.reload(ctx);
            }
            Command::New => {
                let purpose = match self.tab.list() {
                    None => Purpose::NewUnit { parent: self.unit().filter(|u| !u.archived).map(|u| u.code.clone()) },
                    Some(list) => Purpose::NewEntry(list),
                };
                return self.open(ctx, purpose);
            }
            Command::Edit => {
                let purpose = match (self.tab.list(), self.unit(), self.entry()) {
                    (None, Some(u), _) => Purpose::EditUnit(u.clone()),
                    (Some(list), _, Some(e)) => Purpose::RenameEntry(list, e.clone()),
                    _ => return vec![],
                };
                return self.open(ctx, purpose);
            }
            Command::MoveUnit => {
                if let Some(u) = self.unit() {
                    if u.archived {
                        return vec![Action::Error(rule_text(
                            ctx.lang,
                            &crate::domain::org::SetupRule::Archived(u.code.clone()),
                        ))];
                    }
                    let purpose = Purpose::MoveUnit(u.clone());
                    return self.open(ctx, purpose);
                }
            }
            Command::Archive => {
                if let Err(r) = ctx.user.may_administer() {
                    return vec![Action::Error(fill(t.refused, &[&crate::ui::refusal_text(ctx.lang, &r)]))];
                }
                if let Some((_, code, _)) = self.current() {
                    self.confirm = Some((self.tab, code.clone()));
                    return vec![Action::Info(fill(t.setup_confirm_archive, &[&code]))];
                }
            }
            Command::Restore => {
                if let Some((_, code, _)) = self.current() {
                    let result = self.archive(ctx, self.tab, &code, false);
                    return self.after_write(ctx, result, fill(t.setup_done_restore, &[&code]));
                }
            }
            Command::Back => return vec![Action::Go(MainScreen::Today)],
            Command::Quit => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }

    fn archive(&mut self, ctx: &mut Ctx, tab: Tab, code: &str, archived: bool) -> Result<(), SetupError> {
        let actor = ctx.actor();
        match (tab.list(), archived) {
            (None, true) => setup::archive_unit(&mut ctx.store, &actor, code),
            (None, false) => setup::restore_unit(&mut ctx.store, &actor, code),
            (Some(list), a) => setup::set_entry_archived(&mut ctx.store, &actor, list, code, a),
        }
    }

    /// After a write: reload the lists here and the reference data every
    /// picker reads, and say what happened.
    fn after_write(&mut self, ctx: &mut Ctx, result: Result<(), SetupError>, done: String) -> Vec<Action> {
        match result {
            Ok(()) => {
                refresh_reference(ctx);
                self.reload(ctx);
                vec![Action::Info(done)]
            }
            Err(e) => vec![Action::Error(error_text(ctx.lang, &e))],
        }
    }

    fn form_key(&mut self, ctx: &mut Ctx, key: &KeyEvent) -> Vec<Action> {
        let Some(form) = self.form.as_mut() else { return vec![] };
        match route_form_key(&mut form.form, &ctx.keymap, key, &mut form.discard_armed, &form.opened) {
            FormOutcome::Save => match form.save(ctx) {
                Ok(done) => {
                    let code = form.saved_code.clone();
                    self.form = None;
                    refresh_reference(ctx);
                    self.reload(ctx);
                    if let Some(code) = code {
                        self.select_code(ctx, &code);
                    }
                    vec![Action::Info(done)]
                }
                Err(text) => vec![Action::Error(text)],
            },
            FormOutcome::Close => {
                self.form = None;
                vec![]
            }
            FormOutcome::Warn => vec![Action::Info(ctx.t().form_discard.to_string())],
            FormOutcome::Edited => {
                form.follow_parent(&self.units);
                vec![]
            }
            FormOutcome::Nothing => vec![],
        }
    }

    /// Selects the entry with this code in the current tab (after adding it).
    fn select_code(&mut self, ctx: &Ctx, code: &str) {
        let found = match self.tab {
            Tab::Units => self.units.iter().position(|u| u.code == code),
            Tab::Industries => self.industries.iter().position(|e| e.code == code),
            Tab::ServiceLines => self.lines.iter().position(|e| e.code == code),
        };
        if let Some(i) = found {
            self.select(ctx, i);
        }
    }
}

/// The pickers of every other screen read `ctx.reference`: after a change it
/// is read again, so a new unit or industry is offered at once.
fn refresh_reference(ctx: &mut Ctx) {
    if let Ok(r) = crate::db::reference::load(ctx.store.conn()) {
        ctx.reference = r;
    }
}

impl Screen for SetupScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        match msg {
            Msg::Key(key) if self.form.is_some() => self.form_key(ctx, key),
            Msg::Paste(text) => {
                if let Some(f) = self.form.as_mut() {
                    f.form.paste(text);
                }
                vec![]
            }
            Msg::Key(key) => {
                if let Some((tab, code)) = self.confirm.take() {
                    if key.code == KeyCode::Char('y') || key.code == KeyCode::Char('Y') {
                        let result = self.archive(ctx, tab, &code, true);
                        return self.after_write(ctx, result, fill(ctx.t().setup_done_archive, &[&code]));
                    }
                    return vec![];
                }
                match ctx.keymap.lookup(Mode::Setup, key) {
                    Some(cmd) => self.command(ctx, cmd),
                    None => vec![],
                }
            }
            _ => vec![],
        }
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }

    fn is_typing(&self) -> bool {
        // While a form is open keys are text; while an archive waits for `y`
        // the next key answers it (a digit must not leave the screen).
        self.form.is_some() || self.confirm.is_some()
    }

    fn key_modes(&self) -> &'static [Mode] {
        if self.form.is_some() { &[Mode::Form] } else { &[Mode::Setup] }
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        if let Some(form) = self.form.as_mut() {
            let (title, panel) = (form.title.clone(), form.panel(ctx));
            crate::ui::screens::form::draw_form_frame(f, area, ctx, &title, &mut form.form, &panel);
            return;
        }
        draw::draw(self, f, area, ctx);
    }
}
