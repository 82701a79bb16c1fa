-- The first frame's reads (issue 19: a cold start reads at most 8 MB).
--
-- Today's plans (db::plans::standing_inputs) read the scope's approved
-- customers by id, at most a few thousand, for their names and tiers: these
-- indexes hold all that is asked of them, so the read touches index pages
-- only, not the customers' full rows. An account manager's by owner (A); a
-- unit's and everyone's in id order with the unit beside it.
CREATE INDEX customer_plan_owner ON customer(archived, owner_a, registration, id, tier, short_name);
CREATE INDEX customer_plan_all ON customer(archived, registration, id, unit_id, tier, short_name);
-- Today's pending registrations (db::customers::registrations): the unit's
-- pending customers with their names, and the pending registrations by
-- customer in the order listed, so the count and the choice of the first
-- ones read index pages only.
CREATE INDEX customer_pending ON customer(archived, unit_id, id, short_name) WHERE registration = 'pending';
CREATE INDEX registration_pending ON registration(customer_id, filed_at, id) WHERE decision = 'pending';
-- Today's stale dossiers of an account manager (db::customers::stale_of_owner):
-- counted, and the first ones by tier chosen, from the owner's (A) and
-- owner's (B) stale customers in these indexes; only the page's rows read.
CREATE INDEX customer_owner_stale ON customer(archived, owner_a, update_due_on, tier_rank, id);
CREATE INDEX customer_owner_b_stale ON customer(archived, owner_b, update_due_on, owner_a, tier_rank, id) WHERE owner_b IS NOT NULL;
-- Today's occasions (db::records::person_dates): each day's people are the
-- whole book's; their customer kept beside the day (kam writes it with the
-- person's days; a key person stays with their customer), so whether a
-- person is the user's is asked of the owner or unit indexes before the
-- person's row is read.
ALTER TABLE person_occasion ADD COLUMN customer_id TEXT;
UPDATE person_occasion SET customer_id = (SELECT p.customer_id FROM key_person p WHERE p.id = person_occasion.person_id);
CREATE INDEX person_occasion_day_customer ON person_occasion(month_day, customer_id, person_id);
