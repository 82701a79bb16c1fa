-- Issue 14: history times no longer follow the writer's TZ.
--
-- kam stamps every write itself, with the bureau's time and its UTC offset
-- (crate::time). These triggers fall back on SQLite's clock when a row brings
-- no time of its own; 'localtime' made that the local time of whatever
-- process wrote, so two writes seconds apart could be logged hours apart.
-- The fallback is now UTC and says so ('+00:00'); kam shows it in the
-- bureau's zone. Rows already written are left as they are (the history is
-- append-only and hash-chained): a time without an offset is read as the
-- bureau's.

DROP TRIGGER staff_created;
CREATE TRIGGER staff_created AFTER INSERT ON staff
BEGIN
    INSERT INTO history (entity, entity_id, action, new_value, changed_by, changed_at)
    VALUES ('staff', new.id, 'create', new.name || ' (' || new.role || ')', coalesce(new.updated_by, new.id),
            coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now') || '+00:00'));
END;

DROP TRIGGER staff_updated;
CREATE TRIGGER staff_updated AFTER UPDATE ON staff
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'staff', new.id, 'update', f, nullif(o, ''), nullif(n, ''), coalesce(new.updated_by, new.id),
           coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now') || '+00:00') FROM (
        SELECT 'login' AS f, old.login AS o, new.login AS n
        UNION ALL SELECT 'name', old.name, new.name
        UNION ALL SELECT 'unit_id', old.unit_id, new.unit_id
        UNION ALL SELECT 'role', old.role, new.role
        UNION ALL SELECT 'grade', old.grade, new.grade
        UNION ALL SELECT 'phone', old.phone, new.phone
        UNION ALL SELECT 'status', old.status, new.status
    ) WHERE nullif(o, '') IS NOT nullif(n, '');
END;

DROP TRIGGER org_unit_updated;
CREATE TRIGGER org_unit_updated AFTER UPDATE ON org_unit
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'org_unit', new.id, 'update', f, o, n, coalesce(new.updated_by, 0),
           coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now') || '+00:00') FROM (
        SELECT 'code' AS f, old.code AS o, new.code AS n
        UNION ALL SELECT 'name', old.name, new.name
        UNION ALL SELECT 'kind', old.kind, new.kind
        UNION ALL SELECT 'parent', (SELECT code FROM org_unit WHERE id = old.parent_id),
                                   (SELECT code FROM org_unit WHERE id = new.parent_id)
        UNION ALL SELECT 'division_code', old.division_code, new.division_code
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE o IS NOT n;
END;

DROP TRIGGER industry_updated;
CREATE TRIGGER industry_updated AFTER UPDATE ON industry
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'industry', new.id, 'update', f, o, n, coalesce(new.updated_by, 0),
           coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now') || '+00:00') FROM (
        SELECT 'code' AS f, old.code AS o, new.code AS n
        UNION ALL SELECT 'name_zh', old.name_zh, new.name_zh
        UNION ALL SELECT 'name_en', old.name_en, new.name_en
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE o IS NOT n;
END;

DROP TRIGGER service_line_updated;
CREATE TRIGGER service_line_updated AFTER UPDATE ON service_line
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'service_line', new.id, 'update', f, o, n, coalesce(new.updated_by, 0),
           coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now') || '+00:00') FROM (
        SELECT 'code' AS f, old.code AS o, new.code AS n
        UNION ALL SELECT 'name_zh', old.name_zh, new.name_zh
        UNION ALL SELECT 'name_en', old.name_en, new.name_en
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE o IS NOT n;
END;
