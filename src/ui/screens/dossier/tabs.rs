//! The content of each dossier tab.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::header::explanation;
use crate::ctx::Ctx;
use crate::db::customers::{CustomerRow, Dossier};
use crate::db::history::HistoryRow;
use crate::db::records::{Record, RecordKind};
use crate::db::reference::{Reference, ServiceLine};
use crate::domain::dossier::{FieldKind, FieldSpec, FieldValue};
use crate::domain::id::CustomerId;
use crate::domain::revenue::Month;
use crate::domain::tier::assess_tier;
use crate::i18n::{
    Lang, choice_label, complaint_category_label, complaint_state_label, field_label, method_label, satisfaction_label,
    severity_label, stage_label, tier_label, visit_kind_label, visit_status_label,
};
use crate::theme::Slot;
use crate::ui::widgets::table::{Cell, Column, DataTable, Row, Viewport, widest};
use crate::ui::widgets::text::{cells, clean, pad, width, wrap};

/// A field's value as shown (reference ids become names, codes become labels).
pub fn show_value(ctx: &Ctx, spec: &FieldSpec, value: &FieldValue) -> String {
    clean(&match (spec.kind, value) {
        (_, FieldValue::Null) => String::new(),
        (FieldKind::Staff, FieldValue::Int(id)) => ctx.reference.staff(*id).map(|s| s.name.clone()).unwrap_or_default(),
        (FieldKind::Unit, FieldValue::Int(id)) => ctx.reference.unit(*id).map(|u| u.name.clone()).unwrap_or_default(),
        (FieldKind::Industry, FieldValue::Int(id)) => {
            ctx.reference.industry(*id).map(|i| ctx.lang.pick((&i.name_zh, &i.name_en)).to_string()).unwrap_or_default()
        }
        (FieldKind::Choice(_), FieldValue::Text(code)) => ctx.lang.pick(choice_label(code)).to_string(),
        (_, FieldValue::Money(m)) => m.format_yuan(),
        (_, v) => v.edit_text(),
    })
}

/// Label–value lines, long values wrapped; `scroll` is clamped to the content.
pub fn draw_fields(
    f: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    d: &Dossier,
    specs: &[FieldSpec],
    scroll: &mut usize,
    with_tier: bool,
) {
    let mut lines: Vec<Line> = Vec::new();
    if with_tier {
        let a = assess_tier(ctx.preset, &d.tier_inputs());
        for l in explanation(ctx, &a, d) {
            for part in wrap(&l, area.width.saturating_sub(1) as usize) {
                lines.push(Line::from(Span::styled(part, ctx.theme.get(Slot::Accent))));
            }
        }
        lines.push(Line::from(""));
    }
    let label_w =
        specs.iter().map(|s| width(ctx.lang.pick(field_label(s.key)))).max().unwrap_or(8).min(area.width as usize / 3)
            + 1;
    let value_w = (area.width as usize).saturating_sub(label_w + 2).max(4);
    for spec in specs {
        let value = show_value(ctx, spec, d.value(spec.key));
        let wrapped = wrap(&value, value_w);
        for (i, part) in wrapped.into_iter().enumerate() {
            let label = if i == 0 { pad(ctx.lang.pick(field_label(spec.key)), label_w) } else { " ".repeat(label_w) };
            lines.push(Line::from(vec![
                Span::styled(label, ctx.theme.get(Slot::Header)),
                Span::raw(" "),
                Span::styled(part, ctx.theme.get(Slot::Base)),
            ]));
        }
    }
    let max_scroll = lines.len().saturating_sub(area.height as usize);
    *scroll = (*scroll).min(max_scroll);
    f.render_widget(Paragraph::new(lines).scroll((cells(*scroll), 0)), area);
}

/// Columns shown in the list of key persons or competitors: (field, min,
/// wanted width, priority). The rest of a record shows under the list.
fn record_columns(kind: RecordKind) -> &'static [(&'static str, u16, u16, u8)] {
    match kind {
        RecordKind::KeyPerson => &[
            ("name", 8, 12, 0),
            ("title", 8, 12, 1),
            ("decision_role", 8, 10, 2),
            ("phone", 13, 13, 3),
            ("birthday", 10, 10, 4),
            ("email", 12, 20, 5),
        ],
        RecordKind::Competitor => {
            &[("name", 8, 16, 0), ("product_price", 12, 20, 1), ("volume", 8, 12, 2), ("market_share", 8, 10, 3)]
        }
    }
}

