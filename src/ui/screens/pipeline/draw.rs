//! Drawing the pipeline screen: the steps' counts, the prospects, the
//! ranking table and the y/n question. Reads only the screen's state.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Confirm, PipelineScreen, Ranking, Whose};
use crate::ctx::Ctx;
use crate::db::pipeline::{Prospect, StepCount};
use crate::domain::money::Money;
use crate::domain::pipeline::Step;
use crate::i18n::{fill, pipeline_days_late, pipeline_step_label};
use crate::theme::Slot;
use crate::ui::screens::draw_title;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, widest};
use crate::ui::widgets::text::{clean, truncate, wrap};

pub(super) fn draw(s: &mut PipelineScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let t = ctx.t();
    let [title, head, body] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0)]).areas(area);
    let whose = match s.whose {
        Whose::Mine => t.scope_mine,
        Whose::Unit => t.scope_unit,
    };
    let mut path = vec![t.screen_pipeline.to_string()];
    if s.ranking.is_some() {
        path.push(t.pipe_rank_title.to_string());
        path.push(ctx.reference.unit(ctx.user.unit_id).map(|u| u.name.clone()).unwrap_or_default());
    } else {
        path.push(s.step.map_or(t.pipe_all_steps, |step| pipeline_step_label(ctx.lang, step)).to_string());
        path.push(fill(t.title_scope, &[&whose]));
    }
    let note = s.ranking.as_ref().map_or(s.total, |r| r.rows.len() as u64).to_string();
    draw_title(f, title, &ctx.theme, t, &path.iter().map(String::as_str).collect::<Vec<_>>(), &note);
    let hint = if s.ranking.is_some() { t.pipe_rank_actions } else { t.pipe_actions };
    let head_text = match &s.error {
        Some(e) => Span::styled(clean(e), ctx.theme.get(Slot::Error)),
        None => Span::styled(format!(" {hint}"), ctx.theme.get(Slot::Muted)),
    };
    f.render_widget(Paragraph::new(head_text), head);
    if let Some(r) = &mut s.ranking {
        draw_ranking(r, f, body, ctx);
    } else {
        // The steps take eight rows (heading, six steps, total) when there is
        // room for the list too, else half the height.
        let steps_h = if body.height >= 16 { 8 } else { body.height / 2 };
        let [steps, list] = Layout::vertical([Constraint::Length(steps_h), Constraint::Min(0)]).areas(body);
        draw_steps(&s.counts, s.step, f, steps, ctx);
        draw_list(s, f, list, ctx);
    }
    if let Some(confirm) = &s.confirm {
        draw_confirm(f, body, ctx, confirm);
    }
}

/// The six steps: prospects, overdue, expected revenue; the step filtered on
/// stands out; a total under them.
fn draw_steps(counts: &[StepCount], filtered: Option<Step>, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let t = ctx.t();
    let lang = ctx.lang;
    let labels = Step::ALL.map(|s| pipeline_step_label(lang, s));
    let revenue: Vec<String> = counts.iter().map(|c| c.expected_revenue.format_yuan()).collect();
    let total = Money::from_fen(counts.iter().map(|c| c.expected_revenue.to_fen()).sum());
    let total_text = total.format_yuan();
    let money_w = widest(revenue.iter().map(String::as_str).chain([total_text.as_str()]), 18)
        .max(widest([t.pipe_col_revenue], 24));
    let columns = vec![
        Column::fixed(t.pipe_col_step, widest(labels.iter().copied().chain([t.pipe_total]), 20)),
        Column::fixed(t.pipe_col_count, widest([t.pipe_col_count], 10).max(4)).right(),
        Column::fixed(t.pipe_col_overdue, widest([t.pipe_col_overdue], 10).max(4)).right(),
        Column::fixed(t.pipe_col_revenue, money_w).right(),
    ];
    let len = counts.len() + 1;
    let mut view = crate::ui::widgets::table::Viewport::default();
    DataTable::new(&ctx.theme, columns).render(f, area, len, None, &mut view, |i| {
        let Some(c) = counts.get(i) else {
            let (n, late) = counts.iter().fold((0, 0), |(n, l), c| (n + c.count, l + c.overdue));
            return Some(
                Row::new(vec![
                    Cell::text(t.pipe_total),
                    Cell::text(&n.to_string()),
                    Cell::text(&late.to_string()),
                    Cell::text(&total_text),
                ])
                .style(ctx.theme.get(Slot::Header)),
            );
        };
        let late = Cell::text(&c.overdue.to_string());
        let late = if c.overdue > 0 { late.style(ctx.theme.get(Slot::Alert)) } else { late };
        let slot = if filtered == Some(c.step) { Slot::Accent } else { Slot::Base };
        Some(
            Row::new(vec![
                Cell::text(pipeline_step_label(lang, c.step)),
                Cell::text(&c.count.to_string()),
                late,
                Cell::text(revenue.get(i)?),
            ])
            .style(ctx.theme.get(slot)),
        )
    });
}

/// What a prospect's late column says: days late, or nothing while on time.
fn late_text(ctx: &Ctx, p: &Prospect, today: chrono::NaiveDate) -> String {
    if p.is_overdue(today) { pipeline_days_late(ctx.lang, p.days_overdue(today)) } else { String::new() }
}

