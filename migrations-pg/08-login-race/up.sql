-- kam_create_login (02-access) made logins in turns with an advisory lock,
-- which holds only within one database: two databases of one server (a
-- province's and a test's, or two tests') making the same login at once
-- could fail on the role's unique name. The login made meanwhile elsewhere
-- is now taken as existing (and checked as such).
CREATE OR REPLACE FUNCTION kam_create_login(login text, kam_role text) RETURNS void
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
    -- Within one database, makers of logins take turns. Roles belong to the
    -- whole server, though, and an advisory lock only to its database: a
    -- set-up in another database may make the same login at the same moment.
    -- Then CREATE ROLE fails as a duplicate once the other commits, and the
    -- role it made is read and checked as any existing one.
    PERFORM pg_advisory_xact_lock(hashtext('kam logins'));
    SELECT * INTO existing FROM pg_catalog.pg_roles WHERE rolname = login;
    IF NOT FOUND THEN
        BEGIN
            EXECUTE format('CREATE ROLE %I LOGIN', login);
        EXCEPTION WHEN unique_violation OR duplicate_object THEN
            SELECT * INTO existing FROM pg_catalog.pg_roles WHERE rolname = login;
        END;
    END IF;
    IF existing.rolname IS NULL THEN
        NULL; -- made here, a plain login
    ELSIF NOT existing.rolcanlogin OR existing.rolsuper OR existing.rolcreaterole OR existing.rolbypassrls
          OR existing.rolreplication THEN
        RAISE EXCEPTION 'the role % exists and is no plain login', login USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOREACH grp IN ARRAY ARRAY['kam_manager', 'kam_supervisor', 'kam_admin', 'kam_leader'] LOOP
        IF grp = 'kam_' || kam_role THEN
            BEGIN
                EXECUTE format('GRANT %I TO %I', grp, login);
            EXCEPTION WHEN unique_violation THEN
                NULL; -- granted at the same moment from another database
            END;
        ELSIF EXISTS (SELECT FROM pg_catalog.pg_auth_members m
                      WHERE m.roleid = grp::regrole AND m.member = login::regrole) THEN
            EXECUTE format('REVOKE %I FROM %I', grp, login);
        END IF;
    END LOOP;
END $$;
ALTER FUNCTION kam_create_login(text, text) OWNER TO kam_login_maker;
