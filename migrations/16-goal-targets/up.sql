-- Issue 17: the bureau's yearly target per unit for each goal indicator
-- (目标指标, SPEC §15: "each year the bureau sets a target per unit for each
-- indicator"). One row per unit, year and indicator; `target` is a decimal
-- in the indicator's own terms (domain::appraisal::targets): a rise in
-- percentage points for the revenue share, a ratio for the rates (0.95), a
-- count for new key customers, and for plan progress the yearly plan in
-- yuan, which the progress divides by.
--
-- Set (insert, or update with version + 1) by whoever decides for the unit:
-- a supervisor of the unit or of a unit above it, or the administrator
-- (db::access::may_decide_for_unit). Never deleted, never moved to another
-- unit, year or indicator; every setting is in the history (old and new).
CREATE TABLE goal_target (
    id        INTEGER PRIMARY KEY,
    unit_id   INTEGER NOT NULL REFERENCES org_unit(id),
    year      INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    indicator TEXT NOT NULL CHECK (indicator IN ('revenue-share', 'development-rate', 'retention-rate',
                                                 'dossier-completeness', 'new-key-customers', 'plan-progress',
                                                 'service-met-rate')),
    target    TEXT NOT NULL CHECK (target <> '' AND target NOT GLOB '*[^0-9.-]*'),
    set_by    INTEGER NOT NULL REFERENCES staff(id),
    set_at    TEXT NOT NULL,
    version   INTEGER NOT NULL DEFAULT 1,
    UNIQUE (unit_id, year, indicator)
);

CREATE TRIGGER goal_target_no_delete BEFORE DELETE ON goal_target
BEGIN SELECT RAISE(ABORT, 'goal targets are never deleted'); END;
CREATE TRIGGER goal_target_keeps_place BEFORE UPDATE ON goal_target
WHEN old.unit_id IS NOT new.unit_id OR old.year IS NOT new.year OR old.indicator IS NOT new.indicator
BEGIN SELECT RAISE(ABORT, 'a goal target keeps its unit, year and indicator'); END;

CREATE TRIGGER goal_target_created AFTER INSERT ON goal_target
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    VALUES ('goal_target', new.id, 'create', 'target', new.target, new.set_by, new.set_at);
END;
CREATE TRIGGER goal_target_updated AFTER UPDATE OF target ON goal_target
WHEN old.target IS NOT new.target
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    VALUES ('goal_target', new.id, 'update', 'target', old.target, new.target, new.set_by, new.set_at);
END;
