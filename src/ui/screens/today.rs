//! Today: the screen kam opens on. Today's visits, overdue ones, registrations
//! to decide, customers behind their visit standard, birthdays, dates and
//! holidays of the coming week, comments, complaints and stale dossiers —
//! each line opens its customer or records the visit.
//!
//! Every section's heading and count fit on one screen (80×24 and up): a
//! section longer than its share of the height shows its first lines and
//! "… N more", which Enter unfolds (and "… show fewer" folds again).

use std::collections::HashSet;

use chrono::Datelike;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::draw_title;
use crate::ctx::Ctx;
use crate::domain::visit::VisitState;
use crate::i18n::{fill, weekday_label};
use crate::keymap::Command;
use crate::keymap::Mode;
use crate::msg::VisitRequest;
use crate::msg::{Action, Msg};
use crate::review::day_review;
use crate::review::lines::{ReviewSection, SectionKind, Target, nothing_line, review_sections};
use crate::theme::Slot;
use crate::ui::Screen;
use crate::ui::widgets::text::{clean, pad, truncate, wrap};

/// The body's height before the first draw: that of an 80×24 terminal.
const FIRST_HEIGHT: usize = 22;

/// One line of the screen as laid out for a height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Row {
    Heading(usize),
    /// Section, line within it.
    Item(usize, usize),
    /// "nothing" under an empty section.
    Nothing(usize),
    /// "… N more (Enter to show)" of a folded section.
    More(usize, usize),
    /// "… show fewer" under an unfolded section.
    Fewer(usize),
    /// "… N more not listed": past what the review reads of a section.
    NotListed(usize, usize),
}

impl Row {
    fn selectable(self) -> bool {
        matches!(self, Row::Item(..) | Row::More(..) | Row::Fewer(_))
    }
}

/// What is selected, in terms that survive a new layout or a reload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Selected {
    Item(SectionKind, usize),
    /// The "… more" or "… fewer" line of the section.
    Fold(SectionKind),
}

pub struct TodayScreen {
    /// The day reviewed (the title's date): drawing reads no clock.
    day: chrono::NaiveDate,
    sections: Vec<ReviewSection>,
    /// Sections the user unfolded; kept across reloads and new days.
    unfolded: HashSet<SectionKind>,
    rows: Vec<Row>,
    /// The height `rows` were laid out for.
    height: usize,
    selected: usize,
    scroll: usize,
    error: Option<String>,
}

/// The lines each section may use below its heading so that all of them fit
/// in `height`, for sections of `lens` lines: everything when it fits, else
/// an even share of what is left after the headings (an empty section keeps
/// its "nothing" line), the remainder to the earlier sections, and at least
/// one line (its "… more") for each.
fn shares(lens: &[usize], height: usize) -> Vec<usize> {
    let fixed = lens.len() + lens.iter().filter(|n| **n == 0).count();
    let room = height.saturating_sub(fixed);
    if lens.iter().sum::<usize>() <= room {
        return lens.to_vec();
    }
    let mut cap = 1;
    while lens.iter().map(|n| (*n).min(cap + 1)).sum::<usize>() <= room {
        cap += 1;
    }
    let mut share: Vec<usize> = lens.iter().map(|n| (*n).min(cap)).collect();
    let mut extra = room.saturating_sub(share.iter().sum());
    for (s, n) in share.iter_mut().zip(lens) {
        if extra > 0 && *n > *s {
            *s += 1;
            extra -= 1;
        }
    }
    share
}

/// The rows of the screen for a height, with the unfolded sections in full.
fn layout(sections: &[ReviewSection], unfolded: &HashSet<SectionKind>, height: usize) -> Vec<Row> {
    let lens: Vec<usize> = sections.iter().map(|s| s.items.len()).collect();
    let share = shares(&lens, height);
    let mut rows = Vec::new();
    for (i, s) in sections.iter().enumerate() {
        rows.push(Row::Heading(i));
        let n = s.items.len();
        if n == 0 {
            rows.push(Row::Nothing(i));
            continue;
        }
        let folds = share[i] < n;
        if folds && !unfolded.contains(&s.kind) {
            // One line goes to "… more", so a fold never hides a single line.
            let shown = share[i] - 1;
            rows.extend((0..shown).map(|j| Row::Item(i, j)));
            rows.push(Row::More(i, s.total.saturating_sub(shown)));
            continue;
        }
        rows.extend((0..n).map(|j| Row::Item(i, j)));
        if s.total > n {
            rows.push(Row::NotListed(i, s.total - n));
        }
        if folds {
            rows.push(Row::Fewer(i));
        }
    }
    rows
}

