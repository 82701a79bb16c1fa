//! The customer list: a window of rows paged through SQL, sortable by any column,
//! filtered, and searched as you type (ID, name, pinyin, initials).

mod list_query;

use chrono::NaiveDate;
use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use self::list_query::search_job;
use super::draw_title;
use crate::ctx::Ctx;
use crate::db::customers::{self, CustomerQuery, CustomerRow, SortColumn};
use crate::domain::staff::Role;
use crate::i18n::{choice_label, fill, tier_label};
use crate::keymap::Command;
use crate::keymap::Mode;
use crate::msg::FormRequest;
use crate::msg::{Action, Msg, SearchAnswer};
use crate::search::{match_ranges, normalize_query, sort_key};
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::widgets::input::TextInput;
use crate::ui::widgets::pick_list::{Choice, PickList, Picked};
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, Viewport, widest};
use crate::ui::widgets::text::{cells_of, clean, highlighted, truncate};

/// Rows fetched per query: a few screens' worth, so scrolling mostly needs no query.
const WINDOW: u64 = 120;

/// The pick list open over the list, and the filter it sets.
enum Picker {
    Owner(PickList<Option<i64>>),
    Unit(PickList<Option<i64>>),
}

pub struct CustomerList {
    query: CustomerQuery,
    search: TextInput,
    searching: bool,
    total: u64,
    window_offset: u64,
    window: Vec<CustomerRow>,
    selected: u64,
    /// Where the table's view starts and how tall it was last drawn.
    view: Viewport,
    /// The day the freshness marks are judged against (taken when handling, not drawing).
    today: NaiveDate,
    picker: Option<Picker>,
    error: Option<String>,
    /// The search sent to the search thread and not answered yet; meanwhile the
    /// rows of the previous query stay on screen.
    pending: Option<u64>,
    generation: u64,
}

impl CustomerList {
    pub fn new(ctx: &mut Ctx) -> CustomerList {
        let mut list = CustomerList {
            query: CustomerQuery::default(),
            search: TextInput::default(),
            searching: false,
            total: 0,
            window_offset: 0,
            window: Vec::new(),
            selected: 0,
            view: Viewport::line_by_line(),
            today: ctx.today(),
            picker: None,
            error: None,
            pending: None,
            generation: 0,
        };
        list.refresh(ctx);
        list
    }

    /// Re-counts and reloads the window after the query changed.
    fn refresh(&mut self, ctx: &Ctx) {
        self.pending = None;
        self.today = ctx.today();
        match customers::count_listed(ctx.store.conn(), &self.query) {
            Ok(n) => {
                self.total = n;
                self.error = None;
            }
            Err(e) => {
                self.error = Some(ctx.describe(&e));
                self.total = 0;
            }
        }
        self.selected = self.selected.min(self.total.saturating_sub(1));
        self.window.clear();
        self.load_around(ctx, self.selected);
        self.ensure_view(ctx);
    }

    /// Makes sure row `index` is in the loaded window.
    fn load_around(&mut self, ctx: &Ctx, index: u64) {
        self.ensure_rows(ctx, index, index + 1);
    }

