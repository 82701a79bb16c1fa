//! Drawing the goals panel, and the words its figures are shown in (shared
//! with `kam goals`): a figure as a percentage or a count, what it was
//! counted from, a target in the indicator's own terms, met or not.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_decimal::Decimal;

use super::goals::GoalsPanel;
use crate::config::MoneyUnit;
use crate::ctx::Ctx;
use crate::domain::appraisal::goals::{GoalIndicator, Indicator, RetentionFormula, share_rise_points};
use crate::domain::appraisal::targets::{TargetKind, target_kind, time_share};
use crate::domain::money::Money;
use crate::domain::period::{UnitPeriodRevenue, percent2};
use crate::domain::staff::Role;
use crate::i18n::{Lang, fill, goal_formula_label, goal_indicator_label, period_label};
use crate::review::goals::{GoalReport, GoalRow};
use crate::theme::Slot;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, widest};
use crate::ui::widgets::text::{clean, truncate, width, wrap};

/// The figure: a percentage with two decimals, the count of new key
/// customers, or "—" when there is nothing to divide by.
pub fn figure_text(figure: &Indicator) -> String {
    match (figure.indicator, figure.value) {
        (_, None) => "—".to_string(),
        (GoalIndicator::NewKeyCustomers, Some(n)) => n.normalize().to_string(),
        (_, Some(ratio)) => percent2(ratio),
    }
}

/// Whether an indicator divides amounts of money (else counts).
fn divides_money(report: &GoalReport, indicator: GoalIndicator) -> bool {
    match indicator {
        GoalIndicator::RevenueShare | GoalIndicator::PlanProgress => true,
        GoalIndicator::RetentionRate => report.formulas.retention == RetentionFormula::RevenueKept,
        _ => false,
    }
}

/// What the figure was counted from: "4,890.43万 / 23,705.04万", "3 / 12";
/// an amount divided by nothing known (the unit's revenue not entered, no
/// plan set) reads "—".
pub fn basis_text(money: MoneyUnit, report: &GoalReport, figure: &Indicator) -> String {
    if divides_money(report, figure.indicator) {
        let whole =
            if figure.denominator.is_zero() { "—".to_string() } else { money.format(Money(figure.denominator)) };
        return format!("{} / {whole}", money.format(Money(figure.numerator)));
    }
    format!("{} / {}", figure.numerator.normalize(), figure.denominator.normalize())
}

/// A rise in points with its sign and two decimals: "+1.50", "-0.25".
fn points(value: Decimal) -> String {
    let mut v = value.round_dp(2);
    v.rescale(2);
    if v > Decimal::ZERO { format!("+{v}") } else { v.to_string() }
}

/// A target in its indicator's terms: "+1.50个百分点", "95.00%", "3 户", "6,167.00万".
pub fn target_text_in(lang: Lang, money: MoneyUnit, indicator: GoalIndicator, value: Decimal) -> String {
    let t = lang.text();
    match target_kind(indicator) {
        TargetKind::Points => fill(t.goals_points, &[&points(value)]),
        TargetKind::Rate => percent2(value),
        TargetKind::Count => fill(t.goals_count, &[&value.normalize()]),
        TargetKind::Amount => money.format(Money(value)),
    }
}

pub fn target_text(ctx: &Ctx, indicator: GoalIndicator, value: Decimal) -> String {
    target_text_in(ctx.lang, ctx.money_unit, indicator, value)
}

/// "达标" / "未达标", or "" when there is nothing to judge.
pub fn met_text(lang: Lang, met: Option<bool>) -> &'static str {
    let t = lang.text();
    match met {
        Some(true) => t.goals_met,
        Some(false) => t.goals_not_met,
        None => "",
    }
}

/// The formula the bureau chose, in the user's language.
pub fn formula_text(lang: Lang, figure: &Indicator) -> &'static str {
    goal_formula_label(figure.formula).map_or("", |pair| lang.pick(pair))
}

