//! Customers: the dossier, creation with system-assigned IDs, versioned edits,
//! registration decisions, tier overrides and archiving. The paged list is in
//! [`list`].

mod list;
mod registrations;

pub use list::*;
pub use registrations::{PendingRegistration, pending_registrations};

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::engine::EngineError;
use super::error::constraint_as_invalid;
use super::history::stale_edit_conflict;
use super::revenue::TierBasis;
use super::sql::{Dialect, Optional, Row, Sql, ToValue, args};
use super::sql_types::{Shown, field_of};
use super::{Actor, Conn, DbError, Store, Tx};
use crate::domain::cadence::next_update_due;
use crate::domain::dossier::{self, FieldValue, customer_field, customer_fields};
use crate::domain::id::{CustomerId, DivisionCode, next_branch_id, next_customer_id};
use crate::domain::money::Money;
use crate::domain::staff::Refusal;
use crate::domain::tier::{Tier, TierInputs, TierPreset, assess_tier};
use crate::search::{search_key, search_starts, sort_key};

/// Everything the dossier shows about one customer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dossier {
    pub id: CustomerId,
    pub version: i64,
    pub values: BTreeMap<&'static str, FieldValue>,
    pub tier: Tier,
    pub tier_preset: String,
    pub tier_override: Option<Tier>,
    pub tier_override_reason: Option<String>,
    pub status: String,
    pub registration: String,
    pub dossier_updated_on: NaiveDate,
    pub update_due_on: NaiveDate,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
    pub updated_by: String,
    /// The tier inputs as of loading: the ledger's last twelve months (the typed
    /// estimate while it has none) and the unit's revenue.
    pub tier_basis: TierBasis,
    /// 一次性客户: excepted from the fluctuation review.
    pub one_off: bool,
}

impl Dossier {
    pub fn value(&self, key: &str) -> &FieldValue {
        static NULL: FieldValue = FieldValue::Null;
        self.values.get(key).unwrap_or(&NULL)
    }
    pub fn text(&self, key: &str) -> &str {
        self.value(key).as_text().unwrap_or("")
    }
    pub fn owner_a(&self) -> i64 {
        self.value("owner_a").as_int().unwrap_or_default()
    }
    pub fn owner_b(&self) -> Option<i64> {
        self.value("owner_b").as_int()
    }
    /// The inputs the tier presets read (see [`Dossier::tier_basis`]).
    pub fn tier_inputs(&self) -> TierInputs {
        self.tier_basis.inputs
    }
}

fn tier_basis_of(
    conn: &Conn,
    id: &CustomerId,
    values: &BTreeMap<&'static str, FieldValue>,
) -> Result<TierBasis, DbError> {
    let money = |k: &str| values.get(k).and_then(FieldValue::as_money);
    let unit = values.get("unit_id").and_then(FieldValue::as_int).unwrap_or_default();
    super::revenue::tier_basis(conn, id, unit, money("annual_revenue"), money("monthly_payroll"))
}

/// Fields kept on the narrow `customer` row (what lists show, filter and rank by);
/// every other dossier field lives in `customer_profile`.
const CORE_FIELDS: &[&str] = &[
    "short_name",
    "full_name",
    "kind",
    "stage",
    "unit_id",
    "owner_a",
    "owner_b",
    "industry_id",
    "annual_revenue",
    "monthly_payroll",
];

pub(crate) fn in_profile(key: &str) -> bool {
    !CORE_FIELDS.contains(&key)
}

