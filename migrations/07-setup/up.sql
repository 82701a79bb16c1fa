-- Schema: the administrator keeps the office's units, industries and service lines
-- (SPEC §1, §3) in kam. Every change is recorded in the history (who, when, old and
-- new value) by the triggers below; none of them is ever deleted, only archived.
-- Rows written by the set-up of a file (the demo, the first unit of `kam init` before
-- its administrator exists) carry no author and are the starting state, like the
-- service lines seeded by schema 1: their creation is not in the history.

ALTER TABLE org_unit ADD COLUMN updated_by INTEGER REFERENCES staff(id);
ALTER TABLE org_unit ADD COLUMN updated_at TEXT;
ALTER TABLE industry ADD COLUMN archived INTEGER NOT NULL DEFAULT 0;
ALTER TABLE industry ADD COLUMN updated_by INTEGER REFERENCES staff(id);
ALTER TABLE industry ADD COLUMN updated_at TEXT;
ALTER TABLE service_line ADD COLUMN updated_by INTEGER REFERENCES staff(id);
ALTER TABLE service_line ADD COLUMN updated_at TEXT;

CREATE TRIGGER industry_no_delete BEFORE DELETE ON industry
BEGIN SELECT RAISE(ABORT, 'industries are archived, never deleted'); END;
CREATE TRIGGER service_line_no_delete BEFORE DELETE ON service_line
BEGIN SELECT RAISE(ABORT, 'service lines are archived, never deleted'); END;

-- A unit's parent is recorded by its code (codes never change), so the history
-- reads "GZ → TH" rather than row numbers.
CREATE TRIGGER org_unit_created AFTER INSERT ON org_unit WHEN new.updated_by IS NOT NULL
BEGIN
    INSERT INTO history (entity, entity_id, action, new_value, changed_by, changed_at)
    VALUES ('org_unit', new.id, 'create', new.code || ' ' || new.name, new.updated_by, new.updated_at);
END;
CREATE TRIGGER org_unit_updated AFTER UPDATE ON org_unit
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'org_unit', new.id, 'update', f, o, n, coalesce(new.updated_by, 0),
           coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')) FROM (
        SELECT 'code' AS f, old.code AS o, new.code AS n
        UNION ALL SELECT 'name', old.name, new.name
        UNION ALL SELECT 'kind', old.kind, new.kind
        UNION ALL SELECT 'parent', (SELECT code FROM org_unit WHERE id = old.parent_id),
                                   (SELECT code FROM org_unit WHERE id = new.parent_id)
        UNION ALL SELECT 'division_code', old.division_code, new.division_code
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE o IS NOT n;
END;

CREATE TRIGGER industry_created AFTER INSERT ON industry WHEN new.updated_by IS NOT NULL
BEGIN
    INSERT INTO history (entity, entity_id, action, new_value, changed_by, changed_at)
    VALUES ('industry', new.id, 'create', new.code || ' ' || new.name_zh, new.updated_by, new.updated_at);
END;
CREATE TRIGGER industry_updated AFTER UPDATE ON industry
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'industry', new.id, 'update', f, o, n, coalesce(new.updated_by, 0),
           coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')) FROM (
        SELECT 'code' AS f, old.code AS o, new.code AS n
        UNION ALL SELECT 'name_zh', old.name_zh, new.name_zh
        UNION ALL SELECT 'name_en', old.name_en, new.name_en
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE o IS NOT n;
END;

CREATE TRIGGER service_line_created AFTER INSERT ON service_line WHEN new.updated_by IS NOT NULL
BEGIN
    INSERT INTO history (entity, entity_id, action, new_value, changed_by, changed_at)
    VALUES ('service_line', new.id, 'create', new.code || ' ' || new.name_zh, new.updated_by, new.updated_at);
END;
CREATE TRIGGER service_line_updated AFTER UPDATE ON service_line
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'service_line', new.id, 'update', f, o, n, coalesce(new.updated_by, 0),
           coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')) FROM (
        SELECT 'code' AS f, old.code AS o, new.code AS n
        UNION ALL SELECT 'name_zh', old.name_zh, new.name_zh
        UNION ALL SELECT 'name_en', old.name_en, new.name_en
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE o IS NOT n;
END;
