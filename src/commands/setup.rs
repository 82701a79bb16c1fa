//! `kam unit`, `kam industry`, `kam service-line`: the office's unit tree and
//! reference lists. Everyone may list them; the administrator changes them
//! (with history). Messages and refusals are in the user's language.

use std::fmt::Write;

use anyhow::{Result, anyhow};

use super::CommandEnv;
use crate::cli::{ListCommand, UnitCommand};
use crate::db::setup::{
    self, ListEntry, NewUnit, RefList, SetupError, UnitRow, add_entry, add_unit, archive_unit, edit_unit, move_unit,
    rename_entry, restore_unit, set_entry_archived, unit_tree,
};
use crate::domain::org::{SetupRule, UnitLevel};
use crate::i18n::{Lang, fill, unit_level_label};
use crate::ui::screens::setup::{error_text, history_line, tree_prefixes};
use crate::ui::widgets::text::{clean, clean_lines, pad, width};

/// A failed change as one line in the user's language.
fn refused(lang: Lang, e: &SetupError) -> anyhow::Error {
    anyhow!(error_text(lang, e))
}

fn level(lang: Lang, text: &str) -> Result<UnitLevel> {
    UnitLevel::from_code(text)
        .ok_or_else(|| refused(lang, &SetupError::from(SetupRule::UnknownLevel(text.to_string()))))
}

pub fn unit(env: &mut CommandEnv, what: Option<&UnitCommand>) -> Result<()> {
    let lang = env.lang;
    let t = lang.text();
    let (store, actor) = (&mut env.store, &env.actor);
    let done = match what {
        None => return print_units(env, false),
        Some(UnitCommand::List { archived }) => return print_units(env, *archived),
        Some(UnitCommand::History { code }) => {
            let unit = unit_tree(store.conn(), true)?.into_iter().find(|u| u.code.eq_ignore_ascii_case(code.trim()));
            let unit = unit.ok_or_else(|| {
                refused(lang, &SetupError::from(SetupRule::Unknown(crate::domain::org::ListKind::Unit, code.clone())))
            })?;
            return print_history(env, "org_unit", unit.id, &unit.code);
        }
        Some(UnitCommand::Add { code, name, division, parent, level: lv }) => {
            let new = NewUnit {
                code: code.clone(),
                name: name.clone(),
                division: division.clone().unwrap_or_default(),
                level: lv.as_deref().map(|l| level(lang, l)).transpose()?,
                parent: parent.clone(),
            };
            let (id, _) = add_unit(store, actor, &new).map_err(|e| refused(lang, &e))?;
            let tree = unit_tree(store.conn(), false)?;
            let row = tree.iter().find(|u| u.id == id).ok_or_else(|| anyhow!("{code}"))?;
            let parent = row.parent_id.and_then(|p| tree.iter().find(|u| u.id == p)).map(|p| p.code.as_str());
            fill(
                t.setup_done_add_unit,
                &[&row.code, &row.name, &level_name(lang, row), &row.division_code, &parent.unwrap_or(t.setup_top)],
            )
        }
        Some(UnitCommand::Rename { code, name, division }) => {
            edit_unit(store, actor, code, name.as_deref(), division.as_deref()).map_err(|e| refused(lang, &e))?;
            fill(t.setup_done_change, &[&code.trim()])
        }
        Some(UnitCommand::Move { code, parent, top }) => {
            let parent = if *top { None } else { parent.as_deref() };
            move_unit(store, actor, code, parent).map_err(|e| refused(lang, &e))?;
            match parent {
                Some(p) => fill(t.setup_done_move, &[&code.trim(), &p.trim()]),
                None => fill(t.setup_done_move_top, &[&code.trim()]),
            }
        }
        Some(UnitCommand::Archive { code }) => {
            archive_unit(store, actor, code).map_err(|e| refused(lang, &e))?;
            fill(t.setup_done_archive, &[&code.trim()])
        }
        Some(UnitCommand::Restore { code }) => {
            restore_unit(store, actor, code).map_err(|e| refused(lang, &e))?;
            fill(t.setup_done_restore, &[&code.trim()])
        }
    };
    println!("{}", clean(&done));
    Ok(())
}