    /// Makes sure rows `from..to` (as far as there are rows) are in the loaded
    /// window, loading a window around them if not.
    fn ensure_rows(&mut self, ctx: &Ctx, from: u64, to: u64) {
        let to = to.min(self.total);
        let end = self.window_offset + self.window.len() as u64;
        let loaded = from >= to || (from >= self.window_offset && to <= end);
        // Not while a search is out: the query already holds the new words, and
        // fetching with them here would run the search on this thread.
        if loaded || self.total == 0 || self.pending.is_some() {
            return;
        }
        let size = WINDOW.max((to - from) * 2);
        let start = from.saturating_sub((size - (to - from)) / 2);
        match customers::page_in(ctx.store.conn(), &self.query, start, size, self.total) {
            Ok(rows) => {
                self.window_offset = start;
                self.window = rows;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
    }

    /// Moves the view to the selection the way the table will draw it, and
    /// loads the rows it will show: drawing reads nothing.
    fn ensure_view(&mut self, ctx: &Ctx) {
        let shown = self.view.follow(as_index(self.selected), as_index(self.total));
        self.ensure_rows(ctx, shown.start as u64, shown.end as u64);
    }

    /// "共 N 户", or for a short search whose count stopped, "超过 1000 户".
    fn count_text(&self, ctx: &Ctx) -> String {
        let t = ctx.t();
        if customers::count_capped(&self.query, self.total) {
            fill(t.count_over, &[&customers::LISTED_CAP])
        } else {
            fill(t.count_of, &[&self.total])
        }
    }

    fn row(&self, index: u64) -> Option<&CustomerRow> {
        index.checked_sub(self.window_offset).and_then(|i| self.window.get(as_index(i)))
    }

    fn select(&mut self, ctx: &Ctx, index: u64) {
        if self.total == 0 {
            self.selected = 0;
            return;
        }
        self.selected = index.min(self.total - 1);
        self.load_around(ctx, self.selected);
        self.ensure_view(ctx);
    }

    /// The account managers to filter by, by unit and then name in pinyin order,
    /// each with the unit that tells namesakes apart; "all" first.
    fn owner_picker(ctx: &Ctx, current: Option<i64>) -> PickList<Option<i64>> {
        let t = ctx.t();
        let mut managers: Vec<_> = ctx.reference.staff.iter().filter(|s| s.role == Role::Manager).collect();
        managers.sort_by_cached_key(|s| (s.unit_id != ctx.user.unit_id, s.unit_id, sort_key(&s.name)));
        let unit = |id: i64| ctx.reference.unit(id).map(|u| unit_short_name(&u.name).to_string()).unwrap_or_default();
        let choices = std::iter::once(Choice::new(None, t.pick_any, ""))
            .chain(managers.iter().map(|s| Choice::new(Some(s.id), &s.name, &unit(s.unit_id))))
            .collect();
        PickList::new(t.pick_owner, choices, &current)
    }

    /// The units to filter by, in their order (by code); "all" first.
    fn unit_picker(ctx: &Ctx, current: Option<i64>) -> PickList<Option<i64>> {
        let t = ctx.t();
        let choices = std::iter::once(Choice::new(None, t.pick_any, ""))
            .chain(ctx.reference.units.iter().map(|u| Choice::new(Some(u.id), &u.name, &u.code)))
            .collect();
        PickList::new(t.pick_unit, choices, &current)
    }

    /// A message while a pick list is open: it has the keys until it closes.
    fn pick(&mut self, ctx: &Ctx, msg: &Msg) -> Vec<Action> {
        let Some(picker) = self.picker.as_mut() else { return vec![] };
        let list = match picker {
            Picker::Owner(p) | Picker::Unit(p) => p,
        };
        let picked = match msg {
            Msg::Key(key) => list.handle_key(key),
            Msg::Paste(text) => {
                list.paste(text);
                Picked::Open
            }
            _ => Picked::Open,
        };
        match picked {
            Picked::Open => {}
            Picked::Cancelled => self.picker = None,
            Picked::Chosen(value) => {
                match self.picker.take() {
                    Some(Picker::Owner(_)) => self.query.filter.owner = value,
                    Some(Picker::Unit(_)) => self.query.filter.unit = value,
                    None => {}
                }
                self.selected = 0;
                self.refresh(ctx);
            }
        }
        vec![]
    }

    fn cycle<T: Clone + PartialEq>(current: &Option<T>, options: &[T]) -> Option<T> {
        match current.as_ref().and_then(|c| options.iter().position(|o| o == c)) {
            None => options.first().cloned(),
            Some(i) if i + 1 < options.len() => Some(options[i + 1].clone()),
            Some(_) => None,
        }
    }

    fn command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        let page = self.view.page() as u64;
        let mut changed = true;
        match cmd {
            Command::Up => self.select(ctx, self.selected.saturating_sub(1)),
            Command::Down => self.select(ctx, self.selected + 1),
            Command::PageUp => self.select(ctx, self.selected.saturating_sub(page)),
            Command::PageDown => self.select(ctx, self.selected + page),
            Command::Top => self.select(ctx, 0),
            Command::Bottom => self.select(ctx, self.total.saturating_sub(1)),
            Command::Open => {
                if let Some(id) = self.row(self.selected).map(|r| r.id.clone()) {
                    return vec![Action::OpenDossier(id)];
                }
            }
            Command::New => return vec![Action::OpenForm(Box::new(FormRequest::NewCustomer { headquarters: None }))],
            Command::OpenPipeline => return vec![Action::OpenPipeline(None)],
            Command::Search => self.searching = true,
            Command::Back => {
                if self.query.search.is_empty() {
                    return vec![];
                }
                self.search.set("");
                self.query.search.clear();
            }
            Command::Quit => return vec![Action::Quit],
            Command::SortNext => {
                let i = SortColumn::ALL.iter().position(|c| *c == self.query.sort).unwrap_or(0);
                self.query.sort = SortColumn::ALL[(i + 1) % SortColumn::ALL.len()];
            }
            Command::SortReverse => self.query.descending = !self.query.descending,
            Command::FilterTier => self.query.filter.tier = Self::cycle(&self.query.filter.tier, ctx.preset.tiers()),
            Command::FilterStatus => {
                let all: Vec<String> = crate::domain::dossier::STATUSES.iter().map(|s| s.to_string()).collect();
                self.query.filter.status = Self::cycle(&self.query.filter.status, &all);
            }
            Command::FilterMine => {
                self.query.filter.mine_of = if self.query.filter.mine_of.is_some() { None } else { Some(ctx.user.id) };
            }
            Command::FilterOwner => {
                self.picker = Some(Picker::Owner(Self::owner_picker(ctx, self.query.filter.owner)));
                return vec![];
            }
            Command::FilterUnit => {
                self.picker = Some(Picker::Unit(Self::unit_picker(ctx, self.query.filter.unit)));
                return vec![];
            }
            Command::FilterPending => self.query.filter.pending_registration = !self.query.filter.pending_registration,
            Command::FilterStale => {
                self.query.filter.stale_on =
                    if self.query.filter.stale_on.is_some() { None } else { Some(ctx.today()) };
            }
            Command::ShowArchived => self.query.filter.include_archived = !self.query.filter.include_archived,
            Command::ClearFilters => {
                self.query.filter = Default::default();
                self.query.search.clear();
                self.search.set("");
            }
            _ => changed = false,
        }
        let moves = matches!(
            cmd,
            Command::Up
                | Command::Down
                | Command::PageUp
                | Command::PageDown
                | Command::Top
                | Command::Bottom
                | Command::Search
        );
        if changed && !moves {
            self.selected = 0;
            self.refresh(ctx);
        }
        vec![]
    }

    fn search_key(&mut self, ctx: &mut Ctx, key: &crossterm::event::KeyEvent) -> Vec<Action> {
        if matches!(key.code, KeyCode::Enter | KeyCode::Up | KeyCode::Down) {
            self.settle(ctx);
        }
        match key.code {
            KeyCode::Enter => {
                self.searching = false;
                if self.total == 1 {
                    return self.command(ctx, Command::Open);
                }
            }
            KeyCode::Esc => {
                self.searching = false;
                self.search.set("");
                self.apply_search(ctx);
            }
            KeyCode::Up => return self.command(ctx, Command::Up),
            KeyCode::Down => return self.command(ctx, Command::Down),
            _ => {
                if self.search.handle_key(key) {
                    self.apply_search(ctx);
                }
            }
        }
        vec![]
    }

    fn apply_search(&mut self, ctx: &Ctx) {
        let q = normalize_query(self.search.value());
        if q == self.query.search {
            return;
        }
        self.query.search = q;
        self.generation += 1;
        // The rows, selection and scroll of the previous query stay as they are
        // until the answer comes (see `take_answer`).
        self.pending = Some(self.generation);
        let job = search_job(self.generation, self.query.clone(), WINDOW);
        if let Some(Msg::Searched(answer)) = ctx.reader.submit(ctx.store.conn(), "search", job) {
            self.take_answer(ctx, &answer);
        }
    }

    /// Takes the search thread's answer if it is for the query now typed.
    fn take_answer(&mut self, ctx: &Ctx, answer: &SearchAnswer) {
        if self.pending != Some(answer.generation) {
            return;
        }
        match &answer.found {
            Some((total, rows)) => {
                self.pending = None;
                self.error = None;
                self.total = *total;
                self.window_offset = 0;
                self.window = rows.clone();
                self.selected = 0;
                self.view.offset = 0;
            }
            None => self.refresh(ctx),
        }
    }

    /// Before acting on the rows (moving, opening), the rows must be those of
    /// the query typed: if its answer is still out, fetch it here.
    fn settle(&mut self, ctx: &Ctx) {
        if self.pending.is_some() {
            self.refresh(ctx);
        }
    }

    fn filter_summary(&self, ctx: &Ctx) -> String {
        let t = ctx.t();
        let f = &self.query.filter;
        let mut parts: Vec<String> = Vec::new();
        if let Some(tier) = f.tier {
            parts.push(format!("{}={}", t.col_tier, ctx.lang.pick(tier_label(tier))));
        }
        if let Some(s) = &f.status {
            parts.push(format!("{}={}", t.col_status, ctx.lang.pick(choice_label(s))));
        }
        if f.mine_of.is_some() {
            parts.push(t.filter_mine.to_string());
        }
        if let Some(o) = f.owner.and_then(|o| ctx.reference.staff(o)) {
            parts.push(format!("{}={}", t.col_owner, o.name));
        }
        if let Some(u) = f.unit.and_then(|u| ctx.reference.unit(u)) {
            parts.push(format!("{}={}", t.col_unit, u.name));
        }
        if f.pending_registration {
            parts.push(t.filter_pending.to_string());
        }
        if f.stale_on.is_some() {
            parts.push(t.filter_stale.to_string());
        }
        if f.include_archived {
            parts.push(t.filter_archived.to_string());
        }
        if parts.is_empty() { t.filter_none.to_string() } else { parts.join(" · ") }
    }
}

/// The columns of the list, left to right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListColumn {
    Id,
    ShortName,
    Tier,
    Status,
    Industry,
    Owner,
    OwnerB,
    Unit,
    Phone,
    NextUpdate,
    Fresh,
    FullName,
}

