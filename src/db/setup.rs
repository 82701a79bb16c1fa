//! The administrator's set-up of the office: the unit tree, the industries and
//! the service lines (SPEC §1, §3). Every write asks the access rules, runs in
//! one transaction and leaves its history (written by the triggers of schema
//! 10); nothing is deleted, only archived. The rules themselves are in
//! `domain::org`.

use super::history::HistoryRow;
use super::sql::{Dialect, Optional, Sql, args};
use super::{Actor, Conn, DbError, Store, Tx};
use crate::domain::id::DivisionCode;
use crate::domain::org::{
    ListKind, SetupRule, UnitLevel, check_code, check_name, check_optional_name, creates_cycle, tree_order,
};
use crate::domain::staff::{Refusal, Role};

/// A refused or failed change: a rule of `domain::org`, or storage (access
/// refusals included).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(transparent)]
    Rule(#[from] SetupRule),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<Refusal> for SetupError {
    fn from(r: Refusal) -> SetupError {
        SetupError::Db(DbError::Refused(r))
    }
}

/// A unit as the set-up screen and `kam unit list` show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRow {
    pub id: i64,
    pub code: String,
    pub name: String,
    /// `None` for a level code another program wrote.
    pub level: Option<UnitLevel>,
    pub parent_id: Option<i64>,
    pub division_code: String,
    pub archived: bool,
    /// Depth in the tree (0 at the top).
    pub depth: usize,
}

/// The unit tree in order (each unit followed by the units below it).
pub fn unit_tree(conn: &Conn, include_archived: bool) -> Result<Vec<UnitRow>, DbError> {
    let rows: Vec<UnitRow> = conn.rows(
        "SELECT id, code, name, kind, parent_id, division_code, archived FROM org_unit \
         WHERE archived = 0 OR ?1 ORDER BY code",
        args![include_archived],
        |r| {
            let kind: String = r.get(3)?;
            Ok(UnitRow {
                id: r.get(0)?,
                code: r.get(1)?,
                name: crate::domain::validate::sanitize_text(&r.get::<String>(2)?),
                level: UnitLevel::from_code(&kind),
                parent_id: r.get(4)?,
                division_code: r.get(5)?,
                archived: r.get(6)?,
                depth: 0,
            })
        },
    )?;
    let keys: Vec<(i64, Option<i64>, &str)> = rows.iter().map(|u| (u.id, u.parent_id, u.code.as_str())).collect();
    Ok(tree_order(&keys).into_iter().map(|(i, depth)| UnitRow { depth, ..rows[i].clone() }).collect())
}

/// What still hangs on a unit: live customers, staff who have not left, live units below.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UnitUse {
    pub customers: i64,
    pub staff: i64,
    pub units: i64,
}

impl UnitUse {
    pub fn is_empty(&self) -> bool {
        self.customers == 0 && self.staff == 0 && self.units == 0
    }
}

/// Counts by index: the customers of a unit are one range of `customer_unit`.
pub fn unit_use(conn: &Conn, unit: i64) -> Result<UnitUse, DbError> {
    let one = |sql: &str| -> Result<i64, DbError> { conn.row(sql, args![unit], |r| r.get(0)) };
    Ok(UnitUse {
        customers: one("SELECT count(*) FROM customer WHERE archived = 0 AND unit_id = ?1")?,
        staff: one("SELECT count(*) FROM staff WHERE unit_id = ?1 AND status <> 'left'")?,
        units: one("SELECT count(*) FROM org_unit WHERE parent_id = ?1 AND archived = 0")?,
    })
}

/// The two code-and-name lists the administrator keeps besides the units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RefList {
    Industry,
    ServiceLine,
    /// The reasons returned mail is counted under (退信原因, migration 14-volume).
    ReturnReason,
}

impl RefList {
    fn table(self) -> &'static str {
        match self {
            RefList::Industry => "industry",
            RefList::ServiceLine => "service_line",
            RefList::ReturnReason => "return_reason",
        }
    }
    /// The `history.entity` of its rows.
    pub fn entity(self) -> &'static str {
        self.table()
    }
    pub fn kind(self) -> ListKind {
        match self {
            RefList::Industry => ListKind::Industry,
            RefList::ServiceLine => ListKind::ServiceLine,
            RefList::ReturnReason => ListKind::ReturnReason,
        }
    }
}

