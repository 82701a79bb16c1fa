-- kam schema for PostgreSQL, step 17 (issue 19): the monthly analysis of any
-- unit at province size reads sums and short index ranges kept here by the
-- owner's triggers, as SQLite's migration 22-analysis-sums (see there for
-- what each table answers). Derived tables: no history (they follow the
-- audited ones); read by every kam user, written only by the triggers.

SET ROLE kam_owner;

-- Live (not archived) customers per unit, tier and stored status.
CREATE TABLE customer_tally (
    unit_id   bigint NOT NULL,
    tier      text NOT NULL,
    status    text NOT NULL,
    customers integer NOT NULL,
    PRIMARY KEY (unit_id, tier, status)
);

-- Live customers' revenue per unit, month and (current) tier.
CREATE TABLE revenue_unit_tier (
    unit_id bigint NOT NULL,
    month   integer NOT NULL,
    tier    text NOT NULL,
    amount  numeric NOT NULL,
    PRIMARY KEY (unit_id, month, tier)
);

-- One row per live customer and month with revenue, linked to the
-- customer's previous and next such month (999999: none); `moved`: the next
-- month is not the month after, or moves more than 30% against this one.
CREATE TABLE revenue_run (
    customer_id text NOT NULL,
    month       integer NOT NULL,
    unit_id     bigint NOT NULL,
    tier        text NOT NULL,
    one_off     integer NOT NULL,
    amount      fen NOT NULL,
    prev_month  integer,
    next_month  integer NOT NULL,
    next_amount fen NOT NULL,
    moved       integer NOT NULL GENERATED ALWAYS AS (
        CASE WHEN next_month <> CASE WHEN month % 100 = 12 THEN month + 89 ELSE month + 1 END THEN 1
             WHEN abs(next_amount - amount) * 10 > amount * 3 THEN 1 ELSE 0 END) STORED,
    PRIMARY KEY (customer_id, month)
);
CREATE INDEX revenue_run_largest ON revenue_run(month, amount DESC, customer_id);
CREATE INDEX revenue_run_unit_largest ON revenue_run(unit_id, month, amount DESC, customer_id);
CREATE INDEX revenue_run_tier ON revenue_run(month, tier, unit_id);
CREATE INDEX revenue_run_first ON revenue_run(month, unit_id) WHERE prev_month IS NULL;
CREATE INDEX revenue_run_next ON revenue_run(month, next_month, unit_id);
CREATE INDEX revenue_run_moved ON revenue_run(month, unit_id) WHERE moved = 1;

INSERT INTO customer_tally (unit_id, tier, status, customers)
SELECT unit_id, tier, status, count(*) FROM customer WHERE archived = 0 GROUP BY unit_id, tier, status;

INSERT INTO revenue_unit_tier (unit_id, month, tier, amount)
SELECT c.unit_id, r.month, c.tier, sum(r.amount) FROM revenue_month r JOIN customer c ON c.id = r.customer_id
WHERE c.archived = 0 GROUP BY c.unit_id, r.month, c.tier;

INSERT INTO revenue_run (customer_id, month, unit_id, tier, one_off, amount, prev_month, next_month, next_amount)
SELECT r.customer_id, r.month, c.unit_id, c.tier, c.one_off, r.amount,
       lag(r.month) OVER w, coalesce(lead(r.month) OVER w, 999999), coalesce(lead(r.amount) OVER w, 0)
FROM revenue_month r JOIN customer c ON c.id = r.customer_id
WHERE c.archived = 0 AND r.amount > 0
WINDOW w AS (PARTITION BY r.customer_id ORDER BY r.month);

CREATE TRIGGER revenue_unit_tier_no_delete BEFORE DELETE ON revenue_unit_tier FOR EACH ROW
EXECUTE FUNCTION kam_refuse('tier totals follow the revenue entries');

-- A month's total came into being or changed: the tier totals take the
-- difference; a month gaining revenue is linked between its neighbours, one
-- losing it unlinked.
CREATE FUNCTION revenue_month_sums() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    was numeric := CASE WHEN TG_OP = 'UPDATE' THEN OLD.amount ELSE 0 END;
    before_month integer;
    after_month integer;
    after_amount numeric;
BEGIN
    IF NEW.amount IS DISTINCT FROM was THEN
        INSERT INTO revenue_unit_tier AS t (unit_id, month, tier, amount)
        SELECT c.unit_id, NEW.month, c.tier, NEW.amount - was FROM customer c
        WHERE c.id = NEW.customer_id AND c.archived = 0
        ON CONFLICT (unit_id, month, tier) DO UPDATE SET amount = t.amount + excluded.amount;
    END IF;
    IF NEW.amount > 0 AND was <= 0 THEN
        SELECT max(month) INTO before_month FROM revenue_run WHERE customer_id = NEW.customer_id AND month < NEW.month;
        SELECT month, amount INTO after_month, after_amount FROM revenue_run
        WHERE customer_id = NEW.customer_id AND month > NEW.month ORDER BY month LIMIT 1;
        INSERT INTO revenue_run (customer_id, month, unit_id, tier, one_off, amount, prev_month, next_month, next_amount)
        SELECT c.id, NEW.month, c.unit_id, c.tier, c.one_off, NEW.amount, before_month,
               coalesce(after_month, 999999), coalesce(after_amount, 0)
        FROM customer c WHERE c.id = NEW.customer_id AND c.archived = 0;
        UPDATE revenue_run SET next_month = NEW.month, next_amount = NEW.amount
        WHERE customer_id = NEW.customer_id AND month = before_month;
        UPDATE revenue_run SET prev_month = NEW.month WHERE customer_id = NEW.customer_id AND month = after_month;
    ELSIF NEW.amount > 0 AND NEW.amount <> was THEN
        UPDATE revenue_run SET amount = NEW.amount WHERE customer_id = NEW.customer_id AND month = NEW.month;
        UPDATE revenue_run SET next_amount = NEW.amount WHERE customer_id = NEW.customer_id AND next_month = NEW.month;
    ELSIF NEW.amount <= 0 AND was > 0 THEN
        SELECT prev_month, next_month, next_amount INTO before_month, after_month, after_amount FROM revenue_run
        WHERE customer_id = NEW.customer_id AND month = NEW.month;
        IF FOUND THEN
            UPDATE revenue_run SET next_month = after_month, next_amount = after_amount
            WHERE customer_id = NEW.customer_id AND month = before_month;
            UPDATE revenue_run SET prev_month = before_month WHERE customer_id = NEW.customer_id AND month = after_month;
            DELETE FROM revenue_run WHERE customer_id = NEW.customer_id AND month = NEW.month;
        END IF;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER revenue_month_sums AFTER INSERT OR UPDATE OF amount ON revenue_month FOR EACH ROW