impl ListColumn {
    const ALL: [ListColumn; 12] = [
        ListColumn::Id,
        ListColumn::ShortName,
        ListColumn::Tier,
        ListColumn::Status,
        ListColumn::Industry,
        ListColumn::Owner,
        ListColumn::OwnerB,
        ListColumn::Unit,
        ListColumn::Phone,
        ListColumn::NextUpdate,
        ListColumn::Fresh,
        ListColumn::FullName,
    ];

    /// The column whose title carries the sort arrow for `sort`.
    fn of_sort(sort: SortColumn) -> ListColumn {
        match sort {
            SortColumn::Id => ListColumn::Id,
            SortColumn::ShortName => ListColumn::ShortName,
            SortColumn::Tier => ListColumn::Tier,
            SortColumn::Status => ListColumn::Status,
            SortColumn::Industry => ListColumn::Industry,
            SortColumn::Owner => ListColumn::Owner,
            SortColumn::Unit => ListColumn::Unit,
            SortColumn::Freshness => ListColumn::Fresh,
        }
    }

    fn title(self, ctx: &Ctx) -> &'static str {
        let t = ctx.t();
        match self {
            ListColumn::Id => t.col_id,
            ListColumn::ShortName => t.col_short_name,
            ListColumn::Tier => t.col_tier,
            ListColumn::Status => t.col_status,
            ListColumn::Industry => t.col_industry,
            ListColumn::Owner => t.col_owner,
            ListColumn::OwnerB => t.col_owner_b,
            ListColumn::Unit => t.col_unit,
            ListColumn::Phone => t.col_phone,
            ListColumn::NextUpdate => t.col_next_update,
            ListColumn::Fresh => t.col_fresh,
            ListColumn::FullName => t.col_full_name,
        }
    }
}

