//! Customer rows: update the customer a row names, or file a new one.

use std::collections::HashMap;

use super::{ImportReport, Plan, run};
use crate::db::customers::{self, Dossier, Registration};
use crate::db::sql::{Optional, Sql, args};
use crate::db::{Actor, Conn, DbError, Store, Tx};
use crate::domain::dossier::{self, FieldValue};
use crate::domain::id::{CustomerId, DivisionCode, next_customer_id};
use crate::domain::tier::TierPreset;
use crate::import::Problem;
use crate::import::customers::CustomerRow;

enum CustomerAction<'a> {
    Create(&'a CustomerRow),
    Update(Box<Dossier>, Vec<(&'static str, FieldValue)>),
}

/// Imports customers: a row with a known ID or exactly the full name of one
/// customer updates it; any other row creates a customer. New customers are
/// filed with an approved registration, `reason` recording the import.
pub fn customers(
    store: &mut Store,
    actor: &Actor,
    preset: TierPreset,
    rows: &[CustomerRow],
    reason: &str,
    dry_run: bool,
) -> Result<ImportReport, DbError> {
    run(
        store,
        actor,
        dry_run,
        |conn| plan_customers(conn, rows),
        |tx, plan| {
            let mut next_ids = NextIds::default();
            for action in &plan.actions {
                match action {
                    CustomerAction::Create(row) => create_customer_in(tx, actor, row, preset, reason, &mut next_ids)?,
                    CustomerAction::Update(current, changes) => {
                        customers::update_in(tx, actor, current, changes, preset)?;
                    }
                }
            }
            Ok(plan.report)
        },
    )
}

fn plan_customers<'a>(conn: &Conn, rows: &'a [CustomerRow]) -> Result<Plan<CustomerAction<'a>>, DbError> {
    let mut plan = Plan::new();
    for row in rows {
        let found = match (&row.id, row.full_name()) {
            (Some(id), _) => Some(id.clone()),
            (None, Some(name)) => match customer_by_full_name(conn, name)? {
                Ok(found) => found,
                Err(problem) => {
                    plan.refuse(row.line, problem);
                    continue;
                }
            },
            (None, None) => {
                plan.refuse(row.line, Problem::NoIdOrName);
                continue;
            }
        };
        let current = match found.map(|id| customers::load(conn, &id)) {
            Some(Ok(current)) => Some(current),
            Some(Err(DbError::NotFound)) | None => None,
            Some(Err(e)) => return Err(e),
        };
        match current {
            Some(current) => {
                let changes: Vec<(&'static str, FieldValue)> =
                    row.values.iter().filter(|(k, v)| current.value(k) != *v).map(|(k, v)| (*k, v.clone())).collect();
                if changes.is_empty() {
                    plan.report.counts.unchanged += 1;
                } else {
                    plan.report.counts.updated += 1;
                    plan.actions.push(CustomerAction::Update(Box::new(current), changes));
                }
            }
            None => {
                let missing = row.missing_for_new();
                if missing.is_empty() {
                    plan.report.counts.inserted += 1;
                    plan.actions.push(CustomerAction::Create(row));
                }
                for key in missing {
                    plan.refuse(row.line, Problem::MissingForNew(key));
                }
            }
        }
    }
    // New customers with an ID from the file first, so that assigned IDs never take theirs.
    plan.actions.sort_by_key(|a| !matches!(a, CustomerAction::Create(row) if row.id.is_some()));
    Ok(plan)
}

/// The live customer with exactly this full name (None: a new customer), or why
/// the row cannot say which customer it means.
fn customer_by_full_name(conn: &Conn, name: &str) -> Result<Result<Option<CustomerId>, Problem>, DbError> {
    let ids: Vec<CustomerId> = conn.rows(
        "SELECT id FROM customer WHERE full_name = ?1 AND archived = 0 ORDER BY id LIMIT 5",
        args![name],
        |r| r.get(0),
    )?;
    match ids.as_slice() {
        [one] => Ok(Ok(Some(one.clone()))),
        [_, _, ..] => Ok(Err(Problem::AmbiguousName(ids))),
        [] => {
            // The same company spelt another way is most likely already on file (多头营销).
            let similar: Option<(CustomerId, String)> = conn
                .row(
                    "SELECT id, full_name FROM customer WHERE name_norm = ?1 AND archived = 0 LIMIT 1",
                    args![dossier::normalize_company_name(name)],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            Ok(similar.map_or(Ok(None), |(id, full_name)| Err(Problem::SimilarName { id, full_name })))
        }
    }
}

fn create_customer_in(
    tx: &Tx<'_>,
    actor: &Actor,
    row: &CustomerRow,
    preset: TierPreset,
    reason: &str,
    next_ids: &mut NextIds,
) -> Result<(), DbError> {
    let values = row.values_for_new();
    let int = |k: &str| values.get(k).and_then(FieldValue::as_int).unwrap_or_default();
    let (unit, owner) = (int("unit_id"), int("owner_a"));
    let id = match &row.id {
        Some(id) => id.clone(),
        None => next_ids.next(tx, unit)?,
    };
    // A bulk import is the administrator's existing book of key customers, already
    // registered where it was kept before: filed as approved, by the importer,
    // which is a registration decision for the customer's unit.
    crate::db::access::may_decide_for_unit(tx, actor, unit)?;
    customers::insert_customer(tx, actor, &id, &values, preset, "approved")?;
    let decided = Some((true, actor.staff.id, actor.at, reason));
    customers::file_registration_in(tx, actor, &id, &Registration { unit, owner, reason, decided })
}

/// The next free IDs in the divisions of the responsible units: the highest
/// sequence in use read once per division and import, then counted on (the
/// import is one transaction, and the rows with their own IDs are written
/// first). Read for every row, the division's IDs were scanned once per new
/// customer: a 10,000-customer import grew quadratic.
#[derive(Default)]
struct NextIds {
    divisions: HashMap<i64, DivisionCode>,
    last: HashMap<String, Option<u32>>,
}

impl NextIds {
    fn next(&mut self, tx: &Tx<'_>, unit: i64) -> Result<CustomerId, DbError> {
        let division = match self.divisions.get(&unit) {
            Some(division) => division.clone(),
            None => {
                let code: String =
                    tx.row("SELECT division_code FROM org_unit WHERE id = ?1", args![unit], |r| r.get(0))?;
                let division = DivisionCode::parse(&code)?;
                self.divisions.insert(unit, division.clone());
                division
            }
        };
        let div = division.as_str().to_string();
        let last = match self.last.get(&div) {
            Some(last) => *last,
            None => {
                let max: Option<String> = tx.row(
                    "SELECT max(substr(id, 7, 5)) FROM customer WHERE id BETWEEN ?1 AND ?2",
                    args![format!("{div}00000000"), format!("{div}99999999")],
                    |r| r.get(0),
                )?;
                max.and_then(|m| m.parse().ok())
            }
        };
        let id = next_customer_id(&division, last).map_err(DbError::Id)?;
        self.last.insert(div, Some(last.map_or(1, |n| n + 1)));
        Ok(id)
    }
}
