-- kam schema for PostgreSQL, step 4 (issue 15): `kam migrate` keeps a
-- record of itself in the target, written in the migration's own
-- transaction (a refused or dry migration leaves none).
--
-- One row per migration: the source file (its path as given, or what made
-- it, e.g. `kam demo`), the SHA-256 of its bytes when the migration began,
-- its kam schema version (SQLite's user_version), the unit its top units
-- went under (`--under`), who ran it (the session's login) and when (the
-- server's clock at the transaction's start), and per table the rows
-- copied and the rows merged into the province's own (shared reference
-- entries, equal settings), as JSON: {"customer": {"copied": 300,
-- "merged": 0}, …}; `first_history_id` is the first history row it copied.
--
-- Owned by the superuser who runs this step (like kam_meta), not by
-- kam_owner: no kam role owns it. Under forced row-level security like
-- every other table, readable by administrators (by the staff registry, as
-- everywhere) and superusers; no one is granted INSERT, UPDATE or DELETE
-- (kam migrate runs as a superuser), and a trigger that fires even under
-- `session_replication_role = replica` refuses every UPDATE, DELETE and
-- TRUNCATE, a superuser's included.
CREATE TABLE kam_migration (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source text NOT NULL,
    source_sha256 text NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
    source_schema integer NOT NULL,
    under_unit text,
    run_by text NOT NULL DEFAULT session_user,
    run_at timestamptz NOT NULL DEFAULT now(),
    tables jsonb NOT NULL CHECK (jsonb_typeof(tables) = 'object'),
    first_history_id bigint
);

CREATE FUNCTION kam_migration_kept() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    RAISE EXCEPTION 'kam_migration is a record: its rows are never changed or deleted'
        USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER kam_migration_kept BEFORE UPDATE OR DELETE ON kam_migration
FOR EACH ROW EXECUTE FUNCTION kam_migration_kept();
CREATE TRIGGER kam_migration_not_truncated BEFORE TRUNCATE ON kam_migration
FOR EACH STATEMENT EXECUTE FUNCTION kam_migration_kept();
ALTER TABLE kam_migration ENABLE ALWAYS TRIGGER kam_migration_kept;
ALTER TABLE kam_migration ENABLE ALWAYS TRIGGER kam_migration_not_truncated;

ALTER TABLE kam_migration ENABLE ROW LEVEL SECURITY;
ALTER TABLE kam_migration FORCE ROW LEVEL SECURITY;
CREATE POLICY kam_migration_read ON kam_migration FOR SELECT TO kam_user USING (kam_my_role() = 'admin');
REVOKE ALL ON kam_migration FROM PUBLIC;
GRANT SELECT ON kam_migration TO kam_user;