pub fn draw(f: &mut Frame, area: Rect, ctx: &Ctx, panel: &mut GoalsPanel) {
    let t = ctx.t();
    let w = area.width as usize;
    let unit = ctx.reference.unit(panel.unit_id).map(|u| u.name.clone()).unwrap_or_default();
    let mut period = period_label(ctx.lang, panel.period);
    if panel.pending.is_some() {
        period.push_str(" …");
    }
    let mut keys = vec![t.goals_keys_period];
    if matches!(ctx.user.role, Role::Leader | Role::Admin) {
        keys.push(t.goals_keys_unit);
    }
    if panel.may_set {
        keys.push(t.goals_keys_set);
    }
    let head = format!(" {} · {unit} · {period}", t.goals_title);
    let hint = keys.join(" · ");
    let gap = w.saturating_sub(width(&head) + width(&hint) + 1);
    let mut spans = vec![Span::styled(truncate(&clean(&head), w), ctx.theme.get(Slot::Header))];
    if gap > 0 {
        spans.push(Span::raw(" ".repeat(gap)));
        spans.push(Span::styled(hint, ctx.theme.get(Slot::Muted)));
    }
    let [head_area, summary_area, table_area, detail_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Length(9), Constraint::Min(0)])
            .areas(area);
    f.render_widget(Paragraph::new(Line::from(spans)), head_area);
    if let Some(e) = &panel.error {
        let line = Span::styled(truncate(&clean(e), w), ctx.theme.get(Slot::Error));
        f.render_widget(Paragraph::new(line), summary_area);
        return;
    }
    let Some(report) = panel.report.clone() else {
        f.render_widget(
            Paragraph::new(Span::styled(format!(" {}", t.goals_loading), ctx.theme.get(Slot::Muted))),
            summary_area,
        );
        return;
    };
    f.render_widget(Paragraph::new(summary_line(ctx, &report, w)), summary_area);
    table(f, table_area, ctx, panel, &report);
    match &panel.form {
        Some(_) => form(f, detail_area, ctx, panel),
        None => detail(f, detail_area, ctx, panel, &report),
    }
}

/// The unit's revenue (the share's whole, or why it is not known) and its key customers.
fn summary_line(ctx: &Ctx, report: &GoalReport, w: usize) -> Line<'static> {
    let t = ctx.t();
    let revenue = match report.unit_revenue {
        UnitPeriodRevenue::Known(m) => (fill(t.goals_unit_revenue, &[&ctx.money_unit.format(m)]), Slot::Base),
        UnitPeriodRevenue::Cut(total) => {
            let why = fill(t.report_unit_cut, &[&period_label(ctx.lang, total)]);
            (fill(t.goals_unit_revenue, &[&why]), Slot::Warning)
        }
        UnitPeriodRevenue::Missing(month) => {
            (fill(t.goals_unit_revenue, &[&fill(t.report_unit_missing, &[&month])]), Slot::Warning)
        }
    };
    let inputs = &report.inputs;
    let customers = fill(t.goals_key_customers, &[&inputs.key_customers_now, &inputs.key_customers_at_start]);
    let text = truncate(&format!(" {} · {customers}", revenue.0), w);
    Line::from(Span::styled(text, ctx.theme.get(revenue.1)))
}

fn table(f: &mut Frame, area: Rect, ctx: &Ctx, panel: &mut GoalsPanel, report: &GoalReport) {
    let t = ctx.t();
    let lang = ctx.lang;
    let names = widest(GoalIndicator::ALL.iter().map(|i| lang.pick(goal_indicator_label(*i))), 24);
    let met = widest([t.goals_met, t.goals_not_met, t.goals_col_met], 10);
    let columns = vec![
        Column::flex(t.goals_col_indicator, 8, names.min(14), names),
        Column::fixed(t.goals_col_figure, 8).right(),
        Column::flex(t.goals_col_basis, 9, 21, 28).right().priority(1),
        Column::flex(t.goals_col_target, 8, 14, 18),
        Column::fixed(t.goals_col_met, met),
        // Beside the figure where there is room for it; below the table, in
        // full, for the selected indicator at any width.
        Column::fill(t.goals_col_formula, 16).priority(2),
    ];
    let (ok, warning, muted, base) =
        (ctx.theme.get(Slot::Ok), ctx.theme.get(Slot::Warning), ctx.theme.get(Slot::Muted), ctx.theme.get(Slot::Base));
    let rows = &report.rows;
    let table = DataTable::new(&ctx.theme, columns);
    table.render(f, area, rows.len(), Some(panel.selected), &mut panel.view, |i| {
        let r: &GoalRow = rows.get(i)?;
        let target = r
            .target
            .as_ref()
            .map_or_else(|| t.goals_not_set.to_string(), |s| target_text(ctx, r.figure.indicator, s.target));
        let cells = vec![
            Cell::text(lang.pick(goal_indicator_label(r.figure.indicator))),
            Cell::text(&figure_text(&r.figure)),
            Cell::text(&basis_text(ctx.money_unit, report, &r.figure)),
            Cell::text(&target).style(if r.target.is_some() { base } else { muted }),
            Cell::text(met_text(lang, r.met)),
            Cell::text(formula_text(lang, &r.figure)),
        ];
        let style = match r.met {
            Some(true) => ok,
            Some(false) => warning,
            None => base,
        };
        Some(Row::new(cells).style(style))
    });
}