/// How wide each column may be and how much it matters to an account manager
/// at the list: on 80 columns the ID, name, tier, status, industry, manager and
/// freshness; wider, the unit, the full name, the phone to call, the date the
/// dossier falls due and the B manager, in that order. Widths come from the
/// labels and names that can appear, so they do not jump while scrolling.
fn columns(ctx: &Ctx) -> Vec<Column> {
    let lang = ctx.lang;
    let t = ctx.t();
    let staff = || ctx.reference.staff.iter().map(|s| s.name.as_str());
    let statuses = crate::domain::dossier::STATUSES.iter().map(|s| lang.pick(choice_label(s)));
    let registration = [t.pending_mark, t.rejected_mark];
    ListColumn::ALL
        .iter()
        .map(|c| {
            let title = c.title(ctx);
            match c {
                ListColumn::Id => Column::fixed(title, 14),
                ListColumn::ShortName => Column::flex(title, 12, 20, 24),
                ListColumn::Tier => {
                    Column::fixed(title, widest(ctx.preset.tiers().iter().map(|t| lang.pick(tier_label(*t))), 12))
                }
                ListColumn::Status => {
                    Column::fixed(title, widest(statuses.clone().chain(registration), 10)).priority(1)
                }
                ListColumn::Industry => {
                    let names = || ctx.reference.industries.iter().map(|i| lang.pick((&i.name_zh, &i.name_en)));
                    Column::flex(title, 8, widest(names(), 10), widest(names(), 16)).priority(3)
                }
                ListColumn::Owner => Column::fixed(title, widest(staff(), 8)).priority(2),
                ListColumn::OwnerB => Column::fixed(title, widest(staff(), 8)).priority(8),
                ListColumn::Unit => {
                    let names = || ctx.reference.units.iter().map(|u| unit_short_name(&u.name));
                    Column::flex(title, 8, widest(names(), 10), widest(names(), 16)).priority(4)
                }
                ListColumn::Phone => Column::fixed(title, 13).priority(6),
                ListColumn::NextUpdate => Column::fixed(title, 10).priority(7),
                ListColumn::Fresh => Column::fixed(title, cells_of(&format!("⚠{}", t.stale))),
                // Room for most full names before the phone and the rest come in.
                ListColumn::FullName => Column::flex(title, 16, 30, u16::MAX).priority(5),
            }
        })
        .collect()
}

