-- Schema 8: customers listed by name in pinyin order (万利 after 三元 and
-- 世通, not before them as the characters' code points would have it).
--
-- name_key is the short name's pinyin sort key (search::sort_key in kam:
-- syllable by syllable, SQL cannot derive it), written with the name on every
-- insert and update of a customer. The rows already here get theirs when this
-- schema is applied (kam fills them right after this script, then builds the
-- index customer_name_key ON customer(archived, name_key, id), so the list
-- sorted by name reads one page from the index at any size).
ALTER TABLE customer ADD COLUMN name_key TEXT NOT NULL DEFAULT '';
