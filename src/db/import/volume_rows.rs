//! Volume (用邮量) and returned-mail (退信) imports: planned against the
//! database and written like revenue (all or nothing; a re-import changes
//! nothing; the same people may import).

use super::{ImportReport, KnownCustomers, Plan, run};
use crate::db::volume::{ReturnsEntry, VolumeEntry, returns_change, stored_pieces, write_returns_in, write_volume_in};
use crate::db::{Actor, Conn, DbError, Store};
use crate::import::Problem;

/// Imports volume cells.
pub fn volume(
    store: &mut Store,
    actor: &Actor,
    rows: &[(usize, VolumeEntry)],
    dry_run: bool,
) -> Result<ImportReport, DbError> {
    run(
        store,
        actor,
        dry_run,
        |conn| plan_volume(conn, rows),
        |tx, plan| {
            let mut report = plan.report;
            report.counts = write_volume_in(tx, actor, &plan.actions)?;
            Ok(report)
        },
    )
}

fn plan_volume(conn: &Conn, rows: &[(usize, VolumeEntry)]) -> Result<Plan<VolumeEntry>, DbError> {
    let mut plan = Plan::new();
    let mut known = KnownCustomers::default();
    for (line, e) in rows {
        if !known.exists(conn, &e.customer_id)? {
            // One report per row, however many service lines it holds.
            if plan.report.bad.last().is_none_or(|b| b.line != *line) {
                plan.refuse(*line, Problem::UnknownCustomer(e.customer_id.clone()));
            }
            continue;
        }
        let counts = &mut plan.report.counts;
        match stored_pieces(conn, e)? {
            None => counts.inserted += 1,
            Some(old) if old == e.pieces => counts.unchanged += 1,
            Some(_) => counts.updated += 1,
        }
        plan.actions.push(e.clone());
    }
    Ok(plan)
}

/// Imports months of returned mail.
pub fn returns(
    store: &mut Store,
    actor: &Actor,
    rows: &[(usize, ReturnsEntry)],
    dry_run: bool,
) -> Result<ImportReport, DbError> {
    run(
        store,
        actor,
        dry_run,
        |conn| plan_returns(conn, rows),
        |tx, plan| {
            let mut report = plan.report;
            report.counts = write_returns_in(tx, actor, &plan.actions)?;
            Ok(report)
        },
    )
}

fn plan_returns(conn: &Conn, rows: &[(usize, ReturnsEntry)]) -> Result<Plan<ReturnsEntry>, DbError> {
    let mut plan = Plan::new();
    let mut known = KnownCustomers::default();
    for (line, e) in rows {
        if !known.exists(conn, &e.customer_id)? {
            plan.refuse(*line, Problem::UnknownCustomer(e.customer_id.clone()));
            continue;
        }
        let counts = &mut plan.report.counts;
        match returns_change(conn, e)? {
            None => counts.inserted += 1,
            Some(false) => counts.unchanged += 1,
            Some(true) => counts.updated += 1,
        }
        plan.actions.push(e.clone());
    }
    Ok(plan)
}
