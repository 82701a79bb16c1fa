//! `kam retier [--apply]`: tiers from the last twelve months of revenue.

use std::fmt::Write;

use anyhow::Result;

use super::CommandEnv;
use crate::db::customers::{TierChange, retier, retier_preview};
use crate::i18n::{Lang, tier_label};

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
