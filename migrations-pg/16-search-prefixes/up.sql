-- Issue 19: one- and two-character searches from an index, not a scan, as
-- SQLite migration 21-search-prefixes.
--
-- customer_prefix holds, per customer, every one- and two-character query
-- that finds it (search::search_starts: the start of its ID, any one or
-- two characters in a row of its names, of their initials, the start of
-- each pinyin syllable). The pg_trgm index on customer_search answers 3+
-- characters only; a short query is one range of this primary key, in
-- customer ID order. Written with the search key by the store; filled from
-- the names right after this step, in its transaction
-- (db::customers::fill_prefixes, from db::server::migrate). Derived from
-- the names (whose changes are in the history), so it keeps no history of
-- its own. Everyone reads; a customer's rows are inserted by whoever may
-- write its search key, deleted (a renamed customer's old starts) by
-- whoever edits the customer or, rebuilding every key (kam check
-- --repair), the administrator.
SET ROLE kam_owner;

CREATE TABLE customer_prefix (
    gram        text NOT NULL,
    customer_id text NOT NULL REFERENCES customer(id),
    PRIMARY KEY (gram, customer_id)
);

ALTER TABLE customer_prefix ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_prefix FORCE ROW LEVEL SECURITY;
CREATE POLICY customer_prefix_read ON customer_prefix FOR SELECT TO kam_user USING (true);
CREATE POLICY customer_prefix_insert ON customer_prefix FOR INSERT TO kam_user
    WITH CHECK (kam_may_complete_customer(customer_id));
CREATE POLICY customer_prefix_delete ON customer_prefix FOR DELETE TO kam_user
    USING (kam_my_role() = 'admin' OR kam_may_edit_customer(customer_id));

GRANT SELECT, INSERT, DELETE ON customer_prefix TO kam_user;

RESET ROLE;
