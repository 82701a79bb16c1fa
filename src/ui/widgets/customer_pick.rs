//! A form's customer field with a pick list: as the user types a name, pinyin,
//! initials or part of an ID, a small list under the field shows the first
//! customers the customer list's search finds among those the user may work
//! on; ↑/↓ and Enter pick one. The search runs on the reader thread and reads
//! a few rows, never the whole table.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::form::Form;
use super::text::{cells, clean, pad, truncate};
use crate::background::Job;
use crate::ctx::Ctx;
use crate::db::DbError;
use crate::db::access::{self, Work};
use crate::db::customers::{self, CustomerFilter, CustomerQuery, CustomerRow};
use crate::db::reference::Reference;
use crate::domain::id::CustomerId;
use crate::i18n::{Lang, tier_label};
use crate::msg::{Msg, PickAnswer};
use crate::search::normalize_query;
use crate::theme::Slot;
use crate::theme::Theme;

/// Rows the pick list shows (and reads) at most.
pub const PICK_ROWS: u64 = 6;

/// The key of the customer field in every form that has one.
pub const FIELD: &str = "customer";

pub struct CustomerPick {
    work: Work,
    /// Which customers may be offered (see `access::workable`; `None`: all).
    scope: Option<(i64, Option<i64>)>,
    open: bool,
    /// The normalised text last searched for.
    term: String,
    rows: Vec<CustomerRow>,
    more: bool,
    selected: usize,
    generation: u64,
    /// The search sent and not answered yet.
    pending: Option<u64>,
    /// The customer picked (or given when the form opened) and the text the
    /// field got for it; typing over that text drops it.
    chosen: Option<(CustomerId, String)>,
}

/// The text a picked customer puts into the field: its ID first (so the ID
/// alone is enough to read it back), then its short name.
fn field_text(id: &CustomerId, short_name: &str) -> String {
    format!("{id} {}", clean(short_name))
}

impl CustomerPick {
    /// A pick list for `work`; `given` is the customer the form opens with.
    pub fn new(ctx: &Ctx, work: Work, given: Option<(&CustomerId, &str)>) -> CustomerPick {
        let scope = access::workable(ctx.store.conn(), &ctx.user, work).ok().flatten();
        let chosen = given.map(|(id, name)| (id.clone(), field_text(id, name)));
        CustomerPick {
            work,
            scope,
            open: false,
            term: String::new(),
            rows: Vec::new(),
            more: false,
            selected: 0,
            generation: 0,
            pending: None,
            chosen,
        }
    }

    /// The text the customer field opens with.
    pub fn initial_text(&self) -> String {
        self.chosen.as_ref().map(|(_, t)| t.clone()).unwrap_or_default()
    }

    pub fn is_open(&self) -> bool {
        self.open
    }

    fn query(&self, term: &str) -> CustomerQuery {
        CustomerQuery {
            search: term.to_string(),
            filter: CustomerFilter { workable_by: self.scope, ..Default::default() },
            ..Default::default()
        }
    }

    /// Searches for what the field now holds (after an edit or a paste).
    fn search(&mut self, ctx: &Ctx, text: &str) {
        if self.chosen.as_ref().is_some_and(|(_, t)| t != text) {
            self.chosen = None;
        }
        let term = normalize_query(text);
        if term.is_empty() {
            self.open = false;
            self.term.clear();
            self.rows.clear();
            self.pending = None;
            return;
        }
        self.open = true;
        if term == self.term {
            return;
        }
        self.term = term.clone();
        self.generation += 1;
        self.pending = Some(self.generation);
        let job = pick_job(self.generation, self.query(&term), PICK_ROWS);
        if let Some(Msg::Picked(answer)) = ctx.reader.submit(ctx.store.conn(), "pick", job) {
            self.take(ctx, &answer);
        }
    }