/// The selected indicator in full: its formula, what it was counted from,
/// what it is judged against, and its target with who set it.
fn detail(f: &mut Frame, area: Rect, ctx: &Ctx, panel: &GoalsPanel, report: &GoalReport) {
    let t = ctx.t();
    let lang = ctx.lang;
    let cols = (area.width as usize).saturating_sub(2).max(1);
    let Some(row) = report.rows.get(panel.selected) else { return };
    let figure = &row.figure;
    let mut lines: Vec<Line> = Vec::new();
    let head = format!("{}: {}", lang.pick(goal_indicator_label(figure.indicator)), formula_text(lang, figure));
    for part in wrap(&head, cols) {
        lines.push(Line::from(Span::styled(format!(" {part}"), ctx.theme.get(Slot::Accent))));
    }
    let mut facts = vec![format!("{} {}", figure_text(figure), basis_text(ctx.money_unit, report, figure))];
    match (figure.indicator, figure.value) {
        (GoalIndicator::ServiceMetRate, None) => facts = vec![t.goals_no_requests.to_string()],
        (GoalIndicator::PlanProgress, value) => {
            if value.is_none() {
                facts.push(t.goals_no_plan.to_string());
            }
            facts.push(fill(t.goals_pace, &[&percent2(time_share(report.period.last()))]));
        }
        (_, None) => facts.push(t.goals_no_figure.to_string()),
        (GoalIndicator::RevenueShare, Some(now)) => match report.share_year_ago {
            Some(then) => facts.push(fill(t.goals_rise, &[&points(share_rise_points(now, then)), &percent2(then)])),
            None => facts.push(t.goals_no_rise.to_string()),
        },
        _ => {}
    }
    let target = match &row.target {
        Some(s) => {
            let when = s.set_at.format("%Y-%m-%d %H:%M").to_string();
            format!(
                "{} {} · {}",
                t.goals_col_target,
                target_text(ctx, figure.indicator, s.target),
                fill(t.goals_set_by, &[&s.set_by, &when])
            )
        }
        None => format!("{} {}", t.goals_col_target, t.goals_not_set),
    };
    facts.push(target);
    for fact in facts {
        for part in wrap(&fact, cols) {
            lines.push(Line::from(format!(" {part}")));
        }
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// The target form: what is set, the input, how to write it, and why the last save was refused.
fn form(f: &mut Frame, area: Rect, ctx: &Ctx, panel: &GoalsPanel) {
    let Some(form) = &panel.form else { return };
    let t = ctx.t();
    let name = ctx.lang.pick(goal_indicator_label(form.key.indicator));
    let title = fill(t.goals_form_title, &[&name, &form.key.year]);
    let hint = match target_kind(form.key.indicator) {
        TargetKind::Rate => t.goals_hint_rate,
        TargetKind::Points => t.goals_hint_points,
        TargetKind::Count => t.goals_hint_count,
        TargetKind::Amount => t.goals_hint_amount,
    };
    let w = area.width as usize;
    let [title_area, input_area, hint_area, error_area, _] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let label = truncate(&format!(" {title}"), w);
    f.render_widget(Paragraph::new(Span::styled(label, ctx.theme.get(Slot::Accent))), title_area);
    let field = Rect { x: input_area.x + 1, width: input_area.width.saturating_sub(2).min(30), ..input_area };
    form.input.draw(f, field, ctx.theme.get(Slot::InputFocus), true);
    let hint = truncate(&format!(" {hint} · {}", t.goals_form_keys), w);
    f.render_widget(Paragraph::new(Span::styled(hint, ctx.theme.get(Slot::Muted))), hint_area);
    if let Some(e) = &form.error {
        f.render_widget(
            Paragraph::new(Span::styled(truncate(&format!(" {}", clean(e)), w), ctx.theme.get(Slot::Error))),
            error_area,
        );
    }
}