impl TodayScreen {
    pub fn new(ctx: &Ctx) -> TodayScreen {
        let mut s = TodayScreen {
            day: ctx.today(),
            sections: Vec::new(),
            unfolded: HashSet::new(),
            rows: Vec::new(),
            height: FIRST_HEIGHT,
            selected: 0,
            scroll: 0,
            error: None,
        };
        s.reload(ctx);
        s
    }

    fn reload(&mut self, ctx: &Ctx) {
        let keep = self.selection();
        self.day = ctx.today();
        match day_review(ctx.store.conn(), &ctx.user, ctx.clock.now(), ctx.standard) {
            Ok(review) => {
                self.sections = review_sections(ctx.lang, &ctx.reference, ctx.clock.now(), &review);
                self.error = None;
            }
            Err(e) => self.error = Some(ctx.describe(&e)),
        }
        self.relayout(keep);
    }

    /// What the selected row is, by section and line.
    fn selection(&self) -> Option<Selected> {
        let kind = |i: usize| self.sections.get(i).map(|s| s.kind);
        match self.rows.get(self.selected)? {
            Row::Item(i, j) => Some(Selected::Item(kind(*i)?, *j)),
            Row::More(i, _) | Row::Fewer(i) => Some(Selected::Fold(kind(*i)?)),
            _ => None,
        }
    }

    /// Lays the rows out again and puts the selection back on the same line,
    /// or on the fold that now hides it, or else on the first selectable line.
    fn relayout(&mut self, keep: Option<Selected>) {
        self.rows = layout(&self.sections, &self.unfolded, self.height);
        let section = |k: SectionKind| self.sections.iter().position(|s| s.kind == k);
        let fold_of = |i: usize| self.rows.iter().position(|r| matches!(r, Row::More(x, _) | Row::Fewer(x) if *x == i));
        let found = match keep {
            Some(Selected::Item(k, j)) => section(k).and_then(|i| {
                let last = self.sections[i].items.len().checked_sub(1)?;
                self.rows.iter().position(|r| *r == Row::Item(i, j.min(last))).or_else(|| fold_of(i))
            }),
            Some(Selected::Fold(k)) => section(k).and_then(|i| {
                fold_of(i).or_else(|| self.rows.iter().rposition(|r| matches!(r, Row::Item(x, _) if *x == i)))
            }),
            None => None,
        };
        self.selected = found.or_else(|| self.rows.iter().position(|r| r.selectable())).unwrap_or(0);
    }

    /// Moves the selection by `dir` selectable lines; stays at the ends.
    fn step(&mut self, dir: isize) {
        let mut i = self.selected;
        loop {
            match i.checked_add_signed(dir) {
                Some(next) if next < self.rows.len() => i = next,
                _ => return,
            }
            if self.rows[i].selectable() {
                self.selected = i;
                return;
            }
        }
    }

    fn target(&self) -> Option<Target> {
        match self.rows.get(self.selected)? {
            Row::Item(i, j) => Some(self.sections.get(*i)?.items.get(*j)?.target.clone()),
            _ => None,
        }
    }

    /// Enter on a fold line: unfold (the selection goes to the first line that
    /// was hidden) or fold again.
    fn toggle_fold(&mut self, section: usize, unfold: bool) {
        let Some(kind) = self.sections.get(section).map(|s| s.kind) else { return };
        let first_hidden = self.rows.iter().filter(|r| matches!(r, Row::Item(i, _) if *i == section)).count();
        if unfold {
            self.unfolded.insert(kind);
            self.relayout(Some(Selected::Item(kind, first_hidden)));
        } else {
            self.unfolded.remove(&kind);
            self.relayout(Some(Selected::Fold(kind)));
        }
    }