    /// Takes the reader thread's answer if it is for the text now typed.
    pub fn take(&mut self, ctx: &Ctx, answer: &PickAnswer) {
        if self.pending != Some(answer.generation) {
            return;
        }
        self.pending = None;
        let found = match &answer.found {
            Some(found) => Ok(found.clone()),
            None => customers::pick(ctx.store.conn(), &self.query(&self.term), PICK_ROWS),
        };
        let (rows, more) = found.unwrap_or_default();
        self.rows = rows;
        self.more = more;
        self.selected = 0;
    }

    /// Keys the pick list takes while its field has the focus: ↑/↓ move in the
    /// open list, Enter picks (or opens the list again), Esc closes it. Returns
    /// false for keys the form should have.
    pub fn key(&mut self, ctx: &Ctx, form: &mut Form, key: &KeyEvent) -> bool {
        if form.focused_key() != FIELD || !key.modifiers.difference(KeyModifiers::SHIFT).is_empty() {
            return false;
        }
        // A picked customer is one value, not text to type after: typing starts
        // a new search in its place, and Backspace or Delete clears it.
        let holds_pick = self.chosen.as_ref().is_some_and(|(_, shown)| *shown == form.value(FIELD));
        if holds_pick && matches!(key.code, KeyCode::Char(_) | KeyCode::Backspace | KeyCode::Delete) {
            form.set_text(FIELD, "");
            self.chosen = None;
            self.search(ctx, "");
            return !matches!(key.code, KeyCode::Char(_));
        }
        match key.code {
            KeyCode::Up if self.open => self.selected = self.selected.saturating_sub(1),
            KeyCode::Down if self.open => {
                self.selected = (self.selected + 1).min(self.rows.len().saturating_sub(1));
            }
            KeyCode::Esc if self.open => self.open = false,
            KeyCode::Enter if self.open => {
                if let Some(row) = self.rows.get(self.selected) {
                    let text = field_text(&row.id, &row.short_name);
                    form.set_text(FIELD, &text);
                    self.chosen = Some((row.id.clone(), text));
                    self.open = false;
                    // The next search, whatever it is, starts afresh.
                    self.term.clear();
                }
            }
            KeyCode::Enter if self.chosen.is_none() => self.search(ctx, &form.value(FIELD)),
            _ => return false,
        }
        true
    }

    /// Before pasted text goes into the field: it replaces a picked customer.
    pub fn before_paste(&mut self, form: &mut Form) {
        if form.focused_key() == FIELD && self.chosen.as_ref().is_some_and(|(_, shown)| *shown == form.value(FIELD)) {
            form.set_text(FIELD, "");
            self.chosen = None;
        }
    }

    /// After the form took a key or a paste: search again when the field's
    /// text changed, close the list when the focus left the field.
    pub fn after_edit(&mut self, ctx: &Ctx, form: &Form, edited: bool) {
        if form.focused_key() != FIELD {
            self.open = false;
        } else if edited {
            self.search(ctx, &form.value(FIELD));
        }
    }

