//! Drawing the month end: the managers' table, one manager's sheet line by
//! line (items, deductions with their reasons, adjustments, pay, the records
//! behind the deductions, the entered items), the form and the questions.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use rust_decimal::Decimal;

use super::{AppraisalScreen, Confirm};
use crate::ctx::Ctx;
use crate::domain::appraisal::entries::{Entered, Post};
use crate::domain::appraisal::score::Cause;
use crate::domain::money::Money;
use crate::i18n::{Lang, cause_label, entry_kind_label, fill, sheet_item_label, visit_kind_label};
use crate::review::appraisal::{Evidence, ManagerMonth};
use crate::theme::Slot;
use crate::ui::screens::draw_title;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, widest};
use crate::ui::widgets::text::{clean, truncate};

/// One line of a sheet in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DetailRow {
    Heading(Part),
    Item(usize),
    Deduction(usize, usize),
    Adjustment(usize),
    Total,
    Pay(PayLine),
    Evidence(usize),
    Entry(usize),
    Nothing,
    Planner(PlannerLine),
    Project(usize),
    Team(TeamLine),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlannerLine {
    WrittenPlan,
    Results,
    Behaviour,
    Bonus,
    Total,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TeamLine {
    Members,
    PerHead,
    Part,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Sheet,
    Pay,
    Evidence,
    Entries,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PayLine {
    Terms,
    Fixed,
    Achievement,
    LateMoney,
    Completion,
    Probation,
    Withheld,
    Paid,
}

fn rows(m: &ManagerMonth) -> Vec<DetailRow> {
    let sheet = &m.appraisal.sheet;
    let mut out = vec![DetailRow::Heading(Part::Sheet)];
    if let Some(p) = &m.planner {
        out.extend(
            [
                PlannerLine::WrittenPlan,
                PlannerLine::Results,
                PlannerLine::Behaviour,
                PlannerLine::Bonus,
                PlannerLine::Total,
            ]
            .map(DetailRow::Planner),
        );
        out.push(DetailRow::Heading(Part::Pay));
        out.extend([PayLine::Terms, PayLine::Fixed].map(DetailRow::Pay));
        out.extend((0..p.pay.projects.len()).map(DetailRow::Project));
    } else {
        for (i, item) in sheet.items.iter().enumerate() {
            out.push(DetailRow::Item(i));
            out.extend((0..item.deductions.len()).map(|d| DetailRow::Deduction(i, d)));
        }
        out.extend((0..sheet.adjustments.len()).map(DetailRow::Adjustment));
        out.push(DetailRow::Total);
        out.push(DetailRow::Heading(Part::Pay));
        out.extend([PayLine::Terms, PayLine::Fixed, PayLine::Achievement, PayLine::LateMoney].map(DetailRow::Pay));
        if m.team.is_some() {
            out.extend([TeamLine::Members, TeamLine::PerHead, TeamLine::Part].map(DetailRow::Team));
        } else {
            out.push(DetailRow::Pay(PayLine::Completion));
        }
    }
    if m.probation.is_some() {
        out.push(DetailRow::Pay(PayLine::Probation));
    }
    if !m.discipline.is_empty() {
        out.push(DetailRow::Pay(PayLine::Withheld));
    }
    out.push(DetailRow::Pay(PayLine::Paid));
    out.push(DetailRow::Heading(Part::Evidence));
    out.extend((0..m.evidence.len()).map(DetailRow::Evidence));
    if m.evidence.is_empty() {
        out.push(DetailRow::Nothing);
    }
    out.push(DetailRow::Heading(Part::Entries));
    out.extend((0..m.entries.len()).map(DetailRow::Entry));
    if m.entries.is_empty() {
        out.push(DetailRow::Nothing);
    }
    out
}

/// How many lines a sheet has in full.
pub fn detail_len(m: &ManagerMonth) -> usize {
    rows(m).len()
}

/// The entered item on line `i` of the sheet, if that line is one.
pub fn entry_at(m: &ManagerMonth, i: usize) -> Option<&Entered> {
    match rows(m).get(i) {
        Some(DetailRow::Entry(e)) => m.entries.get(*e),
        _ => None,
    }
}

fn pts(d: Decimal) -> String {
    d.round_dp(2).normalize().to_string()
}

fn yuan(m: Money) -> String {
    m.format_yuan()
}

fn fen(d: Decimal) -> String {
    crate::domain::appraisal::round_pay(d).format_yuan()
}

fn percent(d: Decimal) -> String {
    crate::domain::revenue::percent(d)
}

fn evidence_text(lang: Lang, e: &Evidence) -> String {
    let t = lang.text();
    match e {
        Evidence::Visits { name, kind, done, required, .. } => {
            fill(t.appraisal_evidence_visits, &[name, &lang.pick(visit_kind_label(*kind)), done, required])
        }
        Evidence::Logs { name, written, required, .. } => fill(t.appraisal_evidence_logs, &[name, written, required]),
        Evidence::StaleDossier { name, due, .. } => fill(t.appraisal_evidence_stale, &[name, due]),
        Evidence::Plan { name, first, last, .. } => fill(t.appraisal_evidence_plan, &[name, first, last]),
    }
}

fn row_line<'a>(ctx: &Ctx, m: &'a ManagerMonth, row: DetailRow) -> Line<'a> {
    let (lang, t, theme) = (ctx.lang, ctx.t(), &ctx.theme);
    let sheet = &m.appraisal.sheet;
    let pay = &m.appraisal.pay;
    let text = |s: String| Line::from(Span::raw(s));
    match row {
        DetailRow::Heading(part) => {
            let title = match part {
                Part::Sheet => t.appraisal_part_sheet,
                Part::Pay => t.appraisal_part_pay,
                Part::Evidence => t.appraisal_part_evidence,
                Part::Entries => t.appraisal_part_entries,
            };
            Line::from(Span::styled(title.to_string(), theme.get(Slot::Header)))
        }
        DetailRow::Item(i) => {
            let item = &sheet.items[i];
            let style = if item.points < item.max { theme.get(Slot::Warning) } else { Style::default() };
            Line::from(Span::styled(
                format!(" {}  {}/{}", lang.pick(sheet_item_label(item.item)), pts(item.points), pts(item.max)),
                style,
            ))
        }
        DetailRow::Deduction(i, d) => {
            let d = &sheet.items[i].deductions[d];
            text(format!("    {} ×{}  −{}  {}", lang.pick(cause_label(d.cause)), d.count, pts(d.points), d.reason))
        }
        DetailRow::Adjustment(i) => {
            let a = &sheet.adjustments[i];
            let signed = if a.points >= Decimal::ZERO {
                format!("+{}", pts(a.points))
            } else {
                format!("−{}", pts(-a.points))
            };
            let reason = match a.cause {
                Cause::LateMoney => fill(t.appraisal_late_reason, &[&a.reason]),
                _ => a.reason.clone(),
            };
            text(format!(" {} ×{}  {signed}  {reason}", lang.pick(cause_label(a.cause)), a.count))
        }
        DetailRow::Total => Line::from(Span::styled(
            fill(t.appraisal_total_line, &[&pts(sheet.total), &pts(sheet.items_total)]),
            theme.get(Slot::Accent),
        )),
        DetailRow::Pay(line) => text(match line {
            PayLine::Terms if !m.terms_set => format!(" {}", t.appraisal_terms_missing),
            PayLine::Terms => fill(
                t.appraisal_terms_line,
                &[&yuan(m.terms.fixed_base), &yuan(m.terms.task), &yuan(m.terms.monthly_standard)],
            ),
            PayLine::Fixed => {
                let share = match (&m.team, &m.planner) {
                    (Some(t), _) => t.pay.fixed.share,
                    (_, Some(p)) => p.pay.fixed.share,
                    _ => pay.fixed.share,
                };
                fill(t.appraisal_fixed_line, &[&yuan(m.fixed()), &percent(share)])
            }
            PayLine::Achievement => fill(
                t.appraisal_achievement_line,
                &[&yuan(crate::domain::appraisal::round_pay(pay.achievement.achievement)), &yuan(m.achievement_pay())],
            ),
            PayLine::LateMoney => fill(t.appraisal_late_line, &[&yuan(m.late_money())]),
            PayLine::Completion => fill(t.appraisal_completion_line, &[&percent(m.completion())]),
            PayLine::Probation => {
                m.probation.map_or(String::new(), |p| fill(t.appraisal_probation_line, &[&yuan(p.paid)]))
            }
            PayLine::Withheld => fill(t.appraisal_withheld_line, &[&yuan(m.withheld), &m.discipline.join("; ")]),
            PayLine::Paid => fill(t.appraisal_paid_line, &[&yuan(m.performance_pay)]),
        }),
        DetailRow::Evidence(i) => text(format!(" {}", evidence_text(lang, &m.evidence[i]))),
        DetailRow::Entry(i) => {
            let e = &m.entries[i];
            let points = e.points.map(|p| format!(" ({})", pts(p))).unwrap_or_default();
            text(format!(
                " {} ×{}{points}  {}  — {} {}",
                lang.pick(entry_kind_label(e.kind)),
                e.count,
                e.reason,
                e.entered_by,
                e.entered_at.format("%m-%d %H:%M")
            ))
        }
        DetailRow::Nothing => Line::from(Span::styled(format!(" {}", t.appraisal_none), theme.get(Slot::Muted))),
        DetailRow::Planner(_) | DetailRow::Project(_) | DetailRow::Team(_) => text(post_line(ctx, m, row)),
    }
}