pub fn draw_records(
    f: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    kind: RecordKind,
    rows: &[Record],
    selected: usize,
    view: &mut Viewport,
) {
    let cols = record_columns(kind);
    // The list takes up to half the height; the selected record's details follow.
    let list_h = cells((area.height as usize / 2).max(3).min(rows.len() + 1));
    let [list, rule, detail] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(list_h.min(area.height)),
        ratatui::layout::Constraint::Length(u16::from(!rows.is_empty())),
        ratatui::layout::Constraint::Min(0),
    ])
    .areas(area);
    // The cells as shown, so each column is as wide as what it holds (up to a cap).
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            cols.iter()
                .map(|(k, ..)| {
                    let spec = kind.fields().iter().find(|s| s.key == *k);
                    let text = spec.map(|s| show_value(ctx, s, r.value(k))).unwrap_or_default();
                    if *k == "name" && r.archived { format!("[{}]{text}", ctx.t().archived_mark) } else { text }
                })
                .collect()
        })
        .collect();
    let columns: Vec<Column> = cols
        .iter()
        .enumerate()
        .map(|(j, (k, min, want, priority))| {
            let content = widest(cells.iter().map(|c| c[j].as_str()), 40);
            Column::flex(ctx.lang.pick(field_label(k)), *min, content.min(*want), content).priority(*priority)
        })
        .collect();
    let (base, muted) = (ctx.theme.get(Slot::Base), ctx.theme.get(Slot::Muted));
    let table = DataTable::new(&ctx.theme, columns).empty(ctx.t().no_records);
    table.render(f, list, rows.len(), Some(selected), view, |i| {
        let r = rows.get(i)?;
        Some(Row::new(cells[i].iter().map(|c| Cell::text(c)).collect()).style(if r.archived { muted } else { base }))
    });
    if rows.is_empty() {
        return;
    }
    f.render_widget(Paragraph::new(Span::styled("─".repeat(area.width as usize), ctx.theme.get(Slot::Border))), rule);
    let mut lines = Vec::new();
    if let Some(r) = rows.get(selected) {
        let label_w = kind.fields().iter().map(|s| width(ctx.lang.pick(field_label(s.key)))).max().unwrap_or(8) + 1;
        for spec in kind.fields() {
            let value = show_value(ctx, spec, r.value(spec.key));
            if value.is_empty() {
                continue;
            }
            let value_w = (area.width as usize).saturating_sub(label_w + 1).max(4);
            for (i, part) in wrap(&value, value_w).into_iter().enumerate() {
                let label =
                    if i == 0 { pad(ctx.lang.pick(field_label(spec.key)), label_w) } else { " ".repeat(label_w) };
                lines.push(Line::from(vec![
                    Span::styled(label, ctx.theme.get(Slot::Header)),
                    Span::raw(" "),
                    Span::raw(part),
                ]));
            }
        }
    }
    f.render_widget(Paragraph::new(lines), detail);
}

/// The customer's headquarters and branches (the current one marked ◀).
pub fn draw_family(
    f: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    rows: &[CustomerRow],
    current: &CustomerId,
    selected: usize,
    view: &mut Viewport,
) {
    let t = ctx.t();
    let lang = ctx.lang;
    let tiers = ctx.preset.tiers().iter().map(|x| lang.pick(tier_label(*x)));
    let columns = vec![
        Column::fixed(t.col_id, 16),
        Column::flex(t.col_short_name, 8, widest(rows.iter().map(|r| r.short_name.as_str()), 20), 24),
        Column::fixed(t.col_tier, widest(tiers, 12)),
        Column::fixed("", 1),
        Column::fill(t.col_full_name, 16).priority(1),
    ];
    let base = ctx.theme.get(Slot::Base);
    DataTable::new(&ctx.theme, columns).render(f, area, rows.len(), Some(selected), view, |i| {
        let r = rows.get(i)?;
        let id = if r.id.is_headquarters() { r.id.to_string() } else { format!("└ {}", r.id) };
        let cells = vec![
            Cell::text(&id),
            Cell::text(&r.short_name),
            Cell::text(lang.pick(tier_label(r.tier))).style(ctx.theme.get(Slot::tier(r.tier))),
            Cell::text(if r.id == *current { "◀" } else { "" }),
            Cell::text(&r.full_name),
        ];
        Some(Row::new(cells).style(base))
    });
}

