//! A manager's appraisal terms, dated: the fixed-performance base (固定绩效
//! 基数, set by the unit), the month's task (当月任务) and the monthly
//! standard of the achievement item (月度标准, SPEC §10.2). The terms of a
//! month are the latest version not after it; a version of the same month
//! is changed in place, with history.

use super::{AppraisalProblem, decided_for_manager};
use crate::db::sql::{Optional, Sql, args};
use crate::db::{Actor, Conn, DbError, Store};
use crate::domain::revenue::Month;

pub use crate::domain::appraisal::entries::Terms;

/// The terms in force for `staff_id` in `month`, if any were set.
pub fn terms_for(conn: &Conn, staff_id: i64, month: Month) -> Result<Option<Terms>, DbError> {
    conn.row(
        "SELECT fixed_base, task, monthly_standard FROM appraisal_terms \
         WHERE staff_id = ?1 AND effective_from <= ?2 ORDER BY effective_from DESC LIMIT 1",
        args![staff_id, month.key()],
        |r| Ok(Terms { fixed_base: r.get(0)?, task: r.get(1)?, monthly_standard: r.get(2)? }),
    )
    .optional()
}

/// Every version of `staff_id`'s terms, earliest first.
pub fn terms_versions(conn: &Conn, staff_id: i64) -> Result<Vec<(Month, Terms)>, DbError> {
    let rows: Vec<(i64, Terms)> = conn.rows(
        "SELECT effective_from, fixed_base, task, monthly_standard FROM appraisal_terms \
         WHERE staff_id = ?1 ORDER BY effective_from",
        args![staff_id],
        |r| Ok((r.get(0)?, Terms { fixed_base: r.get(1)?, task: r.get(2)?, monthly_standard: r.get(3)? })),
    )?;
    Ok(rows.into_iter().filter_map(|(from, t)| Some((Month::from_key(from)?, t))).collect())
}

/// Sets `staff_id`'s terms from `from` on (a version of that month is
/// replaced, the history keeps the old values). Whoever decides for the
/// manager's unit.
pub fn set_terms(store: &mut Store, actor: &Actor, staff_id: i64, from: Month, terms: &Terms) -> Result<(), DbError> {
    store.write(|tx| {
        decided_for_manager(tx, actor, staff_id)?;
        let amounts = [terms.fixed_base, terms.task, terms.monthly_standard];
        if amounts.iter().any(|m| m.to_fen() < 0) {
            return Err(AppraisalProblem::NegativeAmount.into());
        }
        let stored: Option<Terms> = tx
            .row(
                "SELECT fixed_base, task, monthly_standard FROM appraisal_terms \
                 WHERE staff_id = ?1 AND effective_from = ?2",
                args![staff_id, from.key()],
                |r| Ok(Terms { fixed_base: r.get(0)?, task: r.get(1)?, monthly_standard: r.get(2)? }),
            )
            .optional()?;
        let (by, at) = (actor.staff.id, actor.stamp());
        let (base, task, standard) = (terms.fixed_base, terms.task, terms.monthly_standard);
        match stored {
            None => tx.exec(
                "INSERT INTO appraisal_terms (staff_id, effective_from, fixed_base, task, monthly_standard, set_by, \
                 set_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                args![staff_id, from.key(), base, task, standard, by, at],
            )?,
            Some(old) if same(&old, terms) => 0,
            Some(_) => tx.exec(
                "UPDATE appraisal_terms SET fixed_base = ?3, task = ?4, monthly_standard = ?5, set_by = ?6, \
                 set_at = ?7 WHERE staff_id = ?1 AND effective_from = ?2",
                args![staff_id, from.key(), base, task, standard, by, at],
            )?,
        };
        Ok(())
    })
}

fn same(a: &Terms, b: &Terms) -> bool {
    a.fixed_base.to_fen() == b.fixed_base.to_fen()
        && a.task.to_fen() == b.task.to_fen()
        && a.monthly_standard.to_fen() == b.monthly_standard.to_fen()
}