/// A team leader's or a planner's lines of the sheet.
fn post_line(ctx: &Ctx, m: &ManagerMonth, row: DetailRow) -> String {
    let t = ctx.t();
    match row {
        DetailRow::Planner(line) => {
            let Some(p) = &m.planner else { return String::new() };
            match line {
                PlannerLine::WrittenPlan => {
                    fill(t.appraisal_planner_written, &[&p.inputs.written_plans, &pts(p.sheet.written_plan)])
                }
                PlannerLine::Results => fill(t.appraisal_planner_results, &[&pts(p.sheet.results)]),
                PlannerLine::Behaviour => fill(t.appraisal_planner_behaviour, &[&pts(p.sheet.behaviour)]),
                PlannerLine::Bonus => {
                    fill(t.appraisal_planner_bonus, &[&p.inputs.circulated_cases, &pts(p.sheet.bonus)])
                }
                PlannerLine::Total => fill(t.appraisal_total_line, &[&pts(p.sheet.total), &pts(p.sheet.total)]),
            }
        }
        DetailRow::Project(i) => {
            let Some(project) = m.planner.as_ref().and_then(|p| p.pay.projects.get(i)) else { return String::new() };
            fill(
                t.appraisal_project_line,
                &[&project.project.name, &yuan(project.project.collected), &percent(project.rate), &fen(project.pay)],
            )
        }
        DetailRow::Team(line) => {
            let Some(team) = &m.team else { return String::new() };
            let (pay, month) = (&team.pay, &team.team);
            match line {
                TeamLine::Members => {
                    fill(t.appraisal_team_members, &[&month.members, &fen(pay.team_achievement), &yuan(month.target)])
                }
                TeamLine::PerHead => fill(
                    t.appraisal_team_per_head,
                    &[&fen(pay.per_head), &pay.heads, &percent(month.accrual_ratio), &percent(pay.target_completion)],
                ),
                TeamLine::Part => fill(t.appraisal_team_part, &[&fen(pay.team_part)]),
            }
        }
        _ => String::new(),
    }
}