/// One history row as the dossier's history tab and `kam history` show it:
/// codes become labels, ids become names, amounts yuan, in the user's language.
pub fn history_text(lang: Lang, reference: &Reference, row: &HistoryRow) -> String {
    let t = lang.text();
    if let Some(text) = revenue_history_text(lang, &reference.service_lines, row) {
        return text;
    }
    if let Some(text) = volume_history_text(lang, &reference.service_lines, row) {
        return text;
    }
    if let Some(text) = crate::ui::screens::contracts::history_text(lang, reference, row) {
        return text;
    }
    let entity = match row.entity.as_str() {
        "registration" => format!("{} ", t.registration),
        "fluctuation" => {
            let month = row.entity_id.split('/').nth(1).unwrap_or("");
            let month =
                month.parse().ok().and_then(Month::from_key).map_or_else(|| month.to_string(), |m| m.to_string());
            format!("{} {month} ", t.analysis_fluctuations)
        }
        other => crate::i18n::record_label(other)
            .map_or_else(String::new, |label| format!("{} #{} ", lang.pick(label), row.entity_id)),
    };
    if row.action == "create" {
        let what = row.new_value.as_deref().unwrap_or("");
        let what = match row.entity.as_str() {
            // "in_person 2026-11-23 09:30:00": the kind and when.
            "visit" => match what.split_once(' ') {
                Some((kind, at)) => {
                    format!("{} {}", history_value(lang, reference, "visit", "kind", kind), minutes(at))
                }
                None => history_value(lang, reference, "visit", "kind", what),
            },
            "marketing_log" => history_value(lang, reference, "marketing_log", "stage", what),
            _ => what.to_string(),
        };
        let created =
            if what.is_empty() { t.history_created.to_string() } else { format!("{}: {what}", t.history_created) };
        return clean(&format!("{entity}{created}"));
    }
    let field = row.field.as_deref().unwrap_or("");
    let shown = |v: &Option<String>| match v.as_deref() {
        None => "∅".to_string(),
        Some("") => String::new(),
        Some(v) => history_value(lang, reference, &row.entity, field, v),
    };
    let label = match row.entity.as_str() {
        "service_request" => crate::i18n::request_field_label(field).unwrap_or_else(|| field_label(field)),
        _ => field_label(field),
    };
    clean(&format!("{entity}{}: {} → {}", lang.pick(label), shown(&row.old_value), shown(&row.new_value)))
}

