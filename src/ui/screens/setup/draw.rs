//! Drawing the set-up screen: tabs, the list of the tab, the selected entry's
//! use and latest changes, and the keys (or that it is read-only).

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{change_text, tree_prefixes};
use super::{SetupScreen, Tab};
use crate::ctx::Ctx;
use crate::i18n::unit_level_label;
use crate::keymap::{Command, Mode};
use crate::theme::Slot;
use crate::ui::screens::draw_title;
use crate::ui::widgets::scroll::keep_visible;
use crate::ui::widgets::text::{clean, pad, truncate, width};

pub fn draw(s: &mut SetupScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let t = ctx.t();
    let detail_h = if area.height >= 16 { u16::try_from(1 + super::HISTORY_LINES).unwrap_or(1) } else { 1 };
    let [title, tabs, header, body, detail, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(detail_h),
        Constraint::Length(1),
    ])
    .areas(area);
    let note = if ctx.user.may_administer().is_ok() { "" } else { t.setup_read_only };
    draw_title(f, title, &ctx.theme, ctx.t(), &[t.screen_setup], note);
    draw_tabs(s, f, tabs, ctx);

    let w = area.width as usize;
    let rows = body.height as usize;
    let selected = s.selected();
    s.scroll = keep_visible(selected, s.scroll, rows);
    let (head, lines) = match s.tab {
        Tab::Units => unit_lines(s, ctx, w),
        Tab::Industries | Tab::ServiceLines => entry_lines(s, ctx, w),
    };
    f.render_widget(Paragraph::new(Span::styled(truncate(&head, w), ctx.theme.get(Slot::Header))), header);
    if let Some(err) = &s.error {
        f.render_widget(Paragraph::new(Span::styled(clean(err), ctx.theme.get(Slot::Error))), body);
    } else if lines.is_empty() {
        f.render_widget(Paragraph::new(Span::styled(format!(" {}", t.setup_empty), ctx.theme.get(Slot::Muted))), body);
    } else {
        let shown: Vec<Line> = lines
            .into_iter()
            .enumerate()
            .skip(s.scroll)
            .take(rows)
            .map(|(i, (text, archived))| {
                let style = if i == selected {
                    ctx.theme.get(Slot::Selection)
                } else if archived {
                    ctx.theme.get(Slot::Muted)
                } else {
                    ctx.theme.get(Slot::Base)
                };
                Line::from(Span::styled(pad(&truncate(&text, w), w), style))
            })
            .collect();
        f.render_widget(Paragraph::new(shown), body);
    }
    draw_detail(s, f, detail, ctx);
    draw_hint(f, hint, ctx, s.tab == Tab::Units);
}

