//! The customer list: a window of rows paged through SQL, sortable by any column,
//! filtered, and searched as you type (ID, name, pinyin, initials).

use crossterm::event::KeyCode;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw_title;
use crate::app::Ctx;
use crate::db::customers::{self, CustomerQuery, CustomerRow, SortColumn};
use crate::domain::id::CustomerId;
use crate::domain::staff::Role;
use crate::i18n::{choice_label, fill, tier_label};
use crate::keymap::Command;
use crate::msg::{Action, Msg};
use crate::search::list_query::{SearchAnswer, search_job};
use crate::search::{match_ranges, normalize_query};
use crate::ui::Screen;
use crate::ui::screens::form::FormRequest;
use crate::ui::widgets::input::TextInput;
use crate::ui::widgets::scroll::jump_visible;
use crate::ui::widgets::text::{clean, highlighted, pad, truncate, width};

/// Rows fetched per query: a few screens' worth, so scrolling mostly needs no query.
const WINDOW: u64 = 120;

pub struct CustomerList {
    query: CustomerQuery,
    search: TextInput,
    searching: bool,
    total: u64,
    window_offset: u64,
    window: Vec<CustomerRow>,
    selected: u64,
    scroll: u64,
    page_rows: u64,
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
            scroll: 0,
            page_rows: 20,
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
        match customers::count(ctx.store.conn(), &self.query) {
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
    }

