//! The dossier header: who the customer is, its tier and why, who owns it, and
//! whether the dossier is due for an update.

use crate::domain::revenue::UnitRevenueSource;
use crate::domain::tier::TierPreset;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use rust_decimal::Decimal;

use crate::ctx::Ctx;
use crate::db::customers::Dossier;
use crate::domain::money::Money;
use crate::domain::tier::{TierAssessment, assess_tier};
use crate::i18n::{choice_label, fill, preset_label, tier_label};
use crate::theme::Slot;
use crate::ui::screens::draw_title;
use crate::ui::widgets::text::{cells, clean, flow, truncate};

/// Rows the header takes on a screen `width` wide: the title, then its fields
/// laid out so that none is cut (the next-update date above all).
pub fn height(ctx: &Ctx, d: &Dossier, width: u16, today: chrono::NaiveDate) -> u16 {
    cells(1 + rows(ctx, d, width as usize, today).len())
}

/// `today` decides whether the dossier is stale.
pub fn draw(f: &mut Frame, area: Rect, ctx: &Ctx, d: &Dossier, today: chrono::NaiveDate) {
    let t = ctx.t();
    let name = clean(d.text("short_name"));
    draw_title(f, Rect { height: 1, ..area }, &ctx.theme, ctx.t(), &[t.screen_dossier, &name], &d.id.formatted());
    let body = Rect { y: area.y + 1, height: area.height.saturating_sub(1), ..area };
    f.render_widget(Paragraph::new(rows(ctx, d, area.width as usize, today)), body);
}

/// Two groups of fields, each flowed over as many rows as `w` needs: who the
/// customer is; then its tier, who owns it and when the dossier is due.
fn rows(ctx: &Ctx, d: &Dossier, w: usize, today: chrono::NaiveDate) -> Vec<Line<'static>> {
    let t = ctx.t();
    let muted = ctx.theme.get(Slot::Muted);
    let part = |text: String, slot: Slot| vec![Span::styled(text, ctx.theme.get(slot))];

    // Full name, kind, stage, status, registration.
    let mut who = vec![part(clean(d.text("full_name")), Slot::Accent)];
    for code in [d.text("kind"), d.text("stage")] {
        who.push(part(ctx.lang.pick(choice_label(code)).to_string(), Slot::Muted));
    }
    who.push(part(ctx.lang.pick(choice_label(&d.status)).to_string(), Slot::customer_status_code(&d.status)));
    if d.registration != "approved" {
        let text = if d.registration == "pending" { t.registration_pending } else { t.registration_rejected };
        who.push(part(format!("{}: {text}", t.registration), Slot::Warning));
    }
    if d.archived {
        who.push(part(format!("[{}]", t.archived_mark), Slot::Alert));
    }

    // The tier in short (the Basic tab explains it), the owners, the freshness.
    let a = assess_tier(ctx.preset, &d.tier_inputs());
    let mut standing = vec![vec![
        Span::styled(format!("{}: ", t.tier_heading), ctx.theme.get(Slot::Header)),
        Span::styled(ctx.lang.pick(tier_label(d.tier)).to_string(), ctx.theme.get(Slot::tier(d.tier))),
    ]];
    if let Some(over) = d.tier_override {
        standing.push(part(
            format!(
                "({} {} · {}: {})",
                t.tier_override,
                ctx.lang.pick(tier_label(over)),
                t.tier_override_reason,
                clean(d.tier_override_reason.as_deref().unwrap_or(""))
            ),
            Slot::Warning,
        ));
    } else if let Some(p) = a.points {
        standing.push(part(format!("{} {}", t.tier_points, p.round_dp(2)), Slot::Base));
    }
    standing.push(part(ctx.lang.pick(preset_label(ctx.preset)).to_string(), Slot::Muted));
    let owner =
        |id: Option<i64>| id.and_then(|i| ctx.reference.staff(i)).map(|s| clean(&s.name)).unwrap_or_else(|| "—".into());
    standing.push(part(format!("A: {}", owner(Some(d.owner_a()))), Slot::Base));
    standing.push(part(format!("B: {}", owner(d.owner_b())), Slot::Base));
    if let Some(unit) = d.value("unit_id").as_int().and_then(|u| ctx.reference.unit(u)) {
        standing.push(part(clean(&unit.name), Slot::Base));
    }
    standing.push(part(format!("{} {}", t.last_updated, d.dossier_updated_on), Slot::Base));
    let mut due = vec![Span::styled(format!("{} {}", t.header_due, d.update_due_on), ctx.theme.get(Slot::Base))];
    if d.update_due_on < today {
        due.push(Span::styled(format!(" ⚠ {}", t.stale), ctx.theme.get(Slot::Stale)));
    }
    standing.push(due);

    let sep = Span::styled(" · ", muted);
    let mut rows = flow(who, &sep, w);
    rows.extend(flow(standing, &sep, w));
    rows
}

