-- kam schema, version 4: the revenue ledger (SPEC §7), unit revenue, fluctuation
-- explanations and the one-off flag. Amounts are INTEGER fen; months are yyyymm integers.

-- One amount per customer, month and service line. An entry is never deleted
-- (clearing sets 0). The first entry is stamped on the row (created_by/at); every
-- later change of the amount goes to the history.
CREATE TABLE revenue (
    customer_id     TEXT NOT NULL REFERENCES customer(id),
    month           INTEGER NOT NULL CHECK (month BETWEEN 190001 AND 999912 AND month % 100 BETWEEN 1 AND 12),
    service_line_id INTEGER NOT NULL REFERENCES service_line(id),
    amount          INTEGER NOT NULL CHECK (amount >= 0),
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES staff(id),
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (customer_id, month, service_line_id)
) WITHOUT ROWID;

-- A customer's total per month, kept by the triggers below so that twelve-month sums,
-- statuses and sparklines never add up service lines again.
CREATE TABLE revenue_month (
    customer_id TEXT NOT NULL,
    month       INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    PRIMARY KEY (customer_id, month)
) WITHOUT ROWID;
CREATE INDEX revenue_month_by_month ON revenue_month(month, customer_id, amount);

-- The live (not archived) customers' revenue per unit, month and service line, kept by
-- triggers: the monthly analysis of a unit reads a few hundred rows here instead of
-- every customer's ledger (totals, trend, year to date, service lines).
CREATE TABLE revenue_unit_line (
    unit_id         INTEGER NOT NULL,
    month           INTEGER NOT NULL,
    service_line_id INTEGER NOT NULL,
    amount          INTEGER NOT NULL,
    PRIMARY KEY (unit_id, month, service_line_id)
) WITHOUT ROWID;

CREATE TRIGGER revenue_no_delete BEFORE DELETE ON revenue
BEGIN SELECT RAISE(ABORT, 'revenue entries are never deleted; set the amount to 0'); END;
CREATE TRIGGER revenue_month_no_delete BEFORE DELETE ON revenue_month
BEGIN SELECT RAISE(ABORT, 'monthly totals follow the revenue entries'); END;

CREATE TRIGGER revenue_inserted AFTER INSERT ON revenue
BEGIN
    INSERT INTO revenue_month (customer_id, month, amount) VALUES (new.customer_id, new.month, new.amount)
    ON CONFLICT (customer_id, month) DO UPDATE SET amount = amount + excluded.amount;
    INSERT INTO revenue_unit_line (unit_id, month, service_line_id, amount)
    SELECT c.unit_id, new.month, new.service_line_id, new.amount FROM customer c
    WHERE c.id = new.customer_id AND c.archived = 0
    ON CONFLICT (unit_id, month, service_line_id) DO UPDATE SET amount = amount + excluded.amount;
END;
CREATE TRIGGER revenue_updated AFTER UPDATE ON revenue
BEGIN
    SELECT RAISE(ABORT, 'a revenue entry keeps its customer, month and service line')
    WHERE new.customer_id IS NOT old.customer_id OR new.month IS NOT old.month
       OR new.service_line_id IS NOT old.service_line_id;
    UPDATE revenue_month SET amount = amount - old.amount + new.amount
    WHERE customer_id = new.customer_id AND month = new.month;
    UPDATE revenue_unit_line SET amount = amount - old.amount + new.amount
    WHERE month = new.month AND service_line_id = new.service_line_id
      AND unit_id = (SELECT unit_id FROM customer WHERE id = new.customer_id AND archived = 0);
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'revenue', new.customer_id || '/' || new.month || '/' || l.code, new.customer_id, 'update',
           'revenue:' || new.month || ':' || l.code, old.amount, new.amount, new.updated_by, new.updated_at
    FROM service_line l WHERE l.id = new.service_line_id AND old.amount IS NOT new.amount;
END;

-- A unit's own total revenue (the denominator of shares), per year (month 0) or per month.
CREATE TABLE unit_revenue (
    unit_id    INTEGER NOT NULL REFERENCES org_unit(id),
    year       INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 9999),
    month      INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    updated_by INTEGER NOT NULL REFERENCES staff(id),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (unit_id, year, month)
) WITHOUT ROWID;
CREATE TRIGGER unit_revenue_no_delete BEFORE DELETE ON unit_revenue
BEGIN SELECT RAISE(ABORT, 'unit revenue is never deleted; set the amount to 0'); END;
CREATE TRIGGER unit_revenue_created AFTER INSERT ON unit_revenue
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    VALUES ('unit_revenue', new.unit_id || '/' || new.year || '/' || new.month, 'create', 'amount', new.amount,
            new.updated_by, new.updated_at);
