-- kam schema for PostgreSQL, step 2 (issue 15): the access rules of
-- src/db/access.rs and src/domain/staff.rs, enforced by the server, so that
-- `psql` as an account manager is refused what kam refuses. kam keeps
-- asking access.rs first, for the friendly message; these rules are the
-- wall behind it. Run after 01-init by the same superuser.
--
-- Who you are: the staff row whose login is the session's login
-- (`session_user`, so SET ROLE changes nothing) and which has not left:
-- kam_current_staff(). Its role and unit decide, not the kam_<role> group
-- the login is in (the groups carry the table rights every kam user shares;
-- the staff registry, kept by the administrators, is the one truth about
-- roles, as it is on SQLite). A login without such a row writes nothing.
--
-- Exempt: superusers and roles with BYPASSRLS, which is kam_owner alone
-- (given here): its SECURITY DEFINER triggers keep the history and totals,
-- and `kam migrate`, connected as the owner, copies a bureau's rows with
-- their authors. Every check below starts from kam_writes_for_others().
--
-- Refusals are SQLSTATE 42501 (insufficient_privilege): the privilege
-- system's own, row-level security's "new row violates row-level security
-- policy", or a trigger's message for rules that compare the row before
-- and after (which a policy cannot see).
--
-- What each table allows a user (R = everyone in kam_user reads; writes
-- need an active staff row; "edits the customer" is access.rs's
-- may_edit_owned: an account manager their own customers (owner A or B),
-- or every customer of their unit when the administrator's setting
-- managers_edit_unit is '1'; supervisors and administrators any customer;
-- leaders none; "decides for the unit" is may_decide_for: an administrator,
-- or a supervisor of that unit or of a unit above it):
--
--   org_unit, staff, industry, service_line, setting
--       R; INSERT/UPDATE by administrators.
--   tier_preset, revenue_month, revenue_unit_line, history, history_chain,
--   history_acted
--       R only (01-init grants no write; the owner's triggers keep them).
--   customer
--       R; INSERT by anyone but a leader (registration 'pending' and no tier
--       override, unless they decide for the new row's unit); UPDATE by whoever
--       edits the customer (as the row stands after the update); changing
--       owner_a, owner_b, unit_id (reassignment), registration or the tier
--       override needs deciding for the unit the customer is in now (trigger
--       customer_decided_by). id, created_by, created_at never change.
--   customer_profile, customer_search
--       R; INSERT by anyone but a leader for a customer they edit or have
--       just registered (created_by); UPDATE (not customer_id) by whoever edits
--       the customer; a profile update also needs the customer row last
--       written by the same person (its history takes the author from
--       there, and kam writes the customer row first). Search keys are
--       deleted by administrators only (kam check --repair).
--   registration
--       R; INSERT by anyone but a leader, pending, or already decided by the
--       one filing it when they decide for its unit; UPDATE of the decision
--       columns only (column grants), by whoever decides for the customer's
--       unit, as decided_by.
--   key_person, competitor, marketing_log, revenue, fluctuation_note
--       R; INSERT/UPDATE by whoever edits the customer; the customer (and
--       for revenue the month and line, for a log entry its author) never
--       change.
--   person_occasion
--       R; INSERT/DELETE by whoever edits the key person's customer.
--   visit, visit_series, visit_staff, visit_person
--       R; as the customer's editors, and leaders too (they take part in
--       senior visits: access.rs Work::Visits). A visit's customer never
--       changes; series and participant rows are replaced, never updated.
--   log_comment
--       R; INSERT by supervisors and administrators (may_decide); UPDATE of
--       seen_at only, by the author of the log entry.
--   complaint
--       R; INSERT by anyone but a leader (whoever receives it files it, as
--       received_by); UPDATE as access.rs may_work_on_complaint, checked on
--       the row before and after (trigger complaint_worked_on).
--   complaint_event
--       R; INSERT by whoever may work on the complaint now, or who wrote the
--       complaint row last (the step an event records was checked there).
--   unit_revenue
--       R; INSERT/UPDATE by whoever decides for the unit.
--
-- Authors: every user write names its writer as kam_current_staff() in
-- created_by / updated_by (and author_id, received_by, filed_by,
-- decided_by, by_id, written_by where a table has them): trigger
-- kam_written_by_me. Updates may leave updated_by as it was when only
-- columns no history row records move (customer: dossier_updated_on,
-- update_due_on, tier_preset, name_key). A user session may not set
-- kam.acting: acting for someone else is the owner's.
--
-- Deleting: only the derived rows 01-init lets users delete (participants,
-- occasions, search keys), by those named above; nothing else, by anyone.
--
-- Where kam on SQLite writes more than these rules allow (the store must
-- change before it runs on PostgreSQL): a revenue entry that opens a new
-- ledger month refreshes every customer's status in the writer's name
-- (revenue.rs refresh_statuses_after); here a manager may set the status
-- of the customers they edit only, so that refresh must run as the owner
-- (or be left to a records keeper). Users cannot COPY into tables with
-- row-level security: bulk imports insert row by row.
--
-- A later migration that adds a column a user must update grants it:
-- UPDATE is granted column by column on the tables named in the DO block
-- below.

-- Roles are the server's, shared by its databases: two kam databases set
-- up at once may change the same role together, and the loser of that race
-- ("tuple concurrently updated", a duplicate) looks again and finds it done.
--
-- kam_owner: BYPASSRLS, so that its triggers and functions see every row
-- (FORCE below makes the owner subject to policies otherwise).
--
-- kam_login_maker creates logins for `kam staff add` (kam_create_login):
-- CREATEROLE, and the kam role groups WITH ADMIN OPTION (PostgreSQL 16 and
-- later grant membership only with it; 15 takes CREATEROLE alone).
-- NOINHERIT: holding the groups gives it none of their table rights.
DO $$
DECLARE
    attempt int := 0;
    grp text;
BEGIN
    LOOP
        BEGIN
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kam_owner' AND rolbypassrls) THEN
                ALTER ROLE kam_owner BYPASSRLS;
            END IF;
            IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'kam_login_maker') THEN
                CREATE ROLE kam_login_maker NOLOGIN NOINHERIT CREATEROLE;
            END IF;
            FOREACH grp IN ARRAY ARRAY['kam_manager', 'kam_supervisor', 'kam_admin', 'kam_leader'] LOOP
                CONTINUE WHEN EXISTS (SELECT FROM pg_auth_members WHERE roleid = grp::regrole
                                      AND member = 'kam_login_maker'::regrole AND admin_option);
                EXECUTE format('GRANT %I TO kam_login_maker WITH ADMIN OPTION', grp);
            END LOOP;
            EXIT;
        EXCEPTION WHEN duplicate_object OR unique_violation OR internal_error THEN
            attempt := attempt + 1;
            IF attempt > 20 THEN
                RAISE;
            END IF;
            PERFORM pg_sleep(0.01 * attempt);
        END;
    END LOOP;
