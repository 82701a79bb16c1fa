//! `kam staff [add|set]`: the staff registry (客户经理登记), kept by the administrator.

use anyhow::{Result, anyhow};

use super::CommandEnv;
use crate::cli::StaffCommand;
use crate::db::reference::{NewStaff, StaffChange, add_staff, staff_list, update_staff};
use crate::domain::staff::Role;
use crate::i18n::role_label;
use crate::search::sort_key;
use crate::ui::widgets::text::text_table;

fn role(code: &str) -> Result<Role> {
    Role::from_code(code).ok_or_else(|| anyhow!("unknown role '{code}': use manager, supervisor, admin or leader"))
}

fn unit(env: &CommandEnv, code: &str) -> Result<i64> {
    env.reference.units.iter().find(|u| u.code == code).map(|u| u.id).ok_or_else(|| {
        let codes: Vec<&str> = env.reference.units.iter().map(|u| u.code.as_str()).collect();
        anyhow!("unknown unit '{code}'; units: {}", codes.join(", "))
    })
}

pub fn run(env: &mut CommandEnv, what: Option<&StaffCommand>) -> Result<()> {
    match what {
        None => {}
        Some(StaffCommand::Add { login, name, unit: code, role: r, phone }) => {
            let s = NewStaff {
                login: Some(login),
                name,
                unit_id: unit(env, code)?,
                role: role(r)?,
                phone: phone.as_deref(),
            };
            add_staff(&mut env.store, &env.actor, &s)?;
        }
        Some(StaffCommand::Set { login, name, unit: code, role: r, status, phone }) => {
            if let Some(s) = status.as_deref().filter(|s| !matches!(*s, "active" | "leave" | "left")) {
                return Err(anyhow!("unknown status '{s}': use active, leave or left"));
            }
            let change = StaffChange {
                name: name.clone(),
                unit_id: code.as_deref().map(|c| unit(env, c)).transpose()?,
                role: r.as_deref().map(role).transpose()?,
                status: status.clone(),
                phone: phone.clone(),
            };
            update_staff(&mut env.store, &env.actor, login, &change).map_err(|e| anyhow!("staff '{login}': {e}"))?;
        }
    }
    // By unit, then by name in pinyin order.
    let t = env.lang.text();
    let mut staff = staff_list(env.store.conn())?;
    staff.sort_by_cached_key(|(s, _)| {
        let unit = env.reference.unit(s.unit_id).map(|u| u.code.clone()).unwrap_or_default();
        (unit, sort_key(&s.name))
    });
    let rows: Vec<Vec<String>> = staff
        .into_iter()
        .map(|(s, status)| {
            let unit = env.reference.unit(s.unit_id);
            let status = match status.as_str() {
                "active" => t.staff_active.to_string(),
                "leave" => t.staff_on_leave.to_string(),
                "left" => t.staff_left.to_string(),
                other => other.to_string(),
            };
            vec![
                s.login.unwrap_or_default(),
                s.name,
                env.lang.pick(role_label(s.role)).to_string(),
                unit.map(|u| u.code.clone()).unwrap_or_else(|| "?".into()),
                unit.map(|u| u.name.clone()).unwrap_or_default(),
                status,
            ]
        })
        .collect();
    let header = [
        t.staff_col_login,
        t.staff_col_name,
        t.staff_col_role,
        t.staff_col_unit,
        t.staff_col_unit_name,
        t.staff_col_status,
    ];
    crate::out!("{}", text_table(&header, &rows));
    Ok(())
}