fn status_text(ctx: &Ctx, m: &ManagerMonth) -> String {
    let t = ctx.t();
    let mut flags = vec![match &m.frozen {
        Some(_) => t.appraisal_closed.to_string(),
        None => t.appraisal_open.to_string(),
    }];
    if m.frozen.is_none() && m.unranked {
        flags.push(t.appraisal_flag_unranked.to_string());
    }
    if !m.terms_set {
        flags.push(t.appraisal_flag_no_terms.to_string());
    }
    if m.post != Post::AccountManager {
        flags.push(ctx.lang.pick(crate::i18n::post_label(m.post)).to_string());
    }
    flags.join(" ")
}

pub fn draw(s: &mut AppraisalScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let t = ctx.t();
    let [title, head, body, foot] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1), Constraint::Min(0), Constraint::Length(1)])
            .areas(area);
    let unit = ctx.reference.unit(s.unit).map(|u| u.name.clone()).unwrap_or_default();
    let month = s.month.to_string();
    let mut path = vec![t.screen_appraisal, month.as_str(), unit.as_str()];
    let name;
    if let Some(m) = s.current() {
        name = m.name.clone();
        path.push(&name);
    }
    draw_title(f, title, &ctx.theme, t, &path, t.nav_hint);
    let head_line = match (&s.message, s.current()) {
        (Some((true, e)), _) => Span::styled(format!(" {}", clean(e)), ctx.theme.get(Slot::Error)),
        (Some((false, i)), _) => Span::styled(format!(" {}", clean(i)), ctx.theme.get(Slot::Ok)),
        (None, Some(m)) => Span::styled(sheet_status(ctx, m), ctx.theme.get(Slot::Header)),
        (None, None) if s.pending.is_some() && (s.sheets.is_empty() || s.detail.is_some()) => {
            Span::styled(format!(" {}", t.appraisal_loading), ctx.theme.get(Slot::Muted))
        }
        (None, None) => {
            Span::styled(format!(" {}", fill(t.appraisal_summary, &[&s.sheets.len()])), ctx.theme.get(Slot::Header))
        }
    };
    f.render_widget(Paragraph::new(head_line), head);
    if s.detail.is_some() {
        draw_detail(s, f, body, ctx);
    } else {
        draw_table(s, f, body, ctx);
    }
    let hint = if s.detail.is_some() { t.appraisal_hint_sheet } else { t.appraisal_hint_table };
    f.render_widget(
        Paragraph::new(Span::styled(truncate(hint, usize::from(foot.width)), ctx.theme.get(Slot::Muted))),
        foot,
    );
    if let Some(form) = &mut s.form {
        form.draw(f, body, ctx);
    }
    if let Some(confirm) = &s.confirm {
        draw_confirm(f, body, ctx, confirm);
    }
}