END $$;
GRANT USAGE ON SCHEMA public TO kam_login_maker;

SET ROLE kam_owner;

-- Who is working: the staff row of the session's login, or NULL.
CREATE FUNCTION kam_current_staff() RETURNS staff
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT * FROM staff WHERE login = session_user AND status <> 'left'
$$;

CREATE FUNCTION kam_me() RETURNS bigint
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT id FROM kam_current_staff()
$$;

CREATE FUNCTION kam_my_role() RETURNS text
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT role FROM kam_current_staff()
$$;

-- Whether the role running the statement writes for others: a superuser,
-- or one with BYPASSRLS (kam_owner, whose triggers write history and
-- totals). Not SECURITY DEFINER: it asks about its caller.
CREATE FUNCTION kam_writes_for_others() RETURNS boolean
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT rolsuper OR rolbypassrls FROM pg_catalog.pg_roles WHERE rolname = current_user), false)
$$;

-- A unit with the units above it, nearest first (access.rs deciding_unit;
-- a parent loop ends at 32 levels). Empty when the unit does not exist.
CREATE FUNCTION kam_unit_and_above(of_unit bigint) RETURNS bigint[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    WITH RECURSIVE up(id, depth) AS (
        SELECT id, 0 FROM org_unit WHERE id = of_unit
        UNION
        SELECT u.parent_id, up.depth + 1 FROM org_unit u JOIN up ON u.id = up.id
        WHERE u.parent_id IS NOT NULL AND up.depth < 32)
    SELECT coalesce(array_agg(id ORDER BY depth), '{}') FROM up
$$;

-- staff.rs may_decide_for: the administrator, or a supervisor of the unit
-- or of a unit above it.
CREATE FUNCTION kam_decides_for_unit(of_unit bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(
        cardinality(kam_unit_and_above(of_unit)) > 0
        AND (me.role = 'admin' OR (me.role = 'supervisor' AND me.unit_id = ANY (kam_unit_and_above(of_unit)))),
        false)
    FROM kam_current_staff() me
$$;

-- access.rs may_decide_for_customer: by the customer's unit as stored now.
CREATE FUNCTION kam_decides_for_customer(of_customer text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT kam_decides_for_unit(unit_id) FROM customer WHERE id = of_customer), false)
$$;

-- access.rs may_edit_owned (with staff.rs may_edit_customer).
CREATE FUNCTION kam_may_edit_owned(owner_a bigint, owner_b bigint, unit bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(
        me.role IN ('supervisor', 'admin')
        OR (me.role = 'manager' AND (me.id = owner_a OR me.id IS NOT DISTINCT FROM owner_b
            OR (me.unit_id = unit
                AND (SELECT value FROM setting WHERE key = 'managers_edit_unit') IS NOT DISTINCT FROM '1'))),
        false)
    FROM kam_current_staff() me
$$;

-- access.rs may_edit_customer: by the customer's owners and unit as stored now.
CREATE FUNCTION kam_may_edit_customer(of_customer text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT kam_may_edit_owned(owner_a, owner_b, unit_id) FROM customer WHERE id = of_customer), false)
$$;

-- A customer's dependent rows written at its registration: by whoever
-- edits it, or whoever has just registered it.
CREATE FUNCTION kam_may_complete_customer(of_customer text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT kam_my_role() IN ('manager', 'supervisor', 'admin')
       AND (kam_may_edit_customer(of_customer)
            OR EXISTS (SELECT FROM customer WHERE id = of_customer AND created_by = kam_me()))
$$;

-- access.rs may_work_on(Work::Visits): the customer's editors, and leaders.
CREATE FUNCTION kam_may_visit(of_customer text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT (kam_my_role() = 'leader' AND EXISTS (SELECT FROM customer WHERE id = of_customer))
        OR kam_may_edit_customer(of_customer)
$$;

CREATE FUNCTION kam_may_visit_visit(of_visit bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT kam_may_visit(customer_id) FROM visit WHERE id = of_visit), false)
$$;

CREATE FUNCTION kam_may_edit_person(of_person bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT kam_may_edit_customer(customer_id) FROM key_person WHERE id = of_person), false)
$$;

CREATE FUNCTION kam_wrote_log(of_log bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT author_id = kam_me() FROM marketing_log WHERE id = of_log), false)
$$;

