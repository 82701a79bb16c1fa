-- Issue 19: one- and two-character searches from an index, not a scan.
--
-- The trigram table (customer_search) answers a substring of three or more
-- characters; a shorter query scanned every key (~1 s at a million
-- customers). customer_prefix holds, per customer, every one- and
-- two-character query that finds it (search::search_starts): the start of
-- its ID, any one or two characters in a row of its names as written, of
-- their initials, and the start of each syllable of their pinyin. Written
-- with the search key by the store (the key is computed in Rust, and an
-- FTS5 table takes no triggers); a short query is one range of the primary
-- key, in customer ID order, so the list's first page needs no sort. A
-- rename deletes the old starts by this key (no second index: the table
-- holds some fifty rows per customer). Filled from the names after this
-- step (db::customers::fill_prefixes).
CREATE TABLE customer_prefix (
    gram        TEXT NOT NULL,
    customer_id TEXT NOT NULL REFERENCES customer(id),
    PRIMARY KEY (gram, customer_id)
) WITHOUT ROWID;
