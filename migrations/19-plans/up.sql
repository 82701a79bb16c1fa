-- Issue 18: plans (SPEC §13.2–13.3).
--
-- marketing_plan: one plan per customer and period (营销计划). The period is
-- the calendar month, quarter or half year of the customer's level
-- (domain::plan), from period_first to period_last. Written by the
-- customer's account managers (db::access::may_edit_customer); statuses
-- draft → submitted → reviewed, or returned (sent back with a reason) →
-- submitted again. The review (comment or reason) is a decision of a
-- supervisor of the customer's unit or above (may_decide_for_customer).
-- submitted_on is the bureau's day of the latest submission: a plan counts
-- for its period when submitted on or before period_last. Never deleted;
-- the customer and period never change; every change is in the history.
CREATE TABLE marketing_plan (
    id               INTEGER PRIMARY KEY,
    customer_id      TEXT NOT NULL REFERENCES customer(id),
    period_first     TEXT NOT NULL,
    period_last      TEXT NOT NULL CHECK (period_last >= period_first),
    goals            TEXT NOT NULL DEFAULT '',
    measures         TEXT NOT NULL DEFAULT '',
    expected_revenue INTEGER CHECK (expected_revenue IS NULL OR expected_revenue >= 0),
    notes            TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'reviewed', 'returned')),
    author_id        INTEGER NOT NULL REFERENCES staff(id),
    submitted_on     TEXT,
    review_comment   TEXT NOT NULL DEFAULT '',
    reviewed_by      INTEGER REFERENCES staff(id),
    reviewed_at      TEXT,
    version          INTEGER NOT NULL DEFAULT 1,
    created_by       INTEGER NOT NULL REFERENCES staff(id),
    created_at       TEXT NOT NULL,
    updated_by       INTEGER NOT NULL REFERENCES staff(id),
    updated_at       TEXT NOT NULL,
    UNIQUE (customer_id, period_first)
);
CREATE INDEX marketing_plan_status ON marketing_plan(status, customer_id);
CREATE INDEX marketing_plan_last ON marketing_plan(period_last, customer_id);

CREATE TRIGGER marketing_plan_no_delete BEFORE DELETE ON marketing_plan
BEGIN SELECT RAISE(ABORT, 'plans are never deleted'); END;
CREATE TRIGGER marketing_plan_keeps_place BEFORE UPDATE ON marketing_plan
WHEN old.customer_id IS NOT new.customer_id OR old.period_first IS NOT new.period_first
  OR old.period_last IS NOT new.period_last OR old.created_by IS NOT new.created_by
BEGIN SELECT RAISE(ABORT, 'a plan keeps its customer and period'); END;

CREATE TRIGGER marketing_plan_created AFTER INSERT ON marketing_plan
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, new_value, changed_by, changed_at)
    VALUES ('marketing_plan', new.id, new.customer_id, 'create', 'period', new.period_first || '..' || new.period_last,
            new.created_by, new.created_at);
END;
CREATE TRIGGER marketing_plan_updated AFTER UPDATE ON marketing_plan
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'marketing_plan', new.id, new.customer_id, 'update', f, nullif(o, ''), nullif(n, ''), new.updated_by, new.updated_at FROM (
        SELECT 'goals' AS f, old.goals AS o, new.goals AS n
        UNION ALL SELECT 'measures', old.measures, new.measures
        UNION ALL SELECT 'expected_revenue', CAST(old.expected_revenue AS TEXT), CAST(new.expected_revenue AS TEXT)
        UNION ALL SELECT 'notes', old.notes, new.notes
        UNION ALL SELECT 'status', old.status, new.status
        UNION ALL SELECT 'review_comment', old.review_comment, new.review_comment
        UNION ALL SELECT 'author_id', CAST(old.author_id AS TEXT), CAST(new.author_id AS TEXT)
    ) WHERE coalesce(nullif(o, ''), '') IS NOT coalesce(nullif(n, ''), '');
END;

-- service_plan: a unit's yearly service plan (服务计划, SPEC §13.3), the
-- text its supervisor writes beside the key customers the rule lists
-- (domain::plan::service_plan, computed from the year's revenue, not stored).
-- Written by whoever decides for the unit; never deleted.
CREATE TABLE service_plan (
    id         INTEGER PRIMARY KEY,
    unit_id    INTEGER NOT NULL REFERENCES org_unit(id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    body       TEXT NOT NULL DEFAULT '',
    written_by INTEGER NOT NULL REFERENCES staff(id),
    written_at TEXT NOT NULL,
    version    INTEGER NOT NULL DEFAULT 1,
    UNIQUE (unit_id, year)
);
CREATE TRIGGER service_plan_no_delete BEFORE DELETE ON service_plan
BEGIN SELECT RAISE(ABORT, 'service plans are never deleted'); END;
CREATE TRIGGER service_plan_keeps_place BEFORE UPDATE ON service_plan
WHEN old.unit_id IS NOT new.unit_id OR old.year IS NOT new.year
BEGIN SELECT RAISE(ABORT, 'a service plan keeps its unit and year'); END;
CREATE TRIGGER service_plan_created AFTER INSERT ON service_plan
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    VALUES ('service_plan', new.id, 'create', 'body', nullif(new.body, ''), new.written_by, new.written_at);
END;
CREATE TRIGGER service_plan_updated AFTER UPDATE OF body ON service_plan
WHEN old.body IS NOT new.body
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    VALUES ('service_plan', new.id, 'update', 'body', nullif(old.body, ''), nullif(new.body, ''), new.written_by, new.written_at);
END;