END;
CREATE TRIGGER unit_revenue_updated AFTER UPDATE ON unit_revenue
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'unit_revenue', new.unit_id || '/' || new.year || '/' || new.month, 'update', 'amount', old.amount,
           new.amount, new.updated_by, new.updated_at
    WHERE old.amount IS NOT new.amount;
END;

-- The account manager's explanation of a fluctuation (a move of more than 30% in a month).
CREATE TABLE fluctuation_note (
    customer_id TEXT NOT NULL REFERENCES customer(id),
    month       INTEGER NOT NULL,
    explanation TEXT NOT NULL CHECK (explanation <> ''),
    written_by  INTEGER NOT NULL REFERENCES staff(id),
    written_at  TEXT NOT NULL,
    PRIMARY KEY (customer_id, month)
) WITHOUT ROWID;
CREATE TRIGGER fluctuation_note_no_delete BEFORE DELETE ON fluctuation_note
BEGIN SELECT RAISE(ABORT, 'explanations are never deleted'); END;
CREATE TRIGGER fluctuation_note_created AFTER INSERT ON fluctuation_note
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, new_value, changed_by, changed_at)
    VALUES ('fluctuation', new.customer_id || '/' || new.month, new.customer_id, 'create', 'explanation',
            new.explanation, new.written_by, new.written_at);
END;
CREATE TRIGGER fluctuation_note_updated AFTER UPDATE ON fluctuation_note
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'fluctuation', new.customer_id || '/' || new.month, new.customer_id, 'update', 'explanation',
           old.explanation, new.explanation, new.written_by, new.written_at
    WHERE old.explanation IS NOT new.explanation;
END;

-- The unit revenue typed into each dossier becomes the unit's yearly figure (the largest
-- one typed, for the current year), then leaves the customer row.
INSERT INTO unit_revenue (unit_id, year, month, amount, updated_by, updated_at)
SELECT unit_id, CAST(strftime('%Y', 'now', 'localtime') AS INTEGER), 0, max(unit_revenue), max(updated_by),
       strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')
FROM customer WHERE unit_revenue IS NOT NULL GROUP BY unit_id;

DROP TRIGGER customer_updated;
ALTER TABLE customer DROP COLUMN unit_revenue;
-- One-off customers (一次性客户) are excepted from the fluctuation review.
ALTER TABLE customer ADD COLUMN one_off INTEGER NOT NULL DEFAULT 0 CHECK (one_off IN (0, 1));

CREATE TRIGGER customer_updated AFTER UPDATE ON customer
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'customer', new.id, new.id, 'update', f, o, n, new.updated_by, new.updated_at FROM (
        SELECT 'short_name' AS f, old.short_name AS o, new.short_name AS n
        UNION ALL SELECT 'full_name', old.full_name, new.full_name
        UNION ALL SELECT 'kind', old.kind, new.kind
        UNION ALL SELECT 'stage', old.stage, new.stage
        UNION ALL SELECT 'status', old.status, new.status
        UNION ALL SELECT 'registration', old.registration, new.registration
        UNION ALL SELECT 'industry_id', old.industry_id, new.industry_id
        UNION ALL SELECT 'unit_id', old.unit_id, new.unit_id
        UNION ALL SELECT 'owner_a', old.owner_a, new.owner_a
        UNION ALL SELECT 'owner_b', old.owner_b, new.owner_b
        UNION ALL SELECT 'annual_revenue', old.annual_revenue, new.annual_revenue
        UNION ALL SELECT 'monthly_payroll', old.monthly_payroll, new.monthly_payroll
        UNION ALL SELECT 'one_off', old.one_off, new.one_off
        UNION ALL SELECT 'tier', old.tier, new.tier
        UNION ALL SELECT 'tier_override', old.tier_override, new.tier_override
        UNION ALL SELECT 'tier_override_reason', old.tier_override_reason, new.tier_override_reason
        UNION ALL SELECT 'archived', old.archived, new.archived
    ) WHERE o IS NOT n;
END;

