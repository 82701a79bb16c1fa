//! Drawing the monthly analysis: the headline, bar charts by tier and service
//! line, the 24-month trend, and the tables of the other sections.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, Paragraph, Sparkline};
use rust_decimal::Decimal;

use super::analysis::{AnalysisScreen, Section};
use crate::ctx::Ctx;
use crate::db::analysis::{CustomerFigures, MonthlyAnalysis};
use crate::domain::money::Money;
use crate::domain::revenue::{CustomerStatus, change, percent};
use crate::domain::volume::format_pieces;
use crate::i18n::{choice_label, fill, tier_label};
use crate::theme::Slot;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, Viewport, widest};
use crate::ui::widgets::text::{cells, cells_of, clean, pad, truncate, width};

pub(super) fn money(ctx: &Ctx, m: Money) -> String {
    ctx.money_unit.format(m)
}

/// "+5.2%", or "—" when there is no base to compare with.
fn signed(ratio: Option<Decimal>) -> String {
    match ratio {
        Some(r) if r > Decimal::ZERO => format!("+{}", percent(r)),
        Some(r) => percent(r),
        None => "—".to_string(),
    }
}

/// Bar length in whole yuan (never negative).
fn bar_value(m: Money) -> u64 {
    u64::try_from(m.to_fen() / 100).unwrap_or(0)
}