impl Screen for CustomerList {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        self.today = ctx.today();
        if self.picker.is_some() {
            return self.pick(ctx, msg);
        }
        match msg {
            Msg::Key(key) if self.searching => self.search_key(ctx, key),
            Msg::Key(key) => match ctx.keymap.lookup(Mode::List, key) {
                Some(cmd) => {
                    self.settle(ctx);
                    self.command(ctx, cmd)
                }
                None => vec![],
            },
            Msg::Searched(answer) => {
                self.take_answer(ctx, answer);
                vec![]
            }
            Msg::Paste(text) if self.searching => {
                self.search.paste(text);
                self.apply_search(ctx);
                vec![]
            }
            Msg::Resize(_, rows) => {
                // The next frame may show more rows than the last: have the rows
                // around the selection at hand for any view that holds it.
                let rows = u64::from(*rows);
                self.ensure_rows(ctx, self.selected.saturating_sub(rows), self.selected + rows);
                vec![]
            }
            _ => vec![],
        }
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        if let Ok(r) = crate::db::reference::load(ctx.store.conn()) {
            ctx.reference = r;
        }
        self.refresh(ctx);
    }

    fn is_typing(&self) -> bool {
        self.searching || self.picker.is_some()
    }

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::List]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, search_row, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let sort_name = ListColumn::of_sort(self.query.sort).title(ctx);
        let note = format!(
            "{} · {}: {}{}",
            self.count_text(ctx) + if self.pending.is_some() { " …" } else { "" },
            t.sorted_by,
            sort_name,
            if self.query.descending { "▼" } else { "▲" }
        );
        draw_title(f, title, &ctx.theme, ctx.t(), &[t.screen_customers], &note);

        // Search box and filters.
        let label = format!(" {}: ", t.search_prompt);
        let lw = cells_of(&label).min(search_row.width);
        f.render_widget(
            Paragraph::new(Span::styled(label, ctx.theme.get(Slot::Accent))),
            Rect { width: lw, ..search_row },
        );
        let box_w = (search_row.width.saturating_sub(lw) / 2).max(10).min(search_row.width.saturating_sub(lw));
        let input_area = Rect { x: search_row.x + lw, width: box_w, ..search_row };
        if self.search.value().is_empty() && !self.searching {
            f.render_widget(
                Paragraph::new(Span::styled(format!("/ {}", t.search_hint), ctx.theme.get(Slot::Muted))),
                input_area,
            );
        } else {
            self.search.draw(
                f,
                input_area,
                ctx.theme.get(if self.searching { Slot::InputFocus } else { Slot::Input }),
                self.searching,
            );
        }
        let filters = format!(" {}: {}", t.filters, self.filter_summary(ctx));
        let fx = input_area.x + input_area.width;
        let fw = search_row.width.saturating_sub(fx - search_row.x);
        f.render_widget(
            Paragraph::new(Span::styled(truncate(&filters, fw as usize), ctx.theme.get(Slot::Muted))),
            Rect { x: fx, width: fw, ..search_row },
        );

        let sorted = ListColumn::ALL.iter().position(|c| *c == ListColumn::of_sort(self.query.sort));
        let table =
            DataTable::new(&ctx.theme, columns(ctx)).sorted_by(sorted, self.query.descending).empty(t.no_customers);
        // The selection shows on the ID and the name: a move rewrites those
        // cells, not two whole rows (issue 19, bytes per move over SSH).
        let table = table.select_columns(2);
        if let Some(err) = &self.error {
            let [head, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(body);
            table.render(f, head, 0, None, &mut Viewport::default(), |_| None);
            f.render_widget(Paragraph::new(Span::styled(clean(err), ctx.theme.get(Slot::Error))), rest);
            return;
        }
        if self.total == 0 && self.query.filter == Default::default() && self.query.search.is_empty() {
            f.render_widget(Paragraph::new(first_steps(ctx)), body);
            return;
        }
        // Only rows already loaded are drawn (handle loads what the view needs).
        let (total, selected) = (as_index(self.total), as_index(self.selected));
        let mut view = self.view;
        table.render(f, body, total, Some(selected), &mut view, |i| self.row(i as u64).map(|r| self.list_row(ctx, r)));
        self.view = view;
        if let Some(picker) = &mut self.picker {
            match picker {
                Picker::Owner(p) => p.draw(f, area, &ctx.theme, ctx.t()),
                Picker::Unit(p) => p.draw(f, area, &ctx.theme, ctx.t()),
            }
        }
    }
}