    fn command(&mut self, ctx: &mut Ctx, cmd: Command) -> Vec<Action> {
        let target = self.target();
        match cmd {
            Command::Up => self.step(-1),
            Command::Down => self.step(1),
            Command::PageUp => (0..10).for_each(|_| self.step(-1)),
            Command::PageDown => (0..10).for_each(|_| self.step(1)),
            Command::Top => {
                self.selected = self.rows.iter().position(|r| r.selectable()).unwrap_or(self.selected);
            }
            Command::Bottom => {
                self.selected = self.rows.iter().rposition(|r| r.selectable()).unwrap_or(self.selected);
            }
            Command::Refresh => self.reload(ctx),
            Command::OpenContracts => return vec![Action::OpenContracts],
            Command::Open => match self.rows.get(self.selected).copied() {
                Some(Row::More(i, _)) => self.toggle_fold(i, true),
                Some(Row::Fewer(i)) => self.toggle_fold(i, false),
                _ => return Self::open(target),
            },
            Command::Record => {
                if let Some(Target::Visit(v)) =
                    target.filter(|t| matches!(t, Target::Visit(v) if v.state == VisitState::Planned))
                {
                    return vec![Action::OpenVisitForm(Box::new(VisitRequest::Record { base: v }))];
                }
            }
            Command::New => {
                let customer = match target {
                    Some(Target::Visit(v)) => Some(v.customer_id),
                    Some(Target::Customer(c) | Target::Plans(c)) => Some(c),
                    _ => None,
                };
                return vec![Action::OpenVisitForm(Box::new(VisitRequest::Plan {
                    customer,
                    date: ctx.today(),
                    follows: None,
                }))];
            }
            Command::Back => return vec![],
            Command::Quit => return vec![Action::Quit],
            _ => {}
        }
        vec![]
    }

    /// Enter on a line: its customer, or (a comment) marks it seen.
    fn open(target: Option<Target>) -> Vec<Action> {
        match target {
            // The entry opens with its comments; the line stays here until the
            // comment has been read there (see `log_entry`).
            Some(Target::Comment(log_id)) => vec![Action::OpenLogEntry(log_id)],
            Some(Target::Report(key)) => vec![Action::OpenReport(key)],
            Some(Target::Request(id)) => vec![Action::OpenRequest(id)],
            Some(Target::Contract(id)) => vec![Action::OpenContract(id)],
            Some(Target::Visit(v)) => vec![Action::OpenDossier(v.customer_id)],
            Some(Target::Customer(c)) => vec![Action::OpenDossier(c)],
            Some(Target::Plans(c)) => vec![Action::OpenPlans(c)],
            Some(Target::Prospect(c)) => vec![Action::OpenPipeline(Some(c))],
            _ => vec![],
        }
    }

    fn row_line(&self, ctx: &Ctx, row: Row, selected: bool, w: usize) -> Line<'static> {
        let t = ctx.t();
        let (text, slot) = match row {
            Row::Heading(i) => {
                return Line::from(Span::styled(
                    truncate(&self.sections[i].heading.text, w),
                    ctx.theme.get(self.sections[i].heading.slot),
                ));
            }
            Row::Item(i, j) => {
                let item = &self.sections[i].items[j];
                (item.text.clone(), item.slot)
            }
            Row::Nothing(_) => (nothing_line(ctx.lang).text, Slot::Muted),
            // A count that stopped at its cap counted one more than it says.
            Row::More(i, n) if self.sections[i].over => {
                (format!("  {}", fill(t.today_more_over, &[&n.saturating_sub(1)])), Slot::Muted)
            }
            Row::More(_, n) => (format!("  {}", fill(t.today_more, &[&n])), Slot::Muted),
            Row::Fewer(_) => (format!("  {}", t.today_fewer), Slot::Muted),
            Row::NotListed(i, n) if self.sections[i].over => {
                (format!("  {}", fill(t.today_not_listed_over, &[&n.saturating_sub(1)])), Slot::Muted)
            }
            Row::NotListed(_, n) => (format!("  {}", fill(t.today_not_listed, &[&n])), Slot::Muted),
        };
        let style = if selected { ctx.theme.get(Slot::Selection) } else { ctx.theme.get(slot) };
        Line::from(Span::styled(pad(&text, w), style))
    }
}

