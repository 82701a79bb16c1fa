-- Today's overdue pipeline steps (db::pipeline::overdue) read the open
-- prospects in the order shown, the soonest due first, and stop at a
-- section's worth: an index in that order, over the open ones only, lets the
-- read start from the steps instead of walking the unit's customers.
CREATE INDEX prospect_step_overdue ON prospect_step(due_on, customer_id) WHERE closed IS NULL;