/// An industry or a service line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListEntry {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub archived: bool,
}

/// Industries by code; service lines in their seeded order (the order of the
/// revenue grid's columns).
pub fn list_entries(conn: &Conn, list: RefList, include_archived: bool) -> Result<Vec<ListEntry>, DbError> {
    let order = if list == RefList::Industry { "code" } else { "id" };
    let sql = format!(
        "SELECT id, code, name_zh, name_en, archived FROM {} WHERE archived = 0 OR ?1 ORDER BY {order}",
        list.table()
    );
    let clean = |s: String| crate::domain::validate::sanitize_text(&s);
    conn.rows(&sql, args![include_archived], |r| {
        Ok(ListEntry {
            id: r.get(0)?,
            code: r.get(1)?,
            name_zh: clean(r.get(2)?),
            name_en: clean(r.get(3)?),
            archived: r.get(4)?,
        })
    })
}

/// Live customers in an industry (one range of `customer_industry`).
pub fn industry_customers(conn: &Conn, industry: i64) -> Result<i64, DbError> {
    conn.row("SELECT count(*) FROM customer WHERE archived = 0 AND industry_id = ?1", args![industry], |r| r.get(0))
}

/// The history of one unit, industry or service line, newest first.
pub fn history(conn: &Conn, entity: &str, id: i64, limit: u64) -> Result<Vec<HistoryRow>, DbError> {
    use super::history::{HISTORY_COLUMNS, HISTORY_JOINS};
    let sql = format!(
        "SELECT {HISTORY_COLUMNS} FROM history h {HISTORY_JOINS} \
         WHERE h.entity = ?1 AND h.entity_id = ?2 ORDER BY h.id DESC LIMIT ?3",
    );
    conn.rows(&sql, args![entity, id.to_string(), limit], HistoryRow::from_row)
}

// ---------------------------------------------------------------------------
// Units

/// A unit to add. Text as typed; checked by [`add_unit`].
#[derive(Debug, Clone, Default)]
pub struct NewUnit {
    pub code: String,
    pub name: String,
    pub division: String,
    /// Default: the usual level under the parent (a city without one).
    pub level: Option<UnitLevel>,
    /// The parent's code; `None` puts the unit at the top.
    pub parent: Option<String>,
}

/// A unit found by code (any case) inside a write.
struct Found {
    id: i64,
    code: String,
    level: Option<UnitLevel>,
    division: String,
    archived: bool,
}

fn find_unit(tx: &Tx<'_>, code: &str) -> Result<Option<Found>, DbError> {
    let sql = format!(
        "SELECT id, code, kind, division_code, archived FROM org_unit WHERE {} ORDER BY code = ?1 DESC LIMIT 1",
        same_code(tx.dialect())
    );
    tx.row(&sql, args![code.trim()], |r| {
        Ok(Found {
            id: r.get(0)?,
            code: r.get(1)?,
            level: UnitLevel::from_code(&r.get::<String>(2)?),
            division: r.get(3)?,
            archived: r.get(4)?,
        })
    })
    .optional()
}

/// `code` is `?1` in any case (ASCII letters: codes are checked by
/// `domain::org::check_code`).
fn same_code(dialect: Dialect) -> &'static str {
    match dialect {
        Dialect::Sqlite => "code = ?1 COLLATE NOCASE",
        Dialect::Postgres => "lower(code) = lower(?1)",
    }
}

fn unit_by_code(tx: &Tx<'_>, code: &str) -> Result<Found, SetupError> {
    find_unit(tx, code)?.ok_or_else(|| SetupRule::Unknown(ListKind::Unit, code.trim().to_string()).into())
}

fn division(text: &str) -> Result<DivisionCode, SetupRule> {
    DivisionCode::parse(text).map_err(|_| SetupRule::BadDivision)
}

