-- Issue 19: one- and two-character searches from an index, not a scan, as
-- SQLite migration 21-search-prefixes.
--
-- A short query (one or two characters) matches where a form of the
-- customer's search key starts: the ID, the short or full name as written,
-- its full pinyin or its initials. The pg_trgm index on customer_search
-- answers 3+ characters only; customer_prefix holds each customer's one-
-- and two-character starts (search::key_prefixes), written with the key by
-- the store, so a short query is one range of its primary key, in customer
-- ID order. Derived from the names (whose changes are in the history), so
-- it keeps no history of its own. Everyone reads; the rows of a customer
-- are inserted by whoever may write its search key, deleted (a renamed
-- customer's old starts) by whoever edits the customer or, rebuilding every
-- key (kam check --repair), the administrator.
SET ROLE kam_owner;

CREATE TABLE customer_prefix (
    gram        text NOT NULL,
    customer_id text NOT NULL REFERENCES customer(id),
    PRIMARY KEY (gram, customer_id)
);
CREATE INDEX customer_prefix_customer ON customer_prefix(customer_id);

ALTER TABLE customer_prefix ENABLE ROW LEVEL SECURITY;
ALTER TABLE customer_prefix FORCE ROW LEVEL SECURITY;
CREATE POLICY customer_prefix_read ON customer_prefix FOR SELECT TO kam_user USING (true);
CREATE POLICY customer_prefix_insert ON customer_prefix FOR INSERT TO kam_user
    WITH CHECK (kam_may_complete_customer(customer_id));
CREATE POLICY customer_prefix_delete ON customer_prefix FOR DELETE TO kam_user
    USING (kam_my_role() = 'admin' OR kam_may_edit_customer(customer_id));

GRANT SELECT, INSERT, DELETE ON customer_prefix TO kam_user;

RESET ROLE;

-- The starts of the keys already written (as the superuser running the
-- migration: the owner reads customer_search only through its policies).
INSERT INTO customer_prefix (gram, customer_id)
SELECT DISTINCT left(f.form, n.n), s.customer_id
FROM customer_search s
CROSS JOIN LATERAL unnest(string_to_array(s.key, chr(31))) AS f(form)
CROSS JOIN (VALUES (1), (2)) AS n(n)
WHERE length(f.form) >= n.n;