    /// Makes sure row `index` is in the loaded window.
    fn load_around(&mut self, ctx: &Ctx, index: u64) {
        let loaded = index >= self.window_offset && index < self.window_offset + self.window.len() as u64;
        if loaded || self.total == 0 {
            return;
        }
        let start = index.saturating_sub(WINDOW / 2);
        match customers::page_in(ctx.store.conn(), &self.query, start, WINDOW, self.total) {
            Ok(rows) => {
                self.window_offset = start;
                self.window = rows;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
    }

    fn row(&self, index: u64) -> Option<&CustomerRow> {
        index.checked_sub(self.window_offset).and_then(|i| self.window.get(i as usize))
    }

    fn select(&mut self, ctx: &Ctx, index: u64) {
        if self.total == 0 {
            self.selected = 0;
            return;
        }
        self.selected = index.min(self.total - 1);
        self.load_around(ctx, self.selected);
    }

    fn cycle<T: Clone + PartialEq>(current: &Option<T>, options: &[T]) -> Option<T> {
        match current.as_ref().and_then(|c| options.iter().position(|o| o == c)) {
            None => options.first().cloned(),
            Some(i) if i + 1 < options.len() => Some(options[i + 1].clone()),
            Some(_) => None,
        }
    }

    fn command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        let page = self.page_rows.max(1);
        let mut changed = true;
        match cmd {
            Command::Up => self.select(ctx, self.selected.saturating_sub(1)),
            Command::Down => self.select(ctx, self.selected + 1),
            Command::PageUp => self.select(ctx, self.selected.saturating_sub(page)),
            Command::PageDown => self.select(ctx, self.selected + page),
            Command::Top => self.select(ctx, 0),
            Command::Bottom => self.select(ctx, self.total.saturating_sub(1)),
            Command::Open => {
                if let Some(id) = self.row(self.selected).and_then(|r| CustomerId::parse(&r.id).ok()) {
                    return vec![Action::OpenDossier(id)];
                }
            }
            Command::New => return vec![Action::OpenForm(Box::new(FormRequest::NewCustomer { headquarters: None }))],
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
                let managers: Vec<i64> =
                    ctx.reference.staff.iter().filter(|s| s.role == Role::Manager).map(|s| s.id).collect();
                self.query.filter.owner = Self::cycle(&self.query.filter.owner, &managers);
            }
            Command::FilterUnit => {
                let units: Vec<i64> = ctx.reference.units.iter().map(|u| u.id).collect();
                self.query.filter.unit = Self::cycle(&self.query.filter.unit, &units);
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
                self.scroll = 0;
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

/// A column of the list, its title and how wide it is drawn.
struct Col {
    title: &'static str,
    width: usize,
    sort: SortColumn,
}

fn columns(ctx: &Ctx, total_width: usize) -> Vec<Col> {
    let t = ctx.t();
    let en = ctx.lang == crate::i18n::Lang::En;
    let mut cols = vec![
        Col { title: t.col_id, width: 14, sort: SortColumn::Id },
        Col { title: t.col_short_name, width: 0, sort: SortColumn::ShortName },
        Col { title: t.col_tier, width: if en { 9 } else { 6 }, sort: SortColumn::Tier },
        Col { title: t.col_status, width: if en { 8 } else { 6 }, sort: SortColumn::Status },
        Col { title: t.col_industry, width: if en { 12 } else { 10 }, sort: SortColumn::Industry },
        Col { title: t.col_owner, width: 11, sort: SortColumn::Owner },
        Col { title: t.col_unit, width: 14, sort: SortColumn::Unit },
        Col { title: t.col_fresh, width: if en { 7 } else { 6 }, sort: SortColumn::Freshness },
    ];
    // Drop the least needed columns until the name has room.
    const MIN_NAME: usize = 12;
    for drop in [SortColumn::Unit, SortColumn::Industry, SortColumn::Owner, SortColumn::Status] {
        let fixed: usize = cols.iter().map(|c| c.width + 1).sum();
        if fixed + MIN_NAME <= total_width {
            break;
        }
        cols.retain(|c| c.sort != drop);
    }
    let fixed: usize = cols.iter().map(|c| c.width + 1).sum();
    if let Some(name) = cols.iter_mut().find(|c| c.sort == SortColumn::ShortName) {
        name.width = total_width.saturating_sub(fixed).max(4);
    }
    cols
}

impl Screen for CustomerList {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        match msg {
            Msg::Key(key) if self.searching => self.search_key(ctx, key),
            Msg::Key(key) => match ctx.keymap.lookup("list", key) {
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
        self.searching
    }

    fn key_modes(&self) -> &'static [&'static str] {
        &["list"]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, search_row, header, body] =
            Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)])
                .areas(area);
        let sort_name =
            columns(ctx, 200).into_iter().find(|c| c.sort == self.query.sort).map(|c| c.title).unwrap_or("");
        let note = format!(
            "{} · {}: {}{}",
            fill(t.count_of, &[&self.total]) + if self.pending.is_some() { " …" } else { "" },
            t.sorted_by,
            sort_name,
            if self.query.descending { "▼" } else { "▲" }
        );
        draw_title(f, title, ctx, &[t.screen_customers], &note);

        // Search box and filters.
        let label = format!(" {}: ", t.search_prompt);
        let lw = width(&label) as u16;
        f.render_widget(
            Paragraph::new(Span::styled(label, ctx.theme.get("accent"))),
            Rect { width: lw.min(search_row.width), ..search_row },
        );
        let box_w = (search_row.width.saturating_sub(lw) / 2).max(10).min(search_row.width.saturating_sub(lw));
        let input_area = Rect { x: search_row.x + lw, width: box_w, ..search_row };
        if self.search.value().is_empty() && !self.searching {
            f.render_widget(
                Paragraph::new(Span::styled(format!("/ {}", t.search_hint), ctx.theme.get("muted"))),
                input_area,
            );
        } else {
            self.search.draw(
                f,
                input_area,
                ctx.theme.get(if self.searching { "input_focus" } else { "input" }),
                self.searching,
            );
        }
        let filters = format!(" {}: {}", t.filters, self.filter_summary(ctx));
        let fx = input_area.x + input_area.width;
        let fw = search_row.width.saturating_sub(fx - search_row.x);
        f.render_widget(
            Paragraph::new(Span::styled(truncate(&filters, fw as usize), ctx.theme.get("muted"))),
            Rect { x: fx, width: fw, ..search_row },
        );

        // Header.
        let cols = columns(ctx, area.width as usize);
        let mut spans = Vec::new();
        for c in &cols {
            let arrow = if c.sort == self.query.sort { if self.query.descending { "▼" } else { "▲" } } else { "" };
            spans.push(Span::styled(pad(&format!("{}{arrow}", c.title), c.width), ctx.theme.get("header")));
            spans.push(Span::raw(" "));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), header);

