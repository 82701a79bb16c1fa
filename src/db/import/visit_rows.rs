//! Visits already made (拜访记录): each row a done visit in its account
//! manager's diary, written by the importer (the history's actor). A visit of
//! the same customer, time, kind and manager already stored is left as it is.

use super::{ImportReport, KnownCustomers, Plan, run};
use crate::db::access::{Work, may_work_on};
use crate::db::sql::{Sql, args};
use crate::db::visits::{NewVisit, Outcome, insert_in, mark_done_in};
use crate::db::{Actor, Conn, DbError, Store};
use crate::domain::visit::ParticipantRole;
use crate::import::Problem;
use crate::import::visits::VisitRow;

/// Imports done visits: all or nothing; a re-import changes nothing.
pub fn visits(store: &mut Store, actor: &Actor, rows: &[VisitRow], dry_run: bool) -> Result<ImportReport, DbError> {
    run(
        store,
        actor,
        dry_run,
        |conn| plan_visits(conn, actor, rows),
        |tx, plan| {
            for row in plan.actions {
                let staff = vec![(row.manager_id, ParticipantRole::AccountManager)];
                let new = NewVisit {
                    customer_id: row.customer_id.clone(),
                    kind: row.kind,
                    planned_at: row.at,
                    duration_min: row.duration_min,
                    owner_id: row.manager_id,
                    purpose: row.purpose.clone(),
                    staff: staff.clone(),
                    persons: Vec::new(),
                    follows_id: None,
                };
                let id = insert_in(tx, actor, &new, None)?;
                let outcome = Outcome {
                    done_at: Some(row.at),
                    business: row.business.clone(),
                    opinions: row.opinions.clone(),
                    problems: row.problems.clone(),
                    new_needs: row.new_needs.clone(),
                    next_step: row.next_step.clone(),
                    next_due: None,
                    staff,
                    persons: Vec::new(),
                };
                mark_done_in(tx, actor, id, &outcome)?;
            }
            Ok(plan.report)
        },
    )
}

fn plan_visits<'a>(conn: &Conn, actor: &Actor, rows: &'a [VisitRow]) -> Result<Plan<&'a VisitRow>, DbError> {
    let mut plan = Plan::new();
    let mut known = KnownCustomers::default();
    for row in rows {
        if !known.exists(conn, &row.customer_id)? {
            plan.refuse(row.line, Problem::UnknownCustomer(row.customer_id.clone()));
            continue;
        }
        match may_work_on(conn, actor, &row.customer_id, Work::Visits) {
            Ok(()) => {}
            Err(DbError::Refused(why)) => {
                plan.refuse(row.line, Problem::CustomerNotAllowed(why));
                continue;
            }
            Err(e) => return Err(e),
        }
        // Any visit of that customer, time, kind and manager, whatever its state:
        // importing the sheet again must not add it twice.
        let stored: bool = conn.row(
            "SELECT EXISTS (SELECT 1 FROM visit WHERE customer_id = ?1 AND planned_at = ?2 AND kind = ?3 \
             AND owner_id = ?4)",
            args![row.customer_id, row.at.format("%Y-%m-%d %H:%M:%S").to_string(), row.kind.code(), row.manager_id],
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