/// Cuts a line of spans to `w` columns.
pub(super) fn truncate_line(line: Line<'static>, w: usize) -> Line<'static> {
    let mut left = w;
    let mut out = Vec::new();
    for s in line.spans {
        if left == 0 {
            break;
        }
        let text = truncate(&s.content, left);
        left = left.saturating_sub(crate::ui::widgets::text::width(&text));
        out.push(Span::styled(text, s.style));
    }
    Line::from(out)
}

/// The tier explanation: inputs, points, the rule applied and the distance to
/// the next tier up.
pub fn explanation(ctx: &Ctx, a: &TierAssessment, d: &Dossier) -> Vec<String> {
    let t = ctx.t();
    let basis = &d.tier_basis;
    let inputs = basis.inputs;
    let yuan = |v: Decimal| Money(v).format_yuan();
    let revenue_label = match basis.window {
        Some((from, to)) => fill(t.tier_ledger_revenue, &[&from.to_string(), &to.to_string()]),
        None => ctx.lang.pick(crate::i18n::field_label("annual_revenue")).to_string(),
    };
    let mut first = format!(
        "{}: {} · {} {}",
        t.tier_preset_label,
        ctx.lang.pick(preset_label(a.preset)),
        revenue_label,
        yuan(inputs.annual_revenue)
    );
    match (inputs.unit_revenue, basis.unit_source) {
        (Some(u), Some(source)) => {
            let from = match source {
                UnitRevenueSource::Months => t.tier_unit_by_months.to_string(),
                UnitRevenueSource::Year(y) => fill(t.tier_unit_by_year, &[&y.to_string()]),
            };
            first.push_str(&format!(" · {} {} ({from})", t.tier_unit_revenue, yuan(u)));
        }
        _ if matches!(a.preset, TierPreset::GuangdongScore | TierPreset::Shantou) => {
            first.push_str(&format!(" · {}", t.tier_unit_missing));
        }
        _ => {}
    }
    if let Some(s) = a.share_permille {
        first.push_str(&format!(" · {} {}‰", t.tier_share, s.round_dp(3)));
    }
    let mut second = match (a.revenue_points, a.share_points, a.points) {
        (Some(r), Some(s), Some(p)) => format!(
            "{} {} + {} {} = {} → {}",
            t.tier_revenue_part,
            r.round_dp(2),
            t.tier_share_part,
            s.round_dp(2),
            p.round_dp(2),
            ctx.lang.pick(tier_label(a.tier))
        ),
        _ => format!("{}: {}", t.tier_computed, ctx.lang.pick(tier_label(a.tier))),
    };
    match a.next {
        Some(n) => second.push_str(&format!(
            " · {}",
            fill(t.tier_next, &[&ctx.lang.pick(tier_label(n.tier)), &yuan(n.extra_revenue)])
        )),
        None if a.preset.tiers().first() == Some(&a.tier) => second.push_str(&format!(" · {}", t.tier_top)),
        None => second.push_str(&format!(" · {}", t.tier_next_unreachable)),
    }
    vec![first, second]
}
