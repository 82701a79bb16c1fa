//! A manager's appraisal terms, dated: the fixed-performance base (固定绩效
//! 基数, set by the unit), the month's task (当月任务) and the monthly
//! standard of the achievement item (月度标准, SPEC §10.2). The terms of a
//! month are the latest version not after it; a version of the same month
//! is changed in place, with history.

use super::{AppraisalProblem, decided_for_manager};
use crate::db::sql::{Optional, Sql, args};
use crate::db::{Actor, Conn, DbError, Store};
use crate::domain::revenue::Month;

pub use crate::domain::appraisal::entries::{Post, Terms};

/// The terms in force for `staff_id` in `month`, if any were set.
pub fn terms_for(conn: &Conn, staff_id: i64, month: Month) -> Result<Option<Terms>, DbError> {
    conn.row(
        &format!(
            "SELECT {COLUMNS} FROM appraisal_terms \
         WHERE staff_id = ?1 AND effective_from <= ?2 ORDER BY effective_from DESC LIMIT 1"
        ),
        args![staff_id, month.key()],
        |r| read(r, 0),
    )
    .optional()
}

/// Every version of `staff_id`'s terms, earliest first.
pub fn terms_versions(conn: &Conn, staff_id: i64) -> Result<Vec<(Month, Terms)>, DbError> {
    let rows: Vec<(i64, Terms)> = conn.rows(
        &format!("SELECT effective_from, {COLUMNS} FROM appraisal_terms WHERE staff_id = ?1 ORDER BY effective_from"),
        args![staff_id],
        |r| Ok((r.get(0)?, read(r, 1)?)),
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
                &format!("SELECT {COLUMNS} FROM appraisal_terms WHERE staff_id = ?1 AND effective_from = ?2"),
                args![staff_id, from.key()],
                |r| read(r, 0),
            )
            .optional()?;
        let (by, at) = (actor.staff.id, actor.stamp());
        let (base, task, standard) = (terms.fixed_base, terms.task, terms.monthly_standard);
        if terms.accrual_ratio.is_sign_negative() || terms.accrual_ratio > rust_decimal::Decimal::ONE {
            return Err(AppraisalProblem::AccrualRatio.into());
        }
        let (post, ratio) = (terms.post.code(), terms.accrual_ratio.normalize().to_string());
        match stored {
            None => tx.exec(
                "INSERT INTO appraisal_terms (staff_id, effective_from, fixed_base, task, monthly_standard, post, \
                 accrual_ratio, set_by, set_at) VALUES (?1, ?2, ?3, ?4, ?5, ?8, ?9, ?6, ?7)",
                args![staff_id, from.key(), base, task, standard, by, at, post, ratio],
            )?,
            Some(old) if same(&old, terms) => 0,
            Some(_) => tx.exec(
                "UPDATE appraisal_terms SET fixed_base = ?3, task = ?4, monthly_standard = ?5, post = ?8, \
                 accrual_ratio = ?9, set_by = ?6, set_at = ?7 WHERE staff_id = ?1 AND effective_from = ?2",
                args![staff_id, from.key(), base, task, standard, by, at, post, ratio],
            )?,
        };
        Ok(())
    })
}

fn same(a: &Terms, b: &Terms) -> bool {
    a.fixed_base.to_fen() == b.fixed_base.to_fen()
        && a.task.to_fen() == b.task.to_fen()
        && a.monthly_standard.to_fen() == b.monthly_standard.to_fen()
        && a.post == b.post
        && a.accrual_ratio.normalize() == b.accrual_ratio.normalize()
}

const COLUMNS: &str = "fixed_base, task, monthly_standard, post, accrual_ratio";

/// Terms from [`COLUMNS`] starting at column `at`.
fn read(r: &crate::db::sql::Row<'_>, at: usize) -> Result<Terms, DbError> {
    let post: String = r.get(at + 3)?;
    let ratio: String = r.get(at + 4)?;
    Ok(Terms {
        fixed_base: r.get(at)?,
        task: r.get(at + 1)?,
        monthly_standard: r.get(at + 2)?,
        post: Post::from_code(&post).unwrap_or_default(),
        accrual_ratio: ratio.parse().unwrap_or_default(),
    })
}
