//! Drawing the calendar's three views.

use chrono::{Datelike, Days, NaiveDate, NaiveDateTime, Timelike};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::hours::HourGrid;
use super::{CalendarScreen, Scope, View};
use crate::ctx::Ctx;
use crate::db::visits::Visit;
use crate::domain::visit::{VisitKind, VisitState, VisitStatus};
use crate::i18n::{field_label, visit_kind_label, visit_status_label, weekday_label};
use crate::theme::Slot;
use crate::ui::screens::draw_title;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, widest};
use crate::ui::widgets::text::{clean, pad, truncate, width};

pub fn draw(s: &mut CalendarScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let t = ctx.t();
    let view = match s.view {
        View::Month => t.view_month,
        View::Week => t.view_week,
        View::Agenda => t.view_agenda,
    };
    let scope = match &s.scope {
        Scope::Mine => t.scope_mine.to_string(),
        Scope::MyUnit => t.scope_unit.to_string(),
        Scope::All => t.scope_all.to_string(),
        Scope::Customer(id) => format!("{} {}", t.scope_customer, id),
        Scope::Manager(id) => ctx.reference.staff(*id).map(|s| s.name.clone()).unwrap_or_default(),
    };
    let note = format!("{view} · {scope}");
    let [title, head, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
    draw_title(f, title, &ctx.theme, ctx.t(), &[t.screen_calendar], &note);
    let heading = match &s.goto {
        Some(input) => {
            let label = format!(" {}: ", t.goto_prompt);
            let w = crate::ui::widgets::text::cells_of(&label);
            f.render_widget(
                Paragraph::new(Span::styled(label, ctx.theme.get(Slot::Accent))),
                Rect { width: w.min(head.width), ..head },
            );
            let r = Rect { x: head.x + w, width: head.width.saturating_sub(w).min(12), ..head };
            input.draw(f, r, ctx.theme.get(Slot::InputFocus), true);
            if let Some(e) = &s.error {
                let x = r.x + r.width + 1;
                let room = Rect { x, width: head.width.saturating_sub(x - head.x), ..head };
                f.render_widget(Paragraph::new(Span::styled(e.clone(), ctx.theme.get(Slot::Error))), room);
            }
            None
        }
        None => Some(format!(
            " {} {}",
            s.cursor.format("%Y-%m-%d"),
            ctx.lang.pick(weekday_label(s.cursor.weekday().num_days_from_monday() as usize))
        )),
    };
    if let Some(h) = heading {
        let mut spans = vec![Span::styled(h, ctx.theme.get(Slot::Header))];
        for e in [&s.error, &s.goto_error].into_iter().flatten() {
            spans.push(Span::styled(format!("  {}", clean(e)), ctx.theme.get(Slot::Error)));
        }
        // The legend on the right of the day line, where it has room (the
        // title's right side holds the view and the scope, which can be long).
        let used: usize = spans.iter().map(|s| width(&s.content)).sum();
        let legend = legend(ctx);
        let room = (head.width as usize).saturating_sub(used + 2);
        if width(&legend) <= room {
            spans.push(Span::raw(" ".repeat(room - width(&legend) + 1)));
            spans.push(Span::styled(legend, ctx.theme.get(Slot::Muted)));
        }
        f.render_widget(Paragraph::new(Line::from(spans)), head);
    }
    match s.view {
        View::Month => month(s, f, body, ctx),
        View::Week => week(s, f, body, ctx),
        View::Agenda => agenda(s, f, body, ctx),
    }
}

/// Every marker the calendar draws, with what it means: "○计划 ●已完成 ×已取消 !逾期".
fn legend(ctx: &Ctx) -> String {
    const SHOWN: [VisitStatus; 4] =
        [VisitStatus::Planned, VisitStatus::Done, VisitStatus::Cancelled, VisitStatus::Overdue];
    SHOWN
        .iter()
        .map(|st| format!("{}{}", st.marker(), ctx.lang.pick(visit_status_label(*st))))
        .collect::<Vec<_>>()
        .join(" ")
}

fn status_style(ctx: &Ctx, st: VisitStatus) -> ratatui::style::Style {
    ctx.theme.get(Slot::visit(st))
}

/// The columns of a list of visits: when (the time alone under a day), the
/// status mark, the kind, the customer (unless it is one customer's list) and
/// the purpose, or once done what came of it.
pub fn visit_table<'t>(ctx: &'t Ctx, visits: &[Visit], with_date: bool, with_customer: bool) -> DataTable<'t> {
    let t = ctx.t();
    let lang = ctx.lang;
    let mut columns = vec![
        Column::fixed(if with_date { t.col_date } else { t.col_time }, if with_date { 16 } else { 5 }),
        Column::fixed("", 1),
        Column::fixed(t.col_visit_kind, widest(VisitKind::ALL.map(|k| lang.pick(visit_kind_label(k))), 16)),
    ];
    if with_customer {
        let names = widest(visits.iter().map(|v| v.customer_name.as_str()), 24);
        columns.push(Column::flex(t.col_customer, 8, names.min(14), names));
    }
    columns.push(Column::fill(lang.pick(field_label("purpose")), 10));
    DataTable::new(&ctx.theme, columns).empty(if with_date { t.no_visits_ahead } else { t.no_visits })
}