pub fn section_tabs(f: &mut Frame, area: Rect, ctx: &Ctx, screen: &AnalysisScreen) {
    let t = ctx.t();
    let unexplained =
        screen.data.as_ref().map_or(0, |d| d.fluctuations.iter().filter(|x| x.explanation.is_none()).count());
    let label = |s: Section| match s {
        Section::Overview => t.analysis_overview.to_string(),
        Section::Top => t.analysis_top.to_string(),
        Section::Fluctuations if unexplained > 0 => format!("{} ({unexplained})", t.analysis_fluctuations),
        Section::Fluctuations => t.analysis_fluctuations.to_string(),
        Section::Movement => t.analysis_movement.to_string(),
        Section::Period => t.analysis_period.to_string(),
    };
    let mut spans = vec![Span::raw(" ")];
    for s in Section::ALL {
        let style = if s == screen.section { ctx.theme.get(Slot::Selection) } else { ctx.theme.get(Slot::Muted) };
        spans.push(Span::styled(format!(" {} ", label(s)), style));
        spans.push(Span::raw(" "));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn overview(f: &mut Frame, area: Rect, ctx: &Ctx, d: &MonthlyAnalysis) {
    let t = ctx.t();
    let h = &d.headline;
    let [head, trend, charts] =
        Layout::vertical([Constraint::Length(3), Constraint::Length(3), Constraint::Min(0)]).areas(area);
    let first = format!(
        " {} {}   {} {}   {} {}",
        t.analysis_month_total,
        money(ctx, h.month),
        t.analysis_mom,
        signed(h.month_on_month()),
        t.analysis_yoy,
        signed(h.year_on_year())
    );
    let share = h.share_of_unit().map_or_else(|| t.analysis_share_unknown.to_string(), percent);
    let second = format!(
        " {} {}   {} {}   {} {}",
        t.analysis_ytd,
        money(ctx, h.year_to_date),
        t.analysis_yoy,
        signed(h.year_to_date_on_year()),
        t.analysis_share,
        share
    );
    let statuses: Vec<String> = CustomerStatus::ALL
        .iter()
        .zip(d.statuses)
        .map(|(s, n)| format!("{} {n}", ctx.lang.pick(choice_label(s.code()))))
        .collect();
    let third = format!(
        " {} · {}",
        fill(t.analysis_customers_line, &[&d.customers, &d.new_customers.len(), &d.churned.len()]),
        statuses.join(" ")
    );
    let lines: Vec<Line> = [first, second, third]
        .into_iter()
        .enumerate()
        .map(|(i, s)| {
            let style = if i == 0 { ctx.theme.get(Slot::Header) } else { Style::default() };
            Line::from(Span::styled(truncate(&s, area.width as usize), style))
        })
        .collect();
    f.render_widget(Paragraph::new(lines), head);

    // The 24-month trend: a sparkline under a caption with its range.
    let [caption, spark] = Layout::vertical([Constraint::Length(1), Constraint::Length(2)]).areas(trend);
    let (first_month, last_month) = (d.trend.first().map(|x| x.0), d.trend.last().map(|x| x.0));
    let caption_text = match (first_month, last_month) {
        (Some(a), Some(b)) => format!(" {} {a} – {b}", t.analysis_trend),
        _ => String::new(),
    };
    f.render_widget(Paragraph::new(Span::styled(caption_text, ctx.theme.get(Slot::Muted))), caption);
    let values: Vec<u64> = d.trend.iter().map(|(_, m)| bar_value(*m)).collect();
    let spark = Rect { x: spark.x + 1, width: spark.width.saturating_sub(1).min(cells(values.len() * 2)), ..spark };
    // Two columns per month so 24 months fill a readable width.
    let doubled: Vec<u64> = values.iter().flat_map(|v| [*v, *v]).collect();
    f.render_widget(Sparkline::default().data(&doubled).style(ctx.theme.get(Slot::Ok)), spark);

    if charts.height < 3 {
        return;
    }
    let side_by_side = charts.width >= 96;
    let [left, right] = if side_by_side {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(charts)
    } else {
        let tier_rows = cells(d.by_tier.len() + 1).min(charts.height / 2);
        Layout::vertical([Constraint::Length(tier_rows), Constraint::Min(0)]).areas(charts)
    };
    let tier_bars: Vec<(String, Money)> =
        d.by_tier.iter().map(|x| (format!("{} {}", ctx.lang.pick(tier_label(x.tier)), x.customers), x.month)).collect();
    bar_chart(f, left, ctx, t.analysis_by_tier, &tier_bars);
    let line_bars: Vec<(String, Money)> = d
        .by_line
        .iter()
        .map(|l| {
            let name = ctx
                .reference
                .service_line(l.service_line_id)
                .map(|s| ctx.lang.pick((s.name_zh.as_str(), s.name_en.as_str())).to_string())
                .unwrap_or_default();
            (name, l.month)
        })
        .collect();
    bar_chart(f, right, ctx, t.analysis_by_line, &line_bars);
}

/// A month after the ledger's last: said plainly on every section, with the
/// customers and their stored statuses on the overview (those stand), and no
/// figures that would read as a fall.
pub fn not_entered(f: &mut Frame, area: Rect, ctx: &Ctx, d: &MonthlyAnalysis, section: Section) {
    let t = ctx.t();
    let month = d.month.to_string();
    let note = match d.ledger_month {
        Some(last) => fill(t.analysis_not_entered, &[&month, &last]),
        None => fill(t.analysis_nothing_entered, &[&month]),
    };
    let w = area.width as usize;
    let mut lines = vec![Line::from(Span::styled(truncate(&format!(" {note}"), w), ctx.theme.get(Slot::Warning)))];
    if section == Section::Overview {
        let statuses: Vec<String> = CustomerStatus::ALL
            .iter()
            .zip(d.statuses)
            .map(|(s, n)| format!("{} {n}", ctx.lang.pick(choice_label(s.code()))))
            .collect();
        let customers = fill(t.analysis_customers_count, &[&d.customers]);
        lines.push(Line::from(truncate(&format!(" {customers} · {}", statuses.join(" ")), w)));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// A titled horizontal bar chart; labels are cut to a common width so wide
/// (CJK) and narrow names line up.
fn bar_chart(f: &mut Frame, area: Rect, ctx: &Ctx, title: &str, bars: &[(String, Money)]) {
    if area.height < 2 || area.width < 20 {
        return;
    }
    let [head, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    f.render_widget(Paragraph::new(Span::styled(format!(" {title}"), ctx.theme.get(Slot::Header))), head);
    let label_w = bars.iter().map(|(l, _)| width(l)).max().unwrap_or(0).min(area.width as usize / 3);
    let chart_bars: Vec<Bar> = bars
        .iter()
        .take(body.height as usize)
        .map(|(label, amount)| {
            Bar::default()
                .label(Line::from(pad(&truncate(&clean(label), label_w), label_w)))
                .value(bar_value(*amount))
                .text_value(money(ctx, *amount))
        })
        .collect();
    let body = Rect { x: body.x + 1, width: body.width.saturating_sub(2), ..body };
    let chart = BarChart::horizontal(chart_bars)
        .bar_width(1)
        .bar_gap(0)
        .bar_style(ctx.theme.get(Slot::Ok))
        .value_style(ctx.theme.get(Slot::Selection));
    f.render_widget(chart, body);
}

/// The columns of a table of customers' figures: (a rank,) name, tier, account
/// manager, then this month's amount and its changes.
fn customer_table<'t>(ctx: &'t Ctx, rows: &[&CustomerFigures], ranked: bool) -> DataTable<'t> {
    let t = ctx.t();
    let lang = ctx.lang;
    let mut columns = Vec::new();
    if ranked {
        columns.push(Column::fixed("#", 3).right());
    }
    let names = widest(rows.iter().map(|c| c.short_name.as_str()), 24);
    columns.extend([
        Column::flex(t.col_short_name, 8, names.min(14), names),
        Column::fixed(t.col_tier, widest(ctx.preset.tiers().iter().map(|x| lang.pick(tier_label(*x))), 12)),
        Column::fixed(t.analysis_col_manager, widest(ctx.reference.staff.iter().map(|s| s.name.as_str()), 8))
            .priority(1),
        Column::fixed(t.analysis_col_month, 14).right(),
        Column::fixed(t.analysis_mom, 8).right(),
        Column::fixed(t.analysis_yoy, 8).right(),
    ]);
    DataTable::new(&ctx.theme, columns).empty(t.analysis_none)
}

fn customer_row(ctx: &Ctx, rank: Option<usize>, c: &CustomerFigures) -> Row<'static> {
    let owner = ctx.reference.staff(c.owner_a).map(|s| s.name.clone()).unwrap_or_default();
    let mut cells = Vec::new();
    if let Some(rank) = rank {
        cells.push(Cell::text(&rank.to_string()));
    }
    cells.extend([
        Cell::text(&c.short_name),
        Cell::text(ctx.lang.pick(tier_label(c.tier))),
        Cell::text(&owner),
        Cell::text(&money(ctx, c.month)),
        Cell::text(&signed(change(c.month, c.previous))),
        Cell::text(&signed(change(c.month, c.year_ago))),
    ]);
    Row::new(cells).style(ctx.theme.get(Slot::Base))
}

pub fn top(f: &mut Frame, area: Rect, ctx: &Ctx, d: &MonthlyAnalysis, selected: usize, view: &mut Viewport) {
    customer_table(ctx, &d.top.iter().collect::<Vec<_>>(), true).render(
        f,
        area,
        d.top.len(),
        Some(selected),
        view,
        |i| d.top.get(i).map(|c| customer_row(ctx, Some(i + 1), c)),
    );
}

pub fn fluctuations(f: &mut Frame, area: Rect, ctx: &Ctx, screen: &mut AnalysisScreen) {
    let t = ctx.t();
    let w = area.width as usize;
    // Shared, not copied: the table below borrows the screen's view meanwhile.
    let Some(d) = screen.data.clone() else { return };
    let [heading, list, detail, input] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(2),
        Constraint::Length(u16::from(screen.explaining.is_some())),
    ])
    .areas(area);
    // Which measure the rule compares: the bureau's setting.
    let measure = match d.measure {
        crate::domain::volume::FluctuationMeasure::Revenue => t.volume_measure_revenue,
        crate::domain::volume::FluctuationMeasure::Volume => t.volume_measure_volume,
    };
    let heading_text =
        crate::ui::widgets::text::truncate(&format!(" {}", fill(t.volume_fluct_heading, &[&measure])), w);
    f.render_widget(Paragraph::new(Span::styled(heading_text, ctx.theme.get(Slot::Muted))), heading);
    let names = widest(d.fluctuations.iter().map(|x| x.customer.short_name.as_str()), 24);
    let columns = vec![
        Column::fixed("", 1),
        Column::flex(t.col_short_name, 8, names.min(14), names),
        Column::fixed(t.analysis_col_manager, widest(ctx.reference.staff.iter().map(|s| s.name.as_str()), 8))
            .priority(1),
        Column::fixed(t.analysis_col_previous, 14).right(),
        Column::fixed(t.analysis_col_month, 14).right(),
        Column::fixed(t.analysis_col_change, 8).right(),
    ];
    let table = DataTable::new(&ctx.theme, columns).empty(t.analysis_no_fluctuations);
    let (warning, base) = (ctx.theme.get(Slot::Warning), ctx.theme.get(Slot::Base));
    table.render(f, list, d.fluctuations.len(), Some(screen.selected), &mut screen.view, |i| {
        let x = d.fluctuations.get(i)?;
        let c = &x.customer;
        let owner = ctx.reference.staff(c.owner_a).map(|s| s.name.clone()).unwrap_or_default();
        let cells = vec![
            Cell::text(if x.explanation.is_some() { "✓" } else { "!" }),
            Cell::text(&c.short_name),
            Cell::text(&owner),
            Cell::text(&x.pieces.map_or_else(|| money(ctx, c.previous), |(_, p)| format_pieces(p))),
            Cell::text(&x.pieces.map_or_else(|| money(ctx, c.month), |(n, _)| format_pieces(n))),
            Cell::text(&signed(Some(x.change))),
        ];
        Some(Row::new(cells).style(if x.explanation.is_none() { warning } else { base }))
    });
    let note = match d.fluctuations.get(screen.selected) {
        Some(x) => match (&x.explanation, &x.explained_by) {
            (Some(text), Some(by)) => fill(t.analysis_explained_by, &[&clean(by), &clean(text)]),
            _ => t.analysis_explain_hint.to_string(),
        },
        None => String::new(),
    };
    let wrapped: Vec<Line> = crate::ui::widgets::text::wrap(&format!(" {note}"), w)
        .into_iter()
        .take(2)
        .map(|l| Line::from(Span::styled(l, ctx.theme.get(Slot::Muted))))
        .collect();
    f.render_widget(Paragraph::new(wrapped), detail);
    if let Some(typing) = &screen.explaining {
        let label = format!(" {}", t.analysis_explain_prompt);
        let lw = cells_of(&label).min(input.width);
        let [l, field] = Layout::horizontal([Constraint::Length(lw), Constraint::Min(0)]).areas(input);
        f.render_widget(Paragraph::new(label), l);
        typing.draw(f, field, ctx.theme.get(Slot::InputFocus), true);
    }
}

