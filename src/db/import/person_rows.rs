//! Key-person rows: update the customer's person of that name, or add one.

use std::collections::BTreeMap;

use super::{ImportReport, KnownCustomers, Plan, run};
use crate::db::records::{self, Record, RecordKind};
use crate::db::{Actor, Conn, DbError, Store};
use crate::domain::dossier::FieldValue;
use crate::import::Problem;
use crate::import::persons::PersonRow;

enum PersonAction<'a> {
    Insert(&'a PersonRow),
    Update(Box<Record>, Vec<(&'static str, FieldValue)>),
}

/// Imports key persons: a person of the customer with the same name is
/// updated, anyone else is added.
pub fn persons(store: &mut Store, actor: &Actor, rows: &[PersonRow], dry_run: bool) -> Result<ImportReport, DbError> {
    run(
        store,
        actor,
        dry_run,
        |conn| plan_persons(conn, rows),
        |tx, plan| {
            for action in &plan.actions {
                match action {
                    PersonAction::Insert(row) => {
                        records::insert_in(tx, actor, RecordKind::KeyPerson, &row.customer_id, &row.values)?;
                    }
                    PersonAction::Update(record, changes) => {
                        records::update_in(tx, actor, RecordKind::KeyPerson, record, changes)?;
                    }
                }
            }
            Ok(plan.report)
        },
    )
}

fn plan_persons<'a>(conn: &Conn, rows: &'a [PersonRow]) -> Result<Plan<PersonAction<'a>>, DbError> {
    let mut plan = Plan::new();
    let mut known = KnownCustomers::default();
    let mut listed: BTreeMap<String, Vec<Record>> = BTreeMap::new();
    for row in rows {
        let id = row.customer_id.as_str();
        if !known.exists(conn, &row.customer_id)? {
            plan.refuse(row.line, Problem::UnknownCustomer(row.customer_id.clone()));
            continue;
        }
        if !listed.contains_key(id) {
            listed.insert(id.to_string(), records::list(conn, RecordKind::KeyPerson, &row.customer_id, false)?);
        }
        let persons = listed.get(id).map(Vec::as_slice).unwrap_or_default();
        let same_name: Vec<&Record> =
            persons.iter().filter(|r| r.value("name").as_text() == Some(row.name.as_str())).collect();
        match same_name.as_slice() {
            [] => {
                plan.report.counts.inserted += 1;
                plan.actions.push(PersonAction::Insert(row));
            }
            [record] => {
                let changes: Vec<(&'static str, FieldValue)> =
                    row.values.iter().filter(|(k, v)| record.value(k) != *v).map(|(k, v)| (*k, v.clone())).collect();
                if changes.is_empty() {
                    plan.report.counts.unchanged += 1;
                } else {
                    plan.report.counts.updated += 1;
                    plan.actions.push(PersonAction::Update(Box::new((*record).clone()), changes));
                }
            }
            _ => plan.refuse(row.line, Problem::AmbiguousPerson),
        }
    }
    Ok(plan)
}