fn sheet_status(ctx: &Ctx, m: &ManagerMonth) -> String {
    let t = ctx.t();
    match &m.frozen {
        Some(fz) => fill(t.appraisal_frozen_by, &[&fz.by, &fz.at.format("%Y-%m-%d %H:%M")]),
        None => fill(t.appraisal_as_of, &[&m.judged_on]),
    }
}

fn draw_table(s: &mut AppraisalScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let t = ctx.t();
    let sheets = s.sheets.clone();
    let names = widest(sheets.iter().map(|m| m.name.as_str()), 12);
    // Wide terminals show whole unit names: the status takes no more than its
    // longest, so the room left goes to the unit.
    let units = widest(sheets.iter().map(|m| m.unit_name.as_str()), 30);
    let statuses: Vec<String> = sheets.iter().map(|m| status_text(ctx, m)).collect();
    let status_w = widest(statuses.iter().map(String::as_str), 40).max(6);
    let columns = vec![
        Column::flex(t.report_col_manager, 6, names, names),
        Column::flex(t.appraisal_col_unit, 4, units.min(10), units).priority(2),
        Column::fixed(t.appraisal_col_score, 6).right(),
        Column::fixed(t.appraisal_col_fixed, 10).right(),
        // The short heading: at 80 columns the English one would crowd the pay out.
        Column::fixed(t.appraisal_col_achievement_pay_short, 11).right().priority(1),
        Column::fixed(t.appraisal_col_late_money, 9).right().priority(3),
        Column::fixed(t.appraisal_col_completion, 8).right(),
        Column::fixed(t.appraisal_col_pay, 11).right(),
        Column::flex(t.appraisal_col_status, 6, status_w.min(6), status_w),
    ];
    let (warning, error) = (ctx.theme.get(Slot::Warning), ctx.theme.get(Slot::Error));
    let table = DataTable::new(&ctx.theme, columns).empty(t.appraisal_no_managers);
    table.render(f, area, sheets.len(), Some(s.selected), &mut s.view, |i| {
        let m = sheets.get(i)?;
        let cells = vec![
            Cell::text(&m.name),
            Cell::text(&m.unit_name),
            Cell::text(&pts(m.score())),
            Cell::text(&yuan(m.fixed())),
            Cell::text(&yuan(m.achievement_pay())),
            // A planner has no late money and only an account manager's pay
            // takes the completion rate (SPEC §10.5).
            Cell::text(&if m.planner.is_some() { "—".to_string() } else { yuan(m.late_money()) }),
            Cell::text(&if m.post == Post::AccountManager { percent(m.completion()) } else { "—".to_string() }),
            Cell::text(&yuan(m.performance_pay)),
            Cell::text(&statuses[i]),
        ];
        let style = if m.score() < Decimal::from(60) {
            error
        } else if m.score() < Decimal::from(80) || (m.frozen.is_none() && m.unranked) || !m.terms_set {
            warning
        } else {
            Style::default()
        };
        Some(Row::new(cells).style(style))
    });
}

