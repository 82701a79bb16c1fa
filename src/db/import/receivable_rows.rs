//! Receivables (应收未收): planned against the database and written like
//! revenue (all or nothing; a re-import changes nothing; the same people
//! may import, and each customer must be one they may edit).

use super::{ImportReport, KnownCustomers, Plan, run};
use crate::db::appraisal::{NewReceivable, stored_receivable, write_receivables_in};
use crate::db::{Actor, Conn, DbError, Store};
use crate::import::Problem;

/// Imports receivables: each row inserts, updates, or leaves a cell as it is.
pub fn receivables(
    store: &mut Store,
    actor: &Actor,
    rows: &[(usize, NewReceivable)],
    dry_run: bool,
) -> Result<ImportReport, DbError> {
    run(
        store,
        actor,
        dry_run,
        |conn| plan_receivables(conn, rows),
        |tx, plan| {
            let mut report = plan.report;
            report.counts = write_receivables_in(tx, actor, &plan.actions)?;
            Ok(report)
        },
    )
}

fn plan_receivables(conn: &Conn, rows: &[(usize, NewReceivable)]) -> Result<Plan<NewReceivable>, DbError> {
    let mut plan = Plan::new();
    let mut known = KnownCustomers::default();
    for (line, r) in rows {
        if !known.exists(conn, &r.customer_id)? {
            plan.refuse(*line, Problem::UnknownCustomer(r.customer_id.clone()));
            continue;
        }
        let counts = &mut plan.report.counts;
        match stored_receivable(conn, r)? {
            None => counts.inserted += 1,
            Some((unpaid, paid_on)) if unpaid.to_fen() == r.unpaid.to_fen() && paid_on == r.paid_on => {
                counts.unchanged += 1
            }
            Some(_) => counts.updated += 1,
        }
        plan.actions.push(r.clone());
    }
    Ok(plan)
}
