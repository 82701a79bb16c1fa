//! Drawing the analysis report screen: the document laid out for the width
//! (tables drop their least needed columns first, text wraps by display
//! width), scrolled to the selected part, with the edit box or the hint below.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block as Frame_, Borders, Paragraph};

use super::draw_title;
use super::report::ReportScreen;
use crate::ctx::Ctx;
use crate::domain::analysis_report::WrittenPart;
use crate::export::analysis_report::{Block, cell_text, parts, stamp_text, status_text};
use crate::export::table::Cell;
use crate::i18n::fill;
use crate::theme::Slot;
use crate::ui::widgets::text::{clean, pad, truncate, width, wrap};

/// One line of the document, and the written part it shows (if any).
struct DocLine {
    line: Line<'static>,
    part: Option<WrittenPart>,
}

pub(super) fn draw(f: &mut Frame, area: Rect, ctx: &Ctx, s: &mut ReportScreen) {
    let t = ctx.t();
    let edit_rows = if s.editing.is_some() { (area.height / 3).clamp(3, 8) } else { 1 };
    let [title, status, body, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(edit_rows),
    ])
    .areas(area);
    let month = crate::export::analysis_report::period_name(ctx.lang, &s.report);
    let kind = match s.key.kind {
        crate::domain::analysis_report::ReportKind::Monthly => t.ar_title,
        crate::domain::analysis_report::ReportKind::Quarterly => t.ar_title_quarterly,
    };
    draw_title(f, title, &ctx.theme, t, &[kind, &month, &s.unit_name], status_text(ctx.lang, s.report.status()));
    draw_status(f, status, ctx, s);

    let cols = body.width as usize;
    let doc = document(ctx, s, cols.saturating_sub(1));
    let height = body.height as usize;
    s.page = height.max(1);
    if s.follow {
        let part = WrittenPart::ALL[s.selected];
        if let Some(first) = doc.iter().position(|l| l.part == Some(part)) {
            let last = doc.iter().rposition(|l| l.part == Some(part)).unwrap_or(first);
            if first < s.scroll || last >= s.scroll + height {
                // The part's heading (two lines up) and its text, as much as fits.
                s.scroll = first.saturating_sub(2);
            }
        }
        s.follow = false;
    }
    s.scroll = s.scroll.min(doc.len().saturating_sub(height));
    let shown: Vec<Line> = doc.into_iter().skip(s.scroll).take(height).map(|l| l.line).collect();
    f.render_widget(Paragraph::new(shown), body);

    if let Some((part, input)) = &s.editing {
        let label = fill(t.ar_editing, &[&crate::ui::written_part_title(ctx.lang, part.column())]);
        let frame = Frame_::default()
            .borders(Borders::TOP)
            .border_style(ctx.theme.get(Slot::Border))
            .title(Span::styled(clean(&label), ctx.theme.get(Slot::Accent)));
        let inner = frame.inner(bottom);
        f.render_widget(frame, bottom);
        input.draw_wrapped(f, inner, ctx.theme.get(Slot::InputFocus), true);
        return;
    }
    let (hint, slot) = match s.question(ctx) {
        Some(q) => (q, Slot::Warning),
        None if s.editable() => (t.ar_hint_edit.to_string(), Slot::Muted),
        None if s.report.frozen() => (t.ar_hint_submitted.to_string(), Slot::Muted),
        None => (t.ar_hint_read.to_string(), Slot::Muted),
    };
    f.render_widget(Paragraph::new(Span::styled(truncate(&hint, cols), ctx.theme.get(slot))), bottom);
}

