-- kam schema, version 4: the revenue ledger (SPEC §7), unit revenue, fluctuation
-- explanations and the one-off flag. Amounts are INTEGER fen; months are yyyymm integers.

-- One amount per customer, month and service line. Month first: the monthly analysis
-- reads one month of every customer; a customer's own months are found by listing them.
-- An entry is never deleted (clearing sets 0). The first entry is stamped on the row
-- (created_by/at); every later change of the amount goes to the history.
CREATE TABLE revenue (
    month           INTEGER NOT NULL CHECK (month BETWEEN 190001 AND 999912 AND month % 100 BETWEEN 1 AND 12),
    customer_id     TEXT NOT NULL REFERENCES customer(id),
    service_line_id INTEGER NOT NULL REFERENCES service_line(id),
    amount          INTEGER NOT NULL CHECK (amount >= 0),
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES staff(id),
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (month, customer_id, service_line_id)
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

CREATE TRIGGER revenue_no_delete BEFORE DELETE ON revenue
BEGIN SELECT RAISE(ABORT, 'revenue entries are never deleted; set the amount to 0'); END;
CREATE TRIGGER revenue_month_no_delete BEFORE DELETE ON revenue_month
BEGIN SELECT RAISE(ABORT, 'monthly totals follow the revenue entries'); END;

CREATE TRIGGER revenue_inserted AFTER INSERT ON revenue
BEGIN
    INSERT INTO revenue_month (customer_id, month, amount) VALUES (new.customer_id, new.month, new.amount)
    ON CONFLICT (customer_id, month) DO UPDATE SET amount = amount + excluded.amount;
END;
CREATE TRIGGER revenue_updated AFTER UPDATE ON revenue
BEGIN
    SELECT RAISE(ABORT, 'a revenue entry keeps its customer, month and service line')
    WHERE new.customer_id IS NOT old.customer_id OR new.month IS NOT old.month
       OR new.service_line_id IS NOT old.service_line_id;
    UPDATE revenue_month SET amount = amount - old.amount + new.amount
    WHERE customer_id = new.customer_id AND month = new.month;
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