fn draw_tabs(s: &SetupScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let t = ctx.t();
    let mut spans = vec![Span::raw(" ")];
    for tab in Tab::ALL {
        let (label, n) = match tab {
            Tab::Units => (t.setup_tab_units, s.units.len()),
            Tab::Industries => (t.setup_tab_industries, s.industries.len()),
            Tab::ServiceLines => (t.setup_tab_lines, s.lines.len()),
        };
        let style = if tab == s.tab { ctx.theme.get(Slot::TabActive) } else { ctx.theme.get(Slot::Tab) };
        spans.push(Span::styled(format!("{label} ({n})"), style));
        spans.push(Span::raw("  "));
    }
    if s.show_archived {
        spans
            .push(Span::styled(format!("({})", t.archived_shown.trim_matches(['(', ')'])), ctx.theme.get(Slot::Muted)));
    }
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Column widths of the unit tree: code with its branches, name, division, level.
fn unit_lines(s: &SetupScreen, ctx: &Ctx, w: usize) -> (String, Vec<(String, bool)>) {
    let t = ctx.t();
    let prefixes = tree_prefixes(&s.units.iter().map(|u| u.depth).collect::<Vec<_>>());
    let codes: Vec<String> = s.units.iter().zip(&prefixes).map(|(u, p)| format!("{p}{}", clean(&u.code))).collect();
    let level_w = crate::domain::org::UnitLevel::ALL
        .iter()
        .map(|l| width(ctx.lang.pick(unit_level_label(*l))))
        .chain([width(t.setup_col_level)])
        .max()
        .unwrap_or(6);
    let div_w = width(t.setup_col_division).max(6);
    let code_w = codes.iter().map(|c| width(c)).chain([width(t.setup_col_code)]).max().unwrap_or(4).min(w / 3);
    // As wide as the longest name (archived mark included), as far as the terminal allows.
    let longest = s.units.iter().map(|u| width(&u.name) + if u.archived { width(t.archived_mark) + 3 } else { 0 });
    let wanted = longest.chain([width(t.setup_col_name)]).max().unwrap_or(4) + 2;
    let name_w = w.saturating_sub(1 + code_w + 1 + div_w + 1 + level_w + 1).clamp(4, wanted.max(4));
    let head = format!(
        " {} {} {} {}",
        pad(t.setup_col_code, code_w),
        pad(t.setup_col_name, name_w),
        pad(t.setup_col_division, div_w),
        t.setup_col_level
    );
    let lines = s
        .units
        .iter()
        .zip(codes)
        .map(|(u, code)| {
            let mut name = clean(&u.name);
            if u.archived {
                name = format!("[{}] {name}", t.archived_mark);
            }
            let level = u.level.map(|l| ctx.lang.pick(unit_level_label(l))).unwrap_or("?");
            let text = format!(
                " {} {} {} {}",
                pad(&code, code_w),
                pad(&name, name_w),
                pad(&u.division_code, div_w),
                pad(level, level_w)
            );
            (text, u.archived)
        })
        .collect();
    (head, lines)
}

fn entry_lines(s: &SetupScreen, ctx: &Ctx, w: usize) -> (String, Vec<(String, bool)>) {
    let t = ctx.t();
    let entries = if s.tab == Tab::Industries { &s.industries } else { &s.lines };
    let code_w = entries.iter().map(|e| width(&e.code)).chain([width(t.setup_col_code)]).max().unwrap_or(4).min(16);
    let longest = entries.iter().map(|e| width(&e.name_zh) + if e.archived { width(t.archived_mark) + 3 } else { 0 });
    let wanted = longest.chain([width(t.setup_col_name)]).max().unwrap_or(4) + 2;
    let name_w = (w.saturating_sub(code_w + 3) / 2).clamp(4, wanted.max(4));
    let head = format!(" {} {} {}", pad(t.setup_col_code, code_w), pad(t.setup_col_name, name_w), t.setup_col_name_en);
    let lines = entries
        .iter()
        .map(|e| {
            let mut name = clean(&e.name_zh);
            if e.archived {
                name = format!("[{}] {name}", t.archived_mark);
            }
            (format!(" {} {} {}", pad(&clean(&e.code), code_w), pad(&name, name_w), clean(&e.name_en)), e.archived)
        })
        .collect();
    (head, lines)
}

fn draw_detail(s: &SetupScreen, f: &mut Frame, area: Rect, ctx: &Ctx) {
    let w = area.width as usize;
    let mut lines = Vec::new();
    let head = if s.detail.usage.is_empty() { "──".to_string() } else { format!("── {}", s.detail.usage) };
    lines.push(Line::from(Span::styled(truncate(&head, w), ctx.theme.get(Slot::Muted))));
    for row in s.detail.history.iter().take(area.height.saturating_sub(1) as usize) {
        let when = row.changed_at.get(..16).unwrap_or(&row.changed_at);
        let who = crate::i18n::history_who(ctx.lang, &row.changed_by, row.acted_by.as_deref());
        let text = format!(" {when} {} {}", clean(&who), change_text(ctx.lang, row));
        lines.push(Line::from(Span::styled(truncate(&text, w), ctx.theme.get(Slot::Muted))));
    }
    f.render_widget(Paragraph::new(lines), area);
}

/// The set-up keys an administrator has, from the key map; others read.
fn draw_hint(f: &mut Frame, area: Rect, ctx: &Ctx, units: bool) {
    let t = ctx.t();
    if ctx.user.may_administer().is_err() {
        let text = format!(" {} · {} {}", t.setup_read_only, key(ctx, Command::NextTab), t.setup_hint_tab);
        f.render_widget(
            Paragraph::new(Span::styled(truncate(&text, area.width as usize), ctx.theme.get(Slot::Muted))),
            area,
        );
        return;
    }
    let parts = [
        (Command::New, t.setup_hint_new),
        (Command::Edit, t.setup_hint_edit),
        (Command::MoveUnit, t.setup_hint_move),
        (Command::Archive, t.setup_hint_archive),
        (Command::Restore, t.setup_hint_restore),
        (Command::ShowArchived, t.setup_hint_archived),
        (Command::NextTab, t.setup_hint_tab),
    ];
    let text: Vec<String> = parts
        .iter()
        .filter(|(c, _)| *c != Command::MoveUnit || units)
        .map(|(c, word)| format!("{} {word}", key(ctx, *c)))
        .filter(|p| !p.starts_with(' '))
        .collect();
    let text = format!(" {}", text.join(" · "));
    f.render_widget(
        Paragraph::new(Span::styled(truncate(&text, area.width as usize), ctx.theme.get(Slot::Muted))),
        area,
    );
}

/// The first key bound to `cmd` on this screen, as help shows it.
fn key(ctx: &Ctx, cmd: Command) -> String {
    ctx.keymap
        .bindings(Mode::Setup)
        .into_iter()
        .find(|(_, c)| *c == cmd)
        .and_then(|(keys, _)| keys.split(' ').next().map(str::to_string))
        .unwrap_or_default()
}
