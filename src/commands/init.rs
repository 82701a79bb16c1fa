//! `kam init`: an empty file becomes an office with its first unit and its
//! administrator; kam says what it created and how to go on.

use std::fmt::Write;

use anyhow::{Result, anyhow};

use crate::db::Store;
use crate::db::reference::staff_count;
use crate::db::setup::{Founding, found_office};
use crate::domain::org::{SetupRule, UnitLevel};
use crate::domain::staff::Role;
use crate::i18n::{Lang, fill, role_label, unit_level_label};
use crate::ui::screens::setup::error_text;
use crate::ui::widgets::text::{clean, pad, width};

/// What `kam init` was given.
pub struct InitArgs<'a> {
    pub unit_code: &'a str,
    pub unit_name: &'a str,
    pub level: &'a str,
    pub division: &'a str,
    pub name: &'a str,
    /// Who will administer: the system login, or the one root (or the file's
    /// owner) named with `--user`.
    pub login: String,
    /// What the next commands need to name the same file and person
    /// (`--db PATH`, `--user LOGIN`), when the defaults would not.
    pub flags: String,
}

/// Founds the office in `store`, a database `kam init` opened (or made).
pub fn run(store: &mut Store, lang: Lang, args: &InitArgs<'_>, now: chrono::NaiveDateTime) -> Result<String> {
    let t = lang.text();
    let path = store.location().clone();
    let level = UnitLevel::from_code(args.level)
        .ok_or_else(|| anyhow!(error_text(lang, &SetupRule::UnknownLevel(args.level.to_string()).into())))?;
    let login = args.login.clone();
    if staff_count(store.conn())? > 0 {
        return Err(anyhow!(fill(t.init_has_staff, &[&path])));
    }
    let founding = Founding {
        unit_code: args.unit_code,
        unit_name: args.unit_name,
        level,
        division: args.division,
        login: &login,
        admin_name: args.name,
        stamp: &crate::db::now_stamp(now),
    };
    found_office(store, &founding).map_err(|e| anyhow!(error_text(lang, &e)))?;
    let unit =
        crate::db::setup::unit_tree(store.conn(), false)?.into_iter().next().ok_or_else(|| anyhow!(t.err_not_found))?;
    Ok(report(lang, &path, &unit, level, args, &login))
}

/// What was created and what to do next, in the user's language.
fn report(
    lang: Lang,
    path: &crate::db::Location,
    unit: &crate::db::setup::UnitRow,
    level: UnitLevel,
    args: &InitArgs<'_>,
    login: &str,
) -> String {
    let t = lang.text();
    let mut out = String::new();
    let _ = writeln!(out, "{}", fill(t.init_created, &[&path]));
    let label_w = width(t.init_unit).max(width(t.init_admin)) + 2;
    let unit_line =
        fill(t.init_unit_line, &[&unit.code, &unit.name, &lang.pick(unit_level_label(level)), &unit.division_code]);
    let _ = writeln!(out, "  {}{unit_line}", pad(t.init_unit, label_w));
    let admin_name = crate::domain::validate::sanitize_text(args.name.trim());
    let admin_line = fill(t.init_admin_line, &[&admin_name, &login, &lang.pick(role_label(Role::Admin))]);
    let _ = writeln!(out, "  {}{admin_line}", pad(t.init_admin, label_w));
    let _ = writeln!(out, "{}", t.init_next);
    let kam = format!("kam{}", args.flags);
    // A district under a city (440100 → 440106), else the same division.
    let division = match unit.division_code.strip_suffix("00") {
        Some(city) if !city.ends_with("00") => format!("{city}06"),
        _ => unit.division_code.clone(),
    };
    let child = "TH";
    let steps = [
        (
            t.init_step_unit,
            format!(
                "{kam} unit add --code {child} --name {} --division {division} --parent {}",
                quote(t.init_example_unit),
                unit.code,
            ),
        ),
        (
            t.init_step_staff,
            format!(
                "{kam} staff add --login lina --name {} --unit {child} --role manager",
                quote(t.init_example_person)
            ),
        ),
        (t.init_step_industry, format!("{kam} industry add --code finance --name 金融 --name-en Finance")),
        (t.init_step_import, format!("{kam} import customers {}", t.init_example_file)),
        (t.init_step_open, format!("{kam}    # {}", t.init_open_note)),
    ];
    let step_w = steps.iter().map(|(l, _)| width(l)).max().unwrap_or(8) + 2;
    for (label, command) in steps {
        let _ = writeln!(out, "  {}{command}", pad(label, step_w));
    }
    clean_text(&out)
}

fn clean_text(text: &str) -> String {
    text.lines().map(clean).collect::<Vec<_>>().join("\n") + "\n"
}

/// A word as the shell needs it: quoted when it holds anything but plain characters.
pub fn quote(word: &str) -> String {
    let plain = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '=' | '+' | ',');
    if !word.is_empty() && word.chars().all(plain) {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(quote("/tmp/kam.db"), "/tmp/kam.db");
        assert_eq!(quote("天河区大客户中心"), "天河区大客户中心");
        assert_eq!(quote("Tianhe key-account centre"), "'Tianhe key-account centre'");
        assert_eq!(quote("it's"), r"'it'\''s'");
    }
}
