//! The analysis screen's period section (issue 16): a range of months
//! (`2003年1-10月累计` by default) against the same months last year, the
//! totals of all key customers and of the like-for-like ones, the share of
//! the unit's revenue, and each customer with its change. A figure only a
//! period total reaching across the range could give reads "未分月".

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_decimal::Decimal;

use super::analysis::AnalysisScreen;
use super::analysis_draw::money;
use crate::ctx::Ctx;
use crate::db::period::PeriodSummary;
use crate::domain::money::Money;
use crate::domain::period::{Compared, UnitPeriodRevenue, percent2};
use crate::domain::revenue::{CustomerStatus, share};
use crate::i18n::{choice_label, fill, period_label, tier_label};
use crate::theme::Slot;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, widest};
use crate::ui::widgets::text::{cells, truncate};

/// "+870.77", "-12.00", "0.00" in the unit shown.
fn signed_money(ctx: &Ctx, m: Money) -> String {
    if m.yuan() > Decimal::ZERO { format!("+{}", money(ctx, m)) } else { money(ctx, m) }
}

/// "+23.36%", or "—" without a base.
fn signed_percent(ratio: Option<Decimal>) -> String {
    match ratio {
        Some(r) if r > Decimal::ZERO => format!("+{}", percent2(r)),
        Some(r) => percent2(r),
        None => "—".to_string(),
    }
}

/// The share of the unit's revenue, or why there is none.
fn share_line(ctx: &Ctx, s: &PeriodSummary) -> String {
    let t = ctx.t();
    let unit = match s.unit {
        UnitPeriodRevenue::Known(m) => {
            let share = s.share().map_or_else(|| "—".to_string(), percent2);
            return format!(" {} {share} ({} {})", t.analysis_share, t.report_unit_period, money(ctx, m));
        }
        UnitPeriodRevenue::Cut(total) => fill(t.report_unit_cut, &[&period_label(ctx.lang, total)]),
        UnitPeriodRevenue::Missing(month) => fill(t.report_unit_missing, &[&month]),
    };
    format!(" {} — {}: {unit}", t.analysis_share, t.report_unit_period)
}

pub fn draw(f: &mut Frame, area: Rect, ctx: &Ctx, screen: &mut AnalysisScreen) {
    let t = ctx.t();
    let w = area.width as usize;
    let against = fill(t.analysis_period_against, &[&period_label(ctx.lang, screen.period.year_ago())]);
    let head = format!(" {} · {against} · {}", period_label(ctx.lang, screen.period), t.analysis_period_keys);
    let Some(d) = screen.period_data.clone() else {
        let line = Line::from(Span::styled(truncate(&head, w), ctx.theme.get(Slot::Header)));
        f.render_widget(Paragraph::new(line), area);
        return;
    };
    let s = &d.summary;
    let mut lines = vec![
        Line::from(Span::styled(truncate(&head, w), ctx.theme.get(Slot::Header))),
        Line::from(truncate(&share_line(ctx, s), w)),
    ];
    if s.cut_customers > 0 {
        let note = fill(t.report_cut_customers, &[&s.cut_customers]);
        lines.push(Line::from(Span::styled(truncate(&format!(" {note}"), w), ctx.theme.get(Slot::Warning))));
    }
    let [head_area, totals_area, table_area] =
        Layout::vertical([Constraint::Length(cells(lines.len())), Constraint::Length(3), Constraint::Min(0)])
            .areas(area);
    f.render_widget(Paragraph::new(lines), head_area);

    // The totals over the same columns as the customers below, so that they line up.
    let all = fill(t.analysis_period_all, &[&s.customers]);
    let like = fill(t.analysis_period_like, &[&s.compared_customers]);
    let lang = ctx.lang;
    let names = widest(d.rows.iter().map(|r| r.short_name.as_str()).chain([all.as_str(), like.as_str()]), 24);
    let columns = || {
        vec![
            Column::fixed("#", 3).right(),
            Column::flex(t.col_short_name, 8, names.min(14), names),
            Column::fixed(t.analysis_col_current, 13).right(),
            Column::fixed(t.analysis_col_last_year, 13).right(),
            Column::fixed(t.analysis_col_change_amount, 13).right().priority(1),
            Column::fixed(t.analysis_col_change_pct, 8).right(),
            Column::fixed(t.analysis_col_share, 7).right().priority(1),
            Column::fixed(t.col_tier, widest(ctx.preset.tiers().iter().map(|x| lang.pick(tier_label(*x))), 12))
                .priority(2),
            Column::fixed(
                t.col_status,
                widest(CustomerStatus::ALL.iter().map(|x| lang.pick(choice_label(x.code()))), 10),
            )
            .priority(2),
        ]
    };
    let unit = s.unit.known();
    let figures = |current: Option<Money>, last_year: Option<Money>| -> [Cell<'static>; 5] {
        let amount = |m: Option<Money>| m.map_or_else(|| t.period_not_split.to_string(), |m| money(ctx, m));
        let both = current.zip(last_year).map(|(c, l)| Compared::new(c, l));
        [
            Cell::text(&amount(current)),
            Cell::text(&amount(last_year)),
            Cell::text(&both.map_or_else(String::new, |c| signed_money(ctx, c.change_amount()))),
            Cell::text(&both.map_or_else(String::new, |c| signed_percent(c.change_ratio()))),
            Cell::text(&current.and_then(|c| share(c, unit)).map_or_else(String::new, percent2)),
        ]
    };
    let header = ctx.theme.get(Slot::Header);
    let totals = [(all.clone(), s.all), (like.clone(), s.compared)];
    DataTable::new(&ctx.theme, columns()).render(f, totals_area, totals.len(), None, &mut Default::default(), |i| {
        let (label, c) = totals.get(i)?;
        let mut cells = vec![Cell::text(""), Cell::text(label)];
        cells.extend(figures(Some(c.current), Some(c.last_year)));
        Some(Row::new(cells).style(header))
    });

    let table = DataTable::new(&ctx.theme, columns()).empty(t.analysis_none);
    let (base, warning) = (ctx.theme.get(Slot::Base), ctx.theme.get(Slot::Warning));
    table.render(f, table_area, d.rows.len(), Some(screen.selected), &mut screen.view, |i| {
        let r = d.rows.get(i)?;
        let mut cells = vec![Cell::text(&(i + 1).to_string()), Cell::text(&r.short_name)];
        cells.extend(figures(r.current, r.last_year));
        cells.push(Cell::text(lang.pick(tier_label(r.tier))));
        cells.push(Cell::text(lang.pick(choice_label(r.status.code()))));
        let cut = r.current.is_none() || r.last_year.is_none();
        Some(Row::new(cells).style(if cut { warning } else { base }))
    });
}