CREATE FUNCTION kam_customer_written_by_me(of_customer text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT updated_by = kam_me() FROM customer WHERE id = of_customer), false)
$$;

-- access.rs may_work_on_complaint for work that is no decision, on the
-- complaint as it stands: the one who received it while it is not handed
-- over, its handler, the customer's account managers (by the unit policy
-- too), the supervisors of the customer's unit and above, the administrator.
CREATE FUNCTION kam_may_work_on_complaint(state text, received_by bigint, handler bigint, of_customer text)
RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce(
        me.role IN ('manager', 'supervisor', 'admin')
        AND ((state = 'received' AND received_by = me.id)
             OR handler = me.id
             OR CASE WHEN me.role = 'manager' THEN kam_may_edit_customer(of_customer)
                     ELSE kam_decides_for_customer(of_customer) END),
        false)
    FROM kam_current_staff() me
$$;

CREATE FUNCTION kam_may_note_complaint(of_complaint bigint) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT coalesce((SELECT kam_may_work_on_complaint(c.state, c.received_by, c.handler_id, c.customer_id)
                              OR c.updated_by = kam_me()
                     FROM complaint c WHERE c.id = of_complaint), false)
$$;

-- Refusals in staff.rs's words.
CREATE FUNCTION kam_refuse_decision(of_unit bigint) RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'only a supervisor of % or a unit above it decides this',
        coalesce((SELECT name FROM org_unit WHERE id = of_unit), of_unit::text)
        USING ERRCODE = 'insufficient_privilege';
END $$;