/// A stored value of `entity`'s `field` as the user reads it.
fn history_value(lang: Lang, reference: &Reference, entity: &str, field: &str, v: &str) -> String {
    use crate::domain::complaint::{Category, ComplaintState, Satisfaction, Severity};
    use crate::domain::marketing_log::{DealStage, Method};
    use crate::domain::visit::{VisitKind, VisitState, VisitStatus};
    let label =
        |pair: Option<(&'static str, &'static str)>| pair.map_or_else(|| v.to_string(), |p| lang.pick(p).into());
    let staff = || match v.parse::<i64>() {
        Ok(id) => reference.staff(id).map_or_else(|| format!("#{id}"), |s| s.name.clone()),
        Err(_) => v.to_string(),
    };
    let t = lang.text();
    match (entity, field) {
        (_, "tier" | "tier_override") => label(crate::domain::tier::Tier::from_code(v).map(tier_label)),
        ("customer", f) if crate::domain::dossier::customer_field(f).is_some_and(|s| s.kind == FieldKind::Money) => v
            .parse::<i64>()
            .map(|fen| crate::domain::money::Money::from_fen(fen).format_yuan())
            .unwrap_or_else(|_| v.to_string()),
        ("customer", "owner_a" | "owner_b") | ("visit", "owner_id") | ("complaint", "handler_id") => staff(),
        ("customer", "unit_id") => match v.parse::<i64>() {
            Ok(id) => reference.unit(id).map_or_else(|| format!("#{id}"), |u| u.name.clone()),
            Err(_) => v.to_string(),
        },
        ("customer", "industry_id") => match v.parse::<i64>() {
            Ok(id) => reference
                .industry(id)
                .map_or_else(|| format!("#{id}"), |i| lang.pick((&i.name_zh, &i.name_en)).to_string()),
            Err(_) => v.to_string(),
        },
        (_, "archived" | "one_off" | "follow_up") => match v {
            "1" => t.yes.into(),
            "0" => t.no.into(),
            _ => v.to_string(),
        },
        ("visit", "kind") => label(VisitKind::from_code(v).map(visit_kind_label)),
        ("visit", "state") => label(VisitState::from_code(v).map(|s| {
            visit_status_label(match s {
                VisitState::Planned => VisitStatus::Planned,
                VisitState::Done => VisitStatus::Done,
                VisitState::Cancelled => VisitStatus::Cancelled,
            })
        })),
        (_, "planned_at" | "done_at" | "deadline" | "closed_at") => minutes(v),
        ("complaint", "state") => label(ComplaintState::from_code(v).map(complaint_state_label)),
        ("complaint", "severity") => label(Severity::from_code(v).map(severity_label)),
        ("complaint", "category") => label(Category::from_code(v).map(complaint_category_label)),
        (_, "satisfaction") => label(Satisfaction::from_code(v).map(satisfaction_label)),
        ("marketing_log", "method") => label(Method::from_code(v).map(method_label)),
        ("service_request", _) => request_history_value(lang, field, v),
        ("marketing_log", "stage") => label(DealStage::from_code(v).map(stage_label)),
        (_, "kind" | "stage" | "status" | "registration" | "decision" | "decision_role") => {
            let l = lang.pick(choice_label(v));
            if l == "?" { v.to_string() } else { l.to_string() }
        }
        _ => v.to_string(),
    }
}

/// A service request's stored value as the user reads it (codes as labels,
/// times to the minute).
fn request_history_value(lang: Lang, field: &str, v: &str) -> String {
    use crate::domain::request::{Area, RequestKind, RequestStatus, ServiceMode};
    let label =
        |pair: Option<(&'static str, &'static str)>| pair.map_or_else(|| v.to_string(), |p| lang.pick(p).into());
    match field {
        "status" => label(RequestStatus::from_code(v).map(crate::i18n::request_status_label)),
        "kind" => label(RequestKind::from_code(v).map(crate::i18n::request_kind_label)),
        "mode" => label(ServiceMode::from_code(v).map(crate::i18n::service_mode_label)),
        "area" => label(Area::from_code(v).map(crate::i18n::area_label)),
        "special" => match v {
            "1" => lang.text().yes.into(),
            "0" => lang.text().no.into(),
            _ => v.to_string(),
        },
        "due_at" | "notified_at" | "phone_contact_at" | "done_at" => minutes(v),
        _ => v.to_string(),
    }
}

/// "2026-11-23 09:30:00" to the minute, as every screen shows times.
fn minutes(at: &str) -> String {
    // A time of record carries its offset: shown in the bureau's zone.
    let at = crate::time::shown(at);
    match at.len() {
        19 if at.ends_with(":00") => at[..16].to_string(),
        _ => at,
    }
}

