//! Reference data: organisation units, staff, industries, service lines. These are
//! small tables, loaded whole into memory for pickers and name look-ups.

use super::sql::{Optional, Row, Sql, args};
use super::{Conn, DbError};
use crate::domain::staff::{Role, Staff};
use crate::domain::validate::sanitize_text;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// province, city, county, bureau (specialised), branch
    pub kind: String,
    pub parent_id: Option<i64>,
    pub division_code: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Industry {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLine {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
}

/// All reference data, as pickers and tables need it. `units`, `industries`
/// and `service_lines` are the live ones: what pickers and filters offer for
/// new records. The archived ones are kept apart, so that the records naming
/// them still show their names (the look-ups by id find both).
#[derive(Debug, Clone, Default)]
pub struct Reference {
    pub units: Vec<Unit>,
    pub staff: Vec<Staff>,
    pub industries: Vec<Industry>,
    pub service_lines: Vec<ServiceLine>,
    pub archived: ArchivedReference,
}

/// Units, industries and service lines the administrator archived.
#[derive(Debug, Clone, Default)]
pub struct ArchivedReference {
    pub units: Vec<Unit>,
    pub industries: Vec<Industry>,
    pub service_lines: Vec<ServiceLine>,
}

impl Reference {
    /// A unit by id, live or archived.
    pub fn unit(&self, id: i64) -> Option<&Unit> {
        self.units.iter().chain(&self.archived.units).find(|u| u.id == id)
    }
    pub fn staff(&self, id: i64) -> Option<&Staff> {
        self.staff.iter().find(|s| s.id == id)
    }
    /// An industry by id, live or archived.
    pub fn industry(&self, id: i64) -> Option<&Industry> {
        self.industries.iter().chain(&self.archived.industries).find(|i| i.id == id)
    }
    /// A service line by id, live or archived.
    pub fn service_line(&self, id: i64) -> Option<&ServiceLine> {
        self.service_lines.iter().chain(&self.archived.service_lines).find(|l| l.id == id)
    }
    pub fn is_archived_unit(&self, id: i64) -> bool {
        self.archived.units.iter().any(|u| u.id == id)
    }
    pub fn is_archived_industry(&self, id: i64) -> bool {
        self.archived.industries.iter().any(|i| i.id == id)
    }
}

pub fn load(conn: &Conn) -> Result<Reference, DbError> {
    let units: Vec<(Unit, bool)> = conn.rows(
        "SELECT id, code, name, kind, parent_id, division_code, archived FROM org_unit ORDER BY code",
        args![],
        |r| {
            let unit = Unit {
                id: r.get(0)?,
                code: r.get(1)?,
                name: r.get(2)?,
                kind: r.get(3)?,
                parent_id: r.get(4)?,
                division_code: r.get(5)?,
            };
            Ok((unit, r.get(6)?))
        },
    )?;
    let staff = conn.rows(
        "SELECT id, login, name, unit_id, role FROM staff WHERE status <> 'left' ORDER BY unit_id, name",
        args![],
        staff_from_row,
    )?;
    let industries: Vec<(Industry, bool)> =
        conn.rows("SELECT id, code, name_zh, name_en, archived FROM industry ORDER BY code", args![], |r| {
            Ok((Industry { id: r.get(0)?, code: r.get(1)?, name_zh: r.get(2)?, name_en: r.get(3)? }, r.get(4)?))
        })?;
    let service_lines: Vec<(ServiceLine, bool)> =
        conn.rows("SELECT id, code, name_zh, name_en, archived FROM service_line ORDER BY id", args![], |r| {
            Ok((ServiceLine { id: r.get(0)?, code: r.get(1)?, name_zh: r.get(2)?, name_en: r.get(3)? }, r.get(4)?))
        })?;
    fn split<T>(rows: Vec<(T, bool)>) -> (Vec<T>, Vec<T>) {
        let (archived, live): (Vec<_>, Vec<_>) = rows.into_iter().partition(|(_, archived)| *archived);
        (live.into_iter().map(|(t, _)| t).collect(), archived.into_iter().map(|(t, _)| t).collect())
    }
    let (units, archived_units) = split(units);
    let (industries, archived_industries) = split(industries);
    let (service_lines, archived_lines) = split(service_lines);
    let archived =
        ArchivedReference { units: archived_units, industries: archived_industries, service_lines: archived_lines };
    let mut reference = Reference { units, staff, industries, service_lines, archived };
    reference.sanitize();
    Ok(reference)
}

impl Reference {
    /// Names go to every screen and printout: whatever another program wrote
    /// into these tables, no control or invisible format character comes along.
    fn sanitize(&mut self) {
        let clean = |s: &mut String| {
            if s.chars().any(crate::domain::validate::is_unsafe_char) {
                *s = sanitize_text(s);
            }
        };
        self.units.iter_mut().chain(&mut self.archived.units).for_each(|u| clean(&mut u.name));
        self.staff.iter_mut().for_each(|s| clean(&mut s.name));
        for i in self.industries.iter_mut().chain(&mut self.archived.industries) {
            clean(&mut i.name_zh);
            clean(&mut i.name_en);
        }
        for l in self.service_lines.iter_mut().chain(&mut self.archived.service_lines) {
            clean(&mut l.name_zh);
            clean(&mut l.name_en);
        }
    }
}

fn staff_from_row(r: &Row<'_>) -> Result<Staff, DbError> {
    let role: String = r.get(4)?;
    Ok(Staff {
        id: r.get(0)?,
        login: r.get(1)?,
        name: r.get(2)?,
        unit_id: r.get(3)?,
        role: Role::from_code(&role).unwrap_or(Role::Leader),
    })
}

/// The staff record mapped to an OS login, if any.
pub fn staff_by_login(conn: &Conn, login: &str) -> Result<Option<Staff>, DbError> {
    conn.row(
        "SELECT id, login, name, unit_id, role FROM staff WHERE login = ?1 AND status <> 'left'",
        args![login],
        staff_from_row,
    )
    .optional()
}

pub fn staff_count(conn: &Conn) -> Result<i64, DbError> {
    conn.row("SELECT count(*) FROM staff", args![], |r| r.get(0))
}

pub fn insert_unit(
    conn: &Conn,
    code: &str,
    name: &str,
    kind: &str,
    parent_id: Option<i64>,
    division_code: &str,
) -> Result<i64, DbError> {
    conn.row(
        "INSERT INTO org_unit (code, name, kind, parent_id, division_code) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
        args![code, name, kind, parent_id, division_code],
        |r| r.get(0),
    )
}

pub struct NewStaff<'a> {
    pub login: Option<&'a str>,
    pub name: &'a str,
    pub unit_id: i64,
    pub role: Role,
    pub phone: Option<&'a str>,
}

