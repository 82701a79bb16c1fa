//! The set-up's words: refusals, history lines and the tree's branches, shared
//! by the screen and the `kam unit|industry|service-line` commands.

use crate::db::DbError;
use crate::db::history::HistoryRow;
use crate::db::setup::SetupError;
use crate::domain::org::{ListKind, MAX_NAME, SetupRule, UnitLevel};
use crate::i18n::{Lang, fill, setup_field_label, unit_level_label};
use crate::ui::widgets::text::clean;

/// A broken rule in the user's language.
pub fn rule_text(lang: Lang, rule: &SetupRule) -> String {
    let t = lang.text();
    let level = |l: &UnitLevel| lang.pick(unit_level_label(*l));
    match rule {
        SetupRule::BadCode => t.setup_bad_code.into(),
        SetupRule::DuplicateCode(c) => fill(t.setup_duplicate_code, &[c]),
        SetupRule::Unknown(ListKind::Unit, c) => fill(t.setup_unknown_unit, &[c]),
        SetupRule::Unknown(ListKind::Industry, c) => fill(t.setup_unknown_industry, &[c]),
        SetupRule::Unknown(ListKind::ServiceLine, c) => fill(t.setup_unknown_line, &[c]),
        SetupRule::Unknown(ListKind::ReturnReason, c) => fill(t.volume_unknown_reason, &[c]),
        SetupRule::EmptyName => t.setup_empty_name.into(),
        SetupRule::NameTooLong => fill(t.setup_name_too_long, &[&MAX_NAME]),
        SetupRule::BadDivision => t.err_division.into(),
        SetupRule::UnknownLevel(l) => fill(t.setup_unknown_level, &[l]),
        SetupRule::Cycle { unit, parent } => fill(t.setup_cycle, &[unit, parent, parent]),
        SetupRule::LevelOrder { level: l, parent } => fill(t.setup_level_order, &[&level(l), &level(parent)]),
        SetupRule::Archived(c) => fill(t.setup_archived, &[c]),
        SetupRule::AlreadyArchived(c) => fill(t.setup_already_archived, &[c]),
        SetupRule::NotArchived(c) => fill(t.setup_not_archived, &[c]),
        SetupRule::InUse { customers, staff, units } => fill(t.setup_in_use, &[customers, staff, units]),
    }
}

/// A refused or failed change in the user's language.
pub fn error_text(lang: Lang, e: &SetupError) -> String {
    let t = lang.text();
    match e {
        SetupError::Rule(rule) => rule_text(lang, rule),
        SetupError::Db(DbError::Refused(r)) => fill(t.refused, &[&crate::ui::refusal_text(lang, r)]),
        SetupError::Db(e) if e.is_busy() => t.err_busy.into(),
        SetupError::Db(DbError::NotFound) => t.err_not_found.into(),
        SetupError::Db(other) => fill(t.err_db, &[other]),
    }
}

/// One change of a unit, industry or service line: "when who field: old → new".
pub fn history_line(lang: Lang, row: &HistoryRow) -> String {
    let who = crate::i18n::history_who(lang, &row.changed_by, row.acted_by.as_deref());
    format!("{}  {}  {}", row.changed_at, clean(&who), change_text(lang, row))
}

/// What changed, without who and when.
pub fn change_text(lang: Lang, row: &HistoryRow) -> String {
    let t = lang.text();
    if row.action == "create" {
        return clean(&format!("{} {}", t.history_created, row.new_value.as_deref().unwrap_or("")));
    }
    let field = row.field.as_deref().unwrap_or("");
    let shown = |v: &Option<String>| -> String {
        match (field, v.as_deref()) {
            ("parent", None) => t.setup_top.into(),
            (_, None) => "∅".into(),
            ("kind", Some(code)) => {
                UnitLevel::from_code(code).map(|l| lang.pick(unit_level_label(l)).to_string()).unwrap_or(code.into())
            }
            ("archived", Some("1")) => t.setup_yes.into(),
            ("archived", Some("0")) => t.no.into(),
            (_, Some(v)) => v.into(),
        }
    };
    let label = lang.pick(setup_field_label(field));
    let label = if label == "?" { field } else { label };
    clean(&format!("{label}: {} → {}", shown(&row.old_value), shown(&row.new_value)))
}

/// The branches drawn before each unit's code, from the depths of a tree in
/// order: "", "├─ ", "│  └─ ", …
pub fn tree_prefixes(depths: &[usize]) -> Vec<String> {
    // Whether the unit at row i is the last of its siblings.
    let last: Vec<bool> = (0..depths.len())
        .map(|i| {
            let d = depths[i];
            depths[i + 1..].iter().take_while(|&&later| later >= d).all(|&later| later != d)
        })
        .collect();
    let mut open: Vec<bool> = Vec::new();
    let mut out = Vec::with_capacity(depths.len());
    for (i, &d) in depths.iter().enumerate() {
        open.truncate(d);
        let mut prefix = String::new();
        if d > 0 {
            for &more in open.iter().skip(1) {
                prefix.push_str(if more { "│  " } else { "   " });
            }
            prefix.push_str(if last[i] { "└─ " } else { "├─ " });
        }
        out.push(prefix);
        open.resize(d, false);
        open.push(!last[i]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branches_close_at_the_last_sibling() {
        // GZ; ├ BY; │ └ JX; └ TH; └ SP; AA at the top again.
        let p = tree_prefixes(&[0, 1, 2, 1, 2, 0]);
        assert_eq!(p, vec!["", "├─ ", "│  └─ ", "└─ ", "   └─ ", ""]);
    }

    #[test]
    fn refusals_read_in_both_languages() {
        let cycle = SetupRule::Cycle { unit: "TH".into(), parent: "SP".into() };
        assert!(rule_text(Lang::Zh, &cycle).contains("不能把 TH 移到 SP 之下"));
        assert!(rule_text(Lang::En, &cycle).starts_with("Cannot move TH under SP"));
        let order = SetupRule::LevelOrder { level: UnitLevel::City, parent: UnitLevel::Branch };
        assert_eq!(rule_text(Lang::Zh, &order), "市局不能隶属于支局");
        assert_eq!(rule_text(Lang::En, &order), "A city cannot sit under a branch");
    }
}
