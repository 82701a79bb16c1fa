-- kam schema for PostgreSQL, step 5 (issue 16): revenue known only as a total
-- for a period of months (未分月, SPEC §7), a customer's and a unit's, as
-- SQLite's migration 12. Kept as entered, never spread over the months; a
-- period lies within one calendar year and has at least two months.
-- Access as their monthly counterparts (02-access): revenue_period is
-- written by whoever edits the customer, unit_revenue_period by whoever
-- decides for the unit; RLS forced, authors checked, history by the
-- owner's triggers.

SET ROLE kam_owner;

CREATE TABLE revenue_period (
    customer_id     text NOT NULL REFERENCES customer(id),
    first_month     integer NOT NULL CHECK (first_month BETWEEN 190001 AND 999912 AND first_month % 100 BETWEEN 1 AND 12),
    last_month      integer NOT NULL CHECK (last_month BETWEEN 190001 AND 999912 AND last_month % 100 BETWEEN 1 AND 12),
    service_line_id bigint NOT NULL REFERENCES service_line(id),
    amount          fen NOT NULL CHECK (amount >= 0),
    created_by      bigint NOT NULL REFERENCES staff(id),
    created_at      timestamptz NOT NULL,
    updated_by      bigint NOT NULL REFERENCES staff(id),
    updated_at      timestamptz NOT NULL,
    CHECK (first_month < last_month AND first_month / 100 = last_month / 100),
    PRIMARY KEY (customer_id, first_month, last_month, service_line_id)
);

CREATE TABLE unit_revenue_period (
    unit_id     bigint NOT NULL REFERENCES org_unit(id),
    first_month integer NOT NULL CHECK (first_month BETWEEN 190001 AND 999912 AND first_month % 100 BETWEEN 1 AND 12),
    last_month  integer NOT NULL CHECK (last_month BETWEEN 190001 AND 999912 AND last_month % 100 BETWEEN 1 AND 12),
    amount      fen NOT NULL CHECK (amount >= 0),
    updated_by  bigint NOT NULL REFERENCES staff(id),
    updated_at  timestamptz NOT NULL,
    CHECK (first_month < last_month AND first_month / 100 = last_month / 100),
    PRIMARY KEY (unit_id, first_month, last_month)
);

CREATE TRIGGER revenue_period_no_delete BEFORE DELETE ON revenue_period FOR EACH ROW
EXECUTE FUNCTION kam_refuse('revenue entries are never deleted; set the amount to 0');
CREATE TRIGGER unit_revenue_period_no_delete BEFORE DELETE ON unit_revenue_period FOR EACH ROW
EXECUTE FUNCTION kam_refuse('unit revenue is never deleted; set the amount to 0');

CREATE FUNCTION revenue_period_updated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NEW.customer_id IS DISTINCT FROM OLD.customer_id OR NEW.first_month IS DISTINCT FROM OLD.first_month
       OR NEW.last_month IS DISTINCT FROM OLD.last_month OR NEW.service_line_id IS DISTINCT FROM OLD.service_line_id THEN
        RAISE EXCEPTION 'a period total keeps its customer, months and service line'
            USING ERRCODE = 'restrict_violation';
    END IF;
    INSERT INTO history (entity, entity_id, customer_id, action, field, old_value, new_value, changed_by)
    SELECT 'revenue', NEW.customer_id || '/' || NEW.first_month || '-' || NEW.last_month || '/' || l.code,
           NEW.customer_id, 'update', 'revenue:' || NEW.first_month || '-' || NEW.last_month || ':' || l.code,
           OLD.amount::text, NEW.amount::text, NEW.updated_by
    FROM service_line l WHERE l.id = NEW.service_line_id AND OLD.amount IS DISTINCT FROM NEW.amount;
    RETURN NULL;
END $$;
CREATE TRIGGER revenue_period_updated AFTER UPDATE ON revenue_period FOR EACH ROW
EXECUTE FUNCTION revenue_period_updated();

CREATE FUNCTION unit_revenue_period_created() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO history (entity, entity_id, customer_id, action, field, new_value, changed_by)
    VALUES ('unit_revenue_period', NEW.unit_id || '/' || NEW.first_month || '/' || NEW.last_month, NULL, 'create', 'amount',
            NEW.amount::text, NEW.updated_by);
    RETURN NULL;
END $$;
CREATE TRIGGER unit_revenue_period_created AFTER INSERT ON unit_revenue_period FOR EACH ROW
EXECUTE FUNCTION unit_revenue_period_created();

CREATE FUNCTION unit_revenue_period_updated() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF NEW.unit_id IS DISTINCT FROM OLD.unit_id OR NEW.first_month IS DISTINCT FROM OLD.first_month
       OR NEW.last_month IS DISTINCT FROM OLD.last_month THEN
        RAISE EXCEPTION 'a unit''s period total keeps its unit and months' USING ERRCODE = 'restrict_violation';
    END IF;
    INSERT INTO history (entity, entity_id, action, field, old_value, new_value, changed_by)
    VALUES ('unit_revenue_period', NEW.unit_id || '/' || NEW.first_month || '/' || NEW.last_month, 'update', 'amount',
            OLD.amount::text, NEW.amount::text, NEW.updated_by);
    RETURN NULL;
END $$;
CREATE TRIGGER unit_revenue_period_updated AFTER UPDATE ON unit_revenue_period FOR EACH ROW
WHEN (OLD.amount IS DISTINCT FROM NEW.amount) EXECUTE FUNCTION unit_revenue_period_updated();

-- Authors name the session's member of staff (02-access kam_written_by_me).
CREATE TRIGGER revenue_period_written_by_me BEFORE INSERT OR UPDATE ON revenue_period
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('created_by,updated_by', 'updated_by', '');
CREATE TRIGGER unit_revenue_period_written_by_me BEFORE INSERT OR UPDATE ON unit_revenue_period
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('updated_by', 'updated_by', '');

-- Row-level security, forced, as on every table.
ALTER TABLE revenue_period ENABLE ROW LEVEL SECURITY;
ALTER TABLE revenue_period FORCE ROW LEVEL SECURITY;
ALTER TABLE unit_revenue_period ENABLE ROW LEVEL SECURITY;
ALTER TABLE unit_revenue_period FORCE ROW LEVEL SECURITY;
CREATE POLICY revenue_period_read ON revenue_period FOR SELECT TO kam_user USING (true);
CREATE POLICY unit_revenue_period_read ON unit_revenue_period FOR SELECT TO kam_user USING (true);
CREATE POLICY revenue_period_insert ON revenue_period FOR INSERT TO kam_user
    WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY revenue_period_update ON revenue_period FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY unit_revenue_period_insert ON unit_revenue_period FOR INSERT TO kam_user
    WITH CHECK (kam_decides_for_unit(unit_id));
CREATE POLICY unit_revenue_period_update ON unit_revenue_period FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_decides_for_unit(unit_id));

-- Users read both and write the amount (and its author) only.
GRANT SELECT, INSERT ON revenue_period, unit_revenue_period TO kam_user;
GRANT UPDATE (amount, updated_by, updated_at) ON revenue_period, unit_revenue_period TO kam_user;
REVOKE ALL ON FUNCTION revenue_period_updated(), unit_revenue_period_created(), unit_revenue_period_updated()
    FROM PUBLIC;

RESET ROLE;
