-- kam schema, version 22 (issue 19): the monthly analysis of any unit at
-- province size reads sums and short index ranges kept here by triggers, never
-- every customer of its scope. Derived tables: no history (they follow the
-- audited ones); every write to revenue (through revenue_month) and every
-- change of a customer's unit, tier, status, one-off flag or archiving keeps
-- them. Months are yyyymm integers; the month after m is
-- CASE WHEN m % 100 = 12 THEN m + 89 ELSE m + 1 END.

-- Live (not archived) customers per unit, tier and stored status.
CREATE TABLE customer_tally (
    unit_id   INTEGER NOT NULL,
    tier      TEXT NOT NULL,
    status    TEXT NOT NULL,
    customers INTEGER NOT NULL,
    PRIMARY KEY (unit_id, tier, status)
) WITHOUT ROWID;

-- Live customers' revenue per unit, month and (current) tier.
CREATE TABLE revenue_unit_tier (
    unit_id INTEGER NOT NULL,
    month   INTEGER NOT NULL,
    tier    TEXT NOT NULL,
    amount  INTEGER NOT NULL,
    PRIMARY KEY (unit_id, month, tier)
) WITHOUT ROWID;

-- One row per live customer and month with revenue (a total above zero),
-- linked to the customer's previous and next such month: the month's top ten
-- and key customers are its largest rows; new customers the rows without a
-- previous month; customers who became churned at m (no revenue for E months
-- running) the rows of m - E whose next month is after m; the fluctuations of
-- m the rows of m - 1 flagged `moved` (the next month is not m, or moves more
-- than 30% against this one).
CREATE TABLE revenue_run (
    customer_id TEXT NOT NULL,
    month       INTEGER NOT NULL,
    unit_id     INTEGER NOT NULL,
    tier        TEXT NOT NULL,
    one_off     INTEGER NOT NULL,
    amount      INTEGER NOT NULL,
    prev_month  INTEGER,
    next_month  INTEGER NOT NULL,
    next_amount INTEGER NOT NULL,
    moved       INTEGER NOT NULL GENERATED ALWAYS AS (
        CASE WHEN next_month <> CASE WHEN month % 100 = 12 THEN month + 89 ELSE month + 1 END THEN 1
             WHEN abs(next_amount - amount) * 10 > amount * 3 THEN 1 ELSE 0 END) STORED,
    PRIMARY KEY (customer_id, month)
) WITHOUT ROWID;
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
       lag(r.month) OVER (PARTITION BY r.customer_id ORDER BY r.month),
       coalesce(lead(r.month) OVER (PARTITION BY r.customer_id ORDER BY r.month), 999999),
       coalesce(lead(r.amount) OVER (PARTITION BY r.customer_id ORDER BY r.month), 0)
FROM revenue_month r JOIN customer c ON c.id = r.customer_id
WHERE c.archived = 0 AND r.amount > 0;

CREATE TRIGGER revenue_unit_tier_no_delete BEFORE DELETE ON revenue_unit_tier
BEGIN SELECT RAISE(ABORT, 'tier totals follow the revenue entries'); END;

-- A month's total came into being, or changed.
CREATE TRIGGER revenue_month_tier_inserted AFTER INSERT ON revenue_month
BEGIN
    INSERT INTO revenue_unit_tier (unit_id, month, tier, amount)
    SELECT c.unit_id, new.month, c.tier, new.amount FROM customer c WHERE c.id = new.customer_id AND c.archived = 0
    ON CONFLICT (unit_id, month, tier) DO UPDATE SET amount = amount + excluded.amount;
END;
CREATE TRIGGER revenue_month_tier_updated AFTER UPDATE OF amount ON revenue_month
WHEN old.amount IS NOT new.amount
BEGIN
    INSERT INTO revenue_unit_tier (unit_id, month, tier, amount)
    SELECT c.unit_id, new.month, c.tier, new.amount - old.amount FROM customer c
    WHERE c.id = new.customer_id AND c.archived = 0
    ON CONFLICT (unit_id, month, tier) DO UPDATE SET amount = amount + excluded.amount;
END;

-- A month with revenue: its row, linked between its neighbours.
CREATE TRIGGER revenue_run_inserted AFTER INSERT ON revenue_month WHEN new.amount > 0
BEGIN
    INSERT INTO revenue_run (customer_id, month, unit_id, tier, one_off, amount, prev_month, next_month, next_amount)
    SELECT c.id, new.month, c.unit_id, c.tier, c.one_off, new.amount,
           (SELECT max(month) FROM revenue_run WHERE customer_id = new.customer_id AND month < new.month),
           coalesce((SELECT min(month) FROM revenue_run WHERE customer_id = new.customer_id AND month > new.month), 999999),
           coalesce((SELECT amount FROM revenue_run WHERE customer_id = new.customer_id AND month > new.month
                     ORDER BY month LIMIT 1), 0)
    FROM customer c WHERE c.id = new.customer_id AND c.archived = 0;
    UPDATE revenue_run SET next_month = new.month, next_amount = new.amount
    WHERE customer_id = new.customer_id
      AND month = (SELECT max(month) FROM revenue_run WHERE customer_id = new.customer_id AND month < new.month);
    UPDATE revenue_run SET prev_month = new.month
    WHERE customer_id = new.customer_id
      AND month = (SELECT min(month) FROM revenue_run WHERE customer_id = new.customer_id AND month > new.month);
