-- Issue 19: one- and two-character searches from an index, not a scan.
--
-- The trigram table (customer_search) answers a substring of three or more
-- characters; a shorter query scanned every key (~1 s at a million
-- customers). A short query now matches where a form of the key starts:
-- the ID, the short or full name as written, its full pinyin or its
-- initials (`z`, `zg`, `中`, `中国` find 中国银行; `44` the IDs beginning
-- 44). customer_prefix holds, per customer, the one- and two-character
-- starts of every form of its search key (search::key_prefixes), written
-- with the key by the store (the key is computed in Rust; an FTS5 table
-- takes no triggers), so a short query is one range of this primary key,
-- in customer ID order. Filled from the keys after this step.
CREATE TABLE customer_prefix (
    gram        TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    PRIMARY KEY (gram, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_prefix_customer ON customer_prefix(customer_id);