    /// The customer the field names, or the message to show at the field: the
    /// one picked; else an exact ID; else the only customer the search finds
    /// (or the one whose name is exactly what was typed).
    pub fn resolve(&self, ctx: &Ctx, text: &str) -> Result<CustomerId, String> {
        let t = ctx.t();
        let text = text.trim();
        if let Some((id, shown)) = &self.chosen
            && shown == text
        {
            return self.allowed(ctx, id);
        }
        if text.is_empty() {
            return Err(t.err_required.to_string());
        }
        // An ID alone, or an ID and that customer's short name (as a pick writes it).
        let (first, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        if let Ok(id) = CustomerId::parse(first)
            && let Ok(found) = customers::load(ctx.store.conn(), &id)
            && (rest.trim().is_empty() || rest.trim() == found.text("short_name"))
        {
            return self.allowed(ctx, &id);
        }
        let describe = |e: DbError| ctx.describe(&e);
        let query = self.query(&normalize_query(text));
        let (rows, _) = customers::pick(ctx.store.conn(), &query, PICK_ROWS).map_err(describe)?;
        let exact = |r: &&CustomerRow| r.short_name == text || r.full_name == text;
        let one = match rows.as_slice() {
            [only] => Some(only),
            several => several.iter().find(exact),
        };
        if let Some(row) = one {
            return Ok(row.id.clone());
        }
        if !rows.is_empty() {
            return Err(t.err_customer_choose.to_string());
        }
        // Nothing among the user's customers: say so if it is someone else's.
        match customers::find_by_name(ctx.store.conn(), text).map_err(describe)?.first() {
            Some(other) => self.allowed(ctx, other),
            None => Err(t.err_customer_unknown.to_string()),
        }
    }

    fn allowed(&self, ctx: &Ctx, id: &CustomerId) -> Result<CustomerId, String> {
        match access::may_work_on(ctx.store.conn(), &ctx.actor(), id, self.work) {
            Ok(()) => Ok(id.clone()),
            Err(e) => Err(ctx.describe(&e)),
        }
    }

    /// The list, under the field (or over it when there is no room below).
    pub fn draw(&self, f: &mut Frame, form: &Form, theme: &Theme, lang: Lang, reference: &Reference) {
        if !self.open {
            return;
        }
        let Some(anchor) = form.input_area(FIELD) else { return };
        let screen = f.area();
        let t = lang.text();
        let mut lines: Vec<Line> = Vec::new();
        let inner_w = 62.min(screen.width.saturating_sub(2)) as usize;
        let tier_w = 8;
        let owner_w = 10;
        let name_w = inner_w.saturating_sub(14 + tier_w + owner_w + 3).max(4);
        for (i, r) in self.rows.iter().enumerate() {
            let owner = reference.staff(r.owner_a).map(|s| s.name.as_str()).unwrap_or("");
            let text = format!(
                "{} {} {} {}",
                r.id,
                pad(&clean(&r.short_name), name_w),
                pad(lang.pick(tier_label(r.tier)), tier_w),
                truncate(&clean(owner), owner_w)
            );
            let style = if i == self.selected { theme.get(Slot::Selection) } else { theme.get(Slot::Base) };
            lines.push(Line::from(Span::styled(pad(&text, inner_w), style)));
        }
        if self.rows.is_empty() {
            let note = if self.pending.is_some() { t.pick_searching } else { t.pick_customer_none };
            lines.push(Line::from(Span::styled(note.to_string(), theme.get(Slot::Muted))));
        }
        if self.more {
            lines.push(Line::from(Span::styled(truncate(t.pick_more, inner_w), theme.get(Slot::Muted))));
        }
        let h = cells(lines.len() + 2);
        let w = cells(inner_w + 2);
        let x = anchor.x.min(screen.right().saturating_sub(w));
        let below = anchor.y + 1;
        let y = if below.saturating_add(h) <= screen.bottom() { below } else { anchor.y.saturating_sub(h) };
        let area = Rect { x, y, width: w.min(screen.width), height: h.min(screen.height) }.intersection(screen);
        let hint = format!(" {} ", t.pick_customer_hint);
        let mut block = Block::default()
            .borders(Borders::ALL)
            .border_style(theme.get(Slot::Accent))
            .title_bottom(Span::styled(truncate(&hint, inner_w), theme.get(Slot::Muted)));
        if self.scope.is_some() {
            let title = format!(" {} ", t.pick_yours);
            block = block.title(Span::styled(truncate(&title, inner_w), theme.get(Slot::Accent)));
        }
        f.render_widget(Clear, area);
        f.render_widget(Paragraph::new(lines).block(block), area);
    }
}

/// The job that fetches a pick list's first `rows` for a query.
pub fn pick_job(generation: u64, query: CustomerQuery, rows: u64) -> Job {
    Box::new(move |conn| {
        let found = conn.and_then(|c| customers::pick(c, &query, rows).ok());
        Msg::Picked(PickAnswer { generation, found })
    })
}