impl CustomerList {
    /// One customer as a row of every column (the table leaves out those not shown).
    fn list_row(&self, ctx: &Ctx, row: &CustomerRow) -> Row<'static> {
        let t = ctx.t();
        let hit = ctx.theme.get(Slot::Match);
        let plain = ratatui::style::Style::default();
        let search = &self.query.search;
        let staff =
            |id: Option<i64>| id.and_then(|id| ctx.reference.staff(id)).map(|s| s.name.clone()).unwrap_or_default();
        let cells = ListColumn::ALL
            .iter()
            .map(|c| match c {
                ListColumn::Id => {
                    let marks = if !search.is_empty() && search.chars().all(|ch| ch.is_ascii_digit()) {
                        row.id
                            .as_str()
                            .find(search.as_str())
                            .map(|i| std::iter::once(i..i + search.len()).collect())
                            .unwrap_or_default()
                    } else {
                        vec![]
                    };
                    Cell::spans(highlighted(row.id.as_str(), &marks, plain, hit))
                }
                ListColumn::ShortName => {
                    let mut name = clean(&row.short_name);
                    if row.archived {
                        name = format!("[{}] {name}", t.archived_mark);
                    }
                    let marks = if search.is_empty() { vec![] } else { match_ranges(&name, search) };
                    Cell::spans(highlighted(&name, &marks, plain, hit))
                }
                ListColumn::Tier => {
                    Cell::text(ctx.lang.pick(tier_label(row.tier))).style(ctx.theme.get(Slot::tier(row.tier)))
                }
                ListColumn::Status => {
                    let (text, slot) = match row.registration.as_str() {
                        "pending" => (t.pending_mark.to_string(), Slot::Warning),
                        "rejected" => (t.rejected_mark.to_string(), Slot::Muted),
                        _ => (
                            ctx.lang.pick(choice_label(&row.status)).to_string(),
                            Slot::customer_status_code(&row.status),
                        ),
                    };
                    Cell::text(&text).style(ctx.theme.get(slot))
                }
                ListColumn::Industry => Cell::text(
                    &row.industry_id
                        .and_then(|i| ctx.reference.industry(i))
                        .map(|i| ctx.lang.pick((&i.name_zh, &i.name_en)).to_string())
                        .unwrap_or_default(),
                ),
                ListColumn::Owner => Cell::text(&staff(Some(row.owner_a))),
                ListColumn::OwnerB => Cell::text(&staff(row.owner_b)),
                ListColumn::Unit => {
                    Cell::text(ctx.reference.unit(row.unit_id).map(|u| unit_short_name(&u.name)).unwrap_or_default())
                }
                ListColumn::Phone => Cell::text(&row.phone),
                ListColumn::NextUpdate => Cell::text(&row.update_due_on.format("%Y-%m-%d").to_string()),
                ListColumn::Fresh => {
                    if row.update_due_on < self.today {
                        Cell::text(&format!("⚠{}", t.stale)).style(ctx.theme.get(Slot::Stale))
                    } else {
                        Cell::default()
                    }
                }
                ListColumn::FullName => Cell::text(&row.full_name),
            })
            .collect();
        Row::new(cells).style(ctx.theme.get(if row.archived { Slot::Muted } else { Slot::Base }))
    }
}