/// Status, deadline, who saved or submitted, where the figures come from.
fn draw_status(f: &mut Frame, area: Rect, ctx: &Ctx, s: &ReportScreen) {
    let t = ctx.t();
    let mut spans = vec![Span::styled(status_text(ctx.lang, s.report.status()), ctx.theme.get(Slot::Accent))];
    let sep = || Span::styled(" · ", ctx.theme.get(Slot::Muted));
    if let Some(d) = s.deadline {
        spans.push(sep());
        let overdue = !s.report.frozen() && s.today > d;
        let text = if overdue {
            format!("{} {}", fill(t.ar_deadline, &[&d]), t.ar_overdue)
        } else {
            fill(t.ar_deadline, &[&d])
        };
        spans.push(Span::styled(text, ctx.theme.get(if overdue { Slot::Alert } else { Slot::Base })));
    }
    if let Some(stamp) = stamp_text(ctx.lang, &s.report) {
        spans.push(sep());
        spans.push(Span::styled(clean(&stamp), ctx.theme.get(Slot::Muted)));
    }
    spans.push(sep());
    let source = if s.report.frozen() { t.ar_figures_frozen } else { t.ar_figures_live };
    spans.push(Span::styled(source, ctx.theme.get(Slot::Muted)));
    // Cut by display width as a whole line: the terminal never gets half a character.
    // Whole items go from the end until the line fits: never half an item or half a character.
    while spans.len() > 1 && spans.iter().map(|s| width(&s.content)).sum::<usize>() > area.width as usize {
        spans.truncate(spans.len() - 2);
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The whole document laid out for `cols` columns.
fn document(ctx: &Ctx, s: &ReportScreen, cols: usize) -> Vec<DocLine> {
    let t = ctx.t();
    let theme = &ctx.theme;
    let plain =
        |text: String, slot: Slot| DocLine { line: Line::from(Span::styled(text, theme.get(slot))), part: None };
    let mut out: Vec<DocLine> = Vec::new();
    let selected = WrittenPart::ALL[s.selected];
    for part in parts(ctx.lang, &s.report, &s.texts) {
        if !out.is_empty() {
            out.push(plain(String::new(), Slot::Base));
        }
        out.push(plain(truncate(&part.title, cols), Slot::Header));
        for block in part.blocks {
            match block {
                Block::Fields(fields) => {
                    let pieces: Vec<Vec<Span<'static>>> = fields
                        .iter()
                        .map(|(label, value)| {
                            vec![
                                Span::styled(format!("{label} "), theme.get(Slot::Muted)),
                                Span::styled(clean(&cell_text(value)), theme.get(Slot::Base)),
                            ]
                        })
                        .collect();
                    let sep = Span::styled("   ", Style::default());
                    for line in crate::ui::widgets::text::flow(pieces, &sep, cols.saturating_sub(2)) {
                        let mut spans = vec![Span::raw("  ")];
                        spans.extend(line.spans);
                        out.push(DocLine { line: Line::from(spans), part: None });
                    }
                }
                Block::Caption(text) => out.push(plain(format!("  {}", truncate(&clean(&text), cols)), Slot::Accent)),
                Block::Text { text, written: None } => {
                    out.push(plain(format!("  {}", truncate(&clean(&text), cols.saturating_sub(2))), Slot::Muted));
                }
                Block::Text { text, written: Some(part) } => {
                    let mark = if part == selected { "▌ " } else { "  " };
                    let editing = s.editing.as_ref().is_some_and(|(p, _)| *p == part);
                    let mark_style = theme.get(if part == selected { Slot::Accent } else { Slot::Muted });
                    let (lines, slot) = if text.is_empty() {
                        (vec![t.ar_not_written.to_string()], Slot::Muted)
                    } else {
                        (wrap(&clean(&text), cols.saturating_sub(2)), if editing { Slot::Muted } else { Slot::Base })
                    };
                    for line in lines {
                        out.push(DocLine {
                            line: Line::from(vec![Span::styled(mark, mark_style), Span::styled(line, theme.get(slot))]),
                            part: Some(part),
                        });
                    }
                }
                Block::Table { headings, rows, total } => {
                    for (i, line) in table_lines(ctx, &headings, &rows, total.as_ref(), cols.saturating_sub(2))
                        .into_iter()
                        .enumerate()
                    {
                        let slot = if i == 0 { Slot::Muted } else { Slot::Base };
                        out.push(plain(format!("  {line}"), slot));
                    }
                }
            }
        }
    }
    out
}

/// How little a column is needed on a narrow screen: the highest goes first.
fn dispensable(ctx: &Ctx, heading: &str) -> u8 {
    let t = ctx.t();
    match heading {
        h if h == t.report_col_rank => 6,
        h if h == t.col_id => 5,
        h if h == t.report_col_year_ago => 4,
        h if h == t.report_ytd || h == t.report_col_share => 3,
        h if h == t.report_yoy || h == t.report_col_manager => 2,
        h if h == t.report_col_previous => 1,
        _ => 0,
    }
}

/// A table as aligned text lines (headings first) that fit `cols`: the least
/// needed columns are left out until the rest fit; amounts align right.
fn table_lines(
    ctx: &Ctx,
    headings: &[String],
    rows: &[Vec<Cell>],
    total: Option<&Vec<Cell>>,
    cols: usize,
) -> Vec<String> {
    let body: Vec<&Vec<Cell>> = rows.iter().chain(total).collect();
    let texts: Vec<Vec<String>> = body.iter().map(|r| r.iter().map(|c| clean(&cell_text(c))).collect()).collect();
    let widths: Vec<usize> = headings
        .iter()
        .enumerate()
        .map(|(i, h)| texts.iter().filter_map(|r| r.get(i)).map(|c| width(c)).chain([width(h)]).max().unwrap_or(0))
        .collect();
    let mut keep: Vec<usize> = (0..headings.len()).collect();
    let need = |keep: &[usize]| keep.iter().map(|i| widths[*i].min(24) + 2).sum::<usize>();
    while need(&keep) > cols && keep.len() > 1 {
        let drop = keep
            .iter()
            .enumerate()
            .max_by_key(|(pos, i)| (dispensable(ctx, &headings[**i]), *pos))
            .map(|(pos, _)| pos)
            .unwrap_or(keep.len() - 1);
        if dispensable(ctx, &headings[keep[drop]]) == 0 {
            break;
        }
        keep.remove(drop);
    }
    let right =
        |i: usize| body.iter().any(|r| matches!(r.get(i), Some(Cell::Money(_) | Cell::Count(_) | Cell::Ratio(_))));
    let line = |cells: &dyn Fn(usize) -> String| {
        let mut out = String::new();
        for &i in &keep {
            let w = widths[i].min(24);
            let text = truncate(&cells(i), w);
            if right(i) {
                out.push_str(&" ".repeat(w - width(&text)));
                out.push_str(&text);
            } else {
                out.push_str(&pad(&text, w));
            }
            out.push_str("  ");
        }
        truncate(out.trim_end(), cols)
    };
    let mut lines = vec![line(&|i| clean(&headings[i]))];
    for row in &texts {
        lines.push(line(&|i| row.get(i).cloned().unwrap_or_default()));
    }
    lines
}
