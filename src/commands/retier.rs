//! `kam retier [--apply]`: tiers from the last twelve months of revenue.

use std::fmt::Write;

use anyhow::Result;

use super::CommandEnv;
use crate::db::customers::{TierChange, retier, retier_preview};
use crate::domain::tier::TierPreset;
use crate::i18n::{Lang, preset_label, tier_label};

pub fn run(env: &mut CommandEnv, apply: bool) -> Result<()> {
    let changes = retier_preview(env.store.conn(), env.preset)?;
    print!("{}", crate::ui::widgets::text::clean_lines(&changes_text(env.lang, &changes)));
    if apply && !changes.is_empty() {
        let n = retier(&mut env.store, &env.actor, env.preset)?;
        println!("{}", crate::i18n::fill(env.lang.text().retier_applied, &[&n.to_string()]));
    } else if !changes.is_empty() {
        println!("{}", env.lang.text().retier_dry_run);
    }
    Ok(())
}

/// What a start under `configured` does with the stored tiers: when the preset
/// changed since they were computed, a supervisor or the customer
/// administrator re-tiers every customer (with history); anyone else works
/// under the stored preset, tiers untouched, and is told who can apply the new
/// one. Returns the preset the session works under and the message for the
/// status bar (`true`: a warning).
pub fn on_start(
    store: &mut crate::db::Store,
    actor: &crate::db::Actor,
    configured: TierPreset,
    lang: Lang,
) -> Result<(TierPreset, Option<(String, bool)>), crate::db::DbError> {
    let stored = crate::db::customers::stored_preset(store.conn())?.and_then(|code| TierPreset::from_code(&code));
    let Some(stored) = stored.filter(|s| *s != configured) else { return Ok((configured, None)) };
    let t = lang.text();
    if store.schema_altered() {
        return Ok((stored, None));
    }
    if actor.staff.may_keep_records().is_ok() {
        let changed = crate::db::customers::retier_all(store, actor, configured)?;
        let text = crate::i18n::fill(t.preset_changed, &[&lang.pick(preset_label(configured)), &changed]);
        return Ok((configured, Some((text, false))));
    }
    let text =
        crate::i18n::fill(t.preset_pending, &[&lang.pick(preset_label(configured)), &lang.pick(preset_label(stored))]);
    Ok((stored, Some((text, true))))
}

/// One line per customer whose tier would move, then the count.
pub fn changes_text(lang: Lang, changes: &[TierChange]) -> String {
    let mut out = String::new();
    for c in changes {
        let _ = writeln!(
            out,
            "{}  {}  {} → {}  ({})",
            c.id,
            c.short_name,
            lang.pick(tier_label(c.from)),
            lang.pick(tier_label(c.to)),
            c.annual_revenue.format_yuan()
        );
    }
    let _ = writeln!(out, "{}", crate::i18n::fill(lang.text().retier_count, &[&changes.len().to_string()]));
    out
}