END;
CREATE TRIGGER revenue_run_started AFTER UPDATE OF amount ON revenue_month WHEN old.amount <= 0 AND new.amount > 0
BEGIN
    INSERT INTO revenue_run (customer_id, month, unit_id, tier, one_off, amount, prev_month, next_month, next_amount)
    SELECT c.id, new.month, c.unit_id, c.tier, c.one_off, new.amount,
           (SELECT max(month) FROM revenue_run WHERE customer_id = new.customer_id AND month < new.month),
           coalesce((SELECT min(month) FROM revenue_run WHERE customer_id = new.customer_id AND month > new.month), 999999),
           coalesce((SELECT amount FROM revenue_run WHERE customer_id = new.customer_id AND month > new.month
                     ORDER BY month LIMIT 1), 0)
    FROM customer c WHERE c.id = new.customer_id AND c.archived = 0;
    UPDATE revenue_run SET next_month = new.month, next_amount = new.amount
    WHERE customer_id = new.customer_id
      AND month = (SELECT max(month) FROM revenue_run WHERE customer_id = new.customer_id AND month < new.month);
    UPDATE revenue_run SET prev_month = new.month
    WHERE customer_id = new.customer_id
      AND month = (SELECT min(month) FROM revenue_run WHERE customer_id = new.customer_id AND month > new.month);
END;
CREATE TRIGGER revenue_run_changed AFTER UPDATE OF amount ON revenue_month WHEN old.amount > 0 AND new.amount > 0
BEGIN
    UPDATE revenue_run SET amount = new.amount WHERE customer_id = new.customer_id AND month = new.month;
    UPDATE revenue_run SET next_amount = new.amount WHERE customer_id = new.customer_id AND next_month = new.month;
END;
CREATE TRIGGER revenue_run_stopped AFTER UPDATE OF amount ON revenue_month WHEN old.amount > 0 AND new.amount <= 0
BEGIN
    UPDATE revenue_run SET
        next_month = coalesce((SELECT min(month) FROM revenue_run WHERE customer_id = new.customer_id
                               AND month > new.month), 999999),
        next_amount = coalesce((SELECT amount FROM revenue_run WHERE customer_id = new.customer_id
                                AND month > new.month ORDER BY month LIMIT 1), 0)
    WHERE customer_id = new.customer_id AND next_month = new.month;
    UPDATE revenue_run SET
        prev_month = (SELECT max(month) FROM revenue_run WHERE customer_id = new.customer_id AND month < new.month)
    WHERE customer_id = new.customer_id AND prev_month = new.month;
    DELETE FROM revenue_run WHERE customer_id = new.customer_id AND month = new.month;
END;

-- A new customer is counted; one that changes unit, tier, status, flag or is
-- archived or restored moves between the counts and takes its revenue along.
CREATE TRIGGER customer_tally_inserted AFTER INSERT ON customer WHEN new.archived = 0
BEGIN
    INSERT INTO customer_tally (unit_id, tier, status, customers) VALUES (new.unit_id, new.tier, new.status, 1)
    ON CONFLICT (unit_id, tier, status) DO UPDATE SET customers = customers + 1;
END;
CREATE TRIGGER customer_sums_follow AFTER UPDATE OF unit_id, tier, status, one_off, archived ON customer
WHEN old.unit_id IS NOT new.unit_id OR old.tier IS NOT new.tier OR old.status IS NOT new.status
  OR old.one_off IS NOT new.one_off OR old.archived IS NOT new.archived
BEGIN
    UPDATE customer_tally SET customers = customers - 1
    WHERE old.archived = 0 AND unit_id = old.unit_id AND tier = old.tier AND status = old.status;
    INSERT INTO customer_tally (unit_id, tier, status, customers)
    SELECT new.unit_id, new.tier, new.status, 1 WHERE new.archived = 0
    ON CONFLICT (unit_id, tier, status) DO UPDATE SET customers = customers + 1;

    UPDATE revenue_unit_tier SET amount = amount - (
        SELECT r.amount FROM revenue_month r WHERE r.customer_id = old.id AND r.month = revenue_unit_tier.month)
    WHERE old.archived = 0
      AND (old.unit_id IS NOT new.unit_id OR old.tier IS NOT new.tier OR old.archived IS NOT new.archived)
      AND unit_id = old.unit_id AND tier = old.tier
      AND month IN (SELECT month FROM revenue_month WHERE customer_id = old.id);
    INSERT INTO revenue_unit_tier (unit_id, month, tier, amount)
    SELECT new.unit_id, r.month, new.tier, r.amount FROM revenue_month r
    WHERE r.customer_id = new.id AND new.archived = 0
      AND (old.unit_id IS NOT new.unit_id OR old.tier IS NOT new.tier OR old.archived IS NOT new.archived)
    ON CONFLICT (unit_id, month, tier) DO UPDATE SET amount = amount + excluded.amount;

    DELETE FROM revenue_run WHERE customer_id = old.id AND new.archived <> 0;
    UPDATE revenue_run SET unit_id = new.unit_id, tier = new.tier, one_off = new.one_off
    WHERE customer_id = new.id AND new.archived = 0 AND old.archived = 0
      AND (old.unit_id IS NOT new.unit_id OR old.tier IS NOT new.tier OR old.one_off IS NOT new.one_off);
    INSERT INTO revenue_run (customer_id, month, unit_id, tier, one_off, amount, prev_month, next_month, next_amount)
    SELECT r.customer_id, r.month, new.unit_id, new.tier, new.one_off, r.amount,
           lag(r.month) OVER (ORDER BY r.month),
           coalesce(lead(r.month) OVER (ORDER BY r.month), 999999),
           coalesce(lead(r.amount) OVER (ORDER BY r.month), 0)
    FROM revenue_month r
    WHERE r.customer_id = new.id AND r.amount > 0 AND new.archived = 0 AND old.archived <> 0;
END;
