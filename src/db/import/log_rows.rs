//! Marketing-log entries written before kam (营销日志): each row an entry whose
//! author is the account manager the sheet names, entered by the importer
//! (the row's `created_by` and the history's actor). An entry of the same
//! customer, day, author and content already stored is left as it is.
//!
//! Who may import which entries is the log form's rule
//! ([`crate::db::marketing::may_write_for`]): the customer's editors write
//! their own entries (an account manager imports only their own), and only
//! those who decide for the customer's unit enter someone else's.

use std::collections::HashMap;

use super::{ImportReport, KnownCustomers, Plan, run_checked};
use crate::db::access::{may_decide_for_customer, may_edit_customer};
use crate::db::marketing::write_for_in;
use crate::db::sql::{Sql, args};
use crate::db::{Actor, Conn, DbError, Store};
use crate::domain::id::CustomerId;
use crate::domain::staff::{Refusal, Role};
use crate::import::Problem;
use crate::import::log::LogRow;

/// Imports log entries: all or nothing; a re-import changes nothing.
pub fn log_entries(store: &mut Store, actor: &Actor, rows: &[LogRow], dry_run: bool) -> Result<ImportReport, DbError> {
    // Leaders read only; anyone else may bring in at least their own entries.
    if actor.staff.role == Role::Leader {
        return Err(DbError::Refused(Refusal::ReadOnlyRole));
    }
    run_checked(
        store,
        dry_run,
        |conn| plan_entries(conn, actor, rows),
        |tx, plan| {
            for row in plan.actions {
                write_for_in(tx, actor, row.author_id, &row.entry)?;
            }
            Ok(plan.report)
        },
    )
}

/// A refusal as a row's problem; anything else stops the import.
fn refusal(result: Result<(), DbError>) -> Result<Option<Refusal>, DbError> {
    match result {
        Ok(()) => Ok(None),
        Err(DbError::Refused(why)) => Ok(Some(why)),
        Err(e) => Err(e),
    }
}

fn plan_entries<'a>(conn: &Conn, actor: &Actor, rows: &'a [LogRow]) -> Result<Plan<&'a LogRow>, DbError> {
    let mut plan = Plan::new();
    let mut known = KnownCustomers::default();
    // Asked once a customer: a sheet holds many entries of each.
    let mut edits: HashMap<CustomerId, Option<Refusal>> = HashMap::new();
    let mut decides: HashMap<CustomerId, Option<Refusal>> = HashMap::new();
    for row in rows {
        let customer = &row.entry.customer_id;
        if !known.exists(conn, customer)? {
            plan.refuse(row.line, Problem::UnknownCustomer(customer.clone()));
            continue;
        }
        let edit = match edits.get(customer) {
            Some(known) => known.clone(),
            None => {
                let asked = refusal(may_edit_customer(conn, actor, customer))?;
                edits.insert(customer.clone(), asked.clone());
                asked
            }
        };
        if let Some(why) = edit {
            plan.refuse(row.line, Problem::LogNotAllowed(why));
            continue;
        }
        if row.author_id != actor.staff.id {
            let decide = match decides.get(customer) {
                Some(known) => known.clone(),
                None => {
                    let asked = refusal(may_decide_for_customer(conn, actor, customer))?;
                    decides.insert(customer.clone(), asked.clone());
                    asked
                }
            };
            if let Some(why) = decide {
                plan.refuse(row.line, Problem::AuthorNotAllowed(why));
                continue;
            }
        }
        // Any entry of that customer, day, author and text, archived or not:
        // importing the sheet again must not add it twice.
        let stored: bool = conn.row(
            "SELECT EXISTS (SELECT 1 FROM marketing_log WHERE customer_id = ?1 AND logged_on = ?2 \
             AND author_id = ?3 AND content = ?4)",
            args![customer, row.entry.logged_on, row.author_id, row.entry.content],
            |r| r.get(0),
        )?;
        if stored {
            plan.report.counts.unchanged += 1;
        } else {
            plan.report.counts.inserted += 1;
            plan.actions.push(row);
        }
    }
    Ok(plan)
}