fn dossier_columns() -> String {
    customer_fields()
        .map(|f| format!("{}.{}", if in_profile(f.key) { "p" } else { "c" }, f.key))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn load(conn: &Conn, id: &CustomerId) -> Result<Dossier, DbError> {
    let sql = format!(
        "SELECT c.version, c.tier, c.tier_preset, c.tier_override, c.tier_override_reason, c.status, \
         c.registration, c.dossier_updated_on, c.update_due_on, c.archived, c.created_at, c.updated_at, \
         (SELECT name FROM staff WHERE id = c.updated_by), c.one_off, {} \
         FROM customer c LEFT JOIN customer_profile p ON p.customer_id = c.id WHERE c.id = ?1",
        dossier_columns()
    );
    const FIXED: usize = 14;
    let mut d = conn.row(&sql, args![id], |r| {
        let mut values = BTreeMap::new();
        for (i, spec) in customer_fields().enumerate() {
            values.insert(spec.key, field_at(r, FIXED + i, spec)?);
        }
        let tier: String = r.get(1)?;
        let over: Option<String> = r.get(3)?;
        Ok(Dossier {
            id: id.clone(),
            version: r.get(0)?,
            values,
            tier: Tier::from_code(&tier).unwrap_or(Tier::General),
            tier_preset: r.get(2)?,
            tier_override: over.as_deref().and_then(Tier::from_code),
            tier_override_reason: r.get(4)?,
            status: r.get(5)?,
            registration: r.get(6)?,
            dossier_updated_on: r.get(7)?,
            update_due_on: r.get(8)?,
            archived: r.get(9)?,
            created_at: r.get::<Shown>(10)?.0,
            updated_at: r.get::<Shown>(11)?.0,
            updated_by: r.get::<Option<String>>(12)?.unwrap_or_default(),
            one_off: r.get(13)?,
            tier_basis: TierBasis::default(),
        })
    })?;
    d.tier_basis = tier_basis_of(conn, id, &d.values)?;
    Ok(d)
}

/// Column `i` read as the dossier field `spec` says it holds; a value that is
/// not one is an error naming the field and the value.
fn field_at(r: &Row<'_>, i: usize, spec: &dossier::FieldSpec) -> Result<FieldValue, DbError> {
    let value = r.value(i)?;
    field_of(spec, &value).ok_or_else(|| {
        DbError::Engine(EngineError::Conversion {
            what: format!("customer field {}", spec.key),
            value: format!("{value:?}"),
            to: format!("{:?}", spec.kind),
        })
    })
}

/// A new customer as the create form hands it over.
#[derive(Debug, Clone)]
pub struct NewCustomer {
    /// The customer's administrative division (first six digits of the ID).
    pub division: DivisionCode,
    /// Set when the new customer is a branch of an existing headquarters.
    pub headquarters: Option<CustomerId>,
    pub values: BTreeMap<&'static str, FieldValue>,
    /// Why the registering unit claims this customer (SPEC §2.3).
    pub reason: String,
}

/// Files a new customer with a system-assigned ID and a pending registration.
pub fn create(store: &mut Store, actor: &Actor, new: &NewCustomer, preset: TierPreset) -> Result<CustomerId, DbError> {
    actor.staff.may_register_customer()?;
    for spec in customer_fields() {
        if spec.required && new.values.get(spec.key).is_none_or(FieldValue::is_null) {
            return Err(DbError::Invalid(crate::db::Invalid::Required(spec.key)));
        }
    }
    store.write(|tx| {
        let id = match &new.headquarters {
            Some(hq) => {
                let prefix = &hq.as_str()[..11];
                let max: Option<String> = tx.row(
                    "SELECT max(substr(id, 12, 3)) FROM customer WHERE id BETWEEN ?1 AND ?2",
                    args![format!("{prefix}000"), format!("{prefix}999")],
                    |r| r.get(0),
                )?;
                if max.is_none() {
                    return Err(DbError::NotFound);
                }
                let max = max.and_then(|m| m.parse::<u16>().ok());
                next_branch_id(hq, max)?
            }
            None => {
                let div = new.division.as_str();
                let max: Option<String> = tx.row(
                    "SELECT max(substr(id, 7, 5)) FROM customer WHERE id BETWEEN ?1 AND ?2",
                    args![format!("{div}00000000"), format!("{div}99999999")],
                    |r| r.get(0),
                )?;
                let max = max.and_then(|m| m.parse::<u32>().ok());
                next_customer_id(&new.division, max)?
            }
        };
        insert_customer(tx, actor, &id, &new.values, preset, "pending")?;
        let unit = new.values.get("unit_id").and_then(FieldValue::as_int).unwrap_or(actor.staff.unit_id);
        let owner = new.values.get("owner_a").and_then(FieldValue::as_int).unwrap_or(actor.staff.id);
        file_registration_in(tx, actor, &id, &Registration { unit, owner, reason: &new.reason, decided: None })?;
        Ok(id)
    })
}

/// A registration as filed (SPEC §2.3), with the decision if one was already taken.
#[derive(Debug, Clone)]
pub struct Registration<'a> {
    pub unit: i64,
    pub owner: i64,
    pub reason: &'a str,
    /// (approved?, decided by, decided at, note)
    pub decided: Option<(bool, i64, chrono::NaiveDateTime, &'a str)>,
}

/// Files a registration for a customer within an open transaction.
pub fn file_registration_in(tx: &Tx<'_>, actor: &Actor, id: &CustomerId, r: &Registration<'_>) -> Result<(), DbError> {
    actor.staff.may_register_customer()?;
    // A registration filed as already decided records a decision: the one who
    // files it decides it, and must decide about the unit's customers.
    if let Some((_, by, _, _)) = r.decided {
        super::access::may_decide_for_unit(tx, actor, r.unit)?;
        if by != actor.staff.id {
            return Err(Refusal::DecidedBy { unit: super::access::deciding_unit(tx, r.unit)?.name }.into());
        }
    }
    let (decision, by, at, note) = match r.decided {
        None => ("pending", None, None, None),
        Some((approved, by, at, note)) => {
            (if approved { "approved" } else { "rejected" }, Some(by), Some(super::now_stamp(at)), Some(note))
        }
    };
    tx.exec(
        "INSERT INTO registration (customer_id, unit_id, owner_id, reason, filed_by, filed_at, \
         decision, decided_by, decided_at, decision_note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        args![id, r.unit, r.owner, r.reason, actor.staff.id, actor.stamp(), decision, by, at, note],
    )
    .map_err(constraint_as_invalid)?;
    Ok(())
}

/// Inserts a customer row with a known ID (creation and the demo generator).
pub fn insert_customer(
    tx: &Tx<'_>,
    actor: &Actor,
    id: &CustomerId,
    values: &BTreeMap<&'static str, FieldValue>,
    preset: TierPreset,
    registration: &str,
) -> Result<(), DbError> {
    actor.staff.may_register_customer()?;
    // A customer written as already approved (or rejected) is a decision about its unit.
    if registration != "pending" {
        let unit = values
            .get("unit_id")
            .and_then(FieldValue::as_int)
            .ok_or(DbError::Invalid(crate::db::Invalid::Required("unit_id")))?;
        super::access::may_decide_for_unit(tx, actor, unit)?;
    }
    let derived = Derived::compute(tx, id, values, None, preset, actor.today())?;
    let keys: Vec<&str> = values.keys().copied().filter(|k| customer_field(k).is_some() && !in_profile(k)).collect();
    let mut cols = keys.join(", ");
    let mut marks: Vec<String> = (1..=keys.len()).map(|i| format!("?{i}")).collect();
    let mut args: Vec<&dyn ToValue> = keys.iter().map(|k| &values[k] as &dyn ToValue).collect();
    let stamp = actor.stamp();
    let today = actor.today();
    let extra: [(&str, &dyn ToValue); 6] = [
        ("id", id),
        ("registration", &registration),
        ("created_by", &actor.staff.id),
        ("created_at", &stamp),
        ("updated_by", &actor.staff.id),
        ("updated_at", &stamp),
    ];
    for (col, val) in extra.into_iter().chain(derived.columns(&today)) {
        if !cols.is_empty() {
            cols.push_str(", ");
        }
        cols.push_str(col);
        args.push(val);
        marks.push(format!("?{}", args.len()));
    }
    let sql = format!("INSERT INTO customer ({cols}) VALUES ({})", marks.join(", "));
    tx.exec(&sql, &args).map_err(constraint_as_invalid)?;
    insert_search_key(&**tx, id.as_str(), &derived.search_key, &derived.starts)?;
    let profile: Vec<&str> = values.keys().copied().filter(|k| customer_field(k).is_some() && in_profile(k)).collect();
    let mut args: Vec<&dyn ToValue> = vec![id];
    args.extend(profile.iter().map(|k| &values[k] as &dyn ToValue));
    let marks: Vec<String> = (1..=args.len()).map(|i| format!("?{i}")).collect();
    let cols: Vec<&str> = std::iter::once("customer_id").chain(profile.iter().copied()).collect();
    let sql = format!("INSERT INTO customer_profile ({}) VALUES ({})", cols.join(", "), marks.join(", "));
    tx.exec(&sql, &args).map_err(constraint_as_invalid)?;
    Ok(())
}

/// Columns kept in step with the editable fields.
struct Derived {
    tier_code: String,
    tier_rank: i64,
    preset_code: String,
    update_due_on: NaiveDate,
    search_key: String,
    /// What short queries find the customer by (`search::search_starts`).
    starts: Vec<String>,
    /// The short name's pinyin sort key (`search::sort_key`).
    name_key: String,
    name_norm: String,
    address_norm: String,
}

impl Derived {
    /// The derived columns and their values, for an INSERT or UPDATE.
    fn columns<'a>(&'a self, updated_on: &'a NaiveDate) -> [(&'static str, &'a dyn ToValue); 8] {
        [
            ("tier", &self.tier_code),
            ("tier_rank", &self.tier_rank),
            ("tier_preset", &self.preset_code),
            ("dossier_updated_on", updated_on),
            ("update_due_on", &self.update_due_on),
            ("name_norm", &self.name_norm),
            ("address_norm", &self.address_norm),
            ("name_key", &self.name_key),
        ]
    }

    fn compute(
        conn: &Conn,
        id: &CustomerId,
        values: &BTreeMap<&'static str, FieldValue>,
        tier_override: Option<Tier>,
        preset: TierPreset,
        updated_on: NaiveDate,
    ) -> Result<Derived, DbError> {
        let text = |k: &str| values.get(k).and_then(FieldValue::as_text).unwrap_or("");
        let computed = assess_tier(preset, &tier_basis_of(conn, id, values)?.inputs).tier;
        let tier = tier_override.unwrap_or(computed);
        Ok(Derived {
            tier_code: tier.code().to_string(),
            tier_rank: tier.rank() as i64,
            preset_code: preset.code().to_string(),
            update_due_on: next_update_due(tier, updated_on),
            search_key: search_key(&[id.as_str(), text("short_name"), text("full_name")]),
            starts: search_starts(id.as_str(), &[text("short_name"), text("full_name")]),
            name_key: sort_key(text("short_name")),
            name_norm: dossier::normalize_company_name(text("full_name")),
            address_norm: dossier::normalize_address(text("address")),
        })
    }
}