pub fn visit_row(ctx: &Ctx, v: &Visit, now: NaiveDateTime, with_date: bool, with_customer: bool) -> Row<'static> {
    let st = v.status(now);
    let when = v.planned_at.format(if with_date { "%Y-%m-%d %H:%M" } else { "%H:%M" }).to_string();
    let what = if v.state == VisitState::Done && !v.business.is_empty() { &v.business } else { &v.purpose };
    let mut cells =
        vec![Cell::text(&when), Cell::text(st.marker()), Cell::text(ctx.lang.pick(visit_kind_label(v.kind)))];
    if with_customer {
        cells.push(Cell::text(&v.customer_name));
    }
    cells.push(Cell::text(what));
    Row::new(cells).style(status_style(ctx, st))
}

fn month(s: &mut CalendarScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let (start, _) = s.grid_bounds();
    let cell_w = (area.width / 7).max(3) as usize;
    let rows_per_week: u16 = if area.height >= 20 { 2 } else { 1 };
    let grid_h = 1 + 6 * rows_per_week;
    let [grid, list] = Layout::vertical([Constraint::Length(grid_h.min(area.height)), Constraint::Min(0)]).areas(area);
    let mut lines = vec![Line::from(
        (0..7)
            .map(|i| {
                Span::styled(pad(&format!(" {}", ctx.lang.pick(weekday_label(i))), cell_w), ctx.theme.get(Slot::Header))
            })
            .collect::<Vec<_>>(),
    )];
    let today = s.now.date();
    for w in 0..6u64 {
        let mut top = Vec::new();
        let mut bottom = Vec::new();
        for d in 0..7u64 {
            let day = start + Days::new(w * 7 + d);
            let c = s.count_on(day);
            let in_month = day.month() == s.cursor.month();
            let mut style = if in_month { ctx.theme.get(Slot::Base) } else { ctx.theme.get(Slot::Muted) };
            if day == today {
                style = ctx.theme.get(Slot::Today);
            }
            if day == s.cursor {
                style = ctx.theme.get(Slot::Selection);
            }
            let mut counts = String::new();
            for (n, st) in
                [(c.planned, VisitStatus::Planned), (c.done, VisitStatus::Done), (c.overdue, VisitStatus::Overdue)]
            {
                if n > 0 {
                    counts.push_str(&format!("{}{n}", st.marker()));
                }
            }
            if rows_per_week == 2 {
                let mark = if day == today { "*" } else { " " };
                top.push(Span::styled(pad(&format!("{mark}{:>2}", day.day()), cell_w), style));
                let cstyle =
                    if c.overdue > 0 && day != s.cursor { status_style(ctx, VisitStatus::Overdue) } else { style };
                bottom.push(Span::styled(pad(&format!(" {counts}"), cell_w), cstyle));
            } else {
                top.push(Span::styled(pad(&format!("{:>2} {counts}", day.day()), cell_w), style));
            }
        }
        lines.push(Line::from(top));
        if rows_per_week == 2 {
            lines.push(Line::from(bottom));
        }
    }
    f.render_widget(Paragraph::new(lines), grid);
    day_list(s, f, list, ctx);
}

fn day_list(s: &mut CalendarScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let (visits, now) = (&s.visits, s.now);
    visit_table(ctx, visits, false, true).render(f, area, visits.len(), Some(s.selected), &mut s.list_view, |i| {
        visits.get(i).map(|v| visit_row(ctx, v, now, false, true))
    });
}

