-- kam schema, version 12: revenue known only as a total for a period of months
-- (未分月, SPEC §7): a customer's figure for January–October as one amount, and a
-- unit's own revenue likewise. Kept as entered, never spread over the months;
-- months are yyyymm integers, a period lies within one calendar year and has at
-- least two months (one month is the ledger's).

CREATE TABLE revenue_period (
    customer_id     TEXT NOT NULL REFERENCES customer(id),
    first_month     INTEGER NOT NULL CHECK (first_month BETWEEN 190001 AND 999912 AND first_month % 100 BETWEEN 1 AND 12),
    last_month      INTEGER NOT NULL CHECK (last_month BETWEEN 190001 AND 999912 AND last_month % 100 BETWEEN 1 AND 12),
    service_line_id INTEGER NOT NULL REFERENCES service_line(id),
    amount          INTEGER NOT NULL CHECK (amount >= 0),
    created_by      INTEGER NOT NULL REFERENCES staff(id),
    created_at      TEXT NOT NULL,
    updated_by      INTEGER NOT NULL REFERENCES staff(id),
    updated_at      TEXT NOT NULL,
    CHECK (first_month < last_month AND first_month / 100 = last_month / 100),
    PRIMARY KEY (customer_id, first_month, last_month, service_line_id)
) WITHOUT ROWID;

CREATE TRIGGER revenue_period_no_delete BEFORE DELETE ON revenue_period
BEGIN SELECT RAISE(ABORT, 'revenue entries are never deleted; set the amount to 0'); END;
CREATE TRIGGER revenue_period_updated AFTER UPDATE ON revenue_period
BEGIN
    SELECT RAISE(ABORT, 'a period total keeps its customer, months and service line')
    WHERE new.customer_id IS NOT old.customer_id OR new.first_month IS NOT old.first_month
       OR new.last_month IS NOT old.last_month OR new.service_line_id IS NOT old.service_line_id;
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'revenue', new.customer_id || '/' || new.first_month || '-' || new.last_month || '/' || l.code,
           new.customer_id, 'update', 'revenue:' || new.first_month || '-' || new.last_month || ':' || l.code,
           old.amount, new.amount, new.updated_by, new.updated_at
    FROM service_line l WHERE l.id = new.service_line_id AND old.amount IS NOT new.amount;
END;

CREATE TABLE unit_revenue_period (
    unit_id     INTEGER NOT NULL REFERENCES org_unit(id),
    first_month INTEGER NOT NULL CHECK (first_month BETWEEN 190001 AND 999912 AND first_month % 100 BETWEEN 1 AND 12),
    last_month  INTEGER NOT NULL CHECK (last_month BETWEEN 190001 AND 999912 AND last_month % 100 BETWEEN 1 AND 12),
    amount      INTEGER NOT NULL CHECK (amount >= 0),
    updated_by  INTEGER NOT NULL REFERENCES staff(id),
    updated_at  TEXT NOT NULL,
    CHECK (first_month < last_month AND first_month / 100 = last_month / 100),
    PRIMARY KEY (unit_id, first_month, last_month)
) WITHOUT ROWID;
CREATE TRIGGER unit_revenue_period_no_delete BEFORE DELETE ON unit_revenue_period
BEGIN SELECT RAISE(ABORT, 'unit revenue is never deleted; set the amount to 0'); END;
CREATE TRIGGER unit_revenue_period_created AFTER INSERT ON unit_revenue_period
BEGIN
    INSERT INTO history (entity, entity_id, action, field, new_value, changed_by, changed_at)
    VALUES ('unit_revenue_period', new.unit_id || '/' || new.first_month || '/' || new.last_month, 'create', 'amount',
            new.amount, new.updated_by, new.updated_at);
END;
CREATE TRIGGER unit_revenue_period_updated AFTER UPDATE ON unit_revenue_period
BEGIN
    SELECT RAISE(ABORT, 'a unit''s period total keeps its unit and months')
    WHERE new.unit_id IS NOT old.unit_id OR new.first_month IS NOT old.first_month
       OR new.last_month IS NOT old.last_month;
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by, changed_at)
    SELECT 'unit_revenue_period', new.unit_id || '/' || new.first_month || '/' || new.last_month, 'update', 'amount',
           old.amount, new.amount, new.updated_by, new.updated_at
    WHERE old.amount IS NOT new.amount;
END;