impl Screen for TodayScreen {
    fn handle(&mut self, ctx: &mut Ctx, msg: &Msg) -> Vec<Action> {
        match msg {
            Msg::Key(key) => match ctx.keymap.lookup(Mode::Today, key) {
                Some(cmd) => self.command(ctx, cmd),
                None => vec![],
            },
            Msg::DayChanged { .. } => {
                self.reload(ctx);
                vec![]
            }
            _ => vec![],
        }
    }

    fn resume(&mut self, ctx: &mut Ctx) {
        self.reload(ctx);
    }

    fn key_modes(&self) -> &'static [Mode] {
        &[Mode::Today]
    }

    fn draw(&mut self, f: &mut Frame, area: Rect, ctx: &Ctx) {
        let t = ctx.t();
        let [title, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
        let today = self.day;
        let day = format!(
            "{} {}",
            today.format("%Y-%m-%d"),
            ctx.lang.pick(weekday_label(today.weekday().num_days_from_monday() as usize))
        );
        draw_title(f, title, &ctx.theme, ctx.t(), &[t.screen_today, &day], t.nav_hint);
        if let Some(e) = &self.error {
            f.render_widget(Paragraph::new(Span::styled(clean(e), ctx.theme.get(Slot::Error))), body);
            return;
        }
        let body = draw_notices(f, body, ctx);
        let h = body.height as usize;
        if h != self.height {
            self.height = h;
            let keep = self.selection();
            self.relayout(keep);
        }
        // One line more above the selection, so its section heading shows.
        self.scroll = crate::ui::widgets::scroll::keep_visible(self.selected.saturating_sub(1), self.scroll, h)
            .max((self.selected + 1).saturating_sub(h))
            .min(self.rows.len().saturating_sub(h));
        let w = body.width as usize;
        let lines: Vec<Line> = self
            .rows
            .iter()
            .enumerate()
            .skip(self.scroll)
            .take(h)
            .map(|(i, row)| self.row_line(ctx, *row, i == self.selected, w))
            .collect();
        f.render_widget(Paragraph::new(lines), body);
    }
}

/// The session's notices at the top of `area`, wrapped (at most a third of
/// it); returns what is left for the sections.
fn draw_notices(f: &mut Frame, area: Rect, ctx: &Ctx) -> Rect {
    let w = area.width as usize;
    let mut lines: Vec<Line> = ctx
        .notices
        .iter()
        .flat_map(|n| wrap(&clean(n), w.max(1)))
        .map(|l| Line::from(Span::styled(l, ctx.theme.get(crate::theme::Slot::Warning))))
        .collect();
    lines.truncate(usize::from(area.height / 3));
    // At most a third of a u16 height, so it fits.
    let Ok(height) = u16::try_from(lines.len()) else { return area };
    if height == 0 {
        return area;
    }
    let [top, rest] = Layout::vertical([Constraint::Length(height), Constraint::Min(0)]).areas(area);
    f.render_widget(Paragraph::new(lines), top);
    rest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_shows_when_it_fits() {
        assert_eq!(shares(&[2, 0, 3], 10), vec![2, 0, 3]);
    }

    #[test]
    fn long_sections_share_what_the_headings_leave() {
        // 6 sections, one empty: 6 headings + 1 "nothing" leave 15 of 22.
        let s = shares(&[2, 2, 1, 10, 0, 6], 22);
        assert!(s.iter().sum::<usize>() <= 15, "{s:?}");
        assert_eq!(&s[..3], &[2, 2, 1], "short sections stay whole: {s:?}");
        assert!(s[3] >= 4 && s[5] >= 4, "{s:?}");
        // Every non-empty section keeps a line even when there is no room.
        assert_eq!(shares(&[5, 5, 5], 4), vec![1, 1, 1]);
    }
}