EXECUTE FUNCTION revenue_month_sums();

-- A new customer is counted; one that changes unit, tier, status, flag or is
-- archived or restored moves between the counts and takes its revenue along.
CREATE FUNCTION customer_sums_follow() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.archived = 0 THEN
        UPDATE customer_tally SET customers = customers - 1
        WHERE unit_id = OLD.unit_id AND tier = OLD.tier AND status = OLD.status;
    END IF;
    IF NEW.archived = 0 THEN
        INSERT INTO customer_tally AS t (unit_id, tier, status, customers) VALUES (NEW.unit_id, NEW.tier, NEW.status, 1)
        ON CONFLICT (unit_id, tier, status) DO UPDATE SET customers = t.customers + 1;
    END IF;
    IF TG_OP = 'INSERT' THEN
        RETURN NULL;
    END IF;
    IF OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.tier IS DISTINCT FROM NEW.tier
       OR OLD.archived IS DISTINCT FROM NEW.archived THEN
        IF OLD.archived = 0 THEN
            UPDATE revenue_unit_tier t SET amount = t.amount - r.amount FROM revenue_month r
            WHERE t.unit_id = OLD.unit_id AND t.tier = OLD.tier AND r.customer_id = OLD.id AND r.month = t.month;
        END IF;
        IF NEW.archived = 0 THEN
            INSERT INTO revenue_unit_tier AS t (unit_id, month, tier, amount)
            SELECT NEW.unit_id, r.month, NEW.tier, r.amount FROM revenue_month r WHERE r.customer_id = NEW.id
            ON CONFLICT (unit_id, month, tier) DO UPDATE SET amount = t.amount + excluded.amount;
        END IF;
    END IF;
    IF NEW.archived <> 0 THEN
        DELETE FROM revenue_run WHERE customer_id = OLD.id;
    ELSIF OLD.archived <> 0 THEN
        INSERT INTO revenue_run (customer_id, month, unit_id, tier, one_off, amount, prev_month, next_month, next_amount)
        SELECT r.customer_id, r.month, NEW.unit_id, NEW.tier, NEW.one_off, r.amount,
               lag(r.month) OVER w, coalesce(lead(r.month) OVER w, 999999), coalesce(lead(r.amount) OVER w, 0)
        FROM revenue_month r WHERE r.customer_id = NEW.id AND r.amount > 0
        WINDOW w AS (ORDER BY r.month);
    ELSIF OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.tier IS DISTINCT FROM NEW.tier
          OR OLD.one_off IS DISTINCT FROM NEW.one_off THEN
        UPDATE revenue_run SET unit_id = NEW.unit_id, tier = NEW.tier, one_off = NEW.one_off WHERE customer_id = NEW.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER customer_sums_counted AFTER INSERT ON customer FOR EACH ROW WHEN (NEW.archived = 0)
EXECUTE FUNCTION customer_sums_follow();
CREATE TRIGGER customer_sums_follow AFTER UPDATE OF unit_id, tier, status, one_off, archived ON customer FOR EACH ROW
WHEN (OLD.unit_id IS DISTINCT FROM NEW.unit_id OR OLD.tier IS DISTINCT FROM NEW.tier
      OR OLD.status IS DISTINCT FROM NEW.status OR OLD.one_off IS DISTINCT FROM NEW.one_off
      OR OLD.archived IS DISTINCT FROM NEW.archived)
EXECUTE FUNCTION customer_sums_follow();

ALTER TABLE customer_tally ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_tally FORCE ROW LEVEL SECURITY;
ALTER TABLE revenue_unit_tier ENABLE ROW LEVEL SECURITY;
ALTER TABLE revenue_unit_tier FORCE ROW LEVEL SECURITY;
ALTER TABLE revenue_run ENABLE ROW LEVEL SECURITY;
ALTER TABLE revenue_run FORCE ROW LEVEL SECURITY;
CREATE POLICY customer_tally_read ON customer_tally FOR SELECT TO kam_user USING (true);
CREATE POLICY revenue_unit_tier_read ON revenue_unit_tier FOR SELECT TO kam_user USING (true);
CREATE POLICY revenue_run_read ON revenue_run FOR SELECT TO kam_user USING (true);
GRANT SELECT ON customer_tally, revenue_unit_tier, revenue_run TO kam_user;

RESET ROLE;