/// What a new office's empty list says: how to register the first customer
/// or import the customer book (and, to the administrator, where the units
/// and lists are kept). Keys as the key map binds them.
fn first_steps(ctx: &Ctx) -> Vec<Line<'static>> {
    let t = ctx.t();
    let key = |mode: Mode, cmd: Command| {
        ctx.keymap.bindings(mode).into_iter().find(|(_, c)| *c == cmd).map(|(k, _)| k).unwrap_or_default()
    };
    let mut lines = vec![
        Line::from(""),
        Line::from(Span::styled(format!("  {}", t.list_empty_title), ctx.theme.get(Slot::Title))),
        Line::from(""),
        Line::from(Span::styled(
            format!("  {}", fill(t.list_empty_new, &[&key(Mode::List, Command::New)])),
            ctx.theme.get(Slot::Base),
        )),
        Line::from(Span::styled(format!("  {}", t.list_empty_import), ctx.theme.get(Slot::Base))),
    ];
    if ctx.user.may_administer().is_ok() {
        let setup = key(Mode::Global, Command::GotoSetup);
        lines.push(Line::from(Span::styled(
            format!("  {}", fill(t.list_empty_setup, &[&setup])),
            ctx.theme.get(Slot::Muted),
        )));
    }
    lines
}

/// A row count or index from the database as the table's `usize`: exact on a
/// 64-bit build (a 32-bit one would stop at its four billionth row).
fn as_index(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// The distinguishing part of a unit's name for a narrow column:
/// 天河区邮政局大客户中心 → 天河区, 广州市邮政局速递物流分公司 → 速递物流分公司.
pub fn unit_short_name(name: &str) -> &str {
    let mut s = name.strip_suffix("大客户中心").filter(|r| !r.is_empty()).unwrap_or(name);
    if let Some(i) = s.find("邮政局") {
        let after = &s[i + "邮政局".len()..];
        s = if after.is_empty() { &s[..i] } else { after };
    }
    if s.is_empty() { name } else { s }
}

#[cfg(test)]
mod tests {
    use super::unit_short_name;

    #[test]
    fn unit_names_shorten_to_what_tells_them_apart() {
        assert_eq!(unit_short_name("天河区邮政局大客户中心"), "天河区");
        assert_eq!(unit_short_name("广州市邮政局大客户中心"), "广州市");
        assert_eq!(unit_short_name("广州市邮政局速递物流分公司"), "速递物流分公司");
        assert_eq!(unit_short_name("天河石牌邮政支局"), "天河石牌邮政支局");
        assert_eq!(unit_short_name("大客户中心"), "大客户中心");
    }
}