/// Saves edited fields of a dossier opened at `base`.
///
/// If someone else saved in between, their changes and ours are merged when they
/// touched different fields; when both changed the same field the save is refused
/// with a [`Conflict`] listing what they changed, and nothing is written.
pub fn update(
    store: &mut Store,
    actor: &Actor,
    base: &Dossier,
    changes: &[(&'static str, FieldValue)],
    preset: TierPreset,
) -> Result<i64, DbError> {
    store.write(|tx| update_in(tx, actor, base, changes, preset))
}

/// [`update`] within an open transaction (bulk imports write many in one).
pub fn update_in(
    tx: &Tx<'_>,
    actor: &Actor,
    base: &Dossier,
    changes: &[(&'static str, FieldValue)],
    preset: TierPreset,
) -> Result<i64, DbError> {
    let current = load(tx, &base.id)?;
    may_edit(tx, actor, &current)?;
    let reassigning =
        changes.iter().any(|(k, v)| matches!(*k, "owner_a" | "owner_b" | "unit_id") && current.value(k) != v);
    if reassigning {
        // The unit the customer belongs to now decides whom it goes to.
        let unit = current.value("unit_id").as_int().unwrap_or_default();
        super::access::may_decide_for_unit(tx, actor, unit)?;
    }
    if current.version != base.version {
        let editing: Vec<&str> = changes.iter().map(|(k, _)| *k).collect();
        let moved = changed_fields(base, &current);
        let id = base.id.as_str();
        if let Some(c) = stale_edit_conflict(tx, "customer", id, actor.staff.id, moved, &editing, current.version)? {
            return Err(DbError::Conflict(Box::new(c)));
        }
    }
    let mut values = current.values.clone();
    let mut real: Vec<(&'static str, &FieldValue)> = Vec::new();
    for (k, v) in changes {
        if customer_field(k).is_none() {
            return Err(DbError::Invalid(crate::db::Invalid::UnknownField(k.to_string())));
        }
        if values.get(k) != Some(v) {
            values.insert(k, v.clone());
            real.push((k, v));
        }
    }
    if real.is_empty() {
        return Ok(current.version);
    }
    let derived = Derived::compute(tx, &base.id, &values, current.tier_override, preset, actor.today())?;
    let mut sets: Vec<String> = Vec::new();
    let mut args: Vec<&dyn ToValue> = Vec::new();
    for (k, v) in real.iter().filter(|(k, _)| !in_profile(k)) {
        args.push(*v);
        sets.push(format!("{k} = ?{}", args.len()));
    }
    let stamp = actor.stamp();
    let today = actor.today();
    let id = &base.id;
    let next_version = current.version + 1;
    let extra: [(&str, &dyn ToValue); 3] =
        [("updated_by", &actor.staff.id), ("updated_at", &stamp), ("version", &next_version)];
    for (col, val) in extra.into_iter().chain(derived.columns(&today)) {
        args.push(val);
        sets.push(format!("{col} = ?{}", args.len()));
    }
    args.push(id);
    let id_n = args.len();
    args.push(&current.version);
    // The customer row first: the profile's history trigger reads its author from it.
    let sql = format!("UPDATE customer SET {} WHERE id = ?{id_n} AND version = ?{}", sets.join(", "), args.len());
    let n = tx.exec(&sql, &args).map_err(constraint_as_invalid)?;
    if n != 1 {
        return Err(DbError::NotFound);
    }
    let profile: Vec<&(&'static str, &FieldValue)> = real.iter().filter(|(k, _)| in_profile(k)).collect();
    if !profile.is_empty() {
        let mut sets = Vec::new();
        let mut args: Vec<&dyn ToValue> = Vec::new();
        for (k, v) in &profile {
            args.push(*v);
            sets.push(format!("{k} = ?{}", args.len()));
        }
        args.push(id);
        let sql = format!("UPDATE customer_profile SET {} WHERE customer_id = ?{}", sets.join(", "), args.len());
        tx.exec(&sql, &args).map_err(constraint_as_invalid)?;
    }
    if real.iter().any(|(k, _)| matches!(*k, "short_name" | "full_name")) {
        // Keyed by rowid on SQLite (see `insert_search_key`).
        let search = match tx.dialect() {
            Dialect::Sqlite => {
                "UPDATE customer_search SET key = ?1 WHERE rowid = (SELECT rowid FROM customer WHERE id = ?2)"
            }
            Dialect::Postgres => "UPDATE customer_search SET key = ?1 WHERE customer_id = ?2",
        };
        tx.exec(search, args![derived.search_key, id])?;
        // The starts the names no longer give go, those they now give come;
        // each by its key (the table has no other index).
        let was = search_starts(id.as_str(), &[current.text("short_name"), current.text("full_name")]);
        for gone in was.iter().filter(|g| !derived.starts.contains(g)) {
            tx.exec("DELETE FROM customer_prefix WHERE gram = ?1 AND customer_id = ?2", args![gone, id])?;
        }
        let new: Vec<String> = derived.starts.iter().filter(|g| !was.contains(g)).cloned().collect();
        insert_starts(&**tx, id.as_str(), &new)?;
    }
    Ok(next_version)
}

/// Fields that differ between two versions of a dossier, as display-ready text.
fn changed_fields(then: &Dossier, now: &Dossier) -> Vec<(String, String, String)> {
    customer_fields()
        .filter(|f| then.value(f.key) != now.value(f.key))
        .map(|f| (f.key.to_string(), then.value(f.key).edit_text(), now.value(f.key).edit_text()))
        .collect()
}

/// Whether `actor` may change this dossier (its owners and unit as now stored).
fn may_edit(tx: &Tx<'_>, actor: &Actor, current: &Dossier) -> Result<(), DbError> {
    let unit = current.value("unit_id").as_int().unwrap_or_default();
    super::access::may_edit_owned(tx, actor, current.owner_a(), current.owner_b(), unit)
}

/// Archives (or restores) a customer. Nothing is ever deleted.
pub fn set_archived(store: &mut Store, actor: &Actor, id: &CustomerId, archived: bool) -> Result<(), DbError> {
    store.write(|tx| {
        let current = load(tx, id)?;
        may_edit(tx, actor, &current)?;
        tx.exec(
            "UPDATE customer SET archived = ?1, updated_by = ?2, updated_at = ?3, version = version + 1 WHERE id = ?4",
            args![archived, actor.staff.id, actor.stamp(), id],
        )?;
        Ok(())
    })
}

/// A supervisor approves or rejects a pending registration (SPEC §2.3).
pub fn decide_registration(
    store: &mut Store,
    actor: &Actor,
    id: &CustomerId,
    approve: bool,
    note: &str,
) -> Result<(), DbError> {
    store.write(|tx| {
        super::access::may_decide_for_customer(tx, actor, id)?;
        let decision = if approve { "approved" } else { "rejected" };
        let n = tx.exec(
            "UPDATE registration SET decision = ?1, decided_by = ?2, decided_at = ?3, decision_note = ?4 \
             WHERE customer_id = ?5 AND decision = 'pending'",
            args![decision, actor.staff.id, actor.stamp(), note, id],
        )?;
        if n == 0 {
            return Err(DbError::NotFound);
        }
        tx.exec(
            "UPDATE customer SET registration = ?1, updated_by = ?2, updated_at = ?3, version = version + 1 WHERE id = ?4",
            args![decision, actor.staff.id, actor.stamp(), id],
        )?;
        Ok(())
    })
}

/// A supervisor sets (or, with `None`, lifts) a tier override with a recorded reason.
pub fn override_tier(
    store: &mut Store,
    actor: &Actor,
    id: &CustomerId,
    tier: Option<Tier>,
    reason: &str,
    preset: TierPreset,
) -> Result<(), DbError> {
    if tier.is_some() && reason.trim().is_empty() {
        return Err(DbError::Invalid(crate::db::Invalid::Required("tier_override_reason")));
    }
    store.write(|tx| {
        super::access::may_decide_for_customer(tx, actor, id)?;
        let current = load(tx, id)?;
        let derived = Derived::compute(tx, id, &current.values, tier, preset, current.dossier_updated_on)?;
        let reason = tier.map(|_| reason.trim().to_string());
        tx.exec(
            "UPDATE customer SET tier_override = ?1, tier_override_reason = ?2, tier = ?3, tier_rank = ?4, \
             tier_preset = ?5, update_due_on = ?6, updated_by = ?7, updated_at = ?8, version = version + 1 WHERE id = ?9",
            args![
                tier.map(Tier::code),
                reason,
                derived.tier_code,
                derived.tier_rank,
                derived.preset_code,
                derived.update_due_on,
                actor.staff.id,
                actor.stamp(),
                id
            ],
        )?;
        Ok(())
    })
}

/// Why an existing customer looks like the one being registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Likeness {
    SameName,
    SimilarName,
    SameAddress,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SimilarCustomer {
    pub id: CustomerId,
    pub full_name: String,
    pub owner_a: i64,
    pub unit_id: i64,
    pub likeness: Likeness,
}

/// Existing customers that are likely the same organisation: the same or a very
/// similar full name, or the same address (SPEC §2.3, 多头营销).
pub fn similar(
    conn: &Conn,
    full_name: &str,
    address: &str,
    except: Option<&CustomerId>,
) -> Result<Vec<SimilarCustomer>, DbError> {
    let norm = dossier::normalize_company_name(full_name);
    let addr = dossier::normalize_address(address);
    let mut found: Vec<SimilarCustomer> = Vec::new();
    let except = except.map_or("", CustomerId::as_str);
    if !norm.is_empty() {
        // Candidates: the same normalised name (indexed), and names sharing any
        // three-character run with it (the trigram search index), so a difference
        // anywhere in the name still finds them. An edit distance then decides.
        let mut candidates: Vec<(CustomerId, String, i64, i64, String)> = Vec::new();
        let row = |r: &Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?));
        candidates.extend(conn.rows(
            "SELECT id, full_name, owner_a, unit_id, name_norm FROM customer WHERE name_norm = ?1 AND id <> ?2 LIMIT 20",
            args![norm, except],
            row,
        )?);
        let chars: Vec<char> = norm.chars().collect();
        // The search table is keyed by rowid on SQLite, by the customer's ID on PostgreSQL.
        let near = match conn.dialect() {
            Dialect::Sqlite => {
                "SELECT c.id, c.full_name, c.owner_a, c.unit_id, c.name_norm FROM customer_search s \
                 JOIN customer c ON c.rowid = s.rowid WHERE s.key LIKE ?1 AND c.id <> ?2 LIMIT 100"
            }
            Dialect::Postgres => {
                "SELECT c.id, c.full_name, c.owner_a, c.unit_id, c.name_norm FROM customer_search s \
                 JOIN customer c ON c.id = s.customer_id WHERE s.key LIKE ?1 AND c.id <> ?2 LIMIT 100"
            }
        };
        for run in chars.windows(3).filter(|w| w.iter().all(|c| !matches!(c, '%' | '_'))).take(12) {
            let pattern = format!("%{}%", run.iter().collect::<String>());
            candidates.extend(conn.rows(near, args![pattern, except], row)?);
        }
        for (id, full, owner, unit, other) in candidates {
            if found.iter().any(|f| f.id == id) {
                continue;
            }
            let likeness = if other == norm {
                Likeness::SameName
            } else if strsim::normalized_levenshtein(&other, &norm) >= 0.75 {
                Likeness::SimilarName
            } else {
                continue;
            };
            found.push(SimilarCustomer { id, full_name: full, owner_a: owner, unit_id: unit, likeness });
        }
    }
    if !addr.is_empty() {
        let rows = conn.rows(
            "SELECT id, full_name, owner_a, unit_id FROM customer WHERE address_norm = ?1 AND id <> ?2 LIMIT 20",
            args![addr, except],
            |r| {
                Ok(SimilarCustomer {
                    id: r.get(0)?,
                    full_name: r.get(1)?,
                    owner_a: r.get(2)?,
                    unit_id: r.get(3)?,
                    likeness: Likeness::SameAddress,
                })
            },
        )?;
        for row in rows {
            if !found.iter().any(|f| f.id == row.id) {
                found.push(row);
            }
        }
    }
    found.sort_by_key(|s| (s.likeness as u8, s.id.clone()));
    found.truncate(10);
    Ok(found)
}

/// A customer whose stored tier differs from the one its inputs give now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierChange {
    pub id: CustomerId,
    pub short_name: String,
    pub from: Tier,
    pub to: Tier,
    /// The revenue the new tier was computed from (twelve months of ledger, or the estimate).
    pub annual_revenue: Money,
    pub update_due_on: NaiveDate,
}

/// What a re-tier under `preset` would change, from the ledger's last twelve
/// months and the units' revenue. Overridden tiers stay as they are.
pub fn retier_preview(conn: &Conn, preset: TierPreset) -> Result<Vec<TierChange>, DbError> {
    let last = super::revenue::ledger_month(conn)?;
    let own = match last {
        Some(last) => super::revenue::twelve_month_totals(conn, last)?,
        None => Default::default(),
    };
    let units = super::revenue::unit_window_totals(conn, last)?;
    let mut changes = Vec::new();
    // Read in batches along the ID (a province's customers are not held at once).
    let mut after: Option<CustomerId> = None;
    loop {
        let batch = conn.rows(
            "SELECT id, short_name, unit_id, annual_revenue, monthly_payroll, tier_override, tier, dossier_updated_on \
             FROM customer WHERE archived = 0 AND id > ?1 ORDER BY id LIMIT ?2",
            args![after.as_ref().map_or("", CustomerId::as_str), RETIER_BATCH],
            |r| {
                Ok((
                    r.get::<CustomerId>(0)?,
                    r.get::<String>(1)?,
                    r.get::<i64>(2)?,
                    r.get::<Option<Money>>(3)?,
                    r.get::<Option<Money>>(4)?,
                    r.get::<Option<String>>(5)?,
                    r.get::<String>(6)?,
                    r.get::<NaiveDate>(7)?,
                ))
            },
        )?;
        let full = batch.len() == RETIER_BATCH;
        after = batch.last().map(|row| row.0.clone());
        changes.extend(batch.into_iter().filter_map(|row| tier_change(preset, &own, &units, row)));
        if !full {
            return Ok(changes);
        }
    }
}

/// Customers read per statement by [`retier_preview`].
const RETIER_BATCH: usize = 10_000;

/// A customer's stored tier, row of [`retier_preview`].
type TierRow = (CustomerId, String, i64, Option<Money>, Option<Money>, Option<String>, String, NaiveDate);

/// The change re-tiering makes to one customer, if any.
fn tier_change(
    preset: TierPreset,
    own: &std::collections::HashMap<CustomerId, Money>,
    units: &std::collections::HashMap<i64, Money>,
    (id, short_name, unit, estimate, payroll, over, old, updated_on): TierRow,
) -> Option<TierChange> {
    let annual = own.get(&id).copied().or(estimate).unwrap_or(Money::ZERO);
    let inputs = TierInputs {
        annual_revenue: annual.yuan(),
        unit_revenue: units.get(&unit).map(|m| m.yuan()),
        monthly_payroll: payroll.map(|m| m.yuan()),
        ..TierInputs::default()
    };
    let to = over.as_deref().and_then(Tier::from_code).unwrap_or(assess_tier(preset, &inputs).tier);
    (to.code() != old).then(|| TierChange {
        id,
        short_name,
        from: Tier::from_code(&old).unwrap_or(Tier::General),
        to,
        annual_revenue: annual,
        update_due_on: next_update_due(to, updated_on),
    })
}

/// Re-tiers every customer under `preset` with history: the customer
/// administrator's monthly run, and the start after the active preset changed.
/// Returns how many customers changed tier.
pub fn retier_all(store: &mut Store, actor: &Actor, preset: TierPreset) -> Result<usize, DbError> {
    super::access::may_retier_all(store.conn(), actor)?;
    store.write(|tx| {
        let changes = retier_preview(tx, preset)?;
        // Only customers whose tier moves are touched, so "last updated by" and
        // the history stay about real changes.
        for c in &changes {
            tx.exec(
                "UPDATE customer SET tier = ?1, tier_rank = ?2, tier_preset = ?3, update_due_on = ?4, \
                 updated_by = ?5, updated_at = ?6 WHERE id = ?7",
                args![
                    c.to.code(),
                    c.to.rank() as i64,
                    preset.code(),
                    c.update_due_on,
                    actor.staff.id,
                    actor.stamp(),
                    c.id
                ],
            )?;
        }
        // The preset is recorded on every row so the next start sees it as current.
        tx.exec("UPDATE customer SET tier_preset = ?1 WHERE tier_preset <> ?1", args![preset.code()])?;
        Ok(changes.len())
    })
}

/// `kam retier --apply`: re-tiering on request is the customer administrator's
/// (or a supervisor's) job, like [`retier_all`].
pub fn retier(store: &mut Store, actor: &Actor, preset: TierPreset) -> Result<usize, DbError> {
    retier_all(store, actor, preset)
}

/// The preset the stored tiers were computed under, if any customer exists.
pub fn stored_preset(conn: &Conn) -> Result<Option<String>, DbError> {
    conn.row("SELECT tier_preset FROM customer WHERE tier_preset IS NOT NULL LIMIT 1", args![], |r| r.get(0)).optional()
}

/// Customers whose short or full name is exactly `name` (for typed references).
pub fn find_by_name(conn: &Conn, name: &str) -> Result<Vec<CustomerId>, DbError> {
    conn.rows(
        "SELECT id FROM customer WHERE archived = 0 AND (short_name = ?1 OR full_name = ?1) ORDER BY id LIMIT 5",
        args![name],
        |r| r.get(0),
    )
}

/// Writes every customer's `name_key` (schema 8 adds the column; kam derives
/// the key, SQL cannot). The customer's triggers are set aside meanwhile: the
/// key is no audited field, and the history trigger would otherwise run once
/// per customer for nothing (a million times in a province). They are put back
/// exactly as they were, in the same transaction.
///
/// SQLite's own upgrade step (it reads `sqlite_schema` and walks `rowid`s).
/// PostgreSQL: no counterpart; its schema (`migrations-pg`) starts with the
/// column, filled as customers are written or copied in.
pub fn fill_name_keys(tx: &impl Sql) -> Result<(), DbError> {
    let triggers: Vec<(String, String)> = tx.rows(
        "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = 'customer'",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    // The names are those of kam's own migrations (plain identifiers).
    for (trigger, _) in &triggers {
        tx.exec_batch(&format!("DROP TRIGGER {trigger}"))?;
    }
    // In batches along the rowid, so a province's names are not held at once.
    let mut after = 0_i64;
    loop {
        let batch: Vec<(i64, String)> = tx.rows(
            "SELECT rowid, short_name FROM customer WHERE rowid > ?1 ORDER BY rowid LIMIT ?2",
            args![after, NAME_KEY_BATCH],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (rowid, name) in &batch {
            tx.exec("UPDATE customer SET name_key = ?1 WHERE rowid = ?2", args![sort_key(name), rowid])?;
        }
        match batch.last() {
            Some((last, _)) if batch.len() == NAME_KEY_BATCH => after = *last,
            _ => break,
        }
    }
    for (_, sql) in &triggers {
        tx.exec_batch(sql)?;
    }
    tx.exec_batch("CREATE INDEX customer_name_key ON customer(archived, name_key, id)")?;
    Ok(())
}

/// Writes a new customer's search key and what short queries find it by.
///
/// The search table is keyed by SQLite's rowid of the customer (the FTS5
/// table has no other key); by the customer's ID on PostgreSQL.
pub(crate) fn insert_search_key(tx: &impl Sql, id: &str, key: &str, starts: &[String]) -> Result<(), DbError> {
    let search = match tx.dialect() {
        Dialect::Sqlite => "INSERT INTO customer_search (rowid, key) SELECT rowid, ?2 FROM customer WHERE id = ?1",
        Dialect::Postgres => "INSERT INTO customer_search (customer_id, key) VALUES (?1, ?2)",
    };
    tx.exec(search, args![id, key])?;
    insert_starts(tx, id, starts)
}

/// Writes `starts` (`search::search_starts`) of customer `id` into
/// `customer_prefix`, which answers short queries, in one statement.
fn insert_starts(tx: &impl Sql, id: &str, starts: &[String]) -> Result<(), DbError> {
    if starts.is_empty() {
        return Ok(());
    }
    let mut args: Vec<&dyn ToValue> = vec![&id];
    let rows: Vec<String> = starts
        .iter()
        .map(|g| {
            args.push(g);
            format!("(?{}, ?1)", args.len())
        })
        .collect();
    let sql = format!("INSERT INTO customer_prefix (gram, customer_id) VALUES {}", rows.join(", "));
    tx.exec(&sql, &args)?;
    Ok(())
}

/// Fills `customer_prefix` from the customers' names: the upgrade step to
/// SQLite's schema 21 and PostgreSQL's 16, in the step's transaction.
pub fn fill_prefixes(tx: &impl Sql) -> Result<(), DbError> {
    tx.rows("SELECT id, short_name, coalesce(full_name, '') FROM customer", args![], |r| {
        let (id, short, full): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        insert_starts(tx, &id, &search_starts(&id, &[&short, &full]))
    })?;
    Ok(())
}

/// Customers read per statement by [`fill_name_keys`].
const NAME_KEY_BATCH: usize = 10_000;