pub fn list(env: &mut CommandEnv, list: RefList, what: Option<&ListCommand>) -> Result<()> {
    let lang = env.lang;
    let t = lang.text();
    let (store, actor) = (&mut env.store, &env.actor);
    let done = match what {
        None => return print_entries(env, list, false),
        Some(ListCommand::List { archived }) => return print_entries(env, list, *archived),
        Some(ListCommand::History { code }) => {
            let entry = setup::list_entries(store.conn(), list, true)?
                .into_iter()
                .find(|e| e.code.eq_ignore_ascii_case(code.trim()))
                .ok_or_else(|| refused(lang, &SetupError::from(SetupRule::Unknown(list.kind(), code.clone()))))?;
            return print_history(env, list.entity(), entry.id, &entry.code);
        }
        Some(ListCommand::Add { code, name, name_en }) => {
            add_entry(store, actor, list, code, name, name_en.as_deref()).map_err(|e| refused(lang, &e))?;
            fill(t.setup_done_add_entry, &[&code.trim(), &name.trim()])
        }
        Some(ListCommand::Rename { code, name, name_en }) => {
            rename_entry(store, actor, list, code, name.as_deref(), name_en.as_deref())
                .map_err(|e| refused(lang, &e))?;
            fill(t.setup_done_change, &[&code.trim()])
        }
        Some(ListCommand::Archive { code }) => {
            set_entry_archived(store, actor, list, code, true).map_err(|e| refused(lang, &e))?;
            fill(t.setup_done_archive, &[&code.trim()])
        }
        Some(ListCommand::Restore { code }) => {
            set_entry_archived(store, actor, list, code, false).map_err(|e| refused(lang, &e))?;
            fill(t.setup_done_restore, &[&code.trim()])
        }
    };
    println!("{}", clean(&done));
    Ok(())
}

fn level_name(lang: Lang, u: &UnitRow) -> String {
    u.level.map(|l| lang.pick(unit_level_label(l)).to_string()).unwrap_or_else(|| "?".into())
}

/// The unit tree as aligned text: code (indented under its parent), name,
/// division code, level.
pub fn units_text(lang: Lang, units: &[UnitRow]) -> String {
    let t = lang.text();
    let prefixes = tree_prefixes(&units.iter().map(|u| u.depth).collect::<Vec<_>>());
    let codes: Vec<String> = units.iter().zip(&prefixes).map(|(u, p)| format!("{p}{}", clean(&u.code))).collect();
    let code_w = codes.iter().map(|c| width(c)).chain([width(t.setup_col_code)]).max().unwrap_or(4);
    let name_w = units.iter().map(|u| width(&u.name)).chain([width(t.setup_col_name)]).max().unwrap_or(4);
    let div_w = width(t.setup_col_division).max(6);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} {} {}",
        pad(t.setup_col_code, code_w),
        pad(t.setup_col_name, name_w),
        pad(t.setup_col_division, div_w),
        t.setup_col_level
    );
    for (u, code) in units.iter().zip(&codes) {
        let archived = if u.archived { format!(" [{}]", t.archived_mark) } else { String::new() };
        let line = format!(
            "{} {} {} {}{archived}",
            pad(code, code_w),
            pad(&u.name, name_w),
            pad(&u.division_code, div_w),
            level_name(lang, u)
        );
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// An industry or service-line list as aligned text: code, Chinese and English names.
pub fn entries_text(lang: Lang, entries: &[ListEntry]) -> String {
    let t = lang.text();
    let code_w = entries.iter().map(|e| width(&e.code)).chain([width(t.setup_col_code)]).max().unwrap_or(4);
    let zh_w = entries.iter().map(|e| width(&e.name_zh)).chain([width(t.setup_col_name)]).max().unwrap_or(4);
    let mut out = String::new();
    let _ = writeln!(out, "{} {} {}", pad(t.setup_col_code, code_w), pad(t.setup_col_name, zh_w), t.setup_col_name_en);
    for e in entries {
        let archived = if e.archived { format!(" [{}]", t.archived_mark) } else { String::new() };
        let line = format!("{} {} {}{archived}", pad(&e.code, code_w), pad(&e.name_zh, zh_w), e.name_en);
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

fn print_units(env: &CommandEnv, archived: bool) -> Result<()> {
    let units = unit_tree(env.store.conn(), archived)?;
    print!("{}", clean_lines(&units_text(env.lang, &units)));
    Ok(())
}

fn print_entries(env: &CommandEnv, list: RefList, archived: bool) -> Result<()> {
    let entries = setup::list_entries(env.store.conn(), list, archived)?;
    if entries.is_empty() {
        println!("{}", env.lang.text().setup_empty);
        return Ok(());
    }
    print!("{}", clean_lines(&entries_text(env.lang, &entries)));
    Ok(())
}

fn print_history(env: &CommandEnv, entity: &str, id: i64, code: &str) -> Result<()> {
    let rows = setup::history(env.store.conn(), entity, id, 1000)?;
    if rows.is_empty() {
        eprintln!("{}", fill(env.lang.text().setup_no_history, &[&code]));
    }
    for row in rows {
        println!("{}", history_line(env.lang, &row));
    }
    Ok(())
}
