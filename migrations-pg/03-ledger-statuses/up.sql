-- kam schema for PostgreSQL, step 3 (issue 15): the customer statuses a new
-- ledger month moves, under row-level security. Run after 02-access by the
-- same superuser.
--
-- A revenue entry or import that opens a new ledger month (the latest month
-- with revenue in the database: revenue.rs ledger_month) moves every live
-- customer's status window, and kam re-rates them all in the writer's name
-- (revenue.rs refresh_statuses_after), as on a file. The writer may be an
-- account manager typing a cell of their own customer; the customers they do
-- not edit are refused to them by customer_update (02-access), rightly: they
-- must not set those customers' statuses. So kam re-rates those through
-- kam_rerate_customers, which runs as the owner and sets nothing but the
-- status the ledger gives each customer, computed here from revenue_month
-- with the status rules of domain::revenue::StatusRules (kam_ledger_status),
-- in the writer's name (history records them, as on a file). Nobody can make
-- it set another status: the window ends on the ledger month as it stands,
-- and the rules must be the database's (the setting 'status_rules',
-- "watch,warning,churned", default "30,3,3", kept by the administrators), so
-- that a session cannot pick rules that rate customers as it likes.

SET ROLE kam_owner;

-- domain::revenue::StatusRules::status: the status as of the last of
-- `amounts` (fen, oldest first, zero for a month without revenue);
-- `earlier`: whether the customer had revenue before the first of them.
-- Kept in step with the Rust by tests/it/ledger_status.rs on both engines.
CREATE FUNCTION kam_ledger_status(amounts numeric[], earlier boolean, watch_fall_percent integer,
    warning_decline_months integer, churned_empty_months integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = public, pg_temp AS $$
DECLARE
    n integer := coalesce(cardinality(amounts), 0);
    cur numeric;
    prev numeric;
    had boolean;
    flag boolean;
    i integer;
BEGIN
    IF n = 0 THEN
        RETURN 'normal';
    END IF;
    cur := amounts[n];
    -- Churned: nothing in the last `churned` months, after having had revenue.
    IF churned_empty_months > 0 AND n >= churned_empty_months THEN
        had := earlier;
        FOR i IN 1 .. n - churned_empty_months LOOP
            had := had OR amounts[i] > 0;
        END LOOP;
        flag := true;
        FOR i IN n - churned_empty_months + 1 .. n LOOP
            flag := flag AND amounts[i] <= 0;
        END LOOP;
        IF had AND flag THEN
            RETURN 'churned';
        END IF;
    END IF;
    -- Warning: falling month on month `warning` months running.
    IF warning_decline_months > 0 AND n > warning_decline_months THEN
        flag := true;
        FOR i IN n - warning_decline_months + 1 .. n LOOP
            flag := flag AND amounts[i] < amounts[i - 1];
        END LOOP;
        IF flag THEN
            RETURN 'warning';
        END IF;
    END IF;
    -- Watch: a fall of more than `watch` percent against the month before
    -- (compared without dividing, so exactly as the decimals compare), or
    -- still nothing after having had revenue in the window.
    IF n >= 2 THEN
        prev := amounts[n - 1];
        IF (prev > 0 AND 100 * (cur - prev) < -watch_fall_percent * prev)
           OR (prev < 0 AND 100 * (cur - prev) > -watch_fall_percent * prev) THEN
            RETURN 'watch';
        END IF;
    END IF;
    IF cur <= 0 THEN
        FOR i IN 1 .. n - 1 LOOP
            IF amounts[i] > 0 THEN
                RETURN 'watch';
            END IF;
        END LOOP;
    END IF;
    RETURN 'normal';
END $$;

-- Re-rates the customers `ids` (a comma-separated list) as of the ledger
-- month, in the name of `by_staff` at `at`: each gets the status the ledger
-- and the database's rules give it; returns how many changed. The caller
-- names themselves (a superuser or the owner, as `kam migrate` and the
-- tests connect, names whoever it acts for) and must be a member of staff
-- who writes revenue; the rules it passes must be the database's.
CREATE FUNCTION kam_rerate_customers(ids text, by_staff bigint, at timestamptz, watch_fall_percent integer,
    warning_decline_months integer, churned_empty_months integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    for_others boolean;
    stored text;
    rules integer[];
    last_key integer;
    first_key integer;
    n integer;
    last_ord integer;
    first_ord integer;
    c record;
    amounts numeric[];
    rated text;
    changed bigint := 0;
BEGIN
    SELECT rolsuper OR rolbypassrls INTO for_others FROM pg_catalog.pg_roles WHERE rolname = session_user;
    IF NOT coalesce(for_others, false) THEN
        IF kam_my_role() IS NULL OR kam_my_role() NOT IN ('manager', 'supervisor', 'admin') THEN
            RAISE EXCEPTION 'the login % writes no revenue', session_user USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF by_staff IS DISTINCT FROM kam_me() THEN
            RAISE EXCEPTION 'statuses are re-rated in your name (staff %), not %', kam_me(),
                coalesce(by_staff::text, 'nobody') USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    IF by_staff IS NULL THEN
        RAISE EXCEPTION 'statuses are re-rated in someone''s name' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT value INTO stored FROM setting WHERE key = 'status_rules';
    rules := coalesce(string_to_array(stored, ',')::integer[], ARRAY[30, 3, 3]);
    IF ARRAY[watch_fall_percent, warning_decline_months, churned_empty_months] IS DISTINCT FROM rules THEN
        RAISE EXCEPTION 'the status rules %,%,% are not the database''s (%): set status in the configuration to them',
            watch_fall_percent, warning_decline_months, churned_empty_months, array_to_string(rules, ',')
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT max(month) INTO last_key FROM revenue_month;
    IF last_key IS NULL THEN
        RETURN 0;
    END IF;
    n := greatest(rules[2], rules[3], 1) + 1;
    last_ord := (last_key / 100) * 12 + last_key % 100 - 1;
    first_ord := last_ord - n + 1;
    first_key := (first_ord / 12) * 100 + first_ord % 12 + 1;
    FOR c IN SELECT id, status FROM customer WHERE id = ANY (string_to_array(ids, ',')) ORDER BY id FOR UPDATE LOOP
        SELECT array_agg(coalesce(r.amount, 0) ORDER BY k.ord) INTO amounts
        FROM generate_series(first_ord, last_ord) AS k(ord)
        LEFT JOIN revenue_month r ON r.customer_id = c.id AND r.month = (k.ord / 12) * 100 + k.ord % 12 + 1;
        rated := kam_ledger_status(amounts,
            EXISTS (SELECT FROM revenue_month WHERE customer_id = c.id AND month < first_key AND amount > 0),
            rules[1], rules[2], rules[3]);
        IF rated IS DISTINCT FROM c.status THEN
            UPDATE customer SET status = rated, updated_by = by_staff, updated_at = at WHERE id = c.id;
            changed := changed + 1;
        END IF;
    END LOOP;
    RETURN changed;
END $$;

REVOKE ALL ON FUNCTION kam_ledger_status(numeric[], boolean, integer, integer, integer),
    kam_rerate_customers(text, bigint, timestamptz, integer, integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kam_ledger_status(numeric[], boolean, integer, integer, integer),
    kam_rerate_customers(text, bigint, timestamptz, integer, integer, integer) TO kam_user;

RESET ROLE;