fn week(s: &mut CalendarScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let (start, _) = s.week_bounds();
    let today = s.now.date();
    let gutter = 6usize;
    let col_w = ((area.width as usize).saturating_sub(gutter) / 7).max(2);
    // "周二 11-24", or "周二 24" where a column is too narrow for the month.
    let label = |day: NaiveDate, d: usize, full: bool| {
        let mark = if day == today { "*" } else { "" };
        let date = if full { day.format("%m-%d").to_string() } else { day.format("%d").to_string() };
        format!("{mark}{} {date}", ctx.lang.pick(weekday_label(d)))
    };
    let full = (0..7usize).all(|d| width(&label(start + Days::new(d as u64), d, true)) < col_w);
    let mut header = vec![Span::raw(" ".repeat(gutter))];
    for d in 0..7usize {
        let day = start + Days::new(d as u64);
        let style = if day == s.cursor {
            ctx.theme.get(Slot::Selection)
        } else if day == today {
            ctx.theme.get(Slot::Today)
        } else {
            ctx.theme.get(Slot::Header)
        };
        header.push(Span::styled(pad(&label(day, d, full), col_w), style));
    }
    let rows = area.height.saturating_sub(1) as usize;
    let in_week: Vec<(usize, &Visit)> = s
        .visits
        .iter()
        .filter_map(|v| {
            let day = usize::try_from((v.planned_at.date() - start).num_days()).ok()?;
            (day < 7).then_some((day, v))
        })
        .collect();
    let grid = HourGrid::fit(in_week.iter().map(|(_, v)| v.planned_at.hour()), rows);
    // The visits of each block of hours and day, in time order.
    let mut cells: Vec<Vec<Vec<&Visit>>> = vec![vec![Vec::new(); 7]; grid.blocks];
    for (day, v) in in_week {
        if let Some(b) = grid.block_of(v.planned_at.hour()) {
            cells[b][day].push(v);
        }
    }
    let now = s.now;
    let mut lines = vec![Line::from(header)];
    for (b, days) in cells.iter_mut().enumerate() {
        for row in 0..grid.rows_per_block {
            let label = if row == 0 { format!("{:02}:00 ", grid.block_start(b)) } else { " ".repeat(gutter) };
            let mut spans = vec![Span::styled(label, ctx.theme.get(Slot::Muted))];
            for visits in days.iter_mut() {
                visits.sort_by_key(|v| v.planned_at);
                let Some(v) = visits.get(row) else {
                    let dot = if row == 0 { "·" } else { "" };
                    spans.push(Span::styled(pad(dot, col_w), ctx.theme.get(Slot::Border)));
                    continue;
                };
                // The block's last row says how many more it holds.
                let more = if row + 1 == grid.rows_per_block { visits.len() - row - 1 } else { 0 };
                let st = v.status(now);
                let name = format!("{}{}", st.marker(), clean(&v.customer_name));
                let room = col_w.saturating_sub(1);
                let text = if more > 0 {
                    let tail = format!(" +{more}");
                    format!("{}{tail}", truncate(&name, room.saturating_sub(width(&tail))))
                } else {
                    name
                };
                spans.push(Span::styled(pad(&text, room), status_style(ctx, st).add_modifier(Modifier::BOLD)));
                spans.push(Span::raw(" "));
            }
            lines.push(Line::from(spans));
        }
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// The visits of the coming weeks under a heading per day.
fn agenda(s: &mut CalendarScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    // The table's rows: a heading before each day's first visit, then its visits.
    let mut entries: Vec<Option<usize>> = Vec::new();
    let mut last: Option<NaiveDate> = None;
    for (i, v) in s.visits.iter().enumerate() {
        let day = v.planned_at.date();
        if last != Some(day) {
            entries.push(None);
            last = Some(day);
        }
        entries.push(Some(i));
    }
    let selected = entries.iter().position(|e| *e == Some(s.selected));
    let (visits, now) = (&s.visits, s.now);
    let heading = ctx.theme.get(Slot::Header);
    let table = visit_table(ctx, &s.visits, false, true).empty(ctx.t().no_visits_ahead);
    table.render(f, area, entries.len(), selected, &mut s.list_view, |row| match entries.get(row)? {
        Some(i) => visits.get(*i).map(|v| visit_row(ctx, v, now, false, true)),
        None => {
            let day = entries[row + 1..].iter().flatten().next().and_then(|i| visits.get(*i))?.planned_at.date();
            let label = format!(
                "{} {}",
                day.format("%Y-%m-%d"),
                ctx.lang.pick(weekday_label(day.weekday().num_days_from_monday() as usize))
            );
            Some(Row::heading(&label, heading))
        }
    });
}
