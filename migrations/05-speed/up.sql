-- Schema 5: what Today and the calendar read at full scale (100,000
-- customers, a million visits): indexes, and participant rows that carry
-- their visit's time and owner. No data is changed, only copied.

-- Planned visits are a few thousand among a million done ones: overdue and
-- "what is still to do" read them by time without walking the done ones.
CREATE INDEX visit_open_by_time ON visit(planned_at) WHERE state = 'planned';

-- A diary is the visits a person owns and those they take part in. The
-- owner's are found by visit(owner_id, planned_at); the others were found by
-- probing every visit of the period for its participants, a hundred
-- milliseconds per calendar page at a million visits. Participant rows now
-- carry their visit's time and diary owner (kept by the triggers below), so
-- a person's part in others' visits is one small index range.
ALTER TABLE visit_staff ADD COLUMN planned_at TEXT;
ALTER TABLE visit_staff ADD COLUMN owner_id INTEGER;
UPDATE visit_staff SET (planned_at, owner_id) =
    (SELECT planned_at, owner_id FROM visit WHERE visit.id = visit_staff.visit_id);
CREATE INDEX visit_staff_guest ON visit_staff(staff_id, planned_at) WHERE staff_id <> owner_id;
CREATE TRIGGER visit_staff_of_visit AFTER INSERT ON visit_staff
BEGIN
    UPDATE visit_staff SET (planned_at, owner_id) = (SELECT planned_at, owner_id FROM visit WHERE id = NEW.visit_id)
    WHERE visit_id = NEW.visit_id AND staff_id = NEW.staff_id;
END;
CREATE TRIGGER visit_to_its_staff AFTER UPDATE OF planned_at, owner_id ON visit
BEGIN
    UPDATE visit_staff SET planned_at = NEW.planned_at, owner_id = NEW.owner_id WHERE visit_id = NEW.id;
END;

-- Today and the standards read "the ranked customers of a manager or unit"
-- and "the unit's dossiers due for update, highest tier first": with these,
-- a few index ranges (already in tier order) instead of every customer of
-- the unit.
CREATE INDEX customer_unit_tier ON customer(archived, unit_id, tier_rank, id);
CREATE INDEX customer_owner_tier ON customer(archived, owner_a, tier_rank, id);
CREATE INDEX customer_owner_b_tier ON customer(archived, owner_b, tier_rank) WHERE owner_b IS NOT NULL;
CREATE INDEX customer_unit_due ON customer(archived, unit_id, update_due_on);
CREATE INDEX customer_owner_due ON customer(archived, owner_a, update_due_on);

-- The calendar counts a diary's visits per day from the index alone.
DROP INDEX visit_owner_planned;
CREATE INDEX visit_owner_day ON visit(owner_id, planned_at, state);

-- The days of the year on which each key person has an occasion: the
-- birthday's month and day, and those read from the free-text important
-- dates ('MM-DD'). Derived, not audited: kam rewrites a person's rows
-- whenever their birthday or important dates change (the text is read by
-- kam's parser, which SQL cannot run) and fills it for the people already
-- there when this schema is applied. Today reads the coming week's occasions
-- day by day through it and stops once a section is full.
CREATE TABLE person_occasion (
    person_id INTEGER NOT NULL REFERENCES key_person(id),
    month_day TEXT NOT NULL CHECK (length(month_day) = 5),
    PRIMARY KEY (person_id, month_day)
) WITHOUT ROWID;
CREATE INDEX person_occasion_day ON person_occasion(month_day, person_id);