-- A customer who moves to another unit, or is archived or restored, takes its revenue
-- along in the per-unit totals.
CREATE TRIGGER customer_revenue_follows AFTER UPDATE OF unit_id, archived ON customer
WHEN old.unit_id IS NOT new.unit_id OR old.archived IS NOT new.archived
BEGIN
    UPDATE revenue_unit_line SET amount = amount - (
        SELECT r.amount FROM revenue r WHERE r.customer_id = old.id AND r.month = revenue_unit_line.month
          AND r.service_line_id = revenue_unit_line.service_line_id)
    WHERE old.archived = 0 AND unit_id = old.unit_id AND EXISTS (
        SELECT 1 FROM revenue r WHERE r.customer_id = old.id AND r.month = revenue_unit_line.month
          AND r.service_line_id = revenue_unit_line.service_line_id);
    INSERT INTO revenue_unit_line (unit_id, month, service_line_id, amount)
    SELECT new.unit_id, r.month, r.service_line_id, r.amount FROM revenue r
    WHERE r.customer_id = new.id AND new.archived = 0
    ON CONFLICT (unit_id, month, service_line_id) DO UPDATE SET amount = amount + excluded.amount;
END;

-- The staff registry (客户经理登记): every change is recorded, and staff are never
-- deleted (they leave: status 'left'). Rows written before this version have no author;
-- their changes are stamped by the member of staff themselves.
ALTER TABLE staff ADD COLUMN updated_by INTEGER REFERENCES staff(id);
ALTER TABLE staff ADD COLUMN updated_at TEXT;
CREATE TRIGGER staff_no_delete BEFORE DELETE ON staff
BEGIN SELECT RAISE(ABORT, 'staff are never deleted; set their status to left'); END;
CREATE TRIGGER staff_created AFTER INSERT ON staff
BEGIN
    INSERT INTO history (entity, entity_id, action, new_value, changed_by, changed_at)
    VALUES ('staff', new.id, 'create', new.name || ' (' || new.role || ')', coalesce(new.updated_by, new.id),
            coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')));
END;
CREATE TRIGGER staff_updated AFTER UPDATE ON staff
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'staff', new.id, 'update', f, o, n, coalesce(new.updated_by, new.id),
           coalesce(new.updated_at, strftime('%Y-%m-%d %H:%M:%S', 'now', 'localtime')) FROM (
        SELECT 'login' AS f, old.login AS o, new.login AS n
        UNION ALL SELECT 'name', old.name, new.name
        UNION ALL SELECT 'unit_id', old.unit_id, new.unit_id
        UNION ALL SELECT 'role', old.role, new.role
        UNION ALL SELECT 'grade', old.grade, new.grade
        UNION ALL SELECT 'phone', old.phone, new.phone
        UNION ALL SELECT 'status', old.status, new.status
    ) WHERE o IS NOT n;
END;
CREATE TRIGGER org_unit_no_delete BEFORE DELETE ON org_unit
BEGIN SELECT RAISE(ABORT, 'units are archived, never deleted'); END;

-- A supervisor's comment stays as written; only the author's "seen" mark may be set.
CREATE TRIGGER log_comment_no_delete BEFORE DELETE ON log_comment
BEGIN SELECT RAISE(ABORT, 'comments are never deleted'); END;
CREATE TRIGGER log_comment_fixed BEFORE UPDATE ON log_comment
WHEN new.comment IS NOT old.comment OR new.author_id IS NOT old.author_id OR new.log_id IS NOT old.log_id
  OR new.created_at IS NOT old.created_at
BEGIN SELECT RAISE(ABORT, 'comments are never rewritten'); END;

-- Bureau-wide policies, set by the administrator and enforced by every kam that opens
-- the file (not by each user's own config, which they could change themselves).
CREATE TABLE setting (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES staff(id),
    updated_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TRIGGER setting_no_delete BEFORE DELETE ON setting
BEGIN SELECT RAISE(ABORT, 'settings are changed, never deleted'); END;
CREATE TRIGGER setting_created AFTER INSERT ON setting
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    VALUES ('setting', new.key, 'create', new.key, new.value, new.updated_by, new.updated_at);
END;
CREATE TRIGGER setting_updated AFTER UPDATE ON setting
BEGIN
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'setting', new.key, 'update', new.key, old.value, new.value, new.updated_by, new.updated_at
    WHERE old.value IS NOT new.value;
END;