-- Every user write names its writer (the header). Arguments: the columns
-- that must name the writer on INSERT (comma-separated); the column that
-- must name them on UPDATE (or ''); the columns an UPDATE may move without
-- naming its writer (no history row records them). Columns that may never
-- change are kept by the column grants below.
CREATE FUNCTION kam_written_by_me() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    me bigint;
    row_now jsonb;
    col text;
    moved text[];
BEGIN
    IF kam_writes_for_others() THEN
        RETURN NEW;
    END IF;
    IF kam_acting() IS NOT NULL THEN
        RAISE EXCEPTION 'only the database owner acts for someone else (kam.acting is %)', kam_acting()
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    me := kam_me();
    IF me IS NULL THEN
        RAISE EXCEPTION 'the login % is no active member of staff', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    row_now := to_jsonb(NEW);
    IF TG_OP = 'INSERT' THEN
        FOREACH col IN ARRAY string_to_array(coalesce(TG_ARGV[0], ''), ',') LOOP
            IF (row_now ->> col)::bigint IS DISTINCT FROM me THEN
                RAISE EXCEPTION '%.% must name you (staff %), not %', TG_TABLE_NAME, col, me,
                    coalesce(row_now ->> col, 'nobody')
                    USING ERRCODE = 'insufficient_privilege';
            END IF;
        END LOOP;
    ELSIF coalesce(TG_ARGV[1], '') <> '' AND (row_now ->> TG_ARGV[1])::bigint IS DISTINCT FROM me THEN
        SELECT array_agg(n.key) INTO moved
        FROM jsonb_each(row_now) n JOIN jsonb_each(to_jsonb(OLD)) o USING (key)
        WHERE n.value IS DISTINCT FROM o.value;
        IF moved IS NOT NULL AND NOT moved <@ string_to_array(coalesce(TG_ARGV[2], ''), ',') THEN
            RAISE EXCEPTION '%.% must name you (staff %), not %', TG_TABLE_NAME, TG_ARGV[1], me,
                coalesce(row_now ->> TG_ARGV[1], 'nobody')
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER org_unit_written_by_me BEFORE INSERT OR UPDATE ON org_unit
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('updated_by', 'updated_by', '');
CREATE TRIGGER staff_written_by_me BEFORE INSERT OR UPDATE ON staff
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('updated_by', 'updated_by', '');
CREATE TRIGGER industry_written_by_me BEFORE INSERT OR UPDATE ON industry
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('updated_by', 'updated_by', '');
CREATE TRIGGER service_line_written_by_me BEFORE INSERT OR UPDATE ON service_line
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('updated_by', 'updated_by', '');
CREATE TRIGGER setting_written_by_me BEFORE INSERT OR UPDATE ON setting
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('updated_by', 'updated_by', '');
-- Touching the dossier's dates (a key person saved) and recording the
-- preset on every row (re-tiering) write no history and keep the author.
CREATE TRIGGER customer_written_by_me BEFORE INSERT OR UPDATE ON customer
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('created_by,updated_by', 'updated_by',
    'dossier_updated_on,update_due_on,tier_preset,name_key');
-- The profile's history takes its author from the customer row (policy below).
CREATE TRIGGER customer_profile_written_by_me BEFORE INSERT OR UPDATE ON customer_profile
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('', '', '');
CREATE TRIGGER registration_written_by_me BEFORE INSERT OR UPDATE ON registration
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('filed_by', 'decided_by', '');
CREATE TRIGGER key_person_written_by_me BEFORE INSERT OR UPDATE ON key_person
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('created_by,updated_by', 'updated_by', '');
CREATE TRIGGER competitor_written_by_me BEFORE INSERT OR UPDATE ON competitor
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('created_by,updated_by', 'updated_by', '');
CREATE TRIGGER visit_series_written_by_me BEFORE INSERT OR UPDATE ON visit_series
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('created_by', '', '');
CREATE TRIGGER visit_written_by_me BEFORE INSERT OR UPDATE ON visit
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('created_by,updated_by', 'updated_by', '');
CREATE TRIGGER marketing_log_written_by_me BEFORE INSERT OR UPDATE ON marketing_log
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('author_id,created_by,updated_by', 'updated_by', '');
CREATE TRIGGER log_comment_written_by_me BEFORE INSERT OR UPDATE ON log_comment
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('author_id', '', '');
CREATE TRIGGER complaint_written_by_me BEFORE INSERT OR UPDATE ON complaint
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('received_by,created_by,updated_by', 'updated_by', '');
CREATE TRIGGER complaint_event_written_by_me BEFORE INSERT ON complaint_event
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('by_id', '', '');
CREATE TRIGGER revenue_written_by_me BEFORE INSERT OR UPDATE ON revenue
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('created_by,updated_by', 'updated_by', '');
CREATE TRIGGER unit_revenue_written_by_me BEFORE INSERT OR UPDATE ON unit_revenue
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('updated_by', 'updated_by', '');
CREATE TRIGGER fluctuation_note_written_by_me BEFORE INSERT OR UPDATE ON fluctuation_note
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('written_by', 'written_by', '');