/// The prospects: on 80 columns the customer, step, owner, due day and days
/// late; wider, when it started, the industry and the revenue expected.
fn draw_list(s: &mut PipelineScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let t = ctx.t();
    let lang = ctx.lang;
    let today = s.today;
    let window = &s.window;
    let names = widest(window.iter().map(|p| p.customer_name.as_str()), 24);
    let labels = Step::ALL.map(|st| pipeline_step_label(lang, st));
    let lates: Vec<String> = window.iter().map(|p| late_text(ctx, p, today)).collect();
    let owners = widest(window.iter().map(|p| p.owner.as_str()), 10).max(widest([t.col_owner], 12));
    let industries = widest(window.iter().filter_map(|p| p.industry.as_deref()), 14).max(4);
    let columns = vec![
        Column::fixed("", 1),
        Column::flex(t.col_customer, 8, names.min(16), names),
        Column::fixed(t.pipe_col_step, widest(labels, 18)),
        Column::fixed(t.pipe_col_due, 10),
        Column::fixed(t.pipe_col_late, widest(lates.iter().map(String::as_str), 16).max(4)),
        Column::fixed(t.col_owner, owners).priority(1),
        Column::fixed(t.pipe_col_started, 10).priority(3),
        Column::fixed(t.pipe_col_industry, industries).priority(2),
        Column::fixed(t.pipe_col_revenue, widest([t.pipe_col_revenue], 24).max(14)).right().priority(4),
    ];
    let offset = s.window_offset;
    let len = usize::try_from(s.total).unwrap_or(usize::MAX);
    let selected = usize::try_from(s.selected).ok();
    DataTable::new(&ctx.theme, columns).empty(t.pipe_none).render(f, area, len, selected, &mut s.view, |i| {
        let k = usize::try_from((i as u64).checked_sub(offset)?).ok()?;
        let p = window.get(k)?;
        let late = p.is_overdue(today);
        Some(
            Row::new(vec![
                Cell::text(if late { "!" } else { "" }),
                Cell::text(&p.customer_name),
                Cell::text(pipeline_step_label(lang, p.step)),
                Cell::text(&p.due_on.to_string()),
                Cell::text(lates.get(k)?),
                Cell::text(&p.owner),
                Cell::text(&p.started_on.to_string()),
                Cell::text(p.industry.as_deref().unwrap_or("—")),
                Cell::text(&p.expected_revenue.map(|m| m.format_yuan()).unwrap_or_default()),
            ])
            .style(ctx.theme.get(if late { Slot::Alert } else { Slot::Base })),
        )
    });
}

/// The unit's ranking table in rank order.
fn draw_ranking(r: &mut Ranking, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let t = ctx.t();
    let rows = &r.rows;
    let names = widest(rows.iter().map(|l| l.text.industry.as_str()), 20).max(widest([t.pipe_col_industry], 10));
    let columns = vec![
        Column::fixed(t.pipe_col_rank, widest([t.pipe_col_rank], 8).max(4)).right(),
        Column::flex(t.pipe_col_industry, 6, names, names),
        Column::fixed(t.pipe_col_weight, widest([t.pipe_col_weight], 8).max(4)).right(),
        Column::fill(t.pipe_col_notes, 8),
    ];
    let selected = (!rows.is_empty()).then_some(r.selected);
    DataTable::new(&ctx.theme, columns).empty(t.pipe_rank_none).render(
        f,
        area,
        rows.len(),
        selected,
        &mut r.view,
        |i| {
            let l = rows.get(i)?;
            Some(Row::new(vec![
                Cell::text(&l.text.rank.to_string()),
                Cell::text(&l.text.industry),
                Cell::text(&l.text.weight.to_string()),
                Cell::text(&l.text.notes),
            ]))
        },
    );
}

/// The y/n question in a box at the bottom of `area`.
fn draw_confirm(f: &mut Frame, area: Rect, ctx: &Ctx, confirm: &Confirm) {
    let t = ctx.t();
    let lang = ctx.lang;
    if area.width < 12 || area.height < 3 {
        return;
    }
    let question = match confirm {
        Confirm::Advance(p, next) => fill(
            t.pipe_confirm_advance,
            &[&p.customer_name, &pipeline_step_label(lang, p.step), &pipeline_step_label(lang, *next)],
        ),
        Confirm::Drop(p) => fill(t.pipe_confirm_drop, &[&p.customer_name]),
        Confirm::Archive(line) => fill(t.pipe_confirm_archive, &[&line.text.industry]),
    };
    let inner_w = usize::from(area.width.saturating_sub(2)).max(1);
    let lines = wrap(&clean(&question), inner_w);
    let h = u16::try_from(lines.len() + 2).unwrap_or(u16::MAX).min(area.height);
    let boxed = Rect { y: area.y + area.height - h, height: h, ..area };
    f.render_widget(Clear, boxed);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(ctx.theme.get(Slot::Warning))
        .title(Span::styled(truncate(&format!(" {} ", t.pipe_confirm_title), inner_w), ctx.theme.get(Slot::Title)));
    let inner = block.inner(boxed);
    f.render_widget(block, boxed);
    f.render_widget(Paragraph::new(lines.join("\n")), inner);
}
