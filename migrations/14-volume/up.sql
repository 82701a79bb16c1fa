-- Issue 16: volume (用邮量, pieces) per customer, month and service line beside
-- the revenue ledger, and returned mail (退信) per customer and month, with the
-- reasons by category (SPEC §14.7). Counts are whole pieces; the return rate is
-- computed (returned ÷ posted), never stored.

-- One count per customer, month and service line, kept like revenue: never
-- deleted (clearing sets 0), the first entry stamped on the row, every later
-- change of the count in the history.
CREATE TABLE volume (
    customer_id     TEXT NOT NULL REFERENCES customer(id),
    month           INTEGER NOT NULL CHECK (month BETWEEN 190001 AND 999912 AND month % 100 BETWEEN 1 AND 12),
    service_line_id INTEGER NOT NULL REFERENCES service_line(id),
    pieces          INTEGER NOT NULL CHECK (pieces >= 0),
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES staff(id),
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (customer_id, month, service_line_id)
) WITHOUT ROWID;
CREATE INDEX volume_by_month ON volume(month, customer_id);

CREATE TRIGGER volume_no_delete BEFORE DELETE ON volume
BEGIN SELECT RAISE(ABORT, 'volume entries are never deleted; set the pieces to 0'); END;
CREATE TRIGGER volume_updated AFTER UPDATE ON volume
BEGIN
    SELECT RAISE(ABORT, 'a volume entry keeps its customer, month and service line')
    WHERE new.customer_id IS NOT old.customer_id OR new.month IS NOT old.month
       OR new.service_line_id IS NOT old.service_line_id;
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'volume', new.customer_id || '/' || new.month || '/' || l.code, new.customer_id, 'update',
           'volume:' || new.month || ':' || l.code, old.pieces, new.pieces, new.updated_by, new.updated_at
    FROM service_line l WHERE l.id = new.service_line_id AND old.pieces IS NOT new.pieces;
END;

-- The categories a returned piece is counted under: reference data the
-- administrator keeps (`kam return-reason`), archived, never deleted. The
-- seeded ones carry no author, like the service lines of schema 1.
CREATE TABLE return_reason (
    id         INTEGER PRIMARY KEY,
    code       TEXT NOT NULL UNIQUE,
    name_zh    TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    archived   INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    updated_by INTEGER REFERENCES staff(id),
    updated_at TEXT
);
INSERT INTO return_reason (code, name_zh, name_en) VALUES
    ('unclear', '地址不详', 'Address unclear'),
    ('unknown', '查无此人', 'Addressee unknown'),
    ('refused', '拒收', 'Refused'),
    ('moved', '迁移新址不明', 'Moved, no forwarding address'),
    ('other', '其他', 'Other');
CREATE TRIGGER return_reason_no_delete BEFORE DELETE ON return_reason
BEGIN SELECT RAISE(ABORT, 'return reasons are archived, never deleted'); END;
CREATE TRIGGER return_reason_created AFTER INSERT ON return_reason WHEN new.updated_by IS NOT NULL
BEGIN
    INSERT INTO history (entity, entity_id, action, new_value, changed_by, changed_at)
    VALUES ('return_reason', new.id, 'create', new.code || ' ' || new.name_zh, new.updated_by, new.updated_at);
END;
CREATE TRIGGER return_reason_updated AFTER UPDATE ON return_reason
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'return_reason', new.id, 'update', f, o, n, coalesce(new.updated_by, 0),
           coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')) FROM (
        SELECT 'code' AS f, old.code AS o, new.code AS n
        UNION ALL SELECT 'name_zh', old.name_zh, new.name_zh
        UNION ALL SELECT 'name_en', old.name_en, new.name_en
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE o IS NOT n;
END;

-- Returned mail of a customer in a month: pieces posted and returned (never
-- more than posted). Never deleted; every change in the history.
CREATE TABLE returned_mail (
    customer_id TEXT NOT NULL REFERENCES customer(id),
    month       INTEGER NOT NULL CHECK (month BETWEEN 190001 AND 999912 AND month % 100 BETWEEN 1 AND 12),
    posted      INTEGER NOT NULL CHECK (posted >= 0),
    returned    INTEGER NOT NULL CHECK (returned >= 0 AND returned <= posted),
    created_by  INTEGER NOT NULL REFERENCES staff(id),
    created_at  TEXT NOT NULL,
    updated_by  INTEGER NOT NULL REFERENCES staff(id),
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (customer_id, month)
) WITHOUT ROWID;
CREATE INDEX returned_mail_by_month ON returned_mail(month, customer_id);
CREATE TRIGGER returned_mail_no_delete BEFORE DELETE ON returned_mail
BEGIN SELECT RAISE(ABORT, 'returned mail is never deleted; set the pieces to 0'); END;
CREATE TRIGGER returned_mail_updated AFTER UPDATE ON returned_mail
BEGIN
    SELECT RAISE(ABORT, 'returned mail keeps its customer and month')
    WHERE new.customer_id IS NOT old.customer_id OR new.month IS NOT old.month;
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'returned_mail', new.customer_id || '/' || new.month, new.customer_id, 'update', f, o, n,
           new.updated_by, new.updated_at FROM (
        SELECT 'returned_posted:' || new.month AS f, old.posted AS o, new.posted AS n
        UNION ALL SELECT 'returned_pieces:' || new.month, old.returned, new.returned
    ) WHERE o IS NOT n;
END;

-- The returned pieces of a customer's month by reason, beside its returned_mail row (their sum never more
-- than the month's returned pieces: kam checks it on every write).
CREATE TABLE returned_mail_reason (
    customer_id TEXT NOT NULL REFERENCES customer(id),
    month       INTEGER NOT NULL,
    reason_id   INTEGER NOT NULL REFERENCES return_reason(id),
    pieces      INTEGER NOT NULL CHECK (pieces >= 0),
    created_by  INTEGER NOT NULL REFERENCES staff(id),
    created_at  TEXT NOT NULL,
    updated_by  INTEGER NOT NULL REFERENCES staff(id),
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (customer_id, month, reason_id)
) WITHOUT ROWID;
CREATE TRIGGER returned_mail_reason_no_delete BEFORE DELETE ON returned_mail_reason
BEGIN SELECT RAISE(ABORT, 'returned mail is never deleted; set the pieces to 0'); END;
CREATE TRIGGER returned_mail_reason_updated AFTER UPDATE ON returned_mail_reason
BEGIN
    SELECT RAISE(ABORT, 'a reason count keeps its customer, month and reason')
    WHERE new.customer_id IS NOT old.customer_id OR new.month IS NOT old.month
       OR new.reason_id IS NOT old.reason_id;
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'returned_mail', new.customer_id || '/' || new.month, new.customer_id, 'update',
           'returned_reason:' || new.month || ':' || r.code, old.pieces, new.pieces, new.updated_by, new.updated_at
    FROM return_reason r WHERE r.id = new.reason_id AND old.pieces IS NOT new.pieces;
END;