-- Decisions about a customer (access.rs: reassignment, registration, tier
-- override) belong to those who decide for the unit it is in now.
CREATE FUNCTION customer_decided_by() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
    IF NOT kam_writes_for_others()
       AND (NEW.owner_a, NEW.owner_b, NEW.unit_id, NEW.registration, NEW.tier_override, NEW.tier_override_reason)
           IS DISTINCT FROM (OLD.owner_a, OLD.owner_b, OLD.unit_id, OLD.registration, OLD.tier_override,
                             OLD.tier_override_reason)
       AND NOT kam_decides_for_unit(OLD.unit_id) THEN
        PERFORM kam_refuse_decision(OLD.unit_id);
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER customer_decided_by BEFORE UPDATE ON customer
FOR EACH ROW EXECUTE FUNCTION customer_decided_by();

-- access.rs may_work_on_complaint, on the complaint before the update: a
-- step of an escalated complaint, and closing over the customer's
-- dissatisfaction, are decisions of the customer's unit; other work is the
-- parties'.
CREATE FUNCTION complaint_worked_on() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    unit bigint;
BEGIN
    IF kam_writes_for_others() THEN
        RETURN NEW;
    END IF;
    IF kam_my_role() IS NULL THEN
        RAISE EXCEPTION 'the login % is no active member of staff', session_user
            USING ERRCODE = 'insufficient_privilege';
    ELSIF kam_my_role() NOT IN ('manager', 'supervisor', 'admin') THEN
        RAISE EXCEPTION 'leaders read but do not edit' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF (OLD.state = 'escalated' AND NEW.state IS DISTINCT FROM OLD.state)
       OR (NEW.state = 'closed' AND OLD.state IS DISTINCT FROM 'closed' AND NEW.satisfaction = 'unsatisfied') THEN
        IF NOT kam_decides_for_customer(OLD.customer_id) THEN
            SELECT unit_id INTO unit FROM customer WHERE id = OLD.customer_id;
            PERFORM kam_refuse_decision(unit);
        END IF;
    ELSIF NOT kam_may_work_on_complaint(OLD.state, OLD.received_by, OLD.handler_id, OLD.customer_id) THEN
        RAISE EXCEPTION 'only the complaint''s handler, the customer''s account managers or a supervisor of its unit or a unit above it work on this complaint'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER complaint_worked_on BEFORE UPDATE ON complaint
FOR EACH ROW EXECUTE FUNCTION complaint_worked_on();

-- Row-level security on every table: everyone in kam_user reads every row
-- (as kam does); writes only as the policies below say.
DO $$
DECLARE
    t text;
BEGIN
    FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'kam_meta' ORDER BY tablename LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('CREATE POLICY %I ON %I FOR SELECT TO kam_user USING (true)', t || '_read', t);
    END LOOP;
END $$;

-- UPDATE policies let the statement see every row (reads are open anyway)
-- and check the row as it would be written: a forbidden update is refused
-- with an error rather than skipped in silence. What the row was is the
-- business of the column grants and the triggers above.

