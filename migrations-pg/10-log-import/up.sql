-- Issue 17 (`kam import log`): a marketing-log entry written on paper by
-- one person and entered into kam by another keeps both. author_id is who
-- wrote it (the account manager the sheet names, whose quota it counts
-- for); created_by is who entered it, and the history's actor. 02-access
-- made every user write name its writer in author_id as well, so a records
-- keeper could not bring in the entries other managers wrote.
--
-- The rule now (access.rs, marketing.rs write_for_in):
--   created_by and updated_by name the writer, as on every table
--   (kam_written_by_me, with author_id left out);
--   author_id names the writer too, unless the writer decides for the
--   customer's unit (a supervisor of that unit or of a unit above it, or an
--   administrator: kam_decides_for_customer). An account manager enters
--   only their own entries.
-- author_id still never changes after the insert (column grants, 02-access).
SET ROLE kam_owner;

-- Who may write an entry in someone else's name. Asks about its caller
-- (not SECURITY DEFINER); the helpers it calls read what they need.
CREATE FUNCTION marketing_log_author_decided() RETURNS trigger
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE
    me bigint;
    unit bigint;
BEGIN
    IF kam_writes_for_others() THEN
        RETURN NEW;
    END IF;
    me := kam_me();
    -- No member of staff: marketing_log_written_by_me says so.
    IF me IS NULL OR NEW.author_id IS NOT DISTINCT FROM me OR kam_decides_for_customer(NEW.customer_id) THEN
        RETURN NEW;
    END IF;
    SELECT unit_id INTO unit FROM customer WHERE id = NEW.customer_id;
    RAISE EXCEPTION 'marketing_log.author_id must name you (staff %), not %: only a supervisor of % or a unit above it enters log entries in another''s name',
        me, coalesce(NEW.author_id::text, 'nobody'),
        coalesce((SELECT name FROM org_unit WHERE id = unit), unit::text, 'the customer''s unit')
        USING ERRCODE = 'insufficient_privilege';
END $$;
REVOKE ALL ON FUNCTION marketing_log_author_decided() FROM PUBLIC;

-- The writer's columns as on every table; the author by the rule above.
-- Triggers of one event fire in name order: the writer's columns first.
DROP TRIGGER marketing_log_written_by_me ON marketing_log;
CREATE TRIGGER marketing_log_written_by_me BEFORE INSERT OR UPDATE ON marketing_log
FOR EACH ROW EXECUTE FUNCTION kam_written_by_me('created_by,updated_by', 'updated_by', '');
CREATE TRIGGER marketing_log_written_for_author BEFORE INSERT ON marketing_log
FOR EACH ROW EXECUTE FUNCTION marketing_log_author_decided();

RESET ROLE;