/// The administrator adds a unit under a live parent (or at the top). A
/// blank division code is the parent's (a branch serves its district).
/// Returns the new unit's id and level.
pub fn add_unit(store: &mut Store, actor: &Actor, new: &NewUnit) -> Result<(i64, UnitLevel), SetupError> {
    actor.staff.may_administer()?;
    let code = check_code(&new.code)?;
    let name = check_name(&new.name)?;
    let typed_division = Some(new.division.trim()).filter(|d| !d.is_empty()).map(division).transpose()?;
    write(store, |tx| {
        if let Some(taken) = find_unit(tx, &code)? {
            return Err(SetupRule::DuplicateCode(taken.code).into());
        }
        let parent = new.parent.as_deref().map(|p| unit_by_code(tx, p)).transpose()?;
        if let Some(p) = parent.as_ref().filter(|p| p.archived) {
            return Err(SetupRule::Archived(p.code.clone()).into());
        }
        let division = match (typed_division, &parent) {
            (Some(d), _) => d,
            (None, Some(p)) => division(&p.division)?,
            (None, None) => return Err(SetupRule::BadDivision.into()),
        };
        let parent_level = parent.as_ref().and_then(|p| p.level);
        let level = new.level.or(parent_level.map(UnitLevel::below)).unwrap_or(UnitLevel::City);
        if let Some(pl) = parent_level.filter(|pl| !level.may_sit_under(*pl)) {
            return Err(SetupRule::LevelOrder { level, parent: pl }.into());
        }
        let id = tx
            .row(
                "INSERT INTO org_unit (code, name, kind, parent_id, division_code, updated_by, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
                args![code, name, level.code(), parent.map(|p| p.id), division.as_str(), actor.staff.id, actor.stamp()],
                |r| r.get(0),
            )
            .map_err(super::error::constraint_as_invalid)?;
        Ok((id, level))
    })
}

/// The administrator renames a unit or changes its division code (an
/// administrative reform renumbers districts; the IDs of its customers keep the
/// division they were given). Archived units too: their names show on old records.
pub fn edit_unit(
    store: &mut Store,
    actor: &Actor,
    code: &str,
    name: Option<&str>,
    division_code: Option<&str>,
) -> Result<(), SetupError> {
    actor.staff.may_administer()?;
    let name = name.map(check_name).transpose()?;
    let division = division_code.map(division).transpose()?;
    if name.is_none() && division.is_none() {
        return Err(SetupRule::EmptyName.into());
    }
    write(store, |tx| {
        let unit = unit_by_code(tx, code)?;
        tx.exec(
            "UPDATE org_unit SET name = coalesce(?2, name), division_code = coalesce(?3, division_code), \
             updated_by = ?4, updated_at = ?5 WHERE id = ?1",
            args![unit.id, name, division.as_ref().map(|d| d.as_str()), actor.staff.id, actor.stamp()],
        )?;
        Ok(())
    })
}

/// The administrator moves a live unit under another live unit (`None`: to the
/// top). Refused when the new parent is the unit itself or below it, or of a
/// level the unit cannot sit under.
pub fn move_unit(store: &mut Store, actor: &Actor, code: &str, parent: Option<&str>) -> Result<(), SetupError> {
    actor.staff.may_administer()?;
    write(store, |tx| {
        let unit = unit_by_code(tx, code)?;
        if unit.archived {
            return Err(SetupRule::Archived(unit.code).into());
        }
        let parent = parent.map(|p| unit_by_code(tx, p)).transpose()?;
        if let Some(p) = &parent {
            let parent_of = |id: i64| {
                tx.row("SELECT parent_id FROM org_unit WHERE id = ?1", args![id], |r| r.get::<Option<i64>>(0))
                    .ok()
                    .flatten()
            };
            if creates_cycle(unit.id, p.id, parent_of) {
                return Err(SetupRule::Cycle { unit: unit.code, parent: p.code.clone() }.into());
            }
            if p.archived {
                return Err(SetupRule::Archived(p.code.clone()).into());
            }
            if let (Some(level), Some(pl)) = (unit.level, p.level)
                && !level.may_sit_under(pl)
            {
                return Err(SetupRule::LevelOrder { level, parent: pl }.into());
            }
        }
        tx.exec(
            "UPDATE org_unit SET parent_id = ?2, updated_by = ?3, updated_at = ?4 WHERE id = ?1",
            args![unit.id, parent.map(|p| p.id), actor.staff.id, actor.stamp()],
        )?;
        Ok(())
    })
}

/// The administrator archives a unit nobody works in any more: no live
/// customers, no staff who have not left, no live units below. Its name stays
/// on the records that name it.
pub fn archive_unit(store: &mut Store, actor: &Actor, code: &str) -> Result<(), SetupError> {
    actor.staff.may_administer()?;
    write(store, |tx| {
        let unit = unit_by_code(tx, code)?;
        if unit.archived {
            return Err(SetupRule::AlreadyArchived(unit.code).into());
        }
        let used = unit_use(tx, unit.id)?;
        if !used.is_empty() {
            return Err(SetupRule::InUse { customers: used.customers, staff: used.staff, units: used.units }.into());
        }
        set_unit_archived(tx, actor, unit.id, true)
    })
}