-- The administrator's tables.
CREATE POLICY org_unit_insert ON org_unit FOR INSERT TO kam_user WITH CHECK (kam_my_role() = 'admin');
CREATE POLICY org_unit_update ON org_unit FOR UPDATE TO kam_user USING (true) WITH CHECK (kam_my_role() = 'admin');
CREATE POLICY staff_insert ON staff FOR INSERT TO kam_user WITH CHECK (kam_my_role() = 'admin');
CREATE POLICY staff_update ON staff FOR UPDATE TO kam_user USING (true) WITH CHECK (kam_my_role() = 'admin');
CREATE POLICY industry_insert ON industry FOR INSERT TO kam_user WITH CHECK (kam_my_role() = 'admin');
CREATE POLICY industry_update ON industry FOR UPDATE TO kam_user USING (true) WITH CHECK (kam_my_role() = 'admin');
CREATE POLICY service_line_insert ON service_line FOR INSERT TO kam_user WITH CHECK (kam_my_role() = 'admin');
CREATE POLICY service_line_update ON service_line FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_my_role() = 'admin');
CREATE POLICY setting_insert ON setting FOR INSERT TO kam_user WITH CHECK (kam_my_role() = 'admin');
CREATE POLICY setting_update ON setting FOR UPDATE TO kam_user USING (true) WITH CHECK (kam_my_role() = 'admin');

-- Customers.
CREATE POLICY customer_insert ON customer FOR INSERT TO kam_user WITH CHECK (
    kam_my_role() IN ('manager', 'supervisor', 'admin')
    AND ((registration = 'pending' AND tier_override IS NULL) OR kam_decides_for_unit(unit_id)));
CREATE POLICY customer_update ON customer FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_may_edit_owned(owner_a, owner_b, unit_id));

CREATE POLICY customer_profile_insert ON customer_profile FOR INSERT TO kam_user
    WITH CHECK (kam_may_complete_customer(customer_id));
CREATE POLICY customer_profile_update ON customer_profile FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_may_edit_customer(customer_id) AND kam_customer_written_by_me(customer_id));

CREATE POLICY customer_search_insert ON customer_search FOR INSERT TO kam_user
    WITH CHECK (kam_may_complete_customer(customer_id));
CREATE POLICY customer_search_update ON customer_search FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY customer_search_delete ON customer_search FOR DELETE TO kam_user USING (kam_my_role() = 'admin');

CREATE POLICY registration_insert ON registration FOR INSERT TO kam_user WITH CHECK (
    kam_my_role() IN ('manager', 'supervisor', 'admin')
    AND ((decision = 'pending' AND decided_by IS NULL AND decided_at IS NULL)
         OR (kam_decides_for_unit(unit_id) AND decided_by = kam_me())));
CREATE POLICY registration_update ON registration FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_decides_for_customer(customer_id));

-- The customer's records.
CREATE POLICY key_person_insert ON key_person FOR INSERT TO kam_user WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY key_person_update ON key_person FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY competitor_insert ON competitor FOR INSERT TO kam_user WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY competitor_update ON competitor FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY person_occasion_insert ON person_occasion FOR INSERT TO kam_user
    WITH CHECK (kam_may_edit_person(person_id));
CREATE POLICY person_occasion_delete ON person_occasion FOR DELETE TO kam_user USING (kam_may_edit_person(person_id));
CREATE POLICY marketing_log_insert ON marketing_log FOR INSERT TO kam_user
    WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY marketing_log_update ON marketing_log FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY log_comment_insert ON log_comment FOR INSERT TO kam_user
    WITH CHECK (kam_my_role() IN ('supervisor', 'admin'));
CREATE POLICY log_comment_update ON log_comment FOR UPDATE TO kam_user USING (true) WITH CHECK (kam_wrote_log(log_id));
CREATE POLICY revenue_insert ON revenue FOR INSERT TO kam_user WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY revenue_update ON revenue FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY fluctuation_note_insert ON fluctuation_note FOR INSERT TO kam_user
    WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY fluctuation_note_update ON fluctuation_note FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_may_edit_customer(customer_id));
CREATE POLICY unit_revenue_insert ON unit_revenue FOR INSERT TO kam_user WITH CHECK (kam_decides_for_unit(unit_id));
CREATE POLICY unit_revenue_update ON unit_revenue FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_decides_for_unit(unit_id));