/// The customers gained and lost this month, each group under its heading.
pub fn movement(f: &mut Frame, area: Rect, ctx: &Ctx, d: &MonthlyAnalysis, selected: usize, view: &mut Viewport) {
    let t = ctx.t();
    // The table's rows: a heading, the new customers (or "none"), a heading, the lost ones.
    enum Line<'d> {
        Heading(String),
        Nothing,
        Customer(usize, &'d CustomerFigures),
    }
    let mut lines: Vec<Line> = Vec::new();
    let mut index = 0;
    for (title, list) in [(t.analysis_new, &d.new_customers), (t.analysis_churned, &d.churned)] {
        lines.push(Line::Heading(format!(" {title} ({})", list.len())));
        if list.is_empty() {
            lines.push(Line::Nothing);
        }
        for c in list {
            lines.push(Line::Customer(index, c));
            index += 1;
        }
    }
    let selected_line = lines.iter().position(|l| matches!(l, Line::Customer(i, _) if *i == selected));
    let (header, muted) = (ctx.theme.get(Slot::Header), ctx.theme.get(Slot::Muted));
    let all: Vec<&CustomerFigures> = d.new_customers.iter().chain(&d.churned).collect();
    customer_table(ctx, &all, false).render(f, area, lines.len(), selected_line, view, |i| match lines.get(i)? {
        Line::Heading(title) => Some(Row::heading(title, header)),
        Line::Nothing => Some(Row::heading(&format!("   {}", t.analysis_none), muted)),
        Line::Customer(_, c) => Some(customer_row(ctx, None, c)),
    });
}