fn draw_detail(s: &mut AppraisalScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let Some(d) = s.detail else { return };
    let sheets = std::sync::Arc::clone(&s.sheets);
    // Drawn once it is read in full.
    let Some(m) = sheets.get(d.index).filter(|m| Some(m.staff_id) == s.full) else { return };
    let rows = rows(m);
    s.detail_view.height = usize::from(area.height);
    let range = s.detail_view.follow(d.selected, rows.len());
    let cols = usize::from(area.width);
    let lines: Vec<Line> = rows[range.clone()]
        .iter()
        .enumerate()
        .map(|(k, row)| {
            let line = crate::ui::widgets::table::fit(row_line(ctx, m, *row), cols, false);
            if range.start + k == d.selected { line.style(ctx.theme.get(Slot::Selection)) } else { line }
        })
        .collect();
    f.render_widget(Paragraph::new(lines), area);
}

fn draw_confirm(f: &mut Frame, area: Rect, ctx: &Ctx, confirm: &Confirm) {
    let t = ctx.t();
    if area.width < 20 || area.height < 4 {
        return;
    }
    let h = 4.min(area.height);
    let boxed = Rect { y: area.y + area.height - h, height: h, ..area };
    f.render_widget(Clear, boxed);
    let title = match confirm {
        Confirm::Close => t.appraisal_close_title,
        Confirm::Reopen(..) => t.appraisal_reopen_title,
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(ctx.theme.get(Slot::Border))
        .title(Span::styled(format!(" {title} "), ctx.theme.get(Slot::Title)));
    let inner = block.inner(boxed);
    f.render_widget(block, boxed);
    match confirm {
        Confirm::Close => {
            f.render_widget(Paragraph::new(truncate(t.appraisal_close_question, usize::from(inner.width))), inner);
        }
        Confirm::Reopen(input, error) => {
            let label = format!("{}: ", t.appraisal_reopen_reason);
            let w = crate::ui::widgets::text::cells_of(&label).min(inner.width);
            f.render_widget(Paragraph::new(label), Rect { width: w, height: 1, ..inner });
            let r = Rect { x: inner.x + w, width: inner.width.saturating_sub(w), height: 1, ..inner };
            input.draw(f, r, ctx.theme.get(Slot::InputFocus), true);
            if let Some(error) = error.as_deref().filter(|_| inner.height >= 2) {
                let note = truncate(&format!("⚠ {error}"), usize::from(r.width));
                let r = Rect { y: inner.y + 1, height: 1, ..r };
                f.render_widget(Paragraph::new(Span::styled(note, ctx.theme.get(Slot::Error))), r);
            }
        }
    }
}