-- Visits: leaders too.
CREATE POLICY visit_insert ON visit FOR INSERT TO kam_user WITH CHECK (kam_may_visit(customer_id));
CREATE POLICY visit_update ON visit FOR UPDATE TO kam_user USING (true) WITH CHECK (kam_may_visit(customer_id));
CREATE POLICY visit_series_insert ON visit_series FOR INSERT TO kam_user WITH CHECK (kam_may_visit(customer_id));
CREATE POLICY visit_staff_insert ON visit_staff FOR INSERT TO kam_user WITH CHECK (kam_may_visit_visit(visit_id));
CREATE POLICY visit_staff_delete ON visit_staff FOR DELETE TO kam_user USING (kam_may_visit_visit(visit_id));
CREATE POLICY visit_person_insert ON visit_person FOR INSERT TO kam_user WITH CHECK (kam_may_visit_visit(visit_id));
CREATE POLICY visit_person_delete ON visit_person FOR DELETE TO kam_user USING (kam_may_visit_visit(visit_id));

-- Complaints (the update's rules are in complaint_worked_on).
CREATE POLICY complaint_insert ON complaint FOR INSERT TO kam_user
    WITH CHECK (kam_my_role() IN ('manager', 'supervisor', 'admin'));
CREATE POLICY complaint_update ON complaint FOR UPDATE TO kam_user USING (true)
    WITH CHECK (kam_my_role() IN ('manager', 'supervisor', 'admin'));
CREATE POLICY complaint_event_insert ON complaint_event FOR INSERT TO kam_user
    WITH CHECK (kam_may_note_complaint(complaint_id));

-- Columns a user may update: every one but those that never change
-- (identity, creation, the customer a record belongs to), or only the
-- few a table's updates move. Rows that kam replaces rather than updates
-- (series, participants, occasions) take no UPDATE at all.
DO $$
DECLARE
    all_but constant jsonb := '{
        "customer":         ["id", "created_by", "created_at"],
        "customer_profile": ["customer_id"],
        "key_person":       ["id", "customer_id", "created_by", "created_at"],
        "competitor":       ["id", "customer_id", "created_by", "created_at"],
        "visit":            ["id", "customer_id", "created_by", "created_at"],
        "marketing_log":    ["id", "customer_id", "author_id", "created_by", "created_at"],
        "complaint":        ["id", "number", "received_by", "customer_id", "created_by", "created_at"]
    }';
    just constant jsonb := '{
        "customer_search":  ["key"],
        "registration":     ["decision", "decided_by", "decided_at", "decision_note"],
        "log_comment":      ["seen_at"],
        "revenue":          ["amount", "updated_by", "updated_at"],
        "unit_revenue":     ["amount", "updated_by", "updated_at"],
        "fluctuation_note": ["explanation", "written_by", "written_at"]
    }';
    t text;
    cols text;
BEGIN
    FOR t IN SELECT jsonb_object_keys(all_but) LOOP
        SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) INTO cols
        FROM pg_attribute
        WHERE attrelid = t::regclass AND attnum > 0 AND NOT attisdropped
          AND attname <> ALL (ARRAY(SELECT jsonb_array_elements_text(all_but -> t)));
        EXECUTE format('REVOKE UPDATE ON %I FROM kam_user', t);
        EXECUTE format('GRANT UPDATE (%s) ON %I TO kam_user', cols, t);
    END LOOP;
    FOR t IN SELECT jsonb_object_keys(just) LOOP
        SELECT string_agg(quote_ident(c), ', ') INTO cols FROM jsonb_array_elements_text(just -> t) c;
        EXECUTE format('REVOKE UPDATE ON %I FROM kam_user', t);
        EXECUTE format('GRANT UPDATE (%s) ON %I TO kam_user', cols, t);
    END LOOP;
END $$;
REVOKE UPDATE ON visit_series, visit_staff, visit_person, person_occasion FROM kam_user;