/// Inserts a member of staff during set-up (`kam init`, the demo), stamped now.
pub fn insert_staff(conn: &Conn, s: &NewStaff<'_>) -> Result<i64, DbError> {
    insert_staff_at(conn, s, &super::now_stamp(crate::time::now()))
}

/// [`insert_staff`] with the time the history records (the demo's fixed clock).
pub fn insert_staff_at(conn: &Conn, s: &NewStaff<'_>, stamp: &str) -> Result<i64, DbError> {
    conn.row(
        "INSERT INTO staff (login, name, unit_id, role, phone, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        args![s.login, s.name, s.unit_id, s.role.code(), s.phone, stamp],
        |r| r.get(0),
    )
}

pub fn insert_industry(conn: &Conn, code: &str, name_zh: &str, name_en: &str) -> Result<i64, DbError> {
    conn.row(
        "INSERT INTO industry (code, name_zh, name_en) VALUES (?1, ?2, ?3) RETURNING id",
        args![code, name_zh, name_en],
        |r| r.get(0),
    )
}

/// A change to a member of staff; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct StaffChange {
    pub name: Option<String>,
    pub unit_id: Option<i64>,
    pub role: Option<Role>,
    /// active, leave or left
    pub status: Option<String>,
    pub phone: Option<String>,
}

/// The administrator registers a member of staff; the history trigger records it.
pub fn add_staff(store: &mut super::Store, actor: &super::Actor, s: &NewStaff<'_>) -> Result<i64, DbError> {
    actor.staff.may_administer()?;
    store.write(|tx| {
        let id = tx
            .row(
                "INSERT INTO staff (login, name, unit_id, role, phone, updated_by, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                args![
                    s.login,
                    sanitize_text(s.name).trim(),
                    s.unit_id,
                    s.role.code(),
                    s.phone,
                    actor.staff.id,
                    actor.stamp()
                ],
                |r| r.get(0),
            )
            .map_err(super::error::constraint_as_invalid)?;
        login_for(tx, s.login, s.role)?;
        Ok(id)
    })
}

/// On a server, the person's own login role in their kam role's group
/// (`kam_create_login`, migrations-pg/02-access), in the same transaction as
/// their staff row: who connects as `login` is then this member of staff.
/// A file has no logins: the system account is the login.
pub(crate) fn login_for(tx: &super::Tx<'_>, login: Option<&str>, role: Role) -> Result<(), DbError> {
    if let (super::sql::Dialect::Postgres, Some(login)) = (tx.dialect(), login) {
        // The function returns void, which has no value to read: a row of 1.
        tx.row("SELECT 1 FROM kam_create_login(?1, ?2)", args![login, role.code()], |_| Ok(()))?;
    }
    Ok(())
}

/// The administrator changes a member of staff (by login), with history.
pub fn update_staff(
    store: &mut super::Store,
    actor: &super::Actor,
    login: &str,
    change: &StaffChange,
) -> Result<(), DbError> {
    actor.staff.may_administer()?;
    store.write(|tx| {
        let n = tx
            .exec(
                "UPDATE staff SET name = coalesce(?2, name), unit_id = coalesce(?3, unit_id), \
                 role = coalesce(?4, role), status = coalesce(?5, status), phone = coalesce(?6, phone), \
                 updated_by = ?7, updated_at = ?8 WHERE login = ?1",
                args![
                    login,
                    change.name.as_deref().map(|n| sanitize_text(n).trim().to_string()),
                    change.unit_id,
                    change.role.map(Role::code),
                    change.status,
                    change.phone,
                    actor.staff.id,
                    actor.stamp()
                ],
            )
            .map_err(super::error::constraint_as_invalid)?;
        if n == 0 {
            return Err(DbError::NotFound);
        }
        // A new kam role moves the login to that role's group.
        match change.role {
            Some(role) => login_for(tx, Some(login), role),
            None => Ok(()),
        }
    })
}

/// Every member of staff with their status, by unit and name.
pub fn staff_list(conn: &Conn) -> Result<Vec<(Staff, String)>, DbError> {
    conn.rows("SELECT id, login, name, unit_id, role, status FROM staff ORDER BY unit_id, name", args![], |r| {
        let role: String = r.get(4)?;
        Ok((
            Staff {
                id: r.get(0)?,
                login: r.get(1)?,
                name: r.get(2)?,
                unit_id: r.get(3)?,
                role: Role::from_code(&role).unwrap_or(Role::Leader),
            },
            r.get(5)?,
        ))
    })
}
