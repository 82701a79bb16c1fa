//! `kam whoami`: who kam takes you for — login, name, role and unit — and
//! whether the database is a demo (where `--user` works) or someone is
//! acting for another staff member (which the history records).

use std::fmt::Write;

use super::CommandEnv;
use crate::db::DbKind;
use crate::i18n::{fill, role_label};
use crate::ui::widgets::text::{clean, pad, width};

pub fn text(env: &CommandEnv, guarded: bool) -> String {
    let lang = env.lang;
    let t = lang.text();
    let staff = &env.actor.staff;
    let unit = env
        .reference
        .units
        .iter()
        .find(|u| u.id == staff.unit_id)
        .map(|u| format!("{} ({})", u.name, u.code))
        .unwrap_or_else(|| format!("#{}", staff.unit_id));
    let rows = [
        (t.whoami_login, staff.login.clone().unwrap_or_default()),
        (t.whoami_name, staff.name.clone()),
        (t.whoami_role, lang.pick(role_label(staff.role)).to_string()),
        (t.whoami_unit, unit),
        (t.whoami_database, env.store.location().to_string()),
    ];
    let label_w = rows.iter().map(|(l, _)| width(l)).max().unwrap_or(0) + 2;
    let mut out = String::new();
    for (label, value) in rows {
        let _ = writeln!(out, "{}{}", pad(label, label_w), clean(&value));
    }
    if env.store.kind() == DbKind::Demo {
        let _ = writeln!(out, "{}", t.whoami_demo);
    }
    if let Some(acting) = env.store.acting() {
        let _ = writeln!(out, "{}", clean(&fill(t.whoami_acting, &[&acting, &staff.name])));
    }
    if guarded {
        let _ = writeln!(out, "{}", t.whoami_guarded);
    }
    out
}