-- The helpers run in every user's policies and triggers.
REVOKE ALL ON FUNCTION kam_current_staff(), kam_me(), kam_my_role(), kam_writes_for_others(),
    kam_unit_and_above(bigint), kam_decides_for_unit(bigint), kam_decides_for_customer(text),
    kam_may_edit_owned(bigint, bigint, bigint), kam_may_edit_customer(text), kam_may_complete_customer(text),
    kam_may_visit(text), kam_may_visit_visit(bigint), kam_may_edit_person(bigint), kam_wrote_log(bigint),
    kam_customer_written_by_me(text), kam_may_work_on_complaint(text, bigint, bigint, text),
    kam_may_note_complaint(bigint), kam_refuse_decision(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kam_current_staff(), kam_me(), kam_my_role(), kam_writes_for_others(),
    kam_unit_and_above(bigint), kam_decides_for_unit(bigint), kam_decides_for_customer(text),
    kam_may_edit_owned(bigint, bigint, bigint), kam_may_edit_customer(text), kam_may_complete_customer(text),
    kam_may_visit(text), kam_may_visit_visit(bigint), kam_may_edit_person(bigint), kam_wrote_log(bigint),
    kam_customer_written_by_me(text), kam_may_work_on_complaint(text, bigint, bigint, text),
    kam_may_note_complaint(bigint), kam_refuse_decision(bigint) TO kam_user;
REVOKE ALL ON FUNCTION kam_written_by_me(), customer_decided_by(), complaint_worked_on() FROM PUBLIC;

-- The role a login is for, by the staff registry (for kam_create_login).
CREATE FUNCTION kam_staff_role(staff_login text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT role FROM staff WHERE login = staff_login AND status <> 'left'
$$;
REVOKE ALL ON FUNCTION kam_staff_role(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kam_staff_role(text), kam_my_role(), kam_current_staff() TO kam_login_maker;

RESET ROLE;

-- `kam staff add` (and a role change) calls kam_create_login(login, role)
-- in the transaction that writes the staff row: it creates the login role
-- (LOGIN, no password: peer authentication on the server's socket; a
-- branch terminal's password or certificate is set by the DBA) and makes
-- it a member of kam_<role> and of no other kam role group.
--
-- Permissions: it runs as kam_login_maker, which needs CREATEROLE (to
-- create the role) and ADMIN OPTION on kam_manager, kam_supervisor,
-- kam_admin and kam_leader (to grant and revoke them; PostgreSQL 16 and
-- later insist on it), both given above by the superuser. The caller needs
-- EXECUTE (every kam user has it) and must be an administrator by the
-- staff registry, or a superuser or member of kam_owner (the set-up, which
-- creates the first administrator's login). The login must be that of an
-- active staff row with that role; an existing role is taken over only if
-- it is a plain login (no superuser, CREATEROLE, BYPASSRLS, REPLICATION).
CREATE FUNCTION kam_create_login(login text, kam_role text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
    existing pg_catalog.pg_roles%ROWTYPE;
    grp text;
BEGIN
    IF NOT (pg_catalog.pg_has_role(session_user, 'kam_owner', 'MEMBER') OR kam_my_role() = 'admin') THEN
        RAISE EXCEPTION 'only an administrator creates logins' USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF kam_role IS NULL OR kam_role NOT IN ('manager', 'supervisor', 'admin', 'leader') THEN
        RAISE EXCEPTION 'no kam role %', coalesce(kam_role, 'NULL') USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF kam_staff_role(login) IS DISTINCT FROM kam_role THEN
        RAISE EXCEPTION 'no active member of staff has the login % and the role %', login, kam_role
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Roles belong to the whole server: two databases' set-ups (or two
    -- migrations) making the same login at once take turns, and the second
    -- finds the role the first made.
    PERFORM pg_advisory_xact_lock(hashtext('kam logins'));
    SELECT * INTO existing FROM pg_catalog.pg_roles WHERE rolname = login;
    IF NOT FOUND THEN
        EXECUTE format('CREATE ROLE %I LOGIN', login);
    ELSIF NOT existing.rolcanlogin OR existing.rolsuper OR existing.rolcreaterole OR existing.rolbypassrls
          OR existing.rolreplication THEN
        RAISE EXCEPTION 'the role % exists and is no plain login', login USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOREACH grp IN ARRAY ARRAY['kam_manager', 'kam_supervisor', 'kam_admin', 'kam_leader'] LOOP
        IF grp = 'kam_' || kam_role THEN
            EXECUTE format('GRANT %I TO %I', grp, login);
        ELSIF EXISTS (SELECT FROM pg_catalog.pg_auth_members m
                      WHERE m.roleid = grp::regrole AND m.member = login::regrole) THEN
            EXECUTE format('REVOKE %I FROM %I', grp, login);
        END IF;
    END LOOP;
END $$;
ALTER FUNCTION kam_create_login(text, text) OWNER TO kam_login_maker;
REVOKE ALL ON FUNCTION kam_create_login(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION kam_create_login(text, text) TO kam_user, kam_owner;