/// The administrator brings an archived unit back (under a live parent).
pub fn restore_unit(store: &mut Store, actor: &Actor, code: &str) -> Result<(), SetupError> {
    actor.staff.may_administer()?;
    write(store, |tx| {
        let unit = unit_by_code(tx, code)?;
        if !unit.archived {
            return Err(SetupRule::NotArchived(unit.code).into());
        }
        let parent: Option<(String, bool)> = tx
            .row(
                "SELECT p.code, p.archived FROM org_unit u JOIN org_unit p ON p.id = u.parent_id WHERE u.id = ?1",
                args![unit.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((parent, true)) = parent {
            return Err(SetupRule::Archived(parent).into());
        }
        set_unit_archived(tx, actor, unit.id, false)
    })
}

fn set_unit_archived(tx: &Tx<'_>, actor: &Actor, id: i64, archived: bool) -> Result<(), SetupError> {
    tx.exec(
        "UPDATE org_unit SET archived = ?2, updated_by = ?3, updated_at = ?4 WHERE id = ?1",
        args![id, archived, actor.staff.id, actor.stamp()],
    )?;
    Ok(())
}

// ---------------------------------------------------------------------------
// Industries and service lines

/// An entry found by code (any case) inside a write.
fn find_entry(tx: &Tx<'_>, list: RefList, code: &str) -> Result<Option<(i64, String, bool)>, DbError> {
    let sql = format!(
        "SELECT id, code, archived FROM {} WHERE {} ORDER BY code = ?1 DESC LIMIT 1",
        list.table(),
        same_code(tx.dialect())
    );
    tx.row(&sql, args![code.trim()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?))).optional()
}

fn entry_by_code(tx: &Tx<'_>, list: RefList, code: &str) -> Result<(i64, String, bool), SetupError> {
    find_entry(tx, list, code)?.ok_or_else(|| SetupRule::Unknown(list.kind(), code.trim().to_string()).into())
}

/// The administrator adds an industry or a service line. Without an English
/// name the Chinese one is used in both languages.
pub fn add_entry(
    store: &mut Store,
    actor: &Actor,
    list: RefList,
    code: &str,
    name_zh: &str,
    name_en: Option<&str>,
) -> Result<i64, SetupError> {
    actor.staff.may_administer()?;
    let code = check_code(code)?;
    let name_zh = check_name(name_zh)?;
    let name_en = check_optional_name(name_en)?.unwrap_or_else(|| name_zh.clone());
    write(store, |tx| {
        if let Some((_, taken, _)) = find_entry(tx, list, &code)? {
            return Err(SetupRule::DuplicateCode(taken).into());
        }
        let sql = format!(
            "INSERT INTO {} (code, name_zh, name_en, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4, ?5) RETURNING id",
            list.table()
        );
        Ok(tx
            .row(&sql, args![code, name_zh, name_en, actor.staff.id, actor.stamp()], |r| r.get(0))
            .map_err(super::error::constraint_as_invalid)?)
    })
}

/// The administrator renames an industry or a service line; a name not given
/// stays, except an English name that only repeated the Chinese one (none was
/// given when it was added): it follows the new Chinese name.
pub fn rename_entry(
    store: &mut Store,
    actor: &Actor,
    list: RefList,
    code: &str,
    name_zh: Option<&str>,
    name_en: Option<&str>,
) -> Result<(), SetupError> {
    actor.staff.may_administer()?;
    let name_zh = name_zh.map(check_name).transpose()?;
    let name_en = check_optional_name(name_en)?;
    if name_zh.is_none() && name_en.is_none() {
        return Err(SetupRule::EmptyName.into());
    }
    write(store, |tx| {
        let (id, _, _) = entry_by_code(tx, list, code)?;
        let sql = format!(
            "UPDATE {} SET name_zh = coalesce(?2, name_zh), \
             name_en = coalesce(?3, CASE WHEN name_en = name_zh THEN coalesce(?2, name_zh) ELSE name_en END), \
             updated_by = ?4, updated_at = ?5 WHERE id = ?1",
            list.table()
        );
        tx.exec(&sql, args![id, name_zh, name_en, actor.staff.id, actor.stamp()])?;
        Ok(())
    })
}

/// The administrator archives (or, with `archived = false`, restores) an
/// industry or a service line. Archived entries are no longer offered for new
/// records; the customers and revenue that name them keep them.
pub fn set_entry_archived(
    store: &mut Store,
    actor: &Actor,
    list: RefList,
    code: &str,
    archived: bool,
) -> Result<(), SetupError> {
    actor.staff.may_administer()?;
    write(store, |tx| {
        let (id, code, now) = entry_by_code(tx, list, code)?;
        match (now, archived) {
            (true, true) => return Err(SetupRule::AlreadyArchived(code).into()),
            (false, false) => return Err(SetupRule::NotArchived(code).into()),
            _ => {}
        }
        let sql = format!("UPDATE {} SET archived = ?2, updated_by = ?3, updated_at = ?4 WHERE id = ?1", list.table());
        tx.exec(&sql, args![id, archived, actor.staff.id, actor.stamp()])?;
        Ok(())
    })
}

// ---------------------------------------------------------------------------
// The founding of a file (`kam init`)

/// The first unit and its administrator.
#[derive(Debug, Clone)]
pub struct Founding<'a> {
    pub unit_code: &'a str,
    pub unit_name: &'a str,
    pub level: UnitLevel,
    pub division: &'a str,
    pub login: &'a str,
    pub admin_name: &'a str,
    /// When the history says it happened.
    pub stamp: &'a str,
}

