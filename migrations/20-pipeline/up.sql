-- Issue 18: the development pipeline (SPEC §13.5–13.6).
--
-- industry_rank: a unit's industry ranking table (分类排序表): the
-- industries it focuses on, their rank (1 first), weight (0–100) and notes.
-- Edited by whoever decides for the unit (db::access::may_decide_for_unit);
-- an industry dropped from the table is archived, never deleted.
CREATE TABLE industry_rank (
    id          INTEGER PRIMARY KEY,
    unit_id     INTEGER NOT NULL REFERENCES org_unit(id),
    industry    TEXT NOT NULL CHECK (length(industry) > 0),
    rank        INTEGER NOT NULL CHECK (rank >= 1),
    weight      INTEGER NOT NULL DEFAULT 0 CHECK (weight BETWEEN 0 AND 100),
    notes       TEXT NOT NULL DEFAULT '',
    archived    INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    version     INTEGER NOT NULL DEFAULT 1,
    updated_by  INTEGER NOT NULL REFERENCES staff(id),
    updated_at  TEXT NOT NULL,
    UNIQUE (unit_id, industry)
);
CREATE INDEX industry_rank_unit ON industry_rank(unit_id, rank);
CREATE TRIGGER industry_rank_no_delete BEFORE DELETE ON industry_rank
BEGIN SELECT RAISE(ABORT, 'industry ranks are never deleted'); END;
CREATE TRIGGER industry_rank_keeps_place BEFORE UPDATE ON industry_rank
WHEN old.unit_id IS NOT new.unit_id
BEGIN SELECT RAISE(ABORT, 'an industry rank keeps its unit'); END;
CREATE TRIGGER industry_rank_created AFTER INSERT ON industry_rank
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    VALUES ('industry_rank', new.id, 'create', 'industry', new.industry, new.updated_by, new.updated_at);
END;
CREATE TRIGGER industry_rank_updated AFTER UPDATE ON industry_rank
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'industry_rank', new.id, 'update', f, nullif(o, ''), nullif(n, ''), new.updated_by, new.updated_at FROM (
        SELECT 'industry' AS f, old.industry AS o, new.industry AS n
        UNION ALL SELECT 'rank', CAST(old.rank AS TEXT), CAST(new.rank AS TEXT)
        UNION ALL SELECT 'weight', CAST(old.weight AS TEXT), CAST(new.weight AS TEXT)
        UNION ALL SELECT 'notes', old.notes, new.notes
        UNION ALL SELECT 'archived', CAST(old.archived AS TEXT), CAST(new.archived AS TEXT)
    ) WHERE coalesce(nullif(o, ''), '') IS NOT coalesce(nullif(n, ''), '');
END;

-- prospect_step: where a prospect (a registered customer, SPEC §2.3, in
-- development) stands in the six steps (domain::pipeline): the current
-- step, the day it started and its due day, the industry it came from, the
-- revenue expected of it, and who moved it last. The account manager moves
-- their prospects through steps 1, 2, 5 and 6; a supervisor of the unit or
-- above moves steps 3 and 4 (the director's). The first agreement closes it
-- ('converted'); a prospect given up is closed 'dropped'. Never deleted.
CREATE TABLE prospect_step (
    customer_id      TEXT PRIMARY KEY REFERENCES customer(id),
    step             TEXT NOT NULL DEFAULT 'survey'
                     CHECK (step IN ('survey','segmentation','prioritisation','positioning','marketing_plan','expansion')),
    started_on       TEXT NOT NULL,
    due_on           TEXT NOT NULL CHECK (due_on >= started_on),
    industry_id      INTEGER REFERENCES industry_rank(id),
    expected_revenue INTEGER CHECK (expected_revenue IS NULL OR expected_revenue >= 0),
    closed           TEXT CHECK (closed IS NULL OR closed IN ('converted', 'dropped')),
    closed_on        TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    moved_by         INTEGER NOT NULL REFERENCES staff(id),
    moved_at         TEXT NOT NULL
);
CREATE INDEX prospect_step_open ON prospect_step(step, due_on) WHERE closed IS NULL;
CREATE TRIGGER prospect_step_no_delete BEFORE DELETE ON prospect_step
BEGIN SELECT RAISE(ABORT, 'prospects are never deleted'); END;
CREATE TRIGGER prospect_step_created AFTER INSERT ON prospect_step
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, new_value, changed_by, changed_at)
    VALUES ('prospect_step', new.customer_id, new.customer_id, 'create', 'step', new.step, new.moved_by, new.moved_at);
END;
CREATE TRIGGER prospect_step_updated AFTER UPDATE ON prospect_step
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'prospect_step', new.customer_id, new.customer_id, 'update', f, nullif(o, ''), nullif(n, ''), new.moved_by, new.moved_at FROM (
        SELECT 'step' AS f, old.step AS o, new.step AS n
        UNION ALL SELECT 'due_on', old.due_on, new.due_on
        UNION ALL SELECT 'industry_id', CAST(old.industry_id AS TEXT), CAST(new.industry_id AS TEXT)
        UNION ALL SELECT 'expected_revenue', CAST(old.expected_revenue AS TEXT), CAST(new.expected_revenue AS TEXT)
        UNION ALL SELECT 'closed', old.closed, new.closed
    ) WHERE coalesce(nullif(o, ''), '') IS NOT coalesce(nullif(n, ''), '');
END;
