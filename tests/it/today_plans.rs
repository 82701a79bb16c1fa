//! Today's queries read in the order they show and stop at a section's worth
//! (issue 19): checked on the query plan, so a small database guards what a
//! province-sized one would cost.

use crate::support::full_demo_db;

use kam::db::Store;
use kam::db::sql::{Sql, args};

fn plan(store: &Store, sql: &str) -> Vec<String> {
    store.conn().rows(&format!("EXPLAIN QUERY PLAN {sql}"), args![], |r| r.get(3)).unwrap()
}

/// The pipeline's overdue steps are driven from the open steps in due order
/// (the partial index of migration 23), not from the unit's or the owner's
/// customers gathered and sorted: the read stops after a section's worth
/// whatever the size of the book.
#[test]
fn overdue_pipeline_steps_drive_from_the_due_index() {
    let (_dir, path) = full_demo_db(60);
    let store = Store::open(&path).unwrap();
    for filter in ["c.owner_a = 2", "c.unit_id = 1"] {
        let found = plan(
            &store,
            &format!(
                "SELECT p.customer_id FROM prospect_step p JOIN customer c ON c.id = p.customer_id \
                 LEFT JOIN staff o ON o.id = c.owner_a LEFT JOIN industry_rank i ON i.id = p.industry_id \
                 WHERE p.closed IS NULL AND p.due_on < '2026-11-23' AND {filter} \
                 ORDER BY p.due_on, p.customer_id LIMIT 50"
            ),
        );
        assert!(found.first().is_some_and(|l| l.contains("USING INDEX prospect_step_overdue")), "{filter}: {found:?}");
        assert!(found.iter().all(|l| !l.starts_with("SCAN") && !l.contains("TEMP B-TREE")), "{filter}: {found:?}");
    }
}