/// A revenue cell's change ("revenue:202610:letters", amounts in fen) as
/// "Revenue 2026-10 Letters: 1,200.00 → 1,500.00".
fn revenue_history_text(lang: Lang, lines: &[ServiceLine], row: &HistoryRow) -> Option<String> {
    if row.entity != "revenue" {
        return None;
    }
    let (month, code) = row.field.as_deref()?.strip_prefix("revenue:")?.split_once(':')?;
    // A period total's field names its months as `200201-200210` (未分月).
    let period = || {
        let (a, b) = month.split_once('-')?;
        let p =
            crate::domain::period::Period::new(Month::from_key(a.parse().ok()?)?, Month::from_key(b.parse().ok()?)?)?;
        Some(format!("{} ({})", crate::i18n::period_label(lang, p), lang.text().period_not_split))
    };
    let month = month
        .parse()
        .ok()
        .and_then(Month::from_key)
        .map(|m| m.to_string())
        .or_else(period)
        .unwrap_or_else(|| month.to_string());
    let name = lines.iter().find(|l| l.code == code).map_or(code, |l| lang.pick((&l.name_zh, &l.name_en)));
    let yuan = |v: &Option<String>| {
        v.as_deref()
            .and_then(|v| v.parse::<i64>().ok())
            .map_or_else(|| "∅".to_string(), |fen| crate::domain::money::Money::from_fen(fen).format_yuan())
    };
    let t = lang.text();
    Some(clean(&format!("{} {month} {name}: {} → {}", t.revenue_tab_title, yuan(&row.old_value), yuan(&row.new_value))))
}

pub fn draw_history(
    f: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    rows: &[HistoryRow],
    total: u64,
    selected: usize,
    view: &mut Viewport,
) {
    let t = ctx.t();
    let who: Vec<String> =
        rows.iter().map(|r| clean(&crate::i18n::history_who(ctx.lang, &r.changed_by, r.acted_by.as_deref()))).collect();
    let acting = rows.iter().any(|r| r.acted_by.is_some());
    let columns = vec![
        Column::fixed(t.history_when, 19),
        // A name takes up to 8 columns; "root 代 张伟" more, and is shown whole.
        Column::fixed(t.history_who, widest(who.iter().map(String::as_str), if acting { 24 } else { 8 })),
        Column::fill(format!("{}  ({}/{total})", t.history_change, rows.len()), 16),
    ];
    let base = ctx.theme.get(Slot::Base);
    DataTable::new(&ctx.theme, columns).render(f, area, rows.len(), Some(selected), view, |i| {
        let r = rows.get(i)?;
        let change = history_text(ctx.lang, &ctx.reference, r);
        Some(Row::new(vec![Cell::text(&r.changed_at), Cell::text(who.get(i)?), Cell::text(&change)]).style(base))
    });
}

/// The customer's standing against its visit standard, then its visits.
pub fn draw_visits(
    f: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    standing: &[crate::domain::visit_standard::Compliance],
    visits: &[crate::db::visits::Visit],
    (selected, now): (usize, chrono::NaiveDateTime),
    view: &mut Viewport,
) {
    let w = area.width as usize;
    let mut lines = Vec::new();
    if !standing.is_empty() {
        let parts: Vec<String> = standing
            .iter()
            .map(|c| {
                format!(
                    "{}{}",
                    if c.behind() { "✗" } else { "✓" },
                    crate::ui::screens::standards::line_text(ctx.lang, c)
                )
            })
            .collect();
        for part in wrap(&parts.join("  "), w.saturating_sub(1)) {
            lines.push(Line::from(Span::styled(part, ctx.theme.get(Slot::Accent))));
        }
    }
    let top = cells(lines.len()).min(area.height);
    let [head, list] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(top),
        ratatui::layout::Constraint::Min(0),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(lines), head);
    use crate::ui::screens::calendar::draw::{visit_row, visit_table};
    visit_table(ctx, visits, true, false).render(f, list, visits.len(), Some(selected), view, |i| {
        visits.get(i).map(|v| visit_row(ctx, v, now, true, false))
    });
}

/// The customer's complaints, open and overdue first.
pub fn draw_complaints(
    f: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    complaints: &[crate::db::complaints::Complaint],
    (selected, now): (usize, chrono::NaiveDateTime),
    view: &mut Viewport,
) {
    use crate::ui::screens::complaints::{complaint_row, complaint_table};
    let late = ctx.theme.get(Slot::Alert);
    complaint_table(ctx, complaints, now, false).render(f, area, complaints.len(), Some(selected), view, |i| {
        complaints.get(i).map(|c| complaint_row(ctx, c, now, late, false))
    });
}