        // Rows.
        self.page_rows = body.height as u64;
        if let Some(err) = &self.error {
            f.render_widget(Paragraph::new(Span::styled(err.clone(), ctx.theme.get("error"))), body);
            return;
        }
        if self.total == 0 && self.query.filter == Default::default() && self.query.search.is_empty() {
            f.render_widget(Paragraph::new(first_steps(ctx)), body);
            return;
        }
        if self.total == 0 {
            f.render_widget(Paragraph::new(Span::styled(format!(" {}", t.no_customers), ctx.theme.get("muted"))), body);
            return;
        }
        let rows = body.height as u64;
        self.scroll =
            jump_visible(self.selected as usize, self.scroll as usize, rows as usize, self.total as usize) as u64;
        // Drawing needs the visible rows loaded; fetch a window if the scroll moved
        // past it. Not while a search is out: the query already holds the new
        // words, and fetching with them here would run the search on this thread.
        let last_visible = (self.scroll + rows).min(self.total).saturating_sub(1);
        let missing = self.row(self.scroll).is_none() || self.row(last_visible).is_none();
        if missing
            && self.pending.is_none()
            && let Ok(page) =
                customers::page_in(ctx.store.conn(), &self.query, self.scroll, WINDOW.max(rows), self.total)
        {
            self.window_offset = self.scroll;
            self.window = page;
        }
        let today = ctx.today();
        let hit = ctx.theme.get("match");
        for line in 0..rows {
            let index = self.scroll + line;
            let Some(row) = self.row(index) else { break };
            let selected = index == self.selected;
            let base = if selected {
                ctx.theme.get("selection")
            } else if row.archived {
                ctx.theme.get("muted")
            } else {
                ctx.theme.get("base")
            };
            let mut spans: Vec<Span> = Vec::new();
            for c in &cols {
                let cell_style = |slot: &str| if selected { base } else { ctx.theme.get(slot) };
                match c.sort {
                    SortColumn::Id => {
                        let marks = if self.query.search.chars().all(|ch| ch.is_ascii_digit())
                            && !self.query.search.is_empty()
                        {
                            row.id
                                .find(&self.query.search)
                                .map(|i| std::iter::once(i..i + self.query.search.len()).collect())
                                .unwrap_or_default()
                        } else {
                            vec![]
                        };
                        spans.extend(highlighted(&pad(&row.id, c.width), &marks, base, hit));
                    }
                    SortColumn::ShortName => {
                        let mut name = clean(&row.short_name);
                        if row.archived {
                            name = format!("[{}] {name}", t.archived_mark);
                        }
                        let shown = pad(&name, c.width);
                        let marks = if self.query.search.is_empty() {
                            vec![]
                        } else {
                            match_ranges(&shown, &self.query.search)
                        };
                        spans.extend(highlighted(&shown, &marks, base, hit));
                    }
                    SortColumn::Tier => {
                        let slot = format!("tier.{}", row.tier.code());
                        spans.push(Span::styled(pad(ctx.lang.pick(tier_label(row.tier)), c.width), cell_style(&slot)));
                    }
                    SortColumn::Status => {
                        let (text, slot) = match row.registration.as_str() {
                            "pending" => (t.pending_mark.to_string(), "warning".to_string()),
                            "rejected" => (t.rejected_mark.to_string(), "muted".to_string()),
                            _ => {
                                (ctx.lang.pick(choice_label(&row.status)).to_string(), format!("status.{}", row.status))
                            }
                        };
                        spans.push(Span::styled(pad(&text, c.width), cell_style(&slot)));
                    }
                    SortColumn::Industry => {
                        let name = row
                            .industry_id
                            .and_then(|i| ctx.reference.industry(i))
                            .map(|i| ctx.lang.pick((&i.name_zh, &i.name_en)).to_string())
                            .unwrap_or_default();
                        spans.push(Span::styled(pad(&clean(&name), c.width), base));
                    }
                    SortColumn::Owner => {
                        let name = ctx.reference.staff(row.owner_a).map(|s| s.name.clone()).unwrap_or_default();
                        spans.push(Span::styled(pad(&clean(&name), c.width), base));
                    }
                    SortColumn::Unit => {
                        let name = ctx
                            .reference
                            .unit(row.unit_id)
                            .map(|u| unit_short_name(&u.name).to_string())
                            .unwrap_or_default();
                        spans.push(Span::styled(pad(&clean(&name), c.width), base));
                    }
                    SortColumn::Freshness => {
                        let stale = row.update_due_on < today;
                        let text = if stale { format!("⚠{}", t.stale) } else { String::new() };
                        spans.push(Span::styled(pad(&text, c.width), if stale { cell_style("stale") } else { base }));
                    }
                }
                spans.push(Span::styled(" ", base));
            }
            let y = body.y + line as u16;
            f.render_widget(Paragraph::new(Line::from(spans)).style(base), Rect { y, height: 1, ..body });
        }
    }
}

/// What a new office's empty list says: how to register the first customer
/// or import the customer book (and, to the administrator, where the units
/// and lists are kept). Keys as the key map binds them.
fn first_steps(ctx: &Ctx) -> Vec<Line<'static>> {
    let t = ctx.t();
    let key = |mode: &str, cmd: Command| {
        ctx.keymap.bindings(mode).into_iter().find(|(_, c)| *c == cmd).map(|(k, _)| k).unwrap_or_default()
    };
    let mut lines = vec![
        Line::from(""),
        Line::from(Span::styled(format!("  {}", t.list_empty_title), ctx.theme.get("title"))),
        Line::from(""),
        Line::from(Span::styled(
            format!("  {}", fill(t.list_empty_new, &[&key("list", Command::New)])),
            ctx.theme.get("base"),
        )),
        Line::from(Span::styled(format!("  {}", t.list_empty_import), ctx.theme.get("base"))),
    ];
    if ctx.user.may_administer().is_ok() {
        let setup = key("global", Command::GotoSetup);
        lines.push(Line::from(Span::styled(
            format!("  {}", fill(t.list_empty_setup, &[&setup])),
            ctx.theme.get("muted"),
        )));
    }
    lines
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
