-- Schema 5: indexes for what Today and the calendar read at full scale
-- (a million visits). Nothing but indexes: no data changes.

-- Planned visits are a few thousand among a million done ones: overdue and
-- "what is still to do" read them by time without walking the done ones.
CREATE INDEX visit_open_by_time ON visit(planned_at) WHERE state = 'planned';


-- A diary is the visits a person owns and those they take part in. The
-- owner's are found by visit(owner_id, planned_at); the others were found by
-- probing every visit of the period for its participants, a hundred
-- milliseconds per calendar page at a million visits. The participant rows
-- carry their visit's time (kept by the triggers below), so both halves of
-- a diary are one index range each.
ALTER TABLE visit_staff ADD COLUMN planned_at TEXT;
UPDATE visit_staff SET planned_at = (SELECT planned_at FROM visit WHERE visit.id = visit_staff.visit_id);
CREATE INDEX visit_staff_by_time ON visit_staff(staff_id, planned_at);
CREATE TRIGGER visit_staff_planned_at AFTER INSERT ON visit_staff
BEGIN
    UPDATE visit_staff SET planned_at = (SELECT planned_at FROM visit WHERE id = NEW.visit_id)
    WHERE visit_id = NEW.visit_id AND staff_id = NEW.staff_id;
END;
CREATE TRIGGER visit_planned_at_to_staff AFTER UPDATE OF planned_at ON visit
BEGIN
    UPDATE visit_staff SET planned_at = NEW.planned_at WHERE visit_id = NEW.id;
END;

-- Today and the standards read "the ranked customers of a manager or unit"
-- and "the unit's dossiers due for update": with these, a few index ranges
-- instead of every customer of the unit.
CREATE INDEX customer_unit_tier ON customer(archived, unit_id, tier_rank);
CREATE INDEX customer_owner_tier ON customer(archived, owner_a, tier_rank);
CREATE INDEX customer_owner_b_tier ON customer(archived, owner_b, tier_rank) WHERE owner_b IS NOT NULL;
CREATE INDEX customer_unit_due ON customer(archived, unit_id, update_due_on);