/// The customer's service requests, overdue first (Enter opens one, n receives one).
pub fn draw_requests(
    f: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    requests: &[crate::db::requests::ServiceRequest],
    (selected, now): (usize, chrono::NaiveDateTime),
    view: &mut Viewport,
) {
    use crate::ui::screens::requests::{request_row, request_table};
    request_table(ctx, requests, now, false).render(f, area, requests.len(), Some(selected), view, |i| {
        requests.get(i).map(|r| request_row(ctx, r, now, false))
    });
}

/// The customer's marketing log, with the deal's progress through the four
/// stages (and, for tiers that must log every stage, which are still missing).
pub fn draw_log(
    f: &mut Frame,
    area: Rect,
    ctx: &Ctx,
    tier: crate::domain::tier::Tier,
    log: &[crate::db::marketing::LogEntry],
    selected: usize,
    view: &mut Viewport,
) {
    use crate::domain::marketing_log::{DealStage, needs_every_stage_logged, stage_coverage};
    use crate::ui::screens::marketing::{log_row, log_table};
    let t = ctx.t();
    let coverage = stage_coverage(&log.iter().map(|e| e.stage).collect::<Vec<_>>());
    let mut progress: Vec<Span> = vec![Span::styled(format!("{}: ", t.deal_progress), ctx.theme.get(Slot::Header))];
    for (i, stage) in DealStage::ALL.iter().enumerate() {
        let done = coverage.covered[i];
        let mark = if done { "●" } else { "○" };
        let missing = !done && needs_every_stage_logged(tier);
        let slot = if done {
            Slot::Ok
        } else if missing {
            Slot::Warning
        } else {
            Slot::Muted
        };
        progress.push(Span::styled(
            format!("{mark}{} ", ctx.lang.pick(crate::i18n::stage_label(*stage))),
            ctx.theme.get(slot),
        ));
    }
    let [head, list] = ratatui::layout::Layout::vertical([
        ratatui::layout::Constraint::Length(1),
        ratatui::layout::Constraint::Min(0),
    ])
    .areas(area);
    f.render_widget(Paragraph::new(Line::from(progress)), head);
    log_table(ctx, log, false)
        .render(f, list, log.len(), Some(selected), view, |i| log.get(i).map(|e| log_row(ctx, e, false)));
}

/// A volume cell's or a month of returned mail's change ("volume:202610:letters",
/// "returned_posted:202610", "returned_pieces:202610", "returned_reason:202610:moved")
/// as "用邮量 2026-10 函件: 1,200 → 1,500".
fn volume_history_text(lang: Lang, lines: &[ServiceLine], row: &HistoryRow) -> Option<String> {
    if row.entity != "volume" && row.entity != "returned_mail" {
        return None;
    }
    let t = lang.text();
    let (kind, rest) = row.field.as_deref()?.split_once(':')?;
    let (month, code) = rest.split_once(':').unwrap_or((rest, ""));
    let month = month.parse().ok().and_then(Month::from_key).map_or_else(|| month.to_string(), |m| m.to_string());
    let what = match kind {
        "volume" => {
            let name = lines.iter().find(|l| l.code == code).map_or(code, |l| lang.pick((&l.name_zh, &l.name_en)));
            format!("{} {month} {name}", t.volume_col_pieces)
        }
        "returned_posted" => format!("{month} {}", t.volume_report_col_posted),
        "returned_pieces" => format!("{month} {}", t.volume_report_col_returned),
        "returned_reason" => {
            let reason = crate::i18n::return_reason_label(code).map_or(code, |l| lang.pick(l));
            format!("{month} {} {reason}", t.volume_report_col_returned)
        }
        _ => return None,
    };
    let count = |v: &Option<String>| {
        v.as_deref()
            .and_then(|v| v.parse::<u64>().ok())
            .map_or_else(|| "∅".to_string(), crate::domain::volume::format_pieces)
    };
    Some(clean(&format!("{what}: {} → {}", count(&row.old_value), count(&row.new_value))))
}
