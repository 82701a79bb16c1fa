//! `kam retier [--apply]`: tiers from the last twelve months of revenue.

use std::fmt::Write;

use anyhow::Result;

use super::CommandEnv;
use crate::db::customers::{self, TierChange, retier, retier_preview};
use crate::db::{Actor, DbError, Store, access};
use crate::domain::staff::Staff;
use crate::domain::tier::TierPreset;
use crate::i18n::{Lang, fill, preset_label, role_label, tier_label};
use crate::ui::widgets::text::clean;

pub fn run(env: &mut CommandEnv, apply: bool) -> Result<()> {
    let changes = retier_preview(env.store.conn(), env.preset)?;
    crate::out!("{}", crate::ui::widgets::text::clean_lines(&changes_text(env.lang, &changes)));
    if apply && !changes.is_empty() {
        let n = retier(&mut env.store, &env.actor, env.preset)?;
        crate::outln!("{}", crate::i18n::fill(env.lang.text().retier_applied, &[&n.to_string()]));
    } else if !changes.is_empty() {
        crate::outln!("{}", env.lang.text().retier_dry_run);
    }
    Ok(())
}

/// What a start under another preset came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PresetNews {
    /// The user applied it: every customer re-tiered, with history.
    Applied(String),
    /// The user may not apply it: tiers untouched; who can.
    Pending(String),
}

/// What a start under `configured` does with the stored tiers: when the preset
/// changed since they were computed, the customer administrator or a
/// supervisor over every customer's unit re-tiers every customer (with
/// history, [`crate::db::access::may_retier_all`]); anyone else works under
/// the stored preset, tiers untouched, and is told who can apply the new one.
/// Returns the preset the session works under and what to tell the user.
pub fn on_start(
    store: &mut Store,
    actor: &Actor,
    configured: TierPreset,
    lang: Lang,
) -> Result<(TierPreset, Option<PresetNews>), DbError> {
    let stored = customers::stored_preset(store.conn())?.and_then(|code| TierPreset::from_code(&code));
    let Some(stored) = stored.filter(|s| *s != configured) else { return Ok((configured, None)) };
    let t = lang.text();
    if store.schema_altered() {
        return Ok((stored, None));
    }
    if access::may_retier_all(store.conn(), actor).is_ok() {
        let changed = customers::retier_all(store, actor, configured)?;
        let text = fill(t.preset_changed, &[&lang.pick(preset_label(configured)), &changed]);
        return Ok((configured, Some(PresetNews::Applied(text))));
    }
    let who = who_may_apply(lang, &access::who_may_retier(store.conn())?);
    let text = fill(t.preset_pending, &[&lang.pick(preset_label(configured)), &lang.pick(preset_label(stored)), &who]);
    Ok((stored, Some(PresetNews::Pending(text))))
}

/// "Administrator 李娜 or Supervisor 王芳": the people named, or who they
/// would be when nobody is on file.
fn who_may_apply(lang: Lang, people: &[Staff]) -> String {
    let t = lang.text();
    const NAMED: usize = 3;
    let names: Vec<String> = people
        .iter()
        .take(NAMED)
        .map(|s| clean(&fill(t.person_with_role, &[&lang.pick(role_label(s.role)), &s.name])))
        .collect();
    match names.as_slice() {
        [] => t.preset_pending_nobody.to_string(),
        [one] => one.clone(),
        _ if people.len() > NAMED => fill(t.list_one_of_more, &[&names.join(t.list_sep), &people.len()]),
        [init @ .., last] => fill(t.list_or, &[&init.join(t.list_sep), last]),
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::staff::Role;

    fn person(name: &str, role: Role) -> Staff {
        Staff { id: 1, login: None, name: name.into(), unit_id: 1, role }
    }

    #[test]
    fn who_may_apply_names_up_to_three_people() {
        let people = [
            person("李娜", Role::Admin),
            person("王芳", Role::Supervisor),
            person("张伟", Role::Supervisor),
            person("刘强", Role::Supervisor),
        ];
        assert_eq!(who_may_apply(Lang::En, &people[..1]), "Administrator 李娜");
        assert_eq!(who_may_apply(Lang::En, &people[..2]), "Administrator 李娜 or Supervisor 王芳");
        assert_eq!(who_may_apply(Lang::Zh, &people[..3]), "客户管理员李娜、主管王芳或主管张伟");
        assert_eq!(
            who_may_apply(Lang::En, &people),
            "one of Administrator 李娜, Supervisor 王芳, Supervisor 张伟 and others (4 in all)"
        );
        assert_eq!(who_may_apply(Lang::Zh, &people), "客户管理员李娜、主管王芳、主管张伟等 4 人之一");
        assert_eq!(who_may_apply(Lang::Zh, &[]), "客户管理员或负责全部客户的主管");
        // A name with escape sequences is cleaned.
        assert!(!who_may_apply(Lang::En, &[person("x\u{1b}[31my", Role::Admin)]).contains('\u{1b}'));
    }
}