/// Sets up an empty file: the first unit and its administrator, each written
/// with its history, the unit's authored by the administrator. Returns the
/// unit's and the administrator's ids.
pub fn found_office(store: &mut Store, f: &Founding<'_>) -> Result<(i64, i64), SetupError> {
    let code = check_code(f.unit_code)?;
    let unit_name = check_name(f.unit_name)?;
    let admin_name = check_name(f.admin_name)?;
    let division = division(f.division)?;
    write(store, |tx| {
        // Only an empty file is founded: once it has staff, units and people are
        // the administrator's to add (`add_unit`, `add_staff`).
        if super::reference::staff_count(tx)? > 0 {
            return Err(DbError::Refused(Refusal::AdministratorOnly).into());
        }
        // The unit names its author and the administrator works in the unit:
        // the foreign keys are checked at commit, when both rows exist.
        // PostgreSQL: only DEFERRABLE keys wait; migrations-pg makes both
        // keys of this pair so (org_unit.updated_by, staff.unit_id).
        tx.exec_batch(match tx.dialect() {
            Dialect::Sqlite => "PRAGMA defer_foreign_keys = ON",
            Dialect::Postgres => "SET CONSTRAINTS ALL DEFERRED",
        })?;
        // The unit's id, taken before the unit is written. PostgreSQL's ids
        // come from the column's identity sequence, which an id written
        // outside it would not move on.
        let next_unit = match tx.dialect() {
            Dialect::Sqlite => "SELECT coalesce(max(id), 0) + 1 FROM org_unit",
            Dialect::Postgres => "SELECT nextval(pg_get_serial_sequence('org_unit', 'id'))",
        };
        let unit: i64 = tx.row(next_unit, args![], |r| r.get(0))?;
        let admin = super::reference::insert_staff_at(
            tx,
            &super::reference::NewStaff {
                login: Some(f.login),
                name: &admin_name,
                unit_id: unit,
                role: Role::Admin,
                phone: None,
            },
            f.stamp,
        )?;
        if let Some(taken) = find_unit(tx, &code)? {
            return Err(SetupRule::DuplicateCode(taken.code).into());
        }
        tx.exec(
            "INSERT INTO org_unit (id, code, name, kind, parent_id, division_code, updated_by, updated_at) \
             VALUES (?1, ?2, ?3, ?4, NULL, ?5, ?6, ?7)",
            args![unit, code, unit_name, f.level.code(), division.as_str(), admin, f.stamp],
        )?;
        // On a server the administrator gets their login role.
        super::reference::login_for(tx, Some(f.login), Role::Admin)?;
        Ok((unit, admin))
    })
}

// ---------------------------------------------------------------------------

fn write<T>(store: &mut Store, work: impl FnOnce(&Tx<'_>) -> Result<T, SetupError>) -> Result<T, SetupError> {
    store.write_as(work)
}
